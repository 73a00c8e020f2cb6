//! Default classification (issue 14 items 5 and 7): a record without `classification` counts
//! as pack.yaml's `default_classification`, else as the most restrictive level the audiences
//! use, never silently as `internal`; `check` warns with the count (W150); the redaction log
//! names the records; a withheld record's page never says it has no files.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{bin, copy_tree, fixture};

/// A copy of the audience fixture with pack.yaml's `default_classification` line replaced by
/// `line` (empty: none).
fn pack_with(line: &str) -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let content = d.path().join("content");
    copy_tree(&fixture("pack-audience"), &content);
    let yaml = fs::read_to_string(content.join("pack.yaml")).unwrap();
    assert!(yaml.contains("default_classification: internal\n"));
    let yaml = yaml.replace("default_classification: internal\n", line);
    fs::write(content.join("pack.yaml"), yaml).unwrap();
    (d, content)
}

fn check(content: &Path) -> Vec<serde_json::Value> {
    let o = bin()
        .arg("--content")
        .arg(content)
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

fn build_customer(content: &Path) -> PathBuf {
    let out = content.parent().unwrap().join("dist");
    let o = bin()
        .arg("--content")
        .arg(content)
        .arg("--out")
        .arg(&out)
        .args(["build", "--audience", "customer"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

/// The records of the fixture that give no classification (policies, evidence, identities,
/// reviews), counted from the files.
const UNCLASSIFIED: usize = 10;

#[test]
fn without_a_default_unclassified_records_take_the_most_restrictive_audience_level() {
    let (_d, content) = pack_with("");
    let w150: Vec<_> = check(&content)
        .into_iter()
        .filter(|d| d["code"] == "W150")
        .collect();
    assert_eq!(w150.len(), 1, "{w150:?}");
    let message = w150[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with(&format!(
            "{UNCLASSIFIED} records give no classification and count as `confidential`"
        )),
        "{message}"
    );
    assert!(w150[0]["path"].as_str().unwrap().ends_with("/pack.yaml"));

    // The customer (internal) no longer sees them: EV-0001 is one, with a title of its own.
    let out = build_customer(&content);
    let log = fs::read_to_string(out.join("iso27001/redactions.html")).unwrap();
    assert!(
        log.contains("gives no classification, so counts as confidential"),
        "{log}"
    );
    assert!(log.contains(&format!(
        "{UNCLASSIFIED} records give no <code>classification</code>"
    )));
    let pack: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("pack.json")).unwrap()).unwrap();
    let withheld_before = 5; // the fixture's confidential and restricted records
    assert_eq!(
        pack["withheld_records"].as_u64().unwrap() as usize,
        withheld_before + UNCLASSIFIED
    );
}

#[test]
fn a_pack_default_is_used_without_a_warning_and_the_log_still_names_the_records() {
    let (_d, content) = pack_with("default_classification: public\n");
    assert!(check(&content).iter().all(|d| d["code"] != "W150"));
    let out = build_customer(&content);
    let log = fs::read_to_string(out.join("soc2/redactions.html")).unwrap();
    assert!(
        log.contains(&format!("{UNCLASSIFIED} records give no <code>classification</code> and count as <strong>public</strong>, the pack&#x27;s default_classification")),
        "{log}"
    );
    assert_eq!(log.matches("<td>shown</td>").count(), UNCLASSIFIED);
}

#[test]
fn a_withheld_records_page_never_says_it_has_no_files() {
    let (_d, content) = pack_with("default_classification: internal\n");
    let out = build_customer(&content);
    // EV-C1 is confidential and names two attachments.
    let page = fs::read_to_string(out.join("iso27001/evidence/EV-C1.html")).unwrap();
    assert!(!page.contains("No files are attached"), "{page}");
    assert!(page.contains("withheld from this pack, with any files attached to it"));
    // The SOC 2 page of the same record says it is withheld, and nothing about attachments.
    let page = fs::read_to_string(out.join("soc2/evidence/EV-C1.html")).unwrap();
    assert!(!page.contains("No attachments"), "{page}");
    assert!(page.contains("Withheld from this pack: the record is classified confidential"));
}
