//! A first look at a text file during discovery: which tables its records belong to and which columns
//! beyond the built-in schema carry values (kept as `string`, or `dynamic` for JSON objects and arrays).

use std::collections::BTreeMap;

use csv::ByteRecord;
use kql_types::KustoType;
use serde_json::{Map, Value};

use crate::assemble::unroutable_reason;
use crate::error::{Result, SourceError};
use crate::format::SENTINEL_UTC_SUFFIX;
use crate::format::{Format, open_text};
use crate::read::{
    SourceFile, csv_read_error, field, guarded_reader, header_column, read_line_capped, record_read,
    table_of_category,
};
use crate::report::Position;
use crate::schema::{
    ACTION_TYPE, TIME_GENERATED, TIMESTAMP, TYPE, TableSchema, builtin_schema, canonical_table_name,
    table_for_action_type,
};
use crate::value::is_json_container_text;

/// Records read from a file whose table is known up front, to find its extra columns.
pub(crate) const SAMPLE_RECORDS: u64 = 1000;

#[derive(Debug, Default)]
pub(crate) struct Profile {
    /// Per table: its records seen and the columns that had a value (with the kind of value).
    pub tables: BTreeMap<String, TableProfile>,
    /// Records no table could be found for.
    pub unrouted: Vec<(Position, String)>,
    /// The file has a non-blank line.
    pub has_content: bool,
    /// Some sampled record (or the CSV header) has what every telemetry record has: a time column
    /// (`Timestamp`, `TimeGenerated`), an `ActionType` or a Streaming API envelope. A file with content
    /// and none of these (a relay list, a manifest) is not telemetry.
    pub looks_like_telemetry: bool,
}

/// Columns that mark a record as telemetry (see [`Profile::looks_like_telemetry`]).
const TELEMETRY_MARKERS: [&str; 3] = [TIMESTAMP, TIME_GENERATED, ACTION_TYPE];

#[derive(Debug, Default)]
pub(crate) struct TableProfile {
    pub records: u64,
    pub columns: BTreeMap<String, KustoType>,
}

impl TableProfile {
    fn observe(&mut self, column: &str, is_container: bool) {
        let kind = if is_container {
            KustoType::Dynamic
        } else {
            KustoType::String
        };
        self.columns
            .entry(column.to_string())
            .and_modify(|k| {
                if kind == KustoType::String {
                    *k = KustoType::String;
                }
            })
            .or_insert(kind);
    }

    fn observe_json(&mut self, column: &str, value: &Value) {
        match value {
            Value::Null => {}
            Value::String(text) if text.is_empty() => {}
            Value::String(text) => self.observe(column, is_json_container_text(text)),
            Value::Array(_) | Value::Object(_) => self.observe(column, true),
            _ => self.observe(column, false),
        }
    }
}

/// Profiles the first [`SAMPLE_RECORDS`] records of a text file, attributed to `table`, or when it is
/// `None` to the table each record names. Reading every record here would cost as much as the query
/// itself; scans report records of tables the sample did not show (see `discover::attribute`).
/// Records longer than `max_record_bytes` are not held (the scans report them).
pub(crate) fn profile(file: &SourceFile, table: Option<&str>, max_record_bytes: u64) -> Result<Profile> {
    let limit = SAMPLE_RECORDS;
    let mut profile = Profile::default();
    if file.format.is_mapped() {
        crate::mapped::profile(file, limit, max_record_bytes, &mut profile)?;
    } else if file.format.is_csv() {
        profile_csv(file, table, limit, max_record_bytes, &mut profile)?;
    } else {
        profile_json(file, table, limit, max_record_bytes, &mut profile)?;
    }
    Ok(profile)
}

fn route<'a>(
    profile: &'a mut Profile,
    table: Option<&str>,
    position: Position,
    why: impl FnOnce() -> String,
) -> Option<&'a mut TableProfile> {
    match table {
        Some(table) => {
            let entry = profile.tables.entry(table.to_string()).or_default();
            entry.records += 1;
            Some(entry)
        }
        None => {
            profile.unrouted.push((position, why()));
            None
        }
    }
}

fn action_type_table(action_type: Option<&str>) -> Option<&'static str> {
    action_type.and_then(table_for_action_type)
}

