//! Filters on dictionary-encoded string columns, evaluated once per distinct value.
//!
//! torhunt's Parquet declares its string columns dictionary-encoded (`export`), so `ParquetSource`
//! hands them over as keys into each row group's dictionary, and DataFusion casts them back to plain
//! strings for the filters pushed into the decoder: the join filter of the relay rule (7,000 addresses)
//! hashed every row's `RemoteIP` anew, where a row group of 131,072 rows holds about 4,000 distinct
//! addresses. [`PerDistinctValueAdapterFactory`] rewrites each boolean piece of a filter that reads
//! one such column into a [`PerDistinctValue`], which evaluates it on the dictionary's values once (the
//! answer kept while the dictionary and the dynamic filters in it stay the same) and answers each row
//! by its key.
//!
//! It gives the same answer as the piece it replaces: a non-volatile expression's value for a row
//! depends only on the row's value. Anything else (a volatile expression, a column read some other way,
//! a null key, a dictionary value the expression fails on) is evaluated row by row as written. Pruning
//! with statistics sees the piece as written ([`PhysicalExpr::snapshot`]).

use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::compute::take;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::Result as DfResult;
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::logical_expr::ColumnarValue;
use datafusion::physical_expr::expressions::{CastExpr, Column};
use datafusion::physical_expr::simplifier::PhysicalExprSimplifier;
use datafusion::physical_expr::utils::collect_columns;
use datafusion::physical_expr_adapter::{
    DefaultPhysicalExprAdapterFactory, PhysicalExprAdapter, PhysicalExprAdapterFactory,
};
use datafusion::physical_expr_common::physical_expr::{
    PhysicalExpr, is_volatile, snapshot_generation, snapshot_physical_expr,
};

/// DataFusion's adapter from table to file schema, followed by the rewrite into [`PerDistinctValue`].
#[derive(Debug)]
pub(crate) struct PerDistinctValueAdapterFactory;

impl PhysicalExprAdapterFactory for PerDistinctValueAdapterFactory {
    fn create(
        &self,
        logical_file_schema: SchemaRef,
        physical_file_schema: SchemaRef,
    ) -> DfResult<Arc<dyn PhysicalExprAdapter>> {
        Ok(Arc::new(PerDistinctValueAdapter {
            casts: DefaultPhysicalExprAdapterFactory
                .create(logical_file_schema, Arc::clone(&physical_file_schema))?,
            physical_file_schema,
        }))
    }
}

#[derive(Debug)]
struct PerDistinctValueAdapter {
    casts: Arc<dyn PhysicalExprAdapter>,
    physical_file_schema: SchemaRef,
}

impl PhysicalExprAdapter for PerDistinctValueAdapter {
    fn rewrite(&self, expr: Arc<dyn PhysicalExpr>) -> DfResult<Arc<dyn PhysicalExpr>> {
        let adapted = self.casts.rewrite(expr)?;
        adapted
            .transform_down(|piece| {
                Ok(match self.dictionary_column_read_by(&piece) {
                    Some(column) => Transformed::new(
                        PerDistinctValue::of(column, piece, &self.physical_file_schema)?,
                        true,
                        TreeNodeRecursion::Jump,
                    ),
                    None => Transformed::no(piece),
                })
            })
            .map(|rewritten| rewritten.data)
    }
}

impl PerDistinctValueAdapter {
    /// The column `piece` reads, when it is a non-volatile boolean expression of one dictionary-encoded
    /// string column, read only as cast to plain strings (as the adapter casts it to the table's type).
    fn dictionary_column_read_by(&self, piece: &Arc<dyn PhysicalExpr>) -> Option<Column> {
        let schema = &self.physical_file_schema;
        if piece.downcast_ref::<Column>().is_some()
            || !matches!(piece.data_type(schema), Ok(DataType::Boolean))
            || is_volatile(piece)
        {
            return None;
        }
        let columns = collect_columns(piece);
        let column = columns.iter().next().filter(|_| columns.len() == 1)?;
        let dictionary_of_strings = matches!(
            schema.fields().get(column.index()).map(|f| f.data_type()),
            Some(DataType::Dictionary(_, values)) if **values == DataType::Utf8
        );
        (dictionary_of_strings && read_only_as_strings(piece, column)).then(|| column.clone())
    }
}

