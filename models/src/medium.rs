//! What is at the other end of the PHY's MDI: the cable and the link partner, and the link that
//! results. These are the scenario-facing types; they carry no timing.

use serde::Serialize;
use std::fmt;

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Speed {
    S10,
    S100,
    S1000,
    /// 2.5GBASE-T (IEEE 802.3 clause 126).
    S2500,
    /// 5GBASE-T (IEEE 802.3 clause 126).
    S5000,
    /// 10GBASE-T (IEEE 802.3 clause 55).
    S10000,
}

impl Speed {
    pub fn mbps(self) -> u32 {
        match self {
            Speed::S10 => 10,
            Speed::S100 => 100,
            Speed::S1000 => 1000,
            Speed::S2500 => 2500,
            Speed::S5000 => 5000,
            Speed::S10000 => 10000,
        }
    }

    /// 2.5G, 5G or 10GBASE-T: full duplex only, trained like 10GBASE-T.
    pub fn is_multigig(self) -> bool {
        self > Speed::S1000
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Duplex {
    Half,
    Full,
}

/// A twisted-pair link mode, named as ethtool names it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum LinkMode {
    BaseT10Half,
    BaseT10Full,
    BaseT100Half,
    BaseT100Full,
    BaseT1000Half,
    BaseT1000Full,
    BaseT2500Full,
    BaseT5000Full,
    BaseT10000Full,
}

impl LinkMode {
    /// Every mode, lowest priority first (IEEE 802.3 Annex 28B.3 priority order ascending:
    /// 10GBASE-T > 5GBASE-T > 2.5GBASE-T > 1000BASE-T FD > ...).
    pub const ALL: [LinkMode; 9] = [
        LinkMode::BaseT10Half,
        LinkMode::BaseT10Full,
        LinkMode::BaseT100Half,
        LinkMode::BaseT100Full,
        LinkMode::BaseT1000Half,
        LinkMode::BaseT1000Full,
        LinkMode::BaseT2500Full,
        LinkMode::BaseT5000Full,
        LinkMode::BaseT10000Full,
    ];

    /// The 10/100/1000BASE-T modes, lowest priority first: what a gigabit PHY supports.
    pub const GIGABIT: [LinkMode; 6] = [
        LinkMode::BaseT10Half,
        LinkMode::BaseT10Full,
        LinkMode::BaseT100Half,
        LinkMode::BaseT100Full,
        LinkMode::BaseT1000Half,
        LinkMode::BaseT1000Full,
    ];

    /// The mode of `speed`/`duplex`. The multi-gigabit BASE-T PHYs are full duplex only: a
    /// half-duplex request gives the full-duplex mode.
    pub fn new(speed: Speed, duplex: Duplex) -> LinkMode {
        match (speed, duplex) {
            (Speed::S10, Duplex::Half) => LinkMode::BaseT10Half,
            (Speed::S10, Duplex::Full) => LinkMode::BaseT10Full,
            (Speed::S100, Duplex::Half) => LinkMode::BaseT100Half,
            (Speed::S100, Duplex::Full) => LinkMode::BaseT100Full,
            (Speed::S1000, Duplex::Half) => LinkMode::BaseT1000Half,
            (Speed::S1000, Duplex::Full) => LinkMode::BaseT1000Full,
            (Speed::S2500, _) => LinkMode::BaseT2500Full,
            (Speed::S5000, _) => LinkMode::BaseT5000Full,
            (Speed::S10000, _) => LinkMode::BaseT10000Full,
        }
    }

    pub fn ethtool_name(self) -> &'static str {
        match self {
            LinkMode::BaseT10Half => "10baseT/Half",
            LinkMode::BaseT10Full => "10baseT/Full",
            LinkMode::BaseT100Half => "100baseT/Half",
            LinkMode::BaseT100Full => "100baseT/Full",
            LinkMode::BaseT1000Half => "1000baseT/Half",
            LinkMode::BaseT1000Full => "1000baseT/Full",
            LinkMode::BaseT2500Full => "2500baseT/Full",
            LinkMode::BaseT5000Full => "5000baseT/Full",
            LinkMode::BaseT10000Full => "10000baseT/Full",
        }
    }

