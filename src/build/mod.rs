//! The `build` pipeline: check, render every bundle into a staging folder, then move the new
//! output into place.
//!
//! 1. [`check::load_and_validate`]; any error stops the build before anything is written
//!    ([`Error::Content`], exit code 1). The attachments are scanned for secrets as step 3 reads
//!    them (each file is read once, [`attachments::read_all`]); a secret stops the build there,
//!    and its staging folder is removed (with the output folder and lock file, when this build
//!    made them).
//! 2. A staging folder `<out>/.evidencepack-staging-<pid>/` is created inside the output folder
//!    (same file system, so the final moves are renames).
//! 3. Each bundle is rendered into `<staging>/<bundle>/` through its own
//!    [`BundleWriter`]: attachments first (content-addressed, hashed and scanned while copied;
//!    the bundles after the first hard-link the first one's files, [`attachments::share`]),
//!    then the [`content_digest`], then the pages, then `manifest-sha256.txt` ([`BundleWriter::finish`]).
//!    A file identical to the one at the same path in the bundle folder being replaced is
//!    hard-linked from it ([`BundleWriter::reusing`]; bytes compared, never trusted), so a
//!    rebuild creates and deletes only the files that changed. A new bundle is one more call in
//!    [`build`].
//! 4. Each bundle is packed as a BagIt zip `<bundle>-<first 12 hex of its bundle digest>.zip`
//!    ([`package::write_bag_zip_with_tags`], signed with `--sign`; the SOC 2 zip copies the
//!    attachments the ISO zip already compressed). Its `data/` is the bundle folder byte for
//!    byte; beside it, an elsewhere page stands at every path a link into the other bundle
//!    leads to, naming the other zip, so a zip unpacked alone has no dead link
//!    (`elsewhere`), and `pack.json` names every bundle's folder,
//!    zip and digest (its format is in the README), and the SHA-256 of the landing page
//!    `index.html` (`landing`), written just before it; all are staged beside the bundles.
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

pub mod attachments;
pub mod check;
mod digest;
mod elsewhere;
mod error;
pub mod exports;
mod landing;
mod pack_json;
mod progress;
mod staging;

/// The folder of the staging folder that holds the copies of the source exports made while
/// they are read, until they are stored in the bundles.
const EXPORT_COPIES: &str = "exports";

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use indicatif::HumanCount;

use crate::bundle::package::{self, BagInfo};
use crate::bundle::Signer;
use crate::bundle::{BundleWriter, Manifest, MANIFEST_NAME};
pub use crate::bundle::{PACK_FORMAT, PACK_JSON};
use crate::content::audience::Redactions;
use crate::content::AsOf;
use crate::diag::{Diagnostic, Severity};
use crate::render::{self, Bundle, Overrides, Source};
use check::load_and_validate_copying;
pub use digest::content_digest;
pub use error::Error;
pub use landing::LANDING;
use pack_json::{built_at, pack_json, previous_zips, zip_name, PackJson};
pub use progress::Progress;
pub use staging::{Staging, LOCK_NAME, STAGING_PREFIX};

/// Who a build is for (`--audience`): the name of an audience pack.yaml declares under
/// `audiences:` (`auditor`, `customer`, `board`...), which says what it may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audience(String);

impl Default for Audience {
    /// The certification or SOC 2 auditor.
    fn default() -> Self {
        Audience("auditor".into())
    }
}

impl std::str::FromStr for Audience {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Audience(s.to_string()))
    }
}

