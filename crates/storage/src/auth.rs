//! Credentials, resolved the way Azure tools do it, and the one function that builds a
//! store for a URL ([`object_store_for`]): the CLI uses it, and an executor elsewhere (Ballista) can
//! rebuild the same store from the same URL and settings.
//!
//! Azure credentials come from, in order: a SAS token in the URL; `--azure-auth METHOD` when given;
//! otherwise the first configured of an account key, a SAS token, a service principal, workload
//! identity, a bearer token, managed identity (only where the platform announces it, so a laptop never
//! waits for the metadata endpoint), the Azure CLI (`az` on PATH). The environment variables are
//! object_store's (`AZURE_STORAGE_ACCOUNT_KEY`, ... with all its aliases) plus the Azure CLI's
//! `AZURE_STORAGE_ACCOUNT`, `AZURE_STORAGE_KEY` and `AZURE_STORAGE_CONNECTION_STRING`. Nothing
//! configured is an error naming the options, before any request.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use object_store::ObjectStore;
use object_store::azure::{AzureConfigKey, MicrosoftAzureBuilder};
use object_store::{BackoffConfig, ClientOptions, RetryConfig};

use crate::error::{Secret, StorageError};
use crate::settings::{AzureAuth, StorageSettings};
use crate::url::{Service, StorageUrl};

/// Azurite's well-known account and key (public; documented by Microsoft).
const EMULATOR_ACCOUNT: &str = "devstoreaccount1";
const EMULATOR_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const EMULATOR_URL: &str = "http://127.0.0.1:10000";

/// A store for one container, with what error messages need to say about it.
#[derive(Clone)]
pub struct Store {
    pub object_store: Arc<dyn ObjectStore>,
    pub(crate) info: Arc<StoreInfo>,
}

#[derive(Debug)]
pub(crate) struct StoreInfo {
    /// e.g. "storage account `acct`, container `logs`".
    pub place: String,
    /// e.g. "the account key from AZURE_STORAGE_ACCOUNT_KEY".
    pub auth: String,
    /// The SAS expiry (`se=`), to say so when the service rejects an expired token.
    pub sas_expiry: Option<String>,
    pub secrets: Vec<Secret>,
    pub read_chunk_bytes: u64,
    pub reads_ahead: usize,
    pub retry_timeout: Duration,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Not the object store: its Debug output shows the account key.
        write!(
            f,
            "Store({}, authenticated with {})",
            self.info.place, self.info.auth
        )
    }
}

impl Store {
    /// An empty in-memory store (tests of reading and listing).
    #[cfg(test)]
    pub(crate) fn in_memory(read_chunk_bytes: u64, reads_ahead: usize) -> Store {
        Store {
            object_store: Arc::new(object_store::memory::InMemory::new()),
            info: Arc::new(StoreInfo {
                place: "memory".into(),
                auth: "nothing".into(),
                sas_expiry: None,
                secrets: Vec::new(),
                read_chunk_bytes,
                reads_ahead,
                retry_timeout: Duration::from_secs(1),
            }),
        }
    }

    /// How the store authenticates, for messages (never the secret itself).
    pub fn auth_description(&self) -> &str {
        &self.info.auth
    }
}

/// Builds the store for a URL's container. Makes no request: a wrong credential shows on the first one.
pub fn object_store_for(url: &StorageUrl, settings: &StorageSettings) -> Result<Store, StorageError> {
    match &url.service {
        Service::Azure { account, endpoint } => {
            azure_store(url, account.as_deref(), endpoint.as_deref(), settings)
        }
        Service::S3 => bucket_store(
            url,
            settings,
            "AWS credentials from the environment",
            object_store::aws::AmazonS3Builder::from_env()
                .with_bucket_name(&url.container)
                .with_retry(retry_config(settings))
                .build(),
        ),
        Service::Gcs => bucket_store(
            url,
            settings,
            "Google credentials from the environment",
            object_store::gcp::GoogleCloudStorageBuilder::from_env()
                .with_bucket_name(&url.container)
                .with_retry(retry_config(settings))
                .build(),
        ),
    }
}

