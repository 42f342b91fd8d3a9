//! `externaldata`: the rows of a URL, offline by default.
//!
//! A URL's content comes, in this order, from an explicit mapping (`--externaldata URL=PATH`), from a
//! content provider that recognises it (the Tor intel store renders `TorRelayIPs.csv` itself), from the
//! local file system for `file://` URLs and plain paths only inside folders the user allowed
//! (`--allow-files DIR`: a shared rule must not read `/etc/shadow` into alert titles), and only when the
//! user allowed the network (`--allow-network`) from an HTTP(S) download, bounded in time and size and
//! cached on disk. Anything else is refused with an error that says how to supply it. Every source is
//! size-capped ([`MAX_LOCAL_BYTES`], [`NetworkAccess::max_bytes`]) and must be a regular file (a FIFO
//! or `/dev/zero` would block or never end).
//!
//! Values are converted the way Kusto ingests text: an empty field or one that does not parse as the
//! declared type is null, except for `string` columns, which are never null (`""`).

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use datafusion::arrow::array::{
    ArrayRef, BooleanBuilder, Decimal128Builder, DurationNanosecondBuilder, Float64Builder, Int32Builder,
    Int64Builder, StringBuilder, TimestampNanosecondBuilder,
};
use datafusion::arrow::datatypes::Schema;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::error::{DataFusionError, Result};
use kql_binder::catalog::Column;
use kql_planner::context::ExternalDataRequest;
use kql_types::{DECIMAL_PRECISION, DECIMAL_SCALE, KustoType, time};

/// Supplies the content of URLs it recognises (e.g. the intel store for the Tor relay list).
pub trait UrlContent: Send + Sync {
    /// The bytes behind `url`, `None` when this provider does not serve it.
    fn content(&self, url: &str) -> Option<Result<Vec<u8>>>;
}

/// The largest local file `externaldata` reads (mapped or inside an allowed folder), as for downloads.
pub const MAX_LOCAL_BYTES: u64 = 256 << 20;

/// Resolves `externaldata` URLs to rows.
#[derive(Default, Clone)]
pub struct ExternalData {
    mappings: HashMap<String, PathBuf>,
    providers: Vec<Arc<dyn UrlContent>>,
    network: Option<NetworkAccess>,
    /// Folders (canonical) whose files `file://` URLs and plain paths may read.
    allowed_dirs: Vec<PathBuf>,
}

/// Permission and limits for downloading `externaldata` URLs.
#[derive(Debug, Clone)]
pub struct NetworkAccess {
    /// Downloads are kept here, one file per URL, and reused while younger than `max_age`.
    pub cache_dir: PathBuf,
    pub max_age: Duration,
    /// The whole download, connection included, must finish within this time.
    pub timeout: Duration,
    /// A larger body is refused.
    pub max_bytes: u64,
}

impl NetworkAccess {
    /// Defaults for a hunt: a 60 s timeout, 256 MiB, and a cache valid for 12 hours (the seed rule's
    /// relay list is republished twice a day).
    pub fn with_cache_dir(cache_dir: PathBuf) -> NetworkAccess {
        NetworkAccess {
            cache_dir,
            max_age: Duration::from_secs(12 * 3600),
            timeout: Duration::from_secs(60),
            max_bytes: 256 << 20,
        }
    }
}

impl ExternalData {
    /// Serves `url` from a local file.
    pub fn map_url(&mut self, url: impl Into<String>, path: impl Into<PathBuf>) {
        self.mappings.insert(url.into(), path.into());
    }

    /// Adds a provider consulted for URLs without an explicit mapping.
    pub fn add_provider(&mut self, provider: Arc<dyn UrlContent>) {
        self.providers.push(provider);
    }

    /// Allows HTTP(S) downloads of URLs nothing else serves.
    pub fn allow_network(&mut self, access: NetworkAccess) {
        self.network = Some(access);
    }

    /// Lets `file://` URLs and plain paths read files inside `dir` (symbolic links are resolved first,
    /// so a link inside pointing outside is refused).
    pub fn allow_files(&mut self, dir: &Path) -> std::io::Result<()> {
        self.allowed_dirs.push(std::fs::canonicalize(dir)?);
        Ok(())
    }

