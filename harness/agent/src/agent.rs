//! The agent's state machine and event loop (PROTOCOL.md "Sequence").

use std::collections::VecDeque;
use std::fs;
use std::os::fd::AsRawFd;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use phy_sim_protocol::{
    ActionDoneReport, AgentMessage, BenchPlan, BenchReport, CableTestMode, CableTestReport,
    LinkFact, SettingAction, TeardownReport,
};

use crate::actions::{self, Action, ActionKind, Schedule};
use crate::bench;
use crate::error::{Error, Result};
use crate::ethtool::{self, Eee, Family, LinkModes};
use crate::kmsg::{Kmsg, ReadOutcome, Record};
use crate::netlink::{parse_msgs, NlSocket, Reply, NETLINK_GENERIC, NETLINK_ROUTE};
use crate::port::Port;
use crate::proto::{self, parse_in, In, Plan};
use crate::rtnl::{self, LinkMsg};
use crate::settings;
use crate::sys::{self, monotonic_ns, Timer};
use crate::teardown::{self, Progress};
use crate::worker::{self, Job};

const PHY_SIM_DRIVER: &str = "/sys/bus/pci/drivers/phy-sim";
/// How long kernel records read before `start` may pile up before reading pauses.
const PENDING_KMSG_LIMIT: usize = 8 << 20;
/// Records forwarded per loop iteration, so a chatty kernel cannot starve the other sources.
const KMSG_BATCH: usize = 256;
/// Bound on every netlink request.
const NETLINK_TIMEOUT: Duration = Duration::from_secs(5);
/// How long the end of the scenario waits for a bench still running.
const BENCH_GRACE_NS: u64 = 30_000_000_000;
/// Bound on the whole teardown (its steps are bounded too, but a sysfs write that runs the
/// driver's probe or remove can block in the kernel).
const TEARDOWN_LIMIT: Duration = Duration::from_secs(180);

#[derive(Debug, Clone)]
pub struct Options {
    /// Test only: skip the phy-sim device (no timeline_start; origin_ns = now).
    pub no_device: bool,
    pub plan_timeout_ns: u64,
}

/// How a run ended without an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// origin_ns + duration_ns was reached.
    ScenarioEnd,
    /// The host sent `poweroff`.
    PowerOffRequested,
}

struct PortState {
    name: String,
    index: Option<i32>,
    last: Option<LinkFact>,
}

enum Phase {
    AwaitPlan {
        deadline: u64,
    },
    Setup {
        deadline: u64,
        timeout_ns: u64,
        duration_ns: u64,
        /// What setup is still waiting for, for the timeout message.
        waiting_for: String,
    },
    Running {
        end: u64,
    },
    /// The plan's teardown runs on a worker thread (after `origin_ns + duration_ns`).
    Teardown {
        deadline: u64,
    },
}

type BenchJob = Job<(BenchReport, Vec<String>)>;

struct TeardownJob {
    job: Job<teardown::Report>,
    progress: Arc<Mutex<Progress>>,
}

/// A cable test started from the plan's `actions`, running on a worker thread.
struct CableTestJob {
    ifname: String,
    mode: CableTestMode,
    /// When the event loop started it.
    start_t: u64,
    progress: Arc<Mutex<actions::Progress>>,
    job: Job<actions::Finished>,
}

/// A `link_settings` or `eee` action from the plan, its request running on a worker thread.
struct SettingJob {
    ifname: String,
    action: SettingAction,
    /// When the event loop started it; the wait for the kernel's reply counts from here.
    start_t: u64,
    /// When the thread sent the request.
    requested_t: Arc<OnceLock<u64>>,
    job: Job<settings::Done>,
}

impl SettingJob {
    fn deadline(&self) -> u64 {
        self.start_t
            .saturating_add(settings::TIMEOUT.as_nanos() as u64)
    }
}

pub struct Agent {
    opts: Options,
    port: Port,
    port_alive: bool,
    kmsg: Kmsg,
    kmsg_overwritten_reported: u64,
    timer: Timer,
    rtnl: NlSocket,
    genl: Option<(NlSocket, Family)>,
    monitor: Option<NlSocket>,
    pending_kmsg: VecDeque<(u64, Record)>,
    pending_bytes: usize,
    ports: Vec<PortState>,
    phase: Phase,
    /// The phy-sim device (`None` with `--no-device`), known once started.
    bdf: Option<String>,
    teardown_planned: bool,
    bench_plan: Option<BenchPlan>,
    bench: Option<BenchJob>,
    teardown: Option<TeardownJob>,
    /// The plan's actions until they are scheduled at start.
    actions: Vec<Action>,
    schedule: Schedule,
    cable_tests: Vec<CableTestJob>,
    settings: Vec<SettingJob>,
}

