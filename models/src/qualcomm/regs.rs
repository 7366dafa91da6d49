//! The AR8035 register map: every register the model answers, with its fields' access types
//! and reset values. Bit layouts follow the definitions drivers/net/phy/qcom/qcom.h and
//! at803x.c use (the AR803x copper registers share the layout of the IEEE registers and of
//! the Marvell-style vendor registers 0x10-0x14). Fields named after a function the model
//! does not implement are stored as written and have no effect. Reset values not checked
//! against a datasheet are marked `*` in models/README.md.

use crate::c22::{self, adv};
use crate::regfile::{Access, Field, RegAddr, RegDef};

/// Side effects the model applies after a guest write to the register.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Hook {
    /// 0x00 BMCR: reset, power down, restart autonegotiation, speed/duplex/AN enable.
    Bmcr,
    /// 0x0e: MMD address/data through 0x0d.
    MmdData,
    /// 0x16 CDT control: cable diagnostic test start.
    Cdt,
    /// 0x1e: debug register data through the debug port address 0x1d.
    DebugData,
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
pub const LPNP: RegAddr = page0(c22::LPNP);
pub const CTRL1000: RegAddr = page0(c22::CTRL1000);
pub const STAT1000: RegAddr = page0(c22::STAT1000);
pub const MMD_CTRL: RegAddr = page0(c22::MMD_CTRL);
pub const SFC: RegAddr = page0(0x10);
pub const PSSR: RegAddr = page0(0x11);
pub const INT_ENABLE: RegAddr = page0(0x12);
pub const INT_STATUS: RegAddr = page0(0x13);
pub const SMART_SPEED: RegAddr = page0(0x14);
pub const CDT: RegAddr = page0(0x16);
pub const CDT_STATUS: RegAddr = page0(0x1c);
pub const DEBUG_ADDR: RegAddr = page0(0x1d);

/// PHY-specific status (0x11), real time.
pub mod pssr {
    pub const SPEED_1000: u16 = 0x8000;
    pub const SPEED_100: u16 = 0x4000;
    pub const SPEED: u16 = 0xc000;
    pub const DUPLEX: u16 = 0x2000;
    pub const PAGE_RECEIVED: u16 = 0x1000;
    pub const RESOLVED: u16 = 0x0800;
    pub const LINK: u16 = 0x0400;
    /// MR_AN_COMPLETE (at803x.c AT803X_PSSR_MR_AN_COMPLETE).
    pub const AN_COMPLETE: u16 = 0x0200;
    pub const MDIX: u16 = 0x0040;
    /// SmartSpeed downgraded the link.
    pub const DOWNGRADE: u16 = 0x0020;
    pub const TX_PAUSE: u16 = 0x0008;
    pub const RX_PAUSE: u16 = 0x0004;
}

/// Interrupt enable (0x12) and status (0x13) share the layout.
pub mod irq {
    pub const AN_ERROR: u16 = 0x8000;
    pub const SPEED_CHANGED: u16 = 0x4000;
    pub const DUPLEX_CHANGED: u16 = 0x2000;
    pub const PAGE_RECEIVED: u16 = 0x1000;
    pub const LINK_FAIL: u16 = 0x0800;
    pub const LINK_SUCCESS: u16 = 0x0400;
    pub const WIRESPEED_DOWNGRADE: u16 = 0x0020;
    /// Every implemented bit: also link fail / success BX (8, 7), polarity changed (1) and
    /// WOL (0), which the model never raises.
    pub const ALL: u16 = 0xfda3;
}

/// Function control (0x10).
pub mod sfc {
    pub const MDI_CROSSOVER: u16 = 0x0060;
    pub const MANUAL_MDIX: u16 = 0x0020;
}

/// SmartSpeed (0x14): downshift.
pub mod smart_speed {
    pub const ENABLE: u16 = 0x0020;
    pub const RETRY_LIMIT: u16 = 0x001c;
}

/// CDT control (0x16) and status (0x1c).
pub mod cdt {
    pub const ENABLE: u16 = 0x0001;
    pub const PAIR: u16 = 0x0300;
    pub const STATUS: u16 = 0x0300;
    pub const DELTA_TIME: u16 = 0x00ff;
    pub const STAT_NORMAL: u16 = 0;
    pub const STAT_SHORT: u16 = 1;
    pub const STAT_OPEN: u16 = 2;
}

