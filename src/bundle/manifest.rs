//! A bundle's manifest, `manifest-sha256.txt`: every other file of the bundle with its SHA-256,
//! in the format `sha256sum -c` checks. The SHA-256 of the manifest is the *bundle digest*.

use std::fs;
use std::io;
use std::path::Path;

use super::writer::validate_rel_path;
use crate::hashing::sha256_hex;

/// File name of the bundle manifest at the root of a bundle folder.
pub const MANIFEST_NAME: &str = "manifest-sha256.txt";

/// One file of a bundle: its relative path (with `/`), SHA-256 (lower-case
/// hex) and size in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// Path relative to the bundle root, `/`-separated, validated by
    /// [`validate_rel_path`].
    pub path: String,
    /// SHA-256 of the file content, 64 lower-case hex digits.
    pub sha256: String,
    /// Size of the file in bytes.
    pub size: u64,
}

/// The manifest of a finished bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// Every file of the bundle except the manifest itself, sorted by path
    /// bytes.
    pub entries: Vec<FileEntry>,
    /// The exact text of `manifest-sha256.txt`.
    pub text: String,
    /// SHA-256 (hex) of `text`: the bundle digest.
    pub digest: String,
}

impl Manifest {
    /// Builds a manifest from entries (sorted here by path bytes).
    pub fn from_entries(mut entries: Vec<FileEntry>) -> Manifest {
        entries.sort_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
        let mut text = String::with_capacity(entries.len() * 100);
        for e in &entries {
            text.push_str(&e.sha256);
            text.push_str("  ");
            text.push_str(&e.path);
            text.push('\n');
        }
        let digest = sha256_hex(text.as_bytes());
        Manifest {
            entries,
            text,
            digest,
        }
    }

    /// Parses the text of a `manifest-sha256.txt` in the format this module
    /// writes (`<64 hex>  <path>` per line; a `*` binary marker as written
    /// by `sha256sum -b` is accepted too). Sizes are unknown and set to 0.
    ///
    /// Fails on a malformed line, an invalid or unsafe path (see
    /// [`validate_rel_path`]), or a path listed twice.
    pub fn parse(text: &str) -> Result<Manifest, String> {
        let mut entries = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, line) in text.split('\n').enumerate() {
            if line.is_empty() {
                continue;
            }
            let (sha, path) = parse_manifest_line(line)
                .ok_or_else(|| format!("line {}: not `<sha256>  <path>`", i + 1))?;
            validate_rel_path(path).map_err(|e| format!("line {}: {e}", i + 1))?;
            if !seen.insert(path) {
                return Err(format!("line {}: {path} is listed twice", i + 1));
            }
            entries.push(FileEntry {
                path: path.to_string(),
                sha256: sha.to_string(),
                size: 0,
            });
        }
        Ok(Manifest {
            entries,
            text: text.to_string(),
            digest: sha256_hex(text.as_bytes()),
        })
    }

    /// Reads and parses `manifest-sha256.txt` from a bundle folder. Sizes are
    /// taken from the files on disk when they exist (0 otherwise); nothing is
    /// re-hashed.
    pub fn read_from(bundle_dir: &Path) -> io::Result<Manifest> {
        let text = fs::read_to_string(bundle_dir.join(MANIFEST_NAME))?;
        let mut m =
            Manifest::parse(&text).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        for e in &mut m.entries {
            if let Ok(md) = fs::symlink_metadata(bundle_dir.join(&e.path)) {
                e.size = md.len();
            }
        }
        Ok(m)
    }
}

/// Splits one manifest line into (sha256 hex, path). Returns `None` when the
/// line is not `<64 lower-case hex><two spaces or space-star><path>`.
pub(crate) fn parse_manifest_line(line: &str) -> Option<(&str, &str)> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.len() < 67 || !line.is_char_boundary(64) {
        return None;
    }
    let (sha, rest) = line.split_at(64);
    if !is_sha256_hex(sha) {
        return None;
    }
    let path = rest
        .strip_prefix("  ")
        .or_else(|| rest.strip_prefix(" *"))?;
    if path.is_empty() {
        return None;
    }
    Some((sha, path))
}

/// True when `s` is exactly 64 lower-case hex digits.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_line_parsing() {
        let sha = sha256_hex(b"x");
        assert_eq!(
            parse_manifest_line(&format!("{sha}  a b")),
            Some((sha.as_str(), "a b"))
        );
        assert_eq!(
            parse_manifest_line(&format!("{sha} *a")),
            Some((sha.as_str(), "a"))
        );
        assert_eq!(parse_manifest_line(&format!("{sha} a")), None);
        assert_eq!(
            parse_manifest_line(&format!("{}  a", sha.to_uppercase())),
            None
        );
        assert!(Manifest::parse(&format!("{sha}  ../a\n")).is_err());
        assert!(Manifest::parse(&format!("{sha}  a\n{sha}  a\n")).is_err());
    }
}
