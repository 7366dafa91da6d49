//! Aquantia (Marvell) AQR113C 10GBASE-T / NBASE-T PHY, as drivers/net/phy/aquantia/
//! ("Aquantia AQR113C": PHY_ID_AQR113C 0x31c31c12, PHY_ID_MATCH_MODEL) drives it.
//!
//! Clause 45 only: MMD 1 (PMA/PMD), 3 (PCS), 4 (PHY XS, the host interface status at
//! 4.0xe812), 7 (AN, the Aquantia vendor provisioning and status at 7.0xc400..7.0xe832), 29
//! (Clause 22 extension: the SGMII counters, always zero) and the vendor MMDs 30 ("global":
//! firmware ID, system interface provisioning, thermal, LEDs, interrupt masks) and 31 (whose
//! status 2 register, like 30's, has no "device present" pattern, so the bus scan skips their
//! IDs). The firmware is presented as running from flash (VEND1_GLOBAL_FW_ID 5.7, non-zero
//! from power-up), so the driver loads none.
//!
//! System interface: provisioned 10GBASE-R (XFI) with pause rate adaptation at every media
//! speed (VEND1_GLOBAL_CFG_* = 0x0100); 4.0xe812 reports the serdes mode the register for
//! the current speed selects (XFI, USXGMII with USX rate adaptation, SGMII, OCSGMII) while
//! the line has link, OFF otherwise.
//!
//! The link: 10/100/1000BASE-T, 2.5G/5G/10GBASE-T, negotiated with 7.16 (base page), 7.32
//! (10G; 2.5G/5G from 7.32 or 7.0xc400) and 7.0xc400 (1000BASE-T), or forced by 1.0 when
//! 7.0.12 is clear (full duplex). Advertisements are taken when the link starts over: AN
//! restart or enable change, a unit reset completing (1.0.15, 3.0.15, 7.0.15, 30.0.15),
//! leaving low power (30.0.11 or 1.0.11) or PMD transmit disable (1.9.0), a cable or
//! partner change. Unit resets keep the configuration and complete after `soft_reset`.
//! Downshift: 7.0xc400 bit 4 and count.
//!
//! Status, consistent at every instant: 1.1, 3.1, 4.1 and 7.1 link (latching low), 7.1 AN
//! complete / page received / LP able, 7.19 and 7.33 partner pages, 7.0xe820 partner
//! 1000BASE-T abilities, 7.0xc800 rate and duplex (resolved from the exchange), 7.0xc810
//! MDI-X, 4.0xe812 host interface.
//!
//! Interrupts: every link change raises 7.0xcc01 bit 0 (clear on read), a downshift
//! 7.0xcc00 bit 1; VEND1_GLOBAL_INT_VEND_STATUS (30.0xfc01) bit 12 (AN) shows an unmasked
//! (7.0xd401) pending AN event, and INT# is asserted while that bit is set and enabled in
//! VEND1_GLOBAL_INT_VEND_MASK (30.0xff01 bit 12).
//!
//! Not modelled: firmware loading through the mailbox (30.0x200..0x205 are storage; the
//! firmware is always running), processor-intensive operations (30.0xc831 never shows one in
//! progress), EEE operation, the SGMII counters (zero), LED outputs (30.0xc430.. are
//! storage), temperature alarms (a steady 42 C), loopback, the Aquantia partner pages
//! (the partner is never an Aquantia PHY).

mod regs;

use crate::catalog::ModelInfo;
use crate::copper::{CopperLink, LinkConfig};
use crate::medium::{Duplex, LinkMode, LinkModes, LinkState, Medium, Pause, Speed};
use crate::notes::{Op, Target, UnimplementedAccess, UnimplementedLog};
use crate::regfile::{RegAddr, RegFile, RegMapError, Written};
use crate::resolve::LocalAbility;
use crate::resolve::{MasterSlave, PartnerPages};
use crate::timing::LinkTiming;
use crate::{Instant, MdioDevice, Phy};
use regs::{an_stat1, cfg, ctrl1, if_status, tengbt, tx_vend_status1 as tvs, vend_prov, Hook};
pub use regs::{AN, C22EXT, PCS, PHYXS, PMA, VEND1, VEND2};

pub const AQR113C: ModelInfo = ModelInfo {
    name: "aquantia-aqr113c",
    description: "Aquantia (Marvell) AQR113C 10GBASE-T/NBASE-T/1000BASE-T PHY, Clause 45",
    phy_id: 0x31c3_1c12,
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
    kernel_driver: "Aquantia AQR113C",
};

