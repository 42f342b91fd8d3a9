//! Differential test against Kusto.Language (Microsoft's analyser, via ../shared/tools/kusto-oracle):
//! the seed rules, a set of naming/typing queries, and the hunting-query corpus entries that stay
//! within DeviceNetworkEvents, DeviceInfo and DeviceProcessEvents must bind to the same column names
//! and types the oracle infers.

use std::collections::BTreeMap;
use std::path::Path;

use kql_binder::catalog::Column;
use kql_syntax::DiagnosticKind;
use kql_types::KustoType;
use kusto_oracle::{Case, Mode, Oracle};
use serde_json::Value;

use crate::support::TestCatalog;

/// The oracle's table schemas (mde-schema.json) as a catalog.
fn oracle_catalog(shared: &Path) -> TestCatalog {
    let text =
        std::fs::read_to_string(shared.join("tools/kusto-oracle/mde-schema.json")).expect("mde-schema.json");
    let json: Value = serde_json::from_str(&text).expect("mde-schema.json is JSON");
    let mut tables = BTreeMap::new();
    for (table, columns) in json["tables"].as_object().expect("tables") {
        let columns = columns
            .as_object()
            .expect("columns")
            .iter()
            .map(|(name, ty)| {
                Column::new(
                    name,
                    KustoType::from_name(ty.as_str().unwrap_or("")).expect("type"),
                )
            })
            .collect();
        tables.insert(table.clone(), columns);
    }
    TestCatalog { tables }
}

/// The KQL of the two seed rules, cut out of their documents.
fn seed_queries(shared: &Path) -> Vec<(String, String)> {
    let mut queries = Vec::new();
    let markdown =
        std::fs::read_to_string(shared.join("seed-rules/tor-connection-established.md")).expect("seed md");
    for (index, block) in markdown.split("```").skip(1).step_by(2).enumerate() {
        let kql: String = block
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        queries.push((
            format!("seed:tor-connection-established#{index}"),
            kql.trim().to_string(),
        ));
    }
    let page = std::fs::read_to_string(shared.join("seed-rules/detect-tor-relay-connectivity.txt"))
        .expect("seed txt");
    let start = page.find("KQL Query").expect("KQL Query heading") + "KQL Query".len();
    let end = page
        .find("Analytic Rule Definition")
        .expect("rule definition heading");
    queries.push((
        "seed:detect-tor-relay-connectivity".to_string(),
        page[start..end].trim().to_string(),
    ));
    queries
}

