//! The KSZ9131RNX register map: every register the model answers, with its fields' access
//! types and reset values. Bit layouts follow the KSZ9131RNX datasheet (DS00002841) register
//! names and the definitions drivers/net/phy/micrel.c uses. Fields named after a function the
//! model does not implement are stored as written and have no effect. Reset values not checked
//! against a datasheet are marked `*` in models/README.md.

use crate::c22;
use crate::regfile::{Access, Field, RegAddr, RegDef};

/// Side effects the model applies after a guest write to the register.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Hook {
    /// 0x00 BMCR: reset, power down, restart autonegotiation, speed/duplex/AN enable.
    Bmcr,
    /// 0x0e MMD register/data: the data goes to or comes from the MMD register file.
    MmdData,
    /// 0x12 LinkMD: VCT_EN starts a cable diagnostic on the selected pair.
    LinkMd,
    /// 0x1c Auto MDI/MDI-X: a forced MDI/MDI-X change restarts the link.
    Mdix,
}

/// The part has no register pages: every Clause 22 register is on page 0.
pub const fn page0(reg: u8) -> RegAddr {
    RegAddr::page(0, reg)
}

pub const BMCR: RegAddr = page0(c22::BMCR);
pub const BMSR: RegAddr = page0(c22::BMSR);
pub const PHYID2: RegAddr = page0(c22::PHYID2);
pub const ANAR: RegAddr = page0(c22::ANAR);
pub const ANLPAR: RegAddr = page0(c22::ANLPAR);
pub const ANER: RegAddr = page0(c22::ANER);
pub const LPNP: RegAddr = page0(c22::LPNP);
pub const CTRL1000: RegAddr = page0(c22::CTRL1000);
pub const STAT1000: RegAddr = page0(c22::STAT1000);
pub const MMDCTRL: RegAddr = page0(c22::MMD_CTRL);
pub const LINKMD: RegAddr = page0(0x12);
pub const DIG_PMA: RegAddr = page0(0x13);
pub const DIG_AXAN: RegAddr = page0(0x14);
pub const INTCS: RegAddr = page0(0x1b);
pub const AUTO_MDIX: RegAddr = page0(0x1c);
pub const PHYCTRL: RegAddr = page0(0x1f);

/// LinkMD cable diagnostic (0x12).
pub mod linkmd {
    pub const VCT_EN: u16 = 0x8000;
    pub const PAIR: u16 = 0x3000;
    pub const SEL: u16 = 0x0c00;
    pub const STATUS: u16 = 0x0300;
    pub const DATA: u16 = 0x00ff;
    pub const ST_NORMAL: u16 = 0;
    pub const ST_OPEN: u16 = 1;
    pub const ST_SHORT: u16 = 2;
}

/// Interrupt control/status (0x1b): enables in the high byte, events (clear on read) in the
/// low byte, same order. Bits 1 (remote fault), 4 (parallel detect fault), 6 (receive error)
/// and 7 (jabber) never occur in the model.
pub mod intcs {
    pub const LINK_UP: u16 = 0x0001;
    pub const LINK_DOWN: u16 = 0x0004;
    pub const LP_ACK: u16 = 0x0008;
    pub const PAGE_RECEIVED: u16 = 0x0020;
    pub const ENABLES: u16 = 0xff00;
}

/// Auto MDI/MDI-X (0x1c).
pub mod mdix {
    pub const MDI_SET: u16 = 0x0080;
    pub const SWAP_OFF: u16 = 0x0040;
}

/// PHY control (0x1f).
pub mod phyctrl {
    pub const INT_LEVEL_HIGH: u16 = 0x4000;
    pub const SPEED_1000: u16 = 0x0040;
    pub const SPEED_100: u16 = 0x0020;
    pub const SPEED_10: u16 = 0x0010;
    pub const DUPLEX: u16 = 0x0008;
    pub const MASTER: u16 = 0x0004;
    pub const STATUS: u16 = 0x007d;
}

