//! One GPIO bank: pins driven by the board (PHY INT#, later SFP signals) or by the guest, with
//! edge and level interrupt detection as `sim/ABI.md` describes.

use crate::abi;

#[derive(Debug, Default, Clone)]
pub struct GpioBank {
    nlines: u32,
    /// Levels the board drives onto input pins.
    board_levels: u32,
    direction: u32,
    output: u32,
    irq_level: u32,
    irq_high: u32,
    irq_both: u32,
    irq_enable: u32,
    edge_latched: u32,
    last_pins: u32,
    last_pending: u32,
}

impl GpioBank {
    pub fn new(nlines: u32, board_levels: u32) -> Self {
        let mut bank = GpioBank {
            nlines,
            board_levels,
            ..Default::default()
        };
        bank.last_pins = bank.pins();
        bank
    }

    fn mask(&self) -> u32 {
        if self.nlines >= 32 {
            u32::MAX
        } else {
            (1u32 << self.nlines) - 1
        }
    }

    pub fn pins(&self) -> u32 {
        ((self.board_levels & !self.direction) | (self.output & self.direction)) & self.mask()
    }

    fn level_active(&self) -> u32 {
        let p = self.pins();
        self.irq_level & ((self.irq_high & p) | (!self.irq_high & !p)) & self.mask()
    }

    pub fn status(&self) -> u32 {
        (self.edge_latched & !self.irq_level) | self.level_active()
    }

    pub fn pending(&self) -> u32 {
        self.status() & self.irq_enable
    }

    /// Latches edges between the last observed pin state and now.
    fn sample(&mut self) {
        let now = self.pins();
        let rising = !self.last_pins & now;
        let falling = self.last_pins & !now;
        let edges = (self.irq_both & (rising | falling))
            | (!self.irq_both & ((self.irq_high & rising) | (!self.irq_high & falling)));
        self.edge_latched |= edges & !self.irq_level & self.mask();
        self.last_pins = now;
    }

    pub fn set_board_level(&mut self, line: u32, high: bool) {
        if high {
            self.board_levels |= 1 << line;
        } else {
            self.board_levels &= !(1 << line);
        }
        self.sample();
    }

    pub fn read(&self, reg: u64) -> u32 {
        match reg {
            abi::GPIO_NLINES => self.nlines,
            abi::GPIO_INPUT => self.pins(),
            abi::GPIO_DIRECTION => self.direction,
            abi::GPIO_OUTPUT => self.output,
            abi::GPIO_IRQ_LEVEL => self.irq_level,
            abi::GPIO_IRQ_HIGH => self.irq_high,
            abi::GPIO_IRQ_BOTH => self.irq_both,
            abi::GPIO_IRQ_ENABLE => self.irq_enable,
            abi::GPIO_IRQ_STATUS => self.status(),
            _ => 0,
        }
    }

    /// Returns false for an offset that is not a writable register.
    pub fn write(&mut self, reg: u64, value: u32) -> bool {
        let value = value & self.mask();
        match reg {
            abi::GPIO_DIRECTION => self.direction = value,
            abi::GPIO_OUTPUT => self.output = value,
            abi::GPIO_IRQ_LEVEL => self.irq_level = value,
            abi::GPIO_IRQ_HIGH => self.irq_high = value,
            abi::GPIO_IRQ_BOTH => self.irq_both = value,
            abi::GPIO_IRQ_ENABLE => self.irq_enable = value,
            abi::GPIO_IRQ_STATUS => self.edge_latched &= !value,
            _ => return false,
        }
        self.sample();
        true
    }

    /// Whether the bank must (re)send its interrupt: pending went from none to some, or the
    /// guest touched the bank while something is still pending (an unmask or an ack of a
    /// still-active level line must not be lost).
    pub fn take_edge(&mut self, guest_wrote: bool) -> bool {
        let pending = self.pending();
        let fire = pending != 0 && (self.last_pending == 0 || guest_wrote);
        self.last_pending = pending;
        fire
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn level_low_line_follows_the_pin() {
        let mut b = GpioBank::new(4, 0b1111);
        b.write(abi::GPIO_IRQ_LEVEL, 0b0001);
        b.write(abi::GPIO_IRQ_ENABLE, 0b0001);
        assert_eq!(b.pending(), 0);
        b.set_board_level(0, false);
        assert_eq!(b.pending(), 1);
        assert!(b.take_edge(false));
        // An ack does not clear an active level.
        b.write(abi::GPIO_IRQ_STATUS, 1);
        assert_eq!(b.pending(), 1);
        assert!(b.take_edge(true), "a write while pending re-sends");
        b.set_board_level(0, true);
        assert_eq!(b.pending(), 0);
        assert!(!b.take_edge(false));
    }

    #[test]
    fn falling_edge_latches_until_acked() {
        let mut b = GpioBank::new(2, 0b11);
        b.write(abi::GPIO_IRQ_ENABLE, 0b10);
        b.set_board_level(1, false);
        b.set_board_level(1, true);
        assert_eq!(b.status(), 0b10, "a pulse is remembered");
        assert!(b.take_edge(false));
        assert!(
            !b.take_edge(false),
            "no second interrupt for the same pending state"
        );
        b.write(abi::GPIO_IRQ_STATUS, 0b10);
        assert_eq!(b.status(), 0);
    }

    #[test]
    fn outputs_read_back_the_latch() {
        let mut b = GpioBank::new(8, 0);
        b.write(abi::GPIO_DIRECTION, 0b100);
        b.write(abi::GPIO_OUTPUT, 0b110);
        assert_eq!(b.read(abi::GPIO_INPUT), 0b100);
    }

    proptest! {
        /// Pending never names a disabled line or a line beyond the bank, whatever the guest
        /// and the board do.
        #[test]
        fn pending_respects_enable_and_width(
            ops in proptest::collection::vec((0u8..3, 0u64..9, any::<u32>()), 0..64),
            nlines in 1u32..=32,
        ) {
            let mut b = GpioBank::new(nlines, u32::MAX);
            for (kind, reg, value) in ops {
                match kind {
                    0 => { b.write(reg * 4 + 8, value); }
                    1 => b.set_board_level(value % nlines, value & 1 == 0),
                    _ => { b.take_edge(value & 1 == 0); }
                }
                prop_assert_eq!(b.pending() & !b.read(abi::GPIO_IRQ_ENABLE), 0);
                prop_assert_eq!(b.status() & !b.mask(), 0);
            }
        }
    }
}
