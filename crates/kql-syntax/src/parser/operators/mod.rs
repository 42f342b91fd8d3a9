//! Tabular operators: the dispatch after `|`, source operators that start a pipeline, and the
//! pieces operators share (`name=value` parameters, named expressions, sort keys, subqueries).
//! One module per operator family.

mod columns;
mod joins;
mod reshape;
mod sources;

use super::{PResult, Parser};
use crate::ast::{
    ColumnDecl, Expr, ExprKind, NamedExpr, NullsOrder, Operator, OperatorParam, OutputSchema, SortKey,
    SortOrder,
};
use crate::diagnostic::Diagnostic;
use crate::lexer::TokenKind;
use crate::span::Span;

/// Operators Kusto has that torhunt does not parse; refused by name rather than called unknown.
const UNSUPPORTED_OPERATORS: &[&str] = &[
    "project-smart",
    "project-by-names",
    "make-graph",
    "top-hitters",
    "graph-match",
    "graph-merge",
    "graph-to-table",
    "graph-shortest-paths",
    "graph-mark-components",
    "assert-schema",
    "macro-expand",
    "consume",
];

impl Parser<'_> {
    /// The operator after `|`.
    pub(super) fn pipe_operator(&mut self) -> PResult<Operator> {
        let Some(word) = self.word() else {
            return Err(self.error_expected("a query operator", "after `|`"));
        };
        let start = self.start();
        if let Some(kind) = self.columns_operator(word)? {
            return Ok(Operator {
                kind,
                span: self.span_from(start),
            });
        }
        if let Some(kind) = self.joins_operator(word)? {
            return Ok(Operator {
                kind,
                span: self.span_from(start),
            });
        }
        if let Some(kind) = self.reshape_operator(word)? {
            return Ok(Operator {
                kind,
                span: self.span_from(start),
            });
        }
        // Source operators may also follow a pipe: `T | union U`, `T | evaluate plugin()`.
        if let Some(operator) = self.source_operator()? {
            return Ok(operator);
        }
        let span = self.token().span;
        if UNSUPPORTED_OPERATORS.contains(&word) {
            return Err(Diagnostic::not_supported(format!("the `{word}` operator"), span));
        }
        Err(
            Diagnostic::syntax(format!("unknown query operator `{word}`"), span)
                .with_help("operators after `|` are words like `where`, `project`, `summarize`"),
        )
    }

    /// Whether the current word names an operator that may start a subquery on an implicit input.
    fn at_pipe_operator_word(&self) -> bool {
        let Some(word) = self.word() else {
            return false;
        };
        columns::OPERATORS.contains(&word)
            || joins::OPERATORS.contains(&word)
            || reshape::OPERATORS.contains(&word)
    }

    /// `( subquery )` or `{ subquery }` of `mv-apply`, `fork`, `partition`, `facet`: a pipeline that
    /// either starts with an operator (applied to the implicit input) or is a full tabular expression.
    fn subquery(&mut self, context: &str) -> PResult<Expr> {
        let (open, close) = match self.eat(&TokenKind::LBrace) {
            Some(open) => (open, TokenKind::RBrace),
            None => (self.expect(&TokenKind::LParen, context)?, TokenKind::RParen),
        };
        let body = self.nested(|p| {
            if !p.at_pipe_operator_word() {
                return p.pipe_expr();
            }
            let start = p.start();
            let input = Expr {
                kind: ExprKind::ImplicitInput,
                span: Span::new(start, start),
            };
            let operator = p.pipe_operator()?;
            let span = Span::new(start, operator.span.end);
            let first = Expr {
                kind: ExprKind::Pipe {
                    input: Box::new(input),
                    operator: Box::new(operator),
                },
                span,
            };
            p.pipe_stages(first)
        })?;
        self.expect_close(&close, open, "to close the subquery")?;
        Ok(body)
    }

    /// Whether the current token ends an operator (its arguments are optional and absent).
    fn at_operator_end(&self) -> bool {
        matches!(
            self.kind(),
            TokenKind::Pipe | TokenKind::Semicolon | TokenKind::RParen | TokenKind::RBrace | TokenKind::Eof
        )
    }

    /// `name=value` parameters before an operator's arguments. Only `hint.*` and the names in
    /// `allowed` count, so `summarize Count = count()` stays an aggregate.
    fn operator_params(&mut self, allowed: &[&str]) -> PResult<Vec<OperatorParam>> {
        let mut params = Vec::new();
        while self.at_param(allowed) {
            let start = self.start();
            let name = self.dotted_name("")?;
            self.expect(&TokenKind::Assign, "after the parameter name")?;
            let value = self.param_value()?;
            params.push(OperatorParam {
                name,
                value,
                span: self.span_from(start),
            });
        }
        Ok(params)
    }

    /// Whether `name =` with an allowed name, or `hint.name =`, is ahead.
    fn at_param(&self, allowed: &[&str]) -> bool {
        let Some(first) = self.word() else {
            return false;
        };
        (allowed.contains(&first) && self.nth_is(1, &TokenKind::Assign))
            || (first == "hint"
                && self.nth_is(1, &TokenKind::Dot)
                && self.nth(2).kind == TokenKind::Ident
                && self.nth_is(3, &TokenKind::Assign))
    }

    /// A parameter value: a single name or literal (`inner`, `true`, `'x'`, `10`).
    fn param_value(&mut self) -> PResult<Expr> {
        let start = self.start();
        if self.kind() == &TokenKind::Ident
            && let Some(literal) = self.word_literal()?
        {
            return Ok(Expr {
                kind: ExprKind::Literal(literal),
                span: self.span_from(start),
            });
        }
        match self.kind() {
            TokenKind::Ident | TokenKind::LBracket => Ok(Parser::name_expr(self.ident("")?)),
            TokenKind::Long | TokenKind::Real | TokenKind::TimeSpan | TokenKind::String(_) => {
                let literal = self.literal_token()?;
                Ok(Expr {
                    kind: ExprKind::Literal(literal),
                    span: self.span_from(start),
                })
            }
            _ => Err(self.error_expected("a parameter value", "after `=`")),
        }
    }

    /// `expr`, `Name = expr` or `(A, B) = expr`.
    fn named_expr(&mut self) -> PResult<NamedExpr> {
        let start = self.start();
        let names = if self.tuple_names_ahead() {
            self.bump();
            let names = self.comma_list(|p| p.ident("in the list of names"))?;
            self.expect(&TokenKind::RParen, "after the names")?;
            self.bump();
            names
        } else if self.name_then_assign() {
            let name = self.ident("")?;
            self.bump();
            vec![name]
        } else {
            Vec::new()
        };
        let expr = self.expr()?;
        Ok(NamedExpr {
            names,
            expr,
            span: self.span_from(start),
        })
    }

    /// Whether `Name =` (or `['Name'] =`) is ahead.
    fn name_then_assign(&self) -> bool {
        match self.kind() {
            TokenKind::Ident => self.nth_is(1, &TokenKind::Assign),
            TokenKind::LBracket => {
                matches!(self.nth(1).kind, TokenKind::String(_))
                    && self.nth_is(2, &TokenKind::RBracket)
                    && self.nth_is(3, &TokenKind::Assign)
            }
            _ => false,
        }
    }

    /// Whether `(A, B, ...) =` is ahead.
    fn tuple_names_ahead(&self) -> bool {
        if !self.at(&TokenKind::LParen) {
            return false;
        }
        let mut n = 1;
        loop {
            if self.nth(n).kind != TokenKind::Ident {
                return false;
            }
            match self.nth(n + 1).kind {
                TokenKind::Comma => n += 2,
                TokenKind::RParen => return self.nth_is(n + 2, &TokenKind::Assign),
                _ => return false,
            }
        }
    }

    /// `expr [asc|desc] [nulls first|last]`
    fn sort_key(&mut self) -> PResult<SortKey> {
        let start = self.start();
        let expr = self.expr()?;
        let order = self.sort_order();
        let nulls = if self.eat_word("nulls").is_some() {
            if self.eat_word("first").is_some() {
                Some(NullsOrder::First)
            } else {
                self.expect_word("last", "after `nulls` (`nulls first` or `nulls last`)")?;
                Some(NullsOrder::Last)
            }
        } else {
            None
        };
        Ok(SortKey {
            expr,
            order,
            nulls,
            span: self.span_from(start),
        })
    }

    fn sort_order(&mut self) -> Option<SortOrder> {
        if self.eat_word("asc").is_some() {
            Some(SortOrder::Asc)
        } else if self.eat_word("desc").is_some() {
            Some(SortOrder::Desc)
        } else {
            None
        }
    }

    /// `(Col:type, ...)` schema of `datatable`/`externaldata`.
    fn schema(&mut self, operator: &str) -> PResult<Vec<ColumnDecl>> {
        let context = format!("in the schema of `{operator}`");
        Ok(self.paren_list(&context, Parser::column_decl)?.0)
    }

    /// `(Col:type, ...)` or `(*, Col:type, ...)` after a plugin's `:`.
    fn output_schema(&mut self) -> PResult<OutputSchema> {
        let start = self.start();
        let open = self.expect(&TokenKind::LParen, "to start the output schema")?;
        let keeps_input = self.eat(&TokenKind::Star).is_some();
        if keeps_input && !self.at(&TokenKind::RParen) {
            self.expect(&TokenKind::Comma, "after `*` in the output schema")?;
        }
        let mut columns = Vec::new();
        while !self.at(&TokenKind::RParen) {
            columns.push(self.column_decl()?);
            if self.eat(&TokenKind::Comma).is_none() {
                break;
            }
        }
        self.expect_close(&TokenKind::RParen, open, "to close the output schema")?;
        Ok(OutputSchema {
            keeps_input,
            columns,
            span: self.span_from(start),
        })
    }

    /// `[a, b, ...]` with an optional trailing comma (`datatable` values, `externaldata` URIs).
    fn bracket_values(&mut self, what: &str) -> PResult<Vec<Expr>> {
        let context = format!("to start the {what}");
        let open = self.expect(&TokenKind::LBracket, &context)?;
        let mut values = Vec::new();
        while !self.at(&TokenKind::RBracket) {
            values.push(self.expr()?);
            if self.eat(&TokenKind::Comma).is_none() {
                break;
            }
        }
        let context = format!("to close the {what}");
        self.expect_close(&TokenKind::RBracket, open, &context)?;
        Ok(values)
    }

    /// `with (name = value, ...)` options, as in `externaldata` and `render`.
    fn with_options(&mut self, context: &str) -> PResult<Vec<OperatorParam>> {
        if self.eat_word("with").is_none() {
            return Ok(Vec::new());
        }
        let (options, _) = self.paren_list(context, Parser::option)?;
        Ok(options)
    }

    /// `name = value` with any name.
    fn option(&mut self) -> PResult<OperatorParam> {
        let start = self.start();
        let name = self.dotted_name("for an option")?;
        self.expect(&TokenKind::Assign, "after the option name")?;
        let value = self.param_value()?;
        Ok(OperatorParam {
            name,
            value,
            span: self.span_from(start),
        })
    }

    /// `(T1, T2, ...)` after `in` in `search`/`find`.
    fn in_tables(&mut self) -> PResult<Vec<Expr>> {
        if self.eat_word("in").is_none() {
            return Ok(Vec::new());
        }
        Ok(self
            .paren_list("in the table list after `in`", Parser::table_reference)?
            .0)
    }

    /// A table in `union`/`search`/`find`: a wildcard name (`Device*`), or any tabular expression.
    fn table_reference(&mut self) -> PResult<Expr> {
        let wildcard = self.at(&TokenKind::Star)
            || (self.kind() == &TokenKind::Ident
                && self.nth_is(1, &TokenKind::Star)
                && self.nth(1).span.start == self.token().span.end);
        if wildcard {
            return Ok(Parser::name_expr(self.wildcard_name("")?));
        }
        // `database("Db*").Table*`: tables of other databases, by pattern (the binder refuses them).
        let other_database =
            (self.at_word("database") || self.at_word("cluster")) && self.nth_is(1, &TokenKind::LParen);
        if other_database {
            let start = self.start();
            let target = self.word_expr()?;
            if self.eat(&TokenKind::Dot).is_none() {
                return Ok(target);
            }
            if self.kind() == &TokenKind::Ident && self.nth_is(1, &TokenKind::LParen) {
                let span = target.span.to(self.token().span);
                return Err(Diagnostic::not_supported(
                    format!(
                        "calling `{}` on `{}`",
                        self.nth_text(0),
                        target.span.text(self.source)
                    ),
                    span,
                ));
            }
            let name = self.wildcard_name("after `.`")?;
            return Ok(Expr {
                kind: ExprKind::Member {
                    target: Box::new(target),
                    name,
                },
                span: self.span_from(start),
            });
        }
        self.expr()
    }
}
