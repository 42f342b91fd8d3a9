//! Literal forms from the Kusto docs (scalar data types pages), with their values and spans.

use kql_syntax::ast::{DynamicValue, ExprKind, Literal, UnaryOp};

use crate::support::{parse_err, print_expr};

/// The literal `expr_source` denotes (as printed by `print`), after checking it spans the whole text.
fn literal(expr_source: &str) -> Literal {
    let (source, expr) = print_expr(expr_source);
    assert_eq!(expr.span.text(&source), expr_source, "span of {expr_source}");
    match expr.kind {
        ExprKind::Literal(literal) => literal,
        other => panic!("{expr_source} is not a literal: {other:?}"),
    }
}

fn null_type(expr_source: &str) -> String {
    match literal(expr_source) {
        Literal::Null(ty) => ty.name,
        other => panic!("{expr_source} is not a typed null: {other:?}"),
    }
}

#[test]
fn numbers() {
    assert_eq!(literal("42"), Literal::Long(42));
    assert_eq!(literal("0x1F"), Literal::Long(31));
    assert_eq!(literal("1.5"), Literal::Real(1.5));
    assert_eq!(literal("1e3"), Literal::Real(1000.0));
    assert_eq!(literal("int(5)"), Literal::Int(5));
    assert_eq!(literal("int(-5)"), Literal::Int(-5));
    assert_eq!(literal("long(7)"), Literal::Long(7));
    assert_eq!(literal("real(2)"), Literal::Real(2.0));
    assert_eq!(literal("real(+inf)"), Literal::Real(f64::INFINITY));
    assert_eq!(literal("real(-inf)"), Literal::Real(f64::NEG_INFINITY));
    assert!(matches!(literal("real(nan)"), Literal::Real(r) if r.is_nan()));
    assert_eq!(literal("decimal(1.50)"), Literal::Decimal("1.50".into()));
    assert_eq!(literal("bool(true)"), Literal::Bool(true));
    assert_eq!(literal("false"), Literal::Bool(false));
}

#[test]
fn negative_numbers_are_unary_minus() {
    let (source, expr) = print_expr("-1.5");
    let ExprKind::Unary {
        op: UnaryOp::Neg,
        operand,
    } = expr.kind
    else {
        panic!("not a negation")
    };
    assert_eq!(operand.span.text(&source), "1.5");
}

#[test]
fn strings_in_every_form() {
    let cases = [
        (r#""double \"quoted\"""#, "double \"quoted\""),
        (r"'single \'quoted\' \\ \t'", "single 'quoted' \\ \t"),
        (r"@'C:\Windows\'''", r"C:\Windows\'"),
        (r#"@"C:\Temp""#, r"C:\Temp"),
        ("h'obfuscated'", "obfuscated"),
        ("H\"obfuscated\"", "obfuscated"),
        (r"h@'C:\x'", r"C:\x"),
        ("```multi\nline```", "multi\nline"),
        ("'con' \"cat\" @'enated'", "concatenated"),
    ];
    for (source, value) in cases {
        assert_eq!(literal(source), Literal::String(value.into()), "{source}");
    }
}

#[test]
fn timespans() {
    for source in [
        "1d",
        "2h",
        "30m",
        "10s",
        "100ms",
        "10microsecond",
        "1tick",
        "1.5h",
        "3days",
    ] {
        assert_eq!(literal(source), Literal::TimeSpan(source.into()));
    }
    assert_eq!(
        literal("time(1.02:03:04)"),
        Literal::TimeSpan("1.02:03:04".into())
    );
    assert_eq!(literal("timespan(2d)"), Literal::TimeSpan("2d".into()));
    assert_eq!(
        literal("time('0.12:34:56.7')"),
        Literal::TimeSpan("0.12:34:56.7".into())
    );
    assert_eq!(null_type("time(null)"), "time");
}

#[test]
fn datetimes_in_documented_forms() {
    let cases = [
        ("datetime(2017-01-01 10:00)", "2017-01-01 10:00"),
        ("datetime(2015-12-31 23:59:59.9)", "2015-12-31 23:59:59.9"),
        (
            "datetime(2014-05-25T08:20:03.123456Z)",
            "2014-05-25T08:20:03.123456Z",
        ),
        ("datetime(\"2014-11-08 15:55\")", "2014-11-08 15:55"),
        ("datetime( 2017-01-01 )", "2017-01-01"),
        ("date(2017-01-01)", "2017-01-01"),
    ];
    for (source, text) in cases {
        assert_eq!(literal(source), Literal::DateTime(text.into()), "{source}");
    }
    assert_eq!(null_type("datetime(null)"), "datetime");
}

#[test]
fn guids_and_typed_nulls() {
    let guid = "74be27de-1e4e-49d9-b579-fe0b331d3642";
    assert_eq!(literal(&format!("guid({guid})")), Literal::Guid(guid.into()));
    for (source, ty) in [
        ("int(null)", "int"),
        ("long(null)", "long"),
        ("real(null)", "real"),
        ("double(null)", "double"),
        ("bool(null)", "bool"),
        ("decimal(null)", "decimal"),
        ("guid(null)", "guid"),
        ("dynamic(null)", "dynamic"),
    ] {
        assert_eq!(null_type(source), ty, "{source}");
    }
}

#[test]
fn dynamic_values() {
    let value = match literal(
        r#"dynamic({"a": [1, -2.5, null, true, "s"], "b": {}, "c": datetime(2017-01-01), "d": 1d})"#,
    ) {
        Literal::Dynamic(value) => value,
        other => panic!("not dynamic: {other:?}"),
    };
    let expected = DynamicValue::Bag(vec![
        (
            "a".into(),
            DynamicValue::Array(vec![
                DynamicValue::Long(1),
                DynamicValue::Real(-2.5),
                DynamicValue::Null,
                DynamicValue::Bool(true),
                DynamicValue::String("s".into()),
            ]),
        ),
        ("b".into(), DynamicValue::Bag(Vec::new())),
        (
            "c".into(),
            DynamicValue::Scalar(Box::new(Literal::DateTime("2017-01-01".into()))),
        ),
        (
            "d".into(),
            DynamicValue::Scalar(Box::new(Literal::TimeSpan("1d".into()))),
        ),
    ]);
    assert_eq!(value, expected);
    assert_eq!(
        literal("dynamic([])"),
        Literal::Dynamic(DynamicValue::Array(Vec::new()))
    );
}

#[test]
fn conversions_that_are_not_literals_stay_calls() {
    // Kusto accepts `int(x)` as a conversion; only literal content makes a literal.
    let (_, expr) = print_expr("int(x)");
    assert!(matches!(expr.kind, ExprKind::Call { ref name, .. } if name.name == "int"));
}

#[test]
fn out_of_range_numbers_are_refused_not_wrapped() {
    let source = "print int(3000000000)";
    let error = parse_err(source);
    assert_eq!(error.message, "`3000000000` is out of range for `int`");
    assert_eq!(error.span.text(source), "3000000000");
    let source = "print 99999999999999999999";
    let error = parse_err(source);
    assert_eq!(error.span.text(source), "99999999999999999999");
    assert!(error.message.contains("not a valid `long`"), "{}", error.message);
}
