//! Loading rules from files and directories: Sentinel analytic-rule / hunting-query YAML, torhunt rule
//! YAML (Sentinel's fields plus torhunt's), markdown rule documents, plain `.kql`, and companion files
//! (`extends: <document>`) that add torhunt metadata to a document kept verbatim.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kql_types::time::parse_timespan;
use serde::Deserialize;
use torhunt_sources::{Repeat, Walk};

use crate::document::{DocumentError, MarkdownDocument, parse_queries};
use crate::rule::{EntityColumns, Rule, Severity, TestCase, Trigger, Variant, slug};

/// Extensions of rule files taken when walking a directory.
const RULE_EXTENSIONS: &[&str] = &["yaml", "yml", "md", "markdown", "kql"];

#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error(transparent)]
    Document(#[from] DocumentError),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: not a valid rule YAML document: {source}")]
    Yaml {
        path: PathBuf,
        source: serde_yaml::Error,
    },
    #[error("{path}: {reason}")]
    Invalid { path: PathBuf, reason: String },
    #[error("rule id `{id}` is defined twice: in {first} and in {second}")]
    DuplicateId {
        id: String,
        first: PathBuf,
        second: PathBuf,
    },
    #[error("{path}: extends {target}, which is not among the loaded rule files")]
    OrphanCompanion { path: PathBuf, target: PathBuf },
}

