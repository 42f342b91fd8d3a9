//! Turning one source value (a JSON value or a CSV field) into a typed Kusto value.
//!
//! Kusto keeps datetimes and timespans in 100 ns ticks; finer digits are truncated. Integers are never
//! routed through `f64`: JSON numbers use serde_json's exact `i64` path, text is parsed as an integer.

use chrono::NaiveDate;
use kql_types::KustoType;
use serde_json::Value;

/// One decoded value, ready to be appended to an Arrow column of its Kusto type.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) enum Cell {
    #[default]
    Null,
    Bool(bool),
    Int(i32),
    Long(i64),
    Real(f64),
    /// string, guid (canonical lower-case) and dynamic (compact JSON) values.
    Text(String),
    /// Nanoseconds since the Unix epoch, UTC.
    DateTime(i64),
    /// Nanoseconds.
    TimeSpan(i64),
}

impl Cell {
    /// Bytes of text the cell holds (0 for other values).
    pub fn text_len(&self) -> usize {
        match self {
            Cell::Text(text) => text.len(),
            _ => 0,
        }
    }
}

const NANOS_PER_TICK: i64 = 100;

/// Converts a JSON value (a Streaming API property or an NDJSON field).
pub(crate) fn cell_from_json(value: &Value, kusto_type: KustoType) -> Result<Cell, String> {
    match value {
        Value::Null => Ok(Cell::Null),
        Value::String(text) => cell_from_text(text, kusto_type),
        Value::Bool(b) => match kusto_type {
            KustoType::Bool => Ok(Cell::Bool(*b)),
            KustoType::String | KustoType::Dynamic => Ok(Cell::Text(b.to_string())),
            other => Err(format!("expected {other}, found JSON boolean {b}")),
        },
        Value::Number(n) => match kusto_type {
            KustoType::Long => n
                .as_i64()
                .map(Cell::Long)
                .ok_or_else(|| format!("{n} is not a long")),
            KustoType::Int => n
                .as_i64()
                .and_then(|v| i32::try_from(v).ok())
                .map(Cell::Int)
                .ok_or_else(|| format!("{n} is not an int")),
            KustoType::Real => n
                .as_f64()
                .map(Cell::Real)
                .ok_or_else(|| format!("{n} is not a real")),
            KustoType::String | KustoType::Dynamic => Ok(Cell::Text(n.to_string())),
            other => Err(format!("expected {other}, found JSON number {n}")),
        },
        Value::Array(_) | Value::Object(_) => match kusto_type {
            KustoType::String | KustoType::Dynamic => Ok(Cell::Text(value.to_string())),
            other => Err(format!("expected {other}, found a JSON {}", json_kind(value))),
        },
    }
}

/// Converts a text value (a CSV field, or a JSON string). An empty text is null for every type but
/// string, where it is the empty string Kusto uses for "missing".
pub(crate) fn cell_from_text(text: &str, kusto_type: KustoType) -> Result<Cell, String> {
    if text.is_empty() {
        return Ok(Cell::Null);
    }
    let bad = |what: &str| format!("{text:?} is not a valid {what}");
    match kusto_type {
        KustoType::String => Ok(Cell::Text(text.to_string())),
        KustoType::Dynamic => Ok(Cell::Text(dynamic_from_text(text))),
        KustoType::Bool => match text.trim() {
            t if t.eq_ignore_ascii_case("true") || t == "1" => Ok(Cell::Bool(true)),
            t if t.eq_ignore_ascii_case("false") || t == "0" => Ok(Cell::Bool(false)),
            _ => Err(bad("bool")),
        },
        KustoType::Int => text.trim().parse().map(Cell::Int).map_err(|_| bad("int")),
        KustoType::Long => text.trim().parse().map(Cell::Long).map_err(|_| bad("long")),
        KustoType::Real => text.trim().parse().map(Cell::Real).map_err(|_| bad("real")),
        KustoType::DateTime => parse_datetime(text.trim())
            .map(Cell::DateTime)
            .ok_or_else(|| bad("datetime")),
        KustoType::TimeSpan => parse_timespan(text.trim())
            .map(Cell::TimeSpan)
            .ok_or_else(|| bad("timespan")),
        KustoType::Guid => parse_guid(text.trim()).map(Cell::Text).ok_or_else(|| bad("guid")),
        KustoType::Decimal => Err("decimal columns are only read from Parquet".to_string()),
    }
}

/// A `dynamic` value given as text: JSON text is stored as its compact form (so `"{\"a\": 1}"` becomes
/// `{"a":1}`); anything else is a dynamic string, as Kusto ingests it.
pub(crate) fn dynamic_from_text(text: &str) -> String {
    match serde_json::from_str::<Value>(text) {
        Ok(parsed) => parsed.to_string(),
        Err(_) => Value::String(text.to_string()).to_string(),
    }
}

