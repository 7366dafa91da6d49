//! QEMU >= 10.1 with the vfio-user-pci client: the system one when new enough, else a private
//! Debian trixie root (debootstrap + trixie-backports) run through chroot.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::apt::{self, DEBOOTSTRAP_NEEDS};
use crate::cache::{self, Key};
use crate::error::{Error, IoContext};
use crate::util::{is_root, parse_version_triple, shell_quote, which};
use crate::Provisioner;

/// The oldest QEMU with the vfio-user-pci client.
pub const MIN_QEMU: (u32, u32, u32) = (10, 1, 0);
/// The QEMU binary inside the private root.
const ROOT_QEMU: &str = "/usr/bin/qemu-system-x86_64";
/// Bump when the private root recipe changes.
const ROOT_RECIPE: &str = "qemu-root-v1";
const ROOT_SUITE: &str = "trixie";
const ROOT_BACKPORTS: &str = "trixie-backports";
const ROOT_PACKAGES: &[&str] = &["qemu-system-x86"];
const PATH_IN_ROOT: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// A QEMU that phy-sim can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Qemu {
    /// The qemu-system-x86_64 binary (inside `chroot` when that is set).
    pub binary: PathBuf,
    pub version: (u32, u32, u32),
    /// The private root QEMU runs in, if not the system's.
    pub chroot: Option<PathBuf>,
}

impl Qemu {
    /// A Command that runs QEMU (append its arguments), seeing every path in `visible` at the
    /// same path. For a private root: `unshare --mount --propagation private` + bind mounts of
    /// /dev, /dev/pts, /proc, /sys and each visible path, then chroot; the mounts vanish with
    /// the process (no cleanup, no stale mounts). Relative paths in arguments resolve against
    /// the current folder only when that folder is visible: prefer absolute paths.
    pub fn command(&self, visible: &[&Path]) -> Command {
        match &self.chroot {
            None => Command::new(&self.binary),
            Some(root) => chroot_command(root, visible, &self.binary.to_string_lossy()),
        }
    }

    /// "QEMU 11.1.3 (private Debian trixie root at ...)" and the like.
    pub fn describe(&self) -> String {
        let (a, b, c) = self.version;
        match &self.chroot {
            None => format!("QEMU {a}.{b}.{c} ({})", self.binary.display()),
            Some(r) => format!(
                "QEMU {a}.{b}.{c} (private Debian trixie root {})",
                r.display()
            ),
        }
    }

    /// What identifies this QEMU for caches (path, version, binary size and mtime).
    pub fn identity(&self) -> String {
        let host_binary = match &self.chroot {
            None => self.binary.clone(),
            Some(r) => r.join(self.binary.strip_prefix("/").unwrap_or(&self.binary)),
        };
        let meta = fs::metadata(&host_binary)
            .ok()
            .map(|m| {
                use std::os::unix::fs::MetadataExt;
                format!("{} {}", m.len(), m.mtime())
            })
            .unwrap_or_default();
        format!(
            "{} {:?} {:?} {meta}",
            self.binary.display(),
            self.version,
            self.chroot
        )
    }
}

/// A Command running `program` (plus the arguments the caller appends) inside `root`, in a
/// private mount namespace where /dev, /dev/pts, /proc, /sys and `visible` are bind-mounted.
pub(crate) fn chroot_command(root: &Path, visible: &[&Path], program: &str) -> Command {
    let mut c = Command::new(which("unshare").unwrap_or_else(|| PathBuf::from("unshare")));
    c.args(["--mount", "--propagation", "private", "--", "/bin/sh", "-c"])
        .arg(chroot_script(root, visible, program))
        .arg("phy-sim-chroot")
        .env("PATH", PATH_IN_ROOT);
    c
}

