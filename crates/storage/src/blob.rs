//! Reading one blob: byte ranges fetched ahead in parallel, up to the length the blob had when it was
//! listed (an append blob still being written keeps growing; what was listed is what is read).

use std::collections::VecDeque;
use std::io::{self, Read};
use std::ops::Range;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectMeta, ObjectStoreExt};
use tokio::task::JoinHandle;

use crate::auth::Store;
use crate::error::{FailureKind, StorageError, describe, redact};
use crate::runtime;

/// A blob as listed: where it is and how long it was then.
#[derive(Debug)]
pub struct ObjectBlob {
    store: Store,
    location: ObjectPath,
    size: u64,
    /// The blob's URL as shown to the user (no query).
    display: String,
}

impl ObjectBlob {
    pub fn new(store: Store, meta: &ObjectMeta, display: String) -> ObjectBlob {
        ObjectBlob {
            store,
            location: meta.location.clone(),
            size: meta.size,
            display,
        }
    }

    /// A blob listed earlier, known by its key, to read its first `size` bytes (a watcher lists in
    /// one step and reads what it listed in a later one).
    pub fn at_key(store: Store, key: &str, size: u64, display: String) -> Result<ObjectBlob, StorageError> {
        let location = ObjectPath::parse(key).map_err(|e| StorageError::Url {
            url: display.clone(),
            message: format!("not a valid blob path: {e}"),
        })?;
        Ok(ObjectBlob {
            store,
            location,
            size,
            display,
        })
    }

    /// The blob's URL, for messages.
    pub fn display(&self) -> &str {
        &self.display
    }

    /// Its length when listed: reads stop there.
    pub fn size(&self) -> u64 {
        self.size
    }

    pub fn location(&self) -> &ObjectPath {
        &self.location
    }

    /// Bytes `range` (within the listed length), waiting for them.
    pub fn read_range(&self, range: Range<u64>) -> io::Result<Bytes> {
        let range = range.start.min(self.size)..range.end.min(self.size);
        if range.is_empty() {
            return Ok(Bytes::new());
        }
        let fetch = self.fetch(range);
        runtime::block_on(fetch).map_err(io::Error::from)
    }

    /// A reader from `start` to the listed length. Its first request is small (sniffing and sampling
    /// read a line or a few); once more is read, requests grow to the configured size and run ahead.
    /// Reading ahead stops at `expected_end` (where a byte-range partition ends): past it, only the
    /// line across the end is read, in small requests.
    pub fn reader(self: &Arc<Self>, start: u64, expected_end: Option<u64>) -> BlobReader {
        BlobReader {
            blob: Arc::clone(self),
            next: start.min(self.size),
            expected_end: expected_end.unwrap_or(self.size).min(self.size),
            chunk: FIRST_READ.min(self.store.info.read_chunk_bytes),
            reading_on: false,
            ahead: VecDeque::new(),
            current: Bytes::new(),
        }
    }

    /// One ranged GET (retried, see [`retrying`]). A listed append blob's bytes never change, so a
    /// body cut short is fetched again even once the blob has grown.
    fn fetch(&self, range: Range<u64>) -> impl Future<Output = Result<Bytes, StorageError>> + Send + 'static {
        let (store, location, display) = (self.store.clone(), self.location.clone(), self.display.clone());
        async move {
            let bytes = retrying(&store, &display, Request::Read, || {
                store.object_store.get_range(&location, range.clone())
            })
            .await?;
            if bytes.len() as u64 != range.end - range.start {
                return Err(StorageError::Request {
                    target: display,
                    kind: FailureKind::Changed,
                    message: format!(
                        "asked for bytes {}..{} and got {} bytes: the blob changed while it was read",
                        range.start,
                        range.end,
                        bytes.len()
                    ),
                });
            }
            Ok(bytes)
        }
    }
}

