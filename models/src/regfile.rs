//! Declarative register files with IEEE 802.3 field access semantics.
//!
//! A model describes its registers as static tables of [`RegDef`]s, each made of [`Field`]s with
//! an [`Access`] type and a reset value. [`RegFile`] keeps the run-time state and enforces the
//! semantics on both sides: the guest (`read`, `write`) and the device (`set_live`, `raise`,
//! `complete`, `load`). Side effects beyond the register itself (a reset, restarting
//! autonegotiation) belong to the model: a register may carry a hook of the model's own type,
//! which `write` hands back so the model can act on it.

use std::collections::HashMap;
use thiserror::Error;

/// Access semantics of a field, as IEEE 802.3 clause 22.2.4 and 45.2 name them.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Access {
    /// Read-only: the device sets it; guest writes are ignored.
    Ro,
    /// Read/write storage: the guest's last write (or the reset value).
    Rw,
    /// Self-clearing: a guest write of 1 sets it, the device clears it when the action is done;
    /// a guest write of 0 does nothing.
    Sc,
    /// Latching low: once the live value has been 0, reads return 0 until the next read, which
    /// then shows the live value again.
    Ll,
    /// Latching high: once the live value has been 1, reads return 1 until the next read.
    Lh,
    /// Clear on read: the device raises bits; a read returns them and clears them.
    Rc,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub mask: u16,
    pub access: Access,
    /// The field's value after reset, in register position (within `mask`).
    pub reset: u16,
}

impl Field {
    pub const fn new(name: &'static str, mask: u16, access: Access, reset: u16) -> Field {
        Field {
            name,
            mask,
            access,
            reset,
        }
    }
    pub const fn ro(name: &'static str, mask: u16, reset: u16) -> Field {
        Field::new(name, mask, Access::Ro, reset)
    }
    pub const fn rw(name: &'static str, mask: u16, reset: u16) -> Field {
        Field::new(name, mask, Access::Rw, reset)
    }
    pub const fn sc(name: &'static str, mask: u16) -> Field {
        Field::new(name, mask, Access::Sc, 0)
    }
    pub const fn ll(name: &'static str, mask: u16) -> Field {
        Field::new(name, mask, Access::Ll, 0)
    }
    pub const fn lh(name: &'static str, mask: u16) -> Field {
        Field::new(name, mask, Access::Lh, 0)
    }
    pub const fn rc(name: &'static str, mask: u16) -> Field {
        Field::new(name, mask, Access::Rc, 0)
    }
}

/// Where a register lives. `space` is a vendor page for Clause 22 registers ([`RegAddr::GLOBAL`]
/// for registers outside paging) or an MMD device address for Clause 45 registers.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegAddr {
    pub space: u16,
    pub reg: u16,
}

impl RegAddr {
    /// The space of Clause 22 registers that every page shares.
    pub const GLOBAL: u16 = 0xffff;

    pub const fn new(space: u16, reg: u16) -> RegAddr {
        RegAddr { space, reg }
    }
    pub const fn page(page: u8, reg: u8) -> RegAddr {
        RegAddr::new(page as u16, reg as u16)
    }
    pub const fn global(reg: u8) -> RegAddr {
        RegAddr::new(RegAddr::GLOBAL, reg as u16)
    }
}

