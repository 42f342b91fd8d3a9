//! Datetime and math functions evaluated by DataFusion over a table, looked up by their registered
//! names, with DataFusion's argument coercion in the loop (int columns, millisecond timestamps).

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, Int32Array, RecordBatch, TimestampMillisecondArray};
use datafusion::arrow::datatypes::{DataType, Field, Int64Type, Schema, TimeUnit, TimestampNanosecondType};
use datafusion::common::ScalarValue;
use datafusion::datasource::MemTable;
use datafusion::execution::FunctionRegistry;
use datafusion::prelude::{Expr, SessionContext, ident, lit};
use kql_types::time::{parse_datetime, parse_timespan};

/// Connection times in milliseconds (as some exports store them) and int ports.
async fn run(select: impl Fn(&SessionContext) -> Vec<Expr>) -> RecordBatch {
    let schema = Arc::new(Schema::new(vec![
        Field::new(
            "Timestamp",
            DataType::Timestamp(TimeUnit::Millisecond, None),
            true,
        ),
        Field::new("RemotePort", DataType::Int32, true),
    ]));
    let millis = |text: &str| parse_datetime(text).map(|nanos| nanos / 1_000_000);
    let batch = RecordBatch::try_new(
        Arc::clone(&schema),
        vec![
            Arc::new(TimestampMillisecondArray::from(vec![
                millis("2022-11-19T10:17:31.5Z"),
                None,
            ])),
            Arc::new(Int32Array::from(vec![Some(9001), Some(-256)])),
        ],
    )
    .expect("batch");
    let ctx = SessionContext::new();
    kql_functions::register_all(&ctx);
    ctx.register_table(
        "events",
        Arc::new(MemTable::try_new(schema, vec![vec![batch]]).expect("table")),
    )
    .expect("register");
    let frame = ctx
        .table("events")
        .await
        .expect("table")
        .select(select(&ctx))
        .expect("plan");
    let batches = frame.collect().await.expect("run");
    batches.into_iter().next().expect("one batch")
}

fn call(ctx: &SessionContext, name: &str, args: Vec<Expr>) -> Expr {
    ctx.udf(name)
        .unwrap_or_else(|_| panic!("{name} is registered"))
        .call(args)
}

fn timespan(text: &str) -> Expr {
    lit(ScalarValue::DurationNanosecond(parse_timespan(text)))
}

#[tokio::test]
async fn hourly_bins_and_day_boundaries_of_a_millisecond_column() {
    let batch = run(|ctx| {
        vec![
            call(ctx, "kql_bin", vec![ident("Timestamp"), timespan("1h")]),
            call(ctx, "kql_startofweek", vec![ident("Timestamp")]),
            call(ctx, "kql_endofday", vec![ident("Timestamp"), lit(-1i32)]),
            call(
                ctx,
                "kql_format_datetime",
                vec![ident("Timestamp"), lit("yyyy-MM-dd HH:mm:ss.fff")],
            ),
        ]
    })
    .await;
    let datetimes = |column: usize| {
        batch
            .column(column)
            .as_primitive::<TimestampNanosecondType>()
            .clone()
    };
    assert_eq!(
        datetimes(0).value(0),
        parse_datetime("2022-11-19T10:00:00Z").unwrap()
    );
    assert!(datetimes(0).is_null(1));
    // 2022-11-19 was a Saturday.
    assert_eq!(datetimes(1).value(0), parse_datetime("2022-11-13").unwrap());
    assert_eq!(
        datetimes(2).value(0),
        parse_datetime("2022-11-18T23:59:59.9999999Z").unwrap()
    );
    assert_eq!(
        batch.column(3).as_string::<i32>().value(0),
        "2022-11-19 10:17:31.500"
    );
}

#[tokio::test]
async fn math_on_int_columns_is_coerced_like_kusto() {
    let batch = run(|ctx| {
        vec![
            call(ctx, "kql_tohex", vec![ident("RemotePort")]),
            call(ctx, "kql_bin", vec![ident("RemotePort"), lit(1000i32)]),
            call(ctx, "kql_max_of", vec![ident("RemotePort"), lit(0i64)]),
            call(ctx, "kql_pow", vec![ident("RemotePort"), lit(2i32)]),
        ]
    })
    .await;
    // tohex keeps the int width: -256 is 32-bit two's complement.
    assert_eq!(batch.column(0).as_string::<i32>().value(1), "ffffff00");
    let longs = batch.column(1).as_primitive::<Int64Type>();
    assert_eq!((longs.value(0), longs.value(1)), (9000, -1000));
    let maxima = batch.column(2).as_primitive::<Int64Type>();
    assert_eq!((maxima.value(0), maxima.value(1)), (9001, 0));
    assert_eq!(batch.column(3).data_type(), &DataType::Float64);
}
