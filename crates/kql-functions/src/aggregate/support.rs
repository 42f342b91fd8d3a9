//! Helpers shared by the aggregate functions: constant arguments, list-shaped state, JSON rendering
//! of Arrow values (the `dynamic` text Kusto returns), and a test harness that runs partial and final
//! aggregation over several partitions.

use std::fmt::Write;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{
    DataType, DurationNanosecondType, Field, FieldRef, Float64Type, Int32Type, Int64Type, TimeUnit,
    TimestampNanosecondType,
};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_expr::expressions::Literal;
use kql_types::time::format_timespan;

/// The first argument of an aggregate call (the value aggregated).
pub(super) fn first_argument(
    args: Vec<datafusion::logical_expr::Expr>,
) -> Result<datafusion::logical_expr::Expr> {
    args.into_iter().next().ok_or_else(|| {
        datafusion::common::DataFusionError::Internal("an aggregate without its value".to_string())
    })
}

/// Running-statistics state: one nullable float field per named part, named `fn[part]`.
pub(super) fn float_state_fields(name: &str, parts: &[&str]) -> Vec<FieldRef> {
    parts
        .iter()
        .map(|part| Arc::new(Field::new(format!("{name}[{part}]"), DataType::Float64, true)))
        .collect()
}

/// The value of a constant argument (`maxSize`, a percentile), or a plan error naming the function.
pub(super) fn constant_arg(
    name: &str,
    exprs: &[Arc<dyn PhysicalExpr>],
    index: usize,
) -> Result<Option<ScalarValue>> {
    let Some(expr) = exprs.get(index) else {
        return Ok(None);
    };
    match expr.downcast_ref::<Literal>() {
        Some(literal) => Ok(Some(literal.value().clone())),
        None => plan_err!("{name}(): argument {} must be a constant", index + 1),
    }
}

/// A constant numeric argument as `f64`.
pub(super) fn constant_number(name: &str, value: &ScalarValue) -> Result<f64> {
    match value.cast_to(&DataType::Float64)? {
        ScalarValue::Float64(Some(number)) => Ok(number),
        _ => plan_err!("{name}(): expected a constant number, got {value}"),
    }
}

/// The default and largest `maxSize` of `make_list`, `make_set` and `make_bag` (and their `_if`
/// forms): "The default and max value is 1048576."
const MAX_SIZE: usize = 1_048_576;

/// The `maxSize` argument at `index`, [`MAX_SIZE`] when omitted: a number of elements from 1 to
/// [`MAX_SIZE`], the range the pages define; any other is refused rather than clamped.
pub(super) fn max_size(name: &str, exprs: &[Arc<dyn PhysicalExpr>], index: usize) -> Result<usize> {
    let Some(value) = constant_arg(name, exprs, index)? else {
        return Ok(MAX_SIZE);
    };
    let size = constant_number(name, &value)?;
    if size.fract() == 0.0 && (1.0..=MAX_SIZE as f64).contains(&size) {
        Ok(size as usize)
    } else {
        plan_err!(
            "{name}(): maxSize {value} is not a number of elements from 1 to {MAX_SIZE} (the docs' range)"
        )
    }
}

/// A list-typed state field holding items of `item_type`.
pub(super) fn list_state_field(name: &str, item_type: DataType) -> FieldRef {
    Arc::new(Field::new_list(
        name,
        Field::new_list_field(item_type, true),
        true,
    ))
}

/// The values of every list in a list-typed state column, as one array per row.
pub(super) fn state_lists(state: &ArrayRef) -> Result<Vec<ArrayRef>> {
    let Some(lists) = state.as_list_opt::<i32>() else {
        return exec_err!("expected a list state, got {}", state.data_type());
    };
    Ok(lists.iter().flatten().collect())
}

