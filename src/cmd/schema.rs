//! `evidencepack schema [KIND]`: print the JSON Schema of one content file kind, or write every
//! kind's schema into the pack's `schemas/` folder (what `init` writes, regenerated after an
//! upgrade of evidencepack changed the format).

use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context};

use crate::content::schema::{SchemaKind, SCHEMA_DIR};

/// Print `kind`'s schema, or (without one) write them all into `<content>/schemas/`.
pub(super) fn run(content: &Path, kind: Option<&str>) -> anyhow::Result<ExitCode> {
    if let Some(name) = kind {
        let Some(kind) = SchemaKind::from_name(name) else {
            bail!("no content file kind `{name}`");
        };
        io::stdout().lock().write_all(kind.text().as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    if !content.join("pack.yaml").is_file() {
        bail!(
            "no pack.yaml in {}; give --content DIR, or a KIND to print its schema",
            content.display()
        );
    }
    let dir = content.join(SCHEMA_DIR);
    fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for kind in SchemaKind::ALL {
        let path = dir.join(kind.file_name());
        // Never write through a link: the schema files are the pack's own.
        if path.symlink_metadata().is_ok_and(|m| !m.is_file()) {
            bail!("{} is not a regular file; not overwritten", path.display());
        }
        fs::write(&path, kind.text())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    eprintln!(
        "wrote {} schemas in {}",
        SchemaKind::ALL.len(),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
