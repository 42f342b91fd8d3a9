//! The DataFusion side: a [`TelemetryTable`] provider per table, scanned by [`TelemetryScanExec`]
//! (one node type for every format, told apart by its format id).

use std::fmt;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::common::{ScalarValue, internal_err};
use datafusion::config::ConfigOptions;
use datafusion::error::{DataFusionError, Result as DfResult};
use datafusion::execution::TaskContext;
use datafusion::execution::memory_pool::MemoryConsumer;
use datafusion::logical_expr::{Between, BinaryExpr, Expr, Operator, TableProviderFilterPushDown, TableType};
use datafusion::parquet::arrow::arrow_reader::ArrowReaderMetadata;
use datafusion::physical_expr::expressions::DynamicFilterPhysicalExpr;
use datafusion::physical_expr::{EquivalenceProperties, PhysicalExpr};
use datafusion::physical_plan::empty::EmptyExec;
use datafusion::physical_plan::execution_plan::{Boundedness, EmissionType, apply_expression_roots};
use datafusion::physical_plan::filter_pushdown::{
    ChildPushdownResult, FilterPushdownPhase, FilterPushdownPropagation, PushedDown,
};
use datafusion::physical_plan::stream::{RecordBatchReceiverStream, RecordBatchStreamAdapter};
use datafusion::physical_plan::union::UnionExec;
use datafusion::physical_plan::{
    ChildrenPropertiesMode, DisplayAs, DisplayFormatType, ExecutionPlan, Partitioning, PlanProperties,
    ReplaceChildrenOptions, SendableRecordBatchStream,
};
use futures::StreamExt;
use torhunt_prefilter::Condition;

use crate::assemble::{Routing, ScanSpec};
use crate::format::{Compression, Format};
use crate::join_keys::JoinKeys;
use crate::parquet_pushdown;
use crate::prefilter::{
    condition_of, condition_of_all, condition_of_physical, join_keys_of_physical, prefilter_of,
};
use crate::read::{
    FileSlice, Part, ReadContext, SourceFile, SplitChecks, load_metadata, row_groups_overlapping,
};
use crate::remote::HourlyListing;
use crate::report::ReadReport;
use crate::schema::{TIME_GENERATED, TIMESTAMP, TableSchema};
use crate::shared_read::{SharedReads, read_alone};
use crate::time_prefilter::TimeBounds;
use crate::wire::ReadPublisher;
use torhunt_storage::Keep;

/// A storage folder `h=HH` holds the records the service received during that hour, so their `time`
/// (TimeGenerated) is before the hour's end, and at most this long before its start (pipeline delay).
const LATE_ARRIVAL_NANOS: i64 = HOUR_NANOS;
const HOUR_NANOS: i64 = 3600 * 1_000_000_000;

/// One table's telemetry files.
#[derive(Debug)]
pub struct TelemetryTable {
    schema: TableSchema,
    arrow_schema: SchemaRef,
    files: Vec<Arc<SourceFile>>,
    /// Storage over the hourly layout, listed by each scan for its time window.
    listings: Vec<Arc<HourlyListing>>,
    context: ReadContext,
}

impl TelemetryTable {
    pub(crate) fn new(
        schema: TableSchema,
        files: Vec<Arc<SourceFile>>,
        listings: Vec<Arc<HourlyListing>>,
        context: ReadContext,
    ) -> TelemetryTable {
        TelemetryTable {
            arrow_schema: schema.arrow_schema(),
            schema,
            files,
            listings,
            context,
        }
    }

    pub fn kusto_schema(&self) -> &TableSchema {
        &self.schema
    }

    /// The files found at discovery, and the blobs of hourly storage listed by scans so far.
    pub fn files(&self) -> Vec<Arc<SourceFile>> {
        let mut files = self.files.clone();
        for listing in &self.listings {
            files.extend(listing.known_files());
        }
        files
    }

    /// Whether any file or storage listing feeds the table.
    pub fn is_fed(&self) -> bool {
        !self.files.is_empty() || !self.listings.is_empty()
    }

