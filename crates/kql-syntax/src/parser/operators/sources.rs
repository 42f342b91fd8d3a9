//! Operators that produce rows without an input (or may): `datatable`, `externaldata`, `print`,
//! `range`, `union`, `search`, `find`, `evaluate`.

use crate::ast::{FindColumn, FindOutput, Operator, OperatorKind};
use crate::diagnostic::Diagnostic;
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
        let refused = match word {
            "macro-expand" => Some("the `macro-expand` operator (entity groups of Kusto databases)"),
            "inline_external_table" if next_is_paren || self.nth(1).kind == TokenKind::Ident => Some(
                "`inline_external_table` (Kusto external tables); read files with --data or externaldata",
            ),
            _ => None,
        };
        if let Some(what) = refused {
            return Err(Diagnostic::not_supported(what, self.token().span));
        }
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
                    predicate: self.search_predicate()?,
                }
            }
            "find" => {
                let params =
                    self.operator_params(&["kind", "withsource", "datascope", "hint.materialized"])?;
                let tables = self.in_tables()?;
                // The docs' short form `find Predicate` has no parameters, tables or `where`.
                let short_form = params.is_empty() && tables.is_empty() && !self.at_word("where");
                if !short_form {
                    self.expect_word("where", "in `find` (`find [in (Tables)] where Predicate`)")?;
                }
                let predicate = self.search_predicate()?;
                let output = if self.eat_word("project").is_some() {
                    self.find_project()?
                } else {
                    self.eat_word("project-smart");
                    FindOutput::Smart
                };
                OperatorKind::Find {
                    params,
                    tables,
                    predicate,
                    output,
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

    /// `Col[:type], ... [, pack_all()]` after `find ... project`.
    fn find_project(&mut self) -> PResult<FindOutput> {
        let mut columns = Vec::new();
        loop {
            let start = self.start();
            let pack_all = self.at_word("pack_all")
                && self.nth_is(1, &TokenKind::LParen)
                && self.nth_is(2, &TokenKind::RParen);
            if pack_all {
                for _ in 0..3 {
                    self.bump();
                }
                // `pack_all()` comes last.
                return Ok(FindOutput::Project {
                    columns,
                    pack_all: Some(self.span_from(start)),
                });
            }
            let name = self.ident("for a column of `find ... project`")?;
            let ty = match self.eat(&TokenKind::Colon) {
                Some(_) => Some(self.type_name("after `:`")?),
                None => None,
            };
            columns.push(FindColumn {
                name,
                ty,
                span: self.span_from(start),
            });
            if self.eat(&TokenKind::Comma).is_none() {
                return Ok(FindOutput::Project {
                    columns,
                    pack_all: None,
                });
            }
        }
    }
}
