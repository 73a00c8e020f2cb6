//! Integration tests of `evidencepack check`: whole packs on disk, run through the real binary.
//!
//! Every test starts from the small valid pack in `tests/fixtures/check/valid/` (which checks
//! clean: no errors, no warnings), copies it into a temporary folder, changes one thing, runs
//! `evidencepack --content pack check --format json` from that folder, and asserts the exact
//! diagnostics: code, path (relative to the content root), line and column.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde::Deserialize;

/// The valid base pack.
const VALID: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/check/valid");

/// Hostile input must be refused well within this. It guards against a hang or quadratic work
/// (minutes to hours on these inputs), not against a slow machine: a debug build on a loaded
/// 2-core runner took 6-10 s for the 5 MB line that takes 4 s alone, and 5 s made the test flaky.
const HOSTILE_BUDGET: Duration = Duration::from_secs(30);

/// A valid evidence record for CM-01 in seven lines; tests append or change a line.
const EV: &str = "id: EV-T
controls: [CM-01]
kind: change
title: Test record
occurred_on: 2026-03-02
performed_by: sven
result: pass
";

/// One diagnostic as `--format json` prints it.
#[derive(Debug, Deserialize)]
struct Diag {
    path: String,
    line: usize,
    column: usize,
    severity: String,
    code: String,
    rule: String,
    message: String,
    #[serde(default)]
    hint: Option<String>,
}

/// The outcome of one `check` run.
#[derive(Debug)]
struct Checked {
    status: i32,
    diags: Vec<Diag>,
    elapsed: Duration,
}

impl Checked {
    /// `(code, path, line, column)` of every diagnostic, in output order.
    fn found(&self) -> Vec<(&str, &str, usize, usize)> {
        self.diags
            .iter()
            .map(|d| (d.code.as_str(), d.path.as_str(), d.line, d.column))
            .collect()
    }

    /// Assert exactly these diagnostics (in output order) and the exit code they imply.
    #[track_caller]
    fn expect(&self, expected: &[(&str, &str, usize, usize)]) -> &Self {
        assert_eq!(self.found(), expected, "full output: {:#?}", self.diags);
        let errors = expected.iter().any(|(code, ..)| code.starts_with('E'));
        assert_eq!(
            self.status,
            i32::from(errors),
            "exit code; {:#?}",
            self.diags
        );
        self
    }

    /// The `i`th diagnostic.
    fn at(&self, i: usize) -> &Diag {
        &self.diags[i]
    }
}

/// A copy of the valid pack in a temporary folder, at `<tmp>/pack`.
struct Pack {
    tmp: tempfile::TempDir,
}

/// The valid pack with `files` written over it (relative to the content root).
fn fixture_with(files: &[(&str, &str)]) -> Pack {
    let pack = Pack::valid();
    for (rel, text) in files {
        pack.write(rel, text);
    }
    pack
}

impl Pack {
    fn valid() -> Pack {
        let tmp = tempfile::tempdir().expect("temp dir");
        crate::common::copy_tree(Path::new(VALID), &tmp.path().join("pack"));
        Pack { tmp }
    }

    /// The content root.
    fn root(&self) -> PathBuf {
        self.tmp.path().join("pack")
    }

    /// A path inside the content root.
    fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Write (or overwrite) a file of the pack.
    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> &Pack {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(&path, bytes).expect("write");
        self
    }

    /// Replace the one occurrence of `from` in a file of the pack.
    #[track_caller]
    fn edit(&self, rel: &str, from: &str, to: &str) -> &Pack {
        let path = self.path(rel);
        let text = fs::read_to_string(&path).expect("read");
        assert_eq!(text.matches(from).count(), 1, "`{from}` in {rel}");
        fs::write(&path, text.replacen(from, to, 1)).expect("write");
        self
    }

    /// Delete a file of the pack.
    fn remove(&self, rel: &str) -> &Pack {
        fs::remove_file(self.path(rel)).expect("remove");
        self
    }

    /// Run the binary from the temporary folder.
    fn run(&self, args: &[&str]) -> (Output, Duration) {
        let start = Instant::now();
        let out = crate::common::bin()
            .args(args)
            .current_dir(self.tmp.path())
            .output()
            .expect("run evidencepack");
        (out, start.elapsed())
    }

    /// `evidencepack --content pack check --format json`, parsed.
    fn check(&self) -> Checked {
        let (out, elapsed) = self.run(&["--content", "pack", "check", "--format", "json"]);
        let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
        let diags: Vec<Diag> = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("not a JSON array of diagnostics ({e}): {stdout}"));
        let diags = diags
            .into_iter()
            .map(|mut d| {
                d.path = d
                    .path
                    .strip_prefix("pack/")
                    .unwrap_or_else(|| panic!("path outside the content root: {}", d.path))
                    .to_string();
                d
            })
            .collect();
        Checked {
            status: out.status.code().expect("exit code"),
            diags,
            elapsed,
        }
    }

    /// `evidencepack --content pack check` (human output): exit code and stdout.
    fn check_human(&self) -> (i32, String) {
        let (out, _) = self.run(&["--content", "pack", "check"]);
        (
            out.status.code().expect("exit code"),
            String::from_utf8(out.stdout).expect("UTF-8 output"),
        )
    }
}

/// An evidence file holding [`EV`] with one line replaced.
fn ev_with(from: &str, to: &str) -> String {
    assert_eq!(EV.matches(from).count(), 1, "`{from}` in EV");
    EV.replacen(from, to, 1)
}

mod attachments;
mod bundles;
mod cascades;
mod hostile;
mod isms;
mod iso;
mod output;
mod records;
mod rules;
