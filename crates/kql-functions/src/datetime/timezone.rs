//! IANA time zones for `datetime_utc_to_local`, `datetime_local_to_utc` and `datetime_list_timezones`:
//! the chrono-tz database, whose 597 names are exactly the ones Kusto lists, in the same order.

use std::sync::Arc;

use chrono::{LocalResult, NaiveDateTime, Offset, TimeZone};
use chrono_tz::{OffsetComponents, Tz};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, TimestampNanosecondArray};
use datafusion::arrow::datatypes::TimestampNanosecondType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;

use super::calendar::{DATETIME, datetime_arg, from_naive, string_arg, to_naive};
use crate::math::kernel::{KernelUdf, check_arity};

/// A zone by its IANA name, matched exactly (Kusto documents the names as listed), or an error naming
/// it: an unknown zone must not silently give UTC.
pub(super) fn zone(function: &str, name: &str) -> Result<Tz> {
    match name.parse::<Tz>() {
        Ok(zone) => Ok(zone),
        Err(_) => exec_err!(
            "{function}(): unknown time zone '{name}' (datetime_list_timezones() lists the supported ones)"
        ),
    }
}

/// Every supported zone name, in Kusto's order.
pub(super) fn zone_names() -> impl Iterator<Item = &'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|zone| zone.name())
}

/// The wall-clock time in `zone` at the UTC instant `utc`.
pub(super) fn utc_to_local(utc: NaiveDateTime, zone: Tz) -> NaiveDateTime {
    utc + zone.offset_from_utc_datetime(&utc).fix()
}

/// The UTC instant of the wall-clock time `local` in `zone`. A time that occurs twice (clocks set
/// back) or never (clocks set forward) is read with the offset in effect one standard offset before
/// it, as Kusto does: in a gap that is the new (daylight) offset (docs: 02:00 on 2022-03-27 in
/// Europe/Brussels is 00:00 UTC), in an overlap the standard one.
pub(super) fn local_to_utc(local: NaiveDateTime, zone: Tz) -> NaiveDateTime {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(instant) => instant.naive_utc(),
        LocalResult::Ambiguous(..) | LocalResult::None => {
            let standard = zone.offset_from_utc_datetime(&local).base_utc_offset();
            let probe = local - standard;
            local - zone.offset_from_utc_datetime(&probe).fix()
        }
    }
}

/// A `(datetime, timezone) -> datetime` UDF that converts each row with `convert`.
pub(super) fn conversion_udf(
    name: &'static str,
    convert: fn(NaiveDateTime, Tz) -> NaiveDateTime,
) -> Arc<ScalarUDF> {
    KernelUdf::new(
        name,
        move |types| {
            check_arity(name, types, 2, 2)?;
            Ok(vec![datetime_arg(name, types, 0)?, string_arg(name, types, 1)?])
        },
        |_| Ok(DATETIME),
        move |args| convert_rows(name, args, convert),
    )
    .into_udf()
}

fn convert_rows(
    name: &str,
    args: &[ArrayRef],
    convert: fn(NaiveDateTime, Tz) -> NaiveDateTime,
) -> Result<ArrayRef> {
    let datetimes = args[0].as_primitive::<TimestampNanosecondType>();
    let zones = args[1].as_string::<i32>();
    let mut out = Vec::with_capacity(datetimes.len());
    for row in 0..datetimes.len() {
        if datetimes.is_null(row) {
            out.push(None);
            continue;
        }
        // Kusto strings are never null: a null zone is the empty (unknown) name.
        let zone = zone(name, if zones.is_valid(row) { zones.value(row) } else { "" })?;
        out.push(from_naive(convert(to_naive(datetimes.value(row)), zone)));
    }
    Ok(Arc::new(TimestampNanosecondArray::from(out)) as ArrayRef)
}
