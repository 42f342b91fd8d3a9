//! The `expand-chunks` plan node, in front of the unnest of `mv-expand`: it hands the unnest rows
//! whose expansion is bounded, in rows (the session's batch size) and in bytes ([`CHUNK_BYTES`]), and
//! reserves each chunk's expansion in the memory pool.
//!
//! DataFusion's unnest bounds its output batches by cutting its input between rows, but it expands a
//! row whole: a row whose array holds a million elements becomes one build of a million copies of the
//! row's other columns (a 4 KiB row past the 2 GiB a string column can address, which Arrow reports
//! as an offset overflow). Here such a row is cut into several rows, each holding a slice of its lists
//! (all lists sliced at the same element positions, so elements stay side by side and the item index,
//! itself one of the lists, stays with its element); unnested one after another they give the rows
//! the whole row would have given, in order.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::datatypes::{DataType, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::common::{DFSchemaRef, Result, internal_err};
use datafusion::execution::TaskContext;
use datafusion::execution::memory_pool::{MemoryConsumer, MemoryReservation};
use datafusion::logical_expr::{Expr, LogicalPlan, UserDefinedLogicalNodeCore};
use datafusion::physical_expr::{EquivalenceProperties, PhysicalExpr};
use datafusion::physical_plan::execution_plan::{Boundedness, EmissionType};
use datafusion::physical_plan::{
    ChildrenPropertiesMode, DisplayAs, DisplayFormatType, ExecutionPlan, ExecutionPlanProperties,
    PlanProperties, RecordBatchStream, ReplaceChildrenOptions, SendableRecordBatchStream,
};
use futures::{Stream, StreamExt};

/// The most one chunk may expand to, in bytes: like a reader's batch (32 MiB of text) halved, so
/// that a chunk and the batch it came from fit together in a modest `--memory-limit`.
pub const CHUNK_BYTES: usize = 16 << 20;

/// The logical node: the input's columns unchanged; `lists` name the list columns the unnest above
/// expands.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd)]
pub struct ExpandChunksNode {
    input: LogicalPlan,
    lists: Vec<String>,
}

impl ExpandChunksNode {
    pub fn new(input: LogicalPlan, lists: Vec<String>) -> ExpandChunksNode {
        ExpandChunksNode { input, lists }
    }

    pub fn lists(&self) -> &[String] {
        &self.lists
    }
}

impl UserDefinedLogicalNodeCore for ExpandChunksNode {
    fn name(&self) -> &str {
        "KqlExpandChunks"
    }

    fn inputs(&self) -> Vec<&LogicalPlan> {
        vec![&self.input]
    }

    fn schema(&self) -> &DFSchemaRef {
        self.input.schema()
    }

    fn expressions(&self) -> Vec<Expr> {
        Vec::new()
    }

    /// A filter on the other columns passes below: a cut row repeats them unchanged.
    fn prevent_predicate_push_down_columns(&self) -> HashSet<String> {
        self.lists.iter().cloned().collect()
    }

    /// The columns asked for and the lists (which decide the cuts): the node's columns are its
    /// input's, so columns nothing reads are dropped below it, as below the unnest, instead of being
    /// repeated for every element.
    fn necessary_children_exprs(&self, output_columns: &[usize]) -> Option<Vec<Vec<usize>>> {
        let schema = self.input.schema();
        let mut needed = output_columns.to_vec();
        for name in &self.lists {
            needed.push(schema.index_of_column_by_name(None, name)?);
        }
        needed.sort_unstable();
        needed.dedup();
        Some(vec![needed])
    }

    fn fmt_for_explain(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "KqlExpandChunks: {}", self.lists.join(", "))
    }

    fn with_exprs_and_inputs(&self, _exprs: Vec<Expr>, mut inputs: Vec<LogicalPlan>) -> Result<Self> {
        let Some(input) = inputs.pop() else {
            return internal_err!("KqlExpandChunks has one input");
        };
        Ok(ExpandChunksNode {
            input,
            lists: self.lists.clone(),
        })
    }
}

/// The physical operator: partition for partition, batches cut into chunks.
#[derive(Debug)]
pub struct ExpandChunksExec {
    input: Arc<dyn ExecutionPlan>,
    /// Indices of the list columns.
    lists: Arc<[usize]>,
    properties: Arc<PlanProperties>,
}

