//! Load a pack from disk: walk the content root in a stable order, read every file once,
//! parse records in parallel, and report every problem found on the way.
//!
//! Nothing here follows a symbolic link: content files and attachments that are links are
//! reported, never opened.

use std::fs;
use std::io;
use std::path::Path;

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

/// Load the pack at `root`. I/O failures on the root itself are returned as errors; every
/// problem with the content goes into `report`.
pub fn load(root: &Path, report: &mut Report) -> io::Result<Content> {
    load_copying_exports(root, report, None)
}

/// [`load()`], and with `copies` (a folder) each source export's bytes are also written there
/// as they are read, so that a build stores the bytes it parsed without reading the export
/// again ([`super::sources::SourceData::copy`]).
pub fn load_copying_exports(
    root: &Path,
    report: &mut Report,
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

    // Read and parse every file in parallel; results keep the sorted order.
    type Outcome = (
        SourceFile,
        FileKind,
        Option<Parsed>,
        Vec<FileProblem>,
        Vec<String>,
        Salvage,
    );
    let results: Vec<Outcome> = to_read
        .into_par_iter()
        .map(|(rel, kind)| {
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
            (source, kind, parsed, problems, unclassified, salvage)
        })
        .collect();

    let mut seen_pack = false;
    let mut seen_people = false;
    for (source, kind, parsed, problems, unclassified, salvage) in results {
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
