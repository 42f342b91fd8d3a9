//! Scalar expressions (a Pratt loop over Kusto's precedence levels) and pipe expressions.

use super::{PResult, Parser};
use crate::ast::{Arg, BinaryOp, Expr, ExprKind, StringOp, StringOpKind, UnaryOp};
use crate::diagnostic::Diagnostic;
use crate::lexer::TokenKind;

/// Binding powers per the Kusto docs, loosest first; unary `-`/`+` and postfix bind tighter than all.
const OR: u8 = 1;
const AND: u8 = 2;
const COMPARISON: u8 = 3;
const ADDITIVE: u8 = 4;
const MULTIPLICATIVE: u8 = 5;

/// An infix operator found at the current position.
#[derive(Debug, Clone, Copy)]
enum Infix {
    /// A binary operator spelled with `tokens` tokens (`matches regex` has two).
    Binary {
        op: BinaryOp,
        tokens: usize,
    },
    In {
        negated: bool,
        case_sensitive: bool,
    },
    HasAny {
        all: bool,
    },
    Between {
        negated: bool,
    },
}

impl Infix {
    fn power(self) -> u8 {
        match self {
            Infix::Binary { op, .. } => match op {
                BinaryOp::Or => OR,
                BinaryOp::And => AND,
                BinaryOp::Add | BinaryOp::Sub => ADDITIVE,
                BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => MULTIPLICATIVE,
                _ => COMPARISON,
            },
            Infix::In { .. } | Infix::HasAny { .. } | Infix::Between { .. } => COMPARISON,
        }
    }
}

/// `has`, `!contains_cs`, ...: the string operator a word spells, if any.
fn string_op(word: &str) -> Option<StringOp> {
    let (negated, word) = match word.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, word),
    };
    let (case_sensitive, base) = match word.strip_suffix("_cs") {
        Some(base) => (true, base),
        None => (false, word),
    };
    let kind = match base {
        "has" => StringOpKind::Has,
        "hasprefix" => StringOpKind::HasPrefix,
        "hassuffix" => StringOpKind::HasSuffix,
        "contains" => StringOpKind::Contains,
        "startswith" => StringOpKind::StartsWith,
        "endswith" => StringOpKind::EndsWith,
        _ => return None,
    };
    Some(StringOp {
        kind,
        negated,
        case_sensitive,
    })
}

