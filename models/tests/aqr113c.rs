//! The AQR113C model driven the way Linux's aquantia driver (aquantia_main.c,
//! aquantia_firmware.c, aquantia_hwmon.c) and phylib's Clause 45 helpers drive it (same
//! registers, order and waits), plus a property test of its register-level invariants.

mod common;

use common::bus::{phy_from_dump, Bus, C45};
use common::media::{
    configured_with, full_partner_pausing, negotiating, ALL_FULL, FORCED_MASTER, FORCED_SLAVE,
};
use common::phylib;
use common::props::{self, c45::Act};
use common::MS;
use phy_sim_models::aquantia::{Aqr113c, AQR113C};
use phy_sim_models::{dump, eee};
use phy_sim_models::{
    Duplex, Instant, LinkMode, LinkPartner, LinkTiming, MasterSlave, MdioDevice, Medium, Pause,
    Phy, Speed,
};
use proptest::prelude::*;
use std::time::Duration;

const PMA: u8 = 1;
const PCS: u8 = 3;
const PHYXS: u8 = 4;
const AN: u8 = 7;
const C22EXT: u8 = 29;
const VEND1: u8 = 30;

const VEND1_GLOBAL_FW_ID: u16 = 0x0020;
const VEND1_GLOBAL_CFG: [u16; 6] = [0x0310, 0x031b, 0x031c, 0x031d, 0x031e, 0x031f];
const VEND1_THERMAL_STAT1: u16 = 0xc820;
const VEND1_THERMAL_STAT2: u16 = 0xc821;
const VEND1_GENERAL_STAT1: u16 = 0xc830;
const VEND1_GLOBAL_GEN_STAT2: u16 = 0xc831;
const VEND1_GLOBAL_RSVD_STAT1: u16 = 0xc885;
const VEND1_GLOBAL_RSVD_STAT9: u16 = 0xc88d;
const VEND1_GLOBAL_INT_VEND_STATUS: u16 = 0xfc01;
const VEND1_GLOBAL_INT_STD_MASK: u16 = 0xff00;
const VEND1_GLOBAL_INT_VEND_MASK: u16 = 0xff01;
const PMAPMD_FW_MISC_ID: u16 = 0xc41d;
const PMAPMD_FW_MISC_VER: u16 = 0xc41e;
const MDIO_PHYXS_VEND_IF_STATUS: u16 = 0xe812;
const MDIO_AN_VEND_PROV: u16 = 0xc400;
const MDIO_AN_RESVD_VEND_PROV: u16 = 0xc410;
const MDIO_AN_TX_VEND_STATUS1: u16 = 0xc800;
const MDIO_AN_RESVD_VEND_STATUS1: u16 = 0xc810;
const MDIO_AN_TX_VEND_INT_STATUS2: u16 = 0xcc01;
const MDIO_AN_TX_VEND_INT_MASK2: u16 = 0xd401;
const MDIO_AN_RX_LP_STAT1: u16 = 0xe820;

/// The subset of phylib + aquantia (Linux 7.3) that touches the PHY.
struct Linux {
    phy: Box<dyn Phy>,
    now: Instant,
    link: bool,
    /// Interrupt mode (phy_polling_mode() false).
    irq: bool,
    /// phydev->supported_eee (3.20, 3.21) and advertising_eee, in the 7.60 / 7.62 layouts.
    eee_supported: (u16, u16),
    eee_adv: (u16, u16),
    /// phydev->eee_cfg.eee_enabled.
    eee_enabled: bool,
    /// What genphy_c45_read_master_slave() left for `ethtool`'s master-slave lines.
    ms_cfg: &'static str,
    ms_state: &'static str,
}

#[derive(Debug, PartialEq, Eq)]
struct Status {
    link: bool,
    speed: u32,
    duplex: Duplex,
    /// What aqr_gen1_read_status() gives phylink.
    interface: &'static str,
}

common::bus::c45_replay!(Linux);

impl Linux {
    /// aqr_wait_reset_complete(): poll VEND1_GLOBAL_FW_ID every 20 ms for up to 2 s.
    fn wait_reset_complete(&mut self) -> u16 {
        for _ in 0..100 {
            let v = self.rd(VEND1, VEND1_GLOBAL_FW_ID);
            if v != 0 {
                return v;
            }
            self.sleep(20 * MS);
        }
        panic!("no firmware");
    }

    /// aqr_gen1_wait_processor_intensive_op().
    fn wait_op(&mut self) {
        self.sleep(MS);
        for _ in 0..100 {
            if self.rd(VEND1, VEND1_GLOBAL_GEN_STAT2) & 0x8000 == 0 {
                return;
            }
            self.sleep(MS);
        }
        panic!("processor-intensive operation timed out");
    }

    fn boot(medium: Medium, irq: bool) -> Linux {
        Linux::boot_from("", medium, irq)
    }

