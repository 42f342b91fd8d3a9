//! A job on the cluster, run as Ballista's own client runs one (`execute_physical_plan`: submit the
//! physical plan, poll its status, fetch the final stage's partitions from the executors), and also
//! fetching what the job's scans read, which `execute_physical_plan` cannot: it keeps the job id to
//! itself. The executors publish their reads as operator metrics (`torhunt_sources::RemoteRead`); the
//! scheduler serves a finished job's metrics (`GetJobMetrics`), and they are added to the client's
//! read reports before the first row is handed on, so the report is complete when the query is.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use ballista_core::client::BallistaClient;
use ballista_core::extension::{
    BallistaConfigGrpcEndpoint, BallistaGrpcMetadataInterceptor, SessionConfigExt,
};
use ballista_core::serde::protobuf::execute_query_params::Query;
use ballista_core::serde::protobuf::get_job_status_result::FlightProxy;
use ballista_core::serde::protobuf::operator_metric::Metric;
use ballista_core::serde::protobuf::scheduler_grpc_client::SchedulerGrpcClient;
use ballista_core::serde::protobuf::{
    ExecuteQueryParams, GetJobMetricsParams, GetJobMetricsResult, GetJobStatusParams, KeyValuePair,
    PartitionLocation, execute_query_result, job_status,
};
use ballista_core::utils::{GrpcClientConfig, create_grpc_client_endpoint};
use ballista_core::version;
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::SendableRecordBatchStream;
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::prelude::SessionConfig;
use datafusion_proto::physical_plan::AsExecutionPlan;
use datafusion_proto::protobuf::PhysicalPlanNode;
use futures::{StreamExt, TryStreamExt};
use torhunt_sources::{ReadReport, RemoteRead};

use crate::codec::{Distributed, TorhuntCodec};

/// How often the job's status is asked for while it runs (Ballista's own client waits as long).
const POLL_INTERVAL: Duration = Duration::from_millis(50);

/// Runs `distributed` on the scheduler at `endpoint` (`http://HOST:PORT`) and streams its rows; the
/// executors' reads are in `distributed.reports` by the time the stream is returned.
pub async fn run(
    endpoint: String,
    distributed: Distributed,
    session_id: String,
    config: SessionConfig,
) -> Result<SendableRecordBatchStream> {
    let Distributed { plan, reports } = distributed;
    let schema = plan.schema();
    let mut plan_bytes = Vec::new();
    PhysicalPlanNode::try_from_physical_plan(plan, &TorhuntCodec::default())?.try_encode(&mut plan_bytes)?;
    let fetch = Fetch::new(endpoint, &config);
    // The steps that hold the scheduler's client are all here: its type names tonic's, and torhunt
    // does not depend on tonic itself.
    let mut endpoint = create_grpc_client_endpoint(fetch.scheduler.clone(), Some(&fetch.grpc))
        .map_err(|e| execution(format!("{e}")))?;
    if let Some(customize) = &fetch.customize {
        endpoint = customize
            .configure_endpoint(endpoint)
            .map_err(|e| execution(format!("{e}")))?;
    }
    let channel = endpoint
        .connect()
        .await
        .map_err(|e| execution(format!("connecting to the scheduler: {e}")))?;
    // Schedulers of Ballista 55 on refuse a job whose request does not say the client's Ballista
    // version. torhunt sets no gRPC metadata of its own, so the interceptor carries just that.
    let version_header = BallistaGrpcMetadataInterceptor::new(HashMap::from([(
        version::BALLISTA_VERSION_HEADER.to_string(),
        ballista_core::BALLISTA_VERSION.to_string(),
    )]));
    let mut scheduler = SchedulerGrpcClient::with_interceptor(channel, version_header)
        .max_encoding_message_size(fetch.max_message_size)
        .max_decoding_message_size(fetch.max_message_size);

    let response = scheduler
        .execute_query(query(plan_bytes, session_id, &config))
        .await
        .map_err(|e| execution(format!("submitting the job: {}", e.message())))?;
    let theirs = version::version_from_metadata(response.metadata()).map(str::to_string);
    version::check_compatibility(Some(ballista_core::BALLISTA_VERSION), theirs.as_deref())
        .map_err(execution)?;
    let job_id = match response.into_inner().result {
        Some(execute_query_result::Result::Success(success)) => success.job_id,
        Some(execute_query_result::Result::Failure(failure)) => {
            return Err(execution(format!("the scheduler refused the job: {failure:?}")));
        }
        None => return Err(execution("the scheduler answered no job".to_string())),
    };

    let (job, flight_proxy) = loop {
        let status = scheduler
            .get_job_status(GetJobStatusParams {
                job_id: job_id.clone(),
            })
            .await
            .map_err(|e| execution(format!("asking for job {job_id}'s status: {}", e.message())))?
            .into_inner();
        match status.status.and_then(|s| s.status) {
            Some(job_status::Status::Successful(job)) => break (job, status.flight_proxy),
            Some(job_status::Status::Failed(failed)) => {
                return Err(execution(format!("Job {job_id} failed: {}", failed.error)));
            }
            None | Some(job_status::Status::Queued(_)) | Some(job_status::Status::Running(_)) => {
                tokio::time::sleep(POLL_INTERVAL).await;
            }
        }
    };

    let metrics = scheduler
        .get_job_metrics(GetJobMetricsParams {
            job_id: job_id.clone(),
        })
        .await
        .map_err(|e| {
            execution(format!(
                "job {job_id} ran, but what its executors read could not be fetched (their malformed \
                 records would go unreported): {}",
                e.message()
            ))
        })?
        .into_inner();
    add_reads(&metrics, &job_id, &reports)?;

    let fetch = Fetch {
        flight_proxy,
        ..fetch
    };
    let rows = futures::stream::iter(job.partition_location)
        .then(move |location| {
            let fetch = fetch.clone();
            async move { fetch.partition(location).await }
        })
        .try_flatten();
    Ok(Box::pin(RecordBatchStreamAdapter::new(schema, rows)))
}

