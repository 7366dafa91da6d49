//! The YT8521 model driven the way Linux's motorcomm.c and phylib drive it (same registers,
//! order and waits), plus a property test of its register-level invariants.

mod common;

use common::bus::{phy_from_dump, Bus, C22};
use common::media::{configured, full_partner, full_partner_pausing, only};
use common::phylib::{self, Status};
use common::props::{self, MediumAct};
use common::MS;
use phy_sim_models::motorcomm::{irq, Yt8521, YT8521};
use phy_sim_models::notes::Target;
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
const SSR: u8 = 0x11;
const INT_EN: u8 = 0x12;
const INT_ST: u8 = 0x13;

const SPACE_SELECT: u16 = 0xa000;
const CHIP_CONFIG: u16 = 0xa001;
const RGMII_CONFIG1: u16 = 0xa003;
const WOL_CONFIG: u16 = 0xa00a;
const SYNCE_CFG: u16 = 0xa012;
const SLEEP_CONTROL1: u16 = 0x27;

/// The subset of phylib + motorcomm.c (Linux 7.3) that touches a YT8521 in UTP_TO_RGMII mode.
struct Linux {
    phy: Box<dyn Phy>,
    now: Instant,
    /// priv->reg_page as yt8521_probe() chose it.
    reg_page: u16,
    link: bool,
}

common::bus::c22_replay!(Linux, modify_writes_unchanged = true);

impl Linux {
    fn boot(medium: Medium) -> Linux {
        Linux::boot_phy(build("motorcomm-yt8521", Instant::ZERO).unwrap(), medium)
    }

    /// `boot` with the PHY started from a register dump.
    fn boot_from_dump(dump: &str, medium: Medium) -> Linux {
        Linux::boot_phy(phy_from_dump("motorcomm-yt8521", dump), medium)
    }

    fn boot_phy(mut phy: Box<dyn Phy>, medium: Medium) -> Linux {
        phy.set_medium(Instant::ZERO, medium);
        let mut l = Linux {
            phy,
            now: Instant::ZERO,
            reg_page: 0xff,
            link: false,
        };
        l.sleep(3000 * MS);
        l.probe();
        l.get_features();
        l.soft_reset();
        l.config_init();
        l.config_aneg();
        l
    }

    /// ytphy_read_ext().
    fn ext_read(&mut self, reg: u16) -> u16 {
        self.write(0x1e, reg);
        self.read(0x1f)
    }

    /// ytphy_write_ext().
    fn ext_write(&mut self, reg: u16, v: u16) {
        self.write(0x1e, reg);
        self.write(0x1f, v);
    }

    /// ytphy_modify_ext().
    fn ext_modify(&mut self, reg: u16, mask: u16, set: u16) {
        self.write(0x1e, reg);
        self.modify(0x1f, mask, set);
    }

    /// phy_select_page(): yt8521_read_page(), yt8521_write_page() if it differs.
    fn select_page(&mut self, page: u16) -> u16 {
        let old = self.ext_read(SPACE_SELECT) & 0x0002;
        if old != page {
            self.ext_modify(SPACE_SELECT, 0x0002, page & 0x0002);
        }
        old
    }

    /// phy_restore_page(): always writes the old page back.
    fn restore_page(&mut self, old: u16) {
        self.ext_modify(SPACE_SELECT, 0x0002, old & 0x0002);
    }

    /// The bus scan and yt8521_probe() with no DT properties (clock output disabled).
    fn probe(&mut self) {
        assert_eq!(
            self.phy_id(),
            0x0000_011a,
            "PHY_ID_MATCH_EXACT(PHY_ID_YT8521)"
        );
        let chip_config = self.ext_read(CHIP_CONFIG);
        assert_eq!(chip_config & 0x7, 0, "strapped UTP_TO_RGMII");
        self.reg_page = 0;
        self.ext_write(SPACE_SELECT, self.reg_page);
        self.ext_modify(SYNCE_CFG, 0x0020, 0);
    }

    /// yt8521_get_features() (ytphy_utp_read_abilities). With `get_features` phy_probe()
    /// reads no EEE abilities: phylib knows no EEE for the YT8521 and never touches 3.20,
    /// 7.60 or 7.61 (`ethtool --show-eee`: "not supported").
    fn get_features(&mut self) {
        let old = self.select_page(self.reg_page);
        assert_eq!(self.read(BMSR) & 0xf909, 0x7909, "10/100, AN, ext status");
        assert_eq!(self.read(0x0f) & 0xf000, 0x2000, "1000BASE-T full only");
        self.restore_page(old);
    }

