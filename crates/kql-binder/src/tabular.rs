//! Tabular expressions: names, sources (`datatable`, `externaldata`, `print`, `range`, `union`), and
//! the pipe, which hands each operator to its binder in [`crate::operators`].

use kql_syntax::ast::{Arg, Expr, ExprKind, Ident, Literal, Operator, OperatorKind, OperatorParam};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;

use crate::bound::{BoundExpr, ExprKind as Bound, Relation, RelationKind, Value};
use crate::catalog::Column;
use crate::expr::literal;
use crate::names::{self, Namer};
use crate::refusals::{self, BuiltinKind};
use crate::{BResult, Binder, Binding, ImplicitInput};

impl Relation {
    pub(crate) fn new(kind: RelationKind, columns: Vec<Column>, span: Span) -> Relation {
        Relation { kind, columns, span }
    }

    /// This relation as the input of another operator.
    pub(crate) fn boxed(self) -> Box<Relation> {
        Box::new(self)
    }
}

/// The text of a constant operator parameter value (`kind=inner`, `format="csv"`, `flag=true`).
pub(crate) fn param_text(param: &OperatorParam) -> BResult<String> {
    match &param.value.kind {
        ExprKind::Name(ident) => Ok(ident.name.clone()),
        ExprKind::Literal(Literal::String(s)) => Ok(s.clone()),
        ExprKind::Literal(Literal::Bool(b)) => Ok(b.to_string()),
        ExprKind::Literal(Literal::Long(n)) => Ok(n.to_string()),
        _ => Err(Diagnostic::new(
            DiagnosticKind::Semantic,
            format!("the value of `{}` must be a constant", param.name.name),
            param.value.span,
        )),
    }
}

/// Azure Monitor's cross-resource functions: `workspace("w").T`, `app("a").T`, `resource(...)`,
/// `adx(...)`, `arg("").Resources`.
const AZURE_MONITOR_SCOPES: &[&str] = &["workspace", "app", "resource", "adx", "arg"];

/// Refuses operator parameters other than the listed ones and `hint.*` (hints never change results).
pub(crate) fn check_params(params: &[OperatorParam], allowed: &[&str], operator: &str) -> BResult<()> {
    for param in params {
        let name = param.name.name.to_ascii_lowercase();
        if !name.starts_with("hint.") && !allowed.contains(&name.as_str()) {
            return Err(Diagnostic::not_supported(
                format!("`{operator}` parameter `{}`", param.name.name),
                param.span,
            ));
        }
    }
    Ok(())
}

