//! Load a pack from disk: walk the content root in a stable order, read every file once,
//! parse records in parallel, and report every problem found on the way.
//!
//! Nothing here follows a symbolic link: content files and attachments that are links are
//! reported, never opened.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::Path;
use std::time::{Duration, SystemTime};

use rayon::prelude::*;
use walkdir::WalkDir;

use super::parse::{classify, empty_source, parse_file, FileKind, FileProblem, Parsed};
use super::salvage::Salvage;
use super::{Attachment, AttachmentKind, Content, Document, Loc, Population, Record, SourceFile};
use crate::diag::{codes, Place, RecordKind, Report};

/// Is `rel` a content folder or inside one? (Entries inside attachments/ never get here.)
fn in_content_folder(rel: &str) -> bool {
    let top = rel.split('/').next().unwrap_or("");
    matches!(
        top,
        "policies"
            | "controls"
            | "risks"
            | "identities"
            | "evidence"
            | "populations"
            | "reviews"
            | "isms"
            | "attachments"
    )
}

/// Files an earlier load of the same pack parsed, kept between loads by `serve`
/// ([`load_cached`]): a file whose stamp (size, modification time, and on Unix inode and
/// change time, looked at before it is read) is the same, and was [`Stamp::settled`] when it
/// was read, is not read or parsed again.
#[derive(Default)]
pub struct ParseCache {
    files: HashMap<String, (Stamp, FileParse)>,
}

/// How long after its last modification a file's stamp is trusted to tell a later change.
const SETTLE: Duration = Duration::from_secs(2);

/// What a file's metadata says about its bytes: a file rewritten (in place, or replaced by
/// another) gets another stamp. Two stamps are equal when their file's metadata is; when each
/// was taken does not count.
#[derive(Debug, Clone)]
pub struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    /// Inode and change time (seconds, nanoseconds): a replaced file, or one whose modification
    /// time was set back, differs in them.
    #[cfg(unix)]
    node: (u64, i64, i64),
    /// When the metadata was looked at.
    seen: SystemTime,
}

impl PartialEq for Stamp {
    fn eq(&self, other: &Stamp) -> bool {
        #[cfg(unix)]
        if self.node != other.node {
            return false;
        }
        self.len == other.len && self.modified == other.modified
    }
}

impl Eq for Stamp {}

impl Stamp {
    /// The stamp of the file at `path` (never followed when a link).
    pub fn of(path: &Path) -> Option<Stamp> {
        fs::symlink_metadata(path)
            .ok()
            .map(|m| Stamp::from_metadata(&m))
    }

    /// The stamp of the file `m` describes (of an open file: `File::metadata`).
    pub fn from_metadata(m: &fs::Metadata) -> Stamp {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Stamp {
            len: m.len(),
            modified: m.modified().ok(),
            #[cfg(unix)]
            node: (m.ino(), m.ctime(), m.ctime_nsec()),
            seen: SystemTime::now(),
        }
    }

    /// Had the file been left alone for a while (2 s, `SETTLE`) when its stamp was taken? File
    /// times move in clock ticks, not nanoseconds, so a file written again within the tick of
    /// a change just seen, at the same size, would keep its stamp: what was read of a file
    /// that had just changed is read again next time rather than trusted by its stamp (as git
    /// does with its index).
    pub fn settled(&self) -> bool {
        self.modified
            .and_then(|m| self.seen.duration_since(m).ok())
            .is_some_and(|age| age >= SETTLE)
    }
}

/// One content file read and parsed, before it is merged into the [`Content`].
#[derive(Clone)]
struct FileParse {
    source: SourceFile,
    kind: FileKind,
    parsed: Option<Parsed>,
    problems: Vec<FileProblem>,
    unclassified: Vec<String>,
    salvage: Salvage,
}

/// Read and parse the content file `rel` of `root`.
fn read_and_parse(root: &Path, rel: String, kind: FileKind) -> FileParse {
    let mut problems = Vec::new();
    let mut unclassified = Vec::new();
    let mut salvage = Salvage::default();
    let bytes = fs::read(root.join(&rel));
    let (source, parsed) = match bytes {
        Err(err) => (
            empty_source(rel),
            Err(FileProblem {
                place: Place::Start,
                code: &codes::MISSING_FILE,
                message: format!("cannot read: {err}"),
                hint: None,
            }),
        ),
        Ok(bytes) => parse_file(
            rel,
            kind,
            bytes,
            &mut problems,
            &mut unclassified,
            &mut salvage,
        ),
    };
    let parsed = match parsed {
        Ok(p) => Some(p),
        Err(p) => {
            problems.push(p);
            None
        }
    };
    FileParse {
        source,
        kind,
        parsed,
        problems,
        unclassified,
        salvage,
    }
}

