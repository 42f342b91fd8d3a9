//! Assembling decoded records into Arrow batches of a table's projected columns, and the column rules
//! every layout shares (string nulls read as "", `Timestamp`/`TimeGenerated` derived from each other,
//! `Type` defaulting to the table name).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, BooleanBuilder, Decimal128Builder, DurationNanosecondBuilder, Float64Builder,
    Int32Builder, Int64Builder, StringArray, StringBuilder, TimestampNanosecondBuilder,
};
use datafusion::arrow::compute::is_not_null;
use datafusion::arrow::compute::kernels::zip::zip;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::{RecordBatch, RecordBatchOptions};
use datafusion::error::Result as DfResult;
use kql_types::{DECIMAL_PRECISION, DECIMAL_SCALE, KustoType};
use serde_json::Value;
use torhunt_prefilter::{Condition, Encoding, Prefilter};

use crate::join_keys::JoinKeys;
use crate::prefilter::prefilter_of;
use crate::schema::{
    ACTION_TYPE, TIME_GENERATED, TIMESTAMP, TYPE, TableSchema, canonical_table_name, routed_by_action_type,
    table_for_action_type,
};
use crate::time_prefilter::TimeBounds;
use crate::value::{Cell, cell_from_json, cell_from_text};

/// Rows per batch handed to DataFusion.
pub(crate) const BATCH_SIZE: usize = 8192;
/// Bytes of text per batch handed to DataFusion, whichever comes first: rows with large values make
/// smaller batches, so a batch's memory is bounded (and Arrow's 2 GiB string offsets never overflow).
pub(crate) const BATCH_BYTES: usize = 32 << 20;

/// Why a record's table cannot be told (discovery's profile and the scan report it alike).
pub(crate) fn unroutable_reason(action_type: Option<&str>) -> String {
    match action_type {
        Some(action) => format!("ActionType {action:?} belongs to no table torhunt knows"),
        None => "record has no ActionType (and no category) to tell its table".to_string(),
    }
}

/// How a file's records map to tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Routing {
    /// Every record of the file belongs to the table (a `NAME=PATH` mapping, a file or folder named
    /// after the table).
    WholeFile,
    /// Each record names its table: by `category` in Streaming API layouts, else by `ActionType`.
    PerRecord,
}

/// What one scan reads: a table, its full schema and the columns the query wants.
#[derive(Debug, Clone)]
pub(crate) struct ScanSpec {
    pub table: String,
    pub schema: TableSchema,
    /// Indices into `schema` of the output columns, in output order.
    pub projection: Vec<usize>,
    pub output_schema: SchemaRef,
    /// Indices into `schema` of every column a reader decodes: the projection, the typed columns (so a
    /// malformed value skips its record whatever the query projects), and the columns the shared rules
    /// derive from.
    pub decoded: Vec<usize>,
    /// The raw test records must pass to be parsed at all (`None`: every record is parsed).
    pub prefilter: Option<Arc<Prefilter>>,
    /// The time bounds records must meet to be parsed, tested on their raw time fields.
    pub time_bounds: Option<TimeBounds>,
    /// Join keys records must hold to be parsed, tested on their raw key fields (all of them).
    pub join_keys: Vec<Arc<JoinKeys>>,
    /// In files mixing tables, a record of this table names it (its `category` or `Type`) when no
    /// `ActionType` routes records to it: the table's name, as a case-insensitive needle, must occur in
    /// it. `None` when not tested.
    pub table_name_test: Option<Arc<Prefilter>>,
}

/// The shape of a raw JSON text a scan tests before parsing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonShape {
    /// A flat object of columns (NDJSON).
    Columns,
    /// A Streaming API record: columns in `properties`, `TimeGenerated` from `time`.
    Envelope,
    /// A whole Event Hub message that could not be split into records: only its text is tested.
    Message,
}

