//! The AR8035 model driven the way Linux's at803x.c / qcom-phy-lib.c and phylib drive it
//! (same registers, order and waits), plus a property test of its register-level invariants.

mod common;

use common::bus::{phy_from_dump, Bus, C22};
use common::cable::{open, short, Code, PairResult, OK};
use common::media::{configured, fault, full_partner, full_partner_pausing, only};
use common::phylib::{self, Status, UP_1000_FULL};
use common::props::{self, c22::Act};
use common::MS;
use phy_sim_models::eee;
use phy_sim_models::medium::{Cable, FaultKind, LinkModes};
use phy_sim_models::notes::Target;
use phy_sim_models::qualcomm::{Ar8035, AR8035, CDT_TIME};
use phy_sim_models::{
    build, Duplex, Instant, LinkMode, LinkPartner, LinkTiming, MasterSlave, MdioDevice, Medium,
    Pause, Phy, Speed,
};
use proptest::prelude::*;
use std::time::Duration;

const BMCR: u8 = 0x00;
const BMSR: u8 = 0x01;
const ANAR: u8 = 0x04;
const LPA: u8 = 0x05;
const CTRL1000: u8 = 0x09;
const STAT1000: u8 = 0x0a;
const SFC: u8 = 0x10;
const PSSR: u8 = 0x11;
const INT_EN: u8 = 0x12;
const INT_ST: u8 = 0x13;
const SMART_SPEED: u8 = 0x14;
const CDT: u8 = 0x16;
const CDT_STATUS: u8 = 0x1c;
/// at803x_config_intr(): AN error, speed, duplex, link fail, link success.
const INT_DRIVER: u16 = 0xec00;

/// The subset of phylib + at803x.c (Linux 7.3) that touches the PHY, as register accesses.
struct Linux {
    phy: Box<dyn Phy>,
    now: Instant,
    /// The PHY's interrupt line is wired (phy_interrupt_is_valid()).
    irq: bool,
    link: bool,
    /// What at803x_read_status() concluded last.
    last: Status,
    /// phydev->master_slave_set as CTRL1000 bits 12..10, from the DT `timing-role`
    /// (of_set_phy_timing_role()): the only way to set it, as at803x.c never reads the
    /// master/slave state and ethtool therefore refuses `-s master-slave`.
    timing_role: Option<u16>,
    /// phylib's EEE advertisement in the 7.60 layout while eee_enabled (0 when disabled).
    eee: u16,
}

common::bus::c22_replay!(Linux, modify_writes_unchanged = true);

impl Linux {
    fn boot(medium: Medium, irq: bool) -> Linux {
        Linux::boot_phy(
            build("qualcomm-ar8035", Instant::ZERO).unwrap(),
            medium,
            irq,
        )
    }

    /// `boot` with a DT `timing-role` (CTRL1000 bits 12..10).
    fn boot_with_role(medium: Medium, irq: bool, role: u16) -> Linux {
        Linux::start(
            build("qualcomm-ar8035", Instant::ZERO).unwrap(),
            medium,
            irq,
            Some(role),
        )
    }

    /// `boot` with the PHY started from a register dump.
    fn boot_from_dump(dump: &str, medium: Medium, irq: bool) -> Linux {
        Linux::boot_phy(phy_from_dump("qualcomm-ar8035", dump), medium, irq)
    }

    fn boot_phy(phy: Box<dyn Phy>, medium: Medium, irq: bool) -> Linux {
        Linux::start(phy, medium, irq, None)
    }

    fn start(mut phy: Box<dyn Phy>, medium: Medium, irq: bool, timing_role: Option<u16>) -> Linux {
        phy.set_medium(Instant::ZERO, medium);
        let mut l = Linux {
            phy,
            now: Instant::ZERO,
            irq,
            link: false,
            last: Status::DOWN,
            timing_role,
            eee: 0,
        };
        l.sleep(3000 * MS);
        l.probe();
        l.soft_reset();
        l.config_init();
        l.config_intr(false);
        l.resume();
        if irq {
            l.config_intr(true);
        }
        l.config_aneg();
        l
    }

    /// at803x_debug_reg_read().
    fn debug_read(&mut self, reg: u16) -> u16 {
        self.write(0x1d, reg);
        self.read(0x1e)
    }

    /// at803x_debug_reg_mask().
    fn debug_mask(&mut self, reg: u16, clear: u16, set: u16) {
        let v = self.debug_read(reg);
        self.write(0x1e, (v & !clear) | set);
    }

