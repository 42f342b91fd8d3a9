//! A hash join's keys tested on a record's raw key field before it is parsed (issue #14, item 3).
//!
//! A join filter `RemoteIP IN (7,000 relay addresses)` used to become 7,000 needles searched over every
//! byte of every record; the keys are exact values of one field, so the field is located instead
//! (`torhunt_prefilter::object_members` in JSON, the header's index in CSV) and looked up in a hash
//! set. A field the record lacks reads as `""` (string columns are never null), so it is looked up as
//! that; so is a `null`. Any doubt admits the record: the field not located for sure (a repeated or
//! escaped name, broken structure) or not a plain string (an escape, a number the reader would
//! re-format). The join still decides which rows match.

use std::collections::HashSet;
use std::sync::Arc;

use torhunt_prefilter::{MembersNamed, object_members, plain_string};

/// Rows a scan feeds the join must hold one of `keys`, exactly, in the string column `column`.
#[derive(Debug, Clone)]
pub(crate) struct JoinKeys {
    column: String,
    keys: HashSet<String>,
    /// Finds the members named like the column in an Event Hub message (`None`: a name that is not
    /// plain, so not searched).
    members: Option<Arc<MembersNamed>>,
}

impl PartialEq for JoinKeys {
    fn eq(&self, other: &JoinKeys) -> bool {
        (&self.column, &self.keys) == (&other.column, &other.keys)
    }
}

impl JoinKeys {
    pub fn new(column: &str, keys: impl IntoIterator<Item = String>) -> JoinKeys {
        JoinKeys {
            column: column.to_string(),
            keys: keys.into_iter().collect(),
            members: MembersNamed::new(&[column]).map(Arc::new),
        }
    }

    pub fn column(&self) -> &str {
        &self.column
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Keys on the same column joined by OR (a partitioned join's branches): their union; `None` when
    /// the columns differ.
    pub fn union(mut self, other: JoinKeys) -> Option<JoinKeys> {
        (self.column == other.column).then(|| {
            self.keys.extend(other.keys);
            self
        })
    }

    /// Whether a raw field value may hold one of the keys: a plain JSON string or CSV field that is one,
    /// or anything the reader could make into one (see the module's doubts).
    fn admits_text(&self, text: &[u8]) -> bool {
        std::str::from_utf8(text).map_or(true, |text| self.keys.contains(text))
    }

    /// [`admits_text`](Self::admits_text) for a JSON record: a flat object of columns, or (`envelope`)
    /// a Streaming API record whose columns are in `properties`.
    pub fn admits_json(&self, record: &[u8], envelope: bool) -> bool {
        let columns = if envelope {
            match object_members(record, ["properties"]) {
                Some([Some(properties)]) => properties,
                _ => return true,
            }
        } else {
            record
        };
        match object_members(columns, [self.column.as_str()]) {
            Some([Some(value)]) => key_text(value).is_none_or(|text| self.admits_text(text.as_bytes())),
            Some([None]) => self.admits_text(b""),
            None => true,
        }
    }

    /// Whether any record of an Event Hub message may hold a key: `false` only when every member named
    /// like the column anywhere in the message is a plain string that is not a key, and `""` (what a
    /// record lacking the member reads as) is not a key either. Any doubt admits the message, which is
    /// then split and its records tested one by one.
    pub fn message_may_match(&self, message: &[u8]) -> bool {
        self.keys.contains("")
            || self.members.as_ref().is_none_or(|members| {
                members
                    .each(message, |_, value| {
                        key_text(value).is_none_or(|text| self.keys.contains(text))
                    })
                    .unwrap_or(true)
            })
    }

    /// For a CSV record whose field holding the column is `field` (unquoted; `None`: not located for
    /// sure).
    pub fn admits_csv_field(&self, field: Option<&[u8]>) -> bool {
        field.is_none_or(|value| self.admits_text(value))
    }
}

/// The text a string column reads from a raw JSON value, where it is certain: a string without escapes
/// as it is, `null` as `""` (string columns are never null), `true` and `false` as written; `None` for
/// anything the reader would decode or re-format.
fn key_text(value: &[u8]) -> Option<&str> {
    match value {
        b"null" => Some(""),
        b"true" => Some("true"),
        b"false" => Some("false"),
        _ => plain_string(value),
    }
}
