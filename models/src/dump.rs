//! Register dumps, as bug reporters send them: the text a PHY can start from instead of its
//! power-on register values ([`crate::Phy::preload`]).
//!
//! One register a line, in either of two shapes (both may be mixed in one dump):
//!
//! 1. `[page P | mmd D] [reg] R = VALUE`, like `reg 16 = 0x3064`, `page 2 reg 21 = 0x1046`,
//!    `mmd 3 reg 20 = 6`, `4 = 0x01e1`. Numbers are decimal or `0x` hexadecimal. A Clause 22
//!    register without `page` is on page 0 (for models with pages). `#` starts a comment;
//!    blank lines are skipped.
//! 2. The output of `phytool print` / `phytool read` in its decoded form (phytool's
//!    `print_phy.c`): `ieee-phy: reg:BMCR(0x00) val:0x1140`, `ieee-phy: reg:0x10 val:0x3060`
//!    (a Clause 22 register of page 0; phytool prints `val:0000` for zero). Its other lines are
//!    accepted and carry no register: the `ieee-phy: id:0x01410dd1` header, the `flags: ...`,
//!    `speed: ...` and `link capabilities: ...` lines, the bit rows of `◉`/`◯` and the row of
//!    four hex digits under them.
//!
//! Anything else is an error naming the line. A register given twice is an error too.

use crate::regfile::{Access, Field, RegAddr, RegFile};
use serde::Serialize;
use std::collections::hash_map::{Entry, HashMap};
use thiserror::Error;

/// Which register a dump line sets.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum DumpAddr {
    /// Clause 22 register `reg` (0-31); `page` for vendor-paged models (Realtek's go up to
    /// 0xfff), 0 when not given.
    C22 { page: u16, reg: u8 },
    /// Clause 45 register `reg` of MMD `devad` (0-31).
    C45 { devad: u8, reg: u16 },
}

impl std::fmt::Display for DumpAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DumpAddr::C22 { page, reg } => write!(f, "page {page} reg {reg}"),
            DumpAddr::C45 { devad, reg } => write!(f, "mmd {devad} reg {reg:#06x}"),
        }
    }
}

/// One register of a dump: its value and the dump line it came from.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DumpEntry {
    /// 1-based line in the dump text.
    pub line: usize,
    pub addr: DumpAddr,
    pub value: u16,
}

/// A dump line that cannot be read, or a register the model cannot take.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("line {line}: {message}")]
pub struct DumpError {
    /// 1-based line in the dump text (0: not about one line).
    pub line: usize,
    pub message: String,
}

impl DumpError {
    pub fn new(line: usize, message: impl Into<String>) -> DumpError {
        DumpError {
            line,
            message: message.into(),
        }
    }
}

const SHAPE: &str = "expected `[page P | mmd D] reg R = VALUE` or a line of `phytool print` output";

/// Reads a dump; the first bad line is the error.
pub fn parse(text: &str) -> Result<Vec<DumpEntry>, DumpError> {
    let mut out: Vec<DumpEntry> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let Some(entry) = parse_line(raw, line)? else {
            continue;
        };
        if let Some(prev) = out.iter().find(|e| e.addr == entry.addr) {
            return Err(DumpError::new(
                line,
                format!("{} is already given on line {}", entry.addr, prev.line),
            ));
        }
        out.push(entry);
    }
    Ok(out)
}

fn parse_line(raw: &str, line: usize) -> Result<Option<DumpEntry>, DumpError> {
    let err = |m: String| DumpError::new(line, m);
    let text = raw.split('#').next().unwrap_or("").trim();
    if text.is_empty() {
        return Ok(None);
    }
    if let Some(rest) = text.strip_prefix("ieee-phy:") {
        return phytool_line(rest.trim(), line);
    }
    if let Some((lhs, rhs)) = text.split_once('=') {
        let value = number(rhs.trim(), 0xffff).map_err(|m| err(format!("value: {m}")))? as u16;
        let words: Vec<&str> = lhs.split_whitespace().collect();
        let (space, reg) = match words.as_slice() {
            [r] | ["reg", r] => (None, *r),
            [kind @ ("page" | "mmd"), n, "reg", r] => (Some((*kind, *n)), *r),
            _ => return Err(err(format!("cannot read `{}`: {SHAPE}", lhs.trim()))),
        };
        let addr = match space {
            None | Some(("page", _)) => {
                let page = match space {
                    Some((_, p)) => number(p, 0xffff).map_err(|m| err(format!("page: {m}")))?,
                    None => 0,
                };
                let reg = number(reg, 31).map_err(|m| err(format!("register: {m}")))?;
                DumpAddr::C22 {
                    page: page as u16,
                    reg: reg as u8,
                }
            }
            Some((_, d)) => {
                let devad = number(d, 31).map_err(|m| err(format!("mmd: {m}")))?;
                let reg = number(reg, 0xffff).map_err(|m| err(format!("register: {m}")))?;
                DumpAddr::C45 {
                    devad: devad as u8,
                    reg: reg as u16,
                }
            }
        };
        return Ok(Some(DumpEntry { line, addr, value }));
    }
    if is_phytool_decoration(text) {
        return Ok(None);
    }
    Err(err(format!("cannot read `{text}`: {SHAPE}")))
}

