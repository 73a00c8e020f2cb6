//! `evidencepack serve`: answers on localhost with the URL it prints first, serves nothing
//! but its bundles, writes nothing, serves every file byte for byte as `build` writes it (pages
//! plus the reload hook), rebuilds after a change (a new evidence file appears, a deleted one
//! disappears), keeps serving the last good build (and shows the errors) when the content stops
//! checking, and a page open in headless Chromium changes when its policy is edited.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{bin, copy_tree, fixture, have};

/// How long a rebuild may take here: debug builds, on a loaded 2-core machine.
const PATIENCE: Duration = Duration::from_secs(120);

/// A running `evidencepack serve` on a copy of a pack, on a free port, with the test's own
/// temporary folder as `TMPDIR`. Killed when dropped.
struct Served {
    child: Child,
    /// `http://127.0.0.1:<port>` (no trailing slash).
    base: String,
    /// The first line the server printed.
    first_line: String,
    dir: tempfile::TempDir,
}

impl Served {
    /// Serve a copy of the valid pack.
    fn start() -> Served {
        Served::start_with(&fixture("check/valid"))
    }

    /// Serve a copy of the pack at `pack`.
    fn start_with(pack: &Path) -> Served {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        copy_tree(pack, &content);
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

    /// `GET target` exactly as written (no normalisation): status code and body.
    fn get(&self, target: &str) -> (u16, String) {
        let (code, body) = self.get_bytes(target);
        (code, String::from_utf8_lossy(&body).into_owned())
    }

    /// `GET target`: status code and the body's bytes.
    fn get_bytes(&self, target: &str) -> (u16, Vec<u8>) {
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
        let end = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map_or(response.len(), |at| at + 4);
        let head = String::from_utf8_lossy(&response[..end]).into_owned();
        let code = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("no status in {head:?}"));
        (code, response[end..].to_vec())
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

    /// What the server printed on standard error so far.
    fn stderr(&self) -> String {
        fs::read_to_string(self.dir.path().join("stderr.txt")).unwrap_or_default()
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
    // A folder without its slash is redirected; nothing outside the bundles or hidden is
    // served, not even a file of the content root.
    assert_eq!(served.get("/iso27001").0, 301);
    fs::write(served.dir.path().join("tmp/secret.txt"), "outside").unwrap();
    for target in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/iso27001/%2E%2E/%2e%2e/secret.txt",
        "/iso27001/..%2f..%2fsecret.txt",
        "/.evidencepack.lock",
        "/secret.txt",
        "/pack.yaml",
        "/iso27001/pack.yaml",
        "/iso27001/manifest-sha256.txt",
    ] {
        let (code, body) = served.get(target);
        assert_eq!(code, 404, "{target}: {body}");
        assert!(!body.contains("outside"));
    }
    // Nothing is written: the temporary folder holds only what this test put there.
    let mut files = Vec::new();
    walk(&served.dir.path().join("tmp"), &mut files);
    assert_eq!(files, vec![served.dir.path().join("tmp/secret.txt")]);
}

/// `served` without the reload hook: the page as `build` writes it.
fn without_hook(served: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(served.to_vec()).unwrap();
    let start = text
        .rfind("<script src=\"/__evidencepack/live.js\"")
        .unwrap_or_else(|| panic!("no reload hook in {text}"));
    let end = start + text[start..].find("</script>\n").unwrap() + "</script>\n".len();
    let text = format!("{}{}", &text[..start], &text[end..]);
    text.replacen(
        "default-src 'none'; script-src 'self'; connect-src 'self';",
        "default-src 'none';",
        1,
    )
    .into_bytes()
}

/// Build the content `served` serves into `out` (a plain `evidencepack build`).
fn build_into(served: &Served, out: &Path) {
    let built = bin()
        .arg("--content")
        .arg(served.content())
        .arg("--out")
        .arg(out)
        .args(["build", "--quiet"])
        .output()
        .unwrap();
    assert!(built.status.success(), "{built:?}");
}

/// Ask `served` for every file of both bundles `build` wrote into `out` and assert each is
/// byte for byte the file written (a page once its reload hook is taken out); the manifests
/// are `build`'s alone. Returns the files compared, by their path as served.
fn assert_served_as_built(served: &Served, out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut compared = Vec::new();
    for bundle in ["iso27001", "soc2"] {
        let root = out.join(bundle);
        let mut files = Vec::new();
        walk(&root, &mut files);
        for file in files {
            let rel = file
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let target = format!("/{bundle}/{rel}");
            let (code, body) = served.get_bytes(&target);
            if rel == "manifest-sha256.txt" {
                // Digests are build's: the preview has none.
                assert_eq!(code, 404, "{target}");
                continue;
            }
            assert_eq!(code, 200, "{target}: {}", String::from_utf8_lossy(&body));
            let body = if rel.ends_with(".html") {
                without_hook(&body)
            } else {
                body
            };
            let written = fs::read(&file).unwrap();
            if body != written {
                let at = body
                    .iter()
                    .zip(&written)
                    .take_while(|(a, b)| a == b)
                    .count();
                let around = |b: &[u8]| {
                    String::from_utf8_lossy(&b[at.saturating_sub(200)..(at + 100).min(b.len())])
                        .into_owned()
                };
                panic!(
                    "{target} differs from what build wrote at byte {at}:\nserved:\n{}\nbuilt:\n{}",
                    around(&body),
                    around(&written)
                );
            }
            compared.push((target, body));
        }
    }
    compared
}

#[test]
fn every_served_file_of_the_example_pack_is_the_file_build_writes() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let served = Served::start_with(&example);
    served.ready();
    let out = served.dir.path().join("dist");
    build_into(&served, &out);
    let compared = assert_served_as_built(&served, &out);
    assert!(
        compared.len() > 1000,
        "only {} files compared",
        compared.len()
    );
    // A folder's index, asked for by the folder.
    let (_, index) = served.get_bytes("/soc2/controls/");
    assert_eq!(
        without_hook(&index),
        fs::read(out.join("soc2/controls/index.html")).unwrap()
    );
}

