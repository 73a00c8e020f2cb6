//! Reproducible BagIt (RFC 8493) zips of a finished bundle, optionally
//! signed with minisign.
//!
//! The zip holds exactly one top-level folder `<bag_name>/`:
//!
//! ```text
//! <bag_name>/bag-info.txt
//! <bag_name>/bagit.txt
//! <bag_name>/data/...                       the bundle, incl. its manifest-sha256.txt
//! <bag_name>/manifest-sha256.txt            payload manifest (paths `data/...`)
//! <bag_name>/tagmanifest-sha256.txt         sha256 of bagit.txt, bag-info.txt, manifest-sha256.txt
//! <bag_name>/tagmanifest-sha256.txt.minisig only when signed
//! <bag_name>/<other tag files>              only with write_bag_zip_with_tags
//! ```
//!
//! Identical input gives a byte-identical zip: entries sorted by name bytes,
//! every timestamp taken from `epoch` (see [`source_date_epoch`]), unix mode
//! 0o644, no directory entries, no extra fields (except the ZIP64 field that
//! files of 3.75 GiB and more need), no comment; entries are deflated (at
//! level 6, or 1 from [`FAST_DEFLATE_BYTES`] on), already-compressed formats
//! ([`STORED_EXTENSIONS`]) are stored as they are. The same tool version
//! gives the same bytes: the deflate implementation is pinned by Cargo.lock. The signature entry is the one exception: minisign signatures mix in
//! fresh randomness, so a signed zip differs between runs in that entry only.
//!
//! Speed: entries are compressed in parallel, in batches of about
//! [`BATCH_BYTES`] of input (each into a small in-memory zip whose compressed
//! entry is then copied as is), and written in name order, so the output does
//! not depend on the number of threads. Files of [`BATCH_BYTES`] and more are
//! streamed. A payload file that an earlier bag zip already holds with the
//! same path and hash ([`Reuse`]: the content-addressed attachments both
//! bundles of a build share) is copied from it compressed, not compressed
//! again.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufWriter, Cursor, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use rayon::prelude::*;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::sign::Signer;
use crate::bundle::{self, sha256_hex, Manifest, MANIFEST_NAME};

/// Exact content of `bagit.txt`.
pub const BAGIT_TXT: &str = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";

/// Name of the tag manifest.
const TAG_MANIFEST_NAME: &str = "tagmanifest-sha256.txt";

/// Name of the signature entry beside `tagmanifest-sha256.txt`.
pub const SIGNATURE_NAME: &str = "tagmanifest-sha256.txt.minisig";

/// File extensions (lower-case) of already-compressed formats, stored in the
/// zip without recompression.
pub const STORED_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "pdf", "zip", "gz", "tgz", "bz2", "xz", "zst", "7z",
    "docx", "xlsx", "pptx", "woff2",
];

/// Files at least this large get a ZIP64 extra field (decided from the size
/// alone, so the output stays reproducible).
const ZIP64_THRESHOLD: u64 = 0xF000_0000;

/// Input bytes compressed in parallel at a time (bounds the memory held by
/// compressed entries waiting to be written); larger files are streamed.
pub const BATCH_BYTES: u64 = 64 << 20;

/// Metadata written to `bag-info.txt`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BagInfo {
    /// `Source-Organization:` — who produced the evidence.
    pub source_organization: String,
    /// `External-Description:` — what the bag holds (see [`external_description`]).
    pub external_description: String,
    /// `Audience:` — who the bundle was built for (`build --audience`).
    pub audience: String,
    /// `Max-Classification:` — the most sensitive classification the audience receives.
    pub max_classification: String,
    /// `Withheld-Records:` — how many records were withheld from the audience.
    pub withheld_records: usize,
    /// `Period:` — the audit period, e.g. `2026-01-01/2026-06-30`.
    pub period: String,
    /// `Content-Digest:` — digest of the content pack the bundle was built from.
    pub content_digest: String,
    /// `Bundle-Digest:` — SHA-256 of the bundle's `manifest-sha256.txt`. Left
    /// empty, it is filled in from the manifest; given, it must match it.
    pub bundle_digest: String,
}

