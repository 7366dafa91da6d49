//! The 88X3310 model driven the way Linux's marvell10g.c and phylib's Clause 45 helpers drive
//! it (same registers, order and waits), plus a property test of its register-level
//! invariants.

use phy_sim_models::marvell10g::{Marvell88x3310, M88X3310};
use phy_sim_models::medium::LinkModes;
use phy_sim_models::{
    build, Duplex, Instant, LinkMode, LinkPartner, LinkTiming, MdioDevice, Medium, Pause, Phy,
    Speed,
};
use proptest::prelude::*;
use std::time::Duration;

const MS: Duration = Duration::from_millis(1);

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
}

#[derive(Debug, PartialEq, Eq)]
struct Status {
    link: bool,
    speed: u32,
    duplex: Duplex,
    /// What mv3310_update_interface() gives phylink (MACTYPE 10GBASE-R).
    interface: &'static str,
}

impl Linux {
    fn rd(&mut self, devad: u8, reg: u16) -> u16 {
        self.phy.c45_read(self.now, devad, reg).expect("answers")
    }

    fn wr(&mut self, devad: u8, reg: u16, v: u16) {
        self.phy.c45_write(self.now, devad, reg, v);
    }

    fn modify(&mut self, devad: u8, reg: u16, mask: u16, set: u16) -> bool {
        let old = self.rd(devad, reg);
        let new = (old & !mask) | set;
        if new != old {
            self.wr(devad, reg, new);
        }
        new != old
    }

    fn sleep(&mut self, d: Duration) {
        self.now = self.now + d;
        self.phy.advance(self.now);
    }

