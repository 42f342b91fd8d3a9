//! Time bounds tested before a record is parsed: a query's `Timestamp` / `TimeGenerated` comparisons
//! with datetime literals, checked on the record's raw field when it can be located for sure (a
//! JSON member found without parsing, a CSV field by its header). Any doubt (an escape in a member
//! name, a repeated key, an escaped or unparsable value, a missing time) lets the record through to
//! the full parse, which decides, and reports it if it is malformed.

use std::fmt;

use kql_types::KustoType;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

use torhunt_prefilter::{MembersNamed, object_members, plain_string};

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
        if let Some(at) = defender_time(text.as_bytes()) {
            return RawTime::At(at);
        }
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
            Some(value) => RawTime::of_json_value(value),
        }
    }

    /// [`of_text`](Self::of_text) for text not yet known to be UTF-8 (`Doubt` when it is not):
    /// Defender's own form needs no check, being digits and separators.
    fn of_bytes(text: &[u8]) -> RawTime {
        match defender_time(text) {
            Some(at) => RawTime::At(at),
            None => std::str::from_utf8(text).map_or(RawTime::Doubt, RawTime::of_text),
        }
    }

    /// The time a JSON member's raw value (present) gives.
    fn of_json_value(value: &[u8]) -> RawTime {
        // Defender's own form needs no UTF-8 check: it is digits and separators.
        let quoted = value.strip_prefix(b"\"").and_then(|v| v.strip_suffix(b"\""));
        match quoted.and_then(defender_time) {
            Some(at) => RawTime::At(at),
            None => plain_string(value).map_or(RawTime::Doubt, RawTime::of_text),
        }
    }
}

/// The time of text of the form Defender writes, `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (years 1970 to
/// 2200), computed directly: what the readers' parser gives for it, in a tenth of its time (a time
/// bounded Event Hub hunt reads two times of every record). `None` for any other text, which the
/// parser then reads.
fn defender_time(text: &[u8]) -> Option<i64> {
    /// Nanoseconds in a unit of a fraction's last digit, by the fraction's digits.
    const NANOS_PER_UNIT: [i64; 10] = [
        1_000_000_000,
        100_000_000,
        10_000_000,
        1_000_000,
        100_000,
        10_000,
        1_000,
        100,
        10,
        1,
    ];
    let shaped = text.len() >= 20
        && text[4] == b'-'
        && text[7] == b'-'
        && text[10] == b'T'
        && text[13] == b':'
        && text[16] == b':'
        && text[text.len() - 1] == b'Z';
    if !shaped {
        return None;
    }
    // A digit's value is its byte less `0`, below ten (a wrapping subtraction: one comparison).
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0i64, |n, &b| {
            let digit = b.wrapping_sub(b'0');
            (digit < 10).then_some(n * 10 + i64::from(digit))
        })
    };
    let (year, month, day) = (number(&text[0..4])?, number(&text[5..7])?, number(&text[8..10])?);
    let (hour, minute, second) = (
        number(&text[11..13])?,
        number(&text[14..16])?,
        number(&text[17..19])?,
    );
    let fraction = match &text[19..text.len() - 1] {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
            number(digits)? * NANOS_PER_UNIT[digits.len()]
        }
        _ => return None,
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let valid = (1970..=2200).contains(&year)
        && (1..=12).contains(&month)
        && (1..=month_days[month as usize - 1]).contains(&day)
        && hour < 24
        && minute < 60
        && second < 60;
    if !valid {
        return None;
    }
    // Days since 1970-01-01 (Howard Hinnant's `days_from_civil`, years from March).
    let march_year = if month <= 2 { year - 1 } else { year };
    let (era, year_of_era) = (march_year / 400, march_year % 400);
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second;
    // The readers keep Kusto's 100 ns ticks.
    Some(seconds * 1_000_000_000 + fraction - fraction % 100)
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

/// The members a Streaming API record's time columns are read from (see [`TimeBounds::admits_json`]).
static TIME_MEMBERS: LazyLock<MembersNamed> =
    LazyLock::new(|| MembersNamed::new(&[TIMESTAMP, TIME_GENERATED, ENVELOPE_TIME]).expect("plain names"));

/// The Streaming API envelope's time, which fills a record's `TimeGenerated`.
const ENVELOPE_TIME: &str = "time";

impl TimeBounds {
    /// Whether some record of an Event Hub message may meet the bounds, told without splitting it
    /// into records (one pass, most messages of a time-bounded hunt being wholly outside its window):
    /// `false` only when every member named `Timestamp`, `TimeGenerated` or `time` anywhere in the
    /// message is a plain string giving a time outside the bounds of one bounded column (or empty).
    /// A record's time columns read only from those members, each filling the others when absent or
    /// empty, so every record's time is then outside those bounds or null, which fails them: the
    /// bounds come from comparisons and `between` (see `provider::TimeWindow`).
    pub fn admits_message(&self, message: &[u8]) -> bool {
        let bounded = |(lower, upper): Bounds| lower.is_some() || upper.is_some();
        let outside = |(lower, upper): Bounds, time: RawTime| match time {
            RawTime::At(at) => lower.is_some_and(|l| at < l) || upper.is_some_and(|u| at > u),
            RawTime::Absent => true,
            RawTime::Doubt => false,
        };
        let (mut timestamp_outside, mut generated_outside) =
            (bounded(self.timestamp), bounded(self.generated));
        let admitted = TIME_MEMBERS.each(message, |_, value| {
            let time = RawTime::of_json_value(value);
            timestamp_outside &= outside(self.timestamp, time);
            generated_outside &= outside(self.generated, time);
            !(timestamp_outside || generated_outside)
        });
        admitted.is_none_or(|admitted| admitted || !(timestamp_outside || generated_outside))
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
            FieldAt::Index(index) => field(index).map_or(RawTime::Doubt, RawTime::of_bytes),
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 20_000, ..ProptestConfig::default() })]

        /// Defender's form read directly gives what the readers' parser gives, and is read directly
        /// whenever it is a valid time of the years it covers.
        #[test]
        fn defender_times_are_the_parsers(
            year in 1960i64..2210,
            month in 0i64..14,
            day in 0i64..33,
            hour in 0i64..26,
            minute in 0i64..62,
            second in 0i64..62,
            fraction in prop::option::of("[0-9]{0,11}"),
            separators in prop::sample::select(vec!["-:TZ", "-:tZ", "-: Z", "/:TZ", "-:Tz", "-.TZ"]),
            zone in prop::sample::select(vec!["", "+01:00"]),
        ) {
            let [date, clock, t, z] = [0, 1, 2, 3].map(|i| separators.as_bytes()[i] as char);
            let fraction = fraction.map(|f| format!(".{f}")).unwrap_or_default();
            let text = format!(
                "{year:04}{date}{month:02}{date}{day:02}{t}{hour:02}{clock}{minute:02}{clock}{second:02}{fraction}{zone}{z}"
            );
            let parsed = match cell_from_text(&text, KustoType::DateTime) {
                Ok(Cell::DateTime(at)) => Some(at),
                _ => None,
            };
            match defender_time(text.as_bytes()) {
                Some(at) => prop_assert_eq!(Some(at), parsed, "{}", text),
                None => {
                    let defender_form = separators == "-:TZ" && zone.is_empty() && fraction.len() != 1 && fraction.len() <= 10;
                    prop_assert!(
                        !(defender_form && parsed.is_some() && (1970..=2200).contains(&year)),
                        "{} is read by the parser only", text
                    );
                }
            }
        }
    }
}
