//! IP address functions.

use kql_types::KustoType::{Bool, Long, String};

use super::Param::{Any, Dynamic as DynamicParam, Integer, Str};
use super::Returns::Fixed;
use super::Signature as S;

pub(super) const FUNCTIONS: &[S] = &[
    S::new("ipv4_is_private", &[Str], Fixed(Bool)),
    S::new("ipv4_is_in_range", &[Str, Str], Fixed(Bool)),
    // The ranges may be strings or dynamic arrays of strings.
    S::new("ipv4_is_in_any_range", &[Str, DynamicParam], Fixed(Bool)).variadic(),
    S::new("ipv4_is_match", &[Str, Str, Integer], Fixed(Bool)).optional_from(2),
    S::new("ipv4_compare", &[Str, Str, Integer], Fixed(Long)).optional_from(2),
    S::new("parse_ipv4", &[Str], Fixed(Long)),
    S::new("has_ipv4", &[Str, Str], Fixed(Bool)),
    // The values may be strings or dynamic arrays of strings.
    S::new("has_any_ipv4", &[Str, Any], Fixed(Bool)).variadic(),
    S::new("has_ipv4_prefix", &[Str, Str], Fixed(Bool)),
    S::new("has_any_ipv4_prefix", &[Str, Any], Fixed(Bool)).variadic(),
    S::new("parse_ipv4_mask", &[Str, Integer], Fixed(Long)),
    S::new("format_ipv4", &[Str, Integer], Fixed(String)).optional_from(1),
    S::new("format_ipv4_mask", &[Str, Integer], Fixed(String)).optional_from(1),
    S::new("ipv6_compare", &[Str, Str, Integer], Fixed(Long)).optional_from(2),
    S::new("ipv6_is_match", &[Str, Str, Integer], Fixed(Bool)).optional_from(2),
    S::new("parse_ipv6", &[Str], Fixed(String)),
    S::new("parse_ipv6_mask", &[Str, Integer], Fixed(String)),
    S::new("ipv6_is_in_range", &[Str, Str], Fixed(Bool)),
];
