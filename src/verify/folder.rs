//! A bundle folder checked against its `manifest-sha256.txt`.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use super::{read_capped, Report, MAX_TAG_FILE};
use crate::bundle::{hash_file, sha256_hex, Manifest, MANIFEST_NAME};

/// Verifies a bundle folder against its `manifest-sha256.txt`.
pub fn verify_bundle_dir(dir: &Path) -> Report {
    let mut r = Report::new(dir.display().to_string());
    let text = match read_capped(&dir.join(MANIFEST_NAME), MAX_TAG_FILE) {
        Ok(t) => t,
        Err(e) => {
            r.refuse(format!("cannot read {MANIFEST_NAME}: {e}"));
            return r;
        }
    };
    r.bundle_digest = Some(sha256_hex(&text));
    let manifest = match std::str::from_utf8(&text)
        .map_err(|_| "not UTF-8".to_string())
        .and_then(Manifest::parse)
    {
        Ok(m) => m,
        Err(e) => {
            r.refuse(format!("{MANIFEST_NAME} is malformed: {e}"));
            return r;
        }
    };

    // Everything on disk that is not a folder.
    let mut on_disk: HashMap<String, bool> = HashMap::new(); // path -> is symlink
    for item in walkdir::WalkDir::new(dir).follow_links(false).min_depth(1) {
        let item = match item {
            Ok(i) => i,
            Err(e) => {
                r.problem(format!("cannot list: {e}"));
                continue;
            }
        };
        if item.file_type().is_dir() {
            continue;
        }
        let rel = item.path().strip_prefix(dir).unwrap_or(item.path());
        let mut parts = Vec::new();
        let mut ok = true;
        for c in rel.components() {
            match c.as_os_str().to_str() {
                Some(s) => parts.push(s.to_string()),
                None => {
                    ok = false;
                    parts.push(c.as_os_str().to_string_lossy().into_owned());
                }
            }
        }
        let rel = parts.join("/");
        if !ok {
            r.problem(format!("{rel}: file name is not UTF-8"));
        }
        if rel == MANIFEST_NAME {
            continue;
        }
        on_disk.insert(rel, item.file_type().is_symlink());
    }

    let results: Vec<(usize, std::result::Result<bool, String>)> = manifest
        .entries
        .par_iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let res = match on_disk.get(&e.path) {
                None => return None,
                Some(true) => Err(format!("{}: is a symbolic link (not followed)", e.path)),
                Some(false) => match hash_file(&dir.join(&e.path)) {
                    Ok((sha, _)) => Ok(sha == e.sha256),
                    Err(err) => Err(format!("{}: cannot read: {err}", e.path)),
                },
            };
            Some((i, res))
        })
        .collect();
    let mut present = HashSet::new();
    for (i, res) in results {
        let e = &manifest.entries[i];
        present.insert(e.path.as_str());
        r.checked += 1;
        match res {
            Ok(true) => {}
            Ok(false) => r.changed.push(e.path.clone()),
            Err(p) => {
                r.changed.push(e.path.clone());
                r.problem(p);
            }
        }
    }
    let listed: HashSet<&str> = manifest.entries.iter().map(|e| e.path.as_str()).collect();
    for e in &manifest.entries {
        if !present.contains(e.path.as_str()) {
            r.missing.push(e.path.clone());
        }
    }
    for p in on_disk.keys() {
        if !listed.contains(p.as_str()) {
            r.extra.push(p.clone());
        }
    }
    r.changed.sort();
    r.missing.sort();
    r.extra.sort();
    r
}
