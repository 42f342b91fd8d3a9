//! The two rules torhunt was founded on, verbatim, over small hand-made Defender tables.

use crate::row;
use crate::support::{Fixture, batch, columns};

const NETWORK: &[&str] = &[
    "Timestamp:datetime",
    "DeviceId:string",
    "DeviceName:string",
    "ActionType:string",
    "RemoteIP:string",
    "RemotePort:int",
    "RemoteUrl:string",
    "LocalIP:string",
    "InitiatingProcessFileName:string",
    "InitiatingProcessFolderPath:string",
    "ReportId:long",
];

fn network_events() -> Fixture {
    let cols = columns(NETWORK);
    let rows: &[&[&str]] = &[
        // Within the last day (now is 2024-01-10T12:00Z).
        &[
            "2024-01-10T10:00:00Z",
            "d1",
            "pc1",
            "ConnectionSuccess",
            "1.2.3.4",
            "443",
            "tracker.torrent-site.org",
            "10.0.0.1",
            "chrome.exe",
            "C:\\chrome",
            "1",
        ],
        &[
            "2024-01-10T11:00:00Z",
            "d1",
            "pc1",
            "ConnectionSuccess",
            "5.6.7.8",
            "80",
            "example.com",
            "10.0.0.1",
            "uTorrent.exe",
            "C:\\ut",
            "2",
        ],
        &[
            "2024-01-10T11:30:00Z",
            "d2",
            "pc2",
            "ConnectionSuccess",
            "9.9.9.9",
            "9001",
            "relay.tor",
            "10.0.0.2",
            "tor.exe",
            "C:\\tor",
            "3",
        ],
        &[
            "2024-01-10T11:40:00Z",
            "d2",
            "pc2",
            "ConnectionSuccess",
            "8.8.8.8",
            "443",
            "torrentfreak.com.evil",
            "10.0.0.2",
            "x.exe",
            "C:\\x",
            "4",
        ],
        &[
            "2024-01-10T11:50:00Z",
            "d2",
            "pc2",
            "ConnectionSuccess",
            "8.8.4.4",
            "443",
            "example.org",
            "10.0.0.2",
            "MyAzureusClient.exe",
            "C:\\a",
            "5",
        ],
        &[
            "2024-01-10T11:55:00Z",
            "d3",
            "pc3",
            "ConnectionSuccess",
            "7.7.7.7",
            "443",
            "storrent.com",
            "10.0.0.3",
            "edge.exe",
            "C:\\e",
            "6",
        ],
        // Older than a day: filtered out although it matches.
        &[
            "2024-01-08T10:00:00Z",
            "d3",
            "pc3",
            "ConnectionSuccess",
            "1.1.1.1",
            "443",
            "vuze.com",
            "10.0.0.3",
            "vuze.exe",
            "C:\\v",
            "7",
        ],
    ];
    Fixture::default().table("DeviceNetworkEvents", cols.clone(), batch(&cols, rows))
}

#[test]
fn tor_connection_established() {
    let rows = network_events().sorted_rows(
        r#"DeviceNetworkEvents
| where Timestamp > ago(1d)
| where RemoteUrl has "torrent" or RemoteUrl has "vuze" or RemoteUrl has "azureus" or RemoteUrl endswith ".tor" or InitiatingProcessFileName has "torrent" or InitiatingProcessFileName has "vuze" or InitiatingProcessFileName contains "azureus"
| project Timestamp, DeviceName, DeviceId, InitiatingProcessFileName, RemoteUrl , RemoteIP , RemotePort, ReportId"#,
    );
    // `has` matches whole terms: "tracker.torrent-site.org" has "torrent", "storrent.com" does not,
    // "torrentfreak.com.evil" does not; "uTorrent.exe" has no term "torrent" either, while
    // "MyAzureusClient.exe" contains "azureus".
    assert_eq!(
        rows,
        vec![
            row![
                "2024-01-10T10:00:00",
                "pc1",
                "d1",
                "chrome.exe",
                "tracker.torrent-site.org",
                "1.2.3.4",
                "443",
                "1"
            ],
            row![
                "2024-01-10T11:30:00",
                "pc2",
                "d2",
                "tor.exe",
                "relay.tor",
                "9.9.9.9",
                "9001",
                "3"
            ],
            row![
                "2024-01-10T11:50:00",
                "pc2",
                "d2",
                "MyAzureusClient.exe",
                "example.org",
                "8.8.4.4",
                "443",
                "5"
            ],
        ]
    );
}

