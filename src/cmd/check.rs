//! `evidencepack check`: every problem of the pack, as text or JSON.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use super::{read_content, Format};
use crate::build::check::Checked;
use crate::content::AsOf;
use crate::diag;

/// Print every diagnostic; exit 1 when there is an error (or a warning, with
/// `deny_warnings`), 0 otherwise; the pack is evaluated at `as_of`. `rich` is `Some(colour)` for the rustc-like form.
pub(super) fn run(
    content: &Path,
    format: Format,
    deny_warnings: bool,
    rich: Option<bool>,
    as_of: AsOf,
) -> anyhow::Result<ExitCode> {
    let checked = read_content(content, as_of)?;
    print(&checked, format, rich)?;
    let (errors, warnings) = diag::counts(&checked.diagnostics);
    Ok(if errors > 0 || (deny_warnings && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The diagnostics on stdout: one line each and a summary, or a JSON array.
fn print(checked: &Checked, format: Format, rich: Option<bool>) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    write(&mut out, checked, format, rich)?;
    out.flush()
}

/// The diagnostics in `format` (for `Human`, the rustc-like form when `rich` is `Some(colour)`)
/// into `out`: what `check` prints, and `build` when the content has errors.
pub(super) fn write(
    out: &mut impl Write,
    checked: &Checked,
    format: Format,
    rich: Option<bool>,
) -> io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &checked.diagnostics)?;
            writeln!(out)?;
        }
        Format::Sarif => {
            serde_json::to_writer_pretty(&mut *out, &diag::sarif::log(&checked.diagnostics))?;
            writeln!(out)?;
        }
        Format::Human => {
            match rich {
                None => {
                    for d in &checked.diagnostics {
                        writeln!(out, "{d}")?;
                    }
                }
                Some(colour) => {
                    let c = &checked.content;
                    let sources: HashMap<String, &str> = c
                        .files
                        .iter()
                        .map(|f| {
                            (
                                c.root.join(&f.rel).to_string_lossy().into_owned(),
                                f.text.as_str(),
                            )
                        })
                        .collect();
                    let text = diag::terminal::render(&checked.diagnostics, &sources, colour);
                    write!(out, "{text}")?;
                }
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
    Ok(())
}
