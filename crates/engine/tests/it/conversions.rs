//! Implicit conversions in comparisons and arithmetic, run: a bool is 1 or 0 (the bool docs), numbers
//! of different types compute together, a datetime or timespan equals a string literal of one, and a
//! dynamic value takes the other operand's type. The result types are checked against Kusto.Language
//! in the binder's tests (`conversions.rs`); these check the values.

use serde_json::json;

use crate::support::{answer, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bool_with_numbers() {
    // true is 1 and false is 0: `true == 2` is false, ordering works as on 1 and 0.
    let result = answer(
        "print a = true == 1, b = false == 0, c = true == 2, d = true > 0, e = false < 1.5, f = 0 != false",
    )
    .await;
    assert_eq!(
        result.rows,
        [[
            json!(true),
            json!(true),
            json!(false),
            json!(true),
            json!(true),
            json!(false)
        ]]
    );
    let rows = answer("datatable (b: bool)[true, false, bool(null)] | where b == 1 | count").await;
    assert_eq!(rows.rows, [[json!(1)]]);
    let error = run("print true + 1").await.err().expect("rejected");
    assert!(error.contains("cannot apply `+` to bool and long"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn numbers_of_different_types() {
    let result = answer(
        "print a = int(1) == 1.0, b = int(3) / 2.0, c = int(7) / int(2), d = int(2) * 1.5, e = 1 < 1.5, \
         f = decimal(1.5) + 1",
    )
    .await;
    assert_eq!(
        result.types,
        ["SByte", "Double", "Int64", "Double", "SByte", "SqlDecimal"]
    );
    assert_eq!(
        result.rows[0][..5],
        [json!(true), json!(1.5), json!(3), json!(3.0), json!(true)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn datetime_and_timespan_with_string_literals() {
    let result = answer(
        "print a = datetime(2024-05-01) == '2024-05-01', b = datetime(2024-05-01 10:00) != '2024-05-01T10:00:00Z', \
         c = 1d == '1.00:00:00', d = '2024-05-02' == datetime(2024-05-01)",
    )
    .await;
    assert_eq!(
        result.rows,
        [[json!(true), json!(false), json!(true), json!(false)]]
    );
    // Kusto.Language does not order a datetime against a string.
    let error = run("print datetime(2024-05-01) > '2024-05-01'")
        .await
        .err()
        .expect("rejected");
    assert!(
        error.contains("cannot compare datetime with string using `>`"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynamic_with_scalars() {
    let result = answer(
        r#"print a = dynamic(5) > 3, b = dynamic("a") == "a", c = dynamic(2) * 1.5, d = dynamic(2) + 1,
                 e = datetime(2024-05-01) - dynamic("2024-04-30"), f = dynamic(7) == 7.0"#,
    )
    .await;
    assert_eq!(result.types[2..5], ["Double", "Int64", "TimeSpan"]);
    assert_eq!(
        result.rows,
        [[
            json!(true),
            json!(true),
            json!(3.0),
            json!(3),
            json!("1.00:00:00"),
            json!(true)
        ]]
    );
    let error = run("print dynamic(1) + dynamic(2)").await.err().expect("refused");
    assert!(
        error.contains("not supported yet: `+` on dynamic and dynamic"),
        "{error}"
    );
}