/// The shell script behind [`chroot_command`]: bind mounts, then chroot + exec, keeping the
/// current folder when it exists inside the root.
pub(crate) fn chroot_script(root: &Path, visible: &[&Path], program: &str) -> String {
    let r = root.to_string_lossy();
    let mut s = String::from("set -e\n");
    for d in ["/dev", "/dev/pts", "/proc", "/sys"] {
        s.push_str(&format!(
            "mount --bind {d} {}\n",
            shell_quote(&format!("{r}{d}"))
        ));
    }
    for v in visible {
        let abs = if v.is_absolute() {
            v.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(v)
        };
        let host = shell_quote(&abs.to_string_lossy());
        let inside = shell_quote(&format!("{r}{}", abs.display()));
        if abs.is_dir() || !abs.exists() {
            s.push_str(&format!(
                "mkdir -p {inside}\nmount --bind {host} {inside}\n"
            ));
        } else {
            // A single file (a socket, an image): bind it onto an empty file.
            let parent = shell_quote(&format!(
                "{r}{}",
                abs.parent().unwrap_or(Path::new("/")).display()
            ));
            s.push_str(&format!(
                "mkdir -p {parent}\n[ -e {inside} ] || : > {inside}\nmount --bind {host} {inside}\n"
            ));
        }
    }
    s.push_str(&format!(
        "exec chroot {} /bin/sh -c 'cd \"$1\" 2>/dev/null || cd /; shift; exec \"$@\"' phy-sim \"$PWD\" {} \"$@\"\n",
        shell_quote(&r),
        shell_quote(program)
    ));
    s
}

/// Parses `qemu-system-x86_64 --version` output ("QEMU emulator version 11.1.3 (Debian ...)").
pub(crate) fn parse_qemu_version(out: &str) -> Option<(u32, u32, u32)> {
    let i = out.find("version ")?;
    parse_version_triple(&out[i + "version ".len()..])
}

/// Whether `-device help` output lists the vfio-user-pci client.
pub(crate) fn lists_vfio_user(device_help: &str) -> bool {
    device_help.contains("\"vfio-user-pci\"")
}

/// What probing a QEMU found.
pub(crate) enum Probe {
    Usable(Qemu),
    Unusable(String),
}

impl Provisioner {
    /// QEMU >= 10.1 with vfio-user-pci: `$PHY_SIM_QEMU` if set, else the system
    /// qemu-system-x86_64 when new enough, else a private Debian trixie root (built once, ~1 min;
    /// needs root).
    pub fn qemu(&self) -> Result<Qemu, Error> {
        if let Some(explicit) = std::env::var_os("PHY_SIM_QEMU") {
            return match self.probe_qemu(Path::new(&explicit))? {
                Probe::Usable(q) => Ok(q),
                Probe::Unusable(why) => Err(Error::NoQemu {
                    found: format!("PHY_SIM_QEMU: {why}"),
                }),
            };
        }
        let system = match which("qemu-system-x86_64") {
            Some(b) => match self.probe_qemu(&b)? {
                Probe::Usable(q) => {
                    tracing::info!("using the system {}", q.describe());
                    return Ok(q);
                }
                Probe::Unusable(why) => why,
            },
            None => "no qemu-system-x86_64 in PATH".to_string(),
        };
        tracing::info!("system QEMU not usable ({system}); using a private Debian trixie root");
        let dir = self.qemu_root_dir(&apt::host_mirror());
        if let Some(q) = read_root_info(&dir) {
            if !is_root() {
                return Err(Error::NeedRoot {
                    what: format!(
                        "running QEMU from the private root {} (chroot)",
                        dir.display()
                    ),
                    hint: format!(
                        "run phy-sim as root, or install QEMU >= 10.1 system-wide ({system})"
                    ),
                });
            }
            return Ok(q);
        }
        if !is_root() {
            return Err(Error::NoQemu {
                found: format!("{system}; setting up a private root needs root"),
            });
        }
        self.build_qemu_root(&dir, &apt::host_mirror())
    }

    /// The cache folder of the private root for `mirror`.
    pub(crate) fn qemu_root_dir(&self, mirror: &str) -> PathBuf {
        let key = Key::new(ROOT_RECIPE)
            .str("suites", &format!("{ROOT_SUITE} {ROOT_BACKPORTS}"))
            .str("packages", &ROOT_PACKAGES.join(" "))
            .str("mirror", mirror)
            .finish();
        self.cache_root().join(format!("qemu-{key}"))
    }

    /// Asks a QEMU binary for its version and devices.
    pub(crate) fn probe_qemu(&self, binary: &Path) -> Result<Probe, Error> {
        self.probe_qemu_with(binary, None, Command::new(binary), Command::new(binary))
    }

