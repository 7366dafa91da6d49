//! The JSON-lines messages of PROTOCOL.md.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// The observable state of one port; a `link` message is sent when it changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkState {
    pub admin_up: bool,
    pub carrier: Option<bool>,
    pub operstate: &'static str,
    /// Mb/s, `None` for SPEED_UNKNOWN or when the device has no link settings.
    pub speed: Option<u32>,
    pub duplex: Option<&'static str>,
    pub autoneg: Option<bool>,
    pub phy_driver: Option<String>,
    /// LINKMODES' MASTER_SLAVE_CFG / _STATE by name, `None` when the kernel left them out.
    pub master_slave_cfg: Option<Cow<'static, str>>,
    pub master_slave_state: Option<Cow<'static, str>>,
    /// EEE_GET's ACTIVE / ENABLED, `None` when the request failed or they were left out.
    pub eee_active: Option<bool>,
    pub eee_enabled: Option<bool>,
}

/// agent -> host
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Out<'a> {
    Hello {
        t: u64,
        kernel: &'a str,
        agent: &'a str,
    },
    Start {
        t: u64,
        origin_ns: u64,
    },
    Link {
        t: u64,
        ifname: &'a str,
        #[serde(flatten)]
        state: &'a LinkState,
    },
    Kmsg {
        t: u64,
        level: u8,
        ts_us: u64,
        msg: &'a str,
    },
    End {
        t: u64,
    },
    Error {
        t: u64,
        message: &'a str,
        fatal: bool,
    },
    Bench {
        t: u64,
        #[serde(flatten)]
        result: &'a BenchResult,
    },
    Teardown {
        t: u64,
        ok: bool,
        steps: &'a [TeardownStep],
        kmemleak: &'a str,
    },
    #[serde(rename = "cable_test")]
    CableTest {
        t: u64,
        ifname: &'a str,
        mode: &'static str,
        requested_t: u64,
        started_t: Option<u64>,
        error: Option<&'a str>,
        #[serde(flatten)]
        results: &'a CableResults,
    },
}

/// What a cable test's COMPLETED notification reported.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CableResults {
    /// Per pair, in pair order (fault mode).
    pub pairs: Vec<CablePair>,
    /// The TDR pulse's amplitude (PULSE nest).
    pub pulse_mv: Option<u16>,
    /// The first STEP nest: the distances the PHY sampled.
    pub step: Option<TdrStep>,
    /// The TDR samples, in the order the kernel sent them.
    pub amplitudes: Vec<TdrAmplitude>,
}

/// One pair of a fault-mode cable test: its RESULT code and FAULT_LENGTH, either may be
/// missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CablePair {
    pub pair: Cow<'static, str>,
    pub code: Option<Cow<'static, str>>,
    pub fault_length_cm: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TdrStep {
    pub first_cm: u32,
    pub last_cm: u32,
    pub step_cm: u32,
}

/// One TDR sample: the reflection's amplitude on one pair at one distance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TdrAmplitude {
    pub pair: Cow<'static, str>,
    pub distance_cm: u32,
    pub mv: i16,
}

/// The measurements of a `bench` message: per kind, the number of operations done and their
/// mean guest CLOCK_MONOTONIC cost in ns (`None`, sent as null, when none was done).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BenchResult {
    pub n_mdio_reads: u64,
    pub mdio_read_ns: Option<f64>,
    pub n_mdio_writes: u64,
    pub mdio_write_ns: Option<f64>,
    pub n_mmio_reads: u64,
    pub mmio_read_ns: Option<f64>,
}

/// One step of the `teardown` message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeardownStep {
    pub step: &'static str,
    pub ok: bool,
    pub detail: String,
}

impl Out<'_> {
    pub fn to_line(&self) -> Result<String, serde_json::Error> {
        let mut s = serde_json::to_string(self)?;
        s.push('\n');
        Ok(s)
    }
}

/// host -> agent `plan`
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Plan {
    pub ports: Vec<String>,
    pub duration_ns: u64,
    pub setup_timeout_ns: u64,
    /// After the scenario: unbind, rebind, unbind and unload the board driver and look for
    /// leaks (a `teardown` message). Absent or null: false.
    #[serde(default, deserialize_with = "null_is_default")]
    pub teardown: bool,
    /// Right after `start`: MDIO and MMIO latency measurements (a `bench` message).
    #[serde(default)]
    pub bench: Option<BenchPlan>,
    /// Guest-side actions on the timeline (a `cable_test` message each). Absent or null: none.
    #[serde(default, deserialize_with = "null_is_default")]
    pub actions: Vec<Action>,
}

