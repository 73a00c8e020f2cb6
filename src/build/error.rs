//! Why a build wrote nothing: the typed error at the library's seam (the command line decides
//! the exit code from its variant, never by downcasting).

use std::fmt;
use std::path::PathBuf;

use crate::bundle::linkcheck::BrokenLink;
use crate::diag::{self, Diagnostic};

/// Why a build stopped. Whatever the reason, the previous output is left as it was.
#[derive(Debug)]
pub enum Error {
    /// The content does not pass `check` (exit code 1): every diagnostic, errors and warnings,
    /// sorted by path and position.
    Content(Vec<Diagnostic>),
    /// Another build is writing to the output folder.
    Locked(PathBuf),
    /// A rendered page links to a file or fragment that does not exist (a template's fault,
    /// often a pack's template override).
    BrokenLinks(Vec<BrokenLink>),
    /// Anything else: the content root, a key, a template override or the output folder could
    /// not be used, or writing failed (the chain of causes says what and where).
    Other(anyhow::Error),
}

/// How many broken links [`Error::BrokenLinks`] names in its message.
const LINKS_SHOWN: usize = 20;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = |n: usize| if n == 1 { "" } else { "s" };
        match self {
            Error::Content(diagnostics) => {
                let (errors, _) = diag::counts(diagnostics);
                write!(
                    f,
                    "the content has {errors} error{}; nothing was written",
                    s(errors)
                )
            }
            Error::Locked(out) => write!(
                f,
                "another evidencepack build is writing to {}; wait for it to finish",
                out.display()
            ),
            Error::BrokenLinks(broken) => {
                write!(
                    f,
                    "{} broken link{} in the rendered bundles; nothing was written:",
                    broken.len(),
                    s(broken.len())
                )?;
                for b in broken.iter().take(LINKS_SHOWN) {
                    write!(f, "\n  {b}")?;
                }
                match broken.len().saturating_sub(LINKS_SHOWN) {
                    0 => Ok(()),
                    more => write!(f, "\n  and {more} more"),
                }
            }
            Error::Other(e) => write!(f, "{e:#}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<anyhow::Error> for Error {
    fn from(e: anyhow::Error) -> Error {
        Error::Other(e)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::Other(e.into())
    }
}
