//! `parse`/`parse-where`: the binder's regular expression runs through `regexp_match`; each capture
//! group the binder numbered fills its column, converted to its type. A row whose typed captures do not all convert counts
//! as unmatched, as in Kusto (the emulator's `parse` docs example with `releaseTime=invalid_datetime`):
//! unmatched rows keep "" / null in every target column, or are dropped by `parse-where`.

use datafusion::common::ScalarValue;
use datafusion::functions::expr_fn::regexp_match;
use datafusion::functions_nested::expr_fn::array_element;
use datafusion::logical_expr::{Expr, LogicalPlan, lit, when};
use kql_binder::bound::{BoundExpr, ParseCapture, Relation};
use kql_types::KustoType;

use super::build;
use crate::{PResult, Planner, column, plan_error};

const MATCHES: &str = "__parse_matches";

impl Planner<'_> {
    pub(crate) fn parse(
        &self,
        relation: &Relation,
        input: &Relation,
        source: &BoundExpr,
        regex: &str,
        captures: &[ParseCapture],
        drop_unmatched: bool,
    ) -> PResult<LogicalPlan> {
        let span = relation.span;
        let plan = self.relation(input)?;
        let schema = plan.schema().clone();
        let mut staged: Vec<Expr> = input.columns.iter().map(|c| column(&c.name)).collect();
        let subject = self.expr(source, &schema)?;
        staged.push(regexp_match(subject.clone(), lit(regex.to_string()), None).alias(MATCHES));
        // `regexp_match` lists the groups that took part in the match, leaving out an optional one
        // that did not; so when a `kind=regex` pattern's own groups come before a column's, that
        // column's text is extracted by its group number instead.
        let listed_in_order = captures.iter().zip(1..).all(|(capture, n)| capture.group == n);
        // The captured value of each target column, converted to its type.
        let mut values = Vec::with_capacity(captures.len());
        for capture in captures {
            let text = if listed_in_order {
                // List elements count from 1, as groups do.
                array_element(column(MATCHES), lit(capture.group as i64))
            } else {
                self.call_function(
                    "extract",
                    vec![lit(regex.to_string()), lit(capture.group as i64), subject.clone()],
                    vec![KustoType::String, KustoType::Long, KustoType::String],
                    KustoType::String,
                    span,
                )?
            };
            let value = match relation.columns[capture.column].ty {
                KustoType::String => text,
                ty => self.conversion(text, KustoType::String, ty, span)?,
            };
            values.push((capture.column, value));
        }
        let typed_converted = values
            .iter()
            .filter(|(target, _)| relation.columns[*target].ty != KustoType::String)
            .map(|(_, value)| value.clone().is_not_null())
            .reduce(Expr::and);
        let matched = match &typed_converted {
            Some(converted) => column(MATCHES).is_not_null().and(converted.clone()),
            None => column(MATCHES).is_not_null(),
        };
        let mut finals = Vec::new();
        for (index, out) in relation.columns.iter().enumerate() {
            let value = match values.iter().find(|(target, _)| *target == index) {
                Some((_, value)) => {
                    let unmatched = match out.ty {
                        KustoType::String => lit(""),
                        _ => lit(ScalarValue::try_from(out.ty.arrow_type()).map_err(|e| plan_error(e, span))?),
                    };
                    when(matched.clone(), value.clone())
                        .otherwise(unmatched)
                        .map_err(|e| plan_error(e, span))?
                }
                None => column(&out.name),
            };
            finals.push(value.alias(&out.name));
        }
        build(plan, span, |b| {
            let staged = b.project(staged)?;
            let filtered = if drop_unmatched {
                staged.filter(matched.clone())?
            } else {
                staged
            };
            filtered.project(finals)
        })
    }
}
