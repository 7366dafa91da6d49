//! Register dumps for the RTL8211F: where a dump line's register lives, and which bits the
//! model keeps deriving (see `Rtl8211f::preload`).

use super::paged_addr;
use super::regs;
use crate::c22;
use crate::dump::{DumpAddr, Placement};
use crate::regfile::RegAddr;

/// The register files `preload` hands to [`crate::dump::load_dump`], in this order.
pub(super) const C22_REGS: usize = 0;
pub(super) const MMD_REGS: usize = 1;

/// The kernel's name for C22 register R of the default page in MDIO_MMD_VEND2
/// (`RTL822X_VND2_C22_REG`), and the last register it names so.
const VND2_C22: u16 = 0xa400;
const VND2_C22_LAST: u16 = VND2_C22 + 2 * 30;

/// Where the RTL8211F keeps the register a dump line names: `page P reg R` as PAGSR = P
/// would reach it, `mmd 31 reg A` as realtek_main.c's rtl822xb_read_mmd() names paged
/// registers, `mmd 3|7 reg R` through 13/14.
pub(super) fn place(addr: DumpAddr) -> Result<Placement, String> {
    match addr {
        DumpAddr::C22 { page, reg } => Ok(c22(page, reg)),
        DumpAddr::C45 { devad: 31, reg } if reg & 1 != 0 => Err(format!(
            "{reg:#06x} is odd: Realtek's OCP addresses (MDIO_MMD_VEND2) of 16-bit registers are even"
        )),
        DumpAddr::C45 {
            devad: 31,
            reg: a @ VND2_C22..=VND2_C22_LAST,
        } => Ok(c22(0, ((a - VND2_C22) / 2) as u8)),
        DumpAddr::C45 { devad: 31, reg: a } => {
            // RTL822X_VND2_TO_PAGE / RTL822X_VND2_TO_PAGE_REG.
            let (page, reg) = (a >> 4, 16 + ((a & 0xf) >> 1) as u8);
            if !regs::MAP.iter().any(|d| d.addr.space == page) {
                // Said here: the loader would name the line's MMD 31 instead of the page.
                return Err(format!(
                    "page {page:#x} reg {reg}: the {} model has no page {page:#x}",
                    super::RTL8211F.name
                ));
            }
            Ok(c22(page, reg))
        }
        DumpAddr::C45 { devad, reg } => Ok(Placement::At {
            file: MMD_REGS,
            addr: RegAddr::new(u16::from(devad), reg),
        }),
    }
}

fn c22(page: u16, reg: u8) -> Placement {
    match reg {
        // The MMD window and the page select: what they reach has lines of its own, and the
        // page is the line's.
        13 | 14 | regs::PAGE_SELECT => Placement::Skip,
        _ => Placement::At {
            file: C22_REGS,
            addr: paged_addr(page, reg),
        },
    }
}

