//! Builds the flattened device-tree overlay blob that phy-sim serves to the guest.
//!
//! The guest's board driver applies the blob with the kernel's `of_overlay_fdt_apply()`, so the
//! blob is in the form dtc produces for a `/plugin/` source with a single fragment:
//!
//! ```dts
//! / {
//!     fragment@0 {
//!         target-path = "<target_path>";
//!         __overlay__ { /* the root Node's properties and children */ };
//!     };
//!     __local_fixups__ { /* where the phandle cells are, see below */ };
//! };
//! ```
//!
//! References ([`Cell::Ref`]) name labels of nodes in the same overlay. Every referenced node
//! gets a `phandle` property (appended after its own properties), numbered 1, 2, ... in order of
//! first reference in a depth-first, properties-before-children walk — the order dtc uses, so the
//! blob is byte-for-byte what `dtc -I dts -O dtb` (without `-@`) makes of the equivalent source,
//! and `dtc -@` differs only by `__symbols__` and phandles on unreferenced labels. Each reference
//! cell holds that number; `__local_fixups__` mirrors the path of every node holding a reference
//! and lists, per referencing property, the byte offsets of its phandle cells, which is what the
//! kernel's `adjust_local_phandle_references()` uses to renumber them when applying. No
//! `__symbols__` or `__fixups__` node is emitted: nothing outside the overlay can be referenced.
//!
//! The output is a standard FDT: version 17 (last compatible 16) header, an empty memory
//! reservation block (just its terminating entry), the structure block and a strings block
//! without duplicates.

use std::collections::HashMap;

use thiserror::Error;

/// A device-tree node. For the root passed to [`build_overlay`] the name is ignored: its
/// properties and children become those of the fragment's `__overlay__` node.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Node {
    /// Node name with optional unit address, e.g. `ethernet-phy@1`.
    pub name: String,
    /// Label other nodes refer to with [`Cell::Ref`] (not emitted into the blob).
    pub label: Option<String>,
    /// Properties, in output order.
    pub props: Vec<(String, Prop)>,
    /// Child nodes, in output order.
    pub children: Vec<Node>,
}

/// A property value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prop {
    /// A boolean property with no value (`gpio-controller;`).
    Empty,
    /// A list of 32-bit cells.
    U32(Vec<u32>),
    /// A string list (`"a", "b"`): each string NUL-terminated.
    Str(Vec<String>),
    /// Raw bytes.
    Bytes(Vec<u8>),
    /// A list of cells, some of which may be phandle references.
    Cells(Vec<Cell>),
}

/// One 32-bit cell of a [`Prop::Cells`] property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    U32(u32),
    /// The phandle of the node carrying this label in the same overlay.
    Ref(String),
}

/// Why an overlay could not be built. Node paths are relative to the overlay root (`/` is the
/// root node given to [`build_overlay`]).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OverlayError {
    #[error("property `{property}` of node `{node}` references unknown label `{label}`")]
    UnknownLabel {
        label: String,
        property: String,
        node: String,
    },
    #[error("label `{label}` is defined on both `{first}` and `{second}`")]
    DuplicateLabel {
        label: String,
        first: String,
        second: String,
    },
    #[error("invalid label `{label}` on node `{node}`")]
    InvalidLabel { label: String, node: String },
    #[error("invalid node name `{name}` under `{parent}`")]
    InvalidNodeName { name: String, parent: String },
    /// Sibling names are compared case-insensitively, as the kernel does when it matches
    /// `__local_fixups__` against the overlay.
    #[error("duplicate node name `{name}` under `{parent}`")]
    DuplicateNode { name: String, parent: String },
    #[error("invalid property name `{name}` in node `{node}`")]
    InvalidPropertyName { name: String, node: String },
    #[error("property name `{name}` in node `{node}` is reserved")]
    ReservedProperty { name: String, node: String },
    #[error("duplicate property `{name}` in node `{node}`")]
    DuplicateProperty { name: String, node: String },
    #[error("a string of property `{property}` in node `{node}` contains a NUL byte")]
    NulInString { property: String, node: String },
    #[error("invalid target path `{0}`: must be empty or start with `/`, without NUL bytes")]
    InvalidTargetPath(String),
    #[error("overlay does not fit in a 32-bit FDT")]
    TooLarge,
}

