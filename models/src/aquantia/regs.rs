//! The AQR113C register map: Clause 45 MMDs 1 (PMA/PMD), 3 (PCS), 4 (PHY XS), 7 (AN),
//! 29 (Clause 22 extension: the SGMII counters), 30 (vendor 1, "global") and 31 (vendor 2),
//! as far as drivers/net/phy/aquantia/ and phylib's Clause 45 helpers reach them. Addresses
//! are `RegAddr::new(devad, reg)`.

use crate::regfile::{Field, RegAddr, RegDef};

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Hook {
    /// 1.0: reset, low power, forced speed.
    Pma,
    /// 1.9: PMD transmit disable.
    TxDis,
    /// 3.0: PCS reset.
    Pcs,
    /// 7.0: AN reset, enable, restart.
    An,
    /// 30.0: global soft reset and low power.
    Global,
}

pub const PMA: u16 = 1;
pub const PCS: u16 = 3;
pub const PHYXS: u16 = 4;
pub const AN: u16 = 7;
pub const C22EXT: u16 = 29;
pub const VEND1: u16 = 30;
pub const VEND2: u16 = 31;

const fn r(devad: u16, reg: u16) -> RegAddr {
    RegAddr::new(devad, reg)
}

pub const PMA_CTRL1: RegAddr = r(PMA, 0);
pub const PMA_STAT1: RegAddr = r(PMA, 1);
pub const PMA_CTRL2: RegAddr = r(PMA, 7);
pub const PMA_TXDIS: RegAddr = r(PMA, 9);
pub const PCS_CTRL1: RegAddr = r(PCS, 0);
pub const PCS_STAT1: RegAddr = r(PCS, 1);
pub const PHYXS_STAT1: RegAddr = r(PHYXS, 1);
pub const PHYXS_IF_STATUS: RegAddr = r(PHYXS, 0xe812);
pub const AN_CTRL1: RegAddr = r(AN, 0);
pub const AN_STAT1: RegAddr = r(AN, 1);
pub const AN_ADVERTISE: RegAddr = r(AN, 16);
pub const AN_LPA: RegAddr = r(AN, 19);
pub const AN_10GBT_CTRL: RegAddr = r(AN, 32);
pub const AN_10GBT_STAT: RegAddr = r(AN, 33);
pub const AN_VEND_PROV: RegAddr = r(AN, 0xc400);
pub const AN_RESVD_VEND_PROV: RegAddr = r(AN, 0xc410);
pub const AN_TX_VEND_STATUS1: RegAddr = r(AN, 0xc800);
pub const AN_RESVD_VEND_STATUS1: RegAddr = r(AN, 0xc810);
pub const AN_TX_VEND_INT_STATUS2: RegAddr = r(AN, 0xcc01);
pub const AN_TX_VEND_INT_MASK2: RegAddr = r(AN, 0xd401);
pub const AN_RX_LP_STAT1: RegAddr = r(AN, 0xe820);
pub const GLOBAL_SC: RegAddr = r(VEND1, 0);
pub const GLOBAL_INT_STD_STATUS: RegAddr = r(VEND1, 0xfc00);
pub const GLOBAL_INT_VEND_STATUS: RegAddr = r(VEND1, 0xfc01);
pub const GLOBAL_INT_STD_MASK: RegAddr = r(VEND1, 0xff00);
pub const GLOBAL_INT_VEND_MASK: RegAddr = r(VEND1, 0xff01);
/// VEND1_GLOBAL_CFG_10M..10G, in speed order 10, 100, 1000, 2500, 5000, 10000.
pub const GLOBAL_CFG: [RegAddr; 6] = [
    r(VEND1, 0x0310),
    r(VEND1, 0x031b),
    r(VEND1, 0x031c),
    r(VEND1, 0x031d),
    r(VEND1, 0x031e),
    r(VEND1, 0x031f),
];