impl ScanSpec {
    pub fn new(table: &str, schema: TableSchema, projection: Option<&[usize]>) -> ScanSpec {
        let projection: Vec<usize> = match projection {
            Some(p) => p.to_vec(),
            None => (0..schema.columns().len()).collect(),
        };
        let output_schema = SchemaRef::new(
            schema
                .arrow_schema()
                .project(&projection)
                .expect("projection indices come from this schema"),
        );
        let wants = |name: &str| schema.index_of(name).is_some_and(|i| projection.contains(&i));
        let time_wanted = wants(TIMESTAMP) || wants(TIME_GENERATED);
        let decoded = (0..schema.columns().len())
            .filter(|&i| {
                let (name, kusto_type) = &schema.columns()[i];
                projection.contains(&i)
                    || !matches!(kusto_type, KustoType::String | KustoType::Dynamic)
                    || (time_wanted && (name == TIMESTAMP || name == TIME_GENERATED))
            })
            .collect();
        ScanSpec {
            table: table.to_string(),
            schema,
            projection,
            output_schema,
            decoded,
            prefilter: None,
            time_bounds: None,
            join_keys: Vec::new(),
            table_name_test: None,
        }
    }

    /// Tests records of files mixing tables for the table's name when `on` and the table can be told
    /// by its name alone (see [`ScanSpec::table_name_test`]).
    pub fn with_table_name_test(mut self, on: bool) -> ScanSpec {
        self.table_name_test = (on && !routed_by_action_type(&self.table))
            .then(|| prefilter_of(Condition::needle(&self.table, false)))
            .flatten();
        self
    }

    pub fn with_prefilter(mut self, prefilter: Option<Arc<Prefilter>>) -> ScanSpec {
        self.prefilter = prefilter;
        self
    }

    pub fn with_time_bounds(mut self, time_bounds: Option<TimeBounds>) -> ScanSpec {
        self.time_bounds = time_bounds;
        self
    }

    /// Whether records are tested before they are parsed.
    pub fn tests_raw_records(&self) -> bool {
        self.prefilter.is_some()
            || self.time_bounds.is_some()
            || !self.join_keys.is_empty()
            || self.table_name_test.is_some()
    }

    /// Whether a raw JSON text may hold a row of the scan; `false` guarantees it holds none.
    pub fn admits_json(&self, text: &[u8], shape: JsonShape) -> bool {
        self.prefilter
            .as_ref()
            .is_none_or(|p| p.admits(Encoding::Json, text))
            && match (&self.time_bounds, shape) {
                (Some(bounds), JsonShape::Columns) => bounds.admits_json(text, false),
                (Some(bounds), JsonShape::Envelope) => bounds.admits_json(text, true),
                _ => true,
            }
            && match shape {
                JsonShape::Columns => self.join_keys.iter().all(|keys| keys.admits_json(text, false)),
                JsonShape::Envelope => self.join_keys.iter().all(|keys| keys.admits_json(text, true)),
                JsonShape::Message => true,
            }
    }

    fn decoded_type(&self, slot: usize) -> KustoType {
        self.schema.columns()[self.decoded[slot]].1
    }
}

/// How a reader treats one source key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// Decode the value into this slot.
    Decode(usize),
    /// A column of the table the query does not need.
    Skip,
    /// The record's `ActionType`, needed for routing but not projected.
    ActionType,
    /// The record's `Type` (the table a Sentinel export's row comes from), needed for routing but not
    /// projected.
    RecordType,
    /// Not a column of the table.
    Unknown,
}

/// What became of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RowOutcome {
    Appended,
    /// The record belongs to another table (read by that table's scan).
    OtherTable,
    /// The record belongs to no table of the data set.
    Unrouted(String),
    Malformed(String),
}

/// Collects one file's records into batches for a [`ScanSpec`].
pub(crate) struct RowAssembler {
    spec: Arc<ScanSpec>,
    routing: Routing,
    tables: Arc<BTreeSet<String>>,
    slots: HashMap<String, Lookup>,
    cells: Vec<Cell>,
    action_type: Option<String>,
    /// The record's `Type`, when it names a catalog table (Sentinel exports carry it on every row).
    record_type: Option<String>,
    first_error: Option<String>,
    unknown_in_row: Vec<String>,
    unknown_columns: Vec<String>,
    builders: Vec<ColumnBuilder>,
    rows: usize,
    /// Text bytes in `builders` and `staged`, roughly the batch's size.
    bytes: usize,
    /// The lookups of the keys of the last record, by position: a file's records list their keys in the
    /// same order, so one comparison usually replaces hashing the key.
    key_order: Vec<(Box<str>, Lookup)>,
    /// Kept records of the Event Hub message being read, cells row after row: a message is kept
    /// whole or not at all, and a syntax error can come after some of its records.
    staged: Vec<Cell>,
    staging: bool,
    /// String buffers of finished rows, reused for the next rows' text cells.
    spare_text: Vec<String>,
    /// The decoded slot of `ActionType`, if the query reads it.
    action_type_slot: Option<usize>,
    /// The decoded slot of `Type`, if the query reads it.
    record_type_slot: Option<usize>,
}

