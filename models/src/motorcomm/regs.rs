//! The YT8521 register map. Bit layouts follow drivers/net/phy/motorcomm.c and IEEE 802.3
//! clause 22; reset values not checked against a datasheet are marked `*` in the README.
//! Fields named `unmodelled` are stored as written but have no effect.
//!
//! Spaces: [`UTP`] and [`FIBER`] hold the Clause 22 registers each register space has of its
//! own (0x00, 0x01, 0x04-0x0f, 0x11); registers 0x02/0x03, 0x10, 0x12-0x15 and 0x1e/0x1f are
//! common ([`RegAddr::GLOBAL`]). Extended registers (0x1e address / 0x1f data) live in
//! [`EXT_UTP`] / [`EXT_FIBER`] below 0xa000 and in [`EXT_COMMON`] from 0xa000 on.

use crate::c22::{self, adv, bmsr};
use crate::regfile::{Access, Field, RegAddr, RegDef};

/// Side effects the model applies after a guest write to the register.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Hook {
    /// UTP BMCR: reset, power down, restart autonegotiation, forced speed/duplex.
    Control,
    /// Fiber BMCR: reset and restart AN complete at once (the fiber side never links).
    FiberControl,
    /// Register 0x0e (UTP space): MMD data through the MMD register file.
    MmdData,
    /// Register 0x1f: the extended register 0x1e selects.
    ExtData,
}

pub const UTP: u16 = 0;
pub const FIBER: u16 = 1;
pub const EXT_UTP: u16 = 0x100;
pub const EXT_FIBER: u16 = 0x101;
pub const EXT_COMMON: u16 = 0x102;

pub const BMCR: RegAddr = RegAddr::new(UTP, c22::BMCR as u16);
pub const BMSR: RegAddr = RegAddr::new(UTP, c22::BMSR as u16);
pub const ADVERTISE: RegAddr = RegAddr::new(UTP, c22::ANAR as u16);
pub const LPA: RegAddr = RegAddr::new(UTP, c22::ANLPAR as u16);
pub const EXPANSION: RegAddr = RegAddr::new(UTP, c22::ANER as u16);
pub const LPNP: RegAddr = RegAddr::new(UTP, c22::LPNP as u16);
pub const CTRL1000: RegAddr = RegAddr::new(UTP, c22::CTRL1000 as u16);
pub const STAT1000: RegAddr = RegAddr::new(UTP, c22::STAT1000 as u16);
pub const MMD_CONTROL: RegAddr = RegAddr::new(UTP, c22::MMD_CTRL as u16);
pub const SSR: RegAddr = RegAddr::new(UTP, 0x11);
pub const FIBER_BMCR: RegAddr = RegAddr::new(FIBER, c22::BMCR as u16);
pub const FIBER_BMSR: RegAddr = RegAddr::new(FIBER, c22::BMSR as u16);
pub const FIBER_LPA: RegAddr = RegAddr::new(FIBER, c22::ANLPAR as u16);
pub const FIBER_SSR: RegAddr = RegAddr::new(FIBER, 0x11);
pub const SFCR: RegAddr = RegAddr::global(0x10);
pub const INT_ENABLE: RegAddr = RegAddr::global(0x12);
pub const INT_STATUS: RegAddr = RegAddr::global(0x13);
pub const DOWNGRADE: RegAddr = RegAddr::global(0x14);
pub const EXT_ADDR: RegAddr = RegAddr::global(0x1e);
pub const EXT_DATA: RegAddr = RegAddr::global(0x1f);
pub const SPACE_SELECT: RegAddr = RegAddr::new(EXT_COMMON, 0xa000);
pub const CHIP_CONFIG: RegAddr = RegAddr::new(EXT_COMMON, 0xa001);
pub const RGMII_CONFIG1: RegAddr = RegAddr::new(EXT_COMMON, 0xa003);
pub const WOL_CONFIG: RegAddr = RegAddr::new(EXT_COMMON, 0xa00a);
pub const SYNCE_CFG: RegAddr = RegAddr::new(EXT_COMMON, 0xa012);
pub const CLOCK_GATING: RegAddr = RegAddr::new(EXT_UTP, 0x0c);
pub const SLEEP_CONTROL1: RegAddr = RegAddr::new(EXT_UTP, 0x27);
/// UTP MMD registers (through 0x0d/0x0e).
pub const PCS_STATUS1: RegAddr = RegAddr::new(3, 1);
pub const EEE_ADV: RegAddr = RegAddr::new(7, 60);
pub const EEE_LP_ABILITY: RegAddr = RegAddr::new(7, 61);
/// The EEE modes of 3.20 and 7.60/7.61: 100BASE-TX and 1000BASE-T.
pub const EEE_MODES: u16 = c22::EEE_MODES;