/// Load the pack at `root`. I/O failures on the root itself are returned as errors; every
/// problem with the content goes into `report`.
pub fn load(root: &Path, report: &mut Report) -> io::Result<Content> {
    load_with(root, report, None, None)
}

/// [`load()`], reusing the files `cache` holds from an earlier load of the same pack that did
/// not change since, and leaving in it the files of this one.
pub fn load_cached(
    root: &Path,
    report: &mut Report,
    cache: Option<&mut ParseCache>,
) -> io::Result<Content> {
    load_with(root, report, cache, None)
}

/// [`load()`], and with `copies` (a folder) each source export's bytes are also written there
/// as they are read, so that a build stores the bytes it parsed without reading the export
/// again ([`super::sources::SourceData::copy`]).
pub fn load_copying_exports(
    root: &Path,
    report: &mut Report,
    copies: Option<&Path>,
) -> io::Result<Content> {
    load_with(root, report, None, copies)
}

/// [`load()`] with a parse cache ([`load_cached`]) and a folder for the exports' copies
/// ([`load_copying_exports`]).
pub fn load_with(
    root: &Path,
    report: &mut Report,
    cache: Option<&mut ParseCache>,
    copies: Option<&Path>,
) -> io::Result<Content> {
    let meta = fs::metadata(root)?;
    if !meta.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("{} is not a folder", root.display()),
        ));
    }
    let mut content = Content {
        root: root.to_path_buf(),
        ..Content::default()
    };

    // Walk in sorted order; never follow links.
    let mut to_read: Vec<(String, FileKind)> = Vec::new();
    for entry in WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
    {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let rel = err
                    .path()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .map(rel_string)
                    .unwrap_or_default();
                let file = register(&mut content, report, &rel);
                report.push(
                    file,
                    Place::Start,
                    codes::MISSING_FILE,
                    format!("cannot read: {err}"),
                );
                continue;
            }
        };
        let Ok(rel_path) = entry.path().strip_prefix(root) else {
            continue;
        };
        let rel = rel_string(rel_path);
        if rel.is_empty() {
            continue;
        }
        let ft = entry.file_type();
        if rel == super::sources::SOURCES_DIR || rel.starts_with("sources/") {
            content.source_files.insert(rel, found(&entry));
            continue;
        }
        if let Some(att_rel) = rel.strip_prefix("attachments/") {
            // Directories are kept (as `Other`) so that naming one is reported as "not a
            // regular file" rather than as missing.
            content
                .attachments
                .insert(att_rel.to_string(), found(&entry));
            continue;
        }
        let kind = classify(&rel);
        // Links are never followed. A linked content folder is not walked into: say so, or its
        // records would silently be missing from the pack.
        if ft.is_symlink() && (kind.is_some() || in_content_folder(&rel)) {
            let (message, hint) = match kind {
                Some(_) => (
                    "content file is a symbolic link; links are never followed",
                    "replace the link with the file itself",
                ),
                None => (
                    "symbolic link in the content tree; links are never followed, so nothing behind it is checked",
                    "replace the link with the folder or file itself",
                ),
            };
            let file = register(&mut content, report, &rel);
            report
                .push(file, Place::Start, codes::ATTACHMENT_SYMLINK, message)
                .hint(hint);
            continue;
        }
        let Some(kind) = kind else {
            continue;
        };
        if !ft.is_file() {
            continue;
        }
        to_read.push((rel, kind));
    }

    // Read and parse every file in parallel (those the cache holds unchanged are reused);
    // results keep the sorted order.
    let old = cache.as_deref();
    let results: Vec<(FileParse, Option<Stamp>, bool)> = to_read
        .into_par_iter()
        .map(|(rel, kind)| {
            let Some(old) = old else {
                return (read_and_parse(root, rel, kind), None, false);
            };
            let stamp = Stamp::of(&root.join(&rel));
            match (&stamp, old.files.get(&rel)) {
                (Some(now), Some((then, parse)))
                    if now == then && then.settled() && parse.kind == kind =>
                {
                    (parse.clone(), stamp, true)
                }
                _ => (read_and_parse(root, rel, kind), stamp, false),
            }
        })
        .collect();
    if let Some(cache) = cache {
        let mut old = std::mem::take(&mut cache.files);
        for (parse, stamp, reused) in &results {
            let rel = &parse.source.rel;
            let kept = match (reused, stamp) {
                (true, _) => old.remove(rel),
                (false, Some(stamp)) => Some((stamp.clone(), parse.clone())),
                (false, None) => None,
            };
            if let Some(kept) = kept {
                cache.files.insert(rel.clone(), kept);
            }
        }
    }

    let mut seen_pack = false;
    let mut seen_people = false;
    for (parse, _, _) in results {
        let FileParse {
            source,
            kind,
            parsed,
            problems,
            unclassified,
            salvage,
        } = parse;
        if let Some(kind) = record_kind(kind) {
            content.unparsed.add(kind, salvage);
        }
        let file = report.add_file(&source.rel);
        content.unclassified.extend(
            unclassified
                .into_iter()
                .map(|pointer| Loc { file, pointer }),
        );
        debug_assert_eq!(file, content.files.len());
        for p in problems {
            p.push_to(report, file);
        }
        match parsed {
            None => {}
            Some(Parsed::Pack(v)) => {
                seen_pack = true;
                content.pack = located(v, file).last();
            }
            Some(Parsed::People(v)) => {
                seen_people = true;
                content.people.extend(located(v, file));
            }
            Some(Parsed::Soa(v)) => content.soa.extend(located(v, file)),
            Some(Parsed::Controls(v)) => content.controls.extend(located(v, file)),
            Some(Parsed::Risks(v)) => content.risks.extend(located(v, file)),
            Some(Parsed::Identities(v)) => content.identities.extend(located(v, file)),
            Some(Parsed::Evidence(v)) => content.evidence.extend(located(v, file)),
            Some(Parsed::Policy(doc)) => content.policies.extend(document(*doc, file)),
            Some(Parsed::Review(doc)) => content.reviews.extend(document(*doc, file)),
            Some(Parsed::Population(Some((control, rows)))) => {
                content.populations.push(Population {
                    control,
                    file,
                    rows,
                })
            }
            Some(Parsed::Population(None)) => {}
            Some(Parsed::Isms(v)) => content.isms.extend(located(v, file)),
        }
        content.files.push(source);
    }
    content.apply_default_classification();
    for (seen, name) in [(seen_pack, "pack.yaml"), (seen_people, "people.yaml")] {
        if !seen && !report.has_file(name) {
            let file = register(&mut content, report, name);
            report.push(
                file,
                Place::Start,
                codes::MISSING_FILE,
                format!("{name} is missing; every pack needs one"),
            );
        }
    }
    content.review_csvs = super::review_csv::load_all(&content);
    content.sources = super::sources::load_all(&content, report, copies);
    Ok(content)
}

