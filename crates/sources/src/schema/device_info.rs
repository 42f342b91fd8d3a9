//! `DeviceInfo`: columns and Kusto types from `../shared/tools/kusto-oracle/mde-schema.json` (the column types Microsoft documents for Kusto.Language).

use kql_types::KustoType::{Bool, Dynamic, Long, String as Str};

use super::Columns;
use super::groups::{DEVICE, concat_columns};

pub(super) const COLUMNS: Columns = concat_columns![
    DEVICE,
    &[
        ("ClientVersion", Str),
        ("PublicIP", Str),
        ("OSArchitecture", Str),
        ("OSPlatform", Str),
        ("OSBuild", Long),
        ("IsAzureADJoined", Bool),
        ("JoinType", Str),
        ("AadDeviceId", Str),
        ("LoggedOnUsers", Dynamic),
        ("RegistryDeviceTag", Str),
        ("OSVersion", Str),
        ("MachineGroup", Str),
        ("ReportId", Long),
        ("OnboardingStatus", Str),
        ("AdditionalFields", Dynamic),
        ("DeviceCategory", Str),
        ("DeviceType", Str),
        ("DeviceSubtype", Str),
        ("Model", Str),
        ("Vendor", Str),
        ("OSDistribution", Str),
        ("OSVersionInfo", Str),
        ("MergedDeviceIds", Str),
        ("MergedToDeviceId", Str),
        ("IsInternetFacing", Bool),
        ("SensorHealthState", Str),
        ("IsExcluded", Bool),
        ("ExclusionReason", Str),
        ("ExposureLevel", Str),
        ("AssetValue", Str),
        ("DeviceManualTags", Str),
        ("DeviceDynamicTags", Str),
        ("ConnectivityType", Str),
        ("HostDeviceId", Str),
    ],
];
