//! Functions that reach through every stage (binder signature, planner, UDF): `range()`, the series
//! family, `around()`, `bag_pack_columns()`, the `binary_all_*` and `*if` aggregates and the unit
//! conversions, with expectations from the Kusto documentation.

use serde_json::json;

use crate::support::{answer, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn range_function_docs_examples() {
    let numbers = answer("print r = range(1, 8, 3), s = range(1, 3)").await;
    assert_eq!(numbers.types, ["Object", "Object"]);
    assert_eq!(numbers.rows, [[json!([1, 4, 7]), json!([1, 2, 3])]]);
    let hours = answer("print r = range(1h, 5h)").await;
    assert_eq!(
        hours.rows,
        [[json!([
            "01:00:00", "02:00:00", "03:00:00", "04:00:00", "05:00:00"
        ])]]
    );
    let days =
        answer("print r = range(datetime(2007-01-01), datetime(2007-12-31), 1d) | mv-expand r | count").await;
    assert_eq!(days.rows, [[json!(365)]]);
    // "The range function supports a maximum of 1,048,576 (2^20) results."
    let capped = answer("print r = range(1, 1000000000) | mv-expand r | count").await;
    assert_eq!(capped.rows, [[json!(1_048_576)]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn series_functions_in_queries() {
    // series_iir docs: a cumulative sum with numerators [1] and denominators [1,-1].
    let sums = answer("print y = series_iir(range(1, 4), dynamic([1]), dynamic([1,-1]))").await;
    assert_eq!(sums.rows, [[json!([1.0, 3.0, 6.0, 10.0])]]);
    // series_greater_equals against a number, as the series_outliers docs use it.
    let flags = answer("print f = series_greater_equals(dynamic([1, 2.5, 0.5]), 1.5)").await;
    assert_eq!(flags.rows, [[json!([false, true, false])]]);
    let stats = answer("print s = series_stats_dynamic(dynamic([1, 3]))").await;
    assert_eq!(
        stats.rows,
        [[
            json!({"min": 1.0, "min_idx": 0, "max": 3.0, "max_idx": 1, "avg": 2.0,
                 "stdev": 2f64.sqrt(), "variance": 2.0, "sum": 4.0, "len": 2})
        ]]
    );
    let error = run("print series_log(dynamic([0]))")
        .await
        .err()
        .unwrap_or_default();
    assert!(error.contains("not supported yet"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn around_includes_both_ends() {
    let numbers = answer("print a = around(1.5, 1, 0.5), b = around(1.6, 1, 0.5), c = around(5, 7, 2)").await;
    // Kusto reports bool columns with the .NET type SByte.
    assert_eq!(numbers.types, ["SByte", "SByte", "SByte"]);
    assert_eq!(numbers.rows, [[json!(true), json!(false), json!(true)]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bag_pack_columns_names_keys_after_columns() {
    let packed =
        answer("datatable(Id: string, Other: long)['A', 1] | project P = bag_pack_columns(Id, Other)").await;
    assert_eq!(packed.rows, [[json!({"Id": "A", "Other": 1})]]);
    let error = run("print x = 1 | project bag_pack_columns(x + 1)")
        .await
        .err()
        .unwrap_or_default();
    assert!(error.contains("column names"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bitwise_and_conditional_aggregates() {
    let bits = answer(
        "datatable(n: long)[12, 10, 6] \
         | summarize binary_all_and(n), binary_all_or(n), binary_all_xor(n)",
    )
    .await;
    assert_eq!(
        bits.columns,
        ["binary_all_and_n", "binary_all_or_n", "binary_all_xor_n"]
    );
    assert_eq!(bits.rows, [[json!(0), json!(14), json!(0)]]);
    // Sample variance and deviation over the rows that pass the predicate: 2, 4 and 6.
    let moments =
        answer("range x from 1 to 6 step 1 | summarize varianceif(x, x % 2 == 0), stdevif(x, x % 2 == 0)")
            .await;
    assert_eq!(moments.columns, ["varianceif_x", "stdevif_x"]);
    assert_eq!(moments.rows, [[json!(4.0), json!(2.0)]]);
    let list = answer("datatable(n: int)[int(null), 1] | summarize l = make_list_with_nulls(n)").await;
    assert_eq!(list.rows, [[json!([null, 1])]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unit_conversions() {
    let converted = answer(
        "print a = convert_length(1, 'Mile', 'Kilometer'), b = convert_angle(180, 'Degree', 'Radian'), \
         c = erfc(0)",
    )
    .await;
    assert_eq!(
        converted.rows,
        [[json!(1.609344), json!(std::f64::consts::PI), json!(1.0)]]
    );
    let error = run("print convert_length(1, 'Meter', 'Furlong')")
        .await
        .err()
        .unwrap_or_default();
    assert!(error.contains("not supported yet"), "{error}");
}
