//! Which accelerator QEMU can use: KVM when a short probe boot reaches the kernel, else TCG.

use std::fs;
use std::path::Path;
use std::time::Duration;

use crate::cache::{self, Key};
use crate::error::{Error, IoContext};
use crate::kernel::Kernel;
use crate::qemu::Qemu;
use crate::Provisioner;

const ACCEL_RECIPE: &str = "accel-probe-v1";
const PROBE_TIMEOUT: Duration = Duration::from_secs(20);

/// The accelerator QEMU runs the guest with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Accel {
    Kvm,
    Tcg,
}

impl Accel {
    /// The value of QEMU's `-accel`.
    pub fn qemu_name(self) -> &'static str {
        match self {
            Accel::Kvm => "kvm",
            Accel::Tcg => "tcg",
        }
    }

    /// The `-cpu` model that goes with it.
    pub fn cpu(self) -> &'static str {
        match self {
            Accel::Kvm => "host",
            Accel::Tcg => "max",
        }
    }
}

impl std::fmt::Display for Accel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.qemu_name())
    }
}

/// Whether a probe boot's serial output and exit mean "KVM reached the kernel".
pub(crate) fn probe_succeeded(exited_cleanly: bool, serial: &str) -> bool {
    exited_cleanly && serial.contains("Linux version") && !serial.contains("KVM internal error")
}

impl Provisioner {
    /// KVM if /dev/kvm exists and a short probe boot of `kernel` under KVM reaches the kernel
    /// and exits within 20 s; else TCG. The answer is cached per (QEMU, kernel, /dev/kvm).
    pub fn accelerator(&self, qemu: &Qemu, kernel: &Kernel) -> Result<Accel, Error> {
        if !Path::new("/dev/kvm").exists() {
            tracing::info!("no /dev/kvm: using TCG");
            return Ok(Accel::Tcg);
        }
        let key = Key::new(ACCEL_RECIPE)
            .str("qemu", &qemu.identity())
            .str("kernel", &kernel.identity()?)
            .str("kvm", &kvm_identity())
            .finish();
        let dir = self.cache_root().join("accel");
        fs::create_dir_all(&dir).ctx("cannot create accel folder", &dir)?;
        let file = dir.join(key.as_str());
        if let Some(a) = read_answer(&file) {
            tracing::info!("accelerator (cached): {a}");
            return Ok(a);
        }
        let _l = cache::lock(self.cache_root(), &format!("accel-{key}"), &self.runner)?;
        if let Some(a) = read_answer(&file) {
            return Ok(a);
        }
        let (accel, why) = self.probe_kvm(qemu, kernel)?;
        tracing::info!("accelerator: {accel} ({why})");
        cache::write_atomically(&file, format!("{accel}\n{why}\n").as_bytes())?;
        Ok(accel)
    }

    fn probe_kvm(&self, qemu: &Qemu, kernel: &Kernel) -> Result<(Accel, String), Error> {
        let pb = self.runner.spinner("probing KVM");
        let started = std::time::Instant::now();
        pb.set_message("short boot under KVM (20 s at most)");
        let dir = kernel.bzimage.parent().unwrap_or(Path::new("/"));
        let mut cmd = qemu.command(&[dir]);
        cmd.args([
            "-accel", "kvm", "-cpu", "host", "-machine", "q35", "-m", "256M", "-smp", "1",
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
        .arg(&kernel.bzimage)
        .args(["-append", "console=ttyS0 panic=-1"]);
        let result = self
            .runner
            .capture("KVM probe boot", &mut cmd, PROBE_TIMEOUT);
        self.runner.done(&pb, true, started);
        Ok(match result {
            Err(Error::Timeout { .. }) => (
                Accel::Tcg,
                format!("the KVM probe boot did not finish within {PROBE_TIMEOUT:?} (QEMU hangs after a KVM emulation failure on some hosts)"),
            ),
            Err(e) => return Err(e),
            Ok(c) => {
                let out = c.all();
                if probe_succeeded(c.status.success(), &out) {
                    (Accel::Kvm, "a probe boot under KVM reached the kernel".into())
                } else {
                    let last = out.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
                    (Accel::Tcg, format!("the KVM probe boot failed ({}; last output: {last})", c.status))
                }
            }
        })
    }
}

/// /dev/kvm's identity (device numbers): a host reboot with another KVM module re-probes.
fn kvm_identity() -> String {
    use std::os::unix::fs::MetadataExt;
    fs::metadata("/dev/kvm")
        .map(|m| format!("present {} {}", m.rdev(), m.ctime()))
        .unwrap_or_else(|_| "absent".into())
}

fn read_answer(file: &Path) -> Option<Accel> {
    match fs::read_to_string(file).ok()?.lines().next()? {
        "kvm" => Some(Accel::Kvm),
        "tcg" => Some(Accel::Tcg),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_verdicts() {
        let boot = "[    0.000000] Linux version 7.3.4 (root@x)\n...\nKernel panic - not syncing: VFS: Unable to mount root fs\n";
        assert!(probe_succeeded(true, boot));
        assert!(!probe_succeeded(false, boot));
        assert!(!probe_succeeded(true, "KVM internal error. Suberror: 1\n"));
        assert!(!probe_succeeded(true, ""));
    }

    #[test]
    fn cached_answers() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("a");
        fs::write(&f, "tcg\nwhy\n").unwrap();
        assert_eq!(read_answer(&f), Some(Accel::Tcg));
        fs::write(&f, "kvm\n").unwrap();
        assert_eq!(read_answer(&f), Some(Accel::Kvm));
        fs::write(&f, "x\n").unwrap();
        assert_eq!(read_answer(&f), None);
    }
}
