//! `tohex(value[, minLength])`: lower-case hexadecimal text of an int or long. Negative values print
//! as the two's complement of their own width (8 digits for int, 16 for long), per the Kusto docs.

use std::fmt::Write;
use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Int32Type, Int64Type};
use datafusion::common::{Result, exec_err, plan_err};
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{KernelUdf, Numeric, check_arity, integers_as_i64, numeric_arg};
use crate::declare::*;

const NAME: &str = "kql_tohex";
/// "Values greater than 16 are truncated to 16."
const MAX_MIN_LENGTH: i64 = 16;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        KernelUdf::new(NAME, coerce, |_| Ok(DataType::Utf8), kernel).into_udf()
    )
}

pub(crate) static TOHEX: KustoFunction = KustoFunction::scalar(
    Signature::scalar("tohex", &[P::Integer, P::Integer], R::Fixed(T::String))
        .optional_from(1)
        .named(N::FirstArgument),
    udf,
);

fn coerce(types: &[DataType]) -> Result<Vec<DataType>> {
    check_arity(NAME, types, 1, 2)?;
    let mut coerced = Vec::with_capacity(types.len());
    for index in 0..types.len() {
        match numeric_arg(NAME, types, index)? {
            Numeric::Real => return plan_err!("{NAME}(): argument {} must be int or long", index + 1),
            // The value keeps its width (it decides the two's complement); minLength is read as long.
            kind if index == 0 => coerced.push(kind.arrow_type()),
            _ => coerced.push(DataType::Int64),
        }
    }
    Ok(coerced)
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    let rows = args[0].len();
    let min_lengths = match args.get(1) {
        Some(lengths) => integers_as_i64(lengths)?,
        None => std::iter::repeat_n(Some(0i64), rows).collect(),
    };
    // Two's complement bits of the value at its own width.
    let bits: Vec<Option<u64>> = match args[0].data_type() {
        DataType::Int32 => args[0]
            .as_primitive::<Int32Type>()
            .iter()
            .map(|v| v.map(|v| u64::from(v as u32)))
            .collect(),
        DataType::Int64 => args[0]
            .as_primitive::<Int64Type>()
            .iter()
            .map(|v| v.map(|v| v as u64))
            .collect(),
        other => return exec_err!("{NAME}(): unexpected argument type {other}"),
    };
    let mut out = StringBuilder::with_capacity(rows, rows * 8);
    for (bits, min_length) in bits.into_iter().zip(min_lengths.iter()) {
        match (bits, min_length) {
            (Some(bits), Some(min_length)) => {
                let width = min_length.clamp(0, MAX_MIN_LENGTH) as usize;
                write!(out, "{bits:0width$x}")
                    .map_err(|e| datafusion::common::DataFusionError::External(e.into()))?;
                out.append_value("");
            }
            _ => out.append_null(),
        }
    }
    Ok(Arc::new(out.finish()))
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::super::kernel::testing;
    use super::*;

    fn hex(args: Vec<ScalarValue>) -> Option<String> {
        match testing::scalar(&udf(), args) {
            ScalarValue::Utf8(s) => s,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn examples_from_the_kusto_docs() {
        // tohex(256) == '100', tohex(-256) == 'ffffffffffffff00', tohex(toint(-256), 8) == 'ffffff00',
        // tohex(256, 8) == '00000100', tohex(256, 2) == '100'
        let long = |v| ScalarValue::Int64(Some(v));
        assert_eq!(hex(vec![long(256)]).as_deref(), Some("100"));
        assert_eq!(hex(vec![long(-256)]).as_deref(), Some("ffffffffffffff00"));
        assert_eq!(
            hex(vec![ScalarValue::Int32(Some(-256)), long(8)]).as_deref(),
            Some("ffffff00")
        );
        assert_eq!(hex(vec![long(256), long(8)]).as_deref(), Some("00000100"));
        assert_eq!(hex(vec![long(256), long(2)]).as_deref(), Some("100"));
        assert_eq!(hex(vec![ScalarValue::Int64(None)]), None);
    }
}
