//! The 88E1111 model driven the way Linux's marvell.c ("Marvell 88E1111") and phylib drive it
//! (same registers, order and waits), plus a property test of its register-level invariants.

mod common;

use common::bus::{Bus, Paged, C22};
use common::cable::{Code, PairResult, UNSPEC};
use common::media::{configured, faulty, full_partner, full_partner_pausing, only};
use common::phylib::{self, Status, UP_1000_FULL};
use common::props::{self, c22::Act, MediumAct};
use common::{marvell, MS, US};
use phy_sim_models::marvell::{Marvell88e1111, M88E1111, M88E1111_VCT_TIME};
use phy_sim_models::medium::Cable;
use phy_sim_models::notes::Target;
use phy_sim_models::{
    build, Duplex, FaultKind, Instant, LinkMode, LinkPartner, LinkTiming, MasterSlave, MdioDevice,
    Medium, PairFault, Pause, Phy, Speed,
};
use proptest::prelude::*;
use std::time::Duration;

const BMCR: u8 = 0x00;
const BMSR: u8 = 0x01;
const ANAR: u8 = 0x04;
const LPA: u8 = 0x05;
const CTRL1000: u8 = 0x09;
const STAT1000: u8 = 0x0a;
const SCR: u8 = 0x10;
const SSR: u8 = 0x11;
const IMASK: u8 = 0x12;
const IEVENT: u8 = 0x13;
const EXT_CR: u8 = 0x14;
const PAGE: u8 = 0x16;
const LED: u8 = 0x18;
const EXT_SR: u8 = 0x1b;
const VCT: u8 = 0x1c;
const DEBUG_ADDR: u8 = 0x1d;
const DEBUG_DATA: u8 = 0x1e;
/// MII_M1011_IMASK_INIT: speed, duplex, link changed.
const IMASK_INIT: u16 = 0x6400;

/// The subset of phylib + marvell.c (Linux 7.3) that touches the PHY, as register accesses.
struct Linux {
    phy: Box<dyn Phy>,
    now: Instant,
    irq: bool,
}

common::bus::c22_replay!(Linux, modify_writes_unchanged = true);

impl Paged for Linux {
    const PAGE_SELECT: u8 = PAGE;
}

impl Linux {
    fn boot(medium: Medium, irq: bool) -> Linux {
        let mut phy = build("marvell-88e1111", Instant::ZERO).unwrap();
        phy.set_medium(Instant::ZERO, medium);
        let mut l = Linux {
            phy,
            now: Instant::ZERO,
            irq,
        };
        l.sleep(3000 * MS);
        l.probe();
        l.config_init();
        l.config_intr(false);
        if irq {
            l.config_intr(true);
        }
        l.config_aneg();
        l
    }

    /// phy_device_create() / genphy_read_abilities(), which ends in
    /// genphy_c45_read_eee_abilities().
    fn probe(&mut self) {
        assert_eq!(
            self.phy_id() & 0xffff_fff0,
            0x0141_0cc0,
            "marvell.c binds 88E1111"
        );
        assert_eq!(self.read(BMSR) & 0xf900, 0x7900, "10/100 abilities");
        assert_eq!(
            self.read(0x0f) & 0xf000,
            0x3000,
            "1000BASE-T FD/HD, no 1000BASE-X"
        );
        // No EEE abilities: supported_eee stays empty, so phylib never reads 7.60 or 7.61,
        // never writes 7.60, and `ethtool --show-eee` says "not supported".
        assert_eq!(self.mmd_read(3, 20), 0, "3.20 through reserved 13/14");
    }

    /// genphy_soft_reset(): set BMCR.15, poll until it clears.
    fn soft_reset(&mut self) {
        self.modify(BMCR, 0, 0x8000);
        for _ in 0..30 {
            self.sleep(20 * MS);
            if self.read(BMCR) & 0x8000 == 0 {
                return;
            }
        }
        panic!("BMCR reset never cleared");
    }

    /// m88e1111gbe_config_init() for phy-mode rgmii-id.
    fn config_init(&mut self) {
        // m88e1111_set_downshift(3).
        self.modify(EXT_CR, 0x0f00, 0x0100 | (2 << 9));
        self.soft_reset();
        // m88e1111_config_init_rgmii().
        self.modify(EXT_CR, 0x0082, 0x0082);
        let mut extsr = self.read(EXT_SR) & !0x000f;
        extsr |= if extsr & 0x2000 != 0 { 0x3 } else { 0xb };
        self.write(EXT_SR, extsr);
        self.soft_reset();
    }

    fn config_intr(&mut self, enable: bool) {
        if enable {
            self.read(IEVENT);
            self.write(IMASK, IMASK_INIT);
        } else {
            self.write(IMASK, 0);
            self.read(IEVENT);
        }
    }

