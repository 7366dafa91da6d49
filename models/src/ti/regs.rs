//! The DP83867 register map: every register the model answers, with its fields' access types
//! and reset values. Bit layouts follow the DP83867IR/CR datasheet register descriptions and
//! the definitions drivers/net/phy/dp83867.c uses. Fields named after a function the model
//! does not implement are stored as written and have no effect. Reset values not checked
//! against a datasheet are marked `*` in models/README.md.

use crate::c22;
use crate::regfile::{Access, Field, RegAddr, RegDef};

/// Side effects the model applies after a guest write to the register.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Hook {
    /// 0x00 BMCR: reset, power down, restart autonegotiation, speed/duplex/AN enable.
    Bmcr,
    /// 0x0e ADDAR: the extended (MMD) data goes to or comes from the MMD register file.
    MmdData,
    /// 0x1f CTRL: global software reset and software restart.
    Ctrl,
}

/// The part has no register pages: every Clause 22 register is on page 0.
pub const fn page0(reg: u8) -> RegAddr {
    RegAddr::page(0, reg)
}

pub const BMCR: RegAddr = page0(c22::BMCR);
pub const BMSR: RegAddr = page0(c22::BMSR);
pub const PHYIDR2: RegAddr = page0(c22::PHYID2);
pub const ANAR: RegAddr = page0(c22::ANAR);
pub const ANLPAR: RegAddr = page0(c22::ANLPAR);
pub const ANER: RegAddr = page0(c22::ANER);
pub const ANNPRR: RegAddr = page0(c22::LPNP);
pub const CFG1: RegAddr = page0(c22::CTRL1000);
pub const STS1: RegAddr = page0(c22::STAT1000);
pub const REGCR: RegAddr = page0(c22::MMD_CTRL);
pub const PHYCR: RegAddr = page0(0x10);
pub const PHYSTS: RegAddr = page0(0x11);
pub const MICR: RegAddr = page0(0x12);
pub const ISR: RegAddr = page0(0x13);
pub const CFG2: RegAddr = page0(0x14);
pub const STS2: RegAddr = page0(0x17);
pub const CFG3: RegAddr = page0(0x1e);
pub const CTRL: RegAddr = page0(0x1f);

/// The vendor-specific extended registers sit in MMD device 0x1f.
pub const DEVAD_EXT: u16 = 0x1f;
pub const PCS_STATUS1: RegAddr = RegAddr::new(3, 1);
pub const EEE_ADV: RegAddr = RegAddr::new(7, 60);
pub const EEE_LP_ABILITY: RegAddr = RegAddr::new(7, 61);
/// The EEE modes of 3.20 and 7.60/7.61: 100BASE-TX and 1000BASE-T.
pub const EEE_MODES: u16 = c22::EEE_MODES;

/// PHYSTS (0x11), real time.
pub mod physts {
    pub const SPEED_1000: u16 = 0x8000;
    pub const SPEED_100: u16 = 0x4000;
    pub const SPEED: u16 = 0xc000;
    pub const DUPLEX: u16 = 0x2000;
    pub const PAGE_RECEIVED: u16 = 0x1000;
    pub const RESOLVED: u16 = 0x0800;
    pub const LINK: u16 = 0x0400;
    /// MDI-X on pairs C/D and A/B.
    pub const MDIX: u16 = 0x0300;
    /// Speed optimisation (downshift) happened.
    pub const SPEED_OPT: u16 = 0x0080;
}

/// MICR (0x12) enables and ISR (0x13) events share the layout.
pub mod irq {
    pub const AN_ERROR: u16 = 0x8000;
    pub const SPEED_CHANGED: u16 = 0x4000;
    pub const DUPLEX_CHANGED: u16 = 0x2000;
    pub const PAGE_RECEIVED: u16 = 0x1000;
    pub const AN_COMPLETE: u16 = 0x0800;
    pub const LINK_CHANGED: u16 = 0x0400;
    pub const MDI_CROSSOVER_CHANGED: u16 = 0x0040;
    /// Every implemented bit (bits 9, 7 and 5 are reserved).
    pub const ALL: u16 = 0xfd5f;
}

/// PHYCR (0x10).
pub mod phycr {
    pub const MDI_CROSSOVER: u16 = 0x0060;
    pub const MDI_MANUAL_MDIX: u16 = 0x0020;
}

/// CFG2 (0x14): speed optimisation (downshift).
pub mod cfg2 {
    pub const SPEED_OPT_ENABLE: u16 = 0x0200;
    pub const SPEED_OPT_ATTEMPTS: u16 = 0x0c00;
}