/// Whether every use of `column` in `expr` is a cast of it to `Utf8`.
fn read_only_as_strings(expr: &Arc<dyn PhysicalExpr>, column: &Column) -> bool {
    if let Some(cast) = expr.downcast_ref::<CastExpr>()
        && cast.cast_type() == &DataType::Utf8
        && cast.expr().downcast_ref::<Column>() == Some(column)
    {
        return true;
    }
    if expr.downcast_ref::<Column>() == Some(column) {
        return false;
    }
    expr.children()
        .into_iter()
        .all(|child| read_only_as_strings(child, column))
}

/// A boolean expression of one dictionary-encoded string column, evaluated on the dictionary's
/// distinct values and answered for each row by its key (see the module docs).
#[derive(Debug)]
pub(crate) struct PerDistinctValue {
    /// The column, as read from the file.
    column: Arc<dyn PhysicalExpr>,
    /// The expression as it was, over the file's columns: what pruning sees, and what runs when the
    /// column does not arrive as a dictionary.
    as_written: Arc<dyn PhysicalExpr>,
    /// The expression over one plain string column (`value`, index 0): the dictionary's values.
    on_value: Arc<dyn PhysicalExpr>,
    /// The dictionary last seen, the generation of the dynamic filters then, and the answer per value.
    /// A row group's batches share their dictionary's buffers (each batch wraps them anew).
    last: Mutex<Option<Answered>>,
}

#[derive(Debug)]
struct Answered {
    values: ArrayRef,
    generation: u64,
    per_value: ArrayRef,
}

/// The one-column schema `on_value` reads.
fn value_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![Field::new("value", DataType::Utf8, true)]))
}

impl PerDistinctValue {
    /// `piece` (adapted to the file's columns) over `column`, answered per distinct value.
    fn of(
        column: Column,
        piece: Arc<dyn PhysicalExpr>,
        physical_file_schema: &Schema,
    ) -> DfResult<Arc<dyn PhysicalExpr>> {
        let value: Arc<dyn PhysicalExpr> = Arc::new(Column::new("value", 0));
        let on_value = Arc::clone(&piece)
            .transform_down(|node| {
                let is_cast_of_column = node
                    .downcast_ref::<CastExpr>()
                    .is_some_and(|cast| cast.expr().downcast_ref::<Column>() == Some(&column));
                Ok(if is_cast_of_column {
                    Transformed::yes(Arc::clone(&value))
                } else {
                    Transformed::no(node)
                })
            })?
            .data;
        // As written, the casts the adapter put in move onto literals, as DataFusion does next for
        // every filter, so statistics can prune with it.
        let as_written = PhysicalExprSimplifier::new(physical_file_schema).simplify(piece)?;
        Ok(Arc::new(PerDistinctValue {
            column: Arc::new(column),
            as_written,
            on_value,
            last: Mutex::new(None),
        }))
    }

    /// The expression's answer for each value of a dictionary; `None` when it fails on one (a row
    /// holding it, if any, then fails as written).
    fn per_value(&self, values: &ArrayRef) -> Option<ArrayRef> {
        let generation = snapshot_generation(&self.on_value);
        let mut last = self.last.lock().ok()?;
        if let Some(answered) = last.as_ref()
            && answered.values.to_data().ptr_eq(&values.to_data())
            && answered.generation == generation
        {
            return Some(Arc::clone(&answered.per_value));
        }
        let batch = RecordBatch::try_new(value_schema(), vec![Arc::clone(values)]).ok()?;
        let per_value = self
            .on_value
            .evaluate(&batch)
            .ok()?
            .into_array(values.len())
            .ok()?;
        *last = Some(Answered {
            values: Arc::clone(values),
            generation,
            per_value: Arc::clone(&per_value),
        });
        Some(per_value)
    }
}

