use torhunt_rules::check::{CheckOutcome, check_variant};
use torhunt_rules::shipped::{SHIPPED_FILES, shipped_rules};
use torhunt_rules::testing::{TestOutcome, run_rule_tests};
use torhunt_rules::{Severity, load_rules};

use crate::rules_dir;

#[test]
fn every_file_of_the_rules_folder_is_built_in() {
    let mut on_disk: Vec<String> = std::fs::read_dir(rules_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let built_in: Vec<&str> = SHIPPED_FILES.iter().map(|(name, _)| *name).collect();
    assert_eq!(on_disk, built_in);
    for (name, text) in SHIPPED_FILES {
        assert_eq!(
            std::fs::read_to_string(rules_dir().join(name)).unwrap(),
            *text,
            "{name}"
        );
    }
}

#[test]
fn founding_rules_get_their_metadata_from_companions() {
    let rules = load_rules(&[rules_dir()]).unwrap().all().unwrap();
    assert_eq!(rules.len(), shipped_rules().unwrap().len());
    let relay = rules
        .iter()
        .find(|r| r.id == "26be4a5f-7e6f-4c2e-967d-467bddcbb51a")
        .expect("Sentinel id");
    assert_eq!(relay.name, "DetectTorRelayConnectivity");
    assert_eq!(relay.tactics, ["Discovery", "Command and Control"]);
    assert_eq!(relay.techniques, ["T1090.003"]);
    assert_eq!(relay.declared_tables, ["DeviceNetworkEvents", "DeviceInfo"]);
    assert!(!relay.tests.is_empty() && !relay.false_positives.is_empty());

    let markdown = rules
        .iter()
        .find(|r| r.id == "tor-connection-established")
        .expect("slug of the title");
    assert_eq!(markdown.name, "TOR Connection Established");
    assert!(
        markdown
            .description
            .starts_with("This alert is triggered when a device")
    );
    assert_eq!(markdown.recommended_actions.len(), 3);
    assert_eq!(markdown.resources.len(), 1);
    assert_eq!(markdown.severity, Severity::Medium);
    let variants: Vec<(&str, &str)> = markdown
        .variants
        .iter()
        .map(|v| (v.name.as_deref().unwrap(), v.time_column.as_str()))
        .collect();
    assert_eq!(
        variants,
        [
            ("Defender for Endpoint", "Timestamp"),
            ("Sentinel KQL", "TimeGenerated")
        ]
    );
}

#[test]
fn every_rule_has_guidance_and_tests() {
    for rule in shipped_rules().unwrap() {
        assert!(!rule.description.is_empty(), "{}", rule.id);
        assert!(!rule.recommended_actions.is_empty(), "{}", rule.id);
        assert!(!rule.false_positives.is_empty(), "{}", rule.id);
        assert!(
            !rule.techniques.is_empty() && !rule.tactics.is_empty(),
            "{}",
            rule.id
        );
        // At least one case the rule must match and one near miss it must not.
        assert!(
            rule.tests.iter().any(|t| !t.expect.is_empty()),
            "{}: no positive test",
            rule.id
        );
        assert!(
            rule.tests.iter().any(|t| t.expect.is_empty()),
            "{}: no near miss",
            rule.id
        );
    }
}

#[test]
fn every_rule_checks_against_the_builtin_schemas() {
    for rule in shipped_rules().unwrap() {
        for variant in &rule.variants {
            match check_variant(&rule, variant) {
                CheckOutcome::Valid => {}
                // The time-aware relay rule binds only where the intel functions are known.
                CheckOutcome::SyntaxOnly(reason) => {
                    assert!(reason.contains("tor_relay_at"), "{}: {reason}", rule.id)
                }
                other => panic!("{} {:?}: {other:?}", rule.id, variant.name),
            }
        }
    }
}

#[tokio::test]
async fn every_embedded_test_passes() {
    let mut ran = 0;
    for rule in shipped_rules().unwrap() {
        for result in run_rule_tests(&rule).await {
            match &result.outcome {
                TestOutcome::Pass => ran += 1,
                TestOutcome::Fail(reason) => {
                    panic!(
                        "{} {:?} `{}`: {reason}",
                        result.rule_id, result.variant, result.test
                    )
                }
            }
        }
    }
    assert!(ran >= 12, "only {ran} tests ran");
}
