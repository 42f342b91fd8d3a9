//! Other products' telemetry mapped onto Advanced Hunting tables, on the real samples in
//! ../shared/fixtures/{zeek-tsv,zeek-json,suricata-eve}. Expected counts and values are computed here
//! from the files with plain text handling, not through the readers.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use datafusion::common::cast::{as_int32_array, as_string_array, as_timestamp_nanosecond_array};
use datafusion::prelude::{ident, lit};
use serde_json::Value;
use sha1::{Digest, Sha1};
use torhunt_sources::{DataSet, ReadOptions, SourceError};

use crate::{batch, count, discover, fixture_dir, nanos, table, text};

const NETWORK: &str = "DeviceNetworkEvents";

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("fixture folder reads")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

/// A Zeek TSV log read by splitting lines: its `#path` and its records as field name → text.
fn zeek_tsv(path: &Path) -> (String, Vec<BTreeMap<String, String>>) {
    let text = std::fs::read_to_string(path).expect("log reads");
    let mut log = String::new();
    let mut fields: Vec<String> = Vec::new();
    let mut records = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("#path\t") {
            log = rest.to_string();
        } else if let Some(rest) = line.strip_prefix("#fields\t") {
            fields = rest.split('\t').map(str::to_string).collect();
        } else if !line.starts_with('#') && !line.is_empty() {
            records.push(
                fields
                    .iter()
                    .cloned()
                    .zip(line.split('\t').map(str::to_string))
                    .collect(),
            );
        }
    }
    (log, records)
}

/// Every line of a JSON-lines file, parsed.
fn json_lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Nanoseconds since the epoch of Zeek's decimal seconds, by integer arithmetic.
fn zeek_nanos(ts: &str) -> i64 {
    let (seconds, fraction) = ts.split_once('.').unwrap_or((ts, ""));
    let fraction = format!("{fraction:0<9}");
    seconds.parse::<i64>().unwrap() * 1_000_000_000 + fraction[..9].parse::<i64>().unwrap()
}