    /// m88e1111_config_aneg() → marvell_config_aneg(), advertising everything with pause.
    fn config_aneg(&mut self) {
        let extsr = self.read(EXT_SR);
        assert_ne!(extsr & 0x000f, 0x8, "not copper to 1000BASE-X");
        let mdix_changed = self.modify(SCR, 0x0060, 0x0060);
        self.write(LED, 0x4100);
        let mut changed = self.modify(ANAR, 0x0de0, 0x01e0 | 0x0400);
        self.read(BMSR);
        changed |= self.modify(CTRL1000, 0x0300, 0x0300);
        phylib::check_and_restart_aneg(self, changed);
        if mdix_changed {
            self.soft_reset();
        }
    }

    /// marvell_read_status() on the copper page.
    fn read_status(&mut self) -> Status {
        let ssr = self.read(SSR);
        // This replay keeps no phylib link state: BMSR is read afresh every time.
        let (_, bmsr) = phylib::update_link(self, false);
        let autoneg_complete = bmsr & 0x0020 != 0;
        let mut link = bmsr & 0x0004 != 0 && autoneg_complete;
        if ssr & 0x0800 == 0 {
            link = false;
        } else if autoneg_complete {
            phylib::read_lpa(self);
        }
        Status {
            link,
            speed: match ssr & 0xc000 {
                0x8000 => 1000,
                0x4000 => 100,
                _ => 10,
            },
            duplex: if ssr & 0x2000 != 0 {
                Duplex::Full
            } else {
                Duplex::Half
            },
        }
    }

    /// marvell_handle_interrupt(): whether the state machine is triggered.
    fn handle_interrupt(&mut self) -> bool {
        self.read(IEVENT) & IMASK_INIT != 0
    }

    fn wait_link(&mut self, limit: Duration) -> Option<Status> {
        let (irq, end) = (self.irq, self.now + limit);
        phylib::wait_link(self, irq, end, Linux::handle_interrupt, |l| {
            Some(l.read_status()).filter(|s| s.link)
        })
    }

    /// m88e1111_vct_cable_test_start(): the VCT manual's debug-port workaround around
    /// starting the test on page 0.
    fn vct_start(&mut self) {
        marvell::cable_test_start_common(self);
        self.write(DEBUG_ADDR, 0x0018);
        self.write(DEBUG_DATA, 0x00c2);
        self.write(DEBUG_DATA, 0x00ca);
        self.write(DEBUG_DATA, 0x00c2);
        self.write_paged(0, VCT, 0x8000);
        self.write(DEBUG_ADDR, 0x0018);
        self.write(DEBUG_DATA, 0x0042);
    }

    /// m88e1111_vct_cable_test_get_status(): `None` while the test runs.
    fn vct_get_status(&mut self) -> Option<[PairResult; 4]> {
        let mut out = [UNSPEC; 4];
        for (i, r) in out.iter_mut().enumerate() {
            let v = self.read_paged(i as u16, VCT);
            if i == 0 && v & 0x8000 != 0 {
                return None;
            }
            let distance = v & 0x00ff;
            r.code = match (v & 0x6000) >> 13 {
                0 if distance == 0xff => Code::Ok,
                0 => Code::ImpedanceMismatch,
                1 => Code::SameShort,
                2 => Code::Open,
                _ => Code::Unspec,
            };
            if distance < 0xff {
                r.length_cm = Some(if distance < 36 {
                    0
                } else {
                    (8018 * u32::from(distance) - 287_510) / 100
                });
            }
        }
        Some(out)
    }

    /// `ethtool --cable-test`: polled at once, then every second, then phylib's config_aneg.
    fn cable_test(&mut self) -> [PairResult; 4] {
        self.vct_start();
        for _ in 0..10 {
            if let Some(r) = self.vct_get_status() {
                self.config_aneg();
                return r;
            }
            self.sleep(1000 * MS);
        }
        panic!("VCT never finished");
    }
}

#[test]
fn partner_1000_full_links_at_1000_full_after_the_autoneg_delay() {
    let mut l = Linux::boot(full_partner(), true);
    l.modify(BMCR, 0x0400, 0x1000 | 0x0200);
    let started = l.now;
    let t = LinkTiming::default();
    let s = l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!(
        s,
        Status {
            link: true,
            speed: 1000,
            duplex: Duplex::Full
        }
    );
    let took = l.now.saturating_duration_since(started);
    assert!(took >= t.autoneg + t.link_1000, "took {took:?}");
    assert!(took < t.autoneg + t.link_1000 + 100 * MS, "took {took:?}");
    assert_eq!(l.read(BMSR), 0x796d, "BMSR: link, AN complete, abilities");
    assert_eq!(
        l.read(SSR),
        0x8000 | 0x2000 | 0x1000 | 0x0800 | 0x0400,
        "1000, full, page received, resolved, link, MDI, no pause"
    );
    assert_eq!(l.read(STAT1000) & 0x7c00, 0x3000 | 0x0800 | 0x0400);
    assert_eq!(l.read(LPA), 0xc1e1, "LP base page: NP, ack, 10/100 all");
    let state = l.phy.link_state();
    assert!(state.up);
    assert_eq!(
        (state.speed, state.duplex),
        (Some(Speed::S1000), Some(Duplex::Full))
    );
}