    pub fn from_ethtool_name(name: &str) -> Option<LinkMode> {
        LinkMode::ALL.into_iter().find(|m| m.ethtool_name() == name)
    }

    pub fn speed(self) -> Speed {
        match self {
            LinkMode::BaseT10Half | LinkMode::BaseT10Full => Speed::S10,
            LinkMode::BaseT100Half | LinkMode::BaseT100Full => Speed::S100,
            LinkMode::BaseT1000Half | LinkMode::BaseT1000Full => Speed::S1000,
            LinkMode::BaseT2500Full => Speed::S2500,
            LinkMode::BaseT5000Full => Speed::S5000,
            LinkMode::BaseT10000Full => Speed::S10000,
        }
    }

    pub fn duplex(self) -> Duplex {
        match self {
            LinkMode::BaseT10Half | LinkMode::BaseT100Half | LinkMode::BaseT1000Half => {
                Duplex::Half
            }
            _ => Duplex::Full,
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

impl fmt::Display for LinkMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.ethtool_name())
    }
}

/// A set of link modes.
#[derive(Copy, Clone, Default, PartialEq, Eq, Hash)]
pub struct LinkModes(u16);

impl LinkModes {
    pub const EMPTY: LinkModes = LinkModes(0);

    pub fn all() -> LinkModes {
        LinkMode::ALL.into_iter().collect()
    }

    pub fn contains(self, m: LinkMode) -> bool {
        self.0 & m.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn insert(&mut self, m: LinkMode) {
        self.0 |= m.bit();
    }

    pub fn remove(&mut self, m: LinkMode) {
        self.0 &= !m.bit();
    }

    pub fn with(mut self, m: LinkMode, present: bool) -> LinkModes {
        if present {
            self.insert(m);
        } else {
            self.remove(m);
        }
        self
    }

    pub fn intersection(self, other: LinkModes) -> LinkModes {
        LinkModes(self.0 & other.0)
    }

    /// Whether any mode of `speed` (either duplex) is in the set.
    pub fn has_speed(self, speed: Speed) -> bool {
        self.contains(LinkMode::new(speed, Duplex::Half))
            || self.contains(LinkMode::new(speed, Duplex::Full))
    }

    /// Whether any 2.5G, 5G or 10GBASE-T mode is in the set.
    pub fn has_multigig(self) -> bool {
        self.iter().any(|m| m.speed().is_multigig())
    }

    pub fn without_speed(self, speed: Speed) -> LinkModes {
        self.with(LinkMode::new(speed, Duplex::Half), false)
            .with(LinkMode::new(speed, Duplex::Full), false)
    }

    /// The highest common denominator: the highest-priority mode in the set.
    pub fn highest(self) -> Option<LinkMode> {
        LinkMode::ALL.into_iter().rev().find(|m| self.contains(*m))
    }

    pub fn iter(self) -> impl Iterator<Item = LinkMode> {
        LinkMode::ALL.into_iter().filter(move |m| self.contains(*m))
    }
}

impl FromIterator<LinkMode> for LinkModes {
    fn from_iter<I: IntoIterator<Item = LinkMode>>(iter: I) -> Self {
        let mut set = LinkModes::EMPTY;
        for m in iter {
            set.insert(m);
        }
        set
    }
}

impl fmt::Debug for LinkModes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.iter().map(LinkMode::ethtool_name))
            .finish()
    }
}

impl Serialize for LinkModes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter().map(LinkMode::ethtool_name))
    }
}

