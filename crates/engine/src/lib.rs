//! Runs KQL on DataFusion.
//!
//! The one place where the stages meet: text is parsed (`kql-syntax`), bound against the registered
//! tables (`kql-binder`), lowered to a DataFusion `LogicalPlan` (`kql-planner`) and executed on a
//! `SessionContext` with the Kusto functions registered by name (`kql-functions`). Results keep their
//! Kusto column types so printers can show values as Kusto does.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::{Duration, Instant};

use datafusion::arrow::array::AsArray;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::catalog::TableProvider;
use datafusion::datasource::provider_as_source;
use datafusion::error::DataFusionError;
use datafusion::execution::SendableRecordBatchStream;
use datafusion::execution::SessionStateBuilder;
use datafusion::execution::disk_manager::{DiskManagerBuilder, DiskManagerMode};
use datafusion::execution::memory_pool::{MemoryConsumer, TrackConsumersPool};
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::logical_expr::{LogicalPlan, ScalarUDF, TableSource};
use datafusion::physical_plan::{ExecutionPlan, displayable};
use datafusion::prelude::{SessionConfig, SessionContext};
use futures::StreamExt;
use futures::future::BoxFuture;
use kql_binder::BoundQuery;
use kql_binder::bound::Relation;
use kql_binder::catalog::{Catalog, Column};
use kql_functions::ip::geo_info_from_ip_address::{GeoInfoFromIpAddress, GeoIpDatabase};
use kql_planner::context::{ExternalDataRequest, PlanContext};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::signature::Signature;

mod deadline;
pub mod external;
mod memory_pool;
pub mod output;

pub use external::{ExternalData, NetworkAccess, UrlContent};
pub use kql_binder::catalog::Column as ResultColumn;

/// How a query session runs.
#[derive(Debug, Clone, Default)]
pub struct EngineConfig {
    /// Parallelism (DataFusion target partitions); `None` uses every core.
    pub threads: Option<usize>,
    /// A cap on the memory DataFusion's operators may reserve, in bytes; `None` is unbounded.
    pub memory_limit: Option<usize>,
    /// The instant `now()` and `ago()` refer to, in nanoseconds since the Unix epoch; `None` is the
    /// wall clock when each query starts. Fixing it makes hunts over old exports reproducible.
    pub now: Option<i64>,
    /// Where operators spill to disk when memory runs short; `None` is a folder in the system's
    /// temporary folder that DataFusion creates and removes. Naming one lets the caller remove it on
    /// every exit path, signals included.
    pub spill_dir: Option<std::path::PathBuf>,
    /// How long queries may run, counted from `started` (one budget for a whole command: reading,
    /// every rule of a hunt); `None` is unbounded. A query still running then, or starting after,
    /// fails with a timeout error.
    pub timeout: Option<Duration>,
    /// When the `timeout` budget started (a command's start); `None` is the engine's creation.
    pub started: Option<Instant>,
}

/// A table the engine can query: a DataFusion provider and its Kusto schema.
#[derive(Clone)]
pub struct RegisteredTable {
    pub provider: Arc<dyn TableProvider>,
    pub columns: Vec<Column>,
}

/// A KQL query engine over a set of registered tables. A clone shares the session (its functions,
/// configuration and memory pool) and has its own list of tables, so a caller can query some tables
/// replaced (a hunt bounds each rule's data to its window) without changing the original.
#[derive(Clone)]
pub struct Engine {
    ctx: SessionContext,
    tables: BTreeMap<String, RegisteredTable>,
    /// Registered tables with no telemetry behind them (catalog tables absent from the data), which
    /// queries see empty.
    without_telemetry: BTreeSet<String>,
    /// Functions beyond Kusto's own (e.g. `tor_relay_at`), by their KQL name: signature and UDF.
    extension_functions: HashMap<&'static str, (Signature, Arc<ScalarUDF>)>,
    external: ExternalData,
    now: Option<i64>,
    /// When queries must be done, and the budget it came from (for the message).
    deadline: Option<(Instant, Duration)>,
    /// Where physical plans run when not here (`torhunt --cluster`).
    runner: Option<Arc<dyn PlanRunner>>,
}