/// IEEE control 1 (x.0) bits.
pub mod ctrl1 {
    pub const RESET: u16 = 0x8000;
    pub const LOW_POWER: u16 = 0x0800;
    pub const AN_ENABLE: u16 = 0x1000;
    pub const AN_RESTART: u16 = 0x0200;
    pub const SPEED_LSB: u16 = 0x2000;
    pub const SPEED_MSB: u16 = 0x0040;
    /// 1.0.5:2 with both speed bits set: 0 10G, 6 2.5G, 7 5G.
    pub const SPEED_SEL: u16 = 0x003c;
    pub const SPEED_LINK: u16 = SPEED_LSB | SPEED_MSB | SPEED_SEL;
}

/// 7.1 AN status 1.
pub mod an_stat1 {
    pub const LP_ABLE: u16 = 0x0001;
    pub const LINK: u16 = 0x0004;
    pub const COMPLETE: u16 = 0x0020;
    pub const PAGE: u16 = 0x0040;
    pub const XNP: u16 = 0x0080;
}

/// 7.32 / 7.33 10GBASE-T AN control and status.
pub mod tengbt {
    pub const MS_ENABLE: u16 = 0x8000;
    pub const MS_VALUE: u16 = 0x4000;
    pub const PORT_TYPE: u16 = 0x2000;
    pub const ADV10G: u16 = 0x1000;
    pub const ADV5G: u16 = 0x0100;
    pub const ADV2_5G: u16 = 0x0080;
    pub const STAT_MS_RES: u16 = 0x4000;
    pub const STAT_LOCOK: u16 = 0x2000;
    pub const STAT_REMOK: u16 = 0x1000;
    pub const STAT_LP10G: u16 = 0x0800;
    pub const STAT_LP5G: u16 = 0x0040;
    pub const STAT_LP2_5G: u16 = 0x0020;
}

/// 7.0xc400 MDIO_AN_VEND_PROV.
pub mod vend_prov {
    pub const ADV_1000_FULL: u16 = 0x8000;
    pub const ADV_1000_HALF: u16 = 0x4000;
    pub const ADV_5000_FULL: u16 = 0x0800;
    pub const ADV_2500_FULL: u16 = 0x0400;
    pub const EXC_PHYID_INFO: u16 = 0x0040;
    pub const DOWNSHIFT_EN: u16 = 0x0010;
    pub const DOWNSHIFT_CNT: u16 = 0x000f;
}

/// 7.0xc800 MDIO_AN_TX_VEND_STATUS1: rate (3:1) and duplex (0).
pub mod tx_vend_status1 {
    pub const RATE: u16 = 0x000e;
    pub const FULL_DUPLEX: u16 = 0x0001;
    pub const R10: u16 = 0 << 1;
    pub const R100: u16 = 1 << 1;
    pub const R1000: u16 = 2 << 1;
    pub const R10G: u16 = 3 << 1;
    pub const R2500: u16 = 4 << 1;
    pub const R5000: u16 = 5 << 1;
}

/// 4.0xe812 MDIO_PHYXS_VEND_IF_STATUS type field (7:3).
pub mod if_status {
    pub const TYPE: u16 = 0x00f8;
    pub const XFI: u16 = 2 << 3;
    pub const USXGMII: u16 = 3 << 3;
    pub const SGMII: u16 = 6 << 3;
    pub const OFF: u16 = 9 << 3;
    pub const OCSGMII: u16 = 10 << 3;
}

/// VEND1_GLOBAL_CFG_* fields.
pub mod cfg {
    pub const SERDES_MODE: u16 = 0x0007;
    pub const SERDES_XFI: u16 = 0;
    pub const SERDES_SGMII: u16 = 3;
    pub const SERDES_OCSGMII: u16 = 4;
    pub const SERDES_XFI5G: u16 = 6;
    pub const AUTONEG_ENA: u16 = 0x0008;
    pub const RATE_ADAPT: u16 = 0x0180;
    pub const RATE_ADAPT_USX: u16 = 1 << 7;
    pub const RATE_ADAPT_PAUSE: u16 = 2 << 7;
}

