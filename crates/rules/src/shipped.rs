//! The rules shipped in the repository's `rules/` folder, built into the binary so an installed
//! `torhunt` hunts with them without a checkout.

use std::path::PathBuf;

use crate::load::{RuleError, load_rule_texts};
use crate::rule::Rule;

macro_rules! shipped {
    ($($file:literal),* $(,)?) => {
        &[$(($file, include_str!(concat!("../../../rules/", $file)))),*]
    };
}

/// Every file of `rules/`: name and text.
pub const SHIPPED_FILES: &[(&str, &str)] = shipped!(
    "detect-tor-relay-connectivity.torhunt.yaml",
    "detect-tor-relay-connectivity.yaml",
    "onion-domain-access.yaml",
    "tor-client-process.yaml",
    "tor-connection-established.md",
    "tor-connection-established.torhunt.yaml",
    "tor-port-connection.yaml",
    "tor-relay-connection.yaml",
    "tor-tls-certificate.yaml",
    "torrent-client-activity.yaml",
);

/// The shipped rules, as if loaded from `rules/`.
pub fn shipped_rules() -> Result<Vec<Rule>, RuleError> {
    let documents: Vec<(PathBuf, String)> = SHIPPED_FILES
        .iter()
        .map(|(name, text)| (PathBuf::from("rules").join(name), text.to_string()))
        .collect();
    load_rule_texts(&documents).all()
}