    /// The rows of every URL of the request, typed by its declared columns.
    pub fn load(&self, request: &ExternalDataRequest) -> Result<Vec<RecordBatch>> {
        let format = TextFormat::from_options(&request.options)?;
        let skip_first = request
            .options
            .iter()
            .any(|(name, value)| name == "ignorefirstrecord" && value.eq_ignore_ascii_case("true"));
        let mut batches = Vec::with_capacity(request.uris.len());
        for uri in &request.uris {
            let bytes = self.fetch(uri)?;
            let records = format.records(&bytes, uri)?;
            let records = records.into_iter().skip(usize::from(skip_first));
            batches.push(typed_batch(&request.columns, records)?);
        }
        Ok(batches)
    }

    fn fetch(&self, uri: &str) -> Result<Vec<u8>> {
        if let Some(path) = self.mappings.get(uri) {
            return read_file(path, uri, MAX_LOCAL_BYTES);
        }
        for provider in &self.providers {
            if let Some(content) = provider.content(uri) {
                return content;
            }
        }
        if let Some(path) = uri.strip_prefix("file://") {
            return self.read_allowed(Path::new(path), uri);
        }
        if !uri.contains("://") {
            return self.read_allowed(Path::new(uri), uri);
        }
        let is_http = uri.starts_with("https://") || uri.starts_with("http://");
        match &self.network {
            Some(access) if is_http => download_cached(uri, access),
            _ => Err(DataFusionError::Plan(format!(
                "externaldata URL `{uri}` is not available offline; map it to a local copy with \
                 `--externaldata {uri}=PATH`, or allow downloads with `--allow-network`"
            ))),
        }
    }

    /// A local file named by the query itself: only inside an allowed folder.
    fn read_allowed(&self, path: &Path, uri: &str) -> Result<Vec<u8>> {
        let refused = || {
            DataFusionError::Plan(format!(
                "externaldata `{uri}`: reading local files is not allowed; allow the folder that holds \
                 it with `--allow-files DIR`, or map the URL with `--externaldata {uri}=PATH`"
            ))
        };
        if self.allowed_dirs.is_empty() {
            return Err(refused());
        }
        let canonical = std::fs::canonicalize(path).map_err(|e| {
            DataFusionError::Execution(format!("externaldata `{uri}`: {}: {e}", path.display()))
        })?;
        if !self.allowed_dirs.iter().any(|dir| canonical.starts_with(dir)) {
            return Err(refused());
        }
        read_file(&canonical, uri, MAX_LOCAL_BYTES)
    }
}

/// The body of `uri`, from the cache while fresh, else downloaded and cached (written atomically, so a
/// failed download never leaves a partial file to be reused).
fn download_cached(uri: &str, access: &NetworkAccess) -> Result<Vec<u8>> {
    use sha2::{Digest, Sha256};
    let key: String = Sha256::digest(uri.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let cached = access.cache_dir.join(key);
    let fresh = std::fs::metadata(&cached)
        .and_then(|m| m.modified())
        .is_ok_and(|modified| modified.elapsed().is_ok_and(|age| age < access.max_age));
    if fresh {
        return read_file(&cached, uri, access.max_bytes);
    }
    let body = download(uri, access)?;
    let failed = |e: std::io::Error| {
        DataFusionError::Execution(format!(
            "externaldata `{uri}`: caching in {}: {e}",
            access.cache_dir.display()
        ))
    };
    std::fs::create_dir_all(&access.cache_dir).map_err(failed)?;
    let partial = cached.with_extension("partial");
    std::fs::write(&partial, &body)
        .and_then(|()| std::fs::rename(&partial, &cached))
        .map_err(failed)?;
    Ok(body)
}

/// Downloads on a thread of its own (the planner runs inside the async runtime, where a blocking
/// client may not run), with one deadline for the whole download: connecting, the answer and every
/// byte of the body. A server that trickles its body cannot keep it alive.
fn download(uri: &str, access: &NetworkAccess) -> Result<Vec<u8>> {
    let (url, timeout, limit) = (uri.to_string(), access.timeout, access.max_bytes);
    let fetch = move || -> std::result::Result<Vec<u8>, String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        runtime.block_on(async {
            tokio::time::timeout(timeout, fetch_body(&url, timeout, limit))
                .await
                .unwrap_or_else(|_| {
                    Err(format!(
                        "not complete within {} s, the limit for the whole download",
                        timeout.as_secs_f64()
                    ))
                })
        })
    };
    std::thread::spawn(fetch)
        .join()
        .unwrap_or_else(|_| Err("the download thread failed".to_string()))
        .map_err(|reason| {
            DataFusionError::Execution(format!("externaldata `{uri}`: download failed: {reason}"))
        })
}

