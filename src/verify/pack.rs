//! A build output checked against its `pack.json`: every bundle folder and zip it names.

use std::path::Path;

use serde::Deserialize;

use super::{read_capped, verify_bundle_dir, verify_zip, Outcome, Report};
use crate::bundle;

/// Largest `pack.json` read.
const MAX_PACK_JSON: u64 = 16 << 20;

#[derive(Deserialize)]
struct PackJson {
    bundles: Vec<PackBundle>,
}

#[derive(Deserialize)]
struct PackBundle {
    name: String,
    #[serde(default)]
    folder: Option<String>,
    #[serde(default)]
    zip: Option<String>,
    #[serde(default)]
    digest: Option<String>,
}

/// Verifies every bundle folder and zip named by `<dir>/pack.json`.
pub fn verify_pack(dir: &Path, pk: Option<&minisign::PublicKey>) -> Vec<Report> {
    let pack_path = dir.join("pack.json");
    let pack: PackJson = match read_capped(&pack_path, MAX_PACK_JSON)
        .map_err(|e| e.to_string())
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
    {
        Ok(p) => p,
        Err(e) => {
            let mut r = Report::new(pack_path.display().to_string());
            r.refuse(format!("cannot read pack.json: {e}"));
            return vec![r];
        }
    };
    if pack.bundles.is_empty() {
        let mut r = Report::new(pack_path.display().to_string());
        r.refuse("pack.json names no bundles");
        return vec![r];
    }
    let mut reports = Vec::new();
    for b in &pack.bundles {
        let digest = b.digest.as_deref();
        if digest.is_some_and(|d| !bundle::is_sha256_hex(d)) {
            let mut r = Report::new(format!("{} (pack.json)", b.name));
            r.refuse(format!(
                "pack.json: bundle {:?} has a malformed digest",
                b.name
            ));
            reports.push(r);
            continue;
        }
        if b.folder.is_none() && b.zip.is_none() {
            let mut r = Report::new(format!("{} (pack.json)", b.name));
            r.refuse(format!(
                "pack.json: bundle {:?} names no folder or zip",
                b.name
            ));
            reports.push(r);
            continue;
        }
        let mut folder_digest = None;
        let mut folder_idx = None;
        for (rel, is_zip) in [(&b.folder, false), (&b.zip, true)] {
            let Some(rel) = rel else { continue };
            let target = dir.join(rel);
            let mut r = if let Err(e) = bundle::validate_rel_path(rel) {
                let mut r = Report::new(target.display().to_string());
                r.refuse(format!("pack.json: {e}"));
                r
            } else if is_zip && !target.is_file() || !is_zip && !target.is_dir() {
                let mut r = Report::new(target.display().to_string());
                r.missing.push(rel.clone());
                r.problem(format!(
                    "named in pack.json (bundle {:?}) but absent",
                    b.name
                ));
                r
            } else if is_zip {
                verify_zip(&target, pk)
            } else {
                verify_bundle_dir(&target)
            };
            if let (Some(want), Some(got)) = (digest, r.bundle_digest.as_deref()) {
                if want != got {
                    r.problem(format!(
                        "bundle digest {got} differs from pack.json's {want} (bundle {:?})",
                        b.name
                    ));
                }
            }
            if !is_zip {
                folder_digest = r.bundle_digest.clone();
                folder_idx = Some(reports.len());
            } else if let (Some(fd), Some(zd), Some(i)) =
                (&folder_digest, &r.bundle_digest, folder_idx)
            {
                if fd != zd {
                    let p =
                        format!("bundle digest {fd} differs from the zip's Bundle-Digest {zd}",);
                    reports[i].problem(p);
                } else if r.outcome() == Outcome::Intact
                    && r.signature
                        .as_deref()
                        .is_some_and(|s| s.starts_with("valid"))
                {
                    reports[i].signature = Some(format!(
                        "covered by the signed zip {} (same bundle digest)",
                        target.display()
                    ));
                }
            }
            reports.push(r);
        }
    }
    reports
}