impl Agent {
    pub fn new(opts: Options, port: Port, kmsg: Kmsg) -> Result<Self> {
        Ok(Agent {
            opts,
            port,
            port_alive: true,
            kmsg,
            kmsg_overwritten_reported: 0,
            timer: Timer::new()?,
            rtnl: NlSocket::request(NETLINK_ROUTE, NETLINK_TIMEOUT)?,
            genl: None,
            monitor: None,
            pending_kmsg: VecDeque::new(),
            pending_bytes: 0,
            ports: Vec::new(),
            phase: Phase::AwaitPlan { deadline: 0 },
            bdf: None,
            teardown_planned: false,
            bench_plan: None,
            bench: None,
            teardown: None,
            actions: Vec::new(),
            schedule: Schedule::default(),
            cable_tests: Vec::new(),
            settings: Vec::new(),
        })
    }

    fn send(&mut self, msg: &AgentMessage) -> Result<()> {
        if !self.port_alive {
            return Err(Error::Protocol("host port is closed".into()));
        }
        let line =
            proto::line(msg).map_err(|e| Error::Protocol(format!("encoding a message: {e}")))?;
        let r = self.port.send_line(&line);
        if r.is_err() {
            self.port_alive = false;
        }
        r
    }

    pub fn send_hello(&mut self) -> Result<()> {
        let kernel = sys::kernel_release();
        self.send(&AgentMessage::Hello {
            t: monotonic_ns(),
            kernel,
            agent: env!("CARGO_PKG_VERSION").into(),
        })
    }

    /// A protocol problem the agent reports and survives.
    fn report(&mut self, message: &str) -> Result<()> {
        eprintln!("phy-sim-agent: {message}");
        self.send(&AgentMessage::Error {
            t: monotonic_ns(),
            message: message.into(),
            fatal: false,
        })
    }

    /// Link changes and kernel log records go to the host as they happen.
    fn streaming(&self) -> bool {
        matches!(self.phase, Phase::Running { .. } | Phase::Teardown { .. })
    }

    /// Runs until the scenario ends or the host asks for power-off.
    pub fn run(&mut self) -> Result<Outcome> {
        let deadline = monotonic_ns().saturating_add(self.opts.plan_timeout_ns);
        self.phase = Phase::AwaitPlan { deadline };
        self.timer.arm_at(deadline)?;
        loop {
            let running = self.streaming();
            let kmsg_events = if running || self.pending_bytes < PENDING_KMSG_LIMIT {
                libc::POLLIN
            } else {
                0
            };
            let monitor_fd = match (&self.monitor, running) {
                (Some(m), true) => m.as_raw_fd(),
                _ => -1,
            };
            let timeout_ms = match self.phase {
                Phase::Setup { .. } => 50, // re-check the device and the netdevs
                _ => 1000,
            };
            let bench_fd = self.bench.as_ref().map_or(-1, |j| j.as_raw_fd());
            let teardown_fd = self.teardown.as_ref().map_or(-1, |j| j.job.as_raw_fd());
            let mut fds = vec![
                (self.port.as_raw_fd(), libc::POLLIN),
                (self.kmsg.as_raw_fd(), kmsg_events),
                (self.timer.as_raw_fd(), libc::POLLIN),
                (monitor_fd, libc::POLLIN),
                (bench_fd, libc::POLLIN),
                (teardown_fd, libc::POLLIN),
            ];
            let fixed_fds = fds.len();
            fds.extend(
                self.cable_tests
                    .iter()
                    .map(|c| c.job.as_raw_fd())
                    .chain(self.settings.iter().map(|s| s.job.as_raw_fd()))
                    .map(|fd| (fd, libc::POLLIN)),
            );
            let rev = sys::poll(&fds, timeout_ms)?;

            if rev[0] != 0 {
                if let Some(o) = self.handle_host_input()? {
                    return Ok(o);
                }
            }
            if rev[1] != 0 {
                self.pump_kmsg(KMSG_BATCH)?;
            }
            if rev[3] != 0 {
                self.pump_monitor()?;
            }
            if rev[2] != 0 {
                self.timer.take_expired()?;
            }
            if rev[4] != 0 {
                self.poll_bench()?;
            }
            if rev[fixed_fds..].iter().any(|&r| r != 0) {
                self.poll_cable_tests()?;
            }
            let now = monotonic_ns();
            if let Phase::Running { end } = self.phase {
                self.start_due_actions(now, end)?;
                if self.poll_settings(now)? {
                    self.timer.arm_at(self.next_wake(end))?;
                }
            }
            match &self.phase {
                Phase::AwaitPlan { deadline } if now >= *deadline => {
                    return Err(Error::Timeout(format!(
                        "after {} ms waiting for the plan",
                        self.opts.plan_timeout_ns / 1_000_000
                    )));
                }
                Phase::Setup {
                    deadline,
                    timeout_ns,
                    waiting_for,
                    ..
                } if now >= *deadline => {
                    return Err(Error::Timeout(format!(
                        "after {} ms of setup: {waiting_for}",
                        timeout_ns / 1_000_000
                    )));
                }
                Phase::Setup { duration_ns, .. } => {
                    let duration_ns = *duration_ns;
                    self.try_setup(duration_ns)?;
                }
                Phase::Running { end } if now >= *end => {
                    let end = *end;
                    // Everything up to the end: pending link events, the kernel log, then the
                    // actions (the end cuts short those still running).
                    self.pump_monitor()?;
                    self.pump_kmsg(usize::MAX)?;
                    self.schedule = Schedule::default();
                    self.end_cable_tests()?;
                    self.end_settings()?;
                    if self.bench.is_some() {
                        let grace_end = end.saturating_add(BENCH_GRACE_NS);
                        if now < grace_end {
                            self.timer.arm_at(grace_end)?;
                            continue;
                        }
                        self.bench = None;
                        self.report(&format!(
                            "bench: not finished {} s after the end of the scenario; \
                             no bench report",
                            BENCH_GRACE_NS / 1_000_000_000
                        ))?;
                    }
                    if self.teardown_planned {
                        self.start_teardown()?;
                        continue;
                    }
                    return Ok(Outcome::ScenarioEnd);
                }
                Phase::Teardown { deadline } => {
                    let deadline = *deadline;
                    if let Some(report) = self.poll_teardown(now >= deadline) {
                        self.finish_teardown(&report)?;
                        return Ok(Outcome::ScenarioEnd);
                    }
                }
                _ => {}
            }
        }
    }