async fn fetch_body(url: &str, timeout: Duration, limit: u64) -> std::result::Result<Vec<u8>, String> {
    let too_large = || format!("the body is larger than the {limit}-byte limit");
    let client = reqwest::Client::builder()
        .connect_timeout(timeout)
        .build()
        .map_err(|e| e.to_string())?;
    let mut response = client.get(url).send().await.map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("the server answered {}", response.status()));
    }
    if response.content_length().is_some_and(|length| length > limit) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| e.to_string())? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Reads a regular file of at most `limit` bytes.
fn read_file(path: &Path, uri: &str, limit: u64) -> Result<Vec<u8>> {
    let failed = |reason: String| {
        DataFusionError::Execution(format!("externaldata `{uri}`: {}: {reason}", path.display()))
    };
    // Checked before opening too: opening a FIFO blocks until someone writes to it.
    let regular = |metadata: std::io::Result<std::fs::Metadata>| match metadata {
        Ok(m) if m.is_file() => Ok(m),
        Ok(_) => Err(failed("not a regular file".to_string())),
        Err(e) => Err(failed(e.to_string())),
    };
    regular(std::fs::metadata(path))?;
    let file = std::fs::File::open(path).map_err(|e| failed(e.to_string()))?;
    let metadata = regular(file.metadata())?;
    if metadata.len() > limit {
        return Err(failed(format!("larger than the {limit}-byte limit")));
    }
    let mut bytes = Vec::new();
    // The file may grow while it is read: the limit holds all the same.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| failed(e.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(failed(format!("larger than the {limit}-byte limit")));
    }
    Ok(bytes)
}

/// The `format` option of `externaldata`: delimited text, or one raw line per row.
enum TextFormat {
    Delimited(u8),
    Lines,
}

impl TextFormat {
    fn from_options(options: &[(String, String)]) -> Result<TextFormat> {
        let format = options
            .iter()
            .find(|(name, _)| name == "format")
            .map_or("csv", |(_, value)| value.as_str())
            .to_ascii_lowercase();
        match format.as_str() {
            "csv" => Ok(TextFormat::Delimited(b',')),
            "tsv" | "tsve" => Ok(TextFormat::Delimited(b'\t')),
            "scsv" => Ok(TextFormat::Delimited(b';')),
            "psv" => Ok(TextFormat::Delimited(b'|')),
            "sohsv" => Ok(TextFormat::Delimited(0x01)),
            "txt" | "raw" => Ok(TextFormat::Lines),
            other => Err(DataFusionError::NotImplemented(format!(
                "not supported yet: externaldata format `{other}` (supported: csv, tsv, scsv, psv, sohsv, txt)"
            ))),
        }
    }

    fn records(&self, bytes: &[u8], uri: &str) -> Result<Vec<Vec<String>>> {
        let text = String::from_utf8_lossy(bytes);
        match self {
            TextFormat::Lines => Ok(text.lines().map(|line| vec![line.to_string()]).collect()),
            TextFormat::Delimited(delimiter) => {
                let mut reader = csv::ReaderBuilder::new()
                    .delimiter(*delimiter)
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(text.as_bytes());
                reader
                    .records()
                    .enumerate()
                    .map(|(index, record)| {
                        record
                            .map(|r| r.iter().map(str::to_string).collect())
                            .map_err(|e| {
                                DataFusionError::Execution(format!(
                                    "externaldata `{uri}` record {}: {e}",
                                    index + 1
                                ))
                            })
                    })
                    .collect()
            }
        }
    }
}

