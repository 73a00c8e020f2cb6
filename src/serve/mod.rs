//! `evidencepack serve`: check the pack, serve a preview of its bundles over HTTP, check again
//! when a file of the content root changes (its records, attachments, and its `templates/` and
//! `assets/` overrides), and reload the open pages.
//!
//! - **Checks**: the same checks as `evidencepack build`, reusing what did not change since the
//!   last one (`preview`: parsed files and attachment hashes by their stamps). A pack that does
//!   not check leaves the last good one served; its errors go to the terminal and to every open
//!   page (`live`).
//! - **Pages**: rendered when a browser asks for them, from the last good pack held in memory,
//!   by the same code as `build` (so a served page is the page `build` writes, plus the reload
//!   hook); each is kept until the next change. Nothing is written to disk: no bundle folder,
//!   zip, manifest or `pack.json` (`build`'s), and `dist/` is never touched.
//! - **Serving**: only the landing page and the files of the two bundles (`files::resolve`);
//!   HTML responses get the reload hook (`live::inject`); nothing is cached by the browser.
//! - **Watching**: `notify`; a change (not a mere read: the check itself opens every file)
//!   starts a check 100 ms later, and the changes that arrive meanwhile or during it are folded
//!   into one more check.

mod files;
mod live;
mod preview;

use std::fs;
use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context, Result};
use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecursiveMode, Watcher};
use tiny_http::{Header, Method, Request, Response, Server};

use crate::build::{BuildOptions, Error};
use crate::content::load::Stamp;
use crate::diag::Severity;
use files::Target;
use live::Status;
use preview::{Answer, Caches, Job, Snapshot};

/// What `evidencepack serve` needs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The pack's content root.
    pub content: PathBuf,
    /// The address to listen on (`127.0.0.1:8000` unless asked otherwise).
    pub addr: SocketAddr,
    /// Who the served bundles are for (as `build --audience`).
    pub build: BuildOptions,
}

/// Serve the pack until the process is stopped. The first line on standard output is the URL
/// served; checks are reported on standard error. Returns only on a failure to listen or watch.
pub fn serve(options: &ServeOptions) -> Result<()> {
    let server = Server::http(options.addr)
        .map_err(|e| anyhow!("cannot listen on {}: {e}", options.addr))?;
    let addr = server
        .server_addr()
        .to_ip()
        .context("the server has no IP address")?;
    {
        let mut stdout = io::stdout().lock();
        writeln!(
            stdout,
            "Serving http://{addr}/ (content {}; Ctrl-C stops)",
            options.content.display()
        )?;
        stdout.flush()?;
    }

    // Watch before the first check, so a save during it is not missed.
    let (tx, changes) = mpsc::channel::<()>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // A watch error (e.g. an overflowed queue) may hide a change: check to be sure.
        if event.map_or(true, |e| changed(&e.kind)) {
            let _ = tx.send(());
        }
    })?;
    watcher
        .watch(&options.content, RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {}", options.content.display()))?;

    let status = Arc::new(Mutex::new(Status::default()));
    let (jobs, to_do) = mpsc::channel::<Job>();
    {
        let status = Arc::clone(&status);
        thread::spawn(move || preview::worker(to_do, status));
    }
    let mut caches = Caches::default();
    reload(options, &mut caches, &jobs, &status);

    let shared = Arc::clone(&status);
    let asks = jobs.clone();
    thread::spawn(move || {
        for request in server.incoming_requests() {
            let status = Arc::clone(&shared);
            let asks = asks.clone();
            thread::spawn(move || respond(request, &asks, &status));
        }
    });

    while changes.recv().is_ok() {
        // An editor's save is often several events (write, rename, chmod): let them land, and
        // fold them and whatever arrived during the last check into this one.
        thread::sleep(Duration::from_millis(100));
        while changes.try_recv().is_ok() {}
        reload(options, &mut caches, &jobs, &status);
    }
    Err(anyhow!("the file watcher stopped"))
}

/// Does an event of this kind change the content? Reads (opening, closing unwritten) do not;
/// closing a file written to does.
fn changed(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(access) => *access == AccessKind::Close(AccessMode::Write),
        _ => true,
    }
}

/// Check the pack once; on success hand it to the worker (which bumps the generation, so
/// open pages reload), on failure keep the last good one and record the errors (open pages
/// show them).
fn reload(options: &ServeOptions, caches: &mut Caches, jobs: &Sender<Job>, status: &Mutex<Status>) {
    let started = Instant::now();
    let result = Snapshot::load(&options.content, &options.build, caches);
    let seconds = started.elapsed().as_secs_f64();
    let mut status = status.lock().unwrap_or_else(PoisonError::into_inner);
    match result {
        Ok(snapshot) => {
            status.error = None;
            let warnings = snapshot.warnings;
            eprintln!(
                "checked in {seconds:.2} s ({warnings} warning{})",
                if warnings == 1 { "" } else { "s" }
            );
            let _ = jobs.send(Job::Swap(Box::new(snapshot)));
        }
        Err(e) => {
            let text = match &e {
                Error::Content(diagnostics) => {
                    let mut lines: Vec<String> = diagnostics
                        .iter()
                        .filter(|d| d.severity == Severity::Error)
                        .map(ToString::to_string)
                        .collect();
                    lines.push(format!("error: {e}"));
                    lines.join("\n")
                }
                other => format!("error: {other:#}"),
            };
            eprintln!(
                "{text}\ncheck failed after {seconds:.2} s; still serving the last good build"
            );
            status.error = Some(text);
        }
    }
}

