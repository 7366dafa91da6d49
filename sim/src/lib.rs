//! The phy-sim device: a simulated board (PHYs on MDIO buses, a GPIO bank, MAC port mailboxes)
//! served to QEMU as a vfio-user PCI device. `ABI.md` beside this crate is the register ABI.

pub mod abi;
pub mod board;
mod gpio;
mod medium;
pub mod overlay;
pub mod pci;
pub mod server;
pub mod spec;
pub mod trace;

use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("unknown PHY model `{0}`")]
    UnknownModel(String),
    #[error("unknown PHY `{0}`")]
    UnknownPhy(String),
    #[error("PHY {0}: {1}")]
    Model(String, String),
    #[error("link partner: {0}")]
    Medium(String),
    #[error("building the device-tree overlay: {0}")]
    Overlay(String),
    #[error("trace files in {0}: {1}")]
    Trace(std::path::PathBuf, std::io::Error),
    #[error("vfio-user socket {0}: {1:?}")]
    Socket(std::path::PathBuf, vfio_user::Error),
    #[error("vfio-user connection: {0:?}")]
    Serve(vfio_user::Error),
}

/// Builds the board a scenario describes, with its observer writing into `trace_dir`.
pub fn build_device(
    scenario: &phy_sim_scenario::Scenario,
    trace_dir: &Path,
) -> Result<server::Device, Error> {
    let spec = spec::BoardSpec::from_scenario(scenario)?;
    let blob = overlay::board_overlay(&spec)?;
    let observer = trace::FileObserver::create(trace_dir)
        .map_err(|e| Error::Trace(trace_dir.to_path_buf(), e))?;
    let board = board::Board::new(spec, blob, Box::new(observer))?;
    Ok(server::Device::new(board))
}

/// Serves `device` on a Unix socket at `socket` until the client disconnects. The socket file
/// is removed when this returns, whatever the outcome.
pub fn serve(device: &mut server::Device, socket: &Path) -> Result<(), Error> {
    let server = vfio_user::Server::new(
        socket,
        true,
        server::Device::irqs(),
        server::Device::regions(),
    )
    .map_err(|e| Error::Socket(socket.to_path_buf(), e))?;
    server.run(device).map_err(Error::Serve)
}
