//! Register-level models of Ethernet PHYs.
//!
//! Models are pure: no I/O, no host clock. Every call that can depend on time takes the
//! current instant, and a model tells when it next needs to run (`next_deadline`), so the
//! device server can follow the guest's virtual clock.

pub mod an;
pub mod aquantia;
pub mod broadcom;
pub mod c22;
pub mod c45;
pub mod catalog;
pub mod copper;
pub mod dump;
pub mod eee;
pub mod marvell;
pub mod marvell10g;
pub mod medium;
pub mod microchip;
pub mod mmd;
pub mod motorcomm;
pub mod notes;
pub mod paging;
pub mod qualcomm;
pub mod realtek;
pub mod regfile;
pub mod resolve;
pub mod ti;
pub mod time;
pub mod timing;

pub use catalog::{build, catalog, ModelError, ModelInfo};
pub use dump::{DumpAddr, DumpEntry, DumpError};
pub use medium::{
    Cable, Duplex, FaultKind, FlowControl, LinkMode, LinkModes, LinkPartner, LinkState,
    MasterSlave, Medium, PairFault, PairReport, Pause, Speed, PAIR_NAMES,
};
pub use notes::UnimplementedAccess;
pub use time::Instant;
pub use timing::LinkTiming;

/// Clause 22 / Clause 45 management interface of one PHY, as seen from an MDIO bus.
pub trait MdioDevice {
    /// Clause 22 read. `None`: the device does not answer Clause 22 (the bus reads 0xffff).
    fn c22_read(&mut self, now: Instant, reg: u8) -> Option<u16>;
    fn c22_write(&mut self, now: Instant, reg: u8, value: u16);
    /// Clause 45 read. `None`: the device does not answer that MMD (the bus reads 0xffff).
    fn c45_read(&mut self, now: Instant, devad: u8, reg: u16) -> Option<u16>;
    fn c45_write(&mut self, now: Instant, devad: u8, reg: u16, value: u16);
    /// Run internal timers (autoneg, link-up delay, reset completion) up to `now`.
    fn advance(&mut self, now: Instant);
    /// The earliest instant at which `advance` would change something observable.
    fn next_deadline(&self) -> Option<Instant>;
    /// INT# is asserted (active low on the pin; this is the logical "asserted").
    fn irq_asserted(&self) -> bool;
    /// Power-on reset: every register back to its power-on value, as if the supply came up at `now`.
    fn power_on_reset(&mut self, now: Instant);
}

/// A PHY model as the device server drives it: the management interface plus the wire.
pub trait Phy: MdioDevice + Send {
    /// The cable or the partner changed at `now`. A change drops the link at once (a running
    /// PHY then starts over); setting the same medium again does nothing.
    fn set_medium(&mut self, now: Instant, medium: Medium);
    fn medium(&self) -> &Medium;
    /// The link as the MAC sees it, as of the last call that took an instant.
    fn link_state(&self) -> LinkState;
    fn info(&self) -> &ModelInfo;
    fn link_timing(&self) -> &LinkTiming;
    /// New delays apply to timers started from now on.
    fn set_link_timing(&mut self, timing: LinkTiming);
    /// Accesses answered without being modelled since the last call, each register's first
    /// read and first write only.
    fn take_unimplemented(&mut self) -> Vec<UnimplementedAccess>;
    /// Loads a register dump at `now`, right after power-on, as if the part had come up with
    /// these values: device-side writes (read-only fields take the value too) that trigger no
    /// guest-write side effects; the model then restarts its link from the loaded
    /// configuration. What each model loads and what it keeps deriving is its own to document.
    /// The error names the dump line of the first register it cannot take. The default: no
    /// dump support (an empty dump is fine).
    fn preload(&mut self, now: Instant, regs: &[DumpEntry]) -> Result<(), DumpError> {
        let _ = now;
        match regs.first() {
            None => Ok(()),
            Some(e) => Err(DumpError::new(
                e.line,
                format!(
                    "model `{}` cannot start from a register dump (not supported yet)",
                    self.info().name
                ),
            )),
        }
    }
}
