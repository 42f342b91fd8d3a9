//! Time bounds tested on raw records never change an answer: random `Timestamp` / `TimeGenerated`
//! bounds over records whose time fields are missing, empty, escaped, unparsable, repeated under an
//! escaped name or nested in another column give the same rows with the prefilter on and off, in
//! every text layout; and records outside the bounds are skipped unparsed.

use std::path::{Path, PathBuf};

use datafusion::common::{ScalarValue, TableReference};
use datafusion::physical_plan::{collect, displayable};
use datafusion::prelude::{Expr, SessionContext, ident, lit};
use proptest::prelude::*;
use torhunt_sources::{DataSet, ReadOptions};

use crate::{nanos, sorted_lines};

const TABLE: &str = "DeviceNetworkEvents";

/// How a record gives one time column.
#[derive(Debug, Clone, Copy)]
enum Time {
    Absent,
    /// `2024-05-01T00:00:0<second>Z`, half a second later when `half`.
    Plain {
        second: u8,
        half: bool,
    },
    /// The same text with its digits `\u`-escaped (JSON; plain in CSV).
    Escaped {
        second: u8,
    },
    Empty,
    Unparsable,
    /// JSON `null` (empty in CSV).
    Null,
}

fn time() -> impl Strategy<Value = Time> {
    prop_oneof![
        2 => Just(Time::Absent),
        6 => (0u8..6, any::<bool>()).prop_map(|(second, half)| Time::Plain { second, half }),
        1 => (0u8..6).prop_map(|second| Time::Escaped { second }),
        1 => Just(Time::Empty),
        1 => Just(Time::Unparsable),
        1 => Just(Time::Null),
    ]
}

impl Time {
    fn text(self) -> Option<String> {
        match self {
            Time::Absent | Time::Null | Time::Empty => None,
            Time::Plain { second, half } => Some(format!(
                "2024-05-01T00:00:0{second}{}Z",
                if half { ".5" } else { "" }
            )),
            Time::Escaped { second } => Some(format!("2024-05-01T00:00:0{second}Z")),
            Time::Unparsable => Some("soon".into()),
        }
    }

    /// The member's JSON value (`None`: absent).
    fn json(self) -> Option<String> {
        match self {
            Time::Absent => None,
            Time::Null => Some("null".into()),
            Time::Empty => Some("\"\"".into()),
            Time::Escaped { .. } => {
                let text = self.text()?;
                Some(format!("\"{}\"", text.replace('2', "\\u0032")))
            }
            _ => Some(format!("\"{}\"", self.text()?)),
        }
    }

    fn csv(self) -> String {
        self.text().unwrap_or_default()
    }
}

/// A record: its own Timestamp and TimeGenerated, the envelope's `time` (Streaming API layouts), and
/// decoys: a nested `Timestamp` in a dynamic column, a second `Timestamp` under an escaped name.
#[derive(Debug, Clone)]
struct Row {
    timestamp: Time,
    generated: Time,
    envelope: Time,
    nested: bool,
    escaped_repeat: Option<u8>,
}

fn row() -> impl Strategy<Value = Row> {
    (
        time(),
        time(),
        time(),
        any::<bool>(),
        prop::option::weighted(0.2, 0u8..6),
    )
        .prop_map(|(timestamp, generated, envelope, nested, escaped_repeat)| Row {
            timestamp,
            generated,
            envelope,
            nested,
            escaped_repeat,
        })
}

impl Row {
    fn columns_json(&self, index: usize) -> String {
        let mut members = vec![format!("\"RemoteUrl\":\"row{index}\"")];
        if let Some(value) = self.timestamp.json() {
            members.push(format!("\"Timestamp\":{value}"));
        }
        if let Some(value) = self.generated.json() {
            members.push(format!("\"TimeGenerated\":{value}"));
        }
        if self.nested {
            members.push("\"AdditionalFields\":{\"Timestamp\":\"2024-05-01T00:00:09Z\"}".into());
        }
        if let Some(second) = self.escaped_repeat {
            members.push(format!("\"Time\\u0073tamp\":\"2024-05-01T00:00:0{second}Z\""));
        }
        format!("{{{}}}", members.join(","))
    }

    fn record_json(&self, index: usize) -> String {
        let time = self
            .envelope
            .json()
            .map(|t| format!("\"time\":{t},"))
            .unwrap_or_default();
        format!(
            "{{{time}\"category\":\"AdvancedHunting-{TABLE}\",\"properties\":{}}}",
            self.columns_json(index)
        )
    }
}

