//! `--geoip FILE.mmdb`: `geo_info_from_ip_address` in `query` and `hunt` answers from the database the
//! user names; without it `query` refuses naming the flag and `hunt` skips the rule with that reason;
//! `check` needs no database.

use serde_json::{Value, json};

use crate::mmdb::{city_record, write};
use crate::{repo_root, stderr, stdout, torhunt};

/// A database placing 192.0.2.0/24 (the seed data's remote addresses) and the docs' Sydney address.
fn database(dir: &tempfile::TempDir) -> String {
    let path = dir.path().join("city.mmdb");
    let bytes = write(
        "GeoLite2-City",
        &[
            ("192.0.2.0/24", city_record(Some("Testland"), None, None, None)),
            (
                "20.53.203.0/24",
                city_record(
                    Some("Australia"),
                    Some("New South Wales"),
                    Some("Sydney"),
                    Some((-33.8715, 151.2006)),
                ),
            ),
        ],
    );
    std::fs::write(&path, bytes).expect("database written");
    path.display().to_string()
}

#[test]
fn query_answers_from_the_database_and_refuses_without_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let database = database(&dir);
    let query = "print Country = tostring(geo_info_from_ip_address('20.53.203.50').country)";
    let output = torhunt(
        &["query", "--format", "ndjson", "--geoip", &database, query],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        serde_json::from_str::<Value>(stdout(&output).trim()).expect("one row"),
        json!({"Country": "Australia"})
    );

    // Without the flag the query is refused (an error), and the message says which flag answers it.
    let output = torhunt(&["query", "--format", "ndjson", query], None);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("--geoip FILE.mmdb"),
        "{}",
        stderr(&output)
    );

    // A file that is not a database stops the command before any query runs, naming it.
    let output = torhunt(&["query", "--geoip", "Cargo.toml", query], None);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("Cargo.toml"), "{}", stderr(&output));

    // `check` knows the function without a database.
    let output = torhunt(&["check", query], None);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn hunt_runs_a_geoip_rule_with_the_flag_and_skips_it_without() {
    let dir = tempfile::tempdir().expect("tempdir");
    let database = database(&dir);
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(
        rules.join("country.yaml"),
        "id: connections-to-testland\nname: Connections to Testland\nseverity: Low\nquery: |\n  \
         DeviceNetworkEvents\n  | extend Country = tostring(geo_info_from_ip_address(RemoteIP).country)\n  \
         | where Country == \"Testland\"\n",
    )
    .unwrap();
    let seed = repo_root().join("crates/torhunt/tests/data/seed");
    let base = [
        "hunt",
        "--rules",
        rules.to_str().unwrap(),
        "--data",
        seed.to_str().unwrap(),
        "--now",
        "2024-05-02T00:00:00Z",
        "--format",
        "json",
    ];
    let with_flag: Vec<&str> = base.iter().copied().chain(["--geoip", &database]).collect();
    let output = torhunt(&with_flag, None);
    let document: Value =
        serde_json::from_str(&stdout(&output)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&output)));
    let alerts = document["alerts"].as_array().expect("alerts");
    assert!(!alerts.is_empty(), "{document}");
    assert!(
        alerts.iter().all(|a| a["rule_id"] == "connections-to-testland"),
        "{document}"
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));

    let output = torhunt(&base, None);
    let document: Value =
        serde_json::from_str(&stdout(&output)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&output)));
    assert_eq!(document["alerts"], json!([]), "{document}");
    let reason = document["skipped"][0]["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("--geoip"), "{document}");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}
