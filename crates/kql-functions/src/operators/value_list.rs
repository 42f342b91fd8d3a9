//! The value lists of `has_any`, `has_all` and `in~`.
//!
//! Argument convention: the values are arguments `first..`. In the plain form (`kql_has_any`) each is
//! a string. In the `_dynamic` form (`kql_has_any_dynamic`) each is dynamic JSON text and arrays are
//! expanded into their elements, as Kusto does for `has_any (dynamic([...]))`; a planner with a mix of
//! string and dynamic values uses the `_dynamic` form and wraps the strings in `kql_to_dynamic`.

use datafusion::common::Result;

use crate::dynamic::json::list_strings;
use crate::string::kernel::{Args, StrColumn};

/// Reads the value list of each row.
pub(crate) struct ValueList<'a> {
    columns: Vec<StrColumn<'a>>,
    dynamic: bool,
}

impl<'a> ValueList<'a> {
    pub(crate) fn new(args: &'a Args, first: usize, dynamic: bool) -> Result<Self> {
        let columns = (first..args.len()).map(|i| args.str(i)).collect::<Result<_>>()?;
        Ok(ValueList { columns, dynamic })
    }

    /// The list shared by every row when all values are scalars.
    pub(crate) fn constant(&self) -> Option<Vec<String>> {
        self.columns
            .iter()
            .all(|c| c.scalar().is_some())
            .then(|| self.at(0))
    }

    /// The list for one row.
    pub(crate) fn at(&self, row: usize) -> Vec<String> {
        let mut values = Vec::with_capacity(self.columns.len());
        for column in &self.columns {
            if self.dynamic {
                if let Some(text) = column.get_opt(row) {
                    list_strings(text, &mut values);
                }
            } else {
                values.push(column.get(row).to_string());
            }
        }
        values
    }
}