/// Debug registers behind 0x1d/0x1e.
pub mod debug {
    pub const ANALOG_TEST_CTRL: u16 = 0x00;
    pub const RX_CLK_DLY_EN: u16 = 0x8000;
    pub const SYSTEM_CTRL_MODE: u16 = 0x05;
    pub const HIB_CTRL: u16 = 0x0b;
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
        // Remote fault plain read-only, as qcom.h's register layout has it.
        fields: &c22::bmsr(
            c22::bmsr::T4 | c22::bmsr::T2 | c22::bmsr::UNIDIRECTIONAL,
            Access::Ro,
        ),
    },
    RegDef {
        addr: page0(c22::PHYID1),
        name: "PHYIDR1",
        hook: None,
        fields: &[Field::ro("oui_msb", 0xffff, 0x004d)],
    },
    RegDef {
        addr: PHYIDR2,
        name: "PHYIDR2",
        hook: None,
        fields: &[Field::ro("oui_lsb_model_rev", 0xffff, 0xd072)],
    },
    RegDef {
        addr: ANAR,
        name: "ANAR",
        hook: None,
        // Resets to 0x1de1: pause, asymmetric pause and extended next page set at power-on.
        fields: &c22::concat::<7>(
            &c22::anar(adv::PAUSE | adv::ASYM_DIR),
            &[Field::rw("xnp", adv::XNP, adv::XNP)],
        ),
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
        fields: &c22::aner(Access::Ro),
    },
    RegDef {
        addr: page0(c22::NPTX),
        name: "NPTX",
        hook: None,
        fields: c22::NPTX_FIELDS,
    },
    RegDef {
        addr: LPNP,
        name: "LPNP",
        hook: None,
        fields: c22::LPNP_FIELDS,
    },
    RegDef {
        addr: CTRL1000,
        name: "CTRL1000",
        hook: None,
        // No 1000BASE-T half duplex (ESTATUS): bit 8 is storage, clear at reset.
        fields: &c22::ctrl1000(0),
    },
    RegDef {
        addr: STAT1000,
        name: "STAT1000",
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
        name: "MMD address/data",
        hook: Some(Hook::MmdData),
        fields: c22::MMD_DATA_FIELDS,
    },
    RegDef {
        addr: page0(c22::ESTATUS),
        name: "ESTATUS",
        hook: None,
        fields: &c22::estatus(false),
    },
    RegDef {
        addr: SFC,
        name: "Function control",
        hook: None,
        fields: &[
            Field::rw("reserved_15_12", 0xf000, 0),
            Field::rw("assert_crs_on_tx", 0x0800, 0x0800),
            Field::rw("force_link", 0x0400, 0),
            Field::rw("reserved_9_7", 0x0380, 0),
            Field::rw("mdi_crossover", 0x0060, 0x0060),
            Field::rw("reserved_4_3", 0x0018, 0),
            Field::rw("sqe_test", 0x0004, 0),
            Field::rw("polarity_reversal", 0x0002, 0x0002),
            Field::rw("disable_jabber", 0x0001, 0),
        ],
    },
    RegDef {
        addr: PSSR,
        name: "PHY-specific status",
        hook: None,
        fields: &[Field::ro("status", 0xffff, 0)],
    },
    RegDef {
        addr: INT_ENABLE,
        name: "Interrupt enable",
        hook: None,
        fields: &[Field::rw("enable", irq::ALL, 0)],
    },
    RegDef {
        addr: INT_STATUS,
        name: "Interrupt status",
        hook: None,
        fields: &[Field::rc("status", irq::ALL)],
    },
    RegDef {
        addr: SMART_SPEED,
        name: "SmartSpeed",
        hook: None,
        fields: &[
            Field::rw("reserved_15_6", 0xffc0, 0x0800),
            Field::rw("enable", smart_speed::ENABLE, 0x0020),
            Field::rw("retry_limit", smart_speed::RETRY_LIMIT, 0x000c),
            Field::rw("bypass_timer", 0x0002, 0),
            Field::rw("reserved_0", 0x0001, 0),
        ],
    },
    RegDef {
        addr: CDT,
        name: "CDT control",
        hook: Some(Hook::Cdt),
        fields: &[
            Field::rw("mdi_pair", cdt::PAIR, 0),
            Field::sc("enable_test", cdt::ENABLE),
        ],
    },
    RegDef {
        addr: CDT_STATUS,
        name: "CDT status",
        hook: None,
        fields: &[
            Field::ro("status", cdt::STATUS, 0),
            Field::ro("delta_time", cdt::DELTA_TIME, 0),
        ],
    },
    RegDef {
        addr: DEBUG_ADDR,
        name: "Debug port address",
        hook: None,
        fields: &[Field::rw("address", 0xffff, 0)],
    },
    RegDef {
        addr: page0(0x1e),
        name: "Debug port data",
        hook: Some(Hook::DebugData),
        fields: &[Field::rw("data", 0xffff, 0)],
    },
];

