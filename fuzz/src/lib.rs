//! What each fuzz target does with one input, shared by the targets in `fuzz_targets/` and by
//! the corpus replay in `cargo test` (`tests/testsuite/fuzz_corpus.rs` includes this file), so a
//! corpus file is replayed through exactly the code it was found with.
//!
//! Each function panics when the product does: on a panic of its own, or when an invariant
//! checked here does not hold (a problem placed outside its file, script in rendered HTML, an
//! unusable zip without a reason).

use chrono::{DateTime, FixedOffset};
use evidencepack::content::{self, audience::Redactions};
use evidencepack::render::{markdown, Bundle};
use evidencepack::sources::{
    credential_report, generic_csv, github, jira, Context, Export, NoAccounts, SourceError,
};
use evidencepack::verify;

/// The content paths a `content_file` input is parsed as, chosen by its first byte: one per
/// kind of content file.
pub const CONTENT_PATHS: [&str; 10] = [
    "pack.yaml",
    "people.yaml",
    "soa.yaml",
    "policies/access-control.md",
    "reviews/2026-q1.md",
    "controls/ac.yaml",
    "risks/r.yaml",
    "identities/ci.yaml",
    "evidence/2026/e.yaml",
    "populations/CM-01.csv",
];

/// Lines of `bytes` (a file without a final newline still has its last line).
fn line_count(bytes: &[u8]) -> usize {
    bytes.split(|&b| b == b'\n').count()
}

/// Lines of `bytes` as YAML counts them (what `check` reports for content files): LF, CRLF and
/// a lone CR end a line, and so do NEL, LS and PS (YAML 1.1, libyaml).
fn yaml_line_count(bytes: &[u8]) -> usize {
    let text = String::from_utf8_lossy(bytes);
    let mut chars = text.chars().peekable();
    let mut lines = 1;
    while let Some(c) = chars.next() {
        let crlf = c == '\r' && chars.peek() == Some(&'\n');
        if !crlf && matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}') {
            lines += 1;
        }
    }
    lines
}

/// The first byte picks the kind of content file ([`CONTENT_PATHS`]), the rest is the file: every
/// problem must sit on a line of it.
pub fn content_file(data: &[u8]) {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let rel = CONTENT_PATHS[first as usize % CONTENT_PATHS.len()];
    let diagnostics = content::parse_one(rel, bytes).expect("a content file path");
    let lines = yaml_line_count(bytes);
    for d in &diagnostics {
        assert!(
            d.line >= 1 && d.column >= 1 && d.line <= lines,
            "{rel}: diagnostic outside the file's {lines} lines: {d:?}"
        );
    }
}

/// The input as a policy's Markdown body, rendered for the ISO bundle: the HTML must stay inert.
pub fn markdown(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let html = markdown::to_html(text, Bundle::Iso27001, "../", &Redactions::none("auditor"));
    // Text escapes `<`, attribute values escape `"`: every `<` opens a tag and every ` name="`
    // inside one is an attribute.
    for tag in html.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("").to_ascii_lowercase();
        let name = tag.split([' ', '/']).next().unwrap_or("");
        assert!(
            !["script", "iframe", "style", "object", "embed", "form", "input"].contains(&name),
            "<{tag}> in rendered HTML: {html}"
        );
        for attr in tag.split(" ").skip(1) {
            let Some((attr, value)) = attr.split_once("=\"") else {
                continue;
            };
            assert!(
                attr != "style" && !attr.starts_with("on"),
                "attribute `{attr}` in <{tag}>: {html}"
            );
            if attr == "href" || attr == "src" {
                let value = value.trim_start();
                assert!(
                    !["javascript:", "data:", "vbscript:"]
                        .iter()
                        .any(|s| value.starts_with(s)),
                    "script link in <{tag}>: {html}"
                );
            }
        }
    }
}

/// The input as a zip given to `verify`: read in place, never a panic, and a refused zip says
/// why.
pub fn zip_reader(data: &[u8]) {
    let mut file = tempfile::NamedTempFile::new().expect("a temporary file");
    std::io::Write::write_all(&mut file, data).expect("write the zip");
    let report = verify::verify_zip(file.path(), None);
    if report.unusable {
        assert!(!report.problems.is_empty(), "unusable without a reason");
    }
}

/// The time the exports are tested at.
fn context() -> Context<'static> {
    Context {
        accounts: &NoAccounts,
        as_of: DateTime::<FixedOffset>::parse_from_rfc3339("2026-07-01T08:00:00Z").expect("a time"),
    }
}

/// A parse error must sit on a line of the export.
fn check_error(err: &SourceError, data: &[u8]) {
    let (line, column) = err.position.line_col();
    let lines = line_count(data) as u64;
    assert!(
        line >= 1 && column >= 1 && line <= lines,
        "error outside the export's {lines} lines: {err:?}"
    );
}

/// Test every item of a parsed export with `test`, or check where its parse error is.
fn test_items<F>(parsed: Result<Export<F>, SourceError>, data: &[u8], test: impl Fn(&F)) {
    match parsed {
        Ok(export) => export.items.iter().for_each(|item| test(&item.facts)),
        Err(err) => check_error(&err, data),
    }
}

/// The input as a `github-pulls` export, every pull request tested.
pub fn source_github(data: &[u8]) {
    let options = github::Options {
        min_approvals: 1,
        base_branches: vec!["main".into(), "release/*".into()],
    };
    test_items(github::parse(data), data, |facts| {
        github::test(facts, &options, &context());
    });
}

/// The input as an IAM credential report, every key and user tested.
pub fn source_credential_report(data: &[u8]) {
    let options = credential_report::Options::default();
    let parsed = credential_report::parse(data).map(|report| {
        report.users.iter().for_each(|user| {
            credential_report::test_account(user);
        });
        report.keys
    });
    test_items(parsed, data, |facts| {
        credential_report::test(facts, &options, &context());
    });
}

/// The input as a `jira-csv` export (the options of the sources fixture), every issue tested.
pub fn source_jira(data: &[u8]) {
    let options = jira::Options {
        date_column: "Created".into(),
        date_format: "%d/%b/%y %I:%M %p".into(),
        done_statuses: vec!["Done".into(), "Closed".into(), "Resolved".into()],
        sla_days: Some(5),
        approver_column: Some("Custom field (Approver)".into()),
        site_url: Some("https://northwind.atlassian.net".into()),
    };
    test_items(jira::parse(data, &options), data, |facts| {
        jira::test(facts, &options, &context());
    });
}

/// The input as a mapped `csv` export (the options of the sources fixture), every row tested.
pub fn source_csv(data: &[u8]) {
    let options = generic_csv::Options {
        columns: generic_csv::Columns {
            key: "Change ID".into(),
            date: "Executed At".into(),
            title: Some("Title".into()),
            performed_by: Some("Requested By".into()),
            approved_by: Some("Approved By".into()),
            result: Some("Status".into()),
            link: Some("Ticket URL".into()),
        },
        date_format: "%Y-%m-%d %H:%M".into(),
        pass_values: vec!["Succeeded".into()],
        accounts: Some("okta".into()),
    };
    test_items(generic_csv::parse(data, &options), data, |facts| {
        generic_csv::test(facts, &options, &context());
    });
}