impl RowAssembler {
    pub fn new(spec: Arc<ScanSpec>, routing: Routing, tables: Arc<BTreeSet<String>>) -> RowAssembler {
        let mut slots: HashMap<String, Lookup> = spec
            .schema
            .columns()
            .iter()
            .map(|(name, _)| (name.clone(), Lookup::Skip))
            .collect();
        for (slot, &column) in spec.decoded.iter().enumerate() {
            slots.insert(spec.schema.columns()[column].0.clone(), Lookup::Decode(slot));
        }
        for (column, lookup) in [(ACTION_TYPE, Lookup::ActionType), (TYPE, Lookup::RecordType)] {
            if routing == Routing::PerRecord && slots.get(column).is_none_or(|l| *l == Lookup::Skip) {
                slots.insert(column.to_string(), lookup);
            }
        }
        let slot_of = |name: &str| {
            spec.decoded
                .iter()
                .position(|&column| spec.schema.columns()[column].0 == name)
        };
        let (action_type_slot, record_type_slot) = (slot_of(ACTION_TYPE), slot_of(TYPE));
        let builders = (0..spec.decoded.len())
            .map(|slot| ColumnBuilder::new(spec.decoded_type(slot)))
            .collect();
        RowAssembler {
            cells: vec![Cell::Null; spec.decoded.len()],
            spec,
            routing,
            tables,
            slots,
            action_type: None,
            record_type: None,
            first_error: None,
            unknown_in_row: Vec::new(),
            unknown_columns: Vec::new(),
            builders,
            rows: 0,
            bytes: 0,
            key_order: Vec::new(),
            staged: Vec::new(),
            staging: false,
            spare_text: Vec::new(),
            action_type_slot,
            record_type_slot,
        }
    }

    pub fn spec(&self) -> &ScanSpec {
        &self.spec
    }

    pub fn spec_arc(&self) -> &Arc<ScanSpec> {
        &self.spec
    }

    pub fn routing(&self) -> &Routing {
        &self.routing
    }

    /// Whether a raw JSON text may hold a row of the scan ([`ScanSpec::admits_json`]) and, in a file
    /// mixing tables, a record of its table. The table's name is searched first: one needle, where
    /// a join's keys may be dozens, and most records of a file mixing tables are other tables'.
    pub fn admits_json(&self, text: &[u8], shape: JsonShape) -> bool {
        self.may_be_own_table(text) && self.spec.admits_json(text, shape)
    }

    /// Whether a raw JSON text may hold a record of the scan's table: in a file mixing tables, its
    /// name must occur in it when [`ScanSpec::table_name_test`] says so.
    pub fn may_be_own_table(&self, text: &[u8]) -> bool {
        self.own_table_admitted_from(text).is_some()
    }

    /// [`may_be_own_table`](Self::may_be_own_table) for a text of lines, and from where (see
    /// [`torhunt_prefilter::Prefilter::admitted_from`]): no line before it holds the table's name.
    pub fn own_table_admitted_from(&self, text: &[u8]) -> Option<usize> {
        match &self.spec.table_name_test {
            Some(test) if self.routing == Routing::PerRecord => test.admitted_from(Encoding::Json, text),
            _ => Some(0),
        }
    }

    /// Whether a record naming `table` belongs to another table of the data set (its outcome is
    /// [`RowOutcome::OtherTable`] whatever it holds).
    pub fn is_other_table(&self, table: &str) -> bool {
        self.routing == Routing::PerRecord && table != self.spec.table && self.tables.contains(table)
    }

    pub fn lookup(&self, column: &str) -> Lookup {
        self.slots.get(column).cloned().unwrap_or(Lookup::Unknown)
    }

    /// [`lookup`](Self::lookup) of the key at `position` of a record's object.
    pub fn lookup_at(&mut self, position: usize, key: &str) -> Lookup {
        if let Some((cached, lookup)) = self.key_order.get(position)
            && **cached == *key
        {
            return lookup.clone();
        }
        let lookup = self.lookup(key);
        let entry = (Box::from(key), lookup.clone());
        match self.key_order.get_mut(position) {
            Some(slot) => *slot = entry,
            None => self.key_order.push(entry),
        }
        lookup
    }

