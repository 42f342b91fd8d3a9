//! Queries on an in-process Ballista cluster (a scheduler and two executors on 127.0.0.1) give what
//! local execution gives: the Kusto emulator's conformance cases, real telemetry, relay intel; and a
//! cluster that cannot answer the same says so.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use ballista_core::execution_plans::execute_physical_plan;
use ballista_core::extension::SessionConfigExt;
use datafusion::physical_plan::common::collect;
use datafusion_proto::protobuf::PhysicalPlanNode;
use serde_json::Value;
use torhunt_cluster::codec::TorhuntCodec;
use torhunt_cluster::identity::ClusterOptions;
use torhunt_cluster::process::spawn_local;
use torhunt_cluster::{BUILD, Cluster, ClusterError, client::CONNECT_TIMEOUT, session};
use torhunt_engine::output::rows_json;
use torhunt_engine::{Engine, EngineConfig, QueryResult};
use torhunt_intel::Store;

use crate::support::{engine, fleet, relay_store, shared_dir};

/// The cluster every test of this binary shares (started once: it takes a few seconds), answering relay
/// intel from [`relay_store`].
fn cluster_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| spawn_local(2, 2, Arc::new(relay_store())).unwrap())
}

/// `local` running its queries on the shared cluster.
async fn on_cluster(local: &Engine) -> Engine {
    let cluster = Cluster::connect(cluster_url()).await.unwrap();
    let mut remote = local.clone();
    remote.run_on(Arc::new(cluster));
    remote
}

/// Column names and Kusto types, then the rows as JSON text: in order when the query orders its
/// output, else sorted.
fn answer(result: &QueryResult, ordered: bool) -> (Vec<String>, Vec<String>) {
    let columns = result
        .columns
        .iter()
        .map(|c| format!("{}:{:?}", c.name, c.ty))
        .collect();
    let mut rows: Vec<String> = rows_json(&result.columns, &result.batches)
        .map(|row| Value::Array(row).to_string())
        .collect();
    if !ordered {
        rows.sort();
    }
    (columns, rows)
}

fn orders_output(query: &str) -> bool {
    let lower = query.to_ascii_lowercase();
    ["sort ", "order ", "top ", "serialize"]
        .iter()
        .any(|w| lower.contains(w))
        && !lower.contains("partition")
}

/// Cases that run locally and not on the cluster, and why (each must still be refused or time out,
/// never answer differently). None now: the last four are [`plans_ballista_could_not_run`].
const NOT_ON_THE_CLUSTER: &[(&str, &str)] = &[];

/// Every emulator case that runs locally gives the same columns, types and rows on the cluster, or is
/// one of [`NOT_ON_THE_CLUSTER`] (refused, or no answer in 30 s), never a different answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance_cases_answer_the_same_on_the_cluster() {
    let Some(shared) = shared_dir() else { return };
    let text = std::fs::read_to_string(shared.join("conformance/kql-emulator-cases.json")).unwrap();
    let document: Value = serde_json::from_str(&text).unwrap();
    let local = Engine::new(EngineConfig {
        threads: Some(2),
        // A fixed clock, so the cases that read it give the same answer twice.
        now: Some(1_700_000_000_000_000_000),
        ..EngineConfig::default()
    })
    .unwrap();
    let remote = on_cluster(&local).await;
    // A cluster job costs a fifth of a second here: every fourth case keeps the suite quick, and
    // TORHUNT_CLUSTER_ALL_CASES=1 runs them all (and checks every listed case still fails).
    let all = std::env::var_os("TORHUNT_CLUSTER_ALL_CASES").is_some();
    let (mut compared, mut differ) = (0, Vec::new());
    for (_, case) in document["cases"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .filter(|(i, _)| all || i % 4 == 0)
    {
        let (id, query) = (case["id"].as_str().unwrap(), case["kql"].as_str().unwrap());
        if ["rand(", "new_guid("].iter().any(|f| query.contains(f)) {
            continue;
        }
        let Ok(expected) = local.query(query).await else {
            continue;
        };
        let ordered = orders_output(query);
        let Ok(answered) = tokio::time::timeout(Duration::from_secs(30), remote.query(query)).await else {
            differ.push(format!("{id}: no answer from the cluster within 30 s"));
            continue;
        };
        match answered {
            Ok(result) if answer(&result, ordered) == answer(&expected, ordered) => compared += 1,
            Ok(result) => differ.push(format!(
                "{id}: {:?} != {:?}",
                answer(&result, ordered),
                answer(&expected, ordered)
            )),
            Err(error) => differ.push(format!("{id}: refused on the cluster: {error}")),
        }
    }
    println!("{compared} conformance cases answer the same on the cluster");
    assert!(
        compared > if all { 250 } else { 60 },
        "only {compared} cases compared"
    );
    let known: Vec<&str> = NOT_ON_THE_CLUSTER.iter().map(|(id, _)| *id).collect();
    let unexpected: Vec<&String> = differ
        .iter()
        .filter(|d| !d.contains("!=") && !known.iter().any(|id| d.starts_with(&format!("{id}: "))))
        .chain(differ.iter().filter(|d| d.contains("!=")))
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:#?}");
    if all {
        assert_eq!(
            differ.len(),
            known.len(),
            "a listed case now runs on the cluster: {differ:#?}"
        );
    }
}

