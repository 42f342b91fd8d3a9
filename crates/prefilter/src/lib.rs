//! Filter before you parse: a conservative test on a record's raw bytes, compiled from a query's string
//! predicates, that lets readers skip records which cannot match without parsing them (Sparser, VLDB
//! 2018).
//!
//! A [`Condition`] says which needles a matching record's values must contain (combined by AND/OR;
//! anything the compiler cannot reduce, such as a negation or a computed operand, is
//! [`Condition::Unknown`] and never rules a record out). A [`Prefilter`] tests it on raw bytes in an
//! [`Encoding`]. It is a superset test: whenever some value of the record contains a needle under the
//! operators' case rule, the needle counts as present, whatever escapes, quoting or case variants the
//! writer used (see `encoding`); survivors are parsed and the real filter decides.
//!
//! ```
//! use torhunt_prefilter::{Condition, Encoding, Prefilter};
//! let condition = Condition::any([Condition::needle("torrent", false), Condition::needle(".onion", false)]);
//! let prefilter = Prefilter::new(condition).expect("a needle condition");
//! assert!(prefilter.admits(Encoding::Json, br#"{"RemoteUrl":"tracker.TORRENT.example"}"#));
//! assert!(prefilter.admits(Encoding::Json, br#"{"RemoteUrl":"x.\u006Fnion"}"#)); // an escape may hide it
//! assert!(!prefilter.admits(Encoding::Json, br#"{"RemoteUrl":"example.com"}"#));
//! ```

mod condition;
mod encoding;
mod escapes;
mod kernel;
mod members;
mod message;
mod placement;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

pub use condition::{Condition, Edge, Needle};
pub use encoding::Encoding;
pub use members::{MembersNamed, object_members, plain_string};
pub use message::event_hub_records;

use encoding::{AsciiSet, DOTTED_CAPITAL_I, KELVIN_SIGN, escape_hazards as escape_hazards_of, searched_form};
use escapes::EscapeFinder;
use kernel::{Form, Kernel, Search};
use placement::Layout;

/// A compiled [`Condition`], ready to test raw records in either encoding.
pub struct Prefilter {
    condition: Condition,
    needles: Vec<Needle>,
    /// The condition over indexes into its list of needles ([`Condition::needles`]).
    tree: Tree,
    /// Per needle, whether finding it alone makes the condition hold (each key of a join's list):
    /// the search stops there without walking the tree.
    sufficient: Vec<bool>,
    /// The test of each encoding, built when first used (a scan reads one encoding; a join's
    /// thousands of keys make a large automaton).
    json: OnceLock<Plan>,
    text: OnceLock<Plan>,
    csv: OnceLock<Plan>,
    /// Words most records hold (see [`Prefilter::with_frequent_words`]).
    frequent: &'static [&'static str],
}

thread_local! {
    /// The needles' states while a record is tested, kept between records: the id of the plan they
    /// belong to, and one flag per needle.
    static PRESENT: RefCell<(u64, Vec<bool>)> = const { RefCell::new((0, Vec::new())) };
}

/// Plan ids, from 1 (0: none yet).
static NEXT_PLAN_ID: AtomicU64 = AtomicU64::new(1);

/// The test for one encoding.
struct Plan {
    /// Tells plans apart in `PRESENT`.
    id: u64,
    kernel: Kernel,
    /// Needles this encoding cannot test: they always count as present.
    untestable: Vec<bool>,
    /// Whether the condition holds whatever the record (every needle it needs is untestable).
    always: bool,
    /// Case-insensitive needles containing `i` / `k`, which U+0130 / U+212A could complete.
    dotted_i: Vec<usize>,
    kelvin: Vec<usize>,
    /// JSON only: per ASCII character, the needles an escape decoding to it may complete (empty lists
    /// for text).
    escape_hazards: Vec<Vec<usize>>,
    /// The characters with a non-empty list in `escape_hazards`.
    any_escape_hazard: AsciiSet,
    /// Finds the escapes that may decode to one of them.
    escapes: EscapeFinder,
}

