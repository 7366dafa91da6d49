//! The RTL8211F model driven the way Linux's realtek_main.c (with phylib's genphy helpers)
//! drives it: same registers, pages, order and waits; plus a property test of its
//! register-level invariants.

mod common;

use common::bus::{phy_from_dump, Bus, Paged, C22};
use common::media::configured;
use common::phylib;
use common::props::{self, MediumAct};
use common::MS;
use phy_sim_models::notes::Target;
use phy_sim_models::realtek::{irq, Rtl8211f, RTL8211F};
use phy_sim_models::{
    build, Duplex, Instant, LinkMode, LinkPartner, LinkTiming, MasterSlave, MdioDevice, Medium,
    Pause, Phy, Speed,
};
use proptest::prelude::*;
use std::time::Duration;

const PAGSR: u8 = 0x1f;

/// The subset of phylib + realtek_main.c (Linux 7.3) that touches the PHY, as register
/// accesses.
struct Linux {
    phy: Box<dyn Phy>,
    now: Instant,
    /// The PHY's interrupt line is wired (phy_interrupt_is_valid()).
    irq: bool,
    polled_link: bool,
    /// phylib's EEE advertisement in the 7.60 layout: what phy_probe() read from 7.60 and
    /// 3.20 (eee_enabled while not 0).
    eee: u16,
}

#[derive(Debug, PartialEq, Eq)]
struct Status {
    link: bool,
    speed: Option<u32>,
    duplex: Option<Duplex>,
}

const UP_1000_FULL: Status = Status {
    link: true,
    speed: Some(1000),
    duplex: Some(Duplex::Full),
};

common::bus::c22_replay!(Linux, modify_writes_unchanged = false);

/// Pages through PAGSR, each access with `paged` (phy_select_page() ... phy_restore_page()).
impl Paged for Linux {
    const PAGE_SELECT: u8 = PAGSR;
}

impl Linux {
    fn boot(medium: Medium, irq: bool) -> Linux {
        let (l, delays_changed) = Linux::boot_phy(
            build("realtek-rtl8211f", Instant::ZERO).unwrap(),
            medium,
            irq,
        );
        assert_eq!(
            delays_changed,
            (true, false),
            "the TX delay strap is off and rgmii-id turns it on; the RX delay strap is on"
        );
        l
    }

    /// `boot` with the PHY started from a register dump.
    fn boot_from_dump(dump: &str, medium: Medium, irq: bool) -> Linux {
        Linux::boot_phy(phy_from_dump("realtek-rtl8211f", dump), medium, irq).0
    }

    /// Probe and attach; also whether config_init changed the TX and RX delays.
    fn boot_phy(mut phy: Box<dyn Phy>, medium: Medium, irq: bool) -> (Linux, (bool, bool)) {
        phy.set_medium(Instant::ZERO, medium);
        let mut l = Linux {
            phy,
            now: Instant::ZERO,
            irq,
            polled_link: false,
            eee: 0,
        };
        l.sleep(3000 * MS);
        l.probe();
        let delays_changed = l.config_init();
        l.config_intr();
        l.config_aneg();
        (l, delays_changed)
    }

    /// rtl8211f_probe(), phy_disable_interrupts(), genphy_read_abilities(), EEE abilities.
    fn probe(&mut self) {
        assert_eq!(self.phy_id(), 0x001c_c916, "PHY_ID_MATCH_EXACT(0x001cc916)");
        // Disable all PME events.
        self.paged(0xd8a, |l| l.write(0x10, 0));
        // phy_disable_interrupts() -> rtl8211f_config_intr(disabled)
        self.paged(0xa42, |l| l.write(0x12, 0));
        self.read(0x1d);
        let bmsr = self.read(1);
        assert_eq!(bmsr & 0xf900, 0x7900, "10/100 abilities, extended status");
        assert_eq!(self.read(15), 0x2000, "1000BASE-T full only");
        self.eee = phylib::read_eee_adv(self, 0x0006);
    }

