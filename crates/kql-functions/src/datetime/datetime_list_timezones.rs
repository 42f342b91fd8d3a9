//! `datetime_list_timezones()`: the supported IANA zone names, as a dynamic array.

use std::sync::Arc;

use datafusion::common::ScalarValue;
use datafusion::logical_expr::ScalarUDF;

use super::timezone::zone_names;
use crate::declare::*;
use crate::math::kernel::KernelUdf;

pub fn udf() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, {
        let names = serde_json::Value::from(zone_names().collect::<Vec<_>>()).to_string();
        KernelUdf::nullary("kql_datetime_list_timezones", ScalarValue::Utf8(Some(names))).into_udf()
    })
}

pub(crate) static DATETIME_LIST_TIMEZONES: KustoFunction = KustoFunction::scalar(
    Signature::scalar("datetime_list_timezones", &[], R::Fixed(T::Dynamic)),
    udf,
);

#[cfg(test)]
mod tests {
    use super::super::kernel_testing::scalar;
    use super::*;

    #[test]
    fn lists_the_zones_of_the_kusto_timezone_page() {
        let ScalarValue::Utf8(Some(text)) = scalar(&udf(), vec![]) else {
            panic!("not a string");
        };
        let names: Vec<String> = serde_json::from_str(&text).expect("a JSON array of names");
        // The docs' timezone page starts with Africa/Abidjan, Africa/Accra and lists US/Pacific,
        // Australia/Canberra and Etc/GMT+10 among others.
        assert_eq!(names[..2], ["Africa/Abidjan", "Africa/Accra"]);
        for listed in [
            "US/Pacific",
            "Australia/Canberra",
            "Etc/GMT+10",
            "Europe/Brussels",
            "UTC",
        ] {
            assert!(names.iter().any(|n| n == listed), "{listed} missing");
        }
    }
}
