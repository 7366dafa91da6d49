//! The AQR113C model driven the way Linux's aquantia driver (aquantia_main.c,
//! aquantia_firmware.c, aquantia_hwmon.c) and phylib's Clause 45 helpers drive it (same
//! registers, order and waits), plus a property test of its register-level invariants.

use phy_sim_models::aquantia::{Aqr113c, AQR113C};
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
const PHYXS: u8 = 4;
const AN: u8 = 7;
const C22EXT: u8 = 29;
const VEND1: u8 = 30;

const VEND1_GLOBAL_FW_ID: u16 = 0x0020;
const VEND1_GLOBAL_CFG: [u16; 6] = [0x0310, 0x031b, 0x031c, 0x031d, 0x031e, 0x031f];
const VEND1_THERMAL_STAT1: u16 = 0xc820;
const VEND1_THERMAL_STAT2: u16 = 0xc821;
const VEND1_GENERAL_STAT1: u16 = 0xc830;
const VEND1_GLOBAL_GEN_STAT2: u16 = 0xc831;
const VEND1_GLOBAL_RSVD_STAT1: u16 = 0xc885;
const VEND1_GLOBAL_RSVD_STAT9: u16 = 0xc88d;
const VEND1_GLOBAL_INT_VEND_STATUS: u16 = 0xfc01;
const VEND1_GLOBAL_INT_STD_MASK: u16 = 0xff00;
const VEND1_GLOBAL_INT_VEND_MASK: u16 = 0xff01;
const PMAPMD_FW_MISC_ID: u16 = 0xc41d;
const PMAPMD_FW_MISC_VER: u16 = 0xc41e;
const MDIO_PHYXS_VEND_IF_STATUS: u16 = 0xe812;
const MDIO_AN_VEND_PROV: u16 = 0xc400;
const MDIO_AN_RESVD_VEND_PROV: u16 = 0xc410;
const MDIO_AN_TX_VEND_STATUS1: u16 = 0xc800;
const MDIO_AN_RESVD_VEND_STATUS1: u16 = 0xc810;
const MDIO_AN_TX_VEND_INT_STATUS2: u16 = 0xcc01;
const MDIO_AN_TX_VEND_INT_MASK2: u16 = 0xd401;
const MDIO_AN_RX_LP_STAT1: u16 = 0xe820;

/// The subset of phylib + aquantia (Linux 7.3) that touches the PHY.
struct Linux {
    phy: Box<dyn Phy>,
    now: Instant,
    link: bool,
    /// Interrupt mode (phy_polling_mode() false).
    irq: bool,
}

#[derive(Debug, PartialEq, Eq)]
struct Status {
    link: bool,
    speed: u32,
    duplex: Duplex,
    /// What aqr_gen1_read_status() gives phylink.
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

    /// aqr_wait_reset_complete(): poll VEND1_GLOBAL_FW_ID every 20 ms for up to 2 s.
    fn wait_reset_complete(&mut self) -> u16 {
        for _ in 0..100 {
            let v = self.rd(VEND1, VEND1_GLOBAL_FW_ID);
            if v != 0 {
                return v;
            }
            self.sleep(20 * MS);
        }
        panic!("no firmware");
    }

    /// aqr_gen1_wait_processor_intensive_op().
    fn wait_op(&mut self) {
        self.sleep(MS);
        for _ in 0..100 {
            if self.rd(VEND1, VEND1_GLOBAL_GEN_STAT2) & 0x8000 == 0 {
                return;
            }
            self.sleep(MS);
        }
        panic!("processor-intensive operation timed out");
    }

