//! From the YAML tree to a [`Scenario`]: types, defaults and every cross-check of the format.
//!
//! Decoding goes on after a problem so that one run reports them all; a part that failed
//! yields `None` and the checks that need it are skipped rather than reported twice.

use crate::error::Problem;
use crate::yaml::{self, index, join, Entry, Kind, Node, Value};
use crate::{
    fmt_duration, parse_duration, Action, Board, CableChecks, CableDef, Duplex, EeeState, Event,
    Expectation, Fault, FaultDef, LinkState, Location, MasterSlave, MasterSlaveState, MdioBus,
    ModelSpec, PairCheck, PairResult, PartnerDef, Pause, PhyDef, Port, Reflection, RegisterDump,
    Scenario, TdrCheck, TdrRange, TimingDef, Window, DEFAULT_MDC_HZ, DEFAULT_THRESHOLD_MV,
    DEFAULT_TOLERANCE_M, EEE_MODES, LINK_MODES, PAIRS, PARTNER_SPEEDS, PHY_MODES,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

const TOP: &[&str] = &[
    "version",
    "name",
    "description",
    "duration",
    "board",
    "timeline",
    "expect",
];
const BOARD: &[&str] = &["mdio", "ports"];
const BUS: &[&str] = &["name", "mdc-hz", "phys"];
const PHY: &[&str] = &[
    "name",
    "model",
    "address",
    "interrupt",
    "cable",
    "partner",
    "registers",
    "timing",
];
const TIMING: &[&str] = &[
    "autoneg",
    "link-10-100",
    "link-1000",
    "link-multigig",
    "gigabit-fail",
    "parallel-detect",
    "forced-link",
    "soft-reset",
];
const CABLE: &[&str] = &["connected", "pairs", "length-m", "faults"];
const FAULT: &[&str] = &["fault", "distance-m"];
const PARTNER: &[&str] = &[
    "autoneg",
    "advertise",
    "pause",
    "speed",
    "duplex",
    "eee",
    "master-slave",
    "seed",
];
const PORT: &[&str] = &["name", "phy", "phy-mode"];
const EVENT: &[&str] = &[
    "at",
    "cable",
    "partner",
    "cable-test",
    "link-settings",
    "eee-settings",
];
const ACTIONS: &[&str] = &[
    "cable",
    "partner",
    "cable-test",
    "link-settings",
    "eee-settings",
];
const LINK_SETTINGS_ACTION: &[&str] = &[
    "port",
    "autoneg",
    "speed",
    "duplex",
    "advertise",
    "master-slave",
];
const EEE_SETTINGS_ACTION: &[&str] = &["port", "enabled"];
/// The speeds `ethtool -s` can set here (Mb/s).
const LOCAL_SPEEDS: [u32; 6] = [10, 100, 1000, 2500, 5000, 10000];
const CABLE_ACTION: &[&str] = &["phy", "connected", "pairs", "length-m", "faults"];
const CABLE_TEST_ACTION: &[&str] = &["port", "tdr", "from-m", "to-m", "step-m", "pair"];
const PARTNER_ACTION: &[&str] = &[
    "phy",
    "present",
    "autoneg",
    "advertise",
    "pause",
    "speed",
    "duplex",
    "eee",
    "master-slave",
    "seed",
];
const PORT_EXPECT: &[&str] = &[
    "name",
    "port",
    "within",
    "during",
    "link",
    "speed",
    "duplex",
    "phy-driver",
    "master-slave",
    "eee",
];
const PREDICATES: &[&str] = &[
    "link",
    "speed",
    "duplex",
    "phy-driver",
    "master-slave",
    "eee",
];
const CABLE_TEST_EXPECT: &[&str] = &["name", "cable-test", "within", "pairs"];
const TDR_EXPECT: &[&str] = &["name", "cable-test-tdr", "within", "pairs"];
const PAIR_CHECK: &[&str] = &["result", "distance-m", "tolerance-m"];
const TDR_CHECK: &[&str] = &["reflection", "distance-m", "tolerance-m", "threshold-mv"];
const DMESG_EXPECT: &[&str] = &["name", "dmesg"];
const TEARDOWN_EXPECT: &[&str] = &["name", "teardown"];

const PAUSES: &[(&str, Pause)] = &[
    ("none", Pause::None),
    ("symmetric", Pause::Symmetric),
    ("asymmetric", Pause::Asymmetric),
    ("both", Pause::Both),
];
const DUPLEXES: &[(&str, Duplex)] = &[("half", Duplex::Half), ("full", Duplex::Full)];
const LINKS: &[(&str, LinkState)] = &[("up", LinkState::Up), ("down", LinkState::Down)];
const MASTER_SLAVE: &[(&str, MasterSlave)] = &[
    ("preferred-master", MasterSlave::PreferredMaster),
    ("preferred-slave", MasterSlave::PreferredSlave),
    ("forced-master", MasterSlave::ForcedMaster),
    ("forced-slave", MasterSlave::ForcedSlave),
];
const MASTER_SLAVE_STATES: &[(&str, MasterSlaveState)] = &[
    ("master", MasterSlaveState::Master),
    ("slave", MasterSlaveState::Slave),
    ("fault", MasterSlaveState::Fault),
];
const EEE_STATES: &[(&str, EeeState)] = &[
    ("active", EeeState::Active),
    ("inactive", EeeState::Inactive),
];
const FAULTS: &[(&str, Fault)] = &[
    ("open", Fault::Open),
    ("short", Fault::Short),
    ("cross-short", Fault::CrossShort),
    ("impedance-mismatch", Fault::ImpedanceMismatch),
];
const RESULTS: &[(&str, PairResult)] = &[
    ("ok", PairResult::Ok),
    ("open", PairResult::Open),
    ("short", PairResult::Short),
    ("cross-short", PairResult::CrossShort),
    ("impedance-mismatch", PairResult::ImpedanceMismatch),
    ("noise", PairResult::Noise),
    ("resolution-not-possible", PairResult::ResolutionNotPossible),
    ("unspec", PairResult::Unspec),
];
const REFLECTIONS: &[(&str, Reflection)] = &[
    ("positive", Reflection::Positive),
    ("negative", Reflection::Negative),
    ("none", Reflection::None),
];

pub(crate) fn scenario(
    text: &str,
    path: &Path,
    models: &[ModelSpec],
) -> Result<Scenario, Vec<Problem>> {
    let (root, problems) = yaml::load(text);
    let mut cx = Cx {
        problems,
        models,
        known_modes: known_modes(models),
        duration: None,
        buses: HashMap::new(),
        phys: HashMap::new(),
        ports: HashMap::new(),
        phy_users: HashMap::new(),
        all_phys_known: true,
        all_ports_known: true,
        dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    let scenario = match &root {
        None if cx.problems.is_empty() => {
            cx.err(Location { line: 1, column: 1 }, "", EMPTY);
            None
        }
        None => None,
        Some(root) => cx.top(root, path),
    };
    match scenario {
        Some(s) if cx.problems.is_empty() => Ok(s),
        _ => {
            if cx.problems.is_empty() {
                cx.err(
                    Location { line: 1, column: 1 },
                    "",
                    "invalid scenario (internal error: no reason recorded)",
                );
            }
            Err(cx.problems)
        }
    }
}

const EMPTY: &str =
    "the file is empty; a scenario is a mapping with `version`, `duration`, `board` and `expect`";

fn known_modes(models: &[ModelSpec]) -> Vec<String> {
    let mut modes: Vec<String> = LINK_MODES.iter().map(|m| m.to_string()).collect();
    for m in models.iter().flat_map(|m| &m.link_modes) {
        if !modes.contains(m) {
            modes.push(m.clone());
        }
    }
    modes
}

/// What the checker knows of a PHY defined on the board.
struct PhyInfo {
    line: usize,
    bus: String,
    /// The link modes of its model (empty if the model is unknown).
    modes: Vec<String>,
    partner: Track,
}

/// A PHY's link partner as far as the autoneg/speed/duplex rules care.
#[derive(Clone, Copy)]
enum Track {
    /// The board's definition of it is broken: do not check events against it.
    Unknown,
    Absent,
    Present {
        autoneg: bool,
        speed: bool,
        duplex: bool,
    },
}

/// What the timeline pass needs to check a partner event once events are in time order.
struct PartnerEvent {
    loc: Location,
    path: String,
    speed_key: Option<Location>,
    duplex_key: Option<Location>,
    /// The event had an unknown (misspelt?) key.
    has_unknown: bool,
}

struct Cx<'m> {
    problems: Vec<Problem>,
    models: &'m [ModelSpec],
    known_modes: Vec<String>,
    /// The scenario's duration and the line it is on.
    duration: Option<(Duration, usize)>,
    buses: HashMap<String, usize>,
    phys: HashMap<String, PhyInfo>,
    /// Port name to its line.
    ports: HashMap<String, usize>,
    /// PHY name to the port using it and that port's line.
    phy_users: HashMap<String, (String, usize)>,
    /// False once a PHY (or port) could not be named: references to unknown names are then
    /// not reported, as they may well be to that one.
    all_phys_known: bool,
    all_ports_known: bool,
    /// The scenario file's directory: dump files are relative to it.
    dir: PathBuf,
}

/// A mapping whose keys have been checked against the allowed ones.
struct Map<'n> {
    entries: &'n [Entry],
    loc: Location,
    path: String,
    /// Some key was unknown (likely misspelt): "nothing given" checks that the misspelt key may
    /// have meant to satisfy are then skipped.
    has_unknown: bool,
}

