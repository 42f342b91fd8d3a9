//! Records made of hunting queries' own string literals, added to a generated fleet so that the
//! queries' filters find rows to keep: a `torhunt gen` fleet holds Tor and torrent traffic and
//! everyday Windows activity, which few of Microsoft's hunting queries look for.
//!
//! For every query and every fleet table the query names, a few records whose string columns hold
//! that query's literals, as written, in the other ASCII case, between spaces (a `has` term) or inside
//! a longer word (a `contains` needle). JSON records (Event Hub messages, the storage layout's
//! hourly files, flat NDJSON) escape a share of their characters (`\u` in either hex case, `\/`), as
//! other writers of JSON do; CSV values are quoted with doubled quotes.
//! Every record is stamped with the fleet's `now`, so that recency filters keep it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use kusto_oracle::Case;
use torhunt_synth::{Layout, Manifest};

/// Records per query and table.
const RECORDS_PER_TABLE: usize = 12;
/// Longest literal planted: longer ones are regular expressions and messages, not values.
const LONGEST_LITERAL: usize = 80;

/// Adds the records to the fleet under `root` that `manifest` describes (Event Hub or CSV export).
/// Returns how many were added.
pub fn plant(root: &Path, manifest: &Manifest, cases: &[Case]) -> usize {
    let telemetry = root.join(&manifest.telemetry_dir);
    let now = manifest.now.as_str();
    let schema = torhunt_sources::kusto_language_schema();
    let tables = schema["tables"].as_object().expect("the catalog's tables");
    let mut random = SplitMix(0x5eed_1e7e_4a15);
    let mut records: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for case in cases {
        let literals = literals_of(&case.kql);
        if literals.is_empty() {
            continue;
        }
        for (table, columns) in tables {
            if !case.kql.contains(table.as_str()) || !manifest.rows.contains_key(table) {
                continue;
            }
            let strings: Vec<&String> = columns
                .as_object()
                .expect("columns")
                .iter()
                .filter(|(name, ty)| ty.as_str() == Some("string") && !is_time(name))
                .map(|(name, _)| name)
                .collect();
            for _ in 0..RECORDS_PER_TABLE {
                let mut values = Vec::new();
                for column in &strings {
                    if random.below(3) == 0 {
                        let literal = &literals[random.below(literals.len())];
                        values.push(((*column).clone(), disguised(literal, &mut random)));
                    }
                }
                records.push((table.clone(), values));
            }
        }
    }
    match Layout::from_id(&manifest.layout).expect("a layout torhunt gen writes") {
        Layout::EventHub => write_event_hub(&telemetry, now, &records, &mut random),
        Layout::Storage => append_lines(&records, |table, values| {
            (
                latest_hour_file(&telemetry, table),
                json_record(now, table, values, true, &mut random) + "\r\n",
            )
        }),
        Layout::FlatNdjson => append_lines(&records, |table, values| {
            (
                telemetry.join(format!("{table}.ndjson")),
                json_record(now, table, values, false, &mut random) + "\n",
            )
        }),
        Layout::PortalCsv => append_csv(&telemetry, now, &records),
    }
    records.len()
}

