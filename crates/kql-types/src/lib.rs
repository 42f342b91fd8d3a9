//! Kusto's scalar types and the one fixed mapping from each to Arrow.
//!
//! Every stage agrees on this table. Arrow alone cannot tell a `string` from a `guid` or a `dynamic`
//! (all three are `Utf8`), so the binder tracks Kusto types itself, and fields written by torhunt carry
//! the Kusto type in their metadata under [`KUSTO_TYPE_METADATA_KEY`].
//!
//! | Kusto      | Arrow                           | notes                                               |
//! |------------|---------------------------------|-----------------------------------------------------|
//! | `bool`     | `Boolean`                       |                                                     |
//! | `int`      | `Int32`                         |                                                     |
//! | `long`     | `Int64`                         |                                                     |
//! | `real`     | `Float64`                       |                                                     |
//! | `decimal`  | `Decimal128(38, 18)`            |                                                     |
//! | `string`   | `Utf8`                          | never null in Kusto: missing values are `""`        |
//! | `datetime` | `Timestamp(Nanosecond, None)`   | UTC; Kusto's 100 ns ticks fit exactly               |
//! | `timespan` | `Duration(Nanosecond)`          |                                                     |
//! | `guid`     | `Utf8`                          | canonical lower-case `8-4-4-4-12` text              |
//! | `dynamic`  | `Utf8`                          | compact JSON text; Arrow null is Kusto's `null`     |

use std::collections::HashMap;
use std::fmt;

use arrow_schema::{DataType, Field, TimeUnit};

pub mod signature;
pub mod time;

/// Field-metadata key under which torhunt records a column's Kusto type.
pub const KUSTO_TYPE_METADATA_KEY: &str = "kusto.type";

/// The column a table carries, hidden from queries, when its records say when they were ingested
/// (the Streaming API envelope's `time`); `ingestion_time()` reads it. Not Kusto's own name for it
/// ([`INGESTION_TIME_NAME`]): that is the name an unnamed `ingestion_time()` column gets, and both
/// may be in one row (`T | extend ingestion_time()`).
pub const INGESTION_TIME_COLUMN: &str = "$torhunt_ingestion_time";

/// The name Kusto gives the column of an unnamed `ingestion_time()` (`T | project ingestion_time()`),
/// as Kusto.Language infers it.
pub const INGESTION_TIME_NAME: &str = "$IngestionTime";

/// Precision and scale used for Kusto `decimal` columns.
pub const DECIMAL_PRECISION: u8 = 38;
pub const DECIMAL_SCALE: i8 = 18;

/// Plain decimal text (`-12.5`: an optional minus, digits, an optional point and at most
/// [`DECIMAL_SCALE`] digits after it, within [`DECIMAL_PRECISION`] digits in all) as a count of
/// 10^-scale units, the value of a `decimal` column; `None` for any other text.
pub fn decimal_units(text: &str) -> Option<i128> {
    let (negative, digits) = match text.trim().strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.trim()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let scale = DECIMAL_SCALE as usize;
    let plain = |part: &str| part.chars().all(|c| c.is_ascii_digit());
    if whole.len() + fraction.len() == 0 || fraction.len() > scale || !plain(whole) || !plain(fraction) {
        return None;
    }
    let units: i128 = format!("{whole}{fraction:0<scale$}").parse().ok()?;
    (units < 10_i128.pow(u32::from(DECIMAL_PRECISION))).then_some(if negative { -units } else { units })
}

/// A Kusto scalar type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KustoType {
    Bool,
    Int,
    Long,
    Real,
    Decimal,
    String,
    DateTime,
    TimeSpan,
    Guid,
    Dynamic,
}

impl KustoType {
    pub const ALL: [KustoType; 10] = [
        KustoType::Bool,
        KustoType::Int,
        KustoType::Long,
        KustoType::Real,
        KustoType::Decimal,
        KustoType::String,
        KustoType::DateTime,
        KustoType::TimeSpan,
        KustoType::Guid,
        KustoType::Dynamic,
    ];