    fn probe_qemu_with(
        &self,
        binary: &Path,
        chroot: Option<&Path>,
        mut version_cmd: Command,
        mut help_cmd: Command,
    ) -> Result<Probe, Error> {
        let t = Duration::from_secs(30);
        let v = self
            .runner
            .capture("qemu --version", version_cmd.arg("--version"), t)?;
        let Some(version) = parse_qemu_version(&v.stdout) else {
            return Ok(Probe::Unusable(format!(
                "{} --version said {:?}",
                binary.display(),
                v.all().trim()
            )));
        };
        let (a, b, c) = version;
        if version < MIN_QEMU {
            return Ok(Probe::Unusable(format!(
                "{} is QEMU {a}.{b}.{c}, older than 10.1",
                binary.display()
            )));
        }
        let h = self.runner.capture(
            "qemu -device help",
            help_cmd.args(["-machine", "none", "-device", "help"]),
            t,
        )?;
        if !lists_vfio_user(&h.all()) {
            return Ok(Probe::Unusable(format!(
                "{} (QEMU {a}.{b}.{c}) was built without the vfio-user-pci device",
                binary.display()
            )));
        }
        Ok(Probe::Usable(Qemu {
            binary: binary.to_path_buf(),
            version,
            chroot: chroot.map(Path::to_path_buf),
        }))
    }

    fn build_qemu_root(&self, dir: &Path, mirror: &str) -> Result<Qemu, Error> {
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let _lock = cache::lock(self.cache_root(), &name, &self.runner)?;
        if let Some(q) = read_root_info(dir) {
            return Ok(q); // another run built it while we waited
        }
        self.ensure_host(DEBOOTSTRAP_NEEDS, "setting up the private QEMU root")?;
        self.runner.note(&format!(
            "setting up a private Debian trixie root with QEMU from trixie-backports in {} (about a minute, ~500 MB)",
            dir.display()
        ));
        let mut found = None;
        cache::build_atomically(dir, |tmp| {
            let root = tmp.join("root");
            fs::create_dir_all(&root).ctx("cannot create root folder", &root)?;
            // debootstrap mounts /proc and /sys inside the target: a private mount namespace
            // makes them vanish even if it is killed.
            self.runner.step_with_hint(
                "qemu root: debootstrap trixie",
                Command::new(which("unshare").unwrap_or_else(|| "unshare".into()))
                    .args(["--mount", "--propagation", "private", "--"])
                    .arg(which("debootstrap").unwrap_or_else(|| "debootstrap".into()))
                    .args(["--variant=minbase", ROOT_SUITE])
                    .arg(&root)
                    .arg(mirror)
                    .env("PATH", PATH_IN_ROOT),
                Duration::from_secs(20 * 60),
                "check the network and the mirror (taken from /etc/apt sources)",
            )?;
            let sources = format!(
                "Types: deb\nURIs: {mirror}\nSuites: {ROOT_BACKPORTS}\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
            );
            let sp = root.join("etc/apt/sources.list.d/phy-sim-backports.sources");
            fs::write(&sp, sources).ctx("cannot write apt sources in the root", &sp)?;
            if let Ok(resolv) = fs::read("/etc/resolv.conf") {
                let rp = root.join("etc/resolv.conf");
                let _ = fs::remove_file(&rp);
                fs::write(&rp, resolv).ctx("cannot write resolv.conf in the root", &rp)?;
            }
            let apt = |args: &[&str]| {
                let mut c = chroot_command(&root, &[], "apt-get");
                c.args(args)
                    .env("DEBIAN_FRONTEND", "noninteractive")
                    .env("LC_ALL", "C");
                c
            };
            self.runner.step(
                "qemu root: apt-get update",
                &mut apt(&["update"]),
                Duration::from_secs(10 * 60),
            )?;
            let mut install = vec![
                "install",
                "-y",
                "--no-install-recommends",
                "-t",
                ROOT_BACKPORTS,
            ];
            install.extend(ROOT_PACKAGES);
            self.runner.step(
                "qemu root: install qemu-system-x86 (trixie-backports)",
                &mut apt(&install),
                Duration::from_secs(30 * 60),
            )?;
            self.runner.step(
                "qemu root: apt-get clean",
                &mut apt(&["clean"]),
                Duration::from_secs(5 * 60),
            )?;
            let binary = Path::new(ROOT_QEMU);
            match self.probe_qemu_with(
                binary,
                Some(&root),
                chroot_command(&root, &[], ROOT_QEMU),
                chroot_command(&root, &[], ROOT_QEMU),
            )? {
                Probe::Usable(q) => {
                    let (a, b, c) = q.version;
                    let info = tmp.join("info");
                    fs::write(
                        &info,
                        format!("version={a}.{b}.{c}\nbinary={ROOT_QEMU}\nmirror={mirror}\n"),
                    )
                    .ctx("cannot write root info", &info)?;
                    found = Some(q.version);
                    Ok(())
                }
                Probe::Unusable(why) => Err(Error::NoQemu {
                    found: format!(
                        "the private trixie root got {why}; trixie-backports may have changed"
                    ),
                }),
            }
        })?;
        let version = found.expect("set on success");
        Ok(Qemu {
            binary: ROOT_QEMU.into(),
            version,
            chroot: Some(dir.join("root")),
        })
    }
}

