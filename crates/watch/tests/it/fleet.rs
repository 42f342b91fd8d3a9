//! A small generated fleet, re-filed by arrival hour with some records (planted events among them)
//! arriving hours late, and a watcher over a folder the test delivers it into.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use torhunt_engine::{Engine, EngineConfig};
use torhunt_rules::{Rule, Severity, shipped_rules};
use torhunt_sources::{ReadOptions, StorageSettings, Stores};
use torhunt_synth::arrival::{Arrival, Lateness, by_arrival};
use torhunt_synth::rule_ids::TOR_RELAY_CONNECTION;
use torhunt_synth::{FleetConfig, Layout, Manifest, TOR_RELAY_IPS_URL, generate};
use torhunt_watch::{Watch, Webhook};

pub const HOUR_NANOS: i64 = 3_600_000_000_000;

pub struct Fleet {
    pub _root: tempfile::TempDir,
    pub manifest: Manifest,
    pub relay_list: PathBuf,
    pub arrivals: Vec<Arrival>,
    /// Planted events delivered late.
    pub late_planted: BTreeSet<i64>,
}

/// One day of a seven-device fleet; every fifth record, and every other planted event, arrives three
/// hours late.
pub fn fleet() -> Fleet {
    let root = tempfile::tempdir().unwrap();
    let config = FleetConfig {
        devices: 7,
        network_events: 240,
        days: 1,
        synthetic_relays: 20,
        ..FleetConfig::default()
    };
    let manifest = generate(&config, Layout::Storage, root.path()).unwrap();
    let late_planted: BTreeSet<i64> = manifest.planted.iter().step_by(2).map(|p| p.report_id).collect();
    let lateness = Lateness {
        every: 5,
        report_ids: late_planted.clone(),
        delay_hours: 3,
    };
    let arrivals = by_arrival(&root.path().join(&manifest.telemetry_dir), &lateness).unwrap();
    Fleet {
        relay_list: root.path().join(&manifest.relay_list),
        _root: root,
        manifest,
        arrivals,
        late_planted,
    }
}

impl Fleet {
    /// The hours records arrive in, first to last.
    pub fn hours(&self) -> (i64, i64) {
        let first = self.arrivals.iter().map(|a| a.hour).min().unwrap();
        let last = self.arrivals.iter().map(|a| a.hour).max().unwrap();
        (first * 1_000_000_000, last * 1_000_000_000)
    }

    /// Appends to `dir` the first half (`first_half`) or the rest of each file's lines arriving
    /// during the hour starting at `hour` (nanoseconds): a file still being written, then complete.
    pub fn deliver(&self, dir: &Path, hour: i64, first_half: bool) {
        for (arrival, lines) in self.arriving(hour, first_half) {
            arrival.append_to(dir, lines).unwrap();
        }
    }

    /// The files arriving during the hour starting at `hour` (nanoseconds), each with the first
    /// half (`first_half`) or the rest of its lines.
    pub fn arriving(&self, hour: i64, first_half: bool) -> impl Iterator<Item = (&Arrival, &[String])> {
        self.arrivals
            .iter()
            .filter(move |a| a.hour * 1_000_000_000 == hour)
            .map(move |arrival| {
                let (head, tail) = arrival.lines.split_at(arrival.lines.len() / 2);
                (arrival, if first_half { head } else { tail })
            })
    }

    /// The rules a test watches with: the shipped rules that need no relay intel store.
    pub fn rules(&self) -> Vec<Rule> {
        shipped_rules()
            .unwrap()
            .into_iter()
            .filter(|r| r.id != TOR_RELAY_CONNECTION)
            .collect()
    }

    /// A watcher over `data` with the fleet's relay list serving `DetectTorRelayConnectivity`.
    pub fn watch(
        &self,
        data: &Path,
        state: &Path,
        output: Option<PathBuf>,
        webhook: Option<Webhook>,
    ) -> Watch {
        let stores = Stores::new(StorageSettings::default());
        self.watch_roots(vec![data.to_path_buf()], stores, state, output, webhook)
    }

    /// [`Fleet::watch`] over several roots (folders and storage URLs read through `stores`).
    pub fn watch_roots(
        &self,
        data: Vec<PathBuf>,
        stores: Stores,
        state: &Path,
        output: Option<PathBuf>,
        webhook: Option<Webhook>,
    ) -> Watch {
        let mut engine = Engine::new(EngineConfig {
            threads: Some(2),
            ..EngineConfig::default()
        })
        .unwrap();
        engine
            .external_data_mut()
            .map_url(TOR_RELAY_IPS_URL, &self.relay_list);
        Watch {
            data,
            state_dir: state.to_path_buf(),
            rules: self.rules(),
            engine,
            read: ReadOptions::default(),
            stores,
            min_severity: Severity::Informational,
            variant: None,
            output,
            webhook,
        }
    }
}

/// The NDJSON lines of a file, parsed.
pub fn alerts(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}
