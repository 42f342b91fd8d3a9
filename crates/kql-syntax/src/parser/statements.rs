//! The query and its statements: `let`, `set`, `declare query_parameters`, and expression statements.

use super::{PResult, Parser};
use crate::ast::{
    ColumnDecl, FunctionDef, LetValue, Parameter, ParameterType, Query, Statement, StatementKind, TypeName,
};
use crate::diagnostic::Diagnostic;
use crate::lexer::TokenKind;

impl Parser<'_> {
    pub(super) fn query(&mut self) -> PResult<Query> {
        let statements = self.statements(&TokenKind::Eof)?;
        let span = self.span_from(0);
        Ok(Query { statements, span })
    }

    /// Statements separated by `;` up to `end` (end of query, or `}` of a function body).
    fn statements(&mut self, end: &TokenKind) -> PResult<Vec<Statement>> {
        let mut statements: Vec<Statement> = Vec::new();
        loop {
            while self.eat(&TokenKind::Semicolon).is_some() {}
            if self.at(end) {
                return Ok(statements);
            }
            let statement = self.statement()?;
            let is_expression = matches!(statement.kind, StatementKind::Expr(_));
            statements.push(statement);
            if self.at(end) {
                return Ok(statements);
            }
            if !self.at(&TokenKind::Semicolon) {
                let (what, context) = if is_expression {
                    ("`|` or `;`", "after the end of this expression")
                } else {
                    ("`;`", "after the statement")
                };
                return Err(self
                    .error_expected(what, context)
                    .with_help("separate statements, and queries that follow each other, with `;`"));
            }
        }
    }

    fn statement(&mut self) -> PResult<Statement> {
        let start = self.start();
        if let Some(refusal) = self.refused_statement() {
            return Err(refusal);
        }
        let kind = if self.at_word("let") && self.starts_name(1) {
            self.bump();
            self.let_statement()?
        } else if self.at_word("set") && self.starts_name(1) {
            self.bump();
            let name = self.dotted_name("after `set`")?;
            let value = match self.eat(&TokenKind::Assign) {
                Some(_) => Some(self.expr()?),
                None => None,
            };
            StatementKind::Set { name, value }
        } else if self.at_word("declare") && self.nth_word_is(1, "query_parameters") {
            self.bump();
            self.bump();
            let (parameters, _) = self.paren_list("in `declare query_parameters`", Parser::parameter)?;
            StatementKind::DeclareQueryParameters { parameters }
        } else {
            StatementKind::Expr(self.pipe_expr()?)
        };
        Ok(Statement {
            kind,
            span: self.span_from(start),
        })
    }

    /// Statements Kusto.Language parses that only make sense inside a Kusto cluster or service, refused
    /// by name rather than reported as syntax errors.
    fn refused_statement(&self) -> Option<Diagnostic> {
        let two_words = |p: &Self| p.token().span.to(p.nth(1).span);
        let (what, span) = if self.at(&TokenKind::Dot) && self.nth(1).kind == TokenKind::Ident {
            (
                "management commands (`.create`, `.show`, ...): torhunt runs queries, it has no database \
                 to manage",
                two_words(self),
            )
        } else if self.at_word("alias") && self.nth_word_is(1, "database") {
            (
                "the `alias database` statement (a name for another cluster's database)",
                two_words(self),
            )
        } else if self.at_word("restrict") && self.nth_word_is(1, "access") {
            (
                "the `restrict access` statement (a middle-tier application's limit on what a query sees)",
                two_words(self),
            )
        } else if self.at_word("declare") && self.nth_word_is(1, "pattern") {
            (
                "`declare pattern` (patterns are resolved by the service that runs the query)",
                two_words(self),
            )
        } else {
            return None;
        };
        Some(Diagnostic::not_supported(what, span))
    }

    /// Whether the token `n` ahead can start a name (a word or `['bracketed']`).
    fn starts_name(&self, n: usize) -> bool {
        matches!(self.nth(n).kind, TokenKind::Ident | TokenKind::LBracket)
    }

    /// After `let`: `name = value`.
    fn let_statement(&mut self) -> PResult<StatementKind> {
        let name = self.ident("after `let`")?;
        self.expect(&TokenKind::Assign, "after the name of the `let` statement")?;
        let value = if self.at_function_definition() {
            LetValue::Function(self.function_definition()?)
        } else {
            LetValue::Expr(self.pipe_expr()?)
        };
        Ok(StatementKind::Let { name, value })
    }

    /// `(` `)` or `(` name `:` starts a parameter list, which no parenthesised expression can.
    fn at_function_definition(&self) -> bool {
        let skip = usize::from(self.at_word("view") && self.nth_is(1, &TokenKind::LParen));
        if !self.nth_is(skip, &TokenKind::LParen) {
            return false;
        }
        match self.nth(skip + 1).kind {
            TokenKind::RParen => true,
            TokenKind::Ident => self.nth_is(skip + 2, &TokenKind::Colon),
            TokenKind::LBracket => self.nth_is(skip + 4, &TokenKind::Colon),
            _ => false,
        }
    }

    /// `[view] (parameters) { statements }`
    fn function_definition(&mut self) -> PResult<FunctionDef> {
        let start = self.start();
        let is_view = self.eat_word("view").is_some();
        let (parameters, _) = self.paren_list("in the function's parameter list", Parser::parameter)?;
        let open = self.expect(&TokenKind::LBrace, "to start the function body")?;
        let body = self.nested(|p| p.statements(&TokenKind::RBrace))?;
        self.expect_close(&TokenKind::RBrace, open, "to close the function body")?;
        Ok(FunctionDef {
            is_view,
            parameters,
            body,
            span: self.span_from(start),
        })
    }

    /// `name:type [= default]`, where the type may be tabular: `(*)` or `(Col:type, ...)`.
    pub(super) fn parameter(&mut self) -> PResult<Parameter> {
        let start = self.start();
        let name = self.ident("for a parameter")?;
        self.expect(&TokenKind::Colon, "after the parameter name")?;
        let ty = if self.at(&TokenKind::LParen) {
            if self.nth_is(1, &TokenKind::Star) && self.nth_is(2, &TokenKind::RParen) {
                self.bump();
                self.bump();
                self.bump();
                ParameterType::Tabular {
                    columns: Vec::new(),
                    any: true,
                }
            } else {
                let (columns, _) =
                    self.paren_list("in the tabular parameter's schema", Parser::column_decl)?;
                ParameterType::Tabular { columns, any: false }
            }
        } else {
            ParameterType::Scalar(self.type_name("after `:`")?)
        };
        let default = match self.eat(&TokenKind::Assign) {
            Some(_) => Some(self.expr()?),
            None => None,
        };
        Ok(Parameter {
            name,
            ty,
            default,
            span: self.span_from(start),
        })
    }

    /// `Name:type`
    pub(super) fn column_decl(&mut self) -> PResult<ColumnDecl> {
        let start = self.start();
        let name = self.ident("for a column")?;
        self.expect(&TokenKind::Colon, "after the column name")?;
        let ty = self.type_name("after `:`")?;
        Ok(ColumnDecl {
            name,
            ty,
            span: self.span_from(start),
        })
    }

    pub(super) fn type_name(&mut self, context: &str) -> PResult<TypeName> {
        match self.word() {
            Some(name) => {
                let span = self.bump().span;
                Ok(TypeName {
                    name: name.to_string(),
                    span,
                })
            }
            None => Err(self.error_expected("a type name", context)),
        }
    }
}
