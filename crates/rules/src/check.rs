//! Validating rules without data: each variant parses and binds against the built-in Advanced Hunting
//! schemas, and the columns the rule's metadata names (entities, title placeholders) are in its result.

use kql_binder::catalog::{Catalog, Column};
use kql_binder::{BindOptions, bind};
use kql_syntax::Diagnostic;
use kql_types::signature::Signature;
use torhunt_engine::{CONFIGURED_FUNCTIONS, builtin_function, builtin_function_names};
use torhunt_intel::udf::SIGNATURES;
use torhunt_sources::{builtin_schema, known_tables};

use crate::alert::title_columns;
use crate::needs::{INTEL_FUNCTIONS, query_needs};
use crate::rule::{Rule, Variant};

/// The outcome of checking one variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckOutcome {
    Valid,
    /// Parsed, but binding needs something this check does not have (the intel functions).
    SyntaxOnly(String),
    /// Diagnostics point into the query text.
    Invalid(Vec<Diagnostic>),
    /// The rule's metadata does not fit its query.
    BadMetadata(String),
}

/// The built-in table schemas, as the binder sees tables.
struct BuiltinCatalog;

impl Catalog for BuiltinCatalog {
    fn function(&self, name: &str) -> Option<Signature> {
        builtin_function(name).or_else(|| {
            SIGNATURES
                .into_iter()
                .chain(CONFIGURED_FUNCTIONS)
                .find(|signature| signature.name == name)
        })
    }

    fn function_names(&self) -> Vec<&'static str> {
        let mut names = builtin_function_names();
        names.extend(
            SIGNATURES
                .iter()
                .chain(&CONFIGURED_FUNCTIONS)
                .map(|signature| signature.name),
        );
        names
    }

    fn table_schema(&self, name: &str) -> Option<Vec<Column>> {
        builtin_schema(name).map(|schema| {
            schema
                .columns()
                .iter()
                .map(|(n, t)| Column::new(n.clone(), *t))
                .collect()
        })
    }

    fn table_names(&self) -> Vec<String> {
        known_tables().map(str::to_string).collect()
    }
}

/// Parses a query and binds it against the built-in Advanced Hunting schemas; the result columns, or
/// the diagnostics.
pub fn check_query(query: &str) -> Result<Vec<Column>, Vec<Diagnostic>> {
    let ast = kql_syntax::parse(query)?;
    // Binding folds now(); any instant does for a check.
    let options = BindOptions { now: 0 };
    bind(&ast, &BuiltinCatalog, &options).map(|bound| bound.columns().to_vec())
}

/// Checks one variant of a rule.
pub fn check_variant(rule: &Rule, variant: &Variant) -> CheckOutcome {
    let columns = match check_query(&variant.query) {
        Ok(columns) => columns,
        Err(diagnostics) => {
            let needs_intel = query_needs(&variant.query).is_ok_and(|n| !n.intel_functions.is_empty());
            let about_intel = diagnostics
                .iter()
                .all(|d| INTEL_FUNCTIONS.iter().any(|f| d.message.contains(f)));
            if needs_intel && about_intel {
                return CheckOutcome::SyntaxOnly(format!(
                    "binding needs the Tor relay intel functions: {}",
                    diagnostics
                        .iter()
                        .map(|d| d.message.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                ));
            }
            return CheckOutcome::Invalid(diagnostics);
        }
    };
    let columns: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    let title = rule.alert_title.as_deref().unwrap_or_default();
    let named = rule
        .entities
        .explicit_columns()
        .into_iter()
        .chain(title_columns(title));
    let absent: Vec<&str> = named.filter(|c| !columns.contains(c)).collect();
    if !absent.is_empty() {
        return CheckOutcome::BadMetadata(format!(
            "entity or title column(s) {} are not in the result (columns: {})",
            absent.join(", "),
            columns.join(", ")
        ));
    }
    if let Some(table) = rule
        .tests
        .iter()
        .flat_map(|t| t.input.keys())
        .find(|t| builtin_schema(t).is_none())
    {
        return CheckOutcome::BadMetadata(format!(
            "a test gives rows for `{table}`, which has no built-in schema"
        ));
    }
    CheckOutcome::Valid
}
