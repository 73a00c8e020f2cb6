//! Diagnostics: every problem in user content, as `path:line:col: error[code]: message`.
//!
//! Each rule has a stable code (`E012`) and a short name (`unknown-control`). Validation collects
//! diagnostics against a file and a *pointer* into the YAML (`/3/owner`), and positions are
//! resolved at the end, so a file's positions are computed only when it has a problem.

pub mod codes;
mod positions;
pub mod report;
pub mod sarif;
mod source;
pub mod suggest;
pub mod terminal;

use std::fmt;

use serde::Serialize;

pub use positions::{end_of, Positions};
pub use report::{Pending, Place, Report};
pub use source::SourceFile;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks `check` and `build`.
    Error,
    /// Reported, does not block.
    Warning,
}

/// A validation rule: stable code, short name, severity and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// Stable code, e.g. `E012`.
    pub id: &'static str,
    /// Short kebab-case name, e.g. `unknown-control`.
    pub name: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// One line on what the rule checks (for the README and `--help`).
    pub summary: &'static str,
}

/// One problem, resolved to a place in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Path as shown to the user (the content root joined with the file's relative path).
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Error or warning.
    pub severity: Severity,
    /// Stable code, e.g. `E012`.
    pub code: &'static str,
    /// Rule name, e.g. `unknown-control`.
    pub rule: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when a hint helps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The records it is about, most relevant first (empty for a problem of a file as such).
    pub subjects: Vec<Subject>,
}

/// The kind of a record a diagnostic can be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecordKind {
    /// A person of `people.yaml`.
    Person,
    /// A policy.
    Policy,
    /// A control.
    Control,
    /// A risk.
    Risk,
    /// A non-human identity.
    Identity,
    /// An evidence record.
    Evidence,
    /// A review.
    Review,
    /// An Annex A decision of `soa.yaml` (its id is the Annex A control's).
    SoaDecision,
    /// A record under `isms/`: an objective, change, role, process, measurement or audit.
    Isms,
}

/// A record a diagnostic is about: its kind and id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Subject {
    /// What kind of record.
    pub kind: RecordKind,
    /// Its id.
    pub id: String,
}

impl Diagnostic {
    /// Is it about the record `kind:id`?
    pub fn is_about(&self, kind: RecordKind, id: &str) -> bool {
        self.subjects.iter().any(|s| s.kind == kind && s.id == id)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {}[{}]: {}",
            self.path, self.line, self.column, sev, self.code, self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

impl Diagnostic {
    /// Sort key: path, line, column, then code.
    pub fn sort_key(&self) -> (&str, usize, usize, &str) {
        (&self.path, self.line, self.column, self.code)
    }
}

/// Sort diagnostics by path and position, and drop exact duplicates.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
}

/// Counts of errors and warnings.
pub fn counts(diags: &[Diagnostic]) -> (usize, usize) {
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    (errors, diags.len() - errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_prefixed_by_severity() {
        let mut ids: Vec<_> = codes::ALL.iter().map(|c| c.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), codes::ALL.len());
        for c in codes::ALL {
            let prefix = if c.severity == Severity::Error {
                'E'
            } else {
                'W'
            };
            assert!(c.id.starts_with(prefix), "{}", c.id);
        }
    }

    #[test]
    fn readme_documents_every_rule() {
        let readme = include_str!("../../README.md");
        for c in codes::ALL {
            let row = format!("| `{}` | `{}` |", c.id, c.name);
            assert!(
                readme.contains(&row),
                "README.md lacks the row for {}",
                c.id
            );
        }
    }

    #[test]
    fn display_follows_the_contract() {
        let d = Diagnostic {
            path: "content/controls/ac.yaml".into(),
            line: 4,
            column: 10,
            severity: Severity::Error,
            code: codes::UNKNOWN_CONTROL.id,
            rule: codes::UNKNOWN_CONTROL.name,
            message: "unknown control `AC-99`".into(),
            hint: None,
            subjects: Vec::new(),
        };
        assert_eq!(
            d.to_string(),
            "content/controls/ac.yaml:4:10: error[E012]: unknown control `AC-99`"
        );
    }
}
