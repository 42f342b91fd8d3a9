//! Turns KQL text into tokens with byte spans.
//!
//! Like Kusto.Language, the lexer knows a few things the grammar would otherwise have to reassemble:
//! hyphenated operator names (`project-away`) and negated operator words (`!has`, `!in~`) are single
//! [`TokenKind::Ident`] tokens, `datetime(...)`-style literals whose content is free text are single
//! [`TokenKind::TypedLiteral`] tokens, and a number immediately followed by a time unit is a
//! [`TokenKind::TimeSpan`]. Keywords stay identifiers: KQL keywords are contextual, so the parser
//! decides what a word means where it stands.

use crate::diagnostic::Diagnostic;
use crate::span::Span;

#[derive(Debug, Clone, PartialEq)]
pub enum TokenKind {
    /// A word: identifier or (contextual) keyword, including `project-away`, `!has`, `in~`, `$left`.
    /// Its text is the span's text.
    Ident,
    /// A string literal in any form, decoded.
    String(String),
    /// An integer literal (decimal or `0x` hex); its text is the span's text.
    Long,
    /// A real literal (`1.5`, `1e3`); its text is the span's text.
    Real,
    /// A number immediately followed by a time unit (`1d`, `1.5h`, `10microsecond`).
    TimeSpan,
    /// `datetime(...)`, `date(...)`, `time(...)`, `timespan(...)`, `guid(...)`: the type word as written
    /// and the text between the parentheses (trimmed; decoded when it is a quoted string).
    TypedLiteral {
        type_name: String,
        content: String,
        quoted: bool,
    },
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Comma,
    Semicolon,
    Colon,
    Dot,
    DotDot,
    Pipe,
    Assign,
    EqEq,
    NotEq,
    /// `<>`, a synonym of `!=`.
    LtGt,
    Lt,
    LtEq,
    Gt,
    GtEq,
    /// `=~`
    EqTilde,
    /// `!~`
    BangTilde,
    /// `=>` (in `scan` steps)
    FatArrow,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Eof,
}