    /// phy_device_create() / phy_probe(): ID, genphy_read_abilities(), EEE abilities and
    /// advertisement (at803x.c never disables EEE).
    fn probe(&mut self) {
        assert_eq!(
            self.phy_id(),
            0x004d_d072,
            "PHY_ID_MATCH_EXACT(ATH8035_PHY_ID)"
        );
        assert_eq!(self.read(BMSR) & 0xf908, 0x7908, "10/100, AN, ext status");
        assert_eq!(self.read(0x0f) & 0xf000, 0x2000, "1000BASE-T full only");
        self.eee = phylib::read_eee_adv(self, 0x0006);
    }

    /// genphy_soft_reset(): reset + restart AN, poll BMCR.15 every 20 ms.
    fn soft_reset(&mut self) {
        self.modify(BMCR, 0, 0x8000 | 0x0200);
        while self.read(BMCR) & 0x8000 != 0 {
            self.sleep(20 * MS);
        }
    }

    /// at803x_config_init() for phy-mode rgmii-id, no DT properties.
    fn config_init(&mut self) {
        self.debug_mask(0x00, 0, 0x8000);
        self.debug_mask(0x05, 0, 0x0100);
        self.modify(ANAR, 0x1000, 0);
    }

    fn config_intr(&mut self, enable: bool) {
        let v = self.read(INT_EN);
        if enable {
            self.read(INT_ST);
            self.write(INT_EN, v | INT_DRIVER);
        } else {
            self.write(INT_EN, 0);
            self.read(INT_ST);
        }
    }

    /// phy_attach_direct()'s phy_resume(): at803x_resume() clears power down and isolate.
    fn resume(&mut self) {
        self.modify(BMCR, 0x0c00, 0);
    }

    /// at803x_config_aneg(): auto MDI-X (soft reset if changed), genphy_config_aneg(): the
    /// EEE advertisement, master/slave, every link mode.
    fn config_aneg(&mut self) {
        if self.modify(SFC, 0x0060, 0x0060) {
            self.soft_reset();
        }
        let mut changed = self.mmd_modify(7, 60, 0x007e, self.eee);
        if let Some(ctl) = self.timing_role {
            changed |= self.modify(CTRL1000, 0x1c00, ctl);
        }
        changed |= self.modify(ANAR, 0x0de0, 0x01e0 | 0x0c00);
        changed |= self.modify(CTRL1000, 0x0300, 0x0200);
        phylib::check_and_restart_aneg(self, changed);
    }

    /// at803x_read_status(): genphy_update_link(), genphy_read_lpa(), 0x11 (and 0x10).
    fn read_status(&mut self) -> Option<Status> {
        let (_, bmsr) = phylib::update_link(self, self.link);
        let old = self.link;
        self.link = bmsr & 0x0004 != 0;
        if old && self.link {
            return None;
        }
        if bmsr & 0x0020 != 0 {
            phylib::read_lpa(self);
        }
        let ss = self.read(PSSR);
        if ss & 0x0800 == 0 {
            self.last = Status {
                link: self.link,
                ..Status::DOWN
            };
            return Some(self.last);
        }
        self.read(SFC);
        self.last = Status {
            link: self.link,
            speed: match ss >> 14 {
                2 => 1000,
                1 => 100,
                _ => 10,
            },
            duplex: if ss & 0x2000 != 0 {
                Duplex::Full
            } else {
                Duplex::Half
            },
        };
        Some(self.last)
    }

    /// `ethtool --set-eee eee on|off`.
    fn set_eee(&mut self, on: bool) {
        self.eee = if on { 0x0006 } else { 0 };
        phylib::write_eee_adv(self, self.eee);
    }

    /// `ethtool --show-eee` on the current link.
    fn show_eee(&mut self) -> (u16, bool) {
        let (mode, _) = phylib::eee_mode(self.last.link, self.last.speed, self.last.duplex);
        phylib::eee_status(self, self.eee, mode)
    }

    /// at803x_handle_interrupt(): whether the state machine would be triggered.
    fn handle_interrupt(&mut self) -> bool {
        let status = self.read(INT_ST);
        let enabled = self.read(INT_EN);
        status & enabled != 0
    }

    /// phylib until the link is up (polling once a second, or on the interrupt), or `limit`.
    fn wait_link(&mut self, limit: Duration) -> Option<Status> {
        let (irq, end) = (self.irq, self.now + limit);
        phylib::wait_link(self, irq, end, Linux::handle_interrupt, |l| {
            l.read_status().filter(|s| s.link)
        })
    }