fn sha1_hex(text: &str) -> String {
    Sha1::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn zeek_tsv_logs_map_every_record() {
    let Some(dir) = fixture_dir("zeek-tsv") else {
        return;
    };
    let files = files_in(&dir);
    let data = discover(&files.iter().map(PathBuf::as_path).collect::<Vec<_>>());
    let (mut records, mut hosts, mut by_action) = (0, 0, BTreeMap::<&str, usize>::new());
    for file in &files {
        let (log, rows) = zeek_tsv(file);
        records += rows.len();
        hosts += rows
            .iter()
            .map(|r| &r["id.orig_h"])
            .collect::<BTreeSet<_>>()
            .len();
        for row in &rows {
            let action = match log.as_str() {
                "dns" => "DnsConnectionInspected",
                "ssl" => "SslConnectionInspected",
                "conn" if row["proto"] == "icmp" => "IcmpConnectionInspected",
                "conn" if row["conn_state"] == "REJ" => "ConnectionFailed",
                "conn" => continue,
                other => panic!("unexpected log {other}"),
            };
            *by_action.entry(action).or_default() += 1;
        }
    }
    assert_eq!(records, 360 + 54 + 37 + 733 + 1000 + 1000, "the README's counts");
    assert_eq!(table(&data, NETWORK).await.count().await.unwrap(), records);
    // One DeviceInfo row per host and file, at its first event there.
    assert_eq!(table(&data, "DeviceInfo").await.count().await.unwrap(), hosts);
    for (action, expected) in by_action {
        assert_eq!(
            count(&data, NETWORK, ident("ActionType").eq(lit(action))).await,
            expected,
            "{action}"
        );
    }
    assert_eq!(data.report().skipped(), 0);
    assert!(
        data.summary()
            .iter()
            .any(|s| s.table == NETWORK && s.formats == vec!["zeek-tsv"])
    );
}

#[tokio::test]
async fn zeek_tsv_values_are_the_files() {
    let Some(dir) = fixture_dir("zeek-tsv") else {
        return;
    };
    let tor = dir.join("zat_tor_ssl.log");
    let (_, records) = zeek_tsv(&tor);
    let record = records
        .iter()
        .find(|r| r["server_name"] != "-" && r["id.orig_h"] == "10.0.0.126")
        .expect("a Tor TLS record with a server name");
    let data = discover(&[&tor]);
    let columns = [
        "Timestamp",
        "DeviceId",
        "DeviceName",
        "LocalIP",
        "LocalPort",
        "RemoteIP",
        "RemotePort",
        "RemoteUrl",
        "Protocol",
        "ActionType",
        "AdditionalFields",
    ];
    let row = batch(
        table(&data, NETWORK)
            .await
            .filter(ident("RemoteIP").eq(lit(record["id.resp_h"].as_str())))
            .unwrap()
            .filter(ident("LocalPort").eq(lit(record["id.orig_p"].parse::<i32>().unwrap())))
            .unwrap()
            .select_columns(&columns)
            .unwrap(),
    )
    .await;
    assert_eq!(row.num_rows(), 1);
    let string = |i: usize| as_string_array(row.column(i)).unwrap().value(0).to_string();
    assert_eq!(
        as_timestamp_nanosecond_array(row.column(0)).unwrap().value(0),
        zeek_nanos(&record["ts"])
    );
    assert_eq!(string(1), sha1_hex("10.0.0.126"));
    assert_eq!(string(2), "10.0.0.126");
    assert_eq!(string(3), record["id.orig_h"]);
    assert_eq!(
        as_int32_array(row.column(6)).unwrap().value(0).to_string(),
        record["id.resp_p"]
    );
    assert_eq!(string(7), record["server_name"]);
    assert_eq!(string(8), "Tcp");
    assert_eq!(string(9), "SslConnectionInspected");
    let additional: Value = serde_json::from_str(&string(10)).unwrap();
    assert_eq!(additional["uid"], record["uid"].as_str());
    assert_eq!(additional["subject"], record["subject"].as_str());
    assert_eq!(
        additional["established"], "true",
        "Zeek's T, as Defender writes booleans"
    );
}

#[tokio::test]
async fn zeek_json_reads_in_both_key_styles_and_agrees_with_tsv() {
    let Some(dir) = fixture_dir("zeek-json") else {
        return;
    };
    let Some(tsv_dir) = fixture_dir("zeek-tsv") else {
        return;
    };
    let files = files_in(&dir);
    let lines: usize = files
        .iter()
        .map(|f| {
            std::fs::read_to_string(f)
                .unwrap()
                .lines()
                .filter(|l| !l.is_empty())
                .count()
        })
        .sum();
    let data = discover(&files.iter().map(PathBuf::as_path).collect::<Vec<_>>());
    assert_eq!(table(&data, NETWORK).await.count().await.unwrap(), lines);
    assert_eq!(data.report().skipped(), 0);
    assert!(
        data.summary()
            .iter()
            .any(|s| s.table == NETWORK && s.formats == vec!["zeek-json"])
    );

    // The same logs with `id_orig_h` keys (Zeek's JSON writers that replace dots) read the same.
    let underscored = tempfile::tempdir().unwrap();
    for file in &files {
        let mut text = std::fs::read_to_string(file).unwrap();
        for key in ["orig_h", "orig_p", "resp_h", "resp_p"] {
            text = text.replace(&format!("\"id.{key}\":"), &format!("\"id_{key}\":"));
        }
        std::fs::write(underscored.path().join(file.file_name().unwrap()), text).unwrap();
    }
    let other = discover(&[underscored.path()]);
    assert_eq!(sorted_rows(&data).await, sorted_rows(&other).await);

    // zed-sample's JSON and TSV logs hold the same 1000 DNS records (ISO and epoch times).
    let key_columns = [
        "Timestamp",
        "LocalIP",
        "LocalPort",
        "RemoteIP",
        "RemotePort",
        "ActionType",
    ];
    let dns = |path: PathBuf| async move {
        let data = discover(&[&path]);
        text(
            table(&data, NETWORK)
                .await
                .select_columns(&key_columns)
                .unwrap()
                .sort(key_columns.iter().map(|c| ident(*c).sort(true, true)).collect())
                .unwrap(),
        )
        .await
    };
    assert_eq!(
        dns(dir.join("zedsample_wrccdc2018_dns_first1000.json")).await,
        dns(tsv_dir.join("zedsample_wrccdc2018_dns_first1000.log")).await
    );
}

/// Every row of `DeviceNetworkEvents`, printed in a fixed order.
async fn sorted_rows(data: &DataSet) -> String {
    text(
        table(data, NETWORK)
            .await
            .sort(vec![
                ident("Timestamp").sort(true, true),
                ident("AdditionalFields").sort(true, true),
                ident("ReportId").sort(true, true),
                ident("LocalPort").sort(true, true),
            ])
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn suricata_eve_maps_flow_tls_dns_http_and_alerts() {
    let Some(dir) = fixture_dir("suricata-eve") else {
        return;
    };
    let file = dir.join("tenzir_integration_suricata_eve_without_stats.json");
    let events = json_lines(&file);
    let mapped = ["flow", "tls", "dns", "http", "alert"];
    let is_mapped = |e: &&Value| mapped.contains(&e["event_type"].as_str().unwrap());
    let expected = events.iter().filter(is_mapped).count();
    let data = discover(&[&file]);
    assert_eq!(table(&data, NETWORK).await.count().await.unwrap(), expected);
    assert_eq!(data.report().skipped(), 0);
    let not_mapped: u64 = data
        .report()
        .table(NETWORK)
        .iter()
        .map(|(_, r)| r.not_mapped)
        .sum();
    assert_eq!(not_mapped as usize, events.len() - expected);

    let http = events.iter().find(|e| e["event_type"] == "http").unwrap();
    let row = batch(
        table(&data, NETWORK)
            .await
            .filter(ident("ActionType").eq(lit("HttpConnectionInspected")))
            .unwrap()
            .select_columns(&["Timestamp", "RemoteUrl", "LocalIP", "RemoteIP", "RemotePort"])
            .unwrap(),
    )
    .await;
    assert_eq!(row.num_rows(), 1);
    let timestamp =
        chrono::DateTime::parse_from_str(http["timestamp"].as_str().unwrap(), "%Y-%m-%dT%H:%M:%S%.f%z")
            .unwrap()
            .timestamp_nanos_opt()
            .unwrap();
    assert_eq!(
        as_timestamp_nanosecond_array(row.column(0)).unwrap().value(0),
        timestamp
    );
    assert_eq!(
        as_string_array(row.column(1)).unwrap().value(0),
        http["http"]["hostname"]
    );
    assert_eq!(as_string_array(row.column(2)).unwrap().value(0), http["src_ip"]);
    assert_eq!(as_string_array(row.column(3)).unwrap().value(0), http["dest_ip"]);
    assert_eq!(
        i64::from(as_int32_array(row.column(4)).unwrap().value(0)),
        http["dest_port"]
    );

    let alert = events.iter().find(|e| e["event_type"] == "alert").unwrap();
    let signature = batch(
        table(&data, NETWORK)
            .await
            .filter(ident("ActionType").eq(lit("NetworkSignatureInspected")))
            .unwrap()
            .select_columns(&["AdditionalFields"])
            .unwrap(),
    )
    .await;
    let additional: Value =
        serde_json::from_str(as_string_array(signature.column(0)).unwrap().value(0)).unwrap();
    assert_eq!(additional["SignatureName"], alert["alert"]["signature"]);
    assert_eq!(
        additional["signature_id"],
        alert["alert"]["signature_id"].to_string()
    );
    assert_eq!(
        table(&data, "DeviceInfo").await.count().await.unwrap(),
        events
            .iter()
            .filter(is_mapped)
            .map(|e| e["src_ip"].as_str())
            .collect::<BTreeSet<_>>()
            .len()
    );
}

#[tokio::test]
async fn bad_mapped_records_are_reported_with_file_and_line_and_strict_stops() {
    let dir = tempfile::tempdir().unwrap();
    let zeek = dir.path().join("conn.log");
    std::fs::write(
        &zeek,
        "#separator \\x09\n#path\tconn\n#fields\tts\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tconn_state\n\
         #types\ttime\taddr\tport\taddr\tport\tenum\tstring\n\
         1.0\t10.0.0.1\t5\t10.0.0.2\t80\ttcp\tSF\n\
         2.0\t10.0.0.1\t5\t10.0.0.2\n\
         3.0\t10.0.0.1\tx\t10.0.0.2\t80\ttcp\tSF\n",
    )
    .unwrap();
    let eve = dir.path().join("eve.json");
    std::fs::write(
        &eve,
        "{\"timestamp\":\"2020-01-01T00:00:00+0000\",\"event_type\":\"dns\",\"src_ip\":\"10.0.0.1\",\"dest_ip\":\"10.0.0.2\"}\n\
         {not json\n",
    )
    .unwrap();
    let data = discover(&[dir.path()]);
    assert_eq!(table(&data, NETWORK).await.count().await.unwrap(), 2);
    assert_eq!(data.report().skipped(), 3);
    let reasons: Vec<String> = data
        .report()
        .files()
        .into_iter()
        .flat_map(|(_, path, r)| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            r.reasons
                .into_iter()
                .map(move |s| format!("{name} {}: {}", s.position, s.reason))
        })
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("conn.log line 6: 4 fields where the #fields header names 7")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("conn.log line 7: field id.orig_p")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("eve.json line 2: invalid JSON")),
        "{reasons:?}"
    );

    let strict = ReadOptions {
        strict: true,
        ..ReadOptions::default()
    };
    let data = DataSet::discover(std::slice::from_ref(&zeek), &[], strict).unwrap();
    let error = table(&data, NETWORK).await.count().await.unwrap_err().to_string();
    assert!(error.contains("conn.log, line 6: 4 fields"), "{error}");

    // A mapped layout names its own tables: forcing one on it is refused.
    let forced = DataSet::discover(&[], &[(NETWORK.to_string(), zeek)], ReadOptions::default());
    assert!(
        matches!(forced, Err(SourceError::UnsupportedFile { reason, .. }) if reason.contains("zeek-tsv"))
    );
}

