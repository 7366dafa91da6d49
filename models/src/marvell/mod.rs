//! Marvell Alaska 88E1510 / 88E1512: one die, told apart by the revision in PHY ID 2 and by
//! which interfaces the package brings out. Linux binds both to "Marvell 88E1510"
//! (MARVELL_PHY_ID_88E1510 with mask 0xfffffff0).
//!
//! Configuration changes follow the part: speed, duplex and autonegotiation enable (0_0) and
//! the copper specific control bits (0_16) take effect on a software reset or on leaving power
//! down; the advertisement (0_4, 0_9 and the EEE advertisement MMD 7.60) on those, on
//! restarting autonegotiation and whenever the link starts over. A software reset keeps
//! register contents (the datasheet's "retain" and "update" columns) except loopback, isolate
//! and collision test, which clear.
//!
//! Cable tests (VCT7 on page 7, the VCT5 TDR engine on page 5) are in `cable_test.rs`; the
//! echo model they share with the 88E1111 in `tdr.rs`.

mod cable_test;
mod m88e1111;
mod regs;
mod status;
mod tdr;

pub use m88e1111::{Marvell88e1111, M88E1111, VCT_TIME as M88E1111_VCT_TIME};

use crate::c22;
use crate::catalog::ModelInfo;
use crate::copper::{copper_phy, CopperCore, LinkConfig};
use crate::dump::{self, DumpAddr, DumpEntry, DumpError, Placement};
use crate::eee;
use crate::medium::LinkMode;
use crate::mmd::MmdIndirect;
use crate::notes::{Op, Target};
use crate::paging::Paging;
use crate::regfile::{RegAddr, RegFile, RegMapError, Written};
use crate::resolve::LocalAbility;
use crate::timing::MIN_STEP;
use crate::{Instant, MdioDevice, Phy};
use cable_test::{CableTest, Tester};
use regs::{control, spec_control1, Hook};
use status::StatusView;

pub const M88E1510: ModelInfo = ModelInfo {
    name: "marvell-88e1510",
    description: "Marvell Alaska 88E1510 10/100/1000BASE-T PHY, RGMII",
    phy_id: 0x0141_0dd0,
    clause45: false,
    link_modes: &LinkMode::GIGABIT,
    kernel_driver: "Marvell 88E1510",
};

pub const M88E1512: ModelInfo = ModelInfo {
    name: "marvell-88e1512",
    description: "Marvell Alaska 88E1512 10/100/1000BASE-T PHY, RGMII/SGMII, fiber-capable",
    // Revision 1, as 88E1512 boards report it (Clearfog, Zynq SVDK).
    phy_id: 0x0141_0dd1,
    clause45: false,
    link_modes: &LinkMode::GIGABIT,
    kernel_driver: "Marvell 88E1510",
};

/// Pending self-clearing resets: when each completes.
#[derive(Clone, Debug, Default)]
struct Resets {
    copper: Option<Instant>,
    fiber: Option<Instant>,
    mode: Option<Instant>,
}

pub struct Marvell151x {
    regs: RegFile<Hook>,
    mmd: RegFile<()>,
    mmd_access: MmdIndirect,
    core: CopperCore,
    resets: Resets,
    cable_test: Option<CableTest>,
    /// 0_16 as of the last commit (MDI mode, energy detect, downshift).
    committed_spec_control: u16,
    view: StatusView,
}

impl Marvell151x {
    /// Powers the part up at `now`, with no cable plugged in.
    pub fn new(info: &'static ModelInfo, now: Instant) -> Result<Marvell151x, RegMapError> {
        let regs = RegFile::new(regs::MAP)?;
        let mmd = RegFile::new(regs::MMD_MAP)?;
        let mut m = Marvell151x {
            core: CopperCore::new(info, config_from(&regs, &mmd)),
            committed_spec_control: regs.live(regs::CU_SPEC_CONTROL1),
            regs,
            mmd,
            mmd_access: MmdIndirect::default(),
            resets: Resets::default(),
            cable_test: None,
            view: StatusView::default(),
        };
        m.power_on_reset(now);
        Ok(m)
    }

    /// What a guest read of `reg` on `page` would return now, without its side effects and
    /// without running time forward. For register dumps and tests.
    pub fn peek(&self, page: u8, reg: u8) -> Option<u16> {
        self.regs.peek(Paging::MARVELL.on_page(page, reg))
    }

