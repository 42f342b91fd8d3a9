//! The built-in ledger, `docs/kql-coverage.md`: every scalar function, aggregate and plugin in
//! Kusto.Language's catalog, with what torhunt does with it (implemented, or refused and why) and the
//! documentation page checked for it.
//!
//! `kql-catalog.js` (beside this crate's tests) lists the catalog and, for each built-in, a probe query
//! that Kusto.Language accepts and the type it gives the call. Each probe is planned here: planned means
//! implemented (and the result type must be Kusto.Language's), refused means the binder's reason is
//! what the ledger shows; any other error fails the test, as does a refusal without a reason, a catalog
//! name the ledger does not mention, or a ledger that differs from the generated one.
//!
//! Regenerate after changing a built-in:
//!     TORHUNT_UPDATE_LEDGER=1 cargo test -p torhunt-engine --test it coverage
//! Needs node and the oracle package (../shared/tools/kusto-oracle/install.sh); without them the test
//! skips, except under CI=true, where it fails.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::Command;
use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, BooleanArray, Decimal128Array, DurationNanosecondArray, Float64Array, Int32Array, Int64Array,
    RecordBatch, StringArray, TimestampNanosecondArray,
};
use datafusion::datasource::MemTable;
use kql_binder::catalog::Column;
use kql_syntax::DiagnosticKind;
use kql_types::KustoType;
use serde_json::Value;
use torhunt_engine::{CONFIGURED_FUNCTIONS, Engine, EngineConfig, RegisteredTable};

use crate::doc_cases::DOCS;

const LEDGER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/kql-coverage.md");
const CATALOG_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/kql-catalog.js");

/// One built-in of the catalog, as kql-catalog.js prints it.
struct Builtin {
    family: String,
    name: String,
    hidden: bool,
    alternative: Option<String>,
    /// Calls Kusto.Language accepts, each with the type it gives the call.
    probes: Vec<(String, Option<String>)>,
}

enum Status {
    /// At least one probe planned. `notes`: probes that did not (a partial implementation);
    /// `mismatches`: result types that differ from Kusto.Language's.
    Implemented {
        notes: Vec<String>,
        mismatches: Vec<String>,
    },
    Refused(String),
    /// A probe error that is not a refusal: the probe or torhunt is wrong; the test fails.
    Error(String),
}

#[test]
fn every_catalog_builtin_is_implemented_or_refused_with_a_reason() {
    let Some(catalog) = load_catalog() else { return };
    let engine = probe_engine();
    // The same engine with what configured functions read (`--geoip`).
    let configured = configured_probe_engine();
    let mut rows: BTreeMap<&str, Vec<(String, String, String)>> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for builtin in &catalog {
        let mut status = status_of(&engine, builtin);
        let mut condition = None;
        if let (Status::Refused(reason), Some(flag)) = (&status, configuring_flag(&builtin.name)) {
            condition = Some(format!(" when {flag} is given (without it, refused: {reason})"));
            status = status_of(&configured, builtin);
        }
        let family = family_heading(&builtin.family);
        let count = counts.entry(family).or_default();
        count.1 += 1;
        let text = match &status {
            Status::Implemented { notes, mismatches } => {
                count.0 += 1;
                let mut text = format!("implemented{}", condition.as_deref().unwrap_or(""));
                if !mismatches.is_empty() {
                    write!(text, "; result type differs: {}", mismatches.join("; ")).unwrap();
                }
                if !notes.is_empty() {
                    write!(text, "; not for {}", notes.join("; ")).unwrap();
                }
                text
            }
            Status::Refused(reason) => {
                if !has_reason(reason) {
                    problems.push(format!(
                        "{} `{}` is refused without a reason: {reason}",
                        builtin.family, builtin.name
                    ));
                }
                format!("refused: {reason}")
            }
            Status::Error(error) => {
                problems.push(format!(
                    "{} `{}`: no probe plans, and the error is not a refusal: {error}",
                    builtin.family, builtin.name
                ));
                format!("error: {error}")
            }
        };
        rows.entry(family).or_default().push((
            display_name(builtin),
            text.replace('|', "\\|").replace('\n', " "),
            documentation(builtin, matches!(status, Status::Implemented { .. })),
        ));
    }
    for entries in rows.values_mut() {
        entries.sort();
    }
    let ledger = render(&rows, &counts);
    let current = std::fs::read_to_string(LEDGER).unwrap_or_default();
    if std::env::var_os("TORHUNT_UPDATE_LEDGER").is_some() {
        std::fs::write(LEDGER, &ledger).expect("write docs/kql-coverage.md");
        println!("wrote {LEDGER}");
    } else {
        let missing: Vec<String> = catalog
            .iter()
            .filter(|b| !current.contains(&format!("| {} |", display_name(b))))
            .map(|b| format!("{} `{}`", b.family, b.name))
            .collect();
        assert!(
            missing.is_empty(),
            "docs/kql-coverage.md does not mention these catalog built-ins (regenerate it with \
             TORHUNT_UPDATE_LEDGER=1 cargo test -p torhunt-engine --test it coverage):\n{}",
            missing.join("\n")
        );
        assert!(
            current == ledger,
            "docs/kql-coverage.md is out of date; regenerate it with \
             TORHUNT_UPDATE_LEDGER=1 cargo test -p torhunt-engine --test it coverage\n{}",
            first_difference(&current, &ledger)
        );
    }
    assert!(
        problems.is_empty(),
        "built-in ledger problems:\n{}",
        problems.join("\n")
    );
}