impl<'n> Map<'n> {
    fn get(&self, key: &str) -> Option<&'n Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn path(&self, key: &str) -> String {
        join(&self.path, key)
    }
}

/// How a node is described in "expected X, found Y".
fn found(n: &Node) -> String {
    match &n.value {
        Value::Map(_) => "a mapping".into(),
        Value::Seq(_) => "a list".into(),
        Value::Scalar(s) => {
            let text = if s.text.chars().count() > 40 {
                format!("{}...", s.text.chars().take(40).collect::<String>())
            } else {
                s.text.clone()
            };
            match s.kind() {
                Kind::Null if s.text.is_empty() => "nothing".into(),
                Kind::Null => format!("`{text}` (null)"),
                _ if s.plain => format!("`{text}`"),
                _ => format!("the quoted string \"{text}\""),
            }
        }
    }
}

fn is_list(n: &Node) -> bool {
    matches!(n.value, Value::Seq(_))
}

fn one_of(options: &[&str]) -> String {
    options.join(", ")
}

fn backticked(options: &[&str]) -> String {
    options
        .iter()
        .map(|o| format!("`{o}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Edits (insert, delete, substitute, swap two neighbours) to turn `a` into `b`.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// The allowed name a misspelt one most likely meant: same but for case or `_`/`-`, or one
/// typo away.
fn suggest<'a>(given: &str, options: &[&'a str]) -> Option<&'a str> {
    let norm = |s: &str| s.to_ascii_lowercase().replace('_', "-");
    if let Some(o) = options.iter().find(|o| norm(o) == norm(given)) {
        return Some(o);
    }
    let close: Vec<&str> = options
        .iter()
        .copied()
        .filter(|o| given.len() > 2 && edit_distance(&norm(given), &norm(o)) == 1)
        .collect();
    match close.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

fn did_you_mean(given: &str, options: &[&str]) -> String {
    suggest(given, options).map_or(String::new(), |s| format!(" (did you mean `{s}`?)"))
}

impl Cx<'_> {
    fn err(&mut self, loc: Location, field: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(loc, field, message));
    }

    /// Reports a "nothing given" problem about `m`, unless `m` has an unknown (misspelt?) key.
    fn err_unless_misspelt(
        &mut self,
        m: &Map,
        loc: Location,
        field: &str,
        message: impl Into<String>,
    ) {
        if !m.has_unknown {
            self.err(loc, field, message);
        }
    }

    fn end(&self) -> String {
        match self.duration {
            Some((d, line)) => format!("duration: {}, line {line}", fmt_duration(d)),
            None => String::new(),
        }
    }

    // ---- generic shapes -------------------------------------------------------------------

    /// `node` as a mapping whose keys are all in `allowed` (unknown keys are reported).
    fn map<'n>(
        &mut self,
        n: &'n Node,
        path: &str,
        what: &str,
        allowed: &[&str],
    ) -> Option<Map<'n>> {
        let Value::Map(entries) = &n.value else {
            self.err(n.loc, path, format!("expected {what}, found {}", found(n)));
            return None;
        };
        let mut has_unknown = false;
        for e in entries {
            if !allowed.contains(&e.key.as_str()) {
                has_unknown = true;
                let hint = did_you_mean(&e.key, allowed);
                self.err(
                    e.key_loc,
                    join(path, &e.key),
                    format!(
                        "unknown field `{}`{hint}; the fields here are: {}",
                        e.key,
                        one_of(allowed)
                    ),
                );
            }
        }
        Some(Map {
            entries,
            loc: n.loc,
            path: path.to_string(),
            has_unknown,
        })
    }

    /// A required field, decoded by `f` (given the value node and its path).
    fn req<'n, T>(
        &mut self,
        m: &Map<'n>,
        key: &str,
        f: impl FnOnce(&mut Self, &'n Node, &str) -> Option<T>,
    ) -> Option<T> {
        match m.get(key) {
            Some(e) => f(self, &e.value, &m.path(key)),
            None => {
                self.err(m.loc, m.path(key), "required field is missing");
                None
            }
        }
    }

    /// An optional field: `None` if it is there but bad, `Some(None)` if it is not there.
    fn opt<'n, T>(
        &mut self,
        m: &Map<'n>,
        key: &str,
        f: impl FnOnce(&mut Self, &'n Node, &str) -> Option<T>,
    ) -> Option<Option<T>> {
        match m.get(key) {
            Some(e) => f(self, &e.value, &m.path(key)).map(Some),
            None => Some(None),
        }
    }

    /// Every item of a list decoded by `f`; `None` if any item is bad (all are still checked).
    fn list<'n, T>(
        &mut self,
        n: &'n Node,
        path: &str,
        what: &str,
        mut f: impl FnMut(&mut Self, &'n Node, &str) -> Option<T>,
    ) -> Option<Vec<T>> {
        let Value::Seq(items) = &n.value else {
            self.err(n.loc, path, format!("expected {what}, found {}", found(n)));
            return None;
        };
        let mut out = Some(Vec::with_capacity(items.len()));
        for (i, item) in items.iter().enumerate() {
            match (f(self, item, &index(path, i)), out.as_mut()) {
                (Some(v), Some(out)) => out.push(v),
                _ => out = None,
            }
        }
        out
    }

    // ---- scalars --------------------------------------------------------------------------

    fn string(&mut self, n: &Node, path: &str) -> Option<String> {
        match &n.value {
            Value::Scalar(s) => match s.kind() {
                Kind::Null => self.err(n.loc, path, "expected a string, found nothing"),
                Kind::Bool(_) => self.err(
                    n.loc,
                    path,
                    format!(
                        "expected a string, found the boolean `{}` (quote it to mean the text)",
                        s.text
                    ),
                ),
                _ => return Some(s.text.clone()),
            },
            _ => self.err(
                n.loc,
                path,
                format!("expected a string, found {}", found(n)),
            ),
        }
        None
    }

    /// A non-empty string.
    fn name(&mut self, n: &Node, path: &str) -> Option<String> {
        let s = self.string(n, path)?;
        if s.trim().is_empty() {
            self.err(n.loc, path, "must not be empty");
            return None;
        }
        Some(s)
    }

    fn boolean(&mut self, n: &Node, path: &str) -> Option<bool> {
        if let Value::Scalar(s) = &n.value {
            if let Kind::Bool(b) = s.kind() {
                return Some(b);
            }
        }
        self.err(
            n.loc,
            path,
            format!("expected `true` or `false`, found {}", found(n)),
        );
        None
    }

    fn integer(&mut self, n: &Node, path: &str) -> Option<i128> {
        if let Value::Scalar(s) = &n.value {
            if s.kind() == Kind::Int {
                return yaml::parse_int(&s.text);
            }
        }
        self.err(
            n.loc,
            path,
            format!("expected an integer, found {}", found(n)),
        );
        None
    }

    fn number(&mut self, n: &Node, path: &str) -> Option<f64> {
        if let Value::Scalar(s) = &n.value {
            match s.kind() {
                Kind::Int => return yaml::parse_int(&s.text).map(|i| i as f64),
                Kind::Float => {
                    if let Ok(x) = s.text.parse::<f64>() {
                        if x.is_finite() {
                            return Some(x);
                        }
                    }
                    self.err(
                        n.loc,
                        path,
                        format!("expected a finite number, found {}", found(n)),
                    );
                    return None;
                }
                _ => {}
            }
        }
        self.err(
            n.loc,
            path,
            format!("expected a number, found {}", found(n)),
        );
        None
    }

    fn duration(&mut self, n: &Node, path: &str) -> Option<Duration> {
        if let Value::Scalar(s) = &n.value {
            if !matches!(s.kind(), Kind::Null | Kind::Bool(_)) {
                return parse_duration(&s.text)
                    .map_err(|e| self.err(n.loc, path, e))
                    .ok();
            }
        }
        self.err(
            n.loc,
            path,
            format!(
                "expected a duration like `2s` or `250ms`, found {}",
                found(n)
            ),
        );
        None
    }

    /// One of a fixed set of words.
    fn choice<T: Copy>(
        &mut self,
        n: &Node,
        path: &str,
        what: &str,
        options: &[(&str, T)],
    ) -> Option<T> {
        let names: Vec<&str> = options.iter().map(|(name, _)| *name).collect();
        if let Value::Scalar(s) = &n.value {
            if let Some((_, v)) = options.iter().find(|(name, _)| *name == s.text) {
                return Some(*v);
            }
            if !matches!(s.kind(), Kind::Null) {
                let hint = did_you_mean(&s.text, &names);
                self.err(
                    n.loc,
                    path,
                    format!(
                        "`{}` is not a valid {what}{hint}; expected one of: {}",
                        s.text,
                        one_of(&names)
                    ),
                );
                return None;
            }
        }
        self.err(
            n.loc,
            path,
            format!(
                "expected a {what} (one of: {}), found {}",
                one_of(&names),
                found(n)
            ),
        );
        None
    }

    fn link_modes(&mut self, n: &Node, path: &str) -> Option<Vec<String>> {
        let modes = self.list(
            n,
            path,
            "a list of link modes like `1000baseT/Full`",
            |cx, n, p| {
                let s = cx.string(n, p)?;
                if !cx.known_modes.contains(&s) {
                    let known: Vec<&str> = cx.known_modes.iter().map(String::as_str).collect();
                    let hint = did_you_mean(&s, &known);
                    cx.err(
                        n.loc,
                        p,
                        format!(
                            "unknown link mode `{s}`{hint}; link modes are: {}",
                            one_of(&known)
                        ),
                    );
                    return None;
                }
                Some((s, n.loc))
            },
        )?;
        let mut out: Vec<String> = Vec::new();
        let mut ok = true;
        for (i, (mode, loc)) in modes.into_iter().enumerate() {
            if out.contains(&mode) {
                self.err(loc, index(path, i), format!("`{mode}` is listed twice"));
                ok = false;
            }
            out.push(mode);
        }
        ok.then_some(out)
    }

    /// Link modes a partner advertises EEE for: only EEE-capable ones.
    fn eee_modes(&mut self, n: &Node, path: &str) -> Option<Vec<String>> {
        let modes = self.link_modes(n, path)?;
        let mut ok = true;
        if let Value::Seq(items) = &n.value {
            for (i, (mode, item)) in modes.iter().zip(items).enumerate() {
                if !EEE_MODES.contains(&mode.as_str()) {
                    let msg = format!("`{mode}` has no EEE; EEE modes are: {}", one_of(&EEE_MODES));
                    self.err(item.loc, index(path, i), msg);
                    ok = false;
                }
            }
        }
        ok.then_some(modes)
    }

    fn seed(&mut self, n: &Node, path: &str) -> Option<u16> {
        let v = self.integer(n, path)?;
        match u16::try_from(v) {
            Ok(s) if s < 2048 => Some(s),
            _ => {
                let msg = format!("a master/slave seed is 11 bits (0 to 2047), not {v}");
                self.err(n.loc, path, msg);
                None
            }
        }
    }

    fn partner_speed(&mut self, n: &Node, path: &str) -> Option<u32> {
        let v = self.integer(n, path)?;
        match PARTNER_SPEEDS.iter().find(|s| i128::from(**s) == v) {
            Some(s) => Some(*s),
            None => {
                self.err(
                    n.loc,
                    path,
                    format!("a partner's speed is 10, 100 or 1000 (Mb/s), not {v}"),
                );
                None
            }
        }
    }

    fn pairs(&mut self, n: &Node, path: &str) -> Option<u8> {
        match self.integer(n, path)? {
            2 => Some(2),
            4 => Some(4),
            v => {
                self.err(n.loc, path, format!("a cable has 2 or 4 pairs, not {v}"));
                None
            }
        }
    }

    fn length(&mut self, n: &Node, path: &str) -> Option<f64> {
        let v = self.number(n, path)?;
        if v < 0.0 {
            self.err(
                n.loc,
                path,
                format!("a cable length cannot be negative ({v} m)"),
            );
            return None;
        }
        Some(v)
    }

    /// A time of the scenario: not after its end. `what` says what it is, `{t}` standing for
    /// the time.
    fn instant(&mut self, n: &Node, path: &str, what: &str) -> Option<Duration> {
        let t = self.duration(n, path)?;
        if let Some((end, _)) = self.duration {
            if t > end {
                let what = what.replace("{t}", &fmt_duration(t));
                let msg = format!("{what} the end of the scenario ({})", self.end());
                self.err(n.loc, path, msg);
                return None;
            }
        }
        Some(t)
    }

    fn phy_ref(&mut self, n: &Node, path: &str) -> Option<String> {
        let s = self.string(n, path)?;
        if !self.phys.contains_key(&s) {
            if !self.all_phys_known {
                return None;
            }
            let mut names: Vec<&str> = self.phys.keys().map(String::as_str).collect();
            names.sort_unstable();
            let known = if names.is_empty() {
                "the board has none".to_string()
            } else {
                format!("PHYs: {}", one_of(&names))
            };
            let hint = did_you_mean(&s, &names);
            self.err(
                n.loc,
                path,
                format!("no PHY named `{s}` on the board{hint} ({known})"),
            );
            return None;
        }
        Some(s)
    }

    fn port_ref(&mut self, n: &Node, path: &str) -> Option<String> {
        let s = self.string(n, path)?;
        if !self.ports.contains_key(&s) {
            if !self.all_ports_known {
                return None;
            }
            let mut names: Vec<&str> = self.ports.keys().map(String::as_str).collect();
            names.sort_unstable();
            let known = if names.is_empty() {
                "the board has none".to_string()
            } else {
                format!("ports: {}", one_of(&names))
            };
            let hint = did_you_mean(&s, &names);
            self.err(n.loc, path, format!("no port named `{s}`{hint} ({known})"));
            return None;
        }
        Some(s)
    }

    // ---- the document ---------------------------------------------------------------------

    fn top(&mut self, root: &Node, path: &Path) -> Option<Scenario> {
        if let Value::Scalar(s) = &root.value {
            if s.kind() == Kind::Null {
                self.err(root.loc, "", EMPTY);
                return None;
            }
        }
        let m = self.map(
            root,
            "",
            "a mapping of scenario fields (`version`, `duration`, ...)",
            TOP,
        )?;
        let version = self.req(&m, "version", |cx, n, p| {
            let v = cx.integer(n, p)?;
            if v != 0 {
                cx.err(
                    n.loc,
                    p,
                    format!("unsupported version {v}; this phy-sim reads version 0"),
                );
                return None;
            }
            Some(())
        });
        let name = self.opt(&m, "name", |cx, n, p| cx.name(n, p));
        let description = self.opt(&m, "description", |cx, n, p| cx.string(n, p));
        let duration = self.req(&m, "duration", |cx, n, p| {
            let d = cx.duration(n, p)?;
            if d.is_zero() {
                cx.err(n.loc, p, "the duration must be longer than 0s");
                return None;
            }
            cx.duration = Some((d, n.loc.line));
            Some(d)
        });
        if !m.has("board") {
            self.all_phys_known = false;
            self.all_ports_known = false;
        }
        let board = self.req(&m, "board", |cx, n, p| cx.board(n, p));
        let timeline = self.opt(&m, "timeline", |cx, n, p| cx.timeline(n, p));
        let expect = self.req(&m, "expect", |cx, n, p| cx.expect(n, p));
        if let (Some(Some(timeline)), Some(expect)) = (&timeline, &expect) {
            self.check_cable_tests(timeline, expect);
        } else if let (Some(None), Some(expect)) = (&timeline, &expect) {
            self.check_cable_tests(&[], expect);
        }
        version?;
        let name = name?.unwrap_or_else(|| {
            path.file_stem().map_or_else(
                || "scenario".to_string(),
                |s| s.to_string_lossy().into_owned(),
            )
        });
        Some(Scenario {
            path: path.to_path_buf(),
            name,
            description: description?,
            duration: duration?,
            board: board?,
            timeline: timeline?.unwrap_or_default(),
            expect: expect?,
        })
    }

    fn board(&mut self, n: &Node, path: &str) -> Option<Board> {
        let Some(m) = self.map(n, path, "a mapping with `mdio` and `ports`", BOARD) else {
            self.all_phys_known = false;
            self.all_ports_known = false;
            return None;
        };
        self.all_phys_known &= m.get("mdio").is_some_and(|e| is_list(&e.value));
        self.all_ports_known &= m.get("ports").is_some_and(|e| is_list(&e.value));
        let mdio = self.req(&m, "mdio", |cx, n, p| {
            cx.list(n, p, "a list of MDIO buses", |cx, n, p| cx.bus(n, p))
        });
        let ports = self.req(&m, "ports", |cx, n, p| {
            cx.list(n, p, "a list of ports", |cx, n, p| cx.port(n, p))
        });
        Some(Board {
            mdio: mdio?,
            ports: ports?,
        })
    }

    fn bus(&mut self, n: &Node, path: &str) -> Option<MdioBus> {
        let Some(m) = self.map(
            n,
            path,
            "an MDIO bus (a mapping with `name` and `phys`)",
            BUS,
        ) else {
            self.all_phys_known = false;
            return None;
        };
        self.all_phys_known &= m.get("phys").is_some_and(|e| is_list(&e.value));
        let name = self.req(&m, "name", |cx, n, p| {
            let s = cx.name(n, p)?;
            if let Some(line) = cx.buses.get(&s) {
                let msg = format!("MDIO bus name `{s}` is already used (line {line})");
                cx.err(n.loc, p, msg);
                return None;
            }
            cx.buses.insert(s.clone(), n.loc.line);
            Some(s)
        });
        let mdc_hz = self.opt(&m, "mdc-hz", |cx, n, p| {
            let v = cx.integer(n, p)?;
            match u32::try_from(v) {
                Ok(hz @ 1_000..=100_000_000) => Some(hz),
                _ => {
                    let msg = format!("an MDC rate is 1000 to 100000000 Hz, not {v}");
                    cx.err(n.loc, p, msg);
                    None
                }
            }
        });
        let bus = name.clone().unwrap_or_else(|| "this bus".into());
        let mut addresses: HashMap<u8, (String, usize)> = HashMap::new();
        let phys = self.req(&m, "phys", |cx, n, p| {
            cx.list(n, p, "a list of PHYs", |cx, n, p| {
                cx.phy(n, p, &bus, &mut addresses)
            })
        });
        Some(MdioBus {
            name: name?,
            mdc_hz: mdc_hz?.unwrap_or(DEFAULT_MDC_HZ),
            phys: phys?,
        })
    }

    fn phy(
        &mut self,
        n: &Node,
        path: &str,
        bus: &str,
        addresses: &mut HashMap<u8, (String, usize)>,
    ) -> Option<PhyDef> {
        let Some(m) = self.map(
            n,
            path,
            "a PHY (a mapping with `name`, `model`, `address`, ...)",
            PHY,
        ) else {
            self.all_phys_known = false;
            return None;
        };
        let name = self.req(&m, "name", |cx, n, p| {
            let s = cx.name(n, p)?;
            if let Some(other) = cx.phys.get(&s) {
                let msg = format!(
                    "PHY name `{s}` is already used on {} (line {})",
                    other.bus, other.line
                );
                cx.err(n.loc, p, msg);
                return None;
            }
            Some((s, n.loc.line))
        });
        self.all_phys_known &= name.is_some();
        let model = self.req(&m, "model", |cx, n, p| {
            let s = cx.string(n, p)?;
            if let Some(spec) = cx.models.iter().find(|spec| spec.name == s) {
                return Some(spec);
            }
            let names: Vec<&str> = cx.models.iter().map(|m| m.name.as_str()).collect();
            let hint = did_you_mean(&s, &names);
            cx.err(
                n.loc,
                p,
                format!("unknown model `{s}`{hint}; models: {}", one_of(&names)),
            );
            None
        });
        let label = name
            .as_ref()
            .map_or("another PHY", |(s, _)| s.as_str())
            .to_string();
        let address = self.req(&m, "address", |cx, n, p| {
            let v = cx.integer(n, p)?;
            let Ok(a @ 0..=31) = u8::try_from(v) else {
                cx.err(
                    n.loc,
                    p,
                    format!("address {v} is out of range: MDIO addresses are 0 to 31"),
                );
                return None;
            };
            if let Some((other, line)) = addresses.get(&a) {
                let msg = format!("address {a} is already used by {other} on {bus} (line {line})");
                cx.err(n.loc, p, msg);
                return None;
            }
            addresses.insert(a, (label, n.loc.line));
            Some(a)
        });
        let interrupt = self.opt(&m, "interrupt", |cx, n, p| cx.boolean(n, p));
        let cable = self.opt(&m, "cable", |cx, n, p| cx.cable(n, p));
        let modes = model.map(|spec| spec.link_modes.clone());
        let partner = self.opt(&m, "partner", |cx, n, p| cx.partner(n, p, modes.as_deref()));
        let model_name = model.map(|spec| spec.name.clone());
        let registers = self.opt(&m, "registers", |cx, n, p| {
            cx.registers(n, p, model_name.as_deref())
        });
        let timing = self.opt(&m, "timing", |cx, n, p| cx.timing(n, p));
        if let Some((s, line)) = &name {
            let track = match &partner {
                None => Track::Unknown,
                Some(None) => Track::Absent,
                Some(Some(p)) => Track::Present {
                    autoneg: p.autoneg,
                    speed: p.speed.is_some(),
                    duplex: p.duplex.is_some(),
                },
            };
            let info = PhyInfo {
                line: *line,
                bus: bus.to_string(),
                modes: modes.clone().unwrap_or_default(),
                partner: track,
            };
            self.phys.insert(s.clone(), info);
        }
        Some(PhyDef {
            name: name?.0,
            model: model?.name.clone(),
            address: address?,
            interrupt: interrupt?.unwrap_or(true),
            cable: cable?.unwrap_or_default(),
            partner: partner?,
            registers: registers?,
            timing: timing?.unwrap_or_default(),
        })
    }

    fn timing(&mut self, n: &Node, path: &str) -> Option<TimingDef> {
        let m = self.map(n, path, "link delays (a mapping of durations)", TIMING)?;
        let mut d = [None; 8];
        let mut ok = true;
        for (slot, key) in d.iter_mut().zip(TIMING) {
            match self.opt(&m, key, |cx, n, p| cx.duration(n, p)) {
                Some(v) => *slot = v,
                None => ok = false,
            }
        }
        let [autoneg, link_10_100, link_1000, link_multigig, gigabit_fail, parallel_detect, forced_link, soft_reset] =
            d;
        ok.then_some(TimingDef {
            autoneg,
            link_10_100,
            link_1000,
            link_multigig,
            gigabit_fail,
            parallel_detect,
            forced_link,
            soft_reset,
        })
    }

    /// `registers:` a dump file's path (relative to the scenario) or, if the text has more
    /// than one line, the dump itself; parsed, then loaded into a fresh `model` to check it.
    fn registers(&mut self, n: &Node, path: &str, model: Option<&str>) -> Option<RegisterDump> {
        let text = self.string(n, path)?;
        let (file, dump) = if text.contains('\n') {
            (None, text)
        } else {
            let file = PathBuf::from(text.trim());
            match std::fs::read_to_string(self.dir.join(&file)) {
                Ok(dump) => (Some(file), dump),
                Err(e) => {
                    let msg = format!("cannot read the register dump {}: {e}", file.display());
                    self.err(n.loc, path, msg);
                    return None;
                }
            }
        };
        let name = match &file {
            Some(f) => format!("{}:", f.display()),
            None => "inline dump ".to_string(),
        };
        let report = |cx: &mut Self, e: phy_sim_models::DumpError| {
            let msg = format!("{name}line {}: {}", e.line, e.message);
            cx.err(n.loc, path, msg);
        };
        let entries = match phy_sim_models::dump::parse(&dump) {
            Ok(entries) => entries,
            Err(e) => {
                report(self, e);
                return None;
            }
        };
        // The model decides what it can take: load the dump into one.
        if let Some(model) = model {
            if let Ok(mut phy) = phy_sim_models::build(model, phy_sim_models::Instant::ZERO) {
                if let Err(e) = phy.preload(phy_sim_models::Instant::ZERO, &entries) {
                    report(self, e);
                    return None;
                }
            }
        }
        Some(RegisterDump {
            file,
            entries,
            location: n.loc,
        })
    }

    fn cable(&mut self, n: &Node, path: &str) -> Option<CableDef> {
        let m = self.map(n, path, "a cable (a mapping)", CABLE)?;
        let connected = self.opt(&m, "connected", |cx, n, p| cx.boolean(n, p));
        let pairs = self.opt(&m, "pairs", |cx, n, p| cx.pairs(n, p));
        let length = self.opt(&m, "length-m", |cx, n, p| cx.length(n, p));
        let faults = self.opt(&m, "faults", |cx, n, p| cx.faults(n, p));
        let d = CableDef::default();
        let cable = CableDef {
            connected: connected?.unwrap_or(d.connected),
            pairs: pairs?.unwrap_or(d.pairs),
            length_m: length?.unwrap_or(d.length_m),
            faults: faults?.unwrap_or(d.faults),
        };
        let locs = m
            .get("faults")
            .and_then(|e| match &e.value.value {
                Value::Map(entries) => Some(entries),
                _ => None,
            })
            .into_iter()
            .flatten();
        let mut ok = true;
        for e in locs {
            let Some(i) = PAIRS.iter().position(|p| *p == e.key) else {
                continue;
            };
            let fpath = join(&m.path("faults"), &e.key);
            if i >= usize::from(cable.pairs) {
                let msg = format!(
                    "a {}-pair cable has no pair {}: it has pairs {}",
                    cable.pairs,
                    e.key,
                    PAIRS[..usize::from(cable.pairs)].join(", ")
                );
                self.err(e.key_loc, fpath, msg);
                ok = false;
            } else if let Some(f) = cable.faults[i].filter(|f| f.distance_m > cable.length_m) {
                let msg = format!(
                    "the fault at {} m is beyond the end of the {} m cable",
                    f.distance_m, cable.length_m
                );
                self.err(e.key_loc, fpath, msg);
                ok = false;
            }
        }
        ok.then_some(cable)
    }

    /// `faults:` a mapping from pair (`A`..`D`) to its fault.
    fn faults(&mut self, n: &Node, path: &str) -> Option<[Option<FaultDef>; 4]> {
        let m = self.map(
            n,
            path,
            "a mapping from pair (`A`, `B`, `C`, `D`) to its fault",
            &PAIRS,
        )?;
        let mut faults = [None; 4];
        let mut ok = true;
        for (i, pair) in PAIRS.iter().enumerate() {
            match self.opt(&m, pair, |cx, n, p| cx.fault(n, p)) {
                Some(f) => faults[i] = f,
                None => ok = false,
            }
        }
        ok.then_some(faults)
    }

    fn fault(&mut self, n: &Node, path: &str) -> Option<FaultDef> {
        let m = self.map(
            n,
            path,
            "a fault (a mapping with `fault` and `distance-m`)",
            FAULT,
        )?;
        let fault = self.req(&m, "fault", |cx, n, p| cx.choice(n, p, "fault", FAULTS));
        let distance_m = self.req(&m, "distance-m", |cx, n, p| cx.length(n, p));
        Some(FaultDef {
            fault: fault?,
            distance_m: distance_m?,
        })
    }

    fn partner(&mut self, n: &Node, path: &str, modes: Option<&[String]>) -> Option<PartnerDef> {
        let m = self.map(n, path, "a link partner (a mapping)", PARTNER)?;
        let autoneg = self.opt(&m, "autoneg", |cx, n, p| cx.boolean(n, p));
        let advertise = self.opt(&m, "advertise", |cx, n, p| cx.link_modes(n, p));
        let pause = self.opt(&m, "pause", |cx, n, p| cx.choice(n, p, "pause", PAUSES));
        let speed = self.opt(&m, "speed", |cx, n, p| cx.partner_speed(n, p));
        let duplex = self.opt(&m, "duplex", |cx, n, p| cx.choice(n, p, "duplex", DUPLEXES));
        let eee = self.opt(&m, "eee", |cx, n, p| cx.eee_modes(n, p));
        let master_slave = self.opt(&m, "master-slave", |cx, n, p| {
            cx.choice(n, p, "master-slave configuration", MASTER_SLAVE)
        });
        let seed = self.opt(&m, "seed", |cx, n, p| cx.seed(n, p));
        let autoneg = autoneg?.unwrap_or(true);
        let mut ok = true;
        for key in ["speed", "duplex"] {
            match (autoneg, m.get(key)) {
                (true, Some(e)) => {
                    self.err(
                        e.key_loc,
                        m.path(key),
                        format!("`{key}` forces the partner's {key} and needs `autoneg: false` (the partner autonegotiates by default)"),
                    );
                    ok = false;
                }
                (false, None) if !m.has_unknown => {
                    self.err(
                        m.loc,
                        m.path(key),
                        format!(
                            "a partner with `autoneg: false` forces its link and needs `{key}`"
                        ),
                    );
                    ok = false;
                }
                _ => {}
            }
        }
        let def = PartnerDef {
            autoneg,
            advertise: advertise?.unwrap_or_else(|| modes.unwrap_or_default().to_vec()),
            pause: pause?.unwrap_or(Pause::None),
            speed: speed?,
            duplex: duplex?,
            eee: eee?.unwrap_or_default(),
            master_slave: master_slave?.unwrap_or(MasterSlave::PreferredMaster),
            seed: seed?.unwrap_or(0),
        };
        ok.then_some(def)
    }

    fn port(&mut self, n: &Node, path: &str) -> Option<Port> {
        let Some(m) = self.map(n, path, "a port (a mapping with `name` and `phy`)", PORT) else {
            self.all_ports_known = false;
            return None;
        };
        let name = self.req(&m, "name", |cx, n, p| {
            let s = cx.string(n, p)?;
            let valid = (1..=15).contains(&s.len())
                && s.bytes()
                    .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-'));
            if !valid {
                let msg = format!(
                    "`{s}` is not a valid port name: 1 to 15 characters of a-z, 0-9, `_` and `-`"
                );
                cx.err(n.loc, p, msg);
                return None;
            }
            if let Some(line) = cx.ports.get(&s) {
                let msg = format!("port name `{s}` is already used (line {line})");
                cx.err(n.loc, p, msg);
                return None;
            }
            cx.ports.insert(s.clone(), n.loc.line);
            Some(s)
        });
        self.all_ports_known &= name.is_some();
        let phy = self.req(&m, "phy", |cx, n, p| {
            let s = cx.phy_ref(n, p)?;
            if let Some((port, line)) = cx.phy_users.get(&s) {
                let msg = format!("PHY `{s}` is already used by port {port} (line {line})");
                cx.err(n.loc, p, msg);
                return None;
            }
            let user = name.clone().unwrap_or_else(|| "another port".into());
            cx.phy_users.insert(s.clone(), (user, n.loc.line));
            Some(s)
        });
        let modes: Vec<(&str, &str)> = PHY_MODES.iter().map(|m| (*m, *m)).collect();
        let phy_mode = self.opt(&m, "phy-mode", |cx, n, p| {
            cx.choice(n, p, "phy-mode", &modes)
        });
        Some(Port {
            name: name?,
            phy: phy?,
            phy_mode: phy_mode?.unwrap_or("rgmii-id").to_string(),
        })
    }

    // ---- timeline -------------------------------------------------------------------------

    fn timeline(&mut self, n: &Node, path: &str) -> Option<Vec<Event>> {
        let mut events = self.list(n, path, "a list of events", |cx, n, p| cx.event(n, p))?;
        events.sort_by_key(|(e, _)| e.at);
        // Follow each partner through time for the autoneg/speed/duplex rules.
        let mut track: HashMap<String, Track> = self
            .phys
            .iter()
            .map(|(k, v)| (k.clone(), v.partner))
            .collect();
        let mut ok = true;
        for (event, check) in &mut events {
            let (
                Action::Partner {
                    phy,
                    present,
                    autoneg,
                    advertise,
                    speed,
                    duplex,
                    ..
                },
                Some(check),
            ) = (&mut event.action, check)
            else {
                continue;
            };
            let Some(state) = track.get_mut(phy) else {
                continue;
            };
            let (was_autoneg, had_speed, had_duplex) = match *state {
                Track::Unknown => continue,
                _ if *present == Some(false) => {
                    *state = Track::Absent;
                    continue;
                }
                Track::Absent => {
                    // A partner is plugged in: it advertises what the model has unless told.
                    if advertise.is_none() {
                        *advertise = self.phys.get(phy.as_str()).map(|i| i.modes.clone());
                    }
                    (true, false, false)
                }
                Track::Present {
                    autoneg,
                    speed,
                    duplex,
                } => (autoneg, speed, duplex),
            };
            let now_autoneg = autoneg.unwrap_or(was_autoneg);
            let has_speed = had_speed || speed.is_some();
            let has_duplex = had_duplex || duplex.is_some();
            // A missing forced value is reported once, not again at every later event.
            *state = Track::Present {
                autoneg: now_autoneg,
                speed: has_speed || !now_autoneg,
                duplex: has_duplex || !now_autoneg,
            };
            for (key, given, has) in [
                ("speed", check.speed_key, has_speed),
                ("duplex", check.duplex_key, has_duplex),
            ] {
                match given {
                    Some(at) if now_autoneg => {
                        self.err(
                            at,
                            join(&check.path, key),
                            format!("`{key}` forces the partner's {key} and needs `autoneg: false` (at this point the partner autonegotiates)"),
                        );
                        ok = false;
                    }
                    _ if !now_autoneg && !has && !check.has_unknown => {
                        self.err(
                            check.loc,
                            join(&check.path, key),
                            format!("after this event the partner is forced (`autoneg: false`) but has no `{key}`"),
                        );
                        ok = false;
                    }
                    _ => {}
                }
            }
        }
        ok.then(|| events.into_iter().map(|(e, _)| e).collect())
    }

    fn event(&mut self, n: &Node, path: &str) -> Option<(Event, Option<PartnerEvent>)> {
        let m = self.map(
            n,
            path,
            "an event (a mapping with `at` and an action)",
            EVENT,
        )?;
        let at = self.req(&m, "at", |cx, n, p| cx.instant(n, p, "at {t} is after"));
        let actions: Vec<&Entry> = m
            .entries
            .iter()
            .filter(|e| ACTIONS.contains(&e.key.as_str()))
            .collect();
        let (action, check) = match actions.as_slice() {
            [] => {
                self.err_unless_misspelt(
                    &m,
                    m.loc,
                    path,
                    "an event needs an action: `cable`, `partner`, `cable-test`, `link-settings` or `eee-settings`",
                );
                return None;
            }
            [first, second, ..] => {
                let msg = format!(
                    "an event has exactly one action; this one already has `{}` (line {})",
                    first.key, first.key_loc.line
                );
                self.err(second.key_loc, m.path(&second.key), msg);
                return None;
            }
            [one] => {
                let p = m.path(&one.key);
                if one.key == "cable" {
                    (self.cable_action(&one.value, &p)?, None)
                } else if one.key == "cable-test" {
                    (self.cable_test_action(&one.value, &p)?, None)
                } else if one.key == "link-settings" {
                    (self.link_settings_action(&one.value, &p)?, None)
                } else if one.key == "eee-settings" {
                    (self.eee_settings_action(&one.value, &p)?, None)
                } else {
                    let (action, check) = self.partner_action(&one.value, &p)?;
                    (action, Some(check))
                }
            }
        };
        let event = Event {
            at: at?,
            action,
            location: m.loc,
        };
        Some((event, check))
    }

    /// Whether an event gives at least one of `changes`; reports it when it does not.
    fn changes_something(&mut self, m: &Map, path: &str, changes: &[&str]) -> bool {
        if changes.iter().any(|k| m.has(k)) {
            return true;
        }
        self.err_unless_misspelt(
            m,
            m.loc,
            path,
            format!(
                "changes nothing: give at least one of {}",
                backticked(changes)
            ),
        );
        false
    }

    fn cable_action(&mut self, n: &Node, path: &str) -> Option<Action> {
        let m = self.map(
            n,
            path,
            "a cable change (a mapping with `phy` and what changes)",
            CABLE_ACTION,
        )?;
        let phy = self.req(&m, "phy", |cx, n, p| cx.phy_ref(n, p));
        let connected = self.opt(&m, "connected", |cx, n, p| cx.boolean(n, p));
        let pairs = self.opt(&m, "pairs", |cx, n, p| cx.pairs(n, p));
        let length_m = self.opt(&m, "length-m", |cx, n, p| cx.length(n, p));
        let faults = self.opt(&m, "faults", |cx, n, p| cx.faults(n, p));
        if !self.changes_something(&m, path, &CABLE_ACTION[1..]) {
            return None;
        }
        Some(Action::Cable {
            phy: phy?,
            connected: connected?,
            pairs: pairs?,
            length_m: length_m?,
            faults: faults?,
        })
    }

    fn link_settings_action(&mut self, n: &Node, path: &str) -> Option<Action> {
        let m = self.map(
            n,
            path,
            "link settings (a mapping with `port` and what `ethtool -s` sets)",
            LINK_SETTINGS_ACTION,
        )?;
        let port = self.req(&m, "port", |cx, n, p| cx.port_ref(n, p));
        let autoneg = self.opt(&m, "autoneg", |cx, n, p| cx.boolean(n, p));
        let speed = self.opt(&m, "speed", |cx, n, p| {
            let v = cx.integer(n, p)?;
            match LOCAL_SPEEDS.iter().find(|s| i128::from(**s) == v) {
                Some(s) => Some(*s),
                None => {
                    let speeds: Vec<String> = LOCAL_SPEEDS.iter().map(u32::to_string).collect();
                    let msg = format!("a speed is one of {} (Mb/s), not {v}", speeds.join(", "));
                    cx.err(n.loc, p, msg);
                    None
                }
            }
        });
        let duplex = self.opt(&m, "duplex", |cx, n, p| cx.choice(n, p, "duplex", DUPLEXES));
        let advertise = self.opt(&m, "advertise", |cx, n, p| cx.link_modes(n, p));
        let master_slave = self.opt(&m, "master-slave", |cx, n, p| {
            cx.choice(n, p, "master-slave configuration", MASTER_SLAVE)
        });
        if !self.changes_something(&m, path, &LINK_SETTINGS_ACTION[1..]) {
            return None;
        }
        Some(Action::LinkSettings {
            port: port?,
            autoneg: autoneg?,
            speed: speed?,
            duplex: duplex?,
            advertise: advertise?,
            master_slave: master_slave?,
        })
    }

    fn eee_settings_action(&mut self, n: &Node, path: &str) -> Option<Action> {
        let m = self.map(
            n,
            path,
            "EEE settings (a mapping with `port` and `enabled`)",
            EEE_SETTINGS_ACTION,
        )?;
        let port = self.req(&m, "port", |cx, n, p| cx.port_ref(n, p));
        let enabled = self.req(&m, "enabled", |cx, n, p| cx.boolean(n, p));
        Some(Action::EeeSettings {
            port: port?,
            enabled: enabled?,
        })
    }

    fn cable_test_action(&mut self, n: &Node, path: &str) -> Option<Action> {
        let m = self.map(
            n,
            path,
            "a cable test (a mapping with `port`, and `tdr: true` for a TDR trace)",
            CABLE_TEST_ACTION,
        )?;
        let port = self.req(&m, "port", |cx, n, p| cx.port_ref(n, p));
        let tdr = self.opt(&m, "tdr", |cx, n, p| cx.boolean(n, p));
        let first_m = self.opt(&m, "from-m", |cx, n, p| cx.length(n, p));
        let last_m = self.opt(&m, "to-m", |cx, n, p| cx.length(n, p));
        let step_m = self.opt(&m, "step-m", |cx, n, p| {
            let v = cx.length(n, p)?;
            if v == 0.0 {
                cx.err(n.loc, p, "a TDR step must be longer than 0 m");
                return None;
            }
            Some(v)
        });
        let pair = self.opt(&m, "pair", |cx, n, p| {
            let pairs: Vec<(&str, &str)> = PAIRS.iter().map(|p| (*p, *p)).collect();
            cx.choice(n, p, "pair", &pairs).map(str::to_string)
        });
        let tdr = tdr?.unwrap_or(false);
        let mut ok = true;
        if !tdr {
            for key in &CABLE_TEST_ACTION[2..] {
                if let Some(e) = m.get(key) {
                    let msg = format!("`{key}` shapes a TDR trace and needs `tdr: true`");
                    self.err(e.key_loc, m.path(key), msg);
                    ok = false;
                }
            }
        }
        let (first_m, last_m) = (first_m?, last_m?);
        if let (Some(from), Some(to)) = (first_m, last_m) {
            if from > to {
                let msg = format!("the trace starts at {from} m, after its end at {to} m");
                self.err(m.loc, path, msg);
                ok = false;
            }
        }
        let action = Action::CableTest {
            port: port?,
            tdr: tdr.then_some(TdrRange {
                first_m,
                last_m,
                step_m: step_m?,
                pair: pair?,
            }),
        };
        ok.then_some(action)
    }

    fn partner_action(&mut self, n: &Node, path: &str) -> Option<(Action, PartnerEvent)> {
        let m = self.map(
            n,
            path,
            "a partner change (a mapping with `phy` and what changes)",
            PARTNER_ACTION,
        )?;
        let phy = self.req(&m, "phy", |cx, n, p| cx.phy_ref(n, p));
        let present = self.opt(&m, "present", |cx, n, p| cx.boolean(n, p));
        let autoneg = self.opt(&m, "autoneg", |cx, n, p| cx.boolean(n, p));
        let advertise = self.opt(&m, "advertise", |cx, n, p| cx.link_modes(n, p));
        let pause = self.opt(&m, "pause", |cx, n, p| cx.choice(n, p, "pause", PAUSES));
        let speed = self.opt(&m, "speed", |cx, n, p| cx.partner_speed(n, p));
        let duplex = self.opt(&m, "duplex", |cx, n, p| cx.choice(n, p, "duplex", DUPLEXES));
        let eee = self.opt(&m, "eee", |cx, n, p| cx.eee_modes(n, p));
        let master_slave = self.opt(&m, "master-slave", |cx, n, p| {
            cx.choice(n, p, "master-slave configuration", MASTER_SLAVE)
        });
        let seed = self.opt(&m, "seed", |cx, n, p| cx.seed(n, p));
        let changes = &PARTNER_ACTION[1..];
        if !self.changes_something(&m, path, changes) {
            return None;
        }
        if present == Some(Some(false)) {
            if let Some(e) = m
                .entries
                .iter()
                .find(|e| changes[1..].contains(&e.key.as_str()))
            {
                let msg = format!(
                    "`present: false` removes the partner; `{}` cannot go with it",
                    e.key
                );
                self.err(e.key_loc, m.path(&e.key), msg);
                return None;
            }
        }
        let check = PartnerEvent {
            loc: m.loc,
            path: path.to_string(),
            speed_key: m.get("speed").map(|e| e.key_loc),
            duplex_key: m.get("duplex").map(|e| e.key_loc),
            has_unknown: m.has_unknown,
        };
        let action = Action::Partner {
            phy: phy?,
            present: present?,
            autoneg: autoneg?,
            advertise: advertise?,
            pause: pause?,
            speed: speed?,
            duplex: duplex?,
            eee: eee?,
            master_slave: master_slave?,
            seed: seed?,
        };
        Some((action, check))
    }

    // ---- expectations ---------------------------------------------------------------------

    fn expect(&mut self, n: &Node, path: &str) -> Option<Vec<Expectation>> {
        let list = self.list(n, path, "a list of expectations", |cx, n, p| {
            cx.expectation(n, p)
        })?;
        if list.is_empty() {
            self.err(n.loc, path, "at least one expectation is needed");
            return None;
        }
        Some(list)
    }

    fn expectation(&mut self, n: &Node, path: &str) -> Option<Expectation> {
        let is_dmesg =
            matches!(&n.value, Value::Map(entries) if entries.iter().any(|e| e.key == "dmesg"));
        if is_dmesg {
            let m = self.map(n, path, "an expectation", DMESG_EXPECT)?;
            let dmesg = self.req(&m, "dmesg", |cx, n, p| {
                cx.choice(n, p, "dmesg expectation", &[("clean", ())])
            });
            let name = self.opt(&m, "name", |cx, n, p| cx.name(n, p));
            dmesg?;
            return Some(Expectation::DmesgClean {
                name: name?.unwrap_or_else(|| "dmesg clean".into()),
                location: m.loc,
            });
        }
        let cable_test = match &n.value {
            Value::Map(entries) => entries
                .iter()
                .find(|e| e.key == "cable-test" || e.key == "cable-test-tdr")
                .map(|e| e.key == "cable-test-tdr"),
            _ => None,
        };
        if let Some(tdr) = cable_test {
            return self.cable_test_expectation(n, path, tdr);
        }
        let is_teardown =
            matches!(&n.value, Value::Map(entries) if entries.iter().any(|e| e.key == "teardown"));
        if is_teardown {
            let m = self.map(n, path, "an expectation", TEARDOWN_EXPECT)?;
            let teardown = self.req(&m, "teardown", |cx, n, p| {
                cx.choice(n, p, "teardown expectation", &[("clean", ())])
            });
            let name = self.opt(&m, "name", |cx, n, p| cx.name(n, p));
            teardown?;
            return Some(Expectation::TeardownClean {
                name: name?.unwrap_or_else(|| "teardown clean".into()),
                location: m.loc,
            });
        }
        let m = self.map(
            n,
            path,
            "an expectation (a mapping with `port` and a window, `dmesg: clean` or `teardown: clean`)",
            PORT_EXPECT,
        )?;
        let name = self.opt(&m, "name", |cx, n, p| cx.name(n, p));
        let port = self.req(&m, "port", |cx, n, p| cx.port_ref(n, p));
        let windows: Vec<&Entry> = m
            .entries
            .iter()
            .filter(|e| e.key == "within" || e.key == "during")
            .collect();
        let window = match windows.as_slice() {
            [] => {
                self.err_unless_misspelt(
                    &m,
                    m.loc,
                    path,
                    "a port expectation needs a window: `within: [from, to]` or `during: [from, to]`",
                );
                None
            }
            [first, second, ..] => {
                let msg = format!(
                    "an expectation has one window; this one already has `{}` (line {})",
                    first.key, first.key_loc.line
                );
                self.err(second.key_loc, m.path(&second.key), msg);
                None
            }
            [one] => self
                .window(&one.value, &m.path(&one.key))
                .map(|(from, to)| {
                    if one.key == "within" {
                        Window::Within(from, to)
                    } else {
                        Window::During(from, to)
                    }
                }),
        };
        let link = self.opt(&m, "link", |cx, n, p| cx.choice(n, p, "link state", LINKS));
        let speed = self.opt(&m, "speed", |cx, n, p| {
            let v = cx.integer(n, p)?;
            match u32::try_from(v) {
                Ok(s) if s > 0 => Some(s),
                _ => {
                    cx.err(
                        n.loc,
                        p,
                        format!("a speed is a positive number of Mb/s, not {v}"),
                    );
                    None
                }
            }
        });
        let duplex = self.opt(&m, "duplex", |cx, n, p| cx.choice(n, p, "duplex", DUPLEXES));
        let phy_driver = self.opt(&m, "phy-driver", |cx, n, p| cx.name(n, p));
        let master_slave = self.opt(&m, "master-slave", |cx, n, p| {
            cx.choice(n, p, "master-slave state", MASTER_SLAVE_STATES)
        });
        let eee = self.opt(&m, "eee", |cx, n, p| {
            cx.choice(n, p, "EEE state", EEE_STATES)
        });
        if !PREDICATES.iter().any(|k| m.has(k)) {
            self.err_unless_misspelt(
                &m,
                m.loc,
                path,
                format!(
                    "a port expectation needs something to check: at least one of {}",
                    backticked(PREDICATES)
                ),
            );
            return None;
        }
        let (port, window, link, speed, duplex, phy_driver, master_slave, eee) = (
            port?,
            window?,
            link?,
            speed?,
            duplex?,
            phy_driver?,
            master_slave?,
            eee?,
        );
        let name = name?.unwrap_or_else(|| {
            let mut name = default_name(&port, &window, link, speed, duplex, phy_driver.as_deref());
            let extra: Vec<String> = [
                master_slave
                    .map(|s| format!("{} {}", "master-slave", word(MASTER_SLAVE_STATES, s))),
                eee.map(|e| format!("eee {}", word(EEE_STATES, e))),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !extra.is_empty() {
                // Before the window words, which end the default name.
                let at = name
                    .rfind(" within ")
                    .or_else(|| name.rfind(" during "))
                    .unwrap_or(name.len());
                name.insert_str(at, &format!(" {}", extra.join(" ")));
            }
            name
        });
        Some(Expectation::Port {
            name,
            port,
            window,
            link,
            speed,
            duplex,
            phy_driver,
            master_slave,
            eee,
            location: m.loc,
        })
    }

    fn cable_test_expectation(&mut self, n: &Node, path: &str, tdr: bool) -> Option<Expectation> {
        let (key, fields) = if tdr {
            ("cable-test-tdr", TDR_EXPECT)
        } else {
            ("cable-test", CABLE_TEST_EXPECT)
        };
        let m = self.map(n, path, "a cable test expectation", fields)?;
        let name = self.opt(&m, "name", |cx, n, p| cx.name(n, p));
        let port = self.req(&m, key, |cx, n, p| cx.port_ref(n, p));
        let window = self.req(&m, "within", |cx, n, p| cx.window(n, p));
        let checks = self.req(&m, "pairs", |cx, n, p| {
            let m = cx.map(
                n,
                p,
                "a mapping from pair (`A`, `B`, `C`, `D`) to what it must show",
                &PAIRS,
            )?;
            if m.entries.is_empty() {
                cx.err(m.loc, p, "name at least one pair to check");
                return None;
            }
            let mut ok = true;
            let mut results = Vec::new();
            let mut traces = Vec::new();
            for pair in PAIRS {
                if tdr {
                    match cx.opt(&m, pair, |cx, n, p| cx.tdr_check(n, p, pair)) {
                        Some(c) => traces.extend(c),
                        None => ok = false,
                    }
                } else {
                    match cx.opt(&m, pair, |cx, n, p| cx.pair_check(n, p, pair)) {
                        Some(c) => results.extend(c),
                        None => ok = false,
                    }
                }
            }
            ok.then_some({
                if tdr {
                    CableChecks::Tdr(traces)
                } else {
                    CableChecks::Results(results)
                }
            })
        });
        let (port, (from, to), checks) = (port?, window?, checks?);
        let window = Window::Within(from, to);
        let name = name?.unwrap_or_else(|| {
            let what: Vec<String> = match &checks {
                CableChecks::Results(c) => c.iter().map(describe_pair_check).collect(),
                CableChecks::Tdr(c) => c.iter().map(describe_tdr_check).collect(),
            };
            format!(
                "{port} {key} {} within {}..{}",
                what.join(" "),
                fmt_duration(from),
                fmt_duration(to)
            )
        });
        Some(Expectation::CableTest {
            name,
            port,
            window,
            checks,
            location: m.loc,
        })
    }

    /// A pair of a `cable-test` expectation: a result name, or a mapping with `result` and the
    /// fault distance.
    fn pair_check(&mut self, n: &Node, path: &str, pair: &str) -> Option<PairCheck> {
        let (result, distance_m, tolerance_m) = if let Value::Map(_) = &n.value {
            let m = self.map(n, path, "a pair check", PAIR_CHECK)?;
            let result = self.req(&m, "result", |cx, n, p| {
                cx.choice(n, p, "cable test result", RESULTS)
            });
            let distance = self.opt(&m, "distance-m", |cx, n, p| cx.length(n, p));
            let tolerance = self.opt(&m, "tolerance-m", |cx, n, p| cx.length(n, p));
            let (result, distance, tolerance) = (result?, distance?, tolerance?);
            let refused =
                (result == PairResult::Ok).then_some("a pair that is `ok` has no fault distance");
            if !self.distance_fits(&m, distance, refused) {
                return None;
            }
            (result, distance, tolerance)
        } else {
            let result = self.choice(n, path, "cable test result", RESULTS)?;
            (result, None, None)
        };
        Some(PairCheck {
            pair: pair.to_string(),
            result,
            distance_m,
            tolerance_m: tolerance_m.unwrap_or(DEFAULT_TOLERANCE_M),
        })
    }

    /// A pair check's `distance-m` and `tolerance-m` agree: a tolerance needs a distance, and
    /// `refused` (why the expected outcome has no place) refuses one. Reports what does not.
    fn distance_fits(&mut self, m: &Map, distance: Option<f64>, refused: Option<&str>) -> bool {
        if distance.is_none() {
            if let Some(e) = m.get("tolerance-m") {
                let msg = "a tolerance needs `distance-m`";
                self.err(e.key_loc, m.path("tolerance-m"), msg);
                return false;
            }
        }
        if let (Some(msg), Some(e)) = (refused, m.get("distance-m")) {
            self.err(e.key_loc, m.path("distance-m"), msg);
            return false;
        }
        true
    }

    /// A pair of a `cable-test-tdr` expectation: a reflection sign, or a mapping with
    /// `reflection` and where it is.
    fn tdr_check(&mut self, n: &Node, path: &str, pair: &str) -> Option<TdrCheck> {
        let (reflection, distance_m, tolerance_m, threshold_mv) = if let Value::Map(_) = &n.value {
            let m = self.map(n, path, "a TDR pair check", TDR_CHECK)?;
            let reflection = self.req(&m, "reflection", |cx, n, p| {
                cx.choice(n, p, "reflection", REFLECTIONS)
            });
            let distance = self.opt(&m, "distance-m", |cx, n, p| cx.length(n, p));
            let tolerance = self.opt(&m, "tolerance-m", |cx, n, p| cx.length(n, p));
            let threshold = self.opt(&m, "threshold-mv", |cx, n, p| {
                let v = cx.integer(n, p)?;
                match i32::try_from(v) {
                    Ok(mv) if mv > 0 => Some(mv),
                    _ => {
                        cx.err(
                            n.loc,
                            p,
                            format!("a threshold is a positive number of mV, not {v}"),
                        );
                        None
                    }
                }
            });
            let (reflection, distance, tolerance, threshold) =
                (reflection?, distance?, tolerance?, threshold?);
            let refused =
                (reflection == Reflection::None).then_some("`reflection: none` has no distance");
            if !self.distance_fits(&m, distance, refused) {
                return None;
            }
            (reflection, distance, tolerance, threshold)
        } else {
            let reflection = self.choice(n, path, "reflection", REFLECTIONS)?;
            (reflection, None, None, None)
        };
        Some(TdrCheck {
            pair: pair.to_string(),
            reflection,
            distance_m,
            tolerance_m: tolerance_m.unwrap_or(DEFAULT_TOLERANCE_M),
            threshold_mv: threshold_mv.unwrap_or(DEFAULT_THRESHOLD_MV),
        })
    }

    /// Every cable test expectation needs a test of its kind on its port that can complete in
    /// its window: the timeline has to run it.
    fn check_cable_tests(&mut self, timeline: &[Event], expect: &[Expectation]) {
        for (i, e) in expect.iter().enumerate() {
            let Expectation::CableTest {
                port,
                window,
                checks,
                location,
                ..
            } = e
            else {
                continue;
            };
            let tdr = matches!(checks, CableChecks::Tdr(_));
            let ran = timeline.iter().any(|ev| {
                matches!(&ev.action, Action::CableTest { port: p, tdr: t }
                    if p == port && t.is_some() == tdr && ev.at <= window.to())
            });
            if !ran {
                let what = if tdr {
                    "a `cable-test` event with `tdr: true`"
                } else {
                    "a `cable-test` event"
                };
                let msg = format!(
                    "no test to check: the timeline needs {what} on {port} at or before {}",
                    fmt_duration(window.to())
                );
                self.err(*location, index("expect", i), msg);
            }
        }
    }

    fn window(&mut self, n: &Node, path: &str) -> Option<(Duration, Duration)> {
        let Value::Seq(items) = &n.value else {
            self.err(
                n.loc,
                path,
                format!("expected a window `[from, to]`, found {}", found(n)),
            );
            return None;
        };
        let [from_node, to_node] = items.as_slice() else {
            let msg = format!(
                "a window is two times, `[from, to]`; this one has {}",
                items.len()
            );
            self.err(n.loc, path, msg);
            return None;
        };
        let from = self.duration(from_node, &index(path, 0));
        let to = self.instant(to_node, &index(path, 1), "the window ends at {t}, after");
        let (from, to) = (from?, to?);
        if from > to {
            let msg = format!(
                "the window starts at {}, after its end at {}",
                fmt_duration(from),
                fmt_duration(to)
            );
            self.err(n.loc, path, msg);
            return None;
        }
        Some((from, to))
    }
}