#[test]
fn pause_resolution_shows_in_bits_3_and_2() {
    let medium = full_partner_pausing(Pause::Both);
    let mut l = Linux::boot(medium, false);
    l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!(l.read(SSR) & 0x030c, 0x000c, "tx and rx pause, not 9/8");
}

#[test]
fn partner_100_half_links_at_100_half() {
    let mut l = Linux::boot(only(LinkMode::BaseT100Half), false);
    let s = l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!((s.speed, s.duplex), (100, Duplex::Half));
    assert_eq!(l.read(LPA), 0x4081);
    assert_eq!(l.read(STAT1000) & 0x0c00, 0, "no 1000BASE-T abilities");
    assert_eq!(l.read(SSR) & 0xec00, 0x4000 | 0x0800 | 0x0400);
}

#[test]
fn partner_10_full_links_at_10_full() {
    let mut l = Linux::boot(only(LinkMode::BaseT10Full), true);
    let s = l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!((s.speed, s.duplex), (10, Duplex::Full));
    assert_eq!(l.read(SSR) & 0xec00, 0x2000 | 0x0800 | 0x0400);
}

#[test]
fn re_advertising_partner_is_followed() {
    let mut l = Linux::boot(full_partner(), false);
    assert_eq!(l.wait_link(Duration::from_secs(5)).unwrap().speed, 1000);
    l.phy.set_medium(l.now, only(LinkMode::BaseT100Half));
    assert_eq!(l.read(SSR) & 0x0c00, 0, "dropped at once");
    let s = l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!((s.speed, s.duplex), (100, Duplex::Half));
}

#[test]
fn a_flap_drops_at_once_latches_bmsr_and_relinks() {
    let mut l = Linux::boot(full_partner(), true);
    l.wait_link(Duration::from_secs(5)).expect("link");
    assert!(!l.phy.irq_asserted());
    let mut medium = l.phy.medium().clone();
    medium.cable.connected = false;
    l.phy.set_medium(l.now, medium.clone());
    assert!(!l.phy.link_state().up);
    assert!(l.phy.irq_asserted(), "link change interrupt");
    assert_eq!(l.read(SSR) & 0x0c00, 0, "17 is real time");
    l.sleep(10 * MS);
    medium.cable.connected = true;
    l.phy.set_medium(l.now, medium);
    l.sleep(3000 * MS);
    assert!(l.phy.link_state().up, "link came back");
    assert_eq!(l.read(BMSR) & 0x0004, 0, "latched low");
    assert_ne!(l.read(BMSR) & 0x0004, 0, "then the current state");
    assert_ne!(l.read(SSR) & 0x0400, 0);
}

#[test]
fn interrupt_path_is_status_and_enable_with_clear_on_read() {
    let mut l = Linux::boot(full_partner(), true);
    l.wait_link(Duration::from_secs(5)).expect("link");
    let mut medium = l.phy.medium().clone();
    medium.cable.connected = false;
    l.phy.set_medium(l.now, medium.clone());
    assert!(l.phy.irq_asserted());
    let isr = l.read(IEVENT);
    assert_eq!(
        isr & 0x6400,
        0x6400,
        "link, speed, duplex changed: {isr:#06x}"
    );
    assert!(!l.phy.irq_asserted(), "reading 19 deasserts INT#");
    assert_eq!(l.read(IEVENT), 0, "clear on read");

    // Events latch whether or not they are enabled; INT# needs the enable.
    l.write(IMASK, 0);
    medium.cable.connected = true;
    l.phy.set_medium(l.now, medium);
    l.sleep(3000 * MS);
    assert!(!l.phy.irq_asserted(), "masked");
    l.write(IMASK, IMASK_INIT);
    assert!(l.phy.irq_asserted(), "pending link-up event now enabled");
    assert!(l.handle_interrupt());
    assert!(!l.phy.irq_asserted());
    // Bit 3 is reserved.
    l.write(IMASK, 0xffff);
    assert_eq!(l.read(IMASK), 0xfff7);
}

