//! Marvell Alaska X 88X3310(P) 10GBASE-T / NBASE-T PHY, copper side, as
//! drivers/net/phy/marvell10g.c ("mv88x3310": MARVELL_PHY_ID_88X3310 0x002b09a0, mask
//! 0xfffffff0, one port per MV_PCS_PORT_INFO) drives it.
//!
//! Clause 45 only: MMD 1 (PMA/PMD), 3 (PCS, with the Marvell copper registers at 3.0x8000),
//! 4 (PHY XS), 7 (AN, the 1000BASE-T registers at 7.0x8000) and the vendor MMDs 30/31 (whose
//! status 2 register has no "device present" pattern, so the bus scan skips their IDs). The
//! firmware is presented as booted (MV_PMA_BOOT clear, version 0.3.10.0).
//!
//! The link: 10/100/1000BASE-T, 2.5G/5G/10GBASE-T, negotiated with 7.16 (base page), 7.0x8000
//! (1000BASE-T) and 7.32 (multi-gigabit), or forced by 1.0 when 7.0.12 is clear (full duplex).
//! Advertisements are taken when the link starts over: AN restart or enable change, a unit
//! reset completing (1.0.15, 3.0.15, 7.0.15, 31.0xf001.15), leaving power down, a cable or
//! partner change. Unit resets keep the configuration (the MACTYPE change needs one to take
//! effect) and complete after `soft_reset`. Power down: 31.0xf001.11 or 1.0.11.
//!
//! Status, consistent at every instant: 1.1, 3.1, 4.1 and 7.1 link (latching low), 7.1 AN
//! complete (FLP LINK GOOD: once the resolved technology has link), 7.1 page received and
//! 7.19/7.33/7.0x8001 partner pages (from the exchange, before the multi-gigabit training
//! ends), master/slave resolution, 3.0x8008 (CSSR1) speed/duplex resolved (from the exchange),
//! link, pause, MDI-X.
//! The fibre side (3.0x1001) never has link. Downshift (3.0x8003 enable, the 10GBASE-T count
//! for every speed) drops the speed that keeps failing on a short cable.
//!
//! Not modelled: interrupts (the driver has no interrupt support; INT# stays deasserted and the
//! port interrupt registers are storage), energy-detect power down timing (CSCR1 ED bits are
//! storage), EEE operation (abilities and advertisements only; the partner advertises none),
//! the host serdes (MACTYPE is storage; the driver derives the interface from it), fibre,
//! loopback, WoL matching, cable diagnostics, the 0xa00x aliases of 7.0x800x.

mod regs;

use crate::catalog::ModelInfo;
use crate::copper::{CopperLink, LinkConfig};
use crate::medium::{Duplex, LinkMode, LinkModes, LinkState, Medium, Pause, Speed};
use crate::notes::{Op, Target, UnimplementedAccess, UnimplementedLog};
use crate::regfile::{RegAddr, RegFile, RegMapError, Written};
use crate::resolve::{LocalAbility, MasterSlave, PartnerPages};
use crate::timing::LinkTiming;
use crate::{Instant, MdioDevice, Phy};
use regs::{an_stat1, cscr1, cssr1, ctrl1, dsc1, gig, port, tengbt, Hook};
pub use regs::{AN, PCS, PHYXS, PMA, VEND1, VEND2};

pub const M88X3310: ModelInfo = ModelInfo {
    name: "marvell-88x3310",
    description:
        "Marvell Alaska X 88X3310P 10GBASE-T/NBASE-T/1000BASE-T PHY, Clause 45, copper port",
    phy_id: 0x002b_09ab,
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
    kernel_driver: "mv88x3310",
};

/// The MMDs that answer Clause 45 frames.
const MMDS: [u16; 6] = [PMA, PCS, PHYXS, AN, VEND1, VEND2];

/// Everything the device drives into the status registers.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
struct StatusView {
    link: bool,
    an_stat1: u16,
    lpa: u16,
    tengbt_stat: u16,
    stat1000: u16,
    cssr1: u16,
    exchanges: u32,
}

pub struct Marvell88x3310 {
    info: &'static ModelInfo,
    regs: RegFile<Hook>,
    medium: Medium,
    link: CopperLink,
    /// A unit reset in progress completes at this instant.
    reset_done: Option<Instant>,
    view: StatusView,
    log: UnimplementedLog,
}