    pub fn begin_row(&mut self) {
        for cell in &mut self.cells {
            if let Cell::Text(text) = std::mem::take(cell) {
                recycle(&mut self.spare_text, text);
            }
        }
        self.action_type = None;
        self.record_type = None;
        self.first_error = None;
        self.unknown_in_row.clear();
    }

    pub fn set_json(&mut self, lookup: &Lookup, value: &Value) {
        match lookup {
            Lookup::Decode(slot) => {
                let converted = cell_from_json(value, self.spec.decoded_type(*slot));
                self.store(*slot, converted);
                self.remember_action_type(*slot);
            }
            Lookup::ActionType => self.action_type = value.as_str().map(str::to_string),
            Lookup::RecordType => self.record_type = value.as_str().map(str::to_string),
            Lookup::Skip | Lookup::Unknown => {}
        }
    }

    pub fn set_text(&mut self, lookup: &Lookup, text: &str) {
        match lookup {
            // Most cells are strings: refill a spare buffer rather than allocate one per value.
            Lookup::Decode(slot)
                if !text.is_empty() && self.spec.decoded_type(*slot) == KustoType::String =>
            {
                let mut buffer = self.spare_text.pop().unwrap_or_default();
                buffer.clear();
                buffer.push_str(text);
                self.cells[*slot] = Cell::Text(buffer);
                self.remember_action_type(*slot);
            }
            Lookup::Decode(slot) => {
                let converted = cell_from_text(text, self.spec.decoded_type(*slot));
                self.store(*slot, converted);
                self.remember_action_type(*slot);
            }
            Lookup::ActionType => self.action_type = Some(text.to_string()),
            Lookup::RecordType => self.record_type = Some(text.to_string()),
            Lookup::Skip | Lookup::Unknown => {}
        }
    }

    /// Sets a column from the record envelope (`time`, `tenantId`) unless the record's own columns
    /// already gave it a value.
    pub fn set_text_if_null(&mut self, column: &str, text: &str) {
        if let Some(Lookup::Decode(slot)) = self.slots.get(column).cloned()
            && self.cells[slot] == Cell::Null
        {
            self.set_text(&Lookup::Decode(slot), text);
        }
    }

    /// A source column the schema lacks, reported once per file if its record is kept.
    pub fn note_unknown(&mut self, column: &str) {
        self.unknown_in_row.push(column.to_string());
    }

    pub fn record_error(&mut self, reason: String) {
        self.first_error.get_or_insert(reason);
    }

    fn store(&mut self, slot: usize, converted: Result<Cell, String>) {
        match converted {
            Ok(cell) => self.cells[slot] = cell,
            Err(reason) => {
                let column = &self.spec.schema.columns()[self.spec.decoded[slot]].0;
                self.record_error(format!("column {column}: {reason}"));
            }
        }
    }

    /// Routing by `ActionType` or `Type` needs their values even when the query decodes the columns.
    fn remember_action_type(&mut self, slot: usize) {
        if self.routing != Routing::PerRecord {
            return;
        }
        if let Cell::Text(text) = &self.cells[slot] {
            if self.action_type_slot == Some(slot) {
                self.action_type = Some(text.clone());
            } else if self.record_type_slot == Some(slot) {
                self.record_type = Some(text.clone());
            }
        }
    }

    /// Ends a record; `category_table` is the table its envelope names, if it has one.
    pub fn finish_row(&mut self, category_table: Option<&str>) -> RowOutcome {
        if self.routing == Routing::PerRecord {
            let table = category_table
                .or_else(|| self.record_type.as_deref().and_then(canonical_table_name))
                .or_else(|| self.action_type.as_deref().and_then(table_for_action_type));
            match table {
                Some(table) if table == self.spec.table => {}
                Some(table) if self.tables.contains(table) => return RowOutcome::OtherTable,
                Some(table) => {
                    return RowOutcome::Unrouted(format!(
                        "a record of table {table}, which the first records of the files did not show"
                    ));
                }
                None => return RowOutcome::Unrouted(unroutable_reason(self.action_type.as_deref())),
            }
        }
        if let Some(reason) = self.first_error.take() {
            return RowOutcome::Malformed(reason);
        }
        for column in self.unknown_in_row.drain(..) {
            if !self.unknown_columns.contains(&column) {
                self.unknown_columns.push(column);
            }
        }
        self.bytes += self.cells.iter().map(Cell::text_len).sum::<usize>();
        if self.staging {
            self.staged.extend(self.cells.iter_mut().map(std::mem::take));
        } else {
            for (builder, cell) in self.builders.iter_mut().zip(&self.cells) {
                builder.append(cell);
            }
            self.rows += 1;
        }
        RowOutcome::Appended
    }