impl Prefilter {
    /// The prefilter of a condition; `None` when the condition is unknown (it would admit everything).
    pub fn new(condition: Condition) -> Option<Prefilter> {
        if condition == Condition::Unknown {
            return None;
        }
        let needles: Vec<Needle> = condition.needles().into_iter().cloned().collect();
        let tree = Tree::of(&condition, &index_of(&needles));
        let mut sufficient = vec![false; needles.len()];
        match tree.sufficient() {
            Sufficient::Every => sufficient.fill(true),
            Sufficient::These(these) => these.into_iter().for_each(|i| sufficient[i] = true),
        }
        Some(Prefilter {
            condition,
            needles,
            tree,
            sufficient,
            json: OnceLock::new(),
            text: OnceLock::new(),
            csv: OnceLock::new(),
            frequent: &[],
        })
    }

    /// The same prefilter, told the words most records hold (the keys of a format, the tables' column
    /// names): a case-insensitive needle is then searched by a piece of it none of them holds, where
    /// it has one, so that few records start a candidate. It changes what is searched first, never
    /// what is admitted.
    pub fn with_frequent_words(mut self, words: &'static [&'static str]) -> Prefilter {
        self.frequent = words;
        self
    }

    pub fn condition(&self) -> &Condition {
        &self.condition
    }

    /// Whether a record (its raw bytes in `encoding`; as text, one value) may satisfy the condition.
    /// `false` guarantees that no value of it does.
    pub fn admits(&self, encoding: Encoding, record: &[u8]) -> bool {
        self.admitted_from(encoding, record).is_some()
    }

    /// Where in raw CSV text (whole records as written, from a record's start) the records that may
    /// satisfy the condition are: every byte at which a needle occurs, placed as its operator needs as
    /// far as the raw text shows, or a character that may hide one starts, or a quote joins text to a
    /// quoted value (sorted). A record holding none of them cannot
    /// satisfy the condition, so a reader can skip it unparsed. `All` when the condition can hold
    /// without any needle found.
    pub fn csv_candidates(&self, text: &[u8]) -> CsvCandidates {
        let plan = self.plan(Encoding::Csv);
        if plan.always {
            return CsvCandidates::All;
        }
        let mut starts = Vec::new();
        plan.kernel.occurrences(text, &Layout::Csv, &mut starts);
        encoding::quotes_joining_values(text, &mut starts);
        if plan.has_case_hazards() && !text.is_ascii() {
            for (chars, hazard) in [(&plan.dotted_i, DOTTED_CAPITAL_I), (&plan.kelvin, KELVIN_SIGN)] {
                if !chars.is_empty() {
                    starts.extend(memchr::memmem::find_iter(text, hazard));
                }
            }
        }
        starts.sort_unstable();
        starts.dedup();
        CsvCandidates::At(starts)
    }

    fn plan(&self, encoding: Encoding) -> &Plan {
        match encoding {
            Encoding::Json => &self.json,
            Encoding::Text => &self.text,
            Encoding::Csv => &self.csv,
        }
        .get_or_init(|| Plan::new(&self.condition, &self.needles, encoding, self.frequent))
    }

    /// Whether a record given as its values' text concatenated (a CSV record after unquoting) may
    /// satisfy the condition; `is_edge(at)` tells whether a value starts or ends at byte `at`.
    pub fn admits_values(&self, values: &[u8], is_edge: &dyn Fn(usize) -> bool) -> bool {
        self.admitted_from_laid_out(Encoding::Text, values, &Layout::Values(is_edge))
            .is_some()
    }

    /// Whether some line of `text` (records one per line, as in an Event Hub file) may satisfy the
    /// condition, and if so from where: `None` when no line may ([`Prefilter::admits`] on the whole
    /// text is false), else `Some(at)`, where no line lying wholly in `text[..at]` may. A reader
    /// passes those lines unparsed, and tests the next one on its own.
    ///
    /// The condition holds or not by the needles found (it has no negation), and the search finds
    /// them in order: when they first make it hold, at an occurrence starting at `at`, the needles of
    /// any line before were among those found earlier, which did not (unless something before `at`
    /// may hide one: then the position of that).
    pub fn admitted_from(&self, encoding: Encoding, text: &[u8]) -> Option<usize> {
        match encoding {
            Encoding::Json => self.admitted_from_laid_out(Encoding::Json, text, &Layout::Json),
            Encoding::Text => self.admitted_from_laid_out(
                Encoding::Text,
                text,
                &Layout::Values(&|at| at == 0 || at == text.len()),
            ),
            Encoding::Csv => self.admitted_from_laid_out(Encoding::Csv, text, &Layout::Csv),
        }
    }

    fn admitted_from_laid_out(
        &self,
        encoding: Encoding,
        record: &[u8],
        layout: &Layout<'_>,
    ) -> Option<usize> {
        let plan = self.plan(encoding);
        if plan.always {
            return Some(0);
        }
        PRESENT.with_borrow_mut(|(plan_id, present)| {
            // The needles' states start as the plan's untestable ones; a record that finds and hides
            // nothing leaves them so, and the next record of the scan reuses them without copying
            // (a join's list makes thousands).
            if *plan_id != plan.id {
                present.clone_from(&plan.untestable);
                *plan_id = plan.id;
            }
            let mut found = false;
            let mut enough = |needle: usize, present: &[bool]| {
                found = true;
                self.sufficient[needle] || self.holds(present)
            };
            let admitted = match plan.kernel.search(record, layout, present, &mut enough) {
                Search::Enough { at } => Some(plan.nothing_hidden_until(record, at)),
                // Not found as written: only something that hides a needle can still let the record
                // match. With nothing found and nothing hidden, the condition is what it is on the
                // untestable needles alone: false (else `always` would hold), and the tree (as large
                // as a join's key list) need not be walked.
                Search::Exhausted { escape_from } => {
                    let hidden = plan.mark_hidden(record, present, escape_from);
                    found |= hidden.is_some();
                    // Lines before the first thing that hides a needle find no more needles than
                    // the whole text, which did not hold without it.
                    (found && self.holds(present)).then(|| hidden.unwrap_or(0))
                }
            };
            if found {
                present.clone_from(&plan.untestable);
            }
            admitted
        })
    }

    fn holds(&self, present: &[bool]) -> bool {
        self.tree.holds(present)
    }
}

