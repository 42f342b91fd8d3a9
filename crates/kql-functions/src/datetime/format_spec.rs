//! Kusto's (.NET-style) custom format strings for `format_datetime` and `format_timespan`: runs of one
//! specifier letter (`yyyy`, `MM`, `fff`, ...) and `tt`; every other character is copied as a delimiter.

/// One piece of a parsed format string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token {
    /// A run of `count` copies of a specifier letter.
    Field {
        letter: u8,
        count: usize,
    },
    Literal(char),
}

/// The letters that are specifiers; runs of any other character are literal text.
const SPECIFIERS: &[u8] = b"dfFhHmMsyt";

pub(super) fn tokenize(format: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match u8::try_from(c).ok().filter(|b| SPECIFIERS.contains(b)) {
            Some(letter) => {
                let mut count = 1;
                while chars.peek() == Some(&c) {
                    chars.next();
                    count += 1;
                }
                tokens.push(Token::Field { letter, count });
            }
            None => tokens.push(Token::Literal(c)),
        }
    }
    tokens
}

/// Parsed format strings, reused while consecutive rows share one format (the usual constant case).
#[derive(Default)]
pub(super) struct FormatCache {
    format: String,
    tokens: Vec<Token>,
}

impl FormatCache {
    pub(super) fn tokens(&mut self, format: &str) -> &[Token] {
        if self.format != format {
            self.format.clear();
            self.format.push_str(format);
            self.tokens = tokenize(format);
        }
        &self.tokens
    }
}

/// Writes the first `count` (at most 7) digits of a 7-digit tick fraction; `F` drops trailing zeros
/// and prints nothing when they are all zero.
pub(super) fn write_fraction(
    out: &mut impl std::fmt::Write,
    ticks: i64,
    count: usize,
    optional: bool,
) -> std::fmt::Result {
    let count = count.min(7);
    let digits = ticks / 10i64.pow(7 - count as u32);
    if !optional {
        return write!(out, "{digits:0count$}");
    }
    let mut text = [b'0'; 7];
    let mut rest = digits;
    for slot in text[..count].iter_mut().rev() {
        *slot = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    let significant = text[..count]
        .iter()
        .rposition(|&b| b != b'0')
        .map_or(0, |last| last + 1);
    out.write_str(std::str::from_utf8(&text[..significant]).map_err(|_| std::fmt::Error)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_letters_become_fields() {
        let tokens = tokenize("yy-MM [tt]");
        assert_eq!(
            tokens[0],
            Token::Field {
                letter: b'y',
                count: 2
            }
        );
        assert_eq!(tokens[1], Token::Literal('-'));
        assert_eq!(
            tokens[5],
            Token::Field {
                letter: b't',
                count: 2
            }
        );
    }

    #[test]
    fn fractions_follow_the_f_and_capital_f_rules() {
        // fff of .6170000 -> 617; FFFFFFF of .0001150 -> 000115; F of .0500000 -> (no output)
        let fraction = |ticks, count, optional| {
            let mut s = String::new();
            write_fraction(&mut s, ticks, count, optional).unwrap();
            s
        };
        assert_eq!(fraction(6_170_000, 3, false), "617");
        assert_eq!(fraction(1_150, 7, true), "000115");
        assert_eq!(fraction(500_000, 1, true), "");
        assert_eq!(fraction(1_150, 7, false), "0001150");
    }
}
