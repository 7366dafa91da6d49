//! The 88X3310 register map: Clause 45 MMDs 1 (PMA/PMD), 3 (PCS), 4 (PHY XS), 7 (AN) and the
//! vendor MMDs 30/31, as far as marvell10g.c, phylib's Clause 45 helpers and the bus scan
//! reach them: the IEEE registers `c45` shares, and the Marvell ones here. Addresses are
//! `RegAddr::new(devad, reg)`.

use super::M88X3310;
use crate::c45::regs::{
    ext_ability, fixed, ieee_map, mmd, storage, Hook, Package, AN, PCS, PHYXS, PMA, VEND1, VEND2,
};
use crate::regfile::{Field, RegAddr, RegDef};

pub const PACKAGE: Package = Package {
    phy_id: M88X3310.phy_id,
    mmds: &[PMA, PCS, PHYXS, AN, VEND1, VEND2],
    // 10BASE-T, 100BASE-TX, 1000BASE-T, 10GBASE-T; not 1.11.14 although the part does
    // 2.5G/5GBASE-T: revisions 0xa/0xb leave it clear, which is what the driver's
    // MV_PHY_ALASKA_NBT_QUIRK works around (the AQR113C sets it).
    pma_ext_ability: ext_ability::BASE_T10
        | ext_ability::BASE_TX100
        | ext_ability::BASE_T1000
        | ext_ability::BASE_T10G,
};

pub const PMA_BOOT: RegAddr = mmd(PMA, 0xc050);
pub const PCS_BASE_R_CTRL1: RegAddr = mmd(PCS, 0x1000);
pub const PCS_BASE_R_STAT1: RegAddr = mmd(PCS, 0x1001);
pub const PCS_CSCR1: RegAddr = mmd(PCS, 0x8000);
pub const PCS_DSC1: RegAddr = mmd(PCS, 0x8003);
pub const PCS_CSSR1: RegAddr = mmd(PCS, 0x8008);
pub const AN_CTRL1000: RegAddr = mmd(AN, 0x8000);
pub const AN_STAT1000: RegAddr = mmd(AN, 0x8001);
pub const PORT_CTRL: RegAddr = mmd(VEND2, 0xf001);
pub const TEMP: RegAddr = mmd(VEND2, 0xf08c);

/// 1.0xc050 MV_PMA_BOOT: the firmware failed to boot.
pub const BOOT_FATAL: u16 = 0x0001;
/// 3.0x1001: BASE-R receive link.
pub const BASE_R_LINK: u16 = 0x0004;
/// 31.0xf08c: the sensor's reading (the high byte is the driver's).
pub const TEMP_SENSOR: u16 = 0x00ff;

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
    /// Every bit the device drives.
    pub const DRIVEN: u16 = SPD1 | DUPLEX | RESOLVED | LINK | TX_PAUSE | RX_PAUSE | MDIX | SPD2;
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

/// 7.0x8000 / 7.0x8001: the 1000BASE-T control and status registers (Clause 22 registers 9
/// and 10 moved into the AN MMD).
pub mod gig {
    pub const MS_ENABLE: u16 = 0x1000;
    pub const MS_VALUE: u16 = 0x0800;
    pub const PORT_TYPE: u16 = 0x0400;
    pub const ADV_FULL: u16 = 0x0200;
    pub const ADV_HALF: u16 = 0x0100;
    pub const STAT_MS_FAULT: u16 = 0x8000;
    pub const STAT_MS_RES: u16 = 0x4000;
    pub const STAT_LOCAL_RX: u16 = 0x2000;
    pub const STAT_REMOTE_RX: u16 = 0x1000;
    pub const STAT_LP_FULL: u16 = 0x0800;
    pub const STAT_LP_HALF: u16 = 0x0400;
    /// The 7.0x8001 bits the device drives.
    pub const STAT_DRIVEN: u16 =
        STAT_MS_FAULT | STAT_MS_RES | STAT_LOCAL_RX | STAT_REMOTE_RX | STAT_LP_FULL | STAT_LP_HALF;
}

