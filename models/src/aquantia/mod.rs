//! Aquantia (Marvell) AQR113C 10GBASE-T / NBASE-T PHY, as drivers/net/phy/aquantia/
//! ("Aquantia AQR113C": PHY_ID_AQR113C 0x31c31c12, PHY_ID_MATCH_MODEL) drives it.
//!
//! Clause 45 only: MMD 1 (PMA/PMD), 3 (PCS), 4 (PHY XS, the host interface status at
//! 4.0xe812), 7 (AN, the Aquantia vendor provisioning and status at 7.0xc400..7.0xe832), 29
//! (Clause 22 extension: the SGMII counters, always zero) and the vendor MMDs 30 ("global":
//! firmware ID, system interface provisioning, thermal, LEDs, interrupt masks) and 31 (whose
//! status 2 register, like 30's, has no "device present" pattern, so the bus scan skips their
//! IDs). The firmware is presented as running from flash (VEND1_GLOBAL_FW_ID 5.7, non-zero
//! from power-up), so the driver loads none.
//!
//! System interface: provisioned 10GBASE-R (XFI) with pause rate adaptation at every media
//! speed (VEND1_GLOBAL_CFG_* = 0x0100); 4.0xe812 reports the serdes mode the register for
//! the current speed selects (XFI, USXGMII with USX rate adaptation, SGMII, OCSGMII) while
//! the line has link, OFF otherwise.
//!
//! The link: 10/100/1000BASE-T, 2.5G/5G/10GBASE-T, negotiated with 7.16 (base page), 7.32
//! (10G; 2.5G/5G from 7.32 or 7.0xc400; master/slave for every speed), 7.0xc400 (1000BASE-T)
//! and 7.60/7.62 (EEE), or forced by 1.0 when 7.0.12 is clear (full duplex). Advertisements are taken when the link starts over: AN
//! restart or enable change, a unit reset completing (1.0.15, 3.0.15, 7.0.15, 30.0.15),
//! leaving low power (30.0.11 or 1.0.11) or PMD transmit disable (1.9.0), a cable or
//! partner change. Unit resets keep the configuration and complete after `soft_reset`.
//! Downshift: 7.0xc400 bit 4 and count.
//!
//! Status, consistent at every instant: 1.1, 3.1, 4.1 and 7.1 link (latching low), 7.1 AN
//! complete / page received / LP able, 7.19, 7.33 and 7.61/7.63 partner pages, 7.0xe820
//! partner 1000BASE-T abilities, 7.33.15/14 master/slave fault and role (1000BASE-T included:
//! the part has no other master/slave status), 7.0xc800 rate and duplex (resolved from the
//! exchange), 7.0xc810 MDI-X, 4.0xe812 host interface.
//!
//! Interrupts: every link change raises 7.0xcc01 bit 0 (clear on read), a downshift
//! 7.0xcc00 bit 1; VEND1_GLOBAL_INT_VEND_STATUS (30.0xfc01) bit 12 (AN) shows an unmasked
//! (7.0xd401) pending AN event, and INT# is asserted while that bit is set and enabled in
//! VEND1_GLOBAL_INT_VEND_MASK (30.0xff01 bit 12).
//!
//! Register dumps (`Phy::preload`, shared in `c45`): besides the IEEE status, the status
//! registers above, the firmware identity and state, the sensor, the interrupt status and the
//! SGMII counters are never loaded (`Vendor::derived`).
//!
//! Not modelled: firmware loading through the mailbox (30.0x200..0x205 are storage; the
//! firmware is always running), processor-intensive operations (30.0xc831 never shows one in
//! progress), LPI and 2-pair 1000BASE-T EEE, a master/slave fault alarm, the SGMII counters
//! (zero), LED outputs (30.0xc430.. are
//! storage), temperature alarms (a steady 42 C), loopback, the Aquantia partner pages
//! (the partner is never an Aquantia PHY).

mod regs;

use crate::an::{bit, mode_bits, resolved};
use crate::c45::regs::{Hook, Package, C22EXT};
use crate::c45::{C45Phy, Vendor, View};
use crate::catalog::ModelInfo;
use crate::copper::{CopperLink, LinkConfig};
use crate::medium::{Duplex, LinkMode, Speed};
use crate::regfile::{RegAddr, RegDef, RegFile};
use regs::{cfg, if_status, tx_vend_status1 as tvs, vend_prov};

