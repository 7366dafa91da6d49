//! What the board is made of, resolved from a scenario: indices instead of names, GPIO lines
//! assigned, MAC addresses chosen. The board and the overlay are both built from this.

use phy_sim_scenario::{Action, CableDef, PartnerDef, Scenario};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct BoardSpec {
    pub buses: Vec<BusSpec>,
    pub phys: Vec<PhySpec>,
    pub ports: Vec<PortSpec>,
    /// Lines of GPIO bank 0 (one per PHY with a wired INT#).
    pub gpio_lines: u32,
    pub timeline: Vec<TimedAction>,
}

#[derive(Debug, Clone)]
pub struct BusSpec {
    pub name: String,
    /// MDC rate: the guest driver holds the bus for 64 MDC cycles per frame.
    pub mdc_hz: u32,
}

#[derive(Debug, Clone)]
pub struct PhySpec {
    pub name: String,
    pub model: String,
    pub bus: usize,
    pub address: u8,
    /// GPIO bank 0 line carrying INT#, when wired.
    pub irq_line: Option<u32>,
    pub clause45: bool,
    pub cable: CableDef,
    pub partner: Option<PartnerDef>,
    /// Loaded into the model after every power-on (empty: none).
    pub registers: Vec<phy_sim_models::DumpEntry>,
    pub timing: phy_sim_scenario::TimingDef,
}

#[derive(Debug, Clone)]
pub struct PortSpec {
    pub name: String,
    pub phy: usize,
    pub phy_mode: String,
    pub mac: [u8; 6],
}

#[derive(Debug, Clone)]
pub struct TimedAction {
    pub at: Duration,
    pub phy: usize,
    pub action: Action,
}

impl BoardSpec {
    /// The scenario has been validated by its parser; names resolve.
    pub fn from_scenario(s: &Scenario) -> Result<Self, crate::Error> {
        let mut buses = Vec::new();
        let mut phys = Vec::new();
        let mut next_line = 0;
        for (bus_index, bus) in s.board.mdio.iter().enumerate() {
            buses.push(BusSpec {
                name: bus.name.clone(),
                mdc_hz: bus.mdc_hz,
            });
            for p in &bus.phys {
                let info = phy_sim_models::catalog()
                    .iter()
                    .find(|m| m.name == p.model)
                    .ok_or_else(|| crate::Error::UnknownModel(p.model.clone()))?;
                let irq_line = p.interrupt.then(|| {
                    next_line += 1;
                    next_line - 1
                });
                phys.push(PhySpec {
                    name: p.name.clone(),
                    model: p.model.clone(),
                    bus: bus_index,
                    address: p.address,
                    irq_line,
                    clause45: info.clause45,
                    cable: p.cable.clone(),
                    partner: p.partner.clone(),
                    registers: p
                        .registers
                        .as_ref()
                        .map_or_else(Vec::new, |d| d.entries.clone()),
                    timing: p.timing.clone(),
                });
            }
        }
        let phy_index = |name: &str| {
            phys.iter()
                .position(|p: &PhySpec| p.name == name)
                .ok_or_else(|| crate::Error::UnknownPhy(name.to_string()))
        };
        let mut ports = Vec::new();
        for (i, p) in s.board.ports.iter().enumerate() {
            ports.push(PortSpec {
                name: p.name.clone(),
                phy: phy_index(&p.phy)?,
                phy_mode: p.phy_mode.clone(),
                // Locally administered, "PH" in the OUI bytes, port number last.
                mac: [0x02, 0x50, 0x48, 0x00, 0x00, i as u8 + 1],
            });
        }
        let mut timeline = Vec::new();
        // What the guest does (cable tests) is the agent's part of the timeline, not the device's.
        for e in &s.timeline {
            let Some(phy) = e.action.phy() else {
                continue;
            };
            let phy = phy_index(phy)?;
            timeline.push(TimedAction {
                at: e.at,
                phy,
                action: e.action.clone(),
            });
        }
        timeline.sort_by_key(|a| a.at);
        Ok(BoardSpec {
            buses,
            phys,
            ports,
            gpio_lines: next_line.max(1),
            timeline,
        })
    }
}
