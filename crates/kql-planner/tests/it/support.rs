//! A test `PlanContext` over in-memory tables, and helpers that run a query and render its rows.

use std::collections::BTreeMap;
use std::sync::Arc;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::Schema;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use datafusion::catalog::TableProvider;
use datafusion::datasource::{MemTable, provider_as_source};
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::SessionStateBuilder;
use datafusion::logical_expr::TableSource;
use datafusion::prelude::SessionContext;
use kql_binder::catalog::{Catalog, Column};
use kql_binder::{BindOptions, BoundQuery, bind};
use kql_planner::{ExternalDataRequest, KqlQueryPlanner, PlanContext, plan, register_functions};
use kql_syntax::Diagnostic;
use kql_types::signature::Signature;

/// A query result: column names, then rows of cells as text.
pub type Output = (Vec<String>, Vec<Vec<String>>);

/// Fixed `now()` for every test: 2024-01-10T12:00:00Z.
pub const NOW: i64 = 1_704_888_000_000_000_000;

/// Tables (name, Kusto columns, rows as one batch) and `externaldata` contents, all in memory.
#[derive(Default)]
pub struct Fixture {
    tables: BTreeMap<String, (Vec<Column>, Arc<MemTable>)>,
    external: Vec<RecordBatch>,
}

impl Fixture {
    pub fn table(mut self, name: &str, columns: Vec<Column>, batch: RecordBatch) -> Fixture {
        let table = MemTable::try_new(batch.schema(), vec![vec![batch]]).expect("mem table");
        self.tables.insert(name.to_string(), (columns, Arc::new(table)));
        self
    }

    pub fn external(mut self, batch: RecordBatch) -> Fixture {
        self.external = vec![batch];
        self
    }

    /// Runs a query and returns its column names and rows (cells as text, `null` for nulls).
    pub fn run(&self, text: &str) -> Result<Output, Vec<Diagnostic>> {
        let (bound, batches) = self.execute(text)?;
        let names = bound.columns().iter().map(|c| c.name.clone()).collect();
        Ok((names, render(&batches)))
    }

    /// The logical plan of a query, as DataFusion displays it.
    pub fn plan_text(&self, text: &str) -> Result<String, Vec<Diagnostic>> {
        let query = kql_syntax::parse(text)?;
        let bound = bind(&query, self, &BindOptions { now: NOW })?;
        Ok(plan(&bound, self)?.display_indent().to_string())
    }

    fn execute(&self, text: &str) -> Result<(BoundQuery, Vec<RecordBatch>), Vec<Diagnostic>> {
        let query = kql_syntax::parse(text)?;
        let bound = bind(&query, self, &BindOptions { now: NOW })?;
        let plan = plan(&bound, self)?;
        // Sessions running KQL plans plan torhunt's custom nodes (mv-expand's chunks, scan).
        let state = SessionStateBuilder::new()
            .with_default_features()
            .with_query_planner(Arc::new(KqlQueryPlanner))
            .build();
        let session = SessionContext::new_with_state(state);
        register_functions(&session);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let batches = runtime
            .block_on(async { session.execute_logical_plan(plan).await?.collect().await })
            .map_err(|e| {
                vec![Diagnostic::new(
                    kql_syntax::DiagnosticKind::Execution,
                    e.to_string(),
                    query.span,
                )]
            })?;
        Ok((bound, batches))
    }

    /// Runs a query that must succeed; returns its rows.
    pub fn rows(&self, text: &str) -> Vec<Vec<String>> {
        match self.run(text) {
            Ok((_, rows)) => rows,
            Err(diagnostics) => panic!("{text}\n{diagnostics:#?}"),
        }
    }

    /// The rows, sorted, for results whose order Kusto leaves open.
    pub fn sorted_rows(&self, text: &str) -> Vec<Vec<String>> {
        let mut rows = self.rows(text);
        rows.sort();
        rows
    }
}

