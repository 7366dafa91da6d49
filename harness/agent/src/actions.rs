//! The plan's `actions` (PROTOCOL.md), started at their time on the timeline, and the cable
//! tests among them (the settings are in `settings`).
//!
//! The event loop keeps the [`Schedule`] and starts each action on a thread of its own: the
//! kernel runs the PHY driver's start routine inside the ACT request (marvell.c sleeps 1.5 s
//! there when the link is up), and link changes and kernel records must keep flowing
//! meanwhile. Tests run independently, so a second test on a busy PHY sees the kernel's EBUSY.

use std::collections::VecDeque;
use std::os::fd::AsRawFd;
use std::sync::Mutex;
use std::time::Duration;

use crate::cabletest::{
    self, CableResults, ETHTOOL_A_CABLE_TEST_NTF_STATUS_COMPLETED,
    ETHTOOL_A_CABLE_TEST_NTF_STATUS_STARTED,
};
use crate::error::{errno_name, Error, Result};
use crate::netlink::{parse_msgs, NlSocket, Reply, NETLINK_GENERIC, NETLINK_ROUTE};
use crate::rtnl;
use crate::settings::Setting;
use crate::sys::{self, monotonic_ns};

/// How long after the request a test's COMPLETED notification may take (guest time); the
/// ACT request's own reply counts against it.
pub const RESULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Bound on the interface lookup before the request.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(5);
pub const TIMED_OUT: &str = "timed out";
pub const SCENARIO_ENDED: &str = "scenario ended";

/// One of the plan's actions, checked: what the agent runs at `origin_ns + at_ns`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub at_ns: u64,
    pub ifname: String,
    pub kind: ActionKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionKind {
    /// Ends in a `cable_test` message.
    CableTest(cabletest::Kind),
    /// Ends in an `action_done` message.
    Setting(Setting),
}

/// The actions not started yet, by due time (guest CLOCK_MONOTONIC).
#[derive(Debug, Default)]
pub struct Schedule {
    pending: VecDeque<(u64, Action)>,
}

impl Schedule {
    /// Actions due at `origin_ns + at_ns`; those due at or after `end_ns` never run. Equal
    /// times keep the plan's order.
    pub fn new(origin_ns: u64, end_ns: u64, actions: Vec<Action>) -> Self {
        let mut due: Vec<(u64, Action)> = actions
            .into_iter()
            .map(|a| (origin_ns.saturating_add(a.at_ns), a))
            .filter(|&(t, _)| t < end_ns)
            .collect();
        due.sort_by_key(|&(t, _)| t);
        Schedule {
            pending: due.into(),
        }
    }

    /// Removes and returns the actions due at `now` or earlier, in order.
    pub fn take_due(&mut self, now: u64) -> Vec<Action> {
        let n = self.pending.iter().take_while(|(t, _)| *t <= now).count();
        self.pending.drain(..n).map(|(_, a)| a).collect()
    }

    /// When the event loop must wake up next: the next action, or `end_ns`.
    pub fn wake_at(&self, end_ns: u64) -> u64 {
        self.pending.front().map_or(end_ns, |&(t, _)| t.min(end_ns))
    }
}

/// What a test's thread has done so far, for the message of a test the scenario's end cuts
/// short.
#[derive(Debug, Default)]
pub struct Progress {
    /// When the ACT request was sent.
    pub requested_t: Option<u64>,
    /// When the STARTED notification was read.
    pub started_t: Option<u64>,
}

/// How a test ended: `t` is when the COMPLETED notification was read, or when the test failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    pub t: u64,
    pub error: Option<String>,
    pub results: CableResults,
    /// Problems that do not void the results (sent as non-fatal `error` messages).
    pub notes: Vec<String>,
}

impl Finished {
    pub fn failed(t: u64, error: impl Into<String>) -> Self {
        Finished {
            t,
            error: Some(error.into()),
            results: CableResults::default(),
            notes: Vec::new(),
        }
    }
}

/// Everything of a `cable_test` message but the interface and mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub requested_t: u64,
    pub started_t: Option<u64>,
    pub finished: Finished,
}

impl Report {
    /// `start_t` is when the event loop started the action; it stands in for `requested_t`
    /// when the request never went out (the lookup failed or the scenario ended first).
    pub fn new(start_t: u64, progress: &Mutex<Progress>, finished: Finished) -> Self {
        let p = progress.lock().unwrap_or_else(|e| e.into_inner());
        Report {
            requested_t: p.requested_t.unwrap_or(start_t),
            started_t: p.started_t,
            finished,
        }
    }
}

/// One test for a worker thread.
#[derive(Debug, Clone)]
pub struct Request {
    /// The ethtool genl family id.
    pub family: u16,
    /// Its "monitor" multicast group, `None` when the kernel has none.
    pub monitor_group: Option<u32>,
    pub ifname: String,
    pub kind: cabletest::Kind,
}

