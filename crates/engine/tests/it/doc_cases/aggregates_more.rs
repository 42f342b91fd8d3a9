//! More aggregation functions, from their pages in the Kusto reference: the distinct counts, the
//! conditional (`...if`) forms, `take_any`, the bitwise aggregates, covariance, the list and bag
//! builders and the percentiles. The pages' examples over the StormEvents sample are restated over
//! small datatables with the same shape; where a page leaves the order of a list or the choice of a
//! row open, the cases sort the list or check the documented property (one record, a non-null value)
//! instead of one arbitrary answer.

use super::{DocPage, refused, rows};

/// Storm events in the shape of the pages' StormEvents examples (a state, an event type, deaths),
/// then the rest of the query.
macro_rules! storms {
    ($rest:literal) => {
        concat!(
            r#"datatable(State: string, EventType: string, Deaths: long)["TEXAS", "Flood", 1, "TEXAS", "Flood", 2,"#,
            r#" "TEXAS", "Hail", 0, "TEXAS", "Tornado", 3, "KANSAS", "Hail", 1, "KANSAS", "Hail", 0, "KANSAS", "Flood", 0]"#,
            $rest
        )
    };
}

/// The pages' name datatable (countif, make_list_if, make_set_if), then the rest of the query.
macro_rules! names {
    ($rest:literal) => {
        concat!(
            r#"datatable(name: string, day_of_birth: long)["John", 9, "Paul", 18, "George", 25, "Ringo", 7]"#,
            $rest
        )
    };
}

