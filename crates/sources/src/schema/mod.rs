//! The table catalog: the Kusto schema of every Microsoft Defender XDR Advanced Hunting table and of
//! the Microsoft Sentinel tables hunters use, kept as data (`crates/sources/catalog/`, see its README
//! for where each schema comes from), and how a record whose table is not named anywhere is routed to
//! one (by its `ActionType`).

mod catalog;

pub use catalog::{CatalogSource, catalog_source, kusto_language_schema};

use datafusion::arrow::datatypes::{Schema, SchemaRef};
use kql_types::KustoType;

type Columns = &'static [(&'static str, KustoType)];

/// Columns every table has in Sentinel (and that torhunt fills for Defender data): `TimeGenerated` mirrors
/// `Timestamp` when only one of them is present, `Type` is the table name when absent.
pub const TIMESTAMP: &str = "Timestamp";
pub const TIME_GENERATED: &str = "TimeGenerated";
pub const TENANT_ID: &str = "TenantId";
pub const TYPE: &str = "Type";
pub const ACTION_TYPE: &str = "ActionType";

/// Columns present in every table, known or not, with their Kusto types.
const COMMON_COLUMNS: Columns = &[
    (TIMESTAMP, KustoType::DateTime),
    (TIME_GENERATED, KustoType::DateTime),
    (TENANT_ID, KustoType::String),
    (TYPE, KustoType::String),
    ("SourceSystem", KustoType::String),
    ("MachineGroup", KustoType::String),
];

/// A table's columns in order, each with its Kusto type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSchema {
    name: String,
    columns: Vec<(String, KustoType)>,
}

impl TableSchema {
    pub fn new(name: impl Into<String>, columns: Vec<(String, KustoType)>) -> TableSchema {
        TableSchema {
            name: name.into(),
            columns,
        }
    }

    /// The schema of a table torhunt has no built-in schema for: only the common columns.
    pub fn minimal(name: &str) -> TableSchema {
        TableSchema::new(
            name,
            COMMON_COLUMNS.iter().map(|(n, t)| (n.to_string(), *t)).collect(),
        )
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn columns(&self) -> &[(String, KustoType)] {
        &self.columns
    }

    pub fn index_of(&self, column: &str) -> Option<usize> {
        self.columns.iter().position(|(n, _)| n == column)
    }

    pub fn kusto_type(&self, column: &str) -> Option<KustoType> {
        self.index_of(column).map(|i| self.columns[i].1)
    }

    /// Appends columns found in the data that the schema lacks (kept rather than dropped).
    pub fn with_extra_columns(mut self, extra: impl IntoIterator<Item = (String, KustoType)>) -> TableSchema {
        for (name, kusto_type) in extra {
            if self.index_of(&name).is_none() {
                self.columns.push((name, kusto_type));
            }
        }
        self
    }

    /// The Arrow schema, each field tagged with its Kusto type.
    pub fn arrow_schema(&self) -> SchemaRef {
        SchemaRef::new(Schema::new(
            self.columns
                .iter()
                .map(|(name, t)| t.field(name.as_str()))
                .collect::<Vec<_>>(),
        ))
    }
}

/// The built-in schema of a catalog table (exact, case-sensitive name as in KQL).
pub fn builtin_schema(table: &str) -> Option<&'static TableSchema> {
    catalog::schemas().get(table)
}

/// Every catalog table, by name.
pub fn known_tables() -> impl Iterator<Item = &'static str> {
    catalog::schemas().keys().map(String::as_str)
}

/// The canonical spelling of a catalog table's name given in any letter case.
pub fn canonical_table_name(name: &str) -> Option<&'static str> {
    known_tables().find(|t| t.eq_ignore_ascii_case(name))
}

/// Each table's documented `ActionType`s (see [`table_for_action_type`]).
const ACTION_TYPES_BY_TABLE: &[(&str, &[&str])] = &[
    (
        "DeviceNetworkEvents",
        &[
            "ConnectionAcknowledged",
            "ConnectionAttempt",
            "ConnectionFailed",
            "ConnectionFound",
            "ConnectionRequest",
            "ConnectionSuccess",
            "DnsConnectionInspected",
            "FtpConnectionInspected",
            "HttpConnectionInspected",
            "IcmpConnectionInspected",
            "InboundConnectionAccepted",
            "InboundInternetScanInspected",
            "ListeningConnectionCreated",
            "NetworkSignatureInspected",
            "NtlmAuthenticationInspected",
            "SmtpConnectionInspected",
            "SshConnectionInspected",
            "SslConnectionInspected",
        ],
    ),
    ("DeviceProcessEvents", &["ProcessCreated"]),
    (
        "DeviceFileEvents",
        &["FileCreated", "FileDeleted", "FileModified", "FileRenamed"],
    ),
    (
        "DeviceLogonEvents",
        &["LogonAttempted", "LogonFailed", "LogonSuccess"],
    ),
    ("DeviceImageLoadEvents", &["ImageLoaded"]),
    (
        "DeviceRegistryEvents",
        &[
            "RegistryKeyCreated",
            "RegistryKeyDeleted",
            "RegistryKeyRenamed",
            "RegistryValueDeleted",
            "RegistrySetValue",
            "RegistryValueSet",
        ],
    ),
    (
        "UrlClickEvents",
        &[
            "ClickAllowed",
            "ClickBlocked",
            "ClickBlockedByTenantPolicy",
            "UrlErrorPage",
        ],
    ),
    (
        "DeviceEvents",
        &[
            "AuditPolicyModification",
            "BrowserLaunchedToOpenUrl",
            "ControlledFolderAccessViolationAudited",
            "ControlledFolderAccessViolationBlocked",
            "CreateRemoteThreadApiCall",
            "DnsQueryResponse",
            "DpapiAccessed",
            "DriverLoad",
            "GetAsyncKeyStateApiCall",
            "GetClipboardData",
            "LdapSearch",
            "LogonRightsSettingEnabled",
            "MemoryRemoteProtect",
            "NamedPipeEvent",
            "NtAllocateVirtualMemoryApiCall",
            "NtAllocateVirtualMemoryRemoteApiCall",
            "NtMapViewOfSectionRemoteApiCall",
            "NtProtectVirtualMemoryApiCall",
            "OpenProcessApiCall",
            "OtherAlertRelatedActivity",
            "PnpDeviceAllowed",
            "PnpDeviceBlocked",
            "PnpDeviceConnected",
            "PowerShellCommand",
            "ProcessCreatedUsingWmiQuery",
            "QueueUserApcRemoteApiCall",
            "ReadProcessMemoryApiCall",
            "RemoteDesktopConnection",
            "RemoteWmiOperation",
            "ScreenshotTaken",
            "ScriptContent",
            "SecurityGroupCreated",
            "SecurityGroupDeleted",
            "SecurityLogCleared",
            "ServiceInstalled",
            "SetThreadContextRemoteApiCall",
            "ShellLinkCreateFileEvent",
            "TamperingAttempt",
            "UntrustedWifiConnection",
            "UsbDriveMount",
            "UsbDriveMounted",
            "UsbDriveUnmount",
            "UserAccountAddedToLocalGroup",
            "UserAccountCreated",
            "UserAccountDeleted",
            "UserAccountModified",
            "UserAccountRemovedFromLocalGroup",
            "WmiBindEventFilterToConsumer",
            "WriteProcessMemoryApiCall",
            "WriteToLsassProcessMemory",
        ],
    ),
];
/// `ActionType` prefixes whose whole family is `DeviceEvents`.
const DEVICE_EVENTS_FAMILIES: &[&str] = &[
    "Antivirus",
    "AppControl",
    "Asr",
    "ExploitGuard",
    "Firewall",
    "ScheduledTask",
    "SmartScreen",
];

