//! Helpers shared by the test modules.

use kql_syntax::ast::{Expr, ExprKind, Operator, Query, StatementKind};

/// Parses `source`, failing the test with the diagnostic and its position if it is not accepted.
pub fn parse_ok(source: &str) -> Query {
    match kql_syntax::parse(source) {
        Ok(query) => query,
        Err(diagnostics) => panic!("{}", located(&diagnostics[0], source)),
    }
}

/// A diagnostic's message and `line:column`, for test failures.
pub fn located(diagnostic: &kql_syntax::Diagnostic, source: &str) -> String {
    let (line, column) = diagnostic.line_column(source);
    format!(
        "{}: {} at {line}:{column}",
        diagnostic.kind.code(),
        diagnostic.message
    )
}

/// The first diagnostic for `source`, failing the test if it parses.
pub fn parse_err(source: &str) -> kql_syntax::Diagnostic {
    match kql_syntax::parse(source) {
        Ok(query) => panic!("expected an error for {source:?}, got {query:#?}"),
        Err(mut diagnostics) => diagnostics.remove(0),
    }
}

/// The expression of the last statement of `source`.
pub fn last_expr(source: &str) -> Expr {
    let mut query = parse_ok(source);
    match query.statements.pop().map(|s| s.kind) {
        Some(StatementKind::Expr(expr)) => expr,
        other => panic!("last statement of {source:?} is not an expression: {other:?}"),
    }
}

/// The last operator of the pipeline in `source` (`T | op`) or its source operator.
pub fn last_operator(source: &str) -> Operator {
    match last_expr(source).kind {
        ExprKind::Pipe { operator, .. } | ExprKind::Source(operator) => *operator,
        other => panic!("{source:?} does not end in an operator: {other:?}"),
    }
}

/// The scalar expression printed by `print <expr>`.
pub fn print_expr(expr_source: &str) -> (String, Expr) {
    let source = format!("print {expr_source}");
    let operator = last_operator(&source);
    match operator.kind {
        kql_syntax::ast::OperatorKind::Print(mut columns) => {
            let column = columns.remove(0);
            (source, column.expr)
        }
        other => panic!("not a print: {other:?}"),
    }
}