impl TokenKind {
    /// How an error message names this kind of token when it is expected.
    pub fn describe(&self) -> &'static str {
        match self {
            TokenKind::Ident => "a name",
            TokenKind::String(_) => "a string literal",
            TokenKind::Long | TokenKind::Real => "a number",
            TokenKind::TimeSpan => "a timespan literal",
            TokenKind::TypedLiteral { .. } => "a literal",
            TokenKind::LParen => "`(`",
            TokenKind::RParen => "`)`",
            TokenKind::LBracket => "`[`",
            TokenKind::RBracket => "`]`",
            TokenKind::LBrace => "`{`",
            TokenKind::RBrace => "`}`",
            TokenKind::Comma => "`,`",
            TokenKind::Semicolon => "`;`",
            TokenKind::Colon => "`:`",
            TokenKind::Dot => "`.`",
            TokenKind::DotDot => "`..`",
            TokenKind::Pipe => "`|`",
            TokenKind::Assign => "`=`",
            TokenKind::EqEq => "`==`",
            TokenKind::NotEq => "`!=`",
            TokenKind::LtGt => "`<>`",
            TokenKind::Lt => "`<`",
            TokenKind::LtEq => "`<=`",
            TokenKind::Gt => "`>`",
            TokenKind::GtEq => "`>=`",
            TokenKind::EqTilde => "`=~`",
            TokenKind::BangTilde => "`!~`",
            TokenKind::FatArrow => "`=>`",
            TokenKind::Plus => "`+`",
            TokenKind::Minus => "`-`",
            TokenKind::Star => "`*`",
            TokenKind::Slash => "`/`",
            TokenKind::Percent => "`%`",
            TokenKind::Eof => "end of query",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// Operator names written with a hyphen, which KQL lexes as one word.
const HYPHENATED_WORDS: &[&str] = &[
    "project-away",
    "project-keep",
    "project-rename",
    "project-reorder",
    "project-smart",
    "project-by-names",
    "mv-expand",
    "mv-apply",
    "parse-where",
    "parse-kv",
    "make-series",
    "make-graph",
    "top-nested",
    "top-hitters",
    "sample-distinct",
    "graph-match",
    "graph-merge",
    "graph-to-table",
    "graph-shortest-paths",
    "graph-mark-components",
    "granny-asc",
    "granny-desc",
    "assert-schema",
    "macro-expand",
];

/// Type words whose parenthesised content is free text (`datetime(2017-01-01 10:00)`), lexed whole.
const FREE_TEXT_LITERALS: &[&str] = &["datetime", "date", "time", "timespan", "guid"];

/// Time units a number may carry to form a timespan literal (Kusto's list, case-sensitive).
const TIME_UNITS: &[&str] = &[
    "d",
    "day",
    "days",
    "h",
    "hr",
    "hrs",
    "hour",
    "hours",
    "m",
    "min",
    "minute",
    "minutes",
    "s",
    "sec",
    "second",
    "seconds",
    "ms",
    "milli",
    "millis",
    "millisec",
    "millisecond",
    "milliseconds",
    "micro",
    "micros",
    "microsec",
    "microsecond",
    "microseconds",
    "us",
    "nano",
    "nanos",
    "nanosec",
    "nanosecond",
    "nanoseconds",
    "ns",
    "tick",
    "ticks",
];

/// Splits `source` into tokens, ending with [`TokenKind::Eof`]. Comments and whitespace are dropped.
pub fn tokenize(source: &str) -> Result<Vec<Token>, Diagnostic> {
    let mut lexer = Lexer {
        source,
        pos: 0,
        tokens: Vec::new(),
    };
    lexer.run()?;
    Ok(lexer.tokens)
}

struct Lexer<'s> {
    source: &'s str,
    pos: usize,
    tokens: Vec<Token>,
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '$'
}

/// Whitespace, plus the zero-width space and byte-order mark that copy-pasted rules often carry and
/// Kusto skips as well.
fn is_blank(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}')
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl Lexer<'_> {
    fn rest(&self) -> &str {
        &self.source[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek_nth(&self, n: usize) -> Option<char> {
        self.rest().chars().nth(n)
    }

    fn push(&mut self, kind: TokenKind, start: usize) {
        self.tokens.push(Token {
            kind,
            span: Span::new(start, self.pos),
        });
    }

    /// Advances past every character satisfying `keep`.
    fn skip_while(&mut self, keep: impl Fn(char) -> bool) {
        let len = self.rest().find(|c| !keep(c)).unwrap_or(self.rest().len());
        self.pos += len;
    }

    fn run(&mut self) -> Result<(), Diagnostic> {
        loop {
            self.skip_trivia();
            let start = self.pos;
            let Some(c) = self.peek() else {
                self.push(TokenKind::Eof, start);
                return Ok(());
            };
            match c {
                '\'' | '"' => self.quoted_string(start, false)?,
                '@' if matches!(self.peek_nth(1), Some('\'' | '"')) => {
                    self.pos += 1;
                    self.quoted_string(start, true)?;
                }
                '`' if self.rest().starts_with("```") => self.fenced_string(start, "```")?,
                '~' if self.rest().starts_with("~~~") => self.fenced_string(start, "~~~")?,
                'h' | 'H' if self.at_obfuscated_string() => {
                    self.pos += 1;
                    self.string_after_prefix(start)?;
                }
                '0'..='9' => self.number(start),
                '!' if self.peek_nth(1).is_some_and(is_ident_start) => {
                    self.pos += 1;
                    self.word(start);
                }
                c if is_ident_start(c) => self.word(start),
                _ => self.punctuation(start, c)?,
            }
        }
    }

    fn skip_trivia(&mut self) {
        loop {
            self.skip_while(is_blank);
            if self.rest().starts_with("//") {
                self.skip_while(|c| c != '\n');
            } else {
                return;
            }
        }
    }

    /// `h'...'`, `H"..."`, `h@'...'`, h```...```: an obfuscated string (hidden from logs, same value).
    fn at_obfuscated_string(&self) -> bool {
        match self.peek_nth(1) {
            Some('\'' | '"') => true,
            Some('@') => matches!(self.peek_nth(2), Some('\'' | '"')),
            Some('`') => self.rest()[1..].starts_with("```"),
            _ => false,
        }
    }

    fn string_after_prefix(&mut self, start: usize) -> Result<(), Diagnostic> {
        match self.peek() {
            Some('@') => {
                self.pos += 1;
                self.quoted_string(start, true)
            }
            Some('`') => self.fenced_string(start, "```"),
            _ => self.quoted_string(start, false),
        }
    }

    /// A `'...'` or `"..."` string at `self.pos`; `verbatim` for `@'...'` (no escapes, doubled quotes).
    fn quoted_string(&mut self, start: usize, verbatim: bool) -> Result<(), Diagnostic> {
        let value = self.quoted_string_value(start, verbatim)?;
        self.push(TokenKind::String(value), start);
        Ok(())
    }

    fn quoted_string_value(&mut self, start: usize, verbatim: bool) -> Result<String, Diagnostic> {
        let Some(quote) = self.peek() else {
            return Err(Diagnostic::syntax(
                "expected a quote to start the string",
                Span::new(start, self.pos),
            ));
        };
        self.pos += 1;
        let mut value = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(self.unterminated(start));
            };
            let char_start = self.pos;
            self.pos += c.len_utf8();
            match c {
                '\n' | '\r' => {
                    self.pos = char_start;
                    return Err(self.unterminated(start));
                }
                c if c == quote => {
                    if verbatim && self.peek() == Some(quote) {
                        self.pos += 1;
                        value.push(quote);
                    } else {
                        return Ok(value);
                    }
                }
                '\\' if !verbatim => value.push(self.escape(char_start)?),
                c => value.push(c),
            }
        }
    }

