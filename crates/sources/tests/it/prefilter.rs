//! The prefilter never changes an answer: random filters over adversarial records written in every
//! text layout (escaped JSON, quoted CSV with CRLF and line breaks in values, files split at small
//! byte ranges so records straddle seams) give the same rows with the prefilter on and off.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, RecordBatch, StringArray};
use datafusion::arrow::util::pretty::pretty_format_batches;
use datafusion::common::{JoinType, TableReference};
use datafusion::logical_expr::ScalarUDF;
use datafusion::physical_plan::displayable;
use datafusion::prelude::{DataFrame, Expr, SessionContext, ident, lit};
use proptest::prelude::*;
use torhunt_sources::{DataSet, ReadOptions};

const TABLE: &str = "DeviceNetworkEvents";
/// String columns the filters test (and one `long` column they may compare).
const COLUMNS: &[&str] = &[
    "RemoteUrl",
    "InitiatingProcessFileName",
    "InitiatingProcessCommandLine",
    "DeviceName",
];

/// Value characters: needle letters in both cases and their Unicode look-alikes, JSON and CSV specials.
const VALUE_CHARS: &[char] = &[
    't', 'T', 'o', 'O', 'r', 'R', 'i', 'I', 'k', 'K', '.', '/', '\\', '"', ',', ' ', '\n', '\r', '\u{130}',
    '\u{212a}', 'é', '1', '0',
];
const NEEDLE_CHARS: &[char] = &['t', 'O', 'r', 'i', 'K', '.', '/', '\\', '"', ',', '1', ' '];

fn text(chars: &'static [char], range: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(chars), range).prop_map(|c| c.into_iter().collect())
}

/// A row: a value per string column (empty = absent) and a port.
fn row() -> impl Strategy<Value = (Vec<String>, i64)> {
    (
        prop::collection::vec(text(VALUE_CHARS, 0..8), COLUMNS.len()),
        0i64..3,
    )
}

/// A filter as (KQL operator UDF name or `==`/`in`/`not`, column, needles), nested by and/or.
#[derive(Debug, Clone)]
enum Filter {
    Op(&'static str, usize, Vec<String>),
    Not(Box<Filter>),
    Port(i64),
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
}

const OPERATORS: &[&str] = &[
    "kql_has",
    "kql_has_cs",
    "kql_contains",
    "kql_contains_cs",
    "kql_startswith",
    "kql_startswith_cs",
    "kql_endswith",
    "kql_endswith_cs",
    "kql_hasprefix",
    "kql_hasprefix_cs",
    "kql_hassuffix",
    "kql_hassuffix_cs",
    "kql_equals_ci",
    "kql_in_ci",
    "kql_has_any",
    "kql_has_all",
    "==",
    "in",
];

fn filter() -> impl Strategy<Value = Filter> {
    let leaf = prop_oneof![
        8 => (prop::sample::select(OPERATORS), 0..COLUMNS.len(), prop::collection::vec(text(NEEDLE_CHARS, 1..3), 1..3))
            .prop_map(|(op, column, needles)| Filter::Op(op, column, needles)),
        1 => (0i64..3).prop_map(Filter::Port),
    ];
    leaf.prop_recursive(3, 8, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Filter::And(Box::new(a), Box::new(b))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Filter::Or(Box::new(a), Box::new(b))),
            // Negations are unknown to the prefilter: rarer, so that most trees test something.
            inner
                .prop_filter("leaves only", |a| matches!(a, Filter::Op(..)))
                .prop_map(|a| Filter::Not(Box::new(a))),
        ]
    })
}

fn udf(name: &str) -> Arc<ScalarUDF> {
    kql_functions::registry()
        .udfs()
        .0
        .into_iter()
        .find(|f| f.name() == name)
        .unwrap_or_else(|| panic!("{name} is a KQL operator"))
}

