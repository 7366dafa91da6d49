//! Hostile or mangled input never panics and always yields well-formed error lines.

use phy_sim_scenario::*;
use proptest::prelude::*;
use std::path::Path;

fn models() -> Vec<ModelSpec> {
    vec![ModelSpec {
        name: "marvell-88e1510".into(),
        link_modes: vec!["100baseT/Full".into(), "1000baseT/Full".into()],
    }]
}

const VALID: &str = "\
version: 0
duration: 10s
board:
  mdio:
    - name: mdio0
      phys:
        - name: phy0
          model: marvell-88e1510
          address: 1
          partner: {autoneg: false, speed: 100, duplex: full}
  ports:
    - {name: eth0, phy: phy0}
timeline:
  - {at: 2s, cable: {phy: phy0, connected: false}}
expect:
  - {port: eth0, within: [0s, 5s], link: up}
  - dmesg: clean
";

/// Every line is `x.yaml:LINE:COLUMN: ...` with a position inside the text.
fn assert_well_formed(text: &str, err: &ScenarioError) {
    let lines = text.lines().count() + 1;
    let rendered = err.to_string();
    assert_eq!(rendered.lines().count(), err.problems().len(), "{rendered}");
    for (line, p) in rendered.lines().zip(err.problems()) {
        let prefix = format!("x.yaml:{}:{}: ", p.location.line, p.location.column);
        assert!(line.starts_with(&prefix), "{line}");
        assert!((1..=lines).contains(&p.location.line), "{line}\n{text}");
        assert!(p.location.column >= 1, "{line}");
        assert!(!p.message.is_empty(), "{line}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn mangled_files_are_refused_cleanly(
        cut in 0..VALID.len(),
        len in 0usize..6,
        insert in prop::sample::select(vec!["", ":", "-", " ", "\n", "[", "{", "}", "'", "\"", "\t", "#", "&a", "*a", "x: 1", "!!str"]),
    ) {
        let end = (cut + len).min(VALID.len());
        let text = format!("{}{insert}{}", &VALID[..cut], &VALID[end..]);
        if let Err(e) = parse(&text, Path::new("x.yaml"), &models()) {
            assert_well_formed(&text, &e);
        }
    }

    #[test]
    fn arbitrary_text_is_refused_cleanly(text in "[a-z0-9:\\-\\[\\]{}, \n'\"#&*!|>]{0,200}") {
        if let Err(e) = parse(&text, Path::new("x.yaml"), &models()) {
            assert_well_formed(&text, &e);
        }
    }
}

#[test]
fn alias_bombs_are_refused() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let err = parse(&text, Path::new("x.yaml"), &models()).unwrap_err();
    let first = &err.problems()[0];
    assert_eq!(first.field, "a4[7]"); // 12345 nodes before a4, 11111 per item
    assert_eq!(first.location.line, 5);
    assert_eq!(
        first.message,
        "the document expands to more than 100000 nodes (aliases?)"
    );
}

#[test]
fn deep_nesting_is_refused() {
    let text = format!("a: {}{}\n", "[".repeat(100), "]".repeat(100));
    let err = parse(&text, Path::new("x.yaml"), &models()).unwrap_err();
    assert_eq!(
        err.problems()[0].message,
        "the document is nested too deeply"
    );
    assert_eq!(
        err.problems()[0].location,
        Location {
            line: 1,
            column: 68
        }
    );
}

#[test]
fn duplicate_keys_deep_inside_are_reported_with_their_path() {
    let text = VALID.replace(
        "{at: 2s, cable: {phy: phy0, connected: false}}",
        "{at: 2s, cable: {phy: phy0, connected: false, connected: true}}",
    );
    let err = parse(&text, Path::new("x.yaml"), &models()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "x.yaml:14:51: timeline[0].cable.connected: `connected` is given twice (first on line 14)"
    );
}
