//! `in`, `!in`, `in~`, `!in~`, `has_any` and `has_all`: a value against a list. Per the Kusto docs
//! of these operators, each list item is a scalar, a dynamic array (its elements count, nested arrays
//! flattened, whether the array is a constant, a `let`, `pack_array(...)` or computed once by
//! `toscalar(...)`), or a tabular expression (its first column: a `let`-bound table or a subquery).
//!
//! Null values equal nothing (the null-values docs: `null == x` is false, `null != x` true), so nulls
//! are left out of every list, and a null value is `!in` any list.

use kql_syntax::ast::Expr;
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;

use super::coercion::{as_text, comparable, convert};
use super::literal;
use crate::bound::{AggregateCall, BinaryOp, BoundExpr, ExprKind as Bound, Relation, RelationKind, Value};
use crate::catalog::Column;
use crate::{BResult, Binder};

/// One item of an operand list.
enum Item {
    /// Scalars (a constant array's elements, one each).
    Values(Vec<BoundExpr>),
    /// Arrays in the first column of a relation, their elements the values: computed once by
    /// `toscalar(...)` (the first row only), or a table's dynamic column (every row).
    Arrays {
        relation: Relation,
        first_row_only: bool,
    },
    /// A dynamic value of each row (a column, `split(...)`); its array elements are the values.
    PerRow(BoundExpr),
    /// A table; its first column holds the values.
    Table(Relation),
}

impl Binder<'_> {
    /// The items of an operand list.
    fn list_items(&mut self, list: &[Expr], row: &[Column]) -> BResult<Vec<Item>> {
        let mut items = Vec::with_capacity(list.len());
        for expr in list {
            if self.is_tabular(expr) {
                let relation = self.tabular(expr)?;
                let Some(first) = relation.columns.first() else {
                    return Err(Diagnostic::new(
                        DiagnosticKind::Semantic,
                        "the table has no columns",
                        expr.span,
                    ));
                };
                // Arrays in the column are flattened, as the docs flatten nested arrays of a list
                // (Microsoft's own hunting queries use `in (T | summarize make_list(x))`).
                items.push(if first.ty == KustoType::Dynamic {
                    Item::Arrays {
                        relation,
                        first_row_only: false,
                    }
                } else {
                    Item::Table(relation)
                });
                continue;
            }
            let value = self.scalar(expr, row)?;
            items.push(match (constant_elements(&value)?, value.kind) {
                (Some(elements), _) => Item::Values(elements),
                (None, Bound::ScalarSubquery(relation)) if value.ty == KustoType::Dynamic => Item::Arrays {
                    relation: *relation,
                    first_row_only: true,
                },
                (None, kind) if value.ty == KustoType::Dynamic => {
                    Item::PerRow(BoundExpr::new(kind, value.ty, value.span))
                }
                (None, kind) => Item::Values(vec![BoundExpr::new(kind, value.ty, value.span)]),
            });
        }
        Ok(items)
    }

    /// `target in (list)` and its negated and case-insensitive forms: membership in the scalar values
    /// (one `InList`), or in any of the tables and computed arrays (a semi-join each); `!in` holds
    /// when the value is in none of them.
    pub(super) fn in_list(
        &mut self,
        target: &Expr,
        negated: bool,
        case_sensitive: bool,
        list: &[Expr],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        let target = self.scalar(target, row)?;
        // The type a computed array's elements are compared as.
        let element_type = match target.ty {
            _ if !case_sensitive => KustoType::String,
            KustoType::Dynamic => KustoType::String,
            ty => ty,
        };
        let mut values = Vec::new();
        let mut relations = Vec::new();
        for item in self.list_items(list, row)? {
            match item {
                Item::Values(scalars) => values.extend(scalars),
                Item::Table(relation) => relations.push(relation),
                Item::Arrays {
                    relation,
                    first_row_only,
                } => relations.push(array_rows(relation, element_type, first_row_only)),
                // `in~` matches text, which its function reads from arrays at run time.
                Item::PerRow(array) if !case_sensitive => values.push(array),
                Item::PerRow(array) => {
                    return Err(Diagnostic::not_supported(
                        "case-sensitive `in` over an array that differs per row (`in~`, a constant \
                         array and `toscalar(...)` work)",
                        array.span,
                    ));
                }
            }
        }
        let mut tests = Vec::with_capacity(relations.len() + 1);
        if !values.is_empty() || relations.is_empty() {
            tests.push(in_values(target.clone(), values, negated, case_sensitive, span));
        }
        for relation in relations {
            tests.push(in_relation(
                target.clone(),
                relation,
                negated,
                case_sensitive,
                span,
            ));
        }
        // Any of the lists holds the value; `!in`: none does.
        let join = if negated { BinaryOp::And } else { BinaryOp::Or };
        let combined = tests
            .into_iter()
            .reduce(|left, right| {
                BoundExpr::new(
                    Bound::Binary {
                        op: join,
                        left: Box::new(left),
                        right: Box::new(right),
                    },
                    KustoType::Bool,
                    span,
                )
            })
            .expect("at least one test");
        Ok(combined)
    }

    /// `target has_any (list)` / `has_all`: whole-term matches of each value, ignoring case.
    pub(super) fn has_any(
        &mut self,
        target: &Expr,
        all: bool,
        list: &[Expr],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        let target = as_text(self.scalar(target, row)?);
        let mut args = vec![target];
        for item in self.list_items(list, row)? {
            match item {
                Item::Values(scalars) => args.extend(scalars.into_iter().map(as_text)),
                // Dynamic arguments make the function expand arrays (its `_dynamic` form).
                Item::PerRow(array) => args.push(array),
                Item::Arrays {
                    relation,
                    first_row_only: true,
                } => args.push(BoundExpr::new(
                    Bound::ScalarSubquery(Box::new(relation)),
                    KustoType::Dynamic,
                    span,
                )),
                Item::Arrays { relation, .. } => {
                    args.push(column_as_array(array_rows(relation, KustoType::String, false)))
                }
                Item::Table(relation) => args.push(column_as_array(relation)),
            }
        }
        Ok(BoundExpr::call(
            if all { "has_all" } else { "has_any" },
            args,
            KustoType::Bool,
            span,
        ))
    }
}

