//! Kusto IP address functions.

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

mod addr;
mod compare;
mod format_ipv4;
mod has_ipv4;
mod ipv4_is_in_any_range;
mod ipv4_range;
mod parse_ipv4;
mod parse_ipv6;

pub fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![
        parse_ipv4::parse_ipv4(),
        parse_ipv4::parse_ipv4_mask(),
        format_ipv4::format_ipv4(),
        format_ipv4::format_ipv4_mask(),
        ipv4_range::ipv4_is_in_range(),
        ipv4_range::ipv4_is_private(),
        ipv4_is_in_any_range::ipv4_is_in_any_range(),
        compare::ipv4_compare(),
        compare::ipv4_is_match(),
        compare::ipv6_compare(),
        compare::ipv6_is_match(),
        parse_ipv6::parse_ipv6(),
        parse_ipv6::parse_ipv6_mask(),
        parse_ipv6::ipv6_is_in_range(),
        has_ipv4::has_ipv4(),
        has_ipv4::has_ipv4_prefix(),
        has_ipv4::has_any_ipv4(),
        has_ipv4::has_any_ipv4_dynamic(),
        has_ipv4::has_any_ipv4_prefix(),
        has_ipv4::has_any_ipv4_prefix_dynamic(),
    ]
}
