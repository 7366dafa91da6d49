//! The simulated board behind BAR0: global registers, the clock and timeline, MDIO buses with
//! their PHY models, one GPIO bank and the MAC port mailboxes. Deterministic and free of I/O:
//! the vfio-user glue feeds it accesses and carries out the interrupts it asks for.

use crate::abi;
use crate::gpio::GpioBank;
use crate::medium;
use crate::spec::{BoardSpec, TimedAction};
use phy_sim_models::{Instant, Phy};
use serde::Serialize;

/// What the board reports as it runs: the MDIO trace and the event log.
pub trait Observer: Send {
    fn mdio_access(&mut self, t: Instant, bus: &str, write: bool, addr: u8, reg: u16, value: u16);
    fn event(&mut self, t: Instant, event: &BoardEvent);
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BoardEvent {
    Reset,
    TimelineStart,
    Timeline {
        index: usize,
        phy: String,
        action: String,
    },
    PhyLink {
        phy: String,
        up: bool,
        speed: Option<u32>,
        duplex: Option<String>,
    },
    MacConfig {
        port: String,
        interface: String,
        mode: String,
    },
    MacLinkUp {
        port: String,
        interface: String,
        speed: u32,
        duplex: String,
        tx_pause: bool,
        rx_pause: bool,
    },
    MacLinkDown {
        port: String,
        interface: String,
    },
    Unhandled {
        offset: u64,
        write: bool,
        value: u64,
    },
    /// A PHY register the model answers without modelling it (logged once per register and
    /// direction), so a scenario author sees where the model stops being the silicon.
    Unimplemented {
        phy: String,
        access: String,
    },
}

struct PhySlot {
    model: Box<dyn Phy>,
    cable: phy_sim_scenario::CableDef,
    partner: Option<phy_sim_scenario::PartnerDef>,
    last_link: Option<phy_sim_models::LinkState>,
}

#[derive(Default, Clone, Copy)]
struct BusRegs {
    c45_reg: u16,
    result: u32,
}

pub struct Board {
    spec: BoardSpec,
    overlay: Vec<u8>,
    observer: Box<dyn Observer>,
    clock: Instant,
    clock_lo: u32,
    origin: Option<Instant>,
    next_action: usize,
    phys: Vec<PhySlot>,
    buses: Vec<BusRegs>,
    gpio: GpioBank,
    irq_status: u32,
    irq_enable: u32,
    last_irq_pending: u32,
    reported_deadline: u64,
    vectors: u32,
}

impl Board {
    pub fn new(
        spec: BoardSpec,
        overlay: Vec<u8>,
        observer: Box<dyn Observer>,
    ) -> Result<Self, crate::Error> {
        let mut board = Board {
            phys: Vec::new(),
            buses: vec![BusRegs::default(); spec.buses.len()],
            gpio: GpioBank::new(spec.gpio_lines, u32::MAX),
            spec,
            overlay,
            observer,
            clock: Instant::ZERO,
            clock_lo: 0,
            origin: None,
            next_action: 0,
            irq_status: 0,
            irq_enable: 0,
            last_irq_pending: 0,
            reported_deadline: abi::SYNC_NO_DEADLINE,
            vectors: 0,
        };
        board.power_on()?;
        Ok(board)
    }

    fn power_on(&mut self) -> Result<(), crate::Error> {
        let now = self.clock;
        let mut phys = Vec::with_capacity(self.spec.phys.len());
        for p in &self.spec.phys {
            let mut model = phy_sim_models::build(&p.model, now)
                .map_err(|e| crate::Error::Model(p.name.clone(), e.to_string()))?;
            model.set_link_timing(medium::to_timing(&p.timing, model.link_timing()));
            model
                .preload(now, &p.registers)
                .map_err(|e| crate::Error::Model(p.name.clone(), format!("register dump {e}")))?;
            model.set_medium(now, medium::to_medium(&p.cable, p.partner.as_ref())?);
            phys.push(PhySlot {
                model,
                cable: p.cable.clone(),
                partner: p.partner.clone(),
                last_link: None,
            });
        }
        self.phys = phys;
        self.buses = vec![BusRegs::default(); self.spec.buses.len()];
        self.gpio = GpioBank::new(self.spec.gpio_lines, u32::MAX);
        self.origin = None;
        self.next_action = 0;
        self.irq_status = 0;
        self.irq_enable = 0;
        self.last_irq_pending = 0;
        self.reported_deadline = abi::SYNC_NO_DEADLINE;
        self.refresh_pins();
        Ok(())
    }

