//! What a query's filters require of a record's text: needles combined by AND/OR, or "unknown".

use std::collections::HashSet;
use std::fmt;

/// A string that must occur in one of a record's values for the record to match.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Needle {
    /// Non-empty ASCII text.
    text: String,
    case_sensitive: bool,
}

impl Needle {
    /// A needle, or `None` where a raw-byte test would not be exact: an empty needle (it occurs in
    /// every record, even one lacking the column) or one with non-ASCII characters (Unicode case
    /// folding is left to the real filter).
    pub fn new(text: &str, case_sensitive: bool) -> Option<Needle> {
        (!text.is_empty() && text.is_ascii()).then(|| Needle {
            text: text.to_string(),
            case_sensitive,
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn case_sensitive(&self) -> bool {
        self.case_sensitive
    }

    /// Whether `value` contains the needle under the string operators' own case rule: exact, or
    /// Unicode lower-casing of both sides (the rule of every case-insensitive Kusto operator here).
    /// This is the reference the raw test must never contradict.
    pub fn occurs_in(&self, value: &str) -> bool {
        if self.case_sensitive {
            value.contains(&self.text)
        } else {
            let lowered: String = value.chars().flat_map(char::to_lowercase).collect();
            lowered.contains(&self.text.to_ascii_lowercase())
        }
    }
}

impl fmt::Display for Needle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `~` marks case-insensitive needles, as in `=~`.
        let marker = if self.case_sensitive { "" } else { "~" };
        write!(f, "{marker}{:?}", self.text)
    }
}

/// A necessary condition on a record: when it is false, no value of the record can satisfy the query's
/// filters. `Unknown` is "may match": it never rules a record out.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Condition {
    Unknown,
    Needle(Needle),
    /// Every part holds (two or more parts, none of them `All` or `Unknown`).
    All(Vec<Condition>),
    /// Some part holds (two or more parts, none of them `Any` or `Unknown`).
    Any(Vec<Condition>),
}

impl Condition {
    /// A needle condition; `Unknown` where [`Needle::new`] refuses the text.
    pub fn needle(text: &str, case_sensitive: bool) -> Condition {
        Needle::new(text, case_sensitive).map_or(Condition::Unknown, Condition::Needle)
    }

    /// The conjunction: unknown parts are dropped (the others are still necessary).
    pub fn all(parts: impl IntoIterator<Item = Condition>) -> Condition {
        let mut kept = Vec::new();
        for part in parts {
            match part {
                Condition::Unknown => {}
                Condition::All(inner) => kept.extend(inner),
                other => kept.push(other),
            }
        }
        dedup(&mut kept);
        match kept.len() {
            0 => Condition::Unknown,
            1 => kept.pop().expect("one part"),
            _ => Condition::All(kept),
        }
    }

    /// The disjunction: one unknown part makes it unknown (that branch may match anything).
    pub fn any(parts: impl IntoIterator<Item = Condition>) -> Condition {
        let mut kept = Vec::new();
        for part in parts {
            match part {
                Condition::Unknown => return Condition::Unknown,
                Condition::Any(inner) => kept.extend(inner),
                other => kept.push(other),
            }
        }
        dedup(&mut kept);
        match kept.len() {
            0 => Condition::Unknown,
            1 => kept.pop().expect("one part"),
            _ => Condition::Any(kept),
        }
    }

    /// Every needle, in order of first appearance, without repeats.
    pub fn needles(&self) -> Vec<&Needle> {
        let mut needles = Vec::new();
        self.collect(&mut needles, &mut HashSet::new());
        needles
    }

    fn collect<'a>(&'a self, into: &mut Vec<&'a Needle>, seen: &mut HashSet<&'a Needle>) {
        match self {
            Condition::Unknown => {}
            Condition::Needle(needle) => {
                if seen.insert(needle) {
                    into.push(needle);
                }
            }
            Condition::All(parts) | Condition::Any(parts) => parts.iter().for_each(|p| p.collect(into, seen)),
        }
    }

    /// Evaluates the condition given which needles count as present.
    pub fn holds(&self, present: &dyn Fn(&Needle) -> bool) -> bool {
        match self {
            Condition::Unknown => true,
            Condition::Needle(needle) => present(needle),
            Condition::All(parts) => parts.iter().all(|p| p.holds(present)),
            Condition::Any(parts) => parts.iter().any(|p| p.holds(present)),
        }
    }
}

/// Drops repeated parts, keeping the first of each (a join's list of keys may hold thousands).
fn dedup(parts: &mut Vec<Condition>) {
    let mut seen = HashSet::new();
    parts.retain(|part| seen.insert(part.clone()));
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |f: &mut fmt::Formatter<'_>, parts: &[Condition], op: &str| {
            f.write_str("(")?;
            for (i, part) in parts.iter().enumerate() {
                if i > 0 {
                    write!(f, " {op} ")?;
                }
                write!(f, "{part}")?;
            }
            f.write_str(")")
        };
        match self {
            Condition::Unknown => f.write_str("unknown"),
            Condition::Needle(needle) => write!(f, "{needle}"),
            Condition::All(parts) => join(f, parts, "and"),
            Condition::Any(parts) => join(f, parts, "or"),
        }
    }
}
