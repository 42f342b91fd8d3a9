//! `scan`: the serialized input, in order, into the [`ScanNode`](crate::nodes::ScanNode) state machine.
//! This file lowers the steps' bound expressions over the scan row; the node runs them.

use std::collections::HashSet;
use std::sync::Arc;

use datafusion::arrow::datatypes::Field;
use datafusion::common::DFSchema;
use datafusion::logical_expr::{Extension, LogicalPlan};
use kql_binder::bound::{BoundExpr, ExprKind, Relation, ScanStep, Value, scan_state_column};
use kql_syntax::Span;

use super::build;
use super::window::{ROW_ORDER, row_order};
use crate::expr::scalar_value;
use crate::nodes::{ScanNode, ScanProgram, StateColumn, StepExpr, StepProgram};
use crate::{PResult, Planner, cast_to, plan_error};

impl Planner<'_> {
    pub(crate) fn scan(
        &self,
        relation: &Relation,
        input: &Relation,
        declared: &[Value],
        steps: &[ScanStep],
        match_id: bool,
    ) -> PResult<LogicalPlan> {
        let span = relation.span;
        let plan = build(self.serialized(input)?, span, |b| b.sort(row_order()))?;
        let input_width = input.columns.len();
        // The record of a step: the input's columns, then the declared ones.
        let record = &relation.columns[..input_width + declared.len()];

        let mut read = HashSet::new();
        for step in steps {
            step.condition.visit(&mut |e| collect_column(e, &mut read));
            for (_, value) in &step.assignments {
                value.visit(&mut |e| collect_column(e, &mut read));
            }
        }
        let mut state_columns = Vec::new();
        for (step_index, step) in steps.iter().enumerate() {
            for (source, column) in record.iter().enumerate() {
                let name = scan_state_column(&step.name, &column.name);
                if read.contains(&name) {
                    state_columns.push(StateColumn {
                        name,
                        step: step_index,
                        source,
                        data_type: column.ty.arrow_type(),
                    });
                }
            }
        }

        let mut fields: Vec<_> = plan.schema().fields().iter().cloned().collect();
        fields.extend(
            state_columns
                .iter()
                .map(|c| Arc::new(Field::new(&c.name, c.data_type.clone(), true))),
        );
        let row = DFSchema::from_unqualified_fields(fields.into(), Default::default())
            .map_err(|e| plan_error(e, span))?;
        let state_names: HashSet<&str> = state_columns.iter().map(|c| c.name.as_str()).collect();
        let step_expr = |bound: &BoundExpr| -> PResult<StepExpr> {
            let mut reads_state = false;
            bound.visit(&mut |e| {
                reads_state |=
                    matches!(&e.kind, ExprKind::Column(name) if state_names.contains(name.as_str()))
            });
            Ok(StepExpr {
                expr: self.expr(bound, &row)?,
                reads_state,
            })
        };
        let declared_columns = &record[input_width..];
        let programs = steps
            .iter()
            .map(|step| {
                let assignments = step
                    .assignments
                    .iter()
                    .map(|(index, value)| {
                        let mut lowered = step_expr(value)?;
                        let ty = declared_columns[*index].ty.arrow_type();
                        lowered.expr = cast_to(lowered.expr, &ty, &row);
                        Ok((*index, lowered))
                    })
                    .collect::<PResult<_>>()?;
                Ok(StepProgram {
                    condition: step_expr(&step.condition)?,
                    assignments,
                    emits: step.emits,
                })
            })
            .collect::<PResult<Vec<_>>>()?;
        let declared = declared_columns
            .iter()
            .zip(declared)
            .map(|(column, default)| Ok((column.name.clone(), typed_default(default, column, span)?)))
            .collect::<PResult<Vec<_>>>()?;
        let program = ScanProgram {
            input_width,
            row_order: ROW_ORDER.to_string(),
            declared,
            state_columns,
            steps: programs,
            match_id: match_id.then(|| relation.columns[relation.columns.len() - 1].name.clone()),
        };
        let node = ScanNode::try_new(plan, program).map_err(|e| plan_error(e, span))?;
        Ok(LogicalPlan::Extension(Extension { node: Arc::new(node) }))
    }
}

fn collect_column(expr: &BoundExpr, names: &mut HashSet<String>) {
    if let ExprKind::Column(name) = &expr.kind {
        names.insert(name.clone());
    }
}

/// A declared column's default as a scalar of the column's Arrow type.
fn typed_default(
    default: &Value,
    column: &kql_binder::catalog::Column,
    span: Span,
) -> PResult<datafusion::common::ScalarValue> {
    scalar_value(default, span)?
        .cast_to(&column.ty.arrow_type())
        .map_err(|e| plan_error(e, span))
}
