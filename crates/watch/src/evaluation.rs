//! How a rule meets late records: row by row, or by re-running its windows.
//!
//! A rule whose every result row comes from one telemetry record (filters, computed columns,
//! projections, parsing, lookups against lists that are not telemetry) gives the same rows whether it
//! sees a record alone or with its neighbours, so each new record is evaluated once, with the run
//! its time belongs to. Any other rule (aggregations, ordering, joins between telemetry tables, a
//! trigger threshold counting rows) needs the whole window: it is re-run over the data for every
//! window that new records fall into.

use kql_syntax::lexer::{TokenKind, tokenize};
use torhunt_rules::needs::query_needs;
use torhunt_rules::rule::{Trigger, TriggerOperator, Variant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evaluation {
    /// Only new records, each with the run its time belongs to.
    NewRecords,
    /// Every window new records fall into, over all the data.
    Windows,
}

impl Evaluation {
    pub fn name(self) -> &'static str {
        match self {
            Evaluation::NewRecords => "new records",
            Evaluation::Windows => "windows",
        }
    }
}

/// Tabular operators under which each output row depends on one input row.
const ROW_BY_ROW_OPERATORS: &[&str] = &[
    "where",
    "filter",
    "extend",
    "project",
    "project-away",
    "project-keep",
    "project-rename",
    "project-reorder",
    "parse",
    "parse-where",
    "parse-kv",
    "mv-expand",
    "union",
    "join",
    "lookup",
];

/// The evaluation a rule's query needs (see the module documentation).
pub fn evaluation(variant: &Variant, trigger: Option<&Trigger>) -> Evaluation {
    let counts_rows =
        trigger.is_some_and(|t| !(t.operator == TriggerOperator::GreaterThan && t.threshold == 0));
    let one_table = query_needs(&variant.query).is_ok_and(|needs| needs.tables.len() <= 1);
    if !counts_rows && one_table && operators_are_row_by_row(&variant.query) {
        Evaluation::NewRecords
    } else {
        Evaluation::Windows
    }
}

/// Whether every operator after a `|` is one of [`ROW_BY_ROW_OPERATORS`] (a query that does not
/// lex is not: its error shows when it runs).
fn operators_are_row_by_row(query: &str) -> bool {
    let Ok(tokens) = tokenize(query) else {
        return false;
    };
    let text = |index: usize| tokens.get(index).map(|t| &query[t.span.start..t.span.end]);
    tokens.iter().enumerate().all(|(index, token)| {
        token.kind != TokenKind::Pipe
            || text(index + 1).is_some_and(|next| {
                ROW_BY_ROW_OPERATORS
                    .iter()
                    .any(|op| op.eq_ignore_ascii_case(next))
            })
    })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use torhunt_rules::QuerySource;

    use super::*;

    fn variant(query: &str) -> Variant {
        Variant {
            name: None,
            query: query.to_string(),
            time_column: "Timestamp".to_string(),
            source: QuerySource {
                path: PathBuf::from("rule.yaml"),
                variant: None,
                line: 1,
            },
        }
    }

    #[test]
    fn filters_and_projections_evaluate_new_records_alone() {
        let filter = variant(
            "DeviceProcessEvents | where FileName =~ \"tor.exe\" | extend Seen = 1 | project-away Seen",
        );
        assert_eq!(evaluation(&filter, None), Evaluation::NewRecords);
        let gt0 = Trigger {
            operator: TriggerOperator::GreaterThan,
            threshold: 0,
        };
        assert_eq!(evaluation(&filter, Some(&gt0)), Evaluation::NewRecords);
    }

    #[test]
    fn aggregations_joins_of_telemetry_and_row_counts_need_windows() {
        let counted = variant("DeviceNetworkEvents | summarize count() by DeviceId");
        assert_eq!(evaluation(&counted, None), Evaluation::Windows);
        let joined = variant(
            "DeviceNetworkEvents | join kind=inner (DeviceInfo | distinct DeviceId, PublicIP) on DeviceId",
        );
        assert_eq!(evaluation(&joined, None), Evaluation::Windows);
        let gt5 = Trigger {
            operator: TriggerOperator::GreaterThan,
            threshold: 5,
        };
        let filter = variant("DeviceNetworkEvents | where RemotePort == 9001");
        assert_eq!(evaluation(&filter, Some(&gt5)), Evaluation::Windows);
        assert_eq!(
            evaluation(&variant("DeviceNetworkEvents | take 5"), None),
            Evaluation::Windows
        );
    }
}
