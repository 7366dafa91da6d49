//! The copper status registers and the interrupt status, derived from the link engine in one
//! place so that BMSR, PHYSR, the partner registers and INSR always tell the same story.

use super::regs::{self, irq, physr};
use super::Rtl8211f;
use crate::eee;
use crate::medium::{Duplex, LinkMode, Speed};
use crate::resolve::PartnerPages;

/// Everything the device drives into the status registers.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct StatusView {
    pub link: bool,
    pub an_complete: bool,
    /// PHYSR, the bits in `physr::ALL`.
    pub physr: u16,
    /// ANLPAR.
    pub lp_ability: u16,
    /// ANER bits 3 and 0.
    pub expansion: u16,
    /// GBSR bits 15..10.
    pub stat1000: u16,
    /// MMD 7.61.
    pub eee_lp: u16,
    pub exchanges: u32,
    pub exchanges_without_link: u32,
}

impl Rtl8211f {
    pub(super) fn derive_status(&self) -> StatusView {
        let link = &self.link;
        let up = link.is_up();
        let ability = &link.config().ability;
        // PHYSR carries the resolved speed/duplex once autonegotiation picked them (training
        // included), the forced ones when it is off, and 0 (10/Half) otherwise.
        let resolved = if !link.running() {
            None
        } else if ability.autoneg {
            link.link().map(|l| (l.speed, l.duplex))
        } else {
            Some(ability.forced)
        };
        let mut sr = 0;
        if let Some((speed, duplex)) = resolved {
            sr |= match speed {
                // A gigabit PHY never resolves a multi-gigabit speed.
                Speed::S1000 | Speed::S2500 | Speed::S5000 | Speed::S10000 => physr::SPEED_1000,
                Speed::S100 => physr::SPEED_100,
                Speed::S10 => 0,
            };
            sr |= bit(duplex == Duplex::Full, physr::DUPLEX);
        }
        if let Some(l) = link.link() {
            sr |= bit(l.master == Some(true), physr::MASTER);
        }
        sr |= bit(up, physr::LINK);

        let pages = link.pages();
        let mut stat1000 = pages.map_or(0, |p| {
            bit(p.advertise.contains(LinkMode::BaseT1000Full), 0x0800)
                | bit(p.advertise.contains(LinkMode::BaseT1000Half), 0x0400)
        });
        if let Some(l) = link.link().filter(|l| l.speed == Speed::S1000) {
            stat1000 |= bit(l.master == Some(true), 0x4000);
            stat1000 |= bit(up, 0x3000);
        }
        stat1000 |= bit(link.master_slave_fault(), 0x8000);

        StatusView {
            link: up,
            an_complete: up && ability.autoneg,
            physr: sr,
            lp_ability: pages.map_or(0, base_page),
            expansion: pages.map_or(0, |p| if p.next_page { 0x0009 } else { 0x0001 }),
            stat1000,
            eee_lp: pages.map_or(0, |p| eee::cap1(p.eee) & regs::EEE_MODES),
            exchanges: link.exchanges(),
            exchanges_without_link: link.exchanges_without_link(),
        }
    }

    /// Drives the status registers from the engine and raises the interrupts the change
    /// implies. Called after anything that may move the link, at the instant it happened.
    pub(super) fn sync(&mut self) {
        let new = self.derive_status();
        let old = std::mem::replace(&mut self.view, new);
        let r = &mut self.regs;
        r.set_live(
            regs::BMSR,
            regs::status::LINK | regs::status::AN_COMPLETE,
            bit(new.link, regs::status::LINK) | bit(new.an_complete, regs::status::AN_COMPLETE),
        );
        r.set_live(regs::PHYSR, physr::ALL, new.physr);
        r.set_live(regs::LPA, 0xffff, new.lp_ability);
        r.set_live(regs::EXPANSION, 0x0009, new.expansion);
        if new.exchanges != old.exchanges {
            // ANER.1 latches high on each new page.
            r.set_live(regs::EXPANSION, 0x0002, 0x0002);
            r.set_live(regs::EXPANSION, 0x0002, 0);
        }
        r.set_live(regs::STAT1000, 0xfc00, new.stat1000);
        if self.link.link().is_some_and(|l| l.master.is_some()) {
            // A resolution that succeeds clears a fault latched before (40.5.1.2).
            r.rearm(regs::STAT1000, 0x8000);
        }
        r.raise(regs::INSR, interrupt_events(&old, &new));
        self.mmd
            .set_live(regs::EEE_LP_ABILITY, regs::EEE_MODES, new.eee_lp);
    }
}

fn base_page(p: &PartnerPages) -> u16 {
    let tech = [
        (LinkMode::BaseT10Half, 0x0020),
        (LinkMode::BaseT10Full, 0x0040),
        (LinkMode::BaseT100Half, 0x0080),
        (LinkMode::BaseT100Full, 0x0100),
    ]
    .into_iter()
    .filter(|(m, _)| p.advertise.contains(*m))
    .fold(0, |acc, (_, bit)| acc | bit);
    let pause = bit(p.pause.pause_bit(), 0x0400) | bit(p.pause.asym_dir_bit(), 0x0800);
    // Acknowledge (bit 14) is always set in a received base page: the partner saw ours.
    0x0001 | tech | pause | 0x4000 | bit(p.next_page, 0x8000)
}

fn bit(set: bool, mask: u16) -> u16 {
    if set {
        mask
    } else {
        0
    }
}

/// INSR bits for the transition `old` → `new`.
fn interrupt_events(old: &StatusView, new: &StatusView) -> u16 {
    let mut bits = 0;
    if old.link != new.link {
        bits |= irq::LINK_STATUS;
    }
    if new.an_complete && !old.an_complete {
        bits |= irq::AN_COMPLETE;
    }
    if new.exchanges != old.exchanges {
        bits |= irq::PAGE_RECEIVED;
    }
    if new.exchanges_without_link != old.exchanges_without_link {
        bits |= irq::AN_ERROR;
    }
    bits
}
