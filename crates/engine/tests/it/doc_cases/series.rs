//! Series functions (element-wise arithmetic, comparison and math over numeric dynamic arrays, gap
//! filling, filtering and statistics), from their pages in the Kusto reference.

use super::{DocPage, refused, rows, typed, value};

/// The pages' shared example: `s1` and `s2` per row of `range x from 1 to 3`.
macro_rules! two_series {
    ($call:literal) => {
        concat!(
            "range x from 1 to 3 step 1 | extend y = x * 2 | extend z = y * 2
             | project s1 = pack_array(x,y,z), s2 = pack_array(z, y, x) | extend r = ",
            $call,
            " | project r"
        )
    };
}

pub const PAGES: &[DocPage] = &[
    DocPage {
        page: "series-add-function",
        functions: &["series_add"],
        cases: &[
            rows(two_series!("series_add(s1, s2)"), "[[[5,4,5]], [[10,8,10]], [[15,12,15]]]"),
            // "Any non-numeric element or non-existing element (arrays of different sizes) yields a
            // null element value."
            value(r#"series_add(dynamic([1, "a", null, 2]), dynamic([1, 1, 1]))"#, "[2,null,null,null]"),
            value("series_add(dynamic([1, 2]), dynamic([0.5, 0.5]))", "[1.5,2.5]"),
            // Two longs whose sum leaves the 64-bit range: the page does not say what Kusto answers,
            // and wrapping around would be a wrong number.
            refused(
                "print series_add(dynamic([9223372036854775807]), dynamic([1]))",
                "outside the 64-bit range",
            ),
        ],
    },
    DocPage {
        page: "series-subtract-function",
        functions: &["series_subtract"],
        cases: &[
            rows(two_series!("series_subtract(s1, s2)"), "[[[-3,0,3]], [[-6,0,6]], [[-9,0,9]]]"),
            value("series_subtract(dynamic([1, 2, 3]), dynamic([1, 1]))", "[0,1,null]"),
            refused(
                "print series_subtract(dynamic([-9223372036854775807]), dynamic([2]))",
                "outside the 64-bit range",
            ),
        ],
    },
    DocPage {
        page: "series-multiply-function",
        functions: &["series_multiply"],
        cases: &[
            rows(two_series!("series_multiply(s1, s2)"), "[[[4,4,4]], [[16,16,16]], [[36,36,36]]]"),
            value(r#"series_multiply(dynamic([2, "two"]), dynamic([3, 3]))"#, "[6,null]"),
            refused(
                "print series_multiply(dynamic([4611686018427387904]), dynamic([2]))",
                "outside the 64-bit range",
            ),
        ],
    },
    DocPage {
        page: "series-divide-function",
        functions: &["series_divide"],
        cases: &[
            // "the result series is of double type, even if the inputs are integers".
            rows(
                two_series!("series_divide(s1, s2)"),
                "[[[0.25,1.0,4.0]], [[0.25,1.0,4.0]], [[0.25,1.0,4.0]]]",
            ),
            value("series_divide(dynamic([1, 2, 3]), dynamic([2, 4]))", "[0.5,0.5,null]"),
            // "Division by zero follows the double division by zero (e.g. 2/0 yields double(+inf))":
            // torhunt keeps dynamic values as JSON, which has no infinity, so it refuses rather than
            // answer something else.
            refused("print series_divide(dynamic([2]), dynamic([0]))", "non-finite real"),
        ],
    },
    DocPage {
        page: "series-equals-function",
        functions: &["series_equals"],
        cases: &[
            value("series_equals(dynamic([1,2,4]), dynamic([4,2,1]))", "[false,true,false]"),
            value(r#"series_equals(dynamic([1, 2.0, "2", 3]), dynamic([1.0, 2, 2, 3]))"#, r#"[true,true,null,true]"#),
            value("series_equals(dynamic([1, 2, 3]), dynamic([1, 2]))", "[true,true,null]"),
        ],
    },
    DocPage {
        page: "series-not-equals-function",
        functions: &["series_not_equals"],
        cases: &[
            value("series_not_equals(dynamic([1,2,4]), dynamic([4,2,1]))", "[true,false,true]"),
            value("series_not_equals(dynamic([1, null]), dynamic([2, 2, 2]))", "[true,null,null]"),
        ],
    },
    DocPage {
        page: "series-greater-function",
        functions: &["series_greater"],
        cases: &[
            value("series_greater(dynamic([1,2,4]), dynamic([4,2,1]))", "[false,false,true]"),
            value(r#"series_greater(dynamic([3, "x", 1]), dynamic([2, 2]))"#, "[true,null,null]"),
        ],
    },
    DocPage {
        page: "series-greater-equals-function",
        functions: &["series_greater_equals"],
        cases: &[
            value("series_greater_equals(dynamic([1,2,4]), dynamic([4,2,1]))", "[false,true,true]"),
            value("series_greater_equals(dynamic([2.5, 2]), dynamic([2.5]))", "[true,null]"),
        ],
    },
    DocPage {
        page: "series-less-function",
        functions: &["series_less"],
        cases: &[
            value("series_less(dynamic([1,2,4]), dynamic([4,2,1]))", "[true,false,false]"),
            value(r#"series_less(dynamic([1, {"a": 1}]), dynamic([2, 2]))"#, "[true,null]"),
        ],
    },
    DocPage {
        page: "series-less-equals-function",
        functions: &["series_less_equals"],
        cases: &[
            value("series_less_equals(dynamic([1,2,4]), dynamic([4,2,1]))", "[true,true,false]"),
            value("series_less_equals(dynamic([1]), dynamic([1, 0]))", "[true,null]"),
        ],
    },
    DocPage {
        page: "series-acos-function",
        functions: &["series_acos"],
        cases: &[
            // The page's output shows the input as [-6.5,0,8.2], a misprint for the query's [-1,0,1].
            value(
                "series_acos(dynamic([-1,0,1]))",
                "[3.1415926535897931,1.5707963267948966,0.0]",
            ),
            // "Any non-numeric element yields a null element value."
            value(r#"series_acos(dynamic([1, "a", null]))"#, "[0.0,null,null]"),
            // Outside [-1, 1] there is no arccosine (NaN): the page does not say what Kusto puts in
            // the array, and JSON has no NaN, so torhunt refuses.
            refused("print series_acos(dynamic([2]))", "non-finite real"),
        ],
    },
    DocPage {
        page: "series-asin-function",
        functions: &["series_asin"],
        cases: &[
            // The page prints the reals as strings and the middle one as 0 (["-1.5707963267948966",
            // 0, "1.5707963267948966"]): the function gives reals ("Dynamic array of calculated
            // arcsine function values"), as its sibling pages print them.
            value(
                "series_asin(dynamic([-1,0,1]))",
                "[-1.5707963267948966,0.0,1.5707963267948966]",
            ),
            value(r#"series_asin(dynamic(["x"]))"#, "[null]"),
        ],
    },
    DocPage {
        page: "series-atan-function",
        functions: &["series_atan"],
        cases: &[
            // Input misprinted as [-6.5,0,8.2] in the output table, as on the acos page.
            value(
                "series_atan(dynamic([-1,0,1]))",
                "[-0.78539816339744828,0.0,0.78539816339744828]",
            ),
            value("series_atan(dynamic([true]))", "[null]"),
        ],
    },
    DocPage {
        page: "series-ceiling-function",
        functions: &["series_ceiling"],
        cases: &[
            value("series_ceiling(dynamic([-1.5,1,2.5]))", "[-1.0,1.0,3.0]"),
            value(r#"series_ceiling(dynamic([0.2, "1"]))"#, "[1.0,null]"),
        ],
    },
    DocPage {
        page: "series-cos-function",
        functions: &["series_cos"],
        cases: &[
            value(
                "series_cos(dynamic([-1,0,1]))",
                "[0.54030230586813976,1.0,0.54030230586813976]",
            ),
            value("series_cos(dynamic([null, 0]))", "[null,1.0]"),
        ],
    },
    DocPage {
        page: "series-exp-function",
        functions: &["series_exp"],
        cases: &[
            value(
                "series_exp(dynamic([1,2,3]))",
                "[2.7182818284590451,7.38905609893065,20.085536923187668]",
            ),
            value(r#"series_exp(dynamic([0, "e"]))"#, "[1.0,null]"),
        ],
    },
    DocPage {
        page: "series-floor-function",
        functions: &["series_floor"],
        cases: &[
            value("series_floor(dynamic([-1.5,1,2.5]))", "[-2.0,1.0,2.0]"),
            value(r#"series_floor(dynamic([[1], 0.5]))"#, "[null,0.0]"),
        ],
    },
    DocPage {
        page: "series-log-function",
        functions: &["series_log"],
        cases: &[
            value(
                "series_log(dynamic([1,2,3]))",
                "[0.0,0.69314718055994529,1.0986122886681098]",
            ),
            value(r#"series_log(dynamic([1, "a"]))"#, "[0.0,null]"),
            // log(0) is -infinity, which JSON cannot hold; the page does not say what Kusto stores.
            refused("print series_log(dynamic([0]))", "non-finite real"),
        ],
    },
    DocPage {
        page: "series-sin-function",
        functions: &["series_sin"],
        cases: &[
            // Input misprinted as [-6.5,0,8.2] in the output table.
            value(
                "series_sin(dynamic([-1, 0, 1]))",
                "[-0.8414709848078965,0.0,0.8414709848078965]",
            ),
            value("series_sin(dynamic([null]))", "[null]"),
        ],
    },
    DocPage {
        page: "series-tan-function",
        functions: &["series_tan"],
        cases: &[
            // Input misprinted as [-6.5,0,8.2] in the output table.
            value(
                "series_tan(dynamic([-1, 0, 1]))",
                "[-1.5574077246549023,0.0,1.5574077246549023]",
            ),
            value(r#"series_tan(dynamic(["0"]))"#, "[null]"),
        ],
    },
    DocPage {
        page: "series-dot-product-function",
        functions: &["series_dot_product"],
        cases: &[
            // "Returns a value of type real": the page prints 12, 48, 108.
            rows(two_series!("series_dot_product(s1, s2)"), "[[12.0], [48.0], [108.0]]"),
            // The alternate syntax: a number is broadcast to every element.
            rows(
                "range x from 1 to 3 step 1 | extend y = x * 2 | extend z = y * 2
                 | project s1 = pack_array(x,y,z), s2 = x | extend r = series_dot_product(s1, s2) | project r",
                "[[7.0], [28.0], [63.0]]",
            ),
            typed("series_dot_product(dynamic([1, 2, 3]), 10)", "60.0", "Double"),
            // "In case both series length isn't equal, the longer series will be truncated".
            value("series_dot_product(dynamic([1, 2, 3]), dynamic([4, 5]))", "14.0"),
            // "Any non-numeric element of the input series will be ignored."
            value(r#"series_dot_product(dynamic([1, "a", 3]), dynamic([1, 1, 1]))"#, "4.0"),
            // "If one or both input arrays are empty, the result will be null."
            value("series_dot_product(dynamic([]), dynamic([1, 2]))", "null"),
            value("series_dot_product(dynamic([]), dynamic([]))", "null"),
        ],
    },
    DocPage {
        page: "series-magnitude-function",
        functions: &["series_magnitude"],
        cases: &[
            typed("series_magnitude(dynamic([1,2,3,4]))", "5.4772255750516612", "Double"),
            // "the square root of the dot product of the series with itself": as there, non-numeric
            // elements are ignored and an empty array gives null.
            value(r#"series_magnitude(dynamic([3, "x", 4]))"#, "5.0"),
            value("series_magnitude(dynamic([]))", "null"),
        ],
    },
    DocPage {
        page: "series-stats-dynamic-function",
        functions: &["series_stats_dynamic"],
        cases: &[
            rows(
                "print x=dynamic([23, 46, 23, 87, 4, 8, 3, 75, 2, 56, 13, 75, 32, 16, 29])
                 | project stats=series_stats_dynamic(x)",
                r#"[[{"min": 2.0, "min_idx": 8, "max": 87.0, "max_idx": 3, "avg": 32.8,
                     "stdev": 28.503633853548269, "variance": 812.45714285714291, "sum": 492.0, "len": 15}]]"#,
            ),
            // "min_idx: The first position of the minimum value".
            value(
                "series_stats_dynamic(dynamic([5, 1, 1, 5]))",
                r#"{"min": 1.0, "min_idx": 1, "max": 5.0, "max_idx": 0, "avg": 3.0,
                    "stdev": 2.3094010767585029, "variance": 5.333333333333333, "sum": 12.0, "len": 4}"#,
            ),
            // ignore_nonfinite with nothing to ignore changes nothing.
            value(
                "series_stats_dynamic(dynamic([1, 2, 3]), true)",
                r#"{"min": 1.0, "min_idx": 0, "max": 3.0, "max_idx": 2, "avg": 2.0, "stdev": 1.0, "variance": 1.0, "sum": 6.0, "len": 3}"#,
            ),
            // With a null element the page says only "returns null" (the bag, or each statistic?),
            // and with ignore_nonfinite it does not say which positions min_idx/max_idx count: refused.
            refused("print series_stats_dynamic(dynamic([1, null, 3]))", "non-finite"),
            refused("print series_stats_dynamic(dynamic([1, null, 3]), true)", "non-finite"),
        ],
    },
    DocPage {
        page: "series-fill-backward-function",
        functions: &["series_fill_backward"],
        cases: &[
            rows(
                "let data = datatable(arr: dynamic) [dynamic([111, null, 36, 41, null, null, 16, 61, 33, null, null])];
                 data | project arr, fill_backward = series_fill_backward(arr)",
                "[[[111,null,36,41,null,null,16,61,33,null,null], [111,36,36,41,16,16,16,61,33,null,null]]]",
            ),
            // "double(null), long(null), and int(null) have the same meaning."
            value("series_fill_backward(dynamic([null, 1.5]), long(null))", "[1.5,1.5]"),
            // "preserves the original type of the array elements".
            value("series_fill_backward(dynamic([null, 2.0, null, 3]))", "[2.0,2.0,3,3]"),
        ],
    },
    DocPage {
        page: "series-fill-forward-function",
        functions: &["series_fill_forward"],
        cases: &[
            rows(
                "let data = datatable(arr: dynamic) [dynamic([null, null, 36, 41, null, null, 16, 61, 33, null, null])];
                 data | project arr, fill_forward = series_fill_forward(arr)",
                "[[[null,null,36,41,null,null,16,61,33,null,null], [null,null,36,41,41,41,16,61,33,33,33]]]",
            ),
            value("series_fill_forward(dynamic([0.5, null]), int(null))", "[0.5,0.5]"),
        ],
    },
    DocPage {
        page: "series-fill-const-function",
        functions: &["series_fill_const"],
        cases: &[
            rows(
                "let data = datatable(arr: dynamic) [dynamic([111, null, 36, 41, 23, null, 16, 61, 33, null, null])];
                 data | project arr, fill_const1 = series_fill_const(arr, 0.0), fill_const2 = series_fill_const(arr, -1)",
                "[[[111,null,36,41,23,null,16,61,33,null,null], [111,0.0,36,41,23,0.0,16,61,33,0.0,0.0],
                   [111,-1,36,41,23,-1,16,61,33,-1,-1]]]",
            ),
            value("series_fill_const(dynamic([null, 1]), 7, double(null))", "[7,1]"),
            // A placeholder other than null: whether the nulls then stay gaps is not said, refused.
            refused("print series_fill_const(dynamic([1, -1, null]), 0, -1)", "missing_value_placeholder"),
        ],
    },
    DocPage {
        page: "series-fill-linear-function",
        functions: &["series_fill_linear"],
        cases: &[
            // The page prints the thirds rounded (32.667, 24.333); these are the reals to 1e-9. For
            // the longs "the linear interpolation returns rounded interpolated values": 73.5 gives
            // 73 and 32.667 gives 32, cut toward zero. The page's `with_const` for the longs,
            // [111,111,74,38,41,...], is a misprint: "constant_value ... Relevant only for arrays that
            // entirely consist of null values", so it equals `with_edges`, as Kusto answers (the
            // emulator cases in ../shared/conformance).
            rows(
                "let data = datatable(arr: dynamic)
                 [
                    dynamic([null, 111.0, null, 36.0, 41.0, null, null, 16.0, 61.0, 33.0, null, null]),
                    dynamic([null, 111, null, 36, 41, null, null, 16, 61, 33, null, null]),
                    dynamic([null, null, null, null])
                 ];
                 data
                 | project
                    without_args = series_fill_linear(arr),
                    with_edges = series_fill_linear(arr, double(null), true),
                    wo_edges = series_fill_linear(arr, double(null), false),
                    with_const = series_fill_linear(arr, double(null), true, 3.14159)",
                "[[[111.0,111.0,73.5,36.0,41.0,32.666666666666664,24.333333333333336,16.0,61.0,33.0,33.0,33.0],
                   [111.0,111.0,73.5,36.0,41.0,32.666666666666664,24.333333333333336,16.0,61.0,33.0,33.0,33.0],
                   [null,111.0,73.5,36.0,41.0,32.666666666666664,24.333333333333336,16.0,61.0,33.0,null,null],
                   [111.0,111.0,73.5,36.0,41.0,32.666666666666664,24.333333333333336,16.0,61.0,33.0,33.0,33.0]],
                  [[111,111,73,36,41,32,24,16,61,33,33,33], [111,111,73,36,41,32,24,16,61,33,33,33],
                   [null,111,73,36,41,32,24,16,61,33,null,null], [111,111,73,36,41,32,24,16,61,33,33,33]],
                  [[0.0,0.0,0.0,0.0], [0.0,0.0,0.0,0.0], [0.0,0.0,0.0,0.0], [3.14159,3.14159,3.14159,3.14159]]]",
            ),
            // "Setting this parameter to double(null) preserves the null values."
            value("series_fill_linear(dynamic([null, null]), double(null), true, double(null))", "[null,null]"),
        ],
    },
    DocPage {
        page: "series-iir-function",
        functions: &["series_iir"],
        cases: &[
            // The page shows the first four of the ten rows.
            rows(
                "let x = range(1.0, 10, 1);
                 print x=x, y = series_iir(x, dynamic([1]), dynamic([1,-1]))
                 | mv-expand x, y",
                "[[1.0,1.0],[2.0,3.0],[3.0,6.0],[4.0,10.0],[5.0,15.0],[6.0,21.0],[7.0,28.0],[8.0,36.0],[9.0,45.0],[10.0,55.0]]",
            ),
            rows(
                "let vector_sum=(x: dynamic) {
                    let y=array_length(x) - 1;
                    todouble(series_iir(x, dynamic([1]), dynamic([1, -1]))[y])
                 };
                 print d=dynamic([0, 1, 2, 3, 4])
                 | extend dd=vector_sum(d)",
                "[[[0,1,2,3,4], 10.0]]",
            ),
            // "The first element of a (that is, a[0]) mustn't be zero, to avoid division by 0."
            refused("print series_iir(dynamic([1, 2]), dynamic([1]), dynamic([0, 1]))", "must not be zero"),
        ],
    },
];
