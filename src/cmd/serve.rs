//! `evidencepack serve`: the preview server ([`crate::serve`]).

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;

use crate::build::{Audience, BuildOptions, Progress};
use crate::content::AsOf;
use crate::serve::{serve, ServeOptions};

/// Serve the pack at `content` on `addr` until stopped; returns only when listening or
/// watching fails (exit 2).
pub(super) fn run(
    content: &Path,
    addr: SocketAddr,
    audience: Audience,
    as_of: AsOf,
) -> anyhow::Result<ExitCode> {
    serve(&ServeOptions {
        content: content.to_path_buf(),
        addr,
        build: BuildOptions {
            audience,
            sign: None,
            as_of,
            progress: Progress::hidden(),
        },
    })?;
    Ok(ExitCode::from(2))
}
