//! The few Blob service REST calls the tests write with (object_store creates neither containers nor
//! append blobs), authorised by an account SAS token.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::blocking::Client;

/// The service version of the tokens and requests.
const VERSION: &str = "2021-08-06";

/// What stays unescaped in a blob key: unreserved characters, `/` between folders and `=` of
/// `y=2024`.
const KEY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/')
    .remove(b'=');

/// An account SAS token for the Blob service (all resource types), as in "Create an account SAS"
/// (version 2020-12-06 and later: the string to sign ends with the encryption scope).
pub(crate) fn account_sas(
    account: &str,
    key: &str,
    permissions: &str,
    expiry: chrono::DateTime<chrono::Utc>,
) -> String {
    let expiry = expiry.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let string_to_sign = [
        account,
        permissions,
        "b",
        "sco",
        "",
        &expiry,
        "",
        "",
        VERSION,
        "",
        "",
    ]
    .join("\n");
    let key = ring::hmac::Key::new(
        ring::hmac::HMAC_SHA256,
        &STANDARD.decode(key).expect("a base64 account key"),
    );
    let signature = STANDARD.encode(ring::hmac::sign(&key, string_to_sign.as_bytes()));
    let encode = |value: &str| utf8_percent_encode(value, NON_ALPHANUMERIC).to_string();
    format!(
        "sv={VERSION}&ss=b&srt=sco&sp={permissions}&se={}&sig={}",
        encode(&expiry),
        encode(&signature)
    )
}

/// Writes to the development account with an account SAS token.
pub(crate) struct Writer<'a> {
    pub client: &'a Client,
    pub account_url: String,
    pub sas: String,
}

impl Writer<'_> {
    pub(crate) fn create_container(&self, container: &str) {
        let url = format!("{}/{container}?restype=container&{}", self.account_url, self.sas);
        self.put(url, &[], Vec::new(), &format!("creating container {container}"));
    }

    pub(crate) fn create_append_blob(&self, container: &str, key: &str) {
        let url = format!("{}?{}", self.blob_url(container, key), self.sas);
        let what = format!("creating append blob {container}/{key}");
        self.put(url, &[("x-ms-blob-type", "AppendBlob")], Vec::new(), &what);
    }

    pub(crate) fn append_blocks(&self, container: &str, key: &str, blocks: &[&[u8]]) {
        let url = format!("{}?comp=appendblock&{}", self.blob_url(container, key), self.sas);
        for block in blocks {
            let what = format!("appending a block to {container}/{key}");
            self.put(url.clone(), &[], block.to_vec(), &what);
        }
    }

    fn blob_url(&self, container: &str, key: &str) -> String {
        format!(
            "{}/{container}/{}",
            self.account_url,
            utf8_percent_encode(key, KEY)
        )
    }

    /// A PUT that must succeed.
    fn put(&self, url: String, headers: &[(&str, &str)], body: Vec<u8>, what: &str) {
        let mut request = self
            .client
            .put(url)
            .header("x-ms-version", VERSION)
            .header("Content-Length", body.len().to_string());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request
            .body(body)
            .send()
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let status = response.status();
        if !status.is_success() {
            let body = response.text().unwrap_or_default();
            panic!("{what}: HTTP {status}: {body}");
        }
    }
}
