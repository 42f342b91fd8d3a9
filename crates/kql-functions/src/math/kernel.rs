//! Scaffolding shared by the math and datetime families: a Kusto scalar function is a name, a coercion
//! rule, a return-type rule and an array kernel. Scalar arguments are evaluated as one-row arrays and
//! give a scalar back, so constant folding and per-batch evaluation share one code path.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, PrimitiveArray};
use datafusion::arrow::datatypes::{ArrowPrimitiveType, DataType, Float64Type, Int32Type, Int64Type};
use datafusion::common::{Result, ScalarValue, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

type CoerceFn = Box<dyn Fn(&[DataType]) -> Result<Vec<DataType>> + Send + Sync>;
type ReturnTypeFn = Box<dyn Fn(&[DataType]) -> Result<DataType> + Send + Sync>;
type KernelFn = Box<dyn Fn(&[ArrayRef]) -> Result<ArrayRef> + Send + Sync>;

/// A scalar UDF built from closures. Equality and hashing go by name: names are unique per registry.
pub(crate) struct KernelUdf {
    name: &'static str,
    signature: Signature,
    coerce: CoerceFn,
    return_type: ReturnTypeFn,
    kernel: KernelFn,
}

impl KernelUdf {
    /// A function whose arguments are checked and coerced by `coerce` (arity included).
    pub(crate) fn new(
        name: &'static str,
        coerce: impl Fn(&[DataType]) -> Result<Vec<DataType>> + Send + Sync + 'static,
        return_type: impl Fn(&[DataType]) -> Result<DataType> + Send + Sync + 'static,
        kernel: impl Fn(&[ArrayRef]) -> Result<ArrayRef> + Send + Sync + 'static,
    ) -> Self {
        KernelUdf {
            name,
            signature: Signature::user_defined(Volatility::Immutable),
            coerce: Box::new(coerce),
            return_type: Box::new(return_type),
            kernel: Box::new(kernel),
        }
    }

    /// A function of no arguments (`pi()`).
    pub(crate) fn nullary(name: &'static str, value: ScalarValue) -> Self {
        let data_type = value.data_type();
        KernelUdf {
            name,
            signature: Signature::nullary(Volatility::Immutable),
            coerce: Box::new(|types| Ok(types.to_vec())),
            return_type: Box::new(move |_| Ok(data_type.clone())),
            kernel: Box::new(move |_| value.to_array()),
        }
    }

    pub(crate) fn into_udf(self) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(self))
    }
}

impl fmt::Debug for KernelUdf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KernelUdf").field("name", &self.name).finish()
    }
}

impl PartialEq for KernelUdf {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for KernelUdf {}

impl Hash for KernelUdf {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl ScalarUDFImpl for KernelUdf {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        (self.coerce)(arg_types)
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        (self.return_type)(arg_types)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let all_scalar = args
            .args
            .iter()
            .all(|arg| matches!(arg, ColumnarValue::Scalar(_)));
        let rows = if all_scalar { 1 } else { args.number_rows };
        let arrays = args
            .args
            .iter()
            .map(|arg| arg.to_array(rows))
            .collect::<Result<Vec<_>>>()?;
        let result = (self.kernel)(&arrays)?;
        if all_scalar {
            Ok(ColumnarValue::Scalar(ScalarValue::try_from_array(&result, 0)?))
        } else {
            Ok(ColumnarValue::Array(result))
        }
    }
}

/// How Kusto sees a numeric Arrow type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Numeric {
    Int,
    Long,
    Real,
}

impl Numeric {
    /// `Null` counts as `long`, the type of an untyped literal; decimals are not supported here.
    pub(crate) fn of(data_type: &DataType) -> Option<Numeric> {
        match data_type {
            DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::UInt8 | DataType::UInt16 => {
                Some(Numeric::Int)
            }
            DataType::Int64 | DataType::UInt32 | DataType::UInt64 | DataType::Null => Some(Numeric::Long),
            DataType::Float16 | DataType::Float32 | DataType::Float64 => Some(Numeric::Real),
            _ => None,
        }
    }