/// Runs physical plans outside this process: a Ballista cluster (`torhunt-cluster`). The engine still
/// parses, binds and plans every query (files are listed and pruned, intel and externaldata read), so
/// the runner gets the plan local execution would run.
pub trait PlanRunner: Send + Sync {
    /// The settings plans for this runner are made with (a cluster turns off what cannot cross its
    /// stage boundaries, such as dynamic filters).
    fn planning_config(&self, config: SessionConfig) -> SessionConfig;

    fn execute(
        &self,
        plan: Arc<dyn ExecutionPlan>,
        config: SessionConfig,
    ) -> BoxFuture<'static, Result<SendableRecordBatchStream, DataFusionError>>;
}

/// A query's result: Kusto-typed columns and the record batches holding the rows.
#[derive(Debug, Clone)]
pub struct QueryResult {
    pub columns: Vec<Column>,
    pub batches: Vec<RecordBatch>,
}

impl QueryResult {
    pub fn row_count(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }
}

/// Why a query did not run: diagnostics pointing into the query text.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", .diagnostics.first().map(|d| d.message.as_str()).unwrap_or("query failed"))]
pub struct QueryError {
    pub diagnostics: Vec<Diagnostic>,
}

impl QueryError {
    fn timed_out(timeout: Duration, query: &str) -> QueryError {
        let message = deadline::TimedOut(timeout).to_string();
        let whole = Span::new(0, query.trim_end().len());
        QueryError {
            diagnostics: vec![Diagnostic::new(DiagnosticKind::Execution, message, whole)],
        }
    }

    /// The error of a query that failed while running (the whole query is its span).
    pub fn from_execution(error: DataFusionError, query: &str) -> QueryError {
        // Operators wrap the memory pool's refusal (in context, in the shared error of a repartition).
        let message = match error.find_root() {
            DataFusionError::ResourcesExhausted(reason) => {
                format!("the query needs more memory than allowed (--memory-limit): {reason}")
            }
            DataFusionError::External(inner) if inner.is::<deadline::TimedOut>() => inner.to_string(),
            _ => error.to_string(),
        };
        let whole = Span::new(0, query.trim_end().len());
        QueryError {
            diagnostics: vec![Diagnostic::new(DiagnosticKind::Execution, message, whole)],
        }
    }
}

impl Engine {
    pub fn new(config: EngineConfig) -> Result<Engine, DataFusionError> {
        let mut session = SessionConfig::new().with_information_schema(false);
        // A hash join hands its build side's keys to the probe-side scan as `key IN (...)` up to these
        // limits (beyond them, as a hash lookup the scan cannot read); the scan turns the list into
        // needles its prefilter searches for in raw records. A relay list holds about 7,000
        // addresses, so the defaults (150 keys, 128 KiB) are raised.
        let optimizer = &mut session.options_mut().optimizer;
        optimizer.hash_join_inlist_pushdown_max_distinct_values = 20_000;
        optimizer.hash_join_inlist_pushdown_max_size = 4 << 20;
        if let Some(threads) = config.threads {
            session = session.with_target_partitions(threads.max(1));
        }
        let mut runtime = RuntimeEnvBuilder::new();
        if let Some(limit) = config.memory_limit {
            // As `with_memory_limit` builds it (the five largest consumers named when it runs out),
            // around a pool that keeps a share of the limit from operators that can spill.
            runtime = runtime.with_memory_pool(Arc::new(TrackConsumersPool::new(
                memory_pool::SpillHeadroomPool::new(limit),
                NonZeroUsize::new(5).expect("five is not zero"),
            )));
        }
        if let Some(dir) = config.spill_dir {
            runtime = runtime.with_disk_manager_builder(
                DiskManagerBuilder::default().with_mode(DiskManagerMode::Directories(vec![dir])),
            );
        }
        let state = SessionStateBuilder::new()
            .with_config(session)
            .with_runtime_env(runtime.build_arc()?)
            .with_default_features()
            .with_query_planner(Arc::new(kql_planner::KqlQueryPlanner))
            .build();
        let ctx = SessionContext::new_with_state(state);
        kql_planner::register_functions(&ctx);
        Ok(Engine {
            ctx,
            tables: BTreeMap::new(),
            without_telemetry: BTreeSet::new(),
            extension_functions: HashMap::new(),
            external: ExternalData::default(),
            now: config.now,
            deadline: config
                .timeout
                .map(|timeout| (config.started.unwrap_or_else(Instant::now) + timeout, timeout)),
            runner: None,
        })
    }