    /// From now on, kept records wait for [`commit_staged`](Self::commit_staged) or
    /// [`discard_staged`](Self::discard_staged).
    pub fn stage(&mut self) {
        self.staging = true;
    }

    pub fn commit_staged(&mut self) {
        let width = self.cells.len().max(1);
        for row in self.staged.chunks(width) {
            for (builder, cell) in self.builders.iter_mut().zip(row) {
                builder.append(cell);
            }
            self.rows += 1;
        }
        for cell in self.staged.drain(..) {
            if let Cell::Text(text) = cell {
                recycle(&mut self.spare_text, text);
            }
        }
        self.staging = false;
    }

    pub fn discard_staged(&mut self) {
        self.bytes -= self.staged.iter().map(Cell::text_len).sum::<usize>();
        self.staged.clear();
        self.staging = false;
    }

    /// Text bytes of the rows collected so far.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    pub fn len(&self) -> usize {
        self.rows
    }

    /// Unknown columns seen in kept records so far.
    pub fn unknown_columns(&self) -> &[String] {
        &self.unknown_columns
    }

    /// The rows collected so far as a batch of the output columns (none when empty).
    pub fn take_batch(&mut self) -> DfResult<Option<RecordBatch>> {
        if self.rows == 0 {
            return Ok(None);
        }
        let arrays = self.builders.iter_mut().map(ColumnBuilder::finish).collect();
        let rows = std::mem::take(&mut self.rows);
        self.bytes = 0;
        finish_columns(&self.spec, arrays, rows).map(Some)
    }
}

/// Keeps a string buffer for reuse; a few dozen are enough for any row.
fn recycle(spare: &mut Vec<String>, text: String) {
    const SPARE_BUFFERS: usize = 64;
    if spare.len() < SPARE_BUFFERS {
        spare.push(text);
    }
}

/// Builds the output batch from arrays of the spec's decoded columns, applying the shared column rules.
pub(crate) fn finish_columns(
    spec: &ScanSpec,
    mut decoded: Vec<ArrayRef>,
    rows: usize,
) -> DfResult<RecordBatch> {
    let slot_of = |name: &str| {
        spec.decoded
            .iter()
            .position(|&i| spec.schema.columns()[i].0 == name)
    };
    for (slot, array) in decoded.iter_mut().enumerate() {
        if spec.decoded_type(slot) == KustoType::String && array.null_count() > 0 {
            *array = empty_strings_for_nulls(array, "")?;
        }
    }
    if let (Some(timestamp), Some(generated)) = (slot_of(TIMESTAMP), slot_of(TIME_GENERATED)) {
        let (ts, tg) = (decoded[timestamp].clone(), decoded[generated].clone());
        decoded[timestamp] = zip(&is_not_null(&ts)?, &ts, &tg)?;
        decoded[generated] = zip(&is_not_null(&tg)?, &tg, &ts)?;
    }
    if let Some(type_slot) = slot_of(TYPE) {
        decoded[type_slot] = empty_strings_for_nulls(&decoded[type_slot], &spec.table)?;
    }
    let columns: Vec<ArrayRef> = spec
        .projection
        .iter()
        .map(|column| {
            let slot = spec
                .decoded
                .iter()
                .position(|d| d == column)
                .expect("projected columns are decoded");
            decoded[slot].clone()
        })
        .collect();
    let options = RecordBatchOptions::new().with_row_count(Some(rows));
    Ok(RecordBatch::try_new_with_options(
        spec.output_schema.clone(),
        columns,
        &options,
    )?)
}