/// The job submission: the encoded plan with the session's settings.
fn query(plan_bytes: Vec<u8>, session_id: String, config: &SessionConfig) -> ExecuteQueryParams {
    let settings = config
        .options()
        .entries()
        .into_iter()
        .map(|entry| KeyValuePair {
            key: entry.key,
            value: entry.value,
        })
        .collect();
    // Names the submission in the scheduler's log only.
    static SUBMITTED: AtomicU64 = AtomicU64::new(0);
    let operation_id = format!("{session_id}-{}", SUBMITTED.fetch_add(1, Ordering::Relaxed));
    ExecuteQueryParams {
        query: Some(Query::PhysicalPlan(plan_bytes)),
        settings,
        session_id,
        operation_id,
    }
}

/// Adds the reads the finished job's scans published to `reports` (indexed by scan number).
fn add_reads(metrics: &GetJobMetricsResult, job_id: &str, reports: &[ReadReport]) -> Result<()> {
    for operator in metrics.stages.iter().flat_map(|stage| &stage.operators) {
        // One read, met once per partition a task ran it for, is added once (see
        // `torhunt_sources::RemoteRead`).
        let names: BTreeSet<&str> = operator
            .metrics
            .iter()
            .filter_map(|metric| match &metric.metric {
                Some(Metric::Count(count)) => Some(count.name.as_str()),
                _ => None,
            })
            .collect();
        for read in names.into_iter().filter_map(RemoteRead::from_metric_name) {
            let read = read?;
            let report = usize::try_from(read.scan)
                .ok()
                .and_then(|scan| reports.get(scan))
                .ok_or_else(|| {
                    DataFusionError::Internal(format!(
                        "job {job_id} reports a read of scan {}, of {} scans",
                        read.scan,
                        reports.len()
                    ))
                })?;
            read.add_to(report);
        }
    }
    Ok(())
}

/// How the client reaches the scheduler, and fetches the job's result partitions, as Ballista's own
/// client does.
#[derive(Clone)]
struct Fetch {
    /// The scheduler's endpoint, `http://HOST:PORT`.
    scheduler: String,
    flight_proxy: Option<FlightProxy>,
    customize: Option<Arc<BallistaConfigGrpcEndpoint>>,
    max_message_size: usize,
    use_tls: bool,
    grpc: GrpcClientConfig,
}

impl Fetch {
    fn new(scheduler: String, config: &SessionConfig) -> Fetch {
        let ballista = config.ballista_config();
        Fetch {
            scheduler,
            flight_proxy: None,
            customize: config.ballista_override_create_grpc_client_endpoint(),
            max_message_size: ballista.grpc_client_max_message_size(),
            use_tls: config.ballista_use_tls(),
            grpc: GrpcClientConfig::from(&ballista),
        }
    }

    /// The rows of one result partition, from the executor that holds it (or the flight proxy).
    async fn partition(&self, location: PartitionLocation) -> Result<SendableRecordBatchStream> {
        let layout = location.layout();
        let executor = location
            .executor_meta
            .ok_or_else(|| DataFusionError::Internal("a result partition names no executor".to_string()))?;
        let partition = location
            .partition_id
            .ok_or_else(|| DataFusionError::Internal("a result partition has no id".to_string()))?;
        let (host, port) = self.serving(&executor)?;
        let mut client = BallistaClient::try_new(
            &host,
            port,
            self.max_message_size,
            self.use_tls,
            self.customize.clone(),
            self.grpc.io_retries_times,
            self.grpc.io_retry_wait_time_ms,
            0,
            0,
        )
        .await
        .map_err(|e| execution(format!("{e}")))?;
        client
            .fetch_partition_proxied(
                &executor.id,
                &partition.into(),
                location.file_id,
                layout,
                &executor.host,
                executor.port as u16,
                true,
            )
            .await
            .map_err(|e| e.into_datafusion())
    }

    /// Where a result partition is served: a flight proxy when the scheduler names one, else the
    /// executor that holds it.
    fn serving(&self, executor: &ballista_core::serde::protobuf::ExecutorMetadata) -> Result<(String, u16)> {
        let address = match &self.flight_proxy {
            Some(FlightProxy::External(address)) => format!("http://{address}"),
            Some(FlightProxy::Local(true)) => self.scheduler.clone(),
            Some(FlightProxy::Local(false)) | None => {
                return Ok((executor.host.clone(), executor.port as u16));
            }
        };
        let url = url_host_port(&address)
            .ok_or_else(|| execution(format!("cannot tell the host and port of {address}")))?;
        Ok(url)
    }
}

/// The host and port of `http://HOST:PORT`.
fn url_host_port(address: &str) -> Option<(String, u16)> {
    let rest = address.split_once("://").map_or(address, |(_, rest)| rest);
    let rest = rest.split('/').next()?;
    let (host, port) = rest.rsplit_once(':')?;
    Some((host.to_string(), port.parse().ok()?))
}

fn execution(message: String) -> DataFusionError {
    DataFusionError::Execution(message)
}
