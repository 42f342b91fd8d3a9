//! `hash_xxhash64(source[, mod])` and `hash(source[, mod])`: the xxhash64 (seed 0) of a value, as a
//! long, or that hash modulo `mod` (between 0 and `mod - 1`). Kusto's `hash` is documented as
//! xxhash64 "but this may change"; torhunt gives both the same answer.
//!
//! The bytes hashed are documented only through examples: a string's UTF-8 bytes
//! (`hash("World")` is 1846988464401551951) and a datetime's 100-nanosecond ticks since 0001-01-01 as
//! a little-endian 64-bit integer (`hash(datetime(2015-01-01))` is 1380966698541616202). Other types
//! are refused by name rather than hashed in a form Kusto may not use.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, Int64Builder};
use datafusion::arrow::datatypes::{DataType, TimestampNanosecondType};
use datafusion::common::{DataFusionError, Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, Expr, ScalarUDF};
use kql_types::KustoType;
use xxhash_rust::xxh64::xxh64;

use super::kernel::{Args, Param, Params, define};
use crate::declare::*;
use crate::registry::ScalarCall;

/// 100-nanosecond ticks from 0001-01-01 to the Unix epoch.
const EPOCH_TICKS: i64 = 621_355_968_000_000_000;

const PARAMS: Params = Params::optional(&[Param::Any], &[Param::Long]);

/// `kql_hash_xxhash64(source: Utf8 | Timestamp(ns)[, mod: Int64]) -> Int64`.
pub fn hash_xxhash64() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_hash_xxhash64", PARAMS, DataType::Int64, eval)
    )
}

/// `kql_hash`: the same as `kql_hash_xxhash64`.
pub fn hash() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, define("kql_hash", PARAMS, DataType::Int64, eval))
}

pub(crate) static HASH_XXHASH64: KustoFunction = KustoFunction::scalar_expr_calling(
    Signature::scalar("hash_xxhash64", &[P::Any, P::Integer], R::Fixed(T::Long)).optional_from(1),
    |call| lower(hash_xxhash64, call),
    &[hash_xxhash64],
);

pub(crate) static HASH: KustoFunction = KustoFunction::scalar_expr_calling(
    Signature::scalar("hash", &[P::Any, P::Integer], R::Fixed(T::Long)).optional_from(1),
    |call| lower(hash, call),
    &[hash],
);

/// The call, for the source types whose hashed bytes the docs show.
fn lower(udf: fn() -> Arc<ScalarUDF>, call: ScalarCall) -> Result<Expr> {
    match call.types.first() {
        Some(KustoType::String | KustoType::DateTime) => Ok(udf().call(call.args)),
        Some(other) => Err(DataFusionError::NotImplemented(format!(
            "`{}` of a {other} value: the Kusto docs show the bytes hashed only for strings and datetimes",
            udf().name().trim_start_matches("kql_")
        ))),
        None => Err(DataFusionError::Internal("hash without a source".to_string())),
    }
}

fn eval(args: &Args) -> Result<ColumnarValue> {
    let source = args.any(0)?;
    let modulo = if args.has(1) { Some(args.long(1)?) } else { None };
    let mut out = Int64Builder::with_capacity(args.rows());
    for row in 0..args.rows() {
        let hashed = match source.data_type() {
            DataType::Utf8 => {
                let text = source.as_string::<i32>();
                // A Kusto string is never null: an absent one is "".
                Some(xxh64(
                    if text.is_valid(row) { text.value(row) } else { "" }.as_bytes(),
                    0,
                ))
            }
            DataType::Timestamp(_, _) => {
                let nanos = source.as_primitive::<TimestampNanosecondType>();
                nanos.is_valid(row).then(|| {
                    let ticks = nanos.value(row).div_euclid(100) + EPOCH_TICKS;
                    xxh64(&ticks.to_le_bytes(), 0)
                })
            }
            other => return exec_err!("{}: cannot hash {other}", args.name()),
        };
        let value = match (hashed, &modulo) {
            (None, _) => None,
            (Some(hash), None) => Some(hash as i64),
            (Some(hash), Some(modulo)) => match modulo.get(row) {
                Some(m) if m > 0 => Some((hash % m as u64) as i64),
                Some(m) => return exec_err!("{}: the modulo must be positive, not {m}", args.name()),
                None => None,
            },
        };
        out.append_option(value);
    }
    args.finish(Arc::new(out.finish()))
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    fn datetime(text: &str) -> ScalarValue {
        let nanos = chrono::DateTime::parse_from_rfc3339(text)
            .unwrap()
            .timestamp_nanos_opt();
        ScalarValue::TimestampNanosecond(nanos, None)
    }

    #[test]
    fn docs_examples() {
        // hash-function and hash-xxhash64-function: "World", "World" mod 100, datetime(2015-01-01).
        for udf in [hash(), hash_xxhash64()] {
            assert_eq!(
                call_scalars(&udf, vec![s("World")]),
                long(1_846_988_464_401_551_951)
            );
            assert_eq!(call_scalars(&udf, vec![s("World"), long(100)]), long(51));
            assert_eq!(
                call_scalars(&udf, vec![datetime("2015-01-01T00:00:00Z")]),
                long(1_380_966_698_541_616_202)
            );
            assert_eq!(
                call_scalars(&udf, vec![ScalarValue::TimestampNanosecond(None, None)]),
                ScalarValue::Int64(None)
            );
        }
    }

    #[test]
    fn a_modulo_keeps_the_hash_between_zero_and_mod() {
        for text in ["", "a", "World", "torhunt", "⒦⒰⒮⒯⒪"] {
            for modulo in [1, 7, 100, i64::MAX] {
                let ScalarValue::Int64(Some(value)) = call_scalars(&hash(), vec![s(text), long(modulo)])
                else {
                    panic!("a long")
                };
                assert!((0..modulo).contains(&value), "{text} % {modulo} = {value}");
            }
        }
    }
}