    /// A clone whose `now()` and `ago()` refer to `now` (nanoseconds since the Unix epoch): `torhunt
    /// watch` runs a rule at the scheduled instants late records belong to.
    pub fn at(&self, now: i64) -> Engine {
        Engine {
            now: Some(now),
            ..self.clone()
        }
    }

    /// Plans queries for `runner` and runs them there from now on (clones made later share it). The
    /// engine gets a session of its own with the runner's settings; earlier clones keep theirs.
    pub fn run_on(&mut self, runner: Arc<dyn PlanRunner>) {
        let state = self.ctx.state();
        let config = runner.planning_config(state.config().clone());
        let state = SessionStateBuilder::new_from_existing(state)
            .with_config(config)
            .build();
        self.ctx = SessionContext::new_with_state(state);
        self.runner = Some(runner);
    }

    /// A logical plan's rows: planned here, run here or on the runner.
    async fn execute(&self, plan: LogicalPlan) -> Result<SendableRecordBatchStream, DataFusionError> {
        let frame = self.ctx.execute_logical_plan(plan).await?;
        match &self.runner {
            None => frame.execute_stream().await,
            Some(runner) => {
                let physical = frame.create_physical_plan().await?;
                runner.execute(physical, self.ctx.copied_config()).await
            }
        }
    }

    /// Makes a table queryable by name; a table of the same name is replaced.
    pub fn register_table(&mut self, name: impl Into<String>, table: RegisteredTable) {
        self.tables.insert(name.into(), table);
    }

    /// Marks a registered table as having no telemetry behind it: queries see it empty, and callers
    /// can say so (`query` warns, `hunt` skips rules that have nothing else to read).
    pub fn mark_without_telemetry(&mut self, name: impl Into<String>) {
        self.without_telemetry.insert(name.into());
    }

    /// Whether a table is registered with telemetry behind it.
    pub fn has_telemetry(&self, name: &str) -> bool {
        self.tables.contains_key(name) && !self.without_telemetry.contains(name)
    }

    pub fn tables(&self) -> impl Iterator<Item = (&str, &RegisteredTable)> {
        self.tables.iter().map(|(name, table)| (name.as_str(), table))
    }

    /// Where `externaldata` finds its content.
    pub fn external_data(&self) -> &ExternalData {
        &self.external
    }

    /// Where `externaldata` finds its content, to add mappings and permissions.
    pub fn external_data_mut(&mut self) -> &mut ExternalData {
        &mut self.external
    }

    /// Makes a torhunt extension function callable from KQL by its signature's name: the binder checks
    /// calls against `signature`, the planner calls `udf`. Registered on the session too, so executors
    /// find it by name.
    pub fn register_function(&mut self, signature: Signature, udf: ScalarUDF) {
        let udf = Arc::new(udf);
        self.ctx.register_udf(udf.as_ref().clone());
        self.extension_functions.insert(signature.name, (signature, udf));
    }

