//! The bound query: a tree of relational operators over typed scalar expressions, with every name
//! resolved and every output column named and typed as Kusto names and types it. The planner lowers it
//! one node at a time; nothing here refers to text any more except spans for later diagnostics.

use kql_syntax::Span;
use kql_types::KustoType;

use crate::column::Column;

/// A query ready for planning: its result relation.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundQuery {
    pub root: Relation,
}

impl BoundQuery {
    /// The result columns, with Kusto names and types.
    pub fn columns(&self) -> &[Column] {
        &self.root.columns
    }
}

/// A tabular value: an operator with its output columns (names unique, in order).
#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    pub kind: RelationKind,
    pub columns: Vec<Column>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RelationKind {
    /// A catalog table, scanned with all its columns.
    Table {
        name: String,
    },
    /// `externaldata`: the declared columns, the URIs and the `with (...)` options (names lower-cased).
    ExternalData {
        uris: Vec<String>,
        options: Vec<(String, String)>,
    },
    /// Literal rows (`datatable`, `getschema`), one value per column.
    Values {
        rows: Vec<Vec<Value>>,
    },
    /// One row without columns: the input of `print`.
    SingleRow,
    /// `range`: one column from `from` to `to` inclusive, by `step`.
    Range {
        from: BoundExpr,
        to: BoundExpr,
        step: BoundExpr,
    },
    Filter {
        input: Box<Relation>,
        predicate: BoundExpr,
    },
    /// One expression per output column.
    Project {
        input: Box<Relation>,
        exprs: Vec<BoundExpr>,
    },
    /// Output columns: the keys, then one column per aggregate.
    Summarize {
        input: Box<Relation>,
        keys: Vec<BoundExpr>,
        aggregates: Vec<AggregateCall>,
    },
    /// `summarize arg_max(by, cols...)`/`arg_min`: the row with the extreme `by` per key group.
    /// Output columns: the keys, then `outputs` (the first one is `by` itself).
    ArgExtreme {
        input: Box<Relation>,
        keys: Vec<BoundExpr>,
        by: BoundExpr,
        max: bool,
        outputs: Vec<BoundExpr>,
    },
    /// A join; output columns are described by `output`.
    Join {
        left: Box<Relation>,
        right: Box<Relation>,
        kind: JoinKind,
        /// Equality conditions: (left column index, right column index).
        keys: Vec<(usize, usize)>,
        /// A further condition on each pair of rows (the lookup plugins' match).
        condition: Option<JoinCondition>,
        output: Vec<JoinOutput>,
    },
    /// Inputs already projected to the union's columns, in order.
    Union {
        inputs: Vec<Relation>,
    },
    Distinct {
        input: Box<Relation>,
    },
    Take {
        input: Box<Relation>,
        count: u64,
    },
    /// `sort` (no limit) and `top` (with a limit).
    Sort {
        input: Box<Relation>,
        keys: Vec<SortKey>,
        limit: Option<u64>,
    },
    Count {
        input: Box<Relation>,
    },
    /// `mv-expand`: each listed input column (by index) expanded in parallel, converted to its output
    /// type (the column's type in `columns`); rows of the other columns repeat. A bag expands into
    /// single-property bags, or into `[key, value]` arrays when `bag_as_array` (`kind=array`). With
    /// `item_index` (`with_itemindex=`), the last output column is each element's 0-based index.
    MvExpand {
        input: Box<Relation>,
        expanded: Vec<usize>,
        limit: Option<u64>,
        bag_as_array: bool,
        item_index: bool,
    },
    /// `mv-apply`: `expand` (an `MvExpand`) turns each input row into a subtable, `subquery` runs on
    /// each subtable separately (its leaf is an [`RelationKind::ImplicitInput`] with the subtable's
    /// columns), and each output column comes from the row's non-expanded input columns (`Left`,
    /// indexes into the `MvExpand`'s input) or from the subquery's result (`Right`).
    MvApply {
        expand: Box<Relation>,
        subquery: Box<Relation>,
        output: Vec<JoinOutput>,
    },
    /// The rows an enclosing operator feeds a subquery (`mv-apply ... on (take 1)`).
    ImplicitInput,
    /// `parse`/`parse-where`: `regex` is matched against `source`; each capture fills one column
    /// (appended after the input's, or replacing a same-named one). Rows that do not match keep empty
    /// values, or are dropped when `drop_unmatched`.
    Parse {
        input: Box<Relation>,
        source: BoundExpr,
        regex: String,
        captures: Vec<ParseCapture>,
        drop_unmatched: bool,
    },
    /// `top-nested`: per level, the output columns are the level's key and its value.
    TopNested {
        input: Box<Relation>,
        levels: Vec<TopNestedLevel>,
    },
    /// `make-series` with an explicit axis `from start to end step step`: per group of `keys`, one
    /// array per aggregate holding each bin's result (`defaults` for bins without rows), then the
    /// array of bin starts. Output columns: the keys, the aggregate arrays, the axis array.
    MakeSeries {
        input: Box<Relation>,
        keys: Vec<BoundExpr>,
        aggregates: Vec<SeriesAggregate>,
        axis: Box<SeriesAxis>,
        /// `kind=nonempty`: an empty input still gives one row of defaults (only without keys).
        nonempty: bool,
    },
    /// `scan`: the serialized input matched row by row against `steps` (see [`ScanStep`]). Output
    /// columns: the input's, then the declared columns, then the match id when `match_id`.
    Scan {
        input: Box<Relation>,
        /// Each declared column's value when a step does not assign it (typed, possibly null).
        declared: Vec<Value>,
        steps: Vec<ScanStep>,
        match_id: bool,
    },
}

