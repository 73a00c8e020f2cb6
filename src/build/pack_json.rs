//! `pack.json`: what a build wrote, from what, for whom, and how to check it; and the names of
//! the zips it names.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};

use super::BundleSummary;
use crate::bundle::package;
use crate::bundle::{Signer, PACK_FORMAT, PACK_JSON};
use crate::content::audience::Redactions;
use crate::render::Bundle;

/// `<bundle>-<first 12 hex of the bundle digest>.zip`.
pub(super) fn zip_name(bundle: Bundle, digest: &str) -> String {
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
pub(super) fn previous_zips(out_dir: &Path) -> Vec<String> {
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

/// What `pack.json` is made from.
pub(super) struct PackJson<'a> {
    /// pack.yaml.
    pub(super) pack: &'a crate::content::model::Pack,
    /// The audience and what it does not see.
    pub(super) audience: &'a Redactions,
    /// The content digest.
    pub(super) content_digest: &'a str,
    /// The build time (seconds since 1970; see the module docs on reproducibility).
    pub(super) epoch: i64,
    /// The key the zips were signed with.
    pub(super) signer: Option<&'a Signer>,
    /// The bundles, with their zips.
    pub(super) bundles: &'a [BundleSummary],
    /// SHA-256 of the landing page `index.html`.
    pub(super) landing: &'a str,
}

/// `built_at` of `pack.json`: the build time as RFC 3339 UTC, to the second.
pub(super) fn built_at(epoch: i64) -> Result<String> {
    Ok(chrono::DateTime::from_timestamp(epoch, 0)
        .context("build time out of range")?
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
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
///                  "files": 120, "bytes": 123456 }, … ],
///   "landing": { "file": "index.html", "sha256": "<64 hex>" } }
/// ```
///
/// `built_at` comes from `SOURCE_DATE_EPOCH` or the period end, never the clock, so the file is
/// reproducible. `evidencepack verify <out>` reads `bundles` and checks every folder and zip.
pub(super) fn pack_json(p: &PackJson) -> Result<String> {
    let built_at = built_at(p.epoch)?;
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
        "landing": { "file": super::LANDING, "sha256": p.landing },
    });
    let mut text = serde_json::to_string_pretty(&value)?;
    text.push('\n');
    Ok(text)
}