/// The records of raw CSV text that may satisfy a condition ([`Prefilter::csv_candidates`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvCandidates {
    /// Any record may (the condition can hold without a needle).
    All,
    /// Those holding one of these byte positions, sorted.
    At(Vec<usize>),
}

/// A condition over needle indexes.
enum Tree {
    Always,
    Needle(usize),
    All(Vec<Tree>),
    Any(Vec<Tree>),
}

/// Needles each of which makes a condition hold on its own.
enum Sufficient {
    /// Any needle at all (the condition holds without one).
    Every,
    These(HashSet<usize>),
}

/// Each needle's index in the list.
fn index_of(needles: &[Needle]) -> HashMap<&Needle, usize> {
    needles.iter().enumerate().map(|(i, n)| (n, i)).collect()
}

impl Tree {
    fn of(condition: &Condition, needles: &HashMap<&Needle, usize>) -> Tree {
        match condition {
            Condition::Unknown => Tree::Always,
            Condition::Needle(needle) => Tree::Needle(needles[needle]),
            Condition::All(parts) => Tree::All(parts.iter().map(|p| Tree::of(p, needles)).collect()),
            Condition::Any(parts) => Tree::Any(parts.iter().map(|p| Tree::of(p, needles)).collect()),
        }
    }

    /// The needles whose presence alone makes the tree hold.
    fn sufficient(&self) -> Sufficient {
        match self {
            Tree::Always => Sufficient::Every,
            Tree::Needle(index) => Sufficient::These(HashSet::from([*index])),
            Tree::Any(parts) => parts
                .iter()
                .map(Tree::sufficient)
                .try_fold(HashSet::new(), |mut union, part| match part {
                    Sufficient::Every => None,
                    Sufficient::These(these) => {
                        union.extend(these);
                        Some(union)
                    }
                })
                .map_or(Sufficient::Every, Sufficient::These),
            Tree::All(parts) => parts
                .iter()
                .map(Tree::sufficient)
                .fold(Sufficient::Every, |common, part| match (common, part) {
                    (Sufficient::Every, other) | (other, Sufficient::Every) => other,
                    (Sufficient::These(a), Sufficient::These(b)) => {
                        Sufficient::These(a.intersection(&b).copied().collect())
                    }
                }),
        }
    }