/// One `scan` step. Its condition and assignments are bound over the scan row: the input's columns,
/// then a state column `Step.Column` (see [`scan_state_column`]) for every step and every input or
/// declared column, holding the value in the state the step is checked against.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanStep {
    pub name: String,
    pub condition: BoundExpr,
    /// (declared column index, value) for each `=> Column = value`.
    pub assignments: Vec<(usize, BoundExpr)>,
    /// `output=none` steps match without adding rows to the output.
    pub emits: bool,
}

/// The name of the scan-row column holding `column`'s value in the state of step `step`.
pub fn scan_state_column(step: &str, column: &str) -> String {
    format!("{step}.{column}")
}

/// One column a `parse` pattern extracts: the capture group of `regex` holding it (counted in the
/// whole regex, so groups the pattern's own regex text opens in `kind=regex` come first) and the
/// output column it fills.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseCapture {
    pub group: usize,
    pub column: usize,
}

/// One level of `top-nested`: rows are grouped by `key` within the groups the earlier levels kept,
/// ranked by `value` (over the `aggregates`' results), and the first `limit` kept. With `others`, one
/// more row holds the value over the rows of the groups not kept.
#[derive(Debug, Clone, PartialEq)]
pub struct TopNestedLevel {
    pub key: BoundExpr,
    /// Each aggregate with the name of the column holding its result (unique across levels).
    pub aggregates: Vec<(String, AggregateCall)>,
    /// The level's value: an expression over the aggregate columns (`sum(x)`, `sum(x) / count()`).
    pub value: BoundExpr,
    pub limit: Option<u64>,
    pub descending: bool,
    /// The key the `with others` row shows, converted to the key's type.
    pub others: Option<Value>,
}

/// One `make-series` aggregate: the call, and the value of bins without rows.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesAggregate {
    pub call: AggregateCall,
    pub default: Value,
}

/// The `make-series` axis: `on` the input expression, bins `start + k * step` for `start <= bin < end`.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesAxis {
    pub on: BoundExpr,
    pub start: BoundExpr,
    pub end: BoundExpr,
    pub step: BoundExpr,
}

/// A lookup plugin's join condition on a pair of rows: `function(columns...)` holds (a bool
/// function: `ipv4_is_in_range(address, range)`, `geo_point_in_polygon(lon, lat, polygon)`), or, with
/// `at_most`, the function's real result is at most that (`geo_distance_point_to_polygon(...) <= r`).
#[derive(Debug, Clone, PartialEq)]
pub struct JoinCondition {
    pub function: &'static str,
    /// The function's arguments: columns of either side.
    pub args: Vec<JoinOutput>,
    pub at_most: Option<f64>,
}

/// Where a join output column comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinSide {
    Left,
    Right,
}

