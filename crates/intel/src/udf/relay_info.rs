//! `tor_relay_info(ip: string, time: datetime) -> dynamic`: the relay at that address at that time as a
//! property bag (`fingerprint`, `nickname`, `flags`, `role`, `country`, `first_seen`, `last_seen`), or
//! null when the address was not a relay then.

use std::sync::Arc;

use datafusion::arrow::array::StringArray;
use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::Result;
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};
use kql_types::KustoType;
use kql_types::signature::{Param, Returns, Signature as KustoSignature};
use serde_json::json;

use super::{check_arguments, require_history, rows, store_identity};
use crate::render::kusto_time;
use crate::store::{Match, Store};

pub struct TorRelayInfo {
    store: Arc<Store>,
    signature: Signature,
}

impl TorRelayInfo {
    pub const NAME: &'static str = "tor_relay_info";

    /// Its Kusto signature: `tor_relay_info(ip: string, time: datetime) -> dynamic`.
    pub const SIGNATURE: KustoSignature = KustoSignature::scalar(
        Self::NAME,
        &[Param::Str, Param::DateTime],
        Returns::Fixed(KustoType::Dynamic),
    );

    pub fn new(store: Arc<Store>) -> TorRelayInfo {
        TorRelayInfo {
            store,
            signature: Signature::any(2, Volatility::Immutable),
        }
    }

    /// The store it answers from (a cluster checks every process answers from the same one).
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }
}

store_identity!(TorRelayInfo);

/// The bag as compact JSON text (Kusto `dynamic`); unknown values are JSON null.
fn bag(relay: &Match) -> String {
    json!({
        "fingerprint": relay.fingerprint.map(|fp| fp.to_string()),
        "nickname": relay.nickname,
        "flags": relay.flags,
        "role": relay.role.name(),
        "country": relay.country,
        "first_seen": relay.first_seen.map(kusto_time),
        "last_seen": relay.last_seen.map(kusto_time),
    })
    .to_string()
}

impl ScalarUDFImpl for TorRelayInfo {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        check_arguments(Self::NAME, arg_types)?;
        Ok(KustoType::Dynamic.arrow_type())
    }

    /// Marks the result as Kusto `dynamic` (JSON text), which a bare `Utf8` cannot say.
    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let types: Vec<DataType> = args.arg_fields.iter().map(|f| f.data_type().clone()).collect();
        check_arguments(Self::NAME, &types)?;
        Ok(Arc::new(KustoType::Dynamic.field(Self::NAME)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        require_history(&self.store, Self::NAME)?;
        let bags = rows(&args.args, args.number_rows)?.into_iter().map(|row| {
            row.and_then(|(ip, time)| self.store.relay_at(ip, time))
                .map(|relay| bag(&relay))
        });
        Ok(ColumnarValue::Array(Arc::new(bags.collect::<StringArray>())))
    }
}
