//! `has_any_index(source, values)`: the zero-based position in the `values` array of the first item
//! (in array order) that `source` has as a term, case-insensitively like `has_any`; -1 when none is
//! found or the array is empty. Non-string items match as their text (`range(1, 3, 1)`); null items
//! keep their position but match nothing.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};
use serde_json::Value;

use super::matcher::{Anchor, NeedleSet};
use crate::declare::*;
use crate::dynamic::json::{parse, to_kusto_string};
use crate::string::kernel::{Args, Param, Params, Prepared, define, long_rows};

/// `kql_has_any_index(source: Utf8, values: Utf8 (dynamic)) -> Int64`.
pub fn has_any_index() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_has_any_index",
            Params::fixed(&[Param::Str, Param::Str]),
            DataType::Int64,
            eval,
        )
    )
}

pub(crate) static HAS_ANY_INDEX: KustoFunction = KustoFunction::scalar(
    Signature::scalar("has_any_index", &[P::Str, P::Dynamic], R::Fixed(T::Long)),
    has_any_index,
);

/// The needles of a `values` array and, for each, its position in the array.
struct Lookup {
    needles: NeedleSet,
    positions: Vec<i64>,
}

impl Lookup {
    fn new(values: &str) -> Result<Lookup> {
        let items = match parse(values) {
            Value::Array(items) => items,
            Value::Null => Vec::new(),
            scalar => vec![scalar],
        };
        let (positions, texts): (Vec<i64>, Vec<String>) = (0_i64..)
            .zip(&items)
            .filter(|(_, item)| !item.is_null())
            .map(|(position, item)| (position, to_kusto_string(item)))
            .unzip();
        Ok(Lookup {
            needles: NeedleSet::new(&texts, Anchor::Term, false)?,
            positions,
        })
    }

    /// The smallest position of a needle `source` has, or -1.
    fn first_found(&self, source: &str) -> i64 {
        let mut first: Option<i64> = None;
        self.needles.find(source, |index| {
            let position = self.positions[index];
            first = Some(first.map_or(position, |best| best.min(position)));
            // Nothing can beat the array's first needle.
            Some(position) == self.positions.first().copied()
        });
        first.unwrap_or(-1)
    }
}

fn eval(args: &Args) -> Result<ColumnarValue> {
    let sources = args.str(0)?;
    let values = args.str(1)?;
    let mut lookup = Prepared::new();
    long_rows(args, |row| {
        let lookup = lookup.get(values.get(row), Lookup::new)?;
        Ok(Some(lookup.first_found(sources.get(row))))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    fn index(source: &str, values: &str) -> i64 {
        match call_scalars(&has_any_index(), vec![s(source), s(values)]) {
            datafusion::common::ScalarValue::Int64(Some(index)) => index,
            other => panic!("not a long: {other:?}"),
        }
    }

    #[test]
    fn docs_examples() {
        assert_eq!(index("this is an example", r#"["this","example"]"#), 0);
        assert_eq!(index("this is an example", r#"["not","example"]"#), 1);
        assert_eq!(index("this is an example", r#"["not","found"]"#), -1);
        // range(1, 3, 1) is [1,2,3]: "2" is a term of the source.
        assert_eq!(index("Example number 2", "[1,2,3]"), 1);
        assert_eq!(index("this is an example", "[]"), -1);
    }

    #[test]
    fn array_order_wins_over_text_order_and_terms_are_whole_and_case_insensitive() {
        assert_eq!(index("tor.exe then torrent", r#"["TORRENT","tor"]"#), 0);
        assert_eq!(index("toronto", r#"["tor","onto"]"#), -1);
        assert_eq!(index("tor.exe", r#"[null,"TOR"]"#), 1);
        assert_eq!(
            call_scalars(&has_any_index(), vec![s("Tor"), s(r#"["x","tor"]"#)]),
            long(1)
        );
    }
}
