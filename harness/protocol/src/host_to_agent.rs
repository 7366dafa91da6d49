//! host -> agent: `plan` and `poweroff`.

use serde::{Deserialize, Deserializer, Serialize};

/// A message from the host. `S` is the port names' type: the host sends names it borrows from
/// its scenario (`&str`), the agent reads owned ones (the default).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum HostMessage<S = String> {
    /// What to run (PROTOCOL.md step 2). The three optional fields are left out when off;
    /// reading, absent and null mean off as well.
    Plan {
        ports: Vec<S>,
        duration_ns: u64,
        setup_timeout_ns: u64,
        /// After the scenario: unbind, rebind, unbind and unload the board driver and look
        /// for leaks (a `teardown` message).
        #[serde(
            default,
            deserialize_with = "null_is_default",
            skip_serializing_if = "is_false"
        )]
        teardown: bool,
        /// Right after `start`: MDIO and MMIO latency measurements (a `bench` message).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bench: Option<BenchPlan>,
        /// Guest-side actions on the timeline.
        #[serde(
            default,
            deserialize_with = "null_is_default",
            skip_serializing_if = "Vec::is_empty"
        )]
        actions: Vec<PlannedAction>,
    },
    /// Power the guest off now; the agent answers `end`.
    Poweroff,
}

/// The plan's `bench`: how many operations of each kind to time. An absent count is 0, and 0
/// skips that measurement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BenchPlan {
    pub mdio_reads: u64,
    pub mdio_writes: u64,
    pub mmio_reads: u64,
}

/// One of the plan's `actions`: run at guest time `origin_ns + at_ns`, never earlier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedAction {
    pub at_ns: u64,
    #[serde(flatten)]
    pub action: GuestAction,
}

/// What a [`PlannedAction`] does, by its `action` field. `ifname` need not be a planned port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum GuestAction {
    /// `ethtool --cable-test` (a `cable_test` message).
    CableTest { ifname: String },
    /// `ethtool --cable-test-tdr` (a `cable_test` message). `None` leaves the kernel's
    /// default (100 cm, 15000 cm, 100 cm, every pair); `pair` is `"A"`..`"D"`.
    CableTestTdr {
        ifname: String,
        first_cm: Option<u32>,
        last_cm: Option<u32>,
        step_cm: Option<u32>,
        pair: Option<String>,
    },
    /// One ETHTOOL_MSG_LINKMODES_SET (an `action_done` message).
    LinkSettings {
        ifname: String,
        #[serde(flatten)]
        settings: LinkSettings,
    },
    /// One ETHTOOL_MSG_EEE_SET with ETHTOOL_A_EEE_ENABLED (an `action_done` message).
    Eee { ifname: String, enabled: bool },
}

/// What a `link_settings` action changes; `None` (null or absent) leaves it as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkSettings {
    pub autoneg: Option<bool>,
    /// Mb/s.
    pub speed: Option<u32>,
    pub duplex: Option<Duplex>,
    /// Exactly these link modes are advertised afterwards, named as the kernel's
    /// `link_mode_names` table names them (`"1000baseT/Full"`, `"Autoneg"`, ...). An empty
    /// list advertises nothing.
    pub advertise: Option<Vec<String>>,
    pub master_slave: Option<MasterSlaveCfg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Duplex {
    Half,
    Full,
}

impl Duplex {
    /// The name on the wire, also the one `link` messages use.
    pub fn as_str(self) -> &'static str {
        match self {
            Duplex::Half => "half",
            Duplex::Full => "full",
        }
    }
}

/// The master/slave configurations a `link_settings` action can request (ethtool's
/// `master-slave` words); the kernel accepts no other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MasterSlaveCfg {
    PreferredMaster,
    PreferredSlave,
    ForcedMaster,
    ForcedSlave,
}