/// The pause abilities a station advertises (IEEE 802.3 Annex 28B.2: PAUSE and ASM_DIR bits).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub enum Pause {
    #[default]
    None,
    /// PAUSE=1, ASM_DIR=0.
    Symmetric,
    /// PAUSE=0, ASM_DIR=1.
    Asymmetric,
    /// PAUSE=1, ASM_DIR=1.
    Both,
}

impl Pause {
    pub fn from_bits(pause: bool, asym_dir: bool) -> Pause {
        match (pause, asym_dir) {
            (false, false) => Pause::None,
            (true, false) => Pause::Symmetric,
            (false, true) => Pause::Asymmetric,
            (true, true) => Pause::Both,
        }
    }

    /// The PAUSE bit (Annex 28B.2 A5).
    pub fn pause_bit(self) -> bool {
        matches!(self, Pause::Symmetric | Pause::Both)
    }

    /// The ASM_DIR bit (Annex 28B.2 A6).
    pub fn asym_dir_bit(self) -> bool {
        matches!(self, Pause::Asymmetric | Pause::Both)
    }
}

/// The resolved use of PAUSE frames on a link, from the local station's side.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct FlowControl {
    /// The local MAC may send PAUSE frames.
    pub tx: bool,
    /// The local MAC honours received PAUSE frames.
    pub rx: bool,
}

/// The twisted pairs of an 8P8C cable, named as ethtool names them: A = pins 1-2, B = 3-6,
/// C = 4-5, D = 7-8. 10BASE-T and 100BASE-TX use A and B.
pub const PAIR_NAMES: [char; 4] = ['A', 'B', 'C', 'D'];

/// A wiring fault on one pair, as a time-domain reflectometer sees it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FaultKind {
    /// A conductor broken: the pulse comes back in phase.
    Open,
    /// The pair's two conductors touching: the pulse comes back inverted.
    Short,
    /// A conductor touching one of another pair: the pulse shows up on that pair.
    CrossShort,
    /// A kink, a bad splice, the wrong cable type: a partial reflection.
    ImpedanceMismatch,
}

#[derive(Copy, Clone, Debug, PartialEq, Serialize)]
pub struct PairFault {
    pub kind: FaultKind,
    /// From the PHY's connector.
    pub distance_m: f64,
}

/// What a cable test of one pair finds, whatever the PHY's encoding of it.
#[derive(Copy, Clone, Debug, PartialEq, Serialize)]
pub enum PairReport {
    /// Terminated at the far end by a powered partner: no reflection.
    Ok,
    /// A fault, or (`FaultKind::Open`) an unterminated end: a reflection at `distance_m`.
    Fault { kind: FaultKind, distance_m: f64 },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cable {
    pub connected: bool,
    /// Wired pairs: 1000BASE-T and the multi-gigabit modes need 4; 10BASE-T and 100BASE-TX
    /// run on 2 (A and B).
    pub pairs: u8,
    pub length_m: f64,
    /// Faults of pairs A-D. A faulty pair carries no signal.
    pub faults: [Option<PairFault>; 4],
}

impl Cable {
    /// A healthy 4-pair cable of `length_m`.
    pub fn healthy(length_m: f64) -> Cable {
        Cable {
            connected: true,
            pairs: 4,
            length_m,
            faults: [None; 4],
        }
    }

    /// Pair `pair` (0 = A) is wired end to end and carries a signal.
    pub fn pair_works(&self, pair: usize) -> bool {
        self.connected && pair < usize::from(self.pairs) && self.faults[pair].is_none()
    }

