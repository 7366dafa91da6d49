//! Register dumps for the BCM54210E: where a dump line's register lives (the shadow and
//! expansion registers by `page`) and which bits the model keeps deriving (see
//! `Bcm54210e::preload`).

use super::regs::{self, aux, exp, shd};
use crate::c22;
use crate::dump::{DumpAddr, DumpEntry, DumpError, Placement};
use crate::regfile::RegAddr;

/// The register files `preload` hands to [`crate::dump::load_dump`], in this order.
pub(super) const C22_REGS: usize = 0;
pub(super) const IND_REGS: usize = 1;

/// 0x17 bank 0xf: the expansion registers proper, "expansion register N" in Broadcom's
/// documents.
const EXP_BANK: u16 = 0x0f00;

/// Where the BCM54210E keeps the register a dump line names. The part has no pages; a
/// `page S` names what the part's own selector S picks behind one register: auxiliary
/// control shadow S of 0x18, shadow S of 0x1c, expansion register S (0x17 = 0x0f00 | S) of
/// 0x15. The MMD registers are `mmd 3|7 reg R`.
pub(super) fn place(model: &str, addr: DumpAddr) -> Result<Placement, String> {
    match addr {
        // The MMD window, the expansion select and the RDB address/data: what they reach has
        // lines of its own (RDB is not modelled).
        DumpAddr::C22 {
            page: 0,
            reg: 0x0d | 0x0e | 0x17 | 0x1e | 0x1f,
        } => Ok(Placement::Skip),
        DumpAddr::C22 { page, reg: 0x15 } => Ok(Placement::At {
            file: IND_REGS,
            addr: exp(EXP_BANK | page),
        }),
        DumpAddr::C22 {
            page: s @ 0..=7,
            reg: 0x18,
        } => Ok(Placement::At {
            file: IND_REGS,
            addr: aux(s),
        }),
        DumpAddr::C22 {
            page: s @ 0..=0x1f,
            reg: 0x1c,
        } => Ok(Placement::At {
            file: IND_REGS,
            addr: shd(s),
        }),
        DumpAddr::C22 {
            page,
            reg: reg @ (0x18 | 0x1c),
        } => Err(format!(
            "register {reg:#04x} has shadows 0 to {}, not {page}",
            if reg == 0x18 { 7 } else { 31 }
        )),
        DumpAddr::C22 { page: 0, reg } => Ok(Placement::At {
            file: C22_REGS,
            addr: RegAddr::page(0, reg),
        }),
        DumpAddr::C22 { page, .. } => Err(format!(
            "the {model} model has no page {page} (the part has no register pages: `page S` names shadow S of 0x18 or 0x1c, or expansion register S of 0x15)"
        )),
        DumpAddr::C45 { devad, reg } => Ok(Placement::At {
            file: IND_REGS,
            addr: RegAddr::new(u16::from(devad), reg),
        }),
    }
}

/// A read of 0x18 or 0x1c returns the shadow number with the data (0x18 bits 2:0, 0x1c bits
/// 14:10): `e` with its data alone. A dumped value naming another shadow than its line's is
/// a mix-up, not data; zero there is taken as data given alone.
pub(super) fn shadow_data(e: &DumpEntry) -> Result<DumpEntry, DumpError> {
    let (page, reg) = match e.addr {
        DumpAddr::C22 { page, reg } => (page, reg),
        DumpAddr::C45 { .. } => return Ok(*e),
    };
    let (field, bits) = match reg {
        0x18 => (0x0007, "bits 2:0"),
        0x1c => (0x7c00, "bits 14:10"),
        _ => return Ok(*e),
    };
    let shadow = (e.value & field) >> field.trailing_zeros();
    if shadow != 0 && shadow != page {
        return Err(DumpError::new(
            e.line,
            format!(
                "{}: {:#06x} is shadow {shadow} as a read returns it ({bits}): give it as `page {shadow} reg {reg:#04x}`",
                e.addr, e.value
            ),
        ));
    }
    Ok(DumpEntry {
        value: e.value & !field,
        ..*e
    })
}

