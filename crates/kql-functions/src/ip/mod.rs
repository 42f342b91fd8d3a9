//! Kusto IP address functions.

use crate::registry::KustoFunction;

mod addr;
mod compare;
mod format_ipv4;
pub mod geo_info_from_ip_address;
mod has_ipv4;
mod ipv4_is_in_any_range;
mod ipv4_netmask_suffix;
mod ipv4_range;
mod parse_ipv4;
mod parse_ipv6;

/// The family's functions, each declared in its own file.
pub(crate) const FUNCTIONS: &[&KustoFunction] = &[
    &parse_ipv4::PARSE_IPV4,
    &parse_ipv4::PARSE_IPV4_MASK,
    &ipv4_netmask_suffix::IPV4_NETMASK_SUFFIX,
    &format_ipv4::FORMAT_IPV4,
    &format_ipv4::FORMAT_IPV4_MASK,
    &ipv4_range::IPV4_IS_IN_RANGE,
    &ipv4_range::IPV4_IS_PRIVATE,
    &ipv4_is_in_any_range::IPV4_IS_IN_ANY_RANGE,
    &compare::IPV4_COMPARE,
    &compare::IPV4_IS_MATCH,
    &compare::IPV6_COMPARE,
    &compare::IPV6_IS_MATCH,
    &parse_ipv6::PARSE_IPV6,
    &parse_ipv6::PARSE_IPV6_MASK,
    &parse_ipv6::IPV6_IS_IN_RANGE,
    &has_ipv4::HAS_IPV4,
    &has_ipv4::HAS_IPV4_PREFIX,
    &has_ipv4::HAS_ANY_IPV4,
    &has_ipv4::HAS_ANY_IPV4_PREFIX,
];
