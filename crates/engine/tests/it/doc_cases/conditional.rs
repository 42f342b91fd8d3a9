//! Conditional, null-testing and type functions and the `between` operator, from their pages in
//! the Kusto reference.

use super::{DocPage, refused, rows, value};

pub const PAGES: &[DocPage] = &[
    DocPage {
        page: "iff-function",
        functions: &["iff", "iif"],
        cases: &[
            rows(
                r#"datatable(EventType: string)["Waterspout", "Heavy Rain", "Tornado", "Flood"]
                   | project Rain = iff((EventType in ("Heavy Rain", "Flash Flood", "Flood")), "Rain event", "Not rain event")"#,
                r#"[["Not rain event"], ["Rain event"], ["Not rain event"], ["Rain event"]]"#,
            ),
            // A null condition is not true: the else value.
            value("iff(bool(null), 1, 2)", "2"),
        ],
    },
    DocPage {
        page: "case-function",
        functions: &["case"],
        cases: &[rows(
            r#"range Size from 1 to 15 step 2 | extend bucket = case(Size <= 3, "Small", Size <= 10, "Medium", "Large")"#,
            r#"[[1, "Small"], [3, "Small"], [5, "Medium"], [7, "Medium"], [9, "Medium"], [11, "Large"], [13, "Large"], [15, "Large"]]"#,
        )],
    },
    DocPage {
        page: "coalesce-function",
        functions: &["coalesce"],
        cases: &[
            value(r#"coalesce(tolong("not a number"), tolong("42"), 33)"#, "42"),
            // "(or not-empty for string expressions)".
            value(r#"coalesce("", "b", "c")"#, r#""b""#),
        ],
    },
    DocPage {
        page: "max-of-function",
        functions: &["max_of"],
        cases: &[
            value("max_of(10, 1, -3, 17)", "17"),
            rows(
                "datatable (A: int, B: int)[1, 6, 8, 1, int(null), 2, 1, int(null), int(null), int(null)] | project max_of(A, B)",
                "[[6], [8], [2], [1], [null]]",
            ),
            rows(
                "datatable (A: datetime, B: datetime)[datetime(2024-12-15 07:15:22), datetime(2024-12-15 07:15:24),
                   datetime(2024-12-15 08:00:00), datetime(2024-12-15 09:30:00), datetime(2024-12-15 10:45:00), datetime(2024-12-14 10:45:00)]
                 | project maxDate = max_of(A, B)",
                r#"[["2024-12-15T07:15:24Z"], ["2024-12-15T09:30:00Z"], ["2024-12-15T10:45:00Z"]]"#,
            ),
        ],
    },
    DocPage {
        page: "min-of-function",
        functions: &["min_of"],
        cases: &[
            value("min_of(10, 1, -3, 17)", "-3"),
            rows(
                "datatable (A: int, B: int)[5, 2, 10, 1, int(null), 3, 1, int(null), int(null), int(null)] | project min_of(A, B)",
                "[[2], [1], [3], [1], [null]]",
            ),
        ],
    },
    DocPage {
        page: "isnull-function",
        functions: &["isnull"],
        cases: &[
            value(r#"isnull("")"#, "false"),
            value(r#"isnull("x")"#, "false"),
            value(r#"isnull(parse_json(""))"#, "true"),
            value(r#"isnull(parse_json("[]"))"#, "false"),
            value(r#"isnull(parse_json("{}"))"#, "false"),
            value("isnull(long(null))", "true"),
        ],
    },
    DocPage {
        page: "isnotnull-function",
        functions: &["isnotnull", "notnull"],
        cases: &[value("isnotnull(real(null))", "false"), value("isnotnull(1.5)", "true")],
    },
    DocPage {
        page: "gettype-function",
        functions: &["gettype"],
        cases: &[
            value(r#"gettype("a")"#, r#""string""#),
            value("gettype(111)", r#""long""#),
            value("gettype(1==1)", r#""bool""#),
            value("gettype(now())", r#""datetime""#),
            value("gettype(1s)", r#""timespan""#),
            value("gettype(123.45)", r#""real""#),
            value("gettype(guid(12e8b78d-55b4-46ae-b068-26d7a0080254))", r#""guid""#),
            // The type of a value inside a dynamic: torhunt keeps dynamic values as JSON text, where a
            // datetime or guid put into a dynamic reads as a string, so it refuses rather than say
            // "string" for one (the page's `int`, `string`, `dictionary`, `array`, `null`).
            refused("print gettype(parse_json('1'))", "gettype"),
            refused(r#"print gettype(parse_json(' {"abc":1} '))"#, "gettype"),
        ],
    },
    DocPage {
        page: "between-operator",
        functions: &["between"],
        cases: &[
            rows("range x from 1 to 100 step 1 | where x between (50 .. 55)", "[[50], [51], [52], [53], [54], [55]]"),
            rows(
                "datatable(StartTime: datetime)[datetime(2007-07-26 23:59), datetime(2007-07-27), datetime(2007-07-30),
                   datetime(2007-07-30 00:00:01)]
                 | where StartTime between (datetime(2007-07-27) .. datetime(2007-07-30))",
                r#"[["2007-07-27T00:00:00Z"], ["2007-07-30T00:00:00Z"]]"#,
            ),
            // A timespan right side is a length from the left side.
            rows(
                "datatable(StartTime: datetime)[datetime(2007-07-26 23:59), datetime(2007-07-27), datetime(2007-07-30),
                   datetime(2007-07-30 00:00:01)]
                 | where StartTime between (datetime(2007-07-27) .. 3d)",
                r#"[["2007-07-27T00:00:00Z"], ["2007-07-30T00:00:00Z"]]"#,
            ),
            rows("range x from 1 to 10 step 1 | where x !between (2 .. 9)", "[[1], [10]]"),
        ],
    },
];
