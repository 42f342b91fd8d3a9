//! Feeds arbitrary UTF-8 to the KQL parser: it must never panic, and every diagnostic must point inside
//! the text on character boundaries (callers slice the query with it; the CLI renders it).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|source: &str| {
    if let Err(diagnostics) = kql_syntax::parse(source) {
        assert!(
            !diagnostics.is_empty(),
            "an error comes with at least one diagnostic"
        );
        for diagnostic in &diagnostics {
            let span = diagnostic.span;
            assert!(
                span.start <= span.end && span.end <= source.len(),
                "span {span:?} outside the text"
            );
            assert!(source.is_char_boundary(span.start) && source.is_char_boundary(span.end));
        }
    }
});
