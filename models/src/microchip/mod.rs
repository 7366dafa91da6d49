//! Microchip KSZ9131RNX gigabit PHY, as drivers/net/phy/micrel.c ("Microchip KSZ9131 Gigabit
//! PHY", PHY_ID_KSZ9131 0x00221640 matched on the model, mask 0xfffffff0) drives it.
//!
//! Clause 22 registers 0x00-0x1f (no paging) plus MMD registers reached through 0x0d/0x0e
//! (device 2: common control, RGMII pad skews and DLLs; devices 3/7: EEE; device 0x1c: the
//! undocumented loopback registers). A change of BMCR speed, duplex or autonegotiation enable
//! restarts the link at once with the registers' contents; the advertisement (0x04, 0x09, EEE
//! in MMD 7.60) is taken whenever the link starts over (restart AN, reset completion, leaving
//! power down, a forced MDI/MDI-X change, the end of a LinkMD test, cable or partner change).
//! A software reset (BMCR.15) restores the Clause 22 registers at once (but not the read-only
//! bits a register dump set) and holds the PHY in reset for `LinkTiming::soft_reset`; the MMD
//! registers (strap-like configuration, skews, DLLs, EEE advertisement) keep their values. A
//! power-on reset restores everything.

mod regs;

use crate::an::{bit, resolved};
use crate::c22::{self, bmcr};
use crate::catalog::ModelInfo;
use crate::copper::{copper_phy, CopperCore, LinkConfig};
use crate::dump::{self, DumpAddr, DumpEntry, DumpError, DumpSink, DumpedBits, Placement};
use crate::eee;
use crate::medium::{Duplex, FaultKind, LinkMode, PairReport, Speed};
use crate::mmd::MmdIndirect;
use crate::notes::{Op, Target};
use crate::regfile::{RegAddr, RegFile, RegMapError, Written};
use crate::resolve::LocalAbility;
use crate::{Instant, MdioDevice, Phy};
use regs::{intcs, linkmd, mdix, phyctrl, Hook};
use std::time::Duration;

pub use regs::{DEVAD_COMMON, DLL_DISABLE};

pub const KSZ9131: ModelInfo = ModelInfo {
    name: "microchip-ksz9131",
    description: "Microchip KSZ9131RNX 10/100/1000BASE-T PHY, RGMII",
    phy_id: 0x0022_1640,
    clause45: false,
    link_modes: &LinkMode::GIGABIT,
    kernel_driver: "Microchip KSZ9131 Gigabit PHY",
};

/// How long one LinkMD pair test runs (VCT_EN set to self-cleared).
pub const LINKMD_TIME: Duration = Duration::from_millis(20);

/// Everything the device drives into the status registers.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
struct StatusView {
    ieee: c22::Status,
    /// PHY control (0x1f) status bits.
    phyctrl: u16,
    /// Digital PMA/PCS status (0x13).
    pma: u16,
    /// Digital AX/AN status (0x14).
    axan: u16,
}

pub struct Ksz9131 {
    regs: RegFile<Hook>,
    mmd: RegFile<()>,
    mmd_access: MmdIndirect,
    core: CopperCore,
    view: StatusView,
    /// A software reset in progress ends then.
    reset_done: Option<Instant>,
    /// A LinkMD test in progress ends then.
    linkmd_done: Option<Instant>,
    /// The read-only Clause 22 bits a register dump set: what the reporter's part is (ID,
    /// abilities), so a software reset keeps them.
    dumped_ro: Vec<DumpedBits>,
}

impl Ksz9131 {
    /// Powers the part up at `now`, with no cable plugged in.
    pub fn new(info: &'static ModelInfo, now: Instant) -> Result<Ksz9131, RegMapError> {
        let regs = RegFile::new(regs::MAP)?;
        let mmd = RegFile::new(regs::MMD_MAP)?;
        let mut m = Ksz9131 {
            core: CopperCore::new(info, config_from(&regs, &mmd)),
            regs,
            mmd,
            mmd_access: MmdIndirect::default(),
            view: StatusView::default(),
            reset_done: None,
            linkmd_done: None,
            dumped_ro: Vec::new(),
        };
        m.power_on_reset(now);
        Ok(m)
    }

    /// What a guest read of Clause 22 register `reg` would return now, without side effects
    /// and without running time forward. For register dumps and tests.
    pub fn peek(&self, reg: u8) -> Option<u16> {
        self.regs.peek(RegAddr::page(0, reg))
    }

