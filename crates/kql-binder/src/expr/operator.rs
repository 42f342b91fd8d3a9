//! Operators: arithmetic, comparisons, `and`/`or`, negation, `between`, `=~` and the string operators
//! (`has`, `contains_cs`, ...), with Kusto's result types and implicit conversions.

use kql_syntax::ast::{BinaryOp as AstOp, Expr, StringOp, StringOpKind};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;

use super::coercion::{as_text, convert};
use super::errors::type_error;
use super::operands::{arithmetic_operands, comparison_operands};
use crate::bound::{BinaryOp, BoundExpr, ExprKind as Bound, Value};
use crate::catalog::Column;
use crate::{BResult, Binder};

/// The string-operator function a KQL string operator calls (`has`, `contains_cs`, ...).
fn string_operator_function(kind: StringOpKind, case_sensitive: bool) -> &'static str {
    match (kind, case_sensitive) {
        (StringOpKind::Has, false) => "has",
        (StringOpKind::Has, true) => "has_cs",
        (StringOpKind::HasPrefix, false) => "hasprefix",
        (StringOpKind::HasPrefix, true) => "hasprefix_cs",
        (StringOpKind::HasSuffix, false) => "hassuffix",
        (StringOpKind::HasSuffix, true) => "hassuffix_cs",
        (StringOpKind::Contains, false) => "contains",
        (StringOpKind::Contains, true) => "contains_cs",
        (StringOpKind::StartsWith, false) => "startswith",
        (StringOpKind::StartsWith, true) => "startswith_cs",
        (StringOpKind::EndsWith, false) => "endswith",
        (StringOpKind::EndsWith, true) => "endswith_cs",
        (StringOpKind::MatchesRegex, _) => "matches_regex",
    }
}

/// `left op right` for a string operator (`has`, `!contains_cs`, ...), both sides taken as text.
pub(crate) fn string_predicate(op: StringOp, left: BoundExpr, right: BoundExpr, span: Span) -> BoundExpr {
    let function = string_operator_function(op.kind, op.case_sensitive);
    let call = BoundExpr::call(
        function,
        vec![as_text(left), as_text(right)],
        KustoType::Bool,
        span,
    );
    if op.negated { not(call) } else { call }
}

pub(crate) fn not(expr: BoundExpr) -> BoundExpr {
    let span = expr.span;
    BoundExpr::new(Bound::Not(Box::new(expr)), KustoType::Bool, span)
}

