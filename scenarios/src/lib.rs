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
    pub phys: Vec<PhyDef>,
}

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
}

impl Default for CableDef {
    fn default() -> Self {
        CableDef {
            connected: true,
            pairs: 4,
            length_m: 5.0,
        }
    }
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

/// What an event does. `None` fields keep their value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Action {
    Cable {
        phy: String,
        connected: Option<bool>,
        pairs: Option<u8>,
        length_m: Option<f64>,
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
    },
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
    /// At least one of `link`, `speed`, `duplex`, `phy_driver` is set; all must hold at the
    /// same instant.
    Port {
        /// As given, or generated, like `eth0 link up 1000/full within 0s..5s`.
        name: String,
        port: String,
        window: Window,
        link: Option<LinkState>,
        speed: Option<u32>,
        duplex: Option<Duplex>,
        phy_driver: Option<String>,
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
            | Expectation::DmesgClean { name, .. }
            | Expectation::TeardownClean { name, .. } => name,
        }
    }

    pub fn location(&self) -> Location {
        match self {
            Expectation::Port { location, .. }
            | Expectation::DmesgClean { location, .. }
            | Expectation::TeardownClean { location, .. } => *location,
        }
    }
}

fn ser_duration<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&fmt_duration(*d))
}
