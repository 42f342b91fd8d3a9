//! Statements and tabular operators, in the syntax of the Kusto docs, with the spans of chosen nodes.

use kql_syntax::ast::{
    BinaryOp, ExprKind, FindOutput, LetValue, NullsOrder, OperatorKind, ParameterType, ParseKind, ParsePart,
    SortOrder, StatementKind,
};
use kql_syntax::span::Span;

use crate::support::{last_expr, last_operator, parse_ok};

/// Asserts that each span covers the expected text of `source`.
fn assert_texts(source: &str, spans: &[(Span, &str)]) {
    for (span, expected) in spans {
        assert_eq!(span.text(source), *expected);
    }
}

#[test]
fn where_project_extend_family() {
    let source =
        "T | where x > 1 | filter y | project a, b = c + 1 | extend (p, q) = f(x) | project-away Col*, *Id";
    let query = parse_ok(source);
    assert_eq!(query.span.text(source), source);
    let operator = last_operator(source);
    assert_texts(source, &[(operator.span, "project-away Col*, *Id")]);
    let OperatorKind::ProjectAway(names) = operator.kind else {
        panic!("not project-away")
    };
    assert_eq!(
        names.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(),
        ["Col*", "*Id"]
    );

    let source = "T | extend (p, q) = f(x), r = 1";
    let OperatorKind::Extend(columns) = last_operator(source).kind else {
        panic!("not extend")
    };
    assert_eq!(
        columns[0]
            .names
            .iter()
            .map(|n| n.name.as_str())
            .collect::<Vec<_>>(),
        ["p", "q"]
    );
    assert_texts(
        source,
        &[(columns[0].span, "(p, q) = f(x)"), (columns[1].expr.span, "1")],
    );

    let source = "T | project-rename New = Old, ['b c'] = d";
    let OperatorKind::ProjectRename(pairs) = last_operator(source).kind else {
        panic!("not project-rename")
    };
    assert_eq!((pairs[1].0.name.as_str(), pairs[1].1.name.as_str()), ("b c", "d"));

    let OperatorKind::ProjectKeep(names) = last_operator("T | project-keep a*").kind else {
        panic!()
    };
    assert_eq!(names[0].name, "a*");
    let OperatorKind::ProjectReorder(columns) = last_operator("T | project-reorder b desc, a*").kind else {
        panic!("not project-reorder")
    };
    assert_eq!(
        (columns[0].1, columns[1].0.name.as_str()),
        (Some(SortOrder::Desc), "a*")
    );
}

#[test]
fn summarize_with_names_and_bins() {
    let source = "T | summarize hint.strategy=shuffle n = count(), (t, v) = arg_max(ts, v), dcount(x) \
                  by bin(Timestamp, 1h), Dev = tolower(DeviceName)";
    let OperatorKind::Summarize {
        params,
        aggregates,
        by,
    } = last_operator(source).kind
    else {
        panic!("not summarize")
    };
    assert_eq!(params[0].name.name, "hint.strategy");
    assert_eq!(aggregates.len(), 3);
    assert_texts(
        source,
        &[
            (aggregates[1].span, "(t, v) = arg_max(ts, v)"),
            (by[0].span, "bin(Timestamp, 1h)"),
            (by[1].names[0].span, "Dev"),
        ],
    );
    let OperatorKind::Summarize { aggregates, by, .. } = last_operator("T | summarize by x").kind else {
        panic!()
    };
    assert!(aggregates.is_empty() && by.len() == 1);
}

#[test]
fn join_forms() {
    for kind in [
        "inner",
        "innerunique",
        "leftouter",
        "rightouter",
        "fullouter",
        "leftanti",
        "rightanti",
        "leftsemi",
        "rightsemi",
        "anti",
        "leftantisemi",
    ] {
        let source = format!("T | join kind={kind} hint.remote=auto (U | where x > 1) on Key");
        let OperatorKind::Join { params, right, on } = last_operator(&source).kind else {
            panic!("not join")
        };
        assert_eq!(params.len(), 2);
        assert_eq!(right.span.text(&source), "(U | where x > 1)");
        assert_eq!(on.len(), 1);
    }
    let source = "T | join U on $left.a == $right.b and $left.c == $right.d, e";
    let OperatorKind::Join { right, on, .. } = last_operator(source).kind else {
        panic!("not join")
    };
    assert!(matches!(right.kind, ExprKind::Name(ref n) if n.name == "U"));
    let texts: Vec<&str> = on.iter().map(|c| c.span.text(source)).collect();
    assert_eq!(texts, ["$left.a == $right.b", "$left.c == $right.d", "e"]);

    let source = "T | lookup kind=leftouter (U) on k";
    assert!(
        matches!(last_operator(source).kind, OperatorKind::Lookup { ref params, .. } if params.len() == 1)
    );
}

