//! The KSZ9131RNX model driven the way Linux's micrel.c and phylib drive it (same registers,
//! order and waits), plus a property test of its register-level invariants.

mod common;

use common::bus::{phy_from_dump, Bus, C22};
use common::cable::{open, short, Code, PairResult, OK, UNSPEC};
use common::media::{configured, fault, full_partner, full_partner_pausing, only};
use common::phylib::{self, Status, UP_1000_FULL};
use common::props::{self, c22::Act};
use common::MS;
use phy_sim_models::eee;
use phy_sim_models::medium::{Cable, FaultKind, LinkModes};
use phy_sim_models::microchip::{Ksz9131, KSZ9131, LINKMD_TIME};
use phy_sim_models::notes::Target;
use phy_sim_models::{
    build, Duplex, Instant, LinkMode, LinkPartner, LinkTiming, MasterSlave, MdioDevice, Medium,
    Pause, Phy, Speed,
};
use proptest::prelude::*;
use std::time::Duration;

const BMCR: u8 = 0x00;
const BMSR: u8 = 0x01;
const ADVERTISE: u8 = 0x04;
const LPA: u8 = 0x05;
const CTRL1000: u8 = 0x09;
const STAT1000: u8 = 0x0a;
const ESTATUS: u8 = 0x0f;
const LINKMD: u8 = 0x12;
const DIG_PMA: u8 = 0x13;
const AXAN: u8 = 0x14;
const INTCS: u8 = 0x1b;
const AUTO_MDIX: u8 = 0x1c;
const EXT_LOOPBACK: u8 = 0x1e;
const PHYCTRL: u8 = 0x1f;
/// KSZPHY_INTCS_ALL: link up and link down enabled.
const INTCS_ALL: u16 = 0x0500;

/// The subset of phylib + micrel.c (Linux 7.3) that touches the PHY, as register accesses.
struct Linux {
    phy: Box<dyn Phy>,
    now: Instant,
    /// The PHY's interrupt line is wired (phy_interrupt_is_valid()).
    irq: bool,
    polled_link: bool,
    /// What genphy_read_status() concluded last (returned as is while the link stays up).
    last: Status,
    /// phydev->master_slave_set as CTRL1000 bits 12..10 (`ethtool -s master-slave`); `None`:
    /// never set, genphy_setup_master_slave() leaves CTRL1000 alone.
    master_slave_set: Option<u16>,
    /// phydev->master_slave_get / master_slave_state as ethtool prints them.
    master_slave: (&'static str, &'static str),
    /// phylib's EEE advertisement in the 7.60 layout while eee_enabled (0 when disabled).
    eee: u16,
}

common::bus::c22_replay!(Linux, modify_writes_unchanged = false);

impl Linux {
    fn boot(medium: Medium, irq: bool) -> Linux {
        Linux::boot_phy(
            build("microchip-ksz9131", Instant::ZERO).unwrap(),
            medium,
            irq,
        )
    }

    /// `boot` with the PHY started from a register dump.
    fn boot_from_dump(dump: &str, medium: Medium, irq: bool) -> Linux {
        Linux::boot_phy(phy_from_dump("microchip-ksz9131", dump), medium, irq)
    }

