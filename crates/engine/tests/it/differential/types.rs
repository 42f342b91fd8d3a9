//! Result types of every scalar function, aggregate and operator, for arguments of every Kusto type
//! (as columns of `T` and as literals), compared with Kusto.Language's: the same type, or both reject.
//!
//! Calls are generated from Kusto.Language's own signatures: for each signature and argument count, a
//! base call with an argument the parameter accepts, then every position varied over all ten types
//! in both forms; functions whose result type depends on their arguments also get every pair of
//! types. The oracle analyses a hundred expressions per query (its errors are mapped back by
//! position), torhunt binds each one alone.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use kql_types::KustoType;
use kusto_oracle::{Builtin, BuiltinSignature, Oracle, Parameter, Verdict};

use super::{Answer, KINDS, Known, engine, kind, oracle, oracle_schema, ours};

/// How an argument is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Form {
    Column,
    Literal,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Arg {
    ty: KustoType,
    form: Form,
    /// Text for a constant the parameter needs (a unit name, a part name), else the type's own.
    text: Option<String>,
    /// The parameter takes only constants, so the oracle sees the literal too; elsewhere Kusto
    /// types a literal as a column of its type, and the oracle is asked about the column form.
    constant: bool,
}

impl Arg {
    fn column(ty: KustoType) -> Arg {
        Arg {
            ty,
            form: Form::Column,
            text: None,
            constant: false,
        }
    }

    fn literal(ty: KustoType) -> Arg {
        Arg {
            ty,
            form: Form::Literal,
            text: None,
            constant: false,
        }
    }

    /// The argument as the oracle is asked about it.
    fn oracle_text(&self) -> String {
        match (self.form, self.constant) {
            (Form::Literal, false) => kind(self.ty).column.to_string(),
            _ => self.text(),
        }
    }

    fn text(&self) -> String {
        match (&self.text, self.form) {
            (Some(text), _) => text.clone(),
            (None, Form::Column) => kind(self.ty).column.to_string(),
            (None, Form::Literal) => kind(self.ty).literal.to_string(),
        }
    }

    /// `long` for a column, `long!` for a literal.
    fn key(&self) -> String {
        match self.form {
            Form::Column => self.ty.name().to_string(),
            Form::Literal => format!("{}!", self.ty.name()),
        }
    }
}

/// Where an expression is evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Context {
    /// `T | serialize | project c = EXPR` (serialized, so window functions are allowed).
    Row,
    /// `T | summarize c = EXPR`.
    Aggregate,
}

impl Context {
    fn query(self, assignments: &str) -> String {
        match self {
            Context::Row => format!("T | serialize | project {assignments}"),
            Context::Aggregate => format!("T | summarize {assignments}"),
        }
    }
}

/// One generated expression.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Probe {
    context: Context,
    /// `round(real, long!)`, `long + int!`: what the known-disagreement patterns match.
    key: String,
    expr: String,
    /// The expression the oracle answers for it (literals of non-constant parameters as columns).
    oracle_expr: String,
}

fn call(context: Context, name: &str, args: &[Arg]) -> Probe {
    let list = |f: fn(&Arg) -> String| args.iter().map(f).collect::<Vec<_>>().join(", ");
    Probe {
        context,
        key: format!("{name}({})", list(Arg::key)),
        expr: format!("{name}({})", list(Arg::text)),
        oracle_expr: format!("{name}({})", list(Arg::oracle_text)),
    }
}

/// A type a parameter of this kind accepts, to hold the position while others vary.
fn base_type(parameter: &Parameter) -> Option<KustoType> {
    use KustoType as T;
    Some(match parameter.kind.as_str() {
        "Declared" => return parameter.types.iter().find_map(|t| KustoType::from_name(t)),
        "StringOrDynamic" | "StringOrArray" => T::String,
        "DynamicArray" | "DynamicBag" => T::Dynamic,
        "Tabular" => return None,
        _ => T::Long,
    })
}

