//! One pass per file: a query reading several tables of the same multi-table files (Streaming API
//! messages, whose records name their tables) reads each part of a file once for all of them.
//!
//! A physical optimizer rule ([`install_shared_reads`]) finds the query's scans and the parts of
//! line-delimited multi-table files that two or more of them read, and gives those scans one
//! [`SharedReads`]. The first scan to reach such a part leads: it reads the part for itself and for
//! every other scan that has not started it, each record going to each scan's own row assembler (its
//! own projection, prefilter, time bounds and join filters), so rows and the read report are exactly
//! those of separate passes. The rows for the other scans are kept until their scans take them.
//!
//! Never a deadlock: the pass never waits for another scan's consumer, and a scan waits for a pass only
//! while the leader is reading, not while it waits for its own consumer to poll (a hash join polls
//! its build side to the end before it polls its probe side; a merge join can poll the other side
//! first): then the waiting scan reads the part itself. Never unbounded: rows kept for other scans
//! and the leader's own rows queued for its consumer count against a budget; past it, a scan's kept
//! rows are dropped and that scan reads the part itself (counted in the report's shared-read counts).
//! A scan whose join filter is not complete when the pass starts is left to its own pass: read
//! without the filter, its report would count rows separate passes do not.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::config::ConfigOptions;
use datafusion::error::Result as DfResult;
use datafusion::execution::SessionStateBuilder;
use datafusion::execution::memory_pool::MemoryReservation;
use datafusion::physical_expr::expressions::DynamicFilterPhysicalExpr;
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_plan::ExecutionPlan;
use datafusion::prelude::SessionContext;
use futures::FutureExt;
use tokio::sync::mpsc::Sender;
use tokio::sync::mpsc::error::TrySendError;

use crate::assemble::ScanSpec;
use crate::error::{Result, SourceError};
use crate::provider::TelemetryScanExec;
use crate::read::{FileSlice, ReadContext, SliceReader, read_slice, read_slice_for};
use crate::report::{PartKey, ReadReport};

/// The name of the physical optimizer rule that gives a query's scans their shared passes.
pub const SHARED_READS_RULE: &str = "torhunt_shared_reads";

/// Adds the shared-reads rule to a session (once): queries planned there from now on read each part
/// of a multi-table file once for all their scans (unless the data set was read with
/// [`crate::ReadOptions::shared_reads`] off).
pub fn install_shared_reads(context: &SessionContext) {
    let state = context.state_ref();
    let mut state = state.write();
    if state
        .physical_optimizers()
        .iter()
        .any(|rule| rule.name() == SHARED_READS_RULE)
    {
        return;
    }
    *state = SessionStateBuilder::new_from_existing(state.clone())
        .with_physical_optimizer_rule(Arc::new(SharedReadsRule))
        .build();
}

/// Gives the scans of a plan that read the same parts of multi-table files one [`SharedReads`].
/// It runs last, after the filter pushdown that hands scans their join filters.
#[derive(Debug)]
struct SharedReadsRule;

impl PhysicalOptimizerRule for SharedReadsRule {
    fn optimize(&self, plan: Arc<dyn ExecutionPlan>, _: &ConfigOptions) -> DfResult<Arc<dyn ExecutionPlan>> {
        let mut scans = Vec::new();
        let plan = plan
            .transform_up(|node| {
                if let Some(scan) = node.downcast_ref::<TelemetryScanExec>() {
                    scans.push(scan.clone());
                }
                Ok(Transformed::no(node))
            })?
            .data;
        let Some(shared) = SharedReads::new(scans) else {
            return Ok(plan);
        };
        // Ids in the order of the walk above, which visits the same nodes in the same order.
        let shared = Arc::new(shared);
        let mut next_id = 0;
        Ok(plan
            .transform_up(|node| match node.downcast_ref::<TelemetryScanExec>() {
                Some(scan) => {
                    let scan = scan.with_shared_reads(Arc::clone(&shared), next_id);
                    next_id += 1;
                    Ok(Transformed::yes(Arc::new(scan) as Arc<dyn ExecutionPlan>))
                }
                None => Ok(Transformed::no(node)),
            })?
            .data)
    }

    fn name(&self) -> &str {
        SHARED_READS_RULE
    }

    fn schema_check(&self) -> bool {
        true
    }
}

/// A part of a file, as the scans of a plan read it.
type SliceKey = (PathBuf, PartKey);

/// The shared passes of one plan's scans.
pub(crate) struct SharedReads {
    /// The plan's scans by id (as they were before the rule gave them this).
    scans: Vec<TelemetryScanExec>,
    /// The parts two or more scans read.
    passes: HashMap<SliceKey, SlicePass>,
    /// Bytes of rows kept for scans that have not taken them, and queued for leaders' consumers.
    kept: AtomicU64,
    budget: u64,
}

