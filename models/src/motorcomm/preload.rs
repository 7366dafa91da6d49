//! Register dumps for the YT8521: where a dump line's register lives (register spaces as
//! pages, extended registers as MMD 0 and 30), and which bits the model keeps deriving (see
//! `Yt8521::preload`).

use super::regs;
use super::{c22_addr, ext_addr, EXT_DEVAD, EXT_FIBER_DEVAD};
use crate::c22::{self, bmsr};
use crate::dump::{DumpAddr, Placement};
use crate::regfile::RegAddr;

/// The register files `preload` hands to [`crate::dump::load_dump`], in this order.
pub(super) const REGS: usize = 0;
pub(super) const MMD_REGS: usize = 1;

/// Where the YT8521 keeps the register a dump line names. A page is a register space, as
/// motorcomm.c's read_page/write_page select it through ext 0xa000 (0 UTP, 1 fiber); an
/// extended register (0x1e address / 0x1f data) is `mmd 0 reg R`, or `mmd 30 reg R` with the
/// fiber space selected: the names the model's `take_unimplemented()` gives them.
pub(super) fn place(model: &str, addr: DumpAddr) -> Result<Placement, String> {
    match addr {
        DumpAddr::C22 {
            page: page @ (0 | 1),
            reg,
        } => {
            let space = page;
            Ok(match reg {
                // The extended register window, and the UTP MMD window: what they reach has
                // lines of its own.
                0x1e | 0x1f => Placement::Skip,
                0x0d | 0x0e if space == regs::UTP => Placement::Skip,
                _ => Placement::At {
                    file: REGS,
                    addr: c22_addr(space, reg),
                },
            })
        }
        DumpAddr::C22 { page, .. } => Err(format!(
            "the {model} model has no page {page} (pages are the register spaces ext 0xa000 selects: 0 UTP, 1 fiber)"
        )),
        // The space select: the line's page or MMD says which space a register is in.
        DumpAddr::C45 {
            devad: EXT_DEVAD | EXT_FIBER_DEVAD,
            reg,
        } if reg == regs::SPACE_SELECT.reg => Ok(Placement::Skip),
        DumpAddr::C45 {
            devad: EXT_DEVAD,
            reg,
        } => Ok(Placement::At {
            file: REGS,
            addr: ext_addr(regs::UTP, reg),
        }),
        DumpAddr::C45 {
            devad: EXT_FIBER_DEVAD,
            reg,
        } => Ok(Placement::At {
            file: REGS,
            addr: ext_addr(regs::FIBER, reg),
        }),
        DumpAddr::C45 { devad, reg } => Ok(Placement::At {
            file: MMD_REGS,
            addr: RegAddr::new(u16::from(devad), reg),
        }),
    }
}

