//! The command line: one module per subcommand (`check`, `build`, `serve`, `verify`, `sample`,
//! `init`, `new`, `catalog`, `schema`, `completions`), pack discovery in `discover`, and here the
//! arguments, the
//! dispatch and the exit codes: 0 success, 1 content errors (or a tampered pack, for `verify`),
//! 2 usage or I/O failure. A closed standard output
//! (`evidencepack check | head -1`) ends the command quietly with success, as in ripgrep.

mod build;
mod catalog;
mod check;
mod completions;
mod discover;
mod init;
mod new;
mod sample;
mod sample_json;
mod schema;
mod serve;
mod verify;

pub use catalog::Framework;
pub use new::NewKind;

use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::anyhow;
use clap::{Parser, Subcommand, ValueEnum};

use crate::build::check::{load_and_check_as_of, Checked};
use crate::build::{Audience, BuildOptions, Progress};
use crate::content::AsOf;

/// Validate compliance content and render ISO 27001 and SOC 2 evidence packs.
#[derive(Debug, Parser)]
#[command(name = "evidencepack", version, about, long_about = None)]
pub struct Cli {
    /// The pack's content root [default: ./content when it holds a pack.yaml, else the nearest
    /// folder upward holding a pack.yaml (or a content/pack.yaml)].
    #[arg(long, global = true, value_name = "DIR")]
    pub content: Option<PathBuf>,
    /// Where bundles are written.
    #[arg(long, global = true, default_value = "dist", value_name = "DIR")]
    pub out: PathBuf,
    /// Diagnostics as rustc shows them (source line, caret, help) with colour: `auto` on a
    /// terminal (colourless when NO_COLOR is set), `always`, or `never` (one line each, as when
    /// piped).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
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
        /// Exit 1 when there is a warning too.
        #[arg(long)]
        deny_warnings: bool,
        /// Evaluate coverage, rotations, reviews and overdue items at this date inside the
        /// period (`YYYY-MM-DD`, or `today`); later intervals are not yet due [default: the
        /// period's end].
        #[arg(long, value_name = "DATE", default_value_t = AsOf::PeriodEnd, hide_default_value = true)]
        as_of: AsOf,
    },
    /// Check the pack, then render the ISO 27001 and SOC 2 bundles into the output folder, with
    /// a BagIt zip of each and a pack.json naming their digests.
    #[command(
        after_help = "Examples:\n  evidencepack build\n  evidencepack --content ../acme-pack --out /tmp/dist build --audience customer\n  EVIDENCEPACK_SIGN_PASSWORD=... evidencepack build --sign ~/.minisign/evidencepack.key\n  SOURCE_DATE_EPOCH=1782777600 evidencepack build\n\nOutput: <out>/iso27001/ and <out>/soc2/ (each with manifest-sha256.txt),\n<out>/iso27001-<12 hex>.zip and <out>/soc2-<12 hex>.zip (BagIt bags), <out>/pack.json.\nTimestamps come from SOURCE_DATE_EPOCH, else the period's end date, so the same content\nbuilds byte-identical output. The new output replaces the previous one only when the whole\nbuild succeeded; other files in the output folder are never touched.\n\nExit codes: 0 ok, 1 content errors (nothing written), 2 usage or I/O failure."
    )]
    Build {
        /// Who the bundles are for: an audience pack.yaml declares (`auditor`, `customer`,
        /// `board`...); records above its max_classification and sections it does not list are
        /// withheld.
        #[arg(long, value_name = "NAME", default_value_t = Audience::default())]
        audience: Audience,
        /// Sign each zip's tagmanifest-sha256.txt with this minisign secret key file (an
        /// encrypted key's password is read from EVIDENCEPACK_SIGN_PASSWORD).
        #[arg(long, value_name = "KEY")]
        sign: Option<PathBuf>,
        /// Evaluate coverage, rotations, reviews and overdue items at this date inside the
        /// period (`YYYY-MM-DD`, or `today`); later intervals are not yet due [default: the
        /// period's end].
        #[arg(long, value_name = "DATE", default_value_t = AsOf::PeriodEnd, hide_default_value = true)]
        as_of: AsOf,
        /// No progress and no summary on standard error (content errors still print). Progress
        /// shows only on a terminal, for builds over a second.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Check the pack and serve a preview of its bundles on localhost; check again on every
    /// change to the content (records, attachments, template and asset overrides) and reload
    /// open pages.
    #[command(
        after_help = "Examples:\n  evidencepack serve\n  evidencepack --content ../acme-pack serve --port 8080 --audience customer\n  evidencepack serve --bind 0.0.0.0   (reachable from other machines: only on a trusted network)\n\nThe first line printed is the URL served. Each page is rendered when it is opened, from the\nlast pack that checked, exactly as `build` writes it, plus a small reload script; nothing is\nwritten (--out is not used; zips, manifests and pack.json are `build`'s). When the content\nstops checking, its errors show in the terminal and over every open page, and the last good\nbuild stays served.\n\nExit codes: runs until stopped; 2 when it cannot listen or watch."
    )]
    Serve {
        /// The port to listen on (0: any free port).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// The address to listen on; only this computer can connect unless it is another
        /// interface's address (e.g. 0.0.0.0).
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Who the served bundles are for (as `build --audience`).
        #[arg(long, value_name = "NAME", default_value_t = Audience::default())]
        audience: Audience,
        /// Evaluate the served pack at this date inside the period (as `build --as-of`).
        #[arg(long, value_name = "DATE", default_value_t = AsOf::PeriodEnd, hide_default_value = true)]
        as_of: AsOf,
    },
    /// Re-hash a bundle folder, a bundle zip or a whole build output (with pack.json) against
    /// its manifests; name every changed, missing and extra file.
    #[command(
        after_help = "Examples:\n  evidencepack verify dist\n  evidencepack verify dist/iso27001\n  evidencepack verify dist/soc2-0123456789ab.zip --pubkey evidencepack.pub\n\nPATH is a bundle folder (holding manifest-sha256.txt), a BagIt zip written by build (read in\nplace, never extracted), or a build output folder (or its pack.json): then every folder and\nzip pack.json names is checked, and their bundle digests must match it and each other.\nWith --pubkey, zips must carry a valid minisign signature by that key.\n\nExit codes: 0 intact, 1 tampered (anything differs, or a signature is bad or missing),\n2 unusable (nothing could be checked, or a refused zip)."
    )]
    Verify {
        /// The bundle folder, zip or build output folder to check.
        path: PathBuf,
        /// A minisign public key file; zips must then be signed by its key.
        #[arg(long, value_name = "KEY")]
        pubkey: Option<PathBuf>,
    },
    /// Print a control's SOC 2 population digest, sample size and selected items with their
    /// ranking hashes, so anyone can re-draw the sample by hand.
    #[command(
        after_help = "Examples:\n  evidencepack sample AC-02\n  evidencepack sample CM-01 --population | sha256sum\n\nEach item's ranking hash is sha256(\"<seed>:<control>:<item id>\"); the sample is the\nitems with the smallest hashes. Check one: printf '%s' 'seed:AC-02:EV-1' | sha256sum\n\nExit codes: 0 ok, 1 content errors or no sampling seed, 2 unknown control or I/O failure."
    )]
    Sample {
        /// The control id, e.g. AC-02.
        control: String,
        /// Print the canonical population (the exact text the population digest is over) instead.
        #[arg(long)]
        population: bool,
        /// Output format: the explanation for people, or one JSON document (population with
        /// provenance and every item's attribute results, sample with ranking hashes,
        /// deviations).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Evaluate coverage, rotations, reviews and overdue items at this date inside the
        /// period (`YYYY-MM-DD`, or `today`); later intervals are not yet due [default: the
        /// period's end].
        #[arg(long, value_name = "DATE", default_value_t = AsOf::PeriodEnd, hide_default_value = true)]
        as_of: AsOf,
    },
    /// Write a new pack that checks without errors: pack.yaml, people, a policy, a control, an
    /// evidence record and a soa.yaml listing every Annex A control to decide.
    #[command(
        after_help = "Examples:\n  evidencepack init\n  evidencepack init my-pack\n\nNever overwrites a file: refuses when any file it would write exists.\n\nExit codes: 0 written, 2 a file exists or I/O failure."
    )]
    Init {
        /// The folder to write the pack into.
        #[arg(default_value = "content")]
        dir: PathBuf,
    },
    /// Write a well-formed record from a template into the folder of its kind.
    #[command(
        after_help = "Examples:\n  evidencepack new control AC-02\n  evidencepack new evidence EV-2026-0042 --today\n\nDates are the start of the pack's period, or today with --today. Never overwrites a file.\n\nExit codes: 0 written, 2 the file exists, no pack, or I/O failure."
    )]
    New {
        /// What kind of record.
        #[arg(value_enum)]
        kind: NewKind,
        /// Its id (also its file name).
        id: String,
        /// Date the record today (otherwise the start of the pack's period).
        #[arg(long)]
        today: bool,
    },
    /// List the framework ids controls can map to, with their titles and the pack's controls
    /// that map to each.
    #[command(
        after_help = "Examples:\n  evidencepack catalog iso27001-2022 access\n  evidencepack catalog soc2-2017 --unmapped\n  evidencepack catalog nist-csf-2.0 PR.AA\n\nOne line per id: framework, id, title and, in brackets, the controls mapping to it.\n\nExit codes: 0 listed, 1 nothing matched, 2 usage failure (or --unmapped without a pack)."
    )]
    Catalog {
        /// Only this framework.
        #[arg(value_enum)]
        framework: Option<Framework>,
        /// Words that must all occur in the id or title (any case).
        query: Vec<String>,
        /// Only the ids no control of the pack maps to.
        #[arg(long)]
        unmapped: bool,
    },
    /// Print the JSON Schema of a content file kind, or write every kind's schema into the
    /// pack's schemas/ folder (for editors: yaml-language-server modelines point there).
    #[command(
        after_help = "Examples:\n  evidencepack schema\n  evidencepack schema control > control.schema.json\n\nWithout KIND, rewrites <content>/schemas/*.schema.json (what init wrote) from this version's\nformat. Each YAML file names its schema on its first line:\n  # yaml-language-server: $schema=../schemas/control.schema.json\n\nExit codes: 0 written, 2 no pack or I/O failure."
    )]
    Schema {
        /// Only print this kind's schema.
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(
            crate::content::schema::SchemaKind::ALL.map(crate::content::schema::SchemaKind::name)
        ))]
        kind: Option<String>,
    },
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  evidencepack completions bash > ~/.local/share/bash-completion/completions/evidencepack\n  evidencepack completions zsh > ~/.zfunc/_evidencepack\n  evidencepack completions fish > ~/.config/fish/completions/evidencepack.fish"
    )]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Output format of `check` and `sample`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One line per problem, then a summary.
    Human,
    /// A JSON array of diagnostics.
    Json,
    /// A SARIF 2.1.0 log (GitHub code scanning annotations).
    Sarif,
}

