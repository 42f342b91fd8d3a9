//! `parse-kv expr as (Key:type, ...) with (options)`: each key becomes a column holding the text the
//! `parse_kv` step extracts for it (kql-functions, string/parse_kv.rs, which also describes the
//! spec written here), converted to the key's type. A key that does not appear gives `""`, which
//! converts to null for the other types, and a value that does not convert is null: the page's "null
//! or an empty string, depending on the column type".
//!
//! The options are checked against the page's three syntaxes; a form the page does not describe
//! (a delimiter of several characters, `escape` without `quote`, options of two modes mixed, ...) is
//! refused by name rather than given a guessed meaning.

use kql_syntax::ast::{ColumnDecl, Expr, ExprKind, Literal, OperatorParam};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;
use serde_json::{Value as Json, json};

use crate::bound::{BoundExpr, Relation, RelationKind, Value};
use crate::catalog::Column;
use crate::expr::{convert, literal};
use crate::names::position;
use crate::{BResult, Binder};

/// The options given in `with (...)`, each checked for its form.
#[derive(Default)]
struct Options {
    pair: Option<char>,
    kv: Option<char>,
    quotes: Vec<String>,
    escapes: Vec<char>,
    greedy: Option<bool>,
    regex: Option<String>,
    /// Where each option was written, for the errors about their combination.
    spans: Vec<(String, Span)>,
}

impl Binder<'_> {
    pub(crate) fn parse_kv(
        &mut self,
        input: Relation,
        source: &Expr,
        keys: &[ColumnDecl],
        options: &[OperatorParam],
        span: Span,
    ) -> BResult<Relation> {
        let source = self.scalar(source, &input.columns)?;
        if source.ty != KustoType::String {
            return Err(Diagnostic::new(
                DiagnosticKind::Type,
                format!("parse-kv: the expression to parse is {}, not a string", source.ty),
                source.span,
            )
            .with_help("convert it with tostring()"));
        }
        let spec_json = mode_spec(options, span)?;
        let spec = BoundExpr::literal(Value::String(spec_json.to_string()), span);
        let mut columns = input.columns.clone();
        let mut exprs: Vec<BoundExpr> = columns.iter().map(|c| BoundExpr::column(c, span)).collect();
        for key in keys {
            let ty = key_type(key)?;
            if splits_words(&spec_json) && !key.name.name.chars().all(char::is_alphanumeric) {
                return Err(Diagnostic::not_supported(
                    format!(
                        "the `parse-kv` key `{}` without delimiters: this mode splits the text at every \
                     character that is not a letter or digit, and the page does not say whether a \
                     key may hold one",
                        key.name.name
                    ),
                    key.name.span,
                ));
            }
            if key.name.name.is_empty() {
                return Err(Diagnostic::not_supported(
                    "a `parse-kv` key with an empty name",
                    key.span,
                ));
            }
            if position(&columns[input.columns.len()..], &key.name.name).is_some() {
                return Err(Diagnostic::new(
                    DiagnosticKind::Semantic,
                    format!("parse-kv: the key `{}` is listed twice", key.name.name),
                    key.name.span,
                ));
            }
            // Kusto.Language gives such a query two columns of the same name, which a table cannot have.
            if position(&input.columns, &key.name.name).is_some() {
                return Err(Diagnostic::not_supported(
                    format!(
                        "a `parse-kv` key named like an existing column (`{}`); rename the column first",
                        key.name.name
                    ),
                    key.name.span,
                ));
            }
            let name = BoundExpr::literal(Value::String(key.name.name.clone()), key.span);
            let text = BoundExpr::call(
                "parse_kv",
                vec![source.clone(), spec.clone(), name],
                KustoType::String,
                key.span,
            );
            columns.push(Column::new(&key.name.name, ty));
            exprs.push(convert(text, ty));
        }
        let relation = RelationKind::Project {
            input: input.boxed(),
            exprs,
        };
        Ok(Relation::new(relation, columns, span))
    }
}

