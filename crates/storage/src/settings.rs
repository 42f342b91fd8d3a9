//! How torhunt reaches object storage: the flags' settings and the environment variables they are
//! completed from (captured once, so tests pass their own and nothing prints a secret).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use object_store::azure::AzureConfigKey;

/// An authentication method chosen with `--azure-auth`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AzureAuth {
    Key,
    Sas,
    ServicePrincipal,
    WorkloadIdentity,
    ManagedIdentity,
    Cli,
    Anonymous,
}

impl AzureAuth {
    pub const NAMES: [&'static str; 7] = [
        "key",
        "sas",
        "service-principal",
        "workload-identity",
        "managed-identity",
        "cli",
        "anonymous",
    ];
}

impl FromStr for AzureAuth {
    type Err = String;

    fn from_str(text: &str) -> Result<AzureAuth, String> {
        Ok(match text {
            "key" => AzureAuth::Key,
            "sas" => AzureAuth::Sas,
            "service-principal" => AzureAuth::ServicePrincipal,
            "workload-identity" => AzureAuth::WorkloadIdentity,
            "managed-identity" => AzureAuth::ManagedIdentity,
            "cli" => AzureAuth::Cli,
            "anonymous" => AzureAuth::Anonymous,
            _ => {
                return Err(format!(
                    "unknown authentication method `{text}` (one of {})",
                    AzureAuth::NAMES.join(", ")
                ));
            }
        })
    }
}

/// The environment variables storage settings read, captured once (tests pass their own).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Environment {
    vars: BTreeMap<String, String>,
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Names only: values may be secrets.
        f.debug_list().entries(self.vars.keys()).finish()
    }
}

impl Environment {
    /// The process environment's Azure variables (and `PATH`, to find the Azure CLI).
    pub fn capture() -> Environment {
        Environment::from_vars(std::env::vars().filter(|(name, _)| {
            name.starts_with("AZURE_")
                || matches!(
                    name.as_str(),
                    "AZURITE_BLOB_STORAGE_URL" | "IDENTITY_ENDPOINT" | "MSI_ENDPOINT" | "PATH"
                )
        }))
    }

    pub fn from_vars(vars: impl IntoIterator<Item = (String, String)>) -> Environment {
        Environment {
            vars: vars.into_iter().filter(|(_, v)| !v.is_empty()).collect(),
        }
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// object_store's Azure settings, by key, with the variable that gave each.
    pub(crate) fn azure_keys(&self) -> HashMap<AzureConfigKey, (&str, &str)> {
        let mut keys = HashMap::new();
        for (name, value) in &self.vars {
            let key = match name.as_str() {
                // The Azure CLI's names.
                "AZURE_STORAGE_ACCOUNT" => Ok(AzureConfigKey::AccountName),
                "AZURE_STORAGE_KEY" => Ok(AzureConfigKey::AccessKey),
                other => other.to_ascii_lowercase().parse(),
            };
            if let Ok(key) = key {
                keys.entry(key).or_insert((name.as_str(), value.as_str()));
            }
        }
        keys
    }
}

/// How torhunt reaches object storage: chosen with flags, completed from the environment.
#[derive(Debug, Clone)]
pub struct StorageSettings {
    /// `--azure-account`: the storage account of `az://` URLs (the other forms name it).
    pub azure_account: Option<String>,
    /// `--azure-auth`: use this method and no other.
    pub azure_auth: Option<AzureAuth>,
    /// `--azure-endpoint`: the account's blob endpoint (Azurite, a private endpoint, another cloud).
    pub azure_endpoint: Option<String>,
    /// `--azure-client-id`: the identity to use (user-assigned managed identity, service principal,
    /// workload identity).
    pub azure_client_id: Option<String>,
    /// `--azure-tenant-id`.
    pub azure_tenant_id: Option<String>,
    /// How long one request is retried (throttling, dropped connections, timeouts) before it fails.
    pub retry_timeout: Duration,
    /// Reads: the largest byte range one request fetches, and how many are fetched ahead.
    pub read_chunk_bytes: u64,
    pub reads_ahead: usize,
    pub env: Environment,
}

impl Default for StorageSettings {
    fn default() -> Self {
        StorageSettings {
            azure_account: None,
            azure_auth: None,
            azure_endpoint: None,
            azure_client_id: None,
            azure_tenant_id: None,
            retry_timeout: Duration::from_secs(60),
            read_chunk_bytes: 8 << 20,
            reads_ahead: 4,
            env: Environment::default(),
        }
    }
}

impl StorageSettings {
    /// Defaults completed from the process environment.
    pub fn from_env() -> StorageSettings {
        StorageSettings {
            env: Environment::capture(),
            ..StorageSettings::default()
        }
    }
}
