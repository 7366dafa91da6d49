//! Scenario cable/partner descriptions to the models' `Medium`, and timeline edits to them.

use crate::board::BoardEvent;
use phy_sim_models as m;
use phy_sim_scenario::{
    Action, CableDef, Duplex, Fault, FaultDef, MasterSlave, PartnerDef, Pause, TimingDef, PAIRS,
};

pub fn to_medium(
    cable: &CableDef,
    partner: Option<&PartnerDef>,
) -> Result<m::Medium, crate::Error> {
    let partner = partner.map(to_partner).transpose()?;
    Ok(m::Medium {
        cable: m::Cable {
            connected: cable.connected,
            pairs: cable.pairs,
            length_m: cable.length_m,
            faults: cable.faults.map(|f| f.map(to_fault)),
        },
        partner,
    })
}

/// The model's link delays with the scenario's overrides.
pub fn to_timing(t: &TimingDef, defaults: &m::LinkTiming) -> m::LinkTiming {
    let d = defaults.clone();
    m::LinkTiming {
        autoneg: t.autoneg.unwrap_or(d.autoneg),
        link_10_100: t.link_10_100.unwrap_or(d.link_10_100),
        link_1000: t.link_1000.unwrap_or(d.link_1000),
        link_multigig: t.link_multigig.unwrap_or(d.link_multigig),
        gigabit_fail: t.gigabit_fail.unwrap_or(d.gigabit_fail),
        parallel_detect: t.parallel_detect.unwrap_or(d.parallel_detect),
        forced_link: t.forced_link.unwrap_or(d.forced_link),
        soft_reset: t.soft_reset.unwrap_or(d.soft_reset),
    }
}

fn to_fault(f: FaultDef) -> m::PairFault {
    m::PairFault {
        kind: match f.fault {
            Fault::Open => m::FaultKind::Open,
            Fault::Short => m::FaultKind::Short,
            Fault::CrossShort => m::FaultKind::CrossShort,
            Fault::ImpedanceMismatch => m::FaultKind::ImpedanceMismatch,
        },
        distance_m: f.distance_m,
    }
}

fn link_modes(names: &[String]) -> Result<m::LinkModes, crate::Error> {
    names
        .iter()
        .map(|name| {
            m::LinkMode::from_ethtool_name(name)
                .ok_or_else(|| crate::Error::Medium(format!("unknown link mode `{name}`")))
        })
        .collect()
}

fn to_partner(p: &PartnerDef) -> Result<m::LinkPartner, crate::Error> {
    let advertise = link_modes(&p.advertise)?;
    let forced = match (p.autoneg, p.speed, p.duplex) {
        (false, Some(speed), Some(duplex)) => Some((
            match speed {
                10 => m::Speed::S10,
                100 => m::Speed::S100,
                1000 => m::Speed::S1000,
                other => {
                    return Err(crate::Error::Medium(format!(
                        "forced speed {other} is not one of 10, 100, 1000"
                    )))
                }
            },
            match duplex {
                Duplex::Half => m::Duplex::Half,
                Duplex::Full => m::Duplex::Full,
            },
        )),
        (false, _, _) => {
            return Err(crate::Error::Medium(
                "a partner without autoneg needs speed and duplex".into(),
            ))
        }
        _ => None,
    };
    Ok(m::LinkPartner {
        autoneg: p.autoneg,
        advertise,
        pause: match p.pause {
            Pause::None => m::Pause::None,
            Pause::Symmetric => m::Pause::Symmetric,
            Pause::Asymmetric => m::Pause::Asymmetric,
            Pause::Both => m::Pause::Both,
        },
        forced,
        eee: link_modes(&p.eee)?,
        master_slave: match p.master_slave {
            MasterSlave::PreferredMaster => m::MasterSlave::Auto {
                prefer_master: true,
            },
            MasterSlave::PreferredSlave => m::MasterSlave::Auto {
                prefer_master: false,
            },
            MasterSlave::ForcedMaster => m::MasterSlave::Manual { master: true },
            MasterSlave::ForcedSlave => m::MasterSlave::Manual { master: false },
        },
        seed: p.seed,
    })
}

/// Applies a timeline action to the scenario-level description and says what it did.
pub fn apply_action(
    cable: &mut CableDef,
    partner: &mut Option<PartnerDef>,
    action: &Action,
) -> String {
    match action {
        Action::Cable {
            connected,
            pairs,
            length_m,
            faults,
            ..
        } => {
            if let Some(c) = connected {
                cable.connected = *c;
            }
            if let Some(p) = pairs {
                cable.pairs = *p;
            }
            if let Some(l) = length_m {
                cable.length_m = *l;
            }
            if let Some(f) = faults {
                cable.faults = *f;
            }
            let faults: Vec<String> = cable
                .faults
                .iter()
                .zip(PAIRS)
                .filter_map(|(f, pair)| {
                    f.map(|f| format!(", pair {pair} {:?} at {} m", f.fault, f.distance_m))
                })
                .collect();
            format!(
                "cable {} ({} pairs, {} m{})",
                if cable.connected {
                    "plugged"
                } else {
                    "unplugged"
                },
                cable.pairs,
                cable.length_m,
                faults.concat()
            )
        }
        Action::Partner {
            present,
            autoneg,
            advertise,
            pause,
            speed,
            duplex,
            eee,
            master_slave,
            seed,
            ..
        } => {
            if *present == Some(false) {
                *partner = None;
                return "partner removed".into();
            }
            let p = partner.get_or_insert_with(|| PartnerDef::negotiating(Vec::new()));
            if let Some(a) = autoneg {
                p.autoneg = *a;
            }
            if let Some(a) = advertise {
                p.advertise = a.clone();
            }
            if let Some(x) = pause {
                p.pause = *x;
            }
            if let Some(e) = eee {
                p.eee = e.clone();
            }
            if let Some(ms) = master_slave {
                p.master_slave = *ms;
            }
            if let Some(sd) = seed {
                p.seed = *sd;
            }
            if speed.is_some() {
                p.speed = *speed;
            }
            if duplex.is_some() {
                p.duplex = *duplex;
            }
            if p.autoneg {
                format!("partner advertises {}", p.advertise.join(" "))
            } else {
                format!(
                    "partner forces {} {}",
                    p.speed.map_or("?".into(), |s| s.to_string()),
                    match p.duplex {
                        Some(Duplex::Full) => "full",
                        Some(Duplex::Half) => "half",
                        None => "?",
                    }
                )
            }
        }
        // `BoardSpec` keeps hardware actions only: the guest runs cable tests.
        Action::CableTest { port, .. }
        | Action::LinkSettings { port, .. }
        | Action::EeeSettings { port, .. } => format!("a guest action on {port}"),
    }
}

pub fn link_event(phy: &str, s: &m::LinkState) -> BoardEvent {
    BoardEvent::PhyLink {
        phy: phy.to_string(),
        up: s.up,
        speed: s.up.then(|| s.speed.map(|sp| sp.mbps())).flatten(),
        duplex: s
            .up
            .then(|| s.duplex.map(|d| format!("{d:?}").to_lowercase()))
            .flatten(),
    }
}
