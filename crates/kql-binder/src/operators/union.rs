//! `union`: columns merged by name in order of appearance; a name with several types becomes one
//! column per type (`X_long`, `X_string`). Missing values are null, or "" for strings.

use kql_syntax::ast::{Expr, ExprKind, Ident, OperatorKind, OperatorParam};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;

use crate::bound::{BoundExpr, Relation, RelationKind, Value};
use crate::catalog::Column;
use crate::names::{matches_wildcard, unique};
use crate::tabular::{check_params, param_text};
use crate::{BResult, Binder, Binding};

/// The value a union input contributes for a column it lacks.
pub(crate) fn missing_value(ty: KustoType) -> Value {
    match ty {
        KustoType::String => Value::String(String::new()),
        ty => Value::Null(ty),
    }
}

/// The name `union withsource=` reports for an input: a table or `let` name, or an `as` name.
pub(crate) fn source_name(expr: &Expr) -> Option<String> {
    match &expr.kind {
        ExprKind::Paren(inner) => source_name(inner),
        ExprKind::Name(ident) => Some(ident.name.clone()),
        ExprKind::Pipe { operator, .. } => match &operator.kind {
            OperatorKind::As { name, .. } => Some(name.name.clone()),
            _ => None,
        },
        _ => None,
    }
}

impl Binder<'_> {
    pub(crate) fn union(
        &mut self,
        first: Option<(Relation, Option<String>)>,
        params: &[OperatorParam],
        tables: &[Expr],
        span: Span,
    ) -> BResult<Relation> {
        check_params(params, &["kind", "isfuzzy", "withsource"], "union")?;
        let mut inner = false;
        let mut fuzzy = false;
        let mut source_column = None;
        for param in params {
            let value = param_text(param)?.to_ascii_lowercase();
            match (param.name.name.to_ascii_lowercase().as_str(), value.as_str()) {
                ("kind", "inner") => inner = true,
                ("kind", "outer") | ("isfuzzy", "false") => {}
                ("isfuzzy", "true") => fuzzy = true,
                ("withsource", _) => source_column = Some(param_text(param)?),
                _ => {
                    return Err(Diagnostic::not_supported(
                        format!("union parameter `{}={value}`", param.name.name),
                        param.span,
                    ));
                }
            }
        }
        let inputs = self.union_inputs(first, tables, fuzzy)?;
        merge_union(inputs, inner, source_column.as_deref(), span)
    }

    /// The inputs of `union`/`search`/`find`, each with the name `withsource` reports for it: `first`
    /// (a piped input), then each table expression, wildcards expanded to the matching catalog tables.
    /// With `fuzzy`, names of tables that do not exist are left out.
    pub(crate) fn union_inputs(
        &mut self,
        first: Option<(Relation, Option<String>)>,
        tables: &[Expr],
        fuzzy: bool,
    ) -> BResult<Vec<(Relation, Option<String>)>> {
        let mut inputs: Vec<(Relation, Option<String>)> = first.into_iter().collect();
        for table in tables {
            match &table.kind {
                ExprKind::Name(ident) if ident.name.contains('*') => {
                    // Parameterless `let` views join wildcard unions, as tables do; other `let`s do not.
                    let mut views: Vec<String> = self
                        .let_names()
                        .into_iter()
                        .filter(|name| matches_wildcard(&ident.name, name))
                        .filter(|name| {
                            matches!(self.lookup(name), Some(Binding::Function(def))
                                if def.is_view && def.parameters.is_empty())
                        })
                        .collect();
                    views.sort();
                    views.dedup();
                    for name in views {
                        let view = Expr {
                            kind: ExprKind::Name(Ident {
                                name: name.clone(),
                                span: ident.span,
                            }),
                            span: ident.span,
                        };
                        inputs.push((self.tabular(&view)?, Some(name)));
                    }
                    let mut names: Vec<String> = self
                        .catalog
                        .table_names()
                        .into_iter()
                        .filter(|name| matches_wildcard(&ident.name, name))
                        // A `let` of the same name hides the table.
                        .filter(|name| self.lookup(name).is_none())
                        .collect();
                    names.sort();
                    for name in names {
                        inputs.push((self.table(&name, ident.span)?, Some(name)));
                    }
                }
                // `isfuzzy=true` leaves out inputs whose table does not exist.
                _ if fuzzy && self.names_missing_table(table) => {}
                _ => inputs.push((self.tabular(table)?, source_name(table))),
            }
        }
        Ok(inputs)
    }

    /// Whether a union input starts from a name that is neither a `let` nor a catalog table.
    fn names_missing_table(&self, expr: &Expr) -> bool {
        match &expr.kind {
            ExprKind::Paren(inner) => self.names_missing_table(inner),
            ExprKind::Pipe { input, .. } => self.names_missing_table(input),
            ExprKind::Name(ident) => {
                self.lookup(&ident.name).is_none() && self.catalog.table_schema(&ident.name).is_none()
            }
            _ => false,
        }
    }
}

