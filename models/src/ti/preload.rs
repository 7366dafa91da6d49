//! Register dumps for the DP83867: where a dump line's register lives and which bits the model
//! keeps deriving (see `Dp83867::preload`).

use super::regs;
use crate::c22;
use crate::dump::{DumpAddr, Placement};
use crate::regfile::RegAddr;

/// The register files `preload` hands to [`crate::dump::load_dump`], in this order.
pub(super) const C22_REGS: usize = 0;
pub(super) const MMD_REGS: usize = 1;

/// Where the DP83867 keeps the register a dump line names: Clause 22 registers without
/// `page`, the extended registers as `mmd 31 reg R` (MMD device 0x1f behind REGCR/ADDAR,
/// which is how dp83867.c reaches them too), and MMD 3 and 7.
pub(super) fn place(model: &str, addr: DumpAddr) -> Result<Placement, String> {
    match addr {
        // REGCR/ADDAR's last address and data say nothing about the part: the registers they
        // reach have lines of their own.
        DumpAddr::C22 {
            page: 0,
            reg: 0x0d | 0x0e,
        } => Ok(Placement::Skip),
        DumpAddr::C22 { page: 0, reg } => Ok(Placement::At {
            file: C22_REGS,
            addr: RegAddr::page(0, reg),
        }),
        DumpAddr::C22 { page, .. } => Err(format!(
            "the {model} model has no page {page} (the part has no register pages: give its registers without `page`, its extended registers as `mmd 31 reg R`)"
        )),
        DumpAddr::C45 { devad, reg } => Ok(Placement::At {
            file: MMD_REGS,
            addr: RegAddr::new(u16::from(devad), reg),
        }),
    }
}