/// The file's word for `value` among `options`.
fn word<T: PartialEq + Copy>(options: &[(&'static str, T)], value: T) -> &'static str {
    options
        .iter()
        .find(|(_, v)| *v == value)
        .map_or("?", |(w, _)| *w)
}

fn describe_pair_check(c: &PairCheck) -> String {
    let result = RESULTS
        .iter()
        .find(|(_, r)| *r == c.result)
        .map_or("?", |(n, _)| *n);
    match c.distance_m {
        Some(d) => format!("{}:{result}@{d}m", c.pair),
        None => format!("{}:{result}", c.pair),
    }
}

fn describe_tdr_check(c: &TdrCheck) -> String {
    let r = REFLECTIONS
        .iter()
        .find(|(_, r)| *r == c.reflection)
        .map_or("?", |(n, _)| *n);
    match c.distance_m {
        Some(d) => format!("{}:{r}@{d}m", c.pair),
        None => format!("{}:{r}", c.pair),
    }
}

/// A readable name, like `eth0 link up 1000/full phy-driver "Marvell 88E1510" within 0s..5s`.
fn default_name(
    port: &str,
    window: &Window,
    link: Option<LinkState>,
    speed: Option<u32>,
    duplex: Option<Duplex>,
    phy_driver: Option<&str>,
) -> String {
    let mut parts = vec![port.to_string()];
    match link {
        Some(LinkState::Up) => parts.push("link up".into()),
        Some(LinkState::Down) => parts.push("link down".into()),
        None => {}
    }
    let duplex = duplex.map(|d| match d {
        Duplex::Half => "half",
        Duplex::Full => "full",
    });
    match (speed, duplex) {
        (Some(s), Some(d)) => parts.push(format!("{s}/{d}")),
        (Some(s), None) => parts.push(format!("speed {s}")),
        (None, Some(d)) => parts.push(format!("duplex {d}")),
        (None, None) => {}
    }
    if let Some(d) = phy_driver {
        parts.push(format!("phy-driver \"{d}\""));
    }
    let (word, from, to) = match *window {
        Window::Within(from, to) => ("within", from, to),
        Window::During(from, to) => ("during", from, to),
    };
    parts.push(format!(
        "{word} {}..{}",
        fmt_duration(from),
        fmt_duration(to)
    ));
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `schema.json` (for editors) names exactly the fields the checker accepts.
    #[test]
    fn the_json_schema_has_the_same_fields() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../schema.json")).unwrap();
        let fields = |v: &serde_json::Value| -> Vec<String> {
            v["properties"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect()
        };
        let defs = &schema["$defs"];
        for (def, expected) in [
            (&schema, TOP),
            (&defs["board"], BOARD),
            (&defs["bus"], BUS),
            (&defs["phy"], PHY),
            (&defs["timing"], TIMING),
            (&defs["cable"], CABLE),
            (&defs["partner"], PARTNER),
            (&defs["port"], PORT),
            (&defs["event"], EVENT),
            (&defs["cableAction"], CABLE_ACTION),
            (&defs["cableTestAction"], CABLE_TEST_ACTION),
            (&defs["linkSettingsAction"], LINK_SETTINGS_ACTION),
            (&defs["eeeSettingsAction"], EEE_SETTINGS_ACTION),
            (&defs["fault"], FAULT),
            (&defs["faults"], &PAIRS),
            (&defs["cableTestExpectation"], CABLE_TEST_EXPECT),
            (&defs["cableTestTdrExpectation"], TDR_EXPECT),
            (&defs["pairCheck"]["oneOf"][1], PAIR_CHECK),
            (&defs["tdrCheck"]["oneOf"][1], TDR_CHECK),
            (&defs["partnerAction"], PARTNER_ACTION),
            (&defs["portExpectation"], PORT_EXPECT),
            (&defs["dmesgExpectation"], DMESG_EXPECT),
            (&defs["teardownExpectation"], TEARDOWN_EXPECT),
        ] {
            let mut got = fields(def);
            let mut want: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
            got.sort();
            want.sort();
            assert_eq!(got, want);
            assert_eq!(def["additionalProperties"], false);
        }
        let modes: Vec<&str> = defs["linkModes"]["items"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(modes, LINK_MODES);
        let phy_modes: Vec<&str> = defs["port"]["properties"]["phy-mode"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(phy_modes, PHY_MODES);
    }
}