/// The nanoseconds helper of the other sample tests agrees with the Zeek arithmetic used here.
#[test]
fn zeek_seconds_arithmetic() {
    assert_eq!(
        zeek_nanos("1379288668.148196"),
        nanos("2013-09-15T23:44:28.148196Z")
    );
}

#[tokio::test]
async fn sysmon_and_security_json_lines_map_by_event_kind() {
    let Some(dir) = fixture_dir("sysmon-json") else {
        return;
    };
    let file = dir.join("otrf_cmd_bitsadmin_download_psh_script.json");
    let events = json_lines(&file);
    let kind = |e: &Value| {
        (
            e["SourceName"].as_str().unwrap().to_string(),
            e["EventID"].as_u64().unwrap(),
        )
    };
    let of = |source: &str, id: u64| {
        events
            .iter()
            .filter(|e| kind(e) == (source.to_string(), id))
            .count()
    };
    let (sysmon, security) = ("Microsoft-Windows-Sysmon", "Microsoft-Windows-Security-Auditing");
    let data = discover(&[&file]);
    assert_eq!(
        table(&data, "DeviceProcessEvents").await.count().await.unwrap(),
        of(sysmon, 1)
    );
    assert_eq!(
        table(&data, "DeviceEvents").await.count().await.unwrap(),
        of(sysmon, 22)
    );
    assert_eq!(
        table(&data, NETWORK).await.count().await.unwrap(),
        of(sysmon, 3) + of(security, 5156) + of(security, 5158)
    );
    let hosts: BTreeSet<String> = events
        .iter()
        .map(|e| e["Hostname"].as_str().unwrap().to_lowercase())
        .collect();
    assert_eq!(
        table(&data, "DeviceInfo").await.count().await.unwrap(),
        hosts.len()
    );
    assert_eq!(data.report().skipped(), 0);

    // Direction: Sysmon's `Initiated` and the Security log's %%14592 / %%14593.
    let is = |e: &Value, source: &str, id: u64, field: &str, value: &str| {
        kind(e) == (source.to_string(), id) && e[field] == value
    };
    let inbound = events
        .iter()
        .filter(|e| is(e, sysmon, 3, "Initiated", "false") || is(e, security, 5156, "Direction", "%%14592"))
        .count();
    let outbound = events
        .iter()
        .filter(|e| is(e, sysmon, 3, "Initiated", "true") || is(e, security, 5156, "Direction", "%%14593"))
        .count();
    let action = |a: &'static str| ident("ActionType").eq(lit(a));
    assert_eq!(
        count(&data, NETWORK, action("InboundConnectionAccepted")).await,
        inbound
    );
    assert_eq!(count(&data, NETWORK, action("ConnectionSuccess")).await, outbound);
    assert_eq!(
        count(&data, NETWORK, action("ListeningConnectionCreated")).await,
        of(security, 5158)
    );

    // The bitsadmin process start, column by column against the event.
    let start = events
        .iter()
        .find(|e| {
            kind(e) == (sysmon.to_string(), 1) && e["Image"].as_str().unwrap().ends_with("bitsadmin.exe")
        })
        .unwrap();
    let columns = [
        "Timestamp",
        "DeviceName",
        "FileName",
        "FolderPath",
        "ProcessCommandLine",
        "AccountName",
        "SHA256",
        "InitiatingProcessFileName",
        "ProcessId",
    ];
    let row = batch(
        table(&data, "DeviceProcessEvents")
            .await
            .filter(ident("FileName").eq(lit("bitsadmin.exe")))
            .unwrap()
            .select_columns(&columns)
            .unwrap(),
    )
    .await;
    assert_eq!(row.num_rows(), 1);
    let string = |i: usize| as_string_array(row.column(i)).unwrap().value(0).to_string();
    let utc =
        chrono::NaiveDateTime::parse_from_str(start["UtcTime"].as_str().unwrap(), "%Y-%m-%d %H:%M:%S%.f")
            .unwrap();
    assert_eq!(
        as_timestamp_nanosecond_array(row.column(0)).unwrap().value(0),
        utc.and_utc().timestamp_nanos_opt().unwrap()
    );
    assert_eq!(string(1), start["Hostname"].as_str().unwrap().to_lowercase());
    assert_eq!(string(3), start["Image"]);
    assert_eq!(string(4), start["CommandLine"]);
    assert_eq!(
        Some(string(5).as_str()),
        start["User"].as_str().unwrap().rsplit('\\').next()
    );
    let hashes = start["Hashes"].as_str().unwrap();
    let sha256 = hashes.split(',').find_map(|h| h.strip_prefix("SHA256=")).unwrap();
    assert_eq!(string(6), sha256.to_lowercase());
    assert_eq!(
        Some(string(7).as_str()),
        start["ParentImage"].as_str().unwrap().rsplit('\\').next()
    );
    assert_eq!(
        datafusion::common::cast::as_int64_array(row.column(8))
            .unwrap()
            .value(0)
            .to_string(),
        start["ProcessId"]
    );
}