/// The PHY identifier (PHY_ID_AQR113C).
pub const ID_HI: u16 = 0x31c3;
pub const ID_LO: u16 = 0x1c12;
/// Devices in package: PMA/PMD, PCS, PHY XS, AN; Clause 22 extension, vendor 1 and 2.
pub const DEVS1: u16 = 0x009a;
pub const DEVS2: u16 = 0xe000;
/// Firmware 5.7 (major 15:8, minor 7:0), build 0xb, provisioning 2.
pub const FW_ID: u16 = 0x0507;
pub const RSVD_STAT1: u16 = 0x00b2;
/// The die temperature, in 1/256 degrees C: 42 C.
pub const TEMP_READING: u16 = 42 * 256;

/// Temperature thresholds, 1/256 degrees C, two's complement.
const fn celsius(c: i16) -> u16 {
    (c as i32 * 256) as u16
}

macro_rules! ident {
    ($devad:expr, $reg:expr, $name:literal, $value:expr) => {
        RegDef {
            addr: r($devad, $reg),
            name: $name,
            hook: None,
            fields: &[Field::ro("value", 0xffff, $value)],
        }
    };
}

macro_rules! storage {
    ($devad:expr, $reg:expr, $name:literal, $mask:expr, $reset:expr) => {
        RegDef {
            addr: r($devad, $reg),
            name: $name,
            hook: None,
            fields: &[Field::rw("value", $mask, $reset)],
        }
    };
}

macro_rules! counter {
    ($reg:expr, $name:literal) => {
        RegDef {
            addr: r(C22EXT, $reg),
            name: $name,
            hook: None,
            // No frames cross the modelled host interface.
            fields: &[Field::ro("count", 0xffff, 0)],
        }
    };
}

macro_rules! global_cfg {
    ($i:expr, $name:literal) => {
        RegDef {
            addr: GLOBAL_CFG[$i],
            name: $name,
            hook: None,
            fields: &[
                Field::rw("rate_adapt", cfg::RATE_ADAPT, cfg::RATE_ADAPT_PAUSE),
                Field::rw("autoneg_ena", cfg::AUTONEG_ENA, 0),
                Field::rw("serdes_mode", cfg::SERDES_MODE, cfg::SERDES_XFI),
            ],
        }
    };
}

