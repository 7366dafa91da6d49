//! Marvell Alaska 88E1111 (rev B2, PHY ID 0x01410cc2): a 10/100/1000BASE-T PHY with a GMII,
//! RGMII, SGMII, TBI or RTBI MAC side picked by HWCFG_MODE (27.3:0). Linux binds it to
//! "Marvell 88E1111" (MARVELL_PHY_ID_88E1111 with mask 0xfffffff0).
//!
//! It shares the Alaska copper layout with the 88E151x (page register 22, copper specific
//! status 17, interrupt enable/status 18/19) but not the rest:
//!
//! - Downshift lives in the extended PHY specific control register 20 (20.8 enable, 20.11:9
//!   tries - 1), next to the RGMII receive (20.7) and transmit (20.1) clock delays.
//! - 27 is the extended PHY specific status: HWCFG_MODE, fiber/copper auto-selection, the
//!   fiber/copper resolution and serial interface autonegotiation bypass.
//! - 17 reports pause in bits 3/2 (the 88E151x uses 9/8) and the cable length in 9:7; it has
//!   no global link bit.
//! - INT# is a dedicated pin: asserted while 19 & 18 is non-zero. There is no page 3 LED/INT
//!   routing; LEDs are registers 24/25.
//! - Page register 22 only selects between the copper (0) and fiber (1) banks of registers
//!   0, 1, 4-8 and 17-19, and the pair (0-3) whose VCT result register 28 shows. Everything
//!   else answers on every page.
//!
//! Reset behaviour follows the part: a software reset (0.15) or leaving power down commits
//! speed, duplex and autonegotiation enable (0), the MDI/energy detect settings (16), downshift
//! (20) and the MAC interface mode (27), and keeps every register's contents (nothing clears
//! except the reset bit itself). The advertisement (4, 9) is taken on a reset, on restarting
//! autonegotiation and whenever the link starts over.
//!
//! The virtual cable tester: 28.15 (page 0) starts a test of all four pairs; each pair's
//! result is register 28 on page 0-3. The test takes `VCT_TIME`, holds the link down, and
//! leaves the link to start over with the committed configuration. The debug port (29
//! address, 30 data) holds the one debug register the driver's VCT workaround writes, as
//! storage.
//!
//! Master/slave resolution shows in 10.15 (configuration fault, latching high) and 10.14
//! (MASTER), an exchange without a link in 19.15 (autonegotiation error). The part predates
//! EEE (IEEE 802.3az) and the Clause 22 MMD window: it advertises no EEE, and 13/14 are
//! reserved (read 0, ignore writes; the value is an assumption), so phylib's EEE probe through
//! them finds no EEE abilities.
//!
//! Modelled as copper only: the fiber registers (page 1) are not modelled: they read 0,
//! ignore writes and are logged.

use super::regs::{self, control, irq, spec_control1};
use super::tdr;
use crate::an::{bit, resolved};
use crate::c22;
use crate::catalog::ModelInfo;
use crate::copper::{copper_phy, CopperCore, LinkConfig};
use crate::medium::{Duplex, FaultKind, LinkMode, LinkModes, PairReport, Speed};
use crate::notes::{Op, Target};
use crate::paging::Paging;
use crate::regfile::{Access, Field, RegAddr, RegDef, RegFile, RegMapError, Written};
use crate::resolve::LocalAbility;
use crate::timing::MIN_STEP;
use crate::{Instant, MdioDevice, Phy};
use std::time::Duration;

pub const M88E1111: ModelInfo = ModelInfo {
    name: "marvell-88e1111",
    description: "Marvell Alaska 88E1111 10/100/1000BASE-T PHY, RGMII (HWCFG_MODE 1011)",
    // Revision 2 (B2), the silicon boards ship with.
    phy_id: 0x0141_0cc2,
    clause45: false,
    link_modes: &LinkMode::GIGABIT,
    kernel_driver: "Marvell 88E1111",
};

