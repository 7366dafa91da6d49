//! Hand-rolled netlink: message/attribute encoding and decoding, and a small socket wrapper.
//!
//! Constants are from the kernel UAPI headers (`include/uapi/linux/netlink.h`).

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::time::{Duration, Instant};

use crate::error::{DecodeError, Error, Result};

pub const NETLINK_ROUTE: i32 = 0;
pub const NETLINK_GENERIC: i32 = 16;

pub const NLM_F_REQUEST: u16 = 0x01;
pub const NLM_F_ACK: u16 = 0x04;
/// In an NLMSG_ERROR: the original request's payload was left out.
pub const NLM_F_CAPPED: u16 = 0x100;
/// In an NLMSG_ERROR: extended ACK TLVs follow.
pub const NLM_F_ACK_TLVS: u16 = 0x200;

pub const NLMSG_NOOP: u16 = 1;
pub const NLMSG_ERROR: u16 = 2;
pub const NLMSG_DONE: u16 = 3;
pub const NLMSG_OVERRUN: u16 = 4;

pub const NLA_F_NESTED: u16 = 1 << 15;
pub const NLA_F_NET_BYTEORDER: u16 = 1 << 14;
pub const NLA_TYPE_MASK: u16 = !(NLA_F_NESTED | NLA_F_NET_BYTEORDER);

/// `enum nlmsgerr_attrs`
pub const NLMSGERR_ATTR_MSG: u16 = 1;

pub const NETLINK_ADD_MEMBERSHIP: i32 = 1;
pub const NETLINK_CAP_ACK: i32 = 10;
pub const NETLINK_EXT_ACK: i32 = 11;

pub const NLMSG_HDRLEN: usize = 16;
pub const NLA_HDRLEN: usize = 4;

pub const fn align4(n: usize) -> usize {
    (n + 3) & !3
}

/// Builds one netlink message.
pub struct MsgBuilder {
    buf: Vec<u8>,
    nests: Vec<usize>,
}

impl MsgBuilder {
    pub fn new(ty: u16, flags: u16, seq: u32) -> Self {
        let mut buf = Vec::with_capacity(128);
        buf.extend_from_slice(&0u32.to_ne_bytes()); // nlmsg_len, set by finish()
        buf.extend_from_slice(&ty.to_ne_bytes());
        buf.extend_from_slice(&flags.to_ne_bytes());
        buf.extend_from_slice(&seq.to_ne_bytes());
        buf.extend_from_slice(&0u32.to_ne_bytes()); // nlmsg_pid: the kernel fills it in
        MsgBuilder {
            buf,
            nests: Vec::new(),
        }
    }

    fn pad(&mut self) {
        let n = align4(self.buf.len());
        self.buf.resize(n, 0);
    }

    /// Appends a fixed family header (ifinfomsg, genlmsghdr, ...), padded to 4 bytes.
    pub fn header(mut self, data: &[u8]) -> Self {
        self.buf.extend_from_slice(data);
        self.pad();
        self
    }

    pub fn attr(mut self, ty: u16, data: &[u8]) -> Self {
        let len = NLA_HDRLEN + data.len();
        debug_assert!(len <= usize::from(u16::MAX));
        self.buf.extend_from_slice(&(len as u16).to_ne_bytes());
        self.buf.extend_from_slice(&ty.to_ne_bytes());
        self.buf.extend_from_slice(data);
        self.pad();
        self
    }

    pub fn attr_u8(self, ty: u16, v: u8) -> Self {
        self.attr(ty, &[v])
    }

    pub fn attr_u32(self, ty: u16, v: u32) -> Self {
        self.attr(ty, &v.to_ne_bytes())
    }

    /// A NUL-terminated string attribute (NLA_NUL_STRING / NLA_STRING).
    pub fn attr_str(self, ty: u16, s: &str) -> Self {
        let mut v = Vec::with_capacity(s.len() + 1);
        v.extend_from_slice(s.as_bytes());
        v.push(0);
        self.attr(ty, &v)
    }

    /// Opens a nested attribute (NLA_F_NESTED is set); close it with `end_nest`.
    pub fn begin_nest(mut self, ty: u16) -> Self {
        self.nests.push(self.buf.len());
        self.buf.extend_from_slice(&0u16.to_ne_bytes());
        self.buf
            .extend_from_slice(&(ty | NLA_F_NESTED).to_ne_bytes());
        self
    }

    pub fn end_nest(mut self) -> Self {
        if let Some(start) = self.nests.pop() {
            let len = (self.buf.len() - start) as u16;
            self.buf[start..start + 2].copy_from_slice(&len.to_ne_bytes());
        }
        self
    }

