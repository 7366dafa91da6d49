//! The vfio-user face of the board: PCI config space, BAR accesses, interrupt eventfds.

use crate::abi;
use crate::board::Board;
use crate::pci::ConfigSpace;
use std::fs::File;
use std::io::Write;
use std::mem::size_of;
use vfio_bindings::bindings::vfio::{
    vfio_region_info, VFIO_IRQ_INFO_AUTOMASKED, VFIO_IRQ_INFO_EVENTFD, VFIO_IRQ_INFO_MASKABLE,
    VFIO_IRQ_INFO_NORESIZE, VFIO_IRQ_SET_ACTION_MASK, VFIO_IRQ_SET_ACTION_TRIGGER,
    VFIO_IRQ_SET_ACTION_TYPE_MASK, VFIO_IRQ_SET_ACTION_UNMASK, VFIO_IRQ_SET_DATA_EVENTFD,
    VFIO_IRQ_SET_DATA_TYPE_MASK, VFIO_PCI_BAR0_REGION_INDEX, VFIO_PCI_BAR1_REGION_INDEX,
    VFIO_PCI_CONFIG_REGION_INDEX, VFIO_PCI_ERR_IRQ_INDEX, VFIO_PCI_INTX_IRQ_INDEX,
    VFIO_PCI_MSIX_IRQ_INDEX, VFIO_PCI_NUM_IRQS, VFIO_PCI_NUM_REGIONS, VFIO_REGION_INFO_FLAG_READ,
    VFIO_REGION_INFO_FLAG_WRITE,
};
use vfio_user::{IrqInfo, ServerBackend, ServerRegion};

pub struct Device {
    board: Board,
    config: ConfigSpace,
    intx: Option<File>,
    /// QEMU masks INTx after each trigger until the guest's EOI makes it send UNMASK.
    intx_masked: bool,
    msix: Vec<Option<File>>,
}

impl Device {
    pub fn new(board: Board) -> Self {
        Device {
            board,
            config: ConfigSpace::new(),
            intx: None,
            intx_masked: false,
            msix: (0..abi::MSIX_VECTORS).map(|_| None).collect(),
        }
    }

    pub fn regions() -> Vec<ServerRegion> {
        (0..VFIO_PCI_NUM_REGIONS)
            .map(|index| {
                let size = match index {
                    VFIO_PCI_BAR0_REGION_INDEX => abi::BAR0_SIZE,
                    VFIO_PCI_BAR1_REGION_INDEX => abi::BAR1_SIZE,
                    VFIO_PCI_CONFIG_REGION_INDEX => 256,
                    _ => 0,
                };
                ServerRegion {
                    region_info: vfio_region_info {
                        argsz: size_of::<vfio_region_info>() as u32,
                        index,
                        size,
                        flags: if size > 0 {
                            VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE
                        } else {
                            0
                        },
                        ..Default::default()
                    },
                    sparse_areas: Vec::new(),
                    mmap_fd: None,
                }
            })
            .collect()
    }

    pub fn irqs() -> Vec<IrqInfo> {
        (0..VFIO_PCI_NUM_IRQS)
            .map(|index| {
                let (count, flags) = match index {
                    VFIO_PCI_INTX_IRQ_INDEX => (
                        1,
                        VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_AUTOMASKED,
                    ),
                    VFIO_PCI_MSIX_IRQ_INDEX => (
                        u32::from(abi::MSIX_VECTORS),
                        VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE,
                    ),
                    // Advertised so QEMU can enable error recovery (and stays quiet about it).
                    VFIO_PCI_ERR_IRQ_INDEX => (1, VFIO_IRQ_INFO_EVENTFD),
                    _ => (0, 0),
                };
                IrqInfo {
                    index,
                    count,
                    flags,
                }
            })
            .collect()
    }

    /// QEMU hands over MSI-X eventfds only once the guest enabled MSI-X, so their presence is
    /// the mode; the config-space enable bit may not be forwarded by every client.
    fn using_msix(&self) -> bool {
        self.msix.iter().any(Option::is_some)
    }