    /// rtl8211f_config_init() for phy-mode rgmii-id (no DT properties).
    /// Whether it changed the TX and RX delay (phy_modify_paged_changed()).
    fn config_init(&mut self) -> (bool, bool) {
        let tx = self.paged(0xd08, |l| l.modify(0x11, 0x0100, 0x0100));
        let rx = self.paged(0xd08, |l| l.modify(0x15, 0x0008, 0x0008));
        (tx, rx)
    }

    /// rtl8211f_config_intr().
    fn config_intr(&mut self) {
        if self.irq {
            self.read(0x1d);
            self.paged(0xa42, |l| l.write(0x12, irq::LINK_STATUS));
        } else {
            self.paged(0xa42, |l| l.write(0x12, 0));
            self.read(0x1d);
        }
    }

    /// genphy_config_aneg(): advertise everything supported plus pause, restart if changed;
    /// genphy_c45_an_config_eee_aneg() writes phylib's EEE advertisement.
    fn config_aneg(&mut self) {
        self.mmd_write(7, 60, self.eee);
        let mut changed = self.modify(4, 0x0fe0, 0x0de0);
        changed |= self.modify(9, 0x0300, 0x0200);
        phylib::check_and_restart_aneg(self, changed);
    }

    /// rtlgen_read_status(): genphy_read_status(), then PHYSR for speed/duplex.
    fn read_status(&mut self) -> Status {
        let (_, bmsr) = phylib::update_link(self, self.polled_link);
        let link = bmsr & 0x0004 != 0;
        let an_done = self.read(1) & 0x0020 != 0;
        let (mut speed, mut duplex) = (None, None);
        if an_done {
            // genphy_read_lpa(), as this replay has always read it: CTRL1000 before the fault
            // check, and no 1000BASE-T half duplex (the part has none), so not
            // phylib::read_lpa() / resolve().
            let stat1000 = self.read(10);
            let ctrl1000 = self.read(9);
            assert_eq!(stat1000 & 0x8000, 0, "no master/slave fault");
            let lpa = self.read(5);
            let adv = self.read(4);
            let common = lpa & adv;
            (speed, duplex) = if (stat1000 >> 2) & ctrl1000 & 0x0200 != 0 {
                (Some(1000), Some(Duplex::Full))
            } else if common & 0x0100 != 0 {
                (Some(100), Some(Duplex::Full))
            } else if common & 0x0080 != 0 {
                (Some(100), Some(Duplex::Half))
            } else if common & 0x0040 != 0 {
                (Some(10), Some(Duplex::Full))
            } else {
                (Some(10), Some(Duplex::Half))
            };
        }
        self.polled_link = link;
        if link {
            let sr = self.read(0x1a);
            let physr_duplex = if sr & 0x0008 != 0 {
                Duplex::Full
            } else {
                Duplex::Half
            };
            let physr_speed = match sr & 0x0630 {
                0x0000 => 10,
                0x0010 => 100,
                0x0020 => 1000,
                other => panic!("PHYSR speed {other:#x}"),
            };
            assert_eq!(
                (speed, duplex),
                (Some(physr_speed), Some(physr_duplex)),
                "PHYSR agrees with the IEEE registers"
            );
            (speed, duplex) = (Some(physr_speed), Some(physr_duplex));
        }
        Status {
            link,
            speed: speed.filter(|_| link),
            duplex: duplex.filter(|_| link),
        }
    }

    /// rtl8211f_handle_interrupt(): whether the state machine would be triggered.
    fn handle_interrupt(&mut self) -> bool {
        self.read(0x1d) & irq::LINK_STATUS != 0
    }

    /// phylib until the link is up (polling once a second, or on the interrupt), or `limit`.
    fn wait_link(&mut self, limit: Duration) -> Option<Status> {
        let (irq, end) = (self.irq, self.now + limit);
        // phy_start() runs the state machine once whatever the interrupt setup.
        let s = self.read_status();
        if s.link {
            return Some(s);
        }
        let interrupt = |l: &mut Linux| {
            assert!(l.handle_interrupt(), "INTB means a link interrupt");
            assert!(!l.phy.irq_asserted(), "reading INSR releases INTB");
            true
        };
        phylib::wait_link(self, irq, end, interrupt, |l| {
            Some(l.read_status()).filter(|s| s.link)
        })
    }

