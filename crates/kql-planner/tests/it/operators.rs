//! Operators end to end: summarize with bin, union type conflicts, sort/top null order, mv-expand,
//! parse, project family, toscalar, range, datatable, getschema.

use crate::row;
use crate::support::Fixture;

#[test]
fn summarize_by_bin_counts_per_hour() {
    let rows = Fixture::default().sorted_rows(
        "datatable(t:datetime, user:string) [datetime(2024-01-01 10:05), 'a', datetime(2024-01-01 10:55), 'b', datetime(2024-01-01 11:00), 'a']
         | summarize count(), dcount(user), Users = countif(user == 'a') by bin(t, 1h)",
    );
    assert_eq!(
        rows,
        vec![
            row!["2024-01-01T10:00:00", "2", "2", "1"],
            row!["2024-01-01T11:00:00", "1", "1", "1"]
        ]
    );
}

#[test]
fn summarize_without_keys_on_no_rows_gives_one_row() {
    let rows = Fixture::default().rows("datatable(n:long) [1] | where n > 5 | summarize count(), sum(n)");
    assert_eq!(rows, vec![row!["0", "null"]]);
}

#[test]
fn arg_max_returns_the_row_of_the_maximum() {
    let rows = Fixture::default().sorted_rows(
        "datatable(k:string, t:long, v:string) ['a', 1, 'x', 'a', 3, 'y', 'b', 2, 'z'] | summarize arg_max(t, *) by k",
    );
    assert_eq!(rows, vec![row!["a", "3", "y"], row!["b", "2", "z"]]);
}

#[test]
fn expressions_over_aggregates_and_arg_max_among_aggregates() {
    let (names, rows) = Fixture::default()
        .run(
            "datatable(k:string, t:long, v:string) ['a', 1, 'x', 'a', 3, 'y', 'b', 2, 'z']
             | summarize Share = count() * 100 / 3, (Last, LastV) = arg_max(t, v), Total = sum(t) by k | sort by k asc",
        )
        .expect("runs");
    assert_eq!(names, ["k", "Share", "Last", "LastV", "Total"]);
    assert_eq!(
        rows,
        vec![row!["a", "66", "3", "y", "4"], row!["b", "33", "2", "z", "2"]]
    );
}

#[test]
fn union_merges_by_name_and_splits_type_conflicts() {
    let (names, mut rows) = Fixture::default()
        .run("union (print X=1, Y='a'), (print X='s', Z=2)")
        .expect("runs");
    rows.sort();
    assert_eq!(names, ["X_long", "X_string", "Y", "Z"]);
    // A missing string is "", a missing long is null.
    assert_eq!(rows, vec![row!["1", "", "a", "null"], row!["null", "s", "", "2"]]);
}

#[test]
fn union_withsource_names_each_input() {
    // as-operator docs example: the `as` names are the sources.
    let (names, mut rows) = Fixture::default()
        .run("range x from 1 to 2 step 1 | as T1 | union withsource=TableName (range x from 1 to 1 step 1 | as T2)")
        .expect("runs");
    rows.sort();
    assert_eq!(names, ["TableName", "x"]);
    assert_eq!(rows, vec![row!["T1", "1"], row!["T1", "2"], row!["T2", "1"]]);
    let rows = Fixture::default().sorted_rows(
        "let View_1 = view () { print x=1 }; let View_2 = view () { print x=toint(2) }; union withsource=TableName View_1, View_2",
    );
    assert_eq!(
        rows,
        vec![row!["View_1", "1", "null"], row!["View_2", "null", "2"]]
    );
}

#[test]
fn sort_defaults_to_descending_with_nulls_last() {
    let fixture = Fixture::default();
    let data = "datatable(n:long) [2, long(null), 3, 1]";
    assert_eq!(
        fixture.rows(&format!("{data} | sort by n")),
        vec![row!["3"], row!["2"], row!["1"], row!["null"]]
    );
    assert_eq!(
        fixture.rows(&format!("{data} | sort by n asc")),
        vec![row!["null"], row!["1"], row!["2"], row!["3"]]
    );
    assert_eq!(
        fixture.rows(&format!("{data} | top 2 by n")),
        vec![row!["3"], row!["2"]]
    );
    assert_eq!(
        fixture.rows(&format!("{data} | order by n asc nulls last | take 1")),
        vec![row!["1"]]
    );
}

#[test]
fn mv_expand_makes_one_row_per_element() {
    let rows = Fixture::default().rows(
        "datatable(a:string, d:dynamic) ['x', dynamic([1, 2]), 'y', dynamic([3])] | mv-expand d to typeof(long) | sort by d asc",
    );
    assert_eq!(rows, vec![row!["x", "1"], row!["x", "2"], row!["y", "3"]]);
}

#[test]
fn parse_extracts_typed_columns() {
    let fixture = Fixture::default();
    let rows = fixture.rows(
        "datatable(s:string) ['GET /a 200', 'junk'] | parse s with verb:string ' ' path:string ' ' code:long | project verb, path, code",
    );
    // A row that does not match keeps "" / null.
    assert_eq!(rows, vec![row!["GET", "/a", "200"], row!["", "", "null"]]);
    let rows = fixture
        .rows("datatable(s:string) ['GET /a 200', 'junk'] | parse-where s with verb ' ' * | project verb");
    assert_eq!(rows, vec![row!["GET"]]);
}

#[test]
fn parse_kv_extracts_each_row() {
    // Per row: a key that does not appear is "" (string) or null (long), a value that does not
    // convert is null.
    let rows = Fixture::default().rows(
        "datatable(s:string) ['a=1, b=x', 'b=y', 'a=z'] | parse-kv s as (a:long, b:string) with (pair_delimiter=',', kv_delimiter='=') | project a, b",
    );
    assert_eq!(rows, vec![row!["1", "x"], row!["null", "y"], row!["null", ""]]);
}

#[test]
fn project_family_and_extend() {
    let (names, rows) = Fixture::default()
        .run("print a = 1, b = 'x', c = 2.5 | extend a = a + 1, d = strlen(b) | project-away c | project-rename B = b | project-reorder d")
        .expect("runs");
    assert_eq!(names, ["d", "a", "B"]);
    assert_eq!(rows, vec![row!["1", "2", "x"]]);
}

#[test]
fn toscalar_range_distinct_count_getschema() {
    let fixture = Fixture::default();
    assert_eq!(
        fixture.rows("let total = toscalar(range i from 1 to 4 step 1 | summarize sum(i)); range x from 1 to 3 step 1 | extend share = x * 100 / total"),
        vec![row!["1", "10"], row!["2", "20"], row!["3", "30"]]
    );
    assert_eq!(
        fixture.rows("datatable(a:string) ['x', 'x', 'y'] | distinct a | count"),
        vec![row!["2"]]
    );
    assert_eq!(
        fixture.rows("datatable(a:string, n:int) ['x', 1] | getschema"),
        vec![
            row!["a", "0", "System.String", "string"],
            row!["n", "1", "System.Int32", "int"]
        ]
    );
}