    /// phy_start_cable_test() with at8031_cable_test_start(), then the state machine's
    /// at8031_cable_test_get_status() (one call runs every pair), then phylib's PHY_UP →
    /// _phy_start_aneg(). What ethtool shows per pair A-D (at803x_cable_test_one_pair() maps
    /// MDI pair n to pair n); `None`: no result (the pair failed 20 rounds).
    fn cable_test(&mut self) -> [Option<PairResult>; 4] {
        self.write(BMCR, 0x1000);
        self.write(ANAR, 0x0001);
        self.write(CTRL1000, 0);

        let mut out = [None; 4];
        let mut pair_mask = 0xfu16;
        let mut retries = 20;
        while pair_mask != 0 && retries > 0 {
            retries -= 1;
            let todo = pair_mask;
            for pair in (0..4).filter(|p| todo & (1 << p) != 0) {
                let val = self.cdt_one_pair(pair);
                let st = (val >> 8) & 3;
                if st == 3 {
                    continue; // Fail: retried after 250 ms.
                }
                let code = [Code::Ok, Code::SameShort, Code::Open][usize::from(st)];
                // at803x_cdt_fault_length().
                let length_cm = matches!(code, Code::Open | Code::SameShort)
                    .then_some(u32::from(val & 0xff) * 824 / 10);
                out[usize::from(pair)] = Some(PairResult { code, length_cm });
                pair_mask &= !(1 << pair);
            }
            if pair_mask != 0 {
                self.sleep(250 * MS);
            }
        }
        // _phy_start_aneg(): config_aneg, then phy_check_link_status().
        self.config_aneg();
        self.read_status();
        out
    }

