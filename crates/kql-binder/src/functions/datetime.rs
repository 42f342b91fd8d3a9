//! Datetime functions. `now()` and `ago()` are folded to constants by the binder. Calendar parts are
//! long, as the Kusto engine reports them (Kusto.Language says int).

use kql_types::KustoType::{DateTime, Dynamic, Long, String, TimeSpan};

use super::Param::{DateTime as DateTimeParam, Integer, Num, Str, TimeSpan as TimeSpanParam};
use super::ResultName::FirstArgument;
use super::Returns::Fixed;
use super::Signature as S;

pub(super) const FUNCTIONS: &[S] = &[
    S::new("now", &[TimeSpanParam], Fixed(DateTime)).optional_from(0),
    S::new("ago", &[TimeSpanParam], Fixed(DateTime)),
    S::new("startofday", &[DateTimeParam, Integer], Fixed(DateTime))
        .optional_from(1)
        .named(FirstArgument),
    S::new("startofweek", &[DateTimeParam, Integer], Fixed(DateTime)).optional_from(1),
    S::new("startofmonth", &[DateTimeParam, Integer], Fixed(DateTime)).optional_from(1),
    S::new("startofyear", &[DateTimeParam, Integer], Fixed(DateTime)).optional_from(1),
    S::new("endofday", &[DateTimeParam, Integer], Fixed(DateTime)).optional_from(1),
    S::new("endofweek", &[DateTimeParam, Integer], Fixed(DateTime)).optional_from(1),
    S::new("endofmonth", &[DateTimeParam, Integer], Fixed(DateTime)).optional_from(1),
    S::new("endofyear", &[DateTimeParam, Integer], Fixed(DateTime)).optional_from(1),
    S::new("dayofweek", &[DateTimeParam], Fixed(TimeSpan)),
    S::new("dayofmonth", &[DateTimeParam], Fixed(Long)),
    S::new("dayofyear", &[DateTimeParam], Fixed(Long)),
    S::new("hourofday", &[DateTimeParam], Fixed(Long)),
    S::new("getyear", &[DateTimeParam], Fixed(Long)),
    S::new("getmonth", &[DateTimeParam], Fixed(Long)),
    S::new("monthofyear", &[DateTimeParam], Fixed(Long)),
    S::new("week_of_year", &[DateTimeParam], Fixed(Long)),
    S::new("datetime_part", &[Str, DateTimeParam], Fixed(Long)),
    S::new("datetime_add", &[Str, Integer, DateTimeParam], Fixed(DateTime)),
    S::new("datetime_diff", &[Str, DateTimeParam, DateTimeParam], Fixed(Long)),
    // Time zones are IANA names (`datetime_list_timezones()`).
    S::new("datetime_utc_to_local", &[DateTimeParam, Str], Fixed(DateTime)),
    S::new("datetime_local_to_utc", &[DateTimeParam, Str], Fixed(DateTime)),
    S::new("datetime_list_timezones", &[], Fixed(Dynamic)),
    S::new("format_datetime", &[DateTimeParam, Str], Fixed(String)).named(FirstArgument),
    S::new("format_timespan", &[TimeSpanParam, Str], Fixed(String)),
    S::new("unixtime_seconds_todatetime", &[Num], Fixed(DateTime)),
    S::new("unixtime_milliseconds_todatetime", &[Num], Fixed(DateTime)),
    S::new("unixtime_microseconds_todatetime", &[Num], Fixed(DateTime)),
    S::new("unixtime_nanoseconds_todatetime", &[Num], Fixed(DateTime)),
    S::new(
        "make_datetime",
        &[Integer, Integer, Integer, Integer, Integer, Num],
        Fixed(DateTime),
    )
    .optional_from(3),
    S::new(
        "make_timespan",
        &[Integer, Integer, Integer, Num],
        Fixed(TimeSpan),
    )
    .optional_from(2),
];
