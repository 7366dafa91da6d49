//! Judging a run: each expectation against the facts the guest agent reported, and the KTAP
//! report. Pure, so every rule here is unit-tested without a VM.

use crate::protocol::{
    ActionDoneReport, CableTestMode, CableTestReport, LinkFact, SettingAction, TeardownReport,
};
use phy_sim_scenario::{
    fmt_duration, Action, CableChecks, Duplex, EeeState, Event, Expectation, LinkState,
    MasterSlaveState, PairCheck, PairResult, Reflection, TdrCheck, Window,
};
use std::fmt::Write as _;
use std::time::Duration;

/// What a run observed, on the scenario's time base (ns since the timeline origin).
#[derive(Debug, Default, Clone)]
pub struct Observations {
    pub links: Vec<(i128, LinkFact)>,
    pub kernel_log: Vec<String>,
    /// Set when the run did not complete; every expectation then fails with this reason.
    pub aborted: Option<String>,
    /// Scenario time the guest reached (ns), so a window past it is "not observed".
    pub reached_ns: i128,
    pub teardown: Option<TeardownReport>,
    /// Cable test results, at the time they arrived.
    pub cable_tests: Vec<(i128, CableTestReport)>,
    /// The outcome of each `link-settings` / `eee-settings` action, when it arrived.
    pub actions_done: Vec<(i128, ActionDoneReport)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub name: String,
    pub ok: bool,
    pub diagnostics: Vec<String>,
}

const KERNEL_TROUBLE: [&str; 9] = [
    "WARNING:",
    "BUG:",
    "Oops",
    "Call Trace",
    "KASAN",
    "UBSAN",
    "kernel BUG",
    "general protection fault",
    "Kernel panic",
];

pub fn judge(expectations: &[Expectation], obs: &Observations) -> Vec<Outcome> {
    expectations
        .iter()
        .map(|e| {
            let name = e.name().to_string();
            if let Some(reason) = &obs.aborted {
                return Outcome {
                    name,
                    ok: false,
                    diagnostics: vec![format!("run aborted: {reason}")],
                };
            }
            match e {
                Expectation::Port {
                    port,
                    window,
                    link,
                    speed,
                    duplex,
                    phy_driver,
                    master_slave,
                    eee,
                    ..
                } => {
                    let want = Want {
                        link: *link,
                        speed: *speed,
                        duplex: *duplex,
                        phy_driver: phy_driver.as_deref(),
                        master_slave: *master_slave,
                        eee: *eee,
                    };
                    judge_port(name, port, window, &want, obs)
                }
                Expectation::CableTest {
                    port,
                    window,
                    checks,
                    ..
                } => judge_cable_test(name, port, window, checks, obs),
                Expectation::DmesgClean { .. } => judge_dmesg(name, obs),
                Expectation::TeardownClean { .. } => judge_teardown(name, obs),
            }
        })
        .collect()
}

/// One test point per `link-settings` / `eee-settings` event: the kernel took the request.
/// The agent runs a port's actions of one kind in time order, so the n-th such event is
/// answered by the n-th report of that kind for that port.
pub fn judge_actions(timeline: &[Event], obs: &Observations) -> Vec<Outcome> {
    let mut seen: Vec<(SettingAction, &str)> = Vec::new();
    timeline
        .iter()
        .filter_map(|e| {
            let (kind, word, port) = match &e.action {
                Action::LinkSettings { port, .. } => {
                    (SettingAction::LinkSettings, "link-settings", port)
                }
                Action::EeeSettings { port, .. } => (SettingAction::Eee, "eee-settings", port),
                _ => return None,
            };
            let nth = seen.iter().filter(|s| **s == (kind, port.as_str())).count();
            seen.push((kind, port));
            let name = format!("{port} {word} at {}", fmt_duration(e.at));
            let report = obs
                .actions_done
                .iter()
                .filter(|(_, r)| r.action == kind && r.ifname == *port)
                .nth(nth);
            let (ok, diagnostics) = match (&obs.aborted, report) {
                (Some(reason), _) => (false, vec![format!("run aborted: {reason}")]),
                (None, Some((_, r))) => match &r.error {
                    None => (true, Vec::new()),
                    Some(err) => (
                        false,
                        vec![format!("actual:   the kernel refused it: {err}")],
                    ),
                },
                (None, None) => (
                    false,
                    vec!["actual:   the guest never reported the outcome".to_string()],
                ),
            };
            Some(Outcome {
                name,
                ok,
                diagnostics,
            })
        })
        .collect()
}

