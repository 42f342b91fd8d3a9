//! Recursive-descent parser for KQL, with a Pratt loop for scalar expressions.
//!
//! Split by construct: [`statements`] (`let`, `set`, `declare`, the query), [`operators`] (everything
//! after `|`, one module per operator family), [`expressions`] (scalar and pipe expressions) and
//! [`literals`]. The parser stops at the first error: KQL rules are short, and one precise message
//! beats a cascade.

mod expressions;
mod literals;
mod operators;
mod statements;

use crate::ast::{Expr, ExprKind, Ident};
use crate::diagnostic::Diagnostic;
use crate::lexer::{Token, TokenKind, tokenize};
use crate::span::Span;

/// How deeply constructs may nest: every parenthesis, call, operand of a chain (`a or b or ...`) and
/// pipeline stage counts. Far above any real rule; it bounds the height of the tree, so later passes
/// that recurse over it stay within a few MiB of stack.
pub const MAX_NESTING: usize = 500;

/// Stack kept free before recursing deeper: one nesting level takes tens of KiB in a debug build.
const STACK_RED_ZONE: usize = 256 * 1024;
/// Size of each extra stack segment when the parser runs short.
const STACK_SEGMENT: usize = 4 * 1024 * 1024;

/// Parses a whole query. On failure, the diagnostics describe the first syntax error.
pub fn parse(source: &str) -> Result<crate::ast::Query, Vec<Diagnostic>> {
    let tokens = tokenize(source).map_err(|d| vec![d])?;
    let mut parser = Parser {
        source,
        tokens,
        pos: 0,
        depth: 0,
        column_terms: false,
    };
    parser.query().map_err(|d| vec![d])
}

type PResult<T> = Result<T, Diagnostic>;

struct Parser<'s> {
    source: &'s str,
    /// Always ends with an [`TokenKind::Eof`] token.
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
    /// Inside a `search`/`find` predicate, where `Col:"term"` is an operator.
    column_terms: bool,
}

impl<'s> Parser<'s> {
    fn token(&self) -> &Token {
        self.nth(0)
    }

    fn nth(&self, n: usize) -> &Token {
        let last = self.tokens.len() - 1;
        &self.tokens[(self.pos + n).min(last)]
    }

    fn kind(&self) -> &TokenKind {
        &self.token().kind
    }

    fn at(&self, kind: &TokenKind) -> bool {
        self.kind() == kind
    }

    fn nth_is(&self, n: usize, kind: &TokenKind) -> bool {
        &self.nth(n).kind == kind
    }

