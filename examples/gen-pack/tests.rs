//! Whole-pack tests: the generator is deterministic, and what it writes checks clean with the
//! library's own `check`. They run with `cargo test` (`test = true` in Cargo.toml).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use clap::Parser;

use evidencepack::content::AttachmentKind;

use crate::{generate, Params};

fn params(out: &Path, extra: &[&str]) -> Params {
    let mut args = vec![
        "gen-pack",
        "--out",
        out.to_str().unwrap(),
        "--evidence",
        "200",
        "--attachments-mb",
        "2",
    ];
    args.extend_from_slice(extra);
    Params::parse_from(args)
}

/// Every file under `dir` with its bytes, by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

const ALL_SOURCES: [&str; 4] = [
    "--source-rows",
    "300",
    "--source-kinds",
    "csv,jira-csv,github-pulls,aws-iam-credential-report",
];

#[test]
fn same_seed_and_parameters_give_byte_identical_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    let extra: Vec<&str> = ALL_SOURCES
        .iter()
        .copied()
        .chain(["--per-file", "3"])
        .collect();
    generate(&params(&a, &extra)).unwrap();
    generate(&params(&b, &extra)).unwrap();
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(ta.len() > 100, "{} files", ta.len());
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (path, bytes) in &ta {
        assert!(bytes == &tb[path], "{path} differs between two runs");
    }
    // Another seed gives another pack of the same shape.
    let mut other: Vec<&str> = extra.clone();
    other.extend(["--seed", "2"]);
    generate(&params(&c, &other)).unwrap();
    let tc = tree(&c);
    assert_ne!(ta["people.yaml"], tc["people.yaml"]);
    assert_ne!(
        ta["sources/jira/sec-all-fields.csv"],
        tc["sources/jira/sec-all-fields.csv"]
    );
}

#[test]
fn a_generated_pack_checks_clean_and_has_every_kind_of_record() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("pack");
    let summary = generate(&params(&dir, &ALL_SOURCES)).unwrap();
    let checked = evidencepack::build::check::load_and_check(&dir).unwrap();
    let errors: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == evidencepack::diag::Severity::Error)
        .map(ToString::to_string)
        .collect();
    assert!(
        errors.is_empty(),
        "{} errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
    let c = &checked.content;
    assert_eq!(c.evidence.len(), 200);
    assert_eq!(c.policies.len(), 20);
    assert_eq!(c.controls.len(), 60);
    assert_eq!(c.risks.len(), 30);
    assert_eq!(c.identities.len(), 40);
    assert_eq!(c.reviews.len(), 6);
    assert_eq!(c.populations.len(), 3);
    assert_eq!(
        c.populations.iter().map(|p| p.rows.len()).sum::<usize>(),
        summary.population_rows
    );
    assert_eq!(c.soa.len(), summary.soa_exclusions);
    let files = c
        .attachments
        .values()
        .filter(|a| a.kind == AttachmentKind::File);
    assert_eq!(files.count(), summary.attachments);
    assert!(summary.rotations > 0 && summary.attachments > 10);
    // Every control is mapped to all three frameworks.
    for ctl in &c.controls {
        for fw in ["iso27001-2022", "soc2-2017", "nist-csf-2.0"] {
            assert!(
                !ctl.value.maps[fw].is_empty(),
                "{} has no {fw} mapping",
                ctl.value.id
            );
        }
    }
    // Text and binary attachments.
    for ext in [".csv", ".log", ".png"] {
        assert!(
            c.attachments.keys().any(|k| k.ends_with(ext)),
            "no {ext} attachment"
        );
    }
}

#[test]
fn source_exports_follow_their_vendors_formats() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("pack");
    generate(&params(&dir, &ALL_SOURCES)).unwrap();

    // Jira: repeated headers, 300 rows of as many fields, multi-line cells, site dates.
    let mut jira = csv::Reader::from_path(dir.join("sources/jira/sec-all-fields.csv")).unwrap();
    let header = jira.headers().unwrap().clone();
    assert_eq!(header.iter().filter(|h| *h == "Labels").count(), 3);
    assert_eq!(header.iter().filter(|h| *h == "Comment").count(), 2);
    assert!(header.iter().any(|h| h == "Custom field (Approvers)"));
    let created = header.iter().position(|h| h == "Created").unwrap();
    let rows: Vec<csv::StringRecord> = jira.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 300);
    assert!(rows.iter().all(|r| r.len() == header.len()));
    assert!(rows.iter().any(|r| r.iter().any(|f| f.contains('\n'))));
    for r in &rows {
        chrono::NaiveDateTime::parse_from_str(&r[created], "%d/%b/%y %I:%M %p").unwrap();
    }

    // Generic CSV: a header row and 300 rows.
    let mut changes = csv::Reader::from_path(dir.join("sources/changes/change-log.csv")).unwrap();
    assert_eq!(changes.headers().unwrap().len(), 6);
    assert_eq!(changes.records().count(), 300);

    // gh pr list --json: one array of 300, newest first, the requested fields only.
    let prs: Vec<serde_json::Value> =
        serde_json::from_slice(&fs::read(dir.join("sources/github/platform-prs.json")).unwrap())
            .unwrap();
    assert_eq!(prs.len(), 300);
    let keys: Vec<&str> = prs[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "author",
            "baseRefName",
            "createdAt",
            "mergedAt",
            "mergedBy",
            "number",
            "reviews",
            "title",
            "url"
        ]
    );
    assert!(prs[0]["number"].as_u64() > prs[1]["number"].as_u64());
    assert!(prs.iter().any(|p| p["author"]["is_bot"] == true));

    // AWS credential report: 22 columns, root first.
    let mut aws = csv::Reader::from_path(dir.join("sources/aws/credential-report.csv")).unwrap();
    assert_eq!(aws.headers().unwrap().len(), 22);
    let users: Vec<csv::StringRecord> = aws.records().map(Result::unwrap).collect();
    assert_eq!(&users[0][0], "<root_account>");
    assert!(users.iter().all(|u| u.len() == 22));
}

#[test]
fn declared_sources_name_files_and_controls_that_exist() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("pack");
    let extra: Vec<&str> = ALL_SOURCES
        .iter()
        .copied()
        .chain(["--declare-sources"])
        .collect();
    generate(&params(&dir, &extra)).unwrap();
    let pack: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(&fs::read_to_string(dir.join("pack.yaml")).unwrap()).unwrap();
    let declared = pack["sources"].as_sequence().unwrap();
    let kinds: Vec<&str> = declared
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "csv",
            "jira-csv",
            "github-pulls",
            "aws-iam-credential-report"
        ]
    );
    let controls: String = fs::read_dir(dir.join("controls"))
        .unwrap()
        .map(|e| fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    let mut used = Vec::new();
    for s in declared {
        assert!(dir.join(s["file"].as_str().unwrap()).is_file());
        let control = s["control"].as_str().unwrap();
        assert!(
            controls.contains(&format!("- id: {control}\n")),
            "{control}"
        );
        assert!(!used.contains(&control), "{control} has two sources");
        assert!(!dir.join(format!("populations/{control}.csv")).exists());
        used.push(control);
    }
    let people = fs::read_to_string(dir.join("people.yaml")).unwrap();
    assert!(people.contains("accounts: { github: "));
    // Without the flag, pack.yaml stays what `check` accepts today.
    let plain = tmp.path().join("plain");
    generate(&params(&plain, &ALL_SOURCES)).unwrap();
    assert!(!fs::read_to_string(plain.join("pack.yaml"))
        .unwrap()
        .contains("sources:"));
}
