//! The guest kernel: Debian's linux-source built with the phy-sim fragment, a local tree built
//! out of tree (incrementally), or a user's own bzImage.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::apt::{self, PrivateApt, DEB_UNPACK_NEEDS, KERNEL_BUILD_NEEDS};
use crate::cache::{self, Key};
use crate::error::{Error, IoContext};
use crate::util::{bzimage_version, nproc};
use crate::Provisioner;

/// The Debian package whose source we build.
pub const KERNEL_PACKAGE: &str = "linux-source-7.3";
/// The suite it comes from.
pub const KERNEL_SUITE: &str = "trixie-backports";
/// Bump when the kernel recipe (config steps, make targets) changes.
const KERNEL_RECIPE: &str = "kernel-recipe-v1";
/// Where kernel/configs/kvm_guest.config lives in a tree.
const KVM_GUEST_CONFIG: &str = "kernel/configs/kvm_guest.config";
/// The fragment file name written into each build folder.
const FRAGMENT_FILE: &str = "phy-sim.config";
/// The file in a Tree build folder holding the recipe hash its .config was made with.
const RECIPE_STAMP: &str = ".phy-sim-recipe";
/// The description file in a Debian kernel's build folder.
const DESCRIPTION_FILE: &str = "phy-sim-kernel.txt";

const CONFIG_TIMEOUT: Duration = Duration::from_secs(10 * 60);
const BUILD_TIMEOUT: Duration = Duration::from_secs(3 * 3600);
const UNPACK_TIMEOUT: Duration = Duration::from_secs(20 * 60);

/// Where the guest kernel comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KernelSource {
    /// Debian's linux-source-7.3 (trixie-backports), built with the phy-sim fragment.
    Debian,
    /// A kernel source tree, built out of tree into the cache (incremental).
    Tree(PathBuf),
    /// A prebuilt bzImage (inside its build tree if modules are to be built against it).
    Image(PathBuf),
}

/// A guest kernel ready to boot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kernel {
    pub bzimage: PathBuf,
    /// The build folder (O=) to build out-of-tree modules against, when known.
    pub build_dir: Option<PathBuf>,
    /// `uname -r` of the kernel.
    pub release: String,
    /// Where it came from, for humans.
    pub description: String,
}

impl Kernel {
    /// What identifies this kernel for caches: the bzImage content hash and the build folder.
    pub fn identity(&self) -> Result<String, Error> {
        Ok(format!(
            "{} {} {}",
            self.release,
            cache::hash_file(&self.bzimage)?,
            self.build_dir
                .as_deref()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        ))
    }
}

/// Options of the fragment (`CONFIG_X=value` and `# CONFIG_X is not set` lines) missing or
/// different in a .config. Each is returned as its fragment line, e.g. `CONFIG_SFP=y`.
pub fn missing_kernel_options(config: &Path, fragment: &str) -> Result<Vec<String>, Error> {
    let text = fs::read_to_string(config).ctx("cannot read kernel config", config)?;
    Ok(missing_options_in(&text, fragment))
}

/// `CONFIG_X` -> value ("y", "m", "\"str\"", ...; "n" for "is not set").
fn parse_config(text: &str) -> HashMap<String, String> {
    let mut m = HashMap::new();
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("# ") {
            if let Some(name) = rest.strip_suffix(" is not set") {
                if name.starts_with("CONFIG_") {
                    m.insert(name.to_string(), "n".to_string());
                }
            }
        } else if line.starts_with("CONFIG_") {
            if let Some((k, v)) = line.split_once('=') {
                m.insert(k.trim().to_string(), v.trim().to_string());
            }
        }
    }
    m
}

pub(crate) fn missing_options_in(config: &str, fragment: &str) -> Vec<String> {
    let have = parse_config(config);
    let want = fragment.lines().map(str::trim).filter(|l| {
        l.starts_with("CONFIG_") || (l.starts_with("# CONFIG_") && l.ends_with(" is not set"))
    });
    let mut out = Vec::new();
    for line in want {
        let one = parse_config(line);
        let Some((name, value)) = one.into_iter().next() else {
            continue;
        };
        let got = have.get(&name).map(String::as_str).unwrap_or("n");
        if got != value && !out.contains(&line.to_string()) {
            out.push(line.to_string());
        }
    }
    out
}

