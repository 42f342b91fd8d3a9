//! Writing rows as they are generated, in one of the layouts Defender data comes in. Rows are never
//! collected, so fleets of any size stream to disk.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::SynthError;
use crate::table::{Columns, MICROS_PER_SECOND, Row, Table, iso_time};

/// A file layout torhunt reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Streaming API to Event Hub: lines `{"records": [...]}` of up to [`RECORDS_PER_MESSAGE`] records of
    /// every table, in files of [`RECORDS_PER_EVENT_HUB_FILE`] records.
    EventHub,
    /// Streaming API to Storage: `insights-logs-advancedhunting-<table>/tenantId=/y=/m=/d=/h=/m=00/PT1H.json`,
    /// one record per CRLF line.
    Storage,
    /// Advanced Hunting portal CSV export: one `<Table>.csv` per table, header in column order, CRLF.
    PortalCsv,
    /// Flat NDJSON: one `<Table>.ndjson` per table, each line an object of columns.
    FlatNdjson,
}

impl Layout {
    pub const ALL: [Layout; 4] = [
        Layout::EventHub,
        Layout::Storage,
        Layout::PortalCsv,
        Layout::FlatNdjson,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Layout::EventHub => "eventhub",
            Layout::Storage => "storage",
            Layout::PortalCsv => "csv",
            Layout::FlatNdjson => "ndjson",
        }
    }

    pub fn from_id(id: &str) -> Option<Layout> {
        Layout::ALL.into_iter().find(|l| l.id() == id)
    }
}

/// Event Hub messages carry batches of records; the Streaming API sends up to a few hundred KB each.
pub const RECORDS_PER_MESSAGE: usize = 50;
pub const RECORDS_PER_EVENT_HUB_FILE: u64 = 1_000_000;

/// The tenant every synthetic record belongs to (all zeros: clearly not a real tenant).
pub const TENANT_ID: &str = "00000000-0000-0000-0000-000000000000";

const HOUR_MICROS: i64 = 3600 * MICROS_PER_SECOND;

/// A Streaming API record: the envelope around a row's columns.
#[derive(Serialize)]
struct Record<'a> {
    time: String,
    #[serde(rename = "tenantId")]
    tenant_id: &'static str,
    #[serde(rename = "operationName")]
    operation_name: &'static str,
    category: String,
    properties: Columns<'a>,
}

impl<'a> Record<'a> {
    fn of(row: &'a Row<'a>) -> Record<'a> {
        Record {
            time: iso_time(row.time()),
            tenant_id: TENANT_ID,
            operation_name: "Publish",
            category: format!("AdvancedHunting-{}", row.table.name()),
            properties: row.columns(),
        }
    }
}

/// Where rows go.
pub struct Sink {
    layout: Layout,
    dir: PathBuf,
    files: BTreeMap<FileKey, Output>,
    /// Event Hub: the message being filled, and how many records it holds.
    message: Vec<u8>,
    message_records: usize,
    rows: BTreeMap<Table, u64>,
    bytes: u64,
}

/// Which file a row goes to: per table (CSV, NDJSON), per table and hour (Storage), or per million
/// records (Event Hub).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum FileKey {
    Table(Table),
    TableHour(Table, i64),
    Part(u64),
}

struct Output {
    path: PathBuf,
    writer: Writer,
}

enum Writer {
    Lines(BufWriter<File>),
    Csv(Box<csv::Writer<File>>),
}

impl Sink {
    pub fn new(layout: Layout, dir: &Path) -> Result<Sink, SynthError> {
        std::fs::create_dir_all(dir).map_err(|e| SynthError::io(dir, e))?;
        Ok(Sink {
            layout,
            dir: dir.to_path_buf(),
            files: BTreeMap::new(),
            message: Vec::with_capacity(256 * 1024),
            message_records: 0,
            rows: BTreeMap::new(),
            bytes: 0,
        })
    }

