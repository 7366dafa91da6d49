//! Scenario cable/partner descriptions to the models' `Medium`, and timeline edits to them.

use crate::board::BoardEvent;
use phy_sim_models as m;
use phy_sim_scenario::{Action, CableDef, Duplex, PartnerDef, Pause};

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
        },
        partner,
    })
}

fn to_partner(p: &PartnerDef) -> Result<m::LinkPartner, crate::Error> {
    let mut advertise = Vec::new();
    for name in &p.advertise {
        advertise.push(
            m::LinkMode::from_ethtool_name(name)
                .ok_or_else(|| crate::Error::Medium(format!("unknown link mode `{name}`")))?,
        );
    }
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
        advertise: advertise.into_iter().collect(),
        pause: match p.pause {
            Pause::None => m::Pause::None,
            Pause::Symmetric => m::Pause::Symmetric,
            Pause::Asymmetric => m::Pause::Asymmetric,
            Pause::Both => m::Pause::Both,
        },
        forced,
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
            format!(
                "cable {} ({} pairs, {} m)",
                if cable.connected {
                    "plugged"
                } else {
                    "unplugged"
                },
                cable.pairs,
                cable.length_m
            )
        }
        Action::Partner {
            present,
            autoneg,
            advertise,
            pause,
            speed,
            duplex,
            ..
        } => {
            if *present == Some(false) {
                *partner = None;
                return "partner removed".into();
            }
            let p = partner.get_or_insert_with(|| PartnerDef {
                autoneg: true,
                advertise: Vec::new(),
                pause: Pause::None,
                speed: None,
                duplex: None,
            });
            if let Some(a) = autoneg {
                p.autoneg = *a;
            }
            if let Some(a) = advertise {
                p.advertise = a.clone();
            }
            if let Some(x) = pause {
                p.pause = *x;
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
