//! Aggregation functions, from their pages in the Kusto reference. Most pages' examples summarize
//! the StormEvents sample table; those are not repeated here, the pages' own datatables and their
//! documented rules (nulls ignored, the `_if` predicate, sample versus population) are.

use super::{DocPage, rows};

pub const PAGES: &[DocPage] = &[
    DocPage {
        page: "countif-aggregation-function",
        functions: &["countif"],
        cases: &[rows(
            r#"datatable(name:string, day_of_birth:long)["John", 9, "Paul", 18, "George", 25, "Ringo", 7]
               | summarize countif(strlen(name) > 4)"#,
            "[[2]]",
        )],
    },
    DocPage {
        page: "sumif-aggregation-function",
        functions: &["sumif"],
        cases: &[rows(
            r#"datatable(name:string, day_of_birth:long)["John", 9, "Paul", 18, "George", 25, "Ringo", 7]
               | summarize sumif(day_of_birth, strlen(name) > 4)"#,
            "[[32]]",
        )],
    },
    DocPage {
        page: "avg-aggregation-function",
        functions: &["avg"],
        cases: &[
            // "Records with null values are ignored and not included in the calculation."
            rows("datatable(x: long)[1, 2, long(null), 6] | summarize avg(x)", "[[3.0]]"),
        ],
    },
    DocPage {
        page: "avgif-aggregation-function",
        functions: &["avgif"],
        cases: &[rows(
            "datatable(x: long)[0, 0, 4, 8] | summarize avg(x), avgif(x, x > 0)",
            "[[3.0, 6.0]]",
        )],
    },
    DocPage {
        page: "variance-aggregation-function",
        functions: &["variance"],
        cases: &[rows(
            "range x from 1 to 5 step 1 | summarize make_list(x), variance(x)",
            "[[[1, 2, 3, 4, 5], 2.5]]",
        )],
    },
    DocPage {
        page: "variancep-aggregation-function",
        functions: &["variancep"],
        cases: &[rows(
            "range x from 1 to 5 step 1 | summarize make_list(x), variancep(x)",
            "[[[1, 2, 3, 4, 5], 2.0]]",
        )],
    },
    DocPage {
        page: "stdev-aggregation-function",
        functions: &["stdev"],
        cases: &[rows(
            "range x from 1 to 5 step 1 | summarize make_list(x), stdev(x)",
            "[[[1, 2, 3, 4, 5], 1.5811388300841898]]",
        )],
    },
    DocPage {
        page: "stdevp-aggregation-function",
        functions: &["stdevp"],
        cases: &[rows(
            "range x from 1 to 5 step 1 | summarize make_list(x), stdevp(x)",
            "[[[1, 2, 3, 4, 5], 1.4142135623730951]]",
        )],
    },
    DocPage {
        page: "make-set-aggregation-function",
        functions: &["make_set", "makeset"],
        cases: &[
            rows(
                "datatable (Val: int, Arr1: dynamic)[1, dynamic(['A1', 'A2', 'A3']), 5, dynamic(['A2', 'C1']), 7, dynamic(['C2', 'A3']),
                                                    5, dynamic(['C2', 'A1'])]
                 | summarize Val_set=make_set(Val), Arr1_set=make_set(Arr1)
                 | project array_sort_asc(Val_set), array_sort_asc(Arr1_set)",
                r#"[[[1,5,7], ["A1","A2","A3","C1","C2"]]]"#,
            ),
            // "Null values are ignored and don't factor into the calculation."
            rows(
                "datatable(x: long)[1, 2, 2, long(null), 3, 1] | summarize s = make_set(x) | project array_sort_asc(s)",
                "[[[1, 2, 3]]]",
            ),
            // "maxSize: ... The default and max value is 1048576." "The deprecated version has a
            // default maxSize limit of 128."
            rows(
                "range x from 1 to 200 step 1
                 | summarize a = array_length(make_set(x)), b = array_length(make_set(x, 150)),
                             c = array_length(makeset(x)), d = array_length(makeset(x, 150))",
                "[[200, 150, 128, 150]]",
            ),
        ],
    },
    DocPage {
        page: "make-list-with-nulls-aggregation-function",
        functions: &["make_list_with_nulls"],
        cases: &[rows(
            r#"datatable (name:string , sideCount: int)["triangle", int(null), "square", 4, "rectangle", 4, "pentagon", 5,
                 "hexagon", 6, "heptagon", 7, "octagon", 8, "nonagon", 9, "decagon", 10]
               | summarize mylist = make_list_with_nulls(sideCount)"#,
            "[[[null,4,4,5,6,7,8,9,10]]]",
        )],
    },
    DocPage {
        page: "make-bag-aggregation-function",
        functions: &["make_bag"],
        cases: &[
            rows(
                r#"datatable(prop:string, value:string)["prop01", "val_a", "prop02", "val_b", "prop03", "val_c"]
                   | extend p = bag_pack(prop, value) | summarize dict=make_bag(p)"#,
                r#"[[{"prop01": "val_a", "prop02": "val_b", "prop03": "val_c"}]]"#,
            ),
            rows(
                r#"datatable(prop:string, value:string)["prop01", "val_a", "prop02", "val_b", "prop03", "val_c"]
                   | extend p = bag_pack(prop, value) | summarize bag=make_bag(p) | evaluate bag_unpack(bag)"#,
                r#"[["val_a", "val_b", "val_c"]]"#,
            ),
            // "Nondictionary values are skipped."
            rows(
                "datatable(d: dynamic)[dynamic({'a': 1}), dynamic([1, 2]), dynamic('text'), dynamic({'b': 2})] | summarize make_bag(d)",
                r#"[[{"a": 1, "b": 2}]]"#,
            ),
        ],
    },
    DocPage {
        page: "arg-min-aggregation-function",
        functions: &["arg_min"],
        cases: &[
            // "When ExprToMinimize is null for all rows in a table, one row in the table is picked.
            // Otherwise, rows where ExprToMinimize is null are ignored."
            rows(
                r#"datatable(x: long, s: string)[long(null), "null", 3, "three", 1, "one"] | summarize arg_min(x, s)"#,
                r#"[[1, "one"]]"#,
            ),
            rows(
                r#"datatable(x: long, s: string)[long(null), "only"] | summarize arg_min(x, s)"#,
                r#"[[null, "only"]]"#,
            ),
        ],
    },
    DocPage {
        page: "arg-max-aggregation-function",
        functions: &["arg_max"],
        cases: &[rows(
            r#"datatable(x: long, s: string)[long(null), "null", 3, "three", 1, "one"] | summarize arg_max(x, *)"#,
            r#"[[3, "three"]]"#,
        )],
    },
];
