//! `join` and `lookup`: key pairs from `on`, and Kusto's output columns for each kind (right-side
//! names that clash get the smallest free numeric suffix: `DeviceId1`).

use kql_syntax::ast::{BinaryOp, Expr, ExprKind, Ident, OperatorParam};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};

use super::unknown_column;
use crate::bound::{JoinKind, JoinOutput, JoinSide, Relation, RelationKind};
use crate::catalog::Column;
use crate::names::{position, unique};
use crate::tabular::{check_params, param_text};
use crate::{BResult, Binder};

/// `$left.Name` / `$right.Name`: which side and which column.
fn side_column(expr: &Expr) -> Option<(JoinSide, &Ident)> {
    let ExprKind::Member { target, name } = &expr.kind else {
        return None;
    };
    let ExprKind::Name(side) = &target.kind else {
        return None;
    };
    match side.name.as_str() {
        "$left" => Some((JoinSide::Left, name)),
        "$right" => Some((JoinSide::Right, name)),
        _ => None,
    }
}

impl Binder<'_> {
    pub(crate) fn join(
        &mut self,
        left: Relation,
        params: &[OperatorParam],
        right: &Expr,
        on: &[Expr],
        lookup: bool,
        span: Span,
    ) -> BResult<Relation> {
        let operator = if lookup { "lookup" } else { "join" };
        check_params(params, &["kind"], operator)?;
        let mut kind = if lookup {
            JoinKind::LeftOuter
        } else {
            JoinKind::InnerUnique
        };
        if let Some(param) = params.iter().find(|p| p.name.name.eq_ignore_ascii_case("kind")) {
            let text = param_text(param)?;
            kind = match JoinKind::from_name(&text) {
                Some(k @ (JoinKind::Inner | JoinKind::LeftOuter)) if lookup => k,
                Some(k) if !lookup => k,
                _ => {
                    return Err(Diagnostic::new(
                        DiagnosticKind::Semantic,
                        format!("`{text}` is not a {operator} kind"),
                        param.value.span,
                    ));
                }
            };
        }
        let right = self.tabular(right)?;
        let keys = on
            .iter()
            .map(|condition| self.join_key(condition, &left.columns, &right.columns))
            .collect::<BResult<Vec<_>>>()?;
        if keys.is_empty() {
            return Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                format!("`{operator}` needs `on` conditions"),
                span,
            ));
        }
        let mut output = Vec::new();
        let mut columns: Vec<Column> = Vec::new();
        let left_side = !matches!(kind, JoinKind::RightSemi | JoinKind::RightAnti);
        let right_side = !matches!(kind, JoinKind::LeftSemi | JoinKind::LeftAnti);
        if left_side {
            for (index, column) in left.columns.iter().enumerate() {
                output.push(JoinOutput {
                    side: JoinSide::Left,
                    index,
                });
                columns.push(column.clone());
            }
        }
        if right_side {
            // A clashing right column takes the smallest suffix no column of either side has.
            let taken = |candidate: &str, columns: &[Column]| {
                columns
                    .iter()
                    .chain(&left.columns)
                    .chain(&right.columns)
                    .any(|c| c.name == candidate)
            };
            for (index, column) in right.columns.iter().enumerate() {
                if lookup && keys.iter().any(|(_, r)| *r == index) {
                    continue;
                }
                let name = if columns.iter().any(|c| c.name == column.name) {
                    unique(&column.name, |candidate| taken(candidate, &columns))
                } else {
                    column.name.clone()
                };
                output.push(JoinOutput {
                    side: JoinSide::Right,
                    index,
                });
                columns.push(Column::new(name, column.ty));
            }
        }
        let kind_relation = RelationKind::Join {
            left: left.boxed(),
            right: right.boxed(),
            kind,
            keys,
            condition: None,
            output,
        };
        Ok(Relation::new(kind_relation, columns, span))
    }

    /// One `on` condition as (left index, right index).
    fn join_key(&self, condition: &Expr, left: &[Column], right: &[Column]) -> BResult<(usize, usize)> {
        let find = |ident: &Ident, columns: &[Column]| {
            position(columns, &ident.name).ok_or_else(|| unknown_column(ident, columns))
        };
        let (l, r) = match &condition.kind {
            ExprKind::Name(ident) => (find(ident, left)?, find(ident, right)?),
            ExprKind::Binary {
                op: BinaryOp::Eq,
                left: a,
                right: b,
            } => match (side_column(a), side_column(b)) {
                (Some((JoinSide::Left, l)), Some((JoinSide::Right, r)))
                | (Some((JoinSide::Right, r)), Some((JoinSide::Left, l))) => {
                    (find(l, left)?, find(r, right)?)
                }
                _ => return Err(Diagnostic::not_supported("this join condition", condition.span)),
            },
            _ => return Err(Diagnostic::not_supported("this join condition", condition.span)),
        };
        if left[l].ty != right[r].ty {
            return Err(Diagnostic::new(
                DiagnosticKind::Type,
                format!(
                    "join keys must have the same type: `{}` is {} but `{}` is {}",
                    left[l].name, left[l].ty, right[r].name, right[r].ty
                ),
                condition.span,
            ));
        }
        Ok((l, r))
    }
}
