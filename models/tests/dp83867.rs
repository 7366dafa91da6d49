//! The DP83867 model driven the way Linux's dp83867.c and phylib drive it (same registers,
//! order and waits), plus a property test of its register-level invariants.

mod common;

use common::bus::{phy_from_dump, Bus, C22};
use common::media::{configured, full_partner, full_partner_pausing, only};
use common::phylib::{self, Status, UP_1000_FULL};
use common::props::{self, c22::Act};
use common::{MS, US};
use phy_sim_models::medium::Cable;
use phy_sim_models::notes::Target;
use phy_sim_models::ti::{Dp83867, DP83867};
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
const CFG1: u8 = 0x09;
const STS1: u8 = 0x0a;
const PHYCR: u8 = 0x10;
const PHYSTS: u8 = 0x11;
const MICR: u8 = 0x12;
const ISR: u8 = 0x13;
const CFG2: u8 = 0x14;
const CFG3: u8 = 0x1e;
const CTRL: u8 = 0x1f;
const EXT: u16 = 0x1f;
/// dp83867_config_intr(): AN error, speed, duplex, AN complete, link, sleep mode.
const MICR_DRIVER: u16 = 0xec10;
const ISR_AN_ERROR: u16 = 0x8000;

/// The subset of phylib + dp83867.c (Linux 7.3) that touches the PHY, as register accesses.
struct Linux {
    phy: Box<dyn Phy>,
    now: Instant,
    /// The PHY's interrupt line is wired (phy_interrupt_is_valid()).
    irq: bool,
    polled_link: bool,
}

common::bus::c22_replay!(Linux, modify_writes_unchanged = true);

impl Linux {
    fn boot(medium: Medium, irq: bool) -> Linux {
        Linux::boot_phy(build("ti-dp83867", Instant::ZERO).unwrap(), medium, irq)
    }

    /// `boot` with the PHY started from a register dump.
    fn boot_from_dump(dump: &str, medium: Medium, irq: bool) -> Linux {
        Linux::boot_phy(phy_from_dump("ti-dp83867", dump), medium, irq)
    }

    fn boot_phy(mut phy: Box<dyn Phy>, medium: Medium, irq: bool) -> Linux {
        phy.set_medium(Instant::ZERO, medium);
        let mut l = Linux {
            phy,
            now: Instant::ZERO,
            irq,
            polled_link: false,
        };
        l.sleep(3000 * MS);
        l.probe();
        l.soft_reset();
        l.config_init();
        l.config_intr(false);
        // phylink: phy_eee_tx_clock_stop_capable().
        assert_eq!(l.mmd_read(3, 1) & 0x0040, 0, "no clock stop capability");
        // phy_start(): interrupts on, then autonegotiation.
        if irq {
            l.config_intr(true);
        }
        l.config_aneg();
        l
    }

    /// phy_device_create() / phy_probe(): ID, abilities, EEE abilities.
    fn probe(&mut self) {
        assert_eq!(self.phy_id() & 0xffff_fff0, 0x2000_a230, "dp83867.c binds");
        assert_eq!(self.read(BMSR) & 0xf900, 0x7900, "10/100 abilities");
        assert_eq!(self.read(0x0f) & 0x3000, 0x3000, "1000BASE-T FD/HD");
        assert_eq!(self.mmd_read(3, 20), 0x0006, "EEE abilities reported");
    }

    /// dp83867_phy_reset().
    fn soft_reset(&mut self) {
        self.write(CTRL, 0x8000);
        self.sleep(15 * US);
        self.modify(PHYCR, 0x0400, 0);
        self.mmd_write(EXT, 0x012c, 0x0e81);
        self.write(CTRL, 0x4000);
        self.sleep(15 * US);
    }

    /// dp83867_config_init() for phy-mode rgmii-id, no optional DT properties.
    fn config_init(&mut self) {
        self.modify(CFG2, 0x0300, 0x0300);
        // A strapped FLD leaves ENERGY_LOST_FLD_THR at 2; the driver restores 1.
        if self.mmd_read(EXT, 0x6f) & 0x0400 != 0 {
            let thr = self.mmd_read(EXT, 0x2e);
            self.mmd_write(EXT, 0x2e, (thr & !0x0007) | 0x0001);
        }
        let phycr = self.read(PHYCR);
        self.write(PHYCR, (phycr & !0xc800) | (1 << 14));
        let rgmii = self.mmd_read(EXT, 0x32);
        self.mmd_write(EXT, 0x32, (rgmii | 0x0080) | 0x0003);
        self.mmd_write(EXT, 0x86, 0x0077);
        let mut cfg3 = self.read(CFG3);
        if self.irq {
            cfg3 |= 0x0080;
        }
        self.write(CFG3, cfg3 | 0x0200);
    }