    /// `ethtool -s master-slave ...`.
    fn set_master_slave(&mut self, ctl: u16) {
        phylib::setup_master_slave(self, ctl);
    }

    /// genphy_read_master_slave() then rtlgen_decode_physr() (which, on a link at 1000, takes
    /// the state from PHYSR.11): the `master-slave cfg` and `master-slave status` ethtool
    /// prints.
    fn read_master_slave(&mut self) -> (&'static str, &'static str) {
        let (cfg, mut state) = phylib::read_master_slave(self, self.polled_link);
        if self.polled_link {
            let sr = self.read(0x1a);
            if sr & 0x0020 != 0 {
                state = if sr & 0x0800 != 0 { "master" } else { "slave" };
            }
        }
        (cfg, state)
    }

    /// `ethtool --show-eee` with phylib's EEE advertisement `adv` (7.60 layout, what
    /// phy_probe() read from 7.60): the partner's EEE modes (7.61) and whether EEE is active
    /// on a full-duplex link at `speed`.
    fn eee_is_active(&mut self, adv: u16, speed: u32) -> (u16, bool) {
        let (mode, _) = phylib::eee_mode(true, speed, Duplex::Full);
        phylib::eee_status(self, adv, mode)
    }

    /// genphy_suspend() / genphy_resume() + msleep(20), rtl8211f_suspend/resume without WOL.
    fn suspend(&mut self) {
        self.modify(0, 0, 0x0800);
    }

    fn resume(&mut self) {
        self.modify(0, 0x0800, 0);
        self.sleep(20 * MS);
    }
}

fn partner(modes: &[LinkMode]) -> Medium {
    Medium::cable_to(
        LinkPartner {
            pause: Pause::Symmetric,
            ..LinkPartner::negotiating(modes.iter().copied().collect())
        },
        5.0,
    )
}

fn full() -> Medium {
    partner(&[
        LinkMode::BaseT10Half,
        LinkMode::BaseT10Full,
        LinkMode::BaseT100Half,
        LinkMode::BaseT100Full,
        LinkMode::BaseT1000Full,
    ])
}

fn up(speed: u32, duplex: Duplex) -> Status {
    Status {
        link: true,
        speed: Some(speed),
        duplex: Some(duplex),
    }
}

#[test]
fn partner_1000_full_links_at_1000_full_after_the_autoneg_delay() {
    for irq in [true, false] {
        let mut l = Linux::boot(full(), irq);
        l.modify(0, 0x0400, 0x1000 | 0x0200);
        let started = l.now;
        let t = LinkTiming::default();
        let s = l.wait_link(Duration::from_secs(5)).expect("link");
        assert_eq!(s, UP_1000_FULL);
        let took = l.now.saturating_duration_since(started);
        assert!(took >= t.autoneg + t.link_1000, "took {took:?}");
        if irq {
            assert!(took < t.autoneg + t.link_1000 + 100 * MS, "took {took:?}");
        }
        assert_eq!(l.read(1), 0x796d, "BMSR: link, AN complete, abilities");
        let sr = l.read(0x1a);
        assert_eq!(
            sr & 0x0e3c,
            0x0020 | 0x0008 | 0x0004,
            "1000, full, link, slave"
        );
        assert_eq!(
            l.read(10) & 0x7c00,
            0x3000 | 0x0800,
            "slave, receivers OK, LP 1000 FD"
        );
        assert_eq!(
            l.read(5),
            0xc5e1,
            "LP base page: NP, ack, pause, 10/100 all"
        );
        let state = l.phy.link_state();
        assert!(state.up);
        assert_eq!(
            (state.speed, state.duplex),
            (Some(Speed::S1000), Some(Duplex::Full))
        );
    }
}