impl Node {
    pub fn new(name: impl Into<String>) -> Self {
        Node {
            name: name.into(),
            ..Node::default()
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn prop(mut self, name: impl Into<String>, value: Prop) -> Self {
        self.props.push((name.into(), value));
        self
    }

    pub fn prop_empty(self, name: impl Into<String>) -> Self {
        self.prop(name, Prop::Empty)
    }

    pub fn prop_u32(self, name: impl Into<String>, value: u32) -> Self {
        self.prop(name, Prop::U32(vec![value]))
    }

    pub fn prop_str(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.prop(name, Prop::Str(vec![value.into()]))
    }

    pub fn prop_strs<S: Into<String>>(
        self,
        name: impl Into<String>,
        values: impl IntoIterator<Item = S>,
    ) -> Self {
        self.prop(
            name,
            Prop::Str(values.into_iter().map(Into::into).collect()),
        )
    }

    pub fn prop_cells(self, name: impl Into<String>, cells: Vec<Cell>) -> Self {
        self.prop(name, Prop::Cells(cells))
    }

    pub fn child(mut self, child: Node) -> Self {
        self.children.push(child);
        self
    }
}

/// Builds the overlay blob: `root`'s properties and children go into
/// `/fragment@0/__overlay__`, applied at `target_path` (`""` means the base node given to
/// `of_overlay_fdt_apply()`).
pub fn build_overlay(root: &Node, target_path: &str) -> Result<Vec<u8>, OverlayError> {
    if !(target_path.is_empty() || target_path.starts_with('/')) || target_path.contains('\0') {
        return Err(OverlayError::InvalidTargetPath(target_path.to_string()));
    }

    // Pass 1: validate, and map labels to pre-order node indices.
    let mut labels = HashMap::new();
    let mut count = 0;
    validate(root, "/", &mut labels, &mut count)?;

    // Pass 2: number referenced nodes in order of first reference and record the fixups.
    let mut ctx = Resolve {
        labels: &labels,
        phandles: vec![0; count],
        next_phandle: 1,
        next_index: 0,
        fixups: FixupNode::default(),
    };
    let mut path = vec!["fragment@0", "__overlay__"];
    ctx.walk(root, &mut path)?;

    // Pass 3: serialise.
    let mut fdt = FdtWriter::default();
    fdt.begin_node("");
    fdt.begin_node("fragment@0");
    let mut target = target_path.as_bytes().to_vec();
    target.push(0);
    fdt.prop("target-path", &target);
    let mut index = 0;
    emit_node(
        &mut fdt,
        root,
        "__overlay__",
        &labels,
        &ctx.phandles,
        &mut index,
    );
    fdt.end_node();
    if !ctx.fixups.is_empty() {
        emit_fixups(&mut fdt, &ctx.fixups, "__local_fixups__");
    }
    fdt.end_node();
    fdt.finish()
}

fn child_path(parent: &str, name: &str) -> String {
    if parent == "/" {
        format!("/{name}")
    } else {
        format!("{parent}/{name}")
    }
}

fn validate<'a>(
    node: &'a Node,
    path: &str,
    labels: &mut HashMap<&'a str, (usize, String)>,
    count: &mut usize,
) -> Result<(), OverlayError> {
    let index = *count;
    *count += 1;

    if let Some(label) = &node.label {
        if !valid_label(label) {
            return Err(OverlayError::InvalidLabel {
                label: label.clone(),
                node: path.to_string(),
            });
        }
        if let Some((_, first)) = labels.get(label.as_str()) {
            return Err(OverlayError::DuplicateLabel {
                label: label.clone(),
                first: first.clone(),
                second: path.to_string(),
            });
        }
        labels.insert(label, (index, path.to_string()));
    }

    for (i, (name, value)) in node.props.iter().enumerate() {
        let err = |f: fn(String, String) -> OverlayError| f(name.clone(), path.to_string());
        if !valid_prop_name(name) {
            return Err(err(|name, node| OverlayError::InvalidPropertyName {
                name,
                node,
            }));
        }
        if matches!(name.as_str(), "phandle" | "linux,phandle" | "name") {
            return Err(err(|name, node| OverlayError::ReservedProperty {
                name,
                node,
            }));
        }
        if node.props[..i].iter().any(|(n, _)| n == name) {
            return Err(err(|name, node| OverlayError::DuplicateProperty {
                name,
                node,
            }));
        }
        if let Prop::Str(strings) = value {
            if strings.iter().any(|s| s.contains('\0')) {
                return Err(OverlayError::NulInString {
                    property: name.clone(),
                    node: path.to_string(),
                });
            }
        }
    }

    for (i, child) in node.children.iter().enumerate() {
        if !valid_node_name(&child.name) {
            return Err(OverlayError::InvalidNodeName {
                name: child.name.clone(),
                parent: path.to_string(),
            });
        }
        if node.children[..i]
            .iter()
            .any(|c| c.name.eq_ignore_ascii_case(&child.name))
        {
            return Err(OverlayError::DuplicateNode {
                name: child.name.clone(),
                parent: path.to_string(),
            });
        }
        validate(child, &child_path(path, &child.name), labels, count)?;
    }
    Ok(())
}

/// `[A-Za-z_][A-Za-z0-9_]*`, as dtc accepts.
fn valid_label(label: &str) -> bool {
    let mut chars = label.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `node-name[@unit-address]`, both parts non-empty from `[A-Za-z0-9,._+-]`.
fn valid_node_name(name: &str) -> bool {
    let part_ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || ",._+-".contains(c))
    };
    match name.split_once('@') {
        Some((base, unit)) => part_ok(base) && part_ok(unit),
        None => part_ok(name),
    }
}

