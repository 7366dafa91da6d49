//! The shipped scenario files and the defaults of the format.

use phy_sim_scenario::*;
use std::path::{Path, PathBuf};
use std::time::Duration;

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

fn file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn at(line: usize, column: usize) -> Location {
    Location { line, column }
}

#[test]
fn link_flap_parses_into_the_expected_scenario() {
    let path = file("link-flap.yaml");
    let s = load(&path, &models()).unwrap_or_else(|e| panic!("{e}"));
    let all = strings(&[
        "10baseT/Half",
        "10baseT/Full",
        "100baseT/Half",
        "100baseT/Full",
        "1000baseT/Full",
    ]);
    let expected = Scenario {
        path: path.clone(),
        name: "link-flap".into(),
        description: Some(
            "A 1000/Full-capable partner on a Marvell 88E1510 with its interrupt wired; the cable is \
             pulled at 2 s and plugged back at 3 s. The link goes down promptly and renegotiates 1000/Full.\n"
                .into(),
        ),
        duration: ms(10_000),
        board: Board {
            mdio: vec![MdioBus {
                name: "mdio0".into(),
                mdc_hz: DEFAULT_MDC_HZ,
                phys: vec![PhyDef {
                    name: "phy0".into(),
                    model: "marvell-88e1510".into(),
                    address: 1,
                    interrupt: true,
                    cable: CableDef {
                        connected: true,
                        pairs: 4,
                        length_m: 5.0,
                        faults: [None; 4],
                    },
                    partner: Some(PartnerDef::negotiating(all)),
                    registers: None,
                    timing: TimingDef::default(),
                }],
            }],
            ports: vec![Port {
                name: "eth0".into(),
                phy: "phy0".into(),
                phy_mode: "rgmii-id".into(),
            }],
        },
        timeline: vec![
            Event {
                at: ms(2000),
                action: Action::Cable {
                    phy: "phy0".into(),
                    connected: Some(false),
                    pairs: None,
                    length_m: None,
                    faults: None,
                },
                location: at(25, 5),
            },
            Event {
                at: ms(3000),
                action: Action::Cable {
                    phy: "phy0".into(),
                    connected: Some(true),
                    pairs: None,
                    length_m: None,
                    faults: None,
                },
                location: at(27, 5),
            },
        ],
        expect: vec![
            Expectation::Port {
                name: "eth0 link up 1000/full phy-driver \"Marvell 88E1510\" within 0s..2s".into(),
                port: "eth0".into(),
                window: Window::Within(ms(0), ms(2000)),
                link: Some(LinkState::Up),
                speed: Some(1000),
                duplex: Some(Duplex::Full),
                phy_driver: Some("Marvell 88E1510".into()),
                master_slave: None,
                eee: None,
                location: at(31, 5),
            },
            Expectation::Port {
                name: "eth0 link down within 2s..3.1s".into(),
                port: "eth0".into(),
                window: Window::Within(ms(2000), ms(3100)),
                link: Some(LinkState::Down),
                speed: None,
                duplex: None,
                phy_driver: None,
                master_slave: None,
                eee: None,
                location: at(37, 5),
            },
            Expectation::Port {
                name: "eth0 link up 1000/full within 3s..7s".into(),
                port: "eth0".into(),
                window: Window::Within(ms(3000), ms(7000)),
                link: Some(LinkState::Up),
                speed: Some(1000),
                duplex: Some(Duplex::Full),
                phy_driver: None,
                master_slave: None,
                eee: None,
                location: at(40, 5),
            },
            Expectation::Port {
                name: "eth0 link up 1000/full during 7s..10s".into(),
                port: "eth0".into(),
                window: Window::During(ms(7000), ms(10_000)),
                link: Some(LinkState::Up),
                speed: Some(1000),
                duplex: Some(Duplex::Full),
                phy_driver: None,
                master_slave: None,
                eee: None,
                location: at(45, 5),
            },
            Expectation::DmesgClean {
                name: "dmesg clean".into(),
                location: at(50, 5),
            },
            Expectation::TeardownClean {
                name: "teardown clean".into(),
                location: at(51, 5),
            },
        ],
    };
    assert_eq!(s, expected);
}