    /// Parses a type name as written in KQL (`long`, `int64`, `double`, `date`, `uniqueid`, ...),
    /// case-insensitively. Returns `None` for anything that is not a Kusto scalar type.
    pub fn from_name(name: &str) -> Option<KustoType> {
        let t = match name.to_ascii_lowercase().as_str() {
            "bool" | "boolean" => KustoType::Bool,
            "int" | "int32" => KustoType::Int,
            "long" | "int64" => KustoType::Long,
            "real" | "double" => KustoType::Real,
            "decimal" => KustoType::Decimal,
            "string" => KustoType::String,
            "datetime" | "date" => KustoType::DateTime,
            "timespan" | "time" => KustoType::TimeSpan,
            "guid" | "uniqueid" => KustoType::Guid,
            "dynamic" => KustoType::Dynamic,
            _ => return None,
        };
        Some(t)
    }

    /// The canonical Kusto name (`long`, `datetime`, ...), as `getschema` and `typeof` print it.
    pub fn name(self) -> &'static str {
        match self {
            KustoType::Bool => "bool",
            KustoType::Int => "int",
            KustoType::Long => "long",
            KustoType::Real => "real",
            KustoType::Decimal => "decimal",
            KustoType::String => "string",
            KustoType::DateTime => "datetime",
            KustoType::TimeSpan => "timespan",
            KustoType::Guid => "guid",
            KustoType::Dynamic => "dynamic",
        }
    }

    /// The .NET type name Kusto reports for a result column (`bool` is `SByte`, `dynamic` is `Object`).
    pub fn dotnet_name(self) -> &'static str {
        match self {
            KustoType::Bool => "SByte",
            KustoType::Int => "Int32",
            KustoType::Long => "Int64",
            KustoType::Real => "Double",
            KustoType::Decimal => "SqlDecimal",
            KustoType::String => "String",
            KustoType::DateTime => "DateTime",
            KustoType::TimeSpan => "TimeSpan",
            KustoType::Guid => "Guid",
            KustoType::Dynamic => "Object",
        }
    }

    /// The Arrow type that holds values of this Kusto type.
    pub fn arrow_type(self) -> DataType {
        match self {
            KustoType::Bool => DataType::Boolean,
            KustoType::Int => DataType::Int32,
            KustoType::Long => DataType::Int64,
            KustoType::Real => DataType::Float64,
            KustoType::Decimal => DataType::Decimal128(DECIMAL_PRECISION, DECIMAL_SCALE),
            KustoType::String | KustoType::Guid | KustoType::Dynamic => DataType::Utf8,
            KustoType::DateTime => DataType::Timestamp(TimeUnit::Nanosecond, None),
            KustoType::TimeSpan => DataType::Duration(TimeUnit::Nanosecond),
        }
    }

    /// An Arrow field for a column of this type, with the Kusto type recorded in its metadata.
    pub fn field(self, name: impl Into<String>) -> Field {
        Field::new(name, self.arrow_type(), true).with_metadata(HashMap::from([(
            KUSTO_TYPE_METADATA_KEY.to_string(),
            self.name().to_string(),
        )]))
    }

    /// The Kusto type of an Arrow field: its metadata when torhunt wrote it, otherwise inferred from
    /// the Arrow type. Arrow types with no Kusto counterpart yield `None`.
    pub fn of_field(field: &Field) -> Option<KustoType> {
        field
            .metadata()
            .get(KUSTO_TYPE_METADATA_KEY)
            .and_then(|name| KustoType::from_name(name))
            .or_else(|| KustoType::of_arrow(field.data_type()))
    }

    /// The Kusto type that naturally holds an Arrow type (`Utf8` is `string`; integers narrower than
    /// 32 bits widen to `int`, unsigned 32-bit and wider to `long`).
    pub fn of_arrow(data_type: &DataType) -> Option<KustoType> {
        let t = match data_type {
            DataType::Boolean => KustoType::Bool,
            DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::UInt8 | DataType::UInt16 => {
                KustoType::Int
            }
            DataType::Int64 | DataType::UInt32 | DataType::UInt64 => KustoType::Long,
            DataType::Float16 | DataType::Float32 | DataType::Float64 => KustoType::Real,
            DataType::Decimal32(..)
            | DataType::Decimal64(..)
            | DataType::Decimal128(..)
            | DataType::Decimal256(..) => KustoType::Decimal,
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => KustoType::String,
            // A dictionary holds values of its value type (pandas' categories, torhunt's strings).
            DataType::Dictionary(_, values) => return KustoType::of_arrow(values),
            DataType::Timestamp(..) | DataType::Date32 | DataType::Date64 => KustoType::DateTime,
            DataType::Duration(_) | DataType::Time32(_) | DataType::Time64(_) => KustoType::TimeSpan,
            DataType::List(_)
            | DataType::LargeList(_)
            | DataType::FixedSizeList(..)
            | DataType::Struct(_)
            | DataType::Map(..) => KustoType::Dynamic,
            _ => return None,
        };
        Some(t)
    }

    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            KustoType::Int | KustoType::Long | KustoType::Real | KustoType::Decimal
        )
    }
}