/// One register of a model's register map. Bits no field covers are reserved: they read 0 and
/// ignore writes.
#[derive(Debug)]
pub struct RegDef<H: 'static> {
    pub addr: RegAddr,
    pub name: &'static str,
    pub fields: &'static [Field],
    /// Handed back by [`RegFile::write`] so the model can apply the register's side effects.
    pub hook: Option<H>,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum RegMapError {
    #[error("{name} ({addr:?}) is defined twice")]
    Duplicate { addr: RegAddr, name: &'static str },
    #[error("{reg}.{field}: mask overlaps another field")]
    Overlap {
        reg: &'static str,
        field: &'static str,
    },
    #[error("{reg}.{field}: reset value {reset:#06x} lies outside mask {mask:#06x}")]
    ResetOutsideMask {
        reg: &'static str,
        field: &'static str,
        reset: u16,
        mask: u16,
    },
    #[error("{reg}.{field}: empty mask")]
    EmptyMask {
        reg: &'static str,
        field: &'static str,
    },
    #[error("{reg}.{field}: {access:?} fields reset to 0")]
    NonZeroReset {
        reg: &'static str,
        field: &'static str,
        access: Access,
    },
}

/// Per-access-type bit masks of one register, precomputed from its fields.
#[derive(Copy, Clone, Debug, Default)]
struct Masks {
    ro: u16,
    rw: u16,
    sc: u16,
    ll: u16,
    lh: u16,
    rc: u16,
    reset: u16,
}

impl Masks {
    fn of(def: &RegDef<impl Sized>) -> Result<Masks, RegMapError> {
        let mut m = Masks::default();
        let mut covered = 0u16;
        for f in def.fields {
            let (reg, field) = (def.name, f.name);
            if f.mask == 0 {
                return Err(RegMapError::EmptyMask { reg, field });
            }
            if covered & f.mask != 0 {
                return Err(RegMapError::Overlap { reg, field });
            }
            if f.reset & !f.mask != 0 {
                return Err(RegMapError::ResetOutsideMask {
                    reg,
                    field,
                    reset: f.reset,
                    mask: f.mask,
                });
            }
            // Self-clearing, latching and clear-on-read bits describe events; they cannot
            // start out set.
            if matches!(f.access, Access::Sc | Access::Rc | Access::Ll | Access::Lh) && f.reset != 0
            {
                return Err(RegMapError::NonZeroReset {
                    reg,
                    field,
                    access: f.access,
                });
            }
            covered |= f.mask;
            m.reset |= f.reset;
            *match f.access {
                Access::Ro => &mut m.ro,
                Access::Rw => &mut m.rw,
                Access::Sc => &mut m.sc,
                Access::Ll => &mut m.ll,
                Access::Lh => &mut m.lh,
                Access::Rc => &mut m.rc,
            } |= f.mask;
        }
        Ok(m)
    }
}

#[derive(Copy, Clone, Debug, Default)]
struct RegState {
    /// Live contents: stored bits for RW/SC/RC, the device's current value for RO/LL/LH.
    value: u16,
    /// LL bits: the live value has been 0 since the last read. LH bits: it has been 1.
    /// Reads and resets re-arm them from the live value.
    latch: u16,
}

/// What a guest write did, for the model's side-effect handling.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Written<H> {
    pub addr: RegAddr,
    /// Live contents before the write.
    pub old: u16,
    /// Live contents after it.
    pub new: u16,
    pub hook: Option<H>,
}

impl<H> Written<H> {
    /// Bits of `mask` that went from 0 to 1.
    pub fn rose(&self, mask: u16) -> bool {
        !self.old & self.new & mask != 0
    }
}

pub struct RegFile<H: 'static> {
    defs: &'static [RegDef<H>],
    index: HashMap<RegAddr, usize>,
    masks: Vec<Masks>,
    state: Vec<RegState>,
}