/// After `ieee-phy:`: `id:0x...` (ignored) or `reg:NAME(0xRR) val:V` / `reg:0xRR val:V`.
fn phytool_line(rest: &str, line: usize) -> Result<Option<DumpEntry>, DumpError> {
    let err = |m: String| DumpError::new(line, m);
    if let Some(id) = rest.strip_prefix("id:") {
        number(id.trim(), 0xffff_ffff).map_err(|m| err(format!("phytool id: {m}")))?;
        return Ok(None);
    }
    let bad = || {
        err(format!(
            "cannot read `ieee-phy: {rest}`: expected phytool's `ieee-phy: reg:R val:V`"
        ))
    };
    let rest = rest.strip_prefix("reg:").ok_or_else(bad)?;
    let (reg, val) = rest.split_once(" val:").ok_or_else(bad)?;
    // `BMCR(0x00)`: the number is in the parentheses.
    let reg = match (reg.find('('), reg.strip_suffix(')')) {
        (Some(open), Some(inner)) => &inner[open + 1..],
        _ => reg,
    };
    let reg = number(reg.trim(), 31).map_err(|m| err(format!("register: {m}")))?;
    // phytool prints zero as `0000` (printf `%#.4x`).
    let val = val.trim();
    let value = if !val.is_empty() && val.bytes().all(|b| b == b'0') {
        0
    } else {
        number(val, 0xffff).map_err(|m| err(format!("value: {m}")))?
    };
    Ok(Some(DumpEntry {
        line,
        addr: DumpAddr::C22 {
            page: 0,
            reg: reg as u8,
        },
        value: value as u16,
    }))
}

fn is_phytool_decoration(text: &str) -> bool {
    ["flags:", "speed:", "link capabilities:"]
        .iter()
        .any(|p| text.starts_with(p))
        || text.chars().all(|c| c == '◉' || c == '◯' || c == ' ')
        || {
            let words: Vec<&str> = text.split_whitespace().collect();
            words.len() == 4
                && words
                    .iter()
                    .all(|w| w.len() == 1 && w.chars().all(|c| c.is_ascii_hexdigit()))
        }
}

/// A decimal or `0x` hexadecimal number, at most `max`.
fn number(s: &str, max: u64) -> Result<u64, String> {
    let parsed = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => s.parse::<u64>(),
    };
    match parsed {
        Ok(v) if v <= max => Ok(v),
        Ok(v) => Err(format!("{s} ({v}) is out of range (at most {max:#x})")),
        Err(_) => Err(format!(
            "`{s}` is not a number (decimal, or hexadecimal with 0x)"
        )),
    }
}

/// A register file a dump can be loaded into.
pub trait DumpSink {
    fn has_space(&self, space: u16) -> bool;
    fn defined(&self, addr: RegAddr) -> bool;
    /// The fields of `addr`; none where the file does not implement it.
    fn fields(&self, addr: RegAddr) -> &'static [Field];
    /// Device-side load of the RW, RO and latching bits in `mask` (see [`RegFile::preload`]).
    fn load_dumped(&mut self, addr: RegAddr, mask: u16, bits: u16);
}

impl<H: Copy + 'static> DumpSink for RegFile<H> {
    fn has_space(&self, space: u16) -> bool {
        RegFile::has_space(self, space)
    }
    fn defined(&self, addr: RegAddr) -> bool {
        self.def(addr).is_some()
    }
    fn fields(&self, addr: RegAddr) -> &'static [Field] {
        self.def(addr).map_or(&[], |d| d.fields)
    }
    fn load_dumped(&mut self, addr: RegAddr, mask: u16, bits: u16) {
        self.preload(addr, mask, bits);
    }
}

/// Where a model keeps the register a dump line names.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Placement {
    /// In the model's register file number `file`, at `addr`.
    At { file: usize, addr: RegAddr },
    /// Nowhere, on purpose (an access window such as 13/14: what it reaches has its own lines).
    Skip,
}

