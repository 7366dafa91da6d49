//! The Alaska 88E151x register map: every register the model answers, with its fields' access
//! types and reset values. Bit layouts follow the 88E1510/88E1518/88E1512/88E1514 datasheet
//! register descriptions and the definitions drivers/net/phy/marvell.c uses. Fields named
//! `unmodelled` are stored as written but have no effect.

use crate::c22;
use crate::regfile::{Access, Field, RegAddr, RegDef};

/// Side effects the model applies after a guest write to the register.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Hook {
    /// 0_0: reset, power down, restart autonegotiation.
    CopperControl,
    /// 0_16: copper power down (bit 2).
    CopperSpecificControl1,
    /// 0_14: the MMD data goes to or comes from the MMD register file.
    MmdData,
    /// 1_0: fiber reset and restart autonegotiation.
    FiberControl,
    /// 18_20: mode change reset.
    GeneralControl1,
    /// 17_16: clear WOL status.
    WolControl,
    /// 5_23: start a VCT5 (advanced VCT) measurement.
    Vct5Control,
    /// 7_21: start a VCT7 cable test.
    Vct7Control,
}

pub const PAGE_COPPER: u8 = 0;
pub const PAGE_FIBER: u8 = 1;
pub const PAGE_LED: u8 = 3;
pub const PAGE_VCT5: u8 = 5;
pub const PAGE_MISC_TEST: u8 = 6;
pub const PAGE_VCT7: u8 = 7;

pub const CU_CONTROL: RegAddr = RegAddr::page(PAGE_COPPER, 0);
pub const CU_STATUS: RegAddr = RegAddr::page(PAGE_COPPER, 1);
pub const CU_ID2: RegAddr = RegAddr::page(PAGE_COPPER, 3);
pub const CU_ADVERTISE: RegAddr = RegAddr::page(PAGE_COPPER, 4);
pub const CU_LP_ABILITY: RegAddr = RegAddr::page(PAGE_COPPER, 5);
pub const CU_AN_EXPANSION: RegAddr = RegAddr::page(PAGE_COPPER, 6);
pub const CU_CTRL1000: RegAddr = RegAddr::page(PAGE_COPPER, 9);
pub const CU_STAT1000: RegAddr = RegAddr::page(PAGE_COPPER, 10);
pub const CU_MMD_CONTROL: RegAddr = RegAddr::page(PAGE_COPPER, 13);
pub const CU_MMD_DATA: RegAddr = RegAddr::page(PAGE_COPPER, 14);
pub const CU_SPEC_CONTROL1: RegAddr = RegAddr::page(PAGE_COPPER, 16);
pub const CU_SPEC_STATUS1: RegAddr = RegAddr::page(PAGE_COPPER, 17);
pub const CU_IRQ_ENABLE: RegAddr = RegAddr::page(PAGE_COPPER, 18);
pub const CU_IRQ_STATUS: RegAddr = RegAddr::page(PAGE_COPPER, 19);
pub const FIBER_CONTROL: RegAddr = RegAddr::page(PAGE_FIBER, 0);
pub const FIBER_ID2: RegAddr = RegAddr::page(PAGE_FIBER, 3);
pub const FIBER_IRQ_ENABLE: RegAddr = RegAddr::page(PAGE_FIBER, 18);
pub const FIBER_IRQ_STATUS: RegAddr = RegAddr::page(PAGE_FIBER, 19);
pub const MAC_IRQ_ENABLE: RegAddr = RegAddr::page(2, 18);
pub const MAC_IRQ_STATUS: RegAddr = RegAddr::page(2, 19);
pub const LED_TIMER_CONTROL: RegAddr = RegAddr::page(PAGE_LED, 18);
pub const MISC_TEST: RegAddr = RegAddr::page(PAGE_MISC_TEST, 26);
pub const TEMPERATURE: RegAddr = RegAddr::page(PAGE_MISC_TEST, 27);
pub const VCT5_CONTROL: RegAddr = RegAddr::page(PAGE_VCT5, 23);
pub const VCT5_SAMPLE_DISTANCE: RegAddr = RegAddr::page(PAGE_VCT5, 24);
pub const VCT5_PULSE: RegAddr = RegAddr::page(PAGE_VCT5, 28);
pub const VCT7_RESULTS: RegAddr = RegAddr::page(PAGE_VCT7, 20);
pub const VCT7_CONTROL: RegAddr = RegAddr::page(PAGE_VCT7, 21);
pub const WOL_CONTROL: RegAddr = RegAddr::page(0x11, 16);
/// MMD 7.60 and 7.61, behind 0_13/0_14.
pub const EEE_ADV: RegAddr = RegAddr::new(7, 60);
pub const EEE_LP_ABILITY: RegAddr = RegAddr::new(7, 61);
/// The EEE modes of 3.20, 7.60 and 7.61: 100BASE-TX and 1000BASE-T.
pub const EEE_MODES: u16 = c22::EEE_MODES;

