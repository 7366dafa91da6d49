//! Debian package plumbing: the host's mirror, a private apt state for extra suites, and host
//! build dependencies.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use crate::cache::{self, Key};
use crate::error::{Error, IoContext};
use crate::util::{is_root, which};
use crate::Provisioner;

pub(crate) const FALLBACK_MIRROR: &str = "http://deb.debian.org/debian";
/// Debian's keyring on the host (bookworm's holds the trixie keys too).
const KEYRING: &str = "/usr/share/keyrings/debian-archive-keyring.gpg";
/// Package lists younger than this are not refreshed.
const LISTS_MAX_AGE: Duration = Duration::from_secs(24 * 3600);
const APT_UPDATE_TIMEOUT: Duration = Duration::from_secs(10 * 60);
const APT_INSTALL_TIMEOUT: Duration = Duration::from_secs(30 * 60);
const APT_DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(40 * 60);

const DEBIAN_SUITES: &[&str] = &[
    "buster",
    "bullseye",
    "bookworm",
    "trixie",
    "forky",
    "duke",
    "sid",
    "stable",
    "oldstable",
    "oldoldstable",
    "testing",
    "unstable",
];

/// The Debian mirror named in the host's apt sources, or deb.debian.org.
pub(crate) fn host_mirror() -> String {
    let mut files: Vec<(String, String)> = Vec::new();
    if let Ok(rd) = fs::read_dir("/etc/apt/sources.list.d") {
        let mut paths: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if let Ok(t) = fs::read_to_string(&p) {
                files.push((p.to_string_lossy().into_owned(), t));
            }
        }
    }
    if let Ok(t) = fs::read_to_string("/etc/apt/sources.list") {
        files.push(("/etc/apt/sources.list".into(), t));
    }
    mirror_from_sources(&files).unwrap_or_else(|| FALLBACK_MIRROR.to_string())
}

/// Picks the Debian archive mirror from apt source files (`(file name, content)`): deb822
/// `.sources` and one-line `.list` formats; the first enabled `deb` entry over http(s) whose
/// suites are Debian's (not -security) wins.
pub(crate) fn mirror_from_sources(files: &[(String, String)]) -> Option<String> {
    let mut entries: Vec<(String, Vec<String>)> = Vec::new(); // (uri, suites)
                                                              // deb822 first (the modern default), then one-line files.
    for (name, text) in files.iter().filter(|(n, _)| n.ends_with(".sources")) {
        let _ = name;
        entries.extend(parse_deb822(text));
    }
    for (_, text) in files.iter().filter(|(n, _)| n.ends_with(".list")) {
        entries.extend(parse_one_line(text));
    }
    entries.into_iter().find_map(|(uri, suites)| {
        let debian_suites = !suites.is_empty()
            && suites.iter().all(|s| {
                let base = s.split(['-', '/']).next().unwrap_or("");
                DEBIAN_SUITES.contains(&base) && !s.contains("security")
            });
        let web = uri.starts_with("http://") || uri.starts_with("https://");
        (debian_suites && web && !uri.contains("security"))
            .then(|| uri.trim_end_matches('/').to_string())
    })
}

fn parse_deb822(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for para in text.split("\n\n").flat_map(|p| p.split("\r\n\r\n")) {
        let mut fields: Vec<(String, String)> = Vec::new();
        for line in para.lines() {
            if line.trim_start().starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if line.starts_with(' ') || line.starts_with('\t') {
                if let Some(last) = fields.last_mut() {
                    last.1.push(' ');
                    last.1.push_str(line.trim());
                }
            } else if let Some((k, v)) = line.split_once(':') {
                fields.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let get = |k: &str| fields.iter().find(|(f, _)| f == k).map(|(_, v)| v.as_str());
        if get("enabled").is_some_and(|v| v.eq_ignore_ascii_case("no")) {
            continue;
        }
        if !get("types")
            .unwrap_or("")
            .split_whitespace()
            .any(|t| t == "deb")
        {
            continue;
        }
        let suites: Vec<String> = get("suites")
            .unwrap_or("")
            .split_whitespace()
            .map(String::from)
            .collect();
        for uri in get("uris").unwrap_or("").split_whitespace() {
            out.push((uri.to_string(), suites.clone()));
        }
    }
    out
}

fn parse_one_line(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        let mut rest = match line
            .strip_prefix("deb ")
            .or_else(|| line.strip_prefix("deb\t"))
        {
            Some(r) => r.trim_start(),
            None => continue,
        };
        if rest.starts_with('[') {
            match rest.find(']') {
                Some(i) => rest = rest[i + 1..].trim_start(),
                None => continue,
            }
        }
        let mut words = rest.split_whitespace();
        if let (Some(uri), Some(suite)) = (words.next(), words.next()) {
            out.push((uri.to_string(), vec![suite.to_string()]));
        }
    }
    out
}

/// The "Candidate:" version in `apt-cache policy PKG` output.
pub(crate) fn parse_candidate(policy: &str) -> Option<String> {
    policy
        .lines()
        .find_map(|l| l.trim().strip_prefix("Candidate:"))
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty() && v != "(none)")
}

