//! The `ipv4_lookup` and `ipv6_lookup` plugins, with the data and results of their documentation's
//! examples (column order included: input first for IPv4, lookup table first for IPv6).

use serde_json::{Value, json};

use crate::support::{answer, run};

const IPV4_DATA: &str = r#"let IP_Data = datatable(network:string, continent_code:string, continent_name:string, country_iso_code:string, country_name:string)
[
  "111.68.128.0/17","AS","Asia","JP","Japan",
  "5.8.0.0/19","EU","Europe","RU","Russia",
  "223.255.254.0/24","AS","Asia","SG","Singapore",
  "46.36.200.51/32","OC","Oceania","CK","Cook Islands",
  "2.20.183.0/24","EU","Europe","GB","United Kingdom",
];
let IPs = datatable(ip:string) ['2.20.183.12', '5.8.1.2', '192.165.12.17'];
"#;

fn sorted(mut rows: Vec<Vec<Value>>) -> Vec<Vec<Value>> {
    rows.sort_by_key(|row| row[0].to_string());
    rows
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ipv4_lookup_matches_ranges() {
    let matched = answer(&format!(
        "{IPV4_DATA} IPs | evaluate ipv4_lookup(IP_Data, ip, network)"
    ))
    .await;
    assert_eq!(
        matched.columns,
        [
            "ip",
            "network",
            "continent_code",
            "continent_name",
            "country_iso_code",
            "country_name"
        ]
    );
    assert_eq!(
        sorted(matched.rows),
        [
            [
                "2.20.183.12",
                "2.20.183.0/24",
                "EU",
                "Europe",
                "GB",
                "United Kingdom"
            ]
            .map(|v| json!(v)),
            ["5.8.1.2", "5.8.0.0/19", "EU", "Europe", "RU", "Russia"].map(|v| json!(v)),
        ]
    );

    let all = answer(&format!(
        "{IPV4_DATA} IPs | evaluate ipv4_lookup(IP_Data, ip, network, return_unmatched = true)"
    ))
    .await;
    let unknown = all
        .rows
        .iter()
        .find(|row| row[0] == json!("192.165.12.17"))
        .expect("unmatched row kept");
    assert_eq!(unknown[1..], ["", "", "", "", ""].map(|v| json!(v)));
    assert_eq!(all.rows.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ipv4_lookup_extra_keys_must_be_equal_and_appear_once() {
    // The docs' "extra columns" example: Sweden's row has an empty country code, so it does not match.
    let result = answer(
        r#"let IP_Data = datatable(network:string, continent_name:string, country_iso_code:string)
        ["5.8.0.0/19", "Europe", "RU", "2.20.183.0/24", "Europe", "GB", "192.165.8.0/21", "Europe", "SE"];
        let IPs = datatable(ip:string, continent_name:string, country_iso_code:string)
        ["2.20.183.12", "Europe", "GB", "5.8.1.2", "Europe", "RU", "192.165.12.17", "Europe", ""];
        IPs | evaluate ipv4_lookup(IP_Data, ip, network, continent_name, country_iso_code)"#,
    )
    .await;
    assert_eq!(
        result.columns,
        ["ip", "continent_name", "country_iso_code", "network"]
    );
    assert_eq!(
        sorted(result.rows),
        [
            ["2.20.183.12", "Europe", "GB", "2.20.183.0/24"].map(|v| json!(v)),
            ["5.8.1.2", "Europe", "RU", "5.8.0.0/19"].map(|v| json!(v)),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_list_of_bare_addresses_is_a_lookup_table() {
    // Relay lists hold single addresses: each is its own /32. Every matching connection is kept.
    let result = answer(
        r#"let Relays = datatable(RelayIP:string, Nickname:string)["192.0.2.10", "relayA", "198.51.100.7", "relayB"];
        datatable(RemoteIP:string, DeviceName:string)["192.0.2.10", "pc1", "192.0.2.11", "pc2", "192.0.2.10", "pc3"]
        | evaluate ipv4_lookup(Relays, RemoteIP, RelayIP)
        | project DeviceName, Nickname | sort by DeviceName asc"#,
    )
    .await;
    assert_eq!(
        result.rows,
        [
            ["pc1", "relayA"].map(|v| json!(v)),
            ["pc3", "relayA"].map(|v| json!(v))
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ipv6_lookup_puts_the_lookup_columns_first() {
    let result = answer(
        r#"let IP_Data = datatable(network:string, country_name:string)
        ["2001:0db8:85a3::/48", "United States", "2a02:26f0:4001::/48", "France"];
        datatable(ip:string)["2001:0db8:85a3:0000:0000:8a2e:0370:7334", "a5e:f127:8a9d:146d:e102:b5d3:c755:abcd"]
        | evaluate ipv6_lookup(IP_Data, ip, network, true)"#,
    )
    .await;
    assert_eq!(result.columns, ["network", "country_name", "ip"]);
    let mut rows = result.rows;
    rows.sort_by_key(|row| row[2].to_string());
    assert_eq!(
        rows,
        [
            [
                "2001:0db8:85a3::/48",
                "United States",
                "2001:0db8:85a3:0000:0000:8a2e:0370:7334"
            ]
            .map(|v| json!(v)),
            ["", "", "a5e:f127:8a9d:146d:e102:b5d3:c755:abcd"].map(|v| json!(v)),
        ]
    );
    let shared = run(r#"let L = datatable(network:string, ip:string)["::/0", "x"];
        datatable(ip:string)["::1"] | evaluate ipv6_lookup(L, ip, network)"#)
    .await
    .err()
    .expect("a column name on both sides is refused for ipv6_lookup");
    assert!(shared.contains("both sides have a column `ip`"), "{shared}");
}
