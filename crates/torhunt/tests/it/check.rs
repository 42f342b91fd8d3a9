//! `torhunt check`: valid queries and rule files pass, errors are located and exit non-zero.

use crate::{stderr, stdout, torhunt};

#[test]
fn shipped_rules_are_valid_in_every_variant() {
    let output = torhunt(
        &[
            "check",
            "--file",
            "rules/tor-connection-established.md",
            "--file",
            "rules/detect-tor-relay-connectivity.yaml",
        ],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    // The markdown document has two KQL variants; each is reported under its section.
    assert!(out.contains("[Defender for Endpoint]"), "{out}");
    assert!(out.contains("[Sentinel KQL]"), "{out}");
    assert!(out.contains("detect-tor-relay-connectivity.yaml"), "{out}");
}

#[test]
fn a_syntax_error_shows_line_column_and_a_caret_and_exits_1() {
    let query = "DeviceNetworkEvents\n| where RemoteUrl has \"tor\"\n| project Timestamp,";
    let output = torhunt(&["check", query], None);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    // The error is at the end of line 3, after the trailing comma (column 20).
    assert!(err.contains("<query>:3:"), "{err}");
    assert!(
        err.contains("project Timestamp,"),
        "the source line is shown: {err}"
    );
    assert!(
        err.lines()
            .any(|l| l.trim_start().starts_with('·') && (l.contains('─') || l.contains('▲'))),
        "a mark under the span: {err}"
    );
    assert!(err.contains("kql::syntax"), "{err}");
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let output = torhunt(&["check", "--file", "-"], Some("print x = 1"));
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("ok: <stdin>"));
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    let output = torhunt(&["check", "--file", "no/such/rule.kql"], None);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no/such/rule.kql"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn check_binds_against_the_built_in_schemas_and_suggests_names() {
    let output = torhunt(
        &["check", "DeviceNetworkEvents | where RemoteUrll has \"tor\""],
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("unknown column `RemoteUrll`") && err.contains("`RemoteUrl`"),
        "{err}"
    );
    assert!(err.contains("kql::unknown_name"), "{err}");
}

#[test]
fn an_unsupported_operator_is_refused_by_name_with_its_span() {
    let output = torhunt(&["check", "DeviceNetworkEvents | reduce by DeviceName"], None);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("not supported yet: `reduce`") && err.contains("1:23"),
        "{err}"
    );
}

#[test]
fn partition_subqueries_are_checked_without_data() {
    // `check` cannot read the keys, so it validates the subquery once over the whole input.
    let valid = torhunt(
        &[
            "check",
            "DeviceNetworkEvents | partition hint.strategy=native by DeviceName (top 1 by Timestamp)",
        ],
        None,
    );
    assert_eq!(valid.status.code(), Some(0), "{}", stderr(&valid));
    let invalid = torhunt(
        &[
            "check",
            "DeviceNetworkEvents | partition by DeviceName (top 1 by Timestamp2)",
        ],
        None,
    );
    assert_eq!(invalid.status.code(), Some(1));
    assert!(
        stderr(&invalid).contains("unknown column `Timestamp2`"),
        "{}",
        stderr(&invalid)
    );
}

#[test]
fn catalog_tables_check_without_data_and_misspelt_ones_get_a_suggestion() {
    // Columns of the Defender and Sentinel tables, used with their documented types: `Port` is an int
    // in IdentityLogonEvents, `LocationDetails` dynamic and `ResultType` a string in SigninLogs.
    let query = "SigninLogs\n\
        | where ResultType == \"0\" and tostring(LocationDetails.countryOrRegion) != \"NL\"\n\
        | join kind=inner (IdentityLogonEvents | where Port + 1 == 89) on $left.UserPrincipalName == $right.AccountUpn\n\
        | project TimeGenerated, AccountUpn, Port";
    let output = torhunt(&["check", query], None);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = torhunt(&["check", "SigninLog | take 1"], None);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("SigninLog") && err.contains("did you mean `SigninLogs`"),
        "{err}"
    );
}