/// The elements of a constant array (`dynamic([...])`, or `pack_array` of constants), or `None` for a
/// value that is not one. Nulls equal nothing and are left out.
fn constant_elements(value: &BoundExpr) -> BResult<Option<Vec<BoundExpr>>> {
    match (&value.kind, value.as_literal()) {
        (_, Some(Value::Dynamic(json))) => {
            let elements = literal::array_elements(json)
                .ok_or_else(|| Diagnostic::not_supported("a property bag as a list value", value.span))?;
            Ok(Some(
                elements
                    .into_iter()
                    .map(|element| BoundExpr::literal(element, value.span))
                    .collect(),
            ))
        }
        (_, Some(Value::Null(_))) => Ok(Some(Vec::new())),
        (Bound::Call { function, args }, _)
            if function == "pack_array" && args.iter().all(|a| a.as_literal().is_some()) =>
        {
            let elements = args.iter().map(constant_elements).collect::<BResult<Vec<_>>>()?;
            Ok(Some(
                elements
                    .into_iter()
                    .zip(args)
                    .flat_map(|(elements, arg)| elements.unwrap_or_else(|| vec![arg.clone()]))
                    .collect(),
            ))
        }
        _ => Ok(None),
    }
}

/// `value in (T)` / `in~ (T)`: a semi-join against T's first column, without its nulls.
fn in_relation(
    mut target: BoundExpr,
    relation: Relation,
    negated: bool,
    case_sensitive: bool,
    span: Span,
) -> BoundExpr {
    let span_of_list = relation.span;
    let first = relation.columns[0].clone();
    let mut value = BoundExpr::column(&first, span_of_list);
    if case_sensitive {
        if !comparable(target.ty, value.ty) {
            target = convert(target, value.ty);
        }
    } else {
        // `in~` compares text ignoring case, as `=~` does.
        target = lower(as_text(target));
        value = lower(as_text(value));
    }
    let values_column = Column::new(first.name.clone(), value.ty);
    let values = Relation::new(
        RelationKind::Project {
            input: relation.boxed(),
            exprs: vec![value],
        },
        vec![values_column.clone()],
        span_of_list,
    );
    let present = BoundExpr::call(
        "isnotnull",
        vec![BoundExpr::column(&values_column, span_of_list)],
        KustoType::Bool,
        span_of_list,
    );
    let present_values = Relation::new(
        RelationKind::Filter {
            input: values.boxed(),
            predicate: present,
        },
        vec![values_column],
        span_of_list,
    );
    BoundExpr::new(
        Bound::InRelation {
            expr: Box::new(target),
            relation: Box::new(present_values),
            negated,
        },
        KustoType::Bool,
        span,
    )
}

