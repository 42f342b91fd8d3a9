//! Kusto conversion functions, and [`convert`]: one value of a Kusto type as another, which the
//! conversion functions, the planner's implicit conversions and `strcat` share.

use datafusion::common::{DataFusionError, Result};
use datafusion::logical_expr::{Expr, cast};
use kql_types::KustoType;
use kql_types::signature::conversion_function;

use crate::registry::{Implementation, InternalFunction, KustoFunction, MakeUdf, ScalarCall};

mod coalesce;
mod new_guid;
pub(crate) mod render;
mod text_conversion;
pub(crate) mod to_number;
mod tobool;
mod todatetime;
mod todecimal;
mod todynamic;
mod toguid;
mod tostring;
mod totimespan;

pub(crate) use toguid::canonical_guid;

/// The family's functions, each declared in its own file.
pub(crate) const FUNCTIONS: &[&KustoFunction] = &[
    &tostring::TOSTRING,
    &to_number::TOINT,
    &to_number::TOLONG,
    &to_number::TODOUBLE,
    &to_number::TOREAL,
    &todecimal::TODECIMAL,
    &tobool::TOBOOL,
    &tobool::TOBOOLEAN,
    &todatetime::TODATETIME,
    &totimespan::TOTIMESPAN,
    &toguid::TOGUID,
    &todynamic::TODYNAMIC,
    &todynamic::PARSE_JSON,
    &coalesce::COALESCE,
    &new_guid::NEW_GUID,
];

/// Operators and internal steps the binder and planner call by name.
pub(crate) const INTERNAL: &[&InternalFunction] = &[&TO_DYNAMIC];

/// The binder's implicit conversion of any scalar to dynamic (Kusto's `todynamic` parses JSON instead).
static TO_DYNAMIC: InternalFunction = InternalFunction {
    name: "to_dynamic",
    implementation: Implementation::ScalarExpr {
        lower: lower_conversion,
        calls: CONVERSION_UDFS,
    },
};

/// A value of Kusto type `from` as type `to`: a cast where Arrow converts as Kusto does (between
/// numbers and bools), else the `kql_to<type>` UDF; `dynamic` goes through `kql_to_dynamic`, dynamic
/// to string through `kql_tostring_dynamic`, and string to decimal through `kql_todecimal`.
/// `NotImplemented` when torhunt cannot convert yet.
pub fn convert(value: Expr, from: KustoType, to: KustoType) -> Result<Expr> {
    use KustoType as T;
    if from == to || (to == T::String && from == T::Guid) {
        return Ok(value);
    }
    let numeric_like = |t: T| t.is_numeric() || t == T::Bool;
    match to {
        T::Int | T::Long | T::Real | T::Decimal if numeric_like(from) => Ok(cast(value, to.arrow_type())),
        T::String if from == T::Dynamic => Ok(tostring::tostring_dynamic().call(vec![value])),
        T::Decimal if from == T::String => Ok(todecimal::from_text().call(vec![value])),
        _ => match conversion_udf(to) {
            Some(udf) => Ok(udf().call(vec![value])),
            None => Err(DataFusionError::NotImplemented(format!(
                "function `{}`",
                conversion_function(to)
            ))),
        },
    }
}

/// The UDF that converts any value to a type, where one exists.
fn conversion_udf(ty: KustoType) -> Option<MakeUdf> {
    let udf: MakeUdf = match ty {
        KustoType::Bool => tobool::tobool,
        KustoType::Int => to_number::toint,
        KustoType::Long => to_number::tolong,
        KustoType::Real => to_number::todouble,
        KustoType::String => tostring::tostring,
        KustoType::DateTime => todatetime::udf,
        KustoType::TimeSpan => totimespan::udf,
        KustoType::Guid => toguid::toguid,
        KustoType::Dynamic => crate::dynamic::to_dynamic::to_dynamic,
        KustoType::Decimal => return None,
    };
    Some(udf)
}

/// Every UDF [`convert`] may call, for registration by name.
pub(crate) const CONVERSION_UDFS: &[MakeUdf] = &[
    tobool::tobool,
    to_number::toint,
    to_number::tolong,
    to_number::todouble,
    tostring::tostring,
    tostring::tostring_dynamic,
    todatetime::udf,
    totimespan::udf,
    toguid::toguid,
    crate::dynamic::to_dynamic::to_dynamic,
    todecimal::from_text,
];

/// A conversion function's call: its one argument converted to the result type.
pub(crate) fn lower_conversion(call: ScalarCall) -> Result<Expr> {
    let (Some(value), Some(from)) = (call.args.into_iter().next(), call.types.first()) else {
        return Err(DataFusionError::Internal(
            "a conversion takes one argument".to_string(),
        ));
    };
    convert(value, *from, call.result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_conversion_udf_is_registered() {
        let registered: Vec<String> = CONVERSION_UDFS
            .iter()
            .map(|make| make().name().to_string())
            .collect();
        for ty in KustoType::ALL {
            if let Some(udf) = conversion_udf(ty) {
                assert!(registered.contains(&udf().name().to_string()), "{ty}");
            }
        }
    }
}
