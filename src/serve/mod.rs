//! `evidencepack serve`: build the pack into a preview folder, serve it over HTTP, rebuild when
//! a file of the content root changes (its records, attachments, and its `templates/` and
//! `assets/` overrides), and reload the open pages.
//!
//! - **Where**: the preview folder is `<temp>/evidencepack-serve-<12 hex of the content root's
//!   path>/`, one per pack, kept between runs so a rebuild rewrites only the files that changed
//!   (the build's own reuse of identical files); `dist/` is never touched.
//! - **Builds**: the same [`build::build`] as `evidencepack build` (same checks, same pages,
//!   same script-free files on disk). A failed build leaves the previous one in place, as it
//!   always does; its errors go to the terminal and to every open page (`live`).
//! - **Serving**: only what `files::resolve` finds inside the preview folder; HTML responses
//!   get the reload hook (`live::inject`); nothing is cached by the browser.
//! - **Watching**: `notify`; a change (not a mere read: the build itself opens every file) starts
//!   a build 100 ms later, and the changes that arrive meanwhile or during it are folded into
//!   one more build.

mod files;
mod live;

use std::fs;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context, Result};
use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecursiveMode, Watcher};
use tiny_http::{Header, Method, Request, Response, Server};

use crate::build::{self, BuildOptions, Error};
use crate::diag::Severity;
use files::Resolved;
use live::Status;

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

/// The preview folder of the pack at `content`: one per content root, in the system's
/// temporary folder.
pub fn preview_dir(content: &Path) -> PathBuf {
    let canonical = fs::canonicalize(content).unwrap_or_else(|_| content.to_path_buf());
    let key = crate::hashing::sha256_hex(canonical.to_string_lossy().as_bytes());
    std::env::temp_dir().join(format!("evidencepack-serve-{}", &key[..12]))
}

/// Serve the pack until the process is stopped. The first line on standard output is the URL
/// served; builds are reported on standard error. Returns only on a failure to listen or watch.
pub fn serve(options: &ServeOptions) -> Result<()> {
    let out = preview_dir(&options.content);
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
    eprintln!("preview folder {}", out.display());

    // Watch before the first build, so a save during it is not missed.
    let (tx, changes) = mpsc::channel::<()>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // A watch error (e.g. an overflowed queue) may hide a change: build to be sure.
        if event.map_or(true, |e| changed(&e.kind)) {
            let _ = tx.send(());
        }
    })?;
    watcher
        .watch(&options.content, RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {}", options.content.display()))?;

    let status = Arc::new(Mutex::new(Status::default()));
    rebuild(options, &out, &status);

    let served = out.clone();
    let shared = Arc::clone(&status);
    thread::spawn(move || {
        for request in server.incoming_requests() {
            let root = served.clone();
            let status = Arc::clone(&shared);
            thread::spawn(move || respond(request, &root, &status));
        }
    });

    while changes.recv().is_ok() {
        // An editor's save is often several events (write, rename, chmod): let them land, and
        // fold them and whatever arrived during the last build into this one.
        thread::sleep(Duration::from_millis(100));
        while changes.try_recv().is_ok() {}
        rebuild(options, &out, &status);
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

/// Build once; on success bump the generation (open pages reload), on failure keep the
/// previous build and record its errors (open pages show them).
fn rebuild(options: &ServeOptions, out: &Path, status: &Mutex<Status>) {
    let started = Instant::now();
    let result = build::build(&options.content, out, &options.build);
    let seconds = started.elapsed().as_secs_f64();
    let mut status = status.lock().unwrap_or_else(PoisonError::into_inner);
    match result {
        Ok(summary) => {
            status.generation += 1;
            status.error = None;
            eprintln!(
                "built in {seconds:.2} s ({} warning{})",
                summary.warnings.len(),
                if summary.warnings.len() == 1 { "" } else { "s" }
            );
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
                "{text}\nbuild failed after {seconds:.2} s; still serving the last good build"
            );
            status.error = Some(text);
        }
    }
}

/// Answer one request: the reload script, the status, or a file of the preview folder (pages
/// with the reload hook); the errors page while nothing was built.
fn respond(request: Request, root: &Path, status: &Mutex<Status>) {
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
            _ => match files::resolve(root, &url) {
                Resolved::File(file) => Reply::file(&file, now.generation),
                Resolved::Redirect(to) => Reply::redirect(&to),
                Resolved::NotFound => Reply::text(404, "not found"),
            },
        }
    };
    // The browser went away: nothing to do.
    let _ = request.respond(reply.response());
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

    /// A file of the preview folder; a page with the reload hook of `generation`.
    fn file(file: &Path, generation: u64) -> Reply {
        let content_type = files::content_type(file);
        match fs::read(file) {
            Ok(bytes) if content_type.starts_with("text/html") => {
                let page = String::from_utf8_lossy(&bytes);
                Reply::bytes(200, content_type, live::inject(&page, generation))
            }
            Ok(bytes) => Reply::bytes(200, content_type, bytes),
            // Replaced by a rebuild between the look and the read: the page reloads anyway.
            Err(_) => Reply::text(404, "not found"),
        }
    }

    fn response(self) -> Response<io::Cursor<Vec<u8>>> {
        let mut response = Response::from_data(self.body).with_status_code(self.code);
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
}
