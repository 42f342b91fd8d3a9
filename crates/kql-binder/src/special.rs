//! Special forms: calls the binder binds itself instead of checking them against a function's
//! signature, because their shape or their result is not a function of typed arguments (a branch per
//! condition, a constant folded from the query's `now`, a column chosen by name, several output
//! columns, a subquery). Every other call is a function the catalog knows (`kql-functions`' registry
//! and the engine's extensions). This is the one list of them.

use kql_types::signature::ResultName;

/// Where a special form may appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// In any scalar expression.
    Scalar,
    /// As an aggregate of `summarize`.
    Aggregate,
    /// As a tabular expression.
    Tabular,
}

/// One special form: its name, where it may appear, and how an unnamed call names its column.
#[derive(Debug, Clone, Copy)]
pub struct SpecialForm {
    pub name: &'static str,
    pub place: Place,
    pub naming: ResultName,
}

const fn form(name: &'static str, place: Place) -> SpecialForm {
    SpecialForm {
        name,
        place,
        naming: ResultName::Generated,
    }
}

/// Every special form, by the code that binds it.
pub const SPECIAL_FORMS: &[SpecialForm] = &[
    // expr/special_forms.rs, expr/conditional.rs and expr/bag.rs:
    form("now", Place::Scalar), // a datetime constant: the query's now (plus an offset)
    form("ago", Place::Scalar), // a datetime constant: the query's now minus a timespan
    form("iff", Place::Scalar), // a conditional; both values take their common type
    form("iif", Place::Scalar), // `iff`
    form("case", Place::Scalar), // several branches, the values of their common type
    form("not", Place::Scalar), // a negation
    form("coalesce", Place::Scalar), // the function `coalesce`, the values of their common type
    SpecialForm {
        naming: ResultName::Prefixed("type"),
        ..form("gettype", Place::Scalar) // a string constant: the argument's Kusto type
    },
    form("toscalar", Place::Scalar), // a scalar subquery (first column, first row)
    SpecialForm {
        naming: ResultName::Fixed(kql_types::INGESTION_TIME_NAME),
        ..form("ingestion_time", Place::Scalar) // the hidden ingestion time of the row, or null
    },
    form("column_ifexists", Place::Scalar), // a column by a constant name, else the default
    form("columnifexists", Place::Scalar),  // `column_ifexists` (deprecated name)
    form("pack_all", Place::Scalar),        // `bag_pack` of every column of the row
    form("bag_pack_columns", Place::Scalar), // `bag_pack` of the named columns
    form("extract", Place::Scalar),         // with a 4th `typeof(T)`: `extract` converted to T
    form("extract_json", Place::Scalar),    // with a 3rd `typeof(T)`: `extract_json` converted to T
    form("extractjson", Place::Scalar),     // `extract_json`
    // expr/window.rs: window functions over the serialized rows
    form("row_number", Place::Scalar),
    form("prev", Place::Scalar),
    form("next", Place::Scalar),
    form("row_cumsum", Place::Scalar),
    form("row_rank_min", Place::Scalar),
    form("row_rank_dense", Place::Scalar),
    form("row_window_session", Place::Scalar),
    // operators/summarize.rs:
    form("arg_max", Place::Aggregate), // the row with the largest value per group
    form("arg_min", Place::Aggregate), // the row with the smallest value per group
    form("percentiles", Place::Aggregate), // one `percentile` column per percentile
    form("percentilesw", Place::Aggregate), // one `percentilew` column per percentile
    // tabular.rs:
    form("materialize", Place::Tabular), // its argument
    form("table", Place::Tabular),       // the table of a constant name
    form("view", Place::Tabular),        // refused: not a tabular expression
];

/// The special form of a name, if it is one.
pub(crate) fn special_form(name: &str) -> Option<&'static SpecialForm> {
    SPECIAL_FORMS.iter().find(|form| form.name == name)
}
