//! `update` against a scripted HTTP server on 127.0.0.1: 200, 304 with ETag, a stalled server and a
//! cut-short body.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use torhunt_intel::store::STORE_FILE;
use torhunt_intel::update::{FetchOutcome, UpdateOptions, update};
use torhunt_intel::{ImportOutcome, SourceKind, Store};

use crate::{ip, test_data, utc};

/// What the server does with one connection.
enum Reply {
    Ok {
        etag: &'static str,
        body: Vec<u8>,
    },
    /// 304 if the request carries `If-None-Match: <etag>`, else a failure the test will notice.
    NotModifiedFor(&'static str),
    /// Accept, read the request, answer nothing for this long.
    Stall(Duration),
    /// Announce a body, then send it one byte per `pause`.
    Trickle {
        body: Vec<u8>,
        pause: Duration,
    },
    /// Announce more bytes than are sent, then close.
    CutShort {
        announced: usize,
        body: Vec<u8>,
    },
}

struct Server {
    url_base: String,
    requests: Arc<Mutex<Vec<String>>>,
}

/// Serves the replies in order, one connection each, on 127.0.0.1 only.
fn serve(replies: Vec<Reply>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url_base = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = requests.clone();
    thread::spawn(move || {
        for reply in replies {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let request = read_request(&stream);
            seen.lock().unwrap().push(request.clone());
            // Answered on its own thread, so a stalled reply does not hold up the next connection.
            thread::spawn(move || answer(stream, reply, &request));
        }
    });
    Server { url_base, requests }
}

fn read_request(mut stream: &TcpStream) -> String {
    let mut request = Vec::new();
    let mut byte = [0u8; 1];
    while !request.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
        request.push(byte[0]);
    }
    String::from_utf8_lossy(&request).to_ascii_lowercase()
}

fn answer(mut stream: TcpStream, reply: Reply, request: &str) {
    let head = |status: &str, length: usize, extra: &str| {
        format!("HTTP/1.1 {status}\r\nContent-Length: {length}\r\nConnection: close\r\n{extra}\r\n")
    };
    let _ = match reply {
        Reply::Ok { etag, body } => {
            let _ = stream.write_all(head("200 OK", body.len(), &format!("ETag: {etag}\r\n")).as_bytes());
            stream.write_all(&body)
        }
        Reply::NotModifiedFor(etag) if request.contains(&format!("if-none-match: {etag}")) => stream
            .write_all(
                format!("HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nConnection: close\r\n\r\n").as_bytes(),
            ),
        Reply::NotModifiedFor(_) => stream.write_all(head("400 Bad Request", 0, "").as_bytes()),
        Reply::Stall(pause) => {
            thread::sleep(pause);
            Ok(())
        }
        Reply::Trickle { body, pause } => {
            let _ = stream.write_all(head("200 OK", body.len(), "").as_bytes());
            let mut sent = Ok(());
            for byte in body {
                sent = stream.write_all(&[byte]);
                if sent.is_err() {
                    break;
                }
                thread::sleep(pause);
            }
            sent
        }
        Reply::CutShort { announced, body } => {
            let _ = stream.write_all(head("200 OK", announced, "").as_bytes());
            stream.write_all(&body)
        }
    };
}

fn options(urls: Vec<String>) -> UpdateOptions {
    UpdateOptions {
        urls,
        timeout: Duration::from_millis(700),
        connect_timeout: Duration::from_millis(700),
        attempts: 2,
        retry_delay: Duration::from_millis(10),
        now: Some(utc("2024-05-01 12:00:00")),
        ..UpdateOptions::default()
    }
}

fn details() -> Vec<u8> {
    std::fs::read(test_data("onionoo-details.synthetic.json")).unwrap()
}

