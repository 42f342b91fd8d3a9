//! Kusto's implicit conversions of the operands of comparisons and arithmetic, with the result types
//! and rejections of Kusto.Language (Microsoft's analyser; the binder's oracle test checks every pair
//! of types and every operator against it).
//!
//! - A bool is 1 or 0 (the bool docs), so it compares with numbers as a long.
//! - Numbers compare and compute across types: int and long give long, real gives real, decimal wins.
//! - A dynamic value takes the other side's type; compared with itself it is text for `==`/`!=` and a
//!   number for ordering; with a datetime or timespan in `+`/`-` it is a timespan where a same-typed
//!   operand would not do (`d + dynamic` is `d + timespan`).
//! - A datetime or timespan equals a string literal read as one (`Timestamp == "2024-05-01"`).
//! - A number equals the number a string holds (`"3389" == 3389`).
//!
//! Pairs Kusto.Language accepts whose run-time meaning the documentation leaves open (`datetime *
//! long`, `dynamic + dynamic`, `==` across unrelated types) are refused as not supported; pairs it
//! rejects are type errors, as in Kusto.

use kql_syntax::{Diagnostic, Span};
use kql_types::KustoType::{self, Bool, DateTime, Decimal, Dynamic, Long, Real, String, TimeSpan};
use kql_types::time::{parse_datetime, parse_timespan};

use super::coercion::{comparable, convert};
use super::errors::type_error;
use crate::BResult;
use crate::bound::{BinaryOp, BoundExpr, Value};

/// Whether `<`, `>`, ... are defined between values of a type (Kusto.Language: not for strings and
/// guids, which compare with `strcmp`).
fn ordered(ty: KustoType) -> bool {
    ty.is_numeric() || matches!(ty, Bool | DateTime | TimeSpan | Dynamic)
}

fn is_null_literal(expr: &BoundExpr) -> bool {
    matches!(expr.as_literal(), Some(Value::Null(_)))
}

/// The operands of a comparison (`==`, `!=`, `<`, ...), converted to types that compare.
pub(super) fn comparison_operands(
    op: BinaryOp,
    left: BoundExpr,
    right: BoundExpr,
    span: Span,
) -> BResult<(BoundExpr, BoundExpr)> {
    let equality = matches!(op, BinaryOp::Eq | BinaryOp::NotEq);
    let (lt, rt) = (left.ty, right.ty);
    // A typed null compares with anything, as a null of the other side's type.
    if is_null_literal(&left) || is_null_literal(&right) {
        return Ok(if is_null_literal(&left) {
            (convert(left, rt), right)
        } else {
            (left, convert(right, lt))
        });
    }
    let cannot = || {
        type_error(
            format!("cannot compare {lt} with {rt} using `{}`", op_text(op)),
            span,
        )
    };
    let converted = match (lt, rt) {
        (l, r) if comparable(l, r) => {
            if !equality && !ordered(l) {
                return Err(cannot());
            }
            (left, right)
        }
        (Dynamic, Dynamic) => {
            let ty = if equality { String } else { Real };
            (convert(left, ty), convert(right, ty))
        }
        (Dynamic, other) if equality || other.is_numeric() => (convert(left, other), right),
        (other, Dynamic) if equality || other.is_numeric() => (left, convert(right, other)),
        (Bool, number) if number.is_numeric() => (convert(left, Long), right),
        (number, Bool) if number.is_numeric() => (left, convert(right, Long)),
        (String, number) if equality && number.is_numeric() => (convert(left, number), right),
        (number, String) if equality && number.is_numeric() => (left, convert(right, number)),
        (DateTime | TimeSpan, String) if equality => {
            let right = temporal_literal(right, lt)?;
            (left, right)
        }
        (String, DateTime | TimeSpan) if equality => {
            let left = temporal_literal(left, rt)?;
            (left, right)
        }
        _ if equality => {
            return Err(Diagnostic::not_supported(
                format!("comparing {lt} with {rt} (convert one side explicitly)"),
                span,
            ));
        }
        _ => return Err(cannot()),
    };
    Ok(converted)
}

/// A string literal read as a datetime or timespan constant; other strings are refused.
fn temporal_literal(text: BoundExpr, ty: KustoType) -> BResult<BoundExpr> {
    let value = match (text.as_literal(), ty) {
        (Some(Value::String(s)), DateTime) => parse_datetime(s).map(Value::DateTime),
        (Some(Value::String(s)), _) => parse_timespan(s).map(Value::TimeSpan),
        _ => None,
    };
    value
        .map(|value| BoundExpr::literal(value, text.span))
        .ok_or_else(|| {
            Diagnostic::not_supported(
                format!("comparing {ty} with a string that is not a {ty} literal"),
                text.span,
            )
        })
}