pub const PAGES: &[DocPage] = &[
    DocPage {
        page: "dcountif-aggregation-function",
        functions: &["dcountif"],
        cases: &[
            // "Estimates the number of distinct values of expr for rows in which predicate evaluates
            // to true": the deadly events of Texas are Flood twice and Tornado, two distinct types.
            rows(
                storms!(" | summarize DifferentFatalEvents = dcountif(EventType, Deaths > 0) by State | order by State asc"
                ),
                r#"[["KANSAS", 1], ["TEXAS", 2]]"#,
            ),
            // "Null values are ignored and don't factor into the calculation."
            rows("datatable(x: long)[1, 1, long(null), 2, 3] | summarize dcountif(x, x != 3)", "[[2]]"),
            rows("datatable(x: long)[1, 1, long(null), 2, 3] | summarize dcountif(x, true, 4)", "[[3]]"),
            // "See Estimation accuracy for supported values": 0 to 4.
            refused("datatable(x: long)[1] | summarize dcountif(x, true, 5)", "accuracy"),
        ],
    },
    DocPage {
        page: "count-distinctif-aggregation-function",
        functions: &["count_distinctif"],
        cases: &[
            rows(
                storms!(" | summarize UniqueFatalEvents = count_distinctif(EventType, Deaths > 0) by State
                      | where UniqueFatalEvents > 0 | top 5 by UniqueFatalEvents"
                ),
                r#"[["TEXAS", 2], ["KANSAS", 1]]"#,
            ),
            rows("datatable(x: long)[1, 1, 2, 2, 3] | summarize count_distinctif(x, x < 3)", "[[2]]"),
        ],
    },
    DocPage {
        page: "count-distinct-aggregation-function",
        functions: &["count_distinct"],
        cases: &[rows(
            storms!(" | summarize UniqueEvents = count_distinct(EventType) by State | top 5 by UniqueEvents"
            ),
            r#"[["TEXAS", 3], ["KANSAS", 2]]"#,
        )],
    },
    DocPage {
        page: "dcount-aggregation-function",
        functions: &["dcount"],
        cases: &[
            rows(
                storms!(" | summarize DifferentEvents = dcount(EventType) by State | order by DifferentEvents"
                ),
                r#"[["TEXAS", 3], ["KANSAS", 2]]"#,
            ),
            // "Null values are ignored and don't factor into the calculation."
            rows("datatable(x: long)[1, long(null), 1, 2] | summarize dcount(x)", "[[2]]"),
            rows("datatable(x: long)[1, long(null), 1, 2] | summarize dcount(x, 0), dcount(x, 4)", "[[2, 2]]"),
            rows("let level = 2; datatable(x: long)[1, 2] | summarize dcount(x, level), dcount(x, int(3))", "[[2, 2]]"),
            refused("datatable(x: long)[1] | summarize dcount(x, 5)", "accuracy"),
            refused("datatable(x: long)[1] | summarize dcount(x, -1)", "accuracy"),
        ],
    },
    DocPage {
        page: "count-aggregation-function",
        functions: &["count", "cnt"],
        cases: &[
            rows(
                storms!(" | summarize Count = count() by State | order by Count desc"),
                r#"[["TEXAS", 4], ["KANSAS", 3]]"#,
            ),
            // "or total if summarization is done without grouping".
            rows(storms!(" | summarize count()"), "[[7]]"),
            rows(storms!(" | summarize cnt()"), "[[7]]"),
        ],
    },
    DocPage {
        page: "take-any-aggregation-function",
        functions: &["take_any", "any"],
        cases: &[
            // One record per group: with one record each, the choice is that record.
            rows(
                r#"datatable(State: string, EventType: string)["ALASKA", "Flood", "ARIZONA", "Flash Flood"]
                   | summarize take_any(EventType) by State | order by State asc"#,
                r#"[["ALASKA", "Flood"], ["ARIZONA", "Flash Flood"]]"#,
            ),
            rows(
                r#"datatable(State: string, EventType: string)["ALASKA", "Flood"] | summarize any(EventType)"#,
                r#"[["Flood"]]"#,
            ),
            // "When the function is provided with a single column reference, it will attempt to
            // return a non-null/non-empty value, if such value is present."
            rows("datatable(x: long)[long(null), 5, long(null)] | summarize take_any(x)", "[[5]]"),
            rows(r#"datatable(s: string)["", "b", ""] | summarize take_any(s)"#, r#"[["b"]]"#),
            rows(r#"datatable(s: string)["", "b", ""] | summarize any(s)"#, r#"[["b"]]"#),
            // Of every type (a decimal reads back as text, its exact digits).
            rows(
                r#"datatable(t: timespan, d: datetime, b: bool, r: real, g: guid, y: dynamic, m: decimal, i: int)
                   [timespan(null), datetime(null), bool(null), real(null), guid(null), dynamic(null), decimal(null), int(null),
                    1h, datetime(2024-01-01), true, 1.5, guid(12e8b78d-55b4-46ae-b068-26d7a0080254), dynamic([1]), decimal(2.5), 3]
                   | summarize take_any(t), take_any(d), take_any(b), take_any(r), take_any(g), take_any(y), take_any(m), take_any(i)"#,
                r#"[["01:00:00", "2024-01-01T00:00:00Z", true, 1.5, "12e8b78d-55b4-46ae-b068-26d7a0080254", [1], "2.5", 3]]"#,
            ),
            // Several expressions "guarantee that all values are calculated over a single record".
            rows(
                r#"datatable(x: long, s: string)[1, "one", 2, "two", 3, "three"]
                   | summarize take_any(x, s)
                   | project same_record = (x == 1 and s == "one") or (x == 2 and s == "two") or (x == 3 and s == "three")"#,
                "[[true]]",
            ),
            // `*`: "as if the expressions are all columns of the input ... barring the group-by columns".
            rows(
                r#"datatable(k: string, x: long, s: string)["a", 1, "one", "a", 2, "two", "b", 3, "three"]
                   | summarize take_any(*) by k | order by k asc
                   | extend same_record = (x == 1 and s == "one") or (x == 2 and s == "two") or (x == 3 and s == "three")
                   | project k, same_record"#,
                r#"[["a", true], ["b", true]]"#,
            ),
            // "The deprecated version adds any_ prefix to the columns returned by the any()
            // aggregation."
            rows(
                r#"datatable(x: long, s: string)[1, "one"] | summarize take_any(x, s) | getschema | project ColumnName"#,
                r#"[["x"], ["s"]]"#,
            ),
            rows(
                r#"datatable(k: string, x: long, s: string)["a", 1, "one"] | summarize any(*) by k | getschema | project ColumnName"#,
                r#"[["k"], ["any_x"], ["any_s"]]"#,
            ),
        ],
    },
    DocPage {
        page: "take-anyif-aggregation-function",
        functions: &["take_anyif", "anyif"],
        cases: &[
            rows(
                r#"datatable(EventType: string, EventNarrative: string)
                   ["Hail", "hail stones", "Strong Wind", "a strong wind blew", "Flood", "water"]
                   | summarize take_anyif(EventType, EventNarrative has 'strong wind')"#,
                r#"[["Strong Wind"]]"#,
            ),
            rows(
                r#"datatable(x: long)[1, 2, 3] | summarize anyif(x, x == 2)"#,
                "[[2]]",
            ),
            // "If the predicate doesn't return 'true', a null value is produced."
            rows("datatable(x: long)[1, 2, 3] | summarize take_anyif(x, x > 5)", "[[null]]"),
            // The non-null/non-empty value, among the records the predicate keeps.
            rows(
                r#"datatable(s: string, k: bool)["", true, "b", true, "c", false, "", true] | summarize take_anyif(s, k)"#,
                r#"[["b"]]"#,
            ),
        ],
    },
    DocPage {
        page: "binary-all-and-aggregation-function",
        functions: &["binary_all_and"],
        cases: &[
            rows(
                "datatable(num: long)[0xFFFFFFFF, 0xFFFFF00F, 0xCFFFFFFD, 0xFAFEFFFF,]
                 | summarize result = toupper(tohex(binary_all_and(num)))",
                r#"[["CAFEF00D"]]"#,
            ),
            // "expr: long": a real or decimal value is not defined.
            refused("datatable(x: real)[1.5] | summarize binary_all_and(x)", "binary_all_and"),
            refused("datatable(x: decimal)[decimal(1)] | summarize binary_all_and(x)", "binary_all_and"),
        ],
    },
    DocPage {
        page: "binary-all-or-aggregation-function",
        functions: &["binary_all_or"],
        cases: &[
            rows(
                "datatable(num: long)[0x88888008, 0x42000000, 0x00767000, 0x00000005,]
                 | summarize result = toupper(tohex(binary_all_or(num)))",
                r#"[["CAFEF00D"]]"#,
            ),
            refused("datatable(x: real)[1.5] | summarize binary_all_or(x)", "binary_all_or"),
        ],
    },
    DocPage {
        page: "binary-all-xor-aggregation-function",
        functions: &["binary_all_xor"],
        cases: &[
            rows(
                "datatable(num: long)[0x44404440, 0x1E1E1E1E, 0x90ABBA09, 0x000B105A,]
                 | summarize result = toupper(tohex(binary_all_xor(num)))",
                r#"[["CAFEF00D"]]"#,
            ),
            refused("datatable(x: real)[1.5] | summarize binary_all_xor(x)", "binary_all_xor"),
        ],
    },
    DocPage {
        page: "covariance-aggregation-function",
        functions: &["covariance"],
        cases: &[rows(
            "datatable(x: real, y: real)[1.0, 14.0, 2.0, 10.0, 3.0, 17.0, 4.0, 20.0, 5.0, 50.0,]
             | summarize covariance(x, y)",
            "[[20.5]]",
        )],
    },
    DocPage {
        page: "covariancep-aggregation-function",
        functions: &["covariancep"],
        cases: &[rows(
            "datatable(x: real, y: real)[1.0, 14.0, 2.0, 10.0, 3.0, 17.0, 4.0, 20.0, 5.0, 50.0,]
             | summarize covariancep(x, y)",
            "[[16.4]]",
        )],
    },
    DocPage {
        page: "covarianceif-aggregation-function",
        functions: &["covarianceif"],
        cases: &[rows(
            "range x from 1 to 100 step 1 | extend y = iff(x % 2 == 0, x * 2, x * 3)
             | summarize covarianceif(x, y, x % 3 == 0)",
            "[[2142.0]]",
        )],
    },
    DocPage {
        page: "covariancepif-aggregation-function",
        functions: &["covariancepif"],
        cases: &[rows(
            "range x from 1 to 100 step 1 | extend y = iff(x % 2 == 0, x * 2, x * 3)
             | summarize covariancepif(x, y, x % 3 == 0)",
            "[[2077.09090909091]]",
        )],
    },
    DocPage {
        page: "stdevif-aggregation-function",
        functions: &["stdevif"],
        cases: &[
            rows("range x from 1 to 100 step 1 | summarize stdevif(x, x % 2 == 0)", "[[29.1547594742265]]"),
            // "Null values are ignored."
            rows(
                "datatable(x: long)[1, 2, 3, long(null), 4, 5, 100] | summarize stdevif(x, x < 50)",
                "[[1.5811388300841898]]",
            ),
        ],
    },
    DocPage {
        page: "varianceif-aggregation-function",
        functions: &["varianceif"],
        cases: &[
            rows("range x from 1 to 100 step 1 | summarize varianceif(x, x % 2 == 0)", "[[850.0]]"),
            rows(
                "datatable(x: long)[1, 2, 3, long(null), 4, 5, 100] | summarize varianceif(x, x < 50)",
                "[[2.5]]",
            ),
        ],
    },
    DocPage {
        page: "variancepif-aggregation-function",
        functions: &["variancepif"],
        cases: &[
            // The page prints 850, the sample variance of the even numbers (its example output is
            // varianceif's); the function it documents is the population variance (the page links
            // variancep), which for 2, 4, ..., 100 is 833: Kusto's answer.
            rows("range x from 1 to 100 step 1 | summarize variancepif(x, x % 2 == 0)", "[[833.0]]"),
            rows(
                "datatable(x: long)[1, 2, 3, long(null), 4, 5, 100] | summarize variancepif(x, x < 50)",
                "[[2.0]]",
            ),
        ],
    },
    DocPage {
        page: "sum-aggregation-function",
        functions: &["sum"],
        cases: &[
            rows(
                r#"datatable(State: string, DamageCrops: long, DamageProperty: long)
                   ["TEXAS", 10, 5, "TEXAS", 0, 100, "KANSAS", 1000, 0]
                   | summarize EventCount = count(), TotalDamages = sum(DamageCrops + DamageProperty) by State
                   | sort by TotalDamages"#,
                r#"[["KANSAS", 1, 1000], ["TEXAS", 2, 115]]"#,
            ),
            // "Null values are ignored and don't factor into the calculation."
            rows("datatable(x: long)[1, long(null), 2] | summarize sum(x)", "[[3]]"),
            rows("datatable(x: real)[1.5, real(null), 2.25] | summarize sum(x)", "[[3.75]]"),
        ],
    },
    DocPage {
        page: "max-aggregation-function",
        functions: &["max"],
        cases: &[
            rows(
                "datatable(StartTime: datetime)[datetime(2007-01-01), datetime(2007-12-31 23:53), datetime(2007-06-01)]
                 | summarize LatestEvent = max(StartTime)",
                r#"[["2007-12-31T23:53:00Z"]]"#,
            ),
            rows(r#"datatable(s: string)["b", "c", "a"] | summarize max(s)"#, r#"[["c"]]"#),
        ],
    },
    DocPage {
        page: "min-aggregation-function",
        functions: &["min"],
        cases: &[
            rows(
                "datatable(StartTime: datetime)[datetime(2007-01-01 00:00:00), datetime(2007-12-31 23:53), datetime(2007-06-01)]
                 | summarize FirstEvent = min(StartTime)",
                r#"[["2007-01-01T00:00:00Z"]]"#,
            ),
            rows(r#"datatable(s: string)["b", "c", "a"] | summarize min(s)"#, r#"[["a"]]"#),
        ],
    },
    DocPage {
        page: "maxif-aggregation-function",
        functions: &["maxif"],
        cases: &[rows(
            r#"datatable(State: string, Damage: long, Deaths: long)
               ["TEXAS", 25000000, 0, "TEXAS", 90000000, 2, "TEXAS", 10, 0, "KANSAS", 37500000, 0]
               | summarize MaxDamageNoCasualties = maxif(Damage, Deaths == 0) by State | order by State asc"#,
            r#"[["KANSAS", 37500000], ["TEXAS", 25000000]]"#,
        )],
    },
    DocPage {
        page: "minif-aggregation-function",
        functions: &["minif"],
        cases: &[rows(
            r#"datatable(State: string, Damage: long, Deaths: long)
               ["TEXAS", 8000, 1, "TEXAS", 0, 3, "TEXAS", 10, 0, "KANSAS", 5000, 2, "IOWA", 700, 0]
               | summarize MinDamageWithCasualties = minif(Damage, (Deaths > 0) and (Damage > 0)) by State
               | where MinDamageWithCasualties > 0 and isnotnull(MinDamageWithCasualties) | order by State asc"#,
            r#"[["KANSAS", 5000], ["TEXAS", 8000]]"#,
        )],
    },
    DocPage {
        page: "make-list-aggregation-function",
        functions: &["make_list", "makelist"],
        cases: &[
            // "If the input to the summarize operator isn't sorted, the order of elements in the
            // resulting array is undefined": the unsorted examples sorted.
            rows(
                r#"datatable(name: string, sideCount: int)["triangle", 3, "square", 4, "rectangle", 4, "pentagon", 5,
                     "hexagon", 6, "heptagon", 7, "octagon", 8, "nonagon", 9, "decagon", 10]
                   | summarize mylist = make_list(name) by isEvenSideCount = sideCount % 2 == 0
                   | project isEvenSideCount, array_sort_asc(mylist) | order by isEvenSideCount asc"#,
                r#"[[false, ["heptagon", "nonagon", "pentagon", "triangle"]],
                    [true, ["decagon", "hexagon", "octagon", "rectangle", "square"]]]"#,
            ),
            // "If the input to the summarize operator is sorted, the order of elements in the
            // resulting array tracks that of the input."
            rows(
                r#"datatable(name: string, sideCount: int)["triangle", 3, "square", 4, "rectangle", 4, "pentagon", 5,
                     "hexagon", 6, "heptagon", 7, "octagon", 8, "nonagon", 9, "decagon", 10]
                   | sort by sideCount desc, name asc | summarize mylist = make_list(name)"#,
                r#"[[["decagon", "nonagon", "octagon", "heptagon", "hexagon", "pentagon", "rectangle", "square", "triangle"]]]"#,
            ),
            rows(
                r#"datatable(name: string, sideCount: int)["triangle", 3, "square", 4, "rectangle", 4]
                   | sort by sideCount asc, name asc
                   | extend d = bag_pack("name", name, "sideCount", sideCount)
                   | summarize mylist = make_list(d)"#,
                r#"[[[{"name": "triangle", "sideCount": 3}, {"name": "rectangle", "sideCount": 4},
                      {"name": "square", "sideCount": 4}]]]"#,
            ),
            // The order kept over many rows (several batches), per group, and with maxSize taking the
            // first elements in that order.
            rows(
                "range x from 1 to 20000 step 1 | sort by x desc
                 | summarize first = make_list(x, 2), n = array_length(make_list(x)), f = makelist(x) by k = x % 2
                 | project k, first, n, f_size = array_length(f), f_first = tolong(f[0]) | order by k asc",
                "[[0, [20000, 19998], 10000, 128, 20000], [1, [19999, 19997], 10000, 128, 19999]]",
            ),
            rows(
                "range x from 1 to 20000 step 1 | sort by x desc | summarize make_list_if(x, x % 1000 == 0, 3)",
                "[[[20000, 19000, 18000]]]",
            ),
            // The same in an mv-apply subquery, per input row.
            rows(
                "datatable(i: long, a: dynamic)[1, dynamic([3, 1, 2, 5, 4]), 2, dynamic([9, 7, 8])]
                 | mv-apply x = a to typeof(long) on (sort by x desc | summarize l = make_list(x))
                 | project i, l | order by i asc",
                "[[1, [5, 4, 3, 2, 1]], [2, [9, 8, 7]]]",
            ),
            // Rows kept in order lose their ingestion time, so the two are not mixed.
            refused(
                "datatable(x: long)[1] | sort by x asc | summarize make_list(x), max(ingestion_time())",
                "ingestion_time",
            ),
            refused(
                "datatable(x: long)[1] | sort by x asc | summarize make_list(x) by bin(ingestion_time(), 1h)",
                "ingestion_time",
            ),
            // "Null values are ignored."
            rows("datatable(x: long)[1, long(null), 2] | sort by x asc | summarize make_list(x)", "[[[1, 2]]]"),
            // "maxSize: The maximum number of elements returned. The default and max value is
            // 1048576." "The deprecated version has a default maxSize limit of 128."
            rows(
                "range x from 1 to 200 step 1
                 | summarize a = array_length(make_list(x)), b = array_length(make_list(x, 150)),
                             c = array_length(makelist(x)), d = array_length(makelist(x, 150))",
                "[[200, 150, 128, 150]]",
            ),
            refused("range x from 1 to 2 step 1 | summarize make_list(x, 1048577)", "maxSize"),
        ],
    },
    DocPage {
        page: "make-list-if-aggregation-function",
        functions: &["make_list_if"],
        cases: &[
            rows(
                names!(" | summarize l = make_list_if(name, strlen(name) > 4) | project array_sort_asc(l)"),
                r#"[[["George", "Ringo"]]]"#,
            ),
            rows(
                names!(" | sort by day_of_birth desc | summarize make_list_if(name, strlen(name) > 4)"),
                r#"[[["George", "Ringo"]]]"#,
            ),
            rows("range x from 1 to 10 step 1 | summarize array_length(make_list_if(x, x > 2, 3))", "[[3]]"),
        ],
    },
    DocPage {
        page: "make-set-if-aggregation-function",
        functions: &["make_set_if"],
        cases: &[
            rows(
                names!(" | summarize s = make_set_if(name, strlen(name) > 4) | project array_sort_asc(s)"),
                r#"[[["George", "Ringo"]]]"#,
            ),
            rows(
                "datatable(x: long)[1, 2, 2, long(null), 3, 3, 4] | summarize s = make_set_if(x, x > 1) | project array_sort_asc(s)",
                "[[[2, 3, 4]]]",
            ),
            rows("range x from 1 to 10 step 1 | summarize array_length(make_set_if(x, x > 2, 3))", "[[3]]"),
        ],
    },
    DocPage {
        page: "make-bag-if-aggregation-function",
        functions: &["make_bag_if"],
        cases: &[
            rows(
                r#"datatable(prop: string, value: string, predicate: bool)["prop01", "val_a", true, "prop02", "val_b", false,
                     "prop03", "val_c", true]
                   | extend p = bag_pack(prop, value) | summarize dict = make_bag_if(p, predicate)"#,
                r#"[[{"prop01": "val_a", "prop03": "val_c"}]]"#,
            ),
            rows(
                r#"datatable(prop: string, value: string, predicate: bool)["prop01", "val_a", true, "prop02", "val_b", false,
                     "prop03", "val_c", true]
                   | extend p = bag_pack(prop, value) | summarize bag = make_bag_if(p, predicate)
                   | evaluate bag_unpack(bag)"#,
                r#"[["val_a", "val_c"]]"#,
            ),
            // "Nondictionary values are skipped."
            rows(
                "datatable(d: dynamic, k: bool)[dynamic({'a': 1}), true, dynamic([1, 2]), true, dynamic('text'), true,
                   dynamic({'b': 2}), true, dynamic({'c': 3}), false]
                 | summarize make_bag_if(d, k)",
                r#"[[{"a": 1, "b": 2}]]"#,
            ),
            // "If a key appears in more than one row, an arbitrary value, out of the possible values
            // for this key, are selected."
            rows(
                "datatable(d: dynamic, k: bool)[dynamic({'a': 1}), true, dynamic({'a': 2}), true]
                 | summarize b = make_bag_if(d, k) | project one_of_them = tolong(b.a) in (1, 2), keys = array_length(bag_keys(b))",
                "[[true, 1]]",
            ),
            // "maxSize: The limit on the maximum number of elements returned."
            rows(
                "datatable(d: dynamic, k: bool)[dynamic({'a': 1}), true, dynamic({'b': 2}), true, dynamic({'c': 3}), true]
                 | summarize b = make_bag_if(d, k, 2) | project array_length(bag_keys(b))",
                "[[2]]",
            ),
        ],
    },
    DocPage {
        page: "percentiles-aggregation-function",
        functions: &["percentile", "percentiles", "percentiles_array"],
        cases: &[
            // Nearest rank: "the smallest value in the list [such that] P percent of the data is less
            // or equal to" it. Over 1..100 the P-th percentile is P.
            rows("range x from 1 to 100 step 1 | summarize percentile(x, 95)", "[[95]]"),
            rows("range x from 1 to 100 step 1 | summarize percentiles(x, 5, 50, 95)", "[[5, 50, 95]]"),
            // "Nearest-rank definition means that P=50 does not conform to the interpolative
            // definition of the median": of 1..4 it is 2, not 2.5.
            rows("datatable(x: long)[4, 1, 3, 2] | summarize percentile(x, 50)", "[[2]]"),
            // "Define 0-th percentiles to be the smallest member"; "Percentiles 0 and 100 are the exact
            // minimum and maximum values".
            rows("datatable(x: real)[4.5, 1.25, 3.0, 2.0] | summarize percentiles(x, 0, 100)", "[[1.25, 4.5]]"),
            rows(
                "datatable(State: string, DamageProperty: long)['A', 0, 'A', 0, 'A', 2000, 'B', 40000, 'B', 0]
                 | summarize percentiles(DamageProperty, 5, 50, 95) by State | order by State asc",
                r#"[["A", 0, 0, 2000], ["B", 0, 0, 40000]]"#,
            ),
            rows(
                "range x from 1 to 100 step 1 | summarize percentiles_array(x, 5, 25, 50, 75, 95)",
                "[[[5, 25, 50, 75, 95]]]",
            ),
            // "The array must be constant but doesn't have to be literal."
            rows(
                "let points = dynamic([5, 25, 50, 75, 95]); range x from 1 to 100 step 1 | summarize percentiles_array(x, points)",
                "[[[5, 25, 50, 75, 95]]]",
            ),
            // "P-th percentile (0 < P <= 100)", 0 defined apart: other percentages are not defined.
            refused("range x from 1 to 10 step 1 | summarize percentile(x, 101)", "percentile"),
            refused("range x from 1 to 10 step 1 | summarize percentile(x, -1)", "percentile"),
        ],
    },
    DocPage {
        page: "percentilesw-aggregation-function",
        functions: &["percentilew", "percentilesw", "percentilesw_array"],
        cases: &[
            rows(
                "datatable(ReqCount: long, LatencyBucket: long)[8, 10, 6, 20, 3, 30, 1, 40]
                 | summarize percentilesw(LatencyBucket, ReqCount, 50, 75, 99.9)",
                "[[20, 20, 40]]",
            ),
            rows(
                "datatable(ReqCount: long, LatencyBucket: long)[8, 10, 6, 20, 3, 30, 1, 40]
                 | summarize percentilew(LatencyBucket, ReqCount, 50)",
                "[[20]]",
            ),
            rows(
                "datatable(ReqCount: long, LatencyBucket: long)[8, 10, 6, 20, 3, 30, 1, 40]
                 | summarize percentilesw_array(LatencyBucket, ReqCount, 50, 75, 99.9)",
                "[[[20, 20, 40]]]",
            ),
            rows(
                "datatable(ReqCount: long, LatencyBucket: long)[8, 10, 6, 20, 3, 30, 1, 40]
                 | summarize percentilesw_array(LatencyBucket, ReqCount, dynamic([50, 75, 99.9]))",
                "[[[20, 20, 40]]]",
            ),
            // "each value is considered to be repeated a number of times equal to its weight": the
            // 18 latencies the buckets stand for, unweighted, give the same nearest ranks.
            rows(
                "datatable(LatencyBucket: long)[10, 10, 10, 10, 10, 10, 10, 10, 20, 20, 20, 20, 20, 20, 30, 30, 30, 40]
                 | summarize percentiles(LatencyBucket, 50, 75, 99.9)",
                "[[20, 20, 40]]",
            ),
            // A value of weight 0 is repeated no times: the smallest member is then 2. A negative or
            // null weight is no number of repetitions, so it is refused.
            rows(
                "datatable(v: long, w: long)[1, 0, 2, 1, 3, 1] | summarize percentilew(v, w, 0), percentilew(v, w, 100)",
                "[[2, 3]]",
            ),
            refused("datatable(v: long, w: long)[1, -1, 2, 1] | summarize percentilew(v, w, 50)", "weight"),
            refused("datatable(v: long, w: long)[1, long(null), 2, 1] | summarize percentilew(v, w, 50)", "weight"),
        ],
    },
];
