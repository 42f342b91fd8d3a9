//! A small HTTP proxy on 127.0.0.1 in front of Azurite that injects faults: throttling answers,
//! responses cut short, connections refused. A test decides per request with a [`Fault`] function.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// What the proxy does with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Pass it to Azurite and its answer back.
    Forward,
    /// Answer with this status and an Azure error body (`503` is the Blob service's `ServerBusy`).
    Respond(u16),
    /// Pass it on, then relay only this many bytes of the answer's body and drop the connection.
    CutAfter(usize),
    /// Drop the connection without answering.
    Drop,
}

/// What the fault function sees of a request.
#[derive(Debug, Clone)]
pub struct RequestHead {
    /// Requests seen before this one, over all connections.
    pub index: u64,
    pub method: String,
    /// The path and query.
    pub target: String,
    /// The `Range` or `x-ms-range` header, for reads.
    pub range: Option<String>,
}

type FaultFn = dyn Fn(&RequestHead) -> Fault + Send + Sync;

/// A running proxy, stopped on drop.
pub struct FaultProxy {
    url: String,
    stop: Arc<AtomicBool>,
    requests: Arc<AtomicU64>,
    accept: Option<JoinHandle<()>>,
}

impl FaultProxy {
    /// Listens on a free port of 127.0.0.1 and forwards to `upstream` (`http://127.0.0.1:PORT`).
    pub fn start(
        upstream: &str,
        fault: impl Fn(&RequestHead) -> Fault + Send + Sync + 'static,
    ) -> FaultProxy {
        let upstream = upstream
            .strip_prefix("http://")
            .expect("an http:// upstream")
            .trim_end_matches('/')
            .to_string();
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let url = format!("http://{}", listener.local_addr().expect("bound"));
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(AtomicU64::new(0));
        let fault: Arc<FaultFn> = Arc::new(fault);
        let accept = {
            let (stop, requests) = (Arc::clone(&stop), Arc::clone(&requests));
            std::thread::spawn(move || {
                for client in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(client) = client else { continue };
                    let (upstream, fault, requests) =
                        (upstream.clone(), Arc::clone(&fault), Arc::clone(&requests));
                    std::thread::spawn(move || serve(client, &upstream, &*fault, &requests));
                }
            })
        };
        FaultProxy {
            url,
            stop,
            requests,
            accept: Some(accept),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The environment that points object_store at Azurite through the proxy.
    pub fn emulator_env(&self) -> Vec<(String, String)> {
        crate::emulator_env(&self.url)
    }

    /// Requests seen so far.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accepting thread.
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

/// Serves one client connection: request after request until it closes or a fault ends it.
fn serve(client: TcpStream, upstream: &str, fault: &FaultFn, requests: &AtomicU64) {
    // An idle pooled connection must not keep its thread forever.
    let _ = client.set_read_timeout(Some(Duration::from_secs(30)));
    let Ok(writer) = client.try_clone() else { return };
    let mut reader = BufReader::new(client);
    let mut writer = writer;
    loop {
        let Some((head_lines, body)) = read_request(&mut reader) else {
            return;
        };
        let mut request_line = head_lines[0].split(' ');
        let method = request_line.next().unwrap_or_default().to_string();
        let target = request_line.next().unwrap_or_default().to_string();
        let range = header(&head_lines, "x-ms-range").or_else(|| header(&head_lines, "range"));
        let head = RequestHead {
            index: requests.fetch_add(1, Ordering::SeqCst),
            method,
            target,
            range,
        };
        match fault(&head) {
            Fault::Respond(status) => {
                let body = format!(
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>ServerBusy</Code>\
                     <Message>Injected fault: HTTP {status}.</Message></Error>"
                );
                let answer = format!(
                    "HTTP/1.1 {status} Injected\r\nContent-Type: application/xml\r\nx-ms-error-code: ServerBusy\r\n\
                     Content-Length: {}\r\n\r\n{body}",
                    body.len()
                );
                if writer.write_all(answer.as_bytes()).is_err() {
                    return;
                }
            }
            Fault::Drop => {
                let _ = writer.shutdown(Shutdown::Both);
                return;
            }
            Fault::Forward => {
                forward(&head_lines, &body, upstream, &mut writer, None);
                return;
            }
            Fault::CutAfter(bytes) => {
                forward(&head_lines, &body, upstream, &mut writer, Some(bytes));
                return;
            }
        }
    }
}

/// Reads a request's head lines and body (`None` at the connection's end).
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<(Vec<String>, Vec<u8>)> {
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end_matches(['\r', '\n']).to_string();
        if line.is_empty() {
            break;
        }
        lines.push(line);
    }
    if lines.is_empty() {
        return None;
    }
    let length: usize = header(&lines, "content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((lines, body))
}

fn header(lines: &[String], name: &str) -> Option<String> {
    lines.iter().skip(1).find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().to_string())
    })
}

/// Sends the request to Azurite on a connection of its own (closed after the answer) and relays the
/// answer, or its head and `cut` bytes of its body, then closes the client connection.
fn forward(head_lines: &[String], body: &[u8], upstream: &str, client: &mut TcpStream, cut: Option<usize>) {
    let Ok(mut server) = TcpStream::connect(upstream) else {
        let _ = client.shutdown(Shutdown::Both);
        return;
    };
    let mut request = String::new();
    for line in head_lines {
        let name = line.split(':').next().unwrap_or_default().trim();
        if !name.eq_ignore_ascii_case("connection") {
            request.push_str(line);
            request.push_str("\r\n");
        }
    }
    request.push_str("Connection: close\r\n\r\n");
    if server.write_all(request.as_bytes()).is_err() || server.write_all(body).is_err() {
        let _ = client.shutdown(Shutdown::Both);
        return;
    }
    let mut answer = Vec::new();
    let _ = server.read_to_end(&mut answer);
    let relayed = match cut {
        None => answer.len(),
        Some(bytes) => {
            let body_start = answer
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .map_or(answer.len(), |at| at + 4);
            (body_start + bytes).min(answer.len())
        }
    };
    let _ = client.write_all(&answer[..relayed]);
    let _ = client.shutdown(Shutdown::Both);
}
