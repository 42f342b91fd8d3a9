//! [`TelemetryScanExec`] for a distributed executor (Ballista, `crates/cluster`): [`DistributedScanExec`].
//!
//! Ballista gives each task a slice of a stage's partitions and restricts the plan's leaves to it, but
//! only leaves it knows (file and memory sources); a custom leaf would be read whole by every task. So a
//! distributed scan keeps its work as data: one row per partition, naming the files and parts of files
//! it reads, in an in-memory source that Ballista restricts; [`DistributedScanExec`] reads what its
//! input's rows name. Its own state (table, schema, projection, prefilter, format, read options) goes as
//! bytes ([`DistributedScanExec::to_bytes`]); `crates/cluster` frames them with its magic and build.
//!
//! Files travel as paths (every executor must see them at the same path) and blobs as their URL and
//! key: an executor reaches object storage with its own settings and credentials ([`Stores`]), since
//! secrets never travel in plans.
//!
//! What the executors read comes back the one way Ballista carries anything from a task to its client:
//! operator metrics, which the scheduler keeps per job and serves (`GetJobMetrics`). Each slice a
//! distributed scan reads goes into a report of its own, published as one count whose *name* holds the
//! read ([`READ_METRIC`], then the read as hex of postcard: table, file, part, rows, malformed records
//! with their positions and reasons, ...) and the scan it belongs to; the client adds each read to the
//! report of that scan ([`RemoteRead`]) as a local read adds itself. The scheduler keeps each metric
//! with the partition it was read for and replaces a partition's metrics when its task runs again
//! (after an executor is lost), so a retried read is not counted twice; an identical name met twice
//! for one operator is the same read (Ballista copies the metrics of a subtree a task runs whole to
//! each of the task's partitions) and is added once.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, BinaryArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::internal_err;
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::datasource::memory::MemorySourceConfig;
use datafusion::error::{DataFusionError, Result as DfResult};
use datafusion::execution::TaskContext;
use datafusion::physical_expr::{EquivalenceProperties, PhysicalExpr};
use datafusion::physical_plan::execution_plan::{Boundedness, EmissionType};
use datafusion::physical_plan::metrics::{ExecutionPlanMetricsSet, MetricBuilder, MetricsSet};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{
    ChildrenPropertiesMode, DisplayAs, DisplayFormatType, ExecutionPlan, Partitioning, PlanProperties,
    ReplaceChildrenOptions, SendableRecordBatchStream,
};
use futures::TryStreamExt;
use kql_types::KustoType;
use object_store::ObjectMeta;
use object_store::path::Path as ObjectPath;
use serde::{Deserialize, Serialize};
use torhunt_prefilter::{Condition, Edge};
use torhunt_storage::{ByteSource, ObjectBlob, StorageUrl, Stores};

use crate::assemble::{Routing, ScanSpec};
use crate::format::{Compression, Format};
use crate::prefilter::prefilter_of;
use crate::provider::TelemetryScanExec;
use crate::read::{FileSlice, Part, ReadContext, SourceFile};
use crate::report::{PartRead, ReadReport};
use crate::schema::TableSchema;
use crate::time_prefilter::TimeBounds;

#[derive(Serialize, Deserialize)]
struct Scan {
    table: String,
    schema_name: String,
    /// Column name and Kusto type name.
    columns: Vec<(String, String)>,
    projection: Vec<usize>,
    prefilter: Option<WireCondition>,
    time_bounds: Option<TimeBounds>,
    format: String,
    strict: bool,
    prefilter_on: bool,
    /// Whether the scan tests records of files mixing tables for its table's name.
    table_name_test: bool,
    split_bytes: u64,
    max_record_bytes: u64,
    tables: Vec<String>,
    /// Which scan of the plan this is: its reads are published under this number.
    id: u32,
}

#[derive(Serialize, Deserialize)]
enum WireCondition {
    Unknown,
    Needle {
        text: String,
        case_sensitive: bool,
        start: WireEdge,
        end: WireEdge,
    },
    All(Vec<WireCondition>),
    Any(Vec<WireCondition>),
}

#[derive(Serialize, Deserialize)]
enum WireEdge {
    Free,
    Term,
    Value,
}

impl From<Edge> for WireEdge {
    fn from(edge: Edge) -> WireEdge {
        match edge {
            Edge::Free => WireEdge::Free,
            Edge::Term => WireEdge::Term,
            Edge::Value => WireEdge::Value,
        }
    }
}

