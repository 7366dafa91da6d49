//! Host side of the guest agent protocol (`harness/agent/PROTOCOL.md`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AgentMessage {
    Hello {
        t: u64,
        kernel: String,
        #[serde(default)]
        agent: String,
    },
    Start {
        t: u64,
        origin_ns: u64,
    },
    Link(LinkFact),
    Kmsg {
        t: u64,
        level: u8,
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
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct TeardownReport {
    pub t: u64,
    pub ok: bool,
    pub steps: Vec<TeardownStep>,
    #[serde(default)]
    pub kmemleak: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct TeardownStep {
    pub step: String,
    pub ok: bool,
    #[serde(default)]
    pub detail: String,
}

/// Mean guest-side cost of one operation, in guest nanoseconds; `None` for a measurement that
/// failed (the agent reports why in a non-fatal error just before).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct BenchReport {
    pub t: u64,
    pub n_mdio_reads: u64,
    pub mdio_read_ns: Option<f64>,
    pub n_mdio_writes: u64,
    pub mdio_write_ns: Option<f64>,
    pub n_mmio_reads: u64,
    pub mmio_read_ns: Option<f64>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct BenchPlan {
    pub mdio_reads: u64,
    pub mdio_writes: u64,
    pub mmio_reads: u64,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct LinkFact {
    pub t: u64,
    pub ifname: String,
    pub admin_up: bool,
    pub carrier: bool,
    pub operstate: String,
    pub speed: Option<u32>,
    pub duplex: Option<String>,
    pub autoneg: Option<bool>,
    pub phy_driver: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum HostMessage<'a> {
    Plan {
        ports: Vec<&'a str>,
        duration_ns: u64,
        setup_timeout_ns: u64,
        teardown: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        bench: Option<BenchPlan>,
    },
}