#[test]
fn partner_100_half_links_at_100_half() {
    for irq in [true, false] {
        let mut l = Linux::boot(
            partner(&[LinkMode::BaseT10Half, LinkMode::BaseT100Half]),
            irq,
        );
        let s = l.wait_link(Duration::from_secs(5)).expect("link");
        assert_eq!(s, up(100, Duplex::Half));
        assert_eq!(
            l.read(0x1a) & 0x003c,
            0x0010 | 0x0004,
            "PHYSR 100 half link"
        );
        assert_eq!(l.read(10) & 0x7c00, 0, "no gigabit");
    }
}

#[test]
fn partner_10_full_links_at_10_full() {
    for irq in [true, false] {
        let mut l = Linux::boot(partner(&[LinkMode::BaseT10Full]), irq);
        let s = l.wait_link(Duration::from_secs(5)).expect("link");
        assert_eq!(s, up(10, Duplex::Full));
        assert_eq!(l.read(0x1a) & 0x003c, 0x0008 | 0x0004, "PHYSR 10 full link");
    }
}

#[test]
fn partners_in_turn_as_the_scenario_does() {
    let mut l = Linux::boot(full(), true);
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    for (modes, want) in [
        (
            vec![LinkMode::BaseT10Half, LinkMode::BaseT100Half],
            up(100, Duplex::Half),
        ),
        (vec![LinkMode::BaseT10Full], up(10, Duplex::Full)),
    ] {
        let at = l.now;
        l.phy.set_medium(at, partner(&modes));
        assert!(l.phy.irq_asserted(), "the link drop interrupts at once");
        assert!(l.handle_interrupt());
        assert!(!l.read_status().link, "phylib sees the drop");
        assert_eq!(l.wait_link(Duration::from_secs(5)), Some(want));
    }
}

#[test]
fn flap_drops_and_renegotiates_and_latched_low_link_is_seen() {
    let mut l = Linux::boot(full(), false);
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    let mut m = full();
    m.cable.connected = false;
    l.phy.set_medium(l.now, m.clone());
    assert!(!l.phy.link_state().up, "unplug drops the link at once");
    assert_eq!(
        l.phy.c22_read(l.now, 0x1a).unwrap() & 0x0004,
        0,
        "PHYSR real time"
    );
    m.cable.connected = true;
    l.sleep(10 * MS);
    l.phy.set_medium(l.now, m);
    // The link comes back before phylib polls: BMSR still reads down once.
    l.sleep(2000 * MS);
    assert!(l.phy.link_state().up);
    assert!(!l.read_status().link, "latched-low link read once");
    assert_eq!(l.read_status(), UP_1000_FULL);
}

#[test]
fn interrupt_path_follows_insr_and_iner_exactly() {
    let mut l = Linux::boot(full(), true);
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    assert!(!l.phy.irq_asserted());
    // Unplug: INSR.4 rises and INTB follows.
    let mut m = full();
    m.cable.connected = false;
    l.phy.set_medium(l.now, m.clone());
    assert!(l.phy.irq_asserted());
    // Masking the enable releases INTB without clearing the status.
    l.paged(0xa42, |l| l.write(0x12, 0));
    assert!(!l.phy.irq_asserted());
    l.paged(0xa42, |l| l.write(0x12, irq::LINK_STATUS));
    assert!(l.phy.irq_asserted(), "status still pending");
    // The default page reaches INER too (page 0 registers 16-23 are page 0xa42).
    assert_eq!(l.read(0x12), irq::LINK_STATUS);
    let insr = l.read(0x1d);
    assert_ne!(insr & irq::LINK_STATUS, 0);
    assert!(!l.phy.irq_asserted(), "INSR clears on read");
    assert_eq!(l.read(0x1d), 0);
    // Replug: page received and AN complete are latched too, but only the link bit is
    // enabled; INTB asserts only when the link comes up.
    m.cable.connected = true;
    l.phy.set_medium(l.now, m);
    let t = LinkTiming::default();
    l.sleep(t.autoneg + 10 * MS);
    assert!(!l.phy.irq_asserted(), "pages exchanged, not enabled");
    assert_ne!(l.phy.c22_read(l.now, 0x1d).unwrap() & irq::PAGE_RECEIVED, 0);
    l.sleep(t.link_1000);
    assert!(l.phy.irq_asserted());
    let insr = l.read(0x1d);
    assert_eq!(insr & (irq::LINK_STATUS | irq::AN_COMPLETE), 0x0018);
    assert!(!l.phy.irq_asserted());
}

