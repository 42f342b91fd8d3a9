//! `union`: columns merged by name in order of appearance; a name with several types becomes one
//! column per type (`X_long`, `X_string`). Missing values are null, or "" for strings.

use kql_syntax::ast::{Expr, ExprKind, OperatorParam};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;

use crate::bound::{BoundExpr, Relation, RelationKind, Value};
use crate::catalog::Column;
use crate::names::matches_wildcard;
use crate::tabular::{check_params, param_text};
use crate::{BResult, Binder};

/// The value a union input contributes for a column it lacks.
pub(crate) fn missing_value(ty: KustoType) -> Value {
    match ty {
        KustoType::String => Value::String(String::new()),
        ty => Value::Null(ty),
    }
}

impl Binder<'_> {
    pub(crate) fn union(
        &mut self,
        first: Option<Relation>,
        params: &[OperatorParam],
        tables: &[Expr],
        span: Span,
    ) -> BResult<Relation> {
        check_params(params, &["kind", "isfuzzy"], "union")?;
        let mut inner = false;
        for param in params {
            let value = param_text(param)?.to_ascii_lowercase();
            match (param.name.name.to_ascii_lowercase().as_str(), value.as_str()) {
                ("kind", "inner") => inner = true,
                ("kind", "outer") | ("isfuzzy", "false") => {}
                _ => return Err(Diagnostic::not_supported(format!("union parameter `{}={value}`", param.name.name), param.span)),
            }
        }
        let mut inputs: Vec<Relation> = first.into_iter().collect();
        for table in tables {
            match &table.kind {
                ExprKind::Name(ident) if ident.name.contains('*') => {
                    let mut names: Vec<String> = self
                        .catalog
                        .table_names()
                        .into_iter()
                        .filter(|name| matches_wildcard(&ident.name, name))
                        .collect();
                    names.sort();
                    for name in names {
                        inputs.push(self.table(&name, ident.span)?);
                    }
                }
                _ => inputs.push(self.tabular(table)?),
            }
        }
        if inputs.is_empty() {
            return Err(Diagnostic::new(DiagnosticKind::Semantic, "union has no tables", span));
        }
        // Merge by name, remembering every type a name has, in order of appearance.
        let mut merged: Vec<(String, Vec<KustoType>)> = Vec::new();
        for input in &inputs {
            for column in &input.columns {
                match merged.iter_mut().find(|(name, _)| *name == column.name) {
                    Some((_, types)) if !types.contains(&column.ty) => types.push(column.ty),
                    Some(_) => {}
                    None => merged.push((column.name.clone(), vec![column.ty])),
                }
            }
        }
        if inner {
            merged.retain(|(name, _)| inputs.iter().all(|input| input.columns.iter().any(|c| c.name == *name)));
        }
        // Each output column: its name and the (source name, type) it takes from each input.
        let mut outputs: Vec<(Column, String)> = Vec::new();
        for (name, types) in merged {
            if let [ty] = types[..] {
                outputs.push((Column::new(&name, ty), name));
            } else {
                for ty in types {
                    outputs.push((Column::new(format!("{name}_{}", ty.name()), ty), name.clone()));
                }
            }
        }
        let columns: Vec<Column> = outputs.iter().map(|(column, _)| column.clone()).collect();
        let inputs = inputs
            .into_iter()
            .map(|input| {
                let exprs = outputs
                    .iter()
                    .map(|(column, source)| match input.columns.iter().find(|c| c.name == *source && c.ty == column.ty) {
                        Some(found) => BoundExpr::column(found, span),
                        None => BoundExpr::literal(missing_value(column.ty), span),
                    })
                    .collect();
                let input_span = input.span;
                Relation::new(RelationKind::Project { input: input.boxed(), exprs }, columns.clone(), input_span)
            })
            .collect();
        Ok(Relation::new(RelationKind::Union { inputs }, columns, span))
    }
}
