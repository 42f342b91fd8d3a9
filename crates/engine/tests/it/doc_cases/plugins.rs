//! Plugins (`evaluate`), from their pages in the Kusto reference: `bag_unpack` and the lookups
//! (`ipv4_lookup`, `ipv6_lookup`, `geo_polygon_lookup`). A lookup's page does not order its output
//! rows, so the cases sort them; the column order is the page's.

use super::{DocPage, refused, rows};

/// The `geo_polygon_lookup` page's polygons and locations, then the rest of the query.
macro_rules! polygons {
    ($rest:literal) => {
        concat!(
            r#"let polygons = datatable(polygon_name: string, polygon: dynamic)[
                "New York", dynamic({"type":"Polygon", "coordinates":[[[-73.97375470114766,40.74300078124614],[-73.98653921014294,40.75486501361894],[-73.99910622331991,40.74112695466084],[-73.97375470114766,40.74300078124614]]]}),
                "Paris", dynamic({"type":"Polygon","coordinates":[[[2.57564669886321,48.769567764921334],[2.420098611499384,49.05163394896812],[2.1016783119165723,48.80113794475062],[2.57564669886321,48.769567764921334]]]}),
            ];
            let locations = datatable(location_name: string, longitude: real, latitude: real)[
                "Empire State Building", -73.98567337898565, 40.74842629977377,
                "NY National Museum of Mathematics", -73.98778501496217, 40.743565232771545,
                "Eiffel Tower", 2.294489426068907, 48.858263476169185,
                "London", -0.13245599272019604, 51.49879464208368,
                "Statue of Liberty",  -74.04462223203123, 40.689195627512674,
            ];
            locations"#,
            $rest
        )
    };
}

/// The `ipv4_lookup` page's lookup table, with the `external_data` example's extra columns, then
/// the rest of the query.
macro_rules! ipv4_data {
    ($rest:literal) => {
        concat!(
            r#"let IP_Data = datatable(network: string, geoname_id: long, continent_code: string, continent_name: string,
                                       country_iso_code: string, country_name: string, is_anonymous_proxy: bool)[
                "111.68.128.0/17", 1861060, "AS", "Asia", "JP", "Japan", false,
                "5.8.0.0/19", 2017370, "EU", "Europe", "RU", "Russia", false,
                "223.255.254.0/24", 1880251, "AS", "Asia", "SG", "Singapore", false,
                "46.36.200.51/32", 1899402, "OC", "Oceania", "CK", "Cook Islands", false,
                "2.20.183.0/24", 2635167, "EU", "Europe", "GB", "United Kingdom", false,
                "192.165.8.0/21", 2661886, "EU", "Europe", "SE", "Sweden", false,
            ];"#,
            $rest
        )
    };
}

/// The `ipv6_lookup` page's lookup table and addresses, then the rest of the query.
macro_rules! ipv6_data {
    ($rest:literal) => {
        concat!(
            r#"let IP_Data = datatable(network: string, continent_code: string, continent_name: string, country_iso_code: string,
                                       country_name: string)[
                "2001:0db8:85a3::/48","NA","North America","US","United States",
                "2404:6800:4001::/48","AS","Asia","JP","Japan",
                "2a00:1450:4001::/48","EU","Europe","DE","Germany",
                "2800:3f0:4001::/48","SA","South America","BR","Brazil",
                "2c0f:fb50:4001::/48","AF","Africa","ZA","South Africa",
                "2607:f8b0:4001::/48","NA","North America","CA","Canada",
                "2a02:26f0:4001::/48","EU","Europe","FR","France",
                "2400:cb00:4001::/48","AS","Asia","IN","India",
                "2801:0db8:85a3::/48","SA","South America","AR","Argentina",
                "2a03:2880:4001::/48","EU","Europe","GB","United Kingdom"
            ];
            let IPs = datatable(ip: string)[
                "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
                "2404:6800:4001:0001:0000:8a2e:0370:7334",
                "2a02:26f0:4001:0006:0000:8a2e:0370:7334",
                "a5e:f127:8a9d:146d:e102:b5d3:c755:abcd",
                "a5e:f127:8a9d:146d:e102:b5d3:c755:abce"
            ];
            IPs"#,
            $rest
        )
    };
}

