//! Function calls: a `let` function is inlined, a special form is bound by its own code
//! (`special_forms`), and any other call is checked against its signature from the catalog (the
//! registry of `kql-functions` and the engine's extensions), its arguments converted as Kusto does.

use kql_syntax::ast::{self, Arg, Expr};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;
use kql_types::signature::{FunctionKind, Returns, Signature, promote};

use super::coercion::convert_argument;
use super::errors::arity;
use crate::bound::BoundExpr;
use crate::catalog::{Catalog, Column};
use crate::refusals::{self, BuiltinKind};
use crate::special::{Place, SPECIAL_FORMS, special_form};
use crate::{BResult, Binder, Binding};

impl Binder<'_> {
    pub(super) fn call(
        &mut self,
        ident: &ast::Ident,
        args: &[Arg],
        row: &[Column],
        span: Span,
    ) -> BResult<BoundExpr> {
        let name = ident.name.as_str();
        if let Some(Binding::Function(def)) = self.lookup(name) {
            let def = def.clone();
            return self.inline(&def, (ident, args), row, |binder, body| binder.scalar(body, row));
        }
        if let Some(named) = args.iter().find_map(|arg| arg.name.as_ref()) {
            return Err(Diagnostic::not_supported(
                "named arguments in a call of a built-in function: pass the arguments in the \
                 documented order, without names",
                named.span,
            ));
        }
        let values: Vec<&Expr> = args.iter().map(|arg| &arg.value).collect();
        if let Some(bound) = self.bind_special_form(ident, &values, row, span) {
            return bound;
        }
        let signature = self.scalar_function(name);
        // A refusal applies to names the catalog does not know (`geo_info_from_ip_address` is known
        // once `--geoip` registers it); a refused scalar function may share an aggregate's name (`any`).
        if signature.is_none()
            && let Some(refused) = refusals::refuse(BuiltinKind::Function, name, ident.span)
        {
            return Err(refused);
        }
        if self.is_aggregate(name) {
            return Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                format!("aggregate function `{name}` is only allowed in summarize"),
                ident.span,
            ));
        }
        let Some(signature) = signature else {
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
            Returns::Average => match args.first().map(|a| a.ty) {
                Some(ty @ (KustoType::Decimal | KustoType::TimeSpan | KustoType::DateTime)) => ty,
                _ => KustoType::Real,
            },
        };
        Ok(BoundExpr::call(signature.name, args, ty, span))
    }
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
