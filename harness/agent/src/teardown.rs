//! The plan's optional `teardown` (PROTOCOL.md): after the scenario, unbind the board driver,
//! bind it again, unbind it and unload its module, each bounded, then ask kmemleak what the
//! round leaked. Runs on a worker thread; the event loop keeps forwarding link changes and
//! kernel log records meanwhile.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use phy_sim_protocol::TeardownStep;

use crate::netlink::{NlSocket, Reply, NETLINK_ROUTE};
use crate::rtnl;
use crate::sys::{self, monotonic_ns};

pub const DEBUGFS: &str = "/sys/kernel/debug";
pub const KMEMLEAK: &str = "/sys/kernel/debug/kmemleak";
/// `DEBUGFS_MAGIC` of include/uapi/linux/magic.h.
const DEBUGFS_MAGIC: i64 = 0x6462_6720;
const DEFAULT_MODULE: &str = "phy_sim";

pub const STEP_BASELINE: &str = "kmemleak_baseline";
pub const STEP_UNBIND: &str = "unbind";
pub const STEP_BIND: &str = "bind";
pub const STEP_UNBIND_AGAIN: &str = "unbind_again";
pub const STEP_RMMOD: &str = "rmmod";
pub const STEP_KMEMLEAK: &str = "kmemleak";

/// A kmemleak report longer than this is cut (the message is one line on a serial port).
const KMEMLEAK_MAX: usize = 256 * 1024;
const POLL: Duration = Duration::from_millis(20);

#[derive(Debug, Clone)]
pub struct Config {
    /// `/sys/bus/pci/drivers/phy-sim`
    pub driver_dir: PathBuf,
    /// `None` when the agent runs with `--no-device`.
    pub bdf: Option<String>,
    pub ports: Vec<String>,
    pub unbind_timeout: Duration,
    pub bind_timeout: Duration,
    pub rmmod_timeout: Duration,
    /// kmemleak does not report objects younger than 5 s.
    pub settle: Duration,
}

impl Config {
    pub fn new(driver_dir: &str, bdf: Option<String>, ports: Vec<String>) -> Self {
        Config {
            driver_dir: PathBuf::from(driver_dir),
            bdf,
            ports,
            unbind_timeout: Duration::from_secs(10),
            bind_timeout: Duration::from_secs(20),
            rmmod_timeout: Duration::from_secs(5),
            settle: Duration::from_secs(6),
        }
    }
}

/// What the worker has done so far, so that a teardown stuck in the kernel can still be
/// reported.
#[derive(Debug, Default)]
pub struct Progress {
    pub steps: Vec<TeardownStep>,
    pub current: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub steps: Vec<TeardownStep>,
    pub kmemleak: String,
}

impl Report {
    /// Every step passed and kmemleak found nothing.
    pub fn ok(&self) -> bool {
        self.steps.iter().all(|s| s.ok) && self.kmemleak.trim().is_empty()
    }

    /// The report of a teardown that did not finish in time: the steps done, then the one
    /// still running.
    pub fn unfinished(progress: &Mutex<Progress>, limit: Duration) -> Report {
        let p = progress.lock().unwrap_or_else(|e| e.into_inner());
        let mut steps = p.steps.clone();
        steps.push(TeardownStep {
            step: p.current.unwrap_or("teardown").into(),
            ok: false,
            detail: format!(
                "did not finish within the teardown's limit of {} s (blocked in the kernel? \
                 see the kernel log)",
                limit.as_secs()
            ),
        });
        Report {
            steps,
            kmemleak: String::new(),
        }
    }
}

fn step(name: &'static str, r: Result<String, String>) -> TeardownStep {
    match r {
        Ok(detail) => TeardownStep {
            step: name.into(),
            ok: true,
            detail,
        },
        Err(detail) => TeardownStep {
            step: name.into(),
            ok: false,
            detail,
        },
    }
}

struct Runner<'a> {
    cfg: &'a Config,
    progress: &'a Mutex<Progress>,
    rtnl: Option<NlSocket>,
}

