//! `summarize` as an aggregate, and `arg_max`/`arg_min` as "first row per group" via `row_number()`.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::DFSchema;
use datafusion::functions_aggregate::expr_fn::{
    avg, bit_and, bit_or, bit_xor, count, count_distinct, first_value, max, min, stddev, stddev_pop, sum,
    var_pop, var_sample,
};
use datafusion::functions_window::expr_fn::row_number;
use datafusion::logical_expr::{Expr, ExprFunctionExt, LogicalPlan, cast, lit};
use kql_binder::bound::{AggregateCall, BoundExpr, Relation};
use kql_syntax::{Diagnostic, DiagnosticKind};

use super::build;
use crate::{PResult, Planner, column, plan_error};

impl Planner<'_> {
    pub(crate) fn summarize(
        &self,
        relation: &Relation,
        input: &Relation,
        keys: &[BoundExpr],
        aggregates: &[AggregateCall],
    ) -> PResult<LogicalPlan> {
        let plan = self.relation(input)?;
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

    pub(crate) fn aggregate(&self, call: &AggregateCall, schema: &DFSchema) -> PResult<Expr> {
        let span = call.span;
        let args = call
            .args
            .iter()
            .map(|a| self.expr(a, schema))
            .collect::<PResult<Vec<_>>>()?;
        let filtered = |aggregate: Expr, predicate: &Expr| {
            aggregate
                .filter(predicate.clone())
                .build()
                .map_err(|e| plan_error(e, span))
        };
        // A Kusto UDAF, where kql-functions has one, keeps Kusto's semantics exactly; the `_if`
        // forms are the same function over the rows that pass the predicate.
        // The predicate follows the value (`sumif(x, p)`, `make_set_if(x, p, max)`), or the two
        // values of `covarianceif(x, y, p)`.
        let predicate_index = if call.function == "covarianceif" { 2 } else { 1 };
        let (base, predicate) = match call.function.strip_suffix("if") {
            Some(base) if call.function != "dcountif" && call.function != "countif" => {
                (base.trim_end_matches('_'), args.get(predicate_index).cloned())
            }
            _ => (call.function.as_str(), None),
        };
        let dynamic_input = call
            .args
            .first()
            .is_some_and(|a| a.ty == kql_types::KustoType::Dynamic);
        let udaf = (dynamic_input
            .then(|| self.aggregate_udf(&format!("{base}_dynamic")))
            .flatten())
        .or_else(|| self.aggregate_udf(base));
        if let Some(udaf) = udaf {
            let mut inputs = args.clone();
            if predicate.is_some() {
                inputs.remove(predicate_index);
            }
            let aggregate = udaf.call(inputs);
            return match &predicate {
                Some(p) => filtered(aggregate, p),
                None => Ok(aggregate),
            };
        }
        let expr = match (call.function.as_str(), args.as_slice()) {
            ("count", []) => count(lit(1)),
            // Kusto's count(x) counts rows, null x included (as the emulator shows).
            ("count", [_]) => count(lit(1)),
            ("countif", [p]) => filtered(count(lit(1)), p)?,
            ("dcount", [x, ..]) => count_distinct(x.clone()),
            ("dcountif", [x, p, ..]) => filtered(count_distinct(x.clone()), p)?,
            ("sum", [x]) => sum(x.clone()),
            ("sumif", [x, p]) => filtered(sum(x.clone()), p)?,
            ("avg", [x]) => avg(x.clone()),
            ("avgif", [x, p]) => filtered(avg(x.clone()), p)?,
            ("min", [x]) => min(x.clone()),
            ("max", [x]) => max(x.clone()),
            ("minif", [x, p]) => filtered(min(x.clone()), p)?,
            ("maxif", [x, p]) => filtered(max(x.clone()), p)?,
            ("take_any" | "any", [x]) => first_value(x.clone(), vec![]),
            ("stdev", [x]) => stddev(x.clone()),
            ("stdevp", [x]) => stddev_pop(x.clone()),
            ("variance", [x]) => var_sample(x.clone()),
            ("variancep", [x]) => var_pop(x.clone()),
            ("binary_all_and", [x]) => bit_and(cast(x.clone(), DataType::Int64)),
            ("binary_all_or", [x]) => bit_or(cast(x.clone(), DataType::Int64)),
            ("binary_all_xor", [x]) => bit_xor(cast(x.clone(), DataType::Int64)),
            (other, _) => return Err(Diagnostic::not_supported(format!("function `{other}`"), span)),
        };
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
            return Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                "internal: arg_max columns do not line up",
                span,
            ));
        }
        build(plan, span, |b| {
            b.project(staged)?
                .window(vec![rank])?
                .filter(column("__rank").eq(lit(1u64)))?
                .project(finals)
        })
    }
}
