//! The tables and columns the generator writes (the columns Defender fills for these events, in the
//! Advanced Hunting schema's order; readers fill the rest), and one row as values in column order.

use std::borrow::Cow;

use serde::ser::{Serialize, SerializeMap, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Table {
    DeviceInfo,
    DeviceNetworkEvents,
    DeviceProcessEvents,
    DeviceEvents,
    DeviceFileEvents,
    DeviceRegistryEvents,
    DeviceImageLoadEvents,
    DeviceLogonEvents,
    DeviceNetworkInfo,
    DeviceFileCertificateInfo,
}

impl Table {
    pub const ALL: [Table; 10] = [
        Table::DeviceInfo,
        Table::DeviceNetworkEvents,
        Table::DeviceProcessEvents,
        Table::DeviceEvents,
        Table::DeviceFileEvents,
        Table::DeviceRegistryEvents,
        Table::DeviceImageLoadEvents,
        Table::DeviceLogonEvents,
        Table::DeviceNetworkInfo,
        Table::DeviceFileCertificateInfo,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Table::DeviceInfo => "DeviceInfo",
            Table::DeviceNetworkEvents => "DeviceNetworkEvents",
            Table::DeviceProcessEvents => "DeviceProcessEvents",
            Table::DeviceEvents => "DeviceEvents",
            Table::DeviceFileEvents => "DeviceFileEvents",
            Table::DeviceRegistryEvents => "DeviceRegistryEvents",
            Table::DeviceImageLoadEvents => "DeviceImageLoadEvents",
            Table::DeviceLogonEvents => "DeviceLogonEvents",
            Table::DeviceNetworkInfo => "DeviceNetworkInfo",
            Table::DeviceFileCertificateInfo => "DeviceFileCertificateInfo",
        }
    }

    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Table::DeviceInfo => DEVICE_INFO,
            Table::DeviceNetworkEvents => DEVICE_NETWORK_EVENTS,
            Table::DeviceProcessEvents => DEVICE_PROCESS_EVENTS,
            Table::DeviceEvents => DEVICE_EVENTS,
            Table::DeviceFileEvents => DEVICE_FILE_EVENTS,
            Table::DeviceRegistryEvents => DEVICE_REGISTRY_EVENTS,
            Table::DeviceImageLoadEvents => DEVICE_IMAGE_LOAD_EVENTS,
            Table::DeviceLogonEvents => DEVICE_LOGON_EVENTS,
            Table::DeviceNetworkInfo => DEVICE_NETWORK_INFO,
            Table::DeviceFileCertificateInfo => DEVICE_FILE_CERTIFICATE_INFO,
        }
    }
}

/// File events; image loads fill the same columns (`activity::Activity::initiating` the process ones).
const DEVICE_FILE_EVENTS: &[&str] = &[
    "Timestamp",
    "DeviceId",
    "DeviceName",
    "ActionType",
    "FileName",
    "FolderPath",
    "SHA1",
    "SHA256",
    "MD5",
    "FileSize",
    "InitiatingProcessAccountDomain",
    "InitiatingProcessAccountName",
    "InitiatingProcessAccountSid",
    "InitiatingProcessFileName",
    "InitiatingProcessFolderPath",
    "InitiatingProcessId",
    "InitiatingProcessCommandLine",
    "ReportId",
];

const DEVICE_IMAGE_LOAD_EVENTS: &[&str] = DEVICE_FILE_EVENTS;

const DEVICE_REGISTRY_EVENTS: &[&str] = &[
    "Timestamp",
    "DeviceId",
    "DeviceName",
    "ActionType",
    "RegistryKey",
    "RegistryValueType",
    "RegistryValueName",
    "RegistryValueData",
    "InitiatingProcessAccountDomain",
    "InitiatingProcessAccountName",
    "InitiatingProcessAccountSid",
    "InitiatingProcessFileName",
    "InitiatingProcessFolderPath",
    "InitiatingProcessId",
    "InitiatingProcessCommandLine",
    "ReportId",
];