/// CFG3 (0x1e).
pub mod cfg3 {
    /// INTN/PWDNN is the interrupt output (otherwise the power-down input).
    pub const INT_OE: u16 = 0x0080;
}

/// CTRL (0x1f).
pub mod ctrl {
    pub const SW_RESET: u16 = 0x8000;
    pub const SW_RESTART: u16 = 0x4000;
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
        // The register description lists remote fault as plain read-only.
        fields: &c22::bmsr(
            c22::bmsr::T4 | c22::bmsr::T2 | c22::bmsr::UNIDIRECTIONAL,
            Access::Ro,
        ),
    },
    RegDef {
        addr: page0(c22::PHYID1),
        name: "PHYIDR1",
        hook: None,
        fields: &[Field::ro("oui_msb", 0xffff, 0x2000)],
    },
    RegDef {
        addr: PHYIDR2,
        name: "PHYIDR2",
        hook: None,
        fields: &[Field::ro("oui_lsb_model_rev", 0xffff, 0xa231)],
    },
    RegDef {
        addr: ANAR,
        name: "ANAR",
        hook: None,
        fields: &c22::anar(0),
    },
    RegDef {
        addr: ANLPAR,
        name: "ANLPAR",
        hook: None,
        fields: c22::ANLPAR_FIELDS,
    },
    RegDef {
        addr: ANER,
        name: "ANER",
        hook: None,
        // Parallel detection fault plain read-only, and the next page location bits 6:5 of
        // the DP83867's ANER (next pages stored in ANNPRR).
        fields: &c22::concat::<6>(
            &c22::aner(Access::Ro),
            &[Field::ro("np_location", 0x0060, 0x0060)],
        ),
    },
    RegDef {
        addr: page0(c22::NPTX),
        name: "ANNPTR",
        hook: None,
        fields: c22::NPTX_FIELDS,
    },
    RegDef {
        addr: ANNPRR,
        name: "ANNPRR",
        hook: None,
        fields: c22::LPNP_FIELDS,
    },
    RegDef {
        addr: CFG1,
        name: "CFG1 (1000BASE-T control)",
        hook: None,
        fields: &c22::ctrl1000(c22::ctrl1000::ADV_1000_HALF),
    },
    RegDef {
        addr: STS1,
        name: "STS1 (1000BASE-T status)",
        hook: None,
        fields: c22::STAT1000_FIELDS,
    },
    RegDef {
        addr: REGCR,
        name: "REGCR",
        hook: None,
        fields: c22::MMD_CTRL_FIELDS,
    },
    RegDef {
        addr: page0(c22::MMD_DATA),
        name: "ADDAR",
        hook: Some(Hook::MmdData),
        fields: c22::MMD_DATA_FIELDS,
    },
    RegDef {
        addr: page0(c22::ESTATUS),
        name: "1KSCR",
        hook: None,
        fields: &c22::estatus(true),
    },
    RegDef {
        addr: PHYCR,
        name: "PHYCR",
        hook: None,
        fields: &[
            Field::rw("tx_fifo_depth", 0xc000, 0x4000),
            Field::rw("rx_fifo_depth", 0x3000, 0x1000),
            Field::rw("sgmii_enable", 0x0800, 0),
            Field::rw("force_link_good", 0x0400, 0),
            Field::rw("power_save_mode", 0x0300, 0),
            Field::rw("deep_power_down_enable", 0x0080, 0),
            Field::rw("mdi_crossover", 0x0060, 0x0040),
            Field::rw("disable_clk_125", 0x0010, 0),
            Field::rw("reserved_3", 0x0008, 0x0008),
            Field::rw("line_driver_inv", 0x0002, 0),
            Field::rw("disable_jabber", 0x0001, 0),
        ],
    },
    RegDef {
        addr: PHYSTS,
        name: "PHYSTS",
        hook: None,
        fields: &[Field::ro("status", 0xffff, 0)],
    },
    RegDef {
        addr: MICR,
        name: "MICR",
        hook: None,
        fields: &[Field::rw("enable", irq::ALL, 0)],
    },
    RegDef {
        addr: ISR,
        name: "ISR",
        hook: None,
        fields: &[Field::rc("status", irq::ALL)],
    },
    RegDef {
        addr: CFG2,
        name: "CFG2",
        hook: None,
        fields: &[Field::rw("config", 0x7fff, 0x29c7)],
    },
    RegDef {
        addr: page0(0x15),
        name: "RECR",
        hook: None,
        fields: &[Field::rc("rx_errors", 0xffff)],
    },
    RegDef {
        addr: page0(0x16),
        name: "BISCR",
        hook: None,
        fields: &[Field::rw("bist_loopback", 0xffff, 0)],
    },
    RegDef {
        addr: STS2,
        name: "STS2",
        hook: None,
        fields: &[Field::ro("status", 0xffff, 0)],
    },
    RegDef {
        addr: page0(0x18),
        name: "LEDCR1",
        hook: None,
        fields: &[Field::rw("led_sel", 0xffff, 0x5160)],
    },
    RegDef {
        addr: page0(0x19),
        name: "LEDCR2",
        hook: None,
        fields: &[Field::rw("polarity_drv", 0x7777, 0x4444)],
    },
    RegDef {
        addr: page0(0x1a),
        name: "LEDCR3",
        hook: None,
        fields: &[Field::rw("blink_rate", 0x0007, 0x0002)],
    },
    RegDef {
        addr: CFG3,
        name: "CFG3",
        hook: None,
        fields: &[Field::rw("config", 0xffff, 0x0002)],
    },
    RegDef {
        addr: CTRL,
        name: "CTRL",
        hook: Some(Hook::Ctrl),
        fields: &[
            Field::sc("sw_reset", ctrl::SW_RESET),
            Field::sc("sw_restart", ctrl::SW_RESTART),
        ],
    },
];

