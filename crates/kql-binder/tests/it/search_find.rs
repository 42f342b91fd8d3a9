//! `search`, `find`, `sample`, `sample-distinct` and `invoke`: result schemas as Kusto.Language
//! reports them over the tables of the `find` docs' examples, and the refusals' messages and spans.

use std::collections::BTreeMap;

use kql_binder::catalog::Column;
use kql_syntax::{Diagnostic, DiagnosticKind};
use kql_types::KustoType::{self, Long, String};

use crate::support::{TestCatalog, error, error_with, schema, schema_with};

/// EventsTable1 and EventsTable2 of the `find` docs, and a third table sharing only `Level`.
fn event_tables() -> TestCatalog {
    let table = |spec: &[(&str, KustoType)]| spec.iter().map(|(n, t)| Column::new(*n, *t)).collect();
    let mut tables = BTreeMap::new();
    tables.insert(
        "EventsTable1".to_string(),
        table(&[
            ("Session_Id", String),
            ("Level", String),
            ("EventText", String),
            ("Version", String),
        ]),
    );
    tables.insert(
        "EventsTable2".to_string(),
        table(&[
            ("Session_Id", String),
            ("Level", String),
            ("EventText", String),
            ("EventName", String),
        ]),
    );
    tables.insert("Nums".to_string(), table(&[("A", Long), ("Level", String)]));
    TestCatalog { tables }
}

fn event_schema(text: &str) -> Vec<std::string::String> {
    schema_with(&event_tables(), text)
}

fn event_error(text: &str) -> Diagnostic {
    error_with(&event_tables(), text)
}

/// The text a diagnostic's span covers.
fn spanned<'t>(text: &'t str, diagnostic: &Diagnostic) -> &'t str {
    &text[diagnostic.span.start..diagnostic.span.end]
}

#[test]
fn search_outputs_table_then_union_columns() {
    // Every table, in name order, merged as `union` merges them; `$table` first.
    assert_eq!(
        event_schema("search \"x\""),
        [
            "$table:string",
            "Session_Id:string",
            "Level:string",
            "EventText:string",
            "Version:string",
            "EventName:string",
            "A:long"
        ]
    );
    assert_eq!(
        event_schema("search in (EventsTable2, Nums) \"x\""),
        [
            "$table:string",
            "Session_Id:string",
            "Level:string",
            "EventText:string",
            "EventName:string",
            "A:long"
        ]
    );
    assert_eq!(
        event_schema("Nums | search A > 1"),
        ["$table:string", "A:long", "Level:string"]
    );
}

#[test]
fn find_schemas_follow_project_smart_and_project() {
    // Common columns, then the predicate's other columns, then `pack_` for what is left.
    assert_eq!(
        event_schema("find \"x\""),
        ["source_:string", "Level:string", "pack_:dynamic"]
    );
    // Only Nums has `A`: the other tables are left out, and nothing is left to pack.
    assert_eq!(
        event_schema("find where A > 1"),
        ["source_:string", "A:long", "Level:string"]
    );
    assert_eq!(
        event_schema("find where A > 1 or Version has \"v\""),
        [
            "source_:string",
            "Level:string",
            "A:long",
            "Version:string",
            "pack_:dynamic"
        ]
    );
    assert_eq!(
        event_schema("find withsource=T where Level == \"x\" project Level, A"),
        ["T:string", "Level:string", "A:long"]
    );
    assert_eq!(
        event_schema("find in (Nums) where A > 1 project A:string"),
        ["source_:string", "A:string"]
    );
    assert_eq!(
        event_schema("find where Level == \"x\" project pack_all()"),
        ["source_:string", "pack_:dynamic"]
    );
}

