//! Telemetry in object storage. A URL is listed at discovery and its blobs read like files, except
//! over the Streaming API's hourly layout (`.../y=YYYY/m=MM/d=DD/h=HH/...`), which is listed when a
//! query runs, only in the folders its time window can need ([`HourlyListing`]).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use futures::{StreamExt, TryStreamExt};
use object_store::ObjectMeta;
use torhunt_storage::{ByteSource, Keep, Lister, ObjectBlob, StorageUrl, Store, Stores};

use crate::error::{Result, SourceError};
use crate::examine::{Examined, examine, is_data_file, table_from_path};
use crate::format::Format;
use crate::read::SourceFile;

/// Blobs examined at once when a scan lists new ones (each costs a small read to learn its layout).
const CONCURRENT_EXAMINES: usize = 16;

/// What a storage URL expands to.
pub(crate) enum Remote {
    /// Blobs to read as files, named by their URLs.
    Blobs(Vec<(PathBuf, ByteSource)>),
    /// The one blob the URL names (read whatever its name, as a file named on its own).
    Blob(PathBuf, ByteSource),
    Hourly(Arc<HourlyListing>),
}

/// Lists a URL: the hourly layout is left to the scans, anything else is listed now (a glob pattern
/// keeps the blobs whose key, or one of whose folders, it matches).
pub(crate) fn expand_url(
    url: StorageUrl,
    table: Option<String>,
    stores: &Stores,
    skipped: &mut Vec<PathBuf>,
) -> Result<Remote> {
    let store = stores.store_for(&url)?;
    let lister = Lister::new(store.clone(), url.object_prefix(), url.display());
    if !url.is_pattern() && lister.is_hourly_blocking()? {
        return Ok(Remote::Hourly(Arc::new(HourlyListing {
            lister,
            store,
            url,
            table,
            known: Mutex::new(HashMap::new()),
            sampled_format: OnceLock::new(),
        })));
    }
    let pattern = url
        .is_pattern()
        .then(|| glob::Pattern::new(&url.prefix))
        .transpose()
        .map_err(|e| SourceError::Pattern {
            pattern: url.display(),
            reason: e.to_string(),
        })?;
    let mut found = Vec::new();
    for meta in lister.list_blocking(None)? {
        let key = meta.location.as_ref();
        if pattern.as_ref().is_some_and(|p| !matches_key_or_folder(p, key)) {
            continue;
        }
        let name = PathBuf::from(url.display_key(key));
        if is_data_file(key) {
            found.push((name, blob(&store, &url, &meta)));
        } else {
            skipped.push(name);
        }
    }
    if found.is_empty()
        && !url.is_pattern()
        && let Some(meta) = lister.root_blob_blocking()?
    {
        return Ok(Remote::Blob(
            PathBuf::from(url.display()),
            blob(&store, &url, &meta),
        ));
    }
    if found.is_empty() {
        return Err(SourceError::NothingFound {
            pattern: url.display(),
        });
    }
    Ok(Remote::Blobs(found))
}

fn blob(store: &Store, url: &StorageUrl, meta: &ObjectMeta) -> ByteSource {
    let display = url.display_key(meta.location.as_ref());
    ByteSource::Blob(Arc::new(ObjectBlob::new(store.clone(), meta, display)))
}

/// Whether a glob pattern matches a key, or one of the folders above it (as a local glob naming a
/// folder takes the files below it).
fn matches_key_or_folder(pattern: &glob::Pattern, key: &str) -> bool {
    let options = glob::MatchOptions {
        require_literal_separator: true,
        ..glob::MatchOptions::new()
    };
    let mut prefix = key;
    loop {
        if pattern.matches_with(prefix, options) {
            return true;
        }
        match prefix.rsplit_once('/') {
            Some((folder, _)) => prefix = folder,
            None => return false,
        }
    }
}

/// Blobs under a URL over the hourly layout, listed by each scan for its time window (folders and
/// examined blobs are remembered, so a hunt's rules list and examine each once).
#[derive(Debug)]
pub(crate) struct HourlyListing {
    lister: Arc<Lister>,
    store: Store,
    url: StorageUrl,
    /// A `NAME=URL` mapping's table.
    table: Option<String>,
    /// Blobs examined so far, by key (examined again once grown).
    known: Mutex<HashMap<String, Arc<SourceFile>>>,
    /// The layout of the sampled blob.
    sampled_format: OnceLock<Format>,
}

impl HourlyListing {
    /// The table every blob belongs to: mapped, or named by the container (`insights-logs-...`).
    pub fn table(&self) -> Option<String> {
        self.table
            .clone()
            .or_else(|| table_from_path(&PathBuf::from(self.url.display())))
    }

    /// A blob of the newest hour, examined, to learn the table's columns from (none when the newest
    /// hour has no data blob yet).
    pub fn newest_sample(&self) -> Result<Option<Examined>> {
        let newest = self.lister.newest_blocking()?;
        let candidate = newest
            .iter()
            .filter(|m| m.size > 0 && is_data_file(m.location.as_ref()))
            .max_by_key(|m| m.size);
        let examined = candidate.map(|meta| self.examine(meta)).transpose()?;
        if let Some(examined) = &examined {
            let _ = self.sampled_format.set(examined.file.format);
        }
        Ok(examined)
    }

    /// Whether its records come in Streaming API envelopes: the sampled blob's do, and before any
    /// blob was sampled the hourly layout is the Streaming API's.
    pub fn has_envelope(&self) -> bool {
        self.sampled_format.get().is_none_or(|f| f.has_envelope())
    }

    fn examine(&self, meta: &ObjectMeta) -> Result<Examined> {
        let name = PathBuf::from(self.url.display_key(meta.location.as_ref()));
        examine(name, blob(&self.store, &self.url, meta), self.table.clone())
    }

    /// The data blobs of the folders `keep` allows (every folder for `None`), examined.
    pub async fn files(self: &Arc<Self>, keep: Option<Keep>) -> Result<Vec<Arc<SourceFile>>> {
        let listed = self.lister.list(keep).await?;
        let mut files = Vec::new();
        let mut new = Vec::new();
        {
            let known = self.known.lock().unwrap_or_else(|e| e.into_inner());
            for meta in listed.into_iter().filter(|m| is_data_file(m.location.as_ref())) {
                match known.get(meta.location.as_ref()) {
                    Some(file) if file.size == meta.size => files.push(Arc::clone(file)),
                    _ => new.push(meta),
                }
            }
        }
        let examined: Vec<(ObjectMeta, Arc<SourceFile>)> = futures::stream::iter(new)
            .map(|meta| {
                let listing = Arc::clone(self);
                async move {
                    tokio::task::spawn_blocking(move || {
                        let file = listing.examine(&meta)?.file;
                        Ok::<_, SourceError>((meta, file))
                    })
                    .await
                    .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
                }
            })
            .buffer_unordered(CONCURRENT_EXAMINES)
            .try_collect()
            .await?;
        let mut known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        for (meta, file) in examined {
            known.insert(meta.location.to_string(), Arc::clone(&file));
            files.push(file);
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// Every blob examined so far.
    pub fn known_files(&self) -> Vec<Arc<SourceFile>> {
        let mut files: Vec<Arc<SourceFile>> = self
            .known
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .cloned()
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}