    pub(crate) fn arrow_type(self) -> DataType {
        match self {
            Numeric::Int => DataType::Int32,
            Numeric::Long => DataType::Int64,
            Numeric::Real => DataType::Float64,
        }
    }
}

/// Checks the argument count against `min..=max`.
pub(crate) fn check_arity(name: &str, types: &[DataType], min: usize, max: usize) -> Result<()> {
    if types.len() < min || types.len() > max {
        let expected = if min == max {
            format!("{min}")
        } else {
            format!("{min} to {max}")
        };
        return plan_err!("{name}() expects {expected} argument(s), got {}", types.len());
    }
    Ok(())
}

/// The Kusto numeric kind of argument `index`, or a plan error naming the function.
pub(crate) fn numeric_arg(name: &str, types: &[DataType], index: usize) -> Result<Numeric> {
    match Numeric::of(&types[index]) {
        Some(kind) => Ok(kind),
        None => plan_err!(
            "{name}(): argument {} must be int, long or real, got {}",
            index + 1,
            types[index]
        ),
    }
}

/// Coercion for functions that take `count` reals (`pow`, `log`, ...): any number becomes `Float64`.
pub(crate) fn coerce_all_to_real(name: &str, types: &[DataType], count: usize) -> Result<Vec<DataType>> {
    check_arity(name, types, count, count)?;
    (0..count)
        .map(|i| numeric_arg(name, types, i).map(|_| DataType::Float64))
        .collect()
}

/// A one-argument `real -> real` function; `f` returns `None` where Kusto gives null.
pub(crate) fn real_unary(name: &'static str, f: fn(f64) -> Option<f64>) -> Arc<ScalarUDF> {
    KernelUdf::new(
        name,
        move |types| coerce_all_to_real(name, types, 1),
        |_| Ok(DataType::Float64),
        move |args| {
            let values = args[0].as_primitive::<Float64Type>();
            Ok(Arc::new(map_unary::<Float64Type, Float64Type>(values, f)))
        },
    )
    .into_udf()
}

/// A two-argument `(real, real) -> real` function; `f` returns `None` where Kusto gives null.
pub(crate) fn real_binary(name: &'static str, f: fn(f64, f64) -> Option<f64>) -> Arc<ScalarUDF> {
    KernelUdf::new(
        name,
        move |types| coerce_all_to_real(name, types, 2),
        |_| Ok(DataType::Float64),
        move |args| {
            let (left, right) = (
                args[0].as_primitive::<Float64Type>(),
                args[1].as_primitive::<Float64Type>(),
            );
            Ok(Arc::new(map_binary::<Float64Type, Float64Type, Float64Type>(
                left, right, f,
            )))
        },
    )
    .into_udf()
}

/// Applies a fallible-to-null function to every non-null element.
pub(crate) fn map_unary<I: ArrowPrimitiveType, O: ArrowPrimitiveType>(
    values: &PrimitiveArray<I>,
    f: impl Fn(I::Native) -> Option<O::Native>,
) -> PrimitiveArray<O> {
    values.iter().map(|value| value.and_then(&f)).collect()
}

/// Applies a fallible-to-null function to every pair of non-null elements.
pub(crate) fn map_binary<A: ArrowPrimitiveType, B: ArrowPrimitiveType, O: ArrowPrimitiveType>(
    left: &PrimitiveArray<A>,
    right: &PrimitiveArray<B>,
    f: impl Fn(A::Native, B::Native) -> Option<O::Native>,
) -> PrimitiveArray<O> {
    left.iter()
        .zip(right.iter())
        .map(|(a, b)| a.zip(b).and_then(|(a, b)| f(a, b)))
        .collect()
}

/// Coercion for integer-only functions (`binary_and`, ...): every argument becomes `Int64`.
pub(crate) fn coerce_all_to_long(name: &str, types: &[DataType], count: usize) -> Result<Vec<DataType>> {
    check_arity(name, types, count, count)?;
    (0..count)
        .map(|i| match numeric_arg(name, types, i)? {
            Numeric::Int | Numeric::Long => Ok(DataType::Int64),
            Numeric::Real => plan_err!("{name}(): argument {} must be int or long, got real", i + 1),
        })
        .collect()
}

