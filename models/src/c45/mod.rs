//! What the Clause 45 multi-gigabit BASE-T models (`aquantia`, `marvell10g`) share: the IEEE
//! 802.3 registers ([`regs`]) and the behaviour around them ([`C45Phy`]). A part plugs in
//! through [`Vendor`]: its register map, its chip control register, its share of the link
//! configuration and of the status, and its interrupt line.
//!
//! Clause 45 only (`c22_read` → `None`); an MMD outside the package does not answer.
//!
//! The link: negotiated with 7.16 (base page), 7.32 (multi-gigabit; master/slave 15..13 for
//! every speed) and 7.60/7.62 (EEE) plus the part's 1000BASE-T advertisement, or forced by 1.0
//! when 7.0.12 is clear (full duplex: no Clause 45 control register has a duplex bit).
//! Advertisements are taken when the link starts over: AN restart or enable change, a forced speed change, a unit reset completing (1.0.15,
//! 3.0.15, 7.0.15, the control register's 15), leaving low power (1.0.11, the control
//! register's 11) or PMD transmit disable (1.9.0), a cable or partner change. Unit resets
//! drop the link at once, keep the configuration and complete after `soft_reset`.
//!
//! Status, consistent at every instant: 1.1, 3.1, 4.1 and 7.1 link (latching low), 7.1 AN
//! complete (once the resolved technology has link), page received and LP able, 7.19, 7.33
//! and 7.61/7.63 partner pages (from the exchange until the link starts over, before the
//! multi-gigabit training ends), the multi-gigabit master/slave resolution in 7.33.14 and a
//! master/slave configuration fault in 7.33.15 (latching high; a later successful resolution
//! or a unit reset clears it); then the part's own status registers.
//!
//! Register dumps (`Phy::preload`): `mmd D reg R` lines, loaded over the power-on values; the
//! bits `sync` drives and the part's [`Vendor::derived`] ones are never loaded.

pub mod regs;

use crate::an::{advertised, base_page, bit, mode_bits};
use crate::catalog::ModelInfo;
use crate::copper::{copper_phy, CopperCore, CopperLink, LinkConfig};
use crate::dump::{self, DumpAddr, DumpEntry, DumpError, DumpSink, Placement};
use crate::eee;
use crate::medium::{Duplex, LinkMode, MasterSlave, Speed};
use crate::notes::{Op, Target};
use crate::regfile::{RegAddr, RegDef, RegFile, RegMapError, Written};
use crate::resolve::{LocalAbility, Method};
use crate::timing::MIN_STEP;
use crate::{Instant, MdioDevice, Phy};
use regs::{
    an_stat1, ctrl1, mmd, tengbt, Hook, Package, AN_10GBT_CTRL, AN_10GBT_STAT, AN_ADVERTISE,
    AN_CTRL1, AN_EEE_ADV1, AN_EEE_ADV2, AN_EEE_LPA1, AN_EEE_LPA2, AN_LPA, AN_STAT1, PCS_CTRL1,
    PCS_STAT1, PHYXS_STAT1, PMA_CTRL1, PMA_STAT1, PMA_TXDIS, STAT1_LINK, TXDIS_GLOBAL,
};

/// What one part adds to the IEEE registers and behaviour.
pub trait Vendor: 'static {
    const PACKAGE: Package;
    /// The whole register map, built with `regs::ieee_map!`.
    const MAP: &'static [RegDef<Hook>];
    /// The chip control register (`Hook::Control`): its bit 15 is a unit reset, its bit 11
    /// powers the PHY down, as in control 1.
    const CONTROL: RegAddr;
    /// More registers whose reset bit (15) clears when a unit reset completes.
    const OTHER_RESETS: &'static [RegAddr] = &[];
    /// 7.33.15/14 carry the 1000BASE-T master/slave resolution too, not only the multi-gigabit
    /// one: for a part without a 1000BASE-T status register of its own.
    const GIGABIT_MS_IN_7_33: bool = false;

    /// The part's status registers, as of one instant.
    type Status: Copy + Default + Send;

    /// Completes `config`, which holds what the IEEE registers configure, with the part's
    /// 1000BASE-T advertisement and downshift.
    fn configure(regs: &RegFile<Hook>, config: &mut LinkConfig);
    fn status(regs: &RegFile<Hook>, link: &CopperLink) -> Self::Status;
    /// Drives the part's status registers to `new.vendor` and raises the events the change
    /// from `old` makes.
    fn sync(regs: &mut RegFile<Hook>, old: &View<Self::Status>, new: &View<Self::Status>);
    /// After every guest read of an MMD in the package.
    fn after_read(_regs: &mut RegFile<Hook>) {}
    fn irq_asserted(regs: &RegFile<Hook>) -> bool;
    /// The bits of the part's own registers that a register dump must not set: what `sync`
    /// drives from the link, interrupt status, and the firmware and sensor state the model
    /// keeps on its own.
    fn derived(addr: RegAddr) -> u16;
}