/// Non-empty, from `[A-Za-z0-9,._+?#-]`.
fn valid_prop_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ",._+?#-".contains(c))
}

/// The `__local_fixups__` tree being built.
#[derive(Default)]
struct FixupNode {
    name: String,
    props: Vec<(String, Vec<u32>)>,
    children: Vec<FixupNode>,
}

impl FixupNode {
    fn is_empty(&self) -> bool {
        self.props.is_empty() && self.children.is_empty()
    }

    fn add(&mut self, path: &[&str], prop: &str, offset: u32) {
        let mut node = self;
        for name in path {
            let pos = match node.children.iter().position(|c| c.name == *name) {
                Some(pos) => pos,
                None => {
                    node.children.push(FixupNode {
                        name: name.to_string(),
                        ..FixupNode::default()
                    });
                    node.children.len() - 1
                }
            };
            node = &mut node.children[pos];
        }
        match node.props.iter_mut().find(|(n, _)| n == prop) {
            Some((_, offsets)) => offsets.push(offset),
            None => node.props.push((prop.to_string(), vec![offset])),
        }
    }
}

struct Resolve<'a> {
    labels: &'a HashMap<&'a str, (usize, String)>,
    /// Per pre-order node index; 0 = not referenced.
    phandles: Vec<u32>,
    next_phandle: u32,
    next_index: usize,
    fixups: FixupNode,
}

