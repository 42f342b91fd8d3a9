//! Every torhunt plan node encodes and decodes to an equal plan: real queries over real telemetry are
//! planned as the client plans them, encoded with `TorhuntCodec`, decoded in a fresh executor session
//! (only the functions `session::state` registers), encoded again to the same bytes, and both plans give
//! the same rows.

use std::sync::Arc;

use datafusion::physical_plan::{ExecutionPlan, collect, displayable};
use datafusion_proto::bytes::{
    physical_plan_from_bytes_with_extension_codec, physical_plan_to_bytes_with_extension_codec,
};
use torhunt_cluster::codec::{MAGIC, TorhuntCodec, distribute};
use torhunt_cluster::identity::ClusterOptions;
use torhunt_cluster::{BUILD, session};
use torhunt_engine::Engine;

use crate::support::{engine, fleet, shared_dir, sorted_rows};

/// Plans `query`, round-trips the physical plan and checks both runs agree; returns the plan's text.
async fn round_trip(engine: &Engine, query: &str) -> String {
    let (_, logical) = engine.plan(query).unwrap();
    let local = engine
        .session()
        .state()
        .create_physical_plan(&logical)
        .await
        .unwrap();
    let plan = distribute(local.clone()).unwrap().plan;
    let codec = TorhuntCodec::default();
    let bytes = physical_plan_to_bytes_with_extension_codec(plan.clone(), &codec).unwrap();
    let executor = session::state(session::config()).task_ctx();
    let decoded = physical_plan_from_bytes_with_extension_codec(&bytes, &executor, &codec).unwrap();
    let again = physical_plan_to_bytes_with_extension_codec(decoded.clone(), &codec).unwrap();
    assert_eq!(bytes, again, "{query}: the decoded plan encodes differently");
    let local = collect(local, engine.session().task_ctx()).await.unwrap();
    let remote = collect(decoded, executor).await.unwrap();
    let expected = sorted_rows(&local);
    assert!(
        local.iter().any(|b| b.num_rows() > 0),
        "{query}: no rows to compare"
    );
    assert_eq!(sorted_rows(&remote), expected, "{query}");
    displayable(plan.as_ref()).indent(true).to_string()
}