    /// at803x_cdt_start() and at803x_cdt_wait_for_completion() (poll every 30 ms, sleeping
    /// first, 100 ms timeout, which would abort the test), then the status register.
    fn cdt_one_pair(&mut self, pair: u16) -> u16 {
        self.write(CDT, (pair << 8) | 1);
        let start = self.now;
        loop {
            self.sleep(30 * MS);
            if self.read(CDT) & 1 == 0 {
                break;
            }
            assert!(
                self.now.saturating_duration_since(start) <= 100 * MS,
                "CDT completes within the driver's timeout"
            );
        }
        self.read(CDT_STATUS)
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
        l.read(PSSR),
        0x8000 | 0x2000 | 0x1000 | 0x0800 | 0x0400 | 0x0200,
        "1000, full, page received, resolved, link, AN complete, MDI, no pause"
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
fn partner_100_half_links_at_100_half() {
    let mut l = Linux::boot(only(LinkMode::BaseT100Half), false);
    let s = l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!((s.speed, s.duplex), (100, Duplex::Half));
    assert_eq!(l.read(LPA), 0x4081);
    assert_eq!(l.read(STAT1000) & 0x0c00, 0, "no 1000BASE-T abilities");
    assert_eq!(l.read(PSSR) & 0xec00, 0x4000 | 0x0800 | 0x0400);
}

#[test]
fn partner_10_full_links_at_10_full() {
    let mut l = Linux::boot(only(LinkMode::BaseT10Full), true);
    let s = l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!((s.speed, s.duplex), (10, Duplex::Full));
    assert_eq!(l.read(PSSR) & 0xec00, 0x2000 | 0x0800 | 0x0400);
}

#[test]
fn pause_resolution_shows_in_pssr() {
    let medium = full_partner_pausing(Pause::Both);
    let mut l = Linux::boot(medium, false);
    l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!(l.read(PSSR) & 0x000c, 0x000c, "TX and RX pause");
    assert_eq!(l.read(LPA) & 0x0c00, 0x0c00);
}

#[test]
fn a_partner_forcing_master_or_slave_decides_the_role() {
    for (partner_master, local_master) in [(true, false), (false, true)] {
        let ms = MasterSlave::Manual {
            master: partner_master,
        };
        let mut l = Linux::boot(configured(ms, &[]), true);
        assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
        // at803x_read_status() never reads it (ethtool shows no master-slave lines); 10.14
        // has the role.
        let role = if local_master { 0x4000 } else { 0 };
        assert_eq!(
            l.read(STAT1000) & 0xf000,
            role | 0x3000,
            "no fault, role, receivers OK"
        );
    }
}

#[test]
fn forced_master_against_forced_master_is_a_configuration_fault() {
    let forced_master = MasterSlave::Manual { master: true };
    // DT timing-role = "forced-master".
    let mut l = Linux::boot_with_role(configured(forced_master, &[]), true, 0x1800);
    assert_eq!(l.read(CTRL1000) & 0x1c00, 0x1800);
    let t = LinkTiming::default();
    l.sleep(t.autoneg + 10 * MS);
    assert!(
        l.phy.irq_asserted(),
        "AN error is one of at803x_config_intr()'s enables"
    );
    assert_eq!(
        l.read(INT_ST) & (INT_DRIVER | 0x1000),
        0x8000 | 0x1000,
        "AN error, page received; no link or speed events"
    );
    assert!(!l.phy.irq_asserted());
    assert!(!l.read_status().unwrap().link);
    assert_eq!(
        l.read(STAT1000) & 0xfc00,
        0x8000 | 0x0c00,
        "fault, LP 1000 FD/HD, no role, no receivers"
    );
    assert_eq!(l.read(BMSR) & 0x0024, 0, "no link, AN not complete");
    assert_eq!(
        l.read(PSSR),
        0x1000,
        "page received; neither resolved nor linked"
    );
    // Autonegotiation starts over after the link fail inhibit timer; 10.15 stays latched
    // until read, and every cycle raises AN error again.
    l.sleep(t.gigabit_fail);
    assert_eq!(
        l.read(STAT1000) & 0x8000,
        0x8000,
        "latched over the restart"
    );
    assert_eq!(l.read(STAT1000) & 0x8000, 0);
    l.sleep(t.autoneg);
    assert!(l.phy.irq_asserted());
    assert_eq!(
        l.wait_link(Duration::from_secs(10)),
        None,
        "it faults every time"
    );

    // One more fault cycle latches 10.15 unread; then the partner turns to manual SLAVE, and
    // the resolution that succeeds clears the latch without a read.
    l.sleep(t.autoneg + t.gigabit_fail);
    l.phy.set_medium(
        l.now,
        configured(MasterSlave::Manual { master: false }, &[]),
    );
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    assert_eq!(
        l.read(STAT1000) & 0xf000,
        0x4000 | 0x3000,
        "master, receivers OK, no fault"
    );
}

#[test]
fn a_soft_reset_clears_a_latched_fault() {
    let forced_master = MasterSlave::Manual { master: true };
    let mut l = Linux::boot_with_role(configured(forced_master, &[]), false, 0x1800);
    l.sleep(LinkTiming::default().autoneg + 10 * MS);
    l.soft_reset();
    assert_eq!(l.read(STAT1000) & 0x8000, 0, "status back to its default");
    assert_eq!(l.read(CTRL1000) & 0x1c00, 0x1800, "configuration kept");
}

#[test]
fn eee_is_active_only_where_both_advertise_it_for_the_resolved_mode() {
    use LinkMode::{BaseT1000Full, BaseT100Full};
    let auto = LinkPartner::DEFAULT_MASTER_SLAVE;
    let both = [BaseT100Full, BaseT1000Full];
    let mut l = Linux::boot(configured(auto, &both), false);
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    // phy_probe() took 7.60 (0x0006) as phylib's advertisement; config_aneg left it so.
    // SmartEEE (3.0x805d LPI enable, at reset) does not change what is negotiated.
    assert_eq!(l.mmd_read(7, 60), 0x0006);
    assert_eq!(l.mmd_read(3, 0x805d) & 0x0100, 0x0100);
    assert_eq!(l.show_eee(), (0x0006, true), "enabled - active");

    // A partner doing EEE at 100 only: inactive at 1000.
    l.phy.set_medium(l.now, configured(auto, &[BaseT100Full]));
    assert_eq!(l.mmd_read(7, 61), 0, "cleared when the link starts over");
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    assert_eq!(l.show_eee(), (0x0002, false));
    // ... and active on a 100BASE-TX link.
    let m = Medium::cable_to(
        LinkPartner {
            eee: [BaseT100Full].into_iter().collect(),
            ..LinkPartner::negotiating([BaseT100Full].into_iter().collect())
        },
        5.0,
    );
    l.phy.set_medium(l.now, m);
    let s = l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!((s.speed, s.duplex), (100, Duplex::Full));
    assert_eq!(l.show_eee(), (0x0002, true));

    // A partner without EEE.
    l.phy.set_medium(l.now, configured(auto, &[]));
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    assert_eq!(l.show_eee(), (0, false));

    // ethtool --set-eee eee off: 7.60 = 0 from the restart on. The PHY still sends next
    // pages for 1000BASE-T, so the partner's EEE page arrives, but phylib looks no further.
    l.phy.set_medium(l.now, configured(auto, &both));
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    l.set_eee(false);
    assert_eq!(l.mmd_read(7, 60), 0);
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    assert_eq!(l.mmd_read(7, 61), 0x0006);
    assert_eq!(l.show_eee(), (0, false));
    l.set_eee(true);
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    assert_eq!(l.show_eee(), (0x0006, true));
}

#[test]
fn eee_survives_a_soft_reset_and_smarteee_off_changes_nothing_on_the_wire() {
    use LinkMode::{BaseT1000Full, BaseT100Full};
    let both = [BaseT100Full, BaseT1000Full];
    let mut l = Linux::boot(configured(LinkPartner::DEFAULT_MASTER_SLAVE, &both), false);
    // DT qca,disable-smarteee: at803x_smarteee_config() clears LPI enable.
    l.mmd_write(3, 0x805d, 0);
    l.soft_reset();
    assert_eq!(l.mmd_read(3, 0x805d), 0, "kept through the reset");
    assert_eq!(l.mmd_read(7, 60), 0x0006);
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    assert_eq!(l.show_eee(), (0x0006, true));
}

#[test]
fn re_advertising_partner_is_followed() {
    let mut l = Linux::boot(full_partner(), false);
    assert_eq!(l.wait_link(Duration::from_secs(5)).unwrap().speed, 1000);
    l.phy.set_medium(l.now, only(LinkMode::BaseT100Half));
    assert_eq!(l.read(PSSR) & 0x0c00, 0, "dropped at once");
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
    assert!(l.phy.irq_asserted(), "link fail interrupt");
    assert_eq!(l.read(PSSR) & 0x0c00, 0, "PSSR is real time");
    l.sleep(10 * MS);
    medium.cable.connected = true;
    l.phy.set_medium(l.now, medium);
    l.sleep(3000 * MS);
    assert!(l.phy.link_state().up, "link came back");
    assert_eq!(l.read(BMSR) & 0x0004, 0, "latched low");
    assert_ne!(l.read(BMSR) & 0x0004, 0, "then the current state");
    assert_ne!(l.read(PSSR) & 0x0400, 0);
}

#[test]
fn interrupt_path_follows_status_and_enable() {
    let mut l = Linux::boot(full_partner(), true);
    l.wait_link(Duration::from_secs(5)).expect("link");
    let mut medium = l.phy.medium().clone();
    medium.cable.connected = false;
    l.phy.set_medium(l.now, medium.clone());
    assert!(l.phy.irq_asserted());
    let st = l.read(INT_ST);
    assert_eq!(
        st & 0x6c00,
        0x6800,
        "link fail, speed and duplex changed, no link success: {st:#06x}"
    );
    assert!(!l.phy.irq_asserted(), "reading the status deasserts INT");
    assert_eq!(l.read(INT_ST), 0, "clear on read");

    // Events latch whether or not they are enabled; INT needs the enable.
    l.write(INT_EN, 0);
    medium.cable.connected = true;
    l.phy.set_medium(l.now, medium);
    l.sleep(3000 * MS);
    assert!(!l.phy.irq_asserted(), "masked");
    l.write(INT_EN, 0x1000);
    assert!(l.phy.irq_asserted(), "page received is pending");
    l.write(INT_EN, INT_DRIVER);
    assert!(l.phy.irq_asserted(), "pending link success now enabled");
    let st = l.read(INT_ST);
    assert_eq!(st & 0x1400, 0x1400, "page received, link success");
    assert!(!l.phy.irq_asserted());
}

#[test]
fn polled_phy_never_asserts_int() {
    let mut l = Linux::boot(full_partner(), false);
    l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!(l.read(INT_EN), 0);
    assert!(!l.phy.irq_asserted());
}

#[test]
fn mid_autoneg_registers_agree() {
    let mut l = Linux::boot(full_partner(), false);
    let t = LinkTiming::default();
    l.modify(BMCR, 0, 0x0200);
    l.sleep(t.autoneg + t.link_1000 / 2);
    assert_eq!(
        l.read(PSSR) & 0xfe00,
        0x8000 | 0x2000 | 0x1000 | 0x0800,
        "resolved 1000/full, page received, no link"
    );
    assert_eq!(l.read(BMSR) & 0x0024, 0);
    assert!(!l.read_status().unwrap().link);
}

#[test]
fn soft_reset_keeps_registers_but_re_enables_rx_delay() {
    let mut l = Linux::boot(full_partner(), true);
    l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!(l.debug_read(0x00) & 0x8000, 0x8000);
    assert_eq!(l.debug_read(0x05) & 0x0100, 0x0100, "rgmii-id TX delay");
    l.debug_mask(0x00, 0x8000, 0);
    l.debug_mask(0x0b, 0x8000, 0);
    l.write(BMCR, 0x9140);
    assert_eq!(l.read(BMCR) & 0x8000, 0x8000, "reset in progress");
    assert!(!l.phy.link_state().up, "reset drops the link");
    l.sleep(1 * MS);
    assert_eq!(l.read(BMCR), 0x1140, "reset done");
    assert_eq!(l.read(INT_EN), INT_DRIVER, "kept");
    assert_eq!(l.read(ANAR) & 0x1000, 0, "XNP stays cleared");
    assert_eq!(l.debug_read(0x00) & 0x8000, 0x8000, "RX delay back on");
    assert_eq!(l.debug_read(0x05) & 0x0100, 0x0100, "TX delay kept");
    assert_eq!(l.debug_read(0x0b) & 0x8000, 0, "hibernation setting kept");
    assert!(l.wait_link(Duration::from_secs(5)).is_some(), "relinks");
}

#[test]
fn power_on_defaults() {
    let mut phy = Ar8035::new(&AR8035, Instant::ZERO).unwrap();
    assert_eq!(phy.peek(0x00), Some(0x1140));
    assert_eq!(phy.peek(0x04), Some(0x1de1), "XNP set by default");
    assert_eq!(phy.peek(0x09), Some(0x0200));
    assert_eq!(phy.peek(0x10), Some(0x0862));
    assert_eq!(phy.peek(0x14), Some(0x082c));
    assert_eq!(phy.peek_debug(0x00), Some(0x82ee), "RX delay on, TX off");
    assert_eq!(phy.peek_debug(0x05), Some(0x2c47));
    assert_eq!(phy.peek_debug(0x0b), Some(0xbc20), "hibernation on");
    assert_eq!(phy.peek_mmd(3, 0x805d), Some(0x0100), "SmartEEE LPI on");
    assert_eq!(phy.peek_mmd(7, 60), Some(0x0006));
    assert!(phy.take_unimplemented().is_empty());
    assert!(!phy.irq_asserted());
}

#[test]
fn smartspeed_downshifts_on_two_pairs() {
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
    assert_ne!(l.read(PSSR) & 0x0020, 0, "downgrade status");
    assert_ne!(l.read(INT_ST) & 0x0020, 0, "wirespeed downgrade event");
}

#[test]
fn smartspeed_change_needs_a_soft_reset() {
    let mut medium = full_partner();
    medium.cable.pairs = 2;
    let mut l = Linux::boot(medium, false);
    // at803x_set_downshift(DOWNSHIFT_DEV_DISABLE) without the phy_init_hw() that follows.
    l.modify(SMART_SPEED, 0x0022, 0);
    l.modify(BMCR, 0, 0x0200);
    assert!(
        l.wait_link(Duration::from_secs(30)).is_some(),
        "still the committed setting"
    );
    l.soft_reset();
    assert!(
        l.wait_link(Duration::from_secs(30)).is_none(),
        "no downshift"
    );
}

/// scenarios/dumps/qualcomm-ar8035-from-dump.yaml, replayed: the dump's SmartSpeed off
/// survives the driver, so on two pairs the PHY never links, where the same PHY without the
/// dump downshifts to 100/Full.
#[test]
fn the_scenario_dump_with_smartspeed_off_never_links_on_two_pairs() {
    let dump = include_str!("../../scenarios/dumps/ar8035-smartspeed-off.txt");
    let mut medium = full_partner();
    medium.cable.pairs = 2;
    let mut dumped = Linux::boot_from_dump(dump, medium.clone(), true);
    assert_eq!(dumped.read(SMART_SPEED), 0x080c);
    assert_eq!(dumped.read(ANAR), 0x0de1);
    assert!(dumped.wait_link(Duration::from_secs(30)).is_none());

    let mut plain = Linux::boot(medium, true);
    let start = plain.now;
    let s = plain
        .wait_link(Duration::from_secs(30))
        .expect("downshifted");
    assert_eq!((s.speed, s.duplex), (100, Duplex::Full));
    // The scenario expects the link within 16 s of time 0 (~ phylib's config_aneg here).
    let took = plain.now.saturating_duration_since(start);
    assert!(took < Duration::from_secs(14), "{took:?}");
}

#[test]
fn power_down_drops_the_link_and_power_up_renegotiates() {
    let mut l = Linux::boot(full_partner(), false);
    l.wait_link(Duration::from_secs(5)).expect("link");
    // at803x_suspend() without WOL, at803x_resume().
    l.modify(BMCR, 0, 0x0800);
    assert!(!l.phy.link_state().up);
    assert_eq!(l.read(PSSR), 0);
    l.sleep(5000 * MS);
    assert!(!l.phy.link_state().up);
    l.modify(BMCR, 0x0800 | 0x0400, 0);
    assert!(l.wait_link(Duration::from_secs(5)).is_some());
}

#[test]
fn forced_speed_applies_at_once() {
    let medium = Medium::cable_to(LinkPartner::forcing(Speed::S100, Duplex::Full), 5.0);
    let mut l = Linux::boot(medium, false);
    l.modify(BMCR, !(0x4000 | 0x0400 | 0x0800), 0x2000 | 0x0100);
    l.sleep(LinkTiming::default().forced_link + 10 * MS);
    let state = l.phy.link_state();
    assert!(state.up);
    assert_eq!(
        (state.speed, state.duplex),
        (Some(Speed::S100), Some(Duplex::Full))
    );
    assert_eq!(l.read(PSSR) & 0xee00, 0x4000 | 0x2000 | 0x0800 | 0x0400);
    assert_eq!(l.read(BMSR) & 0x0020, 0, "no autonegotiation");
}

#[test]
fn cdt_on_a_good_cable_drops_the_link_and_phylib_renegotiates() {
    let mut l = Linux::boot(full_partner(), true);
    l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!(l.cable_test(), [OK; 4].map(Some));
    assert!(
        l.handle_interrupt(),
        "the test broke the link: link fail event"
    );
    assert_eq!(
        (l.read(ANAR) & 0x0de0, l.read(CTRL1000) & 0x0300),
        (0x0de0, 0x0200),
        "config_aneg restored the advertisement"
    );
    assert!(!l.phy.link_state().up, "renegotiating");
    let s = l.wait_link(Duration::from_secs(5)).expect("link back");
    assert_eq!((s.speed, s.duplex), (1000, Duplex::Full));
}

#[test]
fn cdt_reports_the_fault_of_each_pair() {
    let mut medium = Medium::cable_to(LinkPartner::negotiating(LinkModes::all()), 60.0);
    medium.cable.faults = [
        None,
        fault(FaultKind::Open, 12.3),
        fault(FaultKind::Short, 30.0),
        fault(FaultKind::CrossShort, 45.1),
    ];
    let mut l = Linux::boot(medium, false);
    // 12.3 m / 0.824 = 14.93 counts: 15, 12.36 m; 30 m: 36.41, 36; 45.1 m: 54.73, 55.
    assert_eq!(
        l.cable_test(),
        [OK, open(1236), short(2966), short(4532)].map(Some),
        "a cross-pair short reads as a short of the pair"
    );
    assert_eq!(l.read(CDT_STATUS), 0x0100 | 55);
}

#[test]
fn cdt_without_a_partner_finds_the_far_end_open() {
    let mut medium = Medium::unplugged();
    medium.cable = Cable::healthy(41.2);
    let mut l = Linux::boot(medium, false);
    assert_eq!(
        l.cable_test(),
        [open(50 * 824 / 10); 4].map(Some),
        "50 counts"
    );
}

#[test]
fn cdt_on_a_two_pair_cable_finds_c_and_d_open_at_the_jack() {
    let mut medium = Medium::cable_to(LinkPartner::negotiating(LinkModes::all()), 41.2);
    medium.cable.pairs = 2;
    let mut l = Linux::boot(medium, false);
    l.wait_link(Duration::from_secs(30)).expect("link");
    assert_eq!(l.cable_test(), [OK, OK, open(0), open(0)].map(Some));
}

#[test]
fn cdt_unplugged_is_open_at_the_jack() {
    let mut l = Linux::boot(Medium::unplugged(), false);
    assert_eq!(l.cable_test(), [open(0); 4].map(Some));
    assert_eq!(l.read(CDT_STATUS), 0x0200, "open, delta 0");
}

#[test]
fn cdt_resolution_range_and_unseen_faults() {
    let mut medium = Medium::cable_to(LinkPartner::negotiating(LinkModes::all()), 300.0);
    medium.cable.faults = [
        fault(FaultKind::Open, 11.1),
        fault(FaultKind::Short, 11.15),
        fault(FaultKind::Open, 250.0),
        fault(FaultKind::ImpedanceMismatch, 40.0),
    ];
    let mut l = Linux::boot(medium, false);
    assert_eq!(
        l.cable_test(),
        [open(1071), short(1153), open(255 * 824 / 10), OK].map(Some),
        "nearest count (13.47 → 13, 13.53 → 14); delta time saturates at 255 (210 m); \
         a mismatch stays inside the open/short thresholds"
    );
}

#[test]
fn cdt_takes_its_time_and_restarts_autonegotiation() {
    let mut l = Linux::boot(full_partner(), false);
    l.wait_link(Duration::from_secs(5)).expect("link");
    l.write(CDT, 0x0200 | 1);
    assert!(!l.phy.link_state().up, "the test transmits on the pairs");
    l.sleep(CDT_TIME - MS);
    assert_eq!(l.read(CDT) & 1, 1, "still running");
    l.sleep(MS);
    assert_eq!(l.read(CDT), 0x0200);
    assert_eq!(l.read(CDT_STATUS), 0x0000, "pair C normal");
    // "Starting the test will restart the AN automatically": the advertisement was left as it
    // was, so the link comes back by itself.
    assert!(l.wait_link(Duration::from_secs(5)).is_some());
    // at8031_cable_test_start() advertises nothing, so no link comes up between the pairs.
    l.write(BMCR, 0x1000);
    l.write(ANAR, 0x0001);
    l.write(CTRL1000, 0);
    assert_eq!(l.cdt_one_pair(0), 0x0000, "pair A normal");
    l.sleep(5000 * MS);
    assert!(!l.phy.link_state().up, "nothing advertised, no link");
}

#[test]
fn unmodelled_registers_read_zero_and_are_noted_once() {
    let mut l = Linux::boot(Medium::unplugged(), true);
    assert!(
        l.phy.take_unimplemented().is_empty(),
        "the driver's bring-up touches only modelled registers"
    );
    assert_eq!(l.read(0x1b), 0);
    assert_eq!(l.read(0x1b), 0);
    l.mmd_read(7, 0x00fe);
    assert_eq!(l.debug_read(0x1f), 0, "AR8031-only PLL register");
    // `ethtool --set-eee eee off`: 7.60 reads back what was written.
    l.mmd_write(7, 60, 0);
    assert_eq!(l.mmd_read(7, 60), 0);
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
                reg: 0x1b
            },
            Target::Mmd {
                devad: 7,
                reg: 0xfe
            },
            Target::Mmd {
                devad: 0,
                reg: 0x1f
            }
        ]
    );
}