/// The catalog from Kusto.Language, or `None` (with a note) where node or the package is missing;
/// under CI=true a missing oracle is a failure.
fn load_catalog() -> Option<Vec<Builtin>> {
    let output = Command::new("node").arg(CATALOG_SCRIPT).output();
    let output = match output {
        Ok(output) if output.status.success() => output,
        other => {
            let why = match other {
                Ok(output) => String::from_utf8_lossy(&output.stderr).into_owned(),
                Err(error) => format!("node: {error}"),
            };
            shared_fixtures::skip(format!(
                "the Kusto.Language catalog is not available ({}); install it with \
                 ../shared/tools/kusto-oracle/install.sh",
                why.trim()
            ));
            return None;
        }
    };
    let json: Value = serde_json::from_slice(&output.stdout).expect("kql-catalog.js prints JSON");
    let text = |v: &Value| v.as_str().map(str::to_string);
    Some(
        json.as_array()
            .expect("a JSON array")
            .iter()
            .map(|b| Builtin {
                family: text(&b["family"]).expect("family"),
                name: text(&b["name"]).expect("name"),
                hidden: b["hidden"].as_bool().unwrap_or(false),
                alternative: text(&b["alternative"]),
                probes: b["probes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| (text(&p["query"]).expect("probe query"), text(&p["type"])))
                    .collect(),
            })
            .collect(),
    )
}

/// An engine with the table `T` the probes read: one row, one column of each scalar type, named as
/// kql-catalog.js names them.
fn probe_engine() -> Engine {
    let mut engine = Engine::new(EngineConfig {
        threads: Some(1),
        now: Some(1_700_000_000_000_000_000),
        ..EngineConfig::default()
    })
    .expect("engine");
    let columns: Vec<(&str, KustoType, ArrayRef)> = vec![
        ("s", KustoType::String, Arc::new(StringArray::from(vec!["a"]))),
        ("l", KustoType::Long, Arc::new(Int64Array::from(vec![2]))),
        ("i", KustoType::Int, Arc::new(Int32Array::from(vec![2]))),
        ("r1", KustoType::Real, Arc::new(Float64Array::from(vec![1.5]))),
        (
            "m",
            KustoType::Decimal,
            Arc::new(
                Decimal128Array::from(vec![1_500_000_000_000_000_000])
                    .with_precision_and_scale(38, 18)
                    .unwrap(),
            ),
        ),
        ("b", KustoType::Bool, Arc::new(BooleanArray::from(vec![true]))),
        (
            "d",
            KustoType::DateTime,
            Arc::new(TimestampNanosecondArray::from(vec![1_704_164_645_000_000_000])),
        ),
        (
            "t",
            KustoType::TimeSpan,
            Arc::new(DurationNanosecondArray::from(vec![3_600_000_000_000])),
        ),
        (
            "g",
            KustoType::Guid,
            Arc::new(StringArray::from(vec!["74be27de-1e4e-49d9-b579-fe0b331d3642"])),
        ),
        (
            "y",
            KustoType::Dynamic,
            Arc::new(StringArray::from(vec!["[1,2,3]"])),
        ),
    ];
    let kusto: Vec<Column> = columns.iter().map(|(n, ty, _)| Column::new(*n, *ty)).collect();
    let fields: Vec<_> = kusto.iter().map(|c| c.ty.field(&c.name)).collect();
    let schema = Arc::new(datafusion::arrow::datatypes::Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), columns.into_iter().map(|(_, _, a)| a).collect())
        .expect("probe row");
    let table = MemTable::try_new(schema, vec![vec![batch]]).expect("probe table");
    engine.register_table(
        "T",
        RegisteredTable {
            provider: Arc::new(table),
            columns: kusto,
        },
    );
    engine
}

