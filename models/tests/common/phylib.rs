//! phylib's generic code (drivers/net/phy/phy_device.c, phy-c45.c, phy.c), as the replays run
//! it, where several replays run it the same way.

use super::bus::{Bus, C22};
use super::MS;
use phy_sim_models::{Duplex, Instant};

const BMCR: u8 = 0x00;
const BMSR: u8 = 0x01;
const LPA: u8 = 0x05;
const CTRL1000: u8 = 0x09;
const STAT1000: u8 = 0x0a;

/// What phylib concluded about the link, for the replays that report speed and duplex
/// always (0 / half without a resolution).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub link: bool,
    pub speed: u32,
    pub duplex: Duplex,
}

impl Status {
    pub const DOWN: Status = Status {
        link: false,
        speed: 0,
        duplex: Duplex::Half,
    };

    pub const fn up(speed: u32, duplex: Duplex) -> Status {
        Status {
            link: true,
            speed,
            duplex,
        }
    }
}

pub const UP_1000_FULL: Status = Status::up(1000, Duplex::Full);

/// genphy_update_link()'s reads: BMCR, then (unless autonegotiation is restarting) BMSR, and
/// BMSR again when that shows no link (the bit latches low). `was_up`: phylib's link from
/// the last poll, which skips the first BMSR read; the 88E1111 replay keeps no link state
/// and passes `false`, reading BMSR afresh every time. (BMCR, BMSR); BMSR 0 while
/// restarting.
pub fn update_link(l: &mut impl C22, was_up: bool) -> (u16, u16) {
    let bmcr = l.read(BMCR);
    let mut bmsr = 0;
    if bmcr & 0x0200 == 0 {
        if !was_up {
            bmsr = l.read(BMSR);
        }
        if bmsr & 0x0004 == 0 {
            bmsr = l.read(BMSR);
        }
    }
    (bmcr, bmsr)
}

/// genphy_read_lpa()'s first reads: STAT1000, which must show no master/slave configuration
/// fault (with autonegotiation complete that is -ENOLINK, PHY_ERROR), then the partner's
/// base page. (STAT1000, LPA).
pub fn read_lpa(l: &mut impl C22) -> (u16, u16) {
    let stat1000 = l.read(STAT1000);
    assert_eq!(
        stat1000 & 0x8000,
        0,
        "genphy_read_lpa(): a master/slave fault with AN complete would be -ENOLINK, PHY_ERROR"
    );
    (stat1000, l.read(LPA))
}

/// phy_resolve_aneg_linkmode() on the advertisements: the highest mode both ends name,
/// 1000BASE-T from CTRL1000 and STAT1000, the rest from ADVERTISE and LPA.
pub fn resolve(adv: u16, lpa: u16, ctrl1000: u16, stat1000: u16) -> (u32, Duplex) {
    let common = adv & lpa;
    let gig = ctrl1000 & (stat1000 >> 2);
    if gig & 0x0200 != 0 {
        (1000, Duplex::Full)
    } else if gig & 0x0100 != 0 {
        (1000, Duplex::Half)
    } else if common & 0x0100 != 0 {
        (100, Duplex::Full)
    } else if common & 0x0080 != 0 {
        (100, Duplex::Half)
    } else if common & 0x0040 != 0 {
        (10, Duplex::Full)
    } else {
        (10, Duplex::Half)
    }
}

/// genphy_restart_aneg().
pub fn restart_aneg(l: &mut impl C22) {
    l.modify(BMCR, 0x0400, 0x1000 | 0x0200);
}

/// genphy_check_and_restart_aneg(): restart when the advertisement `changed`, or
/// autonegotiation is off or isolated.
pub fn check_and_restart_aneg(l: &mut impl C22, changed: bool) {
    let bmcr = l.read(BMCR);
    if changed || bmcr & 0x1000 == 0 || bmcr & 0x0400 != 0 {
        restart_aneg(l);
    }
}

/// genphy_setup_master_slave() writing CTRL1000 bits 12..10 (`ethtool -s master-slave`, a DT
/// `timing-role`), then genphy_config_aneg()'s restart when that changed anything.
pub fn setup_master_slave(l: &mut impl C22, ctl: u16) {
    if l.modify(CTRL1000, 0x1c00, ctl) {
        restart_aneg(l);
    }
}