pub const PAGES: &[DocPage] = &[
    DocPage {
        page: "bag-unpack-plugin",
        functions: &["bag_unpack"],
        cases: &[
            // "Expand a bag": one column per slot, the input column removed.
            rows(
                r#"datatable(d: dynamic)[dynamic({"Name": "John", "Age": 20}), dynamic({"Name": "Dave", "Age": 40}),
                     dynamic({"Name": "Jasmine", "Age": 30}),]
                   | evaluate bag_unpack(d) | order by Age asc"#,
                r#"[[20, "John"], [30, "Jasmine"], [40, "Dave"]]"#,
            ),
            // "OutputColumnPrefix: A common prefix to add to all columns produced by the plugin."
            rows(
                r#"datatable(d: dynamic)[dynamic({"Name": "John", "Age": 20}), dynamic({"Name": "Dave", "Age": 40})]
                   | evaluate bag_unpack(d, 'Property_') | project Property_Name, Property_Age | order by Property_Age asc"#,
                r#"[["John", 20], ["Dave", 40]]"#,
            ),
            rows(
                r#"datatable(Name: string, d: dynamic)['James', dynamic({"Name": "John", "Age": 20}), 'David', dynamic({"Age": 40}),
                     'Emily', dynamic({"Name": "Jasmine", "Age": 30}),]
                   | evaluate bag_unpack(d, columnsConflict='replace_source') | order by Age asc"#,
                r#"[["John", 20], ["Jasmine", 30], ["", 40]]"#,
            ),
            rows(
                r#"datatable(Name: string, d: dynamic)['James', dynamic({"Name": "John", "Age": 20}),
                     'David', dynamic({"Name": "Dave", "Age": 40}), 'Emily', dynamic({"Name": "Jasmine", "Age": 30}),]
                   | evaluate bag_unpack(d, columnsConflict='keep_source') | order by Age asc"#,
                r#"[["James", 20], ["Emily", 30], ["David", 40]]"#,
            ),
            // "columnsConflict: ... error - Query produces an error (default)".
            refused(
                r#"datatable(Name: string, d: dynamic)['James', dynamic({"Name": "John", "Age": 20})] | evaluate bag_unpack(d)"#,
                "Name",
            ),
            rows(
                r#"datatable(d: dynamic)[dynamic({"Name": "John", "Age": 20, "Address": "Address-1"}),
                     dynamic({"Name": "Dave", "Age": 40, "Address": "Address-2"}),]
                   | evaluate bag_unpack(d, ignoredProperties=dynamic(['Address', 'Age'])) | order by Name asc"#,
                r#"[["Dave"], ["John"]]"#,
            ),
            // A slot some bags lack is null in their rows.
            rows(
                r#"datatable(d: dynamic)[dynamic({"Name": "John", "Age": 20}), dynamic({"Name": "Dave", "Height": 170, "Age": 40}),
                     dynamic({"Name": "Jasmine", "Age": 30}),]
                   | evaluate bag_unpack(d) | order by Age asc"#,
                r#"[[20, null, "John"], [30, null, "Jasmine"], [40, 170, "Dave"]]"#,
            ),
            // "Expand a bag with an OutputSchema and use the wildcard * option".
            rows(
                r#"datatable(d: dynamic, Description: string)[dynamic({"Name": "John", "Age": 20, "height": 180}), "Student",
                     dynamic({"Name": "Dave", "Age": 40, "height": 160}), "Teacher",
                     dynamic({"Name": "Jasmine", "Age": 30, "height": 172}), "Student",]
                   | evaluate bag_unpack(d) : (*, Name: string, Age: long) | order by Age asc"#,
                r#"[["Student", "John", 20], ["Student", "Jasmine", 30], ["Teacher", "Dave", 40]]"#,
            ),
            // "The type of each column is either the type of the slot, if all values of the same slot
            // have the same type, or dynamic, if the values differ in type."
            rows(
                r#"datatable(d: dynamic)[dynamic({"a": 1, "b": "x"}), dynamic({"a": "one", "b": "y"})]
                   | evaluate bag_unpack(d) | getschema | project ColumnName, ColumnType"#,
                r#"[["a", "dynamic"], ["b", "string"]]"#,
            ),
            // "returns a table with as many records as its tabular input"; "The plugin ignores null
            // values."
            rows(
                r#"datatable(i: long, d: dynamic)[1, dynamic({"a": 1}), 2, dynamic(null)]
                   | evaluate bag_unpack(d) | order by i asc"#,
                "[[1, 1], [2, null]]",
            ),
        ],
    },
    DocPage {
        page: "ipv4-lookup-plugin",
        functions: &["ipv4_lookup"],
        cases: &[
            // "IPv4 lookup - matching rows only": the input's columns, then the lookup table's.
            rows(
                ipv4_data!(
                    r#"datatable(ip: string)['2.20.183.12', '5.8.1.2', '192.168.12.17']
                       | evaluate ipv4_lookup(IP_Data, ip, network) | order by ip asc"#
                ),
                r#"[["2.20.183.12", "2.20.183.0/24", 2635167, "EU", "Europe", "GB", "United Kingdom", false],
                    ["5.8.1.2", "5.8.0.0/19", 2017370, "EU", "Europe", "RU", "Russia", false]]"#,
            ),
            // "If the return_unmatched argument is set to true, the resulting table includes both
            // matched and unmatched rows (filled with nulls)."
            rows(
                ipv4_data!(
                    r#"datatable(ip: string)['2.20.183.12', '5.8.1.2', '10.1.2.3']
                       | evaluate ipv4_lookup(IP_Data, ip, network, return_unmatched = true) | order by ip asc"#
                ),
                r#"[["10.1.2.3", "", null, "", "", "", "", null],
                    ["2.20.183.12", "2.20.183.0/24", 2635167, "EU", "Europe", "GB", "United Kingdom", false],
                    ["5.8.1.2", "5.8.0.0/19", 2017370, "EU", "Europe", "RU", "Russia", false]]"#,
            ),
            // "IPv4 lookup - using extra columns for matching": Sweden's row asks for country ''.
            rows(
                ipv4_data!(
                    r#"datatable(ip: string, continent_name: string, country_iso_code: string)
                       ['2.20.183.12', 'Europe', 'GB', '5.8.1.2', 'Europe', 'RU', '192.165.12.17', 'Europe', '']
                       | evaluate ipv4_lookup(IP_Data, ip, network, continent_name, country_iso_code) | order by ip asc"#
                ),
                r#"[["2.20.183.12", "Europe", "GB", "2.20.183.0/24", 2635167, "EU", "United Kingdom", false],
                    ["5.8.1.2", "Europe", "RU", "5.8.0.0/19", 2017370, "EU", "Russia", false]]"#,
            ),
            // "IPv4 values can be masked using IP-prefix notation": the /32 lookup row matches its
            // one address only.
            rows(
                ipv4_data!(
                    r#"datatable(ip: string)['46.36.200.51', '46.36.200.52']
                       | evaluate ipv4_lookup(IP_Data, ip, network) | project ip, country_name"#
                ),
                r#"[["46.36.200.51", "Cook Islands"]]"#,
            ),
        ],
    },
    DocPage {
        page: "ipv6-lookup-plugin",
        functions: &["ipv6_lookup"],
        cases: &[
            // "IPv6 lookup - matching rows only": the page's output has the lookup table's columns
            // first.
            rows(
                ipv6_data!(" | evaluate ipv6_lookup(IP_Data, ip, network) | order by ip asc"),
                r#"[["2001:0db8:85a3::/48", "NA", "North America", "US", "United States", "2001:0db8:85a3:0000:0000:8a2e:0370:7334"],
                    ["2404:6800:4001::/48", "AS", "Asia", "JP", "Japan", "2404:6800:4001:0001:0000:8a2e:0370:7334"],
                    ["2a02:26f0:4001::/48", "EU", "Europe", "FR", "France", "2a02:26f0:4001:0006:0000:8a2e:0370:7334"]]"#,
            ),
            rows(
                ipv6_data!(" | evaluate ipv6_lookup(IP_Data, ip, network, true) | order by ip asc"),
                r#"[["2001:0db8:85a3::/48", "NA", "North America", "US", "United States", "2001:0db8:85a3:0000:0000:8a2e:0370:7334"],
                    ["2404:6800:4001::/48", "AS", "Asia", "JP", "Japan", "2404:6800:4001:0001:0000:8a2e:0370:7334"],
                    ["2a02:26f0:4001::/48", "EU", "Europe", "FR", "France", "2a02:26f0:4001:0006:0000:8a2e:0370:7334"],
                    ["", "", "", "", "", "a5e:f127:8a9d:146d:e102:b5d3:c755:abcd"],
                    ["", "", "", "", "", "a5e:f127:8a9d:146d:e102:b5d3:c755:abce"]]"#,
            ),
        ],
    },
    DocPage {
        page: "geo-polygon-lookup-plugin",
        functions: &["geo_polygon_lookup"],
        cases: &[
            // "The following example returns only matching rows."
            rows(
                polygons!(
                    " | evaluate geo_polygon_lookup(polygons, polygon, longitude, latitude, return_lookup_key = true)
                      | extend polygon_kept = polygon.type == 'Polygon' | project-away polygon | order by location_name asc"
                ),
                r#"[["Eiffel Tower", 2.294489426068907, 48.858263476169185, "Paris", true],
                    ["Empire State Building", -73.98567337898565, 40.74842629977377, "New York", true],
                    ["NY National Museum of Mathematics", -73.98778501496217, 40.743565232771545, "New York", true]]"#,
            ),
            // "return_lookup_key: ... whether the result should include column LookupPolygonKey
            // (default: false)".
            rows(
                polygons!(" | evaluate geo_polygon_lookup(polygons, polygon, longitude, latitude) | order by location_name asc"),
                r#"[["Eiffel Tower", 2.294489426068907, 48.858263476169185, "Paris"],
                    ["Empire State Building", -73.98567337898565, 40.74842629977377, "New York"],
                    ["NY National Museum of Mathematics", -73.98778501496217, 40.743565232771545, "New York"]]"#,
            ),
            // "returns both matching and nonmatching rows".
            rows(
                polygons!(
                    " | evaluate geo_polygon_lookup(polygons, polygon, longitude, latitude, return_unmatched = true)
                      | project location_name, polygon_name | order by location_name asc"
                ),
                r#"[["Eiffel Tower", "Paris"], ["Empire State Building", "New York"], ["London", ""],
                    ["NY National Museum of Mathematics", "New York"], ["Statue of Liberty", ""]]"#,
            ),
            // "where radius is set to 7 km": the Statue of Liberty is within 7 km of the New York
            // polygon.
            rows(
                polygons!(
                    " | evaluate geo_polygon_lookup(polygons, polygon, longitude, latitude, radius = 7000, return_unmatched = true)
                      | project location_name, polygon_name | order by location_name asc"
                ),
                r#"[["Eiffel Tower", "Paris"], ["Empire State Building", "New York"], ["London", ""],
                    ["NY National Museum of Mathematics", "New York"], ["Statue of Liberty", "New York"]]"#,
            ),
            rows(
                polygons!(
                    " | evaluate geo_polygon_lookup(polygons, polygon, longitude, latitude)
                      | summarize count() by polygon_name | order by polygon_name asc"
                ),
                r#"[["New York", 2], ["Paris", 1]]"#,
            ),
        ],
    },
];
