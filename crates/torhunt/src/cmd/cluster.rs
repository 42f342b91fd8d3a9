//! `torhunt cluster scheduler|executor`: Ballista's scheduler and executor in the torhunt binary, so
//! a cluster runs the same version of torhunt's plan nodes and functions as its clients.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use miette::{IntoDiagnostic, WrapErr};
use torhunt_cluster::process::{DEFAULT_EXECUTOR_TIMEOUT, ExecutorOptions, run_executor, run_scheduler};

use crate::cmd::session::{load_store, runtime};
use crate::cmd::storage::StorageFlags;
use crate::exit::Outcome;
use crate::note;

#[derive(clap::Args)]
pub struct ClusterArgs {
    #[command(subcommand)]
    role: Role,
    /// The Tor relay intel store (default: $TORHUNT_INTEL_DIR, else ~/.local/share/torhunt/intel).
    /// Queries calling tor_relay_at / tor_relay_info run only when it is the client's store.
    #[arg(long, value_name = "DIR", global = true)]
    intel: Option<PathBuf>,
}

#[derive(clap::Subcommand)]
enum Role {
    /// Accept queries from `torhunt query|hunt --cluster df://HOST:PORT` and hand their tasks to executors.
    Scheduler {
        /// Where to listen.
        #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:50050")]
        bind: SocketAddr,
        /// Seconds without an executor's heartbeat before its tasks run elsewhere. Executors ask for
        /// work at least every 5 s, even when busy, and that is their heartbeat.
        #[arg(long, value_name = "SECS", default_value_t = DEFAULT_EXECUTOR_TIMEOUT.as_secs(),
              value_parser = clap::value_parser!(u64).range(10..))]
        executor_timeout: u64,
    },
    /// Run tasks for a scheduler. The executor reads telemetry at the paths the client names, so it
    /// must see the same files at the same paths.
    Executor {
        /// The scheduler's address.
        #[arg(long, value_name = "HOST:PORT", value_parser = host_port)]
        scheduler: (String, u16),
        /// Where to serve task results to other executors and clients (Arrow Flight); the address
        /// must be reachable from them.
        #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:50051")]
        bind: SocketAddr,
        /// Tasks run at once (default: one per core).
        #[arg(long, value_name = "N", default_value_t = 0)]
        concurrent_tasks: usize,
        /// How this executor reaches telemetry in object storage: as `query --data URL` does, with
        /// its own environment's credentials (plans carry no secrets).
        #[command(flatten)]
        storage: StorageFlags,
    },
}

pub fn run(args: ClusterArgs) -> miette::Result<Outcome> {
    log_to_stderr()?;
    let intel = Arc::new(load_store(args.intel.as_deref())?);
    runtime(None)?.block_on(async {
        match args.role {
            Role::Scheduler {
                bind,
                executor_timeout,
            } => {
                let listener = tokio::net::TcpListener::bind(bind)
                    .await
                    .into_diagnostic()
                    .wrap_err_with(|| format!("listening on {bind}"))?;
                note!("torhunt scheduler listening on {bind}");
                run_scheduler(listener, intel, Duration::from_secs(executor_timeout))
                    .await
                    .map_err(|error| miette::miette!("the scheduler stopped: {error}"))
            }
            Role::Executor {
                scheduler,
                bind,
                concurrent_tasks,
                storage,
            } => {
                let options = ExecutorOptions {
                    scheduler,
                    bind,
                    concurrent_tasks,
                };
                run_executor(options, intel, storage.settings())
                    .await
                    .map_err(|error| miette::miette!("the executor stopped: {error}"))
            }
        }
    })?;
    Ok(Outcome::Clean)
}

/// Ballista tells what a cluster process does (executors lost, tasks failed and run again) through the
/// `log` crate; its records go to stderr, warnings and errors unless `RUST_LOG` chooses otherwise
/// (e.g. `RUST_LOG=ballista_scheduler=info`).
fn log_to_stderr() -> miette::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init()
        .map_err(|error| miette::miette!("cannot set up logging: {error}"))
}

fn host_port(text: &str) -> Result<(String, u16), String> {
    let (host, port) = text
        .rsplit_once(':')
        .ok_or_else(|| format!("`{text}` is not HOST:PORT"))?;
    let port = port
        .parse()
        .map_err(|_| format!("`{port}` is not a port number"))?;
    if host.is_empty() {
        return Err(format!("`{text}` has no host"));
    }
    Ok((host.to_string(), port))
}
