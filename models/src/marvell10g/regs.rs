//! The 88X3310 register map: Clause 45 MMDs 1 (PMA/PMD), 3 (PCS), 4 (PHY XS), 7 (AN) and the
//! vendor MMDs 30/31, as far as marvell10g.c, phylib's Clause 45 helpers and the bus scan
//! reach them. Addresses are `RegAddr::new(devad, reg)`.

use crate::regfile::{Field, RegAddr, RegDef};

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Hook {
    /// 1.0: reset, low power, forced speed.
    Pma,
    /// 3.0: BASE-T PCS reset (mv3310_reset()).
    Pcs,
    /// 7.0: AN reset, enable, restart.
    An,
    /// 31.0xf001: port power down and software reset.
    Port,
}

pub const PMA: u16 = 1;
pub const PCS: u16 = 3;
pub const PHYXS: u16 = 4;
pub const AN: u16 = 7;
pub const VEND1: u16 = 30;
pub const VEND2: u16 = 31;

const fn r(devad: u16, reg: u16) -> RegAddr {
    RegAddr::new(devad, reg)
}

pub const PMA_CTRL1: RegAddr = r(PMA, 0);
pub const PMA_STAT1: RegAddr = r(PMA, 1);
pub const PMA_CTRL2: RegAddr = r(PMA, 7);
pub const PMA_FW_VER0: RegAddr = r(PMA, 0xc011);
pub const PMA_FW_VER1: RegAddr = r(PMA, 0xc012);
pub const PMA_BOOT: RegAddr = r(PMA, 0xc050);
pub const PCS_CTRL1: RegAddr = r(PCS, 0);
pub const PCS_STAT1: RegAddr = r(PCS, 1);
pub const PCS_BASE_R_STAT1: RegAddr = r(PCS, 0x1001);
pub const PCS_CSCR1: RegAddr = r(PCS, 0x8000);
pub const PCS_DSC1: RegAddr = r(PCS, 0x8003);
pub const PCS_CSSR1: RegAddr = r(PCS, 0x8008);
pub const PHYXS_STAT1: RegAddr = r(PHYXS, 1);
pub const AN_CTRL1: RegAddr = r(AN, 0);
pub const AN_STAT1: RegAddr = r(AN, 1);
pub const AN_ADVERTISE: RegAddr = r(AN, 16);
pub const AN_LPA: RegAddr = r(AN, 19);
pub const AN_10GBT_CTRL: RegAddr = r(AN, 32);
pub const AN_10GBT_STAT: RegAddr = r(AN, 33);
pub const AN_CTRL1000: RegAddr = r(AN, 0x8000);
pub const AN_STAT1000: RegAddr = r(AN, 0x8001);
pub const PORT_CTRL: RegAddr = r(VEND2, 0xf001);
pub const TEMP: RegAddr = r(VEND2, 0xf08c);

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

/// 31.0xf001 MV_V2_PORT_CTRL.
pub mod port {
    pub const SWRST: u16 = 0x8000;
    pub const PWRDOWN: u16 = 0x0800;
    pub const MACTYPE: u16 = 0x0007;
    /// MV_V2_33X0_PORT_CTRL_MACTYPE_10GBASER: 10GBASE-R, switching to 5GBASE-R, 2500BASE-X
    /// and SGMII with the copper speed (the usual strapping with a 10GBASE-R MAC).
    pub const MACTYPE_10GBASER: u16 = 4;
}

/// 3.0x8008 MV_PCS_CSSR1, copper specific status 1.
pub mod cssr1 {
    pub const SPD1: u16 = 0xc000;
    pub const SPD1_SPD2: u16 = 0xc000;
    pub const SPD1_1000: u16 = 0x8000;
    pub const SPD1_100: u16 = 0x4000;
    pub const DUPLEX: u16 = 0x2000;
    pub const RESOLVED: u16 = 0x0800;
    pub const LINK: u16 = 0x0400;
    pub const TX_PAUSE: u16 = 0x0200;
    pub const RX_PAUSE: u16 = 0x0100;
    pub const MDIX: u16 = 0x0040;
    pub const SPD2: u16 = 0x000c;
    pub const SPD2_5000: u16 = 0x0008;
    pub const SPD2_2500: u16 = 0x0004;
}

/// 3.0x8000 MV_PCS_CSCR1.
pub mod cscr1 {
    pub const MDIX: u16 = 0x0060;
    pub const MDIX_MDIX: u16 = 0x0020;
}

