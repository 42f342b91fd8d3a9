//! Kusto function signatures as data: name, parameters, return-type rule and result-naming rule, split
//! by family. The binder checks calls against them; the planner decides how each one runs.

use kql_types::KustoType;

mod aggregate;
mod conversion;
mod datetime;
mod dynamic;
mod geo;
mod ip;
mod math;
mod series;
mod string;
mod tor;

/// What a parameter accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    /// Any scalar, passed as is.
    Any,
    /// A string; `dynamic` is converted with `tostring`, `guid` passes as text.
    Str,
    /// Any scalar, taken as its text (`tostring`), as the hash functions and `strrep` take it.
    Text,
    /// int, long, real or decimal (a `dynamic` is converted with `todouble`).
    Num,
    /// A whole number (int or long).
    Integer,
    Bool,
    DateTime,
    TimeSpan,
    /// datetime, timespan or number, as `bin` and `floor` take.
    Binnable,
    /// A dynamic value; other types are converted with `to_dynamic`.
    Dynamic,
}

/// How the result type follows from the argument types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returns {
    Fixed(KustoType),
    /// The type of the argument at this index.
    ArgType(usize),
    /// Kusto's arithmetic promotion of all arguments (int and long give long, any real gives real).
    Promoted,
    /// `sum`: whole numbers sum to long, others keep their type.
    Sum,
}

/// How an unnamed call names its result column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultName {
    /// `ColumnN`.
    Generated,
    /// The name the first argument would get (`tostring(X)` is `X`).
    FirstArgument,
    /// `prefix_` followed by the first argument's name (`sum_X`, `strlen_X`, `count_`).
    Prefixed(&'static str),
    /// `prefix_X_Y`: the names of the first two arguments (`covariance_x_y`, as the emulator names it).
    PrefixedPair(&'static str),
    /// `percentile_X_P`: the first argument's name and the percentile as written.
    Percentile,
}

/// One function's signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    pub name: &'static str,
    pub params: &'static [Param],
    /// How many leading parameters are required; the rest are optional.
    pub required: usize,
    /// The last `repeats` parameters repeat.
    pub variadic: bool,
    /// How many trailing parameters repeat as a group (`bag_pack(key, value, key, value, ...)`: 2).
    pub repeats: usize,
    pub returns: Returns,
    pub naming: ResultName,
}

impl Signature {
    pub(crate) const fn new(name: &'static str, params: &'static [Param], returns: Returns) -> Signature {
        Signature {
            name,
            params,
            required: params.len(),
            variadic: false,
            repeats: 1,
            returns,
            naming: ResultName::Generated,
        }
    }

    pub(crate) const fn optional_from(mut self, required: usize) -> Signature {
        self.required = required;
        self
    }

    pub(crate) const fn variadic(mut self) -> Signature {
        self.variadic = true;
        self
    }

    /// The last `count` parameters repeat together.
    pub(crate) const fn repeating(mut self, count: usize) -> Signature {
        self.variadic = true;
        self.repeats = count;
        self
    }

    pub(crate) const fn named(mut self, naming: ResultName) -> Signature {
        self.naming = naming;
        self
    }

    /// Whether `count` arguments fit.
    pub fn accepts_count(&self, count: usize) -> bool {
        count >= self.required && (self.variadic || count <= self.params.len())
    }

    /// The parameter the argument at `index` binds to.
    pub fn param(&self, index: usize) -> Param {
        let len = self.params.len();
        if index < len {
            return self.params[index];
        }
        let repeats = self.repeats.clamp(1, len.max(1));
        self.params
            .get(len - repeats + (index - len) % repeats)
            .copied()
            .unwrap_or(Param::Any)
    }

    /// The expected argument count, for messages (`2`, `1 to 3`, `at least 2`).
    pub fn arity_text(&self) -> String {
        match (self.variadic, self.required == self.params.len()) {
            (true, _) => format!("at least {}", self.required),
            (false, true) => self.required.to_string(),
            (false, false) => format!("{} to {}", self.required, self.params.len()),
        }
    }
}

/// Deprecated names Kusto still accepts, and the functions they stand for.
const ALIASES: &[(&str, &str)] = &[
    ("makeset", "make_set"),
    ("makelist", "make_list"),
    ("base64_decodestring", "base64_decode_tostring"),
    ("base64_encodestring", "base64_encode_tostring"),
    ("weekofyear", "week_of_year"),
];

fn canonical(name: &str) -> &str {
    ALIASES
        .iter()
        .find(|(alias, _)| *alias == name)
        .map_or(name, |(_, canonical)| canonical)
}

/// Every family of scalar functions.
const SCALAR_FAMILIES: [&[Signature]; 9] = [
    string::FUNCTIONS,
    conversion::FUNCTIONS,
    math::FUNCTIONS,
    datetime::FUNCTIONS,
    dynamic::FUNCTIONS,
    ip::FUNCTIONS,
    geo::FUNCTIONS,
    tor::FUNCTIONS,
    series::FUNCTIONS,
];

/// A scalar function's signature, by Kusto name (case-sensitive, as in Kusto).
pub fn scalar(name: &str) -> Option<&'static Signature> {
    let name = canonical(name);
    SCALAR_FAMILIES
        .into_iter()
        .flatten()
        .find(|signature| signature.name == name)
}

/// An aggregate function's signature, by Kusto name.
pub fn aggregate(name: &str) -> Option<&'static Signature> {
    let name = canonical(name);
    aggregate::FUNCTIONS
        .iter()
        .find(|signature| signature.name == name)
}

/// Every known function name, for "did you mean" suggestions.
pub fn all_names() -> impl Iterator<Item = &'static str> {
    SCALAR_FAMILIES
        .into_iter()
        .chain([aggregate::FUNCTIONS])
        .flatten()
        .map(|signature| signature.name)
}

/// Kusto's numeric promotion for arithmetic: any real gives real, any decimal decimal, otherwise long.
pub fn promote(types: &[KustoType]) -> KustoType {
    if types.contains(&KustoType::Real) {
        KustoType::Real
    } else if types.contains(&KustoType::Decimal) {
        KustoType::Decimal
    } else {
        KustoType::Long
    }
}
