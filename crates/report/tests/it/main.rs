//! The HTML report, parsed as a browser would parse it (html5ever through scraper): hostile values come
//! out inert, and the page has the structure its readers and the script rely on.

#![allow(clippy::unwrap_used, reason = "a panic fails the test")]

mod hostile;
mod runs;
mod structure;
