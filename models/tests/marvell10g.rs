//! The 88X3310 model driven the way Linux's marvell10g.c and phylib's Clause 45 helpers drive
//! it (same registers, order and waits), plus a property test of its register-level
//! invariants.

mod common;

use common::bus::{phy_from_dump, Bus, C45};
use common::media::{
    configured_with, full_partner_pausing, negotiating, ALL_FULL, FORCED_MASTER, FORCED_SLAVE,
};
use common::phylib;
use common::props::{self, c45::Act};
use common::MS;
use phy_sim_models::marvell10g::{Marvell88x3310, M88X3310};
use phy_sim_models::{dump, eee};
use phy_sim_models::{
    Duplex, Instant, LinkMode, LinkPartner, LinkTiming, MasterSlave, MdioDevice, Medium, Pause,
    Phy, Speed,
};
use proptest::prelude::*;
use std::time::Duration;

const PMA: u8 = 1;
const PCS: u8 = 3;
const AN: u8 = 7;
const VEND2: u8 = 31;

const MV_PMA_FW_VER0: u16 = 0xc011;
const MV_PMA_FW_VER1: u16 = 0xc012;
const MV_PMA_BOOT: u16 = 0xc050;
const MV_PCS_BASE_R_STAT1: u16 = 0x1001;
const MV_PCS_CSCR1: u16 = 0x8000;
const MV_PCS_DSC1: u16 = 0x8003;
const MV_PCS_DSC2: u16 = 0x8004;
const MV_PCS_CSSR1: u16 = 0x8008;
const MV_PCS_PORT_INFO: u16 = 0xd00d;
const MV_AN_CTRL1000: u16 = 0x8000;
const MV_AN_STAT1000: u16 = 0x8001;
const MV_V2_PORT_CTRL: u16 = 0xf001;
const MV_V2_TEMP_CTRL: u16 = 0xf08a;
const MV_V2_TEMP: u16 = 0xf08c;

/// The subset of phylib + marvell10g.c (Linux 7.3) that touches the PHY, polled.
struct Linux {
    phy: Box<dyn Phy>,
    now: Instant,
    link: bool,
    /// phydev->supported_eee and advertising_eee, in the 7.60 layout: 3.20 only (see boot).
    eee_supported: u16,
    eee_adv: u16,
    /// phydev->eee_cfg.eee_enabled.
    eee_enabled: bool,
}

#[derive(Debug, PartialEq, Eq)]
struct Status {
    link: bool,
    speed: u32,
    duplex: Duplex,
    /// What mv3310_update_interface() gives phylink (MACTYPE 10GBASE-R).
    interface: &'static str,
}

common::bus::c45_replay!(Linux);

impl Linux {
    fn boot(medium: Medium) -> Linux {
        Linux::boot_from("", medium)
    }

