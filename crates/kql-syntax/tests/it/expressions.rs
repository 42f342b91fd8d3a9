//! Scalar expressions: precedence per the Kusto docs (`or` < `and` < comparisons and string operators
//! < additive < multiplicative < unary), every string operator, `in`/`has_any`/`between`, calls,
//! member access and indexing.

use kql_syntax::ast::{BinaryOp, Expr, ExprKind, StringOp, StringOpKind};

use crate::support::{last_operator, print_expr};

/// Writes the tree with explicit parentheses, to compare shapes against hand-written expectations.
fn shape(source: &str, expr: &Expr) -> String {
    match &expr.kind {
        ExprKind::Binary { left, right, .. } => {
            let op_text = source[left.span.end..right.span.start].trim();
            format!("({} {op_text} {})", shape(source, left), shape(source, right))
        }
        ExprKind::Unary { operand, .. } => format!("(-{})", shape(source, operand)),
        ExprKind::Paren(inner) => shape(source, inner),
        _ => expr.span.text(source).to_string(),
    }
}

fn parenthesised(expr_source: &str) -> String {
    let (source, expr) = print_expr(expr_source);
    assert_eq!(expr.span.text(&source), expr_source);
    shape(&source, &expr)
}

#[test]
fn precedence_follows_the_kusto_docs() {
    assert_eq!(parenthesised("a or b and c"), "(a or (b and c))");
    assert_eq!(parenthesised("a and b == 1 or c"), "((a and (b == 1)) or c)");
    assert_eq!(parenthesised("x + 1 > y * 2"), "((x + 1) > (y * 2))");
    assert_eq!(parenthesised("1 - 2 - 3"), "((1 - 2) - 3)");
    assert_eq!(parenthesised("a % 2 * 3 / 4"), "(((a % 2) * 3) / 4)");
    assert_eq!(parenthesised("-a * b"), "((-a) * b)");
    assert_eq!(
        parenthesised("s has 'x' and t !contains_cs 'y'"),
        "((s has 'x') and (t !contains_cs 'y'))"
    );
    assert_eq!(parenthesised("(a or b) and c"), "((a or b) and c)");
}

#[test]
fn every_string_operator() {
    let ops = [
        ("==", BinaryOp::Eq),
        ("!=", BinaryOp::NotEq),
        ("<>", BinaryOp::NotEq),
        ("=~", BinaryOp::EqCi),
        ("!~", BinaryOp::NotEqCi),
        ("<", BinaryOp::Lt),
        ("<=", BinaryOp::LtEq),
        (">", BinaryOp::Gt),
        (">=", BinaryOp::GtEq),
    ];
    for (text, op) in ops {
        let (_, expr) = print_expr(&format!("a {text} b"));
        assert!(
            matches!(expr.kind, ExprKind::Binary { op: found, .. } if found == op),
            "{text}"
        );
    }
    let kinds = [
        ("has", StringOpKind::Has),
        ("hasprefix", StringOpKind::HasPrefix),
        ("hassuffix", StringOpKind::HasSuffix),
        ("contains", StringOpKind::Contains),
        ("startswith", StringOpKind::StartsWith),
        ("endswith", StringOpKind::EndsWith),
    ];
    for (word, kind) in kinds {
        for negated in [false, true] {
            for case_sensitive in [false, true] {
                let text = format!(
                    "{}{word}{}",
                    if negated { "!" } else { "" },
                    if case_sensitive { "_cs" } else { "" }
                );
                let (_, expr) = print_expr(&format!("a {text} 'b'"));
                let expected = BinaryOp::String(StringOp {
                    kind,
                    negated,
                    case_sensitive,
                });
                assert!(
                    matches!(expr.kind, ExprKind::Binary { op, .. } if op == expected),
                    "{text}"
                );
            }
        }
    }
    let (source, expr) = print_expr(r"a matches regex @'\d+'");
    let ExprKind::Binary {
        op: BinaryOp::String(op),
        right,
        ..
    } = expr.kind
    else {
        panic!("not binary")
    };
    assert_eq!(op.kind, StringOpKind::MatchesRegex);
    assert_eq!(right.span.text(&source), r"@'\d+'");
}

