//! Everything the CLI prints goes through here.
//!
//! - Standard output is written with fallible calls: a full disk or a closed pipe becomes an
//!   [`OutputError`] that ends the command (main decides the exit status, see `exit.rs`), never a panic.
//! - Messages on standard error ([`note!`](crate::note)) never fail a command: when even stderr is gone
//!   there is nobody left to tell.
//! - Text that comes from files (names, values, reasons) is made terminal-safe by the callers with
//!   [`safe`]: control characters are shown escaped, so a file name cannot move the cursor, recolour the
//!   terminal or forge a line of output.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};

pub use torhunt_engine::output::terminal_safe as safe;

/// Standard output could not be written. (The cause is part of the message, not a `source`, so
/// reports do not print it twice.)
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("writing to standard output: {0}")]
pub struct OutputError(pub io::Error);

impl From<io::Error> for OutputError {
    fn from(error: io::Error) -> Self {
        OutputError(error)
    }
}

impl OutputError {
    /// The reader went away (`torhunt ... | head`): not a failure of torhunt's.
    pub fn is_broken_pipe(&self) -> bool {
        self.0.kind() == io::ErrorKind::BrokenPipe
    }
}

/// Locked standard output. Writes return [`OutputError`]; a command that must finish its work whatever
/// happens to its output (an intel import must still save) uses [`Stdout::deferring_errors`].
pub struct Stdout {
    inner: io::StdoutLock<'static>,
    defer: bool,
    deferred: Option<OutputError>,
}

impl Stdout {
    pub fn lock() -> Stdout {
        Stdout {
            inner: io::stdout().lock(),
            defer: false,
            deferred: None,
        }
    }

    /// Output whose first error is kept for [`Stdout::finish`] instead of returned: later writes are
    /// dropped and the command carries on.
    pub fn deferring_errors() -> Stdout {
        Stdout {
            defer: true,
            ..Stdout::lock()
        }
    }

    /// Writes one line.
    pub fn line(&mut self, args: fmt::Arguments<'_>) -> Result<(), OutputError> {
        self.write_fmt(args)
            .and_then(|()| self.write_all(b"\n"))
            .map_err(OutputError)
    }

    /// Flushes, and returns the first error of a deferring output.
    pub fn finish(mut self) -> Result<(), OutputError> {
        let flushed = self.flush().map_err(OutputError);
        match self.deferred.take() {
            Some(error) => Err(error),
            None => flushed,
        }
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.deferred.is_some() {
            return Ok(buf.len());
        }
        match self.inner.write(buf) {
            Err(error) if self.defer && error.kind() != io::ErrorKind::Interrupted => {
                self.deferred = Some(OutputError(error));
                Ok(buf.len())
            }
            other => other,
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.deferred.is_some() {
            return Ok(());
        }
        match self.inner.flush() {
            Err(error) if self.defer => {
                self.deferred = Some(OutputError(error));
                Ok(())
            }
            other => other,
        }
    }
}

/// Writes a line to a [`Stdout`]: `outln!(out, "{x}")?`.
#[macro_export]
macro_rules! outln {
    ($out:expr) => {
        $out.line(format_args!(""))
    };
    ($out:expr, $($arg:tt)*) => {
        $out.line(format_args!($($arg)*))
    };
}

/// Writes a line to standard error; a failure to do so is ignored (see the module docs).
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => {
        $crate::output::note(format_args!($($arg)*))
    };
}

pub fn note(args: fmt::Arguments<'_>) {
    let mut stderr = io::stderr().lock();
    let _ = stderr.write_fmt(args).and_then(|()| stderr.write_all(b"\n"));
}

/// Writes text to standard error as it is (already rendered, e.g. a diagnostic); failures are ignored.
pub fn note_raw(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// A path, terminal-safe.
pub fn path(path: &std::path::Path) -> Cow<'_, str> {
    match path.to_string_lossy() {
        Cow::Borrowed(text) => safe(text),
        Cow::Owned(text) => Cow::Owned(safe(&text).into_owned()),
    }
}
