//! The plan's `link_settings` and `eee` actions (PROTOCOL.md): one ETHTOOL_MSG_LINKMODES_SET
//! or ETHTOOL_MSG_EEE_SET each, answered by an `action_done` message.
//!
//! The kernel handles a netlink request inside the sender's sendmsg(), under rtnl, and the
//! PHY driver restarts autonegotiation there over MDIO. So each request runs on a thread of
//! its own, and the event loop, not the thread, bounds the wait: a thread blocked in the
//! kernel cannot time itself out.
//!
//! Constants are from `ethtool_netlink_generated.h` and `ethtool.h` of Linux 7.3; the
//! attributes are the ones net/ethtool/linkmodes.c and eee.c accept.

use std::sync::OnceLock;
use std::time::Duration;

use phy_sim_protocol::{Duplex, LinkSettings, MasterSlaveCfg, SettingAction};

use crate::actions::{kernel_error, TIMED_OUT};
use crate::error::Error;
use crate::ethtool::{
    genl_header, DUPLEX_FULL, DUPLEX_HALF, ETHTOOL_A_EEE_ENABLED, ETHTOOL_A_EEE_HEADER,
    ETHTOOL_A_HEADER_DEV_NAME, ETHTOOL_A_LINKMODES_AUTONEG, ETHTOOL_A_LINKMODES_DUPLEX,
    ETHTOOL_A_LINKMODES_HEADER, ETHTOOL_A_LINKMODES_MASTER_SLAVE_CFG, ETHTOOL_A_LINKMODES_SPEED,
    ETHTOOL_GENL_VERSION,
};
use crate::netlink::{MsgBuilder, NlSocket, Reply, NETLINK_GENERIC, NLM_F_ACK, NLM_F_REQUEST};
use crate::sys::monotonic_ns;

pub const ETHTOOL_MSG_LINKMODES_SET: u8 = 5;
pub const ETHTOOL_MSG_EEE_SET: u8 = 24;

pub const ETHTOOL_A_LINKMODES_OURS: u16 = 3;

pub const ETHTOOL_A_BITSET_NOMASK: u16 = 1;
pub const ETHTOOL_A_BITSET_BITS: u16 = 3;
pub const ETHTOOL_A_BITSET_BITS_BIT: u16 = 1;
pub const ETHTOOL_A_BITSET_BIT_NAME: u16 = 2;

pub const AUTONEG_DISABLE: u8 = 0;
pub const AUTONEG_ENABLE: u8 = 1;
pub const MASTER_SLAVE_CFG_MASTER_PREFERRED: u8 = 2;
pub const MASTER_SLAVE_CFG_SLAVE_PREFERRED: u8 = 3;
pub const MASTER_SLAVE_CFG_MASTER_FORCE: u8 = 4;
pub const MASTER_SLAVE_CFG_SLAVE_FORCE: u8 = 5;

/// How long after the event loop started an action it waits for the kernel's reply (guest
/// time).
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// What a `link_settings` or `eee` action sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    LinkModes(LinkSettings),
    Eee { enabled: bool },
}

impl Setting {
    /// The `action` of its `action_done` message.
    pub fn action(&self) -> SettingAction {
        match self {
            Setting::LinkModes(_) => SettingAction::LinkSettings,
            Setting::Eee { .. } => SettingAction::Eee,
        }
    }
}

fn master_slave_cfg(cfg: MasterSlaveCfg) -> u8 {
    match cfg {
        MasterSlaveCfg::PreferredMaster => MASTER_SLAVE_CFG_MASTER_PREFERRED,
        MasterSlaveCfg::PreferredSlave => MASTER_SLAVE_CFG_SLAVE_PREFERRED,
        MasterSlaveCfg::ForcedMaster => MASTER_SLAVE_CFG_MASTER_FORCE,
        MasterSlaveCfg::ForcedSlave => MASTER_SLAVE_CFG_SLAVE_FORCE,
    }
}

