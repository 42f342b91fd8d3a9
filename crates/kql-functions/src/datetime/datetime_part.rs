//! `datetime_part(part, datetime)`: one component of a datetime as a long (the Kusto engine returns
//! Int64 here although Kusto.Language types it int; see the emulator results in ../shared).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int64Array};
use datafusion::arrow::datatypes::{DataType, TimestampNanosecondType};
use datafusion::common::Result;
use datafusion::logical_expr::ScalarUDF;

use super::calendar::{PartNames, datetime_arg, part_of, string_arg};
use super::part_args::part_at;
use crate::declare::*;
use crate::math::kernel::{KernelUdf, check_arity};

const NAME: &str = "kql_datetime_part";

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        KernelUdf::new(
            NAME,
            |types| {
                check_arity(NAME, types, 2, 2)?;
                Ok(vec![string_arg(NAME, types, 0)?, datetime_arg(NAME, types, 1)?])
            },
            |_| Ok(DataType::Int64),
            kernel,
        )
        .into_udf()
    )
}

pub(crate) static DATETIME_PART: KustoFunction = KustoFunction::scalar(
    Signature::scalar("datetime_part", &[P::Str, P::DateTime], R::Fixed(T::Long)).aliases(&["datepart"]),
    udf,
);

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    let parts = args[0].as_string::<i32>();
    let datetimes = args[1].as_primitive::<TimestampNanosecondType>();
    let mut out = Vec::with_capacity(parts.len());
    for row in 0..parts.len() {
        let part = part_at(NAME, PartNames::Component, parts, row)?;
        out.push(
            part.filter(|_| datetimes.is_valid(row))
                .map(|part| part_of(part, datetimes.value(row))),
        );
    }
    Ok(Arc::new(Int64Array::from(out)))
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::super::calendar::testing::datetime;
    use super::super::kernel_testing::scalar;
    use super::*;

    #[test]
    fn example_from_the_kusto_docs() {
        // let dt = datetime(2017-10-30 01:02:03.7654321); print year = datetime_part("year", dt), ...
        // -> 2017, 4, 10, 44, 30, 303, 1, 2, 3, 765, 765432, 765432100 (emulator)
        let expected = [
            ("year", 2017),
            ("quarter", 4),
            ("month", 10),
            ("week_of_year", 44),
            ("day", 30),
            ("dayOfYear", 303),
            ("hour", 1),
            ("minute", 2),
            ("second", 3),
            ("millisecond", 765),
            ("microsecond", 765432),
            ("nanosecond", 765432100),
        ];
        for (part, value) in expected {
            let out = scalar(
                &udf(),
                vec![ScalarValue::from(part), datetime("2017-10-30 01:02:03.7654321")],
            );
            assert_eq!(out, ScalarValue::Int64(Some(value)), "{part}");
        }
        let null = scalar(
            &udf(),
            vec![
                ScalarValue::from("year"),
                ScalarValue::TimestampNanosecond(None, None),
            ],
        );
        assert_eq!(null, ScalarValue::Int64(None));
    }
}