/// 22 pages registers 0, 1, 4-8, 17-19 (copper / fiber bank) and 28 (VCT pair); the rest are
/// common to all pages.
const PAGING: Paging = Paging {
    select: 22,
    page_mask: 0x00ff,
    unpaged: !(1 << 0
        | 1 << 1
        | 1 << 4
        | 1 << 5
        | 1 << 6
        | 1 << 7
        | 1 << 8
        | 1 << 17
        | 1 << 18
        | 1 << 19
        | 1 << 28),
};

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Hook {
    /// 0: reset, power down, restart autonegotiation.
    Control,
    /// 28 on page 0: start the virtual cable tester.
    VctControl,
}

/// How long a cable test runs: the four pairs one after the other, each averaging the echoes
/// of 128 pulses (`tdr::capture_time`), ~2.1 ms.
pub const VCT_TIME: Duration = Duration::from_nanos(4 * 128 * tdr::PULSE_PERIOD.as_nanos() as u64);

const CONTROL: RegAddr = RegAddr::page(0, 0);
const STATUS: RegAddr = RegAddr::page(0, 1);
const ID2: RegAddr = RegAddr::global(3);
const ADVERTISE: RegAddr = RegAddr::page(0, 4);
const LP_ABILITY: RegAddr = RegAddr::page(0, 5);
const AN_EXPANSION: RegAddr = RegAddr::page(0, 6);
const CTRL1000: RegAddr = RegAddr::global(9);
const STAT1000: RegAddr = RegAddr::global(10);
const SPEC_CONTROL: RegAddr = RegAddr::global(16);
const SPEC_STATUS: RegAddr = RegAddr::page(0, 17);
const IRQ_ENABLE: RegAddr = RegAddr::page(0, 18);
const IRQ_STATUS: RegAddr = RegAddr::page(0, 19);
const EXT_CONTROL: RegAddr = RegAddr::global(20);
const EXT_STATUS: RegAddr = RegAddr::global(27);
const DEBUG_ADDRESS: RegAddr = RegAddr::global(29);
const DEBUG_DATA: RegAddr = RegAddr::global(30);
/// The debug registers behind 29/30, in a space of their own (pages stop at 0xff).
const DEBUG_SPACE: u16 = 0x0100;

/// Register 28 of pair `pair` (its page).
const fn vct_result(pair: usize) -> RegAddr {
    RegAddr::page(pair as u8, 28)
}

/// 17, the 88E1111 layout.
pub mod spec_status {
    pub const SPEED_1000: u16 = 0x8000;
    pub const SPEED_100: u16 = 0x4000;
    pub const SPEED: u16 = 0xc000;
    pub const DUPLEX: u16 = 0x2000;
    pub const PAGE_RECEIVED: u16 = 0x1000;
    pub const RESOLVED: u16 = 0x0800;
    pub const LINK: u16 = 0x0400;
    pub const MDIX: u16 = 0x0040;
    pub const DOWNSHIFT: u16 = 0x0020;
    pub const ENERGY_SLEEP: u16 = 0x0010;
    pub const TX_PAUSE: u16 = 0x0008;
    pub const RX_PAUSE: u16 = 0x0004;
    /// Every bit the model drives.
    pub const ALL: u16 = 0xfc7c;
}

/// 20.
pub mod ext_control {
    pub const DOWNSHIFT_COUNT: u16 = 0x0e00;
    pub const DOWNSHIFT_ENABLE: u16 = 0x0100;
    pub const RGMII_RX_DELAY: u16 = 0x0080;
    pub const RGMII_TX_DELAY: u16 = 0x0002;
}

/// 28, per pair.
pub mod vct {
    /// Page 0 only.
    pub const ENABLE: u16 = 0x8000;
    pub const STATUS: u16 = 0x6000;
    pub const NORMAL: u16 = 0x0000;
    pub const SHORT: u16 = 0x2000;
    pub const OPEN: u16 = 0x4000;
    pub const FAIL: u16 = 0x6000;
    pub const AMPLITUDE: u16 = 0x1f00;
    /// Distance to the reflection; 0xff with a normal status: none.
    pub const DISTANCE: u16 = 0x00ff;
    pub const RESULT: u16 = STATUS | AMPLITUDE | DISTANCE;
}

