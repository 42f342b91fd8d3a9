//! `DeviceNetworkInfo`: columns and Kusto types from Microsoft's Defender XDR reference `advanced-hunting-devicenetworkinfo-table` (column order as documented);
//! JSON-bearing columns typed `dynamic` as Sentinel's `DeviceNetworkInfo` table reference types them.

use kql_types::KustoType::{Dynamic, Long, String as Str};

use super::Columns;
use super::groups::{DEVICE, concat_columns};

pub(super) const COLUMNS: Columns = concat_columns![
    DEVICE,
    &[
        ("NetworkAdapterName", Str),
        ("MacAddress", Str),
        ("NetworkAdapterType", Str),
        ("NetworkAdapterStatus", Str),
        ("TunnelType", Str),
        ("ConnectedNetworks", Dynamic),
        ("DnsAddresses", Dynamic),
        ("IPv4Dhcp", Str),
        ("IPv6Dhcp", Str),
        ("DefaultGateways", Dynamic),
        ("IPAddresses", Dynamic),
        ("ReportId", Long),
        ("NetworkAdapterVendor", Str),
    ],
];
