//! The BCM54210E register map: the Clause 22 registers, and the indirect spaces behind them
//! (auxiliary control shadows behind 0x18, the 0x1c shadows, the expansion registers behind
//! 0x17/0x15, MMD devices 3 and 7 behind 0x0d/0x0e). Bit layouts follow the BCM54xx register
//! descriptions and the definitions include/linux/brcmphy.h gives. Fields named after a function
//! the model does not implement are stored as written and have no effect. Reset values not
//! checked against a datasheet are marked `*` in models/README.md.

use crate::regfile::{Field, RegAddr, RegDef};

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

const fn c22(reg: u8) -> RegAddr {
    RegAddr::page(0, reg)
}

pub const BMCR: RegAddr = c22(0x00);
pub const BMSR: RegAddr = c22(0x01);
pub const PHYID2: RegAddr = c22(0x03);
pub const ADVERTISE: RegAddr = c22(0x04);
pub const LPA: RegAddr = c22(0x05);
pub const EXPANSION: RegAddr = c22(0x06);
pub const ANLPNP: RegAddr = c22(0x08);
pub const CTRL1000: RegAddr = c22(0x09);
pub const STAT1000: RegAddr = c22(0x0a);
pub const MMD_CTRL: RegAddr = c22(0x0d);
pub const ECR: RegAddr = c22(0x10);
pub const ESR: RegAddr = c22(0x11);
pub const EXP_SEL: RegAddr = c22(0x17);
pub const AUX_STATUS: RegAddr = c22(0x19);
pub const ISR: RegAddr = c22(0x1a);
pub const IMR: RegAddr = c22(0x1b);
pub const SEED_HCD: RegAddr = c22(0x1d);

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
pub const EEE_MODES: u16 = 0x0006;

/// BMCR (0x00), IEEE 802.3 22.2.4.1.
pub mod bmcr {
    pub const RESET: u16 = 0x8000;
    pub const SPEED_LSB: u16 = 0x2000;
    pub const AN_ENABLE: u16 = 0x1000;
    pub const POWER_DOWN: u16 = 0x0800;
    pub const ISOLATE: u16 = 0x0400;
    pub const RESTART_AN: u16 = 0x0200;
    pub const DUPLEX: u16 = 0x0100;
    pub const SPEED_MSB: u16 = 0x0040;
    /// The bits whose change moves the link at once.
    pub const LINK_CONFIG: u16 = SPEED_LSB | AN_ENABLE | DUPLEX | SPEED_MSB;
}

/// BMSR (0x01).
pub mod bmsr {
    pub const AN_COMPLETE: u16 = 0x0020;
    pub const REMOTE_FAULT: u16 = 0x0010;
    pub const LINK: u16 = 0x0004;
    pub const JABBER: u16 = 0x0002;
}

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
        fields: &[
            Field::sc("reset", 0x8000),
            Field::rw("loopback", 0x4000, 0),
            Field::rw("speed_lsb", 0x2000, 0),
            Field::rw("an_enable", 0x1000, 0x1000),
            Field::rw("power_down", 0x0800, 0),
            Field::rw("isolate", 0x0400, 0),
            Field::sc("restart_an", 0x0200),
            Field::rw("duplex", 0x0100, 0x0100),
            Field::rw("collision_test", 0x0080, 0),
            Field::rw("speed_msb", 0x0040, 0x0040),
        ],
    },
    RegDef {
        addr: BMSR,
        name: "BMSR",
        hook: None,
        fields: &[
            Field::ro("abilities", 0xffc9, 0x7949),
            Field::ro("an_complete", bmsr::AN_COMPLETE, 0),
            Field::ro("remote_fault", bmsr::REMOTE_FAULT, 0),
            Field::ll("link", bmsr::LINK),
            Field::lh("jabber", bmsr::JABBER),
        ],
    },
    RegDef {
        addr: c22(0x02),
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
        fields: &[
            Field::rw("next_page", 0x8000, 0),
            Field::rw("remote_fault", 0x2000, 0),
            Field::rw("asym_dir", 0x0800, 0),
            Field::rw("pause", 0x0400, 0),
            Field::ro("t4", 0x0200, 0),
            Field::rw("abilities", 0x01e0, 0x01e0),
            Field::ro("selector", 0x001f, 0x0001),
        ],
    },
    RegDef {
        addr: LPA,
        name: "ANLPAR",
        hook: None,
        fields: &[Field::ro("base_page", 0xffff, 0)],
    },
    RegDef {
        addr: EXPANSION,
        name: "ANER",
        hook: None,
        fields: &[
            Field::ro("pd_fault", 0x0010, 0),
            Field::ro("lp_np_able", 0x0008, 0),
            Field::ro("local_np_able", 0x0004, 0x0004),
            Field::lh("page_received", 0x0002),
            Field::ro("lp_an_able", 0x0001, 0),
        ],
    },
    RegDef {
        addr: c22(0x07),
        name: "ANNPTR",
        hook: None,
        fields: &[
            Field::rw("np_mp_ack2", 0xb000, 0x2000),
            Field::ro("toggle", 0x0800, 0),
            Field::rw("code", 0x07ff, 0x0001),
        ],
    },
    RegDef {
        addr: ANLPNP,
        name: "ANLPNP",
        hook: None,
        fields: &[Field::ro("next_page", 0xffff, 0)],
    },
    RegDef {
        addr: CTRL1000,
        name: "1000BASE-T control",
        hook: None,
        fields: &[
            Field::rw("test_mode", 0xe000, 0),
            Field::rw("ms_manual", 0x1000, 0),
            Field::rw("ms_value", 0x0800, 0),
            Field::rw("port_type", 0x0400, 0),
            Field::rw("adv_1000", 0x0300, 0x0300),
        ],
    },
    RegDef {
        addr: STAT1000,
        name: "1000BASE-T status",
        hook: None,
        fields: &[
            Field::lh("ms_fault", 0x8000),
            Field::ro("ms_resolution_receivers_lp", 0x7c00, 0),
            Field::rc("idle_errors", 0x00ff),
        ],
    },
    RegDef {
        addr: MMD_CTRL,
        name: "MMD access control",
        hook: None,
        fields: &[
            Field::rw("function", 0xc000, 0),
            Field::rw("devad", 0x001f, 0),
        ],
    },
    RegDef {
        addr: c22(0x0e),
        name: "MMD access address/data",
        hook: Some(Hook::MmdData),
        fields: &[Field::rw("address_data", 0xffff, 0)],
    },
    RegDef {
        addr: c22(0x0f),
        name: "Extended status",
        hook: None,
        fields: &[Field::ro("abilities", 0xf000, 0x3000)],
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
        addr: c22(0x12),
        name: "Receive error counter",
        hook: None,
        fields: &[Field::rc("count", 0xffff)],
    },
    RegDef {
        addr: c22(0x13),
        name: "False carrier sense counter",
        hook: None,
        fields: &[
            Field::rc("serdes_ber_errors", 0xff00),
            Field::rc("false_carrier", 0x00ff),
        ],
    },
    RegDef {
        addr: c22(0x14),
        name: "Receiver NOT_OK counter",
        hook: None,
        fields: &[
            Field::rc("local_rx_nok", 0xff00),
            Field::rc("remote_rx_nok", 0x00ff),
        ],
    },
    RegDef {
        addr: c22(0x15),
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
        addr: c22(0x18),
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
        addr: c22(0x1c),
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
