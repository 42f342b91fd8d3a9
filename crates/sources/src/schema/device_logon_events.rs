//! `DeviceLogonEvents`: columns and Kusto types from Microsoft's Defender XDR reference `advanced-hunting-devicelogonevents-table` (column order as documented);
//! JSON-bearing columns typed `dynamic` as Sentinel's `DeviceLogonEvents` table reference types them.

use kql_types::KustoType::{Bool, Int, Long, String as Str};

use super::Columns;
use super::groups::{
    ACCOUNT, DEVICE_ACTION, INITIATING_PROCESS_ACCOUNT, INITIATING_PROCESS_FILE, INITIATING_PROCESS_LAUNCH,
    INITIATING_PROCESS_PARENT, INITIATING_PROCESS_REMOTE_SESSION, INITIATING_PROCESS_TOKEN,
    INITIATING_PROCESS_VERSION_INFO, REPORT, concat_columns,
};

pub(super) const COLUMNS: Columns = concat_columns![
    DEVICE_ACTION,
    &[("LogonType", Str)],
    ACCOUNT,
    &[
        ("Protocol", Str),
        ("FailureReason", Str),
        ("IsLocalAdmin", Bool),
        ("LogonId", Long),
        ("RemoteDeviceName", Str),
        ("RemoteIP", Str),
        ("RemoteIPType", Str),
        ("RemotePort", Int),
    ],
    INITIATING_PROCESS_ACCOUNT,
    INITIATING_PROCESS_TOKEN,
    INITIATING_PROCESS_FILE,
    INITIATING_PROCESS_VERSION_INFO,
    INITIATING_PROCESS_LAUNCH,
    &[("InitiatingProcessFolderPath", Str)],
    INITIATING_PROCESS_PARENT,
    REPORT,
    INITIATING_PROCESS_REMOTE_SESSION,
];