/// Walks up from a bzImage to its build folder: the first ancestor with .config, Makefile and
/// Module.symvers or include/generated.
pub(crate) fn find_build_dir(bzimage: &Path) -> Option<PathBuf> {
    bzimage.ancestors().skip(1).find_map(|d| {
        let ok = d.join(".config").is_file()
            && d.join("Makefile").is_file()
            && (d.join("Module.symvers").is_file() || d.join("include/generated").is_dir());
        ok.then(|| d.to_path_buf())
    })
}

/// The kernel release of a build folder, else of the bzImage header.
fn release_of(bzimage: &Path, build_dir: Option<&Path>) -> Result<String, Error> {
    if let Some(d) = build_dir {
        if let Ok(r) = fs::read_to_string(d.join("include/config/kernel.release")) {
            if !r.trim().is_empty() {
                return Ok(r.trim().to_string());
            }
        }
    }
    let bytes = fs::read(bzimage).ctx("cannot read bzImage", bzimage)?;
    bzimage_version(&bytes)
        .and_then(|v| v.split_whitespace().next().map(String::from))
        .ok_or_else(|| Error::Kernel {
            path: bzimage.to_path_buf(),
            reason: "not an x86 bzImage (no setup header version); pass arch/x86/boot/bzImage of a built tree".into(),
        })
}

/// Removes make's job-server and recursion variables a parent make/cargo may have left.
fn make_command(src: &Path, out: &Path) -> Command {
    let mut c = Command::new("make");
    c.arg("-C")
        .arg(src)
        .arg(format!("O={}", out.display()))
        .env_remove("MAKEFLAGS")
        .env_remove("MFLAGS")
        .env_remove("MAKELEVEL")
        .env_remove("ARCH")
        .env_remove("CROSS_COMPILE")
        .env("LC_ALL", "C");
    c
}

impl Provisioner {
    /// The guest kernel from `source` (building it when needed).
    pub fn kernel(&self, source: &KernelSource) -> Result<Kernel, Error> {
        match source {
            KernelSource::Debian => self.debian_kernel(),
            KernelSource::Tree(dir) => self.tree_kernel(dir),
            KernelSource::Image(path) => self.image_kernel(path),
        }
    }

    /// Hash of what makes a .config: the fragment and the recipe.
    fn config_recipe(&self) -> String {
        Key::new(KERNEL_RECIPE)
            .str("fragment", &self.fragment)
            .finish()
    }

    /// tinyconfig + kvm_guest.config + the fragment, olddefconfig, then checks that every
    /// fragment option survived.
    fn configure_kernel(&self, src: &Path, out: &Path, label: &str) -> Result<(), Error> {
        self.runner.step(
            &format!("{label}: make tinyconfig"),
            make_command(src, out).arg("tinyconfig"),
            CONFIG_TIMEOUT,
        )?;
        let frag = out.join(FRAGMENT_FILE);
        fs::write(&frag, &self.fragment).ctx("cannot write the config fragment", &frag)?;
        let mut merge = Command::new("bash");
        merge
            .arg(src.join("scripts/kconfig/merge_config.sh"))
            .args(["-m", "-O"])
            .arg(out)
            .arg(out.join(".config"));
        if src.join(KVM_GUEST_CONFIG).is_file() {
            merge.arg(KVM_GUEST_CONFIG);
        } else {
            tracing::warn!(
                "{} has no {KVM_GUEST_CONFIG}; merging only the phy-sim fragment",
                src.display()
            );
        }
        merge.arg(&frag).current_dir(src).env("LC_ALL", "C");
        self.runner.step(
            &format!("{label}: merge config fragments"),
            &mut merge,
            CONFIG_TIMEOUT,
        )?;
        self.runner.step(
            &format!("{label}: make olddefconfig"),
            make_command(src, out).arg("olddefconfig"),
            CONFIG_TIMEOUT,
        )?;
        let config = out.join(".config");
        let missing = missing_kernel_options(&config, &self.fragment)?;
        if !missing.is_empty() {
            return Err(Error::KernelOptions { config, missing });
        }
        Ok(())
    }

