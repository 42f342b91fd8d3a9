//! `datetime_diff(part, datetime1, datetime2)`: the number of `part` boundaries between the two
//! datetimes, `datetime1 - datetime2` (calendar boundaries, not elapsed time).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int64Array};
use datafusion::arrow::datatypes::{DataType, TimestampNanosecondType};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::ScalarUDF;

use super::calendar::{PartNames, boundaries_between, datetime_arg, string_arg};
use super::part_args::part_at;
use crate::declare::*;
use crate::math::kernel::{KernelUdf, check_arity};

const NAME: &str = "kql_datetime_diff";

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        KernelUdf::new(
            NAME,
            |types| {
                check_arity(NAME, types, 3, 3)?;
                Ok(vec![
                    string_arg(NAME, types, 0)?,
                    datetime_arg(NAME, types, 1)?,
                    datetime_arg(NAME, types, 2)?,
                ])
            },
            |_| Ok(DataType::Int64),
            kernel,
        )
        .into_udf()
    )
}

pub(crate) static DATETIME_DIFF: KustoFunction = KustoFunction::scalar(
    Signature::scalar(
        "datetime_diff",
        &[P::Str, P::DateTime, P::DateTime],
        R::Fixed(T::Long),
    ),
    udf,
);

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    let parts = args[0].as_string::<i32>();
    let (later, earlier) = (
        args[1].as_primitive::<TimestampNanosecondType>(),
        args[2].as_primitive::<TimestampNanosecondType>(),
    );
    let mut out = Vec::with_capacity(parts.len());
    for row in 0..parts.len() {
        let value = match part_at(NAME, PartNames::Unit, parts, row)? {
            Some(part) if later.is_valid(row) && earlier.is_valid(row) => {
                match boundaries_between(part, later.value(row), earlier.value(row)) {
                    Some(count) => Some(count),
                    None => return exec_err!("{NAME}(): 'dayofyear' is not a unit to count"),
                }
            }
            _ => None,
        };
        out.push(value);
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
    fn examples_from_the_kusto_docs() {
        // (The full table of doc examples is checked in calendar::tests.)
        // year = datetime_diff('year',datetime(2017-01-01),datetime(2000-12-31)) -> 17
        let years = scalar(
            &udf(),
            vec![
                ScalarValue::from("year"),
                datetime("2017-01-01"),
                datetime("2000-12-31"),
            ],
        );
        assert_eq!(years, ScalarValue::Int64(Some(17)));
        // week = datetime_diff('week',datetime(2017-10-29 00:00),datetime(2017-09-30 23:59)) -> 5
        let weeks = scalar(
            &udf(),
            vec![
                ScalarValue::from("Week"),
                datetime("2017-10-29 00:00"),
                datetime("2017-09-30 23:59"),
            ],
        );
        assert_eq!(weeks, ScalarValue::Int64(Some(5)));
        let null = scalar(
            &udf(),
            vec![
                ScalarValue::from("day"),
                ScalarValue::TimestampNanosecond(None, None),
                datetime("2000-01-01"),
            ],
        );
        assert_eq!(null, ScalarValue::Int64(None));
    }
}