/// `Bag-Software-Agent:` in `bag-info.txt`, and `generator` in `pack.json`: this tool and its
/// version.
pub const SOFTWARE_AGENT: &str = concat!("evidencepack ", env!("CARGO_PKG_VERSION"));

/// The `External-Description` of a bundle's bag: its title, whose it is and for whom.
pub fn external_description(title: &str, organisation: &str, audience: &str) -> String {
    format!("{title} of {organisation}, prepared for the {audience} audience")
}

/// The value of the `SOURCE_DATE_EPOCH` environment variable when it is set
/// to a valid number of seconds since 1970 ([`parse_source_date_epoch`]), else
/// `default`.
pub fn source_date_epoch(default: i64) -> i64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| parse_source_date_epoch(&v))
        .unwrap_or(default)
}

/// A `SOURCE_DATE_EPOCH` value as seconds since 1970: a non-negative integer of a
/// representable date, surrounding blanks ignored; `None` for anything else.
pub fn parse_source_date_epoch(value: &str) -> Option<i64> {
    value
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|&v| v >= 0 && chrono::DateTime::from_timestamp(v, 0).is_some())
}

/// True when `path` names an already-compressed format (by extension,
/// ignoring case) that is stored without recompression.
pub fn is_precompressed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => {
            let ext = ext.to_ascii_lowercase();
            STORED_EXTENSIONS.contains(&ext.as_str())
        }
        _ => false,
    }
}

/// The date (UTC, `YYYY-MM-DD`) of a Unix time.
pub fn epoch_date(epoch: i64) -> Result<String> {
    let dt = chrono::DateTime::from_timestamp(epoch, 0)
        .ok_or_else(|| anyhow!("timestamp {epoch} is out of range"))?;
    Ok(dt.format("%Y-%m-%d").to_string())
}

fn zip_datetime(epoch: i64) -> Result<zip::DateTime> {
    use chrono::{Datelike, Timelike};
    let dt = chrono::DateTime::from_timestamp(epoch, 0)
        .ok_or_else(|| anyhow!("timestamp {epoch} is out of range"))?;
    // DOS timestamps cover 1980..=2107; clamp outside it.
    if dt.year() < 1980 {
        return Ok(zip::DateTime::default());
    }
    if dt.year() > 2107 {
        return zip::DateTime::from_date_and_time(2107, 12, 31, 23, 59, 58)
            .map_err(|e| anyhow!("zip time: {e}"));
    }
    zip::DateTime::from_date_and_time(
        dt.year() as u16,
        dt.month() as u8,
        dt.day() as u8,
        dt.hour() as u8,
        dt.minute() as u8,
        dt.second() as u8,
    )
    .map_err(|e| anyhow!("zip time: {e}"))
}

/// Formats one `bag-info.txt` line; a value spanning lines is continued on
/// lines indented by two spaces (RFC 8493 §2.2.2).
fn tag_line(out: &mut String, label: &str, value: &str) {
    out.push_str(label);
    out.push_str(": ");
    let mut first = true;
    for line in value.trim().lines() {
        if !first {
            out.push_str("\n  ");
        }
        out.push_str(line.trim_end());
        first = false;
    }
    out.push('\n');
}

