//! torhunt's own plan nodes on the wire, composed with Ballista's codec.
//!
//! Plans reach the cluster as physical plans (see the crate docs), so only physical nodes need a codec:
//! `DistributedScanExec` (the telemetry readers, as [`distribute`] makes them), `KqlScanExec` (the
//! `scan` operator) and `KqlExpandChunksExec` (`mv-expand`'s bounded chunks). Every other node is DataFusion's (datafusion-proto) or Ballista's (shuffles), which
//! [`BallistaPhysicalExtensionCodec`] handles. Functions travel by name and are found in the executor's
//! registry ([`crate::session`]).
//!
//! A torhunt node is framed as [`MAGIC`], then postcard of [`Frame`]: the torhunt build that encoded it
//! ([`BUILD`]) and the node. A frame from another build is refused, naming both, since node layouts may
//! differ; so is every task whose session says another client build ([`crate::identity`]).
//!
//! The relay intel functions (`tor_relay_at`, `tor_relay_info`) answer from a relay store. A call carries
//! the digest of the client's store; the scheduler and each executor answer from their own store
//! (loaded at start) only when its digest is the same, and refuse the plan otherwise, so a cluster
//! never answers from other relay history than the client would (docs/decisions.md).

use std::io::Cursor;
use std::sync::Arc;

use datafusion::arrow::array::new_null_array;
use datafusion::arrow::datatypes::{DataType, SchemaRef};
use datafusion::arrow::ipc::reader::StreamReader;
use datafusion::arrow::ipc::writer::StreamWriter;
use datafusion::arrow::record_batch::{RecordBatch, RecordBatchOptions};
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{DataFusionError, Result, ScalarValue};
use datafusion::datasource::memory::MemorySourceConfig;
use datafusion::execution::{SessionStateBuilder, TaskContext};
use datafusion::logical_expr::{AggregateUDF, Expr, ScalarUDF};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::placeholder_row::PlaceholderRowExec;
use datafusion_proto::bytes::Serializeable;
use datafusion_proto::physical_plan::{PhysicalExtensionCodec, PhysicalProtoConverterExtension};
use kql_planner::{ExpandChunksExec, ScanExec, ScanProgram, StateColumn, StepExpr, StepProgram};
use serde::{Deserialize, Serialize};
use torhunt_intel::Store;
use torhunt_intel::udf::{TorRelayAt, TorRelayInfo};
use torhunt_sources::{DistributedScanExec, ReadReport, Stores, TelemetryScanExec};

use ballista_core::serde::BallistaPhysicalExtensionCodec;

use crate::identity::{BUILD, build_skew, check_client};

/// Starts every torhunt node's bytes. Ballista's own nodes are protobuf messages, whose first byte is
/// a field tag, never `t` followed by this text.
pub const MAGIC: &[u8] = b"torhunt-plan\0";

#[derive(Serialize, Deserialize)]
struct Frame {
    /// The [`BUILD`] that encoded the node.
    build: String,
    node: Node,
}

#[derive(Serialize, Deserialize)]
enum Node {
    /// [`DistributedScanExec::to_bytes`]; its work is its input.
    Telemetry(Vec<u8>),
    KqlScan(WireScanProgram),
    /// `mv-expand`'s chunking before the unnest: the names of its list columns.
    ExpandChunks(Vec<String>),
    /// A relay intel function: which store it must answer from.
    RelayIntel(StoreId),
}

/// What identifies a relay store, and what describes it in messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct StoreId {
    digest: [u8; 32],
    snapshots: usize,
    /// The newest snapshot's time, seconds since the epoch.
    newest: Option<i64>,
}

impl StoreId {
    fn of(store: &Store) -> Result<StoreId> {
        let digest = store
            .digest()
            .map_err(|e| internal(format!("reading the relay store's digest: {e}")))?;
        Ok(StoreId {
            digest,
            snapshots: store.snapshots().len(),
            newest: store.snapshots().iter().map(|s| s.time.timestamp()).max(),
        })
    }
}

impl std::fmt::Display for StoreId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let digest: String = self.digest[..6].iter().map(|b| format!("{b:02x}")).collect();
        write!(f, "{} snapshots", self.snapshots)?;
        if let Some(newest) = self.newest.and_then(|t| chrono::DateTime::from_timestamp(t, 0)) {
            write!(f, ", newest {}", newest.format("%Y-%m-%dT%H:%M:%SZ"))?;
        }
        write!(f, ", digest {digest}…")
    }
}

/// A [`ScanProgram`] with its expressions and values as datafusion-proto bytes, and the node's output
/// schema as Arrow IPC.
#[derive(Serialize, Deserialize)]
struct WireScanProgram {
    input_width: usize,
    row_order: String,
    /// Name and default (a literal expression).
    declared: Vec<(String, Vec<u8>)>,
    state_columns: Vec<WireStateColumn>,
    steps: Vec<WireStep>,
    match_id: Option<String>,
    output_schema: Vec<u8>,
}

