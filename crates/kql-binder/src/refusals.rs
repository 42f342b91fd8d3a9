//! Kusto built-ins torhunt refuses on purpose, each with the reason the user reads. Every other
//! built-in of Kusto.Language's catalog is implemented; `docs/kql-coverage.md` lists both, and the
//! engine's coverage test keeps the two in step with the catalog. A refusal applies only when the
//! catalog does not know the name: `geo_info_from_ip_address` is known once `--geoip` registers it.

use kql_syntax::{Diagnostic, DiagnosticKind, Span};

/// Where a built-in is called: as a function (scalar or tabular), in `summarize`, or with `evaluate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltinKind {
    Function,
    Aggregate,
    Plugin,
}

/// Names sharing one reason.
struct Refusal {
    names: &'static [&'static str],
    reason: &'static str,
}

const CLUSTER_STATE: &str = "it reads the state of a Kusto cluster (its databases, tables' extents, \
     cursors, signed-in principal), which files exported from it do not carry; torhunt queries the tables \
     in --data by name";

const GRAPH: &str = "a graph function, valid only inside `graph-match` or `graph-shortest-paths`; torhunt \
     does not support Kusto's graph operators";

const INTERNAL: &str = "an internal Kusto function with no documentation, so no behaviour can be checked; \
     queries do not call it";

const SKETCH: &str = "the sketch format is Kusto-internal (the docs do not define its bytes or its \
     estimator), so a sketch torhunt made could not be Kusto's nor merge with one; aggregate the rows \
     directly with `dcount`, `percentile` or `percentiles`";

const GEOMETRY: &str = "Kusto computes it with geodesic geometry whose algorithm and tolerances \
     (intersections, buffers, simplification, edge cases near the poles and the antimeridian) the docs \
     do not fix, so torhunt could not promise Kusto's answer; torhunt implements \
     `geo_point_in_polygon`, `geo_distance_point_to_polygon`, the `geo_polygon_lookup` plugin, \
     `geo_polygon_area`, the line functions that follow S2's definitions and the point-to-cell functions";

const CELL_COVERING: &str = "Kusto covers the shape with S2 or H3 cells by library settings the docs \
     do not give (maximum cell count, covering mode), so the cells could differ; torhunt implements \
     `geo_point_to_s2cell` and `geo_point_to_h3cell` for points";

const SERIES_MODEL: &str = "the docs describe its model only in outline (trend fitting, seasonality and \
     period detection, the anomaly scores), not the exact algorithm, so torhunt could not promise \
     Kusto's numbers; torhunt implements `series_stats_dynamic`, `series_fill_*` and the element-wise \
     series functions";

const ANALYTICS: &str = "a product-analytics plugin (user activity, retention, funnels, sessions) \
     outside torhunt's hunting scope; compute the same counts with `summarize` or `make-series` over \
     the rows";

