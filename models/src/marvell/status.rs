//! The copper status registers and the interrupt status, derived from the link engine in one
//! place so that BMSR, the vendor status register 0_17, the partner registers and 0_19 always
//! tell the same story.

use super::regs::{self, irq, spec_status1 as ss, stat1000, DIE_TEMPERATURE_C};
use super::Marvell151x;
use crate::an::{base_page, bit, resolved};
use crate::eee;
use crate::medium::{Duplex, LinkMode, Speed};

/// Everything the device drives into the copper status registers.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct StatusView {
    pub link: bool,
    pub an_complete: bool,
    /// 0_17, the bits in `spec_status1::ALL`.
    pub spec_status: u16,
    /// 0_5.
    pub lp_ability: u16,
    /// 0_6 bits 3 and 0.
    pub expansion: u16,
    /// 0_10 bits 15..10.
    pub stat1000: u16,
    /// MMD 7.61.
    pub eee_lp: u16,
    /// Autonegotiation is on: only then can an exchange end without a link.
    pub autoneg: bool,
    pub exchanges: u32,
    pub exchanges_without_link: u32,
    pub temperature_alarm: bool,
}

impl Marvell151x {
    pub(super) fn derive_status(&self) -> StatusView {
        let link = &self.link;
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
        let pages = link.pages();
        if pages.is_some() {
            spec |= ss::PAGE_RECEIVED;
        }
        if link.running() && link.downshifted() {
            spec |= ss::DOWNSHIFT;
        }
        let energy_detect =
            self.committed_spec_control & regs::spec_control1::ENERGY_DETECT_ON != 0;
        if energy_detect && link.running() && self.medium.reachable_partner().is_none() {
            spec |= ss::ENERGY_SLEEP;
        }

        let mut stat1000 = pages.map_or(0, |p| {
            bit(
                p.advertise.contains(LinkMode::BaseT1000Full),
                stat1000::LP_1000_FULL,
            ) | bit(
                p.advertise.contains(LinkMode::BaseT1000Half),
                stat1000::LP_1000_HALF,
            )
        });
        if let Some(l) = link.link().filter(|l| l.speed == Speed::S1000) {
            stat1000 |= bit(l.master == Some(true), stat1000::MASTER);
            stat1000 |= bit(up, stat1000::RECEIVERS_OK);
        }
        stat1000 |= bit(link.master_slave_fault(), stat1000::MS_FAULT);

        let threshold = self.regs.live(regs::MISC_TEST) & regs::misc_test::THRESHOLD;
        let threshold_c = i32::from(threshold >> 8) * 5 - 25;

        StatusView {
            link: up,
            an_complete: up && ability.autoneg,
            spec_status: spec,
            lp_ability: pages.map_or(0, base_page),
            expansion: pages.map_or(0, |p| if p.next_page { 0x0009 } else { 0x0001 }),
            stat1000,
            eee_lp: pages.map_or(0, |p| eee::cap1(p.eee) & regs::EEE_MODES),
            autoneg: ability.autoneg,
            exchanges: link.exchanges(),
            exchanges_without_link: link.exchanges_without_link(),
            temperature_alarm: i32::from(DIE_TEMPERATURE_C) >= threshold_c,
        }
    }

    /// Drives the status registers from the engine and raises the interrupts the change
    /// implies. Called after anything that may move the link, at the instant it happened.
    pub(super) fn sync(&mut self) {
        let new = self.derive_status();
        let old = std::mem::replace(&mut self.view, new);
        let r = &mut self.regs;
        r.set_live(
            regs::CU_STATUS,
            regs::status::LINK | regs::status::AN_COMPLETE,
            bit(new.link, regs::status::LINK) | bit(new.an_complete, regs::status::AN_COMPLETE),
        );
        r.set_live(regs::CU_SPEC_STATUS1, ss::ALL, new.spec_status);
        r.set_live(regs::CU_LP_ABILITY, 0xffff, new.lp_ability);
        r.set_live(regs::CU_AN_EXPANSION, 0x0009, new.expansion);
        if new.exchanges != old.exchanges {
            // 6.1 latches high on each new page.
            r.set_live(regs::CU_AN_EXPANSION, 0x0002, 0x0002);
            r.set_live(regs::CU_AN_EXPANSION, 0x0002, 0);
        }
        r.set_live(regs::CU_STAT1000, stat1000::DERIVED, new.stat1000);
        if self.link.link().is_some_and(|l| l.master.is_some()) {
            // A resolution that succeeds clears a fault latched before (40.5.1.2), so the
            // driver's genphy_read_lpa() on the new link does not see a stale one.
            r.rearm(regs::CU_STAT1000, stat1000::MS_FAULT);
        }
        r.set_live(
            regs::MISC_TEST,
            regs::misc_test::TEMP_IRQ,
            bit(new.temperature_alarm, regs::misc_test::TEMP_IRQ),
        );
        r.raise(regs::CU_IRQ_STATUS, interrupt_events(&old, &new));
        self.mmd
            .set_live(regs::EEE_LP_ABILITY, regs::EEE_MODES, new.eee_lp);
    }
}

/// 0_19 bits for the transition `old` → `new`.
fn interrupt_events(old: &StatusView, new: &StatusView) -> u16 {
    let changed = |mask: u16| (old.spec_status ^ new.spec_status) & mask != 0;
    let mut bits = 0;
    if old.link != new.link {
        bits |= irq::LINK_CHANGED;
    }
    if new.an_complete && !old.an_complete {
        bits |= irq::AN_COMPLETE;
    }
    if new.exchanges != old.exchanges {
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
    if new.autoneg && new.exchanges_without_link != old.exchanges_without_link {
        bits |= irq::AN_ERROR | irq::FLP_NO_LINK;
    }
    bits
}
