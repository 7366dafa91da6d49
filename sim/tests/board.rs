//! The board as the guest driver sees it through BAR0, without QEMU: the register ABI, the
//! clock protocol and interrupt signalling, with the real Marvell model behind the bus.

use phy_sim_device::abi;
use phy_sim_device::board::{Board, BoardEvent, Observer};
use phy_sim_device::spec::BoardSpec;
use phy_sim_models::Instant;
use phy_sim_scenario::ModelSpec;
use std::path::Path;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<(u64, BoardEvent)>>>);

impl Observer for Recorder {
    fn mdio_access(&mut self, _: Instant, _: &str, _: bool, _: u8, _: u16, _: u16) {}
    fn event(&mut self, t: Instant, event: &BoardEvent) {
        self.0.lock().unwrap().push((t.as_nanos(), event.clone()));
    }
}

const SCENARIO: &str = "
version: 0
duration: 10s
board:
  mdio:
    - name: mdio0
      phys:
        - name: phy0
          model: marvell-88e1510
          address: 1
          partner:
            advertise: [100baseT/Full, 1000baseT/Full]
  ports:
    - name: eth0
      phy: phy0
timeline:
  - at: 2s
    cable: {phy: phy0, connected: false}
expect:
  - dmesg: clean
";

fn board() -> (Board, Recorder) {
    board_from(SCENARIO)
}

fn board_from(scenario: &str) -> (Board, Recorder) {
    let models: Vec<ModelSpec> = phy_sim_models::catalog()
        .iter()
        .map(|m| ModelSpec {
            name: m.name.into(),
            link_modes: m
                .link_modes
                .iter()
                .map(|l| l.ethtool_name().into())
                .collect(),
        })
        .collect();
    let s = phy_sim_scenario::parse(scenario, Path::new("t.yaml"), &models).unwrap();
    let spec = BoardSpec::from_scenario(&s).unwrap();
    let blob = phy_sim_device::overlay::board_overlay(&spec).unwrap();
    let rec = Recorder::default();
    (Board::new(spec, blob, Box::new(rec.clone())).unwrap(), rec)
}

const S: u64 = 1_000_000_000;

fn set_clock(b: &mut Board, t: u64) {
    b.write(abi::CLOCK, 8, t);
}

fn mdio(b: &mut Board, t: u64, cmd: u32) -> u32 {
    set_clock(b, t);
    b.write(abi::MDIO_BASE + abi::MDIO_CMD, 4, cmd.into());
    b.read(abi::MDIO_BASE + abi::MDIO_RESULT, 4) as u32
}

fn c22_read(addr: u32, reg: u32) -> u32 {
    addr | (reg << 5)
}

fn c22_write(addr: u32, reg: u32, v: u16) -> u32 {
    addr | (reg << 5) | (abi::MDIO_OP_C22_WRITE << 10) | (u32::from(v) << 16)
}

#[test]
fn identity_and_counts() {
    let (mut b, _) = board();
    assert_eq!(b.read(abi::MAGIC, 4), u64::from(abi::MAGIC_VALUE));
    assert_eq!(b.read(abi::VERSION, 4) >> 16, 1);
    assert_eq!(b.read(abi::COUNTS, 4), 1 | (1 << 8) | (1 << 16));
    let size = b.read(abi::FDT_SIZE, 4) as usize;
    assert!(size > 64);
    // The blob is a flattened device tree: magic 0xd00dfeed, big-endian.
    let magic = b.read(abi::FDT_WINDOW, 4) as u32;
    assert_eq!(magic.swap_bytes(), 0xd00d_feed);
}

#[test]
fn mdio_reads_the_phy_id_and_nothing_at_empty_addresses() {
    let (mut b, _) = board();
    let r = mdio(&mut b, S, c22_read(1, 2));
    assert_eq!(r & 0xffff, 0x0141);
    assert_eq!(r & abi::MDIO_RESULT_NO_DEVICE, 0);
    let r = mdio(&mut b, S, c22_read(7, 2));
    assert_eq!(r & 0xffff, 0xffff);
    assert_ne!(r & abi::MDIO_RESULT_NO_DEVICE, 0);
}