impl Resolve<'_> {
    /// `path` holds the node's path from the blob root (starting `fragment@0`, `__overlay__`).
    fn walk<'n>(&mut self, node: &'n Node, path: &mut Vec<&'n str>) -> Result<(), OverlayError> {
        self.next_index += 1;
        for (name, value) in &node.props {
            let Prop::Cells(cells) = value else { continue };
            for (i, cell) in cells.iter().enumerate() {
                let Cell::Ref(label) = cell else { continue };
                let Some((target, _)) = self.labels.get(label.as_str()) else {
                    let node = path[2..]
                        .iter()
                        .fold(String::from("/"), |p, n| child_path(&p, n));
                    return Err(OverlayError::UnknownLabel {
                        label: label.clone(),
                        property: name.clone(),
                        node,
                    });
                };
                if self.phandles[*target] == 0 {
                    self.phandles[*target] = self.next_phandle;
                    self.next_phandle += 1;
                }
                let offset = u32::try_from(i * 4).map_err(|_| OverlayError::TooLarge)?;
                self.fixups.add(path, name, offset);
            }
        }
        for child in &node.children {
            path.push(&child.name);
            self.walk(child, path)?;
            path.pop();
        }
        Ok(())
    }
}

fn emit_node(
    fdt: &mut FdtWriter,
    node: &Node,
    name: &str,
    labels: &HashMap<&str, (usize, String)>,
    phandles: &[u32],
    index: &mut usize,
) {
    let phandle = phandles[*index];
    *index += 1;
    fdt.begin_node(name);
    for (prop_name, value) in &node.props {
        let bytes: Vec<u8> = match value {
            Prop::Empty => Vec::new(),
            Prop::U32(cells) => cells.iter().flat_map(|c| c.to_be_bytes()).collect(),
            Prop::Str(strings) => strings
                .iter()
                .flat_map(|s| s.bytes().chain(std::iter::once(0)))
                .collect(),
            Prop::Bytes(bytes) => bytes.clone(),
            Prop::Cells(cells) => cells
                .iter()
                .flat_map(|c| {
                    match c {
                        Cell::U32(v) => *v,
                        // Resolved in pass 2, so the label exists and has a phandle.
                        Cell::Ref(label) => phandles[labels[label.as_str()].0],
                    }
                    .to_be_bytes()
                })
                .collect(),
        };
        fdt.prop(prop_name, &bytes);
    }
    if phandle != 0 {
        fdt.prop("phandle", &phandle.to_be_bytes());
    }
    for child in &node.children {
        emit_node(fdt, child, &child.name, labels, phandles, index);
    }
    fdt.end_node();
}

fn emit_fixups(fdt: &mut FdtWriter, node: &FixupNode, name: &str) {
    fdt.begin_node(name);
    for (prop, offsets) in &node.props {
        let bytes: Vec<u8> = offsets.iter().flat_map(|o| o.to_be_bytes()).collect();
        fdt.prop(prop, &bytes);
    }
    for child in &node.children {
        emit_fixups(fdt, child, &child.name);
    }
    fdt.end_node();
}

const FDT_MAGIC: u32 = 0xd00d_feed;
const FDT_BEGIN_NODE: u32 = 1;
const FDT_END_NODE: u32 = 2;
const FDT_PROP: u32 = 3;
const FDT_END: u32 = 9;
const FDT_VERSION: u32 = 17;
const FDT_LAST_COMP_VERSION: u32 = 16;
const HEADER_SIZE: usize = 40;
const RSVMAP_SIZE: usize = 16; // just the terminating {0, 0} entry

/// Minimal FDT serialiser: structure block and strings block, assembled by `finish`.
#[derive(Default)]
struct FdtWriter {
    structure: Vec<u8>,
    strings: Vec<u8>,
}

impl FdtWriter {
    fn token(&mut self, token: u32) {
        self.structure.extend_from_slice(&token.to_be_bytes());
    }

    fn pad(&mut self) {
        let aligned = self.structure.len().next_multiple_of(4);
        self.structure.resize(aligned, 0);
    }

    fn begin_node(&mut self, name: &str) {
        self.token(FDT_BEGIN_NODE);
        self.structure.extend_from_slice(name.as_bytes());
        self.structure.push(0);
        self.pad();
    }

    fn end_node(&mut self) {
        self.token(FDT_END_NODE);
    }

