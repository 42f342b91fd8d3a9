//! An alert's identity: the rule id and the matched row's key columns, hashed. The same match found
//! again — by an overlapping window, a re-run for late records, a restarted watcher — has the same id,
//! so it is written once.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use torhunt_rules::{Alert, Rule};

/// 32 hex digits (128 bits of SHA-256) of the rule id and the row's key columns — the rule's
/// `alertKey` columns when it names them, else every column — as canonical JSON (names and values in
/// the row's column order; a key column the row lacks counts as null).
pub fn alert_id(rule: &Rule, alert: &Alert) -> String {
    let key: Map<String, Value> = if rule.alert_key.is_empty() {
        alert.row.clone()
    } else {
        rule.alert_key
            .iter()
            .map(|column| {
                (
                    column.clone(),
                    alert.row.get(column).cloned().unwrap_or(Value::Null),
                )
            })
            .collect()
    };
    let text = serde_json::to_string(&(&rule.id, key)).unwrap_or_default();
    let digest = Sha256::digest(text.as_bytes());
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use serde_json::json;
    use torhunt_rules::alert::{DeviceEntity, ProcessEntity};
    use torhunt_rules::load_rule_texts;

    use super::*;

    fn rule(id: &str, extra: &str) -> Rule {
        let text = format!("id: {id}\nname: R\nquery: DeviceEvents\n{extra}");
        load_rule_texts(&[(PathBuf::from("r.yaml"), text)])
            .all()
            .unwrap()
            .remove(0)
    }

    fn alert(row: serde_json::Value) -> Alert {
        Alert {
            rule_id: "r1".into(),
            rule_name: "R".into(),
            severity: torhunt_rules::Severity::Medium,
            tactics: Vec::new(),
            techniques: Vec::new(),
            title: "R".into(),
            time: None,
            device: DeviceEntity::default(),
            process: ProcessEntity::default(),
            remote_ip: None,
            remote_url: None,
            relay: None,
            row: row.as_object().unwrap().clone(),
        }
    }

    #[test]
    fn ids_follow_the_rule_and_the_key_columns() {
        let plain = rule("r1", "");
        let a = alert(json!({"DeviceId": "d1", "Count": 1}));
        let b = alert(json!({"DeviceId": "d1", "Count": 2}));
        assert_eq!(alert_id(&plain, &a), alert_id(&plain, &a.clone()));
        assert_eq!(alert_id(&plain, &a).len(), 32);
        assert_ne!(
            alert_id(&plain, &a),
            alert_id(&plain, &b),
            "every column by default"
        );
        let keyed = rule("r1", "alertKey: [DeviceId]\n");
        assert_eq!(alert_id(&keyed, &a), alert_id(&keyed, &b), "only the key columns");
        let other = rule("r2", "alertKey: [DeviceId]\n");
        assert_ne!(
            alert_id(&keyed, &a),
            alert_id(&other, &a),
            "the rule is part of the id"
        );
    }
}
