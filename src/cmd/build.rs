//! `evidencepack build`: check, then write both bundles, their zips and pack.json.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use super::{read_content, Format};
use crate::build::{self, BuildOptions, BuildSummary, Error};
use crate::render::filesize;

/// Build the pack at `content` into `out`: a summary on stderr (none when `quiet`), exit 0;
/// content errors on stderr with exit 1 and nothing written, in the rustc-like form `check`
/// prints when `rich` is `Some(colour)`; any other failure is returned (exit 2).
pub(super) fn run(
    content: &Path,
    out: &Path,
    options: &BuildOptions,
    quiet: bool,
    rich: Option<bool>,
) -> anyhow::Result<ExitCode> {
    match build::build(content, out, options) {
        Ok(summary) => {
            if !quiet {
                report(&summary, options)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        // The chain of causes as it was built, for `error: {:#}`.
        Err(Error::Other(e)) => Err(e),
        Err(e) => {
            let Error::Content(diagnostics) = &e else {
                return Err(e.into());
            };
            let mut err = io::stderr().lock();
            match rich {
                // The sources of the lines to show are the pack's files as `check` reads them:
                // read once more, on this failure path only.
                Some(_) => super::check::write(
                    &mut err,
                    &read_content(content, options.as_of)?,
                    Format::Human,
                    rich,
                )?,
                None => {
                    for d in diagnostics {
                        writeln!(err, "{d}")?;
                    }
                }
            }
            writeln!(err, "error: {e}")?;
            Ok(ExitCode::from(1))
        }
    }
}

/// What a successful build wrote, on stderr.
fn report(summary: &BuildSummary, options: &BuildOptions) -> io::Result<()> {
    let mut err = io::stderr().lock();
    for b in &summary.bundles {
        writeln!(
            err,
            "wrote {} ({} files, {}, bundle digest {}) and {}",
            b.path.display(),
            b.files,
            filesize(b.bytes),
            b.digest,
            b.zip.display()
        )?;
    }
    writeln!(
        err,
        "wrote {} (audience {}, {} record{} withheld{})",
        summary.pack_json.display(),
        options.audience.as_str(),
        summary.withheld,
        if summary.withheld == 1 { "" } else { "s" },
        match &summary.signed_by {
            Some(id) => format!(", zips signed by key {id}"),
            None => String::new(),
        }
    )?;
    writeln!(
        err,
        "content digest {}; {} warning{} (shown on the pages; `evidencepack check` lists them)",
        summary.content_digest,
        summary.warnings.len(),
        if summary.warnings.len() == 1 { "" } else { "s" }
    )
}
