//! Engines over real telemetry: the shared MDE fixtures and a generated fleet.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::arrow::util::pretty::pretty_format_batches;
use torhunt_engine::{Engine, EngineConfig};
use torhunt_intel::{Format, ImportOptions, ParseContext, Store, parse_document};
use torhunt_rules::relay_intel;
use torhunt_rules::testing::register_tables;
use torhunt_sources::{DataSet, ReadOptions, ReadReport};
use torhunt_synth::{FleetConfig, Layout, Manifest, generate};

/// `../shared`, or `None` (the caller skips, and this says so) when it is absent.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if !dir.is_dir() {
        eprintln!("skipping: ../shared not found");
        return None;
    }
    Some(dir)
}

/// The fleet's relays as the relay list of the day before its end: the store the tests' engines and
/// cluster answer `tor_relay_at` from (the same digest each time it is built).
pub fn relay_store() -> Store {
    let list: String = fleet()
        .manifest
        .relays
        .iter()
        .map(|r| format!("{}\n", r.address))
        .collect();
    let context = ParseContext {
        source: "the fleet's relays".to_string(),
        time: Some(chrono::DateTime::from_timestamp(1_714_521_600, 0).unwrap()),
    };
    let parsed = parse_document(list.as_bytes(), Format::RelayList, &context).unwrap();
    let mut store = Store::default();
    store.import(&parsed, ImportOptions::default());
    store
}

/// The demo's small fleet, generated once per run in two layouts: portal CSV and Event Hub JSON.
pub struct Fleet {
    _root: tempfile::TempDir,
    pub manifest: Manifest,
    /// The telemetry folder of each layout.
    pub dirs: Vec<PathBuf>,
}

pub fn fleet() -> &'static Fleet {
    static FLEET: OnceLock<Fleet> = OnceLock::new();
    FLEET.get_or_init(|| {
        let root = tempfile::tempdir().unwrap();
        let mut manifest = None;
        let dirs = [Layout::PortalCsv, Layout::EventHub]
            .into_iter()
            .map(|layout| {
                let dir = root.path().join(layout.id());
                let generated = generate(&FleetConfig::default(), layout, &dir).unwrap();
                let telemetry = dir.join(&generated.telemetry_dir);
                manifest = Some(generated);
                telemetry
            })
            .collect();
        Fleet {
            _root: root,
            manifest: manifest.unwrap(),
            dirs,
        }
    })
}

/// An engine over `paths`, reading files in byte ranges of `split_bytes` (small values split the
/// fleet's files, so plans hold byte-range parts), with [`relay_store`]'s relay intel.
pub fn engine(paths: &[PathBuf], split_bytes: u64, now: Option<i64>) -> Engine {
    engine_and_report(paths, split_bytes, now).0
}

/// [`engine`], and the read report its scans add to.
pub fn engine_and_report(paths: &[PathBuf], split_bytes: u64, now: Option<i64>) -> (Engine, ReadReport) {
    let options = ReadOptions {
        split_bytes,
        ..ReadOptions::default()
    };
    let data = DataSet::discover(paths, &[], options).unwrap();
    let mut engine = Engine::new(EngineConfig {
        threads: Some(2),
        now,
        ..EngineConfig::default()
    })
    .unwrap();
    register_tables(&mut engine, &data);
    relay_intel::register(&mut engine, Arc::new(relay_store())).unwrap();
    (engine, data.report().clone())
}

/// Rows as text, sorted: the comparison of two runs that need not agree on row order.
pub fn sorted_rows(batches: &[RecordBatch]) -> Vec<String> {
    let text = pretty_format_batches(batches).unwrap().to_string();
    let mut rows: Vec<String> = text.lines().map(str::to_string).collect();
    rows.sort();
    rows
}