pub static MAP: &[RegDef<Hook>] = &[
    // ---- MMD 1, PMA/PMD ----
    RegDef {
        addr: PMA_CTRL1,
        name: "PMA/PMD control 1",
        hook: Some(Hook::Pma),
        fields: &[
            Field::sc("reset", ctrl1::RESET),
            Field::rw("speed_lsb", ctrl1::SPEED_LSB, ctrl1::SPEED_LSB),
            Field::rw("low_power", ctrl1::LOW_POWER, 0),
            Field::rw("speed_msb", ctrl1::SPEED_MSB, ctrl1::SPEED_MSB),
            Field::rw("speed_select", ctrl1::SPEED_SEL, 0),
            Field::rw("loopback", 0x0001, 0),
        ],
    },
    RegDef {
        addr: PMA_STAT1,
        name: "PMA/PMD status 1",
        hook: None,
        fields: &[
            Field::ll("link", 0x0004),
            Field::ro("low_power_ability", 0x0002, 0x0002),
        ],
    },
    ident!(PMA, 2, "PMA/PMD device identifier 1", ID_HI),
    ident!(PMA, 3, "PMA/PMD device identifier 2", ID_LO),
    RegDef {
        addr: r(PMA, 4),
        name: "PMA/PMD speed ability",
        hook: None,
        // 10G, 1000, 100, 10M, 2.5G, 5G.
        fields: &[Field::ro("speeds", 0xffff, 0x6071)],
    },
    ident!(PMA, 5, "PMA/PMD devices in package 1", DEVS1),
    ident!(PMA, 6, "PMA/PMD devices in package 2", DEVS2),
    RegDef {
        addr: PMA_CTRL2,
        name: "PMA/PMD control 2",
        hook: None,
        // PMA/PMD type 0x09: 10GBASE-T.
        fields: &[Field::rw("type", 0x003f, 0x0009)],
    },
    RegDef {
        addr: r(PMA, 8),
        name: "PMA/PMD status 2",
        hook: None,
        // Device present, tx/rx fault abilities, extended abilities, PMA loopback.
        fields: &[Field::ro("abilities", 0xffff, 0xb201)],
    },
    RegDef {
        addr: PMA_TXDIS,
        name: "PMD transmit disable",
        hook: Some(Hook::TxDis),
        fields: &[Field::rw("global", 0x0001, 0)],
    },
    RegDef {
        addr: r(PMA, 11),
        name: "PMA/PMD extended ability",
        hook: None,
        // 2.5G/5GBASE-T (NBT), 10BASE-T, 100BASE-TX, 1000BASE-T, 10GBASE-T.
        fields: &[Field::ro("abilities", 0xffff, 0x41a4)],
    },
    RegDef {
        addr: r(PMA, 21),
        name: "2.5G/5G PMA/PMD extended ability",
        hook: None,
        fields: &[Field::ro("abilities", 0x0003, 0x0003)],
    },
    ident!(PMA, 0xc41d, "PMAPMD_FW_MISC_ID", 0),
    ident!(PMA, 0xc41e, "PMAPMD_FW_MISC_VER", 0),
    storage!(PMA, 0xe400, "PMAPMD_RSVD_VEND_PROV", 0x0003, 0),
    // ---- MMD 3, PCS ----
    RegDef {
        addr: PCS_CTRL1,
        name: "PCS control 1",
        hook: Some(Hook::Pcs),
        fields: &[
            Field::sc("reset", ctrl1::RESET),
            Field::rw("loopback", 0x4000, 0),
            Field::rw("speed_lsb", ctrl1::SPEED_LSB, ctrl1::SPEED_LSB),
            Field::rw("low_power", ctrl1::LOW_POWER, 0),
            Field::rw("speed_msb", ctrl1::SPEED_MSB, ctrl1::SPEED_MSB),
            Field::rw("speed_select", ctrl1::SPEED_SEL, 0),
        ],
    },
    RegDef {
        addr: PCS_STAT1,
        name: "PCS status 1",
        hook: None,
        fields: &[
            Field::ll("link", 0x0004),
            Field::ro("low_power_ability", 0x0002, 0x0002),
        ],
    },
    ident!(PCS, 2, "PCS device identifier 1", ID_HI),
    ident!(PCS, 3, "PCS device identifier 2", ID_LO),
    RegDef {
        addr: r(PCS, 4),
        name: "PCS speed ability",
        hook: None,
        // 10G, 2.5G, 5G.
        fields: &[Field::ro("speeds", 0xffff, 0x00c1)],
    },
    ident!(PCS, 5, "PCS devices in package 1", DEVS1),
    ident!(PCS, 6, "PCS devices in package 2", DEVS2),
    RegDef {
        addr: r(PCS, 8),
        name: "PCS status 2",
        hook: None,
        // Device present, 10GBASE-T PCS capable.
        fields: &[Field::ro("abilities", 0xffff, 0x8008)],
    },
    RegDef {
        addr: r(PCS, 20),
        name: "EEE control and capability 1",
        hook: None,
        // 100BASE-TX, 1000BASE-T, 10GBASE-T EEE.
        fields: &[Field::ro("eee", 0xffff, 0x000e)],
    },
    RegDef {
        addr: r(PCS, 21),
        name: "EEE control and capability 2",
        hook: None,
        // 2.5GBASE-T, 5GBASE-T EEE.
        fields: &[Field::ro("eee", 0xffff, 0x0003)],
    },
    // ---- MMD 4, PHY XS ----
    RegDef {
        addr: r(PHYXS, 0),
        name: "PHY XS control 1",
        hook: None,
        fields: &[
            Field::rw("loopback", 0x4000, 0),
            Field::rw("speed_lsb", ctrl1::SPEED_LSB, ctrl1::SPEED_LSB),
            Field::rw("low_power", ctrl1::LOW_POWER, 0),
            Field::rw("speed_msb", ctrl1::SPEED_MSB, ctrl1::SPEED_MSB),
        ],
    },
    RegDef {
        addr: PHYXS_STAT1,
        name: "PHY XS status 1",
        hook: None,
        fields: &[
            Field::ll("link", 0x0004),
            Field::ro("low_power_ability", 0x0002, 0x0002),
        ],
    },
    ident!(PHYXS, 2, "PHY XS device identifier 1", ID_HI),
    ident!(PHYXS, 3, "PHY XS device identifier 2", ID_LO),
    ident!(PHYXS, 5, "PHY XS devices in package 1", DEVS1),
    ident!(PHYXS, 6, "PHY XS devices in package 2", DEVS2),
    RegDef {
        addr: r(PHYXS, 8),
        name: "PHY XS status 2",
        hook: None,
        fields: &[Field::ro("present", 0xc000, 0x8000)],
    },
    storage!(PHYXS, 0xc441, "MDIO_PHYXS_VEND_PROV2", 0x0008, 0),
    RegDef {
        addr: PHYXS_IF_STATUS,
        name: "MDIO_PHYXS_VEND_IF_STATUS",
        hook: None,
        fields: &[Field::ro("type", if_status::TYPE, if_status::OFF)],
    },
    // ---- MMD 7, AN ----
    RegDef {
        addr: AN_CTRL1,
        name: "AN control 1",
        hook: Some(Hook::An),
        fields: &[
            Field::sc("reset", ctrl1::RESET),
            Field::rw("xnp", 0x2000, 0x2000),
            Field::rw("enable", ctrl1::AN_ENABLE, ctrl1::AN_ENABLE),
            Field::sc("restart", ctrl1::AN_RESTART),
        ],
    },
    RegDef {
        addr: AN_STAT1,
        name: "AN status 1",
        hook: None,
        fields: &[
            Field::ro("xnp", an_stat1::XNP, 0),
            Field::lh("page_received", an_stat1::PAGE),
            Field::ro("complete", an_stat1::COMPLETE, 0),
            Field::ro("ability", 0x0008, 0x0008),
            Field::ll("link", an_stat1::LINK),
            Field::ro("lp_able", an_stat1::LP_ABLE, 0),
        ],
    },
    ident!(AN, 2, "AN device identifier 1", ID_HI),
    ident!(AN, 3, "AN device identifier 2", ID_LO),
    ident!(AN, 5, "AN devices in package 1", DEVS1),
    ident!(AN, 6, "AN devices in package 2", DEVS2),
    RegDef {
        addr: AN_ADVERTISE,
        name: "AN advertisement",
        hook: None,
        fields: &[
            // Next pages carry the 1000BASE-T and multi-gigabit abilities.
            Field::ro("np", 0x8000, 0x8000),
            Field::rw("pause", 0x0c00, 0),
            Field::rw("100base4", 0x0200, 0),
            Field::rw("abilities", 0x01e0, 0x01e0),
            Field::ro("selector", 0x001f, 0x0001),
        ],
    },
    RegDef {
        addr: AN_LPA,
        name: "AN LP base page ability",
        hook: None,
        fields: &[Field::ro("page", 0xffff, 0)],
    },
    RegDef {
        addr: AN_10GBT_CTRL,
        name: "10GBASE-T AN control",
        hook: None,
        fields: &[
            Field::rw("ms_enable", tengbt::MS_ENABLE, 0),
            Field::rw("ms_value", tengbt::MS_VALUE, 0),
            Field::rw("port_type", tengbt::PORT_TYPE, 0),
            Field::rw("adv10g", tengbt::ADV10G, tengbt::ADV10G),
            Field::rw("adv5g", tengbt::ADV5G, tengbt::ADV5G),
            Field::rw("adv2_5g", tengbt::ADV2_5G, tengbt::ADV2_5G),
            Field::ro("loop_timing", 0x0001, 0x0001),
        ],
    },
    RegDef {
        addr: AN_10GBT_STAT,
        name: "10GBASE-T AN status",
        hook: None,
        fields: &[
            Field::ro("ms_resolution", tengbt::STAT_MS_RES, 0),
            Field::ro("local_ok", tengbt::STAT_LOCOK, 0),
            Field::ro("remote_ok", tengbt::STAT_REMOK, 0),
            Field::ro("lp10g", tengbt::STAT_LP10G, 0),
            Field::ro("lp_loop_timing", 0x0400, 0),
            Field::ro("lp5g", tengbt::STAT_LP5G, 0),
            Field::ro("lp2_5g", tengbt::STAT_LP2_5G, 0),
        ],
    },
    storage!(AN, 60, "EEE advertisement 1", 0x000e, 0x000e),
    ident!(AN, 61, "EEE LP advertisement 1", 0),
    storage!(AN, 62, "EEE advertisement 2", 0x0003, 0x0003),
    ident!(AN, 63, "EEE LP advertisement 2", 0),
    RegDef {
        addr: AN_VEND_PROV,
        name: "MDIO_AN_VEND_PROV",
        hook: None,
        fields: &[
            Field::rw(
                "adv_1000_full",
                vend_prov::ADV_1000_FULL,
                vend_prov::ADV_1000_FULL,
            ),
            Field::rw("adv_1000_half", vend_prov::ADV_1000_HALF, 0),
            Field::rw(
                "adv_5000_full",
                vend_prov::ADV_5000_FULL,
                vend_prov::ADV_5000_FULL,
            ),
            Field::rw(
                "adv_2500_full",
                vend_prov::ADV_2500_FULL,
                vend_prov::ADV_2500_FULL,
            ),
            Field::rw("exc_phyid_info", vend_prov::EXC_PHYID_INFO, 0),
            // Downshift on, after 4 tries (the driver's default too).
            Field::rw(
                "downshift_en",
                vend_prov::DOWNSHIFT_EN,
                vend_prov::DOWNSHIFT_EN,
            ),
            Field::rw("downshift_cnt", vend_prov::DOWNSHIFT_CNT, 4),
        ],
    },
    RegDef {
        addr: AN_RESVD_VEND_PROV,
        name: "MDIO_AN_RESVD_VEND_PROV",
        hook: None,
        fields: &[Field::rw("mdix", 0x0003, 0)],
    },
    RegDef {
        addr: AN_TX_VEND_STATUS1,
        name: "MDIO_AN_TX_VEND_STATUS1",
        hook: None,
        fields: &[
            Field::ro("rate", tx_vend_status1::RATE, 0),
            Field::ro("full_duplex", tx_vend_status1::FULL_DUPLEX, 0),
        ],
    },
    RegDef {
        addr: AN_RESVD_VEND_STATUS1,
        name: "MDIO_AN_RESVD_VEND_STATUS1",
        hook: None,
        fields: &[Field::ro("mdix", 0x0100, 0)],
    },
    RegDef {
        addr: r(AN, 0xcc00),
        name: "MDIO_AN_TX_VEND_INT_STATUS1",
        hook: None,
        fields: &[Field::rc("events", 0xffff)],
    },
    RegDef {
        addr: AN_TX_VEND_INT_STATUS2,
        name: "MDIO_AN_TX_VEND_INT_STATUS2",
        hook: None,
        fields: &[Field::rc("link", 0x0001)],
    },
    storage!(AN, 0xd400, "MDIO_AN_TX_VEND_INT_MASK1", 0xffff, 0),
    RegDef {
        addr: AN_TX_VEND_INT_MASK2,
        name: "MDIO_AN_TX_VEND_INT_MASK2",
        hook: None,
        fields: &[Field::rw("mask", 0xffff, 0)],
    },
    RegDef {
        addr: AN_RX_LP_STAT1,
        name: "MDIO_AN_RX_LP_STAT1",
        hook: None,
        fields: &[Field::ro("abilities", 0xffff, 0)],
    },
    // The partner is no Aquantia PHY: nothing in its vendor pages.
    ident!(AN, 0xe823, "MDIO_AN_RX_LP_STAT4", 0),
    ident!(AN, 0xe832, "MDIO_AN_RX_VEND_STAT3", 0),
    // ---- MMD 29, Clause 22 extension: SGMII counters ----
    ident!(C22EXT, 2, "C22EXT device identifier 1", ID_HI),
    ident!(C22EXT, 3, "C22EXT device identifier 2", ID_LO),
    counter!(0xd292, "SGMII_RX_GOOD_FRAMES"),
    counter!(0xd293, "SGMII_RX_GOOD_FRAMES hi"),
    counter!(0xd294, "SGMII_RX_BAD_FRAMES"),
    counter!(0xd295, "SGMII_RX_BAD_FRAMES hi"),
    counter!(0xd297, "SGMII_RX_FALSE_CARRIER"),
    counter!(0xd313, "SGMII_TX_GOOD_FRAMES"),
    counter!(0xd314, "SGMII_TX_GOOD_FRAMES hi"),
    counter!(0xd315, "SGMII_TX_BAD_FRAMES"),
    counter!(0xd316, "SGMII_TX_BAD_FRAMES hi"),
    counter!(0xd317, "SGMII_TX_FALSE_CARRIER"),
    counter!(0xd318, "SGMII_TX_COLLISIONS"),
    counter!(0xd319, "SGMII_TX_LINE_COLLISIONS"),
    counter!(0xd31a, "SGMII_TX_FRAME_ALIGN_ERR"),
    counter!(0xd31b, "SGMII_TX_RUNT_FRAMES"),
    counter!(0xd31c, "SGMII_TX_RUNT_FRAMES hi"),
    // ---- MMD 30, vendor 1 (global) ----
    RegDef {
        addr: GLOBAL_SC,
        name: "VEND1_GLOBAL_SC",
        hook: Some(Hook::Global),
        fields: &[
            Field::sc("soft_reset", 0x8000),
            Field::rw("low_power", 0x0800, 0),
        ],
    },
    RegDef {
        addr: r(VEND1, 8),
        name: "vendor 1 status 2",
        hook: None,
        // Not IEEE 802.3 registers: no "device present" pattern, so the bus scan skips them.
        fields: &[Field::ro("present", 0xc000, 0)],
    },
    ident!(VEND1, 0x0020, "VEND1_GLOBAL_FW_ID", FW_ID),
    storage!(VEND1, 0x0200, "VEND1_GLOBAL_MAILBOX_INTERFACE1", 0xffff, 0),
    storage!(VEND1, 0x0201, "VEND1_GLOBAL_MAILBOX_INTERFACE2", 0xffff, 0),
    storage!(VEND1, 0x0202, "VEND1_GLOBAL_MAILBOX_INTERFACE3", 0xffff, 0),
    storage!(VEND1, 0x0203, "VEND1_GLOBAL_MAILBOX_INTERFACE4", 0xffff, 0),
    storage!(VEND1, 0x0204, "VEND1_GLOBAL_MAILBOX_INTERFACE5", 0xffff, 0),
    storage!(VEND1, 0x0205, "VEND1_GLOBAL_MAILBOX_INTERFACE6", 0xffff, 0),
    global_cfg!(0, "VEND1_GLOBAL_CFG_10M"),
    global_cfg!(1, "VEND1_GLOBAL_CFG_100M"),
    global_cfg!(2, "VEND1_GLOBAL_CFG_1G"),
    global_cfg!(3, "VEND1_GLOBAL_CFG_2_5G"),
    global_cfg!(4, "VEND1_GLOBAL_CFG_5G"),
    global_cfg!(5, "VEND1_GLOBAL_CFG_10G"),
    storage!(VEND1, 0xc001, "VEND1_GLOBAL_CONTROL2", 0xffff, 0),
    storage!(
        VEND1,
        0xc421,
        "VEND1_THERMAL_PROV_HIGH_TEMP_FAIL",
        0xffff,
        celsius(108)
    ),
    storage!(
        VEND1,
        0xc422,
        "VEND1_THERMAL_PROV_LOW_TEMP_FAIL",
        0xffff,
        celsius(-40)
    ),
    storage!(
        VEND1,
        0xc423,
        "VEND1_THERMAL_PROV_HIGH_TEMP_WARN",
        0xffff,
        celsius(100)
    ),
    storage!(
        VEND1,
        0xc424,
        "VEND1_THERMAL_PROV_LOW_TEMP_WARN",
        0xffff,
        celsius(-20)
    ),
    // LED 0: link at any speed; LED 1: activity; LED 2: 10G link.
    storage!(VEND1, 0xc430, "VEND1_GLOBAL_LED_PROV 0", 0xffff, 0xc0e0),
    storage!(VEND1, 0xc431, "VEND1_GLOBAL_LED_PROV 1", 0xffff, 0x000c),
    storage!(VEND1, 0xc432, "VEND1_GLOBAL_LED_PROV 2", 0xffff, 0x0080),
    storage!(VEND1, 0xc438, "VEND1_GLOBAL_LED_DRIVE 0", 0xffff, 0),
    storage!(VEND1, 0xc439, "VEND1_GLOBAL_LED_DRIVE 1", 0xffff, 0),
    storage!(VEND1, 0xc43a, "VEND1_GLOBAL_LED_DRIVE 2", 0xffff, 0),
    ident!(VEND1, 0xc820, "VEND1_THERMAL_STAT1", TEMP_READING),
    ident!(VEND1, 0xc821, "VEND1_THERMAL_STAT2", 0x0001),
    // 42 C trips no threshold.
    ident!(VEND1, 0xc830, "VEND1_GENERAL_STAT1", 0),
    // Processor-intensive operations complete at once.
    ident!(VEND1, 0xc831, "VEND1_GLOBAL_GEN_STAT2", 0),
    ident!(VEND1, 0xc885, "VEND1_GLOBAL_RSVD_STAT1", RSVD_STAT1),
    ident!(VEND1, 0xc88d, "VEND1_GLOBAL_RSVD_STAT9", 0),
    RegDef {
        addr: GLOBAL_INT_STD_STATUS,
        name: "VEND1_GLOBAL_INT_STD_STATUS",
        hook: None,
        fields: &[Field::ro("status", 0xffff, 0)],
    },
    RegDef {
        addr: GLOBAL_INT_VEND_STATUS,
        name: "VEND1_GLOBAL_INT_VEND_STATUS",
        hook: None,
        fields: &[Field::ro("status", 0xffff, 0)],
    },
    RegDef {
        addr: GLOBAL_INT_STD_MASK,
        name: "VEND1_GLOBAL_INT_STD_MASK",
        hook: None,
        fields: &[Field::rw("mask", 0xffff, 0)],
    },
    RegDef {
        addr: GLOBAL_INT_VEND_MASK,
        name: "VEND1_GLOBAL_INT_VEND_MASK",
        hook: None,
        fields: &[Field::rw("mask", 0xffff, 0)],
    },
    // ---- MMD 31, vendor 2 ----
    RegDef {
        addr: r(VEND2, 8),
        name: "vendor 2 status 2",
        hook: None,
        fields: &[Field::ro("present", 0xc000, 0)],
    },
];
