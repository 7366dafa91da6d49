//! Cable tests over ethtool netlink: the CABLE_TEST_ACT / CABLE_TEST_TDR_ACT requests and the
//! CABLE_TEST_NTF / CABLE_TEST_TDR_NTF notifications the kernel multicasts to the ethtool
//! "monitor" group.
//!
//! Constants are from `ethtool_netlink_generated.h` and `ethtool_netlink.h` of Linux 7.3; the
//! layout of the notifications is what net/ethtool/cabletest.c builds.

use std::collections::BTreeMap;

use phy_sim_protocol::{Amplitude, CableTestMode, PairReport, TdrStep};

use crate::error::DecodeError;
use crate::ethtool::{
    check_genl_len, genl_header, ETHTOOL_A_HEADER_DEV_INDEX, ETHTOOL_A_HEADER_DEV_NAME,
    ETHTOOL_GENL_VERSION,
};
use crate::netlink::{attrs, get_u16, get_u32, get_u8, MsgBuilder, NLM_F_ACK, NLM_F_REQUEST};

pub const ETHTOOL_MSG_CABLE_TEST_ACT: u8 = 26;
pub const ETHTOOL_MSG_CABLE_TEST_TDR_ACT: u8 = 27;
/// Kernel-to-user message ids are numbered separately from the requests.
pub const ETHTOOL_MSG_CABLE_TEST_NTF: u8 = 27;
pub const ETHTOOL_MSG_CABLE_TEST_TDR_NTF: u8 = 28;

pub const ETHTOOL_A_CABLE_TEST_HEADER: u16 = 1;
pub const ETHTOOL_A_CABLE_TEST_TDR_HEADER: u16 = 1;
pub const ETHTOOL_A_CABLE_TEST_TDR_CFG: u16 = 2;
pub const ETHTOOL_A_CABLE_TEST_TDR_CFG_FIRST: u16 = 1;
pub const ETHTOOL_A_CABLE_TEST_TDR_CFG_LAST: u16 = 2;
pub const ETHTOOL_A_CABLE_TEST_TDR_CFG_STEP: u16 = 3;
pub const ETHTOOL_A_CABLE_TEST_TDR_CFG_PAIR: u16 = 4;

/// CABLE_TEST_NTF and CABLE_TEST_TDR_NTF number their top-level attributes alike.
pub const ETHTOOL_A_CABLE_TEST_NTF_HEADER: u16 = 1;
pub const ETHTOOL_A_CABLE_TEST_NTF_STATUS: u16 = 2;
pub const ETHTOOL_A_CABLE_TEST_NTF_NEST: u16 = 3;
pub const ETHTOOL_A_CABLE_TEST_NTF_STATUS_STARTED: u8 = 1;
pub const ETHTOOL_A_CABLE_TEST_NTF_STATUS_COMPLETED: u8 = 2;

/// In a CABLE_TEST_NTF's NEST.
pub const ETHTOOL_A_CABLE_NEST_RESULT: u16 = 1;
pub const ETHTOOL_A_CABLE_NEST_FAULT_LENGTH: u16 = 2;
pub const ETHTOOL_A_CABLE_RESULT_PAIR: u16 = 1;
pub const ETHTOOL_A_CABLE_RESULT_CODE: u16 = 2;
pub const ETHTOOL_A_CABLE_FAULT_LENGTH_PAIR: u16 = 1;
pub const ETHTOOL_A_CABLE_FAULT_LENGTH_CM: u16 = 2;

