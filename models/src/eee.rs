//! Energy Efficient Ethernet (IEEE 802.3 clause 78) as the MMD registers encode it. EEE is
//! advertised per BASE-T speed, full duplex only; these are the link modes it exists for and
//! their bits in the two register layouts:
//!
//! - layout 1, shared by PCS EEE capability 3.20, EEE advertisement 7.60 and link partner EEE
//!   ability 7.61 (45.2.3.10, 45.2.7.13, 45.2.7.14): 1 100BASE-TX, 2 1000BASE-T, 3 10GBASE-T
//!   (the backplane bits 4-6 have no twisted-pair mode);
//! - layout 2, shared by 3.21, 7.62 and 7.63 (45.2.3.11, 45.2.7.16, 45.2.7.17):
//!   0 2.5GBASE-T, 1 5GBASE-T.
//!
//! 10BASE-Te needs no negotiation and has no bit.

use crate::medium::{LinkMode, LinkModes};

/// The modes EEE can be advertised for, with their register bits: (mode, layout 1, layout 2).
const BITS: [(LinkMode, u16, u16); 5] = [
    (LinkMode::BaseT100Full, 0x0002, 0),
    (LinkMode::BaseT1000Full, 0x0004, 0),
    (LinkMode::BaseT10000Full, 0x0008, 0),
    (LinkMode::BaseT2500Full, 0, 0x0001),
    (LinkMode::BaseT5000Full, 0, 0x0002),
];

/// The modes of `modes` EEE exists for.
pub fn capable(modes: LinkModes) -> LinkModes {
    BITS.iter()
        .map(|b| b.0)
        .filter(|m| modes.contains(*m))
        .collect()
}

/// `modes` in layout 1 (3.20 / 7.60 / 7.61).
pub fn cap1(modes: LinkModes) -> u16 {
    BITS.iter()
        .filter(|b| modes.contains(b.0))
        .fold(0, |acc, b| acc | b.1)
}

/// `modes` in layout 2 (3.21 / 7.62 / 7.63).
pub fn cap2(modes: LinkModes) -> u16 {
    BITS.iter()
        .filter(|b| modes.contains(b.0))
        .fold(0, |acc, b| acc | b.2)
}

/// The modes a layout 1 word and a layout 2 word name; other bits are ignored.
pub fn modes(cap1: u16, cap2: u16) -> LinkModes {
    BITS.iter()
        .filter(|b| cap1 & b.1 != 0 || cap2 & b.2 != 0)
        .map(|b| b.0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_round_trip_and_drop_what_eee_does_not_cover() {
        let all = LinkModes::all();
        assert_eq!(cap1(all), 0x000e);
        assert_eq!(cap2(all), 0x0003);
        assert_eq!(modes(cap1(all), cap2(all)), capable(all));
        assert!(!capable(all).contains(LinkMode::BaseT100Half));
        assert!(!capable(all).contains(LinkMode::BaseT10Full));
        // Backplane bits (1000BASE-KX, 10GBASE-KX4, 10GBASE-KR) name no BASE-T mode.
        assert_eq!(modes(0x0070, 0), LinkModes::EMPTY);
        assert_eq!(
            modes(0x0006, 0),
            [LinkMode::BaseT100Full, LinkMode::BaseT1000Full]
                .into_iter()
                .collect()
        );
    }
}