impl From<WireEdge> for Edge {
    fn from(edge: WireEdge) -> Edge {
        match edge {
            WireEdge::Free => Edge::Free,
            WireEdge::Term => Edge::Term,
            WireEdge::Value => Edge::Value,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Slice {
    path: PathBuf,
    source: WireSource,
    gzip: bool,
    per_record: bool,
    size: u64,
    hour_start: Option<i64>,
    row_groups: usize,
    part: WirePart,
}

/// Where a slice's bytes are (`path` names them in messages).
#[derive(Serialize, Deserialize)]
enum WireSource {
    /// A file at the same path on every executor.
    Local(PathBuf),
    /// A blob: its URL as shown (no query, so no SAS token) and its key in its container.
    Blob { url: String, key: String },
}

#[derive(Serialize, Deserialize)]
enum WirePart {
    Whole,
    Bytes(u64, u64),
    RowGroups(usize, usize),
}

/// The column of a distributed scan's work rows: one row per partition, its slices as postcard bytes.
const WORK_COLUMN: &str = "slices";

/// Starts the name of each metric a distributed scan publishes a slice's read in.
pub const READ_METRIC: &str = "torhunt.read:";

/// Publishes what each slice of one partition of a distributed scan read, as a metric of the scan.
#[derive(Debug, Clone)]
pub(crate) struct ReadPublisher {
    metrics: ExecutionPlanMetricsSet,
    scan: u32,
    partition: usize,
}

impl ReadPublisher {
    pub fn publish(&self, read: PartRead) -> DfResult<()> {
        let bytes = postcard::to_stdvec(&(self.scan, read))
            .map_err(|e| DataFusionError::Internal(format!("encoding a read report: {e}")))?;
        let mut name = String::with_capacity(READ_METRIC.len() + 2 * bytes.len());
        name.push_str(READ_METRIC);
        for byte in bytes {
            name.push_str(&format!("{byte:02x}"));
        }
        MetricBuilder::new(&self.metrics)
            .counter(name, self.partition)
            .add(1);
        Ok(())
    }
}

/// A slice's read that a distributed scan published on an executor (see the module docs).
#[derive(Debug)]
pub struct RemoteRead {
    /// The scan that read it ([`TelemetryScanExec::distributed`]'s `id`).
    pub scan: u32,
    read: PartRead,
}

impl RemoteRead {
    /// The read a metric's name holds; `None` when the metric is not a published read.
    pub fn from_metric_name(name: &str) -> Option<DfResult<RemoteRead>> {
        let hex = name.strip_prefix(READ_METRIC)?;
        let bad = || DataFusionError::Internal(format!("a read report metric that does not decode: {name}"));
        let bytes = (0..hex.len())
            .step_by(2)
            .map(|i| {
                hex.get(i..i + 2)
                    .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                    .ok_or_else(bad)
            })
            .collect::<DfResult<Vec<u8>>>();
        Some(bytes.and_then(|bytes| {
            let (scan, read) = postcard::from_bytes::<(u32, PartRead)>(&bytes).map_err(|_| bad())?;
            Ok(RemoteRead { scan, read })
        }))
    }

    /// Adds the read to `report` as the read would have added itself locally.
    pub fn add_to(self, report: &ReadReport) {
        report.add_part_read(self.read);
    }
}

/// A [`TelemetryScanExec`] whose partitions' work comes from its input: each row of input partition `p`
/// names slices partition `p` reads.
#[derive(Debug, Clone)]
pub struct DistributedScanExec {
    spec: Arc<ScanSpec>,
    format: Format,
    context: ReadContext,
    work: Arc<dyn ExecutionPlan>,
    properties: Arc<PlanProperties>,
    /// How this process reaches blobs (`None` on the client, which only encodes the scan).
    stores: Option<Arc<Stores>>,
    /// Which scan of the plan this is (see [`TelemetryScanExec::distributed`]).
    id: u32,
    /// The reads published ([`ReadPublisher`]).
    metrics: ExecutionPlanMetricsSet,
}

impl TelemetryScanExec {
    /// The scan with its work as data, for a distributed plan, publishing its reads as scan `id` of the
    /// plan. Join filters are left out: they are a speed-up only (a superset test; the join above still
    /// decides which rows match), filled in by a hash join in the same process.
    pub fn distributed(&self, id: u32) -> DfResult<DistributedScanExec> {
        let schema = work_schema();
        let partitions = self
            .partitions_for_wire()
            .iter()
            .map(|slices| {
                let wire = slices.iter().map(wire_slice).collect::<DfResult<Vec<_>>>()?;
                let bytes = postcard::to_stdvec(&wire)
                    .map_err(|e| DataFusionError::Internal(format!("encoding a scan's files: {e}")))?;
                let column: ArrayRef = Arc::new(BinaryArray::from_iter_values([bytes]));
                Ok(vec![RecordBatch::try_new(schema.clone(), vec![column])?])
            })
            .collect::<DfResult<Vec<_>>>()?;
        let work = MemorySourceConfig::try_new_exec(&partitions, schema, None)?;
        Ok(DistributedScanExec::new(
            self.spec.clone(),
            self.format,
            self.context.clone(),
            work,
            None,
            id,
        ))
    }

    /// The partitions as an executor elsewhere reads them. A CSV file split into byte ranges is read
    /// whole by the partition of its first range: the ranges check where they meet through state they
    /// share in one process, and partitions of a distributed plan run in different processes.
    fn partitions_for_wire(&self) -> Vec<Vec<FileSlice>> {
        let mut seen = std::collections::HashSet::new();
        self.partitions
            .iter()
            .map(|slices| {
                slices
                    .iter()
                    .filter_map(|s| match (&s.part, &s.checks) {
                        (Part::Bytes(_), Some(_)) => seen.insert(s.file.path.clone()).then(|| FileSlice {
                            part: Part::Whole,
                            checks: None,
                            ..s.clone()
                        }),
                        _ => Some(s.clone()),
                    })
                    .collect()
            })
            .collect()
    }
}

fn work_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![Field::new(
        WORK_COLUMN,
        DataType::Binary,
        false,
    )]))
}

