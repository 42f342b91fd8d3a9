//! No input makes the parser panic or overflow the stack; past the nesting limit it answers with a
//! diagnostic. Inputs found by fuzzing (`fuzz/`) are kept here as regressions.

use kql_syntax::{DiagnosticKind, MAX_NESTING};

use crate::support::located;

/// Parses `source` on a thread with a small stack (a tokio worker has 2 MiB), any error as its message
/// and position.
fn parse_on_small_stack(source: String) -> Result<(), String> {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || match kql_syntax::parse(&source) {
            Ok(query) => {
                drop(query);
                Ok(())
            }
            Err(diagnostics) => Err(located(&diagnostics[0], &source)),
        })
        .expect("spawn")
        .join()
        .expect("the parser does not panic")
}

/// Shapes of nesting, each as (prefix, middle, suffix) repeated around a `1`.
const NESTINGS: &[(&str, &str)] = &[
    ("(", ")"),
    ("f(", ")"),
    ("-(", ")"),
    ("dynamic([", "])"),
    ("toscalar(print ", ")"),
    ("x in (", ")"),
    ("a[", "]"),
];

fn nested(open: &str, close: &str, depth: usize) -> String {
    format!("print {}1{}", open.repeat(depth), close.repeat(depth))
}

#[test]
fn realistic_nesting_parses() {
    for (open, close) in NESTINGS {
        let source = nested(open, close, 30);
        parse_on_small_stack(source.clone()).unwrap_or_else(|e| panic!("{source}: {e}"));
    }
}

#[test]
fn excessive_nesting_is_a_diagnostic_not_a_crash() {
    for (open, close) in NESTINGS {
        for depth in [MAX_NESTING, 100_000] {
            let error = parse_on_small_stack(nested(open, close, depth)).expect_err("too deep");
            assert!(error.contains("nests too deeply"), "{open}: {error}");
        }
    }
}

#[test]
fn long_chains_stay_within_the_limit() {
    let terms = vec!["x == 1"; MAX_NESTING / 2].join(" or ");
    parse_on_small_stack(format!("T | where {terms}")).expect("a long `or` chain parses");
    let stages = vec!["where x > 1"; MAX_NESTING / 2].join(" | ");
    parse_on_small_stack(format!("T | {stages}")).expect("a long pipeline parses");
    let error =
        parse_on_small_stack(format!("print {}", vec!["1"; 100_000].join("+"))).expect_err("too long");
    assert!(error.contains("nests too deeply"), "{error}");
}

#[test]
fn odd_inputs_never_panic() {
    let inputs = [
        "",
        ";",
        "|",
        "T |",
        "let",
        "let x",
        "let x =",
        "let f = (",
        "let f = (a:",
        "print é",
        "print 'é",
        "print ```",
        "datetime(",
        "print datetime(2017",
        "T | join",
        "T | join (U",
        "T | join (U) on",
        "print dynamic(",
        "print dynamic({",
        "print dynamic({'a'",
        "print x between (1",
        "T | parse x with",
        "T | scan with (step",
        "print h",
        "print @",
        "print 1e",
        "print 0x",
        "print 0xFFFFFFFFFFFFFFFFFF",
        "print int(99999999999)",
        "print real(-",
        "['",
        "[",
        "print a.",
        "T | mv-apply x on (",
        "print -",
        "T | top-nested",
        "T | render",
        "T | render x with (",
        "union",
        "range x from 1 to",
        "\u{200B}",
        "print 'a' 'b",
        "T | project-rename a",
        "T | fork",
        "T | partition by x",
        "T | make-series",
    ];
    for input in inputs {
        if let Err(diagnostics) = kql_syntax::parse(input) {
            let diagnostic = &diagnostics[0];
            assert!(
                diagnostic.span.end <= input.len(),
                "{input:?}: span {:?}",
                diagnostic.span
            );
            assert!(matches!(
                diagnostic.kind,
                DiagnosticKind::Syntax | DiagnosticKind::NotSupported
            ));
            // Callers slice the query with the span.
            assert!(
                input.is_char_boundary(diagnostic.span.start) && input.is_char_boundary(diagnostic.span.end),
                "{input:?}: span {:?}",
                diagnostic.span
            );
        }
    }
}
