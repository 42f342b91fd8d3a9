//! `mv-expand` options, `mv-apply` and `evaluate bag_unpack`, with expectations from the Kusto
//! documentation and, for result schemas, from Kusto's own semantic analysis (Kusto.Language).

use serde_json::{Value, json};

use crate::support::{answer, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mv_expand_item_index_and_array_bags() {
    // mv-expand docs: `with_itemindex=Index x` numbers the elements from 0.
    let expanded =
        answer("range x from 1 to 4 step 1 | summarize x = make_list(x) | mv-expand with_itemindex=Index x")
            .await;
    assert_eq!(expanded.columns, ["x", "Index"]);
    let expected: Vec<Vec<Value>> = (0..4).map(|i| vec![json!([i + 1]), json!(i)]).collect();
    // x stays dynamic (no `to typeof`), each row one element.
    let elements: Vec<Vec<Value>> = expanded
        .rows
        .iter()
        .map(|row| vec![json!([row[0]]), row[1].clone()])
        .collect();
    assert_eq!(elements, expected);
    // mv-expand docs: kind=array expands a bag into [key, value] arrays.
    let pairs =
        answer(r#"datatable (a: dynamic)[dynamic({"prop1": "a1", "prop2": "b1"})] | mv-expand kind=array a"#)
            .await;
    assert_eq!(pairs.rows, [[json!(["prop1", "a1"])], [json!(["prop2", "b1"])]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mv_apply_runs_the_subquery_per_row() {
    // The mv-apply docs' opening example: the two biggest values of each Metric array.
    let top = answer(
        "datatable (Id: long, Metric: dynamic)[1, dynamic([0.5, 2.5, 1.5]), 2, dynamic([9.0])] \
         | mv-apply Metric to typeof(real) on (top 2 by Metric desc)",
    )
    .await;
    assert_eq!(top.columns, ["Id", "Metric"]);
    assert_eq!(top.types, ["Int64", "Double"]);
    assert_eq!(
        top.rows,
        [
            [json!(1), json!(2.5)],
            [json!(1), json!(1.5)],
            [json!(2), json!(9.0)]
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mv_apply_summarize_over_an_emptied_subtable_gives_one_row() {
    // The subquery runs on each subtable; summarize without keys gives one row even for no rows
    // (summarize docs), so row 1, whose elements the filter removes, counts 0.
    let counted = answer(
        "datatable (i: long, a: dynamic)[1, dynamic([1, 2]), 2, dynamic([5, 7])] \
         | mv-apply x = a to typeof(long) on (where x > 3 | summarize n = count(), s = sum(x)) \
         | sort by i asc",
    )
    .await;
    assert_eq!(counted.columns, ["i", "a", "n", "s"]);
    assert_eq!(
        counted.rows,
        [
            [json!(1), json!([1, 2]), json!(0), Value::Null],
            [json!(2), json!([5, 7]), json!(2), json!(12)]
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mv_apply_output_columns_follow_kusto_schema_rules() {
    // Kusto.Language: the non-expanded input columns come first (a column the subquery also returns
    // takes its value and type there), then the subquery's other columns.
    let reordered = answer(
        "datatable (i: long, Arr: dynamic)[1, dynamic([3])] \
         | mv-apply x = Arr to typeof(long) on (project x, Arr)",
    )
    .await;
    assert_eq!(reordered.columns, ["i", "Arr", "x"]);
    assert_eq!(reordered.rows, [[json!(1), json!([3]), json!(3)]]);
    let replaced = answer(
        "datatable (i: long, Arr: dynamic)[1, dynamic([3])] \
         | mv-apply x = Arr to typeof(long) on (extend i = 'a')",
    )
    .await;
    assert_eq!(replaced.columns, ["i", "Arr", "x"]);
    assert_eq!(replaced.types, ["String", "Object", "Int64"]);
    assert_eq!(replaced.rows, [[json!("a"), json!([3]), json!(3)]]);
    // An expanded column the subquery drops is gone.
    let dropped = answer(
        "datatable (i: long, Arr: dynamic)[1, dynamic([3, 4])] \
         | mv-apply Arr to typeof(long) on (project i)",
    )
    .await;
    assert_eq!(dropped.columns, ["i"]);
    assert_eq!(dropped.rows, [[json!(1)], [json!(1)]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mv_apply_refuses_what_it_cannot_run_per_row() {
    let error = run("datatable (i: long, a: dynamic)[1, dynamic([1])] \
         | mv-apply x = a on (join (datatable (x: dynamic)[1]) on x)")
    .await
    .err()
    .expect("refused");
    assert!(
        error.contains("not supported yet: `join` inside an mv-apply subquery"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bag_unpack_with_an_output_schema() {
    let data = r#"datatable (x: long, d: dynamic)[1, dynamic({"a": 5, "b": "t", "c": true})]"#;
    // bag_unpack docs: only the schema's columns, or the input's too with `*` (Kusto.Language: the
    // unpacked column itself is not kept).
    let only = answer(&format!("{data} | evaluate bag_unpack(d) : (a: long, b: string)")).await;
    assert_eq!(only.columns, ["a", "b"]);
    assert_eq!(only.rows, [[json!(5), json!("t")]]);
    let all = answer(&format!(
        "{data} | evaluate bag_unpack(d, 'p_') : (*, p_a: long, p_z: string)"
    ))
    .await;
    assert_eq!(all.columns, ["x", "p_a", "p_z"]);
    assert_eq!(all.rows, [[json!(1), json!(5), json!("")]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bag_unpack_types_columns_by_their_values() {
    // bag_unpack docs: a slot's type is its values' type when they agree, else dynamic.
    let mixed = answer(
        r#"datatable (d: dynamic)[dynamic({"a": 1, "b": 1.5}), dynamic({"a": "one", "b": null})]
           | evaluate bag_unpack(d)"#,
    )
    .await;
    assert_eq!(mixed.columns, ["a", "b"]);
    assert_eq!(mixed.types, ["Object", "Double"]);
    assert_eq!(mixed.rows, [[json!(1), json!(1.5)], [json!("one"), Value::Null]]);
    // columnsConflict defaults to `error`: a property named like an input column is an error.
    let error =
        run(r#"datatable (Name: string, d: dynamic)['x', dynamic({"Name": "y"})] | evaluate bag_unpack(d)"#)
            .await
            .err()
            .expect("conflict");
    assert!(error.contains("second column `Name`"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_a_subquery_over_the_same_table() {
    // A common hunting shape: rows whose key appears among the table's own filtered rows. The outer
    // and inner queries share the column name, which must not make the semi join ambiguous.
    let result = answer(
        r#"let t = datatable (k: string, v: long)["a", 1, "b", 2, "c", 3];
        t | where k in (t | where v > 1 | distinct k) and v !in (t | where k == "c" | project v)"#,
    )
    .await;
    assert_eq!(result.rows, [[json!("b"), json!(2)]]);
}
