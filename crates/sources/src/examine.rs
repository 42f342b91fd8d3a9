//! What discovery learns about one file or blob before reading it: its layout, the table its path names
//! and, for Parquet, its footer. Both the local walk (`discover`) and storage listings (`remote`) examine
//! files this way, so it sits below both.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::datatypes::SchemaRef;
use torhunt_storage::{ByteSource, DateParts};

use crate::assemble::Routing;
use crate::error::{Result, SourceError};
use crate::format::{Format, sniff_source};
use crate::read::{SourceFile, read_footer};
use crate::schema::canonical_table_name;

/// Container (folder) prefixes naming the table of every file below them: the Defender Streaming API's
/// storage-account layout (`insights-logs-advancedhunting-<table>/tenantId=.../PT1H.json`) and a Log
/// Analytics workspace's data export rule, which is how Sentinel tables reach storage
/// (`am-<table>/WorkspaceResourceId=.../m=05/PT05M.json`).
const STORAGE_FOLDER_PREFIXES: &[&str] = &["insights-logs-advancedhunting-", "am-"];

/// File extensions taken when walking a directory (explicitly named files are read whatever their name).
const DATA_EXTENSIONS: &[&str] = &["json", "ndjson", "jsonl", "log", "csv", "parquet", "gz", "evtx"];

/// A file as discovery sees it: how to read it, the table it names, and a Parquet file's schema.
pub(crate) struct Examined {
    pub file: Arc<SourceFile>,
    pub table: Option<String>,
    /// A Parquet file's schema, read from its footer.
    pub footer_schema: Option<SchemaRef>,
}

/// Reads what discovery needs to know about a file: its layout, size, table and (Parquet) footer.
pub(crate) fn examine(path: PathBuf, source: ByteSource, forced_table: Option<String>) -> Result<Examined> {
    let (format, compression) = sniff_source(&source)?;
    let size = source.size().map_err(|e| SourceError::io(&path, e))?;
    let mut footer_schema = None;
    let mut row_groups = 0;
    // Zeek, Suricata and Windows records map onto several tables by their kind (and give each host
    // a DeviceInfo row), whatever the file is named; a mapping cannot put them in one table.
    if format.is_mapped()
        && let Some(table) = &forced_table
    {
        return Err(SourceError::UnsupportedFile {
            path,
            reason: format!(
                "{} records map onto their own tables (docs/mappings.md); --table {table}=PATH \
                 cannot apply to them",
                format.id()
            ),
        });
    }
    let mut table = match format.is_mapped() {
        true => None,
        false => forced_table.or_else(|| table_from_path(&path)),
    };
    if format == Format::Parquet {
        let footer = read_footer(&source)?;
        table = table.or(footer.table);
        footer_schema = Some(footer.schema);
        row_groups = footer.row_groups;
    }
    let routing = if table.is_some() {
        Routing::WholeFile
    } else {
        Routing::PerRecord
    };
    let file = Arc::new(SourceFile {
        hour_start: storage_hour(&path),
        path,
        source,
        format,
        compression,
        routing,
        size,
        row_groups,
    });
    Ok(Examined {
        file,
        table,
        footer_schema,
    })
}

/// Whether a file found in a folder is taken: a data file extension, and not hidden.
pub(crate) fn is_data_file(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    !name.starts_with('.')
        && name
            .rsplit_once('.')
            .is_some_and(|(_, e)| DATA_EXTENSIONS.iter().any(|d| e.eq_ignore_ascii_case(d)))
}

/// The table a path names: a storage folder, the file stem, or the parent folder.
pub(crate) fn table_from_path(path: &Path) -> Option<String> {
    let storage_table = path.components().find_map(|c| match c {
        Component::Normal(name) => {
            let name = name.to_string_lossy();
            // An abfss:// URL names the container as `<container>@<account>.dfs.core.windows.net`.
            let container = name.split('@').next().unwrap_or_default();
            let lower = container.to_ascii_lowercase();
            STORAGE_FOLDER_PREFIXES
                .iter()
                .find_map(|prefix| lower.strip_prefix(prefix).and_then(canonical_table_name))
        }
        _ => None,
    });
    let file_name = path.file_name()?.to_string_lossy();
    let stem = file_name.split('.').next().unwrap_or_default();
    let parent = path
        .parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned());
    storage_table
        .or_else(|| canonical_table_name(stem))
        .or_else(|| parent.as_deref().and_then(canonical_table_name))
        .map(str::to_string)
}

/// The hour a storage folder `.../y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json` holds.
fn storage_hour(path: &Path) -> Option<i64> {
    DateParts::of_segments(path.iter().filter_map(|c| c.to_str())).hour_start()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_come_from_folder_stem_or_parent() {
        let storage = Path::new(
            "/x/insights-logs-advancedhunting-devicenetworkevents/tenantId=t/y=2024/m=05/d=01/h=13/m=00/PT1H.json",
        );
        assert_eq!(table_from_path(storage).as_deref(), Some("DeviceNetworkEvents"));
        assert_eq!(
            table_from_path(Path::new("/x/DeviceInfo.csv.gz")).as_deref(),
            Some("DeviceInfo")
        );
        assert_eq!(
            table_from_path(Path::new("/x/DeviceEvents/part-0.parquet")).as_deref(),
            Some("DeviceEvents")
        );
        assert_eq!(table_from_path(Path::new("/x/export.csv")), None);
        // A Log Analytics data export rule writes five-minute blobs into `am-<table>` containers.
        let export = Path::new(
            "/x/am-securityevent/WorkspaceResourceId=/subscriptions/s/resourcegroups/rg/providers/\
             microsoft.operationalinsights/workspaces/w/y=2024/m=05/d=01/h=13/m=05/PT05M.json",
        );
        assert_eq!(table_from_path(export).as_deref(), Some("SecurityEvent"));
        assert_eq!(storage_hour(export), storage_hour(storage));
        assert_eq!(table_from_path(Path::new("/x/am-nosuchtable/PT05M.json")), None);
        // 2024-05-01T13:00:00Z
        assert_eq!(storage_hour(storage), Some(1_714_568_400 * 1_000_000_000));
        assert_eq!(storage_hour(Path::new("/x/export.csv")), None);
    }
}
