//! The AR8035 model driven the way Linux's at803x.c / qcom-phy-lib.c and phylib drive it
//! (same registers, order and waits), plus a property test of its register-level invariants.

use phy_sim_models::medium::{Cable, LinkModes};
use phy_sim_models::notes::Target;
use phy_sim_models::qualcomm::{Ar8035, AR8035, CDT_TIME};
use phy_sim_models::{
    build, Duplex, Instant, LinkMode, LinkPartner, LinkTiming, MdioDevice, Medium, Pause, Phy,
    Speed,
};
use proptest::prelude::*;
use std::time::Duration;

const MS: Duration = Duration::from_millis(1);
const US: Duration = Duration::from_micros(1);

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
}

#[derive(Debug, PartialEq, Eq)]
struct Status {
    link: bool,
    speed: u32,
    duplex: Duplex,
}

impl Linux {
    fn boot(medium: Medium, irq: bool) -> Linux {
        let mut phy = build("qualcomm-ar8035", Instant::ZERO).unwrap();
        phy.set_medium(Instant::ZERO, medium);
        let mut l = Linux {
            phy,
            now: Instant::ZERO,
            irq,
            link: false,
        };
        l.sleep(3000 * MS);
        l.probe();
        l.soft_reset();
        l.config_init();
        l.config_intr(false);
        if irq {
            l.config_intr(true);
        }
        l.config_aneg();
        l
    }

    fn read(&mut self, reg: u8) -> u16 {
        self.now = self.now + 20 * US;
        self.phy
            .c22_read(self.now, reg)
            .expect("the AR8035 answers Clause 22")
    }

    fn write(&mut self, reg: u8, v: u16) {
        self.now = self.now + 20 * US;
        self.phy.c22_write(self.now, reg, v);
    }

    fn modify(&mut self, reg: u8, mask: u16, set: u16) -> bool {
        let old = self.read(reg);
        let new = (old & !mask) | set;
        self.write(reg, new);
        old != new
    }

    fn mmd_read(&mut self, devad: u16, reg: u16) -> u16 {
        self.write(0x0d, devad);
        self.write(0x0e, reg);
        self.write(0x0d, devad | 0x4000);
        self.read(0x0e)
    }