/// Every YAML key torhunt reads: Sentinel's, then torhunt's own. Other Sentinel keys are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct RuleYaml {
    id: Option<String>,
    name: Option<String>,
    description: Option<String>,
    severity: Option<String>,
    required_data_connectors: Vec<DataConnector>,
    query_frequency: Option<String>,
    query_period: Option<String>,
    trigger_operator: Option<String>,
    trigger_threshold: Option<u64>,
    suppression_duration: Option<String>,
    suppression_enabled: Option<bool>,
    event_grouping_settings: Option<EventGroupingSettings>,
    tactics: Vec<String>,
    relevant_techniques: Vec<String>,
    query: Option<String>,
    entity_mappings: Vec<EntityMapping>,
    version: Option<serde_yaml::Value>,
    kind: Option<String>,
    tags: Vec<serde_yaml::Value>,
    /// torhunt: this file adds metadata to the rule document at this path (relative to this file).
    extends: Option<PathBuf>,
    false_positives: Vec<String>,
    recommended_actions: Vec<String>,
    resources: Vec<String>,
    alert_title: Option<String>,
    alert_key: Vec<String>,
    entities: Option<EntityColumns>,
    tests: Vec<TestCase>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct EventGroupingSettings {
    aggregation_kind: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct DataConnector {
    data_types: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct EntityMapping {
    entity_type: String,
    field_mappings: Vec<FieldMapping>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct FieldMapping {
    identifier: String,
    column_name: String,
}

/// The largest rule file read (a Sentinel rule is a few kilobytes; an ARM template of many rules a
/// few hundred): a bigger file, or a device such as `/dev/zero`, is refused instead of filling memory.
pub const MAX_RULE_FILE_BYTES: u64 = 4 << 20;

/// What loading found: the rules, and the documents that could not be loaded, each with its reason.
/// One broken document does not stop the others (as Sentinel imports rule files one by one).
#[derive(Debug, Default)]
pub struct LoadedRules {
    /// Sorted by id.
    pub rules: Vec<Rule>,
    /// Documents refused (unreadable, not a rule, a second rule with an id already taken, ...), in the
    /// order met.
    pub errors: Vec<RuleError>,
    /// Folders and files reached again through links: read once.
    pub repeats: Vec<Repeat>,
}

impl LoadedRules {
    /// The rules, or the first document that could not be loaded: for rule sets that must load whole
    /// (the shipped rules, tests).
    pub fn all(self) -> Result<Vec<Rule>, RuleError> {
        match self.errors.into_iter().next() {
            Some(error) => Err(error),
            None => Ok(self.rules),
        }
    }
}

/// Loads every rule under `paths` (files, or directories walked recursively for rule files, each
/// folder and file once however many links lead to it), with companions applied. A path that cannot
/// be walked is an error; a document that cannot be loaded is reported in [`LoadedRules::errors`].
pub fn load_rules(paths: &[PathBuf]) -> Result<LoadedRules, RuleError> {
    let mut walk = Walk::new();
    let mut files = Vec::new();
    for path in paths {
        let io_error = |source| RuleError::Io {
            path: path.clone(),
            source,
        };
        if std::fs::metadata(path).map_err(io_error)?.is_dir() {
            let mut is_rule_file =
                |file: &Path| extension(file).is_some_and(|e| RULE_EXTENSIONS.contains(&e.as_str()));
            walk.folder(path, &mut is_rule_file, &mut files, &mut Vec::new())
                .map_err(io_error)?;
        } else if walk.first_time(path).map_err(io_error)? {
            files.push(path.clone());
        }
    }
    let mut documents = Vec::with_capacity(files.len());
    let mut errors = Vec::new();
    for path in files {
        match read_rule_file(&path) {
            Ok(text) => documents.push((path, text)),
            Err(error) => errors.push(error),
        }
    }
    let mut loaded = load_rule_texts(&documents);
    errors.append(&mut loaded.errors);
    loaded.errors = errors;
    loaded.repeats = walk.into_repeats();
    Ok(loaded)
}

/// A rule file's text, refused past [`MAX_RULE_FILE_BYTES`].
fn read_rule_file(path: &Path) -> Result<String, RuleError> {
    use std::io::Read;
    let io_error = |source| RuleError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_RULE_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(io_error)?;
    if bytes.len() as u64 > MAX_RULE_FILE_BYTES {
        return invalid(
            path,
            format!(
                "larger than {} MiB, the limit for a rule file",
                MAX_RULE_FILE_BYTES >> 20
            ),
        );
    }
    String::from_utf8(bytes).map_err(|_| RuleError::Invalid {
        path: path.to_path_buf(),
        reason: "not UTF-8 text".to_string(),
    })
}

/// Loads rules from documents already read (`path` names each and picks its format). Of two rules
/// with one id, the one from the first file (by path) is kept and the other reported.
pub fn load_rule_texts(documents: &[(PathBuf, String)]) -> LoadedRules {
    let mut rules: Vec<Rule> = Vec::new();
    let mut companions = Vec::new();
    let mut errors = Vec::new();
    for (path, text) in documents {
        match parse_document(path, text) {
            Ok(Parsed::Rule(rule)) => rules.push(*rule),
            Ok(Parsed::Companion(target, yaml)) => companions.push((path.clone(), target, yaml)),
            Err(error) => errors.push(error),
        }
    }
    let mut broken = Vec::new();
    for (path, target, yaml) in companions {
        let Some(index) = rules.iter().position(|rule| same_file(&rule.files[0], &target)) else {
            errors.push(RuleError::OrphanCompanion { path, target });
            continue;
        };
        // A rule whose companion is broken does not run half-described: both are reported.
        if let Err(error) = apply_companion(&mut rules[index], &path, *yaml) {
            errors.push(error);
            broken.push(index);
        }
    }
    let mut rules: Vec<Rule> = rules
        .into_iter()
        .enumerate()
        .filter(|(index, _)| !broken.contains(index))
        .map(|(_, rule)| rule)
        .collect();
    rules.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.files[0].cmp(&b.files[0])));
    let mut kept: Vec<Rule> = Vec::with_capacity(rules.len());
    for rule in rules {
        match kept.last() {
            Some(first) if first.id == rule.id => errors.push(RuleError::DuplicateId {
                id: rule.id.clone(),
                first: first.files[0].clone(),
                second: rule.files[0].clone(),
            }),
            _ => kept.push(rule),
        }
    }
    LoadedRules {
        rules: kept,
        errors,
        repeats: Vec::new(),
    }
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// Two paths name the same file: equal after canonicalisation, or equal as written (for rules loaded
/// from text that exist on no disk).
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

enum Parsed {
    Rule(Box<Rule>),
    /// A companion: the document it extends (resolved against the companion's folder) and its content.
    Companion(PathBuf, Box<RuleYaml>),
}

fn parse_document(path: &Path, text: &str) -> Result<Parsed, RuleError> {
    match extension(path).as_deref() {
        Some("yaml" | "yml") => {
            let yaml: RuleYaml = serde_yaml::from_str(text).map_err(|source| RuleError::Yaml {
                path: path.to_path_buf(),
                source,
            })?;
            if let Some(target) = &yaml.extends {
                if yaml.query.is_some() {
                    return invalid(path, "a companion file (`extends`) must not have its own `query`");
                }
                let target = path.parent().unwrap_or(Path::new("")).join(target);
                return Ok(Parsed::Companion(target, Box::new(yaml)));
            }
            yaml_rule(path, text, yaml).map(|rule| Parsed::Rule(Box::new(rule)))
        }
        Some("md" | "markdown") => markdown_rule(path, text).map(|rule| Parsed::Rule(Box::new(rule))),
        _ => {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok(Parsed::Rule(Box::new(base_rule(
                path,
                stem,
                variants(path, text)?,
            ))))
        }
    }
}

fn invalid<T>(path: &Path, reason: impl Into<String>) -> Result<T, RuleError> {
    Err(RuleError::Invalid {
        path: path.to_path_buf(),
        reason: reason.into(),
    })
}

/// A rule with only a name and queries; formats fill in the rest.
fn base_rule(path: &Path, name: String, variants: Vec<Variant>) -> Rule {
    Rule {
        id: slug(&name),
        name,
        description: String::new(),
        severity: Severity::Medium,
        kind: None,
        version: None,
        tactics: Vec::new(),
        techniques: Vec::new(),
        tags: Vec::new(),
        declared_tables: Vec::new(),
        query_frequency: None,
        query_period: None,
        trigger: None,
        suppression: None,
        event_grouping: None,
        alert_key: Vec::new(),
        variants,
        false_positives: Vec::new(),
        recommended_actions: Vec::new(),
        resources: Vec::new(),
        alert_title: None,
        entities: EntityColumns::default(),
        tests: Vec::new(),
        files: vec![path.to_path_buf()],
    }
}

fn variants(path: &Path, text: &str) -> Result<Vec<Variant>, RuleError> {
    Ok(parse_queries(path, text)?
        .into_iter()
        .map(|query| Variant {
            name: query.source.variant.clone(),
            time_column: time_column(&query.text),
            query: query.text,
            source: query.source,
        })
        .collect())
}

/// `TimeGenerated` when the query names it (a Sentinel query), else `Timestamp`.
fn time_column(query: &str) -> String {
    let sentinel = kql_syntax::lexer::tokenize(query)
        .map(|tokens| {
            tokens
                .iter()
                .any(|t| &query[t.span.start..t.span.end] == "TimeGenerated")
        })
        .unwrap_or(false);
    if sentinel { "TimeGenerated" } else { "Timestamp" }.to_string()
}

fn markdown_rule(path: &Path, text: &str) -> Result<Rule, RuleError> {
    let document = MarkdownDocument::parse(text);
    let name = document.title.clone().unwrap_or_else(|| {
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    let mut rule = base_rule(path, name, variants(path, text)?);
    let section_text = |heading: &str| document.section(heading).map(|s| s.text()).unwrap_or_default();
    let section_items = |heading: &str| {
        document
            .section(heading)
            .map(|s| s.list_items())
            .unwrap_or_default()
    };
    rule.description = section_text("Description");
    rule.recommended_actions = section_items("Recommended Actions");
    rule.resources = section_items("Resources");
    rule.false_positives = section_items("False Positives");
    Ok(rule)
}

fn yaml_rule(path: &Path, text: &str, yaml: RuleYaml) -> Result<Rule, RuleError> {
    let Some(name) = yaml.name.clone() else {
        return invalid(path, "the rule has no `name`");
    };
    let mut rule = base_rule(path, name, variants(path, text)?);
    rule.id = yaml.id.clone().unwrap_or_else(|| slug(&rule.name));
    rule.declared_tables = yaml
        .required_data_connectors
        .iter()
        .flat_map(|c| c.data_types.clone())
        .collect();
    rule.kind = yaml.kind.clone();
    rule.version = yaml.version.as_ref().map(yaml_scalar_text);
    apply_metadata(&mut rule, path, yaml)?;
    Ok(rule)
}

/// A companion's metadata over its document's: what the companion sets wins.
fn apply_companion(rule: &mut Rule, path: &Path, yaml: RuleYaml) -> Result<(), RuleError> {
    if let Some(id) = &yaml.id {
        rule.id = id.clone();
    }
    if let Some(name) = &yaml.name {
        rule.name = name.clone();
    }
    rule.files.push(path.to_path_buf());
    apply_metadata(rule, path, yaml)
}

/// The fields rules and companions share.
fn apply_metadata(rule: &mut Rule, path: &Path, yaml: RuleYaml) -> Result<(), RuleError> {
    if let Some(description) = yaml.description {
        rule.description = description.trim().to_string();
    }
    if let Some(severity) = &yaml.severity {
        rule.severity = severity.parse().or_else(|reason| invalid(path, reason))?;
    }
    let timespan = |field: &str, text: &Option<String>| -> Result<Option<i64>, RuleError> {
        text.as_deref()
            .map(|t| {
                parse_timespan(t)
                    .ok_or(())
                    .or_else(|()| invalid(path, format!("`{field}: {t}` is not a timespan")))
            })
            .transpose()
    };
    if yaml.query_frequency.is_some() {
        rule.query_frequency = timespan("queryFrequency", &yaml.query_frequency)?;
    }
    if yaml.query_period.is_some() {
        rule.query_period = timespan("queryPeriod", &yaml.query_period)?;
    }
    match (&yaml.trigger_operator, yaml.trigger_threshold) {
        (Some(operator), threshold) => {
            let operator = operator.parse().or_else(|reason| invalid(path, reason))?;
            rule.trigger = Some(Trigger {
                operator,
                threshold: threshold.unwrap_or(0),
            });
        }
        (None, Some(_)) => return invalid(path, "`triggerThreshold` without `triggerOperator`"),
        (None, None) => {}
    }
    match (yaml.suppression_enabled, &yaml.suppression_duration) {
        (Some(true), None) => {
            return invalid(path, "`suppressionEnabled: true` without `suppressionDuration`");
        }
        (Some(true), duration) => rule.suppression = timespan("suppressionDuration", duration)?,
        (Some(false), _) => rule.suppression = None,
        // Sentinel suppresses only when enabled; a duration alone is kept off.
        (None, _) => {}
    }
    if let Some(kind) = yaml.event_grouping_settings.and_then(|s| s.aggregation_kind) {
        rule.event_grouping = Some(kind.parse().or_else(|reason| invalid(path, reason))?);
    }
    replace_if_given(&mut rule.alert_key, yaml.alert_key);
    replace_if_given(&mut rule.tactics, yaml.tactics);
    replace_if_given(&mut rule.techniques, yaml.relevant_techniques);
    replace_if_given(&mut rule.tags, yaml.tags.iter().map(yaml_scalar_text).collect());
    replace_if_given(&mut rule.false_positives, yaml.false_positives);
    replace_if_given(&mut rule.recommended_actions, yaml.recommended_actions);
    replace_if_given(&mut rule.resources, yaml.resources);
    replace_if_given(&mut rule.tests, yaml.tests);
    if yaml.alert_title.is_some() {
        rule.alert_title = yaml.alert_title;
    }
    rule.entities.overlay(&sentinel_entities(&yaml.entity_mappings));
    if let Some(entities) = &yaml.entities {
        rule.entities.overlay(entities);
    }
    for test in &rule.tests {
        if kql_types::time::parse_datetime(&test.now).is_none() {
            return invalid(
                path,
                format!("test `{}`: `now: {}` is not a date and time", test.name, test.now),
            );
        }
        if let Some(snapshot) = test
            .relays
            .iter()
            .find(|s| kql_types::time::parse_datetime(&s.at).is_none())
        {
            return invalid(
                path,
                format!(
                    "test `{}`: relays `at: {}` is not a date and time",
                    test.name, snapshot.at
                ),
            );
        }
    }
    Ok(())
}

fn replace_if_given<T>(target: &mut Vec<T>, given: Vec<T>) {
    if !given.is_empty() {
        *target = given;
    }
}

fn yaml_scalar_text(value: &serde_yaml::Value) -> String {
    match value {
        serde_yaml::Value::String(text) => text.clone(),
        other => serde_yaml::to_string(other)
            .map(|t| t.trim().to_string())
            .unwrap_or_default(),
    }
}

/// Sentinel `entityMappings` as torhunt entity columns (Host, IP, URL, Process, File, Account).
fn sentinel_entities(mappings: &[EntityMapping]) -> EntityColumns {
    let mut columns = EntityColumns::default();
    let by_identifier: BTreeMap<(String, String), String> = mappings
        .iter()
        .flat_map(|m| {
            m.field_mappings.iter().map(|f| {
                (
                    (
                        m.entity_type.to_ascii_lowercase(),
                        f.identifier.to_ascii_lowercase(),
                    ),
                    f.column_name.clone(),
                )
            })
        })
        .collect();
    let get = |entity: &str, identifier: &str| {
        by_identifier
            .get(&(entity.to_string(), identifier.to_string()))
            .cloned()
    };
    columns.device_name = get("host", "hostname").or_else(|| get("host", "fullname"));
    columns.device_id = get("host", "mdatpdeviceid").or_else(|| get("host", "azureid"));
    columns.remote_ip = get("ip", "address");
    columns.remote_url = get("url", "url");
    columns.command_line = get("process", "commandline");
    columns.process_name = get("file", "name");
    columns.process_path = get("file", "directory");
    columns.account = get("account", "name").or_else(|| get("account", "fullname"));
    columns
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::EventGrouping;

    fn load(documents: &[(&str, &str)]) -> Result<Vec<Rule>, RuleError> {
        let documents: Vec<(PathBuf, String)> = documents
            .iter()
            .map(|(p, t)| (PathBuf::from(p), t.to_string()))
            .collect();
        load_rule_texts(&documents).all()
    }

    const SENTINEL: &str = "id: 0a1b\nname: Some rule\ndescription: |\n  Finds things.\nseverity: High\n\
        requiredDataConnectors:\n- connectorId: MicrosoftThreatProtection\n  dataTypes:\n  - DeviceNetworkEvents\n\
        queryFrequency: 1h\nqueryPeriod: 1d\ntriggerOperator: gt\ntriggerThreshold: 0\ntactics:\n- CommandAndControl\n\
        relevantTechniques:\n- T1090\nquery: |\n  DeviceNetworkEvents\n  | take 1\nentityMappings:\n- entityType: Host\n\
        \x20 fieldMappings:\n  - identifier: HostName\n    columnName: DeviceName\n- entityType: IP\n  fieldMappings:\n\
        \x20 - identifier: Address\n    columnName: RemoteIP\nversion: 1.0.0\nkind: Scheduled\ntags:\n- Tor\n";

    #[test]
    fn sentinel_analytic_rules_keep_every_documented_field() {
        let rules = load(&[("rules/a.yaml", SENTINEL)]).unwrap();
        let rule = &rules[0];
        assert_eq!(
            (rule.id.as_str(), rule.name.as_str(), rule.severity),
            ("0a1b", "Some rule", Severity::High)
        );
        assert_eq!(rule.description, "Finds things.");
        assert_eq!(rule.declared_tables, ["DeviceNetworkEvents"]);
        assert_eq!(rule.query_period, Some(kql_types::time::NANOS_PER_DAY));
        assert_eq!(rule.query_frequency, Some(kql_types::time::NANOS_PER_HOUR));
        assert!(rule.trigger.is_some_and(|t| t.fires(1) && !t.fires(0)));
        assert_eq!(
            (rule.tactics.clone(), rule.techniques.clone()),
            (vec!["CommandAndControl".into()], vec!["T1090".into()])
        );
        assert_eq!(rule.entities.device_name.as_deref(), Some("DeviceName"));
        assert_eq!(rule.entities.remote_ip.as_deref(), Some("RemoteIP"));
        assert_eq!(
            (rule.version.as_deref(), rule.kind.as_deref()),
            (Some("1.0.0"), Some("Scheduled"))
        );
        assert_eq!(rule.tags, ["Tor"]);
        assert_eq!(rule.variants[0].query, "DeviceNetworkEvents\n| take 1\n");
        assert_eq!(rule.variants[0].source.line, 19);
    }

    #[test]
    fn sentinel_suppression_and_event_grouping_are_read() {
        // The field spellings of Azure-Sentinel's Solutions/*/Analytic Rules/*.yaml.
        let with = format!(
            "{SENTINEL}suppressionDuration: 5h\nsuppressionEnabled: true\n\
             eventGroupingSettings:\n  aggregationKind: AlertPerResult\nalertKey: [DeviceId, RemoteIP]\n"
        );
        let rule = &load(&[("rules/a.yaml", with.as_str())]).unwrap()[0];
        assert_eq!(rule.suppression, Some(5 * kql_types::time::NANOS_PER_HOUR));
        assert_eq!(rule.event_grouping, Some(EventGrouping::AlertPerResult));
        assert_eq!(rule.alert_key, ["DeviceId", "RemoteIP"]);

        let disabled = format!("{SENTINEL}suppressionDuration: 5h\nsuppressionEnabled: false\n");
        assert_eq!(
            load(&[("rules/a.yaml", disabled.as_str())]).unwrap()[0].suppression,
            None
        );
        let plain = &load(&[("rules/a.yaml", SENTINEL)]).unwrap()[0];
        assert_eq!((plain.suppression, plain.event_grouping), (None, None));

        let no_duration = format!("{SENTINEL}suppressionEnabled: true\n");
        let error = load(&[("rules/a.yaml", no_duration.as_str())]).unwrap_err();
        assert!(
            error.to_string().contains("without `suppressionDuration`"),
            "{error}"
        );
        let bad_kind = format!("{SENTINEL}eventGroupingSettings:\n  aggregationKind: PerDevice\n");
        let error = load(&[("rules/a.yaml", bad_kind.as_str())]).unwrap_err();
        assert!(error.to_string().contains("not an aggregationKind"), "{error}");
    }

    #[test]
    fn companions_add_metadata_without_touching_the_document() {
        let companion = "extends: a.yaml\nseverity: Low\nrelevantTechniques: [T1090.003]\nfalsePositives: [Proxies.]\n\
            tests:\n- name: one\n  now: 2024-05-02T00:00:00Z\n  expect: []\n";
        let rules = load(&[("rules/a.yaml", SENTINEL), ("rules/a.torhunt.yaml", companion)]).unwrap();
        assert_eq!(rules[0].severity, Severity::Low);
        assert_eq!(rules[0].techniques, ["T1090.003"]);
        assert_eq!(
            rules[0].tactics,
            ["CommandAndControl"],
            "unset fields keep the document's value"
        );
        assert_eq!(rules[0].false_positives, ["Proxies."]);
        assert_eq!(rules[0].tests.len(), 1);
        assert_eq!(rules[0].files.len(), 2);
    }

    #[test]
    fn markdown_documents_give_one_variant_per_block() {
        let text = "# TOR Thing\n\n### [+] Defender for Endpoint\n```\nDeviceNetworkEvents | where Timestamp > ago(1d)\n```\n\
            ### [+] Sentinel KQL\n```\nDeviceNetworkEvents | where TimeGenerated > ago(1d)\n```\n### [+] Description\nWhy.\n";
        let rules = load(&[("r/thing.md", text)]).unwrap();
        let rule = &rules[0];
        assert_eq!(
            (rule.id.as_str(), rule.name.as_str(), rule.description.as_str()),
            ("tor-thing", "TOR Thing", "Why.")
        );
        let variants: Vec<_> = rule
            .variants
            .iter()
            .map(|v| (v.name.clone().unwrap(), v.time_column.clone()))
            .collect();
        assert_eq!(
            variants,
            [
                ("Defender for Endpoint".to_string(), "Timestamp".to_string()),
                ("Sentinel KQL".into(), "TimeGenerated".into())
            ]
        );
        assert_eq!(rule.variant(Some("sentinel")).time_column, "TimeGenerated");
        assert_eq!(rule.variant(None).time_column, "Timestamp");
    }

    #[test]
    fn bad_documents_are_refused_with_the_file_and_reason() {
        let orphan = load(&[("r/x.torhunt.yaml", "extends: missing.md\n")]).unwrap_err();
        assert!(orphan.to_string().contains("missing.md"), "{orphan}");
        let severity = load(&[("r/a.yaml", "name: A\nquery: T\nseverity: Urgent\n")]).unwrap_err();
        assert!(
            severity
                .to_string()
                .starts_with("r/a.yaml: `Urgent` is not a severity"),
            "{severity}"
        );
        let duplicate = load(&[("r/a.yaml", "name: A\nquery: T\n"), ("r/b.kql", "T")]).map(|r| r.len());
        assert_eq!(duplicate.unwrap(), 2);
        let twice = load(&[("r/a.yaml", "name: B\nquery: T\n"), ("r/b.kql", "T")]).unwrap_err();
        assert!(matches!(twice, RuleError::DuplicateId { .. }), "{twice}");
        let no_name = load(&[("r/a.yaml", "query: T\n")]).unwrap_err();
        assert!(no_name.to_string().contains("no `name`"));
    }

    #[test]
    fn a_bad_document_is_reported_and_the_others_load() {
        let documents: Vec<(PathBuf, String)> = [
            ("r/a.yaml", "name: A\nquery: T\n"),
            ("r/broken.yaml", "name: [unclosed\n"),
            ("r/c.yaml", "id: a\nname: C\nquery: T\n"),
            ("r/d.yaml", "name: D\nquery: T\n"),
            ("r/d.torhunt.yaml", "extends: d.yaml\nseverity: Urgent\n"),
            ("r/e.kql", "T"),
        ]
        .iter()
        .map(|(p, t)| (PathBuf::from(p), t.to_string()))
        .collect();
        let loaded = load_rule_texts(&documents);
        let ids: Vec<&str> = loaded.rules.iter().map(|r| r.id.as_str()).collect();
        // `c` repeats `a`'s id: the first file wins; `d`'s companion is broken, so `d` does not run.
        assert_eq!(ids, ["a", "e"]);
        assert_eq!(loaded.rules[0].name, "A");
        let errors: Vec<String> = loaded.errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors[0].starts_with("r/broken.yaml: not a valid rule YAML document"),
            "{errors:?}"
        );
        assert!(
            errors[1].starts_with("r/d.torhunt.yaml: `Urgent` is not a severity"),
            "{errors:?}"
        );
        assert!(
            matches!(&loaded.errors[2], RuleError::DuplicateId { second, .. } if second == Path::new("r/c.yaml")),
            "{errors:?}"
        );
    }
}
