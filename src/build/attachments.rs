//! The one place that reads an attachment.
//!
//! Every attachment is read once, in parallel with the others, and scanned for secrets in that
//! same read ([`FileScanner`]). What else happens to it depends on what the build does with it:
//!
//! - an attachment a visible evidence record names is **stored**: hashed as it is copied into the
//!   first bundle, content-addressed (`files/<sha256>.<ext>`); the other bundles
//!   [`share`] that copy without reading anything again;
//! - an attachment only withheld records name is **hashed** (the content digest covers it) and
//!   never written;
//! - any other file under `attachments/` is only **scanned**, as is every attachment when
//!   `check` runs alone ([`scan_all`]).
//!
//! The findings go to the secret guard ([`crate::check::SecretGuard::finish`]), which reports
//! them with the rest of the diagnostics; a build with one writes nothing to `--out`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use anyhow::{Context as _, Result};
use rayon::prelude::*;

use crate::bundle::{BundleWriter, FileEntry};
use crate::check::AttachmentSecret;
use crate::content::audience::Redactions;
use crate::content::{AttachmentKind, Content};
use crate::hashing::hash_reader;
use crate::secrets::{self, FileScanner, Finding};

/// The folder of a bundle that holds the stored attachments.
pub const FILES_DIR: &str = "files";

/// What reading the attachments of a build gave.
#[derive(Debug, Default)]
pub struct Attachments {
    /// Each stored attachment (path under `attachments/`) and its file in the first bundle.
    pub stored: BTreeMap<String, FileEntry>,
    /// The SHA-256 of every attachment an evidence record names, stored or withheld: what the
    /// content digest covers.
    pub digests: BTreeMap<String, String>,
    /// What the secret guard found, in any attachment.
    pub secrets: Vec<AttachmentSecret>,
}

/// What a build does with one attachment as it reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    /// Copy it into the bundle, hashing it.
    Store,
    /// Hash it (a withheld attachment).
    Hash,
    /// Only scan it.
    Scan,
}

/// Read every attachment of `content` for a build: store those visible records name into
/// `writer`, hash those `redactions` withholds, scan the rest; every one is scanned for secrets
/// in the same read.
pub fn read_all(
    content: &Content,
    redactions: &Redactions,
    writer: &BundleWriter,
) -> Result<Attachments> {
    gather(content, redactions, |rel, path, use_| match use_ {
        Use::Store => {
            let (e, f) = store(writer, path, &extension(rel))
                .with_context(|| format!("storing attachments/{rel}"))?;
            Ok((Some(e), f))
        }
        Use::Hash => {
            let (e, f) = hash(path, rel).with_context(|| format!("reading attachments/{rel}"))?;
            Ok((Some(e), f))
        }
        // One that cannot be read is not scanned: validation has reported it.
        Use::Scan => Ok((None, secrets::scan_file(path).unwrap_or_default())),
    })
}

/// What [`read_all`] gives, with nothing written: the SHA-256, size and secrets of each
/// attachment come from `known` (given its path under `attachments/` and on disk), which may
/// remember them from an earlier read ([`hash_and_scan`] reads one); a stored attachment's
/// entry is the one [`read_all`] would store (`files/<sha256>.<ext>`). What `serve` previews.
pub fn hash_all(
    content: &Content,
    redactions: &Redactions,
    known: impl Fn(&str, &Path) -> io::Result<Hashed> + Sync,
) -> Result<Attachments> {
    gather(content, redactions, |rel, path, use_| {
        let read = known(rel, path);
        let (sha256, size, found) = match (use_, read) {
            (Use::Scan, Err(_)) => return Ok((None, Vec::new())),
            (_, Err(e)) => {
                return Err(anyhow::Error::new(e).context(format!("reading attachments/{rel}")))
            }
            (_, Ok(h)) => h,
        };
        let path = match use_ {
            Use::Store => format!("{FILES_DIR}/{sha256}.{}", extension(rel)),
            Use::Hash => format!("attachments/{rel}"),
            Use::Scan => return Ok((None, found)),
        };
        Ok((Some(FileEntry { path, sha256, size }), found))
    })
}

/// An attachment's SHA-256, size and the secrets in it.
pub type Hashed = (String, u64, Vec<Finding>);

/// Read the attachment at `path` once: its SHA-256, size and secrets.
pub fn hash_and_scan(path: &Path) -> io::Result<Hashed> {
    let (entry, found) = hash(path, "")?;
    Ok((entry.sha256, entry.size, found))
}

