//! The `build` pipeline: check, render every bundle into a staging folder, then move the new
//! output into place.
//!
//! 1. [`crate::cli::load_and_validate`]; any error stops the build before anything is written
//!    ([`ContentErrors`], exit code 1). The attachments are scanned for secrets as step 3 reads
//!    them (each file is read once); a secret stops the build there, and its staging folder is
//!    removed.
//! 2. A staging folder `<out>/.evidencepack-staging-<pid>/` is created inside the output folder
//!    (same file system, so the final moves are renames).
//! 3. Each bundle is rendered into `<staging>/<bundle>/` through its own
//!    [`BundleWriter`]: attachments first (content-addressed, hashed while copied; the bundles
//!    after the first hard-link the first one's files, [`render::share_attachments`]), then the
//!    [`content_digest`], then the pages, then `manifest-sha256.txt` ([`BundleWriter::finish`]).
//!    A file identical to the one at the same path in the bundle folder being replaced is
//!    hard-linked from it ([`BundleWriter::reusing`]; bytes compared, never trusted), so a
//!    rebuild creates and deletes only the files that changed. A new bundle is one more call in
//!    [`build`].
//! 4. Each bundle is packed as a BagIt zip `<bundle>-<first 12 hex of its bundle digest>.zip`
//!    ([`crate::package::write_bag_zip_reusing`], signed with `--sign`; the SOC 2 zip copies the
//!    attachments the ISO zip already compressed), and `pack.json` names every bundle's folder,
//!    zip and digest (its format is in the README); both are staged beside the bundles.
//! 5. Only when everything succeeded, [`Staging::publish`] moves each staged entry into
//!    `<out>/`, replacing the previous one, and retires the zips the previous `pack.json` named.
//!    It replaces only what this tool made (a bundle folder with a `manifest-sha256.txt`, a
//!    zip named in the previous `pack.json`) and never touches other files in `<out>/`. A failed
//!    build removes its staging folder and leaves the previous output as it was.
//!
//! # Audiences
//!
//! [`Redactions::for_audience`] decides what the build's audience may not see. The SOC 2
//! bundle renders from the full content (it samples from every record and redacts its own
//! views); the ISO bundle renders from [`Redactions::redact`]'s copy, in which withheld records
//! keep only their structure. Neither stores a withheld attachment, but the content digest
//! covers every referenced attachment, so it is the same for every audience.
//!
//! # Reproducibility
//!
//! Every timestamp a build writes (zip entries, `Bagging-Date`, `built_at` in `pack.json`) is
//! taken from `SOURCE_DATE_EPOCH` when it is set, else from the period's end date at 00:00 UTC,
//! never from the clock: the same content builds byte-identical folders, zips and `pack.json`
//! (a signed zip differs in its signature entry only, since minisign signatures are randomised).

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};

use crate::audience::Redactions;
use crate::bundle::{
    hash_reader, hex, BundleWriter, FileEntry, Manifest, ObservedReader, MANIFEST_NAME,
};
use crate::cli::load_and_validate;
use crate::diag::{Diagnostic, Severity};
use crate::load::Content;
use crate::package::{self, BagInfo, Signer};
use crate::render::{self, Bundle, Overrides, Source};
use crate::secrets::{FileScanner, Finding};
use crate::validate::{self, Index};

/// Prefix of the staging folder a build keeps inside the output folder.
pub const STAGING_PREFIX: &str = ".evidencepack-staging-";

/// File in the output folder that a build holds locked while it stages and publishes, so two
/// builds into one folder never interleave. It is empty and stays between builds.
pub const LOCK_NAME: &str = ".evidencepack.lock";

/// Name of the file at the top of the output folder that names every bundle, zip and digest.
pub const PACK_JSON: &str = "pack.json";

