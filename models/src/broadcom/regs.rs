//! The BCM54210E register map: the Clause 22 registers, and the indirect spaces behind them
//! (auxiliary control shadows behind 0x18, the 0x1c shadows, the expansion registers behind
//! 0x17/0x15, MMD devices 3 and 7 behind 0x0d/0x0e). Bit layouts follow the BCM54xx register
//! descriptions and the definitions include/linux/brcmphy.h gives. Fields named after a function
//! the model does not implement are stored as written and have no effect. Reset values not
//! checked against a datasheet are marked `*` in models/README.md.

use crate::c22;
use crate::regfile::{Access, Field, RegAddr, RegDef};

/// Side effects the model applies around a guest access to the register.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Hook {
    /// 0x00 BMCR: reset, power down, restart autonegotiation, speed/duplex/AN enable.
    Bmcr,
    /// 0x0e: MMD address/data.
    MmdData,
    /// 0x15: expansion register data, for the register 0x17 selects.
    ExpData,
    /// 0x18: auxiliary control shadow registers.
    AuxCtl,
    /// 0x1a: ISR (its read changes INT#).
    Isr,
    /// 0x1c: shadow registers.
    Shadow,
}

/// The Clause 22 registers have no pages (the indirect spaces below have their own).
pub const fn page0(reg: u8) -> RegAddr {
    RegAddr::page(0, reg)
}

pub const BMCR: RegAddr = page0(c22::BMCR);
pub const BMSR: RegAddr = page0(c22::BMSR);
pub const PHYID2: RegAddr = page0(c22::PHYID2);
pub const ADVERTISE: RegAddr = page0(c22::ANAR);
pub const LPA: RegAddr = page0(c22::ANLPAR);
pub const EXPANSION: RegAddr = page0(c22::ANER);
pub const ANLPNP: RegAddr = page0(c22::LPNP);
pub const CTRL1000: RegAddr = page0(c22::CTRL1000);
pub const STAT1000: RegAddr = page0(c22::STAT1000);
pub const MMD_CTRL: RegAddr = page0(c22::MMD_CTRL);
pub const ECR: RegAddr = page0(0x10);
pub const ESR: RegAddr = page0(0x11);
pub const EXP_SEL: RegAddr = page0(0x17);
pub const AUX_STATUS: RegAddr = page0(0x19);
pub const ISR: RegAddr = page0(0x1a);
pub const IMR: RegAddr = page0(0x1b);
pub const SEED_HCD: RegAddr = page0(0x1d);

/// Indirect spaces (the `space` of a [`RegAddr`] in [`IND_MAP`]; MMD devices use their own
/// device address, 3 and 7).
pub const SPACE_EXP: u16 = 0x1500;
pub const SPACE_AUX: u16 = 0x1800;
pub const SPACE_SHD: u16 = 0x1c00;

pub const fn exp(sel: u16) -> RegAddr {
    RegAddr::new(SPACE_EXP, sel)
}
pub const fn aux(shadow: u16) -> RegAddr {
    RegAddr::new(SPACE_AUX, shadow)
}
pub const fn shd(shadow: u16) -> RegAddr {
    RegAddr::new(SPACE_SHD, shadow)
}

pub const AUX_MISC: RegAddr = aux(0x07);
pub const SHD_SCR2: RegAddr = shd(0x04);
pub const PCS_STATUS1: RegAddr = RegAddr::new(3, 1);
pub const EEE_ADV: RegAddr = RegAddr::new(7, 60);
pub const EEE_LP_ABILITY: RegAddr = RegAddr::new(7, 61);
/// The EEE modes of 3.20 and 7.60/7.61: 100BASE-TX and 1000BASE-T.
pub const EEE_MODES: u16 = c22::EEE_MODES;

/// ECR (0x10), PHY extended control.
pub mod ecr {
    /// Interrupt disable: INT# never asserts (events still latch in ISR).
    pub const INT_MASK: u16 = 0x1000;
    /// Force interrupt: INT# asserts regardless of ISR/IMR.
    pub const INT_FORCE: u16 = 0x0800;
}

/// ESR (0x11), PHY extended status, real time.
pub mod esr {
    pub const WIRESPEED_DOWNGRADE: u16 = 0x4000;
    pub const INT_STATUS: u16 = 0x1000;
    pub const REMOTE_RX_OK: u16 = 0x0800;
    pub const LOCAL_RX_OK: u16 = 0x0400;
    pub const LOCKED: u16 = 0x0200;
    pub const LINK: u16 = 0x0100;
    pub const LIVE: u16 = 0x7f00;
}

