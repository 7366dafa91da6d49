//! One scenario, end to end: the device server, QEMU, the guest agent, and the observations
//! they yield. Every wait is bounded and nothing outlives the run.

use crate::process::{Guarded, SocketDir};
use crate::protocol::{
    AgentMessage, CableTestMode, Duplex, GuestAction, HostMessage, LinkSettings, MasterSlaveCfg,
    PlannedAction, SettingAction,
};
use crate::protocol::{BenchPlan, BenchReport};
use crate::verdict::Observations;
use anyhow::{anyhow, Context, Result};
use phy_sim_provision::{Accel, Kernel, Qemu};
use phy_sim_scenario::{Action, Expectation, MasterSlave, Scenario};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct Machine {
    pub qemu: Qemu,
    pub kernel: Kernel,
    pub initramfs: PathBuf,
    pub accel: Accel,
    /// `-icount shift=auto,sleep=off`: the guest clock skips idle time.
    pub icount: bool,
    /// Appended to the guest kernel's command line (dyndbg=..., pci=nomsi, ...).
    pub kernel_args: String,
}

pub struct RunLimits {
    pub boot: Duration,
    pub setup_guest: Duration,
    pub host_slack: Duration,
}

impl Default for RunLimits {
    fn default() -> Self {
        RunLimits {
            boot: Duration::from_secs(180),
            setup_guest: Duration::from_secs(60),
            host_slack: Duration::from_secs(120),
        }
    }
}

pub struct RunReport {
    pub observations: Observations,
    pub wall: Duration,
    /// Host time from QEMU start to the timeline start, and to the first carrier up.
    pub boot_to_start: Option<Duration>,
    pub boot_to_link: Option<Duration>,
    pub kernel_release: Option<String>,
    pub bench: Option<BenchReport>,
}

/// Test hook for the failure-path tests: `kill-sim-after-start` or `kill-qemu-after-start`
/// kills that process as soon as the timeline has started.
pub const FAULT_ENV: &str = "PHY_SIM_FAULT";