struct Want<'a> {
    link: Option<LinkState>,
    speed: Option<u32>,
    duplex: Option<Duplex>,
    phy_driver: Option<&'a str>,
    master_slave: Option<MasterSlaveState>,
    eee: Option<EeeState>,
}

impl Want<'_> {
    fn matches(&self, f: &LinkFact) -> bool {
        let link_ok = match self.link {
            Some(LinkState::Up) => f.carrier,
            Some(LinkState::Down) => !f.carrier,
            None => true,
        };
        let duplex_ok = match self.duplex {
            Some(Duplex::Full) => f.duplex.as_deref() == Some("full"),
            Some(Duplex::Half) => f.duplex.as_deref() == Some("half"),
            None => true,
        };
        let master_slave_ok = match self.master_slave {
            Some(MasterSlaveState::Master) => f.master_slave_state.as_deref() == Some("master"),
            Some(MasterSlaveState::Slave) => f.master_slave_state.as_deref() == Some("slave"),
            Some(MasterSlaveState::Fault) => f.master_slave_state.as_deref() == Some("err"),
            None => true,
        };
        let eee_ok = match self.eee {
            Some(EeeState::Active) => f.eee_active == Some(true),
            Some(EeeState::Inactive) => f.eee_active == Some(false),
            None => true,
        };
        link_ok
            && master_slave_ok
            && eee_ok
            && duplex_ok
            && self.speed.is_none_or(|s| f.speed == Some(s))
            && self
                .phy_driver
                .is_none_or(|d| f.phy_driver.as_deref() == Some(d))
    }

    fn describe(&self) -> String {
        let mut parts = Vec::new();
        match self.link {
            Some(LinkState::Up) => parts.push("link up".to_string()),
            Some(LinkState::Down) => parts.push("link down".to_string()),
            None => {}
        }
        if let Some(s) = self.speed {
            parts.push(format!("speed {s}"));
        }
        match self.duplex {
            Some(Duplex::Full) => parts.push("duplex full".into()),
            Some(Duplex::Half) => parts.push("duplex half".into()),
            None => {}
        }
        if let Some(d) = self.phy_driver {
            parts.push(format!("phy-driver \"{d}\""));
        }
        match self.master_slave {
            Some(MasterSlaveState::Master) => parts.push("master-slave master".into()),
            Some(MasterSlaveState::Slave) => parts.push("master-slave slave".into()),
            Some(MasterSlaveState::Fault) => parts.push("master-slave fault".into()),
            None => {}
        }
        match self.eee {
            Some(EeeState::Active) => parts.push("eee active".into()),
            Some(EeeState::Inactive) => parts.push("eee inactive".into()),
            None => {}
        }
        parts.join(", ")
    }
}

fn describe_fact(f: &LinkFact) -> String {
    let mut s = if f.carrier {
        "link up".to_string()
    } else {
        "link down".to_string()
    };
    if f.carrier {
        match (f.speed, f.duplex.as_deref()) {
            (Some(sp), Some(d)) => {
                let _ = write!(s, ", speed {sp}, duplex {d}");
            }
            (Some(sp), None) => {
                let _ = write!(s, ", speed {sp}");
            }
            _ => {}
        }
    }
    let _ = write!(
        s,
        ", phy-driver {}",
        f.phy_driver
            .as_deref()
            .map_or("none".to_string(), |d| format!("\"{d}\""))
    );
    if let Some(ms) = &f.master_slave_state {
        let _ = write!(s, ", master-slave {ms}");
    }
    match f.eee_active {
        Some(true) => s.push_str(", eee active"),
        Some(false) => s.push_str(", eee inactive"),
        None => s.push_str(", eee unknown"),
    }
    if !f.admin_up {
        s.push_str(", admin down");
    }
    s
}

fn secs(ns: i128) -> String {
    format!("{:.3}s", ns as f64 / 1e9)
}

