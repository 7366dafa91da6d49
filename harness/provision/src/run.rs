//! Running tools: every wait has a timeout, output goes to a log file, and long steps show a
//! spinner with the step name and the tool's last output line (on stderr, unless quiet).

use std::collections::{HashMap, VecDeque};
use std::fs::{self, File};
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::error::Error;

/// How many output lines an error message quotes.
const TAIL_LINES: usize = 25;

pub(crate) struct Runner {
    quiet: bool,
    logs: PathBuf,
}

/// What a short command printed.
pub(crate) struct Captured {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Captured {
    /// stdout and stderr together (for matching text that either may carry).
    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

enum Finished {
    Exited(ExitStatus),
    TimedOut,
}

impl Runner {
    pub(crate) fn new(quiet: bool, logs: PathBuf) -> Self {
        Runner { quiet, logs }
    }

    /// A spinner for a step (hidden when quiet or when stderr is not a terminal).
    pub(crate) fn spinner(&self, step: &str) -> ProgressBar {
        if self.quiet {
            return ProgressBar::hidden();
        }
        let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        pb.set_style(
            ProgressStyle::with_template(
                "{spinner:.cyan} {prefix:.bold} [{elapsed}] {wide_msg:.dim}",
            )
            .expect("valid template")
            .tick_chars("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏ "),
        );
        pb.set_prefix(step.to_string());
        pb.enable_steady_tick(Duration::from_millis(120));
        pb
    }

    /// Marks a spinner's step finished (the line stays, with its duration).
    pub(crate) fn done(&self, pb: &ProgressBar, ok: bool, started: Instant) {
        let style = if ok {
            "  {prefix:.green} {msg}"
        } else {
            "  {prefix:.red} {msg}"
        };
        pb.set_style(ProgressStyle::with_template(style).expect("valid template"));
        let verdict = if ok { "done" } else { "FAILED" };
        pb.finish_with_message(format!(
            "{verdict} in {:.1}s",
            started.elapsed().as_secs_f64()
        ));
    }

    /// A short notice on the progress output (e.g. "installing host packages").
    pub(crate) fn note(&self, text: &str) {
        // On a terminal the progress lines say it; elsewhere the log does.
        if !self.quiet && std::io::stderr().is_terminal() {
            eprintln!("  {text}");
            tracing::debug!("{text}");
        } else {
            tracing::info!("{text}");
        }
    }

    fn log_path(&self, step: &str) -> PathBuf {
        let slug: String = step
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let slug = slug
            .split('-')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        self.logs
            .join(format!("{}.log", &slug[..slug.len().min(80)]))
    }

    /// Runs a long step: spinner, full output to `<cache>/logs/<step>.log`, error with the last
    /// lines on failure. Returns stdout.
    pub(crate) fn step(
        &self,
        step: &str,
        cmd: &mut Command,
        timeout: Duration,
    ) -> Result<String, Error> {
        self.step_with_hint(step, cmd, timeout, "")
    }

