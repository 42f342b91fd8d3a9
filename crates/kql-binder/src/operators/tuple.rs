//! Calls whose value is a tuple of columns: `array_sort_asc`/`array_sort_desc` of several arrays
//! "returns the same number of arrays as in the input" (their page). In `print`, `project` and
//! `extend` each array becomes a column, named as written (`(out1, out2) = array_sort_asc(a, b)`)
//! or derived from its argument (`a_sorted`, `array1_sorted` for an unnamed second argument, as
//! Kusto.Language names them); elsewhere the call is one value, the array of the arrays.

use kql_syntax::Diagnostic;
use kql_syntax::ast::{Expr, ExprKind, Ident};
use kql_types::KustoType;

use crate::bound::{BoundExpr, ExprKind as Bound, Value};
use crate::{BResult, Binder};

/// The functions whose several-array calls are tuples.
const TUPLE_FUNCTIONS: &[&str] = &["array_sort_asc", "array_sort_desc"];

/// One column of an expanded tuple.
pub(crate) struct TupleColumn {
    pub name: String,
    /// Whether the name was written in the query (else derived, and made unique).
    pub explicit: bool,
    pub value: BoundExpr,
}

impl Binder<'_> {
    /// The columns a bound output expression gives when it is a tuple, `None` when it is one value.
    pub(crate) fn tuple_columns(
        &self,
        names: &[Ident],
        expr: &Expr,
        bound: &BoundExpr,
    ) -> BResult<Option<Vec<TupleColumn>>> {
        let (Bound::Call { function, args }, ExprKind::Call { args: written, .. }) =
            (&bound.kind, &expr.kind)
        else {
            return Ok(None);
        };
        if !TUPLE_FUNCTIONS.contains(&function.as_str()) {
            return Ok(None);
        }
        // A trailing bool is `nulls_last`; the rest are the arrays.
        let arrays = match args.last() {
            Some(last) if args.len() > 1 && last.ty == KustoType::Bool => args.len() - 1,
            _ => args.len(),
        };
        if arrays < 2 {
            return Ok(None);
        }
        if !names.is_empty() && names.len() != arrays {
            return Err(Diagnostic::not_supported(
                format!(
                    "{} name(s) for the {arrays} arrays `{function}` returns (give one name per array, or none)",
                    names.len()
                ),
                expr.span,
            ));
        }
        let mut columns: Vec<TupleColumn> = Vec::with_capacity(arrays);
        for index in 0..arrays {
            let (name, explicit) = match names.get(index) {
                Some(name) => (name.name.clone(), true),
                None => {
                    let base = written
                        .get(index)
                        .and_then(|arg| crate::names::derived(&arg.value, self.catalog))
                        .unwrap_or_else(|| format!("array{index}"));
                    // `array_sort_asc(a, a)` gives `a_sorted` and `a_sorted1`.
                    let derived = format!("{base}_sorted");
                    let name = crate::names::unique(&derived, |c| columns.iter().any(|k| k.name == c));
                    (name, false)
                }
            };
            let position = BoundExpr::literal(Value::Long(index as i64), bound.span);
            let value = BoundExpr::call(
                "dynamic_get",
                vec![bound.clone(), position],
                KustoType::Dynamic,
                bound.span,
            );
            columns.push(TupleColumn {
                name,
                explicit,
                value,
            });
        }
        Ok(Some(columns))
    }
}