/// A join output column: a column of one side, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JoinOutput {
    pub side: JoinSide,
    pub index: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JoinKind {
    InnerUnique,
    Inner,
    LeftOuter,
    RightOuter,
    FullOuter,
    LeftAnti,
    RightAnti,
    LeftSemi,
    RightSemi,
}

impl JoinKind {
    pub fn from_name(name: &str) -> Option<JoinKind> {
        let kind = match name.to_ascii_lowercase().as_str() {
            "innerunique" => JoinKind::InnerUnique,
            "inner" => JoinKind::Inner,
            "leftouter" => JoinKind::LeftOuter,
            "rightouter" => JoinKind::RightOuter,
            "fullouter" => JoinKind::FullOuter,
            "leftanti" | "anti" | "leftantisemi" => JoinKind::LeftAnti,
            "rightanti" | "rightantisemi" => JoinKind::RightAnti,
            "leftsemi" => JoinKind::LeftSemi,
            "rightsemi" => JoinKind::RightSemi,
            _ => return None,
        };
        Some(kind)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SortKey {
    pub expr: BoundExpr,
    pub descending: bool,
    pub nulls_first: bool,
}

/// An aggregate function call in `summarize`, by Kusto name (`count`, `dcountif`, `make_set`, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateCall {
    pub function: String,
    pub args: Vec<BoundExpr>,
    pub ty: KustoType,
    pub span: Span,
}

/// A typed scalar expression.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundExpr {
    pub kind: ExprKind,
    pub ty: KustoType,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A column of the input relation, by name.
    Column(String),
    Literal(Value),
    Binary {
        op: BinaryOp,
        left: Box<BoundExpr>,
        right: Box<BoundExpr>,
    },
    Not(Box<BoundExpr>),
    Negate(Box<BoundExpr>),
    /// `expr in (list)` / `!in`, case-sensitive (strings) or not (`in~`).
    InList {
        expr: Box<BoundExpr>,
        list: Vec<BoundExpr>,
        negated: bool,
        case_sensitive: bool,
    },
    /// `expr in (tabular)`: membership in the first column of a relation.
    InRelation {
        expr: Box<BoundExpr>,
        relation: Box<Relation>,
        negated: bool,
    },
    /// A scalar function by Kusto name; arguments already converted to the parameter types.
    Call {
        function: String,
        args: Vec<BoundExpr>,
    },
    /// `iff`/`case`: the first true condition's value, else `otherwise`.
    Case {
        branches: Vec<(BoundExpr, BoundExpr)>,
        otherwise: Box<BoundExpr>,
    },
    /// `toscalar(T)`: the first column of the first row of a relation.
    ScalarSubquery(Box<Relation>),
    /// A window function over the serialized rows of the input (`row_number()`, `prev(x)`, ...).
    Window(Box<WindowFunction>),
    /// `ingestion_time()`: when the row's record was ingested, where its table's files say so and
    /// every operator since the table kept its rows; null otherwise (the planner decides which).
    IngestionTime,
}

/// Kusto's window functions. `restart`, when given, starts a new run of rows wherever it is true.
#[derive(Debug, Clone, PartialEq)]
pub enum WindowFunction {
    /// `row_number([start[, restart]])`: `start` on the first row of each run, counting up.
    RowNumber { start: i64, restart: Option<BoundExpr> },
    /// `prev(value[, offset[, default]])` (`offset` < 0) and `next(...)` (`offset` > 0): the value
    /// `offset` rows away, else `default`.
    Shift {
        value: BoundExpr,
        offset: i64,
        default: BoundExpr,
    },
    /// `row_cumsum(value[, restart])`: the running sum within the run.
    CumulativeSum {
        value: BoundExpr,
        restart: Option<BoundExpr>,
    },
    /// `row_rank_min(value[, restart])`: the row number (within the run) of the first row of the
    /// current stretch of equal values; `row_rank_dense` (`dense`): how many stretches of equal
    /// values the run has had so far.
    Rank {
        value: BoundExpr,
        restart: Option<BoundExpr>,
        dense: bool,
    },
    /// `row_window_session(value, from_first, between[, restart])`: the value that started the
    /// row's session (see `kql-functions`' `row_window_session`); `restart` is passed to it per row.
    Session {
        value: BoundExpr,
        from_first: BoundExpr,
        between: BoundExpr,
        restart: Option<BoundExpr>,
    },
}

