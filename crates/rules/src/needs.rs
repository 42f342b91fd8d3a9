//! What a query needs before it can run: the Advanced Hunting tables it names, the optional session
//! functions it calls (the Tor relay intel functions exist only when a relay store is loaded) and the
//! `externaldata` URLs it reads. Found from the tokens, so a hunt can say why it skips a rule instead
//! of failing on it.

use std::collections::BTreeSet;

use kql_syntax::Diagnostic;
use kql_syntax::lexer::{TokenKind, tokenize};
use torhunt_sources::canonical_table_name;

/// Functions registered on the engine session only when the Tor relay intel store is loaded.
pub const INTEL_FUNCTIONS: &[&str] = &["tor_relay_at", "tor_relay_info"];

/// The name of the relay-details function hunts use to enrich relay alerts.
pub const RELAY_INFO_FUNCTION: &str = "tor_relay_info";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryNeeds {
    /// Advanced Hunting tables the query names (canonical spelling).
    pub tables: BTreeSet<String>,
    /// Intel functions the query calls.
    pub intel_functions: BTreeSet<String>,
    /// URLs of its `externaldata` operators.
    pub external_urls: Vec<String>,
}

/// Scans a query's tokens; fails only when the text cannot be tokenized.
pub fn query_needs(query: &str) -> Result<QueryNeeds, Diagnostic> {
    let tokens = tokenize(query)?;
    let text = |index: usize| &query[tokens[index].span.start..tokens[index].span.end];
    let mut needs = QueryNeeds::default();
    let mut index = 0;
    while index < tokens.len() {
        if tokens[index].kind == TokenKind::Ident {
            let word = text(index);
            let called = tokens.get(index + 1).is_some_and(|t| t.kind == TokenKind::LParen);
            if canonical_table_name(word) == Some(word) {
                needs.tables.insert(word.to_string());
            } else if called && INTEL_FUNCTIONS.contains(&word) {
                needs.intel_functions.insert(word.to_string());
            } else if word.eq_ignore_ascii_case("externaldata") {
                index = external_urls(&tokens, index, &mut needs.external_urls);
                continue;
            }
        }
        index += 1;
    }
    Ok(needs)
}

/// Collects the string literals of the `[...]` after an `externaldata` keyword at `start`; returns the
/// index after the closing bracket.
fn external_urls(tokens: &[kql_syntax::lexer::Token], start: usize, urls: &mut Vec<String>) -> usize {
    let Some(open) = tokens[start..].iter().position(|t| t.kind == TokenKind::LBracket) else {
        return start + 1;
    };
    let mut index = start + open + 1;
    while let Some(token) = tokens.get(index) {
        match &token.kind {
            TokenKind::RBracket => return index + 1,
            TokenKind::String(url) => urls.push(url.clone()),
            _ => {}
        }
        index += 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_functions_and_urls_are_found() {
        let needs = query_needs(
            "let R = externaldata (IP:string) [h@'https://x.example/r.csv', 'file.csv'] with (format='csv');\n\
             DeviceNetworkEvents | where tor_relay_at(RemoteIP, Timestamp) \
             | join (DeviceInfo | distinct DeviceId) on DeviceId | extend devicenetworkevents = 1",
        )
        .unwrap();
        assert_eq!(
            needs.tables.into_iter().collect::<Vec<_>>(),
            ["DeviceInfo", "DeviceNetworkEvents"]
        );
        assert_eq!(
            needs.intel_functions.into_iter().collect::<Vec<_>>(),
            ["tor_relay_at"]
        );
        assert_eq!(needs.external_urls, ["https://x.example/r.csv", "file.csv"]);
    }

    #[test]
    fn a_column_named_like_a_function_is_not_a_call() {
        let needs = query_needs("DeviceProcessEvents | project tor_relay_at = 1").unwrap();
        assert!(needs.intel_functions.is_empty());
    }
}
