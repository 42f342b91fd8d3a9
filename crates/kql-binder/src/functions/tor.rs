//! torhunt's own functions over the Tor relay intel store (not Kusto built-ins). The engine supplies
//! their implementations when a store is loaded; the binder only needs their signatures.

use kql_types::KustoType::{Bool, Dynamic};

use super::Param::{DateTime, Str};
use super::Returns::Fixed;
use super::Signature as S;

pub(super) const FUNCTIONS: &[S] = &[
    // Whether the address was a Tor relay at that time, by the store's history.
    S::new("tor_relay_at", &[Str, DateTime], Fixed(Bool)),
    // A bag describing the relay at that address and time (fingerprint, nickname, flags, ...), or null.
    S::new("tor_relay_info", &[Str, DateTime], Fixed(Dynamic)),
];
