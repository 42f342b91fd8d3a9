//! `find [withsource=Name] [in (Tables)] where Predicate [project-smart | project Col[:type], ...]`:
//! the rows of each table for which the predicate holds, as a union whose first column (`source_`)
//! names each row's table. Per the `find` docs, tables without any column the predicate uses are left
//! out, and a table lacking some of them sees those as missing values ("" for strings, else null),
//! as a union would give it.

use kql_syntax::ast::{BinaryOp as AstOp, Expr, ExprKind, FindColumn, FindOutput, Literal, OperatorParam};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;

use super::search::NamedInput;
use super::union::{merge_union, missing_value};
use crate::bound::{BoundExpr, Relation, RelationKind, Value};
use crate::catalog::Column;
use crate::expr::{self, literal};
use crate::tabular::{check_params, param_text};
use crate::{BResult, Binder, Binding};

/// The bag of the columns `find` does not output.
const PACK_COLUMN: &str = "pack_";

/// What `find` outputs after the source column: these columns, then with `pack`, a bag of each row's
/// other columns.
struct FindSchema {
    columns: Vec<Column>,
    pack: bool,
}

impl Binder<'_> {
    pub(crate) fn find(
        &mut self,
        params: &[OperatorParam],
        tables: &[Expr],
        predicate: &Expr,
        output: &FindOutput,
        span: Span,
    ) -> BResult<Relation> {
        check_params(params, &["withsource"], "find")?;
        let source_column = match params
            .iter()
            .find(|p| p.name.name.eq_ignore_ascii_case("withsource"))
        {
            Some(param) => param_text(param)?,
            None => "source_".to_string(),
        };
        let inputs = if tables.is_empty() {
            self.every_table("find", span)?
        } else {
            self.union_inputs(None, tables, false)?
        };
        let used = self.predicate_columns(predicate);
        let whole_row = searches_every_column(predicate);
        if used.is_empty() && !whole_row {
            return Err(Diagnostic::not_supported(
                "a `find` predicate that uses no column (Kusto leaves out every table without one)",
                predicate.span,
            ));
        }
        let inputs: Vec<NamedInput> = inputs
            .into_iter()
            .filter(|(input, _)| whole_row || input.columns.iter().any(|c| used.contains(&c.name)))
            .collect();
        if inputs.is_empty() {
            return Err(Diagnostic::new(
                DiagnosticKind::UnknownName,
                format!(
                    "no table of `find` has a column its predicate uses ({})",
                    used.join(", ")
                ),
                predicate.span,
            ));
        }
        // The type of each column the predicate uses, for the tables that lack it.
        let mut used_columns = Vec::new();
        for name in &used {
            if let Some(ty) = single_type(&inputs, name, predicate.span)? {
                used_columns.push(Column::new(name, ty));
            }
        }
        let schema = match output {
            FindOutput::Smart => smart_schema(&inputs, &used_columns)?,
            FindOutput::Project { columns, pack_all } => project_schema(&inputs, columns, *pack_all)?,
        };
        let mut outputs = Vec::new();
        for (input, name) in inputs {
            let filtered = self.find_filter(input, predicate, &used_columns)?;
            outputs.push((self.find_project(filtered, &schema, span)?, name));
        }
        merge_union(outputs, false, Some(&source_column), span)
    }

    /// The names of the columns `predicate` uses, in order of first use: its names that are not `let`
    /// values (names inside subqueries belong to those).
    fn predicate_columns(&self, predicate: &Expr) -> Vec<String> {
        let mut names = Vec::new();
        collect_names(predicate, &mut names);
        names.retain(|name| !matches!(self.lookup(name), Some(Binding::Scalar(_) | Binding::Tabular(_))));
        names
    }

    /// The rows of `input` for which `predicate` holds, with the used columns it lacks added as missing
    /// values (so the predicate binds); the added columns are dropped again by [`Binder::find_project`].
    fn find_filter(&mut self, input: Relation, predicate: &Expr, used: &[Column]) -> BResult<Relation> {
        let span = input.span;
        let missing: Vec<&Column> = used
            .iter()
            .filter(|column| !input.columns.iter().any(|c| c.name == column.name))
            .collect();
        let input = if missing.is_empty() {
            input
        } else {
            let mut columns = input.columns.clone();
            let mut exprs: Vec<BoundExpr> = columns.iter().map(|c| BoundExpr::column(c, span)).collect();
            for column in missing {
                columns.push(column.clone());
                exprs.push(BoundExpr::literal(missing_value(column.ty), span));
            }
            let project = RelationKind::Project {
                input: input.boxed(),
                exprs,
            };
            Relation::new(project, columns, span)
        };
        let predicate = self.search_predicate(predicate, &input.columns, false)?;
        let columns = input.columns.clone();
        let filter = RelationKind::Filter {
            input: input.boxed(),
            predicate,
        };
        Ok(Relation::new(filter, columns, span))
    }

    /// One input's rows in the output schema: its value of each output column (converted to the
    /// column's type, or missing), then the bag of its columns not output.
    fn find_project(&mut self, input: Relation, schema: &FindSchema, span: Span) -> BResult<Relation> {
        let mut exprs = Vec::new();
        for column in &schema.columns {
            exprs.push(match input.columns.iter().find(|c| c.name == column.name) {
                Some(found) => expr::convert(BoundExpr::column(found, span), column.ty),
                None => BoundExpr::literal(missing_value(column.ty), span),
            });
        }
        let mut columns = schema.columns.clone();
        if schema.pack {
            let rest: Vec<Column> = input
                .columns
                .iter()
                .filter(|c| !schema.columns.iter().any(|output| output.name == c.name))
                .cloned()
                .collect();
            exprs.push(if rest.is_empty() {
                BoundExpr::literal(Value::Dynamic("{}".to_string()), span)
            } else {
                self.column_bag(&rest, span)?
            });
            columns.push(Column::new(PACK_COLUMN, KustoType::Dynamic));
        }
        let project = RelationKind::Project {
            input: input.boxed(),
            exprs,
        };
        Ok(Relation::new(project, columns, span))
    }
}

