//! Provisioning for phy-sim: everything a run needs on the host, built once and cached.
//!
//! - [`Provisioner::qemu`]: QEMU >= 10.1 with the vfio-user-pci client (system, or a private
//!   Debian trixie root run through chroot).
//! - [`Provisioner::kernel`]: the guest kernel (Debian's linux-source-7.3 built with
//!   [`KERNEL_FRAGMENT`], a local tree built out of tree, or a user's bzImage).
//! - [`Provisioner::module`], [`Provisioner::agent`], [`Provisioner::initramfs`]: the guest side.
//! - [`Provisioner::accelerator`]: KVM when it really works, else TCG.
//! - [`doctor`]: what is there and what a run would do, without building anything.
//!
//! Cache layout (under [`Provisioner::cache_root`]; `<key>` = 16 hex digits of a sha256 over the
//! recipe inputs):
//! ```text
//! qemu-<key>/root, info      private trixie root with QEMU (key: suites, packages, mirror, recipe)
//! apt-<key>/                 private apt state (sources, lists, cache) for trixie-backports
//! linux-src-<key>/linux-source-7.3/   unpacked Debian source (key: package + version)
//! kernel-debian-<key>/       O= build folder of the Debian kernel (key: package version, fragment, recipe)
//! kbuild-<key>/              O= build folder for KernelSource::Tree (key: canonical tree path), incremental
//! module-<key>/              board driver build (key: sources, kernel identity)
//! initramfs/initramfs-<key>.cpio.gz   (key: busybox, module, agent, /init)
//! accel/<key>                "kvm" or "tcg" + why (key: QEMU, kernel, /dev/kvm)
//! locks/<name>.lock          flock per artifact
//! logs/<step>.log            full output of the last run of each step
//! ```
//! Builds happen in `.tmp-<name>` beside their final folder and are renamed into place when
//! complete, so an interrupted build never looks complete.

mod accel;
mod apt;
mod artifacts;
mod cache;
mod cpio;
mod doctor;
mod error;
mod initramfs;
mod kernel;
mod qemu;
mod run;
mod util;

use std::path::{Path, PathBuf};

pub use accel::Accel;
pub use artifacts::{AGENT_PACKAGE, AGENT_TARGET};
pub use doctor::{doctor, DoctorLine, DoctorReport, DoctorStatus};
pub use error::Error;
pub use initramfs::{GUEST_AGENT_PATH, GUEST_MODULE_DIR};
pub use kernel::{missing_kernel_options, Kernel, KernelSource, KERNEL_PACKAGE, KERNEL_SUITE};
pub use qemu::{Qemu, MIN_QEMU};

/// The kernel config fragment phy-sim needs (`ci/kernel/phy-sim.config`).
pub const KERNEL_FRAGMENT: &str = include_str!("../../../ci/kernel/phy-sim.config");

/// Provisions QEMU, the guest kernel and the guest artifacts into a cache.
pub struct Provisioner {
    root: PathBuf,
    quiet: bool,
    fragment: String,
    runner: run::Runner,
}

impl std::fmt::Debug for Provisioner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provisioner")
            .field("root", &self.root)
            .field("quiet", &self.quiet)
            .finish_non_exhaustive()
    }
}

impl Provisioner {
    /// A provisioner caching under `cache_root`, or by default `$PHY_SIM_CACHE`, else
    /// `$XDG_CACHE_HOME/phy-sim`, else `~/.cache/phy-sim`. `quiet` hides progress output.
    pub fn new(cache_root: Option<PathBuf>, quiet: bool) -> Result<Self, Error> {
        let root = match cache_root {
            Some(r) => r,
            None => cache::default_cache_root()?,
        };
        let root = if root.is_absolute() {
            root
        } else {
            std::env::current_dir()
                .map_err(|e| Error::CacheRoot {
                    path: root.clone(),
                    reason: format!("cannot resolve the relative path: {e}"),
                })?
                .join(root)
        };
        for sub in ["locks", "logs"] {
            std::fs::create_dir_all(root.join(sub)).map_err(|e| Error::CacheRoot {
                path: root.clone(),
                reason: format!("cannot create it: {e}"),
            })?;
        }
        let probe = root.join(format!(".write-test-{}", std::process::id()));
        std::fs::write(&probe, b"")
            .and_then(|_| std::fs::remove_file(&probe))
            .map_err(|e| Error::CacheRoot {
                path: root.clone(),
                reason: format!("not writable: {e}"),
            })?;
        let runner = run::Runner::new(quiet, root.join("logs"));
        Ok(Provisioner {
            root,
            quiet,
            fragment: KERNEL_FRAGMENT.to_string(),
            runner,
        })
    }

    /// The cache folder.
    pub fn cache_root(&self) -> &Path {
        &self.root
    }

    /// Whether progress output is hidden.
    pub fn quiet(&self) -> bool {
        self.quiet
    }

    /// Uses another kernel config fragment than [`KERNEL_FRAGMENT`] (e.g. the project's plus
    /// extra options). Kernels built with it are cached separately.
    pub fn set_kernel_fragment(&mut self, fragment: impl Into<String>) {
        self.fragment = fragment.into();
    }

    /// The kernel config fragment in use.
    pub fn kernel_fragment(&self) -> &str {
        &self.fragment
    }
}
