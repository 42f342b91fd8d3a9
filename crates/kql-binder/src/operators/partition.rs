//! `partition [hint.strategy=legacy|native|shuffle] by Column (Subquery)` and the legacy form with its
//! own source, `partition by Column { Source | ... }`.
//!
//! The input's distinct keys are read while binding (through [`Catalog::column_values`]); the subquery
//! is bound once per key, over the input rows with that key (or, with its own source, with `Column`
//! standing for the key), and the results are unioned, as the docs define the operator. Every strategy
//! gives the same answer; the key count is capped: at 64 for the legacy strategy, as Kusto does, and at
//! [`MAX_PARTITIONS`] otherwise, because each partition is a branch of the plan.
//!
//! [`Catalog::column_values`]: crate::catalog::Catalog::column_values

use std::collections::HashMap;

use kql_syntax::ast::{self, OperatorParam};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;

use crate::bound::{BinaryOp, BoundExpr, ExprKind, Relation, RelationKind, Value};
use crate::expr::convert;
use crate::tabular::{check_params, param_text};
use crate::{BResult, Binder, Binding, ImplicitInput};

/// The most partitions of the `legacy` strategy (Kusto's documented limit).
const MAX_LEGACY_PARTITIONS: usize = 64;
/// The most partitions of the `native` and `shuffle` strategies here.
pub(crate) const MAX_PARTITIONS: usize = 1000;

/// The partition column: as written, its type, and its value as text (`tostring(Column)`).
struct PartitionKey<'a> {
    by: &'a ast::Ident,
    ty: KustoType,
    text: BoundExpr,
}

