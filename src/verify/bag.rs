//! A BagIt zip checked without extracting it: `bagit.txt`, the tag and payload manifests,
//! `Payload-Oxum` and `Bundle-Digest` in `bag-info.txt`, and the bundle's own manifest.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::path::Path;
use std::sync::atomic::AtomicU64;

use rayon::prelude::*;

use super::blame::{Found, Listing, Trust, Verdicts};
use super::zip::{read_zip_index, stream_entry, StreamError, Streamed, ZipEntry};
use super::{Payload, Report, MAX_TAG_FILE};
use crate::bundle::package::{BAGIT_TXT, SIGNATURE_NAME};
use crate::bundle::{self, Manifest};

/// The tag manifest, inside the bag's folder: the root of trust (the signature covers it).
const TAG_MANIFEST: &str = "tagmanifest-sha256.txt";
/// The payload manifest: every file under `data/`.
const PAYLOAD_MANIFEST: &str = "manifest-sha256.txt";
/// The bag's labels.
const BAG_INFO: &str = "bag-info.txt";
/// The bundle's own manifest: every file of the bundle but itself.
const INNER_MANIFEST: &str = "data/manifest-sha256.txt";

/// A checked bag zip, with what the pack checks need.
#[derive(Default)]
pub(super) struct Bag {
    /// What was found.
    pub(super) report: Report,
    /// The bag's folder: the zip's one top-level folder.
    pub(super) name: Option<String>,
    /// The labels of `bag-info.txt` (none when it is absent or unreadable).
    pub(super) info: BTreeMap<String, String>,
    /// The bundle's own manifest (`data/manifest-sha256.txt`), when it parses.
    pub(super) manifest: Option<Manifest>,
    /// The bundle's files (its manifest aside) and their total size.
    pub(super) payload: Payload,
    /// Whether the zip carries a signature entry.
    pub(super) signed: bool,
    /// The key id of that signature, when it can be read.
    pub(super) signed_by: Option<String>,
}

/// Verifies a BagIt zip written by [`crate::bundle::package::write_bag_zip`]
/// without extracting it (see the module docs for the safety policy).
pub fn verify_zip(path: &Path, pk: Option<&minisign::PublicKey>) -> Report {
    read_bag(path, pk).report
}

/// Every file entry of a bag, streamed.
#[derive(Default)]
struct Entries {
    /// Path in the bag → SHA-256 of the entries that could be read.
    hashes: BTreeMap<String, String>,
    /// Path in the bag → size of the entries that could be read.
    sizes: BTreeMap<String, u64>,
    /// The bytes of the tag files and manifests.
    kept: HashMap<String, Vec<u8>>,
    /// The entries that could not be read (corrupt: already reported).
    corrupt: BTreeSet<String>,
}

impl Entries {
    fn exists(&self, path: &str) -> bool {
        self.hashes.contains_key(path) || self.corrupt.contains(path)
    }

    fn found(&self, path: &str) -> Found<'_> {
        match self.hashes.get(path) {
            Some(sha) => Found::Hash(sha),
            None if self.corrupt.contains(path) => Found::Unreadable,
            None => Found::Absent,
        }
    }

    /// Every path in the bag, readable or not.
    fn paths(&self) -> impl Iterator<Item = &String> {
        self.hashes.keys().chain(self.corrupt.iter())
    }
}