/// 5_16..5_19: the echo received on pair `pair` (0 = MDI[0], pair A).
pub const fn vct5_pair(pair: usize) -> RegAddr {
    RegAddr::page(PAGE_VCT5, 16 + pair as u8)
}

/// 7_16..7_19: the distance to the fault on pair `pair`.
pub const fn vct7_length(pair: usize) -> RegAddr {
    RegAddr::page(PAGE_VCT7, 16 + pair as u8)
}
pub const GENERAL_CONTROL1: RegAddr = RegAddr::page(0x12, 20);

pub use crate::c22::{bmcr as control, bmsr as status, stat1000};

/// 0_16.
pub mod spec_control1 {
    pub const DOWNSHIFT_COUNT: u16 = 0x7000;
    pub const DOWNSHIFT_ENABLE: u16 = 0x0800;
    /// 1x: energy detect (sleep while no energy on the wire).
    pub const ENERGY_DETECT_ON: u16 = 0x0200;
    pub const MDI_MODE: u16 = 0x0060;
    pub const POWER_DOWN: u16 = 0x0004;
}

/// 0_17.
pub mod spec_status1 {
    pub const SPEED_1000: u16 = 0x8000;
    pub const SPEED_100: u16 = 0x4000;
    pub const SPEED: u16 = 0xc000;
    pub const DUPLEX: u16 = 0x2000;
    pub const PAGE_RECEIVED: u16 = 0x1000;
    pub const RESOLVED: u16 = 0x0800;
    pub const LINK: u16 = 0x0400;
    pub const TX_PAUSE: u16 = 0x0200;
    pub const RX_PAUSE: u16 = 0x0100;
    pub const MDIX: u16 = 0x0040;
    pub const DOWNSHIFT: u16 = 0x0020;
    pub const ENERGY_SLEEP: u16 = 0x0010;
    pub const GLOBAL_LINK: u16 = 0x0008;
    /// Every bit the model drives.
    pub const ALL: u16 = 0xff78;
}

/// 0_18 enable / 0_19 status.
pub mod irq {
    /// Master/slave did not resolve, no common mode, or no link after the exchange.
    pub const AN_ERROR: u16 = 0x8000;
    pub const SPEED_CHANGED: u16 = 0x4000;
    pub const DUPLEX_CHANGED: u16 = 0x2000;
    pub const PAGE_RECEIVED: u16 = 0x1000;
    pub const AN_COMPLETE: u16 = 0x0800;
    pub const LINK_CHANGED: u16 = 0x0400;
    pub const MDIX_CHANGED: u16 = 0x0040;
    pub const DOWNSHIFT: u16 = 0x0020;
    pub const ENERGY_CHANGED: u16 = 0x0010;
    pub const FLP_NO_LINK: u16 = 0x0008;
}

/// 3_18.
pub mod led_timer {
    pub const FORCE_INT: u16 = 0x8000;
    pub const INT_ENABLE: u16 = 0x0080;
}

/// 6_26.
pub mod misc_test {
    pub const THRESHOLD: u16 = 0x1f00;
    pub const TEMP_IRQ: u16 = 0x0040;
}

/// 5_16..5_19.
pub mod vct5_pair {
    /// Set: the echo is in phase with the pulse (or zero).
    pub const POSITIVE: u16 = 0x8000;
    /// 1000 mV / 128 per step.
    pub const AMPLITUDE: u16 = 0x7f00;
    /// Peak modes: the sample point of the peak.
    pub const DISTANCE: u16 = 0x00ff;
}