/// The flag that gives the engine what a configured function reads (`--geoip` for
/// `geo_info_from_ip_address`), for functions in [`CONFIGURED_FUNCTIONS`].
fn configuring_flag(name: &str) -> Option<&'static str> {
    CONFIGURED_FUNCTIONS
        .iter()
        .any(|signature| signature.name == name)
        .then_some("--geoip")
}

/// [`probe_engine`] with a location database loaded (written by `mmdb.rs`).
fn configured_probe_engine() -> Engine {
    let mut engine = probe_engine();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("city.mmdb");
    let record = crate::mmdb::city_record(Some("Australia"), None, None, None);
    std::fs::write(
        &path,
        crate::mmdb::write("GeoLite2-City", &[("20.53.203.0/24", record)]),
    )
    .expect("database written");
    engine.load_geoip(&path).expect("database loads");
    engine
}

/// The probes Kusto.Language accepted; for built-ins it has none for (graph functions, code plugins),
/// a bare call torhunt must refuse by name.
fn probe_queries(builtin: &Builtin) -> Vec<(String, Option<String>)> {
    if !builtin.probes.is_empty() {
        return builtin.probes.clone();
    }
    let bare = match builtin.family.as_str() {
        "plugin" => format!("T | evaluate {}()", builtin.name),
        "aggregate" => format!("T | summarize r = {}()", builtin.name),
        _ => format!("print r = {}()", builtin.name),
    };
    vec![(bare, None)]
}

/// The call a probe makes, for notes (`tolower(l)`).
fn call_of(query: &str) -> &str {
    query.rsplit_once(" r = ").map_or(query, |(_, call)| call)
}

fn status_of(engine: &Engine, builtin: &Builtin) -> Status {
    let mut planned = false;
    let mut notes = Vec::new();
    let mut mismatches = Vec::new();
    let mut refusal = None;
    let mut error = None;
    for (query, theirs) in probe_queries(builtin) {
        match engine.plan(&query) {
            Ok((columns, _)) => {
                planned = true;
                let column = columns.iter().find(|c| c.name == "r").or(columns.first());
                match (theirs, column) {
                    (Some(theirs), Some(column)) if theirs != column.ty.name() => {
                        mismatches.push(format!(
                            "`{}` is {}, Kusto.Language says {theirs}",
                            call_of(&query),
                            column.ty.name()
                        ));
                    }
                    (None, _) => notes.push(format!(
                        "`{}` plans although Kusto.Language rejects it",
                        call_of(&query)
                    )),
                    _ => {}
                }
            }
            Err(failure) => {
                let diagnostic = &failure.diagnostics[0];
                let mut message = diagnostic.message.clone();
                if let Some(help) = &diagnostic.help {
                    write!(message, " ({help})").unwrap();
                }
                notes.push(format!("`{}`: {message}", call_of(&query)));
                let slot = match diagnostic.kind {
                    DiagnosticKind::NotSupported => &mut refusal,
                    _ => &mut error,
                };
                slot.get_or_insert(message);
            }
        }
    }
    match (planned, refusal, error) {
        (true, _, _) => Status::Implemented { notes, mismatches },
        (false, Some(reason), _) => Status::Refused(reason),
        (false, None, error) => Status::Error(error.unwrap_or_default()),
    }
}