#[test]
fn detect_tor_relay_connectivity() {
    let relay_cols = columns(&[
        "Nickname:string",
        "Fingerprint:string",
        "EntryAddress:string",
        "IPAddress:string",
        "Port:string",
        "AddressType:string",
        "Hostname:string",
        "CountryCode:string",
        "IsRunning:bool",
        "LastChangedIPData:string",
    ]);
    let relays = batch(
        &relay_cols,
        &[
            &[
                "relayA",
                "AAAA",
                "9.9.9.9:9001",
                "9.9.9.9",
                "9001",
                "IPv4",
                "",
                "de",
                "true",
                "2024-01-01",
            ],
            &[
                "relayB",
                "BBBB",
                "[2001:db8::1]:443",
                "2001:db8::1",
                "443",
                "IPv6",
                "",
                "us",
                "true",
                "2024-01-01",
            ],
            &[
                "relayC",
                "CCCC",
                "1.2.3.4:443",
                "1.2.3.4",
                "443",
                "IPv4",
                "h.example",
                "fr",
                "true",
                "2024-01-01",
            ],
        ],
    );
    let info_cols = columns(&["Timestamp:datetime", "DeviceId:string", "PublicIP:string"]);
    let info = batch(
        &info_cols,
        &[
            &["2024-01-10T00:00:00Z", "d1", "203.0.113.1"],
            &["2024-01-10T01:00:00Z", "d1", "203.0.113.1"],
            &["2024-01-10T00:00:00Z", "d2", "203.0.113.2"],
        ],
    );
    let fixture = network_events()
        .table("DeviceInfo", info_cols, info)
        .external(relays);
    let text = r#"let TorRelayData = (
    externaldata (Nickname:string,Fingerprint:string,EntryAddress:string,IPAddress:string,Port:string,AddressType:string,Hostname:string,CountryCode:string,IsRunning:bool,LastChangedIPData:string)
    [h@'https://torinfo.blob.core.windows.net/public/TorRelayIPs.csv'] with (ignoreFirstRecord=true,format="csv")
    | where AddressType == "IPv4"
);
TorRelayData
| join kind=inner DeviceNetworkEvents on $left.IPAddress == $right.RemoteIP
| join kind=inner (DeviceInfo | distinct DeviceId, PublicIP) on DeviceId
| project Timestamp, DeviceId, LocalPublicIP = PublicIP, LocalIP, RemoteIP, TorIP = IPAddress, Hostname, CountryCode, ActionType, InitiatingProcessFileName, InitiatingProcessFolderPath"#;
    let (names, mut rows) = fixture.run(text).expect("the rule runs");
    rows.sort();
    assert_eq!(
        names,
        [
            "Timestamp",
            "DeviceId",
            "LocalPublicIP",
            "LocalIP",
            "RemoteIP",
            "TorIP",
            "Hostname",
            "CountryCode",
            "ActionType",
            "InitiatingProcessFileName",
            "InitiatingProcessFolderPath"
        ]
    );
    // DeviceInfo has two identical (d1, 203.0.113.1) rows; `distinct` keeps one, so no duplicates.
    assert_eq!(
        rows,
        vec![
            row![
                "2024-01-10T10:00:00",
                "d1",
                "203.0.113.1",
                "10.0.0.1",
                "1.2.3.4",
                "1.2.3.4",
                "h.example",
                "fr",
                "ConnectionSuccess",
                "chrome.exe",
                "C:\\chrome"
            ],
            row![
                "2024-01-10T11:30:00",
                "d2",
                "203.0.113.2",
                "10.0.0.2",
                "9.9.9.9",
                "9.9.9.9",
                "",
                "de",
                "ConnectionSuccess",
                "tor.exe",
                "C:\\tor"
            ],
        ]
    );
}
