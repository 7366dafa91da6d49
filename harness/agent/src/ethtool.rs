//! Generic netlink family resolution and the ethtool netlink GET requests the agent uses
//! (the cable test actions are in `cabletest`).
//!
//! Constants are from `include/uapi/linux/genetlink.h`, `ethtool_netlink_generated.h` and
//! `ethtool.h` of Linux 7.3.

use phy_sim_protocol::Duplex;

use crate::error::DecodeError;
use crate::netlink::{attrs, get_str, get_u16, get_u32, get_u8, MsgBuilder, NLM_F_REQUEST};

/// sizeof(struct genlmsghdr)
pub const GENL_HDRLEN: usize = 4;
pub const GENL_ID_CTRL: u16 = 16;
pub const CTRL_CMD_GETFAMILY: u8 = 3;
pub const CTRL_ATTR_FAMILY_ID: u16 = 1;
pub const CTRL_ATTR_FAMILY_NAME: u16 = 2;
pub const CTRL_ATTR_OPS: u16 = 6;
pub const CTRL_ATTR_OP_ID: u16 = 1;
pub const CTRL_ATTR_MCAST_GROUPS: u16 = 7;
pub const CTRL_ATTR_MCAST_GRP_NAME: u16 = 1;
pub const CTRL_ATTR_MCAST_GRP_ID: u16 = 2;

pub const ETHTOOL_GENL_NAME: &str = "ethtool";
pub const ETHTOOL_GENL_VERSION: u8 = 1;
/// The multicast group of every ethtool notification (`ETHTOOL_MCGRP_MONITOR_NAME`).
pub const ETHTOOL_MCGRP_MONITOR_NAME: &str = "monitor";

pub const ETHTOOL_MSG_LINKMODES_GET: u8 = 4;
pub const ETHTOOL_MSG_LINKMODES_GET_REPLY: u8 = 4;
pub const ETHTOOL_MSG_EEE_GET: u8 = 23;
pub const ETHTOOL_MSG_EEE_GET_REPLY: u8 = 24;
pub const ETHTOOL_MSG_PHY_GET: u8 = 45;
pub const ETHTOOL_MSG_PHY_GET_REPLY: u8 = 45;

pub const ETHTOOL_A_HEADER_DEV_INDEX: u16 = 1;
pub const ETHTOOL_A_HEADER_DEV_NAME: u16 = 2;
pub const ETHTOOL_A_HEADER_FLAGS: u16 = 3;
pub const ETHTOOL_FLAG_COMPACT_BITSETS: u32 = 1;

pub const ETHTOOL_A_LINKMODES_HEADER: u16 = 1;
pub const ETHTOOL_A_LINKMODES_AUTONEG: u16 = 2;
pub const ETHTOOL_A_LINKMODES_SPEED: u16 = 5;
pub const ETHTOOL_A_LINKMODES_DUPLEX: u16 = 6;
pub const ETHTOOL_A_LINKMODES_MASTER_SLAVE_CFG: u16 = 7;
pub const ETHTOOL_A_LINKMODES_MASTER_SLAVE_STATE: u16 = 8;

pub const ETHTOOL_A_EEE_HEADER: u16 = 1;
pub const ETHTOOL_A_EEE_ACTIVE: u16 = 4;
pub const ETHTOOL_A_EEE_ENABLED: u16 = 5;

pub const ETHTOOL_A_PHY_HEADER: u16 = 1;
pub const ETHTOOL_A_PHY_DRVNAME: u16 = 3;

/// `SPEED_UNKNOWN` (-1) as the u32 the kernel puts on the wire.
pub const SPEED_UNKNOWN: u32 = u32::MAX;
pub const DUPLEX_HALF: u8 = 0;
pub const DUPLEX_FULL: u8 = 1;

/// `MASTER_SLAVE_CFG_*` of ethtool.h to the names of PROTOCOL.md; `cfg_<N>` for a value this
/// agent does not know.
pub fn master_slave_cfg_name(v: u8) -> String {
    let name = match v {
        0 => "unsupported",
        1 => "unknown",
        2 => "prefer_master",
        3 => "prefer_slave",
        4 => "force_master",
        5 => "force_slave",
        _ => return format!("cfg_{v}"),
    };
    name.to_string()
}

