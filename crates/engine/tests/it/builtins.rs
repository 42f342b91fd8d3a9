//! Built-ins added for #12, end to end (binder signature, planner, UDF), with expectations from each
//! function's Kusto documentation page: the count_distinct and take_any families, deprecated names,
//! `extract_json` with a type, `dynamic_to_json` of other types, `hash` and the refusals.

use serde_json::json;

use crate::support::{answer, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn count_distinct_ignores_nulls_and_counts_exactly() {
    // count-distinct-aggregation-function: "Null values are ignored"; count_distinctif counts the
    // rows its predicate keeps.
    let counts = answer(
        "datatable(State: string, EventType: string, n: long)[\
           'TEXAS', 'Hail', 1, 'TEXAS', 'Flood', long(null), 'TEXAS', 'Hail', 2, 'OHIO', 'Hail', 3] \
         | summarize UniqueEvents = count_distinct(EventType), UniqueN = count_distinct(n), \
                     Big = count_distinctif(EventType, n > 1) by State | order by State asc",
    )
    .await;
    assert_eq!(counts.types, ["String", "Int64", "Int64", "Int64"]);
    assert_eq!(
        counts.rows,
        [
            [json!("OHIO"), json!(1), json!(1), json!(1)],
            [json!("TEXAS"), json!(2), json!(2), json!(1)]
        ]
    );
    // Kusto.Language names unnamed ones count_distinct_X and count_distinctif_X.
    let named =
        answer("datatable(x: long)[1, 1, 2] | summarize count_distinct(x), count_distinctif(x, x > 1)").await;
    assert_eq!(named.columns, ["count_distinct_x", "count_distinctif_x"]);
    assert_eq!(named.rows, [[json!(2), json!(1)]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn take_anyif_cnt_and_variancepif() {
    let any = answer(
        "datatable(x: long)[1, 2, 3] | summarize take_anyif(x, x == 2), anyif(x, x > 2), cnt(), \
         variancepif(x, x > 1)",
    )
    .await;
    assert_eq!(any.columns, ["x", "anyif_x", "cnt_", "variancepif_x"]);
    // variancep of 2 and 3 is 0.25.
    assert_eq!(any.rows, [[json!(2), json!(3), json!(3), json!(0.25)]]);
    let none = answer("datatable(x: long)[1] | summarize take_anyif(x, x > 5)").await;
    assert_eq!(none.rows, [[json!(null)]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deprecated_names_answer_as_their_functions() {
    let answers = answer(
        "print a = parsejson('{\"k\": 1}').k, b = toobject('[1]'), c = totime('01:00:00'), \
               d = notnull(1), e = notempty(''), f = arraylength(dynamic([1, 2])), \
               g = pack_dictionary('k', 1), h = make_string(65, 66), i = extractall('(a)', 'aba'), \
               j = parseurl('https://h/p').Host, k = datepart('year', datetime(2021-03-04)), \
               l = array_iif(dynamic([true, false]), 1, 2), m = array_strcat(dynamic([1, 2]), '-')",
    )
    .await;
    assert_eq!(
        answers.rows,
        [[
            json!(1),
            json!([1]),
            json!("01:00:00"),
            json!(true),
            json!(false),
            json!(2),
            json!({"k": 1}),
            json!("AB"),
            json!(["a", "a"]),
            json!("h"),
            json!(2021),
            json!([1, 2]),
            json!("1-2")
        ]]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extract_json_with_a_type_converts_what_it_finds() {
    // extract-json-function: the element as a string, or converted to the given type.
    let json = r#"'{"name": "John", "age": 30, "city": "New York"}'"#;
    let typed = answer(&format!(
        "let json = {json}; print n = extract_json('$.name', json, typeof(string)), \
         a = extract_json('$.age', json, typeof(long)), m = extractjson('$.missing', json, typeof(long)), \
         s = extract_json('$.age', json)"
    ))
    .await;
    assert_eq!(typed.types, ["String", "Int64", "Int64", "String"]);
    assert_eq!(typed.rows, [[json!("John"), json!(30), json!(null), json!("30")]]);
    let error = run("print extract_json('$.a', '{}', typeof(dynamic))")
        .await
        .err()
        .unwrap_or_default();
    assert!(
        error.contains("not supported") && error.contains("parse_json"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynamic_to_json_sorts_bags_and_gives_other_types_as_tostring() {
    let text = answer(
        "print a = dynamic_to_json(dynamic({'b': 1, 'a': [2, {'d': 1, 'c': 0}]})), \
               b = dynamic_to_json(42), c = dynamic_to_json('text'), d = dynamic_to_json(datetime(2020-01-01))",
    )
    .await;
    assert_eq!(text.types, ["String", "String", "String", "String"]);
    assert_eq!(
        text.rows,
        [[
            json!(r#"{"a":[2,{"c":0,"d":1}],"b":1}"#),
            json!("42"),
            json!("text"),
            json!("2020-01-01T00:00:00.0000000Z")
        ]]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hash_of_documented_types_and_refusal_of_others() {
    let hashes =
        answer("print a = hash('World'), b = hash('World', 100), c = hash_xxhash64(datetime(2015-01-01))")
            .await;
    assert_eq!(
        hashes.rows,
        [[
            json!(1_846_988_464_401_551_951_i64),
            json!(51),
            json!(1_380_966_698_541_616_202_i64)
        ]]
    );
    // Sampling as the docs show it: hash(x, 10) == 0 keeps about a tenth, the same tenth every run.
    let sample = answer("range x from 1 to 1000 step 1 | where hash(tostring(x), 10) == 0 | count").await;
    let kept = sample.rows[0][0].as_i64().unwrap();
    assert!((50..150).contains(&kept), "{kept}");
    let error = run("print hash(12)").await.err().unwrap_or_default();
    assert!(
        error.contains("not supported") && error.contains("hash"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parse_user_agent_is_refused_with_its_reason() {
    let error = run("print parse_user_agent('Mozilla/5.0', 'browser')")
        .await
        .err()
        .unwrap_or_default();
    assert!(
        error.contains("parse_user_agent") && error.contains("patterns"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_has_element_docs_example() {
    let found = answer(
        "print arr = dynamic(['this', 'is', 'an', 'example']) \
         | project Result = set_has_element(arr, 'example'), Missing = set_has_element(arr, 'x'), \
                   Number = set_has_element(dynamic([1, 2]), 2), NotArray = set_has_element(dynamic(1), 1)",
    )
    .await;
    assert_eq!(
        found.rows,
        [[json!(true), json!(false), json!(true), json!(null)]]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_guid_is_a_fresh_guid_per_row() {
    let guids =
        answer("range x from 1 to 3 step 1 | extend g = new_guid() | summarize dcount(g), take_any(g)").await;
    assert_eq!(guids.rows[0][0], json!(3));
    let text = guids.rows[0][1].as_str().unwrap().to_string();
    assert!(
        text.len() == 36
            && text
                .chars()
                .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase()),
        "{text}"
    );
    let typed = answer("print g = new_guid()").await;
    assert_eq!(typed.types, ["Guid"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn covariancep_divides_by_the_count() {
    // The covariance docs' pairs give 20.5 as a sample; the population covariance is 20.5 * 4 / 5.
    let pairs = "datatable(x: long, y: long)[1, 14, 2, 10, 3, 17, 4, 20, 5, 50]";
    let both = answer(&format!(
        "{pairs} | summarize covariance(x, y), covariancep(x, y), covariancepif(x, y, x > 3)"
    ))
    .await;
    // Named after both arguments, as the pages' examples show (`covariancep_x_y`).
    assert_eq!(
        both.columns,
        ["covariance_x_y", "covariancep_x_y", "covariancepif_x_y"]
    );
    let values: Vec<f64> = both.rows[0].iter().map(|v| v.as_f64().unwrap()).collect();
    assert!((values[0] - 20.5).abs() < 1e-9, "{values:?}");
    assert!((values[1] - 16.4).abs() < 1e-9, "{values:?}");
    // Rows 4 and 5: means 4.5 and 35, co-moment (-0.5)(-15) + (0.5)(15) = 15, over 2.
    assert!((values[2] - 7.5).abs() < 1e-9, "{values:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn percentiles_array_gives_the_percentiles_columns_as_one_array() {
    // The same nearest-rank values `percentiles` gives one column each.
    let query = "range x from 1 to 100 step 1";
    let array = answer(&format!("{query} | summarize percentiles_array(x, 5, 50, 95)")).await;
    let columns = answer(&format!("{query} | summarize percentiles(x, 5, 50, 95)")).await;
    assert_eq!(array.columns, ["percentiles_x"]);
    assert_eq!(array.types, ["Object"]);
    assert_eq!(array.rows, [[json!(columns.rows[0].clone())]]);
    assert_eq!(array.rows, [[json!([5, 50, 95])]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rand_of_n_draws_whole_reals_below_n() {
    // rand-function: "rand(N) - returns a value of type real chosen with a uniform distribution from
    // the set {0.0, 1.0, ..., N - 1}"; an N below 1 defines no set, so it is refused.
    let draws = answer(
        "range i from 1 to 2000 step 1 | extend r = rand(4), one = rand(1) \
         | summarize lo = min(r), hi = max(r), whole = countif(r == floor(r, 1)), ones = max(one), \
                     n = count(), nulls = countif(isnull(r))",
    )
    .await;
    assert_eq!(draws.types[0], "Double");
    // 2,000 draws from four values miss one of them with probability below 4 * 0.75^2000.
    assert_eq!(
        draws.rows,
        [[
            json!(0.0),
            json!(3.0),
            json!(2000),
            json!(0.0),
            json!(2000),
            json!(0)
        ]]
    );
    let error = run("print rand(0)").await.err().unwrap_or_default();
    assert!(error.contains("empty for N below 1"), "{error}");
    let plain =
        answer("range i from 1 to 1000 step 1 | extend r = rand() | summarize min(r) >= 0.0, max(r) < 1.0")
            .await;
    assert_eq!(plain.rows, [[json!(true), json!(true)]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn columnifexists_is_column_ifexists() {
    // column-ifexists-function: the column when the row has it, else the default.
    let answers =
        answer("datatable(x: long)[7] | project a = columnifexists('x', 0), b = columnifexists('y', 0)")
            .await;
    assert_eq!(answers.rows, [[json!(7), json!(0)]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zlib_netmask_suffix_and_guid_base64_docs_examples_end_to_end() {
    // zlib-base64-compress-function, zlib-base64-decompress-function, ipv4-netmask-suffix-function,
    // base64-encode-fromguid-function.
    let answers = answer(
        "print c = zlib_compress_to_base64_string('1234567890qwertyuiop'), \
               d = zlib_decompress_from_base64_string('eJwLSS0uUSguKcrMS1cwNDIGACxqBQ4='), \
               e = zlib_decompress_from_base64_string('x0x0x0'), \
               s = ipv4_netmask_suffix('192.168.1.1/24'), t = ipv4_netmask_suffix('10.1.2.3'), \
               g = base64_encode_fromguid(toguid('ae3133f2-6e22-49ae-b06a-16e6a9b212eb'))",
    )
    .await;
    assert_eq!(
        answers.types,
        ["String", "String", "String", "Int64", "Int64", "String"]
    );
    assert_eq!(
        answers.rows,
        [[
            json!("eAEBFADr/zEyMzQ1Njc4OTBxd2VydHl1aW9wOAkGdw=="),
            json!("Test string 123"),
            json!(""),
            json!(24),
            json!(32),
            json!("8jMxriJurkmwahbmqbIS6w==")
        ]]
    );
}