#[derive(Serialize, Deserialize)]
struct WireStateColumn {
    name: String,
    step: usize,
    source: usize,
    /// A null literal of the column's type.
    data_type: Vec<u8>,
}

#[derive(Serialize, Deserialize)]
struct WireStep {
    condition: (Vec<u8>, bool),
    assignments: Vec<(usize, (Vec<u8>, bool))>,
    emits: bool,
}

/// torhunt's nodes first, then Ballista's (shuffle readers and writers), then DataFusion's defaults.
#[derive(Debug, Default)]
pub struct TorhuntCodec {
    ballista: BallistaPhysicalExtensionCodec,
    /// The relay store this process answers relay intel calls from (a scheduler's or executor's).
    intel: Option<(Arc<Store>, StoreId)>,
    /// How this process reaches telemetry in object storage (an executor's).
    storage: Option<Arc<Stores>>,
}

impl TorhuntCodec {
    /// A codec that decodes relay intel calls to functions over `store`, when the plan's store is the
    /// same.
    pub fn with_intel(store: Arc<Store>) -> Result<TorhuntCodec> {
        let id = StoreId::of(&store)?;
        Ok(TorhuntCodec {
            intel: Some((store, id)),
            ..TorhuntCodec::default()
        })
    }

    /// The codec reading blobs through `stores`: this process's storage settings and credentials.
    pub fn with_storage(self, stores: Arc<Stores>) -> TorhuntCodec {
        TorhuntCodec {
            storage: Some(stores),
            ..self
        }
    }

    fn relay_function(&self, name: &str, theirs: &StoreId) -> Result<Arc<ScalarUDF>> {
        let Some((store, ours)) = &self.intel else {
            return Err(DataFusionError::Plan(format!(
                "the query calls `{name}`, and this cluster process has no relay intel store: start it with \
                 --intel DIR holding the client's store ({theirs})"
            )));
        };
        if ours != theirs {
            return Err(DataFusionError::Plan(format!(
                "the query calls `{name}`, and this cluster process's relay intel store ({ours}) is not the \
                 client's ({theirs}): every cluster process must load the client's store (--intel DIR), or \
                 answers would differ"
            )));
        }
        match name {
            TorRelayAt::NAME => Ok(Arc::new(ScalarUDF::from(TorRelayAt::new(store.clone())))),
            TorRelayInfo::NAME => Ok(Arc::new(ScalarUDF::from(TorRelayInfo::new(store.clone())))),
            other => Err(internal(format!("relay intel for unknown function `{other}`"))),
        }
    }
}

/// The store a relay intel function answers from (`None`: not a relay intel function).
fn relay_store(udf: &ScalarUDF) -> Option<&Arc<Store>> {
    let inner = udf.inner();
    inner
        .downcast_ref::<TorRelayAt>()
        .map(TorRelayAt::store)
        .or_else(|| inner.downcast_ref::<TorRelayInfo>().map(TorRelayInfo::store))
}

/// `node` framed for the wire.
fn frame(node: Node, buf: &mut Vec<u8>) -> Result<()> {
    let frame = Frame {
        build: BUILD.to_string(),
        node,
    };
    let framed =
        postcard::to_stdvec(&frame).map_err(|e| internal(format!("encoding a torhunt plan node: {e}")))?;
    buf.extend_from_slice(MAGIC);
    buf.extend_from_slice(&framed);
    Ok(())
}

/// The node of a frame, `None` when `buf` is not one of torhunt's.
fn unframe(buf: &[u8]) -> Option<Result<Node>> {
    let framed = buf.strip_prefix(MAGIC)?;
    Some(
        postcard::from_bytes::<Frame>(framed)
            .map_err(|e| internal(format!("decoding a torhunt plan node: {e}")))
            .and_then(|frame| match frame.build == BUILD {
                true => Ok(frame.node),
                false => Err(build_skew(&frame.build)),
            }),
    )
}

impl PhysicalExtensionCodec for TorhuntCodec {
    fn try_decode(
        &self,
        buf: &[u8],
        inputs: &[Arc<dyn ExecutionPlan>],
        ctx: &TaskContext,
        proto_converter: &dyn PhysicalProtoConverterExtension,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        // Every task's plan starts with one of Ballista's shuffle writers, decoded here: each task is
        // checked, whatever nodes it holds.
        check_client(ctx.session_config())?;
        let Some(node) = unframe(buf) else {
            return self.ballista.try_decode(buf, inputs, ctx, proto_converter);
        };
        match node? {
            Node::Telemetry(bytes) => Ok(Arc::new(DistributedScanExec::from_bytes(
                &bytes,
                one_input(inputs)?,
                self.storage.clone(),
            )?)),
            Node::KqlScan(program) => decode_kql_scan(program, one_input(inputs)?, ctx),
            Node::ExpandChunks(lists) => Ok(Arc::new(ExpandChunksExec::try_new(one_input(inputs)?, &lists)?)),
            Node::RelayIntel(_) => Err(internal("relay intel where a plan node was expected".to_string())),
        }
    }

