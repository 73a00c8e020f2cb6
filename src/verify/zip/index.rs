//! Verifying bundle folders, BagIt zips and whole build outputs.
//!
//! [`verify_path`] accepts
//!
//! * a **bundle folder** holding `manifest-sha256.txt`: every file is
//!   re-hashed (in parallel, streaming) and every changed, missing and extra
//!   file is named;
//! * a **zip** written by [`crate::package::write_bag_zip`]: it is read in
//!   place — never extracted, entry names never used as paths — and checked
//!   against its payload manifest, tag manifest, `Payload-Oxum`, the
//!   bundle's own manifest and, given a public key, its minisign signature;
//! * a **pack folder** holding `pack.json` (the top of the build output):
//!   every bundle folder and zip it names is verified, and each bundle's
//!   recomputed digest must equal the one in `pack.json` (and, when a bundle
//!   has both, the folder's digest must equal the zip's `Bundle-Digest`).
//!
//! # Outcomes
//!
//! [`Report::outcome`] is [`Outcome::Unusable`] (exit 2) when the target could
//! not be checked at all (`Report::unusable`), [`Outcome::Tampered`] (exit 1)
//! when anything differs — a changed, missing or extra file or any other
//! problem such as a bad or missing signature — and [`Outcome::Intact`]
//! (exit 0) otherwise.
//!
//! # Zip safety policy
//!
//! The central directory is parsed here (not by a zip library, which would
//! silently merge duplicate names), and before a single byte is
//! decompressed the archive is **refused as Unusable** when any entry:
//! has an absolute name, a `..`, `.` or empty component, a backslash, a
//! drive letter, a control character, a non-ASCII name without the UTF-8
//! flag, or an Info-ZIP Unicode-path extra field (an alternative name that
//! some extractors prefer); repeats another entry's name, or differs from
//! one only in letter case, or is both a file and a folder; is a symbolic
//! link or another non-regular file; is encrypted; uses a compression
//! method other than stored or deflate; has a local header whose name or
//! method disagrees with the central directory, or data that overlaps
//! another entry; declares more than 4 GiB uncompressed, or a compression
//! ratio above 1000:1; or when the archive has more than 200,000 entries,
//! declares more than 64 GiB in total, or spans several disks. While
//! streaming, the bytes actually inflated are counted and reading stops as
//! soon as an entry goes past its declared size (also Unusable). A refused
//! archive is reported as Unusable rather than Tampered because nothing in
//! it was checked; `write_bag_zip` never produces such an archive, so an
//! auditor should treat it as untrustworthy either way.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use rayon::prelude::*;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::bundle::{self, hash_file, hex, sha256_hex, Manifest, MANIFEST_NAME};
use crate::package::{BAGIT_TXT, SIGNATURE_NAME};

/// Most entries a zip may have.
pub const MAX_ENTRIES: u64 = 200_000;
/// Largest declared uncompressed size of one zip entry (4 GiB).
pub const MAX_ENTRY_SIZE: u64 = 4 << 30;
/// Largest declared uncompressed size of a whole zip (64 GiB).
pub const MAX_TOTAL_SIZE: u64 = 64 << 30;
/// Highest accepted compression ratio of a zip entry (uncompressed :
/// compressed).
pub const MAX_RATIO: u64 = 1000;
/// Largest tag file (bagit.txt, manifests, …) read into memory.
const MAX_TAG_FILE: u64 = 512 << 20;
/// Largest central directory read into memory.
const MAX_CENTRAL_DIR: u64 = 512 << 20;
/// Largest `pack.json` read.
const MAX_PACK_JSON: u64 = 16 << 20;
/// At most this many problem lines are kept per report.
const MAX_PROBLEMS: usize = 200;

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

// ---------------------------------------------------------------------------
// Bundle folders

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

// ---------------------------------------------------------------------------
// Packs

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

// ---------------------------------------------------------------------------
// Zips: a strict central-directory reader

/// Positional reads, so rayon workers can share one `File`.
fn read_exact_at(f: &File, buf: &mut [u8], off: u64) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        f.read_exact_at(buf, off)
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::FileExt;
        let mut done = 0;
        while done < buf.len() {
            let n = f.seek_read(&mut buf[done..], off + done as u64)?;
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            done += n;
        }
        Ok(())
    }
}