/// 27.
pub mod ext_status {
    pub const FIBER_COPPER_AUTO: u16 = 0x8000;
    pub const FIBER_COPPER_RES: u16 = 0x2000;
    pub const SERIAL_AN_BYPASS: u16 = 0x1000;
    pub const HWCFG_MODE: u16 = 0x000f;
    /// RGMII to copper, the strap the model powers up with.
    pub const MODE_COPPER_RGMII: u16 = 0x000b;
}

const fn reg(addr: RegAddr, name: &'static str, fields: &'static [Field]) -> RegDef<Hook> {
    RegDef {
        addr,
        name,
        fields,
        hook: None,
    }
}

const VCT_RESULT: &[Field] = &[
    Field::ro("status", vct::STATUS, 0),
    Field::ro("amplitude", vct::AMPLITUDE, 0),
    Field::ro("distance", vct::DISTANCE, 0),
];

/// Register map. Reset values are the 88E1111 datasheet's with the configuration pins of an
/// RGMII copper board: ANEG[3:0] = 1111 (advertise everything, prefer slave), ENA_XC = 1
/// (auto crossover), DIS_SLEEP = 1 (energy detect off), HWCFG_MODE = 1011, DIS_FC = 1.
/// Not from the datasheet: register 28 and debug register 0x18 reset values (0 and 0x0042, the
/// value the driver's workaround restores).
static MAP: &[RegDef<Hook>] = &[
    reg(
        RegAddr::global(22),
        "Extended Address",
        &[Field::rw("page", 0x00ff, 0)],
    ),
    RegDef {
        addr: CONTROL,
        name: "Control",
        hook: Some(Hook::Control),
        fields: c22::BMCR_FIELDS,
    },
    // No 100BASE-T2 bits (10:9): reserved in the 88E1111's status register.
    reg(STATUS, "Status", &c22::bmsr(c22::bmsr::T4, Access::Lh)),
    reg(
        RegAddr::global(c22::PHYID1),
        "PHY Identifier 1",
        &[Field::ro("oui_msb", 0xffff, 0x0141)],
    ),
    reg(
        ID2,
        "PHY Identifier 2",
        &[Field::ro("oui_lsb_model_revision", 0xffff, 0x0cc2)],
    ),
    reg(ADVERTISE, "Auto-Negotiation Advertisement", regs::ANAR),
    reg(LP_ABILITY, "Link Partner Ability", c22::ANLPAR_FIELDS),
    reg(
        AN_EXPANSION,
        "Auto-Negotiation Expansion",
        &c22::aner(Access::Lh),
    ),
    reg(
        RegAddr::page(0, c22::NPTX),
        "Next Page Transmit",
        c22::NPTX_STORAGE_FIELDS,
    ),
    reg(
        RegAddr::page(0, c22::LPNP),
        "Link Partner Next Page",
        c22::LPNP_FIELDS,
    ),
    reg(
        CTRL1000,
        "1000BASE-T Control",
        &c22::ctrl1000(c22::ctrl1000::ADV_1000_HALF),
    ),
    reg(STAT1000, "1000BASE-T Status", c22::STAT1000_FIELDS),
    // Reserved on the 88E1111, which has no MMDs: phylib's EEE probe
    // (genphy_c45_read_eee_abilities) goes through them and reads 0 from 14.
    reg(
        RegAddr::global(13),
        "Reserved (MMD access control on later parts)",
        &[],
    ),
    reg(
        RegAddr::global(14),
        "Reserved (MMD access data on later parts)",
        &[],
    ),
    reg(
        RegAddr::global(c22::ESTATUS),
        "Extended Status",
        &c22::estatus(true),
    ),
    reg(
        SPEC_CONTROL,
        "PHY Specific Control",
        &[
            Field::rw("fifo_depths", 0xf000, 0),
            Field::rw("assert_crs_on_transmit", 0x0800, 0),
            Field::rw("force_link_good", 0x0400, 0),
            Field::rw("energy_detect", 0x0300, 0),
            Field::rw("extended_distance", 0x0080, 0),
            Field::rw("mdi_crossover", spec_control1::MDI_MODE, 0x0060),
            Field::rw("unmodelled", 0x001f, 0x0008),
        ],
    ),
    reg(
        SPEC_STATUS,
        "PHY Specific Status",
        &[
            Field::ro("speed", spec_status::SPEED, 0),
            Field::ro("duplex", spec_status::DUPLEX, 0),
            Field::ro("page_received", spec_status::PAGE_RECEIVED, 0),
            Field::ro("resolved", spec_status::RESOLVED, 0),
            Field::ro("link", spec_status::LINK, 0),
            // < 50 m on every cable the model sees.
            Field::ro("cable_length", 0x0380, 0),
            Field::ro("mdix", spec_status::MDIX, 0),
            Field::ro("downshift", spec_status::DOWNSHIFT, 0),
            Field::ro("energy_sleep", spec_status::ENERGY_SLEEP, 0),
            Field::ro("tx_pause", spec_status::TX_PAUSE, 0),
            Field::ro("rx_pause", spec_status::RX_PAUSE, 0),
            Field::ro("polarity_reversed", 0x0002, 0),
            Field::ro("jabber", 0x0001, 0),
        ],
    ),
    // Bit 3 is reserved.
    reg(
        IRQ_ENABLE,
        "Interrupt Enable",
        &[Field::rw("enable", 0xfff7, 0)],
    ),
    reg(
        IRQ_STATUS,
        "Interrupt Status",
        &[Field::rc("status", 0xfff7)],
    ),
    reg(
        EXT_CONTROL,
        "Extended PHY Specific Control",
        &[
            Field::rw("block_carrier_extension", 0x8000, 0),
            Field::rw("line_loopback", 0x4000, 0),
            Field::rw("unmodelled", 0x3000, 0),
            Field::rw("downshift_count", ext_control::DOWNSHIFT_COUNT, 0x0c00),
            Field::rw("downshift_enable", ext_control::DOWNSHIFT_ENABLE, 0),
            Field::rw("rgmii_rx_delay", ext_control::RGMII_RX_DELAY, 0),
            Field::rw("default_mac_speed", 0x0070, 0x0060),
            Field::rw("dte_detect", 0x0004, 0),
            Field::rw("rgmii_tx_delay", ext_control::RGMII_TX_DELAY, 0),
            Field::rw("transmitter_disable", 0x0001, 0),
        ],
    ),
    reg(
        RegAddr::global(21),
        "Receive Error Counter",
        &[Field::ro("count", 0xffff, 0)],
    ),
    reg(
        RegAddr::global(24),
        "LED Control",
        &[Field::rw("unmodelled", 0xffff, 0x4100)],
    ),
    reg(
        RegAddr::global(25),
        "Manual LED Override",
        &[Field::rw("unmodelled", 0xffff, 0)],
    ),
    reg(
        EXT_STATUS,
        "Extended PHY Specific Status",
        &[
            Field::rw("fiber_copper_auto", ext_status::FIBER_COPPER_AUTO, 0x8000),
            Field::ro("fiber_copper_resolution", ext_status::FIBER_COPPER_RES, 0),
            Field::rw("serial_an_bypass", ext_status::SERIAL_AN_BYPASS, 0),
            Field::ro("serial_an_bypass_status", 0x0800, 0),
            Field::rw("unmodelled", 0x47f0, 0x0480),
            Field::rw(
                "hwcfg_mode",
                ext_status::HWCFG_MODE,
                ext_status::MODE_COPPER_RGMII,
            ),
        ],
    ),
    RegDef {
        addr: vct_result(0),
        name: "VCT MDI[0]",
        hook: Some(Hook::VctControl),
        fields: &[
            Field::sc("enable", vct::ENABLE),
            Field::ro("status", vct::STATUS, 0),
            Field::ro("amplitude", vct::AMPLITUDE, 0),
            Field::ro("distance", vct::DISTANCE, 0),
        ],
    },
    reg(vct_result(1), "VCT MDI[1]", VCT_RESULT),
    reg(vct_result(2), "VCT MDI[2]", VCT_RESULT),
    reg(vct_result(3), "VCT MDI[3]", VCT_RESULT),
    reg(
        DEBUG_ADDRESS,
        "Debug Address",
        &[Field::rw("address", 0xffff, 0)],
    ),
    // The register m88e1111_vct_cable_test_start() sets to 0xc2/0xca/0xc2 around a test and
    // back to 0x42 after: what it does is undocumented.
    reg(
        RegAddr::new(DEBUG_SPACE, 0x18),
        "Debug 0x18 (VCT workaround)",
        &[Field::rw("unmodelled", 0xffff, 0x0042)],
    ),
];