fn expr(filter: &Filter) -> Expr {
    match filter {
        Filter::Op(op, column, needles) => {
            let column = ident(COLUMNS[*column]);
            let values: Vec<Expr> = needles.iter().map(|n| lit(n.as_str())).collect();
            match *op {
                "==" => column.eq(values[0].clone()),
                "in" => column.in_list(values, false),
                "kql_in_ci" | "kql_has_any" | "kql_has_all" => udf(op).call([vec![column], values].concat()),
                op => udf(op).call(vec![column, values[0].clone()]),
            }
        }
        Filter::Not(inner) => Expr::Not(Box::new(expr(inner))),
        Filter::Port(port) => ident("RemotePort").eq(lit(*port)),
        Filter::And(a, b) => expr(a).and(expr(b)),
        Filter::Or(a, b) => expr(a).or(expr(b)),
    }
}

/// How the rows are written: layout, and for JSON whether every value character is `\u`-escaped (in
/// upper- or lower-case hex) with `/` as `\/`, for CSV whether lines end in CRLF.
#[derive(Debug, Clone, Copy)]
enum Layout {
    EventHub {
        escape: Option<bool>,
        per_message: usize,
    },
    Ndjson {
        escape: Option<bool>,
    },
    Csv {
        crlf: bool,
    },
}

fn layout() -> impl Strategy<Value = Layout> {
    let escape = prop_oneof![Just(None), Just(Some(false)), Just(Some(true))];
    prop_oneof![
        (escape.clone(), 1usize..4)
            .prop_map(|(escape, per_message)| Layout::EventHub { escape, per_message }),
        escape.prop_map(|escape| Layout::Ndjson { escape }),
        any::<bool>().prop_map(|crlf| Layout::Csv { crlf }),
    ]
}

fn json_string(text: &str, escape: Option<bool>) -> String {
    let Some(upper) = escape else {
        return serde_json::to_string(text).expect("strings serialize");
    };
    let mut out = String::from("\"");
    for c in text.chars() {
        if c == '/' {
            out.push_str("\\/");
            continue;
        }
        let mut units = [0u16; 2];
        for unit in c.encode_utf16(&mut units) {
            out.push_str(&if upper {
                format!("\\u{unit:04X}")
            } else {
                format!("\\u{unit:04x}")
            });
        }
    }
    out.push('"');
    out
}

fn json_record(row: &(Vec<String>, i64), index: usize, escape: Option<bool>) -> String {
    let mut fields = vec![
        format!("\"Timestamp\":\"2024-05-01T00:00:{:02}Z\"", index % 60),
        format!("\"RemotePort\":{}", row.1),
        "\"ActionType\":\"ConnectionSuccess\"".to_string(),
    ];
    for (column, value) in COLUMNS.iter().zip(&row.0) {
        if !value.is_empty() {
            // Keys are escaped too.
            fields.push(format!(
                "{}:{}",
                json_string(column, escape),
                json_string(value, escape)
            ));
        }
    }
    format!("{{{}}}", fields.join(","))
}