/// The shared part of [`crate::Phy::preload`]: every line of `dump` into the register files
/// of a model called `model`. `place` says where a line's register lives (or why the model
/// cannot take it); `derived` gives the bits of a register the model keeps deriving itself
/// (link status from the scenario's cable and partner), which the dump does not set.
/// Refused: a page or MMD the model's file does not have, and a non-zero value for a
/// register the model does not implement (it would read 0). The error names the dump line.
pub fn load_dump(
    model: &str,
    dump: &[DumpEntry],
    files: &mut [&mut dyn DumpSink],
    place: impl Fn(DumpAddr) -> Result<Placement, String>,
    derived: impl Fn(usize, RegAddr) -> u16,
) -> Result<(), DumpError> {
    for e in dump {
        let at = |msg: String| DumpError::new(e.line, format!("{}: {msg}", e.addr));
        let (file, addr) = match place(e.addr).map_err(at)? {
            Placement::Skip => continue,
            Placement::At { file, addr } => (file, addr),
        };
        let sink = &mut files[file];
        if addr.space != RegAddr::GLOBAL && !sink.has_space(addr.space) {
            return Err(at(match e.addr {
                DumpAddr::C22 { page, .. } => format!("the {model} model has no page {page}"),
                DumpAddr::C45 { devad, .. } => format!("the {model} model has no MMD {devad}"),
            }));
        }
        if !sink.defined(addr) {
            if e.value == 0 {
                continue;
            }
            return Err(DumpError::new(
                e.line,
                format!(
                    "{} = {:#06x}: the {model} model does not implement this register (it reads 0); remove the line",
                    e.addr, e.value
                ),
            ));
        }
        sink.load_dumped(addr, !derived(file, addr), e.value);
    }
    Ok(())
}

/// [`load_dump`] for a part where two dump lines can reach one register (registers every
/// page shows, a register with two names): the later line is refused if the two disagree on
/// the bits that load, since the part cannot hold both.
pub fn load_dump_agreeing(
    model: &str,
    dump: &[DumpEntry],
    files: &mut [&mut dyn DumpSink],
    place: impl Fn(DumpAddr) -> Result<Placement, String>,
    derived: impl Fn(usize, RegAddr) -> u16,
) -> Result<(), DumpError> {
    let mut reached: HashMap<(usize, RegAddr), &DumpEntry> = HashMap::new();
    for e in dump {
        load_dump(model, std::slice::from_ref(e), files, &place, &derived)?;
        let Ok(Placement::At { file, addr }) = place(e.addr) else {
            continue;
        };
        let loaded = bits_of(files[file].fields(addr), |a| {
            matches!(a, Access::Rw | Access::Ro | Access::Ll | Access::Lh)
        }) & !derived(file, addr);
        match reached.entry((file, addr)) {
            Entry::Occupied(first) => {
                let first = *first.get();
                if (first.value ^ e.value) & loaded != 0 {
                    return Err(DumpError::new(
                        e.line,
                        format!(
                            "{} = {:#06x}: the register line {} sets ({} = {:#06x}); the two disagree",
                            e.addr, e.value, first.line, first.addr, first.value
                        ),
                    ));
                }
            }
            Entry::Vacant(v) => {
                v.insert(e);
            }
        }
    }
    Ok(())
}

/// Read-only bits a dump set in one register: part of what the reporter's part is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct DumpedBits {
    pub file: usize,
    pub addr: RegAddr,
    pub mask: u16,
    pub value: u16,
}

/// The read-only bits `dump` sets (identity, abilities, straps; `place` and `derived` as for
/// [`load_dump`]), for a part whose software reset returns them to their reset values while
/// the reporter's part would keep showing what it is: [`restore`] puts them back.
pub fn read_only(
    dump: &[DumpEntry],
    files: &[&dyn DumpSink],
    place: impl Fn(DumpAddr) -> Result<Placement, String>,
    derived: impl Fn(usize, RegAddr) -> u16,
) -> Vec<DumpedBits> {
    dump.iter()
        .filter_map(|e| match place(e.addr) {
            Ok(Placement::At { file, addr }) => {
                let mask =
                    bits_of(files[file].fields(addr), |a| a == Access::Ro) & !derived(file, addr);
                (mask != 0).then_some(DumpedBits {
                    file,
                    addr,
                    mask,
                    value: e.value,
                })
            }
            _ => None,
        })
        .collect()
}

