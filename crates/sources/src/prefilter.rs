//! The readers' hook into `torhunt-prefilter`: the filters DataFusion pushes into a table scan become a
//! [`Condition`] on a record's raw bytes, so readers can skip records that cannot match unparsed.
//!
//! Only predicates whose truth needs a needle in a string column's value reduce to a needle: `==`,
//! `in`, and the `kql_*` string operators (`has`, `contains`, `startswith`, `endswith`, `=~`, `in~`,
//! `has_any`, `has_all`, with or without `_cs`, and `hasprefix`/`hassuffix`) with a plain column of
//! Kusto type `string` and literal needles; AND and OR combine them. Everything else (negations, other
//! types, computed operands, `Type`, which reads the table name when a record lacks it) is unknown and
//! never skips a record. DataFusion still applies every filter to the rows read (the pushdown is
//! inexact).
//!
//! A hash join's dynamic filter (`key IN (build-side keys)`, combined with bounds, null checks and, for
//! partitioned joins, a `CASE` over partitions) reduces the same way once the join has filled it in:
//! the `IN` list of a string column becomes needles, a `CASE` any of its branches, and whatever else it
//! holds is unknown. A long list (a relay list's thousands of addresses) is better tested as exact keys
//! of the one field than searched as needles over every byte: [`join_keys_of_physical`].

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use datafusion::common::ScalarValue;
use datafusion::logical_expr::{BinaryExpr, Expr, Operator};
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_expr::expressions::{
    BinaryExpr as PhysicalBinary, CaseExpr, Column as PhysicalColumn, DynamicFilterPhysicalExpr, InListExpr,
    Literal,
};
use kql_types::KustoType;
use torhunt_prefilter::{Condition, Edge, Prefilter};

use crate::join_keys::JoinKeys;
use crate::schema::{TYPE, TableSchema, builtin_schema, known_tables};

/// The condition a filter puts on a table's records.
/// The prefilter of a condition on telemetry records (`None`: it would admit every record), told the
/// words most records hold ([`frequent_words`]).
pub(crate) fn prefilter_of(condition: Condition) -> Option<Arc<Prefilter>> {
    Prefilter::new(condition).map(|p| Arc::new(p.with_frequent_words(frequent_words())))
}

/// Words nearly every record holds, whatever its table: the catalog's column and table names (a JSON
/// record's keys, a `category`'s value, a CSV export's header) and the Streaming API's envelope keys.
/// The prefilter searches a case-insensitive needle by a piece none of them holds where it can: a
/// piece of a key starts a candidate in every record.
fn frequent_words() -> &'static [&'static str] {
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let envelope = [
            "records",
            "time",
            "tenantId",
            "operationName",
            "Publish",
            "category",
            "AdvancedHunting",
            "properties",
        ];
        let mut words: BTreeSet<&'static str> = envelope.into_iter().collect();
        for table in known_tables() {
            words.insert(table);
            let columns = builtin_schema(table).map_or(&[][..], TableSchema::columns);
            words.extend(columns.iter().map(|(name, _)| name.as_str()));
        }
        words.into_iter().collect()
    })
}

pub(crate) fn condition_of(filter: &Expr, schema: &TableSchema) -> Condition {
    match filter {
        Expr::BinaryExpr(BinaryExpr { left, op, right }) => match op {
            Operator::And => Condition::all([condition_of(left, schema), condition_of(right, schema)]),
            Operator::Or => Condition::any([condition_of(left, schema), condition_of(right, schema)]),
            Operator::Eq => match (left.as_ref(), right.as_ref()) {
                (column, value) | (value, column) if string_column(column, schema) => {
                    literal(value).map_or(Condition::Unknown, |v| whole_value(v, true))
                }
                _ => Condition::Unknown,
            },
            _ => Condition::Unknown,
        },
        Expr::InList(list) if !list.negated && string_column(&list.expr, schema) => {
            needles(list.list.iter(), Placement::WHOLE_VALUE, true, Condition::any)
        }
        Expr::ScalarFunction(call) => {
            let Some((column, values)) = call.args.split_first() else {
                return Condition::Unknown;
            };
            if !string_column(column, schema) {
                return Condition::Unknown;
            }
            let name = call.func.name();
            let Some(placement) = Placement::of_operator(name.strip_suffix("_cs").unwrap_or(name)) else {
                return Condition::Unknown;
            };
            let case_sensitive = name.ends_with("_cs");
            let combine = if name == "kql_has_all" {
                Condition::all
            } else {
                Condition::any
            };
            needles(values.iter(), placement, case_sensitive, combine)
        }
        _ => Condition::Unknown,
    }
}

