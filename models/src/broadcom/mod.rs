//! Broadcom BCM54210E gigabit PHY, as drivers/net/phy/broadcom.c ("Broadcom BCM54210E",
//! PHY_ID_BCM54210E 0x600d84a0, PHY_ID_MATCH_MODEL) and bcm-phy-lib.c drive it.
//!
//! Clause 22 registers 0x00-0x1d, plus Broadcom's indirect spaces: the auxiliary control
//! shadows behind 0x18 (shadow in bits 2:0; shadow 7 = misc control, written with bit 15 set,
//! its bits 14:12 otherwise selecting which shadow a read of 0x18 returns), the 0x1c shadows
//! (shadow in bits 14:10, bit 15 write enable, data in bits 9:0), the expansion registers
//! (select in 0x17, data in 0x15), and the MMD registers through 0x0d/0x0e. RDB access
//! (0x1e/0x1f) is not used by the driver for this part and is not modelled.
//!
//! Configuration is live, as in IEEE 802.3: a change of BMCR speed, duplex or autonegotiation
//! enable restarts the link at once; the advertisement (ANAR, 1000BASE-T control) and
//! Ethernet@WireSpeed are taken whenever the link starts over. BMCR.15 restores every
//! register, the indirect ones too, and completes at once. While BMCR.11 (power down) is set
//! the part ignores writes to every register but BMCR (broadcom.c, bcm54xx_resume()).
//!
//! Interrupts: ISR (0x1a) latches events whatever IMR (0x1b, 1 = masked) says; INT# is
//! asserted when ECR.12 (interrupt disable) is clear and ECR.11 (force) is set or
//! ISR & ~IMR is non-zero. Reading ISR clears it.

mod preload;
mod regs;

use crate::an::{bit, resolved};
use crate::c22::{self, bmcr};
use crate::catalog::ModelInfo;
use crate::copper::{copper_phy, CopperCore, LinkConfig, Phase};
use crate::dump::{self, DumpEntry, DumpError, DumpSink, DumpedBits};
use crate::eee;
use crate::medium::{Duplex, LinkMode, Speed};
use crate::mmd::MmdIndirect;
use crate::notes::{Op, Target};
use crate::regfile::{RegAddr, RegFile, RegMapError, Written};
use crate::resolve::LocalAbility;
use crate::{Instant, MdioDevice, Phy};
use regs::{auxsts, ecr, esr, irq, misc, Hook};

pub const BCM54210E: ModelInfo = ModelInfo {
    name: "broadcom-bcm54210e",
    description: "Broadcom BCM54210E 10/100/1000BASE-T PHY, RGMII",
    phy_id: 0x600d_84a0,
    clause45: false,
    link_modes: &LinkMode::GIGABIT,
    kernel_driver: "Broadcom BCM54210E",
};

/// Everything the device drives into the status registers.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
struct StatusView {
    ieee: c22::Status,
    /// Resolved speed/duplex (aux status HCD).
    speed: Option<Speed>,
    duplex: Option<Duplex>,
    /// Aux status (0x19), live bits.
    aux: u16,
    /// ESR (0x11) live bits, without the interrupt status.
    esr: u16,
    /// Pages exchanged, no common mode.
    no_hcd: bool,
}

pub struct Bcm54210e {
    regs: RegFile<Hook>,
    ind: RegFile<()>,
    mmd_access: MmdIndirect,
    /// 0x18 read selector (misc shadow bits 14:12).
    aux_read_sel: u16,
    /// The 0x1c shadow last selected.
    shadow_sel: u16,
    core: CopperCore,
    view: StatusView,
    /// The read-only bits a register dump set (file, address, mask, value): what the
    /// reporter's part is (ID, abilities), so BMCR.15 keeps them.
    dumped_ro: Vec<DumpedBits>,
}

impl Bcm54210e {
    /// Powers the part up at `now`, with no cable plugged in.
    pub fn new(info: &'static ModelInfo, now: Instant) -> Result<Bcm54210e, RegMapError> {
        let regs = RegFile::new(regs::MAP)?;
        let ind = RegFile::new(regs::IND_MAP)?;
        let mut m = Bcm54210e {
            core: CopperCore::new(info, config_from(&regs, &ind)),
            regs,
            ind,
            mmd_access: MmdIndirect::default(),
            aux_read_sel: 0,
            shadow_sel: 0,
            view: StatusView::default(),
            dumped_ro: Vec::new(),
        };
        m.power_on_reset(now);
        Ok(m)
    }

