//! Semantic errors point at the text, suggest fixes, and unimplemented features are refused.

use kql_syntax::DiagnosticKind;

use crate::support::error;

#[test]
fn unknown_column_suggests_the_closest_name() {
    let text = "DeviceNetworkEvents | where RemoteUrll has 'tor'";
    let diagnostic = error(text);
    assert_eq!(diagnostic.kind, DiagnosticKind::UnknownName);
    assert_eq!(
        diagnostic.message,
        "unknown column `RemoteUrll`; did you mean `RemoteUrl`?"
    );
    assert_eq!(&text[diagnostic.span.start..diagnostic.span.end], "RemoteUrll");
}

#[test]
fn unknown_table_and_function() {
    let diagnostic = error("DeviceNetworkEvent | take 1");
    assert_eq!(diagnostic.kind, DiagnosticKind::UnknownName);
    assert!(
        diagnostic.message.contains("did you mean `DeviceNetworkEvents`"),
        "{}",
        diagnostic.message
    );
    // An unknown function may be a Kusto function torhunt lacks: refused, with a hint for typos.
    let diagnostic = error("DeviceInfo | project tolowr(DeviceName)");
    assert_eq!(diagnostic.kind, DiagnosticKind::NotSupported);
    assert_eq!(diagnostic.help.as_deref(), Some("did you mean `tolower`?"));
}

#[test]
fn wrong_argument_count_and_type() {
    let diagnostic = error("DeviceInfo | project strlen(DeviceName, 1)");
    assert_eq!(diagnostic.kind, DiagnosticKind::Type);
    let diagnostic = error("DeviceInfo | project strlen(Timestamp)");
    assert_eq!(diagnostic.kind, DiagnosticKind::Type);
    let diagnostic = error("DeviceInfo | where DeviceName");
    assert_eq!(diagnostic.kind, DiagnosticKind::Type);
}

#[test]
fn unimplemented_operators_are_refused_not_guessed() {
    for (text, what) in [
        (
            "DeviceInfo | make-series count() on Timestamp step 1h",
            "`make-series` without both `from` and `to` (bounds taken from the data)",
        ),
        (
            "DeviceInfo | reduce by DeviceName",
            "`reduce`: Kusto's pattern-mining algorithm (which tokens become `*`, how patterns are merged \
             under `threshold`) is not specified precisely enough to give its answer",
        ),
        (
            "DeviceInfo | evaluate some_future_plugin(DeviceName)",
            "the `some_future_plugin` plugin",
        ),
        // Its columns depend on the data, which a catalog that cannot run queries does not see.
        (
            "DeviceInfo | extend d = bag_pack('a', 1) | evaluate bag_unpack(d)",
            "bag_unpack without an output schema here (add `: (Col:type, ...)`)",
        ),
        (
            "DeviceInfo | project x = some_future_function(DeviceName)",
            "function `some_future_function`",
        ),
    ] {
        let diagnostic = error(text);
        assert_eq!(diagnostic.kind, DiagnosticKind::NotSupported, "{text}");
        assert_eq!(diagnostic.message, format!("not supported yet: {what}"), "{text}");
    }
}

/// A Kusto built-in torhunt does not implement is refused with why and what to use instead.
#[test]
fn refused_builtins_say_why() {
    let diagnostic = error("DeviceInfo | evaluate pivot(DeviceName)");
    assert_eq!(diagnostic.kind, DiagnosticKind::NotSupported);
    assert!(
        diagnostic
            .message
            .starts_with("not supported: the `pivot` plugin: its output columns are the values")
            && diagnostic.message.contains("bag_unpack"),
        "{}",
        diagnostic.message
    );
    let diagnostic = error("DeviceInfo | summarize hll(DeviceId)");
    assert!(
        diagnostic.message.contains("sketch format is Kusto-internal"),
        "{}",
        diagnostic.message
    );
}

#[test]
fn gettype_of_dynamic_and_extract_without_a_type_literal_are_refused() {
    // A dynamic value's type depends on the row ("array", "dictionary", ...): not a static answer.
    let diagnostic = error("print gettype(dynamic([1]))");
    assert_eq!(diagnostic.kind, DiagnosticKind::NotSupported);
    let diagnostic = error("print extract('(a)', 1, 'a', 'long')");
    assert!(
        diagnostic.message.contains("typeof(long)"),
        "{}",
        diagnostic.message
    );
}

#[test]
fn tables_kept_elsewhere_are_refused_with_the_place() {
    for (text, place) in [
        ("database('Other').DeviceInfo | count", "database"),
        ("union DeviceInfo, database('Db*').*Events", "database"),
        ("workspace('soc').DeviceInfo | take 1", "workspace"),
        ("arg('').Resources | count", "arg"),
    ] {
        let diagnostic = error(text);
        assert_eq!(diagnostic.kind, DiagnosticKind::NotSupported, "{text}");
        assert_eq!(&text[diagnostic.span.start..diagnostic.span.end], place, "{text}");
    }
}

/// `parse-kv` forms its page does not describe are refused as not supported, naming the form; an
/// invalid regex and a key listed twice are errors.
#[test]
fn parse_kv_refuses_undocumented_forms() {
    let with = |options: &str| {
        error(&format!(
            "DeviceInfo | parse-kv DeviceName as (a:long) with ({options})"
        ))
    };
    for (options, named) in [
        (
            "pair_delimiter='||', kv_delimiter='='",
            "`pair_delimiter` of 2 characters",
        ),
        (
            "kv_delimiter='='",
            "only one of `pair_delimiter` and `kv_delimiter`",
        ),
        (
            "pair_delimiter=',', kv_delimiter='=', escape='\\\\'",
            "`escape` without `quote`",
        ),
        ("quote='\"', escape='\"'", "also a `quote` character"),
        (
            "pair_delimiter=',', kv_delimiter='=', quote=','",
            "`quote` character that is also a delimiter",
        ),
        ("regex='(a)=(b)', quote='\"'", "`quote` with `regex`"),
        ("greedy=true", "`greedy` in `parse-kv` without"),
    ] {
        let diagnostic = with(options);
        assert_eq!(diagnostic.kind, DiagnosticKind::NotSupported, "{options}");
        assert!(
            diagnostic.message.contains(named),
            "{options}: {}",
            diagnostic.message
        );
    }
    let diagnostic = with("regex='(a)=b'");
    assert_eq!(diagnostic.kind, DiagnosticKind::Semantic);
    assert!(
        diagnostic.message.contains("has 1 capturing groups"),
        "{}",
        diagnostic.message
    );
    let diagnostic = with("quote='abc'");
    assert!(
        diagnostic.message.contains("one character, or two"),
        "{}",
        diagnostic.message
    );
    let diagnostic = error("DeviceInfo | parse-kv DeviceName as (a:long, a:string)");
    assert!(
        diagnostic.message.contains("listed twice"),
        "{}",
        diagnostic.message
    );
    let diagnostic = error("DeviceInfo | parse-kv Timestamp as (a:long)");
    assert_eq!(diagnostic.kind, DiagnosticKind::Type);
}
