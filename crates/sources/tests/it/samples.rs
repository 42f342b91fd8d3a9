//! The real samples in ../shared/fixtures/mde.

use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::common::cast::{as_int64_array, as_string_array, as_timestamp_nanosecond_array};
use datafusion::prelude::{ident, lit};
use kql_types::KustoType;
use torhunt_sources::UNROUTED;

use crate::{batch, count, discover, elastic_sample, fixtures, nanos, table};

/// Counts of `"category":"AdvancedHunting-<Table>"` found by plain string search.
fn categories_by_string_search(text: &str) -> std::collections::BTreeMap<String, usize> {
    let marker = "\"category\":\"AdvancedHunting-";
    let mut counts = std::collections::BTreeMap::new();
    for line in text.lines() {
        let start = line.find(marker).expect("every record has a category") + marker.len();
        let table = &line[start..start + line[start..].find('"').expect("closing quote")];
        *counts.entry(table.to_string()).or_insert(0) += 1;
    }
    counts
}

#[tokio::test]
async fn elastic_streaming_records_are_routed_by_category() {
    let Some(sample) = elastic_sample() else { return };
    let text = std::fs::read_to_string(&sample).expect("sample reads");
    let expected = categories_by_string_search(&text);
    assert_eq!(text.lines().count(), 31);
    assert_eq!(expected.len(), 10);
    assert_eq!(expected["DeviceNetworkEvents"], 17);
    assert_eq!(expected["DeviceInfo"], 2);

    let data = discover(&[&sample]);
    let tables: Vec<&str> = data.seen_tables().collect();
    assert_eq!(tables, expected.keys().map(String::as_str).collect::<Vec<_>>());
    // Every other catalog table is there too, fed by the same file in case its records come later.
    assert!(data.table("SigninLogs").is_some_and(|t| t.files().len() == 1));
    for (name, rows) in &expected {
        assert_eq!(
            table(&data, name).await.count().await.expect("count runs"),
            *rows,
            "{name}"
        );
    }
    assert_eq!(data.report().skipped(), 0);
    assert_eq!(data.report().rows("DeviceNetworkEvents"), 17);
    assert!(
        data.summary()
            .iter()
            .all(|s| s.formats == vec!["mde-storage-json"] && s.files == 1)
    );
}

#[tokio::test]
async fn elastic_values_are_exact_and_typed() {
    let Some(sample) = elastic_sample() else { return };
    let data = discover(&[&sample]);
    let schema = data.kusto_schema("DeviceNetworkEvents").expect("table found");
    let type_of = |c: &str| schema.iter().find(|(n, _)| n == c).map(|(_, t)| *t);
    assert_eq!(type_of("ReportId"), Some(KustoType::Long));
    assert_eq!(type_of("RemotePort"), Some(KustoType::Int));
    assert_eq!(type_of("AdditionalFields"), Some(KustoType::Dynamic));

    let network = || table(&data, "DeviceNetworkEvents");
    let columns = ["ReportId", "Timestamp", "TimeGenerated", "AdditionalFields"];
    // ReportId 18984951960 does not fit 32 bits; its Timestamp has 7 fraction digits.
    let big = batch(
        network()
            .await
            .filter(ident("ReportId").eq(lit(18_984_951_960_i64)))
            .unwrap()
            .select_columns(&columns)
            .unwrap(),
    )
    .await;
    assert_eq!(big.num_rows(), 2);
    assert_eq!(
        big.schema().field(1).data_type(),
        &DataType::Timestamp(TimeUnit::Nanosecond, None)
    );
    assert_eq!(as_int64_array(big.column(0)).unwrap().value(0), 18_984_951_960);
    assert_eq!(
        as_timestamp_nanosecond_array(big.column(1)).unwrap().value(0),
        nanos("2023-07-19T14:09:43.8734771Z")
    );
    assert_eq!(
        as_timestamp_nanosecond_array(big.column(2)).unwrap().value(0),
        nanos("2023-07-19T18:03:34.994895Z")
    );

    // AdditionalFields given as JSON text and as a JSON object both become compact dynamic JSON.
    let row = |report_id: i64| async move {
        batch(
            network()
                .await
                .filter(ident("ReportId").eq(lit(report_id)))
                .unwrap()
                .select_columns(&columns)
                .unwrap(),
        )
        .await
    };
    let signature = row(2321).await;
    assert_eq!(
        as_string_array(signature.column(3)).unwrap().value(0),
        r#"{"SignatureName":"HTTP_Server"}"#
    );
    // 2022-11-09T17:43:28.18835Z has 5 fraction digits.
    assert_eq!(
        as_timestamp_nanosecond_array(signature.column(1))
            .unwrap()
            .value(0),
        nanos("2022-11-09T17:43:28.18835Z")
    );
    let scan = row(9841651).await;
    assert_eq!(
        as_string_array(scan.column(3)).unwrap().value(0),
        r#"{"PublicScannedPort":5432,"PublicScannedIp":"175.16.199.0"}"#
    );

    // Missing strings read as "", missing ints as null; Type and TenantId come from the table and envelope.
    assert_eq!(
        count(&data, "DeviceNetworkEvents", ident("RemoteUrl").is_null()).await,
        0
    );
    assert_eq!(
        count(&data, "DeviceNetworkEvents", ident("RemotePort").is_null()).await,
        1
    );
    let from_envelope = ident("Type")
        .eq(lit("DeviceNetworkEvents"))
        .and(ident("TenantId").eq(lit("12345af3-bc0e-4f36-b08e-27759e912345")));
    assert_eq!(count(&data, "DeviceNetworkEvents", from_envelope).await, 17);
    let users = batch(
        table(&data, "DeviceInfo")
            .await
            .select_columns(&["LoggedOnUsers"])
            .unwrap(),
    )
    .await;
    assert_eq!(
        as_string_array(users.column(0)).unwrap().value(0),
        r#"[{"UserName":"administrator1"},{"UserName":"administrator2"}]"#
    );
}