    pub fn finish(mut self) -> Vec<u8> {
        while !self.nests.is_empty() {
            self = self.end_nest();
        }
        let len = self.buf.len() as u32;
        self.buf[0..4].copy_from_slice(&len.to_ne_bytes());
        self.buf
    }
}

fn ne_u16(b: &[u8], at: usize) -> u16 {
    u16::from_ne_bytes([b[at], b[at + 1]])
}

fn ne_u32(b: &[u8], at: usize) -> u32 {
    u32::from_ne_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// One received netlink message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NlMsg<'a> {
    pub ty: u16,
    pub flags: u16,
    pub seq: u32,
    pub pid: u32,
    /// Everything after the nlmsghdr, up to nlmsg_len.
    pub payload: &'a [u8],
}

/// Splits a datagram into its netlink messages.
pub fn parse_msgs(mut buf: &[u8]) -> Result<Vec<NlMsg<'_>>, DecodeError> {
    let mut out = Vec::new();
    while buf.len() >= NLMSG_HDRLEN {
        let len = ne_u32(buf, 0) as usize;
        if len < NLMSG_HDRLEN || len > buf.len() {
            return Err(DecodeError("bad nlmsg_len"));
        }
        out.push(NlMsg {
            ty: ne_u16(buf, 4),
            flags: ne_u16(buf, 6),
            seq: ne_u32(buf, 8),
            pid: ne_u32(buf, 12),
            payload: &buf[NLMSG_HDRLEN..len],
        });
        buf = &buf[align4(len).min(buf.len())..];
    }
    if !buf.is_empty() {
        return Err(DecodeError("trailing bytes after the last nlmsghdr"));
    }
    Ok(out)
}

/// Iterates over the attributes in `buf`. Yields `(type without flags, payload)`.
pub struct Attrs<'a> {
    buf: &'a [u8],
}

pub fn attrs(buf: &[u8]) -> Attrs<'_> {
    Attrs { buf }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = Result<(u16, &'a [u8]), DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.buf.len() < NLA_HDRLEN {
            // Fewer than a header's worth of bytes left can only be padding.
            self.buf = &[];
            return None;
        }
        let len = usize::from(ne_u16(self.buf, 0));
        let ty = ne_u16(self.buf, 2) & NLA_TYPE_MASK;
        if len < NLA_HDRLEN || len > self.buf.len() {
            self.buf = &[];
            return Some(Err(DecodeError("bad nla_len")));
        }
        let payload = &self.buf[NLA_HDRLEN..len];
        self.buf = &self.buf[align4(len).min(self.buf.len())..];
        Some(Ok((ty, payload)))
    }
}

pub fn get_u8(p: &[u8]) -> Result<u8, DecodeError> {
    p.first()
        .copied()
        .ok_or(DecodeError("u8 attribute too short"))
}

pub fn get_u16(p: &[u8]) -> Result<u16, DecodeError> {
    if p.len() < 2 {
        return Err(DecodeError("u16 attribute too short"));
    }
    Ok(ne_u16(p, 0))
}

pub fn get_u32(p: &[u8]) -> Result<u32, DecodeError> {
    if p.len() < 4 {
        return Err(DecodeError("u32 attribute too short"));
    }
    Ok(ne_u32(p, 0))
}

/// A string attribute, up to its first NUL.
pub fn get_str(p: &[u8]) -> String {
    let end = p.iter().position(|&b| b == 0).unwrap_or(p.len());
    String::from_utf8_lossy(&p[..end]).into_owned()
}

/// Decodes an NLMSG_ERROR message: the (positive) errno, 0 for an ACK, and the extended-ACK
/// text if the kernel sent one.
pub fn parse_error(msg: &NlMsg<'_>) -> Result<(i32, Option<String>), DecodeError> {
    let p = msg.payload;
    if p.len() < 4 {
        return Err(DecodeError("NLMSG_ERROR too short"));
    }
    let err = -(ne_u32(p, 0) as i32);
    let mut ext = None;
    if msg.flags & NLM_F_ACK_TLVS != 0 && p.len() >= 4 + NLMSG_HDRLEN {
        // struct nlmsgerr: error, then the request's nlmsghdr (and its payload unless capped).
        let orig_len = ne_u32(p, 4) as usize;
        let skip = if msg.flags & NLM_F_CAPPED != 0 {
            4 + NLMSG_HDRLEN
        } else {
            4 + align4(orig_len)
        };
        if skip <= p.len() {
            for a in attrs(&p[skip..]) {
                let (ty, data) = a?;
                if ty == NLMSGERR_ATTR_MSG {
                    ext = Some(get_str(data));
                }
            }
        }
    }
    Ok((err, ext))
}

