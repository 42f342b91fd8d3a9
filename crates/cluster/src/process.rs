//! Ballista's scheduler and executor, embedded, set up with torhunt's codec and functions.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use ballista_core::config::TaskSchedulingPolicy;
use ballista_core::error::BallistaError;
use ballista_executor::executor_process::{ExecutorProcessConfig, start_executor_process};
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::{create_scheduler, start_grpc_service_with_listener};
use datafusion::error::Result as DfResult;
use datafusion::execution::SessionState;
use datafusion::prelude::SessionConfig;
use datafusion_proto::protobuf::{LogicalPlanNode, PhysicalPlanNode};
use tokio::net::TcpListener;
use torhunt_intel::Store;
use torhunt_sources::{StorageSettings, Stores};

use crate::codec::TorhuntCodec;
use crate::{identity, session};

/// How long the scheduler waits for an executor's heartbeat before it counts the executor lost and runs
/// its tasks elsewhere (Ballista's default is 180 s). An executor's heartbeat is its request for work
/// ([`SCHEDULING`]), sent every 50 ms when idle and at least every 5 s when busy. A query that loses an
/// executor is late by about this much; with no executor left, it fails after this much again.
pub const DEFAULT_EXECUTOR_TIMEOUT: Duration = Duration::from_secs(20);

/// Executors ask the scheduler for tasks when they have a free slot (Ballista's pull-staged
/// scheduling), rather than the scheduler pushing tasks to the free slots it counts. Ballista 55's
/// count of an executor's free slots misses the tasks of a stage it rolls back after losing another
/// executor (their slots are never given back): the surviving executors were left with no free slot
/// and the query hung. An executor that counts its own slots frees one whenever a task ends.
const SCHEDULING: TaskSchedulingPolicy = TaskSchedulingPolicy::PullStaged;

/// Where an executor listens and which scheduler it serves.
#[derive(Debug, Clone)]
pub struct ExecutorOptions {
    /// The scheduler's host and port.
    pub scheduler: (String, u16),
    /// Where the executor serves its results (Arrow Flight); other executors and the client fetch
    /// them there, so the host must be reachable from them.
    pub bind: SocketAddr,
    /// Tasks run at once (default: one per core).
    pub concurrent_tasks: usize,
}

/// Serves the scheduler on `listener` until the process ends. It decodes plans to cut them into stages,
/// so it checks relay intel calls against `intel` as executors do. An executor silent for
/// `executor_timeout` is lost: its tasks run again elsewhere.
pub async fn run_scheduler(
    listener: TcpListener,
    intel: Arc<Store>,
    executor_timeout: Duration,
) -> Result<(), BallistaError> {
    let address = listener.local_addr()?;
    let config = SchedulerConfig {
        bind_host: address.ip().to_string(),
        bind_port: address.port(),
        scheduling_policy: SCHEDULING,
        executor_timeout_seconds: executor_timeout.as_secs(),
        expire_dead_executor_interval_seconds: 1,
        // With every executor lost, running queries fail after as long again (Ballista's default would
        // hold them for three minutes).
        no_executors_grace_period_seconds: executor_timeout.as_secs(),
        override_physical_codec: Some(Arc::new(TorhuntCodec::with_intel(intel)?)),
        override_config_producer: Some(Arc::new(session::config)),
        // A query's session is opened with the client's settings: a client of another build is refused
        // here, before its plan is decoded.
        override_session_builder: Some(Arc::new(|config: SessionConfig| -> DfResult<SessionState> {
            identity::check_client(&config)?;
            Ok(session::state(config))
        })),
        ..SchedulerConfig::default()
    };
    let cluster = BallistaCluster::new_from_config(&config).await?;
    let scheduler = create_scheduler::<LogicalPlanNode, PhysicalPlanNode>(cluster, Arc::new(config)).await?;
    start_grpc_service_with_listener(listener, scheduler).await
}

/// Runs an executor until the process ends (or Ctrl-C, after telling the scheduler). Relay intel calls
/// answer from `intel` when it is the client's store, and are refused otherwise; blobs are read with
/// `storage` (this process's settings and credentials).
pub async fn run_executor(
    options: ExecutorOptions,
    intel: Arc<Store>,
    storage: StorageSettings,
) -> Result<(), BallistaError> {
    let (scheduler_host, scheduler_port) = options.scheduler;
    let ip = options.bind.ip();
    let config = ExecutorProcessConfig {
        bind_host: ip.to_string(),
        // Others fetch results at the advertised host; an unspecified bind address (0.0.0.0) leaves the
        // choice to Ballista.
        external_host: (!ip.is_unspecified()).then(|| ip.to_string()),
        port: options.bind.port(),
        scheduler_host,
        scheduler_port,
        vcores: options.concurrent_tasks,
        task_scheduling_policy: SCHEDULING,
        override_function_registry: Some(Arc::new(session::function_registry())),
        override_physical_codec: Some(Arc::new(
            TorhuntCodec::with_intel(intel)?.with_storage(Arc::new(Stores::new(storage))),
        )),
        override_config_producer: Some(Arc::new(session::config)),
        ..ExecutorProcessConfig::default()
    };
    start_executor_process(Arc::new(config)).await
}

/// A cluster inside this process, for tests and trying the cluster out on one machine: a scheduler and
/// `executors` executors on free ports of 127.0.0.1, on a runtime of their own thread (so they outlive
/// the caller's runtimes). They run until the process ends. The executors read object storage with
/// the settings and credentials of this process's environment.
pub fn spawn_local(executors: usize, concurrent_tasks: usize, intel: Arc<Store>) -> std::io::Result<String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("torhunt-local-cluster")
        .enable_all()
        .build()?;
    // Bound here, so the caller gets the port; made a Tokio listener on the cluster's runtime (this may
    // run inside another runtime, where blocking on one is not allowed).
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let port = listener.local_addr()?.port();
    // A port per executor, held together so no two are the same, then released for the executors.
    let held = (0..executors)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0"))
        .collect::<std::io::Result<Vec<_>>>()?;
    let executor_options = held
        .iter()
        .map(|executor_port| {
            Ok(ExecutorOptions {
                scheduler: ("127.0.0.1".to_string(), port),
                bind: executor_port.local_addr()?,
                concurrent_tasks,
            })
        })
        .collect::<std::io::Result<Vec<_>>>()?;
    drop(held);
    std::thread::Builder::new()
        .name("torhunt-local-cluster".to_string())
        .spawn(move || {
            runtime.block_on(async move {
                let listener = match TcpListener::from_std(listener) {
                    Ok(listener) => listener,
                    Err(error) => return eprintln!("the local cluster's scheduler cannot listen: {error}"),
                };
                let scheduler =
                    tokio::spawn(run_scheduler(listener, intel.clone(), DEFAULT_EXECUTOR_TIMEOUT));
                for options in executor_options {
                    tokio::spawn(run_executor(options, intel.clone(), StorageSettings::from_env()));
                }
                // Services log their own failures; the thread ends when the scheduler does.
                let _ = scheduler.await;
            })
        })?;
    Ok(format!("df://127.0.0.1:{port}"))
}