/// Reads the byte range `[pos, end)` of a shared file.
struct RangeReader<'a> {
    f: &'a File,
    pos: u64,
    end: u64,
}

impl Read for RangeReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = (self.end - self.pos).min(buf.len() as u64) as usize;
        if n == 0 {
            return Ok(0);
        }
        read_exact_at(self.f, &mut buf[..n], self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

fn u16le(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[i], b[i + 1]])
}
fn u32le(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes(b[i..i + 4].try_into().unwrap())
}
fn u64le(b: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(b[i..i + 8].try_into().unwrap())
}

/// One accepted zip entry.
#[derive(Debug, Clone)]
struct ZipEntry {
    name: String,
    is_dir: bool,
    deflated: bool,
    crc: u32,
    csize: u64,
    usize: u64,
    local_offset: u64,
    data_start: u64,
}

/// Why a zip was refused; every reason is listed.
type Refusals = Vec<String>;

/// Reads and checks the central directory and local headers of a zip
/// (see the module docs for what is refused).
fn read_zip_index(f: &File) -> std::result::Result<Vec<ZipEntry>, Refusals> {
    let one = |s: String| vec![s];
    let len = f
        .metadata()
        .map_err(|e| one(format!("cannot read: {e}")))?
        .len();
    if len < 22 {
        return Err(one("not a zip file (too short)".into()));
    }
    // End of central directory record: the last one whose comment length
    // reaches exactly the end of the file.
    let tail_len = len.min(22 + 65535);
    let mut tail = vec![0u8; tail_len as usize];
    read_exact_at(f, &mut tail, len - tail_len).map_err(|e| one(format!("cannot read: {e}")))?;
    let eocd = (0..=tail.len() - 22)
        .rev()
        .find(|&i| {
            tail[i..i + 4] == [0x50, 0x4b, 0x05, 0x06]
                && i + 22 + u16le(&tail, i + 20) as usize == tail.len()
        })
        .ok_or_else(|| one("not a zip file (no end of central directory record)".into()))?;
    let eocd_pos = len - tail_len + eocd as u64;
    let e = &tail[eocd..eocd + 22];
    let (mut disk, mut cd_disk) = (u16le(e, 4) as u32, u16le(e, 6) as u32);
    let (mut n_disk, mut n_total) = (u16le(e, 8) as u64, u16le(e, 10) as u64);
    let (mut cd_size, mut cd_offset) = (u32le(e, 12) as u64, u32le(e, 16) as u64);
    let mut cd_end_limit = eocd_pos;

    // ZIP64 end of central directory, via its locator just before the EOCD.
    if eocd_pos >= 20 {
        let mut loc = [0u8; 20];
        read_exact_at(f, &mut loc, eocd_pos - 20).map_err(|e| one(format!("cannot read: {e}")))?;
        if loc[..4] == [0x50, 0x4b, 0x06, 0x07] {
            let z_off = u64le(&loc, 8);
            if u32le(&loc, 16) > 1 || z_off.checked_add(56).is_none_or(|end| end > eocd_pos - 20) {
                return Err(one(
                    "malformed ZIP64 end of central directory locator".into()
                ));
            }
            let mut z = [0u8; 56];
            read_exact_at(f, &mut z, z_off).map_err(|e| one(format!("cannot read: {e}")))?;
            if z[..4] != [0x50, 0x4b, 0x06, 0x06] {
                return Err(one("malformed ZIP64 end of central directory".into()));
            }
            disk = u32le(&z, 16);
            cd_disk = u32le(&z, 20);
            n_disk = u64le(&z, 24);
            n_total = u64le(&z, 32);
            cd_size = u64le(&z, 40);
            cd_offset = u64le(&z, 48);
            cd_end_limit = z_off;
        }
    }
    if disk != 0 || cd_disk != 0 || n_disk != n_total {
        return Err(one("multi-disk (spanned) archives are refused".into()));
    }
    if n_total > MAX_ENTRIES {
        return Err(one(format!(
            "{n_total} entries: more than {MAX_ENTRIES} are refused"
        )));
    }
    if cd_size > MAX_CENTRAL_DIR
        || cd_offset
            .checked_add(cd_size)
            .is_none_or(|end| end > cd_end_limit)
    {
        return Err(one("central directory size or offset out of range".into()));
    }
    let mut cd = vec![0u8; cd_size as usize];
    read_exact_at(f, &mut cd, cd_offset).map_err(|e| one(format!("cannot read: {e}")))?;

    let mut refusals: Refusals = Vec::new();
    let mut refuse = |s: String| {
        if refusals.len() < MAX_PROBLEMS {
            refusals.push(s);
        }
    };
    let mut entries = Vec::with_capacity(n_total as usize);
    let mut p = 0usize;
    let mut total: u64 = 0;
    for _ in 0..n_total {
        if p + 46 > cd.len() || u32le(&cd, p) != 0x0201_4b50 {
            return Err(one("malformed central directory".into()));
        }
        let h = &cd[p..p + 46];
        let made_by = u16le(h, 4);
        let flags = u16le(h, 8);
        let method = u16le(h, 10);
        let crc = u32le(h, 16);
        let mut csize = u32le(h, 20) as u64;
        let mut usize_ = u32le(h, 24) as u64;
        let (nl, xl, cl) = (
            u16le(h, 28) as usize,
            u16le(h, 30) as usize,
            u16le(h, 32) as usize,
        );
        let disk_start = u16le(h, 34);
        let ext_attr = u32le(h, 38);
        let mut local_offset = u32le(h, 42) as u64;
        let end = p + 46 + nl + xl + cl;
        if end > cd.len() {
            return Err(one("malformed central directory".into()));
        }
        let name_raw = &cd[p + 46..p + 46 + nl];
        let extra = &cd[p + 46 + nl..p + 46 + nl + xl];
        p = end;

        let name = match std::str::from_utf8(name_raw) {
            Ok(n) if flags & 0x800 != 0 || n.is_ascii() => n.to_string(),
            Ok(n) => {
                refuse(format!(
                    "{n:?}: non-ASCII name without the UTF-8 flag (ambiguous)"
                ));
                continue;
            }
            Err(_) => {
                refuse(format!(
                    "{:?}: name is not UTF-8",
                    String::from_utf8_lossy(name_raw)
                ));
                continue;
            }
        };
        let shown_name = format!("{name:?}");

        // ZIP64 sizes/offset and forbidden extra fields.
        let mut x = 0usize;
        let mut bad_extra = None;
        while x + 4 <= extra.len() {
            let id = u16le(extra, x);
            let l = u16le(extra, x + 2) as usize;
            let Some(body) = extra.get(x + 4..x + 4 + l) else {
                bad_extra = Some("malformed extra field".to_string());
                break;
            };
            match id {
                0x0001 => {
                    let mut k = 0usize;
                    let mut take = |v: &mut u64| {
                        if *v == 0xFFFF_FFFF {
                            match body.get(k..k + 8) {
                                Some(b) => {
                                    *v = u64le(b, 0);
                                    k += 8;
                                }
                                None => bad_extra = Some("malformed ZIP64 field".into()),
                            }
                        }
                    };
                    take(&mut usize_);
                    take(&mut csize);
                    take(&mut local_offset);
                }
                0x7075 => {
                    bad_extra =
                        Some("carries an Info-ZIP Unicode path field (an alternative name)".into())
                }
                0x9901 => bad_extra = Some("is AES-encrypted".into()),
                _ => {}
            }
            x += 4 + l;
        }
        if x != extra.len() && bad_extra.is_none() {
            bad_extra = Some("malformed extra field".into());
        }
        if let Some(why) = bad_extra {
            refuse(format!("{shown_name}: {why}"));
            continue;
        }
        if disk_start != 0 {
            refuse(format!("{shown_name}: lies on another disk"));
            continue;
        }

        if let Some(why) = zip_name_problem(&name) {
            refuse(format!("{shown_name}: {why}"));
            continue;
        }
        let is_dir = name.ends_with('/');
        if flags & 0x41 != 0 || method == 99 {
            refuse(format!("{shown_name}: is encrypted"));
            continue;
        }
        let host = made_by >> 8;
        let mode = ext_attr >> 16;
        if host == 3 {
            match mode & 0o170000 {
                0o120000 => {
                    refuse(format!("{shown_name}: is a symbolic link"));
                    continue;
                }
                0 | 0o100000 | 0o040000 => {}
                _ => {
                    refuse(format!("{shown_name}: is not a regular file"));
                    continue;
                }
            }
        } else if ext_attr & 0x400 != 0 {
            refuse(format!("{shown_name}: is a reparse point (link)"));
            continue;
        }
        let deflated = match method {
            0 => {
                if csize != usize_ {
                    refuse(format!("{shown_name}: stored entry with differing sizes"));
                    continue;
                }
                false
            }
            8 => true,
            m => {
                refuse(format!(
                    "{shown_name}: compression method {m} is not supported"
                ));
                continue;
            }
        };
        if is_dir && usize_ != 0 {
            refuse(format!("{shown_name}: folder entry with content"));
            continue;
        }
        if usize_ > MAX_ENTRY_SIZE {
            refuse(format!(
                "{shown_name}: declares {usize_} bytes uncompressed, more than the {MAX_ENTRY_SIZE} allowed (bomb guard)"
            ));
            continue;
        }
        if usize_ > csize.max(1).saturating_mul(MAX_RATIO) {
            refuse(format!(
                "{shown_name}: compression ratio {usize_}:{csize} exceeds {MAX_RATIO}:1 (bomb guard)"
            ));
            continue;
        }
        total = total.saturating_add(usize_);
        entries.push(ZipEntry {
            name,
            is_dir,
            deflated,
            crc,
            csize,
            usize: usize_,
            local_offset,
            data_start: 0,
        });
    }
    if p != cd.len() {
        refuse("central directory size does not match its entries".into());
    }
    if total > MAX_TOTAL_SIZE {
        refuse(format!(
            "declares {total} bytes uncompressed in total, more than the {MAX_TOTAL_SIZE} allowed (bomb guard)"
        ));
    }

    // Duplicates, case-only duplicates, file/folder clashes.
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut dirs: HashSet<&str> = HashSet::new();
    for e in &entries {
        let key = e.name.trim_end_matches('/').to_lowercase();
        if let Some(prev) = seen.insert(key, &e.name) {
            if prev == e.name {
                refuse(format!("{:?}: duplicate entry name", e.name));
            } else {
                refuse(format!(
                    "{:?}: differs from {prev:?} only in letter case",
                    e.name
                ));
            }
        }
        let trimmed = e.name.trim_end_matches('/');
        let mut idx = 0;
        while let Some(k) = trimmed[idx..].find('/') {
            dirs.insert(&trimmed[..idx + k]);
            idx += k + 1;
        }
    }
    for e in &entries {
        if !e.is_dir && dirs.contains(e.name.as_str()) {
            refuse(format!("{:?}: is both a file and a folder", e.name));
        }
    }
    if !refusals.is_empty() {
        return Err(refusals);
    }
    let mut refuse = |s: String| {
        if refusals.len() < MAX_PROBLEMS {
            refusals.push(s);
        }
    };

    // Local headers must agree with the central directory; data must lie
    // before the central directory and no two entries may overlap.
    for e in &mut entries {
        let mut lh = [0u8; 30];
        if read_exact_at(f, &mut lh, e.local_offset).is_err() || u32le(&lh, 0) != 0x0403_4b50 {
            refuse(format!("{:?}: no local header at its offset", e.name));
            continue;
        }
        let (flags, method) = (u16le(&lh, 6), u16le(&lh, 8));
        let (nl, xl) = (u16le(&lh, 26) as u64, u16le(&lh, 28) as u64);
        let mut nx = vec![0u8; (nl + xl) as usize];
        if read_exact_at(f, &mut nx, e.local_offset + 30).is_err() {
            refuse(format!("{:?}: truncated local header", e.name));
            continue;
        }
        if &nx[..nl as usize] != e.name.as_bytes() {
            refuse(format!(
                "{:?}: local header names {:?}",
                e.name,
                String::from_utf8_lossy(&nx[..nl as usize])
            ));
            continue;
        }
        let lx = &nx[nl as usize..];
        let mut x = 0usize;
        while x + 4 <= lx.len() {
            if u16le(lx, x) == 0x7075 {
                refuse(format!(
                    "{:?}: local header carries an Info-ZIP Unicode path field",
                    e.name
                ));
            }
            x += 4 + u16le(lx, x + 2) as usize;
        }
        if flags & 0x41 != 0 || method != if e.deflated { 8 } else { 0 } {
            refuse(format!(
                "{:?}: local header disagrees with the central directory",
                e.name
            ));
            continue;
        }
        e.data_start = e.local_offset + 30 + nl + xl;
        if e.data_start.saturating_add(e.csize) > cd_offset {
            refuse(format!(
                "{:?}: data runs into the central directory",
                e.name
            ));
        }
    }
    let mut order: Vec<&ZipEntry> = entries.iter().collect();
    order.sort_by_key(|e| e.local_offset);
    for w in order.windows(2) {
        if w[0].data_start.saturating_add(w[0].csize) > w[1].local_offset {
            refuse(format!(
                "{:?}: overlaps {:?} (overlapping entries are a zip-bomb technique)",
                w[0].name, w[1].name
            ));
        }
    }
    if !refusals.is_empty() {
        return Err(refusals);
    }
    Ok(entries)
}

