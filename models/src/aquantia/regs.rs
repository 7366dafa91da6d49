//! The AQR113C register map: Clause 45 MMDs 1 (PMA/PMD), 3 (PCS), 4 (PHY XS), 7 (AN),
//! 29 (Clause 22 extension: the SGMII counters), 30 (vendor 1, "global") and 31 (vendor 2),
//! as far as drivers/net/phy/aquantia/ and phylib's Clause 45 helpers reach them: the IEEE
//! registers `c45` shares, and the Aquantia ones here. Addresses are `RegAddr::new(devad,
//! reg)`.

use super::AQR113C;
use crate::c45::regs::{
    ext_ability, fixed, ieee_map, mmd, storage, Hook, Package, AN, C22EXT, PCS, PHYXS, PMA,
    PMA_TXDIS, TXDIS_GLOBAL, VEND1, VEND2,
};
use crate::regfile::{Field, RegAddr, RegDef};

pub const PACKAGE: Package = Package {
    phy_id: AQR113C.phy_id,
    mmds: &[PMA, PCS, PHYXS, AN, C22EXT, VEND1, VEND2],
    // 2.5G/5GBASE-T (NBT), 10BASE-T, 100BASE-TX, 1000BASE-T, 10GBASE-T.
    pma_ext_ability: ext_ability::NBT
        | ext_ability::BASE_T10
        | ext_ability::BASE_TX100
        | ext_ability::BASE_T1000
        | ext_ability::BASE_T10G,
};

pub const PHYXS_IF_STATUS: RegAddr = mmd(PHYXS, 0xe812);
pub const AN_VEND_PROV: RegAddr = mmd(AN, 0xc400);
pub const AN_RESVD_VEND_PROV: RegAddr = mmd(AN, 0xc410);
pub const AN_TX_VEND_STATUS1: RegAddr = mmd(AN, 0xc800);
pub const AN_RESVD_VEND_STATUS1: RegAddr = mmd(AN, 0xc810);
pub const AN_TX_VEND_INT_STATUS1: RegAddr = mmd(AN, 0xcc00);
pub const AN_TX_VEND_INT_STATUS2: RegAddr = mmd(AN, 0xcc01);
pub const AN_TX_VEND_INT_MASK2: RegAddr = mmd(AN, 0xd401);
pub const AN_RX_LP_STAT1: RegAddr = mmd(AN, 0xe820);
pub const AN_RX_LP_STAT4: RegAddr = mmd(AN, 0xe823);
pub const AN_RX_VEND_STAT3: RegAddr = mmd(AN, 0xe832);
pub const PMA_FW_MISC_ID: RegAddr = mmd(PMA, 0xc41d);
pub const PMA_FW_MISC_VER: RegAddr = mmd(PMA, 0xc41e);
pub const GLOBAL_FW_ID: RegAddr = mmd(VEND1, 0x0020);
pub const THERMAL_STAT1: RegAddr = mmd(VEND1, 0xc820);
pub const THERMAL_STAT2: RegAddr = mmd(VEND1, 0xc821);
pub const GENERAL_STAT1: RegAddr = mmd(VEND1, 0xc830);
pub const GLOBAL_GEN_STAT2: RegAddr = mmd(VEND1, 0xc831);
pub const GLOBAL_RSVD_STAT1: RegAddr = mmd(VEND1, 0xc885);
pub const GLOBAL_RSVD_STAT9: RegAddr = mmd(VEND1, 0xc88d);
pub const GLOBAL_SC: RegAddr = mmd(VEND1, 0);
pub const GLOBAL_INT_STD_STATUS: RegAddr = mmd(VEND1, 0xfc00);
pub const GLOBAL_INT_VEND_STATUS: RegAddr = mmd(VEND1, 0xfc01);
pub const GLOBAL_INT_STD_MASK: RegAddr = mmd(VEND1, 0xff00);
pub const GLOBAL_INT_VEND_MASK: RegAddr = mmd(VEND1, 0xff01);
/// VEND1_GLOBAL_CFG_10M..10G, in speed order 10, 100, 1000, 2500, 5000, 10000.
pub const GLOBAL_CFG: [RegAddr; 6] = [
    mmd(VEND1, 0x0310),
    mmd(VEND1, 0x031b),
    mmd(VEND1, 0x031c),
    mmd(VEND1, 0x031d),
    mmd(VEND1, 0x031e),
    mmd(VEND1, 0x031f),
];

