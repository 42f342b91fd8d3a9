//! The HTML report end to end: `hunt --report` and `report` of the saved NDJSON give the same page;
//! the NDJSON's closing run summary holds the rules, time range, data read and skipped rules; and a
//! real browser (headless Chromium) renders the demo's report, shows its alerts, and runs its script
//! without an error or a Content-Security-Policy violation.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{Html, Selector};
use serde_json::Value;
use torhunt_synth::{FleetConfig, Layout, generate, read_manifest, rule_ids};

use crate::{fleet_flags, stderr, stdout, torhunt};

#[test]
fn hunt_report_and_the_report_of_its_saved_ndjson_are_the_same() {
    let root = tempfile::tempdir().unwrap();
    let empty_store = tempfile::tempdir().unwrap();
    let manifest = generate(&FleetConfig::default(), Layout::FlatNdjson, root.path()).unwrap();
    let saved = root.path().join("run.ndjson");
    let direct = root.path().join("direct.html");
    let mut args = vec!["hunt".to_string()];
    args.extend(fleet_flags(root.path(), &manifest));
    args.extend(
        [
            "--intel",
            empty_store.path().to_str().unwrap(),
            "--format",
            "ndjson",
        ]
        .map(String::from),
    );
    args.extend(["-o".to_string(), saved.display().to_string()]);
    args.extend(["--report".to_string(), direct.display().to_string()]);
    let output = torhunt(&args.iter().map(String::as_str).collect::<Vec<_>>(), None);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));

    let text = std::fs::read_to_string(&saved).unwrap();
    let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let (summary, alerts) = lines.split_last().unwrap();
    assert_eq!(summary["record"], "hunt_summary");
    assert!(
        alerts
            .iter()
            .all(|a| a.get("record").is_none() && a["rule_id"].is_string())
    );
    assert_eq!(summary["alerts"], alerts.len());
    let instant = |value: &Value| kql_types::time::parse_datetime(value.as_str().unwrap()).unwrap();
    let now = kql_types::time::parse_datetime(&manifest.now).unwrap();
    assert_eq!(instant(&summary["now"]), now);
    assert_eq!(instant(&summary["time_range"]["end"]), now);
    // The widest window of the shipped rules is the 7-day default.
    assert_eq!(
        instant(&summary["time_range"]["start"]),
        now - 7 * kql_types::time::NANOS_PER_DAY
    );
    let data_dir = root.path().join(&manifest.telemetry_dir);
    assert_eq!(
        summary["data"]["paths"],
        serde_json::json!([data_dir.display().to_string()])
    );
    let network = summary["data"]["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "DeviceNetworkEvents")
        .expect("DeviceNetworkEvents was read");
    assert!(network["files"].as_u64().unwrap() > 0 && network["rows_scanned"].as_u64().unwrap() > 0);
    // Every shipped rule is there with its metadata and KQL; without relay history the time-aware
    // relay rule was skipped, with the reason.
    let rules = summary["rules"].as_array().unwrap();
    let relay = rules
        .iter()
        .find(|r| r["id"] == rule_ids::TOR_RELAY_CONNECTION)
        .unwrap();
    assert_eq!(relay["status"], "skipped");
    assert!(
        relay["reason"].as_str().unwrap().contains("tor_relay_at"),
        "{relay}"
    );
    assert!(
        relay["query"]
            .as_str()
            .unwrap()
            .contains("tor_relay_at(RemoteIP, Timestamp)")
    );
    let founding = rules
        .iter()
        .find(|r| r["id"] == rule_ids::TOR_CONNECTION_ESTABLISHED)
        .unwrap();
    assert_eq!(founding["status"], "ran");
    assert!(
        !founding["recommended_actions"].as_array().unwrap().is_empty(),
        "{founding}"
    );
    assert!(!founding["description"].as_str().unwrap().is_empty());

    let from_saved = root.path().join("saved.html");
    let output = torhunt(
        &[
            "report",
            saved.to_str().unwrap(),
            "-o",
            from_saved.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(&direct).unwrap(),
        std::fs::read_to_string(&from_saved).unwrap(),
        "the saved run carries everything the report shows"
    );
}

#[test]
fn a_saved_run_with_a_bad_line_is_refused_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("run.ndjson");
    std::fs::write(&saved, "{\"record\":\"hunt_summary\"}\n").unwrap();
    let html = dir.path().join("out.html");
    let output = torhunt(
        &["report", saved.to_str().unwrap(), "-o", html.to_str().unwrap()],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("run.ndjson: line 1: not a torhunt run summary"),
        "{message}"
    );
    assert!(!html.exists());
}