/// Runs a request, retrying what object_store does not (a connection broken while a body was read,
/// failures it cannot explain) with backoff until the store's retry time is spent. object_store has
/// already retried throttling (429/503), server errors and failed connections inside each attempt,
/// for the same time.
pub(crate) async fn retrying<T, F, Fut>(
    store: &Store,
    target: &str,
    request: Request,
    mut attempt: F,
) -> Result<T, StorageError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = object_store::Result<T>>,
{
    let started = Instant::now();
    let mut pause = Duration::from_millis(100);
    loop {
        match attempt().await {
            Ok(value) => return Ok(value),
            Err(error) => {
                // A broken connection, a server error or a failure without a status may pass; a
                // rejected request (400, 409, ...) will not.
                let failure = describe(&error);
                let transient = match failure.kind {
                    FailureKind::Connection => true,
                    FailureKind::Other => failure.status.is_none_or(|s| s >= 500),
                    _ => false,
                };
                if !transient || started.elapsed() + pause >= store.info.retry_timeout {
                    return Err(request_error(store, target, request, &error, started.elapsed()));
                }
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(5));
            }
        }
    }
}

/// What a failed request was doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Request {
    List,
    Read,
}

/// The user-facing error of a failed request.
pub(crate) fn request_error(
    store: &Store,
    target: &str,
    request: Request,
    error: &object_store::Error,
    elapsed: Duration,
) -> StorageError {
    let info = &store.info;
    let mut failure = describe(error);
    failure.detail = failure.detail.trim_end_matches('.').to_string();
    let code = failure.code.as_ref().map_or(String::new(), |c| format!(" {c}"));
    let status = failure
        .status
        .map_or(String::new(), |s| format!(" (HTTP {s}{code})"));
    let message = match failure.kind {
        FailureKind::Authentication => {
            let mut message = format!(
                "authentication failed{status} with {}: {}. Check the key or token, that a SAS token \
                 has not expired and allows read and list, or that the identity has a role such as \
                 Storage Blob Data Reader on {}",
                info.auth, failure.detail, info.place
            );
            if let Some(expiry) = &info.sas_expiry
                && chrono::DateTime::parse_from_rfc3339(expiry).is_ok_and(|t| t < chrono::Utc::now())
            {
                message = format!("authentication failed{status}: the SAS token expired at {expiry}");
            }
            message
        }
        FailureKind::NotFound => match (failure.code.as_deref(), request) {
            (Some("ContainerNotFound"), _) => format!("the container does not exist ({})", info.place),
            (_, Request::Read) => "the blob no longer exists (deleted since it was listed)".to_string(),
            (_, Request::List) => format!("not found{status}: {}", failure.detail),
        },
        FailureKind::Throttled => format!(
            "the storage service kept refusing requests{status}, still after retrying for {:.1?}; \
             the query stops rather than give a partial result",
            elapsed
        ),
        FailureKind::Connection => format!(
            "the connection to storage failed ({}), still after retrying for {:.1?}; the query stops \
             rather than give a partial result",
            failure.detail, elapsed
        ),
        FailureKind::Changed => {
            format!("the blob is shorter than when it was listed{status}: it was replaced, not appended to")
        }
        FailureKind::Other => format!("request failed{status}: {}", failure.detail),
    };
    StorageError::Request {
        target: target.to_string(),
        kind: failure.kind,
        message: redact(&message, &info.secrets),
    }
}

/// The first request of a reader, and every request past its expected end.
const FIRST_READ: u64 = 64 << 10;

/// Reads a blob sequentially while fetching the next ranges in parallel.
pub struct BlobReader {
    blob: Arc<ObjectBlob>,
    /// The first byte not yet requested.
    next: u64,
    /// Where the consumer expects to stop: no reading ahead beyond.
    expected_end: u64,
    /// Size of the next range to request.
    chunk: u64,
    /// Whether the consumer read past its first request (then requests run ahead).
    reading_on: bool,
    ahead: VecDeque<JoinHandle<Result<Bytes, StorageError>>>,
    current: Bytes,
}