    fn holds(&self, present: &[bool]) -> bool {
        match self {
            Tree::Always => true,
            Tree::Needle(index) => present[*index],
            Tree::All(parts) => parts.iter().all(|p| p.holds(present)),
            Tree::Any(parts) => parts.iter().any(|p| p.holds(present)),
        }
    }
}

impl fmt::Display for Prefilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.condition)
    }
}

impl fmt::Debug for Prefilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Prefilter({})", self.condition)
    }
}

impl Plan {
    fn new(condition: &Condition, needles: &[Needle], encoding: Encoding, frequent: &[&str]) -> Plan {
        // What is searched of each needle in this encoding (`None`: nothing can be).
        let searched: Vec<Option<&str>> = needles
            .iter()
            .map(|n| match encoding {
                Encoding::Json => encoding::json_searchable(n.text()),
                Encoding::Text => Some(n.text()),
                Encoding::Csv => encoding::csv_searchable(n.text()),
            })
            .collect();
        let untestable: Vec<bool> = searched.iter().map(Option::is_none).collect();
        let always = Tree::of(condition, &index_of(needles)).holds(&untestable);
        let forms = needles
            .iter()
            .zip(&searched)
            .map(|(needle, searched)| {
                searched.map(|piece| {
                    // A piece inside the needle (JSON searches the longest one) has free edges.
                    let offset = piece.as_ptr() as usize - needle.text().as_ptr() as usize;
                    let at_start = offset == 0;
                    let at_end = offset + piece.len() == needle.text().len();
                    Form {
                        bytes: searched_form(piece, encoding),
                        case_sensitive: needle.case_sensitive(),
                        edges: (
                            if at_start { needle.start() } else { Edge::Free },
                            if at_end { needle.end() } else { Edge::Free },
                        ),
                    }
                })
            })
            .collect();
        let insensitive_with = |letter: u8| -> Vec<usize> {
            (0..needles.len())
                .filter(|&i| {
                    !needles[i].case_sensitive()
                        && searched[i].is_some_and(|t| t.bytes().any(|b| b.eq_ignore_ascii_case(&letter)))
                })
                .collect()
        };
        let mut escape_hazards = vec![Vec::new(); 128];
        let mut any_escape_hazard = AsciiSet::default();
        let mut needle_chars = AsciiSet::default();
        if encoding == Encoding::Json {
            for (i, (needle, searched)) in needles.iter().zip(&searched).enumerate() {
                let chars = AsciiSet::of(searched.unwrap_or("").as_bytes(), needle.case_sensitive());
                needle_chars = needle_chars.union(chars);
                let hazards = escape_hazards_of(chars);
                any_escape_hazard = any_escape_hazard.union(hazards);
                for b in 0..128u8 {
                    if hazards.contains(b) {
                        escape_hazards[usize::from(b)].push(i);
                    }
                }
            }
        }
        let (dotted_i, kelvin) = (insensitive_with(b'i'), insensitive_with(b'k'));
        let escapes = EscapeFinder::new(needle_chars);
        let searched_escapes = match any_escape_hazard == AsciiSet::default() {
            true => Vec::new(),
            false => escapes.u_escape_starts(!dotted_i.is_empty(), !kelvin.is_empty()),
        };
        Plan {
            id: NEXT_PLAN_ID.fetch_add(1, Ordering::Relaxed),
            kernel: Kernel::new(forms, &searched_escapes, frequent),
            untestable,
            always,
            dotted_i,
            kelvin,
            escape_hazards,
            any_escape_hazard,
            escapes,
        }
    }