impl Binder<'_> {
    pub(crate) fn partition(
        &mut self,
        input: Relation,
        params: &[OperatorParam],
        by: &ast::Ident,
        subquery: &ast::Expr,
        span: Span,
    ) -> BResult<Relation> {
        check_params(params, &[], "partition")?;
        let mut limit = MAX_LEGACY_PARTITIONS;
        for param in params {
            if !param.name.name.eq_ignore_ascii_case("hint.strategy") {
                continue;
            }
            limit = match param_text(param)?.to_ascii_lowercase().as_str() {
                "legacy" => MAX_LEGACY_PARTITIONS,
                "native" | "shuffle" => MAX_PARTITIONS,
                other => {
                    return Err(Diagnostic::new(
                        DiagnosticKind::Semantic,
                        format!("unknown partition strategy `{other}`: use `legacy`, `native` or `shuffle`"),
                        param.value.span,
                    ));
                }
            };
        }
        let Some(key) = input.columns.iter().find(|c| c.name == by.name).cloned() else {
            return Err(Diagnostic::new(
                DiagnosticKind::UnknownName,
                format!("unknown column `{}`", by.name),
                by.span,
            ));
        };
        if key.ty == KustoType::Dynamic {
            return Err(Diagnostic::new(
                DiagnosticKind::Type,
                format!("the partition column `{}` must be a scalar, not dynamic", by.name),
                by.span,
            ));
        }
        // Keys travel as text: `tostring` is one-to-one on every scalar type (null gives "", which no
        // other non-string value does, and a string column has no nulls).
        let key_text = convert(BoundExpr::column(&key, by.span), KustoType::String);
        let keys = self.partition_keys(&input, &key, &key_text, span)?;
        let partition_key = PartitionKey {
            by,
            ty: key.ty,
            text: key_text,
        };
        let Some(keys) = keys else {
            // A catalog that cannot run queries (`torhunt check`) validates the subquery once, over
            // the whole input: the columns are right, the rows are not meant to be read.
            return self.partition_branch(&input, &partition_key, None, subquery, span);
        };
        if keys.len() > limit {
            return Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                format!(
                    "`partition` found {} distinct values of `{}`; this strategy allows at most {limit}",
                    keys.len(),
                    by.name
                ),
                by.span,
            ));
        }
        if keys.is_empty() {
            // No partitions, no rows: the subquery only gives the columns (a `summarize count()` in it
            // would still give a row).
            let branch = self.partition_branch(&input, &partition_key, None, subquery, span)?;
            let columns = branch.columns.clone();
            return Ok(Relation::new(
                RelationKind::Take {
                    input: branch.boxed(),
                    count: 0,
                },
                columns,
                span,
            ));
        }
        let mut branches: Vec<Relation> = Vec::new();
        for text in &keys {
            let branch = self.partition_branch(&input, &partition_key, Some(text), subquery, span)?;
            if let Some(first) = branches.first()
                && first.columns != branch.columns
            {
                return Err(Diagnostic::not_supported(
                    "a `partition` subquery whose columns differ between partitions",
                    subquery.span,
                ));
            }
            branches.push(branch);
        }
        if branches.len() == 1 {
            return Ok(branches.remove(0));
        }
        let columns = branches[0].columns.clone();
        Ok(Relation::new(
            RelationKind::Union { inputs: branches },
            columns,
            span,
        ))
    }

    /// The subquery over the rows whose key reads `text`, or over all of `input` without one.
    fn partition_branch(
        &mut self,
        input: &Relation,
        key: &PartitionKey,
        text: Option<&String>,
        subquery: &ast::Expr,
        span: Span,
    ) -> BResult<Relation> {
        let subtable = match text {
            Some(text) => Relation::new(
                RelationKind::Filter {
                    input: input.clone().boxed(),
                    predicate: BoundExpr::new(
                        ExprKind::Binary {
                            op: BinaryOp::Eq,
                            left: Box::new(key.text.clone()),
                            right: Box::new(BoundExpr::literal(Value::String(text.clone()), key.by.span)),
                        },
                        KustoType::Bool,
                        key.by.span,
                    ),
                },
                input.columns.clone(),
                span,
            ),
            None => input.clone(),
        };
        if starts_with_implicit_input(subquery) {
            self.implicit_inputs
                .push(ImplicitInput::Relation(subtable.boxed()));
            let branch = self.tabular(subquery);
            self.implicit_inputs.pop();
            return branch;
        }
        let value = match text {
            Some(text) => convert(
                BoundExpr::literal(Value::String(text.clone()), key.by.span),
                key.ty,
            ),
            None => BoundExpr::literal(Value::Null(key.ty), key.by.span),
        };
        self.scopes
            .push(HashMap::from([(key.by.name.clone(), Binding::Scalar(value))]));
        let branch = self.tabular(subquery);
        self.scopes.pop();
        branch
    }

    /// The partition keys as text, sorted so the plan does not depend on the order they were read in;
    /// `None` when the catalog cannot run queries.
    fn partition_keys(
        &mut self,
        input: &Relation,
        key: &crate::catalog::Column,
        key_text: &BoundExpr,
        span: Span,
    ) -> BResult<Option<Vec<String>>> {
        let grouped = Relation::new(
            RelationKind::Summarize {
                input: input.clone().boxed(),
                keys: vec![BoundExpr::column(key, span)],
                aggregates: Vec::new(),
            },
            vec![key.clone()],
            span,
        );
        let texts = Relation::new(
            RelationKind::Project {
                input: grouped.boxed(),
                exprs: vec![key_text.clone()],
            },
            vec![crate::catalog::Column::new("key", KustoType::String)],
            span,
        );
        let mut keys = match self.catalog.column_values(&texts) {
            None => return Ok(None),
            Some(Err(reason)) => {
                return Err(Diagnostic::new(
                    DiagnosticKind::Execution,
                    format!("`partition` could not read the keys of its input: {reason}"),
                    span,
                ));
            }
            Some(Ok(keys)) => keys,
        };
        keys.sort();
        Ok(Some(keys))
    }
}

/// Whether a subquery is a transformation of the implicit input (`(sort by x | take 1)`), rather than
/// an expression with its own source (`{ T | where ... }`).
fn starts_with_implicit_input(expr: &ast::Expr) -> bool {
    match &expr.kind {
        ast::ExprKind::ImplicitInput => true,
        ast::ExprKind::Pipe { input, .. } => starts_with_implicit_input(input),
        ast::ExprKind::Paren(inner) => starts_with_implicit_input(inner),
        _ => false,
    }
}
