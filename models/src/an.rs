//! What the Clause 22 ([`crate::c22`]) and Clause 45 ([`crate::c45`]) models share about
//! autonegotiation: the Clause 28 base page, whose layout the advertisement and link partner
//! registers have in both clauses (ANAR / ANLPAR, 4 and 5; 7.16 / 7.19), the speed and duplex
//! the link settled on, and the bit helpers the status derivations use.

use crate::copper::CopperLink;
use crate::medium::{Duplex, LinkMode, LinkModes, Pause, Speed};
use crate::resolve::PartnerPages;

/// Clause 28 base page bits (28.2.1.2; Annex 28B for the technology ability field).
pub mod page {
    pub const SELECTOR_802_3: u16 = 0x0001;
    pub const SELECTOR: u16 = 0x001f;
    pub const T10_HALF: u16 = 0x0020;
    pub const T10_FULL: u16 = 0x0040;
    pub const T100_HALF: u16 = 0x0080;
    pub const T100_FULL: u16 = 0x0100;
    /// The 10BASE-T and 100BASE-TX abilities.
    pub const TECH_10_100: u16 = T10_HALF | T10_FULL | T100_HALF | T100_FULL;
    pub const T4: u16 = 0x0200;
    pub const PAUSE: u16 = 0x0400;
    pub const ASYM_DIR: u16 = 0x0800;
    /// Extended next page (28.2.1.2.6).
    pub const XNP: u16 = 0x1000;
    pub const REMOTE_FAULT: u16 = 0x2000;
    pub const ACK: u16 = 0x4000;
    pub const NP: u16 = 0x8000;
}

/// The 10BASE-T / 100BASE-TX modes and the pause abilities a local base page (ANAR, 7.16)
/// advertises.
pub fn advertised(adv: u16) -> (LinkModes, Pause) {
    let modes = LinkModes::EMPTY
        .with(LinkMode::BaseT10Half, adv & page::T10_HALF != 0)
        .with(LinkMode::BaseT10Full, adv & page::T10_FULL != 0)
        .with(LinkMode::BaseT100Half, adv & page::T100_HALF != 0)
        .with(LinkMode::BaseT100Full, adv & page::T100_FULL != 0);
    let pause = Pause::from_bits(adv & page::PAUSE != 0, adv & page::ASYM_DIR != 0);
    (modes, pause)
}

/// The base page the partner sent, as ANLPAR (5) and 7.19 show it.
pub fn base_page(p: &PartnerPages) -> u16 {
    let tech = mode_bits(
        p.advertise,
        &[
            (LinkMode::BaseT10Half, page::T10_HALF),
            (LinkMode::BaseT10Full, page::T10_FULL),
            (LinkMode::BaseT100Half, page::T100_HALF),
            (LinkMode::BaseT100Full, page::T100_FULL),
        ],
    );
    let pause = bit(p.pause.pause_bit(), page::PAUSE) | bit(p.pause.asym_dir_bit(), page::ASYM_DIR);
    // Acknowledge is always set in a received base page.
    page::SELECTOR_802_3 | tech | pause | page::ACK | bit(p.next_page, page::NP)
}

/// The speed and duplex the PHY has settled on: from the page exchange on when negotiating,
/// the forced mode whenever the link runs otherwise.
pub fn resolved(link: &CopperLink) -> Option<(Speed, Duplex)> {
    let ability = &link.config().ability;
    if !link.running() {
        None
    } else if ability.autoneg {
        link.link().map(|l| (l.speed, l.duplex))
    } else {
        Some(ability.forced)
    }
}

/// The bits `table` gives the modes in `modes`.
pub fn mode_bits(modes: LinkModes, table: &[(LinkMode, u16)]) -> u16 {
    table
        .iter()
        .filter(|(m, _)| modes.contains(*m))
        .fold(0, |acc, (_, b)| acc | b)
}

pub const fn bit(set: bool, mask: u16) -> u16 {
    if set {
        mask
    } else {
        0
    }
}