/// A private apt state (sources, lists, cache) under the cache root: lets us see other suites
/// without touching /etc/apt.
pub(crate) struct PrivateApt {
    pub dir: PathBuf,
}

impl PrivateApt {
    /// The private state for `suites` of `mirror`, created if needed.
    pub(crate) fn new(p: &Provisioner, mirror: &str, suites: &[&str]) -> Result<Self, Error> {
        let key = Key::new("apt-state-v1")
            .str("mirror", mirror)
            .str("suites", &suites.join(" "))
            .finish();
        let dir = p.cache_root().join(format!("apt-{key}"));
        for sub in ["sources", "lists/partial", "cache/archives/partial"] {
            fs::create_dir_all(dir.join(sub)).ctx("cannot create private apt folder", &dir)?;
        }
        let sources = format!(
            "# Written by phy-sim: a private apt state, independent of /etc/apt.\n\
             Types: deb\nURIs: {mirror}\nSuites: {}\nComponents: main\nSigned-By: {KEYRING}\n",
            suites.join(" ")
        );
        let path = dir.join("sources/phy-sim.sources");
        if fs::read_to_string(&path).ok().as_deref() != Some(sources.as_str()) {
            cache::write_atomically(&path, sources.as_bytes())?;
        }
        Ok(PrivateApt { dir })
    }

    fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.arg("-o")
            .arg("Dir::Etc::sourcelist=/dev/null")
            .arg("-o")
            .arg(format!(
                "Dir::Etc::sourceparts={}",
                self.dir.join("sources").display()
            ))
            .arg("-o")
            .arg(format!(
                "Dir::State::Lists={}",
                self.dir.join("lists").display()
            ))
            .arg("-o")
            .arg(format!("Dir::Cache={}", self.dir.join("cache").display()));
        if is_root() {
            // The _apt sandbox user usually cannot reach a cache under /root.
            c.arg("-o").arg("APT::Sandbox::User=root");
        }
        c.env("LC_ALL", "C")
            .env("DEBIAN_FRONTEND", "noninteractive");
        c
    }

    /// Age of the last successful `apt-get update` (apt dates list files by the archive's
    /// Release time, so we keep our own stamp), or None when there are no lists.
    fn lists_age(&self) -> Option<Duration> {
        let has_lists = fs::read_dir(self.dir.join("lists"))
            .ok()?
            .flatten()
            .any(|e| e.file_name().to_string_lossy().contains("_Packages"));
        if !has_lists {
            return None;
        }
        let stamp = fs::metadata(self.dir.join("updated")).and_then(|m| m.modified());
        Some(
            stamp
                .ok()
                .and_then(|t| SystemTime::now().duration_since(t).ok())
                .unwrap_or(Duration::MAX),
        )
    }

    /// Refreshes the package lists when missing or older than a day. When a refresh fails but
    /// older lists exist, goes on with them (offline runs).
    pub(crate) fn ensure_lists(&self, p: &Provisioner) -> Result<(), Error> {
        require_apt()?;
        let age = self.lists_age();
        if age.is_some_and(|a| a < LISTS_MAX_AGE) {
            return Ok(());
        }
        let r = p.runner.step_with_hint(
            "apt: update private package lists",
            self.command("apt-get").arg("update"),
            APT_UPDATE_TIMEOUT,
            "check the network and the mirror (taken from /etc/apt sources)",
        );
        if r.is_ok() {
            let stamp = self.dir.join("updated");
            fs::write(&stamp, b"").ctx("cannot write update stamp", &stamp)?;
        }
        match r {
            Err(e) if age.is_some() => {
                tracing::warn!("could not refresh package lists, using the old ones: {e}");
                Ok(())
            }
            r => r.map(|_| ()),
        }
    }

    /// The version apt would download for `package`.
    pub(crate) fn candidate(&self, p: &Provisioner, package: &str) -> Result<String, Error> {
        let c = p.runner.capture(
            "apt-cache policy",
            self.command("apt-cache").args(["policy", package]),
            Duration::from_secs(60),
        )?;
        parse_candidate(&c.stdout).ok_or_else(|| Error::Package {
            package: package.into(),
            reason: format!(
                "not found in the private package lists ({}); check that the mirror serves it, or delete that folder to refetch the lists",
                self.dir.display()
            ),
        })
    }

    /// Downloads `package=version` into `dest` and returns the .deb path.
    pub(crate) fn download(
        &self,
        p: &Provisioner,
        package: &str,
        version: &str,
        dest: &Path,
    ) -> Result<PathBuf, Error> {
        p.runner.step_with_hint(
            &format!("apt: download {package} {version}"),
            self.command("apt-get")
                .args(["download", &format!("{package}={version}")])
                .current_dir(dest),
            APT_DOWNLOAD_TIMEOUT,
            "check the network; the download is retried from scratch on the next run",
        )?;
        fs::read_dir(dest)
            .ctx("cannot list download folder", dest)?
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "deb"))
            .ok_or_else(|| Error::Package {
                package: package.into(),
                reason: "apt-get download reported success but left no .deb; run again".into(),
            })
    }
}