    fn unterminated(&self, start: usize) -> Diagnostic {
        Diagnostic::syntax("unterminated string literal", Span::new(start, self.pos))
            .with_label("the string starts here and is not closed on this line")
            .with_help(
                "use a verbatim string @'...' or a multi-line string ```...``` for text with line breaks",
            )
    }

    /// The character escaped by the `\` at `backslash`; `self.pos` is just after the backslash.
    fn escape(&mut self, backslash: usize) -> Result<char, Diagnostic> {
        let Some(c) = self.peek() else {
            return Err(self.unterminated(backslash));
        };
        self.pos += c.len_utf8();
        let simple = match c {
            'n' => Some('\n'),
            't' => Some('\t'),
            'r' => Some('\r'),
            '0' => Some('\0'),
            'a' => Some('\u{7}'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            'v' => Some('\u{b}'),
            '\\' | '\'' | '"' => Some(c),
            _ => None,
        };
        if let Some(c) = simple {
            return Ok(c);
        }
        let digits = match c {
            'x' => 2,
            'u' => 4,
            'U' => 8,
            _ => {
                let span = Span::new(backslash, self.pos);
                return Err(
                    Diagnostic::syntax(format!("unknown escape sequence `\\{c}` in string"), span)
                        .with_help("escape a backslash as `\\\\`, or use a verbatim string @'...'"),
                );
            }
        };
        let hex: String = self.rest().chars().take(digits).collect();
        let code = (hex.len() == digits && hex.chars().all(|h| h.is_ascii_hexdigit()))
            .then(|| u32::from_str_radix(&hex, 16).ok())
            .flatten()
            .and_then(char::from_u32);
        match code {
            Some(code) => {
                self.pos += hex.len();
                Ok(code)
            }
            None => {
                let message =
                    format!("invalid escape sequence `\\{c}`: expected {digits} hex digits of a character");
                Err(Diagnostic::syntax(message, Span::new(backslash, self.pos))
                    .with_help("escape a backslash as `\\\\`, or use a verbatim string @'...'"))
            }
        }
    }

    /// ```` ```text``` ```` or `~~~text~~~`: a multi-line string, no escapes.
    fn fenced_string(&mut self, start: usize, fence: &str) -> Result<(), Diagnostic> {
        self.pos += fence.len();
        let Some(len) = self.rest().find(fence) else {
            self.pos = self.source.len();
            return Err(Diagnostic::syntax(
                format!("unterminated multi-line string: no closing {fence}"),
                Span::new(start, start + fence.len()),
            ));
        };
        let value = self.rest()[..len].to_string();
        self.pos += len + fence.len();
        self.push(TokenKind::String(value), start);
        Ok(())
    }

    fn number(&mut self, start: usize) {
        let mut real = false;
        if self.rest().starts_with("0x") || self.rest().starts_with("0X") {
            self.pos += 2;
            self.skip_while(|c| c.is_ascii_hexdigit());
        } else {
            self.skip_while(|c| c.is_ascii_digit());
            // `1.5` and `1.` are reals, but `1..5` is a range and `a.b` member access.
            if self.peek() == Some('.') && self.peek_nth(1) != Some('.') {
                real = true;
                self.pos += 1;
                self.skip_while(|c| c.is_ascii_digit());
            }
            if matches!(self.peek(), Some('e' | 'E')) {
                let sign = usize::from(matches!(self.peek_nth(1), Some('+' | '-')));
                if self.peek_nth(1 + sign).is_some_and(|c| c.is_ascii_digit()) {
                    real = true;
                    self.pos += 1 + sign;
                    self.skip_while(|c| c.is_ascii_digit());
                }
            }
        }
        let suffix_start = self.pos;
        self.skip_while(is_ident_char);
        let suffix = &self.source[suffix_start..self.pos];
        let kind = if suffix.is_empty() {
            if real { TokenKind::Real } else { TokenKind::Long }
        } else if TIME_UNITS.contains(&suffix) {
            TokenKind::TimeSpan
        } else {
            // Kusto reads `1abc` as a name (which then does not resolve), not as a number.
            TokenKind::Ident
        };
        self.push(kind, start);
    }

    fn word(&mut self, start: usize) {
        // `$left`: the `$` only starts a word.
        if self.peek() == Some('$') {
            self.pos += 1;
        }
        self.skip_while(is_ident_char);
        self.extend_hyphenated(start);
        let word = &self.source[start..self.pos];
        if matches!(word, "in" | "!in") && self.peek() == Some('~') {
            self.pos += 1;
        } else if FREE_TEXT_LITERALS.contains(&word) && self.peek() == Some('(') {
            self.free_text_literal(start);
            return;
        }
        self.push(TokenKind::Ident, start);
    }

    /// Joins `project` `-` `away` into `project-away` (and the other hyphenated operator names).
    fn extend_hyphenated(&mut self, start: usize) {
        let mut end = self.pos;
        while self.source[end..].starts_with('-') {
            let tail = &self.source[end + 1..];
            let len = tail.find(|c| !is_ident_char(c)).unwrap_or(tail.len());
            let candidate = &self.source[start..end + 1 + len];
            if len == 0 || !HYPHENATED_WORDS.iter().any(|w| w.starts_with(candidate)) {
                break;
            }
            end += 1 + len;
            if HYPHENATED_WORDS.contains(&candidate) {
                self.pos = end;
            }
        }
    }

    /// `datetime(2017-01-01 10:00)`: the content up to `)` is kept as text. Without a closing `)` on
    /// the same line, the word is an ordinary name and the parser reports what is missing.
    fn free_text_literal(&mut self, start: usize) {
        let type_name = self.source[start..self.pos].to_string();
        let open = self.pos;
        let after_open = open + 1;
        let tail = &self.source[after_open..];
        let content = tail.trim_start();
        let content_start = after_open + (tail.len() - content.len());
        if content.starts_with(['\'', '"', '@']) {
            let verbatim = content.starts_with('@');
            self.pos = content_start + usize::from(verbatim);
            if let Ok(value) = self.quoted_string_value(content_start, verbatim) {
                self.skip_while(char::is_whitespace);
                if self.peek() == Some(')') {
                    self.pos += 1;
                    self.push(
                        TokenKind::TypedLiteral {
                            type_name,
                            content: value,
                            quoted: true,
                        },
                        start,
                    );
                    return;
                }
            }
            self.pos = open;
            self.push(TokenKind::Ident, start);
            return;
        }
        match tail.find([')', '\n', '(']) {
            Some(len) if tail[len..].starts_with(')') => {
                let content = tail[..len].trim().to_string();
                self.pos = after_open + len + 1;
                self.push(
                    TokenKind::TypedLiteral {
                        type_name,
                        content,
                        quoted: false,
                    },
                    start,
                );
            }
            _ => self.push(TokenKind::Ident, start),
        }
    }

    fn punctuation(&mut self, start: usize, c: char) -> Result<(), Diagnostic> {
        let next = self.peek_nth(1);
        let (kind, len) = match (c, next) {
            ('(', _) => (TokenKind::LParen, 1),
            (')', _) => (TokenKind::RParen, 1),
            ('[', _) => (TokenKind::LBracket, 1),
            (']', _) => (TokenKind::RBracket, 1),
            ('{', _) => (TokenKind::LBrace, 1),
            ('}', _) => (TokenKind::RBrace, 1),
            (',', _) => (TokenKind::Comma, 1),
            (';', _) => (TokenKind::Semicolon, 1),
            (':', _) => (TokenKind::Colon, 1),
            ('.', Some('.')) => (TokenKind::DotDot, 2),
            ('.', _) => (TokenKind::Dot, 1),
            ('|', _) => (TokenKind::Pipe, 1),
            ('=', Some('=')) => (TokenKind::EqEq, 2),
            ('=', Some('~')) => (TokenKind::EqTilde, 2),
            ('=', Some('>')) => (TokenKind::FatArrow, 2),
            ('=', _) => (TokenKind::Assign, 1),
            ('!', Some('=')) => (TokenKind::NotEq, 2),
            ('!', Some('~')) => (TokenKind::BangTilde, 2),
            ('<', Some('>')) => (TokenKind::LtGt, 2),
            ('<', Some('=')) => (TokenKind::LtEq, 2),
            ('<', _) => (TokenKind::Lt, 1),
            ('>', Some('=')) => (TokenKind::GtEq, 2),
            ('>', _) => (TokenKind::Gt, 1),
            ('+', _) => (TokenKind::Plus, 1),
            ('-', _) => (TokenKind::Minus, 1),
            ('*', _) => (TokenKind::Star, 1),
            ('/', _) => (TokenKind::Slash, 1),
            ('%', _) => (TokenKind::Percent, 1),
            _ => {
                let span = Span::new(start, start + c.len_utf8());
                return Err(Diagnostic::syntax(format!("unexpected character `{c}`"), span)
                    .with_help("KQL comments start with `//`"));
            }
        };
        self.pos += len;
        self.push(kind, start);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<(TokenKind, &str)> {
        let tokens = tokenize(source).unwrap_or_else(|d| panic!("{source}: {}", d.message));
        tokens
            .into_iter()
            .map(|t| (t.kind, t.span.text(source)))
            .collect()
    }

    fn string_value(source: &str) -> String {
        match kinds(source).remove(0).0 {
            TokenKind::String(value) => value,
            other => panic!("{source}: not a string: {other:?}"),
        }
    }

    #[test]
    fn string_forms_decode_per_kusto_docs() {
        assert_eq!(string_value(r#"'a\'b\n'"#), "a'b\n");
        assert_eq!(string_value(r#""x\"y\\""#), "x\"y\\");
        assert_eq!(string_value(r"@'C:\path''s'"), r"C:\path's");
        assert_eq!(string_value(r#"@"a""b""#), "a\"b");
        assert_eq!(string_value("h'secret'"), "secret");
        assert_eq!(string_value("H\"secret\""), "secret");
        assert_eq!(string_value(r"h@'C:\x'"), r"C:\x");
        assert_eq!(string_value("```line1\nline2```"), "line1\nline2");
        assert_eq!(string_value("~~~a~~~"), "a");
        assert_eq!(string_value(r"'\u0041\x42'"), "AB");
    }

    #[test]
    fn string_errors_point_at_the_string() {
        let err = tokenize("print 'abc\nx").unwrap_err();
        assert_eq!(err.message, "unterminated string literal");
        assert_eq!(err.span, Span::new(6, 10));
        let err = tokenize(r"print 'a\qb'").unwrap_err();
        assert_eq!(err.span.text(r"print 'a\qb'"), r"\q");
        assert!(tokenize("print ```abc").is_err());
        assert!(tokenize(r"print '\u00'").is_err());
    }

    #[test]
    fn numbers_and_timespans() {
        let source = "1 1.5 1e3 1E+3 0x1F 1. 1d 1.5h 30m 100ms 10microsecond 1tick 3days 1..5";
        let expected = [
            (TokenKind::Long, "1"),
            (TokenKind::Real, "1.5"),
            (TokenKind::Real, "1e3"),
            (TokenKind::Real, "1E+3"),
            (TokenKind::Long, "0x1F"),
            (TokenKind::Real, "1."),
            (TokenKind::TimeSpan, "1d"),
            (TokenKind::TimeSpan, "1.5h"),
            (TokenKind::TimeSpan, "30m"),
            (TokenKind::TimeSpan, "100ms"),
            (TokenKind::TimeSpan, "10microsecond"),
            (TokenKind::TimeSpan, "1tick"),
            (TokenKind::TimeSpan, "3days"),
            (TokenKind::Long, "1"),
            (TokenKind::DotDot, ".."),
            (TokenKind::Long, "5"),
            (TokenKind::Eof, ""),
        ];
        assert_eq!(kinds(source), expected);
    }

    #[test]
    fn words_hyphens_negations_and_operators() {
        let source = "project-away mv-expand x-y !has_cs in~ !in~ $left == != <> =~ !~ .. => // comment";
        let texts: Vec<&str> = kinds(source).into_iter().map(|(_, text)| text).collect();
        let expected = [
            "project-away",
            "mv-expand",
            "x",
            "-",
            "y",
            "!has_cs",
            "in~",
            "!in~",
            "$left",
            "==",
            "!=",
            "<>",
            "=~",
            "!~",
            "..",
            "=>",
            "",
        ];
        assert_eq!(texts, expected);
    }

    #[test]
    fn free_text_literals_keep_their_content() {
        let tokens = kinds("datetime(2017-01-01 10:00) guid(null) time('1.02:03') datetime_add");
        let literal = |type_name: &str, content: &str, quoted| TokenKind::TypedLiteral {
            type_name: type_name.into(),
            content: content.into(),
            quoted,
        };
        assert_eq!(
            tokens[0],
            (
                literal("datetime", "2017-01-01 10:00", false),
                "datetime(2017-01-01 10:00)"
            )
        );
        assert_eq!(tokens[1], (literal("guid", "null", false), "guid(null)"));
        assert_eq!(tokens[2], (literal("time", "1.02:03", true), "time('1.02:03')"));
        assert_eq!(tokens[3], (TokenKind::Ident, "datetime_add"));
    }

    #[test]
    fn never_panics_on_odd_input() {
        for source in [
            "h",
            "h@",
            "@",
            "'",
            "\"\\",
            "datetime(",
            "datetime('x",
            "0x",
            "1e",
            "é'",
            "!",
            "~~",
            "`",
        ] {
            let _ = tokenize(source);
        }
    }
}