fn null_is_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn plan(json: serde_json::Value) -> Result<HostMessage, serde_json::Error> {
        serde_json::from_value(json)
    }

    #[test]
    fn plan_from_the_host() {
        // The host borrows its port names.
        let names = [String::from("eth0"), String::from("eth1")];
        let m = HostMessage::Plan {
            ports: names.iter().map(String::as_str).collect(),
            duration_ns: 10,
            setup_timeout_ns: 20,
            teardown: false,
            bench: None,
            actions: vec![],
        };
        // Off is left out.
        assert_eq!(
            serde_json::to_value(&m).unwrap(),
            json!({"type":"plan","ports":["eth0","eth1"],"duration_ns":10,
                   "setup_timeout_ns":20})
        );
        let m = HostMessage::Plan {
            ports: vec!["eth0"],
            duration_ns: 10,
            setup_timeout_ns: 20,
            teardown: true,
            bench: Some(BenchPlan {
                mdio_reads: 1,
                mdio_writes: 2,
                mmio_reads: 3,
            }),
            actions: vec![PlannedAction {
                at_ns: 5,
                action: GuestAction::CableTest {
                    ifname: "eth0".into(),
                },
            }],
        };
        assert_eq!(
            serde_json::to_value(&m).unwrap(),
            json!({"type":"plan","ports":["eth0"],"duration_ns":10,"setup_timeout_ns":20,
                   "teardown":true,"bench":{"mdio_reads":1,"mdio_writes":2,"mmio_reads":3},
                   "actions":[{"at_ns":5,"action":"cable_test","ifname":"eth0"}]})
        );
        assert_eq!(
            serde_json::to_value(HostMessage::<&str>::Poweroff).unwrap(),
            json!({"type":"poweroff"})
        );
    }

    #[test]
    fn plan_in_the_agent() {
        assert_eq!(
            plan(json!({"type":"plan","ports":["eth0"],"duration_ns":5,
                        "setup_timeout_ns":6,"extra":1}))
            .unwrap(),
            HostMessage::Plan {
                ports: vec!["eth0".into()],
                duration_ns: 5,
                setup_timeout_ns: 6,
                teardown: false,
                bench: None,
                actions: vec![],
            }
        );
        let off = plan(
            json!({"type":"plan","ports":[],"duration_ns":5,"setup_timeout_ns":6,
                              "teardown":null,"bench":null,"actions":null}),
        )
        .unwrap();
        assert!(matches!(
            off,
            HostMessage::Plan { teardown: false, bench: None, ref actions, .. }
                if actions.is_empty()
        ));
        let HostMessage::Plan { bench, .. } = plan(
            json!({"type":"plan","ports":[],"duration_ns":5,"setup_timeout_ns":6,
                   "bench":{"mmio_reads":3}}),
        )
        .unwrap() else {
            panic!("not a plan");
        };
        assert_eq!(
            bench,
            Some(BenchPlan {
                mdio_reads: 0,
                mdio_writes: 0,
                mmio_reads: 3
            })
        );
        for bad in [
            json!({"type":"plan","ports":["eth0"]}),
            json!({"type":"plan","ports":[],"duration_ns":5,"setup_timeout_ns":6,
                   "teardown":"yes"}),
            json!({"type":"plan","ports":[],"duration_ns":5,"setup_timeout_ns":6,
                   "bench":{"mdio_reads":-1}}),
        ] {
            assert!(plan(bad.clone()).is_err(), "{bad}");
        }
        assert_eq!(
            plan(json!({"type":"poweroff","x":1})).unwrap(),
            HostMessage::Poweroff
        );
    }

    fn action(json: serde_json::Value) -> Result<PlannedAction, serde_json::Error> {
        serde_json::from_value(json)
    }

    #[test]
    fn cable_test_actions() {
        assert_eq!(
            action(json!({"at_ns":1000,"action":"cable_test","ifname":"eth0","extra":1})).unwrap(),
            PlannedAction {
                at_ns: 1000,
                action: GuestAction::CableTest {
                    ifname: "eth0".into()
                }
            }
        );
        let tdr = PlannedAction {
            at_ns: 2000,
            action: GuestAction::CableTestTdr {
                ifname: "eth1".into(),
                first_cm: Some(100),
                last_cm: None,
                step_cm: Some(50),
                pair: Some("B".into()),
            },
        };
        let j = json!({"at_ns":2000,"action":"cable_test_tdr","ifname":"eth1","first_cm":100,
                       "last_cm":null,"step_cm":50,"pair":"B"});
        assert_eq!(action(j.clone()).unwrap(), tdr);
        assert_eq!(serde_json::to_value(&tdr).unwrap(), j);
        // Absent is null.
        assert_eq!(
            action(json!({"at_ns":3,"action":"cable_test_tdr","ifname":"eth1"})).unwrap(),
            PlannedAction {
                at_ns: 3,
                action: GuestAction::CableTestTdr {
                    ifname: "eth1".into(),
                    first_cm: None,
                    last_cm: None,
                    step_cm: None,
                    pair: None,
                }
            }
        );
        for bad in [
            json!({"at_ns":1,"action":"reboot","ifname":"eth0"}),
            json!({"at_ns":1,"action":"cable_test_tdr","ifname":"eth0","first_cm":-1}),
            json!({"at_ns":1,"action":"cable_test_tdr","ifname":"eth0","last_cm":4294967296u64}),
            json!({"action":"cable_test","ifname":"eth0"}),
            json!({"at_ns":1,"action":"cable_test"}),
        ] {
            assert!(action(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn link_settings_action() {
        let full = PlannedAction {
            at_ns: 7,
            action: GuestAction::LinkSettings {
                ifname: "eth0".into(),
                settings: LinkSettings {
                    autoneg: Some(true),
                    speed: Some(1000),
                    duplex: Some(Duplex::Full),
                    advertise: Some(vec!["1000baseT/Full".into(), "100baseT/Half".into()]),
                    master_slave: Some(MasterSlaveCfg::PreferredSlave),
                },
            },
        };
        let j = json!({"at_ns":7,"action":"link_settings","ifname":"eth0","autoneg":true,
                       "speed":1000,"duplex":"full",
                       "advertise":["1000baseT/Full","100baseT/Half"],
                       "master_slave":"preferred_slave"});
        assert_eq!(serde_json::to_value(&full).unwrap(), j);
        assert_eq!(action(j).unwrap(), full);

        let none = PlannedAction {
            at_ns: 8,
            action: GuestAction::LinkSettings {
                ifname: "eth1".into(),
                settings: LinkSettings::default(),
            },
        };
        // Every field is sent, null when unset; reading, absent is null too.
        let j = json!({"at_ns":8,"action":"link_settings","ifname":"eth1","autoneg":null,
                       "speed":null,"duplex":null,"advertise":null,"master_slave":null});
        assert_eq!(serde_json::to_value(&none).unwrap(), j);
        assert_eq!(action(j).unwrap(), none);
        assert_eq!(
            action(json!({"at_ns":8,"action":"link_settings","ifname":"eth1","x":[]})).unwrap(),
            none
        );
        // An empty list is a list: advertise nothing.
        let GuestAction::LinkSettings { settings, .. } = action(
            json!({"at_ns":1,"action":"link_settings","ifname":"eth0","advertise":[],
                   "autoneg":false,"speed":10,"duplex":"half"}),
        )
        .unwrap()
        .action
        else {
            panic!("not link_settings");
        };
        assert_eq!(
            settings,
            LinkSettings {
                autoneg: Some(false),
                speed: Some(10),
                duplex: Some(Duplex::Half),
                advertise: Some(vec![]),
                master_slave: None,
            }
        );

        let cfgs: Vec<_> = [
            MasterSlaveCfg::PreferredMaster,
            MasterSlaveCfg::PreferredSlave,
            MasterSlaveCfg::ForcedMaster,
            MasterSlaveCfg::ForcedSlave,
        ]
        .iter()
        .map(|c| serde_json::to_value(c).unwrap())
        .collect();
        assert_eq!(
            cfgs,
            [
                "preferred_master",
                "preferred_slave",
                "forced_master",
                "forced_slave"
            ]
        );
        assert_eq!(Duplex::Half.as_str(), "half");
        assert_eq!(
            serde_json::to_value(Duplex::Full).unwrap(),
            Duplex::Full.as_str()
        );

        for bad in [
            json!({"at_ns":1,"action":"link_settings","ifname":"eth0","duplex":"Full"}),
            json!({"at_ns":1,"action":"link_settings","ifname":"eth0","speed":-1}),
            json!({"at_ns":1,"action":"link_settings","ifname":"eth0","autoneg":1}),
            json!({"at_ns":1,"action":"link_settings","ifname":"eth0",
                   "master_slave":"prefer_master"}),
            json!({"at_ns":1,"action":"link_settings","ifname":"eth0",
                   "advertise":"1000baseT/Full"}),
            json!({"at_ns":1,"action":"link_settings"}),
        ] {
            assert!(action(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn eee_action() {
        let a = PlannedAction {
            at_ns: 9,
            action: GuestAction::Eee {
                ifname: "eth0".into(),
                enabled: false,
            },
        };
        let j = json!({"at_ns":9,"action":"eee","ifname":"eth0","enabled":false});
        assert_eq!(serde_json::to_value(&a).unwrap(), j);
        assert_eq!(action(j).unwrap(), a);
        for bad in [
            json!({"at_ns":1,"action":"eee","ifname":"eth0"}),
            json!({"at_ns":1,"action":"eee","ifname":"eth0","enabled":null}),
        ] {
            assert!(action(bad.clone()).is_err(), "{bad}");
        }
    }
}
