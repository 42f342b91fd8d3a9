//! `mv-expand`: the listed dynamic values are expanded in parallel, one row per element; and
//! `mv-apply`, which runs a subquery on each input row's expansion.

use kql_syntax::ast::{Expr, MvExpandItem, OperatorParam};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;

use crate::bound::{BoundExpr, JoinOutput, JoinSide, Relation, RelationKind, Value};
use crate::catalog::Column;
use crate::expr::{convert, literal};
use crate::names::{Namer, position};
use crate::tabular::{check_params, param_text};
use crate::{BResult, Binder};

impl Binder<'_> {
    /// `mv-apply [params] items on (subquery)`. The output columns, as Kusto's own semantic analysis
    /// gives them: the non-expanded input columns in input order (a column the subquery also returns
    /// takes the subquery's value), then the subquery's other columns in its order.
    pub(crate) fn mv_apply(
        &mut self,
        input: Relation,
        params: &[OperatorParam],
        items: &[MvExpandItem],
        limit: Option<&Expr>,
        subquery: &Expr,
        span: Span,
    ) -> BResult<Relation> {
        let expand = self.mv_expand(input, params, items, limit, span)?;
        let RelationKind::MvExpand {
            input: expand_input,
            expanded,
            ..
        } = &expand.kind
        else {
            return Err(Diagnostic::internal("mv-apply without an expansion", span));
        };
        let carried: Vec<(usize, &Column)> = expand_input
            .columns
            .iter()
            .enumerate()
            .filter(|(index, _)| !expanded.contains(index))
            .collect();
        self.implicit_inputs
            .push(crate::ImplicitInput::Rows(expand.columns.clone()));
        let bound_subquery = self.tabular(subquery);
        self.implicit_inputs.pop();
        let subquery = bound_subquery?;

        let mut columns = Vec::new();
        let mut output = Vec::new();
        for (index, column) in &carried {
            match position(&subquery.columns, &column.name) {
                Some(from_subquery) => {
                    columns.push(subquery.columns[from_subquery].clone());
                    output.push(JoinOutput {
                        side: JoinSide::Right,
                        index: from_subquery,
                    });
                }
                None => {
                    columns.push((*column).clone());
                    output.push(JoinOutput {
                        side: JoinSide::Left,
                        index: *index,
                    });
                }
            }
        }
        for (index, column) in subquery.columns.iter().enumerate() {
            if !carried.iter().any(|(_, c)| c.name == column.name) {
                columns.push(column.clone());
                output.push(JoinOutput {
                    side: JoinSide::Right,
                    index,
                });
            }
        }
        Ok(Relation::new(
            RelationKind::MvApply {
                expand: expand.boxed(),
                subquery: subquery.boxed(),
                output,
            },
            columns,
            span,
        ))
    }

    /// `mv-expand`, also `mv-apply`'s expansion step.
    pub(crate) fn mv_expand(
        &mut self,
        input: Relation,
        params: &[OperatorParam],
        items: &[MvExpandItem],
        limit: Option<&Expr>,
        span: Span,
    ) -> BResult<Relation> {
        check_params(params, &["bagexpansion", "kind", "with_itemindex"], "mv-expand")?;
        let mut bag_as_array = false;
        let mut item_index_name = None;
        for param in params {
            let value = param_text(param)?;
            match param.name.name.to_ascii_lowercase().as_str() {
                "with_itemindex" => item_index_name = Some(value),
                _ if value.eq_ignore_ascii_case("array") => bag_as_array = true,
                _ if value.eq_ignore_ascii_case("bag") => bag_as_array = false,
                _ => {
                    return Err(Diagnostic::new(
                        DiagnosticKind::Semantic,
                        format!("`{}` must be `bag` or `array`, not `{value}`", param.name.name),
                        param.value.span,
                    ));
                }
            }
        }
        let mut columns = input.columns.clone();
        let mut exprs: Vec<BoundExpr> = columns.iter().map(|c| BoundExpr::column(c, span)).collect();
        let mut expanded = Vec::new();
        let mut output_types = Vec::new();
        let mut namer = Namer::new(self.catalog);
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
        if let Some(name) = &item_index_name {
            if position(&columns, name).is_some() {
                return Err(Diagnostic::new(
                    DiagnosticKind::Semantic,
                    format!("column `{name}` is defined twice (with_itemindex)"),
                    span,
                ));
            }
            columns.push(Column::new(name, KustoType::Long));
        }
        Ok(Relation::new(
            RelationKind::MvExpand {
                input: projected.boxed(),
                expanded,
                limit,
                bag_as_array,
                item_index: item_index_name.is_some(),
            },
            columns,
            span,
        ))
    }
}
