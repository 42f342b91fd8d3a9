//! Pages of tabular operators and of the language's rules (statements, null values) whose examples run
//! on their own data: each example's output, or the behaviour the page states. The examples' input
//! tables are cut to two rows where the page repeats one shape.

use super::{DocPage, refused, rows};

/// The first two events of the `parse` page's `Traces` table, one per line.
macro_rules! traces {
    ($separator:literal) => {
        concat!(
            "let Traces = datatable(EventText: string) [\n",
            "  \"Event: NotifySliceRelease (resourceName=PipelineScheduler",
            $separator,
            "totalSlices=27",
            $separator,
            "sliceNumber=23",
            $separator,
            "lockTime=02/17/2016 08:40:01",
            $separator,
            "releaseTime=02/17/2016 08:40:01",
            $separator,
            "previousLockTime=02/17/2016 08:39:01)\",\n",
            "  \"Event: NotifySliceRelease (resourceName=PipelineScheduler",
            $separator,
            "totalSlices=27",
            $separator,
            "sliceNumber=15",
            $separator,
            "lockTime=02/17/2016 08:40:00",
            $separator,
            "releaseTime=02/17/2016 08:40:00",
            $separator,
            "previousLockTime=02/17/2016 08:39:00)\"];\n"
        )
    };
}

