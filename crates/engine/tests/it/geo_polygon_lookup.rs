//! The `geo_polygon_lookup` plugin, with the data and results of its documentation's examples
//! (geo-polygon-lookup-plugin: matching rows only, with unmatched rows, with a 7 km radius).

use serde_json::{Value, json};

use crate::support::{answer, run};

const DATA: &str = r#"let polygons = datatable(polygon_name:string, polygon:dynamic)
[
    "New York", dynamic({"type":"Polygon", "coordinates":[[[-73.97375470114766,40.74300078124614],[-73.98653921014294,40.75486501361894],[-73.99910622331991,40.74112695466084],[-73.97375470114766,40.74300078124614]]]}),
    "Paris", dynamic({"type":"Polygon","coordinates":[[[2.57564669886321,48.769567764921334],[2.420098611499384,49.05163394896812],[2.1016783119165723,48.80113794475062],[2.57564669886321,48.769567764921334]]]}),
];
let locations = datatable(location_name:string, longitude:real, latitude:real)
[
    "Empire State Building", -73.98567337898565, 40.74842629977377,
    "National Museum of Mathematics", -73.98778501496217, 40.743565232771545,
    "Eiffel Tower", 2.294489426068907, 48.858263476169185,
    "London", -0.13245599272019604, 51.49879464208368,
    "Statue of Liberty",  -74.04462223203123, 40.689195627512674,
];
"#;

/// (location, polygon name) pairs, sorted: the plugin's rows come in no particular order.
async fn matches(plugin_call: &str) -> (Vec<String>, Vec<(String, String)>) {
    let result = answer(&format!(
        "{DATA} locations | evaluate {plugin_call} | project location_name, polygon_name"
    ))
    .await;
    let all = answer(&format!("{DATA} locations | evaluate {plugin_call} | take 0")).await;
    let mut pairs: Vec<(String, String)> = result
        .rows
        .iter()
        .map(|row| (text(&row[0]), text(&row[1])))
        .collect();
    pairs.sort();
    (all.columns, pairs)
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_string()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    pairs.sort();
    pairs
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn docs_examples() {
    let (columns, found) = matches("geo_polygon_lookup(polygons, polygon, longitude, latitude)").await;
    // The polygon column stays out unless asked for (`return_lookup_key`), as Kusto.Language types it.
    assert_eq!(
        columns,
        ["location_name", "longitude", "latitude", "polygon_name"]
    );
    let inside = [
        ("Empire State Building", "New York"),
        ("National Museum of Mathematics", "New York"),
        ("Eiffel Tower", "Paris"),
    ];
    assert_eq!(found, pairs(&inside));

    let (columns, found) = matches(
        "geo_polygon_lookup(polygons, polygon, longitude, latitude, return_unmatched = true, \
         return_lookup_key = true)",
    )
    .await;
    assert_eq!(
        columns,
        [
            "location_name",
            "longitude",
            "latitude",
            "polygon_name",
            "polygon"
        ]
    );
    let mut with_unmatched = inside.to_vec();
    with_unmatched.extend([("London", ""), ("Statue of Liberty", "")]);
    assert_eq!(found, pairs(&with_unmatched));

    // Within 7 km of New York's triangle: the Statue of Liberty too.
    let (_, found) = matches(
        "geo_polygon_lookup(polygons, polygon, longitude, latitude, radius = 7000, return_unmatched = true)",
    )
    .await;
    let mut within = inside.to_vec();
    within.extend([("London", ""), ("Statue of Liberty", "New York")]);
    assert_eq!(found, pairs(&within));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unmatched_rows_have_an_empty_polygon_and_positional_options_work() {
    let result = answer(&format!(
        "{DATA} locations | where location_name == 'London' \
         | evaluate geo_polygon_lookup(polygons, polygon, longitude, latitude, 0, true, 100, true)"
    ))
    .await;
    // radius 0 keeps only points at distance 0 from the polygon; London is far from both.
    assert_eq!(
        result.rows,
        [vec![
            json!("London"),
            json!(-0.13245599272019604),
            json!(51.49879464208368),
            json!(""),
            Value::Null
        ]]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_arguments_are_errors_naming_them() {
    for (call, message) in [
        (
            "geo_polygon_lookup(polygons, polygon_name, longitude, latitude)",
            "needs a dynamic column",
        ),
        (
            "geo_polygon_lookup(polygons, polygon, location_name, latitude)",
            "needs a real column",
        ),
        (
            "geo_polygon_lookup(polygons, polygon, longitude, latitude, radius = -1)",
            "`radius` of `geo_polygon_lookup` must be",
        ),
        (
            "geo_polygon_lookup(polygons, polygon, longitude, latitude, join_hint = 5)",
            "has no argument `join_hint`",
        ),
        (
            "geo_polygon_lookup((polygons | extend location_name = 1), polygon, longitude, latitude)",
            "not supported yet: `geo_polygon_lookup` where both tables have a column `location_name`",
        ),
    ] {
        let error = run(&format!("{DATA} locations | evaluate {call}"))
            .await
            .err()
            .unwrap_or_else(|| panic!("{call} should fail"));
        assert!(error.contains(message), "{call}: {error}");
    }
}