#[test]
fn the_clock_never_goes_back() {
    let (mut b, _) = board();
    set_clock(&mut b, 5 * S);
    set_clock(&mut b, S);
    assert_eq!(b.read(abi::CLOCK, 8), 5 * S);
    // Split writes: low half latched, high half commits.
    b.write(abi::CLOCK, 4, (6 * S) & 0xffff_ffff);
    b.write(abi::CLOCK + 4, 4, (6 * S) >> 32);
    assert_eq!(b.read(abi::CLOCK, 8), 6 * S);
}

#[test]
fn timeline_runs_on_the_guest_clock_only() {
    let (mut b, rec) = board();
    set_clock(&mut b, 10 * S);
    assert_eq!(b.read(abi::TIMELINE_ORIGIN, 8), u64::MAX);
    b.write(abi::CTRL, 4, abi::CTRL_TIMELINE_START.into());
    assert_eq!(b.read(abi::TIMELINE_ORIGIN, 8), 10 * S);
    // The unplug is due at origin + 2 s: the deadline says so, and nothing happens before.
    let sync = b.read(abi::SYNC, 8) & !abi::SYNC_IRQ_PENDING;
    assert!(
        sync <= 12 * S,
        "next deadline {sync} must not be after the event"
    );
    set_clock(&mut b, 12 * S - 1);
    assert!(!rec
        .0
        .lock()
        .unwrap()
        .iter()
        .any(|(_, e)| matches!(e, BoardEvent::Timeline { .. })));
    set_clock(&mut b, 12 * S);
    let events = rec.0.lock().unwrap().clone();
    let (t, _) = events
        .iter()
        .find(|(_, e)| matches!(e, BoardEvent::Timeline { .. }))
        .expect("the unplug happened");
    assert_eq!(
        *t,
        12 * S,
        "applied at its own time, not at the access time"
    );
}

#[test]
fn link_comes_up_after_autoneg_and_sync_reports_the_deadline() {
    let (mut b, rec) = board();
    // Restart autoneg at 1 s: the model schedules completion; the result asks for a sync.
    let r = mdio(&mut b, S, c22_write(1, 0, 0x1340));
    assert_ne!(r & abi::MDIO_RESULT_SYNC_NEEDED, 0);
    let deadline = b.read(abi::SYNC, 8) & !abi::SYNC_IRQ_PENDING;
    assert!(deadline > S && deadline < 10 * S, "deadline {deadline}");
    // A second read with nothing changed needs no sync.
    let r = mdio(&mut b, S, c22_read(1, 2));
    assert_eq!(r & abi::MDIO_RESULT_SYNC_NEEDED, 0);
    // Step the clock through deadlines as the driver's hrtimer would.
    let mut t = S;
    for _ in 0..100 {
        let next = b.read(abi::SYNC, 8) & !abi::SYNC_IRQ_PENDING;
        if next == abi::SYNC_NO_DEADLINE {
            break;
        }
        t = next;
        set_clock(&mut b, t);
    }
    let bmsr = {
        mdio(&mut b, t, c22_read(1, 1));
        mdio(&mut b, t, c22_read(1, 1)) & 0xffff
    };
    assert_ne!(bmsr & 0x0004, 0, "BMSR link up after autoneg, t={t}");
    assert!(rec.0.lock().unwrap().iter().any(|(_, e)| matches!(
        e,
        BoardEvent::PhyLink {
            up: true,
            speed: Some(1000),
            ..
        }
    )));
}

#[test]
fn a_scenarios_timing_replaces_the_models_delays() {
    let text = SCENARIO.replace(
        "          address: 1\n",
        "          address: 1\n          timing: {autoneg: 100ms, link-1000: 50ms}\n",
    );
    let (mut b, rec) = board_from(&text);
    mdio(&mut b, S, c22_write(1, 0, 0x1340));
    while let next @ 0..abi::SYNC_NO_DEADLINE = b.read(abi::SYNC, 8) & !abi::SYNC_IRQ_PENDING {
        set_clock(&mut b, next);
    }
    let ups: Vec<u64> = rec
        .0
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, e)| matches!(e, BoardEvent::PhyLink { up: true, .. }))
        .map(|(t, _)| *t)
        .collect();
    // The first comes with the first access (the link was up by then); after the restart it
    // takes autoneg + link-1000 (the defaults: 1.65 s).
    assert_eq!(ups, [S, S + 150_000_000]);
}