    fn handle_host_input(&mut self) -> Result<Option<Outcome>> {
        let input = self.port.read_input()?;
        for line in input.lines {
            match parse_in(&line) {
                Ok(In::PowerOff) => return Ok(Some(Outcome::PowerOffRequested)),
                Ok(In::Plan(plan)) => {
                    if matches!(self.phase, Phase::AwaitPlan { .. }) {
                        self.accept_plan(plan)?;
                    } else {
                        self.report("unexpected plan: a plan was already accepted")?;
                    }
                }
                Ok(In::Unknown(ty)) => self.report(&format!("unknown message type {ty:?}"))?,
                Err(e) => self.report(&format!("bad message from host: {e}"))?,
            }
        }
        if input.eof {
            self.port_alive = false;
            return Err(Error::Protocol("the host closed the port".into()));
        }
        Ok(None)
    }

    fn accept_plan(&mut self, plan: Plan) -> Result<()> {
        self.teardown_planned = plan.teardown;
        self.bench_plan = plan.bench;
        self.actions = plan.actions;
        self.ports = plan
            .ports
            .iter()
            .map(|name| PortState {
                name: name.clone(),
                index: None,
                last: None,
            })
            .collect();
        let deadline = monotonic_ns().saturating_add(plan.setup_timeout_ns);
        self.phase = Phase::Setup {
            deadline,
            timeout_ns: plan.setup_timeout_ns,
            duration_ns: plan.duration_ns,
            waiting_for: "nothing yet".into(),
        };
        self.timer.arm_at(deadline)?;
        self.try_setup(plan.duration_ns)
    }

    fn set_waiting_for(&mut self, what: String) {
        if let Phase::Setup { waiting_for, .. } = &mut self.phase {
            *waiting_for = what;
        }
    }

    /// One setup attempt: returns without error when something is still missing (the caller
    /// retries until the setup deadline); runs the rest of step 3 once everything is there.
    fn try_setup(&mut self, duration_ns: u64) -> Result<()> {
        let bdf = if self.opts.no_device {
            None
        } else {
            match find_phy_sim_device()? {
                Some(b) => Some(b),
                None => {
                    self.set_waiting_for(format!(
                        "no PCI device is bound to the phy-sim driver ({PHY_SIM_DRIVER}/<bdf>)"
                    ));
                    return Ok(());
                }
            }
        };
        for i in 0..self.ports.len() {
            if self.ports[i].index.is_some() {
                continue;
            }
            let name = self.ports[i].name.clone();
            let seq = self.rtnl.next_seq();
            let what = format!("RTM_GETLINK {name}");
            match self
                .rtnl
                .transact(seq, &rtnl::getlink_by_name(seq, &name), &what)?
            {
                Reply::Data { payload, .. } => {
                    self.ports[i].index = Some(rtnl::parse_link(&payload)?.index)
                }
                Reply::Errno { errno, .. } if errno == libc::ENODEV => {
                    self.set_waiting_for(format!("network interface {name} does not exist"));
                    return Ok(());
                }
                other => {
                    other.into_data(&what)?;
                }
            }
        }
        self.start(bdf.as_deref(), duration_ns)
    }