/// After a policy's title changes, every page that shows it (its own pages, the policy
/// indexes, the controls and evidence that cite it, in both bundles) and every page that shows
/// the content digest (all of them) is the page a fresh build of the edited pack writes.
#[test]
fn after_a_title_edit_every_page_is_the_page_a_fresh_build_writes() {
    let served = Served::start();
    served.ready();
    // Render the pages that show the old title, so the edit must replace pages already made.
    let before = served.dir.path().join("before");
    build_into(&served, &before);
    let old = assert_served_as_built(&served, &before);
    let showing = |files: &[(String, Vec<u8>)], title: &str| -> Vec<String> {
        files
            .iter()
            .filter(|(_, b)| String::from_utf8_lossy(b).contains(title))
            .map(|(t, _)| t.clone())
            .collect()
    };
    let had_old = showing(&old, "Access Control Policy");

    served.edit(
        "policies/access-control.md",
        "title: Access Control Policy",
        "title: Zebra Crossing Policy",
    );
    served.wait_for("the edited policy's page", |s| {
        s.get("/iso27001/policies/POL-AC.html")
            .1
            .contains("Zebra Crossing Policy")
    });
    let after = served.dir.path().join("after");
    build_into(&served, &after);
    let new = assert_served_as_built(&served, &after);
    let has_new = showing(&new, "Zebra Crossing Policy");
    assert_eq!(has_new, had_old, "the pages that show the title");
    for page in [
        "/iso27001/policies/POL-AC.html",
        "/iso27001/policies/index.html",
        "/soc2/policies/POL-AC.html",
        "/soc2/policies/index.html",
    ] {
        assert!(has_new.iter().any(|p| p == page), "{page}: {has_new:?}");
    }
    assert!(has_new.len() > 4, "{has_new:?}");
    assert!(showing(&new, "Access Control Policy").is_empty());
    // Every page shows the content digest: none is left from before the edit.
    let pages = new.iter().filter(|(t, _)| t.ends_with(".html")).count();
    let same = new
        .iter()
        .filter(|(t, b)| t.ends_with(".html") && old.iter().any(|(o, ob)| o == t && ob == b))
        .count();
    assert!(pages > 10 && same == 0, "{same} of {pages} pages unchanged");
}

#[test]
fn a_new_evidence_file_appears_and_a_deleted_one_disappears() {
    let served = Served::start();
    served.ready();
    let page = "/iso27001/evidence/EV-IR-2027.html";
    assert_eq!(served.get(page).0, 404);
    let added = served.content().join("evidence/extra.yaml");
    let record = fs::read_to_string(served.content().join("evidence/incident.yaml"))
        .unwrap()
        .replace("EV-IR-2026", "EV-IR-2027")
        .replace("Tabletop exercise", "Second tabletop exercise");
    fs::write(&added, record).unwrap();
    served.wait_for("the new evidence page", |s| {
        s.get(page).1.contains("Second tabletop exercise")
    });
    assert!(served
        .get("/soc2/evidence/EV-IR-2027.html")
        .1
        .contains("Second tabletop exercise"));
    fs::remove_file(&added).unwrap();
    served.wait_for("the evidence page to go", |s| s.get(page).0 == 404);
    assert!(
        served.stderr().contains("checked in"),
        "{}",
        served.stderr()
    );
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
    let stderr = served.stderr();
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
