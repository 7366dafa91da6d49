//! Clause 22 access to MMD registers through registers 13 (MMD access control) and 14 (MMD
//! access address/data), IEEE 802.3 22.2.4.3.11-12 and Annex 22D.

use crate::notes::{Op, Target, UnimplementedLog};
use crate::regfile::{RegAddr, RegFile};
use crate::Instant;

/// Register 13.15:14, the function of the next register 14 access.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum MmdFunction {
    Address,
    Data,
    DataPostIncrementReadWrite,
    DataPostIncrementWrite,
}

impl MmdFunction {
    pub fn from_control(ctrl: u16) -> MmdFunction {
        match ctrl >> 14 {
            0 => MmdFunction::Address,
            1 => MmdFunction::Data,
            2 => MmdFunction::DataPostIncrementReadWrite,
            _ => MmdFunction::DataPostIncrementWrite,
        }
    }
}

/// The MMD address registers that register 14 reaches, one per device address.
#[derive(Clone, Debug, Default)]
pub struct MmdIndirect {
    address: [u16; 32],
}

/// What a register 14 access turned into.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum MmdAccess {
    /// The access hit the address register of `devad`; a read returns `value`.
    Address { devad: u8, value: u16 },
    /// The access reaches data register `reg` of `devad`.
    Data { devad: u8, reg: u16 },
}

impl MmdIndirect {
    /// A register 14 read under control word `ctrl` (register 13).
    pub fn read(&mut self, ctrl: u16) -> MmdAccess {
        self.access(ctrl, None)
    }

    /// A register 14 write of `value` under control word `ctrl`; data writes are the caller's
    /// to apply.
    pub fn write(&mut self, ctrl: u16, value: u16) -> MmdAccess {
        self.access(ctrl, Some(value))
    }

    fn access(&mut self, ctrl: u16, write: Option<u16>) -> MmdAccess {
        let devad = (ctrl & 0x1f) as u8;
        let slot = &mut self.address[usize::from(devad)];
        let function = MmdFunction::from_control(ctrl);
        if function == MmdFunction::Address {
            if let Some(v) = write {
                *slot = v;
            }
            return MmdAccess::Address {
                devad,
                value: *slot,
            };
        }
        let reg = *slot;
        let increment = match function {
            MmdFunction::DataPostIncrementReadWrite => true,
            MmdFunction::DataPostIncrementWrite => write.is_some(),
            MmdFunction::Address | MmdFunction::Data => false,
        };
        if increment {
            *slot = slot.wrapping_add(1);
        }
        MmdAccess::Data { devad, reg }
    }

    /// A guest access to register 14 at `now` under control word `ctrl`: a read (`write`
    /// `None`) or a write of the address register, or of the data register it reaches in
    /// `file`, whose spaces are device addresses. A data register `file` lacks reads 0,
    /// ignores writes and goes to `log`. Returns what a read returns.
    pub fn data(
        &mut self,
        now: Instant,
        ctrl: u16,
        write: Option<u16>,
        file: &mut RegFile<()>,
        log: &mut UnimplementedLog,
    ) -> u16 {
        let (devad, reg) = match self.access(ctrl, write) {
            MmdAccess::Address { value, .. } => return value,
            MmdAccess::Data { devad, reg } => (devad, reg),
        };
        let addr = RegAddr::new(u16::from(devad), reg);
        let target = Target::Mmd { devad, reg };
        match write {
            Some(value) => {
                if file.write(addr, value).is_none() {
                    log.record(now, target, Op::Write { value });
                }
                value
            }
            None => file.read(addr).unwrap_or_else(|| {
                log.record(now, target, Op::Read { answered: 0 });
                0
            }),
        }
    }

    pub fn reset(&mut self) {
        *self = MmdIndirect::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_then_data_as_phylib_does_it() {
        let mut m = MmdIndirect::default();
        // mmd_phy_indirect(): 13 = devad, 14 = reg, 13 = devad | 0x4000, then 14 is data.
        assert_eq!(
            m.write(7, 60),
            MmdAccess::Address {
                devad: 7,
                value: 60
            }
        );
        assert_eq!(m.read(0x4007), MmdAccess::Data { devad: 7, reg: 60 });
        assert_eq!(m.read(0x4007), MmdAccess::Data { devad: 7, reg: 60 });
        assert_eq!(
            m.read(0x0007),
            MmdAccess::Address {
                devad: 7,
                value: 60
            }
        );
    }

    #[test]
    fn post_increment() {
        let mut m = MmdIndirect::default();
        m.write(3, 20);
        assert_eq!(m.read(0x8003), MmdAccess::Data { devad: 3, reg: 20 });
        assert_eq!(m.read(0xc003), MmdAccess::Data { devad: 3, reg: 21 });
        assert_eq!(m.write(0xc003, 0), MmdAccess::Data { devad: 3, reg: 21 });
        assert_eq!(m.read(0x4003), MmdAccess::Data { devad: 3, reg: 22 });
    }
}