/// Queries exercising naming and typing rules.
const RULE_QUERIES: &[&str] = &[
    "DeviceNetworkEvents | project strlen(RemoteUrl), tolower(RemoteUrl), RemotePort + 1, AdditionalFields.foo, 5, 'x'",
    "DeviceNetworkEvents | summarize count(), dcount(RemoteIP), make_set(RemoteIP), make_list(RemoteIP) by bin(Timestamp, 1h)",
    "DeviceNetworkEvents | summarize countif(RemotePort > 5), sumif(RemotePort, true), avgif(RemotePort, true), dcountif(RemoteIP, true) by DeviceId",
    "DeviceNetworkEvents | summarize min(Timestamp), max(Timestamp), take_any(RemoteUrl), stdev(RemotePort), variance(RemotePort) by DeviceName",
    "DeviceNetworkEvents | summarize arg_max(Timestamp, *) by DeviceId",
    "DeviceNetworkEvents | summarize arg_min(Timestamp, RemoteIP, RemoteUrl) by DeviceId",
    "DeviceNetworkEvents | summarize Connections = count(), arg_max(Timestamp, *) by DeviceId",
    "DeviceNetworkEvents | summarize Latest = arg_max(Timestamp, *), arg_min(RemotePort, *), count() by bin(Timestamp, 1h)",
    "DeviceNetworkEvents | summarize c = count(), arg_max(RemotePort + 1, *) by Device = DeviceName",
    "datatable(x:long, y:string, z:real)[] | summarize c=count(), arg_max(strlen(y), x), arg_min(z*2, y), arg_max(x, y), arg_max(todouble(x), z)",
    "DeviceNetworkEvents | join DeviceInfo on DeviceId",
    "DeviceNetworkEvents | join kind=leftouter DeviceInfo on DeviceId",
    "DeviceNetworkEvents | join kind=leftanti DeviceInfo on DeviceId",
    "DeviceNetworkEvents | join kind=rightsemi DeviceInfo on DeviceId",
    "DeviceNetworkEvents | join kind=fullouter (DeviceInfo | project DeviceId, PublicIP) on DeviceId",
    "DeviceNetworkEvents | lookup DeviceInfo on DeviceId",
    "DeviceNetworkEvents | project A = DeviceId | join (DeviceInfo | project B = DeviceId) on $left.A == $right.B",
    "union (print X=1, Y='a'), (print X='s', Z=2)",
    "DeviceNetworkEvents | project A = 1 | union (DeviceInfo | project A = 2, B = 3)",
    "print 1, 'a', x = 2, strlen('a')",
    "DeviceNetworkEvents | extend RemotePort = tostring(RemotePort), NewCol = 1 | project-away Remote*",
    "DeviceNetworkEvents | project DeviceId, RemoteIP | project-reorder RemoteIP | project-rename Dev = DeviceId",
    "DeviceNetworkEvents | distinct DeviceId, RemoteIP",
    "DeviceNetworkEvents | count",
    "DeviceNetworkEvents | top 5 by RemotePort | project-keep Remote*",
    "DeviceNetworkEvents | project AdditionalFields | mv-expand AdditionalFields | mv-expand x = pack_array(1, 2) to typeof(long)",
    "DeviceNetworkEvents | parse RemoteUrl with * 'a' Host:string '/' Port:long * | project Host, Port",
    "DeviceNetworkEvents | project x = Timestamp - Timestamp, y = Timestamp + 1h, z = RemotePort / 2.0, w = RemotePort * 2, v = 1h / 1m",
    "range x from 1 to 3 step 1 | extend y = x * 2",
    "datatable(a:int, b:string)[1, 'x'] | summarize count() by a",
    "DeviceNetworkEvents | summarize by DeviceId, bin(RemotePort, 10), floor(Timestamp, 1d)",
    "DeviceNetworkEvents | summarize x = count() by DeviceId | extend DeviceId, max_x = x",
    "print tostring(1), todouble('1'), toint('1'), tolong('1'), ago(1d), datetime(2020-01-01), 1d, dynamic([1])",
    "DeviceNetworkEvents | where RemoteUrl has_any ('tor', 'onion') and RemoteIP in ('1.1.1.1') | project iff(RemotePort == 443, 'tls', 'other'), case(RemotePort == 80, 1, 2)",
    "DeviceNetworkEvents | where Timestamp between (ago(1d) .. now()) | summarize Devices = dcount(DeviceId) by RemoteUrl | sort by Devices",
    "DeviceNetworkEvents | extend Port = tostring(AdditionalFields.port), Host = tolower(RemoteUrl) | where isnotempty(Host)",
    "DeviceInfo | getschema",
    "let T = DeviceInfo | where isnotempty(PublicIP); T | join kind=inner (DeviceNetworkEvents | where RemotePort == 9001) on DeviceId | project Timestamp, DeviceId, PublicIP, RemoteIP",
];

/// Runs the oracle once over all queries (against its own `mde-schema.json`); per id, whether it
/// accepts the query and the result columns (`name:type`) it infers.
fn run_oracle(oracle: &Oracle, queries: &[(String, String)]) -> BTreeMap<String, (bool, Vec<String>)> {
    let cases: Vec<Case> = queries
        .iter()
        .map(|(id, kql)| Case {
            id: id.clone(),
            kql: kql.clone(),
        })
        .collect();
    oracle
        .check(Mode::Analyze(None), &cases)
        .into_iter()
        .map(|(id, verdict)| {
            let columns = verdict
                .columns
                .iter()
                .flatten()
                .map(|c| format!("{}:{}", c.name, c.ty))
                .collect();
            (id, (verdict.ok, columns))
        })
        .collect()
}

