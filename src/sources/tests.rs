//! The sources library against the fixture exports of `tests/fixtures/sources/` (see its
//! README for what each follows and plants) and against hostile exports made at test time.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::accounts::testing::Table;
use super::*;

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sources")
        .join(rel)
}

fn period() -> std::ops::RangeInclusive<NaiveDate> {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()..=NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()
}

/// The pack's people and identities as the integration would give them.
fn northwind() -> Table {
    let identity = |id, rotation_days| Claim::Identity { id, rotation_days };
    Table {
        rows: vec![
            ("github", "oliver-b", Claim::Person("oliver")),
            ("github", "amara-o", Claim::Person("amara")),
            ("github", "sven-k", Claim::Person("sven")),
            ("github", "sven-kowalski-admin", Claim::Person("sven")),
            ("github", "github-actions", identity("gha-token", None)),
            ("aws", "oliver", Claim::Person("oliver")),
            ("aws", "dmitri", Claim::Person("dmitri")),
            ("aws", "amara", Claim::Person("amara")),
            ("aws", "ci-deployer", identity("svc-ci-deployer", Some(90))),
            ("aws", "backup-agent", identity("svc-backup", Some(180))),
            ("aws", "terraform", identity("svc-terraform", Some(30))),
            ("aws", "reports-bot", identity("svc-reports", Some(90))),
            ("jira", "Oliver Brandt", Claim::Person("oliver")),
            ("jira", "Amara Okafor", Claim::Person("amara")),
            ("jira", "Sven Kowalski", Claim::Person("sven")),
            ("jira", "Dmitri Volkov", Claim::Person("dmitri")),
            ("jira", "Zoë Müller", Claim::Person("zoe")),
            ("okta", "oliver@northwind.example", Claim::Person("oliver")),
            ("okta", "amara@northwind.example", Claim::Person("amara")),
            ("okta", "sven@northwind.example", Claim::Person("sven")),
        ],
        people: vec![],
    }
}

const GH: &str = "
id: gh-platform-prs
kind: github-pulls
file: sources/github/platform-2026h1.json
control: CM-01
extracted_at: 2026-07-01T08:12:00Z
extracted_by: oliver
command: >-
  gh pr list --repo northwind/platform --state merged --limit 5000
  --json number,title,url,author,createdAt,mergedAt,mergedBy,baseRefName,reviews,headRefName,reviewDecision,labels