#[test]
fn downloads_then_304_leaves_everything_as_it_was() {
    let exits = b"# bulk exit list\n192.0.2.200\n2001:db8::200\n".to_vec();
    let server = serve(vec![
        Reply::Ok {
            etag: "\"v1\"",
            body: details(),
        },
        Reply::Ok {
            etag: "\"x1\"",
            body: exits,
        },
        Reply::NotModifiedFor("\"v1\""),
        Reply::NotModifiedFor("\"x1\""),
    ]);
    let urls = vec![
        format!("{}/details?type=relay&running=true", server.url_base),
        format!("{}/torbulkexitlist", server.url_base),
    ];
    let dir = tempfile::tempdir().unwrap();

    let first = update(dir.path(), &options(urls.clone())).unwrap();
    assert!(first.store_changed && !first.any_failed(), "{first:?}");
    let kinds: Vec<SourceKind> = first
        .urls
        .iter()
        .map(|u| match &u.outcome {
            FetchOutcome::Fetched(report) => {
                assert!(
                    matches!(report.outcome, ImportOutcome::Imported { .. }),
                    "{report:?}"
                );
                report.kind
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(kinds, [SourceKind::OnionooDetails, SourceKind::ExitList]);
    let store = Store::load(dir.path()).unwrap();
    assert!(
        store
            .relay_at(ip("198.51.100.20"), utc("2024-05-01 12:30:00"))
            .is_some()
    );
    assert!(
        store
            .relay_at(ip("2001:db8::200"), utc("2024-05-01 12:30:00"))
            .is_some()
    );
    let bytes = std::fs::read(dir.path().join(STORE_FILE)).unwrap();

    let second = update(dir.path(), &options(urls)).unwrap();
    assert!(
        second.urls.iter().all(|u| u.outcome == FetchOutcome::NotModified),
        "{second:?}"
    );
    assert!(!second.store_changed);
    assert_eq!(std::fs::read(dir.path().join(STORE_FILE)).unwrap(), bytes);
    assert!(server.requests.lock().unwrap()[2].contains("if-none-match: \"v1\""));
}

#[test]
fn a_stalled_server_times_out_after_bounded_retries() {
    let server = serve(vec![
        Reply::Stall(Duration::from_secs(3)),
        Reply::Stall(Duration::from_secs(3)),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let report = update(dir.path(), &options(vec![format!("{}/details", server.url_base)])).unwrap();
    match &report.urls[0].outcome {
        FetchOutcome::Failed(reason) => {
            assert!(
                reason.contains("timed out") && reason.contains("2 attempts"),
                "{reason}"
            )
        }
        other => panic!("{other:?}"),
    }
    assert!(report.any_failed() && !report.store_changed);
    assert!(!dir.path().join(STORE_FILE).exists());
    assert_eq!(server.requests.lock().unwrap().len(), 2);
}

/// Every byte arrives well within the client's per-read timeout, but the whole body would take
/// minutes: the deadline for the whole download ends it.
#[test]
fn a_trickling_server_cannot_outlast_the_deadline() {
    let trickle = || Reply::Trickle {
        body: details(),
        pause: Duration::from_millis(20),
    };
    let server = serve(vec![trickle(), trickle()]);
    let store = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let report = update(
        store.path(),
        &options(vec![format!("{}/details", server.url_base)]),
    )
    .unwrap();
    match &report.urls[0].outcome {
        FetchOutcome::Failed(reason) => assert!(reason.contains("whole download"), "{reason}"),
        other => panic!("expected a failure, got {other:?}"),
    }
    // Two attempts of at most twice the 0.7 s deadline each, plus the retry pause.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(!store.path().join(STORE_FILE).exists());
}

#[test]
fn a_cut_short_body_leaves_the_store_unchanged() {
    let body = details();
    let server = serve(vec![
        Reply::Ok {
            etag: "\"v1\"",
            body: body.clone(),
        },
        Reply::CutShort {
            announced: body.len() + 500,
            body: body.clone(),
        },
        Reply::CutShort {
            announced: body.len() + 500,
            body: body[..body.len() / 2].to_vec(),
        },
    ]);
    let dir = tempfile::tempdir().unwrap();
    let url = vec![format!("{}/details", server.url_base)];
    update(dir.path(), &options(url.clone())).unwrap();
    let before = std::fs::read(dir.path().join(STORE_FILE)).unwrap();
    let cache_before = std::fs::read(dir.path().join(torhunt_intel::update::HTTP_CACHE_FILE)).unwrap();

    // The cache is ignored here: a changed document is served in two broken attempts.
    std::fs::remove_file(dir.path().join(torhunt_intel::update::HTTP_CACHE_FILE)).unwrap();
    let report = update(dir.path(), &options(url)).unwrap();
    match &report.urls[0].outcome {
        FetchOutcome::Failed(reason) => assert!(reason.contains("cut short"), "{reason}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(std::fs::read(dir.path().join(STORE_FILE)).unwrap(), before);
    assert!(
        String::from_utf8_lossy(&cache_before).contains("v1"),
        "the first download's ETag was kept"
    );
}
