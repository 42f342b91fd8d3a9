//! `summarize` as an aggregate, and `arg_max`/`arg_min` as "first row per group" via `row_number()`.

use datafusion::common::DFSchema;
use datafusion::functions_window::expr_fn::row_number;
use datafusion::logical_expr::{Expr, ExprFunctionExt, LogicalPlan, lit};
use kql_binder::bound::{AggregateCall, BoundExpr, Relation};
use kql_functions::registry;
use kql_syntax::Diagnostic;
use kql_types::KustoType;

use super::build;
use crate::expr::functions::refuse_decimal_arguments;
use crate::{PResult, Planner, column, function_error, plan_error};

impl Planner<'_> {
    pub(crate) fn summarize(
        &self,
        relation: &Relation,
        input: &Relation,
        keys: &[BoundExpr],
        aggregates: &[AggregateCall],
    ) -> PResult<LogicalPlan> {
        // The input's rows keep their ingestion time for aggregates of `ingestion_time()`.
        let plan = self.rows(input)?;
        let (groups, aggregates) = self.summary(relation, keys, aggregates, plan.schema())?;
        build(plan, relation.span, |b| b.aggregate(groups, aggregates))
    }

    /// The named group expressions and aggregate expressions of a `summarize` over `schema`.
    pub(crate) fn summary(
        &self,
        relation: &Relation,
        keys: &[BoundExpr],
        aggregates: &[AggregateCall],
        schema: &DFSchema,
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
            .map(|(call, name)| Ok(self.aggregate(call, schema)?.alias(name)))
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
