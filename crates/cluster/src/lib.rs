//! Runs torhunt's plans on an Apache DataFusion Ballista cluster.
//!
//! The client plans a query as it would run it locally (parse, bind, logical plan, `KqlQueryPlanner`'s
//! physical plan: files listed and pruned, prefilters compiled, externaldata and intel read) and submits
//! the *physical* plan; the scheduler cuts it into stages at its exchanges and the executors run the
//! tasks. Submitting the physical plan keeps one planner, so the cluster runs the plan local execution
//! would run, and only physical nodes need a codec ([`codec`]). The scheduler and executors are
//! Ballista's own, set up by [`session`] with every function torhunt's plans call.

pub mod client;
pub mod codec;
pub mod identity;
mod job;
pub mod process;
pub mod session;

pub use client::{Cluster, ClusterError};
pub use identity::BUILD;