impl DistributedScanExec {
    fn new(
        spec: Arc<ScanSpec>,
        format: Format,
        context: ReadContext,
        work: Arc<dyn ExecutionPlan>,
        stores: Option<Arc<Stores>>,
        id: u32,
    ) -> Self {
        let properties = PlanProperties::new(
            EquivalenceProperties::new(spec.output_schema.clone()),
            Partitioning::UnknownPartitioning(work.properties().output_partitioning().partition_count()),
            EmissionType::Incremental,
            Boundedness::Bounded,
        );
        DistributedScanExec {
            spec,
            format,
            context,
            work,
            properties: Arc::new(properties),
            stores,
            id,
            metrics: ExecutionPlanMetricsSet::new(),
        }
    }

    /// Everything but the work, as bytes ([`DistributedScanExec::from_bytes`] takes the work back as its
    /// input).
    pub fn to_bytes(&self) -> DfResult<Vec<u8>> {
        let spec = &self.spec;
        let scan = Scan {
            table: spec.table.clone(),
            schema_name: spec.schema.name().to_string(),
            columns: spec
                .schema
                .columns()
                .iter()
                .map(|(name, kusto_type)| (name.clone(), kusto_type.name().to_string()))
                .collect(),
            projection: spec.projection.clone(),
            prefilter: spec.prefilter.as_ref().map(|p| wire_condition(p.condition())),
            time_bounds: spec.time_bounds,
            format: self.format.id().to_string(),
            strict: self.context.strict,
            prefilter_on: self.context.prefilter,
            table_name_test: spec.table_name_test.is_some(),
            split_bytes: self.context.split_bytes,
            max_record_bytes: self.context.max_record_bytes,
            tables: self.context.tables.iter().cloned().collect(),
            id: self.id,
        };
        postcard::to_stdvec(&scan)
            .map_err(|e| DataFusionError::Internal(format!("encoding a telemetry scan: {e}")))
    }

    /// The scan [`DistributedScanExec::to_bytes`] encoded, over its work, reading blobs through
    /// `stores` (none: this process reads no object storage). What it reads is published for the
    /// client ([`ReadPublisher`]), not added to a report here.
    pub fn from_bytes(
        bytes: &[u8],
        work: Arc<dyn ExecutionPlan>,
        stores: Option<Arc<Stores>>,
    ) -> DfResult<DistributedScanExec> {
        let scan: Scan = postcard::from_bytes(bytes)
            .map_err(|e| DataFusionError::Internal(format!("decoding a telemetry scan: {e}")))?;
        let columns = scan
            .columns
            .into_iter()
            .map(|(name, type_name)| {
                KustoType::from_name(&type_name)
                    .map(|t| (name, t))
                    .ok_or_else(|| {
                        DataFusionError::Internal(format!("unknown Kusto type `{type_name}` in a scan"))
                    })
            })
            .collect::<DfResult<Vec<_>>>()?;
        let schema = TableSchema::new(scan.schema_name, columns);
        if let Some(&column) = scan.projection.iter().find(|&&i| i >= schema.columns().len()) {
            return Err(DataFusionError::Internal(format!(
                "scan projection names column {column} of {}",
                schema.columns().len()
            )));
        }
        let prefilter = scan.prefilter.map(condition).and_then(prefilter_of);
        let spec = ScanSpec::new(&scan.table, schema, Some(&scan.projection))
            .with_prefilter(prefilter)
            .with_time_bounds(scan.time_bounds)
            .with_table_name_test(scan.table_name_test);
        let format = Format::from_id(&scan.format).ok_or_else(|| {
            DataFusionError::Internal(format!("unknown telemetry format `{}`", scan.format))
        })?;
        let context = ReadContext {
            report: ReadReport::default(),
            strict: scan.strict,
            prefilter: scan.prefilter_on,
            split_bytes: scan.split_bytes,
            max_record_bytes: scan.max_record_bytes,
            // A decoded scan reads its own slices: shared passes are per process.
            shared_reads: false,
            shared_read_budget: 0,
            tables: Arc::new(scan.tables.into_iter().collect()),
        };
        Ok(DistributedScanExec::new(
            Arc::new(spec),
            format,
            context,
            work,
            stores,
            scan.id,
        ))
    }