impl ExpandChunksExec {
    pub fn try_new(input: Arc<dyn ExecutionPlan>, lists: &[String]) -> Result<ExpandChunksExec> {
        let schema = input.schema();
        let lists = lists
            .iter()
            .map(|name| Ok(schema.index_of(name)?))
            .collect::<Result<Arc<[usize]>>>()?;
        for &index in lists.iter() {
            if !matches!(schema.field(index).data_type(), DataType::List(_)) {
                return internal_err!("KqlExpandChunks: column {index} is not a list");
            }
        }
        Ok(ExpandChunksExec::over(input, lists))
    }

    /// The names of the list columns, as [`ExpandChunksExec::try_new`] takes them (a distributed
    /// plan's codec sends them).
    pub fn list_names(&self) -> Vec<String> {
        let schema = self.input.schema();
        self.lists
            .iter()
            .map(|&index| schema.field(index).name().clone())
            .collect()
    }

    /// The operator over `input`, whose partitions it keeps.
    fn over(input: Arc<dyn ExecutionPlan>, lists: Arc<[usize]>) -> ExpandChunksExec {
        let properties = PlanProperties::new(
            EquivalenceProperties::new(input.schema()),
            input.output_partitioning().clone(),
            EmissionType::Incremental,
            Boundedness::Bounded,
        );
        ExpandChunksExec {
            input,
            lists,
            properties: Arc::new(properties),
        }
    }
}

impl DisplayAs for ExpandChunksExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "KqlExpandChunksExec: {CHUNK_BYTES} bytes")
    }
}

impl ExecutionPlan for ExpandChunksExec {
    fn name(&self) -> &str {
        "KqlExpandChunksExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn maintains_input_order(&self) -> Vec<bool> {
        vec![true]
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![&self.input]
    }

    fn apply_expressions(
        &self,
        _f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>,
    ) -> Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn replace_children(
        self: Arc<Self>,
        mut children: Vec<Arc<dyn ExecutionPlan>>,
        _options: ReplaceChildrenOptions,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let Some(input) = children.pop() else {
            return internal_err!("KqlExpandChunksExec has one input");
        };
        Ok(Arc::new(ExpandChunksExec::over(input, self.lists.clone())))
    }

    fn with_new_children(
        self: Arc<Self>,
        children: Vec<Arc<dyn ExecutionPlan>>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        self.replace_children(
            children,
            ReplaceChildrenOptions::new(ChildrenPropertiesMode::Recompute),
        )
    }

    fn execute(&self, partition: usize, context: Arc<TaskContext>) -> Result<SendableRecordBatchStream> {
        let reservation =
            MemoryConsumer::new(format!("mv-expand[{partition}]")).register(context.memory_pool());
        Ok(Box::pin(ChunkStream {
            schema: self.schema(),
            input: self.input.execute(partition, Arc::clone(&context))?,
            lists: self.lists.clone(),
            max_rows: context.session_config().batch_size().max(1),
            pending: VecDeque::new(),
            reservation,
        }))
    }
}

struct ChunkStream {
    schema: SchemaRef,
    input: SendableRecordBatchStream,
    lists: Arc<[usize]>,
    max_rows: usize,
    /// Chunks of the current input batch not handed out yet, with the bytes each expands to.
    pending: VecDeque<(RecordBatch, usize)>,
    /// Holds the expansion of the chunk handed out last: the consumer asks for the next one once it
    /// is done with it.
    reservation: MemoryReservation,
}

impl Stream for ChunkStream {
    type Item = Result<RecordBatch>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some((chunk, bytes)) = self.pending.pop_front() {
                if let Err(error) = self.reservation.try_resize(bytes) {
                    self.pending.clear();
                    return Poll::Ready(Some(Err(error)));
                }
                return Poll::Ready(Some(Ok(chunk)));
            }
            self.reservation.free();
            match std::task::ready!(self.input.poll_next_unpin(cx)) {
                Some(Ok(batch)) => match chunks(&batch, &self.lists, self.max_rows) {
                    Ok(chunks) => self.pending.extend(chunks),
                    Err(error) => return Poll::Ready(Some(Err(error))),
                },
                other => return Poll::Ready(other),
            }
        }
    }
}

impl RecordBatchStream for ChunkStream {
    fn schema(&self) -> SchemaRef {
        Arc::clone(&self.schema)
    }
}

