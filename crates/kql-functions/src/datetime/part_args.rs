//! Shared plumbing for functions whose first argument names a datetime part (`datetime_add`,
//! `datetime_diff`, `datetime_part`): the part is parsed per row without allocating, and an unknown
//! part is an error naming it rather than a silent null.

use datafusion::arrow::array::{Array, StringArray};
use datafusion::common::{Result, exec_err};

use super::calendar::{Part, PartNames};

/// The part named in row `row`, `None` when that row's part is null.
pub(super) fn part_at(name: &str, names: PartNames, parts: &StringArray, row: usize) -> Result<Option<Part>> {
    if parts.is_null(row) {
        return Ok(None);
    }
    let text = parts.value(row);
    match Part::parse(text, names) {
        Some(part) => Ok(Some(part)),
        None => {
            let known: Vec<&str> = names.names().iter().map(|(known, _)| *known).collect();
            exec_err!(
                "{}(): unknown datetime part '{text}': it must be one of {} (in any letter case)",
                name.trim_start_matches("kql_"),
                known.join(", ")
            )
        }
    }
}