impl BoundExpr {
    pub fn new(kind: ExprKind, ty: KustoType, span: Span) -> BoundExpr {
        BoundExpr { kind, ty, span }
    }

    pub fn literal(value: Value, span: Span) -> BoundExpr {
        let ty = value.ty();
        BoundExpr::new(ExprKind::Literal(value), ty, span)
    }

    pub fn column(column: &Column, span: Span) -> BoundExpr {
        BoundExpr::new(ExprKind::Column(column.name.clone()), column.ty, span)
    }

    pub fn call(function: &str, args: Vec<BoundExpr>, ty: KustoType, span: Span) -> BoundExpr {
        BoundExpr::new(
            ExprKind::Call {
                function: function.to_string(),
                args,
            },
            ty,
            span,
        )
    }

    /// Whether a window function occurs in the expression (not looking into subquery relations).
    pub fn has_window(&self) -> bool {
        let mut found = false;
        self.visit(&mut |e| found |= matches!(e.kind, ExprKind::Window(_)));
        found
    }

    /// Calls `f` on the expression and every sub-expression, parents first (not looking into
    /// subquery relations).
    pub fn visit(&self, f: &mut impl FnMut(&BoundExpr)) {
        f(self);
        match &self.kind {
            ExprKind::Column(_)
            | ExprKind::Literal(_)
            | ExprKind::ScalarSubquery(_)
            | ExprKind::IngestionTime => {}
            ExprKind::Binary { left, right, .. } => {
                left.visit(f);
                right.visit(f);
            }
            ExprKind::Not(inner) | ExprKind::Negate(inner) => inner.visit(f),
            ExprKind::InList { expr, list, .. } => {
                expr.visit(f);
                list.iter().for_each(|e| e.visit(f));
            }
            ExprKind::InRelation { expr, .. } => expr.visit(f),
            ExprKind::Call { args, .. } => args.iter().for_each(|e| e.visit(f)),
            ExprKind::Case { branches, otherwise } => {
                for (condition, value) in branches {
                    condition.visit(f);
                    value.visit(f);
                }
                otherwise.visit(f);
            }
            ExprKind::Window(function) => match function.as_ref() {
                WindowFunction::RowNumber { restart, .. } => restart.iter().for_each(|e| e.visit(f)),
                WindowFunction::Shift { value, default, .. } => {
                    value.visit(f);
                    default.visit(f);
                }
                WindowFunction::CumulativeSum { value, restart }
                | WindowFunction::Rank { value, restart, .. } => {
                    value.visit(f);
                    restart.iter().for_each(|e| e.visit(f));
                }
                WindowFunction::Session {
                    value,
                    from_first,
                    between,
                    restart,
                } => {
                    value.visit(f);
                    from_first.visit(f);
                    between.visit(f);
                    restart.iter().for_each(|e| e.visit(f));
                }
            },
        }
    }

    /// The literal value, when the expression is one.
    pub fn as_literal(&self) -> Option<&Value> {
        match &self.kind {
            ExprKind::Literal(value) => Some(value),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    And,
    Or,
}

/// A constant of a Kusto type; `Null` carries the type it is a null of.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null(KustoType),
    Bool(bool),
    Int(i32),
    Long(i64),
    Real(f64),
    /// As written (`1.5`).
    Decimal(String),
    String(String),
    /// Nanoseconds since the Unix epoch.
    DateTime(i64),
    /// Nanoseconds.
    TimeSpan(i64),
    /// Canonical lower-case text.
    Guid(String),
    /// Compact JSON text.
    Dynamic(String),
}

impl Value {
    pub fn ty(&self) -> KustoType {
        match self {
            Value::Null(ty) => *ty,
            Value::Bool(_) => KustoType::Bool,
            Value::Int(_) => KustoType::Int,
            Value::Long(_) => KustoType::Long,
            Value::Real(_) => KustoType::Real,
            Value::Decimal(_) => KustoType::Decimal,
            Value::String(_) => KustoType::String,
            Value::DateTime(_) => KustoType::DateTime,
            Value::TimeSpan(_) => KustoType::TimeSpan,
            Value::Guid(_) => KustoType::Guid,
            Value::Dynamic(_) => KustoType::Dynamic,
        }
    }
}
