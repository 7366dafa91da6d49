//! `phy-sim`: run Linux PHY/SFP/MDIO drivers against simulated hardware.

mod process;
mod protocol;
mod verdict;
mod vm;

use anyhow::{anyhow, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use phy_sim_provision::{Accel, KernelSource, Provisioner};
use phy_sim_scenario::{ModelSpec, Scenario};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

#[derive(Parser)]
#[command(name = "phy-sim", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Boot the guest kernel against each scenario's board and judge its expectations (KTAP on stdout).
    Run(RunArgs),
    /// Serve one scenario's board on a vfio-user socket, for a QEMU you start yourself.
    Serve {
        scenario: PathBuf,
        /// Where the vfio-user socket is created (it must not exist).
        #[arg(long)]
        socket: Option<PathBuf>,
        /// Folder for the MDIO trace and the event log.
        #[arg(long, default_value = ".")]
        trace_dir: PathBuf,
        /// Only warnings and errors on stderr.
        #[arg(long)]
        quiet: bool,
    },
    /// Validate scenario files without running them.
    Check { scenarios: Vec<PathBuf> },
    /// What is present, what is missing, and what `run` would use.
    Doctor {
        /// Check a kernel .config against the kernel fragment (ci/kernel/phy-sim.config).
        #[arg(long)]
        kernel_config: Option<PathBuf>,
    },
    /// List the PHY models.
    Models,
    /// Measure MDIO and MMIO latency seen from the guest, and boot-to-link time.
    Bench {
        /// Operations per measurement.
        #[arg(long, default_value_t = 2000)]
        count: u64,
        #[arg(long, default_value = "phy-sim-out/bench")]
        out: PathBuf,
    },
}