    fn build_kernel(&self, src: &Path, out: &Path, label: &str) -> Result<(), Error> {
        // `modules` also writes Module.symvers, so out-of-tree modules link-check their symbols.
        self.runner.step_with_hint(
            &format!("{label}: make bzImage modules"),
            make_command(src, out)
                .arg(format!("-j{}", nproc()))
                .args(["bzImage", "modules", "modules_prepare"]),
            BUILD_TIMEOUT,
            "a compile error in a patched tree shows above; for a missing tool, install the kernel build dependencies (flex bison bc libelf-dev libssl-dev)",
        )?;
        Ok(())
    }

    fn debian_kernel(&self) -> Result<Kernel, Error> {
        let mirror = apt::host_mirror();
        let apt = PrivateApt::new(self, &mirror, &[KERNEL_SUITE])?;
        let version = {
            let _l = cache::lock(self.cache_root(), &dir_name(&apt.dir), &self.runner)?;
            apt.ensure_lists(self)?;
            apt.candidate(self, KERNEL_PACKAGE)?
        };
        let key = Key::new(KERNEL_RECIPE)
            .str("package", KERNEL_PACKAGE)
            .str("version", &version)
            .str("fragment", &self.fragment)
            .finish();
        let out = self.cache_root().join(format!("kernel-debian-{key}"));
        let description = format!(
            "Debian {KERNEL_PACKAGE} {version} ({KERNEL_SUITE}), tinyconfig + kvm_guest.config + phy-sim fragment"
        );
        if !out.join(DESCRIPTION_FILE).is_file() {
            self.ensure_host(KERNEL_BUILD_NEEDS, "building the guest kernel")?;
            let _l = cache::lock(self.cache_root(), &dir_name(&out), &self.runner)?;
            if !out.join(DESCRIPTION_FILE).is_file() {
                let src = self.debian_source(&apt, &version)?;
                self.runner.note(&format!(
                    "building the guest kernel ({description}) in {}; about 4 minutes on 2 cores",
                    out.display()
                ));
                cache::build_atomically(&out, |tmp| {
                    self.configure_kernel(&src, tmp, "kernel")?;
                    self.build_kernel(&src, tmp, "kernel")?;
                    // The generated Makefile names O= absolutely: point it at the final folder.
                    let mk = tmp.join("Makefile");
                    let text =
                        fs::read_to_string(&mk).ctx("cannot read generated Makefile", &mk)?;
                    let fixed =
                        text.replace(&tmp.display().to_string(), &out.display().to_string());
                    fs::write(&mk, fixed).ctx("cannot rewrite generated Makefile", &mk)?;
                    let df = tmp.join(DESCRIPTION_FILE);
                    fs::write(&df, format!("{description}\n"))
                        .ctx("cannot write kernel description", &df)
                })?;
            }
        }
        let bzimage = out.join("arch/x86/boot/bzImage");
        Ok(Kernel {
            release: release_of(&bzimage, Some(&out))?,
            bzimage,
            build_dir: Some(out),
            description,
        })
    }

    /// The unpacked Debian source tree of `KERNEL_PACKAGE` `version` (downloaded once).
    fn debian_source(&self, apt: &PrivateApt, version: &str) -> Result<PathBuf, Error> {
        let key = Key::new("linux-source-v1")
            .str("package", KERNEL_PACKAGE)
            .str("version", version)
            .finish();
        let dir = self.cache_root().join(format!("linux-src-{key}"));
        let tree = dir.join(KERNEL_PACKAGE);
        if tree.join("Makefile").is_file() {
            return Ok(tree);
        }
        self.ensure_host(DEB_UNPACK_NEEDS, "unpacking the kernel source")?;
        let _l = cache::lock(self.cache_root(), &dir_name(&dir), &self.runner)?;
        if tree.join("Makefile").is_file() {
            return Ok(tree);
        }
        cache::build_atomically(&dir, |tmp| {
            let dl = tmp.join("download");
            fs::create_dir_all(&dl).ctx("cannot create download folder", &dl)?;
            let deb = apt.download(self, KERNEL_PACKAGE, version, &dl)?;
            let x = tmp.join("deb");
            self.runner.step(
                "kernel source: dpkg -x",
                Command::new("dpkg").arg("-x").arg(&deb).arg(&x),
                UNPACK_TIMEOUT,
            )?;
            let tarball = find_tarball(&x.join("usr/src")).ok_or_else(|| Error::Package {
                package: KERNEL_PACKAGE.into(),
                reason:
                    "no usr/src/linux-source-*.tar.* inside the package; the package layout changed"
                        .into(),
            })?;
            self.runner.step(
                "kernel source: untar",
                Command::new("tar")
                    .arg("-xf")
                    .arg(&tarball)
                    .arg("-C")
                    .arg(tmp),
                UNPACK_TIMEOUT,
            )?;
            fs::remove_dir_all(&x).ctx("cannot clean up", &x)?;
            fs::remove_dir_all(&dl).ctx("cannot clean up", &dl)?;
            let info = tmp.join("info");
            fs::write(
                &info,
                format!("package={KERNEL_PACKAGE}\nversion={version}\n"),
            )
            .ctx("cannot write info", &info)?;
            if !tmp.join(KERNEL_PACKAGE).join("Makefile").is_file() {
                return Err(Error::Package {
                    package: KERNEL_PACKAGE.into(),
                    reason: format!("the tarball did not unpack to {KERNEL_PACKAGE}/; the package layout changed"),
                });
            }
            Ok(())
        })?;
        Ok(tree)
    }

