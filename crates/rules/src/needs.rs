//! What a query needs before it can run: the Advanced Hunting tables it names, the optional session
//! functions it calls (the Tor relay intel functions exist only when a relay store is loaded,
//! `geo_info_from_ip_address` only with `--geoip`) and the `externaldata` URLs it reads. Found in its syntax tree, so a hunt can say why it skips a rule instead
//! of failing on it.

use std::collections::BTreeSet;

use kql_syntax::ast::{Arg, ExprKind, Literal, OperatorKind};
use kql_syntax::{Diagnostic, Span, walk};
use torhunt_engine::CONFIGURED_FUNCTIONS;
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
    /// Functions the query calls that an engine has only when configured (`--geoip`).
    pub configured_functions: BTreeSet<String>,
    /// URLs of its `externaldata` operators.
    pub external_urls: Vec<String>,
}

impl QueryNeeds {
    fn table(&mut self, name: &str) {
        if canonical_table_name(name) == Some(name) {
            self.tables.insert(name.to_string());
        }
    }
}

/// Reads a query's syntax tree; fails only when the text does not parse (with its first diagnostic).
pub fn query_needs(text: &str) -> Result<QueryNeeds, Diagnostic> {
    let query = kql_syntax::parse(text).map_err(|diagnostics| {
        diagnostics
            .into_iter()
            .next()
            .unwrap_or_else(|| Diagnostic::syntax("the query does not parse", Span::new(0, text.len())))
    })?;
    let mut needs = QueryNeeds::default();
    walk::query(&query, &mut |expr| match &expr.kind {
        ExprKind::Name(ident) => needs.table(&ident.name),
        // `table("DeviceInfo")`, `table("DeviceInfo", "all")`
        ExprKind::Call { name, args } if name.name == "table" => {
            if let [Arg { value, .. }, ..] = args.as_slice()
                && let ExprKind::Literal(Literal::String(table)) = &value.kind
            {
                needs.table(table);
            }
        }
        ExprKind::Call { name, .. } if INTEL_FUNCTIONS.contains(&name.name.as_str()) => {
            needs.intel_functions.insert(name.name.clone());
        }
        ExprKind::Call { name, .. } if CONFIGURED_FUNCTIONS.iter().any(|f| f.name == name.name) => {
            needs.configured_functions.insert(name.name.clone());
        }
        ExprKind::Source(operator) | ExprKind::Pipe { operator, .. } => {
            if let OperatorKind::ExternalData { uris, .. } = &operator.kind {
                for uri in uris {
                    if let ExprKind::Literal(Literal::String(url)) = &uri.kind {
                        needs.external_urls.push(url.clone());
                    }
                }
            }
        }
        _ => {}
    });
    Ok(needs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_functions_and_urls_are_found() {
        let needs = query_needs(
            "let R = externaldata (IP:string) [h@'https://x.example/r.csv', 'file.csv'] with (format='csv');\n\
             DeviceNetworkEvents | where tor_relay_at(RemoteIP, Timestamp) \
             | extend geo = geo_info_from_ip_address(RemoteIP) \
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
        assert_eq!(
            needs.configured_functions.into_iter().collect::<Vec<_>>(),
            ["geo_info_from_ip_address"]
        );
        assert_eq!(needs.external_urls, ["https://x.example/r.csv", "file.csv"]);
    }

    #[test]
    fn tables_named_by_table_in_let_bodies_and_subqueries_are_found() {
        let needs = query_needs(
            "let f = () { table('DeviceInfo') | take 1 };\n\
             f() | join (DeviceLogonEvents | where AccountName in (DeviceProcessEvents | project AccountName)) on DeviceId",
        )
        .unwrap();
        assert_eq!(
            needs.tables.into_iter().collect::<Vec<_>>(),
            ["DeviceInfo", "DeviceLogonEvents", "DeviceProcessEvents"]
        );
    }

    #[test]
    fn a_table_named_in_a_string_or_comment_is_not_needed() {
        let needs = query_needs("// DeviceInfo\nDeviceEvents | where Note == 'DeviceInfo'").unwrap();
        assert_eq!(needs.tables.into_iter().collect::<Vec<_>>(), ["DeviceEvents"]);
    }

    #[test]
    fn a_query_that_does_not_parse_is_an_error() {
        assert!(query_needs("DeviceEvents | where").is_err());
    }

    #[test]
    fn a_column_named_like_a_function_is_not_a_call() {
        let needs = query_needs("DeviceProcessEvents | project tor_relay_at = 1").unwrap();
        assert!(needs.intel_functions.is_empty());
    }
}