/// Answer one request: the reload script, the status, the landing page or a file of a bundle
/// (pages with the reload hook); the errors page while nothing was built.
fn respond(request: Request, jobs: &Sender<Job>, status: &Mutex<Status>) {
    let now = status
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    let reply = if !matches!(request.method(), Method::Get | Method::Head) {
        Reply::text(405, "only GET and HEAD")
    } else {
        let url = request.url().to_string();
        let path = url.split(['?', '#']).next().unwrap_or_default();
        match path {
            live::SCRIPT_PATH => Reply::bytes(200, "text/javascript; charset=utf-8", live::SCRIPT),
            live::STATUS_PATH => Reply::bytes(200, "application/json", now.json()),
            _ if now.generation == 0 => Reply::bytes(
                503,
                "text/html; charset=utf-8",
                live::error_page(now.error.as_deref().unwrap_or("building")),
            ),
            _ => match files::resolve(&url) {
                Target::Redirect(to) => Reply::redirect(&to),
                Target::NotFound => Reply::text(404, "not found"),
                target => ask(jobs, target),
            },
        }
    };
    // The browser went away: nothing to do.
    let _ = request.respond(reply.response());
}

/// The worker's answer for `target`.
fn ask(jobs: &Sender<Job>, target: Target) -> Reply {
    let content_type = match &target {
        Target::File(_, rel) => files::content_type(rel),
        _ => "text/html; charset=utf-8",
    };
    let (tx, rx) = mpsc::channel();
    if jobs.send(Job::Get(target, tx)).is_err() {
        return Reply::text(503, "the preview stopped");
    }
    match rx.recv() {
        Ok((generation, Answer::Bytes(bytes))) if content_type.starts_with("text/html") => {
            let page = String::from_utf8_lossy(&bytes);
            Reply::bytes(200, content_type, live::inject(&page, generation))
        }
        Ok((_, Answer::Bytes(bytes))) => Reply::bytes(200, content_type, bytes.as_slice()),
        Ok((_, Answer::File(file, stamp))) => match read_unchanged(&file, &stamp) {
            Some(bytes) => Reply::bytes(200, content_type, bytes),
            // Changed, replaced (by a link, say) or removed since the check: the next one
            // says what it is now.
            None => Reply::text(404, "not found"),
        },
        Ok((_, Answer::Failed(why))) => Reply::text(500, &format!("error: {why}")),
        Ok((_, Answer::NotFound)) => Reply::text(404, "not found"),
        Err(_) => Reply::text(503, "the preview stopped"),
    }
}

/// The bytes of the regular file at `path` when the file opened is the one stamped `stamp`
/// (the stamp of the open file is compared, so a link put in its place is never followed
/// through).
fn read_unchanged(path: &Path, stamp: &Stamp) -> Option<Vec<u8>> {
    let mut file = fs::File::open(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || Stamp::from_metadata(&meta) != *stamp {
        return None;
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// A response being made.
struct Reply {
    code: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn bytes(code: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            code,
            headers: vec![("Content-Type", content_type.to_string())],
            body: body.into(),
        }
    }

    fn text(code: u16, text: &str) -> Reply {
        Reply::bytes(code, "text/plain; charset=utf-8", text)
    }

    fn redirect(to: &str) -> Reply {
        let mut r = Reply::text(301, "moved");
        r.headers.push(("Location", to.to_string()));
        r
    }

    fn response(self) -> Response<io::Cursor<Vec<u8>>> {
        // Bodies are whole in memory: always a Content-Length, never chunked.
        let mut response = Response::from_data(self.body)
            .with_status_code(self.code)
            .with_chunked_threshold(usize::MAX);
        let fixed = [
            ("Cache-Control", "no-store".to_string()),
            ("X-Content-Type-Options", "nosniff".to_string()),
        ];
        for (name, value) in self.headers.into_iter().chain(fixed) {
            // Values are ours or a path already decoded to UTF-8; one that a header cannot hold
            // is dropped (the redirect then has no target, and the browser shows "moved").
            if let Ok(h) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
                response.add_header(h);
            }
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, ModifyKind, RemoveKind};

    #[test]
    fn reads_are_not_changes_and_writes_are() {
        assert!(!changed(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!changed(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(changed(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changed(&EventKind::Modify(ModifyKind::Any)));
        assert!(changed(&EventKind::Create(CreateKind::File)));
        assert!(changed(&EventKind::Remove(RemoveKind::File)));
        assert!(changed(&EventKind::Any));
    }

    /// An attachment is served only while it is the file the check read: not once it is
    /// rewritten, removed, or replaced by a link (never followed).
    #[test]
    fn a_file_is_read_only_while_it_has_its_stamp() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("a.txt");
        fs::write(&path, "checked").unwrap();
        let stamp = Stamp::of(&path).unwrap();
        assert_eq!(
            read_unchanged(&path, &stamp).as_deref(),
            Some(&b"checked"[..])
        );

        fs::write(&path, "changed again").unwrap();
        assert_eq!(read_unchanged(&path, &stamp), None);
        let stamp = Stamp::of(&path).unwrap();
        assert_eq!(
            read_unchanged(&path, &stamp).as_deref(),
            Some(&b"changed again"[..])
        );

        #[cfg(unix)]
        {
            let secret = d.path().join("secret.txt");
            fs::write(&secret, "secret").unwrap();
            fs::remove_file(&path).unwrap();
            std::os::unix::fs::symlink(&secret, &path).unwrap();
            assert_eq!(read_unchanged(&path, &stamp), None);
        }
        fs::remove_file(&path).unwrap();
        assert_eq!(read_unchanged(&path, &stamp), None);
    }
}
