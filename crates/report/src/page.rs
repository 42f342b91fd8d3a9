//! Rendering: the view of a saved run through the page template, with HTML escaping of every value.

use minijinja::{AutoEscape, Environment, UndefinedBehavior, context};
use torhunt_rules::SavedRun;

use crate::csp;
use crate::view::report_view;

const TEMPLATE: &str = include_str!("../assets/report.html");

#[derive(Debug, thiserror::Error)]
#[error("rendering the HTML report: {0}")]
pub struct ReportError(#[from] minijinja::Error);

/// The report of a saved run, as one HTML document.
pub fn render(run: &SavedRun) -> Result<String, ReportError> {
    let mut environment = Environment::new();
    // Whatever the template's name, every value is HTML-escaped; a missing one is an error rather
    // than an empty cell.
    environment.set_auto_escape_callback(|_| AutoEscape::Html);
    environment.set_undefined_behavior(UndefinedBehavior::Strict);
    environment.add_template("report", TEMPLATE)?;
    let page = environment.get_template("report")?.render(context! {
        csp => csp::policy(),
        style => minijinja::Value::from_safe_string(csp::STYLE.to_string()),
        script => minijinja::Value::from_safe_string(csp::SCRIPT.to_string()),
        report => report_view(run),
    })?;
    Ok(page)
}