    /// get_phy_c45_ids(), mv3310_match_phy_device(), mv3310_probe(), config_init(),
    /// get_features() and phy_start() -> config_aneg().
    fn boot(medium: Medium) -> Linux {
        let mut phy = build("marvell-88x3310", Instant::ZERO).unwrap();
        phy.set_medium(Instant::ZERO, medium);
        assert_eq!(phy.c22_read(Instant::ZERO, 2), None, "Clause 45 only");
        let mut l = Linux {
            phy,
            now: Instant::ZERO,
            link: false,
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
        assert!(fw >= 0x0003_0500, "new enough for downshift");
        l.modify(VEND2, MV_V2_PORT_CTRL, 0, 0x0800); // power down
        l.wr(VEND2, MV_V2_TEMP, 0x9600);
        l.modify(VEND2, MV_V2_TEMP_CTRL, 0xc000, 0);
        // get_features (genphy_c45_pma_read_abilities + the NBT quirk).
        assert_ne!(l.rd(AN, 1) & 0x0008, 0, "AN able");
        assert_ne!(l.rd(PMA, 8) & 0x0200, 0);
        let ext = l.rd(PMA, 11);
        assert_eq!(ext & 0x01a4, 0x01a4);
        assert_eq!(ext & 0x4000, 0, "the NBT quirk");
        assert_eq!(l.rd(PMA, 21) & 3, 3);
        assert_eq!(l.rd(PCS, 20), 0x000e);
        // config_init: power up + soft reset, MACTYPE, EDPD, downshift.
        l.modify(VEND2, MV_V2_PORT_CTRL, 0x0800, 0);
        l.sleep(Duration::from_micros(100));
        l.modify(VEND2, MV_V2_PORT_CTRL, 0, 0x8000);
        assert_eq!(l.rd(VEND2, MV_V2_PORT_CTRL) & 7, 4, "MACTYPE 10GBASE-R");
        if l.modify(PCS, MV_PCS_CSCR1, 0x0300, 0x0300) {
            l.pcs_reset();
        }
        l.modify(PCS, MV_PCS_DSC2, 0xff00, 0x1100);
        l.modify(PCS, MV_PCS_DSC1, 0x03ff, 0x0249);
        l.config_aneg();
        l
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
        let mut changed = self.modify(AN, 16, 0x0fe0, 0x01e0);
        changed |= self.modify(AN, 32, 0x1180, 0x1180);
        changed |= self.modify(AN, MV_AN_CTRL1000, 0x0300, 0x0200);
        if changed || self.rd(AN, 0) & 0x1000 == 0 {
            self.modify(AN, 0, 0, 0x1200);
        }
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
        let until = self.now + limit;
        loop {
            let s = self.read_status();
            if s.link || self.now >= until {
                return s;
            }
            self.sleep(1000 * MS);
        }
    }

    fn partner(&mut self, modes: &[LinkMode]) {
        let m = Medium::cable_to(
            LinkPartner::negotiating(modes.iter().copied().collect()),
            5.0,
        );
        self.phy.set_medium(self.now, m);
    }
}

const ALL_FULL: [LinkMode; 6] = [
    LinkMode::BaseT10Full,
    LinkMode::BaseT100Full,
    LinkMode::BaseT1000Full,
    LinkMode::BaseT2500Full,
    LinkMode::BaseT5000Full,
    LinkMode::BaseT10000Full,
];

fn medium(modes: &[LinkMode]) -> Medium {
    Medium::cable_to(
        LinkPartner::negotiating(modes.iter().copied().collect()),
        5.0,
    )
}

#[test]
fn ten_gig_then_two_and_a_half_then_hundred_then_a_flap() {
    let mut l = Linux::boot(medium(&ALL_FULL));
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
    let mut l = Linux::boot(medium(&ALL_FULL));
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
    let mut l = Linux::boot(medium(&ALL_FULL));
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
    let mut m = medium(&ALL_FULL);
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

#[derive(Clone, Debug)]
enum Act {
    Read(u8, u16),
    Write(u8, u16, u16),
    Sleep(u16),
    Cable(bool),
    Partner(u16),
}

/// Registers the driver touches, plus a few unmodelled ones.
const REGS: [(u8, u16); 24] = [
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
    (AN, MV_AN_CTRL1000),
    (AN, MV_AN_STAT1000),
    (VEND2, MV_V2_PORT_CTRL),
    (VEND2, MV_V2_TEMP),
    (VEND2, 0x1234),
    (30, 8),
];

fn act() -> impl Strategy<Value = Act> {
    let reg = proptest::sample::select(REGS.to_vec());
    prop_oneof![
        4 => reg.clone().prop_map(|(d, r)| Act::Read(d, r)),
        4 => (reg, any::<u16>()).prop_map(|((d, r), v)| Act::Write(d, r, v)),
        3 => (1u16..4000).prop_map(Act::Sleep),
        1 => any::<bool>().prop_map(Act::Cable),
        1 => (0u16..512).prop_map(Act::Partner),
    ]
}

/// What must hold between registers at every instant (peeked, so latches don't interfere).
fn check_invariants(phy: &Marvell88x3310) -> Result<(), TestCaseError> {
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
    prop_assert_eq!(phy.peek(3, MV_PCS_BASE_R_STAT1).unwrap(), 0, "no fibre");
    prop_assert_eq!(phy.peek(1, 2), Some(0x002b));
    prop_assert_eq!(phy.peek(1, 3), Some(0x09ab));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn registers_stay_consistent(acts in proptest::collection::vec(act(), 1..120)) {
        let mut now = Instant::ZERO;
        let mut phy = Marvell88x3310::new(&M88X3310, now).unwrap();
        let mut medium = Medium::cable_to(
            LinkPartner { pause: Pause::Both, ..LinkPartner::negotiating(LinkModes::all()) },
            5.0,
        );
        phy.set_medium(now, medium.clone());
        for a in acts {
            now = now + Duration::from_micros(50);
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
                              (AN, 19), (AN, 33), (AN, MV_AN_STAT1000), (30, 8)];
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
                Act::Cable(connected) => {
                    medium.cable.connected = connected;
                    phy.set_medium(now, medium.clone());
                    if !connected {
                        prop_assert!(!phy.link_state().up, "unplug drops the link at once");
                    }
                }
                Act::Partner(modes) => {
                    let advertise: LinkModes = LinkMode::ALL
                        .into_iter()
                        .enumerate()
                        .filter(|(i, _)| modes & (1 << i) != 0)
                        .map(|(_, m)| m)
                        .collect();
                    medium.partner = Some(LinkPartner::negotiating(advertise));
                    phy.set_medium(now, medium.clone());
                }
            }
            check_invariants(&phy)?;
            prop_assert!(phy.next_deadline().is_none_or(|d| d > now), "time ran up to now");
        }
    }
}