pub fn run_scenario(
    machine: &Machine,
    scenario: &Scenario,
    run_dir: &Path,
    limits: &RunLimits,
    bench: Option<BenchPlan>,
    interrupted: &Arc<AtomicBool>,
) -> Result<RunReport> {
    let started = Instant::now();
    std::fs::create_dir_all(run_dir).with_context(|| format!("creating {}", run_dir.display()))?;
    let sockets = SocketDir::create().context("creating the socket folder")?;
    let dev_sock = sockets.path.join("dev.sock");
    let agent_sock = sockets.path.join("agent.sock");

    let mut sim = spawn_sim(scenario, &dev_sock, run_dir)?;
    wait_for_socket(&dev_sock, &mut sim, Duration::from_secs(20))?;

    let listener = UnixListener::bind(&agent_sock).context("binding the agent socket")?;
    listener.set_nonblocking(true)?;

    let mut qemu = spawn_qemu(machine, &dev_sock, &agent_sock, run_dir, &sockets.path)?;
    let qemu_started = Instant::now();

    let mut obs = Observations::default();
    let mut report = RunReport {
        observations: Observations::default(),
        wall: Duration::ZERO,
        boot_to_start: None,
        boot_to_link: None,
        kernel_release: None,
        bench: None,
    };
    let mut bench_result = None;
    let mut log = std::fs::File::create(run_dir.join("agent.jsonl"))?;
    let mut dmesg = std::fs::File::create(run_dir.join("dmesg.txt"))?;

    let result = (|| -> Result<()> {
        let stream = accept_agent(
            &listener,
            limits.boot,
            &mut [&mut sim, &mut qemu],
            interrupted,
        )?;
        stream.set_read_timeout(Some(Duration::from_millis(100)))?;
        let mut writer = stream.try_clone()?;
        let mut reader = BufReader::new(stream);

        let duration_ns = scenario.duration.as_nanos() as u64;
        let host_deadline =
            Instant::now() + limits.boot + limits.host_slack + scenario.duration * 4;
        let mut origin: Option<u64> = None;
        let mut buf: Vec<u8> = Vec::new();
        let fault = std::env::var(FAULT_ENV).unwrap_or_default();
        loop {
            if interrupted.load(Ordering::Relaxed) {
                return Err(anyhow!("interrupted"));
            }
            if Instant::now() > host_deadline {
                return Err(anyhow!(
                    "the guest did not finish the scenario within {:?} of host time",
                    host_deadline - started
                ));
            }
            if sim.exited().is_some() || qemu.exited().is_some() {
                return Err(who_died(&mut [&mut sim, &mut qemu]));
            }
            // On a timeout read_until keeps what it consumed in `buf`, so a line split across
            // reads is completed by the next call.
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) => return Err(who_died(&mut [&mut sim, &mut qemu])),
                Ok(_) if buf.ends_with(b"\n") => {}
                Ok(_) => continue,
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    continue;
                }
                Err(e) => return Err(anyhow!("reading from the guest agent: {e}")),
            }
            log.write_all(&buf)?;
            let line = String::from_utf8_lossy(&buf).into_owned();
            buf.clear();
            let msg: AgentMessage = match serde_json::from_str(line.trim_end()) {
                Ok(m) => m,
                Err(e) => {
                    tracing::warn!("unreadable agent message ({e}): {}", line.trim_end());
                    continue;
                }
            };
            match msg {
                AgentMessage::Hello { kernel, .. } => {
                    report.kernel_release = Some(kernel);
                    let plan = HostMessage::Plan {
                        ports: scenario
                            .board
                            .ports
                            .iter()
                            .map(|p| p.name.as_str())
                            .collect(),
                        duration_ns,
                        setup_timeout_ns: limits.setup_guest.as_nanos() as u64,
                        teardown: scenario
                            .expect
                            .iter()
                            .any(|e| matches!(e, Expectation::TeardownClean { .. })),
                        bench,
                        actions: guest_actions(scenario),
                    };
                    serde_json::to_writer(&mut writer, &plan)?;
                    writer.write_all(b"\n")?;
                }
                AgentMessage::Start { origin_ns, .. } => {
                    origin = Some(origin_ns);
                    report.boot_to_start = Some(qemu_started.elapsed());
                    match fault.as_str() {
                        "kill-sim-after-start" => sim.kill_only(),
                        "kill-qemu-after-start" => qemu.kill_only(),
                        _ => {}
                    }
                }
                AgentMessage::Link(fact) => {
                    // The agent's first message per port is the snapshot it takes right
                    // after starting the timeline: it stands for the state at time 0.
                    let first = !obs.links.iter().any(|(_, f)| f.ifname == fact.ifname);
                    let t = if first && origin.is_some() {
                        rel(fact.t, origin).min(0)
                    } else {
                        rel(fact.t, origin)
                    };
                    if fact.carrier && report.boot_to_link.is_none() {
                        report.boot_to_link = Some(qemu_started.elapsed());
                    }
                    obs.reached_ns = obs.reached_ns.max(t);
                    obs.links.push((t, fact));
                }
                AgentMessage::Kmsg { msg, ts_us, .. } => {
                    writeln!(
                        dmesg,
                        "[{:5}.{:06}] {msg}",
                        ts_us / 1_000_000,
                        ts_us % 1_000_000
                    )?;
                    obs.kernel_log.push(msg);
                }
                AgentMessage::Error {
                    message,
                    fatal: true,
                    ..
                } => {
                    return Err(anyhow!("the guest agent failed: {message}"));
                }
                AgentMessage::Error { message, .. } => {
                    tracing::warn!("guest agent: {message}");
                }
                AgentMessage::Teardown(report) => obs.teardown = Some(report),
                AgentMessage::Bench(b) => bench_result = Some(b),
                AgentMessage::CableTest(report) => {
                    let t = rel(report.t, origin);
                    obs.reached_ns = obs.reached_ns.max(t);
                    obs.cable_tests.push((t, report));
                }
                AgentMessage::ActionDone(report) => {
                    let t = rel(report.t, origin);
                    obs.reached_ns = obs.reached_ns.max(t);
                    obs.actions_done.push((t, report));
                }
                AgentMessage::End { t } => {
                    obs.reached_ns = obs.reached_ns.max(rel(t, origin));
                    if origin.is_none() {
                        return Err(anyhow!("the guest ended before the timeline started"));
                    }
                    return Ok(());
                }
            }
        }
    })();

    // The agent powers the guest off after `end`; QEMU then exits and the server sees the
    // connection close. Anything still running after a bounded wait is killed.
    let grace = if result.is_ok() {
        Duration::from_secs(30)
    } else {
        Duration::ZERO
    };
    let qemu_status = qemu.finish(grace);
    sim.finish(Duration::from_secs(10));
    if let Err(e) = &result {
        let mut reason = format!("{e:#}");
        if let Some(status) = qemu_status {
            if !status.success() && !reason.contains("QEMU") {
                reason.push_str(&format!(" (QEMU {status})"));
            }
        }
        if !obs.links.is_empty() {
            reason.push_str(&format!(
                "; the agent's last report was at {:.3}s of scenario time",
                obs.reached_ns as f64 / 1e9
            ));
        }
        let pending = unanswered_actions(scenario, &obs);
        if !pending.is_empty() {
            reason.push_str(&format!("; never answered: {}", pending.join(", ")));
        }
        if let Some(tail) = console_tail(run_dir) {
            reason.push_str(&format!("; serial console ends with: {tail}"));
        }
        obs.aborted = Some(reason);
    }
    obs.kernel_log.extend(console_lines(run_dir));
    report.observations = obs;
    report.bench = bench_result;
    report.wall = started.elapsed();
    Ok(report)
}