impl BlobReader {
    fn request_more(&mut self) {
        let info = &self.blob.store.info;
        let depth = if self.reading_on { info.reads_ahead } else { 1 };
        while self.ahead.len() < depth && self.next < self.blob.size {
            let end = if self.next < self.expected_end {
                let end = self.next.saturating_add(self.chunk).min(self.expected_end);
                self.chunk = (self.chunk * 4).min(info.read_chunk_bytes);
                end
            } else if self.ahead.is_empty() {
                self.next.saturating_add(FIRST_READ).min(self.blob.size)
            } else {
                break;
            };
            self.ahead
                .push_back(runtime::spawn(self.blob.fetch(self.next..end)));
            self.next = end;
        }
    }
}

impl Read for BlobReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.current.is_empty() {
            self.request_more();
            let Some(next) = self.ahead.pop_front() else {
                return Ok(0);
            };
            self.current = runtime::wait(next)?;
            if self.reading_on {
                self.request_more();
            }
            self.reading_on = true;
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current.split_to(n));
        Ok(n)
    }
}

impl Drop for BlobReader {
    fn drop(&mut self) {
        // A reader dropped early (a `take`, a failed query) stops fetching.
        for handle in &self.ahead {
            handle.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use object_store::PutPayload;

    fn store(chunk: u64) -> Store {
        Store::in_memory(chunk, 3)
    }

    fn put(store: &Store, key: &str, data: Vec<u8>) -> ObjectMeta {
        let object_store = Arc::clone(&store.object_store);
        let path = ObjectPath::from(key);
        runtime::block_on(async move {
            object_store
                .put(&path, PutPayload::from(data))
                .await
                .expect("put");
            object_store.head(&path).await.expect("head")
        })
    }

    #[test]
    fn reads_every_byte_from_any_start_in_ranges_of_any_size() {
        for (chunk, length) in [
            (7, 5_000u64),
            (1000, 300_000),
            (65_536, 300_000),
            (1 << 20, 300_000),
        ] {
            let data: Vec<u8> = (0..length).map(|i| (i % 251) as u8).collect();
            let store = store(chunk);
            let meta = put(&store, "a/b.json", data.clone());
            let blob = Arc::new(ObjectBlob::new(store, &meta, "mem://a/b.json".into()));
            for start in [0, 1, 4_999, 65_535, 65_536, 299_999, 300_000].map(|s: u64| s.min(length)) {
                for expected_end in [None, Some(start + 10), Some(start + 100_000)] {
                    let mut read = Vec::new();
                    blob.reader(start, expected_end)
                        .read_to_end(&mut read)
                        .expect("reads");
                    assert_eq!(
                        read,
                        data[start as usize..],
                        "chunk {chunk}, {start}..{expected_end:?}"
                    );
                }
            }
            assert_eq!(blob.read_range(10..20).expect("range")[..], data[10..20]);
        }
    }

    #[test]
    fn a_grown_blob_is_read_up_to_its_listed_length() {
        let store = store(1000);
        let listed = put(&store, "PT1H.json", b"{\"a\":1}\n{\"a\":2".to_vec());
        let blob = Arc::new(ObjectBlob::new(store.clone(), &listed, "mem://PT1H.json".into()));
        put(&store, "PT1H.json", b"{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n".to_vec());
        let mut read = String::new();
        blob.reader(0, None).read_to_string(&mut read).expect("reads");
        assert_eq!(read, "{\"a\":1}\n{\"a\":2");
    }

    #[test]
    fn a_blob_gone_since_listing_is_a_clear_error() {
        let store = store(1000);
        let listed = put(&store, "x.json", vec![b'x'; 10]);
        let blob = Arc::new(ObjectBlob::new(store.clone(), &listed, "mem://x.json".into()));
        let object_store = Arc::clone(&store.object_store);
        runtime::block_on(async move {
            object_store
                .delete(&ObjectPath::from("x.json"))
                .await
                .expect("delete")
        });
        let error = blob
            .reader(0, None)
            .read_to_end(&mut Vec::new())
            .expect_err("gone");
        assert!(error.to_string().contains("no longer exists"), "{error}");
    }
}
