//! Kusto function signatures as data: name, parameters, return-type rule and result-naming rule.
//!
//! Each function declares its signature once, in the file of its implementation (`kql-functions`, or an
//! extension crate such as `intel`); the binder checks calls against it and the planner never sees it.
//! This module has no DataFusion, so the binder and the function crates can share it.

use crate::KustoType;

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
    /// An int or long and nothing else: a real or decimal is refused, not truncated (the bitwise
    /// aggregates, whose pages define them for long values only).
    IntOrLong,
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
    /// `avg`: numbers average to real; decimals, timespans and datetimes keep their type.
    Average,
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
    /// `percentile_X_P`: the first argument's name and the percentile (the last argument) as written.
    Percentile,
    /// A name of its own (`ingestion_time()` is `$IngestionTime`).
    Fixed(&'static str),
}

/// Where a function may be called: in any scalar expression, or as an aggregate of `summarize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunctionKind {
    Scalar,
    Aggregate,
}

/// One function's signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    pub name: &'static str,
    pub kind: FunctionKind,
    /// Other names Kusto accepts for the function (deprecated spellings: `makeset` for `make_set`).
    pub aliases: &'static [&'static str],
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
    /// A scalar function: every parameter required, named `ColumnN` unless [`Signature::named`].
    pub const fn scalar(name: &'static str, params: &'static [Param], returns: Returns) -> Signature {
        Signature {
            name,
            kind: FunctionKind::Scalar,
            aliases: &[],
            params,
            required: params.len(),
            variadic: false,
            repeats: 1,
            returns,
            naming: ResultName::Generated,
        }
    }

    /// An aggregate function (`summarize` only).
    pub const fn aggregate(name: &'static str, params: &'static [Param], returns: Returns) -> Signature {
        let mut signature = Signature::scalar(name, params, returns);
        signature.kind = FunctionKind::Aggregate;
        signature
    }

    /// Parameters from index `required` on are optional.
    pub const fn optional_from(mut self, required: usize) -> Signature {
        self.required = required;
        self
    }

    /// The last parameter repeats.
    pub const fn variadic(mut self) -> Signature {
        self.variadic = true;
        self
    }

    /// The last `count` parameters repeat together.
    pub const fn repeating(mut self, count: usize) -> Signature {
        self.variadic = true;
        self.repeats = count;
        self
    }

    pub const fn named(mut self, naming: ResultName) -> Signature {
        self.naming = naming;
        self
    }

    pub const fn aliases(mut self, aliases: &'static [&'static str]) -> Signature {
        self.aliases = aliases;
        self
    }

    /// The function's name and its aliases.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + use<> {
        std::iter::once(self.name).chain(self.aliases.iter().copied())
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

/// The function that converts a value to a type (`tolong`, `todatetime`, ...): the binder makes
/// implicit conversions explicit as calls of it. `to_dynamic` is torhunt's own (any scalar as dynamic;
/// Kusto's `todynamic` parses JSON text instead).
pub fn conversion_function(ty: KustoType) -> &'static str {
    match ty {
        KustoType::Bool => "tobool",
        KustoType::Int => "toint",
        KustoType::Long => "tolong",
        KustoType::Real => "todouble",
        KustoType::Decimal => "todecimal",
        KustoType::String => "tostring",
        KustoType::DateTime => "todatetime",
        KustoType::TimeSpan => "totimespan",
        KustoType::Guid => "toguid",
        KustoType::Dynamic => "to_dynamic",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_parameters_cycle_through_the_repeating_group() {
        let pack = Signature::scalar(
            "bag_pack",
            &[Param::Str, Param::Dynamic],
            Returns::Fixed(KustoType::Dynamic),
        )
        .repeating(2);
        assert_eq!(pack.param(2), Param::Str);
        assert_eq!(pack.param(5), Param::Dynamic);
        assert!(pack.accepts_count(6));
        let substring = Signature::scalar(
            "substring",
            &[Param::Str, Param::Integer, Param::Integer],
            Returns::Fixed(KustoType::String),
        )
        .optional_from(2);
        assert_eq!(substring.arity_text(), "2 to 3");
        assert!(!substring.accepts_count(4));
    }
}
