//! Tor relay intelligence: Tor Project formats, relay history store, time-aware lookups.
//!
//! - [`formats`] parses consensuses, Onionoo documents, TorDNSEL and plain exit/relay lists and
//!   `TorRelayIPs.csv` into [`Snapshot`]s.
//! - [`Store`] keeps, per address, the intervals during which it was a relay, and answers
//!   [`Store::relay_at`] / [`Store::lookup`] questions; see the README for the semantics.
//! - [`render`] turns the store into `TorRelayIPs.csv` text and the `TorRelays` Arrow table, and
//!   [`udf`] exposes it to KQL as `tor_relay_at` / `tor_relay_info`.
//! - [`update`] downloads fresh documents over HTTP.

pub mod error;
pub mod formats;
pub mod model;
pub mod render;
pub mod store;
pub mod udf;
pub mod update;

pub use error::{IntelError, Result};
pub use formats::{Format, ParseContext, parse_document, parse_file};
pub use model::{Fingerprint, OrAddress, RelayObservation, Role, Snapshot, SourceKind, parse_user_time};
pub use store::{
    ImportOptions, ImportOutcome, ImportReport, Interval, KindCoverage, LookupAnswer, Match, RelayRecord,
    Store, StoreLock, StoreStatus, default_store_dir,
};
