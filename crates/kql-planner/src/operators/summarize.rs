//! `summarize` as an aggregate, and `arg_max`/`arg_min` as "first row per group" via `row_number()`.

use datafusion::common::DFSchema;
use datafusion::functions_window::expr_fn::row_number;
use datafusion::logical_expr::{Expr, ExprFunctionExt, LogicalPlan, SortExpr, lit};
use kql_binder::bound::{AggregateCall, BoundExpr, ExprKind, Relation};
use kql_functions::registry;
use kql_syntax::Diagnostic;
use kql_types::KustoType;

use super::build;
use super::window::row_order;
use crate::expr::functions::refuse_decimal_arguments;
use crate::{PResult, Planner, column, function_error, plan_error};

/// The aggregates whose lists follow the order of sorted input (their pages: "If the input to the
/// summarize operator is sorted, the order of elements in the resulting array tracks that of the
/// input"). `make_set`'s order is undefined even then.
const KEEP_INPUT_ORDER: &[&str] = &["make_list", "make_list_if", "makelist", "make_list_with_nulls"];

/// Whether an expression calls `ingestion_time()`.
fn reads_ingestion_time(expr: &BoundExpr) -> bool {
    let mut found = false;
    expr.visit(&mut |e| found |= matches!(e.kind, ExprKind::IngestionTime));
    found
}

impl Planner<'_> {
    pub(crate) fn summarize(
        &self,
        relation: &Relation,
        input: &Relation,
        keys: &[BoundExpr],
        aggregates: &[AggregateCall],
    ) -> PResult<LogicalPlan> {
        // "If the input to the summarize operator is sorted, the order of elements in the resulting
        // array tracks that of the input" (make_list's page): over serialized rows, the lists are
        // ordered by the serialized row number. Otherwise the input's rows keep their ingestion time
        // for aggregates of `ingestion_time()`.
        let lists = aggregates
            .iter()
            .any(|call| KEEP_INPUT_ORDER.contains(&call.function.as_str()));
        let (plan, order) = match lists.then(|| self.serialized(input)) {
            Some(Ok(serialized)) => {
                // Serialized rows do not carry the hidden ingestion time: `ingestion_time()` would
                // read null for every row.
                let mut read = keys.iter().chain(aggregates.iter().flat_map(|call| &call.args));
                if read.any(reads_ingestion_time) {
                    return Err(Diagnostic::not_supported(
                        "`ingestion_time()` in a summarize that makes a list of sorted rows (the list \
                         keeps their order, the rows then lose their ingestion time); compute it in a \
                         summarize of its own",
                        relation.span,
                    ));
                }
                (serialized, Some(row_order()))
            }
            _ => (self.rows(input)?, None),
        };
        let (groups, aggregates) =
            self.summary(relation, keys, aggregates, plan.schema(), order.as_deref())?;
        build(plan, relation.span, |b| b.aggregate(groups, aggregates))
    }

    /// The named group expressions and aggregate expressions of a `summarize` over `schema`; the
    /// lists that keep input order are ordered by `order` when the input has one.
    pub(crate) fn summary(
        &self,
        relation: &Relation,
        keys: &[BoundExpr],
        aggregates: &[AggregateCall],
        schema: &DFSchema,
        order: Option<&[SortExpr]>,
    ) -> PResult<(Vec<Expr>, Vec<Expr>)> {
        let mut names = relation.columns.iter().map(|c| c.name.as_str());
        let groups = keys
            .iter()
            .zip(names.by_ref())
            .map(|(key, name)| Ok(self.expr(key, schema)?.alias(name)))
            .collect::<PResult<Vec<_>>>()?;
        let aggregates = aggregates
            .iter()
            .zip(names)
            .map(|(call, name)| {
                let mut aggregate = self.aggregate(call, schema)?;
                if let (Some(order), Expr::AggregateFunction(ordered)) = (order, &mut aggregate)
                    && KEEP_INPUT_ORDER.contains(&call.function.as_str())
                {
                    ordered.params.order_by = order.to_vec();
                }
                Ok(aggregate.alias(name))
            })
            .collect::<PResult<Vec<_>>>()?;
        Ok((groups, aggregates))
    }

    /// One aggregate call, as `kql-functions` implements it (a Kusto aggregate, or `arg_max(by, x)`
    /// among other aggregates).
    pub(crate) fn aggregate(&self, call: &AggregateCall, schema: &DFSchema) -> PResult<Expr> {
        let args = call
            .args
            .iter()
            .map(|a| self.expr(a, schema))
            .collect::<PResult<Vec<_>>>()?;
        let types: Vec<KustoType> = call.args.iter().map(|a| a.ty).collect();
        let registry = registry();
        let implementation = registry
            .function(&call.function)
            .map(|function| &function.implementation)
            .or_else(|| {
                registry
                    .internal(&call.function)
                    .map(|function| &function.implementation)
            })
            .ok_or_else(|| Diagnostic::not_supported(format!("function `{}`", call.function), call.span))?;
        let expr = implementation
            .call_aggregate(args, &types)
            .map_err(|e| function_error(e, call.span))?;
        refuse_decimal_arguments(&call.function, &expr, schema, call.span)?;
        Ok(expr)
    }

    /// `arg_max`/`arg_min`: numbers the rows of each key group by `by` (extreme first, nulls last) and
    /// keeps the first.
    pub(crate) fn arg_extreme(
        &self,
        relation: &Relation,
        input: &Relation,
        keys: &[BoundExpr],
        by: &BoundExpr,
        max: bool,
        outputs: &[BoundExpr],
    ) -> PResult<LogicalPlan> {
        let span = relation.span;
        let plan = self.relation(input)?;
        let schema = plan.schema().clone();
        let key_names: Vec<String> = (0..keys.len()).map(|i| format!("__key{i}")).collect();
        let output_names: Vec<String> = (0..outputs.len()).map(|i| format!("__out{i}")).collect();
        let mut staged = Vec::new();
        for (key, name) in keys.iter().zip(&key_names) {
            staged.push(self.expr(key, &schema)?.alias(name));
        }
        staged.push(self.expr(by, &schema)?.alias("__by"));
        for (output, name) in outputs.iter().zip(&output_names) {
            staged.push(self.expr(output, &schema)?.alias(name));
        }
        let rank = row_number()
            .partition_by(key_names.iter().map(|n| column(n)).collect())
            .order_by(vec![column("__by").sort(!max, false)])
            .build()
            .map_err(|e| plan_error(e, span))?
            .alias("__rank");
        let names = relation.columns.iter().map(|c| c.name.as_str());
        let finals: Vec<Expr> = key_names
            .iter()
            .chain(&output_names)
            .zip(names)
            .map(|(staged, name)| column(staged).alias(name))
            .collect();
        if finals.len() != relation.columns.len() {
            return Err(Diagnostic::internal("arg_max columns do not line up", span));
        }
        build(plan, span, |b| {
            b.project(staged)?
                .window(vec![rank])?
                .filter(column("__rank").eq(lit(1u64)))?
                .project(finals)
        })
    }
}