    /// The files a scan with this time window reads: those found at discovery, and the storage blobs
    /// listed in the folders the window can need.
    async fn files_for(&self, window: &TimeWindow) -> DfResult<Vec<Arc<SourceFile>>> {
        let mut files: Vec<Arc<SourceFile>> = self
            .files
            .iter()
            .filter(|f| window.may_hold(f))
            .cloned()
            .collect();
        for listing in &self.listings {
            let listed = listing
                .files(window.keep())
                .await
                .map_err(DataFusionError::from)?;
            files.extend(listed.into_iter().filter(|f| window.may_hold(f)));
        }
        Ok(files)
    }
}

#[async_trait]
impl TableProvider for TelemetryTable {
    fn schema(&self) -> SchemaRef {
        self.arrow_schema.clone()
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    fn supports_filters_pushdown(&self, filters: &[&Expr]) -> DfResult<Vec<TableProviderFilterPushDown>> {
        Ok(filters
            .iter()
            .map(|f| {
                let prefilters = self.context.prefilter
                    && condition_of(f, &self.schema) != torhunt_prefilter::Condition::Unknown;
                if TimeWindow::bound_of(f).is_some() || prefilters {
                    // Used to skip storage folders and records that cannot match; DataFusion still
                    // filters the rows.
                    TableProviderFilterPushDown::Inexact
                } else {
                    TableProviderFilterPushDown::Unsupported
                }
            })
            .collect())
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        _limit: Option<usize>,
    ) -> DfResult<Arc<dyn ExecutionPlan>> {
        let window = TimeWindow::from_filters(filters);
        let (prefilter, time_bounds) = if self.context.prefilter {
            let [timestamp, generated] = window.columns;
            (
                prefilter_of(condition_of_all(filters, &self.schema)),
                TimeBounds::new(timestamp, generated),
            )
        } else {
            (None, None)
        };
        let kept = self.files_for(&window).await?;
        // Only records of files mixing tables can belong to another table.
        let mixed = kept.iter().any(|file| file.routing == Routing::PerRecord);
        let spec = Arc::new(
            ScanSpec::new(
                self.schema.name(),
                self.schema.clone(),
                projection.map(Vec::as_slice),
            )
            .with_prefilter(prefilter)
            .with_time_bounds(time_bounds)
            .with_table_name_test(self.context.prefilter && mixed),
        );
        let target_partitions = state.config().target_partitions().max(1);
        let mut scans: Vec<Arc<dyn ExecutionPlan>> = Vec::new();
        for format in Format::ALL {
            let (pushdown, slices): (Vec<FileSlice>, Vec<FileSlice>) = kept
                .iter()
                .filter(|f| f.format == format)
                .flat_map(|f| slices_of(f, self.context.split_bytes, &window))
                .partition(|slice| self.reads_through_parquet_source(slice));
            if !pushdown.is_empty() {
                scans.push(parquet_pushdown::scan(
                    state,
                    self.arrow_schema.clone(),
                    projection,
                    in_runs(pushdown, target_partitions),
                    &self.context.report,
                )?);
            }
            if !slices.is_empty() {
                let partitions = balance(slices, target_partitions);
                scans.push(Arc::new(TelemetryScanExec::new(
                    spec.clone(),
                    format,
                    partitions,
                    self.context.clone(),
                )));
            }
        }
        match scans.len() {
            0 => Ok(Arc::new(EmptyExec::new(spec.output_schema.clone()))),
            _ => UnionExec::try_new(scans),
        }
    }
}

impl TelemetryTable {
    /// Whether a slice is read through DataFusion's `ParquetSource` (torhunt's own typed Parquet, with
    /// the prefilter on) rather than today's reader.
    fn reads_through_parquet_source(&self, slice: &FileSlice) -> bool {
        self.context.prefilter
            && slice.parquet.as_ref().is_some_and(|metadata| {
                parquet_pushdown::qualifies(&slice.file.source, metadata, &self.schema)
            })
    }
}

/// The parts of a file read in parallel: line-aligned byte ranges of `split_bytes` for large,
/// uncompressed line-delimited JSON and CSV files, the row groups the time window may need for Parquet,
/// else the whole file.
fn slices_of(file: &Arc<SourceFile>, split_bytes: u64, window: &TimeWindow) -> Vec<FileSlice> {
    let whole = |part| FileSlice {
        file: Arc::clone(file),
        part,
        checks: None,
        parquet: None,
    };
    // An unreadable footer leaves the whole file to the reader, which reports the error.
    if file.format == Format::Parquet
        && file.row_groups > 0
        && let Some(metadata) = load_metadata(&file.source)
    {
        return window
            .row_groups(file, &metadata)
            .into_iter()
            .map(|g| FileSlice {
                parquet: Some(metadata.clone()),
                ..whole(Part::RowGroups(g..g + 1))
            })
            .collect();
    }
    let splittable = (file.format.is_json_lines() || file.format.is_csv())
        && file.compression == Compression::None
        && file.size > split_bytes;
    if !splittable {
        return vec![whole(Part::Whole)];
    }
    // JSON strings cannot hold a raw line break, CSV quoted values can: CSV ranges check their seams.
    let checks = file.format.is_csv().then(|| Arc::new(SplitChecks::default()));
    let step = usize::try_from(split_bytes).unwrap_or(usize::MAX);
    (0..file.size)
        .step_by(step)
        .map(|start| FileSlice {
            file: Arc::clone(file),
            part: Part::Bytes(start..start.saturating_add(split_bytes).min(file.size)),
            checks: checks.clone(),
            parquet: None,
        })
        .collect()
}

/// Spreads slices over at most `target` partitions, largest first onto the lightest partition.
fn balance(mut slices: Vec<FileSlice>, target: usize) -> Vec<Vec<FileSlice>> {
    // Stable, so equal parts keep file order and consecutive ranges tend to run at the same time.
    slices.sort_by_key(|s| std::cmp::Reverse(s.weight()));
    let mut partitions: Vec<(u64, Vec<FileSlice>)> = vec![(0, Vec::new()); target.min(slices.len())];
    for slice in slices {
        let lightest = partitions
            .iter_mut()
            .min_by_key(|(w, _)| *w)
            .expect("at least one partition");
        lightest.0 += slice.weight();
        lightest.1.push(slice);
    }
    partitions.into_iter().map(|(_, p)| p).collect()
}

/// Splits slices, kept in file order, into at most `target` runs of about equal weight: consecutive
/// row groups of a file in one partition are read as one range (`parquet_pushdown`).
fn in_runs(slices: Vec<FileSlice>, target: usize) -> Vec<Vec<FileSlice>> {
    let share = slices
        .iter()
        .map(FileSlice::weight)
        .sum::<u64>()
        .div_ceil(target as u64);
    let mut runs: Vec<(u64, Vec<FileSlice>)> = Vec::new();
    for slice in slices {
        let last_run = runs.len() == target;
        match runs.last_mut() {
            Some((weight, run)) if *weight < share || last_run => {
                *weight += slice.weight();
                run.push(slice);
            }
            _ => runs.push((slice.weight(), vec![slice])),
        }
    }
    runs.into_iter().map(|(_, run)| run).collect()
}

/// The time range a query's pushed-down filters allow, in ns since the epoch.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct TimeWindow {
    /// Lower bound on either Timestamp or TimeGenerated (Timestamp never exceeds TimeGenerated).
    earliest: Option<i64>,
    /// Upper bound on TimeGenerated (late events make Timestamp useless here).
    latest_generated: Option<i64>,
    /// Inclusive bounds on each column itself, for Parquet row-group statistics: Timestamp, TimeGenerated.
    columns: [(Option<i64>, Option<i64>); 2],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Bound {
    generated: bool,
    lower: Option<i64>,
    upper: Option<i64>,
}

impl TimeWindow {
    fn from_filters(filters: &[Expr]) -> TimeWindow {
        let mut window = TimeWindow::default();
        for bound in filters.iter().filter_map(TimeWindow::bound_of) {
            let column = &mut window.columns[usize::from(bound.generated)];
            if let Some(lower) = bound.lower {
                window.earliest = Some(window.earliest.map_or(lower, |e| e.max(lower)));
                column.0 = Some(column.0.map_or(lower, |e| e.max(lower)));
            }
            if let Some(upper) = bound.upper {
                column.1 = Some(column.1.map_or(upper, |l| l.min(upper)));
            }
            if let (true, Some(upper)) = (bound.generated, bound.upper) {
                window.latest_generated = Some(window.latest_generated.map_or(upper, |l| l.min(upper)));
            }
        }
        window
    }