/// The MMDs that answer Clause 45 frames.
const MMDS: [u16; 7] = [PMA, PCS, PHYXS, AN, C22EXT, VEND1, VEND2];

/// 7.0xcc01 bit 0: link status changed.
const INT_LINK: u16 = 0x0001;
/// 7.0xcc00 bit 1: downshift.
const INT_DOWNSHIFT: u16 = 0x0002;
/// 30.0xfc01 / 30.0xff01 bit 12: AN vendor interrupt.
const GLOBAL_VEND_AN: u16 = 0x1000;

/// Everything the device drives into the status registers.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
struct StatusView {
    link: bool,
    an_stat1: u16,
    lpa: u16,
    tengbt_stat: u16,
    lp_stat1: u16,
    tx_vend_status1: u16,
    mdix: bool,
    if_status: u16,
    downshifted: bool,
    exchanges: u32,
}

pub struct Aqr113c {
    info: &'static ModelInfo,
    regs: RegFile<Hook>,
    medium: Medium,
    link: CopperLink,
    /// A unit reset in progress completes at this instant.
    reset_done: Option<Instant>,
    view: StatusView,
    log: UnimplementedLog,
}

impl Aqr113c {
    /// Powers the part up at `now`, with no cable plugged in.
    pub fn new(info: &'static ModelInfo, now: Instant) -> Result<Aqr113c, RegMapError> {
        let regs = RegFile::new(regs::MAP)?;
        let mut m = Aqr113c {
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
        self.regs.live(regs::GLOBAL_SC) & ctrl1::LOW_POWER != 0
            || self.regs.live(regs::PMA_CTRL1) & ctrl1::LOW_POWER != 0
            || self.regs.live(regs::PMA_TXDIS) & 0x0001 != 0
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
            regs::GLOBAL_SC,
        ] {
            self.regs.complete(addr, ctrl1::RESET);
        }
        self.start_link(now);
    }

