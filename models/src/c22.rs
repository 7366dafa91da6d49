//! What the Clause 22 gigabit models (`marvell`, `realtek`, `ti`, `microchip`, `qualcomm`,
//! `broadcom`, `motorcomm`) share: the IEEE 802.3 registers 0-15 (22.2.4) — their numbers,
//! bits and field lists —, the link configuration BMCR, ANAR and CTRL1000 hold, and the
//! status the link engine drives into BMSR, ANLPAR, ANER and STAT1000.
//!
//! Each model places the registers itself (paged, global, per register space), so numbers
//! are plain `u8`s. Where the parts differ, the field list is a parameter or the model's own,
//! and the model says why.

use crate::an::{self, bit};
use crate::copper::CopperLink;
use crate::eee;
use crate::medium::{Duplex, LinkMode, LinkModes, Speed};
use crate::regfile::{Access, Field, RegAddr, RegFile};
use crate::resolve::{LocalAbility, MasterSlave};

pub const BMCR: u8 = 0;
pub const BMSR: u8 = 1;
pub const PHYID1: u8 = 2;
pub const PHYID2: u8 = 3;
pub const ANAR: u8 = 4;
pub const ANLPAR: u8 = 5;
pub const ANER: u8 = 6;
pub const NPTX: u8 = 7;
pub const LPNP: u8 = 8;
pub const CTRL1000: u8 = 9;
pub const STAT1000: u8 = 10;
pub const MMD_CTRL: u8 = 13;
pub const MMD_DATA: u8 = 14;
pub const ESTATUS: u8 = 15;

/// BMCR (0), 22.2.4.1.
pub mod bmcr {
    pub const RESET: u16 = 0x8000;
    pub const LOOPBACK: u16 = 0x4000;
    pub const SPEED_LSB: u16 = 0x2000;
    pub const AN_ENABLE: u16 = 0x1000;
    pub const POWER_DOWN: u16 = 0x0800;
    pub const ISOLATE: u16 = 0x0400;
    pub const RESTART_AN: u16 = 0x0200;
    pub const DUPLEX: u16 = 0x0100;
    pub const COLLISION_TEST: u16 = 0x0080;
    pub const SPEED_MSB: u16 = 0x0040;
    /// Speed, duplex and autonegotiation enable: on the parts that apply BMCR at once, a
    /// change of these starts the link over.
    pub const LINK_CONFIG: u16 = SPEED_LSB | AN_ENABLE | DUPLEX | SPEED_MSB;
    /// Power-on value: autonegotiation, full duplex, 1000 Mb/s forced speed.
    pub const RESET_VALUE: u16 = AN_ENABLE | DUPLEX | SPEED_MSB;
}

/// BMSR (1), 22.2.4.2.
pub mod bmsr {
    /// 100BASE-T4 (15) and 100BASE-T2 (10:9): abilities no gigabit part has.
    pub const T4: u16 = 0x8000;
    pub const T2: u16 = 0x0600;
    /// Unidirectional ability (7).
    pub const UNIDIRECTIONAL: u16 = 0x0080;
    /// 100BASE-X and 10 Mb/s full and half, extended status, preamble suppression,
    /// autonegotiation ability, extended capability.
    pub const ABILITIES: u16 = 0x7949;
    pub const AN_COMPLETE: u16 = 0x0020;
    pub const REMOTE_FAULT: u16 = 0x0010;
    pub const LINK: u16 = 0x0004;
    pub const JABBER: u16 = 0x0002;
}

/// ANAR (4) and ANLPAR (5) hold Clause 28 base pages.
pub use crate::an::page as adv;

/// ANER (6), 28.2.4.1.5.
pub mod aner {
    pub const LP_AN_ABLE: u16 = 0x0001;
    pub const PAGE_RECEIVED: u16 = 0x0002;
    pub const NP_ABLE: u16 = 0x0004;
    pub const LP_NP_ABLE: u16 = 0x0008;
    pub const PD_FAULT: u16 = 0x0010;
}

/// CTRL1000 (9), 40.5.1.1.
pub mod ctrl1000 {
    pub const TEST_MODE: u16 = 0xe000;
    pub const MS_MANUAL: u16 = 0x1000;
    pub const MS_VALUE: u16 = 0x0800;
    pub const PORT_TYPE: u16 = 0x0400;
    pub const ADV_1000_FULL: u16 = 0x0200;
    pub const ADV_1000_HALF: u16 = 0x0100;
}

