//! gen-pack: the project's own seeded, deterministic generator of synthetic evidence packs, for
//! the benchmarks (`scripts/bench.sh`) and scale tests. Same seed and parameters give
//! byte-identical files on every machine.
//!
//! ```text
//! cargo run --release --example gen-pack -- --out /tmp/pack-100k --evidence 100000 --attachments-mb 1024 --seed 1
//! ```
//!
//! It writes what `docs/content-format.md` describes and `evidencepack check` passes with no
//! errors at any size: pack.yaml, people, policies, controls mapped to all three frameworks, a
//! SoA that decides all 93 Annex A controls, risks, non-human identities with their rotations,
//! evidence records, population CSVs, reviews, and text and binary attachments. The shapes and
//! proportions follow `shared/tools/gen-corpus.py`, the Python generator the README's older
//! figures were measured on. It prints one JSON line of counts.
//!
//! `--source-rows N` also writes raw exports under `sources/` in their vendors' formats (a
//! generic CSV and a Jira "Export CSV (all fields)" of N rows each, and with `--source-kinds` a
//! `gh pr list --json` array of N pull requests and an AWS IAM credential report). Only
//! `--declare-sources` declares them in pack.yaml (and gives people and identities their
//! `accounts:`), so that `check`, `sample` and `build` read them.

mod attachments;
mod catalog;
mod evidence;
mod records;
mod rng;
mod sources;
mod text;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDate;
use clap::Parser;

use crate::sources::Kind;
use crate::text::Out;

/// What to generate.
#[derive(Parser, Debug, Clone)]
#[command(
    name = "gen-pack",
    about = "Write a seeded synthetic evidence pack for benchmarks and scale tests"
)]
pub(crate) struct Params {
    /// Content root to create (must not exist, or be empty).
    #[arg(long)]
    pub(crate) out: PathBuf,
    /// Seed; the same seed and parameters give byte-identical files.
    #[arg(long, default_value = "1")]
    pub(crate) seed: String,
    /// Evidence records.
    #[arg(long, default_value_t = 1000)]
    pub(crate) evidence: usize,
    /// Total size of the attachment files, in MiB.
    #[arg(long, default_value_t = 10.0)]
    pub(crate) attachments_mb: f64,
    /// Median attachment size, in KiB (sizes are log-normal, 1 KiB to 4 MiB).
    #[arg(long, default_value_t = 48.0)]
    pub(crate) attachment_kb: f64,
    /// Evidence records per YAML file (1 writes a mapping, more a list).
    #[arg(long, default_value_t = 1)]
    pub(crate) per_file: usize,
    /// Policies.
    #[arg(long, default_value_t = 20)]
    pub(crate) policies: usize,
    /// Controls (spread over 14 families).
    #[arg(long, default_value_t = 60)]
    pub(crate) controls: usize,
    /// People.
    #[arg(long, default_value_t = 24)]
    pub(crate) people: usize,
    /// Non-human identities.
    #[arg(long, default_value_t = 40)]
    pub(crate) identities: usize,
    /// Risks.
    #[arg(long, default_value_t = 30)]
    pub(crate) risks: usize,
    /// Reviews (a management review, then internal audits, nonconformities, corrective actions).
    #[arg(long, default_value_t = 6)]
    pub(crate) reviews: usize,
    /// Event-driven controls that get a population CSV.
    #[arg(long, default_value_t = 3)]
    pub(crate) populations: usize,
    /// Approximate size of a policy's Markdown body, in KiB.
    #[arg(long, default_value_t = 4.0)]
    pub(crate) policy_kb: f64,
    /// First day of the period.
    #[arg(long = "period-start", default_value = "2026-01-01")]
    pub(crate) start: NaiveDate,
    /// Last day of the period.
    #[arg(long = "period-end", default_value = "2026-06-30")]
    pub(crate) end: NaiveDate,
    /// The organisation's name.
    #[arg(long, default_value = "Example Cloud Ltd")]
    pub(crate) organisation: String,
    /// Also write raw exports under sources/, N rows each (the AWS credential report lists the
    /// account's users instead).
    #[arg(long, value_name = "N")]
    pub(crate) source_rows: Option<usize>,
    /// Which exports --source-rows writes.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "csv,jira-csv",
        requires = "source_rows"
    )]
    pub(crate) source_kinds: Vec<Kind>,
    /// Declare the exports in pack.yaml (`sources:`) and give people and identities their
    /// `accounts:`, so that `check`, `sample` and `build` read them.
    #[arg(long, requires = "source_rows")]
    pub(crate) declare_sources: bool,
}

