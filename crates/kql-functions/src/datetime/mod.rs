//! Kusto datetime functions (and `bin`, which Kusto uses mostly on datetimes).

use crate::registry::KustoFunction;

pub(crate) mod bin;
mod bin_at;
mod binning;
mod boundary;
mod calendar;
mod component;
mod datetime_add;
mod datetime_diff;
mod datetime_list_timezones;
mod datetime_local_to_utc;
mod datetime_part;
mod datetime_utc_to_local;
mod dayofmonth;
mod dayofweek;
mod dayofyear;
mod endofday;
mod endofmonth;
mod endofweek;
mod endofyear;
pub(crate) mod floor;
mod format_datetime;
mod format_spec;
mod format_timespan;
mod getmonth;
mod getyear;
mod hourofday;
mod make_datetime;
mod make_timespan;
mod monthofyear;
mod part_args;
mod startofday;
mod startofmonth;
mod startofweek;
mod startofyear;
mod timezone;
mod unixtime;
mod unixtime_microseconds_todatetime;
mod unixtime_milliseconds_todatetime;
mod unixtime_nanoseconds_todatetime;
mod unixtime_seconds_todatetime;
mod weekofyear;

#[cfg(test)]
use crate::math::kernel::testing as kernel_testing;
#[cfg(test)]
pub(crate) use calendar::testing as calendar_testing;

/// The family's functions, each declared in its own file.
pub(crate) const FUNCTIONS: &[&KustoFunction] = &[
    &bin_at::BIN_AT,
    &datetime_add::DATETIME_ADD,
    &datetime_diff::DATETIME_DIFF,
    &datetime_list_timezones::DATETIME_LIST_TIMEZONES,
    &datetime_local_to_utc::DATETIME_LOCAL_TO_UTC,
    &datetime_part::DATETIME_PART,
    &datetime_utc_to_local::DATETIME_UTC_TO_LOCAL,
    &dayofmonth::DAYOFMONTH,
    &dayofweek::DAYOFWEEK,
    &dayofyear::DAYOFYEAR,
    &endofday::ENDOFDAY,
    &endofmonth::ENDOFMONTH,
    &endofweek::ENDOFWEEK,
    &endofyear::ENDOFYEAR,
    &format_datetime::FORMAT_DATETIME,
    &format_timespan::FORMAT_TIMESPAN,
    &getmonth::GETMONTH,
    &getyear::GETYEAR,
    &hourofday::HOUROFDAY,
    &make_datetime::MAKE_DATETIME,
    &make_timespan::MAKE_TIMESPAN,
    &monthofyear::MONTHOFYEAR,
    &startofday::STARTOFDAY,
    &startofmonth::STARTOFMONTH,
    &startofweek::STARTOFWEEK,
    &startofyear::STARTOFYEAR,
    &unixtime_microseconds_todatetime::UNIXTIME_MICROSECONDS_TODATETIME,
    &unixtime_milliseconds_todatetime::UNIXTIME_MILLISECONDS_TODATETIME,
    &unixtime_nanoseconds_todatetime::UNIXTIME_NANOSECONDS_TODATETIME,
    &unixtime_seconds_todatetime::UNIXTIME_SECONDS_TODATETIME,
    &bin::BIN,
    &floor::FLOOR,
    &weekofyear::WEEK_OF_YEAR,
];