#[test]
fn phy_interrupt_reaches_the_gpio_bank_and_its_vector() {
    let (mut b, _) = board();
    let bank = abi::GPIO_BASE;
    // Line 0 level-low, enabled. The 88E151x drives INT# only with page 3 register 18's
    // interrupt-pin enable (as marvell.c sets it); then link status changed (bit 10).
    b.write(bank + abi::GPIO_IRQ_LEVEL, 4, 1);
    b.write(bank + abi::GPIO_IRQ_HIGH, 4, 0);
    b.write(bank + abi::GPIO_IRQ_ENABLE, 4, 1);
    b.take_vectors();
    mdio(&mut b, S, c22_write(1, 22, 3));
    mdio(&mut b, S, c22_write(1, 18, 0x0080));
    mdio(&mut b, S, c22_write(1, 22, 0));
    mdio(&mut b, S, c22_write(1, 18, 0x0400));
    mdio(&mut b, S, c22_write(1, 0, 0x1340));
    assert_eq!(b.read(bank + abi::GPIO_IRQ_STATUS, 4), 0);
    let mut t = S;
    while b.read(bank + abi::GPIO_IRQ_STATUS, 4) == 0 {
        let next = b.read(abi::SYNC, 8) & !abi::SYNC_IRQ_PENDING;
        assert_ne!(next, abi::SYNC_NO_DEADLINE, "link never came up");
        t = next;
        set_clock(&mut b, t);
    }
    assert_ne!(b.take_vectors() & 0b10, 0, "GPIO bank 0 raises vector 1");
    assert_ne!(b.read(abi::SYNC, 8) & abi::SYNC_IRQ_PENDING, 0);
    assert!(b.intx_asserted());
    // Reading the PHY's interrupt status (clear on read) releases INT#.
    let status = mdio(&mut b, t, c22_read(1, 19)) & 0xffff;
    assert_ne!(status & 0x0400, 0, "link status changed is reported");
    assert_eq!(b.read(bank + abi::GPIO_IRQ_STATUS, 4), 0);
    assert!(!b.intx_asserted());
}

#[test]
fn reset_returns_every_model_to_power_on() {
    let (mut b, _) = board();
    mdio(&mut b, S, c22_write(1, 22, 3)); // page 3
    assert_eq!(mdio(&mut b, S, c22_read(1, 22)) & 0xffff, 3);
    b.write(abi::CTRL, 4, abi::CTRL_RESET.into());
    assert_eq!(mdio(&mut b, S, c22_read(1, 22)) & 0xffff, 0);
    assert_eq!(b.read(abi::CLOCK, 8), S, "time does not go back on reset");
}

#[test]
fn mailbox_writes_are_recorded_with_the_guest_time() {
    let (mut b, rec) = board();
    set_clock(&mut b, 3 * S);
    let port = abi::PORT_BASE;
    b.write(port + abi::PORT_MB_CONFIG, 4, 5);
    b.write(
        port + abi::PORT_MB_LINK_UP,
        4,
        1000 | (1 << 24) | (1 << 25) | (5 << 28),
    );
    let events = rec.0.lock().unwrap().clone();
    assert!(events.contains(&(
        3 * S,
        BoardEvent::MacLinkUp {
            port: "eth0".into(),
            interface: "rgmii-id".into(),
            speed: 1000,
            duplex: "full".into(),
            tx_pause: true,
            rx_pause: false,
        }
    )));
    assert_eq!(b.read(port + abi::PORT_MAC_LO, 4), 0x0048_5002);
}

#[test]
fn unmodelled_registers_are_reported_once() {
    let (mut b, rec) = board();
    mdio(&mut b, S, c22_write(1, 22, 7)); // page 7: cable diagnostics, beyond the model
    mdio(&mut b, S, c22_read(1, 27));
    mdio(&mut b, S, c22_read(1, 27));
    let notes: Vec<String> = rec
        .0
        .lock()
        .unwrap()
        .iter()
        .filter_map(|(_, e)| match e {
            BoardEvent::Unimplemented { phy, access } => Some(format!("{phy}: {access}")),
            _ => None,
        })
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].starts_with("phy0: page 7 reg 27: read"),
        "{notes:?}"
    );
}
