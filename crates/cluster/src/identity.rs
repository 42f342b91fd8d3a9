//! Which torhunt build a process runs, and the refusal of another one.
//!
//! Client, scheduler and executors must run the same build: plan nodes, functions and their semantics
//! are torhunt's code, and the crate version alone does not change with it. [`BUILD`] is the version
//! and a digest of the workspace's sources (`build.rs`). It travels two ways: in every torhunt plan
//! node's frame ([`crate::codec`]), and as the session setting `torhunt.build`, which the client sets,
//! the scheduler checks when it opens the query's session ([`crate::session::state`]) and passes on
//! with every task, and each executor checks when it decodes a task ([`crate::codec`]). A plan without
//! torhunt nodes (`print 1`) is checked all the same.

use std::any::Any;

use datafusion::common::config::{ConfigEntry, ConfigExtension, ExtensionOptions};
use datafusion::common::{DataFusionError, Result};
use datafusion::prelude::SessionConfig;

/// This build: `0.1.0 (build 1a2b3c4d5e6f)`. `torhunt --version` prints it.
pub const BUILD: &str = env!("TORHUNT_BUILD");

/// torhunt's session settings on a cluster: `torhunt.build`, the torhunt build of the client that
/// planned the query (empty: not a torhunt client).
#[derive(Debug, Clone, Default)]
pub struct ClusterOptions {
    pub build: String,
}

impl ConfigExtension for ClusterOptions {
    const PREFIX: &'static str = "torhunt";
}

/// Written by hand: the entries DataFusion's `extensions_options!` lists lack the `torhunt.` prefix, so
/// Ballista, which sends a session's settings as its entries, could not set them again.
impl ExtensionOptions for ClusterOptions {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }

    fn cloned(&self) -> Box<dyn ExtensionOptions> {
        Box::new(self.clone())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<()> {
        match key {
            "build" => {
                self.build = value.to_string();
                Ok(())
            }
            other => Err(DataFusionError::Configuration(format!(
                "no setting `{other}` in {}",
                Self::PREFIX
            ))),
        }
    }

    fn entries(&self) -> Vec<ConfigEntry> {
        vec![ConfigEntry {
            key: format!("{}.build", Self::PREFIX),
            value: Some(self.build.clone()),
            description: "the torhunt build of the client that planned the query",
        }]
    }
}

/// `config` as the client of this build sends it: `torhunt.build` set to [`BUILD`].
pub fn as_client(config: SessionConfig) -> SessionConfig {
    config.with_option_extension(ClusterOptions {
        build: BUILD.to_string(),
    })
}

/// `config` able to take the client's `torhunt.build` (a scheduler's or executor's base settings).
pub fn accepting_client(config: SessionConfig) -> SessionConfig {
    config.with_option_extension(ClusterOptions::default())
}

/// Refuses a query planned by another torhunt build, naming both. A session without the setting is
/// not a torhunt client's: its plans hold no torhunt nodes or functions to misread.
pub fn check_client(config: &SessionConfig) -> Result<()> {
    match config.options().extensions.get::<ClusterOptions>() {
        Some(options) if !options.build.is_empty() && options.build != BUILD => {
            Err(build_skew(&options.build))
        }
        _ => Ok(()),
    }
}

/// The refusal of a plan or query from torhunt build `theirs`.
pub fn build_skew(theirs: &str) -> DataFusionError {
    DataFusionError::Plan(format!(
        "version skew: the plan was made by torhunt {theirs}, this cluster process runs torhunt {BUILD}; \
         run the same torhunt build (`torhunt --version`) on the client, the scheduler and every executor"
    ))
}
