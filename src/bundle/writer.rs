//! Writing an evidence bundle folder while hashing every byte exactly once.
//!
//! A bundle is a folder of HTML pages, CSS and attachments plus a
//! `manifest-sha256.txt` at its root that lists every other file as
//! `<sha256 hex>  <relative path>\n`, sorted by path bytes, LF line ends, so
//! that `sha256sum -c manifest-sha256.txt` run inside the folder checks it.
//! The SHA-256 of that manifest text is the *bundle digest*.
//!
//! [`BundleWriter`] is `Sync`: pages can be rendered and written from rayon
//! workers in parallel. Every file is hashed from the bytes being written (or
//! while being copied), never read back; a file another bundle of the same
//! build already stored is hard-linked with its hash
//! ([`BundleWriter::link_hashed`]), and one identical to the earlier version
//! of the bundle is hard-linked from it ([`BundleWriter::reusing`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};

use super::manifest::{is_sha256_hex, FileEntry, Manifest, MANIFEST_NAME};
pub use crate::hashing::BUF_SIZE;
use crate::hashing::{copy_hashing, sha256_hex};

/// Name of the staging folder [`BundleWriter`] keeps inside the bundle root
/// while content-addressed files are being copied; removed by
/// [`BundleWriter::finish`]. Paths starting with it are refused.
pub const STAGING_DIR: &str = ".evidencepack-staging";

/// [`BundleWriter::store_hashed`] reads files up to this size into memory and writes them
/// straight to their final name; larger ones are streamed through a staging file and renamed.
pub const IN_MEMORY_BYTES: u64 = 8 << 20;

/// Checks that `rel` is a safe, portable relative path: non-empty, `/`
/// separators, no empty, `.` or `..` component, not absolute, no backslash,
/// no drive letter, no control characters, none of `<>:"|?*` (which
/// Windows cannot store) and no `%` (read differently by BagIt tools), no component ending in a dot or space, and not
/// inside [`STAGING_DIR`].
pub fn validate_rel_path(rel: &str) -> io::Result<()> {
    let bad = |why: &str| {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("unsafe relative path {rel:?}: {why}"),
        ))
    };
    if rel.is_empty() {
        return bad("empty");
    }
    if rel.starts_with('/') {
        return bad("absolute");
    }
    if rel.len() > 4096 {
        return bad("longer than 4096 bytes");
    }
    for c in rel.chars() {
        if c == '\\' {
            return bad("contains a backslash");
        }
        if c.is_control() {
            return bad("contains a control character");
        }
        if matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') {
            return bad("contains a character Windows cannot store (<>:\"|?*)");
        }
        if c == '%' {
            // BagIt manifests percent-encode `%`, but common validators
            // (bagit-python) do not decode it: keep paths unambiguous.
            return bad("contains `%`");
        }
    }
    for comp in rel.split('/') {
        match comp {
            "" => return bad("empty component"),
            "." | ".." => return bad("`.` or `..` component"),
            _ if comp.ends_with('.') || comp.ends_with(' ') => {
                return bad("component ends with a dot or space")
            }
            _ => {}
        }
    }
    if rel.split('/').next() == Some(STAGING_DIR) {
        return bad("inside the staging folder");
    }
    Ok(())
}

fn check_ext(ext: &str) -> io::Result<()> {
    if ext.is_empty()
        || ext.len() > 16
        || !ext
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_')
        || ext.starts_with('.')
        || ext.ends_with('.')
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("bad file extension {ext:?}"),
        ));
    }
    Ok(())
}

/// The path [`BundleWriter::write_hashed`] gives `bytes` (`<dir>/<stem>.<12 hex>.<ext>`), and
/// their SHA-256.
pub fn hashed_name(dir: &str, stem: &str, ext: &str, bytes: &[u8]) -> io::Result<(String, String)> {
    check_ext(ext)?;
    if stem.is_empty() || stem.contains('/') {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("bad file stem {stem:?}"),
        ));
    }
    let sha256 = sha256_hex(bytes);
    let rel = join_dir(dir, &format!("{stem}.{}.{ext}", &sha256[..12]));
    Ok((rel, sha256))
}

