//! The sources a pack declares (`sources:` in `pack.yaml`), loaded with the pack: each export is
//! opened once (a regular file under `sources/`, never through a symbolic link), and that one
//! read parses it ([`crate::sources::load()`]), hashes it and scans it for secrets (on a thread
//! of its own). People and identities claim the systems' accounts with their `accounts:` maps
//! ([`PackAccounts`]).
//!
//! An export that cannot be used is reported here, where it is read: a declared file that is
//! missing, a link or not a regular file (`E070`), and a malformed export at its own
//! `path:line:col` (`E071`). Rules between records (unknown control or person, a source and a
//! population CSV on one control, `item:` references) are checked in [`crate::check`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};

use chrono::NaiveDate;
use rayon::prelude::*;

use super::model::{Classification, Identity, Person};
use super::{Attachment, AttachmentKind, Content, Record};
use crate::diag::{codes, Place, Report};
use crate::secrets::{FileScanner, Finding};
use crate::sources::{self, Accounts, Claim, Loaded, Position, SourceDecl, SourceError, System};

/// The folder under the content root that holds the exports.
pub const SOURCES_DIR: &str = "sources";

/// One declared source as loaded (cheap to clone: the population is shared).
#[derive(Debug, Clone)]
pub struct SourceData {
    /// Index into the pack's `sources:`.
    pub decl: usize,
    /// The export's path relative to the content root (`sources/…`).
    pub rel: String,
    /// The population, results and provenance; `None` when the export could not be read (the
    /// problem is reported).
    pub loaded: Option<Arc<Loaded>>,
    /// What the secret guard found in the same read.
    pub secrets: Vec<Finding>,
    /// A file holding the bytes of that same read, when the loader was asked for copies
    /// ([`crate::content::load_copying_exports`]) and the export was loaded: what a build
    /// stores in the bundles, so each export is read once.
    pub copy: Option<PathBuf>,
}

/// The pack's people and identities as owners of source-system accounts.
#[derive(Debug, Default)]
pub struct PackAccounts<'c> {
    /// System key, then lowercase account, to the first record that claims it. Looked up once
    /// per actor of every item of an export: a lookup allocates nothing unless the account has
    /// capitals or surrounding spaces.
    claims: HashMap<String, HashMap<String, Claim<'c>>>,
    /// System key, then an account as `accounts:` spells it with capitals (`Oliver Brandt`), to
    /// the claim of its lowercase form: exports mostly spell accounts as people wrote them,
    /// and such a lookup needs no lowercasing.
    spelled: HashMap<String, HashMap<String, Claim<'c>>>,
    people: HashSet<&'c str>,
}

/// The system key an `accounts:` key stands for: identities name AWS users `aws-iam-user`,
/// people `aws`; both are the AWS system.
pub fn system_key(key: &str) -> &str {
    match key {
        "aws-iam-user" => "aws",
        other => other,
    }
}

impl<'c> PackAccounts<'c> {
    /// The accounts of `people` and `identities` (the first claim of an account wins; the
    /// checks report a second one).
    pub fn new(people: &'c [Record<Person>], identities: &'c [Record<Identity>]) -> Self {
        let mut claims: HashMap<String, HashMap<String, Claim<'c>>> = HashMap::new();
        let mut add = |system: &str, account: &str, claim: Claim<'c>| {
            claims
                .entry(system_key(system).to_string())
                .or_default()
                .entry(account.trim().to_lowercase())
                .or_insert(claim);
        };
        for p in people {
            for (system, names) in &p.value.accounts {
                for account in names.iter() {
                    add(system, account, Claim::Person(p.value.id.as_str()));
                }
            }
        }
        for i in identities {
            for (system, names) in &i.value.accounts {
                for account in names.iter() {
                    let claim = Claim::Identity {
                        id: i.value.id.as_str(),
                        rotation_days: i.value.rotation_days,
                    };
                    add(system, account, claim);
                }
            }
        }
        let mut spelled: HashMap<String, HashMap<String, Claim<'c>>> = HashMap::new();
        let declared = people
            .iter()
            .flat_map(|p| &p.value.accounts)
            .chain(identities.iter().flat_map(|i| &i.value.accounts));
        for (system, names) in declared {
            let system = system_key(system);
            for account in names.iter().map(|a| a.trim()) {
                let lower = account.to_lowercase();
                if lower == account {
                    continue;
                }
                if let Some(claim) = claims.get(system).and_then(|c| c.get(&lower)) {
                    spelled
                        .entry(system.to_string())
                        .or_default()
                        .insert(account.to_string(), *claim);
                }
            }
        }
        let people = people.iter().map(|p| p.value.id.as_str()).collect();
        PackAccounts {
            claims,
            spelled,
            people,
        }
    }
}

