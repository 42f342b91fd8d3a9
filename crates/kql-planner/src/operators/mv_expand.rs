//! `mv-expand`: each expanded dynamic value becomes a list (`kql_dynamic_to_list`), the lists are
//! unnested together, and each element is converted to the requested type.

use datafusion::common::Column as DFColumn;
use datafusion::common::UnnestOptions;
use datafusion::logical_expr::LogicalPlan;
use kql_binder::bound::Relation;
use kql_syntax::Diagnostic;
use kql_types::KustoType;

use super::build;
use crate::{PResult, Planner, column};

impl Planner<'_> {
    pub(crate) fn mv_expand(
        &self,
        relation: &Relation,
        input: &Relation,
        expanded: &[usize],
        limit: Option<u64>,
    ) -> PResult<LogicalPlan> {
        let span = relation.span;
        if limit.is_some() {
            return Err(Diagnostic::not_supported("mv-expand limit", span));
        }
        let plan = self.relation(input)?;
        let mut lists = Vec::new();
        for (index, c) in input.columns.iter().enumerate() {
            lists.push(if expanded.contains(&index) {
                self.call_udf("dynamic_to_list", vec![column(&c.name)], span)?
                    .alias(&c.name)
            } else {
                column(&c.name)
            });
        }
        let unnested: Vec<DFColumn> = expanded
            .iter()
            .map(|i| DFColumn::from_name(&input.columns[*i].name))
            .collect();
        let mut converted = Vec::new();
        for (index, out) in relation.columns.iter().enumerate() {
            let value = column(&out.name);
            converted.push(if expanded.contains(&index) && out.ty != KustoType::Dynamic {
                self.conversion(value, KustoType::Dynamic, out.ty, span)?
                    .alias(&out.name)
            } else {
                value
            });
        }
        let options = UnnestOptions::new().with_preserve_nulls(false);
        build(plan, span, |b| {
            b.project(lists)?
                .unnest_columns_with_options(unnested, options)?
                .project(converted)
        })
    }
}
