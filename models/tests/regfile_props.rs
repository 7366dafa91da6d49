//! Random access sequences against a paged register file never violate the declared field
//! semantics. The reference model states each access type by its definition (history of live
//! values since the last read), independently of the masks-and-latches implementation.

use phy_sim_models::paging::Paging;
use phy_sim_models::regfile::{Access, Field, RegAddr, RegDef, RegFile};
use proptest::prelude::*;
use std::collections::HashMap;

const PAGING: Paging = Paging {
    select: 22,
    page_mask: 0x00ff,
    unpaged: 1 << 22,
};
const MIXED: RegAddr = RegAddr::page(0, 0);

static MAP: &[RegDef<()>] = &[
    RegDef {
        addr: RegAddr::global(22),
        name: "page",
        hook: None,
        fields: &[Field::rw("page", 0x00ff, 0)],
    },
    RegDef {
        addr: MIXED,
        name: "mixed",
        hook: None,
        fields: &[
            Field::sc("sc", 0x8000),
            Field::rw("rw", 0x7000, 0x5000),
            Field::ro("ro", 0x0f00, 0x0300),
            Field::ll("ll", 0x00c0),
            Field::lh("lh", 0x0030),
            // bit 3 reserved
            Field::rc("rc", 0x0007),
        ],
    },
    RegDef {
        addr: RegAddr::page(1, 0),
        name: "same number, other page",
        hook: None,
        fields: &[Field::rw("rw", 0xffff, 0x1234)],
    },
    RegDef {
        addr: RegAddr::page(0, 1),
        name: "id",
        hook: None,
        fields: &[Field::ro("id", 0xffff, 0xabcd)],
    },
];

#[derive(Clone, Debug)]
enum Op {
    Read(u8),
    Write(u8, u16),
    /// The device sets device-owned bits of MIXED.
    SetLive(u16, u16),
    Raise(u16),
    Complete(u16),
}

fn op() -> impl Strategy<Value = Op> {
    let reg = prop_oneof![Just(0u8), Just(1), Just(22)];
    prop_oneof![
        reg.clone().prop_map(Op::Read),
        (reg, prop_oneof![0u16..3, any::<u16>()]).prop_map(|(r, v)| Op::Write(r, v)),
        (any::<u16>(), any::<u16>()).prop_map(|(m, v)| Op::SetLive(m & 0x0ff0, v)),
        any::<u16>().prop_map(|b| Op::Raise(b & 0x0007)),
        any::<u16>().prop_map(|b| Op::Complete(b & 0x8000)),
    ]
}

/// One bit, by definition.
#[derive(Clone, Debug)]
struct RefBit {
    access: Option<Access>,
    /// Every live value since the last read, the current one last.
    history: Vec<bool>,
}

impl RefBit {
    fn live(&self) -> bool {
        *self.history.last().unwrap()
    }
    fn set(&mut self, v: bool) {
        self.history.push(v);
    }
    fn view(&self) -> bool {
        match self.access {
            None => false,
            Some(Access::Ll) => self.history.iter().all(|&b| b),
            Some(Access::Lh) => self.history.iter().any(|&b| b),
            Some(_) => self.live(),
        }
    }
    fn read(&mut self) -> bool {
        let v = self.view();
        let now = self.access != Some(Access::Rc) && self.live();
        self.history = vec![now];
        v
    }
}

struct Reference {
    regs: HashMap<RegAddr, Vec<RefBit>>,
}

impl Reference {
    fn new() -> Reference {
        let mut regs = HashMap::new();
        for def in MAP {
            let bits = (0..16)
                .map(|b| {
                    let f = def.fields.iter().find(|f| f.mask & (1 << b) != 0);
                    let reset = f.is_some_and(|f| f.reset & (1 << b) != 0);
                    let history = match f.map(|f| f.access) {
                        // A latching-low bit resets to 0: it has been low since the last read.
                        Some(Access::Ll) => vec![false, reset],
                        _ => vec![reset],
                    };
                    RefBit {
                        access: f.map(|f| f.access),
                        history,
                    }
                })
                .collect();
            regs.insert(def.addr, bits);
        }
        Reference { regs }
    }