/// Plans Ballista or datafusion-proto could not run as planned for local execution, and what torhunt does
/// about them (`codec::distribute`, the planner's `range`): unions of three or more `print`s (a stage
/// Ballista never completed) and `range` read for its row count only (a series scan with a projection,
/// which datafusion-proto decodes wrongly). Conformance cases summarize-operator-08,
/// toscalar-function-07, union-operator-04 and -06 are of these kinds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plans_ballista_could_not_run() {
    let local = Engine::new(EngineConfig::default()).unwrap();
    let remote = on_cluster(&local).await;
    for (query, ordered) in [
        ("union (print x=1), (print x=2), (print x=3)", false),
        ("union (print x=1), (print y=2), (print x=3, y=4) | count", false),
        ("range x from 1 to 5 step 1 | count", false),
        ("range x from 1 to 5 step 2 | summarize count(), sum(x)", false),
        (
            "let End = toscalar(range x from 1 to 9 step 1 | count); range z from 1 to End step 4 | order by z",
            true,
        ),
    ] {
        let expected = local.query(query).await.unwrap();
        assert!(expected.row_count() > 0, "{query}: no rows to compare");
        let answered = tokio::time::timeout(Duration::from_secs(30), remote.query(query))
            .await
            .unwrap_or_else(|_| panic!("{query}: no answer from the cluster within 30 s"))
            .unwrap();
        assert_eq!(answer(&answered, ordered), answer(&expected, ordered), "{query}");
    }
}

/// Telemetry read by the executors from the paths the client planned: the fleet in two layouts, and
/// the shared MDE fixtures.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telemetry_queries_answer_the_same_on_the_cluster() {
    let mut paths = fleet().dirs.clone();
    paths.extend(shared_dir().map(|s| s.join("fixtures/mde")));
    let local = engine(&paths, 64 << 10, None);
    let remote = on_cluster(&local).await;
    for query in [
        "DeviceNetworkEvents | summarize n = count(), Ports = array_sort_asc(make_set(RemotePort)) by DeviceName | order by DeviceName",
        r#"DeviceProcessEvents | where ProcessCommandLine has "tor" | project Timestamp, DeviceName, FileName"#,
        "DeviceNetworkEvents
         | join kind=inner (DeviceInfo | distinct DeviceId, PublicIP) on DeviceId
         | summarize Remotes = dcount(RemoteIP) by PublicIP, DeviceId",
        "DeviceNetworkEvents | where tor_relay_at(RemoteIP, Timestamp) | project Timestamp, DeviceName, RemoteIP",
    ] {
        let expected = local.query(query).await.unwrap();
        assert!(expected.row_count() > 0, "{query}: no rows to compare");
        let ordered = orders_output(query);
        let actual = remote.query(query).await.unwrap();
        assert_eq!(answer(&actual, ordered), answer(&expected, ordered), "{query}");
    }
}

/// A client whose relay store is not the cluster's is refused, naming both stores, rather than answered
/// from other relay history.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_relay_store_is_refused() {
    let mut local = engine(&fleet().dirs, u64::MAX, None);
    torhunt_rules::relay_intel::register(&mut local, Arc::new(Store::default())).unwrap();
    let remote = on_cluster(&local).await;
    let error = remote
        .query("DeviceNetworkEvents | where tor_relay_at(RemoteIP, Timestamp) | count")
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("relay intel store"), "{error}");
    assert!(error.contains("is not the client's (0 snapshots"), "{error}");
}

