//! The property tests' random guest activity: proptest strategies, and the changes to the
//! medium they make (the register accesses and what they check are each model's own).
//!
//! The strategies draw as the tests always drew (the same ranges, types and weights), so the
//! saved regression seeds replay the same cases.

use phy_sim_models::{
    Duplex, FaultKind, Instant, LinkMode, LinkModes, LinkPartner, MasterSlave, MdioDevice, Medium,
    PairFault, Phy, Speed,
};
use proptest::prelude::*;
use std::time::Duration;

/// A change to the cable or the partner.
#[derive(Clone, Debug)]
pub enum MediumAct {
    /// The cable plugged in or pulled.
    Plug(bool),
    /// A partner from bits ([`gigabit_partner`]), negotiating or forcing.
    Partner(u8, bool),
    /// Pair, fault kind ([`KINDS`]; 4: none, the pair mended), distance in metres.
    Fault(usize, usize, f64),
    /// A negotiating partner: advertised modes and EEE modes (bit n: `LinkMode::ALL[n]`),
    /// master/slave configuration, seed.
    AnyPartner(u16, u16, MasterSlave, u16),
}

pub const KINDS: [FaultKind; 4] = [
    FaultKind::Open,
    FaultKind::Short,
    FaultKind::CrossShort,
    FaultKind::ImpedanceMismatch,
];

/// Milliseconds of guest time to let pass, 0 to 3 s.
pub fn wait_ms() -> impl Strategy<Value = u64> {
    0u64..3_000
}

pub fn plug() -> impl Strategy<Value = MediumAct> {
    any::<bool>().prop_map(MediumAct::Plug)
}

pub fn partner() -> impl Strategy<Value = MediumAct> {
    (any::<u8>(), any::<bool>()).prop_map(|(m, an)| MediumAct::Partner(m, an))
}

/// A fault of any kind 3 m down a pair, or a mended pair.
pub fn fault_at_3m() -> impl Strategy<Value = MediumAct> {
    (0usize..4, 0usize..5).prop_map(|(p, k)| MediumAct::Fault(p, k, 3.0))
}

/// A fault of any kind 0-255 m down a pair, or a mended pair.
pub fn fault_anywhere() -> impl Strategy<Value = MediumAct> {
    (0usize..4, 0u8..5, any::<u8>())
        .prop_map(|(p, k, d)| MediumAct::Fault(p, usize::from(k), f64::from(d)))
}

/// Any negotiating partner of the first 9 modes, with any master/slave configuration and seed.
pub fn any_partner() -> impl Strategy<Value = MediumAct> {
    (0u16..512, 0u16..512, master_slave(), any::<u16>())
        .prop_map(|(a, e, ms, seed)| MediumAct::AnyPartner(a, e, ms, seed))
}

pub fn master_slave() -> impl Strategy<Value = MasterSlave> {
    prop_oneof![
        any::<bool>().prop_map(|prefer_master| MasterSlave::Auto { prefer_master }),
        any::<bool>().prop_map(|master| MasterSlave::Manual { master }),
    ]
}

/// The modes of `bits` (bit n: `LinkMode::ALL[n]`).
pub fn modes(bits: u16) -> LinkModes {
    LinkMode::ALL
        .into_iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .map(|(_, m)| m)
        .collect()
}

/// A 10/100/1000BASE-T partner from `bits`: bits 5:0 the modes (`LinkMode::GIGABIT` order).
/// Negotiating (`autoneg`), it advertises EEE for them too, has the local seed, and bits 7:6
/// are its master/slave configuration, a fault against a PHY's reset configuration
/// (automatic single-port) for 3; forcing, the highest of them, full duplex.
pub fn gigabit_partner(bits: u8, autoneg: bool) -> LinkPartner {
    let advertise: LinkModes = LinkMode::GIGABIT
        .into_iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .map(|(_, m)| m)
        .collect();
    let master_slave = match bits >> 6 {
        0 => LinkPartner::DEFAULT_MASTER_SLAVE,
        1 => MasterSlave::Manual { master: true },
        2 => MasterSlave::Manual { master: false },
        _ => MasterSlave::Auto {
            prefer_master: false,
        },
    };
    if autoneg {
        LinkPartner {
            master_slave,
            seed: phy_sim_models::resolve::LOCAL_SEED,
            eee: advertise,
            ..LinkPartner::negotiating(advertise)
        }
    } else {
        LinkPartner::forcing(
            advertise.highest().map_or(Speed::S10, LinkMode::speed),
            Duplex::Full,
        )
    }
}

