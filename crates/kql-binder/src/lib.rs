//! Resolves names and infers Kusto types: AST to a typed, spanned bound query.
//!
//! [`bind`] walks the statements of a query: `let` values are bound once and substituted where they
//! are used, user functions are inlined at each call, and the final tabular expression becomes a
//! [`bound::Relation`] tree whose every column carries the name and type Kusto gives it. Anything
//! parsed but not implemented is refused with a "not supported yet" diagnostic rather than guessed at.

pub mod bound;
pub mod catalog;
mod column;
mod expr;
mod names;
mod operators;
pub mod refusals;
pub mod special;
mod tabular;

use std::collections::HashMap;
use std::rc::Rc;

use kql_syntax::ast::{self, LetValue, StatementKind};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};

pub use bound::BoundQuery;
use bound::{BoundExpr, Relation};
use catalog::Catalog;
use expr::literal;
pub use names::suggestion;

/// Settings that make a query's answer reproducible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BindOptions {
    /// The query's `now()`, in nanoseconds since the Unix epoch; `now()` and `ago()` fold to constants
    /// from it, so one query sees one instant.
    pub now: i64,
}

/// Binds a parsed query against a catalog.
pub fn bind(
    query: &ast::Query,
    catalog: &dyn Catalog,
    options: &BindOptions,
) -> Result<BoundQuery, Vec<Diagnostic>> {
    let mut binder = Binder {
        catalog,
        options,
        scopes: vec![HashMap::new()],
        depth: 0,
        implicit_inputs: Vec::new(),
        extending: None,
    };
    binder.query(query).map_err(|diagnostic| vec![diagnostic])
}

type BResult<T> = Result<T, Diagnostic>;

/// How deeply user functions may call each other before the binder gives up (recursion is not KQL).
const MAX_INLINE_DEPTH: usize = 64;

/// What a `let` name (or a user function's parameter) stands for.
#[derive(Debug, Clone)]
enum Binding {
    Scalar(BoundExpr),
    Tabular(Relation),
    Function(Rc<ast::FunctionDef>),
}

/// What an `extend`'s earlier definitions did to the row its next definition sees: `pack_all()` there
/// packs the extend's input columns only (the docs' `extend Packed=pack_all(),
/// PackedIgnoreNullEmpty=pack_all(true)` leaves `Packed` out of the second bag).
#[derive(Debug, Clone, Default)]
struct Extending {
    row: Vec<catalog::Column>,
    /// Columns the earlier definitions added.
    added: Vec<String>,
    /// Columns of the input the earlier definitions replaced: which value `pack_all()` would pack
    /// then is not documented.
    replaced: Vec<String>,
}

/// The input of a subquery that starts with an operator (`mv-apply ... on (take 1)`).
#[derive(Debug, Clone)]
enum ImplicitInput {
    /// Rows the operator feeds in at run time (`mv-apply`): an [`bound::RelationKind::ImplicitInput`]
    /// leaf with these columns.
    Rows(Vec<catalog::Column>),
    /// A relation known while binding (each subtable of `partition`).
    Relation(Box<Relation>),
}

struct Binder<'a> {
    catalog: &'a dyn Catalog,
    options: &'a BindOptions,
    /// `let` scopes, innermost last: the query's, then one per inlined function call.
    scopes: Vec<HashMap<String, Binding>>,
    depth: usize,
    /// What each enclosing subquery operator feeds its subquery, innermost last.
    implicit_inputs: Vec<ImplicitInput>,
    /// While an `extend` binds its definitions: the row they see and what the ones before defined.
    extending: Option<Extending>,
}

