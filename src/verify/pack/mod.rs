//! A build output checked against its `pack.json`: every bundle folder and zip it names, the
//! bundle folders and zips beside it that it does not name, and every field it states
//! (`fields`).
//!
//! The reports are `pack.json`'s own first (its fields, and the bundles it leaves out), then
//! each named bundle's folder and zip, then the bundles it does not name.

mod fields;

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::bag::{read_bag, Bag};
use super::folder::{check_folder, Expected, Folder};
use super::{read_capped, Outcome, Report};
use crate::bundle::{self, MANIFEST_NAME, PACK_FORMAT, PACK_JSON};

/// Largest `pack.json` read.
const MAX_PACK_JSON: u64 = 16 << 20;

/// What `pack.json` holds (written by `build`; README "What `build` writes"). Every field is
/// required; fields a later version adds are ignored.
#[derive(Deserialize)]
struct PackJson {
    format: String,
    generator: String,
    tool_version: String,
    built_at: String,
    organisation: String,
    period: Period,
    audience: String,
    max_classification: String,
    withheld_records: u64,
    content_digest: String,
    signature: Option<Signature>,
    bundles: Vec<PackBundle>,
    /// The landing page (packs built before it existed have none).
    #[serde(default)]
    landing: Option<Landing>,
}

/// `landing` in `pack.json`: the landing page and its SHA-256.
#[derive(Deserialize)]
struct Landing {
    file: String,
    sha256: String,
}

/// `period` in `pack.json`.
#[derive(Deserialize)]
struct Period {
    start: String,
    end: String,
}

/// `signature` in `pack.json`: the key that signed the zips, and where the signature is.
#[derive(Deserialize)]
struct Signature {
    key_id: String,
    file: String,
}

/// One of `bundles` in `pack.json`.
#[derive(Deserialize)]
struct PackBundle {
    name: String,
    title: String,
    folder: String,
    zip: String,
    digest: String,
    files: u64,
    bytes: u64,
}

/// Verifies every bundle folder and zip named by `<dir>/pack.json`, and `pack.json` against
/// them (see the module docs).
pub fn verify_pack(dir: &Path, pk: Option<&minisign::PublicKey>) -> Vec<Report> {
    let pack_path = dir.join(PACK_JSON);
    let mut pr = Report::new(pack_path.display().to_string());
    let pack: PackJson = match read_capped(&pack_path, MAX_PACK_JSON)
        .map_err(|e| e.to_string())
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
    {
        Ok(p) => p,
        Err(e) => {
            pr.refuse(format!("cannot read pack.json: {e}"));
            return vec![pr];
        }
    };
    if pack.format != PACK_FORMAT {
        pr.refuse(format!(
            "format is {:?}; this verifier reads {PACK_FORMAT}",
            pack.format
        ));
        return vec![pr];
    }
    if pack.bundles.is_empty() {
        pr.refuse("pack.json names no bundles");
        return vec![pr];
    }
    pr.checked = 1;
    fields::check_pack(&pack, &mut pr);
    if let Some(landing) = &pack.landing {
        check_landing(dir, landing, &mut pr);
    }
    let mut reports = Vec::new();
    for b in &pack.bundles {
        if !bundle::is_sha256_hex(&b.digest) {
            let mut r = Report::new(format!("{} (pack.json)", b.name));
            r.refuse(format!(
                "pack.json: bundle {:?} has a malformed digest",
                b.name
            ));
            reports.push(r);
            continue;
        }
        reports.extend(check_bundle(dir, &pack, b, pk, &mut pr));
    }
    reports.extend(unnamed(dir, &pack, pk, &mut pr));
    std::iter::once(pr).chain(reports).collect()
}

/// Checks the folder and zip of bundle `b`, and what `pack.json` says of them (problems about
/// `pack.json` go to `pr`); returns the folder's report and the zip's.
fn check_bundle(
    dir: &Path,
    pack: &PackJson,
    b: &PackBundle,
    pk: Option<&minisign::PublicKey>,
    pr: &mut Report,
) -> [Report; 2] {
    let bag = locate(dir, b, &b.zip, Path::is_file).map(|zip| read_bag(&zip, pk));
    // The zip's copy of the bundle manifest, when it is the one pack.json records, is a second
    // opinion on the folder's files.
    let reference = bag
        .as_ref()
        .ok()
        .and_then(|bag| bag.manifest.as_ref())
        .filter(|m| m.digest == b.digest);
    let expected = Expected {
        digest: &b.digest,
        manifest: reference.map(|m| (m, format!("{}'s data/{MANIFEST_NAME}", b.zip))),
    };
    let folder = locate(dir, b, &b.folder, Path::is_dir).map(|f| check_folder(&f, Some(&expected)));
    fields::check_bundle(pack, b, folder.as_ref().ok(), bag.as_ref().ok(), pr);

    let mut folder = folder.map_or_else(|r| *r, |f: Folder| f.report);
    let mut zip = bag.map_or_else(|r| *r, |bag: Bag| bag.report);
    for r in [&mut folder, &mut zip] {
        match &r.bundle_digest {
            Some(got) if *got != b.digest => {
                let p = format!(
                    "bundle digest {got} differs from pack.json's {} (bundle {:?})",
                    b.digest, b.name
                );
                r.problem(p);
            }
            _ => {}
        }
    }
    if let (Some(fd), Some(zd)) = (&folder.bundle_digest, &zip.bundle_digest) {
        if fd != zd {
            folder.problem(format!(
                "bundle digest {fd} differs from the zip's Bundle-Digest {zd}"
            ));
        } else if zip.outcome() == Outcome::Intact
            && zip
                .signature
                .as_deref()
                .is_some_and(|s| s.starts_with("valid"))
        {
            folder.signature = Some(format!(
                "covered by the signed zip {} (same bundle digest)",
                zip.target
            ));
        }
    }
    [folder, zip]
}

