//! `tor_relay_at` / `tor_relay_info` through DataFusion plans, over a store built from a synthetic
//! microdesc consensus (valid 2024-05-01 12:00 to 13:00).

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, RecordBatch, StringArray, TimestampNanosecondArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use datafusion::common::ScalarValue;
use datafusion::logical_expr::ScalarUDF;
use datafusion::prelude::{DataFrame, Expr, SessionContext, col, lit};
use torhunt_intel::udf::udfs;
use torhunt_intel::{Format, ImportOptions, Store};

use crate::{test_data, utc};

/// The session with an `events` table, and the two functions (tor_relay_at, tor_relay_info).
fn context() -> (SessionContext, ScalarUDF, ScalarUDF) {
    let mut store = Store::default();
    store
        .import_file(
            &test_data("microdesc-consensus.synthetic.txt"),
            Format::Auto,
            None,
            ImportOptions::default(),
        )
        .unwrap();
    let ctx = SessionContext::new();
    let functions = udfs(Arc::new(store));
    for (signature, udf) in &functions {
        assert_eq!(
            signature.name,
            udf.name(),
            "a signature declared for another function"
        );
    }
    let [relay_at, relay_info]: [ScalarUDF; 2] = functions
        .into_iter()
        .map(|(_, udf)| udf)
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();
    let nanos = |t: &str| Some(utc(t).timestamp_nanos_opt().unwrap());
    let batch = RecordBatch::try_new(
        Arc::new(Schema::new(vec![
            Field::new("ip", DataType::Utf8, true),
            Field::new("t", DataType::Timestamp(TimeUnit::Nanosecond, None), true),
        ])),
        vec![
            Arc::new(StringArray::from(vec![
                Some("192.0.2.10"),
                Some("192.0.2.10"),
                Some("2001:db8::10"),
                Some("198.51.100.20"),
                None,
                Some("not an address"),
                Some("192.0.2.10"),
            ])),
            Arc::new(TimestampNanosecondArray::from(vec![
                nanos("2024-05-01 12:30:00"),
                nanos("2024-05-01 13:00:00"),
                nanos("2024-05-01 12:00:00"),
                nanos("2024-05-01 12:59:59"),
                nanos("2024-05-01 12:30:00"),
                nanos("2024-05-01 12:30:00"),
                None,
            ])),
        ],
    )
    .unwrap();
    ctx.register_batch("events", batch).unwrap();
    (ctx, relay_at, relay_info)
}

async fn select(ctx: &SessionContext, exprs: Vec<Expr>) -> datafusion::common::Result<Vec<RecordBatch>> {
    let events: DataFrame = ctx.table("events").await?;
    events.limit(0, Some(7))?.select(exprs)?.collect().await
}

fn timestamp(text: &str) -> Expr {
    lit(ScalarValue::TimestampNanosecond(
        utc(text).timestamp_nanos_opt(),
        None,
    ))
}

#[tokio::test]
async fn relay_at_and_relay_info_answer_per_row() {
    let (ctx, relay_at, relay_info) = context();
    let args = || vec![col("ip"), col("t")];
    let batches = select(&ctx, vec![relay_at.call(args()), relay_info.call(args())])
        .await
        .unwrap();
    let batch = &batches[0];
    let relay: Vec<Option<bool>> = batch.column(0).as_boolean().iter().collect();
    assert_eq!(
        relay,
        [
            Some(true),
            Some(false),
            Some(true),
            Some(true),
            Some(false),
            Some(false),
            Some(false)
        ]
    );

    let info = batch.column(1).as_string::<i32>();
    assert_eq!(info.null_count(), 4);
    let bag: serde_json::Value = serde_json::from_str(info.value(0)).unwrap();
    assert_eq!(bag["fingerprint"], "1111111111111111111111111111111111111111");
    assert_eq!(bag["nickname"], "SynthExit");
    assert_eq!(bag["role"], "exit");
    assert_eq!(bag["flags"][0], "Exit");
    assert_eq!(bag["first_seen"], "2024-05-01T12:00:00.0000000Z");
    let guard: serde_json::Value = serde_json::from_str(info.value(3)).unwrap();
    assert_eq!(guard["role"], "guard");

    let schema = batch.schema();
    assert_eq!(
        kql_types::KustoType::of_field(schema.field(1)),
        Some(kql_types::KustoType::Dynamic)
    );
}

#[tokio::test]
async fn literals_and_wrong_types() {
    let (ctx, relay_at, _) = context();
    let exprs = vec![
        relay_at.call(vec![lit("192.0.2.10"), timestamp("2024-05-01 12:10:00")]),
        relay_at.call(vec![lit(ScalarValue::Null), lit(ScalarValue::Null)]),
    ];
    let batches = select(&ctx, exprs).await.unwrap();
    assert!(batches[0].column(0).as_boolean().value(0));
    assert!(!batches[0].column(1).as_boolean().value(0));

    let err = select(&ctx, vec![relay_at.call(vec![lit(1i64), lit(2i64)])])
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("ip must be a string"), "{err}");
}