#[test]
fn polled_phy_never_asserts_int() {
    let mut l = Linux::boot(full_partner(), false);
    l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!(l.read(IMASK), 0);
    assert!(!l.phy.irq_asserted());
}

#[test]
fn mid_autoneg_registers_agree() {
    let mut l = Linux::boot(full_partner(), false);
    let t = LinkTiming::default();
    l.modify(BMCR, 0, 0x0200);
    l.sleep(t.autoneg + t.link_1000 / 2);
    assert_eq!(
        l.read(SSR) & 0xfc00,
        0x8000 | 0x2000 | 0x1000 | 0x0800,
        "resolved 1000/full, page received, no link"
    );
    assert_eq!(l.read(BMSR) & 0x0024, 0);
    assert!(!l.read_status().link);
}

#[test]
fn config_init_sets_rgmii_delays_mode_and_downshift_committed_on_reset() {
    let mut l = Linux::boot(Medium::unplugged(), false);
    assert_eq!(l.read(EXT_CR), 0x0c60 & !0x0e00 | 0x0400 | 0x0100 | 0x0082);
    assert_eq!(l.read(EXT_SR) & 0x000f, 0xb, "RGMII to copper");
    assert_eq!(l.read(LED), 0x4100);
    let mut m = Marvell88e1111::new(&M88E1111, Instant::ZERO).unwrap();
    assert_eq!(m.peek(0, EXT_CR), Some(0x0c60), "power-on value");
    assert_eq!(m.peek(0, EXT_SR), Some(0x848b), "power-on value");
    let t = Instant::ZERO + MS;
    m.c22_write(t, EXT_CR, 0x0c60 | 0x0082);
    m.c22_write(t, EXT_SR, 0x8484);
    assert_eq!(m.rgmii_delays(), (false, false), "not before a reset");
    assert_eq!(m.hwcfg_mode(), 0xb);
    m.c22_write(t, BMCR, 0x9140);
    m.advance(t + MS);
    assert_eq!(m.peek(0, BMCR), Some(0x1140), "reset self-clears");
    assert_eq!(m.rgmii_delays(), (true, true));
    assert_eq!(m.hwcfg_mode(), 0x4);
    assert_eq!(
        m.peek(0, EXT_SR),
        Some(0x8484),
        "kept over a software reset"
    );
}

#[test]
fn sw_reset_keeps_registers_and_power_on_reset_restores_them() {
    let mut l = Linux::boot(full_partner(), true);
    l.wait_link(Duration::from_secs(5)).expect("link");
    l.write(0x19, 0x0015);
    l.modify(BMCR, 0, 0x4000);
    l.soft_reset();
    assert_eq!(l.read(IMASK), IMASK_INIT, "kept");
    assert_eq!(l.read(0x19), 0x0015, "kept");
    assert_ne!(l.read(BMCR) & 0x4000, 0, "loopback kept");
    assert_eq!(l.read(ANAR), 0x05e1);
    l.modify(BMCR, 0x4000, 0);
    l.irq = false;
    assert!(l.wait_link(Duration::from_secs(5)).is_some(), "relinks");
    let now = l.now;
    l.phy.power_on_reset(now);
    assert_eq!(l.read(IMASK), 0);
    assert_eq!(l.read(ANAR), 0x01e1);
    assert_eq!(l.read(BMCR), 0x1140);
    assert_eq!(l.read(SCR), 0x0068);
}

#[test]
fn downshift_after_ext_cr_attempts_on_two_pairs() {
    let mut medium = full_partner();
    medium.cable = Cable {
        connected: true,
        pairs: 2,
        length_m: 30.0,
        faults: [None; 4],
    };
    let mut l = Linux::boot(medium, false);
    let s = l.wait_link(Duration::from_secs(30)).expect("downshifted");
    assert_eq!((s.speed, s.duplex), (100, Duplex::Full));
    assert_ne!(l.read(SSR) & 0x0020, 0, "downshift status");
}

#[test]
fn power_down_drops_the_link_and_power_up_renegotiates() {
    let mut l = Linux::boot(full_partner(), false);
    l.wait_link(Duration::from_secs(5)).expect("link");
    l.modify(BMCR, 0, 0x0800);
    assert!(!l.phy.link_state().up);
    assert_eq!(l.read(SSR) & 0xfc7c, 0);
    l.sleep(5000 * MS);
    assert!(!l.phy.link_state().up);
    l.modify(BMCR, 0x0800, 0);
    assert!(l.wait_link(Duration::from_secs(5)).is_some());
}

