//! The twisted-pair link over time: from a (re)start through the page exchange and training to
//! link up, what drops it, and downshift. Register-agnostic: a model maps its phases and
//! counters onto its own status registers.

use crate::medium::{LinkState, Medium, Speed};
use crate::resolve::{resolve, LocalAbility, Method, PartnerPages, Resolution, ResolvedLink};
use crate::timing::{LinkTiming, MIN_STEP};
use crate::Instant;
use std::time::Duration;

/// The configuration a (re)start acts on: what the model had committed at that moment.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkConfig {
    pub ability: LocalAbility,
    /// Gigabit (or multi-gigabit) attempts that fail on missing pairs before the PHY stops
    /// advertising the failing speed and every speed above it.
    pub downshift_after: Option<u8>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Powered down or held in reset.
    Stopped,
    /// Running, but nothing on the wire.
    NoEnergy,
    /// Exchanging pages (or waiting for the partner to detect a forced signal).
    Negotiating,
    /// Resolved; the receivers are training.
    Training,
    Up,
    /// Resolved to nothing: no common mode or mismatched forced speeds. Stays so until something
    /// changes.
    NoLink,
}

#[derive(Clone, Debug)]
pub struct CopperLink {
    timing: LinkTiming,
    config: LinkConfig,
    phase: Phase,
    deadline: Option<Instant>,
    resolution: Option<Resolution>,
    gigabit_failures: u8,
    /// Once downshifted: the speeds from this one up are no longer advertised.
    downshifted: Option<Speed>,
    exchanges: u32,
    exchanges_without_link: u32,
}

impl CopperLink {
    pub fn new(timing: LinkTiming, config: LinkConfig) -> CopperLink {
        CopperLink {
            timing,
            config,
            phase: Phase::Stopped,
            deadline: None,
            resolution: None,
            gigabit_failures: 0,
            downshifted: None,
            exchanges: 0,
            exchanges_without_link: 0,
        }
    }

    /// (Re)starts from scratch with `config`: the link drops at once and the downshift
    /// counter clears.
    pub fn start(&mut self, now: Instant, config: LinkConfig, medium: &Medium) {
        self.config = config;
        self.gigabit_failures = 0;
        self.downshifted = None;
        self.begin(now, medium);
    }

    pub fn stop(&mut self) {
        self.phase = Phase::Stopped;
        self.deadline = None;
        self.resolution = None;
    }

    fn begin(&mut self, now: Instant, medium: &Medium) {
        self.resolution = None;
        let Some(partner) = medium.reachable_partner() else {
            self.phase = Phase::NoEnergy;
            self.deadline = None;
            return;
        };
        let t = &self.timing;
        let wait = match (self.config.ability.autoneg, partner.autoneg) {
            (true, true) => t.autoneg,
            (false, false) => t.forced_link,
            _ => t.parallel_detect,
        };
        self.phase = Phase::Negotiating;
        self.deadline = Some(after(now, wait));
    }

