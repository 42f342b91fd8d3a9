//! `hash_sha256(s)` / `hash_sha1(s)` / `hash_md5(s)`: lower-case hex digests of the UTF-8 bytes. Non-string sources
//! are converted by the planner first; note that Kusto hashes a datetime as its 7-digit ISO text
//! (`hash_md5(datetime(2020-01-01))` is md5("2020-01-01T00:00:00.0000000Z")).

use std::fmt::Write;
use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::logical_expr::ScalarUDF;
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256};

use super::kernel::{Param, Params, define, string_rows};
use crate::declare::*;

/// `kql_hash_sha256(s: Utf8) -> Utf8`.
pub fn hash_sha256() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, hex_digest::<Sha256>("kql_hash_sha256"))
}

pub(crate) static HASH_SHA256: KustoFunction = KustoFunction::scalar(
    Signature::scalar("hash_sha256", &[P::Text], R::Fixed(T::String)),
    hash_sha256,
);

/// `kql_hash_sha1(s: Utf8) -> Utf8`.
pub fn hash_sha1() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, hex_digest::<Sha1>("kql_hash_sha1"))
}

pub(crate) static HASH_SHA1: KustoFunction = KustoFunction::scalar(
    Signature::scalar("hash_sha1", &[P::Text], R::Fixed(T::String)),
    hash_sha1,
);

/// `kql_hash_md5(s: Utf8) -> Utf8`.
pub fn hash_md5() -> Arc<ScalarUDF> {
    crate::singleton!(ScalarUDF, hex_digest::<Md5>("kql_hash_md5"))
}

pub(crate) static HASH_MD5: KustoFunction = KustoFunction::scalar(
    Signature::scalar("hash_md5", &[P::Text], R::Fixed(T::String)),
    hash_md5,
);

/// A function giving the hex digest `D` of each row's text.
fn hex_digest<D: Digest>(name: &'static str) -> Arc<ScalarUDF> {
    define(name, Params::fixed(&[Param::Str]), DataType::Utf8, |args| {
        let text = args.str(0)?;
        string_rows(args, |row, out| {
            hex(&D::digest(text.get(row)), out);
            Ok(())
        })
    })
}

fn hex(bytes: &[u8], out: &mut String) {
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::string::kernel::testing::{call_scalars, s};

    #[test]
    fn docs_examples() {
        // Emulator cases hash-md5-function-00, hash-sha1-function-00 and hash-sha256-function-00.
        assert_eq!(
            call_scalars(&hash_md5(), vec![s("World")]),
            s("f5a7924e621e84c9280a9a27e1bcb7f6")
        );
        assert_eq!(
            call_scalars(&hash_md5(), vec![s("2020-01-01T00:00:00.0000000Z")]),
            s("786c530672d1f8db31fee25ea8a9390b")
        );
        assert_eq!(
            call_scalars(&hash_sha1(), vec![s("World")]),
            s("70c07ec18ef89c5309bbb0937f3a6342411e1fdd")
        );
        assert_eq!(
            call_scalars(&hash_sha1(), vec![s("2020-01-01T00:00:00.0000000Z")]),
            s("e903e533f4d636b4fc0dcf3cf81e7b7f330de776")
        );
        assert_eq!(
            call_scalars(&hash_sha256(), vec![s("World")]),
            s("78ae647dc5544d227130a0682a51e30bc7777fbb6d8a8f17007463a3ecd1d524")
        );
    }
}
