//! Time bounds tested before a record is parsed: a query's `Timestamp` / `TimeGenerated` comparisons
//! with datetime literals, checked on the record's raw field when it can be located for sure (a
//! JSON member found without parsing, a CSV field by its header). Any doubt (an escape in a member
//! name, a repeated key, an escaped or unparsable value, a missing time) lets the record through to
//! the full parse, which decides, and reports it if it is malformed.

use std::fmt;

use kql_types::KustoType;
use serde::{Deserialize, Serialize};
use torhunt_prefilter::{object_members, plain_string};

use crate::schema::{TIME_GENERATED, TIMESTAMP};
use crate::value::{Cell, cell_from_text};

/// Inclusive bounds (ns since the epoch) on `Timestamp` and on `TimeGenerated` that every row of a scan
/// must meet (strict comparisons are widened to inclusive ones: a superset).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TimeBounds {
    pub timestamp: Bounds,
    pub generated: Bounds,
}

/// `(lower, upper)`, each inclusive, either absent.
pub(crate) type Bounds = (Option<i64>, Option<i64>);

/// A record's time column as its raw text shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RawTime {
    /// The record does not give the column (the reader fills it from the other time column).
    Absent,
    At(i64),
    /// Anything else: an empty, escaped, non-string or unparsable value, or a field not located.
    Doubt,
}

impl RawTime {
    /// The time a column's text gives, read the way the readers read it (empty text is a null,
    /// which the other time column fills, as when the column is absent).
    pub fn of_text(text: &str) -> RawTime {
        match cell_from_text(text, KustoType::DateTime) {
            Ok(Cell::DateTime(at)) => RawTime::At(at),
            Ok(Cell::Null) => RawTime::Absent,
            _ => RawTime::Doubt,
        }
    }

    /// The time a JSON member's raw value gives (`None`: the member is absent).
    fn of_json(value: Option<&[u8]>) -> RawTime {
        match value {
            None => RawTime::Absent,
            Some(value) => plain_string(value).map_or(RawTime::Doubt, RawTime::of_text),
        }
    }
}

impl TimeBounds {
    /// The bounds, or `None` when they bound nothing.
    pub fn new(timestamp: Bounds, generated: Bounds) -> Option<TimeBounds> {
        let bounds = TimeBounds { timestamp, generated };
        (bounds != TimeBounds::new_unbounded()).then_some(bounds)
    }

    fn new_unbounded() -> TimeBounds {
        TimeBounds {
            timestamp: (None, None),
            generated: (None, None),
        }
    }

    /// Whether a record whose columns give these times may meet the bounds. `Timestamp` and
    /// `TimeGenerated` fill each other when a record gives only one (`crate::assemble`).
    pub fn admits(&self, timestamp: RawTime, generated: RawTime) -> bool {
        let filled = |own: RawTime, other: RawTime| match own {
            RawTime::Absent => other,
            given => given,
        };
        let within = |time: RawTime, (lower, upper): Bounds| match time {
            RawTime::At(at) => lower.is_none_or(|l| at >= l) && upper.is_none_or(|u| at <= u),
            RawTime::Absent | RawTime::Doubt => true,
        };
        within(filled(timestamp, generated), self.timestamp)
            && within(filled(generated, timestamp), self.generated)
    }

    /// [`admits`](Self::admits) for a JSON record: a flat object of columns, or (`envelope`) a Streaming
    /// API record whose columns are in `properties` and whose `time` gives `TimeGenerated` when they
    /// do not.
    pub fn admits_json(&self, record: &[u8], envelope: bool) -> bool {
        let (columns, time) = if envelope {
            let Some([Some(properties), time]) = object_members(record, ["properties", "time"]) else {
                return true;
            };
            (properties, time)
        } else {
            (record, None)
        };
        let Some([timestamp, generated]) = object_members(columns, [TIMESTAMP, TIME_GENERATED]) else {
            return true;
        };
        let generated = match RawTime::of_json(generated) {
            // The envelope's `time` fills a TimeGenerated the columns leave null.
            RawTime::Absent => RawTime::of_json(time),
            given => given,
        };
        self.admits(RawTime::of_json(timestamp), generated)
    }
}

/// Where the records of a CSV file give `Timestamp` and `TimeGenerated`, told by its header.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CsvTimeFields {
    timestamp: FieldAt,
    generated: FieldAt,
}

/// Where the records of a CSV file give a column, told by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldAt {
    Absent,
    Index(usize),
    /// Named twice: which one a reader keeps is not the prefilter's to guess.
    Repeated,
}

impl FieldAt {
    /// Where a file whose header names `columns` gives the column `name`.
    pub fn of(columns: &[String], name: &str) -> FieldAt {
        let mut found = columns.iter().enumerate().filter(|(_, c)| *c == name);
        match (found.next(), found.next()) {
            (None, _) => FieldAt::Absent,
            (Some((index, _)), None) => FieldAt::Index(index),
            (Some(_), Some(_)) => FieldAt::Repeated,
        }
    }

    /// A string column's raw value in a record whose fields `field` gives by index: `""` when the file
    /// lacks the column (string columns are never null), `None` when it cannot be told.
    pub fn string_value<'a>(self, field: impl Fn(usize) -> Option<&'a [u8]>) -> Option<&'a [u8]> {
        match self {
            FieldAt::Absent => Some(b""),
            FieldAt::Index(index) => field(index),
            FieldAt::Repeated => None,
        }
    }
}

impl CsvTimeFields {
    /// The time fields of a file whose header names these columns.
    pub fn of(columns: &[String]) -> CsvTimeFields {
        CsvTimeFields {
            timestamp: FieldAt::of(columns, TIMESTAMP),
            generated: FieldAt::of(columns, TIME_GENERATED),
        }
    }

    /// The times of a record, given its fields by index (`None`: past the record's last field).
    pub fn times<'a>(&self, field: impl Fn(usize) -> Option<&'a [u8]>) -> [RawTime; 2] {
        [self.timestamp, self.generated].map(|at| match at {
            FieldAt::Absent => RawTime::Absent,
            FieldAt::Repeated => RawTime::Doubt,
            FieldAt::Index(index) => field(index)
                .and_then(|bytes| std::str::from_utf8(bytes).ok())
                .map_or(RawTime::Doubt, RawTime::of_text),
        })
    }
}

impl fmt::Display for TimeBounds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        for (column, (lower, upper)) in [("Timestamp", self.timestamp), ("TimeGenerated", self.generated)] {
            if let Some(lower) = lower {
                parts.push(format!("{column}>={}", crate::export::kusto_datetime_text(lower)));
            }
            if let Some(upper) = upper {
                parts.push(format!("{column}<={}", crate::export::kusto_datetime_text(upper)));
            }
        }
        write!(f, "({})", parts.join(" and "))
    }
}
