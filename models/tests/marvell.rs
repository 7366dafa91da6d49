//! The 88E151x model driven the way Linux's marvell.c drives it (same registers, pages, order
//! and waits), through scenarios, plus a property test of its register-level invariants.

mod common;

use common::bus::{Bus, Paged, C22};
use common::cable::{result, Code, PairResult};
use common::media::{configured, faulty, full_partner, full_partner_pausing, only};
use common::props::{self, MediumAct};
use common::{marvell, phylib, MS};
use phy_sim_models::marvell::{Marvell151x, M88E1510};
use phy_sim_models::medium::Cable;
use phy_sim_models::notes::Target;
use phy_sim_models::{
    build, Duplex, FaultKind, FlowControl, Instant, LinkMode, LinkPartner, LinkTiming, MasterSlave,
    MdioDevice, Medium, Pause, Phy, Speed,
};
use proptest::prelude::*;
use std::time::Duration;

/// The subset of phylib + marvell.c (Linux 7.3) that touches the PHY, as register accesses.
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

common::bus::c22_replay!(Linux, modify_writes_unchanged = true);

impl Paged for Linux {
    const PAGE_SELECT: u8 = 22;
}

impl Linux {
    fn boot(model: &str, medium: Medium, irq: bool) -> Linux {
        let mut phy = build(model, Instant::ZERO).unwrap();
        phy.set_medium(Instant::ZERO, medium);
        let mut l = Linux {
            phy,
            now: Instant::ZERO,
            irq,
            polled_link: false,
            eee: 0,
        };
        // The kernel boots for a while before the MAC driver probes the PHY.
        l.sleep(3000 * MS);
        l.probe();
        l.config_init();
        l.config_intr();
        l.config_aneg();
        l
    }

    /// genphy_soft_reset() with phy_poll_reset().
    fn soft_reset(&mut self) {
        phylib::soft_reset(self);
    }

    fn probe(&mut self) {
        assert_eq!(
            self.phy_id() & 0xffff_fff0,
            0x0141_0dd0,
            "marvell.c's 88E1510 entry binds"
        );
        // phy_disable_interrupts(), then EEE abilities and advertisement.
        self.write(18, 0);
        self.read(19);
        self.eee = phylib::read_eee_adv(self, 0x0006);
    }

    /// m88e1510_config_init() for an RGMII MAC.
    fn config_init(&mut self) {
        self.write(22, 0x00ff);
        for (r17, r16) in [
            (0x214b, 0x2144),
            (0x0c28, 0x2146),
            (0xb233, 0x214d),
            (0xcc0c, 0x2159),
        ] {
            self.write(17, r17);
            self.write(16, r16);
        }
        self.write(22, 0x00fb);
        self.write(7, 0xc00d);
        self.write(22, 0);
        // m88e1011_set_downshift(3)
        self.modify(16, 0x7800, 0x0800 | (2 << 12));
        self.soft_reset();
        // m88e1318_config_init()
        if self.irq {
            self.modify_paged(3, 18, 0x8000, 0x0080 | 0x0800);
        }
        self.write(22, 3);
        self.write(16, 0x1177);
        self.write(22, 0);
    }

    fn config_intr(&mut self) {
        if self.irq {
            self.read(19);
            self.write(18, 0x6400);
        } else {
            self.write(18, 0);
            self.read(19);
        }
    }

    /// m88e1510_config_aneg() with autoneg on, advertising everything plus pause;
    /// genphy_c45_an_config_eee_aneg() writes phylib's EEE advertisement.
    fn config_aneg(&mut self) {
        self.write(22, 0);
        self.modify_paged(2, 16, 0, 0x0040);
        let mut changed = self.modify_paged(2, 21, 0x0030, 0x0030);
        changed |= self.modify(16, 0x0060, 0x0060);
        self.mmd_write(7, 60, self.eee);
        let mut adv_changed = self.modify(4, 0x0fe0, 0x0de0);
        let bmsr = self.read(1);
        assert_ne!(bmsr & 0x0100, 0, "extended status");
        adv_changed |= self.modify(9, 0x0300, 0x0300);
        phylib::check_and_restart_aneg(self, adv_changed);
        if changed {
            self.soft_reset();
        }
        self.write(22, 1);
        let fiber_changed = self.modify(4, 0x01e0, 0x0060 | 0x0100);
        phylib::check_and_restart_aneg(self, fiber_changed);
        self.write(22, 0);
    }

    /// marvell_read_status(): the fiber page first, then copper.
    fn read_status(&mut self) -> Status {
        self.write(22, 1);
        assert_eq!(self.read(17) & 0x0400, 0, "no fiber link");
        self.write(22, 0);
        let (_, bmsr) = phylib::update_link(self, self.polled_link);
        let autoneg_complete = bmsr & 0x0020 != 0;
        let mut link = bmsr & 0x0004 != 0 && autoneg_complete;
        let status = self.read(17);
        let mut speed = None;
        let mut duplex = None;
        if status & 0x0800 == 0 {
            link = false;
        } else {
            duplex = Some(if status & 0x2000 != 0 {
                Duplex::Full
            } else {
                Duplex::Half
            });
            speed = Some(match status & 0xc000 {
                0x8000 => 1000,
                0x4000 => 100,
                _ => 10,
            });
            if autoneg_complete {
                phylib::read_lpa(self);
            }
        }
        self.polled_link = link;
        Status {
            link,
            speed,
            duplex,
        }
    }

    /// marvell_handle_interrupt(): whether the state machine would be triggered.
    fn handle_interrupt(&mut self) -> bool {
        self.read(19) & 0x6400 != 0
    }

    /// A DT `timing-role`: phy_probe() sets master_slave_set, and genphy_setup_master_slave()
    /// in config_aneg writes 9.12..10 and restarts autonegotiation. (`ethtool -s master-slave`
    /// is refused: marvell.c never calls genphy_read_master_slave(), so phylib reports
    /// master/slave as unsupported.)
    fn timing_role(&mut self, ctl: u16) {
        phylib::setup_master_slave(self, ctl);
    }

    /// `ethtool --show-eee` with phylib's EEE advertisement: the partner's EEE modes (7.61)
    /// and whether EEE is active on a full-duplex link at `speed`.
    fn eee_is_active(&mut self, speed: u32) -> (u16, bool) {
        let (mode, _) = phylib::eee_mode(true, speed, Duplex::Full);
        phylib::eee_status(self, self.eee, mode)
    }

