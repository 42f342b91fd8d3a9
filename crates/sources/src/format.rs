//! The file layouts torhunt reads, told apart by their content (the extension only breaks ties for
//! empty files), and opening a file as a text stream whatever its compression.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use flate2::read::MultiGzDecoder;
use serde_json::Value;
use torhunt_file_map::FileMap;
use torhunt_storage::ByteSource;

use crate::error::{Result, SourceError};
use crate::read::LineReader;

/// A file layout. Its [`Format::id`] names it in plans so an executor elsewhere can rebuild the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// Streaming API to Event Hub: each line a message `{"records":[{category, properties, ...}]}`.
    EventHubJson,
    /// Streaming API to Storage: each line one record `{time, tenantId, category, properties, ...}`.
    StorageJson,
    /// Advanced Hunting portal "Export" CSV: ISO datetimes, header in projected order.
    PortalCsv,
    /// Sentinel / Log Analytics "Export to CSV": `Name [UTC]` headers, `M/D/YYYY, h:mm:ss AM` datetimes.
    SentinelCsv,
    /// One flat JSON object of columns per line.
    Ndjson,
    /// Typed Parquet (as `torhunt convert` writes it, or any Parquet with Kusto-compatible types).
    Parquet,
    /// Zeek conn, dns, ssl and http logs in Zeek's TSV layout (`#separator`, `#fields`, `#types`),
    /// mapped onto `DeviceNetworkEvents` (see `crate::mapped`).
    ZeekTsv,
    /// The same Zeek logs as JSON lines (`id.orig_h` or `id_orig_h` keys).
    ZeekJson,
    /// Suricata EVE JSON lines (flow, tls, dns, http, alert), mapped onto `DeviceNetworkEvents`.
    SuricataEve,
    /// Windows events (Sysmon, Security) as JSON lines: Security-Datasets' flat shape or Winlogbeat's.
    WindowsEventJson,
    /// Binary Windows event logs (`.evtx`: Sysmon, Security).
    Evtx,
}

