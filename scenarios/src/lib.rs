//! Scenario files of phy-sim: parsing and validation (format: `scenarios/README.md`).
//!
//! [`load`] and [`parse`] turn a YAML file into a [`Scenario`], or refuse it with a
//! [`ScenarioError`] whose every line names the file, line, column and field path:
//!
//! ```text
//! scenarios/x.yaml:12:9: board.mdio[0].phys[1].address: address 1 is already used by phy0 on mdio0 (line 8)
//! ```
//!
//! Every problem in a file is reported, not just the first, in file order.

mod decode;
mod duration;
mod error;
mod yaml;

pub use duration::{fmt_duration, parse_duration, DisplayDuration};
pub use error::{Problem, ScenarioError};

use serde::{Serialize, Serializer};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The link modes the format knows by name (ethtool's names). Models may add their own.
pub const LINK_MODES: [&str; 9] = [
    "10baseT/Half",
    "10baseT/Full",
    "100baseT/Half",
    "100baseT/Full",
    "1000baseT/Half",
    "1000baseT/Full",
    "2500baseT/Full",
    "5000baseT/Full",
    "10000baseT/Full",
];

/// The accepted `phy-mode` values of a port.
pub const PHY_MODES: [&str; 13] = [
    "mii",
    "gmii",
    "sgmii",
    "rgmii",
    "rgmii-id",
    "rgmii-rxid",
    "rgmii-txid",
    "1000base-x",
    "2500base-x",
    "5gbase-r",
    "10gbase-r",
    "usxgmii",
    "internal",
];

/// The forced speeds a link partner can have (Mb/s).
pub const PARTNER_SPEEDS: [u32; 3] = [10, 100, 1000];

/// Reads and validates a scenario file. `models` are the PHY models the simulator has.
pub fn load(path: &Path, models: &[ModelSpec]) -> Result<Scenario, ScenarioError> {
    let bytes = std::fs::read(path).map_err(|e| ScenarioError::Read {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let text = String::from_utf8(bytes).map_err(|e| ScenarioError::Read {
        path: path.to_path_buf(),
        message: format!("not UTF-8 (byte {})", e.utf8_error().valid_up_to()),
    })?;
    parse(&text, path, models)
}

/// Validates scenario text; `path` is where it came from (error messages, the default name).
pub fn parse(text: &str, path: &Path, models: &[ModelSpec]) -> Result<Scenario, ScenarioError> {
    decode::scenario(text, path, models).map_err(|mut problems| {
        problems.sort_by_key(|p| (p.location.line, p.location.column));
        problems.dedup();
        ScenarioError::Invalid {
            path: path.to_path_buf(),
            problems,
        }
    })
}

/// A PHY model as the scenario checker needs to know it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelSpec {
    /// The name scenarios use, like `marvell-88e1510`.
    pub name: String,
    /// The ethtool names of the link modes it supports, like `1000baseT/Full`.
    pub link_modes: Vec<String>,
}

/// A position in the scenario file, 1-based; the column counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    pub path: PathBuf,
    pub name: String,
    pub description: Option<String>,
    #[serde(serialize_with = "ser_duration")]
    pub duration: Duration,
    pub board: Board,
    /// Sorted by `at`; events at the same instant keep their file order.
    pub timeline: Vec<Event>,
    pub expect: Vec<Expectation>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Board {
    pub mdio: Vec<MdioBus>,
    pub ports: Vec<Port>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MdioBus {
    pub name: String,
    /// MDC rate in Hz: how long a frame takes on the bus.
    pub mdc_hz: u32,
    pub phys: Vec<PhyDef>,
}

/// IEEE 802.3 22.2.2.13: MDC runs at up to 2.5 MHz.
pub const DEFAULT_MDC_HZ: u32 = 2_500_000;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhyDef {
    pub name: String,
    pub model: String,
    pub address: u8,
    pub interrupt: bool,
    pub cable: CableDef,
    pub partner: Option<PartnerDef>,
    /// Register values the PHY starts from instead of its model's power-on values.
    pub registers: Option<RegisterDump>,
    /// Link delays that differ from the model's defaults.
    pub timing: TimingDef,
}

/// A PHY's `timing:` field: each delay given replaces the model's default (`None`: keep it).
/// The names are those of the models' `LinkTiming`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TimingDef {
    #[serde(serialize_with = "ser_opt_duration")]
    pub autoneg: Option<Duration>,
    #[serde(serialize_with = "ser_opt_duration")]
    pub link_10_100: Option<Duration>,
    #[serde(serialize_with = "ser_opt_duration")]
    pub link_1000: Option<Duration>,
    #[serde(serialize_with = "ser_opt_duration")]
    pub link_multigig: Option<Duration>,
    #[serde(serialize_with = "ser_opt_duration")]
    pub gigabit_fail: Option<Duration>,
    #[serde(serialize_with = "ser_opt_duration")]
    pub parallel_detect: Option<Duration>,
    #[serde(serialize_with = "ser_opt_duration")]
    pub forced_link: Option<Duration>,
    #[serde(serialize_with = "ser_opt_duration")]
    pub soft_reset: Option<Duration>,
}

/// A PHY's `registers:` field: a register dump, read and checked against the PHY's model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegisterDump {
    /// The dump file, relative to the scenario file's directory; `None` for an inline dump.
    pub file: Option<PathBuf>,
    /// In dump order; each names its line in the dump.
    pub entries: Vec<phy_sim_models::DumpEntry>,
    /// Where the `registers` value is in the scenario file.
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CableDef {
    pub connected: bool,
    pub pairs: u8,
    pub length_m: f64,
    /// Pairs A-D; `None`: the pair is sound.
    pub faults: [Option<FaultDef>; 4],
}

impl Default for CableDef {
    fn default() -> Self {
        CableDef {
            connected: true,
            pairs: 4,
            length_m: 5.0,
            faults: [None; 4],
        }
    }
}

/// The pairs of a cable, as ethtool names them (A = pins 1-2, B = 3-6, C = 4-5, D = 7-8).
pub const PAIRS: [&str; 4] = ["A", "B", "C", "D"];

/// A wiring fault on one pair of a cable.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FaultDef {
    pub fault: Fault,
    /// From the PHY's connector.
    pub distance_m: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    Open,
    Short,
    CrossShort,
    ImpedanceMismatch,
}

/// What `ethtool --cable-test` reports for a pair (ETHTOOL_A_CABLE_RESULT_CODE_*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PairResult {
    Ok,
    Open,
    /// A short within the pair (ethtool: "Short within Pair").
    Short,
    /// A short to another pair.
    CrossShort,
    ImpedanceMismatch,
    Noise,
    ResolutionNotPossible,
    Unspec,
}