/// Reads an `Int32` or `Int64` array as `i64` values.
pub(crate) fn integers_as_i64(array: &ArrayRef) -> Result<PrimitiveArray<Int64Type>> {
    match array.data_type() {
        DataType::Int64 => Ok(array.as_primitive::<Int64Type>().clone()),
        DataType::Int32 => Ok(array.as_primitive::<Int32Type>().unary(i64::from)),
        other => datafusion::common::exec_err!("expected an integer array, got {other}"),
    }
}

/// Applies a fallible-to-null function to every triple of non-null elements.
pub(crate) fn map_ternary<
    A: ArrowPrimitiveType,
    B: ArrowPrimitiveType,
    C: ArrowPrimitiveType,
    O: ArrowPrimitiveType,
>(
    first: &PrimitiveArray<A>,
    second: &PrimitiveArray<B>,
    third: &PrimitiveArray<C>,
    f: impl Fn(A::Native, B::Native, C::Native) -> Option<O::Native>,
) -> PrimitiveArray<O> {
    first
        .iter()
        .zip(second.iter())
        .zip(third.iter())
        .map(|((a, b), c)| match (a, b, c) {
            (Some(a), Some(b), Some(c)) => f(a, b, c),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod testing {
    //! Calls a UDF the way DataFusion's executor does, for unit tests.

    use datafusion::arrow::datatypes::Field;
    use datafusion::config::ConfigOptions;

    use super::*;

    /// Invokes `udf` on `args` (arrays or scalars) after asking it for its return type.
    pub(crate) fn invoke(udf: &ScalarUDF, args: Vec<ColumnarValue>) -> Result<ColumnarValue> {
        let number_rows = args
            .iter()
            .find_map(|arg| match arg {
                ColumnarValue::Array(array) => Some(array.len()),
                ColumnarValue::Scalar(_) => None,
            })
            .unwrap_or(1);
        let types: Vec<DataType> = args.iter().map(|arg| arg.data_type()).collect();
        let coerced = udf.coerce_types(&types)?;
        assert_eq!(
            coerced, types,
            "tests pass arguments already in their coerced types"
        );
        let return_type = udf.return_type(&types)?;
        let arg_fields = types
            .iter()
            .enumerate()
            .map(|(i, t)| Arc::new(Field::new(format!("a{i}"), t.clone(), true)))
            .collect();
        udf.invoke_with_args(ScalarFunctionArgs {
            args,
            arg_fields,
            number_rows,
            return_field: Arc::new(Field::new("out", return_type, true)),
            config_options: Arc::new(ConfigOptions::default()),
        })
    }

    /// Invokes `udf` on scalars and returns the scalar result.
    pub(crate) fn scalar(udf: &ScalarUDF, args: Vec<ScalarValue>) -> ScalarValue {
        match invoke(udf, args.into_iter().map(ColumnarValue::Scalar).collect()) {
            Ok(ColumnarValue::Scalar(value)) => value,
            Ok(ColumnarValue::Array(_)) => panic!("scalar arguments gave an array"),
            Err(e) => panic!("{} failed: {e}", udf.name()),
        }
    }

    /// Invokes a `real`-valued `udf` on `real` scalars and returns its value (`None` for null).
    pub(crate) fn real(udf: &ScalarUDF, args: &[Option<f64>]) -> Option<f64> {
        let args = args.iter().map(|&x| ScalarValue::Float64(x)).collect();
        match scalar(udf, args) {
            ScalarValue::Float64(value) => value,
            other => panic!("{} returned {other:?}, not a real", udf.name()),
        }
    }

    /// Invokes `udf` with at least one array argument and returns the array result.
    pub(crate) fn array(udf: &ScalarUDF, args: Vec<ColumnarValue>) -> ArrayRef {
        match invoke(udf, args) {
            Ok(ColumnarValue::Array(array)) => array,
            Ok(ColumnarValue::Scalar(_)) => panic!("array arguments gave a scalar"),
            Err(e) => panic!("{} failed: {e}", udf.name()),
        }
    }
}