    fn deliver(&mut self) {
        let vectors = self.board.take_vectors();
        if self.using_msix() {
            for (n, fd) in self.msix.iter_mut().enumerate() {
                if vectors & (1 << n) != 0 {
                    if let Some(fd) = fd {
                        signal(fd);
                    }
                }
            }
        } else if self.board.intx_asserted() && !self.intx_masked {
            if let Some(fd) = &mut self.intx {
                signal(fd);
                self.intx_masked = true;
            }
        }
    }

    pub fn board(&self) -> &Board {
        &self.board
    }
}

fn signal(fd: &mut File) {
    if let Err(e) = fd.write_all(&1u64.to_le_bytes()) {
        tracing::warn!("interrupt eventfd write failed: {e}");
    }
}

impl ServerBackend for Device {
    fn region_read(&mut self, region: u32, offset: u64, data: &mut [u8]) -> std::io::Result<()> {
        match region {
            VFIO_PCI_CONFIG_REGION_INDEX => self.config.read(offset, data),
            VFIO_PCI_BAR0_REGION_INDEX if data.len() <= 8 => {
                let v = self.board.read(offset, data.len()).to_le_bytes();
                data.copy_from_slice(&v[..data.len()]);
            }
            _ => data.fill(0),
        }
        self.deliver();
        Ok(())
    }

    fn region_write(&mut self, region: u32, offset: u64, data: &[u8]) -> std::io::Result<()> {
        match region {
            VFIO_PCI_CONFIG_REGION_INDEX => self.config.write(offset, data),
            VFIO_PCI_BAR0_REGION_INDEX if data.len() <= 8 => {
                let mut bytes = [0u8; 8];
                bytes[..data.len()].copy_from_slice(data);
                self.board
                    .write(offset, data.len(), u64::from_le_bytes(bytes));
            }
            _ => tracing::debug!(region, offset, len = data.len(), "write ignored"),
        }
        self.deliver();
        Ok(())
    }

    fn dma_map(
        &mut self,
        _flags: vfio_user::DmaMapFlags,
        _offset: u64,
        _address: u64,
        _size: u64,
        _fd: Option<File>,
    ) -> std::io::Result<()> {
        // The board does no DMA; the mapping is accepted and the fd closed.
        Ok(())
    }

    fn dma_unmap(
        &mut self,
        _flags: vfio_user::DmaUnmapFlags,
        _address: u64,
        _size: u64,
    ) -> std::io::Result<()> {
        Ok(())
    }

    fn reset(&mut self) -> std::io::Result<()> {
        self.board
            .reset()
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        self.intx_masked = false;
        Ok(())
    }

    fn set_irqs(
        &mut self,
        index: u32,
        flags: u32,
        start: u32,
        count: u32,
        fds: Vec<File>,
    ) -> std::io::Result<()> {
        let data = flags & VFIO_IRQ_SET_DATA_TYPE_MASK;
        let action = flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;
        tracing::debug!(index, flags, start, count, fds = fds.len(), "SET_IRQS");
        match (index, action) {
            (VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_ACTION_TRIGGER)
                if data == VFIO_IRQ_SET_DATA_EVENTFD =>
            {
                self.intx = fds.into_iter().next();
                self.intx_masked = false;
            }
            (VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_ACTION_MASK) => self.intx_masked = true,
            (VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_ACTION_UNMASK) => self.intx_masked = false,
            (VFIO_PCI_MSIX_IRQ_INDEX, VFIO_IRQ_SET_ACTION_TRIGGER)
                if data == VFIO_IRQ_SET_DATA_EVENTFD =>
            {
                if count == 0 {
                    self.msix.iter_mut().for_each(|v| *v = None);
                } else {
                    let slots = self
                        .msix
                        .iter_mut()
                        .skip(start as usize)
                        .take(count as usize);
                    let mut fds = fds.into_iter();
                    for slot in slots {
                        *slot = fds.next();
                    }
                }
            }
            _ => {}
        }
        // A level still pending when the line is unmasked or the vectors change is re-sent.
        self.deliver();
        Ok(())
    }
}