/// The one type `name` has in the inputs that have it (`None` when none has it); a column with
/// several types is refused: Kusto would split it into one column per type.
fn single_type(inputs: &[NamedInput], name: &str, span: Span) -> BResult<Option<KustoType>> {
    let mut types: Vec<KustoType> = Vec::new();
    for (input, _) in inputs {
        if let Some(column) = input.columns.iter().find(|c| c.name == name)
            && !types.contains(&column.ty)
        {
            types.push(column.ty);
        }
    }
    match types[..] {
        [] => Ok(None),
        [ty] => Ok(Some(ty)),
        _ => {
            let names: Vec<&str> = types.iter().map(|ty| ty.name()).collect();
            Err(Diagnostic::not_supported(
                format!(
                    "`find` over tables where the column `{name}` has several types ({})",
                    names.join(", ")
                ),
                span,
            ))
        }
    }
}

/// `project-smart` (the docs' "output schema"): the columns common to all the tables, then the other
/// columns the predicate uses, then `pack_` when some table has columns left over.
fn smart_schema(inputs: &[NamedInput], used: &[Column]) -> BResult<FindSchema> {
    let mut columns: Vec<Column> = Vec::new();
    if let Some(((first, _), rest)) = inputs.split_first() {
        for column in &first.columns {
            let everywhere = rest
                .iter()
                .all(|(input, _)| input.columns.iter().any(|c| c.name == column.name));
            // A common name with several types: its place in the output is not documented.
            if everywhere && single_type(inputs, &column.name, first.span)?.is_some() {
                columns.push(column.clone());
            }
        }
    }
    for column in used {
        if !columns.iter().any(|c| c.name == column.name) {
            columns.push(column.clone());
        }
    }
    let pack = inputs.iter().any(|(input, _)| {
        input
            .columns
            .iter()
            .any(|c| !columns.iter().any(|output| output.name == c.name))
    });
    Ok(FindSchema { columns, pack })
}

/// `project Col[:type], ...` or `project pack_all()`: the listed columns (converted to the given
/// type), or one bag of every column.
fn project_schema(
    inputs: &[NamedInput],
    listed: &[FindColumn],
    pack_all: Option<Span>,
) -> BResult<FindSchema> {
    if let (Some(span), Some(_)) = (pack_all, listed.first()) {
        // The docs' text says the bag holds every column, their example shows only the others.
        return Err(Diagnostic::not_supported(
            "`find ... project Columns, pack_all()` (use `project pack_all()` alone, or list the columns)",
            span,
        ));
    }
    let mut columns: Vec<Column> = Vec::new();
    for item in listed {
        if columns.iter().any(|c| c.name == item.name.name) {
            return Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                format!("column `{}` is projected twice", item.name.name),
                item.span,
            ));
        }
        let Some(found) = single_type(inputs, &item.name.name, item.span)? else {
            let all: Vec<Column> = inputs
                .iter()
                .flat_map(|(input, _)| input.columns.clone())
                .collect();
            return Err(super::unknown_column(&item.name, &all));
        };
        let ty = match &item.ty {
            Some(name) => literal::type_named(name)?,
            None => found,
        };
        columns.push(Column::new(&item.name.name, ty));
    }
    Ok(FindSchema {
        columns,
        pack: pack_all.is_some(),
    })
}

/// Whether a predicate has a term that looks in every column (`"x"`, `*`, `* has "x"`).
fn searches_every_column(expr: &Expr) -> bool {
    match &expr.kind {
        ExprKind::Literal(Literal::String(_)) | ExprKind::Star => true,
        ExprKind::Paren(inner) => searches_every_column(inner),
        ExprKind::Call { name, args } if name.name == "not" => {
            args.iter().any(|arg| searches_every_column(&arg.value))
        }
        ExprKind::Binary {
            op: AstOp::And | AstOp::Or,
            left,
            right,
        } => searches_every_column(left) || searches_every_column(right),
        // `* has "x"`.
        ExprKind::Binary {
            op: AstOp::String(_),
            left,
            ..
        } => matches!(left.kind, ExprKind::Star),
        _ => false,
    }
}

/// Appends the names `expr` refers to (not function names, not inside subqueries), each once.
fn collect_names(expr: &Expr, names: &mut Vec<String>) {
    match &expr.kind {
        ExprKind::Name(ident) => {
            if !names.contains(&ident.name) {
                names.push(ident.name.clone());
            }
        }
        ExprKind::Member { target, .. } => collect_names(target, names),
        ExprKind::Index { target, index } => {
            collect_names(target, names);
            collect_names(index, names);
        }
        ExprKind::Call { args, .. } => {
            for arg in args {
                collect_names(&arg.value, names);
            }
        }
        ExprKind::Unary { operand, .. } | ExprKind::Paren(operand) => collect_names(operand, names),
        ExprKind::Binary { left, right, .. } => {
            collect_names(left, names);
            collect_names(right, names);
        }
        ExprKind::In { expr, list, .. } | ExprKind::HasAny { expr, list, .. } => {
            collect_names(expr, names);
            for item in list {
                collect_names(item, names);
            }
        }
        ExprKind::Between { expr, low, high, .. } => {
            for part in [expr, low, high] {
                collect_names(part, names);
            }
        }
        ExprKind::Literal(_)
        | ExprKind::Star
        | ExprKind::Pipe { .. }
        | ExprKind::Source(_)
        | ExprKind::ImplicitInput => {}
    }
}