    /// get_phy_c45_ids(), mv3310_match_phy_device(), mv3310_probe(), config_init(),
    /// get_features() and phy_start() -> config_aneg(), on a PHY that powered up from `dump`
    /// as the device server loads a scenario's `registers`.
    fn boot_from(dump: &str, medium: Medium) -> Linux {
        let mut phy = phy_from_dump("marvell-88x3310", dump);
        phy.set_medium(Instant::ZERO, medium);
        assert_eq!(phy.c22_read(Instant::ZERO, 2), None, "Clause 45 only");
        let mut l = Linux {
            phy,
            now: Instant::ZERO,
            link: false,
            eee_supported: 0,
            eee_adv: 0,
            eee_enabled: false,
        };
        l.sleep(500 * MS);
        // Bus scan.
        let devs = u32::from(l.rd(PMA, 6)) << 16 | u32::from(l.rd(PMA, 5));
        assert_eq!(devs, 0xc000_009a);
        for devad in [30, 31] {
            assert_ne!(l.rd(devad, 8) & 0xc000, 0x8000, "vendor MMDs are not IEEE");
        }
        for devad in [1, 3, 4, 7] {
            let id = u32::from(l.rd(devad, 2)) << 16 | u32::from(l.rd(devad, 3));
            assert_eq!(id & 0xffff_fff0, 0x002b_09a0);
        }
        assert_eq!(
            l.rd(PCS, MV_PCS_PORT_INFO) & 0x0380,
            0,
            "one port: mv88x3310"
        );
        // Probe.
        assert_eq!(l.rd(PMA, MV_PMA_BOOT) & 1, 0, "firmware booted");
        let fw = u32::from(l.rd(PMA, MV_PMA_FW_VER0)) << 16 | u32::from(l.rd(PMA, MV_PMA_FW_VER1));
        l.modify(VEND2, MV_V2_PORT_CTRL, 0, 0x0800); // power down
        l.wr(VEND2, MV_V2_TEMP, 0x9600);
        l.modify(VEND2, MV_V2_TEMP_CTRL, 0xc000, 0);
        // get_features (genphy_c45_pma_read_abilities + the NBT quirk).
        assert_ne!(l.rd(AN, 1) & 0x0008, 0, "AN able");
        assert_ne!(l.rd(PMA, 8) & 0x0200, 0);
        let ext = l.rd(PMA, 11);
        assert_eq!(ext & 0x01a4, 0x01a4);
        assert_eq!(ext & 0x4000, 0, "the NBT quirk");
        // genphy_c45_read_eee_abilities() runs inside genphy_c45_pma_read_abilities(), before
        // the quirk adds 2.5G/5G to the supported modes: 3.21 is never read, and phylib
        // knows no 2.5G/5G EEE on this part.
        l.eee_supported = l.rd(PCS, 20) & 0x000e;
        assert_eq!(l.eee_supported, 0x000e);
        assert_eq!(l.rd(PMA, 21) & 3, 3);
        // phy_probe(): genphy_c45_read_eee_adv(), 7.60 only.
        l.eee_adv = l.rd(AN, 60) & l.eee_supported;
        l.eee_enabled = l.eee_adv != 0;
        // config_init: power up, MACTYPE, EDPD, downshift (offered from firmware 0.3.5.0).
        l.power_up(fw);
        assert_eq!(l.rd(VEND2, MV_V2_PORT_CTRL) & 7, 4, "MACTYPE 10GBASE-R");
        if l.modify(PCS, MV_PCS_CSCR1, 0x0300, 0x0300) {
            l.pcs_reset();
        }
        if fw >= 0x0003_0500 {
            l.modify(PCS, MV_PCS_DSC2, 0xff00, 0x1100);
            l.modify(PCS, MV_PCS_DSC1, 0x03ff, 0x0249);
        }
        // phy_attach_direct() and phy_start() each resume: mv3310_resume().
        for _ in 0..2 {
            l.power_up(fw);
            l.wr(VEND2, MV_V2_TEMP, 0x9600);
            l.modify(VEND2, MV_V2_TEMP_CTRL, 0xc000, 0);
        }
        l.config_aneg();
        l
    }

    /// mv3310_power_up(): the port soft reset only from firmware 0.3.0.0 on.
    fn power_up(&mut self, fw: u32) {
        self.modify(VEND2, MV_V2_PORT_CTRL, 0x0800, 0);
        self.sleep(Duration::from_micros(100));
        if fw >= 0x0003_0000 {
            self.modify(VEND2, MV_V2_PORT_CTRL, 0, 0x8000);
        }
    }

    /// mv3310_reset(MV_PCS_BASE_T): set 3.0.15, poll every 5 ms for up to 100 ms.
    fn pcs_reset(&mut self) {
        self.modify(PCS, 0, 0x8000, 0x8000);
        for _ in 0..20 {
            self.sleep(5 * MS);
            if self.rd(PCS, 0) & 0x8000 == 0 {
                return;
            }
        }
        panic!("PCS reset did not complete");
    }

    /// mv3310_config_aneg() with every supported mode advertised.
    fn config_aneg(&mut self) {
        if self.modify(PCS, MV_PCS_CSCR1, 0x0060, 0x0060) {
            self.pcs_reset();
        }
        let mut changed = self.config_eee_aneg();
        changed |= self.modify(AN, 16, 0x0fe0, 0x01e0);
        changed |= self.modify(AN, 32, 0x1180, 0x1180);
        changed |= self.modify(AN, MV_AN_CTRL1000, 0x0300, 0x0200);
        if changed || self.rd(AN, 0) & 0x1000 == 0 {
            self.modify(AN, 0, 0, 0x1200);
        }
    }

    /// genphy_c45_an_config_eee_aneg(): 7.60 only (no 2.5G/5G EEE in supported_eee).
    fn config_eee_aneg(&mut self) -> bool {
        let adv = if self.eee_enabled { self.eee_adv } else { 0 };
        self.modify(AN, 60, 0x007e, adv)
    }

    /// `ethtool --set-eee eee on|off` (genphy_c45_ethtool_set_eee()).
    fn set_eee(&mut self, on: bool) {
        self.eee_enabled = on;
        if self.config_eee_aneg() {
            self.modify(AN, 0, 0, 0x1200);
        }
    }