/// The store of an S3 or GCS bucket, as its builder gave it.
fn bucket_store(
    url: &StorageUrl,
    settings: &StorageSettings,
    auth: &str,
    built: object_store::Result<impl ObjectStore>,
) -> Result<Store, StorageError> {
    let store = built.map_err(|e| config_error(url, e.to_string()))?;
    Ok(Store {
        object_store: Arc::new(store),
        info: Arc::new(StoreInfo {
            place: format!("bucket `{}`", url.container),
            auth: auth.to_string(),
            sas_expiry: None,
            secrets: Vec::new(),
            read_chunk_bytes: settings.read_chunk_bytes,
            reads_ahead: settings.reads_ahead,
            retry_timeout: settings.retry_timeout,
        }),
    })
}

fn config_error(url: &StorageUrl, message: String) -> StorageError {
    StorageError::Config {
        target: url.display(),
        message,
    }
}

/// Retries with exponential backoff (100 ms doubling up to 5 s) for at most the configured time.
fn retry_config(settings: &StorageSettings) -> RetryConfig {
    RetryConfig {
        backoff: BackoffConfig {
            init_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            base: 2.0,
        },
        max_retries: 20,
        retry_timeout: settings.retry_timeout,
    }
}

/// The credential chosen for an Azure store.
enum Credential {
    Key(Secret),
    Sas(Secret),
    ServicePrincipal {
        client_id: String,
        tenant_id: String,
        secret: Secret,
    },
    WorkloadIdentity {
        client_id: String,
        tenant_id: String,
        token_file: String,
    },
    Bearer(Secret),
    ManagedIdentity {
        client_id: Option<String>,
        endpoint: Option<String>,
    },
    Cli,
    Anonymous,
}

/// Values of `AZURE_STORAGE_CONNECTION_STRING` (`AccountName=...;AccountKey=...;...`).
#[derive(Default)]
struct ConnectionString {
    account: Option<String>,
    key: Option<Secret>,
    sas: Option<Secret>,
    endpoint: Option<String>,
    emulator: bool,
}

impl ConnectionString {
    fn parse(text: &str) -> ConnectionString {
        let mut parsed = ConnectionString::default();
        let mut protocol = "https".to_string();
        let mut suffix = None;
        for pair in text.split(';') {
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            match name.trim() {
                "AccountName" => parsed.account = Some(value.to_string()),
                "AccountKey" => parsed.key = Some(Secret::new(value)),
                "SharedAccessSignature" => parsed.sas = Some(Secret::new(value.trim_start_matches('?'))),
                "BlobEndpoint" => parsed.endpoint = Some(value.trim_end_matches('/').to_string()),
                "DefaultEndpointsProtocol" => protocol = value.to_string(),
                "EndpointSuffix" => suffix = Some(value.to_string()),
                "UseDevelopmentStorage" => parsed.emulator = value.eq_ignore_ascii_case("true"),
                _ => {}
            }
        }
        if parsed.endpoint.is_none()
            && let (Some(account), Some(suffix)) = (&parsed.account, suffix)
        {
            parsed.endpoint = Some(format!("{protocol}://{account}.blob.{suffix}"));
        }
        parsed
    }
}