    /// The slices the rows of `batches` name.
    fn slices_of(&self, batches: &[RecordBatch]) -> DfResult<Vec<FileSlice>> {
        let mut slices = Vec::new();
        for batch in batches {
            let Some(column) = batch
                .column_by_name(WORK_COLUMN)
                .and_then(|c| c.as_binary_opt::<i32>())
            else {
                return Err(DataFusionError::Internal(format!(
                    "a distributed scan's input lacks `{WORK_COLUMN}`"
                )));
            };
            for bytes in column.iter().flatten() {
                let wire: Vec<Slice> = postcard::from_bytes(bytes)
                    .map_err(|e| DataFusionError::Internal(format!("decoding a scan's files: {e}")))?;
                for slice in wire {
                    slices.push(file_slice(slice, self.format, self.stores.as_deref())?);
                }
            }
        }
        Ok(slices)
    }
}

impl DisplayAs for DistributedScanExec {
    fn fmt_as(&self, _: DisplayFormatType, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "DistributedScanExec: table={}, format={}, projection=[{}]",
            self.spec.table,
            self.format.id(),
            self.spec
                .output_schema
                .fields()
                .iter()
                .map(|f| f.name().as_str())
                .collect::<Vec<_>>()
                .join(", ")
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
        Ok(())
    }
}

impl ExecutionPlan for DistributedScanExec {
    fn name(&self) -> &str {
        "DistributedScanExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![&self.work]
    }

    fn metrics(&self) -> Option<MetricsSet> {
        Some(self.metrics.clone_inner())
    }

