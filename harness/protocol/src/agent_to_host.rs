//! agent -> host: everything the agent observed or did. The agent sends every field; the
//! host, reading, takes a missing `#[serde(default)]` field as its default.

use serde::{Deserialize, Serialize};

/// A message from the agent. Every `t` is guest CLOCK_MONOTONIC in ns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AgentMessage {
    Hello {
        t: u64,
        /// `uname -r`
        kernel: String,
        /// The agent's version.
        #[serde(default)]
        agent: String,
    },
    Start {
        t: u64,
        /// The timeline's time 0.
        origin_ns: u64,
    },
    Link(LinkFact),
    Kmsg {
        t: u64,
        /// The syslog priority's low three bits.
        level: u8,
        /// The kernel's own record timestamp.
        #[serde(default)]
        ts_us: u64,
        msg: String,
    },
    Error {
        t: u64,
        message: String,
        /// A fatal error is the agent's last message; others are reported and the run goes on.
        #[serde(default)]
        fatal: bool,
    },
    End {
        t: u64,
    },
    Teardown(TeardownReport),
    Bench(BenchReport),
    CableTest(CableTestReport),
    ActionDone(ActionDoneReport),
}

/// One port's observable state, sent when it differs from the last one sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkFact {
    pub t: u64,
    pub ifname: String,
    pub admin_up: bool,
    pub carrier: bool,
    /// As sysfs names it: `unknown`, `notpresent`, `down`, `lowerlayerdown`, `testing`,
    /// `dormant`, `up`.
    pub operstate: String,
    /// Mb/s, `None` when unknown.
    pub speed: Option<u32>,
    /// `full` or `half`, `None` when unknown.
    pub duplex: Option<String>,
    pub autoneg: Option<bool>,
    /// The attached PHY's driver, `None` without one.
    pub phy_driver: Option<String>,
    /// `prefer_master`, `force_slave`, ... (`cfg_<N>` for a value the agent does not know).
    #[serde(default)]
    pub master_slave_cfg: Option<String>,
    /// `master`, `slave`, `err`, ... (`state_<N>` for a value the agent does not know).
    #[serde(default)]
    pub master_slave_state: Option<String>,
    #[serde(default)]
    pub eee_active: Option<bool>,
    #[serde(default)]
    pub eee_enabled: Option<bool>,
}

/// The driver-lifetime check after the scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeardownReport {
    pub t: u64,
    /// Every step is ok and `kmemleak` is empty.
    pub ok: bool,
    pub steps: Vec<TeardownStep>,
    /// kmemleak's report, empty when it found nothing.
    #[serde(default)]
    pub kmemleak: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeardownStep {
    pub step: String,
    pub ok: bool,
    #[serde(default)]
    pub detail: String,
}

/// Mean guest-side cost of one operation, in guest ns; `None` when none was done (the agent
/// says why in a non-fatal error just before).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BenchReport {
    /// When the measurements finished.
    pub t: u64,
    pub n_mdio_reads: u64,
    pub mdio_read_ns: Option<f64>,
    pub n_mdio_writes: u64,
    pub mdio_write_ns: Option<f64>,
    pub n_mmio_reads: u64,
    pub mmio_read_ns: Option<f64>,
}

/// The outcome of one planned cable test (`ethtool --cable-test` or `--cable-test-tdr`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CableTestReport {
    /// When the results arrived (or the test gave up).
    pub t: u64,
    pub ifname: String,
    pub mode: CableTestMode,
    pub requested_t: u64,
    #[serde(default)]
    pub started_t: Option<u64>,
    /// Why there are no results: the request's errno and extack, or a timeout.
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub pairs: Vec<PairReport>,
    /// The TDR pulse sent down the cable.
    #[serde(default)]
    pub pulse_mv: Option<i32>,
    /// The distances the PHY actually sampled.
    #[serde(default)]
    pub step: Option<TdrStep>,
    #[serde(default)]
    pub amplitudes: Vec<Amplitude>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CableTestMode {
    Fault,
    Tdr,
}

/// One pair of a fault-mode test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairReport {
    /// `A`..`D` (`pair_<N>` past D).
    pub pair: String,
    /// ethtool's result code name (`ok`, `open`, `same_short`, ...), `None` when the kernel
    /// sent only a fault length.
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub fault_length_cm: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TdrStep {
    pub first_cm: u32,
    pub last_cm: u32,
    pub step_cm: u32,
}