    /// Device reset (vfio-user DEVICE_RESET or CTRL.RESET): every model back to power-on.
    /// The clock is kept: guest time does not go back.
    pub fn reset(&mut self) -> Result<(), crate::Error> {
        self.observer.event(self.clock, &BoardEvent::Reset);
        self.power_on()
    }

    pub fn now(&self) -> Instant {
        self.clock
    }

    /// MSI-X vectors the board wants raised since the last call (bit n = vector n).
    pub fn take_vectors(&mut self) -> u32 {
        std::mem::take(&mut self.vectors)
    }

    /// The INTx level: something pending and enabled anywhere.
    pub fn intx_asserted(&self) -> bool {
        self.global_pending() != 0 || self.gpio.pending() != 0
    }

    fn global_pending(&self) -> u32 {
        self.irq_status & self.irq_enable
    }

    fn gpio_summary(&self) -> u32 {
        u32::from(self.gpio.pending() != 0) << abi::IRQ_GPIO_BANK_SHIFT
    }

    pub fn next_deadline(&self) -> u64 {
        let models = self
            .phys
            .iter()
            .filter_map(|p| p.model.next_deadline())
            .map(Instant::as_nanos);
        let timeline = self.origin.and_then(|o| {
            self.spec
                .timeline
                .get(self.next_action)
                .map(|a| (o + a.at).as_nanos())
        });
        models
            .chain(timeline)
            .min()
            .map_or(abi::SYNC_NO_DEADLINE, |t| t.min(abi::SYNC_NO_DEADLINE))
    }

    pub fn read(&mut self, offset: u64, size: usize) -> u64 {
        let value = self.read_inner(offset, size);
        self.after_access(false, None);
        value
    }

    fn read_inner(&mut self, offset: u64, size: usize) -> u64 {
        if (abi::FDT_WINDOW..abi::FDT_WINDOW + abi::FDT_WINDOW_SIZE).contains(&offset) {
            let start = (offset - abi::FDT_WINDOW) as usize;
            let mut bytes = [0u8; 8];
            for (i, b) in bytes.iter_mut().take(size).enumerate() {
                *b = self.overlay.get(start + i).copied().unwrap_or(0);
            }
            return u64::from_le_bytes(bytes);
        }
        let wide = |v: u64, off: u64| -> u64 {
            match (size, offset - off) {
                (8, 0) => v,
                (_, 0) => v & 0xffff_ffff,
                (_, 4) => v >> 32,
                _ => 0,
            }
        };
        match offset {
            abi::MAGIC => abi::MAGIC_VALUE.into(),
            abi::VERSION => abi::VERSION_VALUE.into(),
            abi::CAPS => {
                (abi::CAPS_MDIO | abi::CAPS_GPIO | abi::CAPS_PORTS | abi::CAPS_GUEST_CLOCK).into()
            }
            abi::COUNTS => {
                (self.spec.buses.len() as u64) | (1 << 8) | ((self.spec.ports.len() as u64) << 16)
            }
            abi::IRQ_STATUS => (self.irq_status | self.gpio_summary()).into(),
            abi::IRQ_ENABLE => self.irq_enable.into(),
            o if (abi::CLOCK..abi::CLOCK + 8).contains(&o) => {
                wide(self.clock.as_nanos(), abi::CLOCK)
            }
            o if (abi::SYNC..abi::SYNC + 8).contains(&o) => {
                let deadline = self.next_deadline();
                self.reported_deadline = deadline;
                self.irq_status &= !abi::IRQ_DEADLINE_CHANGED;
                let pending = if self.intx_asserted() {
                    abi::SYNC_IRQ_PENDING
                } else {
                    0
                };
                wide(deadline | pending, abi::SYNC)
            }
            o if (abi::TIMELINE_ORIGIN..abi::TIMELINE_ORIGIN + 8).contains(&o) => wide(
                self.origin.map_or(u64::MAX, Instant::as_nanos),
                abi::TIMELINE_ORIGIN,
            ),
            abi::FDT_SIZE => self.overlay.len() as u64,
            abi::FDT_OFFSET => abi::FDT_WINDOW,
            o => match block(o) {
                Some((Block::Mdio, n, abi::MDIO_RESULT)) if n < self.buses.len() => {
                    self.buses[n].result.into()
                }
                Some((Block::Gpio, 0, reg)) => self.gpio.read(reg).into(),
                Some((Block::Port, n, reg)) if n < self.spec.ports.len() => {
                    self.port_read(n, reg).into()
                }
                _ => {
                    self.unhandled(offset, false, 0);
                    0
                }
            },
        }
    }

