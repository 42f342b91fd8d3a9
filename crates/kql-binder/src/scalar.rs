//! Scalar expressions: names, literals, operators and function calls, typed by Kusto's rules.
//! Implicit conversions are made explicit here (a `dynamic` compared with a string becomes
//! `tostring(d)`), so the planner never has to guess.

use kql_syntax::ast::{self, Arg, BinaryOp as AstOp, Expr, ExprKind, StringOp, StringOpKind, UnaryOp};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;

use kql_types::signature::{FunctionKind, Param, Returns, Signature, conversion_function, promote};

use crate::bound::{BinaryOp, BoundExpr, ExprKind as Bound, Value};
use crate::catalog::{Catalog, Column};
use crate::refusals::{self, BuiltinKind};
use crate::special::{Place, SPECIAL_FORMS, special_form};
use crate::{BResult, Binder, Binding, literal, names};

/// Converts an expression to a type: constants are converted now, other values through the Kusto
/// conversion function (`tostring`, `tolong`, ...).
pub(crate) fn convert(expr: BoundExpr, ty: KustoType) -> BoundExpr {
    if expr.ty == ty {
        return expr;
    }
    if let Some(value) = expr
        .as_literal()
        .and_then(|value| literal::coerce(value.clone(), ty))
    {
        return BoundExpr::literal(value, expr.span);
    }
    let span = expr.span;
    BoundExpr::call(conversion_function(ty), vec![expr], ty, span)
}

fn type_error(message: String, span: Span) -> Diagnostic {
    Diagnostic::new(DiagnosticKind::Type, message, span)
}

/// The result type of arithmetic, or `None` when Kusto rejects the operand types.
fn arithmetic_type(op: BinaryOp, left: KustoType, right: KustoType) -> Option<KustoType> {
    use KustoType::{DateTime, TimeSpan};
    let numeric = |t: KustoType| t.is_numeric();
    let ty = match (op, left, right) {
        (_, l, r) if numeric(l) && numeric(r) => promote(&[l, r]),
        (BinaryOp::Sub, DateTime, DateTime) => TimeSpan,
        (BinaryOp::Add | BinaryOp::Sub, DateTime, TimeSpan) | (BinaryOp::Add, TimeSpan, DateTime) => DateTime,
        (BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mod, TimeSpan, TimeSpan) => TimeSpan,
        (BinaryOp::Div, TimeSpan, TimeSpan) => KustoType::Real,
        (BinaryOp::Mul, TimeSpan, r) if numeric(r) => TimeSpan,
        (BinaryOp::Mul, l, TimeSpan) if numeric(l) => TimeSpan,
        (BinaryOp::Div, TimeSpan, r) if numeric(r) => TimeSpan,
        _ => return None,
    };
    Some(ty)
}

/// Whether two types can be compared with `==`, `<`, ...
fn comparable(left: KustoType, right: KustoType) -> bool {
    left == right
        || (left.is_numeric() && right.is_numeric())
        || matches!(
            (left, right),
            (KustoType::String, KustoType::Guid) | (KustoType::Guid, KustoType::String)
        )
}

/// The string-operator function a KQL string operator calls (`has`, `contains_cs`, ...).
fn string_operator_function(kind: StringOpKind, case_sensitive: bool) -> &'static str {
    match (kind, case_sensitive) {
        (StringOpKind::Has, false) => "has",
        (StringOpKind::Has, true) => "has_cs",
        (StringOpKind::HasPrefix, false) => "hasprefix",
        (StringOpKind::HasPrefix, true) => "hasprefix_cs",
        (StringOpKind::HasSuffix, false) => "hassuffix",
        (StringOpKind::HasSuffix, true) => "hassuffix_cs",
        (StringOpKind::Contains, false) => "contains",
        (StringOpKind::Contains, true) => "contains_cs",
        (StringOpKind::StartsWith, false) => "startswith",
        (StringOpKind::StartsWith, true) => "startswith_cs",
        (StringOpKind::EndsWith, false) => "endswith",
        (StringOpKind::EndsWith, true) => "endswith_cs",
        (StringOpKind::MatchesRegex, _) => "matches_regex",
    }
}

/// Text as a string operand: strings and guids as they are, anything else through `tostring`.
fn as_text(expr: BoundExpr) -> BoundExpr {
    match expr.ty {
        KustoType::String | KustoType::Guid => expr,
        _ => convert(expr, KustoType::String),
    }
}

/// `left op right` for a string operator (`has`, `!contains_cs`, ...), both sides taken as text.
pub(crate) fn string_predicate(op: StringOp, left: BoundExpr, right: BoundExpr, span: Span) -> BoundExpr {
    let function = string_operator_function(op.kind, op.case_sensitive);
    let call = BoundExpr::call(
        function,
        vec![as_text(left), as_text(right)],
        KustoType::Bool,
        span,
    );
    if op.negated { not(call) } else { call }
}