    /// The rest of step 3 and the beginning of step 4.
    fn start(&mut self, bdf: Option<&str>, duration_ns: u64) -> Result<()> {
        self.genl = Some(resolve_ethtool()?);
        self.monitor = Some(NlSocket::monitor(NETLINK_ROUTE, rtnl::RTNLGRP_LINK)?);
        for i in 0..self.ports.len() {
            let index = self.port_index(i)?;
            let seq = self.rtnl.next_seq();
            let what = format!("setting {} up (RTM_NEWLINK IFF_UP)", self.ports[i].name);
            match self
                .rtnl
                .transact(seq, &rtnl::setlink_up(seq, index), &what)?
            {
                Reply::Ack => {}
                other => {
                    other.into_data(&what)?;
                }
            }
        }
        let origin_ns = match bdf {
            Some(bdf) => start_timeline(bdf)?,
            None => monotonic_ns(),
        };
        self.send(&AgentMessage::Start {
            t: monotonic_ns(),
            origin_ns,
        })?;
        // Notifications queued so far predate the snapshot: drop them.
        self.drain_monitor()?;
        for i in 0..self.ports.len() {
            let index = self.port_index(i)?;
            let link = self.query_link(index)?.ok_or_else(|| {
                Error::Protocol(format!("network interface {} vanished", self.ports[i].name))
            })?;
            self.update_port(i, &link)?;
        }
        let end = origin_ns.saturating_add(duration_ns);
        self.phase = Phase::Running { end };
        self.schedule = Schedule::new(origin_ns, end, std::mem::take(&mut self.actions));
        self.timer.arm_at(self.schedule.wake_at(end))?;
        self.bdf = bdf.map(str::to_string);
        self.flush_pending_kmsg()?;
        if let Some(plan) = self.bench_plan {
            self.start_bench(plan)?;
        }
        Ok(())
    }

    /// Starts the plan's bench on a worker thread (the event loop keeps streaming).
    fn start_bench(&mut self, plan: BenchPlan) -> Result<()> {
        let ifname = self.ports.first().map(|p| p.name.clone());
        let bdf = self.bdf.clone();
        self.bench = Some(Job::spawn("bench", move || {
            bench::run(plan, ifname.as_deref(), bdf.as_deref())
        })?);
        Ok(())
    }

    /// Sends the bench's problems (non-fatal errors) and its `bench` message once it is done.
    fn poll_bench(&mut self) -> Result<()> {
        let Some(job) = self.bench.as_mut() else {
            return Ok(());
        };
        match job.poll() {
            worker::Poll::Pending => Ok(()),
            worker::Poll::Died => {
                self.bench = None;
                self.report("bench: the bench thread died; no bench report")
            }
            worker::Poll::Done((result, errors)) => {
                self.bench = None;
                for e in &errors {
                    self.report(e)?;
                }
                self.send(&AgentMessage::Bench(result))
            }
        }
    }

    /// When the event loop must wake up next while running: the next action due, the next
    /// setting's time limit, or the end.
    fn next_wake(&self, end: u64) -> u64 {
        self.settings
            .iter()
            .map(SettingJob::deadline)
            .fold(self.schedule.wake_at(end), u64::min)
    }

    /// Starts the actions whose time has come, each on a worker thread, and sets the timer for
    /// the next wake-up.
    fn start_due_actions(&mut self, now: u64, end: u64) -> Result<()> {
        let due = self.schedule.take_due(now);
        if due.is_empty() {
            return Ok(());
        }
        let (family, monitor_group) = {
            let (_, fam) = self.genl()?;
            (fam.id, fam.mcast_group(ethtool::ETHTOOL_MCGRP_MONITOR_NAME))
        };
        for Action { ifname, kind, .. } in due {
            let start_t = monotonic_ns();
            match kind {
                ActionKind::CableTest(kind) => {
                    let req = actions::Request {
                        family,
                        monitor_group,
                        ifname: ifname.clone(),
                        kind,
                    };
                    let progress = Arc::new(Mutex::new(actions::Progress::default()));
                    let p = Arc::clone(&progress);
                    let job = Job::spawn("cable-test", move || actions::run(&req, &p))?;
                    self.cable_tests.push(CableTestJob {
                        ifname,
                        mode: kind.mode(),
                        start_t,
                        progress,
                        job,
                    });
                }
                ActionKind::Setting(setting) => {
                    let action = setting.action();
                    let requested_t = Arc::new(OnceLock::new());
                    let r = Arc::clone(&requested_t);
                    let name = ifname.clone();
                    let job = Job::spawn("setting", move || {
                        settings::run(family, &name, &setting, &r)
                    })?;
                    self.settings.push(SettingJob {
                        ifname,
                        action,
                        start_t,
                        requested_t,
                        job,
                    });
                }
            }
        }
        self.timer.arm_at(self.next_wake(end))
    }

    /// Sends the `cable_test` message of every test that is done.
    fn poll_cable_tests(&mut self) -> Result<()> {
        let mut i = 0;
        while i < self.cable_tests.len() {
            let finished = match self.cable_tests[i].job.poll() {
                worker::Poll::Pending => {
                    i += 1;
                    continue;
                }
                worker::Poll::Done(f) => f,
                worker::Poll::Died => {
                    actions::Finished::failed(monotonic_ns(), "the cable test thread died")
                }
            };
            let c = self.cable_tests.remove(i);
            self.send_cable_test(&c, finished)?;
        }
        Ok(())
    }

    /// At the scenario's end: tests done report their results and those still running are
    /// reported cut short. Their threads are left to run out: one can be inside the
    /// kernel's ACT handler, which cannot be interrupted.
    fn end_cable_tests(&mut self) -> Result<()> {
        self.poll_cable_tests()?;
        for c in std::mem::take(&mut self.cable_tests) {
            let ended = actions::Finished::failed(monotonic_ns(), actions::SCENARIO_ENDED);
            self.send_cable_test(&c, ended)?;
        }
        Ok(())
    }

