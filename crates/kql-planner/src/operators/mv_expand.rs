//! `mv-expand`: each expanded dynamic value becomes a list (`kql_dynamic_to_list`), the lists are
//! unnested together, and each element is converted to the requested type. The item index
//! (`with_itemindex`) is one more list, `0 .. longest list`, unnested alongside.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::Column as DFColumn;
use datafusion::common::UnnestOptions;
use datafusion::functions::expr_fn::greatest;
use datafusion::functions_nested::expr_fn::{cardinality, range};
use datafusion::logical_expr::{Expr, Extension, LogicalPlan, cast, lit};
use kql_binder::bound::{Relation, RelationKind};
use kql_syntax::{Diagnostic, Span};
use kql_types::KustoType;

use super::build;
use crate::nodes::ExpandChunksNode;
use crate::{PResult, Planner, column};

/// How one `mv-expand` expands: the `MvExpand` relation's parts.
pub(crate) struct Expansion<'a> {
    /// The expanding relation (its `columns` are the output columns).
    pub relation: &'a Relation,
    /// The relation whose columns are expanded.
    pub input: &'a Relation,
    pub expanded: &'a [usize],
    pub bag_as_array: bool,
}

impl<'a> Expansion<'a> {
    /// The parts of an `MvExpand` relation; `None` for any other relation.
    pub(crate) fn of(relation: &'a Relation) -> Option<Expansion<'a>> {
        match &relation.kind {
            RelationKind::MvExpand {
                input,
                expanded,
                bag_as_array,
                ..
            } => Some(Expansion {
                relation,
                input,
                expanded,
                bag_as_array: *bag_as_array,
            }),
            _ => None,
        }
    }
}

impl Planner<'_> {
    pub(crate) fn mv_expand(
        &self,
        relation: &Relation,
        input: &Relation,
        limit: Option<u64>,
        item_index: bool,
    ) -> PResult<LogicalPlan> {
        let span = relation.span;
        if limit.is_some() {
            return Err(Diagnostic::not_supported("mv-expand limit", span));
        }
        let expansion = Expansion::of(relation)
            .ok_or_else(|| Diagnostic::internal("mv-expand without its expansion", span))?;
        let index_name = item_index
            .then(|| relation.columns.last().map(|c| c.name.as_str()))
            .flatten();
        let plan = self.expand(self.relation(input)?, &expansion, index_name)?;
        let outputs: Vec<Expr> = relation.columns.iter().map(|c| column(&c.name)).collect();
        build(plan, span, |b| b.project(outputs))
    }

    /// Expands `plan` (the expansion's input columns, possibly followed by other columns, which
    /// repeat like the non-expanded ones): the expanded columns hold the elements converted to their
    /// output types, and `index_name`, when given, is appended with each element's 0-based index.
    pub(crate) fn expand(
        &self,
        plan: LogicalPlan,
        expansion: &Expansion<'_>,
        index_name: Option<&str>,
    ) -> PResult<LogicalPlan> {
        let span = expansion.relation.span;
        let expanded_names: Vec<&str> = expansion
            .expanded
            .iter()
            .map(|i| expansion.input.columns[*i].name.as_str())
            .collect();
        let bag_expansion = lit(if expansion.bag_as_array { "array" } else { "bag" });
        let names: Vec<String> = plan.schema().fields().iter().map(|f| f.name().clone()).collect();
        let mut lists = Vec::new();
        let mut list_lengths = Vec::new();
        for name in &names {
            lists.push(if expanded_names.contains(&name.as_str()) {
                let list = self.call_function(
                    "dynamic_to_list",
                    vec![column(name), bag_expansion.clone()],
                    vec![KustoType::Dynamic, KustoType::String],
                    KustoType::Dynamic,
                    span,
                )?;
                list_lengths.push(cast(cardinality(list.clone()), DataType::Int64));
                list.alias(name)
            } else {
                column(name)
            });
        }
        let mut unnested: Vec<DFColumn> = expanded_names.iter().map(|n| DFColumn::from_name(*n)).collect();
        if let Some(index_name) = index_name {
            let longest = match list_lengths.len() {
                1 => list_lengths.remove(0),
                _ => greatest(list_lengths),
            };
            lists.push(range(lit(0i64), longest, lit(1i64)).alias(index_name));
            unnested.push(DFColumn::from_name(index_name));
        }
        let mut converted = Vec::new();
        for name in names.iter().map(String::as_str).chain(index_name) {
            let position = expansion
                .expanded
                .iter()
                .position(|i| expansion.input.columns[*i].name == name);
            converted.push(match position {
                Some(position) => {
                    let ty = expansion.relation.columns[expansion.expanded[position]].ty;
                    self.element(name, ty, span)?
                }
                None => column(name),
            });
        }
        let options = UnnestOptions::new().with_preserve_nulls(false);
        let listed = build(plan, span, |b| b.project(lists))?;
        // Rows are cut so that none expands past a bounded size (see `ExpandChunksNode`).
        let chunked = LogicalPlan::Extension(Extension {
            node: Arc::new(ExpandChunksNode::new(
                listed,
                unnested.iter().map(|c| c.name.clone()).collect(),
            )),
        });
        build(chunked, span, |b| {
            b.unnest_columns_with_options(unnested, options)?
                .project(converted)
        })
    }

    /// An expanded element (dynamic) converted to the requested type.
    fn element(&self, name: &str, ty: KustoType, span: Span) -> PResult<Expr> {
        Ok(if ty == KustoType::Dynamic {
            column(name)
        } else {
            self.conversion(column(name), KustoType::Dynamic, ty, span)?
                .alias(name)
        })
    }
}
