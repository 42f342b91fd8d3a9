//! The table catalog seen through discovery: catalog tables without files are empty tables, files
//! that are not telemetry are set aside, and Sentinel tables are routed by their names.

use std::path::{Path, PathBuf};

use kql_types::KustoType;
use kusto_oracle::{Case, Mode, Oracle};
use torhunt_sources::{DataSet, NOT_TELEMETRY, ReadOptions, SourceError, builtin_schema};

use crate::table;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("has a parent")).expect("folder");
    std::fs::write(&path, text).expect("file written");
    path
}

fn discover(paths: &[PathBuf]) -> Result<DataSet, SourceError> {
    DataSet::discover(paths, &[], ReadOptions::default())
}

const NETWORK_ROW: &str = r#"{"Timestamp":"2024-05-01T10:00:00Z","DeviceId":"d1","ActionType":"ConnectionSuccess","RemoteIP":"192.0.2.1"}"#;

#[tokio::test]
async fn catalog_tables_without_files_are_empty_tables() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "DeviceNetworkEvents.json",
        &format!("{NETWORK_ROW}\n"),
    );
    let data = discover(&[dir.path().to_path_buf()]).expect("discovery");
    let without: Vec<&str> = data.tables_without_telemetry().collect();
    assert!(without.contains(&"DeviceRegistryEvents"), "{without:?}");
    assert!(without.contains(&"SigninLogs"));
    assert!(!without.contains(&"DeviceNetworkEvents"));
    assert_eq!(data.seen_tables().collect::<Vec<_>>(), ["DeviceNetworkEvents"]);
    // The empty table has its catalog schema and no rows.
    let registry = table(&data, "DeviceRegistryEvents").await;
    let expected = builtin_schema("DeviceRegistryEvents").expect("catalog table");
    assert_eq!(registry.schema().fields().len(), expected.columns().len());
    assert_eq!(registry.count().await.expect("count runs"), 0);
    assert_eq!(
        table(&data, "DeviceNetworkEvents")
            .await
            .count()
            .await
            .expect("count runs"),
        1
    );
}

#[tokio::test]
async fn files_that_are_not_telemetry_are_skipped_in_folders_and_refused_by_name() {
    // What `torhunt gen` writes beside the telemetry: a relay list and a pretty-printed manifest.
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "telemetry/DeviceNetworkEvents.json",
        &format!("{NETWORK_ROW}\n"),
    );
    let relays = write(
        dir.path(),
        "intel/TorRelayIPs.csv",
        "\"Nickname\",\"Fingerprint\",\"IPAddress\",\"Port\"\r\n\"r1\",\"AB\",\"198.51.100.11\",\"9001\"\r\n",
    );
    let manifest = write(
        dir.path(),
        "manifest.json",
        "{\n  \"seed\": 7,\n  \"rows\": {}\n}\n",
    );
    let data = discover(&[dir.path().to_path_buf()]).expect("discovery");
    assert_eq!(data.not_telemetry(), [relays.clone(), manifest.clone()]);
    assert_eq!(data.seen_tables().collect::<Vec<_>>(), ["DeviceNetworkEvents"]);
    assert!(data.tables().all(|(name, _)| {
        data.table(name)
            .expect("listed")
            .files()
            .iter()
            .all(|f| f.path != relays && f.path != manifest)
    }));
    // Named on its own, the relay list is an error saying why.
    match discover(std::slice::from_ref(&relays)) {
        Err(SourceError::UnknownTable { path, reason }) => {
            assert_eq!(path, relays);
            assert_eq!(reason, NOT_TELEMETRY);
        }
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn telemetry_that_cannot_be_routed_stays_an_error() {
    // A time column and an ActionType no table documents: telemetry, but of no known table.
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "export.csv",
        "Timestamp,ActionType,DeviceName\r\n2024-05-01T10:00:00Z,SomethingNew,host1\r\n",
    );
    match discover(&[dir.path().to_path_buf()]) {
        Err(SourceError::UnknownTable { reason, .. }) => {
            assert!(reason.contains("SomethingNew"), "{reason}");
        }
        other => panic!("expected an error, got {other:?}"),
    }
}

#[tokio::test]
async fn sentinel_tables_are_routed_by_name_with_their_documented_types() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "SigninLogs.json",
        r#"{"TimeGenerated":"2024-05-01T10:00:00Z","UserPrincipalName":"a@contoso.example","IPAddress":"203.0.113.5","LocationDetails":{"countryOrRegion":"NL"},"IsInteractive":true}
"#,
    );
    write(
        dir.path(),
        "insights-logs-advancedhunting-emailevents/y=2024/m=05/d=01/h=10/m=00/PT1H.json",
        r#"{"time":"2024-05-01T10:00:00Z","category":"AdvancedHunting-EmailEvents","properties":{"Timestamp":"2024-05-01T10:00:00Z","Subject":"hello","AttachmentCount":2}}
"#,
    );
    let data = discover(&[dir.path().to_path_buf()]).expect("discovery");
    assert_eq!(
        data.seen_tables().collect::<Vec<_>>(),
        ["EmailEvents", "SigninLogs"]
    );
    let signin = data.kusto_schema("SigninLogs").expect("table");
    let type_of = |name: &str| signin.iter().find(|(c, _)| c == name).map(|(_, t)| *t);
    assert_eq!(type_of("LocationDetails"), Some(KustoType::Dynamic));
    assert_eq!(type_of("IsInteractive"), Some(KustoType::Bool));
    // Sentinel tables keep their documented columns: no Defender `Timestamp` is added.
    assert_eq!(type_of("Timestamp"), None);
    assert_eq!(table(&data, "SigninLogs").await.count().await.expect("count"), 1);
    assert_eq!(table(&data, "EmailEvents").await.count().await.expect("count"), 1);
}

