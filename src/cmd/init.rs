//! `evidencepack init [DIR]`: a new pack that checks without errors and builds: pack.yaml with
//! comments, two people, one policy, one control, one evidence record, and a soa.yaml listing
//! every Annex A control with its title, one line each, to decide; the JSON Schemas of every
//! file kind in `schemas/`, which each YAML file names in a yaml-language-server modeline.
//! Never overwrites a file.

use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use chrono::{Datelike, NaiveDate};

use crate::content::catalog::catalogs;
use crate::content::schema::{SchemaKind, SCHEMA_DIR};

/// The Annex A controls the starter control maps (decided by it, so not listed as to decide).
const MAPPED: [&str; 3] = ["5.15", "5.18", "8.2"];

/// The justification of an Annex A control not decided yet: an exclusion that checks, and that
/// `check` reports (`W163`) until it is replaced.
const UNDECIDED: &str = crate::check::SOA_TODO;

/// Write a new pack into `dir` (created if missing); refuse when any file exists already.
pub(super) fn run(dir: &Path, today: NaiveDate) -> anyhow::Result<ExitCode> {
    let files = files(today);
    let existing: Vec<PathBuf> = files
        .iter()
        .map(|(rel, _)| dir.join(rel))
        .filter(|p| p.symlink_metadata().is_ok())
        .collect();
    if !existing.is_empty() {
        let names: Vec<String> = existing.iter().map(|p| p.display().to_string()).collect();
        bail!(
            "{} already exist{}; init never overwrites a file: {}",
            if names.len() == 1 { "a file" } else { "files" },
            if names.len() == 1 { "s" } else { "" },
            names.join(", ")
        );
    }
    for (rel, text) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        // create_new: a file that appeared since the check above is still never overwritten.
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        f.write_all(text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let mut err = io::stderr().lock();
    writeln!(
        err,
        "wrote a new pack in {} ({} files)",
        dir.display(),
        files.len()
    )?;
    let content = if dir == Path::new("content") {
        String::new()
    } else {
        format!("--content {} ", dir.display())
    };
    writeln!(
        err,
        "next: edit pack.yaml and people.yaml, decide each Annex A control in soa.yaml, then\n  evidencepack {content}check\n  evidencepack {content}build"
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Every file of a new pack, by path relative to the pack: the records, each YAML one opening
/// with the modeline naming its schema, then the schemas.
fn files(today: NaiveDate) -> Vec<(String, String)> {
    let year = today.year();
    let date = today.format("%Y-%m-%d").to_string();
    let fill = |t: &str| {
        t.replace("{year}", &year.to_string())
            .replace("{today}", &date)
    };
    let records = [
        ("pack.yaml", fill(PACK)),
        ("people.yaml", PEOPLE.to_string()),
        ("policies/information-security.md", fill(POLICY)),
        ("controls/access.yaml", CONTROL.to_string()),
        ("evidence/access-review.yaml", fill(EVIDENCE)),
        ("soa.yaml", soa()),
    ];
    let mut files: Vec<(String, String)> = records
        .into_iter()
        .map(|(rel, text)| (rel.to_string(), with_modeline(rel, text)))
        .collect();
    files.extend(
        SchemaKind::ALL.map(|kind| (format!("{SCHEMA_DIR}/{}", kind.file_name()), kind.text())),
    );
    files
}

/// `text`, the file at `rel`, with the yaml-language-server modeline naming its schema: the
/// first line of a YAML file, the first line of a Markdown file's front matter.
pub(super) fn with_modeline(rel: &str, text: String) -> String {
    let Some(kind) = SchemaKind::of_file(rel) else {
        return text;
    };
    let modeline = kind.modeline(rel);
    match text.strip_prefix("---\n") {
        Some(rest) if rel.ends_with(".md") => format!("---\n{modeline}\n{rest}"),
        _ => format!("{modeline}\n{text}"),
    }
}

/// soa.yaml: every Annex A control in standard order, one line each, with its title.
fn soa() -> String {
    let mut out = String::from(SOA_HEAD);
    for a in &catalogs().iso.annex_a {
        let id = &a.id;
        let title = &a.title;
        let _ = if MAPPED.contains(&id.as_str()) {
            writeln!(
                out,
                "- {{ annex_a: \"{id}\", note: \"Implemented by AC-01.\" }}  # {title}"
            )
        } else {
            writeln!(
                out,
                "- {{ annex_a: \"{id}\", applicable: false, justification: \"{UNDECIDED}\" }}  # {title}"
            )
        };
    }
    out
}

const PACK: &str = r#"# The pack: who you are, what the ISMS and the SOC 2 system cover, and the period under review.
# docs/content-format.md in the evidencepack repository describes every field.
organisation: { name: Example Ltd, website: https://example.com }
scope:
  # ISO 27001 clause 4.3: what the ISMS covers. Markdown; link records as [text](policy:POL-IS).
  statement: |
    The ISMS covers the Example platform and the team that runs it, under the
    [information security policy](policy:POL-IS).
  boundaries: [Example platform]
system:
  # The SOC 2 system description.
  name: Example platform
  description: |
    A hosted service run by a small team.
period: { start: {year}-01-01, end: {year}-12-31 }
# Frameworks the controls map to: iso27001-2022, soc2-2017, nist-csf-2.0.
frameworks: [iso27001-2022, soc2-2017]
soc2:
  # Security is always in scope; add availability, confidentiality, processing-integrity, privacy.
  categories: [security]
  # Published so anyone can re-draw the SOC 2 sample; agree it with your auditor.
  sampling_seed: "example-{year}"
# What a record without `classification` counts as: public, internal, confidential, restricted.
default_classification: internal
"#;

const PEOPLE: &str = r#"# Everyone who owns, operates, performs or approves something. Records name people by id.
- { id: alex, name: Alex Example, title: Head of Security }
- { id: sam, name: Sam Example, title: Platform Engineer }
"#;

const POLICY: &str = r#"---
id: POL-IS
title: Information Security Policy
owner: alex
approved_by: alex
approved_on: {today}
version: "1.0"
controls: [AC-01]
clauses: ["5.2"]
---
# Information security

Production access is reviewed every quarter ([AC-01](control:AC-01)).
"#;

const CONTROL: &str = r#"- id: AC-01
  title: Quarterly review of production access
  description: |
    The platform engineer reviews every production account each quarter under the
    [information security policy](policy:POL-IS).
  owner: alex
  operator: sam
  frequency: annual
  policies: [POL-IS]
  # Framework ids: `evidencepack catalog iso27001-2022 access` lists them.
  maps:
    iso27001-2022: ["5.15", "5.18", "8.2"]
    soc2-2017: [CC6.1, CC6.2, CC6.3]
"#;

const EVIDENCE: &str = r#"- id: EV-{year}-0001
  controls: [AC-01]
  kind: access-review
  title: Review of production access
  occurred_on: {today}
  performed_by: sam
  approved_by: alex
  result: pass
"#;

const SOA_HEAD: &str = r#"# Statement of Applicability (ISO 27001 clause 6.1.3 d): decide every Annex A control.
# A control that one of yours maps to is applicable; exclude the others with a justification,
# or delete their line once a control maps to them. `evidencepack check` reports the lines
# still marked "TODO: decide".
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soa_lists_every_annex_a_control_once() {
        let soa = soa();
        assert_eq!(soa.lines().filter(|l| l.starts_with("- ")).count(), 93);
        assert!(soa.contains("- { annex_a: \"5.1\", applicable: false, justification: \"TODO: decide\" }  # Policies for information security\n"));
        assert!(soa.contains("- { annex_a: \"8.2\", note: \"Implemented by AC-01.\" }  # "));
    }

    #[test]
    fn yaml_files_and_front_matter_open_with_their_modeline() {
        let files = files(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        let text = |rel: &str| &files.iter().find(|(r, _)| r == rel).unwrap().1;
        assert!(text("pack.yaml")
            .starts_with("# yaml-language-server: $schema=schemas/pack.schema.json\n# The pack"));
        assert!(text("controls/access.yaml").starts_with(
            "# yaml-language-server: $schema=../schemas/control.schema.json\n- id: AC-01"
        ));
        assert!(text("policies/information-security.md").starts_with(
            "---\n# yaml-language-server: $schema=../schemas/policy.schema.json\nid: POL-IS"
        ));
        assert_eq!(text("schemas/risk.schema.json"), &SchemaKind::Risk.text());
        assert_eq!(files.len(), 6 + SchemaKind::ALL.len());
    }
}
