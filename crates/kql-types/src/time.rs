//! Kusto `datetime` and `timespan` values as nanoseconds (`i64`), parsed and printed the way Kusto does.
//!
//! Kusto counts in 100 ns ticks; torhunt stores nanoseconds (see the crate's type table), so every
//! Kusto value is representable and printing uses at most seven fractional digits.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

pub const NANOS_PER_TICK: i64 = 100;
pub const NANOS_PER_MICRO: i64 = 1_000;
pub const NANOS_PER_MILLI: i64 = 1_000_000;
pub const NANOS_PER_SECOND: i64 = 1_000_000_000;
pub const NANOS_PER_MINUTE: i64 = 60 * NANOS_PER_SECOND;
pub const NANOS_PER_HOUR: i64 = 60 * NANOS_PER_MINUTE;
pub const NANOS_PER_DAY: i64 = 24 * NANOS_PER_HOUR;

/// Prints a datetime as Kusto does in results: ISO 8601 UTC with a `Z`, seven fractional digits when
/// the value has a fraction and none otherwise (`2022-11-19T10:00:00Z`, `2022-11-19T10:00:00.1234567Z`).
pub fn format_datetime(nanos: i64) -> String {
    let dt = DateTime::<Utc>::from_timestamp_nanos(nanos);
    let ticks = (nanos.rem_euclid(NANOS_PER_SECOND)) / NANOS_PER_TICK;
    if ticks == 0 {
        dt.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        format!("{}.{ticks:07}Z", dt.format("%Y-%m-%dT%H:%M:%S"))
    }
}

/// Prints a datetime the way Kusto's `tostring()` and dynamic values do: always seven fractional
/// digits (`2020-01-01T00:00:00.0000000Z`; the emulator's `hash_md5(datetime(2020-01-01))` confirms it).
pub fn format_datetime_fixed(nanos: i64) -> String {
    let dt = DateTime::<Utc>::from_timestamp_nanos(nanos);
    let ticks = (nanos.rem_euclid(NANOS_PER_SECOND)) / NANOS_PER_TICK;
    format!("{}.{ticks:07}Z", dt.format("%Y-%m-%dT%H:%M:%S"))
}

/// Prints a timespan in Kusto's constant form `[-][d.]hh:mm:ss[.fffffff]` (`1.02:03:04.5000000`).
pub fn format_timespan(nanos: i64) -> String {
    let sign = if nanos < 0 { "-" } else { "" };
    let abs = nanos.unsigned_abs();
    let day = NANOS_PER_DAY as u64;
    let (days, rest) = (abs / day, abs % day);
    let hours = rest / NANOS_PER_HOUR as u64;
    let minutes = rest % NANOS_PER_HOUR as u64 / NANOS_PER_MINUTE as u64;
    let seconds = rest % NANOS_PER_MINUTE as u64 / NANOS_PER_SECOND as u64;
    let ticks = rest % NANOS_PER_SECOND as u64 / NANOS_PER_TICK as u64;
    let mut out = String::from(sign);
    if days > 0 {
        out.push_str(&format!("{days}."));
    }
    out.push_str(&format!("{hours:02}:{minutes:02}:{seconds:02}"));
    if ticks > 0 {
        out.push_str(&format!(".{ticks:07}"));
    }
    out
}

/// A datetime from its calendar parts (`make_datetime`, `datetime(2025, 6, 14)`): nanoseconds since
/// the epoch, with `second` in [0, 60) kept to the 100 ns tick; `None` for an invalid date or time.
pub fn datetime_from_parts(
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: f64,
) -> Option<i64> {
    if !(0.0..60.0).contains(&second) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(year).ok()?,
        u32::try_from(month).ok()?,
        u32::try_from(day).ok()?,
    )?;
    let minute_start = date
        .and_hms_opt(u32::try_from(hour).ok()?, u32::try_from(minute).ok()?, 0)?
        .and_utc()
        .timestamp_nanos_opt()?;
    let ticks = (second * (NANOS_PER_SECOND / NANOS_PER_TICK) as f64).round() as i64;
    minute_start.checked_add(ticks * NANOS_PER_TICK)
}

