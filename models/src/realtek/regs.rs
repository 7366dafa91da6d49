//! The RTL8211F register map: every register the model answers, with its fields' access
//! types and reset values. Bit layouts follow the definitions in Linux's
//! drivers/net/phy/realtek/realtek_main.c and IEEE 802.3 clause 22; reset values not checked
//! against a datasheet are marked `*` in the README. Fields named `unmodelled` are stored as
//! written but have no effect.

use crate::c22::{self, adv};
use crate::regfile::{Access, Field, RegAddr, RegDef};

/// Side effects the model applies after a guest write to the register.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Hook {
    /// BMCR: reset, power down, restart autonegotiation, forced speed/duplex.
    Control,
    /// Register 14: the MMD data goes to or comes from the MMD register file.
    MmdData,
}

/// The page-select register (PAGSR), outside paging.
pub const PAGE_SELECT: u8 = 0x1f;
/// Pages the driver names.
pub const PAGE_INTR: u16 = 0xa42;
pub const PAGE_PHY: u16 = 0xa43;
pub const PAGE_LED: u16 = 0xd04;
pub const PAGE_RGMII: u16 = 0xd08;
pub const PAGE_WOL: u16 = 0xd8a;
pub const PAGE_WOL_ADDR: u16 = 0xd8c;
pub const PAGE_SSC: u16 = 0xc44;
pub const PAGE_CLKOUT_SSC: u16 = 0xd09;

pub const BMCR: RegAddr = RegAddr::global(c22::BMCR);
pub const BMSR: RegAddr = RegAddr::global(c22::BMSR);
pub const ADVERTISE: RegAddr = RegAddr::global(c22::ANAR);
pub const LPA: RegAddr = RegAddr::global(c22::ANLPAR);
pub const EXPANSION: RegAddr = RegAddr::global(c22::ANER);
pub const ANNPRR: RegAddr = RegAddr::global(c22::LPNP);
pub const CTRL1000: RegAddr = RegAddr::global(c22::CTRL1000);
pub const STAT1000: RegAddr = RegAddr::global(c22::STAT1000);
pub const MMD_CONTROL: RegAddr = RegAddr::global(c22::MMD_CTRL);
pub const INER: RegAddr = RegAddr::new(PAGE_INTR, 0x12);
pub const PHYCR1: RegAddr = RegAddr::new(PAGE_PHY, 0x18);
pub const PHYCR2: RegAddr = RegAddr::new(PAGE_PHY, 0x19);
pub const PHYSR: RegAddr = RegAddr::new(PAGE_PHY, 0x1a);
pub const INSR: RegAddr = RegAddr::new(PAGE_PHY, 0x1d);
pub const LEDCR: RegAddr = RegAddr::new(PAGE_LED, 0x10);
pub const TXCR: RegAddr = RegAddr::new(PAGE_RGMII, 0x11);
pub const RXCR: RegAddr = RegAddr::new(PAGE_RGMII, 0x15);
pub const WOL_EVENTS: RegAddr = RegAddr::new(PAGE_WOL, 0x10);
pub const WOL_RST_RMSQ: RegAddr = RegAddr::new(PAGE_WOL, 0x11);
/// MMD registers (through 13/14).
pub const PCS_STATUS1: RegAddr = RegAddr::new(3, 1);
pub const EEE_ADV: RegAddr = RegAddr::new(7, 60);
pub const EEE_LP_ABILITY: RegAddr = RegAddr::new(7, 61);
/// The EEE modes of 3.20 and 7.60/7.61: 100BASE-TX and 1000BASE-T.
pub const EEE_MODES: u16 = c22::EEE_MODES;

/// PHYSR (0xa43.26), real time.
pub mod physr {
    pub const MASTER: u16 = 0x0800;
    pub const SPEED: u16 = 0x0030;
    pub const SPEED_100: u16 = 0x0010;
    pub const SPEED_1000: u16 = 0x0020;
    pub const DUPLEX: u16 = 0x0008;
    pub const LINK: u16 = 0x0004;
    /// Every bit the model drives.
    pub const ALL: u16 = MASTER | SPEED | DUPLEX | LINK;
}

