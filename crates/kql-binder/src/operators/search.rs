//! `search` and the predicate language it shares with `find`: a bare string term matches a row when
//! any column `has` it (`*abc` hassuffix, `abc*` hasprefix, `*abc*` contains, `a*c` a regex),
//! `Col:"term"` looks in one column, `*` matches every row, and `* has "x"` applies a string operator
//! to every column. Columns of other types are searched through their text (`tostring`).

use kql_syntax::ast::{BinaryOp as AstOp, Expr, ExprKind, Literal, OperatorParam, StringOp, StringOpKind};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;

use super::parse::escape;
use super::union::merge_union;
use crate::bound::{BinaryOp, BoundExpr, ExprKind as Bound, Relation, RelationKind, Value};
use crate::catalog::Column;
use crate::expr::{not, string_predicate};
use crate::tabular::{check_params, param_text};
use crate::{BResult, Binder, Binding};

/// The column `search` names each row's source table in.
const SOURCE_COLUMN: &str = "$table";

/// A union-like input with the name its source column reports.
pub(crate) type NamedInput = (Relation, Option<String>);

impl Binder<'_> {
    /// `[T |] search [kind=CaseSensitivity] [in (Tables)] Predicate`: the rows of the input (`piped`),
    /// of the listed tables or of every table, for which the predicate holds, as a union whose first
    /// column, `$table`, names each row's table.
    pub(crate) fn search(
        &mut self,
        piped: Option<NamedInput>,
        params: &[OperatorParam],
        tables: &[Expr],
        predicate: &Expr,
        span: Span,
    ) -> BResult<Relation> {
        check_params(params, &["kind"], "search")?;
        let mut case_sensitive = false;
        for param in params {
            case_sensitive = match param_text(param)?.to_ascii_lowercase().as_str() {
                "default" | "case_insensitive" => false,
                "case_sensitive" => true,
                other => {
                    return Err(Diagnostic::new(
                        DiagnosticKind::Semantic,
                        format!(
                            "`search kind={other}`: the kind is `default`, `case_insensitive` or \
                             `case_sensitive`"
                        ),
                        param.span,
                    ));
                }
            };
        }
        let inputs = match (piped, tables.first()) {
            (Some(_), Some(table)) => {
                return Err(Diagnostic::new(
                    DiagnosticKind::Semantic,
                    "`search` over a piped input cannot also name tables with `in (...)`",
                    table.span,
                ));
            }
            (Some(input), None) => vec![input],
            (None, None) => self.every_table("search", span)?,
            (None, Some(_)) => self.union_inputs(None, tables, false)?,
        };
        let union = merge_union(inputs, false, Some(SOURCE_COLUMN), span)?;
        // The source name is not part of the rows searched.
        let searched = union.columns.get(1..).unwrap_or_default().to_vec();
        let predicate = self.search_predicate(predicate, &searched, case_sensitive)?;
        let columns = union.columns.clone();
        Ok(Relation::new(
            RelationKind::Filter {
                input: union.boxed(),
                predicate,
            },
            columns,
            span,
        ))
    }

    /// Every catalog table (sorted by name, each named by itself), the inputs of `search` and `find`
    /// without `in (...)`. Kusto includes `view` functions too; torhunt refuses rather than guess
    /// where their columns would go.
    pub(crate) fn every_table(&self, operator: &str, span: Span) -> BResult<Vec<NamedInput>> {
        let view = self
            .scopes
            .iter()
            .flat_map(|scope| scope.iter())
            .find_map(|(name, binding)| {
                matches!(binding, Binding::Function(def) if def.is_view).then_some(name)
            });
        if let Some(view) = view {
            return Err(Diagnostic::not_supported(
                format!(
                    "`{operator}` without `in (...)` while the view `{view}` is defined (name the tables)"
                ),
                span,
            ));
        }
        let mut names = self.catalog.table_names();
        names.sort();
        let inputs: Vec<NamedInput> = names
            .into_iter()
            .filter_map(|name| {
                let columns = self.catalog.table_schema(&name)?;
                let table = RelationKind::Table { name: name.clone() };
                Some((Relation::new(table, columns, span), Some(name)))
            })
            .collect();
        if inputs.is_empty() {
            return Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                format!("`{operator}` without `in (...)` looks in every table, and there are none"),
                span,
            ));
        }
        Ok(inputs)
    }

    /// A `search`/`find` predicate over the columns `row`: terms and `*` as the module docs say, `and`,
    /// `or`, `not(...)` and parentheses combining them, and anything else an ordinary bool expression.
    /// With `case_sensitive` (`kind=case_sensitive`), terms and string operators match case-sensitively.
    pub(crate) fn search_predicate(
        &mut self,
        expr: &Expr,
        row: &[Column],
        case_sensitive: bool,
    ) -> BResult<BoundExpr> {
        let span = expr.span;
        match &expr.kind {
            ExprKind::Literal(Literal::String(term)) => {
                let matching = TermMatch::parse(term, span)?;
                Ok(any_column(row, span, |column| {
                    matching.bind(column, case_sensitive, span)
                }))
            }
            ExprKind::Star => Ok(BoundExpr::literal(Value::Bool(true), span)),
            ExprKind::Paren(inner) => self.search_predicate(inner, row, case_sensitive),
            ExprKind::Call { name, args }
                if name.name == "not" && matches!(args.as_slice(), [arg] if arg.name.is_none()) =>
            {
                let inner = &args[0].value;
                Ok(not(self.search_predicate(inner, row, case_sensitive)?))
            }
            ExprKind::Binary {
                op: op @ (AstOp::And | AstOp::Or),
                left,
                right,
            } => {
                let left = self.search_predicate(left, row, case_sensitive)?;
                let right = self.search_predicate(right, row, case_sensitive)?;
                let op = if *op == AstOp::And {
                    BinaryOp::And
                } else {
                    BinaryOp::Or
                };
                let both = Bound::Binary {
                    op,
                    left: Box::new(left),
                    right: Box::new(right),
                };
                Ok(BoundExpr::new(both, KustoType::Bool, span))
            }
            ExprKind::Binary {
                op: AstOp::ColumnTerm,
                left,
                right,
            } => {
                let ExprKind::Name(_) = &left.kind else {
                    return Err(Diagnostic::new(
                        DiagnosticKind::Semantic,
                        "a column name is expected before `:` in a search term",
                        left.span,
                    ));
                };
                let ExprKind::Literal(Literal::String(term)) = &right.kind else {
                    return Err(Diagnostic::new(
                        DiagnosticKind::Semantic,
                        "a string term is expected after `Column:`",
                        right.span,
                    ));
                };
                let matching = TermMatch::parse(term, right.span)?;
                let column = self.scalar(left, row)?;
                Ok(matching.bind(column, case_sensitive, span))
            }
            ExprKind::Binary {
                op: AstOp::String(op),
                left,
                right,
            } => {
                let op = StringOp {
                    case_sensitive: op.case_sensitive || case_sensitive,
                    ..*op
                };
                let value = self.scalar(right, row)?;
                if let ExprKind::Star = left.kind {
                    return Ok(any_column(row, span, |column| {
                        string_predicate(op, column, value.clone(), span)
                    }));
                }
                let left = self.scalar(left, row)?;
                Ok(string_predicate(op, left, value, span))
            }
            _ => {
                let bound = self.scalar(expr, row)?;
                if bound.ty != KustoType::Bool {
                    return Err(Diagnostic::new(
                        DiagnosticKind::Type,
                        format!(
                            "a search predicate must be a bool or a string term, not {}",
                            bound.ty
                        ),
                        span,
                    ));
                }
                Ok(bound)
            }
        }
    }
}