/// A refusal says why, beyond "not supported yet: function `x`": after what is refused, a colon and
/// text of its own ("not supported: function `x`: <reason>"); a "did you mean" hint is no reason.
fn has_reason(message: &str) -> bool {
    let what = message.split_once(": ").map_or(message, |(_, what)| what);
    what.split_once(':')
        .is_some_and(|(_, reason)| reason.trim().len() > 10)
}

fn family_heading(family: &str) -> &'static str {
    match family {
        "aggregate" => "Aggregation functions",
        "plugin" => "Plugins (evaluate)",
        _ => "Scalar and tabular functions",
    }
}

fn display_name(builtin: &Builtin) -> String {
    let mut name = format!("`{}`", builtin.name);
    match (&builtin.alternative, builtin.hidden) {
        (Some(alternative), _) => write!(
            name,
            " (deprecated: `{}`)",
            alternative.replace("' or '", "` or `")
        )
        .unwrap(),
        (None, true) => name.push_str(" (internal)"),
        _ => {}
    }
    name
}

/// Pages whose name does not follow `<name with dashes>-function` (`-aggregation-function` for
/// aggregates, `-plugin` for plugins), found in MicrosoftDocs/dataexplorer-docs; `None`: no page
/// documents the name (internal or undocumented functions; the refusal says so).
const PAGES: &[(&str, &str, Option<&str>)] = &[
    ("function", "entity_group", Some("macro-expand-operator")),
    ("function", "array_strcat", Some("strcat-array-function")),
    (
        "function",
        "to_utf8",
        Some("unicode-codepoints-from-string-function"),
    ),
    ("function", "extractall", Some("extract-all-function")),
    ("function", "extractjson", Some("extract-json-function")),
    ("function", "replace", Some("replace-regex-function")),
    (
        "function",
        "make_string",
        Some("unicode-codepoints-to-string-function"),
    ),
    (
        "function",
        "datetime_list_timezones",
        Some("datetime-list-timezones"),
    ),
    ("function", "todynamic", Some("parse-json-function")),
    ("function", "toobject", Some("parse-json-function")),
    ("function", "todouble", Some("toreal-function")),
    ("function", "totime", Some("totimespan-function")),
    ("function", "toboolean", Some("tobool-function")),
    (
        "function",
        "base64_encodestring",
        Some("base64-encode-tostring-function"),
    ),
    (
        "function",
        "base64_decodestring",
        Some("base64-decode-tostring-function"),
    ),
    (
        "function",
        "zlib_decompress_from_base64_string",
        Some("zlib-base64-decompress-function"),
    ),
    (
        "function",
        "zlib_compress_to_base64_string",
        Some("zlib-base64-compress-function"),
    ),
    (
        "function",
        "gzip_decompress_from_base64_string",
        Some("gzip-base64-decompress"),
    ),
    (
        "function",
        "gzip_compress_to_base64_string",
        Some("gzip-base64-compress"),
    ),
    ("function", "__lz4_compress_dynamic_array_to_base64_string", None),
    ("function", "parsejson", Some("parse-json-function")),
    ("function", "parseurl", Some("parse-url-function")),
    ("function", "parseurlquery", Some("parse-url-query-function")),
    ("function", "parse_urlquery", Some("parse-url-query-function")),
    ("function", "dayofweek", Some("day-of-week-function")),
    ("function", "dayofmonth", Some("day-of-month-function")),
    ("function", "dayofyear", Some("day-of-year-function")),
    ("function", "hourofday", Some("hour-of-day-function")),
    ("function", "weekofyear", Some("week-of-year-function")),
    ("function", "getmonth", Some("monthofyear-function")),
    ("function", "datepart", Some("datetime-part-function")),
    ("function", "__hash_crc32", None),
    ("function", "__hash_djb2", None),
    ("function", "__hash_xxh64", None),
    ("function", "__hash_many_crc32", None),
    ("function", "iif", Some("iff-function")),
    ("function", "floor", Some("bin-function")),
    ("function", "notnull", Some("isnotnull-function")),
    ("function", "notempty", Some("isnotempty-function")),
    ("function", "iscolumnexists", None),
    ("function", "isascii", Some("isascii")),
    ("function", "columnifexists", Some("column-ifexists-function")),
    ("function", "arraylength", Some("array-length-function")),
    ("function", "array_iif", Some("array-iff-function")),
    ("function", "pack_dictionary", Some("pack-function")),
    ("function", "bag_pack", Some("pack-function")),
    ("function", "set_equals", None),
    ("function", "bag_zip", Some("bag-zip")),
    (
        "function",
        "percentiles_array_tdigest",
        Some("percentile-array-tdigest-function"),
    ),
    ("function", "tdigest_isvalid", None),
    ("function", "hll_isvalid", None),
    ("function", "__hll_normalize", None),
    ("function", "__geo_polygon_s2cell_covering_level", None),
    ("function", "__geo_polygon_validate", None),
    ("function", "__geo_line_s2cell_covering_level", None),
    ("function", "__geo_line_validate", None),
    ("function", "__geo_length_to_s2cell_level", None),
    ("function", "all", Some("all-graph-function")),
    ("function", "any", Some("any-graph-function")),
    ("function", "map", Some("map-graph-function")),
    ("function", "inner_nodes", Some("inner-nodes-graph-function")),
    ("function", "node_id", Some("node-id")),
    ("function", "node_degree_in", Some("node-degree-in")),
    ("function", "node_degree_out", Some("node-degree-out")),
    ("function", "labels", Some("labels-graph-function")),
    ("function", "__ipv6_lookup_ranges", None),
    ("function", "extentid", Some("extent-id-function")),
    ("function", "current_node_id", None),
    ("function", "row_id", None),
    ("function", "cursor_current", Some("cursor-current")),
    ("function", "current_cursor", Some("cursor-current")),
    ("function", "row_rank", Some("row-rank-dense-function")),
    ("function", "rowstore_ordinal_range", None),
    ("function", "__invoke", None),
    ("function", "__cast", None),
    (
        "function",
        "tdigest_merge",
        Some("tdigest-merge-aggregation-function"),
    ),
    (
        "aggregate",
        "merge_tdigest",
        Some("tdigest-merge-aggregation-function"),
    ),
    ("aggregate", "cnt", Some("count-aggregation-function")),
    ("aggregate", "makelist", Some("make-list-aggregation-function")),
    ("aggregate", "makeset", Some("make-set-aggregation-function")),
    (
        "aggregate",
        "make_dictionary",
        Some("make-bag-aggregation-function"),
    ),
    ("aggregate", "passthrough", None),
    (
        "aggregate",
        "percentile",
        Some("percentiles-aggregation-function"),
    ),
    (
        "aggregate",
        "percentiles_array",
        Some("percentiles-aggregation-function"),
    ),
    (
        "aggregate",
        "percentilew",
        Some("percentilesw-aggregation-function"),
    ),
    (
        "aggregate",
        "percentilesw_array",
        Some("percentilesw-aggregation-function"),
    ),
    ("aggregate", "any", Some("take-any-aggregation-function")),
    ("aggregate", "anyif", Some("take-anyif-aggregation-function")),
    ("aggregate", "argmin", Some("arg-min-aggregation-function")),
    ("aggregate", "argmax", Some("arg-max-aggregation-function")),
    ("plugin", "cosmosdb_sql_request", Some("cosmosdb-plugin")),
    ("plugin", "csharp", None),
    ("plugin", "estimate_rows_count", None),
    ("plugin", "execute_show_command", None),
    ("plugin", "execute_query", None),
    ("plugin", "external_datatable", None),
    ("plugin", "identity", None),
    ("plugin", "identity_v3", None),
    ("plugin", "dax_request", None),
    ("plugin", "ai_embed_text", Some("ai-embeddings-plugin")),
];

