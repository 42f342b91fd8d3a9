//! The `ipv4_lookup` and `ipv6_lookup` plugins:
//! `T | evaluate ipv4_lookup(LookupTable, SourceIPKey, LookupKey [, return_unmatched] [, ExtraKey, ...])`.
//!
//! A join of each input row with every lookup row whose range (`10.0.0.0/8`, or an address) holds the
//! row's address; with `return_unmatched`, input rows without a match stay, with empty lookup columns.
//! Extra keys must also be equal, as in `lookup`, and appear once.
//!
//! Column order follows Kusto: `ipv4_lookup` gives the input's columns first (the docs' examples and
//! Kusto's own analysis), `ipv6_lookup` the lookup table's first (its docs' examples and the emulator).
//! For `ipv6_lookup`, extra keys and column names shared by both sides are refused: no example says
//! where or how they appear.

use kql_syntax::ast::{Arg, ExprKind, Literal};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;

use super::unknown_column;
use crate::bound::{JoinCondition, JoinKind, JoinOutput, JoinSide, Relation, RelationKind};
use crate::catalog::Column;
use crate::names::{position, unique};
use crate::{BResult, Binder};

/// Which plugin: the address family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IpFamily {
    V4,
    V6,
}

impl IpFamily {
    fn plugin(self) -> &'static str {
        match self {
            IpFamily::V4 => "ipv4_lookup",
            IpFamily::V6 => "ipv6_lookup",
        }
    }
}

impl Binder<'_> {
    pub(crate) fn ip_lookup(
        &mut self,
        input: Relation,
        family: IpFamily,
        args: &[Arg],
        span: Span,
    ) -> BResult<Relation> {
        let plugin = family.plugin();
        let [table, source_key, lookup_key, rest @ ..] = args else {
            return Err(Diagnostic::new(
                DiagnosticKind::Type,
                format!(
                    "`{plugin}` needs a lookup table, the input's address column and the table's range column"
                ),
                span,
            ));
        };
        let lookup = self.tabular(&table.value)?;
        let source_index = column_arg(source_key, &input.columns, plugin)?;
        let lookup_index = column_arg(lookup_key, &lookup.columns, plugin)?;
        for (index, columns, arg) in [
            (source_index, &input.columns, source_key),
            (lookup_index, &lookup.columns, lookup_key),
        ] {
            if columns[index].ty != KustoType::String {
                return Err(Diagnostic::new(
                    DiagnosticKind::Type,
                    format!(
                        "`{plugin}` reads addresses from strings; `{}` is {}",
                        columns[index].name, columns[index].ty
                    ),
                    arg.span,
                ));
            }
        }
        let (return_unmatched, extra) = match rest.split_first() {
            Some((flag, extra))
                if flag.name.is_some() || matches!(flag.value.kind, ExprKind::Literal(Literal::Bool(_))) =>
            {
                (self.return_unmatched(flag, plugin)?, extra)
            }
            _ => (false, rest),
        };
        let mut keys = Vec::new();
        for arg in extra {
            if family == IpFamily::V6 {
                return Err(Diagnostic::not_supported(
                    "extra key columns in `ipv6_lookup`",
                    arg.span,
                ));
            }
            let left = column_arg(arg, &input.columns, plugin)?;
            let right = column_arg(arg, &lookup.columns, plugin)?;
            if input.columns[left].ty != lookup.columns[right].ty {
                return Err(Diagnostic::new(
                    DiagnosticKind::Type,
                    format!(
                        "the key `{}` has different types on the two sides",
                        input.columns[left].name
                    ),
                    arg.span,
                ));
            }
            keys.push((left, right));
        }

        let sides: [(JoinSide, &Relation); 2] = match family {
            IpFamily::V4 => [(JoinSide::Left, &input), (JoinSide::Right, &lookup)],
            IpFamily::V6 => [(JoinSide::Right, &lookup), (JoinSide::Left, &input)],
        };
        let mut columns: Vec<Column> = Vec::new();
        let mut output = Vec::new();
        for (side, relation) in sides {
            for (index, column) in relation.columns.iter().enumerate() {
                if side == JoinSide::Right && keys.iter().any(|(_, r)| *r == index) {
                    continue;
                }
                let name = if columns.iter().any(|c| c.name == column.name) {
                    if family == IpFamily::V6 {
                        return Err(Diagnostic::not_supported(
                            format!("`ipv6_lookup` where both sides have a column `{}`", column.name),
                            span,
                        ));
                    }
                    unique(&column.name, |candidate| {
                        columns.iter().any(|c| c.name == candidate)
                    })
                } else {
                    column.name.clone()
                };
                output.push(JoinOutput { side, index });
                columns.push(Column::new(name, column.ty));
            }
        }
        let function = match family {
            IpFamily::V4 => "ipv4_is_in_range",
            IpFamily::V6 => "ipv6_is_in_range",
        };
        Ok(Relation::new(
            RelationKind::Join {
                left: input.boxed(),
                right: lookup.boxed(),
                kind: if return_unmatched {
                    JoinKind::LeftOuter
                } else {
                    JoinKind::Inner
                },
                keys,
                condition: Some(JoinCondition {
                    function,
                    args: vec![
                        JoinOutput {
                            side: JoinSide::Left,
                            index: source_index,
                        },
                        JoinOutput {
                            side: JoinSide::Right,
                            index: lookup_index,
                        },
                    ],
                    at_most: None,
                }),
                output,
            },
            columns,
            span,
        ))
    }

    /// `return_unmatched`: a constant bool, positional or named.
    fn return_unmatched(&mut self, arg: &Arg, plugin: &str) -> BResult<bool> {
        if let Some(name) = &arg.name
            && name.name != "return_unmatched"
        {
            return Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                format!("`{plugin}` has no argument `{}`", name.name),
                name.span,
            ));
        }
        match self.scalar(&arg.value, &[])?.as_literal() {
            Some(crate::bound::Value::Bool(flag)) => Ok(*flag),
            _ => Err(Diagnostic::new(
                DiagnosticKind::Type,
                "`return_unmatched` must be a constant bool",
                arg.value.span,
            )),
        }
    }
}

/// A column named by a plugin argument.
fn column_arg(arg: &Arg, columns: &[Column], plugin: &str) -> BResult<usize> {
    match &arg.value.kind {
        ExprKind::Name(ident) => position(columns, &ident.name).ok_or_else(|| unknown_column(ident, columns)),
        _ => Err(Diagnostic::new(
            DiagnosticKind::Semantic,
            format!("`{plugin}` expects a column name here"),
            arg.value.span,
        )),
    }
}
