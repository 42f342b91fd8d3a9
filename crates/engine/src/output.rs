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
    let mut writer = ResultWriter::start(&result.columns, format, out)?;
    for batch in &result.batches {
        writer.batch(batch)?;
    }
    writer.finish()
}

/// The most characters of one cell a table shows; the rest is summarised (data formats keep every
/// value whole). Laying out and wrapping a multi-megabyte cell took a table minutes.
pub const TABLE_CELL_CHARS: usize = 1024;

/// Rows laid out together in a table: a longer result is printed as several tables, one after the
/// other, so printing holds one page of rows however many there are.
pub const TABLE_PAGE_ROWS: usize = 10_000;

/// Writes a result batch by batch as it arrives, holding at most one table page: JSON, NDJSON and CSV
/// rows go out as their batch comes in.
pub struct ResultWriter<'a> {
    columns: &'a [Column],
    format: OutputFormat,
    out: &'a mut dyn Write,
    rows: usize,
    page: Vec<Vec<String>>,
}

impl<'a> ResultWriter<'a> {
    /// Writes what comes before the rows (the CSV header, the JSON document's columns).
    pub fn start(columns: &'a [Column], format: OutputFormat, out: &'a mut dyn Write) -> io::Result<Self> {
        match format {
            OutputFormat::Json => {
                let described: Vec<Value> = columns
                    .iter()
                    .map(|c| json!({"name": c.name, "type": c.ty.name()}))
                    .collect();
                write!(
                    out,
                    "{{\n  \"columns\": {},\n  \"rows\": [",
                    indented(&described, 2)?
                )?;
            }
            OutputFormat::Csv => {
                let mut writer = csv::Writer::from_writer(&mut *out);
                writer.write_record(columns.iter().map(|c| c.name.as_str()))?;
                writer.flush()?;
            }
            OutputFormat::Ndjson | OutputFormat::Table => {}
        }
        Ok(ResultWriter {
            columns,
            format,
            out,
            rows: 0,
            page: Vec::new(),
        })
    }

