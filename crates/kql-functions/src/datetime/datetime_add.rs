//! `datetime_add(part, amount, datetime)`: adds `amount` parts; months and years are calendar steps
//! whose day is clamped to the target month (2017-01-31 plus one month is 2017-02-28).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, TimestampNanosecondArray};
use datafusion::arrow::datatypes::{Int64Type, TimestampNanosecondType};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;

use super::calendar::{DATETIME, Part, PartNames, add_months, datetime_arg, integer_arg, string_arg};
use super::part_args::part_at;
use crate::declare::*;
use crate::math::kernel::{KernelUdf, check_arity};

const NAME: &str = "kql_datetime_add";

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        KernelUdf::new(
            NAME,
            |types| {
                check_arity(NAME, types, 3, 3)?;
                Ok(vec![
                    string_arg(NAME, types, 0)?,
                    integer_arg(NAME, types, 1)?,
                    datetime_arg(NAME, types, 2)?,
                ])
            },
            |_| Ok(DATETIME),
            kernel,
        )
        .into_udf()
    )
}

pub(crate) static DATETIME_ADD: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "datetime_add",
        &[P::Str, P::Integer, P::DateTime],
        R::Fixed(T::DateTime),
    ),
    udf,
);

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    let parts = args[0].as_string::<i32>();
    let amounts = args[1].as_primitive::<Int64Type>();
    let datetimes = args[2].as_primitive::<TimestampNanosecondType>();
    let mut out = Vec::with_capacity(parts.len());
    for row in 0..parts.len() {
        let part = part_at(NAME, PartNames::Unit, parts, row)?;
        let value = match part {
            Some(part) if amounts.is_valid(row) && datetimes.is_valid(row) => {
                add(part, amounts.value(row), datetimes.value(row))?
            }
            _ => None,
        };
        out.push(value);
    }
    Ok(Arc::new(TimestampNanosecondArray::from(out)))
}

fn add(part: Part, amount: i64, nanos: i64) -> Result<Option<i64>> {
    Ok(match part {
        Part::Year => amount
            .checked_mul(12)
            .and_then(|months| add_months(nanos, months)),
        Part::Quarter => amount.checked_mul(3).and_then(|months| add_months(nanos, months)),
        Part::Month => add_months(nanos, amount),
        Part::DayOfYear => return exec_err!("{NAME}(): 'dayofyear' is not a unit that can be added"),
        fixed => fixed
            .fixed_nanos()
            .and_then(|unit| amount.checked_mul(unit))
            .and_then(|delta| nanos.checked_add(delta)),
    })
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::StringArray;
    use datafusion::common::ScalarValue;
    use datafusion::logical_expr::ColumnarValue;

    use super::super::calendar::testing::{datetime, nanos};
    use super::super::kernel_testing::{array, invoke, scalar};
    use super::*;

    fn add_to(part: &str, amount: i64, at: &str) -> ScalarValue {
        scalar(
            &udf(),
            vec![
                ScalarValue::from(part),
                ScalarValue::Int64(Some(amount)),
                datetime(at),
            ],
        )
    }

    #[test]
    fn examples_from_the_kusto_docs() {
        // let origin = datetime(2017-10-30 01:02:03.7654321);
        // year = datetime_add('year',1,origin) -> 2018-10-30 01:02:03.7654321, and so on.
        let origin = "2017-10-30 01:02:03.7654321";
        assert_eq!(add_to("year", 1, origin), datetime("2018-10-30 01:02:03.7654321"));
        assert_eq!(
            add_to("quarter", 1, origin),
            datetime("2018-01-30 01:02:03.7654321")
        );
        assert_eq!(
            add_to("month", 1, origin),
            datetime("2017-11-30 01:02:03.7654321")
        );
        assert_eq!(add_to("week", 1, origin), datetime("2017-11-06 01:02:03.7654321"));
        assert_eq!(add_to("day", 1, origin), datetime("2017-10-31 01:02:03.7654321"));
        assert_eq!(add_to("hour", 1, origin), datetime("2017-10-30 02:02:03.7654321"));
        assert_eq!(
            add_to("minute", 1, origin),
            datetime("2017-10-30 01:03:03.7654321")
        );
        assert_eq!(
            add_to("second", 1, origin),
            datetime("2017-10-30 01:02:04.7654321")
        );
        // print datetime_add('month', -1, datetime(2022-03-31)) -> 2022-02-28
        assert_eq!(add_to("month", -1, "2022-03-31"), datetime("2022-02-28"));
    }

    #[test]
    fn per_row_parts_nulls_and_unknown_parts() {
        let parts: ArrayRef = Arc::new(StringArray::from(vec![Some("Day"), None, Some("MINUTE")]));
        let args = vec![
            ColumnarValue::Array(parts),
            ColumnarValue::Scalar(ScalarValue::Int64(Some(2))),
            ColumnarValue::Scalar(datetime("2020-01-01")),
        ];
        let out = array(&udf(), args);
        let expected = TimestampNanosecondArray::from(vec![
            Some(nanos("2020-01-03")),
            None,
            Some(nanos("2020-01-01 00:02")),
        ]);
        assert_eq!(out.as_primitive::<TimestampNanosecondType>(), &expected);
        let bad = vec![
            ScalarValue::from("fortnight"),
            ScalarValue::Int64(Some(1)),
            datetime("2020-01-01"),
        ];
        let error = invoke(&udf(), bad.into_iter().map(ColumnarValue::Scalar).collect()).unwrap_err();
        assert!(
            error.to_string().contains("unknown datetime part 'fortnight'"),
            "{error}"
        );
    }
}