fn lower(text: BoundExpr) -> BoundExpr {
    let span = text.span;
    BoundExpr::call("tolower", vec![text], KustoType::String, span)
}

/// `value in (a, b, ...)` over scalars (and, for `in~`, dynamic arrays read at run time). A list
/// without values holds nothing.
fn in_values(
    mut target: BoundExpr,
    values: Vec<BoundExpr>,
    negated: bool,
    case_sensitive: bool,
    span: Span,
) -> BoundExpr {
    if values.is_empty() {
        return BoundExpr::literal(Value::Bool(negated), span);
    }
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
        values
            .into_iter()
            .map(|v| if v.ty == KustoType::Dynamic { v } else { as_text(v) })
            .collect()
    };
    BoundExpr::new(
        Bound::InList {
            expr: Box::new(target),
            list,
            negated,
            case_sensitive,
        },
        KustoType::Bool,
        span,
    )
}

/// The arrays of `relation`'s first column (of its first row only, what `toscalar` takes), one row
/// per array element, converted to `element_type` (as `mv-expand ... to typeof(element_type)` does).
fn array_rows(relation: Relation, element_type: KustoType, first_row_only: bool) -> Relation {
    let span = relation.span;
    let first = relation.columns[0].clone();
    let mut arrays = Relation::new(
        RelationKind::Project {
            input: relation.boxed(),
            exprs: vec![BoundExpr::column(&first, span)],
        },
        vec![first.clone()],
        span,
    );
    if first_row_only {
        arrays = Relation::new(
            RelationKind::Take {
                input: arrays.boxed(),
                count: 1,
            },
            vec![first.clone()],
            span,
        );
    }
    Relation::new(
        RelationKind::MvExpand {
            input: arrays.boxed(),
            expanded: vec![0],
            limit: None,
            bag_as_array: false,
            item_index: false,
        },
        vec![Column::new(first.name, element_type)],
        span,
    )
}

/// A table's first column as one dynamic array of its distinct values, computed once (for
/// `has_any (T)`, which the docs say considers distinct values).
fn column_as_array(relation: Relation) -> BoundExpr {
    let span = relation.span;
    let first = relation.columns[0].clone();
    let set = AggregateCall {
        function: "make_set".to_string(),
        args: vec![BoundExpr::column(&first, span)],
        ty: KustoType::Dynamic,
        span,
    };
    let summarized = Relation::new(
        RelationKind::Summarize {
            input: relation.boxed(),
            keys: Vec::new(),
            aggregates: vec![set],
        },
        vec![Column::new("values", KustoType::Dynamic)],
        span,
    );
    BoundExpr::new(
        Bound::ScalarSubquery(Box::new(summarized)),
        KustoType::Dynamic,
        span,
    )
}
