//! Audience sections (issue 14 item 6): `audiences.<name>.sections` in pack.yaml chooses the
//! parts of the bundles each audience receives. The customer build of the example pack holds
//! only the customer sections and no record above its ceiling, links to what it lacks read as
//! withheld, and its links (folders and zips) all resolve; a `board` audience gets exactly the
//! sections it lists; an unknown section name and an undeclared audience are one error each at
//! their place in pack.yaml.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{bin, broken_links, build_into_temp, copy_tree, files, fixture, unpack};

/// The example pack.
fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

/// The top-level entries of a bundle folder (`controls`, `soa.html`), sorted.
fn top_level(bundle: &Path) -> Vec<String> {
    let mut names: Vec<String> = files(bundle)
        .into_iter()
        .map(|f| f.split('/').next().unwrap().to_string())
        .filter(|f| !f.starts_with("assets"))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The titles of the example pack's records classified above `internal` (evidence, identities,
/// reviews), read from their files.
fn titles_above_internal(content: &Path) -> Vec<String> {
    let mut titles = Vec::new();
    for rel in files(content) {
        let text = fs::read_to_string(content.join(&rel)).unwrap_or_default();
        let yaml = match rel.strip_suffix(".md") {
            Some(_) => text.split("---").nth(1).unwrap_or("").to_string(),
            None if rel.ends_with(".yaml") => text,
            None => continue,
        };
        let Ok(v) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&yaml) else {
            continue;
        };
        let records = match v {
            serde_yaml_ng::Value::Sequence(s) => s,
            other => vec![other],
        };
        for r in records {
            let class = r.get("classification").and_then(|c| c.as_str());
            if matches!(class, Some("confidential" | "restricted")) {
                let title = r.get("title").and_then(|t| t.as_str());
                titles.extend(title.filter(|t| t.len() > 12).map(str::to_string));
            }
        }
    }
    titles
}

