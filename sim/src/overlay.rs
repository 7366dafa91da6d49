//! The device-tree overlay that tells the generic guest driver what this board is made of.
//! Shape and compatibles: `sim/ABI.md`, section "The overlay".

use crate::spec::BoardSpec;
use phy_sim_overlay::{build_overlay, Cell, Node};

const IRQ_TYPE_LEVEL_LOW: u32 = 8;

fn phy_label(index: usize) -> String {
    format!("phy{index}")
}

pub fn board_overlay(spec: &BoardSpec) -> Result<Vec<u8>, crate::Error> {
    // No properties at the top: the driver creates the target node with its compatible and
    // cells itself, because an overlay that adds properties to a node it did not create
    // cannot be removed without leaking them (the kernel warns so).
    let mut root = Node::new("");

    root = root.child(
        Node::new("gpio@0")
            .label("gpio0")
            .prop_str("compatible", "phy-sim,gpio")
            .prop_u32("reg", 0)
            .prop_empty("gpio-controller")
            .prop_u32("#gpio-cells", 2)
            .prop_empty("interrupt-controller")
            .prop_u32("#interrupt-cells", 2)
            .prop_u32("ngpios", spec.gpio_lines),
    );

    for (bus_index, bus) in spec.buses.iter().enumerate() {
        let mut mdio = Node::new(format!("mdio@{bus_index}"))
            .label(format!("mdio{bus_index}"))
            .prop_str("compatible", "phy-sim,mdio")
            .prop_u32("reg", bus_index as u32)
            .prop_u32("#address-cells", 1)
            .prop_u32("#size-cells", 0)
            .prop_str("label", &bus.name)
            .prop_u32("clock-frequency", bus.mdc_hz);
        for (i, phy) in spec
            .phys
            .iter()
            .enumerate()
            .filter(|(_, p)| p.bus == bus_index)
        {
            let compatible = if phy.clause45 {
                "ethernet-phy-ieee802.3-c45"
            } else {
                "ethernet-phy-ieee802.3-c22"
            };
            let mut node = Node::new(format!("ethernet-phy@{:x}", phy.address))
                .label(phy_label(i))
                .prop_str("compatible", compatible)
                .prop_u32("reg", phy.address.into());
            if let Some(line) = phy.irq_line {
                node = node.prop_cells(
                    "interrupts-extended",
                    vec![
                        Cell::Ref("gpio0".into()),
                        Cell::U32(line),
                        Cell::U32(IRQ_TYPE_LEVEL_LOW),
                    ],
                );
            }
            mdio = mdio.child(node);
        }
        root = root.child(mdio);
    }

    for (i, port) in spec.ports.iter().enumerate() {
        root = root.child(
            Node::new(format!("ethernet-port@{i}"))
                .prop_str("compatible", "phy-sim,port")
                .prop_u32("reg", i as u32)
                .prop_str("label", &port.name)
                .prop_str("phy-mode", &port.phy_mode)
                .prop_cells("phy-handle", vec![Cell::Ref(phy_label(port.phy))]),
        );
    }

    build_overlay(&root, "").map_err(|e| crate::Error::Overlay(e.to_string()))
}
