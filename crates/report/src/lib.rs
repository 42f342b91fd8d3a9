//! The HTML report of a hunt: one self-contained file (no network, no CDN) that opens offline and from
//! an e-mail attachment, for people who will not read NDJSON. It shows a summary (alerts by severity,
//! rule and device; the time range and data read; rules skipped and why), a timeline per device, every
//! alert with its rule, matched row and relay details, and the KQL of every rule.
//!
//! Telemetry and rule files are attacker-controlled, so every value goes through minijinja with HTML
//! escaping on; the only links are built here from validated identifiers (MITRE technique ids, relay
//! fingerprints) and in-page anchors. The page's one script and one stylesheet are static and allowed by
//! their SHA-256 hashes in a strict Content-Security-Policy ([`csp`]).

pub mod csp;
pub mod links;
mod page;
mod timeline;
mod view;

pub use page::{ReportError, render};