/// The condition of all of a scan's filters.
pub(crate) fn condition_of_all(filters: &[Expr], schema: &TableSchema) -> Condition {
    Condition::all(filters.iter().map(|f| condition_of(f, schema)))
}

/// The condition a physical filter pushed into a scan puts on its records (its columns are the scan's
/// output columns); a dynamic filter is read as it stands now.
pub(crate) fn condition_of_physical(filter: &Arc<dyn PhysicalExpr>, schema: &TableSchema) -> Condition {
    if let Some(dynamic) = filter.downcast_ref::<DynamicFilterPhysicalExpr>() {
        return dynamic
            .current()
            .map_or(Condition::Unknown, |now| condition_of_physical(&now, schema));
    }
    if let Some(binary) = filter.downcast_ref::<PhysicalBinary>() {
        return match binary.op() {
            Operator::And => Condition::all([
                condition_of_physical(binary.left(), schema),
                condition_of_physical(binary.right(), schema),
            ]),
            Operator::Or => any_branch([binary.left(), binary.right()], schema),
            Operator::Eq => match (binary.left(), binary.right()) {
                (column, value) | (value, column) if physical_string_column(column, schema) => {
                    physical_literal(value).map_or(Condition::Unknown, |v| whole_value(v, true))
                }
                _ => Condition::Unknown,
            },
            _ => Condition::Unknown,
        };
    }
    if let Some(list) = filter.downcast_ref::<InListExpr>()
        && !list.negated()
        && physical_string_column(list.expr(), schema)
    {
        let texts: Option<Vec<&str>> = list.list().iter().map(physical_literal).collect();
        return texts.map_or(Condition::Unknown, |texts| {
            needles_of(texts.into_iter(), Placement::WHOLE_VALUE, true, Condition::any)
        });
    }
    if let Some(case) = filter.downcast_ref::<CaseExpr>() {
        // Whichever branch a row takes, the filter is that branch's value.
        let branches = case.when_then_expr().iter().map(|(_, then)| then);
        return match case.else_expr() {
            Some(otherwise) => any_branch(branches.chain([otherwise]), schema),
            None => any_branch(branches, schema),
        };
    }
    Condition::Unknown
}

/// The key sets a join filter, as it stands now, holds its rows to: `column IN (keys)` on a string
/// column (a conjunction of such), or a partitioned join's `CASE` whose branches each hold one set on the
/// same column (their union). Empty when the filter has none, or not yet.
pub(crate) fn join_keys_of_physical(filter: &Arc<dyn PhysicalExpr>, schema: &TableSchema) -> Vec<JoinKeys> {
    if let Some(dynamic) = filter.downcast_ref::<DynamicFilterPhysicalExpr>() {
        return dynamic
            .current()
            .map_or_else(|_| Vec::new(), |now| join_keys_of_physical(&now, schema));
    }
    if let Some(binary) = filter.downcast_ref::<PhysicalBinary>() {
        return match binary.op() {
            Operator::And => {
                let mut keys = join_keys_of_physical(binary.left(), schema);
                keys.extend(join_keys_of_physical(binary.right(), schema));
                keys
            }
            Operator::Or => keys_of_any_branch([binary.left(), binary.right()], schema),
            _ => Vec::new(),
        };
    }
    if let Some(list) = filter.downcast_ref::<InListExpr>()
        && !list.negated()
        && let Some(column) = list.expr().downcast_ref::<PhysicalColumn>()
        && text_column(column.name(), schema)
    {
        let keys: Option<Vec<String>> = list
            .list()
            .iter()
            .map(|value| physical_literal(value).map(str::to_string))
            .collect();
        return keys.map_or_else(Vec::new, |keys| vec![JoinKeys::new(column.name(), keys)]);
    }
    if let Some(case) = filter.downcast_ref::<CaseExpr>() {
        let branches = case.when_then_expr().iter().map(|(_, then)| then);
        return match case.else_expr() {
            Some(otherwise) => keys_of_any_branch(branches.chain([otherwise]), schema),
            None => keys_of_any_branch(branches, schema),
        };
    }
    Vec::new()
}

/// The union of the branches' key sets when each (but those literally false) holds exactly one, on the
/// same column; else none.
fn keys_of_any_branch<'a>(
    branches: impl IntoIterator<Item = &'a Arc<dyn PhysicalExpr>>,
    schema: &TableSchema,
) -> Vec<JoinKeys> {
    let mut union: Option<JoinKeys> = None;
    for branch in branches.into_iter().filter(|branch| !is_false(branch)) {
        let Ok([keys]) = <[JoinKeys; 1]>::try_from(join_keys_of_physical(branch, schema)) else {
            return Vec::new();
        };
        union = match union {
            None => Some(keys),
            Some(union) => match union.union(keys) {
                Some(union) => Some(union),
                None => return Vec::new(),
            },
        };
    }
    union.into_iter().collect()
}