/// The text of `bag-info.txt`.
pub fn bag_info_text(
    info: &BagInfo,
    bundle_digest: &str,
    epoch: i64,
    oxum_bytes: u64,
    oxum_count: u64,
) -> Result<String> {
    let mut s = String::new();
    tag_line(&mut s, "Source-Organization", &info.source_organization);
    tag_line(&mut s, "Bagging-Date", &epoch_date(epoch)?);
    tag_line(&mut s, "Bag-Software-Agent", SOFTWARE_AGENT);
    tag_line(
        &mut s,
        "Payload-Oxum",
        &format!("{oxum_bytes}.{oxum_count}"),
    );
    tag_line(&mut s, "External-Description", &info.external_description);
    tag_line(&mut s, "Audience", &info.audience);
    tag_line(&mut s, "Max-Classification", &info.max_classification);
    tag_line(
        &mut s,
        "Withheld-Records",
        &info.withheld_records.to_string(),
    );
    tag_line(&mut s, "Period", &info.period);
    tag_line(&mut s, "Content-Digest", &info.content_digest);
    tag_line(&mut s, "Bundle-Digest", bundle_digest);
    Ok(s)
}

static TMP_COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A file being written beside its final name; removed on drop unless kept.
struct TempOut {
    path: PathBuf,
    keep: bool,
}

impl Drop for TempOut {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_file(&self.path);
        }
    }
}

enum Source {
    Mem(Vec<u8>),
    Disk(PathBuf, u64),
    /// The same bytes, already compressed, as this entry of the [`Reuse`] zip.
    Reused(String),
}

/// An earlier bag zip whose payload files may be copied compressed into the
/// next one: a file is copied when `manifest` lists it at the same path with
/// the same SHA-256 as the bundle being packed.
#[derive(Debug)]
pub struct Reuse<'a> {
    /// The earlier zip, as written by [`write_bag_zip`] with the same epoch.
    pub zip: &'a Path,
    /// Its top-level folder.
    pub bag_name: &'a str,
    /// The manifest of the bundle it holds.
    pub manifest: &'a Manifest,
}

/// The options of an entry: stored when already compressed, else deflated at
/// [`deflate_level`]; ZIP64 from the size alone.
fn entry_options(base: SimpleFileOptions, name: &str, size: u64) -> SimpleFileOptions {
    if is_precompressed(name) {
        base.compression_method(CompressionMethod::Stored)
    } else {
        base.compression_method(CompressionMethod::Deflated)
            .compression_level(Some(deflate_level(size)))
    }
    .large_file(size >= ZIP64_THRESHOLD)
}

/// The deflate level of an entry of `size` bytes: level 1 from [`FAST_DEFLATE_BYTES`] on,
/// else 6.
///
/// Deflating dominates packing, and its cost is in the large entries (attachments: CSV
/// exports, logs), where level 1 is about five times faster than level 6 (a generated
/// 1 GiB pack: text compresses to 36 % instead of 23 %, the zip grows by 14 %); the pages and
/// tag files are small, and keep level 6. Decided from the size alone, so the zip stays
/// reproducible.
fn deflate_level(size: u64) -> i64 {
    if size >= FAST_DEFLATE_BYTES {
        1
    } else {
        6
    }
}

/// Entries at least this large are deflated at level 1, smaller ones at level 6: the cost of
/// deflating is in the large entries (attachments), the pages are small.
pub const FAST_DEFLATE_BYTES: u64 = 16 << 10;

/// Copies the file `p`, which must be `expected` bytes long, into `out`.
fn copy_exact(p: &Path, expected: u64, out: &mut impl Write, buf: &mut [u8]) -> Result<()> {
    let mut f = File::open(p).with_context(|| format!("{}", p.display()))?;
    let mut n = 0u64;
    loop {
        let k = match f.read(buf) {
            Ok(0) => break,
            Ok(k) => k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).with_context(|| format!("{}", p.display())),
        };
        n += k as u64;
        if n > expected {
            break;
        }
        out.write_all(&buf[..k])?;
    }
    if n != expected {
        bail!("{} changed size while being packaged", p.display());
    }
    Ok(())
}

