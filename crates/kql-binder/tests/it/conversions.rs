//! Implicit conversions in comparisons and arithmetic, checked against Kusto.Language (Microsoft's
//! analyser, `../shared/tools/kusto-oracle`): every pair of scalar types under every binary operator,
//! plus literal forms. Where Kusto.Language accepts, torhunt gives the same result type or refuses by
//! name (`not supported yet`); where it rejects, torhunt reports a type error.

use kql_syntax::DiagnosticKind;
use kusto_oracle::{Case, Mode, Oracle, Verdict};

use crate::support::{catalog, try_bind_with};

/// One column of each scalar type.
const ROW: &str = "datatable (b: bool, i: int, l: long, r: real, m: decimal, s: string, d: datetime, \
                   t: timespan, g: guid, y: dynamic)[]";
const COLUMNS: [&str; 10] = ["b", "i", "l", "r", "m", "s", "d", "t", "g", "y"];
const OPERATORS: [&str; 11] = ["==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%"];

/// Operands written as literals, where conversions of constants apply.
const LITERAL_FORMS: &[&str] = &[
    "d == '2024-05-01'",
    "'2024-05-01T10:00:00Z' != d",
    "d > '2024-05-01'",
    "t == '1.02:00:00'",
    "t < '1d'",
    "b == 1",
    "0 < b",
    "b == 1.0",
    "b == 'true'",
    "i == 1.5",
    "y == 'a'",
    "y.a > 5",
    "y.a + 1",
    "y.a * 1.5",
    "d - y.a",
    "d + y.a",
    "y.a - t",
    "y.a / t",
    "s == 1",
    "s > 1",
    "g == 'abc'",
    "l == long(null)",
    "s == long(null)",
    "-b",
];

fn cases() -> Vec<Case> {
    let mut expressions: Vec<String> = Vec::new();
    for op in OPERATORS {
        for left in COLUMNS {
            for right in COLUMNS {
                expressions.push(format!("{left} {op} {right}"));
            }
        }
    }
    expressions.extend(LITERAL_FORMS.iter().map(|e| e.to_string()));
    expressions
        .into_iter()
        .map(|expression| Case {
            kql: format!("{ROW} | project x = {expression}"),
            id: expression,
        })
        .collect()
}

/// How torhunt's binding of a case differs from Kusto.Language's verdict, if it does.
fn disagreement(case: &Case, verdict: &Verdict) -> Option<String> {
    let ours = try_bind_with(&catalog(), &case.kql);
    let kusto = verdict
        .ok
        .then(|| {
            verdict
                .columns
                .as_ref()
                .and_then(|c| c.first())
                .map(|c| c.ty.clone())
        })
        .flatten();
    match (&ours, kusto) {
        (Ok(bound), Some(ty)) if bound.columns()[0].ty.name() == ty => None,
        (Err(d), Some(_)) if d[0].kind == DiagnosticKind::NotSupported => None,
        (Err(d), None) if d[0].kind == DiagnosticKind::Type => None,
        (Ok(bound), kusto) => Some(format!(
            "{}: torhunt types it {}, Kusto.Language {}",
            case.id,
            bound.columns()[0].ty,
            kusto.unwrap_or_else(|| "rejects it".into())
        )),
        (Err(d), kusto) => Some(format!(
            "{}: torhunt: {} ({:?}); Kusto.Language: {}",
            case.id,
            d[0].message,
            d[0].kind,
            kusto.unwrap_or_else(|| "rejects it".into())
        )),
    }
}

#[test]
fn operand_conversions_agree_with_kusto_language() {
    let Some(oracle) = Oracle::for_test() else {
        return;
    };
    let cases = cases();
    let verdicts = oracle.check(Mode::Analyze(None), &cases);
    let differences: Vec<String> = cases
        .iter()
        .filter_map(|case| disagreement(case, &verdicts[&case.id]))
        .collect();
    let refused = cases
        .iter()
        .filter(|case| {
            try_bind_with(&catalog(), &case.kql).is_err_and(|d| d[0].kind == DiagnosticKind::NotSupported)
        })
        .count();
    eprintln!(
        "{} operand forms; Kusto.Language accepts {}, torhunt refuses {refused} of those by name",
        cases.len(),
        verdicts.values().filter(|v| v.ok).count()
    );
    assert!(
        differences.is_empty(),
        "{} disagreements:\n{}",
        differences.len(),
        differences.join("\n")
    );
}
