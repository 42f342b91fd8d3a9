//! `extract(regex, group, source)`: the text of a capture group of the first match, or "" when
//! there is none (`extract("x=([0-9.]+)", 1, "hello x=45.6|wo")` is "45.6"). The optional
//! `typeof(...)` argument is applied by the planner as a conversion of the result.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::kernel::{Param, Params, Prepared, define, string_rows};
use super::regex::compile;
use crate::declare::*;

/// `kql_extract(regex: Utf8, group: Int64, source: Utf8) -> Utf8`.
pub fn extract() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let params = Params::fixed(&[Param::Str, Param::Long, Param::Str]);
        define("kql_extract", params, DataType::Utf8, |args| {
            let (pattern, group, source) = (args.str(0)?, args.long(1)?, args.str(2)?);
            let mut regex = Prepared::new();
            string_rows(args, |row, out| {
                let regex = regex.get(pattern.get(row), |p| compile(args.name(), p))?;
                let Some(group) = group.get(row).and_then(|g| usize::try_from(g).ok()) else {
                    return Ok(());
                };
                if let Some(found) = regex.captures(source.get(row)).and_then(|c| c.get(group)) {
                    out.push_str(found.as_str());
                }
                Ok(())
            })
        })
    })
}

pub(crate) static EXTRACT: KustoFunction = KustoFunction::scalar(
    Signature::scalar("extract", &[P::Str, P::Integer, P::Str], R::Fixed(T::String)),
    extract,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, long, s};

    #[test]
    fn docs_examples() {
        // Emulator case extract-function-00: extract("User: ([^,]+)", 1, Text) == "James",
        // extract(@"Email: (\S+),", 1, "User: David, Age: 35") == "", extract(@"\d+", 0, Text) == "29".
        let text = "User: James, Email: James@example.com, Age: 29";
        assert_eq!(
            call_scalars(&extract(), vec![s("User: ([^,]+)"), long(1), s(text)]),
            s("James")
        );
        let args = vec![s(r"Email: (\S+),"), long(1), s("User: David, Age: 35")];
        assert_eq!(call_scalars(&extract(), args), s(""));
        assert_eq!(
            call_scalars(&extract(), vec![s(r"\d+"), long(0), s(text)]),
            s("29")
        );
    }
}