    /// Whether a case-insensitive needle holds an `i` or `k`, which U+0130 / U+212A could complete.
    fn has_case_hazards(&self) -> bool {
        !self.dotted_i.is_empty() || !self.kelvin.is_empty()
    }

    /// `at`, or where the first thing before it that may hide a needle starts (see `mark_hidden`)
    /// when that is sooner. The kernel's search, when it looks for escapes, saw those before `at`.
    fn nothing_hidden_until(&self, record: &[u8], at: usize) -> usize {
        let before = &record[..at];
        let characters = self.hazard_characters(before).map(|(start, _)| start).min();
        let escape = match self.kernel.searches_escapes() || self.any_escape_hazard == AsciiSet::default() {
            true => None,
            false => self
                .escapes
                .find(before, |_, decoded| !self.hidden_by(decoded).is_empty()),
        };
        characters.into_iter().chain(escape).fold(at, usize::min)
    }

    /// The characters `record` holds that lower-case to a character of some needles (U+0130, U+212A),
    /// each where it first occurs, with those needles. Only needles with an `i` or `k` need the
    /// record's non-ASCII text looked at (a whole pass).
    fn hazard_characters<'a>(&'a self, record: &'a [u8]) -> impl Iterator<Item = (usize, &'a [usize])> + 'a {
        let look = self.has_case_hazards() && !record.is_ascii();
        [(&self.dotted_i, DOTTED_CAPITAL_I), (&self.kelvin, KELVIN_SIGN)]
            .into_iter()
            .filter(move |(needles, _)| look && !needles.is_empty())
            .filter_map(move |(needles, hazard)| {
                Some((memchr::memmem::find(record, hazard)?, needles.as_slice()))
            })
    }

    /// The needles an escape decoding to `decoded` may complete.
    fn hidden_by(&self, decoded: Option<char>) -> &[usize] {
        match decoded {
            Some(c) if c.is_ascii() && self.any_escape_hazard.contains(c as u8) => {
                &self.escape_hazards[usize::from(c as u8)]
            }
            Some('\u{130}') => &self.dotted_i,
            Some('\u{212a}') => &self.kelvin,
            _ => &[],
        }
    }

    /// Marks the needles something in `record` may hide (see `encoding`); returns where the first
    /// thing that hides one starts. `escape_from` is where the first escape that may hide a needle
    /// may start (`None`: the kernel's search saw none).
    fn mark_hidden(&self, record: &[u8], present: &mut [bool], escape_from: Option<usize>) -> Option<usize> {
        let mut first: Option<usize> = None;
        let mut mark = |at: usize, needles: &[usize]| {
            if !needles.is_empty() {
                first = Some(first.map_or(at, |first| first.min(at)));
            }
            needles.iter().for_each(|&i| present[i] = true);
        };
        for (at, needles) in self.hazard_characters(record) {
            mark(at, needles);
        }
        // Text has no escapes; in JSON every testable needle has characters an escape may stand for.
        if let Some(from) = escape_from
            && self.any_escape_hazard != AsciiSet::default()
        {
            self.escapes.find(&record[from..], |at, decoded| {
                mark(from + at, self.hidden_by(decoded));
                false
            });
        }
        first
    }
}
