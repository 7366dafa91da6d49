//! Checks the overlay blob against the reference tools of the device-tree-compiler package:
//! `dtc` (decompile, and compile the equivalent source), `fdtoverlay` (apply) and `fdtget`.
//! These tools are part of the test environment and required.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use phy_sim_overlay::{build_overlay, Cell, Node, Prop};

fn refs(label: &str, cells: &[u32]) -> Vec<Cell> {
    std::iter::once(Cell::Ref(label.into()))
        .chain(cells.iter().map(|&c| Cell::U32(c)))
        .collect()
}

/// A representative board.
fn board() -> Node {
    let mut two_gpio_refs = refs("gpio0", &[4, 1]);
    two_gpio_refs.extend(refs("gpio0", &[5, 1]));
    Node::new("")
        .prop_strs("compatible", ["phy-sim,board", "simple-bus"])
        .prop_u32("#address-cells", 1)
        .prop_u32("#size-cells", 0)
        .child(
            Node::new("gpio@0")
                .label("gpio0")
                .prop_str("compatible", "phy-sim,gpio")
                .prop_u32("reg", 0)
                .prop_empty("gpio-controller")
                .prop_u32("#gpio-cells", 2)
                .prop_empty("interrupt-controller")
                .prop_u32("#interrupt-cells", 2)
                .prop_u32("ngpios", 32)
                .prop_strs("gpio-line-names", ["phy0-int", "phy1-int", "sfp0-los"]),
        )
        .child(
            Node::new("mdio@0")
                .label("mdio0")
                .prop_str("compatible", "phy-sim,mdio")
                .prop_u32("reg", 0)
                .prop_u32("#address-cells", 1)
                .prop_u32("#size-cells", 0)
                .prop_cells("reset-gpios", two_gpio_refs)
                .child(
                    Node::new("ethernet-phy@1")
                        .label("phy0")
                        .prop_str("compatible", "ethernet-phy-ieee802.3-c22")
                        .prop_u32("reg", 1)
                        .prop_cells("interrupts-extended", refs("gpio0", &[0, 8])),
                )
                .child(
                    Node::new("ethernet-phy@2")
                        .label("phy1")
                        .prop_strs(
                            "compatible",
                            ["ethernet-phy-id001c.c916", "ethernet-phy-ieee802.3-c22"],
                        )
                        .prop_u32("reg", 2)
                        .prop_cells("interrupts-extended", refs("gpio0", &[1, 8])),
                ),
        )
        .child(
            Node::new("sfp@0")
                .label("sfp0")
                .prop_str("compatible", "sff,sfp")
                .prop_cells("los-gpios", refs("gpio0", &[2, 0])),
        )
        .child(
            Node::new("ethernet-port@0")
                .prop_str("compatible", "phy-sim,port")
                .prop_u32("reg", 0)
                .prop_str("label", "eth0")
                .prop_cells("phy-handle", refs("phy0", &[]))
                .prop_str("phy-mode", "rgmii-id")
                .prop("local-mac-address", Prop::Bytes(vec![2, 0, 0, 0, 0, 1])),
        )
        .child(
            Node::new("ethernet-port@1")
                .prop_str("compatible", "phy-sim,port")
                .prop_u32("reg", 1)
                .prop_str("label", "eth1")
                .prop_cells("phy-handle", refs("phy1", &[]))
                .prop_str("phy-mode", "sgmii")
                .prop_str("managed", "in-band-status")
                .prop_cells("sfp", refs("sfp0", &[])),
        )
}

