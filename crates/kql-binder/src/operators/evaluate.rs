//! `evaluate plugin(...)`: the `bag_unpack` plugin, as a projection over its input; the IP lookup
//! plugins are joins (`ip_lookup.rs`).
//!
//! `bag_unpack(Column [, OutputColumnPrefix] [, columnsConflict] [, ignoredProperties]) [: (Schema)]`
//! turns each top-level property of a dynamic bag column into a column. With an output schema the
//! columns are the declared ones; without one they depend on the data, so the catalog runs the input
//! to find the properties (the columns come sorted by name, each typed by its values: one type for
//! all non-null values, else `dynamic`).

use std::collections::BTreeMap;

use kql_syntax::ast::{Arg, Expr, ExprKind, OperatorParam, OutputSchema};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;
use serde_json::Value as Json;

use crate::bound::{BoundExpr, Relation, RelationKind, Value};
use crate::catalog::Column;
use crate::expr::{convert, literal};
use crate::names::position;
use crate::operators::ip_lookup::IpFamily;
use crate::refusals::{self, BuiltinKind};
use crate::tabular::check_params;
use crate::{BResult, Binder};

/// What `columnsConflict` says to do when a property is named like an input column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Conflict {
    Error,
    ReplaceSource,
    KeepSource,
}

/// The arguments of `bag_unpack`.
struct BagUnpack<'e> {
    column: &'e Expr,
    prefix: String,
    conflict: Conflict,
    ignored: Vec<String>,
}

/// One output column of `bag_unpack`: the bag property it reads, its column name and type.
struct Slot {
    property: String,
    name: String,
    ty: KustoType,
}