    /// The same for an MMD register.
    pub fn peek_mmd(&self, devad: u8, reg: u16) -> Option<u16> {
        self.mmd.peek(RegAddr::new(u16::from(devad), reg))
    }

    fn powered_down(&self) -> bool {
        self.regs.live(regs::BMCR) & bmcr::POWER_DOWN != 0
    }

    /// Starts the link over with the registers as they are now, or stops it while the PHY is
    /// powered down, in reset or running a cable test.
    fn start_link(&mut self, now: Instant) {
        if self.powered_down() || self.reset_done.is_some() || self.linkmd_done.is_some() {
            self.core.link.stop();
        } else {
            self.core
                .link
                .start(now, config_from(&self.regs, &self.mmd), &self.core.medium);
        }
    }

    /// Clause 22 registers back to their reset values; the reset raises no interrupt events
    /// (the interrupt register is cleared by it).
    fn reset_c22(&mut self) {
        self.regs.reset_where(|_| true);
        self.mmd_access.reset();
        self.regs
            .set_live(regs::PHYID2, 0xffff, self.core.info.phy_id as u16);
        dump::restore(&self.dumped_ro, &mut [&mut self.regs]);
        self.linkmd_done = None;
        self.core.link.stop();
        self.view = self.derive_status();
        self.sync();
    }

    fn on_write(&mut self, now: Instant, w: Written<Hook>) {
        match w.hook {
            Some(Hook::Bmcr) => {
                // Restart AN self-clears as soon as autonegotiation restarts, which is at once.
                self.regs.complete(regs::BMCR, bmcr::RESTART_AN);
                if w.rose(bmcr::RESET) {
                    self.reset_c22();
                    // BMCR.15 reads 1 until the reset completes.
                    self.regs
                        .write(regs::BMCR, self.regs.live(regs::BMCR) | bmcr::RESET);
                    self.reset_done = Some(now + self.core.link.timing().soft_reset);
                    return;
                }
                let was_down = w.old & bmcr::POWER_DOWN != 0;
                if was_down != self.powered_down() {
                    // Entering power down stops the link; leaving it restarts autonegotiation.
                    return self.start_link(now);
                }
                let reconfigured = (w.old ^ w.new) & bmcr::LINK_CONFIG != 0;
                let restart = w.new & bmcr::RESTART_AN != 0 && w.new & bmcr::AN_ENABLE != 0;
                if reconfigured || restart {
                    self.start_link(now);
                }
            }
            Some(Hook::LinkMd) => {
                if w.rose(linkmd::VCT_EN) && self.reset_done.is_none() {
                    // The test transmits on the pairs: the link drops for its duration.
                    self.linkmd_done = Some(now + LINKMD_TIME);
                    self.core.link.stop();
                } else if w.new & linkmd::VCT_EN != 0 && self.linkmd_done.is_none() {
                    // In reset the test does not start.
                    self.regs.complete(regs::LINKMD, linkmd::VCT_EN);
                }
            }
            Some(Hook::Mdix) => {
                if w.old != w.new && self.core.link.running() {
                    self.start_link(now);
                }
            }
            Some(Hook::MmdData) | None => {}
        }
    }

    fn finish_linkmd(&mut self, now: Instant) {
        self.linkmd_done = None;
        let ctl = self.regs.live(regs::LINKMD);
        // VCT_PAIR 0-3 are MDI pairs A-D, as ksz9x31_cable_test_get_pair() reports them.
        let pair = usize::from((ctl & linkmd::PAIR) >> 12);
        let (status, data) = linkmd_result(self.core.medium.pair_report(pair));
        self.regs.set_live(
            regs::LINKMD,
            linkmd::STATUS | linkmd::DATA,
            (status << 8) | data,
        );
        self.regs.complete(regs::LINKMD, linkmd::VCT_EN);
        self.start_link(now);
    }

    fn mmd_data(&mut self, now: Instant, write: Option<u16>) -> u16 {
        let ctrl = self.regs.live(regs::MMDCTRL);
        self.mmd_access
            .data(now, ctrl, write, &mut self.mmd, &mut self.core.log)
    }