    /// Like [`Runner::step`], with a hint added to the failure message.
    pub(crate) fn step_with_hint(
        &self,
        step: &str,
        cmd: &mut Command,
        timeout: Duration,
        hint: &str,
    ) -> Result<String, Error> {
        fs::create_dir_all(&self.logs)
            .map_err(|e| Error::io("cannot create the log folder", &self.logs, e))?;
        let log_path = self.log_path(step);
        let mut log = File::create(&log_path)
            .map_err(|e| Error::io("cannot create log file", &log_path, e))?;
        let _ = writeln!(log, "$ {}", describe(cmd));
        let pb = self.spinner(step);
        // The spinner shows the step on a terminal; the log says it everywhere else.
        if pb.is_hidden() {
            tracing::info!(step, log = %log_path.display(), "running");
        } else {
            tracing::debug!(step, log = %log_path.display(), "running");
        }
        tracing::debug!(step, command = %describe(cmd));
        let started = Instant::now();
        let mut tail: VecDeque<String> = VecDeque::new();
        let mut stdout = String::new();
        let result = exec(cmd, timeout, &mut |is_err, line| {
            let _ = writeln!(log, "{line}");
            if !is_err {
                stdout.push_str(line);
                stdout.push('\n');
            }
            let shown = line
                .rsplit('\r')
                .find(|s| !s.trim().is_empty())
                .unwrap_or("")
                .trim();
            if !shown.is_empty() {
                pb.set_message(shown.to_string());
                tracing::trace!(step, "{shown}");
            }
            if tail.len() == TAIL_LINES {
                tail.pop_front();
            }
            tail.push_back(line.to_string());
        });
        let program = cmd.get_program().to_string_lossy().into_owned();
        match result {
            Err(source) => {
                self.done(&pb, false, started);
                Err(Error::Spawn {
                    step: step.into(),
                    program,
                    source,
                    hint: "check that it is installed and in PATH".into(),
                })
            }
            Ok(Finished::TimedOut) => {
                self.done(&pb, false, started);
                let _ = writeln!(log, "*** killed after {timeout:?}");
                Err(Error::Timeout {
                    step: step.into(),
                    timeout,
                    log: log_path,
                })
            }
            Ok(Finished::Exited(status)) if status.success() => {
                self.done(&pb, true, started);
                let secs = started.elapsed().as_secs_f64();
                if pb.is_hidden() {
                    tracing::info!(step, secs, "done");
                } else {
                    tracing::debug!(step, secs, "done");
                }
                Ok(stdout)
            }
            Ok(Finished::Exited(status)) => {
                self.done(&pb, false, started);
                let _ = writeln!(log, "*** {status}");
                Err(Error::CommandFailed {
                    step: step.into(),
                    status: status.to_string(),
                    tail: tail.into_iter().collect::<Vec<_>>().join("\n"),
                    log: log_path,
                    hint: hint.into(),
                })
            }
        }
    }

    /// Runs a short command and returns what it printed (no spinner). A non-zero exit is not an
    /// error here; failing to start or exceeding the timeout is.
    pub(crate) fn capture(
        &self,
        what: &str,
        cmd: &mut Command,
        timeout: Duration,
    ) -> Result<Captured, Error> {
        tracing::debug!(command = %describe(cmd), "running");
        let (mut out, mut err) = (String::new(), String::new());
        let r = exec(cmd, timeout, &mut |is_err, line| {
            let s = if is_err { &mut err } else { &mut out };
            s.push_str(line);
            s.push('\n');
        });
        match r {
            Err(source) => Err(Error::Spawn {
                step: what.into(),
                program: cmd.get_program().to_string_lossy().into_owned(),
                source,
                hint: "check that it is installed and in PATH".into(),
            }),
            Ok(Finished::TimedOut) => Err(Error::Timeout {
                step: what.into(),
                timeout,
                log: PathBuf::from("(not logged: short command)"),
            }),
            Ok(Finished::Exited(status)) => Ok(Captured {
                status,
                stdout: out,
                stderr: err,
            }),
        }
    }
}

/// The command line, for logs.
pub(crate) fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&crate::util::shell_quote(&a.to_string_lossy()));
    }
    s
}

/// Spawns `cmd` (stdin null, stdout/stderr piped), feeds each output line to `on_line`
/// (`true` for stderr), and waits at most `timeout`; on timeout kills it and all its descendants.
fn exec(
    cmd: &mut Command,
    timeout: Duration,
    on_line: &mut dyn FnMut(bool, &str),
) -> std::io::Result<Finished> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn()?;
    let (tx, rx) = mpsc::channel::<(bool, String)>();
    let mut readers = 0;
    if let Some(out) = child.stdout.take() {
        spawn_reader(out, false, tx.clone());
        readers += 1;
    }
    if let Some(err) = child.stderr.take() {
        spawn_reader(err, true, tx.clone());
        readers += 1;
    }
    drop(tx);
    let deadline = Instant::now() + timeout;
    let mut status: Option<(ExitStatus, Instant)> = None;
    let mut open = readers > 0;
    loop {
        if open {
            match rx.recv_timeout(Duration::from_millis(50)) {
                Ok((is_err, line)) => {
                    on_line(is_err, &line);
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => open = false,
            }
        } else {
            std::thread::sleep(Duration::from_millis(20));
        }
        if status.is_none() {
            if let Some(s) = child.try_wait()? {
                status = Some((s, Instant::now()));
            }
        }
        match status {
            // Done when both pipes closed; a daemonized grandchild may hold them: give it 2 s.
            Some((s, at)) if !open || at.elapsed() > Duration::from_secs(2) => {
                return Ok(Finished::Exited(s))
            }
            Some(_) => {}
            None if Instant::now() >= deadline => {
                kill_tree(child.id());
                let _ = child.kill();
                let _ = child.wait();
                // Drain what is already there, without waiting on pipes a straggler may hold.
                while let Ok((is_err, line)) = rx.try_recv() {
                    on_line(is_err, &line);
                }
                return Ok(Finished::TimedOut);
            }
            None => {}
        }
    }
}