/// `batch` cut into chunks that each expand to at most `max_rows` rows and [`CHUNK_BYTES`] bytes
/// (a single element of a row wider than that is a chunk of its own), with the bytes each expands to.
fn chunks(batch: &RecordBatch, lists: &[usize], max_rows: usize) -> Result<Vec<(RecordBatch, usize)>> {
    let expansions = expansions(batch, lists);
    let widths = row_widths(batch, lists);
    let mut out = Vec::new();
    let (mut start, mut rows, mut bytes) = (0, 0, 0);
    for (row, (&length, &width)) in expansions.iter().zip(&widths).enumerate() {
        let cost = length.saturating_mul(width);
        if length > max_rows || cost > CHUNK_BYTES {
            if row > start {
                out.push((batch.slice(start, row - start), bytes));
            }
            let per_chunk = (CHUNK_BYTES / width).clamp(1, max_rows);
            for from in (0..length).step_by(per_chunk) {
                let count = per_chunk.min(length - from);
                out.push((cut_row(batch, lists, row, from, count)?, count * width));
            }
            (start, rows, bytes) = (row + 1, 0, 0);
        } else if rows + length > max_rows || bytes + cost > CHUNK_BYTES {
            out.push((batch.slice(start, row - start), bytes));
            (start, rows, bytes) = (row, length, cost);
        } else {
            (rows, bytes) = (rows + length, bytes + cost);
        }
    }
    if start < batch.num_rows() {
        out.push((batch.slice(start, batch.num_rows() - start), bytes));
    }
    Ok(out)
}

/// Per row, how many rows it expands to: its longest list (a null list is empty).
fn expansions(batch: &RecordBatch, lists: &[usize]) -> Vec<usize> {
    let mut longest = vec![0usize; batch.num_rows()];
    for &index in lists {
        let list = batch.column(index).as_list::<i32>();
        for (row, longest) in longest.iter_mut().enumerate() {
            if list.is_valid(row) {
                *longest = (*longest).max(list.value_length(row) as usize);
            }
        }
    }
    longest
}

/// Per row, the bytes one expanded row of it takes: the other columns' values, which every expanded
/// row repeats, and an average element of each list.
fn row_widths(batch: &RecordBatch, lists: &[usize]) -> Vec<usize> {
    let rows = batch.num_rows();
    let mut widths = vec![1usize; rows];
    for (index, column) in batch.columns().iter().enumerate() {
        if lists.contains(&index) {
            let list = column.as_list::<i32>();
            let elements = list.values().len().max(1);
            let element = list.values().get_array_memory_size() / elements;
            widths.iter_mut().for_each(|width| *width += element);
            continue;
        }
        match column.data_type() {
            DataType::Utf8 => {
                let offsets = column.as_string::<i32>().offsets();
                for (row, width) in widths.iter_mut().enumerate() {
                    *width += (offsets[row + 1] - offsets[row]) as usize + 4;
                }
            }
            data_type => {
                let fixed = data_type.primitive_width();
                let each = fixed.unwrap_or_else(|| column.get_array_memory_size() / rows.max(1));
                widths.iter_mut().for_each(|width| *width += each);
            }
        }
    }
    widths
}