const fn dbg(reg: u16) -> RegAddr {
    RegAddr::new(0, reg)
}

/// The debug registers reached through 0x1d/0x1e.
pub static DEBUG_MAP: &[RegDef<()>] = &[
    RegDef {
        addr: dbg(debug::ANALOG_TEST_CTRL),
        name: "Analog test control",
        hook: None,
        fields: &[
            Field::rw("rx_clk_dly_en", debug::RX_CLK_DLY_EN, debug::RX_CLK_DLY_EN),
            Field::rw("other", 0x7fff, 0x02ee),
        ],
    },
    RegDef {
        addr: dbg(debug::SYSTEM_CTRL_MODE),
        name: "System control mode",
        hook: None,
        fields: &[
            Field::rw("tx_clk_dly_en", 0x0100, 0),
            Field::rw("other", 0xfeff, 0x2c47),
        ],
    },
    RegDef {
        addr: dbg(debug::HIB_CTRL),
        name: "Hibernation control",
        hook: None,
        fields: &[
            Field::rw("ps_hib_en", 0x8000, 0x8000),
            Field::rw("other", 0x7fff, 0x3c20),
        ],
    },
];

pub const MMD_PCS_STATUS1: RegAddr = RegAddr::new(3, 1);
pub const MMD_EEE_ADV: RegAddr = RegAddr::new(7, 60);
pub const MMD_EEE_LP: RegAddr = RegAddr::new(7, 61);
/// The EEE modes of 3.20 and 7.60/7.61: 100BASE-TX and 1000BASE-T.
pub const EEE_MODES: u16 = 0x0006;

/// The MMD registers reached through 0x0d/0x0e.
pub static MMD_MAP: &[RegDef<()>] = &[
    RegDef {
        addr: RegAddr::new(3, 0),
        name: "PCS control 1",
        hook: None,
        fields: &[Field::rw("clock_stop_enable", 0x0400, 0)],
    },
    RegDef {
        addr: MMD_PCS_STATUS1,
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
        addr: RegAddr::new(3, 0x804a),
        name: "WOL MAC address 47:32",
        hook: None,
        fields: &[Field::rw("mac", 0xffff, 0)],
    },
    RegDef {
        addr: RegAddr::new(3, 0x804b),
        name: "WOL MAC address 31:16",
        hook: None,
        fields: &[Field::rw("mac", 0xffff, 0)],
    },
    RegDef {
        addr: RegAddr::new(3, 0x804c),
        name: "WOL MAC address 15:0",
        hook: None,
        fields: &[Field::rw("mac", 0xffff, 0)],
    },
    RegDef {
        addr: RegAddr::new(3, 0x805b),
        name: "SmartEEE control 1",
        hook: None,
        fields: &[
            Field::rw("lpi_tw_1g", 0xff00, 0x1700),
            Field::rw("lpi_tw_100m", 0x00ff, 0x0017),
        ],
    },
    RegDef {
        addr: RegAddr::new(3, 0x805c),
        name: "SmartEEE control 2",
        hook: None,
        fields: &[Field::rw("lpi_timer_15_0", 0xffff, 0)],
    },
    RegDef {
        addr: RegAddr::new(3, 0x805d),
        name: "SmartEEE control 3",
        hook: None,
        fields: &[
            Field::rw("other", 0xfe00, 0),
            Field::rw("lpi_en", 0x0100, 0x0100),
            Field::rw("lpi_timer_23_16", 0x00ff, 0),
        ],
    },
    RegDef {
        addr: MMD_EEE_ADV,
        name: "EEE advertisement",
        hook: None,
        fields: &[Field::rw("eee_adv", EEE_MODES, EEE_MODES)],
    },
    RegDef {
        addr: MMD_EEE_LP,
        name: "EEE LP ability",
        hook: None,
        fields: &[Field::ro("eee_lp", 0xffff, 0)],
    },
    RegDef {
        addr: RegAddr::new(7, 0x8016),
        name: "CLK_25M select",
        hook: None,
        fields: &[
            Field::rw("other", 0xfe00, 0),
            Field::rw("strength", 0x0180, 0),
            Field::rw("other_6_5", 0x0060, 0),
            Field::rw("select", 0x0018, 0),
            Field::rw("other_2_0", 0x0007, 0),
        ],
    },
];