/// YTPHY_SPECIFIC_STATUS_REG (0x11), real time.
pub mod ssr {
    pub const SPEED: u16 = 0xc200;
    pub const SPEED_100: u16 = 0x4000;
    pub const SPEED_1000: u16 = 0x8000;
    pub const DUPLEX: u16 = 0x2000;
    pub const PAGE_RECEIVED: u16 = 0x1000;
    pub const RESOLVED: u16 = 0x0800;
    pub const LINK: u16 = 0x0400;
    pub const MDIX: u16 = 0x0040;
    pub const DOWNGRADE: u16 = 0x0020;
    pub const TX_PAUSE: u16 = 0x0008;
    pub const RX_PAUSE: u16 = 0x0004;
}

/// YTPHY_SPECIFIC_FUNCTION_CONTROL_REG (0x10).
pub mod sfcr {
    pub const MDI_CROSSOVER: u16 = 0x0060;
    pub const MANUAL_MDIX: u16 = 0x0020;
}

/// 0x14 speed auto downgrade control.
pub mod downgrade {
    pub const ENABLE: u16 = 0x0020;
    pub const RETRY_LIMIT: u16 = 0x001c;
}

/// Interrupt enable (0x12) / status (0x13) bits.
pub mod irq {
    pub const AN_ERROR: u16 = 0x8000;
    pub const SPEED_CHANGED: u16 = 0x4000;
    pub const DUPLEX_CHANGED: u16 = 0x2000;
    pub const PAGE_RECEIVED: u16 = 0x1000;
    pub const LINK_FAIL: u16 = 0x0800;
    pub const LINK_SUCCESS: u16 = 0x0400;
    pub const WOL: u16 = 0x0040;
    pub const WIRESPEED_DOWNGRADE: u16 = 0x0020;
    pub const SERDES_LINK_FAIL: u16 = 0x0008;
    pub const SERDES_LINK_SUCCESS: u16 = 0x0004;
    pub const POLARITY_CHANGED: u16 = 0x0002;
    pub const JABBER: u16 = 0x0001;
    pub const ALL: u16 = 0xfc6f;
}

const fn reg(addr: RegAddr, name: &'static str, fields: &'static [Field]) -> RegDef<Hook> {
    RegDef {
        addr,
        name,
        fields,
        hook: None,
    }
}

macro_rules! storage {
    ($addr:expr, $name:expr, $reset:expr) => {
        reg($addr, $name, &[Field::rw("unmodelled", 0xffff, $reset)])
    };
}