    pub fn supports(&self, speed: Speed) -> bool {
        match speed {
            Speed::S1000 | Speed::S2500 | Speed::S5000 | Speed::S10000 => {
                (0..4).all(|p| self.pair_works(p))
            }
            Speed::S10 | Speed::S100 => self.pair_works(0) && self.pair_works(1),
        }
    }
}

/// A station's 1000BASE-T MASTER-SLAVE configuration (IEEE 802.3 40.5.1.2; 1000BASE-T control
/// register 9.12..10). The multi-gigabit BASE-T modes use the same configuration from the
/// 10GBASE-T AN control register 7.32.15..13.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum MasterSlave {
    /// Resolved against the partner. `prefer_master` is the port type (9.10 / 7.32.13): a
    /// multiport device (switch, repeater) prefers MASTER, a single-port device (a NIC) SLAVE.
    Auto { prefer_master: bool },
    /// Manual configuration (9.12 / 7.32.15) to MASTER or SLAVE (9.11 / 7.32.14).
    Manual { master: bool },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinkPartner {
    pub autoneg: bool,
    /// What the partner advertises when it negotiates.
    pub advertise: LinkModes,
    pub pause: Pause,
    /// Speed and duplex the partner forces when it does not negotiate.
    pub forced: Option<(Speed, Duplex)>,
    /// The modes the partner advertises EEE for in its EEE technology message page (what its
    /// own 7.60 / 7.62 hold). Only `eee::capable` modes count: 100BASE-TX, 1000BASE-T,
    /// 2.5G/5G/10GBASE-T, full duplex.
    pub eee: LinkModes,
    /// The partner's MASTER-SLAVE configuration.
    pub master_slave: MasterSlave,
    /// The partner's MASTER-SLAVE seed (SB0..SB10 of its 1000BASE-T next page, 11 bits; higher
    /// bits are ignored), compared with `resolve::LOCAL_SEED` when both ends are automatic with
    /// the same port type.
    pub seed: u16,
}

impl LinkPartner {
    /// The partner's master/slave configuration unless a scenario says otherwise: automatic
    /// and multiport, like the switch port a board is usually cabled to. With the seed 0 it
    /// loses seed comparisons, so a single-port PHY (every model's reset state) resolves SLAVE
    /// by port type, and a PHY set to prefer MASTER gets it.
    pub const DEFAULT_MASTER_SLAVE: MasterSlave = MasterSlave::Auto {
        prefer_master: true,
    };

    /// A partner that negotiates and advertises `advertise`, without pause or EEE, with the
    /// default master/slave configuration and seed 0.
    pub fn negotiating(advertise: LinkModes) -> LinkPartner {
        LinkPartner {
            autoneg: true,
            advertise,
            pause: Pause::None,
            forced: None,
            eee: LinkModes::EMPTY,
            master_slave: LinkPartner::DEFAULT_MASTER_SLAVE,
            seed: 0,
        }
    }

