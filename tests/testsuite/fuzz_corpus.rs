//! The fuzz targets' minimised corpora (`tests/fuzz-corpus/<target>/`), replayed through the very
//! functions the targets call (`fuzz/src/lib.rs`): no input panics, every problem found is placed
//! inside its file, rendered Markdown stays inert, and a refused zip says why.
//! `fuzz/README.md` says how to run the targets and refresh these corpora.

use std::fs;
use std::panic;
use std::path::Path;

use crate::fuzz_drivers as drivers;

/// Feed every file of `target`'s corpus to `run`, naming the file that fails.
fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-corpus")
        .join(target);
    let mut names: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    assert!(!names.is_empty(), "{}: empty corpus", dir.display());
    let failed: Vec<String> = names
        .iter()
        .filter(|path| {
            let bytes = fs::read(path).unwrap();
            panic::catch_unwind(|| run(&bytes)).is_err()
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(failed.is_empty(), "{target}: inputs that fail: {failed:#?}");
}

#[test]
fn content_file_corpus() {
    replay("content_file", drivers::content_file);
}

#[test]
fn markdown_corpus() {
    replay("markdown", drivers::markdown);
}

#[test]
fn zip_reader_corpus() {
    replay("zip_reader", drivers::zip_reader);
}

#[test]
fn source_github_corpus() {
    replay("source_github", drivers::source_github);
}

#[test]
fn source_credential_report_corpus() {
    replay(
        "source_credential_report",
        drivers::source_credential_report,
    );
}

#[test]
fn source_jira_corpus() {
    replay("source_jira", drivers::source_jira);
}

#[test]
fn source_csv_corpus() {
    replay("source_csv", drivers::source_csv);
}
