//! A BagIt zip checked without extracting it: `bagit.txt`, the tag and payload manifests,
//! `Payload-Oxum` and `Bundle-Digest` in `bag-info.txt`, and the bundle's own manifest.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs::File;
use std::path::Path;
use std::sync::atomic::AtomicU64;

use rayon::prelude::*;

use super::zip::{read_zip_index, stream_entry, StreamError, Streamed, ZipEntry};
use super::{Report, MAX_TAG_FILE};
use crate::bundle::{self, Manifest, MANIFEST_NAME};
use crate::package::{BAGIT_TXT, SIGNATURE_NAME};

/// Verifies a BagIt zip written by [`crate::package::write_bag_zip`]
/// without extracting it (see the module docs for the safety policy).
pub fn verify_zip(path: &Path, pk: Option<&minisign::PublicKey>) -> Report {
    let mut r = Report::new(path.display().to_string());
    let f = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            r.refuse(format!("cannot open: {e}"));
            return r;
        }
    };
    let entries = match read_zip_index(&f) {
        Ok(e) => e,
        Err(refusals) => {
            r.refuse("zip refused, nothing was read from it:");
            for p in refusals {
                r.problem(p);
            }
            return r;
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
            return r;
        }
    };
    let prefix = format!("{bag}/");
    let rel = |e: &ZipEntry| e.name[prefix.len()..].to_string();
    let is_kept = |rel: &str| {
        matches!(
            rel,
            "bagit.txt"
                | "bag-info.txt"
                | "manifest-sha256.txt"
                | "tagmanifest-sha256.txt"
                | "data/manifest-sha256.txt"
        ) || rel == SIGNATURE_NAME
    };

    // Stream every file entry in parallel, hashing.
    let files: Vec<&ZipEntry> = entries.iter().filter(|e| !e.is_dir).collect();
    for e in &files {
        if is_kept(&rel(e)) && e.usize > MAX_TAG_FILE {
            r.refuse(format!(
                "{:?}: tag file larger than {MAX_TAG_FILE} bytes",
                e.name
            ));
            return r;
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
    let mut hashes: BTreeMap<String, String> = BTreeMap::new(); // rel -> sha
    let mut sizes: BTreeMap<String, u64> = BTreeMap::new();
    let mut kept: HashMap<String, Vec<u8>> = HashMap::new();
    let mut corrupt: BTreeSet<String> = BTreeSet::new();
    for (name, res) in streamed {
        r.checked += 1;
        match res {
            Ok(s) => {
                hashes.insert(name.clone(), s.sha256);
                sizes.insert(name.clone(), s.size);
                if let Some(b) = s.bytes {
                    kept.insert(name, b);
                }
            }
            Err(StreamError::Bomb(p)) => {
                r.refuse(p);
                return r;
            }
            Err(StreamError::Corrupt(p)) => {
                r.problem(p);
                corrupt.insert(name);
            }
        }
    }
    let exists = |n: &str| hashes.contains_key(n) || corrupt.contains(n);
    let mut changed: BTreeSet<String> = corrupt.clone();
    let mut missing: BTreeSet<String> = BTreeSet::new();
    let mut extra: BTreeSet<String> = BTreeSet::new();

    // bagit.txt
    match kept.get("bagit.txt") {
        None if !exists("bagit.txt") => {
            r.refuse("bagit.txt is missing: not a BagIt bag");
            return r;
        }
        Some(b) if b.as_slice() != BAGIT_TXT.as_bytes() => {
            r.problem("bagit.txt differs from `BagIt-Version: 1.0` / UTF-8")
        }
        _ => {}
    }

    // Tag manifest.
    let mut tag_listed: HashSet<String> = HashSet::new();
    match kept
        .get("tagmanifest-sha256.txt")
        .map(|b| parse_sha_lines(b))
    {
        None if !exists("tagmanifest-sha256.txt") => {
            missing.insert("tagmanifest-sha256.txt".into());
        }
        None => {}
        Some(Err(e)) => r.problem(format!("tagmanifest-sha256.txt: {e}")),
        Some(Ok(lines)) => {
            for (sha, p) in lines {
                if p.starts_with("data/") || p == "tagmanifest-sha256.txt" {
                    r.problem(format!("tagmanifest-sha256.txt lists {p:?}"));
                    continue;
                }
                compare_listed(&p, &sha, &hashes, &corrupt, &mut changed, &mut missing);
                tag_listed.insert(p);
            }
        }
    }
    for name in hashes.keys().chain(corrupt.iter()) {
        if !name.starts_with("data/")
            && name != "tagmanifest-sha256.txt"
            && name != SIGNATURE_NAME
            && !tag_listed.contains(name)
        {
            extra.insert(name.clone());
        }
    }

    // Payload manifest.
    let payload: Vec<&String> = hashes
        .keys()
        .chain(corrupt.iter())
        .filter(|n| n.starts_with("data/"))
        .collect();
    match kept.get("manifest-sha256.txt").map(|b| parse_sha_lines(b)) {
        None if !exists("manifest-sha256.txt") => {
            missing.insert("manifest-sha256.txt".into());
            r.problem("no payload manifest: payload not checked");
        }
        None => r.problem("payload manifest unreadable: payload not checked"),
        Some(Err(e)) => r.problem(format!("manifest-sha256.txt: {e}; payload not checked")),
        Some(Ok(lines)) => {
            let mut listed = HashSet::new();
            for (sha, p) in lines {
                if !p.starts_with("data/") {
                    r.problem(format!("manifest-sha256.txt lists {p:?} outside data/"));
                    continue;
                }
                compare_listed(&p, &sha, &hashes, &corrupt, &mut changed, &mut missing);
                listed.insert(p);
            }
            for p in &payload {
                if !listed.contains(p.as_str()) {
                    extra.insert((*p).clone());
                }
            }
        }
    }

    // Payload-Oxum and Bundle-Digest from bag-info.txt.
    let info = kept.get("bag-info.txt").map(|b| parse_bag_info(b));
    let inner = format!("data/{MANIFEST_NAME}");
    r.bundle_digest = hashes.get(&inner).cloned();
    match &info {
        None => {
            if !exists("bag-info.txt") {
                missing.insert("bag-info.txt".into());
            }
        }
        Some(info) => {
            let bytes: u64 = payload.iter().filter_map(|p| sizes.get(*p)).sum();
            let want = format!("{bytes}.{}", payload.len());
            match info.get("Payload-Oxum") {
                Some(o) if *o == want => {}
                Some(o) => r.problem(format!(
                    "Payload-Oxum is {o} but the payload is {want} (bytes.files)"
                )),
                None => r.problem("bag-info.txt has no Payload-Oxum"),
            }
            match (info.get("Bundle-Digest"), &r.bundle_digest) {
                (Some(d), Some(got)) if d == got => {}
                (Some(d), Some(got)) => r.problem(format!(
                    "Bundle-Digest {d} differs from the bundle manifest's digest {got}"
                )),
                (None, _) => r.problem("bag-info.txt has no Bundle-Digest"),
                _ => {}
            }
        }
    }

    // The bundle's own manifest must agree with the payload too.
    match kept.get(&inner).map(|b| {
        std::str::from_utf8(b)
            .map_err(|_| "not UTF-8".to_string())
            .and_then(Manifest::parse)
    }) {
        None if !exists(&inner) => {
            missing.insert(inner.clone());
        }
        None => {}
        Some(Err(e)) => r.problem(format!("{inner}: {e}")),
        Some(Ok(m)) => {
            let mut listed = HashSet::new();
            for e in &m.entries {
                let p = format!("data/{}", e.path);
                match hashes.get(&p) {
                    Some(h) if *h == e.sha256 => {}
                    Some(_) => {
                        if changed.insert(p.clone()) {
                            r.problem(format!("{p}: differs from the bundle's own manifest"));
                        }
                    }
                    None if corrupt.contains(&p) => {}
                    None => {
                        missing.insert(p.clone());
                    }
                }
                listed.insert(p);
            }
            for p in &payload {
                if **p != inner && !listed.contains(p.as_str()) {
                    extra.insert((*p).clone());
                }
            }
        }
    }

    // Signature.
    super::signature::check(
        &mut r,
        pk,
        kept.get(SIGNATURE_NAME).map(Vec::as_slice),
        exists(SIGNATURE_NAME),
        kept.get("tagmanifest-sha256.txt").map(Vec::as_slice),
    );

    let full = |s: BTreeSet<String>| s.into_iter().map(|p| format!("{prefix}{p}")).collect();
    r.changed = full(changed);
    r.missing = full(missing);
    r.extra = full(extra);
    r
}

/// Files a manifest line (`path` listed with `sha`) under `changed` when the zip's entry hashes
/// differently, or `missing` when there is no such entry (an entry that could not be read is
/// already counted as changed).
fn compare_listed(
    path: &str,
    sha: &str,
    hashes: &BTreeMap<String, String>,
    corrupt: &BTreeSet<String>,
    changed: &mut BTreeSet<String>,
    missing: &mut BTreeSet<String>,
) {
    match hashes.get(path) {
        Some(h) if h == sha => {}
        Some(_) => {
            changed.insert(path.to_string());
        }
        None if corrupt.contains(path) => {}
        None => {
            missing.insert(path.to_string());
        }
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
