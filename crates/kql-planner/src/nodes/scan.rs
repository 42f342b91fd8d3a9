//! The `scan` plan node: a state machine over serialized rows (Kusto's documented scan logic).
//!
//! Each input row is checked against the steps from the last to the first. Step `k` matches when
//! - (check 1) step `k-1` has a sequence in its state and the condition holds over that state: the
//!   sequence moves to step `k` (clearing `k-1`), or else
//! - (check 2) step `k` has a sequence (or is the first step) and the condition holds over its own state:
//!   the step's values in the state are replaced; a first step without a sequence starts one with the
//!   next match id.
//!
//! A matching row is extended with the step's assignments (declared columns it does not assign keep
//! their defaults) and output unless the step is `output=none`.
//!
//! Conditions and assignments are expressions over the *scan row*: the input's columns followed by the
//! state columns the steps read (`Step.Column`). Expressions that read no state are evaluated once per
//! batch; the others once per candidate row, on a one-row batch.

use std::fmt;
use std::hash::Hash;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, Int64Array, UInt32Array, new_empty_array, new_null_array};
use datafusion::arrow::compute::take;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::common::{DFSchema, DFSchemaRef, Result, ScalarValue, internal_err};
use datafusion::execution::TaskContext;
use datafusion::logical_expr::{Expr, LogicalPlan, UserDefinedLogicalNodeCore};
use datafusion::physical_expr::expressions::Column as PhysicalColumn;
use datafusion::physical_expr::{
    EquivalenceProperties, LexRequirement, OrderingRequirements, PhysicalExpr, PhysicalSortRequirement,
};
use datafusion::physical_plan::execution_plan::{Boundedness, EmissionType};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{
    ChildrenPropertiesMode, DisplayAs, DisplayFormatType, Distribution, ExecutionPlan, Partitioning,
    PlanProperties, ReplaceChildrenOptions, SendableRecordBatchStream,
};
use futures::StreamExt;

/// A value of some step's record that a condition or assignment reads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StateColumn {
    /// Its name in the scan row (`Step.Column`).
    pub name: String,
    pub step: usize,
    /// Index into the record: the input's columns, then the declared columns.
    pub source: usize,
    pub data_type: DataType,
}

/// An expression of a step, and whether it reads the state (else it is evaluated per batch).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StepExpr {
    pub expr: Expr,
    pub reads_state: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StepProgram {
    pub condition: StepExpr,
    /// (declared column index, value cast to its type).
    pub assignments: Vec<(usize, StepExpr)>,
    pub emits: bool,
}

/// Everything the node needs besides its input.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ScanProgram {
    /// The input's columns that are output (the input plan carries the row order after them).
    pub input_width: usize,
    /// The name of the input column that numbers rows in serialized order.
    pub row_order: String,
    /// Declared columns: name and default, typed as the column.
    pub declared: Vec<(String, ScalarValue)>,
    pub state_columns: Vec<StateColumn>,
    pub steps: Vec<StepProgram>,
    pub match_id: Option<String>,
}

/// The logical node. Its expressions are kept out of [`UserDefinedLogicalNodeCore::expressions`]:
/// they read state columns the input does not have, so optimizer rewrites must not see them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ScanNode {
    input: LogicalPlan,
    program: Arc<ScanProgram>,
    schema: DFSchemaRef,
}

impl ScanNode {
    pub fn try_new(input: LogicalPlan, program: ScanProgram) -> Result<ScanNode> {
        let input_fields = input.schema().fields().iter().take(program.input_width).cloned();
        let declared = program
            .declared
            .iter()
            .map(|(name, default)| Arc::new(Field::new(name, default.data_type(), true)));
        let match_id = program
            .match_id
            .iter()
            .map(|name| Arc::new(Field::new(name, DataType::Int64, true)));
        let fields: Vec<_> = input_fields.chain(declared).chain(match_id).collect();
        let schema = DFSchema::from_unqualified_fields(fields.into(), Default::default())?;
        Ok(ScanNode {
            input,
            program: Arc::new(program),
            schema: Arc::new(schema),
        })
    }

    pub fn program(&self) -> &Arc<ScanProgram> {
        &self.program
    }
}

impl PartialOrd for ScanNode {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        self.input.partial_cmp(&other.input)
    }
}

impl UserDefinedLogicalNodeCore for ScanNode {
    fn name(&self) -> &str {
        "KqlScan"
    }

    fn inputs(&self) -> Vec<&LogicalPlan> {
        vec![&self.input]
    }

    fn schema(&self) -> &DFSchemaRef {
        &self.schema
    }

    fn expressions(&self) -> Vec<Expr> {
        Vec::new()
    }