    /// get_phy_c45_ids(), aqr107_probe(), get_features, config_init (aqr_gen4_config_init),
    /// config_intr and phy_start() -> config_aneg(), on a PHY that powered up from `dump` as
    /// the device server loads a scenario's `registers`.
    fn boot_from(dump: &str, medium: Medium, irq: bool) -> Linux {
        let mut phy = phy_from_dump("aquantia-aqr113c", dump);
        phy.set_medium(Instant::ZERO, medium);
        assert_eq!(phy.c22_read(Instant::ZERO, 2), None, "Clause 45 only");
        let mut l = Linux {
            phy,
            now: Instant::ZERO,
            link: false,
            irq,
            eee_supported: (0, 0),
            eee_adv: (0, 0),
            eee_enabled: false,
            ms_cfg: "unsupported",
            ms_state: "unsupported",
        };
        l.sleep(500 * MS);
        // Bus scan.
        let devs = u32::from(l.rd(PMA, 6)) << 16 | u32::from(l.rd(PMA, 5));
        assert_eq!(devs, 0xe000_009a);
        for devad in [30, 31] {
            assert_ne!(l.rd(devad, 8) & 0xc000, 0x8000, "vendor MMDs are not IEEE");
        }
        for devad in [1, 3, 4, 7, 29] {
            let id = u32::from(l.rd(devad, 2)) << 16 | u32::from(l.rd(devad, 3));
            assert_eq!(id, 0x31c3_1c12, "PHY_ID_AQR113C, PHY_ID_MATCH_MODEL");
        }
        // Probe: aqr_firmware_load() finds the firmware running; aqr_hwmon_probe().
        assert_ne!(l.wait_reset_complete(), 0);
        // phy_disable_interrupts().
        l.config_intr(false);
        // get_features: genphy_c45_pma_read_abilities().
        assert_ne!(l.rd(AN, 1) & 0x0008, 0, "AN able");
        let ext = l.rd(PMA, 11);
        assert_eq!(ext & 0x41a4, 0x41a4, "10/100/1000/10G and NBT");
        assert_eq!(l.rd(PMA, 21) & 3, 3, "2.5G/5G");
        // genphy_c45_read_eee_abilities(): 1.11 named the 100/1000/10G and 2.5G/5G modes, so
        // both capability registers count.
        l.eee_supported = (l.rd(PCS, 20) & 0x000e, l.rd(PCS, 21) & 0x0003);
        assert_eq!(l.eee_supported, (0x000e, 0x0003));
        // phy_probe(): genphy_c45_read_eee_adv() takes the power-on advertisement.
        l.eee_adv = (
            l.rd(AN, 60) & l.eee_supported.0,
            l.rd(AN, 62) & l.eee_supported.1,
        );
        l.eee_enabled = l.eee_adv != (0, 0);
        // config_init: aqr_gen1_config_init().
        let fw = l.wait_reset_complete();
        assert_eq!(fw, l.rd(VEND1, VEND1_GLOBAL_FW_ID));
        let _ = l.rd(VEND1, VEND1_GLOBAL_RSVD_STAT1);
        let _ = l.rd(PMA, PMAPMD_FW_MISC_ID);
        let _ = l.rd(PMA, PMAPMD_FW_MISC_VER);
        l.modify(AN, MDIO_AN_VEND_PROV, 0x001f, 0x0014);
        // aqr_gen2_fill_interface_modes(): wait_on_global_cfg, then every speed.
        assert_ne!(l.rd(VEND1, VEND1_GLOBAL_CFG[1]), 0);
        for reg in VEND1_GLOBAL_CFG {
            let v = l.rd(VEND1, reg);
            assert_eq!(v & 0x0007, 0, "XFI");
            assert_eq!(v & 0x0180, 0x0100, "pause rate adaptation");
        }
        // aqr_gen4_config_init(): clear PMD global transmit disable.
        l.modify(PMA, 9, 0x0001, 0);
        l.wait_op();
        if irq {
            l.config_intr(true);
        }
        // phy_start(): aqr_gen1_resume().
        l.modify(VEND1, 0, 0x0800, 0);
        l.wait_op();
        l.config_aneg();
        l
    }

    /// aqr_config_intr().
    fn config_intr(&mut self, en: bool) {
        if en {
            let _ = self.rd(AN, MDIO_AN_TX_VEND_INT_STATUS2);
        }
        self.wr(AN, MDIO_AN_TX_VEND_INT_MASK2, u16::from(en));
        self.wr(VEND1, VEND1_GLOBAL_INT_STD_MASK, u16::from(en));
        self.wr(
            VEND1,
            VEND1_GLOBAL_INT_VEND_MASK,
            if en { 0x1001 } else { 0 },
        );
        if !en {
            let _ = self.rd(AN, MDIO_AN_TX_VEND_INT_STATUS2);
        }
    }

    /// genphy_c45_an_config_eee_aneg(): phylib's advertisement, or none while EEE is off.
    fn config_eee_aneg(&mut self) -> bool {
        let (adv1, adv2) = if self.eee_enabled {
            self.eee_adv
        } else {
            (0, 0)
        };
        let c1 = self.modify(AN, 60, 0x007e, adv1);
        let c2 = self.modify(AN, 62, 0x0003, adv2);
        c1 || c2
    }

    /// `ethtool --set-eee eee on|off` (genphy_c45_ethtool_set_eee()): 7.60/7.62 rewritten,
    /// autonegotiation restarted if that changed them.
    fn set_eee(&mut self, on: bool) {
        self.eee_enabled = on;
        if self.config_eee_aneg() {
            self.modify(AN, 0, 0, 0x1200);
        }
    }

    /// `ethtool --show-eee` on the link `s` (genphy_c45_ethtool_get_eee()): the partner's
    /// 7.61 / 7.63 (nothing read while EEE is off) and whether EEE is active, which phylib
    /// decides where its advertisement and the partner's share the link's mode
    /// (genphy_c45_eee_is_active()).
    fn show_eee(&mut self, s: &Status) -> ((u16, u16), bool) {
        if !self.eee_enabled {
            return ((0, 0), false);
        }
        let lp = (self.rd(AN, 61), self.rd(AN, 63));
        let mode = phylib::eee_mode(s.link, s.speed, s.duplex);
        let active = self.eee_adv.0 & lp.0 & mode.0 != 0 || self.eee_adv.1 & lp.1 & mode.1 != 0;
        (lp, active)
    }

    /// aqr_handle_interrupt(): true if it was ours.
    fn handle_interrupt(&mut self) -> bool {
        self.rd(AN, MDIO_AN_TX_VEND_INT_STATUS2) & 1 != 0
    }

    /// aqr_config_aneg() with every supported mode advertised.
    fn config_aneg(&mut self) {
        let mut changed = self.modify(AN, MDIO_AN_RESVD_VEND_PROV, 0x0003, 0);
        changed |= self.config_eee_aneg();
        changed |= self.modify(AN, 16, 0x0fe0, 0x01e0);
        changed |= self.modify(AN, 32, 0x1180, 0x1180);
        changed |= self.modify(AN, MDIO_AN_VEND_PROV, 0xcc00, 0x8c00);
        if changed || self.rd(AN, 0) & 0x1000 == 0 {
            self.modify(AN, 0, 0, 0x1200);
        }
    }