#[test]
fn forced_speed_applies_after_soft_reset() {
    let medium = Medium::cable_to(LinkPartner::forcing(Speed::S100, Duplex::Full), 5.0);
    let mut l = Linux::boot(medium, false);
    // genphy_setup_forced() 100/Full, then marvell_config_aneg()'s soft reset.
    l.modify(BMCR, !(0x4000 | 0x0400 | 0x0800), 0x2000 | 0x0100);
    assert!(
        l.phy.link_state().speed != Some(Speed::S100),
        "no effect before the reset"
    );
    l.soft_reset();
    l.sleep(LinkTiming::default().forced_link + 10 * MS);
    let state = l.phy.link_state();
    assert!(state.up);
    assert_eq!(
        (state.speed, state.duplex),
        (Some(Speed::S100), Some(Duplex::Full))
    );
    assert_eq!(l.read(SSR) & 0xec00, 0x4000 | 0x2000 | 0x0800 | 0x0400);
    assert_eq!(l.read(BMSR) & 0x0020, 0, "no autonegotiation");
}

#[test]
fn unmodelled_registers_read_zero_and_are_noted_once() {
    let mut l = Linux::boot(Medium::unplugged(), true);
    assert!(
        l.phy.take_unimplemented().is_empty(),
        "the driver's bring-up touches only modelled registers"
    );
    assert_eq!(l.read(0x1a), 0);
    assert_eq!(l.read(0x1a), 0);
    l.write(PAGE, 1);
    assert_eq!(l.read(BMCR), 0, "fiber bank");
    assert_eq!(l.read(3), 0x0cc2, "ID on every page");
    l.write(PAGE, 0);
    let targets: Vec<_> = l
        .phy
        .take_unimplemented()
        .iter()
        .map(|n| n.target)
        .collect();
    assert_eq!(
        targets,
        [
            Target::C22 {
                page: None,
                reg: 0x1a
            },
            Target::C22 {
                page: Some(1),
                reg: 0
            }
        ]
    );
}

#[test]
fn a_partner_forcing_master_or_slave_decides_the_role() {
    for (partner_master, local_master) in [(true, false), (false, true)] {
        let ms = MasterSlave::Manual {
            master: partner_master,
        };
        let mut l = Linux::boot(configured(ms, &[]), true);
        assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
        let role = if local_master { 0x4000 } else { 0 };
        assert_eq!(
            l.read(STAT1000) & 0xfc00,
            role | 0x3000 | 0x0c00,
            "no fault, 10.14 role, receivers OK, LP 1000 FD/HD"
        );
    }
    // Against the default (multiport) partner the power-on configuration (ANEG straps:
    // automatic, single-port) resolves slave; preferring master (9.10) resolves master.
    let mut l = Linux::boot(full_partner(), false);
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    assert_eq!(l.read(STAT1000) & 0xc000, 0);
    l.modify(CTRL1000, 0x1c00, 0x0400);
    l.modify(BMCR, 0x0400, 0x1000 | 0x0200);
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    assert_eq!(l.read(STAT1000) & 0xc000, 0x4000);
}

#[test]
fn forced_master_against_forced_master_faults_every_cycle_until_the_partner_changes() {
    let forced_master = MasterSlave::Manual { master: true };
    let mut l = Linux::boot(configured(forced_master, &[]), true);
    // A DT timing-role = "forced-master": genphy_setup_master_slave() in config_aneg.
    l.modify(CTRL1000, 0x1c00, 0x1800);
    l.modify(BMCR, 0x0400, 0x1000 | 0x0200);
    let restarted = l.now;
    let t = LinkTiming::default();
    l.sleep(t.autoneg + 10 * MS);
    assert_eq!(
        l.read(STAT1000) & 0xfc00,
        0x8000 | 0x0c00,
        "fault, LP 1000 FD/HD, no role, no receivers"
    );
    assert_eq!(l.read(BMSR) & 0x0024, 0, "no link, AN not complete");
    assert_eq!(
        l.read(SSR) & 0xfc00,
        0x1000,
        "page received, nothing resolved"
    );
    // IMASK_INIT leaves the autonegotiation error out: INT# stays quiet.
    assert!(!l.phy.irq_asserted());
    assert_eq!(
        l.read(IEVENT) & 0x9000,
        0x8000 | 0x1000,
        "AN error, page received"
    );
    assert!(!l.read_status().link);

    // 10.15 latches over the restart after link_fail_inhibit, until read.
    l.sleep((restarted + t.autoneg + t.gigabit_fail + 10 * MS).saturating_duration_since(l.now));
    assert_eq!(l.read(STAT1000) & 0x8000, 0x8000, "latched");
    assert_eq!(l.read(STAT1000) & 0x8000, 0, "negotiating again");
    for _ in 0..3 {
        l.sleep(t.autoneg + t.gigabit_fail);
        assert_ne!(l.read(IEVENT) & 0x8000, 0, "AN error each cycle");
    }
    l.write(IMASK, IMASK_INIT | 0x8000);
    l.sleep(t.autoneg + t.gigabit_fail);
    assert!(l.phy.irq_asserted(), "AN error interrupt when enabled");
    l.write(IMASK, IMASK_INIT);
    l.read(IEVENT);
    assert_eq!(l.wait_link(Duration::from_secs(10)), None, "no link, ever");

    // Partner fixed right after a fault latched (unread): the successful resolution clears
    // 10.15 before genphy_read_lpa() reads it.
    while l.read(IEVENT) & 0x8000 == 0 {
        l.sleep(10 * MS);
    }
    l.phy.set_medium(
        l.now,
        configured(MasterSlave::Manual { master: false }, &[]),
    );
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    assert_eq!(l.read(STAT1000) & 0xc000, 0x4000, "no fault, master");
}

