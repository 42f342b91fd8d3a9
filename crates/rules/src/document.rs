//! Finds the KQL queries in a rule file: plain KQL, Sentinel analytic-rule / hunting-query YAML
//! (its `query` field), or a markdown rule document (each fenced code block, named by the `###`
//! section heading above it, e.g. "Defender for Endpoint" and "Sentinel KQL").

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Where a query came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuerySource {
    pub path: PathBuf,
    /// The 1-based line of the file where the query text starts.
    pub line: usize,
    /// The variant name for documents with several queries (a markdown section heading).
    pub variant: Option<String>,
}

/// One KQL query found in a rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleQuery {
    /// The rule's name when the document gives one.
    pub name: Option<String>,
    pub text: String,
    pub source: QuerySource,
}

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("{path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: not a valid rule YAML document: {source}")]
    Yaml { path: PathBuf, source: serde_yaml::Error },
    #[error("{path}: the YAML document has no `query` field")]
    YamlWithoutQuery { path: PathBuf },
    #[error("{path}: the markdown document has no fenced KQL code block")]
    MarkdownWithoutQuery { path: PathBuf },
}

/// Reads a rule file and returns its queries; the format follows the extension (`.yaml`/`.yml`,
/// `.md`/`.markdown`, anything else is plain KQL).
pub fn load_queries(path: &Path) -> Result<Vec<RuleQuery>, DocumentError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| DocumentError::Read { path: path.to_path_buf(), source })?;
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match extension.as_str() {
        "yaml" | "yml" => yaml_query(path, &text).map(|q| vec![q]),
        "md" | "markdown" => markdown_queries(path, &text),
        _ => Ok(vec![RuleQuery {
            name: None,
            text,
            source: QuerySource { path: path.to_path_buf(), line: 1, variant: None },
        }]),
    }
}

#[derive(Deserialize)]
struct YamlRuleQuery {
    name: Option<String>,
    query: Option<String>,
}

fn yaml_query(path: &Path, text: &str) -> Result<RuleQuery, DocumentError> {
    let rule: YamlRuleQuery =
        serde_yaml::from_str(text).map_err(|source| DocumentError::Yaml { path: path.to_path_buf(), source })?;
    let query = rule.query.ok_or_else(|| DocumentError::YamlWithoutQuery { path: path.to_path_buf() })?;
    let line = text
        .lines()
        .position(|l| l.starts_with("query:"))
        .map_or(1, |index| index + 2);
    Ok(RuleQuery { name: rule.name, text: query, source: QuerySource { path: path.to_path_buf(), line, variant: None } })
}

fn markdown_queries(path: &Path, text: &str) -> Result<Vec<RuleQuery>, DocumentError> {
    let title = text.lines().find_map(|l| l.strip_prefix("# ")).map(|t| t.trim().to_string());
    let mut queries = Vec::new();
    let mut heading: Option<String> = None;
    let mut block: Option<(usize, Vec<&str>)> = None;
    for (index, line) in text.lines().enumerate() {
        let fence = line.trim_start().starts_with("```");
        match (&mut block, fence) {
            (None, true) => block = Some((index + 2, Vec::new())),
            (Some(_), true) => {
                if let Some((start, lines)) = block.take() {
                    let query = lines.join("\n");
                    if !query.trim().is_empty() {
                        queries.push(RuleQuery {
                            name: title.clone(),
                            text: query,
                            source: QuerySource { path: path.to_path_buf(), line: start, variant: heading.clone() },
                        });
                    }
                }
            }
            (Some((_, lines)), false) => lines.push(line),
            (None, false) => {
                if let Some(h) = line.strip_prefix("###") {
                    heading = Some(h.trim().trim_start_matches("[+]").trim().to_string());
                }
            }
        }
    }
    if queries.is_empty() {
        return Err(DocumentError::MarkdownWithoutQuery { path: path.to_path_buf() });
    }
    Ok(queries)
}
