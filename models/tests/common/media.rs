//! Link partners and cables: what the replays plug their PHYs into. Every partner here is at
//! the end of a healthy 5 m, 4-pair cable unless said otherwise.

use phy_sim_models::{
    FaultKind, LinkMode, LinkModes, LinkPartner, MasterSlave, Medium, PairFault, Pause,
};

/// A partner negotiating every mode, without pause or EEE.
pub fn full_partner() -> Medium {
    Medium::cable_to(LinkPartner::negotiating(LinkModes::all()), 5.0)
}

/// Every full-duplex mode, 10BASE-T to 10GBASE-T.
pub const ALL_FULL: [LinkMode; 6] = [
    LinkMode::BaseT10Full,
    LinkMode::BaseT100Full,
    LinkMode::BaseT1000Full,
    LinkMode::BaseT2500Full,
    LinkMode::BaseT5000Full,
    LinkMode::BaseT10000Full,
];

pub const FORCED_MASTER: MasterSlave = MasterSlave::Manual { master: true };
pub const FORCED_SLAVE: MasterSlave = MasterSlave::Manual { master: false };

/// A partner negotiating every mode with `pause`.
pub fn full_partner_pausing(pause: Pause) -> Medium {
    Medium::cable_to(
        LinkPartner {
            pause,
            ..LinkPartner::negotiating(LinkModes::all())
        },
        5.0,
    )
}

/// A partner negotiating `m` alone.
pub fn only(m: LinkMode) -> Medium {
    Medium::cable_to(LinkPartner::negotiating([m].into_iter().collect()), 5.0)
}

/// A partner negotiating `modes`.
pub fn negotiating(modes: &[LinkMode]) -> Medium {
    Medium::cable_to(
        LinkPartner::negotiating(modes.iter().copied().collect()),
        5.0,
    )
}

/// A partner negotiating every mode with the `master_slave` configuration, advertising EEE
/// for `eee`.
pub fn configured(master_slave: MasterSlave, eee: &[LinkMode]) -> Medium {
    configured_with(&LinkMode::ALL, master_slave, eee)
}

/// `configured`, negotiating `modes`.
pub fn configured_with(modes: &[LinkMode], master_slave: MasterSlave, eee: &[LinkMode]) -> Medium {
    Medium::cable_to(
        LinkPartner {
            master_slave,
            eee: eee.iter().copied().collect(),
            ..LinkPartner::negotiating(modes.iter().copied().collect())
        },
        5.0,
    )
}

/// A fault of `kind` on a pair, `distance_m` from the PHY.
pub fn fault(kind: FaultKind, distance_m: f64) -> Option<PairFault> {
    Some(PairFault { kind, distance_m })
}

/// `full_partner` at the end of a `length_m` cable with a fault (kind, distance) on each
/// pair A-D given one.
pub fn faulty(length_m: f64, faults: [Option<(FaultKind, f64)>; 4]) -> Medium {
    let mut m = full_partner();
    m.cable.length_m = length_m;
    m.cable.faults = faults.map(|f| f.and_then(|(kind, distance_m)| fault(kind, distance_m)));
    m
}
