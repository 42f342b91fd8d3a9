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
        page: "parse-kv-operator",
        functions: &[],
        cases: &[
            // The page's examples, in order.
            rows(
                r##"print str="ThreadId:458745723, Machine:Node001, Text: The service is up, Level: Info"
                    | parse-kv str as (Text: string, ThreadId:long, Machine: string) with (pair_delimiter=',', kv_delimiter=':')
                    | project-away str"##,
                r#"[["The service is up", 458745723, "Node001"]]"#,
            ),
            rows(
                r##"print str='src=10.1.1.123 dst=10.1.1.124 bytes=125 failure="connection aborted" "event time"=2021-01-01T10:00:54'
                    | parse-kv str as (['event time']:datetime, src:string, dst:string, bytes:long, failure:string) with (pair_delimiter=' ', kv_delimiter='=', quote='"')
                    | project-away str"##,
                r#"[["2021-01-01T10:00:54Z", "10.1.1.123", "10.1.1.124", 125, "connection aborted"]]"#,
            ),
            rows(
                r##"print str='src=10.1.1.123 dst=10.1.1.124 bytes=125 failure=(connection aborted) (event time)=(2021-01-01 10:00:54)'
                    | parse-kv str as (['event time']:datetime, src:string, dst:string, bytes:long, failure:string) with (pair_delimiter=' ', kv_delimiter='=', quote='()')
                    | project-away str"##,
                r#"[["2021-01-01T10:00:54Z", "10.1.1.123", "10.1.1.124", 125, "connection aborted"]]"#,
            ),
            rows(
                r##"print str='src=10.1.1.123 dst=10.1.1.124 bytes=125 failure="the remote host sent \\"bye!\\"" time=2021-01-01T10:00:54'
                    | parse-kv str as (['time']:datetime, src:string, dst:string, bytes:long, failure:string) with (pair_delimiter=' ', kv_delimiter='=', quote='"', escape='\\')
                    | project-away str"##,
                r#"[["2021-01-01T10:00:54Z", "10.1.1.123", "10.1.1.124", 125, "the remote host sent \"bye!\""]]"#,
            ),
            rows(
                r#"print str='name=John Doe phone=555 5555 city=New York'
                   | parse-kv str as (name:string, phone:string, city:string) with (pair_delimiter=' ', kv_delimiter='=')
                   | project-away str"#,
                r#"[["John", "555", "New"]]"#,
            ),
            rows(
                r#"print str='name=John Doe phone=555 5555 city=New York'
                   | parse-kv str as (name:string, phone:string, city:string) with (pair_delimiter=' ', kv_delimiter='=', greedy=true)
                   | project-away str"#,
                r#"[["John Doe", "555 5555", "New York"]]"#,
            ),
            rows(
                r#"print str="2021-01-01T10:00:34 [INFO] ThreadId:458745723, Machine:Node001, Text: Started"
                   | parse-kv str as (Text: string, ThreadId:long, Machine: string)
                   | project-away str"#,
                r#"[["Started", 458745723, "Node001"]]"#,
            ),
            rows(
                r#"print str="2021-01-01T10:00:34 [INFO] ThreadId:458745723, Machine:Node001, Text: 'The service \\' is up'"
                   | parse-kv str as (Text: string, ThreadId:long, Machine: string) with (quote="'", escape='\\')
                   | project-away str"#,
                r#"[["The service ' is up", 458745723, "Node001"]]"#,
            ),
            rows(
                r#"print str=@'["referer url: https://hostname.com/redirect?dest=/?h=1234", "request url: https://hostname.com/?h=1234", "advertiser id: 24fefbca-cf27-4d62-a623-249c2ad30c73"]'
                   | parse-kv str as (['referer url']:string, ['request url']:string, ['advertiser id']: guid) with (regex=@'"([\w ]+)\s*:\s*([^"]*)"')
                   | project-away str"#,
                r#"[["https://hostname.com/redirect?dest=/?h=1234", "https://hostname.com/?h=1234", "24fefbca-cf27-4d62-a623-249c2ad30c73"]]"#,
            ),
            // "If a key doesn't appear in a record, the corresponding column value is either null or
            // an empty string, depending on the column type."
            rows(
                r#"print str="a=1" | parse-kv str as (a:long, b:long, c:string, d:datetime) with (pair_delimiter=',', kv_delimiter='=')
                   | project-away str"#,
                r#"[[1, null, "", null]]"#,
            ),
            // "The first appearance of a key is extracted, and subsequent values are ignored", in
            // each mode.
            rows(
                r#"print str="a=1,b=x,a=2" | parse-kv str as (a:long, b:string) with (pair_delimiter=',', kv_delimiter='=')
                   | project-away str"#,
                r#"[[1, "x"]]"#,
            ),
            rows(
                r#"print str="a 1 a 2" | parse-kv str as (a:long) | project-away str"#,
                "[[1]]",
            ),
            rows(
                r#"print str="a=1;a=2" | parse-kv str as (a:long) with (regex=@'(\w+)=(\w+)') | project-away str"#,
                "[[1]]",
            ),
            // "Leading and trailing white spaces are ignored", of keys and values.
            rows(
                r#"print str=" a =  x y  , b= 2 " | parse-kv str as (a:string, b:long) with (pair_delimiter=',', kv_delimiter='=')
                   | project-away str"#,
                r#"[["x y", 2]]"#,
            ),
            // A value that does not convert to the key's type is null.
            rows(
                r#"print str="a=abc,b=1.5,c=true" | parse-kv str as (a:long, b:real, c:bool) with (pair_delimiter=',', kv_delimiter='=')
                   | project-away str"#,
                "[[null, 1.5, true]]",
            ),
            // Several quote pairs at once; a quoted key.
            rows(
                r#"print str="x=(a, b),'y z'='c, d'" | parse-kv str as (x:string, ['y z']:string) with (pair_delimiter=',', kv_delimiter='=', quote='()', quote="'")
                   | project-away str"#,
                r#"[["a, b", "c, d"]]"#,
            ),
            // What the page does not describe is refused by name.
            refused(
                r#"print str="a=1" | parse-kv str as (a:long) with (pair_delimiter='||', kv_delimiter='=')"#,
                "`pair_delimiter` of 2 characters",
            ),
            refused(
                r#"print str="a=1" | parse-kv str as (a:long) with (pair_delimiter=',')"#,
                "only one of `pair_delimiter` and `kv_delimiter`",
            ),
            refused(
                r#"print str="a=1" | parse-kv str as (a:long) with (pair_delimiter=',', kv_delimiter='=', escape='\\')"#,
                "`escape` without `quote`",
            ),
            refused(
                r#"print str="a=1" | parse-kv str as (a:long) with (regex=@'(\w+)=(\w+)', greedy=true)"#,
                "`greedy` with `regex`",
            ),
            refused(
                r#"print str="a=1" | parse-kv str as (a:long) with (regex=@'(\w+)=\w+')"#,
                "it needs exactly two",
            ),
            refused(
                r#"print str="a=1" | parse-kv str as (a:dynamic) with (pair_delimiter=',', kv_delimiter='=')"#,
                "key of type `dynamic`",
            ),
            refused(
                r#"print str="a=1" | parse-kv str as (str:long) with (pair_delimiter=',', kv_delimiter='=')"#,
                "named like an existing column",
            ),
            refused(
                r#"print str="user_name: bob" | parse-kv str as (user_name:string)"#,
                "the `parse-kv` key `user_name` without delimiters",
            ),
            refused(
                r#"print str="a=1" | parse-kv str as (a:long) with (greedy=true)"#,
                "`greedy` in `parse-kv` without",
            ),
            refused(
                r#"print str="a=1" | parse-kv str as (a:long) with (pair_delimiter='=', kv_delimiter='=')"#,
                "equal to the `kv_delimiter`",
            ),
        ],
    },
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
