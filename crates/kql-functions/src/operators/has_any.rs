//! `has_any` and `has_all`: any / every value of a list occurs as whole terms, case-insensitively
//! (`has_any` is `has` over several needles). Value-list conventions: see [`super::value_list`].

use std::sync::Arc;

use datafusion::arrow::array::BooleanBuilder;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};

use super::matcher::{Anchor, NeedleSet};
use super::value_list::ValueList;
use crate::declare::*;
use crate::string::kernel::{Args, Param, Params, StrColumn, define};

const PARAMS: Params = Params::variadic(&[Param::Str], Param::Str);

/// `kql_has_any(row: Utf8, value: Utf8, ...) -> Boolean`.
pub fn has_any() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_has_any", PARAMS, DataType::Boolean, |args| {
            eval(args, false, false)
        })
    )
}

pub(crate) static HAS_ANY: InternalFunction =
    InternalFunction::scalar_with_dynamic("has_any", has_any, has_any_dynamic);

/// `kql_has_any_dynamic(row: Utf8, value: dynamic Utf8, ...) -> Boolean`; arrays are expanded.
pub fn has_any_dynamic() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_has_any_dynamic", PARAMS, DataType::Boolean, |args| {
            eval(args, true, false)
        })
    )
}

/// `kql_has_all(row: Utf8, value: Utf8, ...) -> Boolean`.
pub fn has_all() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_has_all", PARAMS, DataType::Boolean, |args| {
            eval(args, false, true)
        })
    )
}

pub(crate) static HAS_ALL: InternalFunction =
    InternalFunction::scalar_with_dynamic("has_all", has_all, has_all_dynamic);

/// `kql_has_all_dynamic(row: Utf8, value: dynamic Utf8, ...) -> Boolean`; arrays are expanded.
pub fn has_all_dynamic() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define("kql_has_all_dynamic", PARAMS, DataType::Boolean, |args| {
            eval(args, true, true)
        })
    )
}

fn eval(args: &Args, dynamic: bool, all: bool) -> Result<ColumnarValue> {
    let rows = args.str(0)?;
    let values = ValueList::new(args, 1, dynamic)?;
    let constant = values
        .constant()
        .map(|v| NeedleSet::cached(&v, Anchor::Term, false))
        .transpose()?;
    // An empty list matches nothing for has_any; has_all over nothing is vacuously true.
    if let (Some(set), false) = (&constant, all) {
        return args.finish(Arc::new(set.any_rows(&rows, args.rows())));
    }
    // A row holding no needle matches has_all only over an empty list (no candidates then).
    let candidates = match (&rows, &constant) {
        (StrColumn::Array(array), Some(set)) => set.candidate_rows(array),
        _ => None,
    };
    let mut seen = Vec::new();
    let mut result = BooleanBuilder::with_capacity(args.rows());
    for row in 0..args.rows() {
        if candidates.as_ref().is_some_and(|c| !c[row]) {
            result.append_value(false);
            continue;
        }
        let per_row;
        let set = match &constant {
            Some(set) => set.as_ref(),
            None => {
                per_row = NeedleSet::new(&values.at(row), Anchor::Term, false)?;
                &per_row
            }
        };
        let text = rows.get(row);
        result.append_value(if all {
            set.all(text, &mut seen)
        } else {
            set.any(text)
        });
    }
    args.finish(Arc::new(result.finish()))
}

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    const T: ScalarValue = ScalarValue::Boolean(Some(true));
    const F: ScalarValue = ScalarValue::Boolean(Some(false));

    #[test]
    fn has_any_docs_style_examples() {
        // has_any docs: `where State has_any ("CALIFORNIA", "WASHINGTON")`.
        assert_eq!(
            call_scalars(
                &has_any(),
                vec![s("NEW CALIFORNIA"), s("california"), s("washington")]
            ),
            T
        );
        assert_eq!(
            call_scalars(
                &has_any(),
                vec![s("CALIFORNIAN"), s("california"), s("washington")]
            ),
            F
        );
        let list = s(r#"["torrent","tor"]"#);
        assert_eq!(
            call_scalars(&has_any_dynamic(), vec![s("tor.exe"), list.clone()]),
            T
        );
        assert_eq!(call_scalars(&has_any_dynamic(), vec![s("toronto"), list]), F);
    }

    #[test]
    fn has_all_needs_every_value() {
        // has_all docs: `where EpisodeNarrative has_all ("cold", "strong", "afternoon", "hail")`.
        let text = s("A cold front brought strong winds and hail in the afternoon");
        let values = ["cold", "strong", "afternoon", "hail"].map(s);
        let mut args = vec![text.clone()];
        args.extend(values.iter().cloned());
        assert_eq!(call_scalars(&has_all(), args), T);
        assert_eq!(
            call_scalars(&has_all(), vec![text.clone(), s("cold"), s("snow")]),
            F
        );
        let list = s(r#"["cold","hail"]"#);
        assert_eq!(call_scalars(&has_all_dynamic(), vec![text, list]), T);
    }
}
