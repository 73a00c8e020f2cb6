//! The command line: `check`, `build`, `verify` and `sample`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::build::check::{load_and_check, Checked};
use crate::diag;

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
    /// Check the pack, then render the ISO 27001 and SOC 2 bundles into the output folder, with
    /// a BagIt zip of each and a pack.json naming their digests.
    #[command(
        after_help = "Examples:\n  evidencepack build\n  evidencepack --content ../acme-pack --out /tmp/dist build --audience customer\n  EVIDENCEPACK_SIGN_PASSWORD=... evidencepack build --sign ~/.minisign/evidencepack.key\n  SOURCE_DATE_EPOCH=1782777600 evidencepack build\n\nOutput: <out>/iso27001/ and <out>/soc2/ (each with manifest-sha256.txt),\n<out>/iso27001-<12 hex>.zip and <out>/soc2-<12 hex>.zip (BagIt bags), <out>/pack.json.\nTimestamps come from SOURCE_DATE_EPOCH, else the period's end date, so the same content\nbuilds byte-identical output. The new output replaces the previous one only when the whole\nbuild succeeded; other files in the output folder are never touched.\n\nExit codes: 0 ok, 1 content errors (nothing written), 2 usage or I/O failure."
    )]
    Build {
        /// Who the bundles are for; records above the audience's max_classification are withheld.
        #[arg(long, value_enum, default_value_t = crate::build::Audience::Auditor)]
        audience: crate::build::Audience,
        /// Sign each zip's tagmanifest-sha256.txt with this minisign secret key file (an
        /// encrypted key's password is read from EVIDENCEPACK_SIGN_PASSWORD).
        #[arg(long, value_name = "KEY")]
        sign: Option<PathBuf>,
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
        Command::Sample {
            control,
            population,
        } => sample(cli, control, *population),
        Command::Build { audience, sign } => build(cli, *audience, sign.clone()),
        Command::Verify { path, pubkey } => verify(path, pubkey.as_deref()),
    }
}

/// `evidencepack verify PATH`: print every report; exit with the worst outcome's code.
fn verify(path: &Path, pubkey: Option<&Path>) -> anyhow::Result<ExitCode> {
    use crate::verify::{verify_path, Outcome};
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

/// `evidencepack build`: content errors go to stderr with exit code 1 and nothing is written.
fn build(
    cli: &Cli,
    audience: crate::build::Audience,
    sign: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let options = crate::build::BuildOptions { audience, sign };
    match crate::build::build(&cli.content, &cli.out, &options) {
        Ok(summary) => {
            let mut err = io::stderr().lock();
            for b in &summary.bundles {
                writeln!(
                    err,
                    "wrote {} ({} files, {}, bundle digest {}) and {}",
                    b.path.display(),
                    b.files,
                    crate::render::filesize(b.bytes),
                    b.digest,
                    b.zip.display()
                )?;
            }
            writeln!(
                err,
                "wrote {} (audience {}, {} record{} withheld{})",
                summary.pack_json.display(),
                audience.as_str(),
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
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => match e.downcast::<crate::build::ContentErrors>() {
            Ok(errors) => {
                let mut err = io::stderr().lock();
                for d in &errors.diagnostics {
                    writeln!(err, "{d}")?;
                }
                writeln!(err, "error: {errors}")?;
                Ok(ExitCode::from(1))
            }
            Err(other) => Err(other),
        },
    }
}

/// `evidencepack sample CONTROL`: refuse on content errors (1), unknown control (2).
fn sample(cli: &Cli, control: &str, population: bool) -> anyhow::Result<ExitCode> {
    use crate::analyse::{sampling, soc2::Sampler};
    let checked = load_and_check(&cli.content).map_err(|e| {
        anyhow::anyhow!("cannot read content folder {}: {e}", cli.content.display())
    })?;
    let content = &checked.content;
    let pack = match (&content.pack, checked.errors()) {
        (Some(pack), 0) => &pack.value,
        _ => {
            for d in checked
                .diagnostics
                .iter()
                .filter(|d| d.severity == diag::Severity::Error)
            {
                eprintln!("{d}");
            }
            eprintln!("error: the content has errors; fix them (see `evidencepack check`) before sampling");
            return Ok(ExitCode::from(1));
        }
    };
    let Some(record) = content.controls.iter().find(|r| r.value.id == control) else {
        let ids: Vec<&str> = content
            .controls
            .iter()
            .map(|r| r.value.id.as_str())
            .collect();
        let hint = match crate::diag::suggest::closest(control, &ids) {
            Some(best) => format!("did you mean `{best}`?"),
            None if ids.len() > 12 => format!("known controls include {}, …", ids[..12].join(", ")),
            None => format!("known controls: {}", ids.join(", ")),
        };
        eprintln!("error: unknown control `{control}`; {hint}");
        return Ok(ExitCode::from(2));
    };
    let sampler = match sampling::seed(&pack.soc2).and_then(|_| Sampler::new(content, pack)) {
        Ok(s) => s,
        Err(err) => {
            eprintln!("error: {err}");
            return Ok(ExitCode::from(1));
        }
    };
    let test = sampler.test(&record.value);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if population {
        out.write_all(sampling::canonical_population(&test.population).as_bytes())?;
    } else {
        sampler.explain(&test, &mut out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
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
