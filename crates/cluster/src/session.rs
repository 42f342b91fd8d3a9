//! The DataFusion session every cluster process runs torhunt's plans with.

use std::sync::Arc;

use ballista_core::extension::SessionConfigExt;
use ballista_core::registry::BallistaFunctionRegistry;
use datafusion::execution::{SessionState, SessionStateBuilder};
use datafusion::prelude::{SessionConfig, SessionContext};
use kql_planner::KqlQueryPlanner;

use crate::identity;

/// A session configuration with Ballista's settings, taking the client's build (`torhunt.build`).
pub fn config() -> SessionConfig {
    identity::accepting_client(SessionConfig::new_with_ballista())
}

/// A session state with what torhunt's plans need: DataFusion's defaults, every `kql_*` function and
/// aggregate (by the names plans call them), and `KqlQueryPlanner`. The relay intel functions are not
/// among them: they come with the plan, checked against this process's store ([`crate::codec`]).
pub fn state(config: SessionConfig) -> SessionState {
    let state = SessionStateBuilder::new()
        .with_config(config.upgrade_for_ballista())
        .with_default_features()
        .with_query_planner(Arc::new(KqlQueryPlanner))
        .build();
    let ctx = SessionContext::new_with_state(state);
    kql_planner::register_functions(&ctx);
    ctx.state()
}

/// The functions an executor resolves plan functions with: those of [`state`].
pub fn function_registry() -> BallistaFunctionRegistry {
    BallistaFunctionRegistry::from(&state(config()))
}
