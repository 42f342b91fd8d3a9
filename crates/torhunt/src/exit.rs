//! The exit status of every command, decided here and nowhere else (as ripgrep's `main` does):
//!
//! | status | meaning |
//! |--------|---------|
//! | 0 | done, nothing found (no alerts, every query valid, every rule test passed) — also when the reader of standard output went away (`| head`) |
//! | 1 | done, and something was found: alerts (`hunt`), invalid queries (`check`, `rules check`), failed rule tests (`rules test`) |
//! | 2 | an error: bad flags, unreadable input, a rule or document that failed while the others ran, a write error, a timeout |
//! | 130, 143 | interrupted by SIGINT or SIGTERM (128 + the signal, as shells report it) |

use std::process::ExitCode;

use crate::output::{OutputError, note_raw};

/// How a command that ran to its end went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing found.
    Clean,
    /// Alerts, invalid queries or failed rule tests.
    Found,
    /// Something failed and was already reported on standard error (a query, or a rule or document
    /// that failed while the others ran).
    Failed,
}

pub const ERROR: u8 = 2;

/// The status for a command's result; an error is printed here.
pub fn status(result: miette::Result<Outcome>) -> ExitCode {
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Found) => ExitCode::from(1),
        Ok(Outcome::Failed) => ExitCode::from(ERROR),
        Err(report) if broken_pipe(&report) => ExitCode::SUCCESS,
        Err(report) => {
            note_raw(&format!("{report:?}\n"));
            ExitCode::from(ERROR)
        }
    }
}

/// The status of a process ended by signal `signal`.
pub fn interrupted(signal: i32) -> i32 {
    128 + signal
}

fn broken_pipe(report: &miette::Report) -> bool {
    report.chain().any(|cause| {
        cause
            .downcast_ref::<OutputError>()
            .is_some_and(OutputError::is_broken_pipe)
            || cause
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