    pub fn write(&mut self, offset: u64, size: usize, value: u64) {
        let mut gpio_written = false;
        let mut mdio_op_bus = None;
        match offset {
            abi::CTRL => {
                if value as u32 & abi::CTRL_RESET != 0 {
                    if let Err(e) = self.reset() {
                        tracing::error!("device reset failed: {e}");
                    }
                }
                if value as u32 & abi::CTRL_TIMELINE_START != 0 {
                    self.origin = Some(self.clock);
                    self.next_action = 0;
                    self.observer.event(self.clock, &BoardEvent::TimelineStart);
                    self.advance_to(self.clock);
                }
            }
            abi::IRQ_STATUS => self.irq_status &= !(value as u32 & abi::IRQ_DEADLINE_CHANGED),
            abi::IRQ_ENABLE => self.irq_enable = value as u32,
            abi::CLOCK if size == 8 => self.advance_to(Instant::from_nanos(value)),
            abi::CLOCK => self.clock_lo = value as u32,
            o if o == abi::CLOCK + 4 => {
                let t = (value << 32) | u64::from(self.clock_lo);
                self.advance_to(Instant::from_nanos(t));
            }
            o => match block(o) {
                Some((Block::Mdio, n, reg)) if n < self.buses.len() => {
                    if self.mdio_write(n, reg, value as u32) {
                        mdio_op_bus = Some(n);
                    }
                }
                Some((Block::Gpio, 0, reg)) => {
                    gpio_written = self.gpio.write(reg, value as u32);
                    if !gpio_written {
                        self.unhandled(offset, true, value);
                    }
                }
                Some((Block::Port, n, reg)) if n < self.spec.ports.len() => {
                    self.port_write(n, reg, value as u32)
                }
                _ => self.unhandled(offset, true, value),
            },
        }
        self.after_access(gpio_written, mdio_op_bus);
    }

    fn unhandled(&mut self, offset: u64, write: bool, value: u64) {
        tracing::debug!(offset, write, value, "access to an unused offset");
        self.observer.event(
            self.clock,
            &BoardEvent::Unhandled {
                offset,
                write,
                value,
            },
        );
    }

    /// Runs the timeline and every model up to `t`, in time order, so an event and the model
    /// timers around it are seen in the order they happen.
    fn advance_to(&mut self, t: Instant) {
        if t < self.clock {
            return;
        }
        while let Some(origin) = self.origin {
            let Some(action) = self.spec.timeline.get(self.next_action).cloned() else {
                break;
            };
            let due = origin + action.at;
            if due > t {
                break;
            }
            self.advance_models(due);
            self.apply(self.next_action, &action, due);
            self.next_action += 1;
        }
        self.advance_models(t);
    }

    fn advance_models(&mut self, t: Instant) {
        self.clock = self.clock.max(t);
        for p in &mut self.phys {
            p.model.advance(self.clock);
        }
        self.refresh_pins();
    }

    fn apply(&mut self, index: usize, action: &TimedAction, at: Instant) {
        let slot = &mut self.phys[action.phy];
        let name = self.spec.phys[action.phy].name.clone();
        let described = medium::apply_action(&mut slot.cable, &mut slot.partner, &action.action);
        match medium::to_medium(&slot.cable, slot.partner.as_ref()) {
            Ok(m) => slot.model.set_medium(at, m),
            Err(e) => tracing::error!("timeline event {index} for {name}: {e}"),
        }
        self.observer.event(
            at,
            &BoardEvent::Timeline {
                index,
                phy: name,
                action: described,
            },
        );
        self.refresh_pins();
    }

    fn refresh_pins(&mut self) {
        for (spec, slot) in self.spec.phys.iter().zip(&self.phys) {
            if let Some(line) = spec.irq_line {
                // INT# is active low.
                self.gpio.set_board_level(line, !slot.model.irq_asserted());
            }
        }
    }