/// The sign of the strongest reflection a TDR trace shows on a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reflection {
    /// In phase with the pulse: an open (or a higher impedance).
    Positive,
    /// Inverted: a short (or a lower impedance).
    Negative,
    /// No sample reaches the threshold.
    None,
}

/// What a `cable-test` expectation requires of one pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairCheck {
    /// `A`..`D`.
    pub pair: String,
    pub result: PairResult,
    /// The fault length ethtool reports, if one is expected.
    pub distance_m: Option<f64>,
    pub tolerance_m: f64,
}

/// What a `cable-test-tdr` expectation requires of one pair's trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TdrCheck {
    /// `A`..`D`.
    pub pair: String,
    pub reflection: Reflection,
    /// Where the strongest reflection is; only with a positive or negative reflection.
    pub distance_m: Option<f64>,
    pub tolerance_m: f64,
    /// Samples below this magnitude (mV) are not a reflection.
    pub threshold_mv: i32,
}

/// A `cable-test` expectation's per-pair requirements: on the results of
/// `ethtool --cable-test`, or on the trace of `ethtool --cable-test-tdr`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CableChecks {
    Results(Vec<PairCheck>),
    Tdr(Vec<TdrCheck>),
}

/// The default fault-distance tolerance of cable-test expectations (metres).
pub const DEFAULT_TOLERANCE_M: f64 = 1.0;
/// The default TDR reflection threshold (mV).
pub const DEFAULT_THRESHOLD_MV: i32 = 100;