impl PhysicalExpr for PerDistinctValue {
    fn data_type(&self, _input_schema: &Schema) -> DfResult<DataType> {
        Ok(DataType::Boolean)
    }

    fn nullable(&self, input_schema: &Schema) -> DfResult<bool> {
        self.as_written.nullable(input_schema)
    }

    fn evaluate(&self, batch: &RecordBatch) -> DfResult<ColumnarValue> {
        let column = self.column.evaluate(batch)?.into_array(batch.num_rows())?;
        if let Some(dictionary) = column.as_any_dictionary_opt()
            && dictionary.keys().null_count() == 0
            && dictionary.values().data_type() == &DataType::Utf8
            && let Some(per_value) = self.per_value(dictionary.values())
        {
            return Ok(ColumnarValue::Array(take(
                per_value.as_ref(),
                dictionary.keys(),
                None,
            )?));
        }
        self.as_written.evaluate(batch)
    }

    fn children(&self) -> Vec<&Arc<dyn PhysicalExpr>> {
        vec![&self.column]
    }

    /// The same expression over the column at a new place (DataFusion renumbers a filter's columns for
    /// the batches it decodes for it).
    fn with_new_children(
        self: Arc<Self>,
        children: Vec<Arc<dyn PhysicalExpr>>,
    ) -> DfResult<Arc<dyn PhysicalExpr>> {
        let [column] = <[_; 1]>::try_from(children).map_err(|children| {
            datafusion::error::DataFusionError::Internal(format!(
                "a per-distinct-value filter reads one column, given {}",
                children.len()
            ))
        })?;
        let as_written = Arc::clone(&self.as_written)
            .transform_down(|node| {
                Ok(if node.as_ref() == self.column.as_ref() {
                    Transformed::yes(Arc::clone(&column))
                } else {
                    Transformed::no(node)
                })
            })?
            .data;
        Ok(Arc::new(PerDistinctValue {
            column,
            as_written,
            on_value: Arc::clone(&self.on_value),
            last: Mutex::new(None),
        }))
    }

    fn fmt_sql(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_written.fmt_sql(f)
    }

    fn snapshot(&self) -> DfResult<Option<Arc<dyn PhysicalExpr>>> {
        snapshot_physical_expr(Arc::clone(&self.as_written)).map(Some)
    }

    fn snapshot_generation(&self) -> u64 {
        snapshot_generation(&self.on_value)
    }
}

impl fmt::Display for PerDistinctValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "per_distinct_value({})", self.as_written)
    }
}

impl PartialEq for PerDistinctValue {
    fn eq(&self, other: &Self) -> bool {
        self.column.as_ref() == other.column.as_ref() && self.as_written.as_ref() == other.as_written.as_ref()
    }
}

impl Eq for PerDistinctValue {}