#[test]
fn union_forms() {
    let source = "union kind=outer withsource=SourceTable isfuzzy=true Device*, (T | take 1), U";
    let operator = last_operator(source);
    assert_texts(source, &[(operator.span, source)]);
    let OperatorKind::Union { params, tables } = operator.kind else {
        panic!("not union")
    };
    let names: Vec<&str> = params.iter().map(|p| p.name.name.as_str()).collect();
    assert_eq!(names, ["kind", "withsource", "isfuzzy"]);
    let texts: Vec<&str> = tables.iter().map(|t| t.span.text(source)).collect();
    assert_eq!(texts, ["Device*", "(T | take 1)", "U"]);
    assert!(matches!(
        last_operator("T | union U").kind,
        OperatorKind::Union { .. }
    ));
    // Tables of other databases by pattern parse (as members of `database()`, which the binder refuses).
    let source = "union *, database(\"OtherDb*\").*Table, database('S').C*";
    let OperatorKind::Union { tables, .. } = last_operator(source).kind else {
        panic!("not union")
    };
    let texts: Vec<&str> = tables.iter().map(|t| t.span.text(source)).collect();
    assert_eq!(texts, ["*", "database(\"OtherDb*\").*Table", "database('S').C*"]);
    assert!(matches!(&tables[2].kind, ExprKind::Member { name, .. } if name.name == "C*"));
}

#[test]
fn row_selection_and_order() {
    assert!(matches!(
        last_operator("T | distinct *").kind,
        OperatorKind::Distinct { all: true, .. }
    ));
    assert!(
        matches!(last_operator("T | distinct a, b").kind, OperatorKind::Distinct { ref columns, .. } if columns.len() == 2)
    );
    assert!(matches!(last_operator("T | take 10").kind, OperatorKind::Take(_)));
    assert!(matches!(
        last_operator("T | limit 10").kind,
        OperatorKind::Take(_)
    ));
    let source = "T | top 5 by x desc nulls first";
    let OperatorKind::Top { count, by } = last_operator(source).kind else {
        panic!("not top")
    };
    assert_texts(source, &[(count.span, "5"), (by[0].span, "x desc nulls first")]);
    assert_eq!(
        (by[0].order, by[0].nulls),
        (Some(SortOrder::Desc), Some(NullsOrder::First))
    );
    let OperatorKind::Sort(keys) = last_operator("T | order by a asc nulls last, b").kind else {
        panic!()
    };
    assert_eq!(
        (keys[0].order, keys[0].nulls, keys[1].order),
        (Some(SortOrder::Asc), Some(NullsOrder::Last), None)
    );
    assert!(matches!(
        last_operator("T | sort by a").kind,
        OperatorKind::Sort(_)
    ));
    assert!(matches!(last_operator("T | count").kind, OperatorKind::Count));
    assert!(matches!(
        last_operator("T | getschema").kind,
        OperatorKind::GetSchema
    ));
    assert!(
        matches!(last_operator("T | as hint.materialized=true X").kind, OperatorKind::As { ref name, .. } if name.name == "X")
    );
    assert!(matches!(
        last_operator("T | sample 5").kind,
        OperatorKind::Sample(_)
    ));
    assert!(matches!(
        last_operator("T | sample-distinct 5 of c").kind,
        OperatorKind::SampleDistinct { .. }
    ));
    assert!(matches!(last_operator("T | serialize").kind, OperatorKind::Serialize(ref c) if c.is_empty()));
    assert!(
        matches!(last_operator("T | serialize n = row_number()").kind, OperatorKind::Serialize(ref c) if c.len() == 1)
    );
    assert!(matches!(
        last_operator("T | invoke f(1)").kind,
        OperatorKind::Invoke(_)
    ));
}

