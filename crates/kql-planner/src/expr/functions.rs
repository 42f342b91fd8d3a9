//! Kusto scalar functions: DataFusion built-ins where their semantics are Kusto's, the `kql_*` UDFs
//! otherwise, and a "not supported yet" refusal when neither exists.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::DFSchema;
use datafusion::functions::expr_fn::{coalesce, floor, random};
use datafusion::logical_expr::{Expr, Operator, binary_expr, cast, lit, when};
use kql_binder::bound::{BinaryOp, BoundExpr};
use kql_syntax::Span;
use kql_types::KustoType;

use crate::{PResult, Planner, plan_error};

/// The Kusto string operators, each a `kql_*` UDF of the same name.
const STRING_OPERATORS: &[&str] = &[
    "has",
    "has_cs",
    "hasprefix",
    "hasprefix_cs",
    "hassuffix",
    "hassuffix_cs",
    "contains",
    "contains_cs",
    "startswith",
    "startswith_cs",
    "endswith",
    "endswith_cs",
    "matches_regex",
    "equals_ci",
    "has_any",
    "has_all",
];

fn is_text(ty: KustoType) -> bool {
    matches!(ty, KustoType::String | KustoType::Guid | KustoType::Dynamic)
}

impl Planner<'_> {
    pub(crate) fn function(
        &self,
        name: &str,
        args: &[BoundExpr],
        call: &BoundExpr,
        schema: &DFSchema,
    ) -> PResult<Expr> {
        let span = call.span;
        let lowered = args
            .iter()
            .map(|a| self.expr(a, schema))
            .collect::<PResult<Vec<_>>>()?;
        let first_type = args.first().map(|a| a.ty);
        match (name, lowered.as_slice()) {
            (
                "tostring" | "toint" | "tolong" | "todouble" | "toreal" | "todecimal" | "tobool"
                | "toboolean" | "todatetime" | "totimespan" | "toguid" | "to_dynamic",
                [arg],
            ) => self.conversion(arg.clone(), first_type.unwrap_or(call.ty), call.ty, span),
            // Strings are never null in Kusto (a missing string is "").
            ("isnull", [_]) if first_type == Some(KustoType::String) => Ok(lit(false)),
            ("isnotnull", [_]) if first_type == Some(KustoType::String) => Ok(lit(true)),
            ("isnull", [arg]) => Ok(arg.clone().is_null()),
            ("isnotnull", [arg]) => Ok(arg.clone().is_not_null()),
            ("isempty", [arg]) => Ok(empty(arg.clone(), first_type.unwrap_or(call.ty))),
            ("isnotempty", [arg]) => Ok(Expr::Not(Box::new(empty(
                arg.clone(),
                first_type.unwrap_or(call.ty),
            )))),
            ("coalesce", _) if is_text(call.ty) => {
                // Kusto's coalesce skips empty strings as well as nulls.
                let (last, rest) = lowered
                    .split_last()
                    .map_or((lit(""), &[][..]), |(l, r)| (l.clone(), r));
                let mut result = last;
                for value in rest.iter().rev() {
                    result = when(Expr::Not(Box::new(empty(value.clone(), call.ty))), value.clone())
                        .otherwise(result)
                        .map_err(|e| plan_error(e, span))?;
                }
                Ok(result)
            }
            ("coalesce", _) => Ok(coalesce(lowered)),
            ("strcat" | "strcat_delim", _) => {
                let texts = args
                    .iter()
                    .zip(lowered)
                    .map(|(arg, e)| self.conversion(e, arg.ty, KustoType::String, span))
                    .collect::<PResult<Vec<_>>>()?;
                self.call_udf(name, texts, span)
            }
            ("bin" | "floor", [value, size]) => Ok(bin(value.clone(), size.clone(), call.ty, args)),
            ("around", [value, _, _]) => self.around(value.clone(), &args[1], &args[2], schema),
            ("dynamic_get", _) => self.call_udf("dynamic_get", lowered, span),
            ("rand", []) => Ok(random()),
            ("replace", [regex, rewrite, text]) => self.call_udf(
                "replace_regex",
                vec![text.clone(), regex.clone(), rewrite.clone()],
                span,
            ),
            (op, _) if STRING_OPERATORS.contains(&op) => self.call_udf(op, lowered, span),
            _ => {
                // A `_dynamic` variant takes dynamic text where the plain one takes a string.
                if first_type == Some(KustoType::Dynamic)
                    && let Some(udf) = self.udf(&format!("{name}_dynamic"))
                {
                    return Ok(udf.call(lowered));
                }
                // Value-list functions (`has_any_ipv4(text, dynamic([...]))`): when a listed value is
                // dynamic, the `_dynamic` variant expands arrays and takes every value as dynamic.
                if args.iter().skip(1).any(|a| a.ty == KustoType::Dynamic)
                    && let Some(udf) = self.udf(&format!("{name}_dynamic"))
                {
                    let mut values = lowered.into_iter();
                    let mut dynamic_args: Vec<Expr> = values.next().into_iter().collect();
                    for (arg, value) in args.iter().skip(1).zip(values) {
                        dynamic_args.push(match arg.ty {
                            KustoType::Dynamic => value,
                            _ => self.call_udf("to_dynamic", vec![value], span)?,
                        });
                    }
                    return Ok(udf.call(dynamic_args));
                }
                self.call_udf(name, lowered, span)
            }
        }
    }

    /// `around(value, center, delta)`: whether `value` lies in `[center - delta, center + delta]`
    /// (both ends included, as the docs' example shows).
    fn around(&self, value: Expr, center: &BoundExpr, delta: &BoundExpr, schema: &DFSchema) -> PResult<Expr> {
        let bound_type = match center.ty {
            KustoType::DateTime | KustoType::TimeSpan => center.ty,
            _ => kql_binder::functions::promote(&[center.ty, delta.ty]),
        };
        let low = self.arithmetic(BinaryOp::Sub, center, delta, bound_type, schema)?;
        let high = self.arithmetic(BinaryOp::Add, center, delta, bound_type, schema)?;
        Ok(value.clone().gt_eq(low).and(value.lt_eq(high)))
    }

    /// Converts a value of one Kusto type to another.
    pub(crate) fn conversion(
        &self,
        value: Expr,
        from: KustoType,
        to: KustoType,
        span: Span,
    ) -> PResult<Expr> {
        use KustoType as T;
        if from == to || (to == T::String && from == T::Guid) {
            return Ok(value);
        }
        let numeric_like = |t: T| t.is_numeric() || t == T::Bool;
        match to {
            T::Int | T::Long | T::Real | T::Decimal if numeric_like(from) => Ok(cast(value, to.arrow_type())),
            T::String if from == T::Dynamic => self.call_udf("tostring_dynamic", vec![value], span),
            T::Dynamic => self.call_udf("to_dynamic", vec![value], span),
            _ => self.call_udf(crate::conversion_name(to), vec![value], span),
        }
    }
}

