//! The source exports in the bundles: each export the audience may see is stored, hashed, as
//! `files/<sha256>.<ext>` like an attachment, so the report links the very file its population
//! came from. The export was parsed, hashed and scanned for secrets when the pack was loaded
//! ([`crate::content::sources`]), and that one read also wrote the copy stored here
//! ([`SourceData::copy`](crate::content::sources::SourceData::copy)): the bundle holds the
//! bytes that were parsed and hashed, and each export is read once. Should the copy be
//! missing (it could not be written), the export is read again, and that read must give the
//! same SHA-256, or the export changed during the build and the build stops.

use std::collections::BTreeMap;
use std::fs::File;

use anyhow::{bail, Context as _, Result};

use super::attachments::{extension, FILES_DIR};
use crate::bundle::{BundleWriter, FileEntry};
use crate::content::audience::Redactions;
use crate::content::sections::Section;
use crate::content::sources::SourceData;
use crate::content::Content;
use crate::sources::Loaded;

/// Copies into `writer`'s bundle every loaded export whose classification the audience may see;
/// returns each one's entry by its path relative to the content root.
pub(super) fn store_all(
    content: &Content,
    redactions: &Redactions,
    writer: &BundleWriter,
) -> Result<BTreeMap<String, FileEntry>> {
    let mut stored = BTreeMap::new();
    for (s, loaded) in visible(content, redactions) {
        if let Some(copy) = &s.copy {
            let p = &loaded.provenance;
            let entry = writer
                .store_staged(FILES_DIR, copy, &p.sha256, p.bytes, &extension(&s.rel))
                .with_context(|| format!("storing {}", s.rel))?;
            stored.insert(s.rel.clone(), entry);
            continue;
        }
        let path = content.root.join(&s.rel);
        let mut file = File::open(&path).with_context(|| format!("storing {}", s.rel))?;
        let size = file.metadata()?.len();
        let entry = writer
            .store_read(FILES_DIR, &mut file, size, &extension(&s.rel))
            .with_context(|| format!("storing {}", s.rel))?;
        if entry.sha256 != loaded.provenance.sha256 {
            bail!(
                "{} changed while the pack was being built (SHA-256 {} when read, {} when copied); exports must not change",
                s.rel,
                loaded.provenance.sha256,
                entry.sha256
            );
        }
        stored.insert(s.rel.clone(), entry);
    }
    Ok(stored)
}

/// The entries a build stores (`store_all`), from what the load found (nothing read again): what
/// `serve` previews.
pub fn entries(content: &Content, redactions: &Redactions) -> BTreeMap<String, FileEntry> {
    visible(content, redactions)
        .map(|(s, loaded)| {
            let p = &loaded.provenance;
            let entry = FileEntry {
                path: format!("{FILES_DIR}/{}.{}", p.sha256, extension(&s.rel)),
                sha256: p.sha256.clone(),
                size: p.bytes,
            };
            (s.rel.clone(), entry)
        })
        .collect()
}

/// Each loaded export the audience may see, with what its load found: the one rule for what
/// `store_all` stores and `entries` previews.
fn visible<'c>(
    content: &'c Content,
    redactions: &'c Redactions,
) -> impl Iterator<Item = (&'c SourceData, &'c Loaded)> {
    let declared = content.pack.as_ref().map(|p| &p.value.sources);
    // Exports are evidence: an audience without the evidence section gets none.
    let shown = redactions.sections.shows(Section::Evidence);
    content.sources.iter().filter_map(move |s| {
        if !shown {
            return None;
        }
        let decl = declared?.get(s.decl)?;
        let loaded = s.loaded.as_ref()?;
        (content.source_classification(decl) <= redactions.max).then_some((s, &**loaded))
    })
}