options: { base_branches: [main, release/*] }
";

const AWS: &str = "
id: aws-prod-credentials
kind: aws-iam-credential-report
file: sources/aws/credential-report-2026-07-01.csv
extracted_at: 2026-07-01T09:00:00Z
extracted_by: sven
command: aws iam generate-credential-report && aws iam get-credential-report --query Content --output text | base64 -d
";

const JIRA: &str = "
id: jira-sec
kind: jira-csv
file: sources/jira/sec-2026h1.csv
control: AC-03
extracted_at: 2026-07-01T10:00:00+02:00
extracted_by: amara
command: Jira > Filters > project = SEC AND created >= 2025-12-01 > Export > Export CSV (all fields)
options:
  sla_days: 5
  approver_column: Custom field (Approver)
  site_url: https://northwind.atlassian.net
";

const CSV: &str = "
id: db-changes
kind: csv
file: sources/csv/db-changes-2026h1.csv
control: CM-04
extracted_at: 2026-07-02T07:30:00Z
extracted_by: sven
command: Bytebase > Changes > Export to CSV (all projects, 2025-12-01..2026-06-30)
options:
  columns:
    key: Change ID
    date: Executed At
    title: Title
    performed_by: Requested By
    approved_by: Approved By
    result: Status
    link: Ticket URL
  date_format: \"%Y-%m-%d %H:%M\"
  pass_values: [Succeeded]
  accounts: okta
";

fn decl(yaml: &str) -> SourceDecl<String> {
    serde_yaml_ng::from_str(yaml).unwrap()
}

fn load_fixture(yaml: &str) -> (SourceDecl<String>, Loaded, Vec<u8>) {
    let decl = decl(yaml);
    let path = fixture(decl.file.trim_start_matches("sources/"));
    let bytes = std::fs::read(&path).unwrap();
    let file = std::fs::File::open(&path).unwrap();
    let loaded = load(&decl, file, period(), &northwind()).unwrap();
    (decl, loaded, bytes)
}

/// `(subject, attribute)` of every deviation, sorted.
fn deviations(loaded: &Loaded) -> Vec<(String, &'static str)> {
    let mut all: Vec<(String, &'static str)> = loaded
        .deviations()
        .map(|d| (d.subject.to_string(), d.attribute.id()))
        .collect();
    all.sort();
    all
}

fn keys(loaded: &Loaded) -> Vec<&str> {
    loaded.population.iter().map(|t| t.key()).collect()
}

fn reason<'a>(loaded: &'a Loaded, subject: &str, attribute: Attribute) -> &'a str {
    loaded
        .deviations()
        .find(|d| d.subject == subject && d.attribute == attribute)
        .map(|d| d.reason)
        .unwrap_or_else(|| panic!("no {attribute:?} deviation for {subject}"))
}

fn owned(pairs: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
    let mut v: Vec<(String, &'static str)> =
        pairs.iter().map(|(s, a)| (s.to_string(), *a)).collect();
    v.sort();
    v
}

/// The completeness warnings of `decl`'s export for the test period, with `command`.
fn warnings_of(decl: &SourceDecl<String>, command: &str, p: &Provenance) -> Vec<Completeness> {
    completeness(
        decl.kind.kind(),
        decl.extracted_at,
        command,
        p,
        &period(),
        DEFAULT_EDGE_DAYS,
    )
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn github_pulls_fixture_reports_every_planted_deviation_and_nothing_else() {
    let (decl, loaded, bytes) = load_fixture(GH);
    assert_eq!(
        keys(&loaded),
        [
            "platform#4111",
            "platform#4110",
            "platform#4109",
            "platform#4108",
            "platform#4107",
            "platform#4106",
            "platform#4105",
            "platform#4104",
            "platform#4103",
            "platform#4102",
            "platform#4101"
        ]
    );
    assert_eq!(
        deviations(&loaded),
        owned(&[
            ("platform#4102", "approved-before-merge"),
            ("platform#4103", "approved-before-merge"),
            ("platform#4104", "approved-before-merge"),
            ("platform#4105", "approved-before-merge"),
            ("platform#4108", "allowed-base"),
            ("platform#4109", "merger-known"),
            ("platform#4110", "approved-before-merge"),
        ])
    );
    let why = |key| reason(&loaded, key, Attribute::ApprovedBeforeMerge);
    assert!(why("platform#4102").contains("`sven-kowalski-admin` is the author"));
    assert!(why("platform#4103").contains("`oliver-b` approved after the merge"));
    assert!(why("platform#4104").contains("non-human identity `gha-token`"));
    assert!(why("platform#4105").contains("review of `amara-o` was dismissed"));
    assert!(why("platform#4110").contains("`ext-reviewer` is an account no person claims"));
    let formula = loaded.population.get(1).unwrap();
    assert_eq!(
        formula.title(),
        "=HYPERLINK(\"http://evil.example/x\",\"Docs: on-call runbook\")"
    );

    let p = &loaded.provenance;
    assert_eq!(p.sha256, format!("{:x}", Sha256::digest(&bytes)));
    assert_eq!(p.bytes, bytes.len() as u64);
    assert_eq!((p.rows_read, p.items, p.items_in_period), (13, 13, 11));
    assert_eq!(
        (p.earliest, p.latest),
        (Some(d("2025-12-30")), Some(d("2026-07-01")))
    );
    let warnings = warnings_of(&decl, &decl.command, p);
    assert_eq!(warnings, []);
    let limited = decl.command.replace("--limit 5000", "--limit 13");
    let warnings = warnings_of(&decl, &limited, p);
    assert_eq!(warnings, [Completeness::LimitReached { limit: 13 }]);
}

#[test]
fn credential_report_fixture_reports_keys_accounts_and_unknown_credentials() {
    let (decl, loaded, bytes) = load_fixture(AWS);
    assert_eq!(decl.control, None);
    assert_eq!(
        keys(&loaded),
        [
            "<root_account>/key1",
            "oliver/key1",
            "ci-deployer/key1",
            "backup-agent/key1",
            "terraform/key1",
            "terraform/key2",
            "legacy-export/key1"
        ]
    );
    assert_eq!(
        deviations(&loaded),
        owned(&[
            ("<root_account>/key1", "root-no-active-keys"),
            ("ci-deployer/key1", "key-rotated"),
            ("backup-agent/key1", "key-used"),
            ("dmitri", "console-mfa"),
        ])
    );
    assert_eq!(
        reason(&loaded, "ci-deployer/key1", Attribute::KeyRotated),
        "166 days old at the report time (last rotated 2026-01-15; rotation_days of identity \
         `svc-ci-deployer` is 90)"
    );
    assert_eq!(
        reason(&loaded, "backup-agent/key1", Attribute::KeyUsed),
        "last used 2026-03-05, 118 days before the report (unused_days is 90)"
    );
    assert_eq!(
        loaded.unknown_credentials,
        [UnknownCredential {
            user: "legacy-export".into(),
            locator: Locator::Line(9),
            active_keys: 1
        }]
    );
    assert_eq!(loaded.accounts.len(), 9);
    let p = &loaded.provenance;
    assert_eq!(p.sha256, format!("{:x}", Sha256::digest(&bytes)));
    assert_eq!((p.rows_read, p.items, p.items_in_period), (9, 8, 7));
    assert_eq!(p.latest, Some(d("2026-07-01")));
    let warnings = warnings_of(&decl, &decl.command, p);
    assert_eq!(warnings, []);
}

#[test]
fn jira_fixture_reports_sla_breaches_and_self_approvals() {
    let (decl, loaded, bytes) = load_fixture(JIRA);
    assert_eq!(
        keys(&loaded),
        [
            "SEC-148", "SEC-147", "SEC-146", "SEC-145", "SEC-144", "SEC-143", "SEC-142", "SEC-141",
            "SEC-140"
        ]
    );
    assert_eq!(
        deviations(&loaded),
        owned(&[
            ("SEC-141", "within-sla"),
            ("SEC-142", "independent-approval"),
            ("SEC-143", "resolved"),
            ("SEC-143", "within-sla"),
            ("SEC-144", "independent-approval"),
            ("SEC-146", "independent-approval"),
        ])
    );
    assert_eq!(
        reason(&loaded, "SEC-141", Attribute::WithinSla),
        "resolved 9 days 20 hours 11 minutes after creation (sla_days is 5)"
    );
    assert_eq!(
        reason(&loaded, "SEC-142", Attribute::IndependentApproval),
        "no independent approval: `Sven Kowalski` is the assignee"
    );
    let sec145 = loaded.population.find("SEC-145").unwrap();
    assert_eq!(
        sec145.title(),
        "=HYPERLINK(\"http://evil.example/x\",\"Reset MFA for Dmitri\")"
    );
    assert_eq!(
        sec145.link().as_deref(),
        Some("https://northwind.atlassian.net/browse/SEC-145")
    );
    assert_eq!(sec145.locator(), Locator::Line(5));
    // SEC-145's description and comment span lines: the next record starts on line 10.
    assert_eq!(
        loaded.population.get(4).unwrap().locator(),
        Locator::Line(10)
    );
    let p = &loaded.provenance;
    assert_eq!(p.sha256, format!("{:x}", Sha256::digest(&bytes)));
    assert_eq!((p.rows_read, p.items_in_period), (10, 9));
    let warnings = warnings_of(&decl, &decl.command, p);
    assert_eq!(warnings, []);
}

#[test]
fn csv_fixture_reports_failed_results_and_self_approvals() {
    let (_, loaded, bytes) = load_fixture(CSV);
    assert_eq!(
        keys(&loaded),
        ["DBC-0101", "DBC-0102", "DBC-0103", "DBC-0104", "DBC-0105", "DBC-0106"]
    );
    assert_eq!(
        deviations(&loaded),
        owned(&[
            ("DBC-0102", "independent-approval"),
            ("DBC-0103", "result-pass"),
            ("DBC-0104", "independent-approval"),
        ])
    );
    assert_eq!(
        loaded.population.get(4).unwrap().title(),
        "=cmd|' /C calc'!A0"
    );
    assert_eq!(
        loaded.population.get(0).unwrap().link().as_deref(),
        Some("https://northwind.atlassian.net/browse/CHG-901")
    );
    assert_eq!(
        loaded.provenance.sha256,
        format!("{:x}", Sha256::digest(&bytes))
    );
    assert_eq!(loaded.provenance.rows_read, 7);
}

#[test]
fn a_truncated_gh_export_fails_with_its_json_path() {
    let bytes = std::fs::read(fixture("github/platform-2026h1.json")).unwrap();
    let cut = &bytes[..5000];
    let err = load(&decl(GH), cut, period(), &NoAccounts).unwrap_err();
    let Position::Json { line, column, path } = &err.position else {
        panic!("{err:?}")
    };
    assert_eq!((*line, *column), (1, 5000));
    assert!(path.starts_with('['), "{path}");
    assert!(
        err.message.starts_with("the JSON ends too early"),
        "{}",
        err.message
    );
}

#[test]
fn an_export_of_another_kind_is_refused_by_its_header() {
    let jira = std::fs::File::open(fixture("jira/sec-2026h1.csv")).unwrap();
    let err = load(&decl(AWS), jira, period(), &NoAccounts).unwrap_err();
    assert!(err.message.contains("no `user`, `arn`"), "{}", err.message);
    let report = std::fs::File::open(fixture("aws/credential-report-2026-07-01.csv")).unwrap();
    let err = load(&decl(JIRA), report, period(), &NoAccounts).unwrap_err();
    assert!(err.message.contains("no `Issue key`"), "{}", err.message);
    let gh = std::fs::File::open(fixture("github/platform-2026h1.json")).unwrap();
    let err = load(&decl(JIRA), gh, period(), &NoAccounts).unwrap_err();
    assert!(err.message.contains("no `Issue key`"), "{}", err.message);
}

#[test]
fn utf16_and_latin1_exports_are_refused_where_they_go_wrong() {
    let text = std::fs::read_to_string(fixture("jira/sec-2026h1.csv")).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let err = load(&decl(JIRA), utf16.as_slice(), period(), &NoAccounts).unwrap_err();
    assert!(err.message.contains("UTF-16"), "{}", err.message);
    assert_eq!(err.position, Position::At { line: 1, column: 1 });
    // Latin-1: every character below U+0100 as one byte.
    let latin1: Vec<u8> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect();
    let err = load(&decl(JIRA), latin1.as_slice(), period(), &NoAccounts).unwrap_err();
    assert!(err.message.contains("0xEB"), "{}", err.message); // the ë of Zoë
    let Position::At { line, .. } = err.position else {
        panic!("{err:?}")
    };
    assert_eq!(line, 3);
}

#[test]
fn duplicate_keys_are_refused() {
    let text = std::fs::read_to_string(fixture("csv/db-changes-2026h1.csv")).unwrap();
    let doubled = text.replace("DBC-0104", "DBC-0101");
    let err = load(&decl(CSV), doubled.as_bytes(), period(), &NoAccounts).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 6, column 1: the key `DBC-0101` appears twice (also at line 3): each item must be \
         unique"
    );
}

/// Writes a Jira export whose one issue has a description of `size` bytes.
fn jira_with_huge_description(size: usize) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    {
        let mut w = BufWriter::new(file.as_file_mut());
        w.write_all(b"Summary,Issue key,Status,Created,Resolved,Reporter,Assignee,Description\n")
            .unwrap();
        w.write_all(b"Big one,SEC-1,Done,12/Jan/26 3:04 PM,,Oliver Brandt,Sven Kowalski,\"")
            .unwrap();
        let block = [b'x'; 64 * 1024];
        let mut left = size;
        while left > 0 {
            let n = left.min(block.len());
            w.write_all(&block[..n]).unwrap();
            left -= n;
        }
        w.write_all(b"\"\n").unwrap();
    }
    file
}

#[test]
fn a_100_mb_cell_is_skipped_when_unused_and_refused_when_used() {
    let file = jira_with_huge_description(100 << 20);
    let jira = decl(&JIRA.replace("  approver_column: Custom field (Approver)\n", ""));
    let loaded = load(&jira, file.reopen().unwrap(), period(), &NoAccounts).unwrap();
    assert_eq!(keys(&loaded), ["SEC-1"]);
    assert!(loaded.provenance.bytes > 100 << 20);
    let as_csv = decl(
        "
id: big
kind: csv
file: sources/big.csv
control: C-1
extracted_at: 2026-07-01T00:00:00Z
extracted_by: x
command: export
options: { columns: { key: Issue key, date: Created, title: Description }, date_format: \"%d/%b/%y %I:%M %p\" }
",
    );
    let err = load(&as_csv, file.reopen().unwrap(), period(), &NoAccounts).unwrap_err();
    assert_eq!(
        err.position,
        Position::Cell {
            line: 2,
            column: 67,
            header: "Description".into()
        }
    );
    assert!(
        err.message.contains("longer than 1024 KiB"),
        "{}",
        err.message
    );
}

#[test]
fn loaded_sources_serialize_for_json_output() {
    let (_, loaded, _) = load_fixture(CSV);
    let v = serde_json::to_value(&loaded).unwrap();
    assert_eq!(v["kind"], "csv");
    assert_eq!(v["population"][1]["key"], "DBC-0102");
    assert_eq!(v["population"][1]["actors"][0]["role"], "performer");
    assert_eq!(v["population"][1]["results"][1]["outcome"], "fail");
    assert_eq!(v["provenance"]["rows_read"], 7);
}