impl Hash for PerDistinctValue {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.column.hash(state);
        self.as_written.hash(state);
    }
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::{
        BooleanArray, DictionaryArray, Int32Array, Int64Array, StringArray, make_array,
    };
    use datafusion::arrow::datatypes::Int32Type;
    use datafusion::logical_expr::Operator;
    use datafusion::physical_expr::expressions::{
        DynamicFilterPhysicalExpr, binary, col, in_list, is_null, like, lit, not,
    };
    use proptest::prelude::*;

    use super::*;

    /// The table's view: `s` a string, `n` a long.
    fn table_schema() -> SchemaRef {
        Arc::new(Schema::new(vec![
            Field::new("s", DataType::Utf8, true),
            Field::new("n", DataType::Int64, true),
        ]))
    }

    /// The file's: `s` a dictionary of strings.
    fn file_schema() -> SchemaRef {
        Arc::new(Schema::new(vec![
            Field::new(
                "s",
                DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
                true,
            ),
            Field::new("n", DataType::Int64, true),
        ]))
    }

    fn file_batch(values: &ArrayRef, keys: &[i32], numbers: &[Option<i64>]) -> RecordBatch {
        let dictionary =
            DictionaryArray::<Int32Type>::try_new(Int32Array::from(keys.to_vec()), Arc::clone(values))
                .expect("keys index the values");
        let numbers = Int64Array::from(numbers.to_vec());
        RecordBatch::try_new(file_schema(), vec![Arc::new(dictionary), Arc::new(numbers)]).expect("batch")
    }

    /// The predicate through DataFusion's adapter alone, and through ours.
    fn adapted(predicate: &Arc<dyn PhysicalExpr>) -> (Arc<dyn PhysicalExpr>, Arc<dyn PhysicalExpr>) {
        let default = DefaultPhysicalExprAdapterFactory
            .create(table_schema(), file_schema())
            .and_then(|a| a.rewrite(Arc::clone(predicate)))
            .expect("DataFusion adapts it");
        let ours = PerDistinctValueAdapterFactory
            .create(table_schema(), file_schema())
            .and_then(|a| a.rewrite(Arc::clone(predicate)))
            .expect("ours adapts it");
        (default, ours)
    }

    fn answer(expr: &Arc<dyn PhysicalExpr>, batch: &RecordBatch) -> BooleanArray {
        let array = expr
            .evaluate(batch)
            .and_then(|v| v.into_array(batch.num_rows()))
            .expect("evaluates");
        array.as_boolean().clone()
    }

    const WORDS: [&str; 8] = ["", "tor", "torrent", "TOR", "a.tor", "b", "ab", "vuze"];

    /// A random predicate over `s` and `n` (the table's view), as filters pushed to a scan read.
    fn predicate() -> impl Strategy<Value = Arc<dyn PhysicalExpr>> {
        let s = move || col("s", &table_schema()).expect("s");
        let word = proptest::sample::select(WORDS.to_vec());
        let leaf = prop_oneof![
            (
                word.clone(),
                proptest::sample::select(vec![Operator::Eq, Operator::NotEq, Operator::Lt, Operator::GtEq])
            )
                .prop_map(move |(w, op)| binary(s(), op, lit(w), &table_schema()).expect("compares")),
            proptest::collection::vec(word.clone(), 0..4).prop_map(move |words| {
                let list = words.into_iter().map(lit).collect();
                in_list(
                    col("s", &table_schema()).expect("s"),
                    list,
                    &false,
                    &table_schema(),
                )
                .expect("in")
            }),
            word.prop_map(move |w| {
                let s = col("s", &table_schema()).expect("s");
                like(false, true, s, lit(format!("{w}%")), &table_schema()).expect("like")
            }),
            (0i64..4).prop_map(move |k| {
                binary(
                    col("n", &table_schema()).expect("n"),
                    Operator::Gt,
                    lit(k),
                    &table_schema(),
                )
                .expect("gt")
            }),
            Just(()).prop_map(move |()| is_null(col("n", &table_schema()).expect("n")).expect("is null")),
        ];
        leaf.prop_recursive(3, 12, 2, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|(l, r)| binary(
                    l,
                    Operator::And,
                    r,
                    &table_schema()
                )
                .expect("and")),
                (inner.clone(), inner.clone())
                    .prop_map(|(l, r)| binary(l, Operator::Or, r, &table_schema()).expect("or")),
                inner.prop_map(|e| not(e).expect("not")),
            ]
        })
    }

    proptest! {
        /// Every predicate gives the same answers rewritten as DataFusion alone rewrites it, row for row,
        /// nulls included, over batches that share one dictionary (the answers kept between them).
        #[test]
        fn answers_are_those_of_the_predicate_as_written(
            predicate in predicate(),
            values in proptest::collection::vec(proptest::sample::select(WORDS.to_vec()), 1..6),
            rows in proptest::collection::vec((any::<prop::sample::Index>(), proptest::option::of(0i64..5)), 0..20),
            more_rows in proptest::collection::vec((any::<prop::sample::Index>(), proptest::option::of(0i64..5)), 0..20),
        ) {
            let values: ArrayRef = Arc::new(StringArray::from(values));
            // The next batch of a row group wraps the same buffers anew; another row group's
            // dictionary is another array of the same length.
            let rewrapped = make_array(values.to_data());
            let mut other: Vec<&str> = WORDS.iter().rev().take(values.len()).copied().collect();
            other.resize(values.len(), "b");
            let other: ArrayRef = Arc::new(StringArray::from(other));
            let (default, ours) = adapted(&predicate);
            for (values, rows) in [(&values, &rows), (&rewrapped, &more_rows), (&other, &rows)] {
                let keys: Vec<i32> = rows.iter().map(|(k, _)| k.index(values.len()) as i32).collect();
                let numbers: Vec<Option<i64>> = rows.iter().map(|(_, n)| *n).collect();
                let batch = file_batch(values, &keys, &numbers);
                prop_assert_eq!(answer(&ours, &batch), answer(&default, &batch), "{} / {}", default, ours);
            }
        }
    }

    #[test]
    fn pieces_of_one_string_column_are_answered_per_distinct_value() {
        let s = col("s", &table_schema()).expect("s");
        let n = col("n", &table_schema()).expect("n");
        let in_relays = in_list(
            Arc::clone(&s),
            vec![lit("tor"), lit("vuze")],
            &false,
            &table_schema(),
        )
        .expect("in");
        let recent = binary(n, Operator::Gt, lit(1i64), &table_schema()).expect("gt");
        let both = binary(in_relays, Operator::And, recent, &table_schema()).expect("and");
        let (_, ours) = adapted(&both);
        let shown = ours.to_string();
        assert_eq!(shown.matches("per_distinct_value(").count(), 1, "{shown}");
        assert!(
            shown.contains("n@1 > 1"),
            "the long column's piece is left as written: {shown}"
        );
        // Pruning sees the piece as written, its cast moved onto the literals.
        let snapshot = snapshot_physical_expr(ours).expect("snapshots").to_string();
        assert!(!snapshot.contains("per_distinct_value"), "{snapshot}");
    }

    #[test]
    fn a_dynamic_filter_is_answered_anew_when_it_changes() {
        let s = col("s", &table_schema()).expect("s");
        let filter = Arc::new(DynamicFilterPhysicalExpr::new(vec![Arc::clone(&s)], lit(true)));
        let (_, ours) = adapted(&(Arc::clone(&filter) as Arc<dyn PhysicalExpr>));
        assert!(ours.to_string().contains("per_distinct_value("), "{ours}");
        let values: ArrayRef = Arc::new(StringArray::from(vec!["tor", "b", "vuze"]));
        let batch = file_batch(&values, &[0, 1, 2, 1], &[None; 4]);
        assert_eq!(answer(&ours, &batch), BooleanArray::from(vec![true; 4]));
        let in_relays = in_list(s, vec![lit("tor"), lit("vuze")], &false, &table_schema()).expect("in");
        filter.update(in_relays).expect("updates");
        assert_eq!(
            answer(&ours, &batch),
            BooleanArray::from(vec![true, false, true, false])
        );
    }

    #[test]
    fn a_null_key_is_answered_row_by_row() {
        let s = col("s", &table_schema()).expect("s");
        let is_tor = binary(s, Operator::Eq, lit("tor"), &table_schema()).expect("eq");
        let (_, ours) = adapted(&is_tor);
        let values: ArrayRef = Arc::new(StringArray::from(vec!["tor", "b"]));
        let keys = Int32Array::from(vec![Some(0), None, Some(1)]);
        let dictionary = DictionaryArray::<Int32Type>::try_new(keys, values).expect("dictionary");
        let numbers: ArrayRef = Arc::new(Int64Array::from(vec![None::<i64>; 3]));
        let batch = RecordBatch::try_new(file_schema(), vec![Arc::new(dictionary), numbers]).expect("batch");
        assert_eq!(
            answer(&ours, &batch),
            BooleanArray::from(vec![Some(true), None, Some(false)])
        );
    }
}
