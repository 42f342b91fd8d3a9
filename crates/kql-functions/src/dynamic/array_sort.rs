//! `array_sort_asc(array1 [, ..., arrayN] [, nulls_last])` and `array_sort_desc(...)`: the first
//! array sorted, nulls last unless `nulls_last` is false
//! (`array_sort_asc(dynamic([null,"blue","yellow","green",null]))` is
//! `["blue","green","yellow",null,null]`), and the other arrays "ordered to match the reordered first
//! array" (null for one that "differs in length from the first"). Numbers sort by value and strings
//! ordinally, equal values keeping their order; an array that mixes element kinds, or holds bags or
//! arrays, is refused (Kusto's cross-type order is not reproduced yet).
//!
//! With several arrays the call is a tuple: as a value it is the array of the N result arrays
//! (`array_sort_asc(timestamps, commands)[1]`, the docs' example 3); `print`, `project` and `extend`
//! give each its own column (`array1_sorted`, ...), as the binder expands it.

use std::cmp::Ordering;
use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};
use serde_json::Value;

use super::json::arrays_at;
use crate::declare::*;
use crate::string::kernel::{Args, Param, Params, define, optional_string_rows};

const PARAMS: Params = Params::variadic(&[Param::Str], Param::Any);

/// `kql_array_sort_asc(array: Utf8 (dynamic), nulls_last: Boolean?) -> Utf8 (dynamic)`.
pub fn array_sort_asc() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_array_sort_asc", PARAMS, DataType::Utf8, |args| {
            eval(args, false)
        })
    )
}

pub(crate) static ARRAY_SORT_ASC: KustoFunction = KustoFunction::scalar(
    // Further arrays and `nulls_last` are taken as they are: the function tells them apart by type.
    Signature::scalar("array_sort_asc", &[P::Dynamic, P::Any], R::Fixed(T::Dynamic))
        .optional_from(1)
        .variadic(),
    array_sort_asc,
);

/// `kql_array_sort_desc(array: Utf8 (dynamic), nulls_last: Boolean?) -> Utf8 (dynamic)`.
pub fn array_sort_desc() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_array_sort_desc", PARAMS, DataType::Utf8, |args| {
            eval(args, true)
        })
    )
}

pub(crate) static ARRAY_SORT_DESC: KustoFunction = KustoFunction::scalar(
    Signature::scalar("array_sort_desc", &[P::Dynamic, P::Any], R::Fixed(T::Dynamic))
        .optional_from(1)
        .variadic(),
    array_sort_desc,
);

fn eval(args: &Args, descending: bool) -> Result<ColumnarValue> {
    // A trailing bool (or null) is `nulls_last`; every other argument is an array.
    let last = args.any(args.len() - 1)?;
    let flag_given = args.len() > 1 && matches!(last.data_type(), DataType::Boolean | DataType::Null);
    let nulls_last = last.as_boolean_opt().filter(|_| flag_given);
    let array_count = args.len() - usize::from(flag_given);
    let columns = (0..array_count)
        .map(|index| args.str(index))
        .collect::<Result<Vec<_>>>()?;
    optional_string_rows(args, |row| {
        let Some(first) = arrays_at(&columns[..1], row).and_then(|mut arrays| arrays.pop()) else {
            return Ok(None);
        };
        let last = nulls_last.is_none_or(|flags| !flags.is_valid(row) || flags.value(row));
        let order = sorted_order(&first, descending, last, args.name())?;
        let reorder = |items: Vec<Value>| -> Value {
            if items.len() != order.len() {
                return Value::Null;
            }
            Value::Array(order.iter().map(|&index| items[index].clone()).collect())
        };
        if array_count == 1 {
            return Ok(Some(reorder(first).to_string()));
        }
        let mut sorted = vec![reorder(first)];
        for column in &columns[1..] {
            sorted.push(
                match arrays_at(std::slice::from_ref(column), row).and_then(|mut a| a.pop()) {
                    Some(items) => reorder(items),
                    None => Value::Null,
                },
            );
        }
        Ok(Some(Value::Array(sorted).to_string()))
    })
}

