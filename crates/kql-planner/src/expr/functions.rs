//! Function calls: a Kusto function runs as `kql-functions` implements it (its registry), an operator
//! or internal step as its internal function, a torhunt extension (`tor_relay_at`) as the engine's
//! UDF; anything else is refused as not supported yet.

use datafusion::common::DFSchema;
use datafusion::logical_expr::Expr;
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
        self.call_function(name, lowered, types, call.ty, call.span)
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

/// How a Kusto function, or an operator or internal step the binder named, runs.
fn scalar_implementation(name: &str) -> Option<&'static Implementation> {
    let registry = registry();
    registry
        .function(name)
        .map(|function| &function.implementation)
        .or_else(|| registry.internal(name).map(|function| &function.implementation))
}
