//! Motorcomm YT8521 10/100/1000BASE-T PHY in UTP_TO_RGMII mode, as drivers/net/phy/motorcomm.c
//! ("YT8521 Gigabit Ethernet", PHY_ID_YT8521 0x0000011a, matched exactly) drives it.
//!
//! Two register spaces, UTP and fiber, selected by extended register 0xa000 bit 1, each with
//! its own Clause 22 registers 0x00-0x0f and 0x11; the rest of Clause 22 is common. Extended
//! registers are reached through 0x1e (address) / 0x1f (data). The chip strap (0xa001 2:0)
//! reads UTP_TO_RGMII, so yt8521_probe() picks the UTP space and never polls the fiber side,
//! which has no signal in this model. BMCR speed, duplex and autonegotiation enable apply at
//! once; the advertisement is taken whenever the link starts over. A software reset (UTP
//! BMCR.15) keeps every register and takes `soft_reset`.

mod preload;
mod regs;

use crate::an::{bit, resolved};
use crate::c22::{self, bmcr};
use crate::catalog::ModelInfo;
use crate::copper::{copper_phy, CopperCore, LinkConfig};
use crate::dump::{self, DumpEntry, DumpError, DumpSink};
use crate::eee;
use crate::medium::{Duplex, LinkMode, Speed};
use crate::mmd::MmdIndirect;
use crate::notes::{Op, Target};
use crate::regfile::{RegAddr, RegFile, RegMapError, Written};
use crate::resolve::LocalAbility;
use crate::timing::MIN_STEP;
use crate::{Instant, MdioDevice, Phy};
use regs::{downgrade, sfcr, Hook};
pub use regs::{irq, ssr};

pub const YT8521: ModelInfo = ModelInfo {
    name: "motorcomm-yt8521",
    description: "Motorcomm YT8521 10/100/1000BASE-T PHY, UTP to RGMII",
    phy_id: 0x0000_011a,
    clause45: false,
    link_modes: &[
        LinkMode::BaseT10Half,
        LinkMode::BaseT10Full,
        LinkMode::BaseT100Half,
        LinkMode::BaseT100Full,
        LinkMode::BaseT1000Full,
    ],
    kernel_driver: "YT8521 Gigabit Ethernet",
};

/// Extended registers as `take_unimplemented()` reports them: UTP-space and common extended
/// register N as "MMD 0.N" (MMD device 0 is reserved by IEEE 802.3).
pub const EXT_DEVAD: u8 = 0;
/// Fiber-space extended registers in `take_unimplemented()` ("MMD 30.N").
pub const EXT_FIBER_DEVAD: u8 = 30;

/// The register a Clause 22 access to `reg` reaches with register space `space` (0 UTP,
/// 1 fiber) selected.
pub fn c22_addr(space: u16, reg: u8) -> RegAddr {
    match reg & 31 {
        r @ (0x02 | 0x03 | 0x10 | 0x12..=0x15 | 0x1e | 0x1f) => RegAddr::global(r),
        r => RegAddr::new(space, u16::from(r)),
    }
}

/// The extended register `reg` with register space `space` selected.
pub fn ext_addr(space: u16, reg: u16) -> RegAddr {
    if reg >= 0xa000 {
        RegAddr::new(regs::EXT_COMMON, reg)
    } else if space == regs::FIBER {
        RegAddr::new(regs::EXT_FIBER, reg)
    } else {
        RegAddr::new(regs::EXT_UTP, reg)
    }
}

/// Everything the device drives into the UTP status registers.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
struct StatusView {
    ieee: c22::Status,
    ssr: u16,
    downshifted: bool,
}

pub struct Yt8521 {
    regs: RegFile<Hook>,
    mmd: RegFile<()>,
    mmd_access: MmdIndirect,
    core: CopperCore,
    view: StatusView,
    reset_done: Option<Instant>,
}

impl Yt8521 {
    /// Powers the part up at `now`, with no cable plugged in.
    pub fn new(info: &'static ModelInfo, now: Instant) -> Result<Yt8521, RegMapError> {
        let regs = RegFile::new(regs::MAP)?;
        let mmd = RegFile::new(regs::MMD_MAP)?;
        let mut m = Yt8521 {
            core: CopperCore::new(info, config_from(&regs, &mmd)),
            regs,
            mmd,
            mmd_access: MmdIndirect::default(),
            view: StatusView::default(),
            reset_done: None,
        };
        m.power_on_reset(now);
        Ok(m)
    }