fn base_arg(parameter: &Parameter) -> Option<Arg> {
    let ty = base_type(parameter)?;
    let constant = matches!(
        parameter.argument.as_str(),
        "Constant" | "Literal" | "LiteralNotEmpty"
    );
    let mut arg = if constant {
        Arg::literal(ty)
    } else {
        Arg::column(ty)
    };
    arg.constant = constant;
    if let Some(value) = parameter.values.first() {
        arg = Arg::literal(ty);
        arg.constant = true;
        arg.text = Some(if ty == KustoType::String {
            format!("\"{value}\"")
        } else {
            value.clone()
        });
    } else if parameter.kind == "DynamicBag" && constant {
        arg.text = Some("dynamic({\"a\": 1})".to_string());
    }
    Some(arg)
}

/// Return kinds that make a scalar function tabular or a reference to a database entity.
fn is_entity(signature: &BuiltinSignature) -> bool {
    signature.returns.starts_with("Parameter0")
        && signature.returns != "Parameter0"
        && signature.returns != "Parameter0Array"
        && signature.returns != "Parameter0Promoted"
        && signature.returns != "Parameter0Literal"
}

/// Every generated call of one built-in.
fn calls(context: Context, builtin: &Builtin) -> BTreeSet<Probe> {
    let mut probes = BTreeSet::new();
    let polymorphic =
        builtin.signatures.len() > 1 || builtin.signatures.iter().any(|s| s.returns != "Declared");
    for signature in &builtin.signatures {
        if is_entity(signature)
            || signature
                .parameters
                .iter()
                .any(|p| p.kind == "Tabular" || p.argument.starts_with("Star"))
        {
            continue;
        }
        let last = signature.max.min(signature.min + 2).min(6);
        for count in signature.min..=last {
            let Some(base) = (0..count)
                .map(|i| signature.parameter(i, count).and_then(base_arg))
                .collect::<Option<Vec<Arg>>>()
            else {
                continue;
            };
            probes.insert(call(context, &builtin.name, &base));
            for position in 0..count {
                for k in &KINDS {
                    for mut arg in [Arg::column(k.ty), Arg::literal(k.ty)] {
                        arg.constant = base[position].constant;
                        let mut args = base.clone();
                        args[position] = arg;
                        probes.insert(call(context, &builtin.name, &args));
                    }
                }
            }
            if polymorphic && count == 2 {
                for a in &KINDS {
                    for b in &KINDS {
                        probes.insert(call(
                            context,
                            &builtin.name,
                            &[Arg::column(a.ty), Arg::column(b.ty)],
                        ));
                    }
                }
            }
        }
    }
    probes
}

/// Unary and binary operators over every pair of operand types. The string operators share one
/// signature in Kusto (and one code path in torhunt), so literal operands are tried on a few of them.
fn operator_probes() -> BTreeSet<Probe> {
    const ARITHMETIC: &[&str] = &[
        "+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "=~", "!~", "and", "or",
    ];
    const STRING: &[&str] = &[
        "has",
        "!has",
        "has_cs",
        "!has_cs",
        "hasprefix",
        "!hasprefix",
        "hasprefix_cs",
        "!hasprefix_cs",
        "hassuffix",
        "!hassuffix",
        "hassuffix_cs",
        "!hassuffix_cs",
        "contains",
        "!contains",
        "contains_cs",
        "!contains_cs",
        "startswith",
        "!startswith",
        "startswith_cs",
        "!startswith_cs",
        "endswith",
        "!endswith",
        "endswith_cs",
        "!endswith_cs",
        "matches regex",
    ];
    const LISTS: &[&str] = &["in", "!in", "in~", "!in~", "has_any", "has_all"];
    let mut probes = BTreeSet::new();
    let mut add = |key: String, expr: String, oracle_expr: String| {
        probes.insert(Probe {
            context: Context::Row,
            key,
            expr,
            oracle_expr,
        });
    };
    for a in &KINDS {
        for operand in [Arg::column(a.ty), Arg::literal(a.ty)] {
            for op in ["-", "+"] {
                add(
                    format!("{op}{}", operand.key()),
                    format!("{op}{}", operand.text()),
                    format!("{op}{}", operand.oracle_text()),
                );
            }
        }
        for b in &KINDS {
            for (left, right) in [
                (Arg::column(a.ty), Arg::column(b.ty)),
                (Arg::column(a.ty), Arg::literal(b.ty)),
                (Arg::literal(a.ty), Arg::column(b.ty)),
            ] {
                let columns = left.form == Form::Column && right.form == Form::Column;
                let mut binary = |op: &str, list: bool| {
                    let (open, close) = if list { ("(", ")") } else { ("", "") };
                    add(
                        format!("{} {op} {open}{}{close}", left.key(), right.key()),
                        format!("{} {op} {open}{}{close}", left.text(), right.text()),
                        format!("{} {op} {open}{}{close}", left.oracle_text(), right.oracle_text()),
                    );
                };
                for op in ARITHMETIC {
                    binary(op, false);
                }
                for op in STRING
                    .iter()
                    .filter(|op| columns || matches!(**op, "has" | "!contains_cs"))
                {
                    binary(op, false);
                }
                for op in LISTS
                    .iter()
                    .filter(|op| columns || matches!(**op, "in" | "in~" | "has_any"))
                {
                    binary(op, true);
                }
            }
            // `x between (low .. high)`: high of low's type, and a timespan (`t between (d .. 1d)`).
            let (value, low) = (Arg::column(a.ty), Arg::column(b.ty));
            for high in [Arg::column(b.ty), Arg::column(KustoType::TimeSpan)] {
                for op in ["between", "!between"] {
                    let text = format!("{} {op} ({} .. {})", value.text(), low.text(), high.text());
                    add(
                        format!("{} {op} ({} .. {})", value.key(), low.key(), high.key()),
                        text.clone(),
                        text,
                    );
                }
            }
        }
    }
    probes
}