/// `MASTER_SLAVE_STATE_*` of ethtool.h to the names of PROTOCOL.md; `state_<N>` for a value
/// this agent does not know.
pub fn master_slave_state_name(v: u8) -> String {
    let name = match v {
        0 => "unsupported",
        1 => "unknown",
        2 => "master",
        3 => "slave",
        4 => "err",
        _ => return format!("state_{v}"),
    };
    name.to_string()
}

/// A resolved generic netlink family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Family {
    pub id: u16,
    /// The command ids the running kernel implements (CTRL_ATTR_OPS).
    pub ops: Vec<u32>,
    /// The family's multicast groups (CTRL_ATTR_MCAST_GROUPS): name and group id.
    pub mcast_groups: Vec<(String, u32)>,
}

impl Family {
    pub fn supports(&self, cmd: u8) -> bool {
        self.ops.contains(&u32::from(cmd))
    }

    /// The id of the multicast group `name`, to join with NETLINK_ADD_MEMBERSHIP.
    pub fn mcast_group(&self, name: &str) -> Option<u32> {
        self.mcast_groups
            .iter()
            .find(|(n, _)| n == name)
            .map(|&(_, id)| id)
    }
}

pub(crate) fn genl_header(cmd: u8, version: u8) -> [u8; GENL_HDRLEN] {
    [cmd, version, 0, 0]
}

/// CTRL_CMD_GETFAMILY for one family name.
pub fn getfamily(seq: u32, name: &str) -> Vec<u8> {
    MsgBuilder::new(GENL_ID_CTRL, NLM_F_REQUEST, seq)
        .header(&genl_header(CTRL_CMD_GETFAMILY, 2))
        .attr_str(CTRL_ATTR_FAMILY_NAME, name)
        .finish()
}

/// Decodes a CTRL_CMD_NEWFAMILY reply (payload after the nlmsghdr).
pub fn parse_family(payload: &[u8]) -> Result<Family, DecodeError> {
    if payload.len() < GENL_HDRLEN {
        return Err(DecodeError("genlmsghdr too short"));
    }
    let mut id = None;
    let mut ops = Vec::new();
    let mut mcast_groups = Vec::new();
    for a in attrs(&payload[GENL_HDRLEN..]) {
        let (ty, data) = a?;
        match ty {
            CTRL_ATTR_FAMILY_ID => id = Some(get_u16(data)?),
            CTRL_ATTR_OPS => {
                // An array: one nest per op (numbered 1..), each with OP_ID and OP_FLAGS.
                for op in attrs(data) {
                    let (_, op) = op?;
                    for f in attrs(op) {
                        let (fty, fdata) = f?;
                        if fty == CTRL_ATTR_OP_ID {
                            ops.push(get_u32(fdata)?);
                        }
                    }
                }
            }
            CTRL_ATTR_MCAST_GROUPS => {
                // An array as well: one nest per group, each with GRP_NAME and GRP_ID.
                for grp in attrs(data) {
                    let (_, grp) = grp?;
                    let (mut name, mut gid) = (None, None);
                    for f in attrs(grp) {
                        match f? {
                            (CTRL_ATTR_MCAST_GRP_NAME, d) => name = Some(get_str(d)),
                            (CTRL_ATTR_MCAST_GRP_ID, d) => gid = Some(get_u32(d)?),
                            _ => {}
                        }
                    }
                    if let (Some(name), Some(gid)) = (name, gid) {
                        mcast_groups.push((name, gid));
                    }
                }
            }
            _ => {}
        }
    }
    let id = id.ok_or(DecodeError("family reply without CTRL_ATTR_FAMILY_ID"))?;
    Ok(Family {
        id,
        ops,
        mcast_groups,
    })
}

fn ethtool_get(family: u16, seq: u32, cmd: u8, header_attr: u16, ifindex: i32) -> Vec<u8> {
    MsgBuilder::new(family, NLM_F_REQUEST, seq)
        .header(&genl_header(cmd, ETHTOOL_GENL_VERSION))
        .begin_nest(header_attr)
        .attr_u32(ETHTOOL_A_HEADER_DEV_INDEX, ifindex as u32)
        .attr_u32(ETHTOOL_A_HEADER_FLAGS, ETHTOOL_FLAG_COMPACT_BITSETS)
        .end_nest()
        .finish()
}

