//! `array_reverse(array)`: the elements in reverse order; null when not an array
//! (`array_reverse(dynamic(["this","is","an","example"]))` is `["example","an","is","this"]`).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::json::arrays_at;
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, optional_string_rows};

/// `kql_array_reverse(array: Utf8 (dynamic)) -> Utf8 (dynamic)`.
pub fn array_reverse() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_array_reverse",
            Params::fixed(&[Param::Str]),
            DataType::Utf8,
            |args| {
                let columns = [args.str(0)?];
                optional_string_rows(args, |row| {
                    Ok(arrays_at(&columns, row).map(|mut arrays| {
                        let mut items = arrays.remove(0);
                        items.reverse();
                        Value::Array(items).to_string()
                    }))
                })
            },
        )
    )
}

pub(crate) static ARRAY_REVERSE: KustoFunction = KustoFunction::scalar(
    Signature::scalar("array_reverse", &[P::Dynamic], R::Fixed(T::Dynamic)),
    array_reverse,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // Emulator case array-reverse-function-00.
        assert_eq!(
            call_scalars(&array_reverse(), vec![s(r#"["this","is","an","example"]"#)]),
            s(r#"["example","an","is","this"]"#)
        );
        assert_eq!(
            call_scalars(&array_reverse(), vec![s("5")]),
            ScalarValue::Utf8(None)
        );
    }
}