    fn tree_kernel(&self, dir: &Path) -> Result<Kernel, Error> {
        let src = fs::canonicalize(dir).ctx("kernel tree not found", dir)?;
        if !src.join("Makefile").is_file() || !src.join("scripts/kconfig/merge_config.sh").is_file()
        {
            return Err(Error::Kernel {
                path: src,
                reason: "not a Linux source tree (no Makefile or scripts/kconfig/merge_config.sh)"
                    .into(),
            });
        }
        if src.join(".config").exists() || src.join("include/config").exists() {
            return Err(Error::Kernel {
                path: src.clone(),
                reason: format!(
                    "the tree has been configured or built in place, which blocks out-of-tree builds; run `make -C {} mrproper` (saves nothing you need: phy-sim builds into its cache)",
                    src.display()
                ),
            });
        }
        self.ensure_host(KERNEL_BUILD_NEEDS, "building the guest kernel")?;
        let key = Key::new("kbuild-v1")
            .str("tree", &src.to_string_lossy())
            .finish();
        let out = self.cache_root().join(format!("kbuild-{key}"));
        let _l = cache::lock(self.cache_root(), &dir_name(&out), &self.runner)?;
        fs::create_dir_all(&out).ctx("cannot create build folder", &out)?;
        let stamp = out.join(RECIPE_STAMP);
        let recipe = self.config_recipe();
        let label = format!(
            "kernel tree {}",
            src.file_name().unwrap_or_default().to_string_lossy()
        );
        if fs::read_to_string(&stamp).ok().as_deref() != Some(recipe.as_str())
            || !out.join(".config").is_file()
        {
            // Stamp first removed: an interrupted reconfigure is redone next time.
            let _ = fs::remove_file(&stamp);
            self.configure_kernel(&src, &out, &label)?;
            fs::write(&stamp, &recipe).ctx("cannot write recipe stamp", &stamp)?;
        }
        self.build_kernel(&src, &out, &label)?;
        let bzimage = out.join("arch/x86/boot/bzImage");
        Ok(Kernel {
            release: release_of(&bzimage, Some(&out))?,
            bzimage,
            build_dir: Some(out),
            description: format!(
                "kernel tree {} (tinyconfig + kvm_guest.config + phy-sim fragment)",
                src.display()
            ),
        })
    }

    fn image_kernel(&self, path: &Path) -> Result<Kernel, Error> {
        let bzimage = fs::canonicalize(path).ctx("kernel image not found", path)?;
        let build_dir = find_build_dir(&bzimage);
        let release = release_of(&bzimage, build_dir.as_deref())?;
        let mut description = format!("user kernel image {}", bzimage.display());
        match &build_dir {
            Some(d) => {
                let missing = missing_kernel_options(&d.join(".config"), &self.fragment)?;
                if !missing.is_empty() {
                    tracing::warn!(
                        "{}/.config lacks {} option(s) of the phy-sim fragment: {}; scenarios that need them will fail",
                        d.display(),
                        missing.len(),
                        missing.join(", ")
                    );
                    description.push_str(&format!(
                        " (lacks {} phy-sim option(s): {})",
                        missing.len(),
                        missing.join(", ")
                    ));
                }
            }
            None => {
                tracing::warn!(
                    "no build tree around {} (.config + Makefile + include/generated): the board driver cannot be built against it",
                    bzimage.display()
                );
                description.push_str(" (no build tree: modules cannot be built)");
            }
        }
        Ok(Kernel {
            bzimage,
            build_dir,
            release,
            description,
        })
    }
}