/// The answer to a netlink request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// A data message (nlmsg_type and payload after the nlmsghdr).
    Data { ty: u16, payload: Vec<u8> },
    /// An ACK (NLMSG_ERROR with error 0).
    Ack,
    /// An error reply: positive errno and the extended-ACK message.
    Errno { errno: i32, ext_ack: Option<String> },
}

impl Reply {
    /// The data payload; an ACK or errno reply becomes an error described by `what`.
    pub fn into_data(self, what: &str) -> Result<(u16, Vec<u8>)> {
        match self {
            Reply::Data { ty, payload } => Ok((ty, payload)),
            Reply::Ack => Err(Error::Protocol(format!("{what}: ACK instead of data"))),
            Reply::Errno { errno, ext_ack } => Err(Error::Kernel {
                what: what.to_string(),
                errno,
                ext_ack,
            }),
        }
    }
}

const RECV_BUF: usize = 64 * 1024;

/// A netlink socket.
pub struct NlSocket {
    fd: OwnedFd,
    seq: u32,
    buf: Vec<u8>,
    timeout: Duration,
}

fn setsockopt_int(fd: RawFd, level: i32, opt: i32, val: i32, what: &str) -> Result<()> {
    // SAFETY: `val` outlives the call and its size is passed.
    let r = unsafe {
        libc::setsockopt(
            fd,
            level,
            opt,
            (&val as *const i32).cast(),
            std::mem::size_of::<i32>() as libc::socklen_t,
        )
    };
    if r != 0 {
        return Err(Error::last_os(what));
    }
    Ok(())
}

impl NlSocket {
    /// A request socket: blocking receives bounded by `timeout` (SO_RCVTIMEO).
    pub fn request(protocol: i32, timeout: Duration) -> Result<Self> {
        let s = Self::open(protocol, 0)?;
        let tv = libc::timeval {
            tv_sec: timeout.as_secs() as libc::time_t,
            tv_usec: timeout.subsec_micros() as libc::suseconds_t,
        };
        // SAFETY: `tv` outlives the call and its size is passed.
        let r = unsafe {
            libc::setsockopt(
                s.fd.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_RCVTIMEO,
                (&tv as *const libc::timeval).cast(),
                std::mem::size_of::<libc::timeval>() as libc::socklen_t,
            )
        };
        if r != 0 {
            return Err(Error::last_os("setsockopt(SO_RCVTIMEO)"));
        }
        // Extended ACKs give readable error messages; capped ACKs keep them small. Both are
        // best effort.
        let _ = setsockopt_int(s.fd.as_raw_fd(), libc::SOL_NETLINK, NETLINK_EXT_ACK, 1, "");
        let _ = setsockopt_int(s.fd.as_raw_fd(), libc::SOL_NETLINK, NETLINK_CAP_ACK, 1, "");
        Ok(NlSocket { timeout, ..s })
    }

    /// A non-blocking socket subscribed to the multicast group `group` (e.g. RTNLGRP_LINK).
    pub fn monitor(protocol: i32, group: u32) -> Result<Self> {
        let s = Self::open(protocol, libc::SOCK_NONBLOCK)?;
        setsockopt_int(
            s.fd.as_raw_fd(),
            libc::SOL_NETLINK,
            NETLINK_ADD_MEMBERSHIP,
            group as i32,
            "setsockopt(NETLINK_ADD_MEMBERSHIP)",
        )?;
        // A bigger queue makes ENOBUFS (lost notifications) less likely; best effort.
        let _ = setsockopt_int(
            s.fd.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVBUF,
            1 << 20,
            "",
        );
        Ok(s)
    }

