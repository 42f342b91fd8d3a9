//! What a query's filters require of a record's text: needles combined by AND/OR, or "unknown".

use std::collections::HashSet;
use std::fmt;

/// Where a needle's occurrence must sit in a value for its operator to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Edge {
    /// Anywhere (`contains`).
    Free,
    /// At a term boundary: the character beside it is not alphanumeric, or there is none (`has`,
    /// `hasprefix`, `hassuffix`; terms are maximal runs of alphanumerics).
    Term,
    /// At the value's own start or end (`startswith`, `endswith`, `==`, `in`, `=~`).
    Value,
}

/// A string that must occur in one of a record's values, placed as its `start` and `end` edges say,
/// for the record to match.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Needle {
    /// Non-empty ASCII text.
    text: String,
    case_sensitive: bool,
    start: Edge,
    end: Edge,
}

impl Needle {
    /// A needle found anywhere in a value, or `None` where a raw-byte test would not be exact: an empty
    /// needle (it occurs in every record, even one lacking the column) or one with non-ASCII characters
    /// (Unicode case folding is left to the real filter).
    pub fn new(text: &str, case_sensitive: bool) -> Option<Needle> {
        Needle::placed(text, case_sensitive, Edge::Free, Edge::Free)
    }

    /// A needle whose occurrence must start at `start` and end at `end`. A term edge on a side where
    /// the needle's own character separates terms holds wherever it occurs (`has ".onion"`), so it is
    /// free there.
    pub fn placed(text: &str, case_sensitive: bool, start: Edge, end: Edge) -> Option<Needle> {
        if text.is_empty() || !text.is_ascii() {
            return None;
        }
        let free_if_separator = |edge: Edge, c: Option<char>| match edge {
            Edge::Term if c.is_some_and(|c| !c.is_ascii_alphanumeric()) => Edge::Free,
            other => other,
        };
        Some(Needle {
            text: text.to_string(),
            case_sensitive,
            start: free_if_separator(start, text.chars().next()),
            end: free_if_separator(end, text.chars().next_back()),
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn case_sensitive(&self) -> bool {
        self.case_sensitive
    }

    pub fn start(&self) -> Edge {
        self.start
    }

    pub fn end(&self) -> Edge {
        self.end
    }
}

impl fmt::Display for Needle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `~` marks case-insensitive needles, as in `=~`; the placement is named by the operator that
        // asks for it.
        let marker = if self.case_sensitive { "" } else { "~" };
        let placement = match (self.start, self.end) {
            (Edge::Free, Edge::Free) => "",
            (Edge::Term, Edge::Term) => "has ",
            (Edge::Term, Edge::Free) => "hasprefix ",
            (Edge::Free, Edge::Term) => "hassuffix ",
            (Edge::Value, Edge::Free) => "startswith ",
            (Edge::Free, Edge::Value) => "endswith ",
            (Edge::Value, Edge::Value) => "== ",
            (Edge::Value, Edge::Term) => "startswith+hassuffix ",
            (Edge::Term, Edge::Value) => "hasprefix+endswith ",
        };
        write!(f, "{placement}{marker}{:?}", self.text)
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
        Condition::placed_needle(text, case_sensitive, Edge::Free, Edge::Free)
    }

    /// A placed needle condition ([`Needle::placed`]); `Unknown` where it refuses the text.
    pub fn placed_needle(text: &str, case_sensitive: bool, start: Edge, end: Edge) -> Condition {
        Needle::placed(text, case_sensitive, start, end).map_or(Condition::Unknown, Condition::Needle)
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
