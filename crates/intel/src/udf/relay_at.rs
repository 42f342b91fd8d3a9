//! `tor_relay_at(ip: string, time: datetime) -> bool`: whether the address was a Tor relay at that time.
//! A null or unparsable address or a null time gives `false`.

use std::sync::Arc;

use datafusion::arrow::array::BooleanArray;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility};

use kql_types::KustoType;
use kql_types::signature::{Param, Returns, Signature as KustoSignature};

use super::{check_arguments, require_history, rows, store_identity};
use crate::store::Store;

pub struct TorRelayAt {
    store: Arc<Store>,
    signature: Signature,
}

impl TorRelayAt {
    pub const NAME: &'static str = "tor_relay_at";

    /// Its Kusto signature: `tor_relay_at(ip: string, time: datetime) -> bool`.
    pub const SIGNATURE: KustoSignature = KustoSignature::scalar(
        Self::NAME,
        &[Param::Str, Param::DateTime],
        Returns::Fixed(KustoType::Bool),
    );

    pub fn new(store: Arc<Store>) -> TorRelayAt {
        TorRelayAt {
            store,
            signature: Signature::any(2, Volatility::Immutable),
        }
    }

    /// The store it answers from (a cluster checks every process answers from the same one).
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }
}

store_identity!(TorRelayAt);

impl ScalarUDFImpl for TorRelayAt {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        check_arguments(Self::NAME, arg_types)?;
        Ok(DataType::Boolean)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        require_history(&self.store, Self::NAME)?;
        let answers = rows(&args.args, args.number_rows)?
            .into_iter()
            .map(|row| Some(row.is_some_and(|(ip, time)| self.store.relay_at(ip, time).is_some())));
        Ok(ColumnarValue::Array(Arc::new(answers.collect::<BooleanArray>())))
    }
}