fn write(dir: &Path, rows: &[(Vec<String>, i64)], layout: Layout) -> (Vec<PathBuf>, Vec<(String, PathBuf)>) {
    match layout {
        Layout::EventHub { escape, per_message } => {
            let path = dir.join("messages.json");
            let lines: Vec<String> = rows
                .chunks(per_message)
                .enumerate()
                .map(|(m, chunk)| {
                    let records: Vec<String> = chunk
                        .iter()
                        .enumerate()
                        .map(|(i, row)| {
                            format!(
                                r#"{{"time":"2024-05-01T00:00:00Z","category":"AdvancedHunting-{TABLE}","properties":{}}}"#,
                                json_record(row, m * per_message + i, escape)
                            )
                        })
                        .collect();
                    format!(r#"{{"records":[{}]}}"#, records.join(","))
                })
                .collect();
            std::fs::write(&path, lines.join("\n") + "\n").expect("file writes");
            (vec![path], vec![])
        }
        Layout::Ndjson { escape } => {
            let path = dir.join("rows.json");
            let lines: Vec<String> = rows
                .iter()
                .enumerate()
                .map(|(i, r)| json_record(r, i, escape))
                .collect();
            std::fs::write(&path, lines.join("\n") + "\n").expect("file writes");
            (vec![], vec![(TABLE.to_string(), path)])
        }
        Layout::Csv { crlf } => {
            let path = dir.join("export.csv");
            let mut writer = csv::WriterBuilder::new()
                .terminator(if crlf {
                    csv::Terminator::CRLF
                } else {
                    csv::Terminator::Any(b'\n')
                })
                .from_path(&path)
                .expect("file creates");
            let mut header = vec!["Timestamp", "RemotePort", "ActionType"];
            header.extend(COLUMNS);
            writer.write_record(&header).expect("header writes");
            for (i, (values, port)) in rows.iter().enumerate() {
                let mut record = vec![
                    format!("2024-05-01T00:00:{:02}Z", i % 60),
                    port.to_string(),
                    "ConnectionSuccess".into(),
                ];
                record.extend(values.iter().cloned());
                writer.write_record(&record).expect("record writes");
            }
            writer.flush().expect("file flushes");
            (vec![], vec![(TABLE.to_string(), path)])
        }
    }
}

/// What a test asks of the table.
enum Query<'a> {
    /// Its rows that pass a filter.
    Filter(&'a Expr),
    /// Its rows joined with a list of keys on a column (the keys are the build side of a hash join,
    /// whose dynamic filter reaches the scan).
    Join { keys: &'a [String], column: &'a str },
}

impl Query<'_> {
    async fn frame(&self, context: &SessionContext) -> datafusion::error::Result<DataFrame> {
        let table = context.table(TableReference::bare(TABLE)).await?;
        match self {
            Query::Filter(filter) => table.filter((*filter).clone()),
            Query::Join { keys, column } => {
                let keys: ArrayRef = Arc::new(StringArray::from(keys.to_vec()));
                context
                    .read_batch(RecordBatch::try_from_iter([("Key", keys)])?)?
                    .join_on(table, JoinType::Inner, [ident("Key").eq(ident(*column))])
            }
        }
    }
}

/// The sorted rows of the filtered table (or the read error), and the records skipped unparsed.
fn run(
    paths: &[PathBuf],
    tables: &[(String, PathBuf)],
    filter: &Expr,
    prefilter: bool,
    split_bytes: u64,
) -> (Result<String, String>, u64) {
    run_query(paths, tables, &Query::Filter(filter), prefilter, split_bytes)
}

/// The sorted rows a query returns (or the read error), and the records skipped unparsed.
fn run_query(
    paths: &[PathBuf],
    tables: &[(String, PathBuf)],
    query: &Query<'_>,
    prefilter: bool,
    split_bytes: u64,
) -> (Result<String, String>, u64) {
    let (rows, records, _) = run_counting_messages(paths, tables, query, prefilter, split_bytes);
    (rows, records)
}

