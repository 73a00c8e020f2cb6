//! The minisign signature a bag zip may carry over its tag manifest.

use std::io;

use super::Report;
use crate::bundle::package::SIGNATURE_NAME;

/// Records the signature status of a zip in `r`: `sig` is the signature entry's bytes (`None`
/// when absent or unreadable; `present` says whether the entry exists), `tagmanifest` the bytes
/// it signs. A missing or invalid signature is a problem only when a key `pk` is given.
pub(super) fn check(
    r: &mut Report,
    pk: Option<&minisign::PublicKey>,
    sig: Option<&[u8]>,
    present: bool,
    tagmanifest: Option<&[u8]>,
) {
    match (pk, sig) {
        (None, None) if !present => {}
        (None, _) => {
            r.signature = Some("present, not checked (no public key given)".into());
        }
        (Some(_), None) => {
            r.signature = Some("missing".into());
            r.problem(format!(
                "a public key was given but the zip carries no {SIGNATURE_NAME}"
            ));
        }
        (Some(pk), Some(sig)) => {
            let expected = crate::bundle::sign::key_id(pk.keynum());
            // Signature parsing sees hostile bytes: a panic in it must not
            // take the verifier down.
            let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                check_signature(pk, sig, tagmanifest)
            }))
            .unwrap_or_else(|_| Err("malformed signature".into()));
            match checked {
                Ok(comment) => {
                    r.signature = Some(format!(
                        "valid (key id {expected}; trusted comment: {comment})"
                    ))
                }
                Err(why) => {
                    r.signature = Some(format!("INVALID: {why}"));
                    r.problem(format!("signature does not verify: {why}"));
                }
            }
        }
    }
}

/// Checks a `.minisig` over the tag manifest; returns the trusted comment.
fn check_signature(
    pk: &minisign::PublicKey,
    sig: &[u8],
    tagmanifest: Option<&[u8]>,
) -> std::result::Result<String, String> {
    let text = std::str::from_utf8(sig).map_err(|_| "signature file is not UTF-8".to_string())?;
    let sb = minisign::SignatureBox::from_string(text)
        .map_err(|e| format!("unreadable signature: {e}"))?;
    if sb.keynum() != pk.keynum() {
        return Err(format!(
            "made with key id {}, not {}",
            crate::bundle::sign::key_id(sb.keynum()),
            crate::bundle::sign::key_id(pk.keynum())
        ));
    }
    let data = tagmanifest.ok_or("tagmanifest-sha256.txt is missing or unreadable")?;
    minisign::verify(pk, &sb, io::Cursor::new(data), true, false, false)
        .map_err(|e| e.to_string())?;
    Ok(sb.trusted_comment().unwrap_or_default())
}

/// The key id (16 hex digits, as [`crate::bundle::sign::key_id`] writes it) of the signature `sig`,
/// when it can be read.
pub(super) fn key_id(sig: &[u8]) -> Option<String> {
    // Hostile bytes: a panic in the parser must not take the verifier down.
    std::panic::catch_unwind(|| {
        let sb = minisign::SignatureBox::from_string(std::str::from_utf8(sig).ok()?).ok()?;
        Some(crate::bundle::sign::key_id(sb.keynum()))
    })
    .ok()
    .flatten()
}