    /// What a guest read of Clause 22 register `reg` would return now, without side effects.
    /// The indirect data registers (0x0e, 0x15, 0x18, 0x1c) have their own peeks.
    pub fn peek(&self, reg: u8) -> Option<u16> {
        self.regs.peek(RegAddr::page(0, reg))
    }

    /// Auxiliary control shadow `shadow` (0x18), data bits only.
    pub fn peek_aux(&self, shadow: u16) -> Option<u16> {
        self.ind.peek(regs::aux(shadow))
    }

    /// 0x1c shadow `shadow`, data bits 9:0.
    pub fn peek_shadow(&self, shadow: u16) -> Option<u16> {
        self.ind.peek(regs::shd(shadow))
    }

    /// Expansion register `sel` (the value 0x17 selects it with, e.g. 0x0f04).
    pub fn peek_exp(&self, sel: u16) -> Option<u16> {
        self.ind.peek(regs::exp(sel))
    }

    /// MMD register `devad`.`reg`.
    pub fn peek_mmd(&self, devad: u8, reg: u16) -> Option<u16> {
        self.ind.peek(RegAddr::new(u16::from(devad), reg))
    }

    fn powered_down(&self) -> bool {
        self.regs.live(regs::BMCR) & bmcr::POWER_DOWN != 0
    }

    fn start_link(&mut self, now: Instant) {
        if self.powered_down() {
            self.core.link.stop();
        } else {
            self.core
                .link
                .start(now, config_from(&self.regs, &self.ind), &self.core.medium);
        }
    }

    /// Every register (the indirect ones too) back to its reset value and the link started
    /// over; the reset raises no interrupt events.
    fn reset_all(&mut self, now: Instant) {
        self.regs.reset_where(|_| true);
        self.ind.reset_where(|_| true);
        self.mmd_access.reset();
        self.aux_read_sel = 0;
        self.shadow_sel = 0;
        self.regs
            .set_live(regs::PHYID2, 0xffff, self.core.info.phy_id as u16);
        dump::restore(&self.dumped_ro, &mut [&mut self.regs, &mut self.ind]);
        self.core.link.stop();
        self.start_link(now);
        self.view = self.derive_status();
        self.sync();
    }

    fn on_write(&mut self, now: Instant, w: Written<Hook>) {
        if w.hook != Some(Hook::Bmcr) {
            return;
        }
        // Restart AN self-clears as soon as autonegotiation restarts, which is at once.
        self.regs.complete(regs::BMCR, bmcr::RESTART_AN);
        if w.rose(bmcr::RESET) {
            return self.reset_all(now);
        }
        let was_down = w.old & bmcr::POWER_DOWN != 0;
        if was_down != self.powered_down() {
            return self.start_link(now);
        }
        let reconfigured = (w.old ^ w.new) & bmcr::LINK_CONFIG != 0;
        let restart = w.new & bmcr::RESTART_AN != 0 && w.new & bmcr::AN_ENABLE != 0;
        if !self.powered_down() && (reconfigured || restart) {
            self.start_link(now);
        }
    }

    fn note(&mut self, now: Instant, page: u16, reg: u8, op: Op) {
        self.core.log.record(
            now,
            Target::C22 {
                page: Some(page as u8),
                reg,
            },
            op,
        );
    }

    /// 0x18 written: a shadow's data, or (misc shadow without write enable) the read selector.
    fn aux_write(&mut self, now: Instant, v: u16) {
        let shadow = v & 0x0007;
        if shadow == 7 && v & misc::WRITE_ENABLE == 0 {
            self.aux_read_sel = (v & misc::READ_SEL) >> 12;
            return;
        }
        if self.ind.write(regs::aux(shadow), v).is_none() {
            self.note(now, shadow, 0x18, Op::Write { value: v });
        }
    }

    fn aux_read(&mut self, now: Instant) -> u16 {
        let shadow = self.aux_read_sel;
        match self.ind.read(regs::aux(shadow)) {
            Some(d) => d | shadow,
            None => {
                self.note(now, shadow, 0x18, Op::Read { answered: shadow });
                shadow
            }
        }
    }

    /// 0x1c written: selects a shadow, and with bit 15 writes its data bits 9:0.
    fn shadow_write(&mut self, now: Instant, v: u16) {
        let shadow = (v >> 10) & 0x1f;
        self.shadow_sel = shadow;
        if v & 0x8000 != 0 && self.ind.write(regs::shd(shadow), v & 0x03ff).is_none() {
            self.note(now, shadow, 0x1c, Op::Write { value: v });
        }
    }

