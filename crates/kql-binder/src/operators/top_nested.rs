//! `top-nested N of Expr [with others = C] by Aggregation [asc|desc], ...`: per level, a key column
//! (named as `summarize` names its keys) and a value column (`aggregated_<key>` unless named).

use kql_syntax::ast::{self, SortOrder};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};

use super::summarize::single_name;
use crate::bound::{Relation, RelationKind, TopNestedLevel};
use crate::catalog::Column;
use crate::names::{Namer, unique};
use crate::{BResult, Binder};

/// The aggregations the `top-nested` docs list ("any algebraic combination" of them is allowed).
const RANKING_AGGREGATES: &[&str] = &["sum", "count", "max", "min", "dcount", "avg", "percentile"];

impl Binder<'_> {
    pub(crate) fn top_nested(
        &mut self,
        input: Relation,
        levels: &[ast::TopNestedLevel],
        span: Span,
    ) -> BResult<Relation> {
        let mut namer = Namer::new(self.catalog);
        let mut columns: Vec<Column> = Vec::new();
        let mut bound = Vec::new();
        // Aggregate columns are numbered across levels, so a `with others` row can compute the
        // aggregates of several levels side by side.
        let mut hidden = 0;
        for level in levels {
            let key = self.scalar(&level.of.expr, &input.columns)?;
            let key_name = namer.name(single_name(&level.of)?, &level.of.expr);
            let key_name = unique(&key_name, |c| columns.iter().any(|k| k.name == c));
            columns.push(Column::new(&key_name, key.ty));

            let mut aggregate_columns = Vec::new();
            let mut calls = Vec::new();
            let ranking = self.hoist(
                &level.by.expr,
                &input.columns,
                &mut hidden,
                &mut aggregate_columns,
                &mut calls,
            )?;
            if calls.is_empty() {
                return Err(Diagnostic::new(
                    DiagnosticKind::Semantic,
                    "`top-nested` ranks by an aggregation, such as `sum(x)` or `count()`",
                    level.by.expr.span,
                ));
            }
            if let Some(call) = calls
                .iter()
                .find(|c| !RANKING_AGGREGATES.contains(&c.function.as_str()))
            {
                return Err(Diagnostic::not_supported(
                    format!(
                        "`{}` in `top-nested` (Kusto ranks by sum, count, max, min, dcount, avg and percentile)",
                        call.function
                    ),
                    call.span,
                ));
            }
            let value = self.scalar(&ranking, &aggregate_columns)?;
            let value_name = match single_name(&level.by)? {
                Some(name) => name.to_string(),
                None => format!("aggregated_{key_name}"),
            };
            let value_name = unique(&value_name, |c| columns.iter().any(|k| k.name == c));
            columns.push(Column::new(value_name, value.ty));

            let limit = level.count.as_ref().map(|count| self.count(count)).transpose()?;
            let others = level
                .with_others
                .as_ref()
                .map(|others| self.constant(others, key.ty))
                .transpose()?;
            let aggregates = aggregate_columns.into_iter().map(|c| c.name).zip(calls).collect();
            bound.push(TopNestedLevel {
                key,
                aggregates,
                value,
                limit,
                descending: level.order != Some(SortOrder::Asc),
                others,
            });
        }
        Ok(Relation::new(
            RelationKind::TopNested {
                input: input.boxed(),
                levels: bound,
            },
            columns,
            span,
        ))
    }
}