#[test]
fn default_page_aliases_0xa42_and_0xa43() {
    let mut l = Linux::boot(full(), true);
    l.wait_link(Duration::from_secs(5)).unwrap();
    let on_page = l.paged(0xa43, |l| l.read(0x1a));
    assert_eq!(on_page, l.read(0x1a), "PHYSR on page 0xa43 and page 0");
    l.modify(0x19, 0x0020, 0);
    assert_eq!(
        l.paged(0xa43, |l| l.read(0x19)) & 0x0020,
        0,
        "PHYCR2 EEE off"
    );
    assert_eq!(l.read(PAGSR), 0, "back on the default page");
    // LED hw control (mode B, link 10/100/1000 + activity on LED0).
    l.paged(0xd04, |l| l.modify(0x10, 0x001f, 0x8000 | 0x001b));
    assert_eq!(l.paged(0xd04, |l| l.read(0x10)) & 0x801f, 0x801b);
}

#[test]
fn soft_reset_restores_bmcr_keeps_the_rest_and_relinks() {
    let mut l = Linux::boot(full(), true);
    l.wait_link(Duration::from_secs(5)).unwrap();
    // Forced 100/Full, then a reset.
    l.write(0, 0x2100);
    assert!(!l.phy.link_state().up, "forcing speed takes effect at once");
    l.write(0, 0x8000 | 0x2100);
    assert_ne!(l.read(0) & 0x8000, 0, "reset in progress");
    l.sleep(MS);
    assert_eq!(l.read(0), 0x1140, "BMCR back to its default");
    assert_eq!(
        l.paged(0xa42, |l| l.read(0x12)),
        irq::LINK_STATUS,
        "INER kept"
    );
    assert_eq!(
        l.paged(0xd08, |l| l.read(0x11)) & 0x0100,
        0x0100,
        "TX delay kept"
    );
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
}

#[test]
fn forced_100_full_against_a_forcing_partner() {
    let m = Medium::cable_to(LinkPartner::forcing(Speed::S100, Duplex::Full), 5.0);
    let mut l = Linux::boot(m, false);
    // genphy_setup_forced()
    l.write(0, 0x2100);
    l.sleep(2000 * MS);
    let bmsr = {
        l.read(1);
        l.read(1)
    };
    assert_ne!(bmsr & 0x0004, 0);
    assert_eq!(l.read(0x1a) & 0x003c, 0x0010 | 0x0008 | 0x0004);
}

#[test]
fn suspend_powers_down_and_resume_renegotiates() {
    let mut l = Linux::boot(full(), true);
    l.wait_link(Duration::from_secs(5)).unwrap();
    l.suspend();
    assert!(!l.phy.link_state().up);
    assert!(l.phy.irq_asserted(), "link drop interrupt");
    l.sleep(5000 * MS);
    assert!(!l.phy.link_state().up, "stays down while powered down");
    l.handle_interrupt();
    l.resume();
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
}

#[test]
fn unmodelled_registers_read_zero_and_are_noted_once() {
    let mut phy = Rtl8211f::new(Instant::ZERO).unwrap();
    let t = Instant::ZERO;
    assert_eq!(phy.c22_read(t, 11), Some(0));
    assert_eq!(phy.c22_read(t, 11), Some(0));
    phy.c22_write(t, PAGSR, 0xa46);
    assert_eq!(phy.c22_read(t, 0x14), Some(0));
    phy.c22_write(t, 0x14, 0x1234);
    assert_eq!(phy.peek(0xa46, 0x14), None);
    let notes = phy.take_unimplemented();
    let targets: Vec<_> = notes.iter().map(|n| n.target).collect();
    assert_eq!(
        targets,
        vec![
            Target::C22 {
                page: None,
                reg: 11
            },
            Target::Mmd {
                devad: 31,
                reg: 0xa468
            },
            Target::Mmd {
                devad: 31,
                reg: 0xa468
            },
        ]
    );
    assert!(phy.take_unimplemented().is_empty());
    assert_eq!(phy.c45_read(t, 1, 0), None, "no Clause 45");
}