    /// get_phy_c45_ids(), aqr107_probe(), get_features, config_init (aqr_gen4_config_init),
    /// config_intr and phy_start() -> config_aneg().
    fn boot(medium: Medium, irq: bool) -> Linux {
        let mut phy = build("aquantia-aqr113c", Instant::ZERO).unwrap();
        phy.set_medium(Instant::ZERO, medium);
        assert_eq!(phy.c22_read(Instant::ZERO, 2), None, "Clause 45 only");
        let mut l = Linux {
            phy,
            now: Instant::ZERO,
            link: false,
            irq,
        };
        l.sleep(500 * MS);
        // Bus scan.
        let devs = u32::from(l.rd(PMA, 6)) << 16 | u32::from(l.rd(PMA, 5));
        assert_eq!(devs, 0xe000_009a);
        for devad in [30, 31] {
            assert_ne!(l.rd(devad, 8) & 0xc000, 0x8000, "vendor MMDs are not IEEE");
        }
        for devad in [1, 3, 4, 7, 29] {
            let id = u32::from(l.rd(devad, 2)) << 16 | u32::from(l.rd(devad, 3));
            assert_eq!(id, 0x31c3_1c12, "PHY_ID_AQR113C, PHY_ID_MATCH_MODEL");
        }
        // Probe: aqr_firmware_load() finds the firmware running; aqr_hwmon_probe().
        assert_ne!(l.wait_reset_complete(), 0);
        // phy_disable_interrupts().
        l.config_intr(false);
        // get_features: genphy_c45_pma_read_abilities().
        assert_ne!(l.rd(AN, 1) & 0x0008, 0, "AN able");
        let ext = l.rd(PMA, 11);
        assert_eq!(ext & 0x41a4, 0x41a4, "10/100/1000/10G and NBT");
        assert_eq!(l.rd(PMA, 21) & 3, 3, "2.5G/5G");
        assert_eq!(l.rd(PCS, 20), 0x000e);
        // config_init: aqr_gen1_config_init().
        let fw = l.wait_reset_complete();
        assert_eq!(fw, l.rd(VEND1, VEND1_GLOBAL_FW_ID));
        let _ = l.rd(VEND1, VEND1_GLOBAL_RSVD_STAT1);
        let _ = l.rd(PMA, PMAPMD_FW_MISC_ID);
        let _ = l.rd(PMA, PMAPMD_FW_MISC_VER);
        l.modify(AN, MDIO_AN_VEND_PROV, 0x001f, 0x0014);
        // aqr_gen2_fill_interface_modes(): wait_on_global_cfg, then every speed.
        assert_ne!(l.rd(VEND1, VEND1_GLOBAL_CFG[1]), 0);
        for reg in VEND1_GLOBAL_CFG {
            let v = l.rd(VEND1, reg);
            assert_eq!(v & 0x0007, 0, "XFI");
            assert_eq!(v & 0x0180, 0x0100, "pause rate adaptation");
        }
        // aqr_gen4_config_init(): clear PMD global transmit disable.
        l.modify(PMA, 9, 0x0001, 0);
        l.wait_op();
        if irq {
            l.config_intr(true);
        }
        // phy_start(): aqr_gen1_resume().
        l.modify(VEND1, 0, 0x0800, 0);
        l.wait_op();
        l.config_aneg();
        l
    }

    /// aqr_config_intr().
    fn config_intr(&mut self, en: bool) {
        if en {
            let _ = self.rd(AN, MDIO_AN_TX_VEND_INT_STATUS2);
        }
        self.wr(AN, MDIO_AN_TX_VEND_INT_MASK2, u16::from(en));
        self.wr(VEND1, VEND1_GLOBAL_INT_STD_MASK, u16::from(en));
        self.wr(
            VEND1,
            VEND1_GLOBAL_INT_VEND_MASK,
            if en { 0x1001 } else { 0 },
        );
        if !en {
            let _ = self.rd(AN, MDIO_AN_TX_VEND_INT_STATUS2);
        }
    }

    /// aqr_handle_interrupt(): true if it was ours.
    fn handle_interrupt(&mut self) -> bool {
        self.rd(AN, MDIO_AN_TX_VEND_INT_STATUS2) & 1 != 0
    }

    /// aqr_config_aneg() with every supported mode advertised.
    fn config_aneg(&mut self) {
        let mut changed = self.modify(AN, MDIO_AN_RESVD_VEND_PROV, 0x0003, 0);
        changed |= self.modify(AN, 16, 0x0fe0, 0x01e0);
        changed |= self.modify(AN, 32, 0x1180, 0x1180);
        changed |= self.modify(AN, MDIO_AN_VEND_PROV, 0xcc00, 0x8c00);
        if changed || self.rd(AN, 0) & 0x1000 == 0 {
            self.modify(AN, 0, 0, 0x1200);
        }
    }