/// The positions of `values` in sorted order: non-null values ascending (or descending; equal values
/// keep their order), then or before the nulls, in their order.
fn sorted_order(values: &[Value], descending: bool, nulls_last: bool, name: &str) -> Result<Vec<usize>> {
    let (mut present, nulls): (Vec<usize>, Vec<usize>) =
        (0..values.len()).partition(|&i| !values[i].is_null());
    let mut keys: Vec<Value> = present.iter().map(|&i| values[i].clone()).collect();
    sort(&mut keys, name)?;
    // Sorting the positions by the same comparison keeps equal values in input order.
    let compare = comparator(&keys);
    present.sort_by(|&a, &b| {
        let order = compare(&values[a], &values[b]);
        if descending { order.reverse() } else { order }
    });
    Ok(if nulls_last {
        present.into_iter().chain(nulls).collect()
    } else {
        nulls.into_iter().chain(present).collect()
    })
}

/// The order of two non-null values of an array `sort` accepted (all numbers or all strings).
fn comparator(checked: &[Value]) -> fn(&Value, &Value) -> Ordering {
    if checked.iter().all(Value::is_number) {
        |a, b| {
            let key = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
            key(a).partial_cmp(&key(b)).unwrap_or(Ordering::Equal)
        }
    } else {
        |a, b| a.as_str().cmp(&b.as_str())
    }
}

/// Checks that non-null values are all numbers or all strings, the kinds torhunt orders as Kusto does.
fn sort(values: &mut [Value], name: &str) -> Result<()> {
    if values.iter().all(Value::is_number) || values.iter().all(Value::is_string) {
        return Ok(());
    }
    exec_err!("not supported yet: {name} of an array mixing element types, or of bags or arrays")
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call, call_scalars, s};

    const COLORS: &str = r#"[null,"blue","yellow","green",null]"#;

    #[test]
    fn docs_examples() {
        // Emulator cases array-sort-asc-function-03/04 and the array_sort_desc doc page.
        let no = ScalarValue::Boolean(Some(false));
        assert_eq!(
            call_scalars(&array_sort_asc(), vec![s(COLORS)]),
            s(r#"["blue","green","yellow",null,null]"#)
        );
        assert_eq!(
            call_scalars(&array_sort_asc(), vec![s(COLORS), no.clone()]),
            s(r#"[null,null,"blue","green","yellow"]"#)
        );
        assert_eq!(
            call_scalars(&array_sort_desc(), vec![s(COLORS)]),
            s(r#"["yellow","green","blue",null,null]"#)
        );
        assert_eq!(
            call_scalars(&array_sort_desc(), vec![s(COLORS), no]),
            s(r#"[null,null,"yellow","green","blue"]"#)
        );
        assert_eq!(
            call_scalars(&array_sort_asc(), vec![s("[1,3,4,5,2]")]),
            s("[1,2,3,4,5]")
        );
        assert_eq!(
            call_scalars(&array_sort_desc(), vec![s("[1,3,4,5,2]")]),
            s("[5,4,3,2,1]")
        );
    }

    #[test]
    fn mixed_element_types_are_refused() {
        let args = vec![ColumnarValue::Scalar(s(r#"[1,"a"]"#))];
        assert!(call(&array_sort_asc(), args).is_err());
    }

    #[test]
    fn several_arrays_sort_along_the_first() {
        // Docs example 1: array_sort_asc(dynamic([1,3,4,5,2]), dynamic(["a","b","c","d","e"])).
        let letters = s(r#"["a","b","c","d","e"]"#);
        assert_eq!(
            call_scalars(&array_sort_asc(), vec![s("[1,3,4,5,2]"), letters.clone()]),
            s(r#"[[1,2,3,4,5],["a","e","b","c","d"]]"#)
        );
        // Descending, nulls first; an array of another length is null; equal values keep their order.
        assert_eq!(
            call_scalars(
                &array_sort_desc(),
                vec![
                    s("[2,null,3,2]"),
                    s(r#"["x","n","y","z"]"#),
                    s("[1]"),
                    ScalarValue::Boolean(Some(false))
                ]
            ),
            s(r#"[[null,3,2,2],["n","y","x","z"],null]"#)
        );
        // A first argument that is not an array gives null.
        assert_eq!(
            call_scalars(&array_sort_asc(), vec![s("5"), letters]),
            ScalarValue::Utf8(None)
        );
    }
}
