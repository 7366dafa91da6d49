//! The cache: where it lives, content-hash keys, locks, and atomic "build then rename" folders.

use std::fs::{self, File, OpenOptions};
use std::io::Read;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::error::{Error, IoContext};
use crate::run::Runner;

/// How long we wait for another run's lock before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(3 * 3600);

/// The default cache root: `$PHY_SIM_CACHE`, else `$XDG_CACHE_HOME/phy-sim`, else `~/.cache/phy-sim`.
pub(crate) fn default_cache_root() -> Result<PathBuf, Error> {
    cache_root_from(
        std::env::var_os("PHY_SIM_CACHE").map(PathBuf::from),
        std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from),
        std::env::var_os("HOME").map(PathBuf::from),
    )
}

pub(crate) fn cache_root_from(
    phy_sim_cache: Option<PathBuf>,
    xdg_cache_home: Option<PathBuf>,
    home: Option<PathBuf>,
) -> Result<PathBuf, Error> {
    let nonempty = |p: Option<PathBuf>| p.filter(|p| !p.as_os_str().is_empty());
    if let Some(p) = nonempty(phy_sim_cache) {
        return Ok(p);
    }
    if let Some(p) = nonempty(xdg_cache_home).filter(|p| p.is_absolute()) {
        return Ok(p.join("phy-sim"));
    }
    if let Some(p) = nonempty(home) {
        return Ok(p.join(".cache").join("phy-sim"));
    }
    Err(Error::CacheRoot {
        path: PathBuf::from("~/.cache/phy-sim"),
        reason: "neither PHY_SIM_CACHE, XDG_CACHE_HOME nor HOME is set".into(),
    })
}

/// Builds a content-hash key from named fields (length-prefixed, so fields cannot run together).
pub(crate) struct Key(Sha256);

impl Key {
    /// A key for one kind of artifact; `kind` names the recipe and its version.
    pub(crate) fn new(kind: &str) -> Self {
        let mut k = Key(Sha256::new());
        k.field("kind", kind.as_bytes());
        k
    }

    pub(crate) fn field(&mut self, name: &str, value: &[u8]) -> &mut Self {
        for part in [name.as_bytes(), value] {
            self.0.update((part.len() as u64).to_le_bytes());
            self.0.update(part);
        }
        self
    }

    pub(crate) fn str(&mut self, name: &str, value: &str) -> &mut Self {
        self.field(name, value.as_bytes())
    }

    /// Adds the sha256 of a file's content.
    pub(crate) fn file(&mut self, name: &str, path: &Path) -> Result<&mut Self, Error> {
        let digest = hash_file(path)?;
        Ok(self.str(name, &digest))
    }

    /// The key as 16 hex digits (64 bits): plenty to tell recipes apart.
    pub(crate) fn finish(&self) -> String {
        let full = hex(&self.0.clone().finalize());
        full[..16].to_string()
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// sha256 of a file, as hex.
pub(crate) fn hash_file(path: &Path) -> Result<String, Error> {
    let mut f = File::open(path).ctx("cannot read file to hash it", path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf).ctx("cannot read file to hash it", path)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex(&h.finalize()))
}

/// An exclusive flock on `<root>/locks/<name>.lock`, held until dropped.
pub(crate) struct Lock {
    _file: File,
}

pub(crate) fn lock(root: &Path, name: &str, runner: &Runner) -> Result<Lock, Error> {
    let dir = root.join("locks");
    fs::create_dir_all(&dir).ctx("cannot create the lock folder", &dir)?;
    let path = dir.join(format!("{name}.lock"));
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .ctx("cannot open lock file", &path)?;
    let fd = file.as_raw_fd();
    // SAFETY: flock on a file descriptor we own.
    if unsafe { libc::flock(fd, libc::LOCK_EX | libc::LOCK_NB) } == 0 {
        return Ok(Lock { _file: file });
    }
    tracing::info!(lock = %path.display(), "another phy-sim run is building {name}; waiting for it");
    let pb = runner.spinner(&format!("waiting for another run ({name})"));
    let start = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(250));
        // SAFETY: as above.
        if unsafe { libc::flock(fd, libc::LOCK_EX | libc::LOCK_NB) } == 0 {
            pb.finish_and_clear();
            return Ok(Lock { _file: file });
        }
        let err = std::io::Error::last_os_error();
        if err.raw_os_error() != Some(libc::EWOULDBLOCK) {
            pb.finish_and_clear();
            return Err(Error::io("cannot lock", &path, err));
        }
        if start.elapsed() > LOCK_WAIT {
            pb.finish_and_clear();
            return Err(Error::LockTimeout {
                lock: path,
                waited: LOCK_WAIT,
            });
        }
    }
}

/// The temp folder a build of `final_dir` happens in before being renamed into place.
pub(crate) fn temp_for(final_dir: &Path) -> PathBuf {
    let name = final_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    final_dir.with_file_name(format!(".tmp-{name}"))
}

/// Builds `final_dir` atomically: `build` fills a fresh temp folder (given as its argument);
/// only when it succeeds is the folder renamed to `final_dir`. Call with the lock held.
/// An interrupted build leaves only the temp folder, which the next build removes.
pub(crate) fn build_atomically(
    final_dir: &Path,
    build: impl FnOnce(&Path) -> Result<(), Error>,
) -> Result<(), Error> {
    let tmp = temp_for(final_dir);
    remove_tree(&tmp)?;
    fs::create_dir_all(&tmp).ctx("cannot create build folder", &tmp)?;
    match build(&tmp) {
        Ok(()) => {
            fs::rename(&tmp, final_dir)
                .ctx("cannot move the finished build into place", final_dir)?;
            Ok(())
        }
        Err(e) => {
            if std::env::var_os("PHY_SIM_KEEP_FAILED").is_some() {
                tracing::warn!(dir = %tmp.display(), "keeping the failed build folder (PHY_SIM_KEEP_FAILED)");
            } else if let Err(e2) = remove_tree(&tmp) {
                tracing::warn!("could not remove failed build folder: {e2}");
            }
            Err(e)
        }
    }
}