    /// aqr_gen2_read_status().
    fn read_status(&mut self) -> Status {
        let mut s = Status {
            link: false,
            speed: 0,
            duplex: Duplex::Half,
            interface: "",
        };
        let _lp = self.rd(AN, MDIO_AN_RX_LP_STAT1);
        // genphy_c45_aneg_done()
        if self.rd(AN, 1) & 0x0020 != 0 {
            let _ = self.rd(AN, MDIO_AN_RESVD_VEND_STATUS1);
        }
        // genphy_c45_read_link(): double read only when the link was down or polling.
        let mut link = true;
        if self.rd(AN, 0) & 0x0200 != 0 {
            link = false;
        } else {
            if !self.irq || !self.link {
                let _ = self.rd(PMA, 1);
            }
            link &= self.rd(PMA, 1) & 4 != 0;
        }
        // genphy_c45_read_lpa()
        let an1 = self.rd(AN, 1);
        if an1 & 0x0020 != 0 {
            let _ = self.rd(AN, 19);
            let _ = self.rd(AN, 33);
        }
        self.read_master_slave(link);
        self.link = link;
        if !link {
            return s;
        }
        let ifs = self.rd(PHYXS, MDIO_PHYXS_VEND_IF_STATUS);
        s.interface = match (ifs >> 3) & 0x1f {
            2 => "10gbase-r",
            3 => "usxgmii",
            6 => "sgmii",
            10 => "2500base-x",
            _ => {
                self.link = false;
                return s;
            }
        };
        let v = self.rd(AN, MDIO_AN_TX_VEND_STATUS1);
        s.duplex = if v & 1 != 0 {
            Duplex::Full
        } else {
            Duplex::Half
        };
        s.speed = match (v >> 1) & 7 {
            0 => 10,
            1 => 100,
            2 => 1000,
            3 => 10000,
            4 => 2500,
            5 => 5000,
            _ => 0,
        };
        s.link = true;
        s
    }

    /// genphy_c45_read_master_slave(): the configuration from 7.32, the state from 7.33 (a
    /// fault first, the role only with link).
    fn read_master_slave(&mut self, link: bool) {
        let ctrl = self.rd(AN, 32);
        self.ms_cfg = match (ctrl & 0x8000 != 0, ctrl & 0x4000 != 0, ctrl & 0x2000 != 0) {
            (true, true, _) => "forced-master",
            (true, false, _) => "forced-slave",
            (false, _, true) => "preferred-master",
            (false, _, false) => "preferred-slave",
        };
        let stat = self.rd(AN, 33);
        self.ms_state = if stat & 0x8000 != 0 {
            "err"
        } else if !link {
            "unknown"
        } else if stat & 0x4000 != 0 {
            "master"
        } else {
            "slave"
        };
    }

    /// Polls once a second until the link is up (or `limit` passes).
    fn wait_link(&mut self, limit: Duration) -> Status {
        let end = self.now + limit;
        phylib::poll(self, end, Linux::read_status, |s| s.link)
    }

    fn partner(&mut self, modes: &[LinkMode]) {
        self.phy.set_medium(self.now, negotiating(modes));
    }
}

#[test]
fn ten_gig_then_two_and_a_half_then_hundred_then_a_flap() {
    let mut l = Linux::boot(negotiating(&ALL_FULL), false);
    let start = l.now;
    let s = l.wait_link(10_000 * MS);
    assert_eq!(
        s,
        Status {
            link: true,
            speed: 10000,
            duplex: Duplex::Full,
            interface: "10gbase-r"
        }
    );
    let t = LinkTiming::default();
    assert!(l.now.saturating_duration_since(start) >= t.autoneg + t.link_multigig);
    assert_eq!(l.rd(AN, 33) & 0x0860, 0x0860, "partner 10G/5G/2.5G pages");
    assert_eq!(
        l.rd(AN, MDIO_AN_RX_LP_STAT1) & 0xc000,
        0x8000,
        "partner 1000/full"
    );
    assert_eq!(l.phy.link_state().speed, Some(Speed::S10000));

    l.partner(&[
        LinkMode::BaseT100Full,
        LinkMode::BaseT1000Full,
        LinkMode::BaseT2500Full,
    ]);
    assert!(
        !l.read_status().link,
        "a partner change drops the link at once"
    );
    l.sleep(1000 * MS);
    let s = l.wait_link(10_000 * MS);
    assert_eq!(
        (s.speed, s.interface),
        (2500, "10gbase-r"),
        "rate adaptation"
    );
    assert_eq!(l.rd(AN, 33) & 0x0860, 0x0020);

    l.partner(&[LinkMode::BaseT1000Full]);
    l.sleep(1000 * MS);
    let s = l.wait_link(10_000 * MS);
    assert_eq!(s.speed, 1000);

    l.partner(&[LinkMode::BaseT100Full, LinkMode::BaseT100Half]);
    l.sleep(1000 * MS);
    let s = l.wait_link(10_000 * MS);
    assert_eq!((s.speed, s.duplex), (100, Duplex::Full));
    assert_eq!(l.rd(AN, 19) & 0x0180, 0x0180);

    // Flap.
    let mut m = l.phy.medium().clone();
    m.cable.connected = false;
    l.phy.set_medium(l.now, m.clone());
    assert_eq!(
        l.rd(PHYXS, MDIO_PHYXS_VEND_IF_STATUS) & 0x00f8,
        9 << 3,
        "host interface off"
    );
    assert!(!l.read_status().link);
    l.sleep(1000 * MS);
    m.cable.connected = true;
    l.phy.set_medium(l.now, m);
    l.sleep(1000 * MS);
    let s = l.wait_link(5000 * MS);
    assert_eq!(s.speed, 100);
    assert!(
        l.phy.take_unimplemented().is_empty(),
        "the driver's registers are all modelled"
    );
}

#[test]
fn interrupts_follow_link_changes_and_masks() {
    let mut l = Linux::boot(negotiating(&ALL_FULL), true);
    assert!(!l.phy.irq_asserted(), "nothing pending after config_intr");
    let t = LinkTiming::default();
    l.sleep(t.autoneg + t.link_multigig + 100 * MS);
    assert!(l.phy.irq_asserted(), "link up raises INT#");
    assert_eq!(l.rd(VEND1, VEND1_GLOBAL_INT_VEND_STATUS) & 0x1000, 0x1000);
    assert!(l.handle_interrupt());
    assert!(!l.phy.irq_asserted(), "reading 7.0xcc01 acknowledges");
    assert!(!l.handle_interrupt(), "clear on read");
    let s = l.read_status();
    assert_eq!(s.speed, 10000);

    // Unplug: link down raises it again.
    let mut m = l.phy.medium().clone();
    m.cable.connected = false;
    l.phy.set_medium(l.now, m.clone());
    assert!(l.phy.irq_asserted());
    assert!(l.handle_interrupt());
    assert!(!l.read_status().link);

    // Masked: the event latches but INT# stays quiet.
    l.config_intr(false);
    m.cable.connected = true;
    l.phy.set_medium(l.now, m);
    l.sleep(t.autoneg + t.link_multigig + 100 * MS);
    assert!(l.phy.link_state().up);
    assert!(!l.phy.irq_asserted());
    assert_eq!(l.rd(VEND1, VEND1_GLOBAL_INT_VEND_STATUS), 0);
}

