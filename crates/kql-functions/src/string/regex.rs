//! Kusto regular expressions (RE2 syntax, which the `regex` crate follows) compiled once per pattern.

use regex::Regex;

use datafusion::common::{DataFusionError, Result};

/// Compiles a pattern; an invalid one is an error naming the function and the pattern.
pub(crate) fn compile(function: &str, pattern: &str) -> Result<Regex> {
    Regex::new(pattern).map_err(|e| {
        DataFusionError::Execution(format!("{function}: invalid regular expression {pattern:?}: {e}"))
    })
}

/// Turns a Kusto rewrite pattern into a `regex` replacement: Kusto refers to groups as `\1` (and `$1`),
/// `\0` being the whole match; a `$` not followed by a digit is literal.
pub(crate) fn replacement(rewrite: &str) -> String {
    let mut out = String::with_capacity(rewrite.len() + 8);
    let mut chars = rewrite.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\' | '$', Some(d)) if d.is_ascii_digit() => {
                out.push_str("${");
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    out.push(*d);
                    chars.next();
                }
                out.push('}');
            }
            ('$', _) => out.push_str("$$"),
            (c, _) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_use_backslash_or_dollar_groups() {
        assert_eq!(replacement(r"Activity ID \1: \2"), "Activity ID ${1}: ${2}");
        assert_eq!(replacement("$1-$"), "${1}-$$");
    }
}
