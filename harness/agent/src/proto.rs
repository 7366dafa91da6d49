//! The JSON lines of PROTOCOL.md on the agent's side: reading the host's (a plan is checked
//! into what the agent runs) and writing the agent's. The message types are the crate
//! phy-sim-protocol's, shared with the host.

use phy_sim_protocol::{AgentMessage, BenchPlan, GuestAction, HostMessage, PlannedAction};

use crate::actions::{Action, ActionKind};
use crate::cabletest::{self, pair_number, TdrConfig};
use crate::settings::Setting;

/// A plan the agent can run: the host's `plan` with its names and actions checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub ports: Vec<String>,
    pub duration_ns: u64,
    pub setup_timeout_ns: u64,
    pub teardown: bool,
    pub bench: Option<BenchPlan>,
    pub actions: Vec<Action>,
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
    if !matches!(ty.as_str(), "plan" | "poweroff") {
        return Ok(In::Unknown(ty));
    }
    match serde_json::from_value::<HostMessage>(v).map_err(|e| format!("invalid {ty}: {e}"))? {
        HostMessage::Poweroff => Ok(In::PowerOff),
        HostMessage::Plan {
            ports,
            duration_ns,
            setup_timeout_ns,
            teardown,
            bench,
            actions,
        } => {
            for p in &ports {
                check_ifname(p)?;
            }
            Ok(In::Plan(Plan {
                ports,
                duration_ns,
                setup_timeout_ns,
                teardown,
                bench,
                actions: actions.into_iter().map(action).collect::<Result<_, _>>()?,
            }))
        }
    }
}

fn check_ifname(name: &str) -> Result<(), String> {
    // IFNAMSIZ is 16 including the NUL.
    if name.is_empty() || name.len() > 15 || name.contains(['/', '\0', ' ']) {
        return Err(format!("invalid plan: bad interface name {name:?}"));
    }
    Ok(())
}

/// What the plan's types cannot say: the pair is a letter A to D, and a link mode name goes
/// to the kernel as a C string, so a NUL would cut it short.
fn action(a: PlannedAction) -> Result<Action, String> {
    let (ifname, kind) = match a.action {
        GuestAction::CableTest { ifname } => {
            (ifname, ActionKind::CableTest(cabletest::Kind::Fault))
        }
        GuestAction::CableTestTdr {
            ifname,
            first_cm,
            last_cm,
            step_cm,
            pair,
        } => {
            let pair = pair
                .map(|p| {
                    pair_number(&p).ok_or_else(|| format!("invalid plan: pair {p:?} is not A to D"))
                })
                .transpose()?;
            let cfg = TdrConfig {
                first_cm,
                last_cm,
                step_cm,
                pair,
            };
            (ifname, ActionKind::CableTest(cabletest::Kind::Tdr(cfg)))
        }
        GuestAction::LinkSettings { ifname, settings } => {
            if let Some(m) = settings
                .advertise
                .iter()
                .flatten()
                .find(|m| m.contains('\0'))
            {
                return Err(format!("invalid plan: link mode name {m:?} holds a NUL"));
            }
            (ifname, ActionKind::Setting(Setting::LinkModes(settings)))
        }
        GuestAction::Eee { ifname, enabled } => {
            (ifname, ActionKind::Setting(Setting::Eee { enabled }))
        }
    };
    check_ifname(&ifname)?;
    Ok(Action {
        at_ns: a.at_ns,
        ifname,
        kind,
    })
}