/// A key's type. The page does not say how a `dynamic` key's text converts (kept as a string, or
/// parsed as JSON), so that type is refused.
fn key_type(key: &ColumnDecl) -> BResult<KustoType> {
    match literal::type_named(&key.ty)? {
        KustoType::Dynamic => Err(Diagnostic::not_supported(
            "a `parse-kv` key of type `dynamic`: the page does not say how its text converts",
            key.ty.span,
        )),
        ty => Ok(ty),
    }
}

/// The spec of the `parse_kv` step for the options, in the mode their combination selects.
fn mode_spec(given: &[OperatorParam], span: Span) -> BResult<Json> {
    let options = Options::read(given)?;
    if let Some(pattern) = &options.regex {
        options.only_with("regex", &["regex"])?;
        return Ok(json!({ "regex": pattern }));
    }
    if !options.escapes.is_empty() && options.quotes.is_empty() {
        return Err(Diagnostic::not_supported(
            "`escape` without `quote` in `parse-kv`: the page uses escapes only inside quoted values",
            options.span_of("escape"),
        ));
    }
    let quote_chars: Vec<char> = options.quotes.iter().flat_map(|q| q.chars()).collect();
    if options.escapes.iter().any(|e| quote_chars.contains(e)) {
        return Err(Diagnostic::not_supported(
            "a `parse-kv` `escape` that is also a `quote` character: the page does not say which role wins",
            options.span_of("escape"),
        ));
    }
    let quoting = json!({
        "quotes": options.quotes,
        "escapes": options.escapes.iter().map(char::to_string).collect::<Vec<_>>(),
    });
    match (options.pair, options.kv) {
        (Some(pair), Some(kv)) => {
            options.check_distinct(pair, kv)?;
            Ok(json!({
                "pair": pair.to_string(),
                "kv": kv.to_string(),
                "greedy": options.greedy.unwrap_or(false),
                "quoting": quoting,
            }))
        }
        (None, None) => {
            if options.greedy.is_some() {
                return Err(Diagnostic::not_supported(
                    "`greedy` in `parse-kv` without `pair_delimiter` and `kv_delimiter`: the page \
                     describes it only with both",
                    options.span_of("greedy"),
                ));
            }
            Ok(json!({ "quoting": quoting }))
        }
        // Kusto.Language accepts one without the other, but the page's syntax has both or neither.
        (Some(_), None) | (None, Some(_)) => Err(Diagnostic::not_supported(
            "`parse-kv` with only one of `pair_delimiter` and `kv_delimiter`",
            span,
        )),
    }
}

/// Whether the spec is the mode without delimiters, where the text is split into words.
fn splits_words(spec: &Json) -> bool {
    spec.get("pair").is_none() && spec.get("regex").is_none()
}

impl Options {
    fn read(given: &[OperatorParam]) -> BResult<Options> {
        let mut options = Options::default();
        for param in given {
            let name = param.name.name.as_str();
            let once = |set: bool| match set {
                true => Err(Diagnostic::syntax(
                    format!("parse-kv: `{name}` is given twice"),
                    param.span,
                )),
                false => Ok(()),
            };
            match name {
                "pair_delimiter" => {
                    once(options.pair.is_some())?;
                    options.pair = Some(one_char(param, "a delimiter")?);
                }
                "kv_delimiter" => {
                    once(options.kv.is_some())?;
                    options.kv = Some(one_char(param, "a delimiter")?);
                }
                "quote" => {
                    let quote = string_value(param)?;
                    if !matches!(quote.chars().count(), 1 | 2) {
                        return Err(Diagnostic::new(
                            DiagnosticKind::Semantic,
                            "parse-kv: a `quote` is one character, or two (opening and closing)",
                            param.value.span,
                        ));
                    }
                    options.quotes.push(quote);
                }
                "escape" => options.escapes.push(one_char(param, "an escape")?),
                "greedy" => {
                    once(options.greedy.is_some())?;
                    options.greedy = Some(match &param.value.kind {
                        ExprKind::Literal(Literal::Bool(greedy)) => *greedy,
                        _ => {
                            return Err(Diagnostic::syntax(
                                "parse-kv: `greedy` is `true` or `false`",
                                param.value.span,
                            ));
                        }
                    });
                }
                "regex" => {
                    once(options.regex.is_some())?;
                    options.regex = Some(checked_regex(param)?);
                }
                _ => {
                    return Err(Diagnostic::syntax(
                        format!(
                            "unknown `parse-kv` option `{name}`: expected `pair_delimiter`, \
                             `kv_delimiter`, `quote`, `escape`, `greedy` or `regex`"
                        ),
                        param.name.span,
                    ));
                }
            }
            options.spans.push((name.to_string(), param.span));
        }
        Ok(options)
    }