/// When diagnostics are shown in the rich, rustc-like form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal; without colour when NO_COLOR is set.
    Auto,
    /// Always, with colour.
    Always,
    /// Never: one line per problem.
    Never,
}

impl ColorChoice {
    /// `None` for the one-line form; `Some(colour)` for the rich form.
    fn rich(self, is_terminal: bool) -> Option<bool> {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        match self {
            ColorChoice::Never => None,
            ColorChoice::Always => Some(true),
            ColorChoice::Auto => is_terminal.then_some(!no_color),
        }
    }
}

/// Run the command line; returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

impl Cli {
    /// The content root: `--content`, else the pack found from the current folder.
    pub fn content_root(&self) -> anyhow::Result<PathBuf> {
        let cwd =
            std::env::current_dir().map_err(|e| anyhow!("cannot read the current folder: {e}"))?;
        Ok(discover::content_root(self.content.as_deref(), &cwd))
    }
}

fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let content = &cli.content_root()?;
    match &cli.command {
        Command::Check {
            format,
            deny_warnings,
            as_of,
        } => {
            use std::io::IsTerminal;
            let rich = cli.color.rich(io::stdout().is_terminal());
            check::run(content, *format, *deny_warnings, rich, *as_of)
        }
        Command::Build {
            audience,
            sign,
            as_of,
            quiet,
        } => {
            use std::io::IsTerminal;
            let terminal = io::stderr().is_terminal();
            let options = BuildOptions {
                audience: audience.clone(),
                sign: sign.clone(),
                as_of: *as_of,
                progress: if shows_progress(*quiet, terminal) {
                    Progress::on_stderr()
                } else {
                    Progress::hidden()
                },
            };
            build::run(
                content,
                &cli.out,
                &options,
                *quiet,
                cli.color.rich(terminal),
            )
        }
        Command::Serve {
            port,
            bind,
            audience,
            as_of,
        } => serve::run(content, (*bind, *port).into(), audience.clone(), *as_of),
        Command::Verify { path, pubkey } => verify::run(path, pubkey.as_deref()),
        Command::Sample {
            control,
            population,
            format,
            as_of,
        } => sample::run(content, control, *population, *format, *as_of),
        Command::Init { dir } => init::run(dir, chrono::Local::now().date_naive()),
        Command::New { kind, id, today } => new::run(
            content,
            *kind,
            id,
            today.then(|| chrono::Local::now().date_naive()),
        ),
        Command::Catalog {
            framework,
            query,
            unmapped,
        } => catalog::run(content, *framework, query, *unmapped),
        Command::Schema { kind } => schema::run(content, kind.as_deref()),
        Command::Completions { shell } => completions::run(*shell),
    }
}

/// Does `build` draw its progress? On a terminal, unless `--quiet`.
fn shows_progress(quiet: bool, stderr_is_terminal: bool) -> bool {
    !quiet && stderr_is_terminal
}

/// Load and check the pack at `root` evaluated at `as_of` (attachments scanned for secrets).
fn read_content(root: &Path, as_of: AsOf) -> anyhow::Result<Checked> {
    load_and_check_as_of(root, as_of).map_err(|e| match e.kind() {
        io::ErrorKind::InvalidInput => anyhow!("{e}"),
        _ => anyhow!("cannot read content folder {}: {e}", root.display()),
    })
}

/// Did the command fail only because the reader of its output went away? (ripgrep's rule: a
/// broken pipe anywhere in the chain of causes.)
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_shows_on_a_terminal_unless_quiet() {
        assert!(shows_progress(false, true));
        assert!(!shows_progress(true, true));
        assert!(!shows_progress(false, false));
        assert!(!shows_progress(true, false));
    }
}
