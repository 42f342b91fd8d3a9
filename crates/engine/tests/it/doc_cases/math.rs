//! Mathematical and rounding functions, numeric conversions and the numerical operators, from
//! their pages in the Kusto reference.

use super::{DocPage, rows, typed, value};

pub const PAGES: &[DocPage] = &[
    DocPage {
        page: "numerical-operators",
        functions: &["+", "-", "*", "/", "%"],
        cases: &[
            // "Type rules for arithmetic operations".
            typed("1.0 / 2", "0.5", "Double"),
            typed("1 / 2.0", "0.5", "Double"),
            typed("1 / 2", "0", "Int64"),
            typed("real(1) / 2", "0.5", "Double"),
            typed("4 / 2", "2", "Int64"),
            typed("10m / 1s", "600.0", "Double"),
            typed("1s * 5", r#""00:00:05""#, "TimeSpan"),
            // "The modulo of two numbers always returns a small non-negative number".
            rows(
                "print plusPlus = 14 % 12, minusPlus = -14 % 12, plusMinus = 14 % -12, minusMinus = -14 % -12",
                "[[2, 10, 2, 10]]",
            ),
            value("4 % 2", "0"),
            value("10sec < 1h", "true"),
            value("0.23 > 0.22", "true"),
        ],
    },
    DocPage {
        page: "round-function",
        functions: &["round"],
        cases: &[
            typed("round(2.98765, 3)", "2.988", "Double"),
            value("round(2.15, 1)", "2.2"),
            value("round(2.15)", "2.0"),
            value("round(-50.55, -2)", "-100.0"),
            value("round(21.5, -1)", "20.0"),
            // "round(2.15, 1) returns 2.2 while bin(2.15, 1) returns 2".
            value("bin(2.15, 1)", "2.0"),
        ],
    },
    DocPage {
        page: "abs-function",
        functions: &["abs"],
        cases: &[typed("abs(-5)", "5", "Int64"), value("abs(-5.5)", "5.5"), value("abs(-1h)", r#""01:00:00""#)],
    },
    DocPage {
        page: "ceiling-function",
        functions: &["ceiling"],
        cases: &[rows(
            "print c1 = ceiling(-1.1), c2 = ceiling(0), c3 = ceiling(0.9)",
            "[[-1.0, 0, 1.0]]",
        )],
    },
    DocPage {
        page: "sign-function",
        functions: &["sign"],
        cases: &[rows(
            "print s1 = sign(-42), s2 = sign(0), s3 = sign(11.2)",
            "[[-1.0, 0.0, 1.0]]",
        )],
    },
    DocPage {
        page: "bin-function",
        functions: &["bin", "floor"],
        cases: &[
            value("bin(4.5, 1)", "4.0"),
            value("bin(time(16d), 7d)", r#""14.00:00:00""#),
            value("bin(datetime(1970-05-11 13:45:07), 1d)", r#""1970-05-11T00:00:00Z""#),
            // "Null values, a null bin size, or a negative bin size will result in null."
            value("bin(4.5, -1)", "null"),
            value("bin(long(null), 1)", "null"),
            value("bin(5, long(null))", "null"),
            // "The nearest multiple of roundTo below value".
            value("bin(-7, 5)", "-10"),
            value("floor(-7, 5)", "-10"),
            rows(
                "let Start = datetime('2007-04-07'); let End = Start + 7d;
                 datatable(StartTime: datetime, DamageProperty: long)
                   [datetime(2007-04-08 10:00), 3000, datetime(2007-04-11 02:00), 1000, datetime(2007-04-12 08:00), 100000,
                    datetime(2007-04-12 22:00), 5000]
                 | union (range x from 1 to 1 step 1 | mv-expand StartTime=range(Start, End, 1d) to typeof(datetime) | extend DamageProperty=0)
                 | summarize PropertyDamage=sum(DamageProperty) by bin(StartTime, 1d) | order by StartTime asc",
                r#"[["2007-04-07T00:00:00Z", 0], ["2007-04-08T00:00:00Z", 3000], ["2007-04-09T00:00:00Z", 0],
                    ["2007-04-10T00:00:00Z", 0], ["2007-04-11T00:00:00Z", 1000], ["2007-04-12T00:00:00Z", 105000],
                    ["2007-04-13T00:00:00Z", 0], ["2007-04-14T00:00:00Z", 0]]"#,
            ),
        ],
    },
    DocPage {
        page: "bin-at-function",
        functions: &["bin_at"],
        cases: &[
            value("bin_at(6.5, 2.5, 7)", "4.5"),
            // "The return value is -12 since a daily bin aligned to 12 hours rounds down to 12 on the
            // previous day."
            value("bin_at(time(1h), 1d, 12h)", r#""-12:00:00""#),
            value("bin_at(datetime(2017-05-15 10:20:00.0), 1d, datetime(1970-01-01 12:00:00.0))", r#""2017-05-14T12:00:00Z""#),
            value("bin_at(datetime(2017-05-17 10:20:00.0), 7d, datetime(2017-06-04 00:00:00.0))", r#""2017-05-14T00:00:00Z""#),
            rows(
                "datatable(Date:datetime, NumOfEvents:int)[datetime(2018-02-24T15:14),3, datetime(2018-02-24T15:24),4,
                   datetime(2018-02-23T16:14),4, datetime(2018-02-23T17:29),4, datetime(2018-02-26T15:14),5]
                 | summarize TotalEvents=sum(NumOfEvents) by bin_at(Date, 1d, datetime(2018-02-24 15:14:00.0000000))
                 | order by Date asc",
                r#"[["2018-02-23T15:14:00Z", 8], ["2018-02-24T15:14:00Z", 7], ["2018-02-26T15:14:00Z", 5]]"#,
            ),
        ],
    },
    DocPage {
        page: "pow-function",
        functions: &["pow"],
        cases: &[typed("pow(2, 3)", "8.0", "Double")],
    },
    DocPage {
        page: "sqrt-function",
        functions: &["sqrt"],
        cases: &[
            value("sqrt(16)", "4.0"),
            // "null if the argument is negative".
            value("sqrt(-1)", "null"),
        ],
    },
    DocPage {
        page: "exp-function",
        functions: &["exp"],
        cases: &[value("round(exp(2), 6)", "7.389056")],
    },
    DocPage {
        page: "exp2-function",
        functions: &["exp2"],
        cases: &[value("exp2(3)", "8.0")],
    },
    DocPage {
        page: "exp10-function",
        functions: &["exp10"],
        cases: &[value("exp10(2)", "100.0")],
    },
    DocPage {
        page: "log-function",
        functions: &["log"],
        cases: &[
            value("log(5)", "1.6094379124341003"),
            // "null if the argument is negative or null".
            value("log(-1)", "null"),
            value("log(real(null))", "null"),
        ],
    },
    DocPage {
        page: "log10-function",
        functions: &["log10"],
        cases: &[value("log10(5)", "0.69897000433601886"), value("log10(-1)", "null")],
    },
    DocPage {
        page: "log2-function",
        functions: &["log2"],
        cases: &[value("log2(5)", "2.3219280948873622"), value("log2(-1)", "null")],
    },
    DocPage {
        page: "degrees-function",
        functions: &["degrees"],
        cases: &[rows(
            "print degrees0 = degrees(pi()/4), degrees1 = degrees(pi()*1.5), degrees2 = degrees(0)",
            "[[45.0, 270.0, 0.0]]",
        )],
    },
    DocPage {
        page: "radians-function",
        functions: &["radians"],
        cases: &[rows(
            "print radians0 = radians(90), radians1 = radians(180), radians2 = radians(360)",
            "[[1.5707963267948966, 3.141592653589793, 6.283185307179586]]",
        )],
    },
    DocPage {
        page: "isnan-function",
        functions: &["isnan"],
        cases: &[rows(
            "range x from -1 to 1 step 1 | extend y = (-1*x) | extend div = 1.0*x/y | project x, isnan=isnan(div)",
            "[[-1, false], [0, true], [1, false]]",
        )],
    },
    DocPage {
        page: "isinf-function",
        functions: &["isinf"],
        cases: &[rows(
            "range x from -1 to 1 step 1 | extend y = 0.0 | extend div = 1.0*x/y | project x, isinf=isinf(div)",
            "[[-1, true], [0, false], [1, true]]",
        )],
    },
    DocPage {
        page: "isfinite-function",
        functions: &["isfinite"],
        cases: &[rows(
            "range x from -1 to 1 step 1 | extend y = 0.0 | extend div = 1.0*x/y | project x, isfinite=isfinite(div)",
            "[[-1, false], [0, false], [1, false]]",
        )],
    },
    DocPage {
        page: "toint-function",
        functions: &["toint"],
        cases: &[
            value(r#"toint("123") == 123"#, "true"),
            // "If the input includes a decimal value, the result truncate to only the integer portion."
            value("toint(2.3)", "2"),
            value("toint(-2.7)", "-2"),
            value(r#"toint("abc")"#, "null"),
        ],
    },
    DocPage {
        page: "tolong-function",
        functions: &["tolong"],
        cases: &[
            value(r#"tolong("123") == 123"#, "true"),
            typed(r#"tolong("123")"#, "123", "Int64"),
            value(r#"tolong("abc")"#, "null"),
        ],
    },
    DocPage {
        page: "toreal-function",
        functions: &["toreal", "todouble"],
        cases: &[
            value(r#"toreal("123.4") == 123.4"#, "true"),
            typed(r#"toreal("123.4")"#, "123.4", "Double"),
            value(r#"toreal("abc")"#, "null"),
        ],
    },
    DocPage {
        page: "tostring-function",
        functions: &["tostring"],
        cases: &[
            typed("tostring(123)", r#""123""#, "String"),
            // "If value is null, the result is an empty string."
            value("tostring(long(null))", r#""""#),
        ],
    },
    DocPage {
        page: "tobool-function",
        functions: &["tobool", "toboolean"],
        cases: &[
            value(r#"tobool("true") == true"#, "true"),
            value(r#"tobool("false") == false"#, "true"),
            value("tobool(1) == true", "true"),
            value("tobool(123) == true", "true"),
            value(r#"tobool("not a bool")"#, "null"),
        ],
    },
    DocPage {
        page: "toguid-function",
        functions: &["toguid"],
        cases: &[
            rows(
                r#"datatable(str: string)["0123456789abcdef0123456789abcdef", "0123456789ab-cdef-0123-456789abcdef", "a string that is not a guid"]
                   | project guid = toguid(str)"#,
                r#"[["01234567-89ab-cdef-0123-456789abcdef"], ["01234567-89ab-cdef-0123-456789abcdef"], [null]]"#,
            ),
        ],
    },
    DocPage {
        page: "not-function",
        functions: &["not"],
        cases: &[
            rows(
                r#"datatable(EventType: string, State: string)["Hail", "Alaska", "Hail", "TEXAS", "Flood", "Alaska"]
                   | where not(EventType == "Hail" and State == "Alaska")"#,
                r#"[["Hail", "TEXAS"], ["Flood", "Alaska"]]"#,
            ),
            rows(
                r#"datatable(EventType: string, State: string)["Hail", "Alaska", "Hail", "TEXAS", "Flood", "Alaska", "Flood", "TEXAS"]
                   | where not(EventType == "Hail" or State == "Alaska")"#,
                r#"[["Flood", "TEXAS"]]"#,
            ),
        ],
    },
];