/// ETHTOOL_MSG_LINKMODES_GET for one device.
pub fn linkmodes_get(family: u16, seq: u32, ifindex: i32) -> Vec<u8> {
    ethtool_get(
        family,
        seq,
        ETHTOOL_MSG_LINKMODES_GET,
        ETHTOOL_A_LINKMODES_HEADER,
        ifindex,
    )
}

/// ETHTOOL_MSG_PHY_GET for one device (its attached PHY, `dev->phydev`).
pub fn phy_get(family: u16, seq: u32, ifindex: i32) -> Vec<u8> {
    ethtool_get(
        family,
        seq,
        ETHTOOL_MSG_PHY_GET,
        ETHTOOL_A_PHY_HEADER,
        ifindex,
    )
}

/// ETHTOOL_MSG_EEE_GET for one device.
pub fn eee_get(family: u16, seq: u32, ifindex: i32) -> Vec<u8> {
    ethtool_get(
        family,
        seq,
        ETHTOOL_MSG_EEE_GET,
        ETHTOOL_A_EEE_HEADER,
        ifindex,
    )
}

/// What the agent reads from a LINKMODES reply; `None` where unknown or absent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkModes {
    /// Mb/s
    pub speed: Option<u32>,
    pub duplex: Option<Duplex>,
    pub autoneg: Option<bool>,
    /// `MASTER_SLAVE_CFG_*`; the kernel leaves the attribute out for UNSUPPORTED.
    pub master_slave_cfg: Option<u8>,
    /// `MASTER_SLAVE_STATE_*`; left out for UNSUPPORTED as well.
    pub master_slave_state: Option<u8>,
}

/// EEE state from an EEE_GET reply; `None` where absent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Eee {
    pub active: Option<bool>,
    pub enabled: Option<bool>,
}

/// The attributes after the genlmsghdr of a genl message's payload.
pub(crate) fn check_genl_len(payload: &[u8]) -> Result<&[u8], DecodeError> {
    payload
        .get(GENL_HDRLEN..)
        .ok_or(DecodeError("genlmsghdr too short"))
}

fn check_cmd(payload: &[u8], cmd: u8) -> Result<&[u8], DecodeError> {
    let body = check_genl_len(payload)?;
    if payload[0] != cmd {
        return Err(DecodeError("unexpected genl command in reply"));
    }
    Ok(body)
}

/// Decodes an ETHTOOL_MSG_LINKMODES_GET_REPLY (payload after the nlmsghdr).
pub fn parse_linkmodes(payload: &[u8]) -> Result<LinkModes, DecodeError> {
    let body = check_cmd(payload, ETHTOOL_MSG_LINKMODES_GET_REPLY)?;
    let mut lm = LinkModes::default();
    for a in attrs(body) {
        let (ty, data) = a?;
        match ty {
            ETHTOOL_A_LINKMODES_AUTONEG => lm.autoneg = Some(get_u8(data)? != 0),
            ETHTOOL_A_LINKMODES_SPEED => {
                let s = get_u32(data)?;
                // SPEED_UNKNOWN is -1; anything above INT_MAX is invalid as well.
                lm.speed = (s != SPEED_UNKNOWN && s <= i32::MAX as u32).then_some(s);
            }
            ETHTOOL_A_LINKMODES_DUPLEX => {
                lm.duplex = match get_u8(data)? {
                    DUPLEX_HALF => Some(Duplex::Half),
                    DUPLEX_FULL => Some(Duplex::Full),
                    _ => None, // DUPLEX_UNKNOWN (0xff)
                }
            }
            ETHTOOL_A_LINKMODES_MASTER_SLAVE_CFG => lm.master_slave_cfg = Some(get_u8(data)?),
            ETHTOOL_A_LINKMODES_MASTER_SLAVE_STATE => lm.master_slave_state = Some(get_u8(data)?),
            _ => {}
        }
    }
    Ok(lm)
}