    fn config_intr(&mut self, enable: bool) {
        if enable {
            self.read(ISR);
            let micr = self.read(MICR);
            self.write(MICR, micr | MICR_DRIVER);
        } else {
            self.write(MICR, 0);
            self.read(ISR);
        }
    }

    /// dp83867_config_aneg(): auto MDI-X, then genphy_config_aneg() advertising everything.
    /// config_init's phy_disable_eee() left phylib without EEE, so
    /// genphy_c45_an_config_eee_aneg() clears 7.60 (100BASE-TX .. 10GBASE-KR bits).
    fn config_aneg(&mut self) {
        self.modify(PHYCR, 0x0060, 0x0060);
        let eee_adv = self.mmd_read(7, 60);
        let mut changed = eee_adv & 0x007e != 0;
        if changed {
            self.mmd_write(7, 60, eee_adv & !0x007e);
        }
        changed |= self.modify(ANAR, 0x0de0, 0x01e0 | 0x0400);
        self.read(BMSR);
        changed |= self.modify(CFG1, 0x0300, 0x0300);
        phylib::check_and_restart_aneg(self, changed);
    }

    /// dp83867_read_status(): PHYSTS, then genphy_read_status(), then speed/duplex from PHYSTS.
    fn read_status(&mut self) -> Status {
        let sts = self.read(PHYSTS);
        let (_, bmsr) = phylib::update_link(self, self.polled_link);
        let link = bmsr & 0x0004 != 0 && bmsr & 0x0020 != 0;
        if bmsr & 0x0020 != 0 {
            self.read(STS1);
            self.read(LPA);
        }
        self.polled_link = link;
        Status {
            link,
            speed: match sts & 0xc000 {
                0x8000 => 1000,
                0x4000 => 100,
                _ => 10,
            },
            duplex: if sts & 0x2000 != 0 {
                Duplex::Full
            } else {
                Duplex::Half
            },
        }
    }

    /// `ethtool -s master-slave ...`.
    fn set_master_slave(&mut self, ctl: u16) {
        phylib::setup_master_slave(self, ctl);
    }

    /// genphy_read_master_slave(): the `master-slave cfg` / `master-slave status` ethtool
    /// prints.
    fn read_master_slave(&mut self) -> (&'static str, &'static str) {
        phylib::read_master_slave(self, self.polled_link)
    }

    /// dp83867_handle_interrupt(): whether the state machine would be triggered.
    fn handle_interrupt(&mut self) -> bool {
        let status = self.read(ISR);
        let enabled = self.read(MICR);
        status & enabled != 0
    }

    /// phylib until the link is up (polling once a second, or on the interrupt), or `limit`.
    fn wait_link(&mut self, limit: Duration) -> Option<Status> {
        let (irq, end) = (self.irq, self.now + limit);
        phylib::wait_link(self, irq, end, Linux::handle_interrupt, |l| {
            Some(l.read_status()).filter(|s| s.link)
        })
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
        l.read(PHYSTS),
        0x8000 | 0x2000 | 0x1000 | 0x0800 | 0x0400,
        "PHYSTS: 1000, full, page received, resolved, link, MDI"
    );
    assert_eq!(l.read(STS1) & 0x7c00, 0x3000 | 0x0800 | 0x0400);
    assert_eq!(l.read(LPA), 0xc1e1, "LP base page: NP, ack, 10/100 all");
    let state = l.phy.link_state();
    assert!(state.up);
    assert_eq!(
        (state.speed, state.duplex),
        (Some(Speed::S1000), Some(Duplex::Full))
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
            l.read(STS1) & 0xf000,
            role | 0x3000,
            "STS1: no fault, role, receivers"
        );
        let status = if local_master { "master" } else { "slave" };
        assert_eq!(l.read_master_slave(), ("preferred slave", status));
    }
}

#[test]
fn forced_master_against_forced_master_is_a_configuration_fault() {
    let mut l = Linux::boot(configured(MasterSlave::Manual { master: true }, &[]), true);
    l.set_master_slave(0x1800);
    let t = LinkTiming::default();
    l.sleep(t.autoneg + 10 * MS);
    // The AN error interrupt (MICR.15) has phylib read the status: no link, fault.
    assert!(l.phy.irq_asserted());
    assert!(l.handle_interrupt());
    assert!(!l.read_status().link);
    assert_eq!(l.read_master_slave(), ("forced master", "resolution error"));
    assert_eq!(l.read(PHYSTS) & 0x0c00, 0, "not resolved, no link");
    l.sleep(t.gigabit_fail);
    assert_eq!(l.read(STS1) & 0x8000, 0x8000, "latched over the restart");
    assert_eq!(l.read(STS1) & 0x8000, 0);
    assert_eq!(l.wait_link(Duration::from_secs(10)), None);
    l.phy.set_medium(
        l.now,
        configured(MasterSlave::Manual { master: false }, &[]),
    );
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    assert_eq!(l.read_master_slave(), ("forced master", "master"));
    assert_eq!(
        l.read(ISR) & ISR_AN_ERROR,
        0,
        "no fault since the last ISR read"
    );
}