/// The bits of a register the model keeps deriving (`sync`; the fiber side never has a
/// signal): never loaded from a dump.
pub(super) fn derived(file: usize, addr: RegAddr) -> u16 {
    match (file, addr) {
        (REGS, regs::FIBER_BMSR) => bmsr::LINK | bmsr::AN_COMPLETE,
        (REGS, regs::SSR | regs::FIBER_LPA | regs::FIBER_SSR) => 0xffff,
        (REGS, a) if a.space == regs::UTP => c22::derived(a.reg),
        (MMD_REGS, regs::PCS_STATUS1 | regs::EEE_LP_ABILITY) => 0xffff,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ssr, Yt8521, YT8521};
    use super::*;
    use crate::dump::{self, DumpError};
    use crate::medium::{Duplex, LinkModes, LinkPartner, Medium, Speed};
    use crate::{Instant, MdioDevice, Phy};
    use std::time::Duration;

    fn preloaded(text: &str) -> Result<Yt8521, DumpError> {
        let mut m = Yt8521::new(&YT8521, Instant::ZERO).unwrap();
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
            "3 = 0x011b\n15 = 0x2000\n4 = 0x0de1\npage 1 reg 4 = 0x0020\n0x10 = 0x0040\n\
             0x14 = 0x000c\nmmd 0 reg 0xa001 = 0x8102\nmmd 0 reg 0xa003 = 0x04f1\n\
             mmd 0 reg 0x0c = 0x0000\nmmd 30 reg 0xa5 = 0x8001\nmmd 3 reg 20 = 0x0002\n\
             mmd 7 reg 60 = 0\n",
        )
        .unwrap();
        assert_eq!(m.peek(0, 3), Some(0x011b));
        assert_eq!(m.peek(0, 15), Some(0x2000));
        assert_eq!(m.peek(0, 4), Some(0x0de1), "UTP advertisement");
        assert_eq!(m.peek(1, 4), Some(0x0020), "fiber advertisement");
        assert_eq!(m.peek(0, 0x10), Some(0x0040));
        assert_eq!(m.peek_ext(0, 0xa001), Some(0x8102), "chip config: mode 2");
        assert_eq!(m.peek_ext(0, 0xa003), Some(0x04f1));
        assert_eq!(m.peek_ext(0, 0x0c), Some(0));
        assert_eq!(m.peek_ext(1, 0xa5), Some(0x8001), "fiber extended register");
        assert_eq!(m.mmd.peek(RegAddr::new(3, 20)), Some(0x0002));
        assert_eq!(m.mmd.peek(regs::EEE_ADV), Some(0));
        assert_eq!(m.space(), regs::UTP);
        // 0x14 bit 5 clear: no downgrade, as at power-up.
        assert_eq!(m.core.link.config().downshift_after, None);
    }

    #[test]
    fn both_names_of_a_common_register_must_agree() {
        let m = preloaded(
            "0x10 = 0x0040\npage 1 reg 0x10 = 0x0040\nmmd 0 reg 0xa003 = 0x04f1\n\
             mmd 30 reg 0xa003 = 0x04f1\n0x13 = 0x0400\npage 1 reg 0x13 = 0\n",
        )
        .unwrap();
        assert_eq!(m.peek(1, 0x10), Some(0x0040));
        let e = |t: &str| preloaded(t).err().unwrap().to_string();
        assert_eq!(
            e("0x10 = 0x0040\npage 1 reg 0x10 = 0x0060"),
            "line 2: page 1 reg 16 = 0x0060: the register line 1 sets (page 0 reg 16 = 0x0040); \
             the two disagree"
        );
        assert!(e("mmd 0 reg 0xa003 = 1\nmmd 30 reg 0xa003 = 2").starts_with("line 2:"));
        // The spaces' own registers are two registers.
        preloaded("4 = 0x01e1\npage 1 reg 4 = 0x0020\n").unwrap();
    }

    #[test]
    fn a_soft_reset_keeps_the_loaded_registers() {
        let mut m = preloaded("3 = 0x011b\n4 = 0x0061\nmmd 0 reg 0xa003 = 0x04f1\n").unwrap();
        m.c22_write(at(1), 0, 0x9140);
        m.advance(at(2));
        assert_eq!(m.peek(0, 0).unwrap() & c22::bmcr::RESET, 0, "reset done");
        assert_eq!(m.peek(0, 3), Some(0x011b));
        assert_eq!(m.peek(0, 4), Some(0x0061));
        assert_eq!(m.peek_ext(0, 0xa003), Some(0x04f1));
    }

    #[test]
    fn link_status_stays_with_the_engine() {
        // Taken with the UTP link up at 1000/Full and events pending; the fiber side as a
        // combo board would show it.
        let mut m = preloaded(
            "1 = 0x796d\n5 = 0xc5e1\n6 = 0x000f\n8 = 0x2801\n0x0a = 0x7c00\n0x11 = 0xbc08\n\
             0x12 = 0x0c00\n0x13 = 0x1400\n0x15 = 0x0002\npage 1 reg 1 = 0x016d\n\
             page 1 reg 5 = 0x41a0\npage 1 reg 0x11 = 0xac00\n\
             mmd 3 reg 1 = 0x0100\nmmd 7 reg 61 = 0x0006\n",
        )
        .unwrap();
        for reg in [5, 8, 0x0a, 0x11, 0x13, 0x15] {
            assert_eq!(m.peek(0, reg), Some(0), "reg {reg:#x}");
        }
        assert_eq!(m.peek(0, 1), Some(0x7949));
        assert_eq!(m.peek(0, 6), Some(0x0004));
        assert_eq!(m.peek(0, 0x12), Some(0x0c00), "interrupt enables load");
        assert_eq!(m.peek(1, 1), Some(0x0149), "no fiber link");
        assert_eq!((m.peek(1, 5), m.peek(1, 0x11)), (Some(0), Some(0)));
        assert_eq!(m.mmd.peek(regs::PCS_STATUS1), Some(0));
        assert_eq!(m.mmd.peek(regs::EEE_LP_ABILITY), Some(0));
        // The scenario's cable has nothing at the far end: no link appears.
        let mut medium = full_partner();
        medium.partner = None;
        m.set_medium(at(0), medium);
        m.advance(at(10));
        assert!(!m.link_state().up);
        assert_eq!(m.c22_read(at(10), 1).unwrap() & bmsr::LINK, 0);
        assert_eq!(m.peek(0, 0x11), Some(0));
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
        let sr = m.peek(0, 0x11).unwrap();
        assert_eq!(sr & (ssr::SPEED | ssr::DUPLEX | ssr::LINK), ssr::LINK);
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
    fn a_dumped_downgrade_off_never_downshifts() {
        let mut medium = full_partner();
        medium.cable.pairs = 2;
        let mut plain = Yt8521::new(&YT8521, Instant::ZERO).unwrap();
        let mut dumped = preloaded("0x14 = 0x000c\n").unwrap();
        for m in [&mut plain, &mut dumped] {
            m.set_medium(Instant::ZERO, medium.clone());
            m.advance(at(30));
        }
        assert_eq!(plain.link_state().speed, Some(Speed::S100), "downshifted");
        assert!(!dumped.link_state().up);
    }

    #[test]
    fn access_windows_are_skipped() {
        let m = preloaded(
            "13 = 0x4007\n14 = 0x003c\n0x1e = 0xa001\n0x1f = 0x1234\nmmd 0 reg 0xa000 = 0x0002\n",
        )
        .unwrap();
        for reg in [13, 14, 0x1e] {
            assert_eq!(m.peek(0, reg), Some(0), "reg {reg:#x}");
        }
        assert_eq!(m.peek_ext(0, 0xa001), Some(0x8100), "chip config untouched");
        assert_eq!(m.space(), regs::UTP);
    }

    #[test]
    fn what_the_model_cannot_take_names_the_line() {
        let e = |t: &str| preloaded(t).err().unwrap().to_string();
        assert_eq!(
            e("0 = 0x1140\npage 2 reg 0 = 0x1140"),
            "line 2: page 2 reg 0: the motorcomm-yt8521 model has no page 2 (pages are the \
             register spaces ext 0xa000 selects: 0 UTP, 1 fiber)"
        );
        assert_eq!(
            e("mmd 1 reg 0 = 0"),
            "line 1: mmd 1 reg 0x0000: the motorcomm-yt8521 model has no MMD 1"
        );
        assert_eq!(
            e("mmd 0 reg 0xa00f = 0x0005"),
            "line 1: mmd 0 reg 0xa00f = 0x0005: the motorcomm-yt8521 model does not implement \
             this register (it reads 0); remove the line"
        );
        assert!(e("page 1 reg 9 = 0x0200").starts_with("line 1: page 1 reg 9 = 0x0200:"));
        // A zero for an unmodelled register is what the model reads anyway.
        preloaded("page 1 reg 9 = 0\nmmd 30 reg 0x10 = 0\n").unwrap();
    }
}
