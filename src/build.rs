//! The `build` pipeline: check, render every bundle into a staging folder, then move the new
//! output into place.
//!
//! 1. [`crate::cli::load_and_check`]; any error stops the build before anything is written
//!    ([`ContentErrors`], exit code 1).
//! 2. A staging folder `<out>/.evidencepack-staging-<pid>/` is created inside the output folder
//!    (same file system, so the final moves are renames).
//! 3. Each bundle is rendered into `<staging>/<bundle>/` through its own
//!    [`BundleWriter`]: attachments first (content-addressed, hashed while copied), then the
//!    [`content_digest`], then the pages, then `manifest-sha256.txt` ([`BundleWriter::finish`]).
//!    A new bundle is one more call in [`build`]; zips, signatures and `pack.json` are staged the
//!    same way after the bundles.
//! 4. Only when everything succeeded, [`Staging::publish`] moves each staged entry into
//!    `<out>/`, replacing the previous one. It replaces only what this tool made (a bundle folder
//!    with a `manifest-sha256.txt`) and never touches other files in `<out>/`. A failed build
//!    removes its staging folder and leaves the previous output as it was.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};

use crate::bundle::{hex, BundleWriter, FileEntry, Manifest, MANIFEST_NAME};
use crate::cli::load_and_check;
use crate::diag::{Diagnostic, Severity};
use crate::load::Content;
use crate::render::{self, Bundle, Overrides, Source};
use crate::validate::Index;

/// Prefix of the staging folder a build keeps inside the output folder.
pub const STAGING_PREFIX: &str = ".evidencepack-staging-";

/// Who a build is for (`--audience`); the pack's `audiences:` say what each may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Audience {
    /// The certification or SOC 2 auditor (the default).
    #[default]
    Auditor,
    /// A customer receiving the pack under NDA.
    Customer,
}

impl Audience {
    /// The audience's name as used in pack.yaml.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Auditor => "auditor",
            Audience::Customer => "customer",
        }
    }
}

/// Options of `evidencepack build`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Who the bundles are for.
    pub audience: Audience,
}

/// What a successful build wrote.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    /// The content digest every page shows (see [`content_digest`]).
    pub content_digest: String,
    /// Each bundle written, in order.
    pub bundles: Vec<BundleSummary>,
    /// Warnings `check` reported (they do not stop a build).
    pub warnings: Vec<Diagnostic>,
}

/// One bundle of a build.
#[derive(Debug, Clone)]
pub struct BundleSummary {
    /// Which bundle.
    pub bundle: Bundle,
    /// Its final folder.
    pub path: PathBuf,
    /// Number of files in its manifest.
    pub files: usize,
    /// Total bytes of those files.
    pub bytes: u64,
    /// SHA-256 of its `manifest-sha256.txt`.
    pub digest: String,
}