/// Everything the device drives into the status registers.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
struct StatusView {
    ieee: c22::Status,
    spec_status: u16,
    /// Autonegotiation is on: only then can an exchange end without a link.
    autoneg: bool,
}

/// Registers as of the last software reset (or power up): what the PHY acts on.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
struct Committed {
    spec_control: u16,
    ext_control: u16,
    ext_status: u16,
}

pub struct Marvell88e1111 {
    regs: RegFile<Hook>,
    core: CopperCore,
    reset_done: Option<Instant>,
    /// A cable test in progress ends then.
    vct_done: Option<Instant>,
    committed: Committed,
    view: StatusView,
}

impl Marvell88e1111 {
    /// Powers the part up at `now`, with no cable plugged in.
    pub fn new(info: &'static ModelInfo, now: Instant) -> Result<Marvell88e1111, RegMapError> {
        let regs = RegFile::new(MAP)?;
        let mut m = Marvell88e1111 {
            core: CopperCore::new(info, config_from(&regs)),
            regs,
            reset_done: None,
            vct_done: None,
            committed: Committed::default(),
            view: StatusView::default(),
        };
        m.power_on_reset(now);
        Ok(m)
    }

    /// What a guest read of `reg` on `page` would return now, without side effects.
    pub fn peek(&self, page: u8, reg: u8) -> Option<u16> {
        self.regs.peek(PAGING.on_page(page, reg))
    }