/// Auxiliary status summary (0x19).
pub mod auxsts {
    pub const AN_COMPLETE: u16 = 0x8000;
    pub const AN_COMPLETE_ACK: u16 = 0x4000;
    pub const AN_ACK_DETECT: u16 = 0x2000;
    pub const AN_ABILITY_DETECT: u16 = 0x1000;
    /// Highest common denominator, bits 10:8: 1 10/H, 2 10/F, 3 100TX/H, 4 100T4, 5 100TX/F,
    /// 6 1000/H, 7 1000/F.
    pub const HCD_SHIFT: u16 = 8;
    pub const PAGE_RECEIVED: u16 = 0x0020;
    pub const LP_AN_ABLE: u16 = 0x0010;
    pub const LP_NP_ABLE: u16 = 0x0008;
    pub const LINK: u16 = 0x0004;
    pub const PAUSE_RX: u16 = 0x0002;
    pub const PAUSE_TX: u16 = 0x0001;
    /// Every bit the device drives except the latching page received.
    pub const LIVE: u16 = 0xf71f;
}

/// ISR (0x1a) events and IMR (0x1b) masks share the layout.
pub mod irq {
    pub const LINK: u16 = 0x0002;
    pub const SPEED: u16 = 0x0004;
    pub const DUPLEX: u16 = 0x0008;
    pub const LOCAL_RX: u16 = 0x0010;
    pub const REMOTE_RX: u16 = 0x0020;
    pub const NO_HCD: u16 = 0x0100;
    pub const NO_HCD_LINK: u16 = 0x0200;
    pub const PAGE_RECEIVED: u16 = 0x0400;
}

/// Auxiliary control misc shadow (0x18 shadow 7).
pub mod misc {
    pub const WRITE_ENABLE: u16 = 0x8000;
    pub const READ_SEL: u16 = 0x7000;
    pub const WIRESPEED: u16 = 0x0010;
    /// Bits 11:3, the stored part.
    pub const DATA: u16 = 0x0ff8;
}

pub static MAP: &[RegDef<Hook>] = &[
    RegDef {
        addr: BMCR,
        name: "BMCR",
        hook: Some(Hook::Bmcr),
        fields: c22::BMCR_FIELDS,
    },
    RegDef {
        addr: BMSR,
        name: "BMSR",
        hook: None,
        // Remote fault plain read-only, as the BCM54xx register descriptions give it.
        fields: &c22::bmsr(
            c22::bmsr::T4 | c22::bmsr::T2 | c22::bmsr::UNIDIRECTIONAL,
            Access::Ro,
        ),
    },
    RegDef {
        addr: page0(c22::PHYID1),
        name: "PHYID1",
        hook: None,
        fields: &[Field::ro("oui_msb", 0xffff, 0x600d)],
    },
    RegDef {
        addr: PHYID2,
        name: "PHYID2",
        hook: None,
        fields: &[Field::ro("oui_lsb_model_rev", 0xffff, 0x84a0)],
    },
    RegDef {
        addr: ADVERTISE,
        name: "ANAR",
        hook: None,
        fields: &c22::anar(0),
    },
    RegDef {
        addr: LPA,
        name: "ANLPAR",
        hook: None,
        fields: c22::ANLPAR_FIELDS,
    },
    RegDef {
        addr: EXPANSION,
        name: "ANER",
        hook: None,
        // Parallel detection fault plain read-only, as the register descriptions give it.
        fields: &c22::aner(Access::Ro),
    },
    RegDef {
        addr: page0(c22::NPTX),
        name: "ANNPTR",
        hook: None,
        fields: c22::NPTX_FIELDS,
    },
    RegDef {
        addr: ANLPNP,
        name: "ANLPNP",
        hook: None,
        fields: c22::LPNP_FIELDS,
    },
    RegDef {
        addr: CTRL1000,
        name: "1000BASE-T control",
        hook: None,
        fields: &c22::ctrl1000(c22::ctrl1000::ADV_1000_HALF),
    },
    RegDef {
        addr: STAT1000,
        name: "1000BASE-T status",
        hook: None,
        fields: c22::STAT1000_FIELDS,
    },
    RegDef {
        addr: MMD_CTRL,
        name: "MMD access control",
        hook: None,
        fields: c22::MMD_CTRL_FIELDS,
    },
    RegDef {
        addr: page0(c22::MMD_DATA),
        name: "MMD access address/data",
        hook: Some(Hook::MmdData),
        fields: c22::MMD_DATA_FIELDS,
    },
    RegDef {
        addr: page0(c22::ESTATUS),
        name: "Extended status",
        hook: None,
        fields: &c22::estatus(true),
    },
    RegDef {
        addr: ECR,
        name: "PHY extended control",
        hook: None,
        fields: &[Field::rw("control", 0xfffb, 0)],
    },
    RegDef {
        addr: ESR,
        name: "PHY extended status",
        hook: None,
        fields: &[
            Field::ro("an_base_page_mismatch", 0x8000, 0),
            Field::ro("status", esr::LIVE, 0),
            Field::lh("errors", 0x00ff),
        ],
    },
    RegDef {
        addr: page0(0x12),
        name: "Receive error counter",
        hook: None,
        fields: &[Field::rc("count", 0xffff)],
    },
    RegDef {
        addr: page0(0x13),
        name: "False carrier sense counter",
        hook: None,
        fields: &[
            Field::rc("serdes_ber_errors", 0xff00),
            Field::rc("false_carrier", 0x00ff),
        ],
    },
    RegDef {
        addr: page0(0x14),
        name: "Receiver NOT_OK counter",
        hook: None,
        fields: &[
            Field::rc("local_rx_nok", 0xff00),
            Field::rc("remote_rx_nok", 0x00ff),
        ],
    },
    RegDef {
        addr: page0(0x15),
        name: "Expansion register data",
        hook: Some(Hook::ExpData),
        fields: &[],
    },
    RegDef {
        addr: EXP_SEL,
        name: "Expansion register select",
        hook: None,
        fields: &[Field::rw("select", 0xffff, 0)],
    },
    RegDef {
        addr: page0(0x18),
        name: "Auxiliary control shadow",
        hook: Some(Hook::AuxCtl),
        fields: &[],
    },
    RegDef {
        addr: AUX_STATUS,
        name: "Auxiliary status summary",
        hook: None,
        fields: &[
            Field::ro("status", auxsts::LIVE, 0),
            Field::ro("parallel_detect_fault", 0x0080, 0),
            Field::ro("remote_fault", 0x0040, 0),
            Field::lh("page_received", auxsts::PAGE_RECEIVED),
        ],
    },
    RegDef {
        addr: ISR,
        name: "Interrupt status",
        hook: Some(Hook::Isr),
        fields: &[Field::rc("status", 0xffff)],
    },
    RegDef {
        addr: IMR,
        name: "Interrupt mask",
        hook: None,
        fields: &[Field::rw("mask", 0xffff, 0xffff)],
    },
    RegDef {
        addr: page0(0x1c),
        name: "Shadow 0x1c",
        hook: Some(Hook::Shadow),
        fields: &[],
    },
    RegDef {
        addr: SEED_HCD,
        name: "Master/slave seed / HCD status",
        hook: None,
        fields: &[Field::ro("seed", 0xffff, 0)],
    },
];

