//! Issue 12 items 2 and 3 on a built pack: the rotation control's population is every rotation
//! the identities' `rotation_days` required, sampled by the same SHA-256 ranking (computed
//! here); an overdue credential is a deviation on the control's page and in its counts, beside
//! management's response; an access review names the identities it covered (`identity:` as a
//! list, or the rows of its attached review CSV when it names none), each identity page shows it
//! with its reviewer (and the CSV row's decision), and a reviewer who owns the identity is the
//! `W135` segregation-of-duties warning; a CSV row naming an unknown identity is `W132`.
//!
//! The pack is `soc2-basic` (seed `harbour-2026-h1`, period 2026-01-01 to 2026-06-30) with one
//! more identity, `svc-skip` (created 2026-01-01, `rotation_days: 30`): rotated on 2026-01-25
//! (due 01-31, on time), then never again (due 02-24: overdue at the period's end), and an
//! exception record of NHI-01 naming it, management's response. NHI-01's other required
//! rotations are `svc-deploy`'s: due 04-01 counted from the period's start (its first rotation,
//! 01-10, is 101 days after its creation and nothing earlier is on record: age not evidenced)
//! and due 04-10 (rotated 04-25: late). On-event samples are set to 2, so the ranking decides.

use std::fs;
use std::path::Path;

use super::soc2::{built_from, controls_csv, expected_sample, page_sample, read, run};

const SKIP: &str = "
- id: svc-skip
  kind: api-key
  system: reporting
  owner: sven
  created_on: 2026-01-01
  rotation_days: 30
";

const RECORDS: &str = "
- id: EV-SKIP-ROT
  controls: [NHI-01]
  kind: rotation
  title: Rotated the skip key
  occurred_on: 2026-01-25
  performed_by: sven
  approved_by: amara
  identity: svc-skip
  result: pass
- id: EV-SKIP-RESP
  controls: [NHI-01]
  kind: exception
  title: Rotation of the skip key deferred
  occurred_on: 2026-03-02
  performed_by: amara
  identity: svc-skip
  result: exception
  exception:
    description: The skip key was not rotated by its due date.
    management_response: Deferred until the reporting job moves to workload identity.
- id: EV-AR-MANY
  controls: [AC-02]
  kind: access-review
  title: Review of the service credentials
  occurred_on: 2026-03-31
  performed_by: sven
  approved_by: amara
  identity: [svc-deploy, key-reporting]
  result: pass
";

/// `soc2-basic` with `svc-skip`, its records, the access review, and on-event samples of 2.
fn pack() -> tempfile::TempDir {
    let dir = super::soc2::copy();
    let path = |rel: &str| dir.path().join(rel);
    let append = |rel: &str, text: &str| {
        let mut s = read(&path(rel));
        s.push_str(text);
        fs::write(path(rel), s).unwrap();
    };
    append("identities/identities.yaml", SKIP);
    append("evidence/2026.yaml", RECORDS);
    let yaml = read(&path("pack.yaml")).replace(
        "sample_sizes: { weekly: 3 }",
        "sample_sizes: { weekly: 3, on-event: 2 }",
    );
    fs::write(path("pack.yaml"), yaml).unwrap();
    dir
}

const POPULATION: [&str; 4] = [
    "svc-deploy:2026-04-01",
    "svc-deploy:2026-04-10",
    "svc-skip:2026-01-31",
    "svc-skip:2026-02-24",
];

#[test]
fn required_rotations_are_the_population_and_the_ranking_decides_what_is_drawn() {
    let pack = pack();
    let out = built_from(pack.path(), &[]);
    let items: Vec<String> = POPULATION.iter().map(|s| s.to_string()).collect();
    let want = expected_sample("NHI-01", &items, 2);
    let page = read(&out.path().join("soc2/controls/NHI-01.html"));
    let got: Vec<(String, String)> = page_sample(&page)
        .into_iter()
        .map(|(_, id, hash)| (hash, id))
        .collect();
    assert_eq!(
        got, want,
        "the sample is the first 2 of the SHA-256 ranking"
    );
    let csv = controls_csv(out.path());
    assert_eq!(csv["NHI-01"]["population"], "4");
    // The skipped rotation is drawn exactly when its ranking puts it in the first two.
    let skipped_drawn = want.iter().any(|(_, id)| id == "svc-skip:2026-02-24");
    let sample = run(pack.path(), out.path(), &["sample", "NHI-01"]);
    let text = String::from_utf8(sample.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("svc-skip:2026-02-24"))
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(line.contains("  sampled  "), skipped_drawn, "{line}");
    assert!(
        text.contains("3 required rotations not on time over the whole population"),
        "{text}"
    );
    // Population-wide: svc-deploy's two (age not evidenced, late) and svc-skip's overdue one,
    // whatever the sample; the response and the late rotation are not counted again.
    assert_eq!(csv["NHI-01"]["deviations_in_population"], "3");
    let in_sample = want
        .iter()
        .filter(|(_, id)| id != "svc-skip:2026-01-31")
        .count();
    assert_eq!(csv["NHI-01"]["deviations_in_sample"], in_sample.to_string());
    assert_eq!(
        csv["NHI-01"]["conclusion"],
        "Management's testing: deviations found"
    );
}

