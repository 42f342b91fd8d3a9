//! The page's Content-Security-Policy: nothing may load or run except the static script and
//! stylesheet below, allowed by their hashes (computed here, from the very text the page embeds, so
//! an edit to either cannot leave a stale hash behind).

use base64::Engine;
use sha2::{Digest, Sha256};

/// The page's only script: sortable, filterable tables.
pub const SCRIPT: &str = include_str!("../assets/report.js");

/// The page's only stylesheet.
pub const STYLE: &str = include_str!("../assets/report.css");

/// `'sha256-…'`, the CSP source expression that allows an inline element whose text is `text`.
pub fn hash_source(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The policy: no fetches of any kind (`default-src 'none'`), no `<base>`, no form targets, and inline
/// script and style only when they hash to [`SCRIPT`] and [`STYLE`].
pub fn policy() -> String {
    format!(
        "default-src 'none'; script-src {}; style-src {}; base-uri 'none'; form-action 'none'",
        hash_source(SCRIPT),
        hash_source(STYLE)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_base64_sha256() {
        // `echo -n abc | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            hash_source("abc"),
            "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='"
        );
        assert!(policy().starts_with("default-src 'none'; script-src 'sha256-"));
    }
}