    /// None: the prefilter is compiled, and join filters are not sent (see [`TelemetryScanExec::distributed`]).
    fn apply_expressions(
        &self,
        _f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> DfResult<TreeNodeRecursion>,
    ) -> DfResult<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    /// A new work list (Ballista's restriction to a task's partitions) changes the partition count.
    fn replace_children(
        self: Arc<Self>,
        mut children: Vec<Arc<dyn ExecutionPlan>>,
        _options: ReplaceChildrenOptions,
    ) -> DfResult<Arc<dyn ExecutionPlan>> {
        let (Some(work), true) = (children.pop(), children.is_empty()) else {
            return internal_err!("DistributedScanExec has one input");
        };
        Ok(Arc::new(DistributedScanExec::new(
            self.spec.clone(),
            self.format,
            self.context.clone(),
            work,
            self.stores.clone(),
            self.id,
        )))
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

    /// Reads the work rows of `partition`, then the files they name, as [`TelemetryScanExec`] reads a
    /// partition, publishing each slice's read.
    fn execute(&self, partition: usize, task: Arc<TaskContext>) -> DfResult<SendableRecordBatchStream> {
        let work = self.work.execute(partition, task.clone())?;
        let scan = self.clone();
        let schema = self.spec.output_schema.clone();
        let publisher = ReadPublisher {
            metrics: self.metrics.clone(),
            scan: self.id,
            partition,
        };
        let rows = futures::stream::once(async move {
            let batches: Vec<RecordBatch> = work.try_collect().await?;
            let slices = scan.slices_of(&batches)?;
            TelemetryScanExec::new(scan.spec, scan.format, vec![slices], scan.context)
                .publishing_reads(publisher)
                .execute(0, task)
        })
        .try_flatten();
        Ok(Box::pin(RecordBatchStreamAdapter::new(schema, rows)))
    }
}

fn wire_condition(condition: &Condition) -> WireCondition {
    match condition {
        Condition::Unknown => WireCondition::Unknown,
        Condition::Needle(needle) => WireCondition::Needle {
            text: needle.text().to_string(),
            case_sensitive: needle.case_sensitive(),
            start: needle.start().into(),
            end: needle.end().into(),
        },
        Condition::All(parts) => WireCondition::All(parts.iter().map(wire_condition).collect()),
        Condition::Any(parts) => WireCondition::Any(parts.iter().map(wire_condition).collect()),
    }
}

fn condition(wire: WireCondition) -> Condition {
    match wire {
        WireCondition::Unknown => Condition::Unknown,
        WireCondition::Needle {
            text,
            case_sensitive,
            start,
            end,
        } => Condition::placed_needle(&text, case_sensitive, start.into(), end.into()),
        WireCondition::All(parts) => Condition::all(parts.into_iter().map(condition)),
        WireCondition::Any(parts) => Condition::any(parts.into_iter().map(condition)),
    }
}

fn wire_slice(slice: &FileSlice) -> DfResult<Slice> {
    let file = &slice.file;
    let source = match &file.source {
        ByteSource::Local(local) => WireSource::Local(local.clone()),
        ByteSource::Blob(blob) => WireSource::Blob {
            url: blob.display().to_string(),
            key: blob.location().as_ref().to_string(),
        },
    };
    Ok(Slice {
        path: file.path.clone(),
        source,
        gzip: file.compression == Compression::Gzip,
        per_record: file.routing == Routing::PerRecord,
        size: file.size,
        hour_start: file.hour_start,
        row_groups: file.row_groups,
        part: match &slice.part {
            Part::Whole => WirePart::Whole,
            Part::Bytes(range) => WirePart::Bytes(range.start, range.end),
            Part::RowGroups(groups) => WirePart::RowGroups(groups.start, groups.end),
        },
    })
}

/// A slice as the reader gets it; a Parquet footer is read again by the reader (it is not sent).
fn file_slice(wire: Slice, format: Format, stores: Option<&Stores>) -> DfResult<FileSlice> {
    let part = match wire.part {
        WirePart::Whole => Part::Whole,
        WirePart::Bytes(start, end) => Part::Bytes(start..end),
        WirePart::RowGroups(start, end) => Part::RowGroups(start..end),
    };
    // Byte ranges of line-delimited JSON need no seam checks (a JSON string holds no raw line break);
    // CSV ranges do, and are never sent (`partitions_for_wire`).
    if format.is_csv() && matches!(part, Part::Bytes(_)) {
        return Err(DataFusionError::Internal(format!(
            "a distributed scan reads a byte range of CSV file {}",
            wire.path.display()
        )));
    }
    let source = match wire.source {
        WireSource::Local(path) => ByteSource::Local(path),
        WireSource::Blob { url, key } => blob_source(url, &key, wire.size, stores)?,
    };
    Ok(FileSlice {
        file: Arc::new(SourceFile {
            path: wire.path,
            source,
            format,
            compression: if wire.gzip {
                Compression::Gzip
            } else {
                Compression::None
            },
            routing: if wire.per_record {
                Routing::PerRecord
            } else {
                Routing::WholeFile
            },
            size: wire.size,
            hour_start: wire.hour_start,
            row_groups: wire.row_groups,
        }),
        part,
        checks: None,
        parquet: None,
    })
}

/// The blob `key` of the container `url` names, `size` bytes long when the client listed it, reached
/// with this process's storage settings and credentials.
fn blob_source(url: String, key: &str, size: u64, stores: Option<&Stores>) -> DfResult<ByteSource> {
    let Some(stores) = stores else {
        return Err(DataFusionError::Plan(format!(
            "blob {url}: this process reads no object storage (a torhunt cluster executor does)"
        )));
    };
    let container = match StorageUrl::parse(&url) {
        Some(Ok(container)) => container,
        Some(Err(error)) => return Err(DataFusionError::Execution(error.to_string())),
        None => return Err(DataFusionError::Internal(format!("`{url}` is not a storage URL"))),
    };
    // As text: Ballista passes a task's error on as text, and a storage error's own text is its message.
    let store = stores
        .store_for(&container)
        .map_err(|error| DataFusionError::Execution(error.to_string()))?;
    let meta = ObjectMeta {
        location: ObjectPath::parse(key)
            .map_err(|error| DataFusionError::Internal(format!("the key of blob {url}: {error}")))?,
        last_modified: chrono::DateTime::UNIX_EPOCH,
        size,
        e_tag: None,
        version: None,
    };
    Ok(ByteSource::Blob(Arc::new(ObjectBlob::new(store, &meta, url))))
}