/// One entry compressed on its own into a small in-memory zip, ready to be
/// copied compressed into the real one; `None` for entries that are streamed
/// (large files) or reused.
fn pack_entry(name: &str, src: &Source, base: SimpleFileOptions) -> Result<Option<Vec<u8>>> {
    let size = match src {
        Source::Mem(b) => b.len() as u64,
        Source::Disk(_, n) if *n < BATCH_BYTES => *n,
        Source::Disk(..) | Source::Reused(_) => return Ok(None),
    };
    let mut zw = ZipWriter::new(Cursor::new(Vec::with_capacity(size as usize / 2 + 256)));
    zw.start_file(name, entry_options(base, name, size))
        .with_context(|| format!("zip entry {name}"))?;
    match src {
        Source::Mem(b) => zw.write_all(b)?,
        Source::Disk(p, n) => {
            let mut buf = vec![0u8; (*n as usize).clamp(1, bundle::BUF_SIZE)];
            copy_exact(p, *n, &mut zw, &mut buf)?;
        }
        Source::Reused(_) => {}
    }
    Ok(Some(zw.finish()?.into_inner()))
}
/// What [`write_bag_zip`] packs, and how.
#[derive(Debug, Clone, Copy)]
pub struct Bag<'a> {
    /// The finished bundle folder.
    pub bundle_dir: &'a Path,
    /// Its files and hashes, as returned by [`crate::bundle::BundleWriter::finish`] or
    /// [`Manifest::read_from`].
    pub manifest: &'a Manifest,
    /// The zip's one top-level folder.
    pub name: &'a str,
    /// What `bag-info.txt` says.
    pub info: &'a BagInfo,
    /// Every timestamp in the zip, in seconds since 1970 (see [`source_date_epoch`]).
    pub epoch: i64,
    /// Signs `tagmanifest-sha256.txt` when given.
    pub signer: Option<&'a Signer>,
    /// An earlier zip whose payload files (same path, same SHA-256) are copied compressed
    /// instead of compressed again.
    pub reuse: Option<&'a Reuse<'a>>,
}

/// Writes the bundle folder `bag.bundle_dir` as a reproducible BagIt zip at `out_zip`.
///
/// Payload hashes are taken from `bag.manifest`, not recomputed; every file is
/// streamed into the zip and its size checked against the file's size when
/// packaging started, so a file changed meanwhile is an error rather than a
/// silently inconsistent bag. The zip is written to a temporary file beside
/// `out_zip` and renamed into place only when complete; it is not synced to
/// disk (nor is the bundle folder it packs: durability is left to the
/// operating system, as `verify` detects a damaged zip). With `bag.signer`, a
/// minisign signature of `tagmanifest-sha256.txt` is added as
/// `<name>/tagmanifest-sha256.txt.minisig`.
pub fn write_bag_zip(bag: &Bag, out_zip: &Path) -> Result<()> {
    write_bag_zip_with_tags(bag, &[], out_zip)
}

