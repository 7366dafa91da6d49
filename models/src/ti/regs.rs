//! The DP83867 register map: every register the model answers, with its fields' access types
//! and reset values. Bit layouts follow the DP83867IR/CR datasheet register descriptions and
//! the definitions drivers/net/phy/dp83867.c uses. Fields named after a function the model
//! does not implement are stored as written and have no effect. Reset values not checked
//! against a datasheet are marked `*` in models/README.md.

use crate::regfile::{Field, RegAddr, RegDef};

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

const fn c22(reg: u8) -> RegAddr {
    RegAddr::page(0, reg)
}

pub const BMCR: RegAddr = c22(0x00);
pub const BMSR: RegAddr = c22(0x01);
pub const PHYIDR2: RegAddr = c22(0x03);
pub const ANAR: RegAddr = c22(0x04);
pub const ANLPAR: RegAddr = c22(0x05);
pub const ANER: RegAddr = c22(0x06);
pub const ANNPRR: RegAddr = c22(0x08);
pub const CFG1: RegAddr = c22(0x09);
pub const STS1: RegAddr = c22(0x0a);
pub const REGCR: RegAddr = c22(0x0d);
pub const PHYCR: RegAddr = c22(0x10);
pub const PHYSTS: RegAddr = c22(0x11);
pub const MICR: RegAddr = c22(0x12);
pub const ISR: RegAddr = c22(0x13);
pub const CFG2: RegAddr = c22(0x14);
pub const STS2: RegAddr = c22(0x17);
pub const CFG3: RegAddr = c22(0x1e);
pub const CTRL: RegAddr = c22(0x1f);

/// The vendor-specific extended registers sit in MMD device 0x1f.
pub const DEVAD_EXT: u16 = 0x1f;
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
        addr: ANLPAR,
        name: "ANLPAR",
        hook: None,
        fields: &[Field::ro("base_page", 0xffff, 0)],
    },
    RegDef {
        addr: ANER,
        name: "ANER",
        hook: None,
        fields: &[
            Field::ro("np_location", 0x0060, 0x0060),
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
        addr: ANNPRR,
        name: "ANNPRR",
        hook: None,
        fields: &[Field::ro("next_page", 0xffff, 0)],
    },
    RegDef {
        addr: CFG1,
        name: "CFG1 (1000BASE-T control)",
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
        addr: STS1,
        name: "STS1 (1000BASE-T status)",
        hook: None,
        fields: &[
            Field::lh("ms_fault", 0x8000),
            Field::ro("ms_resolution_receivers_lp", 0x7c00, 0),
            Field::rc("idle_errors", 0x00ff),
        ],
    },
    RegDef {
        addr: REGCR,
        name: "REGCR",
        hook: None,
        fields: &[
            Field::rw("function", 0xc000, 0),
            Field::rw("devad", 0x001f, 0),
        ],
    },
    RegDef {
        addr: c22(0x0e),
        name: "ADDAR",
        hook: Some(Hook::MmdData),
        fields: &[Field::rw("address_data", 0xffff, 0)],
    },
    RegDef {
        addr: c22(0x0f),
        name: "1KSCR",
        hook: None,
        fields: &[Field::ro("abilities", 0xf000, 0x3000)],
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
        addr: c22(0x15),
        name: "RECR",
        hook: None,
        fields: &[Field::rc("rx_errors", 0xffff)],
    },
    RegDef {
        addr: c22(0x16),
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
        addr: c22(0x18),
        name: "LEDCR1",
        hook: None,
        fields: &[Field::rw("led_sel", 0xffff, 0x5160)],
    },
    RegDef {
        addr: c22(0x19),
        name: "LEDCR2",
        hook: None,
        fields: &[Field::rw("polarity_drv", 0x7777, 0x4444)],
    },
    RegDef {
        addr: c22(0x1a),
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