    /// A partner with autonegotiation off, forcing `speed`/`duplex`.
    pub fn forcing(speed: Speed, duplex: Duplex) -> LinkPartner {
        LinkPartner {
            autoneg: false,
            advertise: LinkModes::EMPTY,
            pause: Pause::None,
            forced: Some((speed, duplex)),
            eee: LinkModes::EMPTY,
            master_slave: LinkPartner::DEFAULT_MASTER_SLAVE,
            seed: 0,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Medium {
    pub cable: Cable,
    pub partner: Option<LinkPartner>,
}

impl Medium {
    /// No cable in the jack.
    pub fn unplugged() -> Medium {
        Medium {
            cable: Cable {
                connected: false,
                ..Cable::healthy(0.0)
            },
            partner: None,
        }
    }

    /// A 4-pair cable of `length_m` to `partner`.
    pub fn cable_to(partner: LinkPartner, length_m: f64) -> Medium {
        Medium {
            cable: Cable::healthy(length_m),
            partner: Some(partner),
        }
    }

    /// The partner, if a cable connects it on pairs A and B: only then is there energy on
    /// the wire.
    pub fn reachable_partner(&self) -> Option<&LinkPartner> {
        self.partner
            .as_ref()
            .filter(|_| self.cable.supports(Speed::S10))
    }

    /// What a cable test on `pair` (0 = A) finds. A partner terminates the pairs it has;
    /// without one, the far end is open. A pair the cable lacks, or an empty jack, is open at
    /// the connector.
    pub fn pair_report(&self, pair: usize) -> PairReport {
        let cable = &self.cable;
        if !cable.connected || pair >= usize::from(cable.pairs) {
            return PairReport::Fault {
                kind: FaultKind::Open,
                distance_m: 0.0,
            };
        }
        if let Some(f) = cable.faults[pair] {
            return PairReport::Fault {
                kind: f.kind,
                distance_m: f.distance_m.min(cable.length_m),
            };
        }
        match self.partner {
            Some(_) => PairReport::Ok,
            None => PairReport::Fault {
                kind: FaultKind::Open,
                distance_m: cable.length_m,
            },
        }
    }
}

/// The link as the MAC side sees it.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LinkState {
    pub up: bool,
    /// `None` while the link is down.
    pub speed: Option<Speed>,
    /// `None` while the link is down.
    pub duplex: Option<Duplex>,
    /// Resolved flow control; both false while the link is down or half duplex.
    pub pause: FlowControl,
    /// The PHY is electrically isolated from the MAC (BMCR.10): the media link may be up, but
    /// no data passes.
    pub isolated: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_reports_follow_the_wiring() {
        let mut m = Medium::cable_to(LinkPartner::negotiating(LinkModes::all()), 30.0);
        assert_eq!(m.pair_report(2), PairReport::Ok);
        m.cable.faults[2] = Some(PairFault {
            kind: FaultKind::Short,
            distance_m: 12.0,
        });
        assert_eq!(
            m.pair_report(2),
            PairReport::Fault {
                kind: FaultKind::Short,
                distance_m: 12.0
            }
        );
        // A pair C fault costs gigabit, not the link.
        assert!(!m.cable.supports(Speed::S1000) && m.reachable_partner().is_some());
        m.cable.faults[1] = Some(PairFault {
            kind: FaultKind::Open,
            distance_m: 50.0,
        });
        assert!(m.reachable_partner().is_none());
        // A fault beyond the cable's end is at its end.
        assert_eq!(
            m.pair_report(1),
            PairReport::Fault {
                kind: FaultKind::Open,
                distance_m: 30.0
            }
        );
        m.partner = None;
        assert_eq!(
            m.pair_report(0),
            PairReport::Fault {
                kind: FaultKind::Open,
                distance_m: 30.0
            }
        );
        m.cable.pairs = 2;
        assert_eq!(
            m.pair_report(3),
            PairReport::Fault {
                kind: FaultKind::Open,
                distance_m: 0.0
            }
        );
    }

    #[test]
    fn ethtool_names_round_trip() {
        for m in LinkMode::ALL {
            assert_eq!(LinkMode::from_ethtool_name(m.ethtool_name()), Some(m));
            assert_eq!(LinkMode::new(m.speed(), m.duplex()), m);
        }
        assert_eq!(LinkMode::from_ethtool_name("1000baseX/Full"), None);
        assert_eq!(LinkMode::from_ethtool_name("100baset/full"), None);
    }

    #[test]
    fn highest_follows_802_3_priority() {
        let set: LinkModes = [LinkMode::BaseT10Full, LinkMode::BaseT100Half]
            .into_iter()
            .collect();
        assert_eq!(set.highest(), Some(LinkMode::BaseT100Half));
        assert_eq!(LinkModes::all().highest(), Some(LinkMode::BaseT10000Full));
        let gig: LinkModes = LinkMode::ALL[..6].iter().copied().collect();
        assert_eq!(gig.highest(), Some(LinkMode::BaseT1000Full));
        assert_eq!(
            LinkModes::all()
                .without_speed(Speed::S10000)
                .without_speed(Speed::S5000)
                .highest(),
            Some(LinkMode::BaseT2500Full)
        );
        assert_eq!(LinkModes::EMPTY.highest(), None);
        assert_eq!(
            gig.without_speed(Speed::S1000).highest(),
            Some(LinkMode::BaseT100Full)
        );
    }
}