fn spawn_reader(
    stream: impl Read + Send + 'static,
    is_err: bool,
    tx: mpsc::Sender<(bool, String)>,
) {
    std::thread::spawn(move || {
        let mut r = BufReader::new(stream);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match r.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                        buf.pop();
                    }
                    if tx
                        .send((is_err, String::from_utf8_lossy(&buf).into_owned()))
                        .is_err()
                    {
                        break;
                    }
                }
            }
        }
    });
}

/// Kills `pid` and every descendant (found through /proc) with SIGKILL.
pub(crate) fn kill_tree(pid: u32) {
    // Two rounds: a process may have forked between the scan and the kill.
    for _ in 0..2 {
        let mut victims = descendants(pid);
        victims.push(pid);
        for p in victims {
            // SAFETY: plain kill(2) on pids we found as our descendants.
            unsafe {
                libc::kill(p as libc::pid_t, libc::SIGKILL);
            }
        }
    }
}

fn descendants(pid: u32) -> Vec<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    if let Ok(rd) = fs::read_dir("/proc") {
        for e in rd.flatten() {
            let Some(p) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            if let Ok(stat) =
                fs::read_to_string(Path::new("/proc").join(p.to_string()).join("stat"))
            {
                if let Some(ppid) = parse_ppid(&stat) {
                    children.entry(ppid).or_default().push(p);
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut todo = vec![pid];
    while let Some(p) = todo.pop() {
        if let Some(cs) = children.get(&p) {
            for c in cs {
                out.push(*c);
                todo.push(*c);
            }
        }
    }
    out
}

/// The parent pid from a /proc/PID/stat line ("pid (comm) state ppid ...", comm may hold spaces).
pub(crate) fn parse_ppid(stat: &str) -> Option<u32> {
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ppid_parsing() {
        assert_eq!(parse_ppid("123 (a b) c) S 45 123 123 0"), Some(45));
        assert_eq!(parse_ppid("garbage"), None);
    }

    #[test]
    fn step_captures_and_fails_with_tail() {
        let d = tempfile::tempdir().unwrap();
        let r = Runner::new(true, d.path().to_path_buf());
        let out = r
            .step(
                "echo test",
                Command::new("sh").args(["-c", "echo one; echo two >&2; echo three"]),
                Duration::from_secs(10),
            )
            .unwrap();
        assert_eq!(out, "one\nthree\n");
        let log = fs::read_to_string(d.path().join("echo-test.log")).unwrap();
        assert!(log.contains("two"));
        let e = r
            .step(
                "fails",
                Command::new("sh").args(["-c", "echo why; exit 3"]),
                Duration::from_secs(10),
            )
            .unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("why") && msg.contains("exit status: 3"),
            "{msg}"
        );
    }

    #[test]
    fn timeout_kills_the_whole_tree() {
        let d = tempfile::tempdir().unwrap();
        let r = Runner::new(true, d.path().to_path_buf());
        let marker = d.path().join("survived");
        let script = format!("(sleep 3; touch {}) & sleep 30", marker.display());
        let t = Instant::now();
        let e = r
            .step(
                "sleeper",
                Command::new("sh").args(["-c", &script]),
                Duration::from_millis(500),
            )
            .unwrap_err();
        assert!(matches!(e, Error::Timeout { .. }), "{e}");
        assert!(t.elapsed() < Duration::from_secs(5));
        std::thread::sleep(Duration::from_secs(4));
        assert!(!marker.exists(), "a grandchild survived the timeout");
    }

    #[test]
    fn capture_reports_spawn_failure() {
        let d = tempfile::tempdir().unwrap();
        let r = Runner::new(true, d.path().to_path_buf());
        assert!(matches!(
            r.capture(
                "x",
                &mut Command::new("/nonexistent/prog"),
                Duration::from_secs(1)
            ),
            Err(Error::Spawn { .. })
        ));
        let c = r
            .capture(
                "x",
                Command::new("sh").args(["-c", "echo a; exit 1"]),
                Duration::from_secs(5),
            )
            .unwrap();
        assert!(!c.status.success());
        assert_eq!(c.stdout, "a\n");
    }
}