    /// The test's problems that do not void it (non-fatal errors), then its `cable_test`.
    fn send_cable_test(&mut self, c: &CableTestJob, finished: actions::Finished) -> Result<()> {
        let r = actions::Report::new(c.start_t, &c.progress, finished);
        for note in &r.finished.notes {
            self.report(&format!("cable test on {}: {note}", c.ifname))?;
        }
        let results = r.finished.results;
        self.send(&AgentMessage::CableTest(CableTestReport {
            t: r.finished.t,
            ifname: c.ifname.clone(),
            mode: c.mode,
            requested_t: r.requested_t,
            started_t: r.started_t,
            error: r.finished.error,
            pairs: results.pairs,
            pulse_mv: results.pulse_mv,
            step: results.step,
            amplitudes: results.amplitudes,
        }))
    }

    /// Sends the `action_done` message of every setting that is done or out of time; true
    /// when it sent one (the timer then has one time limit less to wait for).
    fn poll_settings(&mut self, now: u64) -> Result<bool> {
        let before = self.settings.len();
        let mut i = 0;
        while i < self.settings.len() {
            let s = &mut self.settings[i];
            let done = match s.job.poll() {
                worker::Poll::Done(d) => d,
                worker::Poll::Died => settings::Done {
                    t: monotonic_ns(),
                    error: Some("the action's thread died".into()),
                },
                // The thread may be stuck in the kernel: stop waiting for it, it runs out on
                // its own.
                worker::Poll::Pending if now >= s.deadline() => settings::Done {
                    t: now,
                    error: Some(actions::TIMED_OUT.into()),
                },
                worker::Poll::Pending => {
                    i += 1;
                    continue;
                }
            };
            let s = self.settings.remove(i);
            self.send_action_done(&s, done)?;
        }
        Ok(self.settings.len() != before)
    }

    /// At the scenario's end: settings done (or out of time) report how it went, those still
    /// waiting for the kernel are reported cut short; their threads are left to run out.
    fn end_settings(&mut self) -> Result<()> {
        self.poll_settings(monotonic_ns())?;
        for s in std::mem::take(&mut self.settings) {
            let ended = settings::Done {
                t: monotonic_ns(),
                error: Some(actions::SCENARIO_ENDED.into()),
            };
            self.send_action_done(&s, ended)?;
        }
        Ok(())
    }

    fn send_action_done(&mut self, s: &SettingJob, done: settings::Done) -> Result<()> {
        self.send(&AgentMessage::ActionDone(ActionDoneReport {
            t: done.t,
            action: s.action,
            ifname: s.ifname.clone(),
            // Not sent yet (the scenario ended first): when the action started stands in.
            requested_t: s.requested_t.get().copied().unwrap_or(s.start_t),
            error: done.error,
        }))
    }

    /// Starts the plan's teardown on a worker thread.
    fn start_teardown(&mut self) -> Result<()> {
        let cfg = teardown::Config::new(
            PHY_SIM_DRIVER,
            self.bdf.clone(),
            self.ports.iter().map(|p| p.name.clone()).collect(),
        );
        let progress = Arc::new(Mutex::new(Progress::default()));
        let p = Arc::clone(&progress);
        let job = Job::spawn("teardown", move || teardown::run(&cfg, &p))?;
        let deadline = monotonic_ns().saturating_add(TEARDOWN_LIMIT.as_nanos() as u64);
        self.teardown = Some(TeardownJob { job, progress });
        self.phase = Phase::Teardown { deadline };
        self.timer.arm_at(deadline)
    }

    /// The teardown's report once it is done, or what it got through when it died or
    /// `expired` (its time limit is up).
    fn poll_teardown(&mut self, expired: bool) -> Option<teardown::Report> {
        let t = self.teardown.as_mut()?;
        let report = match t.job.poll() {
            worker::Poll::Done(r) => r,
            worker::Poll::Died => {
                let mut r = teardown::Report::unfinished(&t.progress, TEARDOWN_LIMIT);
                if let Some(last) = r.steps.last_mut() {
                    last.detail = "the teardown thread died".into();
                }
                r
            }
            worker::Poll::Pending if expired => {
                teardown::Report::unfinished(&t.progress, TEARDOWN_LIMIT)
            }
            worker::Poll::Pending => return None,
        };
        self.teardown = None;
        Some(report)
    }

    /// The kernel log and link changes up to now, then the `teardown` message.
    fn finish_teardown(&mut self, report: &teardown::Report) -> Result<()> {
        self.pump_monitor()?;
        self.pump_kmsg(usize::MAX)?;
        self.send(&AgentMessage::Teardown(TeardownReport {
            t: monotonic_ns(),
            ok: report.ok(),
            steps: report.steps.clone(),
            kmemleak: report.kmemleak.clone(),
        }))
    }

