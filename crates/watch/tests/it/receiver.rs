//! A webhook receiver on 127.0.0.1 for tests: it fails its first calls with 503, then accepts.
//! (Also used by the torhunt binary's tests.)

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// A server that answers 503 to its first `failures` calls and 200 after, keeping the bodies it
/// accepted.
pub struct Receiver {
    pub url: String,
    pub accepted: Arc<Mutex<Vec<String>>>,
    pub calls: Arc<Mutex<usize>>,
}

pub fn receiver(failures: usize) -> Receiver {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/alerts", listener.local_addr().unwrap());
    let accepted = Arc::new(Mutex::new(Vec::new()));
    let calls = Arc::new(Mutex::new(0));
    let (kept, counted) = (Arc::clone(&accepted), Arc::clone(&calls));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let call = {
                let mut calls = counted.lock().unwrap();
                *calls += 1;
                *calls
            };
            let status = if call <= failures {
                "503 Service Unavailable"
            } else {
                kept.lock().unwrap().push(String::from_utf8(body).unwrap());
                "200 OK"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
        }
    });
    Receiver { url, accepted, calls }
}