/// In a CABLE_TEST_TDR_NTF's NEST. The numbers overlap RESULT / FAULT_LENGTH: which set
/// applies follows from the message's command alone.
pub const ETHTOOL_A_CABLE_TDR_NEST_STEP: u16 = 1;
pub const ETHTOOL_A_CABLE_TDR_NEST_AMPLITUDE: u16 = 2;
pub const ETHTOOL_A_CABLE_TDR_NEST_PULSE: u16 = 3;
pub const ETHTOOL_A_CABLE_AMPLITUDE_PAIR: u16 = 1;
pub const ETHTOOL_A_CABLE_AMPLITUDE_MV: u16 = 2;
pub const ETHTOOL_A_CABLE_PULSE_MV: u16 = 1;
pub const ETHTOOL_A_CABLE_STEP_FIRST_DISTANCE: u16 = 1;
pub const ETHTOOL_A_CABLE_STEP_LAST_DISTANCE: u16 = 2;
pub const ETHTOOL_A_CABLE_STEP_STEP_DISTANCE: u16 = 3;

/// Which test a `cable_test` or `cable_test_tdr` action runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Fault,
    Tdr(TdrConfig),
}

impl Kind {
    pub fn mode(&self) -> CableTestMode {
        match self {
            Kind::Fault => CableTestMode::Fault,
            Kind::Tdr(_) => CableTestMode::Tdr,
        }
    }
}

/// The TDR test's configuration; `None` leaves the kernel's default (1 m to 150 m in 1 m
/// steps, all pairs).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TdrConfig {
    pub first_cm: Option<u32>,
    pub last_cm: Option<u32>,
    pub step_cm: Option<u32>,
    /// `ETHTOOL_A_CABLE_PAIR_*`, 0 (A) to 3 (D).
    pub pair: Option<u8>,
}

/// `A`..`D` to `ETHTOOL_A_CABLE_PAIR_*`; `None` for any other name.
pub fn pair_number(name: &str) -> Option<u8> {
    match name {
        "A" => Some(0),
        "B" => Some(1),
        "C" => Some(2),
        "D" => Some(3),
        _ => None,
    }
}

/// What a cable test's COMPLETED notification reported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CableResults {
    /// Per pair, in pair order (fault mode).
    pub pairs: Vec<PairReport>,
    /// The TDR pulse's amplitude (PULSE nest).
    pub pulse_mv: Option<i32>,
    /// The first STEP nest: the distances the PHY sampled.
    pub step: Option<TdrStep>,
    /// The TDR samples, in the order the kernel sent them.
    pub amplitudes: Vec<Amplitude>,
}

/// The ACT request for `kind` on the interface named `ifname`, with NLM_F_ACK (an action has
/// no data reply). The TDR configuration nest holds only the fields the plan set and is left
/// out when it set none, so the kernel's defaults apply.
pub fn act_request(family: u16, seq: u32, ifname: &str, kind: &Kind) -> Vec<u8> {
    let (cmd, header) = match kind {
        Kind::Fault => (ETHTOOL_MSG_CABLE_TEST_ACT, ETHTOOL_A_CABLE_TEST_HEADER),
        Kind::Tdr(_) => (
            ETHTOOL_MSG_CABLE_TEST_TDR_ACT,
            ETHTOOL_A_CABLE_TEST_TDR_HEADER,
        ),
    };
    let mut b = MsgBuilder::new(family, NLM_F_REQUEST | NLM_F_ACK, seq)
        .header(&genl_header(cmd, ETHTOOL_GENL_VERSION))
        .begin_nest(header)
        .attr_str(ETHTOOL_A_HEADER_DEV_NAME, ifname)
        .end_nest();
    if let Kind::Tdr(cfg) = kind {
        let distances = [
            (ETHTOOL_A_CABLE_TEST_TDR_CFG_FIRST, cfg.first_cm),
            (ETHTOOL_A_CABLE_TEST_TDR_CFG_LAST, cfg.last_cm),
            (ETHTOOL_A_CABLE_TEST_TDR_CFG_STEP, cfg.step_cm),
        ];
        if distances.iter().any(|(_, v)| v.is_some()) || cfg.pair.is_some() {
            b = b.begin_nest(ETHTOOL_A_CABLE_TEST_TDR_CFG);
            for (ty, v) in distances {
                if let Some(v) = v {
                    b = b.attr_u32(ty, v);
                }
            }
            if let Some(p) = cfg.pair {
                b = b.attr_u8(ETHTOOL_A_CABLE_TEST_TDR_CFG_PAIR, p);
            }
            b = b.end_nest();
        }
    }
    b.finish()
}

