//! What reads the clock, randomness or the time-zone database (`now`, `ago`, `rand`, `new_guid`,
//! `datetime_list_timezones`) and the epoch conversions, from their pages in the Kusto reference.
//! Where the answer changes from run to run, the cases check what the page documents of it (type,
//! range, shape, sameness within a query) with queries that compare.

use super::{DocPage, refused, rows, typed, value};

pub const PAGES: &[DocPage] = &[
    DocPage {
        page: "now-function",
        functions: &["now"],
        cases: &[
            value("now() > datetime(2024-01-01)", "true"),
            // "The current UTC time will stay the same across all uses of now() in a single query
            // statement."
            rows("print same = now() == now()", "[[true]]"),
            rows(
                "range x from 1 to 1000 step 1 | summarize times = dcount(now())",
                "[[1]]",
            ),
            // "The current UTC clock time, plus the offset time if provided."
            rows("print two_days_ago = now(-2d) == now() - 2d, later = now(1h) - now()", r#"[[true, "01:00:00"]]"#),
            rows(
                r#"let T = datatable(label: string, timespanValue: timespan) ["minute", 60s, "hour", 1h, "day", 1d, "year", 365d];
                   T | extend timeAgo = now() - timespanValue | project label, timespanValue, ago = now() - timeAgo"#,
                r#"[["minute", "00:01:00", "00:01:00"], ["hour", "01:00:00", "01:00:00"], ["day", "1.00:00:00", "1.00:00:00"],
                    ["year", "365.00:00:00", "365.00:00:00"]]"#,
            ),
        ],
    },
    DocPage {
        page: "ago-function",
        functions: &["ago"],
        cases: &[
            // "Subtracts the given timespan from the current UTC time"; "like now(), ... the
            // current UTC time being referenced is the same across all uses."
            rows("print hour = ago(1h) == now() - 1h, same = ago(1d) == ago(1d), back = ago(-1h) > now()", "[[true, true, true]]"),
            rows(
                "datatable(Timestamp: datetime)[datetime(2000-01-01)] | extend old = Timestamp > ago(1h) | project old",
                "[[false]]",
            ),
            typed("ago(0s) == now()", "true", "SByte"),
        ],
    },
    DocPage {
        page: "rand-function",
        functions: &["rand"],
        cases: &[
            // "rand() - returns a value of type real with a uniform distribution in the range [0.0, 1.0)."
            rows(
                "range x from 1 to 2000 step 1 | extend r = rand()
                 | summarize low = min(r), high = max(r), values = make_set(r), halves = countif(r < 0.5), kind = take_any(gettype(r))
                 | project low = low >= 0.0, high = high < 1.0, spread = array_length(values) > 1900, halves = halves between (800 .. 1200), kind",
                r#"[[true, true, true, true, "real"]]"#,
            ),
            // "rand(N) - returns a value of type real chosen with a uniform distribution from the set
            // {0.0, 1.0, ..., N - 1}."
            rows(
                "range x from 1 to 2000 step 1 | extend r = rand(10)
                 | summarize fractions = countif(r != floor(r, 1)), low = min(r), high = max(r), values = make_set(r), kind = take_any(gettype(r))
                 | project fractions, low, high, values = array_length(values), kind",
                r#"[[0, 0.0, 9.0, 10, "real"]]"#,
            ),
            value("rand(1)", "0.0"),
            // The set {0.0, ..., N - 1} is empty for N < 1: what rand(0) answers is left open.
            refused("print rand(0)", "rand"),
            refused("print rand(-5)", "rand"),
        ],
    },
    DocPage {
        page: "new-guid-function",
        functions: &["new_guid"],
        cases: &[
            rows(
                "print guid = new_guid() | extend shape = tostring(guid) matches regex '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' | project shape, kind = gettype(guid)",
                r#"[[true, "guid"]]"#,
            ),
            // "Returns a random GUID": a new one for each row.
            rows(
                "range x from 1 to 500 step 1 | summarize guids = make_set(tostring(new_guid())) | project distinct = array_length(guids)",
                "[[500]]",
            ),
        ],
    },
    DocPage {
        page: "unixtime-microseconds-todatetime-function",
        functions: &["unixtime_microseconds_todatetime"],
        cases: &[
            typed("unixtime_microseconds_todatetime(1546300800000000)", r#""2019-01-01T00:00:00Z""#, "DateTime"),
            // "A datetime value that occurs before the epoch time has a negative timestamp value."
            value("unixtime_microseconds_todatetime(-1000000)", r#""1969-12-31T23:59:59Z""#),
            // The argument is a real.
            value("unixtime_microseconds_todatetime(1.5)", r#""1970-01-01T00:00:00.0000015Z""#),
            // "Otherwise, the result is null."
            value("unixtime_microseconds_todatetime(real(null))", "null"),
            value("unixtime_microseconds_todatetime(1e30)", "null"),
        ],
    },
    DocPage {
        page: "unixtime-nanoseconds-todatetime-function",
        functions: &["unixtime_nanoseconds_todatetime"],
        cases: &[
            typed("unixtime_nanoseconds_todatetime(1546300800000000000)", r#""2019-01-01T00:00:00Z""#, "DateTime"),
            value("unixtime_nanoseconds_todatetime(-1000000000)", r#""1969-12-31T23:59:59Z""#),
            value("unixtime_nanoseconds_todatetime(1500)", r#""1970-01-01T00:00:00.0000015Z""#),
            value("unixtime_nanoseconds_todatetime(real(null))", "null"),
            value("unixtime_nanoseconds_todatetime(1e40)", "null"),
        ],
    },
    DocPage {
        page: "datetime-list-timezones",
        functions: &["datetime_list_timezones"],
        cases: &[
            // "A list of timezones supported by the IANA Time Zone Database"; the page shows no
            // output and says nothing of the order, so the cases check membership only.
            rows(
                r#"print z = datetime_list_timezones() | extend many = array_length(z) > 400
                   | mv-expand zone = z to typeof(string)
                   | summarize paris = countif(zone == "Europe/Paris"), utc = countif(zone == "UTC"), many = take_any(many)"#,
                "[[1, 1, true]]",
            ),
            // Kusto's answer (the emulator's, for the page's example) lists the names in ordinal order,
            // from Africa/Abidjan to Zulu.
            rows(
                "print z = datetime_list_timezones()
                 | project first = tostring(z[0]), last = tostring(z[-1]), ordered = tostring(array_sort_asc(z)) == tostring(z)",
                r#"[["Africa/Abidjan", "Zulu", true]]"#,
            ),
        ],
    },
];
