//! How long the link takes to do things. Defaults are realistic for a 1000BASE-T PHY; a
//! scenario may shorten them.

use serde::Serialize;
use std::time::Duration;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LinkTiming {
    /// Autonegotiation (re)start to base and next pages exchanged and the highest common
    /// denominator resolved: break_link_timer (1.2-1.5 s, IEEE 802.3 28.3.2) plus the FLP burst
    /// exchange.
    pub autoneg: Duration,
    /// Resolution to link up on 10BASE-T or 100BASE-TX (receiver lock, link_fail_inhibit).
    pub link_10_100: Duration,
    /// Resolution to link up on 1000BASE-T: master/slave training of the four pairs.
    pub link_1000: Duration,
    /// Resolution to link up on 2.5G/5G/10GBASE-T: PMA training (startup sequence of IEEE 802.3
    /// 55.4.2.5 / 126.4.2.5: PAM-2 training, THP exchange, PCS test), about 2-3 s on real PHYs.
    pub link_multigig: Duration,
    /// How long 1000BASE-T training tries before giving up when a pair is missing
    /// (maxwait_timer, IEEE 802.3 40.4.5.2); autonegotiation then starts again.
    pub gigabit_fail: Duration,
    /// Start to link up by parallel detection, when only one end negotiates.
    pub parallel_detect: Duration,
    /// Start to link up when neither end negotiates.
    pub forced_link: Duration,
    /// A software reset (BMCR.15 and vendor equivalents) to its bit self-clearing.
    pub soft_reset: Duration,
}

impl Default for LinkTiming {
    fn default() -> Self {
        LinkTiming {
            autoneg: Duration::from_millis(1300),
            link_10_100: Duration::from_millis(50),
            link_1000: Duration::from_millis(350),
            link_multigig: Duration::from_millis(2500),
            gigabit_fail: Duration::from_millis(750),
            parallel_detect: Duration::from_millis(1100),
            forced_link: Duration::from_millis(150),
            soft_reset: Duration::from_micros(500),
        }
    }
}

/// The shortest step a timer takes, so that zero durations cannot stall time.
pub(crate) const MIN_STEP: Duration = Duration::from_micros(1);