    fn derive_status(&self) -> StatusView {
        let link = &self.core.link;
        let up = link.is_up();
        let resolved = resolved(link);
        let mut ctl = 0;
        if let Some((speed, duplex)) = resolved {
            ctl |= match speed {
                // A gigabit PHY never resolves a multi-gigabit speed.
                Speed::S1000 | Speed::S2500 | Speed::S5000 | Speed::S10000 => phyctrl::SPEED_1000,
                Speed::S100 => phyctrl::SPEED_100,
                Speed::S10 => phyctrl::SPEED_10,
            };
            ctl |= bit(duplex == Duplex::Full, phyctrl::DUPLEX);
        }
        if let Some(l) = link.link().filter(|l| l.speed == Speed::S1000) {
            ctl |= bit(link.running() && l.master == Some(true), phyctrl::MASTER);
        }
        let speed_up = |s: Speed| up && resolved.is_some_and(|(speed, _)| speed == s);
        let pma = bit(speed_up(Speed::S1000), 0x0004) | bit(speed_up(Speed::S100), 0x0002);
        // Auto MDI/MDI-X settles on MDI (the partner crosses over); forced modes are kept.
        let m = self.regs.live(regs::AUTO_MDIX);
        let mdi = m & mdix::SWAP_OFF == 0 || m & mdix::MDI_SET != 0;
        let axan = bit(up, 0x4000) | bit(up && mdi, 0x1000);
        StatusView {
            ieee: c22::Status::of(link),
            phyctrl: ctl,
            pma,
            axan,
        }
    }

    /// Drives the status registers from the link engine and latches the events the change
    /// implies into the interrupt status byte. Called after anything that may move the link,
    /// at that instant.
    fn sync(&mut self) {
        let new = self.derive_status();
        let old = std::mem::replace(&mut self.view, new);
        let r = &mut self.regs;
        c22::sync(r, regs::page0, &self.core.link, &old.ieee, &new.ieee);
        r.set_live(regs::PHYCTRL, phyctrl::STATUS, new.phyctrl);
        r.set_live(regs::DIG_PMA, 0x0006, new.pma);
        r.set_live(regs::DIG_AXAN, 0x5000, new.axan);
        let (old, new) = (&old.ieee, &new.ieee);
        let events = bit(new.link && !old.link, intcs::LINK_UP)
            | bit(old.link && !new.link, intcs::LINK_DOWN)
            | bit(
                new.exchanges != old.exchanges,
                intcs::PAGE_RECEIVED | intcs::LP_ACK,
            );
        r.raise(regs::INTCS, events);
        self.mmd
            .set_live(regs::MMD_EEE_LP, regs::EEE_MODES, new.eee_lp);
    }
}

/// LinkMD's reading of one pair: (VCT_ST, VCT_DATA). VCT_DATA counts 0.4 m from a
/// calibration offset of 22 (ksz9x31_cable_test_fault_length: (data - 22) * 0.4 m), to the
/// nearest count, and saturates at 255 (93.2 m). The part tells only normal, open and short:
/// a cross-pair short lowers the pair's impedance like a short of its own, and an impedance
/// mismatch reflects less than the open/short thresholds, so it reads normal.
fn linkmd_result(report: PairReport) -> (u16, u16) {
    let (status, distance_m) = match report {
        PairReport::Ok => return (linkmd::ST_NORMAL, 0),
        PairReport::Fault { kind, distance_m } => match kind {
            FaultKind::Open => (linkmd::ST_OPEN, distance_m),
            FaultKind::Short | FaultKind::CrossShort => (linkmd::ST_SHORT, distance_m),
            FaultKind::ImpedanceMismatch => return (linkmd::ST_NORMAL, 0),
        },
    };
    let data = (22.0 + (distance_m / 0.4).round()).min(255.0) as u16;
    (status, data)
}

/// The link configuration the registers hold now.
fn config_from(regs: &RegFile<Hook>, mmd: &RegFile<()>) -> LinkConfig {
    let ability = c22::ability(
        regs.live(regs::BMCR),
        regs.live(regs::ANAR),
        regs.live(regs::CTRL1000),
        true,
    );
    LinkConfig {
        ability: LocalAbility {
            // An MMD register: unlike 0x04/0x09 it survives a soft reset.
            eee: eee::modes(mmd.live(regs::MMD_EEE_ADV), 0),
            ..ability
        },
        downshift_after: None,
    }
}

impl MdioDevice for Ksz9131 {
    fn c22_read(&mut self, now: Instant, reg: u8) -> Option<u16> {
        self.advance(now);
        let addr = RegAddr::page(0, reg & 31);
        if self.regs.hook(addr) == Some(Hook::MmdData) {
            return Some(self.mmd_data(now, None));
        }
        Some(self.regs.read(addr).unwrap_or_else(|| {
            // Reserved registers read as 0.
            self.core.log.record(
                now,
                Target::C22 { page: None, reg },
                Op::Read { answered: 0 },
            );
            0
        }))
    }

