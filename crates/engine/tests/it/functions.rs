//! Functions that reach through every stage (binder signature, planner, UDF): `range()`, the series
//! family, `around()`, `bag_pack_columns()`, the `binary_all_*` and `*if` aggregates and the unit
//! conversions, time zones, the gzip and punycode codecs, `has_any_index` and the beta distribution,
//! with expectations from the Kusto documentation.

use serde_json::json;

use crate::support::{answer, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn range_function_docs_examples() {
    let numbers = answer("print r = range(1, 8, 3), s = range(1, 3)").await;
    assert_eq!(numbers.types, ["Object", "Object"]);
    assert_eq!(numbers.rows, [[json!([1, 4, 7]), json!([1, 2, 3])]]);
    let hours = answer("print r = range(1h, 5h)").await;
    assert_eq!(
        hours.rows,
        [[json!([
            "01:00:00", "02:00:00", "03:00:00", "04:00:00", "05:00:00"
        ])]]
    );
    let days =
        answer("print r = range(datetime(2007-01-01), datetime(2007-12-31), 1d) | mv-expand r | count").await;
    assert_eq!(days.rows, [[json!(365)]]);
    // "The range function supports a maximum of 1,048,576 (2^20) results."
    let capped = answer("print r = range(1, 1000000000) | mv-expand r | count").await;
    assert_eq!(capped.rows, [[json!(1_048_576)]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn series_functions_in_queries() {
    // series_iir docs: a cumulative sum with numerators [1] and denominators [1,-1].
    let sums = answer("print y = series_iir(range(1, 4), dynamic([1]), dynamic([1,-1]))").await;
    assert_eq!(sums.rows, [[json!([1.0, 3.0, 6.0, 10.0])]]);
    // series_greater_equals against a number, as the series_outliers docs use it.
    let flags = answer("print f = series_greater_equals(dynamic([1, 2.5, 0.5]), 1.5)").await;
    assert_eq!(flags.rows, [[json!([false, true, false])]]);
    let stats = answer("print s = series_stats_dynamic(dynamic([1, 3]))").await;
    assert_eq!(
        stats.rows,
        [[
            json!({"min": 1.0, "min_idx": 0, "max": 3.0, "max_idx": 1, "avg": 2.0,
                 "stdev": 2f64.sqrt(), "variance": 2.0, "sum": 4.0, "len": 2})
        ]]
    );
    let error = run("print series_log(dynamic([0]))")
        .await
        .err()
        .unwrap_or_default();
    assert!(error.contains("not supported yet"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn around_includes_both_ends() {
    let numbers = answer("print a = around(1.5, 1, 0.5), b = around(1.6, 1, 0.5), c = around(5, 7, 2)").await;
    // Kusto reports bool columns with the .NET type SByte.
    assert_eq!(numbers.types, ["SByte", "SByte", "SByte"]);
    assert_eq!(numbers.rows, [[json!(true), json!(false), json!(true)]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bag_pack_columns_names_keys_after_columns() {
    let packed =
        answer("datatable(Id: string, Other: long)['A', 1] | project P = bag_pack_columns(Id, Other)").await;
    assert_eq!(packed.rows, [[json!({"Id": "A", "Other": 1})]]);
    let error = run("print x = 1 | project bag_pack_columns(x + 1)")
        .await
        .err()
        .unwrap_or_default();
    assert!(error.contains("column names"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bitwise_and_conditional_aggregates() {
    let bits = answer(
        "datatable(n: long)[12, 10, 6] \
         | summarize binary_all_and(n), binary_all_or(n), binary_all_xor(n)",
    )
    .await;
    assert_eq!(
        bits.columns,
        ["binary_all_and_n", "binary_all_or_n", "binary_all_xor_n"]
    );
    assert_eq!(bits.rows, [[json!(0), json!(14), json!(0)]]);
    // Sample variance and deviation over the rows that pass the predicate: 2, 4 and 6.
    let moments =
        answer("range x from 1 to 6 step 1 | summarize varianceif(x, x % 2 == 0), stdevif(x, x % 2 == 0)")
            .await;
    assert_eq!(moments.columns, ["varianceif_x", "stdevif_x"]);
    assert_eq!(moments.rows, [[json!(4.0), json!(2.0)]]);
    let list = answer("datatable(n: int)[int(null), 1] | summarize l = make_list_with_nulls(n)").await;
    assert_eq!(list.rows, [[json!([null, 1])]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unit_conversions() {
    let converted = answer(
        "print a = convert_length(1, 'Kilometer', 'Meter'), b = convert_angle(180, 'Degree', 'Radian'), \
         c = erfc(0), d = convert_length(1, 'Meter', 'Furlong')",
    )
    .await;
    // "Invalid units return null."
    assert_eq!(
        converted.rows,
        [[
            json!(1000.0),
            json!(std::f64::consts::PI),
            json!(1.0),
            json!(null)
        ]]
    );
    // The mile's definition changed between versions of the unit library Kusto converts with.
    let error = run("print convert_length(1, 'Mile', 'Kilometer')")
        .await
        .err()
        .unwrap_or_default();
    assert!(error.contains("changed its definition"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn time_zone_conversions() {
    // datetime_utc_to_local docs: 2022-07-11 22:18:48.4678620 UTC in US/Pacific and Australia/Canberra.
    let local = answer(
        "print dt = datetime(2022-07-11 22:18:48.4678620) \
         | extend pacific_dt = datetime_utc_to_local(dt, 'US/Pacific'), \
                  canberra_dt = datetime_utc_to_local(dt, 'Australia/Canberra') \
         | extend diff = pacific_dt - canberra_dt | project pacific_dt, canberra_dt, diff",
    )
    .await;
    assert_eq!(local.types, ["DateTime", "DateTime", "TimeSpan"]);
    assert_eq!(
        local.rows,
        [[
            json!("2022-07-11T15:18:48.4678620Z"),
            json!("2022-07-12T08:18:48.4678620Z"),
            json!("-17:00:00")
        ]]
    );
    // datetime_local_to_utc docs: 02:00 does not exist in Brussels on 2022-03-27 and maps to 00:00 UTC.
    let utc = answer("print u = datetime_local_to_utc(datetime(2022-03-27 02:00), 'Europe/Brussels')").await;
    assert_eq!(utc.rows, [[json!("2022-03-27T00:00:00Z")]]);
    let count =
        answer("print z = datetime_list_timezones() | mv-expand z | where z == 'Europe/Paris' | count").await;
    assert_eq!(count.rows, [[json!(1)]]);
    let error = run("print datetime_utc_to_local(now(), 'Mars/Olympus_Mons')")
        .await
        .err()
        .unwrap_or_default();
    assert!(error.contains("unknown time zone"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gzip_and_punycode_codecs() {
    // gzip docs: "1234567890qwertyuiop" and back; invalid input gives an empty string.
    let gzip = answer(
        "print c = gzip_compress_to_base64_string('1234567890qwertyuiop'), \
               d = gzip_decompress_from_base64_string('H4sIAAAAAAAA/wEUAOv/MTIzNDU2Nzg5MHF3ZXJ0eXVpb3A6m7f2FAAAAA=='), \
               bad = gzip_decompress_from_base64_string('x0x0x0')",
    )
    .await;
    assert_eq!(
        gzip.rows,
        [[
            json!("H4sIAAAAAAAA/wEUAOv/MTIzNDU2Nzg5MHF3ZXJ0eXVpb3A6m7f2FAAAAA=="),
            json!("1234567890qwertyuiop"),
            json!("")
        ]]
    );
    // punycode docs examples.
    let puny = answer(
        "print e = punycode_from_string('académie-française'), d = punycode_to_string('acadmie-franaise-npb1a'), \
               de = punycode_domain_to_string(\"Kaledvoulc'h.Artorījos.edu\"), \
               dd = punycode_domain_from_string('xn--Ge-mia.Bulg.edu')",
    )
    .await;
    assert_eq!(
        puny.rows,
        [[
            json!("acadmie-franaise-npb1a"),
            json!("académie-française"),
            json!("Kaledvoulc'h.xn--Artorjos-ejb.edu"),
            json!("Gáe.Bulg.edu")
        ]]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn has_any_index_and_beta_functions() {
    // has_any_index docs examples.
    let index = answer(
        "print idx1 = has_any_index('this is an example', dynamic(['this', 'example'])), \
               idx4 = has_any_index('Example number 2', range(1, 3, 1)), \
               idx5 = has_any_index('this is an example', dynamic([]))",
    )
    .await;
    assert_eq!(index.types, ["Int64", "Int64", "Int64"]);
    assert_eq!(index.rows, [[json!(0), json!(1), json!(-1)]]);
    // beta_pdf docs example (0.746176019310951) and a beta_cdf/beta_inv round trip.
    let beta = answer("print p = beta_pdf(0.5, 10, 20), x = beta_inv(beta_cdf(0.25, 10, 20), 10, 20)").await;
    let values: Vec<f64> = beta.rows[0].iter().filter_map(|v| v.as_f64()).collect();
    assert!((values[0] - 0.746176019310951).abs() < 1e-12, "{values:?}");
    assert!((values[1] - 0.25).abs() < 1e-12, "{values:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn covariance_and_covarianceif() {
    // Sample covariance, worked by hand: x = 1..4, y = 2, 4.5, 5, 9 give 10.75 / 3; over x > 1, 4.5 / 2.
    // Names as the emulator gives them (`covarianceif_x_y`; Kusto.Language says `covarianceif_x`).
    let result = answer(
        "datatable (x: long, y: real)[1, 2.0, 2, 4.5, 3, 5.0, 4, 9.0] \
         | summarize covariance(x, y), covarianceif(x, y, x > 1)",
    )
    .await;
    assert_eq!(result.columns, ["covariance_x_y", "covarianceif_x_y"]);
    let values: Vec<f64> = result.rows[0].iter().filter_map(|v| v.as_f64()).collect();
    assert!((values[0] - 10.75 / 3.0).abs() < 1e-12, "{values:?}");
    assert!((values[1] - 2.25).abs() < 1e-12, "{values:?}");
}

/// Kusto takes a decimal wherever a number goes (abs(decimal) is a decimal, per Kusto.Language); an
/// implementation without decimals refuses the call by name, pointing at it, instead of failing to plan.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decimal_arguments_an_implementation_lacks_are_refused_by_name() {
    let engine = torhunt_engine::Engine::new(torhunt_engine::EngineConfig::default()).unwrap();
    for (query, call) in [
        ("print x = abs(decimal(-2.5))", "abs(decimal(-2.5))"),
        (
            "print x = 1 | extend y = pow(decimal(2), 3)",
            "pow(decimal(2), 3)",
        ),
    ] {
        let error = engine.query(query).await.unwrap_err();
        let diagnostic = &error.diagnostics[0];
        assert_eq!(
            diagnostic.kind,
            kql_syntax::DiagnosticKind::NotSupported,
            "{query}"
        );
        assert!(
            diagnostic.message.contains("decimal argument"),
            "{query}: {}",
            diagnostic.message
        );
        assert_eq!(&query[diagnostic.span.start..diagnostic.span.end], call);
    }
    // Those that take decimals still answer.
    let sum = answer("print x = decimal(1.5) + decimal(2.25)").await;
    assert_eq!(sum.types, ["SqlDecimal"]);
}