const DEVICE_EVENTS: &[&str] = &[
    "Timestamp",
    "DeviceId",
    "DeviceName",
    "ActionType",
    "FileName",
    "FolderPath",
    "AccountDomain",
    "AccountName",
    "AccountSid",
    "InitiatingProcessFileName",
    "InitiatingProcessFolderPath",
    "InitiatingProcessId",
    "InitiatingProcessCommandLine",
    "AdditionalFields",
    "ReportId",
];

const DEVICE_LOGON_EVENTS: &[&str] = &[
    "Timestamp",
    "DeviceId",
    "DeviceName",
    "ActionType",
    "LogonType",
    "AccountDomain",
    "AccountName",
    "AccountSid",
    "Protocol",
    "FailureReason",
    "IsLocalAdmin",
    "LogonId",
    "RemoteIP",
    "RemoteIPType",
    "RemotePort",
    "ReportId",
];

const DEVICE_NETWORK_INFO: &[&str] = &[
    "Timestamp",
    "DeviceId",
    "DeviceName",
    "NetworkAdapterName",
    "MacAddress",
    "NetworkAdapterType",
    "NetworkAdapterStatus",
    "TunnelType",
    "ConnectedNetworks",
    "DnsAddresses",
    "IPv4Dhcp",
    "DefaultGateways",
    "IPAddresses",
    "ReportId",
];

const DEVICE_FILE_CERTIFICATE_INFO: &[&str] = &[
    "Timestamp",
    "DeviceId",
    "DeviceName",
    "SHA1",
    "IsSigned",
    "SignatureType",
    "Signer",
    "SignerHash",
    "Issuer",
    "IssuerHash",
    "CertificateSerialNumber",
    "CertificateCreationTime",
    "CertificateExpirationTime",
    "IsTrusted",
    "IsRootSignerMicrosoft",
    "ReportId",
];

const DEVICE_INFO: &[&str] = &[
    "Timestamp",
    "DeviceId",
    "DeviceName",
    "ClientVersion",
    "PublicIP",
    "OSArchitecture",
    "OSPlatform",
    "OSBuild",
    "IsAzureADJoined",
    "JoinType",
    "AadDeviceId",
    "LoggedOnUsers",
    "MachineGroup",
    "OSVersion",
    "OnboardingStatus",
    "DeviceCategory",
    "DeviceType",
    "Model",
    "Vendor",
    "OSDistribution",
    "ReportId",
];

const DEVICE_NETWORK_EVENTS: &[&str] = &[
    "Timestamp",
    "DeviceId",
    "DeviceName",
    "ActionType",
    "RemoteIP",
    "RemotePort",
    "RemoteUrl",
    "LocalIP",
    "LocalPort",
    "Protocol",
    "LocalIPType",
    "RemoteIPType",
    "InitiatingProcessSHA1",
    "InitiatingProcessSHA256",
    "InitiatingProcessMD5",
    "InitiatingProcessFileName",
    "InitiatingProcessFileSize",
    "InitiatingProcessVersionInfoCompanyName",
    "InitiatingProcessVersionInfoProductName",
    "InitiatingProcessVersionInfoProductVersion",
    "InitiatingProcessVersionInfoOriginalFileName",
    "InitiatingProcessVersionInfoFileDescription",
    "InitiatingProcessId",
    "InitiatingProcessCommandLine",
    "InitiatingProcessCreationTime",
    "InitiatingProcessFolderPath",
    "InitiatingProcessParentFileName",
    "InitiatingProcessParentId",
    "InitiatingProcessParentCreationTime",
    "InitiatingProcessAccountDomain",
    "InitiatingProcessAccountName",
    "InitiatingProcessAccountSid",
    "InitiatingProcessAccountUpn",
    "InitiatingProcessAccountObjectId",
    "InitiatingProcessIntegrityLevel",
    "InitiatingProcessTokenElevation",
    "ReportId",
    "AppGuardContainerId",
    "AdditionalFields",
];