#[test]
fn catalog_entry() {
    let phy = build("realtek-rtl8211f", Instant::ZERO).unwrap();
    assert_eq!(phy.info(), &RTL8211F);
    assert_eq!(phy.info().kernel_driver, "RTL8211F Gigabit Ethernet");
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
            l.read(10) & 0xf000,
            role | 0x3000,
            "GBSR: no fault, role, receivers"
        );
        assert_eq!(l.read(0x1a) & 0x0800 != 0, local_master, "PHYSR.11");
        let status = if local_master { "master" } else { "slave" };
        assert_eq!(l.read_master_slave(), ("preferred slave", status));
    }
    // The default partner, a multiport device, makes a single-port PHY slave and a PHY that
    // prefers master (its port type) master.
    let mut l = Linux::boot(full(), false);
    l.set_master_slave(0x0400);
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    assert_eq!(l.read_master_slave(), ("preferred master", "master"));
}

#[test]
fn forced_master_against_forced_master_is_a_configuration_fault() {
    let forced_master = MasterSlave::Manual { master: true };
    let mut l = Linux::boot(configured(forced_master, &[]), false);
    l.set_master_slave(0x1800);
    let t = LinkTiming::default();
    l.sleep(t.autoneg + 10 * MS);
    assert_eq!(
        l.read(10) & 0xfc00,
        0x8000 | 0x0c00,
        "fault, LP 1000 FD/HD, no role"
    );
    assert_eq!(l.read_master_slave(), ("forced master", "resolution error"));
    assert_eq!(
        l.read(1) & 0x0024,
        0,
        "no link, autonegotiation not complete"
    );
    assert_eq!(l.read(0x1a) & 0x0830, 0, "PHYSR: nothing resolved");
    assert_eq!(
        l.read(0x1d) & (irq::AN_ERROR | irq::PAGE_RECEIVED),
        irq::AN_ERROR | irq::PAGE_RECEIVED
    );
    // Autonegotiation starts over once the link fail inhibit timer runs out; 10.15 stays
    // latched until read.
    l.sleep(t.gigabit_fail);
    assert_eq!(l.read(10) & 0x8000, 0x8000);
    assert_eq!(l.read(10) & 0x8000, 0);
    assert_eq!(
        l.wait_link(Duration::from_secs(10)),
        None,
        "it faults every time"
    );
    // The partner switching to manual SLAVE resolves it.
    l.phy.set_medium(
        l.now,
        configured(MasterSlave::Manual { master: false }, &[]),
    );
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    assert_eq!(l.read_master_slave(), ("forced master", "master"));
}

#[test]
fn the_partners_eee_shows_in_7_61_and_eee_runs_where_both_advertise_it() {
    use LinkMode::{BaseT1000Full, BaseT100Full};
    let auto = LinkPartner::DEFAULT_MASTER_SLAVE;
    let mut l = Linux::boot(configured(auto, &[BaseT100Full, BaseT1000Full]), false);
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    // phy_probe() took 7.60 (0x0006) as phylib's EEE advertisement; config_aneg wrote it back.
    assert_eq!(l.mmd_read(7, 60), 0x0006);
    assert_eq!(l.eee_is_active(0x0006, 1000), (0x0006, true));

    // A partner doing EEE at 100 only: "enabled - inactive" at 1000, active at 100.
    l.phy.set_medium(l.now, configured(auto, &[BaseT100Full]));
    assert_eq!(l.mmd_read(7, 61), 0, "cleared when the link starts over");
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    assert_eq!(l.eee_is_active(0x0006, 1000), (0x0002, false));
    let m = Medium::cable_to(
        LinkPartner {
            eee: [BaseT100Full].into_iter().collect(),
            ..LinkPartner::negotiating([BaseT100Full].into_iter().collect())
        },
        5.0,
    );
    l.phy.set_medium(l.now, m);
    assert_eq!(
        l.wait_link(Duration::from_secs(5)),
        Some(up(100, Duplex::Full))
    );
    assert_eq!(l.eee_is_active(0x0006, 100), (0x0002, true));
}

