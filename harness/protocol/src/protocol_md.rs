//! PROTOCOL.md's own examples, read from the document: each must read into these types and
//! write back as exactly the same JSON (field names, null versus absent), so the document
//! and the code cannot disagree unnoticed.

use std::collections::BTreeSet;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::{AgentMessage, HostMessage, PlannedAction};

const PROTOCOL_MD: &str = include_str!("../../agent/PROTOCOL.md");

/// Fills the document's placeholders: `N` (an integer) and `F` (a float) where a value
/// stands, and drops the elisions `,...` of lists.
fn fill(span: &str) -> String {
    let span = span.replace(",...", "");
    let mut out = String::with_capacity(span.len());
    let mut prev = ' ';
    let mut chars = span.chars().peekable();
    while let Some(c) = chars.next() {
        let ends = chars
            .peek()
            .is_none_or(|n| matches!(n, ',' | '}' | ']') || n.is_whitespace());
        match c {
            'N' if prev == ':' && ends => out.push('7'),
            'F' if prev == ':' && ends => out.push_str("1.5"),
            _ => out.push(c),
        }
        prev = c;
    }
    out
}

/// The inline code spans that are JSON objects once filled in.
fn examples() -> Vec<Value> {
    PROTOCOL_MD
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| s.starts_with('{'))
        .filter_map(|s| serde_json::from_str(&fill(s)).ok())
        .collect()
}

fn round_trip<T: DeserializeOwned + Serialize>(v: &Value) {
    let typed: T = serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{v}: {e}"));
    assert_eq!(&serde_json::to_value(&typed).unwrap(), v);
}

#[test]
fn every_example_round_trips() {
    let mut seen = BTreeSet::new();
    for v in examples() {
        if let Some(action) = v.get("action").filter(|_| v.get("at_ns").is_some()) {
            round_trip::<PlannedAction>(&v);
            seen.insert(format!("action {}", action.as_str().unwrap()));
            continue;
        }
        let ty = v["type"].as_str().unwrap().to_string();
        match ty.as_str() {
            "plan" | "poweroff" => round_trip::<HostMessage>(&v),
            _ => round_trip::<AgentMessage>(&v),
        }
        seen.insert(ty);
    }
    let expected = [
        "action cable_test",
        "action cable_test_tdr",
        "action eee",
        "action link_settings",
        "action_done",
        "bench",
        "cable_test",
        "end",
        "error",
        "hello",
        "kmsg",
        "link",
        "plan",
        "poweroff",
        "start",
        "teardown",
    ];
    assert_eq!(
        seen.iter().map(String::as_str).collect::<Vec<_>>(),
        expected
    );
}

#[test]
fn placeholders() {
    assert_eq!(
        fill(r#"{"t":N,"f":F, "n":"N","s":"No","l":["a",...]}"#),
        r#"{"t":7,"f":1.5, "n":"N","s":"No","l":["a"]}"#
    );
}
