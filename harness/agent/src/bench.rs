//! The plan's optional `bench`: the guest-side cost of an MDIO register read and write through
//! the MII ioctls (SIOCGMIIREG/SIOCSMIIREG -> ndo_eth_ioctl -> phylink_mii_ioctl -> the board
//! driver's MDIO bus) and of a raw read of the board's BAR0 through a sysfs `resource0` mapping.
//!
//! Layouts and numbers are from `include/uapi/linux/if.h`, `mii.h` and `sockios.h`.

use std::fs::OpenOptions;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::OpenOptionsExt;

use phy_sim_protocol::{BenchPlan, BenchReport};

use crate::sys::monotonic_ns;

pub const SIOCGMIIPHY: u32 = 0x8947;
pub const SIOCGMIIREG: u32 = 0x8948;
pub const SIOCSMIIREG: u32 = 0x8949;
pub const IFNAMSIZ: usize = 16;
/// `MII_BMCR`, `MII_PHYSID1`
pub const MII_BMCR: u16 = 0;
pub const MII_PHYSID1: u16 = 2;
/// The board's MAGIC register (BAR0 offset 0) and its value ("phys").
pub const PHY_SIM_MAGIC_VALUE: u32 = 0x7379_6870;
const MMIO_MAP_LEN: usize = 4096;
/// Each measurement stops after this much guest time; `n_*` then says how many were done.
pub const BUDGET_NS: u64 = 20_000_000_000;
/// How often (in operations) the budget is checked, to keep clock reads out of the timing.
const BUDGET_CHECK_EVERY: u64 = 64;

/// `struct mii_ioctl_data`
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct MiiIoctlData {
    pub phy_id: u16,
    pub reg_num: u16,
    pub val_in: u16,
    pub val_out: u16,
}

/// `struct ifreq` with the MII data in its union (`if_mii()` is `&ifr->ifr_ifru`).
#[repr(C, align(8))]
#[derive(Debug, Clone, Copy)]
pub struct IfReqMii {
    pub ifr_name: [u8; IFNAMSIZ],
    pub mii: MiiIoctlData,
    /// The rest of the union (`struct ifmap` is its largest member, 24 bytes).
    _pad: [u8; 16],
}

impl IfReqMii {
    pub fn new(ifname: &str) -> io::Result<Self> {
        let b = ifname.as_bytes();
        if b.is_empty() || b.len() >= IFNAMSIZ || b.contains(&0) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("bad interface name {ifname:?}"),
            ));
        }
        let mut ifr_name = [0u8; IFNAMSIZ];
        ifr_name[..b.len()].copy_from_slice(b);
        Ok(IfReqMii {
            ifr_name,
            mii: MiiIoctlData::default(),
            _pad: [0; 16],
        })
    }
}

/// An AF_INET datagram socket to issue the MII ioctls on one interface.
pub struct Mii {
    sock: OwnedFd,
    req: IfReqMii,
}