#[test]
fn source_operators() {
    let source = "datatable(Name:string, ['n 2']:long)['a', 1, 'b', 2,]";
    let OperatorKind::Datatable { columns, values } = last_operator(source).kind else {
        panic!("not datatable")
    };
    assert_eq!(
        (columns[1].name.name.as_str(), columns[1].ty.name.as_str()),
        ("n 2", "long")
    );
    assert_eq!(values.len(), 4);

    let source = "externaldata(ip:string, port:int) [h@'https://example.com/a.csv', 'https://b'] \
                  with (ignoreFirstRecord=true, format=\"csv\")";
    let OperatorKind::ExternalData {
        columns,
        uris,
        options,
    } = last_operator(source).kind
    else {
        panic!()
    };
    assert_eq!((columns.len(), uris.len(), options.len()), (2, 2, 2));
    assert_texts(source, &[(options[1].span, "format=\"csv\"")]);
    assert!(matches!(
        last_operator("external_data(a:string)['u']").kind,
        OperatorKind::ExternalData { .. }
    ));

    let OperatorKind::Print(columns) = last_operator("print x = 1, 2").kind else {
        panic!()
    };
    assert_eq!(columns[0].names[0].name, "x");
    let source = "range x from 1 to 10 step 2";
    let OperatorKind::Range { name, step, .. } = last_operator(source).kind else {
        panic!()
    };
    assert_eq!((name.name.as_str(), step.span.text(source)), ("x", "2"));

    let source = "search kind=case_sensitive in (T, U*) \"needle\"";
    let OperatorKind::Search {
        params,
        tables,
        predicate,
    } = last_operator(source).kind
    else {
        panic!()
    };
    assert_eq!(
        (params.len(), tables.len(), predicate.span.text(source)),
        (1, 2, "\"needle\"")
    );
    let source = "find withsource=Table in (T, U) where x == 1 project a, b";
    let OperatorKind::Find { tables, output, .. } = last_operator(source).kind else {
        panic!()
    };
    let FindOutput::Project { columns, pack_all } = output else {
        panic!()
    };
    assert_eq!((tables.len(), columns.len(), pack_all), (2, 2, None));
    let source = "T | evaluate hint.distribution=per_node bag_unpack(d)";
    let OperatorKind::Evaluate {
        params,
        plugin,
        schema,
    } = last_operator(source).kind
    else {
        panic!()
    };
    assert_eq!((params.len(), plugin.span.text(source)), (1, "bag_unpack(d)"));
    assert!(schema.is_none());
    // bag_unpack docs: `T | evaluate bag_unpack(Column) : (*, ColumnName:ColumnType, ...)`.
    let source = "T | evaluate bag_unpack(d) : (*, Name:string, Age:long)";
    let OperatorKind::Evaluate { schema, .. } = last_operator(source).kind else {
        panic!()
    };
    let schema = schema.expect("output schema");
    assert!(schema.keeps_input);
    let columns: Vec<(&str, &str)> = schema
        .columns
        .iter()
        .map(|c| (c.name.name.as_str(), c.ty.name.as_str()))
        .collect();
    assert_eq!(columns, [("Name", "string"), ("Age", "long")]);
    assert_eq!(schema.span.text(source), "(*, Name:string, Age:long)");
}

/// The search predicate forms of the `search` docs: `Col:"term"` binds like a comparison.
#[test]
fn search_column_terms() {
    let source = "search FirstName:\"Aaron\" or LastName:\"Hughes\"";
    let OperatorKind::Search { predicate, .. } = last_operator(source).kind else {
        panic!()
    };
    let ExprKind::Binary {
        op: BinaryOp::Or,
        left,
        right,
    } = predicate.kind
    else {
        panic!("not an `or`: {predicate:?}")
    };
    for (side, text) in [(left, "FirstName:\"Aaron\""), (right, "LastName:\"Hughes\"")] {
        assert!(matches!(
            side.kind,
            ExprKind::Binary {
                op: BinaryOp::ColumnTerm,
                ..
            }
        ));
        assert_eq!(side.span.text(source), text);
    }
    for source in [
        "T | search \"Green\" and (\"Deluxe\" or \"Proseware\")",
        "search in (T1, T2, A*) \"err\"",
        "search *",
        "search kind=case_sensitive * has \"x\" and not(C:\"y*\")",
    ] {
        parse_ok(source);
    }
    // Outside search predicates `:` is no operator.
    let errors = kql_syntax::parse("T | where Col:\"x\"").expect_err("`:` in where");
    assert_eq!(errors[0].span.text("T | where Col:\"x\""), ":");
}

