//! `parse_path(path)` -> dynamic bag `{"Scheme","RootPath","DirectoryPath","DirectoryName","Filename",
//! "Extension","AlternateDataStreamName"}`, absent parts being "".
//!
//! The docs' examples pin down: a `scheme://` prefix; both slash kinds, kept as written; `RootPath` is
//! the drive (`C:`) and is "" for `/usr/...` and `\\share\...`; `DirectoryPath` is everything before
//! the file name; `Extension` has no dot; `file.txt:stream` names an alternate data stream. Beyond
//! them the parts follow .NET's `System.IO.Path`: a file in a root directory has the root as its
//! `DirectoryPath` (`C:\`, `/`), whose `DirectoryName` is ""; the extension is what follows the last
//! dot of the file name (none when the name ends with the dot); a long path (`\\?\C:\...`) has the
//! drive after its prefix as its root.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use serde_json::{Map, Value};

use super::kernel::{Param, Params, define, optional_string_rows};
use crate::declare::*;

/// `kql_parse_path(path: Utf8) -> Utf8 (dynamic)`.
pub fn parse_path() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_parse_path",
            Params::fixed(&[Param::Str]),
            DataType::Utf8,
            |args| {
                let text = args.str(0)?;
                optional_string_rows(args, |row| Ok(Some(parts(text.get(row)).to_string())))
            },
        )
    )
}

pub(crate) static PARSE_PATH: KustoFunction = KustoFunction::scalar(
    Signature::scalar("parse_path", &[P::Str], R::Fixed(T::Dynamic)),
    parse_path,
);

fn is_separator(c: char) -> bool {
    c == '\\' || c == '/'
}

/// A scheme is at least two characters, so `C://x` reads as a drive, not a scheme.
fn split_scheme(path: &str) -> (&str, &str) {
    if let Some((scheme, rest)) = path.split_once("://")
        && scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return (scheme, rest);
    }
    ("", path)
}

/// The drive (`C:`) at the start of a path, or after a long-path prefix (`\\?\`, `//?/`), with the
/// length of the path's text up to the end of the drive (0 without a drive).
fn drive(path: &str) -> (&str, usize) {
    let prefix = ["\\\\?\\", "//?/"]
        .iter()
        .find(|prefix| path.starts_with(**prefix))
        .map_or(0, |prefix| prefix.len());
    let bytes = &path.as_bytes()[prefix..];
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        (&path[prefix..prefix + 2], prefix + 2)
    } else {
        ("", 0)
    }
}

fn parts(path: &str) -> Value {
    let (scheme, rest) = split_scheme(path);
    let (root, root_end) = drive(rest);
    let (directory, file) = match rest.rfind(is_separator) {
        // A file in a root directory keeps the root (`C:\`, `/`) as its directory.
        Some(at) if at == 0 || (root_end > 0 && at == root_end) => (&rest[..=at], &rest[at + 1..]),
        Some(at) => (&rest[..at], &rest[at + 1..]),
        // `C:file.txt`: the drive is the directory.
        None => (&rest[..root_end], &rest[root_end..]),
    };
    let (file_name, stream) = match file.split_once(':') {
        Some((name, stream)) => (name, stream),
        None => (file, ""),
    };
    let extension = match file_name.rfind('.') {
        Some(at) => &file_name[at + 1..],
        None => "",
    };
    let trimmed = directory.trim_end_matches(is_separator);
    // A root (`C:\`, `/`, `C:`) has no name.
    let directory_name = match trimmed.rfind(is_separator) {
        _ if trimmed.len() <= root_end => "",
        Some(at) => &trimmed[at + 1..],
        None => trimmed,
    };
    let mut bag = Map::new();
    bag.insert("Scheme".into(), scheme.into());
    bag.insert("RootPath".into(), root.into());
    bag.insert("DirectoryPath".into(), directory.into());
    bag.insert("DirectoryName".into(), directory_name.into());
    bag.insert("Filename".into(), file_name.into());
    bag.insert("Extension".into(), extension.into());
    bag.insert("AlternateDataStreamName".into(), stream.into());
    Value::Object(bag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, s, text};

    fn parsed(path: &str) -> String {
        text(call_scalars(&parse_path(), vec![s(path)]))
    }

    #[test]
    fn docs_examples() {
        let cases = [
            (
                r"C:\temp\file.txt",
                r#"{"Scheme":"","RootPath":"C:","DirectoryPath":"C:\\temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":""}"#,
            ),
            (
                r"temp\file.txt",
                r#"{"Scheme":"","RootPath":"","DirectoryPath":"temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":""}"#,
            ),
            (
                "file://C:/temp/file.txt:some.exe",
                r#"{"Scheme":"file","RootPath":"C:","DirectoryPath":"C:/temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":"some.exe"}"#,
            ),
            (
                r"\\shared\users\temp\file.txt.gz",
                r#"{"Scheme":"","RootPath":"","DirectoryPath":"\\\\shared\\users\\temp","DirectoryName":"temp","Filename":"file.txt.gz","Extension":"gz","AlternateDataStreamName":""}"#,
            ),
            (
                "/usr/lib/temp/file.txt",
                r#"{"Scheme":"","RootPath":"","DirectoryPath":"/usr/lib/temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":""}"#,
            ),
        ];
        for (path, expected) in cases {
            assert_eq!(parsed(path), expected, "{path}");
        }
    }

    #[test]
    fn roots_and_bare_names_follow_dotnet_path() {
        let field = |path: &str, key: &str| -> String {
            let bag: Value = serde_json::from_str(&parsed(path)).expect("bag");
            bag[key].as_str().unwrap_or_default().to_string()
        };
        // Path.GetDirectoryName(@"C:\file.txt") is the root `C:\`, whose file name is "".
        assert_eq!(field(r"C:\file.txt", "DirectoryPath"), r"C:\");
        assert_eq!(field(r"C:\file.txt", "DirectoryName"), "");
        assert_eq!(field("/file.txt", "DirectoryPath"), "/");
        // Path.GetExtension: none for a name without a dot or ending with one.
        assert_eq!(field("README", "Extension"), "");
        assert_eq!(field("name.", "Extension"), "");
        assert_eq!(field("README", "DirectoryPath"), "");
        assert_eq!(field(r"\\?\C:\temp\a.log", "RootPath"), "C:");
        assert_eq!(field("", "Filename"), "");
    }
}
