//! End-to-end tests: the real `phy-sim` binary, the real guest kernel and drivers, the real
//! device server. They provision what they need on first use (QEMU, kernel, initramfs).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

/// One VM at a time: the machine has two cores, and a run's timing bounds assume them.
static VM: Mutex<()> = Mutex::new(());

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn phy_sim(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_phy-sim"));
    cmd.current_dir(repo()).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("phy-sim runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn show(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        text(&o.stdout),
        text(&o.stderr)
    )
}

fn out_dir(name: &str) -> PathBuf {
    let d = repo().join("target/e2e").join(name);
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// Processes whose command line mentions `needle` (our own test process excluded).
fn processes_mentioning(needle: &str) -> Vec<String> {
    let me = std::process::id().to_string();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.chars().all(|c| c.is_ascii_digit()) || name == me {
            continue;
        }
        if let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) {
            let cmdline = text(&cmdline).replace('\0', " ");
            if cmdline.contains(needle) {
                found.push(format!("{name}: {cmdline}"));
            }
        }
    }
    found
}

#[test]
fn bundled_scenarios_pass() {
    let _vm = VM.lock().unwrap_or_else(|e| e.into_inner());
    let out = out_dir("bundled");
    let o = phy_sim(
        &[
            "run",
            "scenarios/link-flap.yaml",
            "scenarios/autoneg-100-half.yaml",
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    let stdout = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert!(stdout.starts_with("KTAP version 1\n1..2\n"), "{}", show(&o));
    assert!(stdout.contains("\nok 1 link-flap\n"), "{}", show(&o));
    assert!(stdout.contains("\nok 2 autoneg-100-half\n"), "{}", show(&o));
    assert!(!stdout.contains("not ok"), "{}", show(&o));

    // The artefacts say the same thing from the device's side.
    let flap = out.join("link-flap");
    let trace = std::fs::read_to_string(flap.join("mdio-trace.txt")).unwrap();
    assert!(
        trace.contains("mdio_access: mdio0 read  phy:0x01 reg:0x02 val:0x0141"),
        "the driver read PHYSID1 of the 88E1510"
    );
    let events = std::fs::read_to_string(flap.join("sim-events.jsonl")).unwrap();
    assert!(
        events.contains(r#""type":"mac_link_up","port":"eth0""#),
        "{events}"
    );
    assert!(
        events.contains(r#""speed":1000,"duplex":"full""#),
        "{events}"
    );
    assert!(events.contains(r#""type":"timeline""#), "{events}");
    let dmesg = std::fs::read_to_string(flap.join("dmesg.txt")).unwrap();
    assert!(dmesg.contains("Marvell 88E1510"), "{dmesg}");
    let half = std::fs::read_to_string(out.join("autoneg-100-half/sim-events.jsonl")).unwrap();
    assert!(half.contains(r#""speed":100,"duplex":"half""#), "{half}");
}

#[test]
fn a_wrong_expectation_fails_with_a_readable_diff() {
    let _vm = VM.lock().unwrap_or_else(|e| e.into_inner());
    let out = out_dir("wrong");
    let o = phy_sim(
        &[
            "run",
            "harness/cli/tests/fixtures/wrong-speed.yaml",
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    let stdout = text(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    assert!(stdout.contains("    not ok 1 "), "{}", show(&o));
    assert!(
        stdout.contains("    # expected: eth0: link up, speed 100 at some instant of [0s, 4s]"),
        "{}",
        show(&o)
    );
    assert!(stdout.contains("speed 1000, duplex full"), "{}", show(&o));
    assert!(stdout.contains("\nnot ok 1 wrong-speed\n"), "{}", show(&o));
}

#[test]
fn bad_input_is_refused_before_anything_starts() {
    let cases = [
        ("malformed.yaml", "malformed.yaml:"),
        ("unknown-field.yaml", "unknown-field.yaml:10:11"),
        (
            "two-phys-one-address.yaml",
            "two-phys-one-address.yaml:12:20",
        ),
    ];
    for (file, location) in cases {
        let path = format!("harness/cli/tests/fixtures/{file}");
        let o = phy_sim(&["run", &path, "--out", "target/e2e/never"], &[]);
        let stderr = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{file}: {}", show(&o));
        assert!(
            stderr.contains(location),
            "{file}: wanted {location}: {}",
            show(&o)
        );
        assert!(o.stdout.is_empty(), "{file}: nothing runs: {}", show(&o));
    }
    let o = phy_sim(
        &["run", "harness/cli/tests/fixtures/unknown-field.yaml"],
        &[],
    );
    assert!(text(&o.stderr).contains("colour"), "{}", show(&o));
    let o = phy_sim(
        &[
            "run",
            "harness/cli/tests/fixtures/two-phys-one-address.yaml",
        ],
        &[],
    );
    assert!(text(&o.stderr).contains("address"), "{}", show(&o));
}

fn assert_nothing_left(out: &Path) {
    let leftovers = processes_mentioning(out.to_str().unwrap());
    assert!(leftovers.is_empty(), "orphans: {leftovers:?}");
    let tmp = std::env::temp_dir();
    let stale: Vec<_> = std::fs::read_dir(&tmp)
        .unwrap()
        .flatten()
        .filter(|e| {
            // Run socket folders are phy-sim-<pid>-<n>; only those of runs that have ended
            // (their owner process is gone) count.
            let name = e.file_name().to_string_lossy().into_owned();
            let parts: Vec<&str> = name.split('-').collect();
            let is_run_dir = parts.len() == 4
                && parts[0] == "phy"
                && parts[1] == "sim"
                && parts[2..]
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
            is_run_dir && !Path::new("/proc").join(parts[2]).exists()
        })
        .map(|e| e.path())
        .collect();
    assert!(stale.is_empty(), "stale socket folders: {stale:?}");
}

#[test]
fn the_device_server_dying_fails_the_run_and_leaves_nothing() {
    let _vm = VM.lock().unwrap_or_else(|e| e.into_inner());
    let out = out_dir("sim-dies");
    let o = phy_sim(
        &[
            "run",
            "scenarios/link-flap.yaml",
            "--out",
            out.to_str().unwrap(),
        ],
        &[("PHY_SIM_FAULT", "kill-sim-after-start")],
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let stdout = text(&o.stdout);
    assert!(stdout.contains("run aborted"), "{}", show(&o));
    assert!(stdout.contains("device server"), "{}", show(&o));
    assert_nothing_left(&out);
}

#[test]
fn qemu_dying_fails_the_run_and_leaves_nothing() {
    let _vm = VM.lock().unwrap_or_else(|e| e.into_inner());
    let out = out_dir("qemu-dies");
    let o = phy_sim(
        &[
            "run",
            "scenarios/link-flap.yaml",
            "--out",
            out.to_str().unwrap(),
        ],
        &[("PHY_SIM_FAULT", "kill-qemu-after-start")],
    );
    assert_eq!(o.status.code(), Some(1), "{}", show(&o));
    let stdout = text(&o.stdout);
    assert!(stdout.contains("run aborted"), "{}", show(&o));
    assert!(stdout.contains("QEMU"), "{}", show(&o));
    assert_nothing_left(&out);
}

fn scenario_files(folder: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(repo().join(folder))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| format!("{folder}/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{folder} holds scenarios");
    files
}

/// Scenarios that start a PHY from a reporter's register dump (scenarios/dumps/).
#[test]
fn dump_scenarios_pass() {
    folder_passes("scenarios/dumps", "dumps");
}

/// Every PHY model's own scenario (scenarios/phy/): its upstream driver binds, negotiates
/// with several partners, flaps, and unbinds cleanly.
#[test]
fn phy_library_scenarios_pass() {
    folder_passes("scenarios/phy", "phy");
}

/// Every scenario of `folder` passes, run in one `phy-sim run`.
fn folder_passes(folder: &str, out: &str) {
    let _vm = VM.lock().unwrap_or_else(|e| e.into_inner());
    let files = scenario_files(folder);
    let out = out_dir(out);
    let mut args = vec!["run"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--out", out.to_str().unwrap()]);
    let o = phy_sim(&args, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert!(!text(&o.stdout).contains("not ok"), "{}", show(&o));
}

/// `ethtool --cable-test` and `--cable-test-tdr` through the real drivers: every scenario of
/// scenarios/cable reports the faults its cable has.
#[test]
fn cable_test_scenarios_pass() {
    folder_passes("scenarios/cable", "cable");
}

/// Link partner behaviour beyond speed and duplex (master/slave, EEE): scenarios/link.
#[test]
fn link_scenarios_pass() {
    folder_passes("scenarios/link", "link");
}

/// Without MSI-X (pci=nomsi) the driver falls back to INTx, whose level semantics the device
/// must follow exactly; the bundled flap must still pass.
#[test]
fn intx_fallback_passes_the_flap() {
    let _vm = VM.lock().unwrap_or_else(|e| e.into_inner());
    let out = out_dir("intx");
    let o = phy_sim(
        &[
            "run",
            "scenarios/link-flap.yaml",
            "--kernel-args",
            "pci=nomsi",
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let dmesg = std::fs::read_to_string(out.join("link-flap/dmesg.txt")).unwrap();
    assert!(dmesg.contains("INTx"), "the driver used INTx: {dmesg}");
}

#[test]
fn serve_prints_the_device_argument_and_cleans_up_on_sigterm() {
    let dir = out_dir("serve");
    std::fs::create_dir_all(&dir).unwrap();
    let socket = dir.join("dev.sock");
    let child = Command::new(env!("CARGO_BIN_EXE_phy-sim"))
        .current_dir(repo())
        .args(["serve", "scenarios/link-flap.yaml", "--socket"])
        .arg(&socket)
        .arg("--trace-dir")
        .arg(&dir)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !socket.exists() {
        assert!(std::time::Instant::now() < deadline, "no socket");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // SAFETY: plain kill(2) on our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let out = child.wait_with_output().unwrap();
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(r#"-device '{"driver":"vfio-user-pci","socket":{"path":""#),
        "{stdout}"
    );
    assert!(!socket.exists(), "the socket is removed on SIGTERM");
}
