//! The tables and columns the generator writes (a subset of each Advanced Hunting schema; readers fill
//! the rest), and one row as values in column order.

use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Table {
    DeviceInfo,
    DeviceNetworkEvents,
    DeviceProcessEvents,
}

impl Table {
    pub const ALL: [Table; 3] = [
        Table::DeviceInfo,
        Table::DeviceNetworkEvents,
        Table::DeviceProcessEvents,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Table::DeviceInfo => "DeviceInfo",
            Table::DeviceNetworkEvents => "DeviceNetworkEvents",
            Table::DeviceProcessEvents => "DeviceProcessEvents",
        }
    }

    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Table::DeviceInfo => &[
                "Timestamp",
                "DeviceId",
                "DeviceName",
                "PublicIP",
                "OSPlatform",
                "ReportId",
            ],
            Table::DeviceNetworkEvents => &[
                "Timestamp",
                "DeviceId",
                "DeviceName",
                "ActionType",
                "RemoteIP",
                "RemotePort",
                "RemoteUrl",
                "LocalIP",
                "LocalPort",
                "Protocol",
                "InitiatingProcessFileName",
                "InitiatingProcessFolderPath",
                "InitiatingProcessCommandLine",
                "InitiatingProcessAccountName",
                "ReportId",
            ],
            Table::DeviceProcessEvents => &[
                "Timestamp",
                "DeviceId",
                "DeviceName",
                "ActionType",
                "FileName",
                "FolderPath",
                "ProcessCommandLine",
                "AccountName",
                "InitiatingProcessFileName",
                "ReportId",
            ],
        }
    }
}

/// One value: text, a whole number, or an instant (whole seconds since the Unix epoch, so every layout
/// writes it exactly).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Text(String),
    Number(i64),
    Time(i64),
}

impl Field {
    pub fn text(&self) -> String {
        match self {
            Field::Text(text) => text.clone(),
            Field::Number(number) => number.to_string(),
            Field::Time(seconds) => iso_time(*seconds),
        }
    }

    fn json(&self) -> Value {
        match self {
            Field::Number(number) => Value::from(*number),
            other => Value::String(other.text()),
        }
    }
}

/// `2024-05-01T10:00:00.0000000Z`: ISO 8601 UTC with Kusto's seven fractional digits, as Defender exports
/// write it.
pub fn iso_time(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S.0000000Z").to_string())
        .unwrap_or_default()
}

/// A row of a table: one field per column of [`Table::columns`], in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub table: Table,
    pub fields: Vec<Field>,
}

impl Row {
    /// The row as a flat JSON object of columns.
    pub fn json_object(&self) -> Map<String, Value> {
        self.table
            .columns()
            .iter()
            .map(|c| c.to_string())
            .zip(self.fields.iter().map(Field::json))
            .collect()
    }

    pub fn time(&self) -> i64 {
        match self.fields.first() {
            Some(Field::Time(seconds)) => *seconds,
            _ => 0,
        }
    }
}
