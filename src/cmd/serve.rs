//! `evidencepack serve`: the preview server ([`crate::serve`]).

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;

use crate::build::{Audience, BuildOptions};
use crate::serve::{serve, ServeOptions};

/// Serve the pack at `content` on `addr` until stopped; returns only when listening or
/// watching fails (exit 2).
pub(super) fn run(
    content: &Path,
    addr: SocketAddr,
    audience: Audience,
) -> anyhow::Result<ExitCode> {
    serve(&ServeOptions {
        content: content.to_path_buf(),
        addr,
        build: BuildOptions {
            audience,
            sign: None,
        },
    })?;
    Ok(ExitCode::from(2))
}