/// Value of `format` in `pack.json`; changes only when a reader would misread the file.
pub const PACK_FORMAT: &str = "evidencepack-pack/1";

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
    /// A minisign secret key file to sign each zip with (its password, when encrypted, comes
    /// from `EVIDENCEPACK_SIGN_PASSWORD`).
    pub sign: Option<PathBuf>,
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
    /// Records withheld from the audience.
    pub withheld: usize,
    /// Key id of the minisign key the zips were signed with.
    pub signed_by: Option<String>,
    /// The `pack.json` written.
    pub pack_json: PathBuf,
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
    /// Its BagIt zip.
    pub zip: PathBuf,
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
    let validated = load_and_validate(content_root)
        .with_context(|| format!("cannot read content folder {}", content_root.display()))?;
    if validated.errors() > 0 {
        // Every problem at once: the attachments are scanned for secrets too (read, not copied).
        return Err(ContentErrors {
            diagnostics: validated.scan_attachments_and_finish().diagnostics,
        }
        .into());
    }
    let audience = options.audience.as_str();
    let redactions = Arc::new(Redactions::for_audience(&validated.content, audience)?);
    let signer = match &options.sign {
        Some(key) => Some(Signer::from_file(key, None)?),
        None => None,
    };
    let overrides = Overrides::load(content_root)?;

    fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create output folder {}", out_dir.display()))?;
    let staging = Staging::new(out_dir)?;

    // The ISO bundle stores the attachments first: their hashes are part of the content digest
    // every page shows. Each attachment is read once, and the secret guard scans it on the way:
    // a stored one as it is copied, a withheld one as it is hashed, any other just to scan it.
    // A secret stops the build here, and dropping `staging` removes what was copied.
    let iso_writer = writer(&staging, out_dir, Bundle::Iso27001)?;
    let stored = render::store_attachments(&iso_writer, &validated.content, &redactions)?;
    let withheld = withheld_attachments(&validated.content, &redactions)?;
    let mut found = validate::scan_attachments(&validated.content, |rel| {
        stored.entries.contains_key(rel) || withheld.entries.contains_key(rel)
    });
    found.extend(stored.secrets);
    found.extend(withheld.secrets);
    let checked = validated.finish(found);
    if checked.errors() > 0 {
        return Err(ContentErrors {
            diagnostics: checked.diagnostics,
        }
        .into());
    }
    let attachments = stored.entries;
    let content = &checked.content;
    let pack = &content.pack.as_ref().context("pack.yaml is missing")?.value;
    let warnings: Vec<Diagnostic> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .cloned()
        .collect();
    let warnings = redactions.visible_warnings(&warnings);
    let index = Index::build(content);
    let redacted = redactions.redact(content);
    let shown = redacted.as_ref().unwrap_or(content);
    let shown_index = redacted.as_ref().map(Index::build);

    let mut digested = withheld.entries;
    digested.extend(attachments.iter().map(|(k, v)| (k.clone(), v.clone())));
    let digest = content_digest(content, &overrides, &digested);
    let source = Source {
        content,
        index: &index,
        warnings: &warnings,
        content_digest: &digest,
        audience,
        attachments: &attachments,
        overrides: &overrides,
        redactions: &redactions,
    };
    render::iso::render(
        &Source {
            content: shown,
            index: shown_index.as_ref().unwrap_or(&index),
            ..source
        },
        &iso_writer,
    )?;
    let iso_root = iso_writer.root().to_path_buf();
    let iso_manifest = iso_writer.finish()?;

    let epoch = package::source_date_epoch(
        pack.period
            .end
            .and_hms_opt(0, 0, 0)
            .map_or(0, |t| t.and_utc().timestamp()),
    );
    let period = format!("{}/{}", pack.period.start, pack.period.end);
    let zip_bundle = |bundle: Bundle, m: &Manifest, reuse: Option<&package::Reuse>| {
        let zip = zip_name(bundle, &m.digest);
        let info = BagInfo {
            source_organization: pack.organisation.name.clone(),
            external_description: package::external_description(
                bundle.title(),
                &pack.organisation.name,
                audience,
            ),
            audience: audience.to_string(),
            max_classification: redactions.max.as_str().to_string(),
            withheld_records: redactions.records.len(),
            period: period.clone(),
            content_digest: digest.clone(),
            bundle_digest: m.digest.clone(),
        };
        package::write_bag_zip_reusing(
            &staging.path().join(bundle.dir()),
            m,
            zip.trim_end_matches(".zip"),
            &info,
            epoch,
            &staging.path().join(&zip),
            signer.as_ref(),
            reuse,
        )
        .with_context(|| format!("packing {zip}"))
    };
    // The ISO zip is packed while the SOC 2 bundle renders and the links are checked (each in
    // parallel inside). The SOC 2 bundle stores the same attachments: hard links to the ISO
    // bundle's files, so each attachment is read, hashed and written once per build.
    let (iso_zipped, soc2_manifest) = rayon::join(
        || zip_bundle(Bundle::Iso27001, &iso_manifest, None),
        || -> Result<Manifest> {
            let soc2_writer = writer(&staging, out_dir, Bundle::Soc2)?;
            render::share_attachments(&soc2_writer, content, &iso_root, &attachments)?;
            render::soc2::render(&source, &soc2_writer)?;
            let manifest = soc2_writer.finish()?;
            check_links(staging.path())?;
            Ok(manifest)
        },
    );
    let soc2_manifest = soc2_manifest?;
    iso_zipped?;

    let mut bundles = vec![
        summary(Bundle::Iso27001, out_dir, &iso_manifest),
        summary(Bundle::Soc2, out_dir, &soc2_manifest),
    ];
    bundles.sort_by_key(|b| b.bundle.dir());
    // Deflating dominates packing, and both bundles hold the same attachments: the SOC 2 zip
    // copies them compressed from the ISO zip (each zip compresses its entries in parallel).
    let iso_zip = zip_name(Bundle::Iso27001, &iso_manifest.digest);
    zip_bundle(
        Bundle::Soc2,
        &soc2_manifest,
        Some(&package::Reuse {
            zip: &staging.path().join(&iso_zip),
            bag_name: iso_zip.trim_end_matches(".zip"),
            manifest: &iso_manifest,
        }),
    )?;
    let pack_text = pack_json(&PackJson {
        pack,
        audience: &redactions,
        content_digest: &digest,
        epoch,
        signer: signer.as_ref(),
        bundles: &bundles,
    })?;
    fs::write(staging.path().join(PACK_JSON), pack_text)
        .with_context(|| format!("cannot write {PACK_JSON}"))?;

    let zips: Vec<String> = bundles
        .iter()
        .map(|b| zip_name(b.bundle, &b.digest))
        .collect();
    let mut names: Vec<&str> = bundles.iter().map(|b| b.bundle.dir()).collect();
    names.extend(zips.iter().map(String::as_str));
    names.push(PACK_JSON);
    let retire = previous_zips(out_dir);
    staging.publish(&names, &retire)?;
    Ok(BuildSummary {
        content_digest: digest,
        bundles,
        warnings,
        withheld: redactions.records.len(),
        signed_by: signer.as_ref().map(Signer::key_id),
        pack_json: out_dir.join(PACK_JSON),
    })
}

