//! Where a bundle's rendered files go: into the bundle folder a build writes
//! ([`Output::Folder`]), or, for `evidencepack serve`, nowhere but the one file a browser asked
//! for ([`Output::Pick`]). Both run the same rendering code, so a page rendered alone is byte
//! for byte the page `build` writes; what is not asked for is not rendered.

use std::io;
use std::sync::{Mutex, PoisonError};

use crate::bundle::writer::hashed_name;
use crate::bundle::BundleWriter;

/// Where a [`crate::render::Renderer`] puts what it renders.
#[derive(Clone, Copy)]
pub enum Output<'a> {
    /// Every file, written into a bundle folder.
    Folder(&'a BundleWriter),
    /// Only the file at one path, kept in memory.
    Pick(&'a Pick),
}

impl Output<'_> {
    /// Is the file at `rel` (relative to the bundle root) wanted? Only then is it rendered.
    pub fn wants(&self, rel: &str) -> bool {
        match self {
            Output::Folder(_) => true,
            Output::Pick(p) => p.path == rel,
        }
    }

    /// Is any file under the folder `dir` (ending in `/`) wanted?
    pub fn wants_under(&self, dir: &str) -> bool {
        match self {
            Output::Folder(_) => true,
            Output::Pick(p) => p.path.starts_with(dir),
        }
    }

    /// Put `bytes` at `rel`.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        match self {
            Output::Folder(w) => w.write(rel, bytes),
            Output::Pick(p) => {
                p.keep(rel, bytes);
                Ok(())
            }
        }
    }

    /// Put `bytes` at their content-hashed name ([`BundleWriter::write_hashed`]) and return it.
    pub fn write_hashed(
        &self,
        dir: &str,
        stem: &str,
        ext: &str,
        bytes: &[u8],
    ) -> io::Result<String> {
        match self {
            Output::Folder(w) => w.write_hashed(dir, stem, ext, bytes),
            Output::Pick(p) => {
                let (rel, _) = hashed_name(dir, stem, ext, bytes)?;
                p.keep(&rel, bytes);
                Ok(rel)
            }
        }
    }
}

/// The one file of a bundle a request asks for, as a render finds it.
#[derive(Debug)]
pub struct Pick {
    path: String,
    found: Mutex<Option<Vec<u8>>>,
}

impl Pick {
    /// Pick the file at `path`, relative to the bundle root (`controls/AC-02.html`).
    pub fn new(path: &str) -> Pick {
        Pick {
            path: path.to_string(),
            found: Mutex::new(None),
        }
    }

    /// The file's bytes, when the render made it.
    pub fn take(self) -> Option<Vec<u8>> {
        self.found
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn keep(&self, rel: &str, bytes: &[u8]) {
        if rel == self.path {
            *self.found.lock().unwrap_or_else(PoisonError::into_inner) = Some(bytes.to_vec());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pick_keeps_only_its_file_and_names_hashed_files_as_a_folder_does() {
        let d = tempfile::tempdir().unwrap();
        let w = BundleWriter::new(d.path()).unwrap();
        let pick = Pick::new("evidence/months/2026-01.html");
        let out = Output::Pick(&pick);
        assert!(out.wants("evidence/months/2026-01.html"));
        assert!(!out.wants("index.html"));
        assert!(out.wants_under("evidence/months/"));
        assert!(!out.wants_under("policies/"));
        out.write("index.html", b"no").unwrap();
        let name = out.write_hashed("assets", "style", "css", b"p{}").unwrap();
        assert_eq!(
            name,
            Output::Folder(&w)
                .write_hashed("assets", "style", "css", b"p{}")
                .unwrap()
        );
        let pick = Pick::new(&name);
        Output::Pick(&pick)
            .write_hashed("assets", "style", "css", b"p{}")
            .unwrap();
        Output::Pick(&pick).write("index.html", b"no").unwrap();
        assert_eq!(pick.take().as_deref(), Some(&b"p{}"[..]));
        assert!(Output::Folder(&w).wants("anything.html"));
        assert!(Output::Folder(&w).wants_under("policies/"));
    }
}
