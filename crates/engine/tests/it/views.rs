//! `let` views in wildcard unions, and the component form of datetime literals, per the Kusto docs
//! (the union operator's `isfuzzy`/wildcard examples, the `startofweek` example).

use serde_json::json;

use crate::support::answer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wildcard_unions_take_parameterless_views_only() {
    // `ViewT` is a tabular `let`, not a view, and `View_p` needs an argument: neither joins `View*`.
    let result = answer(
        "let View_1 = view () { print x = 1 }; \
         let View_2 = view () { print x = 2 }; \
         let View_p = view (n: long) { print x = n }; \
         let ViewT = print x = 3; \
         union withsource = Source View* | sort by x asc",
    )
    .await;
    assert_eq!(result.columns, ["Source", "x"]);
    assert_eq!(
        result.rows,
        [[json!("View_1"), json!(1)], [json!("View_2"), json!(2)]]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn datetime_literals_accept_components() {
    let result = answer("print d = datetime(2025, 6, 14), t = datetime(2025, 6, 14, 8, 30, 5)").await;
    assert_eq!(
        result.rows,
        [[json!("2025-06-14T00:00:00Z"), json!("2025-06-14T08:30:05Z")]]
    );
}