/// Runs one test (on a worker thread): joins the monitor group, looks up the interface,
/// sends the ACT request and waits for the COMPLETED notification of that interface.
pub fn run(req: &Request, progress: &Mutex<Progress>) -> Finished {
    let mut notes = Vec::new();
    match run_test(req, progress, &mut notes) {
        Ok((t, results)) => Finished {
            t,
            error: None,
            results,
            notes,
        },
        Err(e) => Finished {
            notes,
            ..Finished::failed(monotonic_ns(), e.to_string())
        },
    }
}

/// `EBUSY: PHY already performing a test`: the errno's name, then the extack message.
pub fn kernel_error(errno: i32, ext_ack: Option<&str>) -> String {
    match ext_ack {
        Some(m) if !m.is_empty() => format!("{}: {m}", errno_name(errno)),
        _ => errno_name(errno),
    }
}

fn lock(p: &Mutex<Progress>) -> std::sync::MutexGuard<'_, Progress> {
    p.lock().unwrap_or_else(|e| e.into_inner())
}

/// The interface's index, `None` when it does not exist.
fn lookup(rtnl: &mut NlSocket, ifname: &str) -> Result<Option<i32>> {
    let seq = rtnl.next_seq();
    let what = format!("RTM_GETLINK {ifname}");
    match rtnl.transact(seq, &rtnl::getlink_by_name(seq, ifname), &what)? {
        Reply::Errno { errno, .. } if errno == libc::ENODEV => Ok(None),
        r => Ok(Some(rtnl::parse_link(&r.into_data(&what)?.1)?.index)),
    }
}