/// Decide what to do with each attachment, `read` each one (in parallel) and gather the
/// results.
fn gather(
    content: &Content,
    redactions: &Redactions,
    read: impl Fn(&str, &Path, Use) -> Result<(Option<FileEntry>, Vec<Finding>)> + Sync,
) -> Result<Attachments> {
    let named: BTreeSet<&str> = content
        .evidence
        .iter()
        .flat_map(|r| r.value.attachments.iter().map(String::as_str))
        .collect();
    let plan: Vec<(&String, &Path, Use)> = content
        .attachments
        .iter()
        .filter_map(|(rel, a)| {
            let use_ = if redactions.attachments.contains(rel) {
                Use::Hash
            } else if named.contains(rel.as_str()) {
                Use::Store
            } else if a.kind == AttachmentKind::File {
                Use::Scan
            } else {
                return None;
            };
            Some((rel, a.path.as_path(), use_))
        })
        .collect();
    let read: Vec<(&String, Use, Option<FileEntry>, Vec<Finding>)> = plan
        .into_par_iter()
        .map(|(rel, path, use_)| {
            let (entry, found) = read(rel, path, use_)?;
            Ok((rel, use_, entry, found))
        })
        .collect::<Result<_>>()?;
    let mut out = Attachments::default();
    for (rel, use_, entry, found) in read {
        out.secrets
            .extend(found.into_iter().map(|f| (rel.clone(), f)));
        if let Some(e) = entry {
            out.digests.insert(rel.clone(), e.sha256.clone());
            if use_ == Use::Store {
                out.stored.insert(rel.clone(), e);
            }
        }
    }
    Ok(out)
}

/// Scan every attachment file of `content` for secrets (what `check` does with them), in
/// parallel. One that cannot be read is not scanned: validation has reported it.
pub fn scan_all(content: &Content) -> Vec<AttachmentSecret> {
    content
        .attachments
        .par_iter()
        .filter(|(_, a)| a.kind == AttachmentKind::File)
        .flat_map_iter(|(rel, a)| {
            secrets::scan_file(&a.path)
                .unwrap_or_default()
                .into_iter()
                .map(move |x| (rel.clone(), x))
        })
        .collect()
}

/// Give `writer`'s bundle the attachments the first bundle of the build stored (`stored`, in
/// the bundle at `from_root`): each file is hard-linked (or, where the file system cannot link,
/// copied) to the same path, and its entry reused, without reading or hashing anything again.
pub fn share(
    writer: &BundleWriter,
    from_root: &Path,
    stored: &BTreeMap<String, FileEntry>,
) -> Result<()> {
    stored.par_iter().try_for_each(|(rel, entry)| {
        writer
            .link_hashed(from_root, entry)
            .with_context(|| format!("storing attachments/{rel}"))?;
        Ok(())
    })
}

/// Copies the attachment at `path` into `writer`'s [`FILES_DIR`] by its content, scanning it.
fn store(writer: &BundleWriter, path: &Path, ext: &str) -> io::Result<(FileEntry, Vec<Finding>)> {
    let file = File::open(path)?;
    let size = file.metadata()?.len();
    let mut input = Scanning::new(file, path);
    let entry = writer.store_read(FILES_DIR, &mut input, size, ext)?;
    Ok((entry, input.finish()))
}

/// Hashes the attachment at `path` (`rel` under `attachments/`), scanning it.
fn hash(path: &Path, rel: &str) -> io::Result<(FileEntry, Vec<Finding>)> {
    let mut input = Scanning::new(File::open(path)?, path);
    let (sha256, size) = hash_reader(&mut input)?;
    let entry = FileEntry {
        path: format!("attachments/{rel}"),
        sha256,
        size,
    };
    Ok((entry, input.finish()))
}

/// The extension an attachment keeps in `files/` (lower case; `bin` when it has none that is
/// safe).
pub fn extension(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    match name.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty()
                && !ext.is_empty()
                && ext.len() <= 16
                && ext.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            ext.to_ascii_lowercase()
        }
        _ => "bin".to_string(),
    }
}

/// A reader that scans every byte it reads for secrets, so the read that hashes or copies a
/// file is also the one that scans it.
struct Scanning<R> {
    inner: R,
    scanner: FileScanner,
}

impl<R: Read> Scanning<R> {
    /// Reads `inner`, the file at `path` (whose extension says whether it is text).
    fn new(inner: R, path: &Path) -> Self {
        Scanning {
            inner,
            scanner: FileScanner::for_path(path),
        }
    }

    /// The findings, once everything was read.
    fn finish(self) -> Vec<Finding> {
        self.scanner.finish()
    }
}

impl<R: Read> Read for Scanning<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.scanner.feed(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_are_safe() {
        assert_eq!(extension("a/b/Report.PDF"), "pdf");
        assert_eq!(extension("a/.hidden"), "bin");
        assert_eq!(extension("noext"), "bin");
        assert_eq!(extension("x.t%t"), "bin");
    }

    /// A stored attachment is scanned in the read that copies it, to its last byte, whatever
    /// its size.
    #[test]
    fn a_stored_attachment_is_scanned_as_it_is_copied() {
        let d = tempfile::tempdir().unwrap();
        let token = format!("ghp_{}", "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8");
        let mut log = "x".repeat(crate::bundle::IN_MEMORY_BYTES as usize + 10);
        log.push_str(&format!("\ntoken {token}\n"));
        let path = d.path().join("big.log");
        std::fs::write(&path, &log).unwrap();
        let w = BundleWriter::new(&d.path().join("b")).unwrap();
        let (entry, found) = store(&w, &path, "log").unwrap();
        assert_eq!(entry.sha256, crate::hashing::sha256_hex(log.as_bytes()));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, 2);
        let (hashed, again) = hash(&path, "big.log").unwrap();
        assert_eq!((hashed.sha256, again.len()), (entry.sha256, 1));
    }
}