    /// A comparison of `Timestamp`/`TimeGenerated` with a datetime literal (or a `between`).
    fn bound_of(expr: &Expr) -> Option<Bound> {
        match expr {
            Expr::BinaryExpr(BinaryExpr { left, op, right }) => match (left.as_ref(), right.as_ref()) {
                (Expr::Column(column), Expr::Literal(value, _)) => Self::compare(&column.name, *op, value),
                (Expr::Literal(value, _), Expr::Column(column)) => {
                    Self::compare(&column.name, op.swap()?, value)
                }
                _ => None,
            },
            Expr::Between(Between {
                expr,
                negated: false,
                low,
                high,
            }) => match (expr.as_ref(), low.as_ref(), high.as_ref()) {
                (Expr::Column(column), Expr::Literal(low, _), Expr::Literal(high, _)) => Some(Bound {
                    generated: time_column(&column.name)?,
                    lower: Some(nanos(low)?),
                    upper: Some(nanos(high)?),
                }),
                _ => None,
            },
            _ => None,
        }
    }

    fn compare(column: &str, op: Operator, value: &ScalarValue) -> Option<Bound> {
        let generated = time_column(column)?;
        let at = nanos(value)?;
        let (lower, upper) = match op {
            Operator::Gt | Operator::GtEq => (Some(at), None),
            Operator::Lt | Operator::LtEq => (None, Some(at)),
            Operator::Eq => (Some(at), Some(at)),
            _ => return None,
        };
        Some(Bound {
            generated,
            lower,
            upper,
        })
    }