/// Replaces null and empty strings of a string column by `fill` (`""` for Kusto's never-null strings,
/// the table name for `Type`).
fn empty_strings_for_nulls(array: &ArrayRef, fill: &str) -> DfResult<ArrayRef> {
    let strings = datafusion::common::cast::as_string_array(array)?;
    let filled: StringArray = strings
        .iter()
        .map(|v| Some(v.filter(|s| !s.is_empty()).unwrap_or(fill).to_string()))
        .collect();
    Ok(Arc::new(filled))
}

/// An Arrow builder for one Kusto-typed column.
enum ColumnBuilder {
    Bool(BooleanBuilder),
    Int(Int32Builder),
    Long(Int64Builder),
    Real(Float64Builder),
    Decimal(Decimal128Builder),
    /// string, guid, dynamic.
    Text(StringBuilder),
    DateTime(TimestampNanosecondBuilder),
    TimeSpan(DurationNanosecondBuilder),
}

impl ColumnBuilder {
    fn new(kusto_type: KustoType) -> ColumnBuilder {
        match kusto_type {
            KustoType::Bool => ColumnBuilder::Bool(BooleanBuilder::with_capacity(BATCH_SIZE)),
            KustoType::Int => ColumnBuilder::Int(Int32Builder::with_capacity(BATCH_SIZE)),
            KustoType::Long => ColumnBuilder::Long(Int64Builder::with_capacity(BATCH_SIZE)),
            KustoType::Real => ColumnBuilder::Real(Float64Builder::with_capacity(BATCH_SIZE)),
            KustoType::Decimal => ColumnBuilder::Decimal(
                Decimal128Builder::with_capacity(BATCH_SIZE)
                    .with_precision_and_scale(DECIMAL_PRECISION, DECIMAL_SCALE)
                    .expect("Kusto's decimal precision and scale are valid"),
            ),
            KustoType::String | KustoType::Guid | KustoType::Dynamic => {
                ColumnBuilder::Text(StringBuilder::with_capacity(BATCH_SIZE, BATCH_SIZE * 16))
            }
            KustoType::DateTime => {
                ColumnBuilder::DateTime(TimestampNanosecondBuilder::with_capacity(BATCH_SIZE))
            }
            KustoType::TimeSpan => {
                ColumnBuilder::TimeSpan(DurationNanosecondBuilder::with_capacity(BATCH_SIZE))
            }
        }
    }

    /// Appends a cell the converters produced for this column's type (anything else is null).
    fn append(&mut self, cell: &Cell) {
        match (self, cell) {
            (ColumnBuilder::Bool(b), Cell::Bool(v)) => b.append_value(*v),
            (ColumnBuilder::Int(b), Cell::Int(v)) => b.append_value(*v),
            (ColumnBuilder::Long(b), Cell::Long(v)) => b.append_value(*v),
            (ColumnBuilder::Real(b), Cell::Real(v)) => b.append_value(*v),
            (ColumnBuilder::Text(b), Cell::Text(v)) => b.append_value(v),
            (ColumnBuilder::DateTime(b), Cell::DateTime(v)) => b.append_value(*v),
            (ColumnBuilder::TimeSpan(b), Cell::TimeSpan(v)) => b.append_value(*v),
            (builder, _) => builder.append_null(),
        }
    }

    fn append_null(&mut self) {
        match self {
            ColumnBuilder::Bool(b) => b.append_null(),
            ColumnBuilder::Int(b) => b.append_null(),
            ColumnBuilder::Long(b) => b.append_null(),
            ColumnBuilder::Real(b) => b.append_null(),
            ColumnBuilder::Decimal(b) => b.append_null(),
            ColumnBuilder::Text(b) => b.append_null(),
            ColumnBuilder::DateTime(b) => b.append_null(),
            ColumnBuilder::TimeSpan(b) => b.append_null(),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            ColumnBuilder::Bool(b) => Arc::new(b.finish()),
            ColumnBuilder::Int(b) => Arc::new(b.finish()),
            ColumnBuilder::Long(b) => Arc::new(b.finish()),
            ColumnBuilder::Real(b) => Arc::new(b.finish()),
            ColumnBuilder::Decimal(b) => Arc::new(b.finish()),
            ColumnBuilder::Text(b) => Arc::new(b.finish()),
            ColumnBuilder::DateTime(b) => Arc::new(b.finish()),
            ColumnBuilder::TimeSpan(b) => Arc::new(b.finish()),
        }
    }
}