impl Format {
    pub const ALL: [Format; 11] = [
        Format::EventHubJson,
        Format::StorageJson,
        Format::PortalCsv,
        Format::SentinelCsv,
        Format::Ndjson,
        Format::Parquet,
        Format::ZeekTsv,
        Format::ZeekJson,
        Format::SuricataEve,
        Format::WindowsEventJson,
        Format::Evtx,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Format::EventHubJson => "mde-eventhub-json",
            Format::StorageJson => "mde-storage-json",
            Format::PortalCsv => "mde-portal-csv",
            Format::SentinelCsv => "sentinel-csv",
            Format::Ndjson => "ndjson",
            Format::Parquet => "parquet",
            Format::ZeekTsv => "zeek-tsv",
            Format::ZeekJson => "zeek-json",
            Format::SuricataEve => "suricata-eve",
            Format::WindowsEventJson => "windows-event-json",
            Format::Evtx => "evtx",
        }
    }

    pub fn from_id(id: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.id() == id)
    }

    /// Line-delimited JSON layouts: a large uncompressed file can be split at line boundaries.
    pub(crate) fn is_json_lines(self) -> bool {
        matches!(self, Format::EventHubJson | Format::StorageJson | Format::Ndjson)
    }

    pub(crate) fn is_csv(self) -> bool {
        matches!(self, Format::PortalCsv | Format::SentinelCsv)
    }

    /// Records carry their table in `category` (`AdvancedHunting-<Table>`).
    pub(crate) fn has_envelope(self) -> bool {
        matches!(self, Format::EventHubJson | Format::StorageJson)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Compression {
    None,
    Gzip,
}

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const PARQUET_MAGIC: &[u8] = b"PAR1";
/// A binary Windows event log's file header.
const EVTX_MAGIC: &[u8] = b"ElfFile\0";
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
/// Bytes read at most to find the first line (an Event Hub message is at most 1 MB).
const FIRST_LINE_LIMIT: u64 = 4 << 20;
/// Sentinel's CSV export suffixes datetime column names with their time zone.
pub(crate) const SENTINEL_UTC_SUFFIX: &str = " [UTC]";

/// Tells a file's layout from its first bytes (and, for JSON, its first line).
pub fn sniff(path: &Path) -> Result<(Format, Compression)> {
    sniff_source(&ByteSource::Local(path.to_path_buf()))
}

/// [`sniff`] for a file on disk or a blob.
pub(crate) fn sniff_source(source: &ByteSource) -> Result<(Format, Compression)> {
    let path = source.name();
    let mut head = [0u8; 8];
    let read = read_prefix(source, &mut head)?;
    if head[..read].starts_with(PARQUET_MAGIC) {
        return Ok((Format::Parquet, Compression::None));
    }
    if head[..read].starts_with(EVTX_MAGIC) {
        return Ok((Format::Evtx, Compression::None));
    }
    let compression = if head[..read].starts_with(GZIP_MAGIC) {
        Compression::Gzip
    } else {
        Compression::None
    };
    // Bounded: a file with no line breaks must not be read whole just to be recognised.
    let mut reader = open_text(source, compression, 0, None)?.take(FIRST_LINE_LIMIT);
    let mut first_line = Vec::new();
    loop {
        first_line.clear();
        let n = reader
            .read_until(b'\n', &mut first_line)
            .map_err(|e| SourceError::io(path, e))?;
        if n == 0 || !first_line.trim_ascii().is_empty() {
            break;
        }
    }
    let line = first_line
        .strip_prefix(UTF8_BOM)
        .unwrap_or(&first_line)
        .trim_ascii();
    let format = if line.is_empty() {
        by_extension(path)
    } else if crate::mapped::is_zeek_tsv_header(line) {
        Format::ZeekTsv
    } else if line.starts_with(b"{") {
        json_layout(line)
    } else if line.contains(&0) {
        return Err(SourceError::UnsupportedFile {
            path: path.to_path_buf(),
            reason: "binary content that is neither gzip nor Parquet".to_string(),
        });
    } else if String::from_utf8_lossy(line).contains(SENTINEL_UTC_SUFFIX) {
        Format::SentinelCsv
    } else {
        Format::PortalCsv
    };
    Ok((format, compression))
}

fn read_prefix(source: &ByteSource, buffer: &mut [u8]) -> Result<usize> {
    let io_error = |e| SourceError::io(source.name(), e);
    let mut file = source.open(0).map_err(io_error)?;
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..]).map_err(io_error)? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// Which JSON layout a first line shows. A first line that is not valid JSON (a file cut short, or a
/// line longer than the sniffing limit) is judged by its keys.
fn json_layout(line: &[u8]) -> Format {
    let has = |key: &[u8]| line.windows(key.len()).any(|w| w == key);
    match serde_json::from_slice::<Value>(line) {
        Ok(Value::Object(object)) if object.get("records").is_some_and(Value::is_array) => {
            Format::EventHubJson
        }
        Ok(Value::Object(object)) if object.contains_key("category") && object.contains_key("properties") => {
            Format::StorageJson
        }
        Ok(Value::Object(object)) => crate::mapped::mapped_json_layout(&object).unwrap_or(Format::Ndjson),
        Ok(_) => Format::Ndjson,
        Err(_) if line.starts_with(br#"{"records""#) => Format::EventHubJson,
        Err(_) if has(br#""category":"#) && has(br#""properties":"#) => Format::StorageJson,
        Err(_) => Format::Ndjson,
    }
}

fn by_extension(path: &Path) -> Format {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    if name.ends_with(".csv") {
        Format::PortalCsv
    } else {
        Format::Ndjson
    }
}

/// Small enough to stay in a core's cache between the kernel's copy into it and the reader's pass over
/// it (a 1 MiB buffer made the copy a quarter of an Event Hub scan), large enough that system calls do
/// not count.
const BUFFER: usize = 256 << 10;

/// Opens a file as buffered text, decompressing gzip; `start` (uncompressed files only) seeks first.
/// A reader of a byte range gives its end: a blob is not read ahead beyond it.
pub(crate) fn open_text(
    source: &ByteSource,
    compression: Compression,
    start: u64,
    expected_end: Option<u64>,
) -> Result<Box<dyn BufRead + Send>> {
    let io_error = |e| SourceError::io(source.name(), e);
    Ok(match compression {
        Compression::None => Box::new(BufReader::with_capacity(
            BUFFER,
            source.open_expecting(start, expected_end).map_err(io_error)?,
        )),
        Compression::Gzip => Box::new(BufReader::with_capacity(
            BUFFER,
            MultiGzDecoder::new(source.open(0).map_err(io_error)?),
        )),
    })
}

/// [`open_text`] as lines. An uncompressed local file is mapped, from `start` to `expected_end` (or its
/// end), and read from there on: its lines are then slices of the file's pages, with no copy into a
/// buffer (docs/decisions.md, "Files are mapped, with the fault caught").
pub(crate) fn open_lines(
    source: &ByteSource,
    compression: Compression,
    start: u64,
    expected_end: Option<u64>,
) -> Result<LineReader<Box<dyn Read + Send>>> {
    if let Some((map, file)) = map_of(source, compression, start, expected_end)? {
        return Ok(LineReader::mapped(map, Box::new(file)));
    }
    Ok(LineReader::new(open_text(
        source,
        compression,
        start,
        expected_end,
    )?))
}

/// [`open_text`], read from a map where [`open_lines`] would map the file: reads copy from its
/// pages, without the kernel's copy and page-cache lookups of a `read` (a sixth of a CSV scan of
/// every record).
pub(crate) fn open_mapped_text(
    source: &ByteSource,
    compression: Compression,
    start: u64,
    expected_end: Option<u64>,
) -> Result<Box<dyn BufRead + Send>> {
    Ok(match map_of(source, compression, start, expected_end)? {
        Some((map, file)) => Box::new(MappedText {
            map,
            at: 0,
            rest: BufReader::with_capacity(BUFFER, file),
        }),
        None => open_text(source, compression, start, expected_end)?,
    })
}

/// A map of bytes `start..expected_end` (or to the end) of an uncompressed local file large enough to
/// be worth one, and the file, positioned at the map's end for what is read past it. `None`: read the
/// file instead (compressed, remote, small, or a file system that cannot map it).
fn map_of(
    source: &ByteSource,
    compression: Compression,
    start: u64,
    expected_end: Option<u64>,
) -> Result<Option<(FileMap, File)>> {
    /// Below this a map's system calls cost more than the copy they save.
    const SMALLEST_MAP: u64 = 4 * BUFFER as u64;
    let (ByteSource::Local(path), Compression::None) = (source, compression) else {
        return Ok(None);
    };
    let mut file = File::open(path).map_err(|e| SourceError::io(path, e))?;
    let size = file.metadata().map_err(|e| SourceError::io(path, e))?.len();
    let end = expected_end.map_or(size, |end| end.min(size));
    let length = end.saturating_sub(start);
    let map = match usize::try_from(length) {
        Ok(length) if length as u64 >= SMALLEST_MAP => FileMap::new(&file, start, length).ok().flatten(),
        _ => None,
    };
    let Some(map) = map else {
        return Ok(None);
    };
    file.seek(SeekFrom::Start(end))
        .map_err(|e| SourceError::io(path, e))?;
    Ok(Some((map, file)))
}

/// Text read from a map, then from the file past the map's end.
struct MappedText {
    map: FileMap,
    /// Where the next read starts in the map.
    at: usize,
    rest: BufReader<File>,
}

impl MappedText {
    /// A truncation while the map was read shows as zeros in place of the bytes cut off; it is told
    /// on the next read, and always before the map's end is passed.
    fn check_whole(&self) -> std::io::Result<()> {
        match self.map.cut_short() {
            true => Err(crate::read::cut_short()),
            false => Ok(()),
        }
    }
}

impl BufRead for MappedText {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.check_whole()?;
        let bytes = self.map.bytes();
        if self.at < bytes.len() {
            // A buffer's worth, as a reader would hand out: callers may copy all they are given.
            return Ok(&bytes[self.at..bytes.len().min(self.at + BUFFER)]);
        }
        self.rest.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        match self.at < self.map.bytes().len() {
            true => self.at += amount,
            false => self.rest.consume(amount),
        }
    }
}

impl Read for MappedText {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let bytes = self.map.bytes();
        if self.at < bytes.len() {
            let length = buf.len().min(bytes.len() - self.at);
            buf[..length].copy_from_slice(&bytes[self.at..self.at + length]);
            self.check_whole()?;
            self.at += length;
            return Ok(length);
        }
        self.check_whole()?;
        self.rest.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file of numbered lines, 3 MiB or so: large enough to be mapped.
    fn numbered_lines() -> (tempfile::NamedTempFile, Vec<u8>) {
        let text: Vec<u8> = (0..150_000)
            .flat_map(|i| format!("line {i:>12}\n").into_bytes())
            .collect();
        let mut file = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut file, &text).unwrap();
        (file, text)
    }

    #[test]
    fn mapped_text_reads_the_file_on_past_the_maps_end() {
        let (file, text) = numbered_lines();
        let source = ByteSource::Local(file.path().to_path_buf());
        let (start, end) = (1000, 2 << 20);
        assert!(
            map_of(&source, Compression::None, start, Some(end))
                .unwrap()
                .is_some()
        );
        let mut read = Vec::new();
        open_mapped_text(&source, Compression::None, start, Some(end))
            .unwrap()
            .read_to_end(&mut read)
            .unwrap();
        assert!(read == text[start as usize..], "read differs from the file");
        // Line by line through the buffer, lines across the map's end included.
        let mut reader = open_mapped_text(&source, Compression::None, start, Some(end)).unwrap();
        let mut lines = Vec::new();
        let mut line = Vec::new();
        while reader.read_until(b'\n', &mut line).unwrap() > 0 {
            lines.extend_from_slice(&line);
            line.clear();
        }
        assert!(lines == text[start as usize..], "lines differ from the file");
        // Compressed or small: read, not mapped.
        assert!(map_of(&source, Compression::Gzip, 0, None).unwrap().is_none());
        assert!(
            map_of(&source, Compression::None, 0, Some(4096))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn mapped_text_of_a_file_cut_short_fails_the_read() {
        let (file, _) = numbered_lines();
        let source = ByteSource::Local(file.path().to_path_buf());
        let mut reader = open_mapped_text(&source, Compression::None, 0, None).unwrap();
        let mut first = vec![0; 64 << 10];
        reader.read_exact(&mut first).unwrap();
        file.as_file().set_len(5000).unwrap();
        let error = reader.read_to_end(&mut Vec::new()).unwrap_err();
        assert_eq!(error.to_string(), "the file was cut short while it was read");
    }

    #[test]
    fn ids_round_trip() {
        for format in Format::ALL {
            assert_eq!(Format::from_id(format.id()), Some(format));
        }
        assert_eq!(Format::from_id("xml"), None);
    }

    #[test]
    fn json_layouts_are_told_apart_by_their_keys() {
        assert_eq!(json_layout(br#"{"records":[]}"#), Format::EventHubJson);
        assert_eq!(
            json_layout(br#"{"category":"x","properties":{}}"#),
            Format::StorageJson
        );
        assert_eq!(json_layout(br#"{"Timestamp":"2023-01-01"}"#), Format::Ndjson);
        assert_eq!(json_layout(br#"{"records":[{"#), Format::EventHubJson);
        assert_eq!(
            json_layout(br#"{"ts":1.5,"uid":"C1","id_orig_h":"10.0.0.1"}"#),
            Format::ZeekJson
        );
        assert_eq!(
            json_layout(br#"{"timestamp":"2011-08-12T14:52:57+0200","event_type":"dns","src_ip":"a"}"#),
            Format::SuricataEve
        );
    }
}