/// The writer of `bundle` in `staging`, reusing the identical files of the bundle it will
/// replace in `out_dir` ([`BundleWriter::reusing`]; only a folder this tool made).
fn writer(staging: &Staging, out_dir: &Path, bundle: Bundle) -> std::io::Result<BundleWriter> {
    let w = BundleWriter::new(&staging.path().join(bundle.dir()))?;
    let previous = out_dir.join(bundle.dir());
    let ours = fs::symlink_metadata(&previous).is_ok_and(|m| m.is_dir())
        && previous.join(MANIFEST_NAME).is_file();
    Ok(if ours { w.reusing(&previous) } else { w })
}

/// `<bundle>-<first 12 hex of the bundle digest>.zip`.
fn zip_name(bundle: Bundle, digest: &str) -> String {
    format!("{}-{}.zip", bundle.dir(), &digest[..12.min(digest.len())])
}

/// Is `name` a zip this tool names ([`zip_name`])?
fn is_zip_name(name: &str) -> bool {
    [Bundle::Iso27001, Bundle::Soc2].iter().any(|b| {
        name.strip_prefix(b.dir())
            .and_then(|r| r.strip_prefix('-'))
            .and_then(|r| r.strip_suffix(".zip"))
            .is_some_and(|h| {
                h.len() == 12 && h.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
            })
    })
}

