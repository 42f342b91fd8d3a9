//! Storage errors, worded for the user and free of secrets.
//!
//! object_store's own errors print request URLs, and a SAS token travels in the URL's query: they are
//! never shown as they are. [`describe`] reads what matters from them (the HTTP status, Azure's error
//! code, the transport failure) and the message is built from that, then passed through [`redact`].

use std::fmt;

/// A secret (account key, SAS token, client secret): kept in memory, never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself, for the one place that hands it to the store.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// What went wrong with a storage request, as far as the user needs to act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// 401/403: the credentials were rejected or lack a permission.
    Authentication,
    /// 404: no such account, container or blob.
    NotFound,
    /// 429/503 until the retry time ran out.
    Throttled,
    /// Could not connect, or the connection broke, until the retry time ran out.
    Connection,
    /// A blob became shorter than it was when listed: it was replaced, not appended to.
    Changed,
    Other,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// A `--data` argument that looks like a storage URL but is not one torhunt reads.
    #[error("{url}: {message}")]
    Url { url: String, message: String },

    /// Something missing before any request is made (account, credentials).
    #[error("{target}: {message}")]
    Config { target: String, message: String },

    /// A request that failed, after retries where retrying made sense.
    #[error("{target}: {message}")]
    Request {
        target: String,
        kind: FailureKind,
        message: String,
    },
}

impl StorageError {
    /// What went wrong, without the URL (which an I/O error's reader already names).
    pub fn message(&self) -> &str {
        match self {
            StorageError::Url { message, .. }
            | StorageError::Config { message, .. }
            | StorageError::Request { message, .. } => message,
        }
    }

    pub fn kind(&self) -> Option<FailureKind> {
        match self {
            StorageError::Request { kind, .. } => Some(*kind),
            _ => None,
        }
    }
}

impl From<StorageError> for std::io::Error {
    fn from(error: StorageError) -> std::io::Error {
        use std::io::ErrorKind;
        let kind = match error.kind() {
            Some(FailureKind::Authentication) => ErrorKind::PermissionDenied,
            Some(FailureKind::NotFound) => ErrorKind::NotFound,
            Some(FailureKind::Connection) => ErrorKind::ConnectionAborted,
            Some(FailureKind::Throttled) => ErrorKind::TimedOut,
            _ => ErrorKind::Other,
        };
        std::io::Error::new(kind, error.message().to_string())
    }
}

/// What [`describe`] could tell about an object_store error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub status: Option<u16>,
    /// Azure's error code (`AuthenticationFailed`, `ContainerNotFound`, ...) from the response body.
    pub code: Option<String>,
    /// The first line of the service's message, or the transport error's chain.
    pub detail: String,
    pub kind: FailureKind,
}

/// Reads an object_store error's status, Azure error code and detail, without its URLs.
pub(crate) fn describe(error: &object_store::Error) -> Failure {
    let mut status = match error {
        object_store::Error::NotFound { .. } => Some(404),
        object_store::Error::PermissionDenied { .. } => Some(403),
        object_store::Error::Unauthenticated { .. } => Some(401),
        _ => None,
    };
    let mut code = None;
    let mut detail = None;
    let mut transport = None;
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = source {
        let text = current.to_string();
        // object_store's RequestError::Status / ::Response (its type is private; its text is stable).
        for marker in [
            "Server returned non-2xx status code: ",
            "Server returned error response: ",
        ] {
            if let Some(rest) = text.strip_prefix(marker) {
                if let Some(number) = rest.get(..3).and_then(|s| s.parse().ok()) {
                    status = Some(number);
                }
                code = code.or_else(|| xml_element(rest, "Code"));
                detail = detail.or_else(|| {
                    xml_element(rest, "Message").map(|m| m.lines().next().unwrap_or_default().to_string())
                });
            }
        }
        if transport.is_none()
            && current
                .downcast_ref::<object_store::client::HttpError>()
                .is_some()
        {
            transport = Some(chain_text(current));
        }
        source = current.source();
    }
    let kind = match status {
        Some(401 | 403) => FailureKind::Authentication,
        Some(404) => FailureKind::NotFound,
        Some(429 | 503) => FailureKind::Throttled,
        Some(416) => FailureKind::Changed,
        Some(_) => FailureKind::Other,
        None if transport.is_some() => FailureKind::Connection,
        None => FailureKind::Other,
    };
    let detail = detail.or(transport).unwrap_or_else(|| match status {
        Some(status) => format!("HTTP {status}"),
        None => first_line(&error.to_string()),
    });
    Failure {
        status,
        code,
        detail,
        kind,
    }
}

/// `HTTP error: error sending request: connection closed before message completed` (reqwest's errors
/// here carry no URL: object_store strips it).
fn chain_text(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = error.source();
    while let Some(current) = source {
        let text = current.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = current.source();
    }
    if parts.is_empty() {
        first_line(&error.to_string())
    } else {
        parts.join(": ")
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_string()
}

fn xml_element(text: &str, name: &str) -> Option<String> {
    let start = text.find(&format!("<{name}>"))? + name.len() + 2;
    let end = start + text[start..].find(&format!("</{name}>"))?;
    Some(text[start..end].trim().to_string())
}

/// Removes what could carry a secret from a message: URL query strings (a SAS token) and any of the
/// given secret values.
pub(crate) fn redact(text: &str, secrets: &[Secret]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        // Copy up to the end of this URL's path, then drop its query.
        let url_end = rest[at..]
            .find(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == ')' || c == '>')
            .map_or(rest.len(), |e| at + e);
        let url = &rest[..url_end];
        match url.find('?') {
            Some(query) => {
                out.push_str(&url[..query]);
                out.push_str("?<redacted>");
            }
            None => out.push_str(url),
        }
        rest = &rest[url_end..];
    }
    out.push_str(rest);
    for secret in secrets {
        let value = secret.expose();
        if value.len() >= 8 {
            out = out.replace(value, "<redacted>");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let secret = Secret::new("c2VjcmV0LWtleS12YWx1ZQ==");
        assert_eq!(format!("{secret:?}"), "Secret(***)");
        let text = "Error performing GET https://a.blob.core.windows.net/c/x?sv=2022&sig=abc%2F in 1s - \
                    key c2VjcmV0LWtleS12YWx1ZQ== rejected";
        let clean = redact(text, &[secret]);
        assert!(!clean.contains("sig="), "{clean}");
        assert!(!clean.contains("c2VjcmV0"), "{clean}");
        assert!(
            clean.contains("https://a.blob.core.windows.net/c/x?<redacted>"),
            "{clean}"
        );
    }

    #[test]
    fn azure_error_bodies_give_status_and_code() {
        let error = object_store::Error::Generic {
            store: "MicrosoftAzure",
            source: Box::new(std::io::Error::other(
                "Server returned non-2xx status code: 403 Forbidden: <?xml version=\"1.0\"?><Error>\
                 <Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request.\n\
                 RequestId:1</Message></Error>",
            )),
        };
        let failure = describe(&error);
        assert_eq!(failure.status, Some(403));
        assert_eq!(failure.kind, FailureKind::Authentication);
        assert_eq!(failure.code.as_deref(), Some("AuthenticationFailed"));
        assert_eq!(failure.detail, "Server failed to authenticate the request.");
    }
}