/// A file, link or anything else found under `attachments/` or `sources/` (links never
/// followed).
fn found(entry: &walkdir::DirEntry) -> Attachment {
    let ft = entry.file_type();
    let kind = if ft.is_symlink() {
        AttachmentKind::Symlink
    } else if ft.is_file() {
        AttachmentKind::File
    } else {
        AttachmentKind::Other
    };
    Attachment {
        path: entry.path().to_path_buf(),
        size: entry.metadata().map(|m| m.len()).unwrap_or(0),
        kind,
    }
}

/// The kind of the records a file holds (none for pack.yaml and population CSVs).
fn record_kind(kind: FileKind) -> Option<RecordKind> {
    Some(match kind {
        FileKind::People => RecordKind::Person,
        FileKind::Soa => RecordKind::SoaDecision,
        FileKind::Policy => RecordKind::Policy,
        FileKind::Control => RecordKind::Control,
        FileKind::Risk => RecordKind::Risk,
        FileKind::Identity => RecordKind::Identity,
        FileKind::Evidence => RecordKind::Evidence,
        FileKind::Review => RecordKind::Review,
        FileKind::Isms => RecordKind::Isms,
        FileKind::Pack | FileKind::Population => return None,
    })
}

/// Records of one file, with their origin.
fn located<T>(records: Vec<(T, String)>, file: usize) -> impl Iterator<Item = Record<T>> {
    records.into_iter().map(move |(value, pointer)| Record {
        value,
        loc: Loc { file, pointer },
    })
}

/// A Markdown document of one file, with its origin.
fn document<T>(parsed: Option<(T, String, usize)>, file: usize) -> Option<Document<T>> {
    parsed.map(|(meta, body, body_line)| Document {
        meta,
        body,
        body_line,
        loc: Loc {
            file,
            pointer: String::new(),
        },
    })
}