pub const PAGES: &[DocPage] = &[
    DocPage {
        page: "parse-operator",
        functions: &[],
        cases: &[
            rows(
                concat!(
                    traces!(", "),
                    r#"Traces
                       | parse EventText with * "resourceName=" resourceName ", totalSlices=" totalSlices: long * "sliceNumber=" sliceNumber: long * "lockTime=" lockTime ", releaseTime=" releaseTime: date "," * "previousLockTime=" previousLockTime: date ")" *
                       | project resourceName, totalSlices, sliceNumber, lockTime, releaseTime, previousLockTime"#
                ),
                r#"[["PipelineScheduler", 27, 23, "02/17/2016 08:40:01", "2016-02-17T08:40:01Z", "2016-02-17T08:39:01Z"],
                    ["PipelineScheduler", 27, 15, "02/17/2016 08:40:00", "2016-02-17T08:40:00Z", "2016-02-17T08:39:00Z"]]"#,
            ),
            // The regex kind: the pattern's own groups (`(.*?)`, an optional `(previous)?` that takes
            // no part in the match) come before the columns' and do not shift them.
            rows(
                concat!(
                    traces!(", "),
                    r#"Traces
                       | parse kind=regex EventText with "(.*?)[a-zA-Z]*=" resourceName @", totalSlices=\s*\d+\s*.*?sliceNumber=" sliceNumber: long  ".*?(previous)?lockTime=" lockTime ".*?releaseTime=" releaseTime ".*?previousLockTime=" previousLockTime: date "\\)"
                       | project resourceName, sliceNumber, lockTime, releaseTime, previousLockTime"#
                ),
                r#"[["PipelineScheduler", 23, "02/17/2016 08:40:01, ", "02/17/2016 08:40:01, ", "2016-02-17T08:39:01Z"],
                    ["PipelineScheduler", 15, "02/17/2016 08:40:00, ", "02/17/2016 08:40:00, ", "2016-02-17T08:39:00Z"]]"#,
            ),
            // "The results in the previous example are unexpected, and include full event data since
            // the default mode is greedy": a string column takes the text up to the last comma...
            rows(
                concat!(
                    traces!(", "),
                    r#"Traces | parse kind=regex EventText with * "resourceName=" resourceName ',' * | project resourceName"#
                ),
                r#"[["PipelineScheduler, totalSlices=27, sliceNumber=23, lockTime=02/17/2016 08:40:01, releaseTime=02/17/2016 08:40:01"],
                    ["PipelineScheduler, totalSlices=27, sliceNumber=15, lockTime=02/17/2016 08:40:00, releaseTime=02/17/2016 08:40:00"]]"#,
            ),
            // ... and the non-greedy `U` flag (with `i` for the upper-case delimiter) stops it at the first.
            rows(
                concat!(
                    traces!(", "),
                    r#"Traces | parse kind=regex flags=Ui EventText with * "RESOURCENAME=" resourceName ',' * | project resourceName"#
                ),
                r#"[["PipelineScheduler"], ["PipelineScheduler"]]"#,
            ),
            // `s` lets `.` match the line breaks between the fields.
            rows(
                concat!(
                    traces!("\\n"),
                    r#"Traces
                       | parse kind=regex flags=s EventText with * "resourceName=" resourceName: string "(.*?)totalSlices=" totalSlices: long "(.*?)lockTime=" lockTime: datetime "(.*?)releaseTime=" releaseTime: datetime "(.*?)previousLockTime=" previousLockTime: datetime "\\)"
                       | project-away EventText"#
                ),
                r#"[["PipelineScheduler\n", 27, "2016-02-17T08:40:01Z", "2016-02-17T08:40:01Z", "2016-02-17T08:39:01Z"],
                    ["PipelineScheduler\n", 27, "2016-02-17T08:40:00Z", "2016-02-17T08:40:00Z", "2016-02-17T08:39:00Z"]]"#,
            ),
            refused(
                r#"print t = "a=1" | parse kind=regex t with "(" x"#,
                "not a valid regular expression",
            ),
        ],
    },
    DocPage {
        page: "sort-operator",
        functions: &[],
        cases: &[
            // The page's table: "Null and NaN values are always grouped together", nulls before NaN
            // with `nulls first`, after it with `nulls last`; descending sorts put nulls last.
            rows(
                r#"datatable(x:real)[5.0, real(null), real(nan), -5.0, 0.0, real(+inf), real(-inf)]
                   | sort by x asc nulls first | project x = tostring(x)"#,
                r#"[[""], ["NaN"], ["-Infinity"], ["-5"], ["0"], ["5"], ["Infinity"]]"#,
            ),
            rows(
                r#"datatable(x:real)[5.0, real(null), real(nan), -5.0, 0.0, real(+inf), real(-inf)]
                   | sort by x asc nulls last | project x = tostring(x)"#,
                r#"[["-Infinity"], ["-5"], ["0"], ["5"], ["Infinity"], ["NaN"], [""]]"#,
            ),
            rows(
                r#"datatable(x:real)[5.0, real(null), real(nan), -5.0, 0.0, real(+inf), real(-inf)]
                   | sort by x desc nulls first | project x = tostring(x)"#,
                r#"[[""], ["NaN"], ["Infinity"], ["5"], ["0"], ["-5"], ["-Infinity"]]"#,
            ),
            rows(
                r#"datatable(x:real)[5.0, real(null), real(nan), -5.0, 0.0, real(+inf), real(-inf)]
                   | sort by x | project x = tostring(x)"#,
                r#"[["Infinity"], ["5"], ["0"], ["-5"], ["-Infinity"], ["NaN"], [""]]"#,
            ),
            rows(
                r#"datatable(x:real)[5.0, real(null), real(nan), -5.0]
                   | top 3 by x | project x = tostring(x)"#,
                r#"[["5"], ["-5"], ["NaN"]]"#,
            ),
        ],
    },
    DocPage {
        page: "functions/user-defined-functions",
        functions: &[],
        cases: &[
            // Arguments by name, in any order after the positional ones; the rest take their defaults.
            rows(
                r#"let f = (a:long, b:string = "b.default", c:long = 0) { strcat(a, "-", b, "-", c) };
                   print x = f(c=7, a=12), y = f(12, c=7), z = f(12)"#,
                r#"[["12-b.default-7", "12-b.default-7", "12-b.default-0"]]"#,
            ),
            // Kusto.Language: "All arguments after an unordered named argument must be named".
            refused(
                r#"let f = (a:long, b:string = "b.default", c:long = 0) { strcat(a, "-", b, "-", c) };
                   print x = f(c=7, 12)"#,
                "must be named",
            ),
            refused(
                r#"let f = (a:long, b:long = 0) { a + b }; print x = f(1, d=2)"#,
                "has no parameter named `d`",
            ),
            refused(
                r#"let f = (a:long, b:long = 0) { a + b }; print x = f(b=2)"#,
                "the argument for parameter `a` is missing",
            ),
            // Kusto.Language accepts a parameter given twice without saying which value counts.
            refused(
                r#"let f = (a:long, b:long = 0) { a + b }; print x = f(1, a=2)"#,
                "an argument given twice",
            ),
        ],
    },
    DocPage {
        page: "scalar-data-types/null-values",
        functions: &[],
        cases: &[
            // "Applying the equality operator to a null value and a non-null value yields
            // bool(false)"; inequality `bool(true)`; two nulls `bool(null)`.
            rows(
                r#"datatable(val:int)[5, int(null)]
                   | extend IsBiggerThan3 = val > 3
                   | extend IsBiggerThan3OrNull = val > 3 or isnull(val)
                   | extend IsEqualToNull = val == int(null)
                   | extend IsNotEqualToNull = val != int(null)"#,
                "[[5, true, true, false, true], [null, null, true, null, null]]",
            ),
            // `where` keeps the row whose value is null: null != 5 is true.
            rows(
                r#"datatable(ival:int, sval:string)[5, "a", int(null), "b"] | where ival != 5"#,
                r#"[[null, "b"]]"#,
            ),
            rows(
                r#"datatable(a:long, b:long)[1, long(null), long(null), long(null), 2, 2]
                   | project eq = a == b, ne = a != b, lit_eq = a == 1, lit_ne = a != 1, not_eq = not(a == b)"#,
                "[[false, true, true, false, true], [null, null, false, true, null], [true, false, false, true, false]]",
            ),
        ],
    },
];
