//! The shared kernel of the element-wise series functions: each operand is an array or a number that
//! stands for every element (`series_greater(s, 1.5)`); the result has the longer array's length, and
//! an element that is missing, non-numeric or past the shorter array's end gives null.

use datafusion::common::Result;
use datafusion::logical_expr::ColumnarValue;
use serde_json::Value;

use super::Num;
use crate::dynamic::json::parse;
use crate::string::kernel::{Args, optional_string_rows};

/// One operand of an element-wise function.
pub(crate) enum Operand {
    Series(Vec<Value>),
    /// A number broadcast to every element.
    Scalar(Num),
}

impl Operand {
    /// The operand a dynamic value stands for; `None` when it is neither an array nor a number.
    pub(crate) fn of(text: Option<&str>) -> Option<Operand> {
        match parse(text?) {
            Value::Array(items) => Some(Operand::Series(items)),
            other => Num::of(&other).map(Operand::Scalar),
        }
    }

    pub(crate) fn len(&self) -> Option<usize> {
        match self {
            Operand::Series(items) => Some(items.len()),
            Operand::Scalar(_) => None,
        }
    }

    pub(crate) fn at(&self, index: usize) -> Option<Num> {
        match self {
            Operand::Series(items) => items.get(index).and_then(Num::of),
            Operand::Scalar(number) => Some(*number),
        }
    }
}

/// Applies `op` to the elements of two dynamic arguments pairwise; null when neither is an array.
pub(crate) fn binary(args: &Args, op: impl Fn(Num, Num) -> Result<Value>) -> Result<ColumnarValue> {
    let (left, right) = (args.str(0)?, args.str(1)?);
    optional_string_rows(args, |row| {
        let (Some(left), Some(right)) = (Operand::of(left.get_opt(row)), Operand::of(right.get_opt(row)))
        else {
            return Ok(None);
        };
        let Some(len) = left.len().max(right.len()) else {
            return Ok(None);
        };
        let result = (0..len)
            .map(|index| match (left.at(index), right.at(index)) {
                (Some(l), Some(r)) => op(l, r),
                _ => Ok(Value::Null),
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(Value::Array(result).to_string()))
    })
}

/// Applies `op` to every numeric element of the first (dynamic) argument; other elements give null,
/// and a value that is not an array gives null.
pub(crate) fn unary(args: &Args, op: impl Fn(Num) -> Result<Value>) -> Result<ColumnarValue> {
    let series = args.str(0)?;
    optional_string_rows(args, |row| {
        let Some(items) = super::array(series.get_opt(row)) else {
            return Ok(None);
        };
        let result = items
            .iter()
            .map(|item| Num::of(item).map_or(Ok(Value::Null), &op))
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(Value::Array(result).to_string()))
    })
}