/// A process ending takes the others down with it (QEMU exits when its device server goes;
/// the server ends cleanly when QEMU disconnects), so the culprit is the one that did not end
/// successfully. Waits briefly for the dust to settle; the agent's channel closing on its own
/// is reported as such.
fn who_died(children: &mut [&mut Guarded]) -> anyhow::Error {
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut seen: Vec<(&'static str, std::process::ExitStatus)> = Vec::new();
    while Instant::now() < deadline {
        for c in children.iter_mut() {
            if let Some(status) = c.exited() {
                if !seen.iter().any(|(n, _)| *n == c.name) {
                    seen.push((c.name, status));
                }
            }
        }
        if let Some((name, status)) = seen.iter().find(|(_, st)| !st.success()) {
            return anyhow!("{name} exited unexpectedly ({status})");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    match seen.first() {
        Some((name, status)) => anyhow!("{name} exited unexpectedly ({status})"),
        None => anyhow!("the guest agent closed its channel"),
    }
}

/// The guest actions the agent took on but never reported back, like `cable-test on eth0
/// at 1s`: what a hung guest was doing.
fn unanswered_actions(scenario: &Scenario, obs: &Observations) -> Vec<String> {
    // What came back, as (kind, port): a report answers the earliest unanswered action of
    // its kind on its port.
    let mut answered: Vec<(&str, &str)> = obs
        .cable_tests
        .iter()
        .map(|(_, r)| {
            let kind = match r.mode {
                CableTestMode::Fault => "cable-test",
                CableTestMode::Tdr => "cable-test (TDR)",
            };
            (kind, r.ifname.as_str())
        })
        .chain(obs.actions_done.iter().map(|(_, r)| {
            let kind = match r.action {
                SettingAction::LinkSettings => "link-settings",
                SettingAction::Eee => "eee-settings",
            };
            (kind, r.ifname.as_str())
        }))
        .collect();
    let reached = obs.reached_ns;
    scenario
        .timeline
        .iter()
        .filter(|e| (e.at.as_nanos() as i128) <= reached)
        .filter_map(|e| {
            let (word, port) = match &e.action {
                Action::CableTest { port, tdr: None } => ("cable-test", port),
                Action::CableTest { port, tdr: Some(_) } => ("cable-test (TDR)", port),
                Action::LinkSettings { port, .. } => ("link-settings", port),
                Action::EeeSettings { port, .. } => ("eee-settings", port),
                Action::Cable { .. } | Action::Partner { .. } => return None,
            };
            match answered.iter().position(|a| *a == (word, port.as_str())) {
                Some(i) => {
                    answered.remove(i);
                    None
                }
                None => Some(format!(
                    "{word} on {port} at {}",
                    phy_sim_scenario::fmt_duration(e.at)
                )),
            }
        })
        .collect()
}

/// The timeline's guest actions, for the agent to run.
fn guest_actions(scenario: &Scenario) -> Vec<PlannedAction> {
    let cm = |m: Option<f64>| m.map(|m| (m * 100.0).round() as u32);
    scenario
        .timeline
        .iter()
        .filter_map(|e| {
            let action = match &e.action {
                Action::Cable { .. } | Action::Partner { .. } => return None,
                Action::CableTest { port, tdr: None } => GuestAction::CableTest {
                    ifname: port.clone(),
                },
                Action::CableTest { port, tdr: Some(r) } => GuestAction::CableTestTdr {
                    ifname: port.clone(),
                    first_cm: cm(r.first_m),
                    last_cm: cm(r.last_m),
                    step_cm: cm(r.step_m),
                    pair: r.pair.clone(),
                },
                Action::LinkSettings {
                    port,
                    autoneg,
                    speed,
                    duplex,
                    advertise,
                    master_slave,
                } => GuestAction::LinkSettings {
                    ifname: port.clone(),
                    settings: LinkSettings {
                        autoneg: *autoneg,
                        speed: *speed,
                        duplex: duplex.map(|d| match d {
                            phy_sim_scenario::Duplex::Half => Duplex::Half,
                            phy_sim_scenario::Duplex::Full => Duplex::Full,
                        }),
                        advertise: advertise.clone(),
                        master_slave: master_slave.map(|m| match m {
                            MasterSlave::PreferredMaster => MasterSlaveCfg::PreferredMaster,
                            MasterSlave::PreferredSlave => MasterSlaveCfg::PreferredSlave,
                            MasterSlave::ForcedMaster => MasterSlaveCfg::ForcedMaster,
                            MasterSlave::ForcedSlave => MasterSlaveCfg::ForcedSlave,
                        }),
                    },
                },
                Action::EeeSettings { port, enabled } => GuestAction::Eee {
                    ifname: port.clone(),
                    enabled: *enabled,
                },
            };
            Some(PlannedAction {
                at_ns: e.at.as_nanos() as u64,
                action,
            })
        })
        .collect()
}

fn rel(t: u64, origin: Option<u64>) -> i128 {
    i128::from(t) - i128::from(origin.unwrap_or(t))
}

/// The serial console's lines without terminal control sequences (the firmware clears the
/// screen before the kernel starts).
fn console_lines(run_dir: &Path) -> Vec<String> {
    let Ok(bytes) = std::fs::read(run_dir.join("console.log")) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut clean = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => {
                if chars.peek() == Some(&'[') {
                    chars.next();
                    while let Some(&n) = chars.peek() {
                        chars.next();
                        if n.is_ascii_alphabetic() {
                            break;
                        }
                    }
                } else {
                    chars.next();
                }
            }
            '\n' | '\t' => clean.push(c),
            c if c.is_control() => {}
            c => clean.push(c),
        }
    }
    clean.lines().map(str::to_string).collect()
}

fn console_tail(run_dir: &Path) -> Option<String> {
    let lines = console_lines(run_dir);
    let tail: Vec<&str> = lines
        .iter()
        .rev()
        .filter(|l| !l.trim().is_empty())
        .take(3)
        .map(String::as_str)
        .collect();
    (!tail.is_empty()).then(|| tail.into_iter().rev().collect::<Vec<_>>().join(" | "))
}

fn spawn_sim(scenario: &Scenario, socket: &Path, run_dir: &Path) -> Result<Guarded> {
    let exe = std::env::current_exe().context("locating the phy-sim binary")?;
    let mut cmd = Command::new(exe);
    cmd.arg("serve")
        .arg(&scenario.path)
        .arg("--socket")
        .arg(socket)
        .arg("--trace-dir")
        .arg(run_dir)
        .arg("--quiet")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(run_dir.join("sim.log"))?);
    Guarded::spawn("the device server", cmd).context("starting the device server")
}

