//! Calendar arithmetic on Kusto datetimes held as Unix-epoch nanoseconds, plus the argument coercions
//! the datetime functions share.

use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveDateTime, Timelike};
use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::common::{Result, plan_err};
use kql_types::time::{
    NANOS_PER_DAY, NANOS_PER_HOUR, NANOS_PER_MICRO, NANOS_PER_MILLI, NANOS_PER_MINUTE, NANOS_PER_SECOND,
};

use crate::math::kernel::{Numeric, numeric_arg};

/// Days from 0001-01-01, where Kusto's tick axis starts, to the Unix epoch.
const DAYS_FROM_YEAR_ONE_TO_UNIX_EPOCH: i128 = 719_162;
/// Nanoseconds from 0001-01-01 to the Unix epoch; `bin()` aligns datetimes to 0001-01-01.
pub(crate) const NANOS_FROM_YEAR_ONE_TO_UNIX_EPOCH: i128 =
    DAYS_FROM_YEAR_ONE_TO_UNIX_EPOCH * NANOS_PER_DAY as i128;
/// The Unix epoch (1970-01-01) was a Thursday: four days after a Sunday.
const EPOCH_DAYS_AFTER_SUNDAY: i64 = 4;

pub(crate) const DATETIME: DataType = DataType::Timestamp(TimeUnit::Nanosecond, None);
pub(crate) const TIMESPAN: DataType = DataType::Duration(TimeUnit::Nanosecond);

pub(crate) fn to_naive(nanos: i64) -> NaiveDateTime {
    DateTime::from_timestamp_nanos(nanos).naive_utc()
}

pub(crate) fn from_naive(datetime: NaiveDateTime) -> Option<i64> {
    datetime.and_utc().timestamp_nanos_opt()
}

/// `floor(value / step) * step`, rounding toward negative infinity; `None` for a non-positive step.
pub(crate) fn floor_to_multiple(value: i128, step: i128) -> Option<i128> {
    (step > 0).then(|| value.div_euclid(step) * step)
}

/// A datetime unit named by a string argument (`datetime_add`, `datetime_diff`, `datetime_part`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Year,
    Quarter,
    Month,
    Week,
    Day,
    DayOfYear,
    Hour,
    Minute,
    Second,
    Millisecond,
    Microsecond,
    Nanosecond,
}

/// Which names a function's part argument takes: Kusto.Language accepts exactly these, in any
/// letter case (diagnostic KS140), and nothing else — no spaces, no other spelling. `weekofyear`
/// in particular is refused: the docs call it the obsolete, non-ISO week of `datetime_part`
/// (weeks holding the year's first Wednesday), which no page defines further.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PartNames {
    /// `datetime_part`: a component of a datetime.
    Component,
    /// `datetime_add`, `datetime_diff`: a unit of time.
    Unit,
}

impl PartNames {
    pub(crate) fn names(self) -> &'static [(&'static str, Part)] {
        match self {
            PartNames::Component => &[
                ("year", Part::Year),
                ("quarter", Part::Quarter),
                ("month", Part::Month),
                ("week_of_year", Part::Week),
                ("day", Part::Day),
                ("dayofyear", Part::DayOfYear),
                ("hour", Part::Hour),
                ("minute", Part::Minute),
                ("second", Part::Second),
                ("millisecond", Part::Millisecond),
                ("microsecond", Part::Microsecond),
                ("nanosecond", Part::Nanosecond),
            ],
            PartNames::Unit => &[
                ("year", Part::Year),
                ("quarter", Part::Quarter),
                ("month", Part::Month),
                ("week", Part::Week),
                ("day", Part::Day),
                ("hour", Part::Hour),
                ("minute", Part::Minute),
                ("second", Part::Second),
                ("millisecond", Part::Millisecond),
                ("microsecond", Part::Microsecond),
                ("nanosecond", Part::Nanosecond),
            ],
        }
    }
}

impl Part {
    /// Parses a part name the way Kusto.Language checks it: one of `names`, ignoring letter case.
    pub(crate) fn parse(text: &str, names: PartNames) -> Option<Part> {
        names
            .names()
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(text))
            .map(|&(_, part)| part)
    }

    /// The length of a fixed-size unit (a week or shorter).
    pub(crate) fn fixed_nanos(self) -> Option<i64> {
        Some(match self {
            Part::Week => 7 * NANOS_PER_DAY,
            Part::Day => NANOS_PER_DAY,
            Part::Hour => NANOS_PER_HOUR,
            Part::Minute => NANOS_PER_MINUTE,
            Part::Second => NANOS_PER_SECOND,
            Part::Millisecond => NANOS_PER_MILLI,
            Part::Microsecond => NANOS_PER_MICRO,
            Part::Nanosecond => 1,
            Part::Year | Part::Quarter | Part::Month | Part::DayOfYear => return None,
        })
    }
}

