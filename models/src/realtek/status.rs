//! The copper status registers and the interrupt status, derived from the link engine in one
//! place so that BMSR, PHYSR, the partner registers and INSR always tell the same story.

use super::regs::{self, irq, physr};
use super::Rtl8211f;
use crate::an::{bit, resolved};
use crate::c22;
use crate::medium::{Duplex, Speed};
use crate::regfile::RegAddr;

/// Everything the device drives into the status registers.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct StatusView {
    pub ieee: c22::Status,
    /// PHYSR, the bits in `physr::ALL`.
    pub physr: u16,
}

impl Rtl8211f {
    pub(super) fn derive_status(&self) -> StatusView {
        let link = &self.core.link;
        // PHYSR carries the resolved speed/duplex once autonegotiation picked them (training
        // included), the forced ones when it is off, and 0 (10/Half) otherwise.
        let mut sr = 0;
        if let Some((speed, duplex)) = resolved(link) {
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
        sr |= bit(link.is_up(), physr::LINK);
        StatusView {
            ieee: c22::Status::of(link),
            physr: sr,
        }
    }

    /// Drives the status registers from the engine and raises the interrupts the change
    /// implies. Called after anything that may move the link, at the instant it happened.
    pub(super) fn sync(&mut self) {
        let new = self.derive_status();
        let old = std::mem::replace(&mut self.view, new);
        let r = &mut self.regs;
        c22::sync(r, RegAddr::global, &self.core.link, &old.ieee, &new.ieee);
        r.set_live(regs::PHYSR, physr::ALL, new.physr);
        r.raise(regs::INSR, interrupt_events(&old.ieee, &new.ieee));
        self.mmd
            .set_live(regs::EEE_LP_ABILITY, regs::EEE_MODES, new.ieee.eee_lp);
    }
}

/// INSR bits for the transition `old` → `new`.
fn interrupt_events(old: &c22::Status, new: &c22::Status) -> u16 {
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