    /// Whether a file may hold rows in the window (files outside storage folders always may).
    fn may_hold(&self, file: &SourceFile) -> bool {
        file.hour_start
            .is_none_or(|hour_start| self.may_hold_span(hour_start, hour_start + HOUR_NANOS))
    }

    /// Whether storage folders covering `[start, end)` may hold rows in the window.
    fn may_hold_span(&self, start: i64, end: i64) -> bool {
        let too_early = self.earliest.is_some_and(|e| end <= e);
        let too_late = self
            .latest_generated
            .is_some_and(|l| start - LATE_ARRIVAL_NANOS > l);
        !(too_early || too_late)
    }

    /// The folders a storage listing needs (`None`: the window does not bound them).
    fn keep(&self) -> Option<Keep> {
        if self.earliest.is_none() && self.latest_generated.is_none() {
            return None;
        }
        let window = *self;
        Some(Arc::new(move |start, end| window.may_hold_span(start, end)))
    }
}

impl TimeWindow {
    /// The row groups of a Parquet file whose time statistics overlap the window (all of them when the
    /// file has none, or the query no time filter).
    fn row_groups(&self, file: &SourceFile, metadata: &ArrowReaderMetadata) -> Vec<usize> {
        let all: Vec<usize> = (0..file.row_groups).collect();
        [TIMESTAMP, TIME_GENERATED]
            .into_iter()
            .zip(self.columns)
            .filter(|(_, bounds)| *bounds != (None, None))
            .fold(all, |groups, (column, (lower, upper))| {
                let overlapping = row_groups_overlapping(metadata, column, lower, upper);
                groups.into_iter().filter(|g| overlapping.contains(g)).collect()
            })
    }
}

/// `Some(true)` for TimeGenerated, `Some(false)` for Timestamp.
fn time_column(name: &str) -> Option<bool> {
    match name {
        TIME_GENERATED => Some(true),
        TIMESTAMP => Some(false),
        _ => None,
    }
}

fn nanos(value: &ScalarValue) -> Option<i64> {
    match value {
        ScalarValue::TimestampNanosecond(Some(v), _) => Some(*v),
        ScalarValue::TimestampMicrosecond(Some(v), _) => v.checked_mul(1_000),
        ScalarValue::TimestampMillisecond(Some(v), _) => v.checked_mul(1_000_000),
        ScalarValue::TimestampSecond(Some(v), _) => v.checked_mul(1_000_000_000),
        _ => None,
    }
}

/// Scans telemetry files of one format for one table: each partition reads its files (or byte ranges)
/// on a blocking thread and streams batches through a small bounded channel.
#[derive(Debug, Clone)]
pub struct TelemetryScanExec {
    pub(crate) spec: Arc<ScanSpec>,
    pub(crate) format: Format,
    pub(crate) partitions: Vec<Vec<FileSlice>>,
    pub(crate) context: ReadContext,
    properties: Arc<PlanProperties>,
    /// Dynamic filters hash joins above pushed here (`key IN (build-side keys)`): filled in once the
    /// join has read its build side, they add to the prefilter of the reads that start after that.
    join_filters: Vec<Arc<dyn PhysicalExpr>>,
    /// The spec with the join filters' condition last built, shared by the partitions: a relay list's
    /// thousands of keys make an automaton worth building once.
    joined: Arc<Mutex<Option<JoinedSpec>>>,
    /// On a cluster executor: each slice is read into a report of its own, published for the client
    /// (the client's report is in another process).
    publisher: Option<ReadPublisher>,
    /// The query's shared passes over multi-table files and this scan's id there (see
    /// `crate::shared_read`); set by the shared-reads rule once the plan is final.
    shared: Option<(Arc<SharedReads>, usize)>,
}

/// A join filters' needle condition and key sets, and the scan spec whose raw tests include them.
type JoinedSpec = ((Condition, Vec<JoinKeys>), Arc<ScanSpec>);

/// Join keys up to this many per list are searched as needles: a packed SIMD search over the record's
/// bytes beats locating its key field. Longer lists (a relay list's thousands of addresses) are looked
/// up in the key field instead: their needles fall back to an automaton over every key, which costs
/// more per byte than walking the record's structure (it made the relay rule slower than parsing
/// every record: bench/RESULTS.md).
const KEYS_SEARCHED_AS_NEEDLES: usize = 64;

impl TelemetryScanExec {
    pub(crate) fn new(
        spec: Arc<ScanSpec>,
        format: Format,
        partitions: Vec<Vec<FileSlice>>,
        context: ReadContext,
    ) -> Self {
        let properties = PlanProperties::new(
            EquivalenceProperties::new(spec.output_schema.clone()),
            Partitioning::UnknownPartitioning(partitions.len()),
            EmissionType::Incremental,
            Boundedness::Bounded,
        );
        TelemetryScanExec {
            spec,
            format,
            partitions,
            context,
            properties: Arc::new(properties),
            join_filters: Vec::new(),
            joined: Arc::default(),
            publisher: None,
            shared: None,
        }
    }

