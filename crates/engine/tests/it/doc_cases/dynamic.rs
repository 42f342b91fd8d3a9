//! Dynamic and array functions, from their pages in the Kusto reference.

use super::{DocPage, rows, typed, value};

pub const PAGES: &[DocPage] = &[
    DocPage {
        page: "array-length-function",
        functions: &["array_length", "arraylength"],
        cases: &[
            typed(r#"array_length(dynamic([1, 2, 3, "four"]))"#, "4", "Int64"),
            // "or null if array isn't an array".
            value(r#"array_length(dynamic({"a": 1}))"#, "null"),
            value(r#"array_length(dynamic("text"))"#, "null"),
        ],
    },
    DocPage {
        page: "array-concat-function",
        functions: &["array_concat"],
        cases: &[rows(
            "range x from 1 to 3 step 1 | extend y = x * 2 | extend z = y * 2
             | extend a1 = pack_array(x,y,z), a2 = pack_array(x, y) | project array_concat(a1, a2)",
            "[[[1,2,4,1,2]], [[2,4,8,2,4]], [[3,6,12,3,6]]]",
        )],
    },
    DocPage {
        page: "array-slice-function",
        functions: &["array_slice"],
        cases: &[
            value("array_slice(dynamic([1,2,3]), 1, 2)", "[2,3]"),
            value("array_slice(dynamic([1,2,3,4,5]), 2, -1)", "[3,4,5]"),
            value("array_slice(dynamic([1,2,3,4,5]), -3, -2)", "[3,4]"),
        ],
    },
    DocPage {
        page: "array-index-of-function",
        functions: &["array_index_of"],
        cases: &[
            rows(
                r#"let arr=dynamic(["this", "is", "an", "example", "an", "example"]);
                   print idx1 = array_index_of(arr,"an"), idx2 = array_index_of(arr,"example",1,3),
                         idx3 = array_index_of(arr,"example",1,2), idx4 = array_index_of(arr,"is",2,4),
                         idx5 = array_index_of(arr,"example",2,-1), idx6 = array_index_of(arr, "an", 1, -1, 2),
                         idx7 = array_index_of(arr, "an", 1, -1, 3), idx8 = array_index_of(arr, "an", -3),
                         idx9 = array_index_of(arr, "is", -4)"#,
                "[[2, 3, -1, -1, 3, 4, -1, 4, -1]]",
            ),
            // "Returns null for irrelevant inputs (occurrence < 0 or length < -1)".
            value(r#"array_index_of(dynamic(["a", "b"]), "b", 0, -1, -1)"#, "null"),
            value(r#"array_index_of(dynamic(["a", "b"]), "b", 0, -2)"#, "null"),
        ],
    },
    DocPage {
        page: "array-reverse-function",
        functions: &["array_reverse"],
        cases: &[value(
            r#"array_reverse(dynamic(["this", "is", "an", "example"]))"#,
            r#"["example","an","is","this"]"#,
        )],
    },
    DocPage {
        page: "array-sum-function",
        functions: &["array_sum"],
        cases: &[
            typed("array_sum(dynamic([1,2,3,4]))", "10.0", "Double"),
            // "If the array contains elements of non-numeric types, the result is null."
            value(r#"array_sum(dynamic([1, "two"]))"#, "null"),
        ],
    },
    DocPage {
        page: "array-split-function",
        functions: &["array_split"],
        cases: &[
            value("array_split(dynamic([1,2,3,4,5]), 2)", "[[1,2],[3,4,5]]"),
            value("array_split(dynamic([1,2,3,4,5]), dynamic([1,3]))", "[[1],[2,3],[4,5]]"),
        ],
    },
    DocPage {
        page: "array-shift-left-function",
        functions: &["array_shift_left"],
        cases: &[
            value("array_shift_left(dynamic([1,2,3,4,5]), 2)", "[3,4,5,null,null]"),
            value("array_shift_left(dynamic([1,2,3,4,5]), 2, -1)", "[3,4,5,-1,-1]"),
            value("array_shift_left(dynamic([1,2,3,4,5]), -2, -1)", "[-1,-1,1,2,3]"),
        ],
    },
    DocPage {
        page: "array-rotate-left-function",
        functions: &["array_rotate_left"],
        cases: &[
            value("array_rotate_left(dynamic([1,2,3,4,5]), 2)", "[3,4,5,1,2]"),
            value("array_rotate_left(dynamic([1,2,3,4,5]), -2)", "[4,5,1,2,3]"),
        ],
    },
    DocPage {
        page: "array-sort-asc-function",
        functions: &["array_sort_asc"],
        cases: &[
            // Several arrays: the first sorted, the others reordered alike, one result column each.
            rows(
                r#"let array1 = dynamic([1,3,4,5,2]); let array2 = dynamic(["a","b","c","d","e"]); print array_sort_asc(array1,array2)"#,
                r#"[[[1,2,3,4,5],["a","e","b","c","d"]]]"#,
            ),
            value(r#"strcat_array(array_sort_asc(split("John,Paul,Jane,Kao", ",")), ",")"#, r#""Jane,John,Kao,Paul""#),
            // "By default, null values are put last".
            value(r#"array_sort_asc(dynamic([null,"blue","yellow","green",null]))"#, r#"["blue","green","yellow",null,null]"#),
            value(
                r#"array_sort_asc(dynamic([null,"blue","yellow","green",null]), false)"#,
                r#"[null,null,"blue","green","yellow"]"#,
            ),
        ],
    },
    DocPage {
        page: "array-sort-desc-function",
        functions: &["array_sort_desc"],
        cases: &[
            rows(
                r#"let array1 = dynamic([1,3,4,5,2]); let array2 = dynamic(["a","b","c","d","e"]); print array_sort_desc(array1,array2)"#,
                r#"[[[5,4,3,2,1],["d","c","b","e","a"]]]"#,
            ),
            value(r#"strcat_array(array_sort_desc(split("John,Paul,Jane,Kayo", ",")), ",")"#, r#""Paul,Kayo,John,Jane""#),
        ],
    },
    DocPage {
        page: "array-iff-function",
        functions: &["array_iff", "array_iif"],
        cases: &[
            value("array_iff(dynamic([true,false,true]), dynamic([1,2,3]), dynamic([4,5,6]))", "[1,5,3]"),
            value(r#"array_iff(dynamic([1,0,50]), "yes", "no")"#, r#"["yes","no","yes"]"#),
            value(r#"array_iff(dynamic(["some string value", datetime("01-01-2022"), null]), 1, 0)"#, "[null,null,null]"),
            value("array_iff(dynamic([true,true,true]), dynamic([1,2]), dynamic([3,4]))", "[1,2,null]"),
        ],
    },
    DocPage {
        page: "set-has-element-function",
        functions: &["set_has_element"],
        cases: &[
            value(r#"set_has_element(dynamic(["this", "is", "an", "example"]), "example")"#, "true"),
            value(r#"set_has_element(dynamic(["this", "is", "an", "example"]), "other")"#, "false"),
        ],
    },
    DocPage {
        page: "set-union-function",
        functions: &["set_union"],
        cases: &[
            rows(
                "range x from 1 to 3 step 1 | extend y = x * 2 | extend z = y * 2 | extend w = z * 2
                 | extend a1 = pack_array(x,y,x,z), a2 = pack_array(x, y), a3 = pack_array(w) | project Out=set_union(a1, a2, a3)",
                "[[[1,2,4,8]], [[2,4,8,16]], [[3,6,12,24]]]",
            ),
            rows(
                "datatable (Arr1: dynamic)[dynamic(['A4', 'A2', 'A7', 'A2']), dynamic(['C4', 'C7', 'C1', 'C4'])]
                 | project Out=set_union(Arr1, Arr1)",
                r#"[[["A4","A2","A7"]], [["C4","C7","C1"]]]"#,
            ),
        ],
    },
    DocPage {
        page: "set-intersect-function",
        functions: &["set_intersect"],
        cases: &[
            rows(
                "range x from 1 to 3 step 1 | extend y = x * 2 | extend z = y * 2 | extend w = z * 2
                 | extend a1 = pack_array(x,y,x,z), a2 = pack_array(x, y), a3 = pack_array(w,x) | project set_intersect(a1, a2, a3)",
                "[[[1]], [[2]], [[3]]]",
            ),
            value("set_intersect(dynamic([1, 2, 3]), dynamic([4,5]))", "[]"),
        ],
    },
    DocPage {
        page: "jaccard-index-function",
        functions: &["jaccard_index"],
        cases: &[value("jaccard_index(dynamic([1,2,3]), dynamic([1,2,3,4]))", "0.75")],
    },
    DocPage {
        page: "bag-keys-function",
        functions: &["bag_keys"],
        cases: &[rows(
            "datatable(index:long, d:dynamic) [1, dynamic({'a':'b', 'c':123}), 2, dynamic({'a':'b', 'c':{'d':123}}),
               3, dynamic({'a':'b', 'c':[{'d':123}]}), 4, dynamic(null), 5, dynamic({}), 6, dynamic('a'), 7, dynamic([])]
             | project keys = array_sort_asc(bag_keys(d))",
            r#"[[["a","c"]], [["a","c"]], [["a","c"]], [null], [[]], [null], [null]]"#,
        )],
    },
    DocPage {
        page: "bag-merge-function",
        functions: &["bag_merge"],
        cases: &[value(
            "bag_merge(dynamic({'A1':12, 'B1':2, 'C1':3}), dynamic({'A2':81, 'B2':82, 'A1':1}))",
            r#"{"A1": 12, "B1": 2, "C1": 3, "A2": 81, "B2": 82}"#,
        )],
    },
    DocPage {
        page: "bag-remove-keys-function",
        functions: &["bag_remove_keys"],
        cases: &[
            rows(
                "datatable(input:dynamic)[dynamic({'key1' : 123, 'key2': 'abc'}), dynamic({'key1' : 'value', 'key3': 42.0})]
                 | project result=bag_remove_keys(input, dynamic(['key2', 'key4']))",
                r#"[[{"key1": 123}], [{"key1": "value", "key3": 42.0}]]"#,
            ),
            value(
                "bag_remove_keys(dynamic({'key1': 123, 'key2': {'prop1' : 'abc', 'prop2': 'xyz'}, 'key3': [100, 200]}), dynamic(['$.key2.prop1', 'key3']))",
                r#"{"key1": 123, "key2": {"prop2": "xyz"}}"#,
            ),
        ],
    },
    DocPage {
        page: "bag-has-key-function",
        functions: &["bag_has_key"],
        cases: &[
            rows(
                "datatable(input: dynamic)[dynamic({'key1' : 123, 'key2': 'abc'}), dynamic({'key1' : 123, 'key3': 'abc'})]
                 | project result = bag_has_key(input, 'key2')",
                "[[true], [false]]",
            ),
            value(
                "bag_has_key(dynamic({'key1': 123, 'key2': {'prop1' : 'abc', 'prop2': 'xyz'}, 'key3': [100, 200]}), '$.key2.prop1')",
                "true",
            ),
        ],
    },
    DocPage {
        page: "pack-function",
        functions: &["bag_pack", "pack", "pack_dictionary"],
        cases: &[
            value(
                r#"bag_pack("Level", "Information", "ProcessID", 1234, "Data", bag_pack("url", "www.bing.com"))"#,
                r#"{"Level": "Information", "ProcessID": 1234, "Data": {"url":"www.bing.com"}}"#,
            ),
            rows(
                r#"datatable (Source: int, Destination: int, Message: string) [1234, 100, "Hi", 4567, 200, "Hello", 1212, 300, "Hey"]
                   | extend MyBag=bag_pack("Dest", Destination, "Text", Message)
                   | project-away Source, Destination, Message
                   | extend MyBag_Dest=MyBag.Dest, MyBag_Text=MyBag.Text"#,
                r#"[[{"Dest":100,"Text":"Hi"}, 100, "Hi"], [{"Dest":200,"Text":"Hello"}, 200, "Hello"], [{"Dest":300,"Text":"Hey"}, 300, "Hey"]]"#,
            ),
        ],
    },
    DocPage {
        page: "pack-array-function",
        functions: &["pack_array"],
        cases: &[
            rows(
                "range x from 1 to 3 step 1 | extend y = x * 2 | extend z = y * 2 | project pack_array(x, y, z)",
                "[[[1,2,4]], [[2,4,8]], [[3,6,12]]]",
            ),
            rows(
                "range x from 1 to 3 step 1 | extend y = tostring(x * 2) | extend z = (x * 2) * 1s | project pack_array(x, y, z)",
                r#"[[[1,"2","00:00:02"]], [[2,"4","00:00:04"]], [[3,"6","00:00:06"]]]"#,
            ),
        ],
    },
    DocPage {
        page: "zip-function",
        functions: &["zip"],
        cases: &[
            value("zip(dynamic([1,3,5]), dynamic([2,4,6]))", "[[1,2],[3,4],[5,6]]"),
            value(r#"zip(dynamic(["A", 1, 1.5]), dynamic([{}, "B"]))"#, r#"[["A",{}], [1,"B"], [1.5, null]]"#),
            rows(
                r#"datatable(a:int, b:string) [1,"one",2,"two",3,"three"] | summarize a = make_list(a), b = make_list(b) | project zip(a, b)"#,
                r#"[[[[1,"one"],[2,"two"],[3,"three"]]]]"#,
            ),
        ],
    },
    DocPage {
        page: "repeat-function",
        functions: &["repeat"],
        cases: &[
            value("repeat(1, 3)", "[1,1,1]"),
            // "If count is equal to zero, an empty array is returned. If count is less than zero, a
            // null value is returned."
            value("repeat(1, 0)", "[]"),
            value("repeat(1, -1)", "null"),
        ],
    },
    DocPage {
        page: "range-function",
        functions: &["range"],
        cases: &[
            value("range(1, 8, 3)", "[1,4,7]"),
            value("array_length(range(datetime(2007-01-01), datetime(2007-12-31), 1d))", "365"),
            value(
                "range(datetime(2007-01-01), datetime(2007-01-02), 1d)",
                r#"["2007-01-01T00:00:00.0000000Z","2007-01-02T00:00:00.0000000Z"]"#,
            ),
            value("range(1, 3)", "[1,2,3]"),
            value("range(1h, 5h)", r#"["01:00:00","02:00:00","03:00:00","04:00:00","05:00:00"]"#),
            // "The range function supports a maximum of 1,048,576 (2^20) results."
            rows("print r = range(1,1000000000) | mv-expand r | count", "[[1048576]]"),
        ],
    },
    DocPage {
        page: "parse-json-function",
        functions: &["parse_json", "parsejson", "todynamic", "toobject"],
        cases: &[
            rows(
                r#"datatable(context_custom_metrics:string)
                   ['{"duration":{"value":118.0,"count":5.0,"min":100.0,"max":150.0,"stdDev":0.0,"sampledValue":118.0,"sum":118.0}}']
                   | extend d = parse_json(context_custom_metrics)
                   | project duration_value = d.duration.value, duration_min = d.duration.min"#,
                "[[118.0, 100.0]]",
            ),
            value(r#"parse_json(tostring(parse_json('{"a":123, "b":"{\\"c\\":456}"}').b)).c"#, "456"),
            // "If json is of type string, but it isn't a properly formatted JSON string, then the
            // returned value is an object of type dynamic that holds the original string value."
            value(r#"parse_json("not json")"#, r#""not json""#),
            // "If json is of type dynamic, its value is used as-is."
            value("parse_json(dynamic([1, 2]))", "[1,2]"),
        ],
    },
];
