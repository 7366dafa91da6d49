//! The models this crate offers, by name.

use crate::aquantia::{Aqr113c, AQR113C};
use crate::broadcom::{Bcm54210e, BCM54210E};
use crate::marvell::{Marvell151x, Marvell88e1111, M88E1111, M88E1510, M88E1512};
use crate::marvell10g::{Marvell88x3310, M88X3310};
use crate::medium::LinkMode;
use crate::microchip::{Ksz9131, KSZ9131};
use crate::motorcomm::{Yt8521, YT8521};
use crate::qualcomm::{Ar8035, AR8035};
use crate::realtek::{Rtl8211f, RTL8211F};
use crate::regfile::RegMapError;
use crate::ti::{Dp83867, DP83867};
use crate::{Instant, Phy};
use serde::Serialize;
use thiserror::Error;

#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ModelInfo {
    /// The name scenarios use.
    pub name: &'static str,
    pub description: &'static str,
    /// PHY ID registers 2 (high half) and 3 (low half).
    pub phy_id: u32,
    /// Answers Clause 45 frames (otherwise Clause 22 only).
    pub clause45: bool,
    pub link_modes: &'static [LinkMode],
    /// The name of the Linux phy_driver expected to bind to it.
    pub kernel_driver: &'static str,
}

#[derive(Debug, Error)]
pub enum ModelError {
    #[error("unknown PHY model `{name}` (known: {known})")]
    UnknownModel { name: String, known: String },
    #[error("PHY model `{model}` has an invalid register map: {source}")]
    RegisterMap {
        model: &'static str,
        #[source]
        source: RegMapError,
    },
}

/// Builds a model powered on at the instant, with no cable plugged in.
type Build = fn(&'static ModelInfo, Instant) -> Result<Box<dyn Phy>, RegMapError>;

/// Every model, in the order `catalog()` lists them, and how to build it.
const MODELS: [(ModelInfo, Build); 11] = [
    (M88E1510, |info, now| {
        Ok(Box::new(Marvell151x::new(info, now)?))
    }),
    (M88E1512, |info, now| {
        Ok(Box::new(Marvell151x::new(info, now)?))
    }),
    (DP83867, |info, now| Ok(Box::new(Dp83867::new(info, now)?))),
    (RTL8211F, |_, now| Ok(Box::new(Rtl8211f::new(now)?))),
    (KSZ9131, |info, now| Ok(Box::new(Ksz9131::new(info, now)?))),
    (M88E1111, |info, now| {
        Ok(Box::new(Marvell88e1111::new(info, now)?))
    }),
    (BCM54210E, |info, now| {
        Ok(Box::new(Bcm54210e::new(info, now)?))
    }),
    (M88X3310, |info, now| {
        Ok(Box::new(Marvell88x3310::new(info, now)?))
    }),
    (AR8035, |info, now| Ok(Box::new(Ar8035::new(info, now)?))),
    (AQR113C, |info, now| Ok(Box::new(Aqr113c::new(info, now)?))),
    (YT8521, |info, now| Ok(Box::new(Yt8521::new(info, now)?))),
];

static CATALOG: [ModelInfo; MODELS.len()] = {
    let mut infos = [MODELS[0].0; MODELS.len()];
    let mut i = 0;
    while i < MODELS.len() {
        infos[i] = MODELS[i].0;
        i += 1;
    }
    infos
};

pub fn catalog() -> &'static [ModelInfo] {
    &CATALOG
}

/// A model, powered on at `now` with no cable plugged in.
pub fn build(model: &str, now: Instant) -> Result<Box<dyn Phy>, ModelError> {
    let i = CATALOG
        .iter()
        .position(|m| m.name == model)
        .ok_or_else(|| ModelError::UnknownModel {
            name: model.to_string(),
            known: CATALOG
                .iter()
                .map(|m| m.name)
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    let info = &CATALOG[i];
    MODELS[i].1(info, now).map_err(|source| ModelError::RegisterMap {
        model: info.name,
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_entry_builds_and_reports_its_id() {
        for info in catalog() {
            let mut phy = build(info.name, Instant::ZERO).unwrap();
            assert_eq!(phy.info(), info);
            // Clause 45 PHYs carry the ID in the PMA/PMD MMD.
            let (id1, id2) = if info.clause45 {
                (
                    phy.c45_read(Instant::ZERO, 1, 2).unwrap(),
                    phy.c45_read(Instant::ZERO, 1, 3).unwrap(),
                )
            } else {
                (
                    phy.c22_read(Instant::ZERO, 2).unwrap(),
                    phy.c22_read(Instant::ZERO, 3).unwrap(),
                )
            };
            assert_eq!((u32::from(id1) << 16) | u32::from(id2), info.phy_id);
            // Each binds to its kernel driver's entry (ID mask 0xfffffff0).
            let driver_id = match info.kernel_driver {
                "TI DP83867" => 0x2000_a230,
                "Broadcom BCM54210E" => 0x600d_84a0,
                "RTL8211F Gigabit Ethernet" => 0x001c_c910,
                "Microchip KSZ9131 Gigabit PHY" => 0x0022_1640,
                "Marvell 88E1111" => 0x0141_0cc0,
                "mv88x3310" => 0x002b_09a0,
                "Qualcomm Atheros AR8035" => 0x004d_d070,
                "Aquantia AQR113C" => 0x31c3_1c10,
                // PHY_ID_MATCH_EXACT(PHY_ID_YT8521): 0x0000011a.
                "YT8521 Gigabit Ethernet" => 0x0000_0110,
                _ => 0x0141_0dd0,
            };
            assert_eq!(info.phy_id & 0xffff_fff0, driver_id);
        }
    }

    #[test]
    fn unknown_models_are_named() {
        let err = build("acme-fe100", Instant::ZERO).err().unwrap();
        assert_eq!(
            err.to_string(),
            "unknown PHY model `acme-fe100` (known: marvell-88e1510, marvell-88e1512, ti-dp83867, realtek-rtl8211f, microchip-ksz9131, marvell-88e1111, broadcom-bcm54210e, marvell-88x3310, qualcomm-ar8035, aquantia-aqr113c, motorcomm-yt8521)"
        );
    }
}