    fn port_index(&self, i: usize) -> Result<i32> {
        self.ports[i].index.ok_or_else(|| {
            Error::Protocol(format!("no ifindex for {} (internal)", self.ports[i].name))
        })
    }

    /// The current link state; `None` when the interface no longer exists.
    fn query_link(&mut self, index: i32) -> Result<Option<LinkMsg>> {
        let seq = self.rtnl.next_seq();
        let what = format!("RTM_GETLINK ifindex {index}");
        match self
            .rtnl
            .transact(seq, &rtnl::getlink_by_index(seq, index), &what)?
        {
            Reply::Errno { errno, .. } if errno == libc::ENODEV => Ok(None),
            r => {
                let (_, payload) = r.into_data(&what)?;
                Ok(Some(rtnl::parse_link(&payload)?))
            }
        }
    }

    /// Builds the port's observable state from a link message plus ethtool queries and sends
    /// a `link` message when it differs from the last one sent.
    fn update_port(&mut self, i: usize, link: &LinkMsg) -> Result<()> {
        let name = self.ports[i].name.clone();
        let modes = self.query_linkmodes(link.index)?;
        let phy_driver = self.query_phy_driver(link.index, &name)?;
        let eee = self.query_eee(link.index)?;
        let fact = LinkFact {
            t: monotonic_ns(),
            ifname: name,
            admin_up: link.admin_up,
            // rtnl_fill_ifinfo() puts IFLA_CARRIER in every link message.
            carrier: link.carrier.unwrap_or(false),
            operstate: rtnl::operstate_name(link.operstate.unwrap_or(0)).into(),
            speed: modes.speed,
            duplex: modes.duplex.map(|d| d.as_str().into()),
            autoneg: modes.autoneg,
            phy_driver,
            master_slave_cfg: modes.master_slave_cfg.map(ethtool::master_slave_cfg_name),
            master_slave_state: modes
                .master_slave_state
                .map(ethtool::master_slave_state_name),
            eee_active: eee.active,
            eee_enabled: eee.enabled,
        };
        if self.ports[i]
            .last
            .as_ref()
            .is_some_and(|last| same_state(last, &fact))
        {
            return Ok(());
        }
        self.send(&AgentMessage::Link(fact.clone()))?;
        self.ports[i].last = Some(fact);
        Ok(())
    }

    fn genl(&mut self) -> Result<&mut (NlSocket, Family)> {
        self.genl
            .as_mut()
            .ok_or_else(|| Error::Protocol("ethtool family not resolved (internal)".into()))
    }

    /// ETHTOOL_MSG_LINKMODES_GET. A device without link settings (EOPNOTSUPP, e.g. `lo`) or
    /// one that is gone yields "unknown" for all three values.
    fn query_linkmodes(&mut self, index: i32) -> Result<LinkModes> {
        let (sock, fam) = self.genl()?;
        let seq = sock.next_seq();
        let what = format!("ETHTOOL_MSG_LINKMODES_GET ifindex {index}");
        match sock.transact(seq, &ethtool::linkmodes_get(fam.id, seq, index), &what)? {
            Reply::Data { payload, .. } => Ok(ethtool::parse_linkmodes(&payload)?),
            Reply::Errno { .. } => Ok(LinkModes::default()),
            Reply::Ack => Err(Error::Protocol(format!("{what}: ACK instead of data"))),
        }
    }

    /// ETHTOOL_MSG_EEE_GET. A device whose driver has no `get_eee` (EOPNOTSUPP), or whose PHY
    /// could not be read, yields "unknown" for both values.
    fn query_eee(&mut self, index: i32) -> Result<Eee> {
        let (sock, fam) = self.genl()?;
        let seq = sock.next_seq();
        let what = format!("ETHTOOL_MSG_EEE_GET ifindex {index}");
        match sock.transact(seq, &ethtool::eee_get(fam.id, seq, index), &what)? {
            Reply::Data { payload, .. } => Ok(ethtool::parse_eee(&payload)?),
            Reply::Errno { .. } => Ok(Eee::default()),
            Reply::Ack => Err(Error::Protocol(format!("{what}: ACK instead of data"))),
        }
    }

    /// ETHTOOL_MSG_PHY_GET's ETHTOOL_A_PHY_DRVNAME; `None` when no PHY is attached
    /// (EOPNOTSUPP). On kernels without PHY_GET (< 6.12), falls back to sysfs, see
    /// [`phy_driver_from_sysfs`].
    fn query_phy_driver(&mut self, index: i32, ifname: &str) -> Result<Option<String>> {
        let (sock, fam) = self.genl()?;
        if !fam.supports(ethtool::ETHTOOL_MSG_PHY_GET) {
            return Ok(phy_driver_from_sysfs(ifname));
        }
        let seq = sock.next_seq();
        let what = format!("ETHTOOL_MSG_PHY_GET ifindex {index}");
        match sock.transact(seq, &ethtool::phy_get(fam.id, seq, index), &what)? {
            Reply::Data { payload, .. } => Ok(ethtool::parse_phy(&payload)?),
            Reply::Errno { .. } => Ok(None),
            Reply::Ack => Err(Error::Protocol(format!("{what}: ACK instead of data"))),
        }
    }