    fn shadow_read(&mut self, now: Instant) -> u16 {
        let shadow = self.shadow_sel;
        match self.ind.read(regs::shd(shadow)) {
            Some(d) => (shadow << 10) | d,
            None => {
                let answered = shadow << 10;
                self.note(now, shadow, 0x1c, Op::Read { answered });
                answered
            }
        }
    }

    /// 0x15: the expansion register 0x17 selects.
    fn exp_data(&mut self, now: Instant, write: Option<u16>) -> u16 {
        let sel = self.regs.live(regs::EXP_SEL);
        let addr = regs::exp(sel);
        match write {
            Some(value) => {
                if self.ind.write(addr, value).is_none() {
                    self.note(now, sel, 0x15, Op::Write { value });
                }
                value
            }
            None => self.ind.read(addr).unwrap_or_else(|| {
                self.note(now, sel, 0x15, Op::Read { answered: 0 });
                0
            }),
        }
    }

    fn mmd_data(&mut self, now: Instant, write: Option<u16>) -> u16 {
        let ctrl = self.regs.live(regs::MMD_CTRL);
        // The indirect file's other spaces (0x1500 and up) are beyond any device address, so
        // only MMD devices 3 and 7 answer here.
        self.mmd_access
            .data(now, ctrl, write, &mut self.ind, &mut self.core.log)
    }

    fn derive_status(&self) -> StatusView {
        let link = &self.core.link;
        let up = link.is_up();
        let ieee = c22::Status::of(link);
        let resolved = resolved(link);
        let pages = link.pages();
        let mut aux = 0;
        aux |= bit(ieee.an_complete, auxsts::AN_COMPLETE);
        if let Some(p) = pages {
            aux |= auxsts::AN_COMPLETE_ACK
                | auxsts::AN_ACK_DETECT
                | auxsts::AN_ABILITY_DETECT
                | auxsts::LP_AN_ABLE;
            aux |= bit(p.next_page, auxsts::LP_NP_ABLE);
        }
        if let Some((speed, duplex)) = resolved {
            aux |= hcd(speed, duplex) << auxsts::HCD_SHIFT;
        }
        aux |= bit(up, auxsts::LINK);
        if let Some(l) = link.link().filter(|_| up) {
            aux |= bit(l.pause.rx, auxsts::PAUSE_RX) | bit(l.pause.tx, auxsts::PAUSE_TX);
        }

        let esr_v = bit(
            link.running() && link.downshifted(),
            esr::WIRESPEED_DOWNGRADE,
        ) | bit(
            up,
            esr::LINK | esr::LOCKED | esr::LOCAL_RX_OK | esr::REMOTE_RX_OK,
        );
        StatusView {
            ieee,
            speed: resolved.map(|r| r.0),
            duplex: resolved.map(|r| r.1),
            aux,
            esr: esr_v,
            no_hcd: link.phase() == Phase::NoLink && pages.is_some(),
        }
    }

    /// Drives every status register from the link engine and latches the events the change
    /// implies into ISR. Called after anything that may move the link, at that instant.
    fn sync(&mut self) {
        let new = self.derive_status();
        let old = std::mem::replace(&mut self.view, new);
        let r = &mut self.regs;
        c22::sync(r, regs::page0, &self.core.link, &old.ieee, &new.ieee);
        r.set_live(regs::AUX_STATUS, auxsts::LIVE, new.aux);
        if new.ieee.exchanges != old.ieee.exchanges {
            // Page received latches high in the aux status summary too.
            r.set_live(
                regs::AUX_STATUS,
                auxsts::PAGE_RECEIVED,
                auxsts::PAGE_RECEIVED,
            );
            r.set_live(regs::AUX_STATUS, auxsts::PAGE_RECEIVED, 0);
        }
        r.raise(regs::ISR, interrupt_events(&old, &new));
        self.ind
            .set_live(regs::EEE_LP_ABILITY, 0xffff, new.ieee.eee_lp);
        self.update_int_status();
    }

    /// ESR (0x11): the live status and the interrupt status bit.
    fn update_int_status(&mut self) {
        let pending = self.regs.live(regs::ISR) & !self.regs.live(regs::IMR) != 0;
        self.regs.set_live(
            regs::ESR,
            esr::LIVE,
            self.view.esr | bit(pending, esr::INT_STATUS),
        );
    }
}