impl Mii {
    pub fn open(ifname: &str) -> io::Result<Self> {
        let req = IfReqMii::new(ifname)?;
        // SAFETY: plain syscall; the result is checked.
        let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` is a fresh descriptor we own.
        let sock = unsafe { OwnedFd::from_raw_fd(fd) };
        Ok(Mii { sock, req })
    }

    fn ioctl(&mut self, cmd: u32) -> io::Result<()> {
        // SAFETY: `req` is a valid, writable struct ifreq (40 bytes) for the MII ioctls.
        let r = unsafe { libc::ioctl(self.sock.as_raw_fd(), cmd as _, &mut self.req) };
        if r < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    /// SIOCGMIIPHY: the address of the interface's PHY.
    pub fn phy_addr(&mut self) -> io::Result<u16> {
        self.req.mii = MiiIoctlData::default();
        self.ioctl(SIOCGMIIPHY)?;
        Ok(self.req.mii.phy_id)
    }

    pub fn read(&mut self, phy: u16, reg: u16) -> io::Result<u16> {
        self.req.mii = MiiIoctlData {
            phy_id: phy,
            reg_num: reg,
            ..Default::default()
        };
        self.ioctl(SIOCGMIIREG)?;
        Ok(self.req.mii.val_out)
    }

    pub fn write(&mut self, phy: u16, reg: u16, val: u16) -> io::Result<()> {
        self.req.mii = MiiIoctlData {
            phy_id: phy,
            reg_num: reg,
            val_in: val,
            val_out: 0,
        };
        self.ioctl(SIOCSMIIREG)
    }
}

/// BAR0 mapped through `/sys/bus/pci/devices/<bdf>/resource0`.
pub struct Bar0 {
    ptr: *mut u32,
}

impl Bar0 {
    pub fn map(bdf: &str) -> io::Result<Self> {
        let path = format!("/sys/bus/pci/devices/{bdf}/resource0");
        let f = OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_SYNC | libc::O_CLOEXEC)
            .open(&path)
            .map_err(|e| io::Error::new(e.kind(), format!("open {path}: {e}")))?;
        // SAFETY: mapping a fresh shared region of a file we opened; the result is checked.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                MMIO_MAP_LEN,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED,
                f.as_raw_fd(),
                0,
            )
        };
        if p == libc::MAP_FAILED {
            let e = io::Error::last_os_error();
            return Err(io::Error::new(e.kind(), format!("mmap {path}: {e}")));
        }
        // The mapping outlives the descriptor.
        Ok(Bar0 { ptr: p.cast() })
    }

    /// One uncached 32-bit read at offset 0 (MAGIC).
    #[inline(always)]
    pub fn read_magic(&self) -> u32 {
        // SAFETY: `ptr` is a live, 4096-byte, page-aligned mapping.
        unsafe { std::ptr::read_volatile(self.ptr) }
    }
}

impl Drop for Bar0 {
    fn drop(&mut self) {
        // SAFETY: unmapping exactly what map() mapped.
        unsafe { libc::munmap(self.ptr.cast(), MMIO_MAP_LEN) };
    }
}

/// Runs `op` up to `n` times (stopping early on an error or when [`BUDGET_NS`] is used up);
/// returns (operations done, mean ns per operation, the error if one stopped the loop).
pub fn time_ops(
    n: u64,
    mut op: impl FnMut() -> io::Result<()>,
) -> (u64, Option<f64>, Option<io::Error>) {
    if n == 0 {
        return (0, None, None);
    }
    let start = monotonic_ns();
    let mut done = 0u64;
    let mut err = None;
    while done < n {
        if let Err(e) = op() {
            err = Some(e);
            break;
        }
        done += 1;
        if done % BUDGET_CHECK_EVERY == 0 && monotonic_ns().saturating_sub(start) >= BUDGET_NS {
            break;
        }
    }
    let elapsed = monotonic_ns().saturating_sub(start);
    let mean = (done > 0).then(|| elapsed as f64 / done as f64);
    (done, mean, err)
}

/// Runs the plan's measurements; the problems (each one a non-fatal `error` for the host)
/// come back next to the report, whose `t` is when the measurements finished.
pub fn run(plan: BenchPlan, ifname: Option<&str>, bdf: Option<&str>) -> (BenchReport, Vec<String>) {
    let mut r = BenchReport::default();
    let mut errors = Vec::new();

    if plan.mdio_reads > 0 || plan.mdio_writes > 0 {
        match ifname {
            None => errors.push("bench: the plan has no port for the MDIO measurements".into()),
            Some(ifname) => match mii_setup(ifname) {
                Err(e) => errors.push(e),
                Ok((mut mii, phy)) => {
                    let (done, mean, err) =
                        time_ops(plan.mdio_reads, || mii.read(phy, MII_PHYSID1).map(drop));
                    (r.n_mdio_reads, r.mdio_read_ns) = (done, mean);
                    short(
                        &format!("SIOCGMIIREG {ifname} PHY {phy} reg {MII_PHYSID1}"),
                        done,
                        plan.mdio_reads,
                        err,
                        &mut errors,
                    );
                    if plan.mdio_writes > 0 {
                        match mii.read(phy, MII_BMCR) {
                            Err(e) => errors.push(format!(
                                "bench: SIOCGMIIREG {ifname} PHY {phy} BMCR (before the writes): {e}"
                            )),
                            Ok(bmcr) => {
                                let (done, mean, err) = time_ops(plan.mdio_writes, || {
                                    mii.write(phy, MII_BMCR, bmcr)
                                });
                                (r.n_mdio_writes, r.mdio_write_ns) = (done, mean);
                                short(
                                    &format!("SIOCSMIIREG {ifname} PHY {phy} BMCR={bmcr:#06x}"),
                                    done,
                                    plan.mdio_writes,
                                    err,
                                    &mut errors,
                                );
                            }
                        }
                    }
                }
            },
        }
    }

    if plan.mmio_reads > 0 {
        match bdf {
            None => errors.push("bench: no phy-sim PCI device for the MMIO measurement".into()),
            Some(bdf) => match Bar0::map(bdf) {
                Err(e) => errors.push(format!("bench: mapping BAR0: {e}")),
                Ok(bar) => {
                    let (done, mean, err) = time_ops(plan.mmio_reads, || {
                        let v = bar.read_magic();
                        if v == PHY_SIM_MAGIC_VALUE {
                            Ok(())
                        } else {
                            Err(io::Error::other(format!(
                                "MAGIC read {v:#010x}, expected {PHY_SIM_MAGIC_VALUE:#010x}"
                            )))
                        }
                    });
                    (r.n_mmio_reads, r.mmio_read_ns) = (done, mean);
                    short(
                        &format!("BAR0 reads of {bdf}"),
                        done,
                        plan.mmio_reads,
                        err,
                        &mut errors,
                    );
                }
            },
        }
    }
    r.t = monotonic_ns();
    (r, errors)
}

/// Records why a measurement did fewer operations than planned.
fn short(what: &str, done: u64, n: u64, err: Option<io::Error>, errors: &mut Vec<String>) {
    if let Some(e) = err {
        errors.push(format!("bench: {what} failed after {done} of {n}: {e}"));
    } else if done < n {
        errors.push(format!(
            "bench: {what} stopped after {done} of {n}: the {} s budget was used up",
            BUDGET_NS / 1_000_000_000
        ));
    }
}

/// The MII socket and the PHY address (SIOCGMIIPHY) of `ifname`.
fn mii_setup(ifname: &str) -> Result<(Mii, u16), String> {
    let mut mii =
        Mii::open(ifname).map_err(|e| format!("bench: socket(AF_INET, SOCK_DGRAM): {e}"))?;
    let phy = mii.phy_addr().map_err(|e| {
        format!(
            "bench: SIOCGMIIPHY on {ifname}: {e} (does the driver's ndo_eth_ioctl call \
             phylink_mii_ioctl, and is a PHY attached?)"
        )
    })?;
    Ok((mii, phy))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::{align_of, offset_of, size_of};

    #[test]
    fn struct_layouts() {
        assert_eq!(size_of::<MiiIoctlData>(), 8);
        assert_eq!(offset_of!(MiiIoctlData, phy_id), 0);
        assert_eq!(offset_of!(MiiIoctlData, reg_num), 2);
        assert_eq!(offset_of!(MiiIoctlData, val_in), 4);
        assert_eq!(offset_of!(MiiIoctlData, val_out), 6);
        // sizeof(struct ifreq) on 64-bit Linux, and the union right after the name.
        assert_eq!(size_of::<IfReqMii>(), 40);
        assert_eq!(size_of::<IfReqMii>(), size_of::<libc::ifreq>());
        assert_eq!(align_of::<IfReqMii>(), align_of::<libc::ifreq>());
        assert_eq!(offset_of!(IfReqMii, mii), IFNAMSIZ);
    }

    #[test]
    fn ioctl_numbers() {
        assert_eq!(
            SIOCGMIIPHY as libc::c_ulong,
            libc::SIOCGMIIPHY as libc::c_ulong
        );
        assert_eq!(
            SIOCGMIIREG as libc::c_ulong,
            libc::SIOCGMIIREG as libc::c_ulong
        );
        assert_eq!(
            SIOCSMIIREG as libc::c_ulong,
            libc::SIOCSMIIREG as libc::c_ulong
        );
    }

    #[test]
    fn ifreq_name() {
        let r = IfReqMii::new("eth0").unwrap();
        assert_eq!(&r.ifr_name[..5], b"eth0\0");
        assert!(IfReqMii::new("").is_err());
        assert!(IfReqMii::new("0123456789abcdef").is_err());
        assert!(IfReqMii::new("0123456789abcde").is_ok());
    }

    #[test]
    fn timing() {
        assert_eq!(time_ops(0, || Ok(())).0, 0);
        let (n, mean, err) = time_ops(1000, || Ok(()));
        assert_eq!(n, 1000);
        assert!(mean.is_some() && err.is_none());
        let mut left = 3;
        let (n, _, err) = time_ops(10, || {
            left -= 1;
            if left == 0 {
                Err(io::Error::other("x"))
            } else {
                Ok(())
            }
        });
        assert_eq!(n, 2);
        assert!(err.is_some());
    }

    #[test]
    fn mdio_on_missing_interface() {
        let plan = BenchPlan {
            mdio_reads: 1,
            mdio_writes: 1,
            mmio_reads: 1,
        };
        let before = monotonic_ns();
        let (r, errors) = run(plan, Some("nosuchif0"), None);
        assert!(r.t >= before);
        assert_eq!(
            r,
            BenchReport {
                t: r.t,
                ..BenchReport::default()
            }
        );
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].contains("SIOCGMIIPHY on nosuchif0"), "{errors:?}");
    }
}