/// A completed private root's QEMU (from its info file).
pub(crate) fn read_root_info(dir: &Path) -> Option<Qemu> {
    let info = fs::read_to_string(dir.join("info")).ok()?;
    let get = |k: &str| info.lines().find_map(|l| l.strip_prefix(&format!("{k}=")));
    let version = parse_version_triple(get("version")?)?;
    let binary = PathBuf::from(get("binary")?);
    let root = dir.join("root");
    root.join(binary.strip_prefix("/").ok()?)
        .exists()
        .then_some(Qemu {
            binary,
            version,
            chroot: Some(root),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_parsing() {
        assert_eq!(
            parse_qemu_version(
                "QEMU emulator version 11.1.3 (Debian 1:11.1.3+ds-1~bpo13+1)\nCopyright"
            ),
            Some((11, 1, 3))
        );
        assert_eq!(
            parse_qemu_version("QEMU emulator version 7.2.0 (Debian 1:7.2+dfsg-7+deb12u7)"),
            Some((7, 2, 0))
        );
        assert_eq!(
            parse_qemu_version("QEMU emulator version 10.1\n"),
            Some((10, 1, 0))
        );
        assert_eq!(parse_qemu_version("garbage"), None);
        assert!((10, 1, 0) >= MIN_QEMU && (10, 0, 9) < MIN_QEMU && (11, 0, 0) >= MIN_QEMU);
    }

    #[test]
    fn vfio_user_listing() {
        assert!(lists_vfio_user(
            "name \"vfio-pci\"\nname \"vfio-user-pci\", bus PCI, desc \"VFIO user\"\n"
        ));
        assert!(!lists_vfio_user("name \"vfio-pci\", bus PCI\n"));
    }

    #[test]
    fn chroot_script_binds_and_execs() {
        let d = tempfile::tempdir().unwrap();
        let file = d.path().join("img file");
        fs::write(&file, b"x").unwrap();
        let s = chroot_script(
            Path::new("/c/root"),
            &[d.path(), &file],
            "/usr/bin/qemu-system-x86_64",
        );
        assert!(s.contains("mount --bind /dev /c/root/dev\n"));
        assert!(s.contains("mount --bind /dev/pts /c/root/dev/pts\n"));
        let inside = format!("/c/root{}", d.path().display());
        assert!(s.contains(&format!(
            "mkdir -p {inside}\nmount --bind {} {inside}\n",
            d.path().display()
        )));
        assert!(s.contains(&format!("'/c/root{}'", file.display())));
        assert!(s.ends_with("phy-sim \"$PWD\" /usr/bin/qemu-system-x86_64 \"$@\"\n"));
    }

    #[test]
    fn root_info_roundtrip() {
        let d = tempfile::tempdir().unwrap();
        assert!(read_root_info(d.path()).is_none());
        fs::create_dir_all(d.path().join("root/usr/bin")).unwrap();
        fs::write(d.path().join("root/usr/bin/qemu-system-x86_64"), b"").unwrap();
        fs::write(
            d.path().join("info"),
            "version=11.1.3\nbinary=/usr/bin/qemu-system-x86_64\n",
        )
        .unwrap();
        let q = read_root_info(d.path()).unwrap();
        assert_eq!(q.version, (11, 1, 3));
        assert_eq!(q.chroot.as_deref(), Some(d.path().join("root").as_path()));
    }

    /// The chroot command really works (needs root and a trixie root with QEMU; set
    /// PHY_SIM_TEST_ROOT to such a root to run it).
    #[test]
    fn chroot_command_runs_when_a_root_is_given() {
        let Some(root) = std::env::var_os("PHY_SIM_TEST_ROOT") else {
            return;
        };
        let d = tempfile::tempdir().unwrap();
        fs::write(d.path().join("hello"), b"hi").unwrap();
        let out = chroot_command(Path::new(&root), &[d.path()], "/bin/cat")
            .arg(d.path().join("hello"))
            .output()
            .unwrap();
        assert_eq!(
            out.stdout,
            b"hi",
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