fn azure_store(
    url: &StorageUrl,
    url_account: Option<&str>,
    url_endpoint: Option<&str>,
    settings: &StorageSettings,
) -> Result<Store, StorageError> {
    let env = &settings.env;
    let keys = env.azure_keys();
    let from_env = |key: AzureConfigKey| keys.get(&key).copied();
    let connection = env
        .get("AZURE_STORAGE_CONNECTION_STRING")
        .map(ConnectionString::parse)
        .unwrap_or_default();
    let emulator =
        connection.emulator || from_env(AzureConfigKey::UseEmulator).is_some_and(|(_, v)| is_true(v));

    let account = url_account
        .map(str::to_string)
        .or_else(|| settings.azure_account.clone())
        .or_else(|| from_env(AzureConfigKey::AccountName).map(|(_, v)| v.to_string()))
        .or_else(|| connection.account.clone())
        .or_else(|| emulator.then(|| EMULATOR_ACCOUNT.to_string()));
    let Some(account) = account else {
        return Err(config_error(
            url,
            "no storage account: give --azure-account NAME, set AZURE_STORAGE_ACCOUNT_NAME, or write \
             the URL as https://<account>.blob.core.windows.net/<container>/... or \
             abfss://<container>@<account>.dfs.core.windows.net/..."
                .to_string(),
        ));
    };
    let endpoint = settings
        .azure_endpoint
        .clone()
        .or_else(|| url_endpoint.map(str::to_string))
        .or_else(|| from_env(AzureConfigKey::Endpoint).map(|(_, v)| v.to_string()))
        .or_else(|| connection.endpoint.clone())
        .or_else(|| {
            emulator.then(|| {
                let base = env.get("AZURITE_BLOB_STORAGE_URL").unwrap_or(EMULATOR_URL);
                format!("{}/{account}", base.trim_end_matches('/'))
            })
        });

    let (credential, auth) = choose_credential(url, settings, &keys, &connection, emulator)?;
    let mut builder = MicrosoftAzureBuilder::new()
        .with_account(&account)
        .with_container_name(&url.container)
        .with_retry(retry_config(settings));
    let mut client = ClientOptions::new();
    if let Some(endpoint) = &endpoint {
        if endpoint.starts_with("http://") {
            client = client.with_allow_http(true);
        }
        builder = builder.with_endpoint(endpoint.clone());
    }
    builder = builder.with_client_options(client);
    let mut secrets = Vec::new();
    let mut sas_expiry = None;
    builder = match credential {
        Credential::Key(key) => {
            secrets.push(key.clone());
            builder.with_access_key(key.expose())
        }
        Credential::Sas(token) => {
            sas_expiry = sas_field(token.expose(), "se");
            secrets.push(token.clone());
            builder.with_config(AzureConfigKey::SasKey, token.expose())
        }
        Credential::ServicePrincipal {
            client_id,
            tenant_id,
            secret,
        } => {
            secrets.push(secret.clone());
            builder.with_client_secret_authorization(client_id, secret.expose(), tenant_id)
        }
        Credential::WorkloadIdentity {
            client_id,
            tenant_id,
            token_file,
        } => builder
            .with_client_id(client_id)
            .with_tenant_id(tenant_id)
            .with_federated_token_file(token_file),
        Credential::Bearer(token) => {
            secrets.push(token.clone());
            builder.with_bearer_token_authorization(token.expose())
        }
        Credential::ManagedIdentity { client_id, endpoint } => {
            let mut builder = builder;
            if let Some(client_id) = client_id {
                builder = builder.with_client_id(client_id);
            }
            if let Some(endpoint) = endpoint {
                builder = builder.with_msi_endpoint(endpoint);
            }
            // With no other credential set, object_store asks the managed identity endpoint.
            builder
        }
        Credential::Cli => builder.with_use_azure_cli(true),
        Credential::Anonymous => builder.with_skip_signature(true),
    };
    let store = builder
        .build()
        .map_err(|e| config_error(url, crate::error::redact(&e.to_string(), &secrets)))?;
    Ok(Store {
        object_store: Arc::new(store),
        info: Arc::new(StoreInfo {
            place: format!("storage account `{account}`, container `{}`", url.container),
            auth,
            sas_expiry,
            secrets,
            read_chunk_bytes: settings.read_chunk_bytes.max(1),
            reads_ahead: settings.reads_ahead.max(1),
            retry_timeout: settings.retry_timeout,
        }),
    })
}

fn is_true(value: &str) -> bool {
    matches!(value.to_ascii_lowercase().as_str(), "true" | "1" | "yes")
}

