//! The pack as `serve` previews it: loaded and checked as `build` checks it, kept in memory
//! ([`Snapshot`]), and rendered a file at a time when a browser asks for it ([`worker`]).
//!
//! - **Loading** reuses what did not change since the last load ([`Caches`]): a content file
//!   whose stamp (size, modification time, inode) is the same is not read or parsed again, an
//!   attachment not hashed or scanned again (unless it had just changed when it was read:
//!   [`Stamp::settled`]). Validation, the secret guard's findings and the
//!   content digest are then those of the whole pack, as in `build`.
//! - **Rendering**: once per change the view models of both bundles are made
//!   ([`crate::render::iso::Prepared`], [`crate::render::soc2::Prepared`]); a file is rendered
//!   when asked for, by the code `build` renders it with ([`Output::Pick`]), and kept until the
//!   next change. Attachments and exports are served from the content root, at the
//!   content-addressed paths the pages link. Nothing is written to disk: no bundle folder, zip,
//!   manifest, `pack.json` or link check, which `build` makes; the landing page says so.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Instant;

use anyhow::anyhow;
use rayon::prelude::*;

use super::files::Target;
use super::live::Status;
use crate::build::attachments::{self, Hashed};
use crate::build::check::load_and_validate_cached;
use crate::build::{content_digest, exports, shown_warnings, BuildOptions, Error};
use crate::bundle::FileEntry;
use crate::check::AttachmentSecret;
use crate::content::audience::Redactions;
use crate::content::load::{ParseCache, Stamp};
use crate::content::{AttachmentKind, Content};
use crate::diag::Diagnostic;
use crate::render::{
    self, escape_html, iso, soc2, Bundle, Engine, Output, Overrides, Pick, Source,
};

/// What one load leaves for the next: parsed content files, and each attachment's SHA-256,
/// size and secrets, by path, with the stamp they were read at.
#[derive(Default)]
pub(super) struct Caches {
    parsed: ParseCache,
    attachments: HashMap<PathBuf, (Stamp, Hashed)>,
}

impl Caches {
    /// Hash and scan every attachment `read` needs, reusing what this cache holds unchanged;
    /// afterwards the cache holds what this load read.
    fn attachments<T>(
        &mut self,
        read: impl FnOnce(&(dyn Fn(&Path) -> std::io::Result<Hashed> + Sync)) -> T,
    ) -> T {
        let old = std::mem::take(&mut self.attachments);
        let next = Mutex::new(HashMap::new());
        let known = |path: &Path| {
            let stamp = Stamp::of(path);
            let hashed = match (&stamp, old.get(path)) {
                (Some(now), Some((then, h))) if now == then && then.settled() => h.clone(),
                _ => attachments::hash_and_scan(path)?,
            };
            if let Some(stamp) = stamp {
                next.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(path.to_path_buf(), (stamp, hashed.clone()));
            }
            Ok(hashed)
        };
        let out = read(&known);
        self.attachments = next.into_inner().unwrap_or_else(PoisonError::into_inner);
        out
    }
}

/// A pack that checked clean, ready to render: what `build` has in hand when it starts
/// rendering.
pub(super) struct Snapshot {
    content: Content,
    /// The copy the ISO bundle shows, when the audience withholds records.
    redacted: Option<Content>,
    redactions: Arc<Redactions>,
    overrides: Overrides,
    stored: BTreeMap<String, FileEntry>,
    exports: BTreeMap<String, FileEntry>,
    listed: Vec<Diagnostic>,
    digest: String,
    audience: String,
    engines: [Engine; 2],
    /// Each stored attachment and export (`files/<sha256>.<ext>`), its file in the content
    /// root and that file's stamp when it was read (a file changed or replaced since is not
    /// served: the next check will say what it is now).
    files: HashMap<String, (PathBuf, Stamp)>,
    /// Number of warnings the audience may see.
    pub(super) warnings: usize,
}