impl Binder<'_> {
    /// Why `place.Table` cannot be read: `place` is another database, cluster, workspace, app or
    /// resource, which exported files do not carry.
    fn other_place(&mut self, place: &Expr) -> Diagnostic {
        if let ExprKind::Call { name, .. } = &place.kind
            && AZURE_MONITOR_SCOPES.contains(&name.name.as_str())
        {
            return Diagnostic::not_supported(
                format!(
                    "tables of another Azure Monitor scope (`{}()`): torhunt reads the tables in --data; \
                     query the table by its own name",
                    name.name
                ),
                name.span,
            );
        }
        match self.tabular(place) {
            // `database()` and `cluster()` are refused with their reason.
            Err(refusal) => refusal,
            Ok(_) => Diagnostic::new(
                DiagnosticKind::Semantic,
                "a tabular expression is expected here",
                place.span,
            ),
        }
    }

    /// Binds a tabular expression.
    pub(crate) fn tabular(&mut self, expr: &Expr) -> BResult<Relation> {
        match &expr.kind {
            ExprKind::Paren(inner) => self.tabular(inner),
            ExprKind::Name(ident) => self.table(&ident.name, ident.span),
            ExprKind::Pipe {
                input: input_expr,
                operator,
            } => {
                let input = self.tabular(input_expr)?;
                match &operator.kind {
                    // `union withsource=` names each input, the piped one too.
                    OperatorKind::Union { params, tables } => {
                        let first = (input, crate::operators::source_name(input_expr));
                        self.union(Some(first), params, tables, operator.span)
                    }
                    // `$table` names the piped input too.
                    OperatorKind::Search {
                        params,
                        tables,
                        predicate,
                    } => {
                        let first = (input, crate::operators::source_name(input_expr));
                        self.search(Some(first), params, tables, predicate, operator.span)
                    }
                    _ => self.operator(input, operator),
                }
            }
            ExprKind::Source(operator) => self.source(operator),
            ExprKind::Call { name, args } => {
                if let Some(Binding::Function(def)) = self.lookup(&name.name) {
                    let def = def.clone();
                    return self.inline(&def, (name, args), &[], |binder, body| binder.tabular(body));
                }
                match (name.name.as_str(), args.as_slice()) {
                    ("materialize", [arg]) => self.tabular(&arg.value),
                    ("table", [arg]) => self.table_call(arg, None),
                    ("table", [arg, scope]) => self.table_call(arg, Some(scope)),
                    _ => Err(
                        refusals::refuse(BuiltinKind::Function, &name.name, name.span).unwrap_or_else(|| {
                            Diagnostic::new(
                                DiagnosticKind::Semantic,
                                format!("`{}(...)` is not a tabular expression", name.name),
                                expr.span,
                            )
                        }),
                    ),
                }
            }
            // `database("Db").T`, `workspace("w").T`: a table kept somewhere else.
            ExprKind::Member { target, .. } if matches!(target.kind, ExprKind::Call { .. }) => {
                Err(self.other_place(target))
            }
            ExprKind::ImplicitInput => match self.implicit_inputs.last() {
                Some(ImplicitInput::Rows(columns)) => Ok(Relation::new(
                    RelationKind::ImplicitInput,
                    columns.clone(),
                    expr.span,
                )),
                Some(ImplicitInput::Relation(relation)) => Ok(relation.as_ref().clone()),
                None => Err(Diagnostic::not_supported(
                    "subqueries over an implicit input",
                    expr.span,
                )),
            },
            _ => Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                "a tabular expression is expected here",
                expr.span,
            )),
        }
    }

    /// `table(name [, data_scope])`. torhunt keeps no cache, so every row is in the scope `all` and in
    /// `default` ("all, except if it has been set to hotcache by the cluster admin"); `hotcache`,
    /// which rows Kusto would hold hot, has no answer here.
    fn table_call(&mut self, name: &Arg, scope: Option<&Arg>) -> BResult<Relation> {
        if let Some(scope) = scope {
            match &scope.value.kind {
                ExprKind::Literal(Literal::String(scope)) if scope == "all" || scope == "default" => {}
                _ => {
                    return Err(Diagnostic::not_supported(
                        "table() with a data scope other than 'all' or 'default': torhunt keeps no hot cache",
                        scope.span,
                    ));
                }
            }
        }
        match self.constant_table_name(&name.value) {
            Some(table) => self.table(&table, name.span),
            None => Err(Diagnostic::not_supported(
                "table() with a computed name",
                name.span,
            )),
        }
    }

    /// The name given to `table()`: "constant at the point of call", so a string literal or a name
    /// bound to one (a `let` string, or the parameter of the function being inlined that the docs'
    /// `let foo = (tableName:string) { table(tableName) | count }` passes on).
    fn constant_table_name(&self, arg: &Expr) -> Option<String> {
        match &arg.kind {
            ExprKind::Literal(Literal::String(name)) => Some(name.clone()),
            ExprKind::Name(ident) => match self.lookup(&ident.name) {
                Some(Binding::Scalar(BoundExpr {
                    kind: Bound::Literal(Value::String(name)),
                    ..
                })) => Some(name.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    /// A `let` table or a catalog table.
    pub(crate) fn table(&mut self, name: &str, span: Span) -> BResult<Relation> {
        match self.lookup(name) {
            Some(Binding::Tabular(relation)) => return Ok(relation.clone()),
            Some(Binding::Scalar(_)) => {
                return Err(Diagnostic::new(
                    DiagnosticKind::Semantic,
                    format!("`{name}` is a scalar, not a table"),
                    span,
                ));
            }
            // A function without required parameters (a `view`) may be named without `()`.
            Some(Binding::Function(def)) if def.parameters.iter().all(|p| p.default.is_some()) => {
                let def = def.clone();
                let ident = kql_syntax::ast::Ident {
                    name: name.to_string(),
                    span,
                };
                return self.inline(&def, (&ident, &[]), &[], |binder, body| binder.tabular(body));
            }
            Some(Binding::Function(_)) => {
                return Err(Diagnostic::new(
                    DiagnosticKind::Semantic,
                    format!("function `{name}` must be called with ()"),
                    span,
                ));
            }
            None => {}
        }
        if let Some(columns) = self.catalog.table_schema(name) {
            return Ok(Relation::new(
                RelationKind::Table {
                    name: name.to_string(),
                },
                columns,
                span,
            ));
        }
        if name.contains('*') {
            return Err(Diagnostic::not_supported(
                "wildcard table names outside `union`",
                span,
            ));
        }
        let tables = self.catalog.table_names();
        let lets = self.let_names();
        let candidates = tables.iter().chain(lets.iter()).map(String::as_str);
        let mut diagnostic = Diagnostic::new(
            DiagnosticKind::UnknownName,
            format!("unknown table `{name}`"),
            span,
        );
        if let Some(close) = names::suggestion(name, candidates) {
            diagnostic.message = format!("unknown table `{name}`; did you mean `{close}`?");
            diagnostic = diagnostic.with_help(format!("did you mean `{close}`?"));
        }
        Err(diagnostic)
    }

    fn source(&mut self, operator: &Operator) -> BResult<Relation> {
        let span = operator.span;
        match &operator.kind {
            OperatorKind::Datatable { columns, values } => {
                let columns = columns
                    .iter()
                    .map(|decl| Ok(Column::new(&decl.name.name, literal::type_named(&decl.ty)?)))
                    .collect::<BResult<Vec<_>>>()?;
                if columns.is_empty() || values.len() % columns.len() != 0 {
                    return Err(Diagnostic::new(
                        DiagnosticKind::Semantic,
                        format!(
                            "datatable has {} values, not a multiple of its {} columns",
                            values.len(),
                            columns.len()
                        ),
                        span,
                    ));
                }
                let mut rows = Vec::new();
                for chunk in values.chunks(columns.len()) {
                    let row = chunk
                        .iter()
                        .zip(&columns)
                        .map(|(value, column)| self.constant(value, column.ty))
                        .collect::<BResult<Vec<_>>>()?;
                    rows.push(row);
                }
                Ok(Relation::new(RelationKind::Values { rows }, columns, span))
            }
            OperatorKind::ExternalData {
                columns,
                uris,
                options,
            } => {
                let columns = columns
                    .iter()
                    .map(|decl| Ok(Column::new(&decl.name.name, literal::type_named(&decl.ty)?)))
                    .collect::<BResult<Vec<_>>>()?;
                let uris = uris
                    .iter()
                    .map(|uri| match self.constant(uri, KustoType::String)? {
                        Value::String(text) => Ok(text),
                        _ => Err(Diagnostic::new(
                            DiagnosticKind::Type,
                            "a URI must be a string",
                            uri.span,
                        )),
                    })
                    .collect::<BResult<Vec<_>>>()?;
                let options = options
                    .iter()
                    .map(|option| Ok((option.name.name.to_ascii_lowercase(), param_text(option)?)))
                    .collect::<BResult<Vec<_>>>()?;
                Ok(Relation::new(
                    RelationKind::ExternalData { uris, options },
                    columns,
                    span,
                ))
            }
            OperatorKind::Print(items) => {
                let single = Relation::new(RelationKind::SingleRow, Vec::new(), span);
                let mut columns = Vec::new();
                let mut exprs = Vec::new();
                for (index, item) in items.iter().enumerate() {
                    let bound = self.scalar(&item.expr, &[])?;
                    if let Some(parts) = self.tuple_columns(&item.names, &item.expr, &bound)? {
                        for part in parts {
                            let name =
                                names::unique(&part.name, |c| columns.iter().any(|k: &Column| k.name == c));
                            columns.push(Column::new(name, part.value.ty));
                            exprs.push(part.value);
                        }
                        continue;
                    }
                    if item.names.len() > 1 {
                        return Err(Diagnostic::not_supported(
                            "several names for one print value",
                            item.span,
                        ));
                    }
                    let name = item
                        .names
                        .first()
                        .map_or_else(|| format!("print_{index}"), |n| n.name.clone());
                    columns.push(Column::new(name, bound.ty));
                    exprs.push(bound);
                }
                Ok(Relation::new(
                    RelationKind::Project {
                        input: single.boxed(),
                        exprs,
                    },
                    columns,
                    span,
                ))
            }
            OperatorKind::Range { name, from, to, step } => {
                let from = self.scalar(from, &[])?;
                let to = self.scalar(to, &[])?;
                let step = self.scalar(step, &[])?;
                let ty = match from.ty {
                    KustoType::Int | KustoType::Long => KustoType::Long,
                    other => other,
                };
                let to = crate::expr::convert(to, ty);
                let columns = vec![Column::new(&name.name, ty)];
                Ok(Relation::new(
                    RelationKind::Range {
                        from: crate::expr::convert(from, ty),
                        to,
                        step,
                    },
                    columns,
                    span,
                ))
            }
            OperatorKind::Union { params, tables } => self.union(None, params, tables, span),
            OperatorKind::Search {
                params,
                tables,
                predicate,
            } => self.search(None, params, tables, predicate, span),
            OperatorKind::Find {
                params,
                tables,
                predicate,
                output,
            } => self.find(params, tables, predicate, output, span),
            _ => Err(Diagnostic::not_supported(
                format!("operator `{}`", operator_name(&operator.kind)),
                span,
            )),
        }
    }

    /// A constant expression converted to a column type (datatable cells, URIs).
    pub(crate) fn constant(&mut self, expr: &Expr, ty: KustoType) -> BResult<Value> {
        let bound = self.scalar(expr, &[])?;
        let Some(value) = bound.as_literal() else {
            return Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                "a constant value is expected here",
                expr.span,
            ));
        };
        literal::coerce(value.clone(), ty).ok_or_else(|| {
            Diagnostic::new(
                DiagnosticKind::Type,
                format!("a {} value cannot go in a {ty} column", value.ty()),
                expr.span,
            )
        })
    }

    fn operator(&mut self, input: Relation, operator: &Operator) -> BResult<Relation> {
        let span = operator.span;
        match &operator.kind {
            OperatorKind::Where(predicate) => {
                let predicate = self.scalar(predicate, &input.columns)?;
                if predicate.ty != KustoType::Bool {
                    return Err(Diagnostic::new(
                        DiagnosticKind::Type,
                        format!("the `where` predicate must be a bool, not {}", predicate.ty),
                        predicate.span,
                    ));
                }
                let columns = input.columns.clone();
                Ok(Relation::new(
                    RelationKind::Filter {
                        input: input.boxed(),
                        predicate,
                    },
                    columns,
                    span,
                ))
            }
            OperatorKind::Project(items) => self.project(input, items, span),
            OperatorKind::Extend(items) => self.extend(input, items, span),
            OperatorKind::ProjectAway(patterns) => self.project_away(input, patterns, span),
            OperatorKind::ProjectKeep(patterns) => self.project_keep(input, patterns, span),
            OperatorKind::ProjectRename(pairs) => self.project_rename(input, pairs, span),
            OperatorKind::ProjectReorder(items) => self.project_reorder(input, items, span),
            OperatorKind::Summarize {
                params,
                aggregates,
                by,
            } => self.summarize(input, params, aggregates, by, span),
            OperatorKind::Join { params, right, on } => self.join(input, params, right, on, false, span),
            OperatorKind::Lookup { params, right, on } => self.join(input, params, right, on, true, span),
            OperatorKind::Distinct { columns, all } => {
                let projected = if *all {
                    input
                } else {
                    let items: Vec<(&[Ident], &Expr)> = columns.iter().map(|c| (&[][..], c)).collect();
                    self.project_exprs(input, &items, span)?
                };
                let columns = projected.columns.clone();
                Ok(Relation::new(
                    RelationKind::Distinct {
                        input: projected.boxed(),
                    },
                    columns,
                    span,
                ))
            }
            OperatorKind::Take(count) => {
                let count = self.count(count)?;
                let columns = input.columns.clone();
                Ok(Relation::new(
                    RelationKind::Take {
                        input: input.boxed(),
                        count,
                    },
                    columns,
                    span,
                ))
            }
            OperatorKind::Top { count, by } => {
                let count = self.count(count)?;
                let keys = self.sort_keys(by, &input.columns)?;
                let columns = input.columns.clone();
                Ok(Relation::new(
                    RelationKind::Sort {
                        input: input.boxed(),
                        keys,
                        limit: Some(count),
                    },
                    columns,
                    span,
                ))
            }
            OperatorKind::Sort(by) => {
                let keys = self.sort_keys(by, &input.columns)?;
                let columns = input.columns.clone();
                Ok(Relation::new(
                    RelationKind::Sort {
                        input: input.boxed(),
                        keys,
                        limit: None,
                    },
                    columns,
                    span,
                ))
            }
            OperatorKind::Count => {
                let columns = vec![Column::new("Count", KustoType::Long)];
                Ok(Relation::new(
                    RelationKind::Count { input: input.boxed() },
                    columns,
                    span,
                ))
            }
            OperatorKind::As { params, name } => {
                check_params(params, &[], "as")?;
                self.define(&name.name, Binding::Tabular(input.clone()));
                Ok(input)
            }
            OperatorKind::GetSchema => Ok(getschema(&input, span)),
            OperatorKind::Render { .. } => Ok(input),
            // `serialize Name = expr` defines columns as `extend` does, over the serialized rows.
            OperatorKind::Serialize(items) => self.extend(input, items, span),
            OperatorKind::MvExpand { params, items, limit } => {
                self.mv_expand(input, params, items, limit.as_ref(), span)
            }
            OperatorKind::Evaluate {
                params,
                plugin,
                schema,
            } => self.evaluate(input, params, plugin, schema.as_ref(), span),
            OperatorKind::MvApply {
                params,
                items,
                limit,
                subquery,
            } => self.mv_apply(input, params, items, limit.as_ref(), subquery, span),
            OperatorKind::Parse {
                where_,
                kind,
                flags,
                expr,
                pattern,
            } => self.parse(input, *where_, *kind, flags.as_deref(), expr, pattern, span),
            OperatorKind::ParseKv { expr, keys, options } => self.parse_kv(input, expr, keys, options, span),
            OperatorKind::TopNested(levels) => self.top_nested(input, levels, span),
            OperatorKind::Scan {
                params,
                declare,
                steps,
            } => self.scan(input, params, declare, steps, span),
            OperatorKind::Partition { params, by, subquery } => {
                self.partition(input, params, by, subquery, span)
            }
            OperatorKind::Facet { .. } => Err(Diagnostic::not_supported(
                "`facet`: it returns several tables (one per column, and one for `with`), and a \
                 torhunt query returns one; run `summarize count() by Column` per column instead",
                span,
            )),
            OperatorKind::Fork(_) => Err(Diagnostic::not_supported(
                "`fork`: it returns one result table per branch, and a torhunt query returns one; run \
                 each branch as a query of its own",
                span,
            )),
            OperatorKind::Reduce { .. } => Err(Diagnostic::not_supported(
                "`reduce`: Kusto's pattern-mining algorithm (which tokens become `*`, how patterns are \
                 merged under `threshold`) is not specified precisely enough to give its answer",
                span,
            )),
            OperatorKind::MakeSeries {
                params,
                aggregates,
                on,
                range,
                by,
            } => self.make_series(input, params, aggregates, on, range, by, span),
            OperatorKind::Sample(count) => self.sample(input, count, span),
            OperatorKind::SampleDistinct { count, column } => {
                self.sample_distinct(input, count, column, span)
            }
            OperatorKind::Invoke(call) => self.invoke(input, call, span),
            OperatorKind::Find { .. } => Err(Diagnostic::not_supported(
                "`find` after a pipe (name its tables: `find in (T) where ...`)",
                span,
            )),
            other => Err(Diagnostic::not_supported(
                format!("operator `{}`", operator_name(other)),
                span,
            )),
        }
    }

    /// A constant row count (`take 10`).
    pub(crate) fn count(&mut self, expr: &Expr) -> BResult<u64> {
        match self.scalar(expr, &[])?.as_literal() {
            Some(Value::Long(n)) if *n >= 0 => Ok(*n as u64),
            Some(Value::Int(n)) if *n >= 0 => Ok(*n as u64),
            _ => Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                "a constant, non-negative row count is expected",
                expr.span,
            )),
        }
    }

    fn sort_keys(
        &mut self,
        keys: &[kql_syntax::ast::SortKey],
        row: &[Column],
    ) -> BResult<Vec<crate::bound::SortKey>> {
        use kql_syntax::ast::{NullsOrder, SortOrder};
        keys.iter()
            .map(|key| {
                let expr = self.scalar(&key.expr, row)?;
                // Kusto sorts descending by default, with nulls last when descending, first when ascending.
                let descending = key.order != Some(SortOrder::Asc);
                let nulls_first = match key.nulls {
                    Some(NullsOrder::First) => true,
                    Some(NullsOrder::Last) => false,
                    None => !descending,
                };
                Ok(crate::bound::SortKey {
                    expr,
                    descending,
                    nulls_first,
                })
            })
            .collect()
    }

    /// Projects unnamed or named expressions (used by `distinct`, `project`).
    pub(crate) fn project_exprs(
        &mut self,
        input: Relation,
        items: &[(&[Ident], &Expr)],
        span: Span,
    ) -> BResult<Relation> {
        let mut namer = Namer::new(self.catalog);
        let mut columns: Vec<Column> = Vec::new();
        let mut exprs = Vec::new();
        for (written, expr) in items {
            let bound = self.scalar(expr, &input.columns)?;
            let outputs = match self.tuple_columns(written, expr, &bound)? {
                Some(parts) => parts
                    .into_iter()
                    .map(|part| (part.name, part.explicit, part.value))
                    .collect(),
                None => {
                    let explicit = match written {
                        [] => None,
                        [name] => Some(name.name.as_str()),
                        _ => {
                            return Err(Diagnostic::not_supported(
                                "several names for one expression",
                                expr.span,
                            ));
                        }
                    };
                    vec![(namer.name(explicit, expr), explicit.is_some(), bound)]
                }
            };
            for (name, explicit, value) in outputs {
                let taken = |candidate: &str| columns.iter().any(|c| c.name == candidate);
                let name = if explicit && taken(&name) {
                    return Err(Diagnostic::new(
                        DiagnosticKind::Semantic,
                        format!("column `{name}` is defined twice"),
                        expr.span,
                    ));
                } else {
                    // A derived name that is taken gets a numeric suffix (`RemotePort1`).
                    names::unique(&name, taken)
                };
                columns.push(Column::new(name, value.ty));
                exprs.push(value);
            }
        }
        Ok(Relation::new(
            RelationKind::Project {
                input: input.boxed(),
                exprs,
            },
            columns,
            span,
        ))
    }
}