/// Chromium from Debian's package (`.ci/run` installs it), or `TORHUNT_CHROMIUM`.
fn chromium() -> Option<PathBuf> {
    std::env::var_os("TORHUNT_CHROMIUM")
        .map(PathBuf::from)
        .into_iter()
        .chain(["/usr/bin/chromium", "/usr/bin/chromium-browser"].map(PathBuf::from))
        .find(|path| path.is_file())
}

/// Runs headless Chromium on `page` with `flags`; returns its standard output and error.
fn run_chromium(browser: &Path, profile: &Path, page: &Path, flags: &[&str]) -> (String, String) {
    let output = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(flags)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium starts");
    assert!(output.status.success(), "chromium failed: {}", stderr(&output));
    (stdout(&output), stderr(&output))
}

#[test]
fn the_demo_report_renders_in_a_real_browser() {
    let Some(browser) = chromium() else {
        let reason = "skipping: Chromium not found (apt-get install chromium); the report is not rendered";
        if std::env::var("TORHUNT_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1") {
            shared_fixtures::skip(reason);
        } else {
            eprintln!("{reason}");
        }
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let fleet = dir.path().join("fleet");
    let report = dir.path().join("report.html");
    let output = torhunt(
        &[
            "demo",
            "--keep",
            fleet.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains(&format!(
            "The HTML report of this hunt (open it in a browser; it works offline): {}",
            report.display()
        )),
        "{}",
        stdout(&output)
    );

    let profile = dir.path().join("profile");
    let (dom, log) = run_chromium(
        &browser,
        &profile,
        &report,
        &["--enable-logging=stderr", "--v=0", "--dump-dom"],
    );
    // The script ran to its end (it is allowed by its hash), and the console saw no error and no
    // blocked script or style.
    let page = Html::parse_document(&dom);
    let body = page.select(&Selector::parse("body").unwrap()).next().unwrap();
    assert_eq!(body.value().attr("data-report-script"), Some("ran"), "{log}");
    for bad in ["Uncaught", "Content Security Policy", "Refused to"] {
        assert!(!log.contains(bad), "console: {bad}\n{log}");
    }
    // The alerts shown are the planted events' expected ones (the demo skips no rule).
    let manifest = read_manifest(&fleet).unwrap();
    let skipped: Vec<String> = page
        .select(&Selector::parse("#skipped-rules tr[data-rule-id]").unwrap())
        .map(|r| r.value().attr("data-rule-id").unwrap().to_string())
        .collect();
    assert_eq!(skipped, Vec::<String>::new());
    let expected: BTreeSet<(String, String)> = manifest
        .planted
        .iter()
        .flat_map(|p| p.expected_rules.iter().map(|r| (r.clone(), p.device_id.clone())))
        .collect();
    let shown: BTreeSet<(String, String)> = page
        .select(&Selector::parse("#alert-table tbody tr").unwrap())
        .map(|row| {
            let attr = |name: &str| row.value().attr(name).unwrap().to_string();
            (attr("data-rule-id"), attr("data-device-id"))
        })
        .collect();
    assert_eq!(shown, expected);
    // The filter counter is written by the script.
    let counter = page
        .select(&Selector::parse("[data-shown-for=alert-table]").unwrap())
        .next()
        .unwrap();
    let rows = page
        .select(&Selector::parse("#alert-table tbody tr").unwrap())
        .count();
    assert_eq!(
        counter.text().collect::<String>(),
        format!("{rows} of {rows} shown")
    );

    let screenshot = dir.path().join("report.png");
    run_chromium(
        &browser,
        &profile,
        &report,
        &[
            "--window-size=1280,1600",
            &format!("--screenshot={}", screenshot.display()),
        ],
    );
    let png = std::fs::read(&screenshot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000,
        "{} bytes",
        png.len()
    );
}
