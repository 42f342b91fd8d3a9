//! `series_magnitude(series)`: the square root of the series' dot product with itself, as a real;
//! non-numeric elements are skipped and an empty array gives null, as in `series_dot_product`
//! (`series_magnitude([1,2,3,4])` is `5.477225575051661`).

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;

use super::{Num, array};
use crate::declare::*;
use crate::string::kernel::{Param, Params, define, double_rows};

/// `kql_series_magnitude(series: Utf8 (dynamic)) -> Float64`.
pub fn series_magnitude() -> Arc<ScalarUDF> {
    crate::singleton!(
        ScalarUDF,
        define(
            "kql_series_magnitude",
            Params::fixed(&[Param::Str]),
            DataType::Float64,
            |args| {
                let series = args.str(0)?;
                double_rows(args, |row| {
                    let Some(items) = array(series.get_opt(row)).filter(|items| !items.is_empty()) else {
                        return Ok(None);
                    };
                    let squares: f64 = items.iter().filter_map(Num::of).map(|x| x.as_f64().powi(2)).sum();
                    Ok(Some(squares.sqrt()))
                })
            },
        )
    )
}

pub(crate) static SERIES_MAGNITUDE: KustoFunction = KustoFunction::scalar(
    Signature::scalar("series_magnitude", &[P::Dynamic], R::Fixed(T::Real)),
    series_magnitude,
);

#[cfg(test)]
mod tests {
    use datafusion::common::ScalarValue;

    use super::*;
    use crate::string::kernel::testing::{call_scalars, real, s};

    #[test]
    fn docs_example() {
        assert_eq!(
            call_scalars(&series_magnitude(), vec![s("[1,2,3,4]")]),
            real(5.477225575051661)
        );
        assert_eq!(
            call_scalars(&series_magnitude(), vec![s("[]")]),
            ScalarValue::Float64(None)
        );
    }
}