/// The SET request for `setting` on the interface named `ifname`, with NLM_F_ACK (a SET has
/// no data reply). A LINKMODES_SET holds only the attributes the action set, so the kernel
/// keeps everything else as it is.
pub fn request(family: u16, seq: u32, ifname: &str, setting: &Setting) -> Vec<u8> {
    let (cmd, header) = match setting {
        Setting::LinkModes(_) => (ETHTOOL_MSG_LINKMODES_SET, ETHTOOL_A_LINKMODES_HEADER),
        Setting::Eee { .. } => (ETHTOOL_MSG_EEE_SET, ETHTOOL_A_EEE_HEADER),
    };
    let mut b = MsgBuilder::new(family, NLM_F_REQUEST | NLM_F_ACK, seq)
        .header(&genl_header(cmd, ETHTOOL_GENL_VERSION))
        .begin_nest(header)
        .attr_str(ETHTOOL_A_HEADER_DEV_NAME, ifname)
        .end_nest();
    match setting {
        Setting::LinkModes(s) => {
            if let Some(on) = s.autoneg {
                let v = if on { AUTONEG_ENABLE } else { AUTONEG_DISABLE };
                b = b.attr_u8(ETHTOOL_A_LINKMODES_AUTONEG, v);
            }
            if let Some(modes) = &s.advertise {
                // A bit list with NOMASK sets exactly the listed bits and clears the rest.
                // Names, not indices: the kernel resolves them in its own link_mode_names,
                // so the agent needs no copy of a table that grows with every kernel. The
                // BITS nest is there even when empty: without it the kernel takes the
                // bitset for a compact one and wants SIZE and VALUE.
                b = b
                    .begin_nest(ETHTOOL_A_LINKMODES_OURS)
                    .attr(ETHTOOL_A_BITSET_NOMASK, &[])
                    .begin_nest(ETHTOOL_A_BITSET_BITS);
                for name in modes {
                    b = b
                        .begin_nest(ETHTOOL_A_BITSET_BITS_BIT)
                        .attr_str(ETHTOOL_A_BITSET_BIT_NAME, name)
                        .end_nest();
                }
                b = b.end_nest().end_nest();
            }
            if let Some(speed) = s.speed {
                b = b.attr_u32(ETHTOOL_A_LINKMODES_SPEED, speed);
            }
            if let Some(d) = s.duplex {
                let v = match d {
                    Duplex::Half => DUPLEX_HALF,
                    Duplex::Full => DUPLEX_FULL,
                };
                b = b.attr_u8(ETHTOOL_A_LINKMODES_DUPLEX, v);
            }
            if let Some(cfg) = s.master_slave {
                b = b.attr_u8(ETHTOOL_A_LINKMODES_MASTER_SLAVE_CFG, master_slave_cfg(cfg));
            }
        }
        Setting::Eee { enabled } => b = b.attr_u8(ETHTOOL_A_EEE_ENABLED, u8::from(*enabled)),
    }
    b.finish()
}

/// How a request ended: when, and the `error` of its `action_done` message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    pub t: u64,
    pub error: Option<String>,
}

/// Sends one request and waits for the kernel's answer (on a worker thread). `requested_t`
/// is set when the request goes out.
pub fn run(family: u16, ifname: &str, setting: &Setting, requested_t: &OnceLock<u64>) -> Done {
    let error = send(family, ifname, setting, requested_t).err();
    Done {
        t: monotonic_ns(),
        error,
    }
}