impl MediumAct {
    /// Makes the change to `medium` and gives the PHY the result at `now`; an unplug must
    /// drop the link at once.
    pub fn apply(
        &self,
        phy: &mut dyn Phy,
        now: Instant,
        medium: &mut Medium,
    ) -> Result<(), TestCaseError> {
        match *self {
            MediumAct::Plug(connected) => medium.cable.connected = connected,
            MediumAct::Partner(bits, autoneg) => {
                medium.partner = Some(gigabit_partner(bits, autoneg));
            }
            MediumAct::Fault(pair, kind, distance_m) => {
                medium.cable.faults[pair] =
                    KINDS.get(kind).map(|&kind| PairFault { kind, distance_m });
            }
            MediumAct::AnyPartner(advertise, eee, master_slave, seed) => {
                medium.partner = Some(LinkPartner {
                    eee: modes(eee),
                    master_slave,
                    seed,
                    ..LinkPartner::negotiating(modes(advertise))
                });
            }
        }
        phy.set_medium(now, medium.clone());
        if let MediumAct::Plug(false) = self {
            prop_assert!(!phy.link_state().up, "unplug drops the link at once");
        }
        Ok(())
    }
}

/// `ms` of guest time: the PHY runs up to `now` and has nothing left due by then.
pub fn wait(phy: &mut dyn MdioDevice, now: &mut Instant, ms: u64) -> Result<(), TestCaseError> {
    *now = *now + Duration::from_millis(ms);
    phy.advance(*now);
    prop_assert!(phy.next_deadline().is_none_or(|d| d > *now));
    Ok(())
}

/// Random Clause 22 activity on an unpaged register map.
pub mod c22 {
    use super::*;

    #[derive(Clone, Debug)]
    pub enum Act {
        Read(u8),
        Write(u8, u16),
        Wait(u64),
        Medium(MediumAct),
    }

    /// Reads and writes of any register, waits, plugs and partners.
    pub fn act() -> impl Strategy<Value = Act> {
        prop_oneof![
            4 => (0u8..32).prop_map(Act::Read),
            2 => (0u8..32, any::<u16>()).prop_map(|(r, v)| Act::Write(r, v)),
            3 => wait_ms().prop_map(Act::Wait),
            1 => plug().prop_map(Act::Medium),
            1 => partner().prop_map(Act::Medium),
        ]
    }

    /// `act`, and faults 3 m down a pair.
    pub fn act_with_faults() -> impl Strategy<Value = Act> {
        prop_oneof![
            4 => (0u8..32).prop_map(Act::Read),
            2 => (0u8..32, any::<u16>()).prop_map(|(r, v)| Act::Write(r, v)),
            3 => wait_ms().prop_map(Act::Wait),
            1 => plug().prop_map(Act::Medium),
            1 => partner().prop_map(Act::Medium),
            1 => fault_at_3m().prop_map(Act::Medium),
        ]
    }
}

/// Random Clause 45 activity.
pub mod c45 {
    use super::*;

    #[derive(Clone, Debug)]
    pub enum Act {
        Read(u8, u16),
        Write(u8, u16, u16),
        Sleep(u16),
        Medium(MediumAct),
    }

    /// Reads and writes of `regs` (MMD, register), sleeps, plugs and any partner.
    pub fn act(regs: &[(u8, u16)]) -> impl Strategy<Value = Act> {
        let reg = proptest::sample::select(regs.to_vec());
        prop_oneof![
            4 => reg.clone().prop_map(|(d, r)| Act::Read(d, r)),
            4 => (reg, any::<u16>()).prop_map(|((d, r), v)| Act::Write(d, r, v)),
            3 => (1u16..4000).prop_map(Act::Sleep),
            1 => plug().prop_map(Act::Medium),
            1 => any_partner().prop_map(Act::Medium),
        ]
    }
}
