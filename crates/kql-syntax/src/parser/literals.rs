//! Literals: numbers, strings, timespans, `datetime(...)`-style typed literals, typed nulls and
//! `dynamic(...)` values.

use super::{PResult, Parser};
use crate::ast::{DynamicValue, Literal, TypeName};
use crate::diagnostic::Diagnostic;
use crate::lexer::TokenKind;
use crate::span::Span;

/// What a `type(...)` literal of a number-like type may contain.
#[derive(Debug, Clone, Copy, PartialEq)]
enum ScalarType {
    Int,
    Long,
    Real,
    Decimal,
    Bool,
}

fn scalar_type(word: &str) -> Option<ScalarType> {
    Some(match word {
        "int" | "int32" => ScalarType::Int,
        "long" | "int64" => ScalarType::Long,
        "real" | "double" => ScalarType::Real,
        "decimal" => ScalarType::Decimal,
        "bool" | "boolean" => ScalarType::Bool,
        _ => return None,
    })
}

impl Parser<'_> {
    /// The literal at a number, string, timespan or typed-literal token.
    pub(super) fn literal_token(&mut self) -> PResult<Literal> {
        let token = self.bump();
        let text = token.span.text(self.source);
        Ok(match token.kind {
            TokenKind::Long => Literal::Long(parse_long(text, token.span)?),
            TokenKind::Real => Literal::Real(parse_real(text, token.span)?),
            TokenKind::TimeSpan => Literal::TimeSpan(text.to_string()),
            TokenKind::String(first) => {
                // Adjacent string literals concatenate: `'a' 'b'` is `'ab'`.
                let mut value = first;
                while let TokenKind::String(next) = self.kind() {
                    value.push_str(next);
                    self.bump();
                }
                Literal::String(value)
            }
            TokenKind::TypedLiteral {
                type_name,
                content,
                quoted,
            } => typed_literal(type_name, content, quoted, token.span)?,
            _ => {
                return Err(Diagnostic::syntax(
                    format!("expected a literal, found `{text}`"),
                    token.span,
                ));
            }
        })
    }

    /// A literal spelled with a word at the current position (`true`, `dynamic(...)`, `int(null)`,
    /// `real(+inf)`), or `None` (position unchanged) when the word starts something else, such as
    /// the call `int(x)`.
    pub(super) fn word_literal(&mut self) -> PResult<Option<Literal>> {
        let word = self.nth_text(0);
        if let Some(value) = bool_word(word) {
            self.bump();
            return Ok(Some(Literal::Bool(value)));
        }
        if !self.nth_is(1, &TokenKind::LParen) {
            return Ok(None);
        }
        if word == "dynamic" {
            return self.dynamic_literal().map(Some);
        }
        let Some(ty) = scalar_type(word) else {
            return Ok(None);
        };
        let type_span = self.token().span;
        let mut ahead = 2;
        let sign = match self.nth(ahead).kind {
            TokenKind::Minus => Some("-"),
            TokenKind::Plus => Some("+"),
            _ => None,
        };
        if sign.is_some() {
            ahead += 1;
        }
        let value = self.nth(ahead).clone();
        if !self.nth_is(ahead + 1, &TokenKind::RParen) {
            return Ok(None);
        }
        let text = value.span.text(self.source);
        let signed = format!("{}{text}", sign.unwrap_or(""));
        let negative = sign == Some("-");
        let literal = match (ty, &value.kind, text) {
            (_, TokenKind::Ident, "null") if sign.is_none() => Literal::Null(TypeName {
                name: word.to_string(),
                span: type_span,
            }),
            (ScalarType::Int, TokenKind::Long, _) => {
                let long = apply_sign(parse_long(text, value.span)?, negative);
                let int = i32::try_from(long).map_err(|_| {
                    Diagnostic::syntax(format!("`{signed}` is out of range for `int`"), value.span)
                })?;
                Literal::Int(int)
            }
            (ScalarType::Long, TokenKind::Long, _) => {
                Literal::Long(apply_sign(parse_long(text, value.span)?, negative))
            }
            (ScalarType::Real, TokenKind::Long | TokenKind::Real, _) => {
                let real = parse_real(text, value.span)?;
                Literal::Real(if negative { -real } else { real })
            }
            (ScalarType::Real, TokenKind::Ident, "nan") if sign.is_none() => Literal::Real(f64::NAN),
            (ScalarType::Real, TokenKind::Ident, "inf") => Literal::Real(if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }),
            (ScalarType::Decimal, TokenKind::Long | TokenKind::Real, _) => Literal::Decimal(signed),
            (ScalarType::Bool, TokenKind::Ident, _) if sign.is_none() => match bool_word(text) {
                Some(value) => Literal::Bool(value),
                None => return Ok(None),
            },
            _ => return Ok(None),
        };
        for _ in 0..=ahead + 1 {
            self.bump();
        }
        Ok(Some(literal))
    }

    /// `dynamic(value)`; `dynamic(null)` is the typed null.
    fn dynamic_literal(&mut self) -> PResult<Literal> {
        let type_span = self.bump().span;
        let open = self.expect(&TokenKind::LParen, "after `dynamic`")?;
        if self.at_word("null") && self.nth_is(1, &TokenKind::RParen) {
            self.bump();
            self.bump();
            return Ok(Literal::Null(TypeName {
                name: "dynamic".to_string(),
                span: type_span,
            }));
        }
        let value = self.dynamic_value()?;
        self.expect_close(&TokenKind::RParen, open, "to close `dynamic(`")?;
        Ok(Literal::Dynamic(value))
    }

    fn dynamic_value(&mut self) -> PResult<DynamicValue> {
        self.nested(|p| {
            let value = match p.kind().clone() {
                TokenKind::LBracket => {
                    let open = p.bump().span;
                    let items = p.dynamic_items(&TokenKind::RBracket, open, Parser::dynamic_value)?;
                    DynamicValue::Array(items)
                }
                TokenKind::LBrace => {
                    let open = p.bump().span;
                    let properties = p.dynamic_items(&TokenKind::RBrace, open, Parser::dynamic_property)?;
                    DynamicValue::Bag(properties)
                }
                TokenKind::String(_) => match p.literal_token()? {
                    Literal::String(text) => DynamicValue::String(text),
                    other => DynamicValue::Scalar(Box::new(other)),
                },
                TokenKind::Minus | TokenKind::Plus => {
                    let negative = p.bump().kind == TokenKind::Minus;
                    p.dynamic_number(negative)?
                }
                TokenKind::Long | TokenKind::Real => p.dynamic_number(false)?,
                TokenKind::TimeSpan | TokenKind::TypedLiteral { .. } => {
                    DynamicValue::Scalar(Box::new(p.literal_token()?))
                }
                TokenKind::Ident if p.at_word("null") => {
                    p.bump();
                    DynamicValue::Null
                }
                TokenKind::Ident => match p.word_literal()? {
                    Some(Literal::Bool(value)) => DynamicValue::Bool(value),
                    Some(literal) => DynamicValue::Scalar(Box::new(literal)),
                    None => return Err(p.error_expected("a JSON value", "in `dynamic(...)`")),
                },
                _ => return Err(p.error_expected("a JSON value", "in `dynamic(...)`")),
            };
            Ok(value)
        })
    }

    /// A number in a dynamic value, after its sign if any.
    fn dynamic_number(&mut self, negative: bool) -> PResult<DynamicValue> {
        let span = self.token().span;
        let text = span.text(self.source);
        let value = match self.kind() {
            TokenKind::Long => DynamicValue::Long(apply_sign(parse_long(text, span)?, negative)),
            TokenKind::Real => {
                let real = parse_real(text, span)?;
                DynamicValue::Real(if negative { -real } else { real })
            }
            _ => return Err(self.error_expected("a number", "in `dynamic(...)`")),
        };
        self.bump();
        Ok(value)
    }

    /// `"key": value` in a dynamic property bag.
    fn dynamic_property(&mut self) -> PResult<(String, DynamicValue)> {
        let TokenKind::String(key) = self.kind().clone() else {
            return Err(self.error_expected("a quoted property name", "in a `dynamic` property bag"));
        };
        self.bump();
        self.expect(&TokenKind::Colon, "after the property name")?;
        Ok((key, self.dynamic_value()?))
    }

    /// Items separated by commas up to `close` (already past the opener at `open`); a trailing comma
    /// is allowed, as Kusto does.
    fn dynamic_items<T>(
        &mut self,
        close: &TokenKind,
        open: Span,
        mut item: impl FnMut(&mut Self) -> PResult<T>,
    ) -> PResult<Vec<T>> {
        let mut items = Vec::new();
        while !self.at(close) {
            items.push(item(self)?);
            if self.eat(&TokenKind::Comma).is_none() {
                break;
            }
        }
        self.expect_close(close, open, "in `dynamic(...)`")?;
        Ok(items)
    }
}

