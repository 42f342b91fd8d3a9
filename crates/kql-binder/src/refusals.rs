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
];

const AGGREGATES: &[Refusal] = &[Refusal {
    names: &["make_dictionary", "passthrough"],
    reason: INTERNAL,
}];

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