fn wait_for_socket(path: &Path, sim: &mut Guarded, timeout: Duration) -> Result<()> {
    let deadline = Instant::now() + timeout;
    while !path.exists() {
        if let Some(status) = sim.exited() {
            return Err(anyhow!(
                "the device server exited before listening ({status}); see sim.log"
            ));
        }
        if Instant::now() > deadline {
            return Err(anyhow!(
                "the device server did not listen on {} within {timeout:?}",
                path.display()
            ));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    Ok(())
}

fn spawn_qemu(
    m: &Machine,
    dev_sock: &Path,
    agent_sock: &Path,
    run_dir: &Path,
    sock_dir: &Path,
) -> Result<Guarded> {
    let kernel_dir = m.kernel.bzimage.parent().unwrap_or(Path::new("/"));
    let initrd_dir = m.initramfs.parent().unwrap_or(Path::new("/"));
    let mut cmd = m.qemu.command(&[sock_dir, run_dir, kernel_dir, initrd_dir]);
    cmd.args(qemu_args(m, dev_sock, agent_sock, run_dir));
    cmd.stdin(Stdio::null())
        .stdout(std::fs::File::create(run_dir.join("qemu.log"))?)
        .stderr(std::fs::File::create(run_dir.join("qemu.stderr.log"))?);
    Guarded::spawn("QEMU", cmd).context("starting QEMU")
}

pub fn qemu_args(m: &Machine, dev_sock: &Path, agent_sock: &Path, run_dir: &Path) -> Vec<String> {
    let mut a: Vec<String> = Vec::new();
    let mut push = |s: &str| a.push(s.to_string());
    match m.accel {
        Accel::Kvm => {
            push("-accel");
            push("kvm");
            push("-cpu");
            push("host");
        }
        Accel::Tcg => {
            push("-accel");
            push("tcg");
            push("-cpu");
            push("max");
            if m.icount {
                push("-icount");
                push("shift=auto,sleep=off");
            }
        }
    }
    for s in [
        "-smp",
        "1",
        "-m",
        "512M",
        "-object",
        "memory-backend-memfd,id=mem,size=512M,share=on",
        "-machine",
        "q35,memory-backend=mem",
        "-nographic",
        "-no-reboot",
        "-nodefaults",
        "-display",
        "none",
    ] {
        push(s);
    }
    a.push("-serial".into());
    a.push(format!("file:{}", run_dir.join("console.log").display()));
    a.push("-kernel".into());
    a.push(m.kernel.bzimage.display().to_string());
    a.push("-initrd".into());
    a.push(m.initramfs.display().to_string());
    a.push("-append".into());
    let mut cmdline = "console=ttyS0 panic=-1 quiet".to_string();
    if !m.kernel_args.is_empty() {
        cmdline.push(' ');
        cmdline.push_str(&m.kernel_args);
    }
    a.push(cmdline);
    a.push("-device".into());
    a.push("virtio-serial-pci,id=vser0".into());
    a.push("-chardev".into());
    a.push(format!(
        "socket,id=agent,path={},server=off",
        agent_sock.display()
    ));
    a.push("-device".into());
    a.push("virtserialport,bus=vser0.0,chardev=agent,name=org.phy-sim.agent".into());
    a.push("-device".into());
    a.push(device_json(dev_sock, Some("0x3")));
    a
}

/// The `-device` argument that attaches QEMU to a phy-sim server.
pub fn device_json(socket: &Path, addr: Option<&str>) -> String {
    let mut v = serde_json::json!({
        "driver": "vfio-user-pci",
        "socket": {"type": "unix", "path": socket.display().to_string()},
    });
    if let Some(addr) = addr {
        v["addr"] = addr.into();
    }
    v.to_string()
}

fn accept_agent(
    listener: &UnixListener,
    timeout: Duration,
    children: &mut [&mut Guarded],
    interrupted: &Arc<AtomicBool>,
) -> Result<UnixStream> {
    let deadline = Instant::now() + timeout;
    loop {
        match listener.accept() {
            Ok((s, _)) => {
                s.set_nonblocking(false)?;
                return Ok(s);
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e).context("accepting the guest agent"),
        }
        for c in children.iter_mut() {
            if let Some(status) = c.exited() {
                return Err(anyhow!("{} exited during boot ({status})", c.name));
            }
        }
        if interrupted.load(Ordering::Relaxed) {
            return Err(anyhow!("interrupted"));
        }
        if Instant::now() > deadline {
            return Err(anyhow!(
                "QEMU did not connect the agent channel within {timeout:?}"
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{ActionDoneReport, CableTestReport};

    #[test]
    fn unanswered_actions_are_matched_by_kind_and_port() {
        let text = "\
version: 0
duration: 10s
board:
  mdio:
    - name: mdio0
      phys:
        - {name: phy0, model: marvell-88e1510, address: 1}
  ports:
    - {name: eth0, phy: phy0}
timeline:
  - {at: 1s, cable-test: {port: eth0}}
  - {at: 2s, eee-settings: {port: eth0, enabled: false}}
  - {at: 3s, link-settings: {port: eth0, autoneg: false, speed: 100, duplex: full}}
  - {at: 4s, cable-test: {port: eth0, tdr: true}}
  - {at: 9s, cable-test: {port: eth0}}
expect:
  - dmesg: clean
";
        let scenario =
            phy_sim_scenario::parse(text, Path::new("x.yaml"), &crate::model_specs()).unwrap();
        let obs = Observations {
            cable_tests: vec![(
                1_500_000_000,
                CableTestReport {
                    t: 0,
                    ifname: "eth0".into(),
                    mode: CableTestMode::Fault,
                    requested_t: 0,
                    started_t: None,
                    error: None,
                    pairs: Vec::new(),
                    pulse_mv: None,
                    step: None,
                    amplitudes: Vec::new(),
                },
            )],
            actions_done: vec![(
                2_100_000_000,
                ActionDoneReport {
                    t: 0,
                    action: SettingAction::Eee,
                    ifname: "eth0".into(),
                    requested_t: 0,
                    error: None,
                },
            )],
            reached_ns: 5_000_000_000,
            ..Default::default()
        };
        // The 9 s test had not come yet; the link settings and the TDR test got no answer.
        assert_eq!(
            unanswered_actions(&scenario, &obs),
            [
                "link-settings on eth0 at 3s",
                "cable-test (TDR) on eth0 at 4s"
            ]
        );
    }
}
