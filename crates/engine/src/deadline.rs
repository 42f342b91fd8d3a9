//! `--timeout`: a query still running at the engine's deadline fails with [`TimedOut`]. Collected
//! queries are bounded with `tokio::time::timeout_at`; streamed ones end with the error in the
//! stream, so a consumer never takes a cut-off result for a whole one.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::{RecordBatchStream, SendableRecordBatchStream};
use futures::Stream;

/// The error of a query that ran past its time limit.
#[derive(Debug, thiserror::Error)]
#[error("timed out: the query ran past its {0:?} time limit (--timeout)")]
pub struct TimedOut(pub Duration);

/// `stream`, ending with a [`TimedOut`] error at `deadline`.
pub fn with_deadline(
    stream: SendableRecordBatchStream,
    deadline: Instant,
    timeout: Duration,
) -> SendableRecordBatchStream {
    Box::pin(Deadline {
        schema: stream.schema(),
        inner: Some(stream),
        sleep: Box::pin(tokio::time::sleep_until(deadline.into())),
        timeout,
    })
}

struct Deadline {
    schema: SchemaRef,
    /// Dropped at the deadline, which stops the query's work.
    inner: Option<SendableRecordBatchStream>,
    sleep: Pin<Box<tokio::time::Sleep>>,
    timeout: Duration,
}

impl Stream for Deadline {
    type Item = Result<RecordBatch>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.inner.is_none() {
            return Poll::Ready(None);
        }
        // The deadline first: a stream whose batches are always ready is bounded too.
        if self.sleep.as_mut().poll(cx).is_ready() {
            self.inner = None;
            let error = TimedOut(self.timeout);
            return Poll::Ready(Some(Err(DataFusionError::External(Box::new(error)))));
        }
        let Some(inner) = self.inner.as_mut() else {
            return Poll::Ready(None);
        };
        let item = std::task::ready!(inner.as_mut().poll_next(cx));
        if item.is_none() {
            self.inner = None;
        }
        Poll::Ready(item)
    }
}

impl RecordBatchStream for Deadline {
    fn schema(&self) -> SchemaRef {
        Arc::clone(&self.schema)
    }
}