pub static MAP: &[RegDef<Hook>] = &[
    // ---- UTP space, Clause 22 ----
    RegDef {
        addr: BMCR,
        name: "UTP Basic Control",
        hook: Some(Hook::Control),
        fields: c22::BMCR_FIELDS,
    },
    // No 100BASE-T4 / T2 bits: motorcomm.c's layout leaves them reserved.
    reg(BMSR, "UTP Basic Status", &c22::bmsr(0, Access::Lh)),
    reg(
        RegAddr::global(c22::PHYID1),
        "PHY Identifier 1",
        &[Field::ro("oui_msb", 0xffff, 0x0000)],
    ),
    reg(
        RegAddr::global(c22::PHYID2),
        "PHY Identifier 2",
        &[Field::ro("oui_lsb_model_revision", 0xffff, 0x011a)],
    ),
    reg(
        ADVERTISE,
        "UTP Auto-Negotiation Advertisement",
        // Resets to 0x0de1: pause and asymmetric pause advertised from power-on; extended
        // next page (12) is storage.
        &c22::concat::<7>(
            &c22::anar(adv::PAUSE | adv::ASYM_DIR),
            &[Field::rw("extended_next_page", adv::XNP, 0)],
        ),
    ),
    reg(LPA, "UTP Link Partner Ability", c22::ANLPAR_FIELDS),
    reg(
        EXPANSION,
        "UTP Auto-Negotiation Expansion",
        &c22::aner(Access::Lh),
    ),
    reg(
        RegAddr::new(UTP, c22::NPTX as u16),
        "UTP Next Page Transmit",
        c22::NPTX_STORAGE_FIELDS,
    ),
    reg(LPNP, "UTP Link Partner Next Page", c22::LPNP_FIELDS),
    reg(
        CTRL1000,
        "UTP 1000BASE-T Control",
        // No 1000BASE-T half duplex (ESTATUS): bit 8 is storage, clear at reset.
        &c22::ctrl1000(0),
    ),
    reg(STAT1000, "UTP 1000BASE-T Status", c22::STAT1000_FIELDS),
    reg(MMD_CONTROL, "UTP MMD Access Control", c22::MMD_CTRL_FIELDS),
    RegDef {
        addr: RegAddr::new(UTP, c22::MMD_DATA as u16),
        name: "UTP MMD Access Address/Data",
        hook: Some(Hook::MmdData),
        fields: c22::MMD_DATA_FIELDS,
    },
    reg(
        RegAddr::new(UTP, c22::ESTATUS as u16),
        "UTP Extended Status",
        &c22::estatus(false),
    ),
    reg(
        SSR,
        "UTP Specific Status",
        &[
            Field::ro("speed", ssr::SPEED, 0),
            Field::ro("duplex", ssr::DUPLEX, 0),
            Field::ro("page_received", ssr::PAGE_RECEIVED, 0),
            Field::ro("resolved", ssr::RESOLVED, 0),
            Field::ro("link", ssr::LINK, 0),
            Field::ro("mdix", ssr::MDIX, 0),
            Field::ro("downgrade", ssr::DOWNGRADE, 0),
            Field::ro("tx_pause", ssr::TX_PAUSE, 0),
            Field::ro("rx_pause", ssr::RX_PAUSE, 0),
            Field::ro("polarity", 0x0002, 0),
            Field::ro("jabber", 0x0001, 0),
        ],
    ),
    // ---- Fiber space, Clause 22: the fiber side never has a signal ----
    RegDef {
        addr: FIBER_BMCR,
        name: "Fiber Basic Control",
        hook: Some(Hook::FiberControl),
        fields: c22::BMCR_FIBER_FIELDS,
    },
    reg(
        FIBER_BMSR,
        "Fiber Basic Status",
        &[
            Field::ro("extended_status", 0x0100, 0x0100),
            Field::ro("preamble_suppression", 0x0040, 0x0040),
            Field::ro("an_complete", bmsr::AN_COMPLETE, 0),
            Field::ro("an_ability", 0x0008, 0x0008),
            Field::ll("link", bmsr::LINK),
            Field::ro("extended_capability", 0x0001, 0x0001),
        ],
    ),
    reg(
        RegAddr::new(FIBER, 4),
        "Fiber Auto-Negotiation Advertisement",
        &[
            Field::rw("abilities", 0x01e0, 0x01a0),
            Field::rw("unmodelled", 0xb000, 0),
        ],
    ),
    reg(
        FIBER_LPA,
        "Fiber Link Partner Ability",
        &[Field::ro("base_page", 0xffff, 0)],
    ),
    reg(
        RegAddr::new(FIBER, 6),
        "Fiber Auto-Negotiation Expansion",
        &[Field::ro("local_next_page_able", 0x0004, 0x0004)],
    ),
    reg(
        RegAddr::new(FIBER, 15),
        "Fiber Extended Status",
        &[Field::ro("1000base_x_full", 0x8000, 0x8000)],
    ),
    reg(
        FIBER_SSR,
        "Fiber Specific Status",
        &[Field::ro("status", 0xffff, 0)],
    ),
    // ---- Common Clause 22 registers ----
    reg(
        SFCR,
        "Specific Function Control",
        &[
            Field::rw("mdi_crossover", sfcr::MDI_CROSSOVER, sfcr::MDI_CROSSOVER),
            Field::rw("unmodelled", 0xff9f, 0),
        ],
    ),
    reg(
        INT_ENABLE,
        "Interrupt Enable",
        &[Field::rw("enable", irq::ALL, 0)],
    ),
    reg(
        INT_STATUS,
        "Interrupt Status",
        &[Field::rc("status", irq::ALL)],
    ),
    reg(
        DOWNGRADE,
        "Speed Auto Downgrade Control",
        &[
            Field::rw("enable", downgrade::ENABLE, downgrade::ENABLE),
            Field::rw("retry_limit", downgrade::RETRY_LIMIT, 0x000c),
            Field::rw("unmodelled", 0xffc3, 0),
        ],
    ),
    reg(
        RegAddr::global(0x15),
        "RX Error Counter",
        &[Field::rc("count", 0xffff)],
    ),
    reg(
        EXT_ADDR,
        "Extended Register Address",
        &[Field::rw("address", 0xffff, 0)],
    ),
    RegDef {
        addr: EXT_DATA,
        name: "Extended Register Data",
        hook: Some(Hook::ExtData),
        fields: &[Field::rw("data", 0xffff, 0)],
    },
    // ---- UTP extended registers ----
    reg(
        CLOCK_GATING,
        "Clock Gating",
        &[
            Field::rw("rx_clk_en", 0x1000, 0x1000),
            Field::rw("unmodelled", 0xefff, 0),
        ],
    ),
    reg(
        SLEEP_CONTROL1,
        "Sleep Control 1",
        &[
            Field::rw("sleep_sw", 0x8000, 0x8000),
            Field::rw("pllon_slp", 0x4000, 0),
            Field::rw("unmodelled", 0x3fff, 0),
        ],
    ),
    // ---- Fiber extended registers ----
    storage!(
        RegAddr::new(EXT_FIBER, 0xa5),
        "Fiber Link Timer Cfg2",
        0x8000
    ),
    // ---- Common extended registers ----
    reg(
        SPACE_SELECT,
        "Register Space Select",
        &[Field::rw("fiber_space", 0x0002, 0)],
    ),
    reg(
        CHIP_CONFIG,
        "Chip Config",
        &[
            Field::rw("sw_rst_n", 0x8000, 0x8000),
            Field::rw("rxc_dly_en", 0x0100, 0x0100),
            Field::rw("mode_sel", 0x0007, 0),
            Field::rw("unmodelled", 0x7ef8, 0),
        ],
    ),
    reg(
        RGMII_CONFIG1,
        "RGMII Config 1",
        &[
            Field::rw("tx_clk_sel_inverted", 0x4000, 0),
            Field::rw("rx_delay", 0x3c00, 0),
            Field::rw("fe_tx_delay", 0x00f0, 0x00f0),
            Field::rw("ge_tx_delay", 0x000f, 0x0001),
            Field::rw("unmodelled", 0x8300, 0),
        ],
    ),
    storage!(RegAddr::new(EXT_COMMON, 0xa006), "Misc Config", 0x0000),
    storage!(RegAddr::new(EXT_COMMON, 0xa007), "WOL MAC Address 2", 0),
    storage!(RegAddr::new(EXT_COMMON, 0xa008), "WOL MAC Address 1", 0),
    storage!(RegAddr::new(EXT_COMMON, 0xa009), "WOL MAC Address 0", 0),
    reg(
        WOL_CONFIG,
        "WOL Config",
        &[
            Field::rw("intr_sel", 0x0040, 0),
            Field::rw("enable", 0x0008, 0),
            Field::rw("pulse_width", 0x0006, 0x0002),
            Field::rw("type_pulse", 0x0001, 0),
        ],
    ),
    storage!(RegAddr::new(EXT_COMMON, 0xa00c), "LED0 Config", 0),
    storage!(RegAddr::new(EXT_COMMON, 0xa00d), "LED1 Config", 0),
    storage!(RegAddr::new(EXT_COMMON, 0xa00e), "LED2 Config", 0),
    reg(
        SYNCE_CFG,
        "SyncE Config",
        &[
            Field::rw("synce_enable", 0x0020, 0),
            Field::rw("clk_fre_sel_125m", 0x0008, 0x0008),
            Field::rw("clk_src", 0x0006, 0),
            Field::rw("unmodelled", 0xffd1, 0),
        ],
    ),
];