/// Appends `array[row]` as JSON. `Utf8` is a JSON string unless `utf8_is_json` (a `dynamic` input,
/// embedded as is). Datetimes print as Kusto puts them in dynamic values, with seven fraction digits.
pub(super) fn write_json(out: &mut String, array: &dyn Array, row: usize, utf8_is_json: bool) -> Result<()> {
    if array.is_null(row) {
        out.push_str("null");
        return Ok(());
    }
    let written = match array.data_type() {
        DataType::Boolean => write!(out, "{}", array.as_boolean().value(row)),
        DataType::Int32 => write!(out, "{}", array.as_primitive::<Int32Type>().value(row)),
        DataType::Int64 => write!(out, "{}", array.as_primitive::<Int64Type>().value(row)),
        DataType::Float64 => {
            let value = array.as_primitive::<Float64Type>().value(row);
            match serde_json::Number::from_f64(value) {
                Some(number) => write!(out, "{number}"),
                // JSON has no NaN or infinities; Kusto prints them as strings.
                None if value.is_nan() => write!(out, "\"NaN\""),
                None => write!(out, "\"{}Infinity\"", if value < 0.0 { "-" } else { "" }),
            }
        }
        DataType::Utf8 if utf8_is_json => write!(out, "{}", array.as_string::<i32>().value(row)),
        DataType::Utf8 => write!(
            out,
            "{}",
            serde_json::Value::from(array.as_string::<i32>().value(row))
        ),
        DataType::Timestamp(TimeUnit::Nanosecond, None) => {
            let nanos = array.as_primitive::<TimestampNanosecondType>().value(row);
            write!(out, "\"{}\"", kql_types::time::format_datetime_fixed(nanos))
        }
        DataType::Duration(TimeUnit::Nanosecond) => {
            let nanos = array.as_primitive::<DurationNanosecondType>().value(row);
            write!(out, "\"{}\"", format_timespan(nanos))
        }
        DataType::Decimal128(..) => write!(out, "{}", ScalarValue::try_from_array(array, row)?),
        other => return exec_err!("cannot render {other} as a dynamic value"),
    };
    written.map_err(|e| datafusion::common::DataFusionError::Execution(e.to_string()))
}

#[cfg(test)]
pub(crate) mod testing {
    //! Runs SQL over a table split into several partitions, so DataFusion runs partial aggregates and
    //! merges their states.

    use datafusion::arrow::array::RecordBatch;
    use datafusion::arrow::datatypes::Schema;
    use datafusion::datasource::MemTable;
    use datafusion::prelude::{Expr, SessionConfig, SessionContext};

    use super::*;

    /// Aggregates table `t` (columns `x` and `g`, one partition per chunk), grouped by `group_by`.
    pub(crate) async fn query(
        chunks: Vec<Vec<(ArrayRef, ArrayRef)>>,
        group_by: Vec<Expr>,
        aggregates: Vec<Expr>,
    ) -> RecordBatch {
        let first = &chunks[0][0];
        let schema = Arc::new(Schema::new(vec![
            Field::new("x", first.0.data_type().clone(), true),
            Field::new("g", first.1.data_type().clone(), true),
        ]));
        let partitions = chunks
            .into_iter()
            .map(|batches| {
                batches
                    .into_iter()
                    .map(|(x, g)| RecordBatch::try_new(Arc::clone(&schema), vec![x, g]).expect("batch"))
                    .collect()
            })
            .collect();
        let config = SessionConfig::new().with_target_partitions(4);
        let ctx = SessionContext::new_with_config(config);
        crate::register_all(&ctx);
        let table = MemTable::try_new(schema, partitions).expect("table");
        ctx.register_table("t", Arc::new(table)).expect("register");
        let frame = ctx
            .table("t")
            .await
            .expect("table")
            .aggregate(group_by, aggregates)
            .expect("plan");
        let batches = frame.collect().await.expect("run");
        datafusion::arrow::compute::concat_batches(&batches[0].schema(), &batches).expect("concat")
    }

    /// The single value in column `column` of a one-row result.
    pub(crate) fn only(batch: &RecordBatch, column: usize) -> ScalarValue {
        assert_eq!(batch.num_rows(), 1, "expected one row");
        ScalarValue::try_from_array(batch.column(column), 0).expect("value")
    }
}