    /// aqr_gen2_read_status().
    fn read_status(&mut self) -> Status {
        let mut s = Status {
            link: false,
            speed: 0,
            duplex: Duplex::Half,
            interface: "",
        };
        let _lp = self.rd(AN, MDIO_AN_RX_LP_STAT1);
        // genphy_c45_aneg_done()
        if self.rd(AN, 1) & 0x0020 != 0 {
            let _ = self.rd(AN, MDIO_AN_RESVD_VEND_STATUS1);
        }
        // genphy_c45_read_link(): double read only when the link was down or polling.
        let mut link = true;
        if self.rd(AN, 0) & 0x0200 != 0 {
            link = false;
        } else {
            if !self.irq || !self.link {
                let _ = self.rd(PMA, 1);
            }
            link &= self.rd(PMA, 1) & 4 != 0;
        }
        // genphy_c45_read_lpa()
        let an1 = self.rd(AN, 1);
        if an1 & 0x0020 != 0 {
            let _ = self.rd(AN, 19);
            let _ = self.rd(AN, 33);
        }
        self.link = link;
        if !link {
            return s;
        }
        let ifs = self.rd(PHYXS, MDIO_PHYXS_VEND_IF_STATUS);
        s.interface = match (ifs >> 3) & 0x1f {
            2 => "10gbase-r",
            3 => "usxgmii",
            6 => "sgmii",
            10 => "2500base-x",
            _ => {
                self.link = false;
                return s;
            }
        };
        let v = self.rd(AN, MDIO_AN_TX_VEND_STATUS1);
        s.duplex = if v & 1 != 0 {
            Duplex::Full
        } else {
            Duplex::Half
        };
        s.speed = match (v >> 1) & 7 {
            0 => 10,
            1 => 100,
            2 => 1000,
            3 => 10000,
            4 => 2500,
            5 => 5000,
            _ => 0,
        };
        s.link = true;
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
        self.phy.set_medium(self.now, medium(modes));
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
    let mut l = Linux::boot(medium(&ALL_FULL), false);
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
    assert_eq!(
        l.rd(AN, MDIO_AN_RX_LP_STAT1) & 0xc000,
        0x8000,
        "partner 1000/full"
    );
    assert_eq!(l.phy.link_state().speed, Some(Speed::S10000));

    l.partner(&[
        LinkMode::BaseT100Full,
        LinkMode::BaseT1000Full,
        LinkMode::BaseT2500Full,
    ]);
    assert!(
        !l.read_status().link,
        "a partner change drops the link at once"
    );
    l.sleep(1000 * MS);
    let s = l.wait_link(10_000 * MS);
    assert_eq!(
        (s.speed, s.interface),
        (2500, "10gbase-r"),
        "rate adaptation"
    );
    assert_eq!(l.rd(AN, 33) & 0x0860, 0x0020);

    l.partner(&[LinkMode::BaseT1000Full]);
    l.sleep(1000 * MS);
    let s = l.wait_link(10_000 * MS);
    assert_eq!(s.speed, 1000);

    l.partner(&[LinkMode::BaseT100Full, LinkMode::BaseT100Half]);
    l.sleep(1000 * MS);
    let s = l.wait_link(10_000 * MS);
    assert_eq!((s.speed, s.duplex), (100, Duplex::Full));
    assert_eq!(l.rd(AN, 19) & 0x0180, 0x0180);

    // Flap.
    let mut m = l.phy.medium().clone();
    m.cable.connected = false;
    l.phy.set_medium(l.now, m.clone());
    assert_eq!(
        l.rd(PHYXS, MDIO_PHYXS_VEND_IF_STATUS) & 0x00f8,
        9 << 3,
        "host interface off"
    );
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
fn interrupts_follow_link_changes_and_masks() {
    let mut l = Linux::boot(medium(&ALL_FULL), true);
    assert!(!l.phy.irq_asserted(), "nothing pending after config_intr");
    let t = LinkTiming::default();
    l.sleep(t.autoneg + t.link_multigig + 100 * MS);
    assert!(l.phy.irq_asserted(), "link up raises INT#");
    assert_eq!(l.rd(VEND1, VEND1_GLOBAL_INT_VEND_STATUS) & 0x1000, 0x1000);
    assert!(l.handle_interrupt());
    assert!(!l.phy.irq_asserted(), "reading 7.0xcc01 acknowledges");
    assert!(!l.handle_interrupt(), "clear on read");
    let s = l.read_status();
    assert_eq!(s.speed, 10000);

    // Unplug: link down raises it again.
    let mut m = l.phy.medium().clone();
    m.cable.connected = false;
    l.phy.set_medium(l.now, m.clone());
    assert!(l.phy.irq_asserted());
    assert!(l.handle_interrupt());
    assert!(!l.read_status().link);

    // Masked: the event latches but INT# stays quiet.
    l.config_intr(false);
    m.cable.connected = true;
    l.phy.set_medium(l.now, m);
    l.sleep(t.autoneg + t.link_multigig + 100 * MS);
    assert!(l.phy.link_state().up);
    assert!(!l.phy.irq_asserted());
    assert_eq!(l.rd(VEND1, VEND1_GLOBAL_INT_VEND_STATUS), 0);
}

#[test]
fn suspend_transmit_disable_and_forced() {
    let mut l = Linux::boot(medium(&ALL_FULL), false);
    l.wait_link(10_000 * MS);
    // aqr_gen1_suspend(): low power drops everything.
    l.modify(VEND1, 0, 0, 0x0800);
    l.wait_op();
    assert!(!l.phy.link_state().up);
    assert_eq!(l.rd(AN, MDIO_AN_TX_VEND_STATUS1), 0);
    l.sleep(10_000 * MS);
    assert!(!l.read_status().link);
    l.modify(VEND1, 0, 0x0800, 0);
    l.wait_op();
    let s = l.wait_link(10_000 * MS);
    assert_eq!(s.speed, 10000);

    // PMD global transmit disable holds the line down.
    l.modify(PMA, 9, 0, 1);
    l.sleep(10_000 * MS);
    assert!(!l.phy.link_state().up);
    l.modify(PMA, 9, 1, 0);
    assert_eq!(l.wait_link(10_000 * MS).speed, 10000);

    // Forced 1000 against a forcing partner (genphy_c45_pma_setup_forced()).
    l.phy.set_medium(
        l.now,
        Medium::cable_to(LinkPartner::forcing(Speed::S1000, Duplex::Full), 5.0),
    );
    l.modify(PMA, 0, 0x207c, 0x0040);
    l.modify(PMA, 7, 0x003f, 0x000c);
    l.modify(AN, 0, 0x1200, 0);
    l.sleep(5000 * MS);
    assert!(l.phy.link_state().up);
    assert_eq!(l.phy.link_state().speed, Some(Speed::S1000));
    // MDI-X forced shows in the vendor status.
    l.modify(AN, MDIO_AN_RESVD_VEND_PROV, 3, 2);
    assert_eq!(l.rd(AN, MDIO_AN_RESVD_VEND_STATUS1) & 0x0100, 0x0100);
}

#[test]
fn temperature_identity_and_counters() {
    let mut phy = Aqr113c::new(&AQR113C, Instant::ZERO).unwrap();
    let now = Instant::ZERO;
    assert_eq!(
        phy.c45_read(now, VEND1, VEND1_THERMAL_STAT2),
        Some(1),
        "valid"
    );
    let t = phy.c45_read(now, VEND1, VEND1_THERMAL_STAT1).unwrap() as i16;
    assert_eq!(i32::from(t) * 1000 / 256, 42_000);
    // Thresholds are writable (hwmon temp*_max/crit/min/lcrit).
    let crit = phy.c45_read(now, VEND1, 0xc421).unwrap() as i16;
    assert!(crit > t);
    phy.c45_write(now, VEND1, 0xc421, (90 * 256) as u16);
    assert_eq!(phy.c45_read(now, VEND1, 0xc421), Some(90 * 256));
    assert_eq!(phy.c45_read(now, VEND1, VEND1_GENERAL_STAT1), Some(0));
    assert_eq!(phy.c45_read(now, VEND1, VEND1_GLOBAL_RSVD_STAT9), Some(0));
    assert_eq!(phy.c45_read(now, C22EXT, 0xd292), Some(0));
    assert_eq!(phy.c45_read(now, 2, 0), None, "no such MMD");
    assert_eq!(phy.c45_read(now, PMA, 2), Some(0x31c3));
    assert_eq!(phy.c45_read(now, PMA, 3), Some(0x1c12));
    assert!(!phy.irq_asserted());
    // An unmodelled register answers 0 and is noted.
    assert_eq!(phy.c45_read(now, VEND1, 0x1234), Some(0));
    assert_eq!(phy.take_unimplemented().len(), 1);
}

#[derive(Clone, Debug)]
enum Act {
    Read(u8, u16),
    Write(u8, u16, u16),
    Sleep(u16),
    Cable(bool),
    Partner(u16),
}

/// Registers the driver touches, plus an unmodelled one.
const REGS: [(u8, u16); 26] = [
    (PMA, 0),
    (PMA, 1),
    (PMA, 7),
    (PMA, 9),
    (PCS, 0),
    (PCS, 1),
    (PHYXS, 1),
    (PHYXS, MDIO_PHYXS_VEND_IF_STATUS),
    (AN, 0),
    (AN, 1),
    (AN, 16),
    (AN, 19),
    (AN, 32),
    (AN, 33),
    (AN, MDIO_AN_VEND_PROV),
    (AN, MDIO_AN_RESVD_VEND_PROV),
    (AN, MDIO_AN_TX_VEND_STATUS1),
    (AN, MDIO_AN_RESVD_VEND_STATUS1),
    (AN, MDIO_AN_TX_VEND_INT_STATUS2),
    (AN, MDIO_AN_TX_VEND_INT_MASK2),
    (AN, MDIO_AN_RX_LP_STAT1),
    (VEND1, 0),
    (VEND1, VEND1_GLOBAL_CFG[5]),
    (VEND1, VEND1_GLOBAL_INT_VEND_STATUS),
    (VEND1, VEND1_GLOBAL_INT_VEND_MASK),
    (VEND1, 0x1234),
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
fn check_invariants(phy: &Aqr113c) -> Result<(), TestCaseError> {
    let state = phy.link_state();
    let an1 = phy.peek(7, 1).unwrap();
    let tvs = phy.peek(7, MDIO_AN_TX_VEND_STATUS1).unwrap();
    let ifs = phy.peek(4, MDIO_PHYXS_VEND_IF_STATUS).unwrap() & 0x00f8;
    if state.up {
        let speed = match (tvs >> 1) & 7 {
            3 => Speed::S10000,
            5 => Speed::S5000,
            4 => Speed::S2500,
            2 => Speed::S1000,
            1 => Speed::S100,
            _ => Speed::S10,
        };
        prop_assert_eq!(Some(speed), state.speed);
        prop_assert_eq!(tvs & 1 != 0, state.duplex == Some(Duplex::Full));
        let index = match speed {
            Speed::S10 => 0,
            Speed::S100 => 1,
            Speed::S1000 => 2,
            Speed::S2500 => 3,
            Speed::S5000 => 4,
            Speed::S10000 => 5,
        };
        let cfg = phy.peek(30, VEND1_GLOBAL_CFG[index]).unwrap();
        // Unless the provisioning for the speed names no serdes mode.
        if matches!(cfg & 7, 0 | 3 | 4 | 6) {
            prop_assert_ne!(ifs, 9 << 3, "host interface up with the line");
        }
    } else {
        prop_assert_eq!(phy.peek(1, 1).unwrap() & 4, 0, "PMA link low while down");
        prop_assert_eq!(phy.peek(7, 1).unwrap() & 4, 0, "AN link low while down");
        prop_assert_eq!(ifs, 9 << 3, "host interface off without link");
    }
    if an1 & 0x0020 != 0 {
        prop_assert_ne!(an1 & 0x0001, 0, "complete implies the partner negotiated");
        prop_assert!(state.up, "complete implies link");
    }
    let pending = phy.peek(7, MDIO_AN_TX_VEND_INT_STATUS2).unwrap()
        & phy.peek(7, MDIO_AN_TX_VEND_INT_MASK2).unwrap()
        & 1
        != 0;
    prop_assert_eq!(
        phy.peek(30, VEND1_GLOBAL_INT_VEND_STATUS).unwrap() & 0x1000 != 0,
        pending
    );
    prop_assert_eq!(
        phy.irq_asserted(),
        pending && phy.peek(30, VEND1_GLOBAL_INT_VEND_MASK).unwrap() & 0x1000 != 0,
        "INT# is status & mask"
    );
    prop_assert_eq!(phy.peek(1, 2), Some(0x31c3));
    prop_assert_eq!(phy.peek(1, 3), Some(0x1c12));
    prop_assert_ne!(
        phy.peek(30, VEND1_GLOBAL_FW_ID),
        Some(0),
        "firmware running"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn registers_stay_consistent(acts in proptest::collection::vec(act(), 1..120)) {
        let mut now = Instant::ZERO;
        let mut phy = Aqr113c::new(&AQR113C, now).unwrap();
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
                    if r == 2 || r == 3 {
                        prop_assert_eq!(Some(v), before);
                    }
                    if (d, r) == (AN, MDIO_AN_TX_VEND_INT_STATUS2) {
                        prop_assert_eq!(phy.peek(7, r), Some(0), "clear on read");
                    }
                }
                Act::Write(d, r, v) => {
                    let ro = [(PMA, 1), (AN, 19), (AN, 33), (AN, MDIO_AN_TX_VEND_STATUS1),
                              (PHYXS, MDIO_PHYXS_VEND_IF_STATUS), (AN, MDIO_AN_RX_LP_STAT1),
                              (AN, MDIO_AN_TX_VEND_INT_STATUS2)];
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
