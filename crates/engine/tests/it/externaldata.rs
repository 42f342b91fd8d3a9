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