    /// yt8521_soft_reset(): BMCR.15 on the UTP page, polled every ~1 ms.
    fn soft_reset(&mut self) {
        let old = self.select_page(self.reg_page);
        self.modify(BMCR, 0, 0x8000);
        loop {
            self.sleep(MS);
            if self.read(BMCR) & 0x8000 == 0 {
                break;
            }
        }
        self.restore_page(old);
    }

    /// yt8521_config_init() for phy-mode rgmii-id, no DT properties.
    fn config_init(&mut self) {
        let old = self.select_page(0);
        self.ext_modify(CHIP_CONFIG, 0x0100, 0);
        self.ext_modify(RGMII_CONFIG1, 0x3c0f, (13 << 10) | 13);
        self.restore_page(old);
    }

    /// yt8521_config_aneg() → ytphy_utp_config_aneg() advertising everything.
    fn config_aneg(&mut self) {
        let old = self.select_page(self.reg_page);
        let mut changed = self.modify(ANAR, 0x0fe0, 0x01e0 | 0x0c00);
        if self.read(BMSR) & 0x0100 != 0 {
            changed |= self.modify(CTRL1000, 0x0300, 0x0200);
        }
        phylib::check_and_restart_aneg(self, changed);
        self.restore_page(old);
    }

    /// yt8521_read_status() → yt8521_read_status_paged(UTP).
    fn read_status(&mut self) -> Status {
        let old = self.select_page(self.reg_page);
        let ss = self.read(SSR);
        let link = ss & 0x0400 != 0;
        let an_complete = self.read(BMSR) & 0x0020 != 0;
        let mut st = Status {
            link,
            ..Status::DOWN
        };
        if link {
            st.speed = match ss & 0xc200 {
                0x0000 => 10,
                0x4000 => 100,
                0x8000 => 1000,
                other => panic!("speed code {other:#x}"),
            };
            st.duplex = if ss & 0x2000 != 0 {
                Duplex::Full
            } else {
                Duplex::Half
            };
            if an_complete {
                phylib::read_lpa(self);
            }
        }
        self.restore_page(old);
        self.link = link;
        st
    }

    /// `ethtool -s master-slave ...`: ytphy_utp_config_aneg() runs ytphy_setup_master_slave()
    /// on the UTP page and restarts autonegotiation when that changed anything.
    fn set_master_slave(&mut self, ctl: u16) {
        let old = self.select_page(self.reg_page);
        phylib::setup_master_slave(self, ctl);
        self.restore_page(old);
    }

    /// yt8521_suspend() (WOL off).
    fn suspend(&mut self) {
        assert_eq!(self.ext_read(WOL_CONFIG) & 0x0008, 0);
        let old = self.select_page(self.reg_page);
        self.modify(BMCR, 0, 0x0800);
        self.restore_page(old);
    }

    /// yt8521_resume().
    fn resume(&mut self) {
        self.ext_modify(SLEEP_CONTROL1, 0x8000, 0);
        assert_eq!(self.ext_read(WOL_CONFIG) & 0x0008, 0);
        let old = self.select_page(self.reg_page);
        self.modify(BMCR, 0x0800, 0);
        self.restore_page(old);
    }

    /// phylib polling once a second until the link is up, or `limit`.
    fn wait_link(&mut self, limit: Duration) -> Option<Status> {
        let end = self.now + limit;
        phylib::wait_link(
            self,
            false,
            end,
            |_| unreachable!("polled"),
            |l| Some(l.read_status()).filter(|s| s.link),
        )
    }
}

#[test]
fn bring_up_touches_only_modelled_registers_and_sets_up_rgmii() {
    let mut l = Linux::boot(Medium::unplugged());
    assert!(l.phy.take_unimplemented().is_empty());
    assert_eq!(
        l.ext_read(CHIP_CONFIG) & 0x0107,
        0,
        "RXC delay off, UTP_TO_RGMII"
    );
    assert_eq!(
        l.ext_read(RGMII_CONFIG1) & 0x3c0f,
        (13 << 10) | 13,
        "1.95 ns"
    );
    assert_eq!(l.ext_read(SYNCE_CFG) & 0x0020, 0, "clock output off");
    assert_eq!(l.ext_read(SPACE_SELECT), 0, "UTP space");
}

#[test]
fn a_partner_forcing_master_or_slave_decides_the_role() {
    for (partner_master, local_master) in [(true, false), (false, true)] {
        let ms = MasterSlave::Manual {
            master: partner_master,
        };
        let mut l = Linux::boot(configured(ms, &[]));
        let s = l.wait_link(5000 * MS).expect("links");
        assert_eq!((s.speed, s.duplex), (1000, Duplex::Full));
        // motorcomm.c reads no master/slave state (ethtool shows none); 10.14 has it.
        let role = if local_master { 0x4000 } else { 0 };
        assert_eq!(
            l.read(STAT1000) & 0xf000,
            role | 0x3000,
            "no fault, role, receivers"
        );
    }
}