/// The zips the previous build's `pack.json` in `out_dir` names (only names this tool gives its
/// zips); nothing when there is none or it cannot be read.
fn previous_zips(out_dir: &Path) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Old {
        bundles: Vec<OldBundle>,
    }
    #[derive(serde::Deserialize)]
    struct OldBundle {
        zip: Option<String>,
    }
    fs::read(out_dir.join(PACK_JSON))
        .ok()
        .and_then(|b| serde_json::from_slice::<Old>(&b).ok())
        .map(|old| {
            old.bundles
                .into_iter()
                .filter_map(|b| b.zip)
                .filter(|z| is_zip_name(z))
                .collect()
        })
        .unwrap_or_default()
}

/// SHA-256 of every attachment `redactions` withholds (they are not stored, but the content
/// digest covers them), read in parallel and scanned for secrets as they are hashed.
fn withheld_attachments(
    content: &Content,
    redactions: &Redactions,
) -> Result<render::StoredAttachments> {
    use rayon::prelude::*;
    let read: Vec<(String, FileEntry, Vec<Finding>)> = redactions
        .attachments
        .par_iter()
        .map(|rel| {
            let att = render::attachment(content, rel)?;
            let mut scanner = FileScanner::for_path(&att.path);
            let (sha256, size) = fs::File::open(&att.path)
                .and_then(|file| {
                    hash_reader(&mut ObservedReader::new(file, &mut |bytes| {
                        scanner.feed(bytes)
                    }))
                })
                .with_context(|| format!("reading attachments/{rel}"))?;
            let entry = FileEntry {
                path: format!("attachments/{rel}"),
                sha256,
                size,
            };
            Ok((rel.clone(), entry, scanner.finish()))
        })
        .collect::<Result<_>>()?;
    Ok(read.into_iter().collect())
}

/// What `pack.json` is made from.
struct PackJson<'a> {
    /// pack.yaml.
    pack: &'a crate::model::Pack,
    /// The audience and what it does not see.
    audience: &'a Redactions,
    /// The content digest.
    content_digest: &'a str,
    /// The build time (seconds since 1970; see the module docs on reproducibility).
    epoch: i64,
    /// The key the zips were signed with.
    signer: Option<&'a Signer>,
    /// The bundles, with their zips.
    bundles: &'a [BundleSummary],
}