    fn addr(&self, reg: u8) -> RegAddr {
        if reg == 22 {
            return RegAddr::global(22);
        }
        let page = self.value(RegAddr::global(22)) as u8;
        RegAddr::page(page, reg)
    }

    fn value(&self, addr: RegAddr) -> u16 {
        self.regs[&addr]
            .iter()
            .enumerate()
            .fold(0, |v, (i, b)| v | (u16::from(b.live()) << i))
    }

    fn read(&mut self, reg: u8) -> Option<u16> {
        let addr = self.addr(reg);
        let bits = self.regs.get_mut(&addr)?;
        Some(
            bits.iter_mut()
                .enumerate()
                .fold(0, |v, (i, b)| v | (u16::from(b.read()) << i)),
        )
    }

    fn write(&mut self, reg: u8, data: u16) {
        let addr = self.addr(reg);
        if let Some(bits) = self.regs.get_mut(&addr) {
            for (i, b) in bits.iter_mut().enumerate() {
                let one = data & (1 << i) != 0;
                match b.access {
                    Some(Access::Rw) => b.set(one),
                    Some(Access::Sc) if one => b.set(true),
                    _ => {}
                }
            }
        }
    }

    fn device(&mut self, mask: u16, f: impl Fn(usize, &mut RefBit)) {
        for (i, b) in self.regs.get_mut(&MIXED).unwrap().iter_mut().enumerate() {
            if mask & (1 << i) != 0 {
                f(i, b);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn reads_match_the_declared_semantics(ops in proptest::collection::vec(op(), 1..80)) {
        let mut file = RegFile::new(MAP).unwrap();
        let mut reference = Reference::new();
        for op in ops {
            match op {
                Op::Read(reg) => {
                    let addr = PAGING.addr(&file, reg);
                    prop_assert_eq!(addr, reference.addr(reg));
                    let peeked = file.peek(addr);
                    let got = file.read(addr);
                    prop_assert_eq!(peeked, got, "peek shows what a read returns");
                    prop_assert_eq!(got, reference.read(reg), "read of reg {} ({:?})", reg, addr);
                }
                Op::Write(reg, v) => {
                    let addr = PAGING.addr(&file, reg);
                    let before = file.peek(addr);
                    file.write(addr, v);
                    reference.write(reg, v);
                    if addr == RegAddr::page(0, 1) {
                        prop_assert_eq!(file.peek(addr), before, "RO register changed by a write");
                    }
                }
                Op::SetLive(mask, v) => {
                    file.set_live(MIXED, mask, v);
                    reference.device(mask, |i, b| b.set(v & (1 << i) != 0));
                }
                Op::Raise(bits) => {
                    file.raise(MIXED, bits);
                    reference.device(bits, |_, b| b.set(true));
                }
                Op::Complete(bits) => {
                    file.complete(MIXED, bits);
                    reference.device(bits, |_, b| b.set(false));
                }
            }
        }
    }

    /// The specific promises, stated directly.
    #[test]
    fn latching_and_clearing(drops in proptest::collection::vec(any::<bool>(), 1..10)) {
        let mut file = RegFile::new(MAP).unwrap();
        file.set_live(MIXED, 0x00c0, 0x00c0);
        file.read(MIXED);
        let mut any_drop = false;
        for &up in &drops {
            file.set_live(MIXED, 0x00c0, if up { 0x00c0 } else { 0 });
            any_drop |= !up;
        }
        file.set_live(MIXED, 0x00c0, 0x00c0);
        let first = file.read(MIXED).unwrap() & 0x00c0;
        prop_assert_eq!(first == 0, any_drop, "LL reads 0 once after any drop");
        prop_assert_eq!(file.read(MIXED).unwrap() & 0x00c0, 0x00c0, "then the current value");

        file.raise(MIXED, 0x0005);
        prop_assert_eq!(file.read(MIXED).unwrap() & 0x0007, 0x0005);
        prop_assert_eq!(file.read(MIXED).unwrap() & 0x0007, 0, "RC cleared by the read");

        file.write(MIXED, 0x8000);
        prop_assert_eq!(file.read(MIXED).unwrap() & 0x8000, 0x8000, "SC holds until done");
        file.complete(MIXED, 0x8000);
        prop_assert_eq!(file.read(MIXED).unwrap() & 0x8000, 0, "SC self-cleared");
    }
}
