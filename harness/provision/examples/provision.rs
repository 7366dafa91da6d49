//! Drives the provisioning steps by hand (for development; the phy-sim CLI is the real user).
//!
//! ```text
//! cargo run -p phy-sim-provision --example provision -- doctor
//! cargo run -p phy-sim-provision --example provision -- qemu
//! cargo run -p phy-sim-provision --example provision -- kernel debian|tree:DIR|image:BZIMAGE
//! cargo run -p phy-sim-provision --example provision -- all KERNEL MODULE_DIR (WORKSPACE|agent:FILE) [boot]
//! ```
//! `all` provisions everything; `boot` then boots kernel + initramfs under TCG (no board) and
//! prints the serial output, to check that /init works. Options: PHY_SIM_CACHE, RUST_LOG.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use phy_sim_provision::{doctor, KernelSource, Provisioner};

fn kernel_source(s: &str) -> KernelSource {
    if s == "debian" {
        KernelSource::Debian
    } else if let Some(d) = s.strip_prefix("tree:") {
        KernelSource::Tree(d.into())
    } else if let Some(p) = s.strip_prefix("image:") {
        KernelSource::Image(p.into())
    } else {
        eprintln!("kernel: debian | tree:DIR | image:BZIMAGE");
        std::process::exit(2)
    }
}

fn timed<T>(what: &str, f: impl FnOnce() -> Result<T, phy_sim_provision::Error>) -> T {
    let t = Instant::now();
    match f() {
        Ok(v) => {
            eprintln!("== {what}: {:.1}s", t.elapsed().as_secs_f64());
            v
        }
        Err(e) => {
            eprintln!(
                "== {what} failed after {:.1}s:\n{e}",
                t.elapsed().as_secs_f64()
            );
            std::process::exit(1)
        }
    }
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let p = Provisioner::new(None, false).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    match args.first().map(String::as_str) {
        Some("doctor") => print!("{}", doctor(&p)),
        Some("qemu") => {
            let q = timed("qemu", || p.qemu());
            println!("{q:?}");
        }
        Some("kernel") => {
            let k = timed("kernel", || {
                p.kernel(&kernel_source(
                    args.get(1).map(String::as_str).unwrap_or("debian"),
                ))
            });
            println!("{k:#?}");
        }
        Some("all") if args.len() >= 4 => {
            let q = timed("qemu", || p.qemu());
            println!("qemu: {}", q.describe());
            let k = timed("kernel", || p.kernel(&kernel_source(&args[1])));
            println!(
                "kernel: {} ({}) {}",
                k.bzimage.display(),
                k.release,
                k.description
            );
            let m = timed("module", || p.module(&k, Path::new(&args[2])));
            println!("module: {}", m.display());
            let a = match args[3].strip_prefix("agent:") {
                Some(f) => PathBuf::from(f),
                None => timed("agent", || p.agent(Path::new(&args[3]))),
            };
            println!("agent: {}", a.display());
            let i = timed("initramfs", || p.initramfs(&m, &a));
            println!("initramfs: {}", i.display());
            let acc = timed("accelerator", || p.accelerator(&q, &k));
            println!("accelerator: {acc}");
            if args.get(4).map(String::as_str) == Some("boot") {
                boot(&q, &k.bzimage, &i);
            }
        }
        _ => {
            eprintln!("usage: provision doctor | qemu | kernel SRC | all SRC MODULE_DIR WORKSPACE|agent:FILE [boot]");
            std::process::exit(2)
        }
    }
}

fn boot(q: &phy_sim_provision::Qemu, bzimage: &Path, initramfs: &Path) {
    let dirs = [bzimage.parent().unwrap(), initramfs.parent().unwrap()];
    let mut cmd = q.command(&dirs);
    cmd.args([
        "-accel", "tcg", "-cpu", "max", "-smp", "1", "-m", "512M", "-machine", "q35",
    ])
    .args([
        "-nographic",
        "-no-reboot",
        "-nodefaults",
        "-serial",
        "stdio",
        "-display",
        "none",
    ])
    .arg("-kernel")
    .arg(bzimage)
    .arg("-initrd")
    .arg(initramfs)
    .args(["-append", "console=ttyS0 panic=-1"])
    .stdin(std::process::Stdio::null());
    let t = Instant::now();
    let mut child = cmd.spawn().expect("spawn qemu");
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            eprintln!(
                "== boot: QEMU exited ({s}) after {:.1}s",
                t.elapsed().as_secs_f64()
            );
            return;
        }
        if t.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            eprintln!("== boot: killed after 60 s");
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
