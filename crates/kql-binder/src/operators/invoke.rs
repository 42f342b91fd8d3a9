//! `T | invoke f(args)`: calls the user function `f` with the piped rows as its first, tabular,
//! argument, as `f(T, args)`.

use kql_syntax::ast::{Expr, ExprKind, ParameterType};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};

use crate::bound::Relation;
use crate::{BResult, Binder, Binding};

impl Binder<'_> {
    pub(crate) fn invoke(&mut self, input: Relation, call: &Expr, span: Span) -> BResult<Relation> {
        let ExprKind::Call { name, args } = &call.kind else {
            return Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                "`invoke` takes a function call: `invoke f(args)`",
                call.span,
            ));
        };
        let Some(Binding::Function(def)) = self.lookup(&name.name) else {
            return Err(Diagnostic::new(
                DiagnosticKind::UnknownName,
                format!(
                    "`{}` is not a function defined with `let`, which `invoke` calls",
                    name.name
                ),
                name.span,
            ));
        };
        let def = def.clone();
        if !matches!(
            def.parameters.first().map(|p| &p.ty),
            Some(ParameterType::Tabular { .. })
        ) {
            return Err(Diagnostic::new(
                DiagnosticKind::Type,
                format!(
                    "`invoke {}(...)` passes the piped rows as the first argument, but that parameter \
                     of `{}` is not tabular",
                    name.name, name.name
                ),
                span,
            ));
        }
        self.inline_call(&def, (name, args), Some(input), &[], |binder, body| {
            binder.tabular(body)
        })
    }
}