/// Register a file that has no parsed content (so report and content indices stay aligned).
fn register(content: &mut Content, report: &mut Report, rel: &str) -> usize {
    content.files.push(empty_source(rel.to_string()));
    report.add_file(rel)
}

fn rel_string(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The texts of the files a load read, by path, and its problems as printed.
    fn loaded(root: &Path, cache: Option<&mut ParseCache>) -> (Vec<(String, String)>, Vec<String>) {
        let mut report = Report::new();
        let content = load_cached(root, &mut report, cache).unwrap();
        let files = content
            .files
            .iter()
            .map(|f| (f.rel.clone(), f.text.clone()))
            .collect();
        let problems = report
            .resolve(&content.files, root)
            .iter()
            .map(ToString::to_string)
            .collect();
        (files, problems)
    }

    #[test]
    fn a_cached_load_is_a_fresh_load_after_any_change() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        fs::create_dir_all(root.join("evidence")).unwrap();
        let one = root.join("evidence/one.yaml");
        let two = root.join("evidence/two.yaml");
        fs::write(&one, "id: EV-1\ntitle: first\n").unwrap();
        fs::write(&two, "id: EV-2\ntitle: second\n").unwrap();
        let mut cache = ParseCache::default();
        let first = loaded(root, Some(&mut cache));
        assert_eq!(first, loaded(root, None));
        assert_eq!(cache.files.len(), 2);
        // Unchanged: the same as a fresh load.
        assert_eq!(loaded(root, Some(&mut cache)), first);

        // Rewritten with the same size and its old modification time: still seen.
        let modified = fs::metadata(&one).unwrap().modified().unwrap();
        fs::write(&one, "id: EV-9\ntitle: first\n").unwrap();
        fs::File::options()
            .write(true)
            .open(&one)
            .unwrap()
            .set_modified(modified)
            .unwrap();
        let after = loaded(root, Some(&mut cache));
        assert!(
            after.0.iter().any(|(_, text)| text.contains("EV-9")),
            "{after:?}"
        );
        assert_eq!(after, loaded(root, None));

        // A new file appears, a deleted one disappears, from the content and the cache.
        fs::remove_file(&two).unwrap();
        fs::write(root.join("evidence/three.yaml"), "id: [broken\n").unwrap();
        let after = loaded(root, Some(&mut cache));
        assert_eq!(after, loaded(root, None));
        let paths: Vec<&str> = after.0.iter().map(|(p, _)| p.as_str()).collect();
        assert!(paths.contains(&"evidence/three.yaml") && !paths.contains(&"evidence/two.yaml"));
        assert!(cache.files.contains_key("evidence/three.yaml"));
        assert!(!cache.files.contains_key("evidence/two.yaml"));
        // A file that does not parse is reported again from the cache.
        assert_eq!(loaded(root, Some(&mut cache)), after);
    }

    /// What the cache holds of `rel`, made to differ from the file on disk: if the next load
    /// shows it, the file was not read again.
    fn tamper(cache: &mut ParseCache, rel: &str) {
        cache
            .files
            .get_mut(rel)
            .unwrap()
            .1
            .source
            .text
            .push_str("# stale\n");
    }

    #[test]
    fn a_file_is_trusted_by_its_stamp_only_once_it_had_settled_when_read() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        fs::create_dir_all(root.join("evidence")).unwrap();
        let old = root.join("evidence/old.yaml");
        let new = root.join("evidence/new.yaml");
        fs::write(&old, "id: EV-1\ntitle: old\n").unwrap();
        fs::write(&new, "id: EV-2\ntitle: new\n").unwrap();
        let hour_ago = SystemTime::now() - Duration::from_secs(3600);
        fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
        assert!(Stamp::of(&old).unwrap().settled());
        assert!(!Stamp::of(&new).unwrap().settled());

        let mut cache = ParseCache::default();
        loaded(root, Some(&mut cache));
        tamper(&mut cache, "evidence/old.yaml");
        tamper(&mut cache, "evidence/new.yaml");
        let (files, _) = loaded(root, Some(&mut cache));
        let text = |rel: &str| files.iter().find(|(r, _)| r == rel).unwrap().1.clone();
        // Settled and unchanged: reused (so a same-stamp rewrite would go unseen).
        assert!(text("evidence/old.yaml").ends_with("# stale\n"));
        // Changed just before it was read: read again.
        assert_eq!(text("evidence/new.yaml"), "id: EV-2\ntitle: new\n");
    }
}