/// The union of `inputs`: columns merged by name (one per type), and with `source_column`, a first
/// string column naming each row's input.
pub(crate) fn merge_union(
    inputs: Vec<(Relation, Option<String>)>,
    inner: bool,
    source_column: Option<&str>,
    span: Span,
) -> BResult<Relation> {
    if inputs.is_empty() {
        return Err(Diagnostic::new(
            DiagnosticKind::Semantic,
            "union has no tables (that exist)",
            span,
        ));
    }
    // Merge by name, remembering every type a name has, in order of appearance.
    let mut merged: Vec<(String, Vec<KustoType>)> = Vec::new();
    for (input, _) in &inputs {
        for column in &input.columns {
            match merged.iter_mut().find(|(name, _)| *name == column.name) {
                Some((_, types)) if !types.contains(&column.ty) => types.push(column.ty),
                Some(_) => {}
                None => merged.push((column.name.clone(), vec![column.ty])),
            }
        }
    }
    if inner {
        merged.retain(|(name, _)| {
            inputs
                .iter()
                .all(|(input, _)| input.columns.iter().any(|c| c.name == *name))
        });
    }
    // Each output column: its name and the (source name, type) it takes from each input.
    // A `X_long` that some input already has as a column name takes a numeric suffix too.
    let merged_names: Vec<String> = merged.iter().map(|(name, _)| name.clone()).collect();
    let mut outputs: Vec<(Column, String)> = Vec::new();
    for (name, types) in merged {
        if let [ty] = types[..] {
            outputs.push((Column::new(&name, ty), name));
        } else {
            for ty in types {
                let typed = unique(&format!("{name}_{}", ty.name()), |candidate| {
                    merged_names.iter().any(|n| n == candidate)
                        || outputs.iter().any(|(c, _)| c.name == candidate)
                });
                outputs.push((Column::new(typed, ty), name.clone()));
            }
        }
    }
    let mut columns: Vec<Column> = outputs.iter().map(|(column, _)| column.clone()).collect();
    if let Some(name) = source_column {
        columns.insert(0, Column::new(name, KustoType::String));
    }
    let inputs = inputs
        .into_iter()
        .enumerate()
        .map(|(index, (input, source))| {
            let mut exprs: Vec<BoundExpr> = Vec::new();
            if source_column.is_some() {
                let source = source.unwrap_or_else(|| format!("union_arg{index}"));
                exprs.push(BoundExpr::literal(Value::String(source), span));
            }
            exprs.extend(outputs.iter().map(|(column, source)| {
                match input
                    .columns
                    .iter()
                    .find(|c| c.name == *source && c.ty == column.ty)
                {
                    Some(found) => BoundExpr::column(found, span),
                    None => BoundExpr::literal(missing_value(column.ty), span),
                }
            }));
            let input_span = input.span;
            Relation::new(
                RelationKind::Project {
                    input: input.boxed(),
                    exprs,
                },
                columns.clone(),
                input_span,
            )
        })
        .collect();
    Ok(Relation::new(RelationKind::Union { inputs }, columns, span))
}