    fn try_encode(
        &self,
        node: Arc<dyn ExecutionPlan>,
        buf: &mut Vec<u8>,
        proto_converter: &dyn PhysicalProtoConverterExtension,
    ) -> Result<()> {
        let ours = if let Some(scan) = node.downcast_ref::<DistributedScanExec>() {
            Node::Telemetry(scan.to_bytes()?)
        } else if let Some(scan) = node.downcast_ref::<ScanExec>() {
            Node::KqlScan(encode_kql_scan(scan)?)
        } else if let Some(chunks) = node.downcast_ref::<ExpandChunksExec>() {
            Node::ExpandChunks(chunks.list_names())
        } else {
            return self.ballista.try_encode(node, buf, proto_converter);
        };
        frame(ours, buf)
    }

    fn try_decode_udf(&self, name: &str, buf: &[u8]) -> Result<Arc<ScalarUDF>> {
        match unframe(buf) {
            None => self.ballista.try_decode_udf(name, buf),
            Some(node) => match node? {
                Node::RelayIntel(store) => self.relay_function(name, &store),
                _ => Err(internal(format!(
                    "a plan node where function `{name}` was expected"
                ))),
            },
        }
    }

    fn try_encode_udf(&self, node: &ScalarUDF, buf: &mut Vec<u8>) -> Result<()> {
        match relay_store(node) {
            Some(store) => frame(Node::RelayIntel(StoreId::of(store)?), buf),
            None => self.ballista.try_encode_udf(node, buf),
        }
    }

    fn try_decode_udaf(&self, name: &str, buf: &[u8]) -> Result<Arc<AggregateUDF>> {
        self.ballista.try_decode_udaf(name, buf)
    }

    fn try_encode_udaf(&self, node: &AggregateUDF, buf: &mut Vec<u8>) -> Result<()> {
        self.ballista.try_encode_udaf(node, buf)
    }
}

/// A plan as a cluster runs it, and the read report of each of its telemetry scans, indexed by the
/// number the scan publishes its reads under ([`torhunt_sources::RemoteRead`]).
pub struct Distributed {
    pub plan: Arc<dyn ExecutionPlan>,
    pub reports: Vec<ReadReport>,
}

/// `plan` as a cluster runs it: each telemetry scan with its work as data ([`DistributedScanExec`]), so
/// Ballista can give each task its own partitions of it; and each placeholder row (`print`) as an
/// in-memory source of that row, since Ballista 55 never completes a stage whose union has three or more
/// placeholder-row inputs (`union (print x=1), (print x=2), (print x=3)`), while unions of in-memory
/// sources (`datatable`) complete.
pub fn distribute(plan: Arc<dyn ExecutionPlan>) -> Result<Distributed> {
    let mut reports = Vec::new();
    let plan = plan
        .transform_up(|node| {
            if let Some(scan) = node.downcast_ref::<TelemetryScanExec>() {
                let id = u32::try_from(reports.len())
                    .map_err(|_| internal("more telemetry scans than a plan can number".to_string()))?;
                reports.push(scan.report().clone());
                return Ok(Transformed::yes(
                    Arc::new(scan.distributed(id)?) as Arc<dyn ExecutionPlan>
                ));
            }
            if node.is::<PlaceholderRowExec>() {
                return Ok(Transformed::yes(placeholder_rows_in_memory(&node)?));
            }
            Ok(Transformed::no(node))
        })?
        .data;
    Ok(Distributed { plan, reports })
}

/// What a [`PlaceholderRowExec`] produces, one row of nulls per partition, as an in-memory source.
fn placeholder_rows_in_memory(node: &Arc<dyn ExecutionPlan>) -> Result<Arc<dyn ExecutionPlan>> {
    let schema = node.schema();
    let columns = schema
        .fields()
        .iter()
        .map(|field| new_null_array(field.data_type(), 1))
        .collect();
    let row = RecordBatch::try_new_with_options(
        schema.clone(),
        columns,
        &RecordBatchOptions::new().with_row_count(Some(1)),
    )?;
    let partitions = vec![vec![row]; node.properties().output_partitioning().partition_count()];
    let source: Arc<dyn ExecutionPlan> = MemorySourceConfig::try_new_exec(&partitions, schema, None)?;
    Ok(source)
}

fn one_input(inputs: &[Arc<dyn ExecutionPlan>]) -> Result<Arc<dyn ExecutionPlan>> {
    match inputs {
        [input] => Ok(input.clone()),
        _ => Err(internal(format!("expected one input, got {}", inputs.len()))),
    }
}