/// 7.0xe820: the partner's 1000BASE-T abilities.
pub const LP_STAT1_1000_FULL: u16 = 0x8000;
pub const LP_STAT1_1000_HALF: u16 = 0x4000;

/// 7.0xc410 / 7.0xc810: MDI mode.
pub const RESVD_VEND_PROV_MDIX: u16 = 0x0003;
pub const RESVD_VEND_STATUS1_MDIX: u16 = 0x0100;

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

/// Firmware 5.7 (major 15:8, minor 7:0), build 0xb, provisioning 2.
pub const FW_ID: u16 = 0x0507;
pub const RSVD_STAT1: u16 = 0x00b2;
/// The die temperature, in 1/256 degrees C: 42 C.
pub const TEMP_READING: u16 = 42 * 256;

/// Temperature thresholds, 1/256 degrees C, two's complement.
const fn celsius(c: i16) -> u16 {
    (c as i32 * 256) as u16
}

macro_rules! counter {
    ($reg:expr, $name:literal) => {
        RegDef {
            addr: mmd(C22EXT, $reg),
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

pub static MAP: &[RegDef<Hook>] = ieee_map!(
    PACKAGE,
    [
        // ---- MMD 1, PMA/PMD ----
        // aqr_gen4_config_init clears it (the 88X3310's driver never touches 1.9, so that
        // model leaves it out).
        RegDef {
            addr: PMA_TXDIS,
            name: "PMD transmit disable",
            hook: Some(Hook::TxDis),
            fields: &[Field::rw("global", TXDIS_GLOBAL, 0)],
        },
        fixed!(PMA, PMA_FW_MISC_ID.reg, "PMAPMD_FW_MISC_ID", 0),
        fixed!(PMA, PMA_FW_MISC_VER.reg, "PMAPMD_FW_MISC_VER", 0),
        storage!(PMA, 0xe400, "PMAPMD_RSVD_VEND_PROV", 0x0003, 0),
        // ---- MMD 4, PHY XS ----
        storage!(PHYXS, 0xc441, "MDIO_PHYXS_VEND_PROV2", 0x0008, 0),
        RegDef {
            addr: PHYXS_IF_STATUS,
            name: "MDIO_PHYXS_VEND_IF_STATUS",
            hook: None,
            fields: &[Field::ro("type", if_status::TYPE, if_status::OFF)],
        },
        // ---- MMD 7, AN ----
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
            fields: &[Field::rw("mdix", RESVD_VEND_PROV_MDIX, 0)],
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
            fields: &[Field::ro("mdix", RESVD_VEND_STATUS1_MDIX, 0)],
        },
        RegDef {
            addr: AN_TX_VEND_INT_STATUS1,
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
        fixed!(AN, AN_RX_LP_STAT4.reg, "MDIO_AN_RX_LP_STAT4", 0),
        fixed!(AN, AN_RX_VEND_STAT3.reg, "MDIO_AN_RX_VEND_STAT3", 0),
        // ---- MMD 29, Clause 22 extension: SGMII counters ----
        // Identifiers only: the AQR113C has no devices-in-package registers here.
        fixed!(C22EXT, 2, "C22EXT device identifier 1", PACKAGE.id_hi()),
        fixed!(C22EXT, 3, "C22EXT device identifier 2", PACKAGE.id_lo()),
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
            hook: Some(Hook::Control),
            fields: &[
                Field::sc("soft_reset", 0x8000),
                Field::rw("low_power", 0x0800, 0),
            ],
        },
        fixed!(VEND1, GLOBAL_FW_ID.reg, "VEND1_GLOBAL_FW_ID", FW_ID),
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
        fixed!(
            VEND1,
            THERMAL_STAT1.reg,
            "VEND1_THERMAL_STAT1",
            TEMP_READING
        ),
        fixed!(VEND1, THERMAL_STAT2.reg, "VEND1_THERMAL_STAT2", 0x0001),
        // 42 C trips no threshold.
        fixed!(VEND1, GENERAL_STAT1.reg, "VEND1_GENERAL_STAT1", 0),
        // Processor-intensive operations complete at once.
        fixed!(VEND1, GLOBAL_GEN_STAT2.reg, "VEND1_GLOBAL_GEN_STAT2", 0),
        fixed!(
            VEND1,
            GLOBAL_RSVD_STAT1.reg,
            "VEND1_GLOBAL_RSVD_STAT1",
            RSVD_STAT1
        ),
        fixed!(VEND1, GLOBAL_RSVD_STAT9.reg, "VEND1_GLOBAL_RSVD_STAT9", 0),
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
    ]
);