    fn fmt_for_explain(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "KqlScan: {} steps", self.program.steps.len())
    }

    fn with_exprs_and_inputs(&self, _exprs: Vec<Expr>, mut inputs: Vec<LogicalPlan>) -> Result<Self> {
        let Some(input) = inputs.pop() else {
            return internal_err!("KqlScan has one input");
        };
        Ok(ScanNode {
            input,
            program: self.program.clone(),
            schema: self.schema.clone(),
        })
    }
}

/// A step's expressions ready to evaluate over the scan row.
#[derive(Debug)]
struct PhysicalStep {
    condition: Arc<dyn PhysicalExpr>,
    condition_reads_state: bool,
    assignments: Vec<(usize, Arc<dyn PhysicalExpr>, bool)>,
    emits: bool,
}

/// The physical operator: one partition in, in serialized order; one partition out.
#[derive(Debug)]
pub struct ScanExec {
    input: Arc<dyn ExecutionPlan>,
    program: Arc<ScanProgram>,
    steps: Arc<Vec<PhysicalStep>>,
    /// The scan row: the input's columns, then the state columns.
    row_schema: SchemaRef,
    /// The input's row-order column, for the ordering the scan needs.
    row_order: Arc<dyn PhysicalExpr>,
    properties: Arc<PlanProperties>,
}

impl ScanExec {
    /// Builds the operator; `physical` turns an expression over the scan row into a physical one.
    pub fn try_new(
        input: Arc<dyn ExecutionPlan>,
        program: Arc<ScanProgram>,
        output_schema: SchemaRef,
        physical: impl Fn(&Expr, &DFSchema) -> Result<Arc<dyn PhysicalExpr>>,
    ) -> Result<ScanExec> {
        let input_schema = input.schema();
        let mut fields: Vec<_> = input_schema.fields().iter().cloned().collect();
        fields.extend(
            program
                .state_columns
                .iter()
                .map(|c| Arc::new(Field::new(&c.name, c.data_type.clone(), true))),
        );
        let row_schema = Arc::new(Schema::new(fields));
        let row_dfschema = DFSchema::try_from(row_schema.as_ref().clone())?;
        let steps = program
            .steps
            .iter()
            .map(|step| {
                Ok(PhysicalStep {
                    condition: physical(&step.condition.expr, &row_dfschema)?,
                    condition_reads_state: step.condition.reads_state,
                    assignments: step
                        .assignments
                        .iter()
                        .map(|(index, value)| {
                            Ok((*index, physical(&value.expr, &row_dfschema)?, value.reads_state))
                        })
                        .collect::<Result<_>>()?,
                    emits: step.emits,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let row_order: Arc<dyn PhysicalExpr> = Arc::new(PhysicalColumn::new_with_schema(
            &program.row_order,
            &input_schema,
        )?);
        let properties = PlanProperties::new(
            EquivalenceProperties::new(output_schema),
            Partitioning::UnknownPartitioning(1),
            EmissionType::Incremental,
            Boundedness::Bounded,
        );
        Ok(ScanExec {
            input,
            program,
            steps: Arc::new(steps),
            row_schema,
            row_order,
            properties: Arc::new(properties),
        })
    }
}

impl ScanExec {
    /// What the node runs, as planned (a distributed executor plans its expressions again from it).
    pub fn program(&self) -> &Arc<ScanProgram> {
        &self.program
    }
}

impl DisplayAs for ScanExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "KqlScanExec: {} steps", self.steps.len())
    }
}

impl ExecutionPlan for ScanExec {
    fn name(&self) -> &str {
        "KqlScanExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn required_input_distribution(&self) -> Vec<Distribution> {
        vec![Distribution::SinglePartition]
    }

    fn required_input_ordering(&self) -> Vec<Option<OrderingRequirements>> {
        let order = PhysicalSortRequirement::new(self.row_order.clone(), Some(Default::default()));
        vec![LexRequirement::new([order]).map(OrderingRequirements::new)]
    }

    fn maintains_input_order(&self) -> Vec<bool> {
        vec![true]
    }

    fn benefits_from_input_partitioning(&self) -> Vec<bool> {
        vec![false]
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![&self.input]
    }

    fn apply_expressions(
        &self,
        f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>,
    ) -> Result<TreeNodeRecursion> {
        for step in self.steps.iter() {
            if f(&step.condition)? == TreeNodeRecursion::Stop {
                return Ok(TreeNodeRecursion::Stop);
            }
            for (_, value, _) in &step.assignments {
                if f(value)? == TreeNodeRecursion::Stop {
                    return Ok(TreeNodeRecursion::Stop);
                }
            }
        }
        Ok(TreeNodeRecursion::Continue)
    }