    /// Offset of `name` in the strings block, reusing any existing string that ends with it
    /// (as dtc does).
    fn string_offset(&mut self, name: &str) -> u32 {
        let mut wanted = name.as_bytes().to_vec();
        wanted.push(0);
        let offset = (0..self.strings.len())
            .find(|&i| self.strings[i..].starts_with(&wanted))
            .unwrap_or_else(|| {
                self.strings.extend_from_slice(&wanted);
                self.strings.len() - wanted.len()
            });
        offset as u32
    }

    fn prop(&mut self, name: &str, value: &[u8]) {
        let name_offset = self.string_offset(name);
        self.token(FDT_PROP);
        self.structure
            .extend_from_slice(&(value.len() as u32).to_be_bytes());
        self.structure.extend_from_slice(&name_offset.to_be_bytes());
        self.structure.extend_from_slice(value);
        self.pad();
    }

    fn finish(mut self) -> Result<Vec<u8>, OverlayError> {
        self.token(FDT_END);
        let off_struct = HEADER_SIZE + RSVMAP_SIZE;
        let off_strings = off_struct + self.structure.len();
        let total = off_strings + self.strings.len();
        let as_u32 = |v: usize| u32::try_from(v).map_err(|_| OverlayError::TooLarge);
        let header = [
            FDT_MAGIC,
            as_u32(total)?,
            as_u32(off_struct)?,
            as_u32(off_strings)?,
            HEADER_SIZE as u32, // off_mem_rsvmap
            FDT_VERSION,
            FDT_LAST_COMP_VERSION,
            0, // boot_cpuid_phys
            as_u32(self.strings.len())?,
            as_u32(self.structure.len())?,
        ];
        let mut blob = Vec::with_capacity(total);
        for field in header {
            blob.extend_from_slice(&field.to_be_bytes());
        }
        blob.resize(off_struct, 0); // the empty memory reservation block
        blob.extend_from_slice(&self.structure);
        blob.extend_from_slice(&self.strings);
        Ok(blob)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn be32(blob: &[u8], offset: usize) -> u32 {
        u32::from_be_bytes(blob[offset..offset + 4].try_into().unwrap())
    }

    fn sample() -> Node {
        Node::new("")
            .child(
                Node::new("gpio@0")
                    .label("gpio0")
                    .prop_empty("gpio-controller"),
            )
            .child(
                Node::new("phy@1")
                    .label("phy0")
                    .prop_cells("interrupts-extended", vec![Cell::Ref("gpio0".into())]),
            )
    }

    #[test]
    fn header_fields() {
        let blob = build_overlay(&sample(), "").unwrap();
        assert_eq!(be32(&blob, 0), FDT_MAGIC);
        assert_eq!(be32(&blob, 4) as usize, blob.len());
        let (off_struct, off_strings, off_rsv) = (be32(&blob, 8), be32(&blob, 12), be32(&blob, 16));
        assert_eq!((off_rsv, off_struct), (40, 56));
        assert_eq!(&blob[40..56], &[0; 16]);
        assert_eq!((be32(&blob, 20), be32(&blob, 24)), (17, 16));
        assert_eq!(be32(&blob, 32) as usize, blob.len() - off_strings as usize);
        assert_eq!(be32(&blob, 36), off_strings - off_struct);
        assert_eq!(be32(&blob, off_strings as usize - 4), FDT_END);
    }

    #[test]
    fn strings_are_deduplicated() {
        let root = Node::new("")
            .child(Node::new("a").prop_u32("x-reg", 1).prop_u32("reg", 2))
            .child(Node::new("b").prop_u32("reg", 2).prop_u32("x-reg", 3));
        let blob = build_overlay(&root, "/board").unwrap();
        let off_strings = be32(&blob, 12) as usize;
        let strings = &blob[off_strings..];
        // Exact duplicates and suffixes of earlier names (`reg` in `x-reg`) are shared, as dtc does.
        assert_eq!(strings, b"target-path\0x-reg\0");
    }

    #[test]
    fn unknown_label() {
        let root = sample()
            .child(Node::new("port@0").prop_cells("phy-handle", vec![Cell::Ref("phy9".into())]));
        let err = build_overlay(&root, "").unwrap_err();
        assert_eq!(
            err,
            OverlayError::UnknownLabel {
                label: "phy9".into(),
                property: "phy-handle".into(),
                node: "/port@0".into(),
            }
        );
        let msg = err.to_string();
        assert!(msg.contains("phy9") && msg.contains("phy-handle"), "{msg}");
    }

    #[test]
    fn duplicate_label() {
        let root = sample().child(Node::new("mdio@0").child(Node::new("phy@2").label("phy0")));
        let err = build_overlay(&root, "").unwrap_err();
        assert_eq!(
            err,
            OverlayError::DuplicateLabel {
                label: "phy0".into(),
                first: "/phy@1".into(),
                second: "/mdio@0/phy@2".into(),
            }
        );
        assert!(err.to_string().contains("phy0"));
    }

    #[test]
    fn duplicate_sibling_names() {
        let root = Node::new("").child(
            Node::new("mdio@0")
                .child(Node::new("phy@1"))
                .child(Node::new("PHY@1")),
        );
        assert_eq!(
            build_overlay(&root, ""),
            Err(OverlayError::DuplicateNode {
                name: "PHY@1".into(),
                parent: "/mdio@0".into()
            })
        );
        // Same name under different parents is fine.
        let root = Node::new("")
            .child(Node::new("a").child(Node::new("x")))
            .child(Node::new("b").child(Node::new("x")));
        build_overlay(&root, "").unwrap();
    }

    #[test]
    fn invalid_names() {
        for bad in ["", "a b", "phy@", "@1", "a@1@2", "a/b", "ä"] {
            let root = Node::new("").child(Node::new(bad));
            assert!(
                matches!(
                    build_overlay(&root, ""),
                    Err(OverlayError::InvalidNodeName { .. })
                ),
                "{bad:?}"
            );
        }
        for good in ["ethernet-phy@1", "gpio@0", "sfp-0", "a,b_c.d+e@1,2"] {
            build_overlay(&Node::new("").child(Node::new(good)), "").unwrap();
        }
        for bad in ["", "a b", "a=b", "a@b"] {
            let root = Node::new("").child(Node::new("n").prop_empty(bad));
            assert!(
                matches!(
                    build_overlay(&root, ""),
                    Err(OverlayError::InvalidPropertyName { .. })
                ),
                "{bad:?}"
            );
        }
        for bad in ["", "0abc", "a-b", "a b"] {
            let root = Node::new("").child(Node::new("n").label(bad));
            assert!(
                matches!(
                    build_overlay(&root, ""),
                    Err(OverlayError::InvalidLabel { .. })
                ),
                "{bad:?}"
            );
        }
        for bad in ["phandle", "linux,phandle", "name"] {
            let root = Node::new("").child(Node::new("n").prop_u32(bad, 1));
            assert!(
                matches!(
                    build_overlay(&root, ""),
                    Err(OverlayError::ReservedProperty { .. })
                ),
                "{bad:?}"
            );
        }
        let root = Node::new("").child(Node::new("n").prop_u32("reg", 1).prop_u32("reg", 2));
        assert!(matches!(
            build_overlay(&root, ""),
            Err(OverlayError::DuplicateProperty { .. })
        ));
        let root = Node::new("").prop_str("label", "a\0b");
        assert!(matches!(
            build_overlay(&root, ""),
            Err(OverlayError::NulInString { .. })
        ));
        for bad in ["board", "/a\0b"] {
            assert!(matches!(
                build_overlay(&sample(), bad),
                Err(OverlayError::InvalidTargetPath(_))
            ));
        }
    }

    #[test]
    fn no_references_no_local_fixups() {
        let root = Node::new("").child(Node::new("gpio@0").label("gpio0"));
        let blob = build_overlay(&root, "").unwrap();
        let text = String::from_utf8_lossy(&blob);
        assert!(!text.contains("__local_fixups__"));
        assert!(!text.contains("phandle"));
    }
}