struct SlicePass {
    state: Mutex<PassState>,
    /// Signalled when the pass ends, drops a scan's rows, or its leader starts waiting for its own
    /// consumer.
    changed: Condvar,
}

struct PassState {
    reading: Reading,
    /// Per scan id wanting the part.
    shares: BTreeMap<usize, Share>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    NotStarted,
    /// `leader_waits`: the leader is waiting for its own consumer to take rows.
    InProgress {
        leader_waits: bool,
    },
    Done,
}

enum Share {
    /// Its scan has not reached the part, and no pass has started.
    Waiting,
    /// The pass under way reads for it; its rows so far.
    Pending { batches: Vec<RecordBatch>, bytes: u64 },
    /// The pass read for it: its rows, and what the read reported for it.
    Ready {
        batches: Vec<RecordBatch>,
        bytes: u64,
        report: ReadReport,
    },
    /// Reading for it failed (a malformed record in strict mode): its scan fails with this.
    Failed(SourceError),
    /// Taken, dropped, or read by its own scan.
    Gone,
}

impl std::fmt::Debug for SharedReads {
    // The scans are the plan's own nodes: printing them again inside each node would say nothing new.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedReads")
            .field("parts", &self.passes.len())
            .field("budget", &self.budget)
            .finish_non_exhaustive()
    }
}

impl SharedReads {
    /// The shared passes of these scans; `None` when no part of a multi-table file is read by two.
    fn new(scans: Vec<TelemetryScanExec>) -> Option<SharedReads> {
        let mut wanted: HashMap<SliceKey, Vec<usize>> = HashMap::new();
        for (id, scan) in scans.iter().enumerate() {
            if !scan.context.shared_reads {
                continue;
            }
            for slice in scan.partitions.iter().flatten().filter(|s| shares(s)) {
                wanted.entry(key_of(slice)).or_default().push(id);
            }
        }
        let passes: HashMap<SliceKey, SlicePass> = wanted
            .into_iter()
            .filter(|(_, ids)| ids.len() > 1)
            .map(|(key, ids)| {
                let shares = ids.into_iter().map(|id| (id, Share::Waiting)).collect();
                let state = PassState {
                    reading: Reading::NotStarted,
                    shares,
                };
                (
                    key,
                    SlicePass {
                        state: Mutex::new(state),
                        changed: Condvar::new(),
                    },
                )
            })
            .collect();
        if passes.is_empty() {
            return None;
        }
        let budget = scans
            .iter()
            .find(|s| s.context.shared_reads)
            .map_or(0, |s| s.context.shared_read_budget);
        Some(SharedReads {
            scans,
            passes,
            kept: AtomicU64::new(0),
            budget,
        })
    }

    /// How many parts scan `id` reads in shared passes.
    pub fn parts_shared_by(&self, id: usize) -> usize {
        self.passes
            .values()
            .filter(|pass| lock(&pass.state).shares.contains_key(&id))
            .count()
    }

    /// Scan `id` reads `slice` with `spec`, sending its rows to `sender`: from a pass another scan
    /// made, in a pass it leads, or alone. Returns whether its consumer still wants rows.
    pub fn read(
        &self,
        id: usize,
        slice: &FileSlice,
        spec: &Arc<ScanSpec>,
        context: &ReadContext,
        memory: &mut MemoryReservation,
        sender: &Sender<DfResult<RecordBatch>>,
    ) -> Result<bool> {
        let Some(pass) = self.passes.get(&key_of(slice)) else {
            return read_alone(spec, slice, context, memory, sender);
        };
        let mut state = lock(&pass.state);
        loop {
            let reading = state.reading;
            let Some(share) = state.shares.get_mut(&id) else {
                drop(state);
                return read_alone(spec, slice, context, memory, sender);
            };
            // Whatever this scan does now, no one else reads for it any more (unless it waits below).
            match (std::mem::replace(share, Share::Gone), reading) {
                (
                    Share::Ready {
                        batches,
                        bytes,
                        report,
                    },
                    _,
                ) => {
                    drop(state);
                    self.release(bytes);
                    context.report.absorb(&report);
                    context.report.note_shared(|counts| counts.reads_saved += 1);
                    return Ok(batches
                        .into_iter()
                        .all(|batch| sender.blocking_send(Ok(batch)).is_ok()));
                }
                (Share::Failed(error), _) => return Err(error),
                (Share::Pending { batches, bytes }, Reading::InProgress { leader_waits: false }) => {
                    *share = Share::Pending { batches, bytes };
                    state = pass.changed.wait(state).unwrap_or_else(|e| e.into_inner());
                }
                (Share::Waiting, Reading::NotStarted) => {
                    return self.lead(id, pass, state, slice, spec, context, memory, sender);
                }
                // The leader waits for its consumer, which may be waiting for this scan: read alone.
                (Share::Pending { bytes, .. }, _) => {
                    drop(state);
                    self.release(bytes);
                    return read_alone(spec, slice, context, memory, sender);
                }
                (Share::Waiting | Share::Gone, _) => {
                    drop(state);
                    return read_alone(spec, slice, context, memory, sender);
                }
            }
        }
    }