    /// Moves on at the deadline `now`.
    pub fn on_deadline(&mut self, now: Instant, medium: &Medium) {
        self.deadline = None;
        let Some(partner) = medium.reachable_partner() else {
            return self.begin(now, medium);
        };
        match self.phase {
            Phase::Negotiating => {
                let res = resolve(&self.effective_ability(), partner);
                if res.pages.is_some() {
                    self.exchanges += 1;
                }
                match &res.link {
                    None => {
                        self.phase = Phase::NoLink;
                        if res.pages.is_some() {
                            self.exchanges_without_link += 1;
                        }
                    }
                    // Parallel detection and forced 10/100 link as soon as the signal is
                    // recognised: the wait already covered it.
                    Some(l)
                        if l.method == Method::ParallelDetection
                            || l.speed < Speed::S1000 && l.method == Method::Forced =>
                    {
                        self.phase = Phase::Up;
                    }
                    Some(l) => {
                        let t = &self.timing;
                        let wait = match l.speed {
                            s if s < Speed::S1000 => t.link_10_100,
                            s if !medium.cable.supports(s) => t.gigabit_fail,
                            Speed::S1000 => t.link_1000,
                            _ => t.link_multigig,
                        };
                        self.phase = Phase::Training;
                        self.deadline = Some(after(now, wait));
                    }
                }
                self.resolution = Some(res);
            }
            Phase::Training => {
                let speed = self.link().map_or(Speed::S10, |l| l.speed);
                if medium.cable.supports(speed) {
                    self.phase = Phase::Up;
                } else {
                    self.exchanges_without_link += 1;
                    self.gigabit_failures = self.gigabit_failures.saturating_add(1);
                    if self.config.ability.autoneg
                        && self
                            .config
                            .downshift_after
                            .is_some_and(|n| self.gigabit_failures >= n)
                    {
                        // The next lower speed gets its own count of attempts.
                        self.downshifted = Some(speed);
                        self.gigabit_failures = 0;
                    }
                    self.begin(now, medium);
                }
            }
            Phase::Stopped | Phase::NoEnergy | Phase::Up | Phase::NoLink => {}
        }
    }