#[derive(Debug, Clone, Copy)]
enum Layout {
    Ndjson,
    EventHub,
    Storage,
    Csv,
}

fn write(dir: &Path, rows: &[Row], layout: Layout) -> (Vec<PathBuf>, Vec<(String, PathBuf)>) {
    let lines: Vec<String> = match layout {
        Layout::Ndjson => rows.iter().enumerate().map(|(i, r)| r.columns_json(i)).collect(),
        Layout::Storage => rows.iter().enumerate().map(|(i, r)| r.record_json(i)).collect(),
        Layout::EventHub => rows
            .iter()
            .enumerate()
            .collect::<Vec<_>>()
            .chunks(3)
            .map(|chunk| {
                let records: Vec<String> = chunk.iter().map(|(i, r)| r.record_json(*i)).collect();
                format!("{{\"records\":[{}]}}", records.join(","))
            })
            .collect(),
        Layout::Csv => std::iter::once("Timestamp,TimeGenerated,RemoteUrl".to_string())
            .chain(
                rows.iter()
                    .enumerate()
                    .map(|(i, r)| format!("{},{},row{i}", r.timestamp.csv(), r.generated.csv())),
            )
            .collect(),
    };
    let name = match layout {
        Layout::Csv => "export.csv",
        _ => "records.json",
    };
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n") + "\n").expect("file writes");
    match layout {
        Layout::Ndjson | Layout::Csv => (vec![], vec![(TABLE.to_string(), path)]),
        Layout::EventHub | Layout::Storage => (vec![path], vec![]),
    }
}

fn at(second: u8, half: bool) -> Expr {
    let text = format!("2024-05-01T00:00:0{second}{}Z", if half { ".5" } else { "" });
    lit(ScalarValue::TimestampNanosecond(Some(nanos(&text)), None))
}

/// A comparison of a time column with a datetime: column, operator (0 `>`, 1 `>=`, 2 `<`, 3 `<=`,
/// 4 `==`, 5 `between` it and a second later), second, half.
type Bound = (bool, u8, u8, bool);

fn bound_expr(&(generated, op, second, half): &Bound) -> Expr {
    let column = ident(if generated { "TimeGenerated" } else { "Timestamp" });
    let value = at(second, half);
    match op {
        0 => column.gt(value),
        1 => column.gt_eq(value),
        2 => column.lt(value),
        3 => column.lt_eq(value),
        4 => column.eq(value),
        _ => column.between(value, at(second + 1, half)),
    }
}

/// The rows (sorted) of the table under `filter`, the records skipped unparsed (Event Hub messages
/// skipped whole count for one), and the physical plan.
fn run(
    paths: &[PathBuf],
    tables: &[(String, PathBuf)],
    filter: &Expr,
    prefilter: bool,
) -> (String, u64, String) {
    let (rows, records, messages, plan) = run_counting_messages(paths, tables, filter, prefilter);
    (rows, records + messages, plan)
}