/// One message to the host, newline included.
pub fn line(msg: &AgentMessage) -> Result<String, serde_json::Error> {
    let mut s = serde_json::to_string(msg)?;
    s.push('\n');
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use phy_sim_protocol::{Duplex, LinkSettings, MasterSlaveCfg};

    #[test]
    fn lines_out() {
        let l = line(&AgentMessage::Kmsg {
            t: 2,
            level: 6,
            ts_us: 3,
            msg: "two\nlines".into(),
        })
        .unwrap();
        assert_eq!(
            l,
            "{\"type\":\"kmsg\",\"t\":2,\"level\":6,\"ts_us\":3,\"msg\":\"two\\nlines\"}\n"
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

    fn action(at_ns: u64, ifname: &str, kind: ActionKind) -> Action {
        Action {
            at_ns,
            ifname: ifname.into(),
            kind,
        }
    }

    #[test]
    fn cable_test_actions() {
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
                action(1000, "eth0", ActionKind::CableTest(cabletest::Kind::Fault)),
                action(
                    2000,
                    "eth1",
                    ActionKind::CableTest(cabletest::Kind::Tdr(TdrConfig {
                        first_cm: Some(100),
                        last_cm: None,
                        step_cm: Some(50),
                        pair: Some(1),
                    }))
                ),
                action(
                    3000,
                    "eth1",
                    ActionKind::CableTest(cabletest::Kind::Tdr(TdrConfig::default()))
                ),
            ])
        );
        // Unknown actions, pairs and bad values make the plan invalid.
        for bad in [
            r#"[{"at_ns":1,"action":"reboot","ifname":"eth0"}]"#,
            r#"[{"at_ns":1,"action":"cable_test_tdr","ifname":"eth0","pair":"E"}]"#,
            r#"[{"at_ns":1,"action":"cable_test_tdr","ifname":"eth0","pair":"a"}]"#,
            r#"[{"at_ns":1,"action":"cable_test_tdr","ifname":"eth0","first_cm":-1}]"#,
            r#"[{"action":"cable_test","ifname":"eth0"}]"#,
            r#"[{"at_ns":1,"action":"cable_test","ifname":"a b"}]"#,
        ] {
            assert!(plan_actions(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn setting_actions() {
        assert_eq!(
            plan_actions(
                r#"[{"at_ns":5,"action":"link_settings","ifname":"eth0","autoneg":true,
                     "speed":100,"duplex":"half","advertise":["100baseT/Half","Autoneg"],
                     "master_slave":"forced_master"},
                    {"at_ns":6,"action":"link_settings","ifname":"eth0","autoneg":null},
                    {"at_ns":7,"action":"eee","ifname":"eth1","enabled":false}]"#
            ),
            Ok(vec![
                action(
                    5,
                    "eth0",
                    ActionKind::Setting(Setting::LinkModes(LinkSettings {
                        autoneg: Some(true),
                        speed: Some(100),
                        duplex: Some(Duplex::Half),
                        advertise: Some(vec!["100baseT/Half".into(), "Autoneg".into()]),
                        master_slave: Some(MasterSlaveCfg::ForcedMaster),
                    }))
                ),
                action(
                    6,
                    "eth0",
                    ActionKind::Setting(Setting::LinkModes(LinkSettings::default()))
                ),
                action(
                    7,
                    "eth1",
                    ActionKind::Setting(Setting::Eee { enabled: false })
                ),
            ])
        );
        // A name the kernel does not know is the kernel's to refuse.
        assert!(plan_actions(
            r#"[{"at_ns":1,"action":"link_settings","ifname":"eth0","advertise":["bogus"]}]"#
        )
        .is_ok());
        for bad in [
            r#"[{"at_ns":1,"action":"link_settings","ifname":"eth0","advertise":["a\u0000b"]}]"#,
            r#"[{"at_ns":1,"action":"link_settings","ifname":"eth0","speed":1e3}]"#,
            r#"[{"at_ns":1,"action":"link_settings","ifname":"eth0","duplex":"auto"}]"#,
            r#"[{"at_ns":1,"action":"link_settings","ifname":"eth0","master_slave":"master"}]"#,
            r#"[{"at_ns":1,"action":"link_settings","ifname":"","autoneg":true}]"#,
            r#"[{"at_ns":1,"action":"eee","ifname":"eth0"}]"#,
            r#"[{"at_ns":1,"action":"eee","ifname":"eth0","enabled":"on"}]"#,
        ] {
            assert!(plan_actions(bad).is_err(), "{bad}");
        }
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
