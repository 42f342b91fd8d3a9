//! One module per subcommand, plus `session` and `storage`: the data-reading plumbing
//! they share.

pub mod check;
pub mod cluster;
pub mod convert;
pub mod demo;
pub mod generate;
pub mod hunt;
pub mod intel;
pub mod query;
pub mod report;
pub mod rules;
pub mod schema;
pub mod session;
pub mod sources;
pub mod storage;
pub mod watch;
