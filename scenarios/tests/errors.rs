//! Every class of bad input is refused with `FILE:LINE:COLUMN: FIELD: MESSAGE` lines; each test
//! asserts the exact lines.

use phy_sim_scenario::*;
use std::path::Path;

fn models() -> Vec<ModelSpec> {
    let modes = [
        "10baseT/Half",
        "10baseT/Full",
        "100baseT/Half",
        "100baseT/Full",
        "1000baseT/Full",
    ];
    ["marvell-88e1510", "marvell-88e1512"]
        .iter()
        .map(|name| ModelSpec {
            name: name.to_string(),
            link_modes: modes.iter().map(|m| m.to_string()).collect(),
        })
        .collect()
}

/// The error lines of a file that must be refused.
fn errors(text: &str) -> Vec<String> {
    match parse(text, Path::new("scenarios/x.yaml"), &models()) {
        Ok(s) => panic!("accepted: {s:#?}"),
        Err(e) => e.to_string().lines().map(String::from).collect(),
    }
}

fn check(text: &str, expected: &[&str]) {
    assert_eq!(errors(text), expected, "for:\n{text}");
}

/// A valid scenario with `extra` appended (at line 15).
fn with(extra: &str) -> String {
    format!("{VALID}{extra}")
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
  ports:
    - name: eth0
      phy: phy0
expect:
  - dmesg: clean
";

#[test]
fn the_base_document_is_valid() {
    parse(VALID, Path::new("x.yaml"), &models()).unwrap();
}

// ---- malformed YAML ---------------------------------------------------------------------

#[test]
fn unclosed_flow_list_names_the_place_and_field() {
    check(
        "\
version: 0
board:
  mdio: [{name: mdio0, phys: []}
  ports: []
",
        &["scenarios/x.yaml:4:3: board.mdio[0]: invalid YAML: invalid indentation in flow construct"],
    );
}

#[test]
fn bad_indentation() {
    check(
        "\
version: 0
board:
  mdio: []
   ports: []
",
        &["scenarios/x.yaml:4:4: board: invalid YAML: while parsing a block mapping, did not find expected key"],
    );
}

#[test]
fn tabs() {
    check(
        "version: 0\nboard:\n\tmdio: []\n",
        &["scenarios/x.yaml:3:2: board: invalid YAML: tabs disallowed within this context (block indentation)"],
    );
}

#[test]
fn duplicate_keys() {
    let text = VALID.replace(
        "          address: 1\n",
        "          address: 1\n          address: 2\n",
    );
    check(
        &text,
        &["scenarios/x.yaml:10:11: board.mdio[0].phys[0].address: `address` is given twice (first on line 9)"],
    );
}

#[test]
fn a_second_document() {
    check(
        &with("---\nversion: 0\n"),
        &["scenarios/x.yaml:15:1: a scenario file holds one YAML document; this is a second one"],
    );
}

#[test]
fn empty_files() {
    let msg = "the file is empty; a scenario is a mapping with `version`, `duration`, `board` and `expect`";
    check("", &[&format!("scenarios/x.yaml:1:1: {msg}")]);
    check(
        "# only a comment\n",
        &[&format!("scenarios/x.yaml:1:1: {msg}")],
    );
    check("---\n", &[&format!("scenarios/x.yaml:2:1: {msg}")]);
}

#[test]
fn top_level_must_be_a_mapping() {
    check(
        "- version: 0\n",
        &["scenarios/x.yaml:1:1: expected a mapping of scenario fields (`version`, `duration`, ...), found a list"],
    );
}

#[test]
fn tags_are_refused() {
    check(
        &VALID.replace("address: 1", "address: !!int 1"),
        &["scenarios/x.yaml:9:20: board.mdio[0].phys[0].address: YAML tags (`!...`) are not supported in scenarios"],
    );
}

// ---- fields: unknown, missing, wrong type -----------------------------------------------

#[test]
fn unknown_fields_everywhere() {
    let text = "\
version: 0
durration: 10s
board:
  mdio:
    - name: mdio0
      colour: blue
      phys:
        - name: phy0
          model: marvell-88e1510
          address: 1
          cable: {length_m: 3}
          partner: {autoneg: true, speeed: 100}
  ports:
    - {name: eth0, phy: phy0, mode: rgmii}
  extra: 1
timeline:
  - {at: 1s, cable: {phy: phy0, connected: false, pluged: true}, note: x}
expect:
  - {port: eth0, within: [0s, 1s], link: up, carrier: up}
  - {dmesg: clean, port: eth0}
";
    check(
        text,
        &[
            "scenarios/x.yaml:1:1: duration: required field is missing",
            "scenarios/x.yaml:2:1: durration: unknown field `durration` (did you mean `duration`?); the fields here are: version, name, description, duration, board, timeline, expect",
            "scenarios/x.yaml:6:7: board.mdio[0].colour: unknown field `colour`; the fields here are: name, mdc-hz, phys",
            "scenarios/x.yaml:11:19: board.mdio[0].phys[0].cable.length_m: unknown field `length_m` (did you mean `length-m`?); the fields here are: connected, pairs, length-m, faults",
            "scenarios/x.yaml:12:36: board.mdio[0].phys[0].partner.speeed: unknown field `speeed` (did you mean `speed`?); the fields here are: autoneg, advertise, pause, speed, duplex, eee, master-slave, seed",
            "scenarios/x.yaml:14:31: board.ports[0].mode: unknown field `mode`; the fields here are: name, phy, phy-mode",
            "scenarios/x.yaml:15:3: board.extra: unknown field `extra`; the fields here are: mdio, ports",
            "scenarios/x.yaml:17:51: timeline[0].cable.pluged: unknown field `pluged`; the fields here are: phy, connected, pairs, length-m, faults",
            "scenarios/x.yaml:17:66: timeline[0].note: unknown field `note`; the fields here are: at, cable, partner, cable-test, link-settings, eee-settings",
            "scenarios/x.yaml:19:46: expect[0].carrier: unknown field `carrier`; the fields here are: name, port, within, during, link, speed, duplex, phy-driver, master-slave, eee",
            "scenarios/x.yaml:20:20: expect[1].port: unknown field `port`; the fields here are: name, dmesg",
        ],
    );
}

#[test]
fn missing_required_fields() {
    let text = "\
duration: 10s
board:
  mdio:
    - name: mdio0
      phys:
        - name: phy0
          address: 1
        - {model: marvell-88e1510, address: 2}
  ports:
    - name: eth0
timeline:
  - cable: {connected: false}
";
    check(
        text,
        &[
            "scenarios/x.yaml:1:1: version: required field is missing",
            "scenarios/x.yaml:1:1: expect: required field is missing",
            "scenarios/x.yaml:6:11: board.mdio[0].phys[0].model: required field is missing",
            "scenarios/x.yaml:8:11: board.mdio[0].phys[1].name: required field is missing",
            "scenarios/x.yaml:10:7: board.ports[0].phy: required field is missing",
            "scenarios/x.yaml:12:5: timeline[0].at: required field is missing",
            "scenarios/x.yaml:12:12: timeline[0].cable.phy: required field is missing",
        ],
    );
    check(
        "version: 0\nduration: 1s\nexpect: [{dmesg: clean}]\nboard: {mdio: []}\n",
        &["scenarios/x.yaml:4:8: board.ports: required field is missing"],
    );
}

#[test]
fn wrong_types() {
    let text = "\
version: 0
duration: 10s
board:
  mdio:
    - name: [mdio0]
      phys:
        - name: phy0
          model: marvell-88e1510
          address: \"1\"
          interrupt: yes
          cable: {connected: 1, pairs: 4.0, length-m: long}
  ports: {name: eth0}
timeline: {}
expect:
  - {port: eth0, within: [0s, 1s], speed: fast, phy-driver: true}
  - {port: eth0, within: [0s, 1s], link: }
";
    check(
        text,
        &[
            "scenarios/x.yaml:5:13: board.mdio[0].name: expected a string, found a list",
            "scenarios/x.yaml:9:20: board.mdio[0].phys[0].address: expected an integer, found the quoted string \"1\"",
            "scenarios/x.yaml:10:22: board.mdio[0].phys[0].interrupt: expected `true` or `false`, found `yes`",
            "scenarios/x.yaml:11:30: board.mdio[0].phys[0].cable.connected: expected `true` or `false`, found `1`",
            "scenarios/x.yaml:11:40: board.mdio[0].phys[0].cable.pairs: expected an integer, found `4.0`",
            "scenarios/x.yaml:11:55: board.mdio[0].phys[0].cable.length-m: expected a number, found `long`",
            "scenarios/x.yaml:12:10: board.ports: expected a list of ports, found a mapping",
            "scenarios/x.yaml:13:11: timeline: expected a list of events, found a mapping",
            "scenarios/x.yaml:15:43: expect[0].speed: expected an integer, found `fast`",
            "scenarios/x.yaml:15:61: expect[0].phy-driver: expected a string, found the boolean `true` (quote it to mean the text)",
            "scenarios/x.yaml:16:40: expect[1].link: expected a link state (one of: up, down), found nothing",
        ],
    );
}

#[test]
fn bad_durations() {
    let text = "\
version: 0
duration: 10
board: {mdio: [], ports: []}
timeline:
  - {at: 2h, cable: {phy: phy0, connected: false}}
  - {at: -1s, cable: {phy: phy0, connected: false}}
expect:
  - {port: eth0, within: [1.5, 2 s], link: up}
  - {port: eth0, during: [0s, true], link: up}
";
    let hint = "write a number and a unit, e.g. `250ms`, `2s`, `1.5s`, `1m`, `500us` (units: us, ms, s, m)";
    let expected: Vec<String> = [
        format!("scenarios/x.yaml:2:11: duration: `10` has no unit; {hint}"),
        format!("scenarios/x.yaml:5:10: timeline[0].at: `2h`: unknown unit `h`; {hint}"),
        "scenarios/x.yaml:5:27: timeline[0].cable.phy: no PHY named `phy0` on the board (the board has none)".into(),
        "scenarios/x.yaml:6:10: timeline[1].at: `-1s`: a duration cannot be negative".into(),
        "scenarios/x.yaml:6:28: timeline[1].cable.phy: no PHY named `phy0` on the board (the board has none)".into(),
        "scenarios/x.yaml:8:12: expect[0].port: no port named `eth0` (the board has none)".into(),
        format!("scenarios/x.yaml:8:27: expect[0].within[0]: `1.5` has no unit; {hint}"),
        format!("scenarios/x.yaml:8:32: expect[0].within[1]: `2 s`: unknown unit ` s`; {hint}"),
        "scenarios/x.yaml:9:12: expect[1].port: no port named `eth0` (the board has none)".into(),
        "scenarios/x.yaml:9:31: expect[1].during[1]: expected a duration like `2s` or `250ms`, found `true`".into(),
    ]
    .into();
    assert_eq!(errors(text), expected);
}

#[test]
fn bad_enum_values_list_the_accepted_ones() {
    let text = "\
version: 0
duration: 10s
board:
  mdio:
    - name: mdio0
      phys:
        - name: phy0
          model: marvell-88e1510
          address: 1
          partner: {pause: sym}
  ports:
    - {name: eth0, phy: phy0, phy-mode: rgmii_id}
expect:
  - {port: eth0, within: [0s, 1s], link: on, duplex: Full}
  - dmesg: quiet
";
    check(
        text,
        &[
            "scenarios/x.yaml:10:28: board.mdio[0].phys[0].partner.pause: `sym` is not a valid pause; expected one of: none, symmetric, asymmetric, both",
            "scenarios/x.yaml:12:41: board.ports[0].phy-mode: `rgmii_id` is not a valid phy-mode (did you mean `rgmii-id`?); expected one of: mii, gmii, sgmii, rgmii, rgmii-id, rgmii-rxid, rgmii-txid, 1000base-x, 2500base-x, 5gbase-r, 10gbase-r, usxgmii, internal",
            "scenarios/x.yaml:14:42: expect[0].link: `on` is not a valid link state; expected one of: up, down",
            "scenarios/x.yaml:14:54: expect[0].duplex: `Full` is not a valid duplex (did you mean `full`?); expected one of: half, full",
            "scenarios/x.yaml:15:12: expect[1].dmesg: `quiet` is not a valid dmesg expectation; expected one of: clean",
        ],
    );
}

#[test]
fn version_must_be_0() {
    check(
        &VALID.replace("version: 0", "version: 1"),
        &["scenarios/x.yaml:1:10: version: unsupported version 1; this phy-sim reads version 0"],
    );
}

#[test]
fn duration_must_be_positive() {
    check(
        &VALID.replace("duration: 10s", "duration: 0s"),
        &["scenarios/x.yaml:2:11: duration: the duration must be longer than 0s"],
    );
}

#[test]
fn names_must_not_be_empty() {
    check(
        &with("name: ''\n"),
        &["scenarios/x.yaml:15:7: name: must not be empty"],
    );
}

// ---- the board ----------------------------------------------------------------------------

#[test]
fn two_phys_at_one_address() {
    let text = "\
version: 0
duration: 10s
board:
  mdio:
    - name: mdio0
      phys:
        - name: phy0
          model: marvell-88e1510
          address: 1
        - name: phy1
          model: marvell-88e1510
          address: 1
    - name: mdio1
      phys:
        - {name: phy2, model: marvell-88e1510, address: 1}
  ports: []
expect:
  - dmesg: clean
";
    check(
        text,
        &["scenarios/x.yaml:12:20: board.mdio[0].phys[1].address: address 1 is already used by phy0 on mdio0 (line 9)"],
    );
}

#[test]
fn address_out_of_range() {
    check(
        &VALID.replace("address: 1", "address: 32"),
        &["scenarios/x.yaml:9:20: board.mdio[0].phys[0].address: address 32 is out of range: MDIO addresses are 0 to 31"],
    );
    check(
        &VALID.replace("address: 1", "address: -1"),
        &["scenarios/x.yaml:9:20: board.mdio[0].phys[0].address: address -1 is out of range: MDIO addresses are 0 to 31"],
    );
}

#[test]
fn duplicate_names() {
    let text = "\
version: 0
duration: 10s
board:
  mdio:
    - name: mdio0
      phys:
        - {name: phy0, model: marvell-88e1510, address: 1}
    - name: mdio0
      phys:
        - {name: phy0, model: marvell-88e1510, address: 2}
  ports:
    - {name: eth0, phy: phy0}
    - {name: eth0, phy: phy0}
expect:
  - dmesg: clean
";
    check(
        text,
        &[
            "scenarios/x.yaml:8:13: board.mdio[1].name: MDIO bus name `mdio0` is already used (line 5)",
            "scenarios/x.yaml:10:18: board.mdio[1].phys[0].name: PHY name `phy0` is already used on mdio0 (line 7)",
            "scenarios/x.yaml:13:14: board.ports[1].name: port name `eth0` is already used (line 12)",
            "scenarios/x.yaml:13:25: board.ports[1].phy: PHY `phy0` is already used by port eth0 (line 12)",
        ],
    );
}

#[test]
fn ports_must_name_a_known_unused_phy() {
    let text = "\
version: 0
duration: 10s
board:
  mdio:
    - name: mdio0
      phys:
        - {name: phy0, model: marvell-88e1510, address: 1}
        - {name: phy1, model: marvell-88e1510, address: 2}
  ports:
    - {name: eth0, phy: pyh0}
    - {name: eth1, phy: phy1}
    - {name: eth2, phy: phy1}
expect:
  - dmesg: clean
";
    check(
        text,
        &[
            "scenarios/x.yaml:10:25: board.ports[0].phy: no PHY named `pyh0` on the board (did you mean `phy0`?) (PHYs: phy0, phy1)",
            "scenarios/x.yaml:12:25: board.ports[2].phy: PHY `phy1` is already used by port eth1 (line 11)",
        ],
    );
}

#[test]
fn invalid_port_names() {
    let rule = "is not a valid port name: 1 to 15 characters of a-z, 0-9, `_` and `-`";
    for (name, column) in [
        ("Eth0", 13),
        ("eth0.100", 13),
        ("a234567890123456", 13),
        ("''", 13),
        ("'eth 0'", 13),
    ] {
        let shown = name.trim_matches('\'');
        check(
            &VALID.replace("- name: eth0", &format!("- name: {name}")),
            &[&format!(
                "scenarios/x.yaml:11:{column}: board.ports[0].name: `{shown}` {rule}"
            )],
        );
    }
    // 15 characters is the limit, `_` and `-` are allowed.
    let ok = VALID
        .replace("- name: eth0", "- name: a2345_789-12345")
        .replace(
            "  - dmesg: clean",
            "  - {port: a2345_789-12345, within: [0s, 1s], link: up}",
        );
    let s = parse(&ok, Path::new("x.yaml"), &models()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.board.ports[0].name, "a2345_789-12345");
}

#[test]
fn unknown_model() {
    check(
        &VALID.replace("model: marvell-88e1510", "model: marvell-88e1511"),
        &["scenarios/x.yaml:8:18: board.mdio[0].phys[0].model: unknown model `marvell-88e1511`; models: marvell-88e1510, marvell-88e1512"],
    );
    check(
        &VALID.replace("model: marvell-88e1510", "model: marvell-88e151"),
        &["scenarios/x.yaml:8:18: board.mdio[0].phys[0].model: unknown model `marvell-88e151`; models: marvell-88e1510, marvell-88e1512"],
    );
    check(
        &VALID.replace("model: marvell-88e1510", "model: Marvell-88E1512"),
        &["scenarios/x.yaml:8:18: board.mdio[0].phys[0].model: unknown model `Marvell-88E1512` (did you mean `marvell-88e1512`?); models: marvell-88e1510, marvell-88e1512"],
    );
}

#[test]
fn unknown_and_repeated_link_modes() {
    let known =
        "10baseT/Half, 10baseT/Full, 100baseT/Half, 100baseT/Full, 1000baseT/Half, 1000baseT/Full, 2500baseT/Full, 5000baseT/Full, 10000baseT/Full";
    let text = VALID.replace(
        "          address: 1\n",
        "          address: 1\n          partner: {advertise: [1000baseT/full, 100baseT/Full, 2500baseKX/Full, 100baseT/Full]}\n",
    );
    let expected: Vec<String> = vec![
        format!("scenarios/x.yaml:10:33: board.mdio[0].phys[0].partner.advertise[0]: unknown link mode `1000baseT/full` (did you mean `1000baseT/Full`?); link modes are: {known}"),
        format!("scenarios/x.yaml:10:64: board.mdio[0].phys[0].partner.advertise[2]: unknown link mode `2500baseKX/Full`; link modes are: {known}"),
    ];
    assert_eq!(errors(&text), expected);
    let text = VALID.replace(
        "          address: 1\n",
        "          address: 1\n          partner:\n            advertise: [100baseT/Full, 1000baseT/Half, 100baseT/Full]\n",
    );
    check(
        &text,
        &["scenarios/x.yaml:11:56: board.mdio[0].phys[0].partner.advertise[2]: `100baseT/Full` is listed twice"],
    );
}

#[test]
fn partner_speed_and_duplex_need_autoneg_off() {
    let text = VALID.replace(
        "          address: 1\n",
        "          address: 1\n          partner:\n            speed: 100\n            duplex: full\n",
    );
    check(
        &text,
        &[
            "scenarios/x.yaml:11:13: board.mdio[0].phys[0].partner.speed: `speed` forces the partner's speed and needs `autoneg: false` (the partner autonegotiates by default)",
            "scenarios/x.yaml:12:13: board.mdio[0].phys[0].partner.duplex: `duplex` forces the partner's duplex and needs `autoneg: false` (the partner autonegotiates by default)",
        ],
    );
    let text = VALID.replace(
        "          address: 1\n",
        "          address: 1\n          partner: {autoneg: true, duplex: half}\n",
    );
    check(
        &text,
        &["scenarios/x.yaml:10:36: board.mdio[0].phys[0].partner.duplex: `duplex` forces the partner's duplex and needs `autoneg: false` (the partner autonegotiates by default)"],
    );
}

#[test]
fn a_forced_partner_needs_speed_and_duplex() {
    let text = VALID.replace(
        "          address: 1\n",
        "          address: 1\n          partner:\n            autoneg: false\n            duplex: half\n",
    );
    check(
        &text,
        &["scenarios/x.yaml:11:13: board.mdio[0].phys[0].partner.speed: a partner with `autoneg: false` forces its link and needs `speed`"],
    );
    let text = VALID.replace(
        "          address: 1\n",
        "          address: 1\n          partner: {autoneg: false, speed: 250}\n",
    );
    check(
        &text,
        &[
            "scenarios/x.yaml:10:20: board.mdio[0].phys[0].partner.duplex: a partner with `autoneg: false` forces its link and needs `duplex`",
            "scenarios/x.yaml:10:44: board.mdio[0].phys[0].partner.speed: a partner's speed is 10, 100 or 1000 (Mb/s), not 250",
        ],
    );
}

#[test]
fn cable_values() {
    let text = VALID.replace(
        "          address: 1\n",
        "          address: 1\n          cable: {pairs: 3, length-m: -2}\n",
    );
    check(
        &text,
        &[
            "scenarios/x.yaml:10:26: board.mdio[0].phys[0].cable.pairs: a cable has 2 or 4 pairs, not 3",
            "scenarios/x.yaml:10:39: board.mdio[0].phys[0].cable.length-m: a cable length cannot be negative (-2 m)",
        ],
    );
}

// ---- the timeline -------------------------------------------------------------------------

#[test]
fn events_after_the_end() {
    check(
        &with("timeline:\n  - at: 10.5s\n    cable: {phy: phy0, connected: false}\n"),
        &["scenarios/x.yaml:16:9: timeline[0].at: at 10.5s is after the end of the scenario (duration: 10s, line 2)"],
    );
    // At the very end is allowed.
    let s = parse(
        &with("timeline:\n  - at: 10s\n    cable: {phy: phy0, connected: false}\n"),
        Path::new("x.yaml"),
        &models(),
    )
    .unwrap();
    assert_eq!(s.timeline[0].at.as_secs(), 10);
}

#[test]
fn events_need_exactly_one_action() {
    check(
        &with("timeline:\n  - at: 1s\n  - at: 2s\n    cable: {phy: phy0, connected: false}\n    partner: {phy: phy0, present: false}\n"),
        &[
            "scenarios/x.yaml:16:5: timeline[0]: an event needs an action: `cable`, `partner`, `cable-test`, `link-settings` or `eee-settings`",
            "scenarios/x.yaml:19:5: timeline[1].partner: an event has exactly one action; this one already has `cable` (line 18)",
        ],
    );
}

#[test]
fn events_must_change_something() {
    check(
        &with("timeline:\n  - {at: 1s, cable: {phy: phy0}}\n  - {at: 2s, partner: {phy: phy0}}\n"),
        &[
            "scenarios/x.yaml:16:21: timeline[0].cable: changes nothing: give at least one of `connected`, `pairs`, `length-m`, `faults`",
            "scenarios/x.yaml:17:23: timeline[1].partner: changes nothing: give at least one of `present`, `autoneg`, `advertise`, `pause`, `speed`, `duplex`, `eee`, `master-slave`, `seed`",
        ],
    );
}

#[test]
fn events_name_known_phys() {
    check(
        &with("timeline:\n  - {at: 1s, cable: {phy: phy9, connected: false}}\n"),
        &["scenarios/x.yaml:16:27: timeline[0].cable.phy: no PHY named `phy9` on the board (did you mean `phy0`?) (PHYs: phy0)"],
    );
}

#[test]
fn removing_a_partner_takes_no_other_field() {
    check(
        &with("timeline:\n  - at: 1s\n    partner: {phy: phy0, present: false, pause: both}\n"),
        &["scenarios/x.yaml:17:42: timeline[0].partner.pause: `present: false` removes the partner; `pause` cannot go with it"],
    );
}

#[test]
fn partner_events_follow_the_autoneg_rules_in_time_order() {
    // The board's partner autonegotiates; forcing 100 without duplex is refused, and so is a
    // speed while autonegotiating. The events are checked in time order, not file order.
    let text = with(
        "\
timeline:
  - at: 3s
    partner: {phy: phy0, speed: 10}
  - at: 1s
    partner: {phy: phy0, autoneg: false, speed: 100}
  - at: 2s
    partner: {phy: phy0, autoneg: true}
  - at: 4s
    partner: {phy: phy0, autoneg: false}
",
    );
    check(
        &text,
        &[
            "scenarios/x.yaml:17:26: timeline[0].partner.speed: `speed` forces the partner's speed and needs `autoneg: false` (at this point the partner autonegotiates)",
            "scenarios/x.yaml:19:14: timeline[1].partner.duplex: after this event the partner is forced (`autoneg: false`) but has no `duplex`",
        ],
    );
    // Once forced with both, later events may change one of them, or go back to autoneg and
    // back to the forced values; a removed and re-added partner starts from the defaults.
    let text = with(
        "\
timeline:
  - {at: 1s, partner: {phy: phy0, autoneg: false, speed: 100, duplex: half}}
  - {at: 2s, partner: {phy: phy0, speed: 10}}
  - {at: 3s, partner: {phy: phy0, autoneg: true}}
  - {at: 4s, partner: {phy: phy0, autoneg: false}}
  - {at: 5s, partner: {phy: phy0, present: false}}
  - {at: 6s, partner: {phy: phy0, autoneg: false, duplex: full}}
",
    );
    check(
        &text,
        &["scenarios/x.yaml:21:23: timeline[5].partner.speed: after this event the partner is forced (`autoneg: false`) but has no `speed`"],
    );
}

// ---- expectations -------------------------------------------------------------------------

#[test]
fn expectations_are_required() {
    check(
        &VALID.replace("expect:\n  - dmesg: clean\n", "expect: []\n"),
        &["scenarios/x.yaml:13:9: expect: at least one expectation is needed"],
    );
}

#[test]
fn windows_after_the_end_or_backwards() {
    check(
        &with("  - {port: eth0, within: [9s, 11s], link: up}\n  - {port: eth0, during: [3s, 2s], link: up}\n  - {port: eth0, during: [12s, 13s], link: up}\n"),
        &[
            "scenarios/x.yaml:15:31: expect[1].within[1]: the window ends at 11s, after the end of the scenario (duration: 10s, line 2)",
            "scenarios/x.yaml:16:26: expect[2].during: the window starts at 3s, after its end at 2s",
            "scenarios/x.yaml:17:32: expect[3].during[1]: the window ends at 13s, after the end of the scenario (duration: 10s, line 2)",
        ],
    );
}

#[test]
fn windows_are_two_times() {
    check(
        &with("  - {port: eth0, within: [1s], link: up}\n  - {port: eth0, within: 1s, link: up}\n"),
        &[
            "scenarios/x.yaml:15:26: expect[1].within: a window is two times, `[from, to]`; this one has 1",
            "scenarios/x.yaml:16:26: expect[2].within: expected a window `[from, to]`, found `1s`",
        ],
    );
}

#[test]
fn one_window_per_expectation() {
    check(
        &with("  - port: eth0\n    link: up\n"),
        &["scenarios/x.yaml:15:5: expect[1]: a port expectation needs a window: `within: [from, to]` or `during: [from, to]`"],
    );
    check(
        &with("  - port: eth0\n    within: [0s, 1s]\n    during: [0s, 1s]\n    link: up\n"),
        &["scenarios/x.yaml:17:5: expect[1].during: an expectation has one window; this one already has `within` (line 16)"],
    );
}

#[test]
fn an_expectation_needs_a_predicate() {
    check(
        &with("  - name: nothing\n    port: eth0\n    within: [0s, 1s]\n"),
        &["scenarios/x.yaml:15:5: expect[1]: a port expectation needs something to check: at least one of `link`, `speed`, `duplex`, `phy-driver`, `master-slave`, `eee`"],
    );
}

#[test]
fn expectations_name_known_ports() {
    check(
        &with("  - {port: eth1, within: [0s, 1s], link: up}\n"),
        &["scenarios/x.yaml:15:12: expect[1].port: no port named `eth1` (did you mean `eth0`?) (ports: eth0)"],
    );
}

#[test]
fn expectation_speed_is_positive() {
    check(
        &with("  - {port: eth0, within: [0s, 1s], speed: 0}\n"),
        &["scenarios/x.yaml:15:43: expect[1].speed: a speed is a positive number of Mb/s, not 0"],
    );
}

// ---- reporting ----------------------------------------------------------------------------

#[test]
fn all_problems_are_reported_in_file_order() {
    let text = "\
version: 0
duration: 5s
board:
  mdio:
    - name: mdio0
      phys:
        - {name: phy0, model: marvell-88e1510, address: 1}
        - {name: phy1, model: marvell-88e1510, address: 1}
  ports:
    - {name: eth0, phy: phy0}
timeline:
  - {at: 6s, cable: {phy: phy1, connected: false}}
expect:
  - {port: eth9, within: [0s, 5s], link: up}
  - {port: eth0, within: [0s, 5s], link: sideways}
";
    check(
        text,
        &[
            "scenarios/x.yaml:8:57: board.mdio[0].phys[1].address: address 1 is already used by phy0 on mdio0 (line 7)",
            "scenarios/x.yaml:12:10: timeline[0].at: at 6s is after the end of the scenario (duration: 5s, line 2)",
            "scenarios/x.yaml:14:12: expect[0].port: no port named `eth9` (did you mean `eth0`?) (ports: eth0)",
            "scenarios/x.yaml:15:42: expect[1].link: `sideways` is not a valid link state; expected one of: up, down",
        ],
    );
}

#[test]
fn the_error_value_carries_the_problems() {
    let err = parse(
        &VALID.replace("address: 1", "address: 40"),
        Path::new("a/b.yaml"),
        &models(),
    )
    .unwrap_err();
    assert_eq!(
        err.problems(),
        &[Problem {
            location: Location {
                line: 9,
                column: 20
            },
            field: "board.mdio[0].phys[0].address".into(),
            message: "address 40 is out of range: MDIO addresses are 0 to 31".into(),
        }]
    );
    assert!(
        matches!(err, ScenarioError::Invalid { ref path, .. } if path == Path::new("a/b.yaml"))
    );
}

#[test]
fn unreadable_files() {
    let missing = Path::new("/nonexistent/scenario.yaml");
    let err = load(missing, &models()).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("/nonexistent/scenario.yaml: cannot read the scenario: "),
        "{err}"
    );
    let dir = std::env::temp_dir().join(format!("phy-sim-scenario-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("latin1.yaml");
    std::fs::write(&bad, b"version: 0\nname: caf\xe9\n").unwrap();
    let err = load(&bad, &models()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}: cannot read the scenario: not UTF-8 (byte 20)",
            bad.display()
        )
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_misspelt_field_is_not_also_reported_as_missing_something() {
    check(
        &with("timeline:\n  - {at: 2s, partner: {phy: phy0, autoneg: false, sped: 10, duplex: half}}\n"),
        &["scenarios/x.yaml:16:51: timeline[0].partner.sped: unknown field `sped`; the fields here are: phy, present, autoneg, advertise, pause, speed, duplex, eee, master-slave, seed"],
    );
    check(
        &with("  - port: eth0\n    windw: [0s, 1s]\n    lnk: up\ntimeline:\n  - at: 1s\n    cabel: {phy: phy0, connectd: false}\n  - {at: 2s, partner: {phy: phy0, autoneg: false, sped: 10, duplex: half}}\n"),
        &[
            "scenarios/x.yaml:16:5: expect[1].windw: unknown field `windw`; the fields here are: name, port, within, during, link, speed, duplex, phy-driver, master-slave, eee",
            "scenarios/x.yaml:17:5: expect[1].lnk: unknown field `lnk` (did you mean `link`?); the fields here are: name, port, within, during, link, speed, duplex, phy-driver, master-slave, eee",
            "scenarios/x.yaml:20:5: timeline[0].cabel: unknown field `cabel` (did you mean `cable`?); the fields here are: at, cable, partner, cable-test, link-settings, eee-settings",
            "scenarios/x.yaml:21:51: timeline[1].partner.sped: unknown field `sped`; the fields here are: phy, present, autoneg, advertise, pause, speed, duplex, eee, master-slave, seed",
        ],
    );
}

/// VALID with `registers: {value}` on phy0 (line 10, value at column 22).
fn with_registers(value: &str) -> String {
    VALID.replace(
        "          address: 1\n",
        &format!("          address: 1\n          registers: {value}\n"),
    )
}

#[test]
fn register_dumps_name_the_field_and_the_dump_line() {
    check(
        &with_registers("|\n            0 = 0x1140\n            reg 40 = 1"),
        &["scenarios/x.yaml:11:13: board.mdio[0].phys[0].registers: inline dump line 2: register: 40 (40) is out of range (at most 0x1f)"],
    );
    check(
        &with_registers("|\n            page 0x40 reg 1 = 0\n            1 = 2"),
        &["scenarios/x.yaml:11:13: board.mdio[0].phys[0].registers: inline dump line 1: page 64 reg 1: the marvell-88e1510 model has no page 64"],
    );
    check(
        &with_registers("dumps/missing.txt"),
        &["scenarios/x.yaml:10:22: board.mdio[0].phys[0].registers: cannot read the register dump dumps/missing.txt: No such file or directory (os error 2)"],
    );
}

#[test]
fn register_dump_files_are_relative_to_the_scenario() {
    let dir = std::env::temp_dir().join(format!("phy-sim-dump-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("dumps")).unwrap();
    std::fs::write(
        dir.join("dumps/board.txt"),
        "# from a bug report\n16 = 0x3064\nmmd 7 reg 0x8000 = 1\n",
    )
    .unwrap();
    let scenario = dir.join("x.yaml");
    std::fs::write(&scenario, with_registers("dumps/board.txt")).unwrap();
    let err = load(&scenario, &models()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:10:22: board.mdio[0].phys[0].registers: dumps/board.txt:line 3: mmd 7 reg 0x8000 = 0x0001: the marvell-88e1510 model does not implement this register (it reads 0); remove the line",
            scenario.display()
        )
    );
    std::fs::write(dir.join("dumps/board.txt"), "16 = 0x3064\n").unwrap();
    let s = load(&scenario, &models()).unwrap();
    let dump = s.board.mdio[0].phys[0].registers.as_ref().unwrap();
    assert_eq!(dump.file.as_deref(), Some(Path::new("dumps/board.txt")));
    assert_eq!(dump.entries.len(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `VALID` with a cable of `cable` (indented flow mapping) on phy0 and `rest` appended.
fn with_cable(cable: &str, rest: &str) -> String {
    VALID.replace(
        "          address: 1\n",
        &format!("          address: 1\n          cable: {cable}\n"),
    ) + rest
}

#[test]
fn cable_faults_are_checked() {
    check(
        &with_cable("{pairs: 2, length-m: 20, faults: {C: {fault: open, distance-m: 3}}}", ""),
        &["scenarios/x.yaml:10:52: board.mdio[0].phys[0].cable.faults.C: a 2-pair cable has no pair C: it has pairs A, B"],
    );
    check(
        &with_cable("{length-m: 20, faults: {B: {fault: short, distance-m: 30}}}", ""),
        &["scenarios/x.yaml:10:42: board.mdio[0].phys[0].cable.faults.B: the fault at 30 m is beyond the end of the 20 m cable"],
    );
    check(
        &with_cable("{faults: {E: {fault: opn, distance-m: 1}, A: {fault: opn}}}", ""),
        &[
            "scenarios/x.yaml:10:28: board.mdio[0].phys[0].cable.faults.E: unknown field `E`; the fields here are: A, B, C, D",
            "scenarios/x.yaml:10:63: board.mdio[0].phys[0].cable.faults.A.distance-m: required field is missing",
            "scenarios/x.yaml:10:71: board.mdio[0].phys[0].cable.faults.A.fault: `opn` is not a valid fault (did you mean `open`?); expected one of: open, short, cross-short, impedance-mismatch",
        ],
    );
}

#[test]
fn cable_test_events_and_expectations_are_checked() {
    check(
        &with(
            "timeline:\n  - {at: 1s, cable-test: {port: eth1, from-m: 2}}\n  - {at: 2s, cable-test: {port: eth0, tdr: true, from-m: 9, to-m: 3, pair: E}}\n",
        ),
        &[
            "scenarios/x.yaml:16:33: timeline[0].cable-test.port: no port named `eth1` (did you mean `eth0`?) (ports: eth0)",
            "scenarios/x.yaml:16:39: timeline[0].cable-test.from-m: `from-m` shapes a TDR trace and needs `tdr: true`",
            "scenarios/x.yaml:17:26: timeline[1].cable-test: the trace starts at 9 m, after its end at 3 m",
            "scenarios/x.yaml:17:76: timeline[1].cable-test.pair: `E` is not a valid pair; expected one of: A, B, C, D",
        ],
    );
    check(
        &with(
            "  - {cable-test: eth0, within: [0s, 5s], pairs: {A: {result: ok, distance-m: 3}, B: shrt}}\n  - {cable-test-tdr: eth0, within: [0s, 5s], pairs: {}}\n",
        ),
        &[
            "scenarios/x.yaml:15:66: expect[1].pairs.A.distance-m: a pair that is `ok` has no fault distance",
            "scenarios/x.yaml:15:85: expect[1].pairs.B: `shrt` is not a valid cable test result (did you mean `short`?); expected one of: ok, open, short, cross-short, impedance-mismatch, noise, resolution-not-possible, unspec",
            "scenarios/x.yaml:16:53: expect[2].pairs: name at least one pair to check",
        ],
    );
    // A test after the window's end cannot be the one checked.
    check(
        &with(
            "  - {cable-test: eth0, within: [0s, 5s], pairs: {A: ok}}\ntimeline:\n  - {at: 6s, cable-test: {port: eth0}}\n",
        ),
        &["scenarios/x.yaml:15:5: expect[1]: no test to check: the timeline needs a `cable-test` event on eth0 at or before 5s"],
    );
}

#[test]
fn guest_settings_are_checked() {
    check(
        &with(
            "timeline:\n  - {at: 1s, link-settings: {port: eth0}}\n  - {at: 2s, link-settings: {port: eth0, speed: 200, master-slave: master}}\n  - {at: 3s, eee-settings: {port: eth0}}\n",
        ),
        &[
            "scenarios/x.yaml:16:29: timeline[0].link-settings: changes nothing: give at least one of `autoneg`, `speed`, `duplex`, `advertise`, `master-slave`",
            "scenarios/x.yaml:17:49: timeline[1].link-settings.speed: a speed is one of 10, 100, 1000, 2500, 5000, 10000 (Mb/s), not 200",
            "scenarios/x.yaml:17:68: timeline[1].link-settings.master-slave: `master` is not a valid master-slave configuration; expected one of: preferred-master, preferred-slave, forced-master, forced-slave",
            "scenarios/x.yaml:18:28: timeline[2].eee-settings.enabled: required field is missing",
        ],
    );
}
