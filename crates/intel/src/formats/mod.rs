//! Parsers for the documents Tor relay intelligence comes in, and detection of which one a file is.
//!
//! Every parser reads a `BufRead` once, front to back, skips keywords it does not know, and reports
//! malformed input as [`IntelError::Parse`] naming the source, the line and the reason.

pub mod consensus;
pub mod onionoo;
pub mod plain_list;
pub mod tordnsel;
pub mod torrelayips_csv;

use std::fmt;
use std::io::BufRead;
use std::path::Path;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::{IntelError, Result};
use crate::model::Snapshot;

/// A document format, or `Auto` to detect it from the content (and the file name as a hint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Auto,
    /// Network-status consensus, full or microdesc flavour.
    Consensus,
    OnionooDetails,
    OnionooSummary,
    TorDnsel,
    /// One exit IP per line (the Tor bulk exit list, `*.tor-exit-nodes.lst`).
    ExitList,
    /// One relay IP per line (`*.tor-nodes.lst`).
    RelayList,
    TorRelayIpsCsv,
}

impl Format {
    pub const NAMES: [&'static str; 8] = [
        "auto",
        "consensus",
        "onionoo-details",
        "onionoo-summary",
        "tordnsel",
        "exit-list",
        "relay-list",
        "torrelayips-csv",
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Consensus => "consensus",
            Format::OnionooDetails => "onionoo-details",
            Format::OnionooSummary => "onionoo-summary",
            Format::TorDnsel => "tordnsel",
            Format::ExitList => "exit-list",
            Format::RelayList => "relay-list",
            Format::TorRelayIpsCsv => "torrelayips-csv",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let format = match text {
            "auto" => Format::Auto,
            "consensus" => Format::Consensus,
            "onionoo-details" => Format::OnionooDetails,
            "onionoo-summary" => Format::OnionooSummary,
            "tordnsel" => Format::TorDnsel,
            "exit-list" => Format::ExitList,
            "relay-list" => Format::RelayList,
            "torrelayips-csv" => Format::TorRelayIpsCsv,
            _ => {
                return Err(format!(
                    "unknown format {text:?}; expected one of {}",
                    Format::NAMES.join(", ")
                ));
            }
        };
        Ok(format)
    }
}

/// What a parser needs besides the bytes.
#[derive(Debug, Clone, Default)]
pub struct ParseContext {
    /// File name or URL, used in errors and recorded as the snapshot's source.
    pub source: String,
    /// The time of a document that does not carry its own (plain lists, CSV, undated exit lists).
    pub time: Option<DateTime<Utc>>,
}

impl ParseContext {
    /// A context for a file: an explicit time wins, otherwise a `YYYY-MM-DD` in the file name dates
    /// the document at midnight UTC.
    pub fn for_file(path: &Path, explicit_time: Option<DateTime<Utc>>) -> ParseContext {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        ParseContext {
            source: path.display().to_string(),
            time: explicit_time.or_else(|| date_in_name(&name)),
        }
    }

    pub(crate) fn required_time(&self, what: &str) -> Result<DateTime<Utc>> {
        self.time.ok_or_else(|| {
            IntelError::parse(
                &self.source,
                None,
                format!("{what} carries no time: give one (--at) or put a YYYY-MM-DD date in the file name"),
            )
        })
    }
}

/// The first `YYYY-MM-DD` in a file name, as midnight UTC.
fn date_in_name(name: &str) -> Option<DateTime<Utc>> {
    let bytes = name.as_bytes();
    (0..bytes.len().saturating_sub(9)).find_map(|start| {
        let candidate = name.get(start..start + 10)?;
        let shape_ok = candidate.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
        if !shape_ok {
            return None;
        }
        NaiveDate::parse_from_str(candidate, "%Y-%m-%d")
            .ok()?
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc())
    })
}

/// Detects the format from the first bytes of a document, with the file name as a tie-breaker for
/// plain lists (exit or all relays) and for empty documents.
pub fn detect(head: &[u8], file_name: &str) -> Option<Format> {
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}');
    let first_line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'));
    let name = file_name.to_ascii_lowercase();
    let list_by_name = || {
        if name.contains("exit") {
            Format::ExitList
        } else {
            Format::RelayList
        }
    };
    let Some(first_line) = first_line else {
        // Empty (or comments only): only the name can tell, and only for list files.
        return (name.ends_with(".lst") || name.contains("exit")).then(list_by_name);
    };
    let first_word = first_line.split_whitespace().next().unwrap_or("");
    if first_line.starts_with("@type network-status-consensus-3")
        || first_line.starts_with("@type network-status-microdesc-consensus-3")
        || first_line.starts_with("network-status-version 3")
    {
        return Some(Format::Consensus);
    }
    if first_line.starts_with("@type tordnsel") || matches!(first_word, "Downloaded" | "ExitNode") {
        return Some(Format::TorDnsel);
    }
    if first_line.starts_with('{') {
        // Details documents spell keys out; summary documents abbreviate them ("n", "f", "a").
        let summary = text.contains("\"f\":") || text.contains("\"f\" :");
        let details = text.contains("\"fingerprint\"");
        return Some(match (details, summary) {
            (true, _) => Format::OnionooDetails,
            (false, true) => Format::OnionooSummary,
            (false, false) if name.contains("summary") => Format::OnionooSummary,
            (false, false) => Format::OnionooDetails,
        });
    }
    if first_line.contains("Fingerprint") && first_line.contains("EntryAddress") {
        return Some(Format::TorRelayIpsCsv);
    }
    if first_line.parse::<std::net::IpAddr>().is_ok() {
        return Some(list_by_name());
    }
    None
}

