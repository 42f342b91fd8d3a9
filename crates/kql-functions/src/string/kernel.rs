//! Scaffolding shared by the string-side families (operators, string, conversion, dynamic, ip): a
//! function is declared as a name, a parameter list, an Arrow return type and a plain `eval` function;
//! this module does the DataFusion plumbing (argument coercion, scalar/array access, scalar results).
//!
//! Every `eval` computes one value per row through the column views below. When every argument is a
//! scalar it runs for a single row and the result is returned as a scalar, so constant arguments cost
//! nothing per batch; per-argument work (compiling a pattern) is done once when the argument is a scalar.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Float64Array, Int64Array, PrimitiveArray, StringArray,
    StringBuilder,
};
use datafusion::arrow::datatypes::{ArrowPrimitiveType, DataType, Int64Type};
use datafusion::common::{Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// The Kusto-side type a parameter expects; arguments are coerced to its Arrow type before `eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Param {
    /// `string`, `guid` or `dynamic` text (`Utf8`).
    Str,
    /// `long` (`Int64`); any integer or real argument is cast.
    Long,
    /// Any Arrow type, passed through unchanged.
    Any,
}

impl Param {
    /// The Arrow type an argument of type `given` is cast to, or `None` when it does not fit.
    fn target(self, given: &DataType) -> Option<DataType> {
        let fits = match self {
            Param::Any => return Some(given.clone()),
            Param::Str => matches!(given, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View),
            Param::Long => given.is_numeric(),
        };
        (fits || given == &DataType::Null).then(|| self.arrow_type())
    }

    fn arrow_type(self) -> DataType {
        match self {
            Param::Str => DataType::Utf8,
            Param::Long => DataType::Int64,
            Param::Any => DataType::Null,
        }
    }
}

/// Required parameters, then optional ones, then any number of `variadic` ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Params {
    pub required: &'static [Param],
    pub optional: &'static [Param],
    pub variadic: Option<Param>,
}

impl Params {
    pub(crate) const fn fixed(required: &'static [Param]) -> Params {
        Params {
            required,
            optional: &[],
            variadic: None,
        }
    }

    pub(crate) const fn optional(required: &'static [Param], optional: &'static [Param]) -> Params {
        Params {
            required,
            optional,
            variadic: None,
        }
    }

    pub(crate) const fn variadic(required: &'static [Param], each: Param) -> Params {
        Params {
            required,
            optional: &[],
            variadic: Some(each),
        }
    }

    fn param(&self, index: usize) -> Option<Param> {
        self.required
            .iter()
            .chain(self.optional)
            .nth(index)
            .copied()
            .or(self.variadic)
    }

    fn accepts_count(&self, count: usize) -> bool {
        count >= self.required.len()
            && (self.variadic.is_some() || count <= self.required.len() + self.optional.len())
    }
}

pub(crate) type Eval = fn(&Args) -> Result<ColumnarValue>;

/// A Kusto function implemented by an [`Eval`] over [`Args`].
#[derive(Debug)]
pub(crate) struct KqlFunction {
    name: &'static str,
    params: Params,
    returns: DataType,
    eval: Eval,
    signature: Signature,
}

/// Declares a Kusto function as a DataFusion UDF.
pub(crate) fn define(name: &'static str, params: Params, returns: DataType, eval: Eval) -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(KqlFunction {
        name,
        params,
        returns,
        eval,
        signature: Signature::user_defined(Volatility::Immutable),
    }))
}

// Identity is the declaration; the eval pointer follows from the name.
impl PartialEq for KqlFunction {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.params == other.params && self.returns == other.returns
    }
}

impl Eq for KqlFunction {}

impl Hash for KqlFunction {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        self.params.hash(state);
    }
}

impl ScalarUDFImpl for KqlFunction {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(self.returns.clone())
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        if !self.params.accepts_count(arg_types.len()) {
            return plan_err!("{} does not take {} arguments", self.name, arg_types.len());
        }
        arg_types
            .iter()
            .enumerate()
            .map(|(index, given)| {
                let param = self.params.param(index).expect("count checked above");
                match param.target(given) {
                    Some(target) => Ok(target),
                    None => plan_err!(
                        "argument {} of {} must be {:?}, not {given}",
                        index + 1,
                        self.name,
                        param
                    ),
                }
            })
            .collect()
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let values = args
            .args
            .into_iter()
            .enumerate()
            .map(|(index, value)| match self.params.param(index) {
                Some(Param::Any) | None => Ok(value),
                Some(param) if value.data_type() == param.arrow_type() => Ok(value),
                Some(param) => value.cast_to(&param.arrow_type(), None),
            })
            .collect::<Result<Vec<_>>>()?;
        let all_scalar = values.iter().all(|v| matches!(v, ColumnarValue::Scalar(_)));
        let rows = if all_scalar { 1 } else { args.number_rows };
        (self.eval)(&Args {
            name: self.name,
            values,
            rows,
            all_scalar,
        })
    }
}