/// Everything the device drives into the status registers, as of one instant.
#[derive(Copy, Clone, Debug, Default)]
pub struct View<S> {
    pub link: bool,
    an_stat1: u16,
    lpa: u16,
    tengbt_stat: u16,
    eee_lpa1: u16,
    eee_lpa2: u16,
    /// Master/slave resolution succeeded, or a unit reset is under way: latched configuration
    /// faults clear (40.5.1.2; a reset returns the status registers to their defaults).
    pub ms_fault_clears: bool,
    exchanges: u32,
    pub vendor: S,
}

pub struct C45Phy<V: Vendor> {
    regs: RegFile<Hook>,
    core: CopperCore,
    /// A unit reset in progress completes at this instant.
    reset_done: Option<Instant>,
    view: View<V::Status>,
}

impl<V: Vendor> C45Phy<V> {
    /// Powers the part up at `now`, with no cable plugged in.
    pub fn new(info: &'static ModelInfo, now: Instant) -> Result<C45Phy<V>, RegMapError> {
        let regs = RegFile::new(V::MAP)?;
        let mut m = C45Phy {
            core: CopperCore::new(info, config::<V>(&regs)),
            regs,
            reset_done: None,
            view: View::default(),
        };
        m.power_on_reset(now);
        Ok(m)
    }

    /// What a guest read of `devad`.`reg` would return now, without side effects and without
    /// running time forward.
    pub fn peek(&self, devad: u16, reg: u16) -> Option<u16> {
        self.regs.peek(mmd(devad, reg))
    }

    fn powered_down(&self) -> bool {
        let r = &self.regs;
        r.live(V::CONTROL) & ctrl1::LOW_POWER != 0
            || r.live(PMA_CTRL1) & ctrl1::LOW_POWER != 0
            // A part without 1.9 in its map reads 0 here.
            || r.live(PMA_TXDIS) & TXDIS_GLOBAL != 0
    }

    /// Starts the link over with the registers as they are now (or holds it stopped while
    /// powered down or in reset).
    fn start_link(&mut self, now: Instant) {
        if self.powered_down() || self.reset_done.is_some() {
            self.core.link.stop();
        } else {
            self.core
                .link
                .start(now, config::<V>(&self.regs), &self.core.medium);
        }
    }

    /// What the part does when its supply comes up with the registers as they are: no unit
    /// reset pending, the link starts over, and that raises no interrupt events (nothing
    /// changed as far as the driver can know).
    fn power_up(&mut self, now: Instant) {
        self.reset_done = None;
        self.core.link.stop();
        self.view = self.derive_status();
        self.start_link(now);
        self.sync();
    }

    /// A unit reset: the link drops at once and starts over when the reset completes.
    fn begin_reset(&mut self, now: Instant) {
        self.core.link.stop();
        self.reset_done = Some(now + self.core.link.timing().soft_reset.max(MIN_STEP));
    }

    fn finish_reset(&mut self, now: Instant) {
        self.reset_done = None;
        let units = [PMA_CTRL1, PCS_CTRL1, AN_CTRL1, V::CONTROL];
        for &addr in units.iter().chain(V::OTHER_RESETS) {
            self.regs.complete(addr, ctrl1::RESET);
        }
        self.start_link(now);
    }

    fn on_write(&mut self, now: Instant, w: Written<Hook>) {
        let Some(hook) = w.hook else { return };
        if w.new & ctrl1::RESET != 0
            && matches!(hook, Hook::Pma | Hook::Pcs | Hook::An | Hook::Control)
        {
            if w.rose(ctrl1::RESET) {
                self.begin_reset(now);
            }
            if hook == Hook::An {
                self.regs.complete(AN_CTRL1, ctrl1::AN_RESTART);
            }
            return;
        }
        let changed = w.old ^ w.new;
        let restart = match hook {
            Hook::An => {
                // Restart self-clears as soon as autonegotiation restarts, which is at once.
                self.regs.complete(AN_CTRL1, ctrl1::AN_RESTART);
                changed & ctrl1::AN_ENABLE != 0
                    || (w.new & ctrl1::AN_RESTART != 0 && w.new & ctrl1::AN_ENABLE != 0)
            }
            Hook::Pma => {
                changed & ctrl1::LOW_POWER != 0
                    || (changed & ctrl1::SPEED_LINK != 0
                        && self.regs.live(AN_CTRL1) & ctrl1::AN_ENABLE == 0)
            }
            Hook::Control => changed & ctrl1::LOW_POWER != 0,
            Hook::TxDis => changed != 0,
            Hook::Pcs => false,
        };
        if restart {
            self.start_link(now);
        }
    }