pub static MAP: &[RegDef<Hook>] = &[
    RegDef {
        addr: BMCR,
        name: "Basic Control",
        hook: Some(Hook::Bmcr),
        fields: c22::BMCR_FIELDS,
    },
    RegDef {
        addr: BMSR,
        name: "Basic Status",
        hook: None,
        fields: &c22::bmsr(
            c22::bmsr::T4 | c22::bmsr::T2 | c22::bmsr::UNIDIRECTIONAL,
            Access::Lh,
        ),
    },
    RegDef {
        addr: page0(c22::PHYID1),
        name: "PHY Identifier 1",
        hook: None,
        fields: &[Field::ro("oui_msb", 0xffff, 0x0022)],
    },
    RegDef {
        addr: PHYID2,
        name: "PHY Identifier 2",
        hook: None,
        fields: &[Field::ro("oui_lsb_model_rev", 0xffff, 0x1640)],
    },
    RegDef {
        addr: ANAR,
        name: "Auto-Negotiation Advertisement",
        hook: None,
        fields: &c22::anar(0),
    },
    RegDef {
        addr: ANLPAR,
        name: "Auto-Negotiation Link Partner Ability",
        hook: None,
        fields: c22::ANLPAR_FIELDS,
    },
    RegDef {
        addr: ANER,
        name: "Auto-Negotiation Expansion",
        hook: None,
        fields: &c22::aner(Access::Lh),
    },
    RegDef {
        addr: page0(c22::NPTX),
        name: "Auto-Negotiation Next Page",
        hook: None,
        fields: c22::NPTX_FIELDS,
    },
    RegDef {
        addr: LPNP,
        name: "Link Partner Next Page Ability",
        hook: None,
        fields: c22::LPNP_FIELDS,
    },
    RegDef {
        addr: CTRL1000,
        name: "1000BASE-T Control",
        hook: None,
        fields: &c22::ctrl1000(c22::ctrl1000::ADV_1000_HALF),
    },
    RegDef {
        addr: STAT1000,
        name: "1000BASE-T Status",
        hook: None,
        fields: c22::STAT1000_FIELDS,
    },
    RegDef {
        addr: MMDCTRL,
        name: "MMD Access Control",
        hook: None,
        fields: c22::MMD_CTRL_FIELDS,
    },
    RegDef {
        addr: page0(c22::MMD_DATA),
        name: "MMD Access Register/Data",
        hook: Some(Hook::MmdData),
        fields: c22::MMD_DATA_FIELDS,
    },
    RegDef {
        addr: page0(c22::ESTATUS),
        name: "Extended Status",
        hook: None,
        fields: &c22::estatus(true),
    },
    RegDef {
        addr: page0(0x11),
        name: "Remote Loopback",
        hook: None,
        fields: &[
            Field::rw("remote_loopback", 0x0100, 0),
            Field::rw("reserved_7_3", 0x00f8, 0x00f0),
            Field::rw("keep_preamble", 0x0004, 0),
        ],
    },
    RegDef {
        addr: LINKMD,
        name: "LinkMD Cable Diagnostic",
        hook: Some(Hook::LinkMd),
        fields: &[
            Field::sc("vct_en", linkmd::VCT_EN),
            Field::rw("vct_dis_tx", 0x4000, 0),
            Field::rw("vct_pair", linkmd::PAIR, 0),
            Field::rw("vct_sel", linkmd::SEL, 0),
            Field::ro("vct_status", linkmd::STATUS, 0),
            Field::ro("vct_data", linkmd::DATA, 0),
        ],
    },
    RegDef {
        addr: DIG_PMA,
        name: "Digital PMA/PCS Status",
        hook: None,
        fields: &[
            Field::ro("link_1000", 0x0004, 0),
            Field::ro("link_100", 0x0002, 0),
        ],
    },
    RegDef {
        addr: DIG_AXAN,
        name: "Digital AX/AN Status (undocumented)",
        hook: None,
        fields: &[
            Field::ro("link_detected", 0x4000, 0),
            Field::ro("pair_a_select_mdi", 0x1000, 0),
        ],
    },
    RegDef {
        addr: page0(0x15),
        name: "RXER Counter",
        hook: None,
        fields: &[Field::rc("rx_errors", 0xffff)],
    },
    RegDef {
        addr: page0(0x16),
        name: "LED Mode Select",
        hook: None,
        fields: &[Field::rw("led_mode", 0xffff, 0)],
    },
    RegDef {
        addr: page0(0x17),
        name: "LED Behavior",
        hook: None,
        fields: &[Field::rw("led_behavior", 0xffff, 0)],
    },
    RegDef {
        addr: page0(0x19),
        name: "MDIO Drive",
        hook: None,
        fields: &[Field::rw("drive", 0x0002, 0)],
    },
    RegDef {
        addr: INTCS,
        name: "Interrupt Control/Status",
        hook: None,
        fields: &[
            Field::rw("enable", intcs::ENABLES, 0),
            Field::rc("status", 0x00ff),
        ],
    },
    RegDef {
        addr: AUTO_MDIX,
        name: "Auto MDI/MDI-X",
        hook: Some(Hook::Mdix),
        fields: &[
            Field::rw("mdi_set", mdix::MDI_SET, 0),
            Field::rw("swap_off", mdix::SWAP_OFF, 0),
        ],
    },
    RegDef {
        addr: page0(0x1d),
        name: "Software Power Down Control",
        hook: None,
        fields: &[Field::rw("control", 0xffff, 0)],
    },
    RegDef {
        addr: page0(0x1e),
        name: "External Loopback",
        hook: None,
        // Bit 9 is the undocumented LED1 errata bit (DS80000693B) micrel.c sets.
        fields: &[Field::rw("control", 0xffff, 0)],
    },
    RegDef {
        addr: PHYCTRL,
        name: "PHY Control",
        hook: None,
        fields: &[
            Field::rw("int_level_high", phyctrl::INT_LEVEL_HIGH, 0),
            Field::rw("enable_jabber", 0x0200, 0x0200),
            Field::ro("speed_1000", phyctrl::SPEED_1000, 0),
            Field::ro("speed_100", phyctrl::SPEED_100, 0),
            Field::ro("speed_10", phyctrl::SPEED_10, 0),
            Field::ro("duplex", phyctrl::DUPLEX, 0),
            Field::ro("master", phyctrl::MASTER, 0),
            Field::ro("link_check_fail", 0x0001, 0),
        ],
    },
];