    fn c22_write(&mut self, now: Instant, reg: u8, value: u16) {
        self.advance(now);
        let addr = RegAddr::page(0, reg & 31);
        if self.regs.hook(addr) == Some(Hook::MmdData) {
            self.mmd_data(now, Some(value));
            return;
        }
        match self.regs.write(addr, value) {
            Some(w) => self.on_write(now, w),
            None => self
                .core
                .log
                .record(now, Target::C22 { page: None, reg }, Op::Write { value }),
        }
        self.sync();
    }

    /// The KSZ9131 answers Clause 22 only.
    fn c45_read(&mut self, _now: Instant, _devad: u8, _reg: u16) -> Option<u16> {
        None
    }

    fn c45_write(&mut self, _now: Instant, _devad: u8, _reg: u16, _value: u16) {}

    fn advance(&mut self, now: Instant) {
        while let Some(t) = self.next_deadline().filter(|t| *t <= now) {
            if self.reset_done == Some(t) {
                self.reset_done = None;
                self.regs.complete(regs::BMCR, bmcr::RESET);
                self.start_link(t);
            } else if self.linkmd_done == Some(t) {
                self.finish_linkmd(t);
            } else {
                self.core.link.on_deadline(t, &self.core.medium);
            }
            self.sync();
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        [self.reset_done, self.linkmd_done, self.core.link.deadline()]
            .into_iter()
            .flatten()
            .min()
    }

    /// INT# is asserted while any event in the status byte is enabled in the high byte. The
    /// polarity bit (0x1f.14) is stored only: this is the logical level.
    fn irq_asserted(&self) -> bool {
        let v = self.regs.live(regs::INTCS);
        (v & 0x00ff) & (v >> 8) != 0
    }

    fn power_on_reset(&mut self, now: Instant) {
        self.mmd.reset_where(|_| true);
        self.dumped_ro.clear();
        self.reset_done = None;
        self.reset_c22();
        self.start_link(now);
        self.sync();
    }
}

impl Phy for Ksz9131 {
    copper_phy!(
        restart: |m, now| m.start_link(now),
        isolated: |m| m.regs.live(regs::BMCR) & bmcr::ISOLATE != 0,
    );

