//! KQL functions over the relay store, as DataFusion scalar UDFs. Each holds an `Arc` of the in-memory
//! store; per row they parse the address and do a hash lookup, never a join.

mod relay_at;
mod relay_info;

use std::net::IpAddr;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, TimeUnit, TimestampNanosecondType};
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::{ColumnarValue, ScalarUDF};
use kql_types::signature::Signature;

pub use relay_at::TorRelayAt;
pub use relay_info::TorRelayInfo;

use crate::store::Store;

/// The functions' Kusto signatures, for checking queries without a store.
pub const SIGNATURES: [Signature; 2] = [TorRelayAt::SIGNATURE, TorRelayInfo::SIGNATURE];

/// Both functions over a store, with their Kusto signatures, ready to register with an engine.
pub fn udfs(store: Arc<Store>) -> Vec<(Signature, ScalarUDF)> {
    vec![
        (
            TorRelayAt::SIGNATURE,
            ScalarUDF::from(TorRelayAt::new(store.clone())),
        ),
        (TorRelayInfo::SIGNATURE, ScalarUDF::from(TorRelayInfo::new(store))),
    ]
}

/// Checks `(ip: string, time: datetime)` argument types; nulls and other timestamp units are cast.
fn check_arguments(name: &str, arg_types: &[DataType]) -> Result<()> {
    let [ip, time] = arg_types else {
        return plan_err!("{name}(ip, time) takes 2 arguments, got {}", arg_types.len());
    };
    if !matches!(
        ip,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null
    ) {
        return plan_err!("{name}(ip, time): ip must be a string, got {ip}");
    }
    if !matches!(
        time,
        DataType::Timestamp(..) | DataType::Date32 | DataType::Date64 | DataType::Null
    ) {
        return plan_err!("{name}(ip, time): time must be a datetime, got {time}");
    }
    Ok(())
}

/// Refuses to answer from an empty store: "not a relay" would be a silent wrong answer there.
fn require_history(store: &Store, name: &str) -> Result<()> {
    if store.newest_snapshot().is_none() {
        return datafusion::common::exec_err!(
            "{name}() needs Tor relay history, and the intel store is empty: run `torhunt intel update` \
             (online) or `torhunt intel import FILE...` first"
        );
    }
    Ok(())
}

/// One row's question: which address at what time; `None` when either is null or the text is not an
/// IP address.
type RowQuery = Option<(IpAddr, DateTime<Utc>)>;

fn rows(args: &[ColumnarValue], number_rows: usize) -> Result<Vec<RowQuery>> {
    let arrays = ColumnarValue::values_to_arrays(args)?;
    let [ips, times] = arrays.as_slice() else {
        return plan_err!("expected 2 arguments (ip, time), got {}", arrays.len());
    };
    let ips = cast(ips, &DataType::Utf8)?;
    let times = cast(times, &DataType::Timestamp(TimeUnit::Nanosecond, None))?;
    let (ips, times) = (
        ips.as_string::<i32>(),
        times.as_primitive::<TimestampNanosecondType>(),
    );
    Ok((0..number_rows.min(ips.len()))
        .map(|row| {
            if ips.is_null(row) || times.is_null(row) {
                return None;
            }
            let ip = ips.value(row).trim().parse().ok()?;
            Some((ip, DateTime::from_timestamp_nanos(times.value(row))))
        })
        .collect())
}

/// UDFs compare equal when they share the same store.
macro_rules! store_identity {
    ($udf:ty) => {
        impl PartialEq for $udf {
            fn eq(&self, other: &Self) -> bool {
                std::sync::Arc::ptr_eq(&self.store, &other.store)
            }
        }
        impl Eq for $udf {}
        impl std::hash::Hash for $udf {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                std::sync::Arc::as_ptr(&self.store).hash(state);
            }
        }
        impl std::fmt::Debug for $udf {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($udf)).finish_non_exhaustive()
            }
        }
    };
}
use store_identity;
