//! Error types of the agent.

use std::io;

/// Malformed netlink data (a truncated header, an attribute running past its message, ...).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("malformed netlink data: {0}")]
pub struct DecodeError(pub &'static str);

/// Everything that can go wrong in the agent. All of these are fatal for the run except where
/// the caller decides otherwise (netlink errno replies are returned as data, not as errors).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: io::Error,
    },
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error("{what}: kernel returned {errno} ({desc}){ext}", desc = io::Error::from_raw_os_error(*.errno), ext = ext_suffix(.ext_ack))]
    Kernel {
        what: String,
        errno: i32,
        ext_ack: Option<String>,
    },
    #[error("timeout: {0}")]
    Timeout(String),
    #[error("{0}")]
    Protocol(String),
}

fn ext_suffix(ext: &Option<String>) -> String {
    match ext {
        Some(m) => format!(": {m}"),
        None => String::new(),
    }
}

impl Error {
    pub fn io(what: impl Into<String>, source: io::Error) -> Self {
        Error::Io {
            what: what.into(),
            source,
        }
    }

    /// An `Io` error built from the current `errno`.
    pub fn last_os(what: impl Into<String>) -> Self {
        Error::io(what, io::Error::last_os_error())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The kernel's name for a (positive) errno, for messages a host matches on (`EBUSY`, ...);
/// `errno N` for one not in the list.
pub fn errno_name(errno: i32) -> String {
    /// Kernel-internal (include/linux/errno.h), but phylib and some PHY drivers return it and
    /// netlink passes it on unchanged.
    const ENOTSUPP: i32 = 524;
    let name = match errno {
        libc::EPERM => "EPERM",
        libc::ENOENT => "ENOENT",
        libc::EINTR => "EINTR",
        libc::EIO => "EIO",
        libc::ENXIO => "ENXIO",
        libc::E2BIG => "E2BIG",
        libc::EBADF => "EBADF",
        libc::EAGAIN => "EAGAIN",
        libc::ENOMEM => "ENOMEM",
        libc::EACCES => "EACCES",
        libc::EFAULT => "EFAULT",
        libc::EBUSY => "EBUSY",
        libc::EEXIST => "EEXIST",
        libc::ENODEV => "ENODEV",
        libc::EINVAL => "EINVAL",
        libc::ENOSPC => "ENOSPC",
        libc::ERANGE => "ERANGE",
        libc::ENOSYS => "ENOSYS",
        libc::ENOLINK => "ENOLINK",
        libc::EPROTO => "EPROTO",
        libc::EOVERFLOW => "EOVERFLOW",
        libc::EMSGSIZE => "EMSGSIZE",
        libc::EPROTONOSUPPORT => "EPROTONOSUPPORT",
        libc::EOPNOTSUPP => "EOPNOTSUPP",
        libc::EAFNOSUPPORT => "EAFNOSUPPORT",
        libc::EADDRNOTAVAIL => "EADDRNOTAVAIL",
        libc::ENETDOWN => "ENETDOWN",
        libc::ENETUNREACH => "ENETUNREACH",
        libc::ENOBUFS => "ENOBUFS",
        libc::ENOTCONN => "ENOTCONN",
        libc::ETIMEDOUT => "ETIMEDOUT",
        libc::EALREADY => "EALREADY",
        libc::EINPROGRESS => "EINPROGRESS",
        libc::ECANCELED => "ECANCELED",
        ENOTSUPP => "ENOTSUPP",
        _ => return format!("errno {errno}"),
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errno_names() {
        assert_eq!(errno_name(libc::EOPNOTSUPP), "EOPNOTSUPP");
        assert_eq!(errno_name(libc::EBUSY), "EBUSY");
        assert_eq!(errno_name(libc::ENETDOWN), "ENETDOWN");
        assert_eq!(errno_name(524), "ENOTSUPP");
        assert_eq!(errno_name(4095), "errno 4095");
    }
}
