//! Register offsets and field encodings of the device ABI. `sim/ABI.md` is the specification;
//! keep the two in step.

pub const PCI_VENDOR_ID: u16 = 0x1234;
pub const PCI_DEVICE_ID: u16 = 0x5048;
pub const PCI_SUBSYSTEM_VENDOR_ID: u16 = 0x1af4;
pub const PCI_SUBSYSTEM_ID: u16 = 0x1100;
pub const PCI_CLASS_NETWORK_OTHER: u32 = 0x02_80_00;
pub const PCI_REVISION: u8 = 0x01;

pub const BAR0_SIZE: u64 = 0x2_0000;
pub const BAR1_SIZE: u64 = 0x1000;
pub const MSIX_VECTORS: u16 = 8;
pub const MSIX_TABLE_OFFSET: u32 = 0x000;
pub const MSIX_PBA_OFFSET: u32 = 0x800;

pub const MAGIC_VALUE: u32 = 0x7379_6870;
pub const VERSION_VALUE: u32 = 0x0001_0000;

pub const MAGIC: u64 = 0x000;
pub const VERSION: u64 = 0x004;
pub const CAPS: u64 = 0x008;
pub const COUNTS: u64 = 0x00c;
pub const CTRL: u64 = 0x010;
pub const IRQ_STATUS: u64 = 0x014;
pub const IRQ_ENABLE: u64 = 0x018;
pub const CLOCK: u64 = 0x020;
pub const SYNC: u64 = 0x028;
pub const TIMELINE_ORIGIN: u64 = 0x030;
pub const FDT_SIZE: u64 = 0x038;
pub const FDT_OFFSET: u64 = 0x03c;

pub const CAPS_MDIO: u32 = 1 << 0;
pub const CAPS_GPIO: u32 = 1 << 1;
pub const CAPS_PORTS: u32 = 1 << 2;
pub const CAPS_GUEST_CLOCK: u32 = 1 << 3;

pub const CTRL_RESET: u32 = 1 << 0;
pub const CTRL_TIMELINE_START: u32 = 1 << 1;

pub const IRQ_DEADLINE_CHANGED: u32 = 1 << 0;
pub const IRQ_GPIO_BANK_SHIFT: u32 = 8;

pub const SYNC_IRQ_PENDING: u64 = 1 << 63;
pub const SYNC_NO_DEADLINE: u64 = 0x7fff_ffff_ffff_ffff;

pub const FDT_WINDOW: u64 = 0x1_0000;
pub const FDT_WINDOW_SIZE: u64 = 0x1_0000;

pub const BLOCK_STRIDE: u64 = 0x100;
pub const MAX_BLOCKS: u64 = 16;
pub const MDIO_BASE: u64 = 0x1000;
pub const GPIO_BASE: u64 = 0x2000;
pub const PORT_BASE: u64 = 0x3000;

pub const MDIO_CMD: u64 = 0x00;
pub const MDIO_C45_REG: u64 = 0x04;
pub const MDIO_RESULT: u64 = 0x08;
pub const MDIO_OP_C22_READ: u32 = 0;
pub const MDIO_OP_C22_WRITE: u32 = 1;
pub const MDIO_OP_C45_READ: u32 = 2;
pub const MDIO_OP_C45_WRITE: u32 = 3;
pub const MDIO_RESULT_NO_DEVICE: u32 = 1 << 16;
pub const MDIO_RESULT_SYNC_NEEDED: u32 = 1 << 30;

pub const GPIO_LINES_PER_BANK: u32 = 32;
pub const GPIO_NLINES: u64 = 0x00;
pub const GPIO_INPUT: u64 = 0x04;
pub const GPIO_DIRECTION: u64 = 0x08;
pub const GPIO_OUTPUT: u64 = 0x0c;
pub const GPIO_IRQ_LEVEL: u64 = 0x10;
pub const GPIO_IRQ_HIGH: u64 = 0x14;
pub const GPIO_IRQ_BOTH: u64 = 0x18;
pub const GPIO_IRQ_ENABLE: u64 = 0x1c;
pub const GPIO_IRQ_STATUS: u64 = 0x20;

pub const PORT_CAPS: u64 = 0x00;
pub const PORT_INTERFACES: u64 = 0x04;
pub const PORT_MAC_LO: u64 = 0x08;
pub const PORT_MAC_HI: u64 = 0x0c;
pub const PORT_MB_CONFIG: u64 = 0x10;
pub const PORT_MB_LINK_UP: u64 = 0x14;
pub const PORT_MB_LINK_DOWN: u64 = 0x18;

pub const MAC_CAP_SYM_PAUSE: u32 = 1 << 0;
pub const MAC_CAP_ASYM_PAUSE: u32 = 1 << 1;
pub const MAC_CAP_10HD: u32 = 1 << 2;
pub const MAC_CAP_10FD: u32 = 1 << 3;
pub const MAC_CAP_100HD: u32 = 1 << 4;
pub const MAC_CAP_100FD: u32 = 1 << 5;
pub const MAC_CAP_1000HD: u32 = 1 << 6;
pub const MAC_CAP_1000FD: u32 = 1 << 7;
pub const MAC_CAP_2500FD: u32 = 1 << 8;
pub const MAC_CAP_5000FD: u32 = 1 << 9;
pub const MAC_CAP_10000FD: u32 = 1 << 10;

/// Interface codes, indexed by code; `phy-mode` strings as the kernel spells them.
pub const INTERFACE_NAMES: [&str; 16] = [
    "",
    "mii",
    "gmii",
    "sgmii",
    "rgmii",
    "rgmii-id",
    "rgmii-rxid",
    "rgmii-txid",
    "1000base-x",
    "2500base-x",
    "5gbase-r",
    "10gbase-r",
    "usxgmii",
    "qsgmii",
    "10gbase-kr",
    "internal",
];

pub fn interface_code(phy_mode: &str) -> Option<u32> {
    INTERFACE_NAMES
        .iter()
        .position(|n| !n.is_empty() && *n == phy_mode)
        .map(|i| i as u32)
}

pub fn interface_name(code: u32) -> &'static str {
    INTERFACE_NAMES
        .get(code as usize)
        .copied()
        .filter(|n| !n.is_empty())
        .unwrap_or("unknown")
}