impl Accounts for PackAccounts<'_> {
    fn claim(&self, system: System<'_>, account: &str) -> Option<Claim<'_>> {
        match system.key() {
            None => self.people.get(account.trim()).map(|id| Claim::Person(id)),
            Some(key) => {
                let account = account.trim();
                if let Some(claim) = self.spelled.get(key).and_then(|s| s.get(account)) {
                    return Some(*claim);
                }
                let accounts = self.claims.get(key)?;
                let lowercase = if account.is_ascii() {
                    !account.bytes().any(|b| b.is_ascii_uppercase())
                } else {
                    account
                        .chars()
                        .flat_map(char::to_lowercase)
                        .eq(account.chars())
                };
                if lowercase {
                    accounts.get(account).copied()
                } else {
                    accounts.get(&account.to_lowercase()).copied()
                }
            }
        }
    }
}

impl Content {
    /// The classification of the source `decl`: its own, else what a record that gives none
    /// counts as ([`Content::default_classification`]).
    pub fn source_classification(&self, decl: &SourceDecl<Classification>) -> Classification {
        decl.classification
            .unwrap_or_else(|| self.default_classification().0)
    }
}

/// Why the declared `file` cannot be opened as an export, if it cannot: it must be a plain
/// relative path under `sources/` to a regular file that is no link and is reached through
/// none. `files` are the entries found under `sources/` (paths relative to the content root).
pub fn unusable(file: &str, files: &BTreeMap<String, Attachment>) -> Option<String> {
    let inner = file.strip_prefix("sources/").unwrap_or(file);
    if let Err(why) = super::paths::check_attachment_path(inner) {
        return Some(format!(
            "`file: {file}` {why}: write a plain relative path inside `sources/`"
        ));
    }
    let linked = std::iter::once(SOURCES_DIR.len())
        .chain(
            file.match_indices('/')
                .map(|(i, _)| i)
                .filter(|&i| i > SOURCES_DIR.len()),
        )
        .map(|i| &file[..i])
        .find(|dir| files.get(*dir).map(|a| a.kind) == Some(AttachmentKind::Symlink));
    if let Some(link) = linked {
        return Some(format!(
            "the export `{file}` is reached through the symbolic link `{link}`; links are never followed"
        ));
    }
    match files.get(file).map(|a| a.kind) {
        None => Some(format!("the export `{file}` does not exist")),
        Some(AttachmentKind::Symlink) => Some(format!(
            "the export `{file}` is a symbolic link; links are never followed"
        )),
        Some(AttachmentKind::Other) => Some(format!("the export `{file}` is not a regular file")),
        Some(AttachmentKind::File) => None,
    }
}

/// Bytes handed to the scanning thread at a time.
const SCAN_BATCH: usize = 1 << 20;
/// Batches in use at once: the one being read into, the one being scanned, and those queued
/// between them.
const SCAN_BATCHES: usize = 6;

/// A batch of an export's bytes: a buffer of [`SCAN_BATCH`] bytes whose first `len` are the
/// export's.
struct Batch {
    buffer: Box<[u8]>,
    len: usize,
}