/// INER (0xa42.18) enable / INSR (0xa43.29) status bits.
pub mod irq {
    pub const AN_ERROR: u16 = 0x0001;
    pub const PAGE_RECEIVED: u16 = 0x0004;
    pub const AN_COMPLETE: u16 = 0x0008;
    pub const LINK_STATUS: u16 = 0x0010;
    pub const REG_ACCESSIBLE: u16 = 0x0020;
    pub const PME: u16 = 0x0080;
    pub const ALDPS: u16 = 0x0200;
    pub const JABBER: u16 = 0x0400;
}

const fn reg(addr: RegAddr, name: &'static str, fields: &'static [Field]) -> RegDef<Hook> {
    RegDef {
        addr,
        name,
        fields,
        hook: None,
    }
}

/// A plain 16-bit RW word: the part keeps what is written but the model gives it no meaning.
macro_rules! storage {
    ($addr:expr, $name:expr, $reset:expr) => {
        reg($addr, $name, &[Field::rw("unmodelled", 0xffff, $reset)])
    };
}

const IRQ_FIELDS_RW: &[Field] = &[
    Field::rw("jabber", irq::JABBER, 0),
    Field::rw("aldps_state_change", irq::ALDPS, 0),
    Field::rw("pme", irq::PME, 0),
    Field::rw("phy_register_accessible", irq::REG_ACCESSIBLE, 0),
    Field::rw("link_status_change", irq::LINK_STATUS, 0),
    Field::rw("an_complete", irq::AN_COMPLETE, 0),
    Field::rw("page_received", irq::PAGE_RECEIVED, 0),
    Field::rw("an_error", irq::AN_ERROR, 0),
];

const IRQ_FIELDS_RC: &[Field] = &[
    Field::rc("jabber", irq::JABBER),
    Field::rc("aldps_state_change", irq::ALDPS),
    Field::rc("pme", irq::PME),
    Field::rc("phy_register_accessible", irq::REG_ACCESSIBLE),
    Field::rc("link_status_change", irq::LINK_STATUS),
    Field::rc("an_complete", irq::AN_COMPLETE),
    Field::rc("page_received", irq::PAGE_RECEIVED),
    Field::rc("an_error", irq::AN_ERROR),
];

