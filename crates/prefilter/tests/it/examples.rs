//! Hand-picked cases of what hides a needle and what does not.

use torhunt_prefilter::{Condition, CsvCandidates, Edge, Encoding, Prefilter};

fn prefilter(needles: &[(&str, bool)]) -> Prefilter {
    Prefilter::new(Condition::any(
        needles.iter().map(|(n, cs)| Condition::needle(n, *cs)),
    ))
    .unwrap()
}

#[test]
fn unicode_case_hazards() {
    let p = prefilter(&[("sKi", false)]);
    // U+212A lower-cases to k, U+0130 to i + U+0307: either may complete a case-insensitive needle.
    assert!(p.admits(Encoding::Text, "s\u{212a}i".as_bytes()));
    assert!(p.admits(Encoding::Json, br#"{"a":"s\u212Ai"}"#));
    assert!(p.admits(Encoding::Json, br#"{"a":"s\u212ai"}"#));
    assert!(p.admits(Encoding::Text, "sk\u{130}".as_bytes()));
    assert!(!p.admits(Encoding::Text, "s\u{131}x".as_bytes())); // dotless i lower-cases to itself
    let cs = prefilter(&[("sKi", true)]);
    assert!(!cs.admits(Encoding::Text, "s\u{212a}i".as_bytes()));
}

#[test]
fn json_escapes_in_values_and_keys() {
    let p = prefilter(&[("tor.exe", false)]);
    assert!(p.admits(Encoding::Json, br#"{"F":"\u0074or.exe"}"#));
    assert!(p.admits(Encoding::Json, br#"{"F":"TOR\u002EEXE"}"#));
    assert!(p.admits(Encoding::Json, br#"{"\u0046":"TOR.EXE"}"#));
    // Backslashes of Windows paths hide nothing from a needle without one.
    assert!(!p.admits(Encoding::Json, br#"{"F":"C:\\Windows\\torrent.exe"}"#));
    let slash = prefilter(&[("/tor/", true)]);
    assert!(slash.admits(Encoding::Json, br#"{"U":"http:\/\/x\/tor\/"}"#));
    // Around `"` and `\` only the longest piece is searched on JSON.
    let quote = prefilter(&[("say \"hello\"", true)]);
    assert!(quote.admits(Encoding::Json, br#"{"C":"say \"hello\""}"#));
    assert!(!quote.admits(Encoding::Json, br#"{"C":"say hi"}"#));
    let backslash = prefilter(&[(r"\temp\", false)]);
    assert!(backslash.admits(Encoding::Json, br#"{"P":"C:\\TEMP\\x"}"#));
    assert!(backslash.admits(Encoding::Json, br#"{"P":["C:\\TEMP\\x"]}"#));
    assert!(!backslash.admits(Encoding::Json, br#"{"P":"C:\\Windows\\x"}"#));
}

#[test]
fn reserialized_escapes_can_create_letters() {
    // A string column given an array is re-serialized: the newline inside becomes `\n`, so `has "n"`
    // may hold although the raw record has no `n`.
    let p = prefilter(&[("\\n", true)]);
    assert!(p.admits(Encoding::Json, br#"{"C":["a\u000ab"]}"#));
}

#[test]
fn numbers_and_structure_are_not_tested_on_json() {
    // `1E2` reads as "100.0" in a string column.
    assert!(prefilter(&[("100.0", true)]).admits(Encoding::Json, br#"{"C":1E2}"#));
    assert!(prefilter(&[("a\",\"b", true)]).admits(Encoding::Json, br#"{"C":["a", "b"]}"#));
    // Addresses have too many dots to be part of a number.
    assert!(!prefilter(&[("10.1.2.3", true)]).admits(Encoding::Json, br#"{"C":"10.1.2.4","D":10.1}"#));
    // ... but they are on text.
    assert!(!prefilter(&[("100.0", true)]).admits(Encoding::Text, b"1E2"));
}

#[test]
fn and_or_trees() {
    let condition = Condition::all([
        Condition::needle("tor", false),
        Condition::any([Condition::needle("9001", true), Condition::needle("9030", true)]),
    ]);
    let p = Prefilter::new(condition).unwrap();
    assert!(!p.admits(Encoding::Text, b"tor 443"));
    assert!(!p.admits(Encoding::Text, b"tcp 9001"));
    assert!(p.admits(Encoding::Text, b"TOR 9030"));
    assert_eq!(p.to_string(), r#"(~"tor" and ("9001" or "9030"))"#);
}

#[test]
fn unknown_parts() {
    assert!(
        Prefilter::new(Condition::any([
            Condition::needle("a", false),
            Condition::Unknown
        ]))
        .is_none()
    );
    assert!(Prefilter::new(Condition::needle("", false)).is_none());
    assert!(Prefilter::new(Condition::needle("é", true)).is_none());
    let p = Prefilter::new(Condition::all([
        Condition::needle("abc", false),
        Condition::Unknown,
    ]))
    .unwrap();
    assert!(!p.admits(Encoding::Text, b"xyz"));
}

/// One prefilter tests a scan's records one after another (and two prefilters take turns on a
/// thread): what one record found never counts for the next.
#[test]
fn records_are_tested_independently() {
    let both = Prefilter::new(Condition::all([
        Condition::needle("alpha", true),
        Condition::needle("beta", false),
    ]))
    .unwrap();
    let keys = Prefilter::new(Condition::any(
        (0..200).map(|i| Condition::needle(&format!("10.0.{i}.1"), true)),
    ))
    .unwrap();
    for _ in 0..2 {
        assert!(both.admits(Encoding::Text, b"alpha BETA"));
        assert!(!both.admits(Encoding::Text, b"alpha"));
        assert!(!both.admits(Encoding::Text, b"beta"));
        assert!(keys.admits(Encoding::Json, br#"{"RemoteIP":"10.0.7.1"}"#));
        assert!(!keys.admits(Encoding::Json, br#"{"RemoteIP":"10.0.7.2"}"#));
        // An escape may hide a key's digit: admitted, and the marks it left are cleared.
        assert!(keys.admits(Encoding::Json, br#"{"RemoteIP":"10.0.7.\u0031"}"#));
        assert!(!keys.admits(Encoding::Json, br#"{"RemoteIP":"192.0.2.1"}"#));
        assert!(!both.admits(Encoding::Json, br#"{"a":"alp\u0068a"}"#));
        assert!(both.admits(Encoding::Json, br#"{"a":"alp\u0068a","b":"beta"}"#));
        assert!(!both.admits(Encoding::Json, br#"{"a":"beta"}"#));
    }
}

#[test]
fn placement_at_terms_and_value_edges() {
    let placed = |needle: &str, start, end| {
        Prefilter::new(Condition::placed_needle(needle, false, start, end)).unwrap()
    };
    let has = placed("torrent", Edge::Term, Edge::Term);
    // A longer term holding the needle cannot satisfy `has`; a separator beside it can, however written.
    assert!(!has.admits(
        Encoding::Json,
        br#"{"RemoteUrl":"www.torrentialweather.example"}"#
    ));
    assert!(!has.admits(Encoding::Json, br#"{"F":"utorrent.exe"}"#));
    assert!(has.admits(Encoding::Json, br#"{"F":"bit-Torrent.exe"}"#));
    assert!(has.admits(Encoding::Json, br#"{"F":"u\u002etorrent"}"#));
    assert!(has.admits(Encoding::Json, br#"{"F":"utorrent \u0074orrent"}"#));
    assert!(has.admits(Encoding::Json, "{\"F\":\"\u{e9}torrent\"}".as_bytes())); // é: a letter, but not ASCII
    // A string column given a boolean reads "true": a value edge after `:` too.
    let equals = placed("true", Edge::Value, Edge::Value);
    assert!(equals.admits(Encoding::Json, br#"{"C":true}"#));
    assert!(equals.admits(Encoding::Json, br#"{"C" : true , "D":1}"#));
    assert!(!equals.admits(Encoding::Json, br#"{"C":"untrue"}"#));
    let ends = placed(".tor", Edge::Free, Edge::Value);
    assert!(ends.admits(Encoding::Json, br#"{"U":"x.TOR"}"#));
    assert!(!ends.admits(Encoding::Json, br#"{"U":"x.torproject.org"}"#));
    // CSV values: edges are where fields meet.
    let values = b"x.torproject.orgtorrent";
    assert!(has.admits_values(values, &|at| [0, 16, 23].contains(&at)));
    assert!(!has.admits_values(values, &|at| [0, 23].contains(&at)));
}

/// The csv crate joins text after a closing quote to the value (`"tor"rent` reads `torrent`), so a
/// needle may span the quote: such a record is a candidate, and a tidy one holding no needle is not.
/// (Found by the fuzz target.)
#[test]
fn csv_text_joined_after_a_closing_quote_is_a_candidate() {
    let prefilter =
        Prefilter::new(Condition::placed_needle("torrent", false, Edge::Term, Edge::Term)).unwrap();
    let text = b"a,\"x\"\"y\",b\r\nc,\"tor\"rent,d\n\"e,f\",g\n";
    let second = 12..26;
    assert_eq!(&text[second.clone()], b"c,\"tor\"rent,d\n");
    match prefilter.csv_candidates(text) {
        CsvCandidates::At(positions) => {
            assert!(positions.iter().any(|at| second.contains(at)), "{positions:?}");
            assert!(positions.iter().all(|at| second.contains(at)), "{positions:?}");
        }
        CsvCandidates::All => panic!("a needle's condition needs a candidate"),
    }
}
