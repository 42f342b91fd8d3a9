//! The flags that say how `--data` URLs in object storage are reached (Azure Blob Storage / ADLS Gen2,
//! S3, GCS). Credentials themselves come from the environment, the way Azure tools take them, so they
//! never appear in a command line or shell history.

use std::time::Duration;

use torhunt_sources::{AzureAuth, StorageSettings};

#[derive(clap::Args, Debug, Clone, Default)]
pub struct StorageFlags {
    /// The storage account of az:// URLs (default: AZURE_STORAGE_ACCOUNT_NAME). https:// and abfss://
    /// URLs name their account.
    #[arg(long, value_name = "NAME")]
    pub azure_account: Option<String>,
    /// Use only this Azure authentication method (default: the first configured, see the README).
    #[arg(long, value_name = "METHOD", value_parser = clap::builder::PossibleValuesParser::new(AzureAuth::NAMES))]
    pub azure_auth: Option<String>,
    /// The account's blob endpoint, e.g. a private endpoint or http://127.0.0.1:10000/devstoreaccount1
    /// for Azurite (default: AZURE_STORAGE_ENDPOINT, else https://<account>.blob.core.windows.net).
    #[arg(long, value_name = "URL")]
    pub azure_endpoint: Option<String>,
    /// The client id of a user-assigned managed identity, service principal or workload identity
    /// (default: AZURE_CLIENT_ID).
    #[arg(long, value_name = "ID")]
    pub azure_client_id: Option<String>,
    /// The Entra ID tenant of a service principal or workload identity (default: AZURE_TENANT_ID).
    #[arg(long, value_name = "ID")]
    pub azure_tenant_id: Option<String>,
    /// How long a storage request is retried (throttling, dropped connections) before the query
    /// fails, in seconds (default: 60).
    #[arg(long, value_name = "SECONDS")]
    pub storage_retry_secs: Option<u64>,
}

impl StorageFlags {
    /// The settings these flags give, completed from the process environment.
    pub fn settings(&self) -> StorageSettings {
        let defaults = StorageSettings::from_env();
        StorageSettings {
            azure_account: self.azure_account.clone(),
            azure_auth: self
                .azure_auth
                .as_deref()
                .map(|name| name.parse().expect("clap accepted one of AzureAuth::NAMES")),
            azure_endpoint: self.azure_endpoint.clone(),
            azure_client_id: self.azure_client_id.clone(),
            azure_tenant_id: self.azure_tenant_id.clone(),
            retry_timeout: self
                .storage_retry_secs
                .map_or(defaults.retry_timeout, Duration::from_secs),
            ..defaults
        }
    }
}
