//! The memory pool behind `--memory-limit`.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};

use datafusion::common::{Result, resources_datafusion_err};
use datafusion::execution::memory_pool::{
    GreedyMemoryPool, MemoryLimit, MemoryPool, MemoryReservation, human_readable_size,
};

/// The share of the limit operators that can spill (sorts, aggregations) may hold together.
const SPILLABLE_PERCENT: usize = 75;

/// DataFusion's first-come-first-served pool, with part of the limit kept from operators that can
/// spill.
///
/// In one greedy pool whoever asks last fails: a sort fills the pool with the batches it buffers, and
/// then the scan feeding it, which cannot spill, fails to hold its next record, so a query that could
/// have spilled fails instead (`DeviceNetworkEvents | sort by RemoteUrl` on a million events under
/// `--memory-limit 300M`). Here operators that can spill hold at most [`SPILLABLE_PERCENT`] of the
/// limit between them: past it their growth fails, which is what makes them spill, and the rest of
/// the limit stays for what cannot spill (readers, the sort's merges, the query's result).
#[derive(Debug)]
pub(crate) struct SpillHeadroomPool {
    pool: GreedyMemoryPool,
    spillable_limit: usize,
    spillable: AtomicUsize,
}

impl SpillHeadroomPool {
    pub(crate) fn new(limit: usize) -> SpillHeadroomPool {
        SpillHeadroomPool {
            pool: GreedyMemoryPool::new(limit),
            spillable_limit: limit / 100 * SPILLABLE_PERCENT,
            spillable: AtomicUsize::new(0),
        }
    }
}

impl MemoryPool for SpillHeadroomPool {
    fn name(&self) -> &str {
        "spill_headroom"
    }

    fn grow(&self, reservation: &MemoryReservation, additional: usize) {
        if reservation.consumer().can_spill() {
            self.spillable.fetch_add(additional, Ordering::Relaxed);
        }
        self.pool.grow(reservation, additional);
    }

    fn shrink(&self, reservation: &MemoryReservation, shrink: usize) {
        if reservation.consumer().can_spill() {
            self.spillable.fetch_sub(shrink, Ordering::Relaxed);
        }
        self.pool.shrink(reservation, shrink);
    }

    fn try_grow(&self, reservation: &MemoryReservation, additional: usize) -> Result<()> {
        if !reservation.consumer().can_spill() {
            return self.pool.try_grow(reservation, additional);
        }
        self.spillable
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |held| {
                held.checked_add(additional)
                    .filter(|&after| after <= self.spillable_limit)
            })
            .map_err(|held| {
                resources_datafusion_err!(
                    "Failed to allocate additional {} for {} with {} already allocated for this \
                     reservation - {} remain available to operators that can spill ({SPILLABLE_PERCENT}% \
                     of the pool): {self}",
                    human_readable_size(additional),
                    reservation.consumer().name(),
                    human_readable_size(reservation.size()),
                    human_readable_size(self.spillable_limit.saturating_sub(held))
                )
            })?;
        self.pool.try_grow(reservation, additional).inspect_err(|_| {
            self.spillable.fetch_sub(additional, Ordering::Relaxed);
        })
    }

    fn reserved(&self) -> usize {
        self.pool.reserved()
    }

    fn memory_limit(&self) -> MemoryLimit {
        self.pool.memory_limit()
    }
}

impl fmt::Display for SpillHeadroomPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}(used: {}, spillable: {} of {})",
            self.name(),
            human_readable_size(self.reserved()),
            human_readable_size(self.spillable.load(Ordering::Relaxed)),
            human_readable_size(self.spillable_limit),
        )
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use datafusion::execution::memory_pool::MemoryConsumer;

    use super::*;

    #[test]
    fn what_cannot_spill_keeps_the_share_that_spilling_operators_may_not_take() {
        let pool: Arc<dyn MemoryPool> = Arc::new(SpillHeadroomPool::new(1000));
        let sort = MemoryConsumer::new("sort").with_can_spill(true).register(&pool);
        let scan = MemoryConsumer::new("scan").register(&pool);
        sort.try_grow(700).unwrap();
        // 75% of 1000 is 750: the sort is refused past it, and keeps what it held.
        let refused = sort.try_grow(100).unwrap_err().to_string();
        assert!(
            refused.contains("remain available to operators that can spill"),
            "{refused}"
        );
        assert_eq!(sort.size(), 700);
        sort.try_grow(50).unwrap();
        // The scan takes the rest of the limit, and no more.
        scan.try_grow(250).unwrap();
        assert!(scan.try_grow(1).is_err());
        assert_eq!(pool.reserved(), 1000);
        // What the sort gives back is spillable room again.
        sort.shrink(300);
        scan.shrink(250);
        sort.try_grow(300).unwrap();
        assert!(sort.try_grow(1).is_err());
    }

    #[test]
    fn a_memory_limit_gives_the_engine_this_pool() {
        let config = crate::EngineConfig {
            memory_limit: Some(1000),
            ..Default::default()
        };
        let engine = crate::Engine::new(config).unwrap();
        let pool = &engine.session().runtime_env().memory_pool;
        let sort = MemoryConsumer::new("sort").with_can_spill(true).register(pool);
        let scan = MemoryConsumer::new("scan").register(pool);
        assert!(sort.try_grow(751).is_err());
        sort.try_grow(750).unwrap();
        scan.try_grow(250).unwrap();
        // Out of memory, the error names the largest consumers (DataFusion's tracking pool is kept).
        let refused = scan.try_grow(1).unwrap_err().to_string();
        assert!(
            refused.contains("sort#") && refused.contains("can spill: true"),
            "{refused}"
        );
    }

    #[test]
    fn operators_that_spill_share_one_allowance() {
        let pool: Arc<dyn MemoryPool> = Arc::new(SpillHeadroomPool::new(1000));
        let first = MemoryConsumer::new("sort 0").with_can_spill(true).register(&pool);
        let second = MemoryConsumer::new("sort 1").with_can_spill(true).register(&pool);
        first.try_grow(500).unwrap();
        second.try_grow(250).unwrap();
        assert!(second.try_grow(1).is_err());
        // An infallible grow counts too (DataFusion grows reservations it cannot refuse).
        first.shrink(100);
        second.grow(100);
        assert!(first.try_grow(1).is_err());
        drop(second);
        first.try_grow(350).unwrap();
        assert_eq!(pool.reserved(), 750);
    }
}