fn render(batches: &[RecordBatch]) -> Vec<Vec<String>> {
    let options = FormatOptions::default().with_null("null");
    let mut rows = Vec::new();
    for batch in batches {
        let formatters: Vec<ArrayFormatter> = batch
            .columns()
            .iter()
            .map(|array| ArrayFormatter::try_new(array.as_ref(), &options).expect("formatter"))
            .collect();
        for row in 0..batch.num_rows() {
            rows.push(formatters.iter().map(|f| f.value(row).to_string()).collect());
        }
    }
    rows
}

impl Catalog for Fixture {
    fn function(&self, name: &str) -> Option<Signature> {
        kql_functions::registry().signature(name)
    }

    fn function_names(&self) -> Vec<&'static str> {
        kql_functions::registry().names().collect()
    }

    fn table_schema(&self, name: &str) -> Option<Vec<Column>> {
        self.tables.get(name).map(|(columns, _)| columns.clone())
    }

    fn table_names(&self) -> Vec<String> {
        self.tables.keys().cloned().collect()
    }
}

impl PlanContext for Fixture {
    fn table_source(&self, name: &str) -> Result<Arc<dyn TableSource>> {
        let (_, table) = self
            .tables
            .get(name)
            .ok_or_else(|| DataFusionError::Plan(format!("no table {name}")))?;
        Ok(provider_as_source(table.clone() as Arc<dyn TableProvider>))
    }

    fn external_data(&self, request: &ExternalDataRequest) -> Result<Vec<RecordBatch>> {
        let expected = Schema::new(
            request
                .columns
                .iter()
                .map(|c| c.ty.field(&c.name))
                .collect::<Vec<_>>(),
        );
        match self.external.first() {
            Some(batch) if batch.schema().fields().len() == expected.fields().len() => {
                Ok(self.external.clone())
            }
            _ => Err(DataFusionError::Plan(
                "the fixture has no externaldata of that shape".into(),
            )),
        }
    }
}

/// `["a", "b"]` as owned strings, for row expectations.
#[macro_export]
macro_rules! row {
    ($($cell:expr),* $(,)?) => { vec![$($cell.to_string()),*] };
}

/// A batch from text cells, typed by Kusto column types (`""` in a non-string column is null).
pub fn batch(columns: &[Column], rows: &[&[&str]]) -> RecordBatch {
    use datafusion::arrow::array::{
        ArrayRef, BooleanArray, Int32Array, Int64Array, StringArray, TimestampNanosecondArray,
    };
    use kql_types::KustoType;
    let schema = Arc::new(Schema::new(
        columns.iter().map(|c| c.ty.field(&c.name)).collect::<Vec<_>>(),
    ));
    let arrays: Vec<ArrayRef> = columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            let cells = rows.iter().map(|row| row[i]);
            let present = |cell: &str| (!cell.is_empty()).then(|| cell.to_string());
            let array: ArrayRef = match column.ty {
                KustoType::Int => Arc::new(
                    cells
                        .map(|c| present(c).map(|v| v.parse::<i32>().expect("int")))
                        .collect::<Int32Array>(),
                ),
                KustoType::Long => Arc::new(
                    cells
                        .map(|c| present(c).map(|v| v.parse::<i64>().expect("long")))
                        .collect::<Int64Array>(),
                ),
                KustoType::Bool => Arc::new(
                    cells
                        .map(|c| present(c).map(|v| v == "true"))
                        .collect::<BooleanArray>(),
                ),
                KustoType::DateTime => Arc::new(
                    cells
                        .map(|c| present(c).map(|v| kql_types::time::parse_datetime(&v).expect("datetime")))
                        .collect::<TimestampNanosecondArray>(),
                ),
                _ => Arc::new(cells.map(Some).collect::<StringArray>()),
            };
            array
        })
        .collect();
    RecordBatch::try_new(schema, arrays).expect("batch")
}

/// Columns from `Name:type` specs.
pub fn columns(specs: &[&str]) -> Vec<Column> {
    specs
        .iter()
        .map(|spec| {
            let (name, ty) = spec.split_once(':').expect("Name:type");
            Column::new(name, kql_types::KustoType::from_name(ty).expect("type"))
        })
        .collect()
}
