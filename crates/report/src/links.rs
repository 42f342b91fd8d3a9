//! The only outbound links of the report, each built from an identifier that is checked first: text
//! from telemetry or rule files never becomes a URL, so it cannot become a `javascript:` link.

/// `https://attack.mitre.org/techniques/T1090/003/` for `T1090.003`; `None` unless `id` is a technique
/// id (`T` and four digits, optionally `.` and three).
pub fn mitre_technique(id: &str) -> Option<String> {
    let (technique, sub) = match id.split_once('.') {
        Some((technique, sub)) => (technique, Some(sub)),
        None => (id, None),
    };
    let digits = |text: &str, count: usize| text.len() == count && text.bytes().all(|b| b.is_ascii_digit());
    let number = technique.strip_prefix('T')?;
    if !digits(number, 4) || sub.is_some_and(|s| !digits(s, 3)) {
        return None;
    }
    Some(match sub {
        Some(sub) => format!("https://attack.mitre.org/techniques/T{number}/{sub}/"),
        None => format!("https://attack.mitre.org/techniques/T{number}/"),
    })
}

/// The Tor Metrics relay search page of a relay, `None` unless `fingerprint` is 40 hex digits.
pub fn relay_search(fingerprint: &str) -> Option<String> {
    (fingerprint.len() == 40 && fingerprint.bytes().all(|b| b.is_ascii_hexdigit())).then(|| {
        format!(
            "https://metrics.torproject.org/rs.html#details/{}",
            fingerprint.to_ascii_uppercase()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn technique_links_follow_attack_urls() {
        // The layout of attack.mitre.org's own technique pages.
        assert_eq!(
            mitre_technique("T1090.003").as_deref(),
            Some("https://attack.mitre.org/techniques/T1090/003/")
        );
        assert_eq!(
            mitre_technique("T1090").as_deref(),
            Some("https://attack.mitre.org/techniques/T1090/")
        );
        for bad in [
            "javascript:alert(1)",
            "T109",
            "T1090.03",
            "t1090",
            "T1090/../x",
            "TA0011",
            "",
        ] {
            assert_eq!(mitre_technique(bad), None, "{bad}");
        }
    }

    #[test]
    fn relay_links_need_a_fingerprint() {
        let fingerprint = "9695dfc35ffeb861329b9f1ab04c46397020ce31";
        assert_eq!(
            relay_search(fingerprint).as_deref(),
            Some("https://metrics.torproject.org/rs.html#details/9695DFC35FFEB861329B9F1AB04C46397020CE31")
        );
        assert_eq!(relay_search("javascript:alert(1)"), None);
        assert_eq!(relay_search(&"g".repeat(40)), None);
    }
}