    fn boot_phy(mut phy: Box<dyn Phy>, medium: Medium, irq: bool) -> Linux {
        phy.set_medium(Instant::ZERO, medium);
        let mut l = Linux {
            phy,
            now: Instant::ZERO,
            irq,
            polled_link: false,
            last: Status::DOWN,
            master_slave_set: None,
            master_slave: ("unsupported", "unsupported"),
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

    /// phy_device_create() / phy_probe() / ksz9477_get_features(), then phy_probe()'s EEE
    /// advertisement (within supported_eee, which ksz9477_get_features() sets to 100BASE-TX
    /// and 1000BASE-T).
    fn probe(&mut self) {
        assert_eq!(self.phy_id() & 0xffff_fff0, 0x0022_1640, "micrel.c binds");
        assert_eq!(self.read(BMSR) & 0xf900, 0x7900, "10/100 abilities");
        assert_eq!(self.read(ESTATUS) & 0x3000, 0x3000, "1000BASE-T FD/HD");
        self.eee = phylib::read_eee_adv(self, 0x0006);
    }

    /// genphy_soft_reset(): reset (+ restart AN), then phy_poll_reset().
    fn soft_reset(&mut self) {
        self.modify(BMCR, 0x0400, 0x8000 | 0x0200);
        loop {
            self.sleep(20 * MS);
            if self.read(BMCR) & 0x8000 == 0 {
                break;
            }
        }
    }

    /// ksz9131_config_init() for phy-mode rgmii-id, no skew properties.
    fn config_init(&mut self) {
        self.mmd_modify(2, 76, 0x1000, 0);
        self.mmd_modify(2, 77, 0x1000, 0);
        // ksz9131_led_errata().
        if self.mmd_read(2, 0) & 0x0010 != 0 {
            self.modify(EXT_LOOPBACK, 0, 0x0200);
        }
    }

    /// kszphy_config_intr().
    fn config_intr(&mut self, enable: bool) {
        let ctl = self.read(PHYCTRL);
        self.write(PHYCTRL, ctl & !0x4000);
        if enable {
            self.read(INTCS);
            self.write(INTCS, INTCS_ALL);
        } else {
            self.write(INTCS, 0);
            self.read(INTCS);
        }
    }

    /// phy_attach_direct()'s phy_resume(): ksz9131_resume() → kszphy_resume() →
    /// genphy_resume() clears power down (the interrupt part is `config_intr`).
    fn resume(&mut self) {
        self.modify(BMCR, 0x0800, 0);
    }

    /// ksz9131_config_aneg(): auto MDI-X, then genphy_config_aneg(): the EEE advertisement
    /// (genphy_c45_an_config_eee_aneg()), master/slave (genphy_setup_master_slave()), and
    /// every link mode.
    fn config_aneg(&mut self) {
        self.modify(AUTO_MDIX, 0x00c0, 0);
        let mut changed = self.mmd_modify(7, 60, 0x007e, self.eee);
        if let Some(ctl) = self.master_slave_set {
            changed |= self.modify(CTRL1000, 0x1c00, ctl);
        }
        changed |= self.modify(ADVERTISE, 0x0de0, 0x01e0 | 0x0400);
        self.read(BMSR);
        changed |= self.modify(CTRL1000, 0x0300, 0x0300);
        phylib::check_and_restart_aneg(self, changed);
    }

    /// ksz9131_read_status(): MDI-X status, then genphy_read_status(): the link, and unless
    /// it stayed up, genphy_read_master_slave() and genphy_read_lpa().
    fn read_status(&mut self) -> Status {
        self.read(AXAN);
        let (_, bmsr) = phylib::update_link(self, self.polled_link);
        let link = bmsr & 0x0004 != 0 && bmsr & 0x0020 != 0;
        let was_up = std::mem::replace(&mut self.polled_link, link);
        if was_up && link {
            return self.last;
        }
        self.master_slave = phylib::read_master_slave(self, link);
        let (mut speed, mut duplex) = (0, Duplex::Half);
        if bmsr & 0x0020 != 0 {
            let (s1000, lpa) = phylib::read_lpa(self);
            let adv = self.read(ADVERTISE);
            let c1000 = self.read(CTRL1000);
            (speed, duplex) = phylib::resolve(adv, lpa, c1000, s1000);
        }
        self.last = Status {
            link,
            speed,
            duplex,
        };
        self.last
    }

    /// `ethtool -s master-slave ...`: phylib restarts the state machine, whose
    /// _phy_start_aneg() runs config_aneg and reads the status.
    fn set_master_slave(&mut self, ctl: u16) {
        self.master_slave_set = Some(ctl);
        self.config_aneg();
        self.read_status();
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

    /// kszphy_handle_interrupt(): whether the state machine would be triggered.
    fn handle_interrupt(&mut self) -> bool {
        self.read(INTCS) & 0x0005 != 0
    }

    /// phylib until the link is up (polling once a second, or on the interrupt), or `limit`.
    fn wait_link(&mut self, limit: Duration) -> Option<Status> {
        let (irq, end) = (self.irq, self.now + limit);
        phylib::wait_link(self, irq, end, Linux::handle_interrupt, |l| {
            Some(l.read_status()).filter(|s| s.link)
        })
    }

    /// phy_start_cable_test() with micrel.c's ksz9x31_cable_test_start(), then the state
    /// machine's ksz9x31_cable_test_get_status() (one call runs every pair), then phylib's
    /// PHY_UP → _phy_start_aneg(). What ethtool shows per pair A-D (ksz9x31_cable_test_get_pair()
    /// maps VCT_PAIR n to pair n).
    fn cable_test(&mut self) -> [PairResult; 4] {
        self.modify(BMCR, 0x2000 | 0x0100 | 0x1000 | 0x0040, 0x0040 | 0x0100);
        let c1000 = self.read(CTRL1000);
        let cached = c1000 & 0x1800;
        self.write(CTRL1000, (c1000 & !0x1800) | 0x1000);

        let mut out = [UNSPEC; 4];
        let mut pair_mask = 0xfu16;
        let mut retries = 20;
        while pair_mask != 0 && retries > 0 {
            retries -= 1;
            let todo = pair_mask;
            for pair in (0..4).filter(|p| todo & (1 << p) != 0) {
                self.write(LINKMD, 0x8000 | (pair << 12));
                self.poll_done(LINKMD, 0x8000);
                let val = self.read(LINKMD);
                let st = (val >> 8) & 3;
                if st == 3 {
                    continue; // -EAGAIN: "Try harder if link partner is active".
                }
                let code = [Code::Ok, Code::Open, Code::SameShort][usize::from(st)];
                // ksz9x31_cable_test_fault_length() for PHY_ID_KSZ9131.
                let dt = (i32::from(val & 0xff) - 22).clamp(0, 255) as u32;
                let length_cm =
                    matches!(code, Code::Open | Code::SameShort).then_some(dt * 400 / 10);
                out[usize::from(pair)] = PairResult { code, length_cm };
                pair_mask &= !(1 << pair);
            }
            if pair_mask != 0 {
                self.sleep(2 * MS);
            }
        }
        self.modify(CTRL1000, 0x1800, cached);
        // _phy_start_aneg(): config_aneg, then phy_check_link_status().
        self.config_aneg();
        self.read_status();
        out
    }

    /// phy_read_poll_timeout(..., 30000, 100000, true) until `bit` clears; a timeout would
    /// abort the test.
    fn poll_done(&mut self, reg: u8, bit: u16) {
        let start = self.now;
        loop {
            self.sleep(30 * MS);
            if self.read(reg) & bit == 0 {
                return;
            }
            assert!(
                self.now.saturating_duration_since(start) <= 100 * MS,
                "the test completes within the driver's 100 ms"
            );
        }
    }
}

#[test]
fn partner_1000_full_links_at_1000_full_after_the_autoneg_delay() {
    let mut l = Linux::boot(full_partner(), true);
    l.write(BMCR, 0x1340);
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
        l.read(PHYCTRL) & 0x007d,
        0x0040 | 0x0008,
        "PHY control: 1000, full, slave (port type single-port device, partner ties)"
    );
    assert_eq!(l.read(STAT1000) & 0x7c00, 0x3000 | 0x0800 | 0x0400);
    // Preferring master (CTRL1000.10) makes the PHY master after renegotiation.
    l.modify(CTRL1000, 0, 0x0400);
    l.modify(BMCR, 0, 0x0200);
    l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!(l.read(PHYCTRL) & 0x007d, 0x0040 | 0x0008 | 0x0004, "master");
    assert_eq!(l.read(STAT1000) & 0x4000, 0x4000);
    assert_eq!(l.read(LPA), 0xc1e1, "LP base page: NP, ack, 10/100 all");
    assert_eq!(l.read(DIG_PMA), 0x0004, "1000BASE-T link");
    assert_eq!(l.read(AXAN) & 0x5000, 0x5000, "link detected, MDI");
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
    assert_eq!(l.read(PHYCTRL) & 0x007d, 0x0020, "100, half");
    assert_eq!(l.read(DIG_PMA), 0x0002);
}

#[test]
fn partner_10_full_links_at_10_full() {
    let mut l = Linux::boot(only(LinkMode::BaseT10Full), true);
    let s = l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!((s.speed, s.duplex), (10, Duplex::Full));
    assert_eq!(l.read(PHYCTRL) & 0x007d, 0x0010 | 0x0008);
    assert_eq!(l.read(DIG_PMA), 0);
}

#[test]
fn a_partner_forcing_master_or_slave_decides_the_role() {
    for (partner_master, local_master) in [(true, false), (false, true)] {
        let ms = MasterSlave::Manual {
            master: partner_master,
        };
        let mut l = Linux::boot(configured(ms, &[]), false);
        assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
        let role = if local_master { 0x4000 } else { 0 };
        assert_eq!(
            l.read(STAT1000) & 0xf000,
            role | 0x3000,
            "no fault, role, receivers OK"
        );
        assert_eq!(l.read(PHYCTRL) & 0x0004 != 0, local_master, "0x1f.2");
        let state = if local_master { "master" } else { "slave" };
        assert_eq!(l.master_slave, ("preferred slave", state));
    }
}

#[test]
fn forced_master_against_forced_master_is_a_configuration_fault() {
    let forced_master = MasterSlave::Manual { master: true };
    let mut l = Linux::boot(configured(forced_master, &[]), false);
    l.set_master_slave(0x1800);
    assert_eq!(l.master_slave, ("forced master", "unknown"));
    let t = LinkTiming::default();
    l.sleep(t.autoneg + 10 * MS);
    // phylib's poll: genphy_read_master_slave() sees the fault and reads 10.15 clear.
    assert!(!l.read_status().link);
    assert_eq!(l.master_slave, ("forced master", "resolution error"));
    assert_eq!(
        l.read(STAT1000) & 0xfc00,
        0x8000 | 0x0c00,
        "the fault still stands, LP 1000 FD/HD, no role, no receivers"
    );
    assert_eq!(l.read(BMSR) & 0x0024, 0, "no link, AN not complete");
    assert_eq!(l.read(PHYCTRL) & 0x007d, 0, "nothing resolved");
    assert_eq!(
        l.read(INTCS) & 0x00ff,
        0x0028,
        "the pages came in: page received, LP acknowledge; 0x1b has no fault event"
    );
    // Autonegotiation starts over after the link fail inhibit timer; 10.15 stays latched
    // until read.
    l.sleep(t.gigabit_fail);
    assert_eq!(
        l.read(STAT1000) & 0x8000,
        0x8000,
        "latched over the restart"
    );
    assert_eq!(l.read(STAT1000) & 0x8000, 0);
    assert_eq!(
        l.wait_link(Duration::from_secs(10)),
        None,
        "it faults every time"
    );
    assert_eq!(l.master_slave.1, "resolution error");

    // One more fault cycle latches 10.15 unread; then the partner turns to manual SLAVE, and
    // the resolution that succeeds clears the latch without a read.
    l.sleep(t.autoneg + t.gigabit_fail);
    l.phy.set_medium(
        l.now,
        configured(MasterSlave::Manual { master: false }, &[]),
    );
    l.sleep(t.autoneg + t.link_1000 + 10 * MS);
    assert!(l.phy.link_state().up);
    assert_eq!(
        l.read(STAT1000) & 0xf000,
        0x4000 | 0x3000,
        "master, receivers OK, no fault"
    );
    assert_eq!(l.wait_link(Duration::from_secs(2)), Some(UP_1000_FULL));
    assert_eq!(l.master_slave, ("forced master", "master"));
    assert_eq!(l.read(PHYCTRL) & 0x0004, 0x0004);
}

#[test]
fn a_fault_raises_no_interrupt_micrel_c_enables() {
    let mut l = Linux::boot(configured(MasterSlave::Manual { master: true }, &[]), true);
    l.set_master_slave(0x1800);
    let t = LinkTiming::default();
    l.sleep(t.autoneg + 10 * MS);
    assert_ne!(l.read(STAT1000) & 0x8000, 0, "faulted");
    assert!(
        !l.phy.irq_asserted(),
        "only link up / link down are enabled (KSZPHY_INTCS_ALL)"
    );
    // So with a wired interrupt phylib never reads the status again: ethtool keeps showing
    // what the restart's read left.
    assert_eq!(l.wait_link(Duration::from_secs(10)), None);
    assert_eq!(l.master_slave, ("forced master", "unknown"));
}

#[test]
fn eee_is_active_only_where_both_advertise_it_for_the_resolved_mode() {
    use LinkMode::{BaseT1000Full, BaseT100Full};
    let auto = LinkPartner::DEFAULT_MASTER_SLAVE;
    let both = [BaseT100Full, BaseT1000Full];
    let mut l = Linux::boot(configured(auto, &both), false);
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    // phy_probe() took 7.60 (0x0006) as phylib's advertisement; config_aneg left it so.
    assert_eq!(l.mmd_read(7, 60), 0x0006);
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
fn writing_7_60_takes_effect_only_when_the_link_starts_over() {
    use LinkMode::{BaseT1000Full, BaseT100Full};
    let both = [BaseT100Full, BaseT1000Full];
    let medium = Medium::cable_to(
        LinkPartner {
            eee: both.into_iter().collect(),
            ..LinkPartner::negotiating([BaseT100Full].into_iter().collect())
        },
        5.0,
    );
    let mut l = Linux::boot(medium, false);
    // No EEE and no 1000BASE-T advertised: no next pages, so no EEE page from the partner.
    l.mmd_write(7, 60, 0);
    l.modify(CTRL1000, 0x0300, 0);
    l.modify(BMCR, 0, 0x0200);
    l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!(l.mmd_read(7, 61), 0);
    l.mmd_write(7, 60, 0x0002);
    l.sleep(3000 * MS);
    assert_eq!(l.mmd_read(7, 61), 0, "nothing on the wire yet");
    l.modify(BMCR, 0, 0x0200);
    l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!(l.mmd_read(7, 61), 0x0006);
}

#[test]
fn re_advertising_partner_is_followed() {
    let mut l = Linux::boot(full_partner(), false);
    assert_eq!(l.wait_link(Duration::from_secs(5)).unwrap().speed, 1000);
    l.phy.set_medium(l.now, only(LinkMode::BaseT100Half));
    assert_eq!(l.read(PHYCTRL) & 0x007d, 0, "dropped at once");
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
    assert!(l.phy.irq_asserted(), "link down interrupt");
    assert_eq!(l.read(AXAN) & 0x4000, 0);
    l.sleep(10 * MS);
    medium.cable.connected = true;
    l.phy.set_medium(l.now, medium);
    l.sleep(3000 * MS);
    assert!(l.phy.link_state().up, "link came back");
    assert_eq!(l.read(BMSR) & 0x0004, 0, "latched low");
    assert_ne!(l.read(BMSR) & 0x0004, 0, "then the current state");
    assert_eq!(
        l.read(INTCS) & 0x0005,
        0x0005,
        "link down and link up latched"
    );
}

#[test]
fn interrupt_path_follows_status_and_enable() {
    let mut l = Linux::boot(full_partner(), true);
    l.wait_link(Duration::from_secs(5)).expect("link");
    let mut medium = l.phy.medium().clone();
    medium.cable.connected = false;
    l.phy.set_medium(l.now, medium.clone());
    assert!(l.phy.irq_asserted());
    let v = l.read(INTCS);
    assert_eq!(v, INTCS_ALL | 0x0004, "enables and link down: {v:#06x}");
    assert!(!l.phy.irq_asserted(), "reading the status deasserts INT#");
    assert_eq!(l.read(INTCS), INTCS_ALL, "status clears on read");

    // Events latch whether or not they are enabled; INT# needs the enable.
    l.write(INTCS, 0);
    medium.cable.connected = true;
    l.phy.set_medium(l.now, medium);
    l.sleep(3000 * MS);
    assert!(!l.phy.irq_asserted(), "masked");
    l.write(INTCS, INTCS_ALL | 0x00ff);
    assert!(l.phy.irq_asserted(), "pending link-up event now enabled");
    assert_eq!(
        l.read(INTCS),
        INTCS_ALL | 0x0029,
        "page received, LP ack, link up latched; the status write was ignored"
    );
    assert!(!l.phy.irq_asserted());
    // Page received alone is not something kszphy_handle_interrupt() acts on.
    l.write(INTCS, 0x2000);
    l.modify(BMCR, 0, 0x0200);
    assert_eq!(
        l.read(INTCS),
        0x2000 | 0x0004,
        "link down latched, not enabled"
    );
    assert!(!l.phy.irq_asserted());
    l.sleep(LinkTiming::default().autoneg + MS);
    assert!(l.phy.irq_asserted(), "page received enabled");
    assert!(!l.handle_interrupt(), "IRQ_NONE: no link event");
}

#[test]
fn polled_phy_never_asserts_int() {
    let mut l = Linux::boot(full_partner(), false);
    l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!(l.read(INTCS) & 0xff00, 0);
    assert!(!l.phy.irq_asserted());
}

#[test]
fn mid_autoneg_registers_agree() {
    let mut l = Linux::boot(full_partner(), false);
    let t = LinkTiming::default();
    l.modify(BMCR, 0, 0x0200);
    l.sleep(t.autoneg + t.link_1000 / 2);
    assert_eq!(
        l.read(PHYCTRL) & 0x007d,
        0x0040 | 0x0008,
        "resolved 1000/full, no link yet"
    );
    assert_eq!(l.read(BMSR) & 0x0024, 0);
    assert_eq!(l.read(DIG_PMA), 0);
    assert!(!l.read_status().link);
}

#[test]
fn soft_reset_restores_c22_keeps_mmd_and_takes_time() {
    let mut l = Linux::boot(full_partner(), true);
    l.wait_link(Duration::from_secs(5)).expect("link");
    l.mmd_write(2, 8, 0x0123);
    l.write(BMCR, 0x8000);
    assert_ne!(l.read(BMCR) & 0x8000, 0, "reset in progress");
    assert!(!l.phy.link_state().up, "reset drops the link");
    assert_eq!(l.read(INTCS), 0, "interrupt register back to reset");
    assert_eq!(l.read(EXT_LOOPBACK), 0);
    l.sleep(LinkTiming::default().soft_reset);
    assert_eq!(l.read(BMCR), 0x1140, "reset complete, defaults");
    assert_eq!(l.read(PHYCTRL), 0x0200);
    assert_eq!(
        l.mmd_read(2, 8),
        0x0123,
        "MMD registers survive a soft reset"
    );
    assert!(!l.phy.irq_asserted());
    l.irq = false;
    assert!(l.wait_link(Duration::from_secs(5)).is_some(), "relinks");
}

#[test]
fn mmd_registers_through_13_14() {
    let mut l = Linux::boot(Medium::unplugged(), false);
    assert_eq!(l.mmd_read(2, 76) & 0x1000, 0, "rgmii-id: RX DLL delay on");
    assert_eq!(l.mmd_read(2, 77) & 0x1000, 0, "rgmii-id: TX DLL delay on");
    assert_eq!(l.read(EXT_LOOPBACK) & 0x0200, 0x0200, "LED errata applied");
    assert_eq!(l.mmd_read(2, 4), 0x0077);
    assert_eq!(l.mmd_read(2, 5), 0x7777);
    assert_eq!(l.mmd_read(2, 8), 0x00e7);
    // rgmii: DLLs bypassed.
    l.mmd_modify(2, 76, 0x1000, 0x1000);
    assert_eq!(l.mmd_read(2, 76) & 0x1000, 0x1000);
    l.mmd_write(3, 20, 0);
    assert_eq!(l.mmd_read(3, 20), 0x0006, "EEE capability is read only");
    // Address function reads back the address.
    l.write(0x0d, 2);
    l.write(0x0e, 0x0008);
    assert_eq!(l.read(0x0e), 0x0008);
    l.write(0x0d, 0x4002);
    assert_eq!(l.read(0x0e), 0x00e7);
    // ksz9131_set_loopback(): the undocumented MMD 0x1c registers are storage.
    l.mmd_write(0x1c, 0x15, 0xeeee);
    assert_eq!(l.mmd_read(0x1c, 0x15), 0xeeee);
    assert_eq!(l.mmd_read(0x1c, 0x1b), 0x07ff);
}

#[test]
fn power_down_drops_the_link_and_power_up_renegotiates() {
    let mut l = Linux::boot(full_partner(), false);
    l.wait_link(Duration::from_secs(5)).expect("link");
    // kszphy_suspend(): genphy_suspend().
    l.modify(BMCR, 0, 0x0800);
    assert!(!l.phy.link_state().up);
    assert_eq!(l.read(PHYCTRL) & 0x007d, 0);
    l.sleep(5000 * MS);
    assert!(!l.phy.link_state().up);
    // ksz9131_resume(): DLLs, genphy_resume().
    l.mmd_modify(2, 76, 0x1000, 0);
    l.mmd_modify(2, 77, 0x1000, 0);
    l.modify(BMCR, 0x0800, 0);
    assert!(l.wait_link(Duration::from_secs(5)).is_some());
}

/// scenarios/dumps/microchip-ksz9131-from-dump.yaml, replayed: the bootloader's power down
/// and 10/Half-only advertisement do not survive the driver's attach (the soft reset restores
/// the Clause 22 defaults, genphy_resume, genphy_config_aneg), so the PHY links at 1000/Full;
/// the MMD registers keep the dump's values.
#[test]
fn the_scenario_dump_is_undone_by_the_attach_and_links_at_1000_full() {
    let dump = include_str!("../../scenarios/dumps/ksz9131-bootloader-power-down.txt");
    let mut l = Linux::boot_from_dump(dump, full_partner(), true);
    let s = l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!((s.speed, s.duplex), (1000, Duplex::Full));
    assert_eq!(l.mmd_read(2, 8), 0x03ff, "clock pad skews kept");
    // ksz9131_config_rgmii_delay() for rgmii-id turned the DLLs back on.
    assert_eq!(l.mmd_read(2, 76), 0x0d80);
}

#[test]
fn forced_speed_applies_at_once() {
    let medium = Medium::cable_to(LinkPartner::forcing(Speed::S100, Duplex::Full), 5.0);
    let mut l = Linux::boot(medium, false);
    // genphy_setup_forced(): 100/Full.
    l.modify(BMCR, !(0x4000 | 0x0400 | 0x0800), 0x2000 | 0x0100);
    l.sleep(LinkTiming::default().forced_link + 10 * MS);
    let state = l.phy.link_state();
    assert!(state.up);
    assert_eq!(
        (state.speed, state.duplex),
        (Some(Speed::S100), Some(Duplex::Full))
    );
    assert_eq!(l.read(PHYCTRL) & 0x007d, 0x0020 | 0x0008);
    assert_eq!(l.read(BMSR) & 0x0020, 0, "no autonegotiation");
}

#[test]
fn forced_mdix_shows_in_the_axan_status() {
    let mut l = Linux::boot(full_partner(), false);
    // ksz9131_config_mdix(ETH_TP_MDI_X): swap off, MDI-X; the link restarts.
    l.modify(AUTO_MDIX, 0x00c0, 0x0040);
    assert!(!l.phy.link_state().up);
    let s = l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!(s.speed, 1000);
    assert_eq!(
        l.read(AXAN) & 0x5000,
        0x4000,
        "link detected, pair A is MDI-X"
    );
}

#[test]
fn linkmd_on_a_good_cable_drops_the_link_and_phylib_renegotiates() {
    let mut l = Linux::boot(full_partner(), true);
    l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!(l.cable_test(), [OK; 4]);
    assert!(
        l.handle_interrupt(),
        "the forced mode dropped the link: link down event"
    );
    assert_eq!(l.read(CTRL1000) & 0x1800, 0, "master/slave restored");
    assert!(!l.phy.link_state().up, "renegotiating");
    let s = l.wait_link(Duration::from_secs(5)).expect("link back");
    assert_eq!((s.speed, s.duplex), (1000, Duplex::Full));
}

#[test]
fn linkmd_reports_the_fault_of_each_pair() {
    let mut medium = Medium::cable_to(LinkPartner::negotiating(LinkModes::all()), 60.0);
    medium.cable.faults = [
        None,
        fault(FaultKind::Open, 12.3),
        fault(FaultKind::Short, 30.0),
        fault(FaultKind::CrossShort, 45.1),
    ];
    let mut l = Linux::boot(medium, false);
    // 12.3 m / 0.4 = 30.75 counts: 31, 12.4 m; 45.1 m: 112.75 counts, 113.
    assert_eq!(
        l.cable_test(),
        [OK, open(1240), short(3000), short(4520)],
        "a cross-pair short reads as a short of the pair"
    );
    assert_eq!(l.read(LINKMD) & 0xb3ff, 0x3000 | 0x0200 | (22 + 113));
}

#[test]
fn linkmd_without_a_partner_finds_the_far_end_open() {
    let mut medium = Medium::unplugged();
    medium.cable = Cable::healthy(20.0);
    let mut l = Linux::boot(medium, false);
    assert_eq!(l.cable_test(), [open(2000); 4]);
}

#[test]
fn linkmd_on_a_two_pair_cable_finds_c_and_d_open_at_the_jack() {
    let mut medium = Medium::cable_to(LinkPartner::negotiating(LinkModes::all()), 20.0);
    medium.cable.pairs = 2;
    let mut l = Linux::boot(medium, false);
    assert_eq!(l.cable_test(), [OK, OK, open(0), open(0)]);
}

#[test]
fn linkmd_unplugged_is_open_at_the_jack() {
    let mut l = Linux::boot(Medium::unplugged(), false);
    assert_eq!(l.cable_test(), [open(0); 4]);
    assert_eq!(l.read(LINKMD) & 0x03ff, 0x0100 | 22, "data 22 is 0 m");
}

#[test]
fn linkmd_resolution_range_and_unseen_faults() {
    let mut medium = Medium::cable_to(LinkPartner::negotiating(LinkModes::all()), 150.0);
    medium.cable.faults = [
        fault(FaultKind::Open, 10.19),
        fault(FaultKind::Short, 10.21),
        fault(FaultKind::Open, 120.0),
        fault(FaultKind::ImpedanceMismatch, 40.0),
    ];
    let mut l = Linux::boot(medium, false);
    assert_eq!(
        l.cable_test(),
        [open(1000), short(1040), open(9320), OK],
        "nearest count (25.475 → 25, 25.525 → 26); VCT_DATA saturates at 255 (93.2 m); \
         a mismatch stays inside the open/short thresholds"
    );
}

#[test]
fn linkmd_takes_its_time_and_holds_the_link_down() {
    let mut l = Linux::boot(full_partner(), false);
    l.wait_link(Duration::from_secs(5)).expect("link");
    l.write(LINKMD, 0x8000 | 0x2000);
    assert!(!l.phy.link_state().up, "the test transmits on the pairs");
    l.sleep(LINKMD_TIME - MS);
    assert_ne!(l.read(LINKMD) & 0x8000, 0, "still running");
    l.sleep(MS);
    assert_eq!(l.read(LINKMD), 0x2000, "pair C normal");
    // Autonegotiation was never disabled: the link starts over on its own.
    assert!(l.wait_link(Duration::from_secs(5)).is_some());
}

#[test]
fn unmodelled_registers_read_zero_and_are_noted_once() {
    let mut l = Linux::boot(Medium::unplugged(), true);
    assert!(
        l.phy.take_unimplemented().is_empty(),
        "the driver's bring-up touches only modelled registers"
    );
    assert_eq!(l.read(0x10), 0);
    assert_eq!(l.read(0x10), 0);
    l.mmd_read(2, 0x00fe);
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
                reg: 0x10
            },
            Target::Mmd {
                devad: 2,
                reg: 0xfe
            }
        ]
    );
}

