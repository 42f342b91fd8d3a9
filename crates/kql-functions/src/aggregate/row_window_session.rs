//! `row_window_session(value, maxDistanceFromFirst, maxDistanceBetweenNeighbors[, restart])`: the
//! value at the start of each row's session, computed by the planner as a running window aggregate
//! over the serialized rows (rows reach the accumulator in order, and each row reads it once they
//! are in). The docs' model: a row starts a new session when there was no session or its start was
//! null, when its value "equals or exceeds" the session's start plus `maxDistanceFromFirst` or the
//! previous value plus `maxDistanceBetweenNeighbors`, or when `restart` is true; "when Expr results
//! in a null value, the next value starts a new session" (the null row itself has no session: null).
//! Not an aggregate of `summarize`: the binder calls it only as a window function.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{
    DataType, DurationNanosecondType, FieldRef, TimeUnit, TimestampNanosecondType,
};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility};

use crate::registry::InternalFunction;

const NAME: &str = "kql_row_window_session";

pub fn udaf() -> Arc<AggregateUDF> {
    crate::singleton!(
        AggregateUDF,
        Arc::new(AggregateUDF::from(RowWindowSession::new()))
    )
}

pub(crate) static ROW_WINDOW_SESSION: InternalFunction =
    InternalFunction::aggregate("row_window_session", udaf);

#[derive(Debug, PartialEq, Eq, Hash)]
struct RowWindowSession {
    signature: Signature,
}

impl RowWindowSession {
    fn new() -> RowWindowSession {
        RowWindowSession {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

fn datetime() -> DataType {
    DataType::Timestamp(TimeUnit::Nanosecond, None)
}

impl AggregateUDFImpl for RowWindowSession {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    /// (datetime, timespan, timespan, bool), as the binder passes them.
    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [
                DataType::Timestamp(..),
                DataType::Duration(_),
                DataType::Duration(_),
                DataType::Boolean,
            ] => Ok(vec![
                datetime(),
                DataType::Duration(TimeUnit::Nanosecond),
                DataType::Duration(TimeUnit::Nanosecond),
                DataType::Boolean,
            ]),
            other => plan_err!("{NAME}(): expected (datetime, timespan, timespan, bool), got {other:?}"),
        }
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(datetime())
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        // Never merged (a window function over one ordered partition); DataFusion still asks.
        Ok(vec![Arc::new(datafusion::arrow::datatypes::Field::new(
            format!("{}[start]", args.name),
            datetime(),
            true,
        ))])
    }

    fn accumulator(&self, _args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(SessionAccumulator::default()))
    }
}

/// The session state after the rows seen so far.
#[derive(Debug, Default)]
struct SessionAccumulator {
    /// The start of the current session; `None` before the first value and after a null.
    start: Option<i64>,
    /// The previous row's value.
    previous: Option<i64>,
}

impl SessionAccumulator {
    /// Takes one row: `value`, the two limits (nanoseconds; a null limit never starts a session) and
    /// the restart flag.
    fn step(&mut self, value: Option<i64>, from_first: Option<i64>, between: Option<i64>, restart: bool) {
        let Some(value) = value else {
            self.start = None;
            self.previous = None;
            return;
        };
        let reaches = |base: Option<i64>, limit: Option<i64>| match (base, limit) {
            (Some(base), Some(limit)) => i128::from(value) >= i128::from(base) + i128::from(limit),
            _ => false,
        };
        let new_session = self.start.is_none()
            || restart
            || reaches(self.start, from_first)
            || reaches(self.previous, between);
        if new_session {
            self.start = Some(value);
        }
        self.previous = Some(value);
    }
}

impl Accumulator for SessionAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let [value, from_first, between, restart] = values else {
            return exec_err!("{NAME}(): expected four arguments");
        };
        let value = value.as_primitive::<TimestampNanosecondType>();
        let from_first = from_first.as_primitive::<DurationNanosecondType>();
        let between = between.as_primitive::<DurationNanosecondType>();
        let restart = restart.as_boolean();
        for row in 0..value.len() {
            let read = |array: &dyn Array, row: usize| array.is_valid(row);
            self.step(
                read(value, row).then(|| value.value(row)),
                read(from_first, row).then(|| from_first.value(row)),
                read(between, row).then(|| between.value(row)),
                restart.is_valid(row) && restart.value(row),
            );
        }
        Ok(())
    }

    fn merge_batch(&mut self, _states: &[ArrayRef]) -> Result<()> {
        exec_err!("{NAME}() is a window function over ordered rows; its states do not merge")
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::TimestampNanosecond(self.start, None)])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::TimestampNanosecond(self.start, None))
    }

    fn size(&self) -> usize {
        size_of_val(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: i64 = 60_000_000_000;

    fn sessions(rows: &[(Option<i64>, bool)], from_first: i64, between: i64) -> Vec<Option<i64>> {
        let mut accumulator = SessionAccumulator::default();
        rows.iter()
            .map(|&(value, restart)| {
                accumulator.step(value, Some(from_first), Some(between), restart);
                accumulator.start
            })
            .collect()
    }

    #[test]
    fn docs_example() {
        // row_window_session(Timestamp, 1h, 5m, ID != prev(ID)) over the docs' rows sorted by ID,
        // Timestamp (minutes after 10:00): 1: 0, 60; 2: 16, 18, 210; 3: 90.
        let rows = [
            (0, true),
            (60, false),
            (16, true),
            (18, false),
            (210, false),
            (90, true),
        ]
        .map(|(minutes, restart)| (Some(minutes * MINUTE), restart));
        let expected = [0, 60, 16, 16, 210, 90].map(|minutes| Some(minutes * MINUTE));
        assert_eq!(sessions(&rows, 60 * MINUTE, 5 * MINUTE), expected);
    }

    #[test]
    fn limits_are_reached_when_equalled_and_a_null_ends_the_session() {
        // Within 10 minutes of the first and 4 of the previous: 0, 3, 6, 9 share a session; 10 equals
        // 0 + 10m and 14 equals 10 + 4m, so each starts one ("equals or exceeds"). A null has no
        // session and the value after it starts one.
        let rows = [
            Some(0),
            Some(3),
            Some(6),
            Some(9),
            Some(10),
            Some(14),
            None,
            Some(15),
        ]
        .map(|minutes| (minutes.map(|m| m * MINUTE), false));
        let expected = [
            Some(0),
            Some(0),
            Some(0),
            Some(0),
            Some(10),
            Some(14),
            None,
            Some(15),
        ]
        .map(|minutes| minutes.map(|m| m * MINUTE));
        assert_eq!(sessions(&rows, 10 * MINUTE, 4 * MINUTE), expected);
    }
}
