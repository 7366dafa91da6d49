//! marvell.c code that both Marvell replays run (tests/marvell.rs for the 88E151x,
//! tests/m88e1111.rs for the 88E1111).

use super::bus::C22;
use super::{phylib, MS};

/// marvell_cable_test_start_common(): autonegotiation off (committed by a soft reset), then
/// time for a link that was up to go down.
pub fn cable_test_start_common(l: &mut impl C22) {
    let bmcr = l.read(0);
    let bmsr = l.read(1);
    if bmcr & 0x1000 != 0 {
        l.modify(0, 0x1000, 0);
        phylib::soft_reset(l);
    }
    if bmsr & 0x0004 != 0 {
        l.sleep(1500 * MS);
    }
}
