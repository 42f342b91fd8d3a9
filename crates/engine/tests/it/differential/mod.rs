//! Differential tests against Kusto.Language (Microsoft's analyser, see the `kusto-oracle` crate):
//! result types of every function, aggregate and operator over arguments of every type ([`types`]),
//! and output schemas of the tabular operators ([`schemas`]).
//! Disagreements that are understood are listed, each with its reason, in `known.tsv`; any other
//! disagreement, or a listed one that no longer occurs, fails the test.

mod schemas;
mod types;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use datafusion::arrow::datatypes::Schema as ArrowSchema;
use datafusion::datasource::MemTable;
use kql_binder::catalog::Column;
use kql_syntax::DiagnosticKind;
use kql_types::KustoType;
use kusto_oracle::Oracle;
use torhunt_engine::{Engine, EngineConfig, RegisteredTable};

/// The oracle for a test (see [`Oracle::for_test`]), keeping its verdicts in the target directory.
pub fn oracle() -> Option<Oracle> {
    Oracle::for_test()
        .map(|oracle| oracle.with_cache(Path::new(env!("CARGO_TARGET_TMPDIR")).join("kusto-oracle")))
}

/// One column of each Kusto type in table `T`, and a literal of the same type.
pub struct Kind {
    pub ty: KustoType,
    pub column: &'static str,
    pub literal: &'static str,
}

pub const KINDS: [Kind; 10] = [
    Kind {
        ty: KustoType::Bool,
        column: "b",
        literal: "true",
    },
    Kind {
        ty: KustoType::Int,
        column: "i",
        literal: "int(2)",
    },
    Kind {
        ty: KustoType::Long,
        column: "l",
        literal: "2",
    },
    Kind {
        ty: KustoType::Real,
        column: "r",
        literal: "2.5",
    },
    Kind {
        ty: KustoType::Decimal,
        column: "m",
        literal: "decimal(2.5)",
    },
    Kind {
        ty: KustoType::DateTime,
        column: "d",
        literal: "datetime(2020-01-02)",
    },
    Kind {
        ty: KustoType::TimeSpan,
        column: "t",
        literal: "2h",
    },
    Kind {
        ty: KustoType::String,
        column: "s",
        literal: "\"a\"",
    },
    Kind {
        ty: KustoType::Guid,
        column: "g",
        literal: "guid(74be27de-1e4e-49d9-b579-fe0b331d3642)",
    },
    Kind {
        ty: KustoType::Dynamic,
        column: "y",
        literal: "dynamic([1, 2])",
    },
];

pub fn kind(ty: KustoType) -> &'static Kind {
    KINDS.iter().find(|k| k.ty == ty).expect("every type has a kind")
}

/// The table every probe reads: `T`, one column per Kusto type.
pub fn oracle_schema() -> kusto_oracle::Schema {
    BTreeMap::from([(
        "T".to_string(),
        KINDS
            .iter()
            .map(|k| (k.column.to_string(), k.ty.name().to_string()))
            .collect(),
    )])
}

/// An engine with the empty table `T`.
pub fn engine() -> Engine {
    let columns: Vec<Column> = KINDS.iter().map(|k| Column::new(k.column, k.ty)).collect();
    let schema = Arc::new(ArrowSchema::new(
        columns.iter().map(|c| c.ty.field(&c.name)).collect::<Vec<_>>(),
    ));
    let provider = Arc::new(MemTable::try_new(schema, vec![vec![]]).expect("empty table"));
    let mut engine = Engine::new(EngineConfig {
        threads: Some(1),
        ..EngineConfig::default()
    })
    .expect("engine");
    engine.register_table("T", RegisteredTable { provider, columns });
    engine
}

/// What one side says about an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Type(String),
    /// Refused as not supported (torhunt only): no answer, never a wrong one.
    Refused(String),
    Rejected(String),
}