#[test]
fn eee_stays_off_but_the_partners_eee_page_still_arrives() {
    use LinkMode::{BaseT1000Full, BaseT100Full};
    let both = [BaseT100Full, BaseT1000Full];
    let mut l = Linux::boot(configured(LinkPartner::DEFAULT_MASTER_SLAVE, &both), false);
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    // phy_disable_eee(): nothing advertised (ethtool: "EEE status: not supported") and
    // phylib never reads 7.61, which still holds the partner's page, as on the part.
    assert_eq!(l.mmd_read(3, 20), 0x0006);
    assert_eq!(l.mmd_read(7, 60), 0);
    assert_eq!(l.mmd_read(7, 61), 0x0006);
    l.phy
        .set_medium(l.now, configured(LinkPartner::DEFAULT_MASTER_SLAVE, &[]));
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
    assert_eq!(l.mmd_read(7, 61), 0);
}

#[test]
fn partner_100_half_links_at_100_half() {
    let mut l = Linux::boot(only(LinkMode::BaseT100Half), false);
    let s = l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!((s.speed, s.duplex), (100, Duplex::Half));
    assert_eq!(l.read(LPA), 0x4081);
    assert_eq!(l.read(STS1) & 0x0c00, 0, "no 1000BASE-T abilities");
    assert_eq!(l.read(PHYSTS) & 0xec00, 0x4000 | 0x0800 | 0x0400);
}

#[test]
fn partner_10_full_links_at_10_full() {
    let mut l = Linux::boot(only(LinkMode::BaseT10Full), true);
    let s = l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!((s.speed, s.duplex), (10, Duplex::Full));
    assert_eq!(l.read(PHYSTS) & 0xec00, 0x2000 | 0x0800 | 0x0400);
}

#[test]
fn re_advertising_partner_is_followed() {
    let mut l = Linux::boot(full_partner(), false);
    assert_eq!(l.wait_link(Duration::from_secs(5)).unwrap().speed, 1000);
    l.phy.set_medium(l.now, only(LinkMode::BaseT100Half));
    assert_eq!(l.read(PHYSTS) & 0x0c00, 0, "dropped at once");
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
    assert_eq!(l.read(PHYSTS) & 0x0c00, 0, "PHYSTS is real time");
    l.sleep(10 * MS);
    medium.cable.connected = true;
    l.phy.set_medium(l.now, medium);
    l.sleep(3000 * MS);
    assert!(l.phy.link_state().up, "link came back");
    assert_eq!(l.read(BMSR) & 0x0004, 0, "latched low");
    assert_ne!(l.read(BMSR) & 0x0004, 0, "then the current state");
    assert_ne!(l.read(PHYSTS) & 0x0400, 0);
}

#[test]
fn interrupt_path_follows_isr_micr_and_int_oe() {
    let mut l = Linux::boot(full_partner(), true);
    l.wait_link(Duration::from_secs(5)).expect("link");
    let mut medium = l.phy.medium().clone();
    medium.cable.connected = false;
    l.phy.set_medium(l.now, medium.clone());
    assert!(l.phy.irq_asserted());
    let isr = l.read(ISR);
    assert_eq!(
        isr & 0x6400,
        0x6400,
        "link, speed and duplex changed: {isr:#06x}"
    );
    assert!(!l.phy.irq_asserted(), "reading ISR deasserts INTN");
    assert_eq!(l.read(ISR), 0, "clear on read");

    // Events latch whether or not they are enabled; INTN needs MICR and CFG3.INT_OE.
    l.write(MICR, 0);
    medium.cable.connected = true;
    l.phy.set_medium(l.now, medium);
    l.sleep(3000 * MS);
    assert!(!l.phy.irq_asserted(), "masked");
    l.write(MICR, MICR_DRIVER);
    assert!(l.phy.irq_asserted(), "pending link-up event now enabled");
    l.modify(CFG3, 0x0080, 0);
    assert!(!l.phy.irq_asserted(), "INTN/PWDNN is not an output");
    l.modify(CFG3, 0, 0x0080);
    assert!(l.handle_interrupt());
    assert!(!l.phy.irq_asserted());
}

