//! Durations as scenarios write them: `250ms`, `2s`, `1.5s`, `1m`, `500us`, `0s` or a bare `0`.

use std::fmt;
use std::time::Duration;

const UNITS: [(&str, u128); 4] = [
    ("us", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
];

const HINT: &str =
    "write a number and a unit, e.g. `250ms`, `2s`, `1.5s`, `1m`, `500us` (units: us, ms, s, m)";

/// Parses a scenario duration. The error is a sentence for a user.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    if s == "0" {
        return Ok(Duration::ZERO);
    }
    if s.starts_with('-') {
        return Err(format!("`{s}`: a duration cannot be negative"));
    }
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let (int, frac) = number.split_once('.').unwrap_or((number, ""));
    if int.is_empty() || (number.contains('.') && frac.is_empty()) || frac.contains('.') {
        return Err(format!("`{s}` is not a duration; {HINT}"));
    }
    if unit.is_empty() {
        return Err(format!("`{s}` has no unit; {HINT}"));
    }
    let Some(&(_, scale)) = UNITS.iter().find(|(u, _)| *u == unit) else {
        return Err(format!("`{s}`: unknown unit `{unit}`; {HINT}"));
    };
    let too_long = || format!("`{s}` is too long a duration");
    if int.len() > 20 || frac.len() > 20 {
        return Err(too_long());
    }
    let int: u128 = int.parse().map_err(|_| too_long())?;
    let mut ns = int.checked_mul(scale).ok_or_else(too_long)?;
    if !frac.is_empty() {
        let den = 10u128.pow(frac.len() as u32);
        let num = frac.parse::<u128>().map_err(|_| too_long())? * scale;
        if num % den != 0 {
            return Err(format!("`{s}` is finer than a nanosecond"));
        }
        ns += num / den;
    }
    let secs = u64::try_from(ns / 1_000_000_000).map_err(|_| too_long())?;
    Ok(Duration::new(secs, (ns % 1_000_000_000) as u32))
}

/// Formats a duration the way scenarios write it: `0s`, `2s`, `1.5s`, `250ms`, `500us`,
/// `0.001us` (1 ns). [`parse_duration`] reads every output back to the same value.
pub fn fmt_duration(d: Duration) -> String {
    let ns = d.as_nanos();
    let (scale, unit) = if ns == 0 || ns >= 1_000_000_000 {
        (1_000_000_000u128, "s")
    } else if ns >= 1_000_000 {
        (1_000_000, "ms")
    } else {
        (1_000, "us")
    };
    let (int, frac) = (ns / scale, ns % scale);
    if frac == 0 {
        return format!("{int}{unit}");
    }
    let width = scale.ilog10() as usize;
    let frac = format!("{frac:0width$}");
    format!("{int}.{}{unit}", frac.trim_end_matches('0'))
}

/// `Display` for a [`Duration`] in scenario notation: `format!("{}", DisplayDuration(d))`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DisplayDuration(pub Duration);

impl fmt::Display for DisplayDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&fmt_duration(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn parses_the_documented_forms() {
        assert_eq!(parse_duration("250ms"), Ok(ms(250)));
        assert_eq!(parse_duration("2s"), Ok(ms(2000)));
        assert_eq!(parse_duration("1.5s"), Ok(ms(1500)));
        assert_eq!(parse_duration("1m"), Ok(ms(60_000)));
        assert_eq!(parse_duration("500us"), Ok(Duration::from_micros(500)));
        assert_eq!(parse_duration("0s"), Ok(Duration::ZERO));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert_eq!(parse_duration("0.001us"), Ok(Duration::from_nanos(1)));
        assert_eq!(parse_duration("2.25m"), Ok(ms(135_000)));
    }

    #[test]
    fn refuses_the_rest() {
        for (bad, why) in [
            ("2", "has no unit"),
            ("1.5", "has no unit"),
            ("2h", "unknown unit `h`"),
            ("2 s", "unknown unit ` s`"),
            ("-1s", "cannot be negative"),
            ("s", "is not a duration"),
            (".5s", "is not a duration"),
            ("5.s", "is not a duration"),
            ("1.2.3s", "is not a duration"),
            ("", "is not a duration"),
            ("0.0001us", "finer than a nanosecond"),
            ("99999999999999999999m", "too long"),
        ] {
            let e = parse_duration(bad).unwrap_err();
            assert!(e.contains(why), "{bad:?}: {e}");
        }
    }

    #[test]
    fn formats() {
        assert_eq!(fmt_duration(Duration::ZERO), "0s");
        assert_eq!(fmt_duration(ms(2000)), "2s");
        assert_eq!(fmt_duration(ms(1500)), "1.5s");
        assert_eq!(fmt_duration(ms(250)), "250ms");
        assert_eq!(fmt_duration(ms(60_000)), "60s");
        assert_eq!(fmt_duration(Duration::from_micros(500)), "500us");
        assert_eq!(fmt_duration(Duration::from_micros(1500)), "1.5ms");
        assert_eq!(fmt_duration(Duration::from_nanos(1)), "0.001us");
        assert_eq!(
            fmt_duration(Duration::from_nanos(1_000_000_001)),
            "1.000000001s"
        );
        assert_eq!(DisplayDuration(ms(2500)).to_string(), "2.5s");
    }

    proptest! {
        #[test]
        fn format_then_parse_is_identity(secs in 0u64..100_000, nanos in 0u32..1_000_000_000) {
            let d = Duration::new(secs, nanos);
            prop_assert_eq!(parse_duration(&fmt_duration(d)), Ok(d));
        }
    }
}
