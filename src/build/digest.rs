//! The content digest: what a pack was built from.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use crate::content::Content;
use crate::hashing::hex;
use crate::render::Overrides;

/// The content digest: SHA-256 (hex) identifying the exact input a bundle was built from.
///
/// Definition (version 1). The SHA-256 of this byte sequence:
///
/// 1. the 26 bytes `evidencepack-content-v1\n` plus its length prefix as below;
/// 2. for every content file that was loaded (`pack.yaml`, `people.yaml`, `soa.yaml`,
///    `policies/`, `controls/`, `risks/`, `identities/`, `evidence/`, `populations/`,
///    `reviews/`), sorted by the bytes of its `/`-separated path relative to the content root:
///    the path, then the file's bytes;
/// 3. for every template and asset override (`templates/**`, `assets/**` inside the content
///    root), sorted by path: the path, then the bytes;
/// 4. for every attachment an evidence record names, sorted by path: `attachments/<path>`, then
///    the 64 lower-case hex digits of its SHA-256;
/// 5. for every source export that was loaded, in declaration order: its path (`sources/…`),
///    then the 64 lower-case hex digits of its SHA-256 (a pack without sources adds nothing).
///
/// Every item (string or byte run) is preceded by its length as an unsigned 64-bit big-endian
/// integer, so no two different inputs give the same sequence. Files outside these folders
/// (a README, `.git/`) and attachments nobody references do not count: they cannot change the
/// output.
pub fn content_digest(
    content: &Content,
    overrides: &Overrides,
    attachments: &BTreeMap<String, String>,
) -> String {
    fn item(h: &mut Sha256, bytes: &[u8]) {
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    }
    let mut h = Sha256::new();
    item(&mut h, b"evidencepack-content-v1\n");
    let mut files: Vec<(&str, &[u8])> = content
        .files
        .iter()
        .map(|f| (f.rel.as_str(), f.text.as_bytes()))
        .collect();
    files.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    for (rel, bytes) in files {
        item(&mut h, rel.as_bytes());
        item(&mut h, bytes);
    }
    for (rel, bytes) in overrides.files() {
        item(&mut h, rel.as_bytes());
        item(&mut h, bytes);
    }
    for (rel, sha256) in attachments {
        item(&mut h, format!("attachments/{rel}").as_bytes());
        item(&mut h, sha256.as_bytes());
    }
    for s in &content.sources {
        if let Some(loaded) = &s.loaded {
            item(&mut h, s.rel.as_bytes());
            item(&mut h, loaded.provenance.sha256.as_bytes());
        }
    }
    hex(&h.finalize())
}
