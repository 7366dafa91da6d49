//! The guest clock and MDIO accesses of a driver replay. A replay struct holds its PHY and the
//! guest clock (`phy`, `now`) and implements [`Bus`] (and [`C22`] or [`C45`], and [`Paged`]
//! for a paged register map) to get the accesses as methods.

use phy_sim_models::{Instant, Phy};
use std::time::Duration;

/// The 20 µs the Clause 22 replays let pass before each access (a frame at 2.5 MHz and the
/// bus driver around it).
pub const C22_ACCESS: Duration = Duration::from_micros(20);

/// A driver replay's PHY and guest clock.
pub trait Bus {
    /// How far the guest clock moves before each MDIO access: [`C22_ACCESS`] in the Clause 22
    /// replays, nothing in the Clause 45 ones (they read and write at one instant).
    const ACCESS: Duration;

    /// The PHY and the guest clock, borrowed together.
    fn parts(&mut self) -> (&mut dyn Phy, &mut Instant);

    fn clock(&mut self) -> Instant {
        *self.parts().1
    }

    /// The guest clock moves by `d` and the PHY runs its timers up to it.
    fn sleep(&mut self, d: Duration) {
        let (phy, now) = self.parts();
        *now = *now + d;
        phy.advance(*now);
    }

    /// `sleep` up to `t`; not at all if `t` has passed.
    fn sleep_until(&mut self, t: Instant) {
        let d = t.saturating_duration_since(self.clock());
        self.sleep(d);
    }

    /// The PHY and the instant of the next access, the clock moved by `ACCESS` first.
    fn access(&mut self) -> (&mut dyn Phy, Instant) {
        let (phy, now) = self.parts();
        *now = *now + Self::ACCESS;
        (phy, *now)
    }
}

/// Clause 22 accesses, and the MMDs behind registers 13/14 (22.2.4.3.11).
pub trait C22: Bus {
    /// Whether [`C22::modify`] writes back a value that did not change. phylib's phy_modify()
    /// does not (__phy_modify_changed()), and the KSZ9131 and RTL8211F replays follow it; the
    /// other replays were written to write back every time, and keep that bus traffic.
    const MODIFY_WRITES_UNCHANGED: bool;

    fn read(&mut self, reg: u8) -> u16 {
        let (phy, now) = self.access();
        phy.c22_read(now, reg).expect("the PHY answers Clause 22")
    }

    fn write(&mut self, reg: u8, v: u16) {
        let (phy, now) = self.access();
        phy.c22_write(now, reg, v);
    }

    /// phy_modify(): `(old & !mask) | set` (written back as `MODIFY_WRITES_UNCHANGED` says);
    /// whether that changed the register.
    fn modify(&mut self, reg: u8, mask: u16, set: u16) -> bool {
        let old = self.read(reg);
        let new = (old & !mask) | set;
        if Self::MODIFY_WRITES_UNCHANGED || new != old {
            self.write(reg, new);
        }
        old != new
    }

    /// The PHY identifier in registers 2 (high half) and 3, read in that order.
    fn phy_id(&mut self) -> u32 {
        (u32::from(self.read(2)) << 16) | u32::from(self.read(3))
    }

    /// phy_read_mmd() on a Clause 22 PHY: mmd_phy_indirect() (devad, address, devad with
    /// the data function), then the data register.
    fn mmd_read(&mut self, devad: u16, reg: u16) -> u16 {
        self.write(0x0d, devad);
        self.write(0x0e, reg);
        self.write(0x0d, devad | 0x4000);
        self.read(0x0e)
    }

    /// phy_write_mmd() on a Clause 22 PHY.
    fn mmd_write(&mut self, devad: u16, reg: u16, v: u16) {
        self.write(0x0d, devad);
        self.write(0x0e, reg);
        self.write(0x0d, devad | 0x4000);
        self.write(0x0e, v);
    }

    /// phy_modify_mmd_changed(): writes only on a change (whatever `MODIFY_WRITES_UNCHANGED`
    /// says); whether it changed.
    fn mmd_modify(&mut self, devad: u16, reg: u16, mask: u16, set: u16) -> bool {
        let old = self.mmd_read(devad, reg);
        let new = (old & !mask) | set;
        if old != new {
            self.mmd_write(devad, reg, new);
        }
        old != new
    }
}

/// Registers behind a page-select register, two ways of reaching them.
pub trait Paged: C22 {
    /// The page-select register (Marvell's 22, Realtek's 31).
    const PAGE_SELECT: u8;