/// The network ActionTypes of DeviceNetworkEvents, from Microsoft's in-portal schema reference.
const NETWORK_ACTION_TYPES: &[&str] = &[
    "ConnectionFailed",
    "ConnectionFound",
    "ConnectionRequest",
    "ConnectionSuccess",
    "DnsConnectionInspected",
    "FtpConnectionInspected",
    "HttpConnectionInspected",
    "IcmpConnectionInspected",
    "InboundConnectionAccepted",
    "InboundInternetScanInspected",
    "ListeningConnectionCreated",
    "NetworkSignatureInspected",
    "NtlmAuthenticationInspected",
    "SmtpConnectionInspected",
    "SshConnectionInspected",
    "SslConnectionInspected",
];

#[tokio::test]
async fn portal_union_export_is_split_by_action_type() {
    let Some(dir) = fixtures() else { return };
    let path = dir.join("plaso-advanced-hunting-export.csv");
    let mut reader = csv::Reader::from_path(&path).expect("sample opens");
    let headers = reader.headers().expect("header").clone();
    let action_index = headers
        .iter()
        .position(|h| h == "ActionType")
        .expect("ActionType column");
    let actions: Vec<String> = reader
        .records()
        .map(|r| r.expect("valid CSV")[action_index].to_string())
        .collect();
    assert_eq!(actions.len(), 129);
    assert_eq!(headers.len(), 96);
    let network_rows = actions
        .iter()
        .filter(|a| NETWORK_ACTION_TYPES.contains(&a.as_str()))
        .count();
    assert_eq!(network_rows, 32);

    let data = discover(&[&path]);
    assert_eq!(
        table(&data, "DeviceNetworkEvents").await.count().await.unwrap(),
        network_rows
    );
    let mut total = 0;
    for (name, _) in data.tables() {
        total += table(&data, name).await.count().await.unwrap();
    }
    assert_eq!(total, 129, "every row lands in exactly one table");
    assert!(data.report().table(UNROUTED).is_empty());
    assert_eq!(data.report().skipped(), 0);

    // The union's `ReportId_long` feeds ReportId; the datetime keeps 7 digits; AdditionalFields (RFC 4180
    // quoted JSON) is stored compact; TimeGenerated mirrors Timestamp; an empty SHA1 reads as "".
    let detection = ident("ActionType")
        .eq(lit("AntivirusDetection"))
        .and(ident("FileName").eq(lit("496858935.ico")));
    let columns = [
        "ReportId",
        "Timestamp",
        "TimeGenerated",
        "AdditionalFields",
        "SHA1",
    ];
    let row = batch(
        table(&data, "DeviceEvents")
            .await
            .filter(detection)
            .unwrap()
            .select_columns(&columns)
            .unwrap(),
    )
    .await;
    assert_eq!(row.num_rows(), 1);
    assert_eq!(as_int64_array(row.column(0)).unwrap().value(0), 34868);
    let expected_time = nanos("2023-12-21T19:04:59.0109752Z");
    assert_eq!(
        as_timestamp_nanosecond_array(row.column(1)).unwrap().value(0),
        expected_time
    );
    assert_eq!(
        as_timestamp_nanosecond_array(row.column(2)).unwrap().value(0),
        expected_time
    );
    let additional = as_string_array(row.column(3)).unwrap().value(0);
    assert!(
        additional
            .starts_with(r#"{"InitiatingProcess":{"TokenElevationType":"1","IntegrityLevel":"16384"},"#)
    );
    assert!(!additional.contains(": "), "compact JSON: {additional}");
    assert_eq!(as_string_array(row.column(4)).unwrap().value(0), "");
}