#[test]
fn polled_phy_never_asserts_intn() {
    let mut l = Linux::boot(full_partner(), false);
    l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!(l.read(MICR), 0);
    assert_eq!(l.read(CFG3) & 0x0080, 0);
    assert!(!l.phy.irq_asserted());
}

#[test]
fn mid_autoneg_registers_agree() {
    let mut l = Linux::boot(full_partner(), false);
    let t = LinkTiming::default();
    l.modify(BMCR, 0, 0x0200);
    l.sleep(t.autoneg + t.link_1000 / 2);
    assert_eq!(
        l.read(PHYSTS) & 0xfc00,
        0x8000 | 0x2000 | 0x1000 | 0x0800,
        "resolved 1000/full, page received, no link"
    );
    assert_eq!(l.read(BMSR) & 0x0024, 0);
    assert!(!l.read_status().link);
}

#[test]
fn sw_reset_restores_every_register_and_restart_keeps_them() {
    let mut l = Linux::boot(full_partner(), true);
    l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!(l.mmd_read(EXT, 0x86), 0x0077);
    l.mmd_write(EXT, 0x86, 0x00a5);
    let micr = l.read(MICR);
    l.write(CTRL, 0x4000);
    assert_eq!(l.read(CTRL), 0, "restart self-clears");
    assert!(!l.phy.link_state().up, "restart drops the link");
    assert_eq!(l.read(MICR), micr, "restart keeps registers");
    assert_eq!(l.mmd_read(EXT, 0x86), 0x00a5);
    assert!(l.wait_link(Duration::from_secs(5)).is_some());

    l.write(CTRL, 0x8000);
    assert_eq!(l.read(CTRL), 0, "reset self-clears");
    assert_eq!(l.read(MICR), 0, "MICR back to reset");
    assert_eq!(l.read(CFG3), 0x0002, "CFG3 back to reset");
    assert_eq!(l.read(PHYCR), 0x5048);
    assert_eq!(l.read(CFG2), 0x29c7);
    assert_eq!(l.mmd_read(EXT, 0x86), 0x0077, "extended registers too");
    assert_eq!(l.mmd_read(EXT, 0x32), 0x00d3);
    assert!(!l.phy.irq_asserted());
    l.irq = false;
    assert!(l.wait_link(Duration::from_secs(5)).is_some(), "relinks");
}

#[test]
fn extended_registers_through_regcr_addar() {
    let mut l = Linux::boot(Medium::unplugged(), false);
    assert_eq!(l.mmd_read(EXT, 0x32) & 0x0083, 0x0083, "rgmii-id delays on");
    assert_eq!(l.mmd_read(EXT, 0x12c), 0x0e81);
    l.mmd_write(EXT, 0x6f, 0xffff);
    assert_eq!(l.mmd_read(EXT, 0x6f), 0, "strap status is read only");
    // Address function reads back the address.
    l.write(0x0d, EXT);
    l.write(0x0e, 0x0170);
    assert_eq!(l.read(0x0e), 0x0170);
    l.write(0x0d, 0x4000 | EXT);
    assert_eq!(l.read(0x0e), 0x0c10, "IO_MUX_CFG");
    // phy_disable_eee(): the advertisement is storage.
    l.mmd_write(7, 60, 0);
    assert_eq!(l.mmd_read(7, 60), 0);
}

#[test]
fn downshift_after_cfg2_attempts_on_two_pairs() {
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
    assert_ne!(l.read(PHYSTS) & 0x0080, 0, "speed optimisation status");
}

#[test]
fn power_down_drops_the_link_and_power_up_renegotiates() {
    let mut l = Linux::boot(full_partner(), false);
    l.wait_link(Duration::from_secs(5)).expect("link");
    l.modify(BMCR, 0, 0x0800);
    assert!(!l.phy.link_state().up);
    assert_eq!(l.read(PHYSTS), 0);
    l.sleep(5000 * MS);
    assert!(!l.phy.link_state().up);
    l.modify(BMCR, 0x0800, 0);
    assert!(l.wait_link(Duration::from_secs(5)).is_some());
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
    assert_eq!(l.read(PHYSTS) & 0xec00, 0x4000 | 0x2000 | 0x0800 | 0x0400);
    assert_eq!(l.read(BMSR) & 0x0020, 0, "no autonegotiation");
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
    l.mmd_read(EXT, 0x00fe);
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
                devad: 0x1f,
                reg: 0xfe
            }
        ]
    );
}

