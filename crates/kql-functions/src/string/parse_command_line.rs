//! `parse_command_line(command_line, "windows")`: the arguments of a Windows command line as a
//! dynamic array of strings, split the way `CommandLineToArgvW` splits them (the only parser the
//! docs name): the program name ends at the next quote when it starts with one, else at the next
//! space or tab, and takes backslashes literally; later arguments are separated by spaces and tabs
//! outside quotes, `2n` backslashes before a quote give `n` and the quote opens or closes quoting,
//! `2n+1` give `n` and a literal quote, and inside quotes every third consecutive quote is a literal
//! one (the rules Wine documents for its `CommandLineToArgvW`). An empty command line gives `[]`
//! (Windows would answer with the caller's own path). Another parser type stops the query with an
//! error naming it.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::exec_err;
use datafusion::logical_expr::ScalarUDF;
use serde_json::Value;

use super::kernel::{Param, Params, define, optional_string_rows};
use crate::declare::*;

/// `kql_parse_command_line(command_line: Utf8, parser: Utf8) -> Utf8 (dynamic)`.
pub fn parse_command_line() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_parse_command_line",
            Params::fixed(&[Param::Str, Param::Str]),
            DataType::Utf8,
            |args| {
                let lines = args.str(0)?;
                let parsers = args.str(1)?;
                optional_string_rows(args, |row| {
                    let parser = parsers.get(row);
                    if !parser.eq_ignore_ascii_case("windows") {
                        return exec_err!(
                            "parse_command_line: the parser type must be \"windows\", not {parser:?}"
                        );
                    }
                    let arguments = windows_arguments(lines.get(row));
                    Ok(Some(
                        Value::Array(arguments.into_iter().map(Value::String).collect()).to_string(),
                    ))
                })
            },
        )
    )
}

pub(crate) static PARSE_COMMAND_LINE: KustoFunction = KustoFunction::scalar(
    Signature::scalar("parse_command_line", &[P::Str, P::Str], R::Fixed(T::Dynamic)),
    parse_command_line,
);

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// The arguments `CommandLineToArgvW` makes of a command line.
fn windows_arguments(line: &str) -> Vec<String> {
    let mut chars = line.chars().peekable();
    let mut arguments = Vec::new();
    if chars.peek().is_none() {
        return arguments;
    }
    // The program name follows its own rules.
    let mut program = String::new();
    if chars.next_if_eq(&'"').is_some() {
        for c in chars.by_ref() {
            if c == '"' {
                break;
            }
            program.push(c);
        }
    } else {
        while let Some(c) = chars.next_if(|c| !is_blank(*c)) {
            program.push(c);
        }
    }
    arguments.push(program);
    while chars.next_if(|c| is_blank(*c)).is_some() {}
    if chars.peek().is_none() {
        return arguments;
    }
    let mut current = String::new();
    // Quotes seen in the current quoted run (odd: inside quotes) and backslashes just before.
    let (mut quotes, mut backslashes) = (0usize, 0usize);
    while let Some(c) = chars.next() {
        match c {
            c if is_blank(c) && quotes == 0 => {
                arguments.push(std::mem::take(&mut current));
                while chars.next_if(|c| is_blank(*c)).is_some() {}
                backslashes = 0;
                if chars.peek().is_none() {
                    return arguments;
                }
            }
            '\\' => {
                current.push('\\');
                backslashes += 1;
            }
            '"' => {
                // Half the backslashes before a quote stay; an odd one out escapes the quote.
                let keep = current.len() - backslashes.div_ceil(2);
                current.truncate(keep);
                if backslashes % 2 == 0 {
                    quotes += 1;
                } else {
                    current.push('"');
                }
                backslashes = 0;
                while chars.next_if_eq(&'"').is_some() {
                    quotes += 1;
                    if quotes == 3 {
                        current.push('"');
                        quotes = 0;
                    }
                }
                if quotes == 2 {
                    quotes = 0;
                }
            }
            c => {
                current.push(c);
                backslashes = 0;
            }
        }
    }
    arguments.push(current);
    arguments
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call, call_scalars, s};

    fn parsed(line: &str) -> Vec<String> {
        windows_arguments(line)
    }

    #[test]
    fn docs_example() {
        // parse-command-line-function: echo "hello world!" gives ["echo","hello world!"].
        assert_eq!(
            call_scalars(
                &parse_command_line(),
                vec![s(r#"echo "hello world!""#), s("windows")]
            ),
            s(r#"["echo","hello world!"]"#)
        );
    }

    #[test]
    fn microsofts_documented_backslash_and_quote_rules() {
        // The examples of Microsoft's "Parsing C command-line arguments" table, after a program name.
        assert_eq!(parsed(r#"p "abc" d e"#), ["p", "abc", "d", "e"]);
        assert_eq!(parsed(r#"p a\\b d"e f"g h"#), ["p", r"a\\b", "de fg", "h"]);
        assert_eq!(parsed(r#"p a\\\"b c d"#), ["p", r#"a\"b"#, "c", "d"]);
        assert_eq!(parsed(r#"p a\\\\"b c" d e"#), ["p", r"a\\b c", "d", "e"]);
        // Raymond Chen's examples: quoted paths keep their backslashes.
        assert_eq!(
            parsed(r#"program.exe "C:\Hello there.txt""#),
            ["program.exe", r"C:\Hello there.txt"]
        );
        assert_eq!(
            parsed(r#"program.exe "hello\"there""#),
            ["program.exe", r#"hello"there"#]
        );
        assert_eq!(parsed(r#"program.exe "hello\\""#), ["program.exe", r"hello\"]);
    }

    #[test]
    fn the_program_name_and_edges() {
        // A quoted program name ends at the next quote; backslashes in it are literal.
        assert_eq!(
            parsed(r#""C:\Program Files\Tor\tor.exe" -f torrc"#),
            [r"C:\Program Files\Tor\tor.exe", "-f", "torrc"]
        );
        assert_eq!(parsed(r#"a\"b c"#), [r#"a\"b"#, "c"]);
        assert_eq!(parsed("cmd.exe"), ["cmd.exe"]);
        assert_eq!(parsed("cmd.exe   /c  \t dir  "), ["cmd.exe", "/c", "dir"]);
        assert_eq!(parsed(r#"p "" x"#), ["p", "", "x"]);
        assert_eq!(parsed(r#"p """a""""#), ["p", r#""a""#]);
        assert!(parsed("").is_empty());
    }

    #[test]
    fn another_parser_is_an_error() {
        use datafusion::logical_expr::ColumnarValue::Scalar;
        let error = call(
            &parse_command_line(),
            vec![Scalar(s("ls -l")), Scalar(s("linux"))],
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("linux"), "{error}");
        assert_eq!(
            call_scalars(&parse_command_line(), vec![s("a b"), s("Windows")]),
            s(r#"["a","b"]"#)
        );
    }
}