/// 5_23.
pub mod vct5_control {
    pub const ENABLE: u16 = 0x8000;
    pub const COMPLETE: u16 = 0x4000;
    /// 0 = each pair transmits and receives; 4-7 = pair 0-3 transmits, all receive.
    pub const TX_CHANNEL: u16 = 0x3800;
    /// Pulses averaged: 2 << n.
    pub const SAMPLES: u16 = 0x0700;
    /// Maximum peak, first/last peak, offset, sample point.
    pub const MODE: u16 = 0x00c0;
    pub const MODE_OFFSET: u16 = 0x0080;
    pub const MODE_SAMPLE_POINT: u16 = 0x00c0;
    pub const PEAK_HYSTERESIS: u16 = 0x003f;
}

/// 5_28.
pub mod vct5_pulse {
    pub const DONT_WAIT_LINK_DOWN: u16 = 0x1000;
    /// 128, 96, 64, 32 ns.
    pub const WIDTH: u16 = 0x0c00;
    /// 1000, 750, 500, 250 mV.
    pub const AMPLITUDE: u16 = 0x0300;
    pub const MAX_AMPLITUDE: u16 = 0x0080;
    pub const THRESHOLD: u16 = 0x007f;
}

/// 7_21.
pub mod vct7_control {
    pub const RUN_NOW: u16 = 0x8000;
    pub const RUN_AT_ANEG: u16 = 0x4000;
    pub const DISABLE_CROSS_PAIR: u16 = 0x2000;
    pub const RUN_AFTER_BREAK_LINK: u16 = 0x1000;
    pub const IN_PROGRESS: u16 = 0x0800;
    /// Lengths in metres; clear: centimetres.
    pub const METERS: u16 = 0x0400;
}

/// 7_20, one nibble per pair (pair 0 in bits 3:0).
pub mod vct7_result {
    pub const INVALID: u16 = 0;
    pub const OK: u16 = 1;
    pub const OPEN: u16 = 2;
    pub const SAME_PAIR_SHORT: u16 = 3;
    pub const CROSS_PAIR_SHORT: u16 = 4;
}

pub mod general_control1 {
    pub const RESET: u16 = 0x8000;
}

pub mod wol_control {
    pub const CLEAR_STATUS: u16 = 0x1000;
}

/// The die temperature the sensor reports, in °C. 6_27 reads it plus 25.
pub const DIE_TEMPERATURE_C: u16 = 45;

const fn reg(addr: RegAddr, name: &'static str, fields: &'static [Field]) -> RegDef<Hook> {
    RegDef {
        addr,
        name,
        fields,
        hook: None,
    }
}

const fn hooked(
    addr: RegAddr,
    name: &'static str,
    hook: Hook,
    fields: &'static [Field],
) -> RegDef<Hook> {
    RegDef {
        addr,
        name,
        fields,
        hook: Some(hook),
    }
}

/// A plain 16-bit RW word: the part keeps what is written but the model gives it no meaning.
macro_rules! storage {
    ($addr:expr, $name:expr, $reset:expr) => {
        reg($addr, $name, &[Field::rw("unmodelled", 0xffff, $reset)])
    };
}

const ID1: &[Field] = &[Field::ro("oui_msb", 0xffff, 0x0141)];
/// The model's revision is written over the reset value by the model (it is a strap, not a
/// register property).
const ID2: &[Field] = &[Field::ro("oui_lsb_model_revision", 0xffff, 0x0dd0)];

/// The Alaska copper advertisement (the 88E1111's too): 802.3's, with acknowledge (14)
/// read-only.
pub const ANAR: &[Field] = &c22::concat::<7>(&c22::anar(0), &[c22::ANAR_ACK]);

const VCT5_PAIR: &[Field] = &[
    Field::ro("positive", vct5_pair::POSITIVE, 0),
    Field::ro("amplitude", vct5_pair::AMPLITUDE, 0),
    Field::ro("distance", vct5_pair::DISTANCE, 0),
];
const VCT7_LENGTH: &[Field] = &[Field::ro("length", 0xffff, 0)];