#[test]
fn the_eee_advertisement_is_taken_when_autonegotiation_restarts() {
    use LinkMode::{BaseT1000Full, BaseT100Full};
    let both = [BaseT100Full, BaseT1000Full];
    let mut l = Linux::boot(configured(LinkPartner::DEFAULT_MASTER_SLAVE, &both), false);
    // ethtool -s advertise 100baseT/Full and --set-eee eee off: no 1000BASE-T and no EEE
    // advertisement, so the PHY sends no next pages and never sees the partner's EEE page.
    l.modify(4, 0x01e0, 0x0100);
    l.modify(9, 0x0200, 0);
    l.mmd_write(7, 60, 0);
    l.modify(0, 0x0400, 0x1000 | 0x0200);
    assert_eq!(
        l.wait_link(Duration::from_secs(5)),
        Some(up(100, Duplex::Full))
    );
    assert_eq!(l.mmd_read(7, 61), 0);
    // Writing 7.60 alone changes nothing on the wire ...
    l.mmd_write(7, 60, 0x0002);
    l.sleep(3000 * MS);
    assert_eq!(l.mmd_read(7, 61), 0);
    // ... until autonegotiation restarts.
    l.modify(0, 0x0400, 0x1000 | 0x0200);
    assert_eq!(
        l.wait_link(Duration::from_secs(5)),
        Some(up(100, Duplex::Full))
    );
    assert_eq!(l.eee_is_active(0x0002, 100), (0x0006, true));
}