    /// Reads and discards everything queued on the monitor socket.
    fn drain_monitor(&mut self) -> Result<()> {
        let Some(m) = self.monitor.as_mut() else {
            return Ok(());
        };
        loop {
            match m.recv() {
                Ok(Some(_)) => {}
                Ok(None) => return Ok(()),
                Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => {}
                Err(e) => return Err(Error::io("rtnetlink monitor recv", e)),
            }
        }
    }

    /// Handles queued RTM_NEWLINK notifications for the plan's ports.
    fn pump_monitor(&mut self) -> Result<()> {
        let Some(m) = self.monitor.as_mut() else {
            return Ok(());
        };
        let mut events = Vec::new();
        let mut overrun = false;
        loop {
            match m.recv() {
                Ok(Some(data)) => {
                    for msg in parse_msgs(data)? {
                        if msg.ty == rtnl::RTM_NEWLINK || msg.ty == rtnl::RTM_DELLINK {
                            let link = rtnl::parse_link(msg.payload)?;
                            // AF_BRIDGE etc. messages describe other aspects of the link.
                            if link.family == 0 {
                                events.push((msg.ty, link));
                            }
                        }
                    }
                }
                Ok(None) => break,
                // The socket queue overflowed: notifications were lost.
                Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => overrun = true,
                Err(e) => return Err(Error::io("rtnetlink monitor recv", e)),
            }
        }
        let tearing_down = matches!(self.phase, Phase::Teardown { .. });
        for (ty, ev) in &events {
            let Some(i) = self.ports.iter().position(|p| p.index == Some(ev.index)) else {
                // During the teardown the driver's rebind creates the ports anew: follow
                // them again.
                if tearing_down && *ty == rtnl::RTM_NEWLINK {
                    if let Some(i) = self
                        .ports
                        .iter()
                        .position(|p| p.index.is_none() && ev.name.as_deref() == Some(&p.name))
                    {
                        self.ports[i].index = Some(ev.index);
                        self.ports[i].last = None;
                        self.update_port(i, ev)?;
                    }
                }
                continue;
            };
            if *ty == rtnl::RTM_DELLINK {
                self.port_removed(i)?;
            } else {
                self.update_port(i, ev)?;
            }
        }
        if overrun {
            // Resynchronise from the current state.
            for i in 0..self.ports.len() {
                let Some(index) = self.ports[i].index else {
                    if tearing_down {
                        self.follow_again(i)?;
                    }
                    continue; // removed
                };
                match self.query_link(index)? {
                    Some(link) => self.update_port(i, &link)?,
                    None => self.port_removed(i)?,
                }
            }
        }
        Ok(())
    }

    /// Follows a planned port again if an interface of its name exists (again).
    fn follow_again(&mut self, i: usize) -> Result<()> {
        let name = self.ports[i].name.clone();
        let seq = self.rtnl.next_seq();
        let what = format!("RTM_GETLINK {name}");
        match self
            .rtnl
            .transact(seq, &rtnl::getlink_by_name(seq, &name), &what)?
        {
            Reply::Data { payload, .. } => {
                let link = rtnl::parse_link(&payload)?;
                self.ports[i].index = Some(link.index);
                self.ports[i].last = None;
                self.update_port(i, &link)
            }
            Reply::Errno { errno, .. } if errno == libc::ENODEV => Ok(()),
            other => other.into_data(&what).map(drop),
        }
    }

    /// A planned interface disappeared. That is not part of the `link` message's vocabulary:
    /// tell the host with a non-fatal error and stop following the port. During the
    /// teardown that is what is supposed to happen: no error then.
    fn port_removed(&mut self, i: usize) -> Result<()> {
        self.ports[i].index = None;
        self.ports[i].last = None;
        if matches!(self.phase, Phase::Teardown { .. }) {
            return Ok(());
        }
        let name = self.ports[i].name.clone();
        self.report(&format!("network interface {name} was removed"))
    }

    /// Reads up to `max` kernel records; sends them once started, queues them before.
    fn pump_kmsg(&mut self, max: usize) -> Result<()> {
        let running = self.streaming();
        for _ in 0..max {
            if !running && self.pending_bytes >= PENDING_KMSG_LIMIT {
                break;
            }
            match self.kmsg.read()? {
                ReadOutcome::Empty => break,
                ReadOutcome::Record(r) => {
                    let t = monotonic_ns();
                    if running {
                        self.send_kmsg(t, &r)?;
                    } else {
                        self.pending_bytes += r.msg.len() + 64;
                        self.pending_kmsg.push_back((t, r));
                    }
                }
            }
        }
        self.report_overwritten()
    }

    fn report_overwritten(&mut self) -> Result<()> {
        let lost = self.kmsg.overwritten - self.kmsg_overwritten_reported;
        if lost > 0 && self.streaming() {
            self.kmsg_overwritten_reported = self.kmsg.overwritten;
            self.report(&format!(
                "kmsg: records were overwritten in the kernel log buffer before they could \
                 be read ({lost} gap(s))"
            ))?;
        }
        Ok(())
    }

