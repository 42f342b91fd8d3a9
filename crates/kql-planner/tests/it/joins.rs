//! Every join kind on the example tables of the Kusto join documentation:
//! X = (a,1) (b,2) (b,3) (c,4) and Y = (b,10) (c,20) (c,30) (d,40), joined on Key.

use crate::row;
use crate::support::Fixture;

const TABLES: &str = "let X = datatable(Key:string, Value1:long) ['a',1, 'b',2, 'b',3, 'c',4];
let Y = datatable(Key:string, Value2:long) ['b',10, 'c',20, 'c',30, 'd',40];";

fn join(kind: &str) -> Vec<Vec<String>> {
    Fixture::default().sorted_rows(&format!("{TABLES} X | join {kind} Y on Key"))
}

#[test]
fn innerunique_keeps_one_left_row_per_key() {
    let rows = join("kind=innerunique");
    // The docs: one of the two `b` rows of X (either one), then each matching row of Y.
    assert_eq!(rows.len(), 3);
    assert!(
        rows[0] == row!["b", "2", "b", "10"] || rows[0] == row!["b", "3", "b", "10"],
        "{rows:?}"
    );
    assert_eq!(rows[1..], [row!["c", "4", "c", "20"], row!["c", "4", "c", "30"]]);
    assert_eq!(join(""), rows, "innerunique is the default kind");
}

#[test]
fn inner_is_the_full_cross_product_of_matches() {
    assert_eq!(
        join("kind=inner"),
        vec![
            row!["b", "2", "b", "10"],
            row!["b", "3", "b", "10"],
            row!["c", "4", "c", "20"],
            row!["c", "4", "c", "30"]
        ]
    );
}

#[test]
fn outer_joins_fill_the_missing_side_with_empty_strings_and_nulls() {
    assert_eq!(
        join("kind=leftouter"),
        vec![
            row!["a", "1", "", "null"],
            row!["b", "2", "b", "10"],
            row!["b", "3", "b", "10"],
            row!["c", "4", "c", "20"],
            row!["c", "4", "c", "30"],
        ]
    );
    assert_eq!(
        join("kind=rightouter"),
        vec![
            row!["", "null", "d", "40"],
            row!["b", "2", "b", "10"],
            row!["b", "3", "b", "10"],
            row!["c", "4", "c", "20"],
            row!["c", "4", "c", "30"],
        ]
    );
    assert_eq!(
        join("kind=fullouter"),
        vec![
            row!["", "null", "d", "40"],
            row!["a", "1", "", "null"],
            row!["b", "2", "b", "10"],
            row!["b", "3", "b", "10"],
            row!["c", "4", "c", "20"],
            row!["c", "4", "c", "30"],
        ]
    );
}

#[test]
fn semi_and_anti_joins_return_one_side() {
    assert_eq!(join("kind=leftanti"), vec![row!["a", "1"]]);
    assert_eq!(join("kind=rightanti"), vec![row!["d", "40"]]);
    assert_eq!(
        join("kind=leftsemi"),
        vec![row!["b", "2"], row!["b", "3"], row!["c", "4"]]
    );
    assert_eq!(
        join("kind=rightsemi"),
        vec![row!["b", "10"], row!["c", "20"], row!["c", "30"]]
    );
}

#[test]
fn join_column_names_follow_kusto() {
    let (names, _) = Fixture::default()
        .run(&format!("{TABLES} X | join kind=inner Y on Key"))
        .expect("runs");
    assert_eq!(names, ["Key", "Value1", "Key1", "Value2"]);
}

#[test]
fn lookup_drops_the_right_key_and_keeps_unmatched_left_rows() {
    let rows = Fixture::default().sorted_rows(&format!(
        "{TABLES} X | lookup (Y | summarize Value2 = max(Value2) by Key) on Key"
    ));
    assert_eq!(
        rows,
        vec![
            row!["a", "1", "null"],
            row!["b", "2", "10"],
            row!["b", "3", "10"],
            row!["c", "4", "30"]
        ]
    );
}