    /// What a guest read of MMD `devad` register `reg` (through 0_13/0_14) would return now,
    /// without its side effects. For register dumps and tests.
    pub fn peek_mmd(&self, devad: u8, reg: u16) -> Option<u16> {
        self.mmd.peek(RegAddr::new(u16::from(devad), reg))
    }

    fn powered_down(&self) -> bool {
        self.regs.live(regs::CU_CONTROL) & control::POWER_DOWN != 0
            || self.regs.live(regs::CU_SPEC_CONTROL1) & spec_control1::POWER_DOWN != 0
    }

    /// Powered and out of reset: the copper side can link or test the cable.
    fn port_active(&self) -> bool {
        !self.powered_down() && self.resets.copper.is_none() && self.resets.mode.is_none()
    }

    /// The pairs are free for a link: no cable test is sending pulses on them.
    fn link_enabled(&self) -> bool {
        self.port_active() && self.cable_test.is_none()
    }

    /// Starts the link over with everything committed from the registers.
    fn commit_and_start(&mut self, now: Instant) {
        self.committed_spec_control = self.regs.live(regs::CU_SPEC_CONTROL1);
        if self.link_enabled() {
            self.core
                .link
                .start(now, config_from(&self.regs, &self.mmd), &self.core.medium);
        } else {
            self.core.link.stop();
        }
    }

    /// Starts the link over with the committed configuration and a fresh advertisement (EEE
    /// included); `an_on` also turns autonegotiation on (restart AN implies it).
    fn restart_with_advertisement(&mut self, now: Instant, an_on: bool) {
        let fresh = config_from(&self.regs, &self.mmd).ability;
        let mut cfg = self.core.link.config().clone();
        cfg.ability.advertise = fresh.advertise;
        cfg.ability.pause = fresh.pause;
        cfg.ability.master_slave = fresh.master_slave;
        cfg.ability.eee = fresh.eee;
        cfg.ability.autoneg |= an_on;
        self.core.link.start(now, cfg, &self.core.medium);
    }

    fn reset_delay(&self, now: Instant) -> Instant {
        now + self.core.link.timing().soft_reset.max(MIN_STEP)
    }

    fn on_write(&mut self, now: Instant, w: Written<Hook>) {
        match w.hook {
            Some(Hook::CopperControl) => self.on_copper_control(now, w),
            Some(Hook::CopperSpecificControl1) => {
                let was_down = w.old & spec_control1::POWER_DOWN != 0
                    || self.regs.live(regs::CU_CONTROL) & control::POWER_DOWN != 0;
                self.power_transition(now, was_down);
            }
            Some(Hook::FiberControl) => {
                // No fiber medium: the fiber side only has to look like it obeys.
                self.regs.complete(regs::FIBER_CONTROL, control::RESTART_AN);
                if w.rose(control::RESET) {
                    self.resets.fiber = Some(self.reset_delay(now));
                }
            }
            Some(Hook::GeneralControl1) => {
                if w.rose(regs::general_control1::RESET) {
                    self.resets.mode = Some(self.reset_delay(now));
                    self.abort_cable_test();
                    self.core.link.stop();
                }
            }
            Some(Hook::Vct5Control) => {
                if w.rose(regs::vct5_control::ENABLE) {
                    self.start_cable_test(now, Tester::Vct5);
                }
            }
            Some(Hook::Vct7Control) => {
                if w.rose(regs::vct7_control::RUN_NOW) {
                    self.start_cable_test(now, Tester::Vct7);
                }
            }
            Some(Hook::WolControl) => self
                .regs
                .complete(regs::WOL_CONTROL, regs::wol_control::CLEAR_STATUS),
            Some(Hook::MmdData) | None => {}
        }
    }