const DEVICE_PROCESS_EVENTS: &[&str] = &[
    "Timestamp",
    "DeviceId",
    "DeviceName",
    "ActionType",
    "FileName",
    "FolderPath",
    "SHA1",
    "SHA256",
    "MD5",
    "FileSize",
    "ProcessVersionInfoCompanyName",
    "ProcessVersionInfoProductName",
    "ProcessVersionInfoOriginalFileName",
    "ProcessId",
    "ProcessCommandLine",
    "ProcessIntegrityLevel",
    "ProcessTokenElevation",
    "ProcessCreationTime",
    "AccountDomain",
    "AccountName",
    "AccountSid",
    "AccountUpn",
    "InitiatingProcessFileName",
    "InitiatingProcessFolderPath",
    "InitiatingProcessId",
    "InitiatingProcessCommandLine",
    "InitiatingProcessAccountName",
    "ReportId",
];

/// One value. Instants are microseconds since the Unix epoch: every layout (and DuckDB, which the
/// benchmark compares with) then reads them exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field<'a> {
    Null,
    Text(Cow<'a, str>),
    Number(i64),
    Bool(bool),
    Time(i64),
}

impl Field<'_> {
    pub fn into_owned(self) -> Field<'static> {
        match self {
            Field::Null => Field::Null,
            Field::Text(text) => Field::Text(Cow::Owned(text.into_owned())),
            Field::Number(number) => Field::Number(number),
            Field::Bool(value) => Field::Bool(value),
            Field::Time(micros) => Field::Time(micros),
        }
    }

    /// The value as a CSV export writes it (empty for null).
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Field::Null => Cow::Borrowed(""),
            Field::Text(text) => Cow::Borrowed(text.as_ref()),
            Field::Number(number) => Cow::Owned(number.to_string()),
            Field::Bool(true) => Cow::Borrowed("true"),
            Field::Bool(false) => Cow::Borrowed("false"),
            Field::Time(micros) => Cow::Owned(iso_time(*micros)),
        }
    }
}

impl Serialize for Field<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Null => serializer.serialize_none(),
            Field::Text(text) => serializer.serialize_str(text),
            Field::Number(number) => serializer.serialize_i64(*number),
            Field::Bool(value) => serializer.serialize_bool(*value),
            Field::Time(micros) => serializer.serialize_str(&iso_time(*micros)),
        }
    }
}

pub const MICROS_PER_SECOND: i64 = 1_000_000;

/// `2024-05-01T10:00:00.1234560Z`: ISO 8601 UTC with Kusto's seven fractional digits, as Defender writes
/// it (the seventh digit is always 0: instants are whole microseconds).
pub fn iso_time(micros: i64) -> String {
    chrono::DateTime::from_timestamp_micros(micros)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.6f0Z").to_string())
        .unwrap_or_default()
}

/// A row of a table: one field per column of [`Table::columns`], in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row<'a> {
    pub table: Table,
    pub fields: Vec<Field<'a>>,
}

impl Row<'_> {
    pub fn into_owned(self) -> Row<'static> {
        Row {
            table: self.table,
            fields: self.fields.into_iter().map(Field::into_owned).collect(),
        }
    }

    /// The `Timestamp` (first column), in microseconds.
    pub fn time(&self) -> i64 {
        match self.fields.first() {
            Some(Field::Time(micros)) => *micros,
            _ => 0,
        }
    }

    /// The row as a flat JSON object of columns, written without building a `Value`.
    pub fn columns(&self) -> Columns<'_> {
        Columns(self)
    }
}

/// Serializes a row as `{"Column": value, ...}`.
pub struct Columns<'a>(&'a Row<'a>);

impl Serialize for Columns<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let row = self.0;
        let mut map = serializer.serialize_map(Some(row.fields.len()))?;
        for (column, field) in row.table.columns().iter().zip(&row.fields) {
            map.serialize_entry(column, field)?;
        }
        map.end()
    }
}