/// One TDR sample: the reflection on one pair at one distance (negative for a short).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amplitude {
    pub pair: String,
    pub distance_cm: u32,
    pub mv: i32,
}

/// The outcome of one planned `link_settings` or `eee` action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionDoneReport {
    /// When the kernel's reply arrived, or when the action failed.
    pub t: u64,
    pub action: SettingAction,
    pub ifname: String,
    /// When the request was sent.
    pub requested_t: u64,
    /// `None` when the kernel accepted the request. Otherwise the errno's name and the
    /// kernel's extack message (`EOPNOTSUPP: bit name not found`), `timed out`,
    /// `scenario ended`, or another failure as text.
    #[serde(default)]
    pub error: Option<String>,
}

/// The actions that end in an `action_done` message, by their plan `action` name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SettingAction {
    LinkSettings,
    Eee,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(m: AgentMessage, j: serde_json::Value) {
        assert_eq!(serde_json::to_value(&m).unwrap(), j);
        assert_eq!(serde_json::from_value::<AgentMessage>(j).unwrap(), m);
    }

    #[test]
    fn hello_start_kmsg_error_end() {
        check(
            AgentMessage::Hello {
                t: 1,
                kernel: "7.3.0".into(),
                agent: "0.1.0".into(),
            },
            json!({"type":"hello","t":1,"kernel":"7.3.0","agent":"0.1.0"}),
        );
        check(
            AgentMessage::Start { t: 5, origin_ns: 4 },
            json!({"type":"start","t":5,"origin_ns":4}),
        );
        check(
            AgentMessage::Kmsg {
                t: 2,
                level: 6,
                ts_us: 3,
                msg: "a \"quoted\"\nline".into(),
            },
            json!({"type":"kmsg","t":2,"level":6,"ts_us":3,"msg":"a \"quoted\"\nline"}),
        );
        check(
            AgentMessage::Error {
                t: 7,
                message: "x".into(),
                fatal: true,
            },
            json!({"type":"error","t":7,"message":"x","fatal":true}),
        );
        check(AgentMessage::End { t: 7 }, json!({"type":"end","t":7}));
        // One line on the wire: newlines inside strings are escaped.
        let line = serde_json::to_string(&AgentMessage::Kmsg {
            t: 0,
            level: 0,
            ts_us: 0,
            msg: "a\nb".into(),
        })
        .unwrap();
        assert!(!line.contains('\n'));
    }

    fn fact() -> LinkFact {
        LinkFact {
            t: 9,
            ifname: "eth0".into(),
            admin_up: true,
            carrier: true,
            operstate: "up".into(),
            speed: Some(1000),
            duplex: Some("full".into()),
            autoneg: Some(true),
            phy_driver: Some("Marvell 88E1510".into()),
            master_slave_cfg: Some("prefer_slave".into()),
            master_slave_state: Some("slave".into()),
            eee_active: Some(false),
            eee_enabled: Some(true),
        }
    }

    #[test]
    fn link() {
        check(
            AgentMessage::Link(fact()),
            json!({"type":"link","t":9,"ifname":"eth0","admin_up":true,"carrier":true,
                   "operstate":"up","speed":1000,"duplex":"full","autoneg":true,
                   "phy_driver":"Marvell 88E1510","master_slave_cfg":"prefer_slave",
                   "master_slave_state":"slave","eee_active":false,"eee_enabled":true}),
        );
        // Unknown is null, not absent.
        check(
            AgentMessage::Link(LinkFact {
                ifname: "lo".into(),
                admin_up: false,
                carrier: false,
                operstate: "down".into(),
                speed: None,
                duplex: None,
                autoneg: None,
                phy_driver: None,
                master_slave_cfg: None,
                master_slave_state: None,
                eee_active: None,
                eee_enabled: None,
                ..fact()
            }),
            json!({"type":"link","t":9,"ifname":"lo","admin_up":false,"carrier":false,
                   "operstate":"down","speed":null,"duplex":null,"autoneg":null,
                   "phy_driver":null,"master_slave_cfg":null,"master_slave_state":null,
                   "eee_active":null,"eee_enabled":null}),
        );
    }

    #[test]
    fn bench_and_teardown() {
        check(
            AgentMessage::Bench(BenchReport {
                t: 8,
                n_mdio_reads: 10,
                mdio_read_ns: Some(1500.5),
                n_mdio_writes: 10,
                mdio_write_ns: Some(2000.0),
                n_mmio_reads: 0,
                mmio_read_ns: None,
            }),
            json!({"type":"bench","t":8,"n_mdio_reads":10,"mdio_read_ns":1500.5,
                   "n_mdio_writes":10,"mdio_write_ns":2000.0,"n_mmio_reads":0,
                   "mmio_read_ns":null}),
        );
        check(
            AgentMessage::Teardown(TeardownReport {
                t: 9,
                ok: false,
                steps: vec![
                    TeardownStep {
                        step: "unbind".into(),
                        ok: true,
                        detail: "gone".into(),
                    },
                    TeardownStep {
                        step: "rmmod".into(),
                        ok: false,
                        detail: "busy".into(),
                    },
                ],
                kmemleak: String::new(),
            }),
            json!({"type":"teardown","t":9,"ok":false,"steps":[
                {"step":"unbind","ok":true,"detail":"gone"},
                {"step":"rmmod","ok":false,"detail":"busy"}],"kmemleak":""}),
        );
    }

    #[test]
    fn cable_test() {
        check(
            AgentMessage::CableTest(CableTestReport {
                t: 30,
                ifname: "eth0".into(),
                mode: CableTestMode::Fault,
                requested_t: 10,
                started_t: Some(20),
                error: None,
                pairs: vec![
                    PairReport {
                        pair: "A".into(),
                        code: Some("ok".into()),
                        fault_length_cm: None,
                    },
                    PairReport {
                        pair: "B".into(),
                        code: None,
                        fault_length_cm: Some(1240),
                    },
                ],
                pulse_mv: None,
                step: None,
                amplitudes: vec![],
            }),
            json!({"type":"cable_test","t":30,"ifname":"eth0","mode":"fault",
                   "requested_t":10,"started_t":20,"error":null,
                   "pairs":[{"pair":"A","code":"ok","fault_length_cm":null},
                            {"pair":"B","code":null,"fault_length_cm":1240}],
                   "pulse_mv":null,"step":null,"amplitudes":[]}),
        );
        check(
            AgentMessage::CableTest(CableTestReport {
                t: 31,
                ifname: "eth1".into(),
                mode: CableTestMode::Tdr,
                requested_t: 11,
                started_t: None,
                error: Some("EOPNOTSUPP: PHY driver does not support cable testing".into()),
                pairs: vec![],
                pulse_mv: Some(1000),
                step: Some(TdrStep {
                    first_cm: 80,
                    last_cm: 160,
                    step_cm: 80,
                }),
                amplitudes: vec![Amplitude {
                    pair: "C".into(),
                    distance_cm: 160,
                    mv: -42,
                }],
            }),
            json!({"type":"cable_test","t":31,"ifname":"eth1","mode":"tdr",
                   "requested_t":11,"started_t":null,
                   "error":"EOPNOTSUPP: PHY driver does not support cable testing",
                   "pairs":[],"pulse_mv":1000,
                   "step":{"first_cm":80,"last_cm":160,"step_cm":80},
                   "amplitudes":[{"pair":"C","distance_cm":160,"mv":-42}]}),
        );
    }

    #[test]
    fn action_done() {
        check(
            AgentMessage::ActionDone(ActionDoneReport {
                t: 40,
                action: SettingAction::LinkSettings,
                ifname: "eth0".into(),
                requested_t: 39,
                error: None,
            }),
            json!({"type":"action_done","t":40,"action":"link_settings","ifname":"eth0",
                   "requested_t":39,"error":null}),
        );
        check(
            AgentMessage::ActionDone(ActionDoneReport {
                t: 41,
                action: SettingAction::Eee,
                ifname: "eth1".into(),
                requested_t: 40,
                error: Some("EOPNOTSUPP".into()),
            }),
            json!({"type":"action_done","t":41,"action":"eee","ifname":"eth1",
                   "requested_t":40,"error":"EOPNOTSUPP"}),
        );
        let bad = json!({"type":"action_done","t":1,"action":"cable_test","ifname":"eth0",
                         "requested_t":1,"error":null});
        assert!(serde_json::from_value::<AgentMessage>(bad).is_err());
    }

    #[test]
    fn unknown_fields_are_ignored_and_unknown_types_refused() {
        let m: AgentMessage =
            serde_json::from_value(json!({"type":"end","t":1,"new_field":[1,2]})).unwrap();
        assert_eq!(m, AgentMessage::End { t: 1 });
        assert!(serde_json::from_value::<AgentMessage>(json!({"type":"bogus","t":1})).is_err());
    }
}