#[test]
fn an_eee_partner_changes_nothing_on_a_part_without_eee() {
    use LinkMode::{BaseT1000Full, BaseT100Full};
    let medium = configured(
        LinkPartner::DEFAULT_MASTER_SLAVE,
        &[BaseT100Full, BaseT1000Full],
    );
    let mut l = Linux::boot(medium, false);
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    // What an MMD access returns on the 88E1111, had phylib gone on past 3.20.
    assert_eq!(l.mmd_read(7, 60), 0);
    assert_eq!(l.mmd_read(7, 61), 0, "the partner's EEE page is not shown");
    l.write(0x0d, 0x0007);
    assert_eq!(l.read(0x0d), 0, "13 ignores writes");
    assert!(
        l.phy.take_unimplemented().is_empty(),
        "13/14 are reserved registers of the part"
    );
}

// ---- cable test (m88e1111_vct_cable_test_start / _get_status) ----

/// `code`, with a length within one distance step (0.8018 m) of `m`.
fn found(r: &PairResult, code: Code, m: f64) -> bool {
    r.code == code
        && r.length_cm
            .is_some_and(|cm| (f64::from(cm) - m * 100.0).abs() <= 81.0)
}

#[test]
fn vct_reports_each_fault_with_its_distance() {
    let medium = faulty(
        60.0,
        [
            Some((FaultKind::Open, 12.0)),
            Some((FaultKind::Short, 30.0)),
            Some((FaultKind::CrossShort, 45.0)),
            Some((FaultKind::ImpedanceMismatch, 8.0)),
        ],
    );
    let mut l = Linux::boot(medium, false);
    let r = l.cable_test();
    assert!(found(&r[0], Code::Open, 12.0), "{r:?}");
    assert!(found(&r[1], Code::SameShort, 30.0), "{r:?}");
    // No cross-pair check on this tester: the inverted echo reads as a short.
    assert!(found(&r[2], Code::SameShort, 45.0), "{r:?}");
    assert!(found(&r[3], Code::ImpedanceMismatch, 8.0), "{r:?}");
    // The part's encoding: 0.8018 m per step from 28.751 m below the connector.
    let page = l.read(PAGE);
    assert_eq!(page, 0);
    assert_eq!(
        l.read_paged(0, VCT) & 0x60ff,
        0x4000 | 51,
        "open, (12 + 28.751) / 0.8018"
    );
    assert_ne!(l.read_paged(1, VCT) & 0x1f00, 0, "an echo amplitude");
}

#[test]
fn vct_healthy_cable_reads_ok_and_the_link_comes_back_through_config_aneg() {
    let mut l = Linux::boot(full_partner(), false);
    l.wait_link(Duration::from_secs(5)).expect("link");
    l.vct_start();
    assert!(!l.phy.link_state().up);
    assert_eq!(l.vct_get_status(), None, "first poll: in progress");
    l.sleep(1000 * MS);
    let r = l.vct_get_status().expect("done a second later");
    assert!(
        r.iter()
            .all(|p| p.code == Code::Ok && p.length_cm.is_none()),
        "{r:?}"
    );
    assert_eq!(l.read_paged(2, VCT), 0x00ff, "normal, no reflection");
    // Autonegotiation stays off (committed by the test's reset): no link on its own.
    l.sleep(5000 * MS);
    assert!(!l.phy.link_state().up);
    l.config_aneg();
    let s = l.wait_link(Duration::from_secs(5)).expect("link back");
    assert_eq!((s.speed, s.duplex), (1000, Duplex::Full));
}