/// MMD device 2: the common control, RGMII pad skew and DLL registers.
pub const DEVAD_COMMON: u16 = 2;

const fn dev2(reg: u16) -> RegAddr {
    RegAddr::new(DEVAD_COMMON, reg)
}

pub const MMD_COMMON_CTRL: RegAddr = dev2(0);
pub const MMD_PCS_STATUS1: RegAddr = RegAddr::new(3, 1);
pub const MMD_EEE_ADV: RegAddr = RegAddr::new(7, 60);
pub const MMD_EEE_LP: RegAddr = RegAddr::new(7, 61);
/// The EEE modes of 3.20 and 7.60/7.61: 100BASE-TX and 1000BASE-T.
pub const EEE_MODES: u16 = 0x0006;
pub const MMD_RXC_DLL: RegAddr = dev2(76);
pub const MMD_TXC_DLL: RegAddr = dev2(77);

/// The DLL control registers' delay-disable (bypass) bit.
pub const DLL_DISABLE: u16 = 0x1000;

/// The MMD registers reached through registers 13/14.
pub static MMD_MAP: &[RegDef<()>] = &[
    RegDef {
        addr: RegAddr::new(1, 0x5a),
        name: "1000BASE-T Link-Up Time Control",
        hook: None,
        fields: &[Field::rw("control", 0xffff, 0x0004)],
    },
    RegDef {
        addr: MMD_COMMON_CTRL,
        name: "Common Control",
        hook: None,
        // Bit 4 is the LED_MODE strap (individual / single-LED mode).
        fields: &[
            Field::rw("led_mode_individual", 0x0010, 0x0010),
            Field::ro("clk125_en_strap", 0x0002, 0),
        ],
    },
    RegDef {
        addr: dev2(1),
        name: "Strap Status",
        hook: None,
        fields: &[Field::ro("straps", 0xffff, 0)],
    },
    RegDef {
        addr: dev2(2),
        name: "Operation Mode Strap Override",
        hook: None,
        fields: &[Field::rw("override", 0xffff, 0)],
    },
    RegDef {
        addr: dev2(3),
        name: "Operation Mode Strap Status",
        hook: None,
        fields: &[Field::ro("straps", 0xffff, 0)],
    },
    RegDef {
        addr: dev2(4),
        name: "Control Signal Pad Skew",
        hook: None,
        fields: &[Field::rw("rx_ctl_tx_ctl", 0x00ff, 0x0077)],
    },
    RegDef {
        addr: dev2(5),
        name: "RGMII RX Data Pad Skew",
        hook: None,
        fields: &[Field::rw("rxd3_0", 0xffff, 0x7777)],
    },
    RegDef {
        addr: dev2(6),
        name: "RGMII TX Data Pad Skew",
        hook: None,
        fields: &[Field::rw("txd3_0", 0xffff, 0x7777)],
    },
    RegDef {
        addr: dev2(8),
        name: "Clock Pad Skew",
        hook: None,
        fields: &[Field::rw("gtx_clk_rx_clk", 0x03ff, 0x00e7)],
    },
    RegDef {
        addr: MMD_RXC_DLL,
        name: "RXC DLL Control",
        hook: None,
        fields: &[
            Field::rw("rxc_dll_disable", DLL_DISABLE, 0),
            Field::rw("other", 0xefff, 0x0d80),
        ],
    },
    RegDef {
        addr: MMD_TXC_DLL,
        name: "TXC DLL Control",
        hook: None,
        fields: &[
            Field::rw("txc_dll_disable", DLL_DISABLE, 0),
            Field::rw("other", 0xefff, 0x0d80),
        ],
    },
    RegDef {
        addr: RegAddr::new(3, 0),
        name: "PCS Control 1",
        hook: None,
        fields: &[Field::rw("clock_stop_enable", 0x0400, 0)],
    },
    RegDef {
        addr: MMD_PCS_STATUS1,
        name: "PCS Status 1",
        hook: None,
        fields: &[Field::ro("status", 0xffff, 0)],
    },
    RegDef {
        addr: RegAddr::new(3, 20),
        name: "EEE Capability",
        hook: None,
        fields: &[Field::ro("eee_able", 0xffff, EEE_MODES)],
    },
    RegDef {
        addr: MMD_EEE_ADV,
        name: "EEE Advertisement",
        hook: None,
        fields: &[Field::rw("eee_adv", EEE_MODES, EEE_MODES)],
    },
    RegDef {
        addr: MMD_EEE_LP,
        name: "EEE Link Partner Ability",
        hook: None,
        fields: &[Field::ro("eee_lp", 0xffff, 0)],
    },
    // The undocumented MMD 0x1c registers ksz9131_set_loopback() writes; reset values are the
    // "measured initial state" micrel.c restores.
    RegDef {
        addr: RegAddr::new(0x1c, 0x15),
        name: "undocumented 0x1c.0x15",
        hook: None,
        fields: &[Field::rw("value", 0xffff, 0x6eff)],
    },
    RegDef {
        addr: RegAddr::new(0x1c, 0x16),
        name: "undocumented 0x1c.0x16",
        hook: None,
        fields: &[Field::rw("value", 0xffff, 0xe6ff)],
    },
    RegDef {
        addr: RegAddr::new(0x1c, 0x18),
        name: "undocumented 0x1c.0x18",
        hook: None,
        fields: &[Field::rw("value", 0xffff, 0x43ff)],
    },
    RegDef {
        addr: RegAddr::new(0x1c, 0x1b),
        name: "undocumented 0x1c.0x1b",
        hook: None,
        fields: &[Field::rw("value", 0xffff, 0x07ff)],
    },
];
