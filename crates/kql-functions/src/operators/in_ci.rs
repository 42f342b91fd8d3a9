//! `in~`: the row equals one of the values ignoring case (`State in~ ("Florida", "Georgia")`).
//! Value-list conventions: see [`super::value_list`].

use std::collections::HashSet;
use std::sync::Arc;

use datafusion::arrow::array::BooleanBuilder;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};

use super::matcher::{equals_ignore_case, lower};
use super::value_list::ValueList;
use crate::declare::*;
use crate::string::kernel::{Args, Param, Params, define};

const PARAMS: Params = Params::variadic(&[Param::Str], Param::Str);

/// `kql_in_ci(row: Utf8, value: Utf8, ...) -> Boolean`.
pub fn in_ci() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_in_ci", PARAMS, DataType::Boolean, |args| eval(args, false))
    )
}

pub(crate) static IN_CI: InternalFunction =
    InternalFunction::scalar_with_dynamic("in_ci", in_ci, in_ci_dynamic);

/// `kql_in_ci_dynamic(row: Utf8, value: dynamic Utf8, ...) -> Boolean`; arrays are expanded.
pub fn in_ci_dynamic() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_in_ci_dynamic", PARAMS, DataType::Boolean, |args| {
            eval(args, true)
        })
    )
}

fn eval(args: &Args, dynamic: bool) -> Result<ColumnarValue> {
    let rows = args.str(0)?;
    let values = ValueList::new(args, 1, dynamic)?;
    let constant: Option<HashSet<String>> = values
        .constant()
        .map(|v| v.iter().map(|value| lower(value).into_owned()).collect());
    let mut result = BooleanBuilder::with_capacity(args.rows());
    for row in 0..args.rows() {
        let text = rows.get(row);
        let found = match &constant {
            Some(set) => set.contains(lower(text).as_ref()),
            None => values.at(row).iter().any(|value| equals_ignore_case(text, value)),
        };
        result.append_value(found);
    }
    args.finish(Arc::new(result.finish()))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use datafusion::arrow::array::{AsArray, StringArray};
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call, call_scalars, s};

    #[test]
    fn docs_examples() {
        // in~ docs: `where State in~ ("Florida", "Georgia", "New York")` matches "FLORIDA".
        let list = || vec![s("Florida"), s("Georgia"), s("New York")];
        let mut args = vec![s("FLORIDA")];
        args.extend(list());
        assert_eq!(call_scalars(&in_ci(), args), ScalarValue::Boolean(Some(true)));
        let mut args = vec![s("TEXAS")];
        args.extend(list());
        assert_eq!(call_scalars(&in_ci(), args), ScalarValue::Boolean(Some(false)));
    }

    #[test]
    fn dynamic_lists_and_column_values() {
        let rows = ColumnarValue::Array(Arc::new(StringArray::from(vec!["A", "b", "c"])));
        let list = ColumnarValue::Scalar(s(r#"["a","B"]"#));
        let result = call(&in_ci_dynamic(), vec![rows.clone(), list])
            .unwrap()
            .into_array(3)
            .unwrap();
        assert_eq!(
            result.as_boolean().iter().flatten().collect::<Vec<_>>(),
            [true, true, false]
        );
        let values = ColumnarValue::Array(Arc::new(StringArray::from(vec!["x", "B", "C"])));
        let result = call(&in_ci(), vec![rows, values]).unwrap().into_array(3).unwrap();
        assert_eq!(
            result.as_boolean().iter().flatten().collect::<Vec<_>>(),
            [false, true, true]
        );
    }
}