#[test]
fn forced_master_against_forced_master_is_a_configuration_fault() {
    let mut l = Linux::boot(configured(MasterSlave::Manual { master: true }, &[]));
    l.set_master_slave(0x1800);
    let t = LinkTiming::default();
    l.sleep(t.autoneg + 10 * MS);
    assert!(!l.read_status().link);
    assert_eq!(l.read(STAT1000) & 0x8000, 0x8000, "10.15");
    assert_eq!(l.read(BMSR) & 0x0020, 0, "autonegotiation not complete");
    assert_ne!(l.read(INT_ST) & irq::AN_ERROR, 0);
    l.sleep(t.gigabit_fail);
    assert_eq!(
        l.read(STAT1000) & 0x8000,
        0x8000,
        "latched over the restart"
    );
    assert_eq!(l.read(STAT1000) & 0x8000, 0);
    assert!(l.wait_link(10_000 * MS).is_none());
    l.phy.set_medium(
        l.now,
        configured(MasterSlave::Manual { master: false }, &[]),
    );
    l.wait_link(5000 * MS).expect("links");
    assert_eq!(l.read(STAT1000) & 0xc000, 0x4000, "master, no fault");
}

#[test]
fn eee_is_advertised_from_reset_and_the_partners_page_arrives() {
    use LinkMode::{BaseT1000Full, BaseT100Full};
    let both = [BaseT100Full, BaseT1000Full];
    let mut l = Linux::boot(configured(LinkPartner::DEFAULT_MASTER_SLAVE, &both));
    l.wait_link(5000 * MS).expect("links");
    // Linux never writes 7.60: the part advertises its reset value.
    assert_eq!(l.mmd_read(7, 60), 0x0006);
    assert_eq!(l.mmd_read(7, 61), 0x0006);
    l.phy.set_medium(
        l.now,
        configured(LinkPartner::DEFAULT_MASTER_SLAVE, &[BaseT100Full]),
    );
    l.wait_link(5000 * MS).expect("links");
    assert_eq!(l.mmd_read(7, 61), 0x0002);
}

#[test]
fn partner_1000_full_links_at_1000_full_after_the_autoneg_delay() {
    let mut l = Linux::boot(full_partner());
    let started = l.now;
    let t = LinkTiming::default();
    l.sleep(t.autoneg + t.link_1000 - 2 * MS);
    assert!(!l.read_status().link, "not before autoneg + training");
    let s = l.wait_link(3000 * MS).expect("links");
    assert_eq!((s.speed, s.duplex), (1000, Duplex::Full));
    assert!(l.now.saturating_duration_since(started) >= t.autoneg + t.link_1000);
    let st = l.phy.link_state();
    assert_eq!(
        (st.up, st.speed, st.duplex),
        (true, Some(Speed::S1000), Some(Duplex::Full))
    );
    assert_eq!(
        l.read(STAT1000) & 0x3800,
        0x3800,
        "receivers OK, LP 1000 full"
    );
}

#[test]
fn partner_100_half_and_10_full_link_at_their_speed() {
    let mut l = Linux::boot(only(LinkMode::BaseT100Half));
    let s = l.wait_link(5000 * MS).unwrap();
    assert_eq!((s.speed, s.duplex), (100, Duplex::Half));
    let mut l = Linux::boot(only(LinkMode::BaseT10Full));
    let s = l.wait_link(5000 * MS).unwrap();
    assert_eq!((s.speed, s.duplex), (10, Duplex::Full));
}

#[test]
fn pause_resolution_shows_in_ssr() {
    let mut l = Linux::boot(full_partner_pausing(Pause::Both));
    l.wait_link(5000 * MS).unwrap();
    assert_eq!(l.read(SSR) & 0x000c, 0x000c, "TX and RX pause");
    assert_ne!(l.read(LPA) & 0x0400, 0, "partner pause");
}

#[test]
fn a_flap_drops_at_once_and_relinks() {
    let mut l = Linux::boot(full_partner());
    l.wait_link(5000 * MS).unwrap();
    l.now = l.now + MS;
    l.phy.set_medium(l.now, Medium::unplugged());
    assert!(!l.read_status().link, "0x11 link is real time");
    assert_ne!(l.read(INT_ST) & 0x0800, 0, "link failed latched");
    assert_eq!(l.read(INT_ST), 0, "clear on read");
    l.now = l.now + MS;
    l.phy.set_medium(l.now, full_partner());
    let s = l.wait_link(5000 * MS).unwrap();
    assert_eq!(s.speed, 1000);
}

