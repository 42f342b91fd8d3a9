//! `parse_url(url)` -> dynamic bag of the URL's parts, with the keys and order of the docs' example:
//! `{"Scheme","Host","Port","Path","Username","Password","Query Parameters","Fragment"}`, absent parts
//! being "". Text that is not an absolute URL gives an empty bag.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use serde_json::{Map, Value};
use url::Url;

use super::kernel::{Param, Params, define, optional_string_rows};
use crate::declare::*;

/// `kql_parse_url(url: Utf8) -> Utf8 (dynamic)`.
pub fn parse_url() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_parse_url",
            Params::fixed(&[Param::Str]),
            DataType::Utf8,
            |args| {
                let text = args.str(0)?;
                optional_string_rows(args, |row| Ok(Some(parts(text.get(row)).to_string())))
            },
        )
    )
}

pub(crate) static PARSE_URL: KustoFunction = KustoFunction::scalar(
    Signature::scalar("parse_url", &[P::Str], R::Fixed(T::Dynamic)).aliases(&["parseurl"]),
    parse_url,
);

fn parts(text: &str) -> Value {
    let Ok(url) = Url::parse(text) else {
        return Value::Object(Map::new());
    };
    let query: Map<String, Value> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), Value::from(v.into_owned())))
        .collect();
    let mut bag = Map::new();
    bag.insert("Scheme".into(), url.scheme().into());
    bag.insert("Host".into(), url.host_str().unwrap_or("").into());
    bag.insert(
        "Port".into(),
        url.port().map(|p| p.to_string()).unwrap_or_default().into(),
    );
    bag.insert("Path".into(), url.path().into());
    bag.insert("Username".into(), url.username().into());
    bag.insert("Password".into(), url.password().unwrap_or("").into());
    bag.insert("Query Parameters".into(), Value::Object(query));
    bag.insert("Fragment".into(), url.fragment().unwrap_or("").into());
    Value::Object(bag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, s, text};

    #[test]
    fn docs_example() {
        // Emulator case parse-url-function-00.
        let url = "scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment";
        let expected = r#"{"Scheme":"scheme","Host":"host","Port":"1234","Path":"/this/is/a/path","Username":"username","Password":"password","Query Parameters":{"k1":"v1","k2":"v2"},"Fragment":"fragment"}"#;
        assert_eq!(text(call_scalars(&parse_url(), vec![s(url)])), expected);
        assert_eq!(text(call_scalars(&parse_url(), vec![s("not a url")])), "{}");
    }
}
