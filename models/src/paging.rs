//! Vendor paging of the Clause 22 register space: a page-select register picks which bank of
//! registers a Clause 22 address reaches.

use crate::regfile::{RegAddr, RegFile};

#[derive(Copy, Clone, Debug)]
pub struct Paging {
    /// The page-select register; itself outside paging, in [`RegAddr::GLOBAL`].
    pub select: u8,
    /// The bits of the select register that hold the page number.
    pub page_mask: u16,
    /// Bit `n` set: register `n` is not paged and lives in [`RegAddr::GLOBAL`].
    pub unpaged: u32,
}

impl Paging {
    /// Marvell Alaska: register 22 selects the page for registers 0-21 and 23-28; 29-31 are
    /// outside paging.
    pub const MARVELL: Paging = Paging {
        select: 22,
        page_mask: 0x00ff,
        unpaged: 1 << 22 | 1 << 29 | 1 << 30 | 1 << 31,
    };

    pub fn current_page<H: Copy>(&self, regs: &RegFile<H>) -> u8 {
        // page_mask keeps this within a byte for every paging scheme we model.
        (regs.live(RegAddr::global(self.select)) & self.page_mask) as u8
    }

    /// The register a Clause 22 access to `reg` reaches.
    pub fn addr<H: Copy>(&self, regs: &RegFile<H>, reg: u8) -> RegAddr {
        self.on_page(self.current_page(regs), reg)
    }

    /// The register `reg` is with `page` selected, whatever the select register holds now.
    pub fn on_page(&self, page: u8, reg: u8) -> RegAddr {
        if self.unpaged & (1 << (reg & 31)) != 0 {
            RegAddr::global(reg)
        } else {
            RegAddr::page(page, reg)
        }
    }
}
