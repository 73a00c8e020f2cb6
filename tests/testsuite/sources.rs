//! Sources end to end: the `soc2-basic` fixture with the four fixture exports of
//! `tests/fixtures/sources/` (see its README for what each plants) declared in pack.yaml, and the
//! people and identities claiming their accounts. CM-01 takes its population from the GitHub
//! export (its population CSV removed), AC-03 from the Jira export, CM-04 from the generic CSV and
//! KEY-01 from the credential report. Populations, digests and samples are re-computed here
//! from the export files, independently of the tool.

use std::fs;
use std::path::Path;
use std::process::Output;

use serde_json::Value;

const SOURCES: &str = r#"
sources:
  - id: gh-platform-prs
    kind: github-pulls
    file: sources/github/platform-2026h1.json
    control: CM-01
    extracted_at: 2026-07-01T08:12:00Z
    extracted_by: oliver
    command: >-
      gh pr list --repo northwind/platform --state merged --limit 5000
      --json number,title,url,author,createdAt,mergedAt,mergedBy,baseRefName,reviews,headRefName,reviewDecision,labels
    options: { base_branches: [main, release/*] }
  - id: aws-prod-credentials
    kind: aws-iam-credential-report
    file: sources/aws/credential-report-2026-07-01.csv
    control: KEY-01
    extracted_at: 2026-07-01T09:00:00Z
    extracted_by: sven
    command: aws iam generate-credential-report && aws iam get-credential-report --query Content --output text | base64 -d
  - id: jira-sec
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
  - id: db-changes
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
      date_format: "%Y-%m-%d %H:%M"
      pass_values: [Succeeded]
      accounts: okta
"#;

const PEOPLE: &str = r#"- { id: amara, name: Amara Okafor, title: CISO, accounts: { github: amara-o, aws: amara, jira: Amara Okafor, okta: amara@northwind.example } }
- { id: sven, name: Sven Kowalski, title: Platform Engineer, accounts: { github: [sven-k, sven-kowalski-admin], jira: Sven Kowalski, okta: sven@northwind.example } }
- { id: dmitri, name: Dmitri Volkov, title: CTO, accounts: { aws: dmitri, jira: Dmitri Volkov } }
- { id: lena, name: Lena Brandt, title: People Lead }
- { id: oliver, name: Oliver Brandt, title: Engineering Manager, accounts: { github: oliver-b, aws: oliver, jira: Oliver Brandt, okta: oliver@northwind.example } }
- { id: zoe, name: Zoë Müller, title: Security Analyst, accounts: { jira: Zoë Müller } }
"#;

const IDENTITIES: &str = r#"
- { id: gha-token, kind: bot, system: github, owner: sven, created_on: 2024-01-01, accounts: { github: github-actions } }
- { id: svc-ci-deployer, kind: service-account, system: aws, owner: sven, created_on: 2024-01-01, rotation_days: 90, accounts: { aws-iam-user: ci-deployer } }
- { id: svc-backup, kind: service-account, system: aws, owner: sven, created_on: 2024-01-01, rotation_days: 180, accounts: { aws-iam-user: backup-agent } }
- { id: svc-terraform, kind: service-account, system: aws, owner: sven, created_on: 2024-01-01, rotation_days: 30, accounts: { aws-iam-user: terraform } }
- { id: svc-reports, kind: service-account, system: aws, owner: amara, created_on: 2024-01-01, rotation_days: 90, accounts: { aws-iam-user: reports-bot } }
"#;

const CONTROLS: &str = r#"
- id: AC-03
  title: Access requests approved and fulfilled within SLA
  description: Access requests are approved by someone other than the requester.
  owner: amara
  operator: sven
  frequency: on-event
  automated: false
  policies: [POL-AC]
  maps: { iso27001-2022: ["5.18"], soc2-2017: [CC6.1] }
- id: CM-04
  title: Approval of database changes
  description: Database changes are approved by someone other than the requester.
  owner: dmitri
  operator: sven
  frequency: on-event
  automated: false
  policies: [POL-OPS]
  maps: { iso27001-2022: ["8.32"], soc2-2017: [CC8.1] }
- id: KEY-01
  title: Machine credentials rotated and used
  description: Every active access key is rotated within its identity's rotation period.
  owner: amara
  operator: sven
  frequency: on-event
  automated: false
  policies: [POL-AC]
  maps: { iso27001-2022: ["5.18"], soc2-2017: [CC6.1] }
"#;

const RESPONSE: &str = r#"
- id: EV-PR-4102
  controls: [CM-01]
  kind: exception
  title: Self-approval of platform#4102
  occurred_on: 2026-02-03
  performed_by: amara
  result: exception
  item: gh-platform-prs:platform#4102
  exception:
    description: Sven approved his own pull request with his admin account.
    management_response: Quokkaresponse the admin account lost review rights.
"#;

/// The soc2-basic fixture with the four exports declared; a temporary folder.
pub(crate) fn pack() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    crate::common::copy_tree(&crate::common::fixture("soc2-basic"), root);
    crate::common::copy_tree(&crate::common::fixture("sources"), &root.join("sources"));
    fs::remove_file(root.join("sources/README.md")).unwrap();
    fs::remove_file(root.join("populations/CM-01.csv")).unwrap();
    let pack = fs::read_to_string(root.join("pack.yaml")).unwrap();
    fs::write(root.join("pack.yaml"), pack + SOURCES).unwrap();
    fs::write(root.join("people.yaml"), PEOPLE).unwrap();
    let ids = fs::read_to_string(root.join("identities/identities.yaml")).unwrap();
    fs::write(root.join("identities/identities.yaml"), ids + IDENTITIES).unwrap();
    let controls = fs::read_to_string(root.join("controls/controls.yaml")).unwrap();
    fs::write(root.join("controls/controls.yaml"), controls + CONTROLS).unwrap();
    fs::write(root.join("evidence/sources.yaml"), RESPONSE).unwrap();
    d
}

fn run(content: &Path, args: &[&str]) -> Output {
    crate::common::bin()
        .arg("--content")
        .arg(content)
        .args(args)
        .output()
        .unwrap()
}

/// `check --format json` of `root`: every diagnostic as JSON.
fn check(root: &Path) -> Vec<Value> {
    let o = run(root, &["check", "--format", "json"]);
    let stdout = String::from_utf8(o.stdout).unwrap();
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// `(code, path relative to root, line, message)` of every diagnostic.
fn diags(root: &Path) -> Vec<(String, String, u64, String)> {
    let prefix = format!("{}/", root.display());
    check(root)
        .into_iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["path"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches(&prefix)
                    .to_string(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_sources_pack_checks_with_only_the_unknown_credential_warning() {
    let p = pack();
    let d = diags(p.path());
    let unknown: Vec<_> = d.iter().filter(|d| d.0 == "W121").collect();
    assert_eq!(unknown.len(), 1, "{d:#?}");
    assert_eq!(unknown[0].1, "sources/aws/credential-report-2026-07-01.csv");
    assert!(unknown[0].3.contains("`legacy-export`"), "{d:#?}");
    assert!(
        !d.iter().any(|d| d.0.starts_with('E')),
        "no errors expected: {d:#?}"
    );
}

/// Writes `text` over `rel` in a fresh pack and returns its diagnostics.
fn with(rel: &str, text: &[u8]) -> (tempfile::TempDir, Vec<(String, String, u64, String)>) {
    let p = pack();
    fs::write(p.path().join(rel), text).unwrap();
    let d = diags(p.path());
    (p, d)
}

fn errors(d: &[(String, String, u64, String)]) -> Vec<&(String, String, u64, String)> {
    d.iter().filter(|d| d.0.starts_with('E')).collect()
}

#[test]
fn a_truncated_json_export_is_one_error_at_its_position() {
    let gh = fs::read(crate::common::fixture(
        "sources/github/platform-2026h1.json",
    ))
    .unwrap();
    let (_p, d) = with("sources/github/platform-2026h1.json", &gh[..gh.len() / 2]);
    let e = errors(&d);
    assert_eq!(e.len(), 1, "{d:#?}");
    assert_eq!(e[0].0, "E071");
    assert_eq!(e[0].1, "sources/github/platform-2026h1.json");
    assert!(e[0].3.contains("github-pulls"), "{}", e[0].3);
    // The evidence record addressing an item of that source is not reported again.
    assert!(!d.iter().any(|d| d.0 == "E073"), "{d:#?}");
}

#[test]
fn a_csv_export_cut_inside_a_quoted_cell_is_one_error_at_the_quote() {
    // The generic CSV cut inside DBC-0105's multi-line note, its last column: every record
    // still has all its cells, so only the open quote tells the file is truncated.
    let csv =
        fs::read_to_string(crate::common::fixture("sources/csv/db-changes-2026h1.csv")).unwrap();
    let cut = csv.find("Two approvers:").unwrap() + "Two approvers:".len();
    let line = csv[..cut].lines().count() as u64;
    let quote = csv[..cut].rfind('"').unwrap();
    let column = (quote - csv[..quote].rfind('\n').unwrap()) as u64;
    let (p, d) = with("sources/csv/db-changes-2026h1.csv", &csv.as_bytes()[..cut]);
    let e = errors(&d);
    assert_eq!(e.len(), 1, "{d:#?}");
    assert_eq!(
        (e[0].0.as_str(), e[0].1.as_str(), e[0].2),
        ("E071", "sources/csv/db-changes-2026h1.csv", line)
    );
    assert!(e[0].3.contains("never closed"), "{}", e[0].3);
    let o = run(p.path(), &["check"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains(&format!(
            "sources/csv/db-changes-2026h1.csv:{line}:{column}: error[E071]"
        )),
        "{text}"
    );
}

#[test]
fn wrong_headers_encodings_and_huge_cells_are_clear_errors() {
    let (_p, d) = with(
        "sources/aws/credential-report-2026-07-01.csv",
        b"name,arn\nx,y\n",
    );
    let e = errors(&d);
    assert_eq!(e.len(), 1, "{d:#?}");
    assert_eq!(
        (e[0].0.as_str(), e[0].1.as_str()),
        ("E071", "sources/aws/credential-report-2026-07-01.csv")
    );
    let mut latin1 = fs::read(crate::common::fixture("sources/jira/sec-2026h1.csv")).unwrap();
    let at = latin1.iter().position(|&b| b == b'\n').unwrap() + 5;
    latin1[at] = 0xE9;
    let (_p, d) = with("sources/jira/sec-2026h1.csv", &latin1);
    let e = errors(&d);
    assert_eq!(e.len(), 1, "{d:#?}");
    assert_eq!((e[0].0.as_str(), e[0].2), ("E071", 2));
    assert!(e[0].3.contains("UTF-8"), "{}", e[0].3);
    // A 20 MB cell in a column the kind does not read: streamed past, never held, and the
    // export still checks (the library's tests take it to 100 MB; here the whole pipeline reads
    // it, secret guard included, without slowing the suite).
    let csv =
        fs::read_to_string(crate::common::fixture("sources/csv/db-changes-2026h1.csv")).unwrap();
    let huge = "x".repeat(20 * 1024 * 1024);
    let body = csv.replacen("Replica lag; rolled back after 12 min", &huge, 1);
    let start = std::time::Instant::now();
    let (_p, d) = with("sources/csv/db-changes-2026h1.csv", body.as_bytes());
    assert!(errors(&d).is_empty(), "{d:#?}");
    assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
}

#[test]
fn declarations_files_and_items_are_checked_without_cascades() {
    // A source file that is missing, behind a link, or outside sources/.
    let p = pack();
    let root = p.path();
    fs::remove_file(root.join("sources/jira/sec-2026h1.csv")).unwrap();
    fs::rename(root.join("sources/csv"), root.join("elsewhere")).unwrap();
    std::os::unix::fs::symlink(root.join("elsewhere"), root.join("sources/csv")).unwrap();
    let pack_yaml = fs::read_to_string(root.join("pack.yaml")).unwrap();
    let pack_yaml = pack_yaml.replace(
        "file: sources/github/platform-2026h1.json",
        "file: sources/../people.yaml",
    );
    fs::write(root.join("pack.yaml"), pack_yaml).unwrap();
    let d = diags(root);
    let e: Vec<_> = errors(&d)
        .into_iter()
        .map(|d| (d.0.as_str(), d.1.as_str(), d.3.as_str()))
        .collect();
    assert_eq!(e.len(), 3, "{d:#?}");
    assert!(
        e.iter().all(|e| e.0 == "E070" && e.1 == "pack.yaml"),
        "{e:#?}"
    );
    assert!(e.iter().any(|e| e.2.contains("`..`")), "{e:#?}");
    assert!(e.iter().any(|e| e.2.contains("does not exist")), "{e:#?}");
    assert!(
        e.iter()
            .any(|e| e.2.contains("through the symbolic link `sources/csv`")),
        "{e:#?}"
    );

    // Unknown control and person, a source beside a population CSV, unknown items and twice
    // claimed accounts.
    let p = pack();
    let root = p.path();
    let pack_yaml = fs::read_to_string(root.join("pack.yaml"))
        .unwrap()
        .replace("control: CM-04", "control: HR-01")
        .replace("extracted_by: amara", "extracted_by: nobody")
        .replace("control: KEY-01", "control: NOPE-01");
    fs::write(root.join("pack.yaml"), pack_yaml).unwrap();
    let ev = RESPONSE.replace("platform#4102", "platform#9999")
        + &RESPONSE
            .replace("EV-PR-4102", "EV-PR-X")
            .replace("gh-platform-prs:platform#4102", "gitlab:1");
    fs::write(root.join("evidence/sources.yaml"), ev).unwrap();
    let people = PEOPLE.replace(
        "{ id: lena, name: Lena Brandt, title: People Lead }",
        "{ id: lena, name: Lena Brandt, title: People Lead, accounts: { github: Oliver-B } }",
    );
    fs::write(root.join("people.yaml"), people).unwrap();
    let mut e: Vec<_> = errors(&diags(root))
        .into_iter()
        .map(|d| d.0.clone())
        .collect();
    e.sort();
    assert_eq!(e, ["E011", "E012", "E072", "E073", "E073", "E074"]);
}

#[test]
fn a_secret_in_an_export_stops_the_check_and_is_never_printed() {
    let csv =
        fs::read_to_string(crate::common::fixture("sources/csv/db-changes-2026h1.csv")).unwrap();
    let key = ["AKIA", "Z7Q3XK5B2M4N6P8R"].concat();
    let body = csv.replacen("Replica lag", &format!("key {key} leaked"), 1);
    let p = pack();
    fs::write(p.path().join("sources/csv/db-changes-2026h1.csv"), body).unwrap();
    let o = run(p.path(), &["check"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(!o.status.success());
    assert!(
        out.contains("sources/csv/db-changes-2026h1.csv:") && out.contains("E060"),
        "{out}"
    );
    assert!(!out.contains(&key), "{out}");
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `sample CONTROL --format json` of the sources pack.
fn sample_json(root: &Path, control: &str) -> Value {
    let o = run(root, &["sample", control, "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The population of gh-platform-prs computed here from the export: every merged pull request
/// whose `mergedAt` (UTC) falls in the period, as `(address, date)`.
fn github_population() -> Vec<(String, String)> {
    let text = fs::read_to_string(crate::common::fixture(
        "sources/github/platform-2026h1.json",
    ))
    .unwrap();
    let prs: Vec<Value> = serde_json::from_str(&text).unwrap();
    prs.iter()
        .filter_map(|pr| {
            let merged = pr["mergedAt"].as_str()?;
            let date = &merged[..10];
            let repo = pr["url"].as_str()?.split('/').nth(4)?;
            let key = format!("gh-platform-prs:{repo}#{}", pr["number"]);
            ("2026-01-01"..="2026-06-30")
                .contains(&date)
                .then(|| (key, date.to_string()))
        })
        .collect()
}

/// The Jira population computed here: `Issue key` and the `Created` date (`dd/Mon/yy`).
fn jira_population() -> Vec<(String, String)> {
    let mut r = csv::ReaderBuilder::new()
        .from_path(crate::common::fixture("sources/jira/sec-2026h1.csv"))
        .unwrap();
    let headers = r.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (key, created) = (col("Issue key"), col("Created"));
    r.records()
        .filter_map(|rec| {
            let rec = rec.unwrap();
            let date = chrono::NaiveDateTime::parse_from_str(&rec[created], "%d/%b/%y %I:%M %p")
                .unwrap()
                .date()
                .to_string();
            ("2026-01-01"..="2026-06-30")
                .contains(&date.as_str())
                .then(|| (format!("jira-sec:{}", &rec[key]), date))
        })
        .collect()
}

/// The credential report's population computed here: every active access key (`access_key_N_active`
/// is `true`) rotated by the period's end, dated by its last rotation (an inventory: a key rotated
/// before the period still exists in it).
fn credential_population() -> Vec<(String, String)> {
    let mut r = csv::Reader::from_path(crate::common::fixture(
        "sources/aws/credential-report-2026-07-01.csv",
    ))
    .unwrap();
    let headers = r.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        for n in [1, 2] {
            let active = &rec[col(&format!("access_key_{n}_active"))];
            let rotated = &rec[col(&format!("access_key_{n}_last_rotated"))];
            if active == "true" && &rotated[..10] <= "2026-06-30" {
                out.push((
                    format!("aws-prod-credentials:{}/key{n}", &rec[col("user")]),
                    rotated[..10].to_string(),
                ));
            }
        }
    }
    out
}

/// The generic CSV's population computed here: `Change ID` and the `Executed At` date. The file
/// starts with a byte order mark, which is no part of the first column's name.
fn csv_population() -> Vec<(String, String)> {
    let text =
        fs::read_to_string(crate::common::fixture("sources/csv/db-changes-2026h1.csv")).unwrap();
    let text = text.strip_prefix('\u{feff}').unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    r.records()
        .filter_map(|rec| {
            let rec = rec.unwrap();
            let date = rec[6][..10].to_string();
            ("2026-01-01"..="2026-06-30")
                .contains(&date.as_str())
                .then(|| (format!("db-changes:{}", &rec[0]), date))
        })
        .collect()
}

/// The digest and ranking of `population` as the README defines them.
fn expected(control: &str, population: &[(String, String)]) -> (String, Vec<(String, String)>) {
    let mut sorted = population.to_vec();
    sorted.sort();
    let canonical: String = sorted
        .iter()
        .map(|(id, d)| format!("{id}\t{d}\n"))
        .collect();
    let mut ranked: Vec<(String, String)> = population
        .iter()
        .map(|(id, _)| {
            let hash = sha256_hex(format!("harbour-2026-h1:{control}:{id}").as_bytes());
            (hash, id.clone())
        })
        .collect();
    ranked.sort();
    (sha256_hex(canonical.as_bytes()), ranked)
}

fn assert_population_and_sample(root: &Path, control: &str, population: &[(String, String)]) {
    let doc = sample_json(root, control);
    let (digest, ranked) = expected(control, population);
    assert_eq!(doc["population"]["from"], "sources");
    assert_eq!(doc["population"]["size"], population.len());
    assert_eq!(doc["population"]["digest"], digest.as_str());
    let sample: Vec<(String, String)> = doc["sample"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["ranking_hash"].as_str().unwrap().to_string(),
                s["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // On-event controls sample 25 items: these small populations are tested whole.
    assert_eq!(sample.len(), population.len().min(25));
    assert_eq!(sample, ranked[..sample.len()]);
}

#[test]
fn populations_digests_and_samples_equal_an_independent_computation() {
    let p = pack();
    let gh = github_population();
    assert_eq!(gh.len(), 11);
    assert_population_and_sample(p.path(), "CM-01", &gh);
    let jira = jira_population();
    assert_eq!(jira.len(), 9);
    assert_population_and_sample(p.path(), "AC-03", &jira);
    let keys = credential_population();
    assert_eq!(keys.len(), 7, "{keys:?}");
    assert_population_and_sample(p.path(), "KEY-01", &keys);
    let changes = csv_population();
    assert_eq!(changes.len(), 6, "{changes:?}");
    assert_population_and_sample(p.path(), "CM-04", &changes);
    // Each sampled item carries its title from the export: a PR's title, a key's holder.
    let text = fs::read_to_string(crate::common::fixture(
        "sources/github/platform-2026h1.json",
    ))
    .unwrap();
    let prs: Vec<Value> = serde_json::from_str(&text).unwrap();
    let doc = sample_json(p.path(), "CM-01");
    for s in doc["sample"].as_array().unwrap() {
        let number: u64 = s["id"]
            .as_str()
            .unwrap()
            .rsplit('#')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let pr = prs.iter().find(|pr| pr["number"] == number).unwrap();
        assert_eq!(s["title"], pr["title"], "{s}");
    }
    let doc = sample_json(p.path(), "KEY-01");
    for s in doc["sample"].as_array().unwrap() {
        let key = s["id"].as_str().unwrap().split_once(':').unwrap().1;
        let (user, number) = key.split_once("/key").unwrap();
        assert_eq!(s["title"], format!("access key {number} of {user}"), "{s}");
    }
    // The canonical population is the same text.
    let o = run(p.path(), &["sample", "CM-01", "--population"]);
    let mut sorted = gh.clone();
    sorted.sort();
    let canonical: String = sorted
        .iter()
        .map(|(id, d)| format!("{id}\t{d}\n"))
        .collect();
    assert_eq!(String::from_utf8(o.stdout).unwrap(), canonical);
}

/// `(id, attribute)` of every deviation `sample --format json` reports for `control`, sorted.
fn deviations(root: &Path, control: &str) -> Vec<(String, String)> {
    let doc = sample_json(root, control);
    let mut v: Vec<(String, String)> = doc["deviations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap().to_string(),
                d["attribute"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = v
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    v.sort();
    v
}

#[test]
fn every_planted_deviation_is_reported_with_its_key_and_nothing_else() {
    let p = pack();
    let root = p.path();
    let gh = "gh-platform-prs:platform#";
    assert_eq!(
        deviations(root, "CM-01"),
        pairs(&[
            (&format!("{gh}4102"), "approved-before-merge"), // self-approval (second account)
            (&format!("{gh}4103"), "approved-before-merge"), // approved after the merge
            (&format!("{gh}4104"), "approved-before-merge"), // bot approval
            (&format!("{gh}4105"), "approved-before-merge"), // dismissed, then only commented
            (&format!("{gh}4108"), "allowed-base"),
            (&format!("{gh}4109"), "merger-known"),
            (&format!("{gh}4110"), "approved-before-merge"), // approver nobody claims
        ])
    );
    let aws = "aws-prod-credentials:";
    assert_eq!(
        deviations(root, "KEY-01"),
        pairs(&[
            (&format!("{aws}<root_account>/key1"), "root-no-active-keys"),
            (&format!("{aws}ci-deployer/key1"), "key-rotated"), // stale key
            (&format!("{aws}backup-agent/key1"), "key-used"),   // unused key
            (&format!("{aws}dmitri"), "console-mfa"),           // console user without MFA
        ])
    );
    // The unknown key owner: an inventory finding, reported with its key as a warning (W121,
    // the check test) and in the source's facts, never as an attribute deviation.
    let doc = sample_json(root, "KEY-01");
    assert_eq!(
        doc["population"]["sources"][0]["unknown_credentials"],
        serde_json::json!([{ "user": "legacy-export", "locator": { "line": 9 }, "active_keys": 1 }])
    );
    let jira = "jira-sec:SEC-";
    assert_eq!(
        deviations(root, "AC-03"),
        pairs(&[
            (&format!("{jira}141"), "within-sla"),           // SLA breach
            (&format!("{jira}142"), "independent-approval"), // self-approved ticket
            (&format!("{jira}143"), "resolved"),
            (&format!("{jira}143"), "within-sla"),
            (&format!("{jira}144"), "independent-approval"),
            (&format!("{jira}146"), "independent-approval"),
        ])
    );
    let db = "db-changes:DBC-";
    assert_eq!(
        deviations(root, "CM-04"),
        pairs(&[
            (&format!("{db}0102"), "independent-approval"), // self-approved change
            (&format!("{db}0103"), "result-pass"),          // rolled back
            (&format!("{db}0104"), "independent-approval"), // no approver
        ])
    );
}

#[test]
fn an_explanation_is_shown_and_the_failure_stays_a_failure() {
    let p = pack();
    let doc = sample_json(p.path(), "CM-01");
    let d = doc["deviations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == "platform#4102")
        .unwrap();
    assert_eq!(d["responses"], serde_json::json!(["EV-PR-4102"]));
    let s = doc["sample"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "gh-platform-prs:platform#4102")
        .unwrap();
    assert_eq!(s["result"], "exception");
    assert_eq!(s["evidence"], serde_json::json!(["EV-PR-4102"]));
    assert_eq!(doc["conclusion"], "Management's testing: deviations found");
    // A response that claims a pass does not turn the failure into one.
    let ev = RESPONSE
        .replace("result: exception", "result: pass")
        .replace("  exception:\n    description: Sven approved his own pull request with his admin account.\n    management_response: Quokkaresponse the admin account lost review rights.\n", "  summary: Sven says it was fine.\n");
    fs::write(p.path().join("evidence/sources.yaml"), ev).unwrap();
    let doc = sample_json(p.path(), "CM-01");
    let s = doc["sample"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "gh-platform-prs:platform#4102")
        .unwrap();
    assert_eq!(s["result"], "exception");
    // The text output names the source of the population and lists the deviations with their
    // responses.
    let o = run(p.path(), &["sample", "CM-01"]);
    let text = String::from_utf8(o.stdout).unwrap();
    let sha = sha256_hex(
        &fs::read(crate::common::fixture(
            "sources/github/platform-2026h1.json",
        ))
        .unwrap(),
    );
    assert!(
        text.contains(&format!(
            "population     11 items: the items in the period of the source gh-platform-prs \
             (github-pulls, sources/github/platform-2026h1.json, sha256 {sha})\n               \
             item id = <source id>:<item key>\n"
        )),
        "{text}"
    );
    assert!(
        text.contains("7 deviations over the whole population"),
        "{text}"
    );
    assert!(
        text.contains("gh-platform-prs:platform#4102  sampled    approved-before-merge:"),
        "{text}"
    );
    assert!(text.contains("(response: EV-PR-4102)"), "{text}");
}

/// Every path under `dir`, relative to it.
fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            out.push(path.strip_prefix(dir).unwrap().display().to_string());
            if path.is_dir() {
                todo.push(path);
            }
        }
    }
    out
}

/// Builds `root` into a new temporary output folder; panics unless the build succeeds.
fn build(root: &Path, args: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let o = crate::common::bin()
        .arg("--content")
        .arg(root)
        .arg("--out")
        .arg(out.path())
        .arg("build")
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

#[test]
fn provenance_results_and_deviations_are_on_the_pages() {
    let p = pack();
    let out = build(p.path(), &[]);
    let page = fs::read_to_string(out.path().join("soc2/controls/CM-01.html")).unwrap();
    let export = fs::read(crate::common::fixture(
        "sources/github/platform-2026h1.json",
    ))
    .unwrap();
    let sha = sha256_hex(&export);
    // Kind, file linked to its copy in the bundle, SHA-256, rows, dates, extraction, command.
    for fact in [
        "<code>gh-platform-prs</code> · github-pulls",
        &format!("<a href=\"../files/{sha}.json\">sources/github/platform-2026h1.json</a>"),
        &format!("<code class=\"digest\">{sha}</code>"),
        "<dt>Rows read</dt><dd>13 <span class=\"muted\">(13 items, 11 in the period)</span>",
        "earliest <time>2025-12-30</time>, latest <time>2026-07-01</time>",
        "<time>2026-07-01T08:12:00+00:00</time> by",
        "gh pr list --repo northwind/platform --state merged --limit 5000",
        "no gap found",
    ] {
        assert!(page.contains(fact), "{fact} missing from the CM-01 page");
    }
    assert_eq!(
        fs::read(out.path().join(format!("soc2/files/{sha}.json"))).unwrap(),
        export
    );
    assert_eq!(
        fs::read(out.path().join(format!("iso27001/files/{sha}.json"))).unwrap(),
        export
    );
    // Every export is stored from the one read that parsed it: each bundle's copy is the
    // export byte for byte, named by the SHA-256 its control page shows, and the copies made
    // during that read are gone from the output.
    for (rel, control) in [
        ("sources/jira/sec-2026h1.csv", "AC-03"),
        ("sources/aws/credential-report-2026-07-01.csv", "KEY-01"),
        ("sources/csv/db-changes-2026h1.csv", "CM-04"),
    ] {
        let export = fs::read(crate::common::fixture(rel)).unwrap();
        let sha = sha256_hex(&export);
        let page =
            fs::read_to_string(out.path().join(format!("soc2/controls/{control}.html"))).unwrap();
        assert!(
            page.contains(&format!("<code class=\"digest\">{sha}</code>")),
            "{rel}: SHA-256 on the {control} page"
        );
        for bundle in ["soc2", "iso27001"] {
            let copy = out.path().join(format!("{bundle}/files/{sha}.csv"));
            assert_eq!(fs::read(&copy).unwrap(), export, "{}", copy.display());
        }
    }
    let names: Vec<String> = walk(out.path())
        .into_iter()
        .filter(|p| p.contains("export"))
        .collect();
    assert!(names.is_empty(), "copies left in the output: {names:?}");
    // Attribute results of sampled items, and every deviation with its response beside it.
    assert!(page.contains("✗ approved-before-merge"), "results");
    assert!(page.contains("✓ allowed-base"), "results");
    assert!(page.contains("found 7 deviations"), "deviations");
    let row = page
        .split("<tr>")
        .find(|r| r.contains(">gh-platform-prs:platform#4102<"))
        .unwrap();
    assert!(row.contains("EV-PR-4102"), "{row}");
    // Untrusted cells stay text: the formula title and the `<`, `&` of another.
    assert!(!page.contains("<script"), "no markup from the export");
    assert!(page.contains("&lt;"), "escaped");
    assert!(
        page.contains("=HYPERLINK("),
        "the formula title is shown as text"
    );
    // The ISO page: one line with the facts and a link.
    let iso = fs::read_to_string(out.path().join("iso27001/controls/CM-01.html")).unwrap();
    let line = iso.split("<li class=\"source\">").nth(1).unwrap();
    assert!(
        line.contains(&format!("<a href=\"../files/{sha}.json\">")),
        "{line}"
    );
    assert!(
        line.contains(&sha) && line.contains("13 rows read, 11 in the period"),
        "{line}"
    );
    assert!(
        line.contains("#provenance\">provenance and deviations</a>"),
        "{line}"
    );
    // Completeness warnings of the Jira export (extracted before the period ended by UTC? no:
    // its last item is the period's last hour) are absent, the KEY-01 page says none either.
    let key = fs::read_to_string(out.path().join("soc2/controls/KEY-01.html")).unwrap();
    assert!(key.contains("aws-iam-credential-report"));
    assert!(key.contains("aws-prod-credentials:ci-deployer/key1"));
    // The unknown key owner, by its account, among the facts of the export (one, not the
    // accounts people and identities claim).
    let unclaimed: Vec<&str> = key.split("<li class=\"unclaimed\">").skip(1).collect();
    assert_eq!(unclaimed.len(), 1, "{key}");
    assert!(
        unclaimed[0].contains("<code>legacy-export</code>: 1 active key that no identity"),
        "{}",
        unclaimed[0]
    );
    let iso_key = fs::read_to_string(out.path().join("iso27001/controls/KEY-01.html")).unwrap();
    let line = iso_key.split("<li class=\"source\">").nth(1).unwrap();
    assert!(line.contains("1 unclaimed account<"), "{line}");
    assert!(!line.contains("completeness warning"), "{line}");
    assert!(
        !page.contains("unclaimed"),
        "GitHub has no inventory finding"
    );
}

#[test]
fn formula_cells_stay_inert_in_the_csv_files() {
    // Formulas where the pack's own text reaches the two spreadsheets: a control title
    // (controls.csv, and the request list's control_title), a person's name (owner_name,
    // operator) and an occurrence's title (item_title); the exports' formula titles stay on
    // the pages as text (provenance_results_and_deviations_are_on_the_pages).
    let p = pack();
    let root = p.path();
    let hyperlink = r#"=HYPERLINK("https://evil.example/x","Weekly review")"#;
    let calc = "+cmd|' /C calc'!A0";
    let edit = |rel: &str, from: &str, to: &str| {
        let text = fs::read_to_string(root.join(rel)).unwrap();
        assert!(text.contains(from), "{rel}: {from}");
        fs::write(root.join(rel), text.replace(from, to)).unwrap();
    };
    edit(
        "controls/controls.yaml",
        "title: Weekly review of security alerts",
        &format!("title: '{hyperlink}'"),
    );
    edit(
        "evidence/2026.yaml",
        "title: Rotated the deploy key",
        &format!("title: \"{calc}\""),
    );
    edit(
        "people.yaml",
        "name: Amara Okafor",
        "name: \"@Amara Okafor\"",
    );
    let out = build(root, &[]);
    for (csv, planted) in [
        ("soc2/controls.csv", vec![hyperlink, "@Amara Okafor"]),
        (
            "soc2/request-list.csv",
            vec![hyperlink, calc, "@Amara Okafor"],
        ),
    ] {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(out.path().join(csv))
            .unwrap();
        let cells: Vec<String> = r
            .records()
            .flat_map(|rec| rec.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
            .collect();
        for cell in &cells {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{csv}: a cell starts a formula: {cell}"
            );
        }
        for text in planted {
            let inert = format!("'{text}");
            assert!(cells.contains(&inert), "{csv}: {inert} missing");
        }
    }
}

#[test]
fn the_credential_report_feeds_the_identity_pages() {
    let p = pack();
    let out = build(p.path(), &[]);
    let page = |id: &str| {
        fs::read_to_string(out.path().join(format!("iso27001/identities/{id}.html"))).unwrap()
    };
    let stale = page("svc-ci-deployer");
    let line = stale
        .split("<li class=\"credential-key\">")
        .nth(1)
        .expect("the key line");
    assert!(line.contains("<code>ci-deployer/key1</code>"), "{line}");
    assert!(line.contains("<time>2026-01-15</time>"), "{line}");
    assert!(line.contains("✗ key-rotated"), "{line}");
    let unused = page("svc-backup");
    assert!(unused.contains("✗ key-used"), "the unused key");
    let clean = page("svc-terraform");
    assert!(clean.contains("<code>terraform/key1</code>"));
    assert!(
        !clean.contains("badge-exception\">deviation"),
        "terraform's keys pass"
    );
    // An identity that claims no IAM user shows no key facts.
    assert!(!page("gha-token").contains("credential-key"));
}

#[test]
fn an_audience_below_a_sources_classification_sees_counts_and_outcomes_not_items() {
    let p = pack();
    let pack_yaml = fs::read_to_string(p.path().join("pack.yaml")).unwrap();
    let confidential = pack_yaml.replacen(
        "    options: { base_branches: [main, release/*] }",
        "    options: { base_branches: [main, release/*] }\n    classification: confidential",
        1,
    );
    assert_ne!(confidential, pack_yaml);
    fs::write(p.path().join("pack.yaml"), confidential).unwrap();
    crate::common::customer_sees_every_section(&p.path().join("pack.yaml"));
    let out = build(p.path(), &["--audience", "customer"]);
    let page = fs::read_to_string(out.path().join("soc2/controls/CM-01.html")).unwrap();
    // Counts, provenance and outcomes stay; every key, title, link and reason goes.
    for kept in [
        "<dt>Rows read</dt><dd>13 <span class=\"muted\">(13 items, 11 in the period)</span>",
        "found 7 deviations",
        "✗ approved-before-merge",
        "✓ allowed-base",
        "gh-platform-prs:withheld",
    ] {
        assert!(page.contains(kept), "{kept} missing from the CM-01 page");
    }
    for gone in [
        "gh-platform-prs:platform#",
        "Widen the support role",
        "HYPERLINK",
        "github.com/northwind",
        "is the author",
    ] {
        assert!(
            !page.contains(gone),
            "{gone} reached the customer's CM-01 page"
        );
    }
    let population = fs::read_to_string(out.path().join("soc2/populations/CM-01.txt")).unwrap();
    assert!(population.starts_with("# withheld"), "{population}");
    assert!(!population.contains("platform#"), "{population}");
    // The export itself stays out of the bundle; other sources' items stay visible.
    let sha = sha256_hex(
        &fs::read(crate::common::fixture(
            "sources/github/platform-2026h1.json",
        ))
        .unwrap(),
    );
    assert!(!out.path().join(format!("soc2/files/{sha}.json")).exists());
    let key = fs::read_to_string(out.path().join("soc2/controls/KEY-01.html")).unwrap();
    assert!(key.contains("aws-prod-credentials:ci-deployer/key1"));
    assert!(key.contains("<code>legacy-export</code>: 1 active key"));

    // The credential report confidential too: its unclaimed account is counted, never named.
    let pack_yaml = fs::read_to_string(p.path().join("pack.yaml")).unwrap();
    let both = pack_yaml.replacen(
        "    extracted_by: sven\n    command: aws iam",
        "    extracted_by: sven\n    classification: confidential\n    command: aws iam",
        1,
    );
    assert_ne!(both, pack_yaml);
    fs::write(p.path().join("pack.yaml"), both).unwrap();
    let out = build(p.path(), &["--audience", "customer"]);
    let key = fs::read_to_string(out.path().join("soc2/controls/KEY-01.html")).unwrap();
    assert!(key.contains("<code>withheld</code>: 1 active key"), "{key}");
    assert!(!key.contains("legacy-export"), "{key}");
}

#[test]
fn the_soc2_identities_page_shows_the_credential_facts_the_iso_page_shows() {
    let p = pack();
    let out = build(p.path(), &[]);
    let key_line = |page: &str| -> String {
        page.split("<li class=\"credential-key\">")
            .nth(1)
            .and_then(|rest| rest.split("</li>").next())
            .unwrap_or_else(|| panic!("no credential key line"))
            .to_string()
    };
    let iso =
        fs::read_to_string(out.path().join("iso27001/identities/svc-ci-deployer.html")).unwrap();
    let soc2 = fs::read_to_string(out.path().join("soc2/identities.html")).unwrap();
    let section = soc2
        .split("<h2 id=\"svc-ci-deployer\">")
        .nth(1)
        .expect("the identity's section")
        .split("<h2 ")
        .next()
        .unwrap();
    let line = key_line(section);
    // Rotated 2026-01-15T09:12:44Z, reported 2026-07-01T09:00:00Z: 166 whole days, as the
    // key-rotated test counts; last used 2026-06-30T23:10:00Z.
    for fact in [
        "<code>ci-deployer/key1</code>",
        "last rotated <time>2026-01-15</time>",
        "166 days old at the report of <time>2026-07-01</time>",
        "last used <time>2026-06-30</time>",
        "(aws-prod-credentials)",
        "✗ key-rotated (166 days old at the report time",
        "✓ key-used",
    ] {
        assert!(line.contains(fact), "{fact} missing from {line}");
    }
    // One view model and one macro: both bundles state the key in the same words.
    assert_eq!(line, key_line(&iso));
    // An identity that claims no IAM user shows no key facts.
    let gha = soc2
        .split("<h2 id=\"gha-token\">")
        .nth(1)
        .unwrap()
        .split("<h2 ")
        .next()
        .unwrap();
    assert!(!gha.contains("credential-key"), "{gha}");
}

/// `check --format json --as-of DATE` of `root`: `(code, message)` of every diagnostic.
fn diags_as_of(root: &Path, as_of: Option<&str>) -> Vec<(String, String)> {
    let mut args = vec!["check", "--format", "json"];
    if let Some(d) = as_of {
        args.extend(["--as-of", d]);
    }
    let o = run(root, &args);
    let v: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    v.iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn sources_are_evaluated_at_the_as_of_date() {
    let p = pack();
    let root = p.path();
    // The population: only the pull requests merged by the as-of date, digested and ranked as
    // any population is.
    let as_of = "2026-03-31";
    let population: Vec<(String, String)> = github_population()
        .into_iter()
        .filter(|(_, d)| d.as_str() <= as_of)
        .collect();
    assert!(population.len() < github_population().len());
    let o = run(
        root,
        &["sample", "CM-01", "--format", "json", "--as-of", as_of],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let (digest, _) = expected("CM-01", &population);
    assert_eq!(doc["population"]["size"], population.len());
    assert_eq!(doc["population"]["digest"], digest.as_str());
    let items: Vec<&str> = doc["population"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(items.len(), population.len());
    assert_eq!(
        doc["population"]["sources"][0]["provenance"]["items_in_period"],
        population.len()
    );
    // Deviations of later items (platform#4108 merged into another base, platform#4110 approved
    // by nobody the pack knows) are not the population's yet; earlier ones are.
    let deviations: Vec<&str> = doc["deviations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert!(
        deviations.contains(&"gh-platform-prs:platform#4102"),
        "{deviations:?}"
    );
    assert!(
        deviations
            .iter()
            .all(|d| population.iter().any(|(id, _)| id == d)),
        "{deviations:?}"
    );
    let full = sample_json(root, "CM-01");
    assert!(full["deviations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["id"] == "gh-platform-prs:platform#4110"));

    // Completeness: an export taken on 2 April covers a pack evaluated at 31 March, and not one
    // evaluated at the period's end.
    let pack_yaml = fs::read_to_string(root.join("pack.yaml")).unwrap().replace(
        "extracted_at: 2026-07-01T08:12:00Z",
        "extracted_at: 2026-04-02T08:00:00Z",
    );
    fs::write(root.join("pack.yaml"), pack_yaml).unwrap();
    let incomplete = |as_of| -> Vec<String> {
        diags_as_of(root, as_of)
            .into_iter()
            .filter(|d| d.0 == "W120")
            .map(|d| d.1)
            .collect()
    };
    let at_end = incomplete(None);
    assert_eq!(at_end.len(), 1, "{at_end:?}");
    assert!(
        at_end[0].contains("`gh-platform-prs`") && at_end[0].contains("extracted on 2026-04-02"),
        "{at_end:?}"
    );
    assert_eq!(incomplete(Some(as_of)), Vec::<String>::new());
    // Extracted on the as-of date itself, the day is not over: still a gap.
    assert_eq!(incomplete(Some("2026-04-02")).len(), 1);
    // The pages state it: the SOC 2 page in words, the ISO page's line as a count.
    let out = build(root, &[]);
    let soc2 = fs::read_to_string(out.path().join("soc2/controls/CM-01.html")).unwrap();
    let completeness = soc2
        .split("<dt>Completeness</dt>")
        .nth(1)
        .unwrap()
        .split("</dd>")
        .next()
        .unwrap();
    assert!(completeness.contains("2026-04-02"), "{completeness}");
    assert!(!soc2.contains("no gap found"), "{completeness}");
    let iso = fs::read_to_string(out.path().join("iso27001/controls/CM-01.html")).unwrap();
    let line = iso.split("<li class=\"source\">").nth(1).unwrap();
    assert!(line.contains(">1 completeness warning<"), "{line}");
}

#[test]
fn the_example_pack_reads_its_systems_of_record_on_both_bundles() {
    // What the README says of the example pack: each control's population from its exports,
    // with the deviations and responses it names, and every source on the control's SOC 2 page
    // (provenance) and ISO 27001 page (one line).
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let out = build(&content, &[]);
    for (control, size, deviations, response) in [
        ("CM-01", 683, 6, Some("EV-2026-0533")),
        ("AC-03", 126, 3, None),
        ("HR-01", 15, 0, None),
        ("NHI-06", 4, 2, Some("EV-2026-0972")),
    ] {
        let doc = sample_json(&content, control);
        assert_eq!(doc["population"]["from"], "sources", "{control}");
        assert_eq!(doc["population"]["size"], size, "{control}");
        let found = doc["deviations"].as_array().unwrap();
        assert_eq!(found.len(), deviations, "{control}: {found:#?}");
        let answered: Vec<&Value> = found
            .iter()
            .flat_map(|d| d["responses"].as_array().unwrap())
            .collect();
        assert_eq!(
            answered,
            response.map(Value::from).iter().collect::<Vec<_>>(),
            "{control}"
        );
        let soc2 =
            fs::read_to_string(out.path().join(format!("soc2/controls/{control}.html"))).unwrap();
        let iso = fs::read_to_string(out.path().join(format!("iso27001/controls/{control}.html")))
            .unwrap();
        let sources = doc["population"]["sources"].as_array().unwrap();
        assert!(!sources.is_empty(), "{control}");
        for s in sources {
            let id = s["id"].as_str().unwrap();
            let sha = s["provenance"]["sha256"].as_str().unwrap();
            let block = soc2
                .split(&format!("<dl class=\"facts source\" id=\"source-{id}\">"))
                .nth(1)
                .unwrap_or_else(|| panic!("{control}: no provenance of {id}"));
            let block = block.split("</dl>").next().unwrap();
            assert!(block.contains(sha), "{control}: {id}");
            assert!(
                block.contains(&format!("href=\"../files/{sha}.")),
                "{control}: {id} is linked to its copy"
            );
            let line = iso
                .split("<li class=\"source\">")
                .find(|l| l.starts_with(&format!("<code>{id}</code>")))
                .unwrap_or_else(|| panic!("{control}: no ISO line for {id}"));
            assert!(line.contains(sha), "{control}: {id}");
        }
        if deviations > 0 {
            assert!(
                soc2.contains(&format!("found {deviations} deviation")),
                "{control}"
            );
        }
    }
}
