//! `DeviceNetworkEvents`: columns and Kusto types from `../shared/tools/kusto-oracle/mde-schema.json` (the column types Microsoft documents for Kusto.Language).

use kql_types::KustoType::{Int, String as Str};

use super::Columns;
use super::groups::{
    DEVICE_ACTION, INITIATING_PROCESS, INITIATING_PROCESS_REMOTE_SESSION, REPORT, concat_columns,
};

pub(super) const COLUMNS: Columns = concat_columns![
    DEVICE_ACTION,
    &[
        ("RemoteIP", Str),
        ("RemotePort", Int),
        ("RemoteUrl", Str),
        ("LocalIP", Str),
        ("LocalPort", Int),
        ("Protocol", Str),
        ("LocalIPType", Str),
        ("RemoteIPType", Str),
    ],
    INITIATING_PROCESS,
    REPORT,
    INITIATING_PROCESS_REMOTE_SESSION,
];
