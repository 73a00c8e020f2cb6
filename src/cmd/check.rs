//! `evidencepack check`: every problem of the pack, as text or JSON.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use super::{read_content, Format};
use crate::build::check::Checked;
use crate::diag;

/// Print every diagnostic; exit 1 when there is an error, 0 otherwise (warnings allowed).
pub(super) fn run(content: &Path, format: Format) -> anyhow::Result<ExitCode> {
    let checked = read_content(content)?;
    print(&checked, format)?;
    Ok(if checked.errors() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The diagnostics on stdout: one line each and a summary, or a JSON array.
fn print(checked: &Checked, format: Format) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &checked.diagnostics)?;
            writeln!(out)?;
        }
        Format::Human => {
            for d in &checked.diagnostics {
                writeln!(out, "{d}")?;
            }
            let (errors, warnings) = diag::counts(&checked.diagnostics);
            let c = &checked.content;
            writeln!(
                out,
                "checked {} policies, {} controls, {} risks, {} identities, {} evidence records, {} reviews: {} error{}, {} warning{}",
                c.policies.len(),
                c.controls.len(),
                c.risks.len(),
                c.identities.len(),
                c.evidence.len(),
                c.reviews.len(),
                errors,
                if errors == 1 { "" } else { "s" },
                warnings,
                if warnings == 1 { "" } else { "s" },
            )?;
        }
    }
    out.flush()
}