// ---- invariants under random guest activity ----

fn check_invariants(phy: &Ksz9131) -> Result<(), TestCaseError> {
    let p = |reg| phy.peek(reg).unwrap();
    prop_assert_eq!((p(2), p(3)), (0x0022, 0x1640), "ID");
    prop_assert_eq!(p(1) & 0xffc9, 0x7949, "BMSR abilities");
    let state = phy.link_state();
    let ctl = p(0x1f);
    prop_assert_eq!(p(0x14) & 0x4000 != 0, state.up, "AX/AN real-time link");
    prop_assert!(p(1) & 0x0004 == 0 || state.up, "BMSR link only while up");
    prop_assert!(p(1) & 0x0020 == 0 || state.up, "AN complete only with link");
    prop_assert!((ctl & 0x0070).count_ones() <= 1, "one speed at a time");
    if state.up {
        let speed = match ctl & 0x0070 {
            0x0040 => Some(Speed::S1000),
            0x0020 => Some(Speed::S100),
            0x0010 => Some(Speed::S10),
            _ => None,
        };
        prop_assert_eq!(speed, state.speed);
        prop_assert_eq!(ctl & 0x0008 != 0, state.duplex == Some(Duplex::Full));
        prop_assert_eq!(
            p(0x13),
            match state.speed {
                Some(Speed::S1000) => 0x0004,
                Some(Speed::S100) => 0x0002,
                _ => 0,
            }
        );
        prop_assert_eq!(p(0) & 0x0800, 0, "not powered down");
        if state.speed == Some(Speed::S1000) {
            prop_assert_eq!(p(0x0a) & 0x8000, 0, "no M/S fault on a gigabit link");
            prop_assert_eq!(
                ctl & 0x0004 != 0,
                p(0x0a) & 0x4000 != 0,
                "0x1f.2 and 10.14 agree on the role"
            );
        }
    } else {
        prop_assert_eq!(p(0x13), 0, "no PMA link while down");
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
    let v = p(0x1b);
    prop_assert_eq!(phy.irq_asserted(), (v & 0xff) & (v >> 8) != 0, "INT#");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn registers_stay_consistent(acts in proptest::collection::vec(props::c22::act_with_faults(), 1..120)) {
        let mut now = Instant::ZERO;
        let mut phy = Ksz9131::new(&KSZ9131, now).unwrap();
        let mut medium = full_partner_pausing(Pause::Both);
        phy.set_medium(now, medium.clone());
        for a in acts {
            now = now + Duration::from_micros(50);
            match a {
                Act::Read(reg) => {
                    let v = phy.c22_read(now, reg).unwrap();
                    match reg {
                        0x1b => prop_assert_eq!(
                            phy.peek(0x1b).map(|x| x & 0x00ff),
                            Some(0),
                            "status byte clears on read"
                        ),
                        0x02 => prop_assert_eq!(v, 0x0022),
                        _ => {}
                    }
                }
                Act::Write(reg, v) => {
                    let ro = [0x01u8, 0x02, 0x03, 0x05, 0x08, 0x0f, 0x13, 0x14];
                    let before = phy.peek(reg);
                    phy.c22_write(now, reg, v);
                    if ro.contains(&reg) {
                        prop_assert_eq!(phy.peek(reg), before, "read-only register ignores writes");
                    }
                    if reg == 0x1b {
                        prop_assert_eq!(
                            phy.peek(0x1b).map(|x| x & 0xff00),
                            Some(v & 0xff00),
                            "enables store their bits"
                        );
                        prop_assert_eq!(
                            phy.peek(0x1b).map(|x| x & 0xff),
                            before.map(|x| x & 0xff),
                            "writes leave the status byte"
                        );
                    }
                    if reg == 0x1f {
                        prop_assert_eq!(phy.peek(0x1f).unwrap() & 0x4200, v & 0x4200);
                    }
                }
                Act::Wait(ms) => props::wait(&mut phy, &mut now, ms)?,
                Act::Medium(m) => m.apply(&mut phy, now, &mut medium)?,
            }
            check_invariants(&phy)?;
        }
    }
}