impl Snapshot {
    /// Load and check the pack at `root` for `options`' audience and date, as `build` does
    /// before it renders; [`Error::Content`] when it does not check.
    pub(super) fn load(
        root: &Path,
        options: &BuildOptions,
        caches: &mut Caches,
    ) -> Result<Snapshot, Error> {
        let validated =
            match load_and_validate_cached(root, options.as_of, Some(&mut caches.parsed)) {
                Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => {
                    return Err(Error::Other(anyhow!(e)))
                }
                Err(e) => {
                    return Err(Error::Other(
                        anyhow!(e)
                            .context(format!("cannot read content folder {}", root.display())),
                    ))
                }
                Ok(v) => v,
            };
        if validated.errors() > 0 {
            // Every problem at once: the attachments are scanned for secrets too.
            let found = caches.attachments(|known| scan_all(&validated.content, known));
            return Err(Error::Content(validated.finish(found).diagnostics));
        }
        let audience = options.audience.as_str();
        if let Some(d) = Redactions::undeclared(&validated.content, audience) {
            return Err(Error::Content(vec![d]));
        }
        let redactions = Arc::new(Redactions::for_audience(&validated.content, audience)?);
        let overrides = Overrides::load(root)?;
        let read = caches.attachments(|known| {
            attachments::hash_all(&validated.content, &redactions, |_, path| known(path))
        })?;
        let checked = validated.finish(read.secrets);
        if checked.errors() > 0 {
            return Err(Error::Content(checked.diagnostics));
        }
        let content = checked.content;
        let exports = exports::entries(&content, &redactions);
        let (warnings, listed) = shown_warnings(&checked.diagnostics, &redactions);
        let digest = content_digest(&content, &overrides, &read.digests);
        let engine = |bundle: Bundle, templates: &[(&str, &str)]| {
            Engine::new(
                bundle,
                &[render::TEMPLATES, templates],
                &overrides,
                Arc::clone(&redactions),
            )
        };
        let engines = [
            engine(Bundle::Iso27001, iso::TEMPLATES)?,
            engine(Bundle::Soc2, soc2::TEMPLATES)?,
        ];
        let mut files = HashMap::new();
        for (rel, entry) in &read.stored {
            let Some(a) = content.attachments.get(rel) else {
                continue;
            };
            if let Some((stamp, _)) = caches.attachments.get(&a.path) {
                files.insert(entry.path.clone(), (a.path.clone(), stamp.clone()));
            }
        }
        for (rel, entry) in &exports {
            let path = content.root.join(rel);
            if let Some(stamp) = Stamp::of(&path) {
                files.insert(entry.path.clone(), (path, stamp));
            }
        }
        Ok(Snapshot {
            redacted: redactions.redact(&content),
            content,
            redactions,
            overrides,
            stored: read.stored,
            exports,
            listed,
            digest,
            audience: audience.to_string(),
            engines,
            files,
            warnings: warnings.len(),
        })
    }

    /// What the bundles render from, as in `build`.
    fn source(&self) -> Source<'_> {
        Source {
            content: &self.content,
            index: self.content.index(),
            warnings: &self.listed,
            content_digest: &self.digest,
            audience: &self.audience,
            attachments: &self.stored,
            overrides: &self.overrides,
            redactions: &self.redactions,
            exports: &self.exports,
        }
    }

    /// The preview's landing page: the pack's facts and both bundles (the zips, their digests
    /// and `pack.json` are `build`'s).
    fn landing(&self) -> String {
        let pack = self.content.pack.as_ref().map(|p| &p.value);
        let org = escape_html(pack.map_or("", |p| p.organisation.name.as_str()));
        let period = pack.map_or_else(String::new, |p| {
            format!("{} to {}", p.period.start, p.period.end)
        });
        let as_of = self
            .content
            .as_of()
            .map_or_else(String::new, |d| d.to_string());
        let bundles: String = [Bundle::Iso27001, Bundle::Soc2]
            .iter()
            .map(|b| {
                format!(
                    "<li><a href=\"{0}/index.html\">{1}</a> (<code>{0}/</code>)</li>\n",
                    b.dir(),
                    escape_html(b.title())
                )
            })
            .collect();
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; base-uri 'none'; form-action 'none'\">\n\
             <title>Preview: {org}</title>\n</head>\n<body>\n<main>\n<h1>{org}: preview</h1>\n\
             <p>Period {period}, as of {as_of}, for the {audience} audience. Content digest \
             <code>{digest}</code>.</p>\n<ul>\n{bundles}</ul>\n\
             <p>This is the preview <code>evidencepack serve</code> renders as pages are opened. \
             The zips, manifests, bundle digests and <code>pack.json</code> are made by \
             <code>evidencepack build</code>, which also checks every link.</p>\n</main>\n</body>\n</html>\n",
            audience = escape_html(&self.audience),
            digest = self.digest,
        )
    }
}

/// Scan every attachment file for secrets through `known` (what `check` does with them); one
/// that cannot be read is not scanned: validation has reported it.
fn scan_all(
    content: &Content,
    known: &(dyn Fn(&Path) -> std::io::Result<Hashed> + Sync),
) -> Vec<AttachmentSecret> {
    content
        .attachments
        .par_iter()
        .filter(|(_, a)| a.kind == AttachmentKind::File)
        .flat_map_iter(|(rel, a)| {
            let found = known(&a.path).map(|h| h.2).unwrap_or_default();
            found.into_iter().map(move |f| (rel.clone(), f))
        })
        .collect()
}