impl Batch {
    /// An empty batch of [`SCAN_BATCH`] bytes.
    fn new() -> Batch {
        Batch {
            buffer: vec![0; SCAN_BATCH].into_boxed_slice(),
            len: 0,
        }
    }

    /// The export's bytes in it.
    fn bytes(&self) -> &[u8] {
        &self.buffer[..self.len]
    }
}

/// A buffered reader of an export that hands every byte it reads to the secret guard's scanner,
/// which runs on a thread of its own ([`read`]), so that scanning and parsing a large export
/// share the cores, and, for a build, writes it to a copy.
///
/// The file is read straight into a batch, and a full batch goes to the scanner. The batches
/// circulate: at most [`SCAN_BATCHES`] are ever made, and one the scanner is done with comes
/// back to be filled again; a fresh megabyte for every batch would cost the kernel a page fault
/// and a zeroed page for every 4 KiB of the export (over a second for a 1 GB export).
struct Scanned<R> {
    inner: R,
    to_scanner: mpsc::SyncSender<Batch>,
    /// Batches the scanner is done with.
    spent: mpsc::Receiver<Batch>,
    /// How many batches have been made.
    made: usize,
    /// The batch being read into and served from.
    batch: Batch,
    /// Bytes of `batch` already served to the parser.
    served: usize,
    /// The copy being written; dropped (and the copy not used) when a write fails.
    copy: Option<File>,
}

impl<R> Scanned<R> {
    fn new(inner: R, to_scanner: mpsc::SyncSender<Batch>, spent: mpsc::Receiver<Batch>) -> Self {
        Scanned {
            inner,
            to_scanner,
            spent,
            made: 1,
            batch: Batch::new(),
            served: 0,
            copy: None,
        }
    }

    /// Hands the bytes read so far to the scanner, and takes an empty batch to read on into: one
    /// the scanner is done with, a new one while fewer than [`SCAN_BATCHES`] exist, else the
    /// next one the scanner finishes.
    fn flush(&mut self) {
        if self.batch.len == 0 {
            return;
        }
        let next = match self.spent.try_recv() {
            Ok(spent) => Some(spent),
            Err(_) if self.made < SCAN_BATCHES => None,
            Err(_) => self.spent.recv().ok(),
        };
        let next = next.unwrap_or_else(|| {
            self.made += 1;
            Batch::new()
        });
        let full = std::mem::replace(&mut self.batch, Batch { len: 0, ..next });
        self.served = 0;
        // A send fails only when the scanner is gone, i.e. panicked: its join says so.
        let _ = self.to_scanner.send(full);
    }

    /// Hands the last bytes read to the scanner.
    fn finish(&mut self) {
        let empty = Batch {
            buffer: Box::default(),
            len: 0,
        };
        let last = std::mem::replace(&mut self.batch, empty);
        if last.len > 0 {
            let _ = self.to_scanner.send(last);
        }
    }
}

impl<R: Read> Read for Scanned<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.served == self.batch.len {
            if self.batch.len == SCAN_BATCH {
                self.flush();
            }
            let start = self.batch.len;
            let n = self.inner.read(&mut self.batch.buffer[start..])?;
            if let Some(copy) = &mut self.copy {
                if copy
                    .write_all(&self.batch.buffer[start..start + n])
                    .is_err()
                {
                    self.copy = None;
                }
            }
            self.batch.len += n;
        }
        let available = &self.batch.buffer[self.served..self.batch.len];
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.served += n;
        Ok(n)
    }
}

/// Where in the export a problem is, and the words that place it further (a JSON path, a
/// column header).
fn place_of(error: &SourceError) -> (Place, String) {
    let (line, column) = error.position.line_col();
    let at = match &error.position {
        Position::Cell { header, .. } => format!(" (column `{header}`)"),
        Position::Json { path, .. } | Position::Element { path } if !path.is_empty() => {
            format!(" (at `{path}`)")
        }
        _ => String::new(),
    };
    (Place::Line(line as usize, column as usize), at)
}

