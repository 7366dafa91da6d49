//! Accesses a model answered without modelling them, for the device server to log.

use crate::Instant;
use std::collections::BTreeSet;
use std::fmt;

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// A Clause 22 register; `page` for vendor-paged registers.
    C22 { page: Option<u8>, reg: u8 },
    /// An MMD register reached through Clause 22 registers 13/14.
    Mmd { devad: u8, reg: u16 },
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Op {
    Read { answered: u16 },
    Write { value: u16 },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnimplementedAccess {
    pub at: Instant,
    pub target: Target,
    pub op: Op,
}

impl fmt::Display for UnimplementedAccess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.target {
            Target::C22 { page: Some(p), reg } => write!(f, "page {p} reg {reg}")?,
            Target::C22 { page: None, reg } => write!(f, "reg {reg}")?,
            Target::Mmd { devad, reg } => write!(f, "MMD {devad}.{reg}")?,
        }
        match self.op {
            Op::Read { answered } => write!(f, ": read, not modelled, answered {answered:#06x}"),
            Op::Write { value } => write!(f, ": write of {value:#06x}, not modelled, ignored"),
        }
    }
}

/// Keeps the first read and the first write of each unmodelled register until the server takes
/// them, so a driver polling one in a loop logs it once.
#[derive(Clone, Debug, Default)]
pub struct UnimplementedLog {
    seen: BTreeSet<(Target, bool)>,
    pending: Vec<UnimplementedAccess>,
}

impl UnimplementedLog {
    pub fn record(&mut self, at: Instant, target: Target, op: Op) {
        if self.seen.insert((target, matches!(op, Op::Write { .. }))) {
            self.pending.push(UnimplementedAccess { at, target, op });
        }
    }

    pub fn take(&mut self) -> Vec<UnimplementedAccess> {
        std::mem::take(&mut self.pending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_read_and_first_write_only() {
        let mut log = UnimplementedLog::default();
        let t = Target::C22 {
            page: Some(5),
            reg: 23,
        };
        log.record(Instant(1), t, Op::Read { answered: 0 });
        log.record(Instant(2), t, Op::Read { answered: 0 });
        log.record(Instant(3), t, Op::Write { value: 1 });
        let got = log.take();
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[0].to_string(),
            "page 5 reg 23: read, not modelled, answered 0x0000"
        );
        assert!(log.take().is_empty());
        log.record(Instant(4), t, Op::Write { value: 2 });
        assert!(log.take().is_empty(), "already reported");
    }
}
