//! `evidencepack serve`: answers on localhost with the URL it prints first, serves nothing
//! outside its folder, rebuilds after a change, keeps serving the last good build (and shows the
//! errors) when the content stops checking, and a page open in headless Chromium changes when
//! its policy is edited.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{bin, copy_tree, fixture, have};

/// How long a rebuild may take here: debug builds, on a loaded 2-core machine.
const PATIENCE: Duration = Duration::from_secs(120);

/// A running `evidencepack serve` on a copy of the valid pack, on a free port; its preview
/// folder is in the test's temporary folder (`TMPDIR`). Killed when dropped.
struct Served {
    child: Child,
    /// `http://127.0.0.1:<port>` (no trailing slash).
    base: String,
    /// The first line the server printed.
    first_line: String,
    dir: tempfile::TempDir,
}

impl Served {
    fn start() -> Served {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        copy_tree(&fixture("check/valid"), &content);
        let tmp = dir.path().join("tmp");
        fs::create_dir(&tmp).unwrap();
        let mut child = bin()
            .arg("--content")
            .arg(&content)
            .args(["serve", "--port", "0"])
            .env("TMPDIR", &tmp)
            .stdout(Stdio::piped())
            .stderr(fs::File::create(dir.path().join("stderr.txt")).unwrap())
            .spawn()
            .unwrap();
        let mut first_line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first_line)
            .unwrap();
        let base = first_line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL on the first line: {first_line:?}"))
            .trim_end_matches('/')
            .to_string();
        Served {
            child,
            base,
            first_line,
            dir,
        }
    }

    fn content(&self) -> PathBuf {
        self.dir.path().join("content")
    }

    /// The preview folder (the only folder in its `TMPDIR`).
    fn preview(&self) -> PathBuf {
        let mut dirs: Vec<PathBuf> = fs::read_dir(self.dir.path().join("tmp"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        assert_eq!(dirs.len(), 1, "{dirs:?}");
        dirs.pop().unwrap()
    }

    /// `GET target` exactly as written (no normalisation): status code and body.
    fn get(&self, target: &str) -> (u16, String) {
        let host = self.base.trim_start_matches("http://");
        let mut stream = TcpStream::connect(host).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let response = String::from_utf8_lossy(&response).into_owned();
        let code = response
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("no status in {response:?}"));
        let body = response
            .split_once("\r\n\r\n")
            .map_or("", |(_, b)| b)
            .to_string();
        (code, body)
    }

    /// The status the pages poll.
    fn status(&self) -> serde_json::Value {
        let (code, body) = self.get("/__evidencepack/status");
        assert_eq!(code, 200);
        serde_json::from_str(&body).unwrap()
    }

    /// Wait until the first build has succeeded.
    fn ready(&self) -> &Served {
        self.wait_for("the first build", |s| s.status()["generation"] == 1);
        self
    }

    fn wait_for(&self, what: &str, done: impl Fn(&Served) -> bool) {
        let start = Instant::now();
        while !done(self) {
            assert!(
                start.elapsed() < PATIENCE,
                "gave up waiting for {what}; the server said:\n{}",
                fs::read_to_string(self.dir.path().join("stderr.txt")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Replace `from` by `to` in a file of the content.
    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.content().join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no {from:?}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every file under `dir`.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn serve_answers_on_localhost_and_only_served_pages_carry_the_hook() {
    let served = Served::start();
    assert!(
        served.first_line.starts_with("Serving http://127.0.0.1:"),
        "{}",
        served.first_line
    );
    served.ready();
    let (code, landing) = served.get("/");
    assert_eq!(code, 200);
    assert!(landing.contains("iso27001/"), "{landing}");
    let (code, page) = served.get("/iso27001/policies/POL-AC.html");
    assert_eq!(code, 200);
    assert!(page.contains("<h1"), "{page}");
    assert!(page.contains("<script src=\"/__evidencepack/live.js\" data-generation=\"1\">"));
    assert!(page.contains("script-src 'self'; connect-src 'self'"));
    let (code, script) = served.get("/__evidencepack/live.js");
    assert_eq!(code, 200);
    assert!(script.contains("location.reload()"));
    // A folder without its slash is redirected; nothing outside the folder, hidden or through
    // a link is served.
    assert_eq!(served.get("/iso27001").0, 301);
    fs::write(served.dir.path().join("tmp/secret.txt"), "outside").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        served.dir.path().join("tmp/secret.txt"),
        served.preview().join("link.txt"),
    )
    .unwrap();
    for target in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/iso27001/%2E%2E/%2e%2e/secret.txt",
        "/iso27001/..%2f..%2fsecret.txt",
        "/.evidencepack.lock",
        "/link.txt",
    ] {
        let (code, body) = served.get(target);
        assert_eq!(code, 404, "{target}: {body}");
        assert!(!body.contains("outside"));
    }
    // The files on disk are the build's own: no script anywhere.
    let mut files = Vec::new();
    walk(&served.preview(), &mut files);
    let pages: Vec<_> = files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "html"))
        .collect();
    assert!(pages.len() > 10, "{pages:?}");
    for page in pages {
        let text = fs::read_to_string(page).unwrap();
        assert!(!text.contains("<script"), "{}", page.display());
    }
}

#[test]
fn serve_rebuilds_after_a_change_and_keeps_the_last_good_build_on_an_error() {
    let served = Served::start();
    served.ready();
    served.edit(
        "policies/access-control.md",
        "title: Access Control Policy",
        "title: Access Control Policy Revised",
    );
    served.wait_for("the rebuilt page", |s| {
        s.get("/iso27001/policies/POL-AC.html")
            .1
            .contains("Access Control Policy Revised")
    });
    // The new files are in place just before the build reports its success.
    served.wait_for("the new generation", |s| {
        s.status()["generation"].as_u64() >= Some(2)
    });
    let generation = served.status()["generation"].as_u64().unwrap();

    // The content stops checking: the errors are reported, the last good build stays.
    served.edit(
        "policies/access-control.md",
        "owner: amara",
        "owner: nobody-here",
    );
    served.wait_for("the failed build", |s| s.status()["error"].is_string());
    let status = served.status();
    let error = status["error"].as_str().unwrap();
    assert!(
        error.contains("policies/access-control.md:") && error.contains("error["),
        "{error}"
    );
    assert_eq!(status["generation"].as_u64(), Some(generation));
    let (code, page) = served.get("/iso27001/policies/POL-AC.html");
    assert_eq!(code, 200);
    assert!(page.contains("Access Control Policy Revised"));
    let stderr = fs::read_to_string(served.dir.path().join("stderr.txt")).unwrap();
    assert!(
        stderr.contains("still serving the last good build"),
        "{stderr}"
    );

    // Fixed again: a new build, no error.
    served.edit(
        "policies/access-control.md",
        "owner: nobody-here",
        "owner: amara",
    );
    served.wait_for("the build after the fix", |s| {
        let st = s.status();
        st["error"].is_null() && st["generation"].as_u64() > Some(generation)
    });
}

#[test]
fn a_served_page_reloads_in_chromium_when_its_policy_changes() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() || !have("node", "--version") {
        eprintln!(
            "skipped: the live-reload browser test needs node and chromium ({chromium}); \
             `apt-get install -y chromium` (.ci/run installs it)"
        );
        return;
    }
    let served = Served::start();
    served.ready();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/live-reload.cjs");
    let mut browser = Command::new("node")
        .arg(script)
        .arg(format!("{}/iso27001/policies/POL-AC.html", served.base))
        .arg(PATIENCE.as_secs().to_string())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(browser.stdout.take().unwrap()).lines();
    let loaded = lines.next().unwrap().unwrap();
    assert!(loaded.starts_with("LOADED "), "{loaded}");
    assert!(!loaded.contains("Zebra"), "{loaded}");
    served.edit(
        "policies/access-control.md",
        "title: Access Control Policy",
        "title: Zebra Crossing Policy",
    );
    let changed = lines.next().unwrap().unwrap();
    assert!(browser.wait().unwrap().success(), "{changed}");
    assert!(
        changed.starts_with("CHANGED ") && changed.contains("Zebra Crossing Policy"),
        "{changed}"
    );
}
