//! The `geo_polygon_lookup` plugin: `T | evaluate geo_polygon_lookup(LookupTable, LookupPolygonKey,
//! SourceLongitude, SourceLatitude [, radius] [, return_unmatched] [, lookup_area_radius]
//! [, return_lookup_key])`, positional or named.
//!
//! A join of each input row with every lookup row whose polygon holds the row's point: "Point
//! containment in polygon is tested via geo_point_in_polygon(), or if radius is set, then
//! geo_distance_point_to_polygon()" (the plugin's page), the same functions torhunt answers
//! directly. With `return_unmatched`, input rows without a match stay, with empty lookup columns.
//! The columns are the input's, then the lookup table's, without the polygon column unless
//! `return_lookup_key` (as Kusto.Language types it). `lookup_area_radius` only tunes how Kusto
//! finds candidates ("might help in matching"), so it is checked and otherwise not used. A column
//! name on both sides is refused: no example says how Kusto names it.

use kql_syntax::ast::{Arg, ExprKind};
use kql_syntax::{Diagnostic, DiagnosticKind, Span};
use kql_types::KustoType;

use super::unknown_column;
use crate::bound::{JoinCondition, JoinKind, JoinOutput, JoinSide, Relation, RelationKind, Value};
use crate::catalog::Column;
use crate::names::position;
use crate::{BResult, Binder};

const PLUGIN: &str = "geo_polygon_lookup";

/// The optional arguments, in their positional order.
const OPTIONAL: [&str; 4] = [
    "radius",
    "return_unmatched",
    "lookup_area_radius",
    "return_lookup_key",
];

/// The constant options of one call.
#[derive(Default)]
struct Options {
    radius: Option<f64>,
    return_unmatched: bool,
    return_lookup_key: bool,
}

impl Binder<'_> {
    pub(crate) fn geo_polygon_lookup(
        &mut self,
        input: Relation,
        args: &[Arg],
        span: Span,
    ) -> BResult<Relation> {
        let [table, polygon_key, longitude, latitude, rest @ ..] = args else {
            return Err(Diagnostic::new(
                DiagnosticKind::Type,
                "`geo_polygon_lookup` needs a lookup table, its polygon column and the input's longitude \
                 and latitude columns",
                span,
            ));
        };
        let lookup = self.tabular(&table.value)?;
        let polygon = typed_column(polygon_key, &lookup.columns, KustoType::Dynamic)?;
        let longitude = typed_column(longitude, &input.columns, KustoType::Real)?;
        let latitude = typed_column(latitude, &input.columns, KustoType::Real)?;
        let options = self.polygon_lookup_options(rest)?;

        let mut columns: Vec<Column> = Vec::new();
        let mut output = Vec::new();
        for (side, relation) in [(JoinSide::Left, &input), (JoinSide::Right, &lookup)] {
            for (index, column) in relation.columns.iter().enumerate() {
                if side == JoinSide::Right && index == polygon && !options.return_lookup_key {
                    continue;
                }
                if columns.iter().any(|c| c.name == column.name) {
                    return Err(Diagnostic::not_supported(
                        format!("`{PLUGIN}` where both tables have a column `{}`", column.name),
                        span,
                    ));
                }
                output.push(JoinOutput { side, index });
                columns.push(column.clone());
            }
        }
        let args = vec![
            JoinOutput {
                side: JoinSide::Left,
                index: longitude,
            },
            JoinOutput {
                side: JoinSide::Left,
                index: latitude,
            },
            JoinOutput {
                side: JoinSide::Right,
                index: polygon,
            },
        ];
        let condition = match options.radius {
            Some(radius) => JoinCondition {
                function: "geo_distance_point_to_polygon",
                args,
                at_most: Some(radius),
            },
            None => JoinCondition {
                function: "geo_point_in_polygon",
                args,
                at_most: None,
            },
        };
        Ok(Relation::new(
            RelationKind::Join {
                left: input.boxed(),
                right: lookup.boxed(),
                kind: if options.return_unmatched {
                    JoinKind::LeftOuter
                } else {
                    JoinKind::Inner
                },
                keys: Vec::new(),
                condition: Some(condition),
                output,
            },
            columns,
            span,
        ))
    }

    /// `radius`, `return_unmatched`, `lookup_area_radius` and `return_lookup_key`: constants, in this
    /// order or by name.
    fn polygon_lookup_options(&mut self, args: &[Arg]) -> BResult<Options> {
        let mut options = Options::default();
        for (position, arg) in args.iter().enumerate() {
            let name = match &arg.name {
                Some(name) => OPTIONAL
                    .iter()
                    .find(|known| **known == name.name)
                    .ok_or_else(|| {
                        Diagnostic::new(
                            DiagnosticKind::Semantic,
                            format!("`{PLUGIN}` has no argument `{}`", name.name),
                            name.span,
                        )
                    })?,
                None => OPTIONAL.get(position).ok_or_else(|| {
                    Diagnostic::new(
                        DiagnosticKind::Type,
                        format!("`{PLUGIN}` takes at most {} arguments", 4 + OPTIONAL.len()),
                        arg.span,
                    )
                })?,
            };
            let value = self.scalar(&arg.value, &[])?;
            let constant = value.as_literal().cloned();
            match (*name, constant) {
                ("return_unmatched", Some(Value::Bool(flag))) => options.return_unmatched = flag,
                ("return_lookup_key", Some(Value::Bool(flag))) => options.return_lookup_key = flag,
                ("radius" | "lookup_area_radius", Some(Value::Null(_))) => {}
                ("radius" | "lookup_area_radius", Some(number)) if distance(&number).is_some() => {
                    if *name == "radius" {
                        options.radius = distance(&number);
                    }
                }
                (name, _) => {
                    let wanted = if name.starts_with("return") {
                        "a constant bool"
                    } else {
                        "a constant number of meters, zero or more"
                    };
                    return Err(Diagnostic::new(
                        DiagnosticKind::Type,
                        format!("`{name}` of `{PLUGIN}` must be {wanted}"),
                        arg.value.span,
                    ));
                }
            }
        }
        Ok(options)
    }
}

/// A distance in meters: a number, zero or more.
fn distance(value: &Value) -> Option<f64> {
    let meters = match value {
        Value::Int(n) => f64::from(*n),
        Value::Long(n) => *n as f64,
        Value::Real(x) => *x,
        _ => return None,
    };
    (meters >= 0.0 && meters.is_finite()).then_some(meters)
}

/// A column named by a plugin argument, of the type the docs give it.
fn typed_column(arg: &Arg, columns: &[Column], ty: KustoType) -> BResult<usize> {
    let ExprKind::Name(ident) = &arg.value.kind else {
        return Err(Diagnostic::new(
            DiagnosticKind::Semantic,
            format!("`{PLUGIN}` expects a column name here"),
            arg.value.span,
        ));
    };
    let index = position(columns, &ident.name).ok_or_else(|| unknown_column(ident, columns))?;
    if columns[index].ty != ty {
        return Err(Diagnostic::new(
            DiagnosticKind::Type,
            format!(
                "`{PLUGIN}` needs a {ty} column here; `{}` is {}",
                columns[index].name, columns[index].ty
            ),
            arg.value.span,
        ));
    }
    Ok(index)
}
