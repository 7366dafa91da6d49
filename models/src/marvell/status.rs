//! The copper status registers and the interrupt status, derived from the link engine in one
//! place so that BMSR, the vendor status register 0_17, the partner registers and 0_19 always
//! tell the same story.

use super::regs::{self, irq, spec_status1 as ss, DIE_TEMPERATURE_C};
use super::Marvell151x;
use crate::an::{bit, resolved};
use crate::c22;
use crate::medium::{Duplex, Speed};
use crate::regfile::RegAddr;

/// Everything the device drives into the copper status registers.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct StatusView {
    pub ieee: c22::Status,
    /// 0_17, the bits in `spec_status1::ALL`.
    pub spec_status: u16,
    /// Autonegotiation is on: only then can an exchange end without a link.
    pub autoneg: bool,
    pub temperature_alarm: bool,
}

impl Marvell151x {
    pub(super) fn derive_status(&self) -> StatusView {
        let link = &self.core.link;
        let up = link.is_up();
        let ability = &link.config().ability;
        // Speed and duplex are resolved once autonegotiation has picked them, and always when
        // it is off (the forced values).
        let resolved = resolved(link);

        let mut spec = 0;
        if let Some((speed, duplex)) = resolved {
            spec |= ss::RESOLVED;
            spec |= match speed {
                // A gigabit PHY never resolves a multi-gigabit speed.
                Speed::S1000 | Speed::S2500 | Speed::S5000 | Speed::S10000 => ss::SPEED_1000,
                Speed::S100 => ss::SPEED_100,
                Speed::S10 => 0,
            };
            if duplex == Duplex::Full {
                spec |= ss::DUPLEX;
            }
            // Auto crossover is reported as having settled on MDI: the partner is taken to
            // cross over.
            if self.committed_spec_control & regs::spec_control1::MDI_MODE == 0x0020 {
                spec |= ss::MDIX;
            }
        }
        if let Some(l) = link.link() {
            spec |= bit(l.pause.tx, ss::TX_PAUSE) | bit(l.pause.rx, ss::RX_PAUSE);
        }
        if up {
            spec |= ss::LINK | ss::GLOBAL_LINK;
        }
        if link.pages().is_some() {
            spec |= ss::PAGE_RECEIVED;
        }
        if link.running() && link.downshifted() {
            spec |= ss::DOWNSHIFT;
        }
        let energy_detect =
            self.committed_spec_control & regs::spec_control1::ENERGY_DETECT_ON != 0;
        if energy_detect && link.running() && self.core.medium.reachable_partner().is_none() {
            spec |= ss::ENERGY_SLEEP;
        }

        let threshold = self.regs.live(regs::MISC_TEST) & regs::misc_test::THRESHOLD;
        let threshold_c = i32::from(threshold >> 8) * 5 - 25;

        StatusView {
            ieee: c22::Status::of(link),
            spec_status: spec,
            autoneg: ability.autoneg,
            temperature_alarm: i32::from(DIE_TEMPERATURE_C) >= threshold_c,
        }
    }

    /// Drives the status registers from the engine and raises the interrupts the change
    /// implies. Called after anything that may move the link, at the instant it happened.
    pub(super) fn sync(&mut self) {
        let new = self.derive_status();
        let old = std::mem::replace(&mut self.view, new);
        let r = &mut self.regs;
        c22::sync(
            r,
            |reg| RegAddr::page(regs::PAGE_COPPER, reg),
            &self.core.link,
            &old.ieee,
            &new.ieee,
        );
        r.set_live(regs::CU_SPEC_STATUS1, ss::ALL, new.spec_status);
        r.set_live(
            regs::MISC_TEST,
            regs::misc_test::TEMP_IRQ,
            bit(new.temperature_alarm, regs::misc_test::TEMP_IRQ),
        );
        r.raise(regs::CU_IRQ_STATUS, interrupt_events(&old, &new));
        self.mmd
            .set_live(regs::EEE_LP_ABILITY, regs::EEE_MODES, new.ieee.eee_lp);
    }
}

/// 0_19 bits for the transition `old` → `new`.
fn interrupt_events(old: &StatusView, new: &StatusView) -> u16 {
    let changed = |mask: u16| (old.spec_status ^ new.spec_status) & mask != 0;
    let mut bits = 0;
    if old.ieee.link != new.ieee.link {
        bits |= irq::LINK_CHANGED;
    }
    if new.ieee.an_complete && !old.ieee.an_complete {
        bits |= irq::AN_COMPLETE;
    }
    if new.ieee.exchanges != old.ieee.exchanges {
        bits |= irq::PAGE_RECEIVED;
    }
    if changed(ss::SPEED) {
        bits |= irq::SPEED_CHANGED;
    }
    if changed(ss::DUPLEX) {
        bits |= irq::DUPLEX_CHANGED;
    }
    if changed(ss::MDIX) {
        bits |= irq::MDIX_CHANGED;
    }
    if new.spec_status & !old.spec_status & ss::DOWNSHIFT != 0 {
        bits |= irq::DOWNSHIFT;
    }
    if changed(ss::ENERGY_SLEEP) {
        bits |= irq::ENERGY_CHANGED;
    }
    // An exchange that brought no link: no common mode, a master/slave configuration fault,
    // or 1000BASE-T training that failed; the datasheet counts all three as an
    // autonegotiation error. Forced gigabit attempts exchange no pages.
    if new.autoneg && new.ieee.exchanges_without_link != old.ieee.exchanges_without_link {
        bits |= irq::AN_ERROR | irq::FLP_NO_LINK;
    }
    bits
}