    /// phylib until the link is up (polling once a second, or on the interrupt), or `limit`.
    fn wait_link(&mut self, limit: Duration) -> Option<Status> {
        let (irq, end) = (self.irq, self.now + limit);
        phylib::wait_link(self, irq, end, Linux::handle_interrupt, |l| {
            Some(l.read_status()).filter(|s| s.link)
        })
    }

    /// marvell_cable_test_start_common().
    fn cable_test_start_common(&mut self) {
        marvell::cable_test_start_common(self);
    }

    /// marvell_vct7_cable_test_start().
    fn vct7_start(&mut self) {
        self.cable_test_start_common();
        // VCT5 control back to its defaults, sample point distance 0, then run VCT7 now with
        // lengths in centimetres.
        self.write_paged(5, 23, 0x0603);
        self.write_paged(5, 24, 0);
        self.write_paged(7, 21, 0x8000);
    }

    /// marvell_vct7_cable_test_get_status() after a VCT7 start: `None` while in progress.
    fn vct7_get_status(&mut self) -> Option<[PairResult; 4]> {
        if self.read_paged(7, 21) & 0x0800 != 0 {
            return None;
        }
        let results = self.read_paged(7, 20);
        let codes: [u16; 4] = std::array::from_fn(|p| (results >> (4 * p)) & 0xf);
        let meter = self.read_paged(7, 21) & 0x0400 != 0;
        let mut out = codes.map(|c| PairResult {
            code: match c {
                1 => Code::Ok,
                2 => Code::Open,
                3 => Code::SameShort,
                4 => Code::CrossShort,
                _ => Code::Unspec,
            },
            length_cm: None,
        });
        for (p, c) in codes.into_iter().enumerate() {
            if (2..=4).contains(&c) {
                let len = u32::from(self.read_paged(7, 16 + p as u8));
                out[p].length_cm = Some(if meter { len * 100 } else { len });
            }
        }
        Some(out)
    }

    /// `ethtool --cable-test`: phy_start_cable_test(), the state machine polling (at once, then
    /// every second) until the test is done, then phylib's config_aneg (PHY_UP).
    fn cable_test(&mut self) -> [PairResult; 4] {
        self.vct7_start();
        for _ in 0..10 {
            if let Some(r) = self.vct7_get_status() {
                self.config_aneg();
                return r;
            }
            self.sleep(1000 * MS);
        }
        panic!("VCT7 never finished");
    }

    /// marvell_vct5_cable_test_tdr_start(): the sample range in VCT5 distance units.
    fn tdr_start(&mut self, first_cm: u32, last_cm: u32, step_cm: u32, pair: Option<u16>) -> Tdr {
        let cm2distance = |cm: u32| (cm * 10 / 805) as u16;
        let tdr = Tdr {
            first: cm2distance(first_cm),
            last: cm2distance(last_cm),
            step: cm2distance(step_cm),
            pair,
        };
        assert!(tdr.first <= 511 && tdr.last <= 511);
        self.write_paged(7, 21, 0);
        self.cable_test_start_common();
        tdr
    }

    /// marvell_vct5_amplitude_graph(): per sample point and pair, the amplitude in mV the
    /// driver reports; `Err` when a measurement never completes (its -ETIMEDOUT).
    fn amplitude_graph(&mut self, tdr: &Tdr) -> Result<Vec<Amplitude>, ()> {
        const SHORT_CABLE: u16 = 11;
        let pulse_ctrl = |width: u16| 0x0006 | 0x1000 | 0x0080 | width;
        let mut width = if tdr.first <= SHORT_CABLE { 0x0c00 } else { 0 };
        self.write_paged(5, 28, pulse_ctrl(width));
        let page = self.read(22);
        self.write(22, 5);
        let mut out = Vec::new();
        let mut distance = tdr.first;
        let result = loop {
            if distance > tdr.last {
                break Ok(out);
            }
            self.write(24, distance);
            self.write(23, 0x8000 | 0x0600 | 0x00c0 | 3);
            if !(0..32).any(|_| self.read(23) & 0x4000 != 0) {
                break Err(());
            }
            for p in 0..4 {
                if tdr.pair.is_some_and(|only| only != p) {
                    continue;
                }
                let v = self.read(16 + p as u8);
                let mut amplitude = i32::from((v & 0x7f00) >> 8);
                if v & 0x8000 == 0 {
                    amplitude = -amplitude;
                }
                out.push(Amplitude {
                    distance,
                    pair: p,
                    mv: 1000 * amplitude / 128,
                });
            }
            if distance > SHORT_CABLE && width == 0x0c00 {
                width = 0;
                self.write(28, pulse_ctrl(width));
            }
            distance += tdr.step;
        };
        self.write(22, page);
        result
    }

    /// `ethtool --cable-test-tdr`: the first poll runs the whole graph, then config_aneg.
    fn cable_test_tdr(&mut self, first_cm: u32, last_cm: u32, step_cm: u32) -> Vec<Amplitude> {
        let tdr = self.tdr_start(first_cm, last_cm, step_cm, None);
        let graph = self
            .amplitude_graph(&tdr)
            .expect("every measurement completes");
        self.config_aneg();
        graph
    }
}

/// The driver's TDR configuration (struct marvell_priv first/last/step/pair).
struct Tdr {
    first: u16,
    last: u16,
    step: u16,
    pair: Option<u16>,
}

/// One ethnl_cable_test_amplitude(): `distance` in VCT5 units of 80.5 cm.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
struct Amplitude {
    distance: u16,
    pair: u16,
    mv: i32,
}