/// The storage layout's file for the fleet's last hour of `table`.
fn latest_hour_file(telemetry: &Path, table: &str) -> PathBuf {
    fn files(dir: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("a folder of the fleet").flatten() {
            let path = entry.path();
            if path.is_dir() {
                files(&path, found);
            } else {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    let folder = format!("insights-logs-advancedhunting-{}", table.to_ascii_lowercase());
    files(&telemetry.join(folder), &mut found);
    found.into_iter().max().expect("the table's hourly files")
}

/// Appends each record's line to the file `line_of` gives with it.
fn append_lines(
    records: &[(String, Vec<(String, String)>)],
    mut line_of: impl FnMut(&str, &[(String, String)]) -> (PathBuf, String),
) {
    for (table, values) in records {
        let (path, line) = line_of(table, values);
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        std::io::Write::write_all(&mut file, line.as_bytes()).expect("append the record");
    }
}

fn is_time(column: &str) -> bool {
    matches!(column, "Timestamp" | "TimeGenerated")
}

/// The string literals of a KQL query: `"…"` and `'…'`, verbatim `@"…"` as written, others with
/// their escapes resolved (roughly: `\\`, `\"`, `\'`); empty and long ones left out.
fn literals_of(kql: &str) -> Vec<String> {
    let mut literals = Vec::new();
    let mut chars = kql.char_indices().peekable();
    let mut in_comment = false;
    while let Some((at, c)) = chars.next() {
        if in_comment {
            in_comment = c != '\n';
        } else if c == '/' && chars.peek().is_some_and(|&(_, n)| n == '/') {
            in_comment = true;
        } else if c == '"' || c == '\'' {
            let verbatim = kql[..at].ends_with('@');
            let mut literal = String::new();
            while let Some((_, inner)) = chars.next() {
                match inner {
                    '\\' if !verbatim => {
                        if let Some((_, escaped)) = chars.next() {
                            literal.push(escaped);
                        }
                    }
                    '\n' => break,
                    _ if inner == c => break,
                    _ => literal.push(inner),
                }
            }
            if !literal.trim().is_empty() && literal.chars().count() <= LONGEST_LITERAL {
                literals.push(literal);
            }
        }
    }
    literals.sort();
    literals.dedup();
    literals
}

/// The literal as a value holding it: as written, in the other ASCII case, as a term between spaces,
/// or inside a longer word.
fn disguised(literal: &str, random: &mut SplitMix) -> String {
    match random.below(4) {
        0 => literal.to_string(),
        1 => literal
            .chars()
            .map(|c| match c {
                'a'..='z' => c.to_ascii_uppercase(),
                'A'..='Z' => c.to_ascii_lowercase(),
                _ => c,
            })
            .collect(),
        2 => format!("run {literal} now"),
        _ => format!("x{literal}x"),
    }
}

/// Event Hub messages of up to 20 records, tables mixed, spread evenly among the messages of the
/// fleet's largest file: the reader maps a file over a megabyte and tests a megabyte of messages at a
/// time before splitting any, so the planted messages sit in blocks it must not pass over.
fn write_event_hub(
    telemetry: &Path,
    now: &str,
    records: &[(String, Vec<(String, String)>)],
    random: &mut SplitMix,
) {
    let planted: Vec<String> = records
        .chunks(20)
        .map(|message| {
            let members: Vec<String> = message
                .iter()
                .map(|(table, values)| json_record(now, table, values, true, random))
                .collect();
            format!(r#"{{"records":[{}]}}"#, members.join(","))
        })
        .collect();
    let folder = std::fs::read_dir(telemetry)
        .expect("the fleet's telemetry folder")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.is_dir())
        .expect("the Event Hub folder");
    let largest = std::fs::read_dir(&folder)
        .expect("the Event Hub folder")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .max_by_key(|path| std::fs::metadata(path).map_or(0, |m| m.len()))
        .expect("a messages file");
    let generated = std::fs::read_to_string(&largest).expect("read the messages");
    let lines: Vec<&str> = generated.lines().collect();
    let every = lines.len().div_ceil(planted.len().max(1)).max(1);
    let mut text = String::new();
    let mut planted = planted.iter();
    for (index, line) in lines.iter().enumerate() {
        writeln!(text, "{line}").unwrap();
        if index % every == every - 1
            && let Some(message) = planted.next()
        {
            writeln!(text, "{message}").unwrap();
        }
    }
    for message in planted {
        writeln!(text, "{message}").unwrap();
    }
    std::fs::write(&largest, text).expect("write the records");
}

/// A record of `table` as JSON, stamped `now`: its columns, in a Streaming API envelope or not.
fn json_record(
    now: &str,
    table: &str,
    values: &[(String, String)],
    envelope: bool,
    random: &mut SplitMix,
) -> String {
    let mut columns = format!(r#"{{"Timestamp":"{now}""#);
    for (column, value) in values {
        write!(
            columns,
            ",{}:{}",
            json_string(column, random),
            json_string(value, random)
        )
        .unwrap();
    }
    columns.push('}');
    if !envelope {
        return columns;
    }
    format!(
        r#"{{"time":"{now}","tenantId":"00000000-0000-0000-0000-000000000000","operationName":"Publish","category":"AdvancedHunting-{table}","properties":{columns}}}"#
    )
}

/// A JSON string, a quarter of its characters `\u`-escaped (hex case at random) and `/` as `\/` when
/// one of every two strings is escaped at all.
fn json_string(text: &str, random: &mut SplitMix) -> String {
    let plain = serde_json::to_string(text).expect("a string serializes");
    if random.below(2) == 0 {
        return plain;
    }
    let mut escaped = String::from("\"");
    for c in text.chars() {
        let mut units = [0u16; 2];
        if c == '/' {
            escaped.push_str("\\/");
        } else if c == '"' || c == '\\' || (c as u32) < 0x20 || random.below(4) == 0 {
            for unit in c.encode_utf16(&mut units) {
                if random.below(2) == 0 {
                    write!(escaped, "\\u{unit:04x}").unwrap();
                } else {
                    write!(escaped, "\\u{unit:04X}").unwrap();
                }
            }
        } else {
            escaped.push(c);
        }
    }
    escaped.push('"');
    escaped
}

/// The records appended to each table's CSV export, by its header (CRLF lines, every value quoted).
fn append_csv(telemetry: &Path, now: &str, records: &[(String, Vec<(String, String)>)]) {
    let mut by_table: std::collections::BTreeMap<&str, Vec<&Vec<(String, String)>>> = Default::default();
    for (table, values) in records {
        by_table.entry(table).or_default().push(values);
    }
    for (table, rows) in by_table {
        let path = telemetry.join(format!("{table}.csv"));
        let mut text = std::fs::read_to_string(&path).expect("the table's export");
        let header: Vec<String> = text
            .lines()
            .next()
            .expect("a header")
            .trim_start_matches('\u{feff}')
            .split(',')
            .map(|name| name.trim_matches('"').to_string())
            .collect();
        if !text.ends_with('\n') {
            text.push_str("\r\n");
        }
        for values in rows {
            let fields: Vec<String> = header
                .iter()
                .map(|column| {
                    let value = if is_time(column) {
                        Some(now)
                    } else {
                        values
                            .iter()
                            .find(|(name, _)| name == column)
                            .map(|(_, v)| v.as_str())
                    };
                    value.map_or_else(String::new, |v| format!("\"{}\"", v.replace('"', "\"\"")))
                })
                .collect();
            text.push_str(&fields.join(","));
            text.push_str("\r\n");
        }
        std::fs::write(&path, text).expect("write the export");
    }
}

/// A small deterministic generator (SplitMix64): the records are the same in every run.
struct SplitMix(u64);

impl SplitMix {
    fn below(&mut self, bound: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) % bound as u64) as usize
    }
}
