//! Sources: tables, `externaldata`, literal rows (`datatable`, `getschema`) and `range`.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Schema};
use datafusion::common::{Column as DFColumn, DFSchema};
use datafusion::datasource::{MemTable, provider_as_source};
use datafusion::functions::expr_fn::coalesce;
use datafusion::functions_nested::expr_fn::gen_series;
use datafusion::logical_expr::{Expr, LogicalPlan, LogicalPlanBuilder, cast, lit};
use kql_binder::bound::{BoundExpr, Relation, Value};
use kql_syntax::{Diagnostic, Span};
use kql_types::KustoType;

use super::build;
use crate::expr::scalar_value;
use crate::{ExternalDataRequest, PResult, Planner, column, plan_error};

fn arrow_schema(relation: &Relation) -> Schema {
    Schema::new(
        relation
            .columns
            .iter()
            .map(|c| c.ty.field(&c.name))
            .collect::<Vec<_>>(),
    )
}

impl Planner<'_> {
    pub(crate) fn table(&self, name: &str, span: Span) -> PResult<LogicalPlan> {
        let source = self.ctx.table_source(name).map_err(|e| plan_error(e, span))?;
        LogicalPlanBuilder::scan(name, source, None)
            .and_then(|b| b.build())
            .map_err(|e| plan_error(e, span))
    }

    /// `externaldata`: the engine supplies the rows; empty string fields read as "" (never null).
    pub(crate) fn external_data(
        &self,
        relation: &Relation,
        uris: &[String],
        options: &[(String, String)],
    ) -> PResult<LogicalPlan> {
        let span = relation.span;
        let request = ExternalDataRequest {
            columns: relation.columns.clone(),
            uris: uris.to_vec(),
            options: options.to_vec(),
        };
        let batches = self
            .ctx
            .external_data(&request)
            .map_err(|e| plan_error(e, span))?;
        let schema = batches
            .first()
            .map_or_else(|| Arc::new(arrow_schema(relation)), |b| b.schema());
        let table = MemTable::try_new(schema, vec![batches]).map_err(|e| plan_error(e, span))?;
        let plan = LogicalPlanBuilder::scan("externaldata", provider_as_source(Arc::new(table)), None)
            .and_then(|b| b.build())
            .map_err(|e| plan_error(e, span))?;
        let exprs: Vec<Expr> = plan
            .schema()
            .iter()
            .zip(&relation.columns)
            .map(|((qualifier, field), c)| {
                let source = Expr::Column(DFColumn::new(qualifier.cloned(), field.name()));
                match c.ty {
                    KustoType::String => coalesce(vec![source, lit("")]).alias(&c.name),
                    _ => source.alias(&c.name),
                }
            })
            .collect();
        build(plan, span, |b| b.project(exprs))
    }

    pub(crate) fn values(&self, relation: &Relation, rows: &[Vec<Value>]) -> PResult<LogicalPlan> {
        let span = relation.span;
        let schema = DFSchema::try_from(arrow_schema(relation)).map_err(|e| plan_error(e, span))?;
        if rows.is_empty() || relation.columns.is_empty() {
            // No rows: one empty row, filtered away, with typed nulls for the columns.
            let nulls = relation
                .columns
                .iter()
                .map(|c| Ok(lit(scalar_value(&Value::Null(c.ty), span)?).alias(&c.name)))
                .collect::<PResult<Vec<_>>>()?;
            let keep = !rows.is_empty();
            return build(
                LogicalPlanBuilder::empty(true)
                    .build()
                    .map_err(|e| plan_error(e, span))?,
                span,
                |b| b.project(nulls)?.limit(0, Some(usize::from(keep))),
            );
        }
        let exprs = rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|v| Ok(lit(scalar_value(v, span)?)))
                    .collect::<PResult<Vec<_>>>()
            })
            .collect::<PResult<Vec<_>>>()?;
        LogicalPlanBuilder::values_with_schema(exprs, &Arc::new(schema))
            .and_then(|b| b.build())
            .map_err(|e| plan_error(e, span))
    }

    /// `range`: a generated series, unnested into rows. Datetimes and timespans step on nanoseconds.
    pub(crate) fn range(
        &self,
        relation: &Relation,
        from: &BoundExpr,
        to: &BoundExpr,
        step: &BoundExpr,
    ) -> PResult<LogicalPlan> {
        let span = relation.span;
        let Some(output) = relation.columns.first() else {
            return Err(Diagnostic::not_supported("range without a column", span));
        };
        if !matches!(
            output.ty,
            KustoType::Long | KustoType::DateTime | KustoType::TimeSpan
        ) {
            return Err(Diagnostic::not_supported(
                format!("range over {} values", output.ty),
                span,
            ));
        }
        let single = LogicalPlanBuilder::empty(true)
            .build()
            .map_err(|e| plan_error(e, span))?;
        let schema = single.schema().clone();
        let nanos = |e: &BoundExpr| -> PResult<Expr> { Ok(cast(self.expr(e, &schema)?, DataType::Int64)) };
        let series = gen_series(nanos(from)?, nanos(to)?, nanos(step)?).alias(&output.name);
        let name = output.name.clone();
        let ty = output.ty.arrow_type();
        build(single, span, |b| {
            b.project(vec![series])?
                .unnest_column(DFColumn::from_name(&name))?
                .project(vec![cast(column(&name), ty).alias(&name)])
        })
    }
}