/// One of the plan's `actions`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Action {
    /// When, relative to the timeline origin.
    pub at_ns: u64,
    pub ifname: String,
    #[serde(flatten)]
    pub kind: ActionKind,
}

/// The `action` of an [`Action`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ActionKind {
    /// ETHTOOL_MSG_CABLE_TEST_ACT
    CableTest,
    /// ETHTOOL_MSG_CABLE_TEST_TDR_ACT
    CableTestTdr(TdrConfig),
}

/// The TDR test's configuration; `None` leaves the kernel's default (1 m to 150 m in 1 m
/// steps, all pairs).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct TdrConfig {
    pub first_cm: Option<u32>,
    pub last_cm: Option<u32>,
    pub step_cm: Option<u32>,
    pub pair: Option<Pair>,
}

/// A twisted pair, `ETHTOOL_A_CABLE_PAIR_A` (0) to `_D` (3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Pair {
    A = 0,
    B = 1,
    C = 2,
    D = 3,
}

impl Pair {
    pub fn number(self) -> u8 {
        self as u8
    }
}

/// The plan's `bench`: how many operations of each kind to time (absent: 0, not measured).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct BenchPlan {
    pub mdio_reads: u64,
    pub mdio_writes: u64,
    pub mmio_reads: u64,
}

fn null_is_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// host -> agent
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum In {
    Plan(Plan),
    PowerOff,
    /// A message of a type the agent does not know.
    Unknown(String),
}

