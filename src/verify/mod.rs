//! Verifying bundle folders, BagIt zips and whole build outputs.
//!
//! [`verify_path`] accepts
//!
//! * a **bundle folder** holding `manifest-sha256.txt`: every file is
//!   re-hashed (in parallel, streaming) and every changed, missing and extra
//!   file is named;
//! * a **zip** written by [`crate::bundle::package::write_bag_zip`]: it is read in
//!   place — never extracted, entry names never used as paths — and checked
//!   against its payload manifest, tag manifest, `Payload-Oxum`, the
//!   bundle's own manifest and, given a public key, its minisign signature;
//! * a **pack folder** holding `pack.json` (the top of the build output):
//!   every bundle folder and zip it names is verified, and each bundle's
//!   recomputed digest must equal the one in `pack.json` (and, when a bundle
//!   has both, the folder's digest must equal the zip's `Bundle-Digest`);
//!   every field of `pack.json` is checked against the bags' `bag-info.txt`
//!   and the bundles' files, and a bundle it leaves out is reported.
//!
//! A file that disagrees with the manifest line listing it is named, unless a
//! second listing shows that the line is what changed; then the manifest is
//! named (see `blame`).
//!
//! # Outcomes
//!
//! [`Report::outcome`] is [`Outcome::Unusable`] (exit 2) when the target could
//! not be checked at all (`Report::unusable`), [`Outcome::Tampered`] (exit 1)
//! when anything differs — a changed, missing or extra file or any other
//! problem such as a bad or missing signature — and [`Outcome::Intact`]
//! (exit 0) otherwise.
//!
//! # Layout
//!
//! `folder` checks a bundle folder against its manifest; `zip` reads an archive in place and
//! safely (central directory, refusals, streaming entries; its docs give the zip safety policy);
//! `bag` checks a BagIt zip's manifests and `bag-info.txt`; `signature` its minisign signature;
//! `blame` decides whether a file or the manifest listing it changed; `pack` checks a whole
//! build output and `pack/fields` every field of its `pack.json`.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};

use crate::bundle::MANIFEST_NAME;

mod bag;
mod blame;
mod folder;
mod pack;
mod signature;
mod zip;

pub use bag::verify_zip;
pub use folder::verify_bundle_dir;
pub use pack::verify_pack;
pub use zip::{MAX_ENTRIES, MAX_ENTRY_SIZE, MAX_RATIO, MAX_TOTAL_SIZE};

/// Largest tag file (bagit.txt, manifests, …) read into memory.
const MAX_TAG_FILE: u64 = 512 << 20;
/// At most this many problem lines are kept per report.
const MAX_PROBLEMS: usize = 200;

/// The files of a bundle (its manifest aside) and their total size, as found in a folder or zip.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Payload {
    /// Number of files.
    files: u64,
    /// Their total size in bytes.
    bytes: u64,
}

/// Overall result of verifying one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every file matches its manifest (and the signature, when checked).
    Intact,
    /// Something differs: a changed, missing or extra file, or a problem
    /// such as a bad or missing signature or a digest mismatch.
    Tampered,
    /// The target could not be checked: unreadable or refused (unsafe) zip,
    /// missing or malformed manifest, unreadable pack.json.
    Unusable,
}

impl Outcome {
    /// Process exit code: 0 intact, 1 tampered, 2 unusable.
    pub fn exit_code(self) -> i32 {
        match self {
            Outcome::Intact => 0,
            Outcome::Tampered => 1,
            Outcome::Unusable => 2,
        }
    }

    /// The worst outcome of several reports (`Intact` for none).
    pub fn worst(reports: &[Report]) -> Outcome {
        reports
            .iter()
            .map(Report::outcome)
            .max_by_key(|o| o.exit_code())
            .unwrap_or(Outcome::Intact)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Outcome::Intact => "INTACT",
            Outcome::Tampered => "TAMPERED",
            Outcome::Unusable => "UNUSABLE",
        })
    }
}

/// What verifying one bundle folder or zip found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The folder or zip checked.
    pub target: String,
    /// Number of files hashed.
    pub checked: usize,
    /// Files whose content differs from the manifest (sorted).
    pub changed: Vec<String>,
    /// Files in the manifest but absent (sorted).
    pub missing: Vec<String>,
    /// Files present but not in the manifest (sorted).
    pub extra: Vec<String>,
    /// Everything else found wrong, in words.
    pub problems: Vec<String>,
    /// Signature status, e.g. `valid (key id 0123456789ABCDEF)`; `None` when
    /// there is no signature and none was asked for.
    pub signature: Option<String>,
    /// SHA-256 of the bundle's `manifest-sha256.txt`, when it could be read.
    pub bundle_digest: Option<String>,
    /// True when the target could not be checked at all (see `problems`).
    pub unusable: bool,
}