    fn mmd_write(&mut self, devad: u16, reg: u16, v: u16) {
        self.write(0x0d, devad);
        self.write(0x0e, reg);
        self.write(0x0d, devad | 0x4000);
        self.write(0x0e, v);
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

    fn sleep(&mut self, d: Duration) {
        self.now = self.now + d;
        self.phy.advance(self.now);
    }

    /// phy_device_create() / phy_probe(): ID, genphy_read_abilities(), EEE abilities.
    fn probe(&mut self) {
        let id = (u32::from(self.read(2)) << 16) | u32::from(self.read(3));
        assert_eq!(id, 0x004d_d072, "PHY_ID_MATCH_EXACT(ATH8035_PHY_ID)");
        assert_eq!(self.read(BMSR) & 0xf908, 0x7908, "10/100, AN, ext status");
        assert_eq!(self.read(0x0f) & 0xf000, 0x2000, "1000BASE-T full only");
        assert_eq!(self.mmd_read(3, 20), 0x0006, "EEE abilities reported");
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

    /// at803x_config_aneg(): auto MDI-X (soft reset if changed), genphy_config_aneg().
    fn config_aneg(&mut self) {
        if self.modify(SFC, 0x0060, 0x0060) {
            self.soft_reset();
        }
        let mut changed = self.modify(ANAR, 0x0de0, 0x01e0 | 0x0c00);
        changed |= self.modify(CTRL1000, 0x0300, 0x0200);
        let bmcr = self.read(BMCR);
        if changed || bmcr & 0x1000 == 0 || bmcr & 0x0400 != 0 {
            self.modify(BMCR, 0x0400, 0x1000 | 0x0200);
        }
    }

    /// at803x_read_status(): genphy_update_link(), genphy_read_lpa(), 0x11 (and 0x10).
    fn read_status(&mut self) -> Option<Status> {
        let bmcr = self.read(BMCR);
        let mut bmsr = 0;
        if bmcr & 0x0200 == 0 {
            // genphy_update_link(): a latched-low link needs a second read.
            if !self.link {
                bmsr = self.read(BMSR);
            }
            if bmsr & 0x0004 == 0 {
                bmsr = self.read(BMSR);
            }
        }
        let old = self.link;
        self.link = bmsr & 0x0004 != 0;
        if old && self.link {
            return None;
        }
        if bmsr & 0x0020 != 0 {
            self.read(STAT1000);
            self.read(LPA);
        }
        let ss = self.read(PSSR);
        if ss & 0x0800 == 0 {
            return Some(Status {
                link: self.link,
                speed: 0,
                duplex: Duplex::Half,
            });
        }
        self.read(SFC);
        Some(Status {
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
        })
    }

    /// at803x_handle_interrupt(): whether the state machine would be triggered.
    fn handle_interrupt(&mut self) -> bool {
        let status = self.read(INT_ST);
        let enabled = self.read(INT_EN);
        status & enabled != 0
    }

    /// phylib until the link is up (polling once a second, or on the interrupt), or `limit`.
    fn wait_link(&mut self, limit: Duration) -> Option<Status> {
        let end = self.now + limit;
        while self.now < end {
            if self.irq {
                match self.phy.next_deadline() {
                    Some(d) if d <= end => self.sleep(d.saturating_duration_since(self.now)),
                    _ => return None,
                }
                if self.phy.irq_asserted() && self.handle_interrupt() {
                    if let Some(s) = self.read_status().filter(|s| s.link) {
                        return Some(s);
                    }
                }
            } else {
                self.sleep(1000 * MS);
                if let Some(s) = self.read_status().filter(|s| s.link) {
                    return Some(s);
                }
            }
        }
        None
    }
}

fn full_partner() -> Medium {
    Medium::cable_to(LinkPartner::negotiating(LinkModes::all()), 5.0)
}

fn only(m: LinkMode) -> Medium {
    Medium::cable_to(LinkPartner::negotiating([m].into_iter().collect()), 5.0)
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
    let medium = Medium::cable_to(
        LinkPartner {
            pause: Pause::Both,
            ..LinkPartner::negotiating(LinkModes::all())
        },
        5.0,
    );
    let mut l = Linux::boot(medium, false);
    l.wait_link(Duration::from_secs(5)).expect("link");
    assert_eq!(l.read(PSSR) & 0x000c, 0x000c, "TX and RX pause");
    assert_eq!(l.read(LPA) & 0x0c00, 0x0c00);
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

/// at8031_cable_test_start() then at803x_cable_test_get_status() for one pair.
fn cable_test_pair(l: &mut Linux, pair: u16) -> u16 {
    l.write(CDT, (pair << 8) | 1);
    let mut waited = Duration::ZERO;
    loop {
        l.sleep(30 * MS);
        waited += 30 * MS;
        if l.read(CDT) & 1 == 0 {
            break;
        }
        assert!(
            waited < 100 * MS,
            "CDT completes within the driver's timeout"
        );
    }
    l.read(CDT_STATUS)
}

#[test]
fn cable_test_reports_open_pairs_and_length() {
    let mut medium = Medium::cable_to(LinkPartner::negotiating(LinkModes::all()), 41.2);
    medium.cable.pairs = 2;
    let mut l = Linux::boot(medium, false);
    l.wait_link(Duration::from_secs(30)).expect("link");
    l.write(BMCR, 0x1000);
    l.write(ANAR, 0x0001);
    l.write(CTRL1000, 0);
    l.write(CDT, 0x0001);
    assert!(!l.phy.link_state().up, "the test breaks the link");
    l.sleep(CDT_TIME / 2);
    assert_eq!(l.read(CDT) & 1, 1, "still running");
    l.sleep(CDT_TIME);
    assert_eq!(l.read(CDT_STATUS), 0x0000, "pair A normal");
    assert_eq!(cable_test_pair(&mut l, 1), 0x0000, "pair B normal");
    assert_eq!(
        cable_test_pair(&mut l, 2),
        0x0200 | 50,
        "pair C open at 41.2 m"
    );
    assert_eq!(cable_test_pair(&mut l, 3), 0x0200 | 50);
    l.phy.set_medium(l.now, Medium::unplugged());
    assert_eq!(cable_test_pair(&mut l, 0), 0x0200, "no cable: open at 0 m");
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
    // phy_disable_eee(): the advertisement is storage.
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

#[derive(Clone, Debug)]
enum Act {
    Read(u8),
    Write(u8, u16),
    Wait(u64),
    Plug(bool),
    Partner(u8, bool),
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        4 => (0u8..32).prop_map(Act::Read),
        2 => (0u8..32, any::<u16>()).prop_map(|(r, v)| Act::Write(r, v)),
        3 => (0u64..3_000).prop_map(Act::Wait),
        1 => any::<bool>().prop_map(Act::Plug),
        1 => (any::<u8>(), any::<bool>()).prop_map(|(m, an)| Act::Partner(m & 0x3f, an)),
    ]
}

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
            prop_assert_eq!(p(0x0a) & 0x3000, 0x3000, "receivers OK");
        }
    } else {
        prop_assert_eq!(ss & 0x000c, 0, "no pause without link");
    }
    prop_assert_eq!(p(0) & 0x0200, 0, "restart AN self-clears at once");
    let expect_irq = p(0x13) & p(0x12) != 0;
    prop_assert_eq!(phy.irq_asserted(), expect_irq, "INT");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn registers_stay_consistent(acts in proptest::collection::vec(act(), 1..120)) {
        let mut now = Instant::ZERO;
        let mut phy = Ar8035::new(&AR8035, now).unwrap();
        let mut medium = Medium::cable_to(
            LinkPartner { pause: Pause::Both, ..LinkPartner::negotiating(LinkModes::all()) },
            5.0,
        );
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
                    now = now + Duration::from_millis(ms);
                    phy.advance(now);
                    prop_assert!(phy.next_deadline().is_none_or(|d| d > now));
                    if ms >= 1 {
                        prop_assert_eq!(phy.peek(0).unwrap() & 0x8000, 0, "reset completed");
                    }
                }
                Act::Plug(connected) => {
                    medium.cable.connected = connected;
                    phy.set_medium(now, medium.clone());
                    if !connected {
                        prop_assert!(!phy.link_state().up, "unplug drops the link at once");
                    }
                }
                Act::Partner(modes, autoneg) => {
                    let advertise: LinkModes = LinkMode::ALL
                        .into_iter()
                        .enumerate()
                        .filter(|(i, _)| *i < 8 && modes & (1u8 << i) != 0)
                        .map(|(_, m)| m)
                        .collect();
                    medium.partner = Some(if autoneg {
                        LinkPartner::negotiating(advertise)
                    } else {
                        LinkPartner::forcing(
                            advertise.highest().map_or(Speed::S10, LinkMode::speed),
                            Duplex::Full,
                        )
                    });
                    phy.set_medium(now, medium.clone());
                }
            }
            check_invariants(&phy)?;
        }
    }
}
