//! Bags of columns: `pack_all`, `bag_pack_columns`, and the bag of given columns `find` outputs, all
//! as `bag_pack("Col1", Col1, ...)`.

use kql_syntax::ast::{self, Expr, ExprKind};
use kql_syntax::{Diagnostic, Span};
use kql_types::KustoType;

use super::errors::{arity, type_error};
use crate::bound::{BoundExpr, ExprKind as Bound, Value};
use crate::catalog::Column;
use crate::{BResult, Binder};

impl Binder<'_> {
    /// `pack_all([ignore_null_empty])`: a bag of every column of the row, by name, as
    /// `bag_pack("Col1", Col1, ...)`; null values are kept unless `ignore_null_empty` is true, which
    /// leaves out the empty columns.
    pub(super) fn pack_all(
        &mut self,
        ident: &ast::Ident,
        values: &[&Expr],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        let ignore_null_empty = match values {
            [] => false,
            [flag] => match self.scalar(flag, row)?.as_literal() {
                Some(Value::Bool(flag)) => *flag,
                _ => {
                    return Err(type_error(
                        "the argument of `pack_all` must be a constant bool".into(),
                        flag.span,
                    ));
                }
            },
            _ => return Err(arity(ident, "0 or 1", values.len())),
        };
        // In an `extend`, the columns its earlier definitions made are not packed.
        let row: Vec<Column> = match &self.extending {
            Some(extending) if extending.row == row => {
                if let Some(name) = extending.replaced.first() {
                    return Err(Diagnostic::not_supported(
                        format!(
                            "`pack_all()` after `{name}` is redefined in the same `extend` (which value \
                             Kusto packs is not documented)"
                        ),
                        span,
                    ));
                }
                row.iter()
                    .filter(|column| !extending.added.contains(&column.name))
                    .cloned()
                    .collect()
            }
            _ => row.to_vec(),
        };
        if ignore_null_empty {
            return self.non_empty_column_bag(&row, span);
        }
        self.column_bag(&row, span)
    }

    /// The bag of the columns whose value is not empty ("ignore null/empty columns": null or the
    /// empty string, as `isempty` has it), as `bag_merge` of one
    /// `iff(isempty(Col), dynamic({}), bag_pack("Col", Col))` per column.
    fn non_empty_column_bag(&mut self, columns: &[Column], span: Span) -> BResult<BoundExpr> {
        let mut bags = Vec::new();
        for column in columns {
            let empty = self.call_bound("isempty", vec![BoundExpr::column(column, span)], span)?;
            let nothing = BoundExpr::literal(Value::Dynamic("{}".to_string()), span);
            let bag = self.column_bag(std::slice::from_ref(column), span)?;
            bags.push(BoundExpr::new(
                Bound::Case {
                    branches: vec![(empty, nothing)],
                    otherwise: Box::new(bag),
                },
                KustoType::Dynamic,
                span,
            ));
        }
        match bags.len() {
            0 => self.column_bag(columns, span),
            1 => Ok(bags.remove(0)),
            _ => self.call_bound("bag_merge", bags, span),
        }
    }

    /// A bag of `columns`, each under its own name: `bag_pack("Col1", Col1, ...)`.
    pub(crate) fn column_bag(&mut self, columns: &[Column], span: Span) -> BResult<BoundExpr> {
        let mut args = Vec::new();
        for column in columns {
            args.push(BoundExpr::literal(Value::String(column.name.clone()), span));
            args.push(BoundExpr::column(column, span));
        }
        self.call_bound("bag_pack", args, span)
    }

    /// The catalog's scalar function `name` of already bound arguments.
    fn call_bound(&mut self, name: &str, args: Vec<BoundExpr>, span: Span) -> BResult<BoundExpr> {
        let ident = ast::Ident {
            name: name.to_string(),
            span,
        };
        let signature = self
            .scalar_function(name)
            .ok_or_else(|| self.unknown_function(&ident))?;
        self.apply(&signature, &ident, args, span)
    }

    /// `bag_pack_columns(Col1, Col2, ...)`: a bag of the named columns, each under its own name, as
    /// `bag_pack("Col1", Col1, ...)`.
    pub(super) fn pack_columns(
        &mut self,
        ident: &ast::Ident,
        values: &[&Expr],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        if values.is_empty() {
            return Err(arity(ident, "at least 1", 0));
        }
        let mut args = Vec::new();
        for value in values {
            let ExprKind::Name(name) = &value.kind else {
                return Err(type_error(
                    "the arguments of `bag_pack_columns` must be column names".into(),
                    value.span,
                ));
            };
            args.push(BoundExpr::literal(Value::String(name.name.clone()), name.span));
            args.push(self.name(name, row)?);
        }
        self.call_bound("bag_pack", args, span)
    }
}