#[test]
fn suspend_transmit_disable_and_forced() {
    let mut l = Linux::boot(negotiating(&ALL_FULL), false);
    l.wait_link(10_000 * MS);
    // aqr_gen1_suspend(): low power drops everything.
    l.modify(VEND1, 0, 0, 0x0800);
    l.wait_op();
    assert!(!l.phy.link_state().up);
    assert_eq!(l.rd(AN, MDIO_AN_TX_VEND_STATUS1), 0);
    l.sleep(10_000 * MS);
    assert!(!l.read_status().link);
    l.modify(VEND1, 0, 0x0800, 0);
    l.wait_op();
    let s = l.wait_link(10_000 * MS);
    assert_eq!(s.speed, 10000);

    // PMD global transmit disable holds the line down.
    l.modify(PMA, 9, 0, 1);
    l.sleep(10_000 * MS);
    assert!(!l.phy.link_state().up);
    l.modify(PMA, 9, 1, 0);
    assert_eq!(l.wait_link(10_000 * MS).speed, 10000);

    // Forced 1000 against a forcing partner (genphy_c45_pma_setup_forced()).
    l.phy.set_medium(
        l.now,
        Medium::cable_to(LinkPartner::forcing(Speed::S1000, Duplex::Full), 5.0),
    );
    l.modify(PMA, 0, 0x207c, 0x0040);
    l.modify(PMA, 7, 0x003f, 0x000c);
    l.modify(AN, 0, 0x1200, 0);
    l.sleep(5000 * MS);
    assert!(l.phy.link_state().up);
    assert_eq!(l.phy.link_state().speed, Some(Speed::S1000));
    // MDI-X forced shows in the vendor status.
    l.modify(AN, MDIO_AN_RESVD_VEND_PROV, 3, 2);
    assert_eq!(l.rd(AN, MDIO_AN_RESVD_VEND_STATUS1) & 0x0100, 0x0100);
}

#[test]
fn temperature_identity_and_counters() {
    let mut phy = Aqr113c::new(&AQR113C, Instant::ZERO).unwrap();
    let now = Instant::ZERO;
    assert_eq!(
        phy.c45_read(now, VEND1, VEND1_THERMAL_STAT2),
        Some(1),
        "valid"
    );
    let t = phy.c45_read(now, VEND1, VEND1_THERMAL_STAT1).unwrap() as i16;
    assert_eq!(i32::from(t) * 1000 / 256, 42_000);
    // Thresholds are writable (hwmon temp*_max/crit/min/lcrit).
    let crit = phy.c45_read(now, VEND1, 0xc421).unwrap() as i16;
    assert!(crit > t);
    phy.c45_write(now, VEND1, 0xc421, (90 * 256) as u16);
    assert_eq!(phy.c45_read(now, VEND1, 0xc421), Some(90 * 256));
    assert_eq!(phy.c45_read(now, VEND1, VEND1_GENERAL_STAT1), Some(0));
    assert_eq!(phy.c45_read(now, VEND1, VEND1_GLOBAL_RSVD_STAT9), Some(0));
    assert_eq!(phy.c45_read(now, C22EXT, 0xd292), Some(0));
    assert_eq!(phy.c45_read(now, 2, 0), None, "no such MMD");
    assert_eq!(phy.c45_read(now, PMA, 2), Some(0x31c3));
    assert_eq!(phy.c45_read(now, PMA, 3), Some(0x1c12));
    assert!(!phy.irq_asserted());
    // An unmodelled register answers 0 and is noted.
    assert_eq!(phy.c45_read(now, VEND1, 0x1234), Some(0));
    assert_eq!(phy.take_unimplemented().len(), 1);
}

/// 7.32 with manual MASTER (15, 14) and 10G/5G/2.5G advertised. Neither aqr_config_aneg()
/// nor phylib writes 7.32.15..13 (`ethtool -s master-slave` changes nothing on this part), so
/// only a register dump (or user-space MDIO) configures the role.
const FORCED_MASTER_DUMP: &str = "mmd 7 reg 32 = 0xd181\n";

#[test]
fn a_partner_forcing_master_or_slave_decides_the_role() {
    for (partner, role) in [(FORCED_MASTER, "slave"), (FORCED_SLAVE, "master")] {
        let mut l = Linux::boot(configured_with(&ALL_FULL, partner, &[]), false);
        assert_eq!(l.wait_link(10_000 * MS).speed, 10000);
        // The power-on configuration, automatic single-port, is what phylib reports.
        assert_eq!((l.ms_cfg, l.ms_state), ("preferred-slave", role));
        let master = if role == "master" { 0x4000 } else { 0 };
        assert_eq!(
            l.rd(AN, 33) & 0xf000,
            master | 0x3000,
            "no fault, the role, receivers OK"
        );
    }
    // 7.33 is the part's only master/slave status: it has the 1000BASE-T role too.
    let mut l = Linux::boot(
        configured_with(&[LinkMode::BaseT1000Full], FORCED_SLAVE, &[]),
        false,
    );
    assert_eq!(l.wait_link(10_000 * MS).speed, 1000);
    assert_eq!(l.ms_state, "master");
    assert_eq!(l.rd(AN, 33) & 0xc000, 0x4000);
}

