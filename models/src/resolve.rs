//! Which link two twisted-pair stations bring up: IEEE 802.3 clause 28 priority resolution
//! (with the 1000BASE-T abilities of clause 40 and the 2.5G/5G/10GBASE-T abilities of clauses
//! 55 and 126 exchanged in next pages; priority 10G > 5G > 2.5G > 1000 > 100 > 10), Annex 28B
//! pause resolution, MASTER-SLAVE resolution (40.5.1.2, Table 40-5), the EEE capability
//! exchange (78.3; Annex 28C message code 10), parallel detection, and forced modes. Timeless
//! and pure.

use crate::eee;
use crate::medium::{Duplex, FlowControl, LinkMode, LinkModes, LinkPartner, Pause, Speed};

pub use crate::medium::MasterSlave;

/// The local station's MASTER-SLAVE seed. 802.3 has every station draw its seed at random; a
/// model must be deterministic, so the local seed is fixed in the middle of the 11-bit range:
/// a partner seed above it makes the partner MASTER, one below it the local station.
pub const LOCAL_SEED: u16 = 0x400;

/// SB0..SB10.
const SEED_MASK: u16 = 0x07ff;

/// The local station's configuration as autonegotiation acts on it.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalAbility {
    pub autoneg: bool,
    /// Speed and duplex when `autoneg` is off.
    pub forced: (Speed, Duplex),
    pub advertise: LinkModes,
    pub pause: Pause,
    pub master_slave: MasterSlave,
    /// The modes the station advertises EEE for: its EEE advertisement (7.60, and 7.62 on
    /// multi-gigabit parts) as committed at the (re)start. Only `eee::capable` modes count.
    pub eee: LinkModes,
}