/// The bits of a register the model keeps deriving (`sync`): never loaded from a dump.
pub(super) fn derived(file: usize, addr: RegAddr) -> u16 {
    match (file, addr) {
        (C22_REGS, regs::ESR | regs::AUX_STATUS | regs::SEED_HCD) => 0xffff,
        (C22_REGS, a) => c22::derived(a.reg),
        (IND_REGS, regs::PCS_STATUS1 | regs::EEE_LP_ABILITY) => 0xffff,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Bcm54210e, BCM54210E};
    use super::*;
    use crate::dump;
    use crate::medium::{Duplex, LinkModes, LinkPartner, Medium, Speed};
    use crate::{Instant, MdioDevice, Phy};
    use std::time::Duration;

    fn preloaded(text: &str) -> Result<Bcm54210e, DumpError> {
        let mut m = Bcm54210e::new(&BCM54210E, Instant::ZERO).unwrap();
        m.preload(Instant::ZERO, &dump::parse(text).unwrap())?;
        Ok(m)
    }

    fn at(s: u64) -> Instant {
        Instant::ZERO + Duration::from_secs(s)
    }

    fn full_partner() -> Medium {
        Medium::cable_to(LinkPartner::negotiating(LinkModes::all()), 5.0)
    }

    #[test]
    fn dumped_values_read_back_even_read_only_ones() {
        let m = preloaded(
            "3 = 0x84a1\n15 = 0x2000\n4 = 0x0de1\n0x10 = 0x1000\n0x1b = 0xfff1\n\
             0x18 = 0x0c00\npage 7 reg 0x18 = 0x01f7\n\
             page 3 reg 0x1c = 0x0e00\npage 0x0d reg 0x1c = 0x00ab\npage 4 reg 0x15 = 0x0155\n\
             page 8 reg 0x15 = 0x1234\nmmd 3 reg 20 = 0x0002\nmmd 7 reg 60 = 0x0002\n",
        )
        .unwrap();
        assert_eq!(m.peek(3), Some(0x84a1));
        assert_eq!(m.peek(15), Some(0x2000));
        assert_eq!(m.peek(4), Some(0x0de1));
        assert_eq!(m.peek(0x10), Some(0x1000));
        assert_eq!(m.peek(0x1b), Some(0xfff1));
        assert_eq!(m.peek_aux(0), Some(0x0c00), "auxiliary control");
        assert_eq!(m.peek_aux(7), Some(0x01f0), "misc control: data bits only");
        assert_eq!(m.peek_shadow(3), Some(0x0200), "clock alignment");
        assert_eq!(m.peek_shadow(0x0d), Some(0x00ab), "LED selector 1");
        assert_eq!(m.peek_exp(0x0f04), Some(0x0155), "multicolor LED selector");
        assert_eq!(m.peek_exp(0x0f08), Some(0x1234));
        assert_eq!(m.peek_mmd(3, 20), Some(0x0002));
        assert_eq!(m.peek_mmd(7, 60), Some(0x0002));
        // Misc bit 4: Ethernet@WireSpeed, taken as the link starts (spare control 2 = 0:
        // after 2 attempts).
        assert_eq!(m.core.link.config().downshift_after, Some(2));
    }

    #[test]
    fn a_shadow_read_names_its_shadow() {
        let e = |t: &str| preloaded(t).err().unwrap().to_string();
        assert_eq!(
            e("0x18 = 0x01f7"),
            "line 1: page 0 reg 24: 0x01f7 is shadow 7 as a read returns it (bits 2:0): \
             give it as `page 7 reg 0x18`"
        );
        assert_eq!(
            e("0 = 0x1140\npage 3 reg 0x1c = 0x1200"),
            "line 2: page 3 reg 28: 0x1200 is shadow 4 as a read returns it (bits 14:10): \
             give it as `page 4 reg 0x1c`"
        );
        // As read back, or the data alone.
        let m = preloaded("page 0x0a reg 0x1c = 0x2801\npage 5 reg 0x1c = 0x0000\n").unwrap();
        assert_eq!(m.peek_shadow(0x0a), Some(0x0001));
        assert_eq!(m.peek_shadow(5), Some(0));
    }

    #[test]
    fn a_software_reset_keeps_what_the_part_is_and_drops_its_configuration() {
        let mut m = preloaded("3 = 0x84a1\n4 = 0x0021\npage 7 reg 0x18 = 0x01f7\n").unwrap();
        m.c22_write(at(1), 0, 0x9140);
        assert_eq!(m.peek(3), Some(0x84a1), "ID");
        assert_eq!(m.peek(4), Some(0x01e1), "advertisement back to reset");
        assert_eq!(m.peek_aux(7), Some(0x01e0), "WireSpeed back to reset");
        // A power-on with no dump is the part's own again.
        m.power_on_reset(at(2));
        assert_eq!(m.peek(3), Some(0x84a0));
    }

    #[test]
    fn link_status_stays_with_the_engine() {
        // Taken with the link up at 1000/Full and a link event pending.
        let mut m = preloaded(
            "1 = 0x796d\n5 = 0xc5e1\n6 = 0x000f\n8 = 0x2801\n0x0a = 0x7c00\n0x11 = 0x1f00\n\
             0x19 = 0xf727\n0x1a = 0x0002\n0x1b = 0xfff1\n0x1d = 0x0400\n\
             mmd 3 reg 1 = 0x0040\nmmd 7 reg 61 = 0x0006\n",
        )
        .unwrap();
        for reg in [5, 8, 0x0a, 0x11, 0x19, 0x1a, 0x1d] {
            assert_eq!(m.peek(reg), Some(0), "reg {reg:#x}");
        }
        assert_eq!(m.peek(1), Some(0x7949));
        assert_eq!(m.peek(6), Some(0x0004));
        assert_eq!(m.peek(0x1b), Some(0xfff1), "interrupt masks load");
        assert_eq!(m.peek_mmd(3, 1), Some(0));
        assert_eq!(m.peek_mmd(7, 61), Some(0));
        assert!(!m.irq_asserted());
        // The scenario's cable has nothing at the far end: no link appears.
        let mut medium = full_partner();
        medium.partner = None;
        m.set_medium(at(0), medium);
        m.advance(at(10));
        assert!(!m.link_state().up);
        assert_eq!(m.c22_read(at(10), 1).unwrap() & c22::bmsr::LINK, 0);
    }

    #[test]
    fn a_dumped_advertisement_takes_effect() {
        // 10BASE-T half duplex only, no 1000BASE-T.
        let mut m = preloaded("4 = 0x0021\n9 = 0x0000\n").unwrap();
        m.set_medium(Instant::ZERO, full_partner());
        m.advance(at(3));
        let l = m.link_state();
        assert!(l.up);
        assert_eq!((l.speed, l.duplex), (Some(Speed::S10), Some(Duplex::Half)));
        assert_eq!(m.peek(0x19).unwrap() & 0x0700, 0x0100, "HCD 10BASE-T half");
    }

    #[test]
    fn a_dumped_power_down_holds_the_link_down_until_cleared() {
        let mut m = preloaded("0 = 0x1940\n").unwrap();
        m.set_medium(Instant::ZERO, full_partner());
        m.advance(at(5));
        assert!(!m.link_state().up);
        m.c22_write(at(5), 0, 0x1140);
        m.advance(at(8));
        let l = m.link_state();
        assert_eq!((l.up, l.speed), (true, Some(Speed::S1000)));
    }

    #[test]
    fn a_dumped_wirespeed_downshifts_on_two_pairs() {
        let mut medium = full_partner();
        medium.cable.pairs = 2;
        let mut plain = Bcm54210e::new(&BCM54210E, Instant::ZERO).unwrap();
        let mut dumped = preloaded("page 7 reg 0x18 = 0x01f7\n").unwrap();
        for m in [&mut plain, &mut dumped] {
            m.set_medium(Instant::ZERO, medium.clone());
            m.advance(at(30));
        }
        assert!(
            !plain.link_state().up,
            "WireSpeed off: keeps trying 1000BASE-T"
        );
        assert_eq!(dumped.link_state().speed, Some(Speed::S100));
    }

    #[test]
    fn access_windows_are_skipped() {
        let m = preloaded("13 = 0x4007\n14 = 0x003c\n0x17 = 0x0f04\n0x1e = 0x0087\n0x1f = 1\n")
            .unwrap();
        for reg in [13, 14, 0x17] {
            assert_eq!(m.peek(reg), Some(0), "reg {reg:#x}");
        }
        assert_eq!(m.peek_mmd(7, 60), Some(0x0006));
    }

    #[test]
    fn what_the_model_cannot_take_names_the_line() {
        let e = |t: &str| preloaded(t).err().unwrap().to_string();
        assert_eq!(
            e("0 = 0x1140\npage 2 reg 4 = 0x01e1"),
            "line 2: page 2 reg 4: the broadcom-bcm54210e model has no page 2 (the part has \
             no register pages: `page S` names shadow S of 0x18 or 0x1c, or expansion register \
             S of 0x15)"
        );
        assert_eq!(
            e("page 8 reg 0x18 = 0"),
            "line 1: page 8 reg 24: register 0x18 has shadows 0 to 7, not 8"
        );
        assert_eq!(
            e("mmd 1 reg 0 = 0"),
            "line 1: mmd 1 reg 0x0000: the broadcom-bcm54210e model has no MMD 1"
        );
        assert_eq!(
            e("page 0x10 reg 0x15 = 0x0001"),
            "line 1: page 16 reg 21 = 0x0001: the broadcom-bcm54210e model does not implement \
             this register (it reads 0); remove the line"
        );
        // A zero for an unmodelled register is what the model reads anyway.
        preloaded("page 0x10 reg 0x15 = 0\npage 0x1f reg 0x1c = 0x7c00\n").unwrap();
    }
}
