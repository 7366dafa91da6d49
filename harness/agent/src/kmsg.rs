//! `/dev/kmsg` reading and record parsing (Documentation/ABI/testing/dev-kmsg).

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::fs::OpenOptionsExt;

use crate::error::{Error, Result};

/// One kernel log record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Log level (the syslog priority's low three bits; the facility is dropped).
    pub level: u8,
    pub seq: u64,
    /// The kernel's timestamp of the record, microseconds since boot.
    pub ts_us: u64,
    /// The message with the kernel's `\xNN` escapes undone.
    pub msg: String,
}

/// Parses one record as read from `/dev/kmsg`: `prefix,seq,ts_us,flags[,more...];message\n`
/// followed by optional continuation lines that start with a space (` SUBSYSTEM=...`, the
/// record's dictionary), which are skipped. Returns `None` for malformed input.
pub fn parse_record(raw: &[u8]) -> Option<Record> {
    let semi = raw.iter().position(|&b| b == b';')?;
    let (head, rest) = (&raw[..semi], &raw[semi + 1..]);
    let head = std::str::from_utf8(head).ok()?;
    let mut fields = head.split(',');
    let prefix: u32 = fields.next()?.trim().parse().ok()?;
    let seq: u64 = fields.next()?.parse().ok()?;
    let ts_us: u64 = fields.next()?.parse().ok()?;
    // The message is the first line; continuation lines (" KEY=value") are dropped.
    let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    Some(Record {
        level: (prefix & 7) as u8,
        seq,
        ts_us,
        msg: unescape(&rest[..end]),
    })
}

/// Undoes the kernel's escaping of non-printable bytes (and of `\` itself) as `\xNN`.
pub fn unescape(s: &[u8]) -> String {
    fn hex(b: u8) -> Option<u8> {
        match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            b'A'..=b'F' => Some(b - b'A' + 10),
            _ => None,
        }
    }
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\' && i + 3 < s.len() && s[i + 1] == b'x' {
            if let (Some(h), Some(l)) = (hex(s[i + 2]), hex(s[i + 3])) {
                out.push(h << 4 | l);
                i += 4;
                continue;
            }
        }
        out.push(s[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Non-blocking reader of `/dev/kmsg`, positioned at the first record still in the buffer.
pub struct Kmsg {
    file: File,
    buf: Vec<u8>,
    /// Records lost because the ring buffer overwrote them before they were read.
    pub overwritten: u64,
}

/// One read attempt.
pub enum ReadOutcome {
    Record(Record),
    /// Nothing more to read right now.
    Empty,
}

impl Kmsg {
    pub fn open(path: &str) -> Result<Self> {
        let file = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_CLOEXEC)
            .open(path)
            .map_err(|e| Error::io(format!("open {path}"), e))?;
        Ok(Kmsg {
            file,
            // A record is at most a few KiB (message + dictionary); a too small buffer
            // would make read() fail with EINVAL.
            buf: vec![0; 16 * 1024],
            overwritten: 0,
        })
    }

    /// Reads the next record. EPIPE (records overwritten since the last read) is counted and
    /// reading goes on with the oldest record still available; malformed records are skipped.
    pub fn read(&mut self) -> Result<ReadOutcome> {
        loop {
            match self.file.read(&mut self.buf) {
                Ok(0) => return Ok(ReadOutcome::Empty),
                Ok(n) => {
                    if let Some(r) = parse_record(&self.buf[..n]) {
                        return Ok(ReadOutcome::Record(r));
                    }
                }
                Err(e) => match e.kind() {
                    io::ErrorKind::WouldBlock => return Ok(ReadOutcome::Empty),
                    io::ErrorKind::Interrupted => {}
                    _ if e.raw_os_error() == Some(libc::EPIPE) => self.overwritten += 1,
                    _ => return Err(Error::io("read /dev/kmsg", e)),
                },
            }
        }
    }
}

impl AsRawFd for Kmsg {
    fn as_raw_fd(&self) -> RawFd {
        self.file.as_raw_fd()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_record() {
        let r =
            parse_record(b"6,339,5140900,-;NET: Registered PF_PACKET protocol family\n").unwrap();
        assert_eq!(
            r,
            Record {
                level: 6,
                seq: 339,
                ts_us: 5140900,
                msg: "NET: Registered PF_PACKET protocol family".into()
            }
        );
    }

    #[test]
    fn facility_and_extra_fields() {
        // Userspace writes have facility 1 (user); CONFIG_PRINTK_CALLER adds a field.
        let r = parse_record(b"12,7,99,c,caller=T1;hello\n").unwrap();
        assert_eq!(
            (r.level, r.seq, r.ts_us, r.msg.as_str()),
            (4, 7, 99, "hello")
        );
    }

    #[test]
    fn continuation_lines_skipped() {
        let raw = b"3,1001,2000000,-;phy-sim 0000:00:04.0: probe failed\n SUBSYSTEM=pci\n DEVICE=+pci:0000:00:04.0\n";
        let r = parse_record(raw).unwrap();
        assert_eq!(r.level, 3);
        assert_eq!(r.msg, "phy-sim 0000:00:04.0: probe failed");
    }

    #[test]
    fn escapes_and_semicolons() {
        let r = parse_record(b"4,2,3,-;a;b\\x0ac \\x5c d \\xzz\\x\n").unwrap();
        assert_eq!(r.msg, "a;b\nc \\ d \\xzz\\x");
        assert_eq!(unescape(b"\\xc3\\xa9"), "\u{e9}");
        assert_eq!(unescape(b"end\\x4"), "end\\x4");
    }

    #[test]
    fn malformed() {
        assert_eq!(parse_record(b"no semicolon\n"), None);
        assert_eq!(parse_record(b"x,1,2,-;msg\n"), None);
        assert_eq!(parse_record(b"6,1;msg\n"), None);
        let r = parse_record(b"6,1,2;no newline").unwrap();
        assert_eq!(r.msg, "no newline");
        let r = parse_record(b"6,1,2,-;\n").unwrap();
        assert_eq!(r.msg, "");
    }
}