impl<H: Copy + 'static> RegFile<H> {
    /// Builds the register file at its reset values, checking the map is well formed.
    pub fn new(defs: &'static [RegDef<H>]) -> Result<RegFile<H>, RegMapError> {
        let mut index = HashMap::new();
        let mut masks = Vec::with_capacity(defs.len());
        for (i, def) in defs.iter().enumerate() {
            if index.insert(def.addr, i).is_some() {
                return Err(RegMapError::Duplicate {
                    addr: def.addr,
                    name: def.name,
                });
            }
            masks.push(Masks::of(def)?);
        }
        let mut file = RegFile {
            defs,
            index,
            state: vec![RegState::default(); masks.len()],
            masks,
        };
        file.reset_where(|_| true);
        Ok(file)
    }

    pub fn def(&self, addr: RegAddr) -> Option<&'static RegDef<H>> {
        self.index.get(&addr).map(|&i| &self.defs[i])
    }

    /// Some register of the map lives in `space` (a page or an MMD).
    pub fn has_space(&self, space: u16) -> bool {
        self.defs.iter().any(|d| d.addr.space == space)
    }

    pub fn hook(&self, addr: RegAddr) -> Option<H> {
        self.def(addr).and_then(|d| d.hook)
    }

    /// Back to reset values, for the registers `which` selects.
    pub fn reset_where(&mut self, which: impl Fn(&RegDef<H>) -> bool) {
        for (i, def) in self.defs.iter().enumerate() {
            if which(def) {
                let m = self.masks[i];
                // Latching-low bits reset to 0, so they have "been low since the last read".
                self.state[i] = RegState {
                    value: m.reset,
                    latch: m.ll,
                };
            }
        }
    }

    /// A guest read, with its side effects (latches re-arm, clear-on-read bits clear).
    /// `None`: no register there.
    pub fn read(&mut self, addr: RegAddr) -> Option<u16> {
        let i = *self.index.get(&addr)?;
        let value = self.view(i);
        let (m, s) = (self.masks[i], &mut self.state[i]);
        // The latches restart from the live value: a bit that is low now has been low since
        // this read.
        s.latch = (m.ll & !s.value) | (m.lh & s.value);
        s.value &= !m.rc;
        Some(value)
    }

    /// What a guest read would return, without its side effects.
    pub fn peek(&self, addr: RegAddr) -> Option<u16> {
        self.index.get(&addr).map(|&i| self.view(i))
    }

    /// The live contents, as the device itself sees them (no latching).
    pub fn live(&self, addr: RegAddr) -> u16 {
        self.index.get(&addr).map_or(0, |&i| self.state[i].value)
    }

    fn view(&self, i: usize) -> u16 {
        let (m, s) = (self.masks[i], self.state[i]);
        let plain = s.value & !(m.ll | m.lh);
        let ll = s.value & m.ll & !s.latch;
        let lh = (s.value | s.latch) & m.lh;
        plain | ll | lh
    }

    /// A guest write. RW bits take the written value, SC bits written 1 are set, everything
    /// else ignores it. `None`: no register there.
    pub fn write(&mut self, addr: RegAddr, data: u16) -> Option<Written<H>> {
        let i = *self.index.get(&addr)?;
        let (m, s) = (self.masks[i], &mut self.state[i]);
        let old = s.value;
        s.value = (s.value & !m.rw) | (data & m.rw) | (data & m.sc);
        Some(Written {
            addr,
            old,
            new: s.value,
            hook: self.defs[i].hook,
        })
    }

    /// The device updates the live value of RO, LL and LH bits in `mask`.
    pub fn set_live(&mut self, addr: RegAddr, mask: u16, bits: u16) {
        let Some(&i) = self.index.get(&addr) else {
            debug_assert!(false, "set_live on undefined {addr:?}");
            return;
        };
        let (m, s) = (self.masks[i], &mut self.state[i]);
        debug_assert_eq!(
            mask & !(m.ro | m.ll | m.lh),
            0,
            "set_live {addr:?}: {mask:#06x} is not device-owned"
        );
        let mask = mask & (m.ro | m.ll | m.lh);
        s.value = (s.value & !mask) | (bits & mask);
        s.latch |= m.ll & mask & !s.value;
        s.latch |= m.lh & mask & s.value;
    }

    /// The device clears latched LL and LH bits in `mask` by other means than a read (a
    /// condition its specification says clears them): they show the live value again.
    pub fn rearm(&mut self, addr: RegAddr, mask: u16) {
        if let Some(&i) = self.index.get(&addr) {
            let (m, s) = (self.masks[i], &mut self.state[i]);
            let mask = mask & (m.ll | m.lh);
            let live = (m.ll & !s.value) | (m.lh & s.value);
            s.latch = (s.latch & !mask) | (live & mask);
        }
    }

    /// The device raises clear-on-read event bits.
    pub fn raise(&mut self, addr: RegAddr, bits: u16) {
        if let Some(&i) = self.index.get(&addr) {
            debug_assert_eq!(
                bits & !self.masks[i].rc,
                0,
                "raise {addr:?}: {bits:#06x} is not RC"
            );
            self.state[i].value |= bits & self.masks[i].rc;
        }
    }

    /// The device completes self-clearing actions.
    pub fn complete(&mut self, addr: RegAddr, bits: u16) {
        if let Some(&i) = self.index.get(&addr) {
            self.state[i].value &= !(bits & self.masks[i].sc);
        }
    }

    /// Register-dump preload: the stored value of the RW, RO and latching bits in `mask` becomes
    /// `bits`, latches re-armed so a guest read returns it. Self-clearing (actions) and
    /// clear-on-read (events) bits and reserved bits are not loaded. Returns the bits loaded.
    pub fn preload(&mut self, addr: RegAddr, mask: u16, bits: u16) -> u16 {
        let Some(&i) = self.index.get(&addr) else {
            return 0;
        };
        let (m, s) = (self.masks[i], &mut self.state[i]);
        let mask = mask & (m.rw | m.ro | m.ll | m.lh);
        s.value = (s.value & !mask) | (bits & mask);
        s.latch &= !mask;
        mask
    }

    /// The device itself changes RW bits (a reset restoring some of them, say).
    pub fn load(&mut self, addr: RegAddr, mask: u16, bits: u16) {
        if let Some(&i) = self.index.get(&addr) {
            let mask = mask & self.masks[i].rw;
            self.state[i].value = (self.state[i].value & !mask) | (bits & mask);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: RegAddr = RegAddr::page(0, 1);
    static MAP: &[RegDef<()>] = &[RegDef {
        addr: R,
        name: "test",
        hook: None,
        fields: &[
            Field::sc("sc", 0x8000),
            Field::rw("rw", 0x0f00, 0x0500),
            Field::ro("ro", 0x00f0, 0x0030),
            Field::ll("ll", 0x0004),
            Field::lh("lh", 0x0002),
            Field::rc("rc", 0x0001),
        ],
    }];

    #[test]
    fn reset_values_and_reserved_bits() {
        let mut f = RegFile::new(MAP).unwrap();
        assert_eq!(f.read(R), Some(0x0530));
        f.write(R, 0xffff);
        // RW and SC take the write; RO, LL, LH, RC and reserved bit 14..12, 3 ignore it.
        assert_eq!(f.read(R), Some(0x8f30));
    }

    #[test]
    fn rearm_forgets_what_latched() {
        let mut f = RegFile::new(MAP).unwrap();
        f.read(R);
        f.set_live(R, 0x0006, 0x0002);
        f.set_live(R, 0x0006, 0x0004);
        assert_eq!(
            f.peek(R).unwrap() & 0x0006,
            0x0002,
            "LL low and LH high latched"
        );
        f.rearm(R, 0x0002);
        assert_eq!(
            f.peek(R).unwrap() & 0x0006,
            0,
            "LH live again, LL still latched"
        );
        f.rearm(R, 0x0004);
        assert_eq!(f.peek(R).unwrap() & 0x0006, 0x0004);
    }

    #[test]
    fn latching_low_reads_zero_once_after_a_drop() {
        let mut f = RegFile::new(MAP).unwrap();
        f.set_live(R, 0x0004, 0x0004);
        assert_eq!(f.read(R).unwrap() & 4, 0, "was low since the last read");
        assert_eq!(f.read(R).unwrap() & 4, 4);
        f.set_live(R, 0x0004, 0);
        f.set_live(R, 0x0004, 0x0004);
        assert_eq!(f.peek(R).unwrap() & 4, 0, "peek keeps the latch");
        assert_eq!(f.read(R).unwrap() & 4, 0);
        assert_eq!(f.read(R).unwrap() & 4, 4);
    }

    #[test]
    fn latching_high_and_clear_on_read() {
        let mut f = RegFile::new(MAP).unwrap();
        f.set_live(R, 0x0002, 0x0002);
        f.set_live(R, 0x0002, 0);
        f.raise(R, 1);
        assert_eq!(f.read(R).unwrap() & 3, 3);
        assert_eq!(f.read(R).unwrap() & 3, 0);
    }

    #[test]
    fn self_clearing_needs_the_device() {
        let mut f = RegFile::new(MAP).unwrap();
        let w = f.write(R, 0x8000).unwrap();
        assert!(w.rose(0x8000));
        f.write(R, 0x0000);
        assert_eq!(
            f.read(R).unwrap() & 0x8000,
            0x8000,
            "writing 0 does not abort it"
        );
        f.complete(R, 0x8000);
        assert_eq!(f.read(R).unwrap() & 0x8000, 0);
    }

    #[test]
    fn malformed_maps_are_rejected() {
        static OVERLAP: &[RegDef<()>] = &[RegDef {
            addr: R,
            name: "bad",
            hook: None,
            fields: &[Field::rw("a", 0x0003, 0), Field::ro("b", 0x0002, 0)],
        }];
        assert!(matches!(
            RegFile::new(OVERLAP),
            Err(RegMapError::Overlap { .. })
        ));
        static RESET: &[RegDef<()>] = &[RegDef {
            addr: R,
            name: "bad",
            hook: None,
            fields: &[Field::rw("a", 0x0003, 0x0004)],
        }];
        assert!(matches!(
            RegFile::new(RESET),
            Err(RegMapError::ResetOutsideMask { .. })
        ));
        static TWICE: &[RegDef<()>] = &[
            RegDef {
                addr: R,
                name: "a",
                hook: None,
                fields: &[],
            },
            RegDef {
                addr: R,
                name: "b",
                hook: None,
                fields: &[],
            },
        ];
        assert!(matches!(
            RegFile::new(TWICE),
            Err(RegMapError::Duplicate { .. })
        ));
    }
}
