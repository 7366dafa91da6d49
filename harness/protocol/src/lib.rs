//! The messages between `phy-sim` (the host) and `phy-sim-agent` (in the guest): one JSON
//! object per line, [`HostMessage`] from the host to the agent and [`AgentMessage`] back.
//!
//! `harness/agent/PROTOCOL.md` is the specification (sequence, timing, what every field
//! means); these types are its wire format, shared by both ends so that they cannot drift
//! apart. An `Option` is sent as `null`, never left out, unless its field says otherwise.
//! Unknown fields are ignored when reading, as the protocol requires.
//!
//! The agent is linked statically into a libc-less initramfs, so this crate depends on serde
//! alone.

mod agent_to_host;
mod host_to_agent;

pub use agent_to_host::{
    ActionDoneReport, AgentMessage, Amplitude, BenchReport, CableTestMode, CableTestReport,
    LinkFact, PairReport, SettingAction, TdrStep, TeardownReport, TeardownStep,
};
pub use host_to_agent::{
    BenchPlan, Duplex, GuestAction, HostMessage, LinkSettings, MasterSlaveCfg, PlannedAction,
};

#[cfg(test)]
mod protocol_md;