/// Decodes an ETHTOOL_MSG_EEE_GET_REPLY (payload after the nlmsghdr).
pub fn parse_eee(payload: &[u8]) -> Result<Eee, DecodeError> {
    let body = check_cmd(payload, ETHTOOL_MSG_EEE_GET_REPLY)?;
    let mut eee = Eee::default();
    for a in attrs(body) {
        match a? {
            (ETHTOOL_A_EEE_ACTIVE, d) => eee.active = Some(get_u8(d)? != 0),
            (ETHTOOL_A_EEE_ENABLED, d) => eee.enabled = Some(get_u8(d)? != 0),
            _ => {}
        }
    }
    Ok(eee)
}

/// Decodes an ETHTOOL_MSG_PHY_GET_REPLY: the PHY driver's name (`phy_driver.name`), `None`
/// when the PHY has no driver bound.
pub fn parse_phy(payload: &[u8]) -> Result<Option<String>, DecodeError> {
    let body = check_cmd(payload, ETHTOOL_MSG_PHY_GET_REPLY)?;
    let mut drv = None;
    for a in attrs(body) {
        let (ty, data) = a?;
        if ty == ETHTOOL_A_PHY_DRVNAME {
            drv = Some(get_str(data));
        }
    }
    Ok(drv)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::{parse_msgs, NLA_F_NESTED};

    fn body(m: &[u8]) -> (u16, Vec<u8>) {
        let msgs = parse_msgs(m).unwrap();
        assert_eq!(msgs.len(), 1);
        (msgs[0].ty, msgs[0].payload.to_vec())
    }

    #[test]
    fn getfamily_encoding() {
        let (ty, p) = body(&getfamily(1, "ethtool"));
        assert_eq!(ty, GENL_ID_CTRL);
        assert_eq!(&p[..4], &[CTRL_CMD_GETFAMILY, 2, 0, 0]);
        let a: Vec<_> = attrs(&p[4..]).collect::<Result<_, _>>().unwrap();
        assert_eq!(a, vec![(CTRL_ATTR_FAMILY_NAME, &b"ethtool\0"[..])]);
    }

    #[test]
    fn family_reply() {
        let m = MsgBuilder::new(GENL_ID_CTRL, 0, 1)
            .header(&[1, 2, 0, 0]) // CTRL_CMD_NEWFAMILY
            .attr_str(CTRL_ATTR_FAMILY_NAME, "ethtool")
            .attr(CTRL_ATTR_FAMILY_ID, &23u16.to_ne_bytes())
            .attr_u32(3, 1) // VERSION
            .begin_nest(CTRL_ATTR_OPS)
            .begin_nest(1)
            .attr_u32(CTRL_ATTR_OP_ID, 4)
            .attr_u32(2, 0x1a)
            .end_nest()
            .begin_nest(2)
            .attr_u32(CTRL_ATTR_OP_ID, 45)
            .attr_u32(2, 0x1a)
            .end_nest()
            .end_nest()
            .begin_nest(CTRL_ATTR_MCAST_GROUPS)
            .begin_nest(1)
            .attr_u32(CTRL_ATTR_MCAST_GRP_ID, 7)
            .attr_str(CTRL_ATTR_MCAST_GRP_NAME, "monitor")
            .end_nest()
            .end_nest()
            .finish();
        let (_, p) = body(&m);
        let f = parse_family(&p).unwrap();
        assert_eq!(f.id, 23);
        assert_eq!(f.ops, vec![4, 45]);
        assert!(f.supports(ETHTOOL_MSG_PHY_GET));
        assert!(f.supports(ETHTOOL_MSG_LINKMODES_GET));
        assert!(!f.supports(2));
        assert_eq!(f.mcast_group(ETHTOOL_MCGRP_MONITOR_NAME), Some(7));
        assert_eq!(f.mcast_group("other"), None);

        let m = MsgBuilder::new(GENL_ID_CTRL, 0, 1)
            .header(&[1, 2, 0, 0])
            .finish();
        assert!(parse_family(&body(&m).1).is_err());
    }

    #[test]
    fn linkmodes_request_encoding() {
        let (ty, p) = body(&linkmodes_get(23, 5, 3));
        assert_eq!(ty, 23);
        assert_eq!(
            &p[..4],
            &[ETHTOOL_MSG_LINKMODES_GET, ETHTOOL_GENL_VERSION, 0, 0]
        );
        // One nested header attribute with the NLA_F_NESTED flag set on the wire.
        assert_eq!(
            u16::from_ne_bytes([p[6], p[7]]),
            ETHTOOL_A_LINKMODES_HEADER | NLA_F_NESTED
        );
        let a: Vec<_> = attrs(&p[4..]).collect::<Result<_, _>>().unwrap();
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].0, ETHTOOL_A_LINKMODES_HEADER);
        let h: Vec<_> = attrs(a[0].1).collect::<Result<_, _>>().unwrap();
        assert_eq!(h[0].0, ETHTOOL_A_HEADER_DEV_INDEX);
        assert_eq!(get_u32(h[0].1).unwrap(), 3);
        assert_eq!(h[1].0, ETHTOOL_A_HEADER_FLAGS);
        assert_eq!(get_u32(h[1].1).unwrap(), ETHTOOL_FLAG_COMPACT_BITSETS);

        let (_, p) = body(&phy_get(23, 6, 3));
        assert_eq!(p[0], ETHTOOL_MSG_PHY_GET);
        assert_eq!(
            u16::from_ne_bytes([p[6], p[7]]),
            ETHTOOL_A_PHY_HEADER | NLA_F_NESTED
        );

        let (_, p) = body(&eee_get(23, 7, 3));
        assert_eq!(p[0], ETHTOOL_MSG_EEE_GET);
        assert_eq!(
            u16::from_ne_bytes([p[6], p[7]]),
            ETHTOOL_A_EEE_HEADER | NLA_F_NESTED
        );
    }

    fn linkmodes_reply(speed: u32, duplex: u8, autoneg: u8) -> Vec<u8> {
        let m = MsgBuilder::new(23, 0, 5)
            .header(&[ETHTOOL_MSG_LINKMODES_GET_REPLY, 1, 0, 0])
            .begin_nest(ETHTOOL_A_LINKMODES_HEADER)
            .attr_u32(ETHTOOL_A_HEADER_DEV_INDEX, 3)
            .attr_str(2, "eth0")
            .end_nest()
            .attr_u8(ETHTOOL_A_LINKMODES_AUTONEG, autoneg)
            .begin_nest(3) // OURS bitset, ignored
            .attr_u32(2, 100)
            .end_nest()
            .attr_u32(ETHTOOL_A_LINKMODES_SPEED, speed)
            .attr_u8(ETHTOOL_A_LINKMODES_DUPLEX, duplex)
            .attr_u8(11, 0) // RATE_MATCHING
            .finish();
        body(&m).1
    }

    #[test]
    fn linkmodes_reply_decoding() {
        assert_eq!(
            parse_linkmodes(&linkmodes_reply(1000, DUPLEX_FULL, 1)).unwrap(),
            LinkModes {
                speed: Some(1000),
                duplex: Some(Duplex::Full),
                autoneg: Some(true),
                master_slave_cfg: None,
                master_slave_state: None,
            }
        );
        assert_eq!(
            parse_linkmodes(&linkmodes_reply(SPEED_UNKNOWN, 0xff, 0)).unwrap(),
            LinkModes {
                speed: None,
                duplex: None,
                autoneg: Some(false),
                master_slave_cfg: None,
                master_slave_state: None,
            }
        );
        assert_eq!(
            parse_linkmodes(&linkmodes_reply(10, DUPLEX_HALF, 0))
                .unwrap()
                .duplex
                .map(Duplex::as_str),
            Some("half")
        );
        let mut wrong = linkmodes_reply(10, 0, 0);
        wrong[0] = ETHTOOL_MSG_PHY_GET_REPLY;
        assert!(parse_linkmodes(&wrong).is_err());
    }

    #[test]
    fn master_slave_decoding() {
        // As linkmodes_fill_reply() puts them: after DUPLEX and LANES, u8 each.
        let m = MsgBuilder::new(23, 0, 5)
            .header(&[ETHTOOL_MSG_LINKMODES_GET_REPLY, 1, 0, 0])
            .attr_u8(ETHTOOL_A_LINKMODES_AUTONEG, 1)
            .attr_u32(ETHTOOL_A_LINKMODES_SPEED, 1000)
            .attr_u8(ETHTOOL_A_LINKMODES_DUPLEX, DUPLEX_FULL)
            .attr_u32(9, 1) // LANES
            .attr_u8(ETHTOOL_A_LINKMODES_MASTER_SLAVE_CFG, 2)
            .attr_u8(ETHTOOL_A_LINKMODES_MASTER_SLAVE_STATE, 3)
            .finish();
        let lm = parse_linkmodes(&body(&m).1).unwrap();
        assert_eq!(lm.master_slave_cfg, Some(2));
        assert_eq!(lm.master_slave_state, Some(3));
        assert_eq!(master_slave_cfg_name(2), "prefer_master");
        assert_eq!(master_slave_state_name(3), "slave");

        let cfg: Vec<_> = (0..=6).map(master_slave_cfg_name).collect();
        assert_eq!(
            cfg,
            [
                "unsupported",
                "unknown",
                "prefer_master",
                "prefer_slave",
                "force_master",
                "force_slave",
                "cfg_6"
            ]
        );
        let state: Vec<_> = (0..=5).map(master_slave_state_name).collect();
        assert_eq!(
            state,
            [
                "unsupported",
                "unknown",
                "master",
                "slave",
                "err",
                "state_5"
            ]
        );
    }

    #[test]
    fn eee_reply_decoding() {
        // eee_fill_reply(): MODES_OURS, MODES_PEER (bitsets), ACTIVE, ENABLED,
        // TX_LPI_ENABLED, TX_LPI_TIMER.
        let m = MsgBuilder::new(23, 0, 7)
            .header(&[ETHTOOL_MSG_EEE_GET_REPLY, 1, 0, 0])
            .begin_nest(ETHTOOL_A_EEE_HEADER)
            .attr_u32(ETHTOOL_A_HEADER_DEV_INDEX, 3)
            .end_nest()
            .begin_nest(2)
            .attr_u32(2, 100)
            .end_nest()
            .begin_nest(3)
            .attr_u32(2, 100)
            .end_nest()
            .attr_u8(ETHTOOL_A_EEE_ACTIVE, 0)
            .attr_u8(ETHTOOL_A_EEE_ENABLED, 1)
            .attr_u8(6, 1)
            .attr_u32(7, 0)
            .finish();
        assert_eq!(
            parse_eee(&body(&m).1).unwrap(),
            Eee {
                active: Some(false),
                enabled: Some(true),
            }
        );
        let m = MsgBuilder::new(23, 0, 7)
            .header(&[ETHTOOL_MSG_EEE_GET_REPLY, 1, 0, 0])
            .finish();
        assert_eq!(parse_eee(&body(&m).1).unwrap(), Eee::default());
        let m = MsgBuilder::new(23, 0, 7)
            .header(&[ETHTOOL_MSG_LINKMODES_GET_REPLY, 1, 0, 0])
            .finish();
        assert!(parse_eee(&body(&m).1).is_err());
    }

    #[test]
    fn phy_reply_decoding() {
        let m = MsgBuilder::new(23, 0, 6)
            .header(&[ETHTOOL_MSG_PHY_GET_REPLY, 1, 0, 0])
            .begin_nest(ETHTOOL_A_PHY_HEADER)
            .attr_u32(ETHTOOL_A_HEADER_DEV_INDEX, 3)
            .end_nest()
            .attr_u32(2, 1) // PHY_INDEX
            .attr_str(4, "stmmac-0:01") // PHY_NAME
            .attr_u32(5, 1) // UPSTREAM_TYPE
            .attr_str(ETHTOOL_A_PHY_DRVNAME, "Marvell 88E1510")
            .finish();
        assert_eq!(
            parse_phy(&body(&m).1).unwrap().as_deref(),
            Some("Marvell 88E1510")
        );
        let m = MsgBuilder::new(23, 0, 6)
            .header(&[ETHTOOL_MSG_PHY_GET_REPLY, 1, 0, 0])
            .attr_u32(2, 1)
            .finish();
        assert_eq!(parse_phy(&body(&m).1).unwrap(), None);
    }
}
