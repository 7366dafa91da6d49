//! A writer for the "newc" cpio format the kernel unpacks as initramfs. Deterministic: owner 0,
//! mtime 0, inode numbers in order; device nodes need no privileges.

use std::io::{self, Write};

const S_IFDIR: u32 = 0o040000;
const S_IFREG: u32 = 0o100000;
const S_IFLNK: u32 = 0o120000;
const S_IFCHR: u32 = 0o020000;

pub(crate) struct CpioWriter<W: Write> {
    out: W,
    ino: u32,
    written: u64,
}

impl<W: Write> CpioWriter<W> {
    pub(crate) fn new(out: W) -> Self {
        CpioWriter {
            out,
            ino: 1,
            written: 0,
        }
    }

    pub(crate) fn dir(&mut self, path: &str, perm: u32) -> io::Result<()> {
        self.entry(path, S_IFDIR | perm, 2, (0, 0), b"")
    }

    pub(crate) fn file(&mut self, path: &str, perm: u32, data: &[u8]) -> io::Result<()> {
        self.entry(path, S_IFREG | perm, 1, (0, 0), data)
    }

    pub(crate) fn symlink(&mut self, path: &str, target: &str) -> io::Result<()> {
        self.entry(path, S_IFLNK | 0o777, 1, (0, 0), target.as_bytes())
    }

    pub(crate) fn char_dev(
        &mut self,
        path: &str,
        perm: u32,
        major: u32,
        minor: u32,
    ) -> io::Result<()> {
        self.entry(path, S_IFCHR | perm, 1, (major, minor), b"")
    }

    /// Writes the trailer and returns the inner writer.
    pub(crate) fn finish(mut self) -> io::Result<W> {
        self.ino = 0;
        self.entry("TRAILER!!!", 0, 1, (0, 0), b"")?;
        Ok(self.out)
    }

    fn entry(
        &mut self,
        path: &str,
        mode: u32,
        nlink: u32,
        rdev: (u32, u32),
        data: &[u8],
    ) -> io::Result<()> {
        let name = path.trim_start_matches('/');
        let namesize = name.len() + 1;
        let header = format!(
            "070701{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}",
            self.ino,
            mode,
            0, // uid
            0, // gid
            nlink,
            0, // mtime
            data.len(),
            0, // dev major
            0, // dev minor
            rdev.0,
            rdev.1,
            namesize,
            0, // check
        );
        if self.ino != 0 {
            self.ino += 1;
        }
        self.put(header.as_bytes())?;
        self.put(name.as_bytes())?;
        self.put(&[0])?;
        self.pad()?;
        self.put(data)?;
        self.pad()
    }

    fn put(&mut self, b: &[u8]) -> io::Result<()> {
        self.out.write_all(b)?;
        self.written += b.len() as u64;
        Ok(())
    }

    fn pad(&mut self) -> io::Result<()> {
        let n = (4 - (self.written % 4) as usize) % 4;
        self.put(&[0u8; 3][..n])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (name, mode, rdev, data) of one archive entry.
    type Entry = (String, u32, (u32, u32), Vec<u8>);

    /// Parses a newc archive back.
    fn parse(mut b: &[u8]) -> Vec<Entry> {
        let mut out = Vec::new();
        let total = b.len();
        loop {
            assert_eq!(&b[..6], b"070701");
            let field = |i: usize| {
                u32::from_str_radix(std::str::from_utf8(&b[6 + 8 * i..14 + 8 * i]).unwrap(), 16)
                    .unwrap()
            };
            let (mode, size, rmaj, rmin, namesize) = (
                field(1),
                field(6) as usize,
                field(9),
                field(10),
                field(11) as usize,
            );
            let name = std::str::from_utf8(&b[110..110 + namesize - 1])
                .unwrap()
                .to_string();
            assert_eq!(b[110 + namesize - 1], 0);
            let data_start = (110 + namesize).div_ceil(4) * 4;
            let data = b[data_start..data_start + size].to_vec();
            let next = (data_start + size).div_ceil(4) * 4;
            b = &b[next..];
            if name == "TRAILER!!!" {
                assert!(b.is_empty(), "{} bytes after trailer of {total}", b.len());
                return out;
            }
            out.push((name, mode, (rmaj, rmin), data));
        }
    }

    #[test]
    fn roundtrip() {
        let mut w = CpioWriter::new(Vec::new());
        w.dir("/bin", 0o755).unwrap();
        w.file("/init", 0o755, b"#!/bin/sh\n").unwrap();
        w.file("/bin/odd", 0o644, b"abcde").unwrap();
        w.symlink("/bin/sh", "busybox").unwrap();
        w.char_dev("/dev/console", 0o600, 5, 1).unwrap();
        let bytes = w.finish().unwrap();
        assert_eq!(bytes.len() % 4, 0);
        let e = parse(&bytes);
        assert_eq!(e.len(), 5);
        assert_eq!(e[0].0, "bin");
        assert_eq!(e[0].1, 0o040755);
        assert_eq!(
            (e[1].0.as_str(), e[1].3.as_slice()),
            ("init", &b"#!/bin/sh\n"[..])
        );
        assert_eq!(e[2].3, b"abcde");
        assert_eq!((e[3].1, e[3].3.as_slice()), (0o120777, &b"busybox"[..]));
        assert_eq!((e[4].1, e[4].2), (0o020600, (5, 1)));
    }

    /// The host's cpio tool reads what we write (skipped when cpio is absent).
    #[test]
    fn host_cpio_lists_it() {
        if crate::util::which("cpio").is_none() {
            return;
        }
        let mut w = CpioWriter::new(Vec::new());
        w.dir("/etc", 0o755).unwrap();
        w.file("/etc/x", 0o644, b"hello").unwrap();
        w.symlink("/etc/y", "x").unwrap();
        let bytes = w.finish().unwrap();
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("a.cpio");
        std::fs::write(&f, &bytes).unwrap();
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("cpio -it < {}", f.display()))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout), "etc\netc/x\netc/y\n");
    }
}