#[test]
fn forced_master_against_forced_master_is_a_configuration_fault() {
    let partner = configured_with(&ALL_FULL, FORCED_MASTER, &[]);
    let mut l = Linux::boot_from(FORCED_MASTER_DUMP, partner, true);
    assert_eq!(l.rd(AN, 32) & 0xe000, 0xc000, "config_aneg kept the role");
    let t = LinkTiming::default();
    l.sleep(t.autoneg + 10 * MS);
    assert!(
        !l.phy.irq_asserted(),
        "no link change: nothing for aqr_handle_interrupt()"
    );
    assert!(!l.read_status().link);
    assert_eq!((l.ms_cfg, l.ms_state), ("forced-master", "err"));
    assert_eq!(
        l.rd(AN, 33) & 0xc860,
        0x8860,
        "still live: fault, no role; the partner's pages are in"
    );
    assert_eq!(
        l.rd(AN, 1) & 0x0025,
        0x0001,
        "LP able, no link, AN not complete"
    );
    assert_eq!(l.rd(AN, MDIO_AN_TX_VEND_STATUS1), 0, "nothing resolved");
    // Autonegotiation starts over when link_fail_inhibit_timer expires, and faults again,
    // every cycle; 7.33.15 latches over each restart until read.
    for _ in 0..3 {
        l.sleep(t.gigabit_fail);
        assert_eq!(
            l.rd(AN, 33) & 0x8860,
            0x8000,
            "latched over the restart; the pages are gone"
        );
        assert_eq!(l.rd(AN, 33) & 0x8000, 0);
        l.sleep(t.autoneg);
        assert_eq!(l.rd(AN, 33) & 0x8000, 0x8000);
    }
    assert!(!l.wait_link(20_000 * MS).link);

    // A fault latched and unread; the partner turns to manual SLAVE, and the resolution that
    // succeeds clears 7.33.15 without a read.
    l.modify(AN, 0, 0, 0x1200);
    l.sleep(t.autoneg + 10 * MS);
    l.phy
        .set_medium(l.now, configured_with(&ALL_FULL, FORCED_SLAVE, &[]));
    l.sleep(t.autoneg + t.link_multigig + 10 * MS);
    assert!(l.phy.irq_asserted(), "link up");
    assert_eq!(
        l.rd(AN, 33) & 0xf000,
        0x7000,
        "master, receivers OK, no fault"
    );
    let s = l.read_status();
    assert_eq!((s.link, s.speed), (true, 10000));
    assert_eq!(l.ms_state, "master");

    // With 1000BASE-T the highest common mode the fault shows in 7.33 as well.
    l.phy.set_medium(
        l.now,
        configured_with(&[LinkMode::BaseT1000Full], FORCED_MASTER, &[]),
    );
    l.sleep(t.autoneg + 10 * MS);
    assert!(!l.read_status().link);
    assert_eq!(l.ms_state, "err");
    assert_eq!(
        l.rd(AN, MDIO_AN_RX_LP_STAT1) & 0x8000,
        0x8000,
        "partner 1000/full"
    );
}

#[test]
fn a_unit_reset_clears_a_latched_fault() {
    let partner = configured_with(&ALL_FULL, FORCED_MASTER, &[]);
    let mut l = Linux::boot_from(FORCED_MASTER_DUMP, partner, false);
    l.sleep(LinkTiming::default().autoneg + 10 * MS);
    // A global soft reset (VEND1_GLOBAL_SC.15), polled until the firmware is back.
    l.modify(VEND1, 0, 0, 0x8000);
    l.sleep(MS);
    assert_eq!(l.rd(VEND1, 0) & 0x8000, 0);
    assert_eq!(l.rd(AN, 33) & 0x8000, 0, "status back to its default");
    assert_eq!(l.rd(AN, 32) & 0xe000, 0xc000, "configuration kept");
}

#[test]
fn eee_is_active_where_both_advertise_it_for_the_resolved_mode() {
    use LinkMode::{BaseT1000Full, BaseT100Full, BaseT2500Full};
    let auto = LinkPartner::DEFAULT_MASTER_SLAVE;
    let mut l = Linux::boot(configured_with(&ALL_FULL, auto, &ALL_FULL), false);
    // phy_probe() took the power-on 7.60/7.62 (100/1000/10G, 2.5G/5G) as phylib's
    // advertisement; config_aneg wrote it back unchanged.
    assert_eq!(l.eee_adv, (0x000e, 0x0003));
    assert_eq!((l.rd(AN, 60), l.rd(AN, 62)), (0x000e, 0x0003));
    let s = l.wait_link(10_000 * MS);
    assert_eq!(s.speed, 10000);
    assert_eq!(l.show_eee(&s), ((0x000e, 0x0003), true));

    // A partner doing EEE at 1000 only: 7.61 says so, and EEE is off at 10G.
    l.phy
        .set_medium(l.now, configured_with(&ALL_FULL, auto, &[BaseT1000Full]));
    assert_eq!(
        (l.rd(AN, 61), l.rd(AN, 63)),
        (0, 0),
        "cleared when the link starts over"
    );
    let s = l.wait_link(10_000 * MS);
    assert_eq!(l.show_eee(&s), ((0x0004, 0), false));

    // 2.5GBASE-T with EEE at both ends: the partner's bit is in 7.63.
    let m = configured_with(&[BaseT1000Full, BaseT2500Full], auto, &[BaseT2500Full]);
    l.phy.set_medium(l.now, m);
    let s = l.wait_link(10_000 * MS);
    assert_eq!(s.speed, 2500);
    assert_eq!(l.show_eee(&s), ((0, 0x0001), true));

    // 100BASE-TX: the EEE page makes both ends send next pages.
    l.phy.set_medium(
        l.now,
        configured_with(&[BaseT100Full], auto, &[BaseT100Full]),
    );
    let s = l.wait_link(10_000 * MS);
    assert_eq!(s.speed, 100);
    assert_eq!(l.show_eee(&s), ((0x0002, 0), true));

    // A partner without EEE.
    l.phy
        .set_medium(l.now, configured_with(&ALL_FULL, auto, &[]));
    let s = l.wait_link(10_000 * MS);
    assert_eq!(l.show_eee(&s), ((0, 0), false));

    // ethtool --set-eee eee off: 7.60/7.62 = 0 from the restart on. The multi-gigabit next
    // pages still bring the partner's EEE page; phylib does not look.
    l.phy
        .set_medium(l.now, configured_with(&ALL_FULL, auto, &ALL_FULL));
    l.wait_link(10_000 * MS);
    l.set_eee(false);
    assert_eq!((l.rd(AN, 60), l.rd(AN, 62)), (0, 0));
    let s = l.wait_link(10_000 * MS);
    assert_eq!(s.speed, 10000);
    assert_eq!((l.rd(AN, 61), l.rd(AN, 63)), (0x000e, 0x0003));
    assert_eq!(l.show_eee(&s), ((0, 0), false));
    l.set_eee(true);
    let s = l.wait_link(10_000 * MS);
    assert_eq!(l.show_eee(&s), ((0x000e, 0x0003), true));
    assert!(l.phy.take_unimplemented().is_empty());
}