/// Aux status HCD code.
fn hcd(speed: Speed, duplex: Duplex) -> u16 {
    match (speed, duplex) {
        (Speed::S10, Duplex::Half) => 1,
        (Speed::S10, Duplex::Full) => 2,
        (Speed::S100, Duplex::Half) => 3,
        (Speed::S100, Duplex::Full) => 5,
        (Speed::S1000, Duplex::Half) => 6,
        (Speed::S1000, Duplex::Full) => 7,
        // A gigabit PHY never resolves a multi-gigabit speed.
        (Speed::S2500 | Speed::S5000 | Speed::S10000, _) => 7,
    }
}

/// The link configuration the registers hold now.
fn config_from(regs: &RegFile<Hook>, ind: &RegFile<()>) -> LinkConfig {
    let ability = c22::ability(
        regs.live(regs::BMCR),
        regs.live(regs::ADVERTISE),
        regs.live(regs::CTRL1000),
        true,
    );
    // Ethernet@WireSpeed: misc control bit 4; spare control 2 bit 8 = downgrade after one
    // attempt, else bits 4:2 + 2 attempts.
    let scr2 = ind.live(regs::SHD_SCR2);
    let downshift_after = (ind.live(regs::AUX_MISC) & misc::WIRESPEED != 0).then(|| {
        if scr2 & 0x0100 != 0 {
            1
        } else {
            ((scr2 >> 2) & 0x7) as u8 + 2
        }
    });
    LinkConfig {
        ability: LocalAbility {
            eee: eee::modes(ind.live(regs::EEE_ADV), 0),
            ..ability
        },
        downshift_after,
    }
}

/// ISR bits for the transition `old` → `new`. They latch whatever IMR says.
fn interrupt_events(old: &StatusView, new: &StatusView) -> u16 {
    let rx = |v: &StatusView, m: u16| v.ieee.stat1000 & m != 0;
    bit(old.ieee.link != new.ieee.link, irq::LINK)
        | bit(old.speed != new.speed, irq::SPEED)
        | bit(old.duplex != new.duplex, irq::DUPLEX)
        | bit(rx(old, 0x2000) != rx(new, 0x2000), irq::LOCAL_RX)
        | bit(rx(old, 0x1000) != rx(new, 0x1000), irq::REMOTE_RX)
        | bit(new.no_hcd && !old.no_hcd, irq::NO_HCD)
        | bit(
            new.ieee.exchanges_without_link != old.ieee.exchanges_without_link && !new.no_hcd,
            irq::NO_HCD_LINK,
        )
        | bit(new.ieee.exchanges != old.ieee.exchanges, irq::PAGE_RECEIVED)
}

impl MdioDevice for Bcm54210e {
    fn c22_read(&mut self, now: Instant, reg: u8) -> Option<u16> {
        self.advance(now);
        let addr = RegAddr::page(0, reg & 31);
        let v = match self.regs.hook(addr) {
            Some(Hook::MmdData) => self.mmd_data(now, None),
            Some(Hook::ExpData) => self.exp_data(now, None),
            Some(Hook::AuxCtl) => self.aux_read(now),
            Some(Hook::Shadow) => self.shadow_read(now),
            _ => match self.regs.read(addr) {
                Some(v) => v,
                None => {
                    // 0x1e (test register 1 / RDB address) and 0x1f: not modelled.
                    self.core.log.record(
                        now,
                        Target::C22 { page: None, reg },
                        Op::Read { answered: 0 },
                    );
                    0
                }
            },
        };
        if self.regs.hook(addr) == Some(Hook::Isr) {
            self.update_int_status();
        }
        Some(v)
    }

    fn c22_write(&mut self, now: Instant, reg: u8, value: u16) {
        self.advance(now);
        let addr = RegAddr::page(0, reg & 31);
        if self.powered_down() && addr != regs::BMCR {
            // In power down the part takes writes to BMCR only.
            return;
        }
        match self.regs.hook(addr) {
            Some(Hook::MmdData) => {
                self.mmd_data(now, Some(value));
            }
            Some(Hook::ExpData) => {
                self.exp_data(now, Some(value));
            }
            Some(Hook::AuxCtl) => self.aux_write(now, value),
            Some(Hook::Shadow) => self.shadow_write(now, value),
            _ => match self.regs.write(addr, value) {
                Some(w) => self.on_write(now, w),
                None => {
                    self.core
                        .log
                        .record(now, Target::C22 { page: None, reg }, Op::Write { value })
                }
            },
        }
        self.sync();
    }

    /// The BCM54210E answers Clause 22 only.
    fn c45_read(&mut self, _now: Instant, _devad: u8, _reg: u16) -> Option<u16> {
        None
    }