/// Parses the datetime text forms Kusto accepts in `datetime(...)` and `todatetime()`: ISO 8601 with
/// or without time, fraction and offset (`2017-01-01`, `2017-01-01 10:00`, `2017-01-01T10:00:00.1234567Z`,
/// `2017-01-01T10:00:00+02:00`), RFC 2822 (`Sat, 8 Nov 2014 15:05:02 GMT`) and RFC 850-like forms.
/// Returns nanoseconds since the Unix epoch, or `None` when the text is not a datetime.
pub fn parse_datetime(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return dt.timestamp_nanos_opt();
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(text) {
        return dt.timestamp_nanos_opt();
    }
    let without_z = without_zone(text);
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y%m%dT%H%M%S",
        "%Y/%m/%d %H:%M:%S%.f",
        "%Y/%m/%d %H:%M",
        // .NET's invariant culture reads slashed dates month first (`02/17/2016 08:40:01`).
        "%m/%d/%Y %H:%M:%S%.f",
        "%m/%d/%Y %H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(without_z, format) {
            return naive.and_utc().timestamp_nanos_opt();
        }
    }
    for format in ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%m/%d/%Y", "%m-%d-%Y"] {
        if let Ok(date) = NaiveDate::parse_from_str(without_z, format) {
            return date.and_time(NaiveTime::MIN).and_utc().timestamp_nanos_opt();
        }
    }
    parse_rfc_822_or_850(text)
}

/// The text before a UTC zone designator: `Z`, or the names `GMT`, `UTC` and `UT` after a space (the
/// datetime page's `%Z`, as in `2014-11-08 15:05:25 GMT`).
fn without_zone(text: &str) -> &str {
    [" GMT", " UTC", " UT", "Z", "z"]
        .iter()
        .find_map(|zone| text.strip_suffix(zone))
        .map_or(text, str::trim_end)
}

/// The RFC 822 and RFC 850 forms of the datetime page's "Supported formats" (`Sat, 8 Nov 14 15:05:02
/// GMT`, `Saturday, 08-Nov-14 15:05`, `8 Nov 14 15:05`, ...): an optional weekday, day month year,
/// minutes or seconds, and an optional GMT/UTC zone. Two-digit years are read as .NET reads them
/// (Kusto runs on .NET: its default `TwoDigitYearMax` of 2049 makes 00-49 20xx and 50-99 19xx).
fn parse_rfc_822_or_850(text: &str) -> Option<i64> {
    let text = without_zone(text);
    // The weekday is a name, followed by a comma.
    let text = match text.split_once(", ") {
        Some((weekday, rest)) if weekday.chars().all(|c| c.is_ascii_alphabetic()) => rest,
        _ => text,
    };
    // Two-digit years first: chrono's `%Y` would take "14" as the year 14.
    let two_digits = [
        "%d %b %y %H:%M:%S",
        "%d %b %y %H:%M",
        "%d-%b-%y %H:%M:%S",
        "%d-%b-%y %H:%M",
    ];
    if let Some(naive) = two_digits
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    {
        // chrono reads 00-68 as 20xx; .NET only 00-49.
        let naive = if (2050..2069).contains(&chrono::Datelike::year(&naive)) {
            naive.checked_sub_months(chrono::Months::new(1200))?
        } else {
            naive
        };
        return naive.and_utc().timestamp_nanos_opt();
    }
    let four_digits = [
        "%d %b %Y %H:%M:%S",
        "%d %b %Y %H:%M",
        "%d-%b-%Y %H:%M:%S",
        "%d-%b-%Y %H:%M",
    ];
    let naive = four_digits
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())?;
    naive.and_utc().timestamp_nanos_opt()
}

