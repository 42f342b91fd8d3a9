//! Kusto datetime functions (and `bin`, which Kusto uses mostly on datetimes).

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

mod bin;
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
mod floor;
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
mod text_conversion;
mod timezone;
mod todatetime;
mod totimespan;
mod unixtime;
mod unixtime_microseconds_todatetime;
mod unixtime_milliseconds_todatetime;
mod unixtime_nanoseconds_todatetime;
mod unixtime_seconds_todatetime;
mod weekofyear;

#[cfg(test)]
use crate::math::kernel::testing as kernel_testing;

pub fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![
        bin::udf(),
        bin_at::udf(),
        datetime_add::udf(),
        datetime_diff::udf(),
        datetime_list_timezones::udf(),
        datetime_local_to_utc::udf(),
        datetime_part::udf(),
        datetime_utc_to_local::udf(),
        dayofmonth::udf(),
        dayofweek::udf(),
        dayofyear::udf(),
        endofday::udf(),
        endofmonth::udf(),
        endofweek::udf(),
        endofyear::udf(),
        floor::udf(),
        format_datetime::udf(),
        format_timespan::udf(),
        getmonth::udf(),
        getyear::udf(),
        hourofday::udf(),
        make_datetime::udf(),
        make_timespan::udf(),
        monthofyear::udf(),
        startofday::udf(),
        startofmonth::udf(),
        startofweek::udf(),
        startofyear::udf(),
        todatetime::udf(),
        totimespan::udf(),
        unixtime_microseconds_todatetime::udf(),
        unixtime_milliseconds_todatetime::udf(),
        unixtime_nanoseconds_todatetime::udf(),
        unixtime_seconds_todatetime::udf(),
        weekofyear::udf(),
    ]
}
