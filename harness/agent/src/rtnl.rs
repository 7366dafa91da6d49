//! rtnetlink: RTM_GETLINK / RTM_NEWLINK requests and link message decoding.
//!
//! Constants are from `include/uapi/linux/rtnetlink.h`, `if_link.h` and `if.h`.

use crate::error::DecodeError;
use crate::netlink::{attrs, get_str, get_u8, MsgBuilder, NLM_F_ACK, NLM_F_REQUEST};

pub const RTM_NEWLINK: u16 = 16;
pub const RTM_DELLINK: u16 = 17;
pub const RTM_GETLINK: u16 = 18;

/// `enum rtnetlink_groups`
pub const RTNLGRP_LINK: u32 = 1;

pub const IFLA_IFNAME: u16 = 3;
pub const IFLA_OPERSTATE: u16 = 16;
pub const IFLA_EXT_MASK: u16 = 29;
pub const IFLA_CARRIER: u16 = 33;

pub const RTEXT_FILTER_SKIP_STATS: u32 = 1 << 3;

pub const IFF_UP: u32 = 1;

/// sizeof(struct ifinfomsg)
pub const IFINFOMSG_LEN: usize = 16;

/// `struct ifinfomsg` (AF_UNSPEC, type 0).
fn ifinfomsg(index: i32, flags: u32, change: u32) -> [u8; IFINFOMSG_LEN] {
    let mut h = [0u8; IFINFOMSG_LEN];
    // ifi_family = AF_UNSPEC (0), pad, ifi_type = 0
    h[4..8].copy_from_slice(&index.to_ne_bytes());
    h[8..12].copy_from_slice(&flags.to_ne_bytes());
    h[12..16].copy_from_slice(&change.to_ne_bytes());
    h
}

/// RTM_GETLINK for one interface by name (a "doit", not a dump).
pub fn getlink_by_name(seq: u32, name: &str) -> Vec<u8> {
    MsgBuilder::new(RTM_GETLINK, NLM_F_REQUEST, seq)
        .header(&ifinfomsg(0, 0, 0))
        .attr_str(IFLA_IFNAME, name)
        .attr_u32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS)
        .finish()
}

/// RTM_GETLINK for one interface by index.
pub fn getlink_by_index(seq: u32, index: i32) -> Vec<u8> {
    MsgBuilder::new(RTM_GETLINK, NLM_F_REQUEST, seq)
        .header(&ifinfomsg(index, 0, 0))
        .attr_u32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS)
        .finish()
}

/// RTM_NEWLINK setting IFF_UP on an existing interface (what `ip link set dev X up` does).
pub fn setlink_up(seq: u32, index: i32) -> Vec<u8> {
    MsgBuilder::new(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, seq)
        .header(&ifinfomsg(index, IFF_UP, IFF_UP))
        .finish()
}

/// What the agent reads out of an RTM_NEWLINK message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkMsg {
    /// ifi_family: AF_UNSPEC (0) for the generic link messages the agent follows.
    pub family: u8,
    pub index: i32,
    pub name: Option<String>,
    pub admin_up: bool,
    pub carrier: Option<bool>,
    pub operstate: Option<u8>,
}

/// Decodes the payload (after the nlmsghdr) of an RTM_NEWLINK/RTM_DELLINK message.
pub fn parse_link(payload: &[u8]) -> Result<LinkMsg, DecodeError> {
    if payload.len() < IFINFOMSG_LEN {
        return Err(DecodeError("ifinfomsg too short"));
    }
    let index = i32::from_ne_bytes([payload[4], payload[5], payload[6], payload[7]]);
    let flags = u32::from_ne_bytes([payload[8], payload[9], payload[10], payload[11]]);
    let mut link = LinkMsg {
        family: payload[0],
        index,
        name: None,
        admin_up: flags & IFF_UP != 0,
        carrier: None,
        operstate: None,
    };
    for a in attrs(&payload[IFINFOMSG_LEN..]) {
        let (ty, data) = a?;
        match ty {
            IFLA_IFNAME => link.name = Some(get_str(data)),
            IFLA_OPERSTATE => link.operstate = Some(get_u8(data)?),
            IFLA_CARRIER => link.carrier = Some(get_u8(data)? != 0),
            _ => {}
        }
    }
    Ok(link)
}