    fn derive_status(&self) -> View<V::Status> {
        let link = &self.core.link;
        let up = link.is_up();
        let pages = link.pages();
        // IEEE 802.3 28.3.4: the arbitration reaches FLP LINK GOOD, and sets AN complete,
        // only once the resolved technology reports link (after the multi-gig training).
        let an_complete = up && link.config().ability.autoneg && link.link().is_some();
        let an = bit(pages.is_some(), an_stat1::LP_ABLE)
            | bit(up, an_stat1::LINK)
            | bit(an_complete, an_stat1::COMPLETE)
            | bit(pages.is_some_and(|p| p.next_page), an_stat1::XNP);

        let mut tengbt_stat = pages.map_or(0, |p| {
            mode_bits(
                p.advertise,
                &[
                    (LinkMode::BaseT10000Full, tengbt::STAT_LP10G),
                    (LinkMode::BaseT5000Full, tengbt::STAT_LP5G),
                    (LinkMode::BaseT2500Full, tengbt::STAT_LP2_5G),
                ],
            )
        });
        let in_7_33 = |s: Speed| s.is_multigig() || (V::GIGABIT_MS_IN_7_33 && s == Speed::S1000);
        if let Some((_, role)) = master_slave(link).filter(|(s, _)| in_7_33(*s)) {
            tengbt_stat |= bit(role == Some(true), tengbt::STAT_MS_RES);
            tengbt_stat |= bit(role.is_none(), tengbt::STAT_MS_FAULT);
        }
        if link.link().is_some_and(|l| l.speed.is_multigig()) {
            tengbt_stat |= bit(up, tengbt::STAT_LOCOK | tengbt::STAT_REMOK);
        }
        let negotiated_role = link
            .link()
            .is_some_and(|l| l.method == Method::Negotiated && l.master.is_some());
        View {
            link: up,
            an_stat1: an,
            lpa: pages.map_or(0, base_page),
            tengbt_stat,
            eee_lpa1: pages.map_or(0, |p| eee::cap1(p.eee)),
            eee_lpa2: pages.map_or(0, |p| eee::cap2(p.eee)),
            ms_fault_clears: negotiated_role || self.reset_done.is_some(),
            exchanges: link.exchanges(),
            vendor: V::status(&self.regs, link),
        }
    }

    /// Drives the status registers from the link engine and raises the events the change
    /// makes. Called after anything that may move the link, at that instant.
    fn sync(&mut self) {
        let new = self.derive_status();
        let old = std::mem::replace(&mut self.view, new);
        let r = &mut self.regs;
        for addr in [PMA_STAT1, PCS_STAT1, PHYXS_STAT1] {
            r.set_live(addr, STAT1_LINK, bit(new.link, STAT1_LINK));
        }
        r.set_live(
            AN_STAT1,
            an_stat1::LP_ABLE | an_stat1::LINK | an_stat1::COMPLETE | an_stat1::XNP,
            new.an_stat1,
        );
        if new.exchanges != old.exchanges {
            r.set_live(AN_STAT1, an_stat1::PAGE, an_stat1::PAGE);
            r.set_live(AN_STAT1, an_stat1::PAGE, 0);
        }
        r.set_live(AN_LPA, 0xffff, new.lpa);
        r.set_live(AN_10GBT_STAT, tengbt::STAT_LIVE, new.tengbt_stat);
        if new.ms_fault_clears {
            r.rearm(AN_10GBT_STAT, tengbt::STAT_MS_FAULT);
        }
        r.set_live(AN_EEE_LPA1, regs::EEE1_BASE_T, new.eee_lpa1);
        r.set_live(AN_EEE_LPA2, regs::EEE2_BASE_T, new.eee_lpa2);
        V::sync(r, &old, &new);
    }
}

