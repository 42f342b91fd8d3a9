//! Listing a prefix of a store, pruned by time over the `y=/m=/d=/h=` layout: a folder whose time
//! cannot hold rows of the query's window is never listed, a folder wholly inside it is listed in one
//! recursive listing, and every answer is remembered so a hunt's many rules list each folder once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures::{StreamExt, TryStreamExt};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectMeta, ObjectStoreExt};

use crate::auth::Store;
use crate::blob::{Request, retrying};
use crate::error::{FailureKind, StorageError};
use crate::layout::DateParts;
use crate::runtime;

const HOUR_NANOS: i64 = 3600 * 1_000_000_000;
/// Folders listed at once.
const CONCURRENT_LISTINGS: usize = 16;

/// Which times a query can need: `keep(start, end)` says whether a folder covering `[start, end)` (ns
/// since the epoch) may hold matching rows. It must be monotonic: keeping two hours keeps the hours
/// between them.
pub type Keep = Arc<dyn Fn(i64, i64) -> bool + Send + Sync>;

/// One folder's answer: its blobs and its subfolders (or, listed recursively, every blob below).
#[derive(Debug, Default)]
struct Listed {
    objects: Vec<ObjectMeta>,
    folders: Vec<ObjectPath>,
}

/// A listing asked for: recursive or not, and of which folder (`None` is the root).
type ListingKey = (bool, Option<ObjectPath>);

/// Lists under one prefix of one store, remembering answers for its lifetime (one command lists a folder
/// once; `torhunt watch` makes a lister per cycle, to see what is new).
#[derive(Debug)]
pub struct Lister {
    store: Store,
    root: Option<ObjectPath>,
    /// How the root is shown in errors.
    display: String,
    cache: Mutex<HashMap<ListingKey, Arc<Listed>>>,
    /// Listing requests made (for tests and benchmarks: pruning at work).
    requests: Mutex<u64>,
}