    /// Reads the part for scan `id` and every other scan that has not reached it yet.
    #[allow(clippy::too_many_arguments)]
    fn lead(
        &self,
        id: usize,
        pass: &SlicePass,
        mut state: MutexGuard<'_, PassState>,
        slice: &FileSlice,
        spec: &Arc<ScanSpec>,
        context: &ReadContext,
        memory: &mut MemoryReservation,
        sender: &Sender<DfResult<RecordBatch>>,
    ) -> Result<bool> {
        state.reading = Reading::InProgress { leader_waits: false };
        let mut served = Vec::new();
        for (&other, share) in state.shares.iter_mut() {
            let scan = &self.scans[other];
            if other != id && matches!(share, Share::Waiting) && join_filters_complete(scan) {
                *share = Share::Pending {
                    batches: Vec::new(),
                    bytes: 0,
                };
                served.push((other, scan.spec_with_join_filters(), ReadReport::default()));
            }
        }
        drop(state);
        if served.is_empty() {
            let wanted = read_alone(spec, slice, context, memory, sender);
            self.finish(pass, &[], None);
            return wanted;
        }
        context.report.note_shared(|counts| counts.shared_passes += 1);
        let mut own = OwnQueue {
            shared: self,
            pass,
            sender,
            queued: VecDeque::new(),
            wanted: true,
        };
        let mut keepers: Vec<_> = served
            .iter()
            .map(|&(other, ..)| move |batch: RecordBatch| self.keep(pass, other, batch, context))
            .collect();
        let mut own_emit = |batch| own.push(batch);
        let mut readers = vec![SliceReader {
            spec: spec.clone(),
            report: context.report.clone(),
            emit: &mut own_emit,
            propagates: true,
        }];
        for ((_, spec, report), keeper) in served.iter().zip(keepers.iter_mut()) {
            readers.push(SliceReader {
                spec: spec.clone(),
                report: report.clone(),
                emit: keeper,
                propagates: false,
            });
        }
        let (failures, result) = match read_slice_for(slice, context, memory, readers) {
            Ok(failures) => (Some(failures), Ok(())),
            Err(error) => (None, Err(error)),
        };
        self.finish(pass, &served, failures);
        own.drain();
        result.map(|()| own.wanted)
    }

    /// Ends a pass: the rows read for other scans become theirs to take (or their errors), or, when
    /// the pass failed, those scans read the part themselves.
    fn finish(
        &self,
        pass: &SlicePass,
        served: &[(usize, Arc<ScanSpec>, ReadReport)],
        failures: Option<Vec<Option<SourceError>>>,
    ) {
        // The leader's reader comes first in the failures.
        let mut failures = failures.map(|f| f.into_iter().skip(1));
        let mut state = lock(&pass.state);
        state.reading = Reading::Done;
        for (other, _, report) in served {
            let Some(share) = state.shares.get_mut(other) else {
                continue;
            };
            let Share::Pending { batches, bytes } = std::mem::replace(share, Share::Gone) else {
                continue;
            };
            *share = match failures.as_mut().map(|f| f.next().flatten()) {
                Some(Some(error)) => {
                    self.release(bytes);
                    Share::Failed(error)
                }
                Some(None) => Share::Ready {
                    batches,
                    bytes,
                    report: report.clone(),
                },
                None => {
                    self.release(bytes);
                    Share::Gone
                }
            };
        }
        drop(state);
        pass.changed.notify_all();
    }

    /// Keeps a batch read for scan `other`; returns false (stop reading for it) when its scan no
    /// longer waits for the pass or the budget is exceeded (its rows are then dropped).
    fn keep(&self, pass: &SlicePass, other: usize, batch: RecordBatch, context: &ReadContext) -> bool {
        let size = batch.get_array_memory_size() as u64;
        let mut state = lock(&pass.state);
        let Some(Share::Pending { batches, bytes }) = state.shares.get_mut(&other) else {
            return false;
        };
        if !self.reserve(size) {
            let dropped = *bytes;
            state.shares.insert(other, Share::Gone);
            drop(state);
            self.release(dropped);
            context.report.note_shared(|counts| counts.over_budget += 1);
            pass.changed.notify_all();
            return false;
        }
        batches.push(batch);
        *bytes += size;
        true
    }