#[test]
fn autoneg_100_half_parses_into_the_expected_scenario() {
    let path = file("autoneg-100-half.yaml");
    let s = load(&path, &models()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.name, "autoneg-100-half");
    assert_eq!(s.duration, ms(8000));
    let phy = &s.board.mdio[0].phys[0];
    assert_eq!(
        (phy.name.as_str(), phy.address, phy.interrupt),
        ("phy0", 1, false)
    );
    assert_eq!(
        phy.partner,
        Some(PartnerDef::negotiating(strings(&["100baseT/Half"])))
    );
    assert!(s.timeline.is_empty());
    let summary: Vec<(&str, Window)> = s
        .expect
        .iter()
        .filter_map(|e| match e {
            Expectation::Port {
                name,
                window,
                link,
                speed,
                duplex,
                ..
            } => {
                assert_eq!(
                    (*link, *speed, *duplex),
                    (Some(LinkState::Up), Some(100), Some(Duplex::Half))
                );
                Some((name.as_str(), *window))
            }
            Expectation::DmesgClean { .. }
            | Expectation::TeardownClean { .. }
            | Expectation::CableTest { .. } => None,
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "eth0 link up 100/half within 0s..5s",
                Window::Within(ms(0), ms(5000))
            ),
            (
                "eth0 link up 100/half during 5s..8s",
                Window::During(ms(5000), ms(8000))
            ),
        ]
    );
    assert!(matches!(s.expect[2], Expectation::DmesgClean { .. }));
}

#[test]
fn the_readme_example_parses() {
    let readme = std::fs::read_to_string(file("README.md")).unwrap();
    let start = readme.find("```yaml\n").unwrap() + "```yaml\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let s = parse(&readme[start..end], Path::new("README.md"), &models())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.name, "link-flap");
    assert_eq!(s.board.mdio[0].phys[0].cable.length_m, 10.0);
    assert_eq!(
        s.board.mdio[0].phys[0].partner.as_ref().unwrap().pause,
        Pause::Symmetric
    );
    assert_eq!(s.timeline.len(), 3);
    assert_eq!(
        s.timeline[2].action,
        Action::Partner {
            phy: "phy0".into(),
            present: None,
            autoneg: None,
            advertise: Some(strings(&["100baseT/Half"])),
            pause: None,
            speed: None,
            duplex: None,
            eee: None,
            master_slave: None,
            seed: None,
        }
    );
    assert_eq!(s.expect[0].name(), "link comes up at 1000/Full");
    assert_eq!(s.expect.len(), 5);
}

const MINIMAL: &str = "\
version: 0
duration: 1.5s
board:
  mdio:
    - name: mdio0
      phys:
        - {name: phy0, model: marvell-88e1512, address: 0}
  ports:
    - {name: eth0, phy: phy0}
expect:
  - {port: eth0, within: [0, 1.5s], speed: 10}
";

#[test]
fn defaults_apply() {
    let s = parse(MINIMAL, Path::new("dir/minimal.yaml"), &models()).unwrap();
    assert_eq!(s.name, "minimal");
    assert_eq!(s.description, None);
    assert_eq!(s.duration, ms(1500));
    let phy = &s.board.mdio[0].phys[0];
    assert!(phy.interrupt);
    assert_eq!(
        phy.cable,
        CableDef {
            connected: true,
            pairs: 4,
            length_m: 5.0,
            faults: [None; 4],
        }
    );
    assert_eq!(phy.partner, None);
    assert_eq!(s.board.ports[0].phy_mode, "rgmii-id");
    assert!(s.timeline.is_empty());
    assert_eq!(s.expect[0].name(), "eth0 speed 10 within 0s..1.5s");
    assert_eq!(s.expect[0].location(), at(11, 5));
}

#[test]
fn partner_defaults_to_every_mode_of_its_model() {
    let mut models = models();
    models[1].link_modes = strings(&["100baseT/Full", "1000baseT/Full"]);
    let text = MINIMAL.replace("address: 0}", "address: 0, partner: {pause: both}}");
    let s = parse(&text, Path::new("x.yaml"), &models).unwrap();
    let partner = s.board.mdio[0].phys[0].partner.clone().unwrap();
    assert_eq!(
        partner.advertise,
        strings(&["100baseT/Full", "1000baseT/Full"])
    );
    assert_eq!(partner.pause, Pause::Both);
}

