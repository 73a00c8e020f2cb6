//! Diagnostics: every problem in user content, as `path:line:col: error[code]: message`.
//!
//! Each rule has a stable code (`E012`) and a short name (`unknown-control`). Validation collects
//! diagnostics against a file and a *pointer* into the YAML (`/3/owner`), and positions are
//! resolved at the end, so a file's positions are computed only when it has a problem.

mod positions;
pub mod report;
mod source;
pub mod suggest;

use std::fmt;

use serde::Serialize;

pub use positions::Positions;
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

macro_rules! codes {
    ($($konst:ident = $id:literal $name:literal $sev:ident $summary:literal;)*) => {
        $(
            #[doc = $summary]
            pub const $konst: Code = Code { id: $id, name: $name, severity: Severity::$sev, summary: $summary };
        )*
        /// Every rule, in code order.
        pub const ALL: &[Code] = &[$($konst),*];
    };
}

/// The catalogue of rules.
pub mod codes {
    use super::{Code, Severity};

    codes! {
        YAML_SYNTAX = "E001" "yaml-syntax" Error "YAML or front-matter syntax error, empty file, invalid UTF-8, alias bomb or nesting too deep.";
        UNKNOWN_FIELD = "E002" "unknown-field" Error "A field the format does not define (put free-form data under `extra:`).";
        INVALID_VALUE = "E003" "invalid-value" Error "A value of the wrong type or outside its allowed set.";
        INVALID_DATE = "E004" "invalid-date" Error "A date that is not a real ISO 8601 calendar date (2026-02-30).";
        MISSING_FIELD = "E005" "missing-field" Error "A required field is missing.";
        FRONT_MATTER = "E006" "front-matter" Error "A Markdown file without a closed `---` front-matter block.";
        MISSING_FILE = "E007" "missing-file" Error "A required file (pack.yaml, people.yaml) is missing or unreadable.";
        DUPLICATE_ID = "E010" "duplicate-id" Error "Two records of the same kind share an id.";
        UNKNOWN_PERSON = "E011" "unknown-person" Error "An owner, operator, performer, approver or acceptor that is not in people.yaml.";
        UNKNOWN_CONTROL = "E012" "unknown-control" Error "A reference to a control id that does not exist.";
        UNKNOWN_POLICY = "E013" "unknown-policy" Error "A reference to a policy id that does not exist.";
        UNKNOWN_IDENTITY = "E014" "unknown-identity" Error "A reference to a non-human identity that does not exist.";
        UNKNOWN_RECORD = "E015" "unknown-record" Error "A reference to a risk, review or other record that does not exist.";
        UNKNOWN_FRAMEWORK_ID = "E016" "unknown-framework-id" Error "A framework id that is not in the embedded catalog (`5.38`, `CC10.1`).";
        UNDECLARED_FRAMEWORK = "E017" "undeclared-framework" Error "A mapping to a framework the pack does not declare in pack.yaml.";
        BROKEN_LINK = "E018" "broken-link" Error "A Markdown link `kind:id` to a record or framework id that does not exist.";
        SOA_UNDECIDED = "E020" "soa-undecided" Error "An Annex A control neither mapped by a control nor excluded in soa.yaml.";
        SOA_EXCLUDED_MAPPED = "E021" "soa-excluded-but-mapped" Error "An Annex A control excluded in soa.yaml although a control maps to it.";
        SOA_NO_JUSTIFICATION = "E022" "soa-no-justification" Error "An exclusion in soa.yaml without a justification.";
        EXCEPTION_MISSING = "E030" "exception-missing" Error "`result: exception` without an `exception:` block (or a block on a pass).";
        ACCEPTANCE_MISSING = "E031" "acceptance-missing" Error "`treatment: accept` without `accepted_by`.";
        OUT_OF_RANGE = "E032" "out-of-range" Error "A score outside 1..5, a period that ends before it starts, or a similar impossible value.";
        ATTACHMENT_PATH = "E040" "attachment-path" Error "An attachment path that is not a plain relative path inside attachments/ (`..`, absolute, drive, reserved or non-NFC name).";
        ATTACHMENT_MISSING = "E041" "attachment-missing" Error "An attachment that does not exist.";
        ATTACHMENT_SYMLINK = "E042" "attachment-symlink" Error "An attachment or content file that is a symbolic link, or an attachment reached through one (never followed).";
        ATTACHMENT_NOT_FILE = "E043" "attachment-not-file" Error "An attachment that is not a regular file.";
        POPULATION = "E050" "population" Error "A population CSV that is malformed or names an unknown control.";
        SECRET = "E060" "secret-detected" Error "A credential found in content; the secret itself is never printed.";
        OUTSIDE_PERIOD = "W101" "outside-period" Warning "Evidence dated outside the period under review.";
        NO_EVIDENCE = "W102" "no-evidence" Warning "A control with no evidence in the period.";
        FREQUENCY_GAP = "W103" "frequency-gap" Warning "Evidence does not cover every interval of the control's frequency.";
        SEGREGATION = "W104" "segregation-of-duties" Warning "The same person performed and approved a record.";
        OWNER_IS_OPERATOR = "W105" "owner-is-operator" Warning "A control's owner also operates it.";
        POLICY_REVIEW_OVERDUE = "W106" "policy-review-overdue" Warning "A policy past its review interval at the end of the period.";
        ROTATION_LATE = "W107" "rotation-late" Warning "A non-human identity's rotations were further apart than rotation_days.";
        ROTATION_OVERDUE = "W108" "rotation-overdue" Warning "A non-human identity overdue for rotation at the end of the period.";
        IDENTITY_UNOWNED = "W109" "identity-unowned" Warning "A non-human identity owned by nobody.";
        UNUSED_ALLOW = "W110" "unused-secret-allow" Warning "A `secrets.allow` fingerprint that matches no finding.";
    }
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