/// The `find` forms of the docs: `project` with types and `pack_all()`, `project-smart`, the short form.
#[test]
fn find_outputs() {
    let source = "find in (EventsTable1, EventsTable2) where Level == 'Error' \
                  project EventText, ProcessId:string, pack_all()";
    let OperatorKind::Find { output, .. } = last_operator(source).kind else {
        panic!()
    };
    let FindOutput::Project { columns, pack_all } = output else {
        panic!("not project")
    };
    let names: Vec<(&str, Option<&str>)> = columns
        .iter()
        .map(|c| (c.name.name.as_str(), c.ty.as_ref().map(|t| t.name.as_str())))
        .collect();
    assert_eq!(names, [("EventText", None), ("ProcessId", Some("string"))]);
    assert_eq!(pack_all.map(|span| span.text(source)), Some("pack_all()"));
    assert_eq!(columns[1].span.text(source), "ProcessId:string");

    let source = "find Session_Id == 'acbd' project pack_all()";
    let OperatorKind::Find {
        predicate, output, ..
    } = last_operator(source).kind
    else {
        panic!()
    };
    assert_eq!(predicate.span.text(source), "Session_Id == 'acbd'");
    assert!(matches!(output, FindOutput::Project { columns, pack_all: Some(_) } if columns.is_empty()));
    for source in [
        "find in (T) where x > 1 project-smart",
        "find withsource=S where \"x\"",
    ] {
        let OperatorKind::Find { output, .. } = last_operator(source).kind else {
            panic!()
        };
        assert_eq!(output, FindOutput::Smart);
    }
    // With tables, `where` is required.
    assert!(kql_syntax::parse("find in (T) x > 1").is_err());
}

#[test]
fn view_functions() {
    let query = parse_ok("let v = view () { T }; let f = () { T }; v");
    let views: Vec<bool> = query
        .statements
        .iter()
        .filter_map(|statement| match &statement.kind {
            StatementKind::Let {
                value: LetValue::Function(def),
                ..
            } => Some(def.is_view),
            _ => None,
        })
        .collect();
    assert_eq!(views, [true, false]);
}

#[test]
fn expand_and_parse() {
    let source = "T | mv-expand with_itemindex=i a = arr to typeof(string), b limit 10";
    let OperatorKind::MvExpand { params, items, limit } = last_operator(source).kind else {
        panic!()
    };
    assert_eq!(params[0].name.name, "with_itemindex");
    assert_eq!(items[0].to_type.as_ref().map(|t| t.name.as_str()), Some("string"));
    assert_texts(
        source,
        &[
            (items[0].span, "a = arr to typeof(string)"),
            (limit.expect("limit").span, "10"),
        ],
    );
    assert!(matches!(
        last_operator("T | mvexpand x").kind,
        OperatorKind::MvExpand { .. }
    ));

    let source = "T | mv-apply x to typeof(long) on (summarize s = sum(x) | top 1 by s)";
    let OperatorKind::MvApply { subquery, .. } = last_operator(source).kind else {
        panic!("not mv-apply")
    };
    assert_eq!(subquery.span.text(source), "summarize s = sum(x) | top 1 by s");
    let ExprKind::Pipe { input, .. } = subquery.kind else {
        panic!("not a pipe")
    };
    let ExprKind::Pipe { input, .. } = input.kind else {
        panic!("not a pipe")
    };
    assert!(matches!(input.kind, ExprKind::ImplicitInput));

    let source = r#"T | parse kind=regex flags=Ui Msg with * "id=" Id:long "," Rest"#;
    let OperatorKind::Parse {
        where_,
        kind,
        flags,
        pattern,
        ..
    } = last_operator(source).kind
    else {
        panic!()
    };
    assert_eq!(
        (where_, kind, flags.as_deref()),
        (false, ParseKind::Regex, Some("Ui"))
    );
    assert!(matches!(pattern[0], ParsePart::Wildcard(span) if span.text(source) == "*"));
    assert!(
        matches!(pattern[2], ParsePart::Column { ref name, ty: Some(ref ty) } if name.name == "Id" && ty.name == "long")
    );
    assert_eq!(pattern.len(), 5);
    let OperatorKind::Parse { where_, kind, .. } =
        last_operator("T | parse-where kind=relaxed x with a ',' b").kind
    else {
        panic!()
    };
    assert_eq!((where_, kind), (true, ParseKind::Relaxed));
}