#[test]
fn timeline_is_sorted_stably_and_partner_events_decode() {
    let text = format!(
        "{MINIMAL}\
timeline:
  - {{at: 1s, cable: {{phy: phy0, pairs: 2, length-m: 0.5}}}}
  - {{at: 500ms, partner: {{phy: phy0, autoneg: false, speed: 100, duplex: half}}}}
  - {{at: 1s, partner: {{phy: phy0, present: false}}}}
  - {{at: 0s, partner: {{phy: phy0, pause: asymmetric}}}}
"
    );
    let s = parse(&text, Path::new("x.yaml"), &models()).unwrap_or_else(|e| panic!("{e}"));
    let order: Vec<(Duration, usize)> =
        s.timeline.iter().map(|e| (e.at, e.location.line)).collect();
    assert_eq!(
        order,
        vec![(ms(0), 16), (ms(500), 14), (ms(1000), 13), (ms(1000), 15)]
    );
    assert_eq!(
        s.timeline[1].action,
        Action::Partner {
            phy: "phy0".into(),
            present: None,
            autoneg: Some(false),
            advertise: None,
            pause: None,
            speed: Some(100),
            duplex: Some(Duplex::Half),
            eee: None,
            master_slave: None,
            seed: None,
        }
    );
    assert_eq!(
        s.timeline[2].action,
        Action::Cable {
            phy: "phy0".into(),
            connected: None,
            pairs: Some(2),
            length_m: Some(0.5),
            faults: None,
        }
    );
}

#[test]
fn anchors_and_aliases_work() {
    let text = "\
version: 0
duration: 2s
board:
  mdio:
    - name: mdio0
      phys:
        - {name: phy0, model: marvell-88e1510, address: 1, partner: &p {advertise: [100baseT/Full]}}
        - {name: phy1, model: marvell-88e1510, address: 2, partner: *p}
  ports: []
expect:
  - dmesg: clean
";
    let s = parse(text, Path::new("x.yaml"), &models()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        s.board.mdio[0].phys[1].partner,
        s.board.mdio[0].phys[0].partner
    );
}

#[test]
fn serializes_to_json_with_readable_durations() {
    let s = load(&file("link-flap.yaml"), &models()).unwrap();
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["duration"], "10s");
    assert_eq!(json["timeline"][0]["at"], "2s");
    assert_eq!(json["timeline"][0]["action"]["kind"], "cable");
    assert_eq!(
        json["expect"][1]["window"]["within"],
        serde_json::json!(["2s", "3.1s"])
    );
    assert_eq!(json["expect"][4]["kind"], "dmesg-clean");
}