/// scenarios/dumps/realtek-rtl8211f-from-dump.yaml, replayed: the dump's cleared EEE
/// advertisement survives the driver (phy_probe() adopts 7.60, config_aneg writes it back), so
/// against an EEE partner the link comes up without EEE, where the same PHY without the dump
/// has EEE active; the dump's RX delay off does not survive config_init.
#[test]
fn the_scenario_dump_keeps_eee_off_against_an_eee_partner() {
    use LinkMode::{BaseT1000Full, BaseT100Full};
    let dump = include_str!("../../scenarios/dumps/rtl8211f-eee-advertisement-off.txt");
    let medium = configured(
        LinkPartner::DEFAULT_MASTER_SLAVE,
        &[BaseT100Full, BaseT1000Full],
    );
    let mut dumped = Linux::boot_from_dump(dump, medium.clone(), true);
    assert_eq!(dumped.eee, 0, "phylib's EEE advertisement: none");
    assert_eq!(dumped.mmd_read(7, 60), 0);
    assert_eq!(
        dumped.paged(0xd08, |l| l.read(0x15)) & 0x0008,
        0x0008,
        "RX delay on again"
    );
    assert_eq!(dumped.read(0x19), 0x0001, "PHYCR2 as dumped");
    assert_eq!(dumped.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    assert_eq!(
        dumped.mmd_read(7, 61),
        0x0006,
        "the partner's EEE page arrived"
    );
    assert_eq!(dumped.eee_is_active(dumped.eee, 1000), (0, false));

    let mut plain = Linux::boot(medium, true);
    assert_eq!(plain.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    assert_eq!(plain.eee_is_active(plain.eee, 1000), (0x0006, true));
}

// ---- invariants under random guest activity ----

#[derive(Clone, Debug)]
enum Act {
    Read(u16, u8),
    Write(u16, u8, u16),
    Wait(u64),
    Medium(MediumAct),
}

fn act() -> impl Strategy<Value = Act> {
    let page = prop_oneof![
        4 => Just(0u16),
        1 => Just(0xa42),
        1 => Just(0xa43),
        1 => Just(0xd04),
        1 => Just(0xd08),
        1 => Just(0xd8a),
        1 => Just(0xa46),
    ];
    let reg = prop_oneof![0u8..16, 16u8..31];
    prop_oneof![
        4 => (page.clone(), reg.clone()).prop_map(|(p, r)| Act::Read(p, r)),
        2 => (page, reg, any::<u16>()).prop_map(|(p, r, v)| Act::Write(p, r, v)),
        3 => props::wait_ms().prop_map(Act::Wait),
        1 => props::plug().prop_map(Act::Medium),
        1 => props::partner().prop_map(Act::Medium),
    ]
}

fn check_invariants(phy: &Rtl8211f) -> Result<(), TestCaseError> {
    let p = |page, reg| phy.peek(page, reg).unwrap();
    prop_assert_eq!((p(0, 2), p(0, 3)), (0x001c, 0xc916), "ID");
    prop_assert_eq!(p(0, 1) & 0xff4b, 0x7949 & 0xff4b, "BMSR abilities");
    prop_assert_eq!(p(0, 15), 0x2000, "GBESR");
    let state = phy.link_state();
    let sr = p(0xa43, 0x1a);
    prop_assert_eq!(sr & 0x0004 != 0, state.up, "PHYSR real-time link");
    prop_assert_eq!(sr & !0x083c, 0, "PHYSR reserved bits");
    prop_assert!(
        p(0, 1) & 0x0004 == 0 || state.up,
        "BMSR shows link only while up"
    );
    prop_assert!(
        p(0, 1) & 0x0020 == 0 || state.up,
        "AN complete only with link"
    );
    if state.up {
        let speed = match sr & 0x0030 {
            0x0020 => Speed::S1000,
            0x0010 => Speed::S100,
            _ => Speed::S10,
        };
        prop_assert_eq!(Some(speed), state.speed);
        prop_assert_eq!(sr & 0x0008 != 0, state.duplex == Some(Duplex::Full));
        let gbit = p(0, 10) & 0x3000 == 0x3000;
        prop_assert_eq!(
            gbit,
            speed == Speed::S1000,
            "GBSR receivers OK only at 1000"
        );
        if gbit {
            prop_assert_eq!(p(0, 10) & 0x8000, 0, "no M/S fault on a gigabit link");
        }
    }
    prop_assert_eq!(
        phy.irq_asserted(),
        p(0xa43, 0x1d) & p(0xa42, 0x12) != 0,
        "INTB = INSR & INER"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn registers_stay_consistent(acts in proptest::collection::vec(act(), 1..120)) {
        let mut now = Instant::ZERO;
        let mut phy = Rtl8211f::new(now).unwrap();
        let mut medium = full();
        phy.set_medium(now, medium.clone());
        for a in acts {
            now = now + Duration::from_micros(50);
            match a {
                Act::Read(page, reg) => {
                    phy.c22_write(now, PAGSR, page);
                    let v = phy.c22_read(now, reg).unwrap();
                    if reg == 0x1d && page == 0 {
                        prop_assert_eq!(phy.peek(0xa43, 0x1d), Some(0), "INSR clears on read");
                    }
                    if reg == 3 {
                        prop_assert_eq!(v, 0xc916, "IEEE registers on every page");
                    }
                    if phy.peek(page, reg).is_none() {
                        prop_assert_eq!(v, 0, "unmodelled reads 0");
                    }
                }
                Act::Write(page, reg, v) => {
                    phy.c22_write(now, PAGSR, page);
                    let ro = [(0, 1), (0, 2), (0, 3), (0, 5), (0, 15), (0xa43, 0x1a)];
                    let before: Vec<_> = ro.iter().map(|&(p, r)| phy.peek(p, r)).collect();
                    phy.c22_write(now, reg, v);
                    let after: Vec<_> = ro.iter().map(|&(p, r)| phy.peek(p, r)).collect();
                    if reg != 0 && reg != PAGSR {
                        prop_assert_eq!(before, after, "RO registers ignore writes");
                    }
                    if reg == PAGSR {
                        prop_assert_eq!(phy.peek(0, PAGSR), Some(v & 0x0fff), "page select");
                    }
                    if reg == 0 && v & 0x0800 != 0 {
                        prop_assert!(!phy.link_state().up, "power down drops the link");
                    }
                }
                Act::Wait(ms) => props::wait(&mut phy, &mut now, ms)?,
                Act::Medium(m) => m.apply(&mut phy, now, &mut medium)?,
            }
            check_invariants(&phy)?;
        }
    }
}
