//! IEEE 802.3 Clause 45 registers of a multi-gigabit BASE-T PHY (45.2): MMDs 1 (PMA/PMD),
//! 3 (PCS), 4 (PHY XS) and 7 (AN), the addresses and bits the models act on, and
//! `ieee_map!`, the register definitions every Clause 45 model shares. Addresses are
//! `RegAddr::new(devad, reg)`.

use crate::an::page;
use crate::regfile::RegAddr;

/// The registers whose writes act on more than their own bits.
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
    /// The vendor's chip control register (`Vendor::CONTROL`): soft reset and low power.
    Control,
}

pub const PMA: u16 = 1;
pub const PCS: u16 = 3;
pub const PHYXS: u16 = 4;
pub const AN: u16 = 7;
pub const C22EXT: u16 = 29;
pub const VEND1: u16 = 30;
pub const VEND2: u16 = 31;

pub const fn mmd(devad: u16, reg: u16) -> RegAddr {
    RegAddr::new(devad, reg)
}

pub const PMA_CTRL1: RegAddr = mmd(PMA, 0);
pub const PMA_STAT1: RegAddr = mmd(PMA, 1);
pub const PMA_TXDIS: RegAddr = mmd(PMA, 9);
pub const PCS_CTRL1: RegAddr = mmd(PCS, 0);
pub const PCS_STAT1: RegAddr = mmd(PCS, 1);
pub const PHYXS_STAT1: RegAddr = mmd(PHYXS, 1);
pub const AN_CTRL1: RegAddr = mmd(AN, 0);
pub const AN_STAT1: RegAddr = mmd(AN, 1);
pub const AN_ADVERTISE: RegAddr = mmd(AN, 16);
pub const AN_LPA: RegAddr = mmd(AN, 19);
pub const AN_10GBT_CTRL: RegAddr = mmd(AN, 32);
pub const AN_10GBT_STAT: RegAddr = mmd(AN, 33);
pub const AN_EEE_ADV1: RegAddr = mmd(AN, 60);
pub const AN_EEE_LPA1: RegAddr = mmd(AN, 61);
pub const AN_EEE_ADV2: RegAddr = mmd(AN, 62);
pub const AN_EEE_LPA2: RegAddr = mmd(AN, 63);

/// Control 1 (x.0) bits.
pub mod ctrl1 {
    pub const RESET: u16 = 0x8000;
    pub const LOW_POWER: u16 = 0x0800;
    pub const AN_ENABLE: u16 = 0x1000;
    pub const AN_RESTART: u16 = 0x0200;
    pub const SPEED_LSB: u16 = 0x2000;
    pub const SPEED_MSB: u16 = 0x0040;
    /// 1.0.5:2 with both speed bits set: 0 10G, 6 2.5G, 7 5G.
    pub const SPEED_SEL: u16 = 0x003c;
    pub const SPEED_2_5G: u16 = 6 << 2;
    pub const SPEED_5G: u16 = 7 << 2;
    pub const SPEED_LINK: u16 = SPEED_LSB | SPEED_MSB | SPEED_SEL;
}

/// Status 1 (x.1) of MMDs 1, 3 and 4: receive link status.
pub const STAT1_LINK: u16 = 0x0004;

/// 1.9 PMD transmit disable: global.
pub const TXDIS_GLOBAL: u16 = 0x0001;

/// The twisted-pair EEE bits of 7.60/7.61 (100BASE-TX, 1000BASE-T, 10GBASE-T; the backplane
/// bits 4-6 are reserved on these parts) and of 7.62/7.63 (2.5G/5GBASE-T), as `eee` lays them
/// out.
pub const EEE1_BASE_T: u16 = 0x000e;
pub const EEE2_BASE_T: u16 = 0x0003;

