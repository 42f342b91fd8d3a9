//! Function calls: a Kusto function runs as `kql-functions` implements it (its registry), an operator
//! or internal step as its internal function, a torhunt extension (`tor_relay_at`) as the engine's
//! UDF; anything else is refused as not supported yet.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::DFSchema;
use datafusion::logical_expr::type_coercion::functions::fields_with_udf;
use datafusion::logical_expr::{Expr, ExprSchemable};
use kql_binder::bound::BoundExpr;
use kql_functions::{Implementation, ScalarCall, registry};
use kql_syntax::{Diagnostic, Span};
use kql_types::KustoType;

use crate::{PResult, Planner, function_error};

impl Planner<'_> {
    /// Lowers a call of the function `name` with bound arguments; `call` is the call itself.
    pub(crate) fn function(
        &self,
        name: &str,
        args: &[BoundExpr],
        call: &BoundExpr,
        schema: &DFSchema,
    ) -> PResult<Expr> {
        let lowered = args
            .iter()
            .map(|a| self.expr(a, schema))
            .collect::<PResult<Vec<_>>>()?;
        let types = args.iter().map(|a| a.ty).collect();
        let expr = self.call_function(name, lowered, types, call.ty, call.span)?;
        refuse_decimal_arguments(name, &expr, schema, call.span)?;
        Ok(expr)
    }

    /// Calls the function, operator or extension `name` with lowered arguments of the given Kusto
    /// types, or refuses when torhunt has no implementation.
    pub(crate) fn call_function(
        &self,
        name: &str,
        args: Vec<Expr>,
        types: Vec<KustoType>,
        result: KustoType,
        span: Span,
    ) -> PResult<Expr> {
        let call = ScalarCall { args, types, result };
        match scalar_implementation(name) {
            Some(implementation) => implementation
                .call_scalar(call)
                .map_err(|e| function_error(e, span)),
            None => match self.ctx.extension_udf(name) {
                Some(udf) => Ok(udf.call(call.args)),
                None => Err(Diagnostic::not_supported(format!("function `{name}`"), span)),
            },
        }
    }

    /// Converts a value of one Kusto type to another.
    pub(crate) fn conversion(
        &self,
        value: Expr,
        from: KustoType,
        to: KustoType,
        span: Span,
    ) -> PResult<Expr> {
        kql_functions::conversion::convert(value, from, to).map_err(|e| function_error(e, span))
    }
}

/// Kusto takes a decimal wherever it takes a number, and several implementations take none: DataFusion
/// would reject such a call later with a bare planning error, so it is refused here, naming the
/// function and pointing at the call.
pub(crate) fn refuse_decimal_arguments(
    name: &str,
    expr: &Expr,
    schema: &DFSchema,
    span: Span,
) -> PResult<()> {
    let args = match expr {
        Expr::ScalarFunction(call) => &call.args,
        Expr::AggregateFunction(call) => &call.params.args,
        _ => return Ok(()),
    };
    let Ok(types) = args
        .iter()
        .map(|arg| arg.get_type(schema))
        .collect::<datafusion::common::Result<Vec<_>>>()
    else {
        return Ok(());
    };
    if !types.iter().any(|t| matches!(t, DataType::Decimal128(..))) {
        return Ok(());
    }
    let fields: Vec<FieldRef> = types
        .into_iter()
        .map(|t| Arc::new(Field::new("argument", t, true)))
        .collect();
    let accepted = match expr {
        Expr::ScalarFunction(call) => fields_with_udf(&fields, call.func.as_ref()).is_ok(),
        Expr::AggregateFunction(call) => fields_with_udf(&fields, call.func.as_ref()).is_ok(),
        _ => true,
    };
    if accepted {
        return Ok(());
    }
    Err(Diagnostic::not_supported(
        format!("a decimal argument of `{name}`"),
        span,
    ))
}

/// How a Kusto function, or an operator or internal step the binder named, runs.
fn scalar_implementation(name: &str) -> Option<&'static Implementation> {
    let registry = registry();
    registry
        .function(name)
        .map(|function| &function.implementation)
        .or_else(|| registry.internal(name).map(|function| &function.implementation))
}