    /// The MAC interface mode (27.3:0) the part runs in: the one committed by the last reset.
    pub fn hwcfg_mode(&self) -> u16 {
        self.committed.ext_status & ext_status::HWCFG_MODE
    }

    /// The RGMII delays (20.7 receive, 20.1 transmit) in effect.
    pub fn rgmii_delays(&self) -> (bool, bool) {
        let c = self.committed.ext_control;
        (
            c & ext_control::RGMII_RX_DELAY != 0,
            c & ext_control::RGMII_TX_DELAY != 0,
        )
    }

    fn powered_down(&self) -> bool {
        self.regs.live(CONTROL) & control::POWER_DOWN != 0
    }

    /// Powered and out of reset: the copper side can link or test the cable.
    fn port_active(&self) -> bool {
        !self.powered_down() && self.reset_done.is_none()
    }

    /// The pairs are free for a link: no cable test is sending pulses on them.
    fn link_enabled(&self) -> bool {
        self.port_active() && self.vct_done.is_none()
    }

    fn commit_and_start(&mut self, now: Instant) {
        self.committed = Committed {
            spec_control: self.regs.live(SPEC_CONTROL),
            ext_control: self.regs.live(EXT_CONTROL),
            ext_status: self.regs.live(EXT_STATUS),
        };
        if self.link_enabled() {
            self.core
                .link
                .start(now, config_from(&self.regs), &self.core.medium);
        } else {
            self.core.link.stop();
        }
    }

