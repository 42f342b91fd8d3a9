//! Operators that filter, shape or order rows: `where`, the `project` family, `extend`, `summarize`,
//! `distinct`, `take`, `top`, `sort`, `count`, `as`, `getschema`, `serialize`, `sample`, `invoke`,
//! `render`.

use crate::ast::{OperatorKind, OperatorParam};
use crate::diagnostic::Diagnostic;
use crate::lexer::TokenKind;
use crate::parser::{PResult, Parser};

pub(super) const OPERATORS: &[&str] = &[
    "where",
    "filter",
    "project",
    "project-away",
    "project-keep",
    "project-rename",
    "project-reorder",
    "extend",
    "summarize",
    "distinct",
    "take",
    "limit",
    "top",
    "sort",
    "order",
    "count",
    "as",
    "getschema",
    "serialize",
    "sample",
    "sample-distinct",
    "invoke",
    "render",
];

impl Parser<'_> {
    /// Parses the operator named `word` (the current token) if it belongs to this family.
    pub(super) fn columns_operator(&mut self, word: &str) -> PResult<Option<OperatorKind>> {
        if !OPERATORS.contains(&word) {
            return Ok(None);
        }
        self.bump();
        let kind = match word {
            "where" | "filter" => OperatorKind::Where(self.expr()?),
            "project" => OperatorKind::Project(self.comma_list(Parser::named_expr)?),
            "extend" => OperatorKind::Extend(self.comma_list(Parser::named_expr)?),
            "project-away" => {
                OperatorKind::ProjectAway(self.comma_list(|p| p.wildcard_name("to project away"))?)
            }
            "project-keep" => OperatorKind::ProjectKeep(self.comma_list(|p| p.wildcard_name("to keep"))?),
            "project-rename" => OperatorKind::ProjectRename(self.comma_list(|p| {
                let new = p.ident("for the new column name")?;
                p.expect(&TokenKind::Assign, "after the new column name (`New = Old`)")?;
                Ok((new, p.ident("for the column to rename")?))
            })?),
            "project-reorder" => OperatorKind::ProjectReorder(self.comma_list(|p| {
                let name = p.wildcard_name("to reorder")?;
                if p.at_word("granny-asc") || p.at_word("granny-desc") {
                    let span = p.token().span;
                    return Err(Diagnostic::not_supported(
                        "natural (`granny`) column ordering",
                        span,
                    ));
                }
                Ok((name, p.sort_order()))
            })?),
            "summarize" => self.summarize()?,
            "distinct" => {
                self.skip_hints()?;
                if self.eat(&TokenKind::Star).is_some() {
                    OperatorKind::Distinct {
                        columns: Vec::new(),
                        all: true,
                    }
                } else {
                    OperatorKind::Distinct {
                        columns: self.comma_list(Parser::expr)?,
                        all: false,
                    }
                }
            }
            "take" | "limit" => {
                self.skip_hints()?;
                OperatorKind::Take(self.expr()?)
            }
            "top" => {
                let count = self.expr()?;
                self.expect_word("by", "after the row count of `top`")?;
                OperatorKind::Top {
                    count,
                    by: vec![self.sort_key()?],
                }
            }
            "sort" | "order" => {
                self.skip_hints()?;
                self.expect_word("by", &format!("after `{word}`"))?;
                OperatorKind::Sort(self.comma_list(Parser::sort_key)?)
            }
            "count" => OperatorKind::Count,
            "getschema" => OperatorKind::GetSchema,
            "as" => {
                let params = self.operator_params(&[])?;
                OperatorKind::As {
                    params,
                    name: self.ident("after `as`")?,
                }
            }
            "serialize" => {
                let columns = if self.at_operator_end() {
                    Vec::new()
                } else {
                    self.comma_list(Parser::named_expr)?
                };
                OperatorKind::Serialize(columns)
            }
            "sample" => OperatorKind::Sample(self.expr()?),
            "sample-distinct" => {
                let count = self.expr()?;
                self.expect_word("of", "after the count of `sample-distinct`")?;
                OperatorKind::SampleDistinct {
                    count,
                    column: self.expr()?,
                }
            }
            "invoke" => OperatorKind::Invoke(self.expr()?),
            _ => self.render()?,
        };
        Ok(Some(kind))
    }

    /// Reads and drops `hint.*=` parameters of operators whose AST has no place for them: in Kusto
    /// they only tune how the work is distributed, never the result.
    fn skip_hints(&mut self) -> PResult<()> {
        self.operator_params(&[]).map(drop)
    }

    /// After `summarize`: `[hints] [aggregates] [by groups]`.
    fn summarize(&mut self) -> PResult<OperatorKind> {
        let params = self.operator_params(&[])?;
        let aggregates = if self.at_word("by") || self.at_operator_end() {
            Vec::new()
        } else {
            self.comma_list(Parser::named_expr)?
        };
        let by = match self.eat_word("by") {
            Some(_) => self.comma_list(Parser::named_expr)?,
            None => Vec::new(),
        };
        if aggregates.is_empty() && by.is_empty() {
            return Err(self.error_expected("an aggregate or `by`", "after `summarize`"));
        }
        Ok(OperatorKind::Summarize {
            params,
            aggregates,
            by,
        })
    }

    /// After `render`: `chart [with (props)]`, or legacy properties without `with`. A property that
    /// lists several columns (`ycolumns=a, b`) becomes one parameter per column, in order.
    fn render(&mut self) -> PResult<OperatorKind> {
        let chart = self.ident("for the chart type after `render`")?;
        let mut options = Vec::new();
        let parenthesised = self.eat_word("with").is_some();
        if parenthesised {
            self.expect(&TokenKind::LParen, "after `render ... with`")?;
        }
        while self.name_then_assign() {
            let first = self.option()?;
            let name = first.name.clone();
            options.push(first);
            // `ycolumns=a, b`: the list continues while a bare name (no `=`) follows the comma.
            while self.at(&TokenKind::Comma)
                && self.nth(1).kind == TokenKind::Ident
                && !self.nth_is(2, &TokenKind::Assign)
            {
                self.bump();
                let start = self.start();
                let value = self.param_value()?;
                options.push(OperatorParam {
                    name: name.clone(),
                    value,
                    span: self.span_from(start),
                });
            }
            if !(parenthesised && self.eat(&TokenKind::Comma).is_some()) {
                break;
            }
        }
        if parenthesised {
            self.expect(&TokenKind::RParen, "to close the `render` properties")?;
        }
        Ok(OperatorKind::Render { chart, options })
    }
}