/// STAT1000 (10), 40.5.1.1.
pub mod stat1000 {
    pub const MS_FAULT: u16 = 0x8000;
    /// Set: the local PHY resolved MASTER.
    pub const MASTER: u16 = 0x4000;
    pub const RECEIVERS_OK: u16 = 0x3000;
    pub const LP_1000_FULL: u16 = 0x0800;
    pub const LP_1000_HALF: u16 = 0x0400;
    pub const IDLE_ERRORS: u16 = 0x00ff;
    /// Every bit the link engine drives.
    pub const DERIVED: u16 = 0xfc00;
}

/// ESTATUS (15), 22.2.4.4.
pub mod estatus {
    pub const X1000: u16 = 0xc000;
    pub const T1000_FULL: u16 = 0x2000;
    pub const T1000_HALF: u16 = 0x1000;
}

/// MMD access control (13), 22.2.4.3.11.
pub mod mmdctrl {
    pub const FUNCTION: u16 = 0xc000;
    pub const DEVAD: u16 = 0x001f;
}

// ---- Field lists ----

/// The BMCR of a 1000BASE-X register set (the 88E1512's page 1, the YT8521's fiber space):
/// no collision test.
pub const BMCR_FIBER_FIELDS: &[Field] = &[
    Field::sc("reset", bmcr::RESET),
    Field::rw("loopback", bmcr::LOOPBACK, 0),
    Field::rw("speed_lsb", bmcr::SPEED_LSB, 0),
    Field::rw("an_enable", bmcr::AN_ENABLE, bmcr::AN_ENABLE),
    Field::rw("power_down", bmcr::POWER_DOWN, 0),
    Field::rw("isolate", bmcr::ISOLATE, 0),
    Field::sc("restart_an", bmcr::RESTART_AN),
    Field::rw("duplex", bmcr::DUPLEX, bmcr::DUPLEX),
    Field::rw("speed_msb", bmcr::SPEED_MSB, bmcr::SPEED_MSB),
];

pub const BMCR_FIELDS: &[Field] = &concat::<10>(
    BMCR_FIBER_FIELDS,
    &[Field::rw("collision_test", bmcr::COLLISION_TEST, 0)],
);

/// BMSR with the 10/100 abilities of a gigabit copper part. `zeros`: the bits besides
/// [`bmsr::ABILITIES`] the part's register description lists as read-only (they read 0; a
/// register dump may set them). `remote_fault`: 802.3 makes it latching high; some parts
/// describe it as plain read-only.
pub const fn bmsr(zeros: u16, remote_fault: Access) -> [Field; 5] {
    [
        Field::ro("abilities", bmsr::ABILITIES | zeros, bmsr::ABILITIES),
        Field::ro("an_complete", bmsr::AN_COMPLETE, 0),
        Field::new("remote_fault", bmsr::REMOTE_FAULT, remote_fault, 0),
        Field::ll("link", bmsr::LINK),
        Field::lh("jabber", bmsr::JABBER),
    ]
}

/// ANAR without the bits the parts disagree on: acknowledge (14) and extended next page
/// (12), which a model adds with [`concat`] where its part has them, and with the pause bits
/// (11:10) at `pause` after reset.
pub const fn anar(pause: u16) -> [Field; 6] {
    [
        Field::rw("next_page", adv::NP, 0),
        Field::rw("remote_fault", adv::REMOTE_FAULT, 0),
        Field::rw("pause", adv::PAUSE | adv::ASYM_DIR, pause),
        Field::ro("t4", adv::T4, 0),
        Field::rw("abilities", adv::TECH_10_100, adv::TECH_10_100),
        Field::ro("selector", adv::SELECTOR, adv::SELECTOR_802_3),
    ]
}

/// ANAR.14: read-only, never set in the local page (`anar` leaves it reserved).
pub const ANAR_ACK: Field = Field::ro("ack", adv::ACK, 0);

pub const ANLPAR_FIELDS: &[Field] = &[Field::ro("base_page", 0xffff, 0)];

/// ANER, with `pd_fault` the access of the parallel detection fault bit: 802.3 makes it
/// latching high; some parts describe it as plain read-only.
pub const fn aner(pd_fault: Access) -> [Field; 5] {
    [
        Field::new("pd_fault", aner::PD_FAULT, pd_fault, 0),
        Field::ro("lp_np_able", aner::LP_NP_ABLE, 0),
        Field::ro("np_able", aner::NP_ABLE, aner::NP_ABLE),
        Field::lh("page_received", aner::PAGE_RECEIVED),
        Field::ro("lp_an_able", aner::LP_AN_ABLE, 0),
    ]
}

/// Next page transmit (7), 28.2.4.1.6: the toggle is the device's.
pub const NPTX_FIELDS: &[Field] = &[
    Field::rw("np_mp_ack2", 0xb000, 0x2000),
    Field::ro("toggle", 0x0800, 0),
    Field::rw("code", 0x07ff, 0x0001),
];

