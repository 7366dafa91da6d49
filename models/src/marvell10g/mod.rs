//! Marvell Alaska X 88X3310(P) 10GBASE-T / NBASE-T PHY, copper side, as
//! drivers/net/phy/marvell10g.c ("mv88x3310": MARVELL_PHY_ID_88X3310 0x002b09a0, mask
//! 0xfffffff0, one port per MV_PCS_PORT_INFO) drives it.
//!
//! Clause 45 only: MMD 1 (PMA/PMD), 3 (PCS, with the Marvell copper registers at 3.0x8000),
//! 4 (PHY XS), 7 (AN, the 1000BASE-T registers at 7.0x8000) and the vendor MMDs 30/31 (whose
//! status 2 register has no "device present" pattern, so the bus scan skips their IDs). The
//! firmware is presented as booted (MV_PMA_BOOT clear, version 0.3.10.0).
//!
//! The link: 10/100/1000BASE-T, 2.5G/5G/10GBASE-T, negotiated with 7.16 (base page), 7.0x8000
//! (1000BASE-T), 7.32 (multi-gigabit; master/slave for every speed) and 7.60/7.62 (EEE), or
//! forced by 1.0 when 7.0.12 is clear (full duplex).
//! Advertisements are taken when the link starts over: AN restart or enable change, a unit
//! reset completing (1.0.15, 3.0.15, 7.0.15, 31.0xf001.15), leaving power down, a cable or
//! partner change. Unit resets keep the configuration (the MACTYPE change needs one to take
//! effect) and complete after `soft_reset`. Power down: 31.0xf001.11 or 1.0.11.
//!
//! Status, consistent at every instant: 1.1, 3.1, 4.1 and 7.1 link (latching low), 7.1 AN
//! complete (FLP LINK GOOD: once the resolved technology has link), 7.1 page received and
//! 7.19/7.33/7.0x8001/7.61/7.63 partner pages (from the exchange, before the multi-gigabit
//! training ends), master/slave fault and role in 7.33.15/14 for a multi-gigabit and in
//! 7.0x8001.15/14 for a 1000BASE-T highest common mode, 3.0x8008 (CSSR1) speed/duplex resolved
//! (from the exchange), link, pause, MDI-X.
//! The fibre side (3.0x1001) never has link. Downshift (3.0x8003 enable, the 10GBASE-T count
//! for every speed) drops the speed that keeps failing on a short cable.
//!
//! Register dumps (`Phy::preload`, shared in `c45`): besides the IEEE status, CSSR1, the
//! partner bits of 7.0x8001, the fibre link, the boot status and the sensor are never loaded
//! (`Vendor::derived`); the firmware version is, since the driver's choices depend on it.
//!
//! Not modelled: interrupts (the driver has no interrupt support; INT# stays deasserted and the
//! port interrupt registers are storage), energy-detect power down timing (CSCR1 ED bits are
//! storage), LPI, the 2.5G/5G EEE exchange during training (7.63 is filled from the page
//! exchange like 7.61), the host serdes (MACTYPE is storage; the driver derives the interface from it), fibre,
//! loopback, WoL matching, cable diagnostics, the 0xa00x aliases of 7.0x800x.

mod regs;

use crate::an::{bit, mode_bits, resolved};
use crate::c45::regs::{Hook, Package};
use crate::c45::{master_slave, C45Phy, Vendor, View};
use crate::catalog::ModelInfo;
use crate::copper::{CopperLink, LinkConfig};
use crate::medium::{Duplex, LinkMode, Speed};
use crate::regfile::{RegAddr, RegDef, RegFile};
use regs::{cscr1, cssr1, dsc1, gig};

pub const M88X3310: ModelInfo = ModelInfo {
    name: "marvell-88x3310",
    description:
        "Marvell Alaska X 88X3310P 10GBASE-T/NBASE-T/1000BASE-T PHY, Clause 45, copper port",
    phy_id: 0x002b_09ab,
    clause45: true,
    link_modes: &[
        LinkMode::BaseT10Half,
        LinkMode::BaseT10Full,
        LinkMode::BaseT100Half,
        LinkMode::BaseT100Full,
        LinkMode::BaseT1000Full,
        LinkMode::BaseT2500Full,
        LinkMode::BaseT5000Full,
        LinkMode::BaseT10000Full,
    ],
    kernel_driver: "mv88x3310",
};

pub type Marvell88x3310 = C45Phy<Mv3310>;

/// The Marvell part of the 88X3310 model.
pub enum Mv3310 {}

/// What the device drives into the Marvell status registers.
#[derive(Copy, Clone, Debug, Default)]
pub struct Status {
    stat1000: u16,
    cssr1: u16,
}

