//! `parse`/`parse-where`: the binder's regular expression runs through `regexp_match`; capture i
//! fills target column i, converted to its type. Unmatched rows keep "" / null, or are dropped by
//! `parse-where` (which also drops rows whose typed values do not convert).

use datafusion::functions::expr_fn::{coalesce, regexp_match};
use datafusion::functions_nested::expr_fn::array_element;
use datafusion::logical_expr::{Expr, LogicalPlan, lit};
use kql_binder::bound::{BoundExpr, Relation};
use kql_types::KustoType;

use super::build;
use crate::{PResult, Planner, column};

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
        let mut finals = Vec::new();
        for (index, out) in relation.columns.iter().enumerate() {
            let value = match targets.iter().position(|t| *t == index) {
                Some(group) => {
                    let text = array_element(column(MATCHES), lit(group as i64 + 1));
                    match out.ty {
                        KustoType::String => coalesce(vec![text, lit("")]),
                        ty => self.conversion(text, KustoType::String, ty, span)?,
                    }
                }
                None => column(&out.name),
            };
            finals.push(value.alias(&out.name));
        }
        let typed_not_null = targets
            .iter()
            .map(|t| &relation.columns[*t])
            .filter(|c| c.ty != KustoType::String)
            .map(|c| column(&c.name).is_not_null())
            .reduce(Expr::and);
        build(plan, span, |b| {
            let staged = b.project(staged)?;
            let filtered = if drop_unmatched {
                staged.filter(column(MATCHES).is_not_null())?
            } else {
                staged
            };
            let projected = filtered.project(finals)?;
            // parse-where also drops rows whose typed values do not convert.
            match typed_not_null {
                Some(predicate) if drop_unmatched => projected.filter(predicate),
                _ => Ok(projected),
            }
        })
    }
}
