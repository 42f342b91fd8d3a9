//! Loading the catalog's data files: one `<Table>.tsv` per table under `crates/sources/catalog/<source>/`,
//! each line `Column<TAB>type` in Microsoft's documented order, embedded in the binary.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use kql_types::KustoType;

use super::{COMMON_COLUMNS, TIMESTAMP, TableSchema};

/// Which reference a catalog table's schema comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CatalogSource {
    /// Microsoft Defender XDR Advanced Hunting. torhunt adds to the tables with a `Timestamp` the
    /// columns Sentinel's copy of these tables has (`TimeGenerated`, `TenantId`, `Type`,
    /// `SourceSystem`, `MachineGroup`), so the Sentinel variants of rules run on Defender data too.
    Defender,
    /// Microsoft Sentinel (Azure Monitor Logs): the columns as documented, nothing added.
    Sentinel,
}

/// `catalog_files![source => "dir": Table, ...]`: every data file, embedded, with its table name.
macro_rules! catalog_files {
    ($($source:ident => $dir:literal: [$($table:ident),* $(,)?]),* $(,)?) => {
        &[$($((
            stringify!($table),
            CatalogSource::$source,
            include_str!(concat!("../../catalog/", $dir, "/", stringify!($table), ".tsv")),
        ),)*)*]
    };
}

/// Every catalog table: its name, source and data file. A test checks that every file under
/// `catalog/` is listed here.
pub(crate) const FILES: &[(&str, CatalogSource, &str)] = catalog_files![
    Defender => "defender": [
        AADSignInEventsBeta, AADSpnSignInEventsBeta, AIAgentsInfo, AlertEvidence, AlertInfo,
        BehaviorEntities, BehaviorInfo, CampaignInfo, CloudAppEvents, CloudAuditEvents,
        CloudDnsEvents, CloudProcessEvents, CloudStorageAggregatedEvents, DataSecurityBehaviors,
        DataSecurityEvents, DeviceBaselineComplianceAssessment,
        DeviceBaselineComplianceAssessmentKB, DeviceBaselineComplianceProfiles, DeviceEvents,
        DeviceFileCertificateInfo, DeviceFileEvents, DeviceImageLoadEvents, DeviceInfo,
        DeviceLogonEvents, DeviceNetworkEvents, DeviceNetworkInfo, DeviceProcessEvents,
        DeviceRegistryEvents, DeviceTvmBrowserExtensions, DeviceTvmBrowserExtensionsKB,
        DeviceTvmCertificateInfo, DeviceTvmHardwareFirmware, DeviceTvmInfoGathering,
        DeviceTvmInfoGatheringKB, DeviceTvmSecureConfigurationAssessment,
        DeviceTvmSecureConfigurationAssessmentKB, DeviceTvmSoftwareEvidenceBeta,
        DeviceTvmSoftwareInventory, DeviceTvmSoftwareVulnerabilities,
        DeviceTvmSoftwareVulnerabilitiesKB, DisruptionAndResponseEvents, EmailAttachmentInfo,
        EmailEvents, EmailPostDeliveryEvents, EmailUrlInfo, EntraIdSignInEvents,
        EntraIdSpnSignInEvents, ExposureGraphEdges, ExposureGraphNodes,
        FileMaliciousContentInfo, GraphApiAuditEvents, IdentityAccountInfo,
        IdentityDirectoryEvents, IdentityEvents, IdentityInfo, IdentityLogonEvents,
        IdentityQueryEvents, MessageEvents, MessagePostDeliveryEvents, MessageUrlInfo,
        OAuthAppInfo, UrlClickEvents,
    ],
    Sentinel => "sentinel": [
        AADNonInteractiveUserSignInLogs, AuditLogs, AzureActivity, CommonSecurityLog,
        MicrosoftGraphActivityLogs, OfficeActivity, SecurityAlert, SecurityEvent,
        SecurityIncident, SigninLogs, Syslog, ThreatIntelligenceIndicator,
    ],
];