/// The evaluated arguments of one call, already coerced to their parameters' Arrow types.
pub(crate) struct Args {
    name: &'static str,
    values: Vec<ColumnarValue>,
    rows: usize,
    all_scalar: bool,
}

impl Args {
    /// Rows to compute: 1 when every argument is a scalar, else the batch size.
    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    pub(crate) fn len(&self) -> usize {
        self.values.len()
    }

    pub(crate) fn has(&self, index: usize) -> bool {
        index < self.values.len()
    }

    fn value(&self, index: usize) -> Result<&ColumnarValue> {
        match self.values.get(index) {
            Some(value) => Ok(value),
            None => exec_err!("{} is missing argument {}", self.name, index + 1),
        }
    }

    /// A `Utf8` argument.
    pub(crate) fn str(&self, index: usize) -> Result<StrColumn<'_>> {
        Ok(match self.value(index)? {
            ColumnarValue::Scalar(
                ScalarValue::Utf8(v) | ScalarValue::LargeUtf8(v) | ScalarValue::Utf8View(v),
            ) => StrColumn::Scalar(v.as_deref()),
            ColumnarValue::Scalar(ScalarValue::Null) => StrColumn::Scalar(None),
            ColumnarValue::Array(array) if array.data_type() == &DataType::Utf8 => {
                StrColumn::Array(array.as_string::<i32>())
            }
            other => return exec_err!("{}: argument {} is not a string: {}", self.name, index + 1, other),
        })
    }

    /// An `Int64` argument.
    pub(crate) fn long(&self, index: usize) -> Result<PrimitiveColumn<'_, Int64Type>> {
        self.primitive(index)
    }

    fn primitive<T: ArrowPrimitiveType>(&self, index: usize) -> Result<PrimitiveColumn<'_, T>> {
        Ok(match self.value(index)? {
            ColumnarValue::Scalar(scalar) if scalar.is_null() => PrimitiveColumn::Scalar(None),
            ColumnarValue::Scalar(scalar) => {
                let array = scalar.to_array_of_size(1)?;
                PrimitiveColumn::Scalar(array.as_primitive_opt::<T>().map(|a| a.value(0)))
            }
            ColumnarValue::Array(array) => match array.as_primitive_opt::<T>() {
                Some(array) => PrimitiveColumn::Array(array),
                None => {
                    return exec_err!(
                        "{}: argument {} has type {}",
                        self.name,
                        index + 1,
                        array.data_type()
                    );
                }
            },
        })
    }

    /// An argument of any type as an array of `rows()` values (a scalar is expanded).
    pub(crate) fn any(&self, index: usize) -> Result<ArrayRef> {
        self.value(index)?.to_array_of_size(self.rows)
    }

    /// Wraps a computed array of `rows()` values as the call's result.
    pub(crate) fn finish(&self, array: ArrayRef) -> Result<ColumnarValue> {
        if self.all_scalar {
            Ok(ColumnarValue::Scalar(ScalarValue::try_from_array(&array, 0)?))
        } else {
            Ok(ColumnarValue::Array(array))
        }
    }

    /// The function's name, for error messages.
    pub(crate) fn name(&self) -> &'static str {
        self.name
    }
}

/// A `Utf8` result with one non-null string per row, written by `write(row, buffer)` into a buffer
/// that is cleared before each row.
pub(crate) fn string_rows(
    args: &Args,
    mut write: impl FnMut(usize, &mut String) -> Result<()>,
) -> Result<ColumnarValue> {
    let mut builder = StringBuilder::with_capacity(args.rows(), args.rows() * 16);
    let mut buffer = String::new();
    for row in 0..args.rows() {
        buffer.clear();
        write(row, &mut buffer)?;
        builder.append_value(&buffer);
    }
    args.finish(Arc::new(builder.finish()))
}

/// A nullable `Utf8` result (dynamic text, where null is Kusto's `null`).
pub(crate) fn optional_string_rows(
    args: &Args,
    mut value: impl FnMut(usize) -> Result<Option<String>>,
) -> Result<ColumnarValue> {
    let array = (0..args.rows())
        .map(&mut value)
        .collect::<Result<StringArray>>()?;
    args.finish(Arc::new(array))
}

/// An `Int64` result.
pub(crate) fn long_rows(
    args: &Args,
    mut value: impl FnMut(usize) -> Result<Option<i64>>,
) -> Result<ColumnarValue> {
    let array = (0..args.rows()).map(&mut value).collect::<Result<Int64Array>>()?;
    args.finish(Arc::new(array))
}

/// A `Float64` (Kusto `real`) result.
pub(crate) fn double_rows(
    args: &Args,
    mut value: impl FnMut(usize) -> Result<Option<f64>>,
) -> Result<ColumnarValue> {
    let array = (0..args.rows())
        .map(&mut value)
        .collect::<Result<Float64Array>>()?;
    args.finish(Arc::new(array))
}