/// Whether an expression is the literal `false` (a partitioned join's empty partition).
fn is_false(expr: &Arc<dyn PhysicalExpr>) -> bool {
    expr.downcast_ref::<Literal>()
        .is_some_and(|l| l.value() == &ScalarValue::Boolean(Some(false)))
}

/// The disjunction of branches, leaving out those that are literally false (a partitioned join's empty
/// partitions); unknown when none is left.
fn any_branch<'a>(
    branches: impl IntoIterator<Item = &'a Arc<dyn PhysicalExpr>>,
    schema: &TableSchema,
) -> Condition {
    let parts: Vec<Condition> = branches
        .into_iter()
        .filter(|branch| !is_false(branch))
        .map(|branch| condition_of_physical(branch, schema))
        .collect();
    if parts.is_empty() {
        return Condition::Unknown;
    }
    Condition::any(parts)
}

/// Where an operator's needle must sit in the value: its start and end edges.
#[derive(Clone, Copy)]
struct Placement(Edge, Edge);

impl Placement {
    /// `==`, `in`, `=~`, `in~`: the needle is the whole value.
    const WHOLE_VALUE: Placement = Placement(Edge::Value, Edge::Value);

    /// The placement a case-insensitive `kql_*` string operator needs (its `_cs` twin needs the same);
    /// `None` for other functions.
    fn of_operator(name: &str) -> Option<Placement> {
        Some(match name {
            "kql_has" | "kql_has_any" | "kql_has_all" => Placement(Edge::Term, Edge::Term),
            "kql_hasprefix" => Placement(Edge::Term, Edge::Free),
            "kql_hassuffix" => Placement(Edge::Free, Edge::Term),
            "kql_contains" => Placement(Edge::Free, Edge::Free),
            "kql_startswith" => Placement(Edge::Value, Edge::Free),
            "kql_endswith" => Placement(Edge::Free, Edge::Value),
            "kql_equals_ci" | "kql_in_ci" => Placement::WHOLE_VALUE,
            _ => return None,
        })
    }
}

/// A needle that must be the whole value.
fn whole_value(text: &str, case_sensitive: bool) -> Condition {
    let Placement(start, end) = Placement::WHOLE_VALUE;
    Condition::placed_needle(text, case_sensitive, start, end)
}

/// Needles from literal values, combined by `combine`; unknown if any value is not a string literal.
fn needles<'a>(
    values: impl Iterator<Item = &'a Expr>,
    placement: Placement,
    case_sensitive: bool,
    combine: fn(Vec<Condition>) -> Condition,
) -> Condition {
    let texts: Option<Vec<&str>> = values.map(literal).collect();
    texts.map_or(Condition::Unknown, |texts| {
        needles_of(texts.into_iter(), placement, case_sensitive, combine)
    })
}

/// Needles from texts, combined by `combine`; unknown when there are none.
fn needles_of<'a>(
    texts: impl Iterator<Item = &'a str>,
    Placement(start, end): Placement,
    case_sensitive: bool,
    combine: fn(Vec<Condition>) -> Condition,
) -> Condition {
    let parts: Vec<Condition> = texts
        .map(|text| Condition::placed_needle(text, case_sensitive, start, end))
        .collect();
    if parts.is_empty() {
        return Condition::Unknown;
    }
    combine(parts)
}

/// Whether `expr` is a plain column of Kusto type `string` whose value comes from the record's text.
fn string_column(expr: &Expr, schema: &TableSchema) -> bool {
    match expr {
        Expr::Column(column) => text_column(&column.name, schema),
        _ => false,
    }
}

fn physical_string_column(expr: &Arc<dyn PhysicalExpr>, schema: &TableSchema) -> bool {
    expr.downcast_ref::<PhysicalColumn>()
        .is_some_and(|column| text_column(column.name(), schema))
}

/// Whether a column's values are the text of the record (not `Type`, which falls back to the table name).
fn text_column(name: &str, schema: &TableSchema) -> bool {
    name != TYPE && schema.kusto_type(name) == Some(KustoType::String)
}

fn literal(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Literal(value, _) => string_value(value),
        _ => None,
    }
}

fn physical_literal(expr: &Arc<dyn PhysicalExpr>) -> Option<&str> {
    expr.downcast_ref::<Literal>()
        .and_then(|l| string_value(l.value()))
}

fn string_value(value: &ScalarValue) -> Option<&str> {
    match value {
        ScalarValue::Utf8(Some(text))
        | ScalarValue::LargeUtf8(Some(text))
        | ScalarValue::Utf8View(Some(text)) => Some(text),
        _ => None,
    }
}