#[test]
fn vct_unplugged_no_partner_and_two_pair_cables() {
    let mut l = Linux::boot(Medium::unplugged(), false);
    let r = l.cable_test();
    assert!(r.iter().all(|p| found(p, Code::Open, 0.0)), "{r:?}");

    let mut medium = full_partner();
    medium.cable.length_m = 37.5;
    medium.partner = None;
    let mut l = Linux::boot(medium, true);
    let r = l.cable_test();
    assert!(r.iter().all(|p| found(p, Code::Open, 37.5)), "{r:?}");

    let mut medium = full_partner();
    medium.cable.pairs = 2;
    let mut l = Linux::boot(medium, false);
    let r = l.cable_test();
    assert!(r[..2].iter().all(|p| p.code == Code::Ok), "{r:?}");
    assert!(r[2..].iter().all(|p| found(p, Code::Open, 0.0)), "{r:?}");
}

#[test]
fn vct_runs_for_vct_time_with_the_link_down_and_sees_the_cable_as_it_ends() {
    let mut l = Linux::boot(full_partner(), true);
    l.wait_link(Duration::from_secs(5)).expect("link");
    l.read(IEVENT);
    // Straight to the enable bit, autonegotiation still on.
    l.write(VCT, 0x8000);
    let started = l.now;
    assert!(!l.phy.link_state().up, "test pulses replace the link");
    assert!(l.phy.irq_asserted(), "link change interrupt");
    assert_eq!(M88E1111_VCT_TIME, Duration::from_nanos(4 * 128 * 4096));
    l.sleep((started + (M88E1111_VCT_TIME - 50 * US)).saturating_duration_since(l.now));
    assert_ne!(l.read(VCT) & 0x8000, 0, "still running");
    // Pair C goes open 3 m out (of 5) while the test runs.
    let mut medium = l.phy.medium().clone();
    medium.cable.faults[2] = Some(PairFault {
        kind: FaultKind::Open,
        distance_m: 3.0,
    });
    l.phy.set_medium(l.now, medium);
    l.sleep(100 * US);
    assert_eq!(l.read(VCT), 0x00ff, "done; pair A normal");
    let r = l.vct_get_status().unwrap();
    assert_eq!(r[0].code, Code::Ok);
    assert!(found(&r[2], Code::Open, 3.0), "{r:?}");
    // Autonegotiation was never turned off: the link comes back on its own, downshifted to
    // 100 (pair C is broken).
    let s = l.wait_link(Duration::from_secs(30)).expect("link back");
    assert_eq!(s.speed, 100);
}

#[test]
fn reset_or_power_down_during_vct_fails_the_test() {
    for interrupt in [0x8000u16, 0x0800] {
        let mut l = Linux::boot(Medium::unplugged(), false);
        l.vct_start();
        l.modify(BMCR, 0, interrupt);
        assert_eq!(l.read(VCT) & 0x8000, 0, "test abandoned");
        let r = l.vct_get_status().expect("not running");
        assert!(
            r.iter().all(|p| *p
                == PairResult {
                    code: Code::Unspec,
                    length_cm: Some(0)
                }),
            "{r:?}"
        );
        assert_eq!(l.read_paged(3, VCT), 0x6000, "test failed");
    }
}

#[test]
fn debug_port_keeps_the_vct_workaround_register() {
    let mut l = Linux::boot(full_partner(), false);
    l.cable_test();
    l.write(DEBUG_ADDR, 0x0018);
    assert_eq!(l.read(DEBUG_DATA), 0x0042, "as the workaround left it");
    l.write(DEBUG_DATA, 0x00c2);
    assert_eq!(l.read(DEBUG_DATA), 0x00c2);
    assert!(
        l.phy.take_unimplemented().is_empty(),
        "the VCT sequence is modelled"
    );
    l.write(DEBUG_ADDR, 0x0005);
    assert_eq!(l.read(DEBUG_DATA), 0);
    let targets: Vec<_> = l
        .phy
        .take_unimplemented()
        .iter()
        .map(|n| n.target)
        .collect();
    assert_eq!(
        targets,
        [Target::C22 {
            page: None,
            reg: DEBUG_DATA
        }]
    );
}

// ---- invariants under random guest activity ----

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        4 => (0u8..32).prop_map(Act::Read),
        // Pages 0-3 only (copper, fiber, the VCT pairs), to keep most accesses on the copper
        // bank.
        2 => (0u8..32, any::<u16>()).prop_map(|(r, v)| Act::Write(r, if r == 22 { v & 3 } else { v })),
        3 => props::wait_ms().prop_map(Act::Wait),
        1 => props::plug().prop_map(Act::Medium),
        1 => props::partner().prop_map(Act::Medium),
        1 => props::fault_anywhere().prop_map(Act::Medium),
    ]
}

