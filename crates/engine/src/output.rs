//! Printing results the way Kusto shows them: datetimes as ISO 8601 UTC with up to seven fractional
//! digits, timespans as `[-][d.]hh:mm:ss[.fffffff]`, dynamic values as JSON, decimals as strings.

use std::borrow::Cow;
use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table, presets};
use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::{
    DataType, Decimal128Type, DurationNanosecondType, Float64Type, Int32Type, Int64Type, TimeUnit,
    TimestampNanosecondType,
};
use datafusion::arrow::record_batch::RecordBatch;
use kql_binder::catalog::Column;
use kql_types::{KustoType, time};
use serde_json::{Map, Value, json};

use crate::QueryResult;

/// How `query` prints its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Aligned columns, for people.
    Table,
    /// One document `{"columns":[{"name","type"}],"rows":[[...]]}`.
    Json,
    /// One JSON object per row.
    Ndjson,
    /// A header line, then RFC 4180 rows.
    Csv,
}

/// Text as it may be shown on a terminal: control characters (C0, DEL, C1) and the Unicode
/// bidirectional controls are written as Rust escapes (`\n`, `\t`, `\u{1b}`, `\u{202e}`), so data
/// cannot move the cursor, change colours, forge a line or reorder what is shown. Data formats (JSON,
/// CSV) keep values as they are; this is for tables and messages.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(shown_escaped) {
        return Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if shown_escaped(c) {
            safe.extend(c.escape_default());
        } else {
            safe.push(c);
        }
    }
    Cow::Owned(safe)
}

fn shown_escaped(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// The value of one cell as Kusto's JSON result format has it.
pub fn cell_json(array: &dyn Array, row: usize, ty: KustoType) -> Value {
    if array.is_null(row) {
        return match ty {
            KustoType::String => Value::String(String::new()),
            _ => Value::Null,
        };
    }
    match (ty, array.data_type()) {
        (KustoType::Dynamic, DataType::Utf8) => {
            let text = array.as_string::<i32>().value(row);
            serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
        }
        (_, DataType::Boolean) => Value::Bool(array.as_boolean().value(row)),
        (_, DataType::Int32) => json!(array.as_primitive::<Int32Type>().value(row)),
        (_, DataType::Int64) => json!(array.as_primitive::<Int64Type>().value(row)),
        (_, DataType::Float64) => {
            let value = array.as_primitive::<Float64Type>().value(row);
            serde_json::Number::from_f64(value).map_or_else(|| Value::String(real_text(value)), Value::Number)
        }
        _ => Value::String(cell_text(array, row, ty)),
    }
}

/// The value of one cell as text (CSV and table output): strings as they are, null as empty.
pub fn cell_text(array: &dyn Array, row: usize, ty: KustoType) -> String {
    if array.is_null(row) {
        return String::new();
    }
    match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().value(row).to_string(),
        DataType::Boolean => array.as_boolean().value(row).to_string(),
        DataType::Int32 => array.as_primitive::<Int32Type>().value(row).to_string(),
        DataType::Int64 => array.as_primitive::<Int64Type>().value(row).to_string(),
        DataType::Float64 => real_text(array.as_primitive::<Float64Type>().value(row)),
        DataType::Timestamp(TimeUnit::Nanosecond, _) => {
            time::format_datetime(array.as_primitive::<TimestampNanosecondType>().value(row))
        }
        DataType::Duration(TimeUnit::Nanosecond) => {
            time::format_timespan(array.as_primitive::<DurationNanosecondType>().value(row))
        }
        DataType::Decimal128(_, scale) => {
            let value = array.as_primitive::<Decimal128Type>().value(row);
            decimal_text(value, *scale)
        }
        other => format!("<{other} value of a {ty} column>"),
    }
}

/// Reals print like .NET's round-trip format: `1`, `0.1`, `NaN`, `Infinity`.
fn real_text(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_string()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.to_string()
    } else {
        value.to_string()
    }
}