    /// The selected register space (0 UTP, 1 fiber).
    pub fn space(&self) -> u16 {
        (self.regs.live(regs::SPACE_SELECT) >> 1) & 1
    }

    /// What a guest read of Clause 22 `reg` in `space` would return now, without side effects
    /// and without running time forward. For register dumps and tests.
    pub fn peek(&self, space: u16, reg: u8) -> Option<u16> {
        self.regs.peek(c22_addr(space, reg))
    }

    /// The same for an extended register.
    pub fn peek_ext(&self, space: u16, reg: u16) -> Option<u16> {
        self.regs.peek(ext_addr(space, reg))
    }

    fn powered_down(&self) -> bool {
        self.regs.live(regs::BMCR) & bmcr::POWER_DOWN != 0
    }

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
        match w.hook {
            Some(Hook::Control) => {
                self.regs.complete(regs::BMCR, bmcr::RESTART_AN);
                if w.rose(bmcr::RESET) {
                    self.reset_done = Some(now + self.core.link.timing().soft_reset.max(MIN_STEP));
                    return self.core.link.stop();
                }
                if self.reset_done.is_some() {
                    return;
                }
                let was_down = w.old & bmcr::POWER_DOWN != 0;
                if was_down != self.powered_down() {
                    return self.start_link(now);
                }
                let reconfigured = (w.old ^ w.new) & bmcr::LINK_CONFIG != 0;
                let restart = w.new & bmcr::RESTART_AN != 0 && w.new & bmcr::AN_ENABLE != 0;
                if reconfigured || restart {
                    self.start_link(now);
                }
            }
            Some(Hook::FiberControl) => {
                // Nothing to negotiate with: reset and restart complete at once.
                self.regs
                    .complete(regs::FIBER_BMCR, bmcr::RESET | bmcr::RESTART_AN);
            }
            Some(Hook::MmdData) | Some(Hook::ExtData) | None => {}
        }
    }

    fn note_target(addr: RegAddr) -> Target {
        match addr.space {
            RegAddr::GLOBAL => Target::C22 {
                page: None,
                reg: addr.reg as u8,
            },
            regs::UTP | regs::FIBER => Target::C22 {
                page: Some(addr.space as u8),
                reg: addr.reg as u8,
            },
            regs::EXT_FIBER => Target::Mmd {
                devad: EXT_FIBER_DEVAD,
                reg: addr.reg,
            },
            _ => Target::Mmd {
                devad: EXT_DEVAD,
                reg: addr.reg,
            },
        }
    }

    /// A read (`write` None) or write of the register at `addr`, with logging of unmodelled
    /// registers.
    fn access(&mut self, now: Instant, addr: RegAddr, write: Option<u16>) -> u16 {
        match write {
            Some(value) => {
                match self.regs.write(addr, value) {
                    Some(w) => self.on_write(now, w),
                    None => self
                        .core
                        .log
                        .record(now, Self::note_target(addr), Op::Write { value }),
                }
                value
            }
            None => self.regs.read(addr).unwrap_or_else(|| {
                self.core
                    .log
                    .record(now, Self::note_target(addr), Op::Read { answered: 0 });
                0
            }),
        }
    }

    fn ext_data(&mut self, now: Instant, write: Option<u16>) -> u16 {
        let addr = ext_addr(self.space(), self.regs.live(regs::EXT_ADDR));
        self.access(now, addr, write)
    }

    fn mmd_data(&mut self, now: Instant, write: Option<u16>) -> u16 {
        let ctrl = self.regs.live(regs::MMD_CONTROL);
        self.mmd_access
            .data(now, ctrl, write, &mut self.mmd, &mut self.core.log)
    }

    fn c22_access(&mut self, now: Instant, reg: u8, write: Option<u16>) -> u16 {
        self.advance(now);
        let addr = c22_addr(self.space(), reg);
        let v = match self.regs.hook(addr) {
            Some(Hook::ExtData) => self.ext_data(now, write),
            Some(Hook::MmdData) => self.mmd_data(now, write),
            _ => self.access(now, addr, write),
        };
        if write.is_some() {
            self.sync();
        }
        v
    }

    fn derive_status(&self) -> StatusView {
        let link = &self.core.link;
        let up = link.is_up();
        let mut sts = 0;
        if let Some((speed, duplex)) = resolved(link) {
            sts |= ssr::RESOLVED;
            sts |= match speed {
                Speed::S1000 | Speed::S2500 | Speed::S5000 | Speed::S10000 => ssr::SPEED_1000,
                Speed::S100 => ssr::SPEED_100,
                Speed::S10 => 0,
            };
            sts |= bit(duplex == Duplex::Full, ssr::DUPLEX);
            // Auto crossover settles on MDI (the partner crosses over); manual MDI-X crosses.
            let mdi = self.regs.live(regs::SFCR) & sfcr::MDI_CROSSOVER;
            sts |= bit(mdi == sfcr::MANUAL_MDIX, ssr::MDIX);
        }
        if up {
            sts |= ssr::LINK;
            if let Some(l) = link.link() {
                sts |= bit(l.pause.tx, ssr::TX_PAUSE) | bit(l.pause.rx, ssr::RX_PAUSE);
            }
        }
        let pages = link.pages();
        sts |= bit(pages.is_some(), ssr::PAGE_RECEIVED);
        let downshifted = link.running() && link.downshifted();
        sts |= bit(downshifted, ssr::DOWNGRADE);

        StatusView {
            ieee: c22::Status::of(link),
            ssr: sts,
            downshifted,
        }
    }

    /// Drives the UTP status registers from the link engine and latches the events the change
    /// implies into the interrupt status, at the instant it happened.
    fn sync(&mut self) {
        let new = self.derive_status();
        let old = std::mem::replace(&mut self.view, new);
        let r = &mut self.regs;
        c22::sync(
            r,
            |reg| RegAddr::new(regs::UTP, u16::from(reg)),
            &self.core.link,
            &old.ieee,
            &new.ieee,
        );
        r.set_live(regs::SSR, 0xfe6f, new.ssr);
        r.raise(regs::INT_STATUS, interrupt_events(&old, &new));
        self.mmd
            .set_live(regs::EEE_LP_ABILITY, regs::EEE_MODES, new.ieee.eee_lp);
    }
}

