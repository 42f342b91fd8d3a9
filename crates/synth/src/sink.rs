//! Writing rows as they are generated, in one of the layouts Defender data comes in. Files are opened
//! on first use and rows are never collected, so fleets of any size stream to disk.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::SynthError;
use crate::table::{Row, Table, iso_time};

/// A file layout torhunt reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Streaming API to Storage: one file, each line `{time, tenantId, operationName, category, properties}`.
    StreamingApi,
    /// Advanced Hunting portal CSV export: one `<Table>.csv` per table, header in column order.
    PortalCsv,
    /// Flat NDJSON: one `<Table>.ndjson` per table, each line an object of columns.
    FlatNdjson,
}

impl Layout {
    pub const ALL: [Layout; 3] = [Layout::StreamingApi, Layout::PortalCsv, Layout::FlatNdjson];

    pub fn id(self) -> &'static str {
        match self {
            Layout::StreamingApi => "streaming-api",
            Layout::PortalCsv => "portal-csv",
            Layout::FlatNdjson => "ndjson",
        }
    }

    pub fn from_id(id: &str) -> Option<Layout> {
        Layout::ALL.into_iter().find(|l| l.id() == id)
    }
}

/// The tenant every synthetic record belongs to (all zeros: clearly not a real tenant).
const TENANT_ID: &str = "00000000-0000-0000-0000-000000000000";

/// Where rows go.
pub struct Sink {
    layout: Layout,
    dir: PathBuf,
    files: BTreeMap<Table, Writer>,
    rows: u64,
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
            rows: 0,
        })
    }

    pub fn write(&mut self, row: &Row) -> Result<(), SynthError> {
        let table = match self.layout {
            // One file holds every table: each record names its own.
            Layout::StreamingApi => Table::DeviceInfo,
            Layout::PortalCsv | Layout::FlatNdjson => row.table,
        };
        if !self.files.contains_key(&table) {
            let writer = self.open(table)?;
            self.files.insert(table, writer);
        }
        let path = self.path(table);
        let Some(writer) = self.files.get_mut(&table) else {
            return Ok(());
        };
        let written = match writer {
            Writer::Csv(csv) => csv
                .write_record(row.fields.iter().map(|f| f.text()))
                .map_err(std::io::Error::from),
            Writer::Lines(out) => {
                let line = match self.layout {
                    Layout::StreamingApi => json!({
                        "time": iso_time(row.time()),
                        "tenantId": TENANT_ID,
                        "operationName": "Publish",
                        "category": format!("AdvancedHunting-{}", row.table.name()),
                        "properties": Value::Object(row.json_object()),
                    }),
                    _ => Value::Object(row.json_object()),
                };
                serde_json::to_writer(&mut *out, &line)
                    .map_err(std::io::Error::from)
                    .and_then(|()| writeln!(out))
            }
        };
        written.map_err(|e| SynthError::io(&path, e))?;
        self.rows += 1;
        Ok(())
    }

    /// Flushes every file; returns the number of rows written.
    pub fn finish(self) -> Result<u64, SynthError> {
        for (table, writer) in self.files {
            let path = self.dir.join(file_name(self.layout, table));
            let flushed = match writer {
                Writer::Csv(mut csv) => csv.flush(),
                Writer::Lines(mut out) => out.flush(),
            };
            flushed.map_err(|e| SynthError::io(&path, e))?;
        }
        Ok(self.rows)
    }

    fn path(&self, table: Table) -> PathBuf {
        self.dir.join(file_name(self.layout, table))
    }

    fn open(&self, table: Table) -> Result<Writer, SynthError> {
        let path = self.path(table);
        let file = File::create(&path).map_err(|e| SynthError::io(&path, e))?;
        Ok(match self.layout {
            Layout::PortalCsv => {
                let mut csv = csv::Writer::from_writer(file);
                csv.write_record(table.columns())
                    .map_err(|e| SynthError::io(&path, e.into()))?;
                Writer::Csv(Box::new(csv))
            }
            Layout::StreamingApi | Layout::FlatNdjson => Writer::Lines(BufWriter::new(file)),
        })
    }
}

fn file_name(layout: Layout, table: Table) -> String {
    match layout {
        // Not named after a table, so readers route each record by its `category`.
        Layout::StreamingApi => "advanced-hunting-stream.json".to_string(),
        Layout::PortalCsv => format!("{}.csv", table.name()),
        Layout::FlatNdjson => format!("{}.ndjson", table.name()),
    }
}
