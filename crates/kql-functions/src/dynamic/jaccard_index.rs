//! `jaccard_index(set1, set2)`: |set1 ∩ set2| / |set1 ∪ set2| over the distinct elements, as a `real`;
//! null when an argument is not an array
//! (`jaccard_index(dynamic([1,2,3]), dynamic([1,2,3,4]))` is `0.75`).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::exec_err;
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::json::arrays_at;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, double_rows};

/// `kql_jaccard_index(set1: Utf8 (dynamic), set2: Utf8 (dynamic)) -> Float64`.
pub fn jaccard_index() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::fixed(&[Param::Str, Param::Str]);
        define("kql_jaccard_index", params, DataType::Float64, |args| {
            let columns = [args.str(0)?, args.str(1)?];
            double_rows(args, |row| {
                let Some(arrays) = arrays_at(&columns, row) else {
                    return Ok(None);
                };
                let mut union: Vec<&Value> = Vec::new();
                for item in arrays.iter().flatten() {
                    if !union.contains(&item) {
                        union.push(item);
                    }
                }
                if union.is_empty() {
                    // The documentation does not say what two empty sets give.
                    return exec_err!("not supported yet: jaccard_index of two empty sets");
                }
                let common = union
                    .iter()
                    .filter(|item| arrays.iter().all(|array| array.contains(item)))
                    .count();
                Ok(Some(common as f64 / union.len() as f64))
            })
        })
    })
}

pub(crate) static JACCARD_INDEX: KustoFunction = KustoFunction::scalar(
    Signature::scalar("jaccard_index", &[P::Dynamic, P::Dynamic], R::Fixed(T::Real)),
    jaccard_index,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // Emulator case jaccard-index-function-00; duplicates are ignored.
        let jaccard = |a: &str, b: &str| call_scalars(&jaccard_index(), vec![s(a), s(b)]);
        assert_eq!(jaccard("[1,2,3]", "[1,2,3,4]"), ScalarValue::Float64(Some(0.75)));
        assert_eq!(
            jaccard("[1,1,2]", "[2,3,3]"),
            ScalarValue::Float64(Some(1.0 / 3.0))
        );
        assert_eq!(jaccard("1", "[1]"), ScalarValue::Float64(None));
    }
}