/// `parse-kv` in the page's three forms: keys with types, and the options as written.
#[test]
fn parse_kv_keys_and_options() {
    let source = r#"T | parse-kv Msg as (['event time']:datetime, src:string) with (pair_delimiter=' ', kv_delimiter='=', quote='"', greedy=true)"#;
    let OperatorKind::ParseKv { expr, keys, options } = last_operator(source).kind else {
        panic!("not parse-kv")
    };
    assert_eq!(expr.span.text(source), "Msg");
    let keys: Vec<_> = keys
        .iter()
        .map(|k| (k.name.name.as_str(), k.ty.name.as_str()))
        .collect();
    assert_eq!(keys, vec![("event time", "datetime"), ("src", "string")]);
    let names: Vec<_> = options.iter().map(|o| o.name.name.as_str()).collect();
    assert_eq!(names, vec!["pair_delimiter", "kv_delimiter", "quote", "greedy"]);
    assert_eq!(options[3].span.text(source), "greedy=true");
    // Without delimiters there is no `with`.
    let OperatorKind::ParseKv { options, .. } = last_operator("T | parse-kv Msg as (Text:string)").kind
    else {
        panic!("not parse-kv")
    };
    assert!(options.is_empty());
    // Kusto.Language requires a type for every key.
    crate::support::parse_err("T | parse-kv Msg as (Text)");
}

#[test]
fn series_nesting_and_subqueries() {
    let source = "T | make-series n = count() default = 0 on Timestamp from ago(1d) to now() step 1h by Dev";
    let OperatorKind::MakeSeries {
        aggregates,
        range,
        by,
        ..
    } = last_operator(source).kind
    else {
        panic!()
    };
    let names: Vec<&str> = range.iter().map(|p| p.name.name.as_str()).collect();
    assert_eq!((names, by.len()), (vec!["from", "to", "step"], 1));
    // `default = 0` belongs to its aggregate.
    assert_texts(
        source,
        &[(
            aggregates[0].default.as_ref().map(|d| d.span).unwrap_or_default(),
            "0",
        )],
    );

    let source = "T | top-nested 3 of a by c = count() desc, top-nested of b with others = -1 by sum(x)";
    let OperatorKind::TopNested(levels) = last_operator(source).kind else {
        panic!()
    };
    assert_eq!(levels.len(), 2);
    assert_texts(
        source,
        &[(levels[1].span, "top-nested of b with others = -1 by sum(x)")],
    );
    assert_eq!(
        (levels[0].order, levels[1].count.is_none()),
        (Some(SortOrder::Desc), true)
    );

    let source = "T | facet by a, b with (where x > 1 | take 3)";
    assert!(
        matches!(last_operator(source).kind, OperatorKind::Facet { ref columns, with: Some(_) } if columns.len() == 2)
    );
    let source = "T | partition hint.strategy=native by k (top 1 by t)";
    assert!(matches!(last_operator(source).kind, OperatorKind::Partition { ref by, .. } if by.name == "k"));
    let source = "T | partition by k { U | where x == toscalar(k) }";
    assert!(matches!(
        last_operator(source).kind,
        OperatorKind::Partition { .. }
    ));
    let source = "T | fork (project x) named = (take 1)";
    let OperatorKind::Fork(branches) = last_operator(source).kind else {
        panic!()
    };
    assert_eq!(branches[1].names[0].name, "named");

    let source = "T | scan with_match_id=m declare (s: long = 0) with (step a output=none: x > 1 => s = x; step b: true;)";
    let OperatorKind::Scan {
        params,
        declare,
        steps,
    } = last_operator(source).kind
    else {
        panic!()
    };
    assert_eq!((params.len(), declare.len(), steps.len()), (1, 1, 2));
    assert_texts(source, &[(steps[0].span, "step a output=none: x > 1 => s = x")]);
    let source = "T | reduce by Msg with threshold=0.1, characters='X'";
    assert!(
        matches!(last_operator(source).kind, OperatorKind::Reduce { ref options, .. } if options.len() == 2)
    );
}

