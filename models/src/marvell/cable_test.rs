//! The 88E151x cable testers: VCT7 (page 7), the automatic test that classifies each pair and
//! measures the distance to its fault, and VCT5, the "advanced VCT" TDR engine (page 5) that
//! reports the echo at one sample point or the strongest echo on each pair.
//!
//! Both share one transmitter: starting either abandons a test in progress. While a test
//! runs the copper link is down (the pairs carry test pulses, not a link); when it ends the
//! link starts over with the configuration committed at the last reset and a fresh
//! advertisement, as after any other interruption. marvell_cable_test_start_common() has
//! committed autonegotiation off by then, so the PHY comes back forced and phylib's
//! config_aneg after the test is what brings autonegotiation, and the link, back.
//!
//! VCT7 runs on the VCT5 engine's settings (marvell_vct7_cable_test_start() resets 5_23 to
//! its defaults "otherwise VCT7 does not work correctly"): it averages the 5_23 sample count of
//! pulses once for the pairs' own echoes and, unless 7_21.13 disables the cross-pair check,
//! once more per transmitting pair.

use super::regs::{
    self, vct5_control as c5, vct5_pair, vct5_pulse, vct7_control as c7, vct7_result,
};
use super::tdr::{self, Pulse};
use super::Marvell151x;
use crate::medium::{FaultKind, PairReport};
use crate::Instant;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(super) enum Tester {
    Vct7,
    Vct5,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(super) struct CableTest {
    pub tester: Tester,
    pub done: Instant,
}

/// Peak modes search the sample points an 8-bit result distance can name.
const PEAK_SEARCH: u16 = 255;

impl Marvell151x {
    /// A guest write asked `tester` to run.
    pub(super) fn start_cable_test(&mut self, now: Instant, tester: Tester) {
        self.abort_cable_test();
        if !self.port_active() {
            // Powered down or in reset: no transmitter to test with.
            return self.invalidate(tester);
        }
        let pulses = self.pulses_averaged();
        let captures = match tester {
            Tester::Vct5 => {
                self.regs.set_live(regs::VCT5_CONTROL, c5::COMPLETE, 0);
                1
            }
            Tester::Vct7 => {
                self.regs
                    .set_live(regs::VCT7_CONTROL, c7::IN_PROGRESS, c7::IN_PROGRESS);
                // "Invalid or incomplete" until the test ends.
                self.set_vct7_results([(vct7_result::INVALID, 0); 4]);
                let cross = self.regs.live(regs::VCT7_CONTROL) & c7::DISABLE_CROSS_PAIR == 0;
                if cross {
                    5
                } else {
                    1
                }
            }
        };
        self.core.link.stop();
        self.cable_test = Some(CableTest {
            tester,
            done: now + tdr::capture_time(pulses) * captures,
        });
    }

    /// The test in progress ends at `t`: results in, link back.
    pub(super) fn finish_cable_test(&mut self, t: Instant) {
        let Some(test) = self.cable_test.take() else {
            return;
        };
        let reports: [PairReport; 4] = std::array::from_fn(|p| self.core.medium.pair_report(p));
        match test.tester {
            Tester::Vct7 => {
                let ctrl = self.regs.live(regs::VCT7_CONTROL);
                let cross = ctrl & c7::DISABLE_CROSS_PAIR == 0;
                let meters = ctrl & c7::METERS != 0;
                self.set_vct7_results(reports.map(|r| vct7(r, cross, meters)));
                self.regs.set_live(regs::VCT7_CONTROL, c7::IN_PROGRESS, 0);
                self.regs.complete(regs::VCT7_CONTROL, c7::RUN_NOW);
            }
            Tester::Vct5 => {
                let words = self.vct5_results(&reports);
                for (p, w) in words.into_iter().enumerate() {
                    self.regs.set_live(regs::vct5_pair(p), 0xffff, w);
                }
                self.regs
                    .set_live(regs::VCT5_CONTROL, c5::COMPLETE, c5::COMPLETE);
                self.regs.complete(regs::VCT5_CONTROL, c5::ENABLE);
            }
        }
        if self.port_active() {
            self.restart_with_advertisement(t, false);
        }
    }

    /// A reset or power down interrupts the test in progress: its results are invalid. The
    /// caller decides what the link does.
    pub(super) fn abort_cable_test(&mut self) {
        if let Some(test) = self.cable_test.take() {
            self.invalidate(test.tester);
        }
    }

    /// The tester stops without a result: VCT7 reads "invalid" on every pair, VCT5 reads a
    /// zero word (no sign, no amplitude: Marvell's API calls that a failed test) and never
    /// shows complete.
    fn invalidate(&mut self, tester: Tester) {
        match tester {
            Tester::Vct7 => {
                self.set_vct7_results([(vct7_result::INVALID, 0); 4]);
                self.regs.set_live(regs::VCT7_CONTROL, c7::IN_PROGRESS, 0);
                self.regs.complete(regs::VCT7_CONTROL, c7::RUN_NOW);
            }
            Tester::Vct5 => {
                for p in 0..4 {
                    self.regs.set_live(regs::vct5_pair(p), 0xffff, 0);
                }
                self.regs.complete(regs::VCT5_CONTROL, c5::ENABLE);
            }
        }
    }

    fn set_vct7_results(&mut self, results: [(u16, u16); 4]) {
        let mut codes = 0;
        for (p, (code, length)) in results.into_iter().enumerate() {
            codes |= code << (4 * p);
            self.regs.set_live(regs::vct7_length(p), 0xffff, length);
        }
        self.regs.set_live(regs::VCT7_RESULTS, 0xffff, codes);
    }

    /// 5_23.10:8: 2, 4, ... 256 pulses.
    fn pulses_averaged(&self) -> u32 {
        2 << ((self.regs.live(regs::VCT5_CONTROL) & c5::SAMPLES) >> 8)
    }

    fn pulse(&self) -> Pulse {
        let p = self.regs.live(regs::VCT5_PULSE);
        Pulse {
            width_ns: [128, 96, 64, 32][usize::from((p & vct5_pulse::WIDTH) >> 10)],
            amplitude_mv: [1000.0, 750.0, 500.0, 250.0]
                [usize::from((p & vct5_pulse::AMPLITUDE) >> 8)],
        }
    }

    /// 5_16..5_19 after a VCT5 measurement of `reports`.
    fn vct5_results(&self, reports: &[PairReport; 4]) -> [u16; 4] {
        let ctrl = self.regs.live(regs::VCT5_CONTROL);
        let pulse = self.pulse();
        // TX channel 4-7: only that pair transmits; the others hear nothing (no crosstalk
        // and no coupling through a cross-pair short is modelled).
        let transmitter = match (ctrl & c5::TX_CHANNEL) >> 11 {
            n @ 4..=7 => Some(usize::from(n - 4)),
            _ => None,
        };
        std::array::from_fn(|p| {
            let heard = transmitter.is_none_or(|t| t == p);
            let echo = |sample: u16| {
                if heard {
                    tdr::echo_mv(reports[p], pulse, f64::from(sample) * tdr::SAMPLE_M)
                } else {
                    0.0
                }
            };
            match ctrl & c5::MODE {
                c5::MODE_SAMPLE_POINT => {
                    amplitude_word(echo(self.regs.live(regs::VCT5_SAMPLE_DISTANCE)))
                }
                // The receiver has no DC offset to report.
                c5::MODE_OFFSET => vct5_pair::POSITIVE,
                // One echo per pair: the first peak is the strongest. No echo: distance 0.
                _ => {
                    let (at, word) = (0..=PEAK_SEARCH)
                        .map(|s| (s, amplitude_word(echo(s))))
                        .fold((0, vct5_pair::POSITIVE), |best, cur| {
                            if cur.1 & vct5_pair::AMPLITUDE > best.1 & vct5_pair::AMPLITUDE {
                                cur
                            } else {
                                best
                            }
                        });
                    word | at
                }
            }
        })
    }
}

/// 5_16..5_19 bits 15:8 for an echo of `mv`: sign, and 7 bits of 1000/128 mV (the scale
/// marvell_vct5_amplitude() reads back), saturating. A zero echo reads positive.
fn amplitude_word(mv: f64) -> u16 {
    let steps = (mv.abs() * 128.0 / 1000.0).round().min(127.0) as u16;
    let positive = mv >= 0.0 || steps == 0;
    (if positive { vct5_pair::POSITIVE } else { 0 }) | steps << 8
}

/// VCT7's verdict on one pair and its 7_16..7_19 distance, in centimetres or (`meters`)
/// metres, rounded. VCT7 has no impedance mismatch code: a mismatch reflects too little to be
/// an open and the pair reads OK. With the cross-pair check off, a cross-pair short is judged
/// by its own echo, which is inverted: a short.
fn vct7(report: PairReport, cross: bool, meters: bool) -> (u16, u16) {
    let PairReport::Fault { kind, distance_m } = report else {
        return (vct7_result::OK, 0);
    };
    let code = match kind {
        FaultKind::ImpedanceMismatch => return (vct7_result::OK, 0),
        FaultKind::Open => vct7_result::OPEN,
        FaultKind::Short => vct7_result::SAME_PAIR_SHORT,
        FaultKind::CrossShort if cross => vct7_result::CROSS_PAIR_SHORT,
        FaultKind::CrossShort => vct7_result::SAME_PAIR_SHORT,
    };
    let unit = if meters { 1.0 } else { 100.0 };
    (
        code,
        (distance_m * unit).round().clamp(0.0, f64::from(u16::MAX)) as u16,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amplitude_words_follow_the_driver_scale() {
        assert_eq!(amplitude_word(0.0), 0x8000);
        assert_eq!(amplitude_word(-1.0), 0x8000, "rounds to zero: positive");
        assert_eq!(amplitude_word(500.0), 0x8000 | 64 << 8);
        assert_eq!(amplitude_word(-500.0), 64 << 8);
        assert_eq!(amplitude_word(2000.0), 0x8000 | 127 << 8, "saturates");
    }

    #[test]
    fn vct7_lengths_round_to_the_unit() {
        let open = PairReport::Fault {
            kind: FaultKind::Open,
            distance_m: 12.345,
        };
        assert_eq!(vct7(open, true, false), (vct7_result::OPEN, 1235));
        assert_eq!(vct7(open, true, true), (vct7_result::OPEN, 12));
        assert_eq!(vct7(PairReport::Ok, true, false), (vct7_result::OK, 0));
    }
}