fn join_dir(dir: &str, name: &str) -> String {
    let dir = dir.trim_end_matches('/');
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

#[derive(Default)]
struct State {
    /// Finished files by path.
    entries: BTreeMap<String, FileEntry>,
    /// Content-addressed paths being placed right now (reserved in `folded`, not yet in
    /// `entries`).
    pending: HashSet<String>,
    /// Every reserved or finished path, keyed by its lower-case form, so two
    /// paths differing only in case (which would overwrite each other on a
    /// case-insensitive file system) are refused.
    folded: HashMap<String, String>,
}

/// Writes the files of one bundle folder and records their SHA-256.
///
/// `BundleWriter` is `Sync`; all methods take `&self` and may be called from
/// many threads at once. Each path can be written once: writing the same path
/// twice, or two paths that differ only in letter case, fails with
/// `ErrorKind::AlreadyExists` — except content-addressed files
/// ([`store_hashed`](Self::store_hashed), [`write_hashed`](Self::write_hashed))
/// whose identical content is stored once and shared.
pub struct BundleWriter {
    root: PathBuf,
    state: Mutex<State>,
    /// Signalled whenever a content-addressed file has been placed (or failed to be).
    placed: Condvar,
    tmp_counter: AtomicU64,
    /// An earlier version of the bundle whose identical files are linked, not written.
    previous: Option<PathBuf>,
}

impl BundleWriter {
    /// Creates the bundle folder `root` (and its parents).
    ///
    /// Fails with `ErrorKind::AlreadyExists` when `root` exists and is not
    /// empty: a stale file there would end up in the folder without being in
    /// the manifest. Remove the old output first.
    pub fn new(root: &Path) -> io::Result<Self> {
        fs::create_dir_all(root)?;
        if fs::read_dir(root)?.next().is_some() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("bundle folder {} is not empty", root.display()),
            ));
        }
        Ok(BundleWriter {
            root: root.to_path_buf(),
            state: Mutex::new(State::default()),
            placed: Condvar::new(),
            tmp_counter: AtomicU64::new(0),
            previous: None,
        })
    }

    /// The bundle root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Reuse the files of `previous`, an earlier version of this bundle (the folder about to
    /// be replaced): a file written with exactly the bytes the earlier version holds at the
    /// same path becomes a hard link to it instead of a new file. The bytes are compared, never
    /// trusted; where linking fails, or anything differs, the file is written as usual.
    ///
    /// The bundle is the same either way; only its files' identities differ. A rebuild of
    /// unchanged content then creates (and, once the earlier version is removed, deletes) no
    /// files, which on some file systems costs more than writing them.
    pub fn reusing(mut self, previous: &Path) -> Self {
        self.previous = Some(previous.to_path_buf());
        self
    }

    /// Puts `bytes` at `dest` (the path of `rel`): a hard link to the earlier version's
    /// identical file ([`reusing`](Self::reusing)), else a new file.
    fn put(&self, rel: &str, dest: &Path, bytes: &[u8]) -> io::Result<()> {
        if let Some(previous) = &self.previous {
            if link_identical(&previous.join(rel), dest, bytes) {
                return Ok(());
            }
        }
        let mut f = File::create(dest)?;
        f.write_all(bytes)?;
        f.flush()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic in another writer thread cannot leave State inconsistent
        // (every update is a single insert/remove), so recover from poison.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn check_rel(rel: &str) -> io::Result<()> {
        validate_rel_path(rel)?;
        if rel == MANIFEST_NAME {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{MANIFEST_NAME} is reserved for the bundle manifest"),
            ));
        }
        Ok(())
    }

    /// Reserves `rel` for writing; fails if it (or a case variant) is taken.
    fn reserve(&self, rel: &str) -> io::Result<()> {
        Self::check_rel(rel)?;
        let mut st = self.lock();
        let key = rel.to_lowercase();
        if let Some(other) = st.folded.get(&key) {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{rel} is already written in this bundle (as {other})"),
            ));
        }
        st.folded.insert(key, rel.to_string());
        Ok(())
    }

    fn unreserve(&self, rel: &str) {
        self.lock().folded.remove(&rel.to_lowercase());
    }

    fn commit(&self, entry: FileEntry) {
        self.lock().entries.insert(entry.path.clone(), entry);
    }

    fn dest(&self, rel: &str) -> io::Result<PathBuf> {
        let p = self.root.join(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent)?;
        }
        Ok(p)
    }

    /// Writes `bytes` to `rel` (creating folders) and records their SHA-256,
    /// computed from memory.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.reserve(rel)?;
        let res = self.dest(rel).and_then(|p| self.put(rel, &p, bytes));
        match res {
            Ok(()) => {
                self.commit(FileEntry {
                    path: rel.to_string(),
                    sha256: sha256_hex(bytes),
                    size: bytes.len() as u64,
                });
                Ok(())
            }
            Err(e) => {
                self.unreserve(rel);
                Err(e)
            }
        }
    }

    /// Copies the file `src` to `rel`, hashing while copying (the source is
    /// read once, in 256 KiB chunks).
    pub fn copy_file(&self, rel: &str, src: &Path) -> io::Result<FileEntry> {
        self.reserve(rel)?;
        let res = (|| {
            let mut input = File::open(src)?;
            let p = self.dest(rel)?;
            let mut out = File::create(&p)?;
            copy_hashing(&mut input, &mut out)
        })();
        match res {
            Ok((sha256, size)) => {
                let e = FileEntry {
                    path: rel.to_string(),
                    sha256,
                    size,
                };
                self.commit(e.clone());
                Ok(e)
            }
            Err(e) => {
                self.unreserve(rel);
                Err(e)
            }
        }
    }

    /// Stores the file `src` content-addressed as `<dir>/<sha256>.<ext>`
    /// ([`store_read`](Self::store_read)).
    pub fn store_hashed(&self, dir: &str, src: &Path, ext: &str) -> io::Result<FileEntry> {
        let mut file = File::open(src)?;
        let size = file.metadata()?.len();
        self.store_read(dir, &mut file, size, ext)
    }

    /// Stores the bytes of `input` (`size` bytes long when it was opened) content-addressed as
    /// `<dir>/<sha256>.<ext>`, reading it once to its end.
    ///
    /// Up to [`IN_MEMORY_BYTES`] are read into memory, hashed and written to their final name;
    /// more are copied to a staging name while hashing, then renamed into place. Identical
    /// content is stored once: when the target already exists in this bundle the existing entry
    /// is returned. Safe to call concurrently with the same content. `dir` may be empty (bundle
    /// root).
    pub fn store_read(
        &self,
        dir: &str,
        input: &mut dyn Read,
        size: u64,
        ext: &str,
    ) -> io::Result<FileEntry> {
        check_ext(ext)?;
        if !dir.trim_end_matches('/').is_empty() {
            validate_rel_path(dir.trim_end_matches('/'))?;
        }
        if size > IN_MEMORY_BYTES {
            return self.stream_hashed(dir, input, ext);
        }
        let mut bytes = Vec::with_capacity(size as usize);
        // One byte more than allowed: an input that grew is streamed below instead.
        (&mut *input)
            .take(IN_MEMORY_BYTES + 1)
            .read_to_end(&mut bytes)?;
        if bytes.len() as u64 > IN_MEMORY_BYTES {
            return self.stream_hashed(dir, &mut io::Cursor::new(bytes).chain(input), ext);
        }
        let sha256 = sha256_hex(&bytes);
        let rel = join_dir(dir, &format!("{sha256}.{ext}"));
        self.place_hashed(&rel, &sha256, bytes.len() as u64, |dest| {
            self.put(&rel, dest, &bytes)
        })
    }

    /// Stores the file `staged`, whose bytes were hashed as they were written (`sha256`, `size`),
    /// content-addressed as `<dir>/<sha256>.<ext>` by renaming it into place: nothing is read
    /// again. `staged` must be on the bundle's file system; when the same content is already
    /// stored, it is left where it is and the existing entry returned.
    pub fn store_staged(
        &self,
        dir: &str,
        staged: &Path,
        sha256: &str,
        size: u64,
        ext: &str,
    ) -> io::Result<FileEntry> {
        check_ext(ext)?;
        if !dir.trim_end_matches('/').is_empty() {
            validate_rel_path(dir.trim_end_matches('/'))?;
        }
        if !is_sha256_hex(sha256) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{sha256} is not a SHA-256"),
            ));
        }
        let rel = join_dir(dir, &format!("{sha256}.{ext}"));
        self.place_hashed(&rel, sha256, size, |dest| fs::rename(staged, dest))
    }

    /// Places the content-addressed file `entry`, stored by another bundle's writer whose root
    /// is `from_root`, at the same path in this bundle: as a hard link to that bundle's file,
    /// or, where the file system cannot link, as a copy (whose hash must match `entry`).
    /// Nothing is hashed for a link.
    pub fn link_hashed(&self, from_root: &Path, entry: &FileEntry) -> io::Result<FileEntry> {
        let name = entry.path.rsplit('/').next().unwrap_or_default();
        if !is_sha256_hex(&entry.sha256) || !name.starts_with(&format!("{}.", entry.sha256)) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} is not a content-addressed file", entry.path),
            ));
        }
        let from = from_root.join(&entry.path);
        self.place_hashed(&entry.path, &entry.sha256, entry.size, |dest| {
            link_or_copy(&from, dest, &entry.sha256, |a, b| fs::hard_link(a, b))
        })
    }

    /// Copies `input` to a staging file while hashing, then renames it into
    /// place as `<dir>/<sha256>.<ext>`.
    fn stream_hashed(&self, dir: &str, input: &mut dyn Read, ext: &str) -> io::Result<FileEntry> {
        let staging = self.root.join(STAGING_DIR);
        fs::create_dir_all(&staging)?;
        let n = self.tmp_counter.fetch_add(1, Ordering::Relaxed);
        let tmp = staging.join(format!("{}-{n}.tmp", std::process::id()));
        let res = File::create(&tmp).and_then(|mut out| copy_hashing(input, &mut out));
        let (sha256, size) = match res {
            Ok(v) => v,
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                return Err(e);
            }
        };
        let rel = join_dir(dir, &format!("{sha256}.{ext}"));
        let res = self.place_hashed(&rel, &sha256, size, |dest| fs::rename(&tmp, dest));
        let _ = fs::remove_file(&tmp); // no-op after a successful rename
        res
    }

    /// Registers a content-addressed file under the lock: returns the
    /// existing entry when the same path was stored before, otherwise runs
    /// `place` to put the file at its destination and records it.
    fn place_hashed(
        &self,
        rel: &str,
        sha256: &str,
        size: u64,
        place: impl FnOnce(&Path) -> io::Result<()>,
    ) -> io::Result<FileEntry> {
        Self::check_rel(rel)?;
        let key = rel.to_lowercase();
        {
            let mut st = self.lock();
            // A racing store of the same path is placing it: wait for its outcome, so the
            // second store never touches the file.
            while st.pending.contains(rel) {
                st = self.placed.wait(st).unwrap_or_else(|e| e.into_inner());
            }
            if let Some(e) = st.entries.get(rel) {
                if e.sha256 == sha256 {
                    return Ok(e.clone());
                }
            }
            if let Some(other) = st.folded.get(&key) {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{rel} is already written in this bundle (as {other})"),
                ));
            }
            st.folded.insert(key.clone(), rel.to_string());
            st.pending.insert(rel.to_string());
        }
        // Placed outside the lock, so stores of different files write in parallel.
        let res = self.dest(rel).and_then(|dest| place(&dest));
        let e = FileEntry {
            path: rel.to_string(),
            sha256: sha256.to_string(),
            size,
        };
        let mut st = self.lock();
        st.pending.remove(rel);
        match &res {
            Ok(()) => {
                st.entries.insert(rel.to_string(), e.clone());
            }
            Err(_) => {
                st.folded.remove(&key);
            }
        }
        drop(st);
        self.placed.notify_all();
        res.map(|()| e)
    }

    /// Writes `bytes` as `<dir>/<stem>.<first 12 hex of sha256>.<ext>` (for
    /// cache-busting asset names like `assets/style.0123456789ab.css`) and
    /// returns that relative path. Writing the same content again returns
    /// the same path without rewriting it.
    pub fn write_hashed(
        &self,
        dir: &str,
        stem: &str,
        ext: &str,
        bytes: &[u8],
    ) -> io::Result<String> {
        let (rel, sha256) = hashed_name(dir, stem, ext, bytes)?;
        self.place_hashed(&rel, &sha256, bytes.len() as u64, |dest| {
            self.put(&rel, dest, bytes)
        })?;
        Ok(rel)
    }

    /// Entries recorded so far, sorted by path.
    pub fn entries(&self) -> Vec<FileEntry> {
        self.lock().entries.values().cloned().collect()
    }

    /// Writes `manifest-sha256.txt` at the bundle root (every recorded file,
    /// sorted by path bytes, `<sha256>  <path>\n`) and returns the manifest.
    /// Removes the staging folder (it must be empty by then).
    pub fn finish(self) -> io::Result<Manifest> {
        let staging = self.root.join(STAGING_DIR);
        match fs::remove_dir(&staging) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        let st = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        let manifest = Manifest::from_entries(st.entries.into_values().collect());
        let mut f = File::create(self.root.join(MANIFEST_NAME))?;
        f.write_all(manifest.text.as_bytes())?;
        f.sync_all()?;
        Ok(manifest)
    }
}

