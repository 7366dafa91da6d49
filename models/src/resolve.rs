//! Which link two twisted-pair stations bring up: IEEE 802.3 clause 28 priority resolution
//! (with the 1000BASE-T abilities of clause 40 and the 2.5G/5G/10GBASE-T abilities of clauses
//! 55 and 126 exchanged in next pages; priority 10G > 5G > 2.5G > 1000 > 100 > 10), Annex 28B
//! pause resolution, parallel detection, and forced modes. Timeless and pure.

use crate::medium::{Duplex, FlowControl, LinkModes, LinkPartner, Pause, Speed};

/// 1000BASE-T master/slave configuration (1000BASE-T control register 9.12..10; for the
/// multi-gigabit modes the 10GBASE-T AN control register 7.32.15..14).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum MasterSlave {
    Auto { prefer_master: bool },
    Manual { master: bool },
}

/// The local station's configuration as autonegotiation acts on it.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalAbility {
    pub autoneg: bool,
    /// Speed and duplex when `autoneg` is off.
    pub forced: (Speed, Duplex),
    pub advertise: LinkModes,
    pub pause: Pause,
    pub master_slave: MasterSlave,
}

/// What the partner's FLP bursts carried: base page and the 1000BASE-T next pages.
#[derive(Clone, Debug, PartialEq)]
pub struct PartnerPages {
    pub advertise: LinkModes,
    pub pause: Pause,
    /// The base page's NP bit: 1000BASE-T and multi-gigabit stations send their abilities in
    /// next pages.
    pub next_page: bool,
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
    /// 1000BASE-T and the multi-gigabit modes only: the local station is MASTER.
    pub master: Option<bool>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Resolution {
    /// Pages received; only when both stations negotiate.
    pub pages: Option<PartnerPages>,
    /// `None`: no common mode, no link.
    pub link: Option<ResolvedLink>,
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
                }),
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
                    master: (speed >= Speed::S1000).then_some(matches!(
                        local.master_slave,
                        MasterSlave::Manual { master: true }
                    )),
                }),
            }
        }
    }
}

fn negotiate(local: &LocalAbility, partner: &LinkPartner) -> Resolution {
    let pages = PartnerPages {
        advertise: partner.advertise,
        pause: partner.pause,
        next_page: partner.advertise.has_speed(Speed::S1000) || partner.advertise.has_multigig(),
    };
    let link = local
        .advertise
        .intersection(partner.advertise)
        .highest()
        .map(|hcd| {
            let duplex = hcd.duplex();
            ResolvedLink {
                speed: hcd.speed(),
                duplex,
                method: Method::Negotiated,
                pause: if duplex == Duplex::Full {
                    resolve_pause(local.pause, partner.pause)
                } else {
                    FlowControl::default()
                },
                // The partner is modelled as a single-port device with automatic configuration
                // that loses seed ties: the local configuration decides.
                master: (hcd.speed() >= Speed::S1000).then_some(match local.master_slave {
                    MasterSlave::Manual { master } => master,
                    MasterSlave::Auto { prefer_master } => prefer_master,
                }),
            }
        });
    Resolution {
        pages: Some(pages),
        link,
    }
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
    use crate::medium::LinkMode;

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
}