/// What the partner's FLP bursts carried: base page and the next pages.
#[derive(Clone, Debug, PartialEq)]
pub struct PartnerPages {
    pub advertise: LinkModes,
    pub pause: Pause,
    /// The base page's NP bit: the partner has next pages to send (1000BASE-T or multi-gigabit
    /// abilities, an EEE advertisement).
    pub next_page: bool,
    /// The partner's EEE advertisement, as link partner EEE ability 7.61 / 7.63 show it
    /// (`eee::cap1` / `eee::cap2`). Empty unless both stations exchanged next pages: the EEE
    /// technology message is a next page.
    pub eee: LinkModes,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Method {
    Negotiated,
    /// The local station negotiates, the partner does not: speed from the signal, half duplex.
    ParallelDetection,
    /// The local station does not negotiate.
    Forced,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedLink {
    pub speed: Speed,
    pub duplex: Duplex,
    pub method: Method,
    pub pause: FlowControl,
    /// 1000BASE-T and the multi-gigabit modes only: the local station is MASTER (1000BASE-T
    /// status 10.14, 10GBASE-T AN status 7.33.14).
    pub master: Option<bool>,
    /// EEE is in use on the link: negotiated, and both stations advertise EEE for the resolved
    /// mode (which is then full duplex and one EEE exists for).
    pub eee: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Resolution {
    /// Pages received; only when both stations negotiate.
    pub pages: Option<PartnerPages>,
    /// `None`: no common mode, or a MASTER-SLAVE configuration fault; no link.
    pub link: Option<ResolvedLink>,
    /// The highest common mode needs MASTER-SLAVE resolution and it failed (1000BASE-T status
    /// 10.15, 10GBASE-T AN status 7.33.15); `link` is `None`.
    pub master_slave_fault: bool,
}

/// MASTER-SLAVE resolution could not give the stations different roles.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct MasterSlaveFault;

/// IEEE 802.3 Table 40-5 (55.6.1 and 126.6.1 refer to it): whether station `a` (with seed
/// `a_seed`) becomes MASTER against station `b`. A manual setting wins against an automatic
/// one; two manual settings must differ; between automatic stations the multiport one is
/// MASTER, and with equal port types the higher seed. Equal seeds make both stations draw
/// again; seeds that never change (as here) collide every time until the seed counter gives
/// up, which 40.5.1.2 makes a fault as well.
pub fn resolve_master_slave(
    a: MasterSlave,
    a_seed: u16,
    b: MasterSlave,
    b_seed: u16,
) -> Result<bool, MasterSlaveFault> {
    use MasterSlave::{Auto, Manual};
    match (a, b) {
        (Manual { master: x }, Manual { master: y }) if x == y => Err(MasterSlaveFault),
        (Manual { master }, _) => Ok(master),
        (_, Manual { master }) => Ok(!master),
        (Auto { prefer_master: x }, Auto { prefer_master: y }) if x != y => Ok(x),
        (Auto { .. }, Auto { .. }) => {
            let (a_seed, b_seed) = (a_seed & SEED_MASK, b_seed & SEED_MASK);
            if a_seed == b_seed {
                Err(MasterSlaveFault)
            } else {
                Ok(a_seed > b_seed)
            }
        }
    }
}

/// Whether a station sets NP in its base page: 1000BASE-T and the multi-gigabit modes send
/// their abilities in next pages, EEE its advertisement.
fn sends_next_pages(advertise: LinkModes, eee: LinkModes) -> bool {
    advertise.has_speed(Speed::S1000) || advertise.has_multigig() || !eee::capable(eee).is_empty()
}

/// What the local station ends up with against `partner`, cable permitting.
pub fn resolve(local: &LocalAbility, partner: &LinkPartner) -> Resolution {
    match (local.autoneg, partner.autoneg) {
        (true, true) => negotiate(local, partner),
        (true, false) => Resolution {
            pages: None,
            link: partner
                .forced
                .map(|(speed, _)| speed)
                // 1000BASE-T and faster cannot be parallel-detected: they need
                // autonegotiation for master/slave.
                .filter(|&speed| speed < Speed::S1000 && local.advertise.has_speed(speed))
                .map(|speed| ResolvedLink {
                    speed,
                    duplex: Duplex::Half,
                    method: Method::ParallelDetection,
                    pause: FlowControl::default(),
                    master: None,
                    eee: false,
                }),
            master_slave_fault: false,
        },
        (false, partner_negotiates) => {
            let (speed, duplex) = local.forced;
            let links = if partner_negotiates {
                // The partner parallel-detects our forced signal.
                speed < Speed::S1000 && partner.advertise.has_speed(speed)
            } else {
                partner.forced.is_some_and(|(s, _)| s == speed)
            };
            Resolution {
                pages: None,
                link: links.then_some(ResolvedLink {
                    speed,
                    duplex,
                    method: Method::Forced,
                    pause: FlowControl::default(),
                    // Without autonegotiation nothing is resolved: the local manual setting
                    // holds and the partner is taken to be configured the other way.
                    master: (speed >= Speed::S1000).then_some(matches!(
                        local.master_slave,
                        MasterSlave::Manual { master: true }
                    )),
                    eee: false,
                }),
                master_slave_fault: false,
            }
        }
    }
}

fn negotiate(local: &LocalAbility, partner: &LinkPartner) -> Resolution {
    let partner_np = sends_next_pages(partner.advertise, partner.eee);
    let pages = PartnerPages {
        advertise: partner.advertise,
        pause: partner.pause,
        next_page: partner_np,
        eee: if partner_np && sends_next_pages(local.advertise, local.eee) {
            eee::capable(partner.eee)
        } else {
            LinkModes::EMPTY
        },
    };
    let Some(hcd) = local.advertise.intersection(partner.advertise).highest() else {
        return Resolution {
            pages: Some(pages),
            link: None,
            master_slave_fault: false,
        };
    };
    let master = if hcd.speed() >= Speed::S1000 {
        match resolve_master_slave(
            local.master_slave,
            LOCAL_SEED,
            partner.master_slave,
            partner.seed,
        ) {
            Ok(master) => Some(master),
            Err(MasterSlaveFault) => {
                return Resolution {
                    pages: Some(pages),
                    link: None,
                    master_slave_fault: true,
                }
            }
        }
    } else {
        None
    };
    let duplex = hcd.duplex();
    let link = ResolvedLink {
        speed: hcd.speed(),
        duplex,
        method: Method::Negotiated,
        pause: if duplex == Duplex::Full {
            resolve_pause(local.pause, partner.pause)
        } else {
            FlowControl::default()
        },
        master,
        eee: eee_active(hcd, local.eee, pages.eee),
    };
    Resolution {
        pages: Some(pages),
        link: Some(link),
        master_slave_fault: false,
    }
}

/// Both stations advertise EEE for the resolved mode; EEE modes are full duplex only, so a
/// half-duplex mode never qualifies.
fn eee_active(hcd: LinkMode, local: LinkModes, partner: LinkModes) -> bool {
    eee::capable(local.intersection(partner)).contains(hcd)
}

/// IEEE 802.3 Table 28B-3, from the local station's side.
pub fn resolve_pause(local: Pause, partner: Pause) -> FlowControl {
    let (lp, la) = (local.pause_bit(), local.asym_dir_bit());
    let (pp, pa) = (partner.pause_bit(), partner.asym_dir_bit());
    if lp && pp {
        FlowControl { tx: true, rx: true }
    } else if lp && la && !pp && pa {
        FlowControl {
            tx: false,
            rx: true,
        }
    } else if !lp && la && pp && pa {
        FlowControl {
            tx: true,
            rx: false,
        }
    } else {
        FlowControl::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn gigabit() -> LinkModes {
        LinkMode::ALL[..6].iter().copied().collect()
    }

    fn local() -> LocalAbility {
        LocalAbility {
            autoneg: true,
            forced: (Speed::S1000, Duplex::Full),
            advertise: gigabit(),
            pause: Pause::Both,
            master_slave: MasterSlave::Auto {
                prefer_master: false,
            },
            eee: LinkModes::EMPTY,
        }
    }

    fn modes(m: &[LinkMode]) -> LinkModes {
        m.iter().copied().collect()
    }

    #[test]
    fn highest_common_denominator() {
        let r = resolve(&local(), &LinkPartner::negotiating(LinkModes::all()));
        let l = r.link.unwrap();
        assert_eq!(
            (l.speed, l.duplex, l.master),
            (Speed::S1000, Duplex::Full, Some(false))
        );
        assert!(r.pages.unwrap().next_page);

        let p = LinkPartner::negotiating(modes(&[LinkMode::BaseT100Half, LinkMode::BaseT10Full]));
        let r = resolve(&local(), &p);
        let l = r.link.unwrap();
        assert_eq!((l.speed, l.duplex), (Speed::S100, Duplex::Half));
        assert_eq!(l.pause, FlowControl::default(), "no pause on half duplex");
        assert!(!r.pages.unwrap().next_page);
    }

    #[test]
    fn multigig_priority() {
        let mut l = local();
        l.advertise = LinkModes::all();
        let r = resolve(&l, &LinkPartner::negotiating(LinkModes::all()));
        let link = r.link.unwrap();
        assert_eq!((link.speed, link.master), (Speed::S10000, Some(false)));
        let p = LinkPartner::negotiating(modes(&[
            LinkMode::BaseT2500Full,
            LinkMode::BaseT1000Full,
            LinkMode::BaseT100Full,
        ]));
        let r = resolve(&l, &p);
        assert_eq!(r.link.unwrap().speed, Speed::S2500);
        assert!(r.pages.unwrap().next_page);
        let p = LinkPartner::negotiating(modes(&[LinkMode::BaseT5000Full]));
        assert_eq!(resolve(&l, &p).link.unwrap().speed, Speed::S5000);
        // A gigabit-only station against a 10G partner: 1000BASE-T.
        let r = resolve(&local(), &LinkPartner::negotiating(LinkModes::all()));
        assert_eq!(r.link.unwrap().speed, Speed::S1000);
        // 10GBASE-T cannot be parallel-detected.
        assert!(
            resolve(&l, &LinkPartner::forcing(Speed::S10000, Duplex::Full))
                .link
                .is_none()
        );
    }

    #[test]
    fn no_common_mode_means_no_link() {
        let mut l = local();
        l.advertise = modes(&[LinkMode::BaseT1000Full]);
        let r = resolve(
            &l,
            &LinkPartner::negotiating(modes(&[LinkMode::BaseT100Full])),
        );
        assert!(r.link.is_none());
        assert!(r.pages.is_some(), "pages were still exchanged");
    }

    #[test]
    fn parallel_detection_is_half_duplex_and_never_gigabit() {
        let r = resolve(&local(), &LinkPartner::forcing(Speed::S100, Duplex::Full));
        let l = r.link.unwrap();
        assert_eq!(
            (l.speed, l.duplex, l.method),
            (Speed::S100, Duplex::Half, Method::ParallelDetection)
        );
        assert!(r.pages.is_none());
        assert!(
            resolve(&local(), &LinkPartner::forcing(Speed::S1000, Duplex::Full))
                .link
                .is_none()
        );
    }

    #[test]
    fn forced_local() {
        let mut l = local();
        l.autoneg = false;
        l.forced = (Speed::S10, Duplex::Full);
        let r = resolve(&l, &LinkPartner::forcing(Speed::S10, Duplex::Half));
        assert_eq!(
            r.link.unwrap().duplex,
            Duplex::Full,
            "each end keeps its own duplex"
        );
        assert!(
            resolve(&l, &LinkPartner::forcing(Speed::S100, Duplex::Half))
                .link
                .is_none()
        );
        let r = resolve(&l, &LinkPartner::negotiating(LinkModes::all()));
        assert_eq!(r.link.unwrap().method, Method::Forced);
    }

    #[test]
    fn pause_table_28b_3() {
        use Pause::*;
        let none = FlowControl::default();
        let both = FlowControl { tx: true, rx: true };
        let rx = FlowControl {
            tx: false,
            rx: true,
        };
        let tx = FlowControl {
            tx: true,
            rx: false,
        };
        let cases = [
            (None, Both, none),
            (Asymmetric, None, none),
            (Asymmetric, Symmetric, none),
            (Asymmetric, Both, tx),
            (Symmetric, None, none),
            (Symmetric, Asymmetric, none),
            (Symmetric, Symmetric, both),
            (Symmetric, Both, both),
            (Both, Symmetric, both),
            (Both, None, none),
            (Both, Asymmetric, rx),
            (Both, Both, both),
        ];
        for (l, p, want) in cases {
            assert_eq!(resolve_pause(l, p), want, "local {l:?} partner {p:?}");
        }
    }

    const SINGLE: MasterSlave = MasterSlave::Auto {
        prefer_master: false,
    };
    const MULTI: MasterSlave = MasterSlave::Auto {
        prefer_master: true,
    };
    const MASTER: MasterSlave = MasterSlave::Manual { master: true };
    const SLAVE: MasterSlave = MasterSlave::Manual { master: false };

    /// `local` against a gigabit partner configured `partner` with seed `seed`: the local
    /// role, or `None` for a fault (checked to mean no link, pages still in).
    fn role(local_ms: MasterSlave, partner: MasterSlave, seed: u16) -> Option<bool> {
        let mut l = local();
        l.master_slave = local_ms;
        let p = LinkPartner {
            master_slave: partner,
            seed,
            ..LinkPartner::negotiating(gigabit())
        };
        let r = resolve(&l, &p);
        assert!(r.pages.is_some());
        match r.link {
            Some(link) => {
                assert!(!r.master_slave_fault);
                assert_eq!(link.speed, Speed::S1000);
                Some(link.master.expect("1000BASE-T has a role"))
            }
            None => {
                assert!(
                    r.master_slave_fault,
                    "a gigabit partner links unless M/S fails"
                );
                None
            }
        }
    }

    #[test]
    fn table_40_5_every_row() {
        let (m, s, fault) = (Some(true), Some(false), None);
        let (high, low) = (LOCAL_SEED + 1, LOCAL_SEED - 1);
        let rows = [
            // local single-port device
            (SINGLE, SINGLE, high, s),
            (SINGLE, SINGLE, low, m),
            (SINGLE, SINGLE, LOCAL_SEED, fault),
            (SINGLE, MULTI, high, s),
            (SINGLE, MULTI, low, s),
            (SINGLE, MASTER, low, s),
            (SINGLE, SLAVE, high, m),
            // local multiport device
            (MULTI, SINGLE, high, m),
            (MULTI, MULTI, high, s),
            (MULTI, MULTI, low, m),
            (MULTI, MULTI, LOCAL_SEED, fault),
            (MULTI, MASTER, low, s),
            (MULTI, SLAVE, high, m),
            // local manual SLAVE
            (SLAVE, SINGLE, low, s),
            (SLAVE, MULTI, low, s),
            (SLAVE, SLAVE, high, fault),
            (SLAVE, MASTER, low, s),
            // local manual MASTER
            (MASTER, SINGLE, high, m),
            (MASTER, MULTI, high, m),
            (MASTER, SLAVE, high, m),
            (MASTER, MASTER, low, fault),
        ];
        for (l, p, seed, want) in rows {
            assert_eq!(
                role(l, p, seed),
                want,
                "local {l:?} partner {p:?} seed {seed:#x}"
            );
        }
    }

    #[test]
    fn the_default_partner_is_multiport_and_loses_seed_comparisons() {
        assert_eq!(
            role(SINGLE, LinkPartner::DEFAULT_MASTER_SLAVE, 0),
            Some(false)
        );
        assert_eq!(
            role(MULTI, LinkPartner::DEFAULT_MASTER_SLAVE, 0),
            Some(true)
        );
        // Only the 11 seed bits count.
        assert_eq!(role(SINGLE, SINGLE, 0x0800 | (LOCAL_SEED + 1)), Some(false));
        assert_eq!(role(SINGLE, SINGLE, 0x0800 | LOCAL_SEED), None);
    }

    #[test]
    fn master_slave_matters_only_at_1000_and_above() {
        let mut l = local();
        l.master_slave = MASTER;
        let p = LinkPartner {
            master_slave: MASTER,
            ..LinkPartner::negotiating(modes(&[LinkMode::BaseT100Full, LinkMode::BaseT1000Full]))
        };
        assert!(resolve(&l, &p).master_slave_fault);
        // Without a common 1000BASE-T mode the conflict is never looked at.
        let p = LinkPartner {
            advertise: modes(&[LinkMode::BaseT100Full]),
            ..p
        };
        let r = resolve(&l, &p);
        assert!(!r.master_slave_fault);
        assert_eq!(r.link.unwrap().master, None);
        // 10GBASE-T resolves (and fails) the same way.
        l.advertise = LinkModes::all();
        let p = LinkPartner {
            master_slave: MASTER,
            ..LinkPartner::negotiating(LinkModes::all())
        };
        let r = resolve(&l, &p);
        assert!(r.master_slave_fault && r.link.is_none());
        l.master_slave = SINGLE;
        let link = resolve(&l, &p).link.unwrap();
        assert_eq!((link.speed, link.master), (Speed::S10000, Some(false)));
    }

    fn eee_partner(advertise: &[LinkMode], eee: &[LinkMode]) -> LinkPartner {
        LinkPartner {
            eee: modes(eee),
            ..LinkPartner::negotiating(modes(advertise))
        }
    }

    #[test]
    fn eee_is_active_when_both_advertise_it_for_the_resolved_mode() {
        use LinkMode::*;
        let mut l = local();
        l.eee = modes(&[BaseT100Full, BaseT1000Full]);
        let both = [BaseT100Full, BaseT1000Full];
        let r = resolve(&l, &eee_partner(&[BaseT100Full, BaseT1000Full], &both));
        assert_eq!(r.pages.as_ref().unwrap().eee, modes(&both));
        assert!(r.link.unwrap().eee);

        // The partner does EEE at 100 only: the link is 1000, no EEE; 7.61 still says 100.
        let r = resolve(
            &l,
            &eee_partner(&[BaseT100Full, BaseT1000Full], &[BaseT100Full]),
        );
        assert_eq!(r.pages.as_ref().unwrap().eee, modes(&[BaseT100Full]));
        assert!(!r.link.unwrap().eee);
        let r = resolve(&l, &eee_partner(&[BaseT100Full], &[BaseT100Full]));
        assert!(r.link.unwrap().eee);

        // Half duplex never runs EEE.
        let r = resolve(&l, &eee_partner(&[BaseT100Half], &both));
        let link = r.link.unwrap();
        assert!(link.duplex == Duplex::Half && !link.eee);

        // The local station not advertising EEE: none; the partner's page still arrives
        // because 1000BASE-T makes the local station send next pages.
        let mut quiet = local();
        quiet.eee = LinkModes::EMPTY;
        let r = resolve(&quiet, &eee_partner(&[BaseT1000Full], &both));
        assert_eq!(r.pages.as_ref().unwrap().eee, modes(&both));
        assert!(!r.link.unwrap().eee);

        // A 10/100 station without EEE sends no next pages: no EEE page is received.
        quiet.advertise = modes(&[BaseT100Full]);
        let r = resolve(&quiet, &eee_partner(&[BaseT100Full], &both));
        let pages = r.pages.unwrap();
        assert!(pages.next_page && pages.eee.is_empty());
        // The same station advertising EEE for 100BASE-TX does.
        quiet.eee = modes(&[BaseT100Full]);
        let r = resolve(&quiet, &eee_partner(&[BaseT100Full], &both));
        assert!(r.link.unwrap().eee);

        // Parallel detection and forced links do not negotiate EEE.
        let forced = LinkPartner {
            eee: modes(&both),
            ..LinkPartner::forcing(Speed::S100, Duplex::Full)
        };
        assert!(!resolve(&l, &forced).link.unwrap().eee);
        l.autoneg = false;
        l.forced = (Speed::S100, Duplex::Full);
        assert!(!resolve(&l, &forced).link.unwrap().eee);
    }

    #[test]
    fn eee_for_the_multigig_modes() {
        use LinkMode::*;
        let mut l = local();
        l.advertise = LinkModes::all();
        l.eee = LinkModes::all();
        let r = resolve(
            &l,
            &eee_partner(&[BaseT2500Full, BaseT1000Full], &[BaseT2500Full]),
        );
        let link = r.link.unwrap();
        assert_eq!(link.speed, Speed::S2500);
        assert!(link.eee);
        assert_eq!(eee::cap2(r.pages.unwrap().eee), 0x0001);
        // Modes EEE does not exist for are not carried.
        let r = resolve(
            &l,
            &eee_partner(&[BaseT10Full], &[BaseT10Full, BaseT100Half]),
        );
        assert!(r.pages.unwrap().eee.is_empty());
    }

    fn any_ms() -> impl Strategy<Value = MasterSlave> {
        prop_oneof![
            any::<bool>().prop_map(|prefer_master| MasterSlave::Auto { prefer_master }),
            any::<bool>().prop_map(|master| MasterSlave::Manual { master }),
        ]
    }

    fn any_modes() -> impl Strategy<Value = LinkModes> {
        proptest::collection::vec(proptest::sample::select(LinkMode::ALL.to_vec()), 0..9)
            .prop_map(|v| v.into_iter().collect())
    }

    fn any_pause() -> impl Strategy<Value = Pause> {
        proptest::sample::select(vec![
            Pause::None,
            Pause::Symmetric,
            Pause::Asymmetric,
            Pause::Both,
        ])
    }

    proptest! {
        #[test]
        fn master_slave_is_symmetric_and_faults_only_on_a_tie(
            a in any_ms(), sa in any::<u16>(), b in any_ms(), sb in any::<u16>(),
        ) {
            let ab = resolve_master_slave(a, sa, b, sb);
            let ba = resolve_master_slave(b, sb, a, sa);
            prop_assert_eq!(ab, ba.map(|m| !m));
            let tie = match (a, b) {
                (MasterSlave::Manual { master: x }, MasterSlave::Manual { master: y }) => x == y,
                (MasterSlave::Auto { prefer_master: x }, MasterSlave::Auto { prefer_master: y }) => {
                    x == y && sa & 0x7ff == sb & 0x7ff
                }
                _ => false,
            };
            prop_assert_eq!(ab.is_err(), tie);
        }

        /// Swapping the stations (the partner's seed mirrored about `LOCAL_SEED`, so that the
        /// comparison keeps its outcome) swaps the roles and mirrors pause; the mode, EEE and
        /// a fault are the same from both ends.
        #[test]
        fn negotiation_looks_the_same_from_both_ends(
            la in any_modes(), le in any_modes(), lp in any_pause(), lms in any_ms(),
            pa in any_modes(), pe in any_modes(), pp in any_pause(), pms in any_ms(),
            seed in 1u16..0x800,
        ) {
            let here = LocalAbility {
                advertise: la, eee: le, pause: lp, master_slave: lms, ..local()
            };
            let there = LinkPartner {
                pause: pp, eee: pe, master_slave: pms, seed,
                ..LinkPartner::negotiating(pa)
            };
            let swapped_here = LocalAbility {
                advertise: pa, eee: pe, pause: pp, master_slave: pms, ..local()
            };
            let swapped_there = LinkPartner {
                pause: lp, eee: le, master_slave: lms, seed: 2 * LOCAL_SEED - seed,
                ..LinkPartner::negotiating(la)
            };
            let r = resolve(&here, &there);
            let s = resolve(&swapped_here, &swapped_there);
            prop_assert_eq!(r.master_slave_fault, s.master_slave_fault);
            prop_assert_eq!(r.link.is_some(), s.link.is_some());
            if r.master_slave_fault {
                prop_assert!(r.link.is_none());
            }
            if let (Some(a), Some(b)) = (r.link, s.link) {
                prop_assert_eq!((a.speed, a.duplex, a.eee), (b.speed, b.duplex, b.eee));
                prop_assert_eq!(a.master, b.master.map(|m| !m));
                prop_assert_eq!(a.master.is_some(), a.speed >= Speed::S1000);
                prop_assert_eq!((a.pause.tx, a.pause.rx), (b.pause.rx, b.pause.tx));
                if a.eee {
                    prop_assert_eq!(a.duplex, Duplex::Full);
                    let mode = LinkMode::new(a.speed, a.duplex);
                    prop_assert!(le.contains(mode) && pe.contains(mode));
                }
            }
        }
    }
}
