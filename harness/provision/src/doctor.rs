//! `phy-sim doctor`: what is present, what is missing, what a run would use or build.
//! Builds nothing and downloads nothing.

use std::fmt;
use std::fs;
use std::path::Path;

use crate::apt::{self, BUSYBOX_NEEDS, DEBOOTSTRAP_NEEDS, DEB_UNPACK_NEEDS, KERNEL_BUILD_NEEDS};
use crate::qemu::{read_root_info, Probe};
use crate::util::{file_is_static_elf, is_root, which};
use crate::Provisioner;

/// How a doctor line reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoctorStatus {
    /// Present and usable.
    Ok,
    /// Missing or unusable: a run will fail on it.
    Missing,
    /// What a run will do (build, download, fall back).
    Will,
    /// Plain information.
    Info,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoctorLine {
    pub status: DoctorStatus,
    pub text: String,
}

/// The doctor's findings, one line each. `Display` prints them.
#[derive(Debug, Clone, Default)]
pub struct DoctorReport {
    pub lines: Vec<DoctorLine>,
}

impl DoctorReport {
    fn add(&mut self, status: DoctorStatus, text: impl Into<String>) {
        self.lines.push(DoctorLine {
            status,
            text: text.into(),
        });
    }

    /// Whether something a run needs is missing.
    pub fn has_problems(&self) -> bool {
        self.lines.iter().any(|l| l.status == DoctorStatus::Missing)
    }
}

impl fmt::Display for DoctorReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for l in &self.lines {
            let tag = match l.status {
                DoctorStatus::Ok => "ok     ",
                DoctorStatus::Missing => "MISSING",
                DoctorStatus::Will => "will   ",
                DoctorStatus::Info => "info   ",
            };
            writeln!(f, "[{tag}] {}", l.text)?;
        }
        Ok(())
    }
}