fn decimal_text(value: i128, scale: i8) -> String {
    let scale = scale.max(0) as u32;
    let divisor = 10i128.pow(scale);
    let sign = if value < 0 { "-" } else { "" };
    let (whole, fraction) = (
        value.unsigned_abs() / divisor as u128,
        value.unsigned_abs() % divisor as u128,
    );
    let fraction = format!("{fraction:0width$}", width = scale as usize);
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    }
}

/// Writes a result in the chosen format.
pub fn write_result(result: &QueryResult, format: OutputFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        OutputFormat::Json => {
            let document = json!({
                "columns": result.columns.iter().map(|c| json!({"name": c.name, "type": c.ty.name()})).collect::<Vec<_>>(),
                "rows": rows_json(&result.columns, &result.batches).collect::<Vec<_>>(),
            });
            serde_json::to_writer_pretty(&mut *out, &document)?;
            writeln!(out)
        }
        OutputFormat::Ndjson => {
            for row in rows_json(&result.columns, &result.batches) {
                let object: Map<String, Value> =
                    result.columns.iter().map(|c| c.name.clone()).zip(row).collect();
                serde_json::to_writer(&mut *out, &object)?;
                writeln!(out)?;
            }
            Ok(())
        }
        OutputFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            writer.write_record(result.columns.iter().map(|c| c.name.as_str()))?;
            for row in rows_text(&result.columns, &result.batches) {
                writer.write_record(&row)?;
            }
            writer.flush()
        }
        OutputFormat::Table => {
            let mut table = Table::new();
            table
                .load_preset(presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_header(result.columns.iter().map(|c| terminal_safe(&c.name)));
            for row in rows_text(&result.columns, &result.batches) {
                table.add_row(row.iter().map(|cell| terminal_safe(cell)));
            }
            writeln!(out, "{table}")?;
            let rows = result.row_count();
            writeln!(out, "{rows} row{}", if rows == 1 { "" } else { "s" })
        }
    }
}

/// Every row as a vector of Kusto JSON values.
pub fn rows_json<'a>(
    columns: &'a [Column],
    batches: &'a [RecordBatch],
) -> impl Iterator<Item = Vec<Value>> + 'a {
    batches.iter().flat_map(move |batch| {
        (0..batch.num_rows()).map(move |row| {
            columns
                .iter()
                .zip(batch.columns())
                .map(|(column, array)| cell_json(array, row, column.ty))
                .collect()
        })
    })
}

fn rows_text<'a>(
    columns: &'a [Column],
    batches: &'a [RecordBatch],
) -> impl Iterator<Item = Vec<String>> + 'a {
    batches.iter().flat_map(move |batch| {
        (0..batch.num_rows()).map(move |row| {
            columns
                .iter()
                .zip(batch.columns())
                .map(|(column, array)| cell_text(array, row, column.ty))
                .collect()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_text_escapes_controls_and_bidi_overrides() {
        assert_eq!(terminal_safe("C:\\Windows\\tor.exe"), "C:\\Windows\\tor.exe");
        assert_eq!(terminal_safe("a\u{1b}[31mb\nc\td"), "a\\u{1b}[31mb\\nc\\td");
        assert_eq!(
            terminal_safe("\u{9b}2J \u{202e}gpj.exe"),
            "\\u{9b}2J \\u{202e}gpj.exe"
        );
        assert_eq!(terminal_safe("ünïcødé ✓"), "ünïcødé ✓");
    }

    #[test]
    fn decimals_print_without_trailing_zeros() {
        assert_eq!(decimal_text(1_500_000_000_000_000_000, 18), "1.5");
        assert_eq!(decimal_text(-2_000_000_000_000_000_000, 18), "-2");
    }

    #[test]
    fn reals_print_like_dotnet_round_trip() {
        assert_eq!(real_text(1.0), "1");
        assert_eq!(real_text(0.1), "0.1");
        assert_eq!(real_text(f64::NAN), "NaN");
    }
}