/// 1.11 PMA/PMD extended ability.
pub mod ext_ability {
    /// 2.5G/5GBASE-T abilities are in 1.21.
    pub const NBT: u16 = 0x4000;
    pub const BASE_T10: u16 = 0x0100;
    pub const BASE_TX100: u16 = 0x0080;
    pub const BASE_T1000: u16 = 0x0020;
    pub const BASE_T10G: u16 = 0x0004;
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
    pub const STAT_MS_FAULT: u16 = 0x8000;
    pub const STAT_MS_RES: u16 = 0x4000;
    pub const STAT_LOCOK: u16 = 0x2000;
    pub const STAT_REMOK: u16 = 0x1000;
    pub const STAT_LP10G: u16 = 0x0800;
    pub const STAT_LP_LOOP_TIMING: u16 = 0x0400;
    pub const STAT_LP5G: u16 = 0x0040;
    pub const STAT_LP2_5G: u16 = 0x0020;
    /// The 7.33 bits the device drives.
    pub const STAT_LIVE: u16 = STAT_MS_FAULT
        | STAT_MS_RES
        | STAT_LOCOK
        | STAT_REMOK
        | STAT_LP10G
        | STAT_LP_LOOP_TIMING
        | STAT_LP5G
        | STAT_LP2_5G;
}

/// What one part's IEEE registers say about it.
#[derive(Copy, Clone, Debug)]
pub struct Package {
    /// The PHY identifier in registers 2 and 3 of the IEEE MMDs.
    pub phy_id: u32,
    /// The MMDs that answer Clause 45 frames; devices in package (registers 5 and 6) lists them.
    pub mmds: &'static [u16],
    /// 1.11, [`ext_ability`] bits: the parts differ in what they claim there.
    pub pma_ext_ability: u16,
}

impl Package {
    pub const fn id_hi(&self) -> u16 {
        (self.phy_id >> 16) as u16
    }

    pub const fn id_lo(&self) -> u16 {
        self.phy_id as u16
    }

    /// Devices in package 1 (register 5): MMDs 0-15, bit n for MMD n.
    pub const fn devices1(&self) -> u16 {
        self.devices() as u16
    }

    /// Devices in package 2 (register 6): MMDs 16-31.
    pub const fn devices2(&self) -> u16 {
        (self.devices() >> 16) as u16
    }

    const fn devices(&self) -> u32 {
        let mut bits = 0;
        let mut i = 0;
        while i < self.mmds.len() {
            bits |= 1 << self.mmds[i];
            i += 1;
        }
        bits
    }

    pub fn answers(&self, devad: u8) -> bool {
        self.mmds.contains(&u16::from(devad))
    }
}

/// A read-only register of MMD `$devad` (`PMA`, `VEND1`, ...) that always reads `$value`.
macro_rules! fixed {
    ($devad:ident, $reg:expr, $name:expr, $value:expr) => {
        $crate::regfile::RegDef {
            addr: $crate::c45::regs::mmd($crate::c45::regs::$devad, $reg),
            name: $name,
            hook: None,
            fields: &[$crate::regfile::Field::ro("value", 0xffff, $value)],
        }
    };
}
pub(crate) use fixed;

/// A register of MMD `$devad` whose `$mask` bits are plain storage.
macro_rules! storage {
    ($devad:ident, $reg:expr, $name:expr, $mask:expr, $reset:expr) => {
        $crate::regfile::RegDef {
            addr: $crate::c45::regs::mmd($crate::c45::regs::$devad, $reg),
            name: $name,
            hook: None,
            fields: &[$crate::regfile::Field::rw("value", $mask, $reset)],
        }
    };
}
pub(crate) use storage;

/// The IEEE registers every part defines alike, for `ieee_map!`.
pub(crate) mod defs {
    use super::*;
    use crate::regfile::{Field, RegDef};