/// The page a built-in's documented behaviour was checked against: for a function whose page's
/// examples and edge cases are cases in `doc_cases`, that page and how many cases; otherwise its page,
/// where the binder's signature and result type were checked, and for an implemented one a note that
/// its values were not checked case by case yet.
fn documentation(builtin: &Builtin, implemented: bool) -> String {
    match crate::doc_cases::checked_pages().get(builtin.name.as_str()) {
        Some(pages) => pages
            .iter()
            .map(|(page, cases)| {
                let plural = if *cases == 1 { "" } else { "s" };
                format!("[{page}]({DOCS}{page}): {cases} documented case{plural}")
            })
            .collect::<Vec<_>>()
            .join("; "),
        None if implemented => format!("{}; values not checked case by case yet", doc_link(builtin)),
        None => doc_link(builtin),
    }
}

fn doc_link(builtin: &Builtin) -> String {
    let listed = PAGES
        .iter()
        .find(|(family, name, _)| *family == builtin.family && *name == builtin.name);
    let page = match listed {
        Some((_, _, Some(page))) => (*page).to_string(),
        Some((_, _, None)) => return "none (not in the Kusto reference)".to_string(),
        None => {
            let dashed = builtin.name.replace('_', "-");
            match builtin.family.as_str() {
                "aggregate" => format!("{dashed}-aggregation-function"),
                "plugin" => format!("{dashed}-plugin"),
                _ => format!("{dashed}-function"),
            }
        }
    };
    format!("[{page}]({DOCS}{page})")
}