/// `ETHTOOL_A_CABLE_PAIR_*` to `A`..`D`; `pair_<N>` for a number past D.
pub fn pair_name(pair: u8) -> String {
    match pair {
        0..=3 => char::from(b'A' + pair).to_string(),
        _ => format!("pair_{pair}"),
    }
}

/// `ETHTOOL_A_CABLE_RESULT_CODE_*` to the names of PROTOCOL.md; `code_<N>` for one this agent
/// does not know.
pub fn code_name(code: u8) -> String {
    let name = match code {
        0 => "unspec",
        1 => "ok",
        2 => "open",
        3 => "same_short",
        4 => "cross_short",
        5 => "impedance_mismatch",
        6 => "noise",
        7 => "resolution_not_possible",
        _ => return format!("code_{code}"),
    };
    name.to_string()
}

/// A decoded CABLE_TEST_NTF or CABLE_TEST_TDR_NTF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ntf {
    pub mode: CableTestMode,
    /// The header's DEV_INDEX.
    pub ifindex: Option<i32>,
    /// `ETHTOOL_A_CABLE_TEST_NTF_STATUS_*`
    pub status: Option<u8>,
    pub results: CableResults,
    /// TDR amplitudes that came before any STEP nest: without a distance, they are left out
    /// of `results`.
    pub orphan_amplitudes: usize,
}

/// Decodes an ethtool notification (payload after the nlmsghdr); `None` when it is not a
/// cable test notification (the monitor group carries every ethtool notification).
pub fn parse_ntf(payload: &[u8]) -> Result<Option<Ntf>, DecodeError> {
    let body = check_genl_len(payload)?;
    let mode = match payload[0] {
        ETHTOOL_MSG_CABLE_TEST_NTF => CableTestMode::Fault,
        ETHTOOL_MSG_CABLE_TEST_TDR_NTF => CableTestMode::Tdr,
        _ => return Ok(None),
    };
    let mut ntf = Ntf {
        mode,
        ifindex: None,
        status: None,
        results: CableResults::default(),
        orphan_amplitudes: 0,
    };
    for a in attrs(body) {
        match a? {
            (ETHTOOL_A_CABLE_TEST_NTF_HEADER, h) => {
                for f in attrs(h) {
                    if let (ETHTOOL_A_HEADER_DEV_INDEX, d) = f? {
                        ntf.ifindex = Some(get_u32(d)? as i32);
                    }
                }
            }
            (ETHTOOL_A_CABLE_TEST_NTF_STATUS, d) => ntf.status = Some(get_u8(d)?),
            (ETHTOOL_A_CABLE_TEST_NTF_NEST, nest) => match mode {
                CableTestMode::Fault => ntf.results.pairs = parse_fault_nest(nest)?,
                CableTestMode::Tdr => {
                    ntf.orphan_amplitudes = parse_tdr_nest(nest, &mut ntf.results)?;
                }
            },
            _ => {}
        }
    }
    Ok(Some(ntf))
}

