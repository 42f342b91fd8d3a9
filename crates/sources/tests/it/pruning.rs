//! Storage folders outside a query's time window are not opened.

use std::fs;
use std::path::Path;

use datafusion::catalog::TableProvider;
use datafusion::common::{ScalarValue, TableReference};
use datafusion::logical_expr::{Expr, TableProviderFilterPushDown, ident, lit};
use datafusion::prelude::SessionContext;
use torhunt_sources::{DataSet, ReadOptions};

use crate::nanos;

/// One DeviceNetworkEvents record per hour 10:00..15:00 of 2024-05-01, each in its storage folder,
/// received at hh:30 (`time`) for an event at hh:20 (`Timestamp`).
fn write_hours(root: &Path) {
    for hour in 10..16 {
        let dir = root.join(format!(
            "insights-logs-advancedhunting-devicenetworkevents/tenantId=t1/y=2024/m=05/d=01/h={hour}/m=00"
        ));
        fs::create_dir_all(&dir).expect("folder creates");
        let record = serde_json::json!({
            "time": format!("2024-05-01T{hour}:30:00.0000000Z"),
            "tenantId": "t1",
            "category": "AdvancedHunting-DeviceNetworkEvents",
            "properties": {
                "Timestamp": format!("2024-05-01T{hour}:20:00.0000000Z"),
                "ActionType": "ConnectionSuccess",
                "RemotePort": 9001,
                "ReportId": hour,
            },
        });
        fs::write(dir.join("PT1H.json"), format!("{record}\n")).expect("file writes");
    }
}

fn timestamp(rfc3339: &str) -> Expr {
    lit(ScalarValue::TimestampNanosecond(Some(nanos(rfc3339)), None))
}

/// Runs `filter` over a fresh data set; returns (rows, files opened).
async fn run(root: &Path, filter: Expr) -> (usize, u64) {
    let data =
        DataSet::discover(&[root.to_path_buf()], &[], ReadOptions::default()).expect("discovery succeeds");
    let context = SessionContext::new();
    data.register(&context).expect("tables register");
    let batches = context
        .table(TableReference::bare("DeviceNetworkEvents"))
        .await
        .expect("table exists")
        .filter(filter)
        .expect("filter plans")
        .collect()
        .await
        .expect("query runs");
    (
        batches.iter().map(|b| b.num_rows()).sum(),
        data.report().files_opened(),
    )
}

#[tokio::test]
async fn time_filters_skip_out_of_window_hours() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_hours(dir.path());

    let everything = ident("ReportId").gt(lit(0_i64));
    assert_eq!(run(dir.path(), everything).await, (6, 6));

    // A folder holds what arrived during its hour: records stamped before the hour's end, up to an
    // hour late. So hour 10 cannot hold 11:00..12:00, while 12 and 13 may (late arrivals).
    let hour_11 = ident("TimeGenerated")
        .gt_eq(timestamp("2024-05-01T11:00:00Z"))
        .and(ident("TimeGenerated").lt(timestamp("2024-05-01T12:00:00Z")));
    assert_eq!(run(dir.path(), hour_11).await, (1, 3));

    let between = ident("TimeGenerated").between(
        timestamp("2024-05-01T12:10:00Z"),
        timestamp("2024-05-01T12:40:00Z"),
    );
    assert_eq!(run(dir.path(), between).await, (1, 2));

    // Timestamp never exceeds TimeGenerated, so a lower bound prunes earlier hours; an upper bound
    // cannot (events arrive late), so every hour is opened for it.
    let from_noon = ident("Timestamp").gt_eq(timestamp("2024-05-01T12:00:00Z"));
    assert_eq!(run(dir.path(), from_noon).await, (4, 4));
    let before_noon = ident("Timestamp").lt(timestamp("2024-05-01T12:00:00Z"));
    assert_eq!(run(dir.path(), before_noon).await, (2, 6));
}

#[tokio::test]
async fn time_filters_are_pushed_down_as_inexact() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_hours(dir.path());
    let data =
        DataSet::discover(&[dir.path().to_path_buf()], &[], ReadOptions::default()).expect("discovery");
    let table = data.table("DeviceNetworkEvents").expect("table");
    let on_time = ident("TimeGenerated").gt(timestamp("2024-05-01T11:00:00Z"));
    let on_port = ident("RemotePort").eq(lit(9001));
    assert_eq!(
        table
            .supports_filters_pushdown(&[&on_time, &on_port])
            .expect("answers"),
        vec![
            TableProviderFilterPushDown::Inexact,
            TableProviderFilterPushDown::Unsupported
        ]
    );
}

#[tokio::test]
async fn parquet_row_groups_outside_the_window_are_not_read() {
    let root = tempfile::tempdir().expect("tempdir");
    write_hours(root.path());
    let storage = DataSet::discover(&[root.path().to_path_buf()], &[], ReadOptions::default())
        .expect("discovery succeeds");
    let parquet = root.path().join("parquet");
    // One row (one hour) per row group.
    crate::layouts::convert_to_parquet_in_row_groups(&storage, &parquet, 1).await;
    let (rows, opened) = run(&parquet, ident("Timestamp").gt(timestamp("2024-05-01T13:00:00Z"))).await;
    assert_eq!((rows, opened), (3, 3), "13:20, 14:20 and 15:20 only");
    let (rows, opened) = run(&parquet, ident("ReportId").gt(lit(12))).await;
    assert_eq!((rows, opened), (3, 6), "no time filter: every row group");
}
