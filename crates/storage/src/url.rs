//! Storage URLs given as `--data`: which service, account and container, which key prefix, and how to
//! show a blob to the user (the URL as written, never its query, which may hold a SAS token).

use object_store::path::Path as ObjectPath;
use percent_encoding::percent_decode_str;

use crate::error::{Secret, StorageError};

/// The service a URL names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Service {
    /// Azure Blob Storage or ADLS Gen2 (read through the Blob API). `account` is absent for
    /// `az://<container>/...`; `endpoint` is set when the URL names the host
    /// (`https://<account>.blob.<cloud suffix>`).
    Azure {
        account: Option<String>,
        endpoint: Option<String>,
    },
    /// Amazon S3 (`s3://bucket/...`), configured from AWS's environment variables.
    S3,
    /// Google Cloud Storage (`gs://bucket/...`), configured from Google's environment variables.
    Gcs,
}

/// A parsed storage URL: one container (bucket) and a prefix in it.
#[derive(Debug, Clone)]
pub struct StorageUrl {
    pub service: Service,
    pub container: String,
    /// The key prefix inside the container, without leading or trailing `/` (may hold glob characters).
    pub prefix: String,
    /// How blobs of this URL are shown: `base/key`.
    base: String,
    /// A SAS token written in the URL's query (`https://...?sv=...&sig=...`).
    pub sas: Option<Secret>,
}

/// Azure's public cloud suffix; other clouds (`core.usgovcloudapi.net`, `core.chinacloudapi.cn`) are
/// taken from the host of an `https://` or `abfss://` URL.
const AZURE_SUFFIX: &str = "core.windows.net";

impl StorageUrl {
    /// `None` when `text` is not a URL (a local path); an error for a URL torhunt cannot read.
    pub fn parse(text: &str) -> Option<Result<StorageUrl, StorageError>> {
        let (scheme, rest) = text.split_once("://")?;
        if scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        let scheme = scheme.to_ascii_lowercase();
        let fail = |message: String| StorageError::Url {
            url: display_without_query(text),
            message,
        };
        let (rest, query) = match rest.split_once('?') {
            Some((rest, query)) => (rest, Some(query)),
            None => (rest, None),
        };
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let parsed = match scheme.as_str() {
            "az" | "azure" => container_url(
                &scheme,
                authority,
                path,
                Service::Azure {
                    account: None,
                    endpoint: None,
                },
            ),
            "abfs" | "abfss" => match authority.split_once('@') {
                Some((container, host)) => match azure_host(host) {
                    Some((account, suffix)) => Ok(account_url(
                        format!("{scheme}://{container}@{host}"),
                        account,
                        &suffix,
                        container,
                        path,
                    )),
                    None => Err(fail(format!(
                        "expected {scheme}://<container>@<account>.dfs.{AZURE_SUFFIX}/<path>"
                    ))),
                },
                None => container_url(
                    &scheme,
                    authority,
                    path,
                    Service::Azure {
                        account: None,
                        endpoint: None,
                    },
                ),
            },
            "https" => match azure_host(authority) {
                Some((account, suffix)) => {
                    let (container, prefix) = path.split_once('/').unwrap_or((path, ""));
                    if container.is_empty() {
                        Err(fail(
                            "name a container: https://<account>.blob.core.windows.net/<container>/<prefix>"
                                .to_string(),
                        ))
                    } else {
                        Ok(account_url(
                            format!("https://{authority}/{container}"),
                            account,
                            &suffix,
                            container,
                            prefix,
                        ))
                    }
                }
                None => Err(fail(format!(
                    "only Azure storage URLs (https://<account>.blob.{AZURE_SUFFIX}/<container>/...) \
                     are read as telemetry over HTTPS"
                ))),
            },
            "s3" | "s3a" => container_url(&scheme, authority, path, Service::S3),
            "gs" => container_url(&scheme, authority, path, Service::Gcs),
            "file" => return None,
            _ => Err(fail(format!(
                "unknown storage scheme `{scheme}://` (torhunt reads az://, abfss://, \
                 https://<account>.blob.{AZURE_SUFFIX}/, s3:// and gs://)"
            ))),
        };
        Some(parsed.and_then(|mut url| {
            if let Some(query) = query.filter(|q| !q.is_empty()) {
                if !matches!(url.service, Service::Azure { .. }) || !query.contains("sig=") {
                    return Err(fail(
                        "a query string is read only as an Azure SAS token (sv=...&sig=...)".to_string(),
                    ));
                }
                url.sas = Some(Secret::new(query));
            }
            if let Err(message) = object_path(&url.literal_prefix()) {
                return Err(fail(message));
            }
            Ok(url)
        }))
    }

    /// How a blob with key `key` is shown (no query, no secret).
    pub fn display_key(&self, key: &str) -> String {
        if key.is_empty() {
            self.base.clone()
        } else {
            format!("{}/{key}", self.base)
        }
    }

    /// The URL as given, without its query.
    pub fn display(&self) -> String {
        self.display_key(&self.prefix)
    }

    /// Whether the prefix holds glob characters (`*`, `?`, `[`).
    pub fn is_pattern(&self) -> bool {
        self.prefix.contains(['*', '?', '['])
    }

    /// The part of the prefix before any glob character, cut back to a whole folder.
    pub fn literal_prefix(&self) -> String {
        match self.prefix.find(['*', '?', '[']) {
            Some(at) => self.prefix[..at]
                .rsplit_once('/')
                .map_or(String::new(), |(folder, _)| folder.to_string()),
            None => self.prefix.clone(),
        }
    }