/// The same overlay as DTS source, in the `/plugin/` form dtc turns into an overlay.
fn board_dts(target_path: &str) -> String {
    r#"/dts-v1/;
/plugin/;

/ {
    fragment@0 {
        target-path = "TARGET";
        __overlay__ {
            compatible = "phy-sim,board", "simple-bus";
            #address-cells = <1>;
            #size-cells = <0>;

            gpio0: gpio@0 {
                compatible = "phy-sim,gpio";
                reg = <0>;
                gpio-controller;
                #gpio-cells = <2>;
                interrupt-controller;
                #interrupt-cells = <2>;
                ngpios = <32>;
                gpio-line-names = "phy0-int", "phy1-int", "sfp0-los";
            };

            mdio0: mdio@0 {
                compatible = "phy-sim,mdio";
                reg = <0>;
                #address-cells = <1>;
                #size-cells = <0>;
                reset-gpios = <&gpio0 4 1 &gpio0 5 1>;

                phy0: ethernet-phy@1 {
                    compatible = "ethernet-phy-ieee802.3-c22";
                    reg = <1>;
                    interrupts-extended = <&gpio0 0 8>;
                };

                phy1: ethernet-phy@2 {
                    compatible = "ethernet-phy-id001c.c916", "ethernet-phy-ieee802.3-c22";
                    reg = <2>;
                    interrupts-extended = <&gpio0 1 8>;
                };
            };

            sfp0: sfp@0 {
                compatible = "sff,sfp";
                los-gpios = <&gpio0 2 0>;
            };

            ethernet-port@0 {
                compatible = "phy-sim,port";
                reg = <0>;
                label = "eth0";
                phy-handle = <&phy0>;
                phy-mode = "rgmii-id";
                local-mac-address = [02 00 00 00 00 01];
            };

            ethernet-port@1 {
                compatible = "phy-sim,port";
                reg = <1>;
                label = "eth1";
                phy-handle = <&phy1>;
                phy-mode = "sgmii";
                managed = "in-band-status";
                sfp = <&sfp0>;
            };
        };
    };
};
"#
    .replace("TARGET", target_path)
}

/// What `dtc -I dtb -O dts` prints for `build_overlay(&board(), "")`.
const EXPECTED_DTS: &str = r#"/dts-v1/;

/ {

	fragment@0 {
		target-path = "";

		__overlay__ {
			compatible = "phy-sim,board\0simple-bus";
			#address-cells = <0x01>;
			#size-cells = <0x00>;

			gpio@0 {
				compatible = "phy-sim,gpio";
				reg = <0x00>;
				gpio-controller;
				#gpio-cells = <0x02>;
				interrupt-controller;
				#interrupt-cells = <0x02>;
				ngpios = <0x20>;
				gpio-line-names = "phy0-int\0phy1-int\0sfp0-los";
				phandle = <0x01>;
			};

			mdio@0 {
				compatible = "phy-sim,mdio";
				reg = <0x00>;
				#address-cells = <0x01>;
				#size-cells = <0x00>;
				reset-gpios = <0x01 0x04 0x01 0x01 0x05 0x01>;

				ethernet-phy@1 {
					compatible = "ethernet-phy-ieee802.3-c22";
					reg = <0x01>;
					interrupts-extended = <0x01 0x00 0x08>;
					phandle = <0x02>;
				};

				ethernet-phy@2 {
					compatible = "ethernet-phy-id001c.c916\0ethernet-phy-ieee802.3-c22";
					reg = <0x02>;
					interrupts-extended = <0x01 0x01 0x08>;
					phandle = <0x03>;
				};
			};

			sfp@0 {
				compatible = "sff,sfp";
				los-gpios = <0x01 0x02 0x00>;
				phandle = <0x04>;
			};

			ethernet-port@0 {
				compatible = "phy-sim,port";
				reg = <0x00>;
				label = "eth0";
				phy-handle = <0x02>;
				phy-mode = "rgmii-id";
				local-mac-address = [02 00 00 00 00 01];
			};

			ethernet-port@1 {
				compatible = "phy-sim,port";
				reg = <0x01>;
				label = "eth1";
				phy-handle = <0x03>;
				phy-mode = "sgmii";
				managed = "in-band-status";
				sfp = <0x04>;
			};
		};
	};

	__local_fixups__ {

		fragment@0 {

			__overlay__ {

				mdio@0 {
					reset-gpios = <0x00 0x0c>;

					ethernet-phy@1 {
						interrupts-extended = <0x00>;
					};

					ethernet-phy@2 {
						interrupts-extended = <0x00>;
					};
				};

				sfp@0 {
					los-gpios = <0x00>;
				};

				ethernet-port@0 {
					phy-handle = <0x00>;
				};

				ethernet-port@1 {
					phy-handle = <0x00>;
					sfp = <0x00>;
				};
			};
		};
	};
};
"#;