/// The link configuration the UTP registers hold now.
fn config_from(regs: &RegFile<Hook>, mmd: &RegFile<()>) -> LinkConfig {
    // 1000BASE-T half duplex is not supported (ESTATUS 0x2000): CTRL1000.8 is storage only.
    let ability = c22::ability(
        regs.live(regs::BMCR),
        regs.live(regs::ADVERTISE),
        regs.live(regs::CTRL1000),
        false,
    );
    let dg = regs.live(regs::DOWNGRADE);
    LinkConfig {
        ability: LocalAbility {
            eee: eee::modes(mmd.live(regs::EEE_ADV), 0),
            ..ability
        },
        // "the PHY attempts five times ( 3(set value) + additional 2) before downgrading".
        downshift_after: (dg & downgrade::ENABLE != 0)
            .then(|| ((dg & downgrade::RETRY_LIMIT) >> 2) as u8 + 2),
    }
}

/// Interrupt status bits for the transition `old` → `new`; they latch whether or not 0x12
/// enables them.
fn interrupt_events(old: &StatusView, new: &StatusView) -> u16 {
    let changed = |mask: u16| (old.ssr ^ new.ssr) & mask != 0;
    bit(old.ieee.link && !new.ieee.link, irq::LINK_FAIL)
        | bit(!old.ieee.link && new.ieee.link, irq::LINK_SUCCESS)
        | bit(new.ieee.exchanges != old.ieee.exchanges, irq::PAGE_RECEIVED)
        | bit(changed(ssr::SPEED), irq::SPEED_CHANGED)
        | bit(changed(ssr::DUPLEX), irq::DUPLEX_CHANGED)
        | bit(
            new.ieee.exchanges_without_link != old.ieee.exchanges_without_link,
            irq::AN_ERROR,
        )
        | bit(
            new.downshifted && !old.downshifted,
            irq::WIRESPEED_DOWNGRADE,
        )
}