/// [`run`] with the records and the Event Hub messages skipped unparsed counted apart.
fn run_counting_messages(
    paths: &[PathBuf],
    tables: &[(String, PathBuf)],
    filter: &Expr,
    prefilter: bool,
) -> (String, u64, u64, String) {
    let options = ReadOptions {
        prefilter,
        ..ReadOptions::default()
    };
    let data = DataSet::discover(paths, tables, options).expect("discovery succeeds");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let (rows, plan) = runtime.block_on(async {
        let context = SessionContext::new();
        data.register(&context).expect("tables register");
        let plan = context
            .table(TableReference::bare(TABLE))
            .await
            .expect("table exists")
            .filter(filter.clone())
            .expect("filter plans")
            .select_columns(&["RemoteUrl", "Timestamp", "TimeGenerated"])
            .expect("columns exist")
            .create_physical_plan()
            .await
            .expect("plans");
        let batches = collect(plan.clone(), context.task_ctx())
            .await
            .expect("query runs");
        (
            sorted_lines(&batches),
            displayable(plan.as_ref()).indent(true).to_string(),
        )
    });
    let report = data.report();
    (
        rows,
        report.skipped_unparsed(),
        report.messages_skipped_unparsed(),
        plan,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn results_are_identical_with_time_bounds_tested_raw(
        rows in prop::collection::vec(row(), 1..10),
        bounds in prop::collection::vec((any::<bool>(), 0u8..6, 0u8..6, any::<bool>()), 1..3),
        either in any::<bool>(),
        row_wanted in prop::option::of(0usize..10),
        layout in prop_oneof![Just(Layout::Ndjson), Just(Layout::EventHub), Just(Layout::Storage), Just(Layout::Csv)],
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        let (paths, tables) = write(dir.path(), &rows, layout);
        let exprs: Vec<Expr> = bounds.iter().map(bound_expr).collect();
        // AND: each bound reaches the scan; OR: none does, and nothing may be skipped for it.
        let combine: fn(Expr, Expr) -> Expr = if either { Expr::or } else { Expr::and };
        let mut filter = exprs.into_iter().reduce(combine).expect("at least one bound");
        // A needle besides: the records the bounds admit are searched for it (in runs, in CSV).
        if let Some(index) = row_wanted {
            filter = filter.and(ident("RemoteUrl").eq(lit(format!("row{index}"))));
        }
        let (on, _, _) = run(&paths, &tables, &filter, true);
        let (off, unparsed, _) = run(&paths, &tables, &filter, false);
        prop_assert_eq!(unparsed, 0);
        prop_assert_eq!(on, off);
    }
}

#[test]
fn records_outside_the_bounds_are_skipped_unparsed_and_the_plan_shows_the_bounds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rows: Vec<Row> = (0..6)
        .map(|second| Row {
            timestamp: Time::Plain { second, half: false },
            generated: Time::Absent,
            envelope: Time::Plain { second, half: true },
            nested: false,
            escaped_repeat: None,
        })
        .collect();
    let filter = bound_expr(&(false, 1, 4, false)).and(bound_expr(&(true, 2, 5, true)));
    for layout in [Layout::Ndjson, Layout::EventHub, Layout::Storage, Layout::Csv] {
        let (paths, tables) = write(dir.path(), &rows, layout);
        let (on, records, messages, plan) = run_counting_messages(&paths, &tables, &filter, true);
        // Timestamp >= :04 leaves :04 and :05 to parse (the strict `<` is tested as `<=`);
        // TimeGenerated < :05.5 then keeps :05 only where TimeGenerated is its Timestamp, not
        // the envelope's `time` (half a second later). An Event Hub message of rows :00 to :02
        // holds no time that can meet the bounds: it is skipped whole, unsplit.
        let expected = match layout {
            Layout::EventHub => (1, 1),
            _ => (4, 0),
        };
        assert_eq!((records, messages), expected, "{layout:?}: {on}");
        assert_eq!(on, run(&paths, &tables, &filter, false).0, "{layout:?}");
        assert!(on.contains("row4"), "{layout:?}: {on}");
        let envelope = matches!(layout, Layout::EventHub | Layout::Storage);
        assert_eq!(on.contains("row5"), !envelope, "{layout:?}: {on}");
        assert!(
            plan.contains("time_prefilter=(Timestamp>=2024-05-01T00:00:04.0000000Z and TimeGenerated<=2024-05-01T00:00:05.5000000Z)"),
            "{plan}"
        );
    }
}

/// In CSV the time fields are tested first and the needles searched only in the runs of records the
/// bounds admit: a needle found in such a run keeps its own record, wherever the run starts.
#[test]
fn needles_are_searched_in_the_records_the_time_bounds_admit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rows: Vec<Row> = (0..6)
        .map(|second| Row {
            timestamp: Time::Plain { second, half: false },
            generated: Time::Absent,
            envelope: Time::Absent,
            nested: false,
            escaped_repeat: None,
        })
        .collect();
    let (paths, tables) = write(dir.path(), &rows, Layout::Csv);
    for wanted in 0..6 {
        let filter = bound_expr(&(false, 1, 2, false))
            .and(bound_expr(&(false, 3, 4, false)))
            .and(ident("RemoteUrl").eq(lit(format!("row{wanted}"))));
        let (on, unparsed, _) = run(&paths, &tables, &filter, true);
        assert_eq!(on, run(&paths, &tables, &filter, false).0, "row{wanted}");
        let found = (2..=4).contains(&wanted);
        assert_eq!(on.contains(&format!("row{wanted}")), found, "row{wanted}: {on}");
        assert_eq!(unparsed, if found { 5 } else { 6 }, "row{wanted}");
    }
}