/// Next page transmit kept as a plain word (toggle included): the models that never send
/// next pages of the driver's.
pub const NPTX_STORAGE_FIELDS: &[Field] = &[Field::rw("unmodelled", 0xffff, 0x2001)];

pub const LPNP_FIELDS: &[Field] = &[Field::ro("next_page", 0xffff, 0)];

/// CTRL1000 of a part without 1000BASE-T half duplex (bit 8 reserved), full duplex
/// advertised.
pub const fn ctrl1000_full() -> [Field; 5] {
    [
        Field::rw("test_mode", ctrl1000::TEST_MODE, 0),
        Field::rw("ms_manual", ctrl1000::MS_MANUAL, 0),
        Field::rw("ms_value", ctrl1000::MS_VALUE, 0),
        Field::rw("port_type", ctrl1000::PORT_TYPE, 0),
        Field::rw(
            "1000base_t_full",
            ctrl1000::ADV_1000_FULL,
            ctrl1000::ADV_1000_FULL,
        ),
    ]
}

/// CTRL1000 with 1000BASE-T full duplex advertised and half duplex at `half` after reset.
pub const fn ctrl1000(half: u16) -> [Field; 6] {
    concat(
        &ctrl1000_full(),
        &[Field::rw("1000base_t_half", ctrl1000::ADV_1000_HALF, half)],
    )
}

pub const STAT1000_FIELDS: &[Field] = &[
    // Latching high (40.5.1.1): a fault stays visible after autonegotiation restarts, until
    // read or until a later resolution succeeds.
    Field::lh("ms_fault", stat1000::MS_FAULT),
    Field::ro("ms_resolution", stat1000::MASTER, 0),
    Field::ro("receivers", stat1000::RECEIVERS_OK, 0),
    Field::ro(
        "lp_1000base_t",
        stat1000::LP_1000_FULL | stat1000::LP_1000_HALF,
        0,
    ),
    Field::rc("idle_errors", stat1000::IDLE_ERRORS),
];

pub const MMD_CTRL_FIELDS: &[Field] = &[
    Field::rw("function", mmdctrl::FUNCTION, 0),
    Field::rw("devad", mmdctrl::DEVAD, 0),
];

pub const MMD_DATA_FIELDS: &[Field] = &[Field::rw("address_data", 0xffff, 0)];

/// ESTATUS of a 1000BASE-T part: full duplex, and half duplex if `half`.
pub const fn estatus(half: bool) -> [Field; 3] {
    [
        Field::ro("1000base_x", estatus::X1000, 0),
        Field::ro("1000base_t_full", estatus::T1000_FULL, estatus::T1000_FULL),
        Field::ro(
            "1000base_t_half",
            estatus::T1000_HALF,
            bit(half, estatus::T1000_HALF),
        ),
    ]
}

/// `a` then `b`, as one list of `N` fields: a shared list plus a part's own fields.
pub const fn concat<const N: usize>(a: &[Field], b: &[Field]) -> [Field; N] {
    assert!(
        a.len() + b.len() == N,
        "concat: N is not the sum of the lengths"
    );
    let mut out = [Field::ro("", 0, 0); N];
    let mut i = 0;
    while i < N {
        out[i] = if i < a.len() { a[i] } else { b[i - a.len()] };
        i += 1;
    }
    out
}

// ---- Behaviour ----

/// What BMCR, ANAR and CTRL1000 configure: forced speed and duplex, autonegotiation, the
/// 10/100/1000BASE-T advertisement, pause and the MASTER-SLAVE configuration. `half_1000`:
/// the part advertises 1000BASE-T half duplex from CTRL1000.8 (where it does not, the bit is
/// storage or reserved). No EEE: the model adds its 7.60.
pub fn ability(bmcr: u16, anar: u16, ctrl1000: u16, half_1000: bool) -> LocalAbility {
    let speed = if bmcr & bmcr::SPEED_MSB != 0 {
        Speed::S1000
    } else if bmcr & bmcr::SPEED_LSB != 0 {
        Speed::S100
    } else {
        Speed::S10
    };
    let duplex = if bmcr & bmcr::DUPLEX != 0 {
        Duplex::Full
    } else {
        Duplex::Half
    };
    let (base, pause) = an::advertised(anar);
    let advertise = base
        .with(
            LinkMode::BaseT1000Half,
            half_1000 && ctrl1000 & ctrl1000::ADV_1000_HALF != 0,
        )
        .with(
            LinkMode::BaseT1000Full,
            ctrl1000 & ctrl1000::ADV_1000_FULL != 0,
        );
    let master_slave = if ctrl1000 & ctrl1000::MS_MANUAL != 0 {
        MasterSlave::Manual {
            master: ctrl1000 & ctrl1000::MS_VALUE != 0,
        }
    } else {
        MasterSlave::Auto {
            prefer_master: ctrl1000 & ctrl1000::PORT_TYPE != 0,
        }
    };
    LocalAbility {
        autoneg: bmcr & bmcr::AN_ENABLE != 0,
        forced: (speed, duplex),
        advertise,
        pause,
        master_slave,
        eee: LinkModes::EMPTY,
    }
}