/// Kusto's `isempty`: null, or the empty string for text types.
fn empty(value: Expr, ty: KustoType) -> Expr {
    if is_text(ty) {
        value.clone().is_null().or(value.eq(lit("")))
    } else {
        value.is_null()
    }
}

/// `bin(value, size)`: rounds down to a multiple of `size` (toward negative infinity). Datetimes and
/// timespans are binned on their nanosecond counts.
fn bin(value: Expr, size: Expr, result: KustoType, args: &[BoundExpr]) -> Expr {
    let temporal = |t: KustoType| matches!(t, KustoType::DateTime | KustoType::TimeSpan);
    let value_type = args.first().map_or(result, |a| a.ty);
    if result == KustoType::Real || (!temporal(value_type) && args.iter().any(|a| a.ty == KustoType::Real)) {
        let (v, s) = (cast(value, DataType::Float64), cast(size, DataType::Float64));
        return binary_expr(
            floor(binary_expr(v, Operator::Divide, s.clone())),
            Operator::Multiply,
            s,
        );
    }
    let (v, s) = (cast(value, DataType::Int64), cast(size, DataType::Int64));
    // v - ((v % s) + s) % s rounds toward negative infinity for either sign of v.
    let remainder = binary_expr(
        binary_expr(
            binary_expr(v.clone(), Operator::Modulo, s.clone()),
            Operator::Plus,
            s.clone(),
        ),
        Operator::Modulo,
        s,
    );
    let binned = binary_expr(v, Operator::Minus, remainder);
    if temporal(value_type) {
        cast(binned, value_type.arrow_type())
    } else {
        cast(binned, result.arrow_type())
    }
}
