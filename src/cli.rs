//! The command line: `check` now; `build`, `verify` and `sample` as their issues land.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diag::{self, Diagnostic};
use crate::load::{self, Content};
use crate::report::Report;
use crate::validate;

/// Validate compliance content and render ISO 27001 and SOC 2 evidence packs.
#[derive(Debug, Parser)]
#[command(name = "evidencepack", version, about, long_about = None)]
pub struct Cli {
    /// The pack's content root.
    #[arg(long, global = true, default_value = "content", value_name = "DIR")]
    pub content: PathBuf,
    /// Where bundles are written.
    #[arg(long, global = true, default_value = "dist", value_name = "DIR")]
    pub out: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load and validate everything; print every problem as `path:line:col: error[code]: message`.
    #[command(
        after_help = "Examples:\n  evidencepack check\n  evidencepack --content ../acme-pack check --format json\n\nExit codes: 0 no errors (warnings allowed), 1 errors, 2 usage or I/O failure."
    )]
    Check {
        /// Output format of the diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One line per problem, then a summary.
    Human,
    /// A JSON array of diagnostics.
    Json,
}

/// A loaded and validated pack with its resolved diagnostics.
pub struct Checked {
    /// The content as loaded.
    pub content: Content,
    /// Every problem, sorted by path and position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        diag::counts(&self.diagnostics).0
    }
}

/// Load and validate the pack at `root`.
pub fn load_and_check(root: &Path) -> io::Result<Checked> {
    let mut report = Report::new();
    let content = load::load(root, &mut report)?;
    validate::validate(&content, &mut report);
    let diagnostics = report.resolve(&content.files, root);
    Ok(Checked {
        content,
        diagnostics,
    })
}

/// Run the command line; returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Check { format } => {
            let checked = load_and_check(&cli.content).map_err(|e| {
                anyhow::anyhow!("cannot read content folder {}: {e}", cli.content.display())
            })?;
            print_diagnostics(&checked, *format)?;
            Ok(if checked.errors() > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

fn print_diagnostics(checked: &Checked, format: Format) -> io::Result<()> {
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