#[test]
fn in_has_any_between() {
    let cases = [
        ("in", false, true),
        ("!in", true, true),
        ("in~", false, false),
        ("!in~", true, false),
    ];
    for (text, negated, case_sensitive) in cases {
        let (source, expr) = print_expr(&format!("x {text} ('a', 'b', (T | project y))"));
        let ExprKind::In {
            negated: n,
            case_sensitive: cs,
            list,
            ..
        } = expr.kind
        else {
            panic!("{text}")
        };
        assert_eq!((n, cs), (negated, case_sensitive), "{text}");
        let texts: Vec<&str> = list.iter().map(|e| e.span.text(&source)).collect();
        assert_eq!(texts, ["'a'", "'b'", "(T | project y)"]);
    }
    let (_, expr) = print_expr("x has_all ('a', 'b')");
    assert!(matches!(expr.kind, ExprKind::HasAny { all: true, ref list, .. } if list.len() == 2));
    let (_, expr) = print_expr("x has_any (dynamic(['a']))");
    assert!(matches!(expr.kind, ExprKind::HasAny { all: false, .. }));
    let (source, expr) = print_expr("t !between (ago(1d) .. now())");
    let ExprKind::Between {
        negated: true,
        low,
        high,
        ..
    } = expr.kind
    else {
        panic!("not between")
    };
    assert_eq!(
        (low.span.text(&source), high.span.text(&source)),
        ("ago(1d)", "now()")
    );
}

#[test]
fn calls_members_and_indexes() {
    let (source, expr) = print_expr("arg_max(Timestamp, *)");
    let ExprKind::Call { name, args } = expr.kind else {
        panic!("not a call")
    };
    assert_eq!(name.name, "arg_max");
    assert!(matches!(args[1].value.kind, ExprKind::Star));
    assert_eq!(args[1].span.text(&source), "*");

    let (source, expr) = print_expr("bag_unpack(d, columnsConflict='keep_source')");
    let ExprKind::Call { args, .. } = expr.kind else {
        panic!("not a call")
    };
    assert_eq!(
        args[1].name.as_ref().map(|n| n.name.as_str()),
        Some("columnsConflict")
    );
    assert_eq!(args[1].span.text(&source), "columnsConflict='keep_source'");

    let (source, expr) = print_expr("parse_json(x).a['b c'][0]");
    let ExprKind::Index { target, index } = expr.kind else {
        panic!("not an index")
    };
    assert_eq!(index.span.text(&source), "0");
    assert_eq!(target.span.text(&source), "parse_json(x).a['b c']");
    let ExprKind::Index { target, .. } = target.kind else {
        panic!("not an index")
    };
    assert!(matches!(target.kind, ExprKind::Member { ref name, .. } if name.name == "a"));

    // An index after a dot (`TargetResources.[0].displayName`) is the same index.
    let (source, expr) = print_expr("TargetResources.[0].displayName");
    let ExprKind::Member { target, name } = expr.kind else {
        panic!("not a member")
    };
    assert_eq!(name.name, "displayName");
    let ExprKind::Index { target, index } = target.kind else {
        panic!("not an index")
    };
    assert_eq!(index.span.text(&source), "0");
    assert!(matches!(target.kind, ExprKind::Name(ref ident) if ident.name == "TargetResources"));
    let (source, expr) = print_expr("d.['b c']");
    let ExprKind::Index { index, .. } = expr.kind else {
        panic!("not an index")
    };
    assert_eq!(index.span.text(&source), "'b c'");

    let (_, expr) = print_expr("not(isempty(x))");
    assert!(matches!(expr.kind, ExprKind::Call { ref name, .. } if name.name == "not"));
}

#[test]
fn names_in_every_form() {
    let (source, expr) = print_expr("['a b'] + [\"c\"] + $left.x");
    let ExprKind::Binary { left, right, .. } = expr.kind else {
        panic!("not binary")
    };
    let ExprKind::Member { target, name } = right.kind else {
        panic!("not a member")
    };
    assert!(matches!(target.kind, ExprKind::Name(ref ident) if ident.name == "$left"));
    assert_eq!(name.name, "x");
    let ExprKind::Binary { left, right, .. } = left.kind else {
        panic!("not binary")
    };
    assert!(matches!(left.kind, ExprKind::Name(ref ident) if ident.name == "a b"));
    assert!(matches!(right.kind, ExprKind::Name(ref ident) if ident.name == "c"));
    assert_eq!(right.span.text(&source), "[\"c\"]");
}

#[test]
fn contextual_keywords_are_column_names() {
    // Kusto.Language accepts these words as plain column names.
    let operator =
        last_operator("T | where count > 1 and type == 'x' and kind == 1 and on == 2 // trailing comment");
    assert!(matches!(operator.kind, kql_syntax::ast::OperatorKind::Where(_)));
    let operator = last_operator("T | summarize count() by type, kind");
    let kql_syntax::ast::OperatorKind::Summarize { by, .. } = operator.kind else {
        panic!("not summarize")
    };
    assert_eq!(by.len(), 2);
}