/// Reads and checks the bag zip at `path` (see [`verify_zip`]).
pub(super) fn read_bag(path: &Path, pk: Option<&minisign::PublicKey>) -> Bag {
    let mut bag = Bag {
        report: Report::new(path.display().to_string()),
        ..Bag::default()
    };
    let Some((name, entries)) = read_entries(path, &mut bag.report) else {
        return bag;
    };
    let r = &mut bag.report;
    match entries.kept.get("bagit.txt") {
        None if !entries.exists("bagit.txt") => {
            r.refuse("bagit.txt is missing: not a BagIt bag");
            return bag;
        }
        Some(b) if b.as_slice() != BAGIT_TXT.as_bytes() => {
            r.problem("bagit.txt differs from `BagIt-Version: 1.0` / UTF-8")
        }
        _ => {}
    }
    let mut verdicts = Verdicts::default();
    let trust = judge_tag_files(&entries, &mut verdicts, r);
    bag.info = entries
        .kept
        .get(BAG_INFO)
        .map(|b| parse_bag_info(b))
        .unwrap_or_default();
    (bag.manifest, bag.payload) = judge_payload(&entries, &bag.info, &trust, &mut verdicts, r);
    r.bundle_digest = entries.hashes.get(INNER_MANIFEST).cloned();
    check_oxum(&entries, &bag.info, r);

    super::signature::check(
        r,
        pk,
        entries.kept.get(SIGNATURE_NAME).map(Vec::as_slice),
        entries.exists(SIGNATURE_NAME),
        entries.kept.get(TAG_MANIFEST).map(Vec::as_slice),
    );
    bag.signed = entries.exists(SIGNATURE_NAME);
    bag.signed_by = entries
        .kept
        .get(SIGNATURE_NAME)
        .and_then(|s| super::signature::key_id(s));

    let full = |s: BTreeSet<String>| s.into_iter().map(|p| format!("{name}/{p}")).collect();
    r.changed = full(verdicts.changed);
    r.missing = full(verdicts.missing);
    r.extra = full(verdicts.extra);
    bag.name = Some(name);
    bag
}

/// Judges the tag files (everything outside `data/` but the tag manifest and the signature) by
/// the tag manifest; returns what each is now known to be.
fn judge_tag_files(
    entries: &Entries,
    verdicts: &mut Verdicts,
    r: &mut Report,
) -> HashMap<String, Trust> {
    let tag = manifest_listing(entries, TAG_MANIFEST, None, Trust::Intact, r, |p| {
        !p.starts_with("data/") && p != TAG_MANIFEST
    });
    if !entries.exists(TAG_MANIFEST) {
        verdicts.missing.insert(TAG_MANIFEST.to_string());
    }
    let listings: Vec<&Listing> = tag.iter().collect();
    let tag_files: BTreeSet<&String> = entries
        .paths()
        .filter(|p| !p.starts_with("data/") && *p != TAG_MANIFEST && *p != SIGNATURE_NAME)
        .chain(tag.iter().flat_map(|l| l.hashes.keys()))
        .collect();
    tag_files
        .into_iter()
        .map(|p| (p.clone(), verdicts.judge(r, p, entries.found(p), &listings)))
        .collect()
}

