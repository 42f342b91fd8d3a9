//! Watching storage containers (`az://ACCOUNT/CONTAINER[/PREFIX]` and the other URL forms
//! `torhunt hunt --data` takes, with the same credentials): each cycle lists the blobs under the URL
//! and keeps, per blob, its URL, size, ETag, the offset read up to and a hash of the few KiB before
//! it ([`crate::files::FileMark`]). New bytes are fetched with ranged GETs and streamed to the
//! staging folder, where they are read like new lines of a local file.
//!
//! An append blob (the Streaming API's `PT1H.json`) grows in place: its ETag changes, the bytes
//! already read do not. A blob whose bytes before the offset changed, or that shrank, was rewritten:
//! it is read again whole, and the alerts it gives again are not written twice (alert ids).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use torhunt_storage::{ByteSource, Lister, ObjectBlob, StorageUrl, Stores};

use crate::error::WatchError;
use crate::files::{BlobVersion, Listed, Piece};

/// Refuses a storage URL a watcher cannot watch.
pub(crate) fn check_url(url: &StorageUrl) -> Result<(), WatchError> {
    if url.is_pattern() {
        return Err(WatchError::Unsupported(format!(
            "--data {}: watch lists a container or a prefix in it; glob patterns in storage URLs are not \
             watched (give the prefix instead)",
            url.display()
        )));
    }
    Ok(())
}

/// The blobs under `url`, sorted by key, as the `index`-th root (a URL naming one blob gives that
/// blob). Hidden blobs (a `.name` folder or file, uploaders' temporary files) are left out, as in
/// local folders.
pub(crate) fn list(
    url: &StorageUrl,
    index: usize,
    stores: &Stores,
    listed: &mut Vec<Listed>,
) -> Result<(), WatchError> {
    check_url(url)?;
    let store = stores.store_for(url)?;
    // A lister of its own per cycle: a lister remembers its answers, and each cycle must see what
    // is new.
    let lister = Lister::new(store.clone(), url.object_prefix(), url.display());
    let mut blobs = lister.list_blocking(None)?;
    if blobs.is_empty()
        && let Some(blob) = lister.root_blob_blocking()?
    {
        blobs.push(blob);
    }
    for meta in blobs {
        let key = meta.location.as_ref().to_string();
        if key.split('/').any(|part| part.starts_with('.')) {
            continue;
        }
        let display = url.display_key(&key);
        listed.push(Listed {
            path: PathBuf::from(&display),
            relative: PathBuf::from(index.to_string()).join(&url.container).join(&key),
            root: index,
            source: ByteSource::Blob(Arc::new(ObjectBlob::new(store.clone(), &meta, display))),
            size: meta.size,
            modified: meta.last_modified.timestamp_nanos_opt(),
            blob: Some(BlobVersion {
                key,
                etag: meta.e_tag.clone(),
            }),
        });
    }
    Ok(())
}

/// The storage URL among `roots` that lists `path` as the blob `key` (`None` when none does any
/// more: the root was removed from `--data`).
pub(crate) fn root_listing(roots: &[PathBuf], path: &Path, key: &str) -> Option<StorageUrl> {
    roots.iter().find_map(|root| {
        let url = StorageUrl::parse(&root.to_string_lossy())?.ok()?;
        (Path::new(&url.display_key(key)) == path).then_some(url)
    })
}

/// Where a piece's bytes are read from, up to `readable_to`: its local file, or its blob through
/// the store (and credentials) of the `--data` URL that lists it.
pub(crate) fn piece_source(
    piece: &Piece,
    readable_to: u64,
    roots: &[PathBuf],
    stores: &Stores,
) -> Result<ByteSource, String> {
    let Some(key) = &piece.blob_key else {
        return Ok(ByteSource::Local(piece.path.clone()));
    };
    let url = root_listing(roots, &piece.path, key)
        .ok_or_else(|| format!("{}: no --data URL lists this blob any more", piece.path.display()))?;
    let store = stores.store_for(&url).map_err(|e| e.to_string())?;
    let blob = ObjectBlob::at_key(store, key, readable_to, piece.path.display().to_string())
        .map_err(|e| e.to_string())?;
    Ok(ByteSource::Blob(Arc::new(blob)))
}
