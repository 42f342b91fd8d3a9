//! `scan` and `partition`: sequence detection over ordered rows, per key. Expectations follow the
//! scan operator's documented matching logic (checks 1 and 2, evaluated from the last step to the
//! first) and the partition operator's definition (the union of the subquery over each key's rows).

use serde_json::{Value, json};

use crate::support::{answer, run};

/// A Tor hunt as a sequence: on each device, `tor.exe` starts, then within 5 minutes connects out on an
/// OR port. Worked by hand per the scan docs:
/// - pc1: start at 10:00 (s1, match 0), connection at 10:02 (check 1 of s2: output), connection at 10:30
///   (s2's sequence is active, but 30m > 5m: no match).
/// - pc2: connection at 09:00 comes before any start (no match), start at 11:00 (match 0 of its
///   partition), no connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tor_start_then_connection_per_device() {
    let result = answer(
        r#"datatable (Timestamp: datetime, DeviceName: string, ActionType: string, RemotePort: int) [
            datetime(2024-01-01 10:00), "pc1", "ProcessCreated", 0,
            datetime(2024-01-01 10:02), "pc1", "ConnectionSuccess", 9001,
            datetime(2024-01-01 10:30), "pc1", "ConnectionSuccess", 9001,
            datetime(2024-01-01 09:00), "pc2", "ConnectionSuccess", 9001,
            datetime(2024-01-01 11:00), "pc2", "ProcessCreated", 0,
        ]
        | partition hint.strategy=native by DeviceName (
            sort by Timestamp asc
            | scan with_match_id=Match declare (Started: datetime) with (
                step start output=none: ActionType == "ProcessCreated" => Started = Timestamp;
                step connect: ActionType == "ConnectionSuccess" and RemotePort in (9001, 9030)
                    and Timestamp - start.Timestamp <= 5m => Started = start.Started;
            )
        )
        | project DeviceName, Started, Timestamp, Match"#,
    )
    .await;
    assert_eq!(result.columns, ["DeviceName", "Started", "Timestamp", "Match"]);
    assert_eq!(result.types, ["String", "DateTime", "DateTime", "Int64"]);
    assert_eq!(
        result.rows,
        [[
            json!("pc1"),
            json!("2024-01-01T10:00:00Z"),
            json!("2024-01-01T10:02:00Z"),
            json!(0)
        ]]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_state_carries_across_batches() {
    // 20,000 rows arrive in several record batches; the running sum must not restart between them.
    let result = answer(
        "range x from 1 to 20000 step 1 \
         | scan declare (total: long = 0) with (step s: true => total = s.total + x;) \
         | summarize rows = count(), last = max(total)",
    )
    .await;
    assert_eq!(result.rows, [[json!(20000), json!(20000 * 20001 / 2)]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_step_with_an_active_sequence_keeps_its_match_id() {
    // Check 2 on the first step starts a new sequence only when the step has none: `a` rows extend the
    // sequence, `b` moves it to the second step, and the next `a` starts match 1. A declared column a
    // step does not assign has its default.
    let result = answer(
        r#"datatable (i: long, e: string) [1, "a", 2, "a", 3, "b", 4, "a"]
        | sort by i asc
        | scan with_match_id=m declare (tag: string = "none") with (
            step first: e == "a";
            step second: e == "b" => tag = "closed";
        )"#,
    )
    .await;
    assert_eq!(result.columns, ["i", "e", "tag", "m"]);
    let expected: Vec<Vec<Value>> = vec![
        vec![json!(1), json!("a"), json!("none"), json!(0)],
        vec![json!(2), json!("a"), json!("none"), json!(0)],
        vec![json!(3), json!("b"), json!("closed"), json!(0)],
        vec![json!(4), json!("a"), json!("none"), json!(1)],
    ];
    assert_eq!(result.rows, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_refusals_name_the_construct() {
    let unsorted = run("datatable (x: long)[1, 2] | summarize by x | scan with (step s: x > 0;)")
        .await
        .err()
        .expect("a scan over unordered rows is refused");
    assert!(unsorted.contains("serialized"), "{unsorted}");

    let last = run("range x from 1 to 3 step 1 | scan with (step s output=last: x > 0;)")
        .await
        .err()
        .expect("output=last is refused");
    assert!(last.contains("output=last"), "{last}");

    let bare = run("range x from 1 to 3 step 1 | scan declare (c: long) with (step s: true => c = c + x;)")
        .await
        .err()
        .expect("a bare declared column is refused");
    assert!(bare.contains("s1.c") && bare.contains("`c`"), "{bare}");

    let twice = run("range x from 1 to 3 step 1 | scan with (step s: x > 0; step s: x > 1;)")
        .await
        .err()
        .expect("duplicate step names are an error");
    assert!(twice.contains("used twice"), "{twice}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partition_runs_the_subquery_per_key() {
    // top 1 per key: the biggest x of each remainder class.
    let top = answer(
        "range x from 1 to 10 step 1 | extend g = x % 3 | partition by g (top 1 by x) | sort by g asc",
    )
    .await;
    assert_eq!(
        top.rows,
        [[json!(9), json!(0)], [json!(10), json!(1)], [json!(8), json!(2)]]
    );

    // summarize per key, the key column not kept: one count per partition.
    let counts = answer(
        r#"datatable (k: string, v: long)["", 1, "a", 2, "a", 3]
        | partition by k (summarize n = count()) | sort by n asc"#,
    )
    .await;
    assert_eq!(counts.columns, ["n"]);
    assert_eq!(counts.rows, [[json!(1)], [json!(2)]]);

    // Datetime keys survive the round trip through their text.
    let days = answer(
        "range d from datetime(2024-01-01) to datetime(2024-01-03) step 1d \
         | partition by d (extend next = d + 1d) | sort by d asc",
    )
    .await;
    assert_eq!(
        days.rows[2],
        [json!("2024-01-03T00:00:00Z"), json!("2024-01-04T00:00:00Z")]
    );

    // No rows, no partitions: no output, even for a subquery that would give a row over nothing.
    let empty = answer("range x from 1 to 3 step 1 | where x > 5 | partition by x (summarize count())").await;
    assert!(empty.rows.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partition_with_its_own_source_sees_the_key_as_a_value() {
    // The docs' legacy example shape: inside `{ }`, the key column's name stands for the key.
    let result = answer(
        "range x from 1 to 2 step 1 \
         | partition hint.strategy=legacy by x { range y from 1 to 4 step 1 | where y % 2 == x % 2 | extend k = x } \
         | sort by y asc",
    )
    .await;
    assert_eq!(
        result.rows,
        [
            [json!(1), json!(1)],
            [json!(2), json!(2)],
            [json!(3), json!(1)],
            [json!(4), json!(2)]
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partition_limits_follow_the_strategy() {
    // Kusto's legacy strategy (the default) allows 64 partitions; native allows more.
    let legacy = run("range x from 1 to 65 step 1 | partition by x (take 1)")
        .await
        .err()
        .expect("65 legacy partitions are refused");
    assert!(
        legacy.contains("65 distinct values") && legacy.contains("64"),
        "{legacy}"
    );
    let native =
        answer("range x from 1 to 65 step 1 | partition hint.strategy=native by x (take 1) | count").await;
    assert_eq!(native.rows, [[json!(65)]]);
}