fn render(
    rows: &BTreeMap<&str, Vec<(String, String, String)>>,
    counts: &BTreeMap<&str, (usize, usize)>,
) -> String {
    let mut out = String::from(
        "# KQL built-in coverage\n\n\
         Every scalar function, aggregation function and plugin in Kusto.Language's catalog (the npm package \
         behind `../shared/tools/kusto-oracle`: `Functions.All`, `Aggregates.All`, `PlugIns.All`), with what \
         torhunt does with it: *implemented* (a call Kusto.Language accepts is planned, with Kusto.Language's \
         result type) or *refused* with the error torhunt gives, and the Kusto documentation page the \
         behaviour was checked against. A page with *documented cases* was read whole and each of its \
         examples and documented edge cases is a test (`crates/engine/tests/it/doc_cases/`, one table per \
         family); the others were checked for the call's signature and result type only.\n\n\
         Generated by `crates/engine/tests/it/coverage.rs`; do not edit by hand. After changing a built-in, \
         regenerate it with `TORHUNT_UPDATE_LEDGER=1 cargo test -p torhunt-engine --test it coverage`.\n\n",
    );
    out.push_str(
        "| family | implemented | values checked against the page | refused | total |\n|---|---|---|---|---|\n",
    );
    for (family, (implemented, total)) in counts {
        let checked = rows[family]
            .iter()
            .filter(|(_, _, doc)| doc.contains(" documented case"))
            .count();
        writeln!(
            out,
            "| {family} | {implemented} | {checked} | {} | {total} |",
            total - implemented
        )
        .unwrap();
    }
    for (family, entries) in rows {
        write!(
            out,
            "\n## {family}\n\n| name | status | documentation |\n|---|---|---|\n"
        )
        .unwrap();
        for (name, status, doc) in entries {
            writeln!(out, "| {name} | {status} | {doc} |").unwrap();
        }
    }
    out
}

fn first_difference(current: &str, generated: &str) -> String {
    let mut old = current.lines();
    for (number, new) in generated.lines().enumerate() {
        match old.next() {
            Some(line) if line == new => {}
            Some(line) => return format!("line {}:\n  ledger:    {line}\n  generated: {new}", number + 1),
            None => return format!("line {}: missing from the ledger: {new}", number + 1),
        }
    }
    "the ledger has extra lines at the end".to_string()
}