/// [`run_query`], and the Event Hub messages skipped whole.
fn run_counting_messages(
    paths: &[PathBuf],
    tables: &[(String, PathBuf)],
    query: &Query<'_>,
    prefilter: bool,
    split_bytes: u64,
) -> (Result<String, String>, u64, u64) {
    let options = ReadOptions {
        prefilter,
        split_bytes,
        ..ReadOptions::default()
    };
    let data = DataSet::discover(paths, tables, options).expect("discovery succeeds");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let rows = runtime.block_on(async {
        let context = SessionContext::new();
        data.register(&context).expect("tables register");
        let frame = query
            .frame(&context)
            .await
            .map_err(|e| e.to_string())?
            .select_columns(&[
                "RemotePort",
                "RemoteUrl",
                "InitiatingProcessFileName",
                "InitiatingProcessCommandLine",
                "DeviceName",
                "Timestamp",
            ])
            .map_err(|e| e.to_string())?;
        let batches = frame.collect().await.map_err(|e| e.to_string())?;
        let mut lines: Vec<String> = pretty_format_batches(&batches)
            .map_err(|e| e.to_string())?
            .to_string()
            .lines()
            .map(str::to_string)
            .collect();
        lines.sort();
        Ok(lines.join("\n"))
    });
    let report = data.report();
    (
        rows,
        report.skipped_unparsed(),
        report.messages_skipped_unparsed(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn results_are_identical_with_the_prefilter_on_and_off(
        rows in prop::collection::vec(row(), 1..12),
        filter in filter(),
        layout in layout(),
        split_bytes in prop_oneof![2 => Just(u64::MAX), 1 => 40u64..400],
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        let (paths, tables) = write(dir.path(), &rows, layout);
        let filter = expr(&filter);
        let (on, _) = run(&paths, &tables, &filter, true, split_bytes);
        let (off, unparsed) = run(&paths, &tables, &filter, false, split_bytes);
        prop_assert_eq!(unparsed, 0);
        // Only a CSV value's line break at a range seam may fail the read (asking for --no-split).
        if let Err(error) = &off {
            prop_assert!(error.contains("--no-split"), "{}", error);
        }
        prop_assert_eq!(on, off);
    }

    /// A hash join's keys reach the scan as a dynamic filter: rows joined are the same either way.
    #[test]
    fn joins_are_identical_with_the_prefilter_on_and_off(
        rows in prop::collection::vec(row(), 1..12),
        keys in prop::collection::vec(text(VALUE_CHARS, 0..4), 1..4),
        column in 0..COLUMNS.len(),
        layout in layout(),
        long_list in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        let (paths, tables) = write(dir.path(), &rows, layout);
        // Some keys are values of the column, spelled as the rows spell them.
        let mut keys = keys;
        keys.extend(rows.iter().step_by(3).map(|(values, _)| values[column].clone()));
        // A long list is looked up in the record's key field instead of searched as needles.
        if long_list {
            keys.extend((0..LONG_KEY_LIST).map(|i| format!("filler-{i}")));
        }
        let query = Query::Join { keys: &keys, column: COLUMNS[column] };
        let (on, _) = run_query(&paths, &tables, &query, true, u64::MAX);
        let (off, unparsed) = run_query(&paths, &tables, &query, false, u64::MAX);
        prop_assert_eq!(unparsed, 0);
        prop_assert!(off.is_ok(), "{:?}", off);
        prop_assert_eq!(on, off);
    }
}

/// More keys than the scan searches as needles (64).
const LONG_KEY_LIST: usize = 70;

/// A long key list is looked up in each record's key field: a record whose field is plain text and no
/// key is skipped unparsed in every layout, escapes elsewhere in the record or not; one whose field is
/// escaped, a number, or repeated in the record is read.
#[test]
fn long_join_key_lists_are_looked_up_in_the_key_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rows: Vec<(Vec<String>, i64)> = (0..20)
        .map(|i| {
            let url = format!("host{i}.example");
            (
                vec![url, "svc \\ \"x\".exe".into(), String::new(), "ws".into()],
                1,
            )
        })
        .collect();
    let mut keys = vec!["host3.example".to_string(), "host17.example".to_string()];
    keys.extend((0..LONG_KEY_LIST).map(|i| format!("host{i}.elsewhere")));
    let query = Query::Join {
        keys: &keys,
        column: "RemoteUrl",
    };
    for layout in [
        Layout::EventHub {
            escape: None,
            per_message: 4,
        },
        Layout::Ndjson { escape: None },
        Layout::Csv { crlf: false },
    ] {
        let (paths, tables) = write(dir.path(), &rows, layout);
        let (on, unparsed, messages) = run_counting_messages(&paths, &tables, &query, true, u64::MAX);
        let (off, _) = run_query(&paths, &tables, &query, false, u64::MAX);
        let on = on.expect("the join runs");
        assert!(
            on.contains("host3.example") && on.contains("host17.example"),
            "{layout:?}: {on}"
        );
        assert_eq!(Ok(on), off, "{layout:?}");
        // Event Hub messages none of whose key members holds a key are skipped whole (three of the
        // five); the other two are split and their other three records each skipped.
        let expected = match layout {
            Layout::EventHub { .. } => (6, 3),
            _ => (18, 0),
        };
        assert_eq!((unparsed, messages), expected, "{layout:?}");
    }
    // A message whose key member could be spelled with an escape is split and read record by record.
    let path = dir.path().join("escaped-name.json");
    let record = |properties: &str| {
        format!(
            r#"{{"time":"2024-05-01T00:00:00Z","category":"AdvancedHunting-{TABLE}","properties":{{{properties}}}}}"#
        )
    };
    let messages = [
        format!(
            r#"{{"records":[{},{}]}}"#,
            record(r#""Timestamp":"2024-05-01T00:00:00Z","RemoteUrl":"nope""#),
            record(r#""Timestamp":"2024-05-01T00:00:01Z","Remote\u0055rl":"host3.example""#)
        ),
        format!(
            r#"{{"records":[{}]}}"#,
            record(r#""Timestamp":"2024-05-01T00:00:02Z","RemoteUrl":"host99.example""#)
        ),
    ];
    std::fs::write(&path, messages.join("\n") + "\n").unwrap();
    let (on, unparsed, skipped_messages) =
        run_counting_messages(std::slice::from_ref(&path), &[], &query, true, u64::MAX);
    let (off, _) = run_query(&[path], &[], &query, false, u64::MAX);
    assert_eq!(on, off);
    assert!(on.expect("the join runs").contains("host3.example"));
    assert_eq!((unparsed, skipped_messages), (1, 1));
    // Key fields the lookup cannot be sure of are read: escaped (any hex case), a number, repeated.
    let path = dir.path().join("doubts.json");
    std::fs::write(
        &path,
        concat!(
            "{\"RemoteUrl\":\"host3.ex\\u0061mple\"}\n",
            "{\"RemoteUrl\":\"host17.ex\\u0041mple\"}\n",
            "{\"RemoteUrl\":17}\n",
            "{\"RemoteUrl\":\"nope\",\"RemoteUrl\":\"host17.example\"}\n",
            "{\"RemoteUrl\":\"nope\"}\n",
            "{\"RemoteUrl\":null}\n",
            "{\"DeviceName\":\"no url\"}\n",
            // A key elsewhere in the record, or inside a longer value: no needle search would skip these.
            "{\"RemoteUrl\":\"nope\",\"DeviceName\":\"host3.example\"}\n",
            "{\"RemoteUrl\":\"xhost3.example\"}\n",
        ),
    )
    .unwrap();
    let tables = [(TABLE.to_string(), path)];
    let (on, unparsed) = run_query(&[], &tables, &query, true, u64::MAX);
    let (off, _) = run_query(&[], &tables, &query, false, u64::MAX);
    assert_eq!(on, off);
    let on = on.expect("the join runs");
    assert!(on.contains("host3.example"), "{on}");
    assert_eq!(
        unparsed, 5,
        "the plain values that are no key, the null, and the record without the field: {on}"
    );
}

/// In files mixing tables, a table no `ActionType` routes to (DeviceInfo) is told by its name: a
/// message or record in which the name cannot occur, however escaped, is skipped unparsed.
#[test]
fn records_of_tables_named_only_by_category_are_found_by_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let info = |i: u32, category: &str| {
        format!(
            r#"{{"time":"2024-05-01T00:00:0{i}Z","category":"{category}","properties":{{"Timestamp":"2024-05-01T00:00:0{i}Z","DeviceId":"d{i}","DeviceName":"ws{i}","PublicIP":"192.0.2.{i}"}}}}"#
        )
    };
    let network = |i: u32, command: &str| {
        format!(
            r#"{{"time":"2024-05-01T00:00:0{i}Z","category":"AdvancedHunting-DeviceNetworkEvents","properties":{{"Timestamp":"2024-05-01T00:00:0{i}Z","DeviceId":"d{i}","ActionType":"ConnectionSuccess","RemoteIP":"198.51.100.{i}","InitiatingProcessCommandLine":"{command}"}}}}"#
        )
    };
    let messages = [
        vec![network(1, "a.exe"), network(2, "b.exe")],
        vec![network(3, "c.exe"), info(1, "AdvancedHunting-DeviceInfo")],
        vec![info(2, "AdvancedHunting-Device\\u0049nfo")],
        vec![network(4, "get-deviceinfo.ps1")],
    ];
    let path = dir.path().join("messages.json");
    let lines: Vec<String> = messages
        .iter()
        .map(|records| format!(r#"{{"records":[{}]}}"#, records.join(",")))
        .collect();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let read = |path: &std::path::Path, prefilter: bool| {
        let options = ReadOptions {
            prefilter,
            ..ReadOptions::default()
        };
        let data = DataSet::discover(&[path.to_path_buf()], &[], options).expect("discovery succeeds");
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let (rows, plan) = runtime.block_on(async {
            let context = SessionContext::new();
            data.register(&context).unwrap();
            let frame = context
                .table(TableReference::bare("DeviceInfo"))
                .await
                .unwrap()
                .select_columns(&["DeviceId", "PublicIP"])
                .unwrap();
            let plan = displayable(frame.clone().create_physical_plan().await.unwrap().as_ref())
                .indent(true)
                .to_string();
            let batches = frame.collect().await.unwrap();
            (pretty_format_batches(&batches).unwrap().to_string(), plan)
        });
        let report = data.report();
        (
            rows,
            plan,
            report.skipped_unparsed(),
            report.messages_skipped_unparsed(),
        )
    };
    let (on, plan, records, skipped_messages) = read(&path, true);
    let (off, _, _, _) = read(&path, false);
    assert_eq!(on, off);
    assert!(on.contains("192.0.2.1") && on.contains("192.0.2.2"), "{on}");
    // The first message is skipped whole; of the second, the network record. The last names the
    // table in a command line: it is read (and is not DeviceInfo's).
    assert_eq!((records, skipped_messages), (1, 1));
    assert!(plan.contains(r#"table_name_test=~"DeviceInfo""#), "{plan}");
    // A file of the table alone is not tested for its name: no record of it names the table.
    let alone = dir.path().join("DeviceInfo.csv");
    std::fs::write(
        &alone,
        "Timestamp,DeviceId,PublicIP\n2024-05-01T00:00:00Z,d1,192.0.2.9\n",
    )
    .unwrap();
    let (rows, plan, records, _) = read(&alone, true);
    assert!(rows.contains("192.0.2.9") && records == 0, "{rows}");
    assert!(!plan.contains("table_name_test"), "{plan}");
}

/// CSV records that cannot match are skipped before the csv crate splits them (not one whose value
/// the csv crate joins across a quote); the records read keep their line numbers (whole files) and
/// byte offsets (ranges), past quoted line breaks, empty lines and CRLF, and what a malformed record that may match reports is the same as with every record parsed.
#[test]
fn csv_records_skipped_before_parsing_keep_their_positions() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Quoted line breaks make a file unsplittable (a range could start inside one): whole files only.
    let write = |name: &str, quoted_breaks: bool| {
        let mut text =
            String::from("Timestamp,RemotePort,ActionType,RemoteUrl,InitiatingProcessFileName\r\n");
        for i in 0..300 {
            let url = match i {
                40 | 290 => "tracker.torrent.example".to_string(),
                // Record 150 may match but has a field too many: it is reported where it is.
                150 => "torrent.example".to_string(),
                // The csv crate joins text after a closing quote to the value: `tracker.torrent.example`.
                200 => "\"tracker.tor\"rent.example".to_string(),
                // A decoy (the term is `torrentialweather`), and quoted values before the matches.
                _ if i % 3 == 0 => "www.torrentialweather.example".to_string(),
                _ if i % 7 == 0 && quoted_breaks => "\"multi\nline, \"\"quoted\"\"\"".to_string(),
                _ if i % 7 == 0 => "\"one line, \"\"quoted\"\"\"".to_string(),
                _ => format!("host{i}.example"),
            };
            let extra = if i == 150 { ",extra" } else { "" };
            text.push_str(&format!(
                "2024-05-01T00:00:{:02}Z,443,ConnectionSuccess,{url},x.exe{extra}\r\n",
                i % 60
            ));
            if i == 100 {
                text.push_str("\n\n");
            }
        }
        let path = dir.path().join(name);
        std::fs::write(&path, &text).unwrap();
        [(TABLE.to_string(), path)]
    };
    let multiline = write("multiline.csv", true);
    let splittable = write("export.csv", false);
    let filter = udf("kql_has").call(vec![ident("RemoteUrl"), lit("torrent")]);
    let read = |tables: &[(String, PathBuf)], prefilter: bool, split_bytes: u64| {
        let options = ReadOptions {
            prefilter,
            split_bytes,
            ..ReadOptions::default()
        };
        let data = DataSet::discover(&[], tables, options).expect("discovery succeeds");
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let rows = runtime.block_on(async {
            let context = SessionContext::new();
            data.register(&context).unwrap();
            let frame = context.table(TableReference::bare(TABLE)).await.unwrap();
            let batches = frame.filter(filter.clone()).unwrap().collect().await.unwrap();
            let text = pretty_format_batches(&batches).unwrap().to_string();
            let mut lines: Vec<&str> = text.lines().collect();
            lines.sort_unstable();
            lines.join("\n")
        });
        let report = data.report();
        let mut reasons: Vec<String> = report
            .files()
            .into_iter()
            .flat_map(|(_, _, file)| file.reasons)
            .map(|r| format!("{:?}: {}", r.position, r.reason))
            .collect();
        reasons.sort();
        (rows, reasons, report.skipped_unparsed())
    };
    for (tables, split_bytes) in [(&multiline, u64::MAX), (&splittable, 700), (&splittable, 4096)] {
        let (on, on_reasons, unparsed) = read(tables, true, split_bytes);
        let (off, off_reasons, _) = read(tables, false, split_bytes);
        assert_eq!(on, off, "split {split_bytes}");
        assert!(on.contains("tracker.torrent.example"), "{on}");
        assert_eq!(on_reasons, off_reasons, "split {split_bytes}");
        assert_eq!(on_reasons.len(), 1, "{on_reasons:?}");
        if split_bytes == u64::MAX {
            // After the header, 150 records, their quoted line breaks and two empty lines.
            let line = 1 + 150 + (0..150).filter(|i| i % 7 == 0 && i % 3 != 0).count() + 2 + 1;
            assert!(
                on_reasons[0].starts_with(&format!("Line({line}):")),
                "{on_reasons:?}"
            );
        }
        assert_eq!(on.matches("tracker.torrent.example").count(), 3, "{on}");
        // All but the four records that may match are skipped unparsed.
        assert_eq!(unparsed, 296, "split {split_bytes}");
    }
}

#[test]
fn join_keys_skip_records_unparsed_and_show_in_the_plan() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rows: Vec<(Vec<String>, i64)> = (0..20)
        .map(|i| {
            let url = format!("host{i}.example");
            (vec![url, "svc.exe".into(), String::new(), "ws".into()], 1)
        })
        .collect();
    let keys = vec!["host3.example".to_string(), "host17.example".to_string()];
    let query = Query::Join {
        keys: &keys,
        column: "RemoteUrl",
    };
    for layout in [
        Layout::EventHub {
            escape: Some(true),
            per_message: 4,
        },
        Layout::Ndjson { escape: None },
        Layout::Csv { crlf: false },
    ] {
        let (paths, tables) = write(dir.path(), &rows, layout);
        let (on, unparsed) = run_query(&paths, &tables, &query, true, u64::MAX);
        let (off, _) = run_query(&paths, &tables, &query, false, u64::MAX);
        let on = on.expect("the join runs");
        assert!(
            on.contains("host3.example") && on.contains("host17.example"),
            "{layout:?}: {on}"
        );
        assert_eq!(Ok(on), off, "{layout:?}");
        // Escaped JSON hides the keys' characters: every record with an escape is read.
        if !matches!(layout, Layout::EventHub { .. }) {
            assert_eq!(unparsed, 18, "{layout:?}");
        }
    }
    let data = DataSet::discover(
        &[],
        &[(TABLE.to_string(), dir.path().join("export.csv"))],
        ReadOptions::default(),
    )
    .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let plan = runtime.block_on(async {
        let context = SessionContext::new();
        data.register(&context).unwrap();
        let frame = query.frame(&context).await.unwrap();
        displayable(frame.create_physical_plan().await.unwrap().as_ref())
            .indent(true)
            .to_string()
    });
    assert!(plan.contains("join_filter=DynamicFilter"), "{plan}");
}

#[test]
fn selective_filters_skip_records_unparsed_and_show_in_the_plan() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rows: Vec<(Vec<String>, i64)> = (0..20)
        .map(|i| {
            (
                vec![
                    if i == 3 {
                        "tracker.TORRENT.example"
                    } else {
                        "example.com"
                    }
                    .to_string(),
                    "svc.exe".into(),
                    String::new(),
                    "ws".into(),
                ],
                1,
            )
        })
        .collect();
    let filter = udf("kql_has").call(vec![ident("RemoteUrl"), lit("torrent")]);
    for layout in [
        Layout::EventHub {
            escape: None,
            per_message: 4,
        },
        Layout::Ndjson { escape: None },
        Layout::Csv { crlf: true },
    ] {
        let (paths, tables) = write(dir.path(), &rows, layout);
        let (on, unparsed, messages) =
            run_counting_messages(&paths, &tables, &Query::Filter(&filter), true, u64::MAX);
        // Event Hub messages none of whose records can match are skipped whole, unsplit: four of the
        // five, and three records of the fifth.
        if matches!(layout, Layout::EventHub { .. }) {
            assert_eq!((unparsed, messages), (3, 4), "{layout:?}");
        } else {
            assert_eq!((unparsed, messages), (19, 0), "{layout:?}");
        }
        assert!(
            on.as_ref().unwrap().contains("tracker.TORRENT.example"),
            "{layout:?}: {on:?}"
        );
        assert_eq!(on, run(&paths, &tables, &filter, false, u64::MAX).0);
    }
    // The plan shows the scan's prefilter.
    let data = DataSet::discover(
        &[],
        &[(TABLE.to_string(), dir.path().join("export.csv"))],
        ReadOptions::default(),
    )
    .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let plan = runtime.block_on(async {
        let context = SessionContext::new();
        data.register(&context).unwrap();
        let frame = context
            .table(TableReference::bare(TABLE))
            .await
            .unwrap()
            .filter(filter)
            .unwrap();
        displayable(frame.create_physical_plan().await.unwrap().as_ref())
            .indent(true)
            .to_string()
    });
    // `has` needs the needle as a whole term.
    assert!(plan.contains(r#"prefilter=has ~"torrent""#), "{plan}");
}

#[test]
fn strict_mode_parses_every_record() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("rows.json");
    std::fs::write(
        &path,
        "{\"RemoteUrl\":\"torrent\"}\n{\"RemoteUrl\":\"x\",\"RemotePort\":\"not a port\"}\n",
    )
    .unwrap();
    let filter = udf("kql_has").call(vec![ident("RemoteUrl"), lit("torrent")]);
    let tables = [(TABLE.to_string(), path)];
    // Not strict: the malformed record cannot match, so it is skipped unparsed (and counted as such).
    let (rows, unparsed) = run(&[], &tables, &filter, true, u64::MAX);
    assert!(rows.unwrap().contains("torrent"));
    assert_eq!(unparsed, 1);
    // Strict: every record is parsed, and the malformed one stops the read.
    let options = ReadOptions {
        strict: true,
        ..ReadOptions::default()
    };
    let data = DataSet::discover(&[], &tables, options).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let result = runtime.block_on(async {
        let context = SessionContext::new();
        data.register(&context).unwrap();
        context
            .table(TableReference::bare(TABLE))
            .await
            .unwrap()
            .filter(filter)
            .unwrap()
            .collect()
            .await
    });
    let error = result
        .expect_err("strict mode reads the malformed record")
        .to_string();
    assert!(
        error.contains("not a port") || error.contains("RemotePort"),
        "{error}"
    );
}
