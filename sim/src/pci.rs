//! PCI configuration space of the device: a type 0 header with two memory BARs and an MSI-X
//! capability. QEMU's vfio-pci code virtualises the BARs and the MSI-X table itself; it reads
//! the layout from here, so the header must describe the BARs and the capability truthfully.

use crate::abi;

const CONFIG_SIZE: usize = 256;
const MSIX_CAP_OFFSET: usize = 0x40;
const PCI_CAP_ID_MSIX: u8 = 0x11;
const STATUS_CAP_LIST: u16 = 1 << 4;
const COMMAND_WRITABLE: u16 = 0x0546; // memory, bus master, parity, SERR, INTx disable
const MSIX_CTRL_WRITABLE: u16 = 0xc000; // enable, function mask

pub struct ConfigSpace {
    bytes: [u8; CONFIG_SIZE],
    bar_sizes: [u64; 6],
}

impl Default for ConfigSpace {
    fn default() -> Self {
        Self::new()
    }
}

impl ConfigSpace {
    pub fn new() -> Self {
        let mut c = ConfigSpace {
            bytes: [0; CONFIG_SIZE],
            bar_sizes: [abi::BAR0_SIZE, abi::BAR1_SIZE, 0, 0, 0, 0],
        };
        c.put16(0x00, abi::PCI_VENDOR_ID);
        c.put16(0x02, abi::PCI_DEVICE_ID);
        c.put16(0x06, STATUS_CAP_LIST);
        c.bytes[0x08] = abi::PCI_REVISION;
        c.put_class(abi::PCI_CLASS_NETWORK_OTHER);
        c.put16(0x2c, abi::PCI_SUBSYSTEM_VENDOR_ID);
        c.put16(0x2e, abi::PCI_SUBSYSTEM_ID);
        c.bytes[0x34] = MSIX_CAP_OFFSET as u8;
        c.bytes[0x3d] = 1; // INTA

        let cap = MSIX_CAP_OFFSET;
        c.bytes[cap] = PCI_CAP_ID_MSIX;
        c.bytes[cap + 1] = 0;
        c.put16(cap + 2, abi::MSIX_VECTORS - 1);
        c.put32(cap + 4, abi::MSIX_TABLE_OFFSET | 1); // BIR 1
        c.put32(cap + 8, abi::MSIX_PBA_OFFSET | 1);
        c
    }

    fn put_class(&mut self, class: u32) {
        self.bytes[0x09] = class as u8;
        self.bytes[0x0a] = (class >> 8) as u8;
        self.bytes[0x0b] = (class >> 16) as u8;
    }

    fn put16(&mut self, off: usize, v: u16) {
        self.bytes[off..off + 2].copy_from_slice(&v.to_le_bytes());
    }

    fn put32(&mut self, off: usize, v: u32) {
        self.bytes[off..off + 4].copy_from_slice(&v.to_le_bytes());
    }

    fn get16(&self, off: usize) -> u16 {
        u16::from_le_bytes([self.bytes[off], self.bytes[off + 1]])
    }

    pub fn read(&self, offset: u64, data: &mut [u8]) {
        for (i, b) in data.iter_mut().enumerate() {
            *b = self.bytes.get(offset as usize + i).copied().unwrap_or(0xff);
        }
    }

    /// Applies a write byte by byte through the writable masks, so a client can size BARs the
    /// classic way and cannot corrupt read-only identity fields.
    pub fn write(&mut self, offset: u64, data: &[u8]) {
        for (i, &b) in data.iter().enumerate() {
            let off = offset as usize + i;
            if off >= CONFIG_SIZE {
                return;
            }
            let mask = self.writable_mask(off);
            self.bytes[off] = (self.bytes[off] & !mask) | (b & mask);
        }
    }

    fn writable_mask(&self, off: usize) -> u8 {
        match off {
            0x04 | 0x05 => COMMAND_WRITABLE.to_le_bytes()[off - 0x04],
            0x0c | 0x0d => 0xff, // cache line size, latency timer
            0x10..=0x27 => {
                let bar = (off - 0x10) / 4;
                let size = self.bar_sizes[bar];
                if size == 0 {
                    return 0;
                }
                // Memory BAR: the low 4 bits are type flags, the size bits read back as 0.
                let mask = !(size as u32 - 1) & !0xf;
                mask.to_le_bytes()[(off - 0x10) % 4]
            }
            0x3c => 0xff, // interrupt line
            o if o == MSIX_CAP_OFFSET + 2 || o == MSIX_CAP_OFFSET + 3 => {
                MSIX_CTRL_WRITABLE.to_le_bytes()[o - MSIX_CAP_OFFSET - 2]
            }
            _ => 0,
        }
    }

    pub fn msix_enabled(&self) -> bool {
        self.get16(MSIX_CAP_OFFSET + 2) & 0x8000 != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read32(c: &ConfigSpace, off: u64) -> u32 {
        let mut b = [0u8; 4];
        c.read(off, &mut b);
        u32::from_le_bytes(b)
    }

    #[test]
    fn identity_is_read_only() {
        let mut c = ConfigSpace::new();
        c.write(0, &[0xff; 4]);
        assert_eq!(read32(&c, 0), 0x5048_1234);
        assert_eq!(read32(&c, 8) >> 8, abi::PCI_CLASS_NETWORK_OTHER);
    }

    #[test]
    fn bar_sizing_reads_back_the_size() {
        let mut c = ConfigSpace::new();
        c.write(0x10, &0xffff_ffffu32.to_le_bytes());
        assert_eq!(!(read32(&c, 0x10) & !0xf) + 1, abi::BAR0_SIZE as u32);
        c.write(0x14, &0xffff_ffffu32.to_le_bytes());
        assert_eq!(!(read32(&c, 0x14) & !0xf) + 1, abi::BAR1_SIZE as u32);
        assert_eq!(read32(&c, 0x18), 0);
    }

    #[test]
    fn msix_capability_describes_bar1() {
        let c = ConfigSpace::new();
        assert_eq!(c.bytes[0x34], 0x40);
        assert_eq!(c.bytes[0x40], PCI_CAP_ID_MSIX);
        assert_eq!(c.get16(0x42) & 0x7ff, abi::MSIX_VECTORS - 1);
        assert_eq!(read32(&c, 0x44), 1);
        assert_eq!(read32(&c, 0x48), 0x801);
    }

    #[test]
    fn msix_enable_is_writable() {
        let mut c = ConfigSpace::new();
        assert!(!c.msix_enabled());
        c.write(0x43, &[0x80]);
        assert!(c.msix_enabled());
        assert_eq!(c.get16(0x42) & 0x7ff, abi::MSIX_VECTORS - 1);
    }
}