#[test]
fn a_new_eee_advertisement_waits_for_the_restart() {
    let auto = LinkPartner::DEFAULT_MASTER_SLAVE;
    let m = configured_with(&[LinkMode::BaseT100Full], auto, &[LinkMode::BaseT100Full]);
    let mut phy = Aqr113c::new(&AQR113C, Instant::ZERO).unwrap();
    phy.set_medium(Instant::ZERO, m);
    let t = LinkTiming::default();
    let mut now = Instant::ZERO + t.autoneg + t.link_10_100 + MS;
    phy.advance(now);
    assert!(phy.link_state().up);
    assert_eq!(phy.peek(7, 61), Some(0x0002));
    // No EEE advertised, no 1000BASE-T or multi-gigabit mode: no next pages at all.
    phy.c45_write(now, AN, 60, 0);
    phy.c45_write(now, AN, 62, 0);
    phy.c45_write(now, AN, 32, 0x0001);
    phy.c45_write(now, AN, MDIO_AN_VEND_PROV, 0x0014);
    assert_eq!(
        phy.peek(7, 61),
        Some(0x0002),
        "nothing changes on the wire yet"
    );
    phy.c45_write(now, AN, 0, 0x3200);
    now = now + t.autoneg + t.link_10_100 + MS;
    phy.advance(now);
    assert!(phy.link_state().up);
    assert_eq!(
        phy.peek(7, 61),
        Some(0),
        "the partner's EEE page never came"
    );
}

/// A register dump of an AQR113C taken under Linux with the link up at 10GBASE-T, interrupts
/// enabled and a link event pending.
const LINK_UP_DUMP: &str = "\
mmd 1 reg 1 = 0x0006
mmd 3 reg 1 = 0x0006
mmd 4 reg 1 = 0x0006
mmd 4 reg 0xe812 = 0x0010      # XFI
mmd 7 reg 1 = 0x00ed
mmd 7 reg 19 = 0xc5e1
mmd 7 reg 33 = 0x7860
mmd 7 reg 0xc800 = 0x0007      # 10G full duplex
mmd 7 reg 0xc810 = 0x0100
mmd 7 reg 0xcc01 = 0x0001
mmd 7 reg 0xd401 = 0x0001
mmd 7 reg 0xe820 = 0x8000
mmd 29 reg 0xd292 = 0x1234
mmd 30 reg 0x20 = 0x0501       # firmware 5.1
mmd 30 reg 0xc820 = 0x2d00
mmd 30 reg 0xc831 = 0x8000
mmd 30 reg 0xc885 = 0x00c1
mmd 30 reg 0xfc01 = 0x1000
mmd 30 reg 0xff01 = 0x1001
";

fn preloaded(text: &str) -> Result<Aqr113c, String> {
    let mut phy = Aqr113c::new(&AQR113C, Instant::ZERO).unwrap();
    phy.preload(Instant::ZERO, &dump::parse(text).unwrap())
        .map_err(|e| e.to_string())?;
    Ok(phy)
}

#[test]
fn dumped_values_read_back_even_read_only_ones() {
    let phy = preloaded(
        "mmd 1 reg 2 = 0x31c3\nmmd 1 reg 3 = 0x1c10\nmmd 7 reg 3 = 0x1c10\n\
         mmd 1 reg 11 = 0x41a4\nmmd 7 reg 0xc400 = 0x8c1f\nmmd 30 reg 0x31b = 0x0003\n\
         mmd 30 reg 0xc421 = 0x6400\nmmd 30 reg 0xc430 = 0x0040\n",
    )
    .unwrap();
    assert_eq!(phy.peek(1, 2), Some(0x31c3));
    assert_eq!(phy.peek(1, 3), Some(0x1c10), "the reporter's ID");
    assert_eq!(phy.peek(7, 3), Some(0x1c10));
    assert_eq!(
        phy.peek(3, 3),
        Some(0x1c12),
        "an MMD not in the dump keeps its own"
    );
    assert_eq!(phy.peek(1, 11), Some(0x41a4));
    assert_eq!(phy.peek(7, MDIO_AN_VEND_PROV), Some(0x8c1f));
    assert_eq!(phy.peek(30, VEND1_GLOBAL_CFG[1]), Some(0x0003));
    assert_eq!(phy.peek(30, 0xc421), Some(0x6400));
    assert_eq!(phy.peek(30, 0xc430), Some(0x0040));
}

#[test]
fn a_unit_reset_keeps_the_dump() {
    let mut phy = preloaded("mmd 1 reg 3 = 0x1c10\nmmd 7 reg 0xc400 = 0x8c1f\n").unwrap();
    let now = Instant::ZERO + Duration::from_secs(1);
    phy.c45_write(now, VEND1, 0, 0x8000);
    phy.advance(now + Duration::from_secs(1));
    assert_eq!(phy.peek(30, 0), Some(0), "reset done");
    assert_eq!(phy.peek(1, 3), Some(0x1c10));
    assert_eq!(phy.peek(7, MDIO_AN_VEND_PROV), Some(0x8c1f));
    // A power-on is the model's own part again (the device server then loads the dump anew).
    phy.power_on_reset(now + Duration::from_secs(2));
    assert_eq!(phy.peek(1, 3), Some(0x1c12));
}

