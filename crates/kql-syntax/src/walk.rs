//! Visits every expression of a query: in its statements, `let` values, user function bodies, parameter
//! defaults, and every operator's arguments and subqueries, an expression before the expressions inside
//! it. For callers that look for something anywhere in a query (the tables it names, the functions it
//! calls) without binding it. The matches are exhaustive, so a new operator or expression says here
//! which expressions it holds.

use crate::ast::{
    Expr, ExprKind, FunctionDef, LetValue, MvExpandItem, NamedExpr, Operator, OperatorKind, OperatorParam,
    Parameter, Query, SortKey, Statement, StatementKind,
};

/// Calls `visit` on every expression of `query`.
pub fn query<'a>(query: &'a Query, visit: &mut impl FnMut(&'a Expr)) {
    statements(&query.statements, visit);
}

fn statements<'a>(statements: &'a [Statement], visit: &mut impl FnMut(&'a Expr)) {
    for statement in statements {
        match &statement.kind {
            StatementKind::Let {
                value: LetValue::Expr(value),
                ..
            } => expr(value, visit),
            StatementKind::Let {
                value: LetValue::Function(function),
                ..
            } => function_def(function, visit),
            StatementKind::Set { value, .. } => value.iter().for_each(|value| expr(value, visit)),
            StatementKind::DeclareQueryParameters { parameters: declared } => parameters(declared, visit),
            StatementKind::Expr(value) => expr(value, visit),
        }
    }
}

fn function_def<'a>(function: &'a FunctionDef, visit: &mut impl FnMut(&'a Expr)) {
    parameters(&function.parameters, visit);
    statements(&function.body, visit);
}

fn parameters<'a>(parameters: &'a [Parameter], visit: &mut impl FnMut(&'a Expr)) {
    for parameter in parameters {
        parameter.default.iter().for_each(|value| expr(value, visit));
    }
}

/// Calls `visit` on `root` and every expression inside it.
pub fn expr<'a>(root: &'a Expr, visit: &mut impl FnMut(&'a Expr)) {
    visit(root);
    match &root.kind {
        ExprKind::Literal(_) | ExprKind::Name(_) | ExprKind::Star | ExprKind::ImplicitInput => {}
        ExprKind::Member { target, .. } => expr(target, visit),
        ExprKind::Index { target, index } => {
            expr(target, visit);
            expr(index, visit);
        }
        ExprKind::Call { args, .. } => args.iter().for_each(|arg| expr(&arg.value, visit)),
        ExprKind::Unary { operand, .. } => expr(operand, visit),
        ExprKind::Binary { left, right, .. } => {
            expr(left, visit);
            expr(right, visit);
        }
        ExprKind::In {
            expr: target, list, ..
        }
        | ExprKind::HasAny {
            expr: target, list, ..
        } => {
            expr(target, visit);
            list.iter().for_each(|item| expr(item, visit));
        }
        ExprKind::Between {
            expr: target,
            low,
            high,
            ..
        } => {
            expr(target, visit);
            expr(low, visit);
            expr(high, visit);
        }
        ExprKind::Pipe { input, operator: op } => {
            expr(input, visit);
            operator(op, visit);
        }
        ExprKind::Source(op) => operator(op, visit),
        ExprKind::Paren(inner) => expr(inner, visit),
    }
}

fn exprs<'a>(values: &'a [Expr], visit: &mut impl FnMut(&'a Expr)) {
    values.iter().for_each(|value| expr(value, visit));
}

fn named<'a>(values: &'a [NamedExpr], visit: &mut impl FnMut(&'a Expr)) {
    values.iter().for_each(|value| expr(&value.expr, visit));
}

fn params<'a>(values: &'a [OperatorParam], visit: &mut impl FnMut(&'a Expr)) {
    values.iter().for_each(|value| expr(&value.value, visit));
}

fn sort_keys<'a>(keys: &'a [SortKey], visit: &mut impl FnMut(&'a Expr)) {
    keys.iter().for_each(|key| expr(&key.expr, visit));
}

fn expand_items<'a>(items: &'a [MvExpandItem], visit: &mut impl FnMut(&'a Expr)) {
    items.iter().for_each(|item| expr(&item.expr, visit));
}