/// `getschema`: one row per column, as Kusto reports it.
fn getschema(input: &Relation, span: Span) -> Relation {
    let columns = vec![
        Column::new("ColumnName", KustoType::String),
        Column::new("ColumnOrdinal", KustoType::Long),
        Column::new("DataType", KustoType::String),
        Column::new("ColumnType", KustoType::String),
    ];
    let rows = input
        .columns
        .iter()
        .enumerate()
        .map(|(ordinal, column)| {
            vec![
                Value::String(column.name.clone()),
                Value::Long(i64::try_from(ordinal).unwrap_or(i64::MAX)),
                Value::String(format!("System.{}", column.ty.dotnet_name())),
                Value::String(column.ty.name().to_string()),
            ]
        })
        .collect();
    Relation::new(RelationKind::Values { rows }, columns, span)
}

/// The KQL name of an operator, for "not supported" messages.
pub(crate) fn operator_name(kind: &OperatorKind) -> &'static str {
    match kind {
        OperatorKind::Where(_) => "where",
        OperatorKind::Project(_) => "project",
        OperatorKind::ProjectAway(_) => "project-away",
        OperatorKind::ProjectKeep(_) => "project-keep",
        OperatorKind::ProjectRename(_) => "project-rename",
        OperatorKind::ProjectReorder(_) => "project-reorder",
        OperatorKind::Extend(_) => "extend",
        OperatorKind::Summarize { .. } => "summarize",
        OperatorKind::Join { .. } => "join",
        OperatorKind::Lookup { .. } => "lookup",
        OperatorKind::Union { .. } => "union",
        OperatorKind::Distinct { .. } => "distinct",
        OperatorKind::Take(_) => "take",
        OperatorKind::Top { .. } => "top",
        OperatorKind::Sort(_) => "sort",
        OperatorKind::Count => "count",
        OperatorKind::As { .. } => "as",
        OperatorKind::GetSchema => "getschema",
        OperatorKind::Datatable { .. } => "datatable",
        OperatorKind::ExternalData { .. } => "externaldata",
        OperatorKind::Print(_) => "print",
        OperatorKind::Range { .. } => "range",
        OperatorKind::MvExpand { .. } => "mv-expand",
        OperatorKind::MvApply { .. } => "mv-apply",
        OperatorKind::Parse { where_: false, .. } => "parse",
        OperatorKind::Parse { where_: true, .. } => "parse-where",
        OperatorKind::ParseKv { .. } => "parse-kv",
        OperatorKind::MakeSeries { .. } => "make-series",
        OperatorKind::Evaluate { .. } => "evaluate",
        OperatorKind::Render { .. } => "render",
        OperatorKind::Search { .. } => "search",
        OperatorKind::Find { .. } => "find",
        OperatorKind::Sample(_) => "sample",
        OperatorKind::SampleDistinct { .. } => "sample-distinct",
        OperatorKind::Serialize(_) => "serialize",
        OperatorKind::Invoke(_) => "invoke",
        OperatorKind::TopNested(_) => "top-nested",
        OperatorKind::Facet { .. } => "facet",
        OperatorKind::Scan { .. } => "scan",
        OperatorKind::Reduce { .. } => "reduce",
        OperatorKind::Partition { .. } => "partition",
        OperatorKind::Fork(_) => "fork",
    }
}