fn require_apt() -> Result<(), Error> {
    if which("apt-get").is_none() || which("apt-cache").is_none() {
        return Err(Error::Unexpected {
            what: "fetching Debian packages".into(),
            detail: "apt-get is not available on this host".into(),
            hint: "use a kernel tree (KernelSource::Tree) or a prebuilt bzImage (KernelSource::Image) instead".into(),
        });
    }
    Ok(())
}

/// A host tool and the Debian package that provides it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct HostNeed {
    pub what: &'static str,
    pub check: Check,
    pub package: &'static str,
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Check {
    Program(&'static str),
    File(&'static str),
}

impl HostNeed {
    pub(crate) fn present(&self) -> bool {
        match self.check {
            Check::Program(p) => which(p).is_some(),
            Check::File(f) => Path::new(f).exists(),
        }
    }
}

const fn need(what: &'static str, check: Check, package: &'static str) -> HostNeed {
    HostNeed {
        what,
        check,
        package,
    }
}

/// What building a kernel (and its out-of-tree modules) needs on the host.
pub(crate) const KERNEL_BUILD_NEEDS: &[HostNeed] = &[
    need("make", Check::Program("make"), "make"),
    need("gcc", Check::Program("gcc"), "gcc"),
    need("flex", Check::Program("flex"), "flex"),
    need("bison", Check::Program("bison"), "bison"),
    need("bc", Check::Program("bc"), "bc"),
    need("cpio", Check::Program("cpio"), "cpio"),
    need("perl", Check::Program("perl"), "perl"),
    need(
        "libelf headers",
        Check::File("/usr/include/gelf.h"),
        "libelf-dev",
    ),
    need(
        "OpenSSL headers",
        Check::File("/usr/include/openssl/ssl.h"),
        "libssl-dev",
    ),
];

/// What unpacking a Debian linux-source package needs.
pub(crate) const DEB_UNPACK_NEEDS: &[HostNeed] = &[
    need("dpkg", Check::Program("dpkg"), "dpkg"),
    need("xz", Check::Program("xz"), "xz-utils"),
    need("tar", Check::Program("tar"), "tar"),
];

pub(crate) const DEBOOTSTRAP_NEEDS: &[HostNeed] = &[
    need("debootstrap", Check::Program("debootstrap"), "debootstrap"),
    need(
        "Debian archive keyring",
        Check::File(KEYRING),
        "debian-archive-keyring",
    ),
    need("unshare", Check::Program("unshare"), "util-linux"),
];

pub(crate) const BUSYBOX_NEEDS: &[HostNeed] = &[need(
    "static busybox",
    Check::File("/bin/busybox"),
    "busybox-static",
)];

/// The packages of `needs` that are missing.
pub(crate) fn missing(needs: &[HostNeed]) -> Vec<HostNeed> {
    needs.iter().filter(|n| !n.present()).copied().collect()
}

impl Provisioner {
    /// Makes sure the host tools are there: installs the missing ones with apt-get when root,
    /// else fails naming the packages.
    pub(crate) fn ensure_host(&self, needs: &[HostNeed], purpose: &str) -> Result<(), Error> {
        self.ensure_host_packages(&missing(needs), purpose)
    }

    /// Installs the packages of `missing` (as root), else fails naming them; used directly where
    /// "present" is not enough (a dynamic busybox where a static one is needed).
    pub(crate) fn ensure_host_packages(
        &self,
        missing: &[HostNeed],
        purpose: &str,
    ) -> Result<(), Error> {
        if missing.is_empty() {
            return Ok(());
        }
        let mut packages: Vec<String> = missing.iter().map(|n| n.package.to_string()).collect();
        packages.dedup();
        let what = missing
            .iter()
            .map(|n| n.what)
            .collect::<Vec<_>>()
            .join(", ");
        if !is_root() || which("apt-get").is_none() {
            return Err(Error::MissingHostPackages {
                what: format!("{what}, for {purpose}"),
                packages,
            });
        }
        self.runner.note(&format!(
            "installing host packages for {purpose}: {}",
            packages.join(" ")
        ));
        let install = |runner: &crate::run::Runner| {
            runner.step(
                &format!("apt-get install {}", packages.join(" ")),
                Command::new("apt-get")
                    .args(["install", "-y", "--no-install-recommends"])
                    .args(&packages)
                    .env("DEBIAN_FRONTEND", "noninteractive"),
                APT_INSTALL_TIMEOUT,
            )
        };
        if install(&self.runner).is_err() {
            // Often just stale lists: refresh and try once more.
            self.runner.step(
                "apt-get update",
                Command::new("apt-get").arg("update"),
                APT_UPDATE_TIMEOUT,
            )?;
            install(&self.runner)?;
        }
        let still: Vec<HostNeed> = crate::apt::missing(missing);
        if !still.is_empty() {
            return Err(Error::MissingHostPackages {
                what: format!(
                    "{} still missing after apt-get install",
                    still.iter().map(|n| n.what).collect::<Vec<_>>().join(", ")
                ),
                packages: still.iter().map(|n| n.package.to_string()).collect(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(name: &str, text: &str) -> (String, String) {
        (name.to_string(), text.to_string())
    }

    #[test]
    fn mirror_from_deb822_skips_security_and_others() {
        let files = [
            f(
                "/etc/apt/sources.list.d/a-google.list",
                "deb https://packages.cloud.google.com/apt cloud-sdk-bookworm main\n",
            ),
            f(
                "/etc/apt/sources.list.d/debian.sources",
                "Types: deb\n# http://snapshot.debian.org/archive/debian-security/2025\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\nComponents: main\n\n\
                 Types: deb deb-src\n# comment\nURIs: http://mirror.example/debian/\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n",
            ),
            f(
                "/etc/apt/sources.list.d/nodesource.sources",
                "Types: deb\nURIs: https://deb.nodesource.com/node_20.x\nSuites: nodistro\nComponents: main\n",
            ),
        ];
        assert_eq!(
            mirror_from_sources(&files).as_deref(),
            Some("http://mirror.example/debian")
        );
    }

    #[test]
    fn mirror_disabled_and_one_line() {
        let files = [
            f(
                "/etc/apt/sources.list.d/x.sources",
                "Enabled: no\nTypes: deb\nURIs: http://off.example/debian\nSuites: bookworm\n",
            ),
            f(
                "/etc/apt/sources.list",
                "# deb http://commented.example/debian bookworm main\n\
                 deb-src http://src.example/debian bookworm main\n\
                 deb http://security.debian.org/debian-security bookworm-security main\n\
                 deb [arch=amd64 signed-by=/k.gpg] https://ftp.example.org/debian/ bookworm main contrib\n",
            ),
        ];
        assert_eq!(
            mirror_from_sources(&files).as_deref(),
            Some("https://ftp.example.org/debian")
        );
    }

    #[test]
    fn mirror_none_for_foreign_distros() {
        let files = [f(
            "/etc/apt/sources.list",
            "deb http://archive.ubuntu.com/ubuntu noble main\n",
        )];
        assert_eq!(mirror_from_sources(&files), None);
    }

    #[test]
    fn multi_uri_continuation() {
        let files = [f(
            "/etc/apt/sources.list.d/d.sources",
            "Types: deb\nURIs: cdrom:/x\n http://m.example/debian\nSuites: trixie\n",
        )];
        assert_eq!(
            mirror_from_sources(&files).as_deref(),
            Some("http://m.example/debian")
        );
    }

    #[test]
    fn candidate_parsing() {
        let out = "linux-source-7.3:\n  Installed: (none)\n  Candidate: 7.3.4-1~bpo13+1\n  Version table:\n     7.3.4-1~bpo13+1 100\n";
        assert_eq!(parse_candidate(out).as_deref(), Some("7.3.4-1~bpo13+1"));
        assert_eq!(
            parse_candidate("x:\n  Installed: (none)\n  Candidate: (none)\n"),
            None
        );
        assert_eq!(parse_candidate(""), None);
    }
}
