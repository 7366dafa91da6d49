//! phy-sim guest agent: see PROTOCOL.md next to this crate.
//!
//! Started by the initramfs' /init. Finds the virtio-serial port `org.phy-sim.agent`, says
//! hello, receives the plan, waits for the phy-sim device and the planned netdevs, brings
//! them up, starts the device timeline and streams link changes and kernel log records until
//! the scenario's end. Optionally (plan fields) it runs cable tests at given times, times MDIO
//! and MMIO accesses right after the start, and after the end unbinds, rebinds and unloads the
//! board driver and asks kmemleak for leaks. Then it powers the guest off.

mod actions;
mod agent;
mod bench;
mod cabletest;
mod error;
mod ethtool;
mod kmsg;
mod netlink;
mod port;
mod proto;
mod rtnl;
mod settings;
mod sys;
mod teardown;
mod worker;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use agent::{Agent, Options, Outcome};
use error::{Error, Result};
use kmsg::Kmsg;
use port::Port;

const USAGE: &str = "\
usage: phy-sim-agent [options]
  --no-poweroff          exit instead of powering off (only when not PID 1)
  --port PATH            use PATH instead of the virtio-serial port org.phy-sim.agent
  --port-timeout-ms N    wait at most N ms for the port and the host (default 30000)
  --plan-timeout-ms N    wait at most N ms for the plan (default 60000)
  --no-device            testing only: do not wait for the phy-sim PCI device and do not
                         start its timeline; origin_ns is the time setup finished
";

struct Args {
    no_poweroff: bool,
    port: Option<PathBuf>,
    port_timeout: Duration,
    plan_timeout: Duration,
    no_device: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        no_poweroff: false,
        port: None,
        port_timeout: Duration::from_secs(30),
        plan_timeout: Duration::from_secs(60),
        no_device: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        let ms = |v: String, name: &str| {
            v.parse::<u64>()
                .map(Duration::from_millis)
                .map_err(|_| format!("{name}: not a number of milliseconds: {v}"))
        };
        match arg.as_str() {
            "--no-poweroff" => a.no_poweroff = true,
            "--no-device" => a.no_device = true,
            "--port" => a.port = Some(PathBuf::from(value("--port")?)),
            "--port-timeout-ms" => a.port_timeout = ms(value(&arg)?, &arg)?,
            "--plan-timeout-ms" => a.plan_timeout = ms(value(&arg)?, &arg)?,
            "-h" | "--help" => return Err(String::new()),
            _ => return Err(format!("unknown argument {arg}")),
        }
    }
    Ok(a)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("phy-sim-agent: {e}");
            }
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let ok = run(&args);
    finish(&args, ok)
}

/// Everything between start-up and power-off; true when the run ended normally.
fn run(args: &Args) -> bool {
    let port = match open_port(args) {
        Ok(p) => p,
        Err(e) => {
            // Nobody to tell but the console.
            eprintln!("phy-sim-agent: fatal: {e}");
            return false;
        }
    };
    let mut agent = match Kmsg::open("/dev/kmsg").and_then(|k| {
        Agent::new(
            Options {
                no_device: args.no_device,
                plan_timeout_ns: args.plan_timeout.as_nanos().min(u128::from(u64::MAX)) as u64,
            },
            port,
            k,
        )
    }) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("phy-sim-agent: fatal: {e}");
            // Still try to tell the host.
            if let Ok(mut p) = open_port(args) {
                let msg = phy_sim_protocol::AgentMessage::Error {
                    t: sys::monotonic_ns(),
                    message: e.to_string(),
                    fatal: true,
                };
                if let Ok(line) = proto::line(&msg) {
                    let _ = p.send_line(&line);
                }
            }
            return false;
        }
    };
    let result = agent.send_hello().and_then(|()| agent.run());
    match result {
        Ok(outcome) => {
            if outcome == Outcome::PowerOffRequested {
                eprintln!("phy-sim-agent: power-off requested by the host");
            }
            match agent.send_end() {
                Ok(()) => true,
                Err(e) => {
                    eprintln!("phy-sim-agent: fatal: {e}");
                    false
                }
            }
        }
        Err(e) => {
            eprintln!("phy-sim-agent: fatal: {e}");
            agent.report_fatal(&e);
            false
        }
    }
}

fn open_port(args: &Args) -> Result<Port> {
    let path = match &args.port {
        Some(p) => p.clone(),
        None => port::wait_for_port(args.port_timeout)?,
    };
    let port = Port::open(&path)?;
    port.wait_host(args.port_timeout)?;
    Ok(port)
}

fn finish(args: &Args, ok: bool) -> ExitCode {
    let code = if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    };
    if args.no_poweroff && std::process::id() != 1 {
        return code;
    }
    let e: Error = Error::io("reboot(RB_POWER_OFF)", sys::power_off());
    eprintln!("phy-sim-agent: {e}");
    code
}
