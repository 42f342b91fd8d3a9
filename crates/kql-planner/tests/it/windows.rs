//! Window functions over serialized rows (`row_number`, `prev`, `next`, `row_cumsum`, `row_rank_min`,
//! `serialize Name = expr`) and `union isfuzzy=true`, against the examples of the Kusto documentation.

use crate::row;
use crate::support::{Fixture, batch, columns};

/// The row_number() docs: `range a from 1 to 10 step 1 | sort by a desc | extend rn=row_number(7)`.
#[test]
fn row_number_counts_from_start_in_sorted_order() {
    let rows =
        Fixture::default().rows("range a from 1 to 4 step 1 | sort by a desc | extend rn=row_number(7)");
    assert_eq!(
        rows,
        vec![row!["4", "7"], row!["3", "8"], row!["2", "9"], row!["1", "10"]]
    );
}

/// The row_number() docs: numbering restarts where `prev(Airport) != Airport`.
#[test]
fn row_number_restarts_where_the_condition_holds() {
    let rows = Fixture::default().rows(
        r#"datatable (Airport:string, Airline:string, Departures:long)
           ["TLV", "LH", 1, "TLV", "LY", 100, "SEA", "LH", 1, "SEA", "BA", 2, "SEA", "LY", 0]
           | sort by Airport asc, Departures desc
           | extend Rank=row_number(1, prev(Airport) != Airport)"#,
    );
    assert_eq!(
        rows,
        vec![
            row!["SEA", "BA", "2", "1"],
            row!["SEA", "LH", "1", "2"],
            row!["SEA", "LY", "0", "3"],
            row!["TLV", "LY", "100", "1"],
            row!["TLV", "LH", "1", "2"],
        ]
    );
}

/// The prev()/next() docs: the value `offset` rows back or ahead, else the default (null when not
/// given; a Kusto string is never null, so "" for strings).
#[test]
fn prev_and_next_read_neighbouring_rows() {
    let rows = Fixture::default().rows(
        "datatable(t:long, s:string) [1, 'a', 2, 'b', 3, 'c'] | sort by t asc
         | extend p = prev(t), n2 = next(t, 2, -1), ps = prev(s)",
    );
    assert_eq!(
        rows,
        vec![
            row!["1", "a", "null", "3", ""],
            row!["2", "b", "1", "-1", "a"],
            row!["3", "c", "2", "-1", "b"]
        ]
    );
}

/// The row_cumsum() docs: `datatable (a:long) [1..10] | where a%2==0 | serialize cs=row_cumsum(a)`.
#[test]
fn serialize_defines_a_running_sum() {
    let rows = Fixture::default().rows(
        "datatable (a:long) [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] | where a%2==0 | serialize cs=row_cumsum(a)",
    );
    assert_eq!(
        rows,
        vec![
            row!["2", "2"],
            row!["4", "6"],
            row!["6", "12"],
            row!["8", "20"],
            row!["10", "30"]
        ]
    );
}

/// The row_cumsum() docs: the sum restarts with each name.
#[test]
fn row_cumsum_restarts_per_group() {
    let rows = Fixture::default().rows(
        r#"datatable (name:string, month:int, salary:long)
           ["Alice", 1, 1000, "Bob", 1, 1000, "Alice", 2, 2000, "Bob", 2, 1950, "Alice", 3, 1400, "Bob", 3, 1450]
           | order by name asc, month asc
           | extend total=row_cumsum(salary, name != prev(name))"#,
    );
    let totals: Vec<&str> = rows.iter().map(|r| r[3].as_str()).collect();
    assert_eq!(totals, ["1000", "3000", "4400", "1000", "2950", "4400"]);
}

/// The row_rank_min() docs: equal values share the lowest rank; ties keep their input order.
#[test]
fn row_rank_min_gives_equal_values_the_lowest_rank() {
    let rows = Fixture::default().rows(
        r#"datatable (Airport:string, Airline:string, Departures:long)
           ["SEA", "LH", 3, "SEA", "LY", 100, "SEA", "UA", 3, "SEA", "BA", 2, "SEA", "EL", 3]
           | sort by Departures asc
           | extend Rank=row_rank_min(Departures)"#,
    );
    assert_eq!(
        rows,
        vec![
            row!["SEA", "BA", "2", "1"],
            row!["SEA", "LH", "3", "2"],
            row!["SEA", "UA", "3", "2"],
            row!["SEA", "EL", "3", "2"],
            row!["SEA", "LY", "100", "5"],
        ]
    );
}

/// The row_rank_dense() docs: the rank goes up by one where the value changes.
#[test]
fn row_rank_dense_counts_changes_of_value() {
    let rows = Fixture::default().rows(
        r#"datatable (Airport:string, Airline:string, Departures:long)
           ["SEA", "LH", 3, "SEA", "LY", 100, "SEA", "UA", 3, "SEA", "BA", 2, "SEA", "EL", 3]
           | sort by Departures asc
           | extend Rank=row_rank_dense(Departures)"#,
    );
    let ranks: Vec<&str> = rows.iter().map(|r| r[3].as_str()).collect();
    assert_eq!(ranks, ["1", "2", "2", "2", "3"]);
}

/// The row_rank_dense() docs' second example: the rank restarts per airport.
#[test]
fn row_rank_dense_restarts_per_partition() {
    let rows = Fixture::default().rows(
        r#"datatable (Airport:string, Airline:string, Departures:long)
           ["SEA", "LH", 3, "SEA", "LY", 100, "SEA", "UA", 3, "SEA", "BA", 2, "SEA", "EL", 3,
            "AMS", "EL", 1, "AMS", "BA", 1]
           | sort by Airport desc, Departures asc
           | extend Rank=row_rank_dense(Departures, prev(Airport) != Airport)"#,
    );
    let ranks: Vec<(&str, &str)> = rows.iter().map(|r| (r[0].as_str(), r[3].as_str())).collect();
    assert_eq!(
        ranks,
        [
            ("SEA", "1"),
            ("SEA", "2"),
            ("SEA", "2"),
            ("SEA", "2"),
            ("SEA", "3"),
            ("AMS", "1"),
            ("AMS", "1"),
        ]
    );
}

/// Kusto refuses window functions over rows that are not serialized; a table scan is not.
#[test]
fn window_functions_over_unserialized_rows_are_refused() {
    let fixture =
        Fixture::default().table("T", columns(&["n:long"]), batch(&columns(&["n:long"]), &[&["1"]]));
    let errors = fixture
        .run("T | extend rn = row_number()")
        .expect_err("must be refused");
    assert!(
        errors[0].message.contains("not serialized"),
        "{}",
        errors[0].message
    );
}

/// The union docs: `isfuzzy=true` leaves out inputs whose table does not exist.
#[test]
fn fuzzy_union_leaves_out_missing_tables() {
    let rows = Fixture::default().rows(
        "let View_1 = view () { print x=1 };
         let View_2 = view () { print x=1 };
         union isfuzzy=true (View_1 | where x > 0), (View_2 | where x > 0), (View_3 | where x > 0)
         | count",
    );
    assert_eq!(rows, vec![row!["2"]]);
}

/// Without `isfuzzy`, a missing table is an error.
#[test]
fn strict_union_rejects_missing_tables() {
    assert!(
        Fixture::default()
            .run("union (print x=1), (Missing | where x > 0)")
            .is_err()
    );
}