impl Report {
    fn new(target: impl Into<String>) -> Report {
        Report {
            target: target.into(),
            ..Default::default()
        }
    }

    /// Intact, Tampered or Unusable (see the module docs).
    pub fn outcome(&self) -> Outcome {
        if self.unusable {
            Outcome::Unusable
        } else if self.changed.is_empty()
            && self.missing.is_empty()
            && self.extra.is_empty()
            && self.problems.is_empty()
        {
            Outcome::Intact
        } else {
            Outcome::Tampered
        }
    }

    fn problem(&mut self, p: impl Into<String>) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(p.into());
        } else if self.problems.len() == MAX_PROBLEMS {
            self.problems.push("… further problems not shown".into());
        }
    }

    fn refuse(&mut self, p: impl Into<String>) {
        self.unusable = true;
        self.problem(p);
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: {} ({} file{} checked)",
            shown(&self.target),
            self.outcome(),
            self.checked,
            if self.checked == 1 { "" } else { "s" }
        )?;
        if let Some(d) = &self.bundle_digest {
            writeln!(f, "  bundle digest: {d}")?;
        }
        if let Some(s) = &self.signature {
            writeln!(f, "  signature: {s}")?;
        }
        for (label, list) in [
            ("changed", &self.changed),
            ("missing", &self.missing),
            ("extra", &self.extra),
        ] {
            for p in list {
                writeln!(f, "  {label}: {}", shown(p))?;
            }
        }
        for p in &self.problems {
            writeln!(f, "  problem: {}", shown(p))?;
        }
        Ok(())
    }
}

/// `s` as is, or Debug-escaped when it holds control characters (so a
/// hostile file name cannot drive the terminal).
fn shown(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(char::is_control) {
        format!("{s:?}").into()
    } else {
        s.into()
    }
}

/// Verifies a bundle folder, a BagIt zip, or a pack folder (with
/// `pack.json`; `path` may also name the `pack.json` file). Returns one
/// report per bundle folder or zip checked.
///
/// `pubkey` is a minisign public key file: zips must then carry a valid
/// signature (a missing one counts as tampering). Bundle folders carry no
/// signature; in a pack they are tied to the signed zip through its
/// `Bundle-Digest`.
///
/// Errors (rather than reports) are returned only when `path` is none of
/// the above or the public key cannot be read.
pub fn verify_path(path: &Path, pubkey: Option<&Path>) -> Result<Vec<Report>> {
    let pk = match pubkey {
        Some(p) => Some(
            minisign::PublicKey::from_file(p)
                .map_err(|e| anyhow!("reading minisign public key {}: {e}", p.display()))?,
        ),
        None => None,
    };
    let md = fs::metadata(path).with_context(|| format!("{}", path.display()))?;
    if md.is_dir() {
        if path.join(MANIFEST_NAME).is_file() {
            let mut r = verify_bundle_dir(path);
            if pk.is_some() {
                r.signature = Some(
                    "not checked: a bundle folder carries no signature (verify its zip, \
                     or the pack folder that ties both)"
                        .into(),
                );
            }
            return Ok(vec![r]);
        }
        if path.join("pack.json").is_file() {
            return Ok(verify_pack(path, pk.as_ref()));
        }
        bail!(
            "{} holds neither {MANIFEST_NAME} (a bundle) nor pack.json (a pack)",
            path.display()
        );
    }
    if path.file_name().is_some_and(|n| n == "pack.json") {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        return Ok(verify_pack(dir, pk.as_ref()));
    }
    Ok(vec![verify_zip(path, pk.as_ref())])
}

/// The bytes of `path`, refused when larger than `cap`.
fn read_capped(path: &Path, cap: u64) -> io::Result<Vec<u8>> {
    let f = File::open(path)?;
    let mut v = Vec::new();
    f.take(cap + 1).read_to_end(&mut v)?;
    if v.len() as u64 > cap {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than {cap} bytes"),
        ));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_and_display() {
        let mut r = Report::new("t");
        assert_eq!(r.outcome(), Outcome::Intact);
        r.changed.push("a\nb".into());
        assert_eq!(r.outcome(), Outcome::Tampered);
        let s = r.to_string();
        assert!(
            s.contains("TAMPERED") && s.contains("changed: \"a\\nb\""),
            "{s}"
        );
        r.refuse("x");
        assert_eq!(r.outcome(), Outcome::Unusable);
        assert_eq!(
            Outcome::worst(&[r.clone(), Report::new("u")]),
            Outcome::Unusable
        );
        assert_eq!(Outcome::Tampered.exit_code(), 1);
    }
}