/// How Kusto.Language types `left op right` for arithmetic, after dynamic operands took a type.
enum Arithmetic {
    /// Implemented, with this result type.
    Typed(KustoType),
    /// Accepted by Kusto.Language, with a run-time meaning torhunt does not implement.
    Open,
    /// Rejected by Kusto.Language.
    Undefined,
}

fn arithmetic_type(op: BinaryOp, left: KustoType, right: KustoType) -> Arithmetic {
    use Arithmetic::{Open, Typed, Undefined};
    use BinaryOp::{Add, Div, Mod, Mul, Sub};
    let number = |t: KustoType| t.is_numeric();
    match (op, left, right) {
        // The numerical operators page makes real win ("if one of the operands is of type real, the
        // result will be of type real"); Kusto.Language types it decimal. Left open, so refused.
        (_, Decimal, Real) | (_, Real, Decimal) => Open,
        (_, l, r) if number(l) && number(r) => Typed(promote(l, r)),
        (Sub, DateTime, DateTime) => Typed(TimeSpan),
        (Add | Sub, DateTime, TimeSpan) | (Add, TimeSpan, DateTime) => Typed(DateTime),
        (Add | Sub | Mod, TimeSpan, TimeSpan) => Typed(TimeSpan),
        (Div, TimeSpan, TimeSpan) => Typed(Real),
        (Mul | Div, TimeSpan, r) if number(r) => Typed(TimeSpan),
        (Mul, l, TimeSpan) if number(l) => Typed(TimeSpan),
        (Add, DateTime, DateTime)
        | (Sub, TimeSpan, DateTime)
        | (Mul, TimeSpan, TimeSpan)
        | (Div | Mod, DateTime, DateTime | TimeSpan) => Open,
        (Mul | Div | Mod, DateTime, r) | (Mod, TimeSpan, r) if number(r) => Open,
        (Mul, l, DateTime) if number(l) => Open,
        _ => Undefined,
    }
}

/// Kusto's numeric promotion: int and long compute as long, then real, and decimal above both.
fn promote(left: KustoType, right: KustoType) -> KustoType {
    if left == Decimal || right == Decimal {
        Decimal
    } else if left == Real || right == Real {
        Real
    } else {
        Long
    }
}

/// The operands of `+`, `-`, `*`, `/`, `%`, converted, and the result type.
pub(super) fn arithmetic_operands(
    op: BinaryOp,
    left: BoundExpr,
    right: BoundExpr,
    span: Span,
) -> BResult<(BoundExpr, BoundExpr, KustoType)> {
    let (lt, rt) = (left.ty, right.ty);
    let open = || Diagnostic::not_supported(format!("`{}` on {lt} and {rt}", op_text(op)), span);
    let undefined = || type_error(format!("cannot apply `{}` to {lt} and {rt}", op_text(op)), span);
    let (left, right) = match (lt, rt) {
        (Dynamic, Dynamic) => return Err(open()),
        (Dynamic, other) => {
            let ty = dynamic_operand_type(op, other).ok_or_else(undefined)?;
            (convert(left, ty), right)
        }
        (other, Dynamic) => {
            let ty = dynamic_operand_type(op, other).ok_or_else(undefined)?;
            (left, convert(right, ty))
        }
        _ => (left, right),
    };
    match arithmetic_type(op, left.ty, right.ty) {
        Arithmetic::Typed(ty) => Ok((left, right, ty)),
        Arithmetic::Open => Err(open()),
        Arithmetic::Undefined => Err(undefined()),
    }
}

/// The type a dynamic operand takes beside an `other` operand: a number's promoted type; the other
/// type in `+`/`-` with a datetime or timespan where that is defined, else a timespan; `None` where
/// Kusto.Language rejects a dynamic operand.
fn dynamic_operand_type(op: BinaryOp, other: KustoType) -> Option<KustoType> {
    match (op, other) {
        (_, number) if number.is_numeric() => Some(promote(number, number)),
        (BinaryOp::Add | BinaryOp::Sub, DateTime | TimeSpan) => {
            Some(match arithmetic_type(op, other, other) {
                Arithmetic::Typed(_) => other,
                _ => TimeSpan,
            })
        }
        _ => None,
    }
}

pub(super) fn op_text(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Add => "+",
        BinaryOp::Sub => "-",
        BinaryOp::Mul => "*",
        BinaryOp::Div => "/",
        BinaryOp::Mod => "%",
        BinaryOp::Eq => "==",
        BinaryOp::NotEq => "!=",
        BinaryOp::Lt => "<",
        BinaryOp::LtEq => "<=",
        BinaryOp::Gt => ">",
        BinaryOp::GtEq => ">=",
        BinaryOp::And => "and",
        BinaryOp::Or => "or",
    }
}