/// Firmware 0.3.10.0: new enough for the port soft reset on power-up and for downshift.
pub const FW_VER0: u16 = 0x0003;
pub const FW_VER1: u16 = 0x0a00;
/// The die temperature, as the sensor reports it (degrees C + 75): 42 C.
pub const TEMP_READING: u16 = 42 + 75;

pub static MAP: &[RegDef<Hook>] = ieee_map!(
    PACKAGE,
    [
        // ---- MMD 1, PMA/PMD ----
        fixed!(PMA, 0xc011, "MV_PMA_FW_VER0", FW_VER0),
        fixed!(PMA, 0xc012, "MV_PMA_FW_VER1", FW_VER1),
        RegDef {
            addr: PMA_BOOT,
            name: "MV_PMA_BOOT",
            hook: None,
            // The firmware booted: no fatal error (bit 0).
            fields: &[Field::ro("fatal", BOOT_FATAL, 0)],
        },
        // ---- MMD 3, PCS ----
        RegDef {
            addr: PCS_BASE_R_CTRL1,
            name: "BASE-R PCS control 1",
            hook: None,
            fields: &[Field::sc("reset", 0x8000)],
        },
        RegDef {
            addr: PCS_BASE_R_STAT1,
            name: "BASE-R PCS status 1",
            hook: None,
            // The fibre side: nothing is ever plugged in.
            fields: &[Field::ll("link", BASE_R_LINK)],
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
            addr: mmd(PCS, 0x8004),
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
            addr: mmd(PCS, 0xd00d),
            name: "MV_PCS_PORT_INFO",
            hook: None,
            // One port (88X3310, not 88X3340).
            fields: &[Field::ro("nports", 0x0380, 0)],
        },
        // ---- MMD 7, AN ----
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
                // Latching high, as in Clause 22 register 10.
                Field::lh("ms_fault", gig::STAT_MS_FAULT),
                Field::ro("ms_resolution", gig::STAT_MS_RES, 0),
                Field::ro("local_rx", gig::STAT_LOCAL_RX, 0),
                Field::ro("remote_rx", gig::STAT_REMOTE_RX, 0),
                Field::ro("lp_full", gig::STAT_LP_FULL, 0),
                Field::ro("lp_half", gig::STAT_LP_HALF, 0),
            ],
        },
        // ---- MMD 31, vendor 2 ----
        RegDef {
            addr: PORT_CTRL,
            name: "MV_V2_PORT_CTRL",
            hook: Some(Hook::Control),
            fields: &[
                Field::sc("swrst", port::SWRST),
                Field::rw("power_down", port::PWRDOWN, 0),
                Field::rw("mactype", port::MACTYPE, port::MACTYPE_10GBASER),
            ],
        },
        RegDef {
            addr: mmd(VEND2, 0xf040),
            name: "MV_V2_PORT_INTR_STS",
            hook: None,
            fields: &[Field::rc("events", 0xffff)],
        },
        storage!(VEND2, 0xf043, "MV_V2_PORT_INTR_MASK", 0xffff, 0),
        storage!(VEND2, 0xf06b, "MV_V2_MAGIC_PKT_WORD0", 0xffff, 0),
        storage!(VEND2, 0xf06c, "MV_V2_MAGIC_PKT_WORD1", 0xffff, 0),
        storage!(VEND2, 0xf06d, "MV_V2_MAGIC_PKT_WORD2", 0xffff, 0),
        RegDef {
            addr: mmd(VEND2, 0xf06e),
            name: "MV_V2_WOL_CTRL",
            hook: None,
            // The status-clear bit does not self-clear (marvell10g.c clears it itself).
            fields: &[
                Field::rw("clear_status", 0x8000, 0),
                Field::rw("magic_enable", 0x0001, 0),
            ],
        },
        storage!(VEND2, 0xf08a, "MV_V2_TEMP_CTRL", 0xc000, 0),
        RegDef {
            addr: TEMP,
            name: "MV_V2_TEMP",
            hook: None,
            // The high byte takes what the driver writes (MV_V2_TEMP_UNKNOWN); the low byte is
            // the sensor, degrees C + 75.
            fields: &[
                Field::rw("config", 0xff00, 0),
                Field::ro("temperature", TEMP_SENSOR, TEMP_READING),
            ],
        },
    ]
);
