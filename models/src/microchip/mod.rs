//! Microchip KSZ9131RNX gigabit PHY, as drivers/net/phy/micrel.c ("Microchip KSZ9131 Gigabit
//! PHY", PHY_ID_KSZ9131 0x00221640 matched on the model, mask 0xfffffff0) drives it.
//!
//! Clause 22 registers 0x00-0x1f (no paging) plus MMD registers reached through 0x0d/0x0e
//! (device 2: common control, RGMII pad skews and DLLs; devices 3/7: EEE; device 0x1c: the
//! undocumented loopback registers). A change of BMCR speed, duplex or autonegotiation enable
//! restarts the link at once with the registers' contents; the advertisement (0x04, 0x09) is
//! taken whenever the link starts over (restart AN, reset completion, leaving power down, a
//! forced MDI/MDI-X change, the end of a LinkMD test, cable or partner change). A software
//! reset (BMCR.15) restores the Clause 22 registers at once and holds the PHY in reset for
//! `LinkTiming::soft_reset`; the MMD registers (strap-like configuration, skews, DLLs) keep
//! their values. A power-on reset restores everything.

mod regs;

use crate::catalog::ModelInfo;
use crate::copper::{CopperLink, LinkConfig};
use crate::medium::{Duplex, LinkMode, LinkModes, LinkState, Medium, Pause, Speed};
use crate::mmd::{MmdAccess, MmdIndirect};
use crate::notes::{Op, Target, UnimplementedAccess, UnimplementedLog};
use crate::regfile::{RegAddr, RegFile, RegMapError, Written};
use crate::resolve::{LocalAbility, MasterSlave, PartnerPages};
use crate::timing::LinkTiming;
use crate::{Instant, MdioDevice, Phy};
use regs::{bmcr, bmsr, intcs, linkmd, mdix, phyctrl, Hook};
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
    link: bool,
    an_complete: bool,
    /// ANLPAR (0x05).
    lp_ability: u16,
    /// ANER (0x06) bits 3 and 0.
    expansion: u16,
    /// 1000BASE-T status (0x0a) bits 14..10.
    stat1000: u16,
    /// PHY control (0x1f) status bits.
    phyctrl: u16,
    /// Digital PMA/PCS status (0x13).
    pma: u16,
    /// Digital AX/AN status (0x14).
    axan: u16,
    exchanges: u32,
}

pub struct Ksz9131 {
    info: &'static ModelInfo,
    regs: RegFile<Hook>,
    mmd: RegFile<()>,
    mmd_access: MmdIndirect,
    medium: Medium,
    link: CopperLink,
    view: StatusView,
    /// A software reset in progress ends then.
    reset_done: Option<Instant>,
    /// A LinkMD test in progress ends then.
    linkmd_done: Option<Instant>,
    log: UnimplementedLog,
}

impl Ksz9131 {
    /// Powers the part up at `now`, with no cable plugged in.
    pub fn new(info: &'static ModelInfo, now: Instant) -> Result<Ksz9131, RegMapError> {
        let regs = RegFile::new(regs::MAP)?;
        let mmd = RegFile::new(regs::MMD_MAP)?;
        let mut m = Ksz9131 {
            info,
            link: CopperLink::new(LinkTiming::default(), config_from(&regs)),
            regs,
            mmd,
            mmd_access: MmdIndirect::default(),
            medium: Medium::unplugged(),
            view: StatusView::default(),
            reset_done: None,
            linkmd_done: None,
            log: UnimplementedLog::default(),
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
            self.link.stop();
        } else {
            self.link.start(now, config_from(&self.regs), &self.medium);
        }
    }