    /// Counts `size` more bytes kept, if the budget allows.
    fn reserve(&self, size: u64) -> bool {
        self.kept
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |kept| {
                kept.checked_add(size).filter(|&total| total <= self.budget)
            })
            .is_ok()
    }

    fn release(&self, size: u64) {
        self.kept.fetch_sub(size, Ordering::AcqRel);
    }

    /// Marks whether the leader of `pass` waits for its own consumer.
    fn leader_waits(&self, pass: &SlicePass, waits: bool) {
        let mut state = lock(&pass.state);
        if let Reading::InProgress { leader_waits } = &mut state.reading {
            *leader_waits = waits;
        }
        drop(state);
        pass.changed.notify_all();
    }
}

/// The leader's own rows: sent to its consumer when it has room, else queued (within the budget) so
/// the pass goes on for the others; past the budget the leader waits for its consumer, and says so.
struct OwnQueue<'a> {
    shared: &'a SharedReads,
    pass: &'a SlicePass,
    sender: &'a Sender<DfResult<RecordBatch>>,
    /// Rows waiting for room, with the bytes counted against the budget for them.
    queued: VecDeque<(DfResult<RecordBatch>, u64)>,
    /// Whether the consumer still wants rows.
    wanted: bool,
}

impl OwnQueue<'_> {
    fn push(&mut self, batch: RecordBatch) -> bool {
        let size = batch.get_array_memory_size() as u64;
        if !self.send_ready() {
            return false;
        }
        if self.queued.is_empty() {
            match self.sender.try_send(Ok(batch)) {
                Ok(()) => true,
                Err(TrySendError::Closed(_)) => self.stop(),
                Err(TrySendError::Full(message)) => self.enqueue(message, size),
            }
        } else {
            self.enqueue(Ok(batch), size)
        }
    }

    /// Queues a batch within the budget; past it, waits for the consumer.
    fn enqueue(&mut self, message: DfResult<RecordBatch>, size: u64) -> bool {
        if self.shared.reserve(size) {
            self.queued.push_back((message, size));
            return true;
        }
        self.queued.push_back((message, 0));
        self.shared.leader_waits(self.pass, true);
        self.drain();
        self.shared.leader_waits(self.pass, false);
        self.wanted
    }

    /// Sends queued rows while the consumer has room; false once it is gone.
    fn send_ready(&mut self) -> bool {
        while let Some((message, size)) = self.queued.pop_front() {
            match self.sender.try_send(message) {
                Ok(()) => self.shared.release(size),
                Err(TrySendError::Closed(_)) => {
                    self.shared.release(size);
                    return self.stop();
                }
                Err(TrySendError::Full(message)) => {
                    self.queued.push_front((message, size));
                    break;
                }
            }
        }
        self.wanted
    }

    /// Sends every queued batch, waiting for the consumer.
    fn drain(&mut self) {
        while let Some((message, size)) = self.queued.pop_front() {
            self.shared.release(size);
            if self.wanted && self.sender.blocking_send(message).is_err() {
                self.wanted = false;
            }
        }
    }

    fn stop(&mut self) -> bool {
        for (_, size) in self.queued.drain(..) {
            self.shared.release(size);
        }
        self.wanted = false;
        false
    }
}

/// Reads a slice for one scan, as without shared passes.
pub(crate) fn read_alone(
    spec: &Arc<ScanSpec>,
    slice: &FileSlice,
    context: &ReadContext,
    memory: &mut MemoryReservation,
    sender: &Sender<DfResult<RecordBatch>>,
) -> Result<bool> {
    let mut wanted = true;
    read_slice(spec, slice, context, memory, &mut |batch| {
        wanted = sender.blocking_send(Ok(batch)).is_ok();
        wanted
    })?;
    Ok(wanted)
}

/// Whether a slice can be read for several scans at once: a part of a line-delimited file whose
/// records name their tables.
fn shares(slice: &FileSlice) -> bool {
    slice.file.is_multi_table() && slice.file.format.is_json_lines()
}

fn key_of(slice: &FileSlice) -> SliceKey {
    (slice.file.path.clone(), slice.part_key())
}

/// Whether every join filter of a scan is final (a pass reading for it uses them as they are).
fn join_filters_complete(scan: &TelemetryScanExec) -> bool {
    scan.join_filters().iter().all(|filter| {
        filter
            .downcast_ref::<DynamicFilterPhysicalExpr>()
            .is_none_or(|dynamic| dynamic.wait_complete().now_or_never().is_some())
    })
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere while holding the lock leaves the state meaningful.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
