//! `mv-expand`: the listed dynamic values are expanded in parallel, one row per element.

use kql_syntax::ast::{Expr, MvExpandItem, OperatorParam};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;

use crate::bound::{BoundExpr, Relation, RelationKind, Value};
use crate::catalog::Column;
use crate::names::{Namer, position};
use crate::scalar::convert;
use crate::tabular::{check_params, param_text};
use crate::{BResult, Binder, literal};

impl Binder<'_> {
    pub(crate) fn mv_expand(
        &mut self,
        input: Relation,
        params: &[OperatorParam],
        items: &[MvExpandItem],
        limit: Option<&Expr>,
        span: Span,
    ) -> BResult<Relation> {
        check_params(params, &["bagexpansion"], "mv-expand")?;
        if let Some(param) = params.first()
            && !param_text(param)?.eq_ignore_ascii_case("bag")
        {
            return Err(Diagnostic::not_supported(
                "mv-expand bagexpansion=array",
                param.span,
            ));
        }
        let mut columns = input.columns.clone();
        let mut exprs: Vec<BoundExpr> = columns.iter().map(|c| BoundExpr::column(c, span)).collect();
        let mut expanded = Vec::new();
        let mut output_types = Vec::new();
        let mut namer = Namer::default();
        for item in items {
            let bound = convert(self.scalar(&item.expr, &input.columns)?, KustoType::Dynamic);
            let name = namer.name(item.name.as_ref().map(|n| n.name.as_str()), &item.expr);
            let index = match position(&columns, &name) {
                Some(index) => {
                    exprs[index] = bound;
                    columns[index].ty = KustoType::Dynamic;
                    index
                }
                None => {
                    columns.push(Column::new(name, KustoType::Dynamic));
                    exprs.push(bound);
                    columns.len() - 1
                }
            };
            let ty = item
                .to_type
                .as_ref()
                .map(literal::type_named)
                .transpose()?
                .unwrap_or(KustoType::Dynamic);
            expanded.push(index);
            output_types.push(ty);
        }
        let limit = match limit {
            None => None,
            Some(expr) => match self.scalar(expr, &[])?.as_literal() {
                Some(Value::Long(n)) if *n >= 0 => Some(*n as u64),
                _ => {
                    return Err(Diagnostic::new(
                        DiagnosticKind::Semantic,
                        "the limit must be a constant row count",
                        expr.span,
                    ));
                }
            },
        };
        let projected = Relation::new(
            RelationKind::Project {
                input: input.boxed(),
                exprs,
            },
            columns.clone(),
            span,
        );
        for (index, ty) in expanded.iter().zip(output_types) {
            columns[*index].ty = ty;
        }
        Ok(Relation::new(
            RelationKind::MvExpand {
                input: projected.boxed(),
                expanded,
                limit,
            },
            columns,
            span,
        ))
    }
}