fn internal(message: String) -> DataFusionError {
    DataFusionError::Internal(message)
}

fn expr_bytes(expr: &Expr) -> Result<Vec<u8>> {
    Ok(expr.to_bytes()?.to_vec())
}

fn step_expr_bytes(step: &StepExpr) -> Result<(Vec<u8>, bool)> {
    Ok((expr_bytes(&step.expr)?, step.reads_state))
}

fn literal_bytes(value: &ScalarValue) -> Result<Vec<u8>> {
    expr_bytes(&Expr::Literal(value.clone(), None))
}

fn encode_kql_scan(scan: &ScanExec) -> Result<WireScanProgram> {
    let program = scan.program();
    Ok(WireScanProgram {
        input_width: program.input_width,
        row_order: program.row_order.clone(),
        declared: program
            .declared
            .iter()
            .map(|(name, default)| Ok((name.clone(), literal_bytes(default)?)))
            .collect::<Result<_>>()?,
        state_columns: program
            .state_columns
            .iter()
            .map(|c| {
                Ok(WireStateColumn {
                    name: c.name.clone(),
                    step: c.step,
                    source: c.source,
                    data_type: literal_bytes(&ScalarValue::try_from(&c.data_type)?)?,
                })
            })
            .collect::<Result<_>>()?,
        steps: program
            .steps
            .iter()
            .map(|step| {
                Ok(WireStep {
                    condition: step_expr_bytes(&step.condition)?,
                    assignments: step
                        .assignments
                        .iter()
                        .map(|(index, value)| Ok((*index, step_expr_bytes(value)?)))
                        .collect::<Result<_>>()?,
                    emits: step.emits,
                })
            })
            .collect::<Result<_>>()?,
        match_id: program.match_id.clone(),
        output_schema: schema_bytes(&scan.schema())?,
    })
}

fn decode_kql_scan(
    wire: WireScanProgram,
    input: Arc<dyn ExecutionPlan>,
    ctx: &TaskContext,
) -> Result<Arc<dyn ExecutionPlan>> {
    let expr = |bytes: &[u8]| Expr::from_bytes_with_ctx(bytes, ctx);
    let literal = |bytes: &[u8]| match expr(bytes)? {
        Expr::Literal(value, _) => Ok(value),
        other => Err(internal(format!("expected a literal in a KqlScan, got {other}"))),
    };
    let step_expr = |(bytes, reads_state): &(Vec<u8>, bool)| -> Result<StepExpr> {
        Ok(StepExpr {
            expr: expr(bytes)?,
            reads_state: *reads_state,
        })
    };
    let program = ScanProgram {
        input_width: wire.input_width,
        row_order: wire.row_order,
        declared: wire
            .declared
            .iter()
            .map(|(name, default)| Ok((name.clone(), literal(default)?)))
            .collect::<Result<_>>()?,
        state_columns: wire
            .state_columns
            .iter()
            .map(|c| {
                let data_type: DataType = literal(&c.data_type)?.data_type();
                Ok(StateColumn {
                    name: c.name.clone(),
                    step: c.step,
                    source: c.source,
                    data_type,
                })
            })
            .collect::<Result<_>>()?,
        steps: wire
            .steps
            .iter()
            .map(|step| {
                Ok(StepProgram {
                    condition: step_expr(&step.condition)?,
                    assignments: step
                        .assignments
                        .iter()
                        .map(|(index, value)| Ok((*index, step_expr(value)?)))
                        .collect::<Result<_>>()?,
                    emits: step.emits,
                })
            })
            .collect::<Result<_>>()?,
        match_id: wire.match_id,
    };
    // The step expressions are planned as the client's KqlQueryPlanner plans them: by a session state's
    // `create_physical_expr` (type coercion, then the physical expression), with the task's functions.
    let state = SessionStateBuilder::new()
        .with_config(ctx.session_config().clone())
        .with_runtime_env(ctx.runtime_env())
        .with_default_features()
        .with_scalar_functions(ctx.scalar_functions().values().cloned().collect())
        .build();
    let output_schema = schema_of(&wire.output_schema)?;
    let scan = ScanExec::try_new(input, Arc::new(program), output_schema, |expr, schema| {
        state.create_physical_expr(expr.clone(), schema)
    })?;
    Ok(Arc::new(scan))
}

/// A schema as an Arrow IPC stream without batches.
fn schema_bytes(schema: &SchemaRef) -> Result<Vec<u8>> {
    let mut writer = StreamWriter::try_new(Vec::new(), schema)?;
    writer.finish()?;
    Ok(writer.into_inner()?)
}

fn schema_of(bytes: &[u8]) -> Result<SchemaRef> {
    Ok(StreamReader::try_new(Cursor::new(bytes), None)?.schema())
}