/// Loads `bits` (from [`read_only`]) again, after a reset.
pub fn restore(bits: &[DumpedBits], files: &mut [&mut dyn DumpSink]) {
    for b in bits {
        files[b.file].load_dumped(b.addr, b.mask, b.value);
    }
}

/// The bits of the fields whose access `keep` takes.
fn bits_of(fields: &[Field], keep: impl Fn(Access) -> bool) -> u16 {
    fields
        .iter()
        .filter(|f| keep(f.access))
        .fold(0, |m, f| m | f.mask)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c22(line: usize, page: u16, reg: u8, value: u16) -> DumpEntry {
        DumpEntry {
            line,
            addr: DumpAddr::C22 { page, reg },
            value,
        }
    }

    mod loading {
        use super::*;
        use crate::regfile::{Field, RegDef};

        const STATUS: RegAddr = RegAddr::page(0, 1);
        const VENDOR: RegAddr = RegAddr::page(2, 21);
        static MAP: &[RegDef<()>] = &[
            RegDef {
                addr: STATUS,
                name: "status",
                hook: None,
                fields: &[
                    Field::ro("ability", 0xff00, 0x7900),
                    Field::ll("link", 0x0004),
                    Field::rw("config", 0x0003, 0),
                ],
            },
            RegDef {
                addr: VENDOR,
                name: "vendor",
                hook: None,
                fields: &[Field::rw("delay", 0x0030, 0), Field::sc("reset", 0x8000)],
            },
        ];

        /// Page 5 shows page 0's status and page 2's vendor register: two names for each.
        fn place(a: DumpAddr) -> Result<Placement, String> {
            match a {
                DumpAddr::C22 { reg: 13 | 14, .. } => Ok(Placement::Skip),
                DumpAddr::C22 { page: 5, reg: 1 } => Ok(Placement::At {
                    file: 0,
                    addr: STATUS,
                }),
                DumpAddr::C22 { page: 5, reg: 21 } => Ok(Placement::At {
                    file: 0,
                    addr: VENDOR,
                }),
                DumpAddr::C22 { page, reg } => Ok(Placement::At {
                    file: 0,
                    addr: RegAddr::new(page, reg.into()),
                }),
                DumpAddr::C45 { .. } => Err("this part has no MMDs".to_string()),
            }
        }

        fn derived(_: usize, a: RegAddr) -> u16 {
            if a == STATUS {
                0x0004
            } else {
                0
            }
        }

        fn load(text: &str) -> Result<RegFile<()>, DumpError> {
            let mut regs = RegFile::new(MAP).unwrap();
            load_dump("test", &parse(text)?, &mut [&mut regs], place, derived)?;
            Ok(regs)
        }

        fn load_agreeing(text: &str) -> Result<RegFile<()>, DumpError> {
            let mut regs = RegFile::new(MAP).unwrap();
            load_dump_agreeing("test", &parse(text)?, &mut [&mut regs], place, derived)?;
            Ok(regs)
        }

        #[test]
        fn values_load_except_derived_and_action_bits() {
            let regs = load("1 = 0x6d07\npage 2 reg 21 = 0x8030\n13 = 0x4007\n").unwrap();
            // Read-only bits take the dump; the derived link bit and the reset action do not.
            assert_eq!(regs.peek(STATUS), Some(0x6d03));
            assert_eq!(regs.peek(VENDOR), Some(0x0030));
        }

        #[test]
        fn what_the_model_cannot_take_names_the_line() {
            let e = |t: &str| load(t).err().unwrap().to_string();
            assert_eq!(
                e("0 = 0\npage 7 reg 1 = 0"),
                "line 2: page 7 reg 1: the test model has no page 7"
            );
            assert_eq!(
                e("mmd 3 reg 1 = 0"),
                "line 1: mmd 3 reg 0x0001: this part has no MMDs"
            );
            assert!(e("page 2 reg 22 = 1").contains("does not implement this register"));
            // A zero for an unimplemented register is what the model reads anyway.
            load("page 2 reg 22 = 0").unwrap();
        }

        #[test]
        fn two_names_of_one_register_agree_on_the_bits_that_load() {
            // They differ only in the reset action and the derived link bit, neither loaded.
            let regs =
                load_agreeing("page 2 reg 21 = 0x0030\npage 5 reg 21 = 0x8030\n1 = 0x6d03\npage 5 reg 1 = 0x6d07\n")
                    .unwrap();
            assert_eq!(regs.peek(VENDOR), Some(0x0030));
            assert_eq!(regs.peek(STATUS), Some(0x6d03));
            assert_eq!(
                load_agreeing("page 2 reg 21 = 0x0010\n1 = 0\npage 5 reg 21 = 0x0020\n")
                    .err()
                    .unwrap()
                    .to_string(),
                "line 3: page 5 reg 21 = 0x0020: the register line 1 sets (page 2 reg 21 = 0x0010); the two disagree"
            );
            // The lines themselves are checked as `load_dump` checks them, in dump order.
            assert!(
                load_agreeing("page 2 reg 22 = 1\npage 2 reg 21 = 0x10\npage 5 reg 21 = 0")
                    .err()
                    .unwrap()
                    .to_string()
                    .starts_with(
                        "line 1: page 2 reg 22 = 0x0001: the test model does not implement"
                    )
            );
        }

        #[test]
        fn read_only_bits_come_back_after_a_reset() {
            let dump = parse("1 = 0x6d07\npage 2 reg 21 = 0x0030\n13 = 0x4007\n").unwrap();
            let mut regs = load("1 = 0x6d07\npage 2 reg 21 = 0x0030\n").unwrap();
            // The vendor register has no read-only bits, the status's link bit is derived.
            let ro = read_only(&dump, &[&regs], place, derived);
            assert_eq!(
                ro,
                vec![DumpedBits {
                    file: 0,
                    addr: STATUS,
                    mask: 0xff00,
                    value: 0x6d07
                }]
            );
            regs.reset_where(|_| true);
            assert_eq!(regs.peek(STATUS), Some(0x7900));
            restore(&ro, &mut [&mut regs]);
            assert_eq!(regs.peek(STATUS), Some(0x6d00));
            assert_eq!(regs.peek(VENDOR), Some(0));
        }
    }

    #[test]
    fn register_lines_in_every_spelling() {
        let text = "# 88E1510 on board X\n\
                    0 = 0x1140\n\
                    reg 4 = 481   # advertise\n\
                    \n\
                    page 2 reg 21 = 0x1046\n\
                    mmd 3 reg 0x14 = 6\n";
        assert_eq!(
            parse(text).unwrap(),
            vec![
                c22(2, 0, 0, 0x1140),
                c22(3, 0, 4, 481),
                c22(5, 2, 21, 0x1046),
                DumpEntry {
                    line: 6,
                    addr: DumpAddr::C45 { devad: 3, reg: 20 },
                    value: 6
                },
            ]
        );
    }

    #[test]
    fn phytool_print_output() {
        // As `phytool print eth0/1` prints it (bit rows included).
        let text = "ieee-phy: id:0x01410dd1\n\
                    \n   ieee-phy: reg:BMCR(0x00) val:0x1140\n\
                    \x20     flags: -reset -loopback +aneg-enable -power-down -isolate -aneg-restart -collision-test\n\
                    \x20     speed: 1000-full\n\
                    \x20     ◯ ◯ ◯ ◉  ◯ ◯ ◯ ◉  ◯ ◉ ◯ ◯  ◯ ◯ ◯ ◯\n\
                    \x20        1        1        4        0\n\
                    \n   ieee-phy: reg:BMSR(0x01) val:0x796d\n\
                    \x20     link capabilities: -100-b4 +100-f\n\
                    ieee-phy: reg:0x10 val:0000\n";
        assert_eq!(
            parse(text).unwrap(),
            vec![
                c22(3, 0, 0, 0x1140),
                c22(9, 0, 1, 0x796d),
                c22(11, 0, 16, 0)
            ]
        );
    }

    #[test]
    fn bad_lines_are_named() {
        let e = |t: &str| parse(t).unwrap_err().to_string();
        assert_eq!(
            e("0 = 1\nreg 32 = 0"),
            "line 2: register: 32 (32) is out of range (at most 0x1f)"
        );
        assert_eq!(
            e("reg 1 = 0x10000"),
            "line 1: value: 0x10000 (65536) is out of range (at most 0xffff)"
        );
        assert_eq!(
            e("page x reg 1 = 0"),
            "line 1: page: `x` is not a number (decimal, or hexadecimal with 0x)"
        );
        assert_eq!(
            e("hello"),
            "line 1: cannot read `hello`: expected `[page P | mmd D] reg R = VALUE` or a line of `phytool print` output"
        );
        assert_eq!(
            e("reg 4 = 1\n4 = 2"),
            "line 2: page 0 reg 4 is already given on line 1"
        );
        assert_eq!(
            e("ieee-phy: bogus"),
            "line 1: cannot read `ieee-phy: bogus`: expected phytool's `ieee-phy: reg:R val:V`"
        );
    }
}