fn check_invariants(phy: &Marvell88e1111) -> Result<(), TestCaseError> {
    let p = |reg| phy.peek(0, reg).unwrap();
    prop_assert_eq!((p(2), p(3)), (0x0141, 0x0cc2), "ID");
    prop_assert_eq!(p(1) & 0xffc9, 0x7949, "BMSR abilities");
    let state = phy.link_state();
    let ssr = p(0x11);
    prop_assert_eq!(ssr & 0x0400 != 0, state.up, "17 real-time link");
    prop_assert!(p(1) & 0x0004 == 0 || state.up, "BMSR link only while up");
    prop_assert!(p(1) & 0x0020 == 0 || state.up, "AN complete only with link");
    if state.up {
        prop_assert_ne!(ssr & 0x0800, 0, "resolved while up");
        let speed = match ssr & 0xc000 {
            0x8000 => Speed::S1000,
            0x4000 => Speed::S100,
            _ => Speed::S10,
        };
        prop_assert_eq!(Some(speed), state.speed);
        prop_assert_eq!(ssr & 0x2000 != 0, state.duplex == Some(Duplex::Full));
        prop_assert_eq!(p(0) & 0x0800, 0, "not powered down");
        let pause = state.pause;
        prop_assert_eq!(ssr & 0x0008 != 0, pause.tx, "tx pause");
        prop_assert_eq!(ssr & 0x0004 != 0, pause.rx, "rx pause");
        if speed == Speed::S1000 {
            prop_assert_eq!(p(0x0a) & 0x3000, 0x3000, "receivers OK");
        }
        if ssr & 0x1000 != 0 {
            prop_assert_ne!(p(5) & 0x4000, 0, "LP base page acknowledged");
        }
    }
    let stat1000 = p(0x0a);
    if state.up && state.speed == Some(Speed::S1000) {
        prop_assert_eq!(stat1000 & 0x8000, 0, "no M/S fault on a gigabit link");
    }
    if stat1000 & 0x4000 != 0 {
        prop_assert_eq!(ssr & 0xc800, 0x8800, "MASTER only with 1000BASE-T resolved");
    }
    prop_assert_eq!(p(0) & 0x0200, 0, "restart self-clears");
    let expect_irq = p(0x13) & p(0x12) != 0;
    prop_assert_eq!(phy.irq_asserted(), expect_irq, "INT#");
    if p(0x1c) & 0x8000 != 0 {
        prop_assert!(!state.up, "no link while the cable test runs");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn registers_stay_consistent(acts in proptest::collection::vec(act(), 1..120)) {
        let mut now = Instant::ZERO;
        let mut phy = Marvell88e1111::new(&M88E1111, now).unwrap();
        let mut medium = full_partner_pausing(Pause::Both);
        phy.set_medium(now, medium.clone());
        for a in acts {
            now = now + Duration::from_micros(50);
            match a {
                Act::Read(reg) => {
                    let page = phy.peek(0, 22).unwrap();
                    let v = phy.c22_read(now, reg).unwrap();
                    match reg {
                        0x13 if page == 0 => prop_assert_eq!(phy.peek(0, 0x13), Some(0), "19 clears on read"),
                        0x02 => prop_assert_eq!(v, 0x0141),
                        _ => {}
                    }
                }
                Act::Write(reg, v) => {
                    let ro = [0x01u8, 0x02, 0x03, 0x05, 0x08, 0x0f, 0x11, 0x15];
                    let page = phy.peek(0, 22).unwrap() as u8;
                    let before = phy.peek(page, reg);
                    phy.c22_write(now, reg, v);
                    if ro.contains(&reg) {
                        prop_assert_eq!(phy.peek(page, reg), before, "read-only register ignores writes");
                    }
                    if reg == 0x12 && page == 0 {
                        prop_assert_eq!(phy.peek(0, 0x12), Some(v & 0xfff7), "18 stores its bits");
                    }
                }
                Act::Wait(ms) => {
                    props::wait(&mut phy, &mut now, ms)?;
                    if ms > 0 {
                        prop_assert_eq!(phy.peek(0, 0).unwrap() & 0x8000, 0, "reset completes");
                    }
                    if ms >= 3 {
                        prop_assert_eq!(phy.peek(0, 0x1c).unwrap() & 0x8000, 0, "VCT done");
                    }
                }
                Act::Medium(MediumAct::Partner(bits, autoneg)) => {
                    // A negotiating partner here also pauses both ways (and advertises EEE,
                    // which the 88E1111 never shows).
                    let mut partner = props::gigabit_partner(bits, autoneg);
                    if autoneg {
                        partner.pause = Pause::Both;
                    }
                    medium.partner = Some(partner);
                    phy.set_medium(now, medium.clone());
                }
                Act::Medium(m) => m.apply(&mut phy, now, &mut medium)?,
            }
            check_invariants(&phy)?;
        }
    }
}
