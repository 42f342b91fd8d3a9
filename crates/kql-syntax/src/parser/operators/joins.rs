//! Operators that combine tables: `join`, `lookup`, `union` (as a pipe stage; `union` also starts a
//! pipeline, see `sources`).

use crate::ast::{BinaryOp, Expr, ExprKind, OperatorKind};
use crate::parser::{PResult, Parser};

pub(super) const OPERATORS: &[&str] = &["join", "lookup"];

/// Parameters `union` accepts besides `hint.*`.
pub(super) const UNION_PARAMS: &[&str] = &["kind", "withsource", "isfuzzy"];

impl Parser<'_> {
    pub(super) fn joins_operator(&mut self, word: &str) -> PResult<Option<OperatorKind>> {
        if !OPERATORS.contains(&word) {
            return Ok(None);
        }
        self.bump();
        let params = self.operator_params(&["kind"])?;
        let right = self.expr()?;
        let context = format!("after the right side of `{word}`");
        self.expect_word("on", &context)?;
        let mut on = Vec::new();
        for condition in self.comma_list(Parser::expr)? {
            split_and(condition, &mut on);
        }
        Ok(Some(match word {
            "join" => OperatorKind::Join { params, right, on },
            _ => OperatorKind::Lookup { params, right, on },
        }))
    }

    /// After `union`: `[params] table, ...`.
    pub(super) fn union(&mut self) -> PResult<OperatorKind> {
        let params = self.operator_params(UNION_PARAMS)?;
        let tables = self.comma_list(Parser::table_reference)?;
        Ok(OperatorKind::Union { params, tables })
    }
}

/// `a and b and c` -> `[a, b, c]`: join conditions are a list of equalities.
fn split_and(condition: Expr, out: &mut Vec<Expr>) {
    match condition.kind {
        ExprKind::Binary {
            op: BinaryOp::And,
            left,
            right,
        } => {
            split_and(*left, out);
            split_and(*right, out);
        }
        kind => out.push(Expr {
            kind,
            span: condition.span,
        }),
    }
}
