//! Submitting a client's physical plans to a cluster's scheduler.

use std::sync::Arc;
use std::time::Duration;

use ballista_core::extension::SessionConfigExt;
use ballista_core::utils::create_grpc_client_endpoint;
use datafusion::error::DataFusionError;
use datafusion::execution::SendableRecordBatchStream;
use datafusion::physical_plan::ExecutionPlan;
use datafusion::prelude::SessionConfig;
use futures::future::BoxFuture;
use torhunt_engine::PlanRunner;

use crate::codec::distribute;
use crate::{identity, job};

/// How long the client waits for the scheduler to answer a connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A cluster's scheduler, as `df://HOST:PORT` names it.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// `df://HOST:PORT`, for messages.
    url: String,
    /// The scheduler's gRPC endpoint.
    endpoint: String,
}

/// Why the cluster could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("`{0}` is not a cluster address: expected df://HOST:PORT")]
    BadUrl(String),
    #[error("cannot reach the Ballista scheduler at {url}: {reason}")]
    Unreachable { url: String, reason: String },
}

impl Cluster {
    /// Parses `df://HOST:PORT` and checks, within [`CONNECT_TIMEOUT`], that the scheduler accepts a
    /// connection.
    pub async fn connect(url: &str) -> Result<Cluster, ClusterError> {
        let bad = || ClusterError::BadUrl(url.to_string());
        let address = url.strip_prefix("df://").ok_or_else(bad)?;
        let (host, port) = address.rsplit_once(':').ok_or_else(bad)?;
        if host.is_empty() || port.parse::<u16>().is_err() {
            return Err(bad());
        }
        let cluster = Cluster {
            url: url.to_string(),
            endpoint: format!("http://{address}"),
        };
        let unreachable = |reason: String| ClusterError::Unreachable {
            url: url.to_string(),
            reason,
        };
        let endpoint = create_grpc_client_endpoint(cluster.endpoint.clone(), None)
            .map_err(|e| unreachable(e.to_string()))?
            .connect_timeout(CONNECT_TIMEOUT);
        match tokio::time::timeout(CONNECT_TIMEOUT, endpoint.connect()).await {
            Ok(Ok(_)) => Ok(cluster),
            Ok(Err(error)) => Err(unreachable(error_chain(&error))),
            Err(_) => Err(unreachable(format!(
                "no answer within {} s",
                CONNECT_TIMEOUT.as_secs()
            ))),
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Runs `plan` on the cluster with the client's session settings and streams its rows; what the
    /// executors read is added to the read reports of the plan's scans first.
    pub async fn run(
        &self,
        plan: Arc<dyn ExecutionPlan>,
        config: SessionConfig,
    ) -> Result<SendableRecordBatchStream, DataFusionError> {
        let config = identity::as_client(config.upgrade_for_ballista());
        let distributed = distribute(plan)?;
        let session_id = format!("torhunt-{}", std::process::id());
        job::run(self.endpoint.clone(), distributed, session_id, config)
            .await
            .map_err(|e| DataFusionError::Execution(format!("on the cluster at {}: {e}", self.url)))
    }
}

impl PlanRunner for Cluster {
    /// Ballista's restrictions: no dynamic filters (they would wait forever for producers in other
    /// stages), no round-robin repartitioning, sort-merge joins (they spill), and the like.
    fn planning_config(&self, config: SessionConfig) -> SessionConfig {
        config.upgrade_for_ballista()
    }

    fn execute(
        &self,
        plan: Arc<dyn ExecutionPlan>,
        config: SessionConfig,
    ) -> BoxFuture<'static, Result<SendableRecordBatchStream, DataFusionError>> {
        let cluster = self.clone();
        Box::pin(async move { cluster.run(plan, config).await })
    }
}

/// An error and its causes, `: `-separated (transport errors put the reason in their sources).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
