//! `array_sort_asc`/`array_sort_desc` of several arrays: one column per array in `print`, `project`
//! and `extend` (the page's example 1 and its note on naming them), one value elsewhere (example 3).

use serde_json::json;

use crate::support::{answer, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_arrays_become_columns_named_after_them() {
    let printed = answer(
        r#"let array1 = dynamic([1,3,4,5,2]);
           let array2 = dynamic(["a","b","c","d","e"]);
           print array_sort_asc(array1,array2)"#,
    )
    .await;
    assert_eq!(printed.columns, ["array1_sorted", "array2_sorted"]);
    assert_eq!(
        printed.rows,
        [[json!([1, 2, 3, 4, 5]), json!(["a", "e", "b", "c", "d"])]]
    );

    // Names as written; an unnamed argument is `array<i>`, a repeated one gets a suffix
    // (Kusto.Language's names).
    let named = answer(
        "let a = dynamic([2, 1]); print x = 0 | extend (out1, out2) = array_sort_desc(a, dynamic(['p', 'q'])) \
         | project out1, out2, array_sort_asc(a, a, false), array_sort_asc(dynamic([2, 1]), a)",
    )
    .await;
    assert_eq!(
        named.columns,
        [
            "out1",
            "out2",
            "a_sorted",
            "a_sorted1",
            "array0_sorted",
            "a_sorted2"
        ]
    );
    assert_eq!(
        named.rows,
        [[
            json!([2, 1]),
            json!(["p", "q"]),
            json!([1, 2]),
            json!([1, 2]),
            json!([1, 2]),
            json!([1, 2])
        ]]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn as_a_value_it_is_the_array_of_the_sorted_arrays() {
    let result = answer(
        "print t = dynamic([3, 1, 2]), c = dynamic(['c', 'a', 'b']) \
         | project second = array_sort_asc(t, c)[1], all = tostring(array_sort_asc(t, c, dynamic([1])))",
    )
    .await;
    assert_eq!(
        result.rows,
        [[json!(["a", "b", "c"]), json!(r#"[[1,2,3],["a","b","c"],null]"#)]]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_count_other_than_none_or_one_per_array_is_refused() {
    let error = run("let a = dynamic([1]); print (p, q, r) = array_sort_asc(a, a)")
        .await
        .err()
        .unwrap_or_default();
    assert!(
        error.contains("not supported yet: 3 name(s) for the 2 arrays `array_sort_asc` returns"),
        "{error}"
    );
}
