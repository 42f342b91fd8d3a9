//! The webhook sink against a server on 127.0.0.1: calls that fail are retried with backoff, an
//! alert that keeps failing goes to the dead-letter file, and nothing is lost across restarts.

use std::time::Duration;

use torhunt_watch::state::Delivery;
use torhunt_watch::{State, Webhook};

use crate::receiver::receiver;

fn webhook(url: &str, max_attempts: u32, dead: &std::path::Path) -> Webhook {
    Webhook {
        url: url.to_string(),
        max_attempts,
        backoff: Duration::from_millis(10),
        timeout: Duration::from_secs(10),
        dead_letter_file: dead.to_path_buf(),
    }
}

fn outbox(count: usize) -> Vec<Delivery> {
    (0..count)
        .map(|n| Delivery {
            alert_id: format!("id{n}"),
            body: format!("{{\"alert_id\":\"id{n}\"}}"),
            attempts: 0,
        })
        .collect()
}

#[tokio::test]
async fn failed_calls_are_retried_until_the_receiver_answers() {
    let server = receiver(2);
    let dir = tempfile::tempdir().unwrap();
    let mut pending = outbox(3);
    let report = webhook(&server.url, 5, &dir.path().join("dead.ndjson"))
        .deliver(&mut pending)
        .await;
    assert_eq!(
        (report.delivered, report.dead_lettered, report.pending),
        (3, 0, 0)
    );
    assert_eq!(report.attempts, 5, "two failed calls, then one per alert");
    assert!(pending.is_empty());
    let accepted = server.accepted.lock().unwrap().clone();
    assert_eq!(
        accepted,
        [
            "{\"alert_id\":\"id0\"}",
            "{\"alert_id\":\"id1\"}",
            "{\"alert_id\":\"id2\"}"
        ]
    );
}

#[tokio::test]
async fn a_receiver_that_stays_down_keeps_the_outbox_then_dead_letters_it() {
    let server = receiver(usize::MAX);
    let dir = tempfile::tempdir().unwrap();
    let dead = dir.path().join("dead.ndjson");
    let sink = webhook(&server.url, 4, &dead);
    let mut pending = outbox(2);
    // First cycle: three calls for the first alert fail; the second waits untried.
    let first = sink.deliver(&mut pending).await;
    assert_eq!((first.delivered, first.dead_lettered, first.pending), (0, 0, 2));
    assert_eq!(pending[0].attempts, 3);
    assert_eq!(pending[1].attempts, 0);
    assert!(first.last_error.unwrap().contains("503"));

    // The outbox survives a restart in the state.
    let mut state = State::load(dir.path()).unwrap();
    state.outbox = pending;
    state.save(dir.path()).unwrap();
    let mut pending = State::load(dir.path()).unwrap().outbox;

    // Second cycle: the first alert reaches its fourth failure and is dead-lettered; the second is
    // tried three times and waits.
    let second = sink.deliver(&mut pending).await;
    assert_eq!(
        (second.delivered, second.dead_lettered, second.pending),
        (0, 1, 1)
    );
    sink.write_dead_letters(&second.dead).unwrap();
    let letters: Vec<serde_json::Value> = std::fs::read_to_string(&dead)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0]["alert_id"], "id0");
    assert_eq!(letters[0]["attempts"], 4);
    assert_eq!(letters[0]["alert"]["alert_id"], "id0");
    assert_eq!(*server.calls.lock().unwrap(), 3 + 1 + 3);
}
