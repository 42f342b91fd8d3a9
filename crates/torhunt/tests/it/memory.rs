//! Peak memory under hostile input, as the OS measures it (`wait4`'s `ru_maxrss` of the torhunt
//! process), in the manner of a benchmark: each input would take several times the bound if a record,
//! a series or a result were held whole; the bound leaves room for the runtime itself.

use std::io::{Read, Write};
use std::process::{Output, Stdio};

use crate::{stderr, stdout, torhunt_command};

/// What no case below may exceed: the process's baseline plus a few batches and buffers.
const BOUND: u64 = 256 << 20;

/// Runs torhunt and returns its output and peak resident memory in bytes.
#[cfg(unix)]
#[allow(unsafe_code, reason = "std reports no peak memory of a child; wait4 does")]
#[allow(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, not Child::wait"
)]
fn run_measured(args: &[&str]) -> (Output, u64) {
    let mut child = torhunt_command(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("torhunt starts");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("stdout")));
    let err = drain(Box::new(child.stderr.take().expect("stderr")));
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills; the pid is our child, reaped here only (the
    // `Child` is not waited on afterwards).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4: {}", std::io::Error::last_os_error());
    let output = Output {
        status: std::os::unix::process::ExitStatusExt::from_raw(status),
        stdout: out.join().expect("stdout thread"),
        stderr: err.join().expect("stderr thread"),
    };
    // Linux reports kilobytes.
    (output, usage.ru_maxrss as u64 * 1024)
}

/// The issue's gzip bomb: a small gzip holding a 512 MiB line (gzip members, concatenated as the
/// format allows, so the test writes it quickly) between two good records. The line is skipped and
/// reported without being held.
#[cfg(target_os = "linux")]
#[test]
fn a_gzip_bomb_line_is_skipped_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let record = |id: u32| {
        format!(
            r#"{{"time":"2024-05-01T10:00:00Z","tenantId":"t1","category":"AdvancedHunting-DeviceNetworkEvents","properties":{{"ReportId":{id},"Timestamp":"2024-05-01T09:59:00Z"}}}}"#
        )
    };
    let member = |bytes: &[u8]| {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    };
    let chunk = member(&vec![b'x'; 8 << 20]);
    let mut file = member(format!("{}\n{{\"pad\":\"", record(1)).as_bytes());
    for _ in 0..64 {
        file.extend_from_slice(&chunk);
    }
    file.extend_from_slice(&member(format!("\"}}\n{}\n", record(2)).as_bytes()));
    let path = dir.path().join("DeviceNetworkEvents.json.gz");
    std::fs::write(&path, &file).unwrap();
    assert!(file.len() < 4 << 20, "{} bytes on disk", file.len());

    let (output, peak) = run_measured(&[
        "query",
        "--data",
        path.to_str().unwrap(),
        "--format",
        "csv",
        "DeviceNetworkEvents | count",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "Count\n2\n");
    assert!(
        stderr(&output).contains("1 malformed record(s) skipped"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("longer than the 16777216-byte limit"),
        "{}",
        stderr(&output)
    );
    assert!(peak < BOUND, "peak RSS {} MiB", peak >> 20);
}

/// The issue's `range x from 1 to 500000000 step 1 | count` (it passed 8 GB): the series streams.
#[cfg(target_os = "linux")]
#[test]
fn a_long_range_streams_in_bounded_memory() {
    let (output, peak) = run_measured(&[
        "query",
        "--format",
        "csv",
        "--memory-limit",
        "64M",
        "range x from 1 to 100000000 step 1 | summarize count(), max(x)",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "count_,max_x\n100000000,100000000\n");
    assert!(peak < BOUND, "peak RSS {} MiB", peak >> 20);
}