    /// The scan reading each slice into a report of its own and handing it to `publisher`.
    pub(crate) fn publishing_reads(self, publisher: ReadPublisher) -> Self {
        TelemetryScanExec {
            publisher: Some(publisher),
            ..self
        }
    }

    /// The report the scan's reads add to.
    pub fn report(&self) -> &ReadReport {
        &self.context.report
    }

    /// The scan reading through the query's shared passes, as scan `id` there.
    pub(crate) fn with_shared_reads(&self, shared: Arc<SharedReads>, id: usize) -> TelemetryScanExec {
        TelemetryScanExec {
            shared: Some((shared, id)),
            ..self.clone()
        }
    }

    /// The dynamic filters hash joins above pushed here.
    pub(crate) fn join_filters(&self) -> &[Arc<dyn PhysicalExpr>] {
        &self.join_filters
    }

    /// The scan spec with the join filters as they stand now added to its raw tests: long key lists as
    /// keys looked up in the record's key field, the rest as needles in its prefilter.
    pub(crate) fn spec_with_join_filters(&self) -> Arc<ScanSpec> {
        let mut keys = Vec::new();
        let mut conditions = Vec::new();
        for filter in &self.join_filters {
            let filter_keys = join_keys_of_physical(filter, &self.spec.schema);
            if filter_keys.iter().any(|k| k.len() > KEYS_SEARCHED_AS_NEEDLES) {
                keys.extend(filter_keys);
            } else {
                conditions.push(condition_of_physical(filter, &self.spec.schema));
            }
        }
        let joined = (Condition::all(conditions), keys);
        if joined == (Condition::Unknown, Vec::new()) {
            return self.spec.clone();
        }
        let mut cache = self.joined.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((tests, spec)) = cache.as_ref()
            && *tests == joined
        {
            return spec.clone();
        }
        let own = self
            .spec
            .prefilter
            .as_ref()
            .map_or(Condition::Unknown, |p| p.condition().clone());
        let mut spec = (*self.spec).clone();
        spec.prefilter = prefilter_of(Condition::all([own, joined.0.clone()]));
        spec.join_keys = joined.1.iter().cloned().map(Arc::new).collect();
        let spec = Arc::new(spec);
        *cache = Some((joined, spec.clone()));
        spec
    }