pub(crate) fn not(expr: BoundExpr) -> BoundExpr {
    let span = expr.span;
    BoundExpr::new(Bound::Not(Box::new(expr)), KustoType::Bool, span)
}

/// The common type of the value arguments of `iff`/`case`/`coalesce`, as Kusto.Language infers it:
/// one type stays, numbers promote, `dynamic` yields to the other type, and anything else mixed is
/// `dynamic`. A `dynamic(null)` adapts.
fn common_type(values: &[BoundExpr]) -> KustoType {
    let mut types: Vec<KustoType> = Vec::new();
    for value in values {
        if value.ty != KustoType::Dynamic && !types.contains(&value.ty) {
            types.push(value.ty);
        }
    }
    match types.as_slice() {
        [] => KustoType::Dynamic,
        [only] => *only,
        _ if types.iter().all(|t| t.is_numeric()) => promote(&types),
        _ => KustoType::Dynamic,
    }
}

impl Binder<'_> {
    /// Whether an expression denotes a table rather than a scalar.
    pub(crate) fn is_tabular(&self, expr: &Expr) -> bool {
        match &expr.kind {
            ExprKind::Pipe { .. } | ExprKind::Source(_) => true,
            ExprKind::Paren(inner) => self.is_tabular(inner),
            ExprKind::Name(ident) => match self.lookup(&ident.name) {
                Some(Binding::Tabular(_)) => true,
                Some(_) => false,
                None => self.catalog.table_schema(&ident.name).is_some() || ident.name.contains('*'),
            },
            ExprKind::Call { name, .. } => match self.lookup(&name.name) {
                Some(Binding::Function(def)) => def.body.last().is_some_and(|last| match &last.kind {
                    ast::StatementKind::Expr(body) => self.is_tabular(body),
                    _ => false,
                }),
                Some(_) => false,
                None => special_form(&name.name).is_some_and(|form| form.place == Place::Tabular),
            },
            _ => false,
        }
    }

    /// Binds a scalar expression over the columns of `row`.
    pub(crate) fn scalar(&mut self, expr: &Expr, row: &[Column]) -> BResult<BoundExpr> {
        let span = expr.span;
        match &expr.kind {
            ExprKind::Literal(lit) => Ok(BoundExpr::literal(literal::value(lit, span)?, span)),
            ExprKind::Name(ident) => self.name(ident, row),
            ExprKind::Paren(inner) => self.scalar(inner, row),
            ExprKind::Member { target, name } => {
                // Inside `scan`, `Step.Column` is a value of a step's state: a column of the scan row.
                if let ExprKind::Name(step) = &target.kind {
                    let state = crate::bound::scan_state_column(&step.name, &name.name);
                    if let Some(column) = row.iter().find(|c| c.name == state) {
                        return Ok(BoundExpr::column(column, span));
                    }
                }
                let target = self.scalar(target, row)?;
                let key = BoundExpr::literal(Value::String(name.name.clone()), name.span);
                self.member(target, key, span)
            }
            ExprKind::Index { target, index } => {
                let target = self.scalar(target, row)?;
                let index = self.scalar(index, row)?;
                let index = match index.ty {
                    KustoType::String => index,
                    KustoType::Int | KustoType::Long => convert(index, KustoType::Long),
                    other => {
                        return Err(type_error(
                            format!("an index must be a string or a long, not {other}"),
                            index.span,
                        ));
                    }
                };
                self.member(target, index, span)
            }
            ExprKind::Unary {
                op: UnaryOp::Plus,
                operand,
            } => self.scalar(operand, row),
            ExprKind::Unary {
                op: UnaryOp::Neg,
                operand,
            } => {
                let operand = self.scalar(operand, row)?;
                match operand.as_literal() {
                    Some(Value::Long(n)) => Ok(BoundExpr::literal(Value::Long(-n), span)),
                    Some(Value::Int(n)) => Ok(BoundExpr::literal(Value::Int(-n), span)),
                    Some(Value::Real(x)) => Ok(BoundExpr::literal(Value::Real(-x), span)),
                    Some(Value::TimeSpan(t)) => Ok(BoundExpr::literal(Value::TimeSpan(-t), span)),
                    _ if operand.ty.is_numeric() || operand.ty == KustoType::TimeSpan => {
                        // Kusto computes whole numbers as long.
                        let operand = if operand.ty == KustoType::Int {
                            convert(operand, KustoType::Long)
                        } else {
                            operand
                        };
                        let ty = operand.ty;
                        Ok(BoundExpr::new(Bound::Negate(Box::new(operand)), ty, span))
                    }
                    _ => Err(type_error(
                        format!("cannot negate a value of type {}", operand.ty),
                        span,
                    )),
                }
            }
            ExprKind::Binary { op, left, right } => self.binary(*op, left, right, row, span),
            ExprKind::In {
                expr: target,
                negated,
                case_sensitive,
                list,
            } => self.in_list(target, *negated, *case_sensitive, list, row, span),
            ExprKind::HasAny {
                expr: target,
                all,
                list,
            } => self.has_any(target, *all, list, row, span),
            ExprKind::Between {
                expr: target,
                negated,
                low,
                high,
            } => {
                let target = self.scalar(target, row)?;
                let low = self.scalar(low, row)?;
                let mut high = self.scalar(high, row)?;
                if target.ty == KustoType::DateTime && high.ty == KustoType::TimeSpan {
                    // `t between (start .. 1d)`: the upper bound is relative to the lower one.
                    let high_span = high.span;
                    high = self.arithmetic(BinaryOp::Add, low.clone(), high, high_span)?;
                }
                let lower = self.comparison(BinaryOp::GtEq, target.clone(), low, span)?;
                let upper = self.comparison(BinaryOp::LtEq, target, high, span)?;
                let both = BoundExpr::new(
                    Bound::Binary {
                        op: BinaryOp::And,
                        left: Box::new(lower),
                        right: Box::new(upper),
                    },
                    KustoType::Bool,
                    span,
                );
                Ok(if *negated { not(both) } else { both })
            }
            ExprKind::Call { name, args } => self.call(name, args, row, span),
            ExprKind::Star => Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                "`*` is not a value here",
                span,
            )),
            ExprKind::Pipe { .. } | ExprKind::Source(_) | ExprKind::ImplicitInput => Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                "a tabular expression is not allowed here; use toscalar() for a single value",
                span,
            )),
        }
    }

    fn name(&mut self, ident: &ast::Ident, row: &[Column]) -> BResult<BoundExpr> {
        if let Some(column) = row.iter().find(|column| column.name == ident.name) {
            return Ok(BoundExpr::column(column, ident.span));
        }
        match self.lookup(&ident.name) {
            Some(Binding::Scalar(value)) => {
                let mut value = value.clone();
                value.span = ident.span;
                return Ok(value);
            }
            Some(Binding::Tabular(_)) => {
                return Err(Diagnostic::new(
                    DiagnosticKind::Semantic,
                    format!("`{}` is a table; use toscalar() for a single value", ident.name),
                    ident.span,
                ));
            }
            Some(Binding::Function(_)) | None => {}
        }
        let lets = self.let_names();
        let candidates = row
            .iter()
            .map(|c| c.name.as_str())
            .chain(lets.iter().map(String::as_str));
        let mut diagnostic = Diagnostic::new(
            DiagnosticKind::UnknownName,
            format!("unknown column `{}`", ident.name),
            ident.span,
        );
        if let Some(close) = names::suggestion(&ident.name, candidates) {
            diagnostic.message = format!("unknown column `{}`; did you mean `{close}`?", ident.name);
            diagnostic = diagnostic.with_help(format!("did you mean `{close}`?"));
        }
        Err(diagnostic)
    }

    fn member(&mut self, target: BoundExpr, key: BoundExpr, span: Span) -> BResult<BoundExpr> {
        if target.ty != KustoType::Dynamic {
            return Err(type_error(
                format!(
                    "members can only be taken from a dynamic value, not from {}",
                    target.ty
                ),
                target.span,
            ));
        }
        Ok(BoundExpr::call(
            "dynamic_get",
            vec![target, key],
            KustoType::Dynamic,
            span,
        ))
    }

    fn binary(
        &mut self,
        op: AstOp,
        left: &Expr,
        right: &Expr,
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        if op == AstOp::ColumnTerm {
            return Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                "`Column:\"term\"` is only a condition of its own in a `search` or `find` predicate",
                span,
            ));
        }
        let left = self.scalar(left, row)?;
        let right = self.scalar(right, row)?;
        let simple = |op| Some(op);
        let bound_op = match op {
            AstOp::Add => simple(BinaryOp::Add),
            AstOp::Sub => simple(BinaryOp::Sub),
            AstOp::Mul => simple(BinaryOp::Mul),
            AstOp::Div => simple(BinaryOp::Div),
            AstOp::Mod => simple(BinaryOp::Mod),
            AstOp::Eq => simple(BinaryOp::Eq),
            AstOp::NotEq => simple(BinaryOp::NotEq),
            AstOp::Lt => simple(BinaryOp::Lt),
            AstOp::LtEq => simple(BinaryOp::LtEq),
            AstOp::Gt => simple(BinaryOp::Gt),
            AstOp::GtEq => simple(BinaryOp::GtEq),
            AstOp::And => simple(BinaryOp::And),
            AstOp::Or => simple(BinaryOp::Or),
            AstOp::EqCi | AstOp::NotEqCi | AstOp::String(_) | AstOp::ColumnTerm => None,
        };
        match (op, bound_op) {
            (_, Some(op @ (BinaryOp::And | BinaryOp::Or))) => {
                let left = self.boolean(left)?;
                let right = self.boolean(right)?;
                Ok(BoundExpr::new(
                    Bound::Binary {
                        op,
                        left: Box::new(left),
                        right: Box::new(right),
                    },
                    KustoType::Bool,
                    span,
                ))
            }
            (
                _,
                Some(op @ (BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod)),
            ) => self.arithmetic(op, left, right, span),
            (_, Some(op)) => self.comparison(op, left, right, span),
            (AstOp::EqCi | AstOp::NotEqCi, None) => {
                let equal = BoundExpr::call(
                    "equals_ci",
                    vec![as_text(left), as_text(right)],
                    KustoType::Bool,
                    span,
                );
                Ok(if op == AstOp::NotEqCi { not(equal) } else { equal })
            }
            (AstOp::String(string_op), None) => Ok(string_predicate(string_op, left, right, span)),
            _ => Err(Diagnostic::not_supported("this operator", span)),
        }
    }

    fn boolean(&self, expr: BoundExpr) -> BResult<BoundExpr> {
        match expr.ty {
            KustoType::Bool => Ok(expr),
            KustoType::Dynamic => Ok(convert(expr, KustoType::Bool)),
            other => Err(type_error(
                format!("a bool is expected here, not {other}"),
                expr.span,
            )),
        }
    }

    pub(crate) fn arithmetic(
        &self,
        op: BinaryOp,
        left: BoundExpr,
        right: BoundExpr,
        span: Span,
    ) -> BResult<BoundExpr> {
        // A dynamic operand takes part as a number (or as the other side's type).
        let (left, right) = match (left.ty, right.ty) {
            (KustoType::Dynamic, KustoType::Dynamic) => {
                (convert(left, KustoType::Real), convert(right, KustoType::Real))
            }
            (KustoType::Dynamic, other) => (convert(left, other), right),
            (other, KustoType::Dynamic) => (left, convert(right, other)),
            _ => (left, right),
        };
        let ty = arithmetic_type(op, left.ty, right.ty).ok_or_else(|| {
            type_error(
                format!("cannot apply `{}` to {} and {}", op_text(op), left.ty, right.ty),
                span,
            )
        })?;
        Ok(BoundExpr::new(
            Bound::Binary {
                op,
                left: Box::new(left),
                right: Box::new(right),
            },
            ty,
            span,
        ))
    }

    pub(crate) fn comparison(
        &self,
        op: BinaryOp,
        left: BoundExpr,
        right: BoundExpr,
        span: Span,
    ) -> BResult<BoundExpr> {
        let (left, right) = match (left.ty, right.ty) {
            (KustoType::Dynamic, KustoType::Dynamic) => (
                convert(left, KustoType::String),
                convert(right, KustoType::String),
            ),
            (KustoType::Dynamic, other) => (convert(left, other), right),
            (other, KustoType::Dynamic) => (left, convert(right, other)),
            // A number compared with a string compares as numbers ("3389" == 3389).
            (KustoType::String, other) if other.is_numeric() => (convert(left, other), right),
            (other, KustoType::String) if other.is_numeric() => (left, convert(right, other)),
            _ => (left, right),
        };
        let is_null_literal = |e: &BoundExpr| matches!(e.as_literal(), Some(Value::Null(_)));
        if !comparable(left.ty, right.ty) && !is_null_literal(&left) && !is_null_literal(&right) {
            return Err(type_error(
                format!("cannot compare {} with {}", left.ty, right.ty),
                span,
            ));
        }
        Ok(BoundExpr::new(
            Bound::Binary {
                op,
                left: Box::new(left),
                right: Box::new(right),
            },
            KustoType::Bool,
            span,
        ))
    }

    /// The values of an `in`/`has_any` list: constant dynamic arrays are spread into their elements.
    fn list_values(&mut self, list: &[Expr], row: &[Column]) -> BResult<Vec<BoundExpr>> {
        let mut values = Vec::new();
        for item in list {
            let value = self.scalar(item, row)?;
            match value.as_literal() {
                Some(Value::Dynamic(json)) => {
                    let elements = literal::array_elements(json).ok_or_else(|| {
                        Diagnostic::not_supported("a list value that is not an array of scalars", value.span)
                    })?;
                    values.extend(
                        elements
                            .into_iter()
                            .map(|element| BoundExpr::literal(element, value.span)),
                    );
                }
                _ if value.ty == KustoType::Dynamic => {
                    return Err(Diagnostic::not_supported(
                        "a list value computed at run time",
                        value.span,
                    ));
                }
                _ => values.push(value),
            }
        }
        Ok(values)
    }

    fn in_list(
        &mut self,
        target: &Expr,
        negated: bool,
        case_sensitive: bool,
        list: &[Expr],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        let mut target = self.scalar(target, row)?;
        if let [single] = list
            && self.is_tabular(single)
        {
            let relation = self.tabular(single)?;
            let Some(first) = relation.columns.first() else {
                return Err(Diagnostic::new(
                    DiagnosticKind::Semantic,
                    "the table has no columns",
                    single.span,
                ));
            };
            if !case_sensitive {
                return Err(Diagnostic::not_supported("`in~` with a tabular list", span));
            }
            if !comparable(target.ty, first.ty) {
                target = convert(target, first.ty);
            }
            return Ok(BoundExpr::new(
                Bound::InRelation {
                    expr: Box::new(target),
                    relation: Box::new(relation),
                    negated,
                },
                KustoType::Bool,
                span,
            ));
        }
        let values = self.list_values(list, row)?;
        if target.ty == KustoType::Dynamic {
            let ty = values.first().map_or(KustoType::String, |v| v.ty);
            target = convert(target, ty);
        }
        let list = if case_sensitive {
            values
                .into_iter()
                .map(|v| {
                    if comparable(target.ty, v.ty) {
                        v
                    } else {
                        convert(v, target.ty)
                    }
                })
                .collect()
        } else {
            target = as_text(target);
            values.into_iter().map(as_text).collect()
        };
        Ok(BoundExpr::new(
            Bound::InList {
                expr: Box::new(target),
                list,
                negated,
                case_sensitive,
            },
            KustoType::Bool,
            span,
        ))
    }

    fn has_any(
        &mut self,
        target: &Expr,
        all: bool,
        list: &[Expr],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        let target = as_text(self.scalar(target, row)?);
        let values = self.list_values(list, row)?;
        let mut args = vec![target];
        args.extend(values.into_iter().map(as_text));
        Ok(BoundExpr::call(
            if all { "has_all" } else { "has_any" },
            args,
            KustoType::Bool,
            span,
        ))
    }

    fn call(&mut self, ident: &ast::Ident, args: &[Arg], row: &[Column], span: Span) -> BResult<BoundExpr> {
        let name = ident.name.as_str();
        if let Some(Binding::Function(def)) = self.lookup(name) {
            let def = def.clone();
            return self.inline(&def, (ident, args), row, |binder, body| binder.scalar(body, row));
        }
        if let Some(named) = args.iter().find_map(|arg| arg.name.as_ref()) {
            return Err(Diagnostic::not_supported("named arguments", named.span));
        }
        let values: Vec<&Expr> = args.iter().map(|arg| &arg.value).collect();
        match name {
            "now" | "ago" => return self.now_or_ago(name, &values, row, span),
            "gettype" => return self.gettype(ident, &values, row, span),
            "pack_all" => return self.pack_all(ident, &values, row, span),
            "bag_pack_columns" => return self.pack_columns(ident, &values, row, span),
            "extract" if values.len() == 4 => return self.extract_typed(ident, &values, row, span),
            "row_number" | "prev" | "next" | "row_cumsum" | "row_rank_min" => {
                return self.window(ident, &values, row, span);
            }
            "toscalar" => {
                let [inner] = values[..] else {
                    return Err(arity(ident, "1", values.len()));
                };
                if !self.is_tabular(inner) {
                    return self.scalar(inner, row);
                }
                let relation = self.tabular(inner)?;
                let ty = relation.columns.first().map_or(KustoType::Dynamic, |c| c.ty);
                return Ok(BoundExpr::new(
                    Bound::ScalarSubquery(Box::new(relation)),
                    ty,
                    span,
                ));
            }
            "iff" | "iif" => {
                let [condition, then, otherwise] = values[..] else {
                    return Err(arity(ident, "3", values.len()));
                };
                return self.case(&[condition, then], otherwise, row, span);
            }
            "case" => {
                if values.len() < 3 || values.len().is_multiple_of(2) {
                    return Err(arity(ident, "an odd number, at least 3,", values.len()));
                }
                let (otherwise, pairs) = values.split_last().unwrap_or((&values[0], &[]));
                return self.case(pairs, otherwise, row, span);
            }
            "not" => {
                let [inner] = values[..] else {
                    return Err(arity(ident, "1", values.len()));
                };
                let inner = self.scalar(inner, row)?;
                return Ok(not(self.boolean(inner)?));
            }
            "column_ifexists" => {
                let [column, default] = values[..] else {
                    return Err(arity(ident, "2", values.len()));
                };
                let name = match &self.scalar(column, row)?.kind {
                    Bound::Literal(Value::String(name)) => name.clone(),
                    _ => {
                        return Err(type_error(
                            "the column name must be a constant string".into(),
                            column.span,
                        ));
                    }
                };
                return match row.iter().find(|c| c.name == name) {
                    Some(found) => Ok(BoundExpr::column(found, span)),
                    None => self.scalar(default, row),
                };
            }
            "coalesce" => {
                let bound = values
                    .iter()
                    .map(|v| self.scalar(v, row))
                    .collect::<BResult<Vec<_>>>()?;
                if bound.len() < 2 {
                    return Err(arity(ident, "at least 2", bound.len()));
                }
                let ty = common_type(&bound);
                let args = bound.into_iter().map(|v| convert(v, ty)).collect();
                return Ok(BoundExpr::call("coalesce", args, ty, span));
            }
            _ => {}
        }
        if let Some(refused) = refusals::refuse(BuiltinKind::Function, name, ident.span) {
            return Err(refused);
        }
        if self.is_aggregate(name) {
            return Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                format!("aggregate function `{name}` is only allowed in summarize"),
                ident.span,
            ));
        }
        let Some(signature) = self.scalar_function(name) else {
            return Err(self.unknown_function(ident));
        };
        let bound = values
            .iter()
            .map(|v| self.scalar(v, row))
            .collect::<BResult<Vec<_>>>()?;
        self.apply(&signature, ident, bound, span)
    }

    /// A scalar function's signature, from the catalog.
    pub(crate) fn scalar_function(&self, name: &str) -> Option<Signature> {
        self.catalog
            .function(name)
            .filter(|signature| signature.kind == FunctionKind::Scalar)
    }

    /// An aggregate function's signature, from the catalog.
    pub(crate) fn aggregate_function(&self, name: &str) -> Option<Signature> {
        self.catalog
            .function(name)
            .filter(|signature| signature.kind == FunctionKind::Aggregate)
    }

    /// Whether a call is an aggregate: a catalog aggregate or an aggregate special form (`arg_max`).
    pub(crate) fn is_aggregate(&self, name: &str) -> bool {
        self.aggregate_function(name).is_some()
            || special_form(name).is_some_and(|form| form.place == Place::Aggregate)
    }

    /// Whether a name is a scalar function or a scalar special form.
    pub(crate) fn is_scalar_function(&self, name: &str) -> bool {
        self.scalar_function(name).is_some()
            || special_form(name).is_some_and(|form| form.place == Place::Scalar)
    }

    /// An unknown function: a built-in torhunt refuses says why; otherwise it may be a real Kusto
    /// function torhunt lacks, so it is refused as not supported, with a hint when a known function is
    /// one letter away (`tolowr`).
    pub(crate) fn unknown_function(&self, ident: &ast::Ident) -> Diagnostic {
        unknown_function(ident, self.catalog)
    }

    /// Checks and converts arguments against a signature and types the result.
    pub(crate) fn apply(
        &self,
        signature: &Signature,
        ident: &ast::Ident,
        args: Vec<BoundExpr>,
        span: Span,
    ) -> BResult<BoundExpr> {
        if !signature.accepts_count(args.len()) {
            return Err(arity(ident, &signature.arity_text(), args.len()));
        }
        let args = args
            .into_iter()
            .enumerate()
            .map(|(index, arg)| convert_argument(signature, index, arg))
            .collect::<BResult<Vec<_>>>()?;
        let ty = match signature.returns {
            Returns::Fixed(ty) => ty,
            Returns::ArgType(index) => args.get(index).map_or(KustoType::Dynamic, |a| a.ty),
            Returns::Promoted => match args.first().map(|a| a.ty) {
                Some(ty @ (KustoType::DateTime | KustoType::TimeSpan)) => ty,
                _ => promote(&args.iter().map(|a| a.ty).collect::<Vec<_>>()),
            },
            Returns::Sum => match args.first().map(|a| a.ty) {
                Some(KustoType::Int | KustoType::Long) | None => KustoType::Long,
                Some(ty) => ty,
            },
        };
        Ok(BoundExpr::call(signature.name, args, ty, span))
    }

    fn case(&mut self, pairs: &[&Expr], otherwise: &Expr, row: &[Column], span: Span) -> BResult<BoundExpr> {
        let mut conditions = Vec::new();
        let mut values = Vec::new();
        for pair in pairs.chunks(2) {
            let [condition, value] = pair else { continue };
            let condition = self.scalar(condition, row)?;
            conditions.push(self.boolean(condition)?);
            values.push(self.scalar(value, row)?);
        }
        values.push(self.scalar(otherwise, row)?);
        let ty = common_type(&values);
        let mut values: Vec<BoundExpr> = values.into_iter().map(|v| convert(v, ty)).collect();
        let otherwise = values
            .pop()
            .unwrap_or_else(|| BoundExpr::literal(Value::Null(ty), span));
        let branches = conditions.into_iter().zip(values).collect();
        Ok(BoundExpr::new(
            Bound::Case {
                branches,
                otherwise: Box::new(otherwise),
            },
            ty,
            span,
        ))
    }

    /// `gettype(x)`: the binder knows the type of every non-dynamic value. A dynamic value's type
    /// depends on the row, which torhunt does not evaluate yet, so it is refused.
    fn gettype(
        &mut self,
        ident: &ast::Ident,
        values: &[&Expr],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        let [value] = values else {
            return Err(arity(ident, "1", values.len()));
        };
        let value = self.scalar(value, row)?;
        if value.ty == KustoType::Dynamic {
            return Err(Diagnostic::not_supported(
                "`gettype` of a dynamic value",
                value.span,
            ));
        }
        Ok(BoundExpr::literal(
            Value::String(value.ty.name().to_string()),
            span,
        ))
    }

    /// `pack_all([ignore_null_empty])`: a bag of every column of the row, by name, as
    /// `bag_pack("Col1", Col1, ...)`; null values are kept unless `ignore_null_empty` is true.
    fn pack_all(
        &mut self,
        ident: &ast::Ident,
        values: &[&Expr],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        let ignore_null_empty = match values {
            [] => false,
            [flag] => match self.scalar(flag, row)?.as_literal() {
                Some(Value::Bool(flag)) => *flag,
                _ => {
                    return Err(type_error(
                        "the argument of `pack_all` must be a constant bool".into(),
                        flag.span,
                    ));
                }
            },
            _ => return Err(arity(ident, "0 or 1", values.len())),
        };
        if ignore_null_empty {
            return Err(Diagnostic::not_supported("`pack_all(true)`", span));
        }
        self.column_bag(row, span)
    }

    /// A bag of `columns`, each under its own name: `bag_pack("Col1", Col1, ...)`.
    pub(crate) fn column_bag(&mut self, columns: &[Column], span: Span) -> BResult<BoundExpr> {
        let mut args = Vec::new();
        for column in columns {
            args.push(BoundExpr::literal(Value::String(column.name.clone()), span));
            args.push(BoundExpr::column(column, span));
        }
        let ident = ast::Ident {
            name: "bag_pack".to_string(),
            span,
        };
        self.bag_pack(&ident, args, span)
    }

    /// `bag_pack(key1, value1, ...)` of already bound keys and values.
    fn bag_pack(&mut self, ident: &ast::Ident, args: Vec<BoundExpr>, span: Span) -> BResult<BoundExpr> {
        let signature = self
            .scalar_function("bag_pack")
            .ok_or_else(|| self.unknown_function(ident))?;
        self.apply(&signature, ident, args, span)
    }

    /// `bag_pack_columns(Col1, Col2, ...)`: a bag of the named columns, each under its own name, as
    /// `bag_pack("Col1", Col1, ...)`.
    fn pack_columns(
        &mut self,
        ident: &ast::Ident,
        values: &[&Expr],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        if values.is_empty() {
            return Err(arity(ident, "at least 1", 0));
        }
        let mut args = Vec::new();
        for value in values {
            let ExprKind::Name(name) = &value.kind else {
                return Err(type_error(
                    "the arguments of `bag_pack_columns` must be column names".into(),
                    value.span,
                ));
            };
            args.push(BoundExpr::literal(Value::String(name.name.clone()), name.span));
            args.push(self.name(name, row)?);
        }
        self.bag_pack(ident, args, span)
    }

    /// `extract(regex, group, text, typeof(T))`: the extracted text converted to `T` (null when the
    /// conversion fails, as Kusto's conversion functions give).
    fn extract_typed(
        &mut self,
        ident: &ast::Ident,
        values: &[&Expr],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        let [regex, group, text, type_literal] = values else {
            return Err(arity(ident, "3 or 4", values.len()));
        };
        let ty = type_of_literal(type_literal).ok_or_else(|| {
            type_error(
                "the 4th argument of `extract` must be a type literal such as `typeof(long)`".into(),
                type_literal.span,
            )
        })?;
        let signature = self
            .scalar_function("extract")
            .ok_or_else(|| self.unknown_function(ident))?;
        let bound = [regex, group, text]
            .iter()
            .map(|v| self.scalar(v, row))
            .collect::<BResult<Vec<_>>>()?;
        Ok(convert(self.apply(&signature, ident, bound, span)?, ty))
    }

    /// `now([offset])` and `ago(timespan)` as constants from the query's fixed `now`.
    fn now_or_ago(&mut self, name: &str, values: &[&Expr], row: &[Column], span: Span) -> BResult<BoundExpr> {
        let now = BoundExpr::literal(Value::DateTime(self.options.now), span);
        let offset = match values {
            [] if name == "now" => return Ok(now),
            [offset] => convert(self.scalar(offset, row)?, KustoType::TimeSpan),
            _ => {
                let expected = if name == "now" { "0 or 1" } else { "1" };
                let ident = ast::Ident {
                    name: name.to_string(),
                    span,
                };
                return Err(arity(&ident, expected, values.len()));
            }
        };
        match (offset.as_literal(), name) {
            (Some(Value::TimeSpan(t)), "now") => {
                Ok(BoundExpr::literal(Value::DateTime(self.options.now + t), span))
            }
            (Some(Value::TimeSpan(t)), _) => {
                Ok(BoundExpr::literal(Value::DateTime(self.options.now - t), span))
            }
            (_, "now") => self.arithmetic(BinaryOp::Add, now, offset, span),
            _ => self.arithmetic(BinaryOp::Sub, now, offset, span),
        }
    }
}

