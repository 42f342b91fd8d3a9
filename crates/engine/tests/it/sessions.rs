//! `row_window_session` over serialized rows: its documentation's example, and the documented
//! session rules (limits reached when equalled, a null value ends the session, restart).

use serde_json::{Value, json};

use crate::support::{answer, run};

fn datetimes(rows: &[Vec<Value>], column: usize) -> Vec<Value> {
    rows.iter().map(|row| row[column].clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn docs_example() {
    let result = answer(
        r#"datatable (ID:string, Timestamp:datetime) [
            "1", datetime(2024-04-11 10:00:00),
            "2", datetime(2024-04-11 10:18:00),
            "1", datetime(2024-04-11 11:00:00),
            "3", datetime(2024-04-11 11:30:00),
            "2", datetime(2024-04-11 13:30:00),
            "2", datetime(2024-04-11 10:16:00)
        ]
        | sort by ID asc, Timestamp asc
        | extend SessionStarted = row_window_session(Timestamp, 1h, 5m, ID != prev(ID))"#,
    )
    .await;
    assert_eq!(result.columns, ["ID", "Timestamp", "SessionStarted"]);
    assert_eq!(result.types, ["String", "DateTime", "DateTime"]);
    let expected: Vec<Value> = [
        "2024-04-11T10:00:00Z",
        "2024-04-11T11:00:00Z",
        "2024-04-11T10:16:00Z",
        "2024-04-11T10:16:00Z",
        "2024-04-11T13:30:00Z",
        "2024-04-11T11:30:00Z",
    ]
    .iter()
    .map(|t| json!(t))
    .collect();
    assert_eq!(datetimes(&result.rows, 2), expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_end_at_the_limits_and_at_nulls() {
    // Minutes 0, 3, 6, 9 share a session; 10 equals 0 + 10m and 14 equals 10 + 4m; the null row has
    // no session and 15 starts one.
    let result = answer(
        "datatable(m:long) [0, 3, 6, 9, 10, 14, long(null), 15]
         | serialize
         | extend t = iff(isnull(m), datetime(null), datetime(2024-01-01) + m * 1m)
         | extend s = row_window_session(t, 10m, 4m)
         | project start = (s - datetime(2024-01-01)) / 1m",
    )
    .await;
    let starts: Vec<Value> = result.rows.iter().map(|row| row[0].clone()).collect();
    assert_eq!(
        starts,
        [0.0, 0.0, 0.0, 0.0, 10.0, 14.0]
            .map(|m| json!(m))
            .into_iter()
            .chain([Value::Null, json!(15.0)])
            .collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_other_than_datetimes_are_refused_and_unserialized_rows_rejected() {
    let error = run("range x from 1 to 3 step 1 | extend row_window_session(x, 1, 1)")
        .await
        .err()
        .unwrap_or_default();
    assert!(
        error.contains("not supported yet: row_window_session over long values"),
        "{error}"
    );
    let error = run("datatable(t:datetime)[datetime(2024-01-01)] | summarize by t \
                     | extend row_window_session(t, 1h, 1h)")
    .await
    .err()
    .unwrap_or_default();
    assert!(error.contains("not serialized"), "{error}");
}