/// Nothing listens: the client says which scheduler it could not reach, and does so promptly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_scheduler_is_a_clear_error_in_bounded_time() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("df://127.0.0.1:{port}");
    let started = Instant::now();
    let error = Cluster::connect(&url).await.unwrap_err();
    assert!(started.elapsed() <= CONNECT_TIMEOUT + Duration::from_secs(1));
    assert!(matches!(error, ClusterError::Unreachable { .. }), "{error}");
    assert!(
        error
            .to_string()
            .starts_with(&format!("cannot reach the Ballista scheduler at {url}")),
        "{error}"
    );
    for bad in ["127.0.0.1:50050", "df://host", "df://:1", "df://h:port"] {
        assert!(
            matches!(Cluster::connect(bad).await, Err(ClusterError::BadUrl(_))),
            "{bad}"
        );
    }
}

/// A client of another torhunt build is refused by the scheduler, naming both builds, before anything
/// runs: here with a plan of DataFusion's nodes only, which no torhunt frame would catch.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_of_another_build_is_refused() {
    let local = Engine::new(EngineConfig::default()).unwrap();
    let (_, logical) = local.plan("print x = 1").unwrap();
    let plan = local
        .session()
        .state()
        .create_physical_plan(&logical)
        .await
        .unwrap();
    let submit = |build: &str| {
        let config = session::config().with_option_extension(ClusterOptions {
            build: build.to_string(),
        });
        let endpoint = cluster_url().replace("df://", "http://");
        let plan = plan.clone();
        async move {
            let rows = execute_physical_plan::<PhysicalPlanNode>(
                endpoint,
                &config.ballista_config(),
                plan,
                &TorhuntCodec::default(),
                "identity-test".to_string(),
                config,
            )
            .await?;
            collect(rows).await
        }
    };
    assert_eq!(
        submit(BUILD)
            .await
            .unwrap()
            .iter()
            .map(|b| b.num_rows())
            .sum::<usize>(),
        1
    );
    let theirs = "0.1.0 (build 000000000000)";
    let error = submit(theirs).await.unwrap_err().to_string();
    assert!(
        error.contains(&format!(
            "version skew: the plan was made by torhunt {theirs}, this cluster process runs torhunt {BUILD}"
        )),
        "{error}"
    );
}

/// Telemetry with records to skip: lines that are not JSON (more than the report keeps reasons for)
/// spread over the byte ranges of a split file, a record with a value its column cannot hold, and a
/// file still being written. Returns the folder and how many lines are not JSON.
fn telemetry_with_malformed_records(dir: &std::path::Path) -> usize {
    let record = |id: u32, port: &str| {
        format!(
            r#"{{"time":"2024-05-01T10:00:00Z","tenantId":"t1","category":"AdvancedHunting-DeviceNetworkEvents","properties":{{"ReportId":{id},"Timestamp":"2024-05-01T09:59:00Z","DeviceName":"host-{}","RemotePort":{port}}}}}"#,
            id % 7
        )
    };
    let (mut text, mut broken) = (String::new(), 0);
    for id in 1..=600 {
        text.push_str(&record(id, &(id % 50).to_string()));
        text.push('\n');
        if id % 80 == 0 {
            text.push_str(&format!("{{\"broken line {id}\n"));
            broken += 1;
        }
    }
    text.push_str(&record(601, "\"not a port\""));
    text.push('\n');
    std::fs::write(dir.join("stream.json"), text).unwrap();
    let written = format!(
        "{}\n{}\n{{\"time\":\"2024-05-01T1",
        record(700, "3"),
        record(701, "4")
    );
    std::fs::write(dir.join("being-written.json"), written).unwrap();
    broken
}