/// UTP MMD registers reached through 0x0d/0x0e (Energy Efficient Ethernet).
pub static MMD_MAP: &[RegDef<()>] = &[
    RegDef {
        addr: RegAddr::new(3, 0),
        name: "PCS Control 1",
        hook: None,
        fields: &[Field::rw("clock_stop_enable", 0x0400, 0)],
    },
    RegDef {
        addr: PCS_STATUS1,
        name: "PCS Status 1",
        hook: None,
        fields: &[Field::ro("lpi", 0x0f00, 0)],
    },
    RegDef {
        addr: RegAddr::new(3, 20),
        name: "EEE Capability",
        hook: None,
        fields: &[Field::ro("eee", EEE_MODES, EEE_MODES)],
    },
    RegDef {
        addr: RegAddr::new(3, 22),
        name: "EEE Wake Error Counter",
        hook: None,
        fields: &[Field::rc("count", 0xffff)],
    },
    RegDef {
        addr: EEE_ADV,
        name: "EEE Advertisement",
        hook: None,
        fields: &[
            Field::rw("1000base_t", 0x0004, 0x0004),
            Field::rw("100base_tx", 0x0002, 0x0002),
        ],
    },
    RegDef {
        addr: EEE_LP_ABILITY,
        name: "EEE Link Partner Ability",
        hook: None,
        fields: &[Field::ro("eee", EEE_MODES, 0)],
    },
];
