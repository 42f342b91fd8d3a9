//! Conditionals: `iff`/`iif`, `case`, `coalesce` and `not`; the values of a conditional take their
//! common type, as Kusto.Language infers it.

use kql_syntax::Span;
use kql_syntax::ast::{self, Expr};

use super::coercion::{common_type, convert};
use super::errors::arity;
use super::operator::not;
use crate::bound::{BoundExpr, ExprKind as Bound, Value};
use crate::catalog::Column;
use crate::{BResult, Binder};

impl Binder<'_> {
    /// `iff(condition, then, else)`: a `case` of one branch.
    pub(super) fn iff(
        &mut self,
        ident: &ast::Ident,
        values: &[&Expr],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        let [condition, then, otherwise] = values[..] else {
            return Err(arity(ident, "3", values.len()));
        };
        self.branches(&[condition, then], otherwise, row, span)
    }

    /// `case(condition1, value1, ..., else)`.
    pub(super) fn case(
        &mut self,
        ident: &ast::Ident,
        values: &[&Expr],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        if values.len() < 3 || values.len().is_multiple_of(2) {
            return Err(arity(ident, "an odd number, at least 3,", values.len()));
        }
        let (otherwise, pairs) = values.split_last().unwrap_or((&values[0], &[]));
        self.branches(pairs, otherwise, row, span)
    }

    /// `not(condition)`.
    pub(super) fn negation(
        &mut self,
        ident: &ast::Ident,
        values: &[&Expr],
        row: &[Column],
    ) -> BResult<BoundExpr> {
        let [inner] = values[..] else {
            return Err(arity(ident, "1", values.len()));
        };
        let inner = self.scalar(inner, row)?;
        Ok(not(self.boolean(inner)?))
    }

    /// `coalesce(value1, value2, ...)`: the function `coalesce` over the values' common type.
    pub(super) fn coalesce(
        &mut self,
        ident: &ast::Ident,
        values: &[&Expr],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        let bound = values
            .iter()
            .map(|v| self.scalar(v, row))
            .collect::<BResult<Vec<_>>>()?;
        if bound.len() < 2 {
            return Err(arity(ident, "at least 2", bound.len()));
        }
        let ty = common_type(&bound);
        let args = bound.into_iter().map(|v| convert(v, ty)).collect();
        Ok(BoundExpr::call("coalesce", args, ty, span))
    }

    /// The branches of `iff`/`case`: (condition, value) pairs and the value otherwise.
    fn branches(
        &mut self,
        pairs: &[&Expr],
        otherwise: &Expr,
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        let mut conditions = Vec::new();
        let mut values = Vec::new();
        for pair in pairs.chunks(2) {
            let [condition, value] = pair else { continue };
            let condition = self.scalar(condition, row)?;
            conditions.push(self.boolean(condition)?);
            values.push(self.scalar(value, row)?);
        }
        values.push(self.scalar(otherwise, row)?);
        let ty = common_type(&values);
        let mut values: Vec<BoundExpr> = values.into_iter().map(|v| convert(v, ty)).collect();
        let otherwise = values
            .pop()
            .unwrap_or_else(|| BoundExpr::literal(Value::Null(ty), span));
        let branches = conditions.into_iter().zip(values).collect();
        Ok(BoundExpr::new(
            Bound::Case {
                branches,
                otherwise: Box::new(otherwise),
            },
            ty,
            span,
        ))
    }
}