/// Whether some `ActionType` routes a record to `table` (else only its `category` or `Type` can).
pub fn routed_by_action_type(table: &str) -> bool {
    table == "DeviceEvents" || ACTION_TYPES_BY_TABLE.iter().any(|(t, _)| *t == table)
}

/// The table a record belongs to, judged by its `ActionType`.
///
/// Every documented `ActionType` belongs to exactly one Advanced Hunting table, so a portal export that
/// unions several tables (one CSV, one header) can be split back into them. The lists follow the in-portal
/// schema reference; whole families share a prefix (`Asr*`, `Antivirus*`, ... are all `DeviceEvents`).
pub fn table_for_action_type(action_type: &str) -> Option<&'static str> {
    ACTION_TYPES_BY_TABLE
        .iter()
        .find(|(_, actions)| actions.contains(&action_type))
        .map(|(table, _)| *table)
        .or_else(|| {
            DEVICE_EVENTS_FAMILIES
                .iter()
                .any(|p| action_type.starts_with(p))
                .then_some("DeviceEvents")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_table_has_the_sentinel_columns_once() {
        for table in known_tables().filter(|t| catalog_source(t) == Some(CatalogSource::Defender)) {
            let schema = builtin_schema(table).expect("listed tables have schemas");
            if schema.index_of(TIMESTAMP).is_none() {
                assert!(schema.index_of(TIME_GENERATED).is_none(), "{table}");
                continue;
            }
            for (column, kusto_type) in COMMON_COLUMNS {
                assert_eq!(schema.kusto_type(column), Some(*kusto_type), "{table}.{column}");
                assert_eq!(schema.columns().iter().filter(|(n, _)| n == column).count(), 1);
            }
        }
    }

    #[test]
    fn documented_types_are_kept() {
        // Microsoft documents RemotePort as int, ReportId as long, AdditionalFields as dynamic.
        let network = builtin_schema("DeviceNetworkEvents").unwrap();
        assert_eq!(network.kusto_type("RemotePort"), Some(KustoType::Int));
        assert_eq!(network.kusto_type("ReportId"), Some(KustoType::Long));
        assert_eq!(network.kusto_type("AdditionalFields"), Some(KustoType::Dynamic));
        assert_eq!(
            builtin_schema("DeviceInfo").unwrap().kusto_type("LoggedOnUsers"),
            Some(KustoType::Dynamic)
        );
        assert_eq!(
            builtin_schema("DeviceLogonEvents")
                .unwrap()
                .kusto_type("IsLocalAdmin"),
            Some(KustoType::Bool)
        );
        // Where the Defender pages and the generated Azure Monitor reference disagree (catalog/README.md).
        assert_eq!(
            builtin_schema("CloudAppEvents").unwrap().kusto_type("ISP"),
            Some(KustoType::String)
        );
        assert_eq!(
            builtin_schema("DeviceTvmSoftwareVulnerabilitiesKB")
                .unwrap()
                .kusto_type("CvssScore"),
            Some(KustoType::Real)
        );
        assert!(builtin_schema("devicenetworkevents").is_none());
    }

    #[test]
    fn action_types_route_to_their_tables() {
        assert_eq!(
            table_for_action_type("ConnectionSuccess"),
            Some("DeviceNetworkEvents")
        );
        assert_eq!(
            table_for_action_type("AsrLsassCredentialTheftBlocked"),
            Some("DeviceEvents")
        );
        assert_eq!(table_for_action_type("LogonFailed"), Some("DeviceLogonEvents"));
        assert_eq!(table_for_action_type("SomethingNew"), None);
        assert_eq!(
            canonical_table_name("devicenetworkevents"),
            Some("DeviceNetworkEvents")
        );
    }
}