#[test]
fn the_customer_pack_of_the_example_holds_only_its_sections() {
    let (_d, out) = build_into_temp(&example(), &["--audience", "customer"]);
    assert_eq!(
        top_level(&out.join("iso27001")),
        [
            "controls",
            "csf.html",
            "index.html",
            "manifest-sha256.txt",
            "policies",
            "redactions.html",
            "soa.html"
        ]
    );
    assert_eq!(
        top_level(&out.join("soc2")),
        [
            "controls",
            "controls.csv",
            "criteria.html",
            "index.html",
            "manifest-sha256.txt",
            "policies",
            "redactions.html",
            "system.html"
        ]
    );

    // No record above the customer's ceiling (internal), in any file of either bundle.
    let titles = titles_above_internal(&example());
    assert!(titles.len() >= 10, "{titles:?}");
    for bundle in ["iso27001", "soc2"] {
        for rel in files(&out.join(bundle)) {
            let text = fs::read_to_string(out.join(bundle).join(&rel)).unwrap_or_default();
            for t in &titles {
                assert!(!text.contains(t.as_str()), "{bundle}/{rel} shows `{t}`");
            }
        }
    }

    // Links to withheld sections read as withheld, in the navigation and in the text.
    let index = fs::read_to_string(out.join("iso27001/index.html")).unwrap();
    assert!(index.contains(r#"<li><span class="withheld">Risks (withheld)</span></li>"#));
    assert!(
        index.contains("Routewise Desktop"),
        "the scope is the customer's"
    );
    let soc2 = fs::read_to_string(out.join("soc2/index.html")).unwrap();
    assert!(
        soc2.contains(
            r#"<span class="withheld">Request list (withheld from this pack)</span> of sampled"#
        ) && soc2.contains(r#"<li><span class="withheld">Request list (withheld)</span></li>"#)
    );
    assert!(soc2.contains("The draft of management's assertion is withheld from this pack."));
    assert!(!soc2.contains("We confirm, to the best of our knowledge"));
    let control = fs::read_to_string(out.join("soc2/controls/AC-01.html")).unwrap();
    assert!(control.contains("The population, its provenance and the sample are withheld"));
    assert!(!control.contains("Ranking hash"));
    assert!(control.contains(r#"<h3 id="conclusion">"#));
    let log = fs::read_to_string(out.join("soc2/redactions.html")).unwrap();
    assert!(log.contains(
        "<strong>clauses, risks, identities, reviews, evidence, exceptions, sampling, request-list, assertion</strong>"
    ));

    // Every link still resolves: in the folders, and in each zip unpacked alone.
    for bundle in ["iso27001", "soc2"] {
        assert_eq!(broken_links(&out, bundle, false), Vec::<String>::new());
    }
    for zip in fs::read_dir(&out).unwrap() {
        let zip = zip.unwrap().path();
        if zip.extension().is_some_and(|e| e == "zip") {
            let dest = tempfile::tempdir().unwrap();
            let bag = unpack(&zip, dest.path());
            let data = bag.join("data");
            assert!(!data.join("evidence").exists() && !data.join("files").exists());
            assert_eq!(
                crate::common::broken_links(&bag, "data", true),
                Vec::<String>::new()
            );
        }
    }
}

/// A copy of `fixtures/check/valid` with pack.yaml's `audiences:` replaced by `audiences`.
fn pack_with_audiences(audiences: &str) -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let content = d.path().join("content");
    copy_tree(&fixture("check/valid"), &content);
    let path = content.join("pack.yaml");
    let declared = "audiences:\n  auditor: { max_classification: confidential }\n  customer: { max_classification: internal }\n";
    let yaml = fs::read_to_string(&path).unwrap();
    assert!(yaml.contains(declared));
    let yaml = yaml.replace(declared, audiences);
    fs::write(&path, yaml).unwrap();
    (d, content)
}

#[test]
fn a_board_audience_gets_the_sections_it_lists() {
    let (_d, content) = pack_with_audiences(
        "audiences:\n  auditor: { max_classification: confidential }\n  board:\n    max_classification: confidential\n    sections: [risks, soa, reviews, assertion]\n",
    );
    let (_o, out) = build_into_temp(&content, &["--audience", "board"]);
    let iso = top_level(&out.join("iso27001"));
    for present in ["index.html", "risks", "soa.html", "improvement.html"] {
        assert!(iso.contains(&present.to_string()), "{present} in {iso:?}");
    }
    for absent in ["controls", "policies", "evidence", "csf.html", "identities"] {
        assert!(!iso.contains(&absent.to_string()), "{absent} in {iso:?}");
    }
    assert_eq!(
        top_level(&out.join("soc2")),
        [
            "index.html",
            "manifest-sha256.txt",
            "redactions.html",
            "risks"
        ]
    );
    let index = fs::read_to_string(out.join("iso27001/index.html")).unwrap();
    assert!(index.contains("The scope statement, its boundaries and its exclusions are withheld"));
    let soc2 = fs::read_to_string(out.join("soc2/index.html")).unwrap();
    assert!(soc2.contains("We confirm, to the best of our knowledge"));
    assert!(soc2.contains(r#"<li><span class="withheld">Controls (withheld)</span></li>"#));
    for bundle in ["iso27001", "soc2"] {
        assert_eq!(broken_links(&out, bundle, false), Vec::<String>::new());
    }
    // The same pack's auditor still gets everything.
    let (_o, all) = build_into_temp(&content, &[]);
    assert!(all.join("iso27001/controls/index.html").is_file());
    assert!(all.join("soc2/request-list.csv").is_file());
}

#[test]
fn an_unknown_section_name_is_one_error_at_its_line() {
    let (_d, content) = pack_with_audiences(
        "audiences:\n  auditor: { max_classification: confidential }\n  board:\n    max_classification: internal\n    sections: [risks, risk-register]\n",
    );
    let line = fs::read_to_string(content.join("pack.yaml"))
        .unwrap()
        .lines()
        .position(|l| l.contains("risk-register"))
        .unwrap()
        + 1;
    let o = bin()
        .arg("--content")
        .arg(&content)
        .args(["check", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&o.stdout);
    let errors: Vec<&str> = stdout.lines().filter(|l| l.contains(": error[")).collect();
    assert_eq!(errors.len(), 1, "{stdout}");
    assert!(
        errors[0].contains(&format!("pack.yaml:{line}:"))
            && errors[0].contains("error[E003]")
            && errors[0].contains("risk-register"),
        "{}",
        errors[0]
    );
}

#[test]
fn an_undeclared_audience_is_an_error_at_the_audiences_of_pack_yaml() {
    let (_d, content) = pack_with_audiences(
        "audiences:\n  auditor: { max_classification: confidential }\n  customer: { max_classification: internal }\n",
    );
    let line = fs::read_to_string(content.join("pack.yaml"))
        .unwrap()
        .lines()
        .position(|l| l == "audiences:")
        .unwrap()
        + 1;
    let out = content.parent().unwrap().join("dist");
    let o = bin()
        .arg("--content")
        .arg(&content)
        .arg("--out")
        .arg(&out)
        .args(["build", "--audience", "regulator", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        text.contains(&format!(
            "pack.yaml:{line}:1: error[E100]: audience `regulator` is not declared under `audiences:`; declared: auditor, customer"
        )),
        "{text}"
    );
    assert!(!out.join("iso27001").exists());
}