impl MdioDevice for Yt8521 {
    fn c22_read(&mut self, now: Instant, reg: u8) -> Option<u16> {
        Some(self.c22_access(now, reg, None))
    }

    fn c22_write(&mut self, now: Instant, reg: u8, value: u16) {
        self.c22_access(now, reg, Some(value));
    }

    /// The YT8521 answers Clause 22 only.
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

    /// INT_N is asserted while an enabled event is pending (0x13 & 0x12).
    fn irq_asserted(&self) -> bool {
        self.regs.live(regs::INT_STATUS) & self.regs.live(regs::INT_ENABLE) != 0
    }

    fn power_on_reset(&mut self, now: Instant) {
        self.regs.reset_where(|_| true);
        self.mmd.reset_where(|_| true);
        self.mmd_access.reset();
        self.reset_done = None;
        self.core.link.stop();
        self.view = self.derive_status();
        self.start_link(now);
        self.view = self.derive_status();
        self.sync();
    }
}

impl Phy for Yt8521 {
    copper_phy!(
        restart: |m, now| m.start_link(now),
        isolated: |m| m.regs.live(regs::BMCR) & bmcr::ISOLATE != 0,
    );

    /// Loads the dump over the power-on values. A page is a register space, as motorcomm.c's
    /// read_page/write_page select it through ext 0xa000 bit 1: a line without `page`
    /// (`phytool` output) is in the UTP space, the power-on one, and `page 1 reg R` is fiber
    /// register R; the common registers (0x02, 0x03, 0x10, 0x12-0x15) answer on both.
    /// Extended registers (0x1e address, 0x1f data) are `mmd 0 reg R` (UTP-space and common
    /// ones) and `mmd 30 reg R` (with the fiber space selected), the names the model's
    /// `take_unimplemented()` gives them: IEEE 802.3 reserves MMD 0 and the part has no MMD
    /// 30, so neither can mean anything else. `mmd 3|7 reg R` are the UTP MMD registers behind
    /// 0x0d/0x0e. Two lines naming one register must agree on what it holds. Read-only fields
    /// (the PHY ID, BMSR and 0x0f abilities, MMD 3.20) take the dumped value. These are never
    /// loaded, and the dump's values for them are dropped:
    /// - the status the link engine derives from the scenario's `cable` and `partner`: UTP
    ///   BMSR link, autonegotiation complete, remote fault and jabber; UTP 0x05, 0x08
    ///   (partner pages); UTP 0x06 bits 4, 3, 1, 0; UTP 0x0a bits 15:10 (master/slave fault
    ///   and role, receivers, partner 1000BASE-T); UTP 0x11 (PHY-specific status); MMD 3.1
    ///   and 7.61 (partner EEE); and the fiber side's, which never has a signal: fiber BMSR
    ///   link and autonegotiation complete, fiber 0x05 and 0x11. A dump shows the link the
    ///   reporter had, the scenario says which link this run has, so the two cannot disagree
    ///   behind the driver's back;
    /// - self-clearing actions (BMCR reset and restart autonegotiation) and clear-on-read
    ///   events and counters (interrupt status 0x13, 0x15, UTP 0x0a bits 7:0, MMD 3.22):
    ///   they are not state;
    /// - reserved bits, and the access windows: 0x1e/0x1f (extended registers), UTP 0x0d/0x0e
    ///   (MMD), ext 0xa000 (the space select: the line says which space).
    ///
    /// Configuration then takes effect as after a power-up with those values: the link starts
    /// over from UTP BMCR, 0x04, 0x09, MMD 7.60 and 0x14 (downgrade) (no link while BMCR power
    /// down is set). A software reset later keeps every loaded register, as it keeps every
    /// register. Refused, naming the dump line: a page other than 0 and 1, an MMD other than
    /// 0, 3, 7 and 30, a non-zero value for a register the model does not implement (it would
    /// read 0), and two lines giving one register different values.
    fn preload(&mut self, now: Instant, dump: &[DumpEntry]) -> Result<(), DumpError> {
        self.advance(now);
        let model = self.core.info.name;
        dump::load_dump_agreeing(
            model,
            dump,
            &mut [&mut self.regs as &mut dyn DumpSink, &mut self.mmd],
            |a| preload::place(model, a),
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
