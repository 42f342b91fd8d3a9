//! The KQL abstract syntax tree. Every node carries the [`Span`] of the text it came from.
//!
//! As in Kusto's own grammar, tabular expressions are expressions: `T | where x > 1` is an
//! [`ExprKind::Pipe`], and whether a name denotes a table, a `let` value or a column is decided by the
//! binder, not here. The tree keeps what was written (type names as text, datetime literals as text)
//! and leaves meaning to later stages.

use crate::span::Span;

/// A whole query: statements separated by `;`, usually ending in one tabular expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub statements: Vec<Statement>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub kind: StatementKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StatementKind {
    /// `let name = value;`
    Let { name: Ident, value: LetValue },
    /// `set name [= value];` (query options, e.g. `set query_now = datetime(...)`).
    Set { name: Ident, value: Option<Expr> },
    /// `declare query_parameters(name:type [= default], ...);`
    DeclareQueryParameters { parameters: Vec<Parameter> },
    /// An expression statement: normally the final tabular expression of the query.
    Expr(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub enum LetValue {
    /// A scalar or tabular expression (parenthesised or not); the binder tells which.
    Expr(Expr),
    /// A user function: `let f = (a:string, b:long = 5) { body };`
    Function(FunctionDef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FunctionDef {
    /// Declared with `view`: a parameterless view takes part in wildcard unions (`union View*`).
    pub is_view: bool,
    pub parameters: Vec<Parameter>,
    /// `let` statements inside the body, then its final expression.
    pub body: Vec<Statement>,
    pub span: Span,
}

/// A parameter of a user function or of `declare query_parameters`.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: Ident,
    pub ty: ParameterType,
    pub default: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParameterType {
    Scalar(TypeName),
    /// `T:(*)` or `T:(Col:type, ...)`: a tabular parameter, with its declared columns (empty for `*`).
    Tabular {
        columns: Vec<ColumnDecl>,
        any: bool,
    },
}

/// A name: a plain identifier, a `['bracketed name']`, or `$left`/`$right`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A scalar type name as written (`string`, `long`, `int64`, ...); the binder resolves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeName {
    pub name: String,
    pub span: Span,
}

/// `Name:type`, as in `datatable(...)`, `externaldata(...)` and typed `parse` columns.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnDecl {
    pub name: Ident,
    pub ty: TypeName,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Literal(Literal),
    /// A column, table, `let` name or function parameter; wildcard table names (`Device*`) keep the `*`.
    Name(Ident),
    /// `*`, as in `count(*)`-like arguments or `arg_max(x, *)`.
    Star,
    /// `target.name` (also `$left.name`).
    Member {
        target: Box<Expr>,
        name: Ident,
    },
    /// `target[index]`: `d['key']`, `d[0]`.
    Index {
        target: Box<Expr>,
        index: Box<Expr>,
    },
    /// `name(args)`, including `not(x)`, `materialize(T)`, `toscalar(T)`, aggregates, and `table('T')`.
    Call {
        name: Ident,
        args: Vec<Arg>,
    },
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `x in (a, b)`, `x !in (...)`, `x in~ (...)`, `x !in~ (...)`; an element may be a tabular expression
    /// or a dynamic array.
    In {
        expr: Box<Expr>,
        negated: bool,
        case_sensitive: bool,
        list: Vec<Expr>,
    },
    /// `x has_any (a, b)` / `x has_all (...)`.
    HasAny {
        expr: Box<Expr>,
        all: bool,
        list: Vec<Expr>,
    },
    /// `x between (low .. high)` / `x !between (...)`.
    Between {
        expr: Box<Expr>,
        negated: bool,
        low: Box<Expr>,
        high: Box<Expr>,
    },
    /// `input | operator`.
    Pipe {
        input: Box<Expr>,
        operator: Box<Operator>,
    },
    /// An operator that starts a pipeline on its own: `datatable`, `externaldata`, `print`, `range`,
    /// `union`, `search`, `find`, `evaluate`.
    Source(Box<Operator>),
    /// `(expr)`, kept so spans and `(T | ...)` grouping stay visible.
    Paren(Box<Expr>),
    /// The unwritten input of a subquery that starts with an operator: `mv-apply ... on (take 1)`,
    /// `fork (project x)`, `partition by k (top 1 by t)`, `facet by c with (take 3)`. It stands for
    /// the rows the enclosing operator feeds in; its span is empty, at the subquery's first operator.
    ImplicitInput,
}

/// A function argument, possibly named (`f(x, name = value)`).
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub name: Option<Ident>,
    pub value: Expr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Bool(bool),
    /// An integer literal without suffix: Kusto `long`.
    Long(i64),
    /// `int(5)`.
    Int(i32),
    /// `1.5`, `1e3`, `real(1.5)`, `real(nan)`, `real(+inf)`.
    Real(f64),
    /// `decimal(1.5)`, kept as written.
    Decimal(String),
    /// Any string literal form, decoded (escapes resolved, `h` obfuscation dropped).
    String(String),
    /// `datetime(...)`, the text between the parentheses as written; `datetime(null)` is `Null`.
    DateTime(String),
    /// `1d`, `30m`, `time(...)`, `timespan(...)`: the literal text as written (e.g. `1d`, `1.02:03:04`).
    TimeSpan(String),
    /// `guid(...)`, the text as written.
    Guid(String),
    /// `dynamic(...)`.
    Dynamic(DynamicValue),
    /// A typed null: `int(null)`, `datetime(null)`, `string(null)`, `dynamic(null)` -> `Null` with the type.
    Null(TypeName),
}