    /// Loads the dump over the power-on values. Read-only fields (the PHY ID, the BMSR and
    /// 0x0f abilities, MMD 3.20, the MMD 2 strap status) take the dumped value and keep it
    /// through a software reset: they describe the reporter's part, not its configuration.
    /// These are never loaded, and the dump's values for them are dropped:
    /// - the status the model derives from the scenario's `cable` and `partner`: BMSR link,
    ///   autonegotiation complete, remote fault and jabber; 0x05 and 0x08 (partner pages); 0x06
    ///   bits 4, 3, 1, 0; 0x0a bits 15:10; the LinkMD result in 0x12 (VCT_ST, VCT_DATA); 0x13;
    ///   0x14; the 0x1f status bits (speed, duplex, master, link check fail); MMD 3.1 and 7.61.
    ///   A dump shows the link the reporter had, the scenario says which link this run has, so
    ///   the two cannot disagree behind the driver's back;
    /// - self-clearing actions (BMCR reset and restart autonegotiation, LinkMD VCT_EN) and
    ///   clear-on-read events and counters (the 0x1b status byte, 0x15, 0x0a bits 7:0): they
    ///   are not state;
    /// - reserved bits, and 0x0d/0x0e (the MMD access window: give the MMD registers as
    ///   `mmd D reg R` lines instead).
    ///
    /// Configuration (BMCR, 0x04, 0x09, 0x1c, the MMD registers) then takes effect as after a
    /// power-up with those values: the link starts over from it, or stays down while BMCR
    /// power down is set. A software reset later restores the Clause 22 configuration to the
    /// part's reset values as it always does (a bootloader's settings do not survive it) and
    /// keeps the MMD registers. Refused: a `page` other than 0 (the part has no register
    /// pages), an MMD the model does not have (it has 1, 2, 3, 7 and 0x1c), and a non-zero
    /// value for a register the model does not implement (it would read 0).
    fn preload(&mut self, now: Instant, dump: &[DumpEntry]) -> Result<(), DumpError> {
        self.advance(now);
        let model = self.core.info.name;
        dump::load_dump(
            model,
            dump,
            &mut [&mut self.regs as &mut dyn DumpSink, &mut self.mmd],
            |a| place(model, a),
            derived,
        )?;
        self.dumped_ro =
            dump::read_only(dump, &[&self.regs, &self.mmd], |a| place(model, a), derived);
        // A software reset keeps the MMD registers: only the Clause 22 bits need restoring.
        self.dumped_ro.retain(|b| b.file == C22_REGS);
        self.reset_done = None;
        self.linkmd_done = None;
        self.core.link.stop();
        // As at power-up: the link starting over raises no interrupt events.
        self.view = self.derive_status();
        self.start_link(now);
        self.sync();
        Ok(())
    }
}

/// The register files `preload` hands to [`dump::load_dump`], in this order.
const C22_REGS: usize = 0;
const MMD_REGS: usize = 1;

/// Where the KSZ9131 keeps the register a dump line names.
fn place(model: &str, addr: DumpAddr) -> Result<Placement, String> {
    match addr {
        // The window's last address and data say nothing about the part: the MMD registers
        // it reaches have lines of their own.
        DumpAddr::C22 {
            page: 0,
            reg: 0x0d | 0x0e,
        } => Ok(Placement::Skip),
        DumpAddr::C22 { page: 0, reg } => Ok(Placement::At {
            file: C22_REGS,
            addr: RegAddr::page(0, reg),
        }),
        DumpAddr::C22 { page, .. } => Err(format!(
            "the {model} model has no page {page} (the part has no register pages: give its registers without `page`)"
        )),
        DumpAddr::C45 { devad, reg } => Ok(Placement::At {
            file: MMD_REGS,
            addr: RegAddr::new(u16::from(devad), reg),
        }),
    }
}

/// The bits of a register the model keeps deriving (`sync`, LinkMD): never loaded from a
/// dump.
fn derived(file: usize, addr: RegAddr) -> u16 {
    match (file, addr) {
        (C22_REGS, regs::DIG_PMA | regs::DIG_AXAN) => 0xffff,
        (C22_REGS, regs::LINKMD) => linkmd::STATUS | linkmd::DATA,
        (C22_REGS, regs::PHYCTRL) => phyctrl::STATUS,
        (MMD_REGS, regs::MMD_PCS_STATUS1 | regs::MMD_EEE_LP) => 0xffff,
        (C22_REGS, a) => c22::derived(a.reg),
        _ => 0,
    }
}

#[cfg(test)]
mod preload_tests {
    use super::*;
    use crate::medium::{LinkModes, LinkPartner, Medium};
    use std::time::Duration;

    fn preloaded(text: &str) -> Result<Ksz9131, DumpError> {
        let mut m = Ksz9131::new(&KSZ9131, Instant::ZERO).unwrap();
        m.preload(Instant::ZERO, &dump::parse(text).unwrap())?;
        Ok(m)
    }

    fn at(s: u64) -> Instant {
        Instant::ZERO + Duration::from_secs(s)
    }

    fn full_partner() -> Medium {
        Medium::cable_to(LinkPartner::negotiating(LinkModes::all()), 5.0)
    }

    #[test]
    fn dumped_values_read_back_even_read_only_ones() {
        let m = preloaded(
            "3 = 0x1642\n15 = 0x2000\n4 = 0x0c61\n0x1c = 0x0040\n\
             mmd 2 reg 8 = 0x03ff\nmmd 3 reg 20 = 0x0002\n",
        )
        .unwrap();
        assert_eq!(m.peek(3), Some(0x1642));
        assert_eq!(m.peek(15), Some(0x2000));
        assert_eq!(m.peek(4), Some(0x0c61));
        assert_eq!(m.peek(0x1c), Some(0x0040));
        assert_eq!(m.peek_mmd(2, 8), Some(0x03ff));
        assert_eq!(m.peek_mmd(3, 20), Some(0x0002));
    }

    #[test]
    fn a_soft_reset_keeps_what_the_part_is_and_drops_its_configuration() {
        let mut m =
            preloaded("3 = 0x1642\n15 = 0x2000\n4 = 0x0061\nmmd 2 reg 8 = 0x03ff\n").unwrap();
        m.c22_write(at(1), 0x00, bmcr::RESET | bmcr::AN_ENABLE);
        m.advance(at(2));
        assert_eq!(m.peek(0).unwrap() & bmcr::RESET, 0, "reset done");
        assert_eq!(m.peek(3), Some(0x1642), "ID");
        assert_eq!(m.peek(15), Some(0x2000), "abilities");
        assert_eq!(m.peek(4), Some(0x01e1), "advertisement back to reset");
        assert_eq!(m.peek_mmd(2, 8), Some(0x03ff), "MMD registers kept");
        // A power-on with no dump is the part's own again.
        m.power_on_reset(at(3));
        assert_eq!(m.peek(3), Some(0x1640));
    }

