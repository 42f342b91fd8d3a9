//! `geo_info_from_ip_address` over a MaxMind-format database written by the test (`mmdb.rs`), holding
//! what the Kusto documentation's examples show for their two addresses: the documented bag, field by
//! field and in order; null where the database has nothing; refusal naming `--geoip` without one.

use std::path::PathBuf;

use maxminddb::{Reader, geoip2};
use serde_json::{Value, json};
use torhunt_engine::{Engine, EngineConfig};

use crate::mmdb::{self, city_record};

/// The documentation's two examples (geo-info-from-ip-address-function), as GeoLite2-City records.
pub(crate) fn docs_database() -> Vec<u8> {
    mmdb::write(
        "GeoLite2-City",
        &[
            (
                "20.53.203.0/24",
                city_record(
                    Some("Australia"),
                    Some("New South Wales"),
                    Some("Sydney"),
                    Some((-33.8715, 151.2006)),
                ),
            ),
            (
                "2a03:2880:f12c::/48",
                city_record(
                    Some("United States"),
                    Some("Florida"),
                    Some("Boca Raton"),
                    Some((26.3594, -80.0771)),
                ),
            ),
            // A narrower network inside a wider one, with only a country (as many records are).
            (
                "198.51.100.0/24",
                city_record(Some("Netherlands"), None, None, None),
            ),
            (
                "198.51.100.128/25",
                city_record(Some("Belgium"), None, None, Some((50.85, 4.35))),
            ),
        ],
    )
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("database written");
    path
}

fn engine_with(path: &std::path::Path) -> Engine {
    let mut engine = Engine::new(EngineConfig::default()).expect("engine");
    engine.load_geoip(path).expect("database loads");
    engine
}

async fn values(engine: &Engine, query: &str) -> Vec<Value> {
    let result = engine
        .query(query)
        .await
        .unwrap_or_else(|e| panic!("{query}: {e}"));
    torhunt_engine::output::rows_json(&result.columns, &result.batches)
        .map(|row| row[0].clone())
        .collect()
}

#[test]
fn the_test_writer_produces_a_database_maxminds_reader_decodes() {
    let reader = Reader::from_source(docs_database()).expect("a valid database");
    assert_eq!(reader.metadata().database_type, "GeoLite2-City");
    let sydney = reader.lookup("20.53.203.50".parse().unwrap()).unwrap();
    let city: geoip2::City = sydney.decode().unwrap().expect("a record");
    assert_eq!(city.city.names.english, Some("Sydney"));
    assert_eq!(city.location.latitude, Some(-33.8715));
    let belgium = reader.lookup("198.51.100.200".parse().unwrap()).unwrap();
    let country: geoip2::City = belgium.decode().unwrap().expect("a record");
    assert_eq!(country.country.names.english, Some("Belgium"));
    let netherlands = reader.lookup("198.51.100.5".parse().unwrap()).unwrap();
    let country: geoip2::City = netherlands.decode().unwrap().expect("a record");
    assert_eq!(country.country.names.english, Some("Netherlands"));
    assert!(!reader.lookup("192.0.2.1".parse().unwrap()).unwrap().has_data());
}

#[tokio::test]
async fn docs_examples_give_the_documented_bags() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with(&write(&dir, "city.mmdb", &docs_database()));
    let result = engine
        .query("print ip_location=geo_info_from_ip_address('20.53.203.50')")
        .await
        .unwrap();
    assert_eq!(result.columns[0].name, "ip_location");
    assert_eq!(result.columns[0].ty, kql_types::KustoType::Dynamic);
    let sydney = values(&engine, "print geo_info_from_ip_address('20.53.203.50')").await;
    // The documented text, keys in the documented order.
    assert_eq!(
        sydney[0].to_string(),
        r#"{"country":"Australia","state":"New South Wales","city":"Sydney","latitude":-33.8715,"longitude":151.2006}"#
    );
    let boca = values(
        &engine,
        "print geo_info_from_ip_address('2a03:2880:f12c:83:face:b00c::25de')",
    )
    .await;
    assert_eq!(
        boca[0],
        json!({"country": "United States", "state": "Florida", "city": "Boca Raton",
               "latitude": 26.3594, "longitude": -80.0771})
    );
}

#[tokio::test]
async fn missing_fields_are_left_out_and_unknown_or_invalid_addresses_are_null() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_with(&write(&dir, "city.mmdb", &docs_database()));
    let query = "datatable(ip: string)['198.51.100.5', '198.51.100.200', '192.0.2.1', '10.0.0.1', \
                 'not an address', '', '20.53.203.50:443', ' 20.53.203.50 ', '2001:db8::1']
                 | extend geo = geo_info_from_ip_address(ip) | project geo";
    assert_eq!(
        values(&engine, query).await,
        vec![
            json!({"country": "Netherlands"}),
            json!({"country": "Belgium", "latitude": 50.85, "longitude": 4.35}),
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            // Text around an address is not an address (no trimming: the docs do not say).
            Value::Null,
            Value::Null,
        ]
    );
    // The usual hunting use: a property of the bag, as text.
    let countries = values(
        &engine,
        "datatable(RemoteIP: string)['20.53.203.50', '192.0.2.1'] \
         | project Country = tostring(geo_info_from_ip_address(RemoteIP).country)",
    )
    .await;
    assert_eq!(countries, vec![json!("Australia"), json!("")]);
}

#[tokio::test]
async fn a_country_database_gives_countries() {
    let dir = tempfile::tempdir().unwrap();
    let database = mmdb::write(
        "GeoLite2-Country",
        &[("20.53.203.0/24", city_record(Some("Australia"), None, None, None))],
    );
    let engine = engine_with(&write(&dir, "country.mmdb", &database));
    assert_eq!(
        values(&engine, "print geo_info_from_ip_address('20.53.203.50')").await,
        vec![json!({"country": "Australia"})]
    );
}

#[test]
fn databases_without_locations_and_other_files_are_rejected_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let asn = write(
        &dir,
        "asn.mmdb",
        &mmdb::write(
            "GeoLite2-ASN",
            &[(
                "20.53.203.0/24",
                mmdb::map(&[("autonomous_system_number", mmdb::Value::U32(8075))]),
            )],
        ),
    );
    let mut engine = Engine::new(EngineConfig::default()).unwrap();
    let error = engine.load_geoip(&asn).unwrap_err();
    assert!(
        error.contains("asn.mmdb") && error.contains("GeoLite2-ASN"),
        "{error}"
    );
    let text = write(&dir, "not-a-database.mmdb", b"country,city\n");
    let error = engine.load_geoip(&text).unwrap_err();
    assert!(error.contains("not-a-database.mmdb"), "{error}");
    let error = engine.load_geoip(&dir.path().join("missing.mmdb")).unwrap_err();
    assert!(error.contains("missing.mmdb"), "{error}");
}

#[tokio::test]
async fn without_a_database_the_function_is_refused_naming_the_flag() {
    let engine = Engine::new(EngineConfig::default()).unwrap();
    let error = engine
        .query("print geo_info_from_ip_address('20.53.203.50')")
        .await
        .unwrap_err();
    let diagnostic = &error.diagnostics[0];
    assert_eq!(diagnostic.kind, kql_syntax::DiagnosticKind::NotSupported);
    assert!(diagnostic.message.contains("--geoip"), "{}", diagnostic.message);
    assert_eq!(
        &"print geo_info_from_ip_address('20.53.203.50')"[diagnostic.span.start..diagnostic.span.end],
        "geo_info_from_ip_address"
    );
}
