//! `intel update`: download fresh documents and fold them into the store.
//!
//! Requests are conditional (the ETag / Last-Modified of the last accepted download is kept in
//! `http-cache.json` beside the store; 304 means unchanged), time-limited, retried a bounded number of
//! times, and bodies are size-limited. A body that fails, is cut short or does not parse changes
//! nothing: the store is only rewritten (atomically) after every document has been parsed and imported
//! in memory.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use reqwest::blocking::Client;
use reqwest::header::{ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
use serde::{Deserialize, Serialize};

use crate::error::{IntelError, Result};
use crate::formats::{Format, ParseContext, parse_document};
use crate::store::{ImportOptions, ImportOutcome, ImportReport, Store, write_atomically};

/// Running relays with their details, and the exit addresses check.torproject.org knows.
pub const DEFAULT_URLS: [&str; 2] = [
    "https://onionoo.torproject.org/details?type=relay&running=true",
    "https://check.torproject.org/torbulkexitlist",
];

/// Validators of the last accepted download per URL, beside the store.
pub const HTTP_CACHE_FILE: &str = "http-cache.json";

#[derive(Debug, Clone)]
pub struct UpdateOptions {
    pub urls: Vec<String>,
    /// Limit for one whole request, body included (a read in progress when it passes may take as long
    /// again).
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Tries per URL (at least 1); network errors, timeouts, cut bodies and 5xx answers are retried.
    pub attempts: u32,
    /// Pause before the first retry; doubled for each further one.
    pub retry_delay: Duration,
    /// Bodies larger than this are refused (the Onionoo details document is a few tens of MB).
    pub max_bytes: u64,
    /// Time given to documents that carry none (the bulk exit list); default: now.
    pub now: Option<DateTime<Utc>>,
    pub import: ImportOptions,
}

impl Default for UpdateOptions {
    fn default() -> Self {
        UpdateOptions {
            urls: DEFAULT_URLS.iter().map(|u| u.to_string()).collect(),
            timeout: Duration::from_secs(180),
            connect_timeout: Duration::from_secs(20),
            attempts: 3,
            retry_delay: Duration::from_secs(2),
            max_bytes: 256 << 20,
            now: None,
            import: ImportOptions::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchOutcome {
    /// Downloaded, parsed and offered to the store (which may still have rejected it).
    Fetched(ImportReport),
    /// The server answered 304: nothing new since the last accepted download.
    NotModified,
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlReport {
    pub url: String,
    pub outcome: FetchOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateReport {
    pub urls: Vec<UrlReport>,
    /// Whether the store file was rewritten.
    pub store_changed: bool,
}

impl UpdateReport {
    pub fn any_failed(&self) -> bool {
        self.urls
            .iter()
            .any(|u| matches!(u.outcome, FetchOutcome::Failed(_)))
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Validators {
    etag: Option<String>,
    last_modified: Option<String>,
}

/// Downloads every URL, imports what parses, and saves the store in `dir` if it changed.
pub fn update(dir: &Path, options: &UpdateOptions) -> Result<UpdateReport> {
    let _lock = Store::lock(dir)?;
    let mut store = Store::load(dir)?;
    let cache_path = dir.join(HTTP_CACHE_FILE);
    let mut cache: BTreeMap<String, Validators> = match std::fs::read(&cache_path) {
        // A damaged cache only costs a full download.
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_default(),
        Err(_) => BTreeMap::new(),
    };
    let client = Client::builder()
        .timeout(options.timeout)
        .connect_timeout(options.connect_timeout)
        .user_agent(concat!("torhunt/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| IntelError::InvalidArgument(format!("cannot set up the HTTP client: {e}")))?;

    let mut reports = Vec::new();
    let mut store_changed = false;
    for url in &options.urls {
        let outcome = match fetch(&client, url, cache.get(url), options) {
            Err(reason) => FetchOutcome::Failed(reason),
            Ok(None) => FetchOutcome::NotModified,
            Ok(Some((body, validators))) => {
                let context = ParseContext {
                    source: url.clone(),
                    time: Some(options.now.unwrap_or_else(Utc::now)),
                };
                match parse_document(body.as_slice(), Format::Auto, &context) {
                    Err(e) => FetchOutcome::Failed(e.to_string()),
                    Ok(snapshot) => {
                        let report = store.import(&snapshot, options.import);
                        match report.outcome {
                            ImportOutcome::Imported { .. } => {
                                store_changed = true;
                                cache.insert(url.clone(), validators);
                            }
                            ImportOutcome::AlreadyImported => {
                                cache.insert(url.clone(), validators);
                            }
                            // Not remembered: the next update downloads it again.
                            ImportOutcome::Rejected { .. } => {}
                        }
                        FetchOutcome::Fetched(report)
                    }
                }
            }
        };
        reports.push(UrlReport {
            url: url.clone(),
            outcome,
        });
    }
    if store_changed {
        store.save(dir)?;
    }
    // Written after the store: a crash in between costs a repeated download, never a missed one.
    let cache_json = serde_json::to_vec_pretty(&cache)
        .map_err(|e| IntelError::InvalidArgument(format!("cannot encode {HTTP_CACHE_FILE}: {e}")))?;
    write_atomically(&cache_path, &cache_json)?;
    Ok(UpdateReport {
        urls: reports,
        store_changed,
    })
}

/// One URL with retries: `Ok(None)` for 304, the complete body and its validators for 200.
fn fetch(
    client: &Client,
    url: &str,
    known: Option<&Validators>,
    options: &UpdateOptions,
) -> Result<Option<(Vec<u8>, Validators)>, String> {
    let attempts = options.attempts.max(1);
    let mut delay = options.retry_delay;
    let mut last_error = String::new();
    for attempt in 1..=attempts {
        match fetch_once(client, url, known, options) {
            Ok(answer) => return Ok(answer),
            Err(Attempt::Final(reason)) => return Err(reason),
            Err(Attempt::Retryable(reason)) => last_error = reason,
        }
        if attempt < attempts {
            std::thread::sleep(delay);
            delay *= 2;
        }
    }
    Err(format!("{last_error} (gave up after {attempts} attempts)"))
}

enum Attempt {
    Retryable(String),
    Final(String),
}

fn fetch_once(
    client: &Client,
    url: &str,
    known: Option<&Validators>,
    options: &UpdateOptions,
) -> Result<Option<(Vec<u8>, Validators)>, Attempt> {
    let (max_bytes, started) = (options.max_bytes, std::time::Instant::now());
    let mut request = client.get(url);
    if let Some(known) = known {
        if let Some(etag) = &known.etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        if let Some(last_modified) = &known.last_modified {
            request = request.header(IF_MODIFIED_SINCE, last_modified);
        }
    }
    let network = |e: reqwest::Error| {
        let what = if e.is_timeout() {
            "timed out"
        } else {
            "request failed"
        };
        Attempt::Retryable(format!("{what}: {}", error_chain(&e)))
    };
    let response = request.send().map_err(network)?;
    let status = response.status();
    if status == StatusCode::NOT_MODIFIED {
        return Ok(None);
    }
    if status.is_server_error() {
        return Err(Attempt::Retryable(format!("server answered {status}")));
    }
    if !status.is_success() {
        return Err(Attempt::Final(format!("server answered {status}")));
    }
    if let Some(length) = response.content_length()
        && length > max_bytes
    {
        return Err(Attempt::Final(format!(
            "document of {length} bytes exceeds the limit of {max_bytes}"
        )));
    }
    let validators = validators(response.headers());
    // The client's timeout bounds each read; the deadline bounds them all, so a server trickling
    // its body cannot keep the download alive.
    let mut body = Vec::new();
    let mut response = response.take(max_bytes + 1);
    let mut chunk = vec![0; 64 << 10];
    loop {
        let read = response.read(&mut chunk).map_err(|e| {
            let reason = match e
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<reqwest::Error>())
            {
                Some(inner) if inner.is_timeout() => {
                    format!("timed out reading the body: {}", error_chain(inner))
                }
                _ => format!("body cut short: {e}"),
            };
            Attempt::Retryable(reason)
        })?;
        if read == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..read]);
        if started.elapsed() > options.timeout {
            return Err(Attempt::Retryable(format!(
                "not complete within {} s, the limit for the whole download",
                options.timeout.as_secs()
            )));
        }
    }
    if body.len() as u64 > max_bytes {
        return Err(Attempt::Final(format!(
            "document exceeds the limit of {max_bytes} bytes"
        )));
    }
    Ok(Some((body, validators)))
}

fn validators(headers: &HeaderMap) -> Validators {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    Validators {
        etag: text(ETAG),
        last_modified: text(LAST_MODIFIED),
    }
}

/// reqwest's message plus its causes ("error sending request: connection refused ...").
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}
