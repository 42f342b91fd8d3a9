//! A Storage-layout fleet re-filed as the Streaming API delivers it: each record in the folder of the
//! hour it *arrives* in, with some records arriving hours late (Defender's ingestion delay), so tests
//! can deliver telemetry hour by hour and check that late records are still evaluated.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::SynthError;

const HOUR_SECONDS: i64 = 3600;

/// The records arriving in one hour for one file of the layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrival {
    /// The hour's start, in seconds since the Unix epoch.
    pub hour: i64,
    /// The file's path under the telemetry folder, in the arrival hour's `y=/m=/d=/h=` folder.
    pub relative: PathBuf,
    /// Whole lines, line breaks included, in the order written.
    pub lines: Vec<String>,
}

impl Arrival {
    /// Appends `lines` (this arrival's, or some of them) to its file under `dir`, as the service
    /// appends to an hour's blob.
    pub fn append_to(&self, dir: &Path, lines: &[String]) -> Result<(), SynthError> {
        use std::io::Write;
        let path = dir.join(&self.relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| SynthError::io(parent, e))?;
        }
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut file| file.write_all(lines.concat().as_bytes()))
            .map_err(|e| SynthError::io(&path, e))
    }
}

/// Which records arrive late, and how late.
#[derive(Debug, Clone, Default)]
pub struct Lateness {
    /// Every `every`-th record of each hourly file arrives late (0: none by count).
    pub every: usize,
    /// These records (by `ReportId`) arrive late too: planted events, to prove they are not missed.
    pub report_ids: BTreeSet<i64>,
    /// Hours after their own hour that late records arrive.
    pub delay_hours: i64,
}

/// The Storage-layout files under `telemetry` (as [`crate::generate`] writes them with
/// [`crate::Layout::Storage`]), re-filed by arrival hour; sorted by hour, then path.
pub fn by_arrival(telemetry: &Path, lateness: &Lateness) -> Result<Vec<Arrival>, SynthError> {
    let mut files = Vec::new();
    collect_files(telemetry, &mut files)?;
    let mut arrivals: BTreeMap<(i64, PathBuf), Vec<String>> = BTreeMap::new();
    for path in files {
        let relative = path.strip_prefix(telemetry).unwrap_or(&path).to_path_buf();
        let Some(hour) = folder_hour(&relative) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).map_err(|e| SynthError::io(&path, e))?;
        for (index, line) in text.split_inclusive('\n').enumerate() {
            let late = (lateness.every > 0 && index % lateness.every == lateness.every - 1)
                || report_id(line).is_some_and(|id| lateness.report_ids.contains(&id));
            let arrives = if late {
                hour + lateness.delay_hours * HOUR_SECONDS
            } else {
                hour
            };
            arrivals
                .entry((arrives, refiled(&relative, arrives)))
                .or_default()
                .push(line.to_string());
        }
    }
    Ok(arrivals
        .into_iter()
        .map(|((hour, relative), lines)| Arrival {
            hour,
            relative,
            lines,
        })
        .collect())
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), SynthError> {
    let entries = std::fs::read_dir(dir).map_err(|e| SynthError::io(dir, e))?;
    for entry in entries {
        let path = entry.map_err(|e| SynthError::io(dir, e))?.path();
        if path.is_dir() {
            collect_files(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

/// The hour of a `.../y=YYYY/m=MM/d=DD/h=HH/...` path, in seconds since the Unix epoch.
fn folder_hour(relative: &Path) -> Option<i64> {
    let parts: Vec<&str> = relative.iter().filter_map(|p| p.to_str()).collect();
    let at = parts.iter().position(|p| p.starts_with("y="))?;
    let value = |offset: usize, key: &str| parts.get(at + offset)?.strip_prefix(key)?.parse::<u32>().ok();
    let text = format!(
        "{:04}-{:02}-{:02}T{:02}:00:00Z",
        value(0, "y=")?,
        value(1, "m=")?,
        value(2, "d=")?,
        value(3, "h=")?
    );
    DateTime::parse_from_rfc3339(&text).ok().map(|t| t.timestamp())
}

/// `relative` with its `y=/m=/d=/h=` folders replaced by those of `hour`.
fn refiled(relative: &Path, hour: i64) -> PathBuf {
    let Some(time) = DateTime::<Utc>::from_timestamp(hour, 0) else {
        return relative.to_path_buf();
    };
    let folders = time.format("y=%Y/m=%m/d=%d/h=%H").to_string();
    let parts: Vec<Component> = relative.components().collect();
    let Some(at) = parts
        .iter()
        .position(|p| p.as_os_str().to_string_lossy().starts_with("y="))
    else {
        return relative.to_path_buf();
    };
    let mut out: PathBuf = parts[..at].iter().collect();
    out.push(folders);
    out.extend(parts.iter().skip(at + 4));
    out
}

fn report_id(line: &str) -> Option<i64> {
    let record: serde_json::Value = serde_json::from_str(line).ok()?;
    record.get("properties")?.get("ReportId")?.as_i64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_records_move_to_a_later_hour_folder() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir
            .path()
            .join("insights-logs-advancedhunting-deviceevents/tenantId=t/y=2024/m=05/d=01/h=23/m=00");
        std::fs::create_dir_all(&folder).unwrap();
        let record = |id: i64| format!("{{\"properties\":{{\"ReportId\":{id}}}}}\r\n");
        std::fs::write(
            folder.join("PT1H.json"),
            [record(1), record(2), record(3)].concat(),
        )
        .unwrap();
        let lateness = Lateness {
            every: 3,
            report_ids: BTreeSet::from([1]),
            delay_hours: 2,
        };
        let arrivals = by_arrival(dir.path(), &lateness).unwrap();
        assert_eq!(arrivals.len(), 2);
        assert_eq!(arrivals[0].lines, [record(2)]);
        assert_eq!(arrivals[1].lines, [record(1), record(3)]);
        assert_eq!(arrivals[1].hour - arrivals[0].hour, 2 * HOUR_SECONDS);
        assert_eq!(
            arrivals[1].relative,
            Path::new(
                "insights-logs-advancedhunting-deviceevents/tenantId=t/y=2024/m=05/d=02/h=01/m=00/PT1H.json"
            )
        );
    }
}
