//! Child processes that cannot outlive us: killed by the kernel if we die (PDEATHSIG) and by
//! `Drop` on every other path; every wait is bounded.

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

pub struct Guarded {
    pub name: &'static str,
    child: Option<Child>,
}

impl Guarded {
    pub fn spawn(name: &'static str, mut cmd: Command) -> std::io::Result<Self> {
        // SAFETY: prctl is async-signal-safe; nothing else runs between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        Ok(Guarded {
            name,
            child: Some(cmd.spawn()?),
        })
    }

    /// `Some(status)` once the process has exited.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child
            .as_mut()
            .and_then(|c| c.try_wait().ok().flatten())
    }

    /// Waits up to `timeout` for the process to exit by itself, then kills it.
    pub fn finish(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Some(status) = self.exited() {
                self.child = None;
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        if !timeout.is_zero() {
            tracing::warn!("{} did not exit within {timeout:?}; killing it", self.name);
        }
        self.kill();
        None
    }

    /// Kills the process but keeps it as a child, so the supervision sees it die the way an
    /// unexpected crash looks.
    pub fn kill_only(&mut self) {
        if let Some(c) = self.child.as_mut() {
            let _ = c.kill();
        }
    }

    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A private folder for sockets (Unix socket paths are limited to 107 bytes, so it lives
/// under /tmp), removed with everything in it on drop.
pub struct SocketDir {
    pub path: std::path::PathBuf,
}

impl SocketDir {
    pub fn create() -> std::io::Result<Self> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "phy-sim-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir(&path)?;
        Ok(SocketDir { path })
    }
}

impl Drop for SocketDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