fn op_text(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Add => "+",
        BinaryOp::Sub => "-",
        BinaryOp::Mul => "*",
        BinaryOp::Div => "/",
        BinaryOp::Mod => "%",
        BinaryOp::Eq => "==",
        BinaryOp::NotEq => "!=",
        BinaryOp::Lt => "<",
        BinaryOp::LtEq => "<=",
        BinaryOp::Gt => ">",
        BinaryOp::GtEq => ">=",
        BinaryOp::And => "and",
        BinaryOp::Or => "or",
    }
}

pub(crate) fn arity(ident: &ast::Ident, expected: &str, got: usize) -> Diagnostic {
    type_error(
        format!(
            "function `{}` expects {expected} argument(s), got {got}",
            ident.name
        ),
        ident.span,
    )
}

/// [`Binder::unknown_function`] for a catalog.
fn unknown_function(ident: &ast::Ident, catalog: &dyn Catalog) -> Diagnostic {
    let refused = [BuiltinKind::Aggregate, BuiltinKind::Function]
        .into_iter()
        .find_map(|kind| refusals::refuse(kind, &ident.name, ident.span));
    if let Some(refused) = refused {
        return refused;
    }
    let refused = Diagnostic::not_supported(format!("function `{}`", ident.name), ident.span);
    let known = catalog
        .function_names()
        .into_iter()
        .chain(SPECIAL_FORMS.iter().map(|form| form.name));
    // One edit away; a name with the same first letter first (`sin` is more likely `sign` than `bin`).
    let first = ident.name.chars().next();
    let close = known
        .filter(|known| strsim::levenshtein(known, &ident.name) == 1)
        .min_by_key(|known| (known.chars().next() != first, *known));
    match close {
        Some(close) => refused.with_help(format!("did you mean `{close}`?")),
        None => refused,
    }
}