impl fmt::Display for KustoType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_decimal_text_reads_as_units_of_the_scale() {
        let unit = 10_i128.pow(18);
        assert_eq!(decimal_units("123.45678"), Some(12_345_678 * unit / 100_000));
        assert_eq!(decimal_units(" -0.5 "), Some(-unit / 2));
        assert_eq!(decimal_units(".5"), Some(unit / 2));
        assert_eq!(
            decimal_units("99999999999999999999"),
            Some(99_999_999_999_999_999_999 * unit)
        );
        for text in [
            "",
            "-",
            ".",
            "1e3",
            "1,000",
            "0.1234567890123456789",
            "100000000000000000000",
        ] {
            assert_eq!(decimal_units(text), None, "{text}");
        }
    }

    #[test]
    fn names_round_trip_and_aliases_resolve() {
        for t in KustoType::ALL {
            assert_eq!(KustoType::from_name(t.name()), Some(t));
            assert_eq!(KustoType::of_field(&t.field("c")), Some(t));
        }
        assert_eq!(KustoType::from_name("Int64"), Some(KustoType::Long));
        assert_eq!(KustoType::from_name("double"), Some(KustoType::Real));
        assert_eq!(KustoType::from_name("uniqueid"), Some(KustoType::Guid));
        assert_eq!(KustoType::from_name("varchar"), None);
    }

    #[test]
    fn a_dictionary_holds_its_value_type() {
        let dictionary =
            |keys: DataType, values: DataType| DataType::Dictionary(Box::new(keys), Box::new(values));
        assert_eq!(
            KustoType::of_arrow(&dictionary(DataType::Int32, DataType::Utf8)),
            Some(KustoType::String)
        );
        assert_eq!(
            KustoType::of_arrow(&dictionary(DataType::UInt8, DataType::Int64)),
            Some(KustoType::Long)
        );
        assert_eq!(
            KustoType::of_arrow(&dictionary(DataType::Int16, DataType::Null)),
            None
        );
    }

    #[test]
    fn dotnet_names_match_the_emulator() {
        // As reported in ../shared/conformance/kql-emulator-cases.json.
        assert_eq!(KustoType::Bool.dotnet_name(), "SByte");
        assert_eq!(KustoType::Dynamic.dotnet_name(), "Object");
        assert_eq!(KustoType::Decimal.dotnet_name(), "SqlDecimal");
    }

    #[test]
    fn plain_utf8_reads_as_string_but_tagged_fields_keep_their_type() {
        assert_eq!(
            KustoType::of_field(&Field::new("s", DataType::Utf8, true)),
            Some(KustoType::String)
        );
        assert_eq!(
            KustoType::of_field(&KustoType::Guid.field("g")),
            Some(KustoType::Guid)
        );
    }
}