#[test]
fn link_status_firmware_and_sensors_stay_with_the_model() {
    let mut phy = preloaded(LINK_UP_DUMP).unwrap();
    for (devad, reg, model) in [
        (1, 1, 0x0002),
        (3, 1, 0x0002),
        (4, 1, 0x0002),
        (4, MDIO_PHYXS_VEND_IF_STATUS, 9 << 3),
        (7, 1, 0x0008),
        (7, 19, 0),
        (7, 33, 0),
        (7, MDIO_AN_TX_VEND_STATUS1, 0),
        (7, MDIO_AN_RESVD_VEND_STATUS1, 0),
        (7, MDIO_AN_TX_VEND_INT_STATUS2, 0),
        (7, MDIO_AN_RX_LP_STAT1, 0),
        (29, 0xd292, 0),
        (30, VEND1_GLOBAL_FW_ID, 0x0507),
        (30, VEND1_THERMAL_STAT1, 42 * 256),
        (30, VEND1_GLOBAL_GEN_STAT2, 0),
        (30, VEND1_GLOBAL_RSVD_STAT1, 0x00b2),
        (30, VEND1_GLOBAL_INT_VEND_STATUS, 0),
    ] {
        assert_eq!(phy.peek(devad, reg), Some(model), "{devad}.{reg:#x}");
    }
    // The interrupt masks are configuration: they load, and the next link change asserts
    // INT# through them.
    assert_eq!(phy.peek(7, MDIO_AN_TX_VEND_INT_MASK2), Some(1));
    assert_eq!(phy.peek(30, VEND1_GLOBAL_INT_VEND_MASK), Some(0x1001));
    assert!(!phy.irq_asserted());
    phy.set_medium(Instant::ZERO, negotiating(&ALL_FULL));
    let t = LinkTiming::default();
    let now = Instant::ZERO + t.autoneg + t.link_multigig + MS;
    phy.advance(now);
    assert!(phy.link_state().up);
    assert!(phy.irq_asserted());
    assert_eq!(phy.c45_read(now, AN, MDIO_AN_TX_VEND_STATUS1), Some(0x0007));
    assert_eq!(
        phy.c45_read(now, PHYXS, MDIO_PHYXS_VEND_IF_STATUS),
        Some(2 << 3)
    );
}

#[test]
fn a_dumped_advertisement_takes_effect() {
    // 10GBASE-T and 5GBASE-T not advertised (7.32, 7.0xc400): 2.5G against a 10G partner.
    let mut phy = preloaded("mmd 7 reg 32 = 0x0081\nmmd 7 reg 0xc400 = 0x8414\n").unwrap();
    phy.set_medium(Instant::ZERO, negotiating(&ALL_FULL));
    let now = Instant::ZERO + Duration::from_secs(10);
    phy.advance(now);
    assert_eq!(phy.link_state().speed, Some(Speed::S2500));
    assert_eq!(
        phy.c45_read(now, AN, MDIO_AN_TX_VEND_STATUS1),
        Some(4 << 1 | 1)
    );
    assert_eq!(
        phy.c45_read(now, AN, 33).unwrap() & 0x0860,
        0x0860,
        "a 10G partner"
    );
}

#[test]
fn the_driver_rewrites_a_dumped_advertisement() {
    // aqr_config_aneg() writes 7.16, 7.32 and 7.0xc400 from phylib's advertising mask: the
    // kernel does not keep the reporter's 2.5G-only advertisement.
    let mut l = Linux::boot_from(
        "mmd 7 reg 32 = 0x0081\nmmd 7 reg 0xc400 = 0x8414\n",
        negotiating(&ALL_FULL),
        false,
    );
    assert_eq!(l.wait_link(10_000 * MS).speed, 10000);
}

#[test]
fn a_dumped_low_power_holds_the_link_down_until_resume() {
    let mut phy = preloaded("mmd 30 reg 0 = 0x0800\n").unwrap();
    phy.set_medium(Instant::ZERO, negotiating(&ALL_FULL));
    let now = Instant::ZERO + Duration::from_secs(10);
    phy.advance(now);
    assert!(!phy.link_state().up);
    // aqr_gen1_resume().
    phy.c45_write(now, VEND1, 0, 0);
    phy.advance(now + Duration::from_secs(10));
    assert_eq!(phy.link_state().speed, Some(Speed::S10000));
}

#[test]
fn clause_22_unknown_mmds_and_unmodelled_registers_are_refused() {
    let e = |t: &str| preloaded(t).err().unwrap();
    assert_eq!(
        e("mmd 1 reg 0 = 0x2040\n1 = 0x796d"),
        "line 2: page 0 reg 1: the aquantia-aqr113c model answers Clause 45 frames only, \
         not Clause 22: give its registers as `mmd D reg R` lines"
    );
    assert_eq!(
        e("ieee-phy: reg:BMCR(0x00) val:0x1140"),
        "line 1: page 0 reg 0: the aquantia-aqr113c model answers Clause 45 frames only, \
         not Clause 22: give its registers as `mmd D reg R` lines"
    );
    assert_eq!(
        e("# WIS\nmmd 2 reg 0 = 0"),
        "line 2: mmd 2 reg 0x0000: the aquantia-aqr113c model has no MMD 2"
    );
    assert_eq!(
        e("mmd 30 reg 0x1234 = 0x0001"),
        "line 1: mmd 30 reg 0x1234 = 0x0001: the aquantia-aqr113c model does not implement \
         this register (it reads 0); remove the line"
    );
    // A zero for an unmodelled register is what the model reads anyway.
    preloaded("mmd 30 reg 0x1234 = 0").unwrap();
}

/// Registers the driver touches, plus an unmodelled one.
const REGS: [(u8, u16); 30] = [
    (PMA, 0),
    (PMA, 1),
    (PMA, 7),
    (PMA, 9),
    (PCS, 0),
    (PCS, 1),
    (PHYXS, 1),
    (PHYXS, MDIO_PHYXS_VEND_IF_STATUS),
    (AN, 0),
    (AN, 1),
    (AN, 16),
    (AN, 19),
    (AN, 32),
    (AN, 33),
    (AN, 60),
    (AN, 61),
    (AN, 62),
    (AN, 63),
    (AN, MDIO_AN_VEND_PROV),
    (AN, MDIO_AN_RESVD_VEND_PROV),
    (AN, MDIO_AN_TX_VEND_STATUS1),
    (AN, MDIO_AN_RESVD_VEND_STATUS1),
    (AN, MDIO_AN_TX_VEND_INT_STATUS2),
    (AN, MDIO_AN_TX_VEND_INT_MASK2),
    (AN, MDIO_AN_RX_LP_STAT1),
    (VEND1, 0),
    (VEND1, VEND1_GLOBAL_CFG[5]),
    (VEND1, VEND1_GLOBAL_INT_VEND_STATUS),
    (VEND1, VEND1_GLOBAL_INT_VEND_MASK),
    (VEND1, 0x1234),
];

