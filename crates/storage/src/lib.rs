//! Where telemetry bytes come from: local files, or blobs in Azure Blob Storage and ADLS Gen2 (S3 and
//! GCS through the same crate) read with `object_store`.
//!
//! - [`StorageUrl`]: `az://`, `abfss://`, `https://<account>.blob.core.windows.net/`, `s3://`, `gs://`.
//! - [`object_store_for`]: the one function that builds a container's store from a URL and
//!   [`StorageSettings`] (credentials resolved as Azure tools do; secrets never printed).
//! - [`ByteSource`]: the seam readers use: open at an offset, read a range, know the length.
//! - [`Lister`]: listing pruned by a time window over the Streaming API's `y=/m=/d=/h=` folders.
//!
//! Requests run on a small runtime of their own, retried with backoff for a bounded time.

mod auth;
mod blob;
mod error;
mod layout;
mod listing;
mod runtime;
mod settings;
mod source;
mod url;

pub use auth::{Store, object_store_for};
pub use blob::{BlobReader, ObjectBlob};
pub use error::{FailureKind, Secret, StorageError};
pub use layout::DateParts;
pub use listing::{Keep, Lister};
pub use settings::{AzureAuth, Environment, StorageSettings};
pub use source::ByteSource;
pub use url::{Service, StorageUrl};

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The stores of one session, one per container, built on first use.
#[derive(Debug)]
pub struct Stores {
    settings: Arc<StorageSettings>,
    built: Mutex<HashMap<String, Store>>,
}

impl Stores {
    pub fn new(settings: StorageSettings) -> Stores {
        Stores {
            settings: Arc::new(settings),
            built: Mutex::new(HashMap::new()),
        }
    }

    pub fn settings(&self) -> &StorageSettings {
        &self.settings
    }

    /// The store of a URL's container.
    pub fn store_for(&self, url: &StorageUrl) -> Result<Store, StorageError> {
        let key = url.store_key();
        let mut built = self.built.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(store) = built.get(&key) {
            return Ok(store.clone());
        }
        let store = object_store_for(url, &self.settings)?;
        built.insert(key, store.clone());
        Ok(store)
    }
}