fn fleet_engine(split_bytes: u64) -> Engine {
    engine(&fleet().dirs, split_bytes, None)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telemetry_scans_round_trip_with_files_parts_and_prefilters() {
    // 64 KiB ranges split the fleet's files: Event Hub JSON in byte ranges, CSV read whole remotely.
    let engine = fleet_engine(64 << 10);
    let plan = round_trip(
        &engine,
        "DeviceNetworkEvents | where RemotePort in (80, 9001) | summarize n = count() by DeviceName",
    )
    .await;
    assert!(
        plan.contains("DistributedScanExec: table=DeviceNetworkEvents, format=mde-portal-csv"),
        "{plan}"
    );
    assert!(plan.contains("format=mde-eventhub-json"), "{plan}");
    let plan = round_trip(
        &engine,
        r#"DeviceProcessEvents | where ProcessCommandLine has "tor" or FileName =~ "tor.exe"
           | project Timestamp, DeviceName, FileName, ProcessCommandLine"#,
    )
    .await;
    assert!(plan.contains("prefilter="), "{plan}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn joins_and_kql_aggregates_round_trip() {
    let engine = fleet_engine(64 << 10);
    round_trip(
        &engine,
        "DeviceNetworkEvents
         | join kind=inner (DeviceInfo | distinct DeviceId, PublicIP) on DeviceId
         | summarize Remotes = dcount(RemoteIP), Ports = array_sort_asc(make_set(RemotePort)) by PublicIP",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kql_scan_round_trips() {
    let engine = fleet_engine(u64::MAX);
    let plan = round_trip(
        &engine,
        r#"DeviceNetworkEvents
           | sort by Timestamp asc
           | scan with_match_id=Match declare (First: datetime, Hops: long = 0) with (
               step first output=none: RemotePort == 80 => First = Timestamp, Hops = 1;
               step next: RemotePort == 443 and Timestamp - first.First <= 1h
                   => First = first.First, Hops = first.Hops + 1;
             )
           | project DeviceName, First, Timestamp, Hops, Match"#,
    )
    .await;
    assert!(plan.contains("KqlScanExec"), "{plan}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mv_expand_chunks_round_trip() {
    let engine = fleet_engine(u64::MAX);
    let plan = round_trip(
        &engine,
        "DeviceNetworkEvents
         | summarize Ports = make_set(RemotePort), Urls = make_list(RemoteUrl) by DeviceName
         | mv-expand Ports to typeof(long), Urls
         | summarize n = count(), Ports = dcount(Ports) by DeviceName",
    )
    .await;
    assert!(plan.contains("KqlExpandChunksExec"), "{plan}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_fixtures_round_trip() {
    let Some(shared) = shared_dir() else { return };
    let engine = engine(&[shared.join("fixtures/mde")], 1 << 20, None);
    round_trip(
        &engine,
        "union DeviceNetworkEvents, DeviceProcessEvents, DeviceEvents
         | summarize n = count(), Actions = array_sort_asc(make_set(ActionType)) by DeviceName",
    )
    .await;
    round_trip(
        &engine,
        r#"datatable (Name: string, Port: long) ["a b", 9001, "c", 443]
           | extend Hash = hash_sha256(Name), Tor = Port in (9001, 9030), Word = Name has "b""#,
    )
    .await;
}

/// The distributed plan of `query`, encoded as the client sends it.
async fn encoded_plan(query: &str) -> Vec<u8> {
    let engine = fleet_engine(u64::MAX);
    let (_, logical) = engine.plan(query).unwrap();
    let plan: Arc<dyn ExecutionPlan> = distribute(
        engine
            .session()
            .state()
            .create_physical_plan(&logical)
            .await
            .unwrap(),
    )
    .unwrap()
    .plan;
    physical_plan_to_bytes_with_extension_codec(plan, &TorhuntCodec::default())
        .unwrap()
        .to_vec()
}

/// A plan node from another torhunt build (here: another version) is refused, naming both builds,
/// never decoded by guesswork.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_of_another_build_is_refused() {
    let mut bytes = encoded_plan("DeviceInfo | take 1").await;
    // The build is the first field of the frame after MAGIC: a length-prefixed string.
    let at = bytes.windows(MAGIC.len()).position(|w| w == MAGIC).unwrap() + MAGIC.len() + 1;
    assert_eq!(&bytes[at..at + BUILD.len()], BUILD.as_bytes());
    bytes[at] = b'9';
    let executor = session::state(session::config()).task_ctx();
    let error = physical_plan_from_bytes_with_extension_codec(&bytes, &executor, &TorhuntCodec::default())
        .unwrap_err()
        .to_string();
    let theirs = format!("9{}", &BUILD[1..]);
    assert!(error.contains("version skew"), "{error}");
    assert!(
        error.contains(&format!(
            "torhunt {theirs}, this cluster process runs torhunt {BUILD}"
        )),
        "{error}"
    );
}

/// A task whose session names another client build (the scheduler passes the client's `torhunt.build`
/// on with every task) is refused by the executor decoding it, though its nodes are of this build.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_for_a_client_of_another_build_is_refused() {
    let bytes = encoded_plan("DeviceInfo | take 1").await;
    let decode = |build: &str| {
        let config = session::config().with_option_extension(ClusterOptions {
            build: build.to_string(),
        });
        let task = session::state(config).task_ctx();
        physical_plan_from_bytes_with_extension_codec(&bytes, &task, &TorhuntCodec::default())
    };
    decode(BUILD).unwrap();
    let theirs = "0.1.0 (build 000000000000)";
    let error = decode(theirs).unwrap_err().to_string();
    assert!(
        error.contains(&format!(
            "version skew: the plan was made by torhunt {theirs}, this cluster process runs torhunt {BUILD}"
        )),
        "{error}"
    );
}