/// What was written.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Summary {
    /// Files written.
    pub(crate) files: u64,
    /// Bytes written.
    pub(crate) bytes: u64,
    /// People.
    pub(crate) people: usize,
    /// Policies.
    pub(crate) policies: usize,
    /// Controls.
    pub(crate) controls: usize,
    /// Non-human identities.
    pub(crate) identities: usize,
    /// Risks.
    pub(crate) risks: usize,
    /// Reviews.
    pub(crate) reviews: usize,
    /// Evidence records.
    pub(crate) evidence: usize,
    /// Of which scheduled rotations.
    pub(crate) rotations: usize,
    /// Attachment files.
    pub(crate) attachments: usize,
    /// Their bytes.
    pub(crate) attachment_bytes: u64,
    /// SoA exclusions.
    pub(crate) soa_exclusions: usize,
    /// Population CSV rows.
    pub(crate) population_rows: usize,
    /// Rows of each export under sources/, by kind.
    pub(crate) source_rows: BTreeMap<&'static str, usize>,
    /// Bytes under sources/.
    pub(crate) source_bytes: u64,
}

/// The repository's framework catalogs.
fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// Writes the pack `p` describes.
pub(crate) fn generate(p: &Params) -> io::Result<Summary> {
    if p.policies < 1 || p.controls < 2 || p.people < 3 || p.end < p.start {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "need --policies >= 1, --controls >= 2, --people >= 3 and a period that ends after it starts",
        ));
    }
    let out = Out::new(&p.out)?;
    let catalogs = catalog::Catalogs::load(&data_dir(), &records::SOC2_CATEGORIES)?;
    let mut reg = records::plan(p, &catalogs);
    let ev = evidence::plan(p, &reg);
    let srcs = match p.source_rows {
        Some(rows) => sources::plan(&p.source_kinds, rows, &reg),
        None => Vec::new(),
    };
    let declare = p.declare_sources && !srcs.is_empty();
    let declarations = declare.then(|| sources::declarations(p, &reg, &srcs));
    let mut aws_accounts = vec![false; reg.identities.len()];
    if declare && srcs.iter().any(|s| s.kind == Kind::AwsIamCredentialReport) {
        for i in sources::aws_identities(&reg) {
            aws_accounts[i] = true;
        }
    }

    records::write_pack_yaml(&out, p, declarations.as_deref())?;
    records::write_people(&out, &reg, declare)?;
    records::write_policies(&out, p, &reg)?;
    records::write_controls(&out, &reg)?;
    records::write_soa(&out, &mut reg, &catalogs)?;
    records::write_risks(&out, p, &reg)?;
    records::write_identities(&out, &reg, &aws_accounts)?;
    records::write_reviews(&out, p, &reg)?;

    let att = attachments::Plan::new(p, &ev);
    evidence::write(&out, p, &reg, &ev, &att)?;
    let attachment_bytes = att.write(&out, p, &reg, &ev)?;
    let taken: Vec<usize> = srcs.iter().filter_map(|s| s.control).collect();
    let population_rows = evidence::write_populations(&out, p, &reg, &ev, &taken)?;
    let source_bytes = sources::write(&out, p, &reg, &ev, &srcs)?;

    Ok(Summary {
        files: out.files(),
        bytes: out.bytes(),
        people: reg.people.len(),
        policies: reg.policies.len(),
        controls: reg.controls.len(),
        identities: reg.identities.len(),
        risks: reg.risks.len(),
        reviews: p.reviews,
        evidence: ev.records.len(),
        rotations: ev.rotations,
        attachments: att.len(),
        attachment_bytes,
        soa_exclusions: reg.soa_exclusions,
        population_rows,
        source_rows: srcs.iter().map(|s| (s.kind.name(), s.rows)).collect(),
        source_bytes,
    })
}

fn main() -> ExitCode {
    let p = Params::parse();
    let started = Instant::now();
    match generate(&p) {
        Ok(summary) => {
            let mut json = serde_json::to_value(&summary).expect("a summary serialises");
            json["out"] = p.out.display().to_string().into();
            json["seed"] = p.seed.clone().into();
            json["seconds"] = ((started.elapsed().as_secs_f64() * 100.0).round() / 100.0).into();
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen-pack: {e}");
            ExitCode::from(2)
        }
    }
}