fn dir_name(p: &Path) -> String {
    p.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

fn find_tarball(dir: &Path) -> Option<PathBuf> {
    fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            let n = p.file_name().unwrap_or_default().to_string_lossy();
            n.starts_with("linux-source") && n.contains(".tar")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_options() {
        let config =
            "CONFIG_A=y\nCONFIG_B=m\n# CONFIG_C is not set\nCONFIG_S=\"x\"\nCONFIG_N=0x10\n";
        let fragment = "# comment\nCONFIG_A=y\nCONFIG_B=y\nCONFIG_C=y\nCONFIG_D=y\n# CONFIG_A is not set\n# CONFIG_E is not set\nCONFIG_S=\"x\"\nCONFIG_N=0x10\n\nCONFIG_A=y\n";
        assert_eq!(
            missing_options_in(config, fragment),
            vec![
                "CONFIG_B=y",
                "CONFIG_C=y",
                "CONFIG_D=y",
                "# CONFIG_A is not set"
            ]
        );
    }

    #[test]
    fn the_project_fragment_parses() {
        let lines = crate::KERNEL_FRAGMENT
            .lines()
            .filter(|l| l.starts_with("CONFIG_"))
            .count();
        assert!(lines > 20);
        // Everything is missing from an empty config; nothing from the fragment itself.
        assert_eq!(
            missing_options_in("", crate::KERNEL_FRAGMENT).len(),
            lines_unique(crate::KERNEL_FRAGMENT)
        );
        assert!(missing_options_in(crate::KERNEL_FRAGMENT, crate::KERNEL_FRAGMENT).is_empty());
        assert!(crate::KERNEL_FRAGMENT.contains("CONFIG_SFP=y"));
    }

    fn lines_unique(f: &str) -> usize {
        let mut v: Vec<&str> = f
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("CONFIG_"))
            .collect();
        v.sort();
        v.dedup();
        v.len()
    }

    #[test]
    fn missing_options_from_file() {
        let d = tempfile::tempdir().unwrap();
        let c = d.path().join(".config");
        fs::write(&c, "CONFIG_X=y\n").unwrap();
        assert_eq!(
            missing_kernel_options(&c, "CONFIG_X=y\nCONFIG_Y=y").unwrap(),
            vec!["CONFIG_Y=y"]
        );
        assert!(missing_kernel_options(&d.path().join("nope"), "").is_err());
    }

    /// A fake kernel tree whose Makefile mimics the targets the recipe uses.
    fn fake_tree(dir: &Path) {
        fs::create_dir_all(dir.join("scripts/kconfig")).unwrap();
        fs::write(
            dir.join("Makefile"),
            "tinyconfig:\n\techo CONFIG_TINY=y > $(O)/.config\n\techo x >> $(O)/configured\n\
             olddefconfig:\n\tsed -i /CONFIG_DROPPED/d $(O)/.config\n\
             bzImage:\n\tmkdir -p $(O)/arch/x86/boot $(O)/include/config\n\
             \techo 7.3.0-fake > $(O)/include/config/kernel.release\n\
             \techo img > $(O)/arch/x86/boot/bzImage\n\techo x >> $(O)/built\n\
             modules modules_prepare:\n\t@true\n",
        )
        .unwrap();
        fs::write(
            dir.join("scripts/kconfig/merge_config.sh"),
            "shift 3\nbase=$1; shift\nfor f; do cat \"$f\" >> \"$base\"; done\n",
        )
        .unwrap();
    }

    fn count(p: &Path) -> usize {
        fs::read_to_string(p)
            .map(|s| s.lines().count())
            .unwrap_or(0)
    }

    #[test]
    fn tree_builds_reconfigure_only_when_the_recipe_changes() {
        if !crate::apt::missing(KERNEL_BUILD_NEEDS).is_empty() {
            return; // no build tools here; nothing to check against
        }
        let d = tempfile::tempdir().unwrap();
        let src = d.path().join("linux");
        fake_tree(&src);
        let mut p = Provisioner::new(Some(d.path().join("cache")), true).unwrap();
        p.set_kernel_fragment("CONFIG_A=y\n");
        let k = p.kernel(&KernelSource::Tree(src.clone())).unwrap();
        let out = k.build_dir.clone().unwrap();
        assert_eq!(k.release, "7.3.0-fake");
        assert!(out.starts_with(d.path().join("cache")) && k.bzimage.is_file());
        assert_eq!(
            (count(&out.join("configured")), count(&out.join("built"))),
            (1, 1)
        );
        // Same recipe: only make runs again.
        let k2 = p.kernel(&KernelSource::Tree(src.clone())).unwrap();
        assert_eq!(k2, k);
        assert_eq!(
            (count(&out.join("configured")), count(&out.join("built"))),
            (1, 2)
        );
        // New fragment: reconfigured, same build folder.
        p.set_kernel_fragment("CONFIG_A=y\nCONFIG_B=y\n");
        assert_eq!(
            p.kernel(&KernelSource::Tree(src.clone()))
                .unwrap()
                .build_dir,
            Some(out.clone())
        );
        assert_eq!(count(&out.join("configured")), 2);
        // An option olddefconfig drops is reported, and the next run reconfigures.
        p.set_kernel_fragment("CONFIG_A=y\nCONFIG_DROPPED=y\n");
        match p.kernel(&KernelSource::Tree(src.clone())) {
            Err(Error::KernelOptions { missing, .. }) => {
                assert_eq!(missing, vec!["CONFIG_DROPPED=y"])
            }
            other => panic!("{other:?}"),
        }
        p.set_kernel_fragment("CONFIG_A=y\nCONFIG_B=y\n");
        p.kernel(&KernelSource::Tree(src.clone())).unwrap();
        assert_eq!(count(&out.join("configured")), 4);
        // A tree configured in place is refused with a hint.
        fs::write(src.join(".config"), "").unwrap();
        let e = p.kernel(&KernelSource::Tree(src)).unwrap_err().to_string();
        assert!(e.contains("mrproper"), "{e}");
    }

    #[test]
    fn image_kernels_find_their_build_dir() {
        let d = tempfile::tempdir().unwrap();
        let b = d.path().join("build");
        fs::create_dir_all(b.join("arch/x86/boot")).unwrap();
        fs::create_dir_all(b.join("include/config")).unwrap();
        fs::create_dir_all(b.join("include/generated")).unwrap();
        fs::write(b.join("arch/x86/boot/bzImage"), b"").unwrap();
        fs::write(b.join("include/config/kernel.release"), "7.3.4\n").unwrap();
        fs::write(b.join(".config"), "CONFIG_A=y\n").unwrap();
        fs::write(b.join("Makefile"), "").unwrap();
        let mut p = Provisioner::new(Some(d.path().join("cache")), true).unwrap();
        p.set_kernel_fragment("CONFIG_A=y\nCONFIG_B=y\n");
        let k = p
            .kernel(&KernelSource::Image(b.join("arch/x86/boot/bzImage")))
            .unwrap();
        assert_eq!(
            k.build_dir.as_deref(),
            Some(fs::canonicalize(&b).unwrap().as_path())
        );
        assert_eq!(k.release, "7.3.4");
        assert!(k.description.contains("CONFIG_B=y"), "{}", k.description);
        // Without a build tree, the release comes from the bzImage header.
        let loose = d.path().join("bzImage");
        fs::write(&loose, b"not a kernel").unwrap();
        assert!(p.kernel(&KernelSource::Image(loose)).is_err());
    }

    #[test]
    fn build_dir_discovery() {
        let d = tempfile::tempdir().unwrap();
        let b = d.path().join("build");
        fs::create_dir_all(b.join("arch/x86/boot")).unwrap();
        fs::create_dir_all(b.join("include/generated")).unwrap();
        fs::write(b.join("arch/x86/boot/bzImage"), b"").unwrap();
        assert_eq!(find_build_dir(&b.join("arch/x86/boot/bzImage")), None);
        fs::write(b.join(".config"), "").unwrap();
        fs::write(b.join("Makefile"), "").unwrap();
        assert_eq!(
            find_build_dir(&b.join("arch/x86/boot/bzImage")),
            Some(b.clone())
        );
        assert_eq!(find_build_dir(&d.path().join("loose-bzImage")), None);
    }
}