/// [`write_bag_zip`], with more tag files: each `(path in the bag, bytes)` is written beside
/// `data/` (RFC 8493 §2.2.4 allows tag files in tag directories) and listed in
/// `tagmanifest-sha256.txt`, so the signature covers it. A path must be relative, outside
/// `data/` and not one of the bag's own tag files.
pub fn write_bag_zip_with_tags(
    bag: &Bag,
    extra_tags: &[(String, Vec<u8>)],
    out_zip: &Path,
) -> Result<()> {
    let Bag {
        bundle_dir,
        manifest,
        name: bag_name,
        info,
        epoch,
        signer,
        reuse,
    } = *bag;
    bundle::validate_rel_path(bag_name)
        .map_err(|e| anyhow!("bag name: {e}"))
        .and_then(|()| {
            if bag_name.contains('/') {
                bail!("bag name {bag_name:?} must be a single folder name");
            }
            Ok(())
        })?;
    if !info.bundle_digest.is_empty() && info.bundle_digest != manifest.digest {
        bail!(
            "BagInfo.bundle_digest {} does not match the manifest's digest {}",
            info.bundle_digest,
            manifest.digest
        );
    }
    if sha256_hex(manifest.text.as_bytes()) != manifest.digest {
        bail!("manifest digest does not match its text");
    }

    // Payload files the earlier zip holds with the same hash.
    let reusable: HashMap<&str, &str> = reuse
        .map(|r| {
            r.manifest
                .entries
                .iter()
                .map(|e| (e.path.as_str(), e.sha256.as_str()))
                .collect()
        })
        .unwrap_or_default();

    // Payload: every manifest entry plus the bundle manifest itself.
    let mut files: Vec<(String, Source)> = Vec::with_capacity(manifest.entries.len() + 6);
    let mut payload_lines: Vec<(String, &str)> = Vec::with_capacity(manifest.entries.len() + 1);
    let mut oxum_bytes = manifest.text.len() as u64;
    for e in &manifest.entries {
        bundle::validate_rel_path(&e.path)?;
        if e.path == MANIFEST_NAME {
            bail!("the manifest lists {MANIFEST_NAME} itself");
        }
        let p = bundle_dir.join(&e.path);
        let md = fs::symlink_metadata(&p).with_context(|| format!("{}", p.display()))?;
        if !md.file_type().is_file() {
            bail!("{} is not a regular file", p.display());
        }
        if e.size != 0 && md.len() != e.size {
            bail!(
                "{} is {} bytes but was {} when hashed",
                p.display(),
                md.len(),
                e.size
            );
        }
        oxum_bytes += md.len();
        payload_lines.push((format!("data/{}", e.path), &e.sha256));
        let src = match (reuse, reusable.get(e.path.as_str())) {
            (Some(r), Some(&sha)) if sha == e.sha256 => {
                Source::Reused(format!("{}/data/{}", r.bag_name, e.path))
            }
            _ => Source::Disk(p, md.len()),
        };
        files.push((format!("data/{}", e.path), src));
    }
    payload_lines.push((format!("data/{MANIFEST_NAME}"), &manifest.digest));
    files.push((
        format!("data/{MANIFEST_NAME}"),
        Source::Mem(manifest.text.as_bytes().to_vec()),
    ));
    let oxum_count = manifest.entries.len() as u64 + 1;
    payload_lines.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut payload_manifest = String::with_capacity(payload_lines.len() * 110);
    for (path, sha) in &payload_lines {
        payload_manifest.push_str(sha);
        payload_manifest.push_str("  ");
        // Paths never hold `%`, CR or LF (validate_rel_path), so they need
        // no BagIt percent-encoding.
        payload_manifest.push_str(path);
        payload_manifest.push('\n');
    }

    let bag_info = bag_info_text(info, &manifest.digest, epoch, oxum_bytes, oxum_count)?;
    let mut tag_files = vec![
        ("bag-info.txt", bag_info.into_bytes()),
        ("bagit.txt", BAGIT_TXT.as_bytes().to_vec()),
        ("manifest-sha256.txt", payload_manifest.into_bytes()),
    ];
    for (path, bytes) in extra_tags {
        bundle::validate_rel_path(path)?;
        let own = tag_files.iter().any(|t| t.0 == path)
            || [TAG_MANIFEST_NAME, SIGNATURE_NAME].contains(&path.as_str());
        if own || path.starts_with("data/") {
            bail!("extra tag file {path:?} is inside data/ or one of the bag's own tag files");
        }
        tag_files.push((path.as_str(), bytes.clone()));
    }
    tag_files.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    if let Some(w) = tag_files.windows(2).find(|w| w[0].0 == w[1].0) {
        bail!("tag file {:?} is given twice", w[0].0);
    }
    let mut tagmanifest = String::new();
    for (name, bytes) in &tag_files {
        tagmanifest.push_str(&format!("{}  {name}\n", sha256_hex(bytes)));
    }
    if let Some(s) = signer {
        let comment = format!(
            "timestamp:{epoch}\tfile:tagmanifest-sha256.txt\tbag:{bag_name}\tbundle-digest:{}",
            manifest.digest
        );
        let sig = s.sign(tagmanifest.as_bytes(), &comment)?;
        files.push((SIGNATURE_NAME.to_string(), Source::Mem(sig.into_bytes())));
    }
    for (name, bytes) in tag_files {
        files.push((name.to_string(), Source::Mem(bytes)));
    }
    files.push((
        "tagmanifest-sha256.txt".to_string(),
        Source::Mem(tagmanifest.into_bytes()),
    ));
    for f in &mut files {
        f.0 = format!("{bag_name}/{}", f.0);
    }
    files.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));

    // Write beside the target, then rename.
    let file_name = out_zip
        .file_name()
        .ok_or_else(|| anyhow!("{} has no file name", out_zip.display()))?
        .to_string_lossy()
        .into_owned();
    let dir = match out_zip.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = TempOut {
        path: dir.join(format!(
            ".{file_name}.{}-{}.tmp",
            std::process::id(),
            TMP_COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        )),
        keep: false,
    };
    let out = File::create(&tmp.path).with_context(|| format!("{}", tmp.path.display()))?;
    let mut zw = ZipWriter::new(BufWriter::with_capacity(1 << 20, out));
    let base = SimpleFileOptions::default()
        .last_modified_time(zip_datetime(epoch)?)
        .unix_permissions(0o644);
    let mut earlier = match reuse {
        Some(r) => Some(
            ZipArchive::new(File::open(r.zip).with_context(|| format!("{}", r.zip.display()))?)
                .with_context(|| format!("reading {}", r.zip.display()))?,
        ),
        None => None,
    };
    let mut buf = vec![0u8; bundle::BUF_SIZE];
    let batch_cost = |src: &Source| match src {
        Source::Mem(b) => b.len() as u64,
        Source::Disk(_, n) if *n < BATCH_BYTES => *n,
        Source::Disk(..) | Source::Reused(_) => 0,
    };
    let mut start = 0;
    while start < files.len() {
        let mut end = start;
        let mut input = 0u64;
        while end < files.len()
            && (end == start || input + batch_cost(&files[end].1) <= BATCH_BYTES)
        {
            input += batch_cost(&files[end].1);
            end += 1;
        }
        let packed: Vec<Option<Vec<u8>>> = files[start..end]
            .par_iter()
            .map(|(name, src)| pack_entry(name, src, base))
            .collect::<Result<_>>()?;
        for ((name, src), blob) in files[start..end].iter().zip(packed) {
            match (src, blob) {
                (_, Some(blob)) => {
                    let mut one = ZipArchive::new(Cursor::new(blob))?;
                    zw.raw_copy_file(one.by_index_raw(0)?)
                        .with_context(|| format!("zip entry {name}"))?;
                }
                (Source::Reused(from), None) => {
                    let z = earlier
                        .as_mut()
                        .ok_or_else(|| anyhow!("no earlier zip to copy {name} from"))?;
                    let i = z
                        .index_for_name(from)
                        .ok_or_else(|| anyhow!("{from} is not in the earlier zip"))?;
                    // The entry keeps the earlier zip's timestamp: the same epoch.
                    zw.raw_copy_file_rename(z.by_index_raw(i)?, name)
                        .with_context(|| format!("zip entry {name}"))?;
                }
                (Source::Disk(p, n), None) => {
                    zw.start_file(name.as_str(), entry_options(base, name, *n))
                        .with_context(|| format!("zip entry {name}"))?;
                    copy_exact(p, *n, &mut zw, &mut buf)?;
                }
                (Source::Mem(_), None) => bail!("zip entry {name} was not packed"),
            }
        }
        start = end;
    }
    let out = zw.finish().context("finishing zip")?;
    // Flush the buffer (reporting a write error) and close the file before the rename.
    drop(out.into_inner().map_err(|e| e.into_error())?);
    fs::rename(&tmp.path, out_zip)
        .with_context(|| format!("renaming into {}", out_zip.display()))?;
    tmp.keep = true;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precompressed_by_extension() {
        assert!(is_precompressed("a/b/report.PDF"));
        assert!(is_precompressed("x.tar.gz"));
        assert!(is_precompressed("font.woff2"));
        assert!(!is_precompressed("index.html"));
        assert!(!is_precompressed("pdf"));
        assert!(!is_precompressed("dir.png/file"));
        assert!(!is_precompressed(".png"));
    }

    #[test]
    fn large_entries_are_deflated_fast() {
        assert_eq!(deflate_level(0), 6);
        assert_eq!(deflate_level(FAST_DEFLATE_BYTES - 1), 6);
        assert_eq!(deflate_level(FAST_DEFLATE_BYTES), 1);
        let base = SimpleFileOptions::default();
        let d = tempfile::tempdir().unwrap();
        let z = d.path().join("t.zip");
        let mut zw = ZipWriter::new(File::create(&z).unwrap());
        let text: String = (0..FAST_DEFLATE_BYTES)
            .map(|i| format!("{i},user{},ok\n", i * 7919 % 10_007))
            .collect();
        for (name, bytes) in [
            ("a.png", &text[..1000]),
            ("b.csv", &text[..1000]),
            ("c.log", &text[..]),
        ] {
            zw.start_file(name, entry_options(base, name, bytes.len() as u64))
                .unwrap();
            zw.write_all(bytes.as_bytes()).unwrap();
        }
        zw.finish().unwrap();
        let deflated = |bytes: &str, level: u32| {
            let mut e =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(level));
            e.write_all(bytes.as_bytes()).unwrap();
            e.finish().unwrap().len() as u64
        };
        let mut a = ZipArchive::new(File::open(&z).unwrap()).unwrap();
        assert_eq!(
            a.by_index(0).unwrap().compression(),
            CompressionMethod::Stored
        );
        for (i, level) in [(1, 6), (2, 1)] {
            let mut f = a.by_index(i).unwrap();
            assert_eq!(f.compression(), CompressionMethod::Deflated);
            let expected = deflated(&text[..f.size() as usize], level);
            assert_eq!(
                f.compressed_size(),
                expected,
                "{} at level {level}",
                f.name()
            );
            let mut back = String::new();
            f.read_to_string(&mut back).unwrap();
            assert!(text.starts_with(&back) && back.len() as u64 == f.size());
        }
    }

    #[test]
    fn epoch_env_and_dates() {
        assert_eq!(epoch_date(0).unwrap(), "1970-01-01");
        assert_eq!(epoch_date(1_767_225_600).unwrap(), "2026-01-01");
        assert_eq!(zip_datetime(0).unwrap(), zip::DateTime::default());
        let t = zip_datetime(1_767_225_600 + 3661).unwrap();
        assert_eq!((t.year(), t.month(), t.day()), (2026, 1, 1));
        assert_eq!((t.hour(), t.minute(), t.second()), (1, 1, 0));
    }

    #[test]
    fn bag_info_folds_multiline_values() {
        let info = BagInfo {
            source_organization: "ACME".into(),
            external_description: "line one\nline two".into(),
            ..Default::default()
        };
        let t = bag_info_text(&info, "d", 0, 10, 2).unwrap();
        assert!(t.contains("External-Description: line one\n  line two\n"));
        assert!(t.contains("Payload-Oxum: 10.2\n"));
        assert!(t.contains("Bagging-Date: 1970-01-01\n"));
    }

    #[test]
    fn bag_info_states_what_pack_json_says() {
        let info = BagInfo {
            source_organization: "ACME".into(),
            external_description: external_description("ISO bundle", "ACME", "customer"),
            audience: "customer".into(),
            max_classification: "internal".into(),
            withheld_records: 17,
            period: "2026-01-01/2026-06-30".into(),
            content_digest: "c".into(),
            bundle_digest: String::new(),
        };
        let t = bag_info_text(&info, "d", 1_767_225_600, 10, 2).unwrap();
        let agent = format!("evidencepack {}", env!("CARGO_PKG_VERSION"));
        assert_eq!(
            t,
            format!(
                "Source-Organization: ACME\nBagging-Date: 2026-01-01\nBag-Software-Agent: {agent}\n\
                 Payload-Oxum: 10.2\n\
                 External-Description: ISO bundle of ACME, prepared for the customer audience\n\
                 Audience: customer\nMax-Classification: internal\nWithheld-Records: 17\n\
                 Period: 2026-01-01/2026-06-30\nContent-Digest: c\nBundle-Digest: d\n"
            )
        );
    }

    /// A bundle in `root` with a shared attachment, a page of its own and,
    /// when `big`, a file too large to compress in a batch (streamed).
    fn bundle(root: &Path, scratch: &Path, page: &str, big: bool) -> Manifest {
        let w = crate::bundle::BundleWriter::new(root).unwrap();
        let shared = scratch.join("shared.csv");
        let rows: String = (0..20_000)
            .map(|i| format!("{i},user{},ok\n", i * 7919 % 10_007))
            .collect();
        fs::write(&shared, rows).unwrap();
        w.store_hashed("files", &shared, "csv").unwrap();
        w.write("index.html", page.as_bytes()).unwrap();
        if big {
            let mut x = 0x9E37_79B9_7F4A_7C15u64;
            let text: Vec<u8> = (0..BATCH_BYTES + 1000)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    b"abcdefghij ,\n0123456789"[(x % 23) as usize]
                })
                .collect();
            w.write("logs/big.log", &text).unwrap();
        }
        w.finish().unwrap()
    }

    #[test]
    fn reusing_an_earlier_zip_gives_the_same_bytes() {
        let d = tempfile::tempdir().unwrap();
        let (a, b) = (d.path().join("a"), d.path().join("b"));
        let ma = bundle(&a, d.path(), "<p>a</p>", true);
        let mb = bundle(&b, d.path(), "<p>b</p>", false);
        let info = BagInfo::default();
        let za = d.path().join("a.zip");
        let bag = |bundle_dir, manifest, name| Bag {
            bundle_dir,
            manifest,
            name,
            info: &info,
            epoch: 0,
            signer: None,
            reuse: None,
        };
        write_bag_zip(&bag(&a, &ma, "a"), &za).unwrap();
        let alone = d.path().join("b1.zip");
        write_bag_zip(&bag(&b, &mb, "b"), &alone).unwrap();
        let reused = d.path().join("b2.zip");
        let reuse = Reuse {
            zip: &za,
            bag_name: "a",
            manifest: &ma,
        };
        let reusing = Bag {
            reuse: Some(&reuse),
            ..bag(&b, &mb, "b")
        };
        write_bag_zip(&reusing, &reused).unwrap();
        assert_eq!(fs::read(&alone).unwrap(), fs::read(&reused).unwrap());
        for z in [&za, &reused] {
            let r = crate::verify::verify_zip(z, None);
            assert_eq!(r.outcome(), crate::verify::Outcome::Intact, "{r}");
        }
        // The shared file really came from a.zip: its bytes on disk are not read again.
        let stored = b.join(
            &mb.entries
                .iter()
                .find(|e| e.path.starts_with("files/"))
                .unwrap()
                .path,
        );
        let len = fs::metadata(&stored).unwrap().len() as usize;
        fs::write(&stored, vec![b'x'; len]).unwrap();
        let again = d.path().join("b3.zip");
        write_bag_zip(&reusing, &again).unwrap();
        assert_eq!(fs::read(&again).unwrap(), fs::read(&reused).unwrap());
    }
}
