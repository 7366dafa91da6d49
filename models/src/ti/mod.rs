//! Texas Instruments DP83867IR/CR gigabit PHY, as drivers/net/phy/dp83867.c ("TI DP83867",
//! DP83867_PHY_ID 0x2000a231 with mask 0xfffffff0) drives it.
//!
//! Clause 22 registers 0x00-0x1f (no paging) plus the extended registers, reached through
//! REGCR (0x0d) / ADDAR (0x0e) in MMD device 0x1f. Configuration is live, as on TI parts: a
//! change of BMCR speed, duplex or autonegotiation enable restarts the link at once with the
//! registers' contents; the advertisement (ANAR, CFG1) and speed optimisation (CFG2) are
//! taken whenever the link starts over (restart AN, CTRL software restart, cable or partner
//! change). A software reset (BMCR.15 or CTRL.15) restores every register, including the
//! extended ones, and completes at once (the driver waits only 10-20 us after CTRL.15);
//! CTRL.14 restarts the PHY and keeps the registers.

mod preload;
mod regs;

use crate::an::{bit, resolved};
use crate::c22::{self, bmcr};
use crate::catalog::ModelInfo;
use crate::copper::{copper_phy, CopperCore, LinkConfig};
use crate::dump::{self, DumpEntry, DumpError, DumpSink, DumpedBits};
use crate::eee;
use crate::medium::{Duplex, LinkMode, Speed};
use crate::mmd::MmdIndirect;
use crate::notes::{Op, Target};
use crate::regfile::{RegAddr, RegFile, RegMapError, Written};
use crate::resolve::LocalAbility;
use crate::{Instant, MdioDevice, Phy};
use regs::{cfg2, cfg3, ctrl, irq, phycr, physts, Hook};

pub const DP83867: ModelInfo = ModelInfo {
    name: "ti-dp83867",
    description: "Texas Instruments DP83867IR/CR 10/100/1000BASE-T PHY, RGMII/SGMII",
    phy_id: 0x2000_a231,
    clause45: false,
    link_modes: &LinkMode::GIGABIT,
    kernel_driver: "TI DP83867",
};

/// Everything the device drives into the status registers.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
struct StatusView {
    ieee: c22::Status,
    /// PHYSTS (0x11).
    physts: u16,
}

pub struct Dp83867 {
    regs: RegFile<Hook>,
    mmd: RegFile<()>,
    mmd_access: MmdIndirect,
    core: CopperCore,
    view: StatusView,
    /// The read-only bits a register dump set (file, address, mask, value): what the
    /// reporter's part is (ID, abilities, straps), so a software reset keeps them.
    dumped_ro: Vec<DumpedBits>,
}