#[test]
fn find_and_search_refusals_name_the_feature() {
    let text = "find in (EventsTable1) where Level == \"x\" project EventText, pack_all()";
    let diagnostic = event_error(text);
    assert_eq!(diagnostic.kind, DiagnosticKind::NotSupported);
    assert!(
        diagnostic.message.contains("pack_all()"),
        "{}",
        diagnostic.message
    );
    assert_eq!(spanned(text, &diagnostic), "pack_all()");

    let text = "EventsTable1 | find where Level == \"x\"";
    let diagnostic = event_error(text);
    assert_eq!(diagnostic.kind, DiagnosticKind::NotSupported);
    assert!(
        diagnostic.message.contains("`find` after a pipe"),
        "{}",
        diagnostic.message
    );
    assert_eq!(spanned(text, &diagnostic), "find where Level == \"x\"");

    let text = "find in (EventsTable1) where 1 == 1";
    let diagnostic = event_error(text);
    assert_eq!(diagnostic.kind, DiagnosticKind::NotSupported);
    assert_eq!(spanned(text, &diagnostic), "1 == 1");

    let text = "find datascope=hotcache in (EventsTable1) where Level == \"x\"";
    let diagnostic = event_error(text);
    assert!(diagnostic.message.contains("datascope"), "{}", diagnostic.message);
    assert_eq!(spanned(text, &diagnostic), "datascope=hotcache");

    // A column with two types across the tables would become one column per type.
    let mut catalog = event_tables();
    catalog
        .tables
        .insert("Other".to_string(), vec![Column::new("Level", Long)]);
    let text = "find in (Nums, Other) where Level == 1";
    let diagnostic = error_with(&catalog, text);
    assert!(
        diagnostic
            .message
            .contains("`Level` has several types (string, long)"),
        "{}",
        diagnostic.message
    );

    let text = "EventsTable1 | search in (Nums) \"x\"";
    let diagnostic = event_error(text);
    assert!(
        diagnostic.message.contains("piped input"),
        "{}",
        diagnostic.message
    );
    assert_eq!(spanned(text, &diagnostic), "Nums");

    let text = "search kind=whole_words \"x\"";
    assert_eq!(spanned(text, &event_error(text)), "kind=whole_words");

    // A search over every table cannot know where a view's columns go.
    let text = "let v = view () { Nums }; search \"x\"";
    let diagnostic = event_error(text);
    assert!(diagnostic.message.contains("view `v`"), "{}", diagnostic.message);
    assert_eq!(spanned(text, &diagnostic), "search \"x\"");
}

#[test]
fn sample_and_invoke_schemas() {
    assert_eq!(
        schema("DeviceInfo | sample 3"),
        [
            "Timestamp:datetime",
            "DeviceId:string",
            "DeviceName:string",
            "PublicIP:string"
        ]
    );
    assert_eq!(
        schema("DeviceInfo | sample-distinct 3 of DeviceName"),
        ["DeviceName:string"]
    );
    let text = "DeviceInfo | sample-distinct 3 of tolower(DeviceName)";
    assert_eq!(spanned(text, &error(text)), "tolower(DeviceName)");
    let text = "DeviceInfo | sample-distinct 3 of DeviceNam";
    assert!(error(text).message.contains("did you mean `DeviceName`"));
    assert_eq!(
        schema(
            "let f = (T:(DeviceName:string), n:long) { T | take n | project DeviceName }; DeviceInfo | invoke f(2)"
        ),
        ["DeviceName:string"]
    );
    let text = "let f = (n:long) { print n }; DeviceInfo | invoke f(2)";
    let diagnostic = error(text);
    assert!(
        diagnostic.message.contains("not tabular"),
        "{}",
        diagnostic.message
    );
    let text = "DeviceInfo | invoke nosuch(2)";
    assert_eq!(spanned(text, &error(text)), "nosuch");
}

#[test]
fn only_terms_make_find_look_in_every_table() {
    // A string compared with `==` is no term: tables without `Version` are left out.
    assert_eq!(
        event_schema("find where Version == \"v1\""),
        [
            "source_:string",
            "Session_Id:string",
            "Level:string",
            "EventText:string",
            "Version:string"
        ]
    );
    assert_eq!(
        event_schema("find where Version == \"v1\" or * has \"x\""),
        [
            "source_:string",
            "Level:string",
            "Version:string",
            "pack_:dynamic"
        ]
    );
}
