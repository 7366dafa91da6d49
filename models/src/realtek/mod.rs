//! Realtek RTL8211F 10/100/1000BASE-T PHY (RGMII). Linux binds it to "RTL8211F Gigabit
//! Ethernet" (PHY ID 0x001cc916, exact match) in drivers/net/phy/realtek/realtek_main.c.
//!
//! Registers 0-15 are the IEEE registers and register 31 (PAGSR) selects the page of
//! registers 16-30. Page 0, the power-on page, shows page 0xa42 in registers 16-23 and page
//! 0xa43 in registers 24-30, which is how the driver reaches PHYCR1/PHYCR2/PHYSR/INSR with
//! plain reads while it selects 0xa42 explicitly for INER.
//!
//! Unlike the Marvell parts, BMCR speed, duplex and autonegotiation enable take effect at
//! once (the link starts over); the advertisement takes effect on restart AN and whenever
//! the link starts over. A software reset returns BMCR to its default (0x1140) and keeps
//! every other register.

mod preload;
mod regs;
mod status;

use crate::c22::{self, bmcr as control};
use crate::catalog::ModelInfo;
use crate::copper::{copper_phy, CopperCore, LinkConfig};
use crate::dump::{self, DumpEntry, DumpError, DumpSink};
use crate::eee;
use crate::medium::LinkMode;
use crate::mmd::MmdIndirect;
use crate::notes::{Op, Target};
use crate::regfile::{RegAddr, RegFile, RegMapError, Written};
use crate::resolve::LocalAbility;
use crate::timing::MIN_STEP;
use crate::{Instant, MdioDevice, Phy};
use regs::Hook;
pub use regs::{irq, physr};
use status::StatusView;

pub const RTL8211F: ModelInfo = ModelInfo {
    name: "realtek-rtl8211f",
    description: "Realtek RTL8211F 10/100/1000BASE-T PHY, RGMII",
    phy_id: 0x001c_c916,
    clause45: false,
    link_modes: &[
        LinkMode::BaseT10Half,
        LinkMode::BaseT10Full,
        LinkMode::BaseT100Half,
        LinkMode::BaseT100Full,
        LinkMode::BaseT1000Full,
    ],
    kernel_driver: "RTL8211F Gigabit Ethernet",
};

/// The register a Clause 22 access to `reg` reaches with `page` selected.
pub fn paged_addr(page: u16, reg: u8) -> RegAddr {
    let reg = reg & 31;
    match (page, reg) {
        (_, 0..=15) | (_, 31) => RegAddr::global(reg),
        (0, 16..=23) => RegAddr::new(regs::PAGE_INTR, u16::from(reg)),
        (0, _) => RegAddr::new(regs::PAGE_PHY, u16::from(reg)),
        (p, _) => RegAddr::new(p, u16::from(reg)),
    }
}

pub struct Rtl8211f {
    regs: RegFile<Hook>,
    mmd: RegFile<()>,
    mmd_access: MmdIndirect,
    core: CopperCore,
    /// A pending software reset (BMCR.15) completes then.
    reset_done: Option<Instant>,
    view: StatusView,
}

impl Rtl8211f {
    /// Powers the part up at `now`, with no cable plugged in.
    pub fn new(now: Instant) -> Result<Rtl8211f, RegMapError> {
        let regs = RegFile::new(regs::MAP)?;
        let mmd = RegFile::new(regs::MMD_MAP)?;
        let mut m = Rtl8211f {
            core: CopperCore::new(&RTL8211F, config_from(&regs, &mmd)),
            regs,
            mmd,
            mmd_access: MmdIndirect::default(),
            reset_done: None,
            view: StatusView::default(),
        };
        m.power_on_reset(now);
        Ok(m)
    }

    /// What a guest read of `reg` on `page` would return now, without its side effects and
    /// without running time forward. `None`: not modelled. For register dumps and tests.
    pub fn peek(&self, page: u16, reg: u8) -> Option<u16> {
        self.regs.peek(paged_addr(page, reg))
    }

    fn addr(&self, reg: u8) -> RegAddr {
        paged_addr(self.regs.live(RegAddr::global(regs::PAGE_SELECT)), reg)
    }

    fn powered_down(&self) -> bool {
        self.regs.live(regs::BMCR) & control::POWER_DOWN != 0
    }