/// The path of `rel`, which bundle `b` names as its folder or zip, when it is safe and `exists`;
/// else the report that says why not.
fn locate(
    dir: &Path,
    b: &PackBundle,
    rel: &str,
    exists: fn(&Path) -> bool,
) -> Result<PathBuf, Box<Report>> {
    let target = dir.join(rel);
    let mut r = Report::new(target.display().to_string());
    if let Err(e) = bundle::validate_rel_path(rel) {
        r.refuse(format!("pack.json: {e}"));
        return Err(Box::new(r));
    }
    if !exists(&target) {
        r.missing.push(rel.to_string());
        r.problem(format!(
            "named in pack.json (bundle {:?}) but absent",
            b.name
        ));
        return Err(Box::new(r));
    }
    Ok(target)
}

/// Verifies the bundles in `dir` that `pack.json` leaves out, saying so in `pr`: each folder
/// holding a manifest, and each zip named `<bundle>-<12 hex>.zip`, of a bundle `pack.json` does
/// not name. (Other zips of a bundle it names, such as an older build's a user keeps, are not
/// the pack's: `build` leaves them alone too.)
fn unnamed(
    dir: &Path,
    pack: &PackJson,
    pk: Option<&minisign::PublicKey>,
    pr: &mut Report,
) -> Vec<Report> {
    let named: HashSet<&str> = pack
        .bundles
        .iter()
        .flat_map(|b| [b.name.as_str(), b.folder.as_str(), b.zip.as_str()])
        .collect();
    let mut found: Vec<(String, bool)> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let kind = e.file_type().ok()?;
            let zip = kind.is_file() && bundle_of_zip(&name).is_some_and(|b| !named.contains(b));
            let folder = kind.is_dir() && e.path().join(MANIFEST_NAME).is_file();
            ((folder || zip) && !named.contains(name.as_str())).then_some((name, zip))
        })
        .collect();
    found.sort();
    found
        .into_iter()
        .map(|(name, zip)| {
            let what = if zip { "zip" } else { "folder" };
            pr.problem(format!("does not name the bundle {what} {name}"));
            let path = dir.join(&name);
            let mut r = if zip {
                read_bag(&path, pk).report
            } else {
                check_folder(&path, None).report
            };
            r.problem("a bundle pack.json does not name");
            r
        })
        .collect()
}

/// The landing page against the SHA-256 `pack.json` records for it.
fn check_landing(dir: &Path, landing: &Landing, pr: &mut Report) {
    if landing.file != bundle::LANDING {
        pr.problem(format!(
            "landing file {:?} is not {:?}",
            landing.file,
            bundle::LANDING
        ));
        return;
    }
    match read_capped(&dir.join(&landing.file), MAX_PACK_JSON) {
        Ok(bytes) => {
            pr.checked += 1;
            let got = bundle::sha256_hex(&bytes);
            if got != landing.sha256 {
                pr.changed.push(landing.file.clone());
                pr.problem(format!(
                    "{}: SHA-256 {got} differs from pack.json's landing sha256 {}",
                    landing.file, landing.sha256
                ));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            pr.missing.push(landing.file.clone());
            pr.problem(format!("{}: named in pack.json but absent", landing.file));
        }
        Err(e) => pr.problem(format!("{}: cannot read: {e}", landing.file)),
    }
}

/// The bundle of a zip named `<bundle>-<first 12 hex digits of its digest>.zip`.
fn bundle_of_zip(name: &str) -> Option<&str> {
    let (bundle, hex) = name.strip_suffix(".zip")?.rsplit_once('-')?;
    let digest = hex.len() == 12 && hex.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'));
    (digest && !bundle.is_empty()).then_some(bundle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_zip_names() {
        assert_eq!(bundle_of_zip("iso27001-0123456789ab.zip"), Some("iso27001"));
        assert_eq!(
            bundle_of_zip("my-bundle-0123456789ab.zip"),
            Some("my-bundle")
        );
        for other in [
            "backup.zip",
            "-0123456789ab.zip",
            "iso27001-0123456789a.zip",
            "iso27001-0123456789abc.zip",
            "iso27001-0123456789AB.zip",
            "iso27001-0123456789ag.zip",
            "iso27001-0123456789ab.tar",
            "iso27001-0123456789ab",
        ] {
            assert_eq!(bundle_of_zip(other), None, "{other}");
        }
    }
}