/// The corpus entries that name no table beyond the three the oracle schema has.
fn corpus_queries(shared: &Path, catalog: &TestCatalog) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(shared.join("corpus/m365-hunting-queries.jsonl")).expect("corpus");
    let table_like = |word: &str| {
        [
            "Events",
            "Info",
            "Evidence",
            "Inventory",
            "Logs",
            "Assessments",
            "Kb",
        ]
        .iter()
        .any(|s| word.ends_with(s))
            && word.chars().next().is_some_and(|c| c.is_ascii_uppercase())
    };
    text.lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter_map(|entry| {
            Some((
                format!("corpus:{}", entry["id"].as_str()?),
                entry["kql"].as_str()?.to_string(),
            ))
        })
        .filter(|(_, kql)| {
            kql.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .filter(|word| table_like(word))
                .all(|word| catalog.tables.contains_key(word))
        })
        .collect()
}

#[test]
fn binder_agrees_with_kusto_language() {
    let Some(kusto) = Oracle::for_test() else {
        return;
    };
    let shared = kusto.shared();
    let catalog = oracle_catalog(shared);
    let seeds = seed_queries(shared);
    let rules: Vec<(String, String)> = RULE_QUERIES
        .iter()
        .enumerate()
        .map(|(i, q)| (format!("rule#{i}"), q.to_string()))
        .collect();
    let corpus = corpus_queries(shared, &catalog);
    let all: Vec<(String, String)> = seeds.iter().chain(&rules).chain(&corpus).cloned().collect();
    let oracle = run_oracle(&kusto, &all);

    let (mut agree, mut disagree, mut refused, mut unparsed, mut oracle_rejects) = (0, Vec::new(), 0, 0, 0);
    for (id, kql) in &all {
        let Some((ok, expected)) = oracle.get(id) else {
            panic!("the oracle gave no answer for {id}")
        };
        if !ok {
            oracle_rejects += 1;
            continue;
        }
        let ours = match kql_syntax::parse(kql) {
            Err(_) => {
                unparsed += 1;
                continue;
            }
            Ok(query) => kql_binder::bind(&query, &catalog, &kql_binder::BindOptions { now: 0 }),
        };
        match ours {
            Ok(bound) => {
                let got: Vec<String> = bound
                    .columns()
                    .iter()
                    .map(|c| format!("{}:{}", c.name, c.ty))
                    .collect();
                if &got == expected {
                    agree += 1;
                } else {
                    disagree.push(format!("{id}\n  oracle: {expected:?}\n  ours:   {got:?}"));
                }
            }
            Err(diagnostics)
                if diagnostics[0].kind == DiagnosticKind::NotSupported && id.starts_with("corpus") =>
            {
                refused += 1;
                println!("refused {id}: {}", diagnostics[0].message);
            }
            Err(diagnostics) => disagree.push(format!(
                "{id}\n  oracle: {expected:?}\n  ours:   {}",
                diagnostics[0].message
            )),
        }
    }
    println!(
        "oracle comparison: {} queries ({} seed, {} rule, {} corpus); {agree} agree, {} disagree, {refused} refused as not supported, {unparsed} not parsed yet, {oracle_rejects} rejected by the oracle",
        all.len(),
        seeds.len(),
        rules.len(),
        corpus.len(),
        disagree.len()
    );
    for line in &disagree {
        println!("{line}");
    }
    let curated_failures: Vec<&String> = disagree
        .iter()
        .filter(|d| d.starts_with("seed") || d.starts_with("rule"))
        .collect();
    assert!(
        curated_failures.is_empty(),
        "seed rules and rule queries must agree with the oracle: {curated_failures:#?}"
    );
}
