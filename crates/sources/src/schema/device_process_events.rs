//! `DeviceProcessEvents`: columns and Kusto types from `../shared/tools/kusto-oracle/mde-schema.json` (the column types Microsoft documents for Kusto.Language).

use kql_types::KustoType::{DateTime, Long, String as Str};

use super::Columns;
use super::groups::{
    ACCOUNT, DEVICE_ACTION, FILE, INITIATING_PROCESS, PROCESS_VERSION_INFO, REPORT, concat_columns,
};

pub(super) const COLUMNS: Columns = concat_columns![
    DEVICE_ACTION,
    FILE,
    &[("FileSize", Long)],
    PROCESS_VERSION_INFO,
    &[
        ("ProcessId", Long),
        ("ProcessCommandLine", Str),
        ("ProcessIntegrityLevel", Str),
        ("ProcessTokenElevation", Str),
        ("ProcessCreationTime", DateTime),
    ],
    ACCOUNT,
    &[("AccountUpn", Str), ("AccountObjectId", Str), ("LogonId", Long)],
    INITIATING_PROCESS,
    REPORT,
];