/// Every catalog table's schema, by name, parsed once.
pub(crate) fn schemas() -> &'static BTreeMap<String, TableSchema> {
    static SCHEMAS: OnceLock<BTreeMap<String, TableSchema>> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        FILES
            .iter()
            .map(|(name, source, text)| {
                let documented = parse(name, text);
                let schema = TableSchema::new(*name, documented);
                // Defender event tables end with the Sentinel columns they do not list, in
                // `COMMON_COLUMNS` order. Inventory tables without a `Timestamp` (DeviceTvm*, the
                // knowledge bases) get none: a time column always null would only mislead.
                let schema = match source {
                    CatalogSource::Defender if schema.index_of(TIMESTAMP).is_some() => {
                        schema.with_extra_columns(COMMON_COLUMNS.iter().map(|(n, t)| (n.to_string(), *t)))
                    }
                    CatalogSource::Defender | CatalogSource::Sentinel => schema,
                };
                (name.to_string(), schema)
            })
            .collect()
    })
}

/// Which reference a catalog table comes from.
pub fn catalog_source(table: &str) -> Option<CatalogSource> {
    FILES
        .iter()
        .find(|(name, _, _)| *name == table)
        .map(|(_, source, _)| *source)
}

/// Every catalog table as Kusto.Language's tooling reads a database schema
/// (`../shared/tools/kusto-oracle/kql-check.js --schema FILE`): `{"tables": {"T": {"Col": "type"}}}`,
/// columns in order.
pub fn kusto_language_schema() -> serde_json::Value {
    let tables: serde_json::Map<String, serde_json::Value> = schemas()
        .iter()
        .map(|(name, schema)| {
            let columns: serde_json::Map<String, serde_json::Value> = schema
                .columns()
                .iter()
                .map(|(column, kusto_type)| (column.clone(), kusto_type.name().into()))
                .collect();
            (name.clone(), columns.into())
        })
        .collect();
    serde_json::json!({ "tables": tables })
}

/// The columns of one data file. The files are part of the build and checked by tests, so a malformed
/// line is a bug in torhunt, reported with the file and line.
fn parse(table: &str, text: &str) -> Vec<(String, KustoType)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            let (column, type_name) = line
                .split_once('\t')
                .unwrap_or_else(|| panic!("catalog {table}.tsv:{}: expected `Column<TAB>type`", index + 1));
            let kusto_type = KustoType::from_name(type_name).unwrap_or_else(|| {
                panic!(
                    "catalog {table}.tsv:{}: `{type_name}` is not a Kusto type",
                    index + 1
                )
            });
            (column.to_string(), kusto_type)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;

    #[test]
    fn every_data_file_is_listed_and_well_formed() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
        let mut on_disk = BTreeSet::new();
        for source in std::fs::read_dir(&root).unwrap() {
            let source = source.unwrap().path();
            if !source.is_dir() {
                continue;
            }
            for file in std::fs::read_dir(&source).unwrap() {
                let path = file.unwrap().path();
                assert_eq!(path.extension().and_then(|e| e.to_str()), Some("tsv"), "{path:?}");
                let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
                on_disk.insert(stem);
            }
        }
        let listed: BTreeSet<String> = FILES.iter().map(|(name, _, _)| name.to_string()).collect();
        assert_eq!(on_disk, listed, "catalog/ and FILES differ");
        for (name, _, text) in FILES {
            let columns = parse(name, text);
            assert!(!columns.is_empty(), "{name}");
            let names: BTreeSet<&str> = columns.iter().map(|(c, _)| c.as_str()).collect();
            assert_eq!(names.len(), columns.len(), "{name} lists a column twice");
            for line in text.lines() {
                // Canonical type names only, so the files read the same as `getschema` output.
                let (_, type_name) = line.split_once('\t').unwrap();
                assert_eq!(
                    KustoType::from_name(type_name).unwrap().name(),
                    type_name,
                    "{name}"
                );
            }
        }
    }
}