/// What must hold between registers at every instant (peeked, so latches don't interfere).
fn check_invariants(phy: &Aqr113c, partner: &LinkPartner) -> Result<(), TestCaseError> {
    let state = phy.link_state();
    let an1 = phy.peek(7, 1).unwrap();
    let tvs = phy.peek(7, MDIO_AN_TX_VEND_STATUS1).unwrap();
    let ifs = phy.peek(4, MDIO_PHYXS_VEND_IF_STATUS).unwrap() & 0x00f8;
    if state.up {
        let speed = match (tvs >> 1) & 7 {
            3 => Speed::S10000,
            5 => Speed::S5000,
            4 => Speed::S2500,
            2 => Speed::S1000,
            1 => Speed::S100,
            _ => Speed::S10,
        };
        prop_assert_eq!(Some(speed), state.speed);
        prop_assert_eq!(tvs & 1 != 0, state.duplex == Some(Duplex::Full));
        let index = match speed {
            Speed::S10 => 0,
            Speed::S100 => 1,
            Speed::S1000 => 2,
            Speed::S2500 => 3,
            Speed::S5000 => 4,
            Speed::S10000 => 5,
        };
        let cfg = phy.peek(30, VEND1_GLOBAL_CFG[index]).unwrap();
        // Unless the provisioning for the speed names no serdes mode.
        if matches!(cfg & 7, 0 | 3 | 4 | 6) {
            prop_assert_ne!(ifs, 9 << 3, "host interface up with the line");
        }
    } else {
        prop_assert_eq!(phy.peek(1, 1).unwrap() & 4, 0, "PMA link low while down");
        prop_assert_eq!(phy.peek(7, 1).unwrap() & 4, 0, "AN link low while down");
        prop_assert_eq!(ifs, 9 << 3, "host interface off without link");
    }
    if an1 & 0x0020 != 0 {
        prop_assert_ne!(an1 & 0x0001, 0, "complete implies the partner negotiated");
        prop_assert!(state.up, "complete implies link");
    }
    // The partner's EEE page: only what it advertises, only while its pages are in.
    let (lp1, lp2) = (phy.peek(7, 61).unwrap(), phy.peek(7, 63).unwrap());
    prop_assert_eq!(lp1 & !eee::cap1(partner.eee), 0);
    prop_assert_eq!(lp2 & !eee::cap2(partner.eee), 0);
    if an1 & 0x0001 == 0 {
        prop_assert_eq!((lp1, lp2), (0, 0), "no pages, no partner EEE");
    }
    let tg = phy.peek(7, 33).unwrap();
    if an1 & 0x0020 != 0 && state.speed >= Some(Speed::S1000) {
        prop_assert_eq!(
            tg & 0x8000,
            0,
            "a resolution that succeeded clears the fault"
        );
        if let MasterSlave::Manual { master } = partner.master_slave {
            prop_assert_eq!(
                tg & 0x4000 != 0,
                !master,
                "the role opposes a manual partner"
            );
        }
    }
    let pending = phy.peek(7, MDIO_AN_TX_VEND_INT_STATUS2).unwrap()
        & phy.peek(7, MDIO_AN_TX_VEND_INT_MASK2).unwrap()
        & 1
        != 0;
    prop_assert_eq!(
        phy.peek(30, VEND1_GLOBAL_INT_VEND_STATUS).unwrap() & 0x1000 != 0,
        pending
    );
    prop_assert_eq!(
        phy.irq_asserted(),
        pending && phy.peek(30, VEND1_GLOBAL_INT_VEND_MASK).unwrap() & 0x1000 != 0,
        "INT# is status & mask"
    );
    prop_assert_eq!(phy.peek(1, 2), Some(0x31c3));
    prop_assert_eq!(phy.peek(1, 3), Some(0x1c12));
    prop_assert_ne!(
        phy.peek(30, VEND1_GLOBAL_FW_ID),
        Some(0),
        "firmware running"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn registers_stay_consistent(acts in proptest::collection::vec(props::c45::act(&REGS), 1..120)) {
        let mut now = Instant::ZERO;
        let mut phy = Aqr113c::new(&AQR113C, now).unwrap();
        let mut medium = full_partner_pausing(Pause::Both);
        phy.set_medium(now, medium.clone());
        for a in acts {
            now = now + Duration::from_micros(50);
            // Whatever falls due first (a unit reset completing), so `before` sees it too.
            phy.advance(now);
            match a {
                Act::Read(d, r) => {
                    let before = phy.peek(u16::from(d), r);
                    let v = phy.c45_read(now, d, r).unwrap();
                    if r == 2 || r == 3 {
                        prop_assert_eq!(Some(v), before);
                    }
                    if (d, r) == (AN, MDIO_AN_TX_VEND_INT_STATUS2) {
                        prop_assert_eq!(phy.peek(7, r), Some(0), "clear on read");
                    }
                }
                Act::Write(d, r, v) => {
                    let ro = [(PMA, 1), (AN, 19), (AN, 33), (AN, 61), (AN, 63),
                              (AN, MDIO_AN_TX_VEND_STATUS1),
                              (PHYXS, MDIO_PHYXS_VEND_IF_STATUS), (AN, MDIO_AN_RX_LP_STAT1),
                              (AN, MDIO_AN_TX_VEND_INT_STATUS2)];
                    let before = phy.peek(u16::from(d), r);
                    phy.c45_write(now, d, r, v);
                    if ro.contains(&(d, r)) {
                        prop_assert_eq!(phy.peek(u16::from(d), r), before, "read-only ignores writes");
                    }
                    if (d, r) == (AN, 0) {
                        prop_assert_eq!(phy.peek(7, 0).unwrap() & 0x0200, 0, "restart clears at once");
                    }
                }
                Act::Sleep(ms) => {
                    now = now + Duration::from_millis(u64::from(ms));
                    phy.advance(now);
                }
                Act::Medium(m) => m.apply(&mut phy, now, &mut medium)?,
            }
            check_invariants(&phy, medium.partner.as_ref().unwrap())?;
            prop_assert!(phy.next_deadline().is_none_or(|d| d > now), "time ran up to now");
        }
    }
}