fn send(
    family: u16,
    ifname: &str,
    setting: &Setting,
    requested_t: &OnceLock<u64>,
) -> Result<(), String> {
    let what = match setting {
        Setting::LinkModes(_) => "ETHTOOL_MSG_LINKMODES_SET",
        Setting::Eee { .. } => "ETHTOOL_MSG_EEE_SET",
    };
    let mut sock = NlSocket::request(NETLINK_GENERIC, TIMEOUT).map_err(|e| e.to_string())?;
    let seq = sock.next_seq();
    let msg = request(family, seq, ifname, setting);
    requested_t.get_or_init(monotonic_ns);
    match sock.transact(seq, &msg, what) {
        Ok(Reply::Ack) => Ok(()),
        Ok(Reply::Errno { errno, ext_ack }) => Err(kernel_error(errno, ext_ack.as_deref())),
        Ok(Reply::Data { .. }) => Err(format!("{what}: data instead of an ACK")),
        Err(Error::Timeout(_)) => Err(TIMED_OUT.into()),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::{parse_msgs, NLA_F_NESTED};

    const FAMILY: u16 = 21;

    /// The message as it goes on the wire, checked by hand against the layout of
    /// include/uapi/linux/netlink.h (nlmsghdr, nlattr: u16 len, u16 type, 4-byte aligned).
    fn wire(setting: &Setting) -> Vec<u8> {
        let m = request(FAMILY, 0x0102_0304, "eth0", setting);
        let msgs = parse_msgs(&m).unwrap();
        assert_eq!(msgs.len(), 1);
        assert_eq!(msgs[0].ty, FAMILY);
        assert_eq!(msgs[0].flags, NLM_F_REQUEST | NLM_F_ACK);
        assert_eq!(msgs[0].seq, 0x0102_0304);
        m
    }

    fn ne16(v: u16) -> [u8; 2] {
        v.to_ne_bytes()
    }

    /// nlmsghdr (len, type 21, flags REQUEST|ACK, seq, pid 0), genlmsghdr (cmd, version 1),
    /// then the header nest with DEV_NAME "eth0".
    fn head(len: u32, cmd: u8) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&len.to_ne_bytes());
        v.extend_from_slice(&ne16(FAMILY));
        v.extend_from_slice(&ne16(NLM_F_REQUEST | NLM_F_ACK));
        v.extend_from_slice(&0x0102_0304u32.to_ne_bytes());
        v.extend_from_slice(&0u32.to_ne_bytes());
        v.extend_from_slice(&[cmd, 1, 0, 0]);
        // header nest: 4 + (4 + 5 "eth0\0" + 3 padding) = 16
        v.extend_from_slice(&ne16(16));
        v.extend_from_slice(&ne16(1 | NLA_F_NESTED));
        v.extend_from_slice(&ne16(9));
        v.extend_from_slice(&ne16(ETHTOOL_A_HEADER_DEV_NAME));
        v.extend_from_slice(b"eth0\0\0\0\0");
        v
    }

    fn attr(v: &mut Vec<u8>, len: u16, ty: u16, payload: &[u8]) {
        v.extend_from_slice(&ne16(len));
        v.extend_from_slice(&ne16(ty));
        v.extend_from_slice(payload);
    }

    #[test]
    fn linkmodes_set_with_every_attribute() {
        let s = Setting::LinkModes(LinkSettings {
            autoneg: Some(true),
            speed: Some(1000),
            duplex: Some(Duplex::Full),
            advertise: Some(vec!["1000baseT/Full".into(), "10baseT/Half".into()]),
            master_slave: Some(MasterSlaveCfg::ForcedSlave),
        });
        let m = wire(&s);
        // OURS: 4 + NOMASK 4 + BITS (4 + BIT (4 + NAME 4+15 -> 20) = 24
        //                              + BIT (4 + NAME 4+13 -> 20) = 24) = 52  -> 60
        let mut want = head(16 + 4 + 16 + 8 + 60 + 8 + 8 + 8, ETHTOOL_MSG_LINKMODES_SET);
        attr(&mut want, 5, 2, &[1, 0, 0, 0]); // AUTONEG = AUTONEG_ENABLE
        attr(&mut want, 60, 3 | NLA_F_NESTED, &[]); // OURS
        attr(&mut want, 4, 1, &[]); // NOMASK (flag)
        attr(&mut want, 52, 3 | NLA_F_NESTED, &[]); // BITS
        attr(&mut want, 24, 1 | NLA_F_NESTED, &[]); // BIT
        attr(&mut want, 19, 2, b"1000baseT/Full\0\0"); // NAME
        attr(&mut want, 24, 1 | NLA_F_NESTED, &[]); // BIT
        attr(&mut want, 17, 2, b"10baseT/Half\0\0\0\0"); // NAME
        attr(&mut want, 8, 5, &1000u32.to_ne_bytes()); // SPEED
        attr(&mut want, 5, 6, &[1, 0, 0, 0]); // DUPLEX = DUPLEX_FULL
        attr(&mut want, 5, 7, &[5, 0, 0, 0]); // MASTER_SLAVE_CFG = MASTER_SLAVE_CFG_SLAVE_FORCE
        assert_eq!(m, want);
    }

    #[test]
    fn linkmodes_set_with_only_what_is_given() {
        let s = Setting::LinkModes(LinkSettings {
            autoneg: Some(false),
            duplex: Some(Duplex::Half),
            ..LinkSettings::default()
        });
        let mut want = head(16 + 4 + 16 + 8 + 8, ETHTOOL_MSG_LINKMODES_SET);
        attr(&mut want, 5, 2, &[0, 0, 0, 0]); // AUTONEG = AUTONEG_DISABLE
        attr(&mut want, 5, 6, &[0, 0, 0, 0]); // DUPLEX = DUPLEX_HALF
        assert_eq!(wire(&s), want);

        // Nothing set: the header alone (the kernel answers without touching the driver).
        let s = Setting::LinkModes(LinkSettings::default());
        assert_eq!(wire(&s), head(16 + 4 + 16, ETHTOOL_MSG_LINKMODES_SET));

        // Advertise nothing: NOMASK and an empty BITS nest.
        let s = Setting::LinkModes(LinkSettings {
            advertise: Some(vec![]),
            ..LinkSettings::default()
        });
        let mut want = head(16 + 4 + 16 + 12, ETHTOOL_MSG_LINKMODES_SET);
        attr(&mut want, 12, 3 | NLA_F_NESTED, &[]); // OURS
        attr(&mut want, 4, 1, &[]); // NOMASK
        attr(&mut want, 4, 3 | NLA_F_NESTED, &[]); // BITS, empty
        assert_eq!(wire(&s), want);
    }

    #[test]
    fn master_slave_values() {
        let values: Vec<_> = [
            MasterSlaveCfg::PreferredMaster,
            MasterSlaveCfg::PreferredSlave,
            MasterSlaveCfg::ForcedMaster,
            MasterSlaveCfg::ForcedSlave,
        ]
        .into_iter()
        .map(master_slave_cfg)
        .collect();
        assert_eq!(values, [2, 3, 4, 5]);
    }

    #[test]
    fn eee_set() {
        let mut want = head(16 + 4 + 16 + 8, ETHTOOL_MSG_EEE_SET);
        attr(&mut want, 5, 5, &[1, 0, 0, 0]); // ENABLED = 1
        assert_eq!(wire(&Setting::Eee { enabled: true }), want);
        let mut want = head(16 + 4 + 16 + 8, ETHTOOL_MSG_EEE_SET);
        attr(&mut want, 5, 5, &[0, 0, 0, 0]); // ENABLED = 0
        assert_eq!(wire(&Setting::Eee { enabled: false }), want);
    }

    #[test]
    fn refused_request() {
        // No genl family has this id (ids are handed out from 0x10 up): the kernel refuses
        // the request before any driver sees it.
        let requested_t = OnceLock::new();
        let before = monotonic_ns();
        let d = run(0xfff0, "lo", &Setting::Eee { enabled: true }, &requested_t);
        assert_eq!(d.error.as_deref(), Some("ENOENT"));
        let sent = *requested_t.get().unwrap();
        assert!(before <= sent && sent <= d.t);
    }

    #[test]
    fn action_names() {
        assert_eq!(
            Setting::LinkModes(LinkSettings::default()).action(),
            SettingAction::LinkSettings
        );
        assert_eq!(Setting::Eee { enabled: false }.action(), SettingAction::Eee);
    }
}