fn judge_port(
    name: String,
    port: &str,
    window: &Window,
    want: &Want,
    obs: &Observations,
) -> Outcome {
    let (from, to, during) = match window {
        Window::Within(a, b) => (*a, *b, false),
        Window::During(a, b) => (*a, *b, true),
    };
    let (from_ns, to_ns) = (ns(from), ns(to));
    let facts: Vec<&(i128, LinkFact)> =
        obs.links.iter().filter(|(_, f)| f.ifname == port).collect();
    let at_start = facts
        .iter()
        .rev()
        .find(|(t, _)| *t <= from_ns)
        .map(|(_, f)| f);
    let inside: Vec<&(i128, LinkFact)> = facts
        .iter()
        .copied()
        .filter(|(t, _)| *t > from_ns && *t <= to_ns)
        .collect();

    let start_ok = at_start.is_some_and(|f| want.matches(f));
    let ok = if during {
        start_ok && inside.iter().all(|(_, f)| want.matches(f)) && obs.reached_ns >= to_ns
    } else {
        start_ok || inside.iter().any(|(_, f)| want.matches(f))
    };

    let mut diagnostics = Vec::new();
    if !ok {
        let quantifier = if during {
            "at every instant of"
        } else {
            "at some instant of"
        };
        diagnostics.push(format!(
            "expected: {port}: {} {quantifier} [{}, {}]",
            want.describe(),
            fmt_duration(from),
            fmt_duration(to)
        ));
        let mut actual = Vec::new();
        match at_start {
            Some(f) => actual.push(format!("at {}: {}", fmt_duration(from), describe_fact(f))),
            None => actual.push(format!("at {}: {port} not seen yet", fmt_duration(from))),
        }
        for (t, f) in &inside {
            actual.push(format!("at {}: {}", secs(*t), describe_fact(f)));
        }
        if inside.is_empty() {
            actual.push("no change in the window".to_string());
        }
        if obs.reached_ns < to_ns {
            actual.push(format!("the run ended at {}", secs(obs.reached_ns)));
        }
        diagnostics.push(format!("actual:   {}", actual.join("; ")));
    }
    Outcome {
        name,
        ok,
        diagnostics,
    }
}

fn judge_cable_test(
    name: String,
    port: &str,
    window: &Window,
    checks: &CableChecks,
    obs: &Observations,
) -> Outcome {
    let (from, to) = (window.from(), window.to());
    let mode = match checks {
        CableChecks::Results(_) => CableTestMode::Fault,
        CableChecks::Tdr(_) => CableTestMode::Tdr,
    };
    let tests: Vec<&(i128, CableTestReport)> = obs
        .cable_tests
        .iter()
        .filter(|(_, r)| r.ifname == port && r.mode == mode)
        .collect();
    let in_window = |t: i128| t >= ns(from) && t <= ns(to);
    let verdicts: Vec<(i128, Result<(), Vec<String>>)> = tests
        .iter()
        .filter(|(t, _)| in_window(*t))
        .map(|(t, r)| (*t, check_cable_test(r, checks)))
        .collect();
    let ok = verdicts.iter().any(|(_, v)| v.is_ok());
    let mut diagnostics = Vec::new();
    if !ok {
        let what = match checks {
            CableChecks::Results(c) => c.iter().map(describe_pair_check).collect::<Vec<_>>(),
            CableChecks::Tdr(c) => c.iter().map(describe_tdr_check).collect(),
        };
        diagnostics.push(format!(
            "expected: {port}: a {} completing within [{}, {}] showing {}",
            match mode {
                CableTestMode::Fault => "cable test",
                CableTestMode::Tdr => "TDR cable test",
            },
            fmt_duration(from),
            fmt_duration(to),
            what.join("; ")
        ));
        for (t, v) in &verdicts {
            if let Err(problems) = v {
                diagnostics.push(format!(
                    "actual:   at {}: {}",
                    secs(*t),
                    problems.join("; ")
                ));
            }
        }
        for (t, r) in tests.iter().filter(|(t, _)| !in_window(*t)) {
            diagnostics.push(match &r.error {
                Some(e) => format!(
                    "actual:   a test ended at {} without results: {e}",
                    secs(*t)
                ),
                None => format!(
                    "actual:   a test completed at {}, outside the window",
                    secs(*t)
                ),
            });
        }
        if tests.is_empty() {
            diagnostics.push(format!("actual:   no such test on {port} completed"));
        }
    }
    Outcome {
        name,
        ok,
        diagnostics,
    }
}

