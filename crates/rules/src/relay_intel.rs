//! Plugs the Tor relay intel store into an engine (a hunt's or query's session, a rule test's): the
//! seed rule's relay-list URLs are served from the store (rendered in the `TorRelayIPs.csv` layout),
//! the `TorRelays` table lists every address interval the store knows, and `tor_relay_at` /
//! `tor_relay_info` answer from it.

use std::sync::Arc;

use datafusion::datasource::MemTable;
use datafusion::error::{DataFusionError, Result};
use torhunt_engine::{Engine, RegisteredTable, ResultColumn, UrlContent};
use torhunt_intel::Store;
use torhunt_intel::render::{TORRELAYS_TABLE, render_torrelayips_csv, torrelays_batch, torrelays_schema};

/// Where detection content fetches `TorRelayIPs.csv` today (10 columns, one row per OR address).
pub const RELAY_LIST_URL: &str = "https://torinfo.blob.core.windows.net/public/TorRelayIPs.csv";

/// The older location, whose file has 12 columns: `Nickname, Fingerprint, EntryAddress, IPv4Address,
/// IPv4Port, IPv6Address, AddressType, Hostname, CountryCode, IsRunning, RelayPublishDate,
/// LastChangedIPData` (the layout its published hunting query declares).
pub const LEGACY_RELAY_LIST_URL: &str = "https://msde.blob.core.windows.net/public/TorRelayIPs.csv";

/// Serves the relay-list URLs from the store's newest view, as the published file is always the
/// current list; rules that must judge an old connection by the relays of its day use `tor_relay_at`.
struct RelayListFromStore {
    store: Arc<Store>,
}

impl UrlContent for RelayListFromStore {
    fn content(&self, url: &str) -> Option<Result<Vec<u8>>> {
        if url != RELAY_LIST_URL && url != LEGACY_RELAY_LIST_URL {
            return None;
        }
        if self.store.newest_snapshot().is_none() {
            return Some(Err(DataFusionError::Plan(format!(
                "externaldata `{url}` is the Tor relay list, which torhunt builds from its intel store, and the \
                 store is empty: run `torhunt intel update` (online) or `torhunt intel import FILE...`, or map \
                 the URL to a local copy with `--externaldata {url}=PATH`"
            ))));
        }
        let current = render_torrelayips_csv(&self.store, None);
        if url == LEGACY_RELAY_LIST_URL {
            return Some(legacy_layout(&current));
        }
        Some(Ok(current.into_bytes()))
    }
}

/// Rewrites the current 10-column list in the legacy 12-column layout: the address goes to
/// `IPv4Address` (with its port in `IPv4Port`) or `IPv6Address` by `AddressType`; the store has no
/// relay publish date, so `RelayPublishDate` is empty.
fn legacy_layout(current: &str) -> Result<Vec<u8>> {
    let error = |e: csv::Error| DataFusionError::Execution(format!("rendering the legacy relay list: {e}"));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(current.as_bytes());
    let mut writer = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer
        .write_record([
            "Nickname",
            "Fingerprint",
            "EntryAddress",
            "IPv4Address",
            "IPv4Port",
            "IPv6Address",
            "AddressType",
            "Hostname",
            "CountryCode",
            "IsRunning",
            "RelayPublishDate",
            "LastChangedIPData",
        ])
        .map_err(error)?;
    for record in reader.records().skip(1) {
        let record = record.map_err(error)?;
        let field = |i: usize| record.get(i).unwrap_or("");
        let ipv4 = field(5) == "IPv4";
        let (v4, v4_port, v6) = if ipv4 {
            (field(3), field(4), "")
        } else {
            ("", "", field(3))
        };
        writer
            .write_record([
                field(0),
                field(1),
                field(2),
                v4,
                v4_port,
                v6,
                field(5),
                field(6),
                field(7),
                field(8),
                "",
                field(9),
            ])
            .map_err(error)?;
    }
    writer
        .into_inner()
        .map_err(|e| DataFusionError::Execution(format!("rendering the legacy relay list: {e}")))
}

/// Registers the store's relay list, `TorRelays` table and functions with the engine.
pub fn register(engine: &mut Engine, store: Arc<Store>) -> Result<()> {
    engine
        .external_data_mut()
        .add_provider(Arc::new(RelayListFromStore {
            store: Arc::clone(&store),
        }));
    let batch = torrelays_batch(&store)?;
    let schema = torrelays_schema();
    let columns = schema
        .fields()
        .iter()
        .filter_map(|f| kql_types::KustoType::of_field(f).map(|ty| ResultColumn::new(f.name().clone(), ty)))
        .collect();
    let table = MemTable::try_new(schema, vec![vec![batch]])?;
    engine.register_table(
        TORRELAYS_TABLE,
        RegisteredTable {
            provider: Arc::new(table),
            columns,
        },
    );
    for (signature, udf) in torhunt_intel::udf::udfs(store) {
        engine.register_function(signature, udf);
    }
    Ok(())
}