/// Why a zip entry name is unsafe, if it is. Folder entries end in `/`.
fn zip_name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("empty name");
    }
    if name.starts_with('/') {
        return Some("absolute path");
    }
    if name.contains('\\') {
        return Some("contains a backslash");
    }
    let b = name.as_bytes();
    if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
        return Some("starts with a drive letter");
    }
    if name.chars().any(char::is_control) {
        return Some("contains a control character");
    }
    let body = name.strip_suffix('/').unwrap_or(name);
    for c in body.split('/') {
        match c {
            ".." => return Some("has a `..` component"),
            "." | "" => return Some("has an empty or `.` component"),
            _ => {}
        }
    }
    if bundle::validate_rel_path(body).is_err() {
        return Some("is not a portable relative path");
    }
    None
}

/// Content facts about one streamed entry.
struct Streamed {
    sha256: String,
    size: u64,
    bytes: Option<Vec<u8>>,
}

enum StreamError {
    /// The entry inflated past its declared size: refuse the archive.
    Bomb(String),
    /// Corrupt data or a CRC mismatch: the entry was changed.
    Corrupt(String),
}

/// Streams one entry, hashing it; keeps the bytes when `keep`.
fn stream_entry(f: &File, e: &ZipEntry, keep: bool) -> std::result::Result<Streamed, StreamError> {
    let raw = RangeReader {
        f,
        pos: e.data_start,
        end: e.data_start + e.csize,
    };
    let mut rd: Box<dyn Read + '_> = if e.deflated {
        Box::new(flate2::read::DeflateDecoder::new_with_buf(
            raw,
            vec![0u8; 64 * 1024],
        ))
    } else {
        Box::new(raw)
    };
    let mut h = Sha256::new();
    let mut crc = crc32fast::Hasher::new();
    let mut buf = vec![0u8; bundle::BUF_SIZE];
    let mut kept = if keep { Some(Vec::new()) } else { None };
    let mut n = 0u64;
    loop {
        // Never ask for more than one byte past the declared size.
        let want = (e.usize - n.min(e.usize) + 1).min(buf.len() as u64) as usize;
        let k = match rd.read(&mut buf[..want]) {
            Ok(0) => break,
            Ok(k) => k,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => {
                return Err(StreamError::Corrupt(format!(
                    "{:?}: cannot be read: {err}",
                    e.name
                )))
            }
        };
        n += k as u64;
        if n > e.usize {
            return Err(StreamError::Bomb(format!(
                "{:?}: inflates past its declared {} bytes (bomb guard); reading stopped",
                e.name, e.usize
            )));
        }
        h.update(&buf[..k]);
        crc.update(&buf[..k]);
        if let Some(v) = kept.as_mut() {
            v.extend_from_slice(&buf[..k]);
        }
    }
    if n != e.usize {
        return Err(StreamError::Corrupt(format!(
            "{:?}: {n} bytes, but {} declared",
            e.name, e.usize
        )));
    }
    if crc.finalize() != e.crc {
        return Err(StreamError::Corrupt(format!(
            "{:?}: CRC-32 mismatch",
            e.name
        )));
    }
    Ok(Streamed {
        sha256: hex(&h.finalize()),
        size: n,
        bytes: kept,
    })
}

