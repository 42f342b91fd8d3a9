//! `geo_info_from_ip_address(ip)`: where an IPv4 or IPv6 address is, from a MaxMind-format database the
//! user supplies (`--geoip`: GeoLite2-City, DB-IP City Lite, or their Country editions). Kusto reads
//! MaxMind's GeoLite2-City data; torhunt cannot ship or download it.
//!
//! The result is a bag with the documented fields, in the documented order: `country` (English name),
//! `state` (the first subdivision's English name), `city`, `latitude`, `longitude`. Fields the database
//! does not have for the address are left out; an address the database does not cover, or text that is
//! not an address, gives null.

use std::fmt;
use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, StringBuilder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{DataFusionError, Result};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use kql_types::KustoType;
use kql_types::signature::{Param, Returns, Signature as KustoSignature};
use maxminddb::{Reader, geoip2};
use serde_json::{Map, Value};

/// An opened MaxMind-format database.
pub struct GeoIpDatabase {
    reader: Reader<Vec<u8>>,
    /// The file it came from, for messages.
    path: String,
}

impl fmt::Debug for GeoIpDatabase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GeoIpDatabase")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl GeoIpDatabase {
    /// Opens a database file; the error says which file and why.
    pub fn open(path: &Path) -> std::result::Result<GeoIpDatabase, String> {
        let reader = Reader::open_readfile(path)
            .map_err(|e| format!("{}: not a MaxMind database: {e}", path.display()))?;
        GeoIpDatabase::from_reader(reader, path.display().to_string())
    }

    /// A database held in memory (tests).
    pub fn from_bytes(bytes: Vec<u8>, name: &str) -> std::result::Result<GeoIpDatabase, String> {
        let reader =
            Reader::from_source(bytes).map_err(|e| format!("{name}: not a MaxMind database: {e}"))?;
        GeoIpDatabase::from_reader(reader, name.to_string())
    }

    fn from_reader(reader: Reader<Vec<u8>>, path: String) -> std::result::Result<GeoIpDatabase, String> {
        // City and Country editions share the record layout; an ASN or ISP database has no places.
        let kind = reader.metadata().database_type.clone();
        if !(kind.contains("City") || kind.contains("Country")) {
            return Err(format!(
                "{path}: a `{kind}` database has no locations; geo_info_from_ip_address needs a City or \
                 Country database (GeoLite2-City, DB-IP City Lite)"
            ));
        }
        Ok(GeoIpDatabase { reader, path })
    }

    /// The documented bag for one address text, as compact JSON, or `None`.
    pub fn info(&self, text: &str) -> Result<Option<String>> {
        let Ok(address) = text.parse::<IpAddr>() else {
            return Ok(None);
        };
        let lookup = self.reader.lookup(address).map_err(|e| self.error(e))?;
        let Some(record) = lookup.decode::<geoip2::City>().map_err(|e| self.error(e))? else {
            return Ok(None);
        };
        let mut bag = Map::new();
        let mut put = |key: &str, value: Option<Value>| {
            if let Some(value) = value {
                bag.insert(key.to_string(), value);
            }
        };
        let name = |name: Option<&str>| name.map(|n| Value::String(n.to_string()));
        put("country", name(record.country.names.english));
        put(
            "state",
            name(record.subdivisions.first().and_then(|s| s.names.english)),
        );
        put("city", name(record.city.names.english));
        put("latitude", record.location.latitude.map(Value::from));
        put("longitude", record.location.longitude.map(Value::from));
        if bag.is_empty() {
            return Ok(None);
        }
        Ok(Some(Value::Object(bag).to_string()))
    }

    fn error(&self, error: maxminddb::MaxMindDbError) -> DataFusionError {
        DataFusionError::Execution(format!(
            "geo_info_from_ip_address: reading {}: {error}",
            self.path
        ))
    }
}

/// The UDF over one database, an engine extension (`Engine::register_function`) registered when
/// `--geoip` names a database; without one the binder refuses the call, naming the flag.
#[derive(Debug)]
pub struct GeoInfoFromIpAddress {
    database: Arc<GeoIpDatabase>,
    signature: Signature,
}

impl GeoInfoFromIpAddress {
    pub const NAME: &'static str = "geo_info_from_ip_address";

    /// Its Kusto signature: `geo_info_from_ip_address(ip: string) -> dynamic`.
    pub const SIGNATURE: KustoSignature =
        KustoSignature::scalar(Self::NAME, &[Param::Str], Returns::Fixed(KustoType::Dynamic));

    pub fn udf(database: Arc<GeoIpDatabase>) -> ScalarUDF {
        ScalarUDF::new_from_impl(GeoInfoFromIpAddress {
            database,
            signature: Signature::exact(vec![DataType::Utf8], Volatility::Immutable),
        })
    }
}

impl PartialEq for GeoInfoFromIpAddress {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.database, &other.database)
    }
}

impl Eq for GeoInfoFromIpAddress {}

impl std::hash::Hash for GeoInfoFromIpAddress {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        Arc::as_ptr(&self.database).hash(state);
    }
}

impl ScalarUDFImpl for GeoInfoFromIpAddress {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let addresses = args.args[0].to_array(args.number_rows)?;
        let addresses = addresses.as_string::<i32>();
        let mut out = StringBuilder::with_capacity(addresses.len(), addresses.len() * 64);
        for address in addresses.iter() {
            match address {
                Some(address) => out.append_option(self.database.info(address)?),
                None => out.append_null(),
            }
        }
        Ok(ColumnarValue::Array(Arc::new(out.finish())))
    }
}