/// `condition(column)` for any column of `row` (false without columns).
fn any_column(row: &[Column], span: Span, condition: impl Fn(BoundExpr) -> BoundExpr) -> BoundExpr {
    row.iter()
        .map(|column| condition(BoundExpr::column(column, span)))
        .reduce(|left, right| {
            let either = Bound::Binary {
                op: BinaryOp::Or,
                left: Box::new(left),
                right: Box::new(right),
            };
            BoundExpr::new(either, KustoType::Bool, span)
        })
        .unwrap_or_else(|| BoundExpr::literal(Value::Bool(false), span))
}

/// How a search term matches text, by where its `*`s are (the `search` docs' table).
enum TermMatch {
    /// `has`, `hassuffix` (`*abc`), `hasprefix` (`abc*`) or `contains` (`*abc*`), with the term
    /// stripped of those `*`s.
    Operator(StringOpKind, String),
    /// `a*c`: the regex `\ba.*c\b`, without the `\b` on a side that starts or ends with `*`.
    Regex(String),
}

impl TermMatch {
    fn parse(term: &str, span: Span) -> BResult<TermMatch> {
        let (any_start, rest) = term.strip_prefix('*').map_or((false, term), |rest| (true, rest));
        let (any_end, core) = rest.strip_suffix('*').map_or((false, rest), |core| (true, core));
        if core.is_empty() {
            return Err(Diagnostic::new(
                DiagnosticKind::Semantic,
                "a search term needs some text besides `*`",
                span,
            ));
        }
        if core.contains('*') {
            let pattern: Vec<String> = core.split('*').map(escape).collect();
            let start = if any_start { "" } else { r"\b" };
            let end = if any_end { "" } else { r"\b" };
            return Ok(TermMatch::Regex(format!("{start}{}{end}", pattern.join(".*"))));
        }
        let kind = match (any_start, any_end) {
            (false, false) => StringOpKind::Has,
            (true, false) => StringOpKind::HasSuffix,
            (false, true) => StringOpKind::HasPrefix,
            (true, true) => StringOpKind::Contains,
        };
        Ok(TermMatch::Operator(kind, core.to_string()))
    }

    fn bind(&self, text: BoundExpr, case_sensitive: bool, span: Span) -> BoundExpr {
        let (kind, operand) = match self {
            TermMatch::Operator(kind, term) => (*kind, term.clone()),
            // Search terms are case-insensitive unless `kind=case_sensitive`, regex terms too.
            TermMatch::Regex(pattern) if case_sensitive => (StringOpKind::MatchesRegex, pattern.clone()),
            TermMatch::Regex(pattern) => (StringOpKind::MatchesRegex, format!("(?i){pattern}")),
        };
        let op = StringOp {
            kind,
            negated: false,
            case_sensitive,
        };
        string_predicate(op, text, BoundExpr::literal(Value::String(operand), span), span)
    }
}