/// Adds `amount` calendar months; the day is clamped to the target month's length (.NET `AddMonths`).
pub(crate) fn add_months(nanos: i64, amount: i64) -> Option<i64> {
    let datetime = to_naive(nanos);
    let months = Months::new(u32::try_from(amount.unsigned_abs()).ok()?);
    let shifted = if amount >= 0 {
        datetime.checked_add_months(months)?
    } else {
        datetime.checked_sub_months(months)?
    };
    from_naive(shifted)
}

/// Months since year 0, for counting month boundaries.
fn month_index(datetime: &NaiveDateTime) -> i64 {
    i64::from(datetime.year()) * 12 + i64::from(datetime.month0())
}

/// Start of the Sunday-based week containing `nanos`.
pub(crate) fn start_of_week(nanos: i64) -> i64 {
    let days = nanos.div_euclid(NANOS_PER_DAY);
    (days - (days + EPOCH_DAYS_AFTER_SUNDAY).rem_euclid(7)) * NANOS_PER_DAY
}

/// A calendar period for the `startof*` / `endof*` functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Period {
    Day,
    Week,
    Month,
    Year,
}

impl Period {
    /// The start of the period containing `nanos`, moved by `offset` whole periods.
    pub(crate) fn start(self, nanos: i64, offset: i64) -> Option<i64> {
        match self {
            Period::Day => nanos
                .div_euclid(NANOS_PER_DAY)
                .checked_add(offset)?
                .checked_mul(NANOS_PER_DAY),
            Period::Week => start_of_week(nanos).checked_add(offset.checked_mul(7 * NANOS_PER_DAY)?),
            Period::Month | Period::Year => {
                let datetime = to_naive(nanos);
                let first =
                    NaiveDate::from_ymd_opt(datetime.year(), datetime.month(), 1)?.and_hms_opt(0, 0, 0)?;
                let first = if self == Period::Year {
                    first.with_month(1)?
                } else {
                    first
                };
                let months = if self == Period::Year {
                    offset.checked_mul(12)?
                } else {
                    offset
                };
                add_months(from_naive(first)?, months)
            }
        }
    }
}

/// The whole number of `part` boundaries crossed going from `earlier` to `later` (`later - earlier`);
/// Kusto's `datetime_diff` counts boundaries, so 2017-01-01 minus 2016-12-31 is one year.
pub(crate) fn boundaries_between(part: Part, later: i64, earlier: i64) -> Option<i64> {
    let (l, e) = (to_naive(later), to_naive(earlier));
    Some(match part {
        Part::Year => i64::from(l.year() - e.year()),
        Part::Quarter => month_index(&l).div_euclid(3) - month_index(&e).div_euclid(3),
        Part::Month => month_index(&l) - month_index(&e),
        Part::Week => (start_of_week(later) - start_of_week(earlier)) / (7 * NANOS_PER_DAY),
        Part::DayOfYear => return None,
        fixed => {
            let unit = fixed.fixed_nanos()?;
            later.div_euclid(unit) - earlier.div_euclid(unit)
        }
    })
}

/// The value of `part` within the datetime (`datetime_part`).
pub(crate) fn part_of(part: Part, nanos: i64) -> i64 {
    let datetime = to_naive(nanos);
    let fraction = nanos.rem_euclid(NANOS_PER_SECOND);
    match part {
        Part::Year => i64::from(datetime.year()),
        Part::Quarter => i64::from(datetime.month0() / 3 + 1),
        Part::Month => i64::from(datetime.month()),
        // ISO 8601 week number, as `week_of_year` is documented.
        Part::Week => i64::from(datetime.iso_week().week()),
        Part::Day => i64::from(datetime.day()),
        Part::DayOfYear => i64::from(datetime.ordinal()),
        Part::Hour => i64::from(datetime.hour()),
        Part::Minute => i64::from(datetime.minute()),
        Part::Second => i64::from(datetime.second()),
        Part::Millisecond => fraction / NANOS_PER_MILLI,
        Part::Microsecond => fraction / NANOS_PER_MICRO,
        Part::Nanosecond => fraction,
    }
}

/// Argument `index` must be a datetime; any timestamp unit coerces to Kusto's.
pub(crate) fn datetime_arg(name: &str, types: &[DataType], index: usize) -> Result<DataType> {
    match &types[index] {
        DataType::Timestamp(_, _) | DataType::Null => Ok(DATETIME),
        other => plan_err!("{name}(): argument {} must be a datetime, got {other}", index + 1),
    }
}

/// Argument `index` must be a timespan.
pub(crate) fn timespan_arg(name: &str, types: &[DataType], index: usize) -> Result<DataType> {
    match &types[index] {
        DataType::Duration(_) | DataType::Null => Ok(TIMESPAN),
        other => plan_err!("{name}(): argument {} must be a timespan, got {other}", index + 1),
    }
}

/// Argument `index` must be a string.
pub(crate) fn string_arg(name: &str, types: &[DataType], index: usize) -> Result<DataType> {
    match &types[index] {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null => Ok(DataType::Utf8),
        other => plan_err!("{name}(): argument {} must be a string, got {other}", index + 1),
    }
}

