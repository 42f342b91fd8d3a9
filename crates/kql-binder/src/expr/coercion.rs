//! Kusto's implicit conversions: a value converted to a type (constants now, others through the
//! conversion function), a value taken as text or as a bool, the common type of several values, which
//! types compare, and an argument checked against its parameter.

use kql_types::KustoType;
use kql_types::signature::{Param, Signature, conversion_function, promote};

use super::errors::type_error;
use super::literal;
use crate::bound::{BoundExpr, Value};
use crate::{BResult, Binder};

/// Converts an expression to a type: constants are converted now, other values through the Kusto
/// conversion function (`tostring`, `tolong`, ...).
pub(crate) fn convert(expr: BoundExpr, ty: KustoType) -> BoundExpr {
    if expr.ty == ty {
        return expr;
    }
    if let Some(value) = expr
        .as_literal()
        .and_then(|value| literal::coerce(value.clone(), ty))
    {
        return BoundExpr::literal(value, expr.span);
    }
    let span = expr.span;
    BoundExpr::call(conversion_function(ty), vec![expr], ty, span)
}

/// Whether two types can be compared with `==`, `<`, ...
pub(crate) fn comparable(left: KustoType, right: KustoType) -> bool {
    left == right
        || (left.is_numeric() && right.is_numeric())
        || matches!(
            (left, right),
            (KustoType::String, KustoType::Guid) | (KustoType::Guid, KustoType::String)
        )
}

/// Text as a string operand: strings and guids as they are, anything else through `tostring`.
pub(crate) fn as_text(expr: BoundExpr) -> BoundExpr {
    match expr.ty {
        KustoType::String | KustoType::Guid => expr,
        _ => convert(expr, KustoType::String),
    }
}

/// The common type of the value arguments of `iff`/`case`/`coalesce`, as Kusto.Language infers it:
/// one type stays, numbers promote, `dynamic` yields to the other type, and anything else mixed is
/// `dynamic`. A `dynamic(null)` adapts.
pub(crate) fn common_type(values: &[BoundExpr]) -> KustoType {
    let mut types: Vec<KustoType> = Vec::new();
    for value in values {
        if value.ty != KustoType::Dynamic && !types.contains(&value.ty) {
            types.push(value.ty);
        }
    }
    match types.as_slice() {
        [] => KustoType::Dynamic,
        [only] => *only,
        _ if types.iter().all(|t| t.is_numeric()) => promote(&types),
        _ => KustoType::Dynamic,
    }
}

/// Checks one argument against its parameter, converting where Kusto converts implicitly.
pub(crate) fn convert_argument(signature: &Signature, index: usize, arg: BoundExpr) -> BResult<BoundExpr> {
    use KustoType as T;
    let param = signature.param(index);
    let fits = match param {
        Param::Any => true,
        Param::Str => matches!(arg.ty, T::String | T::Guid),
        Param::Text => true,
        Param::Num => arg.ty.is_numeric() || arg.ty == T::TimeSpan,
        Param::Integer => arg.ty.is_numeric(),
        Param::IntOrLong => matches!(arg.ty, T::Int | T::Long),
        Param::Bool => arg.ty == T::Bool,
        Param::DateTime => arg.ty == T::DateTime,
        Param::TimeSpan => arg.ty == T::TimeSpan,
        Param::Binnable => arg.ty.is_numeric() || matches!(arg.ty, T::DateTime | T::TimeSpan),
        Param::Dynamic => true,
    };
    if fits {
        return Ok(match param {
            Param::Dynamic => convert(arg, T::Dynamic),
            Param::Text => as_text(arg),
            _ => arg,
        });
    }
    let target = match param {
        Param::Str | Param::Text => T::String,
        Param::Num | Param::Binnable => T::Real,
        Param::Integer | Param::IntOrLong => T::Long,
        Param::Bool => T::Bool,
        Param::DateTime => T::DateTime,
        Param::TimeSpan => T::TimeSpan,
        Param::Any | Param::Dynamic => arg.ty,
    };
    let null = matches!(arg.as_literal(), Some(Value::Null(_)));
    if arg.ty == T::Dynamic || null {
        return Ok(convert(arg, target));
    }
    Err(type_error(
        format!(
            "function `{}` expects a {target} for argument {}, got {}",
            signature.name,
            index + 1,
            arg.ty
        ),
        arg.span,
    ))
}

impl Binder<'_> {
    pub(crate) fn boolean(&self, expr: BoundExpr) -> BResult<BoundExpr> {
        match expr.ty {
            KustoType::Bool => Ok(expr),
            KustoType::Dynamic => Ok(convert(expr, KustoType::Bool)),
            other => Err(type_error(
                format!("a bool is expected here, not {other}"),
                expr.span,
            )),
        }
    }
}
