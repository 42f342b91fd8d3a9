//! Test support: Microsoft's Azurite blob emulator, started by the tests themselves on 127.0.0.1 on a
//! free port and stopped when the handle drops, and a [`FaultProxy`] in front of it that throttles,
//! cuts responses short or refuses connections.
//!
//! Azurite is the npm package `azurite`, installed by `.ci/run` into `~/.cache/torhunt/azurite`. It is
//! found through `$AZURITE_BLOB` (the `azurite-blob` script), `azurite-blob` on `PATH`, or that folder.
//! When it is nowhere, [`Azurite::start`] returns `None` after printing why, and tests skip; under CI
//! (`CI=true`, set by `.ci/run`) a missing Azurite fails the test instead, as `shared-fixtures` decides
//! for every missing test prerequisite.

mod proxy;
mod rest;

pub use proxy::{Fault, FaultProxy, RequestHead};

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Azurite's well-known development account and key (public; documented by Microsoft).
pub const ACCOUNT: &str = "devstoreaccount1";
pub const ACCOUNT_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/// A running Azurite blob service, killed on drop.
pub struct Azurite {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    blob_url: String,
    client: reqwest::blocking::Client,
}

impl Azurite {
    /// Starts Azurite in memory on a free port; `None` (with a message) when it is not installed.
    pub fn start() -> Option<Azurite> {
        let Some(program) = find_program() else {
            let message = "Azurite not found: set AZURITE_BLOB, put azurite-blob on PATH, or install it with \
                           `npm install --prefix ~/.cache/torhunt/azurite azurite` (.ci/run does)";
            shared_fixtures::skip(message);
            return None;
        };
        let mut child = Command::new(&program)
            .args([
                "--blobHost",
                "127.0.0.1",
                "--blobPort",
                "0",
                "--inMemoryPersistence",
                "--skipApiVersionCheck",
                "--disableTelemetry",
                "--silent",
            ])
            // In memory: nothing is written, wherever it runs.
            .current_dir(std::env::temp_dir())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", program.display()));
        // Azurite says where it listens: "... successfully listens on http://127.0.0.1:PORT".
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(at) = line.find("listens on http://") {
                    let _ = sender.send(line[at + "listens on ".len()..].trim().to_string());
                }
            }
        });
        let blob_url = match receiver.recv_timeout(Duration::from_secs(60)) {
            Ok(url) => url,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "Azurite ({}) did not start listening within 60 s",
                    program.display()
                );
            }
        };
        Some(Azurite {
            child,
            blob_url,
            client: reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .expect("an HTTP client"),
        })
    }

    /// `http://127.0.0.1:PORT`, what `AZURITE_BLOB_STORAGE_URL` takes.
    pub fn blob_url(&self) -> &str {
        &self.blob_url
    }

    /// The development account's blob endpoint, `http://127.0.0.1:PORT/devstoreaccount1`.
    pub fn account_url(&self) -> String {
        format!("{}/{ACCOUNT}", self.blob_url)
    }

    /// The environment that points object_store (and torhunt) at this emulator.
    pub fn emulator_env(&self) -> Vec<(String, String)> {
        emulator_env(&self.blob_url)
    }

    /// An account SAS token (without `?`) for the development account, with `permissions` (`rl`,
    /// `racwl`, ...) until `expiry`.
    pub fn account_sas(&self, permissions: &str, expiry: chrono::DateTime<chrono::Utc>) -> String {
        rest::account_sas(ACCOUNT, ACCOUNT_KEY, permissions, expiry)
    }

    /// Creates a container.
    pub fn create_container(&self, container: &str) {
        self.writer().create_container(container);
    }

    /// Writes an append blob in the given blocks (each an Append Block request), as the Streaming API
    /// writes `PT1H.json` through the hour.
    pub fn append_blob(&self, container: &str, key: &str, blocks: &[&[u8]]) {
        let writer = self.writer();
        writer.create_append_blob(container, key);
        writer.append_blocks(container, key, blocks);
    }

    /// Appends more blocks to an existing append blob.
    pub fn append(&self, container: &str, key: &str, blocks: &[&[u8]]) {
        self.writer().append_blocks(container, key, blocks);
    }

    /// Uploads every file under `folder` as an append blob of `container` (key: its path below `folder`
    /// under `prefix`), in blocks of at most `block_bytes` cut at line ends where there are any.
    pub fn upload_folder(&self, container: &str, prefix: &str, folder: &std::path::Path, block_bytes: usize) {
        let mut files = Vec::new();
        collect_files(folder, &mut files);
        for file in files {
            let relative = file.strip_prefix(folder).expect("below the folder");
            let key: Vec<String> = std::iter::once(prefix.trim_matches('/').to_string())
                .filter(|p| !p.is_empty())
                .chain(relative.iter().map(|c| c.to_string_lossy().into_owned()))
                .collect();
            let data = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let blocks = line_blocks(&data, block_bytes);
            self.append_blob(container, &key.join("/"), &blocks);
        }
    }

    fn writer(&self) -> rest::Writer<'_> {
        rest::Writer {
            client: &self.client,
            account_url: self.account_url(),
            sas: self.account_sas("racwdl", chrono::Utc::now() + chrono::Duration::hours(2)),
        }
    }
}

impl Drop for Azurite {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The environment that points object_store at an emulator listening at `blob_url`.
fn emulator_env(blob_url: &str) -> Vec<(String, String)> {
    vec![
        ("AZURE_STORAGE_USE_EMULATOR".to_string(), "true".to_string()),
        ("AZURITE_BLOB_STORAGE_URL".to_string(), blob_url.to_string()),
    ]
}

fn find_program() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("AZURITE_BLOB").map(PathBuf::from) {
        return path.is_file().then_some(path);
    }
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("azurite-blob"))
            .find(|candidate| candidate.is_file())
    });
    on_path.or_else(|| {
        let home = std::env::var_os("HOME").map(PathBuf::from)?;
        let installed = home.join(".cache/torhunt/azurite/node_modules/.bin/azurite-blob");
        installed.is_file().then_some(installed)
    })
}

fn collect_files(folder: &std::path::Path, files: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .map(|entry| entry.expect("a folder entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_files(&path, files);
        } else {
            files.push(path);
        }
    }
}

/// `data` cut into blocks of at most `block_bytes`, each ending at a line end when the block holds one.
pub fn line_blocks(data: &[u8], block_bytes: usize) -> Vec<&[u8]> {
    let mut blocks = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let limit = rest.len().min(block_bytes.max(1));
        let cut = if limit == rest.len() {
            limit
        } else {
            rest[..limit]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(limit, |at| at + 1)
        };
        blocks.push(&rest[..cut]);
        rest = &rest[cut..];
    }
    blocks
}
