//! What `ethtool --cable-test` shows for a pair, as the replays of the drivers' cable tests
//! return it.

/// ETHTOOL_A_CABLE_RESULT_CODE_*.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Code {
    Unspec,
    Ok,
    Open,
    SameShort,
    CrossShort,
    ImpedanceMismatch,
}

/// One pair's result: the code and the fault length (cm), if the driver reports one.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PairResult {
    pub code: Code,
    pub length_cm: Option<u32>,
}

/// A result with `code` and `length_cm`.
pub const fn result(code: Code, length_cm: Option<u32>) -> PairResult {
    PairResult { code, length_cm }
}

/// A good pair (no length).
pub const OK: PairResult = result(Code::Ok, None);

/// No result.
pub const UNSPEC: PairResult = result(Code::Unspec, None);

/// An open `cm` away.
pub const fn open(cm: u32) -> PairResult {
    result(Code::Open, Some(cm))
}

/// A short within the pair `cm` away.
pub const fn short(cm: u32) -> PairResult {
    result(Code::SameShort, Some(cm))
}