/// Argument `index` must be an int or long; it is read as a long.
pub(crate) fn integer_arg(name: &str, types: &[DataType], index: usize) -> Result<DataType> {
    match numeric_arg(name, types, index)? {
        Numeric::Int | Numeric::Long => Ok(DataType::Int64),
        Numeric::Real => plan_err!("{name}(): argument {} must be int or long, got real", index + 1),
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Datetime literals for tests.

    use datafusion::common::ScalarValue;

    pub(crate) fn nanos(text: &str) -> i64 {
        kql_types::time::parse_datetime(text).unwrap_or_else(|| panic!("bad test datetime {text}"))
    }

    pub(crate) fn datetime(text: &str) -> ScalarValue {
        ScalarValue::TimestampNanosecond(Some(nanos(text)), None)
    }

    pub(crate) fn timespan(text: &str) -> ScalarValue {
        let nanos =
            kql_types::time::parse_timespan(text).unwrap_or_else(|| panic!("bad test timespan {text}"));
        ScalarValue::DurationNanosecond(Some(nanos))
    }
}

#[cfg(test)]
mod tests {
    use super::testing::nanos;
    use super::*;

    #[test]
    fn datetime_diff_examples_from_the_kusto_docs() {
        // year = datetime_diff('year',datetime(2017-01-01),datetime(2000-12-31)) -> 17, and so on.
        let diff = |part, a, b| boundaries_between(part, nanos(a), nanos(b));
        assert_eq!(diff(Part::Year, "2017-01-01", "2000-12-31"), Some(17));
        assert_eq!(diff(Part::Quarter, "2017-07-01", "2017-03-30"), Some(2));
        assert_eq!(diff(Part::Month, "2017-01-01", "2015-12-30"), Some(13));
        assert_eq!(diff(Part::Week, "2017-10-29 00:00", "2017-09-30 23:59"), Some(5));
        assert_eq!(diff(Part::Day, "2017-10-29 00:00", "2017-09-30 23:59"), Some(29));
        assert_eq!(diff(Part::Hour, "2017-10-31 01:00", "2017-10-30 23:59"), Some(2));
        assert_eq!(
            diff(Part::Minute, "2017-10-30 23:05:01", "2017-10-30 23:00:59"),
            Some(5)
        );
        assert_eq!(
            diff(Part::Second, "2017-10-30 23:00:10.100", "2017-10-30 23:00:00.900"),
            Some(10)
        );
        assert_eq!(
            diff(
                Part::Millisecond,
                "2017-10-30 23:00:00.200100",
                "2017-10-30 23:00:00.100900"
            ),
            Some(100)
        );
        assert_eq!(
            diff(
                Part::Microsecond,
                "2017-10-30 23:00:00.1009001",
                "2017-10-30 23:00:00.1008009"
            ),
            Some(100)
        );
        assert_eq!(
            diff(
                Part::Nanosecond,
                "2017-10-30 23:00:00.0000000",
                "2017-10-30 23:00:00.0000007"
            ),
            Some(-700)
        );
    }

    #[test]
    fn part_names_are_kusto_languages_lists_in_any_case() {
        // Checked with Kusto.Language (../shared/tools/kusto-oracle): `datetime_part` takes
        // `week_of_year` and `dayofyear` but not `week`, `weekofyear`, `day_of_year` or ` year`;
        // `datetime_add`/`datetime_diff` take `week` but not `week_of_year` or `dayofyear`.
        use PartNames::{Component, Unit};
        assert_eq!(Part::parse("week_of_year", Component), Some(Part::Week));
        assert_eq!(Part::parse("Week_Of_Year", Component), Some(Part::Week));
        assert_eq!(Part::parse("dayOfYear", Component), Some(Part::DayOfYear));
        assert_eq!(Part::parse("YEAR", Component), Some(Part::Year));
        for refused in ["weekofyear", "week", "day_of_year", " year", "fortnight"] {
            assert_eq!(Part::parse(refused, Component), None, "{refused}");
        }
        assert_eq!(Part::parse("Week", Unit), Some(Part::Week));
        for refused in ["week_of_year", "weekofyear", "dayofyear", "day_of_year", "year "] {
            assert_eq!(Part::parse(refused, Unit), None, "{refused}");
        }
    }

    #[test]
    fn weeks_start_on_sunday_and_months_clamp() {
        // 2017-01-01 was a Sunday.
        assert_eq!(start_of_week(nanos("2017-01-01 10:10:17")), nanos("2017-01-01"));
        assert_eq!(start_of_week(nanos("2016-12-31 23:59")), nanos("2016-12-25"));
        assert_eq!(start_of_week(nanos("1969-12-31")), nanos("1969-12-28"));
        assert_eq!(add_months(nanos("2017-01-31"), 1), Some(nanos("2017-02-28")));
        assert_eq!(add_months(nanos("2017-03-31"), -1), Some(nanos("2017-02-28")));
    }
}
