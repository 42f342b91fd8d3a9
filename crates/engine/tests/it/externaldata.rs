//! `externaldata`: local mappings, typed conversion of CSV text, and downloads only when allowed.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;

use serde_json::{Value, json};
use torhunt_engine::output::rows_json;
use torhunt_engine::{Engine, EngineConfig, NetworkAccess};

const CSV: &str =
    "Name,Count,Seen,Running\r\nalpha,3,2024-05-01T10:00:00Z,True\r\nbeta,,not a date,False\r\n";

fn query(url: &str) -> String {
    format!(
        "externaldata (Name:string, Count:long, Seen:datetime, Running:bool) ['{url}'] \
         with (format='csv', ignoreFirstRecord=true)"
    )
}

async fn rows(engine: &Engine, kql: &str) -> Result<Vec<Vec<Value>>, String> {
    let result = engine.query(kql).await.map_err(|e| e.to_string())?;
    Ok(rows_json(&result.columns, &result.batches).collect())
}

/// Kusto reads CSV text by the declared types: unparseable or empty values are null, strings never.
fn expected() -> Vec<Vec<Value>> {
    vec![
        vec![
            json!("alpha"),
            json!(3),
            json!("2024-05-01T10:00:00Z"),
            json!(true),
        ],
        vec![json!("beta"), Value::Null, Value::Null, json!(false)],
    ]
}

/// Serves `body` over HTTP on 127.0.0.1 for `requests` requests, then stops.
fn serve(body: &'static str, requests: usize) -> (String, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/TorRelayIPs.csv", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 2 {
                line.clear();
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).unwrap();
            stream.write_all(body.as_bytes()).unwrap();
        }
    });
    (url, handle)
}

#[tokio::test]
async fn a_mapped_url_reads_the_local_file_with_kusto_typing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("list.csv");
    std::fs::write(&path, CSV).unwrap();
    let mut engine = Engine::new(EngineConfig::default()).unwrap();
    engine
        .external_data_mut()
        .map_url("https://example.org/list.csv", &path);
    assert_eq!(
        rows(&engine, &query("https://example.org/list.csv")).await,
        Ok(expected())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn downloads_happen_only_when_allowed_and_are_cached() {
    let (url, server) = serve(CSV, 1);
    let offline = Engine::new(EngineConfig::default()).unwrap();
    let refused = rows(&offline, &query(&url)).await.unwrap_err();
    assert!(refused.contains("--allow-network"), "{refused}");

    let cache = tempfile::tempdir().unwrap();
    let mut online = Engine::new(EngineConfig::default()).unwrap();
    online
        .external_data_mut()
        .allow_network(NetworkAccess::with_cache_dir(cache.path().to_path_buf()));
    assert_eq!(rows(&online, &query(&url)).await, Ok(expected()));
    server.join().unwrap();
    // The server is gone: the second run is answered from the cache.
    assert_eq!(rows(&online, &query(&url)).await, Ok(expected()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_download_over_the_size_limit_is_refused() {
    let (url, server) = serve(CSV, 1);
    let cache = tempfile::tempdir().unwrap();
    let mut engine = Engine::new(EngineConfig::default()).unwrap();
    let mut access = NetworkAccess::with_cache_dir(cache.path().to_path_buf());
    access.max_bytes = 10;
    engine.external_data_mut().allow_network(access);
    let error = rows(&engine, &query(&url)).await.unwrap_err();
    assert!(error.contains("limit"), "{error}");
    server.join().unwrap();
    assert_eq!(
        std::fs::read_dir(cache.path()).map(|d| d.count()).unwrap_or(0),
        0,
        "nothing cached"
    );
}

fn lines_query(url: &str) -> String {
    format!("externaldata (Line:string) ['{url}'] with (format='txt')")
}

/// A shared rule naming a local file reads nothing unless the user allowed its folder.
#[tokio::test]
async fn local_files_are_read_only_inside_allowed_folders() {
    let engine = Engine::new(EngineConfig::default()).unwrap();
    for url in [
        "file:///etc/passwd",
        "/etc/passwd",
        "file:///proc/self/environ",
        "/dev/zero",
    ] {
        let error = rows(&engine, &lines_query(url)).await.unwrap_err();
        assert!(error.contains("--allow-files"), "{url}: {error}");
    }

    let allowed = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(allowed.path().join("list.txt"), "a\nb\n").unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret\n").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), allowed.path().join("link.txt"))
            .unwrap();
        std::os::unix::fs::symlink("/dev/zero", allowed.path().join("zero")).unwrap();
    }
    let mut engine = Engine::new(EngineConfig::default()).unwrap();
    engine.external_data_mut().allow_files(allowed.path()).unwrap();
    let inside = allowed.path().join("list.txt");
    for url in [
        format!("file://{}", inside.display()),
        inside.display().to_string(),
    ] {
        assert_eq!(
            rows(&engine, &lines_query(&url)).await,
            Ok(vec![vec![json!("a")], vec![json!("b")]])
        );
    }
    let escapes = [
        outside.path().join("secret.txt"),
        allowed
            .path()
            .join("../")
            .join(outside.path().file_name().unwrap())
            .join("secret.txt"),
        allowed.path().join("link.txt"),
        allowed.path().join("zero"),
    ];
    for path in escapes {
        let error = rows(&engine, &lines_query(&path.display().to_string()))
            .await
            .unwrap_err();
        assert!(error.contains("not allowed"), "{}: {error}", path.display());
    }
}

/// Mapped and allowed files must be regular files within the size limit: a FIFO would block, a
/// device or a huge file would never end.
#[cfg(unix)]
#[tokio::test]
async fn local_sources_are_regular_files_within_the_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let huge = dir.path().join("huge.txt");
    let file = std::fs::File::create(&huge).unwrap();
    // Sparse: no disk space is used.
    file.set_len(torhunt_engine::external::MAX_LOCAL_BYTES + 1)
        .unwrap();
    let mut engine = Engine::new(EngineConfig::default()).unwrap();
    engine.external_data_mut().allow_files(dir.path()).unwrap();
    engine
        .external_data_mut()
        .map_url("https://example.org/zero", "/dev/zero");
    let cases = [
        (fifo.display().to_string(), "not a regular file"),
        ("https://example.org/zero".to_string(), "not a regular file"),
        (huge.display().to_string(), "limit"),
    ];
    for (url, expected) in cases {
        let error = rows(&engine, &lines_query(&url)).await.unwrap_err();
        assert!(error.contains(expected), "{url}: {error}");
    }
}

/// A server that sends its body a byte at a time cannot keep a download alive past its deadline.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trickling_server_cannot_outlast_the_download_deadline() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/TorRelayIPs.csv", listener.local_addr().unwrap());
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stopped = std::sync::Arc::clone(&stop);
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap_or(0) > 2 {
            line.clear();
        }
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
        while !stopped.load(std::sync::atomic::Ordering::Relaxed) && stream.write_all(b"x").is_ok() {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    });
    let cache = tempfile::tempdir().unwrap();
    let mut access = NetworkAccess::with_cache_dir(cache.path().to_path_buf());
    access.timeout = std::time::Duration::from_secs(1);
    let mut engine = Engine::new(EngineConfig::default()).unwrap();
    engine.external_data_mut().allow_network(access);
    let error = rows(&engine, &lines_query(&url)).await.unwrap_err();
    assert!(error.contains("limit for the whole download"), "{error}");
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    server.join().unwrap();
}
