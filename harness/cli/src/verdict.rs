//! Judging a run: each expectation against the facts the guest agent reported, and the KTAP
//! report. Pure, so every rule here is unit-tested without a VM.

use crate::protocol::{LinkFact, TeardownReport};
use phy_sim_scenario::{fmt_duration, Duplex, Expectation, LinkState, Window};
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
            let name = match e {
                Expectation::Port { name, .. }
                | Expectation::DmesgClean { name, .. }
                | Expectation::TeardownClean { name, .. } => name.clone(),
            };
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
                    ..
                } => {
                    let want = Want {
                        link: *link,
                        speed: *speed,
                        duplex: *duplex,
                        phy_driver: phy_driver.as_deref(),
                    };
                    judge_port(name, port, window, &want, obs)
                }
                Expectation::DmesgClean { .. } => judge_dmesg(name, obs),
                Expectation::TeardownClean { .. } => judge_teardown(name, obs),
            }
        })
        .collect()
}

struct Want<'a> {
    link: Option<LinkState>,
    speed: Option<u32>,
    duplex: Option<Duplex>,
    phy_driver: Option<&'a str>,
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
        link_ok
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
            location: Location { line: 1, column: 1 },
        }
    }

    fn d(x: f64) -> Duration {
        Duration::from_secs_f64(x)
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