/// Builds one batch with the declared columns from text records; field `i` feeds column `i`.
fn typed_batch(columns: &[Column], records: impl Iterator<Item = Vec<String>>) -> Result<RecordBatch> {
    let records: Vec<Vec<String>> = records.collect();
    let arrays = columns
        .iter()
        .enumerate()
        .map(|(index, column)| {
            let fields = records
                .iter()
                .map(|record| record.get(index).map_or("", String::as_str));
            text_column(column.ty, fields)
        })
        .collect::<Vec<_>>();
    let schema = Schema::new(columns.iter().map(|c| c.ty.field(&c.name)).collect::<Vec<_>>());
    RecordBatch::try_new(Arc::new(schema), arrays).map_err(DataFusionError::from)
}

/// Converts text fields to a column of a Kusto type (unparseable or empty -> null; strings never null).
pub fn text_column<'a>(ty: KustoType, fields: impl Iterator<Item = &'a str>) -> ArrayRef {
    macro_rules! build {
        ($builder:expr, $parse:expr) => {{
            let mut builder = $builder;
            for field in fields {
                builder.append_option($parse(field));
            }
            Arc::new(builder.finish()) as ArrayRef
        }};
    }
    match ty {
        // Strings keep their text as written; every other type ignores surrounding blanks.
        KustoType::String => build!(StringBuilder::new(), |f: &str| Some(f.to_string())),
        KustoType::Guid => build!(StringBuilder::new(), |f: &str| parse_guid(f)),
        KustoType::Dynamic => build!(StringBuilder::new(), |f: &str| parse_dynamic(f)),
        KustoType::Bool => build!(BooleanBuilder::new(), parse_bool),
        KustoType::Int => build!(Int32Builder::new(), |f: &str| f.trim().parse::<i32>().ok()),
        KustoType::Long => build!(Int64Builder::new(), |f: &str| f.trim().parse::<i64>().ok()),
        KustoType::Real => build!(Float64Builder::new(), |f: &str| f.trim().parse::<f64>().ok()),
        KustoType::Decimal => build!(
            Decimal128Builder::new()
                .with_precision_and_scale(DECIMAL_PRECISION, DECIMAL_SCALE)
                .expect("38, 18 is a valid decimal precision and scale"),
            parse_decimal
        ),
        KustoType::DateTime => build!(TimestampNanosecondBuilder::new(), time::parse_datetime),
        KustoType::TimeSpan => build!(DurationNanosecondBuilder::new(), time::parse_timespan),
    }
}

fn parse_bool(field: &str) -> Option<bool> {
    match field.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

fn parse_guid(field: &str) -> Option<String> {
    let hex: String = field.trim().chars().filter(|c| *c != '-').collect();
    (hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit())).then(|| {
        let h = hex.to_ascii_lowercase();
        format!(
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        )
    })
}

/// A dynamic field is JSON when it parses as JSON, otherwise the text itself as a JSON string.
fn parse_dynamic(field: &str) -> Option<String> {
    let field = field.trim();
    if field.is_empty() {
        return None;
    }
    let value = serde_json::from_str::<serde_json::Value>(field)
        .unwrap_or_else(|_| serde_json::Value::String(field.to_string()));
    Some(value.to_string())
}

fn parse_decimal(field: &str) -> Option<i128> {
    let field = field.trim();
    let (whole, fraction) = field.split_once('.').unwrap_or((field, ""));
    let scale = DECIMAL_SCALE as usize;
    if fraction.len() > scale || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let negative = whole.starts_with('-');
    let digits = format!("{}{fraction:0<scale$}", whole.trim_start_matches(['-', '+']));
    let magnitude: i128 = digits.parse().ok()?;
    Some(if negative { -magnitude } else { magnitude })
}