    // ---- MMD 1, PMA/PMD ----
    pub const PMA_CTRL1: RegDef<Hook> = RegDef {
        addr: super::PMA_CTRL1,
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
    };
    pub const PMA_STAT1: RegDef<Hook> = RegDef {
        addr: super::PMA_STAT1,
        name: "PMA/PMD status 1",
        hook: None,
        fields: &[
            Field::ll("link", STAT1_LINK),
            Field::ro("low_power_ability", 0x0002, 0x0002),
        ],
    };
    pub const PMA_SPEED: RegDef<Hook> = RegDef {
        addr: mmd(PMA, 4),
        name: "PMA/PMD speed ability",
        hook: None,
        // 10G, 1000, 100, 10M, 2.5G, 5G.
        fields: &[Field::ro("speeds", 0xffff, 0x6071)],
    };
    pub const PMA_CTRL2: RegDef<Hook> = RegDef {
        addr: mmd(PMA, 7),
        name: "PMA/PMD control 2",
        hook: None,
        // PMA/PMD type 0x09: 10GBASE-T.
        fields: &[Field::rw("type", 0x003f, 0x0009)],
    };
    pub const PMA_STAT2: RegDef<Hook> = RegDef {
        addr: mmd(PMA, 8),
        name: "PMA/PMD status 2",
        hook: None,
        // Device present, tx/rx fault abilities, extended abilities, PMA loopback.
        fields: &[Field::ro("abilities", 0xffff, 0xb201)],
    };
    pub const PMA_NBT_ABILITY: RegDef<Hook> = RegDef {
        addr: mmd(PMA, 21),
        name: "2.5G/5G PMA/PMD extended ability",
        hook: None,
        fields: &[Field::ro("abilities", 0x0003, 0x0003)],
    };

    // ---- MMD 3, PCS ----
    pub const PCS_CTRL1: RegDef<Hook> = RegDef {
        addr: super::PCS_CTRL1,
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
    };
    pub const PCS_STAT1: RegDef<Hook> = RegDef {
        addr: super::PCS_STAT1,
        name: "PCS status 1",
        hook: None,
        fields: &[
            Field::ll("link", STAT1_LINK),
            Field::ro("low_power_ability", 0x0002, 0x0002),
        ],
    };
    pub const PCS_SPEED: RegDef<Hook> = RegDef {
        addr: mmd(PCS, 4),
        name: "PCS speed ability",
        hook: None,
        // 10G, 2.5G, 5G.
        fields: &[Field::ro("speeds", 0xffff, 0x00c1)],
    };
    pub const PCS_STAT2: RegDef<Hook> = RegDef {
        addr: mmd(PCS, 8),
        name: "PCS status 2",
        hook: None,
        // Device present, 10GBASE-T PCS capable.
        fields: &[Field::ro("abilities", 0xffff, 0x8008)],
    };
    // 100BASE-TX, 1000BASE-T, 10GBASE-T EEE.
    pub const PCS_EEE1: RegDef<Hook> = fixed!(PCS, 20, "EEE control and capability 1", 0x000e);
    // 2.5GBASE-T, 5GBASE-T EEE.
    pub const PCS_EEE2: RegDef<Hook> = fixed!(PCS, 21, "EEE control and capability 2", 0x0003);

    // ---- MMD 4, PHY XS ----
    pub const PHYXS_CTRL1: RegDef<Hook> = RegDef {
        addr: mmd(PHYXS, 0),
        name: "PHY XS control 1",
        hook: None,
        fields: &[
            Field::rw("loopback", 0x4000, 0),
            Field::rw("speed_lsb", ctrl1::SPEED_LSB, ctrl1::SPEED_LSB),
            Field::rw("low_power", ctrl1::LOW_POWER, 0),
            Field::rw("speed_msb", ctrl1::SPEED_MSB, ctrl1::SPEED_MSB),
        ],
    };
    pub const PHYXS_STAT1: RegDef<Hook> = RegDef {
        addr: super::PHYXS_STAT1,
        name: "PHY XS status 1",
        hook: None,
        fields: &[
            Field::ll("link", STAT1_LINK),
            Field::ro("low_power_ability", 0x0002, 0x0002),
        ],
    };
    pub const PHYXS_STAT2: RegDef<Hook> = RegDef {
        addr: mmd(PHYXS, 8),
        name: "PHY XS status 2",
        hook: None,
        fields: &[Field::ro("present", 0xc000, 0x8000)],
    };