impl Runner<'_> {
    fn run(
        &mut self,
        name: &'static str,
        f: impl FnOnce(&mut Self) -> Result<String, String>,
    ) -> bool {
        self.progress
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .current = Some(name);
        let s = step(name, f(self));
        let ok = s.ok;
        let mut p = self.progress.lock().unwrap_or_else(|e| e.into_inner());
        p.steps.push(s);
        p.current = None;
        ok
    }

    fn skip(&mut self, name: &'static str, why: &str) {
        let mut p = self.progress.lock().unwrap_or_else(|e| e.into_inner());
        p.steps.push(TeardownStep {
            step: name.into(),
            ok: false,
            detail: format!("skipped: {why}"),
        });
    }

    fn bdf(&self) -> Result<&str, String> {
        self.cfg
            .bdf
            .as_deref()
            .ok_or_else(|| "no phy-sim PCI device (the agent runs with --no-device)".to_string())
    }

    fn bound(&self, bdf: &str) -> bool {
        self.cfg.driver_dir.join(bdf).exists()
    }

    /// Whether a network interface of this name exists (RTM_GETLINK).
    fn exists(&mut self, ifname: &str) -> Result<bool, String> {
        if self.rtnl.is_none() {
            let s = NlSocket::request(NETLINK_ROUTE, Duration::from_secs(5))
                .map_err(|e| format!("rtnetlink socket: {e}"))?;
            self.rtnl = Some(s);
        }
        let sock = self.rtnl.as_mut().expect("just set");
        let seq = sock.next_seq();
        let what = format!("RTM_GETLINK {ifname}");
        match sock
            .transact(seq, &rtnl::getlink_by_name(seq, ifname), &what)
            .map_err(|e| e.to_string())?
        {
            Reply::Data { .. } => Ok(true),
            Reply::Errno { errno, .. } if errno == libc::ENODEV => Ok(false),
            other => other
                .into_data(&what)
                .map(|_| true)
                .map_err(|e| e.to_string()),
        }
    }

    /// Waits (bounded) until every planned port exists (`present`) or none does; returns
    /// the time it took.
    fn wait_ports(&mut self, present: bool, timeout: Duration) -> Result<Duration, String> {
        let start = monotonic_ns();
        let deadline = start.saturating_add(timeout.as_nanos() as u64);
        loop {
            let mut wrong = Vec::new();
            for p in self.cfg.ports.clone() {
                if self.exists(&p)? != present {
                    wrong.push(p);
                }
            }
            if wrong.is_empty() {
                return Ok(Duration::from_nanos(monotonic_ns() - start));
            }
            if monotonic_ns() >= deadline {
                return Err(format!(
                    "after {} s {} {}",
                    timeout.as_secs(),
                    if wrong.len() == 1 {
                        "this port is"
                    } else {
                        "these ports are"
                    },
                    if present {
                        format!("still missing: {}", wrong.join(", "))
                    } else {
                        format!("still there: {}", wrong.join(", "))
                    }
                ));
            }
            std::thread::sleep(POLL);
        }
    }

    fn ports(&self) -> String {
        if self.cfg.ports.is_empty() {
            "no planned ports".into()
        } else {
            self.cfg.ports.join(", ")
        }
    }

    fn unbind(&mut self) -> Result<String, String> {
        let bdf = self.bdf()?.to_string();
        if !self.bound(&bdf) {
            return Err(format!("{bdf} is not bound to phy-sim"));
        }
        let t0 = monotonic_ns();
        write_attr(&self.cfg.driver_dir.join("unbind"), &bdf)?;
        let write_ms = ms(monotonic_ns() - t0);
        let waited = self.wait_ports(false, self.cfg.unbind_timeout)?;
        if self.bound(&bdf) {
            return Err(format!("{bdf} is still bound after the write to unbind"));
        }
        Ok(format!(
            "{bdf} unbound (the write took {write_ms} ms); {} gone {} ms later",
            self.ports(),
            waited.as_millis()
        ))
    }

    fn bind(&mut self) -> Result<String, String> {
        let bdf = self.bdf()?.to_string();
        let t0 = monotonic_ns();
        write_attr(&self.cfg.driver_dir.join("bind"), &bdf)?;
        let write_ms = ms(monotonic_ns() - t0);
        if !self.bound(&bdf) {
            return Err(format!("{bdf} is not bound after the write to bind"));
        }
        let waited = self.wait_ports(true, self.cfg.bind_timeout)?;
        Ok(format!(
            "{bdf} bound (the write took {write_ms} ms); {} back {} ms later",
            self.ports(),
            waited.as_millis()
        ))
    }

    fn rmmod(&mut self, module: &str) -> Result<String, String> {
        let sysfs = Path::new("/sys/module").join(module);
        if let Err(e) = sys::delete_module(module, libc::O_NONBLOCK) {
            let why = match e.raw_os_error() {
                Some(libc::EWOULDBLOCK) => {
                    let refcnt = fs::read_to_string(sysfs.join("refcnt"))
                        .map(|s| s.trim().to_string())
                        .unwrap_or_else(|_| "?".into());
                    let holders: Vec<String> = fs::read_dir(sysfs.join("holders"))
                        .map(|d| {
                            d.flatten()
                                .map(|e| e.file_name().to_string_lossy().into_owned())
                                .collect()
                        })
                        .unwrap_or_default();
                    format!(
                        ": the module is in use (refcnt {refcnt}, holders: {})",
                        if holders.is_empty() {
                            "none".into()
                        } else {
                            holders.join(", ")
                        }
                    )
                }
                Some(libc::ENOENT) => ": no such module loaded (built in?)".into(),
                _ => String::new(),
            };
            return Err(format!("delete_module({module:?}, O_NONBLOCK): {e}{why}"));
        }
        let start = monotonic_ns();
        let deadline = start.saturating_add(self.cfg.rmmod_timeout.as_nanos() as u64);
        while sysfs.exists() {
            if monotonic_ns() >= deadline {
                return Err(format!(
                    "delete_module({module:?}) succeeded but {} still exists after {} s",
                    sysfs.display(),
                    self.cfg.rmmod_timeout.as_secs()
                ));
            }
            std::thread::sleep(POLL);
        }
        Ok(format!(
            "module {module} unloaded; {} is gone",
            sysfs.display()
        ))
    }
}

