//! Operators that produce rows without an input (or may): `datatable`, `externaldata`, `print`,
//! `range`, `union`, `search`, `find`, `evaluate`.

use crate::ast::{Operator, OperatorKind};
use crate::lexer::TokenKind;
use crate::parser::{PResult, Parser};

impl Parser<'_> {
    /// The source operator at the current position, if the current word starts one. Words that are
    /// also scalar functions (`range(...)`) only count in their operator form.
    pub(in crate::parser) fn source_operator(&mut self) -> PResult<Option<Operator>> {
        let Some(word) = self.word() else {
            return Ok(None);
        };
        let next_is_paren = self.nth_is(1, &TokenKind::LParen);
        let is_source = match word {
            "datatable" | "externaldata" | "external_data" => next_is_paren,
            "range" => self.nth(1).kind == TokenKind::Ident && self.nth_word_is(2, "from"),
            "print" | "union" | "search" | "find" | "evaluate" => true,
            _ => false,
        };
        if !is_source {
            return Ok(None);
        }
        let start = self.bump().span.start;
        let kind = match word {
            "datatable" => {
                let columns = self.schema(word)?;
                OperatorKind::Datatable {
                    columns,
                    values: self.bracket_values("values of `datatable`")?,
                }
            }
            "externaldata" | "external_data" => {
                let columns = self.schema(word)?;
                let uris = self.bracket_values("list of URIs of `externaldata`")?;
                let options = self.with_options("in the `externaldata` options")?;
                OperatorKind::ExternalData {
                    columns,
                    uris,
                    options,
                }
            }
            "print" => OperatorKind::Print(self.comma_list(Parser::named_expr)?),
            "range" => {
                let name = self.ident("after `range`")?;
                self.expect_word("from", "after the column name of `range`")?;
                let from = self.expr()?;
                self.expect_word("to", "after the start of `range`")?;
                let to = self.expr()?;
                self.expect_word("step", "after the end of `range`")?;
                OperatorKind::Range {
                    name,
                    from,
                    to,
                    step: self.expr()?,
                }
            }
            "union" => self.union()?,
            "search" => {
                let params = self.operator_params(&["kind"])?;
                let tables = self.in_tables()?;
                OperatorKind::Search {
                    params,
                    tables,
                    predicate: self.expr()?,
                }
            }
            "find" => {
                let params =
                    self.operator_params(&["kind", "withsource", "datascope", "hint.materialized"])?;
                let tables = self.in_tables()?;
                self.expect_word("where", "in `find` (`find [in (Tables)] where Predicate`)")?;
                let predicate = self.expr()?;
                let project = match self.eat_word("project") {
                    Some(_) => self.comma_list(Parser::expr)?,
                    None => Vec::new(),
                };
                OperatorKind::Find {
                    params,
                    tables,
                    predicate,
                    project,
                }
            }
            _ => {
                let params = self.operator_params(&[])?;
                let plugin = self.expr()?;
                let schema = match self.eat(&TokenKind::Colon) {
                    Some(_) => Some(self.output_schema()?),
                    None => None,
                };
                OperatorKind::Evaluate {
                    params,
                    plugin,
                    schema,
                }
            }
        };
        Ok(Some(Operator {
            kind,
            span: self.span_from(start),
        }))
    }
}