/// Every check against one test's report; the problems found, in pair order.
fn check_cable_test(r: &CableTestReport, checks: &CableChecks) -> Result<(), Vec<String>> {
    if let Some(e) = &r.error {
        return Err(vec![format!("the test failed: {e}")]);
    }
    let problems: Vec<String> = match checks {
        CableChecks::Results(c) => c.iter().filter_map(|c| check_pair(r, c).err()).collect(),
        CableChecks::Tdr(c) => c.iter().filter_map(|c| check_trace(r, c).err()).collect(),
    };
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// ethtool's name of a result code (ETHTOOL_A_CABLE_RESULT_CODE_*), as the agent sends it.
fn result_code(r: PairResult) -> &'static str {
    match r {
        PairResult::Ok => "ok",
        PairResult::Open => "open",
        PairResult::Short => "same_short",
        PairResult::CrossShort => "cross_short",
        PairResult::ImpedanceMismatch => "impedance_mismatch",
        PairResult::Noise => "noise",
        PairResult::ResolutionNotPossible => "resolution_not_possible",
        PairResult::Unspec => "unspec",
    }
}

fn check_pair(r: &CableTestReport, c: &PairCheck) -> Result<(), String> {
    let Some(got) = r.pairs.iter().find(|p| p.pair == c.pair) else {
        return Err(format!("pair {}: no result", c.pair));
    };
    let length = got.fault_length_cm.map(|cm| f64::from(cm) / 100.0);
    let shown = format!(
        "pair {}: {}{}",
        c.pair,
        got.code.as_deref().unwrap_or("no result code"),
        length.map_or(String::new(), |m| format!(" at {m} m"))
    );
    if got.code.as_deref() != Some(result_code(c.result)) {
        return Err(shown);
    }
    match (c.distance_m, length) {
        (Some(want), Some(m)) if (m - want).abs() > c.tolerance_m => Err(shown),
        (Some(_), None) => Err(format!("{shown}, no fault length")),
        _ => Ok(()),
    }
}

fn check_trace(r: &CableTestReport, c: &TdrCheck) -> Result<(), String> {
    // The strongest sample; of equal ones the nearest, where a reflection shows first.
    let strongest = r
        .amplitudes
        .iter()
        .filter(|a| a.pair == c.pair)
        .min_by_key(|a| (-(i64::from(a.mv).abs()), a.distance_cm));
    let Some(peak) = strongest else {
        return Err(format!("pair {}: no TDR samples", c.pair));
    };
    let at_m = f64::from(peak.distance_cm) / 100.0;
    let shown = format!(
        "pair {}: strongest sample {} mV at {at_m} m",
        c.pair, peak.mv
    );
    let reflection = if peak.mv.abs() < c.threshold_mv {
        Reflection::None
    } else if peak.mv > 0 {
        Reflection::Positive
    } else {
        Reflection::Negative
    };
    if reflection != c.reflection {
        return Err(format!("{shown} (threshold {} mV)", c.threshold_mv));
    }
    match c.distance_m {
        Some(want) if (at_m - want).abs() > c.tolerance_m => Err(shown),
        _ => Ok(()),
    }
}

fn describe_pair_check(c: &PairCheck) -> String {
    let mut s = format!("pair {} {}", c.pair, result_code(c.result));
    if let Some(d) = c.distance_m {
        let _ = write!(s, " at {d} m (±{} m)", c.tolerance_m);
    }
    s
}

fn describe_tdr_check(c: &TdrCheck) -> String {
    let r = match c.reflection {
        Reflection::Positive => "a positive reflection",
        Reflection::Negative => "a negative reflection",
        Reflection::None => "no reflection",
    };
    let mut s = format!("pair {} {r}", c.pair);
    if let Some(d) = c.distance_m {
        let _ = write!(s, " at {d} m (±{} m)", c.tolerance_m);
    }
    let _ = write!(s, " (threshold {} mV)", c.threshold_mv);
    s
}