#[test]
fn an_overdue_credential_is_a_deviation_of_the_rotation_control_with_its_response() {
    let pack = pack();
    let out = built_from(pack.path(), &[]);
    let page = read(&out.path().join("soc2/controls/NHI-01.html"));
    let table = &page[page.find("id=\"rotation-deviations\"").unwrap()..];
    let row = &table[table.find(">svc-skip:2026-02-24<").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains(">overdue<"), "{row}");
    assert!(row.contains(
        "Rotation of svc-skip due 2026-02-24: overdue, not rotated by 2026-06-30 (126 days past its due date)."
    ), "{row}");
    assert!(row.contains("evidence/EV-SKIP-RESP.html"), "{row}");
    assert!(
        row.contains("Deferred until the reporting job moves to workload identity."),
        "{row}"
    );
    let late = &table[table.find(">svc-deploy:2026-04-10<").unwrap()..];
    assert!(late[..late.find("</tr>").unwrap()].contains(">late<"));
    // The identities page names them apart.
    let ids = read(&out.path().join("soc2/identities.html"));
    assert!(ids.contains("<strong>1 late rotation</strong> (rotated after the due date) and <strong>1 overdue credential</strong>"), "{ids}");
    let skip = &ids[ids.find("<h2 id=\"svc-skip\">").unwrap()..];
    assert!(skip.contains("svc-skip:2026-02-24"));
    let deploy = &ids[ids.find("<h2 id=\"svc-deploy\">").unwrap()..];
    assert!(deploy.contains("age before the first rotation not evidenced"));
    let iso = read(&out.path().join("iso27001/identities/svc-skip.html"));
    assert!(iso.contains("badge-overdue"), "{iso}");
}

#[test]
fn an_access_review_covers_several_identities_and_a_reviewer_who_owns_one_is_warned() {
    let pack = pack();
    let out = tempfile::tempdir().unwrap();
    let check = run(
        pack.path(),
        out.path(),
        &["check", "--format", "json", "--color", "never"],
    );
    let diags: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let w135: Vec<&serde_json::Value> = diags
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "W135")
        .collect();
    // amara approved it and owns key-reporting; sven performed it and owns svc-deploy, but
    // the approval is someone else's.
    assert_eq!(w135.len(), 1, "{diags:#}");
    assert_eq!(
        w135[0]["message"],
        "access review `EV-AR-MANY` of identity `key-reporting` was approved by `amara`, who owns the identity: no segregation of duties"
    );
    let evidence = read(&pack.path().join("evidence/2026.yaml"));
    let approved = evidence
        .lines()
        .position(|l| l.contains("- id: EV-AR-MANY"))
        .unwrap()
        + 6;
    assert_eq!(w135[0]["line"], approved + 1, "at `approved_by`");
    assert!(evidence
        .lines()
        .nth(approved)
        .unwrap()
        .contains("approved_by: amara"));

    let out = built_from(pack.path(), &[]);
    let ids = read(&out.path().join("soc2/identities.html"));
    for id in ["svc-deploy", "key-reporting"] {
        let section = &ids[ids.find(&format!("<h2 id=\"{id}\">")).unwrap()..];
        let section = &section[..section.find("</dl>").unwrap()];
        assert!(
            section.contains("evidence/EV-AR-MANY.html"),
            "{id}: {section}"
        );
        assert!(section.contains("reviewed by"), "{section}");
        assert_eq!(
            section.contains("reviewed by its owner: no segregation of duties"),
            id == "key-reporting",
            "{id}"
        );
    }
    let iso = read(&out.path().join("iso27001/identities/key-reporting.html"));
    assert!(iso.contains("evidence/EV-AR-MANY.html"));
    assert!(iso.contains("reviewed by its owner: no segregation of duties"));
    assert!(
        iso.contains("no segregation of duties"),
        "the check warning too"
    );
}