/// Parses a timespan as Kusto writes it, either a literal with a unit (`2d`, `1.5h`, `30m`, `10s`,
/// `100ms`, `10microsecond`, `1tick`, `3days`, ...) or the constant form `[-][d.]hh:mm[:ss[.fffffff]]`.
/// Returns nanoseconds, or `None` when the text is not a timespan.
pub fn parse_timespan(text: &str) -> Option<i64> {
    let text = text.trim();
    parse_timespan_with_unit(text).or_else(|| parse_timespan_constant(text))
}

/// The nanoseconds in one unit of a Kusto timespan suffix (`d`, `h`, `ms`, `microsecond`, `tick`, ...).
pub fn timespan_unit_nanos(unit: &str) -> Option<i64> {
    let nanos = match unit.to_ascii_lowercase().as_str() {
        "d" | "day" | "days" => NANOS_PER_DAY,
        "h" | "hr" | "hrs" | "hour" | "hours" => NANOS_PER_HOUR,
        "m" | "min" | "minute" | "minutes" => NANOS_PER_MINUTE,
        "s" | "sec" | "second" | "seconds" => NANOS_PER_SECOND,
        "ms" | "milli" | "millis" | "millisecond" | "milliseconds" => NANOS_PER_MILLI,
        "microsecond" | "microseconds" => NANOS_PER_MICRO,
        "nanosecond" | "nanoseconds" => 1,
        "tick" | "ticks" => NANOS_PER_TICK,
        _ => return None,
    };
    Some(nanos)
}

fn parse_timespan_with_unit(text: &str) -> Option<i64> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let split = body.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = body.split_at(split);
    let per_unit = timespan_unit_nanos(unit)?;
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let nanos = if let Ok(whole) = number.parse::<i64>() {
        whole.checked_mul(per_unit)?
    } else {
        let value: f64 = number.parse().ok()?;
        (value * per_unit as f64).round() as i64
    };
    Some(if negative { -nanos } else { nanos })
}