    fn on_write(&mut self, now: Instant, w: Written<Hook>) {
        let Some(hook) = w.hook else { return };
        if w.new & ctrl1::RESET != 0
            && matches!(hook, Hook::Pcs | Hook::An | Hook::Pma | Hook::Global)
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
            Hook::Global => {
                if (w.old ^ w.new) & ctrl1::LOW_POWER != 0 {
                    self.start_link(now);
                }
            }
            Hook::TxDis => {
                if w.old != w.new {
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

        let tx_vend_status1 = resolved.map_or(0, |(speed, duplex)| {
            let rate = match speed {
                Speed::S10 => tvs::R10,
                Speed::S100 => tvs::R100,
                Speed::S1000 => tvs::R1000,
                Speed::S2500 => tvs::R2500,
                Speed::S5000 => tvs::R5000,
                Speed::S10000 => tvs::R10G,
            };
            rate | bit(duplex == Duplex::Full, tvs::FULL_DUPLEX)
        });

        // The host interface comes up with the line, in the mode provisioned for the speed.
        let if_status = match link.link().filter(|_| up) {
            Some(l) => {
                let reg = self.regs.live(regs::GLOBAL_CFG[speed_index(l.speed)]);
                match (reg & cfg::SERDES_MODE, reg & cfg::RATE_ADAPT) {
                    (cfg::SERDES_XFI, cfg::RATE_ADAPT_USX) => if_status::USXGMII,
                    (cfg::SERDES_XFI | cfg::SERDES_XFI5G, _) => if_status::XFI,
                    (cfg::SERDES_SGMII, _) => if_status::SGMII,
                    (cfg::SERDES_OCSGMII, _) => if_status::OCSGMII,
                    _ => if_status::OFF,
                }
            }
            None => if_status::OFF,
        };

        // IEEE 802.3 28.3.4: AN complete once the resolved technology reports link.
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
        let lp_stat1 = pages.map_or(0, |p| {
            bit(p.advertise.contains(LinkMode::BaseT1000Full), 0x8000)
                | bit(p.advertise.contains(LinkMode::BaseT1000Half), 0x4000)
        });
        if let Some(l) = link.link() {
            if l.speed.is_multigig() {
                tengbt_stat |= bit(l.master == Some(true), tengbt::STAT_MS_RES);
                tengbt_stat |= bit(up, tengbt::STAT_LOCOK | tengbt::STAT_REMOK);
            }
        }
        // Auto crossover settles on MDI (the partner crosses over); forced MDI-X shows it.
        let mdix = up && self.regs.live(regs::AN_RESVD_VEND_PROV) & 0x0003 == 2;
        StatusView {
            link: up,
            an_stat1: an,
            lpa: pages.map_or(0, base_page),
            tengbt_stat,
            lp_stat1,
            tx_vend_status1,
            mdix,
            if_status,
            downshifted: link.downshifted(),
            exchanges: link.exchanges(),
        }
    }

    /// Drives the status registers from the link engine and raises the interrupt events the
    /// change makes. Called after anything that may move the link, at that instant.
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
        r.set_live(regs::AN_RX_LP_STAT1, 0xffff, new.lp_stat1);
        r.set_live(regs::AN_TX_VEND_STATUS1, 0x000f, new.tx_vend_status1);
        r.set_live(regs::AN_RESVD_VEND_STATUS1, 0x0100, bit(new.mdix, 0x0100));
        r.set_live(regs::PHYXS_IF_STATUS, if_status::TYPE, new.if_status);
        if new.link != old.link {
            r.raise(regs::AN_TX_VEND_INT_STATUS2, INT_LINK);
        }
        if new.downshifted && !old.downshifted {
            r.raise(RegAddr::new(AN, 0xcc00), INT_DOWNSHIFT);
        }
        self.sync_irq();
    }

    /// The global vendor interrupt status follows the AN events and their mask.
    fn sync_irq(&mut self) {
        let pending = self.regs.live(regs::AN_TX_VEND_INT_STATUS2)
            & self.regs.live(regs::AN_TX_VEND_INT_MASK2)
            & INT_LINK
            != 0;
        self.regs.set_live(
            regs::GLOBAL_INT_VEND_STATUS,
            0xffff,
            bit(pending, GLOBAL_VEND_AN),
        );
    }
}

fn speed_index(speed: Speed) -> usize {
    match speed {
        Speed::S10 => 0,
        Speed::S100 => 1,
        Speed::S1000 => 2,
        Speed::S2500 => 3,
        Speed::S5000 => 4,
        Speed::S10000 => 5,
    }
}

/// The link configuration the registers hold now.
fn config_from(regs: &RegFile<Hook>) -> LinkConfig {
    let an = regs.live(regs::AN_CTRL1);
    let pma = regs.live(regs::PMA_CTRL1);
    let adv = regs.live(regs::AN_ADVERTISE);
    let prov = regs.live(regs::AN_VEND_PROV);
    let tg = regs.live(regs::AN_10GBT_CTRL);
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
        .with(
            LinkMode::BaseT1000Half,
            prov & vend_prov::ADV_1000_HALF != 0,
        )
        .with(
            LinkMode::BaseT1000Full,
            prov & vend_prov::ADV_1000_FULL != 0,
        )
        .with(
            LinkMode::BaseT2500Full,
            tg & tengbt::ADV2_5G != 0 || prov & vend_prov::ADV_2500_FULL != 0,
        )
        .with(
            LinkMode::BaseT5000Full,
            tg & tengbt::ADV5G != 0 || prov & vend_prov::ADV_5000_FULL != 0,
        )
        .with(LinkMode::BaseT10000Full, tg & tengbt::ADV10G != 0);
    let master_slave = if tg & tengbt::MS_ENABLE != 0 {
        MasterSlave::Manual {
            master: tg & tengbt::MS_VALUE != 0,
        }
    } else {
        MasterSlave::Auto {
            prefer_master: tg & tengbt::PORT_TYPE != 0,
        }
    };
    let count = (prov & vend_prov::DOWNSHIFT_CNT) as u8;
    LinkConfig {
        ability: LocalAbility {
            autoneg: an & ctrl1::AN_ENABLE != 0,
            forced: (speed, Duplex::Full),
            advertise,
            pause: Pause::from_bits(adv & 0x0400 != 0, adv & 0x0800 != 0),
            master_slave,
        },
        downshift_after: (prov & vend_prov::DOWNSHIFT_EN != 0 && count != 0).then_some(count),
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

impl MdioDevice for Aqr113c {
    /// The AQR113C answers Clause 45 only.
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
        let value = self.regs.read(addr).unwrap_or_else(|| {
            self.log
                .record(now, Target::Mmd { devad, reg }, Op::Read { answered: 0 });
            0
        });
        // Reading 7.0xcc01 acknowledges the AN interrupt.
        self.sync_irq();
        Some(value)
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

    /// INT# follows the global vendor interrupt status and its mask.
    fn irq_asserted(&self) -> bool {
        self.regs.live(regs::GLOBAL_INT_VEND_STATUS)
            & self.regs.live(regs::GLOBAL_INT_VEND_MASK)
            & GLOBAL_VEND_AN
            != 0
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

impl Phy for Aqr113c {
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