/// The link configuration the registers hold now.
fn config<V: Vendor>(regs: &RegFile<Hook>) -> LinkConfig {
    let an = regs.live(AN_CTRL1);
    let pma = regs.live(PMA_CTRL1);
    let adv = regs.live(AN_ADVERTISE);
    let tg = regs.live(AN_10GBT_CTRL);
    let speed = match (pma & ctrl1::SPEED_LSB != 0, pma & ctrl1::SPEED_MSB != 0) {
        (true, true) => match pma & ctrl1::SPEED_SEL {
            ctrl1::SPEED_2_5G => Speed::S2500,
            ctrl1::SPEED_5G => Speed::S5000,
            _ => Speed::S10000,
        },
        (false, true) => Speed::S1000,
        (true, false) => Speed::S100,
        (false, false) => Speed::S10,
    };
    let (base, pause) = advertised(adv);
    let advertise = base
        .with(LinkMode::BaseT2500Full, tg & tengbt::ADV2_5G != 0)
        .with(LinkMode::BaseT5000Full, tg & tengbt::ADV5G != 0)
        .with(LinkMode::BaseT10000Full, tg & tengbt::ADV10G != 0);
    let master_slave = if tg & tengbt::MS_ENABLE != 0 {
        MasterSlave::Manual {
            master: tg & tengbt::MS_VALUE != 0,
        }
    } else {
        MasterSlave::Auto {
            prefer_master: tg & tengbt::PORT_TYPE != 0,
        }
    };
    let mut config = LinkConfig {
        ability: LocalAbility {
            autoneg: an & ctrl1::AN_ENABLE != 0,
            forced: (speed, Duplex::Full),
            advertise,
            pause,
            master_slave,
            eee: eee::modes(regs.live(AN_EEE_ADV1), regs.live(AN_EEE_ADV2)),
        },
        downshift_after: None,
    };
    V::configure(regs, &mut config);
    config
}

/// The master/slave resolution the status registers show: the speed it was for and the local
/// role, `None` for a configuration fault. While training or up, and from a faulted exchange
/// until autonegotiation starts over.
pub fn master_slave(link: &CopperLink) -> Option<(Speed, Option<bool>)> {
    if link.master_slave_fault() {
        // The fault is that of the highest common mode. Downshift cannot have narrowed the
        // advertisement since the start: a fault ends every exchange until the configuration
        // changes, which starts the link over, so none of them trained and failed.
        let pages = link.pages()?;
        let hcd = link
            .config()
            .ability
            .advertise
            .intersection(pages.advertise)
            .highest()?;
        return Some((hcd.speed(), None));
    }
    let l = link.link()?;
    Some((l.speed, Some(l.master?)))
}

impl<V: Vendor> MdioDevice for C45Phy<V> {
    fn c22_read(&mut self, _now: Instant, _reg: u8) -> Option<u16> {
        None
    }

    fn c22_write(&mut self, _now: Instant, _reg: u8, _value: u16) {}

    fn c45_read(&mut self, now: Instant, devad: u8, reg: u16) -> Option<u16> {
        self.advance(now);
        if !V::PACKAGE.answers(devad) {
            return None;
        }
        let value = self.regs.read(mmd(devad.into(), reg)).unwrap_or_else(|| {
            self.core
                .log
                .record(now, Target::Mmd { devad, reg }, Op::Read { answered: 0 });
            0
        });
        V::after_read(&mut self.regs);
        Some(value)
    }

    fn c45_write(&mut self, now: Instant, devad: u8, reg: u16, value: u16) {
        self.advance(now);
        if !V::PACKAGE.answers(devad) {
            return;
        }
        match self.regs.write(mmd(devad.into(), reg), value) {
            Some(w) => self.on_write(now, w),
            None => self
                .core
                .log
                .record(now, Target::Mmd { devad, reg }, Op::Write { value }),
        }
        self.sync();
    }