fn bool_word(word: &str) -> Option<bool> {
    match word {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn apply_sign(value: i64, negative: bool) -> i64 {
    if negative { value.wrapping_neg() } else { value }
}

fn parse_long(text: &str, span: Span) -> PResult<i64> {
    let parsed = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => i64::from_str_radix(hex, 16),
        None => text.parse::<i64>(),
    };
    parsed.map_err(|_| Diagnostic::syntax(format!("`{text}` is not a valid `long` (64-bit integer)"), span))
}

fn parse_real(text: &str, span: Span) -> PResult<f64> {
    text.parse::<f64>()
        .map_err(|_| Diagnostic::syntax(format!("`{text}` is not a valid number"), span))
}

/// `datetime(...)`, `time(...)`, `timespan(...)`, `guid(...)` from their lexed content.
fn typed_literal(type_name: String, content: String, quoted: bool, span: Span) -> PResult<Literal> {
    if content.is_empty() {
        return Err(Diagnostic::syntax(
            format!("expected a value inside `{type_name}(...)`"),
            span,
        ));
    }
    if !quoted && content == "null" {
        let type_span = Span::new(span.start, span.start + type_name.len());
        return Ok(Literal::Null(TypeName {
            name: type_name,
            span: type_span,
        }));
    }
    Ok(match type_name.as_str() {
        "datetime" | "date" => Literal::DateTime(content),
        "time" | "timespan" => Literal::TimeSpan(content),
        _ => Literal::Guid(content),
    })
}