fn judge_dmesg(name: String, obs: &Observations) -> Outcome {
    let bad: Vec<&String> = obs
        .kernel_log
        .iter()
        .filter(|l| KERNEL_TROUBLE.iter().any(|p| l.contains(p)))
        .collect();
    let mut diagnostics = Vec::new();
    if !bad.is_empty() {
        diagnostics
            .push("expected: no WARNING/BUG/Oops/Call Trace/KASAN/UBSAN in the kernel log".into());
        diagnostics.push(format!("actual:   {} such line(s):", bad.len()));
        diagnostics.extend(bad.iter().take(20).map(|l| format!("  {l}")));
    }
    Outcome {
        name,
        ok: bad.is_empty(),
        diagnostics,
    }
}

fn judge_teardown(name: String, obs: &Observations) -> Outcome {
    let Some(t) = &obs.teardown else {
        return Outcome {
            name,
            ok: false,
            diagnostics: vec!["actual: the guest sent no teardown report".into()],
        };
    };
    let mut diagnostics = Vec::new();
    if !t.ok {
        diagnostics.push(
            "expected: unbind, bind, unbind and module unload all work and kmemleak reports nothing"
                .into(),
        );
        for s in t.steps.iter().filter(|s| !s.ok) {
            diagnostics.push(format!("actual:   step {} failed: {}", s.step, s.detail));
        }
        if !t.kmemleak.trim().is_empty() {
            diagnostics.push("actual:   kmemleak reports:".into());
            diagnostics.extend(t.kmemleak.lines().take(40).map(|l| format!("  {l}")));
        }
    }
    Outcome {
        name,
        ok: t.ok,
        diagnostics,
    }
}

fn ns(d: Duration) -> i128 {
    d.as_nanos() as i128
}

/// One scenario's result as an indented KTAP subtest, followed by its line in the parent plan.
pub fn ktap_subtest(
    index: usize,
    scenario: &str,
    outcomes: &[Outcome],
    note: Option<&str>,
) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "    KTAP version 1");
    let _ = writeln!(s, "    # Subtest: {scenario}");
    if let Some(n) = note {
        let _ = writeln!(s, "    # {n}");
    }
    let _ = writeln!(s, "    1..{}", outcomes.len());
    for (i, o) in outcomes.iter().enumerate() {
        let _ = writeln!(
            s,
            "    {} {} {}",
            if o.ok { "ok" } else { "not ok" },
            i + 1,
            ktap_name(&o.name)
        );
        for d in &o.diagnostics {
            let _ = writeln!(s, "    # {d}");
        }
    }
    let all_ok = outcomes.iter().all(|o| o.ok) && !outcomes.is_empty();
    let _ = writeln!(
        s,
        "{} {} {}",
        if all_ok { "ok" } else { "not ok" },
        index,
        ktap_name(scenario)
    );
    s
}