/// Scratch directory for files the tools read and write.
fn scratch(test: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("overlay-{test}"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs a device-tree-compiler tool and returns its stdout; panics with a clear message if the
/// tool is missing or fails.
fn run(tool: &str, args: &[&str]) -> Vec<u8> {
    let output = Command::new(tool)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run `{tool}` ({e}): these tests need the device-tree-compiler package \
                 (dtc, fdtoverlay, fdtget) installed and on PATH"
            )
        });
    assert!(
        output.status.success(),
        "`{tool} {}` failed: {}\n{}",
        args.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn write(dir: &std::path::Path, name: &str, contents: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.to_str().unwrap().to_string()
}

/// `dtc -I dtb -O dts`, with dtc-version noise normalised: dtc 1.6 prints an empty string
/// property as `[00]`.
fn decompile(dir: &std::path::Path, name: &str, blob: &[u8]) -> String {
    let path = write(dir, name, blob);
    let dts = run("dtc", &["-q", "-I", "dtb", "-O", "dts", &path]);
    String::from_utf8(dts)
        .unwrap()
        .replace("target-path = [00];", "target-path = \"\";")
}

fn compile(dir: &std::path::Path, name: &str, dts: &str, symbols: bool) -> Vec<u8> {
    let path = write(dir, name, dts.as_bytes());
    let mut args = vec!["-q", "-I", "dts", "-O", "dtb"];
    if symbols {
        args.push("-@");
    }
    args.push(&path);
    run("dtc", &args)
}

/// Decompiled DTS without the top-level node `name` (and the blank line before it).
fn without_node(dts: &str, name: &str) -> String {
    let open = format!("\n\n\t{name} {{\n");
    let Some(start) = dts.find(&open) else {
        return dts.to_string();
    };
    let end = start + dts[start..].find("\n\t};\n").expect("unterminated node") + "\n\t};".len();
    format!("{}{}", &dts[..start], &dts[end..])
}

/// The top-level node `name` of decompiled DTS.
fn node_text<'a>(dts: &'a str, name: &str) -> &'a str {
    let start = dts
        .find(&format!("\n\t{name} {{\n"))
        .unwrap_or_else(|| panic!("no /{name} in\n{dts}"));
    let end = start + dts[start..].find("\n\t};\n").unwrap();
    &dts[start..end]
}

#[test]
fn decompiles_to_expected_dts() {
    let dir = scratch("decompile");
    let blob = build_overlay(&board(), "").unwrap();
    let dts = decompile(&dir, "board.dtbo", &blob);
    assert_eq!(dts, EXPECTED_DTS, "decompiled overlay:\n{dts}");
    assert!(!dts.contains("__symbols__") && !dts.contains("__fixups__"));
}

#[test]
fn identical_to_dtc_plugin_output() {
    let dir = scratch("dtc-plugin");
    for target in ["", "/board"] {
        let ours = build_overlay(&board(), target).unwrap();
        // Without -@, dtc emits __local_fixups__ (it is a /plugin/) but no __symbols__:
        // the blobs should be byte for byte the same.
        let dtc = compile(&dir, "board.dts", &board_dts(target), false);
        assert!(
            ours == dtc,
            "blob differs from dtc's for target {target:?}:\nours:\n{}\ndtc:\n{}",
            decompile(&dir, "ours.dtbo", &ours),
            decompile(&dir, "dtc.dtbo", &dtc)
        );
    }
}

#[test]
fn local_fixups_match_dtc_with_symbols() {
    let dir = scratch("dtc-symbols");
    let ours = decompile(&dir, "ours.dtbo", &build_overlay(&board(), "").unwrap());
    // With -@ dtc also gives every labelled node a phandle, referenced or not, so that
    // __symbols__ can export it; drop the one label nothing references (`mdio0`).
    let dts = board_dts("").replace("mdio0: mdio@0", "mdio@0");
    let dtc_blob = compile(&dir, "board.dts", &dts, true);
    let dtc = decompile(&dir, "dtc.dtbo", &dtc_blob);

    assert!(
        dtc.contains("\t__symbols__ {"),
        "dtc -@ made no __symbols__:\n{dtc}"
    );
    assert_eq!(
        node_text(&ours, "__local_fixups__"),
        node_text(&dtc, "__local_fixups__")
    );
    // Everything else (phandle numbering included) matches too, once __symbols__ is removed.
    assert_eq!(ours, without_node(&dtc, "__symbols__"));
}

const BASE_DTS: &str = r#"/dts-v1/;

/ {
    #address-cells = <1>;
    #size-cells = <1>;

    intc: interrupt-controller {
        interrupt-controller;
        #interrupt-cells = <2>;
    };

    clk: clock {
        #clock-cells = <0>;
    };

    board {
        interrupt-parent = <&intc>;
        clocks = <&clk>;
    };
};
"#;