impl std::fmt::Display for Audience {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Audience {
    /// The audience's name as used in pack.yaml.
    pub fn as_str(&self) -> &str {
        &self.0
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
    /// The date the pack is evaluated at (`--as-of`; default the period's end).
    pub as_of: AsOf,
    /// Where the stages of the build are shown (hidden by default).
    pub progress: Progress,
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

/// Check the pack at `content_root` and write its bundles into `out_dir`.
///
/// Returns [`Error::Content`] when the content does not pass `check`; any other error is a usage
/// or I/O problem. Either way the previous output in `out_dir` is left as it was.
pub fn build(
    content_root: &Path,
    out_dir: &Path,
    options: &BuildOptions,
) -> Result<BuildSummary, Error> {
    let result = build_stages(content_root, out_dir, options);
    options.progress.finish();
    result
}

/// [`build`], reporting each stage to `options.progress`.
fn build_stages(
    content_root: &Path,
    out_dir: &Path,
    options: &BuildOptions,
) -> Result<BuildSummary, Error> {
    let progress = &options.progress;
    progress.stage(1, "checking the pack");
    // The staging folder comes first: the source exports are copied into it as the check reads
    // them, so that storing them in the bundles reads nothing again ([`exports`]).
    let staging = Staging::new(out_dir)?;
    let copies = staging.path().join(EXPORT_COPIES);
    fs::create_dir(&copies).with_context(|| format!("cannot create {}", copies.display()))?;
    let validated = match load_and_validate_copying(content_root, options.as_of, Some(&copies)) {
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => {
            return Err(Error::Other(anyhow::anyhow!(e)))
        }
        other => other
            .with_context(|| format!("cannot read content folder {}", content_root.display()))?,
    };
    if validated.errors() > 0 {
        // Every problem at once: the attachments are scanned for secrets too (read, not copied).
        let checked = validated.scan_attachments_and_finish();
        return Err(Error::Content(checked.diagnostics));
    }
    let audience = options.audience.as_str();
    if let Some(d) = Redactions::undeclared(&validated.content, audience) {
        return Err(Error::Content(vec![d]));
    }
    let redactions = Arc::new(Redactions::for_audience(&validated.content, audience)?);
    let signer = match &options.sign {
        Some(key) => Some(Signer::from_file(key, None)?),
        None => None,
    };
    let overrides = Overrides::load(content_root)?;

    // The ISO bundle stores the attachments first: their hashes are part of the content digest
    // every page shows. Each attachment is read once, and the secret guard scans it on the way:
    // a stored one as it is copied, a withheld one as it is hashed, any other just to scan it.
    // A secret stops the build here, and dropping `staging` removes what was copied.
    let iso_writer = writer(&staging, out_dir, Bundle::Iso27001)?;
    progress.stage(
        2,
        format!(
            "storing attachments ({} content files checked)",
            HumanCount(validated.content.files.len() as u64)
        ),
    );
    let read = attachments::read_all(&validated.content, &redactions, &iso_writer)?;
    let checked = validated.finish(read.secrets);
    if checked.errors() > 0 {
        return Err(Error::Content(checked.diagnostics));
    }
    let stored = read.stored;
    let content = &checked.content;
    let exports = exports::store_all(content, &redactions, &iso_writer)?;
    // What is left are the copies of exports this audience does not see.
    fs::remove_dir_all(&copies).with_context(|| format!("cannot remove {}", copies.display()))?;
    let pack = &content.pack.as_ref().context("pack.yaml is missing")?.value;
    let (warnings, listed) = shown_warnings(&checked.diagnostics, &redactions);
    let redacted = redactions.redact(content);
    let shown = redacted.as_ref().unwrap_or(content);

    let digest = content_digest(content, &overrides, &read.digests);
    let source = Source {
        content,
        index: content.index(),
        warnings: &listed,
        content_digest: &digest,
        audience,
        attachments: &stored,
        overrides: &overrides,
        redactions: &redactions,
        exports: &exports,
    };
    progress.stage(3, "rendering the ISO 27001 bundle");
    render::iso::render(
        &Source {
            content: shown,
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
    let zip_bundle = |bundle: Bundle,
                      m: &Manifest,
                      reuse: Option<&package::Reuse>,
                      elsewhere: &[(String, Vec<u8>)]| {
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
        let bag = package::Bag {
            bundle_dir: &staging.path().join(bundle.dir()),
            manifest: m,
            name: zip.trim_end_matches(".zip"),
            info: &info,
            epoch,
            signer: signer.as_ref(),
            reuse,
        };
        package::write_bag_zip_with_tags(&bag, elsewhere, &staging.path().join(&zip))
            .with_context(|| format!("packing {zip}"))
    };
    // The SOC 2 bundle stores the same attachments: hard links to the ISO bundle's files, so
    // each attachment is read, hashed and written once per build.
    progress.stage(
        4,
        format!(
            "rendering the SOC 2 bundle ({} ISO 27001 files written)",
            HumanCount(iso_manifest.entries.len() as u64)
        ),
    );
    let soc2_writer = writer(&staging, out_dir, Bundle::Soc2)?;
    attachments::share(&soc2_writer, &iso_root, &stored)?;
    attachments::share(&soc2_writer, &iso_root, &exports)?;
    render::soc2::render(&source, &soc2_writer)?;
    let soc2_manifest = soc2_writer.finish()?;
    check_links(staging.path())?;

    let mut bundles = vec![
        summary(Bundle::Iso27001, out_dir, &iso_manifest),
        summary(Bundle::Soc2, out_dir, &soc2_manifest),
    ];
    bundles.sort_by_key(|b| b.bundle.dir());
    // Each zip carries an elsewhere page for every link into the other bundle, so that it has
    // no dead link unpacked alone; both folders are finished, so each knows the other's zip.
    let counterpart = |bundle: Bundle, m: &Manifest| elsewhere::Counterpart {
        bundle,
        zip: zip_name(bundle, &m.digest),
    };
    let stubs = |bundle: Bundle, m: &Manifest, other: elsewhere::Counterpart| {
        elsewhere::pages(&staging.path().join(bundle.dir()), m, bundle, &[other])
            .with_context(|| format!("reading the {} pages", bundle.dir()))
    };
    let (iso_elsewhere, soc2_elsewhere) = rayon::join(
        || {
            stubs(
                Bundle::Iso27001,
                &iso_manifest,
                counterpart(Bundle::Soc2, &soc2_manifest),
            )
        },
        || {
            stubs(
                Bundle::Soc2,
                &soc2_manifest,
                counterpart(Bundle::Iso27001, &iso_manifest),
            )
        },
    );
    progress.stage(
        5,
        format!(
            "zipping the bundles ({} files)",
            HumanCount((iso_manifest.entries.len() + soc2_manifest.entries.len()) as u64)
        ),
    );
    zip_bundle(Bundle::Iso27001, &iso_manifest, None, &iso_elsewhere?)?;
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
        &soc2_elsewhere?,
    )?;
    let built = built_at(epoch)?;
    let staged = |b: &BundleSummary| BundleSummary {
        zip: staging.path().join(zip_name(b.bundle, &b.digest)),
        ..b.clone()
    };
    let landing_page = landing::render(
        &landing::Landing {
            organisation: &pack.organisation.name,
            period_start: pack.period.start.to_string(),
            period_end: pack.period.end.to_string(),
            as_of: content.as_of().unwrap_or(pack.period.end).to_string(),
            audience,
            max_classification: redactions.max.as_str(),
            withheld: redactions.records.len(),
            built_at: &built,
            generator: package::SOFTWARE_AGENT,
            content_digest: &digest,
            signed_by: signer.as_ref().map(Signer::key_id),
            style: iso_manifest
                .entries
                .iter()
                .find(|e| e.path.starts_with("assets/style.") && e.path.ends_with(".css"))
                .map(|e| format!("{}/{}", Bundle::Iso27001.dir(), e.path)),
            bundles: bundles
                .iter()
                .map(|b| landing::LandingBundle::new(&staged(b)))
                .collect::<Result<_>>()?,
        },
        &overrides,
    )?;
    fs::write(staging.path().join(LANDING), &landing_page)
        .with_context(|| format!("cannot write {LANDING}"))?;
    let pack_text = pack_json(&PackJson {
        pack,
        audience: &redactions,
        content_digest: &digest,
        epoch,
        signer: signer.as_ref(),
        bundles: &bundles,
        landing: &crate::bundle::sha256_hex(landing_page.as_bytes()),
    })?;
    fs::write(staging.path().join(PACK_JSON), pack_text)
        .with_context(|| format!("cannot write {PACK_JSON}"))?;

    let zips: Vec<String> = bundles
        .iter()
        .map(|b| zip_name(b.bundle, &b.digest))
        .collect();
    let mut names: Vec<&str> = bundles.iter().map(|b| b.bundle.dir()).collect();
    names.extend(zips.iter().map(String::as_str));
    names.push(LANDING);
    names.push(PACK_JSON);
    progress.stage(6, "publishing");
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

/// The warnings of `diagnostics` the audience of `redactions` may see, and those of them the
/// pages list (they show the request list, criteria coverage and actions in their own form).
pub fn shown_warnings(
    diagnostics: &[Diagnostic],
    redactions: &Redactions,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let warnings: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .cloned()
        .collect();
    let warnings = redactions.visible_warnings(&warnings);
    let listed: Vec<Diagnostic> = warnings
        .iter()
        .filter(|w| {
            !crate::check::SHOWN_BY_BUNDLES
                .iter()
                .any(|c| c.id == w.code)
        })
        .cloned()
        .collect();
    (warnings, listed)
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

/// Fail the build when a link in either staged bundle, inside it or across to the other,
/// points to a file (or a fragment) that does not exist ([`crate::bundle::linkcheck`]).
fn check_links(staged: &Path) -> Result<(), Error> {
    let broken =
        crate::bundle::linkcheck::check(staged, &[Bundle::Iso27001.dir(), Bundle::Soc2.dir()])?;
    if broken.is_empty() {
        Ok(())
    } else {
        Err(Error::BrokenLinks(broken))
    }
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
