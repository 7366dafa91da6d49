//! Small pure helpers: shell quoting, PATH lookup, ELF and bzImage header reading, versions.

use std::path::{Path, PathBuf};

/// Quotes a string for /bin/sh (single quotes; only when needed).
pub(crate) fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c))
    {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Finds a program in PATH, and in the sbin folders (a non-root PATH often lacks them).
pub(crate) fn which(program: &str) -> Option<PathBuf> {
    if program.contains('/') {
        let p = PathBuf::from(program);
        return is_executable(&p).then_some(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(
            [
                "/usr/local/sbin",
                "/usr/local/bin",
                "/usr/sbin",
                "/usr/bin",
                "/sbin",
                "/bin",
            ]
            .map(PathBuf::from),
        )
        .map(|d| d.join(program))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

pub(crate) fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

pub(crate) fn nproc() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// For an ELF64 file: `Some(true)` when it has no program interpreter (statically linked,
/// static-pie included), `Some(false)` when it is dynamically linked, `None` when not ELF64.
pub(crate) fn elf_is_static(bytes: &[u8]) -> Option<bool> {
    if bytes.len() < 64 || &bytes[..4] != b"\x7fELF" || bytes[4] != 2 {
        return None;
    }
    let le = match bytes[5] {
        1 => true,
        2 => false,
        _ => return None,
    };
    let u16_at = |o: usize| -> Option<u16> {
        let b: [u8; 2] = bytes.get(o..o + 2)?.try_into().ok()?;
        Some(if le {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    };
    let u32_at = |o: usize| -> Option<u32> {
        let b: [u8; 4] = bytes.get(o..o + 4)?.try_into().ok()?;
        Some(if le {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    };
    let u64_at = |o: usize| -> Option<u64> {
        let b: [u8; 8] = bytes.get(o..o + 8)?.try_into().ok()?;
        Some(if le {
            u64::from_le_bytes(b)
        } else {
            u64::from_be_bytes(b)
        })
    };
    let phoff = usize::try_from(u64_at(0x20)?).ok()?;
    let phentsize = u16_at(0x36)? as usize;
    let phnum = u16_at(0x38)? as usize;
    if phentsize < 4 {
        return None;
    }
    for i in 0..phnum {
        const PT_INTERP: u32 = 3;
        if u32_at(phoff + i * phentsize)? == PT_INTERP {
            return Some(false);
        }
    }
    Some(true)
}

/// Reads whether a file on disk is a static ELF (reads only the headers).
pub(crate) fn file_is_static_elf(path: &Path) -> Option<bool> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).ok()?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(_) => return None,
        }
    }
    buf.truncate(n);
    elf_is_static(&buf)
}

/// The version string of an x86 bzImage (from its setup header), e.g.
/// "7.3.4 (root@host) #1 SMP ...". Its first word is the kernel release.
pub(crate) fn bzimage_version(bytes: &[u8]) -> Option<String> {
    if bytes.get(0x202..0x206)? != b"HdrS" {
        return None;
    }
    let off = u16::from_le_bytes(bytes.get(0x20e..0x210)?.try_into().ok()?) as usize;
    if off == 0 {
        return None;
    }
    let start = off + 0x200;
    let s = bytes.get(start..)?;
    let end = s.iter().position(|b| *b == 0).unwrap_or(s.len().min(256));
    let v = String::from_utf8_lossy(&s[..end]).trim().to_string();
    (!v.is_empty()).then_some(v)
}

/// Parses "X.Y" or "X.Y.Z" (optionally followed by other text) at the start of `s`.
pub(crate) fn parse_version_triple(s: &str) -> Option<(u32, u32, u32)> {
    let head: String = s
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let mut it = head.split('.').filter(|p| !p.is_empty());
    let a = it.next()?.parse().ok()?;
    let b = it.next()?.parse().ok()?;
    let c = it.next().and_then(|p| p.parse().ok()).unwrap_or(0);
    Some((a, b, c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("/a/b-c.d"), "/a/b-c.d");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("$x"), "'$x'");
    }

    fn elf(with_interp: bool) -> Vec<u8> {
        let mut b = vec![0u8; 64 + 2 * 56];
        b[..4].copy_from_slice(b"\x7fELF");
        b[4] = 2; // 64-bit
        b[5] = 1; // little endian
        b[0x20..0x28].copy_from_slice(&64u64.to_le_bytes());
        b[0x36..0x38].copy_from_slice(&56u16.to_le_bytes());
        b[0x38..0x3a].copy_from_slice(&2u16.to_le_bytes());
        b[64..68].copy_from_slice(&1u32.to_le_bytes()); // PT_LOAD
        let t: u32 = if with_interp { 3 } else { 2 }; // PT_INTERP or PT_DYNAMIC
        b[64 + 56..64 + 60].copy_from_slice(&t.to_le_bytes());
        b
    }

    #[test]
    fn elf_static_detection() {
        assert_eq!(elf_is_static(&elf(false)), Some(true));
        assert_eq!(elf_is_static(&elf(true)), Some(false));
        assert_eq!(elf_is_static(b"#!/bin/sh\n"), None);
        let mut truncated = elf(true);
        truncated.truncate(80);
        assert_eq!(elf_is_static(&truncated), None);
    }

    #[test]
    fn bzimage_header() {
        let mut b = vec![0u8; 0x1000];
        b[0x202..0x206].copy_from_slice(b"HdrS");
        b[0x20e..0x210].copy_from_slice(&0x300u16.to_le_bytes());
        let v = b"7.3.4 (root@x) #1 SMP PREEMPT_DYNAMIC\0";
        b[0x500..0x500 + v.len()].copy_from_slice(v);
        assert_eq!(
            bzimage_version(&b).as_deref(),
            Some("7.3.4 (root@x) #1 SMP PREEMPT_DYNAMIC")
        );
        b[0x202] = b'X';
        assert_eq!(bzimage_version(&b), None);
    }

    #[test]
    fn version_triples() {
        assert_eq!(parse_version_triple("11.1.3"), Some((11, 1, 3)));
        assert_eq!(parse_version_triple("10.1"), Some((10, 1, 0)));
        assert_eq!(parse_version_triple("7.2.0 (Debian)"), Some((7, 2, 0)));
        assert_eq!(parse_version_triple("x"), None);
    }
}