#[test]
fn render_properties() {
    let source = "T | render timechart with (title='t', ycolumns=a, b, kind=stacked)";
    let OperatorKind::Render { chart, options } = last_operator(source).kind else {
        panic!()
    };
    assert_eq!(chart.name, "timechart");
    let names: Vec<&str> = options.iter().map(|o| o.name.name.as_str()).collect();
    assert_eq!(names, ["title", "ycolumns", "ycolumns", "kind"]);
    assert!(
        matches!(last_operator("T | render piechart").kind, OperatorKind::Render { ref options, .. } if options.is_empty())
    );
}

#[test]
fn statements() {
    let source = "set query_now = datetime(2024-01-01);\n\
                  declare query_parameters(limit:long = 10);\n\
                  let n = 5;\n\
                  let T2 = T | take n;\n\
                  let T3 = (T | take 1);\n\
                  let f = (a:string, b:long = 5) { let c = a; T | where x == c };\n\
                  let g = (T:(*), U:(x:long)) { T };\n\
                  let v = view () { T };\n\
                  let m = materialize(T | take 1);\n\
                  let s = toscalar(T | count);\n\
                  f('x') | take 1;";
    let query = parse_ok(source);
    assert_eq!(query.statements.len(), 11);
    assert!(
        matches!(query.statements[0].kind, StatementKind::Set { ref name, value: Some(_) } if name.name == "query_now")
    );
    assert!(
        matches!(query.statements[1].kind, StatementKind::DeclareQueryParameters { ref parameters } if parameters.len() == 1)
    );
    assert_texts(source, &[(query.statements[2].span, "let n = 5")]);
    let StatementKind::Let {
        value: LetValue::Function(f),
        ..
    } = &query.statements[5].kind
    else {
        panic!()
    };
    assert_eq!((f.parameters.len(), f.body.len()), (2, 2));
    assert!(f.parameters[1].default.is_some());
    assert_texts(
        source,
        &[(f.span, "(a:string, b:long = 5) { let c = a; T | where x == c }")],
    );
    let StatementKind::Let {
        value: LetValue::Function(g),
        ..
    } = &query.statements[6].kind
    else {
        panic!()
    };
    assert!(matches!(
        g.parameters[0].ty,
        ParameterType::Tabular { any: true, .. }
    ));
    assert!(
        matches!(g.parameters[1].ty, ParameterType::Tabular { any: false, ref columns } if columns.len() == 1)
    );
    assert!(matches!(
        query.statements[7].kind,
        StatementKind::Let {
            value: LetValue::Function(_),
            ..
        }
    ));
    assert!(matches!(last_expr("T | take 1;").kind, ExprKind::Pipe { .. }));
    assert!(parse_ok("set notruncation; T").statements.len() == 2);
}

#[test]
fn every_listed_operator_is_dispatched() {
    // Operators a subquery may start with are the ones `|` dispatches; each parses in its simplest form.
    let sources = [
        "T | where a",
        "T | filter a",
        "T | project a",
        "T | project-away a",
        "T | project-keep a",
        "T | project-rename a = b",
        "T | project-reorder a",
        "T | extend a = 1",
        "T | summarize count()",
        "T | distinct a",
        "T | take 1",
        "T | limit 1",
        "T | top 1 by a",
        "T | sort by a",
        "T | order by a",
        "T | count",
        "T | as X",
        "T | getschema",
        "T | serialize",
        "T | sample 1",
        "T | sample-distinct 1 of a",
        "T | invoke f()",
        "T | render table",
        "T | join U on a",
        "T | lookup U on a",
        "T | mv-expand a",
        "T | mvexpand a",
        "T | mv-apply a on (take 1)",
        "T | mvapply a on (take 1)",
        "T | parse a with b",
        "T | parse-where a with b",
        "T | make-series count() on t step 1h",
        "T | top-nested 1 of a by count()",
        "T | facet by a",
        "T | scan with (step s: true;)",
        "T | reduce by a",
        "T | partition by a (take 1)",
        "T | fork (take 1)",
    ];
    for source in sources {
        parse_ok(source);
    }
}
