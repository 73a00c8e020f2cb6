//! The ISO bundle as a stage 2 auditor reads it (issue 13): the pack's own risk method on every
//! risk page, heat maps that list and link every risk, the register in id order, treatment plans.

use std::fs;

use evidencepack::build::{build, BuildOptions};

/// `render-small` with `files` appended to (or written as) files of the pack, built; the temp
/// folder holds `pack/` and `out/`.
pub(crate) fn built_with(append: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let pack = tmp.path().join("pack");
    crate::common::copy_tree(&crate::common::fixture("render-small"), &pack);
    for (rel, text) in append {
        let path = pack.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let old = fs::read_to_string(&path).unwrap_or_default();
        fs::write(&path, format!("{old}{text}")).unwrap();
    }
    build(&pack, &tmp.path().join("out"), &BuildOptions::default()).unwrap();
    tmp
}

pub(crate) fn page(tmp: &tempfile::TempDir, rel: &str) -> String {
    let path = tmp.path().join("out/iso27001").join(rel);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Bands 1-4 low, 5-9 medium, 10-16 high, 17-25 critical, appetite 9.
const METHOD: &str = "risk_method:
  likelihood: [rare, unlikely, possible, likely, almost certain]
  impact: [negligible, minor, moderate, major, severe]
  bands:
    - { level: low, from: 1, to: 4 }
    - { level: medium, from: 5, to: 9 }
    - { level: high, from: 10, to: 16 }
    - { level: critical, from: 17, to: 25 }
  appetite: 9
";

/// Five risks scored 3 × 4 = 12 in one cell, one of them `R-10`, with a treatment plan.
fn twelves() -> String {
    let mut out = String::new();
    for id in ["R-10", "R-03", "R-04", "R-05", "R-06"] {
        out.push_str(&format!(
            "- {{ id: {id}, title: Twelve {id}, owner: amara, likelihood: 3, impact: 4, treatment: mitigate, accepted_by: amara, accepted_on: 2026-02-01 }}\n"
        ));
    }
    out.push_str(
        "- id: R-07
  title: Planned treatment
  owner: amara
  likelihood: 2
  impact: 2
  treatment: mitigate
  asset: Customer database
  threat: Insider copying data
  consequence: Breach of contract
  treatment_plan:
    - { action: Enable query logging, owner: sven, due: 2026-03-01, status: planned }
    - { action: Quarterly access review, owner: amara, due: 2026-09-30, status: in-progress }
",
    );
    out
}

#[test]
fn a_twelve_is_high_under_the_packs_bands() {
    let tmp = built_with(&[("pack.yaml", METHOD), ("risks/risks.yaml", &twelves())]);
    let risk = page(&tmp, "risks/R-03.html");
    assert!(
        risk.contains(r#"<span class="badge badge-level-high">12 high</span>"#),
        "{risk}"
    );
    assert!(
        risk.contains("above appetite"),
        "12 is above the appetite of 9"
    );
    // R-01: inherent 4 × 5 = 20 is critical under the pack's bands (the default says high).
    let r01 = page(&tmp, "risks/R-01.html");
    assert!(r01.contains(r#"<span class="badge badge-level-critical">20 critical</span>"#));
    let index = page(&tmp, "risks/index.html");
    // The legend states every band of the method and the appetite.
    for band in [
        "low</span></td><td class=\"num\">1 to 4",
        "medium</span></td><td class=\"num\">5 to 9",
        "high</span></td><td class=\"num\">10 to 16",
        "critical</span></td><td class=\"num\">17 to 25",
    ] {
        assert!(index.contains(band), "legend lacks {band}");
    }
    assert!(index.contains("The risk appetite is a residual score of 9"));
    // Without a method the same risk is medium (the default bands: 8 to 14).
    let plain = built_with(&[("risks/risks.yaml", &twelves())]);
    assert!(page(&plain, "risks/R-03.html")
        .contains(r#"<span class="badge badge-level-medium">12 medium</span>"#));
    assert!(page(&plain, "risks/index.html").contains("this is the default method"));
}

#[test]
fn heat_map_cells_link_every_risk() {
    let tmp = built_with(&[("pack.yaml", METHOD), ("risks/risks.yaml", &twelves())]);
    let index = page(&tmp, "risks/index.html");
    // The inherent map's cell for likelihood 3, impact 4 lists all five risks, none hidden.
    let cell_start = index
        .find(r#"title="likelihood 3 × impact 4: score 12, high""#)
        .expect("the 3 × 4 cell");
    let cell = &index[cell_start..cell_start + index[cell_start..].find("</td>").unwrap()];
    for id in ["R-03", "R-04", "R-05", "R-06", "R-10"] {
        assert!(
            cell.contains(&format!(r#"<a href="{id}.html">{id}</a>"#)),
            "{id} missing from {cell}"
        );
    }
    assert!(!cell.contains('…'));
    // Every risk appears in both maps, each time as a link.
    for id in ["R-01", "R-02", "R-03", "R-07", "R-10"] {
        assert_eq!(
            index
                .matches(&format!(r#"<li><a href="{id}.html">{id}</a></li>"#))
                .count(),
            2,
            "{id} in both maps"
        );
    }
}

#[test]
fn the_register_is_sorted_by_id() {
    let tmp = built_with(&[("risks/risks.yaml", &twelves())]);
    let index = page(&tmp, "risks/index.html");
    let register = &index[index.find("<h2>Risk register</h2>").unwrap()..];
    let order: Vec<usize> = [
        "R-01", "R-02", "R-03", "R-04", "R-05", "R-06", "R-07", "R-10",
    ]
    .iter()
    .map(|id| {
        register
            .find(&format!(r#"<a href="{id}.html">{id}</a> "#))
            .unwrap_or_else(|| panic!("{id} not in the register"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
}

/// Where each of `ids` is in `text`, in order; a panic names one that is missing.
fn positions(text: &str, ids: &[&str]) -> Vec<usize> {
    ids.iter()
        .map(|id| {
            text.find(&format!(r#"<a href="{id}.html">{id}</a> "#))
                .unwrap_or_else(|| panic!("{id} not in {text}"))
        })
        .collect()
}

#[test]
fn the_pack_can_order_the_register_by_score() {
    let tmp = built_with(&[
        ("risks/risks.yaml", &twelves()),
        ("pack.yaml", "risk_register: { order: score }\n"),
    ]);
    let index = page(&tmp, "risks/index.html");
    let start = index.find("<h2>Risk register</h2>").unwrap();
    let again = index
        .find(r#"<h3 id="by-id">The register by id</h3>"#)
        .unwrap();
    // The register first by score after treatment, then again by id.
    let first = positions(
        &index[start..again],
        &["R-03", "R-10", "R-01", "R-02", "R-07"],
    );
    assert!(first.windows(2).all(|w| w[0] < w[1]), "{first:?}");
    let second = positions(&index[again..], &["R-01", "R-02", "R-03", "R-07", "R-10"]);
    assert!(second.windows(2).all(|w| w[0] < w[1]), "{second:?}");
    assert!(!index.contains(r#"id="by-score""#));
}

#[test]
fn the_register_is_shown_again_by_score_after_treatment() {
    let tmp = built_with(&[("risks/risks.yaml", &twelves())]);
    let index = page(&tmp, "risks/index.html");
    let by_score = &index[index.find(r#"<h3 id="by-score">"#).unwrap()..];
    // The twelves (no residual) by id, then R-01 (20 inherent, 8 after), then the fours by id.
    let order: Vec<usize> = [
        "R-03", "R-04", "R-05", "R-06", "R-10", "R-01", "R-02", "R-07",
    ]
    .iter()
    .map(|id| {
        by_score
            .find(&format!(r#"<a href="{id}.html">{id}</a> "#))
            .unwrap_or_else(|| panic!("{id} not in the register by score"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
}

#[test]
fn treatment_plans_and_structured_fields_are_shown() {
    let tmp = built_with(&[("risks/risks.yaml", &twelves())]);
    let risk = page(&tmp, "risks/R-07.html");
    assert!(risk.contains("<dt>Asset</dt><dd>Customer database</dd>"));
    assert!(risk.contains("<dt>Threat</dt><dd>Insider copying data</dd>"));
    assert!(risk.contains("<dt>Consequence</dt><dd>Breach of contract</dd>"));
    assert!(
        !risk.contains("<dt>Vulnerability</dt>"),
        "absent fields are not shown"
    );
    // Due 2026-03-01, planned, period ends 2026-06-30: overdue. The other is not.
    // (The page's content starts inside its print frame's body, a table of its own.)
    let content = risk.split_once("<tbody><tr><td>").unwrap().1;
    let rows: Vec<&str> = content.split("<tr>").skip(2).collect();
    assert!(rows[0].contains("Enable query logging") && rows[0].contains("overdue"));
    assert!(rows[1].contains("Quarterly access review") && !rows[1].contains("overdue"));
    let index = page(&tmp, "risks/index.html");
    assert!(index.contains("1 treatment action overdue."));
}

#[test]
fn high_after_treatment_counts_under_the_method() {
    // Under the default bands no render-small risk is high after treatment; under the pack's
    // bands R-01's residual 2 × 4 = 8 is medium and the five twelves are high.
    let tmp = built_with(&[("pack.yaml", METHOD), ("risks/risks.yaml", &twelves())]);
    assert!(page(&tmp, "index.html").contains("5 high after treatment"));
    let plain = built_with(&[("risks/risks.yaml", &twelves())]);
    assert!(page(&plain, "index.html").contains("0 high after treatment"));
}

#[test]
fn the_soa_gives_reasons_declared_status_and_findings() {
    let tmp = built_with(&[(
        "soa.yaml",
        "- { annex_a: \"5.1\", requirements: [\"UK GDPR Article 32\"], business_need: \"Customers ask for it\", implementation: planned, planned_for: 2026-09-30 }\n",
    )]);
    let soa = page(&tmp, "soa.html");
    let row = |id: &str| -> String {
        let start = soa.find(&format!("<tr id=\"a-{id}\"")).unwrap();
        soa[start..start + soa[start..].find("</tr>").unwrap()].to_string()
    };
    // A.5.18 is implemented by AC-02, which has evidence and the open NC-2026-1.
    let r = row("5.18");
    assert!(r.contains("evidenced, with findings"), "{r}");
    assert!(
        r.contains(r#"<a href="reviews/NC-2026-1.html">open nonconformity NC-2026-1 on AC-02</a>"#),
        "{r}"
    );
    assert!(
        r.contains(r#"Risks: <a class="ref" href="risks/R-01.html">R-01</a>"#),
        "{r}"
    );
    assert!(r.contains("not declared"));
    let r = row("5.1");
    assert!(r.contains("Requirements: UK GDPR Article 32"), "{r}");
    assert!(r.contains("Business need: Customers ask for it"));
    assert!(
        r.contains(
            r#"<span class="badge badge-planned">planned</span><br><small>by 2026-09-30</small>"#
        ),
        "{r}"
    );
    // The header counts what the rows show.
    for (label, badge) in [
        (
            "evidenced, with open nonconformities, late rotations or coverage gaps",
            r#"<span class="badge badge-findings">"#,
        ),
        (
            "applicable without evidence (gap)",
            r#"<span class="badge badge-gap">"#,
        ),
        (
            "applicable and evidenced in the period, without findings",
            r#"<span class="badge badge-evidenced">"#,
        ),
    ] {
        let rows = soa.matches(badge).count();
        assert!(
            soa.contains(&format!(
                r#"<span class="num">{rows}</span><span class="label">{label}"#
            )),
            "header for {label} should say {rows}"
        );
    }
    assert!(soa.contains(r#"<span class="badge badge-findings">"#));
}

#[test]
fn the_clause_index_finds_each_document_and_names_the_missing() {
    // render-small has a management review, a nonconformity, risks and the SoA, but no
    // internal audit and no objectives; a control mapped to 9.1 fills that clause.
    let tmp = built_with(&[]);
    let index = page(&tmp, "clauses.html");
    let row = |clause: &str| -> String {
        let start = index
            .find(&format!("<tr id=\"clause-{clause}\">"))
            .unwrap_or_else(|| panic!("no row for {clause}"));
        index[start..start + index[start..].find("</tr>").unwrap()].to_string()
    };
    for clause in [
        "4.3", "5.2", "6.1.2", "6.1.3", "6.2", "7.2", "7.5", "8.1", "8.2", "8.3", "9.1", "9.2",
        "9.3", "10.2",
    ] {
        row(clause);
    }
    assert!(row("9.3").contains(r#"<a href="reviews/MR-2026-1.html">MR-2026-1 "#));
    assert!(row("10.2").contains(r#"<a href="reviews/NC-2026-1.html">"#));
    assert!(row("6.1.3").contains(r#"<a href="soa.html">"#));
    assert!(row("9.2").contains("missing"), "{}", row("9.2"));
    assert!(row("9.1").contains("missing"));
    let mapped = built_with(&[("controls/governance.yaml", "clauses: [\"9.1\"]\n")]);
    let index = page(&mapped, "clauses.html");
    let start = index.find("<tr id=\"clause-9.1\">").unwrap();
    let r91 = &index[start..start + index[start..].find("</tr>").unwrap()];
    assert!(
        r91.contains(r#"<a href="controls/GV-01.html">GV-01 "#),
        "{r91}"
    );
}

#[test]
fn document_control_is_shown() {
    let tmp = built_with(&[(
        "pack.yaml",
        "soa_document:\n  version: \"2026.1\"\n  owner: amara\n  approved_by: dmitri\n  approved_on: 2025-01-15\n  history:\n    - { version: \"2026.1\", date: 2025-01-15, change: Reasons added }\n",
    )]);
    let soa = page(&tmp, "soa.html");
    assert!(soa.contains("<dt>Version</dt><dd>2026.1</dd>"), "{soa}");
    assert!(soa.contains("<dt>Next review</dt><dd>2026-01-15 <span class=\"badge badge-overdue\">overdue at period end</span>"));
    assert!(soa.contains("<li>2026.1 (2025-01-15): Reasons added</li>"));
    let plain = built_with(&[]);
    assert!(page(&plain, "soa.html").contains("records no document control for the SoA"));
    assert!(page(&plain, "policies/POL-AC.html").contains("No change history is recorded."));
}

#[test]
fn the_context_and_the_climate_answer_are_shown() {
    let tmp = built_with(&[(
        "pack.yaml",
        "context:\n  external_issues: [\"Customer security schedules\"]\n  climate_change: { relevant: false, statement: \"No premises of our own.\" }\n  interested_parties: [{ party: Customers, requirements: \"Breach notice in 48 hours\" }]\n  interfaces: [\"AWS (hosting, carve-out)\"]\n",
    )]);
    let page_ = page(&tmp, "policies/index.html");
    assert!(page_.contains("<li>Customer security schedules</li>"));
    assert!(page_.contains(
        r#"<span class="badge badge-closed">not relevant</span> No premises of our own."#
    ));
    assert!(page_
        .contains(r#"<tr><th scope="row">Customers</th><td>Breach notice in 48 hours</td></tr>"#));
    // 4.3 c: interfaces and dependencies.
    assert!(page_.contains(
        "<dt>Interfaces and dependencies (4.3)</dt><dd><ul><li>AWS (hosting, carve-out)</li></ul></dd>"
    ));
    let plain = built_with(&[]);
    assert!(page(&plain, "policies/index.html").contains("The pack records no context"));
}

/// `render-small` with LG-01, a monthly control with one record in January: W103, a coverage
/// gap, on A.8.5; and svc-deploy's rotation overdue on the controls its rotation evidences.
fn with_findings() -> tempfile::TempDir {
    built_with(&[
        (
            "controls/logging.yaml",
            "id: LG-01\ntitle: Monthly log review\ndescription: Logs are reviewed.\nowner: amara\noperator: sven\nfrequency: monthly\npolicies: [POL-AC]\nmaps:\n  iso27001-2022: [\"8.5\"]\n",
        ),
        (
            "evidence/2026/logs.yaml",
            "- { id: EV-LOG-1, controls: [LG-01], kind: log, title: January log review, occurred_on: 2026-01-30, performed_by: sven, result: pass }\n",
        ),
    ])
}

#[test]
fn the_soa_qualifies_evidence_by_late_rotations_and_coverage_gaps() {
    let tmp = with_findings();
    let soa = page(&tmp, "soa.html");
    let row = |id: &str| -> String {
        let start = soa.find(&format!("<tr id=\"a-{id}\"")).unwrap();
        soa[start..start + soa[start..].find("</tr>").unwrap()].to_string()
    };
    let r = row("8.5");
    assert!(r.contains("evidenced, with findings"), "{r}");
    assert!(
        r.contains(r#"<a href="controls/LG-01.html">coverage gap on LG-01</a>"#),
        "{r}"
    );
    // svc-deploy (rotated every 90 days, last on 2026-02-15) is overdue at the period's end; its
    // rotation is evidence of AC-01, which implements A.5.17.
    let r = row("5.17");
    assert!(r.contains("evidenced, with findings"), "{r}");
    assert!(
        r.contains(
            r#"<a href="identities/svc-deploy.html">svc-deploy: rotation overdue (AC-01)</a>"#
        ),
        "{r}"
    );
    // The gap is LG-01's: without it A.8.5 has the rotation finding only.
    let plain = page(&built_with(&[]), "soa.html");
    let start = plain.find("<tr id=\"a-8.5\"").unwrap();
    let r = &plain[start..start + plain[start..].find("</tr>").unwrap()];
    assert!(
        r.contains("svc-deploy: rotation overdue") && !r.contains("coverage gap"),
        "{r}"
    );
}

#[test]
fn iso_tables_fit_a_1280_pixel_window() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !std::path::Path::new(&chromium).exists() || !crate::common::have("node", "--version") {
        eprintln!("skipped: the table width check needs node and chromium ({chromium})");
        return;
    }
    // The SoA's findings column and its long headings made it 60 px too wide.
    let tmp = with_findings();
    let mut urls = Vec::new();
    let mut stack = vec![tmp.path().join("out/iso27001")];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() && !path.ends_with("files") {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                urls.push(format!("file://{}", path.display()));
            }
        }
    }
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/table-widths.cjs");
    let out = std::process::Command::new("node")
        .arg(script)
        .arg("1280")
        .args(&urls)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(text.lines().count(), urls.len(), "{text}");
    let overflowing: Vec<&str> = text.lines().filter(|l| !l.starts_with("FITS ")).collect();
    assert!(overflowing.is_empty(), "{overflowing:#?}");
    assert!(text.contains("/soa.html\n"));
}

#[test]
fn each_risk_links_the_method_and_its_policy() {
    let method = format!("{METHOD}  policy: POL-AC\n");
    let tmp = built_with(&[("pack.yaml", &method)]);
    let risk = page(&tmp, "risks/R-01.html");
    assert!(
        risk.contains(r#"<dt>Method</dt><dd>Scored under the <a href="index.html#method">risk method</a> of the register, documented in the <a class="ref" href="../policies/POL-AC.html">POL-AC</a> Access Control Policy</dd>"#),
        "{risk}"
    );
    assert!(page(&tmp, "risks/index.html").contains(r#"<h2 id="method">Method</h2>"#));
    // Without a method policy the risk still points at the method the register states.
    let plain = page(&built_with(&[]), "risks/R-01.html");
    assert!(plain.contains(
        r#"<dt>Method</dt><dd>Scored under the <a href="index.html#method">risk method</a> of the register</dd>"#
    ));
}