fn profile_json(
    file: &SourceFile,
    table: Option<&str>,
    limit: u64,
    max_record_bytes: u64,
    profile: &mut Profile,
) -> Result<()> {
    let mut reader = open_text(&file.source, file.compression, 0, None)?;
    let mut line = Vec::new();
    let (mut line_number, mut records) = (0u64, 0u64);
    while records < limit {
        line.clear();
        let (read, too_long) = read_line_capped(&mut reader, &mut line, max_record_bytes)
            .map_err(|e| SourceError::io(&file.path, e))?;
        if read == 0 {
            break;
        }
        line_number += 1;
        if too_long {
            profile.has_content = true;
            continue;
        }
        let position = Position::Line(line_number);
        profile.has_content |= !line.trim_ascii().is_empty();
        // Malformed lines are the scan's to report.
        let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(line.trim_ascii()) else {
            continue;
        };
        let envelopes: Vec<&Map<String, Value>> = match file.format {
            Format::EventHubJson => object
                .get("records")
                .and_then(Value::as_array)
                .map(|records| records.iter().filter_map(Value::as_object).collect())
                .unwrap_or_default(),
            _ => vec![&object],
        };
        for envelope in envelopes {
            records += 1;
            let (columns, category) = if file.format.has_envelope() {
                let Some(properties) = envelope.get("properties").and_then(Value::as_object) else {
                    continue;
                };
                (
                    properties,
                    envelope
                        .get("category")
                        .and_then(Value::as_str)
                        .map(table_of_category),
                )
            } else {
                (envelope, None)
            };
            profile.looks_like_telemetry |=
                category.is_some() || TELEMETRY_MARKERS.iter().any(|m| columns.contains_key(*m));
            let action_type = columns.get(ACTION_TYPE).and_then(Value::as_str);
            let record_type = columns
                .get(TYPE)
                .and_then(Value::as_str)
                .and_then(canonical_table_name);
            let record_table = table
                .or(category)
                .or(record_type)
                .or_else(|| action_type_table(action_type));
            if let Some(entry) = route(profile, record_table, position, || unroutable_reason(action_type)) {
                for (column, value) in columns {
                    entry.observe_json(column, value);
                }
            }
        }
    }
    Ok(())
}

fn profile_csv(
    file: &SourceFile,
    table: Option<&str>,
    limit: u64,
    max_record_bytes: u64,
    profile: &mut Profile,
) -> Result<()> {
    let mut reader = guarded_reader(
        open_text(&file.source, file.compression, 0, None)?,
        max_record_bytes,
    );
    let mut record = ByteRecord::new();
    let next_record = |reader: &mut csv::Reader<_>, record: &mut ByteRecord| {
        let line = reader.position().line().saturating_sub(1);
        let found = reader
            .read_byte_record(record)
            .map_err(|e| csv_read_error(&file.path, e, line, max_record_bytes))?;
        record_read(reader);
        Ok::<_, SourceError>(found)
    };
    if !next_record(&mut reader, &mut record)? {
        return Ok(());
    }
    let headers: Vec<String> = (0..record.len())
        .map(|i| String::from_utf8_lossy(field(&record, i)).into_owned())
        .collect();
    profile.has_content = true;
    profile.looks_like_telemetry = headers.iter().any(|h| {
        let name = h.trim_start_matches('\u{feff}');
        let name = name.strip_suffix(SENTINEL_UTC_SUFFIX).unwrap_or(name);
        TELEMETRY_MARKERS.contains(&name)
    });
    let type_index = headers
        .iter()
        .position(|h| h.trim_start_matches('\u{feff}') == TYPE);
    let action_index = headers
        .iter()
        .position(|h| h.trim_start_matches('\u{feff}') == ACTION_TYPE);
    // Header names resolve against each table's own schema (the `<Column>_<type>` union rule).
    let mut resolved: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut records = 0;
    while records < limit && next_record(&mut reader, &mut record)? {
        records += 1;
        // Short or undecodable records are the scan's to report.
        let values: Option<Vec<&str>> = (0..record.len())
            .map(|i| std::str::from_utf8(field(&record, i)).ok())
            .collect();
        let Some(values) = values.filter(|v| v.len() == headers.len()) else {
            continue;
        };
        let position = Position::Line(record.position().map_or(0, |p| p.line()));
        let action_type = action_index.map(|i| values[i]).filter(|a| !a.is_empty());
        let record_type = type_index.and_then(|i| canonical_table_name(values[i]));
        let Some(record_table) = table
            .or(record_type)
            .or_else(|| action_type_table(action_type))
            .map(str::to_string)
        else {
            route(profile, None, position, || unroutable_reason(action_type));
            continue;
        };
        let columns = resolved.entry(record_table.clone()).or_insert_with(|| {
            let schema = builtin_schema(&record_table)
                .cloned()
                .unwrap_or_else(|| TableSchema::minimal(&record_table));
            headers
                .iter()
                .map(|h| header_column(h, &headers, &schema))
                .collect()
        });
        if let Some(entry) = route(profile, Some(&record_table), position, String::new) {
            for (column, value) in columns.iter().zip(&values) {
                if !value.is_empty() {
                    entry.observe(column, is_json_container_text(value));
                }
            }
        }
    }
    Ok(())
}