    pub fn write(&mut self, row: &Row<'_>) -> Result<(), SynthError> {
        let total: u64 = self.rows.values().sum();
        *self.rows.entry(row.table).or_default() += 1;
        match self.layout {
            Layout::EventHub => {
                if self.message_records == 0 {
                    self.message.extend_from_slice(br#"{"records":["#);
                } else {
                    self.message.push(b',');
                }
                serde_json::to_writer(&mut self.message, &Record::of(row))
                    .map_err(std::io::Error::from)
                    .map_err(|e| SynthError::io(&self.dir, e))?;
                self.message_records += 1;
                if self.message_records == RECORDS_PER_MESSAGE {
                    self.end_message(FileKey::Part(total / RECORDS_PER_EVENT_HUB_FILE))?;
                }
                Ok(())
            }
            Layout::Storage => {
                let hour = row.time().div_euclid(HOUR_MICROS);
                self.close_before(hour)?;
                let output = self.output(FileKey::TableHour(row.table, hour))?;
                let Writer::Lines(out) = &mut output.writer else {
                    unreachable!("storage files are line files")
                };
                serde_json::to_writer(&mut *out, &Record::of(row))
                    .map_err(std::io::Error::from)
                    .and_then(|()| out.write_all(b"\r\n"))
                    .map_err(|e| SynthError::io(&output.path, e))
            }
            Layout::PortalCsv => {
                let output = self.output(FileKey::Table(row.table))?;
                let Writer::Csv(csv) = &mut output.writer else {
                    unreachable!("CSV exports are CSV files")
                };
                csv.write_record(row.fields.iter().map(|f| f.text().into_owned()))
                    .map_err(|e| SynthError::io(&output.path, e.into()))
            }
            Layout::FlatNdjson => {
                let output = self.output(FileKey::Table(row.table))?;
                let Writer::Lines(out) = &mut output.writer else {
                    unreachable!("NDJSON files are line files")
                };
                serde_json::to_writer(&mut *out, &row.columns())
                    .map_err(std::io::Error::from)
                    .and_then(|()| out.write_all(b"\n"))
                    .map_err(|e| SynthError::io(&output.path, e))
            }
        }
    }

    /// Flushes every file; returns the rows written per table and the bytes written.
    pub fn finish(mut self) -> Result<(BTreeMap<Table, u64>, u64), SynthError> {
        if self.message_records > 0 {
            let total: u64 = self.rows.values().sum();
            self.end_message(FileKey::Part((total - 1) / RECORDS_PER_EVENT_HUB_FILE))?;
        }
        for key in self.files.keys().copied().collect::<Vec<_>>() {
            self.close(key)?;
        }
        Ok((self.rows, self.bytes))
    }

    fn end_message(&mut self, key: FileKey) -> Result<(), SynthError> {
        let mut message = std::mem::take(&mut self.message);
        message.extend_from_slice(b"]}\n");
        let output = self.output(key)?;
        let Writer::Lines(out) = &mut output.writer else {
            unreachable!("Event Hub files are line files")
        };
        out.write_all(&message)
            .map_err(|e| SynthError::io(&output.path, e))?;
        message.clear();
        self.message = message;
        self.message_records = 0;
        // Earlier parts are complete.
        let done: Vec<FileKey> = self.files.keys().copied().filter(|k| *k < key).collect();
        for key in done {
            self.close(key)?;
        }
        Ok(())
    }

    /// Storage rows come hour by hour: files of earlier hours are complete.
    fn close_before(&mut self, hour: i64) -> Result<(), SynthError> {
        let done: Vec<FileKey> = self
            .files
            .keys()
            .copied()
            .filter(|k| matches!(k, FileKey::TableHour(_, h) if *h < hour))
            .collect();
        for key in done {
            self.close(key)?;
        }
        Ok(())
    }

    fn close(&mut self, key: FileKey) -> Result<(), SynthError> {
        let Some(output) = self.files.remove(&key) else {
            return Ok(());
        };
        let flushed = match output.writer {
            Writer::Csv(mut csv) => csv.flush(),
            Writer::Lines(mut out) => out.flush(),
        };
        flushed.map_err(|e| SynthError::io(&output.path, e))?;
        self.bytes += std::fs::metadata(&output.path)
            .map_err(|e| SynthError::io(&output.path, e))?
            .len();
        Ok(())
    }

    fn output(&mut self, key: FileKey) -> Result<&mut Output, SynthError> {
        if !self.files.contains_key(&key) {
            let output = self.open(key)?;
            self.files.insert(key, output);
        }
        Ok(self.files.get_mut(&key).expect("opened above"))
    }

    fn open(&mut self, key: FileKey) -> Result<Output, SynthError> {
        let path = self.dir.join(self.relative_path(key));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| SynthError::io(parent, e))?;
        }
        // A Storage hour reopened after it was closed is appended to; its size is counted again, so
        // subtract what it held.
        let existing = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        self.bytes -= existing.min(self.bytes);
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| SynthError::io(&path, e))?;
        let writer = match key {
            FileKey::Table(table) if self.layout == Layout::PortalCsv => {
                let mut csv = csv::WriterBuilder::new()
                    .terminator(csv::Terminator::CRLF)
                    .from_writer(file);
                csv.write_record(table.columns())
                    .map_err(|e| SynthError::io(&path, e.into()))?;
                Writer::Csv(Box::new(csv))
            }
            _ => Writer::Lines(BufWriter::with_capacity(256 * 1024, file)),
        };
        Ok(Output { path, writer })
    }

    fn relative_path(&self, key: FileKey) -> PathBuf {
        match key {
            FileKey::Table(table) => {
                let extension = if self.layout == Layout::PortalCsv {
                    "csv"
                } else {
                    "ndjson"
                };
                PathBuf::from(format!("{}.{extension}", table.name()))
            }
            FileKey::TableHour(table, hour) => {
                let start = chrono::DateTime::from_timestamp(hour * 3600, 0).unwrap_or_default();
                PathBuf::from(format!(
                    "insights-logs-advancedhunting-{}/tenantId={TENANT_ID}/{}/m=00/PT1H.json",
                    table.name().to_ascii_lowercase(),
                    start.format("y=%Y/m=%m/d=%d/h=%H")
                ))
            }
            // Not named after a table: readers route each record by its `category`.
            FileKey::Part(part) => PathBuf::from(format!("eventhub/messages-{part:05}.json")),
        }
    }
}