    /// The store's key prefix to list (`None`: the whole container).
    pub fn object_prefix(&self) -> Option<ObjectPath> {
        object_path(&self.literal_prefix()).ok().flatten()
    }

    /// The account, container and scheme that identify this URL's store (one store per container).
    pub(crate) fn store_key(&self) -> String {
        let sas = self.sas.as_ref().map_or("", |s| s.expose());
        format!("{:?}|{}|{sas}", self.service, self.container)
    }
}

/// `az://container/prefix`, `s3://bucket/prefix`, `abfss://container/prefix` (fsspec's form).
fn container_url(
    scheme: &str,
    authority: &str,
    path: &str,
    service: Service,
) -> Result<StorageUrl, StorageError> {
    if authority.is_empty() || authority.contains(['.', '@', ':']) {
        return Err(StorageError::Url {
            url: format!("{scheme}://{authority}/{path}"),
            message: format!("expected {scheme}://<container>/<prefix>"),
        });
    }
    Ok(StorageUrl {
        base: format!("{scheme}://{authority}"),
        service,
        container: authority.to_string(),
        prefix: decode(path),
        sas: None,
    })
}

/// A URL that names its Azure account (`abfss://`, `https://`), shown as `base/key`.
fn account_url(base: String, account: String, suffix: &str, container: &str, prefix: &str) -> StorageUrl {
    StorageUrl {
        base,
        service: Service::Azure {
            endpoint: Some(format!("https://{account}.blob.{suffix}")),
            account: Some(account),
        },
        container: container.to_string(),
        prefix: decode(prefix),
        sas: None,
    }
}

/// `(account, suffix)` of `<account>.blob.<suffix>` or `<account>.dfs.<suffix>`.
fn azure_host(host: &str) -> Option<(String, String)> {
    let (account, rest) = host.split_once('.')?;
    let suffix = rest.strip_prefix("blob.").or_else(|| rest.strip_prefix("dfs."))?;
    let valid = !account.is_empty() && account.chars().all(|c| c.is_ascii_alphanumeric());
    (valid && suffix.contains('.')).then(|| (account.to_ascii_lowercase(), suffix.to_ascii_lowercase()))
}

fn decode(path: &str) -> String {
    percent_decode_str(path.trim_matches('/'))
        .decode_utf8_lossy()
        .into_owned()
}

fn display_without_query(text: &str) -> String {
    text.split_once('?')
        .map_or(text, |(before, _)| before)
        .to_string()
}

/// An object_store path for a key prefix (`None` for the container's root).
fn object_path(prefix: &str) -> Result<Option<ObjectPath>, String> {
    let prefix = prefix.trim_matches('/');
    if prefix.is_empty() {
        return Ok(None);
    }
    ObjectPath::parse(prefix)
        .map(Some)
        .map_err(|e| format!("not a valid blob path: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> StorageUrl {
        StorageUrl::parse(text)
            .expect("a URL")
            .unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn azure_forms_name_account_container_and_prefix() {
        let az = parse("az://insights-logs-advancedhunting-devicenetworkevents/tenantId=t/y=2024/");
        assert_eq!(az.container, "insights-logs-advancedhunting-devicenetworkevents");
        assert_eq!(az.prefix, "tenantId=t/y=2024");
        assert_eq!(
            az.service,
            Service::Azure {
                account: None,
                endpoint: None
            }
        );
        let abfss = parse("abfss://logs@acct.dfs.core.windows.net/a/b");
        assert_eq!(abfss.container, "logs");
        assert_eq!(abfss.prefix, "a/b");
        assert_eq!(
            abfss.service,
            Service::Azure {
                account: Some("acct".into()),
                endpoint: Some("https://acct.blob.core.windows.net".into())
            }
        );
        assert_eq!(
            abfss.display_key("a/b/x.json"),
            "abfss://logs@acct.dfs.core.windows.net/a/b/x.json"
        );
        let https = parse("https://acct.blob.core.usgovcloudapi.net/logs/a%20b/?sv=2022-11-02&sig=x%2By");
        assert_eq!(https.container, "logs");
        assert_eq!(https.prefix, "a b");
        assert_eq!(
            https.sas.as_ref().map(Secret::expose),
            Some("sv=2022-11-02&sig=x%2By")
        );
        assert_eq!(
            https.display(),
            "https://acct.blob.core.usgovcloudapi.net/logs/a b"
        );
        assert!(!format!("{https:?}").contains("sig="));
    }

    #[test]
    fn local_paths_are_not_urls_and_other_urls_are_refused() {
        assert!(StorageUrl::parse("exports/DeviceInfo.csv").is_none());
        assert!(StorageUrl::parse("C:\\exports").is_none());
        assert!(StorageUrl::parse("file:///tmp/x").is_none());
        for bad in [
            "https://example.com/x.csv",
            "ftp://host/x",
            "https://acct.blob.core.windows.net/",
            "az://container.with.dots/x",
            "s3://bucket/x?versionId=1",
        ] {
            let error = StorageUrl::parse(bad).expect("a URL").expect_err(bad);
            assert!(!error.to_string().is_empty());
        }
    }

    #[test]
    fn patterns_list_their_literal_folder() {
        let url = parse("az://c/exports/2024-*/Device*.csv");
        assert!(url.is_pattern());
        assert_eq!(url.literal_prefix(), "exports");
        assert!(!parse("az://c/a/b").is_pattern());
    }
}
