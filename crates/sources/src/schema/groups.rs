//! Column groups that several Advanced Hunting tables share, each defined once, and
//! [`concat_columns!`] to compose a table (or a larger group) from them at compile time. Tables list
//! their own columns between the groups, so each keeps Microsoft's documented column order.

use kql_types::KustoType::{self, Bool, DateTime, Dynamic, Long, String as Str};

use super::Columns;

/// One column: its name and Kusto type.
pub(super) type Column = (&'static str, KustoType);

/// How many columns `groups` hold together.
pub(super) const fn total_len(groups: &[Columns]) -> usize {
    let mut total = 0;
    let mut group = 0;
    while group < groups.len() {
        total += groups[group].len();
        group += 1;
    }
    total
}

/// The columns of `groups` in order; `N` must be [`total_len`] of them (the macro ensures it).
pub(super) const fn concat<const N: usize>(groups: &[Columns]) -> [Column; N] {
    let mut columns = [("", KustoType::String); N];
    let mut filled = 0;
    let mut group = 0;
    while group < groups.len() {
        let mut column = 0;
        while column < groups[group].len() {
            columns[filled] = groups[group][column];
            filled += 1;
            column += 1;
        }
        group += 1;
    }
    assert!(filled == N, "concat: N differs from the groups' column count");
    columns
}

/// `concat_columns![GROUP, &[(name, type), ...], ...]`: the [`Columns`] of the groups in order.
macro_rules! concat_columns {
    ($($group:expr),+ $(,)?) => {{
        const GROUPS: &[$crate::schema::Columns] = &[$($group),+];
        const COLUMNS: [$crate::schema::groups::Column; $crate::schema::groups::total_len(GROUPS)] =
            $crate::schema::groups::concat(GROUPS);
        &COLUMNS
    }};
}
pub(super) use concat_columns;

/// The `<prefix>VersionInfo*` columns: the version resource of a process's image file.
macro_rules! version_info {
    ($prefix:literal) => {
        &[
            (concat!($prefix, "VersionInfoCompanyName"), Str),
            (concat!($prefix, "VersionInfoProductName"), Str),
            (concat!($prefix, "VersionInfoProductVersion"), Str),
            (concat!($prefix, "VersionInfoInternalFileName"), Str),
            (concat!($prefix, "VersionInfoOriginalFileName"), Str),
            (concat!($prefix, "VersionInfoFileDescription"), Str),
        ]
    };
}

/// The device a record comes from; every table starts with these.
pub(super) const DEVICE: Columns = &[("Timestamp", DateTime), ("DeviceId", Str), ("DeviceName", Str)];

/// The start of every event table: the device, then what happened.
pub(super) const DEVICE_ACTION: Columns = concat_columns![DEVICE, &[("ActionType", Str)]];

/// The file an event is about.
pub(super) const FILE: Columns = &[
    ("FileName", Str),
    ("FolderPath", Str),
    ("SHA1", Str),
    ("SHA256", Str),
    ("MD5", Str),
];

/// The account an event is about (the first three `Account*` columns).
pub(super) const ACCOUNT: Columns = &[("AccountDomain", Str), ("AccountName", Str), ("AccountSid", Str)];

pub(super) const PROCESS_VERSION_INFO: Columns = version_info!("Process");

/// The initiating process's image file, hashes first.
pub(super) const INITIATING_PROCESS_FILE: Columns = &[
    ("InitiatingProcessSHA1", Str),
    ("InitiatingProcessSHA256", Str),
    ("InitiatingProcessMD5", Str),
    ("InitiatingProcessFileName", Str),
    ("InitiatingProcessFileSize", Long),
];

pub(super) const INITIATING_PROCESS_VERSION_INFO: Columns = version_info!("InitiatingProcess");

/// How the initiating process was started.
pub(super) const INITIATING_PROCESS_LAUNCH: Columns = &[
    ("InitiatingProcessId", Long),
    ("InitiatingProcessCommandLine", Str),
    ("InitiatingProcessCreationTime", DateTime),
];

/// The initiating process's parent.
pub(super) const INITIATING_PROCESS_PARENT: Columns = &[
    ("InitiatingProcessParentId", Long),
    ("InitiatingProcessParentFileName", Str),
    ("InitiatingProcessParentCreationTime", DateTime),
];

/// The account the initiating process ran as.
pub(super) const INITIATING_PROCESS_ACCOUNT: Columns = &[
    ("InitiatingProcessAccountDomain", Str),
    ("InitiatingProcessAccountName", Str),
    ("InitiatingProcessAccountSid", Str),
    ("InitiatingProcessAccountUpn", Str),
    ("InitiatingProcessAccountObjectId", Str),
];

/// The initiating process's integrity level and token elevation.
pub(super) const INITIATING_PROCESS_TOKEN: Columns = &[
    ("InitiatingProcessIntegrityLevel", Str),
    ("InitiatingProcessTokenElevation", Str),
];

/// Every initiating-process column, in the order `DeviceNetworkEvents` and `DeviceProcessEvents` list
/// them (the parent's file name before its id).
pub(super) const INITIATING_PROCESS: Columns = concat_columns![
    INITIATING_PROCESS_FILE,
    INITIATING_PROCESS_VERSION_INFO,
    INITIATING_PROCESS_LAUNCH,
    &[
        ("InitiatingProcessFolderPath", Str),
        ("InitiatingProcessParentFileName", Str),
        ("InitiatingProcessParentId", Long),
        ("InitiatingProcessParentCreationTime", DateTime),
    ],
    INITIATING_PROCESS_ACCOUNT,
    INITIATING_PROCESS_TOKEN,
];

/// The report an event came in and its extra fields.
pub(super) const REPORT: Columns = &[
    ("ReportId", Long),
    ("AppGuardContainerId", Str),
    ("AdditionalFields", Dynamic),
];

/// Whether the initiating process ran in a remote session, and from where.
pub(super) const INITIATING_PROCESS_REMOTE_SESSION: Columns = &[
    ("InitiatingProcessSessionId", Long),
    ("IsInitiatingProcessRemoteSession", Bool),
    ("InitiatingProcessRemoteSessionDeviceName", Str),
    ("InitiatingProcessRemoteSessionIP", Str),
];