/// The pack has errors: nothing was written. Carries every diagnostic (errors and warnings).
#[derive(Debug)]
pub struct ContentErrors {
    /// Every problem found, sorted by path and position.
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (errors, _) = crate::diag::counts(&self.diagnostics);
        write!(
            f,
            "the content has {errors} error{}; nothing was written",
            if errors == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for ContentErrors {}

/// Check the pack at `content_root` and write its bundles into `out_dir`.
///
/// Returns [`ContentErrors`] (inside the `anyhow::Error`) when the content does not pass
/// `check`; any other error is a usage or I/O problem. Either way the previous output in
/// `out_dir` is left as it was.
pub fn build(content_root: &Path, out_dir: &Path, options: &BuildOptions) -> Result<BuildSummary> {
    let checked = load_and_check(content_root)
        .with_context(|| format!("cannot read content folder {}", content_root.display()))?;
    if checked.errors() > 0 {
        return Err(ContentErrors {
            diagnostics: checked.diagnostics,
        }
        .into());
    }
    let content = &checked.content;
    let warnings: Vec<Diagnostic> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .cloned()
        .collect();
    let overrides = Overrides::load(content_root)?;
    let index = Index::build(content);

    fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create output folder {}", out_dir.display()))?;
    let staging = Staging::new(out_dir)?;

    // The ISO bundle stores the attachments first: their hashes are part of the content digest
    // every page shows.
    let iso_writer = BundleWriter::new(&staging.path().join(Bundle::Iso27001.dir()))?;
    let attachments = render::store_attachments(&iso_writer, content)?;
    let digest = content_digest(content, &overrides, &attachments);
    let source = Source {
        content,
        index: &index,
        warnings: &warnings,
        content_digest: &digest,
        audience: options.audience.as_str(),
        attachments: &attachments,
        overrides: &overrides,
    };
    render::iso::render(&source, &iso_writer)?;
    let iso_manifest = iso_writer.finish()?;
    let soc2_writer = BundleWriter::new(&staging.path().join(Bundle::Soc2.dir()))?;
    render::soc2::render(&source, &soc2_writer)?;
    let soc2_manifest = soc2_writer.finish()?;
    check_links(staging.path())?;

    let mut bundles = vec![
        summary(Bundle::Iso27001, out_dir, &iso_manifest),
        summary(Bundle::Soc2, out_dir, &soc2_manifest),
    ];
    bundles.sort_by_key(|b| b.bundle.dir());
    let names: Vec<&str> = bundles.iter().map(|b| b.bundle.dir()).collect();
    staging.publish(&names)?;
    Ok(BuildSummary {
        content_digest: digest,
        bundles,
        warnings,
    })
}

/// Fail the build when a link in either staged bundle, inside it or across to the other,
/// points to a file (or a fragment) that does not exist ([`crate::linkcheck`]).
fn check_links(staged: &Path) -> Result<()> {
    let broken = crate::linkcheck::check(staged, &[Bundle::Iso27001.dir(), Bundle::Soc2.dir()])?;
    if broken.is_empty() {
        return Ok(());
    }
    let shown: Vec<String> = broken.iter().take(20).map(|b| format!("  {b}")).collect();
    let more = broken.len().saturating_sub(shown.len());
    bail!(
        "{} broken link{} in the rendered bundles; nothing was written:\n{}{}",
        broken.len(),
        if broken.len() == 1 { "" } else { "s" },
        shown.join("\n"),
        if more > 0 {
            format!("\n  and {more} more")
        } else {
            String::new()
        }
    )
}

fn summary(bundle: Bundle, out_dir: &Path, manifest: &Manifest) -> BundleSummary {
    BundleSummary {
        bundle,
        path: out_dir.join(bundle.dir()),
        files: manifest.entries.len(),
        bytes: manifest.entries.iter().map(|e| e.size).sum(),
        digest: manifest.digest.clone(),
    }
}

/// The content digest: SHA-256 (hex) identifying the exact input a bundle was built from.
///
/// Definition (version 1). The SHA-256 of this byte sequence:
///
/// 1. the 26 bytes `evidencepack-content-v1\n` plus its length prefix as below;
/// 2. for every content file that was loaded (`pack.yaml`, `people.yaml`, `soa.yaml`,
///    `policies/`, `controls/`, `risks/`, `identities/`, `evidence/`, `populations/`,
///    `reviews/`), sorted by the bytes of its `/`-separated path relative to the content root:
///    the path, then the file's bytes;
/// 3. for every template and asset override (`templates/**`, `assets/**` inside the content
///    root), sorted by path: the path, then the bytes;
/// 4. for every attachment an evidence record names, sorted by path: `attachments/<path>`, then
///    the 64 lower-case hex digits of its SHA-256.
///
/// Every item (string or byte run) is preceded by its length as an unsigned 64-bit big-endian
/// integer, so no two different inputs give the same sequence. Files outside these folders
/// (a README, `.git/`) and attachments nobody references do not count: they cannot change the
/// output.
pub fn content_digest(
    content: &Content,
    overrides: &Overrides,
    attachments: &BTreeMap<String, FileEntry>,
) -> String {
    fn item(h: &mut Sha256, bytes: &[u8]) {
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    }
    let mut h = Sha256::new();
    item(&mut h, b"evidencepack-content-v1\n");
    let mut files: Vec<(&str, &[u8])> = content
        .files
        .iter()
        .map(|f| (f.rel.as_str(), f.text.as_bytes()))
        .collect();
    files.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    for (rel, bytes) in files {
        item(&mut h, rel.as_bytes());
        item(&mut h, bytes);
    }
    for (rel, bytes) in overrides.files() {
        item(&mut h, rel.as_bytes());
        item(&mut h, bytes);
    }
    for (rel, entry) in attachments {
        item(&mut h, format!("attachments/{rel}").as_bytes());
        item(&mut h, entry.sha256.as_bytes());
    }
    hex(&h.finalize())
}

/// A build's private staging folder inside the output folder; removed when dropped.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
}

impl Staging {
    /// Create `<out>/.evidencepack-staging-<pid>/` (replacing a leftover of a crashed build
    /// that had the same process id).
    pub fn new(out: &Path) -> Result<Staging> {
        let dir = out.join(format!("{STAGING_PREFIX}{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot remove stale {}", dir.display()))?;
        }
        fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
        })
    }

    /// The staging folder; stage each output entry at `path().join(name)`.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Move the staged entries `names` into the output folder, replacing previous versions.
    ///
    /// A previous bundle folder is replaced only when it holds a `manifest-sha256.txt` (it was
    /// made by this tool); a previous file only when it is a regular file. Should a move fail,
    /// the entries already moved are put back as they were.
    pub fn publish(self, names: &[&str]) -> Result<()> {
        for name in names {
            let target = self.out.join(name);
            match fs::symlink_metadata(&target) {
                Err(_) => {}
                Ok(md) if md.is_dir() => {
                    if !target.join(MANIFEST_NAME).is_file() {
                        bail!(
                            "refusing to replace {}: it was not made by evidencepack (no {MANIFEST_NAME}); move it away and build again",
                            target.display()
                        );
                    }
                }
                Ok(md) if md.is_file() => {}
                Ok(_) => bail!(
                    "refusing to replace {}: not a folder or file",
                    target.display()
                ),
            }
        }
        let old = self.dir.join("previous");
        fs::create_dir(&old)?;
        let mut done: Vec<(&str, bool)> = Vec::new();
        let result = (|| -> Result<()> {
            for name in names {
                let target = self.out.join(name);
                let had_old = target.exists();
                if had_old {
                    fs::rename(&target, old.join(name))
                        .with_context(|| format!("cannot move {} aside", target.display()))?;
                }
                done.push((name, had_old));
                fs::rename(self.dir.join(name), &target)
                    .with_context(|| format!("cannot move the new {} into place", name))?;
            }
            Ok(())
        })();
        if result.is_err() {
            for (name, had_old) in done.iter().rev() {
                let target = self.out.join(name);
                if target.exists() {
                    let _ = fs::rename(&target, self.dir.join(name));
                }
                if *had_old {
                    let _ = fs::rename(old.join(name), &target);
                }
            }
        }
        result
        // Dropping `self` removes the staging folder with the previous versions in it.
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_replaces_own_output_and_keeps_other_files() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path();
        fs::create_dir(out.join("iso27001")).unwrap();
        fs::write(out.join("iso27001/old.html"), "old").unwrap();
        fs::write(out.join("iso27001").join(MANIFEST_NAME), "").unwrap();
        fs::write(out.join("notes.txt"), "mine").unwrap();
        let s = Staging::new(out).unwrap();
        fs::create_dir(s.path().join("iso27001")).unwrap();
        fs::write(s.path().join("iso27001/new.html"), "new").unwrap();
        let staging_dir = s.path().to_path_buf();
        s.publish(&["iso27001"]).unwrap();
        assert!(out.join("iso27001/new.html").exists());
        assert!(!out.join("iso27001/old.html").exists());
        assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
        assert!(!staging_dir.exists());
    }

    #[test]
    fn publish_refuses_a_folder_it_did_not_make() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path();
        fs::create_dir(out.join("iso27001")).unwrap();
        fs::write(out.join("iso27001/precious.txt"), "x").unwrap();
        let s = Staging::new(out).unwrap();
        fs::create_dir(s.path().join("iso27001")).unwrap();
        assert!(s.publish(&["iso27001"]).is_err());
        assert!(out.join("iso27001/precious.txt").exists());
        let leftovers: Vec<_> = fs::read_dir(out).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folder left behind");
    }
}
