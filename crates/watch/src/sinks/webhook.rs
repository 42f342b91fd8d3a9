//! The webhook: each alert's JSON line POSTed to a URL, from an outbox kept in the state, so an alert
//! is delivered even when the receiver is down for a while or the watcher restarts. Delivery is at
//! least once (a watcher killed between a successful call and the state save calls again): the body
//! carries `alert_id`, for the receiver to drop repeats.
//!
//! A call that fails with a network error, a timeout, 408, 429 or a 5xx is retried with exponential
//! backoff; an alert that has failed `max_attempts` times, or was refused outright (any other 4xx),
//! goes to the dead-letter file (`dead-letters.ndjson` in the state folder) and out of the outbox.
//! While the receiver keeps failing, the rest of the outbox waits for the next cycle.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::json;

use crate::error::WatchError;
use crate::state::Delivery;

/// Calls per alert within one cycle before the outbox waits for the next cycle.
const CALLS_PER_CYCLE: u32 = 3;

#[derive(Debug, Clone)]
pub struct Webhook {
    pub url: String,
    /// Calls per alert, over all cycles, before it is dead-lettered.
    pub max_attempts: u32,
    /// The wait before the first retry; doubled for each next one.
    pub backoff: Duration,
    pub timeout: Duration,
    pub dead_letter_file: PathBuf,
}

/// An alert given up on, and why.
#[derive(Debug, Clone)]
pub struct DeadLetter {
    pub delivery: Delivery,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct DeliveryReport {
    /// Calls made.
    pub attempts: u32,
    pub delivered: usize,
    pub dead_lettered: usize,
    pub dead: Vec<DeadLetter>,
    /// Alerts still in the outbox.
    pub pending: usize,
    /// The last failure, when a call failed.
    pub last_error: Option<String>,
}

/// How one call ended.
enum Call {
    Delivered,
    /// Worth trying again later.
    Failed(String),
    /// The receiver refused the alert itself; trying again will not help.
    Refused(String),
}

impl Webhook {
    /// Delivers the outbox in order, removing what was delivered or given up on.
    pub async fn deliver(&self, outbox: &mut Vec<Delivery>) -> DeliveryReport {
        let mut report = DeliveryReport::default();
        let client = match reqwest::Client::builder().timeout(self.timeout).build() {
            Ok(client) => client,
            Err(error) => {
                report.last_error = Some(error.to_string());
                report.pending = outbox.len();
                return report;
            }
        };
        let mut remaining = Vec::new();
        let mut receiver_down = false;
        for mut delivery in outbox.drain(..) {
            if receiver_down {
                remaining.push(delivery);
                continue;
            }
            let mut outcome = Call::Failed(String::new());
            for call in 0..CALLS_PER_CYCLE {
                if call > 0 {
                    tokio::time::sleep(self.backoff * 2u32.pow(call - 1)).await;
                }
                delivery.attempts += 1;
                report.attempts += 1;
                outcome = self.call(&client, &delivery.body).await;
                if !matches!(outcome, Call::Failed(_)) || delivery.attempts >= self.max_attempts {
                    break;
                }
            }
            match outcome {
                Call::Delivered => report.delivered += 1,
                Call::Refused(reason) => report.dead.push(DeadLetter { delivery, reason }),
                Call::Failed(reason) if delivery.attempts >= self.max_attempts => {
                    report.last_error = Some(reason.clone());
                    report.dead.push(DeadLetter { delivery, reason });
                }
                Call::Failed(reason) => {
                    report.last_error = Some(reason);
                    receiver_down = true;
                    remaining.push(delivery);
                }
            }
        }
        report.dead_lettered = report.dead.len();
        report.pending = remaining.len();
        *outbox = remaining;
        report
    }

    async fn call(&self, client: &reqwest::Client, body: &str) -> Call {
        let sent = client
            .post(&self.url)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await;
        match sent {
            Ok(response) if response.status().is_success() => Call::Delivered,
            Ok(response) => {
                let status = response.status();
                let reason = format!("{} answered {status}", self.url);
                let retry = status.is_server_error() || status.as_u16() == 408 || status.as_u16() == 429;
                if retry {
                    Call::Failed(reason)
                } else {
                    Call::Refused(reason)
                }
            }
            Err(error) => Call::Failed(format!("calling {}: {error}", self.url)),
        }
    }

    /// Appends the alerts given up on to the dead-letter file (with their attempts and the last
    /// reason) and fsyncs it.
    pub fn write_dead_letters(&self, dead: &[DeadLetter]) -> Result<(), WatchError> {
        let path = &self.dead_letter_file;
        let mut text = String::new();
        for letter in dead {
            let alert: serde_json::Value =
                serde_json::from_str(&letter.delivery.body).unwrap_or(serde_json::Value::Null);
            let line = json!({
                "alert_id": letter.delivery.alert_id,
                "attempts": letter.delivery.attempts,
                "reason": letter.reason,
                "alert": alert,
            });
            text.push_str(&line.to_string());
            text.push('\n');
        }
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| WatchError::io(path, e))?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| WatchError::io(path, e))
    }
}
