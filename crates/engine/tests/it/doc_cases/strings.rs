//! String functions and operators, from their pages in the Kusto reference. The operator examples
//! run over the page's own `StormEvents` state names (a `datatable` of them), not the sample table.

use super::{DocPage, refused, rows, typed, value};

/// State names the operator pages' examples filter.
macro_rules! states {
    ($filter:literal) => {
        concat!(
            r#"datatable(State: string)["NEW YORK", "NEW JERSEY", "NEW MEXICO", "LAKE MICHIGAN", "LAKE HURON", "#,
            r#""NORTH CAROLINA", "SOUTH DAKOTA", "ATLANTIC SOUTH", "KANSAS", "ARKANSAS", "LAKE SUPERIOR", "#,
            r#""LOUISIANA", "PENNSYLVANIA", "TENNESSEE", "TEXAS", "FLORIDA", "GEORGIA"] | where "#,
            $filter
        )
    };
}

pub const PAGES: &[DocPage] = &[
    DocPage {
        page: "datatypes-string-operators",
        functions: &["has", "contains", "startswith", "endswith", "hasprefix", "hassuffix", "matches regex"],
        cases: &[
            // "Example (yields true)", one per operator.
            value(r#""aBc" == "aBc""#, "true"),
            value(r#""abc" != "ABC""#, "true"),
            value(r#""abc" =~ "ABC""#, "true"),
            value(r#""aBc" !~ "xyz""#, "true"),
            value(r#""FabriKam" contains "BRik""#, "true"),
            value(r#""Fabrikam" !contains "xyz""#, "true"),
            value(r#""FabriKam" contains_cs "Kam""#, "true"),
            value(r#""Fabrikam" !contains_cs "Kam""#, "true"),
            value(r#""Fabrikam" endswith "Kam""#, "true"),
            value(r#""Fabrikam" !endswith "brik""#, "true"),
            value(r#""Fabrikam" endswith_cs "kam""#, "true"),
            value(r#""Fabrikam" !endswith_cs "brik""#, "true"),
            value(r#""North America" has "america""#, "true"),
            value(r#""North America" !has "amer""#, "true"),
            value(r#""North and South America" has_all("south", "north")"#, "true"),
            value(r#""North America" has_any("south", "north")"#, "true"),
            value(r#""North America" has_cs "America""#, "true"),
            value(r#""North America" !has_cs "amer""#, "true"),
            value(r#""North America" hasprefix "ame""#, "true"),
            value(r#""North America" !hasprefix "mer""#, "true"),
            value(r#""North America" hasprefix_cs "Ame""#, "true"),
            value(r#""North America" !hasprefix_cs "CA""#, "true"),
            value(r#""North America" hassuffix "ica""#, "true"),
            value(r#""North America" !hassuffix "americ""#, "true"),
            value(r#""North America" hassuffix_cs "ica""#, "true"),
            value(r#""North America" !hassuffix_cs "icA""#, "true"),
            value(r#""abc" in ("123", "345", "abc")"#, "true"),
            value(r#""bca" !in ("123", "345", "abc")"#, "true"),
            value(r#""Abc" in~ ("123", "345", "abc")"#, "true"),
            value(r#""bCa" !in~ ("123", "345", "ABC")"#, "true"),
            value(r#""Fabrikam" matches regex "b.*k""#, "true"),
            value(r#""Fabrikam" startswith "fab""#, "true"),
            value(r#""Fabrikam" !startswith "kam""#, "true"),
            value(r#""Fabrikam" startswith_cs "Fab""#, "true"),
            value(r#""Fabrikam" !startswith_cs "fab""#, "true"),
            // "What is a term": a term is a maximal run of alphanumerics, so `has` does not find a
            // substring of one that `contains` finds.
            value(r#""KustoExplorerQueryRun" has "Explorer""#, "false"),
            value(r#""KustoExplorerQueryRun" contains "Explorer""#, "true"),
            value(r#""Kusto: ad67d136-c1db-4f9f-88ef-d94f3b6b0b5a;KustoExplorerQueryRun" has "c1db""#, "true"),
            value(r#""Kusto: ad67d136-c1db-4f9f-88ef-d94f3b6b0b5a;KustoExplorerQueryRun" has "kustoexplorerqueryrun""#, "true"),
            // The operator pages' StormEvents examples, over the state names.
            rows(states!(r#"State has "New""#), r#"[["NEW YORK"], ["NEW JERSEY"], ["NEW MEXICO"]]"#),
            rows(
                states!(r#"State has_any ("CAROLINA", "DAKOTA", "NEW")"#),
                r#"[["NEW YORK"], ["NEW JERSEY"], ["NEW MEXICO"], ["NORTH CAROLINA"], ["SOUTH DAKOTA"]]"#,
            ),
            rows(
                states!(r#"State has_any (dynamic(['south', 'north']))"#),
                r#"[["NORTH CAROLINA"], ["SOUTH DAKOTA"], ["ATLANTIC SOUTH"]]"#,
            ),
            rows(states!(r#"State has_all ("north", "carolina")"#), r#"[["NORTH CAROLINA"]]"#),
            rows(
                states!(r#"State hasprefix "la""#),
                r#"[["LAKE MICHIGAN"], ["LAKE HURON"], ["LAKE SUPERIOR"]]"#,
            ),
            rows(
                states!(r#"State hassuffix "th""#),
                r#"[["NORTH CAROLINA"], ["SOUTH DAKOTA"], ["ATLANTIC SOUTH"]]"#,
            ),
            rows(states!(r#"State startswith "Lo""#), r#"[["LOUISIANA"]]"#),
            rows(states!(r#"State endswith "sas""#), r#"[["KANSAS"], ["ARKANSAS"]]"#),
            rows(states!(r#"State contains "enn""#), r#"[["PENNSYLVANIA"], ["TENNESSEE"]]"#),
            rows(
                states!(r#"State matches regex "K.*S""#),
                r#"[["KANSAS"], ["ARKANSAS"], ["LAKE SUPERIOR"]]"#,
            ),
            rows(states!(r#"State =~ "kansas""#), r#"[["KANSAS"]]"#),
            rows(
                states!(r#"State in~ ("FLORIDA", "georgia", "NEW YORK")"#),
                r#"[["NEW YORK"], ["FLORIDA"], ["GEORGIA"]]"#,
            ),
            rows(
                states!(r#"State in (dynamic(['FLORIDA', 'ATLANTIC SOUTH', 'GEORGIA']))"#),
                r#"[["ATLANTIC SOUTH"], ["FLORIDA"], ["GEORGIA"]]"#,
            ),
            rows(states!(r#"State in ("FLORIDA", "georgia")"#), r#"[["FLORIDA"]]"#),
        ],
    },
    DocPage {
        page: "indexof-function",
        functions: &["indexof"],
        cases: &[
            typed(r#"indexof("abcdefg","cde")"#, "2", "Int64"),
            value(r#"indexof("abcdefg","cde",1,4)"#, "2"),
            value(r#"indexof("abcdefg","cde",1,2)"#, "-1"),
            value(r#"indexof("abcdefg","cde",3,4)"#, "-1"),
            // "A negative value will offset the starting search position from the end".
            value(r#"indexof("abcdefg","cde",-5)"#, "2"),
            // "If string or match isn't of type string, the function forcibly casts".
            value("indexof(1234567,5,1,4)", "4"),
            value(r#"indexof("abcdefg","cde",2,-1)"#, "2"),
            value(r#"indexof("abcdefgabcdefg", "cde", 1, 10, 2)"#, "9"),
            value(r#"indexof("abcdefgabcdefg", "cde", 1, -1, 3)"#, "-1"),
            // "Returns null if occurrence is less than 0 / length is less than -1".
            value(r#"indexof("abcdefg", "cde", 0, -1, -1)"#, "null"),
            value(r#"indexof("abcdefg", "cde", 0, -2)"#, "null"),
            value(r#"indexof("abcdefg", "xyz")"#, "-1"),
            // "case-sensitive".
            value(r#"indexof("abcdefg", "CDE")"#, "-1"),
        ],
    },
    DocPage {
        page: "substring-function",
        functions: &["substring"],
        cases: &[
            value(r#"substring("123456", 1)"#, r#""23456""#),
            value(r#"substring("123456", 2, 2)"#, r#""34""#),
            value(r#"substring("ABCD", 0, 2)"#, r#""AB""#),
            value(r#"substring("123456", -2, 2)"#, r#""56""#),
        ],
    },
    DocPage {
        page: "extract-function",
        functions: &["extract"],
        cases: &[
            rows(
                r#"datatable(Text: string)["User: James, Email: James@example.com, Age: 29", "User: David, Age: 35"]
                   | project UserName = extract("User: ([^,]+)", 1, Text), EmailId = extract(@"Email: (\S+),", 1, Text),
                             Age = extract(@"\d+", 0, Text)"#,
                r#"[["James", "James@example.com", "29"], ["David", "", "35"]]"#,
            ),
            rows(
                r#"datatable(DateString: string)["15-12-2024", "21-07-2023", "10-03-2022"]
                   | project Month = extract(@"-(\d{2})-", 1, DateString, typeof(int))"#,
                "[[12], [7], [3]]",
            ),
            // "If there's no match, or the type conversion fails: null".
            typed(r#"extract(@"(\d+)", 1, "no digits", typeof(long))"#, "null", "Int64"),
            typed(r#"extract(@"(\w+)", 1, "abc", typeof(int))"#, "null", "Int32"),
            typed(r#"extract(@"(\d+)", 1, "a 42", typeof(real))"#, "42.0", "Double"),
            // "0 stands for the entire match".
            value(r#"extract(@"(\d+)-(\d+)", 0, "tel 12-34")"#, r#""12-34""#),
            value(r#"extract(@"(\d+)-(\d+)", 2, "tel 12-34")"#, r#""34""#),
        ],
    },
    DocPage {
        page: "extract-all-function",
        functions: &["extract_all", "extractall"],
        cases: &[
            value(r#"extract_all(@"(\d+)", "a set of numbers: 123, 567 and 789")"#, r#"["123", "567", "789"]"#),
            value(
                r#"extract_all(@"([\da-f]{2})", "82b8be2d-dfa7-4bd1-8f63-24ad26d31449")"#,
                r#"["82","b8","be","2d","df","a7","4b","d1","8f","63","24","ad","26","d3","14","49"]"#,
            ),
            value(
                r#"extract_all(@"(\w)(\w+)(\w)", "82b8be2d-dfa7-4bd1-8f63-24ad26d31449")"#,
                r#"[["8","2b8be2","d"],["d","fa","7"],["4","bd","1"],["8","f6","3"],["2","4ad26d3144","9"]]"#,
            ),
            value(
                r#"extract_all(@"(\w)(\w+)(\w)", dynamic([1,3]), "82b8be2d-dfa7-4bd1-8f63-24ad26d31449")"#,
                r#"[["8","d"],["d","7"],["4","1"],["8","3"],["2","9"]]"#,
            ),
            value(
                r#"extract_all(@"(?P<first>\w)(?P<middle>\w+)(?P<last>\w)", dynamic(['first',2,'last']), "82b8be2d-dfa7-4bd1-8f63-24ad26d31449")"#,
                r#"[["8","2b8be2","d"],["d","fa","7"],["4","bd","1"],["8","f6","3"],["2","4ad26d3144","9"]]"#,
            ),
            // "If there's no match: null".
            value(r#"extract_all(@"(\d+)", "no digits")"#, "null"),
            value(r#"extractall(@"(\d+)", "1 and 2")"#, r#"["1", "2"]"#),
        ],
    },
    DocPage {
        page: "countof-function",
        functions: &["countof"],
        cases: &[
            typed(r#"countof("aaa", "a")"#, "3", "Int64"),
            value(r#"countof("aaaa", "aa")"#, "3"),
            value(r#"countof("ababa", "ab", "normal")"#, "2"),
            value(r#"countof("ababa", "aba")"#, "2"),
            value(r#"countof("ababa", "aba", "regex")"#, "1"),
            value(r#"countof("abcabc", "a.c", "regex")"#, "2"),
        ],
    },
    DocPage {
        page: "strlen-function",
        functions: &["strlen"],
        cases: &[
            typed(r#"strlen("hello")"#, "5", "Int64"),
            value(r#"strlen("⒦⒰⒮⒯⒪")"#, "5"),
            // "counts Unicode code points": C and a combining cedilla are two.
            value("strlen('C\u{327}edilla')", "8"),
        ],
    },
    DocPage {
        page: "string-size-function",
        functions: &["string_size"],
        cases: &[
            typed(r#"string_size("hello")"#, "5", "Int64"),
            value(r#"string_size("⒦⒰⒮⒯⒪")"#, "15"),
        ],
    },
    DocPage {
        page: "strrep-function",
        functions: &["strrep"],
        cases: &[rows(
            "print from_str = strrep('ABC', 2), from_int = strrep(123,3,'.'), from_time = strrep(3s,2,' ')",
            r#"[["ABCABC", "123.123.123", "00:00:03 00:00:03"]]"#,
        )],
    },
    DocPage {
        page: "reverse-function",
        functions: &["reverse"],
        cases: &[
            value(r#"reverse("ABCDEFGHIJKLMNOPQRSTUVWXYZ")"#, r#""ZYXWVUTSRQPONMLKJIHGFEDCBA""#),
            rows(
                "print ['int'] = 12345, ['double'] = 123.45, ['datetime'] = datetime(2017-10-15 12:00), ['timespan'] = 3h
                 | project rint = reverse(['int']), rdouble = reverse(['double']), rdatetime = reverse(['datetime']),
                           rtimespan = reverse(['timespan'])",
                r#"[["54321", "54.321", "Z0000000.00:00:21T51-01-7102", "00:00:30"]]"#,
            ),
        ],
    },
    DocPage {
        page: "trim-function",
        functions: &["trim"],
        cases: &[
            value(r#"trim("--", @"--https://bing.com--")"#, r#""https://bing.com""#),
            rows(
                r#"range x from 1 to 2 step 1 | project str = strcat("-  ","Te st",x,@"// $") | extend trimmed_str = trim(@"[^\w]+",str)"#,
                r#"[["-  Te st1// $", "Te st1"], ["-  Te st2// $", "Te st2"]]"#,
            ),
            value(r#"trim(@"\s+", @"    Hello, world!    ")"#, r#""Hello, world!""#),
        ],
    },
    DocPage {
        page: "trim-start-function",
        functions: &["trim_start"],
        cases: &[
            value(r#"trim_start("https://", "https://bing.com")"#, r#""bing.com""#),
            value(r#"trim_start(@"[^\w]+", "-  Te st1// $")"#, r#""Te st1// $""#),
            value(r#"trim_start(@"\s+", @"    Hello, world!    ")"#, r#""Hello, world!    ""#),
        ],
    },
    DocPage {
        page: "trim-end-function",
        functions: &["trim_end"],
        cases: &[
            // The page's ".com" is a regular expression: `.` matches any character.
            value(r#"trim_end(".com", "bing.com")"#, r#""bing""#),
            value(r#"trim_end(@"[^\w]+", "-  Te st1// $")"#, r#""-  Te st1""#),
            value(r#"trim_end(@"\s+", @"    Hello, world!    ")"#, r#""    Hello, world!""#),
        ],
    },
    DocPage {
        page: "split-function",
        functions: &["split"],
        cases: &[
            value(r#"split("aa_bb", "_")"#, r#"["aa","bb"]"#),
            value(r#"split("aaa_bbb_ccc", "_", 1)"#, r#"["bbb"]"#),
            value(r#"split("", "_")"#, r#"[""]"#),
            value(r#"split("a__b", "_")"#, r#"["a","","b"]"#),
            value(r#"split("aabbcc", "bb")"#, r#"["aa","cc"]"#),
        ],
    },
    DocPage {
        page: "strcat-function",
        functions: &["strcat"],
        cases: &[
            value(r#"strcat("hello", " ", "world")"#, r#""hello world""#),
            value(r#"strcat("Line 1\n", "Line 2\n", "Line 3")"#, r#""Line 1\nLine 2\nLine 3""#),
            // "If the arguments aren't of string type, they'll be forcibly converted to string."
            value("strcat(1, 2.5, 1s)", r#""12.500:00:01""#),
        ],
    },
    DocPage {
        page: "strcat-delim-function",
        functions: &["strcat_delim"],
        cases: &[value("strcat_delim('-', 1, '2', 'A', 1s)", r#""1-2-A-00:00:01""#)],
    },
    DocPage {
        page: "strcat-array-function",
        functions: &["strcat_array", "array_strcat"],
        cases: &[
            value(r#"strcat_array(dynamic([1, 2, 3]), "->")"#, r#""1->2->3""#),
            value(r#"strcat_array(dynamic([1, 2, 3]), '"')"#, r#""1\"2\"3""#),
        ],
    },
    DocPage {
        page: "replace-string-function",
        functions: &["replace_string"],
        cases: &[
            value(
                r#"replace_string("A magic trick can turn a cat into a dog", "cat", "hamster")"#,
                r#""A magic trick can turn a hamster into a dog""#,
            ),
            // The page prints "Number is 1.000000" for `tostring(x)` of a long, which tostring's own
            // page gives as "1"; the replacement is what this example checks.
            rows(
                "range x from 1 to 2 step 1 | extend str=strcat('Number is ', tostring(x)) | extend replaced=replace_string(str, 'is', 'was')",
                r#"[[1, "Number is 1", "Number was 1"], [2, "Number is 2", "Number was 2"]]"#,
            ),
            // "Matches don't overlap."
            value(r#"replace_string("aaa", "aa", "b")"#, r#""ba""#),
        ],
    },
    DocPage {
        page: "replace-regex-function",
        functions: &["replace_regex", "replace"],
        cases: &[
            rows(
                r#"range x from 1 to 2 step 1 | project replaced=replace_regex(strcat('Number is ', tostring(x)), @'is (\d+)', @'was: \1')"#,
                r#"[["Number was: 1"], ["Number was: 2"]]"#,
            ),
            // `\0` is the whole match; "matches do not overlap".
            value(r#"replace_regex("abab", @"ab", @"<\0>")"#, r#""<ab><ab>""#),
        ],
    },
    DocPage {
        page: "translate-function",
        functions: &["translate"],
        cases: &[
            value(r#"translate("abc", "x", "abc")"#, r#""xxx""#),
            value(r#"translate("abc", "", "ab")"#, r#""""#),
            value(r#"translate("krasp", "otsku", "spark")"#, r#""kusto""#),
        ],
    },
    DocPage {
        page: "strcmp-function",
        functions: &["strcmp"],
        cases: &[rows(
            r#"datatable(string1:string, string2:string) ["ABC","ABC", "abc","ABC", "ABC","abc", "abcde","abc"]
               | project result = strcmp(string1,string2)"#,
            "[[0], [1], [-1], [1]]",
        )],
    },
    DocPage {
        page: "tolower-function",
        functions: &["tolower"],
        cases: &[value(r#"tolower("Hello") == "hello""#, "true"), value(r#"tolower("HeLLo")"#, r#""hello""#)],
    },
    DocPage {
        page: "toupper-function",
        functions: &["toupper"],
        cases: &[value(r#"toupper("hello") == "HELLO""#, "true"), value(r#"toupper("HeLLo")"#, r#""HELLO""#)],
    },
    DocPage {
        page: "isempty-function",
        functions: &["isempty"],
        cases: &[
            value(r#"isempty("")"#, "true"),
            value(r#"isempty("x")"#, "false"),
            value(r#"isempty(parsejson(""))"#, "true"),
            value(r#"isempty(parsejson("[]"))"#, "false"),
            value(r#"isempty(parsejson("{}"))"#, "false"),
            value("isempty(long(null))", "true"),
        ],
    },
    DocPage {
        page: "isnotempty-function",
        functions: &["isnotempty", "notempty"],
        cases: &[
            value(r#"isnotempty("")"#, "false"),
            value(r#"isnotempty("x")"#, "true"),
            value("isnotempty(real(null))", "false"),
            value("isnotempty(1.5)", "true"),
        ],
    },
    DocPage {
        page: "isascii",
        functions: &["isascii"],
        cases: &[value(r#"isascii("some string")"#, "true"), value(r#"isascii("académie")"#, "false")],
    },
    DocPage {
        page: "has-any-index-function",
        functions: &["has_any_index"],
        cases: &[
            typed(r#"has_any_index("this is an example", dynamic(['this', 'example']))"#, "0", "Int64"),
            value(r#"has_any_index("this is an example", dynamic(['not', 'example']))"#, "1"),
            value(r#"has_any_index("this is an example", dynamic(['not', 'found']))"#, "-1"),
            value(r#"has_any_index("Example number 2", range(1, 3, 1))"#, "1"),
            value(r#"has_any_index("this is an example", dynamic([]))"#, "-1"),
        ],
    },
    DocPage {
        page: "parse-url-function",
        functions: &["parse_url", "parseurl"],
        cases: &[value(
            r#"parse_url("scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment")"#,
            r#"{"Scheme":"scheme", "Host":"host", "Port":"1234", "Path":"/this/is/a/path", "Username":"username",
                "Password":"password", "Query Parameters":{"k1":"v1", "k2":"v2"}, "Fragment":"fragment"}"#,
        )],
    },
    DocPage {
        page: "parse-path-function",
        functions: &["parse_path"],
        cases: &[rows(
            r#"datatable(p:string) [@"C:\temp\file.txt", @"temp\file.txt", "file://C:/temp/file.txt:some.exe",
                                    @"\\shared\users\temp\file.txt.gz", "/usr/lib/temp/file.txt"]
               | project path_parts = parse_path(p)"#,
            r#"[[{"Scheme":"","RootPath":"C:","DirectoryPath":"C:\\temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":""}],
                [{"Scheme":"","RootPath":"","DirectoryPath":"temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":""}],
                [{"Scheme":"file","RootPath":"C:","DirectoryPath":"C:/temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":"some.exe"}],
                [{"Scheme":"","RootPath":"","DirectoryPath":"\\\\shared\\users\\temp","DirectoryName":"temp","Filename":"file.txt.gz","Extension":"gz","AlternateDataStreamName":""}],
                [{"Scheme":"","RootPath":"","DirectoryPath":"/usr/lib/temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":""}]]"#,
        )],
    },
    DocPage {
        page: "parse-command-line-function",
        functions: &["parse_command_line"],
        cases: &[
            value(r#"parse_command_line("echo \"hello world!\"", "windows")"#, r#"["echo","hello world!"]"#),
            // "The only value that is currently supported is "windows"".
            refused(r#"print parse_command_line("echo hi", "unix")"#, "windows"),
        ],
    },
    DocPage {
        page: "parse-csv-function",
        functions: &["parse_csv"],
        cases: &[
            value(
                r#"parse_csv('aa,"b,b,b",cc,"Escaping quotes: ""Title""","line1\nline2"')"#,
                r#"["aa", "b,b,b", "cc", "Escaping quotes: \"Title\"", "line1\nline2"]"#,
            ),
            value(r#"parse_csv('record1,a,b,c\nrecord2,x,y,z')"#, r#"["record1", "a", "b", "c"]"#),
        ],
    },
    DocPage {
        page: "url-encode-function",
        functions: &["url_encode"],
        cases: &[value(
            r#"url_encode(@'https://www.bing.com/hello world')"#,
            r#""https%3a%2f%2fwww.bing.com%2fhello+world""#,
        )],
    },
    DocPage {
        page: "url-encode-component-function",
        functions: &["url_encode_component"],
        cases: &[value(
            r#"url_encode_component(@'https://www.bing.com/hello world/')"#,
            r#""https%3a%2f%2fwww.bing.com%2fhello%20world%2f""#,
        )],
    },
    DocPage {
        page: "url-decode-function",
        functions: &["url_decode"],
        cases: &[value(r#"url_decode(@'https%3a%2f%2fwww.bing.com%2f')"#, r#""https://www.bing.com/""#)],
    },
    DocPage {
        page: "base64-encode-tostring-function",
        functions: &["base64_encode_tostring", "base64_encodestring"],
        cases: &[value(r#"base64_encode_tostring("Kusto")"#, r#""S3VzdG8=""#)],
    },
    DocPage {
        page: "base64-decode-tostring-function",
        functions: &["base64_decode_tostring", "base64_decodestring"],
        cases: &[
            value(r#"base64_decode_tostring("S3VzdG8=")"#, r#""Kusto""#),
            // "a base64 string that was generated from invalid UTF-8 encoding returns null": a null
            // string, which Kusto shows as the empty string.
            value(r#"base64_decode_tostring("U3RyaW5n0KHR0tGA0L7Rh9C60LA=")"#, r#""""#),
        ],
    },
    DocPage {
        page: "tohex-function",
        functions: &["tohex"],
        cases: &[
            value("tohex(256)", r#""100""#),
            value("tohex(-256)", r#""ffffffffffffff00""#),
            value("tohex(toint(-256), 8)", r#""ffffff00""#),
            value("tohex(256, 8)", r#""00000100""#),
            value("tohex(256, 2)", r#""100""#),
        ],
    },
    DocPage {
        page: "punycode-from-string-function",
        functions: &["punycode_from_string"],
        cases: &[
            value("punycode_from_string('académie-française')", r#""acadmie-franaise-npb1a""#),
            rows(
                "print domain='艺术.com' | extend domain_vec = split(domain, '.')
                 | extend encoded_host = punycode_from_string(tostring(domain_vec[0]))
                 | extend encoded_domain = strcat('xn--', encoded_host, '.', domain_vec[1])",
                r#"[["艺术.com", ["艺术","com"], "cqv902d", "xn--cqv902d.com"]]"#,
            ),
        ],
    },
    DocPage {
        page: "hash-md5-function",
        functions: &["hash_md5"],
        cases: &[
            value(r#"hash_md5("World")"#, r#""f5a7924e621e84c9280a9a27e1bcb7f6""#),
            value("hash_md5(datetime(2020-01-01))", r#""786c530672d1f8db31fee25ea8a9390b""#),
            value(r#"hash_md5("TEXAS")"#, r#""3b00dbe6e07e7485a1c12d36c8e9910a""#),
        ],
    },
    DocPage {
        page: "hash-sha1-function",
        functions: &["hash_sha1"],
        cases: &[
            value(r#"hash_sha1("World")"#, r#""70c07ec18ef89c5309bbb0937f3a6342411e1fdd""#),
            value("hash_sha1(datetime(2020-01-01))", r#""e903e533f4d636b4fc0dcf3cf81e7b7f330de776""#),
            value(r#"hash_sha1("TEXAS")"#, r#""3128d805194d4e6141766cc846778eeacb12e3ea""#),
        ],
    },
    DocPage {
        page: "hash-sha256-function",
        functions: &["hash_sha256"],
        cases: &[
            value(r#"hash_sha256("World")"#, r#""78ae647dc5544d227130a0682a51e30bc7777fbb6d8a8f17007463a3ecd1d524""#),
            value(
                "hash_sha256(datetime(2020-01-01))",
                r#""ba666752dc1a20eb750b0eb64e780cc4c968bc9fb8813461c1d7e750f302d71d""#,
            ),
            value(r#"hash_sha256("TEXAS")"#, r#""9087f20f23f91b5a77e8406846117049029e6798ebbd0d38aea68da73a00ca37""#),
        ],
    },
    DocPage {
        page: "hash-function",
        functions: &["hash"],
        cases: &[
            value(r#"hash("World")"#, "1846988464401551951"),
            value(r#"hash("World", 100)"#, "51"),
            value(r#"hash(datetime("2015-01-01"))"#, "1380966698541616202"),
        ],
    },
    DocPage {
        page: "unicode-codepoints-from-string-function",
        functions: &["unicode_codepoints_from_string", "to_utf8"],
        cases: &[
            value(r#"unicode_codepoints_from_string("⒦⒰⒮⒯⒪")"#, "[9382, 9392, 9390, 9391, 9386]"),
            value(
                r#"unicode_codepoints_from_string("קוסטו - Kusto")"#,
                "[1511, 1493, 1505, 1496, 1493, 32, 45, 32, 75, 117, 115, 116, 111]",
            ),
            value(r#"unicode_codepoints_to_string(unicode_codepoints_from_string("Kusto"))"#, r#""Kusto""#),
        ],
    },
];