/// The type `T` of a `typeof(T)` literal.
fn type_of_literal(expr: &Expr) -> Option<KustoType> {
    let ExprKind::Call { name, args } = &expr.kind else {
        return None;
    };
    match args.as_slice() {
        [
            Arg {
                name: None, value, ..
            },
        ] if name.name == "typeof" => match &value.kind {
            ExprKind::Name(ty) => KustoType::from_name(&ty.name),
            _ => None,
        },
        _ => None,
    }
}

/// Checks one argument against its parameter, converting where Kusto converts implicitly.
fn convert_argument(signature: &Signature, index: usize, arg: BoundExpr) -> BResult<BoundExpr> {
    use KustoType as T;
    let param = signature.param(index);
    let fits = match param {
        Param::Any => true,
        Param::Str => matches!(arg.ty, T::String | T::Guid),
        Param::Text => true,
        Param::Num => arg.ty.is_numeric() || arg.ty == T::TimeSpan,
        Param::Integer => arg.ty.is_numeric(),
        Param::Bool => arg.ty == T::Bool,
        Param::DateTime => arg.ty == T::DateTime,
        Param::TimeSpan => arg.ty == T::TimeSpan,
        Param::Binnable => arg.ty.is_numeric() || matches!(arg.ty, T::DateTime | T::TimeSpan),
        Param::Dynamic => true,
    };
    if fits {
        return Ok(match param {
            Param::Dynamic => convert(arg, T::Dynamic),
            Param::Text => as_text(arg),
            _ => arg,
        });
    }
    let target = match param {
        Param::Str | Param::Text => T::String,
        Param::Num | Param::Binnable => T::Real,
        Param::Integer => T::Long,
        Param::Bool => T::Bool,
        Param::DateTime => T::DateTime,
        Param::TimeSpan => T::TimeSpan,
        Param::Any | Param::Dynamic => arg.ty,
    };
    let null = matches!(arg.as_literal(), Some(Value::Null(_)));
    if arg.ty == T::Dynamic || null {
        return Ok(convert(arg, target));
    }
    Err(type_error(
        format!(
            "function `{}` expects a {target} for argument {}, got {}",
            signature.name,
            index + 1,
            arg.ty
        ),
        arg.span,
    ))
}
