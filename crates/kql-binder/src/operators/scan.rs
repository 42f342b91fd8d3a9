//! `scan [with_match_id=Name] [declare (Col:type [= default], ...)] with (step Name [output=all|none]:
//! Condition [=> Col = Value, ...]; ...)`.
//!
//! Conditions and assignments are bound over the scan row ([`ScanStep`]): the current record's input
//! columns, and `Step.Column` for the values in a step's state. A declared column is read only through
//! a step (`s1.total`): Kusto's docs give no meaning to a bare declared name inside a step.

use std::collections::HashSet;

use kql_syntax::ast::{self, OperatorParam, ParameterType};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;

use crate::bound::{ExprKind, Relation, RelationKind, ScanStep, Value, scan_state_column};
use crate::catalog::Column;
use crate::expr::literal;
use crate::tabular::{check_params, param_text};
use crate::{BResult, Binder};

impl Binder<'_> {
    pub(crate) fn scan(
        &mut self,
        input: Relation,
        params: &[OperatorParam],
        declare: &[ast::Parameter],
        steps: &[ast::ScanStep],
        span: Span,
    ) -> BResult<Relation> {
        check_params(params, &["with_match_id"], "scan")?;
        let match_id = params
            .iter()
            .find(|p| p.name.name.eq_ignore_ascii_case("with_match_id"))
            .map(param_text)
            .transpose()?;

        let mut columns = input.columns.clone();
        let mut declared = Vec::new();
        for parameter in declare {
            let ParameterType::Scalar(type_name) = &parameter.ty else {
                return Err(Diagnostic::new(
                    DiagnosticKind::Type,
                    "a `scan` declared column must have a scalar type",
                    parameter.span,
                ));
            };
            let ty = literal::type_named(type_name)?;
            let name = &parameter.name;
            if columns.iter().any(|c| c.name == name.name) {
                return Err(Diagnostic::new(
                    DiagnosticKind::Semantic,
                    format!(
                        "`scan` declares `{}`, which is already a column of its input",
                        name.name
                    ),
                    name.span,
                ));
            }
            let default = match &parameter.default {
                Some(expr) => self.constant(expr, ty)?,
                None => Value::Null(ty),
            };
            columns.push(Column::new(&name.name, ty));
            declared.push(default);
        }

        let mut names = HashSet::new();
        for step in steps {
            if !names.insert(step.name.name.as_str()) {
                return Err(Diagnostic::new(
                    DiagnosticKind::Semantic,
                    format!(
                        "the step name `{}` is used twice; step names must be unique",
                        step.name.name
                    ),
                    step.name.span,
                ));
            }
        }
        let mut row = input.columns.clone();
        for step in steps {
            for column in &columns {
                row.push(Column::new(
                    scan_state_column(&step.name.name, &column.name),
                    column.ty,
                ));
            }
        }
        let declared_names = &columns[input.columns.len()..];
        // Declared columns are visible bare only so that naming one gets a precise refusal.
        row.extend(declared_names.iter().cloned());
        let bound_steps = steps
            .iter()
            .map(|step| self.scan_step(step, &row, declared_names))
            .collect::<BResult<Vec<_>>>()?;

        if let Some(name) = &match_id {
            if columns.iter().any(|c| &c.name == name) {
                return Err(Diagnostic::new(
                    DiagnosticKind::Semantic,
                    format!("the match id column `{name}` is already a column"),
                    span,
                ));
            }
            columns.push(Column::new(name, KustoType::Long));
        }
        Ok(Relation::new(
            RelationKind::Scan {
                input: input.boxed(),
                declared,
                steps: bound_steps,
                match_id: match_id.is_some(),
            },
            columns,
            span,
        ))
    }

    fn scan_step(&mut self, step: &ast::ScanStep, row: &[Column], declared: &[Column]) -> BResult<ScanStep> {
        let emits = match step.output.as_ref().map(|o| o.name.to_ascii_lowercase()) {
            None => true,
            Some(output) if output == "all" => true,
            Some(output) if output == "none" => false,
            Some(output) if output == "last" => {
                return Err(Diagnostic::not_supported(
                    "`scan` step `output=last` (the docs do not say when a series of repeated matches \
                     ends, so its rows cannot be given exactly)",
                    step.output.as_ref().map_or(step.span, |o| o.span),
                ));
            }
            Some(output) => {
                return Err(Diagnostic::new(
                    DiagnosticKind::Semantic,
                    format!("unknown step output `{output}`: use `all`, `last` or `none`"),
                    step.output.as_ref().map_or(step.span, |o| o.span),
                ));
            }
        };
        let condition = self.scan_expr(&step.condition, row, declared)?;
        if condition.ty != KustoType::Bool {
            return Err(Diagnostic::new(
                DiagnosticKind::Type,
                format!("a `scan` step condition must be a bool, not {}", condition.ty),
                condition.span,
            ));
        }
        let mut assignments = Vec::new();
        for assignment in &step.assignments {
            let [target] = assignment.names.as_slice() else {
                return Err(Diagnostic::new(
                    DiagnosticKind::Semantic,
                    "a `scan` assignment must name a declared column (`=> Column = value`)",
                    assignment.span,
                ));
            };
            let Some(index) = declared.iter().position(|c| c.name == target.name) else {
                return Err(Diagnostic::new(
                    DiagnosticKind::UnknownName,
                    format!("`{}` is not a declared column of this `scan`", target.name),
                    target.span,
                ));
            };
            let value = self.scan_expr(&assignment.expr, row, declared)?;
            let ty = declared[index].ty;
            let value = crate::expr::convert(value, ty);
            assignments.push((index, value));
        }
        Ok(ScanStep {
            name: step.name.name.clone(),
            condition,
            assignments,
            emits,
        })
    }
}

impl Binder<'_> {
    /// Binds a step's condition or assignment over the scan row, refusing a bare declared column and
    /// window functions.
    fn scan_expr(
        &mut self,
        expr: &ast::Expr,
        row: &[Column],
        declared: &[Column],
    ) -> BResult<crate::bound::BoundExpr> {
        let bound = self.scalar(expr, row)?;
        let mut refused = None;
        bound.visit(&mut |e| match &e.kind {
            ExprKind::Column(name) if refused.is_none() && declared.iter().any(|c| &c.name == name) => {
                refused = Some(Diagnostic::not_supported(
                    format!(
                        "the declared column `{name}` without a step; read it from a step's state, \
                         as in `s1.{name}`"
                    ),
                    e.span,
                ));
            }
            ExprKind::Window(_) if refused.is_none() => {
                refused = Some(Diagnostic::not_supported(
                    "window functions in a `scan` step",
                    e.span,
                ));
            }
            _ => {}
        });
        match refused {
            Some(diagnostic) => Err(diagnostic),
            None => Ok(bound),
        }
    }
}