    /// The format id ([`Format::id`]) this scan reads.
    pub fn format_id(&self) -> &'static str {
        self.format.id()
    }

    pub fn table(&self) -> &str {
        &self.spec.table
    }

    /// Distinct files read (a file split in parts counts once).
    pub fn file_count(&self) -> usize {
        let mut paths: Vec<_> = self.partitions.iter().flatten().map(|s| &s.file.path).collect();
        paths.sort();
        paths.dedup();
        paths.len()
    }
}

impl DisplayAs for TelemetryScanExec {
    fn fmt_as(&self, _: DisplayFormatType, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let columns: Vec<&str> = self
            .spec
            .output_schema
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect();
        write!(
            f,
            "TelemetryScanExec: table={}, format={}, files={}, partitions={}, projection=[{}]",
            self.spec.table,
            self.format.id(),
            self.file_count(),
            self.partitions.len(),
            columns.join(", ")
        )?;
        if let Some(prefilter) = &self.spec.prefilter {
            write!(f, ", prefilter={prefilter}")?;
        }
        if let Some(bounds) = &self.spec.time_bounds {
            write!(f, ", time_prefilter={bounds}")?;
        }
        if let Some(test) = &self.spec.table_name_test {
            write!(f, ", table_name_test={test}")?;
        }
        for filter in &self.join_filters {
            write!(f, ", join_filter={filter}")?;
        }
        if let Some((shared, id)) = &self.shared {
            write!(f, ", shared_reads={}", shared.parts_shared_by(*id))?;
        }
        Ok(())
    }
}

impl ExecutionPlan for TelemetryScanExec {
    fn name(&self) -> &str {
        "TelemetryScanExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![]
    }

    /// The join filters: a hash join fills in its dynamic filter only when a node below shows it here.
    fn apply_expressions(
        &self,
        f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> DfResult<TreeNodeRecursion>,
    ) -> DfResult<TreeNodeRecursion> {
        apply_expression_roots(&self.join_filters, f)
    }

    /// Keeps the dynamic filters a hash join pushes down (with the prefilter on). They are reported as
    /// not pushed down: the join itself still decides which rows match.
    fn handle_child_pushdown_result(
        &self,
        _phase: FilterPushdownPhase,
        child_pushdown_result: ChildPushdownResult,
        _config: &ConfigOptions,
    ) -> DfResult<FilterPushdownPropagation<Arc<dyn ExecutionPlan>>> {
        let filters: Vec<Arc<dyn PhysicalExpr>> = child_pushdown_result
            .parent_filters
            .into_iter()
            .map(|result| result.filter)
            .collect();
        let propagation =
            FilterPushdownPropagation::with_parent_pushdown_result(vec![PushedDown::No; filters.len()]);
        let dynamic: Vec<Arc<dyn PhysicalExpr>> = filters
            .into_iter()
            .filter(|f| f.downcast_ref::<DynamicFilterPhysicalExpr>().is_some())
            .collect();
        if dynamic.is_empty() || !self.context.prefilter {
            return Ok(propagation);
        }
        let mut scan = self.clone();
        scan.join_filters.extend(dynamic);
        Ok(propagation.with_updated_node(Arc::new(scan)))
    }

    fn replace_children(
        self: Arc<Self>,
        _children: Vec<Arc<dyn ExecutionPlan>>,
        _options: ReplaceChildrenOptions,
    ) -> DfResult<Arc<dyn ExecutionPlan>> {
        Ok(self)
    }

    fn with_new_children(
        self: Arc<Self>,
        children: Vec<Arc<dyn ExecutionPlan>>,
    ) -> DfResult<Arc<dyn ExecutionPlan>> {
        self.replace_children(
            children,
            ReplaceChildrenOptions::new(ChildrenPropertiesMode::Recompute),
        )
    }

