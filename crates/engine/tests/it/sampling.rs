//! `sample`, `sample-distinct` and `invoke`, with expectations from their Kusto docs.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::support::{answer, run};

/// The first column's values.
async fn firsts(query: &str) -> Vec<Value> {
    answer(query)
        .await
        .rows
        .into_iter()
        .map(|row| row[0].clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sample_returns_min_n_rows_of_the_input() {
    // "Returns up to the specified number of random rows": N distinct input rows, or all of them.
    let sampled = firsts("range x from 1 to 100 step 1 | sample 5").await;
    assert_eq!(sampled.len(), 5);
    let distinct: BTreeSet<i64> = sampled.iter().filter_map(Value::as_i64).collect();
    assert_eq!(distinct.len(), 5);
    assert!(distinct.iter().all(|x| (1..=100).contains(x)), "{distinct:?}");
    let all = answer("datatable (a: string, b: long) ['x', 1, 'y', 2, 'z', 3] | sample 10").await;
    assert_eq!(all.columns, ["a", "b"]);
    let mut rows = all.rows;
    rows.sort_by_key(|row| row[1].as_i64());
    assert_eq!(
        rows,
        [
            [json!("x"), json!(1)],
            [json!("y"), json!(2)],
            [json!("z"), json!(3)]
        ]
    );
    assert!(firsts("range x from 1 to 10 step 1 | sample 0").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sample_is_random() {
    // The docs' example samples a different row on each evaluation; ten draws of one row in a
    // thousand are all alike with probability 1e-27.
    let mut drawn = BTreeSet::new();
    for _ in 0..10 {
        drawn.extend(
            firsts("range x from 1 to 1000 step 1 | sample 1")
                .await
                .iter()
                .filter_map(Value::as_i64),
        );
    }
    assert!(drawn.len() > 1, "{drawn:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sample_distinct_returns_distinct_values_of_the_column() {
    let table = "datatable (k: string, v: long) ['a', 1, 'a', 2, 'b', 3, 'c', 4, 'c', 5]";
    let two = answer(&format!("{table} | sample-distinct 2 of k")).await;
    assert_eq!(two.columns, ["k"]);
    let values: BTreeSet<String> = two
        .rows
        .iter()
        .filter_map(|row| row[0].as_str().map(str::to_string))
        .collect();
    assert_eq!(values.len(), 2, "{values:?}");
    assert!(values.iter().all(|v| ["a", "b", "c"].contains(&v.as_str())));
    let mut every = firsts(&format!("{table} | sample-distinct 10 of k")).await;
    every.sort_by_key(Value::to_string);
    assert_eq!(every, [json!("a"), json!("b"), json!("c")]);
    // The docs' use: sampled keys select rows.
    let rows = answer(&format!(
        "let t = {table}; let keys = t | sample-distinct 1 of k; \
         t | where k in (keys) | summarize dcount(k)"
    ))
    .await;
    assert_eq!(rows.rows, [[json!(1)]]);
    // `top 0` and `sample 0` give no rows (not DataFusion's top-k assertion).
    assert!(firsts(&format!("{table} | top 0 by v")).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invoke_passes_the_piped_rows_first() {
    // The invoke docs' example: the average of the values between the 5th and 99th percentiles.
    let clipped = answer(
        "let clipped_average = (T:(x: long), lowPercentile:double, upPercentile:double) {
             let high = toscalar(T | summarize percentiles(x, upPercentile));
             let low = toscalar(T | summarize percentiles(x, lowPercentile));
             T
             | where x > low and x < high
             | summarize avg(x)
         };
         range x from 1 to 100 step 1
         | invoke clipped_average(5, 99)",
    )
    .await;
    assert_eq!(
        (clipped.columns, clipped.rows),
        (vec!["avg_x".to_string()], vec![vec![json!(52.0)]])
    );
    let counted = answer("let n = (T:(*)) { T | count }; range x from 1 to 7 step 1 | invoke n()").await;
    assert_eq!(counted.rows, [[json!(7)]]);
    let error = run("let f = (n:long) { print n }; print x = 1 | invoke f(2)")
        .await
        .err();
    assert!(error.is_some_and(|e| e.contains("not tabular")));
}