    /// Starts the link over from the registers, or holds it stopped while powered down or
    /// in reset.
    fn start_link(&mut self, now: Instant) {
        if self.powered_down() || self.reset_done.is_some() {
            self.core.link.stop();
        } else {
            self.core
                .link
                .start(now, config_from(&self.regs, &self.mmd), &self.core.medium);
        }
    }

    fn on_write(&mut self, now: Instant, w: Written<Hook>) {
        if w.hook != Some(Hook::Control) {
            return;
        }
        let restart = w.new & control::RESTART_AN != 0;
        // Restart AN self-clears as soon as autonegotiation restarts, which is at once.
        self.regs.complete(regs::BMCR, control::RESTART_AN);
        if w.rose(control::RESET) {
            self.reset_done = Some(now + self.core.link.timing().soft_reset.max(MIN_STEP));
            self.core.link.stop();
            return;
        }
        if self.reset_done.is_some() {
            return;
        }
        let was_down = w.old & control::POWER_DOWN != 0;
        let mode_changed = (w.old ^ w.new) & control::LINK_CONFIG != 0;
        let an_on = w.new & control::AN_ENABLE != 0;
        if self.powered_down() {
            if !was_down {
                self.core.link.stop();
            }
        } else if was_down || mode_changed || (restart && an_on) {
            self.start_link(now);
        }
    }

    fn mmd_data(&mut self, now: Instant, write: Option<u16>) -> u16 {
        let ctrl = self.regs.live(regs::MMD_CONTROL);
        self.mmd_access
            .data(now, ctrl, write, &mut self.mmd, &mut self.core.log)
    }

    /// How an unmodelled register is reported. `notes::Target` holds 8-bit pages only, so a
    /// paged register (page P, register R) is reported by its Realtek "OCP" address
    /// P * 16 + (R - 16) * 2 as MMD 31 (vendor 2), the form Linux's RTL822x code uses for
    /// the same page/register pairs.
    fn note_target(addr: RegAddr) -> Target {
        if addr.space == RegAddr::GLOBAL {
            Target::C22 {
                page: None,
                reg: addr.reg as u8,
            }
        } else {
            Target::Mmd {
                devad: 31,
                reg: addr
                    .space
                    .wrapping_mul(16)
                    .wrapping_add((addr.reg - 16) * 2),
            }
        }
    }
}

/// The link configuration the registers hold now.
fn config_from(regs: &RegFile<Hook>, mmd: &RegFile<()>) -> LinkConfig {
    let ability = c22::ability(
        regs.live(regs::BMCR),
        regs.live(regs::ADVERTISE),
        regs.live(regs::CTRL1000),
        false,
    );
    LinkConfig {
        ability: LocalAbility {
            eee: eee::modes(mmd.live(regs::EEE_ADV), 0),
            ..ability
        },
        // Downshift is not modelled: gigabit on a short cable keeps failing and retrying.
        downshift_after: None,
    }
}

impl MdioDevice for Rtl8211f {
    fn c22_read(&mut self, now: Instant, reg: u8) -> Option<u16> {
        self.advance(now);
        let addr = self.addr(reg);
        if self.regs.hook(addr) == Some(Hook::MmdData) {
            return Some(self.mmd_data(now, None));
        }
        Some(self.regs.read(addr).unwrap_or_else(|| {
            // Registers the part does not implement (or we do not model) read as 0.
            self.core
                .log
                .record(now, Self::note_target(addr), Op::Read { answered: 0 });
            0
        }))
    }

    fn c22_write(&mut self, now: Instant, reg: u8, value: u16) {
        self.advance(now);
        let addr = self.addr(reg);
        if self.regs.hook(addr) == Some(Hook::MmdData) {
            self.mmd_data(now, Some(value));
            return;
        }
        match self.regs.write(addr, value) {
            Some(w) => self.on_write(now, w),
            None => self
                .core
                .log
                .record(now, Self::note_target(addr), Op::Write { value }),
        }
        self.sync();
    }

    /// The RTL8211F ignores Clause 45 frames.
    fn c45_read(&mut self, _now: Instant, _devad: u8, _reg: u16) -> Option<u16> {
        None
    }

    fn c45_write(&mut self, _now: Instant, _devad: u8, _reg: u16, _value: u16) {}