/// `enum if_oper_state` (RFC 2863) to the names sysfs `operstate` uses.
pub fn operstate_name(state: u8) -> &'static str {
    match state {
        0 => "unknown",
        1 => "notpresent",
        2 => "down",
        3 => "lowerlayerdown",
        4 => "testing",
        5 => "dormant",
        6 => "up",
        _ => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::{get_u32, parse_msgs, NLA_HDRLEN};

    #[test]
    fn getlink_by_name_encoding() {
        let m = getlink_by_name(3, "eth0");
        let msgs = parse_msgs(&m).unwrap();
        assert_eq!(msgs.len(), 1);
        assert_eq!(msgs[0].ty, RTM_GETLINK);
        assert_eq!(msgs[0].flags, NLM_F_REQUEST);
        assert_eq!(msgs[0].seq, 3);
        let p = msgs[0].payload;
        assert_eq!(&p[..IFINFOMSG_LEN], &[0u8; IFINFOMSG_LEN]);
        let a: Vec<_> = attrs(&p[IFINFOMSG_LEN..])
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(a[0], (IFLA_IFNAME, &b"eth0\0"[..]));
        assert_eq!(a[1].0, IFLA_EXT_MASK);
        assert_eq!(get_u32(a[1].1).unwrap(), RTEXT_FILTER_SKIP_STATS);
    }

    #[test]
    fn setlink_up_encoding() {
        let m = setlink_up(9, 4);
        let msgs = parse_msgs(&m).unwrap();
        assert_eq!(msgs[0].ty, RTM_NEWLINK);
        assert_eq!(msgs[0].flags, NLM_F_REQUEST | NLM_F_ACK);
        let p = msgs[0].payload;
        assert_eq!(p.len(), IFINFOMSG_LEN);
        assert_eq!(i32::from_ne_bytes(p[4..8].try_into().unwrap()), 4);
        assert_eq!(u32::from_ne_bytes(p[8..12].try_into().unwrap()), IFF_UP);
        assert_eq!(u32::from_ne_bytes(p[12..16].try_into().unwrap()), IFF_UP);
    }

    #[test]
    fn getlink_by_index_encoding() {
        let m = getlink_by_index(1, 7);
        let msgs = parse_msgs(&m).unwrap();
        let p = msgs[0].payload;
        assert_eq!(i32::from_ne_bytes(p[4..8].try_into().unwrap()), 7);
        assert_eq!(p.len(), IFINFOMSG_LEN + NLA_HDRLEN + 4);
    }

    #[test]
    fn parse_newlink() {
        // As the kernel sends it: ifinfomsg (ARPHRD_ETHER, index 2, UP|BROADCAST|RUNNING|
        // MULTICAST|LOWER_UP), IFNAME, MTU, OPERSTATE, CARRIER.
        let mut hdr = [0u8; IFINFOMSG_LEN];
        hdr[2..4].copy_from_slice(&1u16.to_ne_bytes());
        hdr[4..8].copy_from_slice(&2i32.to_ne_bytes());
        hdr[8..12].copy_from_slice(&0x11043u32.to_ne_bytes());
        let m = MsgBuilder::new(RTM_NEWLINK, 0, 0)
            .header(&hdr)
            .attr_str(IFLA_IFNAME, "eth0")
            .attr_u32(4, 1500)
            .attr_u8(IFLA_OPERSTATE, 6)
            .attr_u8(IFLA_CARRIER, 1)
            .finish();
        let msgs = parse_msgs(&m).unwrap();
        let l = parse_link(msgs[0].payload).unwrap();
        assert_eq!(
            l,
            LinkMsg {
                family: 0,
                index: 2,
                name: Some("eth0".into()),
                admin_up: true,
                carrier: Some(true),
                operstate: Some(6),
            }
        );
        assert_eq!(operstate_name(l.operstate.unwrap()), "up");

        hdr[8..12].copy_from_slice(&0x1002u32.to_ne_bytes()); // BROADCAST|MULTICAST, down
        let m = MsgBuilder::new(RTM_NEWLINK, 0, 0)
            .header(&hdr)
            .attr_u8(IFLA_OPERSTATE, 2)
            .attr_u8(IFLA_CARRIER, 0)
            .finish();
        let l = parse_link(parse_msgs(&m).unwrap()[0].payload).unwrap();
        assert!(!l.admin_up);
        assert_eq!(l.carrier, Some(false));
        assert_eq!(operstate_name(l.operstate.unwrap()), "down");
        assert!(parse_link(&hdr[..8]).is_err());
    }

    #[test]
    fn operstate_names() {
        let names: Vec<_> = (0..=7).map(operstate_name).collect();
        assert_eq!(
            names,
            [
                "unknown",
                "notpresent",
                "down",
                "lowerlayerdown",
                "testing",
                "dormant",
                "up",
                "unknown"
            ]
        );
    }
}
