//! `sample N` and `sample-distinct N of Column`: up to N rows (values) of the input, chosen at random
//! by sorting on `rand()` and keeping the first N.

use kql_syntax::ast::{Expr, ExprKind};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;

use crate::bound::{BoundExpr, Relation, RelationKind, SortKey};
use crate::{BResult, Binder};

impl Binder<'_> {
    /// `sample N`: N random rows of the input (all of them when it has fewer).
    pub(crate) fn sample(&mut self, input: Relation, count: &Expr, span: Span) -> BResult<Relation> {
        let count = self.count(count)?;
        Ok(random_rows(input, count, span))
    }

    /// `sample-distinct N of Column`: up to N distinct values of the column, in one column of its name.
    pub(crate) fn sample_distinct(
        &mut self,
        input: Relation,
        count: &Expr,
        column: &Expr,
        span: Span,
    ) -> BResult<Relation> {
        let count = self.count(count)?;
        let ExprKind::Name(ident) = &column.kind else {
            return Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                "`sample-distinct N of Column` takes a column name",
                column.span,
            ));
        };
        if !input.columns.iter().any(|c| c.name == ident.name) {
            return Err(super::unknown_column(ident, &input.columns));
        }
        let values = self.project_exprs(input, &[(&[][..], column)], span)?;
        let columns = values.columns.clone();
        let distinct = Relation::new(
            RelationKind::Distinct {
                input: values.boxed(),
            },
            columns,
            span,
        );
        Ok(random_rows(distinct, count, span))
    }
}

/// `count` rows of `input` in random order.
fn random_rows(input: Relation, count: u64, span: Span) -> Relation {
    let key = SortKey {
        expr: BoundExpr::call("rand", Vec::new(), KustoType::Real, span),
        descending: false,
        nulls_first: false,
    };
    let columns = input.columns.clone();
    let sort = RelationKind::Sort {
        input: input.boxed(),
        keys: vec![key],
        limit: Some(count),
    };
    Relation::new(sort, columns, span)
}