/// Parses one document in the given format (detecting it first for [`Format::Auto`]). A document cut
/// short is refused like an empty one, never read as a smaller network: a consensus must reach its
/// footer and a signature, Onionoo JSON must be whole, and line-based documents (TorDNSEL, plain
/// lists, `TorRelayIPs.csv`) must end with a line break, as the Tor Project's always do (a cut inside
/// the last line would read `185.220.101.12` as `185.220.101.1`).
pub fn parse_document(reader: impl BufRead, format: Format, context: &ParseContext) -> Result<Snapshot> {
    let mut reader = TrackEnd::new(reader);
    let format = match format {
        Format::Auto => {
            let head = reader
                .fill_buf()
                .map_err(|e| IntelError::io(&context.source, e))?;
            let name = Path::new(&context.source)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned());
            detect(head, name.as_deref().unwrap_or(&context.source)).ok_or_else(|| {
                IntelError::parse(
                    &context.source,
                    None,
                    format!(
                        "cannot tell the document format; pass one of: {}",
                        Format::NAMES[1..].join(", ")
                    ),
                )
            })?
        }
        explicit => explicit,
    };
    let snapshot = match format {
        Format::Consensus => consensus::parse(&mut reader, context),
        Format::OnionooDetails | Format::OnionooSummary => onionoo::parse(&mut reader, context),
        Format::TorDnsel => tordnsel::parse(&mut reader, context),
        Format::ExitList => plain_list::parse(&mut reader, context, crate::model::SourceKind::ExitList),
        Format::RelayList => plain_list::parse(&mut reader, context, crate::model::SourceKind::RelayList),
        Format::TorRelayIpsCsv => torrelayips_csv::parse(&mut reader, context),
        Format::Auto => unreachable!("Auto was resolved above"),
    }?;
    let line_based = !matches!(
        format,
        Format::Consensus | Format::OnionooDetails | Format::OnionooSummary
    );
    if line_based && reader.last.is_some_and(|b| b != b'\n') {
        return Err(IntelError::parse(
            &context.source,
            None,
            "the last line has no line break: the document is cut short (Tor Project documents end \
             every line with one); it is refused rather than read as a smaller network",
        ));
    }
    Ok(snapshot)
}

/// A reader that remembers the last byte it handed out, to tell whether a document ended with a
/// line break.
struct TrackEnd<R> {
    inner: R,
    last: Option<u8>,
}

impl<R> TrackEnd<R> {
    fn new(inner: R) -> TrackEnd<R> {
        TrackEnd { inner, last: None }
    }
}

impl<R: BufRead> std::io::Read for TrackEnd<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        if read > 0 {
            self.last = Some(buf[read - 1]);
        }
        Ok(read)
    }
}

impl<R: BufRead> BufRead for TrackEnd<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        // The buffer holds at least `amount` bytes (the caller saw them), so this reads nothing.
        if amount > 0
            && let Ok(buffer) = self.inner.fill_buf()
            && let Some(&byte) = buffer.get(amount - 1)
        {
            self.last = Some(byte);
        }
        self.inner.consume(amount);
    }
}

/// Opens and parses a file.
pub fn parse_file(path: &Path, format: Format, explicit_time: Option<DateTime<Utc>>) -> Result<Snapshot> {
    let file = std::fs::File::open(path).map_err(|e| IntelError::io(path, e))?;
    parse_document(
        std::io::BufReader::new(file),
        format,
        &ParseContext::for_file(path, explicit_time),
    )
}

/// Lines with their 1-based numbers; a read error or invalid UTF-8 names the line.
pub(crate) fn numbered_lines<'a>(
    reader: impl BufRead + 'a,
    source: &'a str,
) -> impl Iterator<Item = Result<(u64, String)>> + 'a {
    reader.lines().enumerate().map(move |(index, line)| {
        let number = index as u64 + 1;
        line.map(|l| (number, l))
            .map_err(|e| IntelError::parse(source, Some(number), e.to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_date_undated_documents() {
        let t = date_in_name("2023-03-15.tor-nodes.lst").unwrap();
        assert_eq!(t.to_rfc3339(), "2023-03-15T00:00:00+00:00");
        assert_eq!(date_in_name("torbulkexitlist"), None);
        assert_eq!(date_in_name("2023-13-45.lst"), None);
    }

    #[test]
    fn detection_reads_first_lines_and_uses_the_name_for_lists() {
        assert_eq!(
            detect(b"@type tordnsel 1.0\nDownloaded 2018", "x"),
            Some(Format::TorDnsel)
        );
        assert_eq!(
            detect(b"network-status-version 3 microdesc\n", "x"),
            Some(Format::Consensus)
        );
        assert_eq!(
            detect(b"1.2.3.4\n", "a.tor-exit-nodes.lst"),
            Some(Format::ExitList)
        );
        assert_eq!(
            detect(b"# c\n2001:db8::1\n", "a.tor-nodes.lst"),
            Some(Format::RelayList)
        );
        assert_eq!(detect(b"", "2023-03-01.tor-nodes.lst"), Some(Format::RelayList));
        assert_eq!(detect(b"", "data.bin"), None);
        assert_eq!(
            detect(b"{\"relays\":[{\"n\":\"a\",\"f\":\"B\"}]}", "x"),
            Some(Format::OnionooSummary)
        );
        assert_eq!(detect(b"hello world", "x"), None);
    }
}
