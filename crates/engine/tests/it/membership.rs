//! `in`, `!in`, `in~`, `!in~`, `has_any` and `has_all` with every operand form the Kusto docs allow:
//! scalars, constant and computed (`toscalar`) dynamic arrays, `let`-bound tables and subqueries.
//! Expectations come from the operators' documentation and the null-values page (`null == x` is
//! false, `null != x` is true, `where` drops a null condition).

use serde_json::{Value, json};

use crate::support::{answer, run};

/// Names (`n`) and whether they are in a list (`b`), in name order.
async fn flags(kql: &str) -> Vec<(Value, Value)> {
    let result = answer(&format!("{kql} | project n, b | sort by n asc")).await;
    result
        .rows
        .into_iter()
        .map(|row| (row[0].clone(), row[1].clone()))
        .collect()
}

fn flag(name: &str, value: bool) -> (Value, Value) {
    (json!(name), json!(value))
}

const HOSTS: &str = r#"let Hosts = datatable (n: string, id: long)
    ["alpha", 1, "Beta", 2, "gamma", 3, "delta", long(null)];"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_operator_docs_examples() {
    // The comparison table of the `in` operators' docs: each example yields true.
    let result = answer(
        r#"print a = "abc" in ("123", "345", "abc"), b = "bca" !in ("123", "345", "abc"),
                 c = "Abc" in~ ("123", "345", "abc"), d = "bCa" !in~ ("123", "345", "ABC"),
                 e = "Abc" in ("123", "345", "abc")"#,
    )
    .await;
    assert_eq!(
        result.rows,
        [[json!(true), json!(true), json!(true), json!(true), json!(false)]]
    );
    // Nested arrays are flattened: `x in (dynamic([1,[2,3]]))` is `x in (1,2,3)`.
    let nested =
        answer("range x from 0 to 4 step 1 | where x in (dynamic([1, [2, 3]])) | summarize make_list(x)")
            .await;
    assert_eq!(nested.rows, [[json!([1, 2, 3])]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_a_let_bound_table_or_subquery_uses_its_first_column() {
    let wanted = r#"let Wanted = datatable (name: string, other: long)["alpha", 3, "BETA", 1];"#;
    let sensitive = flags(&format!("{HOSTS} {wanted} Hosts | extend b = n in (Wanted)")).await;
    assert_eq!(
        sensitive,
        [
            flag("Beta", false),
            flag("alpha", true),
            flag("delta", false),
            flag("gamma", false)
        ]
    );
    // `in~` ignores case; the subquery form works like the `let` form.
    let insensitive = flags(&format!(
        "{HOSTS} {wanted} Hosts | extend b = n in~ (Wanted | project name)"
    ))
    .await;
    assert_eq!(
        insensitive,
        [
            flag("Beta", true),
            flag("alpha", true),
            flag("delta", false),
            flag("gamma", false)
        ]
    );
    let negated = answer(&format!(
        "{HOSTS} {wanted} Hosts | where n !in~ (Wanted) | project n | sort by n asc"
    ))
    .await;
    assert_eq!(negated.rows, [[json!("delta")], [json!("gamma")]]);
    // Numbers: the first column (`other`) of a subquery, not its name.
    let ids = answer(&format!(
        "{HOSTS} {wanted} Hosts | where id in ((Wanted | project other, name)) | project n"
    ))
    .await;
    assert_eq!(ids.rows, [[json!("alpha")], [json!("gamma")]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nulls_are_in_no_list() {
    // `null == x` is false and `null != x` true: the null id is `!in` every list, tabular or not, and
    // a null in the list matches nothing (so `!in` still holds for the other values).
    let with_null = "let Ids = datatable (i: long)[1, long(null)];";
    let tabular = answer(&format!(
        "{HOSTS} {with_null} Hosts | extend a = id in (Ids), b = id !in (Ids) | project n, a, b | sort by n asc"
    ))
    .await;
    assert_eq!(
        tabular.rows,
        [
            [json!("Beta"), json!(false), json!(true)],
            [json!("alpha"), json!(true), json!(false)],
            [json!("delta"), json!(false), json!(true)],
            [json!("gamma"), json!(false), json!(true)],
        ]
    );
    let scalars = answer(&format!(
        "{HOSTS} Hosts | where id !in (1, long(null), 3) | project n | sort by n asc"
    ))
    .await;
    assert_eq!(scalars.rows, [[json!("Beta")], [json!("delta")]]);
    let found = answer(&format!(
        "{HOSTS} Hosts | extend a = id in (2, long(null)) | project n, a | sort by n asc"
    ))
    .await;
    assert_eq!(
        found.rows,
        [
            [json!("Beta"), json!(true)],
            [json!("alpha"), json!(false)],
            [json!("delta"), json!(false)],
            [json!("gamma"), json!(false)],
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_computed_at_run_time() {
    // The issue's form: `let L = toscalar(T | summarize make_set(x)); ... | where y in (L)`.
    let computed =
        r#"let L = toscalar(datatable (x: string)["gamma", "ALPHA", "gamma"] | summarize make_set(x));"#;
    let sensitive = flags(&format!("{HOSTS} {computed} Hosts | extend b = n in (L)")).await;
    assert_eq!(
        sensitive,
        [
            flag("Beta", false),
            flag("alpha", false),
            flag("delta", false),
            flag("gamma", true)
        ]
    );
    let insensitive = flags(&format!("{HOSTS} {computed} Hosts | extend b = n in~ (L)")).await;
    assert_eq!(
        insensitive,
        [
            flag("Beta", false),
            flag("alpha", true),
            flag("delta", false),
            flag("gamma", true)
        ]
    );
    // With other values beside it, and negated.
    let mixed = answer(&format!(
        r#"{HOSTS} {computed} Hosts | where n !in ("delta", L) | project n | sort by n asc"#
    ))
    .await;
    assert_eq!(mixed.rows, [[json!("Beta")], [json!("alpha")]]);
    // Numbers computed at run time compare as numbers.
    let ids = answer(&format!(
        "{HOSTS} let Ids = toscalar(range i from 2 to 3 step 1 | summarize make_list(i)); \
         Hosts | where id in (Ids) | project n | sort by n asc"
    ))
    .await;
    assert_eq!(ids.rows, [[json!("Beta")], [json!("gamma")]]);
    // An empty computed array holds nothing.
    let none = answer(&format!(
        "{HOSTS} let Empty = toscalar(datatable (x: string)[] | summarize make_set(x)); \
         Hosts | where n !in (Empty) | count"
    ))
    .await;
    assert_eq!(none.rows, [[json!(4)]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arrays_in_a_table_column_are_flattened() {
    // Microsoft's hunting query "Non_intended_user_logon": `let L = T | summarize make_list(x);
    // ... | where y in (L)`; nested arrays are flattened (the `in` docs), so the list is the elements.
    let lists = r#"let Wanted = datatable (n: string)["alpha", "gamma"] | summarize make_list(n);
        let Arrays = datatable (a: dynamic)[dynamic([1]), dynamic([3, 5]), dynamic(null)];"#;
    let names = answer(&format!(
        "{HOSTS} {lists} Hosts | where n in (Wanted) | project n | sort by n asc"
    ))
    .await;
    assert_eq!(names.rows, [[json!("alpha")], [json!("gamma")]]);
    let ids = answer(&format!(
        "{HOSTS} {lists} Hosts | where id !in (Arrays) | project n | sort by n asc"
    ))
    .await;
    assert_eq!(ids.rows, [[json!("Beta")], [json!("delta")]]);
    let terms = answer(&format!(
        "{HOSTS} {lists} Hosts | where n has_any (Wanted) | project n | sort by n asc"
    ))
    .await;
    assert_eq!(terms.rows, [[json!("alpha")], [json!("gamma")]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn has_any_and_has_all_with_tables_and_computed_lists() {
    let text = r#"let Lines = datatable (n: string, line: string)
        ["a", "tor.exe --hush", "b", "TORONTO maps", "c", "obfs4 bridge via Tor", "d", "nothing here"];"#;
    // has_any matches whole terms ignoring case: "tor" is in "tor.exe" and "Tor", not in "TORONTO".
    let table = answer(&format!(
        r#"{text} let Terms = datatable (term: string, weight: long)["TOR", 1, "bridge", 2];
        Lines | where line has_any (Terms) | project n"#
    ))
    .await;
    assert_eq!(table.rows, [[json!("a")], [json!("c")]]);
    let subquery = answer(&format!(
        r#"{text} Lines | where line has_all ((datatable (term: string)["tor", "bridge"])) | project n"#
    ))
    .await;
    assert_eq!(subquery.rows, [[json!("c")]]);
    let computed = answer(&format!(
        r#"{text} let Terms = toscalar(datatable (t: string)["maps", "hush"] | summarize make_set(t));
        Lines | where line has_any (Terms, "obfs4") | project n"#
    ))
    .await;
    assert_eq!(computed.rows, [[json!("a")], [json!("b")], [json!("c")]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_row_arrays_need_in_tilde() {
    let per_row = run(r#"datatable (x: string, d: dynamic)["a", dynamic(["a"])] | where x in (d)"#)
        .await
        .err()
        .expect("refused");
    assert!(
        per_row.contains("case-sensitive `in` over an array that differs per row"),
        "{per_row}"
    );
    // The case-insensitive form reads each row's array.
    let insensitive = answer(
        r#"datatable (x: string, d: dynamic)["a", dynamic(["A"]), "b", dynamic(["c"])] | where x in~ (d)"#,
    )
    .await;
    assert_eq!(insensitive.rows, [[json!("a"), json!(["A"])]]);
}
