//! `DeviceFileEvents`: columns and Kusto types from Microsoft's Defender XDR reference `advanced-hunting-devicefileevents-table` (column order as documented);
//! JSON-bearing columns typed `dynamic` as Sentinel's `DeviceFileEvents` table reference types them.

use kql_types::KustoType::{Bool, Int, Long, String as Str};

use super::Columns;
use super::groups::{
    DEVICE_ACTION, FILE, INITIATING_PROCESS_ACCOUNT, INITIATING_PROCESS_LAUNCH, INITIATING_PROCESS_PARENT,
    INITIATING_PROCESS_REMOTE_SESSION, INITIATING_PROCESS_TOKEN, INITIATING_PROCESS_VERSION_INFO, REPORT,
    concat_columns,
};

pub(super) const COLUMNS: Columns = concat_columns![
    DEVICE_ACTION,
    FILE,
    &[
        ("FileOriginUrl", Str),
        ("FileOriginReferrerUrl", Str),
        ("FileOriginIP", Str),
        ("PreviousFolderPath", Str),
        ("PreviousFileName", Str),
        ("FileSize", Long),
    ],
    INITIATING_PROCESS_ACCOUNT,
    // This table lists the initiating process's file columns in an order of its own.
    &[
        ("InitiatingProcessMD5", Str),
        ("InitiatingProcessSHA1", Str),
        ("InitiatingProcessSHA256", Str),
        ("InitiatingProcessFolderPath", Str),
        ("InitiatingProcessFileName", Str),
        ("InitiatingProcessFileSize", Long),
    ],
    INITIATING_PROCESS_VERSION_INFO,
    INITIATING_PROCESS_LAUNCH,
    INITIATING_PROCESS_TOKEN,
    INITIATING_PROCESS_PARENT,
    &[
        ("RequestProtocol", Str),
        ("RequestSourceIP", Str),
        ("RequestSourcePort", Int),
        ("RequestAccountName", Str),
        ("RequestAccountDomain", Str),
        ("RequestAccountSid", Str),
        ("ShareName", Str),
        ("SensitivityLabel", Str),
        ("SensitivitySubLabel", Str),
        ("IsAzureInfoProtectionApplied", Bool),
    ],
    REPORT,
    INITIATING_PROCESS_REMOTE_SESSION,
];