    /// `ethtool --show-eee` on the link `s` (genphy_c45_ethtool_get_eee()): 7.61 (nothing
    /// read while EEE is off) and whether phylib's advertisement and the partner's share the
    /// link's mode (genphy_c45_eee_is_active()).
    fn show_eee(&mut self, s: &Status) -> (u16, bool) {
        if !self.eee_enabled {
            return (0, false);
        }
        let lp = self.rd(AN, 61);
        // phylib knows no 2.5G/5G EEE on this part: 7.60 modes only.
        let (mode, _) = phylib::eee_mode(s.link, s.speed, s.duplex);
        (lp, self.eee_adv & lp & mode != 0)
    }

    /// mv3310_read_status() -> mv3310_read_status_copper(), polled (phy_polling_mode()).
    fn read_status(&mut self) -> Status {
        let mut s = Status {
            link: false,
            speed: 0,
            duplex: Duplex::Half,
            interface: "",
        };
        if self.rd(PCS, MV_PCS_BASE_R_STAT1) & 4 != 0 {
            panic!("no fibre in this model");
        }
        // genphy_c45_read_link(): double read only when the link was down.
        let mut link = true;
        if self.rd(AN, 0) & 0x0200 != 0 {
            link = false;
        } else {
            if !self.link {
                let _ = self.rd(PMA, 1);
            }
            link &= self.rd(PMA, 1) & 4 != 0;
        }
        let an_stat = self.rd(AN, 1);
        let cssr1 = self.rd(PCS, MV_PCS_CSSR1);
        if cssr1 & 0x0800 == 0 {
            self.link = false;
            return s;
        }
        let mut speed = cssr1 & 0xc000;
        if speed == 0xc000 {
            speed |= cssr1 & 0x000c;
        }
        s.speed = match speed {
            0xc000 => 10000,
            0xc008 => 5000,
            0xc004 => 2500,
            0x8000 => 1000,
            0x4000 => 100,
            _ => 10,
        };
        s.duplex = if cssr1 & 0x2000 != 0 {
            Duplex::Full
        } else {
            Duplex::Half
        };
        if an_stat & 0x0020 != 0 {
            let _ = self.rd(AN, 19);
            let _ = self.rd(AN, 33);
            let _ = self.rd(AN, MV_AN_STAT1000);
        }
        s.link = link;
        self.link = link;
        if link {
            s.interface = match s.speed {
                10000 => "10gbase-r",
                5000 => "5gbase-r",
                2500 => "2500base-x",
                _ => "sgmii",
            };
        }
        s
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
    let mut l = Linux::boot(negotiating(&ALL_FULL));
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
    assert_eq!(l.phy.link_state().speed, Some(Speed::S10000));

    l.partner(&[
        LinkMode::BaseT100Full,
        LinkMode::BaseT1000Full,
        LinkMode::BaseT2500Full,
    ]);
    let s = l.read_status();
    assert!(!s.link, "a partner change drops the link at once");
    l.sleep(1000 * MS);
    let s = l.wait_link(10_000 * MS);
    assert_eq!((s.speed, s.interface), (2500, "2500base-x"));
    assert_eq!(l.rd(AN, 33) & 0x0860, 0x0020);
    assert_eq!(l.rd(AN, MV_AN_STAT1000) & 0x0800, 0x0800);

    l.partner(&[LinkMode::BaseT1000Full]);
    l.sleep(1000 * MS);
    let s = l.wait_link(10_000 * MS);
    assert_eq!((s.speed, s.interface), (1000, "sgmii"));

    l.partner(&[LinkMode::BaseT100Full, LinkMode::BaseT100Half]);
    l.sleep(1000 * MS);
    let s = l.wait_link(10_000 * MS);
    assert_eq!(
        (s.speed, s.duplex, s.interface),
        (100, Duplex::Full, "sgmii")
    );
    assert_eq!(l.rd(AN, 19) & 0x0180, 0x0180);

    // Flap.
    let mut m = l.phy.medium().clone();
    m.cable.connected = false;
    l.phy.set_medium(l.now, m.clone());
    assert_eq!(l.rd(PCS, MV_PCS_CSSR1) & 0x0c00, 0, "unresolved, no link");
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
fn pages_arrive_before_the_ten_gig_training_ends() {
    let mut l = Linux::boot(negotiating(&ALL_FULL));
    let t = LinkTiming::default();
    l.sleep(t.autoneg + 100 * MS);
    let an1 = l.rd(AN, 1);
    assert_eq!(
        an1 & 0x0061,
        0x0041,
        "pages received, AN not complete before link"
    );
    assert_eq!(l.rd(AN, 33) & 0x0800, 0x0800, "partner 10G ability visible");
    let cssr = l.rd(PCS, MV_PCS_CSSR1);
    assert_eq!(cssr & 0x0c00, 0x0800, "resolved, no link yet");
    assert_eq!(l.rd(PMA, 1) & 4, 0);
    assert!(!l.phy.link_state().up);
    l.sleep(t.link_multigig);
    assert_eq!(
        l.rd(PCS, MV_PCS_CSSR1) & 0xec0c,
        0xec00,
        "10G/full, resolved, link"
    );
    assert!(l.phy.link_state().up);
    assert_ne!(l.rd(AN, 1) & 0x0020, 0, "AN complete with link");
}

#[test]
fn power_down_and_forced_and_downshift() {
    let mut l = Linux::boot(negotiating(&ALL_FULL));
    l.wait_link(10_000 * MS);
    // Power down drops everything.
    l.modify(VEND2, MV_V2_PORT_CTRL, 0, 0x0800);
    assert_eq!(l.rd(PCS, MV_PCS_CSSR1), 0);
    assert!(!l.phy.link_state().up);
    l.sleep(10_000 * MS);
    assert!(!l.phy.link_state().up);
    l.modify(VEND2, MV_V2_PORT_CTRL, 0x0800, 0);
    let s = l.wait_link(10_000 * MS);
    assert_eq!(s.speed, 10000);

    // Two pairs: downshift (2 tries per speed) walks down to 100BASE-TX.
    let mut m = negotiating(&ALL_FULL);
    m.cable.pairs = 2;
    l.phy.set_medium(l.now, m);
    let s = l.wait_link(60_000 * MS);
    assert_eq!(s.speed, 100);

    // Forced 1000 against a forcing partner (genphy_c45_pma_setup_forced()).
    l.phy.set_medium(
        l.now,
        Medium::cable_to(LinkPartner::forcing(Speed::S1000, Duplex::Full), 5.0),
    );
    l.modify(PMA, 0, 0x207c, 0x0040);
    l.modify(PMA, 7, 0x003f, 0x000c);
    l.modify(AN, 0, 0x1200, 0);
    let s = l.wait_link(5000 * MS);
    assert_eq!((s.speed, s.duplex), (1000, Duplex::Full));
}

#[test]
fn temperature_and_identity() {
    let mut phy = Marvell88x3310::new(&M88X3310, Instant::ZERO).unwrap();
    let t = phy.c45_read(Instant::ZERO, VEND2, MV_V2_TEMP).unwrap();
    assert_eq!(i32::from(t & 0xff) - 75, 42);
    assert_eq!(phy.c45_read(Instant::ZERO, 2, 0), None, "no such MMD");
    assert_eq!(phy.c45_read(Instant::ZERO, PMA, 2), Some(0x002b));
    assert!(!phy.irq_asserted());
}

/// 7.32 with manual MASTER (15, 14) and 10G/5G/2.5G advertised. marvell10g.c writes neither
/// 7.32.15..13 nor 7.0x8000.12..10, so only a register dump (or user-space MDIO) configures
/// the role.
const FORCED_MASTER_DUMP: &str = "mmd 7 reg 32 = 0xd181\n";

#[test]
fn a_partner_forcing_master_or_slave_decides_the_role() {
    for (partner, master) in [(FORCED_MASTER, 0), (FORCED_SLAVE, 0x4000)] {
        let mut l = Linux::boot(configured_with(&ALL_FULL, partner, &[]));
        assert_eq!(l.wait_link(10_000 * MS).speed, 10000);
        // mv3310_read_status() never reads 7.32/7.33 for the role: ethtool shows no
        // master-slave lines. The registers have it.
        assert_eq!(
            l.rd(AN, 33) & 0xf000,
            master | 0x3000,
            "no fault, the role, receivers OK"
        );
        assert_eq!(
            l.rd(AN, MV_AN_STAT1000) & 0xc000,
            0,
            "not a 1000BASE-T link"
        );
    }
    // At 1000BASE-T the role is in 7.0x8001, as in Clause 22 register 10.
    let mut l = Linux::boot(configured_with(
        &[LinkMode::BaseT1000Full],
        FORCED_SLAVE,
        &[],
    ));
    assert_eq!(l.wait_link(10_000 * MS).speed, 1000);
    assert_eq!(l.rd(AN, MV_AN_STAT1000) & 0xf000, 0x7000);
    assert_eq!(l.rd(AN, 33) & 0xc000, 0);
}

#[test]
fn forced_master_against_forced_master_is_a_configuration_fault() {
    let mut l = Linux::boot_from(
        FORCED_MASTER_DUMP,
        configured_with(&ALL_FULL, FORCED_MASTER, &[]),
    );
    assert_eq!(l.rd(AN, 32) & 0xe000, 0xc000, "config_aneg kept the role");
    let t = LinkTiming::default();
    l.sleep(t.autoneg + 10 * MS);
    assert!(!l.read_status().link);
    assert_eq!(l.rd(PCS, MV_PCS_CSSR1) & 0x0c00, 0, "not resolved, no link");
    assert_eq!(
        l.rd(AN, 1) & 0x0025,
        0x0001,
        "LP able, no link, AN not complete"
    );
    // The highest common mode is 10GBASE-T: its register has the fault.
    assert_eq!(
        l.rd(AN, 33) & 0xc860,
        0x8860,
        "fault, no role, partner pages"
    );
    assert_eq!(l.rd(AN, MV_AN_STAT1000) & 0xc000, 0);
    // Autonegotiation starts over when link_fail_inhibit_timer expires and faults again,
    // every cycle; 7.33.15 latches over each restart until read.
    for _ in 0..3 {
        l.sleep(t.gigabit_fail);
        assert_eq!(l.rd(AN, 33) & 0x8860, 0x8000, "latched; the pages are gone");
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
    assert_eq!(
        l.rd(AN, 33) & 0xf000,
        0x7000,
        "master, receivers OK, no fault"
    );
    assert_eq!(l.read_status().speed, 10000);

    // With 1000BASE-T the highest common mode, the fault is in 7.0x8001 instead.
    l.phy.set_medium(
        l.now,
        configured_with(&[LinkMode::BaseT1000Full], FORCED_MASTER, &[]),
    );
    l.sleep(t.autoneg + 10 * MS);
    assert!(!l.read_status().link);
    assert_eq!(
        l.rd(AN, MV_AN_STAT1000) & 0xcc00,
        0x8800,
        "fault, partner 1000/full"
    );
    assert_eq!(l.rd(AN, 33) & 0xc000, 0);
    l.sleep(t.gigabit_fail);
    assert_eq!(l.rd(AN, MV_AN_STAT1000) & 0x8000, 0x8000, "latched");
    assert_eq!(l.rd(AN, MV_AN_STAT1000) & 0x8000, 0);
}

#[test]
fn eee_is_active_where_both_advertise_it_for_the_resolved_mode() {
    use LinkMode::{BaseT1000Full, BaseT2500Full};
    let auto = LinkPartner::DEFAULT_MASTER_SLAVE;
    let mut l = Linux::boot(configured_with(&ALL_FULL, auto, &ALL_FULL));
    assert_eq!(l.eee_adv, 0x000e, "phy_probe() took the power-on 7.60");
    let s = l.wait_link(10_000 * MS);
    assert_eq!(s.speed, 10000);
    assert_eq!(l.show_eee(&s), (0x000e, true));
    assert_eq!(
        l.rd(AN, 63),
        0x0003,
        "the partner's 2.5G/5G EEE, never read by phylib"
    );

    // A partner doing EEE at 1000 only: off at 10G, on at 1000.
    l.phy
        .set_medium(l.now, configured_with(&ALL_FULL, auto, &[BaseT1000Full]));
    assert_eq!(l.rd(AN, 61), 0, "cleared when the link starts over");
    let s = l.wait_link(10_000 * MS);
    assert_eq!(l.show_eee(&s), (0x0004, false));
    l.phy.set_medium(
        l.now,
        configured_with(&[BaseT1000Full], auto, &[BaseT1000Full]),
    );
    let s = l.wait_link(10_000 * MS);
    assert_eq!(s.speed, 1000);
    assert_eq!(l.show_eee(&s), (0x0004, true));

    // 2.5GBASE-T: both ends advertise its EEE (7.62 keeps its power-on 0x0003: phylib never
    // writes it here), so the part negotiates it, but phylib, which knows 2.5G EEE neither
    // from 3.21 nor from 7.63, reports it inactive.
    let m = configured_with(&[BaseT1000Full, BaseT2500Full], auto, &ALL_FULL);
    l.phy.set_medium(l.now, m);
    let s = l.wait_link(10_000 * MS);
    assert_eq!(s.speed, 2500);
    assert_eq!((l.rd(AN, 62), l.rd(AN, 63)), (0x0003, 0x0003));
    assert_eq!(l.show_eee(&s), (0x000e, false));

    // ethtool --set-eee eee off: 7.60 = 0 from the restart on; 7.62 still advertises
    // 2.5G/5G EEE.
    l.phy
        .set_medium(l.now, configured_with(&ALL_FULL, auto, &ALL_FULL));
    l.wait_link(10_000 * MS);
    l.set_eee(false);
    assert_eq!((l.rd(AN, 60), l.rd(AN, 62)), (0, 0x0003));
    let s = l.wait_link(10_000 * MS);
    assert_eq!(l.rd(AN, 61), 0x000e, "the partner's EEE page still arrives");
    assert_eq!(l.show_eee(&s), (0, false));
    l.set_eee(true);
    let s = l.wait_link(10_000 * MS);
    assert_eq!(l.show_eee(&s), (0x000e, true));
    assert!(l.phy.take_unimplemented().is_empty());
}

/// A register dump of an 88X3310 taken under Linux with the link up at 10GBASE-T.
const LINK_UP_DUMP: &str = "\
mmd 1 reg 1 = 0x0006
mmd 1 reg 0xc050 = 0x0001      # boot status: fatal
mmd 3 reg 1 = 0x0006
mmd 3 reg 0x1001 = 0x0004
mmd 3 reg 0x8008 = 0xec00      # CSSR1: 10G, full duplex, resolved, link
mmd 4 reg 1 = 0x0006
mmd 7 reg 1 = 0x00ed
mmd 7 reg 19 = 0xc5e1
mmd 7 reg 33 = 0x7860
mmd 7 reg 0x8001 = 0x0800
mmd 31 reg 0xf040 = 0x0001
mmd 31 reg 0xf08c = 0x96ab
";

fn preloaded(text: &str) -> Result<Marvell88x3310, String> {
    let mut phy = Marvell88x3310::new(&M88X3310, Instant::ZERO).unwrap();
    phy.preload(Instant::ZERO, &dump::parse(text).unwrap())
        .map_err(|e| e.to_string())?;
    Ok(phy)
}

#[test]
fn dumped_values_read_back_even_read_only_ones() {
    let phy = preloaded(
        "mmd 1 reg 3 = 0x09aa\nmmd 7 reg 3 = 0x09aa\nmmd 1 reg 0xc011 = 0x0002\n\
         mmd 1 reg 0xc012 = 0x0100\nmmd 3 reg 0xd00d = 0x0000\nmmd 31 reg 0xf001 = 0x0006\n\
         mmd 3 reg 0x8003 = 0x0049\nmmd 7 reg 0x8000 = 0x0300\n",
    )
    .unwrap();
    assert_eq!(phy.peek(1, 3), Some(0x09aa), "the reporter's revision");
    assert_eq!(phy.peek(7, 3), Some(0x09aa));
    assert_eq!(
        phy.peek(3, 3),
        Some(0x09ab),
        "an MMD not in the dump keeps its own"
    );
    assert_eq!(phy.peek(1, MV_PMA_FW_VER0), Some(0x0002));
    assert_eq!(phy.peek(1, MV_PMA_FW_VER1), Some(0x0100));
    assert_eq!(phy.peek(31, MV_V2_PORT_CTRL), Some(0x0006), "MACTYPE");
    assert_eq!(phy.peek(3, MV_PCS_DSC1), Some(0x0049));
    assert_eq!(phy.peek(7, MV_AN_CTRL1000), Some(0x0300));
}

#[test]
fn a_unit_reset_keeps_the_dump() {
    let mut phy = preloaded("mmd 1 reg 0xc011 = 0x0002\nmmd 31 reg 0xf001 = 0x0006\n").unwrap();
    let now = Instant::ZERO + Duration::from_secs(1);
    phy.c45_write(now, VEND2, MV_V2_PORT_CTRL, 0x8006);
    phy.advance(now + Duration::from_secs(1));
    assert_eq!(phy.peek(31, MV_V2_PORT_CTRL), Some(0x0006), "reset done");
    assert_eq!(phy.peek(1, MV_PMA_FW_VER0), Some(0x0002));
}

#[test]
fn link_status_boot_status_and_sensor_stay_with_the_model() {
    let mut phy = preloaded(LINK_UP_DUMP).unwrap();
    for (devad, reg, model) in [
        (1, 1, 0x0002),
        (1, MV_PMA_BOOT, 0),
        (3, 1, 0x0002),
        (3, MV_PCS_BASE_R_STAT1, 0),
        (3, MV_PCS_CSSR1, 0),
        (4, 1, 0x0002),
        (7, 1, 0x0008),
        (7, 19, 0),
        (7, 33, 0),
        (7, MV_AN_STAT1000, 0),
        (31, 0xf040, 0),
        // The driver's configuration byte loads, the sensor's reading (42 + 75) does not.
        (31, MV_V2_TEMP, 0x9600 | (42 + 75)),
    ] {
        assert_eq!(phy.peek(devad, reg), Some(model), "{devad}.{reg:#x}");
    }
    phy.set_medium(Instant::ZERO, negotiating(&ALL_FULL));
    let t = LinkTiming::default();
    let now = Instant::ZERO + t.autoneg + t.link_multigig + MS;
    phy.advance(now);
    assert!(phy.link_state().up);
    assert_eq!(phy.c45_read(now, PCS, MV_PCS_CSSR1), Some(0xec00));
}

#[test]
fn a_dumped_advertisement_takes_effect() {
    // 10GBASE-T and 5GBASE-T not advertised: 2.5G against a 10G partner.
    let mut phy = preloaded("mmd 7 reg 32 = 0x0081\n").unwrap();
    phy.set_medium(Instant::ZERO, negotiating(&ALL_FULL));
    let now = Instant::ZERO + Duration::from_secs(10);
    phy.advance(now);
    assert_eq!(phy.link_state().speed, Some(Speed::S2500));
    assert_eq!(
        phy.c45_read(now, PCS, MV_PCS_CSSR1).unwrap() & 0xc00c,
        0xc004
    );
    assert_eq!(
        phy.c45_read(now, AN, 33).unwrap() & 0x0860,
        0x0860,
        "a 10G partner"
    );
}

#[test]
fn a_dumped_power_down_holds_the_link_down() {
    let mut phy = preloaded("mmd 31 reg 0xf001 = 0x0804\n").unwrap();
    phy.set_medium(Instant::ZERO, negotiating(&ALL_FULL));
    let now = Instant::ZERO + Duration::from_secs(10);
    phy.advance(now);
    assert!(!phy.link_state().up);
    // mv3310_power_up().
    phy.c45_write(now, VEND2, MV_V2_PORT_CTRL, 0x0004);
    phy.advance(now + Duration::from_secs(10));
    assert_eq!(phy.link_state().speed, Some(Speed::S10000));
}

/// scenarios/dumps/marvell-88x3310-from-dump.yaml, replayed: marvell10g.c offers downshift
/// from firmware 0.3.5.0 on, so with the dump's 0.2.1.0 it leaves DSC1 as dumped (off) and on
/// two pairs the PHY keeps trying 10GBASE-T; the same PHY without the dump walks down to
/// 100BASE-TX.
#[test]
fn the_scenario_dump_with_old_firmware_never_links_on_two_pairs() {
    let dump = include_str!("../../scenarios/dumps/88x3310-old-firmware.txt");
    let mut two_pairs = negotiating(&ALL_FULL);
    two_pairs.cable.pairs = 2;
    let mut old = Linux::boot_from(dump, two_pairs.clone());
    assert_eq!(old.rd(PMA, MV_PMA_FW_VER0), 0x0002);
    assert!(!old.wait_link(60_000 * MS).link);
    assert_eq!(old.rd(PCS, MV_PCS_DSC1) & 0x0200, 0, "downshift off");

    let mut new = Linux::boot(two_pairs);
    let start = new.now;
    assert_eq!(new.wait_link(60_000 * MS).speed, 100);
    // The scenario expects the link within 24 s of time 0 (~ phy_start here).
    let took = new.now.saturating_duration_since(start);
    assert!(took < Duration::from_secs(20), "{took:?}");
}

#[test]
fn clause_22_unknown_mmds_and_unmodelled_registers_are_refused() {
    let e = |t: &str| preloaded(t).err().unwrap();
    assert_eq!(
        e("0x10 = 0x0000"),
        "line 1: page 0 reg 16: the marvell-88x3310 model answers Clause 45 frames only, \
         not Clause 22: give its registers as `mmd D reg R` lines"
    );
    assert_eq!(
        e("mmd 1 reg 0 = 0x2040\nmmd 2 reg 0 = 0x2040"),
        "line 2: mmd 2 reg 0x0000: the marvell-88x3310 model has no MMD 2"
    );
    // No 1.9 on this part: marvell10g.c never touches it.
    assert_eq!(
        e("mmd 1 reg 9 = 0x0001"),
        "line 1: mmd 1 reg 0x0009 = 0x0001: the marvell-88x3310 model does not implement \
         this register (it reads 0); remove the line"
    );
    // A zero for an unmodelled register is what the model reads anyway.
    preloaded("mmd 1 reg 9 = 0").unwrap();
}

/// Registers the driver touches, plus a few unmodelled ones.
const REGS: [(u8, u16); 28] = [
    (PMA, 0),
    (PMA, 1),
    (PMA, 7),
    (PMA, 8),
    (PMA, MV_PMA_BOOT),
    (PCS, 0),
    (PCS, 1),
    (PCS, MV_PCS_BASE_R_STAT1),
    (PCS, MV_PCS_CSCR1),
    (PCS, MV_PCS_DSC1),
    (PCS, MV_PCS_CSSR1),
    (4, 1),
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
    (AN, MV_AN_CTRL1000),
    (AN, MV_AN_STAT1000),
    (VEND2, MV_V2_PORT_CTRL),
    (VEND2, MV_V2_TEMP),
    (VEND2, 0x1234),
    (30, 8),
];

/// What must hold between registers at every instant (peeked, so latches don't interfere).
fn check_invariants(phy: &Marvell88x3310, partner: &LinkPartner) -> Result<(), TestCaseError> {
    let state = phy.link_state();
    let cssr = phy.peek(3, MV_PCS_CSSR1).unwrap();
    let an1 = phy.peek(7, 1).unwrap();
    prop_assert_eq!(cssr & 0x0400 != 0, state.up, "CSSR1 link is the link");
    if state.up {
        prop_assert_ne!(cssr & 0x0800, 0, "up implies resolved");
        let speed = match cssr & 0xc00c {
            0xc000 => Speed::S10000,
            0xc008 => Speed::S5000,
            0xc004 => Speed::S2500,
            0x8000 => Speed::S1000,
            0x4000 => Speed::S100,
            _ => Speed::S10,
        };
        prop_assert_eq!(Some(speed), state.speed);
        prop_assert_eq!(cssr & 0x2000 != 0, state.duplex == Some(Duplex::Full));
        // The live link bits (latched-low reads may show 0 once, never 1 while down).
        prop_assert_eq!(phy.peek(1, 1).unwrap() & 4 == 0 || state.up, true);
    } else {
        prop_assert_eq!(phy.peek(1, 1).unwrap() & 4, 0, "PMA link low while down");
        prop_assert_eq!(phy.peek(7, 1).unwrap() & 4, 0, "AN link low while down");
        prop_assert_eq!(cssr & 0x0300, 0, "no pause without link");
    }
    if an1 & 0x0020 != 0 {
        prop_assert_ne!(an1 & 0x0001, 0, "complete implies the partner negotiated");
        prop_assert_ne!(cssr & 0x0800, 0, "complete implies resolved");
        prop_assert!(state.up, "complete implies link");
    }
    // The partner's EEE page: only what it advertises, only while its pages are in.
    let (lp1, lp2) = (phy.peek(7, 61).unwrap(), phy.peek(7, 63).unwrap());
    prop_assert_eq!(lp1 & !eee::cap1(partner.eee), 0);
    prop_assert_eq!(lp2 & !eee::cap2(partner.eee), 0);
    if an1 & 0x0001 == 0 {
        prop_assert_eq!((lp1, lp2), (0, 0), "no pages, no partner EEE");
    }
    // The role and fault of a multi-gigabit link are in 7.33, of a 1000BASE-T one in
    // 7.0x8001; the other register shows no role.
    let (tg, gig) = (
        phy.peek(7, 33).unwrap(),
        phy.peek(7, MV_AN_STAT1000).unwrap(),
    );
    if an1 & 0x0020 != 0 && state.speed >= Some(Speed::S1000) {
        let (own, other) = if state.speed == Some(Speed::S1000) {
            (gig, tg)
        } else {
            (tg, gig)
        };
        prop_assert_eq!(
            (tg | gig) & 0x8000,
            0,
            "a resolution that succeeded clears faults"
        );
        prop_assert_eq!(other & 0x4000, 0);
        if let MasterSlave::Manual { master } = partner.master_slave {
            prop_assert_eq!(
                own & 0x4000 != 0,
                !master,
                "the role opposes a manual partner"
            );
        }
    }
    prop_assert_eq!(phy.peek(3, MV_PCS_BASE_R_STAT1).unwrap(), 0, "no fibre");
    prop_assert_eq!(phy.peek(1, 2), Some(0x002b));
    prop_assert_eq!(phy.peek(1, 3), Some(0x09ab));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn registers_stay_consistent(acts in proptest::collection::vec(props::c45::act(&REGS), 1..120)) {
        let mut now = Instant::ZERO;
        let mut phy = Marvell88x3310::new(&M88X3310, now).unwrap();
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
                    if r == 2 || r == 3 || (d, r) == (PMA, MV_PMA_BOOT) {
                        prop_assert_eq!(Some(v), before);
                    }
                    if d == PCS && r == MV_PCS_BASE_R_STAT1 {
                        prop_assert_eq!(v, 0);
                    }
                }
                Act::Write(d, r, v) => {
                    let ro = [(PMA, 1), (PMA, 8), (PMA, MV_PMA_BOOT), (PCS, MV_PCS_CSSR1),
                              (AN, 19), (AN, 33), (AN, 61), (AN, 63), (AN, MV_AN_STAT1000),
                              (30, 8)];
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