    fn open(protocol: i32, extra_flags: i32) -> Result<Self> {
        // SAFETY: plain syscall; the result is checked.
        let fd = unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_RAW | libc::SOCK_CLOEXEC | extra_flags,
                protocol,
            )
        };
        if fd < 0 {
            return Err(Error::last_os(format!("socket(AF_NETLINK, {protocol})")));
        }
        // SAFETY: `fd` is a fresh descriptor we own.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        // SAFETY: sockaddr_nl is plain old data.
        let mut sa: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
        sa.nl_family = libc::AF_NETLINK as libc::sa_family_t;
        // SAFETY: `sa` is a valid sockaddr_nl and its size is passed.
        let r = unsafe {
            libc::bind(
                fd.as_raw_fd(),
                (&sa as *const libc::sockaddr_nl).cast(),
                std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
            )
        };
        if r != 0 {
            return Err(Error::last_os("bind(AF_NETLINK)"));
        }
        Ok(NlSocket {
            fd,
            seq: monotonic_seed(),
            buf: vec![0; RECV_BUF],
            timeout: Duration::from_secs(5),
        })
    }

    pub fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.wrapping_add(1);
        self.seq
    }

    pub fn send(&self, msg: &[u8]) -> Result<()> {
        // SAFETY: sockaddr_nl is plain old data; nl_pid 0 addresses the kernel.
        let mut sa: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
        sa.nl_family = libc::AF_NETLINK as libc::sa_family_t;
        loop {
            // SAFETY: `msg` and `sa` are valid for the given lengths.
            let n = unsafe {
                libc::sendto(
                    self.fd.as_raw_fd(),
                    msg.as_ptr().cast(),
                    msg.len(),
                    0,
                    (&sa as *const libc::sockaddr_nl).cast(),
                    std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
                )
            };
            if n >= 0 {
                return Ok(());
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(Error::io("netlink send", e));
            }
        }
    }

    /// Receives one datagram. `Ok(None)` when nothing is queued (non-blocking socket) or the
    /// receive timeout ran out (request socket). ENOBUFS is returned as an error of kind
    /// `Other` with raw_os_error ENOBUFS; callers of monitor sockets resynchronise on it.
    pub fn recv(&mut self) -> io::Result<Option<&[u8]>> {
        loop {
            // SAFETY: `buf` is valid for `buf.len()` bytes. MSG_TRUNC makes the kernel return
            // the real datagram length so truncation can be detected.
            let n = unsafe {
                libc::recv(
                    self.fd.as_raw_fd(),
                    self.buf.as_mut_ptr().cast(),
                    self.buf.len(),
                    libc::MSG_TRUNC,
                )
            };
            if n >= 0 {
                let n = n as usize;
                if n > self.buf.len() {
                    return Err(io::Error::other(format!(
                        "netlink datagram of {n} bytes truncated"
                    )));
                }
                return Ok(Some(&self.buf[..n]));
            }
            let e = io::Error::last_os_error();
            match e.kind() {
                io::ErrorKind::Interrupted => continue,
                io::ErrorKind::WouldBlock => return Ok(None),
                _ => return Err(e),
            }
        }
    }

    /// Sends a request built with sequence number `seq` and waits (bounded by the socket's
    /// timeout) for the reply with that sequence number. Requests must not be dumps.
    pub fn transact(&mut self, seq: u32, msg: &[u8], what: &str) -> Result<Reply> {
        self.send(msg)
            .map_err(|e| Error::Protocol(format!("{what}: {e}")))?;
        let deadline = Instant::now() + self.timeout;
        loop {
            if Instant::now() >= deadline {
                return Err(Error::Timeout(format!("waiting for the reply to {what}")));
            }
            let data = match self.recv() {
                Ok(Some(d)) => d,
                Ok(None) => return Err(Error::Timeout(format!("waiting for the reply to {what}"))),
                Err(e) => return Err(Error::io(format!("netlink recv ({what})"), e)),
            };
            for m in parse_msgs(data)? {
                if m.seq != seq {
                    continue; // a stale reply to an earlier, timed-out request
                }
                match m.ty {
                    NLMSG_ERROR => {
                        let (errno, ext_ack) = parse_error(&m)?;
                        return Ok(if errno == 0 {
                            Reply::Ack
                        } else {
                            Reply::Errno { errno, ext_ack }
                        });
                    }
                    NLMSG_NOOP | NLMSG_DONE | NLMSG_OVERRUN => continue,
                    ty => {
                        return Ok(Reply::Data {
                            ty,
                            payload: m.payload.to_vec(),
                        })
                    }
                }
            }
        }
    }
}

impl AsRawFd for NlSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

