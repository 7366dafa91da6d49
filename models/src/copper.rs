//! The twisted-pair link over time: from a (re)start through the page exchange and training to
//! link up, what drops it, MASTER-SLAVE configuration faults, and downshift. Register-agnostic:
//! a model maps its phases and counters onto its own status registers.

use crate::catalog::ModelInfo;
use crate::medium::{LinkState, Medium, Speed};
use crate::notes::UnimplementedLog;
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
    /// Pages exchanged, but MASTER-SLAVE resolution failed (IEEE 802.3 40.5.1.2). The 1000BASE-T
    /// (or multi-gigabit) PMA never reports link_status OK, so when the arbitration's
    /// link_fail_inhibit_timer expires (28.3.4, Figure 28-16: 750-1000 ms, `gigabit_fail`)
    /// autonegotiation starts over, and with an unchanged configuration faults again.
    MasterSlaveFault,
}

/// What every model keeps besides its registers: which part it is, the wire, the link on it
/// and the accesses it could not answer. [`copper_phy!`] builds the common `Phy` methods on it.
#[derive(Clone, Debug)]
pub struct CopperCore {
    pub info: &'static ModelInfo,
    pub medium: Medium,
    pub link: CopperLink,
    pub log: UnimplementedLog,
}

impl CopperCore {
    /// No cable plugged in, the link not started yet.
    pub fn new(info: &'static ModelInfo, config: LinkConfig) -> CopperCore {
        CopperCore {
            info,
            medium: Medium::unplugged(),
            link: CopperLink::new(LinkTiming::default(), config),
            log: UnimplementedLog::default(),
        }
    }
}

/// The `Phy` methods that only differ between models in how a running link starts over and
/// which bit isolates the MAC interface; used inside `impl Phy`, with the model's
/// [`CopperCore`] in a field `core` and its status derivation in `sync`. `restart` starts a
/// running link over at an instant after the medium changed, `isolated` tells whether the MAC
/// interface is cut off (the link state then says so).
macro_rules! copper_phy {
    (
        restart: |$rm:ident, $now:ident| $restart:expr,
        isolated: |$m:tt| $isolated:expr $(,)?
    ) => {
        fn set_medium(&mut self, now: $crate::Instant, medium: $crate::Medium) {
            $crate::MdioDevice::advance(self, now);
            if medium == self.core.medium {
                return;
            }
            self.core.medium = medium;
            if self.core.link.running() {
                let ($rm, $now) = (&mut *self, now);
                $restart;
            }
            self.sync();
        }

        fn medium(&self) -> &$crate::Medium {
            &self.core.medium
        }

        fn link_state(&self) -> $crate::LinkState {
            let $m = self;
            self.core.link.link_state($isolated)
        }

        fn info(&self) -> &$crate::ModelInfo {
            self.core.info
        }

        fn link_timing(&self) -> &$crate::LinkTiming {
            self.core.link.timing()
        }

        fn set_link_timing(&mut self, timing: $crate::LinkTiming) {
            self.core.link.set_timing(timing);
        }

        fn take_unimplemented(&mut self) -> Vec<$crate::UnimplementedAccess> {
            self.core.log.take()
        }
    };
}
pub(crate) use copper_phy;

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
                    None if res.master_slave_fault => {
                        self.exchanges_without_link += 1;
                        self.phase = Phase::MasterSlaveFault;
                        self.deadline = Some(after(now, self.timing.gigabit_fail));
                    }
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
            Phase::MasterSlaveFault => self.begin(now, medium),
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

    /// MASTER-SLAVE resolution failed at the last exchange and autonegotiation has not
    /// restarted yet: what 1000BASE-T status 10.15 (10GBASE-T AN status 7.33.15) shows live.
    pub fn master_slave_fault(&self) -> bool {
        self.phase == Phase::MasterSlaveFault
    }

    pub fn downshifted(&self) -> bool {
        self.downshifted.is_some()
    }

    /// Completed page exchanges since creation.
    pub fn exchanges(&self) -> u32 {
        self.exchanges
    }

    /// Completed exchanges (or forced 1000BASE-T attempts) that brought no link, master/slave
    /// faults included.
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
                eee: LinkModes::EMPTY,
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

    #[test]
    fn a_master_slave_fault_restarts_autonegotiation_after_link_fail_inhibit() {
        let t = LinkTiming::default();
        let mut cfg = config(None);
        cfg.ability.master_slave = MasterSlave::Manual { master: true };
        let forced_master = LinkPartner {
            master_slave: MasterSlave::Manual { master: true },
            ..LinkPartner::negotiating(LinkModes::all())
        };
        let mut m = Medium::cable_to(forced_master, 5.0);
        let mut l = CopperLink::new(t.clone(), cfg.clone());
        l.start(Instant::ZERO, cfg.clone(), &m);
        let exchanged = Instant::ZERO + t.autoneg;
        l.on_deadline(exchanged, &m);
        assert_eq!(l.phase(), Phase::MasterSlaveFault);
        assert!(l.master_slave_fault() && l.link().is_none() && l.pages().is_some());
        assert_eq!(l.exchanges_without_link(), 1);
        assert_eq!(l.deadline(), Some(exchanged + t.gigabit_fail));
        l.on_deadline(exchanged + t.gigabit_fail, &m);
        assert_eq!(l.phase(), Phase::Negotiating);
        assert!(!l.master_slave_fault() && l.pages().is_none());
        // It keeps failing, and never downshifts for it.
        let now = (0..5).fold(exchanged + t.gigabit_fail, |_, _| {
            let d = l.deadline().unwrap();
            l.on_deadline(d, &m);
            d
        });
        assert!(!l.downshifted() && !l.is_up());
        // The partner turning to manual SLAVE resolves it on the next start.
        m.partner.as_mut().unwrap().master_slave = MasterSlave::Manual { master: false };
        l.start(now, cfg, &m);
        run_until_settled(&mut l, &m, now + Duration::from_secs(5));
        assert!(l.is_up());
        assert_eq!(l.link().unwrap().master, Some(true));
    }

    #[test]
    fn eee_follows_the_committed_advertisement() {
        let mut cfg = config(None);
        cfg.ability.eee = [LinkMode::BaseT100Full, LinkMode::BaseT1000Full]
            .into_iter()
            .collect();
        let partner = LinkPartner {
            eee: LinkModes::all(),
            ..LinkPartner::negotiating(LinkModes::all())
        };
        let m = Medium::cable_to(partner, 5.0);
        let mut l = CopperLink::new(LinkTiming::default(), cfg.clone());
        l.start(Instant::ZERO, cfg.clone(), &m);
        let now = run_until_settled(&mut l, &m, Instant::from_nanos(10_000_000_000));
        assert!(l.is_up() && l.link().unwrap().eee);
        cfg.ability.eee = LinkModes::EMPTY;
        l.start(now, cfg, &m);
        run_until_settled(&mut l, &m, now + Duration::from_secs(5));
        assert!(l.is_up() && !l.link().unwrap().eee);
    }
}