    /// One read of `reg` on `page` as marvell.c's phy_read_paged() calls are replayed here:
    /// the page register read, `page` written, the access, the old page written back, every
    /// time (even when already on `page`).
    fn read_paged(&mut self, page: u16, reg: u8) -> u16 {
        let old = self.read(Self::PAGE_SELECT);
        self.write(Self::PAGE_SELECT, page);
        let v = self.read(reg);
        self.write(Self::PAGE_SELECT, old);
        v
    }

    /// One write, as `read_paged`.
    fn write_paged(&mut self, page: u16, reg: u8, v: u16) {
        let old = self.read(Self::PAGE_SELECT);
        self.write(Self::PAGE_SELECT, page);
        self.write(reg, v);
        self.write(Self::PAGE_SELECT, old);
    }

    /// One [`C22::modify`], as `read_paged`; whether it changed the register.
    fn modify_paged(&mut self, page: u16, reg: u8, mask: u16, set: u16) -> bool {
        let old = self.read(Self::PAGE_SELECT);
        self.write(Self::PAGE_SELECT, page);
        let changed = self.modify(reg, mask, set);
        self.write(Self::PAGE_SELECT, old);
        changed
    }

    /// phy_select_page() ... phy_restore_page() around `f`, as the RTL8211F replay does it:
    /// unlike `read_paged`, the page register is written only when `page` is not the current
    /// one (both ways).
    fn paged<T>(&mut self, page: u16, f: impl FnOnce(&mut Self) -> T) -> T
    where
        Self: Sized,
    {
        let old = self.read(Self::PAGE_SELECT);
        if old != page {
            self.write(Self::PAGE_SELECT, page);
        }
        let v = f(self);
        if old != page {
            self.write(Self::PAGE_SELECT, old);
        }
        v
    }
}

/// Clause 45 accesses.
pub trait C45: Bus {
    fn rd(&mut self, devad: u8, reg: u16) -> u16 {
        let (phy, now) = self.access();
        phy.c45_read(now, devad, reg).expect("answers")
    }

    fn wr(&mut self, devad: u8, reg: u16, v: u16) {
        let (phy, now) = self.access();
        phy.c45_write(now, devad, reg, v);
    }

    /// phy_modify_mmd_changed(): writes only on a change; whether it changed.
    fn modify(&mut self, devad: u8, reg: u16, mask: u16, set: u16) -> bool {
        let old = self.rd(devad, reg);
        let new = (old & !mask) | set;
        if new != old {
            self.wr(devad, reg, new);
        }
        new != old
    }
}

/// `impl Bus` and `impl C22` for a replay struct holding `phy: Box<dyn Phy>` and
/// `now: Instant`: [`C22_ACCESS`] per access, and [`C22::MODIFY_WRITES_UNCHANGED`] as given.
#[allow(unused_macros)] // in the Clause 45 binaries
macro_rules! c22_replay {
    ($replay:ty, modify_writes_unchanged = $always:expr) => {
        impl $crate::common::bus::Bus for $replay {
            const ACCESS: std::time::Duration = $crate::common::bus::C22_ACCESS;

            fn parts(&mut self) -> (&mut dyn phy_sim_models::Phy, &mut phy_sim_models::Instant) {
                (&mut *self.phy, &mut self.now)
            }
        }

        impl $crate::common::bus::C22 for $replay {
            const MODIFY_WRITES_UNCHANGED: bool = $always;
        }
    };
}

/// `impl Bus` and `impl C45` for a replay struct holding `phy: Box<dyn Phy>` and
/// `now: Instant`: the accesses take no guest time.
#[allow(unused_macros)] // in the Clause 22 binaries
macro_rules! c45_replay {
    ($replay:ty) => {
        impl $crate::common::bus::Bus for $replay {
            const ACCESS: std::time::Duration = std::time::Duration::ZERO;

            fn parts(&mut self) -> (&mut dyn phy_sim_models::Phy, &mut phy_sim_models::Instant) {
                (&mut *self.phy, &mut self.now)
            }
        }

        impl $crate::common::bus::C45 for $replay {}
    };
}

#[allow(unused_imports)] // as the macros
pub(crate) use {c22_replay, c45_replay};

/// The PHY `model` powered on at time 0 with the register dump `dump` loaded, as the device
/// server starts a scenario's `registers:` (the dump right after power-on, before the cable).
pub fn phy_from_dump(model: &str, dump: &str) -> Box<dyn Phy> {
    let mut phy = phy_sim_models::build(model, Instant::ZERO).unwrap();
    phy.preload(Instant::ZERO, &phy_sim_models::dump::parse(dump).unwrap())
        .unwrap();
    phy
}