pub static MAP: &[RegDef<Hook>] = &[
    reg(
        RegAddr::global(22),
        "Page Address",
        &[Field::rw("page", 0x00ff, 0)],
    ),
    // ---- Page 0: copper ----
    hooked(
        CU_CONTROL,
        "Copper Control",
        Hook::CopperControl,
        c22::BMCR_FIELDS,
    ),
    reg(
        CU_STATUS,
        "Copper Status",
        &c22::bmsr(c22::bmsr::T4 | c22::bmsr::T2, Access::Lh),
    ),
    reg(RegAddr::page(PAGE_COPPER, 2), "PHY Identifier 1", ID1),
    reg(CU_ID2, "PHY Identifier 2", ID2),
    reg(CU_ADVERTISE, "Copper Auto-Negotiation Advertisement", ANAR),
    reg(
        CU_LP_ABILITY,
        "Copper Link Partner Ability",
        c22::ANLPAR_FIELDS,
    ),
    reg(
        CU_AN_EXPANSION,
        "Copper Auto-Negotiation Expansion",
        &c22::aner(Access::Lh),
    ),
    reg(
        RegAddr::page(PAGE_COPPER, 7),
        "Copper Next Page Transmit",
        c22::NPTX_STORAGE_FIELDS,
    ),
    reg(
        RegAddr::page(PAGE_COPPER, 8),
        "Copper Link Partner Next Page",
        c22::LPNP_FIELDS,
    ),
    reg(
        CU_CTRL1000,
        "1000BASE-T Control",
        &c22::ctrl1000(c22::ctrl1000::ADV_1000_HALF),
    ),
    reg(CU_STAT1000, "1000BASE-T Status", c22::STAT1000_FIELDS),
    reg(CU_MMD_CONTROL, "MMD Access Control", c22::MMD_CTRL_FIELDS),
    hooked(
        RegAddr::page(PAGE_COPPER, 14),
        "MMD Access Address/Data",
        Hook::MmdData,
        c22::MMD_DATA_FIELDS,
    ),
    reg(
        RegAddr::page(PAGE_COPPER, 15),
        "Extended Status",
        &c22::estatus(true),
    ),
    hooked(
        CU_SPEC_CONTROL1,
        "Copper Specific Control 1",
        Hook::CopperSpecificControl1,
        &[
            Field::rw("disable_link_pulses", 0x8000, 0),
            Field::rw("downshift_count", spec_control1::DOWNSHIFT_COUNT, 0x3000),
            Field::rw("downshift_enable", spec_control1::DOWNSHIFT_ENABLE, 0),
            Field::rw("force_link_good", 0x0400, 0),
            Field::rw("energy_detect", 0x0300, 0),
            Field::rw("extended_distance", 0x0080, 0),
            Field::rw("mdi_crossover", spec_control1::MDI_MODE, 0x0060),
            Field::rw("transmitter_disable", 0x0008, 0),
            Field::rw("power_down", spec_control1::POWER_DOWN, 0),
            Field::rw("polarity_reversal_disable", 0x0002, 0),
            Field::rw("jabber_disable", 0x0001, 0),
        ],
    ),
    reg(
        CU_SPEC_STATUS1,
        "Copper Specific Status 1",
        &[
            Field::ro("speed", spec_status1::SPEED, 0),
            Field::ro("duplex", spec_status1::DUPLEX, 0),
            Field::ro("page_received", spec_status1::PAGE_RECEIVED, 0),
            Field::ro("resolved", spec_status1::RESOLVED, 0),
            Field::ro("link", spec_status1::LINK, 0),
            Field::ro("tx_pause", spec_status1::TX_PAUSE, 0),
            Field::ro("rx_pause", spec_status1::RX_PAUSE, 0),
            Field::ro("mdix", spec_status1::MDIX, 0),
            Field::ro("downshift", spec_status1::DOWNSHIFT, 0),
            Field::ro("energy_sleep", spec_status1::ENERGY_SLEEP, 0),
            Field::ro("global_link", spec_status1::GLOBAL_LINK, 0),
            Field::ro("dte_power", 0x0004, 0),
            Field::ro("polarity_reversed", 0x0002, 0),
            Field::ro("jabber", 0x0001, 0),
        ],
    ),
    reg(
        CU_IRQ_ENABLE,
        "Copper Specific Interrupt Enable",
        &[Field::rw("enable", 0xffff, 0)],
    ),
    reg(
        CU_IRQ_STATUS,
        "Copper Interrupt Status",
        &[Field::rc("status", 0xffff)],
    ),
    storage!(
        RegAddr::page(PAGE_COPPER, 20),
        "Copper Specific Control 2",
        0
    ),
    reg(
        RegAddr::page(PAGE_COPPER, 21),
        "Copper Receive Error Counter",
        &[Field::rc("count", 0xffff)],
    ),
    // ---- Page 1: fiber / SGMII media side (no fiber medium is modelled) ----
    hooked(
        FIBER_CONTROL,
        "Fiber Control",
        Hook::FiberControl,
        c22::BMCR_FIBER_FIELDS,
    ),
    reg(
        RegAddr::page(PAGE_FIBER, 1),
        "Fiber Status",
        &[
            Field::ro("extended_status", 0x0100, 0x0100),
            Field::ro("preamble_suppression", 0x0040, 0x0040),
            Field::ro("an_complete", 0x0020, 0),
            Field::lh("remote_fault", 0x0010),
            Field::ro("an_ability", 0x0008, 0x0008),
            Field::ll("link", 0x0004),
            Field::ro("extended_capability", 0x0001, 0x0001),
        ],
    ),
    reg(RegAddr::page(PAGE_FIBER, 2), "PHY Identifier 1", ID1),
    reg(FIBER_ID2, "PHY Identifier 2", ID2),
    reg(
        RegAddr::page(PAGE_FIBER, 4),
        "Fiber Auto-Negotiation Advertisement",
        &[
            Field::rw("next_page", 0x8000, 0),
            Field::ro("ack", 0x4000, 0),
            Field::rw("remote_fault", 0x3000, 0),
            Field::rw("asym_pause", 0x0100, 0),
            Field::rw("pause", 0x0080, 0),
            Field::rw("1000base_x_half", 0x0040, 0x0040),
            Field::rw("1000base_x_full", 0x0020, 0x0020),
        ],
    ),
    reg(
        RegAddr::page(PAGE_FIBER, 5),
        "Fiber Link Partner Ability",
        &[Field::ro("base_page", 0xffff, 0)],
    ),
    reg(
        RegAddr::page(PAGE_FIBER, 6),
        "Fiber Auto-Negotiation Expansion",
        &[
            Field::ro("lp_next_page_able", 0x0008, 0),
            Field::lh("page_received", 0x0002),
            Field::ro("lp_an_able", 0x0001, 0),
        ],
    ),
    reg(
        RegAddr::page(PAGE_FIBER, 7),
        "Fiber Next Page Transmit",
        c22::NPTX_STORAGE_FIELDS,
    ),
    reg(
        RegAddr::page(PAGE_FIBER, 8),
        "Fiber Link Partner Next Page",
        &[Field::ro("next_page", 0xffff, 0)],
    ),
    reg(
        RegAddr::page(PAGE_FIBER, 15),
        "Extended Status",
        &[Field::ro("1000base_x", 0xc000, 0xc000)],
    ),
    storage!(RegAddr::page(PAGE_FIBER, 16), "Fiber Specific Control 1", 0),
    reg(
        RegAddr::page(PAGE_FIBER, 17),
        "Fiber Specific Status",
        &[Field::ro("status", 0xffff, 0)],
    ),
    reg(
        FIBER_IRQ_ENABLE,
        "Fiber Interrupt Enable",
        &[Field::rw("enable", 0xffff, 0)],
    ),
    reg(
        FIBER_IRQ_STATUS,
        "Fiber Interrupt Status",
        &[Field::rc("status", 0xffff)],
    ),
    reg(
        RegAddr::page(PAGE_FIBER, 21),
        "Fiber Receive Error Counter",
        &[Field::rc("count", 0xffff)],
    ),
    // ---- Page 2: MAC interface ----
    reg(
        RegAddr::page(2, 16),
        "MAC Specific Control 1",
        &[
            Field::rw("pad_odd_nibble_preambles", 0x0040, 0),
            Field::rw("unmodelled", 0xffbf, 0),
        ],
    ),
    reg(
        MAC_IRQ_ENABLE,
        "MAC Specific Interrupt Enable",
        &[Field::rw("enable", 0xffff, 0)],
    ),
    reg(
        MAC_IRQ_STATUS,
        "MAC Specific Status",
        &[Field::rc("status", 0xffff)],
    ),
    reg(
        RegAddr::page(2, 21),
        "MAC Specific Control 2",
        &[
            Field::rw("default_speed_lsb", 0x2000, 0),
            Field::rw("default_speed_msb", 0x0040, 0x0040),
            Field::rw("rgmii_rx_delay", 0x0020, 0),
            Field::rw("rgmii_tx_delay", 0x0010, 0),
            Field::rw("unmodelled", 0xdf8f, 0x1006),
        ],
    ),
    // ---- Page 3: LEDs and the INTn pin ----
    storage!(RegAddr::page(PAGE_LED, 16), "LED Function Control", 0x101e),
    storage!(RegAddr::page(PAGE_LED, 17), "LED Polarity Control", 0x4405),
    reg(
        LED_TIMER_CONTROL,
        "LED Timer Control",
        &[
            Field::rw("force_int", led_timer::FORCE_INT, 0),
            Field::rw("pulse_stretch", 0x7000, 0x4000),
            Field::rw("int_polarity", 0x0800, 0),
            Field::rw("blink_rate", 0x0700, 0x0100),
            Field::rw("int_enable", led_timer::INT_ENABLE, 0),
            Field::rw("speed_off_pulse", 0x000c, 0x0004),
            Field::rw("speed_on_pulse", 0x0003, 0x0001),
        ],
    ),
    // ---- Page 5: advanced VCT (TDR) ----
    reg(
        vct5_pair(0),
        "Advanced VCT TX to MDI[0] Rx Coupling",
        VCT5_PAIR,
    ),
    reg(
        vct5_pair(1),
        "Advanced VCT TX to MDI[1] Rx Coupling",
        VCT5_PAIR,
    ),
    reg(
        vct5_pair(2),
        "Advanced VCT TX to MDI[2] Rx Coupling",
        VCT5_PAIR,
    ),
    reg(
        vct5_pair(3),
        "Advanced VCT TX to MDI[3] Rx Coupling",
        VCT5_PAIR,
    ),
    hooked(
        VCT5_CONTROL,
        "Advanced VCT Control",
        Hook::Vct5Control,
        &[
            Field::sc("enable", vct5_control::ENABLE),
            Field::ro("complete", vct5_control::COMPLETE, 0),
            Field::rw("tx_channel", vct5_control::TX_CHANNEL, 0),
            Field::rw("samples", vct5_control::SAMPLES, 0x0600),
            Field::rw("mode", vct5_control::MODE, 0),
            Field::rw("peak_hysteresis", vct5_control::PEAK_HYSTERESIS, 0x0003),
        ],
    ),
    reg(
        VCT5_SAMPLE_DISTANCE,
        "Advanced VCT Sample Point Distance",
        &[Field::rw("distance", 0x01ff, 0)],
    ),
    reg(
        VCT5_PULSE,
        "Advanced VCT Transmit Pulse Control",
        &[
            Field::rw("dont_wait_link_down", vct5_pulse::DONT_WAIT_LINK_DOWN, 0),
            Field::rw("pulse_width", vct5_pulse::WIDTH, 0),
            Field::rw("pulse_amplitude", vct5_pulse::AMPLITUDE, 0),
            Field::rw("max_amplitude", vct5_pulse::MAX_AMPLITUDE, 0),
            Field::rw("threshold", vct5_pulse::THRESHOLD, 0),
        ],
    ),
    // ---- Page 6: packet generator, temperature sensor ----
    reg(
        MISC_TEST,
        "Misc Test",
        &[
            Field::rw("temperature_threshold", misc_test::THRESHOLD, 0x1900),
            Field::rw("temperature_irq_enable", 0x0080, 0),
            Field::lh("temperature_irq", misc_test::TEMP_IRQ),
            Field::rw("unmodelled", 0xe03f, 0),
        ],
    ),
    reg(
        TEMPERATURE,
        "Temperature Sensor",
        &[Field::ro(
            "temperature_plus_25",
            0x00ff,
            DIE_TEMPERATURE_C + 25,
        )],
    ),
    // ---- Page 7: VCT7 cable diagnostics ----
    reg(vct7_length(0), "Pair 0 Length", VCT7_LENGTH),
    reg(vct7_length(1), "Pair 1 Length", VCT7_LENGTH),
    reg(vct7_length(2), "Pair 2 Length", VCT7_LENGTH),
    reg(vct7_length(3), "Pair 3 Length", VCT7_LENGTH),
    reg(
        VCT7_RESULTS,
        "Cable Diagnostics Results",
        &[
            Field::ro("pair3", 0xf000, 0),
            Field::ro("pair2", 0x0f00, 0),
            Field::ro("pair1", 0x00f0, 0),
            Field::ro("pair0", 0x000f, 0),
        ],
    ),
    hooked(
        VCT7_CONTROL,
        "Cable Diagnostics Control",
        Hook::Vct7Control,
        &[
            Field::sc("run_now", vct7_control::RUN_NOW),
            Field::rw("run_at_aneg", vct7_control::RUN_AT_ANEG, 0),
            Field::rw("disable_cross_pair", vct7_control::DISABLE_CROSS_PAIR, 0),
            Field::rw(
                "run_after_break_link",
                vct7_control::RUN_AFTER_BREAK_LINK,
                0,
            ),
            Field::ro("in_progress", vct7_control::IN_PROGRESS, 0),
            Field::rw("meters", vct7_control::METERS, 0),
        ],
    ),
    // ---- Page 17: wake on LAN ----
    hooked(
        WOL_CONTROL,
        "Wake on LAN Control",
        Hook::WolControl,
        &[
            Field::rw("magic_packet_enable", 0x4000, 0),
            Field::rw("link_up_enable", 0x2000, 0),
            Field::sc("clear_status", wol_control::CLEAR_STATUS),
            Field::rw("unmodelled", 0x8fff, 0),
        ],
    ),
    storage!(RegAddr::page(0x11, 23), "Magic Packet MAC Address 47:32", 0),
    storage!(RegAddr::page(0x11, 24), "Magic Packet MAC Address 31:16", 0),
    storage!(RegAddr::page(0x11, 25), "Magic Packet MAC Address 15:0", 0),
    // ---- Page 18: general control ----
    hooked(
        GENERAL_CONTROL1,
        "General Control 1",
        Hook::GeneralControl1,
        &[
            Field::sc("reset", general_control1::RESET),
            Field::rw("unmodelled", 0x7ff8, 0),
            Field::rw("mode", 0x0007, 0),
        ],
    ),
    // ---- Undocumented pages the EEE errata sequence (release notes 5.1) writes ----
    storage!(RegAddr::page(0xfb, 7), "Errata 0xFB_7", 0),
    storage!(RegAddr::page(0xff, 16), "Errata 0xFF_16", 0),
    storage!(RegAddr::page(0xff, 17), "Errata 0xFF_17", 0),
];

