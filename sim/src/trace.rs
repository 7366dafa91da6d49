//! Files a run leaves behind: the MDIO trace in the kernel's `mdio_access` tracepoint format
//! (so existing trace tooling reads it) and the board's event log as JSON lines.

use crate::board::{BoardEvent, Observer};
use phy_sim_models::Instant;
use serde::Serialize;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

pub struct FileObserver {
    mdio: BufWriter<File>,
    events: BufWriter<File>,
}

pub const MDIO_TRACE_FILE: &str = "mdio-trace.txt";
pub const EVENTS_FILE: &str = "sim-events.jsonl";

impl FileObserver {
    pub fn create(dir: &Path) -> std::io::Result<Self> {
        let mut mdio = BufWriter::new(File::create(dir.join(MDIO_TRACE_FILE))?);
        writeln!(mdio, "# tracer: nop")?;
        writeln!(
            mdio,
            "# phy-sim device-side MDIO trace; bus ids are the scenario's bus names, time is guest CLOCK_MONOTONIC"
        )?;
        Ok(FileObserver {
            mdio,
            events: BufWriter::new(File::create(dir.join(EVENTS_FILE))?),
        })
    }
}

/// One trace line, as `trace_mdio_access` prints it after ftrace's usual prefix.
pub fn mdio_trace_line(
    t: Instant,
    bus: &str,
    write: bool,
    addr: u8,
    reg: u16,
    value: u16,
) -> String {
    let ns = t.as_nanos();
    format!(
        "       phy-sim-0       [000] ..... {:>5}.{:06}: mdio_access: {} {:<5} phy:0x{:02x} reg:0x{:02x} val:0x{:04x}",
        ns / 1_000_000_000,
        (ns % 1_000_000_000) / 1_000,
        bus,
        if write { "write" } else { "read" },
        addr,
        reg,
        value
    )
}

#[derive(Serialize)]
struct Stamped<'a> {
    t: u64,
    #[serde(flatten)]
    event: &'a BoardEvent,
}

impl Observer for FileObserver {
    fn mdio_access(&mut self, t: Instant, bus: &str, write: bool, addr: u8, reg: u16, value: u16) {
        let line = mdio_trace_line(t, bus, write, addr, reg, value);
        if let Err(e) = writeln!(self.mdio, "{line}").and_then(|_| self.mdio.flush()) {
            tracing::warn!("mdio trace write failed: {e}");
        }
    }

    fn event(&mut self, t: Instant, event: &BoardEvent) {
        let stamped = Stamped {
            t: t.as_nanos(),
            event,
        };
        let result = serde_json::to_writer(&mut self.events, &stamped)
            .map_err(std::io::Error::other)
            .and_then(|_| writeln!(self.events))
            .and_then(|_| self.events.flush());
        if let Err(e) = result {
            tracing::warn!("event log write failed: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trace_line_matches_the_kernel_format() {
        let line = mdio_trace_line(
            Instant::from_nanos(12_345_678_901),
            "mdio0",
            false,
            1,
            2,
            0x141,
        );
        assert!(
            line.ends_with("   12.345678: mdio_access: mdio0 read  phy:0x01 reg:0x02 val:0x0141"),
            "{line}"
        );
    }
}
