//! Runs torhunt's plans on an Apache DataFusion Ballista cluster.
//!
//! A client plans a query as it would run it locally (parse, bind, logical plan, `KqlQueryPlanner`'s
//! physical plan: files listed and pruned, prefilters compiled, externaldata and intel read) and submits
//! the *physical* plan; the scheduler cuts it into stages at its exchanges and the executors run the
//! tasks. Submitting the physical plan keeps one planner, so the cluster runs the plan local execution
//! would run, and only physical nodes need a codec ([`codec`]). [`session`] is the session every cluster
//! process runs plans with.

pub mod codec;
pub mod session;
