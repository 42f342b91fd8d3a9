//! `parse`/`parse-where`: the binder's regular expression runs through `regexp_match`; capture i
//! fills target column i, converted to its type. A row whose typed captures do not all convert counts
//! as unmatched, as in Kusto (the emulator's `parse` docs example with `releaseTime=invalid_datetime`):
//! unmatched rows keep "" / null in every target column, or are dropped by `parse-where`.

use datafusion::common::ScalarValue;
use datafusion::functions::expr_fn::regexp_match;
use datafusion::functions_nested::expr_fn::array_element;
use datafusion::logical_expr::{Expr, LogicalPlan, lit, when};
use kql_binder::bound::{BoundExpr, Relation};
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
        targets: &[usize],
        drop_unmatched: bool,
    ) -> PResult<LogicalPlan> {
        let span = relation.span;
        let plan = self.relation(input)?;
        let schema = plan.schema().clone();
        let mut staged: Vec<Expr> = input.columns.iter().map(|c| column(&c.name)).collect();
        staged.push(regexp_match(self.expr(source, &schema)?, lit(regex.to_string()), None).alias(MATCHES));
        // The captured value of each target column, converted to its type.
        let mut captures = Vec::with_capacity(targets.len());
        for (group, target) in targets.iter().enumerate() {
            let text = array_element(column(MATCHES), lit(group as i64 + 1));
            let value = match relation.columns[*target].ty {
                KustoType::String => text,
                ty => self.conversion(text, KustoType::String, ty, span)?,
            };
            captures.push((*target, value));
        }
        let typed_converted = captures
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
            let value = match captures.iter().find(|(target, _)| *target == index) {
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