impl Binder<'_> {
    fn query(&mut self, query: &ast::Query) -> BResult<BoundQuery> {
        let root = self.statements(&query.statements, query.span)?;
        Ok(BoundQuery { root })
    }

    /// Binds `let`s and returns the relation of the single final tabular expression.
    fn statements(&mut self, statements: &[ast::Statement], span: Span) -> BResult<Relation> {
        let mut result = None;
        for statement in statements {
            match &statement.kind {
                StatementKind::Let { name, value } => {
                    let binding = self.let_value(value)?;
                    self.define(&name.name, binding);
                }
                StatementKind::Set { .. } => {
                    return Err(Diagnostic::not_supported("`set` statements", statement.span));
                }
                StatementKind::DeclareQueryParameters { .. } => {
                    return Err(Diagnostic::not_supported(
                        "`declare query_parameters`",
                        statement.span,
                    ));
                }
                StatementKind::Expr(expr) => {
                    if result.is_some() {
                        return Err(Diagnostic::not_supported(
                            "several result sets in one query",
                            statement.span,
                        ));
                    }
                    result = Some(self.tabular(expr)?);
                }
            }
        }
        result.ok_or_else(|| {
            Diagnostic::new(
                DiagnosticKind::Semantic,
                "the query has no tabular expression to run",
                span,
            )
        })
    }

    fn let_value(&mut self, value: &LetValue) -> BResult<Binding> {
        match value {
            LetValue::Function(def) => Ok(Binding::Function(Rc::new(def.clone()))),
            LetValue::Expr(expr) if self.is_tabular(expr) => Ok(Binding::Tabular(self.tabular(expr)?)),
            LetValue::Expr(expr) => Ok(Binding::Scalar(self.scalar(expr, &[])?)),
        }
    }

    fn define(&mut self, name: &str, binding: Binding) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.insert(name.to_string(), binding);
        }
    }

    fn lookup(&self, name: &str) -> Option<&Binding> {
        self.scopes.iter().rev().find_map(|scope| scope.get(name))
    }

    /// Every `let` name in scope, for suggestions.
    fn let_names(&self) -> Vec<String> {
        self.scopes
            .iter()
            .flat_map(|scope| scope.keys().cloned())
            .collect()
    }

    /// Inlines a user function: binds its arguments (scalars against `row`, tabular ones as relations),
    /// then binds the body in a new scope with the parameters defined, calling `body` on its final
    /// expression.
    fn inline<T>(
        &mut self,
        def: &ast::FunctionDef,
        call: (&ast::Ident, &[ast::Arg]),
        row: &[catalog::Column],
        body: impl FnOnce(&mut Self, &ast::Expr) -> BResult<T>,
    ) -> BResult<T> {
        self.inline_call(def, call, None, row, body)
    }

    /// [`Binder::inline`], with `piped` (already bound) as the first argument before `call`'s own:
    /// `T | invoke f(x)` calls `f(T, x)`.
    fn inline_call<T>(
        &mut self,
        def: &ast::FunctionDef,
        call: (&ast::Ident, &[ast::Arg]),
        mut piped: Option<Relation>,
        row: &[catalog::Column],
        body: impl FnOnce(&mut Self, &ast::Expr) -> BResult<T>,
    ) -> BResult<T> {
        let (name, args) = call;
        if self.depth >= MAX_INLINE_DEPTH {
            return Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                format!("function `{}` calls itself too deeply", name.name),
                name.span,
            ));
        }
        let offset = usize::from(piped.is_some());
        let values = match_arguments(def, name, args, offset)?;
        let mut scope = HashMap::new();
        for ((parameter, value), index) in def.parameters.iter().zip(values).zip(0..) {
            let binding = match (index, piped.take()) {
                (0, Some(relation)) => Binding::Tabular(relation),
                _ => {
                    let value = match value {
                        Some(value) => value,
                        None => parameter.default.as_ref().ok_or_else(|| {
                            Diagnostic::new(
                                DiagnosticKind::Type,
                                format!(
                                    "function `{}`: the argument for parameter `{}` is missing",
                                    name.name, parameter.name.name
                                ),
                                name.span,
                            )
                        })?,
                    };
                    match &parameter.ty {
                        ast::ParameterType::Tabular { .. } => Binding::Tabular(self.tabular(value)?),
                        ast::ParameterType::Scalar(type_name) => {
                            let bound = self.scalar(value, row)?;
                            let ty = literal::type_named(type_name)?;
                            Binding::Scalar(expr::convert(bound, ty))
                        }
                    }
                }
            };
            scope.insert(parameter.name.name.clone(), binding);
        }
        self.scopes.push(scope);
        self.depth += 1;
        let result = self.function_body(def, name.span, body);
        self.depth -= 1;
        self.scopes.pop();
        result
    }

    fn function_body<T>(
        &mut self,
        def: &ast::FunctionDef,
        span: Span,
        body: impl FnOnce(&mut Self, &ast::Expr) -> BResult<T>,
    ) -> BResult<T> {
        let Some((last, lets)) = def.body.split_last() else {
            return Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                "the function body is empty",
                span,
            ));
        };
        for statement in lets {
            match &statement.kind {
                StatementKind::Let { name, value } => {
                    let binding = self.let_value(value)?;
                    self.define(&name.name, binding);
                }
                _ => {
                    return Err(Diagnostic::new(
                        DiagnosticKind::Semantic,
                        "only `let` statements may come before a function's result",
                        statement.span,
                    ));
                }
            }
        }
        match &last.kind {
            StatementKind::Expr(expr) => body(self, expr),
            _ => Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                "a function must end with an expression",
                last.span,
            )),
        }
    }
}

/// Pairs a user function call's arguments with the function's parameters (the first `offset`
/// parameters are filled by the piped input), the way Kusto.Language reads them: positional
/// arguments in order, then `name = value` arguments by parameter name (exact case). A named argument
/// in its own parameter's place may be followed by positional ones; after one out of place, every
/// argument must be named. A parameter given twice (`f(1, a = 2)`) is refused: Kusto.Language
/// accepts it without saying which value wins.
fn match_arguments<'a>(
    def: &ast::FunctionDef,
    name: &ast::Ident,
    args: &'a [ast::Arg],
    offset: usize,
) -> BResult<Vec<Option<&'a ast::Expr>>> {
    let parameters = &def.parameters;
    let mut values: Vec<Option<&ast::Expr>> = vec![None; parameters.len()];
    let mut only_named = false;
    for (position, arg) in (offset..).zip(args) {
        let index = match &arg.name {
            Some(arg_name) => {
                let index = parameters
                    .iter()
                    .position(|p| p.name.name == arg_name.name)
                    .ok_or_else(|| {
                        Diagnostic::new(
                            DiagnosticKind::Type,
                            format!(
                                "function `{}` has no parameter named `{}`",
                                name.name, arg_name.name
                            ),
                            arg_name.span,
                        )
                    })?;
                only_named |= index != position;
                index
            }
            None if only_named => {
                return Err(Diagnostic::new(
                    DiagnosticKind::Type,
                    "all arguments after an unordered named argument must be named",
                    arg.span,
                ));
            }
            None if position >= parameters.len() => {
                return Err(Diagnostic::new(
                    DiagnosticKind::Type,
                    format!(
                        "function `{}` expects {} argument(s), got {}",
                        name.name,
                        parameters.len(),
                        args.len() + offset
                    ),
                    arg.span,
                ));
            }
            None => position,
        };
        if index < offset || values[index].is_some() {
            return Err(Diagnostic::not_supported(
                format!(
                    "an argument given twice for parameter `{}` of `{}`",
                    parameters[index].name.name, name.name
                ),
                arg.span,
            ));
        }
        values[index] = Some(&arg.value);
    }
    Ok(values)
}