/// Row `row` of `batch` with each list cut to its elements `from .. from + count` (fewer, or none,
/// where a list is shorter; a null list stays null): what the unnest makes of it are those elements'
/// rows of the whole row.
fn cut_row(
    batch: &RecordBatch,
    lists: &[usize],
    row: usize,
    from: usize,
    count: usize,
) -> Result<RecordBatch> {
    let columns = batch
        .columns()
        .iter()
        .enumerate()
        .map(|(index, column)| {
            let whole = column.slice(row, 1);
            if !lists.contains(&index) || column.is_null(row) {
                return whole;
            }
            let DataType::List(field) = column.data_type() else {
                return whole;
            };
            let elements = column.as_list::<i32>().value(row);
            let start = from.min(elements.len());
            let length = count.min(elements.len() - start);
            let offsets = OffsetBuffer::from_lengths([length]);
            Arc::new(ListArray::new(
                Arc::clone(field),
                offsets,
                elements.slice(start, length),
                None,
            )) as ArrayRef
        })
        .collect();
    Ok(RecordBatch::try_new(batch.schema(), columns)?)
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{Int64Array, ListBuilder, StringArray, StringBuilder};
    use datafusion::arrow::datatypes::{Field, Schema};

    use super::*;

    /// Rows of (a wide text, a list of numbered elements).
    fn batch(rows: &[(usize, Option<usize>)]) -> RecordBatch {
        let wide = StringArray::from_iter_values(rows.iter().map(|(width, _)| "w".repeat(*width)));
        let mut list = ListBuilder::new(StringBuilder::new());
        for (_, length) in rows {
            match length {
                Some(length) => {
                    for element in 0..*length {
                        list.values().append_value(element.to_string());
                    }
                    list.append(true);
                }
                None => list.append(false),
            }
        }
        let list = list.finish();
        let schema = Schema::new(vec![
            Field::new("w", DataType::Utf8, false),
            Field::new("a", list.data_type().clone(), true),
        ]);
        RecordBatch::try_new(Arc::new(schema), vec![Arc::new(wide), Arc::new(list)]).expect("batch")
    }

    /// Each chunk's rows as (width of `w`, elements of `a`, or `None` for a null list).
    fn rows(chunk: &RecordBatch) -> Vec<(usize, Option<Vec<String>>)> {
        let wide = chunk.column(0).as_string::<i32>();
        let list = chunk.column(1).as_list::<i32>();
        (0..chunk.num_rows())
            .map(|row| {
                let elements = list.is_valid(row).then(|| {
                    let values = list.value(row);
                    values
                        .as_string::<i32>()
                        .iter()
                        .map(|v| v.unwrap_or("").to_string())
                        .collect()
                });
                (wide.value(row).len(), elements)
            })
            .collect()
    }

    #[test]
    fn small_rows_pass_whole_and_long_rows_are_cut_at_the_row_limit() {
        let input = batch(&[(1, Some(3)), (1, None), (1, Some(10)), (1, Some(2))]);
        let chunks = chunks(&input, &[1], 4).expect("chunks");
        let all: Vec<_> = chunks.iter().flat_map(|(chunk, _)| rows(chunk)).collect();
        let numbers = |range: std::ops::Range<usize>| Some(range.map(|n| n.to_string()).collect());
        assert_eq!(
            all,
            vec![
                (1, numbers(0..3)),
                (1, None),
                (1, numbers(0..4)),
                (1, numbers(4..8)),
                (1, numbers(8..10)),
                (1, numbers(0..2)),
            ]
        );
        // The short rows before and after the long one stay slices of the batch.
        assert_eq!(chunks.len(), 5);
        assert!(chunks.iter().all(|(chunk, _)| chunk.num_rows() <= 4));
    }

    #[test]
    fn a_wide_row_is_cut_by_bytes() {
        let width = CHUNK_BYTES / 3;
        let input = batch(&[(width, Some(7))]);
        let chunks = chunks(&input, &[1], 8192).expect("chunks");
        let lengths: Vec<usize> = chunks
            .iter()
            .map(|(chunk, _)| rows(chunk)[0].1.as_ref().map_or(0, Vec::len))
            .collect();
        assert_eq!(lengths, [2, 2, 2, 1]);
        assert!(chunks.iter().all(|(_, bytes)| *bytes <= CHUNK_BYTES));
    }

    #[test]
    fn lists_of_one_row_are_cut_at_the_same_positions() {
        let input = batch(&[(1, Some(5))]);
        let index = Int64Array::from_iter_values(0..5);
        let index = ListArray::new(
            Arc::new(Field::new("item", DataType::Int64, true)),
            OffsetBuffer::from_lengths([5]),
            Arc::new(index),
            None,
        );
        let schema = Schema::new(vec![
            input.schema().field(0).clone(),
            input.schema().field(1).clone(),
            Field::new("i", index.data_type().clone(), true),
        ]);
        let mut columns = input.columns().to_vec();
        columns.push(Arc::new(index));
        let input = RecordBatch::try_new(Arc::new(schema), columns).expect("batch");
        let chunks = chunks(&input, &[1, 2], 2).expect("chunks");
        let pairs: Vec<(String, i64)> = chunks
            .iter()
            .flat_map(|(chunk, _)| {
                let strings = chunk.column(1).as_list::<i32>().value(0);
                let numbers = chunk.column(2).as_list::<i32>().value(0);
                let strings: Vec<String> = strings
                    .as_string::<i32>()
                    .iter()
                    .map(|v| v.unwrap_or("").to_string())
                    .collect();
                let numbers: Vec<i64> = numbers
                    .as_primitive::<datafusion::arrow::datatypes::Int64Type>()
                    .values()
                    .to_vec();
                strings.into_iter().zip(numbers).collect::<Vec<_>>()
            })
            .collect();
        let expected: Vec<(String, i64)> = (0..5).map(|n| (n.to_string(), n)).collect();
        assert_eq!(pairs, expected);
    }
}