fn fdtget_u32s(dtb: &str, node: &str, prop: &str) -> Vec<u32> {
    let out = String::from_utf8(run("fdtget", &["-t", "u", dtb, node, prop])).unwrap();
    out.split_whitespace().map(|v| v.parse().unwrap()).collect()
}

fn fdtget_str(dtb: &str, node: &str, prop: &str) -> String {
    let out = String::from_utf8(run("fdtget", &["-t", "s", dtb, node, prop])).unwrap();
    out.trim_end().to_string()
}

#[test]
fn fdtoverlay_applies_and_resolves_phandles() {
    let dir = scratch("fdtoverlay");
    let base_blob = compile(&dir, "base.dts", BASE_DTS, false);
    let base = write(&dir, "base.dtb", &base_blob);
    let overlay = write(
        &dir,
        "board.dtbo",
        &build_overlay(&board(), "/board").unwrap(),
    );
    let merged = dir.join("merged.dtb").to_str().unwrap().to_string();
    run("fdtoverlay", &["-i", &base, "-o", &merged, &overlay]);

    let phandle = |node: &str| {
        let v = fdtget_u32s(&merged, node, "phandle");
        assert_eq!(v.len(), 1, "{node}");
        v[0]
    };
    let intc = phandle("/interrupt-controller");
    let clk = phandle("/clock");
    let gpio = phandle("/board/gpio@0");
    let phy0 = phandle("/board/mdio@0/ethernet-phy@1");
    let phy1 = phandle("/board/mdio@0/ethernet-phy@2");
    let sfp = phandle("/board/sfp@0");

    // The overlay's phandles were renumbered past the base's (1 and 2), and stay unique.
    let mut all = vec![intc, clk, gpio, phy0, phy1, sfp];
    assert_eq!(&all[..2], &[1, 2]);
    assert!(gpio > 2 && phy0 > 2 && phy1 > 2 && sfp > 2, "{all:?}");
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 6, "phandles not unique");

    // Every reference cell was moved by the same delta as the node it points at.
    let get = |node: &str, prop: &str| fdtget_u32s(&merged, node, prop);
    assert_eq!(
        get("/board/mdio@0", "reset-gpios"),
        [gpio, 4, 1, gpio, 5, 1]
    );
    assert_eq!(
        get("/board/mdio@0/ethernet-phy@1", "interrupts-extended"),
        [gpio, 0, 8]
    );
    assert_eq!(
        get("/board/mdio@0/ethernet-phy@2", "interrupts-extended"),
        [gpio, 1, 8]
    );
    assert_eq!(get("/board/sfp@0", "los-gpios"), [gpio, 2, 0]);
    assert_eq!(get("/board/ethernet-port@0", "phy-handle"), [phy0]);
    assert_eq!(get("/board/ethernet-port@1", "phy-handle"), [phy1]);
    assert_eq!(get("/board/ethernet-port@1", "sfp"), [sfp]);
    // Non-reference cells and the base's own references are untouched.
    assert_eq!(get("/board/gpio@0", "ngpios"), [32]);
    assert_eq!(get("/board", "interrupt-parent"), [intc]);
    assert_eq!(get("/board", "clocks"), [clk]);

    // The overlay root's properties landed on the target node.
    assert_eq!(
        fdtget_str(&merged, "/board", "compatible"),
        "phy-sim,board simple-bus"
    );
    assert_eq!(
        fdtget_str(&merged, "/board/ethernet-port@1", "label"),
        "eth1"
    );
    assert_eq!(get("/board", "#size-cells"), [0]);
}

#[test]
fn errors_name_the_culprit() {
    let unknown = board().child(
        Node::new("ethernet-port@2").prop_cells("phy-handle", vec![Cell::Ref("phy7".into())]),
    );
    let msg = build_overlay(&unknown, "").unwrap_err().to_string();
    assert!(
        msg.contains("`phy7`") && msg.contains("`phy-handle`") && msg.contains("/ethernet-port@2"),
        "{msg}"
    );

    let mut duplicate = board();
    duplicate.children[1].children[1].label = Some("phy0".into());
    let msg = build_overlay(&duplicate, "").unwrap_err().to_string();
    assert!(
        msg.contains("`phy0`")
            && msg.contains("/mdio@0/ethernet-phy@1")
            && msg.contains("/mdio@0/ethernet-phy@2"),
        "{msg}"
    );
}