    /// The text of the `n`th token ahead.
    fn nth_text(&self, n: usize) -> &'s str {
        self.nth(n).span.text(self.source)
    }

    /// Whether the current token is the word `word` (a contextual keyword).
    fn at_word(&self, word: &str) -> bool {
        self.nth_word_is(0, word)
    }

    fn nth_word_is(&self, n: usize, word: &str) -> bool {
        self.nth(n).kind == TokenKind::Ident && self.nth_text(n) == word
    }

    /// The current word, if the current token is one.
    fn word(&self) -> Option<&'s str> {
        (self.kind() == &TokenKind::Ident).then(|| self.nth_text(0))
    }

    fn bump(&mut self) -> Token {
        let token = self.token().clone();
        if token.kind != TokenKind::Eof {
            self.pos += 1;
        }
        token
    }

    fn eat(&mut self, kind: &TokenKind) -> Option<Span> {
        self.at(kind).then(|| self.bump().span)
    }

    fn eat_word(&mut self, word: &str) -> Option<Span> {
        self.at_word(word).then(|| self.bump().span)
    }

    /// End of the last consumed token, for spans of nodes that end there.
    fn prev_end(&self) -> usize {
        match self.pos.checked_sub(1) {
            Some(prev) => self.tokens[prev].span.end,
            None => 0,
        }
    }

    /// A span from `start` to the end of the last consumed token.
    fn span_from(&self, start: usize) -> Span {
        Span::new(start, self.prev_end().max(start))
    }

    fn start(&self) -> usize {
        self.token().span.start
    }

    /// "expected {what} {context}, found {current token}", at the current token.
    fn error_expected(&self, what: &str, context: &str) -> Diagnostic {
        let token = self.token();
        let found = self.describe_found(token);
        let message = if context.is_empty() {
            format!("expected {what}, found {found}")
        } else {
            format!("expected {what} {context}, found {found}")
        };
        // At the end, point just after the last token rather than past trailing blank lines.
        let span = if token.kind == TokenKind::Eof {
            Span::new(self.prev_end(), self.prev_end())
        } else {
            token.span
        };
        Diagnostic::syntax(message, span)
    }

    fn describe_found(&self, token: &Token) -> String {
        match &token.kind {
            TokenKind::Eof => "end of query".to_string(),
            TokenKind::String(_) => "a string literal".to_string(),
            _ => {
                let text = token.span.text(self.source);
                match text.char_indices().nth(40) {
                    Some((cut, _)) => format!("`{}...`", &text[..cut]),
                    None => format!("`{text}`"),
                }
            }
        }
    }

    fn expect(&mut self, kind: &TokenKind, context: &str) -> PResult<Span> {
        self.eat(kind)
            .ok_or_else(|| self.error_expected(kind.describe(), context))
    }

    /// Expects `close`, matching the opener at `open`. When the query ends first, the error points at
    /// the opener that was never closed, which is where the fix usually goes.
    fn expect_close(&mut self, close: &TokenKind, open: Span, context: &str) -> PResult<Span> {
        if let Some(span) = self.eat(close) {
            return Ok(span);
        }
        if !self.at(&TokenKind::Eof) {
            return Err(self.error_expected(close.describe(), context));
        }
        let opener = open.text(self.source);
        let message = format!(
            "`{opener}` is never closed: expected {} before the end of the query",
            close.describe()
        );
        Err(Diagnostic::syntax(message, open).with_label(format!("this `{opener}`")))
    }

    fn expect_word(&mut self, word: &str, context: &str) -> PResult<Span> {
        self.eat_word(word)
            .ok_or_else(|| self.error_expected(&format!("`{word}`"), context))
    }

    /// Enters one level of nesting; fails past [`MAX_NESTING`]. Pair with [`Parser::leave`].
    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            let message = format!("the query nests too deeply (more than {MAX_NESTING} levels)");
            return Err(Diagnostic::syntax(message, self.token().span)
                .with_help("split the expression with `let` statements"));
        }
        Ok(())
    }

    fn leave(&mut self, levels: usize) {
        self.depth -= levels;
    }

    /// Runs `f` one nesting level deeper, on a fresh stack segment if the thread's stack runs short
    /// (the caller's thread may have as little as a tokio worker's 2 MiB).
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        self.enter()?;
        let result = stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || f(self));
        self.leave(1);
        result
    }

    /// A name: a word, a `['bracketed name']` / `["name"]`, or `$left`/`$right`.
    fn ident(&mut self, context: &str) -> PResult<Ident> {
        if let Some(word) = self.word() {
            let span = self.bump().span;
            return Ok(Ident {
                name: word.to_string(),
                span,
            });
        }
        if let Some(ident) = self.bracketed_name() {
            return Ok(ident);
        }
        Err(self.error_expected("a name", context))
    }

    /// `['name']` at the current position, if there is one.
    fn bracketed_name(&mut self) -> Option<Ident> {
        let (TokenKind::LBracket, TokenKind::String(name), TokenKind::RBracket) =
            (self.kind(), &self.nth(1).kind, &self.nth(2).kind)
        else {
            return None;
        };
        let name = name.clone();
        let start = self.bump().span.start;
        self.bump();
        let end = self.bump().span.end;
        Some(Ident {
            name,
            span: Span::new(start, end),
        })
    }

    /// A possibly wildcarded name as in `union Device*` or `project-away *Id`: adjacent words and `*`s
    /// with no space between them, joined.
    fn wildcard_name(&mut self, context: &str) -> PResult<Ident> {
        if let Some(ident) = self.bracketed_name() {
            return Ok(ident);
        }
        let start = self.start();
        let mut end = start;
        while matches!(self.kind(), TokenKind::Ident | TokenKind::Star)
            && (end == start || self.start() == end)
        {
            end = self.bump().span.end;
        }
        if end == start {
            return Err(self.error_expected("a name", context));
        }
        let span = Span::new(start, end);
        Ok(Ident {
            name: span.text(self.source).to_string(),
            span,
        })
    }

    /// A dotted parameter name such as `hint.strategy`, joined.
    fn dotted_name(&mut self, context: &str) -> PResult<Ident> {
        let first = self.ident(context)?;
        let mut name = first.name;
        let mut span = first.span;
        while self.at(&TokenKind::Dot) && self.nth(1).kind == TokenKind::Ident {
            self.bump();
            let part = self.ident(context)?;
            name.push('.');
            name.push_str(&part.name);
            span = span.to(part.span);
        }
        Ok(Ident { name, span })
    }

    fn name_expr(ident: Ident) -> Expr {
        Expr {
            span: ident.span,
            kind: ExprKind::Name(ident),
        }
    }

    /// Parses `item (, item)*`.
    fn comma_list<T>(&mut self, mut item: impl FnMut(&mut Self) -> PResult<T>) -> PResult<Vec<T>> {
        let mut items = vec![item(self)?];
        while self.eat(&TokenKind::Comma).is_some() {
            items.push(item(self)?);
        }
        Ok(items)
    }

    /// Parses `( [item (, item)*] )`, allowing a trailing comma.
    fn paren_list<T>(
        &mut self,
        context: &str,
        mut item: impl FnMut(&mut Self) -> PResult<T>,
    ) -> PResult<(Vec<T>, Span)> {
        let open = self.expect(&TokenKind::LParen, context)?;
        let mut items = Vec::new();
        while !self.at(&TokenKind::RParen) {
            items.push(item(self)?);
            if self.eat(&TokenKind::Comma).is_none() {
                break;
            }
        }
        self.expect_close(&TokenKind::RParen, open, context)?;
        Ok((items, self.span_from(open.start)))
    }
}