impl Binder<'_> {
    pub(super) fn binary(
        &mut self,
        op: AstOp,
        left: &Expr,
        right: &Expr,
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        if op == AstOp::ColumnTerm {
            return Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                "`Column:\"term\"` is only a condition of its own in a `search` or `find` predicate",
                span,
            ));
        }
        let left = self.scalar(left, row)?;
        let right = self.scalar(right, row)?;
        let simple = |op| Some(op);
        let bound_op = match op {
            AstOp::Add => simple(BinaryOp::Add),
            AstOp::Sub => simple(BinaryOp::Sub),
            AstOp::Mul => simple(BinaryOp::Mul),
            AstOp::Div => simple(BinaryOp::Div),
            AstOp::Mod => simple(BinaryOp::Mod),
            AstOp::Eq => simple(BinaryOp::Eq),
            AstOp::NotEq => simple(BinaryOp::NotEq),
            AstOp::Lt => simple(BinaryOp::Lt),
            AstOp::LtEq => simple(BinaryOp::LtEq),
            AstOp::Gt => simple(BinaryOp::Gt),
            AstOp::GtEq => simple(BinaryOp::GtEq),
            AstOp::And => simple(BinaryOp::And),
            AstOp::Or => simple(BinaryOp::Or),
            AstOp::EqCi | AstOp::NotEqCi | AstOp::String(_) | AstOp::ColumnTerm => None,
        };
        match (op, bound_op) {
            (_, Some(op @ (BinaryOp::And | BinaryOp::Or))) => {
                let left = self.boolean(left)?;
                let right = self.boolean(right)?;
                Ok(BoundExpr::new(
                    Bound::Binary {
                        op,
                        left: Box::new(left),
                        right: Box::new(right),
                    },
                    KustoType::Bool,
                    span,
                ))
            }
            (
                _,
                Some(op @ (BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod)),
            ) => self.arithmetic(op, left, right, span),
            (_, Some(op)) => self.comparison(op, left, right, span),
            (AstOp::EqCi | AstOp::NotEqCi, None) => {
                let equal = BoundExpr::call(
                    "equals_ci",
                    vec![as_text(left), as_text(right)],
                    KustoType::Bool,
                    span,
                );
                Ok(if op == AstOp::NotEqCi { not(equal) } else { equal })
            }
            (AstOp::String(string_op), None) => Ok(string_predicate(string_op, left, right, span)),
            _ => Err(Diagnostic::not_supported("this operator", span)),
        }
    }

    pub(crate) fn arithmetic(
        &self,
        op: BinaryOp,
        left: BoundExpr,
        right: BoundExpr,
        span: Span,
    ) -> BResult<BoundExpr> {
        let (left, right, ty) = arithmetic_operands(op, left, right, span)?;
        Ok(BoundExpr::new(
            Bound::Binary {
                op,
                left: Box::new(left),
                right: Box::new(right),
            },
            ty,
            span,
        ))
    }

    pub(crate) fn comparison(
        &self,
        op: BinaryOp,
        left: BoundExpr,
        right: BoundExpr,
        span: Span,
    ) -> BResult<BoundExpr> {
        let (left, right) = comparison_operands(op, left, right, span)?;
        Ok(BoundExpr::new(
            Bound::Binary {
                op,
                left: Box::new(left),
                right: Box::new(right),
            },
            KustoType::Bool,
            span,
        ))
    }

    /// `-x`: constants fold; numbers (whole ones as long) and timespans negate.
    /// `+x`: x itself, whole numbers as long (Kusto.Language); bool, string and guid have no sign.
    pub(super) fn plus(&mut self, operand: &Expr, row: &[Column], span: Span) -> BResult<BoundExpr> {
        let operand = self.scalar(operand, row)?;
        match operand.ty {
            KustoType::Int => Ok(convert(operand, KustoType::Long)),
            KustoType::Bool | KustoType::String | KustoType::Guid => Err(type_error(
                format!("a value of type {} has no sign", operand.ty),
                span,
            )),
            _ => Ok(operand),
        }
    }

    pub(super) fn negate(&mut self, operand: &Expr, row: &[Column], span: Span) -> BResult<BoundExpr> {
        let operand = self.scalar(operand, row)?;
        match operand.as_literal() {
            Some(Value::Long(n)) => Ok(BoundExpr::literal(Value::Long(-n), span)),
            // Kusto computes whole numbers as long, a negated int included.
            Some(Value::Int(n)) => Ok(BoundExpr::literal(Value::Long(-i64::from(*n)), span)),
            Some(Value::Real(x)) => Ok(BoundExpr::literal(Value::Real(-x), span)),
            Some(Value::TimeSpan(t)) => Ok(BoundExpr::literal(Value::TimeSpan(-t), span)),
            _ if operand.ty.is_numeric() || operand.ty == KustoType::TimeSpan => {
                // Kusto computes whole numbers as long.
                let operand = if operand.ty == KustoType::Int {
                    convert(operand, KustoType::Long)
                } else {
                    operand
                };
                let ty = operand.ty;
                Ok(BoundExpr::new(Bound::Negate(Box::new(operand)), ty, span))
            }
            _ => Err(type_error(
                format!("cannot negate a value of type {}", operand.ty),
                span,
            )),
        }
    }

    /// `x between (low .. high)` as `low <= x and x <= high`; a timespan upper bound after a datetime
    /// lower bound is relative to it.
    pub(super) fn between(
        &mut self,
        (target, low, high): (&Expr, &Expr, &Expr),
        negated: bool,
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        let target = self.scalar(target, row)?;
        let low = self.scalar(low, row)?;
        let mut high = self.scalar(high, row)?;
        if target.ty == KustoType::DateTime && high.ty == KustoType::TimeSpan {
            // `t between (start .. 1d)`: the upper bound is relative to the lower one.
            let high_span = high.span;
            high = self.arithmetic(BinaryOp::Add, low.clone(), high, high_span)?;
        }
        let lower = self.comparison(BinaryOp::GtEq, target.clone(), low, span)?;
        let upper = self.comparison(BinaryOp::LtEq, target, high, span)?;
        let both = BoundExpr::new(
            Bound::Binary {
                op: BinaryOp::And,
                left: Box::new(lower),
                right: Box::new(upper),
            },
            KustoType::Bool,
            span,
        );
        Ok(if negated { not(both) } else { both })
    }
}
