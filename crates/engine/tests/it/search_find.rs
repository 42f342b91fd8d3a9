//! `search` and `find` run over `datatable`s: the documented term matching (case-insensitive `has`,
//! wildcards, `Col:"term"`), `$table`/`source_` naming each row's table, and `find`'s output columns,
//! with the data and results of the `find` docs' examples.

use serde_json::{Value, json};

use crate::support::{Answer, answer, run};

/// Small tables in the spirit of the `search` docs' ContosoSales examples.
const SALES: &str = r#"
let Customers = datatable (FirstName: string, LastName: string, CustomerKey: long) [
    "Aaron", "Sharma", 802,
    "Riley", "Hughes", 18285,
    "Mason", "Green", 16549,
    "Aaron", "Campbell", 10152,
    "Greenwood", "Smith", 7,
];
let Products = datatable (ProductName: string, ColorName: string) [
    "Contoso Clock Green", "Green",
    "Litware Fan E901 blue", "blue",
    "Litware Fan E902 Blue", "Blue",
    "Proseware Scanner", "Black",
];
"#;

/// EventsTable1 and EventsTable2 as the `find` docs list them.
const EVENTS: &str = r#"
let EventsTable1 = datatable (Session_Id: string, Level: string, EventText: string, Version: string) [
    "acbd207d-51aa-4df7-bfa7-be70eb68f04e", "Information", "Some Text1", "v1.0.0",
    "acbd207d-51aa-4df7-bfa7-be70eb68f04e", "Error", "Some Text2", "v1.0.0",
    "28b8e46e-3c31-43cf-83cb-48921c3986fc", "Error", "Some Text3", "v1.0.1",
    "8f057b11-3281-45c3-a856-05ebb18a3c59", "Information", "Some Text4", "v1.1.0",
];
let EventsTable2 = datatable (Session_Id: string, Level: string, EventText: string, EventName: string) [
    "f7d5f95f-f580-4ea6-830b-5776c8d64fdd", "Information", "Some Other Text1", "Event1",
    "acbd207d-51aa-4df7-bfa7-be70eb68f04e", "Information", "Some Other Text2", "Event2",
    "acbd207d-51aa-4df7-bfa7-be70eb68f04e", "Error", "Some Other Text3", "Event3",
    "15eaeab5-8576-4b58-8fc6-478f75d8fee4", "Error", "Some Other Text4", "Event4",
];
"#;

const SESSION: &str = "acbd207d-51aa-4df7-bfa7-be70eb68f04e";

/// The rows, sorted (union order is not part of the answer).
fn sorted(answer: &Answer) -> Vec<Vec<Value>> {
    let mut rows = answer.rows.clone();
    rows.sort_by_key(|row| row.iter().map(Value::to_string).collect::<Vec<_>>());
    rows
}

