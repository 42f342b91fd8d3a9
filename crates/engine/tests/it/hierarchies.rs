//! `top-nested`, `make-series`, `facet` and `parse_path()`, with expectations from the Kusto
//! documentation's examples (or worked out from its definitions where the example needs the
//! StormEvents sample table).

use serde_json::{Value, json};

use crate::support::{answer, run};

/// Rows in a canonical order, for operators whose output order Kusto leaves open.
fn sorted(mut rows: Vec<Vec<Value>>) -> Vec<Vec<Value>> {
    rows.sort_by_key(|row| serde_json::to_string(row).unwrap_or_default());
    rows
}

const IDENTITIES: &str = r#"datatable(id: string, timestamp: datetime, otherInformation: string)
[
    "Barak", datetime(2015-01-01), "1",
    "Barak", datetime(2016-01-01), "2",
    "Barak", datetime(2017-01-20), "3",
    "Donald", datetime(2017-01-20), "4",
    "Donald", datetime(2017-01-18), "5",
    "Donald", datetime(2017-01-19), "6"
]"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn top_nested_latest_records_per_identity() {
    // The top-nested docs' "latest records per identity" example and its output.
    let query = format!(
        "{IDENTITIES}
         | top-nested of id by Ignore0=max(1),
           top-nested 2 of timestamp by Ignore1=max(timestamp),
           top-nested of otherInformation by Ignore2=max(1)
         | project-away Ignore0, Ignore1, Ignore2"
    );
    let latest = answer(&query).await;
    assert_eq!(latest.columns, ["id", "timestamp", "otherInformation"]);
    assert_eq!(latest.types, ["String", "DateTime", "String"]);
    let expected = vec![
        vec![json!("Barak"), json!("2016-01-01T00:00:00Z"), json!("2")],
        vec![json!("Donald"), json!("2017-01-19T00:00:00Z"), json!("6")],
        vec![json!("Barak"), json!("2017-01-20T00:00:00Z"), json!("3")],
        vec![json!("Donald"), json!("2017-01-20T00:00:00Z"), json!("4")],
    ];
    assert_eq!(sorted(latest.rows), sorted(expected));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn top_nested_names_types_and_order() {
    // Each level gives its key and `aggregated_<key>` (Kusto.Language infers the same schema).
    let counted = answer(&format!(
        "{IDENTITIES} | top-nested 1 of id by count(), top-nested of Info = otherInformation by n = count() asc"
    ))
    .await;
    assert_eq!(counted.columns, ["id", "aggregated_id", "Info", "n"]);
    assert_eq!(counted.types, ["String", "Int64", "String", "Int64"]);
    // Both ids have 3 rows; the tie leaves either one on top, each with its three values.
    assert_eq!(counted.rows.len(), 3);
    // `asc` keeps the smallest value, the default (`desc`) the largest.
    for (order, expected) in [
        ("asc", [json!("Barak"), json!("2015-01-01T00:00:00Z")]),
        ("desc", [json!("Donald"), json!("2017-01-18T00:00:00Z")]),
        ("", [json!("Donald"), json!("2017-01-18T00:00:00Z")]),
    ] {
        let earliest = answer(&format!(
            "{IDENTITIES} | top-nested 1 of id by earliest = min(timestamp) {order}"
        ))
        .await;
        assert_eq!(earliest.rows, [expected], "{order}");
    }
    // An algebraic combination of aggregations ranks too (the docs allow it).
    let combined = answer(&format!(
        "{IDENTITIES} | top-nested 1 of id by total = count() * 10 + dcount(otherInformation)"
    ))
    .await;
    assert_eq!(combined.rows[0][1], json!(33));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn top_nested_with_others() {
    // As in the docs' StormEvents example: the "others" row of a level aggregates the rows of the
    // groups not kept; it is not nested further, so a later level without `with others` shows an
    // empty key and a null value, and one with `with others` shows its constant and the same rows'
    // value (the docs' "All Other States ... All Other End Locations 1149279.5923" row).
    let storms = r#"datatable(State: string, Source: string, Lat: real)
        ["TEXAS", "Public", 10.0, "TEXAS", "Public", 5.0, "TEXAS", "Police", 4.0, "TEXAS", "Radio", 1.0,
         "KANSAS", "Public", 8.0, "KANSAS", "Police", 3.0,
         "IOWA", "Public", 2.0, "OHIO", "Radio", 1.0]"#;
    let levels = answer(&format!(
        r#"{storms}
        | top-nested 2 of State with others = "All Other States" by sum(Lat),
          top-nested 1 of Source with others = "All Other Sources" by sum(Lat)"#
    ))
    .await;
    assert_eq!(
        levels.columns,
        ["State", "aggregated_State", "Source", "aggregated_Source"]
    );
    let expected = vec![
        vec![json!("TEXAS"), json!(20.0), json!("Public"), json!(15.0)],
        vec![json!("KANSAS"), json!(11.0), json!("Public"), json!(8.0)],
        vec![
            json!("TEXAS"),
            json!(20.0),
            json!("All Other Sources"),
            json!(5.0),
        ],
        vec![
            json!("KANSAS"),
            json!(11.0),
            json!("All Other Sources"),
            json!(3.0),
        ],
        vec![
            json!("All Other States"),
            json!(3.0),
            json!("All Other Sources"),
            json!(3.0),
        ],
    ];
    assert_eq!(sorted(levels.rows), sorted(expected));

    let first_only = answer(&format!(
        r#"{storms}
        | top-nested 1 of State with others = "Rest" by sum(Lat), top-nested 1 of Source by sum(Lat)"#
    ))
    .await;
    let expected = vec![
        vec![json!("TEXAS"), json!(20.0), json!("Public"), json!(15.0)],
        vec![json!("Rest"), json!(14.0), json!(""), Value::Null],
    ];
    assert_eq!(sorted(first_only.rows), sorted(expected));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn top_nested_refuses_unlisted_aggregations() {
    let error = run(&format!(
        "{IDENTITIES} | top-nested of id by make_set(otherInformation)"
    ))
    .await
    .err()
    .unwrap_or_default();
    assert!(error.contains("not supported"), "{error}");
}

const METRICS: &str = "let data = datatable(timestamp: datetime, metric: real)
[
  datetime(2016-12-31T06:00), 50,
  datetime(2017-01-01), 4,
  datetime(2017-01-02), 3,
  datetime(2017-01-03), 4,
  datetime(2017-01-03T03:00), 6,
  datetime(2017-01-05), 8,
  datetime(2017-01-05T13:40), 13,
  datetime(2017-01-06), 4,
  datetime(2017-01-07), 3,
  datetime(2017-01-08), 8,
  datetime(2017-01-08T21:00), 8,
  datetime(2017-01-09), 2,
  datetime(2017-01-09T12:00), 11,
  datetime(2017-01-10T05:00), 5,
];
let interval = 1d;
let stime = datetime(2017-01-01);
let etime = datetime(2017-01-10);
data";

fn days() -> Value {
    Value::Array(
        (1..=9)
            .map(|d| json!(format!("2017-01-{d:02}T00:00:00.0000000Z")))
            .collect(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn make_series_docs_examples() {
    // The make-series docs' example and its output.
    let series = answer(&format!(
        "{METRICS} | make-series avg(metric) on timestamp from stime to etime step interval"
    ))
    .await;
    assert_eq!(series.columns, ["avg_metric", "timestamp"]);
    assert_eq!(series.types, ["Object", "Object"]);
    assert_eq!(
        series.rows,
        [[json!([4.0, 3.0, 5.0, 0.0, 10.5, 4.0, 3.0, 8.0, 6.5]), days()]]
    );
    // An empty input gives no row ...
    let empty = answer(&format!(
        "{METRICS} | take 0 | make-series avg(metric) default=1.0 on timestamp from stime to etime step interval | count"
    ))
    .await;
    assert_eq!(empty.rows, [[json!(0)]]);
    // ... unless kind=nonempty, which gives the defaults.
    let nonempty = answer(&format!(
        "{METRICS} | take 0 | make-series kind=nonempty avg(metric) default=1.0 on timestamp from stime to etime step interval"
    ))
    .await;
    assert_eq!(nonempty.rows, [[json!(vec![1.0; 9]), days()]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn make_series_groups_defaults_and_bounds() {
    // Per the docs: one row per group, `default` in bins without rows, `from` inclusive and `to`
    // exclusive, bins at `from + k * step`. Bounds may be any constant expression.
    let grouped = answer(
        "datatable(Host: string, At: datetime, Bytes: long)
         ['a', datetime(2020-01-01 00:30), 5, 'a', datetime(2020-01-01 02:10), 7, 'a', datetime(2020-01-01 02:50), 1,
          'b', datetime(2020-01-01 01:00), 2, 'b', datetime(2020-01-01 03:00), 9,
          'b', datetime(2019-12-31 23:59), 100]
         | make-series Total = sum(Bytes) default = -1, count() on At
             from datetime(2020-01-01) to startofday(datetime(2020-01-01 05:00)) + 3h step 1h by Host",
    )
    .await;
    assert_eq!(grouped.columns, ["Host", "Total", "count_", "At"]);
    assert_eq!(grouped.types, ["String", "Object", "Object", "Object"]);
    let hours = json!([
        "2020-01-01T00:00:00.0000000Z",
        "2020-01-01T01:00:00.0000000Z",
        "2020-01-01T02:00:00.0000000Z"
    ]);
    let expected = vec![
        vec![json!("a"), json!([5, -1, 8]), json!([1, 0, 2]), hours.clone()],
        vec![json!("b"), json!([-1, 2, -1]), json!([0, 1, 0]), hours],
    ];
    assert_eq!(sorted(grouped.rows), sorted(expected));
    // A numeric axis.
    let numeric = answer("range x from 0 to 9 step 1 | make-series sum(x) on x from 0 to 10 step 5").await;
    assert_eq!(numeric.rows, [[json!([10, 35]), json!([0, 5])]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn make_series_refuses_what_the_docs_leave_open() {
    for query in [
        "range x from 0 to 9 step 1 | make-series count() on x in range(0, 9, 3)",
        "range x from 0 to 9 step 1 | make-series count() on x step 3",
    ] {
        let error = run(query).await.err().unwrap_or_default();
        assert!(error.contains("not supported"), "{query}: {error}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn facet_is_refused_as_it_returns_several_tables() {
    let error = run("range x from 0 to 9 step 1 | facet by x")
        .await
        .err()
        .unwrap_or_default();
    assert!(error.contains("several tables"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parse_path_docs_example() {
    let parsed = answer(
        r#"datatable(p: string)
        [
            @"C:\temp\file.txt",
            @"temp\file.txt",
            "file://C:/temp/file.txt:some.exe",
            @"\\shared\users\temp\file.txt.gz",
            "/usr/lib/temp/file.txt"
        ]
        | extend path_parts = parse_path(p)"#,
    )
    .await;
    assert_eq!(parsed.types, ["String", "Object"]);
    let bag = |scheme: &str, root: &str, dir: &str, file: &str, ext: &str, stream: &str| {
        json!({"Scheme": scheme, "RootPath": root, "DirectoryPath": dir, "DirectoryName": "temp",
               "Filename": file, "Extension": ext, "AlternateDataStreamName": stream})
    };
    let expected = vec![
        vec![
            json!(r"C:\temp\file.txt"),
            bag("", "C:", r"C:\temp", "file.txt", "txt", ""),
        ],
        vec![
            json!(r"temp\file.txt"),
            bag("", "", "temp", "file.txt", "txt", ""),
        ],
        vec![
            json!("file://C:/temp/file.txt:some.exe"),
            bag("file", "C:", "C:/temp", "file.txt", "txt", "some.exe"),
        ],
        vec![
            json!(r"\\shared\users\temp\file.txt.gz"),
            bag("", "", r"\\shared\users\temp", "file.txt.gz", "gz", ""),
        ],
        vec![
            json!("/usr/lib/temp/file.txt"),
            bag("", "", "/usr/lib/temp", "file.txt", "txt", ""),
        ],
    ];
    assert_eq!(sorted(parsed.rows), sorted(expected));
}