impl Marvell88x3310 {
    /// Powers the part up at `now`, with no cable plugged in.
    pub fn new(info: &'static ModelInfo, now: Instant) -> Result<Marvell88x3310, RegMapError> {
        let regs = RegFile::new(regs::MAP)?;
        let mut m = Marvell88x3310 {
            info,
            link: CopperLink::new(LinkTiming::default(), config_from(&regs)),
            regs,
            medium: Medium::unplugged(),
            reset_done: None,
            view: StatusView::default(),
            log: UnimplementedLog::default(),
        };
        m.power_on_reset(now);
        Ok(m)
    }

    /// What a guest read of `devad`.`reg` would return now, without side effects and without
    /// running time forward.
    pub fn peek(&self, devad: u16, reg: u16) -> Option<u16> {
        self.regs.peek(RegAddr::new(devad, reg))
    }

    fn powered_down(&self) -> bool {
        self.regs.live(regs::PORT_CTRL) & port::PWRDOWN != 0
            || self.regs.live(regs::PMA_CTRL1) & ctrl1::LOW_POWER != 0
    }

    /// Starts the link over with the registers as they are now (or holds it stopped while
    /// powered down or in reset).
    fn start_link(&mut self, now: Instant) {
        if self.powered_down() || self.reset_done.is_some() {
            self.link.stop();
        } else {
            self.link.start(now, config_from(&self.regs), &self.medium);
        }
    }

    /// A unit reset: the link drops at once and starts over when the reset completes.
    fn begin_reset(&mut self, now: Instant) {
        self.link.stop();
        self.reset_done = Some(now + self.link.timing().soft_reset.max(crate::timing::MIN_STEP));
    }

    fn finish_reset(&mut self, now: Instant) {
        self.reset_done = None;
        for addr in [
            regs::PMA_CTRL1,
            regs::PCS_CTRL1,
            regs::AN_CTRL1,
            regs::PORT_CTRL,
            RegAddr::new(PCS, 0x1000),
        ] {
            self.regs.complete(addr, ctrl1::RESET);
        }
        self.start_link(now);
    }