/// Files a manifest line (`path` listed with `sha`) under `changed` when the zip's entry hashes
/// differently, or `missing` when there is no such entry (an entry that could not be read is
/// already counted as changed).
fn compare_listed(
    path: &str,
    sha: &str,
    hashes: &BTreeMap<String, String>,
    corrupt: &BTreeSet<String>,
    changed: &mut BTreeSet<String>,
    missing: &mut BTreeSet<String>,
) {
    match hashes.get(path) {
        Some(h) if h == sha => {}
        Some(_) => {
            changed.insert(path.to_string());
        }
        None if corrupt.contains(path) => {}
        None => {
            missing.insert(path.to_string());
        }
    }
}

/// Parses `<sha256>  <path>` lines (a BagIt manifest); `Err` names the
/// first bad line.
fn parse_sha_lines(text: &[u8]) -> std::result::Result<Vec<(String, String)>, String> {
    let text = std::str::from_utf8(text).map_err(|_| "not UTF-8".to_string())?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let (sha, path) = bundle::parse_manifest_line(line)
            .ok_or_else(|| format!("line {} is not `<sha256>  <path>`", i + 1))?;
        out.push((sha.to_string(), path.to_string()));
    }
    Ok(out)
}

/// Parses `bag-info.txt` labels (continuation lines joined with a space).
fn parse_bag_info(text: &[u8]) -> BTreeMap<String, String> {
    let text = String::from_utf8_lossy(text);
    let mut out = BTreeMap::new();
    let mut last: Option<String> = None;
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(v) = last.as_ref().and_then(|k| out.get_mut(k)) {
                let v: &mut String = v;
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            let k = k.trim().to_string();
            out.entry(k.clone()).or_insert_with(|| v.trim().to_string());
            last = Some(k);
        }
    }
    out
}