    /// Clause 22 registers back to their reset values; the reset raises no interrupt events
    /// (the interrupt register is cleared by it).
    fn reset_c22(&mut self) {
        self.regs.reset_where(|_| true);
        self.mmd_access.reset();
        self.regs
            .set_live(regs::PHYID2, 0xffff, self.info.phy_id as u16);
        self.linkmd_done = None;
        self.link.stop();
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
                    self.reset_done = Some(now + self.link.timing().soft_reset);
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
                    self.link.stop();
                } else if w.new & linkmd::VCT_EN != 0 && self.linkmd_done.is_none() {
                    // In reset the test does not start.
                    self.regs.complete(regs::LINKMD, linkmd::VCT_EN);
                }
            }
            Some(Hook::Mdix) => {
                if w.old != w.new && self.link.running() {
                    self.start_link(now);
                }
            }
            Some(Hook::MmdData) | None => {}
        }
    }

    fn finish_linkmd(&mut self, now: Instant) {
        self.linkmd_done = None;
        let ctl = self.regs.live(regs::LINKMD);
        let pair = ((ctl & linkmd::PAIR) >> 12) as u8;
        let (status, data) = linkmd_result(&self.medium, pair);
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
        let access = match write {
            Some(v) => self.mmd_access.write(ctrl, v),
            None => self.mmd_access.read(ctrl),
        };
        let (devad, reg) = match access {
            MmdAccess::Address { value, .. } => return value,
            MmdAccess::Data { devad, reg } => (devad, reg),
        };
        let addr = RegAddr::new(u16::from(devad), reg);
        let target = Target::Mmd { devad, reg };
        match write {
            Some(value) => {
                if self.mmd.write(addr, value).is_none() {
                    self.log.record(now, target, Op::Write { value });
                }
                value
            }
            None => self.mmd.read(addr).unwrap_or_else(|| {
                self.log.record(now, target, Op::Read { answered: 0 });
                0
            }),
        }
    }

    fn derive_status(&self) -> StatusView {
        let link = &self.link;
        let up = link.is_up();
        let ability = &link.config().ability;
        let resolved = if !link.running() {
            None
        } else if ability.autoneg {
            link.link().map(|l| (l.speed, l.duplex))
        } else {
            Some(ability.forced)
        };
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
        let pages = link.pages();
        let mut stat1000 = pages.map_or(0, |p| {
            bit(p.advertise.contains(LinkMode::BaseT1000Full), 0x0800)
                | bit(p.advertise.contains(LinkMode::BaseT1000Half), 0x0400)
        });
        if let Some(l) = link.link().filter(|l| l.speed == Speed::S1000) {
            stat1000 |= bit(l.master == Some(true), 0x4000);
            stat1000 |= bit(up, 0x3000);
            ctl |= bit(link.running() && l.master == Some(true), phyctrl::MASTER);
        }
        let speed_up = |s: Speed| up && resolved.is_some_and(|(speed, _)| speed == s);
        let pma = bit(speed_up(Speed::S1000), 0x0004) | bit(speed_up(Speed::S100), 0x0002);
        // Auto MDI/MDI-X settles on MDI (the partner crosses over); forced modes are kept.
        let m = self.regs.live(regs::AUTO_MDIX);
        let mdi = m & mdix::SWAP_OFF == 0 || m & mdix::MDI_SET != 0;
        let axan = bit(up, 0x4000) | bit(up && mdi, 0x1000);
        StatusView {
            link: up,
            an_complete: up && ability.autoneg,
            lp_ability: pages.map_or(0, base_page),
            expansion: pages.map_or(0, |p| if p.next_page { 0x0009 } else { 0x0001 }),
            stat1000,
            phyctrl: ctl,
            pma,
            axan,
            exchanges: link.exchanges(),
        }
    }

    /// Drives the status registers from the link engine and latches the events the change
    /// implies into the interrupt status byte. Called after anything that may move the link,
    /// at that instant.
    fn sync(&mut self) {
        let new = self.derive_status();
        let old = std::mem::replace(&mut self.view, new);
        let r = &mut self.regs;
        r.set_live(
            regs::BMSR,
            bmsr::LINK | bmsr::AN_COMPLETE,
            bit(new.link, bmsr::LINK) | bit(new.an_complete, bmsr::AN_COMPLETE),
        );
        r.set_live(regs::ANLPAR, 0xffff, new.lp_ability);
        r.set_live(regs::ANER, 0x0009, new.expansion);
        if new.exchanges != old.exchanges {
            r.set_live(regs::ANER, 0x0002, 0x0002);
            r.set_live(regs::ANER, 0x0002, 0);
        }
        r.set_live(regs::STAT1000, 0x7c00, new.stat1000);
        r.set_live(regs::PHYCTRL, phyctrl::STATUS, new.phyctrl);
        r.set_live(regs::DIG_PMA, 0x0006, new.pma);
        r.set_live(regs::DIG_AXAN, 0x5000, new.axan);
        let events = bit(new.link && !old.link, intcs::LINK_UP)
            | bit(old.link && !new.link, intcs::LINK_DOWN)
            | bit(
                new.exchanges != old.exchanges,
                intcs::PAGE_RECEIVED | intcs::LP_ACK,
            );
        r.raise(regs::INTCS, events);
    }
}

