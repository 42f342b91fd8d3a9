//! `parse_csv(s)` -> dynamic array of the fields of the first CSV record, with RFC 4180 quoting
//! (`parse_csv('aa,"b,b,b",cc,"Escaping quotes: ""Title""","line1\nline2"')`).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::kernel::{Param, Params, define, optional_string_rows};
use crate::declare::*;

/// `kql_parse_csv(s: Utf8) -> Utf8 (dynamic)`; a malformed record gives null.
pub fn parse_csv() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_parse_csv",
            Params::fixed(&[Param::Str]),
            DataType::Utf8,
            |args| {
                let text = args.str(0)?;
                optional_string_rows(args, |row| {
                    let mut reader = csv::ReaderBuilder::new()
                        .has_headers(false)
                        .flexible(true)
                        .from_reader(text.get(row).as_bytes());
                    let mut record = csv::StringRecord::new();
                    Ok(match reader.read_record(&mut record) {
                        Ok(true) => Some(Value::from(record.iter().collect::<Vec<_>>()).to_string()),
                        Ok(false) => Some(r#"[""]"#.to_string()),
                        Err(_) => None,
                    })
                })
            },
        )
    )
}

pub(crate) static PARSE_CSV: KustoFunction = KustoFunction::scalar(
    Signature::scalar("parse_csv", &[P::Str], R::Fixed(T::Dynamic)).named(N::FirstArgument),
    parse_csv,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, s, text};

    #[test]
    fn docs_example() {
        // parse_csv('aa,"b,b,b",cc,"Escaping quotes: ""Title""","line1\nline2"')
        //   == ["aa","b,b,b","cc","Escaping quotes: \"Title\"","line1\nline2"]
        let input = "aa,\"b,b,b\",cc,\"Escaping quotes: \"\"Title\"\"\",\"line1\nline2\"";
        let expected = r#"["aa","b,b,b","cc","Escaping quotes: \"Title\"","line1\nline2"]"#;
        assert_eq!(text(call_scalars(&parse_csv(), vec![s(input)])), expected);
    }
}