#[test]
fn suspend_drops_the_link_and_resume_renegotiates() {
    let mut l = Linux::boot(full_partner());
    l.wait_link(5000 * MS).unwrap();
    l.suspend();
    assert!(!l.phy.link_state().up);
    l.sleep(5000 * MS);
    assert!(!l.read_status().link);
    l.resume();
    assert_eq!(l.ext_read(SLEEP_CONTROL1) & 0x8000, 0, "auto sleep off");
    let s = l.wait_link(5000 * MS).unwrap();
    assert_eq!(s.speed, 1000);
}

#[test]
fn soft_reset_keeps_registers_and_relinks() {
    let mut l = Linux::boot(only(LinkMode::BaseT100Full));
    l.wait_link(5000 * MS).unwrap();
    l.write(INT_EN, 0x0c00);
    l.soft_reset();
    assert!(!l.phy.link_state().up || l.read(SSR) & 0x0400 != 0);
    assert_eq!(l.read(INT_EN), 0x0c00, "kept");
    assert_eq!(l.ext_read(RGMII_CONFIG1) & 0x3c0f, (13 << 10) | 13, "kept");
    let s = l.wait_link(5000 * MS).unwrap();
    assert_eq!((s.speed, s.duplex), (100, Duplex::Full));
}

#[test]
fn fiber_space_never_links_and_hides_utp_status() {
    let mut l = Linux::boot(full_partner());
    l.wait_link(5000 * MS).unwrap();
    let old = l.select_page(0x0002);
    assert_eq!(l.read(SSR), 0, "fiber status: nothing");
    assert_eq!(l.read(BMSR) & 0x0024, 0, "fiber BMSR: no link");
    assert_eq!(l.read(2), 0, "ID is common");
    assert_eq!(l.read(3), 0x011a);
    l.restore_page(old);
    assert_ne!(l.read(SSR) & 0x0400, 0, "UTP status again");
}

#[test]
fn interrupt_status_follows_the_link_and_int_follows_enable() {
    let mut l = Linux::boot(full_partner());
    l.read(INT_ST);
    l.write(INT_EN, 0x0400);
    assert!(!l.phy.irq_asserted());
    l.wait_link(5000 * MS).unwrap();
    assert!(l.phy.irq_asserted(), "link success enabled");
    assert_ne!(l.read(INT_ST) & 0x0400, 0);
    assert!(!l.phy.irq_asserted(), "cleared by the read");
}

#[test]
fn forced_100_full_applies_at_once() {
    let mut l = Linux::boot(Medium::cable_to(
        LinkPartner::forcing(Speed::S100, Duplex::Full),
        5.0,
    ));
    l.write(BMCR, 0x2100);
    let s = l.wait_link(3000 * MS).unwrap();
    assert_eq!((s.speed, s.duplex), (100, Duplex::Full));
    assert_ne!(l.read(SSR) & 0x0800, 0, "resolved");
}

#[test]
fn unmodelled_registers_read_zero_and_are_noted_once() {
    let mut l = Linux::boot(Medium::unplugged());
    assert!(l.phy.take_unimplemented().is_empty());
    assert_eq!(l.read(0x1b), 0);
    assert_eq!(l.read(0x1b), 0);
    assert_eq!(l.ext_read(0xa010), 0, "YT8531S pad drive strength");
    assert_eq!(l.ext_read(0xa010), 0);
    l.ext_write(0x0040, 1);
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
                page: Some(0),
                reg: 0x1b
            },
            Target::Mmd {
                devad: 0,
                reg: 0xa010
            },
            Target::Mmd {
                devad: 0,
                reg: 0x0040
            },
        ]
    );
}

/// A bootloader's "speed auto downgrade" off (0x14 bit 5, from a register dump) survives
/// motorcomm.c, which never writes 0x14 for the YT8521, and its soft reset, which keeps every
/// register: on two pairs the PHY keeps trying 1000BASE-T, where the same PHY without the dump
/// downshifts to 100/Full.
#[test]
fn a_dumped_downgrade_off_survives_the_driver() {
    let mut medium = full_partner();
    medium.cable.pairs = 2;
    let mut dumped = Linux::boot_from_dump("0x14 = 0x000c\n", medium.clone());
    assert_eq!(dumped.read(0x14), 0x000c);
    assert!(dumped.wait_link(Duration::from_secs(30)).is_none());

    let mut plain = Linux::boot(medium);
    let s = plain
        .wait_link(Duration::from_secs(30))
        .expect("downshifted");
    assert_eq!((s.speed, s.duplex), (100, Duplex::Full));
}