/// The indirect registers: auxiliary control shadows, 0x1c shadows, expansion registers, and
/// the MMD registers phylib reaches through 0x0d/0x0e.
pub static IND_MAP: &[RegDef<()>] = &[
    // ---- 0x18 shadows ----
    RegDef {
        addr: aux(0x00),
        name: "Auxiliary control",
        hook: None,
        fields: &[Field::rw("control", 0xfff8, 0x0400)],
    },
    RegDef {
        addr: AUX_MISC,
        name: "Miscellaneous control",
        hook: None,
        fields: &[Field::rw("control", misc::DATA, 0x01e0)],
    },
    // ---- 0x1c shadows (data bits 9:0) ----
    RegDef {
        addr: shd(0x03),
        name: "Clock alignment control",
        hook: None,
        fields: &[Field::rw("control", 0x03ff, 0x0200)],
    },
    RegDef {
        addr: SHD_SCR2,
        name: "Spare control 2",
        hook: None,
        fields: &[Field::rw("control", 0x03ff, 0x0000)],
    },
    RegDef {
        addr: shd(0x05),
        name: "Spare control 3",
        hook: None,
        fields: &[Field::rw("control", 0x03ff, 0x0001)],
    },
    RegDef {
        addr: shd(0x0a),
        name: "Auto power-down",
        hook: None,
        fields: &[Field::rw("control", 0x03ff, 0x0001)],
    },
    RegDef {
        addr: shd(0x0d),
        name: "LED selector 1",
        hook: None,
        fields: &[Field::rw("select", 0x00ff, 0x0010)],
    },
    RegDef {
        addr: shd(0x0e),
        name: "LED selector 2",
        hook: None,
        fields: &[Field::rw("select", 0x00ff, 0x0063)],
    },
    // ---- expansion registers (0x17 select) ----
    RegDef {
        addr: exp(0x0f04),
        name: "Multicolor LED selector",
        hook: None,
        fields: &[Field::rw("select", 0x03ff, 0)],
    },
    RegDef {
        addr: exp(0x0f08),
        name: "10BASE-T / DAC wake control",
        hook: None,
        fields: &[Field::rw("control", 0xffff, 0)],
    },
    RegDef {
        addr: exp(0x0d00),
        name: "TOP_MISC MII buffer control 0",
        hook: None,
        fields: &[Field::rw("control", 0xffff, 0)],
    },
    RegDef {
        addr: exp(0x0d06),
        name: "TOP_MISC IDDQ control",
        hook: None,
        fields: &[Field::rw("control", 0x000d, 0)],
    },
    RegDef {
        addr: exp(0x0d0c),
        name: "TOP_MISC LED control",
        hook: None,
        fields: &[Field::rw("control", 0xffff, 0)],
    },
    RegDef {
        addr: exp(0x0e80),
        name: "WOL main control",
        hook: None,
        fields: &[Field::rw("control", 0xffff, 0)],
    },
    RegDef {
        addr: exp(0x0e81),
        name: "WOL inner protocol",
        hook: None,
        fields: &[Field::rw("proto", 0xffff, 0)],
    },
    RegDef {
        addr: exp(0x0e82),
        name: "WOL outer protocol",
        hook: None,
        fields: &[Field::rw("proto", 0xffff, 0)],
    },
    RegDef {
        addr: exp(0x0e83),
        name: "WOL outer protocol 2",
        hook: None,
        fields: &[Field::rw("proto", 0xffff, 0)],
    },
    RegDef {
        addr: exp(0x0e84),
        name: "WOL MPD data 1[0]",
        hook: None,
        fields: &[Field::rw("data", 0xffff, 0)],
    },
    RegDef {
        addr: exp(0x0e85),
        name: "WOL MPD data 1[1]",
        hook: None,
        fields: &[Field::rw("data", 0xffff, 0)],
    },
    RegDef {
        addr: exp(0x0e86),
        name: "WOL MPD data 1[2]",
        hook: None,
        fields: &[Field::rw("data", 0xffff, 0)],
    },
    RegDef {
        addr: exp(0x0e87),
        name: "WOL MPD data 2[0]",
        hook: None,
        fields: &[Field::rw("data", 0xffff, 0)],
    },
    RegDef {
        addr: exp(0x0e88),
        name: "WOL MPD data 2[1]",
        hook: None,
        fields: &[Field::rw("data", 0xffff, 0)],
    },
    RegDef {
        addr: exp(0x0e89),
        name: "WOL MPD data 2[2]",
        hook: None,
        fields: &[Field::rw("data", 0xffff, 0)],
    },
    RegDef {
        addr: exp(0x0e8a),
        name: "WOL security key 8B",
        hook: None,
        fields: &[Field::rw("key", 0xffff, 0)],
    },
    RegDef {
        addr: exp(0x0e8b),
        name: "WOL mask 0",
        hook: None,
        fields: &[Field::rw("mask", 0xffff, 0)],
    },
    RegDef {
        addr: exp(0x0e8c),
        name: "WOL mask 1",
        hook: None,
        fields: &[Field::rw("mask", 0xffff, 0)],
    },
    RegDef {
        addr: exp(0x0e8d),
        name: "WOL mask 2",
        hook: None,
        fields: &[Field::rw("mask", 0xffff, 0)],
    },
    RegDef {
        addr: exp(0x0e92),
        name: "WOL shared counter",
        hook: None,
        fields: &[Field::rw("count", 0xffff, 0)],
    },
    RegDef {
        addr: exp(0x0e93),
        name: "WOL interrupt mask",
        hook: None,
        fields: &[Field::rw("mask", 0x0007, 0)],
    },
    RegDef {
        addr: exp(0x0e94),
        name: "WOL interrupt status",
        hook: None,
        fields: &[Field::rc("status", 0x0007)],
    },
    // ---- MMD ----
    RegDef {
        addr: RegAddr::new(3, 0),
        name: "PCS control 1",
        hook: None,
        fields: &[Field::rw("clock_stop_enable", 0x0400, 0)],
    },
    RegDef {
        addr: PCS_STATUS1,
        name: "PCS status 1",
        hook: None,
        fields: &[Field::ro("status", 0xffff, 0)],
    },
    RegDef {
        addr: RegAddr::new(3, 20),
        name: "PCS EEE capability",
        hook: None,
        fields: &[Field::ro("eee_able", 0xffff, EEE_MODES)],
    },
    RegDef {
        addr: RegAddr::new(3, 22),
        name: "PCS EEE wake error counter",
        hook: None,
        fields: &[Field::rc("count", 0xffff)],
    },
    RegDef {
        addr: EEE_ADV,
        name: "EEE advertisement",
        hook: None,
        fields: &[Field::rw("eee_adv", EEE_MODES, EEE_MODES)],
    },
    RegDef {
        addr: EEE_LP_ABILITY,
        name: "EEE LP ability",
        hook: None,
        fields: &[Field::ro("eee_lp", 0xffff, 0)],
    },
    RegDef {
        addr: RegAddr::new(7, 0x803d),
        name: "EEE control",
        hook: None,
        fields: &[Field::rw("control", 0xffff, 0)],
    },
    RegDef {
        addr: RegAddr::new(7, 0x803f),
        name: "EEE LPI counter",
        hook: None,
        fields: &[Field::rc("count", 0xffff)],
    },
];