impl Parser<'_> {
    /// A tabular or scalar expression, optionally followed by `| operator` stages. Source operators
    /// (`datatable`, `union`, `print`, ...) may start it.
    pub(super) fn pipe_expr(&mut self) -> PResult<Expr> {
        self.nested(|p| {
            let head = match p.source_operator()? {
                Some(operator) => Expr {
                    span: operator.span,
                    kind: ExprKind::Source(Box::new(operator)),
                },
                None => p.expr()?,
            };
            p.pipe_stages(head)
        })
    }

    /// `| operator` stages applied to `input`.
    pub(super) fn pipe_stages(&mut self, mut input: Expr) -> PResult<Expr> {
        let mut levels = 0;
        while self.eat(&TokenKind::Pipe).is_some() {
            self.enter()?;
            levels += 1;
            let operator = self.pipe_operator()?;
            let span = input.span.to(operator.span);
            input = Expr {
                kind: ExprKind::Pipe {
                    input: Box::new(input),
                    operator: Box::new(operator),
                },
                span,
            };
        }
        self.leave(levels);
        Ok(input)
    }

    /// A scalar expression (no `|` stages).
    pub(super) fn expr(&mut self) -> PResult<Expr> {
        self.nested(|p| p.binary(0))
    }

    /// The predicate of `search`/`find`, where `Col:"term"` searches one column.
    pub(super) fn search_predicate(&mut self) -> PResult<Expr> {
        let outer = std::mem::replace(&mut self.column_terms, true);
        let predicate = self.expr();
        self.column_terms = outer;
        predicate
    }

    fn binary(&mut self, min_power: u8) -> PResult<Expr> {
        let mut left = self.unary()?;
        let mut levels = 0;
        while let Some(infix) = self.infix() {
            let power = infix.power();
            if power <= min_power {
                break;
            }
            // Each link of a chain deepens the tree, so it counts as nesting too.
            self.enter()?;
            levels += 1;
            left = self.infix_rest(left, infix, power)?;
        }
        self.leave(levels);
        Ok(left)
    }

    fn infix(&self) -> Option<Infix> {
        let binary = |op| Some(Infix::Binary { op, tokens: 1 });
        match self.kind() {
            TokenKind::EqEq => binary(BinaryOp::Eq),
            TokenKind::NotEq | TokenKind::LtGt => binary(BinaryOp::NotEq),
            TokenKind::Lt => binary(BinaryOp::Lt),
            TokenKind::LtEq => binary(BinaryOp::LtEq),
            TokenKind::Gt => binary(BinaryOp::Gt),
            TokenKind::GtEq => binary(BinaryOp::GtEq),
            TokenKind::EqTilde => binary(BinaryOp::EqCi),
            TokenKind::BangTilde => binary(BinaryOp::NotEqCi),
            TokenKind::Plus => binary(BinaryOp::Add),
            TokenKind::Minus => binary(BinaryOp::Sub),
            TokenKind::Star => binary(BinaryOp::Mul),
            TokenKind::Slash => binary(BinaryOp::Div),
            TokenKind::Percent => binary(BinaryOp::Mod),
            TokenKind::Colon if self.column_terms => binary(BinaryOp::ColumnTerm),
            TokenKind::Ident => match self.nth_text(0) {
                "and" => binary(BinaryOp::And),
                "or" => binary(BinaryOp::Or),
                // `make-series ... on Axis in range(...)`: `in` takes a parenthesised list, so
                // `in range` is the axis clause, not a membership test.
                "in" if self.nth_word_is(1, "range") => None,
                "in" => Some(Infix::In {
                    negated: false,
                    case_sensitive: true,
                }),
                "!in" => Some(Infix::In {
                    negated: true,
                    case_sensitive: true,
                }),
                "in~" => Some(Infix::In {
                    negated: false,
                    case_sensitive: false,
                }),
                "!in~" => Some(Infix::In {
                    negated: true,
                    case_sensitive: false,
                }),
                "has_any" => Some(Infix::HasAny { all: false }),
                "has_all" => Some(Infix::HasAny { all: true }),
                "between" => Some(Infix::Between { negated: false }),
                "!between" => Some(Infix::Between { negated: true }),
                "matches" if self.nth_word_is(1, "regex") => {
                    let op = StringOp {
                        kind: StringOpKind::MatchesRegex,
                        negated: false,
                        case_sensitive: true,
                    };
                    Some(Infix::Binary {
                        op: BinaryOp::String(op),
                        tokens: 2,
                    })
                }
                word => string_op(word).map(|op| Infix::Binary {
                    op: BinaryOp::String(op),
                    tokens: 1,
                }),
            },
            _ => None,
        }
    }

    /// Consumes the operator `infix` and its right-hand side.
    fn infix_rest(&mut self, left: Expr, infix: Infix, power: u8) -> PResult<Expr> {
        let start = left.span.start;
        let operator_text = self.nth_text(0);
        let kind = match infix {
            Infix::Binary { op, tokens } => {
                for _ in 0..tokens {
                    self.bump();
                }
                let right = self.binary(power)?;
                ExprKind::Binary {
                    op,
                    left: Box::new(left),
                    right: Box::new(right),
                }
            }
            Infix::In {
                negated,
                case_sensitive,
            } => {
                self.bump();
                let list = self.operand_list(operator_text)?;
                ExprKind::In {
                    expr: Box::new(left),
                    negated,
                    case_sensitive,
                    list,
                }
            }
            Infix::HasAny { all } => {
                self.bump();
                let list = self.operand_list(operator_text)?;
                ExprKind::HasAny {
                    expr: Box::new(left),
                    all,
                    list,
                }
            }
            Infix::Between { negated } => {
                self.bump();
                let context = format!("after `{operator_text}`");
                let open = self.expect(&TokenKind::LParen, &context)?;
                let low = self.expr()?;
                self.expect(&TokenKind::DotDot, "between the bounds of `between`")?;
                let high = self.expr()?;
                self.expect_close(&TokenKind::RParen, open, "after the bounds of `between`")?;
                ExprKind::Between {
                    expr: Box::new(left),
                    negated,
                    low: Box::new(low),
                    high: Box::new(high),
                }
            }
        };
        Ok(Expr {
            kind,
            span: self.span_from(start),
        })
    }

    /// `(a, b, ...)` after `in`/`has_any`: scalars, dynamic arrays or tabular expressions.
    fn operand_list(&mut self, operator: &str) -> PResult<Vec<Expr>> {
        let context = format!("after `{operator}`");
        let close_context = format!("to close the list of `{operator}`");
        let open = self.expect(&TokenKind::LParen, &context)?;
        let list = self.comma_list(Parser::pipe_expr)?;
        self.expect_close(&TokenKind::RParen, open, &close_context)?;
        Ok(list)
    }

    fn unary(&mut self) -> PResult<Expr> {
        let op = match self.kind() {
            TokenKind::Minus => UnaryOp::Neg,
            TokenKind::Plus => UnaryOp::Plus,
            _ => return self.postfix(),
        };
        let start = self.bump().span.start;
        // Kusto.Language takes one sign per operand: `- -x` is an error, `-(-x)` is not.
        if matches!(self.kind(), TokenKind::Minus | TokenKind::Plus) {
            return Err(self
                .error_expected("an expression", "after a sign")
                .with_help("parenthesise a second sign: `-(-x)`"));
        }
        let operand = self.nested(Parser::postfix)?;
        Ok(Expr {
            span: self.span_from(start),
            kind: ExprKind::Unary {
                op,
                operand: Box::new(operand),
            },
        })
    }

    /// A primary expression followed by `.name` and `[index]` accessors.
    fn postfix(&mut self) -> PResult<Expr> {
        let start = self.start();
        let mut expr = self.primary()?;
        let mut levels = 0;
        loop {
            let kind = match self.kind() {
                // `x.[0]` and `x.['key']` index like `x[0]`, as Kusto.Language parses them.
                TokenKind::Dot if self.nth_is(1, &TokenKind::LBracket) => {
                    self.bump();
                    self.index_of(expr)?
                }
                TokenKind::Dot => {
                    self.bump();
                    let name = self.ident("after `.`")?;
                    if self.at(&TokenKind::LParen) {
                        let span = expr.span.to(name.span);
                        return Err(Diagnostic::not_supported(
                            format!("calling `{}` on `{}`", name.name, span.text(self.source)),
                            span,
                        ));
                    }
                    ExprKind::Member {
                        target: Box::new(expr),
                        name,
                    }
                }
                TokenKind::LBracket => self.index_of(expr)?,
                _ => break,
            };
            self.enter()?;
            levels += 1;
            expr = Expr {
                kind,
                span: self.span_from(start),
            };
        }
        self.leave(levels);
        Ok(expr)
    }

    /// `[index]` applied to `target`.
    fn index_of(&mut self, target: Expr) -> PResult<ExprKind> {
        let open = self.expect(&TokenKind::LBracket, "to index")?;
        let index = self.expr()?;
        self.expect_close(&TokenKind::RBracket, open, "to close the index")?;
        Ok(ExprKind::Index {
            target: Box::new(target),
            index: Box::new(index),
        })
    }

    fn primary(&mut self) -> PResult<Expr> {
        let start = self.start();
        match self.kind() {
            TokenKind::Long
            | TokenKind::Real
            | TokenKind::TimeSpan
            | TokenKind::String(_)
            | TokenKind::TypedLiteral { .. } => {
                let literal = self.literal_token()?;
                Ok(Expr {
                    kind: ExprKind::Literal(literal),
                    span: self.span_from(start),
                })
            }
            TokenKind::Star => {
                let span = self.bump().span;
                Ok(Expr {
                    kind: ExprKind::Star,
                    span,
                })
            }
            TokenKind::LParen => {
                let open = self.bump().span;
                let inner = self.pipe_expr()?;
                self.expect_close(&TokenKind::RParen, open, "to close the parenthesis")?;
                Ok(Expr {
                    kind: ExprKind::Paren(Box::new(inner)),
                    span: self.span_from(start),
                })
            }
            TokenKind::LBracket => match self.bracketed_name() {
                Some(ident) => Ok(Parser::name_expr(ident)),
                None => Err(self.error_expected("a bracketed name like ['name']", "after `[`")),
            },
            TokenKind::Ident => self.word_expr(),
            _ => Err(self.error_expected("an expression", "")),
        }
    }

    /// An expression starting with a word: a literal keyword, a typed literal, a call or a name.
    pub(in crate::parser) fn word_expr(&mut self) -> PResult<Expr> {
        let start = self.start();
        let word = self.nth_text(0);
        if word.starts_with('!') {
            // `!has` and friends are infix operators; KQL has no prefix `!`.
            return Err(self
                .error_expected("an expression", "")
                .with_help("negate a condition with `not(...)`"));
        }
        if let Some(literal) = self.word_literal()? {
            return Ok(Expr {
                kind: ExprKind::Literal(literal),
                span: self.span_from(start),
            });
        }
        let name = self.ident("")?;
        if !self.at(&TokenKind::LParen) {
            return Ok(Parser::name_expr(name));
        }
        let schema_argument = self.nth_is(1, &TokenKind::Star)
            || (self.nth(1).kind == TokenKind::Ident && self.nth_is(2, &TokenKind::Colon));
        if word == "typeof" && schema_argument {
            return Err(Diagnostic::not_supported(
                "`typeof(Column:type, ...)` output schemas (of the `r` and `python` plugins)",
                self.span_from(start),
            ));
        }
        let context = format!("to close the arguments of `{word}`");
        let (args, _) = self.paren_list(&context, Parser::argument)?;
        Ok(Expr {
            kind: ExprKind::Call { name, args },
            span: self.span_from(start),
        })
    }

    /// A call argument: `value` or `name = value`.
    fn argument(&mut self) -> PResult<Arg> {
        let start = self.start();
        let named = matches!(self.kind(), TokenKind::Ident) && self.nth_is(1, &TokenKind::Assign);
        let name = if named {
            let name = self.ident("")?;
            self.bump();
            Some(name)
        } else {
            None
        };
        let value = self.pipe_expr()?;
        Ok(Arg {
            name,
            value,
            span: self.span_from(start),
        })
    }
}