// ---- invariants under random guest activity ----

#[derive(Clone, Debug)]
enum Act {
    Read(u8),
    Write(u8, u16),
    Ext(u16, Option<u16>),
    Wait(u64),
    Medium(MediumAct),
}

fn act() -> impl Strategy<Value = Act> {
    let ext_regs = prop_oneof![
        Just(0xa000u16),
        Just(0xa001),
        Just(0xa003),
        Just(0xa00a),
        Just(0xa012),
        Just(0x000c),
        Just(0x0027),
        any::<u16>(),
    ];
    prop_oneof![
        4 => (0u8..32).prop_map(Act::Read),
        2 => (0u8..30, any::<u16>()).prop_map(|(r, v)| Act::Write(r, v)),
        2 => (ext_regs, proptest::option::of(any::<u16>())).prop_map(|(r, v)| Act::Ext(r, v)),
        3 => props::wait_ms().prop_map(Act::Wait),
        1 => props::plug().prop_map(Act::Medium),
        1 => props::partner().prop_map(Act::Medium),
    ]
}

fn check_invariants(phy: &Yt8521) -> Result<(), TestCaseError> {
    let p = |reg| phy.peek(0, reg).unwrap();
    prop_assert_eq!((p(2), p(3)), (0x0000, 0x011a), "ID");
    prop_assert_eq!(p(1) & 0xffc9, 0x7949, "BMSR abilities");
    prop_assert_eq!(p(0x0f), 0x2000, "ESTATUS");
    prop_assert_eq!(phy.peek(1, 0x11), Some(0), "fiber never links");
    let state = phy.link_state();
    let ss = p(0x11);
    prop_assert_eq!(ss & 0x0400 != 0, state.up, "0x11 real-time link");
    prop_assert_eq!(ss & 0x0200, 0, "never the 2500 code");
    prop_assert!(p(1) & 0x0004 == 0 || state.up, "BMSR link only while up");
    prop_assert!(p(1) & 0x0020 == 0 || state.up, "AN complete only with link");
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
    prop_assert_eq!(p(0) & 0x0200, 0, "restart AN self-clears at once");
    prop_assert_eq!(
        phy.irq_asserted(),
        p(0x13) & p(0x12) != 0,
        "INT = status & enable"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn registers_stay_consistent(acts in proptest::collection::vec(act(), 1..120)) {
        let mut now = Instant::ZERO;
        let mut phy = Yt8521::new(&YT8521, now).unwrap();
        let mut medium = full_partner_pausing(Pause::Both);
        phy.set_medium(now, medium.clone());
        for a in acts {
            now = now + Duration::from_micros(50);
            match a {
                Act::Read(reg) => {
                    let space = phy.space();
                    let v = phy.c22_read(now, reg).unwrap();
                    match reg {
                        0x13 => prop_assert_eq!(phy.peek(space, 0x13), Some(0), "clear on read"),
                        0x03 => prop_assert_eq!(v, 0x011a),
                        _ => {}
                    }
                }
                Act::Write(reg, v) => {
                    let ro = [0x01u8, 0x02, 0x03, 0x05, 0x0f, 0x11];
                    let space = phy.space();
                    let before = phy.peek(space, reg);
                    phy.c22_write(now, reg, v);
                    if ro.contains(&reg) {
                        prop_assert_eq!(phy.peek(space, reg), before, "read-only ignores writes");
                    }
                    if reg == 0x12 {
                        prop_assert_eq!(phy.peek(space, 0x12), Some(v & 0xfc6f));
                    }
                }
                Act::Ext(reg, v) => {
                    phy.c22_write(now, 0x1e, reg);
                    now = now + Duration::from_micros(20);
                    match v {
                        Some(v) => phy.c22_write(now, 0x1f, v),
                        None => {
                            let got = phy.c22_read(now, 0x1f).unwrap();
                            let space = phy.space();
                            prop_assert_eq!(Some(got), phy.peek_ext(space, reg).or(Some(0)));
                        }
                    }
                    prop_assert!(phy.space() <= 1);
                }
                Act::Wait(ms) => {
                    props::wait(&mut phy, &mut now, ms)?;
                    if ms >= 1 {
                        prop_assert_eq!(phy.peek(0, 0).unwrap() & 0x8000, 0, "reset completed");
                    }
                }
                Act::Medium(m) => m.apply(&mut phy, now, &mut medium)?,
            }
            check_invariants(&phy)?;
        }
    }
}
