//! The guest agent protocol (`harness/agent/PROTOCOL.md`); the types are shared with the
//! agent.

pub use phy_sim_protocol::*;
