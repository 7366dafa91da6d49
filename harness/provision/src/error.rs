//! Errors of the provisioning library. Every message ends with what to do about it.

use std::path::PathBuf;
use std::time::Duration;

/// Everything that can go wrong while provisioning. Each message says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The cache root cannot be found or written.
    #[error("cache folder {path}: {reason}; set PHY_SIM_CACHE (or pass a cache root) to a writable folder")]
    CacheRoot { path: PathBuf, reason: String },

    /// A file operation failed.
    #[error("{what} ({path}): {source}; check that the path exists and is writable, and that the disk is not full")]
    Io {
        what: String,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A program could not be started at all.
    #[error("{step}: cannot run `{program}`: {source}; {hint}")]
    Spawn {
        step: String,
        program: String,
        #[source]
        source: std::io::Error,
        hint: String,
    },

    /// A program ran and failed.
    #[error(
        "{step} failed ({status}); last lines of its output:\n{tail}\nfull log: {log}\n{hint}"
    )]
    CommandFailed {
        step: String,
        status: String,
        tail: String,
        log: PathBuf,
        hint: String,
    },

    /// A program did not finish in time and was killed.
    #[error("{step} did not finish within {timeout:?} and was killed; full log: {log}; check the log for a hung download or a stuck process, then run again")]
    Timeout {
        step: String,
        timeout: Duration,
        log: PathBuf,
    },

    /// Host packages are missing and cannot be installed by us (not root).
    #[error("missing host tools ({what}); install them with `sudo apt-get install {packages}` (phy-sim installs them itself when run as root)", packages = packages.join(" "))]
    MissingHostPackages { what: String, packages: Vec<String> },

    /// Something needs root privileges.
    #[error("{what} needs root; {hint}")]
    NeedRoot { what: String, hint: String },

    /// No usable QEMU.
    #[error("no QEMU >= 10.1 with the vfio-user-pci client ({found}); install QEMU >= 10.1 (e.g. Debian trixie-backports or sid `qemu-system-x86`), point PHY_SIM_QEMU at such a qemu-system-x86_64, or run phy-sim as root (it then sets up and uses a private Debian trixie root with one)")]
    NoQemu { found: String },

    /// A kernel .config lacks options phy-sim needs.
    #[error("kernel config {config} lacks {n} option(s) phy-sim needs: {list}; these options have unmet dependencies: find them with `make menuconfig` (press / and type the name), add what they depend on to the fragment, or fix the tree", n = missing.len(), list = missing.join(", "))]
    KernelOptions {
        config: PathBuf,
        missing: Vec<String>,
    },

    /// The given kernel tree or image cannot be used.
    #[error("kernel {path}: {reason}")]
    Kernel { path: PathBuf, reason: String },

    /// A Debian package could not be found.
    #[error("Debian package {package}: {reason}")]
    Package { package: String, reason: String },

    /// A tool answered something we did not expect.
    #[error("{what}: {detail}; {hint}")]
    Unexpected {
        what: String,
        detail: String,
        hint: String,
    },

    /// Another run held a lock for too long.
    #[error("waited {waited:?} for the lock {lock} held by another phy-sim run; if no other run is going on, delete the lock file and run again")]
    LockTimeout { lock: PathBuf, waited: Duration },
}

impl Error {
    pub(crate) fn io(
        what: impl Into<String>,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        Error::Io {
            what: what.into(),
            path: path.into(),
            source,
        }
    }
}

/// Shorthand: attach a description and a path to an io::Error.
pub(crate) trait IoContext<T> {
    fn ctx(self, what: &str, path: &std::path::Path) -> Result<T, Error>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn ctx(self, what: &str, path: &std::path::Path) -> Result<T, Error> {
        self.map_err(|e| Error::io(what, path, e))
    }
}