/// What the worker sends back for a file.
#[derive(Debug, Clone)]
pub(super) enum Answer {
    /// The file as rendered.
    Bytes(Arc<Vec<u8>>),
    /// A file of the content root (an attachment or an export), to serve only while it has
    /// this stamp.
    File(PathBuf, Stamp),
    /// No such file in the bundles.
    NotFound,
    /// Rendering failed (a template error): why.
    Failed(String),
}

/// What the worker is asked to do.
pub(super) enum Job {
    /// Send back the file `Target` names, with the generation it was rendered in.
    Get(Target, Sender<(u64, Answer)>),
    /// A newer pack checked clean: serve it from now on.
    Swap(Box<Snapshot>),
}

/// Answer `jobs` until the channel closes: nothing before the first [`Job::Swap`], then files of
/// the latest snapshot. Each swap bumps `status`'s generation once the new snapshot's view
/// models are made, so a page reloads onto the new one.
pub(super) fn worker(jobs: Receiver<Job>, status: Arc<Mutex<Status>>) {
    let mut next = None;
    loop {
        let snapshot = match next.take() {
            Some(s) => s,
            None => match jobs.recv() {
                Ok(Job::Swap(s)) => s,
                Ok(Job::Get(_, reply)) => {
                    let _ = reply.send((0, Answer::NotFound));
                    continue;
                }
                Err(_) => return,
            },
        };
        next = generation(&snapshot, &jobs, &status);
        // Freeing a big pack takes a while: not on the way to the next one.
        thread::spawn(move || drop(snapshot));
        if next.is_none() {
            return;
        }
    }
}

/// Serve `snap` until a newer snapshot arrives (returned) or the channel closes (`None`).
fn generation(
    snap: &Snapshot,
    jobs: &Receiver<Job>,
    status: &Mutex<Status>,
) -> Option<Box<Snapshot>> {
    let started = Instant::now();
    let source = snap.source();
    let shown = Source {
        content: snap.redacted.as_ref().unwrap_or(&snap.content),
        ..source
    };
    // The two bundles' view models are independent: made side by side.
    let (iso, analysis) = rayon::join(
        || iso::Prepared::new(&shown, &snap.engines[0]),
        || soc2::analyse(&source),
    );
    let soc2 = match &analysis {
        Ok(a) => soc2::Prepared::new(&source, a, &snap.engines[1]).map_err(|e| format!("{e:#}")),
        Err(e) => Err(format!("{e:#}")),
    };
    let generation = {
        let mut status = status.lock().unwrap_or_else(PoisonError::into_inner);
        status.generation += 1;
        if let Err(e) = &soc2 {
            status.error = Some(format!("error: the SOC 2 bundle cannot be rendered: {e}"));
        }
        status.generation
    };
    eprintln!(
        "preview {generation} ready in {:.2} s; pages render as they are opened",
        started.elapsed().as_secs_f64()
    );
    let mut answered: HashMap<Target, Answer> = HashMap::new();
    loop {
        match jobs.recv() {
            Ok(Job::Get(target, reply)) => {
                let answer = answered
                    .entry(target)
                    .or_insert_with_key(|target| match target {
                        Target::Landing => Answer::Bytes(Arc::new(snap.landing().into_bytes())),
                        Target::File(bundle, rel) => answer(snap, rel, |out| match bundle {
                            Bundle::Iso27001 => iso.render(out).map_err(|e| format!("{e:#}")),
                            Bundle::Soc2 => match &soc2 {
                                Ok(p) => p.render(out).map_err(|e| format!("{e:#}")),
                                Err(e) => Err(e.clone()),
                            },
                        }),
                        Target::Redirect(_) | Target::NotFound => Answer::NotFound,
                    })
                    .clone();
                let _ = reply.send((generation, answer));
            }
            Ok(Job::Swap(next)) => return Some(next),
            Err(_) => return None,
        }
    }
}

/// The file `rel` of a bundle: a stored attachment or export from the content root, else what
/// `render` makes of it.
fn answer(
    snap: &Snapshot,
    rel: &str,
    render: impl FnOnce(Output<'_>) -> Result<(), String>,
) -> Answer {
    if let Some((file, stamp)) = snap.files.get(rel) {
        return Answer::File(file.clone(), stamp.clone());
    }
    let pick = Pick::new(rel);
    match render(Output::Pick(&pick)) {
        Err(e) => Answer::Failed(e),
        Ok(()) => pick
            .take()
            .map_or(Answer::NotFound, |b| Answer::Bytes(Arc::new(b))),
    }
}