/// The bits of a register the model keeps deriving (`status.rs`): never loaded from a dump.
pub(super) fn derived(file: usize, addr: RegAddr) -> u16 {
    match (file, addr) {
        (C22_REGS, regs::PHYSR) => 0xffff,
        (C22_REGS, a) if a.space == RegAddr::GLOBAL => c22::derived(a.reg),
        (MMD_REGS, regs::PCS_STATUS1 | regs::EEE_LP_ABILITY) => 0xffff,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{irq, physr, Rtl8211f};
    use super::*;
    use crate::c22::bmcr as control;
    use crate::dump::{self, DumpError};
    use crate::medium::{Duplex, LinkMode, LinkModes, LinkPartner, Medium, Speed};
    use crate::{Instant, MdioDevice, Phy};
    use std::time::Duration;

    fn preloaded(text: &str) -> Result<Rtl8211f, DumpError> {
        let mut m = Rtl8211f::new(Instant::ZERO).unwrap();
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
            "2 = 0x001c\n3 = 0xc915\n15 = 0x3000\n4 = 0x0c61\n\
             0x18 = 0x0006\n0x19 = 0x0001\n0x12 = 0x0010\n\
             mmd 31 reg 0xd082 = 0x0100\nmmd 31 reg 0xd08a = 0x0000\nmmd 31 reg 0xd040 = 0x6d7f\n\
             mmd 3 reg 20 = 0x0002\nmmd 7 reg 60 = 0x0002\n",
        )
        .unwrap();
        assert_eq!((m.peek(0, 2), m.peek(0, 3)), (Some(0x001c), Some(0xc915)));
        assert_eq!(m.peek(0, 15), Some(0x3000));
        assert_eq!(m.peek(0, 4), Some(0x0c61));
        // Page 0 registers 16-30 are pages 0xa42 and 0xa43.
        assert_eq!(m.peek(0xa43, 0x18), Some(0x0006), "PHYCR1");
        assert_eq!(m.peek(0xa43, 0x19), Some(0x0001), "PHYCR2");
        assert_eq!(m.peek(0xa42, 0x12), Some(0x0010), "INER");
        // OCP 0xd082 / 0xd08a / 0xd040: page 0xd08 registers 17 and 21, page 0xd04 register 16.
        assert_eq!(m.peek(0xd08, 0x11), Some(0x0100), "TX delay on");
        assert_eq!(m.peek(0xd08, 0x15), Some(0x0000), "RX delay off");
        assert_eq!(m.peek(0xd04, 0x10), Some(0x6d7f), "LCR");
        assert_eq!(m.mmd.peek(RegAddr::new(3, 20)), Some(0x0002));
        assert_eq!(
            m.core.link.config().ability.eee,
            [LinkMode::BaseT100Full].into_iter().collect::<LinkModes>(),
            "7.60: 100BASE-TX only"
        );
        assert_eq!(m.peek(0, regs::PAGE_SELECT), Some(0), "the default page");
    }

    #[test]
    fn the_default_page_and_ocp_names_reach_the_same_registers() {
        // phytool's register 24 and the kernel's VND2 name of it.
        let m =
            preloaded("0x18 = 0x0004\nmmd 31 reg 0xa430 = 0x0004\nmmd 31 reg 0xa424 = 0x0010\n")
                .unwrap();
        assert_eq!(m.peek(0xa43, 0x18), Some(0x0004));
        assert_eq!(m.peek(0, 0x12), Some(0x0010));
        assert_eq!(
            preloaded("0x12 = 0x0010\nmmd 31 reg 0xa424 = 0x0018")
                .err()
                .unwrap()
                .to_string(),
            "line 2: mmd 31 reg 0xa424 = 0x0018: the register line 1 sets (page 0 reg 18 = 0x0010); the two disagree"
        );
        // Bits the dump does not load may differ (BMSR read twice: the link latch).
        preloaded("1 = 0x7949\nmmd 31 reg 0xa402 = 0x796d\n").unwrap();
    }

    #[test]
    fn a_soft_reset_keeps_the_loaded_registers_but_bmcr() {
        let mut m = preloaded("0 = 0x1940\n3 = 0xc915\n0x18 = 0x0006\n").unwrap();
        m.c22_write(at(1), 0, control::RESET);
        m.advance(at(2));
        assert_eq!(m.peek(0, 0), Some(control::RESET_VALUE));
        assert_eq!(m.peek(0, 3), Some(0xc915));
        assert_eq!(m.peek(0xa43, 0x18), Some(0x0006));
    }

    #[test]
    fn link_status_stays_with_the_engine() {
        // Taken with the link up at 1000/Full and a link interrupt pending.
        let mut m = preloaded(
            "1 = 0x79ed\n5 = 0xc5e1\n6 = 0x000f\n8 = 0x2001\n0x0a = 0xbc00\n0x12 = 0x0010\n\
             0x1a = 0x2a3c\n0x1d = 0x0010\nmmd 3 reg 1 = 0x0040\nmmd 7 reg 61 = 0x0006\n",
        )
        .unwrap();
        assert_eq!(m.peek(0, 1), Some(0x7949));
        for reg in [5, 8, 0x0a, 0x1a, 0x1d] {
            assert_eq!(m.peek(0, reg), Some(0), "reg {reg:#x}");
        }
        assert_eq!(m.peek(0, 6), Some(0x0004), "local next page able only");
        assert_eq!(m.peek(0, 0x12), Some(irq::LINK_STATUS), "INER loads");
        assert_eq!(m.mmd.peek(RegAddr::new(3, 1)), Some(0));
        assert_eq!(m.mmd.peek(regs::EEE_LP_ABILITY), Some(0));
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
        assert_eq!(m.peek(0, 0x1a).unwrap() & physr::ALL, physr::LINK);
    }

    #[test]
    fn a_dumped_power_down_holds_the_link_down_until_cleared() {
        let mut m = preloaded("0 = 0x1940\n").unwrap();
        m.set_medium(Instant::ZERO, full_partner());
        m.advance(at(5));
        assert!(!m.link_state().up);
        // genphy_resume().
        m.c22_write(at(5), 0, 0x1140);
        m.advance(at(8));
        let l = m.link_state();
        assert_eq!((l.up, l.speed), (true, Some(Speed::S1000)));
    }

    #[test]
    fn access_windows_are_skipped() {
        // 0xa41a is register 13 by its OCP name.
        let m = preloaded("13 = 0x4007\n14 = 0x0000\n31 = 0x0d08\nmmd 31 reg 0xa41a = 0x0007\n")
            .unwrap();
        assert_eq!(m.peek(0, 13), Some(0));
        assert_eq!(m.peek(0, regs::PAGE_SELECT), Some(0));
        assert_eq!(m.mmd.peek(regs::EEE_ADV), Some(0x0006));
    }

    #[test]
    fn what_the_model_cannot_take_names_the_line() {
        let e = |t: &str| preloaded(t).err().unwrap().to_string();
        assert_eq!(
            e("0 = 0x1140\npage 5 reg 16 = 0"),
            "line 2: page 5 reg 16: the realtek-rtl8211f model has no page 5"
        );
        assert_eq!(
            e("mmd 31 reg 0xa468 = 0x1234"),
            "line 1: mmd 31 reg 0xa468: page 0xa46 reg 20: the realtek-rtl8211f model has no page 0xa46"
        );
        assert_eq!(
            e("mmd 31 reg 0xd083 = 0"),
            "line 1: mmd 31 reg 0xd083: 0xd083 is odd: Realtek's OCP addresses (MDIO_MMD_VEND2) of 16-bit registers are even"
        );
        assert_eq!(
            e("mmd 1 reg 0 = 0"),
            "line 1: mmd 1 reg 0x0000: the realtek-rtl8211f model has no MMD 1"
        );
        assert_eq!(
            e("0x10 = 0x1234"),
            "line 1: page 0 reg 16 = 0x1234: the realtek-rtl8211f model does not implement \
             this register (it reads 0); remove the line"
        );
        // A zero for an unmodelled register is what the model reads anyway.
        preloaded("0x10 = 0\npage 0 reg 0x1c = 0\n").unwrap();
    }
}