/// The bits of a register the model keeps deriving (`sync`): never loaded from a dump.
pub(super) fn derived(file: usize, addr: RegAddr) -> u16 {
    match (file, addr) {
        (C22_REGS, regs::PHYSTS | regs::STS2) => 0xffff,
        (C22_REGS, a) => c22::derived(a.reg),
        (MMD_REGS, regs::PCS_STATUS1 | regs::EEE_LP_ABILITY) => 0xffff,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Dp83867, DP83867};
    use super::*;
    use crate::dump::{self, DumpError};
    use crate::medium::{Duplex, LinkModes, LinkPartner, Medium, Speed};
    use crate::{Instant, MdioDevice, Phy};
    use std::time::Duration;

    fn preloaded(text: &str) -> Result<Dp83867, DumpError> {
        let mut m = Dp83867::new(&DP83867, Instant::ZERO).unwrap();
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
            "3 = 0xa232\n15 = 0x2000\n4 = 0x0de1\n0x10 = 0x5008\n0x14 = 0x2fc7\n0x1e = 0x0082\n\
             mmd 31 reg 0x32 = 0x00d0\nmmd 31 reg 0x86 = 0x00a8\nmmd 31 reg 0x6e = 0x0800\n\
             mmd 31 reg 0x6f = 0x0400\nmmd 3 reg 20 = 0x0002\nmmd 7 reg 60 = 0\n",
        )
        .unwrap();
        assert_eq!(m.peek(3), Some(0xa232));
        assert_eq!(m.peek(15), Some(0x2000));
        assert_eq!(m.peek(4), Some(0x0de1));
        assert_eq!(m.peek(0x10), Some(0x5008));
        assert_eq!(m.peek(0x14), Some(0x2fc7));
        assert_eq!(m.peek(0x1e), Some(0x0082));
        assert_eq!(m.peek_mmd(0x1f, 0x32), Some(0x00d0));
        assert_eq!(m.peek_mmd(0x1f, 0x86), Some(0x00a8));
        assert_eq!(m.peek_mmd(0x1f, 0x6e), Some(0x0800), "strap status");
        assert_eq!(m.peek_mmd(0x1f, 0x6f), Some(0x0400), "FLD strapped");
        assert_eq!(m.peek_mmd(3, 20), Some(0x0002));
        assert_eq!(m.peek_mmd(7, 60), Some(0));
        // CFG2 11:10 = 3: downshift after 8 failed attempts, as at power-up.
        assert_eq!(m.core.link.config().downshift_after, Some(8));
    }

    #[test]
    fn a_software_reset_keeps_what_the_part_is_and_drops_its_configuration() {
        let text = "3 = 0xa232\n4 = 0x0021\nmmd 31 reg 0x86 = 0x00a8\nmmd 31 reg 0x6f = 0x0400\n";
        for (reg, bit) in [(0x1f, 0x8000), (0x00, 0x9140)] {
            let mut m = preloaded(text).unwrap();
            // dp83867_phy_reset() (CTRL.15), or genphy_soft_reset() (BMCR.15).
            m.c22_write(at(1), reg, bit);
            assert_eq!(m.peek(3), Some(0xa232), "ID");
            assert_eq!(m.peek_mmd(0x1f, 0x6f), Some(0x0400), "straps");
            assert_eq!(m.peek(4), Some(0x01e1), "advertisement back to reset");
            assert_eq!(m.peek_mmd(0x1f, 0x86), Some(0x0077), "delays back to reset");
        }
        // A power-on with no dump is the part's own again.
        let mut m = preloaded(text).unwrap();
        m.power_on_reset(at(2));
        assert_eq!(m.peek(3), Some(0xa231));
        assert_eq!(m.peek_mmd(0x1f, 0x6f), Some(0));
    }

    #[test]
    fn link_status_stays_with_the_engine() {
        // Taken with the link up at 1000/Full, interrupts enabled and events pending.
        let mut m = preloaded(
            "1 = 0x797d\n5 = 0xc5e1\n6 = 0x006f\n8 = 0x2801\n0x0a = 0x7c00\n0x11 = 0xbc02\n\
             0x12 = 0xec10\n0x13 = 0x1c00\n0x15 = 0x0003\n0x17 = 0x0040\n\
             mmd 3 reg 1 = 0x0040\nmmd 7 reg 61 = 0x0006\n",
        )
        .unwrap();
        for reg in [5, 8, 0x0a, 0x11, 0x13, 0x15, 0x17] {
            assert_eq!(m.peek(reg), Some(0), "reg {reg:#x}");
        }
        assert_eq!(m.peek(1), Some(0x7949));
        assert_eq!(m.peek(6), Some(0x0064));
        assert_eq!(m.peek(0x12), Some(0xec10), "interrupt enables load");
        assert_eq!(m.peek_mmd(3, 1), Some(0));
        assert_eq!(m.peek_mmd(7, 61), Some(0));
        // The scenario's cable has nothing at the far end: no link appears.
        let mut medium = full_partner();
        medium.partner = None;
        m.set_medium(at(0), medium);
        m.advance(at(10));
        assert!(!m.link_state().up);
        assert_eq!(m.c22_read(at(10), 1).unwrap() & c22::bmsr::LINK, 0);
        assert_eq!(m.peek(0x11), Some(0));
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
    fn a_dumped_interrupt_output_enable_gates_intn() {
        let mut m = preloaded("0x12 = 0x0400\n0x1e = 0x0002\n").unwrap();
        m.set_medium(Instant::ZERO, full_partner());
        m.advance(at(5));
        assert!(m.link_state().up);
        assert!(!m.irq_asserted(), "CFG3.7 clear: INTN/PWDNN is an input");
        let mut m = preloaded("0x12 = 0x0400\n0x1e = 0x0082\n").unwrap();
        m.set_medium(Instant::ZERO, full_partner());
        m.advance(at(5));
        assert!(m.irq_asserted(), "link status changed");
    }

    #[test]
    fn access_windows_are_skipped() {
        let m = preloaded("13 = 0x401f\n14 = 0x0086\n").unwrap();
        assert_eq!(m.peek(13), Some(0));
        assert_eq!(m.peek(14), Some(0));
        assert_eq!(m.peek_mmd(0x1f, 0x86), Some(0x0077));
    }

    #[test]
    fn what_the_model_cannot_take_names_the_line() {
        let e = |t: &str| preloaded(t).err().unwrap().to_string();
        assert_eq!(
            e("0 = 0x1140\npage 1 reg 0 = 0x1140"),
            "line 2: page 1 reg 0: the ti-dp83867 model has no page 1 (the part has no register \
             pages: give its registers without `page`, its extended registers as `mmd 31 reg R`)"
        );
        assert_eq!(
            e("mmd 1 reg 0 = 0"),
            "line 1: mmd 1 reg 0x0000: the ti-dp83867 model has no MMD 1"
        );
        assert_eq!(
            e("0x0b = 0x1234"),
            "line 1: page 0 reg 11 = 0x1234: the ti-dp83867 model does not implement this \
             register (it reads 0); remove the line"
        );
        assert!(e("mmd 31 reg 0x100 = 5").starts_with("line 1: mmd 31 reg 0x0100 = 0x0005:"));
        // A zero for an unmodelled register is what the model reads anyway.
        preloaded("0x0b = 0\nmmd 31 reg 0x100 = 0").unwrap();
    }
}