/// Checks the host without building anything; says what a run would do.
pub fn doctor(p: &Provisioner) -> DoctorReport {
    use DoctorStatus::*;
    let mut r = DoctorReport::default();
    let root = is_root();
    r.add(Info, format!("cache: {}", p.cache_root().display()));
    r.add(
        Info,
        format!("running as {}", if root { "root" } else { "a normal user" }),
    );
    let mirror = apt::host_mirror();
    r.add(
        Info,
        format!("Debian mirror (from the host's apt sources): {mirror}"),
    );

    // QEMU
    let mut qemu_ok = false;
    let explicit = std::env::var_os("PHY_SIM_QEMU");
    let candidate = explicit
        .as_ref()
        .map(Into::into)
        .or_else(|| which("qemu-system-x86_64"));
    match candidate.as_deref().map(|b| (b, p.probe_qemu(b))) {
        Some((_, Result::Ok(Probe::Usable(q)))) => {
            r.add(
                Ok,
                format!("QEMU: {} has vfio-user-pci: will use it", q.describe()),
            );
            qemu_ok = true;
        }
        Some((b, Result::Ok(Probe::Unusable(why)))) => {
            r.add(Info, format!("QEMU {}: not usable: {why}", b.display()))
        }
        Some((b, Err(e))) => r.add(Info, format!("QEMU {}: cannot run it: {e}", b.display())),
        None => r.add(Info, "no qemu-system-x86_64 in PATH"),
    }
    if explicit.is_some() && !qemu_ok {
        r.add(Missing, "PHY_SIM_QEMU is set but not usable");
    } else if !qemu_ok {
        let dir = p.qemu_root_dir(&mirror);
        match read_root_info(&dir) {
            Some(q) if root => r.add(Ok, format!("QEMU: will use {}", q.describe())),
            Some(q) => r.add(Missing, format!("QEMU: {} exists but running it (chroot) needs root", q.describe())),
            None if root => {
                let missing = apt::missing(DEBOOTSTRAP_NEEDS);
                r.add(
                    Will,
                    format!(
                        "QEMU: will set up a private Debian trixie root with QEMU from trixie-backports in {} (about 1 minute, ~500 MB download){}",
                        dir.display(),
                        if missing.is_empty() {
                            String::new()
                        } else {
                            format!(", installing {} first", packages(&missing))
                        }
                    ),
                );
            }
            None => r.add(
                Missing,
                "QEMU >= 10.1 with vfio-user-pci: install it (Debian trixie-backports/sid qemu-system-x86), or run phy-sim as root (it then sets up and uses a private Debian trixie root)",
            ),
        }
    }

    // Kernel
    let build_missing = apt::missing(KERNEL_BUILD_NEEDS);
    if build_missing.is_empty() {
        r.add(
            Ok,
            "kernel build tools (make gcc flex bison bc cpio perl libelf-dev libssl-dev)",
        );
    } else if root {
        r.add(
            Will,
            format!("install kernel build tools: {}", packages(&build_missing)),
        );
    } else {
        r.add(
            Missing,
            format!(
                "kernel build tools: sudo apt-get install {}",
                packages(&build_missing)
            ),
        );
    }
    let unpack_missing = apt::missing(DEB_UNPACK_NEEDS);
    if !unpack_missing.is_empty() || which("apt-get").is_none() {
        r.add(
            Info,
            "no apt-get/dpkg/xz: the Debian kernel source cannot be fetched; use a kernel tree or a bzImage",
        );
    }
    let built: Vec<String> = list_dirs(p.cache_root(), "kernel-debian-")
        .into_iter()
        .filter_map(|d| {
            fs::read_to_string(d.join("phy-sim-kernel.txt"))
                .ok()
                .map(|t| t.trim().to_string())
        })
        .collect();
    if built.is_empty() {
        r.add(
            Will,
            format!(
                "kernel (Debian source): will download {} from {} (~170 MB) and build it (4 minutes on 2 idle cores, more on a busy machine)",
                crate::KERNEL_PACKAGE,
                crate::kernel::KERNEL_SUITE
            ),
        );
    } else {
        for b in built {
            r.add(
                Ok,
                format!("kernel built: {b} (reused unless a newer package version appears)"),
            );
        }
    }

    // Initramfs pieces
    let busybox_static = ["/bin/busybox", "/usr/bin/busybox"]
        .iter()
        .any(|b| file_is_static_elf(Path::new(b)) == Some(true));
    if busybox_static {
        r.add(Ok, "static busybox for the initramfs");
    } else if root {
        r.add(Will, format!("install {}", packages(BUSYBOX_NEEDS)));
    } else {
        r.add(
            Missing,
            "a static busybox: sudo apt-get install busybox-static",
        );
    }
    if which("cargo").is_some() || std::env::var_os("CARGO").is_some() {
        r.add(Ok, "cargo, to build the static guest agent");
    } else {
        r.add(
            Missing,
            "cargo, to build the guest agent (install a Rust toolchain)",
        );
    }

    // Accelerator
    if Path::new("/dev/kvm").exists() {
        let cached: Vec<String> = fs::read_dir(p.cache_root().join("accel"))
            .map(|rd| {
                rd.flatten()
                    .filter_map(|e| fs::read_to_string(e.path()).ok())
                    .map(|t| t.lines().collect::<Vec<_>>().join(": "))
                    .collect()
            })
            .unwrap_or_default();
        if cached.is_empty() {
            r.add(Will, "accelerator: /dev/kvm exists: will probe KVM with a short boot (20 s at most), else TCG");
        } else {
            for c in cached {
                r.add(Info, format!("accelerator probed before: {c}"));
            }
        }
    } else {
        r.add(Info, "accelerator: no /dev/kvm: TCG");
    }
    r
}

fn packages(needs: &[apt::HostNeed]) -> String {
    let mut v: Vec<&str> = needs.iter().map(|n| n.package).collect();
    v.dedup();
    v.join(" ")
}

fn list_dirs(root: &Path, prefix: &str) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = fs::read_dir(root)
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_display_and_problems() {
        let mut r = DoctorReport::default();
        r.add(DoctorStatus::Ok, "a");
        assert!(!r.has_problems());
        r.add(DoctorStatus::Missing, "b");
        assert!(r.has_problems());
        assert_eq!(r.to_string(), "[ok     ] a\n[MISSING] b\n");
    }

    #[test]
    fn doctor_runs_on_an_empty_cache() {
        let d = tempfile::tempdir().unwrap();
        let p = Provisioner::new(Some(d.path().to_path_buf()), true).unwrap();
        let r = doctor(&p);
        assert!(r.to_string().contains("cache: "));
        // It built nothing.
        assert!(list_dirs(d.path(), "qemu-").is_empty());
        assert!(list_dirs(d.path(), "kernel-").is_empty());
    }
}