pub static MAP: &[RegDef<Hook>] = &[
    // ---- IEEE registers 0-15, outside paging ----
    RegDef {
        addr: BMCR,
        name: "Basic Mode Control (BMCR)",
        hook: Some(Hook::Control),
        fields: c22::BMCR_FIELDS,
    },
    reg(
        BMSR,
        "Basic Mode Status (BMSR)",
        &c22::bmsr(c22::bmsr::T4 | c22::bmsr::T2, Access::Lh),
    ),
    reg(
        RegAddr::global(c22::PHYID1),
        "PHY Identifier 1",
        &[Field::ro("oui_msb", 0xffff, 0x001c)],
    ),
    reg(
        RegAddr::global(c22::PHYID2),
        "PHY Identifier 2",
        &[Field::ro("oui_lsb_model_revision", 0xffff, 0xc916)],
    ),
    reg(
        ADVERTISE,
        "Auto-Negotiation Advertisement (ANAR)",
        // Resets to 0x0de1: pause and asymmetric pause advertised from power-on.
        &c22::concat::<7>(&c22::anar(adv::PAUSE | adv::ASYM_DIR), &[c22::ANAR_ACK]),
    ),
    reg(
        LPA,
        "Auto-Negotiation Link Partner Ability (ANLPAR)",
        c22::ANLPAR_FIELDS,
    ),
    reg(
        EXPANSION,
        "Auto-Negotiation Expansion (ANER)",
        &c22::aner(Access::Lh),
    ),
    reg(
        RegAddr::global(c22::NPTX),
        "Next Page Transmit (ANNPTR)",
        c22::NPTX_STORAGE_FIELDS,
    ),
    reg(ANNPRR, "Link Partner Next Page (ANNPRR)", c22::LPNP_FIELDS),
    reg(
        CTRL1000,
        "1000BASE-T Control (GBCR)",
        // No 1000BASE-T half duplex: bit 8 is reserved.
        &c22::ctrl1000_full(),
    ),
    reg(STAT1000, "1000BASE-T Status (GBSR)", c22::STAT1000_FIELDS),
    reg(
        MMD_CONTROL,
        "MMD Access Control (MACR)",
        c22::MMD_CTRL_FIELDS,
    ),
    RegDef {
        addr: RegAddr::global(c22::MMD_DATA),
        name: "MMD Access Address/Data (MAADR)",
        hook: Some(Hook::MmdData),
        fields: c22::MMD_DATA_FIELDS,
    },
    reg(
        RegAddr::global(c22::ESTATUS),
        "1000BASE-T Extended Status (GBESR)",
        &c22::estatus(false),
    ),
    reg(
        RegAddr::global(PAGE_SELECT),
        "Page Select (PAGSR)",
        &[Field::rw("page", 0x0fff, 0)],
    ),
    // ---- Page 0xa42 (registers 16-23 of the default page) ----
    reg(INER, "Interrupt Enable (INER)", IRQ_FIELDS_RW),
    // ---- Page 0xa43 (registers 24-30 of the default page) ----
    reg(
        PHYCR1,
        "PHY Specific Control 1 (PHYCR1)",
        &[
            Field::rw("aldps_xtal_off", 0x1000, 0),
            Field::rw("aldps_enable", 0x0004, 0),
            Field::rw("aldps_pll_off", 0x0002, 0),
            Field::rw("unmodelled", 0xeff9, 0x0000),
        ],
    ),
    reg(
        PHYCR2,
        "PHY Specific Control 2 (PHYCR2)",
        &[
            Field::rw("clkout_ssc_capability", 0x3000, 0),
            Field::rw("clkout_ssc_enable", 0x0080, 0),
            Field::rw("phy_eee_enable", 0x0020, 0x0020),
            Field::rw("sysclk_ssc_enable", 0x0008, 0),
            Field::rw("clkout_enable", 0x0001, 0x0001),
            Field::rw("unmodelled", 0xcf56, 0),
        ],
    ),
    reg(
        PHYSR,
        "PHY Specific Status (PHYSR)",
        &[
            Field::ro("master", physr::MASTER, 0),
            Field::ro("speed", physr::SPEED, 0),
            Field::ro("duplex", physr::DUPLEX, 0),
            Field::ro("link", physr::LINK, 0),
        ],
    ),
    reg(INSR, "Interrupt Status (INSR)", IRQ_FIELDS_RC),
    // ---- Page 0xd04: LEDs ----
    storage!(LEDCR, "LED Control (LCR)", 0x617f),
    // ---- Page 0xd08: RGMII delays (pin-strapped) ----
    reg(
        TXCR,
        "RGMII TX Delay Control",
        &[
            Field::rw("tx_delay", 0x0100, 0),
            Field::rw("unmodelled", 0xfeff, 0),
        ],
    ),
    reg(
        RXCR,
        "RGMII RX Delay Control",
        &[
            Field::rw("rx_delay", 0x0008, 0x0008),
            Field::rw("unmodelled", 0xfff7, 0),
        ],
    ),
    // ---- Page 0xd8a / 0xd8c: wake on LAN ----
    storage!(WOL_EVENTS, "WOL Event Select", 0),
    storage!(WOL_RST_RMSQ, "WOL Reset / Max Packet Length", 0x9fff),
    storage!(RegAddr::new(PAGE_WOL_ADDR, 0x10), "WOL MAC Address 15:0", 0),
    storage!(
        RegAddr::new(PAGE_WOL_ADDR, 0x11),
        "WOL MAC Address 31:16",
        0
    ),
    storage!(
        RegAddr::new(PAGE_WOL_ADDR, 0x12),
        "WOL MAC Address 47:32",
        0
    ),
    // ---- Pages 0xc44 / 0xd09: spread spectrum clocking (EMI application note) ----
    storage!(RegAddr::new(PAGE_SSC, 0x13), "RXC SSC", 0),
    storage!(RegAddr::new(PAGE_SSC, 0x17), "SYSCLK SSC", 0),
    storage!(RegAddr::new(PAGE_CLKOUT_SSC, 0x10), "CLKOUT SSC", 0),
];

/// MMD registers reached through 13/14 (Energy Efficient Ethernet).
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