    /// Starts over with the committed configuration and a fresh advertisement.
    fn restart_with_advertisement(&mut self, now: Instant, an_on: bool) {
        let fresh = config_from(&self.regs).ability;
        let mut cfg = self.core.link.config().clone();
        cfg.ability.advertise = fresh.advertise;
        cfg.ability.pause = fresh.pause;
        cfg.ability.master_slave = fresh.master_slave;
        cfg.ability.autoneg |= an_on;
        self.core.link.start(now, cfg, &self.core.medium);
    }

    fn on_write(&mut self, now: Instant, w: Written<Hook>) {
        match w.hook {
            Some(Hook::Control) => self.on_control(now, w),
            Some(Hook::VctControl) if w.rose(vct::ENABLE) => self.start_vct(now),
            _ => {}
        }
    }

    fn on_control(&mut self, now: Instant, w: Written<Hook>) {
        let restart = w.new & control::RESTART_AN != 0;
        self.regs.complete(CONTROL, control::RESTART_AN);
        if w.rose(control::RESET) {
            self.reset_done = Some(now + self.core.link.timing().soft_reset.max(MIN_STEP));
            self.abort_vct();
            self.core.link.stop();
            return;
        }
        let was_down = w.old & control::POWER_DOWN != 0;
        match (was_down, self.powered_down()) {
            (false, true) => {
                self.abort_vct();
                self.core.link.stop();
            }
            // Leaving power down performs a software reset.
            (true, false) => self.commit_and_start(now),
            _ => {
                if restart && w.new & control::AN_ENABLE != 0 && self.link_enabled() {
                    self.restart_with_advertisement(now, true);
                }
            }
        }
    }

    fn start_vct(&mut self, now: Instant) {
        if !self.port_active() {
            // Powered down or in reset: nothing to test with.
            return self.end_vct(|_| vct::FAIL);
        }
        self.core.link.stop();
        self.vct_done = Some(now + VCT_TIME);
    }

    fn finish_vct(&mut self, t: Instant) {
        self.vct_done = None;
        let words: [u16; 4] = std::array::from_fn(|p| vct_word(self.core.medium.pair_report(p)));
        self.end_vct(|p| words[p]);
        if self.port_active() {
            self.restart_with_advertisement(t, false);
        }
    }

    /// A reset or power down interrupts the test: every pair reads "test failed".
    fn abort_vct(&mut self) {
        if self.vct_done.take().is_some() {
            self.end_vct(|_| vct::FAIL);
        }
    }

    /// Loads each pair's result and clears 28.15.
    fn end_vct(&mut self, result: impl Fn(usize) -> u16) {
        for p in 0..4 {
            self.regs.set_live(vct_result(p), vct::RESULT, result(p));
        }
        self.regs.complete(vct_result(0), vct::ENABLE);
    }

    /// Register 30: the debug register 29 selects.
    fn debug_data(&mut self, now: Instant, write: Option<u16>) -> u16 {
        let addr = RegAddr::new(DEBUG_SPACE, self.regs.live(DEBUG_ADDRESS));
        let target = Self::note_target(DEBUG_DATA);
        match write {
            Some(value) => {
                if self.regs.write(addr, value).is_none() {
                    self.core.log.record(now, target, Op::Write { value });
                }
                value
            }
            None => self.regs.read(addr).unwrap_or_else(|| {
                self.core.log.record(now, target, Op::Read { answered: 0 });
                0
            }),
        }
    }

    fn note_target(addr: RegAddr) -> Target {
        Target::C22 {
            page: (addr.space != RegAddr::GLOBAL).then_some(addr.space as u8),
            reg: addr.reg as u8,
        }
    }