/// Judges the bundle's manifest by the payload manifest and `Bundle-Digest`, then every other
/// file under `data/` by both manifests (`trust` says what the tag files are known to be).
/// Returns the bundle's manifest, when it parses, and what the payload holds.
fn judge_payload(
    entries: &Entries,
    info: &BTreeMap<String, String>,
    trust: &HashMap<String, Trust>,
    verdicts: &mut Verdicts,
    r: &mut Report,
) -> (Option<Manifest>, Payload) {
    let trust_of = |p: &str| trust.get(p).copied().unwrap_or(Trust::Unknown);
    let payload = manifest_listing(
        entries,
        PAYLOAD_MANIFEST,
        Some(PAYLOAD_MANIFEST),
        trust_of(PAYLOAD_MANIFEST),
        r,
        |p| p.starts_with("data/"),
    );
    for absent in [PAYLOAD_MANIFEST, BAG_INFO] {
        if !entries.exists(absent) {
            verdicts.missing.insert(absent.to_string());
        }
    }
    let digest = Listing {
        name: format!("{BAG_INFO} Bundle-Digest"),
        file: Some(BAG_INFO.to_string()),
        hashes: info
            .get("Bundle-Digest")
            .map(|d| (INNER_MANIFEST.to_string(), d.clone()))
            .into_iter()
            .collect(),
        complete: false,
        trust: trust_of(BAG_INFO),
    };
    if entries.kept.contains_key(BAG_INFO) && digest.hashes.is_empty() {
        r.problem("bag-info.txt has no Bundle-Digest");
    }
    let inner_trust = verdicts.judge(
        r,
        INNER_MANIFEST,
        entries.found(INNER_MANIFEST),
        &payload.iter().chain([&digest]).collect::<Vec<_>>(),
    );

    let manifest = match entries.kept.get(INNER_MANIFEST).map(|b| {
        std::str::from_utf8(b)
            .map_err(|_| "not UTF-8".to_string())
            .and_then(Manifest::parse)
    }) {
        Some(Err(e)) => {
            r.problem(format!("{INNER_MANIFEST}: {e}"));
            None
        }
        m => m.and_then(Result::ok),
    };
    let inner = manifest.as_ref().map(|m| Listing {
        name: INNER_MANIFEST.to_string(),
        file: Some(INNER_MANIFEST.to_string()),
        hashes: m
            .entries
            .iter()
            .map(|e| (format!("data/{}", e.path), e.sha256.clone()))
            .collect(),
        complete: true,
        trust: inner_trust,
    });
    let listings: Vec<&Listing> = payload.iter().chain(inner.iter()).collect();
    let files: BTreeSet<&String> = entries
        .paths()
        .chain(listings.iter().flat_map(|l| l.hashes.keys()))
        .filter(|p| p.starts_with("data/") && *p != INNER_MANIFEST)
        .collect();
    for p in &files {
        verdicts.judge(r, p, entries.found(p), &listings);
    }
    let held = Payload {
        files: files.iter().filter(|p| entries.exists(p)).count() as u64,
        bytes: files.iter().filter_map(|p| entries.sizes.get(*p)).sum(),
    };
    (manifest, held)
}

/// Opens the zip, reads its index (refusing an unsafe one) and streams every file entry in
/// parallel, hashing it. Returns the bag's folder name and its entries by path inside it, or
/// `None` when `r` was refused.
fn read_entries(path: &Path, r: &mut Report) -> Option<(String, Entries)> {
    let f = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            r.refuse(format!("cannot open: {e}"));
            return None;
        }
    };
    let entries = match read_zip_index(&f) {
        Ok(e) => e,
        Err(refusals) => {
            r.refuse("zip refused, nothing was read from it:");
            for p in refusals {
                r.problem(p);
            }
            return None;
        }
    };

    // Exactly one top-level folder.
    let tops: BTreeSet<&str> = entries
        .iter()
        .map(|e| e.name.split('/').next().unwrap_or(""))
        .collect();
    let bag = match (tops.len(), entries.iter().any(|e| !e.name.contains('/'))) {
        (1, false) => tops.into_iter().next().unwrap().to_string(),
        _ => {
            r.refuse("a bag zip must hold exactly one top-level folder and nothing beside it");
            return None;
        }
    };
    let prefix = format!("{bag}/");
    let rel = |e: &ZipEntry| e.name[prefix.len()..].to_string();
    let is_kept = |rel: &str| {
        matches!(
            rel,
            "bagit.txt" | BAG_INFO | PAYLOAD_MANIFEST | TAG_MANIFEST | INNER_MANIFEST
        ) || rel == SIGNATURE_NAME
    };

    let files: Vec<&ZipEntry> = entries.iter().filter(|e| !e.is_dir).collect();
    for e in &files {
        if is_kept(&rel(e)) && e.usize > MAX_TAG_FILE {
            r.refuse(format!(
                "{:?}: tag file larger than {MAX_TAG_FILE} bytes",
                e.name
            ));
            return None;
        }
    }
    let inflated = AtomicU64::new(0);
    let streamed: Vec<(String, std::result::Result<Streamed, StreamError>)> = files
        .par_iter()
        .map(|e| {
            let name = rel(e);
            let keep = is_kept(&name);
            (name, stream_entry(&f, e, keep, &inflated))
        })
        .collect();
    let mut out = Entries::default();
    for (name, res) in streamed {
        r.checked += 1;
        match res {
            Ok(s) => {
                out.hashes.insert(name.clone(), s.sha256);
                out.sizes.insert(name.clone(), s.size);
                if let Some(b) = s.bytes {
                    out.kept.insert(name, b);
                }
            }
            Err(StreamError::Bomb(p)) => {
                r.refuse(p);
                return None;
            }
            Err(StreamError::Corrupt(p)) => {
                r.problem(p);
                out.corrupt.insert(name);
            }
        }
    }
    Some((bag, out))
}

