//! `project`, `extend`, `project-away`, `project-keep`, `project-rename`, `project-reorder`.

use kql_syntax::ast::{Expr, Ident, NamedExpr, SortOrder};
use kql_syntax::{Diagnostic, Span};

use super::unknown_column;
use crate::bound::{BoundExpr, Relation, RelationKind};
use crate::catalog::Column;
use crate::names::{Namer, matches_wildcard, position};
use crate::{BResult, Binder, Extending};

/// The single explicit name of an output definition (`(A, B) = f(...)` is refused).
fn single_name(item: &NamedExpr) -> BResult<Option<&str>> {
    match item.names.as_slice() {
        [] => Ok(None),
        [name] => Ok(Some(name.name.as_str())),
        _ => Err(Diagnostic::not_supported(
            "several names for one expression",
            item.span,
        )),
    }
}

/// Keeps the input columns at `picks`, renamed to the given names.
fn select(input: Relation, picks: Vec<(usize, String)>, span: Span) -> Relation {
    let mut columns = Vec::new();
    let mut exprs = Vec::new();
    for (index, name) in picks {
        let source = &input.columns[index];
        exprs.push(BoundExpr::column(source, span));
        columns.push(Column::new(name, source.ty));
    }
    Relation::new(
        RelationKind::Project {
            input: input.boxed(),
            exprs,
        },
        columns,
        span,
    )
}

/// The indices of the columns a pattern names; a plain name must exist.
fn matching(pattern: &Ident, columns: &[Column]) -> BResult<Vec<usize>> {
    if pattern.name.contains('*') {
        return Ok((0..columns.len())
            .filter(|&i| matches_wildcard(&pattern.name, &columns[i].name))
            .collect());
    }
    position(columns, &pattern.name)
        .map(|i| vec![i])
        .ok_or_else(|| unknown_column(pattern, columns))
}

impl Binder<'_> {
    pub(crate) fn project(&mut self, input: Relation, items: &[NamedExpr], span: Span) -> BResult<Relation> {
        let items: Vec<(&[Ident], &Expr)> = items.iter().map(|item| (&item.names[..], &item.expr)).collect();
        self.project_exprs(input, &items, span)
    }

    /// `extend`: each definition sees the ones before it; a name that exists is replaced in place.
    pub(crate) fn extend(
        &mut self,
        mut input: Relation,
        items: &[NamedExpr],
        span: Span,
    ) -> BResult<Relation> {
        let mut namer = Namer::new(self.catalog);
        let mut extending = Extending::default();
        for item in items {
            extending.row = input.columns.clone();
            let outer = self.extending.replace(extending.clone());
            let bound = self.scalar(&item.expr, &input.columns);
            self.extending = outer;
            let bound = bound?;
            let outputs = match self.tuple_columns(&item.names, &item.expr, &bound)? {
                Some(parts) => parts.into_iter().map(|part| (part.name, part.value)).collect(),
                None => vec![(namer.name(single_name(item)?, &item.expr), bound)],
            };
            let mut columns = input.columns.clone();
            let mut exprs: Vec<BoundExpr> = columns.iter().map(|c| BoundExpr::column(c, span)).collect();
            for (name, bound) in outputs {
                match position(&columns, &name) {
                    Some(index) => {
                        if !extending.added.contains(&name) {
                            extending.replaced.push(name);
                        }
                        columns[index].ty = bound.ty;
                        exprs[index] = bound;
                    }
                    None => {
                        extending.added.push(name.clone());
                        columns.push(Column::new(name, bound.ty));
                        exprs.push(bound);
                    }
                }
            }
            input = Relation::new(
                RelationKind::Project {
                    input: input.boxed(),
                    exprs,
                },
                columns,
                span,
            );
        }
        Ok(input)
    }

    pub(crate) fn project_away(
        &mut self,
        input: Relation,
        patterns: &[Ident],
        span: Span,
    ) -> BResult<Relation> {
        let mut removed = Vec::new();
        for pattern in patterns {
            removed.extend(matching(pattern, &input.columns)?);
        }
        let picks = (0..input.columns.len())
            .filter(|i| !removed.contains(i))
            .map(|i| (i, input.columns[i].name.clone()))
            .collect();
        Ok(select(input, picks, span))
    }

    pub(crate) fn project_keep(
        &mut self,
        input: Relation,
        patterns: &[Ident],
        span: Span,
    ) -> BResult<Relation> {
        let mut kept = Vec::new();
        for pattern in patterns {
            kept.extend(matching(pattern, &input.columns)?);
        }
        let picks = (0..input.columns.len())
            .filter(|i| kept.contains(i))
            .map(|i| (i, input.columns[i].name.clone()))
            .collect();
        Ok(select(input, picks, span))
    }

    pub(crate) fn project_rename(
        &mut self,
        input: Relation,
        pairs: &[(Ident, Ident)],
        span: Span,
    ) -> BResult<Relation> {
        let mut names: Vec<String> = input.columns.iter().map(|c| c.name.clone()).collect();
        for (new, old) in pairs {
            let index =
                position(&input.columns, &old.name).ok_or_else(|| unknown_column(old, &input.columns))?;
            names[index] = new.name.clone();
        }
        Ok(select(input, names.into_iter().enumerate().collect(), span))
    }

    pub(crate) fn project_reorder(
        &mut self,
        input: Relation,
        items: &[(Ident, Option<SortOrder>)],
        span: Span,
    ) -> BResult<Relation> {
        let mut order: Vec<usize> = Vec::new();
        for (pattern, sort) in items {
            let mut matched = matching(pattern, &input.columns)?;
            match sort {
                Some(SortOrder::Asc) => {
                    matched.sort_by(|a, b| input.columns[*a].name.cmp(&input.columns[*b].name))
                }
                Some(SortOrder::Desc) => {
                    matched.sort_by(|a, b| input.columns[*b].name.cmp(&input.columns[*a].name))
                }
                None => {}
            }
            order.extend(
                matched
                    .into_iter()
                    .filter(|i| !order.contains(i))
                    .collect::<Vec<_>>(),
            );
        }
        order.extend(
            (0..input.columns.len())
                .filter(|i| !order.contains(i))
                .collect::<Vec<_>>(),
        );
        let picks = order
            .into_iter()
            .map(|i| (i, input.columns[i].name.clone()))
            .collect();
        Ok(select(input, picks, span))
    }
}