    pub fn batch(&mut self, batch: &RecordBatch) -> io::Result<()> {
        let batch = std::slice::from_ref(batch);
        match self.format {
            OutputFormat::Json => {
                for row in rows_json(self.columns, batch) {
                    let separator = if self.rows == 0 { "" } else { "," };
                    write!(self.out, "{separator}\n    {}", indented(&row, 4)?)?;
                    self.rows += 1;
                }
            }
            OutputFormat::Ndjson => {
                for row in rows_json(self.columns, batch) {
                    let object: Map<String, Value> =
                        self.columns.iter().map(|c| c.name.clone()).zip(row).collect();
                    serde_json::to_writer(&mut *self.out, &object)?;
                    writeln!(self.out)?;
                    self.rows += 1;
                }
            }
            OutputFormat::Csv => {
                let mut writer = csv::Writer::from_writer(&mut *self.out);
                for row in rows_text(self.columns, batch) {
                    writer.write_record(&row)?;
                    self.rows += 1;
                }
                writer.flush()?;
            }
            OutputFormat::Table => {
                for row in rows_text(self.columns, batch) {
                    self.page.push(row.iter().map(|cell| table_cell(cell)).collect());
                    self.rows += 1;
                    if self.page.len() == TABLE_PAGE_ROWS {
                        self.print_page()?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Writes what comes after the rows.
    pub fn finish(mut self) -> io::Result<()> {
        match self.format {
            OutputFormat::Json if self.rows == 0 => writeln!(self.out, "]\n}}"),
            OutputFormat::Json => writeln!(self.out, "\n  ]\n}}"),
            OutputFormat::Ndjson | OutputFormat::Csv => Ok(()),
            OutputFormat::Table => {
                if !self.page.is_empty() || self.rows == 0 {
                    self.print_page()?;
                }
                let rows = self.rows;
                writeln!(self.out, "{rows} row{}", if rows == 1 { "" } else { "s" })
            }
        }
    }

    fn print_page(&mut self) -> io::Result<()> {
        let mut table = Table::new();
        table
            .load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(self.columns.iter().map(|c| terminal_safe(&c.name)));
        for row in self.page.drain(..) {
            table.add_row(row);
        }
        writeln!(self.out, "{table}")
    }
}

/// A value as serde_json prints it pretty, nested `depth` spaces deep in a pretty document.
fn indented(value: &[Value], depth: usize) -> io::Result<String> {
    let text = serde_json::to_string_pretty(value)?;
    Ok(text.replace('\n', &format!("\n{}", " ".repeat(depth))))
}

/// A cell as a table shows it: terminal-safe, and clipped to [`TABLE_CELL_CHARS`].
fn table_cell(text: &str) -> String {
    let clipped = match text.char_indices().nth(TABLE_CELL_CHARS) {
        Some((end, _)) => {
            let rest = text[end..].chars().count();
            Cow::Owned(format!(
                "{}… ({rest} more characters; --format csv or json shows all)",
                &text[..end]
            ))
        }
        None => Cow::Borrowed(text),
    };
    terminal_safe(&clipped).into_owned()
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

    fn sample(rows: usize, text: &str) -> QueryResult {
        use datafusion::arrow::array::{Int64Array, StringArray};
        use datafusion::arrow::datatypes::{Field, Schema};
        let schema = std::sync::Arc::new(Schema::new(vec![
            Field::new("n", DataType::Int64, true),
            Field::new("s", DataType::Utf8, true),
        ]));
        let batch = |range: std::ops::Range<usize>| {
            RecordBatch::try_new(
                schema.clone(),
                vec![
                    std::sync::Arc::new(Int64Array::from_iter_values(range.clone().map(|n| n as i64))),
                    std::sync::Arc::new(StringArray::from_iter_values(range.map(|_| text))),
                ],
            )
            .unwrap()
        };
        QueryResult {
            columns: vec![
                Column::new("n", KustoType::Long),
                Column::new("s", KustoType::String),
            ],
            batches: vec![batch(0..rows / 2), batch(rows / 2..rows)],
        }
    }

    fn written(result: &QueryResult, format: OutputFormat) -> String {
        let mut out = Vec::new();
        write_result(result, format, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn json_streams_the_document_serde_json_prints() {
        for rows in [0, 1, 5] {
            let result = sample(rows, "a\nb \"q\"");
            let document = json!({
                "columns": [{"name": "n", "type": "long"}, {"name": "s", "type": "string"}],
                "rows": (0..rows).map(|n| json!([n, "a\nb \"q\""])).collect::<Vec<_>>(),
            });
            let expected = serde_json::to_string_pretty(&document).unwrap() + "\n";
            assert_eq!(written(&result, OutputFormat::Json), expected, "{rows} rows");
        }
    }

    #[test]
    fn tables_clip_wide_cells_and_page_long_results_while_data_formats_keep_all() {
        let wide = "x".repeat(2 << 20);
        let result = sample(2, &wide);
        let table = written(&result, OutputFormat::Table);
        assert!(table.len() < 16 * TABLE_CELL_CHARS, "{} bytes", table.len());
        let note = format!("({} more characters;", wide.len() - TABLE_CELL_CHARS);
        assert_eq!(table.matches(&note).count(), 2, "{table}");
        assert!(table.ends_with("2 rows\n"), "{table}");
        let csv = written(&result, OutputFormat::Csv);
        assert_eq!(csv, format!("n,s\n0,{wide}\n1,{wide}\n"));

        let long = sample(TABLE_PAGE_ROWS + 3, "v");
        let table = written(&long, OutputFormat::Table);
        assert_eq!(table.matches("│ n ").count(), 2, "a header per page");
        assert!(table.ends_with(&format!("{} rows\n", TABLE_PAGE_ROWS + 3)));
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