/// The text of `pack.json`: what was built, from what, for whom, and how to check it.
///
/// ```json
/// { "format": "evidencepack-pack/1", "generator": "evidencepack 0.1.0", "tool_version": "0.1.0",
///   "built_at": "2026-06-30T00:00:00Z", "organisation": "…",
///   "period": { "start": "2026-01-01", "end": "2026-06-30" },
///   "audience": "customer", "max_classification": "internal", "withheld_records": 3,
///   "content_digest": "<64 hex>", "signature": { "key_id": "…", "file": "…" } | null,
///   "bundles": [ { "name": "iso27001", "title": "…", "folder": "iso27001",
///                  "zip": "iso27001-<12 hex>.zip", "digest": "<64 hex>",
///                  "files": 120, "bytes": 123456 }, … ] }
/// ```
///
/// `built_at` comes from `SOURCE_DATE_EPOCH` or the period end, never the clock, so the file is
/// reproducible. `evidencepack verify <out>` reads `bundles` and checks every folder and zip.
fn pack_json(p: &PackJson) -> Result<String> {
    let built_at = chrono::DateTime::from_timestamp(p.epoch, 0)
        .context("build time out of range")?
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let bundles: Vec<serde_json::Value> = p
        .bundles
        .iter()
        .map(|b| {
            serde_json::json!({
                "name": b.bundle.dir(),
                "title": b.bundle.title(),
                "folder": b.bundle.dir(),
                "zip": zip_name(b.bundle, &b.digest),
                "digest": b.digest,
                "files": b.files,
                "bytes": b.bytes,
            })
        })
        .collect();
    let value = serde_json::json!({
        "format": PACK_FORMAT,
        "generator": package::SOFTWARE_AGENT,
        "tool_version": env!("CARGO_PKG_VERSION"),
        "built_at": built_at,
        "organisation": p.pack.organisation.name,
        "period": { "start": p.pack.period.start.to_string(), "end": p.pack.period.end.to_string() },
        "audience": p.audience.audience,
        "max_classification": p.audience.max.as_str(),
        "withheld_records": p.audience.records.len(),
        "content_digest": p.content_digest,
        "signature": p.signer.map(|s| serde_json::json!({
            "key_id": s.key_id(),
            "file": format!("<bag>/{}", package::SIGNATURE_NAME),
        })),
        "bundles": bundles,
    });
    let mut text = serde_json::to_string_pretty(&value)?;
    text.push('\n');
    Ok(text)
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
        zip: out_dir.join(zip_name(bundle, &manifest.digest)),
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

/// A build's private staging folder inside the output folder; removed when dropped. While it
/// exists the build holds the output folder's lock ([`LOCK_NAME`]).
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    /// Held locked until the staging folder is gone (fields drop after [`Drop::drop`] ran).
    _lock: fs::File,
}

impl Staging {
    /// Lock the output folder `out` and create `<out>/.evidencepack-staging-<pid>/`.
    ///
    /// Fails at once when another build holds the lock. Holding it, any other staging folder in
    /// `out` is the leftover of a build that was killed or crashed, and is removed.
    pub fn new(out: &Path) -> Result<Staging> {
        let lock_path = out.join(LOCK_NAME);
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .with_context(|| format!("cannot open {}", lock_path.display()))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => bail!(
                "another evidencepack build is writing to {}; wait for it to finish",
                out.display()
            ),
            Err(fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", lock_path.display()))
            }
        }
        for entry in fs::read_dir(out).with_context(|| format!("cannot read {}", out.display()))? {
            let entry = entry?;
            let is_staging = entry
                .file_name()
                .to_string_lossy()
                .starts_with(STAGING_PREFIX);
            if is_staging && entry.file_type()?.is_dir() {
                remove_tree(&entry.path()).with_context(|| {
                    format!("cannot remove the stale {}", entry.path().display())
                })?;
            }
        }
        let dir = out.join(format!("{STAGING_PREFIX}{}", std::process::id()));
        fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            _lock: lock,
        })
    }

    /// The staging folder; stage each output entry at `path().join(name)`.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Move the staged entries `names` into the output folder, replacing previous versions,
    /// and take away the previous entries `retire` (zips of the previous build) that the new
    /// output does not replace.
    ///
    /// A previous bundle folder is replaced only when it holds a `manifest-sha256.txt` (it was
    /// made by this tool); a previous file only when it is a regular file; an entry to retire
    /// only when it is a regular file (anything else is left alone). Should a move fail, the
    /// entries already moved are put back as they were.
    pub fn publish(self, names: &[&str], retire: &[String]) -> Result<()> {
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
        let mut retired: Vec<&str> = Vec::new();
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
            for name in retire {
                let target = self.out.join(name);
                let is_file = fs::symlink_metadata(&target).is_ok_and(|m| m.is_file());
                if names.contains(&name.as_str()) || !is_file {
                    continue;
                }
                fs::rename(&target, old.join(name))
                    .with_context(|| format!("cannot remove the previous {}", target.display()))?;
                retired.push(name);
            }
            Ok(())
        })();
        if result.is_err() {
            for name in retired.iter().rev() {
                let _ = fs::rename(old.join(name), self.out.join(name));
            }
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
        let _ = remove_tree(&self.dir);
    }
}

