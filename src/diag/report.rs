//! Collects problems while a pack is loaded and validated, then resolves each to
//! `path:line:col`. Positions inside YAML are computed only for files that have a problem.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rayon::prelude::*;

use super::{Code, Diagnostic, Positions, RecordKind, SourceFile, Subject};

/// Where in a file a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A pointer into the file's YAML (`/3/owner`).
    Pointer(String),
    /// An absolute 1-based line and column in the file.
    Line(usize, usize),
    /// Line and column inside a multi-line YAML block scalar (`|`) whose key is at the
    /// pointer: the text's first line sits on the line after the key.
    InBlock(String, usize, usize),
    /// The start of the file.
    Start,
}

/// A problem recorded but not yet resolved to a position ([`Report::push`]); add a hint and
/// the records it is about with [`Pending::hint`] and [`Pending::about`].
#[derive(Debug, Clone)]
pub struct Pending {
    file: usize,
    place: Place,
    code: Code,
    message: String,
    hint: Option<String>,
    subjects: Vec<Subject>,
}

impl Pending {
    /// How to fix it.
    pub fn hint(&mut self, hint: impl Into<String>) -> &mut Pending {
        self.hint = Some(hint.into());
        self
    }

    /// The problem concerns the record `kind:id` (call once per record, most relevant first).
    pub fn about(&mut self, kind: RecordKind, id: &str) -> &mut Pending {
        self.subjects.push(Subject {
            kind,
            id: id.to_string(),
        });
        self
    }
}

/// Problems collected so far, by file index.
#[derive(Debug, Default)]
pub struct Report {
    files: Vec<String>,
    by_name: HashMap<String, usize>,
    pending: Vec<Pending>,
}

impl Report {
    /// A new, empty report.
    pub fn new() -> Report {
        Report::default()
    }

    /// Register a file (relative path) and return its index.
    pub fn add_file(&mut self, rel: &str) -> usize {
        let i = self.files.len();
        self.files.push(rel.to_string());
        self.by_name.entry(rel.to_string()).or_insert(i);
        i
    }

    /// Has a file of that relative path been registered?
    pub fn has_file(&self, rel: &str) -> bool {
        self.by_name.contains_key(rel)
    }

    /// Index of a registered file.
    pub fn file_index(&self, rel: &str) -> Option<usize> {
        self.by_name.get(rel).copied()
    }

    /// Record a problem in the registered file `file`, at `place`.
    pub fn push(
        &mut self,
        file: usize,
        place: Place,
        code: Code,
        message: impl Into<String>,
    ) -> &mut Pending {
        self.pending.push(Pending {
            file,
            place,
            code,
            message: message.into(),
            hint: None,
            subjects: Vec::new(),
        });
        self.pending.last_mut().expect("just pushed")
    }

    /// Number of problems recorded with an error code.
    pub fn error_count(&self) -> usize {
        self.pending
            .iter()
            .filter(|p| p.code.severity == super::Severity::Error)
            .count()
    }

    /// Resolve every problem to a position, sorted by path and line. `files` are the sources
    /// registered in the same order as [`Report::add_file`]; `root` prefixes every path.
    pub fn resolve(&self, files: &[SourceFile], root: &Path) -> Vec<Diagnostic> {
        let mut by_file: BTreeMap<usize, Vec<&Pending>> = BTreeMap::new();
        for p in &self.pending {
            by_file.entry(p.file).or_default().push(p);
        }
        let groups: Vec<(usize, Vec<&Pending>)> = by_file.into_iter().collect();
        let mut out: Vec<Diagnostic> = groups
            .par_iter()
            .flat_map_iter(|(file, pending)| {
                let source = files.get(*file);
                let needs_positions = pending
                    .iter()
                    .any(|p| matches!(p.place, Place::Pointer(_) | Place::InBlock(..)));
                let positions = match (needs_positions, source) {
                    (true, Some(s)) => Some(Positions::build(s.yaml_text())),
                    _ => None,
                };
                let offset = source.map_or(0, |s| s.yaml_line_offset);
                let rel = &self.files[*file];
                let path = root.join(rel).to_string_lossy().into_owned();
                pending.iter().map(move |p| {
                    let (line, column) = match &p.place {
                        Place::Start => (1, 1),
                        Place::Line(l, c) => (*l, *c),
                        Place::Pointer(ptr) => {
                            let (l, c) = positions.as_ref().map_or((1, 1), |pos| pos.locate(ptr));
                            (l + offset, c)
                        }
                        Place::InBlock(ptr, line, col) => {
                            let (l, _) = positions.as_ref().map_or((1, 1), |pos| pos.locate(ptr));
                            let target = l + offset + line;
                            let indent = source
                                .and_then(|s| s.text.lines().nth(target - 1))
                                .map_or(0, |t| t.len() - t.trim_start().len());
                            (target, indent + col)
                        }
                    };
                    Diagnostic {
                        path: path.clone(),
                        line,
                        column,
                        severity: p.code.severity,
                        code: p.code.id,
                        rule: p.code.name,
                        message: p.message.clone(),
                        hint: p.hint.clone(),
                        subjects: p.subjects.clone(),
                    }
                })
            })
            .collect();
        super::sort(&mut out);
        out
    }
}