const fn ext(reg: u16) -> RegAddr {
    RegAddr::new(DEVAD_EXT, reg)
}

/// The MMD registers reached through REGCR/ADDAR: the extended registers (device 0x1f) and
/// the PCS / EEE registers phylib and phylink read (devices 3 and 7).
pub static MMD_MAP: &[RegDef<()>] = &[
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
        addr: ext(0x2e),
        name: "FLD_THR_CFG",
        hook: None,
        fields: &[Field::rw("energy_lost_thr", 0x0007, 0x0001)],
    },
    RegDef {
        addr: ext(0x31),
        name: "CFG4",
        hook: None,
        fields: &[Field::rw("config", 0xffff, 0x0030)],
    },
    RegDef {
        addr: ext(0x32),
        name: "RGMIICTL",
        hook: None,
        fields: &[Field::rw("config", 0x00fb, 0x00d3)],
    },
    RegDef {
        addr: ext(0x33),
        name: "RGMIICTL2",
        hook: None,
        fields: &[Field::rw("config", 0x0010, 0)],
    },
    RegDef {
        addr: ext(0x6e),
        name: "STRAP_STS1",
        hook: None,
        fields: &[Field::ro("straps", 0xffff, 0)],
    },
    RegDef {
        addr: ext(0x6f),
        name: "STRAP_STS2",
        hook: None,
        fields: &[Field::ro("straps", 0xffff, 0)],
    },
    RegDef {
        addr: ext(0x86),
        name: "RGMIIDCTL",
        hook: None,
        fields: &[Field::rw("delays", 0x00ff, 0x0077)],
    },
    RegDef {
        addr: ext(0xd3),
        name: "SGMIICTL",
        hook: None,
        fields: &[Field::rw("config", 0xffff, 0)],
    },
    RegDef {
        addr: ext(0x12c),
        name: "DSP_FFE_CFG",
        hook: None,
        fields: &[Field::rw("config", 0xffff, 0)],
    },
    RegDef {
        addr: ext(0x134),
        name: "RXFCFG",
        hook: None,
        fields: &[Field::rw("wol_config", 0xffff, 0x1081)],
    },
    RegDef {
        addr: ext(0x136),
        name: "RXFPMD1",
        hook: None,
        fields: &[Field::rw("mac", 0xffff, 0)],
    },
    RegDef {
        addr: ext(0x137),
        name: "RXFPMD2",
        hook: None,
        fields: &[Field::rw("mac", 0xffff, 0)],
    },
    RegDef {
        addr: ext(0x138),
        name: "RXFPMD3",
        hook: None,
        fields: &[Field::rw("mac", 0xffff, 0)],
    },
    RegDef {
        addr: ext(0x139),
        name: "RXFSOP1",
        hook: None,
        fields: &[Field::rw("secureon", 0xffff, 0)],
    },
    RegDef {
        addr: ext(0x13a),
        name: "RXFSOP2",
        hook: None,
        fields: &[Field::rw("secureon", 0xffff, 0)],
    },
    RegDef {
        addr: ext(0x13b),
        name: "RXFSOP3",
        hook: None,
        fields: &[Field::rw("secureon", 0xffff, 0)],
    },
    RegDef {
        addr: ext(0x16f),
        name: "10M_SGMII_CFG",
        hook: None,
        fields: &[Field::rw("config", 0xffff, 0x0080)],
    },
    RegDef {
        addr: ext(0x170),
        name: "IO_MUX_CFG",
        hook: None,
        fields: &[Field::rw("config", 0x1f7f, 0x0c10)],
    },
];