    /// Makes `geo_info_from_ip_address` answer from a MaxMind-format location database (GeoLite2-City,
    /// DB-IP City Lite); the error names the file and the reason.
    pub fn load_geoip(&mut self, path: &std::path::Path) -> Result<(), String> {
        let database = GeoIpDatabase::open(path)?;
        self.register_function(
            GeoInfoFromIpAddress::SIGNATURE,
            GeoInfoFromIpAddress::udf(Arc::new(database)),
        );
        Ok(())
    }

    /// The DataFusion session the queries run on.
    pub fn session(&self) -> &SessionContext {
        &self.ctx
    }

    /// Parses, binds and plans a query without running it.
    pub fn plan(&self, query: &str) -> Result<(Vec<Column>, LogicalPlan), QueryError> {
        let ast = kql_syntax::parse(query).map_err(|diagnostics| QueryError { diagnostics })?;
        let options = kql_binder::BindOptions {
            now: self.now.unwrap_or_else(wall_clock_nanos),
        };
        let bound =
            kql_binder::bind(&ast, self, &options).map_err(|diagnostics| QueryError { diagnostics })?;
        let plan = kql_planner::plan(&bound, self).map_err(|diagnostics| QueryError { diagnostics })?;
        Ok((bound.columns().to_vec(), plan))
    }

    /// Runs a query and collects every row.
    pub async fn query(&self, query: &str) -> Result<QueryResult, QueryError> {
        let run = async {
            let (columns, plan) = self.plan(query)?;
            let batches = self
                .collect_in_pool(plan)
                .await
                .map_err(|e| QueryError::from_execution(e, query))?;
            Ok(QueryResult { columns, batches })
        };
        self.check_deadline(query)?;
        match self.deadline {
            Some((deadline, timeout)) => tokio::time::timeout_at(deadline.into(), run)
                .await
                .unwrap_or_else(|_| Err(QueryError::timed_out(timeout, query))),
            None => run.await,
        }
    }

    /// A query starting after the deadline fails at once: one that would finish in its first poll
    /// would otherwise still run (a timeout checks its future before its clock).
    fn check_deadline(&self, query: &str) -> Result<(), QueryError> {
        match self.deadline {
            Some((deadline, timeout)) if Instant::now() >= deadline => {
                Err(QueryError::timed_out(timeout, query))
            }
            _ => Ok(()),
        }
    }

    /// The physical plan a query would run, indented one node per line (each scan with its files,
    /// prefilter and join filters), without running it.
    pub async fn explain(&self, query: &str) -> Result<String, QueryError> {
        let (_, plan) = self.plan(query)?;
        let physical = self
            .ctx
            .state()
            .create_physical_plan(&plan)
            .await
            .map_err(|e| QueryError::from_execution(e, query))?;
        Ok(displayable(physical.as_ref()).indent(true).to_string())
    }

    /// A query's batches, held in the memory pool while they are collected: a result larger than
    /// `memory_limit` fails the query like any operator would, instead of taking the machine.
    async fn collect_in_pool(&self, plan: LogicalPlan) -> Result<Vec<RecordBatch>, DataFusionError> {
        let mut stream = self.execute(plan).await?;
        let reservation = MemoryConsumer::new("query result").register(&self.ctx.runtime_env().memory_pool);
        let mut batches = Vec::new();
        while let Some(batch) = stream.next().await {
            let batch = batch?;
            reservation.try_grow(batch.get_array_memory_size())?;
            batches.push(batch);
        }
        Ok(batches)
    }

    /// Runs a query and streams its rows, for results too large to hold. Past the engine's deadline
    /// the stream ends with a timeout error.
    pub async fn query_stream(
        &self,
        query: &str,
    ) -> Result<(Vec<Column>, SendableRecordBatchStream), QueryError> {
        self.check_deadline(query)?;
        let (columns, plan) = self.plan(query)?;
        let stream = self
            .execute(plan)
            .await
            .map_err(|e| QueryError::from_execution(e, query))?;
        let stream = match self.deadline {
            Some((deadline, timeout)) => deadline::with_deadline(stream, deadline, timeout),
            None => stream,
        };
        Ok((columns, stream))
    }
}