#[test]
fn every_catalog_table_is_read_alike_by_kusto_language() {
    // Kusto.Language loads the schema file written from the catalog, and for each table the result
    // schema it infers for `T` is the catalog's, column for column and type for type.
    let Some(oracle) = Oracle::for_test() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let schema_path = dir.path().join("schema.json");
    let schema = torhunt_sources::kusto_language_schema();
    std::fs::write(&schema_path, schema.to_string()).expect("schema written");
    let tables: Vec<&str> = torhunt_sources::known_tables().collect();
    let cases: Vec<Case> = tables
        .iter()
        .map(|t| Case {
            id: t.to_string(),
            kql: format!("{t} | take 1"),
        })
        .collect();
    let verdicts = oracle.check(Mode::Analyze(Some(&schema_path)), &cases);
    for table in &tables {
        let verdict = &verdicts[*table];
        assert!(verdict.ok, "{table}: {:?}", verdict.diagnostics);
        let inferred: Vec<(String, String)> = verdict
            .columns
            .iter()
            .flatten()
            .map(|c| (c.name.clone(), c.ty.clone()))
            .collect();
        let catalog: Vec<(String, String)> = builtin_schema(table)
            .expect("catalog table")
            .columns()
            .iter()
            .map(|(c, t)| (c.clone(), t.name().to_string()))
            .collect();
        assert_eq!(inferred, catalog, "{table}");
    }
}

#[tokio::test]
async fn records_are_routed_by_their_type_column() {
    // A Sentinel "Export to CSV" of a union keeps each row's table in `Type`; an NDJSON dump too.
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "query_data.csv",
        "TimeGenerated [UTC],Type,UserPrincipalName,OperationName\r\n\
         \"5/1/2024, 10:00:00.000 AM\",SigninLogs,a@contoso.example,Sign-in activity\r\n\
         \"5/1/2024, 10:05:00.000 AM\",AuditLogs,,Add member to role\r\n\
         \"5/1/2024, 10:06:00.000 AM\",SigninLogs,b@contoso.example,Sign-in activity\r\n",
    );
    write(
        dir.path(),
        "dump.ndjson",
        r#"{"TimeGenerated":"2024-05-01T11:00:00Z","Type":"SecurityEvent","EventID":4624}
"#,
    );
    let data = discover(&[dir.path().to_path_buf()]).expect("discovery");
    assert_eq!(
        data.seen_tables().collect::<Vec<_>>(),
        ["AuditLogs", "SecurityEvent", "SigninLogs"]
    );
    let count = |name: &'static str| {
        let data = &data;
        async move { table(data, name).await.count().await.expect("count runs") }
    };
    assert_eq!(count("SigninLogs").await, 2);
    assert_eq!(count("AuditLogs").await, 1);
    assert_eq!(count("SecurityEvent").await, 1);
    assert_eq!(data.report().skipped(), 0);
}

#[tokio::test]
async fn log_analytics_data_export_containers_name_their_tables() {
    // A workspace's data export rule writes `am-<table>/WorkspaceResourceId=.../PT05M.json`, one JSON
    // record per line with the table's columns (no `Type`, no envelope).
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = "am-securityevent/WorkspaceResourceId=/subscriptions/s/resourcegroups/rg/providers/\
                  microsoft.operationalinsights/workspaces/w/y=2024/m=05/d=01/h=10";
    write(
        dir.path(),
        &format!("{folder}/m=05/PT05M.json"),
        r#"{"TimeGenerated":"2024-05-01T10:04:00Z","Computer":"dc1","EventID":4625,"Account":"CONTOSO\\a"}
{"TimeGenerated":"2024-05-01T10:06:00Z","Computer":"dc1","EventID":4624,"Account":"CONTOSO\\a"}
"#,
    );
    write(
        dir.path(),
        &format!("{folder}/m=10/PT05M.json"),
        r#"{"TimeGenerated":"2024-05-01T10:11:00Z","Computer":"dc2","EventID":4624,"Account":"CONTOSO\\b"}
"#,
    );
    let data = discover(&[dir.path().to_path_buf()]).expect("discovery");
    assert_eq!(data.seen_tables().collect::<Vec<_>>(), ["SecurityEvent"]);
    let events = table(&data, "SecurityEvent").await;
    assert_eq!(events.clone().count().await.expect("count"), 3);
    let schema = data.kusto_schema("SecurityEvent").expect("table");
    let type_of = |name: &str| schema.iter().find(|(c, _)| c == name).map(|(_, t)| *t);
    assert_eq!(type_of("EventID"), Some(KustoType::Int));
    assert_eq!(data.report().skipped(), 0);
}