    // ---- MMD 7, AN ----
    pub const AN_CTRL1: RegDef<Hook> = RegDef {
        addr: super::AN_CTRL1,
        name: "AN control 1",
        hook: Some(Hook::An),
        fields: &[
            Field::sc("reset", ctrl1::RESET),
            Field::rw("xnp", 0x2000, 0x2000),
            Field::rw("enable", ctrl1::AN_ENABLE, ctrl1::AN_ENABLE),
            Field::sc("restart", ctrl1::AN_RESTART),
        ],
    };
    pub const AN_STAT1: RegDef<Hook> = RegDef {
        addr: super::AN_STAT1,
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
    };
    pub const AN_ADVERTISE: RegDef<Hook> = RegDef {
        addr: super::AN_ADVERTISE,
        name: "AN advertisement",
        hook: None,
        fields: &[
            // Next pages carry the 1000BASE-T and multi-gigabit abilities.
            Field::ro("np", page::NP, page::NP),
            Field::rw("pause", page::PAUSE | page::ASYM_DIR, 0),
            Field::rw("100base4", 0x0200, 0),
            Field::rw("abilities", 0x01e0, 0x01e0),
            Field::ro("selector", 0x001f, page::SELECTOR_802_3),
        ],
    };
    pub const AN_LPA: RegDef<Hook> = RegDef {
        addr: super::AN_LPA,
        name: "AN LP base page ability",
        hook: None,
        fields: &[Field::ro("page", 0xffff, 0)],
    };
    pub const AN_10GBT_CTRL: RegDef<Hook> = RegDef {
        addr: super::AN_10GBT_CTRL,
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
    };
    pub const AN_10GBT_STAT: RegDef<Hook> = RegDef {
        addr: super::AN_10GBT_STAT,
        name: "10GBASE-T AN status",
        hook: None,
        fields: &[
            // Latching high (45.2.7.11): a fault stays visible until read, across the
            // restart that follows it.
            Field::lh("ms_fault", tengbt::STAT_MS_FAULT),
            Field::ro("ms_resolution", tengbt::STAT_MS_RES, 0),
            Field::ro("local_ok", tengbt::STAT_LOCOK, 0),
            Field::ro("remote_ok", tengbt::STAT_REMOK, 0),
            Field::ro("lp10g", tengbt::STAT_LP10G, 0),
            Field::ro("lp_loop_timing", tengbt::STAT_LP_LOOP_TIMING, 0),
            Field::ro("lp5g", tengbt::STAT_LP5G, 0),
            Field::ro("lp2_5g", tengbt::STAT_LP2_5G, 0),
        ],
    };
    // The advertisements are taken when the link starts over; the partner's arrive with its
    // EEE technology message page.
    pub const AN_EEE_ADV1: RegDef<Hook> =
        storage!(AN, 60, "EEE advertisement 1", EEE1_BASE_T, EEE1_BASE_T);
    pub const AN_EEE_LPA1: RegDef<Hook> = RegDef {
        addr: super::AN_EEE_LPA1,
        name: "EEE LP advertisement 1",
        hook: None,
        fields: &[Field::ro("lp_eee", EEE1_BASE_T, 0)],
    };
    pub const AN_EEE_ADV2: RegDef<Hook> =
        storage!(AN, 62, "EEE advertisement 2", EEE2_BASE_T, EEE2_BASE_T);
    pub const AN_EEE_LPA2: RegDef<Hook> = RegDef {
        addr: super::AN_EEE_LPA2,
        name: "EEE LP advertisement 2",
        hook: None,
        fields: &[Field::ro("lp_eee", EEE2_BASE_T, 0)],
    };

    // ---- MMD 30 / 31, vendor ----
    // Not IEEE 802.3 registers: no "device present" pattern, so the bus scan skips them.
    pub const VEND1_STAT2: RegDef<Hook> = RegDef {
        addr: mmd(VEND1, 8),
        name: "vendor 1 status 2",
        hook: None,
        fields: &[Field::ro("present", 0xc000, 0)],
    };
    pub const VEND2_STAT2: RegDef<Hook> = RegDef {
        addr: mmd(VEND2, 8),
        name: "vendor 2 status 2",
        hook: None,
        fields: &[Field::ro("present", 0xc000, 0)],
    };
}