/// A Kusto function's signature from `kql-functions`' registry: the functions every catalog knows.
pub fn builtin_function(name: &str) -> Option<Signature> {
    kql_functions::registry().signature(name)
}

/// Every name [`builtin_function`] answers for.
pub fn builtin_function_names() -> Vec<&'static str> {
    kql_functions::registry().names().collect()
}

/// Functions an engine has only when configured with what they read (`geo_info_from_ip_address`:
/// [`Engine::load_geoip`]); checking without data (`torhunt check`) knows their signatures.
pub const CONFIGURED_FUNCTIONS: [Signature; 1] = [GeoInfoFromIpAddress::SIGNATURE];

impl Catalog for Engine {
    fn function(&self, name: &str) -> Option<Signature> {
        builtin_function(name).or_else(|| {
            self.extension_functions
                .get(name)
                .map(|(signature, _)| *signature)
        })
    }

    fn function_names(&self) -> Vec<&'static str> {
        let mut names = builtin_function_names();
        names.extend(self.extension_functions.keys().copied());
        names
    }

    fn table_schema(&self, name: &str) -> Option<Vec<Column>> {
        self.tables.get(name).map(|table| table.columns.clone())
    }

    fn table_names(&self) -> Vec<String> {
        self.tables.keys().cloned().collect()
    }

    fn column_values(&self, relation: &Relation) -> Option<Result<Vec<String>, String>> {
        Some(self.run_text_column(relation))
    }
}

impl Engine {
    /// Plans and runs a one-column (string or dynamic) relation while binding, on a thread and runtime of its own: binding
    /// runs inside the caller's async runtime, where blocking on a query would stall it.
    fn run_text_column(&self, relation: &Relation) -> Result<Vec<String>, String> {
        let bound = BoundQuery {
            root: relation.clone(),
        };
        let plan = kql_planner::plan(&bound, self).map_err(|diagnostics| {
            diagnostics
                .first()
                .map_or_else(|| "planning failed".to_string(), |d| d.message.clone())
        })?;
        let ctx = self.ctx.clone();
        let run = move || -> Result<Vec<RecordBatch>, String> {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(async {
                let frame = ctx.execute_logical_plan(plan).await.map_err(|e| e.to_string())?;
                frame.collect().await.map_err(|e| e.to_string())
            })
        };
        let batches = std::thread::spawn(run)
            .join()
            .unwrap_or_else(|_| Err("the query thread failed".to_string()))?;
        let mut values = Vec::new();
        for batch in &batches {
            let Some(column) = batch.columns().first() else {
                continue;
            };
            let Some(strings) = column.as_string_opt::<i32>() else {
                return Err(format!("expected a text column, got {}", column.data_type()));
            };
            values.extend(strings.iter().flatten().map(str::to_string));
        }
        Ok(values)
    }
}

impl PlanContext for Engine {
    fn table_source(&self, name: &str) -> datafusion::error::Result<Arc<dyn TableSource>> {
        self.tables
            .get(name)
            .map(|table| provider_as_source(Arc::clone(&table.provider)))
            .ok_or_else(|| DataFusionError::Plan(format!("table `{name}` is not registered")))
    }

    fn external_data(&self, request: &ExternalDataRequest) -> datafusion::error::Result<Vec<RecordBatch>> {
        self.external.load(request)
    }

    fn extension_udf(&self, name: &str) -> Option<Arc<ScalarUDF>> {
        self.extension_functions.get(name).map(|(_, udf)| Arc::clone(udf))
    }
}

fn wall_clock_nanos() -> i64 {
    chrono::Utc::now().timestamp_nanos_opt().unwrap_or(i64::MAX)
}