    fn derive_status(&self) -> StatusView {
        use spec_status as ss;
        let link = &self.core.link;
        let up = link.is_up();
        let ability = &link.config().ability;
        let resolved = resolved(link);
        let mut spec = 0;
        if let Some((speed, duplex)) = resolved {
            spec |= ss::RESOLVED;
            spec |= match speed {
                // A gigabit PHY never resolves a multi-gigabit speed.
                Speed::S1000 | Speed::S2500 | Speed::S5000 | Speed::S10000 => ss::SPEED_1000,
                Speed::S100 => ss::SPEED_100,
                Speed::S10 => 0,
            };
            spec |= bit(duplex == Duplex::Full, ss::DUPLEX);
            // Auto crossover settles on MDI (the partner is taken to cross over).
            spec |= bit(
                self.committed.spec_control & spec_control1::MDI_MODE == 0x0020,
                ss::MDIX,
            );
        }
        if let Some(l) = link.link() {
            spec |= bit(l.pause.tx, ss::TX_PAUSE) | bit(l.pause.rx, ss::RX_PAUSE);
        }
        spec |= bit(up, ss::LINK);
        spec |= bit(link.pages().is_some(), ss::PAGE_RECEIVED);
        spec |= bit(link.running() && link.downshifted(), ss::DOWNSHIFT);
        let energy_detect = self.committed.spec_control & spec_control1::ENERGY_DETECT_ON != 0;
        spec |= bit(
            energy_detect && link.running() && self.core.medium.reachable_partner().is_none(),
            ss::ENERGY_SLEEP,
        );

        StatusView {
            ieee: c22::Status::of(link),
            spec_status: spec,
            autoneg: ability.autoneg,
        }
    }

    /// Drives every status register from the engine and raises the interrupts the change
    /// implies, at the instant it happened.
    fn sync(&mut self) {
        let new = self.derive_status();
        let old = std::mem::replace(&mut self.view, new);
        let r = &mut self.regs;
        // Pre-802.3az: no 7.61 to show `new.ieee.eee_lp` in.
        c22::sync(
            r,
            |reg| PAGING.on_page(0, reg),
            &self.core.link,
            &old.ieee,
            &new.ieee,
        );
        r.set_live(SPEC_STATUS, spec_status::ALL, new.spec_status);
        r.raise(IRQ_STATUS, interrupt_events(&old, &new));
    }
}

/// Register 28 bits 14:0 for a pair `report` describes. The distance counts in the part's
/// units: marvell.c converts with 0.8018 m per step less 28.751 m (the tester's internal
/// delay), so 36 is the connector and 254 (~175 m) the farthest the field reaches; 0xff with a
/// normal status means no reflection. The amplitude is the echo's peak in 1/31 of the pulse.
/// The tester has no cross-pair check: a cross-pair short's inverted echo reads as a short.
fn vct_word(report: PairReport) -> u16 {
    let PairReport::Fault { kind, distance_m } = report else {
        return vct::NORMAL | vct::DISTANCE;
    };
    let status = match kind {
        FaultKind::Open => vct::OPEN,
        FaultKind::Short | FaultKind::CrossShort => vct::SHORT,
        FaultKind::ImpedanceMismatch => vct::NORMAL,
    };
    let amplitude = (tdr::peak_echo(report).abs() * 31.0).round().min(31.0) as u16;
    let distance = ((distance_m + 28.751) / 0.8018).round().clamp(0.0, 254.0) as u16;
    status | amplitude << 8 | distance
}