    fn on_copper_control(&mut self, now: Instant, w: Written<Hook>) {
        let restart = w.new & control::RESTART_AN != 0;
        // Restart AN self-clears as soon as autonegotiation restarts, which is at once.
        self.regs.complete(regs::CU_CONTROL, control::RESTART_AN);
        if w.rose(control::RESET) {
            self.resets.copper = Some(self.reset_delay(now));
            self.abort_cable_test();
            self.core.link.stop();
            return;
        }
        let was_down = w.old & control::POWER_DOWN != 0
            || self.regs.live(regs::CU_SPEC_CONTROL1) & spec_control1::POWER_DOWN != 0;
        if was_down != self.powered_down() {
            return self.power_transition(now, was_down);
        }
        if restart && w.new & control::AN_ENABLE != 0 && self.link_enabled() {
            self.restart_with_advertisement(now, true);
        }
    }

    /// Leaving power down performs a software reset and restarts autonegotiation.
    fn power_transition(&mut self, now: Instant, was_down: bool) {
        match (was_down, self.powered_down()) {
            (false, true) => {
                self.abort_cable_test();
                self.core.link.stop();
            }
            (true, false) => self.commit_and_start(now),
            _ => {}
        }
    }

    fn next_timer(&self) -> Option<Instant> {
        [
            self.resets.copper,
            self.resets.fiber,
            self.resets.mode,
            self.cable_test.map(|c| c.done),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// Runs the earliest pending timer, due at `t`.
    fn fire(&mut self, t: Instant) {
        let clear_soft_state = |regs: &mut RegFile<Hook>, addr| {
            regs.complete(addr, control::RESET);
            regs.load(
                addr,
                control::LOOPBACK | control::ISOLATE | control::COLLISION_TEST,
                0,
            );
        };
        if self.resets.fiber == Some(t) {
            self.resets.fiber = None;
            clear_soft_state(&mut self.regs, regs::FIBER_CONTROL);
        } else if self.resets.copper == Some(t) {
            self.resets.copper = None;
            clear_soft_state(&mut self.regs, regs::CU_CONTROL);
            self.commit_and_start(t);
        } else if self.resets.mode == Some(t) {
            // A mode change resets the copper and fiber sides alike.
            self.resets.mode = None;
            self.regs
                .complete(regs::GENERAL_CONTROL1, regs::general_control1::RESET);
            clear_soft_state(&mut self.regs, regs::FIBER_CONTROL);
            clear_soft_state(&mut self.regs, regs::CU_CONTROL);
            self.commit_and_start(t);
        } else if self.cable_test.is_some_and(|c| c.done == t) {
            self.finish_cable_test(t);
        } else {
            self.core.link.on_deadline(t, &self.core.medium);
        }
    }

    fn mmd_data(&mut self, now: Instant, write: Option<u16>) -> u16 {
        let ctrl = self.regs.live(regs::CU_MMD_CONTROL);
        self.mmd_access
            .data(now, ctrl, write, &mut self.mmd, &mut self.core.log)
    }

    fn note_target(addr: RegAddr) -> Target {
        Target::C22 {
            page: (addr.space != RegAddr::GLOBAL).then_some(addr.space as u8),
            reg: addr.reg as u8,
        }
    }

    fn pending(&self, status: RegAddr, enable: RegAddr) -> bool {
        self.regs.live(status) & self.regs.live(enable) != 0
    }
}

/// The link configuration the registers (and MMD 7.60) hold now.
fn config_from(regs: &RegFile<Hook>, mmd: &RegFile<()>) -> LinkConfig {
    let ability = c22::ability(
        regs.live(regs::CU_CONTROL),
        regs.live(regs::CU_ADVERTISE),
        regs.live(regs::CU_CTRL1000),
        true,
    );
    let sc1 = regs.live(regs::CU_SPEC_CONTROL1);
    LinkConfig {
        ability: LocalAbility {
            eee: eee::modes(mmd.live(regs::EEE_ADV), 0),
            ..ability
        },
        downshift_after: (sc1 & spec_control1::DOWNSHIFT_ENABLE != 0)
            .then(|| ((sc1 & spec_control1::DOWNSHIFT_COUNT) >> 12) as u8 + 1),
    }
}

impl MdioDevice for Marvell151x {
    fn c22_read(&mut self, now: Instant, reg: u8) -> Option<u16> {
        self.advance(now);
        let addr = Paging::MARVELL.addr(&self.regs, reg);
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
        let addr = Paging::MARVELL.addr(&self.regs, reg);
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

    /// The 88E151x ignores Clause 45 frames.
    fn c45_read(&mut self, _now: Instant, _devad: u8, _reg: u16) -> Option<u16> {
        None
    }

    fn c45_write(&mut self, _now: Instant, _devad: u8, _reg: u16, _value: u16) {}

    fn advance(&mut self, now: Instant) {
        while let Some(t) = self.next_deadline().filter(|t| *t <= now) {
            self.fire(t);
            self.sync();
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        [self.next_timer(), self.core.link.deadline()]
            .into_iter()
            .flatten()
            .min()
    }

    /// INTn shares the LED[2] pin: it only signals when 3_18.7 selects it.
    fn irq_asserted(&self) -> bool {
        let tcr = self.regs.live(regs::LED_TIMER_CONTROL);
        tcr & regs::led_timer::INT_ENABLE != 0
            && (tcr & regs::led_timer::FORCE_INT != 0
                || self.pending(regs::CU_IRQ_STATUS, regs::CU_IRQ_ENABLE)
                || self.pending(regs::FIBER_IRQ_STATUS, regs::FIBER_IRQ_ENABLE)
                || self.pending(regs::MAC_IRQ_STATUS, regs::MAC_IRQ_ENABLE))
    }

    fn power_on_reset(&mut self, now: Instant) {
        self.regs.reset_where(|_| true);
        self.mmd.reset_where(|_| true);
        self.mmd_access.reset();
        // The ID is fixed by the die, not by the register map's reset values.
        for id2 in [regs::CU_ID2, regs::FIBER_ID2] {
            self.regs
                .set_live(id2, 0xffff, self.core.info.phy_id as u16);
        }
        self.resets = Resets::default();
        self.cable_test = None;
        self.view = StatusView::default();
        self.core.link.stop();
        self.commit_and_start(now);
        self.sync();
    }
}

impl Phy for Marvell151x {
    copper_phy!(
        restart: |m, now| m.restart_with_advertisement(now, false),
        isolated: |m| m.regs.live(regs::CU_CONTROL) & control::ISOLATE != 0,
    );

    /// Loads the dump over the power-on values. Read-only fields (the PHY ID, ability bits)
    /// take the dumped value; these do not, and the dump's values for them are dropped:
    /// - the status the link engine derives from the scenario's `cable` and `partner` (0_1
    ///   link and autonegotiation complete, 0_5, 0_6, 0_10 master/slave fault and resolution,
    ///   receivers and partner bits, 0_17, MMD 7.61, 6_26 temperature alarm): a dump shows the
    ///   link the reporter had, the scenario says which link this run has, so the two cannot
    ///   disagree behind the driver's back;
    /// - self-clearing actions (reset, restart autonegotiation, starting a cable test),
    ///   clear-on-read events (interrupt status) and 7_21's test-in-progress bit: they are not
    ///   state, and no test runs after a preload;
    /// - reserved bits, and 0_13/0_14 (the MMD access window: load the MMD registers with
    ///   `mmd D reg R` lines instead).
    ///
    /// Configuration (0_0, 0_4, 0_9, 0_16, ...) then takes effect as after a power-up with
    /// those values: the link starts over from it. Refused: a page or MMD the part does not
    /// have, and a non-zero value for a register the model does not implement (it would read 0).
    fn preload(&mut self, now: Instant, dump: &[DumpEntry]) -> Result<(), DumpError> {
        self.advance(now);
        dump::load_dump(
            self.core.info.name,
            dump,
            &mut [&mut self.regs, &mut self.mmd],
            place,
            derived,
        )?;
        self.resets = Resets::default();
        self.cable_test = None;
        self.core.link.stop();
        self.commit_and_start(now);
        self.sync();
        Ok(())
    }
}

/// The bits of `addr` in register file `file` (0 Clause 22, 1 MMD; see `place`) the link
/// engine drives (`Marvell151x::sync`): never loaded from a dump.
fn derived(file: usize, addr: RegAddr) -> u16 {
    match (file, addr) {
        (0, regs::CU_STATUS) => regs::status::LINK | regs::status::AN_COMPLETE,
        (0, regs::CU_SPEC_STATUS1) => regs::spec_status1::ALL,
        (0, regs::CU_LP_ABILITY) => 0xffff,
        (0, regs::CU_AN_EXPANSION) => 0x000b,
        (0, regs::CU_STAT1000) => regs::stat1000::DERIVED,
        (0, regs::MISC_TEST) => regs::misc_test::TEMP_IRQ,
        (0, regs::VCT7_CONTROL) => regs::vct7_control::IN_PROGRESS,
        (1, regs::EEE_LP_ABILITY) => 0xffff,
        _ => 0,
    }
}

/// Where a dump line's register is: file 0 the Clause 22 registers (pages by register 22,
/// the unpaged ones whatever the line's page), file 1 the MMDs; 0_13/0_14 (the MMD access
/// window) are skipped: what they reach has its own `mmd` lines.
fn place(addr: DumpAddr) -> Result<Placement, String> {
    Ok(match addr {
        DumpAddr::C22 { page, reg } => {
            let addr = if Paging::MARVELL.unpaged & (1 << reg) != 0 {
                RegAddr::global(reg)
            } else {
                RegAddr::new(page, reg.into())
            };
            if matches!(addr, regs::CU_MMD_CONTROL | regs::CU_MMD_DATA) {
                Placement::Skip
            } else {
                Placement::At { file: 0, addr }
            }
        }
        DumpAddr::C45 { devad, reg } => Placement::At {
            file: 1,
            addr: RegAddr::new(u16::from(devad), reg),
        },
    })
}

#[cfg(test)]
mod preload_tests {
    use super::*;
    use crate::dump;

    fn preloaded(text: &str) -> Result<Marvell151x, DumpError> {
        let mut m = Marvell151x::new(&M88E1510, Instant::ZERO).unwrap();
        m.preload(Instant::ZERO, &dump::parse(text).unwrap())?;
        Ok(m)
    }

    #[test]
    fn dumped_values_read_back_even_read_only_ones() {
        let m =
            preloaded("page 0 reg 16 = 0x3064\n3 = 0x0dd4\npage 3 reg 16 = 0x1177\n15 = 0x2000\n")
                .unwrap();
        assert_eq!(m.peek(0, 16), Some(0x3064));
        assert_eq!(m.peek(0, 3), Some(0x0dd4));
        assert_eq!(m.peek(3, 16), Some(0x1177));
        assert_eq!(m.peek(0, 15), Some(0x2000));
        // 0_16 power down took effect as at power-up: no link engine running.
        assert!(m.powered_down());
    }

    #[test]
    fn link_status_stays_with_the_engine() {
        // A dump taken with the link up: the link bit and 0_17 are not loaded.
        let m = preloaded("1 = 0x796d\n17 = 0xbc08\n").unwrap();
        assert_eq!(m.peek(0, 1).unwrap() & 0x0024, 0);
        assert_eq!(m.peek(0, 1).unwrap() & !0x0024, 0x796d & !0x0024);
        assert_eq!(m.peek(0, 17).unwrap() & regs::spec_status1::LINK, 0);
    }

    #[test]
    fn master_slave_and_partner_eee_status_stay_with_the_engine() {
        // A dump taken during a master/slave fault, with an EEE partner before it.
        let m = preloaded("10 = 0xbc00\nmmd 7 reg 61 = 0x0006\nmmd 7 reg 60 = 0x0002\n").unwrap();
        assert_eq!(m.peek(0, 10).unwrap() & regs::stat1000::DERIVED, 0);
        assert_eq!(m.peek_mmd(7, 61), Some(0));
        // The EEE advertisement is configuration: it loads, and the link starts with it.
        assert_eq!(m.peek_mmd(7, 60), Some(0x0002));
        assert_eq!(
            m.core.link.config().ability.eee,
            [LinkMode::BaseT100Full].into_iter().collect()
        );
    }

    #[test]
    fn unknown_pages_and_unmodelled_registers_are_refused() {
        let e = |t: &str| preloaded(t).err().unwrap().to_string();
        assert_eq!(
            e("page 0x40 reg 1 = 0"),
            "line 1: page 64 reg 1: the marvell-88e1510 model has no page 64"
        );
        assert_eq!(
            e("mmd 30 reg 1 = 0"),
            "line 1: mmd 30 reg 0x0001: the marvell-88e1510 model has no MMD 30"
        );
        // A zero for an unmodelled register is what the model reads anyway.
        preloaded("page 0 reg 12 = 0").unwrap();
        assert!(e("page 0 reg 12 = 0x2001").contains("does not implement this register"));
    }
}