/// Column `index` of the rows, sorted.
async fn values(query: &str, column: &str) -> Vec<Value> {
    let result = answer(query).await;
    let index = result
        .columns
        .iter()
        .position(|c| c == column)
        .unwrap_or_else(|| panic!("no column {column} in {:?}", result.columns));
    let mut values: Vec<Value> = result.rows.iter().map(|row| row[index].clone()).collect();
    values.sort_by_key(Value::to_string);
    values
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_terms_are_case_insensitive_has_across_tables() {
    let found = answer(&format!(r#"{SALES} search in (Customers, Products) "green""#)).await;
    assert_eq!(
        found.columns,
        [
            "$table",
            "FirstName",
            "LastName",
            "CustomerKey",
            "ProductName",
            "ColorName"
        ]
    );
    assert_eq!(
        found.types,
        ["String", "String", "String", "Int64", "String", "String"]
    );
    // `has` matches whole terms: "Greenwood" is not the term "green". Missing columns are "" or null.
    assert_eq!(
        sorted(&found),
        [
            [
                json!("Customers"),
                json!("Mason"),
                json!("Green"),
                json!(16549),
                json!(""),
                json!("")
            ],
            [
                json!("Products"),
                json!(""),
                json!(""),
                Value::Null,
                json!("Contoso Clock Green"),
                json!("Green")
            ],
        ]
    );
    // Columns of other types are searched through their text.
    let by_key = values(&format!(r#"{SALES} search in (Customers) "802""#), "LastName").await;
    assert_eq!(by_key, [json!("Sharma")]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_kind_case_sensitive() {
    // The docs' "Case-sensitive search": only the lower-case "blue" rows.
    let found = values(
        &format!(r#"{SALES} search kind=case_sensitive in (Products) "blue""#),
        "ProductName",
    )
    .await;
    assert_eq!(found, [json!("Litware Fan E901 blue")]);
    let found = values(&format!(r#"{SALES} search in (Products) "blue""#), "ProductName").await;
    assert_eq!(
        found,
        [json!("Litware Fan E901 blue"), json!("Litware Fan E902 Blue")]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_column_terms_wildcards_and_boolean_predicates() {
    // The docs' "Search specific columns", over a piped table: `$table` names it.
    let found = answer(&format!(
        r#"{SALES} Customers | search FirstName:"aaron" or LastName:"Hughes""#
    ))
    .await;
    assert_eq!(found.columns[0], "$table");
    assert!(found.rows.iter().all(|row| row[0] == json!("Customers")));
    let mut names: Vec<Value> = found.rows.iter().map(|row| row[2].clone()).collect();
    names.sort_by_key(Value::to_string);
    assert_eq!(names, [json!("Campbell"), json!("Hughes"), json!("Sharma")]);

    // The docs' table: `x*` hasprefix, `*x` hassuffix, `*x*` contains, `a*b` a regex on term bounds.
    for (term, expected) in [
        ("green*", vec!["Green", "Smith"]),
        ("*wood", vec!["Smith"]),
        ("*reen*", vec!["Green", "Smith"]),
        ("gr*od", vec!["Smith"]),
        ("ma*on", vec!["Green"]),
    ] {
        let found = values(&format!(r#"{SALES} search in (Customers) "{term}""#), "LastName").await;
        assert_eq!(
            found,
            expected.iter().map(|v| json!(v)).collect::<Vec<_>>(),
            "{term}"
        );
    }
    let found = values(
        &format!(r#"{SALES} search in (Customers) LastName:"*ee*""#),
        "LastName",
    )
    .await;
    assert_eq!(found, [json!("Green")]);

    // Terms combine with ordinary predicates, `not`, `*` and `* op`.
    let queries = [
        (
            r#"search in (Customers) "aaron" and CustomerKey > 1000"#,
            vec!["Campbell"],
        ),
        (
            r#"Customers | search not("aaron") and not(LastName == "Smith")"#,
            vec!["Green", "Hughes"],
        ),
        (r#"Customers | search * hasprefix "hugh""#, vec!["Hughes"]),
        (
            r#"search in (Customers) CustomerKey < 10 or LastName has "sharma""#,
            vec!["Sharma", "Smith"],
        ),
    ];
    for (query, expected) in queries {
        let found = values(&format!("{SALES} {query}"), "LastName").await;
        assert_eq!(
            found,
            expected.iter().map(|v| json!(v)).collect::<Vec<_>>(),
            "{query}"
        );
    }
    let everything = answer(&format!("{SALES} Customers | search *")).await;
    assert_eq!(everything.rows.len(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn find_with_project_as_documented() {
    // The find docs' "Search in common and uncommon columns" (with the tables named).
    let found = answer(&format!(
        "{EVENTS} find in (EventsTable1, EventsTable2) where Version == 'v1.0.0' or EventName == 'Event1' \
         project Session_Id, EventText, Version, EventName"
    ))
    .await;
    assert_eq!(
        found.columns,
        ["source_", "Session_Id", "EventText", "Version", "EventName"]
    );
    assert_eq!(
        sorted(&found),
        [
            ["EventsTable1", SESSION, "Some Text1", "v1.0.0", ""],
            ["EventsTable1", SESSION, "Some Text2", "v1.0.0", ""],
            [
                "EventsTable2",
                "f7d5f95f-f580-4ea6-830b-5776c8d64fdd",
                "Some Other Text1",
                "",
                "Event1"
            ],
        ]
        .map(|row| row.map(|v| json!(v)).to_vec())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn find_project_smart_packs_the_rest() {
    // The find docs' "Use abbreviated notation": common columns, the rest packed per table.
    let found = answer(&format!(
        "{EVENTS} find withsource=Table in (EventsTable1, EventsTable2) where Session_Id == '{SESSION}'"
    ))
    .await;
    assert_eq!(
        found.columns,
        ["Table", "Session_Id", "Level", "EventText", "pack_"]
    );
    assert_eq!(found.types[4], "Object");
    assert_eq!(
        sorted(&found),
        [
            [
                json!("EventsTable1"),
                json!(SESSION),
                json!("Error"),
                json!("Some Text2"),
                json!({"Version": "v1.0.0"})
            ],
            [
                json!("EventsTable1"),
                json!(SESSION),
                json!("Information"),
                json!("Some Text1"),
                json!({"Version": "v1.0.0"})
            ],
            [
                json!("EventsTable2"),
                json!(SESSION),
                json!("Error"),
                json!("Some Other Text3"),
                json!({"EventName": "Event3"})
            ],
            [
                json!("EventsTable2"),
                json!(SESSION),
                json!("Information"),
                json!("Some Other Text2"),
                json!({"EventName": "Event2"})
            ],
        ]
    );
    // "Return the results from each row as a property bag".
    let bags = answer(&format!(
        "{EVENTS} find in (EventsTable1, EventsTable2) where Session_Id == '{SESSION}' and Level == 'Error' \
         project pack_all()"
    ))
    .await;
    assert_eq!(bags.columns, ["source_", "pack_"]);
    assert_eq!(
        sorted(&bags),
        [
            [
                json!("EventsTable1"),
                json!({"Session_Id": SESSION, "Level": "Error", "EventText": "Some Text2", "Version": "v1.0.0"})
            ],
            [
                json!("EventsTable2"),
                json!({"Session_Id": SESSION, "Level": "Error", "EventText": "Some Other Text3", "EventName": "Event3"})
            ],
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn find_terms_and_left_out_tables() {
    // A term searches every column; the docs' term lookup.
    let found = answer(&format!(
        r#"{EVENTS} find in (EventsTable1, EventsTable2) where "text3""#
    ))
    .await;
    assert_eq!(
        found.columns,
        ["source_", "Session_Id", "Level", "EventText", "pack_"]
    );
    // `has` matches the term in both tables' texts.
    let sources_and_texts: Vec<Vec<Value>> = sorted(&found)
        .into_iter()
        .map(|row| vec![row[0].clone(), row[3].clone()])
        .collect();
    assert_eq!(
        sources_and_texts,
        [
            [json!("EventsTable1"), json!("Some Text3")],
            [json!("EventsTable2"), json!("Some Other Text3")]
        ]
    );
    // Only EventsTable1 has `Version`: EventsTable2 is left out, and its columns with it.
    let found = answer(&format!(
        "{EVENTS} find in (EventsTable1, EventsTable2) where Version == 'v1.1.0' project-smart"
    ))
    .await;
    assert_eq!(
        found.columns,
        ["source_", "Session_Id", "Level", "EventText", "Version"]
    );
    assert_eq!(found.rows.len(), 1);
    // A projected column converted to the given type.
    let typed = answer(&format!(
        "{EVENTS} let N = datatable (A: long) [1, 2]; find in (N) where A > 1 project A:string"
    ))
    .await;
    assert_eq!(
        (typed.types, typed.rows),
        (vec!["String", "String"], vec![vec![json!("N"), json!("2")]])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_variants_say_what_is_refused() {
    for (query, expected) in [
        (
            format!("{EVENTS} find in (EventsTable1) where Level == 'Error' project EventText, pack_all()"),
            "not supported yet: `find ... project Columns, pack_all()`",
        ),
        (
            format!("{EVENTS} EventsTable1 | find where Level == 'Error'"),
            "`find` after a pipe",
        ),
        (
            format!("{SALES} search \"x\""),
            "looks in every table, and there are none",
        ),
        (format!("{SALES} Customers | where FirstName:\"x\""), "`:`"),
    ] {
        let error = run(&query).await.err().unwrap_or_else(|| panic!("{query} ran"));
        assert!(error.contains(expected), "{query}\n{error}");
    }
}