/// A `Boolean` result.
pub(crate) fn bool_rows(
    args: &Args,
    mut value: impl FnMut(usize) -> Result<Option<bool>>,
) -> Result<ColumnarValue> {
    let array = (0..args.rows())
        .map(&mut value)
        .collect::<Result<BooleanArray>>()?;
    args.finish(Arc::new(array))
}

/// A string argument, scalar or array. Kusto strings are never null, so a null reads as `""`.
pub(crate) enum StrColumn<'a> {
    Scalar(Option<&'a str>),
    Array(&'a StringArray),
}

impl<'a> StrColumn<'a> {
    pub(crate) fn get(&self, row: usize) -> &'a str {
        self.get_opt(row).unwrap_or("")
    }

    /// The value with Arrow nulls kept, for dynamic text where null is Kusto's `null`.
    pub(crate) fn get_opt(&self, row: usize) -> Option<&'a str> {
        match self {
            StrColumn::Scalar(v) => *v,
            StrColumn::Array(a) => a.is_valid(row).then(|| a.value(row)),
        }
    }

    /// The value when the argument is a scalar, so per-call work can be done once.
    pub(crate) fn scalar(&self) -> Option<&'a str> {
        match self {
            StrColumn::Scalar(v) => Some(v.unwrap_or("")),
            StrColumn::Array(_) => None,
        }
    }
}

pub(crate) enum PrimitiveColumn<'a, T: ArrowPrimitiveType> {
    Scalar(Option<T::Native>),
    Array(&'a PrimitiveArray<T>),
}

impl<T: ArrowPrimitiveType> PrimitiveColumn<'_, T> {
    pub(crate) fn get(&self, row: usize) -> Option<T::Native> {
        match self {
            PrimitiveColumn::Scalar(v) => *v,
            PrimitiveColumn::Array(a) => a.is_valid(row).then(|| a.value(row)),
        }
    }
}

/// A per-row cache for a value derived from a string argument (a compiled regex, a needle matcher):
/// built once when the argument is a scalar, and rebuilt only when the value changes row to row.
pub(crate) struct Prepared<T> {
    key: Option<String>,
    value: Option<T>,
}

impl<T> Prepared<T> {
    pub(crate) fn new() -> Self {
        Prepared {
            key: None,
            value: None,
        }
    }

    pub(crate) fn get(&mut self, text: &str, build: impl FnOnce(&str) -> Result<T>) -> Result<&T> {
        if self.key.as_deref() != Some(text) || self.value.is_none() {
            self.value = Some(build(text)?);
            self.key = Some(text.to_string());
        }
        Ok(self.value.as_ref().expect("set above"))
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Calls a UDF the way DataFusion does, for unit tests.

    use datafusion::arrow::datatypes::Field;
    use datafusion::common::config::ConfigOptions;

    use super::*;

    /// Invokes `udf` on `args` (scalars or arrays of equal length).
    pub(crate) fn call(udf: &ScalarUDF, args: Vec<ColumnarValue>) -> Result<ColumnarValue> {
        let rows = args
            .iter()
            .find_map(|a| match a {
                ColumnarValue::Array(array) => Some(array.len()),
                ColumnarValue::Scalar(_) => None,
            })
            .unwrap_or(1);
        let types: Vec<DataType> = args.iter().map(|a| a.data_type()).collect();
        let coerced = udf.coerce_types(&types)?;
        let arg_fields = coerced
            .iter()
            .map(|t| Arc::new(Field::new("a", t.clone(), true)))
            .collect();
        let return_field = Arc::new(Field::new("r", udf.return_type(&coerced)?, true));
        udf.invoke_with_args(ScalarFunctionArgs {
            args,
            arg_fields,
            number_rows: rows,
            return_field,
            config_options: Arc::new(ConfigOptions::default()),
        })
    }

    /// Invokes `udf` on scalars and returns the scalar result.
    pub(crate) fn call_scalars(udf: &ScalarUDF, args: Vec<ScalarValue>) -> ScalarValue {
        match call(udf, args.into_iter().map(ColumnarValue::Scalar).collect()) {
            Ok(ColumnarValue::Scalar(value)) => value,
            other => panic!("{} returned {other:?}", udf.name()),
        }
    }

    pub(crate) fn s(text: &str) -> ScalarValue {
        ScalarValue::Utf8(Some(text.to_string()))
    }

    pub(crate) fn long(value: i64) -> ScalarValue {
        ScalarValue::Int64(Some(value))
    }

    pub(crate) fn real(value: f64) -> ScalarValue {
        ScalarValue::Float64(Some(value))
    }

    /// A string result.
    pub(crate) fn text(value: ScalarValue) -> String {
        match value {
            ScalarValue::Utf8(Some(v)) => v,
            other => panic!("expected a non-null string, got {other:?}"),
        }
    }
}