    fn span_of(&self, name: &str) -> Span {
        self.spans
            .iter()
            .find(|(given, _)| given == name)
            .map(|(_, span)| *span)
            .expect("only asked about options that were given")
    }

    /// Refuses the options given besides `allowed`, as the page's syntax of `mode` has none.
    fn only_with(&self, mode: &str, allowed: &[&str]) -> BResult<()> {
        match self
            .spans
            .iter()
            .find(|(name, _)| !allowed.contains(&name.as_str()))
        {
            Some((name, span)) => Err(Diagnostic::not_supported(
                format!("`{name}` with `{mode}` in `parse-kv`"),
                *span,
            )),
            None => Ok(()),
        }
    }

    /// Refuses a character that has two roles (the same pair and key/value delimiter, a quote that
    /// is a delimiter): the page does not say which role wins.
    fn check_distinct(&self, pair: char, kv: char) -> BResult<()> {
        let clash = |what: &str, option: &str| {
            Err(Diagnostic::not_supported(
                format!("a `parse-kv` {what}"),
                self.span_of(option),
            ))
        };
        if pair == kv {
            return clash("`pair_delimiter` equal to the `kv_delimiter`", "kv_delimiter");
        }
        if self
            .quotes
            .iter()
            .flat_map(|q| q.chars())
            .any(|c| c == pair || c == kv)
        {
            return clash("`quote` character that is also a delimiter", "quote");
        }
        Ok(())
    }
}

fn string_value(param: &OperatorParam) -> BResult<String> {
    match &param.value.kind {
        ExprKind::Literal(Literal::String(text)) => Ok(text.clone()),
        _ => Err(Diagnostic::syntax(
            format!("parse-kv: `{}` takes a string literal", param.name.name),
            param.value.span,
        )),
    }
}

/// A delimiter or escape: the page does not say what a longer or empty one means, so it is refused.
fn one_char(param: &OperatorParam, what: &str) -> BResult<char> {
    let text = string_value(param)?;
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(Diagnostic::not_supported(
            format!(
                "`{}` of {} characters in `parse-kv` ({what} of one character is)",
                param.name.name,
                text.chars().count()
            ),
            param.value.span,
        )),
    }
}

/// The `regex` option: "a regular expression containing two capturing groups exactly".
fn checked_regex(param: &OperatorParam) -> BResult<String> {
    let pattern = string_value(param)?;
    let compiled = regex::Regex::new(&pattern).map_err(|e| {
        Diagnostic::new(
            DiagnosticKind::Semantic,
            format!("parse-kv: the regex is not a valid regular expression: {e}"),
            param.value.span,
        )
    })?;
    // `captures_len` counts the whole match as group 0.
    if compiled.captures_len() != 3 {
        return Err(Diagnostic::new(
            DiagnosticKind::Semantic,
            format!(
                "parse-kv: the regex has {} capturing groups; it needs exactly two (the key, then the value)",
                compiled.captures_len() - 1
            ),
            param.value.span,
        ));
    }
    Ok(pattern)
}