/// The JSON-like value inside `dynamic(...)`; may embed typed scalar literals (`dynamic([datetime(...)])`).
#[derive(Debug, Clone, PartialEq)]
pub enum DynamicValue {
    Null,
    Bool(bool),
    Long(i64),
    Real(f64),
    String(String),
    /// A typed scalar literal inside a dynamic value (`datetime(...)`, `1d`, `guid(...)`).
    Scalar(Box<Literal>),
    Array(Vec<DynamicValue>),
    /// Properties in written order.
    Bag(Vec<(String, DynamicValue)>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Plus,
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
    /// `=~`
    EqCi,
    /// `!~`
    NotEqCi,
    And,
    Or,
    /// A string operator: `has`, `!contains_cs`, `matches regex`, ...
    String(StringOp),
    /// `Col:"term"`, only in `search`/`find` predicates: the term search restricted to one column.
    ColumnTerm,
}

/// A string predicate operator with its negation and case sensitivity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StringOp {
    pub kind: StringOpKind,
    pub negated: bool,
    pub case_sensitive: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StringOpKind {
    Has,
    HasPrefix,
    HasSuffix,
    Contains,
    StartsWith,
    EndsWith,
    /// `matches regex` (always case-sensitive, never negated in KQL).
    MatchesRegex,
}

/// The output columns of `find`.
#[derive(Debug, Clone, PartialEq)]
pub enum FindOutput {
    /// `project-smart`, also the default: the predicate's columns and the common ones, the rest packed.
    Smart,
    /// `project Col[:type], ... [, pack_all()]`.
    Project {
        columns: Vec<FindColumn>,
        /// The span of a trailing `pack_all()`.
        pack_all: Option<Span>,
    },
}

/// A column of `find ... project`, optionally with the type it is converted to.
#[derive(Debug, Clone, PartialEq)]
pub struct FindColumn {
    pub name: Ident,
    pub ty: Option<TypeName>,
    pub span: Span,
}

/// A tabular operator with its span (from the operator keyword to its end).
#[derive(Debug, Clone, PartialEq)]
pub struct Operator {
    pub kind: OperatorKind,
    pub span: Span,
}

/// `name = value` parameters before an operator's arguments: `kind=inner`, `hint.strategy=shuffle`,
/// `withsource=T`, `isfuzzy=true`, `with_itemindex=i`, `bagexpansion=array`, ...
#[derive(Debug, Clone, PartialEq)]
pub struct OperatorParam {
    /// Dotted names are joined: `hint.strategy`.
    pub name: Ident,
    pub value: Expr,
    pub span: Span,
}

/// An output column definition: `expr` or `Name = expr` or `(A, B) = expr`.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedExpr {
    /// Empty when unnamed; several for `(A, B) = f(...)`.
    pub names: Vec<Ident>,
    pub expr: Expr,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    Asc,
    Desc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NullsOrder {
    First,
    Last,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SortKey {
    pub expr: Expr,
    pub order: Option<SortOrder>,
    pub nulls: Option<NullsOrder>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseKind {
    Simple,
    Regex,
    Relaxed,
}

/// One piece of a `parse` pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum ParsePart {
    /// A string literal to match.
    Text(String, Span),
    /// A column to extract, optionally typed (`Name:long`).
    Column { name: Ident, ty: Option<TypeName> },
    /// `*`: skip anything.
    Wildcard(Span),
}

#[derive(Debug, Clone, PartialEq)]
pub enum OperatorKind {
    /// `where` / `filter`
    Where(Expr),
    Project(Vec<NamedExpr>),
    /// Column names, possibly with `*` wildcards (kept in the name).
    ProjectAway(Vec<Ident>),
    ProjectKeep(Vec<Ident>),
    /// `project-rename New = Old, ...`: (new, old).
    ProjectRename(Vec<(Ident, Ident)>),
    ProjectReorder(Vec<(Ident, Option<SortOrder>)>),
    Extend(Vec<NamedExpr>),
    Summarize {
        params: Vec<OperatorParam>,
        aggregates: Vec<NamedExpr>,
        by: Vec<NamedExpr>,
    },
    /// `join [kind=..] [hint.*=..] (right) on conditions`; each condition is a column name or a
    /// `$left.a == $right.b` comparison (`and`-combined conditions are split into the list).
    Join {
        params: Vec<OperatorParam>,
        right: Expr,
        on: Vec<Expr>,
    },
    Lookup {
        params: Vec<OperatorParam>,
        right: Expr,
        on: Vec<Expr>,
    },
    /// As an operator, `T | union U`; as a source, `union T, U`. Table names may contain wildcards.
    Union {
        params: Vec<OperatorParam>,
        tables: Vec<Expr>,
    },
    /// `distinct *` is an empty list with `all = true`.
    Distinct {
        columns: Vec<Expr>,
        all: bool,
    },
    /// `take` / `limit`
    Take(Expr),
    Top {
        count: Expr,
        by: Vec<SortKey>,
    },
    /// `sort by` / `order by`
    Sort(Vec<SortKey>),
    Count,
    As {
        params: Vec<OperatorParam>,
        name: Ident,
    },
    GetSchema,
    Datatable {
        columns: Vec<ColumnDecl>,
        values: Vec<Expr>,
    },
    /// `externaldata` / `external_data (schema) [uris] with (options)`
    ExternalData {
        columns: Vec<ColumnDecl>,
        uris: Vec<Expr>,
        options: Vec<OperatorParam>,
    },
    Print(Vec<NamedExpr>),
    /// `range Name from A to B step C`
    Range {
        name: Ident,
        from: Expr,
        to: Expr,
        step: Expr,
    },
    /// `mv-expand [params] Col [to typeof(T)], ... [limit N]`
    MvExpand {
        params: Vec<OperatorParam>,
        items: Vec<MvExpandItem>,
        limit: Option<Expr>,
    },
    /// `mv-apply [params] items on (subquery)`
    MvApply {
        params: Vec<OperatorParam>,
        items: Vec<MvExpandItem>,
        limit: Option<Expr>,
        subquery: Expr,
    },
    /// `parse` / `parse-where`
    Parse {
        where_: bool,
        kind: ParseKind,
        flags: Option<String>,
        expr: Expr,
        pattern: Vec<ParsePart>,
    },
    /// `parse-kv expr as (Key:type, ...) [with (name=value, ...)]`
    ParseKv {
        expr: Expr,
        keys: Vec<ColumnDecl>,
        options: Vec<OperatorParam>,
    },
    /// `make-series`. `range` holds the axis clauses named by their keyword: `from`, `to`, `step`, or
    /// `in` (with the `range(...)` call).
    MakeSeries {
        params: Vec<OperatorParam>,
        aggregates: Vec<SeriesAggregate>,
        on: Expr,
        range: Vec<OperatorParam>,
        by: Vec<NamedExpr>,
    },
    /// `evaluate [params] plugin(args) [: (OutputSchema)]`
    Evaluate {
        params: Vec<OperatorParam>,
        plugin: Expr,
        schema: Option<OutputSchema>,
    },
    /// `render chart [with (props)]`: parsed, ignored by execution. A property listing several
    /// columns (`ycolumns=a, b`) appears once per column, in order.
    Render {
        chart: Ident,
        options: Vec<OperatorParam>,
    },
    /// `search [kind=..] [in (T, ...)] predicate`
    Search {
        params: Vec<OperatorParam>,
        tables: Vec<Expr>,
        predicate: Expr,
    },
    /// `find [withsource=Name] [in (T, ...)] where predicate [project-smart | project ...]`
    Find {
        params: Vec<OperatorParam>,
        tables: Vec<Expr>,
        predicate: Expr,
        output: FindOutput,
    },
    Sample(Expr),
    SampleDistinct {
        count: Expr,
        column: Expr,
    },
    Serialize(Vec<NamedExpr>),
    /// `invoke f(args)`
    Invoke(Expr),
    /// `top-nested N of Col by Agg [asc|desc], ...`: parsed so the binder can refuse it precisely.
    TopNested(Vec<TopNestedLevel>),
    /// `facet by Col, ... [with (subquery)]`
    Facet {
        columns: Vec<Ident>,
        with: Option<Expr>,
    },
    /// `scan [with_match_id=Id] [declare (Col:type [= default], ...)] with (step ...; ...)`
    Scan {
        params: Vec<OperatorParam>,
        declare: Vec<Parameter>,
        steps: Vec<ScanStep>,
    },
    /// `reduce [kind=..] by Expr [with threshold=.., characters=..]`
    Reduce {
        params: Vec<OperatorParam>,
        by: Expr,
        options: Vec<OperatorParam>,
    },
    /// `partition [params] by Col (subquery)` (implicit input) or `{ subquery }` (with its own source).
    Partition {
        params: Vec<OperatorParam>,
        by: Ident,
        subquery: Expr,
    },
    /// `fork [name =] (subquery) ...`: each branch as a named expression over the implicit input.
    Fork(Vec<NamedExpr>),
}

/// A `make-series` aggregate: `[Name =] Aggregation [default = Value]`.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesAggregate {
    pub aggregate: NamedExpr,
    pub default: Option<Expr>,
}

/// `step Name [output=all|last|none]: condition [=> Col = expr, ...];` inside `scan ... with (...)`.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanStep {
    pub name: Ident,
    /// `output=...` as written (`all`, `last`, `none`).
    pub output: Option<Ident>,
    pub condition: Expr,
    /// The `=> Col = expr, ...` assignments.
    pub assignments: Vec<NamedExpr>,
    pub span: Span,
}

/// A plugin's declared output schema: `: (Col:type, ...)`, or `: (*, Col:type, ...)` to keep the
/// input's columns too.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputSchema {
    pub keeps_input: bool,
    pub columns: Vec<ColumnDecl>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MvExpandItem {
    pub name: Option<Ident>,
    pub expr: Expr,
    /// `to typeof(type)`
    pub to_type: Option<TypeName>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TopNestedLevel {
    pub count: Option<Expr>,
    pub of: NamedExpr,
    pub with_others: Option<Expr>,
    pub by: NamedExpr,
    pub order: Option<SortOrder>,
    pub span: Span,
}