fn ms(ns: u64) -> u64 {
    ns / 1_000_000
}

/// Writes `value` to a sysfs attribute (no O_CREAT/O_TRUNC).
fn write_attr(path: &Path, value: &str) -> Result<(), String> {
    OpenOptions::new()
        .write(true)
        .open(path)
        .and_then(|mut f| f.write_all(value.as_bytes()))
        .map_err(|e| format!("write {value:?} to {}: {e}", path.display()))
}

/// Makes sure `/sys/kernel/debug/kmemleak` is reachable: mounts debugfs when nothing is
/// mounted on `/sys/kernel/debug`.
fn kmemleak_available() -> Result<(), String> {
    if Path::new(KMEMLEAK).exists() {
        return Ok(());
    }
    let mounted = sys::fs_type(DEBUGFS).is_ok_and(|t| t == DEBUGFS_MAGIC);
    if !mounted {
        sys::mount("debugfs", DEBUGFS, "debugfs").map_err(|e| {
            format!("debugfs is not mounted and mounting it on {DEBUGFS} failed: {e}")
        })?;
    }
    if Path::new(KMEMLEAK).exists() {
        Ok(())
    } else {
        Err(format!(
            "{KMEMLEAK} does not exist: the kernel needs CONFIG_DEBUG_KMEMLEAK=y (and no \
             kmemleak=off on its command line)"
        ))
    }
}

fn kmemleak_cmd(cmd: &str) -> Result<(), String> {
    write_attr(Path::new(KMEMLEAK), cmd).map_err(|e| {
        format!("{e} (kmemleak disables itself after an internal error: see the kernel log)")
    })
}

/// The number of leak records in a kmemleak report (each starts with
/// `unreferenced object 0x...`).
pub fn count_leaks(report: &str) -> usize {
    report
        .lines()
        .filter(|l| l.starts_with("unreferenced object "))
        .count()
}

/// Cuts an over-long report at a line boundary, saying so.
pub fn cap_report(mut report: String, max: usize) -> String {
    if report.len() <= max {
        return report;
    }
    let total = report.len();
    let mut cut = max;
    while !report.is_char_boundary(cut) {
        cut -= 1;
    }
    if let Some(nl) = report[..cut].rfind('\n') {
        cut = nl + 1;
    }
    report.truncate(cut);
    report.push_str(&format!(
        "[phy-sim-agent: report cut at {cut} of {total} bytes]\n"
    ));
    report
}