/// MMD registers reached through 0_13/0_14 (Energy Efficient Ethernet).
pub static MMD_MAP: &[RegDef<()>] = &[
    RegDef {
        addr: RegAddr::new(3, 0),
        name: "PCS Control 1",
        hook: None,
        fields: &[Field::rw("clock_stop_enable", 0x0400, 0)],
    },
    RegDef {
        addr: RegAddr::new(3, 1),
        name: "PCS Status 1",
        hook: None,
        fields: &[Field::ro("lpi", 0x0f00, 0)],
    },
    RegDef {
        addr: RegAddr::new(3, 20),
        name: "EEE Capability",
        hook: None,
        fields: &[Field::ro("eee", EEE_MODES, EEE_MODES)],
    },
    RegDef {
        addr: RegAddr::new(3, 22),
        name: "EEE Wake Error Counter",
        hook: None,
        fields: &[Field::rc("count", 0xffff)],
    },
    RegDef {
        addr: EEE_ADV,
        name: "EEE Advertisement",
        hook: None,
        fields: &[
            Field::rw("1000base_t", 0x0004, 0x0004),
            Field::rw("100base_tx", 0x0002, 0x0002),
        ],
    },
    RegDef {
        addr: EEE_LP_ABILITY,
        name: "EEE Link Partner Ability",
        hook: None,
        fields: &[Field::ro("eee", EEE_MODES, 0)],
    },
];
