//! torhunt's plans on the wire and on a Ballista cluster.

#![allow(clippy::unwrap_used, reason = "a panic fails the test")]

mod cluster;
mod roundtrip;
mod support;
