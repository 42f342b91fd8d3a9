//! Sources: tables, `externaldata`, literal rows (`datatable`, `getschema`) and `range`.

use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::{Column as DFColumn, DFSchema, ScalarValue};
use datafusion::datasource::{MemTable, provider_as_source};
use datafusion::functions::expr_fn::coalesce;
use datafusion::functions_nested::expr_fn::gen_series;
use datafusion::functions_table::generate_series::{GenSeriesArgs, GenerateSeriesTable};
use datafusion::logical_expr::simplify::SimplifyContext;
use datafusion::logical_expr::{Expr, LogicalPlan, LogicalPlanBuilder, TableType, cast, lit};
use datafusion::optimizer::simplify_expressions::ExprSimplifier;
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_expr::expressions::Column as PhysicalColumn;
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::projection::ProjectionExec;
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

    /// `range`: a generated series. Datetimes and timespans step on nanoseconds. Constant bounds (what
    /// Kusto requires, and every query in practice) stream the series batch by batch, so `range` of
    /// any length costs one batch of memory; other bounds build the series as one list, unnested.
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
        let (from, to, step) = (nanos(from)?, nanos(to)?, nanos(step)?);
        let name = output.name.clone();
        let ty = output.ty.arrow_type();
        if let Some(series) = constant_series(&from, &to, &step) {
            let source = provider_as_source(Arc::new(WholeSeries(series)));
            return LogicalPlanBuilder::scan("range", source, None)
                .and_then(|b| b.project(vec![cast(column(SERIES_COLUMN), ty).alias(&name)]))
                .and_then(|b| b.build())
                .map_err(|e| plan_error(e, span));
        }
        let series = gen_series(from, to, step).alias(&name);
        build(single, span, |b| {
            b.project(vec![series])?
                .unnest_column(DFColumn::from_name(&name))?
                .project(vec![cast(column(&name), ty).alias(&name)])
        })
    }
}

/// The column DataFusion's series table produces.
const SERIES_COLUMN: &str = "value";

/// A table streaming `from..=to` by `step` when the three fold to constants (a null one makes it
/// empty, as with Kusto); `None` when they do not fold, or the step is zero (left to the list path,
/// which reports it).
fn constant_series(from: &Expr, to: &Expr, step: &Expr) -> Option<GenerateSeriesTable> {
    let fold = |expr: &Expr| match ExprSimplifier::new(SimplifyContext::default()).simplify(expr.clone()) {
        Ok(Expr::Literal(ScalarValue::Int64(value), _)) => Some(value),
        Ok(Expr::Literal(ScalarValue::Null, _)) => Some(None),
        _ => None,
    };
    let (from, to, step) = (fold(from)?, fold(to)?, fold(step)?);
    let schema = Arc::new(Schema::new(vec![Field::new(
        SERIES_COLUMN,
        DataType::Int64,
        false,
    )]));
    let args = match (from, to, step) {
        (_, _, Some(0)) => return None,
        (Some(start), Some(end), Some(step)) => GenSeriesArgs::Int64Args {
            start,
            end,
            step,
            include_end: true,
            name: "range",
        },
        _ => GenSeriesArgs::ContainsNull { name: "range" },
    };
    Some(GenerateSeriesTable::new(schema, args))
}

/// DataFusion's series table, scanned whole: the columns a query leaves out (`range ... | count` reads
/// none) are projected away above the series rather than inside it. A series scanned with a projection
/// does not survive datafusion-proto 55 (it is decoded with every column under the projected schema, and
/// fails on its first batch), and a cluster runs plans decoded from it.
#[derive(Debug)]
struct WholeSeries(GenerateSeriesTable);

#[async_trait]
impl TableProvider for WholeSeries {
    fn schema(&self) -> SchemaRef {
        self.0.schema()
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> datafusion::error::Result<Arc<dyn ExecutionPlan>> {
        let series = self.0.scan(state, None, filters, limit).await?;
        let Some(columns) = projection else {
            return Ok(series);
        };
        let schema = series.schema();
        let kept = columns.iter().map(|&index| {
            let name = schema.field(index).name().clone();
            (
                Arc::new(PhysicalColumn::new(&name, index)) as Arc<dyn PhysicalExpr>,
                name,
            )
        });
        Ok(Arc::new(ProjectionExec::try_new(kept, series)?))
    }
}