    /// `mdio_op_bus`: an MDIO operation just ran on that bus; its RESULT gets SYNC_NEEDED when
    /// the deadline moved or an interrupt is pending.
    fn after_access(&mut self, gpio_written: bool, mdio_op_bus: Option<usize>) {
        self.log_link_changes();
        let deadline_moved = self.next_deadline() != self.reported_deadline;
        if deadline_moved {
            self.irq_status |= abi::IRQ_DEADLINE_CHANGED;
        }
        if let Some(bus) = mdio_op_bus {
            if deadline_moved || self.intx_asserted() {
                self.buses[bus].result |= abi::MDIO_RESULT_SYNC_NEEDED;
            }
        }
        let pending = self.global_pending();
        if pending != 0 && self.last_irq_pending == 0 {
            self.vectors |= 1;
        }
        self.last_irq_pending = pending;
        if self.gpio.take_edge(gpio_written) {
            self.vectors |= 1 << 1;
        }
    }

    fn log_link_changes(&mut self) {
        for (spec, slot) in self.spec.phys.iter().zip(self.phys.iter_mut()) {
            let now = slot.model.link_state();
            if slot.last_link.as_ref() != Some(&now) {
                let event = medium::link_event(&spec.name, &now);
                slot.last_link = Some(now);
                self.observer.event(self.clock, &event);
            }
        }
    }

    /// Returns whether an MDIO operation ran.
    fn mdio_write(&mut self, bus: usize, reg: u64, value: u32) -> bool {
        match reg {
            abi::MDIO_C45_REG => self.buses[bus].c45_reg = value as u16,
            abi::MDIO_CMD => {
                self.buses[bus].result = self.mdio_op(bus, value);
                return true;
            }
            _ => self.unhandled(
                abi::MDIO_BASE + bus as u64 * abi::BLOCK_STRIDE + reg,
                true,
                value.into(),
            ),
        }
        false
    }

    fn mdio_op(&mut self, bus: usize, cmd: u32) -> u32 {
        let addr = (cmd & 0x1f) as u8;
        let regdev = ((cmd >> 5) & 0x1f) as u8;
        let op = (cmd >> 10) & 3;
        let data = (cmd >> 16) as u16;
        let now = self.clock;
        let c45_reg = self.buses[bus].c45_reg;
        let phy = self
            .spec
            .phys
            .iter()
            .position(|p| p.bus == bus && p.address == addr);
        let (write, reg, answer) = match (phy, op) {
            (Some(i), abi::MDIO_OP_C22_READ) => (
                false,
                u16::from(regdev),
                self.phys[i].model.c22_read(now, regdev),
            ),
            (Some(i), abi::MDIO_OP_C22_WRITE) => {
                self.phys[i].model.c22_write(now, regdev, data);
                (true, u16::from(regdev), Some(data))
            }
            (Some(i), abi::MDIO_OP_C45_READ) => (
                false,
                c45_reg,
                self.phys[i].model.c45_read(now, regdev, c45_reg),
            ),
            (Some(i), _) => {
                self.phys[i].model.c45_write(now, regdev, c45_reg, data);
                (true, c45_reg, Some(data))
            }
            (None, abi::MDIO_OP_C22_READ) => (false, u16::from(regdev), None),
            (None, abi::MDIO_OP_C45_READ) => (false, c45_reg, None),
            (None, _) => (
                true,
                if op == abi::MDIO_OP_C22_WRITE {
                    u16::from(regdev)
                } else {
                    c45_reg
                },
                Some(data),
            ),
        };
        let value = answer.unwrap_or(0xffff);
        let bus_name = self.spec.buses[bus].name.clone();
        self.observer
            .mdio_access(now, &bus_name, write, addr, reg, value);
        if let Some(i) = phy {
            for note in self.phys[i].model.take_unimplemented() {
                let phy = self.spec.phys[i].name.clone();
                tracing::info!("{phy}: {note}");
                self.observer.event(
                    note.at,
                    &BoardEvent::Unimplemented {
                        phy,
                        access: note.to_string(),
                    },
                );
            }
        }
        self.refresh_pins();
        let no_device = if answer.is_none() || phy.is_none() {
            abi::MDIO_RESULT_NO_DEVICE
        } else {
            0
        };
        u32::from(value) | no_device
    }

    fn port_read(&self, n: usize, reg: u64) -> u32 {
        let port = &self.spec.ports[n];
        match reg {
            abi::PORT_CAPS => {
                abi::MAC_CAP_SYM_PAUSE
                    | abi::MAC_CAP_ASYM_PAUSE
                    | abi::MAC_CAP_10HD
                    | abi::MAC_CAP_10FD
                    | abi::MAC_CAP_100HD
                    | abi::MAC_CAP_100FD
                    | abi::MAC_CAP_1000HD
                    | abi::MAC_CAP_1000FD
                    | abi::MAC_CAP_2500FD
                    | abi::MAC_CAP_5000FD
                    | abi::MAC_CAP_10000FD
            }
            abi::PORT_INTERFACES => port_interfaces(&port.phy_mode),
            abi::PORT_MAC_LO => {
                u32::from_le_bytes([port.mac[0], port.mac[1], port.mac[2], port.mac[3]])
            }
            abi::PORT_MAC_HI => u32::from_le_bytes([port.mac[4], port.mac[5], 0, 0]),
            _ => 0,
        }
    }

