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
    CableTest(CableTestReport),
}

/// The outcome of one planned cable test (`ethtool --cable-test` or `--cable-test-tdr`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
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
    #[serde(default)]
    pub pulse_mv: Option<i32>,
    #[serde(default)]
    pub step: Option<TdrStep>,
    #[serde(default)]
    pub amplitudes: Vec<Amplitude>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CableTestMode {
    Fault,
    Tdr,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct PairReport {
    /// `A`..`D`.
    pub pair: String,
    /// ethtool's result code name (`ok`, `open`, `same_short`, ...), `None` when the kernel
    /// sent only a fault length.
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub fault_length_cm: Option<u32>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq)]
pub struct TdrStep {
    pub first_cm: u32,
    pub last_cm: u32,
    pub step_cm: u32,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Amplitude {
    pub pair: String,
    pub distance_cm: u32,
    pub mv: i32,
}

/// A guest action of the plan, at `at_ns` after the timeline origin.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlannedAction {
    pub at_ns: u64,
    #[serde(flatten)]
    pub action: GuestAction,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum GuestAction {
    CableTest {
        ifname: String,
    },
    CableTestTdr {
        ifname: String,
        first_cm: Option<u32>,
        last_cm: Option<u32>,
        step_cm: Option<u32>,
        pair: Option<String>,
    },
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
    #[serde(default)]
    pub master_slave_cfg: Option<String>,
    #[serde(default)]
    pub master_slave_state: Option<String>,
    #[serde(default)]
    pub eee_active: Option<bool>,
    #[serde(default)]
    pub eee_enabled: Option<bool>,
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
        #[serde(skip_serializing_if = "Vec::is_empty")]
        actions: Vec<PlannedAction>,
    },
}
