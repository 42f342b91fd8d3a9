//! The report's structure, read from the parsed page of a known run: the sections, the counts, one
//! timeline per device with a mark per alert placed by its time, the alert and rule tables, the
//! details of each alert, and the KQL of each rule. Expectations are worked out by hand from the run
//! in `runs::small_run`.

use scraper::{ElementRef, Html, Selector};
use torhunt_report::render;
use torhunt_rules::SavedRun;

use crate::runs::small_run;

fn select<'a>(scope: ElementRef<'a>, css: &str) -> Vec<ElementRef<'a>> {
    scope.select(&Selector::parse(css).unwrap()).collect()
}

fn text(element: &ElementRef) -> String {
    // Text nodes joined by a space, so cells read as words.
    element
        .text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn texts(scope: ElementRef, css: &str) -> Vec<String> {
    select(scope, css).iter().map(text).collect()
}

#[test]
fn the_report_of_a_small_run_has_every_part() {
    let html = render(&small_run()).unwrap();
    let page = Html::parse_document(&html);
    let root = page.root_element();
    let sections: Vec<&str> = select(root, "main > section")
        .iter()
        .filter_map(|s| s.value().attr("id"))
        .collect();
    assert_eq!(sections, ["summary", "devices", "alerts", "rules"]);
    assert_eq!(texts(root, "head > title"), ["torhunt report: 3 alerts"]);

    // Summary: severities high first, rules by severity, devices by alert count.
    assert_eq!(texts(root, "#by-severity tbody tr"), ["High 2", "Medium 1"]);
    assert_eq!(
        texts(root, "#by-rule tbody tr"),
        ["Torrent client 2", "Tor relay 1"]
    );
    assert_eq!(
        texts(root, "#by-device tbody tr"),
        ["ws-01 (d1) 2", "ws-02 (d2) 1"]
    );
    let facts = texts(root, ".facts dd");
    assert!(
        facts.contains(&"2024-04-25T00:00:00Z to 2024-05-02T00:00:00Z".to_string()),
        "{facts:?}"
    );
    assert!(
        facts.contains(&"3 considered: 2 ran, 1 skipped, 0 failed".to_string()),
        "{facts:?}"
    );
    assert_eq!(
        texts(root, "#data-read tbody tr"),
        ["DeviceNetworkEvents 2 100 0 7"]
    );
    assert_eq!(
        texts(root, "#skipped-rules tbody tr"),
        ["Onion domain because no DeviceEvents"]
    );

    // One timeline per device; the range is the hunt's (2024-04-25 .. 05-02, 7 days over 700 units
    // from x = 240), so 2024-05-01T12:00 (6.5 days in) is at 240 + 650 = 890, 06:00 at 865.
    let devices = select(root, "article.device");
    assert_eq!(devices.len(), 2);
    assert_eq!(texts(devices[0], "h3"), ["ws-01 (d1) 2 alerts"]);
    let marks: Vec<(String, String)> = select(devices[0], "circle.mark")
        .iter()
        .map(|c| {
            (
                c.value().attr("cx").unwrap().to_string(),
                c.value().attr("class").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        marks,
        [
            ("890.0".to_string(), "mark sev-high".to_string()),
            ("865.0".to_string(), "mark sev-medium".to_string())
        ]
    );
    assert_eq!(texts(devices[0], ".lane-label"), ["Torrent client", "Tor relay"]);
    assert_eq!(select(devices[1], "circle.mark").len(), 1);
    let ticks = texts(devices[1], ".tick-label");
    assert_eq!(ticks.first().map(String::as_str), Some("2024-04-25 00:00"));
    assert_eq!(ticks.last().map(String::as_str), Some("2024-05-02 00:00"));

    // The alert table, in the run's order, each row linking to its details.
    let rows = select(root, "#alert-table tbody tr");
    assert_eq!(rows.len(), 3);
    assert_eq!(
        text(&rows[1]),
        "2024-05-01T06:00:00Z Medium Tor relay ws-01 (d1) tor.exe 192.0.2.7 192.0.2.7 on ws-01"
    );
    let details = select(root, "details.alert");
    assert_eq!(details.len(), 3);
    let relay = details[1];
    assert_eq!(relay.value().attr("id"), Some("alert-2"));
    assert_eq!(
        select(relay, ".relay a")[0].value().attr("href"),
        Some("https://metrics.torproject.org/rs.html#details/9695DFC35FFEB861329B9F1AB04C46397020CE31")
    );
    assert_eq!(
        texts(relay, ".relay dd")[2..],
        [
            "moria1",
            "Guard, Running",
            "us",
            "2024-04-01T00:00:00Z",
            "2024-05-01T00:00:00Z"
        ]
    );
    assert_eq!(
        select(relay, "a.technique")[0].value().attr("href"),
        Some("https://attack.mitre.org/techniques/T1090/003/")
    );
    assert_eq!(texts(relay, "dd ol li"), ["Act: relay"]);
    assert_eq!(
        texts(relay, "table.row tr"),
        [
            "Timestamp 2024-05-01T06:00:00Z",
            "DeviceName ws-01",
            "RemoteUrl 192.0.2.7"
        ]
    );

    // Every rule with its status and KQL.
    assert_eq!(
        texts(root, "#rule-table tbody tr td:nth-child(3)"),
        ["ran", "ran", "skipped"]
    );
    assert_eq!(
        texts(root, "article.rule pre.kql"),
        [
            "DeviceNetworkEvents | where RemoteUrl has \"torrent\"",
            "DeviceNetworkEvents | where RemoteUrl has \"relay\"",
            "DeviceNetworkEvents | where RemoteUrl has \"no DeviceEvents\""
        ]
    );
}

#[test]
fn a_run_saved_without_summary_says_what_it_cannot_show() {
    let run = SavedRun {
        summary: None,
        ..small_run()
    };
    let page = Html::parse_document(&render(&run).unwrap());
    let root = page.root_element();
    assert_eq!(select(root, "p.warning").len(), 1);
    assert!(select(root, "#data-read").is_empty());
    // Alerts are still all there; the timeline spans the alerts themselves.
    assert_eq!(select(root, "#alert-table tbody tr").len(), 3);
    assert_eq!(select(root, "circle.mark").len(), 3);
    assert_eq!(
        texts(root, "#rules p"),
        ["The rules are not known: this file has no run summary."]
    );
}