/// KTAP names cannot contain `#` (it starts a directive) nor a newline.
fn ktap_name(name: &str) -> String {
    name.replace('#', "_").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use phy_sim_scenario::Location;

    fn fact(ifname: &str, carrier: bool, speed: Option<u32>, duplex: Option<&str>) -> LinkFact {
        LinkFact {
            t: 0,
            ifname: ifname.into(),
            admin_up: true,
            carrier,
            operstate: if carrier { "up" } else { "down" }.into(),
            speed,
            duplex: duplex.map(Into::into),
            autoneg: Some(true),
            phy_driver: Some("Marvell 88E1510".into()),
            master_slave_cfg: None,
            master_slave_state: None,
            eee_active: None,
            eee_enabled: None,
        }
    }

    fn s(x: f64) -> i128 {
        (x * 1e9) as i128
    }

    fn flap() -> Observations {
        Observations {
            links: vec![
                (s(0.0), fact("eth0", false, None, None)),
                (s(1.7), fact("eth0", true, Some(1000), Some("full"))),
                (s(2.01), fact("eth0", false, None, None)),
                (s(4.8), fact("eth0", true, Some(1000), Some("full"))),
            ],
            reached_ns: s(10.0),
            ..Default::default()
        }
    }

    fn port(window: Window, link: LinkState, speed: Option<u32>) -> Expectation {
        Expectation::Port {
            name: "x".into(),
            port: "eth0".into(),
            window,
            link: Some(link),
            speed,
            duplex: None,
            phy_driver: None,
            master_slave: None,
            eee: None,
            location: Location { line: 1, column: 1 },
        }
    }

    fn d(x: f64) -> Duration {
        Duration::from_secs_f64(x)
    }

    fn fault_report(t: f64, pairs: &[(&str, &str, Option<u32>)]) -> (i128, CableTestReport) {
        let report = CableTestReport {
            t: 0,
            ifname: "eth0".into(),
            mode: CableTestMode::Fault,
            requested_t: 0,
            started_t: None,
            error: None,
            pairs: pairs
                .iter()
                .map(|(pair, code, cm)| crate::protocol::PairReport {
                    pair: pair.to_string(),
                    code: Some(code.to_string()),
                    fault_length_cm: *cm,
                })
                .collect(),
            pulse_mv: None,
            step: None,
            amplitudes: Vec::new(),
        };
        (s(t), report)
    }

    fn pair(pair: &str, result: PairResult, distance_m: Option<f64>) -> PairCheck {
        PairCheck {
            pair: pair.into(),
            result,
            distance_m,
            tolerance_m: 1.0,
        }
    }

    fn cable_test(from: f64, to: f64, checks: CableChecks) -> Expectation {
        Expectation::CableTest {
            name: "x".into(),
            port: "eth0".into(),
            window: Window::Within(d(from), d(to)),
            checks,
            location: Location { line: 1, column: 1 },
        }
    }

    #[test]
    fn each_settings_action_is_a_test_point_matched_in_order() {
        let event = |at: f64, action: Action| Event {
            at: d(at),
            action,
            location: Location { line: 1, column: 1 },
        };
        let eee = |enabled| Action::EeeSettings {
            port: "eth0".into(),
            enabled,
        };
        let timeline = vec![
            event(1.0, eee(false)),
            event(2.0, eee(true)),
            event(3.0, eee(false)),
        ];
        let done = |t: f64, error: Option<&str>| {
            (
                s(t),
                ActionDoneReport {
                    t: 0,
                    action: SettingAction::Eee,
                    ifname: "eth0".into(),
                    requested_t: 0,
                    error: error.map(Into::into),
                },
            )
        };
        let obs = Observations {
            actions_done: vec![done(1.0, None), done(2.0, Some("EOPNOTSUPP"))],
            reached_ns: s(10.0),
            ..Default::default()
        };
        let o = judge_actions(&timeline, &obs);
        let summary: Vec<(&str, bool)> = o.iter().map(|o| (o.name.as_str(), o.ok)).collect();
        assert_eq!(
            summary,
            [
                ("eth0 eee-settings at 1s", true),
                ("eth0 eee-settings at 2s", false),
                ("eth0 eee-settings at 3s", false),
            ]
        );
        assert!(o[1].diagnostics[0].contains("EOPNOTSUPP"));
        assert!(o[2].diagnostics[0].contains("never reported"));
    }

    #[test]
    fn cable_test_results_and_distances() {
        let obs = Observations {
            cable_tests: vec![fault_report(
                3.0,
                &[
                    ("A", "ok", None),
                    ("B", "open", Some(1240)),
                    ("C", "same_short", Some(3000)),
                ],
            )],
            reached_ns: s(10.0),
            ..Default::default()
        };
        let judged = |checks: Vec<PairCheck>, from: f64, to: f64| {
            judge(&[cable_test(from, to, CableChecks::Results(checks))], &obs)[0].clone()
        };
        let good = vec![
            pair("A", PairResult::Ok, None),
            pair("B", PairResult::Open, Some(12.0)),
            pair("C", PairResult::Short, Some(30.5)),
        ];
        assert!(judged(good.clone(), 2.0, 4.0).ok);
        // Outside the window.
        let o = judged(good, 4.0, 6.0);
        assert!(!o.ok);
        assert!(o.diagnostics[1].contains("outside the window"), "{o:?}");
        // Too far off, the wrong kind, a pair without a result.
        let o = judged(vec![pair("B", PairResult::Open, Some(14.0))], 0.0, 5.0);
        assert!(
            !o.ok && o.diagnostics[1].contains("pair B: open at 12.4 m"),
            "{o:?}"
        );
        assert!(!judged(vec![pair("C", PairResult::CrossShort, None)], 0.0, 5.0).ok);
        assert!(!judged(vec![pair("D", PairResult::Ok, None)], 0.0, 5.0).ok);
        // A distance is expected but none came.
        assert!(!judged(vec![pair("A", PairResult::Ok, Some(1.0))], 0.0, 5.0).ok);
    }

    #[test]
    fn a_failed_cable_test_fails_its_expectations() {
        let (t, mut r) = fault_report(3.0, &[]);
        r.error = Some("EOPNOTSUPP: Operation not supported".into());
        let obs = Observations {
            cable_tests: vec![(t, r)],
            reached_ns: s(10.0),
            ..Default::default()
        };
        let checks = CableChecks::Results(vec![pair("A", PairResult::Ok, None)]);
        let o = &judge(&[cable_test(0.0, 5.0, checks)], &obs)[0];
        assert!(!o.ok && o.diagnostics[1].contains("EOPNOTSUPP"), "{o:?}");
    }

    #[test]
    fn tdr_peaks() {
        let amplitudes = [(0, 3), (500, -20), (1000, 420), (1100, 60)]
            .into_iter()
            .map(|(cm, mv)| crate::protocol::Amplitude {
                pair: "A".into(),
                distance_cm: cm,
                mv,
            })
            .collect();
        let (t, mut r) = fault_report(3.0, &[]);
        r.mode = CableTestMode::Tdr;
        r.amplitudes = amplitudes;
        let obs = Observations {
            cable_tests: vec![(t, r)],
            reached_ns: s(10.0),
            ..Default::default()
        };
        let tdr = |reflection, distance_m, threshold_mv| {
            let c = TdrCheck {
                pair: "A".into(),
                reflection,
                distance_m,
                tolerance_m: 1.0,
                threshold_mv,
            };
            judge(&[cable_test(0.0, 5.0, CableChecks::Tdr(vec![c]))], &obs)[0].ok
        };
        assert!(tdr(Reflection::Positive, Some(10.0), 100));
        assert!(!tdr(Reflection::Positive, Some(12.0), 100));
        assert!(!tdr(Reflection::Negative, None, 100));
        assert!(tdr(Reflection::None, None, 500));
        assert!(!tdr(Reflection::None, None, 100));
        // A fault-mode expectation does not take a TDR report.
        let checks = CableChecks::Results(vec![pair("A", PairResult::Ok, None)]);
        assert!(!judge(&[cable_test(0.0, 5.0, checks)], &obs)[0].ok);
    }

    #[test]
    fn within_finds_a_change_inside_the_window() {
        let e = port(Window::Within(d(0.0), d(2.0)), LinkState::Up, Some(1000));
        assert!(judge(&[e], &flap())[0].ok);
        let late = port(Window::Within(d(0.0), d(1.5)), LinkState::Up, None);
        assert!(!judge(&[late], &flap())[0].ok);
    }

    #[test]
    fn within_accepts_the_state_holding_at_the_window_start() {
        let e = port(Window::Within(d(6.0), d(7.0)), LinkState::Up, Some(1000));
        assert!(judge(&[e], &flap())[0].ok);
    }

    #[test]
    fn during_requires_every_instant() {
        let ok = port(Window::During(d(5.0), d(10.0)), LinkState::Up, None);
        assert!(judge(&[ok], &flap())[0].ok);
        let broken = port(Window::During(d(1.8), d(10.0)), LinkState::Up, None);
        let out = &judge(&[broken], &flap())[0];
        assert!(!out.ok);
        assert!(out.diagnostics[0].starts_with("expected: eth0: link up at every instant of"));
        assert!(
            out.diagnostics[1].contains("at 2.010s: link down"),
            "{:?}",
            out.diagnostics
        );
    }

    #[test]
    fn during_past_the_end_of_the_run_fails() {
        let mut obs = flap();
        obs.reached_ns = s(6.0);
        let e = port(Window::During(d(5.0), d(10.0)), LinkState::Up, None);
        assert!(!judge(&[e], &obs)[0].ok);
    }

    #[test]
    fn wrong_speed_shows_expected_and_actual() {
        let e = port(Window::Within(d(0.0), d(3.0)), LinkState::Up, Some(100));
        let out = &judge(&[e], &flap())[0];
        assert!(!out.ok);
        assert!(out.diagnostics[0].contains("link up, speed 100"));
        assert!(
            out.diagnostics[1].contains("speed 1000, duplex full"),
            "{:?}",
            out.diagnostics
        );
    }

    #[test]
    fn other_ports_do_not_count() {
        let mut obs = flap();
        obs.links = vec![(s(0.0), fact("eth1", true, Some(1000), Some("full")))];
        let e = port(Window::Within(d(0.0), d(3.0)), LinkState::Up, None);
        assert!(!judge(&[e], &obs)[0].ok);
    }

    #[test]
    fn dmesg_clean_flags_warnings() {
        let e = Expectation::DmesgClean {
            name: "dmesg".into(),
            location: Location { line: 1, column: 1 },
        };
        let mut obs = flap();
        obs.kernel_log = vec!["phy-sim 0000:00:03.0: probed".into()];
        assert!(judge(std::slice::from_ref(&e), &obs)[0].ok);
        obs.kernel_log
            .push("WARNING: CPU: 0 PID: 1 at drivers/net/phy/phy.c:1234".into());
        let out = &judge(&[e], &obs)[0];
        assert!(!out.ok);
        assert!(out.diagnostics.iter().any(|l| l.contains("phy.c:1234")));
    }

    #[test]
    fn an_aborted_run_fails_everything() {
        let mut obs = flap();
        obs.aborted = Some("QEMU exited".into());
        let e = port(Window::Within(d(0.0), d(2.0)), LinkState::Up, None);
        let out = &judge(&[e], &obs)[0];
        assert!(!out.ok);
        assert_eq!(
            out.diagnostics,
            vec!["run aborted: QEMU exited".to_string()]
        );
    }

    #[test]
    fn teardown_reports_failed_steps_and_leaks() {
        use crate::protocol::TeardownStep;
        let e = Expectation::TeardownClean {
            name: "teardown clean".into(),
            location: Location { line: 1, column: 1 },
        };
        let mut obs = flap();
        assert!(
            !judge(std::slice::from_ref(&e), &obs)[0].ok,
            "no report is a failure"
        );
        obs.teardown = Some(TeardownReport {
            t: 0,
            ok: false,
            steps: vec![
                TeardownStep {
                    step: "unbind".into(),
                    ok: true,
                    detail: String::new(),
                },
                TeardownStep {
                    step: "rmmod".into(),
                    ok: false,
                    detail: "EBUSY".into(),
                },
            ],
            kmemleak: "unreferenced object 0xffff888003a0c000 (size 64):\n  comm \"insmod\"".into(),
        });
        let out = &judge(std::slice::from_ref(&e), &obs)[0];
        assert!(!out.ok);
        assert!(out
            .diagnostics
            .iter()
            .any(|d| d.contains("step rmmod failed: EBUSY")));
        assert!(out
            .diagnostics
            .iter()
            .any(|d| d.contains("unreferenced object")));
        obs.teardown = Some(TeardownReport {
            t: 0,
            ok: true,
            steps: vec![],
            kmemleak: String::new(),
        });
        assert!(judge(&[e], &obs)[0].ok);
    }

    #[test]
    fn ktap_shape() {
        let outcomes = vec![
            Outcome {
                name: "a".into(),
                ok: true,
                diagnostics: vec![],
            },
            Outcome {
                name: "b # c".into(),
                ok: false,
                diagnostics: vec!["why".into()],
            },
        ];
        let k = ktap_subtest(1, "flap", &outcomes, None);
        assert_eq!(
            k,
            "    KTAP version 1\n    # Subtest: flap\n    1..2\n    ok 1 a\n    not ok 2 b _ c\n    # why\nnot ok 1 flap\n"
        );
    }
}