/// RESULT and FAULT_LENGTH nests, repeated in any order (ethtool-netlink.rst), merged per
/// pair and sorted by pair.
fn parse_fault_nest(nest: &[u8]) -> Result<Vec<PairReport>, DecodeError> {
    // pair -> (code, fault length)
    let mut by_pair: BTreeMap<u8, (Option<u8>, Option<u32>)> = BTreeMap::new();
    for a in attrs(nest) {
        let (ty, data) = a?;
        let (pair_attr, value_attr) = match ty {
            ETHTOOL_A_CABLE_NEST_RESULT => {
                (ETHTOOL_A_CABLE_RESULT_PAIR, ETHTOOL_A_CABLE_RESULT_CODE)
            }
            ETHTOOL_A_CABLE_NEST_FAULT_LENGTH => (
                ETHTOOL_A_CABLE_FAULT_LENGTH_PAIR,
                ETHTOOL_A_CABLE_FAULT_LENGTH_CM,
            ),
            _ => continue,
        };
        let (mut pair, mut value) = (None, None);
        for f in attrs(data) {
            let (fty, fdata) = f?;
            if fty == pair_attr {
                pair = Some(get_u8(fdata)?);
            } else if fty == value_attr {
                value = Some(fdata);
            }
        }
        let pair = pair.ok_or(DecodeError("cable test result without a pair"))?;
        let entry = by_pair.entry(pair).or_default();
        match (ty, value) {
            (ETHTOOL_A_CABLE_NEST_RESULT, Some(v)) => entry.0 = Some(get_u8(v)?),
            (_, Some(v)) => entry.1 = Some(get_u32(v)?),
            (_, None) => {}
        }
    }
    Ok(by_pair
        .into_iter()
        .map(|(pair, (code, len))| PairReport {
            pair: pair_name(pair),
            code: code.map(code_name),
            fault_length_cm: len,
        })
        .collect())
}

/// The TDR samples since the last STEP nest. The kernel gives an amplitude no distance of its
/// own: a STEP nest (first, last, step) comes first, then, per distance from `first` on, one
/// AMPLITUDE per tested pair in pair order (marvell_vct5_amplitude_graph). A pair number not
/// above the previous one therefore starts the next distance.
struct Sweep {
    step: TdrStep,
    index: u32,
    last_pair: Option<u8>,
}

impl Sweep {
    fn distance_of(&mut self, pair: u8) -> u32 {
        if self.last_pair.is_some_and(|last| pair <= last) {
            self.index = self.index.saturating_add(1);
        }
        self.last_pair = Some(pair);
        self.step
            .first_cm
            .saturating_add(self.index.saturating_mul(self.step.step_cm))
    }
}