    fn c45_write(&mut self, _now: Instant, _devad: u8, _reg: u16, _value: u16) {}

    fn advance(&mut self, now: Instant) {
        while let Some(t) = self.next_deadline().filter(|t| *t <= now) {
            self.core.link.on_deadline(t, &self.core.medium);
            self.sync();
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        self.core.link.deadline()
    }

    fn irq_asserted(&self) -> bool {
        let ecr_v = self.regs.live(regs::ECR);
        let pending = self.regs.live(regs::ISR) & !self.regs.live(regs::IMR) != 0;
        ecr_v & ecr::INT_MASK == 0 && (ecr_v & ecr::INT_FORCE != 0 || pending)
    }

    fn power_on_reset(&mut self, now: Instant) {
        self.dumped_ro.clear();
        self.reset_all(now);
    }
}

impl Phy for Bcm54210e {
    copper_phy!(
        restart: |m, now| m.start_link(now),
        isolated: |m| m.regs.live(regs::BMCR) & bmcr::ISOLATE != 0,
    );

    /// Loads the dump over the power-on values. The part has no register pages, so a line's
    /// `page S` names what the part's own selector S reaches behind one register: `page S
    /// reg 0x18` auxiliary control shadow S (0-7; 7 is misc control), `page S reg 0x1c`
    /// shadow S (0-31), `page S reg 0x15` expansion register S (0x17 = 0x0f00 | S: the
    /// expansion bank; the WOL and TOP_MISC banks 0x0e and 0x0d need a select above 0xff,
    /// which a dump page cannot hold). A value may carry the shadow number as a read
    /// returns it (0x18 bits 2:0, 0x1c bits 14:10) or leave it 0. The MMD registers are
    /// `mmd 3|7 reg R`. Read-only fields take the dumped value (PHY ID, BMSR and 0x0f
    /// abilities, MMD 3.20) and keep it through BMCR.15: they describe the reporter's part.
    /// These are never loaded, and the dump's values for them are dropped:
    /// - the status the link engine derives from the scenario's `cable` and `partner`: BMSR
    ///   link, autonegotiation complete, remote fault and jabber; 0x05 and 0x08 (partner
    ///   pages); 0x06 bits 4, 3, 1, 0; 0x0a bits 15:10 (master/slave fault and role,
    ///   receivers, partner 1000BASE-T); 0x11 (PHY extended status); 0x19 (auxiliary status
    ///   summary); 0x1d (master/slave seed, HCD status); MMD 3.1 and 7.61 (partner EEE). A
    ///   dump shows the link the reporter had, the scenario says which link this run has, so
    ///   the two cannot disagree behind the driver's back;
    /// - self-clearing actions (BMCR reset and restart autonegotiation) and clear-on-read
    ///   events and counters (ISR 0x1a, 0x12-0x14, 0x0a bits 7:0, expansion 0x0e94 WOL
    ///   status, MMD 3.22 and 7.0x803f): they are not state;
    /// - reserved bits, and the access windows: 0x0d/0x0e (MMD), 0x17 (expansion select),
    ///   0x1e/0x1f (RDB address/data; RDB is not modelled), and the selectors the line's page
    ///   stands for.
    ///
    /// Configuration then takes effect as after a power-up with those values: the link starts
    /// over from BMCR, 0x04, 0x09, MMD 7.60 and Ethernet@WireSpeed (misc bit 4, spare control
    /// 2) (no link while BMCR power down is set); ECR and IMR decide INT#. BMCR.15 later
    /// restores every configuration register to its reset value, as on the part. Refused,
    /// naming the dump line: a page on any other register, a shadow a register does not have,
    /// a value naming another shadow than its line's, an MMD other than 3 and 7, and a
    /// non-zero value for a register the model does not implement (it would read 0).
    fn preload(&mut self, now: Instant, dump: &[DumpEntry]) -> Result<(), DumpError> {
        self.advance(now);
        let model = self.core.info.name;
        for e in dump {
            dump::load_dump(
                model,
                &[preload::shadow_data(e)?],
                &mut [&mut self.regs as &mut dyn DumpSink, &mut self.ind],
                |a| preload::place(model, a),
                preload::derived,
            )?;
        }
        self.dumped_ro = dump::read_only(
            dump,
            &[&self.regs, &self.ind],
            |a| preload::place(model, a),
            preload::derived,
        );
        self.core.link.stop();
        // As at power-up: the link starting over raises no interrupt events.
        self.view = self.derive_status();
        self.start_link(now);
        self.sync();
        Ok(())
    }
}
