//! Guest artifacts built from the project's sources: the board driver module and the agent.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::apt::KERNEL_BUILD_NEEDS;
use crate::cache::{self, Key};
use crate::error::{Error, IoContext};
use crate::kernel::Kernel;
use crate::util::{file_is_static_elf, nproc};
use crate::Provisioner;

const MODULE_RECIPE: &str = "module-v1";
const MODULE_TIMEOUT: Duration = Duration::from_secs(15 * 60);
const AGENT_TIMEOUT: Duration = Duration::from_secs(40 * 60);
pub const AGENT_PACKAGE: &str = "phy-sim-agent";
pub const AGENT_TARGET: &str = "x86_64-unknown-linux-gnu";

/// Source files of an out-of-tree module folder (relative paths, sorted), skipping build
/// products and hidden files.
pub(crate) fn module_sources(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    fn walk(base: &Path, rel: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
        let here = base.join(rel);
        for e in fs::read_dir(&here)
            .ctx("cannot list module sources", &here)?
            .flatten()
        {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || is_build_product(&name) {
                continue;
            }
            let ft = e.file_type().ctx("cannot stat", &e.path())?;
            if ft.is_dir() {
                walk(base, &rel.join(&name), out)?;
            } else if ft.is_file() {
                out.push(rel.join(&name));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, Path::new(""), &mut out)?;
    out.sort();
    Ok(out)
}

fn is_build_product(name: &str) -> bool {
    const EXT: &[&str] = &[
        ".o", ".ko", ".mod", ".mod.c", ".mod.o", ".cmd", ".a", ".dtbo", ".tmp",
    ];
    const NAMES: &[&str] = &["Module.symvers", "modules.order", "target"];
    EXT.iter().any(|x| name.ends_with(x)) || NAMES.contains(&name)
}

/// The executable path of `bin` in cargo's `--message-format=json` output.
pub(crate) fn executable_from_cargo_json(stdout: &str, package: &str) -> Option<PathBuf> {
    let mut found = None;
    for line in stdout.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if v["reason"] != "compiler-artifact" {
            continue;
        }
        let target_is_bin = v["target"]["kind"]
            .as_array()
            .is_some_and(|k| k.iter().any(|x| x == "bin"));
        let pkg = v["package_id"].as_str().unwrap_or("");
        let ours = pkg.contains(&format!("/{package}#"))
            || pkg.contains(&format!("#{package}@"))
            || pkg.starts_with(&format!("{package} "))
            || v["target"]["name"] == package;
        if let (true, true, Some(exe)) = (target_is_bin, ours, v["executable"].as_str()) {
            found = Some(PathBuf::from(exe));
        }
    }
    found
}

impl Provisioner {
    /// Builds the out-of-tree board driver in `src_dir` (phy_sim.c, Kbuild, Makefile) against
    /// `kernel`; returns the .ko. Cached by source content and kernel identity.
    pub fn module(&self, kernel: &Kernel, src_dir: &Path) -> Result<PathBuf, Error> {
        let build_dir = kernel.build_dir.as_deref().ok_or_else(|| Error::Kernel {
            path: kernel.bzimage.clone(),
            reason: "no build folder is known for this kernel, so the board driver cannot be built against it; use a kernel tree (or the Debian kernel), or a bzImage inside its build tree".into(),
        })?;
        let src = fs::canonicalize(src_dir).ctx("module source folder not found", src_dir)?;
        let files = module_sources(&src)?;
        if !files
            .iter()
            .any(|f| f == Path::new("Kbuild") || f == Path::new("Makefile"))
        {
            return Err(Error::Kernel {
                path: src,
                reason: "no Kbuild or Makefile in the module folder".into(),
            });
        }
        let mut key = Key::new(MODULE_RECIPE);
        key.str("kernel", &kernel.identity()?);
        if build_dir.join("Module.symvers").is_file() {
            key.file("symvers", &build_dir.join("Module.symvers"))?;
        }
        key.file("config", &build_dir.join(".config"))?;
        for f in &files {
            key.str("path", &f.to_string_lossy());
            key.file("content", &src.join(f))?;
        }
        let out = self.cache_root().join(format!("module-{}", key.finish()));
        let find_ko = |dir: &Path| -> Option<PathBuf> {
            let mut kos: Vec<PathBuf> = fs::read_dir(dir)
                .ok()?
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "ko"))
                .collect();
            kos.sort();
            kos.iter()
                .find(|p| p.file_name().is_some_and(|n| n == "phy_sim.ko"))
                .or(kos.first())
                .cloned()
        };
        if let Some(ko) = find_ko(&out) {
            return Ok(ko);
        }
        self.ensure_host(KERNEL_BUILD_NEEDS, "building the board driver")?;
        let _l = cache::lock(
            self.cache_root(),
            &out.file_name().unwrap_or_default().to_string_lossy(),
            &self.runner,
        )?;
        if let Some(ko) = find_ko(&out) {
            return Ok(ko);
        }
        cache::build_atomically(&out, |tmp| {
            for f in &files {
                let to = tmp.join(f);
                if let Some(parent) = to.parent() {
                    fs::create_dir_all(parent).ctx("cannot create folder", parent)?;
                }
                fs::copy(src.join(f), &to).ctx("cannot copy module source", &to)?;
            }
            let mut make = Command::new("make");
            make.arg("-C")
                .arg(build_dir)
                .arg(format!("M={}", tmp.display()))
                .arg(format!("-j{}", nproc()))
                .arg("modules")
                .env_remove("MAKEFLAGS")
                .env_remove("MFLAGS")
                .env_remove("MAKELEVEL")
                .env("LC_ALL", "C");
            if !build_dir.join("Module.symvers").is_file() {
                // A tree built with `make bzImage` only: modpost cannot check symbols.
                tracing::warn!(
                    "{} has no Module.symvers (build the tree with `make modules` too): the driver's kernel symbols are not checked",
                    build_dir.display()
                );
                make.env("KBUILD_MODPOST_WARN", "1");
            }
            self.runner.step_with_hint(
                "board driver: make modules",
                &mut make,
                MODULE_TIMEOUT,
                "the errors above come from the board driver sources or from symbols this kernel does not export",
            )?;
            if find_ko(tmp).is_none() {
                return Err(Error::Unexpected {
                    what: "board driver build".into(),
                    detail: "make succeeded but produced no .ko".into(),
                    hint: "check that the Kbuild file sets obj-m".into(),
                });
            }
            Ok(())
        })?;
        find_ko(&out).ok_or_else(|| Error::Unexpected {
            what: "board driver build".into(),
            detail: format!("no .ko in {}", out.display()),
            hint: "delete that folder and run again".into(),
        })
    }

    /// Builds the static guest agent (crate phy-sim-agent in `workspace`) with
    /// `RUSTFLAGS="-C target-feature=+crt-static" cargo build --release -p phy-sim-agent
    /// --target x86_64-unknown-linux-gnu --target-dir <workspace>/target/agent`.
    /// Cargo's own incremental build is the cache.
    pub fn agent(&self, workspace: &Path) -> Result<PathBuf, Error> {
        let ws = fs::canonicalize(workspace).ctx("workspace not found", workspace)?;
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let target_dir = ws.join("target/agent");
        let stdout = self.runner.step_with_hint(
            "guest agent: cargo build",
            Command::new(&cargo)
                .args(["build", "--release", "-p", AGENT_PACKAGE, "--target", AGENT_TARGET])
                .arg("--target-dir")
                .arg(&target_dir)
                .arg("--message-format=json-render-diagnostics")
                .current_dir(&ws)
                .env("RUSTFLAGS", "-C target-feature=+crt-static")
                .env_remove("CARGO_ENCODED_RUSTFLAGS")
                .env_remove("CARGO_TARGET_DIR")
                .env_remove("CARGO_BUILD_TARGET"),
            AGENT_TIMEOUT,
            "fix the agent's compile errors above; a static glibc link also needs libc6-dev (libc.a)",
        )?;
        let exe = executable_from_cargo_json(&stdout, AGENT_PACKAGE).unwrap_or_else(|| {
            target_dir
                .join(AGENT_TARGET)
                .join("release")
                .join(AGENT_PACKAGE)
        });
        match file_is_static_elf(&exe) {
            Some(true) => Ok(exe),
            Some(false) => Err(Error::Unexpected {
                what: format!("guest agent {}", exe.display()),
                detail: "it is dynamically linked, but the initramfs has no libc".into(),
                hint: "check that the agent links no dynamic-only library (a -sys crate without a static build) and that no .cargo/config.toml sets a linker forcing dynamic linking".into(),
            }),
            None => Err(Error::Unexpected {
                what: "guest agent build".into(),
                detail: format!("{} is missing or not an ELF executable", exe.display()),
                hint: format!("check that the package {AGENT_PACKAGE} has a binary target named {AGENT_PACKAGE}"),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_source_listing_skips_build_products() {
        let d = tempfile::tempdir().unwrap();
        for f in [
            "phy_sim.c",
            "Kbuild",
            "Makefile",
            "phy_sim.o",
            "phy_sim.ko",
            ".phy_sim.o.cmd",
            "modules.order",
            "phy_sim.mod.c",
        ] {
            fs::write(d.path().join(f), b"x").unwrap();
        }
        fs::create_dir(d.path().join("include")).unwrap();
        fs::write(d.path().join("include/regs.h"), b"x").unwrap();
        let got = module_sources(d.path()).unwrap();
        let got: Vec<String> = got
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            got,
            vec!["Kbuild", "Makefile", "include/regs.h", "phy_sim.c"]
        );
    }

    #[test]
    fn modules_are_cached_by_source_and_kernel() {
        if crate::util::which("make").is_none() {
            return;
        }
        let d = tempfile::tempdir().unwrap();
        // A fake build folder whose Makefile "builds" M=... into a .ko and counts builds.
        let b = d.path().join("kbuild");
        fs::create_dir_all(b.join("arch/x86/boot")).unwrap();
        fs::write(b.join("arch/x86/boot/bzImage"), b"img").unwrap();
        fs::write(b.join(".config"), "CONFIG_A=y\n").unwrap();
        let counter = d.path().join("builds");
        fs::write(
            b.join("Makefile"),
            format!(
                "modules:\n\tcat $(M)/phy_sim.c > $(M)/phy_sim.ko\n\techo x >> {}\n",
                counter.display()
            ),
        )
        .unwrap();
        let src = d.path().join("driver");
        fs::create_dir_all(&src).unwrap();
        fs::write(src.join("Kbuild"), "obj-m := phy_sim.o\n").unwrap();
        fs::write(src.join("phy_sim.c"), "v1").unwrap();
        let p = Provisioner::new(Some(d.path().join("cache")), true).unwrap();
        let k = Kernel {
            bzimage: b.join("arch/x86/boot/bzImage"),
            build_dir: Some(b.clone()),
            release: "7.3.0".into(),
            description: "test".into(),
        };
        let builds = || {
            fs::read_to_string(&counter)
                .map(|s| s.lines().count())
                .unwrap_or(0)
        };
        let ko = p.module(&k, &src).unwrap();
        assert_eq!(fs::read_to_string(&ko).unwrap(), "v1");
        assert_eq!(p.module(&k, &src).unwrap(), ko);
        assert_eq!(builds(), 1);
        fs::write(src.join("phy_sim.c"), "v2").unwrap();
        let ko2 = p.module(&k, &src).unwrap();
        assert_ne!(ko2, ko);
        assert_eq!(fs::read_to_string(&ko2).unwrap(), "v2");
        // Another kernel image: rebuilt too.
        fs::write(b.join("arch/x86/boot/bzImage"), b"img2").unwrap();
        p.module(&k, &src).unwrap();
        assert_eq!(builds(), 3);
        // No build folder: a clear error.
        let no_tree = Kernel {
            build_dir: None,
            ..k
        };
        assert!(p
            .module(&no_tree, &src)
            .unwrap_err()
            .to_string()
            .contains("no build folder"));
    }

    #[test]
    fn cargo_json_executable() {
        let out = r#"{"reason":"compiler-artifact","package_id":"path+file:///w/harness/agent#phy-sim-agent@0.1.0","target":{"kind":["lib"],"name":"phy_sim_agent"},"executable":null}
{"reason":"compiler-artifact","package_id":"registry+https://github.com/rust-lang/crates.io-index#libc@0.2.1","target":{"kind":["lib"],"name":"libc"},"executable":null}
{"reason":"compiler-artifact","package_id":"path+file:///w/harness/agent#phy-sim-agent@0.1.0","target":{"kind":["bin"],"name":"phy-sim-agent"},"executable":"/w/target/agent/x86_64-unknown-linux-gnu/release/phy-sim-agent"}
{"reason":"build-finished","success":true}"#;
        assert_eq!(
            executable_from_cargo_json(out, "phy-sim-agent"),
            Some(PathBuf::from(
                "/w/target/agent/x86_64-unknown-linux-gnu/release/phy-sim-agent"
            ))
        );
        assert_eq!(
            executable_from_cargo_json("not json\n", "phy-sim-agent"),
            None
        );
    }
}