/// Checks probes with the oracle, a hundred expressions per query, and returns its answer for each.
/// The probes of a query Kusto.Language threw on are checked again one by one.
fn oracle_answers(oracle: &Oracle, probes: &[&Probe]) -> Vec<Answer> {
    let mut answers: Vec<Option<Answer>> = vec![None; probes.len()];
    let mut pending: Vec<usize> = (0..probes.len()).collect();
    let mut per_query = 100;
    while !pending.is_empty() {
        let mut queries = Vec::new();
        // Per query: the probes in it, each with its column name and its span in the text.
        let mut layouts: Vec<Vec<(usize, String, usize, usize)>> = Vec::new();
        for context in [Context::Row, Context::Aggregate] {
            let group: Vec<usize> = pending
                .iter()
                .copied()
                .filter(|&i| probes[i].context == context)
                .collect();
            for chunk in group.chunks(per_query) {
                let mut text = context.query("");
                let mut layout = Vec::new();
                for (position, &index) in chunk.iter().enumerate() {
                    if position > 0 {
                        text.push_str(", ");
                    }
                    let name = format!("c{position}");
                    write!(text, "{name} = ").unwrap();
                    let start = text.len();
                    text.push_str(&probes[index].oracle_expr);
                    layout.push((index, name, start, text.len()));
                }
                queries.push(text);
                layouts.push(layout);
            }
        }
        pending.clear();
        let verdicts = oracle.analyze(&oracle_schema(), &queries);
        for ((verdict, layout), query) in verdicts.iter().zip(&layouts).zip(&queries) {
            for (index, name, start, end) in layout {
                if verdict.is_crash() && layout.len() > 1 {
                    pending.push(*index);
                } else {
                    answers[*index] = Some(answer_of(verdict, name, *start, *end, query));
                }
            }
        }
        per_query = 1;
    }
    answers
        .into_iter()
        .map(|a| a.expect("every probe answered"))
        .collect()
}

fn answer_of(verdict: &Verdict, name: &str, start: usize, end: usize, query: &str) -> Answer {
    let errors: Vec<&str> = verdict
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && (d.code == "CRASH" || (d.start >= start && d.start < end.max(start + 1))))
        .map(|d| d.message.as_str())
        .collect();
    if let Some(first) = errors.first() {
        return Answer::Rejected((*first).to_string());
    }
    match verdict.columns.iter().flatten().find(|c| c.name == name) {
        Some(column) if KustoType::from_name(&column.ty).is_some() => Answer::Type(column.ty.clone()),
        Some(column) => Answer::Rejected(format!("type {}", column.ty)),
        None => Answer::Rejected(format!("no column {name} in the oracle's result of {query}")),
    }
}

