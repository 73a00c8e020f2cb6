//! The checks a build starts with, which `evidencepack check` runs alone: load the pack,
//! validate every rule ([`crate::check`]), and scan every attachment for secrets.

use std::io;
use std::path::{Path, PathBuf};

use super::attachments;
use crate::check;
use crate::content::load::ParseCache;
use crate::content::{AsOf, Content};
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

/// Load and validate the pack at `root`, all but the secret scan of its attachments, evaluated
/// at the period's end.
pub fn load_and_validate(root: &Path) -> io::Result<Validated> {
    load_and_validate_as_of(root, AsOf::PeriodEnd)
}

/// Load and validate the pack at `root` evaluated at `as_of` ([`Content::set_as_of`]), all but
/// the secret scan of its attachments. An `as_of` outside the period is an
/// [`io::ErrorKind::InvalidInput`] error whose message says so.
pub fn load_and_validate_as_of(root: &Path, as_of: AsOf) -> io::Result<Validated> {
    load_and_validate_with(root, as_of, None, None)
}

/// [`load_and_validate_as_of`], reusing the files `cache` holds unchanged from an earlier load
/// of the same pack ([`crate::content::load::load_cached`]).
pub fn load_and_validate_cached(
    root: &Path,
    as_of: AsOf,
    cache: Option<&mut ParseCache>,
) -> io::Result<Validated> {
    load_and_validate_with(root, as_of, cache, None)
}

/// [`load_and_validate_as_of`], writing each source export's bytes into `copies` as they are
/// read ([`crate::content::load_copying_exports`]).
pub(crate) fn load_and_validate_copying(
    root: &Path,
    as_of: AsOf,
    copies: Option<&Path>,
) -> io::Result<Validated> {
    load_and_validate_with(root, as_of, None, copies)
}

/// Load with a parse cache and a folder for the exports' copies, and validate.
fn load_and_validate_with(
    root: &Path,
    as_of: AsOf,
    cache: Option<&mut ParseCache>,
    copies: Option<&Path>,
) -> io::Result<Validated> {
    let mut report = Report::new();
    let mut content = crate::content::load::load_with(root, &mut report, cache, copies)?;
    content
        .set_as_of(as_of, chrono::Local::now().date_naive())
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
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
    load_and_check_as_of(root, AsOf::PeriodEnd)
}

/// Load and validate the pack at `root` evaluated at `as_of`, attachments scanned for secrets.
pub fn load_and_check_as_of(root: &Path, as_of: AsOf) -> io::Result<Checked> {
    Ok(load_and_validate_as_of(root, as_of)?.scan_attachments_and_finish())
}