    fn execute(&self, partition: usize, task: Arc<TaskContext>) -> DfResult<SendableRecordBatchStream> {
        let Some(slices) = self.partitions.get(partition).cloned() else {
            return internal_err!("TelemetryScanExec has no partition {partition}");
        };
        let schema = self.spec.output_schema.clone();
        let scan = self.clone();
        // Reading starts when the stream is first polled rather than here: a hash join polls its probe
        // side only once it has read its build side and filled in the join filters.
        let mut memory =
            MemoryConsumer::new(format!("TelemetryScanExec[{partition}]")).register(task.memory_pool());
        let batches = futures::stream::once(async move {
            let mut builder = RecordBatchReceiverStream::builder(scan.spec.output_schema.clone(), 2);
            let sender = builder.tx();
            let (spec, publisher) = (scan.spec_with_join_filters(), scan.publisher.clone());
            builder.spawn_blocking(move || {
                for slice in &slices {
                    let context = match &publisher {
                        Some(_) => ReadContext {
                            report: ReadReport::default(),
                            ..scan.context.clone()
                        },
                        None => scan.context.clone(),
                    };
                    let wanted = match &scan.shared {
                        Some((shared, id)) => {
                            shared.read(*id, slice, &spec, &context, &mut memory, &sender)?
                        }
                        None => read_alone(&spec, slice, &context, &mut memory, &sender)?,
                    };
                    if let Some(publisher) = &publisher {
                        publisher.publish(context.report.part_read_of(&slice.file.path, slice.part_key()))?;
                    }
                    if !wanted {
                        break;
                    }
                }
                Ok(())
            });
            builder.build()
        })
        .flatten();
        Ok(Box::pin(RecordBatchStreamAdapter::new(schema, batches)))
    }
}

#[cfg(test)]
mod tests {
    use std::ops::Range;
    use std::path::PathBuf;

    use torhunt_storage::ByteSource;

    use super::*;
    use crate::parquet_pushdown::merge_consecutive;

    /// One slice per row group of each file (name, row groups), in file order.
    fn row_group_slices(files: &[(&str, usize)]) -> Vec<FileSlice> {
        files
            .iter()
            .flat_map(|&(name, row_groups)| {
                let file = Arc::new(SourceFile {
                    path: PathBuf::from(name),
                    source: ByteSource::Local(PathBuf::from(name)),
                    format: Format::Parquet,
                    compression: Compression::None,
                    routing: Routing::WholeFile,
                    size: 1000 * row_groups as u64,
                    hour_start: None,
                    row_groups,
                });
                (0..row_groups).map(move |g| FileSlice {
                    file: file.clone(),
                    part: Part::RowGroups(g..g + 1),
                    checks: None,
                    parquet: None,
                })
            })
            .collect()
    }

    /// (file, row groups) of each slice.
    fn described(slices: &[FileSlice]) -> Vec<(String, Range<usize>)> {
        slices
            .iter()
            .map(|s| match &s.part {
                Part::RowGroups(groups) => (s.file.path.display().to_string(), groups.clone()),
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn row_groups_are_split_into_runs_in_file_order_and_read_as_ranges() {
        let slices = row_group_slices(&[("a.parquet", 5), ("b.parquet", 3)]);
        let runs = in_runs(slices, 2);
        // In file order, every row group once, about half the weight each.
        let flat: Vec<_> = runs.iter().flat_map(|run| described(run)).collect();
        assert_eq!(
            flat,
            described(&row_group_slices(&[("a.parquet", 5), ("b.parquet", 3)]))
        );
        assert_eq!(runs.iter().map(Vec::len).collect::<Vec<_>>(), [4, 4]);
        // A run's consecutive row groups of one file become one range.
        let ranges: Vec<_> = runs
            .into_iter()
            .map(|run| described(&merge_consecutive(run)))
            .collect();
        assert_eq!(
            ranges,
            [
                vec![("a.parquet".to_string(), 0..4)],
                vec![("a.parquet".to_string(), 4..5), ("b.parquet".to_string(), 0..3)],
            ]
        );
        // Never more runs than partitions asked for, nor than slices.
        assert_eq!(in_runs(row_group_slices(&[("a.parquet", 2)]), 4).len(), 2);
        assert_eq!(in_runs(row_group_slices(&[("a.parquet", 9)]), 3).len(), 3);
    }
}
