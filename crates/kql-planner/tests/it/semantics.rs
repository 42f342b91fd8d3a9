//! Kusto semantics that differ from SQL: string operators, strings that are never null, null
//! handling in comparisons, case rules, and now()/ago() from the query's fixed clock.

use crate::row;
use crate::support::Fixture;

#[test]
fn has_matches_terms_while_contains_matches_substrings() {
    let data = "datatable(s:string) ['North America', 'tor.exe started', 'toronto', 'TOR']";
    let fixture = Fixture::default();
    assert_eq!(
        fixture.sorted_rows(&format!("{data} | where s has 'tor'")),
        vec![row!["TOR"], row!["tor.exe started"]]
    );
    assert_eq!(
        fixture.sorted_rows(&format!("{data} | where s contains 'tor'")),
        vec![row!["TOR"], row!["tor.exe started"], row!["toronto"]]
    );
    assert_eq!(
        fixture.sorted_rows(&format!("{data} | where s has_cs 'tor'")),
        vec![row!["tor.exe started"]]
    );
    assert_eq!(
        fixture.sorted_rows(&format!("{data} | where s !has 'tor'")),
        vec![row!["North America"], row!["toronto"]]
    );
    // String operators table: "North America" has "america", startswith "nor", endswith "ica".
    assert_eq!(
        fixture.rows("print 'North America' has 'america', 'North America' startswith 'nor', 'North America' endswith_cs 'ica'"),
        vec![row!["true", "true", "true"]]
    );
}

#[test]
fn equality_is_case_sensitive_and_tilde_forms_are_not() {
    let data = "datatable(s:string) ['Tor', 'tor', 'TOR', 'other']";
    let fixture = Fixture::default();
    assert_eq!(
        fixture.rows(&format!("{data} | where s == 'tor'")),
        vec![row!["tor"]]
    );
    assert_eq!(
        fixture.sorted_rows(&format!("{data} | where s =~ 'tor'")),
        vec![row!["TOR"], row!["Tor"], row!["tor"]]
    );
    assert_eq!(
        fixture.sorted_rows(&format!("{data} | where s in ('Tor', 'other')")),
        vec![row!["Tor"], row!["other"]]
    );
    assert_eq!(
        fixture.sorted_rows(&format!("{data} | where s in~ ('TOR')")),
        vec![row!["TOR"], row!["Tor"], row!["tor"]]
    );
    assert_eq!(
        fixture.sorted_rows(&format!("{data} | where s !in~ ('TOR')")),
        vec![row!["other"]]
    );
}

#[test]
fn empty_strings_and_nulls() {
    let fixture = Fixture::default();
    // isempty is true for "" and null; a string is never null; other types are.
    assert_eq!(
        fixture.rows("print isempty(''), isempty('a'), isnull(''), isempty(long(null)), isnull(long(null)), isnotempty('x')"),
        vec![row!["true", "false", "false", "true", "true", "true"]]
    );
    // A comparison with null is not true, so `where` drops the row.
    assert_eq!(
        fixture.rows("datatable(n:long) [1, long(null), 3] | where n > 1"),
        vec![row!["3"]]
    );
    // Kusto's coalesce skips empty strings.
    assert_eq!(
        fixture.rows("print coalesce('', 'b'), coalesce(long(null), 2)"),
        vec![row!["b", "2"]]
    );
}

#[test]
fn ago_and_now_fold_to_the_query_clock() {
    // now is 2024-01-10T12:00:00Z for every test.
    let fixture = Fixture::default();
    assert_eq!(
        fixture.rows("print now(), ago(1d), now(-2h)"),
        vec![row![
            "2024-01-10T12:00:00",
            "2024-01-09T12:00:00",
            "2024-01-10T10:00:00"
        ]]
    );
    let data = "datatable(t:datetime) [datetime(2024-01-10 11:00), datetime(2024-01-08)]";
    assert_eq!(
        fixture.rows(&format!("{data} | where t > ago(1d)")),
        vec![row!["2024-01-10T11:00:00"]]
    );
    assert_eq!(
        fixture.rows(&format!("{data} | where t between (ago(3d) .. 1d)")),
        vec![row!["2024-01-08T00:00:00"]]
    );
}

#[test]
fn arithmetic_follows_kusto_types() {
    let rows = Fixture::default().rows(
        "print tostring(datetime(2024-01-02) - datetime(2024-01-01)), datetime(2024-01-01) + 1h, 1h / 1m, int(7) / int(2), 7 / 2.0, tostring(2 * 1h), tostring(1h * 1.5)",
    );
    // Timespans as Kusto prints them.
    assert_eq!(
        rows,
        vec![row![
            "1.00:00:00",
            "2024-01-01T01:00:00",
            "60.0",
            "3",
            "3.5",
            "02:00:00",
            "01:30:00"
        ]]
    );
}
