//! Lowers a bound KQL query to a DataFusion `LogicalPlan`.
//!
//! One file per construct under [`operators`] and [`expr`]. Kusto semantics are kept with standard
//! plan nodes wherever one can express them, so a distributed executor can rebuild plans; the two
//! custom nodes (`scan` and `mv-expand`'s chunks, see [`nodes`]) are planned by [`KqlQueryPlanner`].
//! Kusto functions are referenced as the `kql_*` UDFs of `kql-functions`, by name.

pub mod context;
mod expr;
mod nodes;
mod operators;

use datafusion::common::{Column as DFColumn, DataFusionError};
use datafusion::logical_expr::{Expr, ExprSchemable, LogicalPlan, LogicalPlanBuilder, cast};
use datafusion::prelude::SessionContext;
use kql_binder::BoundQuery;
use kql_binder::catalog::Column;
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::INGESTION_TIME_COLUMN;

pub use context::{ExternalDataRequest, PlanContext};
pub use nodes::{
    ExpandChunksExec, KqlQueryPlanner, ScanExec, ScanProgram, StateColumn, StepExpr, StepProgram,
};

/// Plans a bound query. The plan's output columns are the query's columns, in order, with the Arrow
/// types `kql-types` fixes.
pub fn plan(query: &BoundQuery, ctx: &dyn PlanContext) -> Result<LogicalPlan, Vec<Diagnostic>> {
    let planner = Planner::new(ctx);
    let plan = planner.relation(&query.root).map_err(|d| vec![d])?;
    conform(plan, query.columns(), query.root.span).map_err(|d| vec![d])
}

/// Registers every Kusto function with a session, so plans that name them can run.
pub fn register_functions(ctx: &SessionContext) {
    kql_functions::register_all(ctx);
}

type PResult<T> = Result<T, Diagnostic>;

pub(crate) struct Planner<'a> {
    ctx: &'a dyn PlanContext,
}

impl<'a> Planner<'a> {
    fn new(ctx: &'a dyn PlanContext) -> Planner<'a> {
        Planner { ctx }
    }
}

/// An error lowering a function call: what `kql-functions` does not implement yet (`NotImplemented`)
/// is refused as such, anything else is a planning error.
pub(crate) fn function_error(error: DataFusionError, span: Span) -> Diagnostic {
    match error {
        DataFusionError::NotImplemented(what) => Diagnostic::not_supported(what, span),
        other => plan_error(other, span),
    }
}

/// A DataFusion error while planning, pointed at the construct being planned.
pub(crate) fn plan_error(error: DataFusionError, span: Span) -> Diagnostic {
    Diagnostic::new(
        DiagnosticKind::Semantic,
        format!("cannot plan this query: {error}"),
        span,
    )
}

/// A column reference by exact name (no parsing of dots or quotes).
pub(crate) fn column(name: &str) -> Expr {
    Expr::Column(DFColumn::from_name(name))
}

/// Projects a plan onto exactly `columns`: their names, in order, cast to their Arrow types. A plan
/// that already conforms is returned unchanged. The hidden [`INGESTION_TIME_COLUMN`] is dropped.
pub(crate) fn conform(plan: LogicalPlan, columns: &[Column], span: Span) -> PResult<LogicalPlan> {
    conform_rows(plan, columns, false, span)
}

/// [`conform`], keeping the hidden [`INGESTION_TIME_COLUMN`] as the last column when `keep_ingestion`
/// and the plan has it (row-preserving operators over a table: `ingestion_time()` reads it).
pub(crate) fn conform_rows(
    plan: LogicalPlan,
    columns: &[Column],
    keep_ingestion: bool,
    span: Span,
) -> PResult<LogicalPlan> {
    let schema = plan.schema().clone();
    let visible: Vec<_> = schema
        .iter()
        .filter(|(_, field)| field.name() != INGESTION_TIME_COLUMN)
        .collect();
    if visible.len() != columns.len() {
        return Err(Diagnostic::internal(
            format!(
                "the plan has {} columns where {} were bound",
                visible.len(),
                columns.len()
            ),
            span,
        ));
    }
    let hidden = schema
        .iter()
        .find(|(_, field)| field.name() == INGESTION_TIME_COLUMN)
        .filter(|_| keep_ingestion);
    let conforms = visible.iter().zip(columns).all(|((_, field), column)| {
        field.name() == &column.name && field.data_type() == &column.ty.arrow_type()
    }) && schema.fields().len() == columns.len() + usize::from(hidden.is_some());
    if conforms {
        return Ok(plan);
    }
    let mut exprs = visible
        .into_iter()
        .zip(columns)
        .map(|((qualifier, field), column)| {
            let source = Expr::Column(DFColumn::new(qualifier.cloned(), field.name()));
            let expr = if field.data_type() == &column.ty.arrow_type() {
                source
            } else {
                cast(source, column.ty.arrow_type())
            };
            expr.alias(&column.name)
        })
        .collect::<Vec<_>>();
    if let Some((qualifier, field)) = hidden {
        exprs
            .push(Expr::Column(DFColumn::new(qualifier.cloned(), field.name())).alias(INGESTION_TIME_COLUMN));
    }
    LogicalPlanBuilder::from(plan)
        .project(exprs)
        .and_then(|b| b.build())
        .map_err(|e| plan_error(e, span))
}

/// The hidden ingestion-time column of a plan's rows, when it has one (see [`conform_rows`]).
pub(crate) fn ingestion_time_column(schema: &datafusion::common::DFSchema) -> Option<Expr> {
    schema
        .iter()
        .find(|(_, field)| field.name() == INGESTION_TIME_COLUMN)
        .map(|(qualifier, field)| Expr::Column(DFColumn::new(qualifier.cloned(), field.name())))
}

/// Casts an expression to a type when its type (in `schema`) differs.
pub(crate) fn cast_to(
    expr: Expr,
    target: &datafusion::arrow::datatypes::DataType,
    schema: &datafusion::common::DFSchema,
) -> Expr {
    match expr.get_type(schema) {
        Ok(actual) if &actual == target => expr,
        _ => cast(expr, target.clone()),
    }
}
