//! `evidencepack new KIND ID`: one well-formed record from a template, written into the folder
//! of its kind. Dates are today's only with `--today`; otherwise the start of the pack's period.
//! Names a person of people.yaml, and a policy or control of the pack where the record needs
//! one. Never overwrites a file. In a pack with `schemas/`, the record opens with the
//! yaml-language-server modeline naming its schema.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use chrono::NaiveDate;
use clap::ValueEnum;

use crate::build::check::load_and_validate;
use crate::content::schema::{SchemaKind, SCHEMA_DIR};

/// What kind of record to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NewKind {
    /// A policy (`policies/<id>.md`).
    Policy,
    /// A control (`controls/<id>.yaml`).
    Control,
    /// An evidence record (`evidence/<id>.yaml`).
    Evidence,
    /// A risk (`risks/<id>.yaml`).
    Risk,
    /// A non-human identity (`identities/<id>.yaml`).
    Identity,
    /// A management review (`reviews/<id>.md`).
    Review,
}

/// Write the record `id` of `kind` into the pack at `content`.
pub(super) fn run(
    content: &Path,
    kind: NewKind,
    id: &str,
    today: Option<NaiveDate>,
) -> anyhow::Result<ExitCode> {
    if id.is_empty()
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        || id.starts_with('.')
    {
        bail!("`{id}` is not a usable id: use letters, digits, `-`, `_` and `.`");
    }
    let validated = load_and_validate(content)
        .with_context(|| format!("cannot read content folder {}", content.display()))?;
    let c = &validated.content;
    let date = today
        .or_else(|| c.pack.as_ref().map(|p| p.value.period.start))
        .unwrap_or_default()
        .format("%Y-%m-%d")
        .to_string();
    let first = |ids: Vec<&str>, what: &str| -> anyhow::Result<String> {
        match ids.first() {
            Some(id) => Ok(id.to_string()),
            None => bail!("the pack has no {what} yet for the new record to name"),
        }
    };
    let person = first(
        c.people.iter().map(|p| p.value.id.as_str()).collect(),
        "person in people.yaml",
    )?;
    let (rel, text) = match kind {
        NewKind::Policy => (format!("policies/{id}.md"), format!(
            "---\nid: {id}\ntitle: New policy\nowner: {person}\napproved_by: {person}\napproved_on: {date}\nversion: \"1.0\"\n---\n# New policy\n\nWhat the policy requires.\n"
        )),
        NewKind::Control => {
            let policy = first(c.policies.iter().map(|d| d.meta.id.as_str()).collect(), "policy")?;
            (format!("controls/{id}.yaml"), format!(
                "id: {id}\ntitle: New control\ndescription: What is done, by whom, how often.\nowner: {person}\noperator: {person}\nfrequency: quarterly\npolicies: [{policy}]\n# Framework ids: `evidencepack catalog iso27001-2022 QUERY` lists them.\nmaps: {{}}\n"
            ))
        }
        NewKind::Evidence => {
            let control = first(c.controls.iter().map(|r| r.value.id.as_str()).collect(), "control")?;
            (format!("evidence/{id}.yaml"), format!(
                "id: {id}\ncontrols: [{control}]\nkind: ticket\ntitle: New evidence\noccurred_on: {date}\nperformed_by: {person}\nresult: pass\n"
            ))
        }
        NewKind::Risk => (format!("risks/{id}.yaml"), format!(
            "id: {id}\ntitle: New risk\nowner: {person}\nlikelihood: 3\nimpact: 3\ntreatment: mitigate\ncontrols: []\nreviewed_on: {date}\n"
        )),
        NewKind::Identity => (format!("identities/{id}.yaml"), format!(
            "id: {id}\nkind: service-account\nsystem: the system it lives in\nowner: {person}\ncreated_on: {date}\nrotation_days: 90\n"
        )),
        NewKind::Review => (format!("reviews/{id}.md"), format!(
            "---\nid: {id}\nkind: management-review\ndate: {date}\nattendees: [{person}]\nstatus: open\n---\n# Management review\n\nMinutes.\n"
        )),
    };
    // The modeline only where the pack has the schema (`init` writes them; `schema` rewrites).
    let has_schema = SchemaKind::of_file(&rel)
        .is_some_and(|k| content.join(SCHEMA_DIR).join(k.file_name()).is_file());
    let text = if has_schema {
        super::init::with_modeline(&rel, text)
    } else {
        text
    };
    let path: PathBuf = content.join(&rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut f = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            bail!(
                "{} already exists; new never overwrites a file",
                path.display()
            )
        }
        Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
    };
    f.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(ExitCode::SUCCESS)
}