fn operator<'a>(op: &'a Operator, visit: &mut impl FnMut(&'a Expr)) {
    match &op.kind {
        OperatorKind::ProjectAway(_)
        | OperatorKind::ProjectKeep(_)
        | OperatorKind::ProjectRename(_)
        | OperatorKind::ProjectReorder(_)
        | OperatorKind::Count
        | OperatorKind::GetSchema => {}
        OperatorKind::Where(value)
        | OperatorKind::Take(value)
        | OperatorKind::Sample(value)
        | OperatorKind::Invoke(value) => expr(value, visit),
        OperatorKind::Project(values)
        | OperatorKind::Extend(values)
        | OperatorKind::Print(values)
        | OperatorKind::Serialize(values)
        | OperatorKind::Fork(values) => named(values, visit),
        OperatorKind::Summarize {
            params: given,
            aggregates,
            by,
        } => {
            params(given, visit);
            named(aggregates, visit);
            named(by, visit);
        }
        OperatorKind::Join {
            params: given,
            right,
            on,
        }
        | OperatorKind::Lookup {
            params: given,
            right,
            on,
        } => {
            params(given, visit);
            expr(right, visit);
            exprs(on, visit);
        }
        OperatorKind::Union {
            params: given,
            tables,
        } => {
            params(given, visit);
            exprs(tables, visit);
        }
        OperatorKind::Distinct { columns, .. } => exprs(columns, visit),
        OperatorKind::Top { count, by } => {
            expr(count, visit);
            sort_keys(by, visit);
        }
        OperatorKind::Sort(keys) => sort_keys(keys, visit),
        OperatorKind::As { params: given, .. } => params(given, visit),
        OperatorKind::Datatable { values, .. } => exprs(values, visit),
        OperatorKind::ExternalData { uris, options, .. } => {
            exprs(uris, visit);
            params(options, visit);
        }
        OperatorKind::Range { from, to, step, .. } => {
            expr(from, visit);
            expr(to, visit);
            expr(step, visit);
        }
        OperatorKind::MvExpand {
            params: given,
            items,
            limit,
        } => {
            params(given, visit);
            expand_items(items, visit);
            limit.iter().for_each(|limit| expr(limit, visit));
        }
        OperatorKind::MvApply {
            params: given,
            items,
            limit,
            subquery,
        } => {
            params(given, visit);
            expand_items(items, visit);
            limit.iter().for_each(|limit| expr(limit, visit));
            expr(subquery, visit);
        }
        OperatorKind::Parse { expr: target, .. } => expr(target, visit),
        OperatorKind::ParseKv {
            expr: target,
            options,
            ..
        } => {
            expr(target, visit);
            params(options, visit);
        }
        OperatorKind::MakeSeries {
            params: given,
            aggregates,
            on,
            range,
            by,
        } => {
            params(given, visit);
            for aggregate in aggregates {
                expr(&aggregate.aggregate.expr, visit);
                aggregate.default.iter().for_each(|value| expr(value, visit));
            }
            expr(on, visit);
            params(range, visit);
            named(by, visit);
        }
        OperatorKind::Evaluate {
            params: given,
            plugin,
            ..
        } => {
            params(given, visit);
            expr(plugin, visit);
        }
        OperatorKind::Render { options, .. } => params(options, visit),
        OperatorKind::Search {
            params: given,
            tables,
            predicate,
        }
        | OperatorKind::Find {
            params: given,
            tables,
            predicate,
            ..
        } => {
            params(given, visit);
            exprs(tables, visit);
            expr(predicate, visit);
        }
        OperatorKind::SampleDistinct { count, column } => {
            expr(count, visit);
            expr(column, visit);
        }
        OperatorKind::TopNested(levels) => {
            for level in levels {
                level.count.iter().for_each(|count| expr(count, visit));
                expr(&level.of.expr, visit);
                level.with_others.iter().for_each(|value| expr(value, visit));
                expr(&level.by.expr, visit);
            }
        }
        OperatorKind::Facet { with, .. } => with.iter().for_each(|with| expr(with, visit)),
        OperatorKind::Scan {
            params: given,
            declare,
            steps,
        } => {
            params(given, visit);
            parameters(declare, visit);
            for step in steps {
                expr(&step.condition, visit);
                named(&step.assignments, visit);
            }
        }
        OperatorKind::Reduce {
            params: given,
            by,
            options,
        } => {
            params(given, visit);
            expr(by, visit);
            params(options, visit);
        }
        OperatorKind::Partition {
            params: given,
            subquery,
            ..
        } => {
            params(given, visit);
            expr(subquery, visit);
        }
    }
}