#[test]
fn a_single_identity_and_the_identities_list_name_the_same_records() {
    // `identity: x` (the single form) and `identities: [x]` both tie a record to x.
    let pack = pack();
    let path = pack.path().join("evidence/2026.yaml");
    let yaml = read(&path).replace(
        "  identity: [svc-deploy, key-reporting]\n",
        "  identity: svc-deploy\n  identities: [key-reporting]\n",
    );
    fs::write(&path, yaml).unwrap();
    let out = built_from(pack.path(), &[]);
    let page = read(&out.path().join("soc2/evidence/EV-AR-MANY.html"));
    assert!(page.contains("<dt>Identities</dt>"), "{page}");
    assert!(page.contains("identities.html#key-reporting"));
    let iso = read(&out.path().join("iso27001/identities/key-reporting.html"));
    assert!(iso.contains("evidence/EV-AR-MANY.html"));
    assert!(Path::new(&out.path().join("soc2/identities.html")).exists());
}

const REVIEW_CSV: &str = "owner,identity,decision\nsven,svc-deploy,keep\namara,key-reporting,revoke\nnobody,ghost-key,keep\n,,\n";

const CSV_REVIEW: &str = "
- id: EV-AR-CSV
  controls: [AC-02]
  kind: access-review
  title: Quarterly inventory review
  occurred_on: 2026-04-30
  performed_by: sven
  approved_by: amara
  result: pass
  attachments: [nhi/inventory.csv]
";

/// [`pack`] with `REVIEW_CSV` under `attachments/nhi/` and `record` appended to the evidence;
/// returns the evidence file's new text.
fn with_csv_review(pack: &Path, record: &str) -> String {
    fs::create_dir_all(pack.join("attachments/nhi")).unwrap();
    fs::write(pack.join("attachments/nhi/inventory.csv"), REVIEW_CSV).unwrap();
    let mut evidence = read(&pack.join("evidence/2026.yaml"));
    evidence.push_str(record);
    fs::write(pack.join("evidence/2026.yaml"), &evidence).unwrap();
    evidence
}

#[test]
fn an_access_review_naming_no_identity_covers_the_rows_of_its_review_csv() {
    let pack = pack();
    let path = |rel: &str| pack.path().join(rel);
    let evidence = with_csv_review(pack.path(), CSV_REVIEW);

    let out = tempfile::tempdir().unwrap();
    let check = run(
        pack.path(),
        out.path(),
        &["check", "--format", "json", "--color", "never"],
    );
    assert!(check.status.success(), "warnings only");
    let diags: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let of = |code: &str| -> Vec<serde_json::Value> {
        diags
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == code)
            .cloned()
            .collect()
    };
    // The unknown id, at its cell: line 4, after `nobody,`.
    let w132 = of("W132");
    assert_eq!(w132.len(), 1, "{diags:#}");
    assert_eq!(
        w132[0]["path"],
        path("attachments/nhi/inventory.csv").to_str().unwrap()
    );
    assert_eq!(
        (&w132[0]["line"], &w132[0]["column"]),
        (&4.into(), &8.into())
    );
    assert_eq!(
        w132[0]["message"],
        "the review CSV of access review `EV-AR-CSV` names identity `ghost-key`, which is not in the pack; the row is not counted as a review"
    );
    assert_eq!(w132[0]["subjects"][0]["id"], "EV-AR-CSV");
    // amara approved the CSV review and owns key-reporting: the segregation-of-duties warning,
    // beside the one of EV-AR-MANY.
    let w135: Vec<String> = of("W135")
        .iter()
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        w135,
        [
            "access review `EV-AR-MANY` of identity `key-reporting` was approved by `amara`, who owns the identity: no segregation of duties",
            "access review `EV-AR-CSV` of identity `key-reporting` was approved by `amara`, who owns the identity: no segregation of duties",
        ]
    );

    let out = built_from(pack.path(), &[]);
    let ids = read(&out.path().join("soc2/identities.html"));
    for (id, decision) in [("svc-deploy", "keep"), ("key-reporting", "revoke")] {
        let section = &ids[ids.find(&format!("<h2 id=\"{id}\">")).unwrap()..];
        let section = &section[..section.find("</dl>").unwrap()];
        let review = &section[section.find("evidence/EV-AR-CSV.html").unwrap()..];
        let review = &review[..review.find("</li>").unwrap()];
        assert!(review.contains("approved by"), "{review}");
        assert!(
            review.contains(&format!(
                "listed in its review CSV <code>nhi/inventory.csv</code>, decision: {decision}"
            )),
            "{id}: {review}"
        );
        assert_eq!(
            review.contains("reviewed by its owner"),
            id == "key-reporting"
        );
    }
    let iso = read(&out.path().join("iso27001/identities/key-reporting.html"));
    assert!(iso.contains("evidence/EV-AR-CSV.html"));
    assert!(iso.contains("decision: revoke"), "{iso}");

    // A record that names an identity covers that one only: its CSV is supporting material.
    fs::write(
        path("evidence/2026.yaml"),
        evidence.replace(
            "  result: pass\n  attachments: [nhi/inventory.csv]",
            "  identity: svc-deploy\n  result: pass\n  attachments: [nhi/inventory.csv]",
        ),
    )
    .unwrap();
    let out = built_from(pack.path(), &[]);
    let iso = read(&out.path().join("iso27001/identities/key-reporting.html"));
    assert!(!iso.contains("EV-AR-CSV"));
    let ids = read(&out.path().join("soc2/identities.html"));
    assert!(!ids.contains("listed in its review CSV"));
}

