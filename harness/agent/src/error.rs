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