    fn on_write(&mut self, now: Instant, w: Written<Hook>) {
        let Some(hook) = w.hook else { return };
        if w.new & ctrl1::RESET != 0
            && matches!(hook, Hook::Pcs | Hook::An | Hook::Pma | Hook::Port)
        {
            if w.rose(ctrl1::RESET) {
                self.begin_reset(now);
            }
            if hook == Hook::An {
                self.regs.complete(regs::AN_CTRL1, ctrl1::AN_RESTART);
            }
            return;
        }
        match hook {
            Hook::An => {
                // Restart self-clears as soon as autonegotiation restarts, which is at once.
                self.regs.complete(regs::AN_CTRL1, ctrl1::AN_RESTART);
                let toggled = (w.old ^ w.new) & ctrl1::AN_ENABLE != 0;
                let restart = w.new & ctrl1::AN_RESTART != 0 && w.new & ctrl1::AN_ENABLE != 0;
                if toggled || restart {
                    self.start_link(now);
                }
            }
            Hook::Pma => {
                let power = (w.old ^ w.new) & ctrl1::LOW_POWER != 0;
                let forced_speed = (w.old ^ w.new) & ctrl1::SPEED_LINK != 0
                    && self.regs.live(regs::AN_CTRL1) & ctrl1::AN_ENABLE == 0;
                if power || forced_speed {
                    self.start_link(now);
                }
            }
            Hook::Port => {
                if (w.old ^ w.new) & port::PWRDOWN != 0 {
                    self.start_link(now);
                }
            }
            Hook::Pcs => {}
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
        let negotiated = link.link().filter(|_| ability.autoneg);
        let pages = link.pages();

        let mut cssr = 0;
        if let Some((speed, duplex)) = resolved {
            cssr |= cssr1::RESOLVED;
            cssr |= match speed {
                Speed::S10 => 0,
                Speed::S100 => cssr1::SPD1_100,
                Speed::S1000 => cssr1::SPD1_1000,
                Speed::S2500 => cssr1::SPD1_SPD2 | cssr1::SPD2_2500,
                Speed::S5000 => cssr1::SPD1_SPD2 | cssr1::SPD2_5000,
                Speed::S10000 => cssr1::SPD1_SPD2,
            };
            cssr |= bit(duplex == Duplex::Full, cssr1::DUPLEX);
        }
        if up {
            cssr |= cssr1::LINK;
            let pause = link.link().map(|l| l.pause).unwrap_or_default();
            cssr |= bit(pause.tx, cssr1::TX_PAUSE) | bit(pause.rx, cssr1::RX_PAUSE);
            // Auto crossover settles on MDI (the partner crosses over); manual MDI-X shows
            // crossed pairs.
            let mdix = self.regs.live(regs::PCS_CSCR1) & cscr1::MDIX;
            cssr |= bit(mdix == cscr1::MDIX_MDIX, cssr1::MDIX);
        }

        // IEEE 802.3 28.3.4: the arbitration reaches FLP LINK GOOD, and sets AN complete,
        // only once the resolved technology reports link (after the multi-gig training).
        let an_complete = up && negotiated.is_some();
        let an = bit(pages.is_some(), an_stat1::LP_ABLE)
            | bit(up, an_stat1::LINK)
            | bit(an_complete, an_stat1::COMPLETE)
            | bit(pages.is_some_and(|p| p.next_page), an_stat1::XNP);

        let mut tengbt_stat = pages.map_or(0, |p| {
            bit(
                p.advertise.contains(LinkMode::BaseT10000Full),
                tengbt::STAT_LP10G,
            ) | bit(
                p.advertise.contains(LinkMode::BaseT5000Full),
                tengbt::STAT_LP5G,
            ) | bit(
                p.advertise.contains(LinkMode::BaseT2500Full),
                tengbt::STAT_LP2_5G,
            )
        });
        let mut stat1000 = pages.map_or(0, |p| {
            bit(
                p.advertise.contains(LinkMode::BaseT1000Full),
                gig::STAT_LP_FULL,
            ) | bit(
                p.advertise.contains(LinkMode::BaseT1000Half),
                gig::STAT_LP_HALF,
            )
        });
        if let Some(l) = link.link() {
            let master = l.master == Some(true);
            if l.speed.is_multigig() {
                tengbt_stat |= bit(master, tengbt::STAT_MS_RES);
                tengbt_stat |= bit(up, tengbt::STAT_LOCOK | tengbt::STAT_REMOK);
            } else if l.speed == Speed::S1000 {
                stat1000 |= bit(master, gig::STAT_MS_RES);
                stat1000 |= bit(up, gig::STAT_LOCAL_RX | gig::STAT_REMOTE_RX);
            }
        }
        StatusView {
            link: up,
            an_stat1: an,
            lpa: pages.map_or(0, base_page),
            tengbt_stat,
            stat1000,
            cssr1: cssr,
            exchanges: link.exchanges(),
        }
    }

    /// Drives the status registers from the link engine. Called after anything that may move
    /// the link, at that instant.
    fn sync(&mut self) {
        let new = self.derive_status();
        let old = std::mem::replace(&mut self.view, new);
        let r = &mut self.regs;
        let link = bit(new.link, 0x0004);
        for addr in [regs::PMA_STAT1, regs::PCS_STAT1, regs::PHYXS_STAT1] {
            r.set_live(addr, 0x0004, link);
        }
        r.set_live(
            regs::AN_STAT1,
            an_stat1::LP_ABLE | an_stat1::LINK | an_stat1::COMPLETE | an_stat1::XNP,
            new.an_stat1,
        );
        if new.exchanges != old.exchanges {
            r.set_live(regs::AN_STAT1, an_stat1::PAGE, an_stat1::PAGE);
            r.set_live(regs::AN_STAT1, an_stat1::PAGE, 0);
        }
        r.set_live(regs::AN_LPA, 0xffff, new.lpa);
        r.set_live(regs::AN_10GBT_STAT, 0x7c60, new.tengbt_stat);
        r.set_live(regs::AN_STAT1000, 0x7c00, new.stat1000);
        r.set_live(regs::PCS_CSSR1, 0xef4c, new.cssr1);
    }
}

/// The link configuration the registers hold now.
fn config_from(regs: &RegFile<Hook>) -> LinkConfig {
    let an = regs.live(regs::AN_CTRL1);
    let pma = regs.live(regs::PMA_CTRL1);
    let adv = regs.live(regs::AN_ADVERTISE);
    let ctrl1000 = regs.live(regs::AN_CTRL1000);
    let tg = regs.live(regs::AN_10GBT_CTRL);
    let dsc = regs.live(regs::PCS_DSC1);
    let speed = match (pma & ctrl1::SPEED_LSB != 0, pma & ctrl1::SPEED_MSB != 0) {
        (true, true) => match pma & ctrl1::SPEED_SEL {
            0x0018 => Speed::S2500,
            0x001c => Speed::S5000,
            _ => Speed::S10000,
        },
        (false, true) => Speed::S1000,
        (true, false) => Speed::S100,
        (false, false) => Speed::S10,
    };
    let advertise = LinkModes::EMPTY
        .with(LinkMode::BaseT10Half, adv & 0x0020 != 0)
        .with(LinkMode::BaseT10Full, adv & 0x0040 != 0)
        .with(LinkMode::BaseT100Half, adv & 0x0080 != 0)
        .with(LinkMode::BaseT100Full, adv & 0x0100 != 0)
        .with(LinkMode::BaseT1000Half, ctrl1000 & gig::ADV_HALF != 0)
        .with(LinkMode::BaseT1000Full, ctrl1000 & gig::ADV_FULL != 0)
        .with(LinkMode::BaseT2500Full, tg & tengbt::ADV2_5G != 0)
        .with(LinkMode::BaseT5000Full, tg & tengbt::ADV5G != 0)
        .with(LinkMode::BaseT10000Full, tg & tengbt::ADV10G != 0);
    // One master/slave configuration for every speed: the 10GBASE-T register's (phylib
    // writes the same into both).
    let master_slave = if tg & tengbt::MS_ENABLE != 0 {
        MasterSlave::Manual {
            master: tg & tengbt::MS_VALUE != 0,
        }
    } else {
        MasterSlave::Auto {
            prefer_master: tg & tengbt::PORT_TYPE != 0,
        }
    };
    LinkConfig {
        ability: LocalAbility {
            autoneg: an & ctrl1::AN_ENABLE != 0,
            forced: (speed, Duplex::Full),
            advertise,
            pause: Pause::from_bits(adv & 0x0400 != 0, adv & 0x0800 != 0),
            master_slave,
        },
        // DSC1 8:6: tries minus one.
        downshift_after: (dsc & dsc1::ENABLE != 0)
            .then(|| ((dsc & dsc1::TRIES_10GBT) >> 6) as u8 + 1),
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

impl MdioDevice for Marvell88x3310 {
    /// The 88X3310 answers Clause 45 only.
    fn c22_read(&mut self, _now: Instant, _reg: u8) -> Option<u16> {
        None
    }

    fn c22_write(&mut self, _now: Instant, _reg: u8, _value: u16) {}

    fn c45_read(&mut self, now: Instant, devad: u8, reg: u16) -> Option<u16> {
        self.advance(now);
        if !MMDS.contains(&u16::from(devad)) {
            return None;
        }
        let addr = RegAddr::new(u16::from(devad), reg);
        Some(self.regs.read(addr).unwrap_or_else(|| {
            self.log
                .record(now, Target::Mmd { devad, reg }, Op::Read { answered: 0 });
            0
        }))
    }

    fn c45_write(&mut self, now: Instant, devad: u8, reg: u16, value: u16) {
        self.advance(now);
        if !MMDS.contains(&u16::from(devad)) {
            return;
        }
        let addr = RegAddr::new(u16::from(devad), reg);
        match self.regs.write(addr, value) {
            Some(w) => self.on_write(now, w),
            None => self
                .log
                .record(now, Target::Mmd { devad, reg }, Op::Write { value }),
        }
        self.sync();
    }

    fn advance(&mut self, now: Instant) {
        while let Some(t) = self.next_deadline().filter(|t| *t <= now) {
            if self.reset_done.is_some_and(|r| r <= t) {
                self.finish_reset(t);
            } else {
                self.link.on_deadline(t, &self.medium);
            }
            self.sync();
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        match (self.reset_done, self.link.deadline()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// marvell10g.c has no interrupt support and the model raises no interrupt events.
    fn irq_asserted(&self) -> bool {
        false
    }

    fn power_on_reset(&mut self, now: Instant) {
        self.regs.reset_where(|_| true);
        self.reset_done = None;
        self.link.stop();
        self.start_link(now);
        self.view = StatusView::default();
        self.sync();
    }
}

impl Phy for Marvell88x3310 {
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
        self.link.link_state(false)
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
