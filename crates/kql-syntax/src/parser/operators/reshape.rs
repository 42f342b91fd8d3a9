//! Operators that reshape rows or run subqueries: `mv-expand`, `mv-apply`, `parse`, `parse-where`,
//! `parse-kv`, `make-series`, `top-nested`, `facet`, `scan`, `reduce`, `partition`, `fork`.

use crate::ast::{
    Expr, ExprKind, Ident, Literal, MvExpandItem, NamedExpr, OperatorKind, OperatorParam, ParseKind,
    ParsePart, ScanStep, SeriesAggregate, TopNestedLevel,
};
use crate::diagnostic::Diagnostic;
use crate::lexer::TokenKind;
use crate::parser::{PResult, Parser};

pub(super) const OPERATORS: &[&str] = &[
    "mv-expand",
    "mvexpand",
    "mv-apply",
    "mvapply",
    "parse",
    "parse-where",
    "parse-kv",
    "make-series",
    "top-nested",
    "facet",
    "scan",
    "reduce",
    "partition",
    "fork",
];

const MV_PARAMS: &[&str] = &["bagexpansion", "with_itemindex", "kind"];

impl Parser<'_> {
    pub(super) fn reshape_operator(&mut self, word: &str) -> PResult<Option<OperatorKind>> {
        if !OPERATORS.contains(&word) {
            return Ok(None);
        }
        let start = self.bump().span.start;
        let kind = match word {
            "mv-expand" | "mvexpand" => {
                let params = self.operator_params(MV_PARAMS)?;
                let items = self.comma_list(Parser::mv_item)?;
                OperatorKind::MvExpand {
                    params,
                    items,
                    limit: self.mv_limit()?,
                }
            }
            "mv-apply" | "mvapply" => {
                let params = self.operator_params(MV_PARAMS)?;
                let items = self.comma_list(Parser::mv_item)?;
                let limit = self.mv_limit()?;
                self.expect_word("on", "before the subquery of `mv-apply`")?;
                let subquery = self.subquery("after `on` in `mv-apply`")?;
                OperatorKind::MvApply {
                    params,
                    items,
                    limit,
                    subquery,
                }
            }
            "parse" | "parse-where" => self.parse_operator(word == "parse-where")?,
            "parse-kv" => {
                let expr = self.expr()?;
                self.expect_word("as", "after the expression of `parse-kv`")?;
                let keys = self
                    .paren_list("for the keys of `parse-kv`", Parser::column_decl)?
                    .0;
                let options = match self.eat_word("with") {
                    Some(_) => {
                        self.paren_list("for the options of `parse-kv`", Parser::option)?
                            .0
                    }
                    None => Vec::new(),
                };
                OperatorKind::ParseKv { expr, keys, options }
            }
            "make-series" => self.make_series()?,
            "top-nested" => {
                let mut levels = vec![self.top_nested_level(start)?];
                while self.eat(&TokenKind::Comma).is_some() {
                    let level_start = self.expect_word("top-nested", "after `,` in `top-nested`")?.start;
                    levels.push(self.top_nested_level(level_start)?);
                }
                OperatorKind::TopNested(levels)
            }
            "facet" => {
                self.expect_word("by", "after `facet`")?;
                let columns = self.comma_list(|p| p.ident("for a facet column"))?;
                let with = match self.eat_word("with") {
                    Some(_) => Some(self.subquery("after `with` in `facet`")?),
                    None => None,
                };
                OperatorKind::Facet { columns, with }
            }
            "scan" => self.scan()?,
            "reduce" => {
                let params = self.operator_params(&["kind"])?;
                self.expect_word("by", "after `reduce`")?;
                let by = self.expr()?;
                let options = match self.eat_word("with") {
                    Some(_) => self.comma_list(Parser::option)?,
                    None => Vec::new(),
                };
                OperatorKind::Reduce { params, by, options }
            }
            "partition" => {
                let params = self.operator_params(&[])?;
                self.expect_word("by", "after `partition`")?;
                let by = self.ident("for the partition column")?;
                let subquery = self.subquery("for the subquery of `partition`")?;
                OperatorKind::Partition { params, by, subquery }
            }
            _ => {
                let mut branches = Vec::new();
                while !self.at_operator_end() || branches.is_empty() {
                    let branch_start = self.start();
                    let names = if self.name_then_assign() {
                        let name = self.ident("")?;
                        self.bump();
                        vec![name]
                    } else {
                        Vec::new()
                    };
                    let expr = self.subquery("for a branch of `fork`")?;
                    branches.push(NamedExpr {
                        names,
                        expr,
                        span: self.span_from(branch_start),
                    });
                }
                OperatorKind::Fork(branches)
            }
        };
        Ok(Some(kind))
    }

    /// `[Name =] expr [to typeof(type)]`
    fn mv_item(&mut self) -> PResult<MvExpandItem> {
        let start = self.start();
        let name = if self.name_then_assign() {
            let name = self.ident("")?;
            self.bump();
            Some(name)
        } else {
            None
        };
        let expr = self.expr()?;
        let to_type = match self.eat_word("to") {
            Some(_) => {
                self.expect_word("typeof", "after `to`")?;
                self.expect(&TokenKind::LParen, "after `typeof`")?;
                let ty = self.type_name("in `typeof(...)`")?;
                self.expect(&TokenKind::RParen, "to close `typeof(`")?;
                Some(ty)
            }
            None => None,
        };
        Ok(MvExpandItem {
            name,
            expr,
            to_type,
            span: self.span_from(start),
        })
    }

    fn mv_limit(&mut self) -> PResult<Option<Expr>> {
        match self.eat_word("limit") {
            Some(_) => Ok(Some(self.expr()?)),
            None => Ok(None),
        }
    }

    /// After `parse`/`parse-where`: `[kind=..] [flags=..] expr with pattern`.
    fn parse_operator(&mut self, where_: bool) -> PResult<OperatorKind> {
        let params = self.operator_params(&["kind", "flags"])?;
        let mut kind = ParseKind::Simple;
        let mut flags = None;
        for param in params {
            let value = param_text(&param);
            match (param.name.name.as_str(), value.as_deref()) {
                ("kind", Some("simple")) => kind = ParseKind::Simple,
                ("kind", Some("regex")) => kind = ParseKind::Regex,
                ("kind", Some("relaxed")) => kind = ParseKind::Relaxed,
                ("flags", Some(text)) => flags = Some(text.to_string()),
                ("kind", _) => {
                    let message = "unknown `parse` kind: expected `simple`, `regex` or `relaxed`";
                    return Err(Diagnostic::syntax(message, param.value.span));
                }
                ("flags", None) => {
                    return Err(Diagnostic::syntax(
                        "expected regex flags such as `Ui`",
                        param.value.span,
                    ));
                }
                // `hint.*`: Kusto has none for `parse`; refuse rather than ignore.
                (name, _) => {
                    return Err(Diagnostic::syntax(
                        format!("unknown `parse` parameter `{name}`"),
                        param.name.span,
                    ));
                }
            }
        }
        let expr = self.expr()?;
        self.expect_word("with", "after the expression to parse")?;
        let mut pattern = Vec::new();
        while !self.at_operator_end() {
            pattern.push(self.parse_part()?);
        }
        if pattern.is_empty() {
            return Err(self.error_expected("a pattern", "after `with`"));
        }
        Ok(OperatorKind::Parse {
            where_,
            kind,
            flags,
            expr,
            pattern,
        })
    }

    /// One piece of a `parse` pattern: `"text"`, `*`, `Column` or `Column:type`.
    fn parse_part(&mut self) -> PResult<ParsePart> {
        match self.kind().clone() {
            TokenKind::String(text) => {
                let span = self.bump().span;
                Ok(ParsePart::Text(text, span))
            }
            TokenKind::Star => Ok(ParsePart::Wildcard(self.bump().span)),
            TokenKind::Ident | TokenKind::LBracket => {
                let name = self.ident("in the parse pattern")?;
                let ty = match self.eat(&TokenKind::Colon) {
                    Some(_) => Some(self.type_name("after `:` in the parse pattern")?),
                    None => None,
                };
                Ok(ParsePart::Column { name, ty })
            }
            _ => Err(self.error_expected("a string, `*` or a column name", "in the parse pattern")),
        }
    }

    /// After `make-series`: `[params] aggregates on Axis (from A to B step C | in range(A, B, C)) [by ..]`.
    fn make_series(&mut self) -> PResult<OperatorKind> {
        let params = self.operator_params(&["kind"])?;
        let aggregates = self.comma_list(|p| {
            let aggregate = p.named_expr()?;
            let default = match p.eat_word("default") {
                Some(_) => {
                    p.expect(&TokenKind::Assign, "after `default`")?;
                    Some(p.expr()?)
                }
                None => None,
            };
            Ok(SeriesAggregate { aggregate, default })
        })?;
        self.expect_word("on", "after the aggregates of `make-series`")?;
        let on = self.expr()?;
        let mut range = Vec::new();
        if self.at_word("in") {
            range.push(self.range_param()?);
        } else {
            for word in ["from", "to"] {
                if self.at_word(word) {
                    range.push(self.range_param()?);
                }
            }
            if !self.at_word("step") {
                return Err(self.error_expected("`step`", "in `make-series` (`from A to B step C`)"));
            }
            range.push(self.range_param()?);
        }
        let by = match self.eat_word("by") {
            Some(_) => self.comma_list(Parser::named_expr)?,
            None => Vec::new(),
        };
        Ok(OperatorKind::MakeSeries {
            params,
            aggregates,
            on,
            range,
            by,
        })
    }

    /// `from expr`, `to expr`, `step expr` or `in range(...)` of `make-series`, named by its keyword.
    fn range_param(&mut self) -> PResult<OperatorParam> {
        let start = self.start();
        let name = self.ident("")?;
        let value = self.expr()?;
        Ok(OperatorParam {
            name,
            value,
            span: self.span_from(start),
        })
    }

    /// After `top-nested`: `[N] of Expr [with others = Expr] by Agg [asc|desc]`.
    fn top_nested_level(&mut self, start: usize) -> PResult<TopNestedLevel> {
        let count = if self.at_word("of") {
            None
        } else {
            Some(self.expr()?)
        };
        self.expect_word("of", "in `top-nested` (`top-nested N of Column by Aggregate`)")?;
        let of = self.named_expr()?;
        let with_others = match self.eat_word("with") {
            Some(_) => {
                self.expect_word("others", "after `with` in `top-nested`")?;
                self.expect(&TokenKind::Assign, "after `with others`")?;
                Some(self.expr()?)
            }
            None => None,
        };
        self.expect_word("by", "in `top-nested` (`top-nested N of Column by Aggregate`)")?;
        let by = self.named_expr()?;
        let order = self.sort_order();
        Ok(TopNestedLevel {
            count,
            of,
            with_others,
            by,
            order,
            span: self.span_from(start),
        })
    }

    /// After `scan`: `[with_match_id=..] [declare (Col:type [= default], ...)] with (step ...; ...)`.
    fn scan(&mut self) -> PResult<OperatorKind> {
        let params = self.operator_params(&["with_match_id"])?;
        let declare = match self.eat_word("declare") {
            Some(_) => self.paren_list("in `scan ... declare`", Parser::parameter)?.0,
            None => Vec::new(),
        };
        self.expect_word("with", "before the steps of `scan`")?;
        let open = self.expect(&TokenKind::LParen, "to start the steps of `scan`")?;
        let mut steps = Vec::new();
        while self.at_word("step") {
            steps.push(self.scan_step()?);
            if self.eat(&TokenKind::Semicolon).is_none() {
                break;
            }
        }
        if steps.is_empty() {
            return Err(self.error_expected("`step`", "in `scan ... with (...)`"));
        }
        self.expect_close(&TokenKind::RParen, open, "to close the steps of `scan`")?;
        Ok(OperatorKind::Scan {
            params,
            declare,
            steps,
        })
    }

    /// `step Name [output=all|last|none]: condition [=> Col = expr, ...]`
    fn scan_step(&mut self) -> PResult<ScanStep> {
        let start = self.bump().span.start;
        let name = self.ident("for the step name")?;
        let output = match self.eat_word("output") {
            Some(_) => {
                self.expect(&TokenKind::Assign, "after `output`")?;
                Some(self.ident("after `output=` (`all`, `last` or `none`)")?)
            }
            None => None,
        };
        self.expect(&TokenKind::Colon, "after the step name")?;
        let condition = self.expr()?;
        let assignments = match self.eat(&TokenKind::FatArrow) {
            Some(_) => self.comma_list(Parser::named_expr)?,
            None => Vec::new(),
        };
        Ok(ScanStep {
            name,
            output,
            condition,
            assignments,
            span: self.span_from(start),
        })
    }
}

/// The text of a parameter value written as a name or a string (`kind=regex`, `flags="Ui"`).
fn param_text(param: &OperatorParam) -> Option<String> {
    match &param.value.kind {
        ExprKind::Name(Ident { name, .. }) => Some(name.clone()),
        ExprKind::Literal(Literal::String(text)) => Some(text.clone()),
        _ => None,
    }
}