    #[test]
    fn link_status_stays_with_the_engine() {
        // Taken with the link up at 1000/Full, interrupts enabled and a link-up event pending.
        let mut m = preloaded(
            "1 = 0x796d\n5 = 0xc5e1\n6 = 0x000f\n8 = 0x2001\n0x0a = 0x3c00\n0x12 = 0x0100\n\
             0x13 = 0x0004\n0x14 = 0x5000\n0x1b = 0x0501\n0x1f = 0x0348\n\
             mmd 3 reg 1 = 0x0004\nmmd 7 reg 61 = 0x0006\n",
        )
        .unwrap();
        for reg in [5, 8, 0x12, 0x13, 0x14] {
            assert_eq!(m.peek(reg), Some(0), "reg {reg:#x}");
        }
        assert_eq!(m.peek(1), Some(0x7949));
        assert_eq!(m.peek(6), Some(0x0004));
        assert_eq!(m.peek(0x0a), Some(0));
        assert_eq!(m.peek(0x1b), Some(0x0500), "enables load, events do not");
        assert_eq!(
            m.peek(0x1f),
            Some(0x0200),
            "jabber enable loads, the resolution does not"
        );
        assert_eq!(m.peek_mmd(3, 1), Some(0));
        assert_eq!(m.peek_mmd(7, 61), Some(0));
        assert!(!m.irq_asserted());
        // A cable with nothing at the far end: no link appears.
        let mut medium = full_partner();
        medium.partner = None;
        m.set_medium(at(0), medium);
        m.advance(at(10));
        assert!(!m.link_state().up);
        assert_eq!(m.c22_read(at(10), 1).unwrap() & c22::bmsr::LINK, 0);
    }

    #[test]
    fn a_dumped_advertisement_takes_effect() {
        // 10BASE-T half duplex only, no 1000BASE-T.
        let mut m = preloaded("4 = 0x0021\n9 = 0x0000\n").unwrap();
        m.set_medium(Instant::ZERO, full_partner());
        m.advance(at(3));
        let l = m.link_state();
        assert!(l.up);
        assert_eq!((l.speed, l.duplex), (Some(Speed::S10), Some(Duplex::Half)));
        assert_eq!(m.peek(0x1f).unwrap() & phyctrl::STATUS, phyctrl::SPEED_10);
    }

    #[test]
    fn a_dumped_power_down_holds_the_link_down_until_cleared() {
        let mut m = preloaded("0 = 0x1940\n").unwrap();
        assert!(m.powered_down());
        m.set_medium(Instant::ZERO, full_partner());
        m.advance(at(5));
        assert!(!m.link_state().up);
        // genphy_resume().
        m.c22_write(at(5), 0x00, 0x1140);
        m.advance(at(8));
        let l = m.link_state();
        assert_eq!((l.up, l.speed), (true, Some(Speed::S1000)));
    }

    #[test]
    fn access_windows_are_skipped() {
        let m = preloaded("13 = 0x4002\n14 = 0x03ff\n").unwrap();
        assert_eq!(m.peek(13), Some(0));
        assert_eq!(m.peek(14), Some(0));
        assert_eq!(m.peek_mmd(2, 8), Some(0x00e7));
    }

    #[test]
    fn pages_unknown_mmds_and_unmodelled_registers_are_refused() {
        let e = |t: &str| preloaded(t).err().unwrap().to_string();
        assert_eq!(
            e("0 = 0x1140\npage 2 reg 4 = 0x01e1"),
            "line 2: page 2 reg 4: the microchip-ksz9131 model has no page 2 \
             (the part has no register pages: give its registers without `page`)"
        );
        assert_eq!(
            e("mmd 30 reg 1 = 0"),
            "line 1: mmd 30 reg 0x0001: the microchip-ksz9131 model has no MMD 30"
        );
        assert_eq!(
            e("0x18 = 0x1234"),
            "line 1: page 0 reg 24 = 0x1234: the microchip-ksz9131 model does not implement \
             this register (it reads 0); remove the line"
        );
        assert!(e("mmd 2 reg 0x100 = 5").starts_with("line 1: mmd 2 reg 0x0100 = 0x0005:"));
        // A zero for an unmodelled register is what the model reads anyway.
        preloaded("0x18 = 0\nmmd 2 reg 0x100 = 0").unwrap();
    }
}