/// A register dump under dp83867.c: dp83867_phy_reset()'s CTRL.15 restores every
/// configuration register, so the dumped advertisement and delays are gone and the PHY links at
/// 1000/Full; what the part is survives (ID revision, strap status), and config_init acts on
/// the dumped FLD strap.
#[test]
fn a_dump_under_the_driver_keeps_only_what_the_part_is() {
    let dump = "3 = 0xa232\n4 = 0x0021\n9 = 0x0000\nmmd 31 reg 0x86 = 0x00a8\n\
                mmd 31 reg 0x6f = 0x0400\nmmd 31 reg 0x2e = 0x0002\n";
    let mut l = Linux::boot_from_dump(dump, full_partner(), false);
    assert_eq!(l.read(3), 0xa232);
    assert_eq!(l.mmd_read(EXT, 0x6f), 0x0400, "FLD strap");
    assert_eq!(l.mmd_read(EXT, 0x2e), 0x0001, "FLD threshold back to 1");
    assert_eq!(
        l.mmd_read(EXT, 0x86),
        0x0077,
        "delays as config_init wrote them"
    );
    assert_eq!(l.wait_link(Duration::from_secs(5)), Some(UP_1000_FULL));
}

// ---- invariants under random guest activity ----

fn check_invariants(phy: &Dp83867) -> Result<(), TestCaseError> {
    let p = |reg| phy.peek(reg).unwrap();
    prop_assert_eq!((p(2), p(3)), (0x2000, 0xa231), "ID");
    prop_assert_eq!(p(1) & 0xffc9, 0x7949, "BMSR abilities");
    let state = phy.link_state();
    let sts = p(0x11);
    prop_assert_eq!(sts & 0x0400 != 0, state.up, "PHYSTS real-time link");
    prop_assert!(p(1) & 0x0004 == 0 || state.up, "BMSR link only while up");
    prop_assert!(p(1) & 0x0020 == 0 || state.up, "AN complete only with link");
    if state.up {
        prop_assert_ne!(sts & 0x0800, 0, "resolved while up");
        let speed = match sts & 0xc000 {
            0x8000 => Speed::S1000,
            0x4000 => Speed::S100,
            _ => Speed::S10,
        };
        prop_assert_eq!(Some(speed), state.speed);
        prop_assert_eq!(sts & 0x2000 != 0, state.duplex == Some(Duplex::Full));
        prop_assert_eq!(p(0) & 0x0800, 0, "not powered down");
        if speed == Speed::S1000 {
            prop_assert_eq!(p(0x0a) & 0x8000, 0, "no M/S fault on a gigabit link");
        }
    }
    prop_assert_eq!(
        phy.peek_mmd(7, 61).unwrap() & !0x0006,
        0,
        "7.61: 100TX, 1000T only"
    );
    prop_assert_eq!(p(0x1f), 0, "CTRL self-clears at once");
    prop_assert_eq!(p(0) & 0x8200, 0, "BMCR reset / restart self-clear");
    let expect_irq = p(0x1e) & 0x0080 != 0 && p(0x13) & p(0x12) != 0;
    prop_assert_eq!(phy.irq_asserted(), expect_irq, "INTN");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn registers_stay_consistent(acts in proptest::collection::vec(props::c22::act(), 1..120)) {
        let mut now = Instant::ZERO;
        let mut phy = Dp83867::new(&DP83867, now).unwrap();
        let mut medium = full_partner_pausing(Pause::Both);
        phy.set_medium(now, medium.clone());
        for a in acts {
            now = now + Duration::from_micros(50);
            match a {
                Act::Read(reg) => {
                    let v = phy.c22_read(now, reg).unwrap();
                    match reg {
                        0x13 => prop_assert_eq!(phy.peek(0x13), Some(0), "ISR clears on read"),
                        0x02 => prop_assert_eq!(v, 0x2000),
                        _ => {}
                    }
                }
                Act::Write(reg, v) => {
                    let ro = [0x01u8, 0x02, 0x03, 0x05, 0x0f, 0x11, 0x17];
                    let before = phy.peek(reg);
                    phy.c22_write(now, reg, v);
                    if ro.contains(&reg) {
                        prop_assert_eq!(phy.peek(reg), before, "read-only register ignores writes");
                    }
                    if reg == 0x12 {
                        prop_assert_eq!(phy.peek(0x12), Some(v & 0xfd5f), "MICR stores its bits");
                    }
                }
                Act::Wait(ms) => props::wait(&mut phy, &mut now, ms)?,
                Act::Medium(m) => m.apply(&mut phy, now, &mut medium)?,
            }
            check_invariants(&phy)?;
        }
    }
}
