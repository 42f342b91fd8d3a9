//! torhunt's plans on the wire and on a Ballista cluster.

#![allow(clippy::unwrap_used, reason = "a panic fails the test")]

/// The build script, to check the identity it embeds against the sources it is made of.
#[path = "../../build.rs"]
#[allow(dead_code, reason = "its `main` is the build script's")]
mod build_script;

mod cluster;
mod identity;
mod roundtrip;
mod support;
