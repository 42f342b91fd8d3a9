//! Window functions, from their pages in the Kusto reference: each works over a serialized row set
//! (sorted, or `serialize`d), so every case sorts or serializes first. The pages' examples over the
//! sample tables (sensor readings, conference sessions) are restated over small datatables.

use super::{DocPage, refused, rows};

pub const PAGES: &[DocPage] = &[
    DocPage {
        page: "next-function",
        functions: &["next"],
        cases: &[
            // "default_value: ... When no default value is specified, null is used."
            rows(
                "range x from 1 to 3 step 1 | sort by x asc | extend n = next(x)",
                "[[1, 2], [2, 3], [3, null]]",
            ),
            // "offset: The amount of rows to move from the current row. Default is 1."
            rows(
                "range x from 1 to 4 step 1 | sort by x asc | extend n2 = next(x, 2), d = next(x, 1, -1)",
                "[[1, 3, 2], [2, 4, 3], [3, null, 4], [4, null, -1]]",
            ),
            // "Extend row with data from the next row": a string past the last row is Kusto's null
            // string, the empty string.
            rows(
                r#"datatable(session_type: string)["Keynote", "Expo Session", "Breakout"]
                   | serialize next_session_type = next(session_type)"#,
                r#"[["Keynote", "Expo Session"], ["Expo Session", "Breakout"], ["Breakout", ""]]"#,
            ),
            // "Filter data based on comparison between adjacent rows": breaks longer than 250 ms.
            rows(
                "datatable(Timestamp: datetime)[datetime(2022-04-13 00:58:53.300), datetime(2022-04-13 00:58:52.797),
                   datetime(2022-04-13 00:58:53.048), datetime(2022-04-13 00:58:53.350)]
                 | sort by Timestamp asc
                 | extend timeDiffInMilliseconds = datetime_diff('millisecond', next(Timestamp, 1), Timestamp)
                 | where timeDiffInMilliseconds > 250 | project timeDiffInMilliseconds",
                "[[251], [252]]",
            ),
            // "Perform aggregation based on comparison between adjacent rows": the last row's
            // difference is null, and avg ignores it.
            rows(
                "datatable(Timestamp: datetime)[datetime(2022-04-13 00:58:53.300), datetime(2022-04-13 00:58:52.797),
                   datetime(2022-04-13 00:58:53.048), datetime(2022-04-13 00:58:53.350)]
                 | sort by Timestamp asc
                 | extend timeDiffInMilliseconds = datetime_diff('millisecond', next(Timestamp, 1), Timestamp)
                 | summarize avg(timeDiffInMilliseconds)",
                "[[184.33333333333334]]",
            ),
            // "in a serialized row set": rows made by summarize have no order.
            refused(
                "range x from 1 to 3 step 1 | summarize c = count() by x | extend n = next(c)",
                "not serialized",
            ),
        ],
    },
    DocPage {
        page: "prev-function",
        functions: &["prev"],
        cases: &[
            rows(
                "range x from 1 to 3 step 1 | sort by x asc | extend p = prev(x)",
                "[[1, null], [2, 1], [3, 2]]",
            ),
            // "offset: The offset to go back in rows. The default is 1." "default_value: The default
            // value to be used when there are no previous rows from which to take the value."
            rows(
                "range x from 1 to 4 step 1 | sort by x asc | extend p2 = prev(x, 2), d = prev(x, 1, 0)",
                "[[1, null, 0], [2, null, 1], [3, 1, 2], [4, 2, 3]]",
            ),
            // "Since there was no session prior to the first session, the column is empty in the
            // first row."
            rows(
                r#"datatable(session_type: string)["Keynote", "Expo Session", "Breakout"]
                   | serialize previous_session_type = prev(session_type)"#,
                r#"[["Keynote", ""], ["Expo Session", "Keynote"], ["Breakout", "Expo Session"]]"#,
            ),
            rows(
                "datatable(Timestamp: datetime)[datetime(2022-04-13 00:58:53.300), datetime(2022-04-13 00:58:52.797),
                   datetime(2022-04-13 00:58:53.048), datetime(2022-04-13 00:58:53.350)]
                 | sort by Timestamp asc
                 | extend timeDiffInMilliseconds = datetime_diff('millisecond', Timestamp, prev(Timestamp, 1))
                 | where timeDiffInMilliseconds > 250 | project timeDiffInMilliseconds",
                "[[251], [252]]",
            ),
            // An offset goes back; a negative one is not defined.
            refused("range x from 1 to 3 step 1 | sort by x asc | extend p = prev(x, -1)", "negative"),
            // "in a serialized row set": rows made by summarize have no order.
            refused(
                "range x from 1 to 3 step 1 | summarize c = count() by x | extend p = prev(c)",
                "not serialized",
            ),
        ],
    },
    DocPage {
        page: "row-cumsum-function",
        functions: &["row_cumsum"],
        cases: &[
            rows(
                "datatable (a: long)[1, 2, 3, 4, 5, 6, 7, 8, 9, 10] | where a % 2 == 0 | serialize cs = row_cumsum(a)",
                "[[2, 2], [4, 6], [6, 12], [8, 20], [10, 30]]",
            ),
            rows(
                r#"datatable (name: string, month: int, salary: long)
                   ["Alice", 1, 1000, "Bob", 1, 1000, "Alice", 2, 2000, "Bob", 2, 1950, "Alice", 3, 1400, "Bob", 3, 1450,]
                   | order by name asc, month asc
                   | extend total = row_cumsum(salary, name != prev(name))"#,
                r#"[["Alice", 1, 1000, 1000], ["Alice", 2, 2000, 3000], ["Alice", 3, 1400, 4400],
                    ["Bob", 1, 1000, 1000], ["Bob", 2, 1950, 2950], ["Bob", 3, 1450, 4400]]"#,
            ),
            // "term: int, long, or real".
            rows(
                "datatable (a: real)[0.5, 1.25, 2.0] | serialize cs = row_cumsum(a)",
                "[[0.5, 0.5], [1.25, 1.75], [2.0, 3.75]]",
            ),
            refused("range x from 1 to 3 step 1 | serialize cs = row_cumsum(x * 1s)", "row_cumsum"),
        ],
    },
    DocPage {
        page: "row-number-function",
        functions: &["row_number"],
        cases: &[
            rows(
                "range a from 1 to 10 step 1 | sort by a desc | extend rn = row_number()",
                "[[10, 1], [9, 2], [8, 3], [7, 4], [6, 5], [5, 6], [4, 7], [3, 8], [2, 9], [1, 10]]",
            ),
            rows(
                "range a from 1 to 10 step 1 | sort by a desc | extend rn = row_number(7)",
                "[[10, 7], [9, 8], [8, 9], [7, 10], [6, 11], [5, 12], [4, 13], [3, 14], [2, 15], [1, 16]]",
            ),
            rows(
                r#"datatable (Airport: string, Airline: string, Departures: long)
                   ["TLV", "LH", 1, "TLV", "LY", 100, "SEA", "LH", 1, "SEA", "BA", 2, "SEA", "LY", 0]
                   | sort by Airport asc, Departures desc
                   | extend Rank = row_number(1, prev(Airport) != Airport)"#,
                r#"[["SEA", "BA", 2, 1], ["SEA", "LH", 1, 2], ["SEA", "LY", 0, 3], ["TLV", "LY", 100, 1],
                    ["TLV", "LH", 1, 2]]"#,
            ),
            // "StartingIndex: The value of the row index to start at or restart to."
            rows(
                r#"datatable (k: string)["a", "a", "b", "b", "b"] | serialize rn = row_number(0, k != prev(k))"#,
                r#"[["a", 0], ["a", 1], ["b", 0], ["b", 1], ["b", 2]]"#,
            ),
        ],
    },
    DocPage {
        page: "row-rank-dense-function",
        functions: &["row_rank_dense"],
        cases: &[
            rows(
                r#"datatable (Airport: string, Airline: string, Departures: long)
                   ["SEA", "LH", 3, "SEA", "LY", 100, "SEA", "UA", 3, "SEA", "BA", 2, "SEA", "EL", 3]
                   | sort by Departures asc, Airline desc
                   | extend Rank = row_rank_dense(Departures)"#,
                r#"[["SEA", "BA", 2, 1], ["SEA", "UA", 3, 2], ["SEA", "LH", 3, 2], ["SEA", "EL", 3, 2],
                    ["SEA", "LY", 100, 3]]"#,
            ),
            rows(
                r#"datatable (Airport: string, Airline: string, Departures: long)
                   ["SEA", "LH", 3, "SEA", "LY", 100, "SEA", "UA", 3, "SEA", "BA", 2, "SEA", "EL", 3,
                    "AMS", "EL", 1, "AMS", "BA", 1]
                   | sort by Airport desc, Departures asc, Airline desc
                   | extend Rank = row_rank_dense(Departures, prev(Airport) != Airport)"#,
                r#"[["SEA", "BA", 2, 1], ["SEA", "UA", 3, 2], ["SEA", "LH", 3, 2], ["SEA", "EL", 3, 2],
                    ["SEA", "LY", 100, 3], ["AMS", "EL", 1, 1], ["AMS", "BA", 1, 1]]"#,
            ),
        ],
    },
    DocPage {
        page: "row-rank-min-function",
        functions: &["row_rank_min"],
        cases: &[
            rows(
                r#"datatable (Airport: string, Airline: string, Departures: long)
                   ["SEA", "LH", 3, "SEA", "LY", 100, "SEA", "UA", 3, "SEA", "BA", 2, "SEA", "EL", 3]
                   | sort by Departures asc, Airline desc
                   | extend Rank = row_rank_min(Departures)"#,
                r#"[["SEA", "BA", 2, 1], ["SEA", "UA", 3, 2], ["SEA", "LH", 3, 2], ["SEA", "EL", 3, 2],
                    ["SEA", "LY", 100, 5]]"#,
            ),
            rows(
                r#"datatable(Category: string, Item: string, Value: int)
                   ["A", "item1", 10, "A", "item2", 10, "A", "item3", 5, "A", "item4", 20, "B", "item2", 5, "B", "item1", 7]
                   | sort by Category asc, Value asc, Item asc
                   | extend rank = row_rank_min(Value, Category != prev(Category))"#,
                r#"[["A", "item3", 5, 1], ["A", "item1", 10, 2], ["A", "item2", 10, 2], ["A", "item4", 20, 4],
                    ["B", "item2", 5, 1], ["B", "item1", 7, 2]]"#,
            ),
        ],
    },
    DocPage {
        page: "row-window-session-function",
        functions: &["row_window_session"],
        cases: &[
            rows(
                r#"datatable (ID: string, Timestamp: datetime)["1", datetime(2024-04-11 10:00:00), "2", datetime(2024-04-11 10:18:00),
                     "1", datetime(2024-04-11 11:00:00), "3", datetime(2024-04-11 11:30:00), "2", datetime(2024-04-11 13:30:00),
                     "2", datetime(2024-04-11 10:16:00)]
                   | sort by ID asc, Timestamp asc
                   | extend SessionStarted = row_window_session(Timestamp, 1h, 5m, ID != prev(ID))"#,
                r#"[["1", "2024-04-11T10:00:00Z", "2024-04-11T10:00:00Z"], ["1", "2024-04-11T11:00:00Z", "2024-04-11T11:00:00Z"],
                    ["2", "2024-04-11T10:16:00Z", "2024-04-11T10:16:00Z"], ["2", "2024-04-11T10:18:00Z", "2024-04-11T10:16:00Z"],
                    ["2", "2024-04-11T13:30:00Z", "2024-04-11T13:30:00Z"], ["3", "2024-04-11T11:30:00Z", "2024-04-11T11:30:00Z"]]"#,
            ),
            // "If the value of Expr equals or exceeds the previous session value plus
            // MaxDistanceFromFirst": 10:10 is 10 minutes after the session began at 10:00.
            rows(
                "datatable (t: datetime)[datetime(2024-01-01 10:00), datetime(2024-01-01 10:04), datetime(2024-01-01 10:08),
                   datetime(2024-01-01 10:10)]
                 | sort by t asc | extend s = row_window_session(t, 10m, 5m) | project s",
                r#"[["2024-01-01T10:00:00Z"], ["2024-01-01T10:00:00Z"], ["2024-01-01T10:00:00Z"], ["2024-01-01T10:10:00Z"]]"#,
            ),
            // "If the value of Expr equals or exceeds the previous value of Expr plus
            // MaxDistanceBetweenNeighbors".
            rows(
                "datatable (t: datetime)[datetime(2024-01-01 10:00), datetime(2024-01-01 10:04:59), datetime(2024-01-01 10:09:59)]
                 | sort by t asc | extend s = row_window_session(t, 1h, 5m) | project s",
                r#"[["2024-01-01T10:00:00Z"], ["2024-01-01T10:00:00Z"], ["2024-01-01T10:09:59Z"]]"#,
            ),
            // "When Expr results in a null value, the next value starts a new session." (The null
            // row's own value the page does not give, so it is left out.)
            rows(
                "datatable (i: long, t: datetime)[1, datetime(2024-01-01 10:00), 2, datetime(null), 3, datetime(2024-01-01 10:01)]
                 | sort by i asc | extend s = row_window_session(t, 1h, 5m) | where i != 2 | project s",
                r#"[["2024-01-01T10:00:00Z"], ["2024-01-01T10:01:00Z"]]"#,
            ),
            // "Expr: datetime".
            refused(
                "range x from 1 to 3 step 1 | sort by x asc | extend s = row_window_session(x, 1h, 5m)",
                "row_window_session",
            ),
        ],
    },
];