#[test]
fn partner_1000_full_links_at_1000_full_after_the_autoneg_delay() {
    let mut l = Linux::boot(
        "marvell-88e1510",
        full_partner_pausing(Pause::Symmetric),
        true,
    );
    // Time it from a restart we know the instant of (genphy_restart_aneg()).
    l.modify(0, 0x0400, 0x1000 | 0x0200);
    let started = l.now;
    let t = LinkTiming::default();
    let s = l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!(
        s,
        Status {
            link: true,
            speed: Some(1000),
            duplex: Some(Duplex::Full)
        }
    );
    let took = l.now.saturating_duration_since(started);
    assert!(took >= t.autoneg + t.link_1000, "took {took:?}");
    assert!(took < t.autoneg + t.link_1000 + 100 * MS, "took {took:?}");

    assert_eq!(l.read(1), 0x796d, "BMSR: link, AN complete, abilities");
    let ssr = l.read(17);
    assert_eq!(
        ssr & 0xec00,
        0x8000 | 0x2000 | 0x0800 | 0x0400,
        "1000, full, resolved, link"
    );
    assert_eq!(ssr & 0x0300, 0x0300, "symmetric pause both ways");
    assert_eq!(
        l.read(10) & 0x7c00,
        0x3000 | 0x0800 | 0x0400,
        "slave, receivers OK, LP 1000 FD/HD"
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
    assert_eq!(state.pause, FlowControl { tx: true, rx: true });
}

#[test]
fn partner_100_half_links_at_100_half() {
    let mut l = Linux::boot("marvell-88e1512", only(LinkMode::BaseT100Half), false);
    let s = l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!((s.speed, s.duplex), (Some(100), Some(Duplex::Half)));
    assert_eq!(l.read(5), 0x4081);
    assert_eq!(
        l.read(10) & 0x0c00,
        0,
        "partner sent no 1000BASE-T abilities"
    );
    assert_eq!(l.read(17) & 0x0300, 0, "no pause on half duplex");
}

#[test]
fn partner_forcing_100_full_is_parallel_detected_as_100_half() {
    let medium = Medium::cable_to(LinkPartner::forcing(Speed::S100, Duplex::Full), 5.0);
    let mut l = Linux::boot("marvell-88e1510", medium, false);
    let s = l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!((s.speed, s.duplex), (Some(100), Some(Duplex::Half)));
    assert_eq!(l.read(6) & 0x0001, 0, "partner not autonegotiation-able");
    assert_eq!(l.read(5), 0, "no page received");
    assert_ne!(
        l.read(1) & 0x0020,
        0,
        "autonegotiation completed by parallel detection"
    );
}

#[test]
fn partner_forcing_1000_gives_no_link() {
    let medium = Medium::cable_to(LinkPartner::forcing(Speed::S1000, Duplex::Full), 5.0);
    let mut l = Linux::boot("marvell-88e1510", medium, false);
    assert_eq!(l.wait_link(Duration::from_secs(5)), None);
}

#[test]
fn no_common_mode_gives_no_link_but_shows_the_partner() {
    let mut l = Linux::boot("marvell-88e1510", only(LinkMode::BaseT1000Half), false);
    // Advertise only 100/Full, then restart autonegotiation.
    l.modify(9, 0x0300, 0);
    l.modify(4, 0x01e0, 0x0100);
    l.modify(0, 0, 0x0200);
    assert_eq!(l.wait_link(Duration::from_secs(5)), None);
    assert_eq!(
        l.read(10) & 0x0c00,
        0x0400,
        "partner's 1000 half is visible"
    );
    assert_ne!(l.read(19) & 0x0008, 0, "FLP exchange complete, no link");
}

#[test]
fn unplug_drops_the_link_at_once_and_replug_renegotiates() {
    let mut l = Linux::boot("marvell-88e1510", full_partner(), true);
    l.wait_link(Duration::from_secs(5)).expect("link");
    assert!(!l.phy.irq_asserted());

    let mut medium = l.phy.medium().clone();
    medium.cable.connected = false;
    l.phy.set_medium(l.now, medium.clone());
    assert!(!l.phy.link_state().up);
    assert!(
        l.phy.irq_asserted(),
        "link change interrupt, enabled by 0x6400"
    );
    let events = l.read(19);
    assert_eq!(
        events & 0x6400,
        0x6400,
        "link, speed and duplex changed: {events:#06x}"
    );
    assert!(!l.phy.irq_asserted(), "reading 0_19 deasserts INTn");
    assert_eq!(l.read(1) & 0x0024, 0);
    assert_eq!(l.read(17) & 0x0c00, 0, "not resolved, no link");

    l.sleep(1000 * MS);
    medium.cable.connected = true;
    l.phy.set_medium(l.now, medium);
    let replugged = l.now;
    let s = l.wait_link(Duration::from_secs(5)).expect("link back");
    assert_eq!(s.speed, Some(1000));
    let t = LinkTiming::default();
    assert!(l.now.saturating_duration_since(replugged) >= t.autoneg + t.link_1000);
}

#[test]
fn a_flap_between_reads_still_reads_link_down_once() {
    let mut l = Linux::boot("marvell-88e1510", full_partner(), false);
    l.wait_link(Duration::from_secs(5)).expect("link");
    assert_ne!(l.read(1) & 0x0004, 0);
    let mut medium = l.phy.medium().clone();
    medium.cable.connected = false;
    l.phy.set_medium(l.now, medium.clone());
    l.sleep(10 * MS);
    medium.cable.connected = true;
    l.phy.set_medium(l.now, medium);
    l.sleep(3000 * MS);
    assert!(l.phy.link_state().up, "link came back");
    assert_eq!(l.read(1) & 0x0004, 0, "latched low");
    assert_ne!(l.read(1) & 0x0004, 0, "then the current state");
    assert_ne!(l.read(17) & 0x0400, 0, "0_17 is real time");
}

#[test]
fn mid_autoneg_registers_agree() {
    let mut l = Linux::boot("marvell-88e1510", full_partner(), false);
    let t = LinkTiming::default();
    // Page exchange done, 1000BASE-T still training.
    l.sleep(t.autoneg + t.link_1000 / 2);
    let ssr = l.read(17);
    assert_eq!(
        ssr & 0xfc00,
        0x8000 | 0x2000 | 0x1000 | 0x0800,
        "resolved 1000/full, page received, no link"
    );
    assert_eq!(l.read(1) & 0x0024, 0, "BMSR: no link, AN not complete");
    assert_eq!(l.read(10) & 0x3000, 0, "receivers not yet OK");
    assert!(!l.phy.link_state().up);
    assert!(!l.read_status().link, "phylib sees no link yet");
}

#[test]
fn soft_reset_self_clears_and_keeps_configuration() {
    let mut l = Linux::boot("marvell-88e1510", full_partner(), false);
    l.wait_link(Duration::from_secs(5)).expect("link");
    let sc1 = l.read(16);
    let bmcr = l.read(0);
    l.write(0, bmcr | 0x8000 | 0x4000);
    assert_ne!(l.read(0) & 0x8000, 0, "reset in progress");
    assert!(!l.phy.link_state().up, "reset drops the link");
    l.sleep(LinkTiming::default().soft_reset);
    let bmcr = l.read(0);
    assert_eq!(bmcr & 0xc000, 0, "reset and loopback cleared: {bmcr:#06x}");
    assert_eq!(l.read(16), sc1, "0_16 survives a software reset");
    assert_eq!(l.read_paged(3, 16), 0x1177, "LED page survives");
    assert!(l.wait_link(Duration::from_secs(5)).is_some());

    l.phy.power_on_reset(l.now);
    assert_eq!(l.read(16), 0x3060, "power-on restores defaults");
    assert_eq!(l.read_paged(3, 16), 0x101e);
}

#[test]
fn forced_speed_takes_effect_on_soft_reset_only() {
    let medium = Medium::cable_to(LinkPartner::forcing(Speed::S100, Duplex::Full), 5.0);
    let mut l = Linux::boot("marvell-88e1510", medium, false);
    // genphy_setup_forced(): 100/Full without autonegotiation.
    l.modify(0, !(0x4000 | 0x0400 | 0x0800), 0x2000 | 0x0100);
    l.sleep(2000 * MS);
    assert_ne!(
        l.read(1) & 0x0020,
        0,
        "still autonegotiating (parallel detection)"
    );
    l.soft_reset();
    l.modify(0, !(0x4000 | 0x0400 | 0x0800), 0x2000 | 0x0100);
    l.sleep(LinkTiming::default().forced_link + 10 * MS);
    let state = l.phy.link_state();
    assert!(state.up);
    assert_eq!(
        (state.speed, state.duplex),
        (Some(Speed::S100), Some(Duplex::Full))
    );
    assert_eq!(l.read(17) & 0xec00, 0x4000 | 0x2000 | 0x0800 | 0x0400);
    assert_eq!(l.read(1) & 0x0020, 0, "no autonegotiation");
}

#[test]
fn power_down_drops_the_link_and_power_up_renegotiates() {
    let mut l = Linux::boot("marvell-88e1510", full_partner(), false);
    l.wait_link(Duration::from_secs(5)).expect("link");
    // marvell_suspend(): fiber page, then copper.
    for page in [1, 0] {
        l.write(22, page);
        l.modify(0, 0, 0x0800);
    }
    assert!(!l.phy.link_state().up);
    l.sleep(5000 * MS);
    assert!(!l.phy.link_state().up, "stays down");
    for page in [1, 0] {
        l.write(22, page);
        l.modify(0, 0x0800, 0);
    }
    assert!(l.wait_link(Duration::from_secs(5)).is_some());
}

#[test]
fn two_pair_cable_downshifts_to_100() {
    let mut medium = full_partner();
    medium.cable = Cable {
        connected: true,
        pairs: 2,
        length_m: 30.0,
        faults: [None; 4],
    };
    let mut l = Linux::boot("marvell-88e1510", medium, false);
    let s = l
        .wait_link(Duration::from_secs(20))
        .expect("downshifted link");
    assert_eq!((s.speed, s.duplex), (Some(100), Some(Duplex::Full)));
    assert_ne!(l.read(17) & 0x0020, 0, "downshift status");
    assert_ne!(l.read(19) & 0x0020, 0, "downshift interrupt");
}

#[test]
fn interrupt_pin_needs_led2_as_intn() {
    let mut l = Linux::boot("marvell-88e1510", full_partner(), false);
    l.write(18, 0x6400);
    l.read(19);
    let mut medium = l.phy.medium().clone();
    medium.cable.connected = false;
    l.sleep(3000 * MS);
    l.phy.set_medium(l.now, medium);
    assert!(!l.phy.irq_asserted(), "LED[2] still drives an LED");
    l.modify_paged(3, 18, 0x8000, 0x0080);
    assert!(l.phy.irq_asserted(), "pending status now shows on INTn");
    l.write(18, 0);
    assert!(!l.phy.irq_asserted(), "masked");
    l.modify_paged(3, 18, 0, 0x8000);
    assert!(l.phy.irq_asserted(), "forced");
}

#[test]
fn hwmon_temperature() {
    let mut l = Linux::boot("marvell-88e1510", Medium::unplugged(), false);
    // m88e1510_get_temp(): ((6_27 & 0xff) - 25) * 1000 mC
    let t = i32::from(l.read_paged(6, 27) & 0xff);
    assert_eq!((t - 25) * 1000, 45_000);
    let misc = l.read_paged(6, 26);
    assert_eq!(
        i32::from((misc & 0x1f00) >> 8) * 5 - 25,
        100,
        "critical at 100 °C"
    );
    assert_eq!(misc & 0x0040, 0, "no alarm");
    // m88e1510_set_temp_critical(40 °C)
    l.modify_paged(6, 26, 0x1f00, (40 / 5 + 5) << 8);
    assert_ne!(l.read_paged(6, 26) & 0x0040, 0, "alarm");
}

fn up(speed: u32, duplex: Duplex) -> Status {
    Status {
        link: true,
        speed: Some(speed),
        duplex: Some(duplex),
    }
}

#[test]
fn a_partner_forcing_master_or_slave_decides_the_role() {
    for (partner_master, local_master) in [(true, false), (false, true)] {
        let ms = MasterSlave::Manual {
            master: partner_master,
        };
        let mut l = Linux::boot("marvell-88e1510", configured(ms, &[]), true);
        assert_eq!(
            l.wait_link(Duration::from_secs(5)),
            Some(up(1000, Duplex::Full))
        );
        let role = if local_master { 0x4000 } else { 0 };
        assert_eq!(
            l.read(10) & 0xfc00,
            role | 0x3000 | 0x0c00,
            "no fault, 10.14 role, receivers OK, LP 1000 FD/HD"
        );
    }
    // The default partner, a multiport device, makes the single-port PHY slave, and the PHY
    // preferring master (its port type, 9.10) master.
    let mut l = Linux::boot("marvell-88e1512", full_partner(), false);
    assert!(l.wait_link(Duration::from_secs(5)).is_some());
    assert_eq!(l.read(10) & 0xc000, 0, "slave");
    l.timing_role(0x0400);
    assert!(l.wait_link(Duration::from_secs(5)).is_some());
    assert_eq!(l.read(10) & 0xc000, 0x4000, "master");
}

#[test]
fn forced_master_against_forced_master_faults_every_cycle_until_the_partner_changes() {
    let forced_master = MasterSlave::Manual { master: true };
    let mut l = Linux::boot("marvell-88e1510", configured(forced_master, &[]), true);
    l.timing_role(0x1800);
    let restarted = l.now;
    let t = LinkTiming::default();
    l.sleep(t.autoneg + 10 * MS);
    assert_eq!(
        l.read(10) & 0xfc00,
        0x8000 | 0x0c00,
        "fault, LP 1000 FD/HD, no role, no receivers"
    );
    assert_eq!(l.read(1) & 0x0024, 0, "no link, AN not complete");
    assert_eq!(
        l.read(17) & 0xfc00,
        0x1000,
        "page received, nothing resolved"
    );
    assert_eq!(l.read(5), 0xc1e1, "the partner's base page is in");
    // MII_M1011_IMASK_INIT (speed, duplex, link changed) does not include the
    // autonegotiation error: the interrupt-driven driver hears nothing of the fault.
    assert!(!l.phy.irq_asserted());
    assert_eq!(
        l.read(19) & 0x9008,
        0x8000 | 0x1000 | 0x0008,
        "AN error, page received, FLP exchange complete without link"
    );
    assert!(!l.read_status().link);

    // Autonegotiation starts over once link_fail_inhibit runs out; 10.15 stays latched until
    // read, then shows the live state.
    l.sleep((restarted + t.autoneg + t.gigabit_fail + 10 * MS).saturating_duration_since(l.now));
    assert_eq!(l.read(10) & 0x8000, 0x8000, "latched");
    assert_eq!(l.read(10) & 0x8000, 0, "negotiating again");
    // Every cycle faults and raises the autonegotiation error again.
    for _ in 0..3 {
        l.sleep(t.autoneg + t.gigabit_fail);
        assert_ne!(l.read(19) & 0x8000, 0, "AN error each cycle");
    }
    // With the error enabled, INTn shows it.
    l.write(18, 0x6400 | 0x8000);
    l.sleep(t.autoneg + t.gigabit_fail);
    assert!(l.phy.irq_asserted(), "AN error interrupt");
    l.write(18, 0x6400);
    l.read(19);
    assert_eq!(l.wait_link(Duration::from_secs(10)), None, "no link, ever");

    // The partner turning to forced slave: the next resolution succeeds and clears a fault
    // latched before it (left unread here), so genphy_read_lpa() sees a clean 10.15.
    while l.read(19) & 0x8000 == 0 {
        l.sleep(10 * MS);
    }
    l.phy.set_medium(
        l.now,
        configured(MasterSlave::Manual { master: false }, &[]),
    );
    assert_eq!(
        l.wait_link(Duration::from_secs(5)),
        Some(up(1000, Duplex::Full))
    );
    assert_eq!(l.read(10) & 0xc000, 0x4000, "no fault, master");
}

#[test]
fn the_partners_eee_shows_in_7_61_and_eee_runs_where_both_advertise_it() {
    use LinkMode::{BaseT1000Full, BaseT100Full};
    let auto = LinkPartner::DEFAULT_MASTER_SLAVE;
    let mut l = Linux::boot(
        "marvell-88e1510",
        configured(auto, &[BaseT100Full, BaseT1000Full]),
        true,
    );
    // phy_probe() took 7.60 (0x0006) as phylib's EEE advertisement; config_aneg wrote it back.
    assert_eq!(l.eee, 0x0006);
    assert_eq!(
        l.wait_link(Duration::from_secs(5)),
        Some(up(1000, Duplex::Full))
    );
    assert_eq!(l.eee_is_active(1000), (0x0006, true));

    // A partner doing EEE at 100 only: 7.61 says so, EEE inactive at 1000, active at 100.
    l.phy.set_medium(l.now, configured(auto, &[BaseT100Full]));
    assert_eq!(l.mmd_read(7, 61), 0, "cleared when the link starts over");
    assert_eq!(
        l.wait_link(Duration::from_secs(5)),
        Some(up(1000, Duplex::Full))
    );
    assert_eq!(l.eee_is_active(1000), (0x0002, false));
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
    assert_eq!(l.eee_is_active(100), (0x0002, true));

    // A partner without EEE: 7.61 stays 0.
    l.phy.set_medium(l.now, full_partner());
    assert!(l.wait_link(Duration::from_secs(5)).is_some());
    assert_eq!(l.eee_is_active(1000), (0, false));
}

#[test]
fn the_eee_advertisement_is_taken_when_autonegotiation_restarts() {
    use LinkMode::{BaseT1000Full, BaseT100Full};
    let both = [BaseT100Full, BaseT1000Full];
    let mut l = Linux::boot(
        "marvell-88e1510",
        configured(LinkPartner::DEFAULT_MASTER_SLAVE, &both),
        false,
    );
    // `ethtool -s advertise 100baseT/Full` and `--set-eee eee off`: advertising 100 only with
    // no EEE, the PHY sends no next pages and never sees the partner's EEE page.
    l.modify(4, 0x01e0, 0x0100);
    l.modify(9, 0x0300, 0);
    l.eee = 0;
    l.mmd_write(7, 60, l.eee);
    l.modify(0, 0x0400, 0x1000 | 0x0200);
    assert_eq!(
        l.wait_link(Duration::from_secs(5)),
        Some(up(100, Duplex::Full))
    );
    assert_eq!(l.mmd_read(7, 61), 0);
    // Writing 7.60 alone changes nothing on the wire ...
    l.eee = 0x0002;
    l.mmd_write(7, 60, l.eee);
    assert_eq!(l.mmd_read(7, 60), 0x0002, "stored");
    l.sleep(3000 * MS);
    assert_eq!(l.mmd_read(7, 61), 0);
    // ... until autonegotiation restarts.
    l.modify(0, 0x0400, 0x1000 | 0x0200);
    assert_eq!(
        l.wait_link(Duration::from_secs(5)),
        Some(up(100, Duplex::Full))
    );
    assert_eq!(l.eee_is_active(100), (0x0006, true));
}

#[test]
fn unmodelled_registers_read_zero_and_are_noted_once() {
    let mut l = Linux::boot("marvell-88e1510", Medium::unplugged(), false);
    assert!(
        l.phy.take_unimplemented().is_empty(),
        "the driver's bring-up touches only modelled registers"
    );
    assert_eq!(l.read_paged(5, 20), 0);
    assert_eq!(l.read_paged(5, 20), 0);
    l.mmd_read(1, 0);
    let notes = l.phy.take_unimplemented();
    let targets: Vec<_> = notes.iter().map(|n| n.target).collect();
    assert_eq!(
        targets,
        [
            Target::C22 {
                page: Some(5),
                reg: 20
            },
            Target::Mmd { devad: 1, reg: 0 }
        ]
    );
}

#[test]
fn shorter_timing_is_honoured() {
    let fast = LinkTiming {
        autoneg: 100 * MS,
        link_1000: 10 * MS,
        ..LinkTiming::default()
    };
    let mut phy = build("marvell-88e1510", Instant::ZERO).unwrap();
    phy.set_link_timing(fast);
    phy.set_medium(Instant::ZERO, full_partner());
    phy.advance(Instant::ZERO + 110 * MS);
    assert!(phy.link_state().up);
}

// ---- cable test: VCT7 (--cable-test) and the VCT5 amplitude graph (--cable-test-tdr) ----

#[test]
fn vct7_reports_each_fault_with_its_distance_in_centimetres() {
    let medium = faulty(
        60.0,
        [
            Some((FaultKind::Open, 12.345)),
            Some((FaultKind::Short, 25.5)),
            Some((FaultKind::CrossShort, 40.0)),
            Some((FaultKind::ImpedanceMismatch, 7.0)),
        ],
    );
    let mut l = Linux::boot("marvell-88e1510", medium, false);
    assert_eq!(
        l.cable_test(),
        [
            result(Code::Open, Some(1235)),
            result(Code::SameShort, Some(2550)),
            result(Code::CrossShort, Some(4000)),
            // VCT7 has no mismatch code: too weak an echo to be an open.
            result(Code::Ok, None),
        ]
    );
}

#[test]
fn vct7_healthy_cable_reads_ok_and_the_link_comes_back_through_config_aneg() {
    let mut l = Linux::boot("marvell-88e1510", full_partner(), false);
    l.wait_link(Duration::from_secs(5)).expect("link");
    l.vct7_start();
    assert!(!l.phy.link_state().up, "the test's reset dropped the link");
    assert_eq!(l.read(0) & 0x1000, 0, "autonegotiation off");
    assert_eq!(l.vct7_get_status(), None, "first poll: in progress");
    l.sleep(1000 * MS);
    let r = l.vct7_get_status().expect("done a second later");
    assert!(r.iter().all(|p| *p == result(Code::Ok, None)), "{r:?}");
    // Forced 1000/full against a negotiating partner: the PHY alone brings no link back.
    l.sleep(5000 * MS);
    assert!(!l.phy.link_state().up);
    // phylib's config_aneg after the test turns autonegotiation back on.
    l.config_aneg();
    let restarted = l.now;
    let s = l.wait_link(Duration::from_secs(5)).expect("link back");
    assert_eq!((s.speed, s.duplex), (Some(1000), Some(Duplex::Full)));
    let t = LinkTiming::default();
    assert!(l.now.saturating_duration_since(restarted) >= t.autoneg + t.link_1000);
}

#[test]
fn vct7_unplugged_jack_is_open_at_the_connector() {
    let mut l = Linux::boot("marvell-88e1512", Medium::unplugged(), false);
    assert_eq!(
        l.cable_test(),
        std::array::from_fn(|_| result(Code::Open, Some(0)))
    );
}

#[test]
fn vct7_cable_without_partner_is_open_at_its_end() {
    let mut medium = full_partner();
    medium.cable.length_m = 37.5;
    medium.partner = None;
    let mut l = Linux::boot("marvell-88e1510", medium, true);
    assert_eq!(
        l.cable_test(),
        std::array::from_fn(|_| result(Code::Open, Some(3750)))
    );
}

#[test]
fn vct7_two_pair_cable_has_c_and_d_open_at_the_connector() {
    let mut medium = full_partner();
    medium.cable.pairs = 2;
    let mut l = Linux::boot("marvell-88e1510", medium, false);
    assert_eq!(
        l.cable_test(),
        [
            result(Code::Ok, None),
            result(Code::Ok, None),
            result(Code::Open, Some(0)),
            result(Code::Open, Some(0)),
        ]
    );
}

#[test]
fn vct7_lengths_in_metres_and_cross_pair_check_disabled() {
    let medium = faulty(
        80.0,
        [
            Some((FaultKind::Open, 12.6)),
            None,
            Some((FaultKind::CrossShort, 40.4)),
            None,
        ],
    );
    let mut l = Linux::boot("marvell-88e1510", medium, false);
    l.cable_test_start_common();
    l.write_paged(7, 21, 0x8000 | 0x2000 | 0x0400);
    l.sleep(10 * MS);
    assert_eq!(
        l.vct7_get_status().unwrap(),
        [
            result(Code::Open, Some(1300)),
            result(Code::Ok, None),
            // Judged by its own, inverted, echo.
            result(Code::SameShort, Some(4000)),
            result(Code::Ok, None),
        ]
    );
}

#[test]
fn vct7_takes_five_captures_holds_the_link_down_then_restarts_it() {
    let mut l = Linux::boot("marvell-88e1510", full_partner(), true);
    l.wait_link(Duration::from_secs(5)).expect("link");
    l.read(19);
    // Straight to RUN_NOW, autonegotiation still on.
    l.write(22, 7);
    l.write(21, 0x8000);
    let started = l.now;
    assert!(
        !l.phy.link_state().up,
        "test pulses replace the link at once"
    );
    assert!(l.phy.irq_asserted(), "link change interrupt");
    assert_eq!(l.read(21) & 0x8800, 0x8800, "run now, in progress");
    assert_eq!(l.read(20), 0, "invalid until done");
    // 5 captures (own echoes + one per transmitting pair) of 128 pulses of 4.096 us.
    let took = Duration::from_nanos(5 * 128 * 4096);
    l.sleep((started + (took - Duration::from_micros(50))).saturating_duration_since(l.now));
    assert_ne!(l.read(21) & 0x0800, 0, "still running");
    l.sleep(Duration::from_micros(100));
    assert_eq!(l.read(21) & 0x8800, 0, "done, run now self-cleared");
    assert_eq!(l.read(20), 0x1111, "all pairs OK");
    l.write(22, 0);
    // Autonegotiation was never turned off: the link comes back on its own.
    let t = LinkTiming::default();
    l.sleep(t.autoneg + t.link_1000 + MS);
    assert!(l.phy.link_state().up);
}

#[test]
fn soft_reset_or_power_down_during_vct7_leaves_no_result() {
    for interrupt in [0x8000u16, 0x0800] {
        let mut l = Linux::boot("marvell-88e1510", Medium::unplugged(), false);
        l.cable_test_start_common();
        l.write_paged(7, 21, 0x8000);
        let bmcr = l.read(0);
        l.write(0, bmcr | interrupt);
        assert_eq!(l.read_paged(7, 21) & 0x8800, 0, "test abandoned");
        l.sleep(10 * MS);
        assert_eq!(
            l.vct7_get_status(),
            Some(std::array::from_fn(|_| result(Code::Unspec, None)))
        );
    }
    // Powered down, the tester does not start.
    let mut l = Linux::boot("marvell-88e1510", Medium::unplugged(), false);
    l.modify(0, 0, 0x0800);
    l.write_paged(7, 21, 0x8000);
    assert_eq!(l.read_paged(7, 21) & 0x8800, 0);
    assert_eq!(l.read_paged(7, 20), 0);
}

#[test]
fn cable_pulled_during_vct7_shows_in_the_result() {
    let mut l = Linux::boot("marvell-88e1510", full_partner(), false);
    l.vct7_start();
    let mut medium = l.phy.medium().clone();
    medium.cable.connected = false;
    l.phy.set_medium(l.now, medium);
    assert!(!l.phy.link_state().up);
    l.sleep(10 * MS);
    assert_eq!(
        l.vct7_get_status().unwrap(),
        std::array::from_fn(|_| result(Code::Open, Some(0)))
    );
}

/// The sample with the strongest echo on `pair`, and its amplitude.
fn peak(graph: &[Amplitude], pair: u16) -> Amplitude {
    *graph
        .iter()
        .filter(|a| a.pair == pair)
        .max_by_key(|a| (a.mv.abs(), std::cmp::Reverse(a.distance)))
        .unwrap()
}

fn sample_of(m: f64) -> u16 {
    (m / 0.805).round() as u16
}

/// The echo peaks within one sample (80.5 cm, the part's resolution) of `m`: 7-bit amplitudes
/// tie near a broad pulse's apex.
fn peaks_at(p: Amplitude, m: f64) -> bool {
    p.distance.abs_diff(sample_of(m)) <= 1
}

#[test]
fn tdr_echo_peaks_at_each_fault_with_its_sign() {
    let medium = faulty(
        100.0,
        [
            Some((FaultKind::Open, 20.0)),
            Some((FaultKind::Short, 30.0)),
            Some((FaultKind::CrossShort, 45.0)),
            Some((FaultKind::ImpedanceMismatch, 10.0)),
        ],
    );
    let mut l = Linux::boot("marvell-88e1510", medium, false);
    // ethtool's defaults: 1 m to 150 m in steps of 1 m (VCT5 units 1..186, step 1).
    let graph = l.cable_test_tdr(100, 15000, 100);
    assert_eq!(graph.len(), 186 * 4);
    let (a, b, c, d) = (
        peak(&graph, 0),
        peak(&graph, 1),
        peak(&graph, 2),
        peak(&graph, 3),
    );
    assert!(peaks_at(a, 20.0), "{a:?}");
    assert!(peaks_at(b, 30.0), "{b:?}");
    assert!(peaks_at(c, 45.0), "{c:?}");
    assert!(peaks_at(d, 10.0), "{d:?}");
    assert!(
        a.mv > 0 && b.mv < 0 && c.mv < 0 && d.mv > 0,
        "{a:?} {b:?} {c:?} {d:?}"
    );
    assert!(
        c.mv.abs() < b.mv.abs(),
        "a cross-pair short reflects less than a short"
    );
    assert!(d.mv < a.mv / 2, "a mismatch reflects far less than an open");
    // Attenuated on the way: an open 20 m out comes back at 10^(-1.2/20) of 1000 mV = 871 mV,
    // less the sample point's offset from the fault and the 7.8 mV steps.
    assert!((a.mv - 871).abs() <= 16, "{a:?}");
    // Nothing away from the fault: beyond the pulse's reach (128 ns = 16 samples).
    for s in graph.iter().filter(|s| s.pair == 0) {
        if s.distance.abs_diff(sample_of(20.0)) > 16 {
            assert_eq!(s.mv, 0, "{s:?}");
        }
    }
}

#[test]
fn tdr_healthy_pairs_are_flat_and_an_unterminated_end_is_an_open() {
    let mut l = Linux::boot("marvell-88e1510", full_partner(), false);
    let graph = l.cable_test_tdr(100, 15000, 100);
    assert!(
        graph.iter().all(|s| s.mv == 0),
        "a partner terminates every pair"
    );

    let mut medium = full_partner();
    medium.cable.length_m = 60.0;
    medium.partner = None;
    let mut l = Linux::boot("marvell-88e1510", medium, false);
    let graph = l.cable_test_tdr(100, 15000, 100);
    for pair in 0..4 {
        let p = peak(&graph, pair);
        assert!(peaks_at(p, 60.0) && p.mv > 0, "{p:?}");
    }
}

#[test]
fn tdr_short_range_uses_the_32ns_pulse_for_a_sharp_near_echo() {
    let medium = faulty(30.0, [Some((FaultKind::Open, 4.0)), None, None, None]);
    let mut l = Linux::boot("marvell-88e1510", medium, false);
    // 0.5 m to 8 m in 81 cm steps (VCT5 units 0..9, step 1), pair A only.
    let tdr = l.tdr_start(50, 800, 81, Some(0));
    let graph = l.amplitude_graph(&tdr).unwrap();
    l.config_aneg();
    assert!(graph.iter().all(|s| s.pair == 0));
    assert!(peaks_at(peak(&graph, 0), 4.0));
    // 32 ns spans 4 samples each side: 0.5 m (sample 0) hears nothing of a fault at 4 m.
    assert_eq!(graph[0].distance, 0);
    assert_eq!(graph[0].mv, 0);
}

#[test]
fn tdr_measurement_completes_within_the_drivers_32_polls() {
    let medium = faulty(30.0, [Some((FaultKind::Short, 5.0)), None, None, None]);
    let mut l = Linux::boot("marvell-88e1510", medium, false);
    l.cable_test_start_common();
    l.write(22, 5);
    l.write(24, sample_of(5.0));
    l.write(23, 0x8000 | 0x0600 | 0x00c0 | 3);
    let started = l.now;
    let polls = (1..=32)
        .find(|_| l.read(23) & 0x4000 != 0)
        .expect("completes");
    // 128 pulses of 4.096 us: 524 us, 27 polls of 20 us.
    assert_eq!(polls, 27);
    assert!(l.now.saturating_duration_since(started) >= Duration::from_nanos(128 * 4096));
    assert_eq!(l.read(23) & 0x8000, 0, "enable self-clears");
    let v = l.read(16);
    assert_eq!(v & 0x8000, 0, "negative: a short");
    assert!((v & 0x7f00) >> 8 > 100, "{v:#06x}");
    // Rerunning clears complete until the new measurement is in.
    l.write(23, 0x8000 | 0x0600 | 0x00c0 | 3);
    assert_eq!(l.read(23) & 0xc000, 0x8000);
}

#[test]
fn tdr_maximum_peak_mode_finds_the_echo() {
    let medium = faulty(100.0, [None, Some((FaultKind::Open, 50.0)), None, None]);
    let mut l = Linux::boot("marvell-88e1510", medium, false);
    l.cable_test_start_common();
    l.write(22, 5);
    l.write(23, 0x8000 | 0x0600 | 3);
    l.sleep(MS);
    assert_eq!(l.read(23) & 0xc000, 0x4000);
    assert_eq!(l.read(16), 0x8000, "pair A terminated: no peak");
    let b = l.read(17);
    assert_eq!(b & 0x8000, 0x8000, "positive");
    assert_eq!(b & 0x00ff, sample_of(50.0), "at the open");
    l.write(22, 0);
}

// ---- invariants under random guest activity ----

#[derive(Clone, Debug)]
enum Act {
    Read(u8, u8),
    Write(u8, u8, u16),
    Wait(u64),
    Medium(MediumAct),
}

fn act() -> impl Strategy<Value = Act> {
    let page = prop_oneof![
        Just(0u8),
        Just(1),
        Just(2),
        Just(3),
        Just(5),
        Just(6),
        Just(7),
        Just(18)
    ];
    let reg = 0u8..32;
    prop_oneof![
        4 => (page.clone(), reg.clone()).prop_map(|(p, r)| Act::Read(p, r)),
        2 => (page, reg, any::<u16>()).prop_map(|(p, r, v)| Act::Write(p, r, v)),
        3 => props::wait_ms().prop_map(Act::Wait),
        1 => props::plug().prop_map(Act::Medium),
        1 => props::partner().prop_map(Act::Medium),
        1 => props::fault_anywhere().prop_map(Act::Medium),
    ]
}

fn check_invariants(phy: &Marvell151x) -> Result<(), TestCaseError> {
    let p = |page, reg| phy.peek(page, reg).unwrap();
    prop_assert_eq!((p(0, 2), p(0, 3)), (0x0141, 0x0dd0), "ID");
    prop_assert_eq!(p(0, 1) & 0xff4b, 0x7949 & 0xff4b, "BMSR abilities");
    let state = phy.link_state();
    let ssr = p(0, 17);
    prop_assert_eq!(ssr & 0x0400 != 0, state.up, "0_17 real-time link");
    prop_assert!(
        p(0, 1) & 0x0004 == 0 || state.up,
        "BMSR shows link only while up"
    );
    prop_assert!(
        p(0, 1) & 0x0020 == 0 || state.up,
        "AN complete only with link"
    );
    if state.up {
        prop_assert_ne!(ssr & 0x0800, 0, "resolved while up");
        let speed = match ssr & 0xc000 {
            0x8000 => Speed::S1000,
            0x4000 => Speed::S100,
            _ => Speed::S10,
        };
        prop_assert_eq!(Some(speed), state.speed);
        prop_assert_eq!(ssr & 0x2000 != 0, state.duplex == Some(Duplex::Full));
    }
    let stat1000 = p(0, 10);
    if state.up && state.speed == Some(Speed::S1000) {
        prop_assert_eq!(
            stat1000 & 0xb000,
            0x3000,
            "receivers OK, no M/S fault at 1000"
        );
    }
    if stat1000 & 0x4000 != 0 {
        prop_assert_eq!(ssr & 0xc800, 0x8800, "MASTER only with 1000BASE-T resolved");
    }
    let eee_lp = phy.peek_mmd(7, 61).unwrap();
    prop_assert_eq!(eee_lp & !0x0006, 0, "7.61: 100BASE-TX and 1000BASE-T only");
    if eee_lp != 0 {
        prop_assert_ne!(ssr & 0x1000, 0, "7.61 from the page exchange");
    }
    let tcr = p(3, 18);
    let expect_irq = tcr & 0x0080 != 0 && (tcr & 0x8000 != 0 || p(0, 19) & p(0, 18) != 0);
    prop_assert_eq!(phy.irq_asserted(), expect_irq, "INTn");
    let vct7 = p(7, 21);
    prop_assert_eq!(
        vct7 & 0x8000 != 0,
        vct7 & 0x0800 != 0,
        "run now while in progress"
    );
    if vct7 & 0x0800 != 0 || p(5, 23) & 0x8000 != 0 {
        prop_assert!(!state.up, "no link while test pulses run");
    }
    let codes = p(7, 20);
    prop_assert!(
        (0..4).all(|i| (codes >> (4 * i)) & 0xf <= 4),
        "VCT7 codes {:#06x}",
        codes
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn registers_stay_consistent(acts in proptest::collection::vec(act(), 1..120)) {
        let mut now = Instant::ZERO;
        let mut phy = Marvell151x::new(&M88E1510, now).unwrap();
        let mut medium = full_partner_pausing(Pause::Both);
        phy.set_medium(now, medium.clone());
        for a in acts {
            now = now + Duration::from_micros(50);
            match a {
                Act::Read(page, reg) => {
                    phy.c22_write(now, 22, u16::from(page));
                    let v = phy.c22_read(now, reg).unwrap();
                    if reg == 19 && page <= 2 {
                        prop_assert!(phy.peek(page, 19).is_none_or(|v| v == 0), "interrupt status clears on read");
                    }
                    if page == 0 && reg == 3 {
                        prop_assert_eq!(v, 0x0dd0);
                    }
                }
                Act::Write(page, reg, v) => {
                    phy.c22_write(now, 22, u16::from(page));
                    let before = phy.peek(page, 1);
                    phy.c22_write(now, reg, v);
                    if reg == 1 {
                        prop_assert_eq!(phy.peek(page, 1), before, "status registers ignore writes");
                    }
                }
                Act::Wait(ms) => {
                    props::wait(&mut phy, &mut now, ms)?;
                    if ms >= 6 {
                        prop_assert_eq!(phy.peek(7, 21).unwrap() & 0x8800, 0, "VCT7 done");
                        prop_assert_eq!(phy.peek(5, 23).unwrap() & 0x8000, 0, "VCT5 done");
                    }
                }
                Act::Medium(MediumAct::Partner(bits, autoneg)) => {
                    medium.partner = Some(props::gigabit_partner(bits, autoneg));
                    let changed = phy.medium() != &medium;
                    phy.set_medium(now, medium.clone());
                    if changed {
                        prop_assert_eq!(phy.peek_mmd(7, 61), Some(0), "7.61 clears when the link starts over");
                    }
                }
                Act::Medium(m) => m.apply(&mut phy, now, &mut medium)?,
            }
            check_invariants(&phy)?;
        }
    }
}
