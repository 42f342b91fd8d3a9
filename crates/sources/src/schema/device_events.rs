//! `DeviceEvents`: columns and Kusto types from Microsoft's Defender XDR reference `advanced-hunting-deviceevents-table` (column order as documented);
//! JSON-bearing columns typed `dynamic` as Sentinel's `DeviceEvents` table reference types them.

use kql_types::KustoType::{Bool, DateTime, Int, Long, String as Str};

use super::Columns;
use super::groups::{
    ACCOUNT, DEVICE_ACTION, FILE, INITIATING_PROCESS_ACCOUNT, INITIATING_PROCESS_FILE,
    INITIATING_PROCESS_LAUNCH, INITIATING_PROCESS_PARENT, INITIATING_PROCESS_REMOTE_SESSION,
    INITIATING_PROCESS_VERSION_INFO, REPORT, concat_columns,
};

pub(super) const COLUMNS: Columns = concat_columns![
    DEVICE_ACTION,
    FILE,
    &[("FileSize", Long)],
    ACCOUNT,
    &[
        ("RemoteUrl", Str),
        ("RemoteDeviceName", Str),
        ("ProcessId", Long),
        ("ProcessCommandLine", Str),
        ("ProcessCreationTime", DateTime),
        ("ProcessTokenElevation", Str),
        ("LogonId", Long),
        ("RegistryKey", Str),
        ("RegistryValueName", Str),
        ("RegistryValueData", Str),
        ("RemoteIP", Str),
        ("RemotePort", Int),
        ("LocalIP", Str),
        ("LocalPort", Int),
        ("FileOriginUrl", Str),
        ("FileOriginIP", Str),
    ],
    INITIATING_PROCESS_FILE,
    &[("InitiatingProcessFolderPath", Str)],
    INITIATING_PROCESS_LAUNCH,
    INITIATING_PROCESS_ACCOUNT,
    INITIATING_PROCESS_VERSION_INFO,
    INITIATING_PROCESS_PARENT,
    &[("InitiatingProcessLogonId", Long)],
    REPORT,
    INITIATING_PROCESS_REMOTE_SESSION,
    &[
        ("CreatedProcessSessionId", Long),
        ("IsProcessRemoteSession", Bool),
        ("ProcessRemoteSessionDeviceName", Str),
        ("ProcessRemoteSessionIP", Str),
    ],
];