/// Hard-links `old` at `dest` when it is a regular file holding exactly
/// `bytes` (compared through the new link, so what was checked is what was
/// linked); `false`, with nothing left at `dest`, otherwise.
fn link_identical(old: &Path, dest: &Path, bytes: &[u8]) -> bool {
    let sized = |p: &Path| {
        fs::symlink_metadata(p).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
    };
    if !sized(old) || fs::hard_link(old, dest).is_err() {
        return false;
    }
    let same = sized(dest)
        && File::open(dest)
            .and_then(|mut f| holds(&mut f, bytes))
            .unwrap_or(false);
    if !same {
        let _ = fs::remove_file(dest);
    }
    same
}

/// Does `r` hold exactly `bytes`?
fn holds(r: &mut impl Read, bytes: &[u8]) -> io::Result<bool> {
    let mut buf = vec![0u8; BUF_SIZE.min(bytes.len() + 1)];
    let mut at = 0;
    loop {
        let k = match r.read(&mut buf) {
            Ok(0) => return Ok(at == bytes.len()),
            Ok(k) => k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if bytes.get(at..at + k) != Some(&buf[..k]) {
            return Ok(false);
        }
        at += k;
    }
}

/// Puts `from` at `dest` with `link` (a hard link), or, when that fails (a
/// file system that cannot link), as a copy whose SHA-256 must be `sha256`
/// (the copy is removed otherwise).
fn link_or_copy(
    from: &Path,
    dest: &Path,
    sha256: &str,
    link: impl FnOnce(&Path, &Path) -> io::Result<()>,
) -> io::Result<()> {
    if link(from, dest).is_ok() {
        return Ok(());
    }
    let res = (|| {
        let mut input = File::open(from)?;
        let mut out = File::create(dest)?;
        let (got, _) = copy_hashing(&mut input, &mut out)?;
        if got != sha256 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{} changed after it was stored", from.display()),
            ));
        }
        Ok(())
    })();
    if res.is_err() {
        let _ = fs::remove_file(dest);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    #[test]
    fn path_validation() {
        for ok in ["a", "a/b.html", "assets/style.0123.css", "x y/é.txt"] {
            validate_rel_path(ok).unwrap();
        }
        for bad in [
            "",
            "/abs",
            "../x",
            "a/../b",
            "a//b",
            "./a",
            "a/",
            "a\\b",
            "C:/x",
            "c:x",
            "a\nb",
            "a/b.",
            "a ",
            ".evidencepack-staging/x",
        ] {
            assert!(validate_rel_path(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn writer_round_trip() {
        let d = tmp();
        let root = d.path().join("b");
        let w = BundleWriter::new(&root).unwrap();
        w.write("index.html", b"<h1>hi</h1>").unwrap();
        w.write("z/a.txt", b"a").unwrap();
        let src = d.path().join("src.bin");
        fs::write(&src, b"attachment").unwrap();
        let e1 = w.store_hashed("att", &src, "bin").unwrap();
        let e2 = w.store_hashed("att", &src, "bin").unwrap();
        assert_eq!(e1, e2);
        assert_eq!(e1.path, format!("att/{}.bin", sha256_hex(b"attachment")));
        let css = w.write_hashed("assets", "style", "css", b"body{}").unwrap();
        assert_eq!(
            css,
            format!("assets/style.{}.css", &sha256_hex(b"body{}")[..12])
        );
        assert_eq!(
            w.write_hashed("assets", "style", "css", b"body{}").unwrap(),
            css
        );
        let c = w.copy_file("copy/src.bin", &src).unwrap();
        assert_eq!(c.size, 10);
        assert!(w.write("index.html", b"again").is_err());
        assert!(w.write("INDEX.html", b"again").is_err());
        assert!(w.write("manifest-sha256.txt", b"x").is_err());
        assert!(w.write("../x", b"x").is_err());
        let m = w.finish().unwrap();
        let paths: Vec<_> = m.entries.iter().map(|e| e.path.as_str()).collect();
        let mut sorted = paths.clone();
        sorted.sort();
        assert_eq!(paths, sorted);
        assert_eq!(paths.len(), 5);
        assert!(!root.join(STAGING_DIR).exists());
        let on_disk = fs::read_to_string(root.join(MANIFEST_NAME)).unwrap();
        assert_eq!(on_disk, m.text);
        assert_eq!(m.digest, sha256_hex(on_disk.as_bytes()));
        let parsed = Manifest::read_from(&root).unwrap();
        assert_eq!(parsed, m);
    }

    #[test]
    fn link_hashed_shares_the_file_and_its_entry() {
        let d = tmp();
        let src = d.path().join("src.csv");
        fs::write(&src, b"a,b\n1,2\n").unwrap();
        let a = BundleWriter::new(&d.path().join("a")).unwrap();
        let stored = a.store_hashed("files", &src, "csv").unwrap();
        let a_root = a.root().to_path_buf();
        a.finish().unwrap();
        let b = BundleWriter::new(&d.path().join("b")).unwrap();
        assert_eq!(b.link_hashed(&a_root, &stored).unwrap(), stored);
        // Storing the same bytes again gives the linked entry; other bytes are another file.
        assert_eq!(b.store_hashed("files", &src, "csv").unwrap(), stored);
        fs::write(&src, b"changed").unwrap();
        let other = b.store_hashed("files", &src, "txt").unwrap();
        assert_eq!(other.sha256, sha256_hex(b"changed"));
        let linked = b.root().join(&stored.path);
        assert_eq!(fs::read(&linked).unwrap(), b"a,b\n1,2\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let (x, y) = (
                fs::metadata(&linked).unwrap(),
                fs::metadata(a_root.join(&stored.path)).unwrap(),
            );
            assert_eq!((x.dev(), x.ino()), (y.dev(), y.ino()), "not a hard link");
        }
        let m = b.finish().unwrap();
        assert_eq!(m.entries, vec![stored.clone(), other]);
        let bad = FileEntry {
            path: "files/x.csv".into(),
            ..stored
        };
        let c = BundleWriter::new(&d.path().join("c")).unwrap();
        assert!(c.link_hashed(&a_root, &bad).is_err());
    }

    #[test]
    fn link_falls_back_to_a_checked_copy() {
        let d = tmp();
        let from = d.path().join("from");
        fs::write(&from, b"evidence").unwrap();
        let cannot = |_: &Path, _: &Path| Err(io::Error::other("no hard links here"));
        let dest = d.path().join("copy");
        link_or_copy(&from, &dest, &sha256_hex(b"evidence"), cannot).unwrap();
        assert_eq!(fs::read(&dest).unwrap(), b"evidence");
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            assert_eq!(fs::metadata(&from).unwrap().nlink(), 1);
        }
        // A copy whose bytes are not the stored ones is refused and removed.
        let dest = d.path().join("wrong");
        assert!(link_or_copy(&from, &dest, &sha256_hex(b"other"), cannot).is_err());
        assert!(!dest.exists());
    }

    /// A reader is read once to its end, whatever its size, and stored by its content.
    #[test]
    fn a_reader_is_stored_by_its_content() {
        let d = tmp();
        let data: Vec<u8> = (0..IN_MEMORY_BYTES + 7).map(|i| (i % 253) as u8).collect();
        let w = BundleWriter::new(&d.path().join("b")).unwrap();
        for (want, size) in [(&data[..], data.len() as u64), (&data[..5000], 5000)] {
            let mut input = want;
            let e = w.store_read("files", &mut input, size, "log").unwrap();
            assert!(input.is_empty(), "read to its end");
            assert_eq!(e.sha256, sha256_hex(want));
            assert_eq!(fs::read(w.root().join(&e.path)).unwrap(), want);
        }
        // An input longer than announced is stored whole.
        let mut input = &data[..];
        let e = w.store_read("grew", &mut input, 10, "log").unwrap();
        assert_eq!(e.size, data.len() as u64);
    }

    #[test]
    fn files_above_the_in_memory_limit_are_stored_too() {
        let d = tmp();
        let big = d.path().join("big.bin");
        let data: Vec<u8> = (0..IN_MEMORY_BYTES + 1).map(|i| (i % 251) as u8).collect();
        fs::write(&big, &data).unwrap();
        let small = d.path().join("small.bin");
        fs::write(&small, &data[..1000]).unwrap();
        let root = d.path().join("b");
        let w = BundleWriter::new(&root).unwrap();
        let e = w.store_hashed("att", &big, "bin").unwrap();
        assert_eq!(
            (e.sha256.as_str(), e.size),
            (&*sha256_hex(&data), data.len() as u64)
        );
        let e2 = w.store_hashed("att", &small, "bin").unwrap();
        assert_eq!(e2.sha256, sha256_hex(&data[..1000]));
        w.finish().unwrap();
        assert_eq!(fs::read(root.join(&e.path)).unwrap(), data);
        assert_eq!(fs::read(root.join(&e2.path)).unwrap(), &data[..1000]);
        assert_eq!(fs::read_dir(root.join("att")).unwrap().count(), 2);
        assert!(!root.join(STAGING_DIR).exists());
    }

    #[cfg(unix)]
    #[test]
    fn reusing_links_identical_files_and_writes_the_rest() {
        use std::os::unix::fs::MetadataExt;
        let ino = |p: &Path| fs::symlink_metadata(p).unwrap().ino();
        let d = tmp();
        let src = d.path().join("a.csv");
        fs::write(&src, b"1,2\n").unwrap();
        let old = BundleWriter::new(&d.path().join("old")).unwrap();
        old.write("same.html", b"<p>same</p>").unwrap();
        old.write("changed.html", b"<p>old</p>").unwrap();
        old.write("resized.html", b"<p>short</p>").unwrap();
        let stored = old.store_hashed("files", &src, "csv").unwrap();
        let css = old.write_hashed("assets", "style", "css", b"p{}").unwrap();
        let old_root = old.root().to_path_buf();
        old.finish().unwrap();
        fs::create_dir(old_root.join("elsewhere")).unwrap();
        fs::write(old_root.join("elsewhere/target"), b"<p>link</p>").unwrap();
        std::os::unix::fs::symlink("elsewhere/target", old_root.join("symlink.html")).unwrap();

        let new = BundleWriter::new(&d.path().join("new"))
            .unwrap()
            .reusing(&old_root);
        new.write("same.html", b"<p>same</p>").unwrap();
        new.write("changed.html", b"<p>new</p>").unwrap();
        new.write("resized.html", b"<p>longer</p>").unwrap();
        new.write("symlink.html", b"<p>link</p>").unwrap();
        new.write("added.html", b"<p>added</p>").unwrap();
        assert_eq!(new.store_hashed("files", &src, "csv").unwrap(), stored);
        assert_eq!(
            new.write_hashed("assets", "style", "css", b"p{}").unwrap(),
            css
        );
        let root = new.root().to_path_buf();
        new.finish().unwrap();
        for linked in ["same.html", &stored.path, &css] {
            assert_eq!(
                ino(&root.join(linked)),
                ino(&old_root.join(linked)),
                "{linked}"
            );
        }
        for written in ["changed.html", "resized.html", "symlink.html"] {
            assert_ne!(
                ino(&root.join(written)),
                ino(&old_root.join(written)),
                "{written}"
            );
            assert!(fs::symlink_metadata(root.join(written)).unwrap().is_file());
        }
        assert_eq!(fs::read(root.join("changed.html")).unwrap(), b"<p>new</p>");
        assert_eq!(
            fs::read(old_root.join("changed.html")).unwrap(),
            b"<p>old</p>"
        );
        assert_eq!(fs::read(root.join("symlink.html")).unwrap(), b"<p>link</p>");
    }

    #[test]
    fn holds_compares_every_byte_and_the_length() {
        let data: Vec<u8> = (0..BUF_SIZE * 2 + 5).map(|i| (i % 253) as u8).collect();
        assert!(holds(&mut &data[..], &data).unwrap());
        assert!(holds(&mut &b""[..], b"").unwrap());
        assert!(!holds(&mut &data[..data.len() - 1], &data).unwrap());
        assert!(!holds(&mut &data[..], &data[..data.len() - 1]).unwrap());
        let mut other = data.clone();
        other[BUF_SIZE + 7] ^= 1;
        assert!(!holds(&mut &other[..], &data).unwrap());
    }

    #[test]
    fn new_refuses_non_empty_folder() {
        let d = tmp();
        fs::write(d.path().join("stale"), b"x").unwrap();
        assert!(BundleWriter::new(d.path()).is_err());
    }

    #[test]
    fn concurrent_identical_stores_keep_one_copy() {
        use rayon::prelude::*;
        let d = tmp();
        let src = d.path().join("same");
        fs::write(&src, vec![7u8; 100_000]).unwrap();
        let root = d.path().join("b");
        let w = BundleWriter::new(&root).unwrap();
        let paths: Vec<String> = (0..64)
            .into_par_iter()
            .map(|_| w.store_hashed("att", &src, "dat").unwrap().path)
            .collect();
        assert!(paths.windows(2).all(|p| p[0] == p[1]));
        let m = w.finish().unwrap();
        assert_eq!(m.entries.len(), 1);
        assert_eq!(fs::read_dir(root.join("att")).unwrap().count(), 1);
    }
}