impl Vendor for Mv3310 {
    const PACKAGE: Package = regs::PACKAGE;
    const MAP: &'static [RegDef<Hook>] = regs::MAP;
    const CONTROL: RegAddr = regs::PORT_CTRL;
    // The fibre side has nothing to reset, so writing 3.0x1000.15 starts no reset of its own;
    // the bit clears with the next unit reset.
    const OTHER_RESETS: &'static [RegAddr] = &[regs::PCS_BASE_R_CTRL1];
    type Status = Status;

    /// 1000BASE-T from 7.0x8000. Its master/slave bits are storage: one configuration for
    /// every speed, the 10GBASE-T register's (marvell10g.c writes neither).
    fn configure(regs: &RegFile<Hook>, config: &mut LinkConfig) {
        let ctrl1000 = regs.live(regs::AN_CTRL1000);
        let dsc = regs.live(regs::PCS_DSC1);
        let advertise = &mut config.ability.advertise;
        *advertise = advertise
            .with(LinkMode::BaseT1000Half, ctrl1000 & gig::ADV_HALF != 0)
            .with(LinkMode::BaseT1000Full, ctrl1000 & gig::ADV_FULL != 0);
        // DSC1 8:6: tries minus one.
        config.downshift_after =
            (dsc & dsc1::ENABLE != 0).then(|| ((dsc & dsc1::TRIES_10GBT) >> 6) as u8 + 1);
    }

    fn status(regs: &RegFile<Hook>, link: &CopperLink) -> Status {
        let up = link.is_up();
        let mut cssr = 0;
        if let Some((speed, duplex)) = resolved(link) {
            cssr |= cssr1::RESOLVED;
            cssr |= match speed {
                Speed::S10 => 0,
                Speed::S100 => cssr1::SPD1_100,
                Speed::S1000 => cssr1::SPD1_1000,
                Speed::S2500 => cssr1::SPD1_SPD2 | cssr1::SPD2_2500,
                Speed::S5000 => cssr1::SPD1_SPD2 | cssr1::SPD2_5000,
                Speed::S10000 => cssr1::SPD1_SPD2,
            };
            cssr |= bit(duplex == Duplex::Full, cssr1::DUPLEX);
        }
        if up {
            cssr |= cssr1::LINK;
            let pause = link.link().map(|l| l.pause).unwrap_or_default();
            cssr |= bit(pause.tx, cssr1::TX_PAUSE) | bit(pause.rx, cssr1::RX_PAUSE);
            // Auto crossover settles on MDI (the partner crosses over); manual MDI-X shows
            // crossed pairs.
            let mdix = regs.live(regs::PCS_CSCR1) & cscr1::MDIX;
            cssr |= bit(mdix == cscr1::MDIX_MDIX, cssr1::MDIX);
        }

        let mut stat1000 = link.pages().map_or(0, |p| {
            mode_bits(
                p.advertise,
                &[
                    (LinkMode::BaseT1000Full, gig::STAT_LP_FULL),
                    (LinkMode::BaseT1000Half, gig::STAT_LP_HALF),
                ],
            )
        });
        // 7.33 has the multi-gigabit resolution, this register the 1000BASE-T one (Marvell's
        // API reads the fault from the register of the speed that was resolved).
        if let Some((_, role)) = master_slave(link).filter(|(s, _)| *s == Speed::S1000) {
            stat1000 |= bit(role == Some(true), gig::STAT_MS_RES);
            stat1000 |= bit(role.is_none(), gig::STAT_MS_FAULT);
        }
        if link.link().is_some_and(|l| l.speed == Speed::S1000) {
            stat1000 |= bit(up, gig::STAT_LOCAL_RX | gig::STAT_REMOTE_RX);
        }
        Status {
            stat1000,
            cssr1: cssr,
        }
    }

    fn sync(r: &mut RegFile<Hook>, _old: &View<Status>, new: &View<Status>) {
        r.set_live(regs::AN_STAT1000, gig::STAT_DRIVEN, new.vendor.stat1000);
        if new.ms_fault_clears {
            r.rearm(regs::AN_STAT1000, gig::STAT_MS_FAULT);
        }
        r.set_live(regs::PCS_CSSR1, cssr1::DRIVEN, new.vendor.cssr1);
    }

    /// The firmware version (1.0xc011/2) is not here: it is the reporter's part, and
    /// marvell10g.c decides from it whether power-up adds a port soft reset and whether
    /// downshift is offered; the model behaves alike under every version.
    fn derived(addr: RegAddr) -> u16 {
        match addr {
            regs::PCS_CSSR1 => cssr1::DRIVEN,
            regs::AN_STAT1000 => gig::STAT_DRIVEN,
            // The fibre side: nothing is ever plugged in.
            regs::PCS_BASE_R_STAT1 => regs::BASE_R_LINK,
            // The model's firmware always boots.
            regs::PMA_BOOT => regs::BOOT_FATAL,
            regs::TEMP => regs::TEMP_SENSOR,
            _ => 0,
        }
    }

    /// marvell10g.c has no interrupt support and the model raises no interrupt events.
    fn irq_asserted(_regs: &RegFile<Hook>) -> bool {
        false
    }
}
