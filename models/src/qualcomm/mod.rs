//! Qualcomm Atheros AR8035 gigabit PHY, as drivers/net/phy/qcom/at803x.c ("Qualcomm Atheros
//! AR8035", ATH8035_PHY_ID 0x004dd072, matched exactly) and qcom-phy-lib.c drive it.
//!
//! Clause 22 registers 0x00-0x1f (no paging) plus MMD registers through 0x0d/0x0e and the
//! debug registers through the debug port (address 0x1d, data 0x1e). BMCR speed, duplex and
//! autonegotiation enable apply at once; the advertisement (0x04, 0x09, EEE in MMD 7.60) is
//! taken whenever the link starts over. MDI crossover (0x10) and SmartSpeed (0x14) are
//! committed by a software reset (the driver resets after changing them). A software reset
//! (BMCR.15) keeps the registers, except debug register 0 whose RX clock delay goes back to
//! enabled, and takes `soft_reset`.

mod regs;

use crate::an::{bit, resolved};
use crate::c22::{self, bmcr};
use crate::catalog::ModelInfo;
use crate::copper::{copper_phy, CopperCore, LinkConfig};
use crate::dump::{self, DumpAddr, DumpEntry, DumpError, DumpSink, Placement};
use crate::eee;
use crate::medium::{Duplex, FaultKind, LinkMode, PairReport, Speed};
use crate::mmd::MmdIndirect;
use crate::notes::{Op, Target};
use crate::regfile::{RegAddr, RegFile, RegMapError, Written};
use crate::resolve::LocalAbility;
use crate::{Instant, MdioDevice, Phy};
use regs::{cdt, debug, irq, pssr, sfc, smart_speed, Hook};
use std::time::Duration;

pub const AR8035: ModelInfo = ModelInfo {
    name: "qualcomm-ar8035",
    description: "Qualcomm Atheros AR8035 10/100/1000BASE-T PHY, RGMII",
    phy_id: 0x004d_d072,
    clause45: false,
    link_modes: &[
        LinkMode::BaseT10Half,
        LinkMode::BaseT10Full,
        LinkMode::BaseT100Half,
        LinkMode::BaseT100Full,
        LinkMode::BaseT1000Full,
    ],
    kernel_driver: "Qualcomm Atheros AR8035",
};

/// One cable diagnostic test run (at803x_cdt_wait_for_completion: "about 25ms").
pub const CDT_TIME: Duration = Duration::from_millis(25);

/// Debug register `reg` as reported by `take_unimplemented()`: MMD device 0 is reserved by
/// IEEE 802.3, so "MMD 0.N" names debug register N.
pub const DEBUG_DEVAD: u8 = 0;

/// Everything the device drives into the status registers.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
struct StatusView {
    ieee: c22::Status,
    /// PHY-specific status (0x11).
    pssr: u16,
    downshifted: bool,
}

/// Settings the part takes only at a software reset.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
struct Committed {
    mdi: u16,
    smart_speed: u16,
}

pub struct Ar8035 {
    regs: RegFile<Hook>,
    mmd: RegFile<()>,
    debug: RegFile<()>,
    mmd_access: MmdIndirect,
    core: CopperCore,
    view: StatusView,
    committed: Committed,
    reset_done: Option<Instant>,
    cdt_done: Option<Instant>,
}