/// Whether a text holds a JSON object or array (so an unknown column carrying it is `dynamic`).
pub(crate) fn is_json_container_text(text: &str) -> bool {
    let trimmed = text.trim_start();
    (trimmed.starts_with('{') || trimmed.starts_with('['))
        && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        _ => "scalar",
    }
}

/// Parses the datetime forms the sources write:
/// ISO 8601 (`2023-07-19T12:17:42.7782364Z`, `T` or space, optional offset, 0-9 fraction digits) and
/// Log Analytics' US locale export form (`2/25/2025, 9:19:25.391 AM`). No offset means UTC.
pub(crate) fn parse_datetime(text: &str) -> Option<i64> {
    parse_iso_datetime(text).or_else(|| parse_locale_datetime(text))
}

fn parse_iso_datetime(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(digits(&b[0..4])? as i32, digits(&b[5..7])?, digits(&b[8..10])?)?;
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (hour, minute, second) = (digits(&b[11..13])?, digits(&b[14..16])?, digits(&b[17..19])?);
    let (fraction, rest) = parse_fraction(&text[19..])?;
    let offset_seconds = match rest {
        "" | "Z" | "z" => 0,
        offset => parse_offset(offset)?,
    };
    civil_nanos(date, hour, minute, second, fraction)
        .and_then(|n| n.checked_sub(i64::from(offset_seconds) * 1_000_000_000))
}

/// `M/D/YYYY, h:mm:ss[.fff] AM|PM`, as Sentinel's "Export to CSV" writes `TimeGenerated [UTC]`.
fn parse_locale_datetime(text: &str) -> Option<i64> {
    let (date_part, time_part) = text.split_once(", ")?;
    let mut date_fields = date_part.split('/');
    let month = date_fields.next()?.parse().ok()?;
    let day = date_fields.next()?.parse().ok()?;
    let year = date_fields.next()?.parse().ok()?;
    if date_fields.next().is_some() {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let (clock, meridiem) = time_part.trim().split_once(' ')?;
    let mut clock_fields = clock.splitn(3, ':');
    let hour12: u32 = clock_fields.next()?.parse().ok()?;
    let minute = clock_fields.next()?.parse().ok()?;
    let seconds_text = clock_fields.next()?;
    let (whole, fraction_text) = seconds_text.split_at(seconds_text.find('.').unwrap_or(seconds_text.len()));
    let second = whole.parse().ok()?;
    let (fraction, rest) = parse_fraction(fraction_text)?;
    if !rest.is_empty() || !(1..=12).contains(&hour12) {
        return None;
    }
    let hour = match meridiem {
        m if m.eq_ignore_ascii_case("AM") => hour12 % 12,
        m if m.eq_ignore_ascii_case("PM") => hour12 % 12 + 12,
        _ => return None,
    };
    civil_nanos(date, hour, minute, second, fraction)
}

/// Parses an optional `.fffffff` prefix into nanoseconds truncated to 100 ns ticks; returns the rest.
fn parse_fraction(text: &str) -> Option<(i64, &str)> {
    let Some(after_dot) = text.strip_prefix('.') else {
        return Some((0, text));
    };
    let digit_count = after_dot.bytes().take_while(u8::is_ascii_digit).count();
    if digit_count == 0 {
        return None;
    }
    let (mut nanos, mut unit) = (0i64, 100_000_000i64);
    for d in after_dot.bytes().take(digit_count.min(9)) {
        nanos += i64::from(d - b'0') * unit;
        unit /= 10;
    }
    Some((nanos - nanos % NANOS_PER_TICK, &after_dot[digit_count..]))
}

fn parse_offset(text: &str) -> Option<i32> {
    let b = text.as_bytes();
    let sign = match b.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (hours, minutes) = match b.len() {
        6 if b[3] == b':' => (digits(&b[1..3])?, digits(&b[4..6])?),
        5 => (digits(&b[1..3])?, digits(&b[3..5])?),
        3 => (digits(&b[1..3])?, 0),
        _ => return None,
    };
    Some(sign * (hours * 3600 + minutes * 60) as i32)
}

fn civil_nanos(date: NaiveDate, hour: u32, minute: u32, second: u32, fraction: i64) -> Option<i64> {
    let time = date.and_hms_opt(hour, minute, second)?;
    time.and_utc()
        .timestamp()
        .checked_mul(1_000_000_000)?
        .checked_add(fraction)
}

fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |acc, b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

/// Kusto's timespan text: `[-][d.]hh:mm:ss[.fffffff]`.
pub(crate) fn parse_timespan(text: &str) -> Option<i64> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut parts = body.splitn(3, ':');
    let first = parts.next()?;
    let (days, hours) = match first.split_once('.') {
        Some((d, h)) => (d.parse::<i64>().ok()?, h.parse::<i64>().ok()?),
        None => (0, first.parse::<i64>().ok()?),
    };
    let minutes: i64 = parts.next()?.parse().ok()?;
    let seconds_text = parts.next()?;
    let (whole, fraction) = seconds_text.split_at(seconds_text.find('.').unwrap_or(seconds_text.len()));
    let seconds: i64 = whole.parse().ok()?;
    let (fraction_nanos, rest) = parse_fraction(fraction)?;
    if !rest.is_empty() || hours > 23 || minutes > 59 || seconds > 59 {
        return None;
    }
    let total = ((days * 24 + hours) * 60 + minutes) * 60 + seconds;
    let nanos = total.checked_mul(1_000_000_000)?.checked_add(fraction_nanos)?;
    Some(if negative { -nanos } else { nanos })
}