pub const AQR113C: ModelInfo = ModelInfo {
    name: "aquantia-aqr113c",
    description: "Aquantia (Marvell) AQR113C 10GBASE-T/NBASE-T/1000BASE-T PHY, Clause 45",
    phy_id: 0x31c3_1c12,
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
    kernel_driver: "Aquantia AQR113C",
};

pub type Aqr113c = C45Phy<Aqr>;

/// The Aquantia part of the AQR113C model.
pub enum Aqr {}

/// 7.0xcc01 bit 0: link status changed.
const INT_LINK: u16 = 0x0001;
/// 7.0xcc00 bit 1: downshift.
const INT_DOWNSHIFT: u16 = 0x0002;
/// 30.0xfc01 / 30.0xff01 bit 12: AN vendor interrupt.
const GLOBAL_VEND_AN: u16 = 0x1000;

/// What the device drives into the Aquantia status registers.
#[derive(Copy, Clone, Debug, Default)]
pub struct Status {
    lp_stat1: u16,
    tx_vend_status1: u16,
    mdix: bool,
    if_status: u16,
    downshifted: bool,
}

impl Vendor for Aqr {
    const PACKAGE: Package = regs::PACKAGE;
    const MAP: &'static [RegDef<Hook>] = regs::MAP;
    const CONTROL: RegAddr = regs::GLOBAL_SC;
    // 7.32's master/slave configuration applies at every speed and 7.33 is the only
    // master/slave status the part has (7.0xe820 holds just the partner's 1000BASE-T
    // abilities).
    const GIGABIT_MS_IN_7_33: bool = true;
    type Status = Status;

    /// 1000BASE-T from 7.0xc400; 2.5G/5G from either 7.32 or 7.0xc400 (the driver writes
    /// both).
    fn configure(regs: &RegFile<Hook>, config: &mut LinkConfig) {
        let prov = regs.live(regs::AN_VEND_PROV);
        let advertise = &mut config.ability.advertise;
        *advertise = advertise
            .with(
                LinkMode::BaseT1000Half,
                prov & vend_prov::ADV_1000_HALF != 0,
            )
            .with(
                LinkMode::BaseT1000Full,
                prov & vend_prov::ADV_1000_FULL != 0,
            );
        if prov & vend_prov::ADV_2500_FULL != 0 {
            advertise.insert(LinkMode::BaseT2500Full);
        }
        if prov & vend_prov::ADV_5000_FULL != 0 {
            advertise.insert(LinkMode::BaseT5000Full);
        }
        let count = (prov & vend_prov::DOWNSHIFT_CNT) as u8;
        config.downshift_after =
            (prov & vend_prov::DOWNSHIFT_EN != 0 && count != 0).then_some(count);
    }

    fn status(regs: &RegFile<Hook>, link: &CopperLink) -> Status {
        let up = link.is_up();
        let tx_vend_status1 = resolved(link).map_or(0, |(speed, duplex)| {
            let rate = match speed {
                Speed::S10 => tvs::R10,
                Speed::S100 => tvs::R100,
                Speed::S1000 => tvs::R1000,
                Speed::S2500 => tvs::R2500,
                Speed::S5000 => tvs::R5000,
                Speed::S10000 => tvs::R10G,
            };
            rate | bit(duplex == Duplex::Full, tvs::FULL_DUPLEX)
        });

        // The host interface comes up with the line, in the mode provisioned for the speed.
        let if_status = match link.link().filter(|_| up) {
            Some(l) => {
                let reg = regs.live(regs::GLOBAL_CFG[speed_index(l.speed)]);
                match (reg & cfg::SERDES_MODE, reg & cfg::RATE_ADAPT) {
                    (cfg::SERDES_XFI, cfg::RATE_ADAPT_USX) => if_status::USXGMII,
                    (cfg::SERDES_XFI | cfg::SERDES_XFI5G, _) => if_status::XFI,
                    (cfg::SERDES_SGMII, _) => if_status::SGMII,
                    (cfg::SERDES_OCSGMII, _) => if_status::OCSGMII,
                    _ => if_status::OFF,
                }
            }
            None => if_status::OFF,
        };

        let lp_stat1 = link.pages().map_or(0, |p| {
            mode_bits(
                p.advertise,
                &[
                    (LinkMode::BaseT1000Full, regs::LP_STAT1_1000_FULL),
                    (LinkMode::BaseT1000Half, regs::LP_STAT1_1000_HALF),
                ],
            )
        });
        // Auto crossover settles on MDI (the partner crosses over); forced MDI-X shows it.
        let mdix = up && regs.live(regs::AN_RESVD_VEND_PROV) & regs::RESVD_VEND_PROV_MDIX == 2;
        Status {
            lp_stat1,
            tx_vend_status1,
            mdix,
            if_status,
            downshifted: link.downshifted(),
        }
    }