/// torhunt's answer for a one-column query: its column's type, or why it was refused.
pub fn ours(engine: &Engine, query: &str) -> Answer {
    match engine.plan(query) {
        Ok((columns, _)) => match columns.as_slice() {
            [column] => Answer::Type(column.ty.name().to_string()),
            other => Answer::Rejected(format!("{} columns", other.len())),
        },
        Err(error) => {
            let first = &error.diagnostics[0];
            if first.kind == DiagnosticKind::NotSupported {
                Answer::Refused(first.message.clone())
            } else {
                Answer::Rejected(first.message.clone())
            }
        }
    }
}

/// A query's output schema as one side sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schema {
    /// `name:type` per column, in order.
    Columns(Vec<String>),
    Refused(String),
    Rejected(String),
}

impl std::fmt::Display for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Schema::Columns(columns) => write!(f, "({})", columns.join(", ")),
            Schema::Refused(message) => write!(f, "refused: {message}"),
            Schema::Rejected(message) => write!(f, "rejected: {message}"),
        }
    }
}

/// torhunt's output schema for a query.
pub fn ours_schema(engine: &Engine, query: &str) -> Schema {
    match engine.plan(query) {
        Ok((columns, _)) => Schema::Columns(columns.iter().map(|c| format!("{}:{}", c.name, c.ty)).collect()),
        Err(error) => {
            let first = &error.diagnostics[0];
            let message = first.message.lines().next().unwrap_or_default().to_string();
            if first.kind == DiagnosticKind::NotSupported {
                Schema::Refused(message)
            } else {
                Schema::Rejected(message)
            }
        }
    }
}

/// The listed disagreements, `category<TAB>pattern<TAB>reason` lines. The category says what kind of
/// disagreement is explained (`type`: both accept with different result types; `accepts`: torhunt
/// accepts what Kusto.Language rejects; `rejects`: the reverse; `schema`, `schema-accepts`,
/// `schema-rejects`: the same for whole output schemas). A pattern is a probe key or a query where
/// `*` stands for any text.
pub struct Known {
    entries: Vec<(String, String, String)>,
}

impl Known {
    pub fn load() -> Known {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/differential/known.tsv");
        let text = std::fs::read_to_string(&path).expect("differential/known.tsv");
        let entries = text
            .lines()
            .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
            .map(|line| {
                let mut fields = line.splitn(3, '\t');
                let (category, pattern, reason) = (
                    fields.next().unwrap_or_default(),
                    fields.next().unwrap_or_default(),
                    fields.next().unwrap_or_default(),
                );
                assert!(
                    !pattern.is_empty() && !reason.trim().is_empty(),
                    "known.tsv: `{line}` needs a category, a pattern and a reason"
                );
                (category.to_string(), pattern.to_string(), reason.to_string())
            })
            .collect();
        Known { entries }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The index of the entry explaining a disagreement of `category` on `key`: of the patterns that
    /// match, the most specific (longest) one.
    pub fn explains(&self, category: &str, key: &str) -> Option<usize> {
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, (c, pattern, _))| c == category && glob_match(pattern, key))
            .max_by_key(|(_, (_, pattern, _))| pattern.len())
            .map(|(index, _)| index)
    }

    /// The patterns of these categories that explained nothing (stale entries).
    pub fn unused(&self, used: &[bool], categories: &[&str]) -> Vec<String> {
        self.entries
            .iter()
            .zip(used)
            .filter(|((category, _, _), used)| !**used && categories.contains(&category.as_str()))
            .map(|((category, pattern, _), _)| format!("{category}\t{pattern}"))
            .collect()
    }
}

/// `*` matches any text, `\\*` a star, everything else itself.
fn glob_match(pattern: &str, text: &str) -> bool {
    let mut chars = pattern.chars();
    match chars.next() {
        None => text.is_empty(),
        Some('*') => {
            let tail = chars.as_str();
            text.char_indices()
                .map(|(at, _)| at)
                .chain([text.len()])
                .any(|at| glob_match(tail, &text[at..]))
        }
        Some(c) => {
            let (c, tail) = match (c, chars.as_str().strip_prefix('*')) {
                ('\\', Some(tail)) => ('*', tail),
                _ => (c, chars.as_str()),
            };
            let mut rest = text.chars();
            rest.next() == Some(c) && glob_match(tail, rest.as_str())
        }
    }
}
