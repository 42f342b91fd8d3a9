//! `in`/`!in` with Kusto's answers where DataFusion's differ: a null value is in no list and `!in` every
//! list (the null-values docs: `null == x` is false, `null != x` is true; SQL's `IN` answers null), and
//! membership in a subquery works as a value too (DataFusion turns `IN (subquery)` into a join only in a
//! filter).

use std::sync::Arc;

use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{Column, Result};
use datafusion::functions_aggregate::expr_fn::array_agg;
use datafusion::functions_nested::expr_fn::array_has;
use datafusion::logical_expr::expr::InSubquery;
use datafusion::logical_expr::{Expr, LogicalPlanBuilder, lit};
use datafusion::prelude::{coalesce, scalar_subquery};

/// Kusto's answer for `target in (...)` (`found` is SQL's `IN`, or `NOT IN` when `negated`).
pub(crate) fn null_aware(target: Expr, found: Expr, negated: bool) -> Expr {
    if negated {
        target.is_null().or(found)
    } else {
        target.is_not_null().and(found)
    }
}

/// Rewrites each `x IN (subquery)` of a value computed per row (a projection) into a test against the
/// subquery's values, collected once into an array.
pub(crate) fn subquery_membership_as_value(expr: Expr) -> Result<Expr> {
    expr.transform_up(|e| match e {
        Expr::InSubquery(InSubquery {
            expr,
            subquery,
            negated,
        }) => {
            let value = subquery.subquery.schema().field(0).name().clone();
            let values = LogicalPlanBuilder::from(Arc::unwrap_or_clone(subquery.subquery))
                .aggregate(
                    Vec::<Expr>::new(),
                    vec![array_agg(Expr::Column(Column::new_unqualified(value)))],
                )?
                .build()?;
            let all = scalar_subquery(Arc::new(values));
            let found = coalesce(vec![array_has(all, *expr), lit(false)]);
            Ok(Transformed::yes(if negated {
                Expr::Not(Box::new(found))
            } else {
                found
            }))
        }
        other => Ok(Transformed::no(other)),
    })
    .map(|t| t.data)
}