/// One field of a SAS token's query.
fn sas_field(token: &str, name: &str) -> Option<String> {
    token.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| {
            percent_encoding::percent_decode_str(value)
                .decode_utf8_lossy()
                .into_owned()
        })
    })
}

const NO_CREDENTIALS: &str = "no credentials for Azure storage. Configure one of:\n\
  - an account key: AZURE_STORAGE_ACCOUNT_KEY (or AZURE_STORAGE_CONNECTION_STRING)\n\
  - a SAS token: in the URL (https://<account>.blob.core.windows.net/<container>/?sv=...&sig=...) or AZURE_STORAGE_SAS_TOKEN\n\
  - a service principal: AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and AZURE_TENANT_ID\n\
  - workload identity (AKS): AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE\n\
  - managed identity on an Azure VM or AKS node: --azure-auth managed-identity\n\
  - the Azure CLI after `az login`: --azure-auth cli (used by default when `az` is on PATH)\n\
  - a public container: --azure-auth anonymous\n\
  - the Azurite emulator: AZURE_STORAGE_USE_EMULATOR=true (and AZURITE_BLOB_STORAGE_URL)";

fn choose_credential(
    url: &StorageUrl,
    settings: &StorageSettings,
    keys: &HashMap<AzureConfigKey, (&str, &str)>,
    connection: &ConnectionString,
    emulator: bool,
) -> Result<(Credential, String), StorageError> {
    let env = &settings.env;
    let get = |key: AzureConfigKey| keys.get(&key).copied();
    let key = get(AzureConfigKey::AccessKey)
        .map(|(name, v)| (Secret::new(v), format!("the account key from {name}")))
        .or_else(|| {
            connection.key.clone().map(|k| {
                (
                    k,
                    "the account key from AZURE_STORAGE_CONNECTION_STRING".to_string(),
                )
            })
        })
        .or_else(|| {
            emulator.then(|| {
                (
                    Secret::new(EMULATOR_KEY),
                    "the Azurite emulator's account key".to_string(),
                )
            })
        });
    let sas = url
        .sas
        .clone()
        .map(|s| (s, "the SAS token in the URL".to_string()))
        .or_else(|| {
            get(AzureConfigKey::SasKey).map(|(name, v)| {
                (
                    Secret::new(v.trim_start_matches('?')),
                    format!("the SAS token from {name}"),
                )
            })
        })
        .or_else(|| {
            connection.sas.clone().map(|s| {
                (
                    s,
                    "the SAS token from AZURE_STORAGE_CONNECTION_STRING".to_string(),
                )
            })
        });
    let client_id = settings
        .azure_client_id
        .clone()
        .or_else(|| get(AzureConfigKey::ClientId).map(|(_, v)| v.to_string()));
    let tenant_id = settings
        .azure_tenant_id
        .clone()
        .or_else(|| get(AzureConfigKey::AuthorityId).map(|(_, v)| v.to_string()));
    let client_secret = get(AzureConfigKey::ClientSecret).map(|(_, v)| Secret::new(v));
    let token_file = get(AzureConfigKey::FederatedTokenFile).map(|(_, v)| v.to_string());
    let bearer = get(AzureConfigKey::Token).map(|(name, v)| (Secret::new(v), name));
    let msi_endpoint = get(AzureConfigKey::MsiEndpoint)
        .map(|(_, v)| v.to_string())
        .or_else(|| env.get("IDENTITY_ENDPOINT").map(str::to_string))
        .or_else(|| env.get("MSI_ENDPOINT").map(str::to_string));
    let use_cli = get(AzureConfigKey::UseAzureCli).is_some_and(|(_, v)| is_true(v));
    let cli_on_path = env.get("PATH").is_some_and(|path| {
        std::env::split_paths(path).any(|dir| dir.join("az").is_file() || dir.join("az.cmd").is_file())
    });

    let missing =
        |method: &str, what: &str| Err(config_error(url, format!("--azure-auth {method} needs {what}")));
    let service_principal = || match (&client_id, &tenant_id, &client_secret) {
        (Some(client_id), Some(tenant_id), Some(secret)) => Some((
            Credential::ServicePrincipal {
                client_id: client_id.clone(),
                tenant_id: tenant_id.clone(),
                secret: secret.clone(),
            },
            format!("the service principal {client_id} (AZURE_CLIENT_SECRET)"),
        )),
        _ => None,
    };
    let workload_identity = || match (&client_id, &tenant_id, &token_file) {
        (Some(client_id), Some(tenant_id), Some(token_file)) => Some((
            Credential::WorkloadIdentity {
                client_id: client_id.clone(),
                tenant_id: tenant_id.clone(),
                token_file: token_file.clone(),
            },
            format!("workload identity {client_id} (AZURE_FEDERATED_TOKEN_FILE)"),
        )),
        _ => None,
    };
    let managed_identity = || {
        (
            Credential::ManagedIdentity {
                client_id: client_id.clone(),
                endpoint: msi_endpoint.clone(),
            },
            match &client_id {
                Some(id) => format!("the managed identity {id}"),
                None => "the managed identity".to_string(),
            },
        )
    };
    let cli = || (Credential::Cli, "the Azure CLI's login (az login)".to_string());

    // A SAS token written in the URL is the most specific choice there is.
    if let Some(token) = &url.sas
        && settings.azure_auth.is_none_or(|a| a == AzureAuth::Sas)
    {
        return Ok((
            Credential::Sas(token.clone()),
            "the SAS token in the URL".to_string(),
        ));
    }
    if let Some(method) = settings.azure_auth {
        return match method {
            AzureAuth::Key => match key {
                Some((key, how)) => Ok((Credential::Key(key), how)),
                None => missing(
                    "key",
                    "AZURE_STORAGE_ACCOUNT_KEY (or AZURE_STORAGE_CONNECTION_STRING)",
                ),
            },
            AzureAuth::Sas => match sas {
                Some((token, how)) => Ok((Credential::Sas(token), how)),
                None => missing("sas", "a SAS token in the URL or AZURE_STORAGE_SAS_TOKEN"),
            },
            AzureAuth::ServicePrincipal => service_principal().map_or_else(
                || {
                    missing(
                        "service-principal",
                        "AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and AZURE_TENANT_ID",
                    )
                },
                Ok,
            ),
            AzureAuth::WorkloadIdentity => workload_identity().map_or_else(
                || {
                    missing(
                        "workload-identity",
                        "AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE",
                    )
                },
                Ok,
            ),
            AzureAuth::ManagedIdentity => Ok(managed_identity()),
            AzureAuth::Cli => Ok(cli()),
            AzureAuth::Anonymous => Ok((Credential::Anonymous, "anonymous access".to_string())),
        };
    }
    if let Some((key, how)) = key {
        return Ok((Credential::Key(key), how));
    }
    if let Some((token, how)) = sas {
        return Ok((Credential::Sas(token), how));
    }
    if let Some(chosen) = service_principal().or_else(workload_identity) {
        return Ok(chosen);
    }
    if let Some((token, name)) = bearer {
        return Ok((Credential::Bearer(token), format!("the bearer token from {name}")));
    }
    if msi_endpoint.is_some() {
        return Ok(managed_identity());
    }
    if use_cli || cli_on_path {
        return Ok(cli());
    }
    Err(config_error(url, NO_CREDENTIALS.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Environment;

    fn settings(vars: &[(&str, &str)]) -> StorageSettings {
        StorageSettings {
            env: Environment::from_vars(vars.iter().map(|(k, v)| (k.to_string(), v.to_string()))),
            ..StorageSettings::default()
        }
    }

    fn url(text: &str) -> StorageUrl {
        StorageUrl::parse(text).expect("url").expect("valid")
    }

    fn auth(text: &str, settings: &StorageSettings) -> Result<String, String> {
        object_store_for(&url(text), settings)
            .map(|s| s.auth_description().to_string())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn nothing_configured_fails_at_once_naming_the_options() {
        let started = std::time::Instant::now();
        let error =
            auth("https://acct.blob.core.windows.net/logs/", &settings(&[])).expect_err("no credentials");
        assert!(started.elapsed() < Duration::from_secs(1));
        for option in [
            "AZURE_STORAGE_ACCOUNT_KEY",
            "AZURE_STORAGE_SAS_TOKEN",
            "AZURE_CLIENT_SECRET",
            "AZURE_FEDERATED_TOKEN_FILE",
            "--azure-auth managed-identity",
            "--azure-auth cli",
            "AZURE_STORAGE_USE_EMULATOR",
        ] {
            assert!(error.contains(option), "{option} missing from: {error}");
        }
        let error = auth("az://logs/", &settings(&[])).expect_err("no account");
        assert!(error.contains("--azure-account"), "{error}");
    }

    #[test]
    fn credentials_follow_the_azure_tools_order() {
        let key = ("AZURE_STORAGE_ACCOUNT_KEY", "a2V5a2V5a2V5");
        let sas = ("AZURE_STORAGE_SAS_TOKEN", "sv=2022-11-02&sig=abc");
        let sp = [
            ("AZURE_CLIENT_ID", "app"),
            ("AZURE_CLIENT_SECRET", "shh-secret"),
            ("AZURE_TENANT_ID", "tenant"),
        ];
        let https = "https://acct.blob.core.windows.net/logs/";
        assert_eq!(
            auth(https, &settings(&[key, sas])).unwrap(),
            "the account key from AZURE_STORAGE_ACCOUNT_KEY"
        );
        assert_eq!(
            auth(https, &settings(&[sas])).unwrap(),
            "the SAS token from AZURE_STORAGE_SAS_TOKEN"
        );
        assert_eq!(
            auth(&format!("{https}?sv=1&sig=x"), &settings(&[key])).unwrap(),
            "the SAS token in the URL"
        );
        assert_eq!(
            auth(https, &settings(&sp)).unwrap(),
            "the service principal app (AZURE_CLIENT_SECRET)"
        );
        assert_eq!(
            auth(
                https,
                &settings(&[("IDENTITY_ENDPOINT", "http://localhost:42/msi")])
            )
            .unwrap(),
            "the managed identity"
        );
        assert_eq!(
            auth(https, &settings(&[("AZURE_STORAGE_KEY", "a2V5a2V5a2V5")])).unwrap(),
            "the account key from AZURE_STORAGE_KEY"
        );
        assert_eq!(
            auth(
                "az://logs/",
                &settings(&[(
                    "AZURE_STORAGE_CONNECTION_STRING",
                    "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5a2V5a2V5;EndpointSuffix=core.windows.net"
                )])
            )
            .unwrap(),
            "the account key from AZURE_STORAGE_CONNECTION_STRING"
        );
        assert_eq!(
            auth("az://logs/", &settings(&[("AZURE_STORAGE_USE_EMULATOR", "true")])).unwrap(),
            "the Azurite emulator's account key"
        );
        let explicit = StorageSettings {
            azure_auth: Some(AzureAuth::ServicePrincipal),
            ..settings(&[key])
        };
        let error = auth(https, &explicit).expect_err("no service principal");
        assert!(error.contains("AZURE_CLIENT_SECRET"), "{error}");
        let anonymous = StorageSettings {
            azure_auth: Some(AzureAuth::Anonymous),
            ..settings(&[])
        };
        assert_eq!(auth(https, &anonymous).unwrap(), "anonymous access");
    }

    #[test]
    fn settings_never_print_secrets() {
        let settings = settings(&[("AZURE_STORAGE_ACCOUNT_KEY", "a2V5a2V5a2V5")]);
        assert!(!format!("{settings:?}").contains("a2V5"));
        let store =
            object_store_for(&url("https://acct.blob.core.windows.net/logs/"), &settings).expect("store");
        assert!(!format!("{store:?}").contains("a2V5a2V5a2V5"));
    }
}