    fn replace_children(
        self: Arc<Self>,
        mut children: Vec<Arc<dyn ExecutionPlan>>,
        _options: ReplaceChildrenOptions,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let Some(input) = children.pop() else {
            return internal_err!("KqlScanExec has one input");
        };
        Ok(Arc::new(ScanExec {
            input,
            program: self.program.clone(),
            steps: self.steps.clone(),
            row_schema: self.row_schema.clone(),
            row_order: self.row_order.clone(),
            properties: self.properties.clone(),
        }))
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
        if partition != 0 {
            return internal_err!("KqlScanExec has one partition, not {partition}");
        }
        let mut machine = Machine {
            program: self.program.clone(),
            steps: self.steps.clone(),
            row_schema: self.row_schema.clone(),
            output_schema: self.schema(),
            states: vec![None; self.steps.len()],
            next_match_id: 0,
        };
        let batches = self
            .input
            .execute(0, context)?
            .map(move |batch| batch.and_then(|batch| machine.process(&batch)));
        Ok(Box::pin(RecordBatchStreamAdapter::new(self.schema(), batches)))
    }
}

/// A sequence in progress: its match id and, per state column, the value recorded so far.
#[derive(Debug, Clone)]
struct Sequence {
    match_id: i64,
    values: Vec<Option<ScalarValue>>,
}

/// An output row: the input row it extends, its declared values and its match id.
struct Emitted {
    row: u32,
    declared: Vec<ScalarValue>,
    match_id: i64,
}

struct Machine {
    program: Arc<ScanProgram>,
    steps: Arc<Vec<PhysicalStep>>,
    row_schema: SchemaRef,
    output_schema: SchemaRef,
    /// Per step, the sequence in its state.
    states: Vec<Option<Sequence>>,
    next_match_id: i64,
}

/// The per-batch context of evaluation: the batch, and each stateless expression's values.
struct BatchValues<'a> {
    batch: &'a RecordBatch,
    /// Per step: the condition's values (when stateless) and each assignment's.
    conditions: Vec<Option<ArrayRef>>,
    assignments: Vec<Vec<Option<ArrayRef>>>,
}

impl Machine {
    fn process(&mut self, batch: &RecordBatch) -> Result<RecordBatch> {
        let values = self.stateless_values(batch)?;
        let mut emitted = Vec::new();
        for row in 0..batch.num_rows() {
            for k in (0..self.steps.len()).rev() {
                self.check(k, row, &values, &mut emitted)?;
            }
        }
        self.output(batch, emitted)
    }