/// 3.0x8003 MV_PCS_DSC1.
pub mod dsc1 {
    pub const ENABLE: u16 = 0x0200;
    pub const TRIES_10GBT: u16 = 0x01c0;
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

/// 7.0x8000 / 7.0x8001: the 1000BASE-T control and status registers (Clause 22 registers 9
/// and 10 moved into the AN MMD).
pub mod gig {
    pub const MS_ENABLE: u16 = 0x1000;
    pub const MS_VALUE: u16 = 0x0800;
    pub const PORT_TYPE: u16 = 0x0400;
    pub const ADV_FULL: u16 = 0x0200;
    pub const ADV_HALF: u16 = 0x0100;
    pub const STAT_MS_RES: u16 = 0x4000;
    pub const STAT_LOCAL_RX: u16 = 0x2000;
    pub const STAT_REMOTE_RX: u16 = 0x1000;
    pub const STAT_LP_FULL: u16 = 0x0800;
    pub const STAT_LP_HALF: u16 = 0x0400;
}

/// The PMA/PMD device identifier: 88X3310P. Revisions 0xa/0xb do not set 1.11.14 although
/// they do 2.5G/5GBASE-T (the driver's MV_PHY_ALASKA_NBT_QUIRK).
pub const ID_HI: u16 = 0x002b;
pub const ID_LO: u16 = 0x09ab;
/// Devices in package: PMA/PMD, PCS, PHY XS, AN, vendor 1 and 2.
pub const DEVS1: u16 = 0x009a;
pub const DEVS2: u16 = 0xc000;
/// Firmware 0.3.10.0: new enough for the port soft reset on power-up and for downshift.
pub const FW_VER0: u16 = 0x0003;
pub const FW_VER1: u16 = 0x0a00;
/// The die temperature, as the sensor reports it (degrees C + 75): 42 C.
pub const TEMP_READING: u16 = 42 + 75;

/// An identity register every IEEE MMD of the package carries.
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

/// The register file with the identity registers folded in.
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
        addr: r(PMA, 11),
        name: "PMA/PMD extended ability",
        hook: None,
        // 10BASE-T, 100BASE-TX, 1000BASE-T, 10GBASE-T; not 1.11.14 (the NBT quirk).
        fields: &[Field::ro("abilities", 0xffff, 0x01a4)],
    },
    RegDef {
        addr: r(PMA, 21),
        name: "2.5G/5G PMA/PMD extended ability",
        hook: None,
        fields: &[Field::ro("abilities", 0x0003, 0x0003)],
    },
    RegDef {
        addr: PMA_FW_VER0,
        name: "MV_PMA_FW_VER0",
        hook: None,
        fields: &[Field::ro("version", 0xffff, FW_VER0)],
    },
    RegDef {
        addr: PMA_FW_VER1,
        name: "MV_PMA_FW_VER1",
        hook: None,
        fields: &[Field::ro("version", 0xffff, FW_VER1)],
    },
    RegDef {
        addr: PMA_BOOT,
        name: "MV_PMA_BOOT",
        hook: None,
        // The firmware booted: no fatal error (bit 0).
        fields: &[Field::ro("fatal", 0x0001, 0)],
    },
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
    RegDef {
        addr: r(PCS, 0x1000),
        name: "BASE-R PCS control 1",
        hook: None,
        fields: &[Field::sc("reset", ctrl1::RESET)],
    },
    RegDef {
        addr: PCS_BASE_R_STAT1,
        name: "BASE-R PCS status 1",
        hook: None,
        // The fibre side: nothing is ever plugged in.
        fields: &[Field::ll("link", 0x0004)],
    },
    RegDef {
        addr: PCS_CSCR1,
        name: "MV_PCS_CSCR1",
        hook: None,
        fields: &[
            Field::rw("energy_detect", 0x0300, 0),
            Field::rw("mdix", cscr1::MDIX, cscr1::MDIX),
        ],
    },
    RegDef {
        addr: PCS_DSC1,
        name: "MV_PCS_DSC1",
        hook: None,
        // Downshift off, two tries at each speed.
        fields: &[
            Field::rw("enable", dsc1::ENABLE, 0),
            Field::rw("tries_10gbt", dsc1::TRIES_10GBT, 0x0040),
            Field::rw("tries_1gbr", 0x0038, 0x0008),
            Field::rw("tries_100btx", 0x0007, 0x0001),
        ],
    },
    RegDef {
        addr: r(PCS, 0x8004),
        name: "MV_PCS_DSC2",
        hook: None,
        fields: &[
            Field::rw("tries_2p5g", 0xf000, 0x1000),
            Field::rw("tries_5g", 0x0f00, 0x0100),
        ],
    },
    RegDef {
        addr: PCS_CSSR1,
        name: "MV_PCS_CSSR1",
        hook: None,
        fields: &[
            Field::ro("speed1", cssr1::SPD1, 0),
            Field::ro("duplex", cssr1::DUPLEX, 0),
            Field::ro("resolved", cssr1::RESOLVED, 0),
            Field::ro("link", cssr1::LINK, 0),
            Field::ro("tx_pause", cssr1::TX_PAUSE, 0),
            Field::ro("rx_pause", cssr1::RX_PAUSE, 0),
            Field::ro("mdix", cssr1::MDIX, 0),
            Field::ro("speed2", cssr1::SPD2, 0),
        ],
    },
    RegDef {
        addr: r(PCS, 0xd00d),
        name: "MV_PCS_PORT_INFO",
        hook: None,
        // One port (88X3310, not 88X3340).
        fields: &[Field::ro("nports", 0x0380, 0)],
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
    RegDef {
        addr: r(AN, 60),
        name: "EEE advertisement 1",
        hook: None,
        fields: &[Field::rw("eee", 0x000e, 0x000e)],
    },
    RegDef {
        addr: r(AN, 61),
        name: "EEE LP advertisement 1",
        hook: None,
        fields: &[Field::ro("eee", 0xffff, 0)],
    },
    RegDef {
        addr: r(AN, 62),
        name: "EEE advertisement 2",
        hook: None,
        fields: &[Field::rw("eee", 0x0003, 0x0003)],
    },
    RegDef {
        addr: r(AN, 63),
        name: "EEE LP advertisement 2",
        hook: None,
        fields: &[Field::ro("eee", 0xffff, 0)],
    },
    RegDef {
        addr: AN_CTRL1000,
        name: "MV_AN_CTRL1000",
        hook: None,
        fields: &[
            Field::rw("ms_enable", gig::MS_ENABLE, 0),
            Field::rw("ms_value", gig::MS_VALUE, 0),
            Field::rw("port_type", gig::PORT_TYPE, 0),
            Field::rw("adv_full", gig::ADV_FULL, gig::ADV_FULL),
            Field::rw("adv_half", gig::ADV_HALF, 0),
        ],
    },
    RegDef {
        addr: AN_STAT1000,
        name: "MV_AN_STAT1000",
        hook: None,
        fields: &[
            Field::ro("ms_resolution", gig::STAT_MS_RES, 0),
            Field::ro("local_rx", gig::STAT_LOCAL_RX, 0),
            Field::ro("remote_rx", gig::STAT_REMOTE_RX, 0),
            Field::ro("lp_full", gig::STAT_LP_FULL, 0),
            Field::ro("lp_half", gig::STAT_LP_HALF, 0),
        ],
    },
    // ---- MMD 30 / 31, vendor ----
    RegDef {
        addr: r(VEND1, 8),
        name: "vendor 1 status 2",
        hook: None,
        // Not IEEE 802.3 registers: no "device present" pattern, so the bus scan skips them.
        fields: &[Field::ro("present", 0xc000, 0)],
    },
    RegDef {
        addr: r(VEND2, 8),
        name: "vendor 2 status 2",
        hook: None,
        fields: &[Field::ro("present", 0xc000, 0)],
    },
    RegDef {
        addr: PORT_CTRL,
        name: "MV_V2_PORT_CTRL",
        hook: Some(Hook::Port),
        fields: &[
            Field::sc("swrst", port::SWRST),
            Field::rw("power_down", port::PWRDOWN, 0),
            Field::rw("mactype", port::MACTYPE, port::MACTYPE_10GBASER),
        ],
    },
    RegDef {
        addr: r(VEND2, 0xf040),
        name: "MV_V2_PORT_INTR_STS",
        hook: None,
        fields: &[Field::rc("events", 0xffff)],
    },
    RegDef {
        addr: r(VEND2, 0xf043),
        name: "MV_V2_PORT_INTR_MASK",
        hook: None,
        fields: &[Field::rw("mask", 0xffff, 0)],
    },
    RegDef {
        addr: r(VEND2, 0xf06b),
        name: "MV_V2_MAGIC_PKT_WORD0",
        hook: None,
        fields: &[Field::rw("word", 0xffff, 0)],
    },
    RegDef {
        addr: r(VEND2, 0xf06c),
        name: "MV_V2_MAGIC_PKT_WORD1",
        hook: None,
        fields: &[Field::rw("word", 0xffff, 0)],
    },
    RegDef {
        addr: r(VEND2, 0xf06d),
        name: "MV_V2_MAGIC_PKT_WORD2",
        hook: None,
        fields: &[Field::rw("word", 0xffff, 0)],
    },
    RegDef {
        addr: r(VEND2, 0xf06e),
        name: "MV_V2_WOL_CTRL",
        hook: None,
        // The status-clear bit does not self-clear (marvell10g.c clears it itself).
        fields: &[
            Field::rw("clear_status", 0x8000, 0),
            Field::rw("magic_enable", 0x0001, 0),
        ],
    },
    RegDef {
        addr: r(VEND2, 0xf08a),
        name: "MV_V2_TEMP_CTRL",
        hook: None,
        fields: &[Field::rw("mode", 0xc000, 0)],
    },
    RegDef {
        addr: TEMP,
        name: "MV_V2_TEMP",
        hook: None,
        // The high byte takes what the driver writes (MV_V2_TEMP_UNKNOWN); the low byte is
        // the sensor, degrees C + 75.
        fields: &[
            Field::rw("config", 0xff00, 0),
            Field::ro("temperature", 0x00ff, TEMP_READING),
        ],
    },
];
