//! Time-domain reflectometry as the Alaska cable testers see a pair: what the receiver hears
//! at each distance after a test pulse, and how long averaging the echoes takes. Shared by the
//! 88E151x (VCT7 / VCT5) and 88E1111 (VCT) models; each encodes the result its own way.
//!
//! The cable is what `Medium::pair_report` says it is: at most one reflection per pair, at the
//! fault (or the unterminated end), and nothing from a pair a partner terminates.
//!
//! - Reflection coefficient by fault: open +1 (the pulse comes back in phase), short -1
//!   (inverted), cross-pair short -0.5 (the other pair's conductor loads this one: a partial
//!   inversion), impedance mismatch +0.25 (a 100 Ω pair spliced to a ~150 Ω run).
//! - Attenuation: 3 dB per 100 m each way (cat 5e insertion loss at the few MHz that carry
//!   most of a 32-128 ns pulse's energy), so the echo halves for every 100 m to the fault.
//! - Shape: a triangle centred on the fault, as wide on each side as the pulse is long (the
//!   pulse's autocorrelation, which is what a matched receiver sees): 128 ns spans ±16 samples
//!   (±12.9 m), 32 ns ±4 (±3.2 m).
//! - Zero elsewhere: the receiver cancels its own transmit pulse; no noise, no crosstalk.

use crate::medium::{FaultKind, PairReport};
use std::time::Duration;

/// Round-trip distance per receiver sample: 8 ns at 125 MHz with a velocity of propagation of
/// 0.67 c (cat 5e), the 80.5 cm marvell_vct5_distance2cm() uses.
pub const SAMPLE_M: f64 = 0.805;

/// How long the receiver listens after each pulse: the 512 sample points of 8 ns the sample
/// distance register (9 bits) addresses, ~411 m of cable. Echoes from beyond die out before
/// the next pulse.
pub const PULSE_PERIOD: Duration = Duration::from_nanos(512 * 8);

/// Echo loss per metre of cable, each way.
const LOSS_DB_PER_M: f64 = 0.03;

/// The test pulse.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Pulse {
    pub width_ns: u32,
    pub amplitude_mv: f64,
}

/// The fraction of the pulse a fault reflects.
pub fn reflection_coefficient(kind: FaultKind) -> f64 {
    match kind {
        FaultKind::Open => 1.0,
        FaultKind::Short => -1.0,
        FaultKind::CrossShort => -0.5,
        FaultKind::ImpedanceMismatch => 0.25,
    }
}

/// The echo's peak relative to the pulse: the reflection coefficient attenuated over the
/// round trip. 0 for a terminated pair.
pub fn peak_echo(report: PairReport) -> f64 {
    match report {
        PairReport::Ok => 0.0,
        PairReport::Fault { kind, distance_m } => {
            reflection_coefficient(kind) * 10f64.powf(-LOSS_DB_PER_M * 2.0 * distance_m / 20.0)
        }
    }
}

/// What the receiver hears, in mV, at `at_m` from the connector after `pulse`.
pub fn echo_mv(report: PairReport, pulse: Pulse, at_m: f64) -> f64 {
    let PairReport::Fault { distance_m, .. } = report else {
        return 0.0;
    };
    let half_width_m = f64::from(pulse.width_ns) / 8.0 * SAMPLE_M;
    let shape = (1.0 - (at_m - distance_m).abs() / half_width_m).max(0.0);
    peak_echo(report) * pulse.amplitude_mv * shape
}

/// The time to send `pulses` pulses and average their echoes.
pub fn capture_time(pulses: u32) -> Duration {
    PULSE_PERIOD * pulses
}

#[cfg(test)]
mod tests {
    use super::*;

    const PULSE: Pulse = Pulse {
        width_ns: 128,
        amplitude_mv: 1000.0,
    };

    fn fault(kind: FaultKind, distance_m: f64) -> PairReport {
        PairReport::Fault { kind, distance_m }
    }

    #[test]
    fn echo_peaks_at_the_fault_and_halves_per_100_m() {
        let open = fault(FaultKind::Open, 100.0);
        assert!((echo_mv(open, PULSE, 100.0) - 501.2).abs() < 0.1);
        assert!(echo_mv(open, PULSE, 100.0) > echo_mv(open, PULSE, 99.0));
        assert!(echo_mv(open, PULSE, 100.0) > echo_mv(open, PULSE, 101.0));
        assert_eq!(echo_mv(open, PULSE, 87.0), 0.0, "beyond the pulse's reach");
        assert_eq!(echo_mv(PairReport::Ok, PULSE, 100.0), 0.0);
        assert!(echo_mv(fault(FaultKind::Short, 10.0), PULSE, 10.0) < -900.0);
        let mismatch = echo_mv(fault(FaultKind::ImpedanceMismatch, 10.0), PULSE, 10.0);
        assert!(mismatch > 0.0 && mismatch < 250.0);
    }

    #[test]
    fn averaging_128_pulses_takes_half_a_millisecond() {
        assert_eq!(capture_time(128), Duration::from_nanos(524_288));
    }
}