/// The whole teardown; [`Progress`] is updated as it goes.
pub fn run(cfg: &Config, progress: &Arc<Mutex<Progress>>) -> Report {
    let mut r = Runner {
        cfg,
        progress,
        rtnl: None,
    };
    // The module's name, read while the driver is registered.
    let module = fs::read_link(cfg.driver_dir.join("module"))
        .ok()
        .and_then(|l| l.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| DEFAULT_MODULE.to_string());

    let baseline_ok = r.run(STEP_BASELINE, |_| {
        kmemleak_available()?;
        let t0 = monotonic_ns();
        kmemleak_cmd("scan")?;
        let scan_ms = ms(monotonic_ns() - t0);
        kmemleak_cmd("clear")?;
        Ok(format!(
            "scan ({scan_ms} ms) and clear written to {KMEMLEAK}"
        ))
    });

    let unbind_ok = r.run(STEP_UNBIND, Runner::unbind);
    if unbind_ok {
        r.run(STEP_BIND, Runner::bind);
    } else {
        r.skip(STEP_BIND, "unbind failed");
    }
    let mut unloadable = false;
    if !unbind_ok {
        r.skip(STEP_UNBIND_AGAIN, "unbind failed");
    } else if cfg.bdf.as_deref().is_some_and(|b| r.bound(b)) {
        unloadable = r.run(STEP_UNBIND_AGAIN, Runner::unbind);
    } else {
        // bind failed: the device is unbound already, the module can still go.
        r.skip(STEP_UNBIND_AGAIN, "the device is not bound (bind failed)");
        unloadable = true;
    }
    if unloadable {
        r.run(STEP_RMMOD, |r| r.rmmod(&module));
    } else {
        r.skip(STEP_RMMOD, "the device could not be unbound");
    }

    let mut kmemleak = String::new();
    r.run(STEP_KMEMLEAK, |_| {
        kmemleak_available()?;
        std::thread::sleep(cfg.settle);
        kmemleak_cmd("scan")?;
        kmemleak_cmd("scan")?;
        let bytes = fs::read(KMEMLEAK).map_err(|e| format!("read {KMEMLEAK}: {e}"))?;
        kmemleak = cap_report(String::from_utf8_lossy(&bytes).into_owned(), KMEMLEAK_MAX);
        let n = count_leaks(&kmemleak);
        let mut detail = match n {
            0 if kmemleak.trim().is_empty() => "no leaks reported".to_string(),
            0 => "a report without leak records".to_string(),
            1 => "1 unreferenced object".to_string(),
            n => format!("{n} unreferenced objects"),
        };
        if !baseline_ok {
            detail.push_str(" (no baseline: may include objects leaked before the teardown)");
        }
        Ok(detail)
    });

    let p = progress.lock().unwrap_or_else(|e| e.into_inner());
    Report {
        steps: p.steps.clone(),
        kmemleak,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "\
unreferenced object 0xffff888003a4c000 (size 64):
  comm \"phy-sim-agent\", pid 1, jiffies 4294894567
  hex dump (first 32 bytes):
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................
  backtrace (crc 9d5e8c2a):
    __kmalloc_cache_noprof+0x2a4/0x3a0
    phy_sim_probe+0x5c/0x4e0 [phy_sim]
unreferenced object 0xffff888003a4c040 (size 64):
  comm \"phy-sim-agent\", pid 1, jiffies 4294894567
  backtrace (crc 0):
    kmemleak_alloc+0x4a/0x80
";

    #[test]
    fn leak_count() {
        assert_eq!(count_leaks(""), 0);
        assert_eq!(count_leaks(REPORT), 2);
        assert_eq!(count_leaks("  unreferenced object 0x1 (size 8):\n"), 0);
    }

    #[test]
    fn capping() {
        assert_eq!(cap_report(REPORT.to_string(), 10_000), REPORT);
        let c = cap_report(REPORT.to_string(), 60);
        assert!(c.starts_with("unreferenced object 0xffff888003a4c000 (size 64):\n"));
        let first = REPORT.find('\n').unwrap() + 1;
        assert!(c.ends_with(&format!(
            "report cut at {first} of {} bytes]\n",
            REPORT.len()
        )));
        // A cut inside a multi-byte character stays on a boundary.
        let s = "é".repeat(10);
        let c = cap_report(s, 5);
        assert!(c.starts_with("éé["), "{c}");
    }

    #[test]
    fn report_ok() {
        let ok = |s: bool| TeardownStep {
            step: STEP_UNBIND.into(),
            ok: s,
            detail: String::new(),
        };
        let r = Report {
            steps: vec![ok(true), ok(true)],
            kmemleak: "\n".into(),
        };
        assert!(r.ok());
        let r = Report {
            steps: vec![ok(true), ok(false)],
            kmemleak: String::new(),
        };
        assert!(!r.ok());
        let r = Report {
            steps: vec![ok(true)],
            kmemleak: REPORT.into(),
        };
        assert!(!r.ok());
    }

    #[test]
    fn unfinished_report() {
        let p = Mutex::new(Progress::default());
        p.lock().unwrap().steps.push(TeardownStep {
            step: STEP_BASELINE.into(),
            ok: true,
            detail: String::new(),
        });
        p.lock().unwrap().current = Some(STEP_UNBIND);
        let r = Report::unfinished(&p, Duration::from_secs(90));
        assert_eq!(r.steps.len(), 2);
        assert_eq!(r.steps[1].step, STEP_UNBIND);
        assert!(!r.steps[1].ok);
        assert!(!r.ok());
    }

    #[test]
    fn no_device() {
        // Without a device every device step fails or is skipped; nothing is touched.
        let mut cfg = Config::new("/nonexistent/phy-sim", None, vec!["eth0".into()]);
        cfg.settle = Duration::ZERO;
        let p = Arc::new(Mutex::new(Progress::default()));
        let mut r = Runner {
            cfg: &cfg,
            progress: &p,
            rtnl: None,
        };
        assert!(!r.run(STEP_UNBIND, Runner::unbind));
        let s = &p.lock().unwrap().steps[0];
        assert!(s.detail.contains("--no-device"), "{}", s.detail);
    }
}