/// The distances of a TDR trace; `None` fields leave the kernel's defaults.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TdrRange {
    pub first_m: Option<f64>,
    pub last_m: Option<f64>,
    pub step_m: Option<f64>,
    /// Only this pair (`A`..`D`); `None`: all.
    pub pair: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnerDef {
    pub autoneg: bool,
    /// Defaults to every link mode of the PHY's model.
    pub advertise: Vec<String>,
    pub pause: Pause,
    /// Only with `autoneg: false` (and then always set).
    pub speed: Option<u32>,
    /// Only with `autoneg: false` (and then always set).
    pub duplex: Option<Duplex>,
    /// The modes it advertises Energy-Efficient Ethernet for (EEE-capable modes only).
    pub eee: Vec<String>,
    /// Its 1000BASE-T (and multi-gigabit) master/slave configuration.
    pub master_slave: MasterSlave,
    /// Its 11-bit master/slave seed: between two automatic ends of the same port type the
    /// higher seed is MASTER, equal seeds are a configuration fault.
    pub seed: u16,
}

impl PartnerDef {
    /// A negotiating partner advertising `advertise`, with the defaults of every other field.
    pub fn negotiating(advertise: Vec<String>) -> PartnerDef {
        PartnerDef {
            autoneg: true,
            advertise,
            pause: Pause::None,
            speed: None,
            duplex: None,
            eee: Vec::new(),
            master_slave: MasterSlave::PreferredMaster,
            seed: 0,
        }
    }
}

/// The modes EEE can be advertised for (IEEE 802.3 MMD 7.60 and 7.62).
pub const EEE_MODES: [&str; 5] = [
    "100baseT/Full",
    "1000baseT/Full",
    "2500baseT/Full",
    "5000baseT/Full",
    "10000baseT/Full",
];

/// 1000BASE-T master/slave configuration, named as `ethtool -s ... master-slave` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MasterSlave {
    /// Automatic, multiport device (prefers MASTER). The default: a switch port.
    PreferredMaster,
    /// Automatic, single-port device.
    PreferredSlave,
    ForcedMaster,
    ForcedSlave,
}