/// Removes a folder tree, refusing when something is mounted below it (a bind mount of /dev
/// left by a crashed tool: removing through it would delete host files).
pub(crate) fn remove_tree(path: &Path) -> Result<(), Error> {
    if fs::symlink_metadata(path).is_err() {
        return Ok(());
    }
    let mountinfo = fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    let mounted = mounts_under(&mountinfo, path);
    if !mounted.is_empty() {
        return Err(Error::Unexpected {
            what: format!("cannot remove {}", path.display()),
            detail: format!("still mounted below it: {}", mounted.join(", ")),
            hint: format!("unmount them (`umount -R {}`) and run again", mounted[0]),
        });
    }
    fs::remove_dir_all(path).ctx("cannot remove old folder", path)
}

/// Mount points (from /proc/self/mountinfo text) at or below `path`.
pub(crate) fn mounts_under(mountinfo: &str, path: &Path) -> Vec<String> {
    mountinfo
        .lines()
        .filter_map(|l| l.split(' ').nth(4))
        .map(unescape_mountinfo)
        .filter(|m| Path::new(m).starts_with(path))
        .collect()
}

fn unescape_mountinfo(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            let v = (b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0');
            out.push(v);
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes a file atomically (temp file + rename).
pub(crate) fn write_atomically(path: &Path, data: &[u8]) -> Result<(), Error> {
    let tmp = path.with_file_name(format!(
        ".tmp-{}-{}",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    fs::write(&tmp, data).ctx("cannot write file", &tmp)?;
    fs::rename(&tmp, path).ctx("cannot move file into place", path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_root_precedence() {
        let p = |s: &str| Some(PathBuf::from(s));
        assert_eq!(
            cache_root_from(p("/c"), p("/x"), p("/h")).unwrap(),
            PathBuf::from("/c")
        );
        assert_eq!(
            cache_root_from(None, p("/x"), p("/h")).unwrap(),
            PathBuf::from("/x/phy-sim")
        );
        assert_eq!(
            cache_root_from(p(""), p(""), p("/h")).unwrap(),
            PathBuf::from("/h/.cache/phy-sim")
        );
        // A relative XDG_CACHE_HOME is invalid per the spec and ignored.
        assert_eq!(
            cache_root_from(None, p("rel"), p("/h")).unwrap(),
            PathBuf::from("/h/.cache/phy-sim")
        );
        assert!(cache_root_from(None, None, None).is_err());
    }

    #[test]
    fn keys_are_stable_and_field_separated() {
        let k = |a: &str, b: &str| Key::new("t").str("a", a).str("b", b).finish();
        assert_eq!(k("x", "y"), k("x", "y"));
        assert_ne!(k("xy", ""), k("x", "y"));
        assert_ne!(Key::new("t1").finish(), Key::new("t2").finish());
        assert_eq!(k("x", "y").len(), 16);
        assert!(k("x", "y").chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn file_hash_matches_content() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("f");
        fs::write(&f, b"abc").unwrap();
        assert_eq!(
            hash_file(&f).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn atomic_build_renames_only_on_success() {
        let d = tempfile::tempdir().unwrap();
        let fin = d.path().join("thing");
        let r = build_atomically(&fin, |tmp| {
            fs::write(tmp.join("half"), b"x").unwrap();
            Err(Error::Unexpected {
                what: "t".into(),
                detail: "d".into(),
                hint: "h".into(),
            })
        });
        assert!(r.is_err());
        assert!(!fin.exists());
        assert!(!temp_for(&fin).exists());
        // A stale temp folder from an interrupted run is replaced.
        fs::create_dir_all(temp_for(&fin).join("stale")).unwrap();
        build_atomically(&fin, |tmp| {
            fs::write(tmp.join("done"), b"x").unwrap();
            Ok(())
        })
        .unwrap();
        assert!(fin.join("done").exists());
        assert!(!fin.join("stale").exists());
    }

    #[test]
    fn mountinfo_parsing() {
        let mi = "22 1 0:21 / /proc rw - proc proc rw\n\
                  90 29 0:5 / /c/root\\040x/dev rw - devtmpfs udev rw\n\
                  91 29 0:5 / /c/rootx/dev rw - devtmpfs udev rw\n";
        assert_eq!(
            mounts_under(mi, Path::new("/c/root x")),
            vec!["/c/root x/dev"]
        );
        assert!(mounts_under(mi, Path::new("/c/root")).is_empty());
        assert_eq!(mounts_under(mi, Path::new("/proc")), vec!["/proc"]);
    }

    #[test]
    fn locks_exclude_each_other() {
        let d = tempfile::tempdir().unwrap();
        let r = Runner::new(true, d.path().join("logs"));
        let l = lock(d.path(), "x", &r).unwrap();
        let f = OpenOptions::new()
            .write(true)
            .open(d.path().join("locks/x.lock"))
            .unwrap();
        // SAFETY: flock on a descriptor we own.
        let rc = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        assert_eq!(rc, -1);
        drop(l);
        let rc = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        assert_eq!(rc, 0);
    }
}