fn run_test(
    req: &Request,
    progress: &Mutex<Progress>,
    notes: &mut Vec<String>,
) -> Result<(u64, CableResults)> {
    let group = req.monitor_group.ok_or_else(|| {
        Error::Protocol("the ethtool genl family has no \"monitor\" multicast group".into())
    })?;
    // Joined before the request: the kernel multicasts the notifications, and the COMPLETED
    // one can be sent before the request is even acknowledged.
    let mut monitor = NlSocket::monitor(NETLINK_GENERIC, group)?;
    let mut rtnl = NlSocket::request(NETLINK_ROUTE, LOOKUP_TIMEOUT)?;
    // Looked up before the request so that reading notifications need not wait for rtnl
    // (another test's request can hold it for seconds). A missing interface is the kernel's
    // to report: the request goes out all the same.
    let ifindex_before = lookup(&mut rtnl, &req.ifname)?;

    let mut genl = NlSocket::request(NETLINK_GENERIC, RESULT_TIMEOUT)?;
    let seq = genl.next_seq();
    let msg = cabletest::act_request(req.family, seq, &req.ifname, &req.kind);
    let requested_t = monotonic_ns();
    lock(progress).requested_t = Some(requested_t);
    let deadline = requested_t.saturating_add(RESULT_TIMEOUT.as_nanos() as u64);
    let what = match req.kind {
        cabletest::Kind::Fault => "ETHTOOL_MSG_CABLE_TEST_ACT",
        cabletest::Kind::Tdr(_) => "ETHTOOL_MSG_CABLE_TEST_TDR_ACT",
    };
    match genl.transact(seq, &msg, what) {
        Ok(Reply::Ack) => {}
        Ok(Reply::Errno { errno, ext_ack }) => {
            return Err(Error::Protocol(kernel_error(errno, ext_ack.as_deref())))
        }
        Ok(Reply::Data { .. }) => {
            return Err(Error::Protocol(format!("{what}: data instead of an ACK")))
        }
        Err(Error::Timeout(_)) => return Err(Error::Protocol(TIMED_OUT.into())),
        Err(e) => return Err(e),
    }
    let ifindex = match ifindex_before {
        Some(i) => i,
        None => lookup(&mut rtnl, &req.ifname)?.ok_or_else(|| {
            Error::Protocol(format!("network interface {} disappeared", req.ifname))
        })?,
    };

    let mode = req.kind.mode();
    let mut overrun = false;
    loop {
        loop {
            let data = match monitor.recv() {
                Ok(Some(d)) => d,
                Ok(None) => break,
                // The queue overflowed: notifications were lost.
                Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => {
                    overrun = true;
                    continue;
                }
                Err(e) => return Err(Error::io("ethtool monitor recv", e)),
            };
            let t = monotonic_ns();
            for m in parse_msgs(data)? {
                if m.ty != req.family {
                    continue;
                }
                let Some(ntf) = cabletest::parse_ntf(m.payload)? else {
                    continue;
                };
                if ntf.mode != mode || ntf.ifindex != Some(ifindex) {
                    continue;
                }
                match ntf.status {
                    Some(ETHTOOL_A_CABLE_TEST_NTF_STATUS_STARTED) => {
                        lock(progress).started_t.get_or_insert(t);
                    }
                    Some(ETHTOOL_A_CABLE_TEST_NTF_STATUS_COMPLETED) => {
                        if ntf.orphan_amplitudes > 0 {
                            notes.push(format!(
                                "{} TDR amplitude(s) came before any STEP nest and have no \
                                 distance; left out",
                                ntf.orphan_amplitudes
                            ));
                        }
                        return Ok((t, ntf.results));
                    }
                    _ => {}
                }
            }
        }
        let now = monotonic_ns();
        if now >= deadline {
            if overrun {
                notes.push(
                    "ethtool notifications were lost (the monitor socket's queue overflowed)"
                        .into(),
                );
            }
            return Err(Error::Protocol(TIMED_OUT.into()));
        }
        let ms = (deadline - now).div_ceil(1_000_000).min(i32::MAX as u64) as i32;
        sys::poll(&[(monitor.as_raw_fd(), libc::POLLIN)], ms)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cabletest::{Kind, TdrConfig};

    const FAULT: ActionKind = ActionKind::CableTest(Kind::Fault);

    fn action(at_ns: u64, ifname: &str, kind: ActionKind) -> Action {
        Action {
            at_ns,
            ifname: ifname.into(),
            kind,
        }
    }

    fn names(v: &[Action]) -> Vec<&str> {
        v.iter().map(|a| a.ifname.as_str()).collect()
    }

    #[test]
    fn schedule_orders_and_never_runs_early() {
        let eee = ActionKind::Setting(Setting::Eee { enabled: true });
        let plan = vec![
            action(2_000, "late", FAULT),
            action(1_000, "first", FAULT),
            action(1_000, "same-time", eee.clone()),
            action(9_000, "at-end", FAULT),
            action(50_000, "after-end", FAULT),
        ];
        // origin 100, end = origin + 9000
        let mut s = Schedule::new(100, 9_100, plan);
        assert_eq!(s.wake_at(9_100), 1_100);
        assert!(s.take_due(1_099).is_empty());
        let due = s.take_due(1_100);
        assert_eq!(names(&due), ["first", "same-time"]);
        assert_eq!(due[1].kind, eee);
        assert_eq!(s.wake_at(9_100), 2_100);
        assert!(s.take_due(2_000).is_empty());
        // A late wake-up starts everything due by then, still in order.
        assert_eq!(names(&s.take_due(5_000)), ["late"]);
        // Due at or after the end: never run.
        assert_eq!(s.wake_at(9_100), 9_100);
        assert!(s.take_due(u64::MAX).is_empty());
    }

    #[test]
    fn schedule_saturates() {
        let tdr = ActionKind::CableTest(Kind::Tdr(TdrConfig::default()));
        let plan = vec![action(u64::MAX, "eth0", tdr)];
        let mut s = Schedule::new(5, u64::MAX, plan);
        assert!(s.take_due(u64::MAX - 1).is_empty());
        assert_eq!(Schedule::default().wake_at(42), 42);
    }

    #[test]
    fn report_of_a_test_cut_short() {
        let progress = Mutex::new(Progress::default());
        // The request never went out: the action's start time stands in.
        let r = Report::new(10, &progress, Finished::failed(50, SCENARIO_ENDED));
        assert_eq!(r.requested_t, 10);
        assert_eq!(r.started_t, None);
        assert_eq!(r.finished.error.as_deref(), Some("scenario ended"));
        assert_eq!(r.finished.t, 50);

        lock(&progress).requested_t = Some(12);
        lock(&progress).started_t = Some(20);
        let r = Report::new(10, &progress, Finished::failed(60, TIMED_OUT));
        assert_eq!((r.requested_t, r.started_t), (12, Some(20)));
        assert_eq!(r.finished.results, CableResults::default());
    }

    #[test]
    fn kernel_error_text() {
        assert_eq!(
            kernel_error(
                libc::EOPNOTSUPP,
                Some("PHY driver does not support cable testing")
            ),
            "EOPNOTSUPP: PHY driver does not support cable testing"
        );
        assert_eq!(kernel_error(libc::ENETDOWN, None), "ENETDOWN");
        assert_eq!(kernel_error(libc::EBUSY, Some("")), "EBUSY");
    }

    #[test]
    fn no_monitor_group_is_the_tests_error() {
        let req = Request {
            family: 20,
            monitor_group: None,
            ifname: "eth0".into(),
            kind: Kind::Fault,
        };
        let progress = Mutex::new(Progress::default());
        let f = run(&req, &progress);
        assert!(f.error.unwrap().contains("monitor"));
        assert_eq!(lock(&progress).requested_t, None);
    }
}
