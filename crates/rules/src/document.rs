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
    Yaml {
        path: PathBuf,
        source: serde_yaml::Error,
    },
    #[error("{path}: the YAML document has no `query` field")]
    YamlWithoutQuery { path: PathBuf },
    #[error("{path}: the markdown document has no fenced KQL code block")]
    MarkdownWithoutQuery { path: PathBuf },
}

/// Reads a rule file and returns its queries; the format follows the extension (`.yaml`/`.yml`,
/// `.md`/`.markdown`, anything else is plain KQL).
pub fn load_queries(path: &Path) -> Result<Vec<RuleQuery>, DocumentError> {
    let text = std::fs::read_to_string(path).map_err(|source| DocumentError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_queries(path, &text)
}

/// The queries of a rule document already read; `path` names it and picks the format by extension.
pub fn parse_queries(path: &Path, text: &str) -> Result<Vec<RuleQuery>, DocumentError> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match extension.as_str() {
        "yaml" | "yml" => yaml_query(path, text).map(|q| vec![q]),
        "md" | "markdown" => markdown_queries(path, text),
        _ => Ok(vec![RuleQuery {
            name: None,
            text: text.to_string(),
            source: QuerySource {
                path: path.to_path_buf(),
                line: 1,
                variant: None,
            },
        }]),
    }
}

#[derive(Deserialize)]
struct YamlRuleQuery {
    name: Option<String>,
    query: Option<String>,
}

fn yaml_query(path: &Path, text: &str) -> Result<RuleQuery, DocumentError> {
    let rule: YamlRuleQuery = serde_yaml::from_str(text).map_err(|source| DocumentError::Yaml {
        path: path.to_path_buf(),
        source,
    })?;
    let query = rule.query.ok_or_else(|| DocumentError::YamlWithoutQuery {
        path: path.to_path_buf(),
    })?;
    let line = text
        .lines()
        .position(|l| l.starts_with("query:"))
        .map_or(1, |index| index + 2);
    Ok(RuleQuery {
        name: rule.name,
        text: query,
        source: QuerySource {
            path: path.to_path_buf(),
            line,
            variant: None,
        },
    })
}

fn markdown_queries(path: &Path, text: &str) -> Result<Vec<RuleQuery>, DocumentError> {
    let document = MarkdownDocument::parse(text);
    let queries: Vec<RuleQuery> = document
        .sections
        .iter()
        .flat_map(|section| {
            section.code_blocks.iter().map(|(line, query)| RuleQuery {
                name: document.title.clone(),
                text: query.clone(),
                source: QuerySource {
                    path: path.to_path_buf(),
                    line: *line,
                    variant: section.heading.clone(),
                },
            })
        })
        .collect();
    if queries.is_empty() {
        return Err(DocumentError::MarkdownWithoutQuery {
            path: path.to_path_buf(),
        });
    }
    Ok(queries)
}

/// A markdown rule document split at its `###` headings ("### [+] Description" has the heading
/// "Description").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MarkdownDocument {
    /// The `# ` title.
    pub title: Option<String>,
    pub sections: Vec<MarkdownSection>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MarkdownSection {
    /// `None` for text before the first `###` heading.
    pub heading: Option<String>,
    /// The lines outside code blocks.
    pub prose: Vec<String>,
    /// Each non-blank fenced block: the 1-based line its content starts on, and the content.
    pub code_blocks: Vec<(usize, String)>,
}

impl MarkdownDocument {
    pub fn parse(text: &str) -> MarkdownDocument {
        let title = text
            .lines()
            .find_map(|l| l.strip_prefix("# "))
            .map(|t| t.trim().to_string());
        let mut sections = vec![MarkdownSection::default()];
        let mut block: Option<(usize, Vec<&str>)> = None;
        for (index, line) in text.lines().enumerate() {
            let fence = line.trim_start().starts_with("```");
            let section = sections.last_mut().expect("there is always a section");
            match (&mut block, fence) {
                (None, true) => block = Some((index + 2, Vec::new())),
                (Some(_), true) => {
                    if let Some((start, lines)) = block.take() {
                        let query = lines.join("\n");
                        if !query.trim().is_empty() {
                            section.code_blocks.push((start, query));
                        }
                    }
                }
                (Some((_, lines)), false) => lines.push(line),
                (None, false) => match line.strip_prefix("###") {
                    Some(heading) => sections.push(MarkdownSection {
                        heading: Some(heading.trim().trim_start_matches("[+]").trim().to_string()),
                        ..MarkdownSection::default()
                    }),
                    None => section.prose.push(line.to_string()),
                },
            }
        }
        MarkdownDocument { title, sections }
    }

    /// The section whose heading equals `heading` (case-insensitive).
    pub fn section(&self, heading: &str) -> Option<&MarkdownSection> {
        self.sections.iter().find(|s| {
            s.heading
                .as_deref()
                .is_some_and(|h| h.eq_ignore_ascii_case(heading))
        })
    }
}

impl MarkdownSection {
    /// The prose as one paragraph-preserving text, trimmed.
    pub fn text(&self) -> String {
        self.prose.join("\n").trim().to_string()
    }

    /// The list items of the prose (`1. x`, `- x`, `* x`), markers removed.
    pub fn list_items(&self) -> Vec<String> {
        self.prose
            .iter()
            .filter_map(|line| {
                let line = line.trim();
                let unnumbered = line.trim_start_matches(|c: char| c.is_ascii_digit());
                let item = if unnumbered.len() < line.len() {
                    unnumbered
                        .strip_prefix(". ")
                        .or_else(|| unnumbered.strip_prefix(") "))
                } else {
                    line.strip_prefix("- ").or_else(|| line.strip_prefix("* "))
                };
                item.map(|i| i.trim().to_string()).filter(|i| !i.is_empty())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCUMENT: &str = "# Title\n\n### [+] Defender for Endpoint\n```\nT | take 1\n```\n\n### [+] Description \nWhy.\n\n### [+] Recommended Actions\n\n1. First.\n2. Second.\n\n### [+] Resources\n- [a](b)\n";

    #[test]
    fn markdown_sections_keep_headings_prose_and_blocks() {
        let document = MarkdownDocument::parse(DOCUMENT);
        assert_eq!(document.title.as_deref(), Some("Title"));
        let defender = document.section("Defender for Endpoint").unwrap();
        assert_eq!(defender.code_blocks, vec![(5, "T | take 1".to_string())]);
        assert_eq!(document.section("description").unwrap().text(), "Why.");
        assert_eq!(
            document.section("Recommended Actions").unwrap().list_items(),
            ["First.", "Second."]
        );
        assert_eq!(document.section("Resources").unwrap().list_items(), ["[a](b)"]);
    }
}