/// The manifest `name` of the bag as a [`Listing`] of the paths `in_scope` (a line outside it
/// is a problem), or `None` when it is absent or unreadable (a problem too).
fn manifest_listing(
    entries: &Entries,
    name: &str,
    file: Option<&str>,
    trust: Trust,
    r: &mut Report,
    in_scope: impl Fn(&str) -> bool,
) -> Option<Listing> {
    let lines = match parse_sha_lines(entries.kept.get(name)?) {
        Ok(lines) => lines,
        Err(e) => {
            r.problem(format!("{name}: {e}"));
            return None;
        }
    };
    let mut hashes = HashMap::new();
    for (sha, p) in lines {
        if in_scope(&p) {
            hashes.insert(p, sha);
        } else {
            r.problem(format!("{name} lists {p:?}, which it may not"));
        }
    }
    Some(Listing {
        name: name.to_string(),
        file: file.map(str::to_string),
        hashes,
        complete: true,
        trust,
    })
}

/// `Payload-Oxum` (bytes.files of everything under `data/`) must match the payload.
fn check_oxum(entries: &Entries, info: &BTreeMap<String, String>, r: &mut Report) {
    if !entries.kept.contains_key(BAG_INFO) {
        return;
    }
    let payload: Vec<&String> = entries.paths().filter(|p| p.starts_with("data/")).collect();
    let bytes: u64 = payload.iter().filter_map(|p| entries.sizes.get(*p)).sum();
    let want = format!("{bytes}.{}", payload.len());
    match info.get("Payload-Oxum") {
        Some(o) if *o == want => {}
        Some(o) => r.problem(format!(
            "Payload-Oxum is {o} but the payload is {want} (bytes.files)"
        )),
        None => r.problem("bag-info.txt has no Payload-Oxum"),
    }
}

/// Parses `<sha256>  <path>` lines (a BagIt manifest); `Err` names the
/// first bad line.
fn parse_sha_lines(text: &[u8]) -> std::result::Result<Vec<(String, String)>, String> {
    let text = std::str::from_utf8(text).map_err(|_| "not UTF-8".to_string())?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let (sha, path) = bundle::parse_manifest_line(line)
            .ok_or_else(|| format!("line {} is not `<sha256>  <path>`", i + 1))?;
        out.push((sha.to_string(), path.to_string()));
    }
    Ok(out)
}

/// Parses `bag-info.txt` labels (continuation lines joined with a space).
fn parse_bag_info(text: &[u8]) -> BTreeMap<String, String> {
    let text = String::from_utf8_lossy(text);
    let mut out = BTreeMap::new();
    let mut last: Option<String> = None;
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(v) = last.as_ref().and_then(|k| out.get_mut(k)) {
                let v: &mut String = v;
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            let k = k.trim().to_string();
            out.entry(k.clone()).or_insert_with(|| v.trim().to_string());
            last = Some(k);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bag_info_parsing() {
        let m = parse_bag_info(b"A: 1\nB: two\n  three\nA: ignored\n");
        assert_eq!(m["A"], "1");
        assert_eq!(m["B"], "two three");
    }
}
