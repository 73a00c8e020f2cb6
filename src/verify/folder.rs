//! A bundle folder checked against its `manifest-sha256.txt` and, in a pack, against the bundle
//! manifest the pack vouches for.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io;
use std::path::Path;

use rayon::prelude::*;

use super::blame::{Found, Listing, Trust, Verdicts};
use super::{read_capped, Payload, Report, MAX_TAG_FILE};
use crate::bundle::{hash_file, sha256_hex, Manifest, MANIFEST_NAME};

/// What a pack says a folder's manifest should be.
pub(super) struct Expected<'a> {
    /// The bundle digest `pack.json` records.
    pub(super) digest: &'a str,
    /// The bundle's manifest in its zip, when it hashes to `digest`, and its name in reports.
    pub(super) manifest: Option<(&'a Manifest, String)>,
}

/// A checked bundle folder.
pub(super) struct Folder {
    /// What was found.
    pub(super) report: Report,
    /// The files it holds (its manifest aside) and their total size.
    pub(super) payload: Payload,
}

/// Verifies a bundle folder against its `manifest-sha256.txt`.
pub fn verify_bundle_dir(dir: &Path) -> Report {
    check_folder(dir, None).report
}

/// One file in the folder.
struct OnDisk {
    symlink: bool,
    size: u64,
}

/// Checks the folder `dir`; `expected` is what its pack says of its manifest.
///
/// Without `expected`, or when the manifest hashes to the expected digest, every file is judged
/// by the manifest alone. Otherwise the manifest is changed, and the files are judged by the
/// zip's manifest too, so an edited line is blamed on the manifest rather than on the file it
/// lists; with no usable manifest at all the folder is unusable.
pub(super) fn check_folder(dir: &Path, expected: Option<&Expected>) -> Folder {
    let mut r = Report::new(dir.display().to_string());
    let mut verdicts = Verdicts::default();
    let own = read_manifest(dir, &mut r);
    let trust = match (expected, &r.bundle_digest) {
        (Some(x), Some(d)) if d == x.digest => Trust::Intact,
        (Some(_), _) => Trust::Changed,
        (None, _) => Trust::Unknown,
    };
    let reference = expected
        .and_then(|x| x.manifest.as_ref())
        .filter(|_| trust != Trust::Intact)
        .map(|(m, name)| listing(m, name, None, Trust::Intact));
    let own = match (own, &reference) {
        (Ok(m), _) => Some(listing(&m, MANIFEST_NAME, Some(MANIFEST_NAME), trust)),
        (Err((missing, why)), Some(_)) => {
            r.problem(format!("{MANIFEST_NAME} {why}"));
            let set = if missing {
                &mut verdicts.missing
            } else {
                &mut verdicts.changed
            };
            set.insert(MANIFEST_NAME.to_string());
            None
        }
        (Err((_, why)), None) => {
            r.refuse(format!("{MANIFEST_NAME} {why}"));
            return Folder {
                report: r,
                payload: Payload::default(),
            };
        }
    };
    let listings: Vec<&Listing> = own.iter().chain(reference.iter()).collect();

    let on_disk = walk(dir, &mut r);
    let listed: BTreeSet<&str> = listings
        .iter()
        .flat_map(|l| l.hashes.keys().map(String::as_str))
        .collect();
    let hashed: BTreeMap<&str, Result<String, String>> = listed
        .par_iter()
        .filter_map(|&p| {
            let file = on_disk.get(p)?;
            let res = if file.symlink {
                Err(format!("{p}: is a symbolic link (not followed)"))
            } else {
                hash_file(&dir.join(p))
                    .map(|(sha, _)| sha)
                    .map_err(|e| format!("{p}: cannot read: {e}"))
            };
            Some((p, res))
        })
        .collect();
    r.checked = hashed.len();
    let paths: BTreeSet<&str> = listed
        .iter()
        .copied()
        .chain(on_disk.keys().map(String::as_str))
        .collect();
    for path in paths {
        let found = match hashed.get(path) {
            Some(Ok(sha)) => Found::Hash(sha),
            Some(Err(why)) => {
                r.problem(why.clone());
                Found::Unreadable
            }
            None if on_disk.contains_key(path) => Found::Present,
            None => Found::Absent,
        };
        verdicts.judge(&mut r, path, found, &listings);
    }
    r.changed = verdicts.changed.into_iter().collect();
    r.missing = verdicts.missing.into_iter().collect();
    r.extra = verdicts.extra.into_iter().collect();
    Folder {
        report: r,
        payload: Payload {
            files: on_disk.len() as u64,
            bytes: on_disk.values().map(|f| f.size).sum(),
        },
    }
}

/// Reads and parses the folder's manifest, recording its digest in `r`. `Err` says whether it
/// is missing, and what is wrong.
fn read_manifest(dir: &Path, r: &mut Report) -> Result<Manifest, (bool, String)> {
    let text = read_capped(&dir.join(MANIFEST_NAME), MAX_TAG_FILE).map_err(|e| {
        (
            e.kind() == io::ErrorKind::NotFound,
            format!("cannot be read: {e}"),
        )
    })?;
    r.bundle_digest = Some(sha256_hex(&text));
    std::str::from_utf8(&text)
        .map_err(|_| "not UTF-8".to_string())
        .and_then(Manifest::parse)
        .map_err(|e| (false, format!("is malformed: {e}")))
}

/// A manifest as a [`Listing`].
fn listing(m: &Manifest, name: &str, file: Option<&str>, trust: Trust) -> Listing {
    Listing {
        name: name.to_string(),
        file: file.map(str::to_string),
        hashes: m
            .entries
            .iter()
            .map(|e| (e.path.clone(), e.sha256.clone()))
            .collect(),
        complete: true,
        trust,
    }
}

/// Every file under `dir` that is not a folder (symbolic links not followed), by `/`-separated
/// path, except the manifest. A name that is not UTF-8 is a problem (and shown lossily).
fn walk(dir: &Path, r: &mut Report) -> HashMap<String, OnDisk> {
    let mut on_disk = HashMap::new();
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
        let file = OnDisk {
            symlink: item.file_type().is_symlink(),
            size: item.metadata().map_or(0, |m| m.len()),
        };
        on_disk.insert(rel, file);
    }
    on_disk
}