/// LinkMD result for `pair` (0-3 = A-D): (VCT status, VCT data). Data encodes the distance
/// to a fault as 22 + metres / 0.4 (micrel.c: (data - 22) * 0.4 m).
fn linkmd_result(medium: &Medium, pair: u8) -> (u16, u16) {
    let open_at = |m: f64| {
        (
            linkmd::ST_OPEN,
            (22.0 + (m / 0.4).round()).clamp(22.0, 255.0) as u16,
        )
    };
    if !medium.cable.connected {
        // No cable in the jack: open right at the connector.
        open_at(0.0)
    } else if pair >= medium.cable.pairs || medium.partner.is_none() {
        // An unwired pair, or a cable whose far end is not terminated.
        open_at(medium.cable.length_m)
    } else {
        (linkmd::ST_NORMAL, 0)
    }
}

/// The link configuration the registers hold now.
fn config_from(regs: &RegFile<Hook>) -> LinkConfig {
    let bmcr_v = regs.live(regs::BMCR);
    let adv = regs.live(regs::ANAR);
    let c1000 = regs.live(regs::CTRL1000);
    let speed = if bmcr_v & bmcr::SPEED_MSB != 0 {
        Speed::S1000
    } else if bmcr_v & bmcr::SPEED_LSB != 0 {
        Speed::S100
    } else {
        Speed::S10
    };
    let duplex = if bmcr_v & bmcr::DUPLEX != 0 {
        Duplex::Full
    } else {
        Duplex::Half
    };
    let advertise = LinkModes::EMPTY
        .with(LinkMode::BaseT10Half, adv & 0x0020 != 0)
        .with(LinkMode::BaseT10Full, adv & 0x0040 != 0)
        .with(LinkMode::BaseT100Half, adv & 0x0080 != 0)
        .with(LinkMode::BaseT100Full, adv & 0x0100 != 0)
        .with(LinkMode::BaseT1000Half, c1000 & 0x0100 != 0)
        .with(LinkMode::BaseT1000Full, c1000 & 0x0200 != 0);
    let master_slave = if c1000 & 0x1000 != 0 {
        MasterSlave::Manual {
            master: c1000 & 0x0800 != 0,
        }
    } else {
        MasterSlave::Auto {
            prefer_master: c1000 & 0x0400 != 0,
        }
    };
    LinkConfig {
        ability: LocalAbility {
            autoneg: bmcr_v & bmcr::AN_ENABLE != 0,
            forced: (speed, duplex),
            advertise,
            pause: Pause::from_bits(adv & 0x0400 != 0, adv & 0x0800 != 0),
            master_slave,
        },
        downshift_after: None,
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
    .fold(0, |acc, (_, b)| acc | b);
    let pause = bit(p.pause.pause_bit(), 0x0400) | bit(p.pause.asym_dir_bit(), 0x0800);
    // Acknowledge (bit 14) is always set in a received base page.
    0x0001 | tech | pause | 0x4000 | bit(p.next_page, 0x8000)
}

fn bit(set: bool, mask: u16) -> u16 {
    if set {
        mask
    } else {
        0
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
            self.log.record(
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
                self.link.on_deadline(t, &self.medium);
            }
            self.sync();
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        [self.reset_done, self.linkmd_done, self.link.deadline()]
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
        self.reset_done = None;
        self.reset_c22();
        self.start_link(now);
        self.sync();
    }
}

impl Phy for Ksz9131 {
    fn set_medium(&mut self, now: Instant, medium: Medium) {
        self.advance(now);
        if medium == self.medium {
            return;
        }
        self.medium = medium;
        if self.link.running() {
            self.start_link(now);
        }
        self.sync();
    }

    fn medium(&self) -> &Medium {
        &self.medium
    }

    fn link_state(&self) -> LinkState {
        self.link
            .link_state(self.regs.live(regs::BMCR) & bmcr::ISOLATE != 0)
    }

    fn info(&self) -> &ModelInfo {
        self.info
    }

    fn link_timing(&self) -> &LinkTiming {
        self.link.timing()
    }

    fn set_link_timing(&mut self, timing: LinkTiming) {
        self.link.set_timing(timing);
    }

    fn take_unimplemented(&mut self) -> Vec<UnimplementedAccess> {
        self.log.take()
    }
}