/// A part's register map (`&'static [RegDef<Hook>]`): the IEEE registers of MMDs 1, 3, 4 and
/// 7 and status 2 of the vendor MMDs 30 and 31 for `$package` (a [`Package`] constant),
/// followed by the part's own registers.
///
/// A macro because `RegFile` takes one static table, and only a macro can splice the shared
/// definitions and the part's into one slice literal.
macro_rules! ieee_map {
    ($package:expr, [$($vendor:expr),* $(,)?]) => {
        &[
            $crate::c45::regs::defs::PMA_CTRL1,
            $crate::c45::regs::defs::PMA_STAT1,
            $crate::c45::regs::defs::PMA_SPEED,
            $crate::c45::regs::defs::PMA_CTRL2,
            $crate::c45::regs::defs::PMA_STAT2,
            $crate::c45::regs::fixed!(PMA, 11, "PMA/PMD extended ability", $package.pma_ext_ability),
            $crate::c45::regs::defs::PMA_NBT_ABILITY,
            $crate::c45::regs::defs::PCS_CTRL1,
            $crate::c45::regs::defs::PCS_STAT1,
            $crate::c45::regs::defs::PCS_SPEED,
            $crate::c45::regs::defs::PCS_STAT2,
            $crate::c45::regs::defs::PCS_EEE1,
            $crate::c45::regs::defs::PCS_EEE2,
            $crate::c45::regs::defs::PHYXS_CTRL1,
            $crate::c45::regs::defs::PHYXS_STAT1,
            $crate::c45::regs::defs::PHYXS_STAT2,
            $crate::c45::regs::defs::AN_CTRL1,
            $crate::c45::regs::defs::AN_STAT1,
            $crate::c45::regs::defs::AN_ADVERTISE,
            $crate::c45::regs::defs::AN_LPA,
            $crate::c45::regs::defs::AN_10GBT_CTRL,
            $crate::c45::regs::defs::AN_10GBT_STAT,
            $crate::c45::regs::defs::AN_EEE_ADV1,
            $crate::c45::regs::defs::AN_EEE_LPA1,
            $crate::c45::regs::defs::AN_EEE_ADV2,
            $crate::c45::regs::defs::AN_EEE_LPA2,
            $crate::c45::regs::defs::VEND1_STAT2,
            $crate::c45::regs::defs::VEND2_STAT2,
            $crate::c45::regs::fixed!(PMA, 2, "PMA/PMD device identifier 1", $package.id_hi()),
            $crate::c45::regs::fixed!(PMA, 3, "PMA/PMD device identifier 2", $package.id_lo()),
            $crate::c45::regs::fixed!(PMA, 5, "PMA/PMD devices in package 1", $package.devices1()),
            $crate::c45::regs::fixed!(PMA, 6, "PMA/PMD devices in package 2", $package.devices2()),
            $crate::c45::regs::fixed!(PCS, 2, "PCS device identifier 1", $package.id_hi()),
            $crate::c45::regs::fixed!(PCS, 3, "PCS device identifier 2", $package.id_lo()),
            $crate::c45::regs::fixed!(PCS, 5, "PCS devices in package 1", $package.devices1()),
            $crate::c45::regs::fixed!(PCS, 6, "PCS devices in package 2", $package.devices2()),
            $crate::c45::regs::fixed!(PHYXS, 2, "PHY XS device identifier 1", $package.id_hi()),
            $crate::c45::regs::fixed!(PHYXS, 3, "PHY XS device identifier 2", $package.id_lo()),
            $crate::c45::regs::fixed!(PHYXS, 5, "PHY XS devices in package 1", $package.devices1()),
            $crate::c45::regs::fixed!(PHYXS, 6, "PHY XS devices in package 2", $package.devices2()),
            $crate::c45::regs::fixed!(AN, 2, "AN device identifier 1", $package.id_hi()),
            $crate::c45::regs::fixed!(AN, 3, "AN device identifier 2", $package.id_lo()),
            $crate::c45::regs::fixed!(AN, 5, "AN devices in package 1", $package.devices1()),
            $crate::c45::regs::fixed!(AN, 6, "AN devices in package 2", $package.devices2()),
            $($vendor),*
        ]
    };
}
pub(crate) use ieee_map;
