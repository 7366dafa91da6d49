//! The JSON-lines messages of PROTOCOL.md.

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
            for p in &plan.ports {
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
        };
        assert_eq!(
            value(&Out::Link {
                t: 9,
                ifname: "eth0",
                state: &st
            }),
            json!({"type":"link","t":9,"ifname":"eth0","admin_up":true,"carrier":true,
                   "operstate":"up","speed":1000,"duplex":"full","autoneg":true,
                   "phy_driver":"Marvell 88E1510"})
        );
        let st = LinkState {
            admin_up: false,
            carrier: Some(false),
            operstate: "down",
            speed: None,
            duplex: None,
            autoneg: None,
            phy_driver: None,
        };
        assert_eq!(
            value(&Out::Link {
                t: 9,
                ifname: "lo",
                state: &st
            }),
            json!({"type":"link","t":9,"ifname":"lo","admin_up":false,"carrier":false,
                   "operstate":"down","speed":null,"duplex":null,"autoneg":null,
                   "phy_driver":null})
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