    fn send_kmsg(&mut self, t: u64, r: &Record) -> Result<()> {
        self.send(&AgentMessage::Kmsg {
            t,
            level: r.level,
            ts_us: r.ts_us,
            msg: r.msg.clone(),
        })
    }

    fn flush_pending_kmsg(&mut self) -> Result<()> {
        while let Some((t, r)) = self.pending_kmsg.pop_front() {
            self.send_kmsg(t, &r)?;
        }
        self.pending_bytes = 0;
        self.report_overwritten()
    }

    /// Best effort on the way out after a fatal error: the kernel log so far, then `error`.
    pub fn report_fatal(&mut self, e: &Error) {
        if self.port_alive {
            // Collect what the kernel said (it often explains the failure).
            let _ = self.pump_kmsg(100_000);
            while let Some((t, r)) = self.pending_kmsg.pop_front() {
                if self.send_kmsg(t, &r).is_err() {
                    break;
                }
            }
            let _ = self.send(&AgentMessage::Error {
                t: monotonic_ns(),
                message: e.to_string(),
                fatal: true,
            });
        }
    }

    pub fn send_end(&mut self) -> Result<()> {
        self.send(&AgentMessage::End { t: monotonic_ns() })
    }
}

/// Every field of a `link` message but its time takes part in "differs from the last one
/// sent".
fn same_state(a: &LinkFact, b: &LinkFact) -> bool {
    *a == LinkFact {
        t: a.t,
        ..b.clone()
    }
}

/// The BDF of the PCI device bound to the phy-sim driver, if there is one.
fn find_phy_sim_device() -> Result<Option<String>> {
    let dir = match fs::read_dir(PHY_SIM_DRIVER) {
        Ok(d) => d,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(format!("read {PHY_SIM_DRIVER}"), e)),
    };
    let mut bdfs: Vec<String> = dir
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| is_bdf(n))
        .collect();
    bdfs.sort();
    match bdfs.len() {
        0 => Ok(None),
        1 => Ok(bdfs.pop()),
        _ => Err(Error::Protocol(format!(
            "more than one PCI device is bound to phy-sim: {}",
            bdfs.join(", ")
        ))),
    }
}

/// `DDDD:BB:DD.F`
fn is_bdf(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 12
        && b[4] == b':'
        && b[7] == b':'
        && b[10] == b'.'
        && [0, 1, 2, 3, 5, 6, 8, 9, 11]
            .iter()
            .all(|&i| b[i].is_ascii_hexdigit())
}

/// Writes `1` to timeline_start and reads timeline_origin_ns back.
fn start_timeline(bdf: &str) -> Result<u64> {
    let dir = Path::new(PHY_SIM_DRIVER).join(bdf);
    let start = dir.join("timeline_start");
    fs::write(&start, "1").map_err(|e| Error::io(format!("write {}", start.display()), e))?;
    let origin = dir.join("timeline_origin_ns");
    let s = fs::read_to_string(&origin)
        .map_err(|e| Error::io(format!("read {}", origin.display()), e))?;
    s.trim().parse().map_err(|_| {
        Error::Protocol(format!(
            "{}: not a decimal number: {:?}",
            origin.display(),
            s.trim()
        ))
    })
}

fn resolve_ethtool() -> Result<(NlSocket, Family)> {
    let mut sock = NlSocket::request(NETLINK_GENERIC, NETLINK_TIMEOUT)?;
    let seq = sock.next_seq();
    let what = "CTRL_CMD_GETFAMILY ethtool (is CONFIG_ETHTOOL_NETLINK set?)";
    let (_, payload) = sock
        .transact(
            seq,
            &ethtool::getfamily(seq, ethtool::ETHTOOL_GENL_NAME),
            what,
        )?
        .into_data(what)?;
    let fam = ethtool::parse_family(&payload)?;
    Ok((sock, fam))
}

/// Fallback for kernels without ETHTOOL_MSG_PHY_GET: the name of the driver bound to the
/// netdev's attached PHY, from the `/sys/class/net/<if>/phydev/driver` symlink. phylib
/// registers every PHY driver with `mdiodrv.driver.name = phy_driver.name`, so the link's
/// basename is the same string PHY_GET reports (e.g. "Marvell 88E1510", "Generic PHY").
/// `None` when the netdev has no phydev link (no PHY attached, or a PHY the MAC driver
/// manages without phylib's attach) or the PHY has no driver.
fn phy_driver_from_sysfs(ifname: &str) -> Option<String> {
    let link = fs::read_link(format!("/sys/class/net/{ifname}/phydev/driver")).ok()?;
    link.file_name()
        .and_then(|n| n.to_str())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bdf_names() {
        assert!(is_bdf("0000:00:04.0"));
        assert!(is_bdf("0000:0a:1f.7"));
        assert!(!is_bdf("bind"));
        assert!(!is_bdf("new_id"));
        assert!(!is_bdf("0000:00:04"));
        assert!(!is_bdf("module"));
    }
}