/// genphy_read_master_slave() with phylib's `link`: the `master-slave cfg` and `master-slave
/// status` lines of ethtool.
pub fn read_master_slave(l: &mut impl C22, link: bool) -> (&'static str, &'static str) {
    let ctrl = l.read(CTRL1000);
    let cfg = match (ctrl & 0x1000 != 0, ctrl & 0x0800 != 0, ctrl & 0x0400 != 0) {
        (true, true, _) => "forced master",
        (true, false, _) => "forced slave",
        (false, _, true) => "preferred master",
        (false, _, false) => "preferred slave",
    };
    let stat = l.read(STAT1000);
    let state = if stat & 0x8000 != 0 {
        "resolution error"
    } else if !link {
        "unknown"
    } else if stat & 0x4000 != 0 {
        "master"
    } else {
        "slave"
    };
    (cfg, state)
}

/// phy_probe()'s EEE: genphy_c45_read_eee_abilities() (3.20, which must be `able`), then
/// genphy_c45_read_eee_adv(): 7.60 within it, phylib's EEE advertisement (EEE counts as
/// enabled when that is not empty).
pub fn read_eee_adv(l: &mut impl C22, able: u16) -> u16 {
    let abilities = l.mmd_read(3, 20);
    assert_eq!(abilities, able, "EEE abilities reported");
    l.mmd_read(7, 60) & abilities
}

/// `ethtool --set-eee` (genphy_c45_ethtool_set_eee()): 7.60 rewritten with phylib's
/// advertisement `adv` (0 when off), and autonegotiation restarted if that changed it.
pub fn write_eee_adv(l: &mut impl C22, adv: u16) {
    if l.mmd_modify(7, 60, 0x007e, adv) {
        restart_aneg(l);
    }
}

/// The link's mode as a bit of 7.60 and of 7.62 (the EEE-capable modes are full duplex).
pub fn eee_mode(link: bool, speed: u32, duplex: Duplex) -> (u16, u16) {
    match (link, speed, duplex) {
        (true, 100, Duplex::Full) => (0x0002, 0),
        (true, 1000, Duplex::Full) => (0x0004, 0),
        (true, 10000, Duplex::Full) => (0x0008, 0),
        (true, 2500, Duplex::Full) => (0, 0x0001),
        (true, 5000, Duplex::Full) => (0, 0x0002),
        _ => (0, 0),
    }
}

/// `ethtool --show-eee` on a Clause 22 PHY (genphy_c45_ethtool_get_eee()) with phylib's
/// advertisement `adv` (7.60 layout; 0: EEE disabled, and nothing is read): the partner's
/// 7.61, and whether EEE is active (genphy_c45_eee_is_active()): both advertise the link's
/// `mode` (its 7.60 bit, [`eee_mode`]).
pub fn eee_status(l: &mut impl C22, adv: u16, mode: u16) -> (u16, bool) {
    if adv == 0 {
        return (0, false);
    }
    let lp = l.mmd_read(7, 61);
    (lp, adv & lp & mode != 0)
}

/// phylib's state machine until `link_status` gives the status of a link that is up, or
/// `end`: with the interrupt wired (`irq`), sleeping to each of the PHY's own deadlines up to
/// `end` (giving up at once when there is none) and, while INT is asserted and
/// `handle_interrupt` (the driver's) says it is the PHY's, reading the status; polled, the
/// status once a second.
pub fn wait_link<L: Bus, S>(
    l: &mut L,
    irq: bool,
    end: Instant,
    mut handle_interrupt: impl FnMut(&mut L) -> bool,
    mut link_status: impl FnMut(&mut L) -> Option<S>,
) -> Option<S> {
    while l.clock() < end {
        if irq {
            match l.parts().0.next_deadline() {
                Some(d) if d <= end => l.sleep_until(d),
                _ => return None,
            }
            if l.parts().0.irq_asserted() && handle_interrupt(l) {
                if let Some(s) = link_status(l) {
                    return Some(s);
                }
            }
        } else {
            l.sleep(1000 * MS);
            if let Some(s) = link_status(l) {
                return Some(s);
            }
        }
    }
    None
}

/// Polls: `status` now, then once a second, until `done` with it or `end` has passed; the
/// last status.
pub fn poll<L: Bus, S>(
    l: &mut L,
    end: Instant,
    mut status: impl FnMut(&mut L) -> S,
    done: impl Fn(&S) -> bool,
) -> S {
    loop {
        let s = status(l);
        if done(&s) || l.clock() >= end {
            return s;
        }
        l.sleep(1000 * MS);
    }
}

/// genphy_soft_reset() (restart AN rides along while autonegotiation is on) with
/// phy_poll_reset(): BMCR.15 polled every 50 ms, then 1 ms more, as the Marvell replays run
/// it. (The other replays poll as their drivers' own resets do, each in its file.)
pub fn soft_reset(l: &mut impl C22) {
    l.modify(BMCR, 0x0400, 0x8000 | 0x0200);
    loop {
        l.sleep(50 * MS);
        if l.read(BMCR) & 0x8000 == 0 {
            break;
        }
    }
    l.sleep(MS);
}