/// Winlogbeat's shape (`winlog.provider_name`, `event_id`, `computer_name`, `event_data`) of the same
/// events maps to the same rows as Security-Datasets' flat lines: the test rewrites the real sample.
#[tokio::test]
async fn winlogbeat_lines_map_as_the_flat_lines_of_the_same_events() {
    let Some(dir) = fixture_dir("sysmon-json") else {
        return;
    };
    let file = dir.join("otrf_cmd_bitsadmin_download_psh_script.json");
    // Where Winlogbeat puts the fields Security-Datasets' flat lines hold beside the event data.
    let header = [
        "@timestamp",
        "SourceName",
        "ProviderGuid",
        "EventID",
        "Hostname",
        "TimeCreated",
        "Channel",
        "Task",
        "Keywords",
        "Level",
        "Message",
    ];
    let winlogbeat: Vec<String> = json_lines(&file)
        .iter()
        .map(|event| {
            let data: serde_json::Map<String, Value> = event
                .as_object()
                .unwrap()
                .iter()
                .filter(|(key, _)| !header.contains(&key.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            serde_json::json!({
                "@timestamp": event["@timestamp"],
                "message": event["Message"],
                "log": { "level": event["Level"] },
                "winlog": {
                    "provider_name": event["SourceName"],
                    "provider_guid": event["ProviderGuid"],
                    "event_id": event["EventID"],
                    "computer_name": event["Hostname"],
                    "channel": event["Channel"],
                    "task": event["Task"],
                    "keywords": [event["Keywords"]],
                    "event_data": data,
                },
            })
            .to_string()
        })
        .collect();
    let rewritten = tempfile::tempdir().unwrap();
    let copy = rewritten.path().join("winlogbeat.json");
    std::fs::write(&copy, winlogbeat.join("\n") + "\n").unwrap();

    let flat = discover(&[&file]);
    let beat = discover(&[&copy]);
    assert_eq!(beat.report().skipped(), 0);
    for table_name in [NETWORK, "DeviceProcessEvents", "DeviceEvents"] {
        let flat_rows = rows_sorted_by_every_column(&flat, table_name).await;
        let beat_rows = rows_sorted_by_every_column(&beat, table_name).await;
        assert!(flat_rows.lines().count() > 4, "{table_name}: {flat_rows}");
        assert_eq!(beat_rows, flat_rows, "{table_name}");
    }
}

async fn rows_sorted_by_every_column(data: &DataSet, name: &str) -> String {
    let frame = table(data, name).await;
    let order = frame
        .schema()
        .fields()
        .iter()
        .map(|f| ident(f.name()).sort(true, true))
        .collect();
    text(frame.sort(order).unwrap()).await
}

/// An event log is parsed in memory, so one past the size limit (a real log's first chunk followed by
/// zeros, sparse on disk) is refused naming the file and the limit instead of being read whole.
#[tokio::test]
async fn an_event_log_past_the_size_limit_is_refused_naming_the_file() {
    let Some(security) = fixture_dir("security-evtx") else {
        return;
    };
    let real = std::fs::read(security.join("sbousseaden_DE_RDP_Tunnel_5156.evtx")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.evtx");
    let file = std::fs::File::create(&huge).unwrap();
    std::io::Write::write_all(&mut &file, &real[..4096]).unwrap();
    file.set_len((256 << 20) + 1).unwrap();
    let message = match DataSet::discover(std::slice::from_ref(&huge), &[], ReadOptions::default()) {
        Err(error) => error.to_string(),
        Ok(data) => table(&data, NETWORK)
            .await
            .collect()
            .await
            .unwrap_err()
            .to_string(),
    };
    assert!(
        message.contains("huge.evtx") && message.contains("larger than 256 MiB"),
        "{message}"
    );
}

/// Record counts per event id, from the fixtures' README (its curator's count with other tools): the
/// EVTX binary format needs a parser, and these must not come from the one under test.
#[tokio::test]
async fn evtx_logs_map_sysmon_and_filtering_platform_events() {
    let Some(sysmon) = fixture_dir("sysmon-evtx") else {
        return;
    };
    let Some(security) = fixture_dir("security-evtx") else {
        return;
    };
    let rdp = sysmon.join("sbousseaden_DE_sysmon-3-rdp-tun.evtx");
    let psexec = sysmon.join("mdecrevoisier_ID11-13-17-18_PSexec_as_system_execution.evtx");
    let wfp = security.join("sbousseaden_DE_RDP_Tunnel_5156.evtx");

    let data = discover(&[&rdp]);
    assert_eq!(table(&data, NETWORK).await.count().await.unwrap(), 42);
    assert_eq!(
        table(&data, "DeviceProcessEvents").await.count().await.unwrap(),
        13
    );
    let not_mapped: u64 = data
        .report()
        .table(NETWORK)
        .iter()
        .map(|(_, r)| r.not_mapped)
        .sum();
    assert_eq!(not_mapped, 73 - 42 - 13);
    // plink.exe's reverse tunnel to 10.0.2.18:80 (its command line is in the log).
    let plink = ident("InitiatingProcessFileName").eq(lit("plink.exe"));
    let tunnel = ident("RemoteIP")
        .eq(lit("10.0.2.18"))
        .and(ident("RemotePort").eq(lit(80)));
    assert_eq!(count(&data, NETWORK, plink.clone().and(tunnel)).await, 1);
    // Its local end of the forwarded RDP port: 127.0.0.2:3389 (`-R 127.0.0.3:4444:127.0.0.2:3389`).
    let forwarded = ident("RemoteIP")
        .eq(lit("127.0.0.2"))
        .and(ident("RemotePort").eq(lit(3389)));
    assert!(count(&data, NETWORK, plink.and(forwarded)).await > 0);
    assert_eq!(data.report().skipped(), 0);

    let data = discover(&[&psexec]);
    assert_eq!(table(&data, "DeviceEvents").await.count().await.unwrap(), 1);
    assert_eq!(
        table(&data, "DeviceProcessEvents").await.count().await.unwrap(),
        2
    );
    assert_eq!(
        count(
            &data,
            "DeviceProcessEvents",
            ident("FileName").eq(lit("PsExec64.exe"))
        )
        .await,
        1
    );

    let data = discover(&[&wfp]);
    assert_eq!(table(&data, NETWORK).await.count().await.unwrap(), 63 + 9);
    assert_eq!(
        count(
            &data,
            NETWORK,
            ident("ActionType").eq(lit("ListeningConnectionCreated"))
        )
        .await,
        9
    );
    // lsass.exe's Kerberos connection 10.0.2.17:49263 -> 10.0.2.15:88 (%%14593, outbound).
    let kerberos = ident("LocalIP")
        .eq(lit("10.0.2.17"))
        .and(ident("LocalPort").eq(lit(49263)))
        .and(ident("RemoteIP").eq(lit("10.0.2.15")))
        .and(ident("RemotePort").eq(lit(88)))
        .and(ident("ActionType").eq(lit("ConnectionSuccess")))
        .and(
            ident("InitiatingProcessFolderPath")
                .eq(lit(r"\device\harddiskvolume1\windows\system32\lsass.exe")),
        );
    assert_eq!(count(&data, NETWORK, kerberos).await, 1);
    assert!(
        data.summary()
            .iter()
            .any(|s| s.table == NETWORK && s.formats == vec!["evtx"])
    );
}