impl Binder<'_> {
    pub(crate) fn evaluate(
        &mut self,
        input: Relation,
        params: &[OperatorParam],
        plugin: &Expr,
        schema: Option<&OutputSchema>,
        span: Span,
    ) -> BResult<Relation> {
        check_params(params, &[], "evaluate")?;
        match &plugin.kind {
            ExprKind::Call { name, args } if name.name == "bag_unpack" => {
                self.bag_unpack(input, args, schema, span)
            }
            ExprKind::Call { name, args } if name.name == "ipv4_lookup" => {
                self.ip_lookup(input, IpFamily::V4, args, span)
            }
            ExprKind::Call { name, args } if name.name == "ipv6_lookup" => {
                self.ip_lookup(input, IpFamily::V6, args, span)
            }
            ExprKind::Call { name, args } if name.name == "geo_polygon_lookup" => {
                self.geo_polygon_lookup(input, args, span)
            }
            ExprKind::Call { name, .. } => Err(refusals::refuse(BuiltinKind::Plugin, &name.name, name.span)
                .unwrap_or_else(|| {
                    Diagnostic::not_supported(format!("the `{}` plugin", name.name), name.span)
                })),
            _ => Err(Diagnostic::new(
                DiagnosticKind::Syntax,
                "`evaluate` expects a plugin call such as `bag_unpack(Column)`",
                plugin.span,
            )),
        }
    }

    fn bag_unpack(
        &mut self,
        input: Relation,
        args: &[Arg],
        schema: Option<&OutputSchema>,
        span: Span,
    ) -> BResult<Relation> {
        let unpack = self.bag_unpack_args(args, span)?;
        let ExprKind::Name(ident) = &unpack.column.kind else {
            return Err(Diagnostic::not_supported(
                "bag_unpack of an expression (only of a column)",
                unpack.column.span,
            ));
        };
        let Some(source_index) = position(&input.columns, &ident.name) else {
            return Err(crate::operators::unknown_column(ident, &input.columns));
        };
        let source = input.columns[source_index].clone();
        if source.ty != KustoType::Dynamic {
            return Err(Diagnostic::new(
                DiagnosticKind::Type,
                format!(
                    "bag_unpack needs a dynamic column; `{}` is {}",
                    source.name, source.ty
                ),
                ident.span,
            ));
        }
        let slots = match schema {
            Some(schema) => declared_slots(schema, &unpack.prefix)?,
            None => self.discovered_slots(&input, &source, &unpack, span)?,
        };
        let keeps_input = schema.is_none_or(|s| s.keeps_input);

        let mut columns = Vec::new();
        let mut exprs = Vec::new();
        if keeps_input {
            for column in input.columns.iter().filter(|c| c.name != source.name) {
                columns.push(column.clone());
                exprs.push(BoundExpr::column(column, span));
            }
        }
        for slot in slots {
            let value = property(&source, &slot, span);
            match position(&columns, &slot.name) {
                None => {
                    columns.push(Column::new(&slot.name, slot.ty));
                    exprs.push(value);
                }
                Some(index) => match unpack.conflict {
                    Conflict::ReplaceSource => {
                        columns[index] = Column::new(&slot.name, slot.ty);
                        exprs[index] = value;
                    }
                    Conflict::KeepSource => {}
                    Conflict::Error => {
                        return Err(Diagnostic::new(
                            DiagnosticKind::Semantic,
                            format!(
                                "bag_unpack: property `{}` would make a second column `{}`",
                                slot.property, slot.name
                            ),
                            span,
                        )
                        .with_help(
                            "pass columnsConflict='replace_source' or 'keep_source', or an OutputColumnPrefix",
                        ));
                    }
                },
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

    /// Reads `bag_unpack`'s positional or named (`columnsConflict=`, ...) arguments.
    fn bag_unpack_args<'e>(&mut self, args: &'e [Arg], span: Span) -> BResult<BagUnpack<'e>> {
        const NAMES: [&str; 4] = [
            "column",
            "outputcolumnprefix",
            "columnsconflict",
            "ignoredproperties",
        ];
        let mut by_position: [Option<&Expr>; 4] = [None; 4];
        for (index, arg) in args.iter().enumerate() {
            let slot = match &arg.name {
                None => index,
                Some(name) => NAMES
                    .iter()
                    .position(|n| n.eq_ignore_ascii_case(&name.name))
                    .ok_or_else(|| {
                        Diagnostic::new(
                            DiagnosticKind::Semantic,
                            format!("bag_unpack has no parameter `{}`", name.name),
                            name.span,
                        )
                    })?,
            };
            let Some(target) = by_position.get_mut(slot) else {
                return Err(Diagnostic::new(
                    DiagnosticKind::Semantic,
                    "bag_unpack takes at most 4 arguments",
                    arg.span,
                ));
            };
            *target = Some(&arg.value);
        }
        let [Some(column), prefix, conflict, ignored] = by_position else {
            return Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                "bag_unpack needs the column to unpack",
                span,
            ));
        };
        let prefix = match prefix {
            Some(expr) => self.constant_string(expr)?,
            None => String::new(),
        };
        let conflict = match conflict {
            None => Conflict::Error,
            Some(expr) => match self.constant_string(expr)?.as_str() {
                "error" => Conflict::Error,
                "replace_source" => Conflict::ReplaceSource,
                "keep_source" => Conflict::KeepSource,
                other => {
                    return Err(Diagnostic::new(
                        DiagnosticKind::Semantic,
                        format!(
                            "columnsConflict must be 'error', 'replace_source' or 'keep_source', not '{other}'"
                        ),
                        expr.span,
                    ));
                }
            },
        };
        let ignored = match ignored {
            None => Vec::new(),
            Some(expr) => match self.scalar(expr, &[])?.as_literal() {
                Some(Value::Dynamic(text)) => match serde_json::from_str::<Json>(text) {
                    Ok(Json::Array(items)) => items
                        .iter()
                        .filter_map(|item| item.as_str().map(str::to_string))
                        .collect(),
                    _ => return Err(not_a_name_list(expr.span)),
                },
                _ => return Err(not_a_name_list(expr.span)),
            },
        };
        Ok(BagUnpack {
            column,
            prefix,
            conflict,
            ignored,
        })
    }

    fn constant_string(&mut self, expr: &Expr) -> BResult<String> {
        match self.scalar(expr, &[])?.as_literal() {
            Some(Value::String(text)) => Ok(text.clone()),
            _ => Err(Diagnostic::new(
                DiagnosticKind::Type,
                "a constant string is expected here",
                expr.span,
            )),
        }
    }

    /// The properties of the bags in the data, sorted by name, each with the type of its values.
    fn discovered_slots(
        &mut self,
        input: &Relation,
        source: &Column,
        unpack: &BagUnpack<'_>,
        span: Span,
    ) -> BResult<Vec<Slot>> {
        let bags = Relation::new(
            RelationKind::Project {
                input: Box::new(input.clone()),
                exprs: vec![BoundExpr::column(source, span)],
            },
            vec![source.clone()],
            span,
        );
        let values = match self.catalog.column_values(&bags) {
            None => {
                return Err(Diagnostic::not_supported(
                    "bag_unpack without an output schema here (add `: (Col:type, ...)`)",
                    span,
                ));
            }
            Some(Err(reason)) => {
                return Err(Diagnostic::new(
                    DiagnosticKind::Execution,
                    format!("bag_unpack could not read its input to find the bag properties: {reason}"),
                    span,
                ));
            }
            Some(Ok(values)) => values,
        };
        let mut types: BTreeMap<String, Option<KustoType>> = BTreeMap::new();
        for text in &values {
            let Ok(Json::Object(bag)) = serde_json::from_str::<Json>(text) else {
                continue;
            };
            for (key, value) in &bag {
                if unpack.ignored.contains(key) {
                    continue;
                }
                let seen = types.entry(key.clone()).or_insert(None);
                *seen = match (json_type(value), *seen) {
                    (None, seen) => seen,
                    (Some(ty), None) => Some(ty),
                    (Some(ty), Some(before)) if ty == before => Some(ty),
                    (Some(_), Some(_)) => Some(KustoType::Dynamic),
                };
            }
        }
        Ok(types
            .into_iter()
            .map(|(property, ty)| Slot {
                name: format!("{}{property}", unpack.prefix),
                property,
                ty: ty.unwrap_or(KustoType::Dynamic),
            })
            .collect())
    }
}