/// Remove the folder `dir` and everything in it, deleting its files in parallel: where the
/// file system discards freed blocks as it deletes (ext4 mounted with `discard`), deleting a
/// previous output of a gigabyte is mostly waiting on the disk, and the waits overlap.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.par_iter().for_each(|f| {
        let _ = fs::remove_file(f);
    });
    fs::remove_dir_all(dir)
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
        s.publish(&["iso27001"], &[]).unwrap();
        assert!(out.join("iso27001/new.html").exists());
        assert!(!out.join("iso27001/old.html").exists());
        assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
        assert!(!staging_dir.exists());
    }

    #[test]
    fn remove_tree_removes_everything_and_follows_no_link() {
        let d = tempfile::tempdir().unwrap();
        let keep = d.path().join("keep");
        fs::create_dir(&keep).unwrap();
        fs::write(keep.join("precious.txt"), "x").unwrap();
        let gone = d.path().join("gone");
        for i in 0..50 {
            let sub = gone.join(format!("d{}/e{i}", i % 7));
            fs::create_dir_all(&sub).unwrap();
            fs::write(sub.join("f.html"), "page").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(&keep, gone.join("link")).unwrap();
        remove_tree(&gone).unwrap();
        assert!(!gone.exists());
        assert!(keep.join("precious.txt").is_file());
        assert!(remove_tree(&gone).is_err(), "a missing folder is an error");
    }

    #[test]
    fn publish_refuses_a_folder_it_did_not_make() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path();
        fs::create_dir(out.join("iso27001")).unwrap();
        fs::write(out.join("iso27001/precious.txt"), "x").unwrap();
        let s = Staging::new(out).unwrap();
        fs::create_dir(s.path().join("iso27001")).unwrap();
        assert!(s.publish(&["iso27001"], &[]).is_err());
        assert!(out.join("iso27001/precious.txt").exists());
        let mut leftovers: Vec<_> = fs::read_dir(out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        leftovers.sort();
        assert_eq!(
            leftovers,
            [LOCK_NAME, "iso27001"],
            "staging folder left behind"
        );
    }

    #[test]
    fn a_second_build_into_the_same_folder_is_refused_while_the_first_runs() {
        let d = tempfile::tempdir().unwrap();
        let first = Staging::new(d.path()).unwrap();
        let err = Staging::new(d.path()).err().expect("the folder is locked");
        assert!(
            err.to_string().contains("another evidencepack build"),
            "{err}"
        );
        assert!(
            first.path().is_dir(),
            "the running build's staging is untouched"
        );
        drop(first);
        let again = Staging::new(d.path()).unwrap();
        assert!(again.path().is_dir());
    }

    #[test]
    fn leftovers_of_a_killed_build_are_removed_and_nothing_else() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path();
        let stale = out.join(format!("{STAGING_PREFIX}424242"));
        fs::create_dir_all(stale.join("iso27001/evidence")).unwrap();
        fs::write(stale.join("iso27001/evidence/EV-1.html"), "page").unwrap();
        fs::write(
            out.join(format!("{STAGING_PREFIX}notes.txt")),
            "a file, not ours",
        )
        .unwrap();
        fs::write(out.join("notes.txt"), "mine").unwrap();
        let s = Staging::new(out).unwrap();
        assert!(!stale.exists());
        assert!(out.join(format!("{STAGING_PREFIX}notes.txt")).is_file());
        assert!(out.join("notes.txt").is_file());
        assert!(s.path().is_dir());
    }
}
