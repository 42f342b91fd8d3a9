//! Aggregate functions in a grouped DataFusion aggregation over several partitions, the shape a
//! `summarize ... by bin(Timestamp, 1h)` plans into.

use std::sync::Arc;

use datafusion::arrow::array::{AsArray, RecordBatch, StringArray, TimestampNanosecondArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema, TimeUnit, TimestampNanosecondType};
use datafusion::common::ScalarValue;
use datafusion::datasource::MemTable;
use datafusion::execution::FunctionRegistry;
use datafusion::prelude::{SessionConfig, SessionContext, ident, lit};
use kql_types::time::{parse_datetime, parse_timespan};

fn partition(times: &[&str], ips: &[&str]) -> RecordBatch {
    let schema = Arc::new(Schema::new(vec![
        Field::new("Timestamp", DataType::Timestamp(TimeUnit::Nanosecond, None), true),
        Field::new("RemoteIP", DataType::Utf8, true),
    ]));
    let times: Vec<Option<i64>> = times.iter().map(|t| parse_datetime(t)).collect();
    RecordBatch::try_new(
        schema,
        vec![
            Arc::new(TimestampNanosecondArray::from(times)),
            Arc::new(StringArray::from(ips.to_vec())),
        ],
    )
    .expect("batch")
}

#[tokio::test]
async fn hourly_sets_of_remote_ips_and_last_seen_ip() {
    let partitions = vec![
        vec![partition(
            &["2022-11-19T10:05Z", "2022-11-19T11:40Z"],
            &["185.220.101.4", "10.0.0.1"],
        )],
        vec![partition(
            &["2022-11-19T10:30Z", "2022-11-19T10:59Z"],
            &["185.220.101.4", "10.0.0.2"],
        )],
        vec![partition(&["2022-11-19T11:01Z"], &["10.0.0.1"])],
    ];
    let schema = partitions[0][0].schema();
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(3));
    kql_functions::register_all(&ctx);
    ctx.register_table(
        "events",
        Arc::new(MemTable::try_new(schema, partitions).expect("table")),
    )
    .expect("register");
    let udf = |name: &str| ctx.udf(name).expect("registered");
    let udaf = |name: &str| ctx.udaf(name).expect("registered");
    let hour = udf("kql_bin").call(vec![
        ident("Timestamp"),
        lit(ScalarValue::DurationNanosecond(parse_timespan("1h"))),
    ]);
    let frame = ctx
        .table("events")
        .await
        .expect("table")
        .aggregate(
            vec![hour.alias("Hour")],
            vec![
                udaf("kql_make_set").call(vec![ident("RemoteIP")]).alias("IPs"),
                udaf("kql_arg_max")
                    .call(vec![ident("Timestamp"), ident("RemoteIP")])
                    .alias("LastIP"),
            ],
        )
        .expect("plan")
        .sort(vec![ident("Hour").sort(true, true)])
        .expect("sort");
    let batches = frame.collect().await.expect("run");
    let batch = datafusion::arrow::compute::concat_batches(&batches[0].schema(), &batches).expect("concat");
    assert_eq!(batch.num_rows(), 2);
    let hours = batch.column(0).as_primitive::<TimestampNanosecondType>();
    assert_eq!(hours.value(0), parse_datetime("2022-11-19T10:00Z").unwrap());
    let mut first_hour: Vec<String> =
        serde_json::from_str(batch.column(1).as_string::<i32>().value(0)).unwrap();
    first_hour.sort();
    assert_eq!(first_hour, ["10.0.0.2", "185.220.101.4"]);
    let last = batch.column(2).as_string::<i32>();
    assert_eq!((last.value(0), last.value(1)), ("10.0.0.2", "10.0.0.1"));
}
