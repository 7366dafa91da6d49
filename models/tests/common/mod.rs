//! The driver-replay kit the model tests share. Each `tests/<model>.rs` replays what the
//! upstream Linux driver and phylib do to one PHY model (a `Linux` struct: boot, probe,
//! config_init, config_aneg, read_status, ...), plus a property test of the model's register
//! invariants. What those replays have in common lives here; what is the vendor's (its
//! config_init, read_status, cable test, paging scheme) stays in the model's file.
//!
//! - [`bus`]: the guest clock (sleeping, to an instant) and MDIO accesses over a `dyn Phy`:
//!   Clause 22, MMDs through 13/14, paged registers behind a page-select register, Clause 45.
//! - [`phylib`]: phylib's generic code as register accesses (genphy_update_link(),
//!   genphy_read_lpa(), genphy_read_master_slave(), the EEE advertisement and status, the
//!   restart of autonegotiation) and its state machine waiting for the link.
//! - [`media`]: link partners and cables (with faults).
//! - [`cable`]: what `ethtool --cable-test` reports per pair.
//! - [`props`]: proptest strategies and the medium changes the property tests make.
//! - [`marvell`]: marvell.c code both Marvell replays (88E151x, 88E1111) run.
//!
//! Where two replays differ, the difference is a parameter (documented where it is defined),
//! not a merge: every test keeps the bus traffic and timing it was written against.

// Every test binary compiles this module on its own and each uses only part of it: what one
// binary leaves unused is used by another.
#![allow(dead_code)]

pub mod bus;
pub mod cable;
pub mod marvell;
pub mod media;
pub mod phylib;
pub mod props;

use std::time::Duration;

pub const MS: Duration = Duration::from_millis(1);
pub const US: Duration = Duration::from_micros(1);