/// A GUID in canonical lower-case `8-4-4-4-12` form (braces tolerated on input).
fn parse_guid(text: &str) -> Option<String> {
    let inner = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(text);
    let groups: Vec<&str> = inner.split('-').collect();
    let shape_ok = groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, len)| g.len() == len)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()));
    shape_ok.then(|| inner.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NANOS_2023_07_19_12_17_42: i64 = 1_689_769_062 * 1_000_000_000;

    #[test]
    fn iso_datetimes_keep_seven_fraction_digits() {
        assert_eq!(
            parse_datetime("2023-07-19T12:17:42.7782364Z"),
            Some(NANOS_2023_07_19_12_17_42 + 778_236_400)
        );
        assert_eq!(
            parse_datetime("2023-07-19 12:17:42"),
            Some(NANOS_2023_07_19_12_17_42)
        );
        // Digits past 100 ns are truncated, as Kusto's tick resolution does.
        assert_eq!(
            parse_datetime("2023-07-19T12:17:42.123456789Z"),
            Some(NANOS_2023_07_19_12_17_42 + 123_456_700)
        );
        assert_eq!(
            parse_datetime("2023-07-19T14:17:42+02:00"),
            Some(NANOS_2023_07_19_12_17_42)
        );
        assert_eq!(parse_datetime("2023-07-19T12:17:42.Z"), None);
        assert_eq!(parse_datetime("2023-02-30T12:17:42Z"), None);
    }

    #[test]
    fn sentinel_locale_datetimes_parse() {
        // 2025-02-25T09:19:25.391Z and its afternoon twin.
        let morning = 1_740_475_165_391_000_000;
        assert_eq!(parse_datetime("2/25/2025, 9:19:25.391 AM"), Some(morning));
        assert_eq!(
            parse_datetime("2/25/2025, 9:19:25.391 PM"),
            Some(morning + 12 * 3600 * 1_000_000_000)
        );
        assert_eq!(
            parse_datetime("2/25/2025, 12:00:00 AM"),
            Some(1_740_441_600 * 1_000_000_000)
        );
        assert_eq!(parse_datetime("2/25/2025, 13:00:00 PM"), None);
    }

    #[test]
    fn timespans_follow_kusto_text() {
        assert_eq!(parse_timespan("01:02:03"), Some(3723 * 1_000_000_000));
        assert_eq!(
            parse_timespan("-1.00:00:00.5"),
            Some(-(86_400 * 1_000_000_000 + 500_000_000))
        );
        assert_eq!(parse_timespan("1:2"), None);
    }

    #[test]
    fn integers_are_exact_and_typed() {
        let big: Value = serde_json::from_str("9007199254740993").unwrap();
        assert_eq!(
            cell_from_json(&big, KustoType::Long),
            Ok(Cell::Long(9_007_199_254_740_993))
        );
        assert_eq!(
            cell_from_text("9007199254740993", KustoType::Long),
            Ok(Cell::Long(9_007_199_254_740_993))
        );
        assert!(cell_from_json(&Value::from(1.5), KustoType::Long).is_err());
        assert!(cell_from_text("443x", KustoType::Int).is_err());
        assert!(cell_from_json(&Value::from(4_000_000_000_i64), KustoType::Int).is_err());
    }

    #[test]
    fn dynamic_text_is_stored_compact() {
        assert_eq!(
            dynamic_from_text("{\"a\": 1, \"b\": [1, 2]}"),
            r#"{"a":1,"b":[1,2]}"#
        );
        assert_eq!(dynamic_from_text("not json"), r#""not json""#);
        assert_eq!(cell_from_text("", KustoType::Dynamic), Ok(Cell::Null));
        assert!(is_json_container_text("[1]"));
        assert!(!is_json_container_text("[1"));
    }

    #[test]
    fn guids_are_canonical() {
        assert_eq!(
            cell_from_text("{12345AF3-BC0E-4F36-B08E-27759E912345}", KustoType::Guid),
            Ok(Cell::Text("12345af3-bc0e-4f36-b08e-27759e912345".to_string()))
        );
        assert!(cell_from_text("12345", KustoType::Guid).is_err());
    }
}
