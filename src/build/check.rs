//! The checks a build starts with, which `evidencepack check` runs alone: load the pack,
//! validate every rule ([`crate::check`]), and scan every attachment for secrets.

use std::io;
use std::path::{Path, PathBuf};

use super::attachments;
use crate::check;
use crate::content::Content;
use crate::diag::{self, Diagnostic, Report};

/// A loaded and validated pack with its resolved diagnostics.
pub struct Checked {
    /// The content as loaded.
    pub content: Content,
    /// Every problem, sorted by path and position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        diag::counts(&self.diagnostics).0
    }
}

/// A loaded and validated pack whose attachments are still to be scanned for secrets
/// ([`Validated::finish`]): `check` scans them on their own, `build` as it copies them, so each
/// attachment is read once.
pub struct Validated {
    /// The content as loaded.
    pub content: Content,
    report: Report,
    guard: check::SecretGuard,
    root: PathBuf,
}

impl Validated {
    /// Number of errors found so far.
    pub fn errors(&self) -> usize {
        self.report.error_count()
    }

    /// Adds the secrets found in the attachments (every attachment must have been scanned) and
    /// resolves every problem to its position.
    pub fn finish(mut self, found: Vec<check::AttachmentSecret>) -> Checked {
        self.guard.finish(&self.content, &mut self.report, found);
        let diagnostics = self.report.resolve(&self.content.files, &self.root);
        Checked {
            content: self.content,
            diagnostics,
        }
    }

    /// Scans every attachment on its own ([`attachments::scan_all`]) and finishes.
    pub fn scan_attachments_and_finish(self) -> Checked {
        let found = attachments::scan_all(&self.content);
        self.finish(found)
    }
}

/// Load and validate the pack at `root`, all but the secret scan of its attachments.
pub fn load_and_validate(root: &Path) -> io::Result<Validated> {
    let mut report = Report::new();
    let content = crate::content::load(root, &mut report)?;
    let guard = check::validate(&content, &mut report);
    Ok(Validated {
        content,
        report,
        guard,
        root: root.to_path_buf(),
    })
}

/// Load and validate the pack at `root`, attachments scanned for secrets.
pub fn load_and_check(root: &Path) -> io::Result<Checked> {
    Ok(load_and_validate(root)?.scan_attachments_and_finish())
}
