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

pub(crate) fn create_container(client: &Client, account_url: &str, sas: &str, container: &str) {
    let url = format!("{account_url}/{container}?restype=container&{sas}");
    expect_created(
        client
            .put(url)
            .header("x-ms-version", VERSION)
            .header("Content-Length", "0"),
        &format!("creating container {container}"),
    );
}

pub(crate) fn append_blob(
    client: &Client,
    account_url: &str,
    sas: &str,
    container: &str,
    key: &str,
    blocks: &[&[u8]],
) {
    let url = format!("{}?{sas}", blob_url(account_url, container, key));
    expect_created(
        client
            .put(url)
            .header("x-ms-version", VERSION)
            .header("x-ms-blob-type", "AppendBlob")
            .header("Content-Length", "0"),
        &format!("creating append blob {container}/{key}"),
    );
    append_blocks(client, account_url, sas, container, key, blocks);
}

pub(crate) fn append_blocks(
    client: &Client,
    account_url: &str,
    sas: &str,
    container: &str,
    key: &str,
    blocks: &[&[u8]],
) {
    let url = format!("{}?comp=appendblock&{sas}", blob_url(account_url, container, key));
    for block in blocks {
        expect_created(
            client
                .put(&url)
                .header("x-ms-version", VERSION)
                .body(block.to_vec()),
            &format!("appending a block to {container}/{key}"),
        );
    }
}

fn blob_url(account_url: &str, container: &str, key: &str) -> String {
    format!("{account_url}/{container}/{}", utf8_percent_encode(key, KEY))
}

fn expect_created(request: reqwest::blocking::RequestBuilder, what: &str) {
    let response = request.send().unwrap_or_else(|e| panic!("{what}: {e}"));
    let status = response.status();
    if !status.is_success() {
        let body = response.text().unwrap_or_default();
        panic!("{what}: HTTP {status}: {body}");
    }
}