/// Parses one line from the host. Unknown fields are ignored.
pub fn parse_in(line: &str) -> Result<In, String> {
    let v: serde_json::Value =
        serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    let ty = v
        .get("type")
        .and_then(|t| t.as_str())
        .ok_or_else(|| "message without a string \"type\"".to_string())?
        .to_string();
    match ty.as_str() {
        "plan" => {
            let plan: Plan = serde_json::from_value(v).map_err(|e| format!("invalid plan: {e}"))?;
            let names = plan
                .ports
                .iter()
                .chain(plan.actions.iter().map(|a| &a.ifname));
            for p in names {
                // IFNAMSIZ is 16 including the NUL.
                if p.is_empty() || p.len() > 15 || p.contains(['/', '\0']) || p.contains(' ') {
                    return Err(format!("invalid plan: bad interface name {p:?}"));
                }
            }
            Ok(In::Plan(plan))
        }
        "poweroff" => Ok(In::PowerOff),
        _ => Ok(In::Unknown(ty)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn value(o: &Out<'_>) -> serde_json::Value {
        let line = o.to_line().unwrap();
        assert!(line.ends_with('\n'));
        assert_eq!(line.matches('\n').count(), 1);
        serde_json::from_str(&line).unwrap()
    }

    #[test]
    fn outgoing() {
        assert_eq!(
            value(&Out::Hello {
                t: 1,
                kernel: "7.3.0",
                agent: "0.1.0"
            }),
            json!({"type":"hello","t":1,"kernel":"7.3.0","agent":"0.1.0"})
        );
        assert_eq!(
            value(&Out::Start { t: 5, origin_ns: 4 }),
            json!({"type":"start","t":5,"origin_ns":4})
        );
        let st = LinkState {
            admin_up: true,
            carrier: Some(true),
            operstate: "up",
            speed: Some(1000),
            duplex: Some("full"),
            autoneg: Some(true),
            phy_driver: Some("Marvell 88E1510".into()),
            master_slave_cfg: Some("prefer_slave".into()),
            master_slave_state: Some("slave".into()),
            eee_active: Some(false),
            eee_enabled: Some(true),
        };
        assert_eq!(
            value(&Out::Link {
                t: 9,
                ifname: "eth0",
                state: &st
            }),
            json!({"type":"link","t":9,"ifname":"eth0","admin_up":true,"carrier":true,
                   "operstate":"up","speed":1000,"duplex":"full","autoneg":true,
                   "phy_driver":"Marvell 88E1510","master_slave_cfg":"prefer_slave",
                   "master_slave_state":"slave","eee_active":false,"eee_enabled":true})
        );
        let st = LinkState {
            admin_up: false,
            carrier: Some(false),
            operstate: "down",
            speed: None,
            duplex: None,
            autoneg: None,
            phy_driver: None,
            master_slave_cfg: None,
            master_slave_state: None,
            eee_active: None,
            eee_enabled: None,
        };
        assert_eq!(
            value(&Out::Link {
                t: 9,
                ifname: "lo",
                state: &st
            }),
            json!({"type":"link","t":9,"ifname":"lo","admin_up":false,"carrier":false,
                   "operstate":"down","speed":null,"duplex":null,"autoneg":null,
                   "phy_driver":null,"master_slave_cfg":null,"master_slave_state":null,
                   "eee_active":null,"eee_enabled":null})
        );
        assert_eq!(
            value(&Out::Kmsg {
                t: 2,
                level: 6,
                ts_us: 3,
                msg: "a \"quoted\"\nline"
            }),
            json!({"type":"kmsg","t":2,"level":6,"ts_us":3,"msg":"a \"quoted\"\nline"})
        );
        assert_eq!(value(&Out::End { t: 7 }), json!({"type":"end","t":7}));
        let b = BenchResult {
            n_mdio_reads: 10,
            mdio_read_ns: Some(1500.5),
            n_mdio_writes: 10,
            mdio_write_ns: Some(2000.0),
            n_mmio_reads: 0,
            mmio_read_ns: None,
        };
        assert_eq!(
            value(&Out::Bench { t: 8, result: &b }),
            json!({"type":"bench","t":8,"n_mdio_reads":10,"mdio_read_ns":1500.5,
                   "n_mdio_writes":10,"mdio_write_ns":2000.0,"n_mmio_reads":0,
                   "mmio_read_ns":null})
        );
        let steps = [
            TeardownStep {
                step: "unbind",
                ok: true,
                detail: "gone".into(),
            },
            TeardownStep {
                step: "rmmod",
                ok: false,
                detail: "busy".into(),
            },
        ];
        assert_eq!(
            value(&Out::Teardown {
                t: 9,
                ok: false,
                steps: &steps,
                kmemleak: ""
            }),
            json!({"type":"teardown","t":9,"ok":false,"steps":[
                {"step":"unbind","ok":true,"detail":"gone"},
                {"step":"rmmod","ok":false,"detail":"busy"}],"kmemleak":""})
        );
        assert_eq!(
            value(&Out::Error {
                t: 7,
                message: "x",
                fatal: true
            }),
            json!({"type":"error","t":7,"message":"x","fatal":true})
        );
    }

    #[test]
    fn cable_test_messages() {
        let fault = CableResults {
            pairs: vec![
                CablePair {
                    pair: "A".into(),
                    code: Some("ok".into()),
                    fault_length_cm: None,
                },
                CablePair {
                    pair: "B".into(),
                    code: None,
                    fault_length_cm: Some(1240),
                },
            ],
            ..CableResults::default()
        };
        assert_eq!(
            value(&Out::CableTest {
                t: 30,
                ifname: "eth0",
                mode: "fault",
                requested_t: 10,
                started_t: Some(20),
                error: None,
                results: &fault,
            }),
            json!({"type":"cable_test","t":30,"ifname":"eth0","mode":"fault",
                   "requested_t":10,"started_t":20,"error":null,
                   "pairs":[{"pair":"A","code":"ok","fault_length_cm":null},
                            {"pair":"B","code":null,"fault_length_cm":1240}],
                   "pulse_mv":null,"step":null,"amplitudes":[]})
        );
        let tdr = CableResults {
            pulse_mv: Some(1000),
            step: Some(TdrStep {
                first_cm: 80,
                last_cm: 160,
                step_cm: 80,
            }),
            amplitudes: vec![TdrAmplitude {
                pair: "C".into(),
                distance_cm: 160,
                mv: -42,
            }],
            ..CableResults::default()
        };
        assert_eq!(
            value(&Out::CableTest {
                t: 31,
                ifname: "eth1",
                mode: "tdr",
                requested_t: 11,
                started_t: None,
                error: Some("EOPNOTSUPP: PHY driver does not support cable testing"),
                results: &tdr,
            }),
            json!({"type":"cable_test","t":31,"ifname":"eth1","mode":"tdr",
                   "requested_t":11,"started_t":null,
                   "error":"EOPNOTSUPP: PHY driver does not support cable testing",
                   "pairs":[],"pulse_mv":1000,
                   "step":{"first_cm":80,"last_cm":160,"step_cm":80},
                   "amplitudes":[{"pair":"C","distance_cm":160,"mv":-42}]})
        );
    }

    fn plan_actions(actions: &str) -> Result<Vec<Action>, String> {
        match parse_in(&format!(
            r#"{{"type":"plan","ports":["eth0"],"duration_ns":5,"setup_timeout_ns":6,"actions":{actions}}}"#
        )) {
            Ok(In::Plan(p)) => Ok(p.actions),
            Ok(other) => panic!("{other:?}"),
            Err(e) => Err(e),
        }
    }

    #[test]
    fn plan_actions_parsing() {
        assert_eq!(plan_actions("null"), Ok(vec![]));
        assert_eq!(plan_actions("[]"), Ok(vec![]));
        assert_eq!(
            plan_actions(
                r#"[{"at_ns":1000,"action":"cable_test","ifname":"eth0","extra":1},
                    {"at_ns":2000,"action":"cable_test_tdr","ifname":"eth1","first_cm":100,
                     "last_cm":null,"step_cm":50,"pair":"B"},
                    {"at_ns":3000,"action":"cable_test_tdr","ifname":"eth1"}]"#
            ),
            Ok(vec![
                Action {
                    at_ns: 1000,
                    ifname: "eth0".into(),
                    kind: ActionKind::CableTest,
                },
                Action {
                    at_ns: 2000,
                    ifname: "eth1".into(),
                    kind: ActionKind::CableTestTdr(TdrConfig {
                        first_cm: Some(100),
                        last_cm: None,
                        step_cm: Some(50),
                        pair: Some(Pair::B),
                    }),
                },
                Action {
                    at_ns: 3000,
                    ifname: "eth1".into(),
                    kind: ActionKind::CableTestTdr(TdrConfig::default()),
                },
            ])
        );
        assert_eq!(Pair::A.number(), 0);
        assert_eq!(Pair::D.number(), 3);
        // Unknown actions, pairs and bad values make the plan invalid.
        assert!(plan_actions(r#"[{"at_ns":1,"action":"reboot","ifname":"eth0"}]"#).is_err());
        assert!(plan_actions(
            r#"[{"at_ns":1,"action":"cable_test_tdr","ifname":"eth0","pair":"E"}]"#
        )
        .is_err());
        assert!(plan_actions(
            r#"[{"at_ns":1,"action":"cable_test_tdr","ifname":"eth0","first_cm":-1}]"#
        )
        .is_err());
        assert!(plan_actions(r#"[{"action":"cable_test","ifname":"eth0"}]"#).is_err());
        assert!(plan_actions(r#"[{"at_ns":1,"action":"cable_test","ifname":"a b"}]"#).is_err());
    }

    #[test]
    fn incoming() {
        assert_eq!(
            parse_in(
                r#"{"type":"plan","ports":["eth0","eth1"],"duration_ns":5,"setup_timeout_ns":6,"extra":1}"#
            ),
            Ok(In::Plan(Plan {
                ports: vec!["eth0".into(), "eth1".into()],
                duration_ns: 5,
                setup_timeout_ns: 6,
                teardown: false,
                bench: None,
                actions: vec![],
            }))
        );
        let plan = |extra: &str| match parse_in(&format!(
            r#"{{"type":"plan","ports":["eth0"],"duration_ns":5,"setup_timeout_ns":6{extra}}}"#
        )) {
            Ok(In::Plan(p)) => Ok((p.teardown, p.bench)),
            Ok(other) => panic!("{other:?}"),
            Err(e) => Err(e),
        };
        assert_eq!(plan(r#","teardown":true"#), Ok((true, None)));
        assert_eq!(plan(r#","teardown":null,"bench":null"#), Ok((false, None)));
        assert_eq!(
            plan(r#","bench":{"mdio_reads":10,"mdio_writes":20,"mmio_reads":30}"#),
            Ok((
                false,
                Some(BenchPlan {
                    mdio_reads: 10,
                    mdio_writes: 20,
                    mmio_reads: 30
                })
            ))
        );
        assert_eq!(
            plan(r#","bench":{"mmio_reads":3}"#),
            Ok((
                false,
                Some(BenchPlan {
                    mdio_reads: 0,
                    mdio_writes: 0,
                    mmio_reads: 3
                })
            ))
        );
        assert!(plan(r#","teardown":"yes""#).is_err());
        assert!(plan(r#","bench":{"mdio_reads":-1}"#).is_err());
        assert_eq!(parse_in(r#"{"type":"poweroff"}"#), Ok(In::PowerOff));
        assert_eq!(
            parse_in(r#"{"type":"bogus","x":1}"#),
            Ok(In::Unknown("bogus".into()))
        );
        assert!(parse_in("not json").is_err());
        assert!(parse_in(r#"{"t":1}"#).is_err());
        assert!(parse_in(r#"{"type":"plan","ports":["eth0"]}"#).is_err());
        assert!(parse_in(
            r#"{"type":"plan","ports":["a-very-long-ifname0"],"duration_ns":1,"setup_timeout_ns":1}"#
        )
        .is_err());
    }
}