fn parse_timespan_constant(text: &str) -> Option<i64> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut parts = body.split(':');
    let first = parts.next()?;
    let (days, hours) = match first.split_once('.') {
        Some((d, h)) => (d.parse::<i64>().ok()?, h.parse::<i64>().ok()?),
        None => (0, first.parse::<i64>().ok()?),
    };
    let minutes: i64 = parts.next()?.parse().ok()?;
    let (seconds, fraction_nanos) = match parts.next() {
        None => (0, 0),
        Some(sec) => match sec.split_once('.') {
            None => (sec.parse::<i64>().ok()?, 0),
            Some((s, frac)) => {
                if frac.is_empty() || frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let padded = format!("{frac:0<9}");
                (s.parse::<i64>().ok()?, padded.parse::<i64>().ok()?)
            }
        },
    };
    if parts.next().is_some() || hours > 23 || minutes > 59 || seconds > 59 {
        return None;
    }
    let nanos = days * NANOS_PER_DAY
        + hours * NANOS_PER_HOUR
        + minutes * NANOS_PER_MINUTE
        + seconds * NANOS_PER_SECOND
        + fraction_nanos;
    Some(if negative { -nanos } else { nanos })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_print_like_kusto() {
        let t = parse_datetime("2022-11-19T10:00:00Z").unwrap();
        assert_eq!(format_datetime(t), "2022-11-19T10:00:00Z");
        let t = parse_datetime("2026-08-02T22:56:44.4607523Z").unwrap();
        assert_eq!(format_datetime(t), "2026-08-02T22:56:44.4607523Z");
        assert_eq!(
            format_datetime(parse_datetime("1930-01-01").unwrap()),
            "1930-01-01T00:00:00Z"
        );
        assert_eq!(
            format_datetime_fixed(parse_datetime("2020-01-01").unwrap()),
            "2020-01-01T00:00:00.0000000Z"
        );
    }

    #[test]
    fn datetime_forms_from_the_kusto_docs_parse() {
        let noon = parse_datetime("2015-12-31 23:59:59.9").unwrap();
        assert_eq!(format_datetime(noon), "2015-12-31T23:59:59.9000000Z");
        assert_eq!(
            parse_datetime("2015-12-31"),
            parse_datetime("2015-12-31T00:00:00Z")
        );
        assert_eq!(
            parse_datetime("2014-11-08 15:55"),
            parse_datetime("2014-11-08T15:55:00Z")
        );
        assert_eq!(
            parse_datetime("Sat, 8 Nov 2014 15:05:02 GMT"),
            parse_datetime("2014-11-08T15:05:02Z")
        );
        assert_eq!(
            parse_datetime("2014-11-08T17:05:02+02:00"),
            parse_datetime("2014-11-08T15:05:02Z")
        );
        assert_eq!(
            parse_datetime("02/17/2016 08:40:01"),
            parse_datetime("2016-02-17T08:40:01Z")
        );
        assert_eq!(parse_datetime("12-02-2022"), parse_datetime("2022-12-02"));
        assert_eq!(parse_datetime("not a date"), None);
    }

    #[test]
    fn rfc_822_and_850_forms_parse_with_or_without_zone_and_weekday() {
        let expected = parse_datetime("2014-11-08T15:05:02Z");
        for text in [
            "Sat, 8 Nov 14 15:05:02",
            "8 Nov 14 15:05:02 GMT",
            "Saturday, 08-Nov-14 15:05:02",
            "08-Nov-14 15:05:02 GMT",
            "2014-11-08 15:05:02 GMT",
            "2014-11-08T15:05:02 GMT",
        ] {
            assert_eq!(parse_datetime(text), expected, "{text}");
        }
        assert_eq!(
            parse_datetime("Saturday, 08-Nov-14 15:05"),
            parse_datetime("2014-11-08T15:05:00Z")
        );
        // Two-digit years as .NET reads them: 49 is 2049, 50 is 1950.
        assert_eq!(
            parse_datetime("8 Nov 49 15:05"),
            parse_datetime("2049-11-08T15:05:00Z")
        );
        assert_eq!(
            parse_datetime("8 Nov 50 15:05"),
            parse_datetime("1950-11-08T15:05:00Z")
        );
    }

    #[test]
    fn timespans_print_like_the_emulator() {
        assert_eq!(format_timespan(NANOS_PER_DAY), "1.00:00:00");
        assert_eq!(format_timespan(-12 * NANOS_PER_HOUR), "-12:00:00");
        assert_eq!(format_timespan(0), "00:00:00");
        assert_eq!(
            format_timespan(3 * NANOS_PER_HOUR + 12 * NANOS_PER_MINUTE + 14_400_000_000),
            "03:12:14.4000000"
        );
    }

    #[test]
    fn timespan_literals_with_units_and_constant_form_parse() {
        assert_eq!(parse_timespan("2d"), Some(2 * NANOS_PER_DAY));
        assert_eq!(parse_timespan("1.5h"), Some(90 * NANOS_PER_MINUTE));
        assert_eq!(parse_timespan("100ms"), Some(100 * NANOS_PER_MILLI));
        assert_eq!(parse_timespan("10microsecond"), Some(10 * NANOS_PER_MICRO));
        assert_eq!(parse_timespan("1tick"), Some(NANOS_PER_TICK));
        assert_eq!(
            parse_timespan("1.02:03:04.5"),
            Some(NANOS_PER_DAY + 2 * NANOS_PER_HOUR + 3 * NANOS_PER_MINUTE + 4_500_000_000)
        );
        assert_eq!(parse_timespan("-00:30:00"), Some(-30 * NANOS_PER_MINUTE));
        assert_eq!(parse_timespan("5 apples"), None);
    }
}
