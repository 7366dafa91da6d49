//! The virtio-serial port to the host: discovery, JSON-line writes and reads.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::sys;

pub const PORT_NAME: &str = "org.phy-sim.agent";
const VIRTIO_PORTS: &str = "/sys/class/virtio-ports";
/// A host line longer than this is a protocol error.
const MAX_LINE: usize = 1 << 20;

/// Looks for the port named [`PORT_NAME`]: `/sys/class/virtio-ports/<entry>/name`, and returns
/// `/dev/<entry>`.
pub fn find_port() -> Option<PathBuf> {
    let dir = fs::read_dir(VIRTIO_PORTS).ok()?;
    for e in dir.flatten() {
        let Ok(name) = fs::read_to_string(e.path().join("name")) else {
            continue;
        };
        if name.trim_end() == PORT_NAME {
            return Some(Path::new("/dev").join(e.file_name()));
        }
    }
    None
}

/// Waits (bounded) until the port and its device node exist.
pub fn wait_for_port(timeout: Duration) -> Result<PathBuf> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(p) = find_port() {
            if p.exists() {
                return Ok(p);
            }
        }
        if Instant::now() >= deadline {
            return Err(Error::Timeout(format!(
                "after {timeout:?} waiting for the virtio-serial port {PORT_NAME} \
                 ({VIRTIO_PORTS}/*/name)"
            )));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// What a read of the port produced.
#[derive(Debug, Default)]
pub struct Input {
    pub lines: Vec<String>,
    /// The host closed its end.
    pub eof: bool,
}

pub struct Port {
    file: File,
    inbuf: Vec<u8>,
    write_timeout: Duration,
}

impl Port {
    pub fn open(path: &Path) -> Result<Self> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_CLOEXEC | libc::O_NOCTTY)
            .open(path)
            .map_err(|e| Error::io(format!("open {}", path.display()), e))?;
        Ok(Port {
            file,
            inbuf: Vec::new(),
            write_timeout: Duration::from_secs(10),
        })
    }

    /// Waits (bounded) until the host end is connected: virtio_console reports POLLHUP while
    /// it is not, and POLLOUT once a write would not block.
    pub fn wait_host(&self, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let rev = sys::poll(&[(self.as_raw_fd(), libc::POLLOUT)], 50)?;
            if rev[0] & libc::POLLOUT != 0 && rev[0] & (libc::POLLHUP | libc::POLLERR) == 0 {
                return Ok(());
            }
            if left.is_zero() {
                return Err(Error::Timeout(format!(
                    "after {timeout:?} waiting for the host to connect to the port"
                )));
            }
            // POLLHUP is level-triggered: avoid spinning while the host is not there.
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Writes one complete line; waits (bounded) when the port is full.
    pub fn send_line(&mut self, line: &str) -> Result<()> {
        let mut data = line.as_bytes();
        let deadline = Instant::now() + self.write_timeout;
        while !data.is_empty() {
            match self.file.write(data) {
                Ok(0) => return Err(Error::Protocol("port write returned 0".into())),
                Ok(n) => data = &data[n..],
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(Error::Timeout(format!(
                            "after {:?} writing to the host port",
                            self.write_timeout
                        )));
                    }
                    let ms = left.as_millis().clamp(1, 1000) as i32;
                    sys::poll(&[(self.as_raw_fd(), libc::POLLOUT)], ms)?;
                }
                Err(e) => return Err(Error::io("write to the host port", e)),
            }
        }
        Ok(())
    }

    /// Reads whatever is available and returns the complete lines.
    pub fn read_input(&mut self) -> Result<Input> {
        let mut input = Input::default();
        let mut chunk = [0u8; 4096];
        loop {
            match self.file.read(&mut chunk) {
                Ok(0) => {
                    input.eof = true;
                    break;
                }
                Ok(n) => self.inbuf.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                // A pty (used for testing) reports a closed other end as EIO.
                Err(e) if e.raw_os_error() == Some(libc::EIO) => {
                    input.eof = true;
                    break;
                }
                Err(e) => return Err(Error::io("read from the host port", e)),
            }
        }
        input.lines = split_lines(&mut self.inbuf);
        if self.inbuf.len() > MAX_LINE {
            return Err(Error::Protocol(format!(
                "host sent a line longer than {MAX_LINE} bytes"
            )));
        }
        Ok(input)
    }
}

/// Removes the complete lines from `buf` and returns them (without `\n`, `\r\n` tolerated,
/// empty lines dropped).
pub fn split_lines(buf: &mut Vec<u8>) -> Vec<String> {
    let mut lines = Vec::new();
    let mut start = 0;
    while let Some(pos) = buf[start..].iter().position(|&b| b == b'\n') {
        let line = &buf[start..start + pos];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if !line.iter().all(u8::is_ascii_whitespace) {
            lines.push(String::from_utf8_lossy(line).into_owned());
        }
        start += pos + 1;
    }
    buf.drain(..start);
    lines
}

impl AsRawFd for Port {
    fn as_raw_fd(&self) -> RawFd {
        self.file.as_raw_fd()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_splitting() {
        let mut b = b"{\"a\":1}\n\n{\"b\":2}\r\n{\"c\"".to_vec();
        assert_eq!(split_lines(&mut b), vec!["{\"a\":1}", "{\"b\":2}"]);
        assert_eq!(b, b"{\"c\"");
        b.extend_from_slice(b":3}\n");
        assert_eq!(split_lines(&mut b), vec!["{\"c\":3}"]);
        assert!(b.is_empty());
    }
}
