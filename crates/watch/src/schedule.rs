//! When a rule runs and over what: Sentinel's `queryFrequency` and `queryPeriod`, on a fixed grid.
//!
//! Runs happen at the multiples of the frequency since the Unix epoch ("ticks"), so every process
//! — a long-running watcher, a cron job with `--once`, a replay with `--now` — agrees on which
//! instants a rule runs at, and a record with time `t` belongs to the run at the first tick after it.

use kql_types::time::NANOS_PER_HOUR;
use torhunt_rules::Rule;

/// How often a rule without `queryFrequency` runs (Sentinel's portal proposes 5 hours; an hour keeps
/// alerts timely and is the Streaming API's folder granularity).
pub const DEFAULT_FREQUENCY: i64 = NANOS_PER_HOUR;

/// A rule's schedule, in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub frequency: i64,
    /// How far back each run looks; a rule without `queryPeriod` looks back one frequency (each
    /// record is then in exactly one run's window, as in Sentinel when both are equal).
    pub period: i64,
}

impl Schedule {
    pub fn of(rule: &Rule) -> Schedule {
        let frequency = rule
            .query_frequency
            .filter(|f| *f > 0)
            .unwrap_or(DEFAULT_FREQUENCY);
        Schedule {
            frequency,
            period: rule.query_period.filter(|p| *p > 0).unwrap_or(frequency),
        }
    }

    /// The latest tick at or before `now`.
    pub fn tick_at_or_before(&self, now: i64) -> i64 {
        now - now.rem_euclid(self.frequency)
    }

    /// The run whose window ends first after a record of time `time`: the tick after it (the tick
    /// itself for a record exactly on one is also covered, by the run before, since windows include
    /// both ends).
    pub fn tick_after(&self, time: i64) -> i64 {
        self.tick_at_or_before(time).saturating_add(self.frequency)
    }

    /// Whether a tick has passed since the rule last ran (never having run, it is due).
    pub fn is_due(&self, last_run: Option<i64>, now: i64) -> bool {
        last_run.is_none_or(|last| self.tick_at_or_before(now) > last)
    }

    /// The ticks whose window `[tick - period, tick]` can hold a record of time in `[from, to)`,
    /// oldest first: `from <= tick < to + period` on the grid.
    pub fn ticks_holding(&self, from: i64, to: i64) -> impl Iterator<Item = i64> + use<> {
        let frequency = self.frequency;
        let first = self.tick_at_or_before(from);
        let first = if first < from { first + frequency } else { first };
        let end = to.saturating_add(self.period);
        (0..)
            .map(move |n: i64| first.saturating_add(n.saturating_mul(frequency)))
            .take_while(move |tick| *tick < end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = NANOS_PER_HOUR;

    fn schedule(frequency: i64, period: i64) -> Schedule {
        Schedule { frequency, period }
    }

    #[test]
    fn runs_fall_on_the_frequency_grid() {
        let hourly = schedule(H, H);
        assert_eq!(hourly.tick_at_or_before(10 * H + 5), 10 * H);
        assert_eq!(hourly.tick_at_or_before(10 * H), 10 * H);
        assert_eq!(hourly.tick_after(10 * H + 5), 11 * H);
        assert!(hourly.is_due(None, 3 * H));
        assert!(!hourly.is_due(Some(10 * H), 10 * H + 59));
        assert!(hourly.is_due(Some(10 * H), 11 * H));
    }

    #[test]
    fn records_belong_to_every_window_reaching_back_to_them() {
        // queryFrequency 1h, queryPeriod 3h: records of 10:00-11:00 are in the runs of 10:00 (one
        // exactly at 10:00), 11:00, 12:00 and 13:00 (whose window starts at 10:00).
        let ticks: Vec<i64> = schedule(H, 3 * H).ticks_holding(10 * H, 11 * H).collect();
        assert_eq!(ticks, [10 * H, 11 * H, 12 * H, 13 * H]);
        // Records of 10:30-10:40 only: 11:00, 12:00, 13:00.
        let ticks: Vec<i64> = schedule(H, 3 * H)
            .ticks_holding(10 * H + H / 2, 10 * H + H / 2 + 1)
            .collect();
        assert_eq!(ticks, [11 * H, 12 * H, 13 * H]);
    }
}