    fn advance(&mut self, now: Instant) {
        while let Some(t) = self.next_deadline().filter(|t| *t <= now) {
            if self.reset_done == Some(t) {
                self.reset_done = None;
                // BMCR (and the BMSR latches) return to their defaults; the rest is kept.
                self.regs.complete(regs::BMCR, control::RESET);
                self.regs.load(regs::BMCR, 0xffff, control::RESET_VALUE);
                self.start_link(t);
            } else {
                self.core.link.on_deadline(t, &self.core.medium);
            }
            self.sync();
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        [self.reset_done, self.core.link.deadline()]
            .into_iter()
            .flatten()
            .min()
    }

    /// INTB: asserted while any enabled interrupt status bit is pending.
    fn irq_asserted(&self) -> bool {
        self.regs.live(regs::INSR) & self.regs.live(regs::INER) != 0
    }

    fn power_on_reset(&mut self, now: Instant) {
        self.regs.reset_where(|_| true);
        self.mmd.reset_where(|_| true);
        self.mmd_access.reset();
        self.reset_done = None;
        self.view = StatusView::default();
        self.core.link.stop();
        self.start_link(now);
        self.sync();
    }
}

impl Phy for Rtl8211f {
    copper_phy!(
        restart: |m, now| m.start_link(now),
        isolated: |m| m.regs.live(regs::BMCR) & control::ISOLATE != 0,
    );

    /// Loads the dump over the power-on values. Registers are named as the part's page select
    /// reaches them: `page P reg R` is register R with PAGSR = P, so registers 0-15 are the
    /// IEEE registers on every page, and page 0 (a line without `page`, `phytool` output)
    /// shows page 0xa42 in registers 16-23 and page 0xa43 in registers 24-30: INER (0xa42.18)
    /// is `0x12`, PHYCR1 (0xa43.24) `0x18`. The dump format's pages stop at 0xff, so other
    /// pages are written as the kernel names paged registers in MDIO_MMD_VEND2 (realtek_main.c,
    /// rtl822xb_read_mmd(); the model's `take_unimplemented()` names registers 16-23 so too):
    /// `mmd 31 reg A` is register (A - 0xa400) / 2 of page 0 for A in 0xa400-0xa43c, else
    /// register 16 + (A & 0xf) / 2 of page A >> 4 (`mmd 31 reg 0xd082` is page 0xd08 reg 17,
    /// `0xa424` is INER). `mmd 3|7 reg R` are the MMD registers behind 13/14. Two lines
    /// naming one register must agree on what it holds.
    /// Read-only fields (the PHY ID, BMSR and GBESR abilities, MMD 3.20) take the dumped
    /// value. These are never loaded, and the dump's values for them are dropped:
    /// - the status the link engine derives from the scenario's `cable` and `partner`: BMSR
    ///   link, autonegotiation complete, remote fault and jabber; ANLPAR (5) and ANNPRR (8);
    ///   ANER (6) bits 4, 3, 1, 0; GBSR (10) bits 15:10 (master/slave fault and role,
    ///   receivers, partner 1000BASE-T); PHYSR (0xa43.26); MMD 3.1 and 7.61 (partner EEE). A
    ///   dump shows the link the reporter had, the scenario says which link this run has, so
    ///   the two cannot disagree behind the driver's back;
    /// - self-clearing actions (BMCR reset and restart autonegotiation) and clear-on-read
    ///   events and counters (INSR 0xa43.29, GBSR bits 7:0, MMD 3.22): they are not state;
    /// - reserved bits, and the access windows 13/14 (MMD) and 31 (PAGSR: the line's page
    ///   says which page a register is on).
    ///
    /// Configuration then takes effect as after a power-up with those values: the link starts
    /// over from BMCR, ANAR, GBCR and MMD 7.60 (no link while BMCR power down is set). A
    /// software reset later returns BMCR to 0x1140 and keeps every other loaded register, as
    /// it keeps every register.
    /// Refused, naming the dump line: a page the model does not have (also by its OCP
    /// address; an odd OCP address), an MMD other than 3, 7 and 31, a non-zero value for a
    /// register the model does not implement (it would read 0), and two lines giving one
    /// register different values.
    fn preload(&mut self, now: Instant, dump: &[DumpEntry]) -> Result<(), DumpError> {
        self.advance(now);
        dump::load_dump_agreeing(
            RTL8211F.name,
            dump,
            &mut [&mut self.regs as &mut dyn DumpSink, &mut self.mmd],
            preload::place,
            preload::derived,
        )?;
        self.reset_done = None;
        self.core.link.stop();
        // As at power-up: the link starting over raises no interrupt events.
        self.view = self.derive_status();
        self.start_link(now);
        self.sync();
        Ok(())
    }
}