    fn sync(r: &mut RegFile<Hook>, old: &View<Status>, new: &View<Status>) {
        let s = &new.vendor;
        r.set_live(regs::AN_RX_LP_STAT1, 0xffff, s.lp_stat1);
        r.set_live(regs::AN_TX_VEND_STATUS1, 0x000f, s.tx_vend_status1);
        r.set_live(
            regs::AN_RESVD_VEND_STATUS1,
            regs::RESVD_VEND_STATUS1_MDIX,
            bit(s.mdix, regs::RESVD_VEND_STATUS1_MDIX),
        );
        r.set_live(regs::PHYXS_IF_STATUS, if_status::TYPE, s.if_status);
        if new.link != old.link {
            r.raise(regs::AN_TX_VEND_INT_STATUS2, INT_LINK);
        }
        if s.downshifted && !old.vendor.downshifted {
            r.raise(regs::AN_TX_VEND_INT_STATUS1, INT_DOWNSHIFT);
        }
        sync_irq(r);
    }

    /// Reading 7.0xcc01 acknowledges the AN interrupt.
    fn after_read(regs: &mut RegFile<Hook>) {
        sync_irq(regs);
    }

    fn derived(addr: RegAddr) -> u16 {
        match addr {
            regs::PHYXS_IF_STATUS => if_status::TYPE,
            regs::AN_TX_VEND_STATUS1 => tvs::RATE | tvs::FULL_DUPLEX,
            regs::AN_RESVD_VEND_STATUS1 => regs::RESVD_VEND_STATUS1_MDIX,
            regs::AN_RX_LP_STAT1 | regs::AN_RX_LP_STAT4 | regs::AN_RX_VEND_STAT3 => 0xffff,
            regs::GLOBAL_RSVD_STAT9 => 0xffff,
            // Which firmware runs, and that it has started (aqr_wait_reset_complete() waits
            // for a non-zero VEND1_GLOBAL_FW_ID): the model has one image, always running.
            regs::GLOBAL_FW_ID
            | regs::GLOBAL_RSVD_STAT1
            | regs::PMA_FW_MISC_ID
            | regs::PMA_FW_MISC_VER
            | regs::GLOBAL_GEN_STAT2 => 0xffff,
            // A steady 42 C, which trips no alarm.
            regs::THERMAL_STAT1 | regs::THERMAL_STAT2 | regs::GENERAL_STAT1 => 0xffff,
            regs::GLOBAL_INT_STD_STATUS | regs::GLOBAL_INT_VEND_STATUS => 0xffff,
            // The SGMII counters: no frames cross the modelled host interface.
            RegAddr {
                space: C22EXT,
                reg: 0xd292..=0xd31c,
            } => 0xffff,
            _ => 0,
        }
    }

    /// INT# follows the global vendor interrupt status and its mask.
    fn irq_asserted(regs: &RegFile<Hook>) -> bool {
        regs.live(regs::GLOBAL_INT_VEND_STATUS)
            & regs.live(regs::GLOBAL_INT_VEND_MASK)
            & GLOBAL_VEND_AN
            != 0
    }
}

/// The global vendor interrupt status follows the AN events and their mask.
fn sync_irq(regs: &mut RegFile<Hook>) {
    let pending =
        regs.live(regs::AN_TX_VEND_INT_STATUS2) & regs.live(regs::AN_TX_VEND_INT_MASK2) & INT_LINK
            != 0;
    regs.set_live(
        regs::GLOBAL_INT_VEND_STATUS,
        0xffff,
        bit(pending, GLOBAL_VEND_AN),
    );
}

fn speed_index(speed: Speed) -> usize {
    match speed {
        Speed::S10 => 0,
        Speed::S100 => 1,
        Speed::S1000 => 2,
        Speed::S2500 => 3,
        Speed::S5000 => 4,
        Speed::S10000 => 5,
    }
}