fn monotonic_seed() -> u32 {
    (crate::sys::monotonic_ns() & 0xffff_ffff) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_layout() {
        let m = MsgBuilder::new(18, NLM_F_REQUEST, 7)
            .header(&[1, 2, 3]) // padded to 4
            .attr_str(3, "lo") // 4 + 3 -> 8
            .attr_u32(29, 8)
            .finish();
        assert_eq!(m.len(), 16 + 4 + 8 + 8);
        assert_eq!(ne_u32(&m, 0) as usize, m.len());
        assert_eq!(ne_u16(&m, 4), 18);
        assert_eq!(ne_u16(&m, 6), NLM_F_REQUEST);
        assert_eq!(ne_u32(&m, 8), 7);
        assert_eq!(&m[16..20], &[1, 2, 3, 0]);
        assert_eq!(ne_u16(&m, 20), 7); // nla_len counts the header and the NUL, not padding
        assert_eq!(ne_u16(&m, 22), 3);
        assert_eq!(&m[24..28], b"lo\0\0");
        assert_eq!(ne_u16(&m, 28), 8);
        assert_eq!(ne_u32(&m, 32), 8);
    }

    #[test]
    fn nested_attrs_roundtrip() {
        let m = MsgBuilder::new(30, NLM_F_REQUEST, 1)
            .header(&[4, 1, 0, 0])
            .begin_nest(1)
            .attr_u32(1, 42)
            .attr_u32(3, 1)
            .end_nest()
            .attr_u8(9, 5)
            .finish();
        let msgs = parse_msgs(&m).unwrap();
        assert_eq!(msgs.len(), 1);
        let body = &msgs[0].payload[4..];
        let top: Vec<_> = attrs(body).collect::<Result<_, _>>().unwrap();
        assert_eq!(top.len(), 2);
        assert_eq!(top[0].0, 1); // NLA_F_NESTED masked off
        assert_eq!(ne_u16(body, 2), 1 | NLA_F_NESTED);
        assert_eq!(ne_u16(body, 0), 4 + 8 + 8);
        let inner: Vec<_> = attrs(top[0].1).collect::<Result<_, _>>().unwrap();
        assert_eq!(inner.len(), 2);
        assert_eq!((inner[0].0, get_u32(inner[0].1).unwrap()), (1, 42));
        assert_eq!((inner[1].0, get_u32(inner[1].1).unwrap()), (3, 1));
        assert_eq!((top[1].0, get_u8(top[1].1).unwrap()), (9, 5));
    }

    #[test]
    fn multiple_messages_and_errors() {
        let a = MsgBuilder::new(16, 0, 5).header(&[0; 16]).finish();
        let b = MsgBuilder::new(NLMSG_DONE, 0, 5)
            .header(&0u32.to_ne_bytes())
            .finish();
        let mut both = a.clone();
        both.extend_from_slice(&b);
        let msgs = parse_msgs(&both).unwrap();
        assert_eq!(msgs.len(), 2);
        assert_eq!(msgs[0].ty, 16);
        assert_eq!(msgs[1].ty, NLMSG_DONE);

        let mut bad = a.clone();
        bad[0] = 200; // nlmsg_len past the end
        assert!(parse_msgs(&bad).is_err());
        let mut short = a;
        short.truncate(10);
        assert!(parse_msgs(&short).is_err());

        let bad_attr = [20u8, 0, 1, 0, 0, 0, 0, 0];
        assert!(attrs(&bad_attr).next().unwrap().is_err());
    }

    #[test]
    fn error_with_ext_ack() {
        // NLMSG_ERROR, capped, with TLVs: -ENODEV, the request header, then a MSG attribute.
        let mut payload = Vec::new();
        payload.extend_from_slice(&(-19i32).to_ne_bytes());
        let req = MsgBuilder::new(18, NLM_F_REQUEST, 9)
            .header(&[0; 16])
            .finish();
        payload.extend_from_slice(&req[..16]);
        let m = MsgBuilder::new(NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, 9)
            .header(&payload)
            .attr_str(NLMSGERR_ATTR_MSG, "no such device")
            .finish();
        let msgs = parse_msgs(&m).unwrap();
        assert_eq!(
            parse_error(&msgs[0]).unwrap(),
            (19, Some("no such device".to_string()))
        );

        // Uncapped without TLVs: a plain ACK.
        let mut ack = 0i32.to_ne_bytes().to_vec();
        ack.extend_from_slice(&req);
        let m = MsgBuilder::new(NLMSG_ERROR, 0, 9).header(&ack).finish();
        let msgs = parse_msgs(&m).unwrap();
        assert_eq!(parse_error(&msgs[0]).unwrap(), (0, None));
    }

    #[test]
    fn scalar_getters() {
        assert_eq!(get_u16(&[1, 0]).ok(), Some(u16::from_ne_bytes([1, 0])));
        assert!(get_u32(&[1, 2]).is_err());
        assert!(get_u8(&[]).is_err());
        assert_eq!(get_str(b"eth0\0\0"), "eth0");
        assert_eq!(get_str(b"abc"), "abc");
    }
}