#[test]
fn a_partner_plugged_in_by_an_event_advertises_its_models_modes() {
    let text = format!(
        "{MINIMAL}\
timeline:
  - {{at: 0.2s, partner: {{phy: phy0, pause: both}}}}
  - {{at: 0.4s, partner: {{phy: phy0, autoneg: false, speed: 10, duplex: full}}}}
  - {{at: 0.6s, partner: {{phy: phy0, present: false}}}}
  - {{at: 0.8s, partner: {{phy: phy0, present: true}}}}
  - {{at: 1s, partner: {{phy: phy0, advertise: [10baseT/Half]}}}}
"
    );
    let mut models = models();
    models[1].link_modes = strings(&["10baseT/Full", "100baseT/Full"]);
    let s = parse(&text, Path::new("x.yaml"), &models).unwrap_or_else(|e| panic!("{e}"));
    let advertised: Vec<Option<Vec<String>>> = s
        .timeline
        .iter()
        .map(|e| match &e.action {
            Action::Partner { advertise, .. } => advertise.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    let model = Some(strings(&["10baseT/Full", "100baseT/Full"]));
    assert_eq!(
        advertised,
        vec![
            model.clone(),
            None,
            None,
            model,
            Some(strings(&["10baseT/Half"]))
        ]
    );
}

#[test]
fn cable_faults_and_cable_tests_decode() {
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
          timing: {autoneg: 200ms, link-1000: 100ms}
          cable:
            length-m: 40
            faults:
              B: {fault: open, distance-m: 12.5}
              D: {fault: cross-short, distance-m: 3}
  ports:
    - {name: eth0, phy: phy0}
timeline:
  - {at: 2s, cable-test: {port: eth0}}
  - {at: 5s, cable: {phy: phy0, faults: {}}}
  - {at: 6s, cable-test: {port: eth0, tdr: true, from-m: 0, to-m: 50.5, pair: B}}
expect:
  - cable-test: eth0
    within: [2s, 5s]
    pairs: {A: ok, B: {result: open, distance-m: 12.5, tolerance-m: 0.5}}
  - cable-test-tdr: eth0
    within: [6s, 10s]
    pairs: {B: {reflection: positive, distance-m: 40}, C: none}
";
    let s = parse(text, Path::new("x.yaml"), &models()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        s.board.mdio[0].phys[0].timing,
        TimingDef {
            autoneg: Some(ms(200)),
            link_1000: Some(ms(100)),
            ..TimingDef::default()
        }
    );
    let cable = &s.board.mdio[0].phys[0].cable;
    assert_eq!(
        cable.faults,
        [
            None,
            Some(FaultDef {
                fault: Fault::Open,
                distance_m: 12.5
            }),
            None,
            Some(FaultDef {
                fault: Fault::CrossShort,
                distance_m: 3.0
            }),
        ]
    );
    assert_eq!(
        s.timeline[0].action,
        Action::CableTest {
            port: "eth0".into(),
            tdr: None
        }
    );
    assert_eq!(
        s.timeline[1].action,
        Action::Cable {
            phy: "phy0".into(),
            connected: None,
            pairs: None,
            length_m: None,
            faults: Some([None; 4]),
        }
    );
    assert_eq!(
        s.timeline[2].action,
        Action::CableTest {
            port: "eth0".into(),
            tdr: Some(TdrRange {
                first_m: Some(0.0),
                last_m: Some(50.5),
                step_m: None,
                pair: Some("B".into()),
            })
        }
    );
    assert_eq!(
        s.expect[0],
        Expectation::CableTest {
            name: "eth0 cable-test A:ok B:open@12.5m within 2s..5s".into(),
            port: "eth0".into(),
            window: Window::Within(ms(2000), ms(5000)),
            checks: CableChecks::Results(vec![
                PairCheck {
                    pair: "A".into(),
                    result: PairResult::Ok,
                    distance_m: None,
                    tolerance_m: DEFAULT_TOLERANCE_M,
                },
                PairCheck {
                    pair: "B".into(),
                    result: PairResult::Open,
                    distance_m: Some(12.5),
                    tolerance_m: 0.5,
                },
            ]),
            location: at(23, 5),
        }
    );
    let Expectation::CableTest {
        checks: CableChecks::Tdr(tdr),
        ..
    } = &s.expect[1]
    else {
        panic!("{:?}", s.expect[1]);
    };
    assert_eq!(
        tdr[1],
        TdrCheck {
            pair: "C".into(),
            reflection: Reflection::None,
            distance_m: None,
            tolerance_m: DEFAULT_TOLERANCE_M,
            threshold_mv: DEFAULT_THRESHOLD_MV,
        }
    );
}

#[test]
fn guest_settings_actions_decode() {
    let text = "\
version: 0
duration: 10s
board:
  mdio:
    - name: mdio0
      mdc-hz: 1000000
      phys:
        - {name: phy0, model: marvell-88e1510, address: 1}
  ports:
    - {name: eth0, phy: phy0}
timeline:
  - {at: 1s, link-settings: {port: eth0, autoneg: false, speed: 100, duplex: full}}
  - {at: 2s, link-settings: {port: eth0, advertise: [100baseT/Full], master-slave: forced-slave}}
  - {at: 3s, eee-settings: {port: eth0, enabled: false}}
expect:
  - dmesg: clean
";
    let s = parse(text, Path::new("x.yaml"), &models()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.board.mdio[0].mdc_hz, 1_000_000);
    assert_eq!(
        s.timeline[0].action,
        Action::LinkSettings {
            port: "eth0".into(),
            autoneg: Some(false),
            speed: Some(100),
            duplex: Some(Duplex::Full),
            advertise: None,
            master_slave: None,
        }
    );
    assert_eq!(
        s.timeline[1].action,
        Action::LinkSettings {
            port: "eth0".into(),
            autoneg: None,
            speed: None,
            duplex: None,
            advertise: Some(strings(&["100baseT/Full"])),
            master_slave: Some(MasterSlave::ForcedSlave),
        }
    );
    assert_eq!(
        s.timeline[2].action,
        Action::EeeSettings {
            port: "eth0".into(),
            enabled: false
        }
    );
    assert!(s.timeline.iter().all(|e| e.action.phy().is_none()));
}
