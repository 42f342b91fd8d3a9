//! String-side functions (operators, string, conversion, dynamic, ip) evaluated by DataFusion over a
//! small in-memory table, with DataFusion's own argument coercion in the loop.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, Int32Array, RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::datasource::MemTable;
use datafusion::execution::FunctionRegistry;
use datafusion::prelude::{DataFrame, Expr, SessionContext, ident, lit};

/// Device network events as the MDE fixtures hold them (a null URL included: Kusto reads it as "").
async fn events() -> (SessionContext, DataFrame) {
    let schema = Arc::new(Schema::new(vec![
        Field::new("RemoteUrl", DataType::Utf8, true),
        Field::new("RemoteIP", DataType::Utf8, true),
        Field::new("RemotePort", DataType::Int32, true),
        Field::new("AdditionalFields", DataType::Utf8, true),
    ]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            Arc::new(StringArray::from(vec![
                Some("https://check.torproject.org/api/ip"),
                Some("http://www.example.com/torrent/file"),
                None,
            ])),
            Arc::new(StringArray::from(vec!["10.1.2.3", "185.220.101.4", "not-an-ip"])),
            Arc::new(Int32Array::from(vec![Some(443), Some(9001), None])),
            Arc::new(StringArray::from(vec![
                Some(r#"{"direction":"Out","ports":[9001,9030]}"#),
                Some(r#"{"direction":"In"}"#),
                None,
            ])),
        ],
    )
    .unwrap();
    let ctx = SessionContext::new();
    kql_functions::register_all(&ctx);
    ctx.register_table(
        "events",
        Arc::new(MemTable::try_new(schema, vec![vec![batch]]).unwrap()),
    )
    .unwrap();
    let frame = ctx.table("events").await.unwrap();
    (ctx, frame)
}

fn call(ctx: &SessionContext, name: &str, args: Vec<Expr>) -> Expr {
    ctx.udf(name)
        .unwrap_or_else(|e| panic!("{name} is not registered: {e}"))
        .call(args)
}

async fn column(frame: DataFrame, expr: Expr) -> Arc<dyn Array> {
    let batches = frame
        .select(vec![expr.alias("out")])
        .unwrap()
        .collect()
        .await
        .unwrap();
    let arrays: Vec<_> = batches.iter().map(|b| b.column(0).clone()).collect();
    let refs: Vec<&dyn Array> = arrays.iter().map(|a| a.as_ref()).collect();
    datafusion::arrow::compute::concat(&refs).unwrap()
}

fn strings(array: &dyn Array) -> Vec<Option<String>> {
    array
        .as_string::<i32>()
        .iter()
        .map(|v| v.map(str::to_string))
        .collect()
}

#[tokio::test]
async fn tor_hunting_operators_filter_rows() {
    let (ctx, frame) = events().await;
    let has_tor = call(
        &ctx,
        "kql_has_any",
        vec![ident("RemoteUrl"), lit("torproject"), lit("TORRENT")],
    );
    let result = column(frame, has_tor).await;
    assert_eq!(
        result.as_boolean().iter().collect::<Vec<_>>(),
        [Some(true), Some(true), Some(false)]
    );
}

#[tokio::test]
async fn conversions_accept_any_input_type_through_coercion() {
    let (ctx, frame) = events().await;
    // RemotePort is an Int32 column: tostring prints it, a null prints as "".
    let text = column(
        frame.clone(),
        call(&ctx, "kql_tostring", vec![ident("RemotePort")]),
    )
    .await;
    assert_eq!(
        strings(&text),
        [Some("443".into()), Some("9001".into()), Some(String::new())]
    );
    // strcat with a column and literals; substring's Int32 literal start is coerced to long.
    let joined = call(&ctx, "kql_strcat", vec![lit("ip="), ident("RemoteIP")]);
    let prefix = call(&ctx, "kql_substring", vec![joined, lit(0i32), lit(5i32)]);
    let result = column(frame, prefix).await;
    assert_eq!(strings(&result)[0].as_deref(), Some("ip=10"));
}

#[tokio::test]
async fn dynamic_members_and_ip_checks() {
    let (ctx, frame) = events().await;
    let direction = call(
        &ctx,
        "kql_dynamic_get",
        vec![ident("AdditionalFields"), lit("direction")],
    );
    let direction = call(&ctx, "kql_tostring_dynamic", vec![direction]);
    let result = column(frame.clone(), direction).await;
    assert_eq!(
        strings(&result),
        [Some("Out".into()), Some("In".into()), Some(String::new())]
    );

    let ports = call(
        &ctx,
        "kql_dynamic_get",
        vec![ident("AdditionalFields"), lit("ports")],
    );
    let count = column(frame.clone(), call(&ctx, "kql_array_length", vec![ports])).await;
    let count = count.as_primitive::<datafusion::arrow::datatypes::Int64Type>();
    assert_eq!(count.iter().collect::<Vec<_>>(), [Some(2), None, None]);

    let private = column(frame, call(&ctx, "kql_ipv4_is_private", vec![ident("RemoteIP")])).await;
    assert_eq!(
        private.as_boolean().iter().collect::<Vec<_>>(),
        [Some(true), Some(false), None]
    );
}

#[tokio::test]
async fn pack_array_builds_dynamic_from_typed_values() {
    let (ctx, frame) = events().await;
    let packed = call(
        &ctx,
        "kql_pack_array",
        vec![
            call(&ctx, "kql_to_dynamic", vec![ident("RemoteIP")]),
            call(&ctx, "kql_to_dynamic", vec![ident("RemotePort")]),
        ],
    );
    let result = column(frame, packed).await;
    assert_eq!(strings(&result)[0].as_deref(), Some(r#"["10.1.2.3",443]"#));
    assert_eq!(strings(&result)[2].as_deref(), Some(r#"["not-an-ip",null]"#));
}