/// The bits of IEEE register `reg` that `sync` drives from the link: a register dump does
/// not load them (it shows the link the reporter had; the scenario says which link this run
/// has).
pub fn derived(reg: u16) -> u16 {
    match u8::try_from(reg) {
        Ok(BMSR) => bmsr::LINK | bmsr::AN_COMPLETE | bmsr::REMOTE_FAULT | bmsr::JABBER,
        Ok(ANLPAR | LPNP) => 0xffff,
        Ok(ANER) => aner::PD_FAULT | aner::LP_NP_ABLE | aner::PAGE_RECEIVED | aner::LP_AN_ABLE,
        // Master/slave fault and resolution, receivers, partner 1000BASE-T abilities.
        Ok(STAT1000) => stat1000::DERIVED,
        _ => 0,
    }
}

/// What the IEEE registers show of the link, as of one instant.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Status {
    pub link: bool,
    pub an_complete: bool,
    /// ANLPAR.
    pub lpa: u16,
    /// ANER bits 3 and 0.
    pub aner: u16,
    /// STAT1000 bits 15..10.
    pub stat1000: u16,
    /// The partner's EEE page as 7.61 shows it, 100BASE-TX and 1000BASE-T only.
    pub eee_lp: u16,
    pub exchanges: u32,
    pub exchanges_without_link: u32,
}

/// The 7.61 bits of the gigabit parts: 100BASE-TX and 1000BASE-T.
pub const EEE_MODES: u16 = 0x0006;

impl Status {
    pub fn of(link: &CopperLink) -> Status {
        let up = link.is_up();
        let pages = link.pages();
        let mut stat1000 = pages.map_or(0, |p| {
            bit(
                p.advertise.contains(LinkMode::BaseT1000Full),
                stat1000::LP_1000_FULL,
            ) | bit(
                p.advertise.contains(LinkMode::BaseT1000Half),
                stat1000::LP_1000_HALF,
            )
        });
        if let Some(l) = link.link().filter(|l| l.speed == Speed::S1000) {
            stat1000 |= bit(l.master == Some(true), stat1000::MASTER);
            stat1000 |= bit(up, stat1000::RECEIVERS_OK);
        }
        stat1000 |= bit(link.master_slave_fault(), stat1000::MS_FAULT);
        Status {
            link: up,
            an_complete: up && link.config().ability.autoneg,
            lpa: pages.map_or(0, an::base_page),
            aner: pages.map_or(0, |p| aner::LP_AN_ABLE | bit(p.next_page, aner::LP_NP_ABLE)),
            stat1000,
            eee_lp: pages.map_or(0, |p| eee::cap1(p.eee) & EEE_MODES),
            exchanges: link.exchanges(),
            exchanges_without_link: link.exchanges_without_link(),
        }
    }
}

/// Drives BMSR, ANLPAR, ANER and STAT1000 (register `r` at `at(r)`) from `old` to `new`:
/// ANER page received latches on each new exchange, and a master/slave resolution that
/// succeeds clears a fault latched before (40.5.1.2), so the driver's genphy_read_lpa() on
/// the new link does not see a stale one.
pub fn sync<H: Copy>(
    regs: &mut RegFile<H>,
    at: impl Fn(u8) -> RegAddr,
    link: &CopperLink,
    old: &Status,
    new: &Status,
) {
    regs.set_live(
        at(BMSR),
        bmsr::LINK | bmsr::AN_COMPLETE,
        bit(new.link, bmsr::LINK) | bit(new.an_complete, bmsr::AN_COMPLETE),
    );
    regs.set_live(at(ANLPAR), 0xffff, new.lpa);
    regs.set_live(at(ANER), aner::LP_NP_ABLE | aner::LP_AN_ABLE, new.aner);
    if new.exchanges != old.exchanges {
        regs.set_live(at(ANER), aner::PAGE_RECEIVED, aner::PAGE_RECEIVED);
        regs.set_live(at(ANER), aner::PAGE_RECEIVED, 0);
    }
    regs.set_live(at(STAT1000), stat1000::DERIVED, new.stat1000);
    if link.link().is_some_and(|l| l.master.is_some()) {
        regs.rearm(at(STAT1000), stat1000::MS_FAULT);
    }
}