impl Ar8035 {
    /// Powers the part up at `now`, with no cable plugged in.
    pub fn new(info: &'static ModelInfo, now: Instant) -> Result<Ar8035, RegMapError> {
        let regs = RegFile::new(regs::MAP)?;
        let mmd = RegFile::new(regs::MMD_MAP)?;
        let debug = RegFile::new(regs::DEBUG_MAP)?;
        let committed = committed_from(&regs);
        let mut m = Ar8035 {
            core: CopperCore::new(info, config_from(&regs, &mmd, committed)),
            regs,
            mmd,
            debug,
            mmd_access: MmdIndirect::default(),
            view: StatusView::default(),
            committed,
            reset_done: None,
            cdt_done: None,
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

    /// The same for a debug register.
    pub fn peek_debug(&self, reg: u16) -> Option<u16> {
        self.debug.peek(RegAddr::new(0, reg))
    }

    fn powered_down(&self) -> bool {
        self.regs.live(regs::BMCR) & bmcr::POWER_DOWN != 0
    }

    /// Starts the link over with the registers as they are now, or stops it while powered
    /// down, in reset or running a cable test.
    fn start_link(&mut self, now: Instant) {
        if self.powered_down() || self.reset_done.is_some() || self.cdt_done.is_some() {
            self.core.link.stop();
        } else {
            let config = config_from(&self.regs, &self.mmd, self.committed);
            self.core.link.start(now, config, &self.core.medium);
        }
    }

    fn on_write(&mut self, now: Instant, w: Written<Hook>) {
        match w.hook {
            Some(Hook::Bmcr) => {
                // Restart AN self-clears as soon as autonegotiation restarts, which is at once.
                self.regs.complete(regs::BMCR, bmcr::RESTART_AN);
                if w.rose(bmcr::RESET) {
                    // BMCR.15 reads 1 until the reset completes; the link is down meanwhile.
                    self.reset_done = Some(now + self.core.link.timing().soft_reset);
                    self.cdt_done = None;
                    self.regs.complete(regs::CDT, cdt::ENABLE);
                    return self.core.link.stop();
                }
                if self.reset_done.is_some() {
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
            Some(Hook::Cdt) => {
                if w.new & cdt::ENABLE != 0 && self.cdt_done.is_none() {
                    if self.powered_down() || self.reset_done.is_some() {
                        // Nothing runs: the request is dropped.
                        self.regs.complete(regs::CDT, cdt::ENABLE);
                        return;
                    }
                    self.cdt_done = Some(now + CDT_TIME);
                    self.core.link.stop();
                }
            }
            Some(Hook::MmdData) | Some(Hook::DebugData) | None => {}
        }
    }

    /// The part comes up with the registers as they are: settings committed, no reset or
    /// cable test in progress, the link starting over without raising interrupt events.
    fn power_up(&mut self, now: Instant) {
        self.reset_done = None;
        self.cdt_done = None;
        self.committed = committed_from(&self.regs);
        self.core.link.stop();
        self.start_link(now);
        self.view = self.derive_status();
        self.sync();
    }

    fn finish_reset(&mut self, now: Instant) {
        self.reset_done = None;
        self.regs.complete(regs::BMCR, bmcr::RESET);
        // "after SW reset: RX delay enabled, while TX delay retains the value before reset".
        self.debug.load(
            RegAddr::new(0, debug::ANALOG_TEST_CTRL),
            debug::RX_CLK_DLY_EN,
            debug::RX_CLK_DLY_EN,
        );
        self.committed = committed_from(&self.regs);
        self.start_link(now);
    }

    fn finish_cdt(&mut self, now: Instant) {
        self.cdt_done = None;
        // MDI pair 0-3 is pair A-D, as at803x_cable_test_one_pair() reports it.
        let pair = usize::from((self.regs.live(regs::CDT) & cdt::PAIR) >> 8);
        let (status, delta) = cdt_result(self.core.medium.pair_report(pair));
        self.regs.set_live(
            regs::CDT_STATUS,
            cdt::STATUS | cdt::DELTA_TIME,
            (status << 8) | delta,
        );
        self.regs.complete(regs::CDT, cdt::ENABLE);
        self.start_link(now);
    }

    fn mmd_data(&mut self, now: Instant, write: Option<u16>) -> u16 {
        let ctrl = self.regs.live(regs::MMD_CTRL);
        self.mmd_access
            .data(now, ctrl, write, &mut self.mmd, &mut self.core.log)
    }

    fn debug_data(&mut self, now: Instant, write: Option<u16>) -> u16 {
        let reg = self.regs.live(regs::DEBUG_ADDR);
        let addr = RegAddr::new(0, reg);
        let target = Target::Mmd {
            devad: DEBUG_DEVAD,
            reg,
        };
        match write {
            Some(value) => {
                if self.debug.write(addr, value).is_none() {
                    self.core.log.record(now, target, Op::Write { value });
                }
                value
            }
            None => self.debug.read(addr).unwrap_or_else(|| {
                self.core.log.record(now, target, Op::Read { answered: 0 });
                0
            }),
        }
    }

    fn derive_status(&self) -> StatusView {
        let link = &self.core.link;
        let up = link.is_up();
        let ieee = c22::Status::of(link);
        let mut sts = 0;
        if let Some((speed, duplex)) = resolved(link) {
            sts |= pssr::RESOLVED;
            sts |= match speed {
                // A gigabit PHY never resolves a multi-gigabit speed.
                Speed::S1000 | Speed::S2500 | Speed::S5000 | Speed::S10000 => pssr::SPEED_1000,
                Speed::S100 => pssr::SPEED_100,
                Speed::S10 => 0,
            };
            sts |= bit(duplex == Duplex::Full, pssr::DUPLEX);
            // Auto crossover settles on MDI (the partner crosses over); manual MDI-X crosses.
            sts |= bit(self.committed.mdi == sfc::MANUAL_MDIX, pssr::MDIX);
        }
        if up {
            sts |= pssr::LINK;
            if let Some(l) = link.link() {
                sts |= bit(l.pause.tx, pssr::TX_PAUSE) | bit(l.pause.rx, pssr::RX_PAUSE);
            }
        }
        sts |= bit(ieee.an_complete, pssr::AN_COMPLETE);
        sts |= bit(link.pages().is_some(), pssr::PAGE_RECEIVED);
        let downshifted = link.running() && link.downshifted();
        sts |= bit(downshifted, pssr::DOWNGRADE);
        StatusView {
            ieee,
            pssr: sts,
            downshifted,
        }
    }

    /// Drives the status registers from the link engine and latches the events the change
    /// implies into the interrupt status. Called after anything that may move the link, at
    /// that instant.
    fn sync(&mut self) {
        let new = self.derive_status();
        let old = std::mem::replace(&mut self.view, new);
        let r = &mut self.regs;
        c22::sync(r, regs::page0, &self.core.link, &old.ieee, &new.ieee);
        r.set_live(regs::PSSR, 0xffff, new.pssr);
        if self.reset_done.is_some() {
            // A reset returns the status registers to their defaults (22.2.4.1.1), a latched
            // master/slave fault included.
            r.rearm(regs::STAT1000, c22::stat1000::MS_FAULT);
        }
        r.raise(regs::INT_STATUS, interrupt_events(&old, &new));
        self.mmd
            .set_live(regs::MMD_EEE_LP, regs::EEE_MODES, new.ieee.eee_lp);
    }
}

/// The CDT's reading of one pair: (status, delta time). Delta time counts the round trip at
/// 125 MHz, 0.824 m per count (at803x_cdt_fault_length), to the nearest count, and saturates
/// at 255 (210 m). The part tells only normal, short and open: a cross-pair short lowers the
/// pair's impedance like a short of its own, and an impedance mismatch reflects less than the
/// open/short thresholds, so it reads normal.
fn cdt_result(report: PairReport) -> (u16, u16) {
    let (status, distance_m) = match report {
        PairReport::Ok => return (cdt::STAT_NORMAL, 0),
        PairReport::Fault { kind, distance_m } => match kind {
            FaultKind::Open => (cdt::STAT_OPEN, distance_m),
            FaultKind::Short | FaultKind::CrossShort => (cdt::STAT_SHORT, distance_m),
            FaultKind::ImpedanceMismatch => return (cdt::STAT_NORMAL, 0),
        },
    };
    let delta = (distance_m / 0.824).round().min(255.0) as u16;
    (status, delta)
}

fn committed_from(regs: &RegFile<Hook>) -> Committed {
    Committed {
        mdi: regs.live(regs::SFC) & sfc::MDI_CROSSOVER,
        smart_speed: regs.live(regs::SMART_SPEED),
    }
}

/// The link configuration the registers hold now.
fn config_from(regs: &RegFile<Hook>, mmd: &RegFile<()>, committed: Committed) -> LinkConfig {
    // 1000BASE-T half duplex is not supported (ESTATUS 0x2000): CTRL1000.8 is storage only.
    let ability = c22::ability(
        regs.live(regs::BMCR),
        regs.live(regs::ANAR),
        regs.live(regs::CTRL1000),
        false,
    );
    let ss = committed.smart_speed;
    LinkConfig {
        ability: LocalAbility {
            // SmartEEE (3.0x805b-d) only decides whether the PHY or the MAC generates LPI; the
            // part negotiates EEE as 7.60 says either way.
            eee: eee::modes(mmd.live(regs::MMD_EEE_ADV), 0),
            ..ability
        },
        // 0x14 4:2: retry limit + 2 attempts (at803x_get_downshift).
        downshift_after: (ss & smart_speed::ENABLE != 0)
            .then(|| ((ss & smart_speed::RETRY_LIMIT) >> 2) as u8 + 2),
    }
}

/// Interrupt status bits for the transition `old` → `new`. They latch whether or not the
/// enable register enables them.
fn interrupt_events(old: &StatusView, new: &StatusView) -> u16 {
    let changed = |mask: u16| (old.pssr ^ new.pssr) & mask != 0;
    bit(old.ieee.link && !new.ieee.link, irq::LINK_FAIL)
        | bit(!old.ieee.link && new.ieee.link, irq::LINK_SUCCESS)
        | bit(new.ieee.exchanges != old.ieee.exchanges, irq::PAGE_RECEIVED)
        | bit(changed(pssr::SPEED), irq::SPEED_CHANGED)
        | bit(changed(pssr::DUPLEX), irq::DUPLEX_CHANGED)
        | bit(
            new.ieee.exchanges_without_link != old.ieee.exchanges_without_link,
            irq::AN_ERROR,
        )
        | bit(
            new.downshifted && !old.downshifted,
            irq::WIRESPEED_DOWNGRADE,
        )
}

impl MdioDevice for Ar8035 {
    fn c22_read(&mut self, now: Instant, reg: u8) -> Option<u16> {
        self.advance(now);
        let addr = RegAddr::page(0, reg & 31);
        match self.regs.hook(addr) {
            Some(Hook::MmdData) => return Some(self.mmd_data(now, None)),
            Some(Hook::DebugData) => return Some(self.debug_data(now, None)),
            _ => {}
        }
        Some(self.regs.read(addr).unwrap_or_else(|| {
            // Reserved and unmodelled registers read as 0.
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
        match self.regs.hook(addr) {
            Some(Hook::MmdData) => {
                self.mmd_data(now, Some(value));
                return;
            }
            Some(Hook::DebugData) => {
                self.debug_data(now, Some(value));
                return;
            }
            _ => {}
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

    /// The AR8035 answers Clause 22 only.
    fn c45_read(&mut self, _now: Instant, _devad: u8, _reg: u16) -> Option<u16> {
        None
    }

    fn c45_write(&mut self, _now: Instant, _devad: u8, _reg: u16, _value: u16) {}

    fn advance(&mut self, now: Instant) {
        while let Some(t) = self.next_deadline().filter(|t| *t <= now) {
            if self.reset_done == Some(t) {
                self.finish_reset(t);
            } else if self.cdt_done == Some(t) {
                self.finish_cdt(t);
            } else {
                self.core.link.on_deadline(t, &self.core.medium);
            }
            self.sync();
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        [self.reset_done, self.cdt_done, self.core.link.deadline()]
            .into_iter()
            .flatten()
            .min()
    }

    /// INT (active low, open drain on the part) is asserted while an enabled event is pending.
    fn irq_asserted(&self) -> bool {
        self.regs.live(regs::INT_STATUS) & self.regs.live(regs::INT_ENABLE) != 0
    }

    fn power_on_reset(&mut self, now: Instant) {
        self.regs.reset_where(|_| true);
        self.mmd.reset_where(|_| true);
        self.debug.reset_where(|_| true);
        self.mmd_access.reset();
        self.power_up(now);
    }
}

impl Phy for Ar8035 {
    copper_phy!(
        restart: |m, now| m.start_link(now),
        isolated: |m| m.regs.live(regs::BMCR) & bmcr::ISOLATE != 0,
    );

    /// Loads the dump over the power-on values. Read-only fields (the PHY ID, the BMSR and
    /// 0x0f abilities, MMD 3.20) take the dumped value. Debug registers are given as
    /// `mmd 0 reg R` lines: the dump format has no debug space, and MMD 0 is the name the
    /// model already gives debug register R in `take_unimplemented()` (IEEE 802.3 reserves
    /// MMD 0, so it can mean nothing else on this part). These are never loaded, and the
    /// dump's values for them are dropped:
    /// - the status the model derives from the scenario's `cable` and `partner`: BMSR link,
    ///   autonegotiation complete, remote fault and jabber; 0x05 and 0x08 (partner pages);
    ///   0x06 bits 4, 3, 1, 0; 0x0a bits 15:10; 0x11 (PHY-specific status); the CDT result in
    ///   0x1c; MMD 3.1 and 7.61. A dump shows the link the reporter had, the scenario says which
    ///   link this run has, so the two cannot disagree behind the driver's back;
    /// - self-clearing actions (BMCR reset and restart autonegotiation, CDT enable) and
    ///   clear-on-read events and counters (0x13, 0x0a bits 7:0, MMD 3.22): they are not state;
    /// - reserved bits, and the access windows 0x0d/0x0e (MMD) and 0x1d/0x1e (debug port):
    ///   give the registers behind them as `mmd D reg R` lines instead.
    ///
    /// Configuration then takes effect as after a power-up with those values: BMCR, 0x04 and
    /// 0x09 start the link over (or keep it down while BMCR power down is set), and 0x10 MDI
    /// mode and 0x14 SmartSpeed are committed as a reset commits them. A software reset keeps
    /// the loaded registers, as it keeps every register. Refused: a `page` other than 0 (the
    /// part has no register pages), an MMD the model does not have (it has 3 and 7, and 0 for
    /// the debug registers), and a non-zero value for a register the model does not implement
    /// (it would read 0).
    fn preload(&mut self, now: Instant, dump: &[DumpEntry]) -> Result<(), DumpError> {
        self.advance(now);
        let model = self.core.info.name;
        dump::load_dump(
            model,
            dump,
            &mut [
                &mut self.regs as &mut dyn DumpSink,
                &mut self.mmd,
                &mut self.debug,
            ],
            |a| place(model, a),
            derived,
        )?;
        self.power_up(now);
        Ok(())
    }
}

/// The register files `preload` hands to [`dump::load_dump`], in this order.
const C22_REGS: usize = 0;
const MMD_REGS: usize = 1;
const DEBUG_REGS: usize = 2;

/// Where the AR8035 keeps the register a dump line names.
fn place(model: &str, addr: DumpAddr) -> Result<Placement, String> {
    match addr {
        // A window's last address and data say nothing about the part: the registers it
        // reaches have lines of their own.
        DumpAddr::C22 {
            page: 0,
            reg: 0x0d | 0x0e | 0x1d | 0x1e,
        } => Ok(Placement::Skip),
        DumpAddr::C22 { page: 0, reg } => Ok(Placement::At {
            file: C22_REGS,
            addr: RegAddr::page(0, reg),
        }),
        DumpAddr::C22 { page, .. } => Err(format!(
            "the {model} model has no page {page} (the part has no register pages: give its registers without `page`)"
        )),
        DumpAddr::C45 {
            devad: DEBUG_DEVAD,
            reg,
        } => Ok(Placement::At {
            file: DEBUG_REGS,
            addr: RegAddr::new(0, reg),
        }),
        DumpAddr::C45 { devad, reg } => Ok(Placement::At {
            file: MMD_REGS,
            addr: RegAddr::new(u16::from(devad), reg),
        }),
    }
}

/// The bits of a register the model keeps deriving (`sync`, CDT): never loaded from a dump.
fn derived(file: usize, addr: RegAddr) -> u16 {
    match (file, addr) {
        (C22_REGS, regs::PSSR) => 0xffff,
        (C22_REGS, regs::CDT_STATUS) => cdt::STATUS | cdt::DELTA_TIME,
        (MMD_REGS, regs::MMD_PCS_STATUS1 | regs::MMD_EEE_LP) => 0xffff,
        (C22_REGS, a) => c22::derived(a.reg),
        _ => 0,
    }
}

#[cfg(test)]
mod preload_tests {
    use super::*;
    use crate::medium::{LinkModes, LinkPartner, Medium};

    fn preloaded(text: &str) -> Result<Ar8035, DumpError> {
        let mut m = Ar8035::new(&AR8035, Instant::ZERO).unwrap();
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
            "3 = 0xd074\n15 = 0x3000\n4 = 0x0c61\n0x10 = 0x0822\n0x14 = 0x080c\n\
             mmd 3 reg 20 = 0x0002\nmmd 7 reg 0x8016 = 0x0018\n\
             mmd 0 reg 0x0b = 0x3c20\nmmd 0 reg 5 = 0x2d47\n",
        )
        .unwrap();
        assert_eq!(m.peek(3), Some(0xd074));
        assert_eq!(m.peek(15), Some(0x3000));
        assert_eq!(m.peek(4), Some(0x0c61));
        assert_eq!(m.peek(0x10), Some(0x0822));
        assert_eq!(m.peek(0x14), Some(0x080c));
        assert_eq!(m.peek_mmd(3, 20), Some(0x0002));
        assert_eq!(m.peek_mmd(7, 0x8016), Some(0x0018));
        assert_eq!(m.peek_debug(0x0b), Some(0x3c20));
        assert_eq!(m.peek_debug(5), Some(0x2d47));
        // 0x10 and 0x14 are committed as at power-up, without waiting for a soft reset.
        assert_eq!(m.committed.mdi, sfc::MANUAL_MDIX);
        assert_eq!(m.core.link.config().downshift_after, None);
    }

    #[test]
    fn a_soft_reset_keeps_the_loaded_registers() {
        let mut m = preloaded("3 = 0xd074\n4 = 0x0061\nmmd 0 reg 0 = 0x02ee\n").unwrap();
        m.c22_write(at(1), 0x00, bmcr::RESET | bmcr::AN_ENABLE);
        m.advance(at(2));
        assert_eq!(m.peek(0).unwrap() & bmcr::RESET, 0, "reset done");
        assert_eq!(m.peek(3), Some(0xd074));
        assert_eq!(m.peek(4), Some(0x0061));
        // As on the part, a soft reset turns the RX clock delay back on.
        assert_eq!(m.peek_debug(0), Some(0x82ee));
    }

    #[test]
    fn link_status_stays_with_the_engine() {
        // Taken with the link up at 1000/Full, interrupts enabled and events pending, after a
        // cable test.
        let mut m = preloaded(
            "1 = 0x797f\n5 = 0xcde1\n6 = 0x001f\n8 = 0x2001\n0x0a = 0xbc00\n0x11 = 0xbe08\n\
             0x12 = 0xec00\n0x13 = 0x0c00\n0x1c = 0x0212\n\
             mmd 3 reg 1 = 0x0004\nmmd 7 reg 61 = 0x0006\n",
        )
        .unwrap();
        for reg in [5, 8, 0x0a, 0x11, 0x13, 0x1c] {
            assert_eq!(m.peek(reg), Some(0), "reg {reg:#x}");
        }
        assert_eq!(m.peek(1), Some(0x7949));
        assert_eq!(m.peek(6), Some(0x0004));
        assert_eq!(m.peek(0x12), Some(0xec00), "interrupt enables load");
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
        assert_eq!(m.peek(0x11), Some(0));
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
        let ss = m.peek(0x11).unwrap();
        assert_eq!(ss & (pssr::SPEED | pssr::DUPLEX | pssr::LINK), pssr::LINK);
    }

    #[test]
    fn a_dumped_power_down_holds_the_link_down_until_cleared() {
        let mut m = preloaded("0 = 0x1940\n").unwrap();
        m.set_medium(Instant::ZERO, full_partner());
        m.advance(at(5));
        assert!(!m.link_state().up);
        // at803x_resume().
        m.c22_write(at(5), 0x00, 0x1140);
        m.advance(at(8));
        let l = m.link_state();
        assert_eq!((l.up, l.speed), (true, Some(Speed::S1000)));
    }

    #[test]
    fn a_dumped_smartspeed_off_never_downshifts() {
        let mut medium = full_partner();
        medium.cable.pairs = 2;
        let mut plain = Ar8035::new(&AR8035, Instant::ZERO).unwrap();
        let mut dumped = preloaded("0x14 = 0x080c\n").unwrap();
        for m in [&mut plain, &mut dumped] {
            m.set_medium(Instant::ZERO, medium.clone());
            m.advance(at(30));
        }
        assert_eq!(plain.link_state().speed, Some(Speed::S100), "downshifted");
        assert!(!dumped.link_state().up);
    }

    #[test]
    fn access_windows_are_skipped() {
        let m = preloaded("13 = 0x4003\n14 = 0x0002\n0x1d = 0x0b\n0x1e = 0x3c20\n").unwrap();
        for reg in [13, 14, 0x1d, 0x1e] {
            assert_eq!(m.peek(reg), Some(0), "reg {reg:#x}");
        }
        assert_eq!(m.peek_debug(0x0b), Some(0xbc20));
    }

    #[test]
    fn pages_unknown_mmds_and_unmodelled_registers_are_refused() {
        let e = |t: &str| preloaded(t).err().unwrap().to_string();
        assert_eq!(
            e("0 = 0x1140\npage 1 reg 0 = 0x1140"),
            "line 2: page 1 reg 0: the qualcomm-ar8035 model has no page 1 \
             (the part has no register pages: give its registers without `page`)"
        );
        assert_eq!(
            e("mmd 1 reg 0 = 0"),
            "line 1: mmd 1 reg 0x0000: the qualcomm-ar8035 model has no MMD 1"
        );
        assert_eq!(
            e("0x18 = 0x1234"),
            "line 1: page 0 reg 24 = 0x1234: the qualcomm-ar8035 model does not implement \
             this register (it reads 0); remove the line"
        );
        // Debug register 0x1f (the AR8031's PLL control) is not on this part.
        assert_eq!(
            e("# debug\n\nmmd 0 reg 0x1f = 0x0004"),
            "line 3: mmd 0 reg 0x001f = 0x0004: the qualcomm-ar8035 model does not implement \
             this register (it reads 0); remove the line"
        );
        // A zero for an unmodelled register is what the model reads anyway.
        preloaded("0x18 = 0\nmmd 0 reg 0x1f = 0\nmmd 3 reg 0x8000 = 0").unwrap();
    }
}