const FUNCTIONS: &[Refusal] = &[
    Refusal {
        names: &[
            "cluster",
            "database",
            "external_table",
            "materialized_view",
            "entity_group",
            "stored_query_result",
            "current_cluster_endpoint",
            "current_database",
            "current_principal",
            "current_principal_details",
            "current_principal_is_member_of",
            "cursor_after",
            "cursor_before_or_at",
            "cursor_current",
            "current_cursor",
            "extent_id",
            "extentid",
            "extent_tags",
        ],
        reason: CLUSTER_STATE,
    },
    Refusal {
        names: &[
            "graph",
            "all",
            "any",
            "map",
            "inner_nodes",
            "node_id",
            "node_degree_in",
            "node_degree_out",
            "labels",
        ],
        reason: GRAPH,
    },
    Refusal {
        names: &[
            "__cast",
            "__invoke",
            "__geo_length_to_s2cell_level",
            "__geo_line_s2cell_covering_level",
            "__geo_line_validate",
            "__geo_polygon_s2cell_covering_level",
            "__geo_polygon_validate",
            "__hash_crc32",
            "__hash_djb2",
            "__hash_many_crc32",
            "__hash_xxh64",
            "__hll_normalize",
            "__ipv6_lookup_ranges",
            "__lz4_compress_dynamic_array_to_base64_string",
            "iscolumnexists",
            "current_node_id",
            "row_id",
            "rowstore_ordinal_range",
            "set_equals",
        ],
        reason: INTERNAL,
    },
    Refusal {
        names: &["geo_info_from_ip_address"],
        reason: "it needs a MaxMind-format location database, which torhunt cannot ship: pass \
             --geoip FILE.mmdb (GeoLite2-City or DB-IP City Lite)",
    },
    Refusal {
        names: &["parse_user_agent"],
        reason: "its answers come from \"a huge number of predefined patterns\" (the docs) that are not \
             published, so torhunt could not promise Kusto's browser, OS and device for a user agent; use \
             `extract` or `parse` with your own pattern",
    },
    Refusal {
        names: &["estimate_data_size"],
        reason: "it estimates the bytes Kusto's own storage format takes per value, which the docs do not \
             define",
    },
    Refusal {
        names: &["bin_auto"],
        reason: "its bin size comes from the `query_bin_auto_size` request property, which torhunt has no \
             way to set; use `bin(value, size)`",
    },
    Refusal {
        names: &[
            "dcount_hll",
            "hll_merge",
            "percentile_tdigest",
            "percentiles_array_tdigest",
            "percentrank_tdigest",
            "rank_tdigest",
            "merge_tdigest",
        ],
        reason: SKETCH,
    },
    Refusal {
        names: &["hll_isvalid", "tdigest_isvalid"],
        reason: INTERNAL,
    },
    Refusal {
        names: &[
            "geo_angle",
            "geo_distance_point_to_line",
            "geo_from_wkt",
            "geo_intersection_2lines",
            "geo_intersection_2polygons",
            "geo_intersection_line_with_polygon",
            "geo_intersects_2polygons",
            "geo_line_buffer",
            "geo_line_densify",
            "geo_line_length",
            "geo_line_simplify",
            "geo_point_buffer",
            "geo_point_in_circle",
            "geo_polygon_buffer",
            "geo_polygon_densify",
            "geo_polygon_perimeter",
            "geo_polygon_simplify",
            "geo_simplify_polygons_array",
            "geo_union_lines_array",
            "geo_union_polygons_array",
        ],
        reason: GEOMETRY,
    },
    Refusal {
        names: &[
            "geo_line_to_s2cells",
            "geo_polygon_to_s2cells",
            "geo_polygon_to_h3cells",
        ],
        reason: CELL_COVERING,
    },
    Refusal {
        names: &[
            "geo_h3cell_neighbors",
            "geo_h3cell_rings",
            "geo_s2cell_neighbors",
            "geo_s2cell_to_polygon",
        ],
        reason: "not implemented in torhunt yet (the order Kusto lists the cells or vertices in is not \
             documented); `geo_h3cell_children`, `geo_h3cell_parent`, `geo_h3cell_to_polygon` and \
             `geo_s2cell_to_central_point` are implemented",
    },
    Refusal {
        names: &[
            "series_decompose",
            "series_decompose_anomalies",
            "series_decompose_forecast",
            "series_outliers",
            "series_periods_detect",
            "series_periods_validate",
            "series_seasonal",
            "series_fit_2lines",
            "series_fit_2lines_dynamic",
        ],
        reason: SERIES_MODEL,
    },
    Refusal {
        names: &[
            "series_fit_line",
            "series_fit_line_dynamic",
            "series_fit_poly",
            "series_fft",
            "series_ifft",
            "series_fir",
            "series_stats",
            "series_pearson_correlation",
            "series_cosine_similarity",
            "series_sum",
            "series_product",
            "series_abs",
            "series_sign",
            "series_pow",
        ],
        reason: "not implemented in torhunt yet; `series_stats_dynamic`, `series_dot_product`, \
             `series_magnitude` and `series_iir` are, and `mv-expand` turns a series into rows for \
             `summarize`",
    },
    Refusal {
        names: &["hash_combine", "hash_many"],
        reason: "the docs show how hashes are combined only by one example, not the algorithm, so \
             torhunt could not give Kusto's value; within a query `hash(strcat(a, \"|\", b))` serves, and \
             `hash_sha256` gives a stable one (as the docs advise)",
    },
    Refusal {
        names: &["regex_quote"],
        reason: "the docs do not say which characters it escapes (RE2 escapes every non-word character, \
             .NET only the metacharacters), so the text could differ from Kusto's; escape the \
             metacharacters with `replace_regex`",
    },
    Refusal {
        names: &["parse_version"],
        reason: "its decimal reaches 10^32 (four parts of eight digits), beyond torhunt's decimal (38 \
             digits, 18 of them after the point); compare versions part by part with \
             `split(v, \".\")` and `toint`",
    },
    Refusal {
        names: &["parse_xml"],
        reason: "it converts XML to JSON with Json.NET's mapping (arrays for repeated elements, \
             `@attribute` and `#text` keys, namespaces, whitespace), which the docs give only by example; \
             take values out of the XML text with `extract` or `parse`",
    },
    Refusal {
        names: &["parse_urlquery", "parseurlquery"],
        reason: "not implemented in torhunt yet; `parse_url` is, and its \"Query Parameters\" property \
             holds a URL's query as a bag",
    },
    Refusal {
        names: &["base64_decode_toguid"],
        reason: "its docs example keeps the GUID's third field in RFC order while \
             `base64_encode_fromguid`'s swaps it as .NET does, so which bytes Kusto reads is not known; \
             `base64_decode_toarray` gives the bytes",
    },
    Refusal {
        names: &["assert"],
        reason: "not implemented in torhunt yet (it would fail the query when a constant condition is \
             false); check the condition with `print` or `where`",
    },
    Refusal {
        names: &["bag_set_key"],
        reason: "not implemented in torhunt yet; `bag_merge(bag_pack(key, value), bag)` sets a \
             top-level key (the first bag's value wins)",
    },
    Refusal {
        names: &["column_names_of"],
        reason: "not implemented in torhunt yet; `T | getschema | summarize make_list(ColumnName)` \
             lists a table's columns",
    },
    Refusal {
        names: &["convert_energy", "convert_temperature", "convert_volume"],
        reason: "not implemented in torhunt yet; `convert_length`, `convert_mass`, `convert_speed`, \
             `convert_force` and `convert_angle` are, and arithmetic converts between units",
    },
    Refusal {
        names: &["weekofyear"],
        reason: "deprecated, and not the same count as `week_of_year`: the docs say its week 1 was the \
             week holding the year's first Wednesday, but not on which day its weeks start; use \
             `week_of_year` (ISO 8601 weeks)",
    },
    Refusal {
        names: &["indexof_regex"],
        reason: "not implemented in torhunt yet; `extract` with a capture group around the match, and \
             `indexof` of what it returns, finds the position",
    },
    Refusal {
        names: &["ipv4_range_to_cidr_list", "ipv6_is_in_any_range"],
        reason: "not implemented in torhunt yet; `ipv4_is_in_range`, `ipv4_is_in_any_range`, \
             `ipv6_is_match` and `parse_ipv4_mask` are",
    },
    Refusal {
        names: &["isutf8"],
        reason: "torhunt reads every string as UTF-8 text, so whether the source bytes were valid \
             UTF-8 is no longer known when a query runs",
    },
    Refusal {
        names: &["replace_strings"],
        reason: "not implemented in torhunt yet; nest `replace_string` calls (Kusto's replaces all \
             lookups at once, so overlapping lookups can differ)",
    },
    Refusal {
        names: &["row_rank"],
        reason: "deprecated, and the docs no longer describe its second argument; use \
             `row_rank_dense` or `row_rank_min`",
    },
    Refusal {
        names: &["treepath"],
        reason: "not implemented in torhunt yet; `bag_keys` lists a bag's keys level by level",
    },
];

