//! `evidencepack verify PATH`: re-hash a bundle folder, a zip or a whole build output.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use crate::verify::{verify_path, Outcome};

/// Print every report; exit with the worst outcome's code.
pub(super) fn run(path: &Path, pubkey: Option<&Path>) -> anyhow::Result<ExitCode> {
    let reports = verify_path(path, pubkey)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    for r in &reports {
        write!(out, "{r}")?;
    }
    let worst = Outcome::worst(&reports);
    writeln!(
        out,
        "{worst}: {} target{} checked",
        reports.len(),
        if reports.len() == 1 { "" } else { "s" }
    )?;
    out.flush()?;
    Ok(ExitCode::from(worst.exit_code() as u8))
}