/// PULSE, STEP and AMPLITUDE nests into `results`; returns how many amplitudes came before
/// any STEP nest (and are left out).
fn parse_tdr_nest(nest: &[u8], results: &mut CableResults) -> Result<usize, DecodeError> {
    let mut sweep: Option<Sweep> = None;
    let mut orphans = 0;
    for a in attrs(nest) {
        let (ty, data) = a?;
        match ty {
            ETHTOOL_A_CABLE_TDR_NEST_PULSE => {
                for f in attrs(data) {
                    if let (ETHTOOL_A_CABLE_PULSE_MV, d) = f? {
                        results.pulse_mv = Some(i32::from(get_u16(d)?));
                    }
                }
            }
            ETHTOOL_A_CABLE_TDR_NEST_STEP => {
                let (mut first, mut last, mut step) = (None, None, None);
                for f in attrs(data) {
                    match f? {
                        (ETHTOOL_A_CABLE_STEP_FIRST_DISTANCE, d) => first = Some(get_u32(d)?),
                        (ETHTOOL_A_CABLE_STEP_LAST_DISTANCE, d) => last = Some(get_u32(d)?),
                        (ETHTOOL_A_CABLE_STEP_STEP_DISTANCE, d) => step = Some(get_u32(d)?),
                        _ => {}
                    }
                }
                let (Some(first_cm), Some(last_cm), Some(step_cm)) = (first, last, step) else {
                    return Err(DecodeError(
                        "TDR step without first, last and step distance",
                    ));
                };
                let step = TdrStep {
                    first_cm,
                    last_cm,
                    step_cm,
                };
                results.step.get_or_insert(step);
                sweep = Some(Sweep {
                    step,
                    index: 0,
                    last_pair: None,
                });
            }
            ETHTOOL_A_CABLE_TDR_NEST_AMPLITUDE => {
                let (mut pair, mut mv) = (None, None);
                for f in attrs(data) {
                    match f? {
                        (ETHTOOL_A_CABLE_AMPLITUDE_PAIR, d) => pair = Some(get_u8(d)?),
                        // s16 on the wire (nla_put_u16 of an s16).
                        (ETHTOOL_A_CABLE_AMPLITUDE_MV, d) => mv = Some(get_u16(d)? as i16),
                        _ => {}
                    }
                }
                let (Some(pair), Some(mv)) = (pair, mv) else {
                    return Err(DecodeError("TDR amplitude without pair and mV"));
                };
                match sweep.as_mut() {
                    Some(s) => results.amplitudes.push(Amplitude {
                        pair: pair_name(pair),
                        distance_cm: s.distance_of(pair),
                        mv: i32::from(mv),
                    }),
                    None => orphans += 1,
                }
            }
            _ => {}
        }
    }
    Ok(orphans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::{parse_msgs, NLA_F_NESTED};

    const FAMILY: u16 = 21;

    fn payload(m: &[u8]) -> Vec<u8> {
        let msgs = parse_msgs(m).unwrap();
        assert_eq!(msgs.len(), 1);
        msgs[0].payload.to_vec()
    }

    fn flat(p: &[u8]) -> Vec<(u16, Vec<u8>)> {
        attrs(p)
            .map(|a| a.map(|(t, d)| (t, d.to_vec())))
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn fault_act_encoding() {
        let m = act_request(FAMILY, 9, "eth0", &Kind::Fault);
        let msgs = parse_msgs(&m).unwrap();
        assert_eq!(msgs[0].ty, FAMILY);
        assert_eq!(msgs[0].flags, NLM_F_REQUEST | NLM_F_ACK);
        let p = msgs[0].payload;
        assert_eq!(
            &p[..4],
            &[ETHTOOL_MSG_CABLE_TEST_ACT, ETHTOOL_GENL_VERSION, 0, 0]
        );
        assert_eq!(
            u16::from_ne_bytes([p[6], p[7]]),
            ETHTOOL_A_CABLE_TEST_HEADER | NLA_F_NESTED
        );
        let top = flat(&p[4..]);
        assert_eq!(top.len(), 1);
        assert_eq!(
            flat(&top[0].1),
            vec![(ETHTOOL_A_HEADER_DEV_NAME, b"eth0\0".to_vec())]
        );
    }

    #[test]
    fn tdr_act_encoding() {
        // No field set: no configuration nest at all.
        let kind = Kind::Tdr(TdrConfig::default());
        let p = payload(&act_request(FAMILY, 1, "eth1", &kind));
        assert_eq!(p[0], ETHTOOL_MSG_CABLE_TEST_TDR_ACT);
        let top = flat(&p[4..]);
        assert_eq!(top.len(), 1);
        assert_eq!(top[0].0, ETHTOOL_A_CABLE_TEST_TDR_HEADER);

        // Only the given fields, u32 distances and a u8 pair.
        let kind = Kind::Tdr(TdrConfig {
            first_cm: Some(200),
            last_cm: None,
            step_cm: Some(50),
            pair: pair_number("C"),
        });
        let p = payload(&act_request(FAMILY, 2, "eth1", &kind));
        let top = flat(&p[4..]);
        assert_eq!(top.len(), 2);
        assert_eq!(top[1].0, ETHTOOL_A_CABLE_TEST_TDR_CFG);
        let cfg_at = 4 + top[0].1.len() + 4; // genl header, header nest (4-aligned already)
        assert_eq!(
            u16::from_ne_bytes([p[cfg_at + 2], p[cfg_at + 3]]),
            ETHTOOL_A_CABLE_TEST_TDR_CFG | NLA_F_NESTED
        );
        assert_eq!(
            flat(&top[1].1),
            vec![
                (
                    ETHTOOL_A_CABLE_TEST_TDR_CFG_FIRST,
                    200u32.to_ne_bytes().to_vec()
                ),
                (
                    ETHTOOL_A_CABLE_TEST_TDR_CFG_STEP,
                    50u32.to_ne_bytes().to_vec()
                ),
                (ETHTOOL_A_CABLE_TEST_TDR_CFG_PAIR, vec![2]),
            ]
        );
    }

    /// A notification as ethnl_cable_test_alloc() and the result helpers build it: header
    /// (DEV_INDEX, DEV_NAME), STATUS, then the NEST filled by `nest`.
    fn ntf(
        cmd: u8,
        ifindex: u32,
        status: u8,
        nest: impl FnOnce(MsgBuilder) -> MsgBuilder,
    ) -> Vec<u8> {
        let b = MsgBuilder::new(FAMILY, 0, 17)
            .header(&[cmd, ETHTOOL_GENL_VERSION, 0, 0])
            .begin_nest(ETHTOOL_A_CABLE_TEST_NTF_HEADER)
            .attr_u32(ETHTOOL_A_HEADER_DEV_INDEX, ifindex)
            .attr_str(ETHTOOL_A_HEADER_DEV_NAME, "eth0")
            .end_nest()
            .attr_u8(ETHTOOL_A_CABLE_TEST_NTF_STATUS, status);
        payload(&nest(b).finish())
    }

    fn result(b: MsgBuilder, pair: u8, code: u8, src: Option<u32>) -> MsgBuilder {
        let b = b
            .begin_nest(ETHTOOL_A_CABLE_NEST_RESULT)
            .attr_u8(ETHTOOL_A_CABLE_RESULT_PAIR, pair)
            .attr_u8(ETHTOOL_A_CABLE_RESULT_CODE, code);
        match src {
            Some(s) => b.attr_u32(3, s), // ETHTOOL_A_CABLE_RESULT_SRC
            None => b,
        }
        .end_nest()
    }

    fn fault_length(b: MsgBuilder, pair: u8, cm: u32) -> MsgBuilder {
        b.begin_nest(ETHTOOL_A_CABLE_NEST_FAULT_LENGTH)
            .attr_u8(ETHTOOL_A_CABLE_FAULT_LENGTH_PAIR, pair)
            .attr_u32(ETHTOOL_A_CABLE_FAULT_LENGTH_CM, cm)
            .end_nest()
    }

    #[test]
    fn started_notification() {
        // ethnl_cable_test_started(): header and status only.
        let p = ntf(
            ETHTOOL_MSG_CABLE_TEST_NTF,
            3,
            ETHTOOL_A_CABLE_TEST_NTF_STATUS_STARTED,
            |b| b,
        );
        let n = parse_ntf(&p).unwrap().unwrap();
        assert_eq!(n.mode, CableTestMode::Fault);
        assert_eq!(n.ifindex, Some(3));
        assert_eq!(n.status, Some(ETHTOOL_A_CABLE_TEST_NTF_STATUS_STARTED));
        assert_eq!(n.results, CableResults::default());
    }

    #[test]
    fn fault_notification() {
        // marvell_vct7_cable_test_report() style, out of pair order: D first, a FAULT_LENGTH
        // for B before its RESULT, C with only a length, an unknown code on A.
        let p = ntf(
            ETHTOOL_MSG_CABLE_TEST_NTF,
            3,
            ETHTOOL_A_CABLE_TEST_NTF_STATUS_COMPLETED,
            |b| {
                let b = b.begin_nest(ETHTOOL_A_CABLE_TEST_NTF_NEST);
                let b = result(b, 3, 1, None);
                let b = fault_length(b, 1, 1240);
                let b = result(b, 1, 2, Some(1)); // open, SRC_TDR
                let b = fault_length(b, 2, 800);
                let b = result(b, 0, 42, None);
                b.end_nest()
            },
        );
        let n = parse_ntf(&p).unwrap().unwrap();
        assert_eq!(n.status, Some(ETHTOOL_A_CABLE_TEST_NTF_STATUS_COMPLETED));
        let pairs: Vec<_> = n
            .results
            .pairs
            .iter()
            .map(|c| (c.pair.as_str(), c.code.as_deref(), c.fault_length_cm))
            .collect();
        assert_eq!(
            pairs,
            [
                ("A", Some("code_42"), None),
                ("B", Some("open"), Some(1240)),
                ("C", None, Some(800)),
                ("D", Some("ok"), None),
            ]
        );
        assert!(n.results.amplitudes.is_empty());
        assert_eq!(n.results.step, None);
    }

    fn step(b: MsgBuilder, first: u32, last: u32, step: u32) -> MsgBuilder {
        b.begin_nest(ETHTOOL_A_CABLE_TDR_NEST_STEP)
            .attr_u32(ETHTOOL_A_CABLE_STEP_FIRST_DISTANCE, first)
            .attr_u32(ETHTOOL_A_CABLE_STEP_LAST_DISTANCE, last)
            .attr_u32(ETHTOOL_A_CABLE_STEP_STEP_DISTANCE, step)
            .end_nest()
    }

    fn amplitude(b: MsgBuilder, pair: u8, mv: i16) -> MsgBuilder {
        b.begin_nest(ETHTOOL_A_CABLE_TDR_NEST_AMPLITUDE)
            .attr_u8(ETHTOOL_A_CABLE_AMPLITUDE_PAIR, pair)
            .attr(ETHTOOL_A_CABLE_AMPLITUDE_MV, &mv.to_ne_bytes())
            .end_nest()
    }

    fn amps(r: &CableResults) -> Vec<(&str, u32, i32)> {
        r.amplitudes
            .iter()
            .map(|a| (a.pair.as_str(), a.distance_cm, a.mv))
            .collect()
    }

    #[test]
    fn tdr_notification_all_pairs() {
        // marvell_vct5_cable_test_tdr_start(): PULSE, then STEP; then per distance one
        // AMPLITUDE per pair A..D (marvell_vct5_amplitude_distance).
        let p = ntf(
            ETHTOOL_MSG_CABLE_TEST_TDR_NTF,
            5,
            ETHTOOL_A_CABLE_TEST_NTF_STATUS_COMPLETED,
            |b| {
                let mut b = b
                    .begin_nest(ETHTOOL_A_CABLE_TEST_NTF_NEST)
                    .begin_nest(ETHTOOL_A_CABLE_TDR_NEST_PULSE)
                    .attr(ETHTOOL_A_CABLE_PULSE_MV, &1000u16.to_ne_bytes())
                    .end_nest();
                b = step(b, 80, 241, 80);
                for d in 0..3i16 {
                    for pair in 0..4u8 {
                        b = amplitude(b, pair, d * 10 - i16::from(pair));
                    }
                }
                b.end_nest()
            },
        );
        let n = parse_ntf(&p).unwrap().unwrap();
        assert_eq!(n.mode, CableTestMode::Tdr);
        assert_eq!(n.ifindex, Some(5));
        assert_eq!(n.orphan_amplitudes, 0);
        let r = &n.results;
        assert_eq!(r.pulse_mv, Some(1000));
        assert_eq!(
            r.step,
            Some(TdrStep {
                first_cm: 80,
                last_cm: 241,
                step_cm: 80
            })
        );
        assert!(r.pairs.is_empty());
        assert_eq!(
            amps(r),
            [
                ("A", 80, 0),
                ("B", 80, -1),
                ("C", 80, -2),
                ("D", 80, -3),
                ("A", 160, 10),
                ("B", 160, 9),
                ("C", 160, 8),
                ("D", 160, 7),
                ("A", 240, 20),
                ("B", 240, 19),
                ("C", 240, 18),
                ("D", 240, 17),
            ]
        );
    }

    #[test]
    fn tdr_notification_one_pair_and_steps() {
        // One pair tested (TDR_CFG_PAIR): every amplitude is a new distance. A later STEP
        // nest starts over from its own first distance; `step` stays the first one.
        let p = ntf(
            ETHTOOL_MSG_CABLE_TEST_TDR_NTF,
            5,
            ETHTOOL_A_CABLE_TEST_NTF_STATUS_COMPLETED,
            |b| {
                let mut b = b.begin_nest(ETHTOOL_A_CABLE_TEST_NTF_NEST);
                b = amplitude(b, 1, 5); // before any STEP: no distance
                b = step(b, 100, 300, 100);
                b = amplitude(b, 1, -200);
                b = amplitude(b, 1, 300);
                b = amplitude(b, 1, 7);
                b = step(b, 1000, 1000, 100);
                b = amplitude(b, 0, 1);
                b = amplitude(b, 2, 2);
                b.end_nest()
            },
        );
        let n = parse_ntf(&p).unwrap().unwrap();
        assert_eq!(n.orphan_amplitudes, 1);
        assert_eq!(n.results.pulse_mv, None);
        assert_eq!(n.results.step.map(|s| s.first_cm), Some(100));
        assert_eq!(
            amps(&n.results),
            [
                ("B", 100, -200),
                ("B", 200, 300),
                ("B", 300, 7),
                ("A", 1000, 1),
                ("C", 1000, 2),
            ]
        );
    }

    #[test]
    fn tdr_nest_numbers_are_not_results() {
        // In a TDR notification, nest type 1 is a STEP even though a fault-mode RESULT has the
        // same number: a RESULT-shaped nest there is a malformed STEP.
        let p = ntf(
            ETHTOOL_MSG_CABLE_TEST_TDR_NTF,
            5,
            ETHTOOL_A_CABLE_TEST_NTF_STATUS_COMPLETED,
            |b| result(b.begin_nest(ETHTOOL_A_CABLE_TEST_NTF_NEST), 0, 1, None).end_nest(),
        );
        assert!(parse_ntf(&p).is_err());
    }

    #[test]
    fn other_notifications_and_malformed_ones() {
        // LINKMODES_NTF (5) on the same group: not a cable test.
        let m = MsgBuilder::new(FAMILY, 0, 1)
            .header(&[5, ETHTOOL_GENL_VERSION, 0, 0])
            .finish();
        assert_eq!(parse_ntf(&payload(&m)).unwrap(), None);
        assert!(parse_ntf(&[ETHTOOL_MSG_CABLE_TEST_NTF]).is_err());
        // A RESULT without a pair.
        let p = ntf(
            ETHTOOL_MSG_CABLE_TEST_NTF,
            3,
            ETHTOOL_A_CABLE_TEST_NTF_STATUS_COMPLETED,
            |b| {
                b.begin_nest(ETHTOOL_A_CABLE_TEST_NTF_NEST)
                    .begin_nest(ETHTOOL_A_CABLE_NEST_RESULT)
                    .attr_u8(ETHTOOL_A_CABLE_RESULT_CODE, 1)
                    .end_nest()
                    .end_nest()
            },
        );
        assert!(parse_ntf(&p).is_err());
    }

    #[test]
    fn names() {
        let codes: Vec<_> = (0..=8).map(code_name).collect();
        assert_eq!(
            codes,
            [
                "unspec",
                "ok",
                "open",
                "same_short",
                "cross_short",
                "impedance_mismatch",
                "noise",
                "resolution_not_possible",
                "code_8"
            ]
        );
        let pairs: Vec<_> = (0..=4).map(pair_name).collect();
        assert_eq!(pairs, ["A", "B", "C", "D", "pair_4"]);
        let numbers: Vec<_> = ["A", "B", "C", "D", "E", "a", ""]
            .into_iter()
            .map(pair_number)
            .collect();
        assert_eq!(
            numbers,
            [Some(0), Some(1), Some(2), Some(3), None, None, None]
        );
        assert_eq!(Kind::Fault.mode(), CableTestMode::Fault);
        assert_eq!(Kind::Tdr(TdrConfig::default()).mode(), CableTestMode::Tdr);
    }
}