/// 19 bits for the transition `old` → `new`.
fn interrupt_events(old: &StatusView, new: &StatusView) -> u16 {
    use spec_status as ss;
    let changed = |mask: u16| (old.spec_status ^ new.spec_status) & mask != 0;
    let mut bits = 0;
    bits |= bit(old.ieee.link != new.ieee.link, irq::LINK_CHANGED);
    bits |= bit(
        new.ieee.an_complete && !old.ieee.an_complete,
        irq::AN_COMPLETE,
    );
    bits |= bit(new.ieee.exchanges != old.ieee.exchanges, irq::PAGE_RECEIVED);
    bits |= bit(changed(ss::SPEED), irq::SPEED_CHANGED);
    bits |= bit(changed(ss::DUPLEX), irq::DUPLEX_CHANGED);
    bits |= bit(changed(ss::MDIX), irq::MDIX_CHANGED);
    bits |= bit(
        new.spec_status & !old.spec_status & ss::DOWNSHIFT != 0,
        irq::DOWNSHIFT,
    );
    bits |= bit(changed(ss::ENERGY_SLEEP), irq::ENERGY_CHANGED);
    // No common mode, a master/slave configuration fault, or 1000BASE-T training that
    // failed: the datasheet counts all three as an autonegotiation error.
    bits |= bit(
        new.autoneg && new.ieee.exchanges_without_link != old.ieee.exchanges_without_link,
        irq::AN_ERROR,
    );
    bits
}

/// The link configuration the registers hold now.
fn config_from(regs: &RegFile<Hook>) -> LinkConfig {
    let ext = regs.live(EXT_CONTROL);
    LinkConfig {
        ability: LocalAbility {
            // Pre-802.3az: no EEE advertisement to send.
            eee: LinkModes::EMPTY,
            ..c22::ability(
                regs.live(CONTROL),
                regs.live(ADVERTISE),
                regs.live(CTRL1000),
                true,
            )
        },
        downshift_after: (ext & ext_control::DOWNSHIFT_ENABLE != 0)
            .then(|| ((ext & ext_control::DOWNSHIFT_COUNT) >> 9) as u8 + 1),
    }
}

impl MdioDevice for Marvell88e1111 {
    fn c22_read(&mut self, now: Instant, reg: u8) -> Option<u16> {
        self.advance(now);
        let addr = PAGING.addr(&self.regs, reg);
        if addr == DEBUG_DATA {
            return Some(self.debug_data(now, None));
        }
        Some(self.regs.read(addr).unwrap_or_else(|| {
            // Fiber bank, other pages, unmodelled registers: the model answers 0.
            self.core
                .log
                .record(now, Self::note_target(addr), Op::Read { answered: 0 });
            0
        }))
    }

    fn c22_write(&mut self, now: Instant, reg: u8, value: u16) {
        self.advance(now);
        let addr = PAGING.addr(&self.regs, reg);
        if addr == DEBUG_DATA {
            self.debug_data(now, Some(value));
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

    /// The 88E1111 ignores Clause 45 frames.
    fn c45_read(&mut self, _now: Instant, _devad: u8, _reg: u16) -> Option<u16> {
        None
    }

    fn c45_write(&mut self, _now: Instant, _devad: u8, _reg: u16, _value: u16) {}

    fn advance(&mut self, now: Instant) {
        while let Some(t) = self.next_deadline().filter(|t| *t <= now) {
            if self.reset_done == Some(t) {
                self.reset_done = None;
                self.regs.complete(CONTROL, control::RESET);
                self.commit_and_start(t);
            } else if self.vct_done == Some(t) {
                self.finish_vct(t);
            } else {
                self.core.link.on_deadline(t, &self.core.medium);
            }
            self.sync();
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        [self.reset_done, self.vct_done, self.core.link.deadline()]
            .into_iter()
            .flatten()
            .min()
    }

    /// INT# is a dedicated pin.
    fn irq_asserted(&self) -> bool {
        self.regs.live(IRQ_STATUS) & self.regs.live(IRQ_ENABLE) != 0
    }

    fn power_on_reset(&mut self, now: Instant) {
        self.regs.reset_where(|_| true);
        self.regs
            .set_live(ID2, 0xffff, self.core.info.phy_id as u16);
        self.reset_done = None;
        self.vct_done = None;
        self.view = StatusView::default();
        self.core.link.stop();
        self.commit_and_start(now);
        self.sync();
    }
}

impl Phy for Marvell88e1111 {
    copper_phy!(
        restart: |m, now| m.restart_with_advertisement(now, false),
        isolated: |m| m.regs.live(CONTROL) & control::ISOLATE != 0,
    );
}
