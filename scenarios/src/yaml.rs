//! A YAML document as a tree whose every node and key knows where it came from.
//!
//! Built on `saphyr-parser`'s event stream. Unlike a plain YAML value, a mapping keeps its keys
//! in file order with their positions, duplicate keys are reported instead of silently merged,
//! and a syntax error names the field path the parser had reached.

use crate::error::Problem;
use crate::Location;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, StrInput};
use std::collections::HashMap;

/// Deeper nesting than this is refused (no scenario needs more than a handful of levels).
const MAX_DEPTH: usize = 64;
/// Alias expansion beyond this many nodes is refused (the "billion laughs" document).
const MAX_NODES: usize = 100_000;

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub loc: Location,
    pub value: Value,
}

#[derive(Debug, Clone)]
pub(crate) enum Value {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Debug, Clone)]
pub(crate) struct Scalar {
    pub text: String,
    /// Plain (unquoted, not a block scalar): only these resolve to null, bool or number.
    pub plain: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub key: String,
    pub key_loc: Location,
    pub value: Node,
}

/// What a scalar means under the YAML 1.2 core schema.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    Null,
    Bool(bool),
    Int,
    Float,
    Str,
}

impl Scalar {
    pub fn kind(&self) -> Kind {
        if !self.plain {
            return Kind::Str;
        }
        match self.text.as_str() {
            "" | "~" | "null" | "Null" | "NULL" => Kind::Null,
            "true" | "True" | "TRUE" => Kind::Bool(true),
            "false" | "False" | "FALSE" => Kind::Bool(false),
            t if parse_int(t).is_some() => Kind::Int,
            t if is_float(t) => Kind::Float,
            _ => Kind::Str,
        }
    }
}

/// A core-schema integer: decimal with an optional sign, `0x` hex or `0o` octal.
pub(crate) fn parse_int(t: &str) -> Option<i128> {
    if let Some(h) = t.strip_prefix("0x") {
        return (!h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| i128::from_str_radix(h, 16).ok())
            .flatten();
    }
    if let Some(o) = t.strip_prefix("0o") {
        return (!o.is_empty() && o.bytes().all(|b| (b'0'..=b'7').contains(&b)))
            .then(|| i128::from_str_radix(o, 8).ok())
            .flatten();
    }
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Longer than i128 can hold: still an integer, just a huge one.
    Some(t.parse::<i128>().unwrap_or(if t.starts_with('-') {
        i128::MIN
    } else {
        i128::MAX
    }))
}

/// A core-schema float (`1.5`, `-2e3`, `.5`, `.inf`, `.nan`).
pub(crate) fn is_float(t: &str) -> bool {
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    if matches!(body, ".inf" | ".Inf" | ".INF") || matches!(t, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(int) && digits(frac) && !(int.is_empty() && frac.is_empty());
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exp_ok
}

pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

pub(crate) fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

fn loc(span: &Span) -> Location {
    Location {
        line: span.start.line().max(1),
        column: span.start.col() + 1,
    }
}

/// The document's root node, or `None` if the file holds no document; the problems found on
/// the way (a syntax error ends the load, a duplicate key does not).
pub(crate) fn load(text: &str) -> (Option<Node>, Vec<Problem>) {
    let mut b = Builder {
        parser: Parser::new_from_str(text),
        anchors: HashMap::new(),
        nodes: 0,
        problems: Vec::new(),
    };
    let root = match b.document() {
        Ok(root) => root,
        Err(p) => {
            b.problems.push(p);
            None
        }
    };
    (root, b.problems)
}

struct Builder<'a> {
    parser: Parser<'a, StrInput<'a>>,
    /// Anchored nodes with their sizes in nodes.
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
    problems: Vec<Problem>,
}

impl<'a> Builder<'a> {
    fn next(&mut self, path: &str) -> Result<(Event<'a>, Span), Problem> {
        match self.parser.next_event() {
            Some(Ok(ev)) => Ok(ev),
            Some(Err(e)) => Err(scan_problem(&e, path)),
            None => Err(Problem::new(
                Location { line: 1, column: 1 },
                path,
                "unexpected end of the YAML stream",
            )),
        }
    }