/// Verifies a BagIt zip written by [`crate::package::write_bag_zip`]
/// without extracting it (see the module docs for the safety policy).
pub fn verify_zip(path: &Path, pk: Option<&minisign::PublicKey>) -> Report {
    let mut r = Report::new(path.display().to_string());
    let f = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            r.refuse(format!("cannot open: {e}"));
            return r;
        }
    };
    let entries = match read_zip_index(&f) {
        Ok(e) => e,
        Err(refusals) => {
            r.refuse("zip refused, nothing was read from it:");
            for p in refusals {
                r.problem(p);
            }
            return r;
        }
    };

    // Exactly one top-level folder.
    let tops: BTreeSet<&str> = entries
        .iter()
        .map(|e| e.name.split('/').next().unwrap_or(""))
        .collect();
    let bag = match (tops.len(), entries.iter().any(|e| !e.name.contains('/'))) {
        (1, false) => tops.into_iter().next().unwrap().to_string(),
        _ => {
            r.refuse("a bag zip must hold exactly one top-level folder and nothing beside it");
            return r;
        }
    };
    let prefix = format!("{bag}/");
    let rel = |e: &ZipEntry| e.name[prefix.len()..].to_string();
    let is_kept = |rel: &str| {
        matches!(
            rel,
            "bagit.txt"
                | "bag-info.txt"
                | "manifest-sha256.txt"
                | "tagmanifest-sha256.txt"
                | "data/manifest-sha256.txt"
        ) || rel == SIGNATURE_NAME
    };

    // Stream every file entry in parallel, hashing.
    let files: Vec<&ZipEntry> = entries.iter().filter(|e| !e.is_dir).collect();
    for e in &files {
        if is_kept(&rel(e)) && e.usize > MAX_TAG_FILE {
            r.refuse(format!(
                "{:?}: tag file larger than {MAX_TAG_FILE} bytes",
                e.name
            ));
            return r;
        }
    }
    let streamed: Vec<(String, std::result::Result<Streamed, StreamError>)> = files
        .par_iter()
        .map(|e| {
            let name = rel(e);
            let keep = is_kept(&name);
            (name, stream_entry(&f, e, keep))
        })
        .collect();
    let mut hashes: BTreeMap<String, String> = BTreeMap::new(); // rel -> sha
    let mut sizes: BTreeMap<String, u64> = BTreeMap::new();
    let mut kept: HashMap<String, Vec<u8>> = HashMap::new();
    let mut corrupt: BTreeSet<String> = BTreeSet::new();
    for (name, res) in streamed {
        r.checked += 1;
        match res {
            Ok(s) => {
                hashes.insert(name.clone(), s.sha256);
                sizes.insert(name.clone(), s.size);
                if let Some(b) = s.bytes {
                    kept.insert(name, b);
                }
            }
            Err(StreamError::Bomb(p)) => {
                r.refuse(p);
                return r;
            }
            Err(StreamError::Corrupt(p)) => {
                r.problem(p);
                corrupt.insert(name);
            }
        }
    }
    let exists = |n: &str| hashes.contains_key(n) || corrupt.contains(n);
    let mut changed: BTreeSet<String> = corrupt.clone();
    let mut missing: BTreeSet<String> = BTreeSet::new();
    let mut extra: BTreeSet<String> = BTreeSet::new();

    // bagit.txt
    match kept.get("bagit.txt") {
        None if !exists("bagit.txt") => {
            r.refuse("bagit.txt is missing: not a BagIt bag");
            return r;
        }
        Some(b) if b.as_slice() != BAGIT_TXT.as_bytes() => {
            r.problem("bagit.txt differs from `BagIt-Version: 1.0` / UTF-8")
        }
        _ => {}
    }

    // Tag manifest.
    let mut tag_listed: HashSet<String> = HashSet::new();
    match kept
        .get("tagmanifest-sha256.txt")
        .map(|b| parse_sha_lines(b))
    {
        None if !exists("tagmanifest-sha256.txt") => {
            missing.insert("tagmanifest-sha256.txt".into());
        }
        None => {}
        Some(Err(e)) => r.problem(format!("tagmanifest-sha256.txt: {e}")),
        Some(Ok(lines)) => {
            for (sha, p) in lines {
                if p.starts_with("data/") || p == "tagmanifest-sha256.txt" {
                    r.problem(format!("tagmanifest-sha256.txt lists {p:?}"));
                    continue;
                }
                compare_listed(&p, &sha, &hashes, &corrupt, &mut changed, &mut missing);
                tag_listed.insert(p);
            }
        }
    }
    for name in hashes.keys().chain(corrupt.iter()) {
        if !name.starts_with("data/")
            && name != "tagmanifest-sha256.txt"
            && name != SIGNATURE_NAME
            && !tag_listed.contains(name)
        {
            extra.insert(name.clone());
        }
    }

    // Payload manifest.
    let payload: Vec<&String> = hashes
        .keys()
        .chain(corrupt.iter())
        .filter(|n| n.starts_with("data/"))
        .collect();
    match kept.get("manifest-sha256.txt").map(|b| parse_sha_lines(b)) {
        None if !exists("manifest-sha256.txt") => {
            missing.insert("manifest-sha256.txt".into());
            r.problem("no payload manifest: payload not checked");
        }
        None => r.problem("payload manifest unreadable: payload not checked"),
        Some(Err(e)) => r.problem(format!("manifest-sha256.txt: {e}; payload not checked")),
        Some(Ok(lines)) => {
            let mut listed = HashSet::new();
            for (sha, p) in lines {
                if !p.starts_with("data/") {
                    r.problem(format!("manifest-sha256.txt lists {p:?} outside data/"));
                    continue;
                }
                compare_listed(&p, &sha, &hashes, &corrupt, &mut changed, &mut missing);
                listed.insert(p);
            }
            for p in &payload {
                if !listed.contains(p.as_str()) {
                    extra.insert((*p).clone());
                }
            }
        }
    }

    // Payload-Oxum and Bundle-Digest from bag-info.txt.
    let info = kept.get("bag-info.txt").map(|b| parse_bag_info(b));
    let inner = format!("data/{MANIFEST_NAME}");
    r.bundle_digest = hashes.get(&inner).cloned();
    match &info {
        None => {
            if !exists("bag-info.txt") {
                missing.insert("bag-info.txt".into());
            }
        }
        Some(info) => {
            let bytes: u64 = payload.iter().filter_map(|p| sizes.get(*p)).sum();
            let want = format!("{bytes}.{}", payload.len());
            match info.get("Payload-Oxum") {
                Some(o) if *o == want => {}
                Some(o) => r.problem(format!(
                    "Payload-Oxum is {o} but the payload is {want} (bytes.files)"
                )),
                None => r.problem("bag-info.txt has no Payload-Oxum"),
            }
            match (info.get("Bundle-Digest"), &r.bundle_digest) {
                (Some(d), Some(got)) if d == got => {}
                (Some(d), Some(got)) => r.problem(format!(
                    "Bundle-Digest {d} differs from the bundle manifest's digest {got}"
                )),
                (None, _) => r.problem("bag-info.txt has no Bundle-Digest"),
                _ => {}
            }
        }
    }

    // The bundle's own manifest must agree with the payload too.
    match kept.get(&inner).map(|b| {
        std::str::from_utf8(b)
            .map_err(|_| "not UTF-8".to_string())
            .and_then(Manifest::parse)
    }) {
        None if !exists(&inner) => {
            missing.insert(inner.clone());
        }
        None => {}
        Some(Err(e)) => r.problem(format!("{inner}: {e}")),
        Some(Ok(m)) => {
            let mut listed = HashSet::new();
            for e in &m.entries {
                let p = format!("data/{}", e.path);
                match hashes.get(&p) {
                    Some(h) if *h == e.sha256 => {}
                    Some(_) => {
                        if changed.insert(p.clone()) {
                            r.problem(format!("{p}: differs from the bundle's own manifest"));
                        }
                    }
                    None if corrupt.contains(&p) => {}
                    None => {
                        missing.insert(p.clone());
                    }
                }
                listed.insert(p);
            }
            for p in &payload {
                if **p != inner && !listed.contains(p.as_str()) {
                    extra.insert((*p).clone());
                }
            }
        }
    }

    // Signature.
    let sig = kept.get(SIGNATURE_NAME);
    let tagm = kept.get("tagmanifest-sha256.txt");
    match (pk, sig) {
        (None, None) if !exists(SIGNATURE_NAME) => {}
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
            let expected = crate::package::key_id(pk.keynum());
            // Signature parsing sees hostile bytes: a panic in it must not
            // take the verifier down.
            let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                check_signature(pk, sig, tagm.map(Vec::as_slice))
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

    let full = |s: BTreeSet<String>| s.into_iter().map(|p| format!("{prefix}{p}")).collect();
    r.changed = full(changed);
    r.missing = full(missing);
    r.extra = full(extra);
    r
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
            crate::package::key_id(sb.keynum()),
            crate::package::key_id(pk.keynum())
        ));
    }
    let data = tagmanifest.ok_or("tagmanifest-sha256.txt is missing or unreadable")?;
    minisign::verify(pk, &sb, io::Cursor::new(data), true, false, false)
        .map_err(|e| e.to_string())?;
    Ok(sb.trusted_comment().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_names() {
        for ok in ["bag/data/a.html", "bag/", "bag/data/x y.txt"] {
            assert_eq!(zip_name_problem(ok), None, "{ok}");
        }
        for bad in [
            "", "/abs", "../evil", "a/../b", "a\\b", "C:/x", "c:x", "a//b", "./a", "a\u{0}b",
        ] {
            assert!(zip_name_problem(bad).is_some(), "{bad:?} accepted");
        }
    }

    #[test]
    fn bag_info_parsing() {
        let m = parse_bag_info(b"A: 1\nB: two\n  three\nA: ignored\n");
        assert_eq!(m["A"], "1");
        assert_eq!(m["B"], "two three");
    }

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

    #[test]
    fn zip64_fields_and_many_entries_are_read() {
        use std::io::Write;
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("z.zip");
        let mut w = zip::ZipWriter::new(io::BufWriter::new(File::create(&p).unwrap()));
        let o = zip::write::SimpleFileOptions::default();
        w.start_file("b/big-header.txt", o.large_file(true))
            .unwrap();
        w.write_all(b"hello zip64").unwrap();
        for i in 0..70_000u32 {
            w.start_file(
                format!("b/e{i}"),
                o.compression_method(zip::CompressionMethod::Stored),
            )
            .unwrap();
        }
        w.finish().unwrap();
        let f = File::open(&p).unwrap();
        let entries = read_zip_index(&f).unwrap();
        assert_eq!(entries.len(), 70_001);
        let e = &entries[0];
        assert_eq!((e.name.as_str(), e.usize), ("b/big-header.txt", 11));
        let s = stream_entry(&f, e, true).ok().unwrap();
        assert_eq!(s.bytes.unwrap(), b"hello zip64");
    }

    #[test]
    fn range_reader_and_crc() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("f");
        fs::write(&p, b"0123456789").unwrap();
        let f = File::open(&p).unwrap();
        let mut s = String::new();
        RangeReader {
            f: &f,
            pos: 2,
            end: 5,
        }
        .read_to_string(&mut s)
        .unwrap();
        assert_eq!(s, "234");
    }
}