// ---- invariants under random guest activity ----

fn check_invariants(phy: &Ar8035) -> Result<(), TestCaseError> {
    let p = |reg| phy.peek(reg).unwrap();
    prop_assert_eq!((p(2), p(3)), (0x004d, 0xd072), "ID");
    prop_assert_eq!(p(1) & 0xffc9, 0x7949, "BMSR abilities");
    prop_assert_eq!(p(0x0f), 0x2000, "ESTATUS");
    let state = phy.link_state();
    let ss = p(0x11);
    prop_assert_eq!(ss & 0x0400 != 0, state.up, "PSSR real-time link");
    prop_assert!(p(1) & 0x0004 == 0 || state.up, "BMSR link only while up");
    prop_assert!(p(1) & 0x0020 == 0 || state.up, "AN complete only with link");
    prop_assert_eq!(ss & 0x0200 != 0, p(1) & 0x0020 != 0, "PSSR.9 = BMSR.5");
    if state.up {
        prop_assert_ne!(ss & 0x0800, 0, "resolved while up");
        let speed = match ss >> 14 {
            2 => Speed::S1000,
            1 => Speed::S100,
            _ => Speed::S10,
        };
        prop_assert_eq!(Some(speed), state.speed);
        prop_assert_eq!(ss & 0x2000 != 0, state.duplex == Some(Duplex::Full));
        prop_assert_eq!(p(0) & 0x0800, 0, "not powered down");
        prop_assert_eq!(ss & 0x0008 != 0, state.pause.tx);
        prop_assert_eq!(ss & 0x0004 != 0, state.pause.rx);
        if speed == Speed::S1000 {
            prop_assert_eq!(p(0x0a) & 0xb000, 0x3000, "receivers OK, no M/S fault");
        }
    } else {
        prop_assert_eq!(ss & 0x000c, 0, "no pause without link");
    }
    let partner_eee = phy
        .medium()
        .partner
        .as_ref()
        .map_or(0, |p| eee::cap1(p.eee));
    prop_assert_eq!(
        phy.peek_mmd(7, 61).unwrap() & !partner_eee,
        0,
        "7.61 shows only what the partner advertises"
    );
    prop_assert_eq!(p(0) & 0x0200, 0, "restart AN self-clears at once");
    let expect_irq = p(0x13) & p(0x12) != 0;
    prop_assert_eq!(phy.irq_asserted(), expect_irq, "INT");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn registers_stay_consistent(acts in proptest::collection::vec(props::c22::act_with_faults(), 1..120)) {
        let mut now = Instant::ZERO;
        let mut phy = Ar8035::new(&AR8035, now).unwrap();
        let mut medium = full_partner_pausing(Pause::Both);
        phy.set_medium(now, medium.clone());
        for a in acts {
            now = now + Duration::from_micros(50);
            match a {
                Act::Read(reg) => {
                    let v = phy.c22_read(now, reg).unwrap();
                    match reg {
                        0x13 => prop_assert_eq!(phy.peek(0x13), Some(0), "status clears on read"),
                        0x02 => prop_assert_eq!(v, 0x004d),
                        _ => {}
                    }
                }
                Act::Write(reg, v) => {
                    let ro = [0x01u8, 0x02, 0x03, 0x05, 0x0f, 0x11, 0x1c];
                    let before = phy.peek(reg);
                    phy.c22_write(now, reg, v);
                    if ro.contains(&reg) {
                        prop_assert_eq!(phy.peek(reg), before, "read-only register ignores writes");
                    }
                    if reg == 0x12 {
                        prop_assert_eq!(phy.peek(0x12), Some(v & 0xfda3), "enable stores its bits");
                    }
                }
                Act::Wait(ms) => {
                    props::wait(&mut phy, &mut now, ms)?;
                    if ms >= 1 {
                        prop_assert_eq!(phy.peek(0).unwrap() & 0x8000, 0, "reset completed");
                    }
                }
                Act::Medium(m) => m.apply(&mut phy, now, &mut medium)?,
            }
            check_invariants(&phy)?;
        }
    }
}
