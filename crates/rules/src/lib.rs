//! Detection rules: the documents they come in (Sentinel YAML, markdown, torhunt YAML, companions),
//! the rule model, checks, embedded tests, the hunt runner and the alerts it raises.

pub mod alert;
pub mod check;
pub mod document;
pub mod hunt;
pub mod load;
pub mod needs;
pub mod output;
pub mod relay_intel;
pub mod rule;
pub mod saved_run;
pub mod shipped;
pub mod summary;
pub mod testing;

pub use alert::Alert;
pub use document::{QuerySource, RuleQuery, load_queries};
pub use hunt::{HuntOptions, HuntReport, hunt};
pub use load::{LoadedRules, RuleError, load_rule_texts, load_rules};
pub use rule::{Rule, Severity};
pub use saved_run::{SavedRun, SavedRunError, read_saved_run};
pub use shipped::shipped_rules;
pub use summary::HuntSummary;
