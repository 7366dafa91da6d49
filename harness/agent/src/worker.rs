//! Work that may block for long (MDIO ioctls, sysfs writes that run a driver's probe/remove,
//! kmemleak scans) runs on a thread of its own so the event loop keeps forwarding link
//! changes and kernel log records, with their timing, while it runs.

use std::os::fd::{AsRawFd, RawFd};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::sys::EventFd;

/// A thread computing one `T`; its descriptor becomes readable when the thread is done.
pub struct Job<T> {
    rx: Receiver<T>,
    wake: Arc<EventFd>,
}

/// Signals the event loop when the thread ends, also when it panics.
struct WakeOnDrop(Arc<EventFd>);

impl Drop for WakeOnDrop {
    fn drop(&mut self) {
        self.0.signal();
    }
}

/// What [`Job::poll`] found.
pub enum Poll<T> {
    Pending,
    Done(T),
    /// The thread ended without a result (it panicked).
    Died,
}

impl<T: Send + 'static> Job<T> {
    pub fn spawn(name: &str, f: impl FnOnce() -> T + Send + 'static) -> Result<Self> {
        let wake = Arc::new(EventFd::new()?);
        let (tx, rx) = mpsc::channel();
        let guard = WakeOnDrop(Arc::clone(&wake));
        std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || {
                // Dropped in reverse order, also when `f` panics: the sender first (so the
                // receiver sees the disconnection), then the guard signals.
                let _guard = guard;
                let tx = tx;
                let _ = tx.send(f());
            })
            .map_err(|e| Error::io(format!("spawning the {name} thread"), e))?;
        Ok(Job { rx, wake })
    }

    /// The thread's result if it is done. The thread is never joined: one stuck in the
    /// kernel must not stop the agent from reporting and powering off.
    pub fn poll(&mut self) -> Poll<T> {
        self.wake.clear();
        match self.rx.try_recv() {
            Ok(v) => Poll::Done(v),
            Err(TryRecvError::Empty) => Poll::Pending,
            Err(TryRecvError::Disconnected) => Poll::Died,
        }
    }
}

impl<T> AsRawFd for Job<T> {
    fn as_raw_fd(&self) -> RawFd {
        self.wake.as_raw_fd()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sys;

    fn wait<T: Send + 'static>(job: &mut Job<T>) -> Poll<T> {
        for _ in 0..100 {
            let rev = sys::poll(&[(job.as_raw_fd(), libc::POLLIN)], 100).unwrap();
            if rev[0] != 0 {
                match job.poll() {
                    Poll::Pending => continue,
                    other => return other,
                }
            }
        }
        panic!("the job did not finish");
    }

    #[test]
    fn result_wakes_the_loop() {
        let mut job = Job::spawn("test", || 42).unwrap();
        assert!(matches!(wait(&mut job), Poll::Done(42)));
    }

    #[test]
    fn panic_is_reported() {
        let mut job: Job<u32> = Job::spawn("test-panic", || panic!("boom")).unwrap();
        assert!(matches!(wait(&mut job), Poll::Died));
    }
}
