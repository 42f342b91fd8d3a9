//! `percentilew`, `percentilesw` and `percentilesw_array` (the percentilesw page's examples: each
//! value counts as many times as its weight), and the refusals around them.

use serde_json::json;

use crate::support::{answer, run};

const LATENCIES: &str = "let latencyTable = datatable (ReqCount:long, LatencyBucket:long)
[ 8, 10, 6, 20, 3, 30, 1, 40 ];
latencyTable";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn docs_examples() {
    let columns = answer(&format!(
        "{LATENCIES} | summarize percentilesw(LatencyBucket, ReqCount, 50, 75, 99.9)"
    ))
    .await;
    assert_eq!(
        columns.columns,
        [
            "percentile_LatencyBucket_50",
            "percentile_LatencyBucket_75",
            "percentile_LatencyBucket_99_9"
        ]
    );
    assert_eq!(columns.types, ["Int64", "Int64", "Int64"]);
    assert_eq!(columns.rows, [[json!(20), json!(20), json!(40)]]);

    for call in [
        "percentilesw_array(LatencyBucket, ReqCount, 50, 75, 99.9)",
        "percentilesw_array(LatencyBucket, ReqCount, dynamic([50, 75, 99.9]))",
    ] {
        let array = answer(&format!("{LATENCIES} | summarize {call}")).await;
        assert_eq!(array.columns, ["percentiles_LatencyBucket"], "{call}");
        assert_eq!(array.rows, [[json!([20, 20, 40])]], "{call}");
    }

    let single = answer(&format!(
        "{LATENCIES} | summarize percentilew(LatencyBucket, ReqCount, 50), (p1, p2) = percentilesw(LatencyBucket, ReqCount, 0, 100)"
    ))
    .await;
    assert_eq!(single.columns, ["percentile_LatencyBucket_50", "p1", "p2"]);
    assert_eq!(single.rows, [[json!(20), json!(10), json!(40)]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weights_must_be_whole_and_not_negative_and_strings_are_refused() {
    for (query, message) in [
        (
            "print x = 1, w = 1.5 | summarize percentilesw(x, w, 50)",
            "the weight of `percentilesw` must be an int or long, not real",
        ),
        (
            "print x = 1, w = -2 | summarize percentilesw(x, w, 50)",
            "the weight -2 is negative",
        ),
        (
            "print x = 1, w = long(null) | summarize percentilew(x, w, 50)",
            "a null weight",
        ),
        (
            "print s = 'a' | summarize percentiles(s, 50)",
            "not supported yet: `percentiles` of a string value",
        ),
    ] {
        let error = run(query)
            .await
            .err()
            .unwrap_or_else(|| panic!("{query} should fail"));
        assert!(error.contains(message), "{query}: {error}");
    }
}