impl Dp83867 {
    /// Powers the part up at `now`, with no cable plugged in.
    pub fn new(info: &'static ModelInfo, now: Instant) -> Result<Dp83867, RegMapError> {
        let regs = RegFile::new(regs::MAP)?;
        let mmd = RegFile::new(regs::MMD_MAP)?;
        let mut m = Dp83867 {
            core: CopperCore::new(info, config_from(&regs, &mmd)),
            regs,
            mmd,
            mmd_access: MmdIndirect::default(),
            view: StatusView::default(),
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

    /// The same for an MMD register (`devad` 0x1f: the extended registers).
    pub fn peek_mmd(&self, devad: u8, reg: u16) -> Option<u16> {
        self.mmd.peek(RegAddr::new(u16::from(devad), reg))
    }

    fn powered_down(&self) -> bool {
        self.regs.live(regs::BMCR) & bmcr::POWER_DOWN != 0
    }

    /// Starts the link over with the registers as they are now (or stops it if powered down).
    fn start_link(&mut self, now: Instant) {
        if self.powered_down() {
            self.core.link.stop();
        } else {
            self.core
                .link
                .start(now, config_from(&self.regs, &self.mmd), &self.core.medium);
        }
    }

    /// Every register back to its reset value and the link started over; the reset itself
    /// raises no interrupt events (ISR is cleared by it).
    fn reset_all(&mut self, now: Instant) {
        self.regs.reset_where(|_| true);
        self.mmd.reset_where(|_| true);
        self.mmd_access.reset();
        self.regs
            .set_live(regs::PHYIDR2, 0xffff, self.core.info.phy_id as u16);
        dump::restore(&self.dumped_ro, &mut [&mut self.regs, &mut self.mmd]);
        self.core.link.stop();
        self.start_link(now);
        self.view = self.derive_status();
        self.sync();
    }

    fn on_write(&mut self, now: Instant, w: Written<Hook>) {
        match w.hook {
            Some(Hook::Bmcr) => {
                // Restart AN self-clears as soon as autonegotiation restarts, which is at once.
                self.regs.complete(regs::BMCR, bmcr::RESTART_AN);
                if w.rose(bmcr::RESET) {
                    return self.reset_all(now);
                }
                let was_down = w.old & bmcr::POWER_DOWN != 0;
                if was_down != self.powered_down() {
                    // Entering power down stops the link; leaving it restarts autonegotiation.
                    return self.start_link(now);
                }
                let reconfigured = (w.old ^ w.new) & bmcr::LINK_CONFIG != 0;
                let restart = w.new & bmcr::RESTART_AN != 0 && w.new & bmcr::AN_ENABLE != 0;
                if !self.powered_down() && (reconfigured || restart) {
                    self.start_link(now);
                }
            }
            Some(Hook::Ctrl) => {
                if w.new & ctrl::SW_RESET != 0 {
                    return self.reset_all(now);
                }
                self.regs.complete(regs::CTRL, ctrl::SW_RESTART);
                if w.new & ctrl::SW_RESTART != 0 {
                    self.start_link(now);
                }
            }
            Some(Hook::MmdData) | None => {}
        }
    }

    fn mmd_data(&mut self, now: Instant, write: Option<u16>) -> u16 {
        let ctrl = self.regs.live(regs::REGCR);
        self.mmd_access
            .data(now, ctrl, write, &mut self.mmd, &mut self.core.log)
    }

    fn derive_status(&self) -> StatusView {
        let link = &self.core.link;
        let up = link.is_up();
        let mut sts = 0;
        if let Some((speed, duplex)) = resolved(link) {
            sts |= physts::RESOLVED;
            sts |= match speed {
                // A gigabit PHY never resolves a multi-gigabit speed.
                Speed::S1000 | Speed::S2500 | Speed::S5000 | Speed::S10000 => physts::SPEED_1000,
                Speed::S100 => physts::SPEED_100,
                Speed::S10 => 0,
            };
            sts |= bit(duplex == Duplex::Full, physts::DUPLEX);
        }
        if up {
            sts |= physts::LINK;
            // Auto crossover settles on MDI (the partner crosses over); manual MDI-X shows
            // crossed pairs A/B and C/D.
            let mdi = self.regs.live(regs::PHYCR) & phycr::MDI_CROSSOVER;
            sts |= bit(mdi == phycr::MDI_MANUAL_MDIX, physts::MDIX);
        }
        sts |= bit(link.pages().is_some(), physts::PAGE_RECEIVED);
        sts |= bit(link.running() && link.downshifted(), physts::SPEED_OPT);
        StatusView {
            ieee: c22::Status::of(link),
            physts: sts,
        }
    }

    /// Drives the status registers from the link engine and latches the events the change
    /// implies into ISR. Called after anything that may move the link, at that instant.
    fn sync(&mut self) {
        let new = self.derive_status();
        let old = std::mem::replace(&mut self.view, new);
        let r = &mut self.regs;
        c22::sync(r, regs::page0, &self.core.link, &old.ieee, &new.ieee);
        r.set_live(regs::PHYSTS, 0xffff, new.physts);
        r.raise(regs::ISR, interrupt_events(&old, &new));
        self.mmd
            .set_live(regs::EEE_LP_ABILITY, 0xffff, new.ieee.eee_lp);
    }
}

/// The link configuration the registers hold now.
fn config_from(regs: &RegFile<Hook>, mmd: &RegFile<()>) -> LinkConfig {
    let ability = c22::ability(
        regs.live(regs::BMCR),
        regs.live(regs::ANAR),
        regs.live(regs::CFG1),
        true,
    );
    let cfg2_v = regs.live(regs::CFG2);
    LinkConfig {
        ability: LocalAbility {
            // The part sends what 7.60 holds although it cannot do LPI (dp83867.c clears it).
            eee: eee::modes(mmd.live(regs::EEE_ADV), 0),
            ..ability
        },
        // CFG2 11:10: 1, 2, 4 or 8 attempts.
        downshift_after: (cfg2_v & cfg2::SPEED_OPT_ENABLE != 0)
            .then(|| 1u8 << ((cfg2_v & cfg2::SPEED_OPT_ATTEMPTS) >> 10)),
    }
}

/// ISR bits for the transition `old` → `new`. They latch whether or not MICR enables them.
fn interrupt_events(old: &StatusView, new: &StatusView) -> u16 {
    let changed = |mask: u16| (old.physts ^ new.physts) & mask != 0;
    let (old, new) = (&old.ieee, &new.ieee);
    bit(old.link != new.link, irq::LINK_CHANGED)
        | bit(new.an_complete && !old.an_complete, irq::AN_COMPLETE)
        | bit(new.exchanges != old.exchanges, irq::PAGE_RECEIVED)
        | bit(changed(physts::SPEED), irq::SPEED_CHANGED)
        | bit(changed(physts::DUPLEX), irq::DUPLEX_CHANGED)
        | bit(changed(physts::MDIX), irq::MDI_CROSSOVER_CHANGED)
        | bit(
            new.exchanges_without_link != old.exchanges_without_link,
            irq::AN_ERROR,
        )
}

impl MdioDevice for Dp83867 {
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

    /// The DP83867 answers Clause 22 only.
    fn c45_read(&mut self, _now: Instant, _devad: u8, _reg: u16) -> Option<u16> {
        None
    }

    fn c45_write(&mut self, _now: Instant, _devad: u8, _reg: u16, _value: u16) {}

    fn advance(&mut self, now: Instant) {
        while let Some(t) = self.next_deadline().filter(|t| *t <= now) {
            self.core.link.on_deadline(t, &self.core.medium);
            self.sync();
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        self.core.link.deadline()
    }

    /// INTN/PWDNN drives the interrupt only when CFG3.7 makes it an output.
    fn irq_asserted(&self) -> bool {
        self.regs.live(regs::CFG3) & cfg3::INT_OE != 0
            && self.regs.live(regs::ISR) & self.regs.live(regs::MICR) != 0
    }

    fn power_on_reset(&mut self, now: Instant) {
        self.dumped_ro.clear();
        self.reset_all(now);
    }
}

impl Phy for Dp83867 {
    copper_phy!(
        restart: |m, now| m.start_link(now),
        isolated: |m| m.regs.live(regs::BMCR) & bmcr::ISOLATE != 0,
    );

    /// Loads the dump over the power-on values: Clause 22 registers without `page`, the
    /// extended registers as `mmd 31 reg R` (they are MMD device 0x1f behind REGCR/ADDAR, and
    /// dp83867.c reaches them so), MMD 3 and 7 registers as `mmd 3|7 reg R`. Read-only
    /// fields take the dumped value (PHY ID, BMSR and 1KSCR abilities, MMD 3.20, the strap
    /// status ext 0x6e/0x6f) and keep it through software resets (BMCR.15, CTRL.15): they
    /// describe the reporter's part. These are never loaded, and the dump's values for them
    /// are dropped:
    /// - the status the link engine derives from the scenario's `cable` and `partner`: BMSR
    ///   link, autonegotiation complete, remote fault and jabber; ANLPAR (0x05), ANNPRR
    ///   (0x08); ANER (0x06) bits 4, 3, 1, 0; STS1 (0x0a) bits 15:10 (master/slave fault
    ///   and role, receivers, partner 1000BASE-T); PHYSTS (0x11); STS2 (0x17); MMD 3.1 and
    ///   7.61 (partner EEE). A dump shows the link the reporter had, the scenario says which
    ///   link this run has, so the two cannot disagree behind the driver's back;
    /// - self-clearing actions (BMCR reset and restart autonegotiation, CTRL 0x1f reset and
    ///   restart) and clear-on-read events and counters (ISR 0x13, RECR 0x15, STS1 bits
    ///   7:0): they are not state;
    /// - reserved bits, and REGCR/ADDAR (0x0d/0x0e, the extended and MMD access window: the
    ///   registers behind it have lines of their own).
    ///
    /// Configuration then takes effect as after a power-up with those values: the link starts
    /// over from BMCR, ANAR, CFG1, CFG2 and MMD 7.60 (no link while BMCR power down is set),
    /// CFG3.7 gates INT#. A software reset later restores every configuration register to
    /// its reset value, as on the part. Refused, naming the dump line: a `page` (the part has
    /// none), an MMD other than 3, 7 and 0x1f, and a non-zero value for a register the model
    /// does not implement (it would read 0).
    fn preload(&mut self, now: Instant, dump: &[DumpEntry]) -> Result<(), DumpError> {
        self.advance(now);
        let model = self.core.info.name;
        dump::load_dump(
            model,
            dump,
            &mut [&mut self.regs as &mut dyn DumpSink, &mut self.mmd],
            |a| preload::place(model, a),
            preload::derived,
        )?;
        self.dumped_ro = dump::read_only(
            dump,
            &[&self.regs, &self.mmd],
            |a| preload::place(model, a),
            preload::derived,
        );
        self.core.link.stop();
        // As at power-up: the link starting over raises no interrupt events.
        self.view = self.derive_status();
        self.start_link(now);
        self.sync();
        Ok(())
    }
}