    fn port_write(&mut self, n: usize, reg: u64, value: u32) {
        let port = self.spec.ports[n].name.clone();
        let event = match reg {
            abi::PORT_MB_CONFIG => BoardEvent::MacConfig {
                port,
                interface: abi::interface_name(value & 0xff).to_string(),
                mode: match (value >> 8) & 3 {
                    0 => "phy",
                    1 => "fixed",
                    2 => "inband",
                    _ => "unknown",
                }
                .to_string(),
            },
            abi::PORT_MB_LINK_UP => BoardEvent::MacLinkUp {
                port,
                interface: abi::interface_name(value >> 28).to_string(),
                speed: value & 0xff_ffff,
                duplex: if value & (1 << 24) != 0 {
                    "full"
                } else {
                    "half"
                }
                .to_string(),
                tx_pause: value & (1 << 25) != 0,
                rx_pause: value & (1 << 26) != 0,
            },
            abi::PORT_MB_LINK_DOWN => BoardEvent::MacLinkDown {
                port,
                interface: abi::interface_name(value & 0xff).to_string(),
            },
            _ => {
                self.unhandled(
                    abi::PORT_BASE + n as u64 * abi::BLOCK_STRIDE + reg,
                    true,
                    value.into(),
                );
                return;
            }
        };
        self.observer.event(self.clock, &event);
    }
}

/// The interfaces a port's MAC accepts: its configured mode, and for RGMII every delay
/// variant, since the PHY driver may ask phylink for another one. A serdes port (SGMII,
/// 2500BASE-X, 5GBASE-R, 10GBASE-R) takes every mode a multi-gigabit PHY switches its host
/// interface between with the link speed (the 88X3310 in its 10GBASE-R MACTYPE: SGMII up to
/// 1000, then 2500BASE-X, 5GBASE-R, 10GBASE-R); USXGMII carries every speed itself.
fn port_interfaces(phy_mode: &str) -> u32 {
    const RGMII: [&str; 4] = ["rgmii", "rgmii-id", "rgmii-rxid", "rgmii-txid"];
    const SERDES: [&str; 4] = ["sgmii", "2500base-x", "5gbase-r", "10gbase-r"];
    let mut mask = abi::interface_code(phy_mode).map_or(0, |c| 1 << c);
    let family: &[&str] = if phy_mode.starts_with("rgmii") {
        &RGMII
    } else if SERDES.contains(&phy_mode) {
        &SERDES
    } else {
        &[]
    };
    for m in family {
        mask |= abi::interface_code(m).map_or(0, |c| 1 << c);
    }
    mask
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Block {
    Mdio,
    Gpio,
    Port,
}

fn block(offset: u64) -> Option<(Block, usize, u64)> {
    let kind = match offset & !0xfff {
        abi::MDIO_BASE => Block::Mdio,
        abi::GPIO_BASE => Block::Gpio,
        abi::PORT_BASE => Block::Port,
        _ => return None,
    };
    let index = ((offset & 0xfff) / abi::BLOCK_STRIDE) as usize;
    Some((kind, index, offset % abi::BLOCK_STRIDE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serdes_ports_offer_the_multigig_interfaces() {
        let codes = |names: &[&str]| {
            names
                .iter()
                .map(|n| 1u32 << abi::interface_code(n).unwrap())
                .sum::<u32>()
        };
        let serdes = codes(&["sgmii", "2500base-x", "5gbase-r", "10gbase-r"]);
        for mode in ["sgmii", "2500base-x", "5gbase-r", "10gbase-r"] {
            assert_eq!(port_interfaces(mode), serdes, "{mode}");
        }
        assert_eq!(port_interfaces("usxgmii"), codes(&["usxgmii"]));
        assert_eq!(port_interfaces("1000base-x"), codes(&["1000base-x"]));
        assert_eq!(
            port_interfaces("rgmii"),
            codes(&["rgmii", "rgmii-id", "rgmii-rxid", "rgmii-txid"])
        );
    }
}