/// What one read of an export gave: the load, the secrets found, and the copy written (when
/// asked for one and every byte of it was written).
type Read1 = (Result<Loaded, SourceError>, Vec<Finding>, Option<PathBuf>);

/// Reads one usable export, writing its bytes to `copy` when given.
fn read(
    content: &Content,
    decl: &SourceDecl<Classification>,
    period: RangeInclusive<NaiveDate>,
    accounts: &PackAccounts<'_>,
    copy: Option<PathBuf>,
) -> Read1 {
    let path = content.root.join(&decl.file);
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            return (
                Err(SourceError::file(format!("cannot open the export: {e}"))),
                Vec::new(),
                None,
            )
        }
    };
    // Without a copy the build reads the export again (and checks it is unchanged).
    let copy = copy.and_then(|to| File::create(&to).ok().map(|f| (to, f)));
    std::thread::scope(|scope| {
        let (to_scanner, batches) = mpsc::sync_channel::<Batch>(SCAN_BATCHES - 2);
        let (to_reader, spent) = mpsc::channel::<Batch>();
        let scanner = scope.spawn(move || {
            let mut scanner = FileScanner::for_path(&path);
            for batch in batches {
                if scanner.wants_bytes() {
                    scanner.feed(batch.bytes());
                }
                // The reader may be gone (it has read everything): the batch is then dropped.
                let _ = to_reader.send(batch);
            }
            scanner.finish()
        });
        let (copy_path, copy_file) = copy.unzip();
        let mut reader = Scanned::new(file, to_scanner, spent);
        reader.copy = copy_file;
        let loaded = sources::load(decl, &mut reader, period, accounts);
        reader.finish();
        let copied = reader.copy.take().is_some();
        drop(reader);
        let copy = match (&loaded, copied, copy_path) {
            (Ok(_), true, Some(path)) => Some(path),
            (_, _, path) => {
                if let Some(path) = path {
                    let _ = fs::remove_file(path);
                }
                None
            }
        };
        match scanner.join() {
            Ok(findings) => (loaded, findings, copy),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// Loads every source `content`'s pack declares, reporting the exports that cannot be used or
/// read; with `copies`, writes each export's bytes to a file in that folder as they are read.
/// Nothing is loaded without a pack (its period is needed).
pub fn load_all(content: &Content, report: &mut Report, copies: Option<&Path>) -> Vec<SourceData> {
    let Some(pack) = &content.pack else {
        return Vec::new();
    };
    let period = pack.value.period.start..=pack.value.period.end;
    let accounts = PackAccounts::new(&content.people, &content.identities);
    let mut seen = HashSet::new();
    let usable: Vec<(usize, &SourceDecl<Classification>)> = pack
        .value
        .sources
        .iter()
        .enumerate()
        .filter(|(i, decl)| {
            // A second declaration of the same id is reported by the checks and not loaded.
            if !seen.insert(decl.id.as_str()) {
                return false;
            }
            match unusable(&decl.file, &content.source_files) {
                None => true,
                Some(why) => {
                    report
                        .push(
                            pack.loc.file,
                            pack.loc.field(&format!("sources/{i}/file")),
                            codes::SOURCE_FILE,
                            why,
                        )
                        .hint("keep the export byte for byte under `sources/` in the pack");
                    false
                }
            }
        })
        .collect();
    let read: Vec<_> = usable
        .into_par_iter()
        .map(|(i, decl)| {
            let copy = copies.map(|dir| dir.join(format!("{i}.export")));
            (
                i,
                decl,
                read(content, decl, period.clone(), &accounts, copy),
            )
        })
        .collect();
    let mut out = Vec::with_capacity(read.len());
    for (i, decl, (loaded, secrets, copy)) in read {
        let loaded = match loaded {
            Ok(l) => Some(Arc::new(l)),
            Err(error) => {
                let file = report
                    .file_index(&decl.file)
                    .unwrap_or_else(|| report.add_file(&decl.file));
                let (place, at) = place_of(&error);
                report
                    .push(
                        file,
                        place,
                        codes::SOURCE_EXPORT,
                        format!(
                            "cannot read this `{}` export (source `{}`){at}: {}",
                            decl.kind.kind(),
                            decl.id,
                            error.message
                        ),
                    )
                    .hint("keep the export exactly as the system wrote it; take it again if it was cut short or edited");
                None
            }
        };
        out.push(SourceData {
            decl: i,
            rel: decl.file.clone(),
            loaded,
            secrets,
            copy,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn entry(kind: AttachmentKind) -> Attachment {
        Attachment {
            path: PathBuf::new(),
            size: 0,
            kind,
        }
    }

    #[test]
    fn exports_must_be_plain_files_reached_through_no_link() {
        let mut files = BTreeMap::new();
        files.insert("sources/gh.json".to_string(), entry(AttachmentKind::File));
        files.insert("sources/ext".to_string(), entry(AttachmentKind::Symlink));
        files.insert(
            "sources/link.csv".to_string(),
            entry(AttachmentKind::Symlink),
        );
        files.insert("sources/dir".to_string(), entry(AttachmentKind::Other));
        assert_eq!(unusable("sources/gh.json", &files), None);
        assert!(unusable("sources/ext/passwd", &files)
            .unwrap()
            .contains("through the symbolic link `sources/ext`"));
        assert!(unusable("sources/link.csv", &files)
            .unwrap()
            .contains("is a symbolic link"));
        assert!(unusable("sources/dir", &files)
            .unwrap()
            .contains("not a regular file"));
        assert!(unusable("sources/none.csv", &files)
            .unwrap()
            .contains("does not exist"));
        assert!(unusable("sources/../pack.yaml", &files)
            .unwrap()
            .contains("`..`"));
        let mut linked_root = BTreeMap::new();
        linked_root.insert("sources".to_string(), entry(AttachmentKind::Symlink));
        assert!(unusable("sources/a.csv", &linked_root)
            .unwrap()
            .contains("symbolic link `sources`"));
    }

    #[test]
    fn accounts_are_claimed_by_people_and_identities() {
        use crate::content::Loc;
        let loc = Loc {
            file: 0,
            pointer: String::new(),
        };
        let person: Person = serde_yaml_ng::from_str(
            "{id: oliver, name: Oliver, accounts: {github: Oliver-B, aws: oliver}}",
        )
        .unwrap();
        let identity: Identity = serde_yaml_ng::from_str(
            "{id: svc-ci, kind: service-account, system: aws, created_on: 2025-01-01, \
             rotation_days: 90, accounts: {aws-iam-user: ci-deployer}}",
        )
        .unwrap();
        let people = [Record {
            value: person,
            loc: loc.clone(),
        }];
        let identities = [Record {
            value: identity,
            loc,
        }];
        let a = PackAccounts::new(&people, &identities);
        assert_eq!(
            a.claim(System::Github, "oliver-b "),
            Some(Claim::Person("oliver"))
        );
        // The spelling of `accounts:`, and any other casing of it.
        for spelling in ["Oliver-B", " OLIVER-B", "oLiVeR-b"] {
            assert_eq!(
                a.claim(System::Github, spelling),
                Some(Claim::Person("oliver")),
                "{spelling}"
            );
        }
        assert_eq!(a.claim(System::Aws, "Oliver-B"), None);
        assert_eq!(
            a.claim(System::Aws, "OLIVER"),
            Some(Claim::Person("oliver"))
        );
        assert_eq!(
            a.claim(System::Aws, "oliver"),
            Some(Claim::Person("oliver"))
        );
        assert_eq!(
            a.claim(System::Aws, "ci-deployer"),
            Some(Claim::Identity {
                id: "svc-ci",
                rotation_days: Some(90)
            })
        );
        assert_eq!(a.claim(System::Jira, "oliver"), None);
        assert_eq!(
            a.claim(System::PersonId, "oliver"),
            Some(Claim::Person("oliver"))
        );
        assert_eq!(a.claim(System::PersonId, "nobody"), None);
    }
}
