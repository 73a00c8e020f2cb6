//! Every field of `pack.json` against what the bundles hold: the labels of each bag's
//! `bag-info.txt` (covered by its tag manifest and signature), the files of each folder and
//! zip, and the signature each zip carries.
//!
//! | `pack.json` | checked against |
//! | --- | --- |
//! | `organisation`, `period`, `content_digest` | `Source-Organization`, `Period`, `Content-Digest` |
//! | `built_at` (its date) | `Bagging-Date` |
//! | `audience`, `max_classification`, `withheld_records` | `Audience`, `Max-Classification`, `Withheld-Records` |
//! | `generator`; `tool_version` | `Bag-Software-Agent`; the version `generator` names |
//! | `signature` | the signature entry of each zip, and the key that made it |
//! | bundle `title` (with `organisation`, `audience`) | `External-Description` |
//! | bundle `folder`, `zip` | its `name`, and `<name>-<12 hex of digest>.zip` holding that bag |
//! | bundle `files`, `bytes` | the files of its folder and of its zip's `data/` |
//! | bundle `digest` | the bundle manifests of its folder and zip (in the [parent](super)) |
//!
//! `Audience`, `Max-Classification`, `Withheld-Records` and `Bag-Software-Agent` are checked
//! when the bag has them (bags made before they were written do not).

use std::collections::HashSet;

use super::{PackBundle, PackJson};
use crate::bundle::package::{self, SIGNATURE_NAME};
use crate::verify::bag::Bag;
use crate::verify::folder::Folder;
use crate::verify::Report;

/// Checks the fields of `pack` that concern no single bundle.
pub(super) fn check_pack(pack: &PackJson, pr: &mut Report) {
    let names_version = pack
        .generator
        .strip_suffix(&pack.tool_version)
        .is_some_and(|g| g.ends_with(' '));
    if !names_version {
        pr.problem(format!(
            "tool_version {:?} is not the version generator {:?} names",
            pack.tool_version, pack.generator
        ));
    }
    if let Some(s) = &pack.signature {
        let file = format!("<bag>/{SIGNATURE_NAME}");
        if s.file != file {
            pr.problem(format!("signature file {:?} is not {file:?}", s.file));
        }
    }
    let mut seen = HashSet::new();
    for b in &pack.bundles {
        if !seen.insert(&b.name) {
            pr.problem(format!("bundle {:?} is named twice", b.name));
        }
    }
}

/// Checks what `pack` says of bundle `b` against its folder and its zip (`bag`), those that
/// could be read.
pub(super) fn check_bundle(
    pack: &PackJson,
    b: &PackBundle,
    folder: Option<&Folder>,
    bag: Option<&Bag>,
    pr: &mut Report,
) {
    if b.folder != b.name {
        pr.problem(format!(
            "bundle {:?} folder {:?} is not its name",
            b.name, b.folder
        ));
    }
    let zip = format!("{}-{}.zip", b.name, &b.digest[..12]);
    if b.zip != zip {
        pr.problem(format!(
            "bundle {:?} zip {:?} is not {zip:?} (its name and digest)",
            b.name, b.zip
        ));
    }
    if let Some(f) = folder.filter(|f| only_manifests_differ(&f.report)) {
        let found = format!("the folder {}", b.folder);
        same_payload(b, f.payload.files, f.payload.bytes, &found, pr);
    }
    if let Some(bag) = bag {
        if let Some(name) = bag
            .name
            .as_deref()
            .filter(|n| Some(*n) != b.zip.strip_suffix(".zip"))
        {
            pr.problem(format!(
                "bundle {:?} zip {} holds the bag {name:?}, not one of its own name",
                b.name, b.zip
            ));
        }
        if only_manifests_differ(&bag.report) {
            let found = format!("the data/ of {}", b.zip);
            same_payload(b, bag.payload.files, bag.payload.bytes, &found, pr);
        }
        check_bag_info(pack, b, bag, pr);
        check_signature(pack, b, bag, pr);
    }
}

/// Has `r` found no file changed, missing or extra but manifests? (Otherwise the number and
/// size of its files say nothing new.)
fn only_manifests_differ(r: &Report) -> bool {
    r.missing.is_empty()
        && r.extra.is_empty()
        && r.changed.iter().all(|c| c.ends_with("manifest-sha256.txt"))
}

/// `files` and `bytes` of `b` against what was `found`.
fn same_payload(b: &PackBundle, files: u64, bytes: u64, found: &str, pr: &mut Report) {
    for (field, said, is) in [("files", b.files, files), ("bytes", b.bytes, bytes)] {
        if said != is {
            pr.problem(format!(
                "bundle {:?} {field} {said} differs from the {is} in {found}",
                b.name
            ));
        }
    }
}

/// The fields `bag-info.txt` states, when the bag has one.
fn check_bag_info(pack: &PackJson, b: &PackBundle, bag: &Bag, pr: &mut Report) {
    if bag.info.is_empty() {
        return; // absent or unreadable: the zip's report says so
    }
    let built_on = chrono::DateTime::parse_from_rfc3339(&pack.built_at)
        .ok()
        .and_then(|t| package::epoch_date(t.timestamp()).ok());
    let Some(built_on) = built_on else {
        pr.problem(format!("built_at {:?} is not a time", pack.built_at));
        return;
    };
    let description = package::external_description(&b.title, &pack.organisation, &pack.audience);
    let title = format!("bundle {:?} title, with organisation and audience,", b.name);
    let withheld = pack.withheld_records.to_string();
    let period = format!("{}/{}", pack.period.start, pack.period.end);
    // (field, its value, label, whether every bag has the label)
    let checks: [(&str, &str, &str, bool); 9] = [
        (
            "organisation",
            &pack.organisation,
            "Source-Organization",
            true,
        ),
        ("period", &period, "Period", true),
        (
            "content_digest",
            &pack.content_digest,
            "Content-Digest",
            true,
        ),
        ("built_at", &built_on, "Bagging-Date", true),
        (&title, &description, "External-Description", true),
        ("audience", &pack.audience, "Audience", false),
        (
            "max_classification",
            &pack.max_classification,
            "Max-Classification",
            false,
        ),
        ("withheld_records", &withheld, "Withheld-Records", false),
        ("generator", &pack.generator, "Bag-Software-Agent", false),
    ];
    for (field, said, label, always) in checks {
        match bag.info.get(label) {
            Some(is) if is == said => {}
            Some(is) => pr.problem(format!(
                "{field} {said:?} differs from {label} {is:?} in {}'s bag-info.txt",
                b.zip
            )),
            None if always => {
                pr.problem(format!("{field}: {}'s bag-info.txt has no {label}", b.zip))
            }
            None => {}
        }
    }
}

/// `signature` against the signature the zip carries.
fn check_signature(pack: &PackJson, b: &PackBundle, bag: &Bag, pr: &mut Report) {
    match (&pack.signature, bag.signed, bag.signed_by.as_deref()) {
        (None, false, _) => {}
        (None, true, _) => pr.problem(format!(
            "signature is null, but {} carries {SIGNATURE_NAME}",
            b.zip
        )),
        (Some(s), false, _) => pr.problem(format!(
            "signature names key {}, but {} carries no signature",
            s.key_id, b.zip
        )),
        (Some(s), true, by) if by != Some(s.key_id.as_str()) => pr.problem(format!(
            "signature key_id {} differs from the key {} that signed {}",
            s.key_id,
            by.unwrap_or("(unreadable)"),
            b.zip
        )),
        (Some(_), true, _) => {}
    }
}