/// The role a port expectation asks the kernel to show (ethtool's master-slave status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MasterSlaveState {
    Master,
    Slave,
    /// The PHY reports a master/slave configuration fault.
    Fault,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EeeState {
    Active,
    Inactive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pause {
    None,
    Symmetric,
    Asymmetric,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Duplex {
    Half,
    Full,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Port {
    pub name: String,
    pub phy: String,
    pub phy_mode: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    #[serde(serialize_with = "ser_duration")]
    pub at: Duration,
    pub action: Action,
    /// Where the event starts in the file.
    pub location: Location,
}

/// What an event does. `None` fields keep their value. `Cable` and `Partner` happen to the
/// hardware (the device applies them); `CableTest`, `LinkSettings` and `EeeSettings` are what
/// the guest does (the agent
/// runs it).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Action {
    Cable {
        phy: String,
        connected: Option<bool>,
        pairs: Option<u8>,
        length_m: Option<f64>,
        /// Replaces every pair's fault state when given.
        faults: Option<[Option<FaultDef>; 4]>,
    },
    /// `present: Some(false)` removes the partner (no other field is then set). Any other
    /// partner event leaves a partner present: if there was none, one with the default fields
    /// (autoneg, no pause) is plugged in and then changed. For such an event `advertise` is
    /// always `Some`: if the file does not give it, the parser fills in every mode of the PHY's
    /// model, so an applier can start a new partner from an empty `advertise`.
    Partner {
        phy: String,
        present: Option<bool>,
        autoneg: Option<bool>,
        advertise: Option<Vec<String>>,
        pause: Option<Pause>,
        speed: Option<u32>,
        duplex: Option<Duplex>,
        eee: Option<Vec<String>>,
        master_slave: Option<MasterSlave>,
        seed: Option<u16>,
    },
    /// The guest runs `ethtool --cable-test` (`tdr: None`) or `--cable-test-tdr` on `port`.
    CableTest { port: String, tdr: Option<TdrRange> },
    /// The guest runs `ethtool -s PORT ...` with the given settings only (at least one).
    LinkSettings {
        port: String,
        autoneg: Option<bool>,
        speed: Option<u32>,
        duplex: Option<Duplex>,
        advertise: Option<Vec<String>>,
        master_slave: Option<MasterSlave>,
    },
    /// The guest runs `ethtool --set-eee PORT eee on|off`.
    EeeSettings { port: String, enabled: bool },
}

impl Action {
    /// The PHY a hardware action changes; `None` for what the guest does.
    pub fn phy(&self) -> Option<&str> {
        match self {
            Action::Cable { phy, .. } | Action::Partner { phy, .. } => Some(phy),
            Action::CableTest { .. } | Action::LinkSettings { .. } | Action::EeeSettings { .. } => {
                None
            }
        }
    }
}

/// When an expectation is checked: `Within(from, to)` holds if the predicates are true at some
/// instant of `[from, to]`, `During(from, to)` if they are true at every instant of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Window {
    Within(
        #[serde(serialize_with = "ser_duration")] Duration,
        #[serde(serialize_with = "ser_duration")] Duration,
    ),
    During(
        #[serde(serialize_with = "ser_duration")] Duration,
        #[serde(serialize_with = "ser_duration")] Duration,
    ),
}

impl Window {
    pub fn from(&self) -> Duration {
        match *self {
            Window::Within(from, _) | Window::During(from, _) => from,
        }
    }

    pub fn to(&self) -> Duration {
        match *self {
            Window::Within(_, to) | Window::During(_, to) => to,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkState {
    Up,
    Down,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Expectation {
    /// At least one of `link`, `speed`, `duplex`, `phy_driver`, `master_slave`, `eee` is set;
    /// all must hold at the same instant.
    Port {
        /// As given, or generated, like `eth0 link up 1000/full within 0s..5s`.
        name: String,
        port: String,
        window: Window,
        link: Option<LinkState>,
        speed: Option<u32>,
        duplex: Option<Duplex>,
        phy_driver: Option<String>,
        master_slave: Option<MasterSlaveState>,
        eee: Option<EeeState>,
        location: Location,
    },
    /// A cable test the timeline ran on `port` completed within `window` (only `Within`) and
    /// reported what `checks` require of every listed pair.
    CableTest {
        name: String,
        port: String,
        window: Window,
        checks: CableChecks,
        location: Location,
    },
    /// No WARNING/BUG/Oops/... line in the kernel log during the whole run.
    DmesgClean { name: String, location: Location },
    /// After the timeline, the board driver unbinds, rebinds and unloads, and kmemleak then
    /// reports nothing.
    TeardownClean { name: String, location: Location },
}

impl Expectation {
    pub fn name(&self) -> &str {
        match self {
            Expectation::Port { name, .. }
            | Expectation::CableTest { name, .. }
            | Expectation::DmesgClean { name, .. }
            | Expectation::TeardownClean { name, .. } => name,
        }
    }

    pub fn location(&self) -> Location {
        match self {
            Expectation::Port { location, .. }
            | Expectation::CableTest { location, .. }
            | Expectation::DmesgClean { location, .. }
            | Expectation::TeardownClean { location, .. } => *location,
        }
    }
}

fn ser_duration<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&fmt_duration(*d))
}

fn ser_opt_duration<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&fmt_duration(*d)),
        None => s.serialize_none(),
    }
}