#[derive(clap::Args)]
struct RunArgs {
    #[arg(required = true)]
    scenarios: Vec<PathBuf>,
    /// Build this kernel tree (out of tree, in the cache) with ci/kernel/phy-sim.config and use it.
    #[arg(long, conflicts_with = "kernel")]
    kernel_tree: Option<PathBuf>,
    /// Use this bzImage (inside its build tree, so the board driver can be built against it).
    #[arg(long)]
    kernel: Option<PathBuf>,
    /// Folder for run artefacts (console, dmesg, MDIO trace, event logs).
    #[arg(long, default_value = "phy-sim-out")]
    out: PathBuf,
    #[arg(long, value_enum, default_value_t = AccelChoice::Auto)]
    accel: AccelChoice,
    /// Run the guest clock in real time instead of skipping idle time (-icount sleep=off).
    #[arg(long)]
    real_time: bool,
    /// Extra guest kernel command line, e.g. "dyndbg='file sfp.c +p'" or "pci=nomsi" (INTx).
    #[arg(long, default_value = "")]
    kernel_args: String,
    /// No progress bars.
    #[arg(long)]
    quiet: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum AccelChoice {
    Auto,
    Tcg,
    Kvm,
}

/// Bad input or a set-up failure: exit 2, as opposed to a failed expectation (exit 1).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Usage(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Cmd::Run(args) => run(args),
        Cmd::Serve {
            scenario,
            socket,
            trace_dir,
            quiet,
        } => serve(&scenario, socket, &trace_dir, quiet),
        Cmd::Check { scenarios } => check(&scenarios),
        Cmd::Doctor { kernel_config } => doctor(kernel_config.as_deref()),
        Cmd::Models => models(),
        Cmd::Bench { count, out } => bench(count, &out),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("phy-sim: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn init_logging(default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("PHY_SIM_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn model_specs() -> Vec<ModelSpec> {
    phy_sim_models::catalog()
        .iter()
        .map(|m| ModelSpec {
            name: m.name.to_string(),
            link_modes: m
                .link_modes
                .iter()
                .map(|l| l.ethtool_name().to_string())
                .collect(),
        })
        .collect()
}

fn load_all(paths: &[PathBuf]) -> Result<Vec<Scenario>> {
    let specs = model_specs();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match phy_sim_scenario::load(p, &specs) {
            Ok(s) => out.push(s),
            Err(e) => errors.push(e.to_string()),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Usage(errors.join("\n")).into())
    }
}

/// The checkout phy-sim was built from: the guest driver and agent are built from it.
fn source_dir() -> PathBuf {
    std::env::var_os("PHY_SIM_SOURCE")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
}

fn check(paths: &[PathBuf]) -> Result<ExitCode> {
    let scenarios = load_all(paths)?;
    for s in scenarios {
        println!(
            "{}: ok ({} expectation(s), {} timeline event(s))",
            s.path.display(),
            s.expect.len(),
            s.timeline.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// One model a line: what a scenario names it, how the kernel matches and names its driver
/// (the `phy-driver` an expectation checks), and what it is.
fn models() -> Result<ExitCode> {
    for m in phy_sim_models::catalog() {
        println!(
            "{:<20} PHY ID 0x{:08x}  {}  {:<32} {}",
            m.name,
            m.phy_id,
            if m.clause45 { "C45" } else { "C22" },
            format!("driver \"{}\"", m.kernel_driver),
            m.description
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn doctor(kernel_config: Option<&Path>) -> Result<ExitCode> {
    let prov = Provisioner::new(None, true)?;
    println!("{}", phy_sim_provision::doctor(&prov));
    if let Some(cfg) = kernel_config {
        let missing =
            phy_sim_provision::missing_kernel_options(cfg, phy_sim_provision::KERNEL_FRAGMENT)?;
        if missing.is_empty() {
            println!(
                "{}: every option of ci/kernel/phy-sim.config is set",
                cfg.display()
            );
        } else {
            println!(
                "{}: {} option(s) of ci/kernel/phy-sim.config missing:",
                cfg.display(),
                missing.len()
            );
            for m in &missing {
                println!("  {m}");
            }
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn serve(
    scenario: &Path,
    socket: Option<PathBuf>,
    trace_dir: &Path,
    quiet: bool,
) -> Result<ExitCode> {
    init_logging(if quiet { "warn" } else { "info" });
    let scenario = load_all(&[scenario.to_path_buf()])?.remove(0);
    let socket = socket.unwrap_or_else(|| {
        std::env::temp_dir().join(format!("phy-sim-{}.sock", std::process::id()))
    });
    if socket.exists() {
        return Err(Usage(format!(
            "{} already exists: another server may be using it; remove it or pick another --socket",
            socket.display()
        ))
        .into());
    }
    std::fs::create_dir_all(trace_dir)?;
    let mut device = phy_sim_device::build_device(&scenario, trace_dir)?;
    if !quiet {
        println!("-device '{}'", vm::device_json(&socket, None));
        println!("(QEMU >= 10.1; guest RAM must be shared: -object memory-backend-memfd,id=mem,size=512M,share=on -machine q35,memory-backend=mem)");
    }
    remove_socket_on_signal(&socket)?;
    tracing::info!(socket = %socket.display(), "serving {}", scenario.name);
    phy_sim_device::serve(&mut device, &socket)?;
    tracing::info!("client disconnected");
    Ok(ExitCode::SUCCESS)
}

/// Provisions everything a run needs. Failures here are set-up errors (exit 2).
fn machine(
    source: &KernelSource,
    accel: AccelChoice,
    icount: bool,
    kernel_args: &str,
    quiet: bool,
) -> Result<vm::Machine> {
    let checkout = source_dir();
    let prov = Provisioner::new(None, quiet).map_err(|e| Usage(e.to_string()))?;
    let setup = || -> Result<vm::Machine> {
        let qemu = prov.qemu()?;
        let kernel = prov.kernel(source)?;
        let module = prov.module(&kernel, &checkout.join("harness/guest/driver"))?;
        let agent = prov.agent(&checkout)?;
        let initramfs = prov.initramfs(&module, &agent)?;
        let accel = match accel {
            AccelChoice::Auto => prov.accelerator(&qemu, &kernel)?,
            AccelChoice::Tcg => Accel::Tcg,
            AccelChoice::Kvm => Accel::Kvm,
        };
        Ok(vm::Machine {
            qemu,
            kernel,
            initramfs,
            accel,
            icount,
            kernel_args: kernel_args.to_string(),
        })
    };
    setup().map_err(|e| Usage(format!("set-up failed: {e:#}")).into())
}

fn describe_machine(m: &vm::Machine) -> String {
    format!(
        "QEMU {}.{}.{}{}, kernel {}, accelerator {}{}",
        m.qemu.version.0,
        m.qemu.version.1,
        m.qemu.version.2,
        m.qemu
            .chroot
            .as_ref()
            .map_or(String::new(), |r| format!(" (in {})", r.display())),
        m.kernel.description,
        match m.accel {
            Accel::Kvm => "KVM",
            Accel::Tcg => "TCG",
        },
        if m.icount && matches!(m.accel, Accel::Tcg) {
            ", guest clock skips idle time"
        } else {
            ", real-time guest clock"
        }
    )
}

fn interrupt_flag() -> Result<Arc<AtomicBool>> {
    let interrupted = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(sig, Arc::clone(&interrupted))?;
    }
    Ok(interrupted)
}

fn fresh_run_dir(out: &Path, s: &Scenario) -> Result<PathBuf> {
    let run_dir = out.join(&s.name);
    if run_dir.exists() {
        std::fs::remove_dir_all(&run_dir)
            .with_context(|| format!("clearing {}", run_dir.display()))?;
    }
    std::fs::create_dir_all(&run_dir)?;
    std::fs::write(run_dir.join("scenario.json"), serde_json::to_vec_pretty(s)?)?;
    Ok(run_dir)
}

/// `Server::run` blocks in accept/recv, so a signal ends the process from a watcher thread;
/// the socket goes with it instead of staying behind stale.
fn remove_socket_on_signal(socket: &Path) -> Result<()> {
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ])?;
    let socket = socket.to_path_buf();
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            let _ = std::fs::remove_file(&socket);
            std::process::exit(128 + sig);
        }
    });
    Ok(())
}

fn run(args: RunArgs) -> Result<ExitCode> {
    init_logging("warn");
    let scenarios = load_all(&args.scenarios)?;
    let interrupted = interrupt_flag()?;
    let source = match (&args.kernel_tree, &args.kernel) {
        (Some(t), _) => KernelSource::Tree(t.clone()),
        (None, Some(k)) => KernelSource::Image(k.clone()),
        (None, None) => KernelSource::Debian,
    };
    let machine = machine(
        &source,
        args.accel,
        !args.real_time,
        &args.kernel_args,
        args.quiet,
    )?;
    eprintln!("phy-sim: {}", describe_machine(&machine));

    println!("KTAP version 1");
    println!("1..{}", scenarios.len());
    let mut failed = 0;
    let limits = vm::RunLimits::default();
    for (i, s) in scenarios.iter().enumerate() {
        let run_dir = fresh_run_dir(&args.out, s)?;
        eprintln!(
            "phy-sim: running {} ({} of guest time)",
            s.name,
            phy_sim_scenario::fmt_duration(s.duration)
        );
        let report = vm::run_scenario(&machine, s, &run_dir, &limits, None, &interrupted)?;
        let mut outcomes = verdict::judge(&s.expect, &report.observations);
        outcomes.extend(verdict::judge_actions(&s.timeline, &report.observations));
        let passed = outcomes.iter().filter(|o| o.ok).count();
        let note = format!(
            "kernel {}, wall {:.1}s, artefacts in {}",
            report.kernel_release.as_deref().unwrap_or("?"),
            report.wall.as_secs_f64(),
            run_dir.display()
        );
        print!(
            "{}",
            verdict::ktap_subtest(i + 1, &s.name, &outcomes, Some(&note))
        );
        eprintln!(
            "phy-sim: {}: {passed}/{} expectations met{}",
            s.name,
            outcomes.len(),
            report
                .observations
                .aborted
                .as_deref()
                .map_or(String::new(), |r| format!(" (run aborted: {r})"))
        );
        if passed != outcomes.len() {
            failed += 1;
        }
        if interrupted.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(anyhow!("interrupted"));
        }
    }
    eprintln!(
        "phy-sim: {} passed, {} failed",
        scenarios.len() - failed,
        failed
    );
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// A physical Clause 22 frame: 64 bits at the standard 2.5 MHz MDC.
const PHYSICAL_MDIO_FRAME_NS: f64 = 64.0 / 2.5e6 * 1e9;

fn bench(count: u64, out: &Path) -> Result<ExitCode> {
    init_logging("warn");
    let scenario = load_all(&[source_dir().join("scenarios/bench.yaml")])?.remove(0);
    let interrupted = interrupt_flag()?;
    // Guest-side timings need the guest clock to follow the host's: no icount.
    let machine = machine(&KernelSource::Debian, AccelChoice::Auto, false, "", false)?;
    let run_dir = fresh_run_dir(out, &scenario)?;
    let plan = protocol::BenchPlan {
        mdio_reads: count,
        mdio_writes: count,
        mmio_reads: count,
    };
    let report = vm::run_scenario(
        &machine,
        &scenario,
        &run_dir,
        &vm::RunLimits::default(),
        Some(plan),
        &interrupted,
    )?;
    if let Some(reason) = &report.observations.aborted {
        return Err(anyhow!("the benchmark run failed: {reason}"));
    }
    let b = report.bench.ok_or_else(|| {
        anyhow!(
            "the guest sent no benchmark report; see {}",
            run_dir.display()
        )
    })?;
    let us =
        |ns: Option<f64>| ns.map_or("failed".to_string(), |ns| format!("{:.1} us", ns / 1000.0));
    let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}", a / b),
        _ => "n/a".to_string(),
    };
    let frame = Some(PHYSICAL_MDIO_FRAME_NS);
    println!("phy-sim bench: {}", describe_machine(&machine));
    println!(
        "  raw MMIO read round trip     {:>10}   (mean of {} guest reads of BAR0)",
        us(b.mmio_read_ns),
        b.n_mmio_reads
    );
    println!(
        "  MDIO read  (SIOCGMIIREG)     {:>10}   {:>5} x raw MMIO   {:>5} x a 2.5 MHz MDIO frame (25.6 us)",
        us(b.mdio_read_ns),
        ratio(b.mdio_read_ns, b.mmio_read_ns),
        ratio(b.mdio_read_ns, frame)
    );
    println!(
        "  MDIO write (SIOCSMIIREG)     {:>10}   {:>5} x raw MMIO   {:>5} x a 2.5 MHz MDIO frame",
        us(b.mdio_write_ns),
        ratio(b.mdio_write_ns, b.mmio_read_ns),
        ratio(b.mdio_write_ns, frame)
    );
    let secs = |d: Option<std::time::Duration>| {
        d.map_or("n/a".to_string(), |d| format!("{:.2} s", d.as_secs_f64()))
    };
    println!(
        "  QEMU start to timeline start {:>9}   (host wall)",
        secs(report.boot_to_start)
    );
    println!(
        "  QEMU start to first link up  {:>9}   (host wall)",
        secs(report.boot_to_link)
    );
    Ok(ExitCode::SUCCESS)
}