    fn advance(&mut self, now: Instant) {
        while let Some(t) = self.next_deadline().filter(|t| *t <= now) {
            if self.reset_done.is_some_and(|r| r <= t) {
                self.finish_reset(t);
            } else {
                self.core.link.on_deadline(t, &self.core.medium);
            }
            self.sync();
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        match (self.reset_done, self.core.link.deadline()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn irq_asserted(&self) -> bool {
        V::irq_asserted(&self.regs)
    }

    fn power_on_reset(&mut self, now: Instant) {
        self.regs.reset_where(|_| true);
        self.power_up(now);
    }
}

impl<V: Vendor> Phy for C45Phy<V> {
    copper_phy!(
        restart: |m, now| m.start_link(now),
        isolated: |_| false,
    );

    /// Loads the dump over the power-on values, `mmd D reg R` lines only. Read-only fields
    /// take the dumped value (device identifiers and devices in package, the abilities in
    /// 1.4, 1.11, 1.21, 3.20, 7.1 bit 3 and the like, the 88X3310's firmware version and
    /// MV_PCS_PORT_INFO) and keep it through unit resets, which keep every register: they
    /// describe the reporter's part. These are never loaded, and the dump's values for them
    /// are dropped:
    /// - the status the link engine derives from the scenario's `cable` and `partner`: 1.1,
    ///   3.1 and 4.1 link; 7.1 link, AN complete, page received, LP able and extended next
    ///   page; 7.19 (partner base page); 7.33 bits 15:10 and 6:5 (master/slave fault and
    ///   resolution, receiver status, partner abilities); 7.61 and 7.63 (partner EEE). A dump
    ///   shows the link the reporter had, the scenario says which link this run has, so the
    ///   two cannot disagree behind the driver's back;
    /// - the part's own ([`Vendor::derived`]). AQR113C: 4.0xe812 interface type, 7.0xc800
    ///   rate and duplex, 7.0xc810 bit 8 MDI-X, 7.0xe820/0xe823/0xe832 partner pages, the
    ///   MMD 29 SGMII counters, 30.0xc88d link mode; the firmware (30.0x20 VEND1_GLOBAL_FW_ID,
    ///   30.0xc885, 1.0xc41d/0xc41e: the model always runs its own image from flash) and its
    ///   state (30.0xc831 busy); the temperature sensor (30.0xc820, 0xc821, 0xc830 alarms);
    ///   the interrupt status 30.0xfc00/0xfc01. 88X3310: 3.0x8008 (CSSR1), 7.0x8001 bits
    ///   15:10, the fibre link 3.0x1001, the firmware boot status 1.0xc050 (the model's
    ///   firmware always boots), the temperature 31.0xf08c bits 7:0;
    /// - self-clearing actions (the unit resets x.0.15, AN restart 7.0.9) and clear-on-read
    ///   events (the AQR113C's 7.0xcc00/0xcc01, the 88X3310's 31.0xf040): they are not state;
    /// - reserved bits.
    ///
    /// Configuration then takes effect as after a power-up with those values: the link starts
    /// over from 7.0, 1.0, 7.16, 7.32, 7.60, 7.62 and the part's 1000BASE-T and downshift
    /// registers, or stays down while a low-power bit (1.0.11, the part's control register)
    /// or PMD transmit disable (1.9.0) is set. Refused, naming the dump line: Clause 22 lines
    /// (the parts answer Clause 45 frames only), an MMD the model does not have, and a
    /// non-zero value for a register the model does not implement (it would read 0).
    fn preload(&mut self, now: Instant, dump: &[DumpEntry]) -> Result<(), DumpError> {
        self.advance(now);
        let model = self.core.info.name;
        dump::load_dump(
            model,
            dump,
            &mut [&mut self.regs as &mut dyn DumpSink],
            |a| place(model, a),
            |_, addr| derived::<V>(addr),
        )?;
        self.power_up(now);
        Ok(())
    }
}

/// Where a dump line's register lives: the one register file, at its MMD address.
fn place(model: &str, addr: DumpAddr) -> Result<Placement, String> {
    match addr {
        DumpAddr::C22 { .. } => Err(format!(
            "the {model} model answers Clause 45 frames only, not Clause 22: give its registers as `mmd D reg R` lines"
        )),
        DumpAddr::C45 { devad, reg } => Ok(Placement::At {
            file: 0,
            addr: mmd(devad.into(), reg),
        }),
    }
}

/// The IEEE bits `sync` drives.
const IEEE_DERIVED: &[(RegAddr, u16)] = &[
    (PMA_STAT1, STAT1_LINK),
    (PCS_STAT1, STAT1_LINK),
    (PHYXS_STAT1, STAT1_LINK),
    (
        AN_STAT1,
        an_stat1::LP_ABLE | an_stat1::LINK | an_stat1::COMPLETE | an_stat1::PAGE | an_stat1::XNP,
    ),
    (AN_LPA, 0xffff),
    (AN_10GBT_STAT, tengbt::STAT_LIVE),
    (AN_EEE_LPA1, 0xffff),
    (AN_EEE_LPA2, 0xffff),
];

/// The bits of `addr` a register dump does not set.
fn derived<V: Vendor>(addr: RegAddr) -> u16 {
    IEEE_DERIVED
        .iter()
        .filter(|(a, _)| *a == addr)
        .fold(V::derived(addr), |m, (_, bits)| m | bits)
}
