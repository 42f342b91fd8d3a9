//! More dynamic and array functions (right rotations and shifts, bags from columns and arrays, the
//! canonical JSON text, JSONPath extraction, set difference) and the functions that name tables and
//! columns (`table`, `column_ifexists`, `ingestion_time`), from their pages in the Kusto reference.

use super::{DocPage, refused, rows, typed, value};

pub const PAGES: &[DocPage] = &[
    DocPage {
        page: "array-rotate-right-function",
        functions: &["array_rotate_right"],
        cases: &[
            value("array_rotate_right(dynamic([1,2,3,4,5]), 2)", "[4,5,1,2,3]"),
            // "If the value is negative, the elements will be rotated to the Left."
            value("array_rotate_right(dynamic([1,2,3,4,5]), -2)", "[3,4,5,1,2]"),
            // A rotation by the length or more goes round again.
            value("array_rotate_right(dynamic([1,2,3]), 4)", "[3,1,2]"),
            value("array_rotate_right(dynamic([]), 1)", "[]"),
        ],
    },
    DocPage {
        page: "array-shift-right-function",
        functions: &["array_shift_right"],
        cases: &[
            value("array_shift_right(dynamic([1,2,3,4,5]), 2)", "[null,null,1,2,3]"),
            value("array_shift_right(dynamic([1,2,3,4,5]), 2, -1)", "[-1,-1,1,2,3]"),
            value("array_shift_right(dynamic([1,2,3,4,5]), -2, -1)", "[3,4,5,-1,-1]"),
            // Shifting by the length or more leaves only the default value.
            value("array_shift_right(dynamic([1,2]), 3, 0)", "[0,0]"),
            // "The default is null or an empty string depending on the type of elements": "" for
            // strings; for a mix of strings and other values the page does not say, so refused.
            value(
                r#"array_shift_right(dynamic(["a", "b", "c"]), 1)"#,
                r#"["","a","b"]"#,
            ),
            refused(
                r#"print array_shift_right(dynamic(["a", 1]), 1)"#,
                "pass default_value",
            ),
        ],
    },
    DocPage {
        page: "bag-pack-columns-function",
        functions: &["bag_pack_columns"],
        cases: &[rows(
            r#"datatable(Id: string, Value: string, Other: long)
               [
                   "A", "val_a", 1,
                   "B", "val_b", 2,
                   "C", "val_c", 3
               ]
               | extend Packed = bag_pack_columns(Id, Value)"#,
            r#"[["A", "val_a", 1, {"Id": "A", "Value": "val_a"}], ["B", "val_b", 2, {"Id": "B", "Value": "val_b"}],
                ["C", "val_c", 3, {"Id": "C", "Value": "val_c"}]]"#,
        )],
    },
    DocPage {
        page: "bag-zip",
        functions: &["bag_zip"],
        cases: &[
            rows(
                "let Data = datatable(KeysArray: dynamic, ValuesArray: dynamic) [
                     dynamic(['a', 'b', 'c']), dynamic([1, '2', 3.4])
                 ];
                 Data | extend NewBag = bag_zip(KeysArray, ValuesArray)",
                r#"[[["a","b","c"], [1,"2",3.4], {"a": 1, "b": "2", "c": 3.4}]]"#,
            ),
            // "If there are more keys than values, missing values are filled with null."
            value(
                "bag_zip(dynamic(['a', 'b', 'c']), dynamic([1, '2']))",
                r#"{"a": 1, "b": "2", "c": null}"#,
            ),
            // "If there are more values than keys, values with no matching keys are ignored."
            value(
                "bag_zip(dynamic(['a', 'b']), dynamic([1, '2', 2.5]))",
                r#"{"a": 1, "b": "2"}"#,
            ),
            // "Keys that aren't strings are ignored."
            value(
                "bag_zip(dynamic(['a', 8, 'b']), dynamic([1, '2', 2.5]))",
                r#"{"a": 1, "b": 2.5}"#,
            ),
            // Values that are not an array: "all resulting property values are set to null".
            value(
                "bag_zip(dynamic(['a', 8, 'b']), dynamic(1))",
                r#"{"a": null, "b": null}"#,
            ),
            // A key given twice: which value the bag keeps is not documented, so refused.
            refused("print bag_zip(dynamic(['a', 'a']), dynamic([1, 2]))", "twice"),
            // Keys that are not an array: "the resulting property-bag is null".
            rows(
                "let Data = datatable(KeysArray: dynamic, ValuesArray: dynamic) [
                     dynamic('a'), dynamic([1, '2', 2.5])
                 ];
                 Data
                 | extend NewBag = bag_zip(KeysArray, ValuesArray)
                 | extend IsNewBagEmpty=isnull(NewBag)",
                r#"[["a", [1,"2",2.5], null, true]]"#,
            ),
        ],
    },
    DocPage {
        page: "dynamic-to-json-function",
        functions: &["dynamic_to_json"],
        cases: &[
            rows(
                "let bag1 = dynamic_to_json(
                   dynamic({
                     'Y10':dynamic({}),
                     'X8': dynamic({
                       'c3':1,
                       'd8':5,
                       'a4':6
                     }),
                     'D1':114,
                     'A1':12,
                     'B1':2,
                     'C1':3,
                     'A14':[15, 13, 18]
                 }));
                 let bag2 = dynamic_to_json(
                   dynamic({
                     'X8': dynamic({
                       'a4':6,
                       'c3':1,
                       'd8':5
                     }),
                     'A14':[15, 13, 18],
                     'C1':3,
                     'B1':2,
                     'Y10': dynamic({}),
                     'A1':12, 'D1':114
                   }));
                 print AreEqual=bag1 == bag2, Result=bag1",
                r#"[[true, "{\"A1\":12,\"A14\":[15,13,18],\"B1\":2,\"C1\":3,\"D1\":114,\"X8\":{\"a4\":6,\"c3\":1,\"d8\":5},\"Y10\":{}}"]]"#,
            ),
            // "If the input is a scalar value of type other than dynamic, the output is the
            // application of tostring() to that value."
            typed("dynamic_to_json(15)", r#""15""#, "String"),
            value(
                "dynamic_to_json(datetime(2020-01-02))",
                r#""2020-01-02T00:00:00.0000000Z""#,
            ),
            // An array: its elements in their order, in their canonical form.
            value(
                r#"dynamic_to_json(dynamic([{"b": 1, "a": 2}, "x"]))"#,
                r#""[{\"a\":2,\"b\":1},\"x\"]""#,
            ),
        ],
    },
    DocPage {
        page: "extract-json-function",
        functions: &["extract_json", "extractjson"],
        cases: &[
            rows(
                r#"let json = '{"name": "John", "age": 30, "city": "New York"}';
                   print extract_json("$.name", json, typeof(string))"#,
                r#"[["John"]]"#,
            ),
            // "The extract_json() and extractjson() functions are equivalent"; the optional type
            // converts the extracted value ("typeof(long) will convert the extracted value to a long").
            rows(
                r#"let json = '{"name": "John", "age": 30, "city": "New York"}';
                   print a = extractjson("$.name", json), b = extract_json("$.age", json, typeof(long)), c = extract_json("$.age", json)"#,
                r#"[["John", 30, "30"]]"#,
            ),
            typed(
                r#"extract_json("$.age", '{"name": "John", "age": 30}', typeof(long))"#,
                "30",
                "Int64",
            ),
        ],
    },
    DocPage {
        page: "pack-all-function",
        functions: &["pack_all"],
        cases: &[
            rows(
                "datatable(Source:string,Target:string,CharsCount:long)
                 [
                 '555-1234','555-1212',46,
                 '555-1234','555-1213',50,
                 '555-1313','',42,
                 '','555-3456',74
                 ]
                 | extend Packed=pack_all(), PackedIgnoreNullEmpty=pack_all(true)",
                r#"[["555-1234", "555-1212", 46, {"Source": "555-1234", "Target": "555-1212", "CharsCount": 46},
                     {"Source": "555-1234", "Target": "555-1212", "CharsCount": 46}],
                    ["555-1234", "555-1213", 50, {"Source": "555-1234", "Target": "555-1213", "CharsCount": 50},
                     {"Source": "555-1234", "Target": "555-1213", "CharsCount": 50}],
                    ["555-1313", "", 42, {"Source": "555-1313", "Target": "", "CharsCount": 42},
                     {"Source": "555-1313", "CharsCount": 42}],
                    ["", "555-3456", 74, {"Source": "", "Target": "555-3456", "CharsCount": 74},
                     {"Target": "555-3456", "CharsCount": 74}]]"#,
            ),
            // In one `extend`, pack_all() packs the input's columns, not those the extend defines
            // (the page's `PackedIgnoreNullEmpty` has no `Packed`); after a redefinition of an input
            // column, which value it would pack is not documented, so refused.
            rows(
                "datatable(a:long)[1] | extend b = 2, p = pack_all(), q = pack_all(true)",
                r#"[[1, 2, {"a": 1}, {"a": 1}]]"#,
            ),
            refused(
                "datatable(a:long)[1] | extend a = 2, p = pack_all()",
                "redefined in the same `extend`",
            ),
            // "ignore null/empty columns": a null is left out too.
            rows(
                "datatable(a:long, b:string)[long(null), 'x'] | project p = pack_all(true), q = pack_all()",
                r#"[[{"b": "x"}, {"a": null, "b": "x"}]]"#,
            ),
        ],
    },
    DocPage {
        page: "set-difference-function",
        functions: &["set_difference"],
        cases: &[
            rows(
                "range x from 1 to 3 step 1
                 | extend y = x * 2
                 | extend z = y * 2
                 | extend w = z * 2
                 | extend a1 = pack_array(x,y,x,z), a2 = pack_array(x, y), a3 = pack_array(x,y,w)
                 | project set_difference(a1, a2, a3)",
                "[[[4]], [[8]], [[12]]]",
            ),
            value("set_difference(dynamic([1,2,3]), dynamic([1,2,3]))", "[]"),
            // "the set of all distinct values", in order of first appearance as the set_union page's
            // examples show.
            value("set_difference(dynamic([1,1,2,3]), dynamic([3]))", "[1,2]"),
        ],
    },
    DocPage {
        page: "table-function",
        functions: &["table"],
        cases: &[
            rows("let T = datatable(x:long)[1, 2, 3]; table('T') | count", "[[3]]"),
            // "Use table() inside let statements": the name a parameter of the function.
            rows(
                "let T = datatable(x:long)[1, 2, 3];
                 let foo = (tableName:string)
                 {
                     table(tableName) | count
                 };
                 foo('T')",
                "[[3]]",
            ),
            rows(
                "let T = datatable(x:long)[1, 2]; let name = 'T'; table(name) | count",
                "[[2]]",
            ),
            // "Data returned by function T if a table named T doesn't exist but a function named T
            // exists. Function T must take no arguments".
            rows("let F = () { print x = 7 }; table('F')", "[[7]]"),
            // DataScope: torhunt keeps no cache, so `all` and `default` are every row; `hotcache` is
            // refused.
            rows(
                "let T = datatable(x:long)[1, 2]; table('T', 'all') | count",
                "[[2]]",
            ),
            rows(
                "let T = datatable(x:long)[1, 2]; table('T', 'default') | count",
                "[[2]]",
            ),
            refused(
                "let T = datatable(x:long)[1, 2]; table('T', 'hotcache') | count",
                "data scope",
            ),
            // "A semantic error is raised if there's no table named T and no function named T."
            refused("table('NoSuchTable') | count", "NoSuchTable"),
            // "Use table() with non-constant parameter": the page's workaround.
            rows(
                "let T1 = print x=1;
                 let T2 = print x=2;
                 let _choose = (_selector:string)
                 {
                     union
                     (T1 | where _selector == 'T1'),
                     (T2 | where _selector == 'T2')
                 };
                 _choose('T2')",
                "[[2]]",
            ),
            // "A parameter, which isn't a scalar constant string, can't be passed".
            refused(
                "datatable(name:string)['T'] | extend n = toscalar(table(name) | count)",
                "table() with a computed name",
            ),
        ],
    },
    DocPage {
        page: "column-ifexists-function",
        functions: &["column_ifexists", "columnifexists"],
        cases: &[
            // The page's StormEvents example: no Capital column, so the State column.
            rows(
                r#"datatable(State:string, EventType:string)['FLORIDA', 'Hail', 'GEORGIA', 'Flood']
                   | project column_ifexists("Capital", State)"#,
                r#"[["FLORIDA"], ["GEORGIA"]]"#,
            ),
            rows(
                r#"datatable(Capital:string, State:string)['Tallahassee', 'FLORIDA']
                   | project a = column_ifexists("Capital", State), b = columnifexists("Capital", State)"#,
                r#"[["Tallahassee", "Tallahassee"]]"#,
            ),
            // "This value can be any scalar expression."
            rows(
                r#"datatable(State:string)['FLORIDA'] | project c = column_ifexists("Capital", strcat("no ", State))"#,
                r#"[["no FLORIDA"]]"#,
            ),
        ],
    },
    DocPage {
        page: "ingestion-time-function",
        functions: &["ingestion_time"],
        cases: &[
            // "This function must be used in the context of a table ... Otherwise, this function
            // produces null values."
            typed("ingestion_time()", "null", "DateTime"),
            rows(
                "datatable(x:long)[1, 2] | extend t = ingestion_time()",
                "[[1, null], [2, null]]",
            ),
        ],
    },
];
