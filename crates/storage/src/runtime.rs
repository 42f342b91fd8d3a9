//! Storage requests run on a runtime of their own, so readers on blocking threads and discovery (which
//! is synchronous and may itself run inside the query's runtime) can wait for them without starving
//! or re-entering the query's runtime, and connections are pooled in one place.

use std::future::Future;
use std::sync::OnceLock;

use tokio::runtime::Runtime;

const THREAD_NAME: &str = "torhunt-storage-io";

fn io_runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name(THREAD_NAME)
            .enable_all()
            .build()
            .expect("the storage I/O runtime starts")
    })
}

/// Runs `future` on the storage runtime and waits for it, blocking the calling thread (which must not
/// be one of the storage runtime's own).
pub(crate) fn block_on<F>(future: F) -> F::Output
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    debug_assert!(
        std::thread::current().name() != Some(THREAD_NAME),
        "blocking on storage from a storage thread would deadlock"
    );
    wait(io_runtime().spawn(future))
}

/// Waits for a task of the storage runtime, blocking the calling thread. The handle is polled
/// unconstrained by tokio's cooperative budget: a caller inside a tokio task (`torhunt watch` lists
/// and reads blobs within its cycle) has a budget that runs out after some polls, and then every
/// poll would answer "not yet" while asking to be polled again at once, so the wait would spin for
/// ever.
pub(crate) fn wait<T>(handle: tokio::task::JoinHandle<T>) -> T {
    join(futures::executor::block_on(tokio::task::unconstrained(handle)))
}

/// Runs `future` on the storage runtime; awaitable from any runtime.
pub(crate) async fn run<F>(future: F) -> F::Output
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    join(io_runtime().spawn(future).await)
}

/// Starts `future` on the storage runtime without waiting (reads ahead).
pub(crate) fn spawn<F>(future: F) -> tokio::task::JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    io_runtime().spawn(future)
}

/// A task's output; a panic inside it continues in the caller.
pub(crate) fn join<T>(result: Result<T, tokio::task::JoinError>) -> T {
    match result {
        Ok(value) => value,
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        Err(error) => panic!("storage task cancelled: {error}"),
    }
}