/// What the executors read reaches the client's read report: the same files, rows, records skipped
/// unparsed, and malformed records (each counted once however many queries read its part, with the
/// same positions and reasons, up to the cap) as local execution, and the same files opened.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_executors_reads_reach_the_client_s_read_report() {
    let dir = tempfile::tempdir().unwrap();
    let broken = telemetry_with_malformed_records(dir.path());
    let paths = [dir.path().to_path_buf()];
    // Byte ranges of 8 KiB: the larger file is read in several parts, by both executors.
    let (local, local_report) = crate::support::engine_and_report(&paths, 8 << 10, None);
    let (remote, remote_report) = crate::support::engine_and_report(&paths, 8 << 10, None);
    let remote = on_cluster(&remote).await;
    for query in [
        "DeviceNetworkEvents | summarize n = count() by DeviceName",
        "DeviceNetworkEvents | where RemotePort == 3 | project ReportId",
        "DeviceNetworkEvents | where DeviceName has \"host-2\" | count",
    ] {
        let expected = local.query(query).await.unwrap();
        let actual = remote.query(query).await.unwrap();
        assert_eq!(answer(&actual, false), answer(&expected, false), "{query}");
    }
    let files = local_report.files();
    let malformed: u64 = files.iter().map(|(_, _, f)| f.skipped).sum();
    assert!(malformed >= broken as u64 && broken == 7, "{files:#?}");
    assert!(
        files
            .iter()
            .any(|(_, _, f)| f.reasons.len() == torhunt_sources::REASONS_KEPT_PER_FILE),
        "{files:#?}"
    );
    assert!(
        files.iter().any(|(_, _, f)| f.incomplete_tail.is_some()),
        "{files:#?}"
    );
    assert!(local_report.skipped_unparsed() > 0, "{files:#?}");
    assert_eq!(remote_report.files(), files);
    assert_eq!(remote_report.files_opened(), local_report.files_opened());
}

/// `torhunt convert`'s Parquet, rewritten with row groups of 64 rows, so each file has many and the
/// client's partitions each read some of them (through DataFusion's `ParquetSource`, as byte ranges of
/// the file): every row is read once on the cluster too, and answers are the local ones.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn converted_parquet_of_many_row_groups_answers_the_same_on_the_cluster() {
    use datafusion::arrow::record_batch::RecordBatch;
    use datafusion::parquet::arrow::ArrowWriter;
    use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    let typed = tempfile::tempdir().unwrap();
    let event_hub = fleet().dirs[1].clone();
    let data = torhunt_sources::DataSet::discover(&[event_hub], &[], Default::default()).unwrap();
    let converted = torhunt_sources::convert_to_parquet(&data, typed.path())
        .await
        .unwrap();
    for table in &converted {
        let builder =
            ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&table.path).unwrap()).unwrap();
        // The footer's schema, with the table it was written for.
        let schema = builder.schema().clone();
        let batches: Vec<_> = builder.build().unwrap().map(Result::unwrap).collect();
        let file = std::fs::File::create(&table.path).unwrap();
        let mut writer = ArrowWriter::try_new(file, schema.clone(), None).unwrap();
        for batch in &batches {
            for start in (0..batch.num_rows()).step_by(64) {
                let rows = batch.slice(start, 64.min(batch.num_rows() - start));
                writer
                    .write(&RecordBatch::try_new(schema.clone(), rows.columns().to_vec()).unwrap())
                    .unwrap();
                // Ends the row group.
                writer.flush().unwrap();
            }
        }
        let metadata = writer.close().unwrap();
        assert_eq!(
            metadata.num_row_groups() as u64,
            table.rows.div_ceil(64),
            "{}",
            table.table
        );
    }
    let local = engine(&[typed.path().to_path_buf()], u64::MAX, None);
    let remote = on_cluster(&local).await;
    let manifest = &fleet().manifest;
    for table in ["DeviceNetworkEvents", "DeviceProcessEvents", "DeviceInfo"] {
        let query = format!("{table} | count");
        let explained = local.explain(&query).await.unwrap();
        assert!(explained.contains("file_type=parquet"), "{explained}");
        let counted = remote.query(&query).await.unwrap();
        let expected = format!("[{}]", manifest.rows[table]);
        assert_eq!(answer(&counted, true).1, vec![expected], "{table}");
    }
    for query in [
        "DeviceNetworkEvents | where RemotePort in (9001, 9030, 443) | summarize n = count() by DeviceName, RemotePort",
        r#"DeviceProcessEvents | where ProcessCommandLine has "tor" | project Timestamp, DeviceName, FileName"#,
        "DeviceNetworkEvents | where tor_relay_at(RemoteIP, Timestamp) | project Timestamp, DeviceName, RemoteIP",
    ] {
        let expected = local.query(query).await.unwrap();
        assert!(expected.row_count() > 0, "{query}: no rows to compare");
        let actual = remote.query(query).await.unwrap();
        assert_eq!(answer(&actual, false), answer(&expected, false), "{query}");
    }
}