const AGGREGATES: &[Refusal] = &[
    Refusal {
        names: &["make_dictionary", "passthrough"],
        reason: INTERNAL,
    },
    Refusal {
        names: &[
            "hll",
            "hll_if",
            "hll_merge",
            "tdigest",
            "tdigest_merge",
            "merge_tdigest",
        ],
        reason: SKETCH,
    },
    Refusal {
        names: &["argmax", "argmin"],
        reason: "deprecated forms of `arg_max`/`arg_min` that name their columns differently \
             (`max_X`, `max_X_Y`); use `arg_max`/`arg_min` and `project-rename`",
    },
    Refusal {
        names: &["buildschema"],
        reason: "the type names it gives JSON values (int or long, real or decimal) follow Kusto's \
             internal dynamic representation, which the docs show only by example; list the keys with \
             `summarize make_set(bag_keys(x))`",
    },
];

const PLUGINS: &[Refusal] = &[
    Refusal {
        names: &["python", "r", "csharp"],
        reason: "it runs code written inside the query (Python, R or C#); torhunt never executes code from \
             a query, which may come from an untrusted rule",
    },
    Refusal {
        names: &[
            "sql_request",
            "mysql_request",
            "postgresql_request",
            "cosmosdb_sql_request",
            "azure_digital_twins_query_request",
            "http_request",
            "http_request_post",
            "dax_request",
            "ai_chat_completion",
            "ai_chat_completion_prompt",
            "ai_embeddings",
            "ai_embed_text",
        ],
        reason: "it queries an external service; torhunt runs offline on files: export that data and read \
             it with --data or `externaldata`",
    },
    Refusal {
        names: &[
            "execute_query",
            "execute_show_command",
            "estimate_rows_count",
            "external_datatable",
            "infer_storage_schema",
            "infer_storage_schema_with_suggestions",
        ],
        reason: CLUSTER_STATE,
    },
    Refusal {
        names: &["identity", "identity_v3"],
        reason: INTERNAL,
    },
    Refusal {
        names: &[
            "active_users_count",
            "activity_counts_metrics",
            "activity_engagement",
            "activity_metrics",
            "new_activity_metrics",
            "session_count",
            "sliding_window_counts",
            "funnel_sequence",
            "funnel_sequence_completion",
            "rolling_percentile",
            "dcount_intersect",
        ],
        reason: ANALYTICS,
    },
    Refusal {
        names: &["geo_line_lookup"],
        reason: GEOMETRY,
    },
    Refusal {
        names: &["pivot"],
        reason: "its output columns are the values found in the data, and torhunt types every query \
             before reading any (as `torhunt check` does); use `summarize ... by` both columns, or \
             `make_bag(bag_pack(key, value))` and `bag_unpack` with an output schema",
    },
    Refusal {
        names: &["narrow"],
        reason: "not implemented in torhunt yet; `extend p = pack_all() | mv-expand kind=array p` gives \
             the column/value pairs",
    },
    Refusal {
        names: &["preview"],
        reason: "it returns two tables (the rows and their count) and a torhunt query returns one; use \
             `take` and `count`",
    },
    Refusal {
        names: &["rows_near", "sequence_detect"],
        reason: "not implemented in torhunt yet; the `scan` operator matches sequences of rows, and \
             `prev`/`next` over serialized rows reach neighbouring rows",
    },
    Refusal {
        names: &["autocluster", "basket", "diffpatterns"],
        reason: "the docs do not specify its pattern-mining algorithm, so no answer could be checked \
             (as for `reduce`)",
    },
];

/// The reason torhunt refuses a built-in, or `None` when it does not refuse it on purpose.
pub fn reason(kind: BuiltinKind, name: &str) -> Option<&'static str> {
    let table = match kind {
        BuiltinKind::Function => FUNCTIONS,
        BuiltinKind::Aggregate => AGGREGATES,
        BuiltinKind::Plugin => PLUGINS,
    };
    table
        .iter()
        .find(|refusal| refusal.names.contains(&name))
        .map(|refusal| refusal.reason)
}

/// The refusal of a built-in refused on purpose, pointing at its name.
pub(crate) fn refuse(kind: BuiltinKind, name: &str, span: Span) -> Option<Diagnostic> {
    let reason = reason(kind, name)?;
    let what = match kind {
        BuiltinKind::Plugin => format!("the `{name}` plugin"),
        BuiltinKind::Aggregate => format!("aggregate function `{name}`"),
        BuiltinKind::Function => format!("function `{name}`"),
    };
    Some(Diagnostic::new(
        DiagnosticKind::NotSupported,
        format!("not supported: {what}: {reason}"),
        span,
    ))
}
