//! `strcat_array(array, delimiter)`: the array's elements as strings joined by `delimiter` (null
//! elements are empty); "" when `array` is not an array
//! (`strcat_array(dynamic([1, 2, 3]), "->")` is "1->2->3").

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::json::{arrays_at, to_kusto_string};
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, string_rows};

/// `kql_strcat_array(array: Utf8 (dynamic), delimiter: Utf8) -> Utf8`.
pub fn strcat_array() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::fixed(&[Param::Str, Param::Str]);
        define("kql_strcat_array", params, DataType::Utf8, |args| {
            let (columns, delimiter) = ([args.str(0)?], args.str(1)?);
            string_rows(args, |row, out| {
                if let Some(mut arrays) = arrays_at(&columns, row) {
                    let parts: Vec<String> = arrays.remove(0).iter().map(to_kusto_string).collect();
                    out.push_str(&parts.join(delimiter.get(row)));
                }
                Ok(())
            })
        })
    })
}

pub(crate) static STRCAT_ARRAY: KustoFunction = KustoFunction::scalar(
    Signature::scalar("strcat_array", &[P::Dynamic, P::Str], R::Fixed(T::String)).aliases(&["array_strcat"]),
    strcat_array,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // strcat_array docs: dynamic([1, 2, 3]) with "->" is "1->2->3"; emulator case
        // array-sort-asc-function-01 joins sorted names with ",".
        assert_eq!(
            call_scalars(&strcat_array(), vec![s("[1,2,3]"), s("->")]),
            s("1->2->3")
        );
        assert_eq!(
            call_scalars(
                &strcat_array(),
                vec![s(r#"["Jane","John","Kao","Paul"]"#), s(",")]
            ),
            s("Jane,John,Kao,Paul")
        );
        assert_eq!(call_scalars(&strcat_array(), vec![s("5"), s(",")]), s(""));
    }
}
