//! Attacker-controlled text in every field of a run (telemetry: device names, URLs, file names, command
//! lines, relay details, row columns; rule files: names, descriptions, actions, KQL, MITRE ids; file
//! names and reasons of the run summary) comes out of the report as text: no element, attribute, script
//! or link of its own.

use scraper::{ElementRef, Html, Selector};
use torhunt_report::{csp, render};

use crate::runs::run_with_text_everywhere;

/// Each breaks out of a different context: element content, a quoted attribute, a link, the
/// stylesheet, the script, an SVG `<title>`, the template language.
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(2)>",
    "'><svg onload=alert(3)>",
    "javascript:alert(4)",
    "</style><script>alert(5)</script>",
    "</title></svg><a href=\"javascript:alert(6)\">x</a>",
    "</script><script>alert(7)</script>",
    "{{ 7 * 7 }}{% raw %}",
    "</textarea><iframe src=\"javascript:alert(8)\"></iframe>",
];

fn select<'a>(page: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    page.select(&Selector::parse(css).unwrap()).collect()
}

/// The links the report may have: in-page anchors, and the two kinds it builds from checked ids.
fn allowed_link(url: &str) -> bool {
    url.starts_with('#') && url[1..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        || url.starts_with("https://attack.mitre.org/techniques/T")
        || url.starts_with("https://metrics.torproject.org/rs.html#details/")
}

fn assert_inert(page: &Html, payload: &str) {
    let scripts = select(page, "script");
    assert_eq!(scripts.len(), 1, "{payload}: one script, the report's own");
    assert_eq!(scripts[0].text().collect::<String>(), csp::SCRIPT, "{payload}");
    let styles = select(page, "style");
    assert_eq!(styles.len(), 1, "{payload}: one stylesheet, the report's own");
    assert_eq!(styles[0].text().collect::<String>(), csp::STYLE, "{payload}");
    for forbidden in [
        "img",
        "iframe",
        "object",
        "embed",
        "base",
        "form",
        "link",
        "foreignObject",
        "animate",
        "set",
    ] {
        assert!(
            select(page, forbidden).is_empty(),
            "{payload}: a <{forbidden}> element"
        );
    }
    let metas = select(page, "meta[http-equiv]");
    assert_eq!(metas.len(), 1, "{payload}: the CSP is the only http-equiv meta");
    assert_eq!(metas[0].value().attr("content"), Some(csp::policy().as_str()));
    for element in select(page, "*") {
        for (name, value) in element.value().attrs() {
            let name = name.to_ascii_lowercase();
            assert!(
                !name.starts_with("on"),
                "{payload}: handler attribute {name}={value}"
            );
            assert_ne!(name, "style", "{payload}: inline style (the CSP would block it)");
            // Data attributes and labels are never followed; anything else must not be a script URL.
            let inert_text = name.starts_with("data-") || name == "aria-label";
            assert!(
                inert_text || !value.trim().to_ascii_lowercase().starts_with("javascript:"),
                "{payload}: {name}={value}"
            );
            if [
                "href",
                "src",
                "action",
                "formaction",
                "xlink:href",
                "srcdoc",
                "data",
            ]
            .contains(&name.as_str())
            {
                assert!(allowed_link(value), "{payload}: link {name}={value}");
            }
        }
    }
}

#[test]
fn hostile_values_in_every_field_come_out_inert() {
    for payload in PAYLOADS {
        let html = render(&run_with_text_everywhere(payload)).unwrap();
        let page = Html::parse_document(&html);
        assert_inert(&page, payload);
        // Kept, as text: the device heading, the alert table, the KQL and the data-read paths.
        let text_of = |css: &str| {
            select(&page, css)
                .iter()
                .map(|e| e.text().collect::<String>())
                .collect::<Vec<_>>()
        };
        assert!(
            text_of(".device h3").iter().any(|t| t.contains(payload)),
            "{payload}"
        );
        assert!(
            text_of("#alert-table tbody td").iter().any(|t| t == payload),
            "{payload}"
        );
        assert!(
            text_of("pre.kql").iter().any(|t| t.contains(payload)),
            "{payload}"
        );
        assert!(text_of(".paths code").iter().any(|t| t == payload), "{payload}");
        assert!(
            text_of("svg title").iter().any(|t| t.contains(payload)),
            "{payload}"
        );
    }
}

#[test]
fn hostile_mitre_ids_and_fingerprints_are_not_links() {
    let html = render(&run_with_text_everywhere("javascript:alert(1)")).unwrap();
    let page = Html::parse_document(&html);
    let hrefs: Vec<&str> = select(&page, "a[href]")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .filter(|href| !href.starts_with('#'))
        .collect();
    // The only outbound links are the rules' real technique (T1090.003); the hostile id and the
    // hostile fingerprint stay text.
    assert!(!hrefs.is_empty());
    assert!(
        hrefs
            .iter()
            .all(|h| *h == "https://attack.mitre.org/techniques/T1090/003/"),
        "{hrefs:?}"
    );
}