/// The slots an output schema declares; a column named with the prefix reads the property without it.
fn declared_slots(schema: &OutputSchema, prefix: &str) -> BResult<Vec<Slot>> {
    schema
        .columns
        .iter()
        .map(|decl| {
            let name = decl.name.name.clone();
            Ok(Slot {
                property: name.strip_prefix(prefix).unwrap_or(&name).to_string(),
                ty: literal::type_named(&decl.ty)?,
                name,
            })
        })
        .collect()
}

/// `source[property]` converted to the slot's type.
fn property(source: &Column, slot: &Slot, span: Span) -> BoundExpr {
    let key = BoundExpr::literal(Value::String(slot.property.clone()), span);
    let value = BoundExpr::call(
        "dynamic_get",
        vec![BoundExpr::column(source, span), key],
        KustoType::Dynamic,
        span,
    );
    convert(value, slot.ty)
}

/// The Kusto type of a JSON value inside a bag; `None` for null, which fits any type.
fn json_type(value: &Json) -> Option<KustoType> {
    match value {
        Json::Null => None,
        Json::Bool(_) => Some(KustoType::Bool),
        Json::Number(n) if n.is_i64() => Some(KustoType::Long),
        Json::Number(_) => Some(KustoType::Real),
        Json::String(_) => Some(KustoType::String),
        Json::Array(_) | Json::Object(_) => Some(KustoType::Dynamic),
    }
}

fn not_a_name_list(span: Span) -> Diagnostic {
    Diagnostic::new(
        DiagnosticKind::Type,
        "ignoredProperties must be a constant dynamic array of property names",
        span,
    )
}