    fn document(&mut self) -> Result<Option<Node>, Problem> {
        let (ev, _) = self.next("")?; // StreamStart
        debug_assert!(matches!(ev, Event::StreamStart));
        let (ev, span) = self.next("")?;
        match ev {
            Event::StreamEnd => return Ok(None),
            Event::DocumentStart(_) => {}
            _ => {
                return Err(Problem::new(loc(&span), "", "expected a YAML document"));
            }
        }
        let (ev, span) = self.next("")?;
        let root = self.node(ev, span, "", 0)?;
        let (ev, span) = self.next("")?;
        debug_assert!(matches!(ev, Event::DocumentEnd));
        let (ev, end) = self.next("")?;
        if !matches!(ev, Event::StreamEnd) {
            let at = if matches!(ev, Event::DocumentStart(_)) {
                loc(&end)
            } else {
                loc(&span)
            };
            return Err(Problem::new(
                at,
                "",
                "a scenario file holds one YAML document; this is a second one",
            ));
        }
        Ok(Some(root))
    }

    fn count(&mut self, n: usize, at: Location, path: &str) -> Result<(), Problem> {
        self.nodes += n;
        if self.nodes > MAX_NODES {
            return Err(Problem::new(
                at,
                path,
                format!("the document expands to more than {MAX_NODES} nodes (aliases?)"),
            ));
        }
        Ok(())
    }

    fn node(
        &mut self,
        ev: Event<'a>,
        span: Span,
        path: &str,
        depth: usize,
    ) -> Result<Node, Problem> {
        let at = loc(&span);
        if depth > MAX_DEPTH {
            return Err(Problem::new(at, path, "the document is nested too deeply"));
        }
        let start = self.nodes;
        let (node, anchor) = match ev {
            Event::Alias(id) => {
                let Some((node, size)) = self.anchors.get(&id).cloned() else {
                    return Err(Problem::new(at, path, "alias to an unknown anchor"));
                };
                self.count(size, at, path)?;
                return Ok(node);
            }
            Event::Scalar(text, style, anchor, tag) => {
                if tag.is_some() {
                    return Err(tag_problem(at, path));
                }
                self.count(1, at, path)?;
                let value = Value::Scalar(Scalar {
                    text: text.into_owned(),
                    plain: style == ScalarStyle::Plain,
                });
                (Node { loc: at, value }, anchor)
            }
            Event::SequenceStart(anchor, tag) => {
                if tag.is_some() {
                    return Err(tag_problem(at, path));
                }
                self.count(1, at, path)?;
                let mut items = Vec::new();
                loop {
                    let item_path = index(path, items.len());
                    let (ev, span) = self.next(&item_path)?;
                    if matches!(ev, Event::SequenceEnd) {
                        break;
                    }
                    items.push(self.node(ev, span, &item_path, depth + 1)?);
                }
                let value = Value::Seq(items);
                (Node { loc: at, value }, anchor)
            }
            Event::MappingStart(anchor, tag) => {
                if tag.is_some() {
                    return Err(tag_problem(at, path));
                }
                self.count(1, at, path)?;
                let mut entries: Vec<Entry> = Vec::new();
                loop {
                    let (ev, span) = self.next(path)?;
                    let key_loc = loc(&span);
                    let key = match ev {
                        Event::MappingEnd => break,
                        Event::Scalar(text, _, 0, None) => text.into_owned(),
                        _ => {
                            return Err(Problem::new(
                                key_loc,
                                path,
                                "a mapping key must be a plain string",
                            ))
                        }
                    };
                    let value_path = join(path, &key);
                    let (ev, span) = self.next(&value_path)?;
                    let value = self.node(ev, span, &value_path, depth + 1)?;
                    if let Some(first) = entries.iter().find(|e| e.key == key) {
                        self.problems.push(Problem::new(
                            key_loc,
                            value_path,
                            format!(
                                "`{key}` is given twice (first on line {})",
                                first.key_loc.line
                            ),
                        ));
                    } else {
                        entries.push(Entry {
                            key,
                            key_loc,
                            value,
                        });
                    }
                }
                let value = Value::Map(entries);
                (Node { loc: at, value }, anchor)
            }
            _ => return Err(Problem::new(at, path, "unexpected YAML event")),
        };
        if anchor != 0 {
            self.anchors
                .insert(anchor, (node.clone(), self.nodes - start));
        }
        Ok(node)
    }
}

fn tag_problem(at: Location, path: &str) -> Problem {
    Problem::new(
        at,
        path,
        "YAML tags (`!...`) are not supported in scenarios",
    )
}

fn scan_problem(e: &ScanError, path: &str) -> Problem {
    let m = e.marker();
    Problem::new(
        Location {
            line: m.line().max(1),
            column: m.col() + 1,
        },
        path,
        format!("invalid YAML: {}", e.info()),
    )
}