impl Lister {
    pub fn new(store: Store, root: Option<ObjectPath>, display: String) -> Arc<Lister> {
        Arc::new(Lister {
            store,
            root,
            display,
            cache: Mutex::new(HashMap::new()),
            requests: Mutex::new(0),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Listing requests made so far.
    pub fn requests(&self) -> u64 {
        *self.requests.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every blob under the root (`keep: None`), or under the folders `keep` allows; sorted by key.
    pub async fn list(self: &Arc<Self>, keep: Option<Keep>) -> Result<Vec<ObjectMeta>, StorageError> {
        let lister = Arc::clone(self);
        runtime::run(async move { lister.list_pruned(keep).await }).await
    }

    /// [`Lister::list`], waiting on the calling (non-async) thread.
    pub fn list_blocking(self: &Arc<Self>, keep: Option<Keep>) -> Result<Vec<ObjectMeta>, StorageError> {
        let lister = Arc::clone(self);
        runtime::block_on(async move { lister.list_pruned(keep).await })
    }

    /// The blob the root itself names (a URL naming one blob), if there is one.
    pub fn root_blob_blocking(self: &Arc<Self>) -> Result<Option<ObjectMeta>, StorageError> {
        let lister = Arc::clone(self);
        runtime::block_on(async move {
            let Some(root) = lister.root.clone() else {
                return Ok(None);
            };
            let store = &lister.store.object_store;
            match retrying(&lister.store, &lister.display, Request::Read, || {
                store.head(&root)
            })
            .await
            {
                Ok(meta) => Ok(Some(meta)),
                Err(error) if error.kind() == Some(FailureKind::NotFound) => Ok(None),
                Err(error) => Err(error),
            }
        })
    }

    /// Whether the root is (inside) the hourly layout: it names a date folder, or it or one of its
    /// first `key=value` subfolders (`tenantId=...`) holds `y=` folders.
    pub fn is_hourly_blocking(self: &Arc<Self>) -> Result<bool, StorageError> {
        let lister = Arc::clone(self);
        runtime::block_on(async move {
            let root_parts = lister.root_parts();
            if !root_parts.is_empty() {
                return Ok(true);
            }
            let top = lister.list_folder(false, lister.root.clone()).await?;
            let mut candidates = vec![Arc::clone(&top)];
            for folder in top.folders.iter().filter(|f| is_key_value(f)).take(3) {
                candidates.push(lister.list_folder(false, Some(folder.clone())).await?);
            }
            Ok(candidates.iter().any(|listed| {
                listed
                    .folders
                    .iter()
                    .any(|f| root_parts.with_segment(last_segment(f)).is_some())
            }))
        })
    }

    /// The blobs of the newest hour folder (following the greatest `y=`, `m=`, `d=`, `h=` down), to
    /// learn a table's columns from.
    pub fn newest_blocking(self: &Arc<Self>) -> Result<Vec<ObjectMeta>, StorageError> {
        let lister = Arc::clone(self);
        runtime::block_on(async move {
            let (mut folder, mut parts) = (lister.root.clone(), lister.root_parts());
            for _ in 0..16 {
                if parts.is_hour() {
                    return Ok(lister.list_folder(true, folder).await?.objects.clone());
                }
                let listed = lister.list_folder(false, folder.clone()).await?;
                let newest_date = listed
                    .folders
                    .iter()
                    .filter_map(|f| Some((parts.with_segment(last_segment(f))?, f)))
                    .max_by_key(|(p, _)| p.span().map(|(start, _)| start));
                match newest_date {
                    Some((next, f)) => (folder, parts) = (Some(f.clone()), next),
                    None => match listed.folders.iter().max() {
                        Some(f) if listed.objects.is_empty() => folder = Some(f.clone()),
                        _ => return Ok(listed.objects.clone()),
                    },
                }
            }
            Ok(Vec::new())
        })
    }

    fn root_parts(&self) -> DateParts {
        self.root.as_ref().map_or_else(DateParts::default, |root| {
            DateParts::of_segments(root.as_ref().split('/'))
        })
    }

    async fn list_pruned(&self, keep: Option<Keep>) -> Result<Vec<ObjectMeta>, StorageError> {
        let root_parts = self.root_parts();
        let Some(keep) = keep.filter(|_| !root_parts.is_hour()) else {
            return Ok(self.list_folder(true, self.root.clone()).await?.objects.clone());
        };
        let covers = |parts: &DateParts| parts.span().is_none_or(|(start, end)| keep(start, end));
        let whole = |parts: &DateParts| {
            parts
                .span()
                .is_some_and(|(start, end)| keep(start, start + HOUR_NANOS) && keep(end - HOUR_NANOS, end))
        };
        let mut objects = Vec::new();
        let mut recursive: Vec<Option<ObjectPath>> = Vec::new();
        let mut frontier: Vec<(Option<ObjectPath>, DateParts)> = Vec::new();
        match (covers(&root_parts), whole(&root_parts)) {
            (false, _) => return Ok(Vec::new()),
            (true, true) => recursive.push(self.root.clone()),
            (true, false) => frontier.push((self.root.clone(), root_parts)),
        }
        while !frontier.is_empty() {
            let listed: Vec<(Arc<Listed>, DateParts)> = futures::stream::iter(frontier.drain(..))
                .map(|(folder, parts)| async move {
                    Ok::<_, StorageError>((self.list_folder(false, folder).await?, parts))
                })
                .buffer_unordered(CONCURRENT_LISTINGS)
                .try_collect()
                .await?;
            for (answer, parts) in listed {
                objects.extend(answer.objects.iter().cloned());
                for folder in &answer.folders {
                    match parts.with_segment(last_segment(folder)) {
                        Some(next) if !covers(&next) => {}
                        Some(next) if next.is_hour() || whole(&next) => recursive.push(Some(folder.clone())),
                        Some(next) => frontier.push((Some(folder.clone()), next)),
                        // Not a date folder (`tenantId=`, the minute's `m=00`): what is below has the
                        // same time as here.
                        None if !parts.is_empty() && whole(&parts) => recursive.push(Some(folder.clone())),
                        None => frontier.push((Some(folder.clone()), parts)),
                    }
                }
            }
        }
        let below: Vec<Arc<Listed>> = futures::stream::iter(recursive)
            .map(|folder| self.list_folder(true, folder))
            .buffer_unordered(CONCURRENT_LISTINGS)
            .try_collect()
            .await?;
        objects.extend(below.iter().flat_map(|l| l.objects.iter().cloned()));
        objects.sort_by(|a, b| a.location.cmp(&b.location));
        objects.dedup_by(|a, b| a.location == b.location);
        Ok(objects)
    }

    /// One folder's listing (with `/` as delimiter, or recursive), from the cache when known.
    async fn list_folder(
        &self,
        recursive: bool,
        folder: Option<ObjectPath>,
    ) -> Result<Arc<Listed>, StorageError> {
        let key = (recursive, folder.clone());
        if let Some(known) = self.cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Ok(Arc::clone(known));
        }
        *self.requests.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        let store = &self.store.object_store;
        let target = match &folder {
            Some(f) if !self.display.ends_with(f.as_ref()) => format!("{} (listing {f})", self.display),
            _ => self.display.clone(),
        };
        let answer = retrying(&self.store, &target, Request::List, || async {
            if recursive {
                let objects = store
                    .list(folder.as_ref())
                    .try_collect::<Vec<ObjectMeta>>()
                    .await?;
                Ok(Listed {
                    objects,
                    folders: Vec::new(),
                })
            } else {
                let result = store.list_with_delimiter(folder.as_ref()).await?;
                Ok(Listed {
                    objects: result.objects,
                    folders: result.common_prefixes,
                })
            }
        })
        .await?;
        let answer = Arc::new(answer);
        self.cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, Arc::clone(&answer));
        Ok(answer)
    }
}

fn last_segment(path: &ObjectPath) -> &str {
    path.filename().unwrap_or_default()
}

fn is_key_value(path: &ObjectPath) -> bool {
    last_segment(path).contains('=')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::tests::nanos;
    use object_store::{ObjectStoreExt, PutPayload};

    /// A year of hourly folders (2023-06-01 .. 2024-06-01), one blob each, and one stray file.
    fn fleet() -> Store {
        let store = Store::in_memory(1 << 20, 2);
        let object_store = Arc::clone(&store.object_store);
        runtime::block_on(async move {
            let mut hour = chrono::DateTime::parse_from_rfc3339("2023-06-01T00:00:00Z").expect("start");
            let end = chrono::DateTime::parse_from_rfc3339("2024-06-01T00:00:00Z").expect("end");
            while hour < end {
                let key = hour
                    .format("tenantId=t/y=%Y/m=%m/d=%d/h=%H/m=00/PT1H.json")
                    .to_string();
                object_store
                    .put(&ObjectPath::from(key), PutPayload::from_static(b"{}\n"))
                    .await
                    .expect("put");
                hour += chrono::Duration::hours(1);
            }
            object_store
                .put(
                    &ObjectPath::from("tenantId=t/readme.json"),
                    PutPayload::from_static(b"{}\n"),
                )
                .await
                .expect("put");
        });
        store
    }

    fn window(earliest: &str, latest: &str) -> Keep {
        let (earliest, latest) = (nanos(earliest), nanos(latest));
        Arc::new(move |start, end| end > earliest && start <= latest)
    }

    fn hours(objects: &[ObjectMeta]) -> Vec<i64> {
        objects
            .iter()
            .filter_map(|o| DateParts::of_segments(o.location.as_ref().split('/')).hour_start())
            .collect()
    }

    #[test]
    fn a_day_long_window_lists_a_handful_of_folders_out_of_a_year() {
        let store = fleet();
        let lister = Lister::new(store, None, "mem://".into());
        let keep = window("2024-02-28T23:30:00Z", "2024-03-01T00:00:00Z");
        let found = lister.list_blocking(Some(keep.clone())).expect("lists");
        let expected: Vec<i64> = (0..25)
            .map(|h| nanos("2024-02-28T23:00:00Z") + h * HOUR_NANOS)
            .chain([nanos("2024-03-01T00:00:00Z")])
            .collect();
        assert_eq!(hours(&found), expected);
        assert!(
            found
                .iter()
                .any(|o| o.location.as_ref() == "tenantId=t/readme.json")
        );
        let requests = lister.requests();
        assert!(requests < 40, "{requests} listing requests for one day");
        // A second scan of the same window asks nothing more.
        lister.list_blocking(Some(keep)).expect("lists");
        assert_eq!(lister.requests(), requests);
        // No window: everything, in one recursive listing.
        let all = lister.list_blocking(None).expect("lists");
        assert_eq!(hours(&all).len(), 366 * 24);
    }

    #[test]
    fn pruning_agrees_with_filtering_every_blob() {
        let store = fleet();
        let lister = Lister::new(store, None, "mem://".into());
        let all = lister.list_blocking(None).expect("lists");
        for (earliest, latest) in [
            ("2023-05-01T00:00:00Z", "2023-06-01T00:30:00Z"),
            ("2023-12-31T23:59:59Z", "2024-01-01T00:00:00Z"),
            ("2024-01-15T10:00:00Z", "2024-03-20T05:00:00Z"),
            ("2024-05-31T23:00:00Z", "2030-01-01T00:00:00Z"),
            ("2000-01-01T00:00:00Z", "2001-01-01T00:00:00Z"),
        ] {
            let keep = window(earliest, latest);
            let pruned = hours(&lister.list_blocking(Some(keep.clone())).expect("lists"));
            let filtered: Vec<i64> = hours(&all)
                .into_iter()
                .filter(|&h| keep(h, h + HOUR_NANOS))
                .collect();
            assert_eq!(pruned, filtered, "{earliest} .. {latest}");
        }
    }

    #[test]
    fn the_layout_is_recognised_and_its_newest_hour_found() {
        let store = fleet();
        let lister = Lister::new(store.clone(), None, "mem://".into());
        assert!(lister.is_hourly_blocking().expect("lists"));
        let newest = lister.newest_blocking().expect("lists");
        assert_eq!(hours(&newest), vec![nanos("2024-05-31T23:00:00Z")]);
        let inside = Lister::new(
            store.clone(),
            Some(ObjectPath::from("tenantId=t/y=2024/m=02")),
            "mem://".into(),
        );
        assert!(inside.is_hourly_blocking().expect("lists"));
        assert_eq!(
            hours(&inside.newest_blocking().expect("lists")),
            vec![nanos("2024-02-29T23:00:00Z")]
        );
        let object_store = Arc::clone(&store.object_store);
        runtime::block_on(async move {
            object_store
                .put(
                    &ObjectPath::from("flat/DeviceInfo.csv"),
                    PutPayload::from_static(b"a\n"),
                )
                .await
                .expect("put")
        });
        let flat = Lister::new(store, Some(ObjectPath::from("flat")), "mem://flat".into());
        assert!(!flat.is_hourly_blocking().expect("lists"));
    }
}