    /// Evaluates the expressions that read no state over the whole batch (state columns all null).
    fn stateless_values<'a>(&self, batch: &'a RecordBatch) -> Result<BatchValues<'a>> {
        let rows = batch.num_rows();
        let mut columns = batch.columns().to_vec();
        columns.extend(
            self.program
                .state_columns
                .iter()
                .map(|c| new_null_array(&c.data_type, rows)),
        );
        let row_batch = RecordBatch::try_new(self.row_schema.clone(), columns)?;
        let evaluate = |expr: &Arc<dyn PhysicalExpr>, reads_state: bool| -> Result<Option<ArrayRef>> {
            if reads_state {
                return Ok(None);
            }
            Ok(Some(expr.evaluate(&row_batch)?.into_array(rows)?))
        };
        let mut conditions = Vec::new();
        let mut assignments = Vec::new();
        for step in self.steps.iter() {
            conditions.push(evaluate(&step.condition, step.condition_reads_state)?);
            assignments.push(
                step.assignments
                    .iter()
                    .map(|(_, value, reads_state)| evaluate(value, *reads_state))
                    .collect::<Result<_>>()?,
            );
        }
        Ok(BatchValues {
            batch,
            conditions,
            assignments,
        })
    }

    /// Checks row `row` against step `k` (check 1, else check 2) and applies a match.
    fn check(
        &mut self,
        k: usize,
        row: usize,
        values: &BatchValues,
        emitted: &mut Vec<Emitted>,
    ) -> Result<()> {
        if k > 0
            && let Some(previous) = &self.states[k - 1]
            && self.holds(k, row, Some(previous), values)?
        {
            let Some(promoted) = self.states[k - 1].take() else {
                return internal_err!("a scan step lost its sequence");
            };
            return self.apply_match(k, row, promoted, values, emitted);
        }
        if (k == 0 || self.states[k].is_some()) && self.holds(k, row, self.states[k].as_ref(), values)? {
            let sequence = match self.states[k].take() {
                Some(sequence) => sequence,
                None => {
                    let match_id = self.next_match_id;
                    self.next_match_id += 1;
                    Sequence {
                        match_id,
                        values: vec![None; self.program.state_columns.len()],
                    }
                }
            };
            return self.apply_match(k, row, sequence, values, emitted);
        }
        Ok(())
    }

    /// Extends the row with step `k`'s assignments (read over the sequence as it was), records the
    /// row as step `k`'s values, makes the sequence step `k`'s state and emits the row.
    fn apply_match(
        &mut self,
        k: usize,
        row: usize,
        mut sequence: Sequence,
        values: &BatchValues,
        emitted: &mut Vec<Emitted>,
    ) -> Result<()> {
        let mut declared: Vec<ScalarValue> = self
            .program
            .declared
            .iter()
            .map(|(_, default)| default.clone())
            .collect();
        let step = &self.steps[k];
        for (position, (index, expr, _)) in step.assignments.iter().enumerate() {
            declared[*index] = match &values.assignments[k][position] {
                Some(array) => ScalarValue::try_from_array(array, row)?,
                None => self.evaluate_row(expr, row, Some(&sequence), values.batch)?,
            };
        }
        let input_width = self.program.input_width;
        for (slot, column) in self.program.state_columns.iter().enumerate() {
            if column.step != k {
                continue;
            }
            sequence.values[slot] = Some(if column.source < input_width {
                ScalarValue::try_from_array(values.batch.column(column.source), row)?
            } else {
                declared[column.source - input_width].clone()
            });
        }
        if step.emits {
            emitted.push(Emitted {
                row: row as u32,
                declared,
                match_id: sequence.match_id,
            });
        }
        self.states[k] = Some(sequence);
        Ok(())
    }

    /// Whether step `k`'s condition holds for `row` over `state`.
    fn holds(&self, k: usize, row: usize, state: Option<&Sequence>, values: &BatchValues) -> Result<bool> {
        let value = match &values.conditions[k] {
            Some(array) => ScalarValue::try_from_array(array, row)?,
            None => self.evaluate_row(&self.steps[k].condition, row, state, values.batch)?,
        };
        Ok(matches!(value, ScalarValue::Boolean(Some(true))))
    }

    /// Evaluates an expression for one row over a state: a one-row scan row.
    fn evaluate_row(
        &self,
        expr: &Arc<dyn PhysicalExpr>,
        row: usize,
        state: Option<&Sequence>,
        batch: &RecordBatch,
    ) -> Result<ScalarValue> {
        let mut columns: Vec<ArrayRef> = batch.columns().iter().map(|c| c.slice(row, 1)).collect();
        for (slot, column) in self.program.state_columns.iter().enumerate() {
            let value = match state.and_then(|s| s.values[slot].as_ref()) {
                Some(value) => value.clone(),
                None => self.absent(column)?,
            };
            columns.push(value.to_array_of_size(1)?);
        }
        let row_batch = RecordBatch::try_new(self.row_schema.clone(), columns)?;
        ScalarValue::try_from_array(&expr.evaluate(&row_batch)?.into_array(1)?, 0)
    }

    /// A state value no record has set: the declared default, an empty string (Kusto strings are
    /// never null), or null.
    fn absent(&self, column: &StateColumn) -> Result<ScalarValue> {
        let input_width = self.program.input_width;
        if column.source >= input_width {
            return Ok(self.program.declared[column.source - input_width].1.clone());
        }
        match column.data_type {
            DataType::Utf8 => Ok(ScalarValue::Utf8(Some(String::new()))),
            DataType::LargeUtf8 => Ok(ScalarValue::LargeUtf8(Some(String::new()))),
            DataType::Utf8View => Ok(ScalarValue::Utf8View(Some(String::new()))),
            ref other => ScalarValue::try_from(other),
        }
    }

    fn output(&self, batch: &RecordBatch, emitted: Vec<Emitted>) -> Result<RecordBatch> {
        let indices = UInt32Array::from_iter_values(emitted.iter().map(|e| e.row));
        let mut columns = batch.columns()[..self.program.input_width]
            .iter()
            .map(|c| take(c.as_ref(), &indices, None))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        for (index, (_, default)) in self.program.declared.iter().enumerate() {
            let column = if emitted.is_empty() {
                new_empty_array(&default.data_type())
            } else {
                ScalarValue::iter_to_array(emitted.iter().map(|e| e.declared[index].clone()))?
            };
            columns.push(column);
        }
        if self.program.match_id.is_some() {
            columns.push(Arc::new(Int64Array::from_iter_values(
                emitted.iter().map(|e| e.match_id),
            )));
        }
        Ok(RecordBatch::try_new(self.output_schema.clone(), columns)?)
    }
}