#[test]
fn a_withheld_review_keeps_its_csv_decisions_from_the_audience() {
    let pack = pack();
    with_csv_review(
        pack.path(),
        &CSV_REVIEW.replace(
            "  result: pass\n",
            "  result: pass\n  classification: confidential\n",
        ),
    );
    // A customer pack that receives the identities pages (the customer default withholds them).
    let yaml = read(&pack.path().join("pack.yaml")).replace(
        "customer: { max_classification: internal }",
        "customer: { max_classification: internal, sections: [overview, identities] }",
    );
    fs::write(pack.path().join("pack.yaml"), yaml).unwrap();
    let out = built_from(pack.path(), &["--audience", "customer"]);
    for page in [
        "soc2/identities.html",
        "iso27001/identities/key-reporting.html",
    ] {
        let html = read(&out.path().join(page));
        assert!(
            html.contains("EV-AR-CSV"),
            "{page}: still a review, by its id"
        );
        assert!(!html.contains("decision: revoke"), "{page}");
        assert!(!html.contains("nhi/inventory.csv"), "{page}");
    }
}

/// The `badge-…` classes of `html`, e.g. `badge-no-rotation-policy`.
fn badge_classes(html: &str) -> Vec<&str> {
    html.match_indices("class=\"badge badge-")
        .map(|(at, m)| {
            let rest = &html[at + m.len() - "badge-".len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .unwrap();
            &rest[..end]
        })
        .collect()
}

/// Whether `css` has a rule naming `.class` (not only a longer class it begins).
fn styled(css: &str, class: &str) -> bool {
    let dotted = format!(".{class}");
    css.match_indices(&dotted).any(|(at, _)| {
        !css[at + dotted.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-')
    })
}

#[test]
fn an_identity_without_a_rotation_policy_says_so_and_every_badge_is_styled() {
    let pack = pack();
    let ids = pack.path().join("identities/identities.yaml");
    let mut yaml = read(&ids);
    yaml.push_str(
        "
- id: key-forever
  kind: api-key
  system: reporting
  owner: sven
  created_on: 2026-02-01
",
    );
    fs::write(&ids, yaml).unwrap();
    let out = built_from(pack.path(), &[]);
    let badge = r#"<span class="badge badge-no-rotation-policy">no rotation policy</span>"#;
    // Nothing to be on time for: the SOC 2 inventory never says "on time" for it.
    let soc2 = read(&out.path().join("soc2/identities.html"));
    let row = &soc2[soc2.find(r##"<a href="#key-forever">"##).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains(badge), "{row}");
    assert!(!row.contains("on time"), "{row}");
    let iso = read(&out.path().join("iso27001/identities/key-forever.html"));
    assert!(iso.contains(badge), "{iso}");

    // Every badge of either bundle has a rule in the stylesheet the bundles ship.
    let css = include_str!("../../assets/style.css");
    assert!(styled(css, "badge-no-rotation-policy"));
    assert!(!styled(css, "badge-no"), "a prefix is not a rule");
    let mut unstyled = std::collections::BTreeSet::new();
    for bundle in ["soc2", "iso27001"] {
        for (page, html) in crate::common::pages(&out.path().join(bundle)) {
            for class in badge_classes(&html) {
                if !styled(css, class) {
                    unstyled.insert(format!("{bundle}/{page}: {class}"));
                }
            }
        }
    }
    assert!(unstyled.is_empty(), "{unstyled:#?}");
}

#[test]
fn rotation_sentences_on_the_pages_name_identities_without_backticks() {
    let pack = pack();
    let out = built_from(pack.path(), &[]);
    for page in [
        "soc2/identities.html",
        "soc2/exceptions.html",
        "soc2/controls/NHI-01.html",
        "iso27001/identities/svc-deploy.html",
        "iso27001/identities/svc-skip.html",
    ] {
        let html = read(&out.path().join(page));
        assert!(!html.contains('`'), "{page}: {html}");
    }
    let soc2 = read(&out.path().join("soc2/exceptions.html"));
    assert!(
        soc2.contains("svc-deploy was rotated 105 days after its previous rotation"),
        "{soc2}"
    );
    // check keeps quoting the id, as every diagnostic does.
    let check = run(pack.path(), out.path(), &["check", "--color", "never"]);
    let stdout = String::from_utf8(check.stdout).unwrap();
    assert!(
        stdout.contains("warning[W107]: `svc-deploy` was rotated 105 days after"),
        "{stdout}"
    );
}