    /// The local ability as negotiated now: once downshifted, without the speed that failed
    /// and those above it.
    fn effective_ability(&self) -> LocalAbility {
        let mut a = self.config.ability.clone();
        if let Some(cap) = self.downshifted {
            a.advertise = a.advertise.iter().filter(|m| m.speed() < cap).collect();
        }
        a
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    pub fn is_up(&self) -> bool {
        self.phase == Phase::Up
    }

    pub fn running(&self) -> bool {
        self.phase != Phase::Stopped
    }

    /// The link as the MAC sees it; `isolated` is the model's BMCR isolate bit.
    pub fn link_state(&self, isolated: bool) -> LinkState {
        let up = self.is_up();
        let resolved = self.link().filter(|_| up);
        LinkState {
            up,
            speed: resolved.map(|l| l.speed),
            duplex: resolved.map(|l| l.duplex),
            pause: resolved.map(|l| l.pause).unwrap_or_default(),
            isolated,
        }
    }

    /// The resolved link while training or up.
    pub fn link(&self) -> Option<&ResolvedLink> {
        match self.phase {
            Phase::Training | Phase::Up => self.resolution.as_ref()?.link.as_ref(),
            _ => None,
        }
    }

    /// The partner's pages, from the exchange until the next restart.
    pub fn pages(&self) -> Option<&PartnerPages> {
        self.resolution.as_ref()?.pages.as_ref()
    }

    pub fn downshifted(&self) -> bool {
        self.downshifted.is_some()
    }

    /// Completed page exchanges since creation.
    pub fn exchanges(&self) -> u32 {
        self.exchanges
    }

    /// Completed exchanges (or forced 1000BASE-T attempts) that brought no link.
    pub fn exchanges_without_link(&self) -> u32 {
        self.exchanges_without_link
    }

    pub fn config(&self) -> &LinkConfig {
        &self.config
    }

    pub fn timing(&self) -> &LinkTiming {
        &self.timing
    }

    /// New delays apply from the next step on.
    pub fn set_timing(&mut self, timing: LinkTiming) {
        self.timing = timing;
    }
}

fn after(now: Instant, d: Duration) -> Instant {
    now + d.max(MIN_STEP)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::medium::{Duplex, LinkMode, LinkModes, LinkPartner, Pause};
    use crate::resolve::MasterSlave;

    fn config(downshift_after: Option<u8>) -> LinkConfig {
        LinkConfig {
            ability: LocalAbility {
                autoneg: true,
                forced: (Speed::S1000, Duplex::Full),
                advertise: LinkMode::ALL[..6].iter().copied().collect(),
                pause: Pause::None,
                master_slave: MasterSlave::Auto {
                    prefer_master: false,
                },
            },
            downshift_after,
        }
    }

    fn run_until_settled(l: &mut CopperLink, m: &Medium, limit: Instant) -> Instant {
        let mut now = Instant::ZERO;
        while let Some(d) = l.deadline().filter(|d| *d <= limit) {
            now = d;
            l.on_deadline(d, m);
        }
        now
    }

    #[test]
    fn gigabit_takes_autoneg_plus_training() {
        let t = LinkTiming::default();
        let m = Medium::cable_to(LinkPartner::negotiating(LinkModes::all()), 5.0);
        let mut l = CopperLink::new(t.clone(), config(None));
        l.start(Instant::ZERO, config(None), &m);
        let up_at = run_until_settled(&mut l, &m, Instant::from_nanos(10_000_000_000));
        assert!(l.is_up());
        assert_eq!(up_at, Instant::ZERO + t.autoneg + t.link_1000);
        assert_eq!(l.exchanges(), 1);
    }

    #[test]
    fn two_pairs_downshift_after_the_configured_attempts() {
        let mut m = Medium::cable_to(LinkPartner::negotiating(LinkModes::all()), 5.0);
        m.cable.pairs = 2;
        let t = LinkTiming::default();
        let mut l = CopperLink::new(t.clone(), config(Some(3)));
        l.start(Instant::ZERO, config(Some(3)), &m);
        let up_at = run_until_settled(&mut l, &m, Instant::from_nanos(60_000_000_000));
        assert!(l.is_up() && l.downshifted());
        assert_eq!(l.link().unwrap().speed, Speed::S100);
        assert_eq!(l.exchanges_without_link(), 3);
        assert_eq!(
            up_at,
            Instant::ZERO + (t.autoneg + t.gigabit_fail) * 3 + t.autoneg + t.link_10_100
        );

        // Without downshift it keeps trying.
        let mut l = CopperLink::new(t, config(None));
        l.start(Instant::ZERO, config(None), &m);
        run_until_settled(&mut l, &m, Instant::from_nanos(60_000_000_000));
        assert!(!l.is_up());
        assert!(l.deadline().is_some());
    }

    #[test]
    fn multigig_trains_longer_and_downshifts_speed_by_speed() {
        let t = LinkTiming::default();
        let mut cfg = config(Some(2));
        cfg.ability.advertise = LinkModes::all();
        let mut m = Medium::cable_to(LinkPartner::negotiating(LinkModes::all()), 5.0);
        let mut l = CopperLink::new(t.clone(), cfg.clone());
        l.start(Instant::ZERO, cfg.clone(), &m);
        let up_at = run_until_settled(&mut l, &m, Instant::from_nanos(10_000_000_000));
        assert_eq!(l.link().unwrap().speed, Speed::S10000);
        assert_eq!(up_at, Instant::ZERO + t.autoneg + t.link_multigig);

        m.cable.pairs = 2;
        let mut l = CopperLink::new(t.clone(), cfg.clone());
        l.start(Instant::ZERO, cfg, &m);
        run_until_settled(&mut l, &m, Instant::from_nanos(100_000_000_000));
        assert!(l.is_up() && l.downshifted());
        assert_eq!(l.link().unwrap().speed, Speed::S100);
        // 10G, 5G, 2.5G and 1000 each fail twice.
        assert_eq!(l.exchanges_without_link(), 8);
    }

    #[test]
    fn unplug_drops_at_once() {
        let mut m = Medium::cable_to(LinkPartner::negotiating(LinkModes::all()), 5.0);
        let mut l = CopperLink::new(LinkTiming::default(), config(None));
        l.start(Instant::ZERO, config(None), &m);
        let now = run_until_settled(&mut l, &m, Instant::from_nanos(10_000_000_000));
        m.cable.connected = false;
        l.start(now, config(None), &m);
        assert_eq!(l.phase(), Phase::NoEnergy);
        assert_eq!(l.deadline(), None);
    }
}