#[test]
fn result_types_agree_with_kusto_language() {
    let Some(oracle) = oracle() else {
        return;
    };
    let builtins = oracle.builtins();
    let engine = engine();

    let mut probes: BTreeSet<Probe> = operator_probes();
    for builtin in &builtins.functions {
        probes.extend(calls(Context::Row, builtin));
    }
    for builtin in &builtins.aggregates {
        probes.extend(calls(Context::Aggregate, builtin));
    }
    // Functions torhunt refuses outright need only one probe each.
    let mut refused_functions = BTreeSet::new();
    let mut ours_by_probe = Vec::new();
    let mut checked: Vec<&Probe> = Vec::new();
    for probe in &probes {
        let function = probe.key.split('(').next().unwrap_or_default().to_string();
        if refused_functions.contains(&function) {
            continue;
        }
        let answer = ours(&engine, &probe.context.query(&format!("c = {}", probe.expr)));
        if let Answer::Refused(message) = &answer
            && message.contains(&format!("function `{function}`"))
        {
            refused_functions.insert(function);
        }
        ours_by_probe.push(answer);
        checked.push(probe);
    }
    // Ask the oracle once per distinct expression it sees.
    let mut distinct: Vec<&Probe> = Vec::new();
    let mut seen = BTreeSet::new();
    for probe in &checked {
        if seen.insert((probe.context, probe.oracle_expr.as_str())) {
            distinct.push(probe);
        }
    }
    let answers = oracle_answers(&oracle, &distinct);
    let by_expr: std::collections::BTreeMap<(Context, &str), &Answer> = distinct
        .iter()
        .zip(&answers)
        .map(|(probe, answer)| ((probe.context, probe.oracle_expr.as_str()), answer))
        .collect();
    let theirs: Vec<Answer> = checked
        .iter()
        .map(|p| by_expr[&(p.context, p.oracle_expr.as_str())].clone())
        .collect();

    let known = Known::load();
    let mut used = vec![false; known.len()];
    let (mut agree, mut refused, mut explained) = (0, 0, 0);
    let mut unexplained = Vec::new();
    for ((probe, ours), theirs) in checked.iter().zip(&ours_by_probe).zip(&theirs) {
        let category = match (ours, theirs) {
            (Answer::Type(a), Answer::Type(b)) if a == b => None,
            (Answer::Rejected(_), Answer::Rejected(_)) | (Answer::Refused(_), Answer::Rejected(_)) => None,
            (Answer::Refused(_), Answer::Type(_)) => {
                refused += 1;
                continue;
            }
            (Answer::Type(_), Answer::Type(_)) => Some("type"),
            (Answer::Type(_), _) => Some("accepts"),
            (_, _) => Some("rejects"),
        };
        let Some(category) = category else {
            agree += 1;
            continue;
        };
        match known.explains(category, &probe.key) {
            Some(index) => {
                used[index] = true;
                explained += 1;
            }
            None => unexplained.push(format!(
                "{category}\t{}\t{}\tours: {ours:?}\toracle: {theirs:?}",
                probe.key, probe.expr
            )),
        }
    }
    println!(
        "type differential: {} probes ({} of functions torhunt refuses skipped): {agree} agree, {refused} refused \
         as not supported, {explained} listed in known.tsv, {} unexplained; {} functions refused outright",
        checked.len(),
        probes.len() - checked.len(),
        unexplained.len(),
        refused_functions.len(),
    );
    let report = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("type-differential.tsv");
    std::fs::write(&report, unexplained.join("\n")).unwrap();
    println!("unexplained disagreements: {}", report.display());
    let stale = known.unused(&used, &["type", "accepts", "rejects"]);
    assert!(
        unexplained.is_empty(),
        "{} disagreements with Kusto.Language (first 40):\n{}",
        unexplained.len(),
        unexplained
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        stale.is_empty(),
        "known.tsv lists disagreements that no longer occur: {stale:?}"
    );
}
