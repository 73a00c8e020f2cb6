//! Issue 13 item 7 on the ISO bundle: the pages of the ISMS's own records (objectives,
//! competence, operations and changes, monitoring, the audit programme), a nonconformity's
//! structured record, and the clause index pointing at them.

use crate::iso_stage2::{built_with, page};

/// `render-small` (period 2026-01-01 to 2026-06-30) gets one of each: a met and a missed
/// objective, one past due without a result, an audit overdue and one by the operator of the
/// control it audits.
const ISMS: &str = "objectives:
  - id: OBJ-MET
    title: Everyone trained
    measure: Share of staff trained
    target: 100%
    owner: amara
    due: 2026-03-31
    results: [{ period: Q1, date: 2026-03-31, status: met, value: 100%, evidence: [EV-0001] }]
  - id: OBJ-MISSED
    title: Rotations on time
    measure: Share of credentials within their age
    target: 100%
    owner: sven
    due: 2026-06-30
    results:
      - { period: Q1, date: 2026-03-31, status: in-progress, value: 95% }
      - { period: Q2, date: 2026-06-30, status: not-met, value: 88%, note: Two keys late }
  - { id: OBJ-LATE, title: Asset register complete, measure: Assets with an owner, target: 100%, owner: amara, due: 2026-04-30 }
competence:
  - { id: ROLE-SRE, role: Site reliability engineer, required: AWS operations, people: [sven, dmitri], evidence: [EV-0001] }
  - { id: ROLE-GOV, role: Policy approver, required: Governance, people: [dmitri], evidence: [EV-0005] }
operations:
  - { id: OPS-ACCESS, process: Access management, criteria: Quarterly reviews, owner: amara, controls: [AC-02], evidence: [EV-0002] }
changes:
  - { id: CHG-1, title: Replace the bastion, date: 2026-09-30, purpose: Retire the SSH key, owner: sven, status: in-progress }
monitoring:
  - { id: MON-ROT, what: Credentials within their age, method: Vault report, when: quarterly, by: sven, objective: OBJ-MISSED, results: [{ date: 2026-06-30, value: 88% }] }
audit_programme:
  cycle: { start: 2026-01-01, end: 2028-12-31 }
  owner: amara
  frequency: Once a year
  audits:
    - { id: IAP-2026, planned: 2026-05-15, scope: Access control, clauses: [\"9.1\", \"8.1\"], controls: [AC-02], auditor: sven }
    - { id: IAP-2027, planned: 2027-05-15, scope: Everything else, clauses: [\"4.1\"], auditor: dmitri }
";

#[test]
fn the_objectives_page_shows_missed_and_overdue_objectives() {
    let tmp = built_with(&[("isms/records.yaml", ISMS)]);
    let html = page(&tmp, "isms/objectives.html");
    // One each: met, not met, past due without a result.
    assert!(
        html.contains(r#"<span class="num">1</span><span class="label">met</span>"#),
        "{html}"
    );
    assert!(html.contains(r#"<span class="num">1</span><span class="label">not met</span>"#));
    assert!(html.contains(
        r#"<span class="num">1</span><span class="label">past due without a result</span>"#
    ));
    assert!(html.contains(r#"<span class="badge badge-exception">not met</span>"#));
    assert!(html.contains(r#"<span class="badge badge-overdue">overdue</span>"#));
    // The warnings of check are on the page, beside their objective.
    assert!(html.contains("missed its target (100%): 88% in Q2"));
    assert!(html.contains("was due on 2026-04-30 and has no result saying whether it was met"));
    // Results link their evidence, its title on hover.
    assert!(html.contains(
        r#"href="../evidence/EV-0001.html" title="Q1 production access review">EV-0001</a>"#
    ));
}

#[test]
fn the_audit_programme_page_shows_each_audit_by_year() {
    let tmp = built_with(&[("isms/records.yaml", ISMS)]);
    let html = page(&tmp, "isms/audit-programme.html");
    assert!(html.contains(r#"<h2 id="year-2026">2026</h2>"#));
    assert!(html.contains(r#"<h2 id="year-2027">2027</h2>"#));
    // Past its date without a report, and audited by the control's operator.
    assert!(html.contains(r#"<span class="badge badge-overdue">overdue</span>"#));
    assert!(html.contains("who operates control"));
    assert!(html.contains(r#"<span class="badge badge-neutral">planned</span>"#));
    // Auditors' independence (9.2.2 c), per audit, with the auditor's role.
    let row = |id: &str| -> String {
        let start = html.find(&format!(r#"<tr id="{id}""#)).unwrap();
        html[start..start + html[start..].find("</tr>").unwrap()].to_string()
    };
    let sven = row("IAP-2026");
    assert!(
        sven.contains(r#"<span class="badge badge-gap">not independent</span>"#),
        "{sven}"
    );
    assert!(
        sven.contains(r#"<small class="muted">SRE lead</small>"#),
        "{sven}"
    );
    let dmitri = row("IAP-2027");
    assert!(dmitri.contains("independent: owns and operates none of the audited controls"));
    assert!(!dmitri.contains("not independent"));
    // The improvement page's internal audits point at the programme.
    assert!(page(&tmp, "improvement.html")
        .contains(r#"<a href="isms/audit-programme.html">internal audit programme</a>"#));
    // Clauses 4, 8 and 9 are covered; the others are not.
    assert!(
        html.contains("not covered in the cycle: 5, 6, 7, 10"),
        "{html}"
    );
}

#[test]
fn competence_operations_and_monitoring_pages_show_their_records() {
    let tmp = built_with(&[("isms/records.yaml", ISMS)]);
    let html = page(&tmp, "isms/competence.html");
    assert!(html.contains("Site reliability engineer"));
    assert!(html.contains("Dmitri Ivanov"));
    // Each person's row: their own evidence, the role's evidence, or none at all.
    let role = |id: &str| -> String {
        let start = html
            .find(&format!(r#"<section class="record" id="{id}">"#))
            .unwrap();
        html[start..start + html[start..].find("</section>").unwrap()].to_string()
    };
    let sre = role("ROLE-SRE");
    assert!(
        // Each piece of evidence with its title, so the reader sees what it is.
        sre.contains(r#"<li><a class="ref" href="../evidence/EV-0001.html">EV-0001</a> Q1 production access review</li>"#),
        "{sre}"
    );
    assert!(
        sre.contains(r#"<span class="badge badge-gap">no evidence</span>"#),
        "{sre}"
    );
    assert!(!sre.contains("Evidence for the role as a whole"));
    // EV-0005 was performed by amara, not in the role: it is the role's, not dmitri's.
    let gov = role("ROLE-GOV");
    assert!(
        gov.contains("none of their own; the role's evidence below"),
        "{gov}"
    );
    assert!(gov.contains(r#"<p>Evidence for the role as a whole:</p><ul class="plain"><li><a class="ref" href="../evidence/EV-0005.html">EV-0005</a> Policy approval minutes</li></ul>"#), "{gov}");
    assert!(!gov.contains("badge-gap"));
    let html = page(&tmp, "isms/operations.html");
    assert!(html.contains(r#"href="../controls/AC-02.html""#));
    assert!(html.contains("Replace the bastion"));
    assert!(html.contains(r#"<span class="badge badge-due">in progress</span>"#));
    let html = page(&tmp, "isms/monitoring.html");
    assert!(html.contains(r#"<a class="ref" href="objectives.html#OBJ-MISSED">OBJ-MISSED</a>"#));
    assert!(html.contains("Vault report"));
}

#[test]
fn the_clause_index_points_at_the_isms_pages() {
    let tmp = built_with(&[("isms/records.yaml", ISMS)]);
    let html = page(&tmp, "clauses.html");
    for (clause, href) in [
        ("6.2", "isms/objectives.html"),
        ("7.2", "isms/competence.html"),
        ("8.1", "isms/operations.html"),
        ("9.1", "isms/monitoring.html"),
        ("9.2", "isms/audit-programme.html"),
    ] {
        let row = html
            .split(&format!(r#"<tr id="clause-{clause}">"#))
            .nth(1)
            .and_then(|r| r.split("</tr>").next())
            .unwrap_or_else(|| panic!("no row for {clause}"));
        assert!(
            row.contains(&format!(r#"href="{href}""#)),
            "{clause}: {row}"
        );
    }
}

#[test]
fn a_nonconformity_shows_its_structured_record() {
    let nc = "---
id: NC-9
kind: nonconformity
title: Leaver kept access
date: 2026-04-01
status: closed
what_happened: A leaver kept access for *four* days.
root_cause: End dates were optional.
corrective_actions: [A-1]
owner: amara
due: 2026-05-31
---
# NC-9
";
    let tmp = built_with(&[("reviews/nc-9.md", nc)]);
    let html = page(&tmp, "reviews/NC-9.html");
    assert!(
        html.contains("A leaver kept access for <em>four</em> days."),
        "{html}"
    );
    assert!(html.contains("End dates were optional."));
    assert!(html.contains(r#"<span class="badge badge-gap">not reviewed</span>"#));
    // Closed without an effectiveness review: check's warning is on the page.
    assert!(
        html.contains("is closed without a review of the effectiveness of its corrective actions")
    );
    assert!(html.contains("Amara Okafor"));
    // The action links to its row on the review that holds it.
    assert!(html.contains(r#"href="../reviews/MR-2026-1.html#action-A-1">A-1</a>"#));
    // An open nonconformity is not yet due for its effectiveness review.
    let html = page(&tmp, "reviews/NC-2026-1.html");
    assert!(
        html.contains("not yet reviewed (the nonconformity is open)"),
        "{html}"
    );
}

#[test]
fn pages_without_isms_records_say_so_in_words_not_raw_markup() {
    let tmp = built_with(&[]);
    for (rel, field) in [
        ("isms/objectives.html", "objectives:"),
        ("isms/competence.html", "competence:"),
        ("isms/operations.html", "operations:"),
        ("isms/monitoring.html", "monitoring:"),
        ("isms/audit-programme.html", "audit_programme:"),
    ] {
        let html = page(&tmp, rel);
        assert!(
            html.contains(&format!(
                "(<code>{field}</code> in a file under <code>isms/</code>)"
            )),
            "{rel}: {html}"
        );
    }
    // No page of the bundle shows a raw backtick: quoted ids are links, names or code.
    let root = tmp.path().join("out/iso27001");
    let mut stack = vec![root.clone()];
    let mut pages = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                pages += 1;
                let html = std::fs::read_to_string(&path).unwrap();
                assert!(!html.contains('`'), "{}: {html}", path.display());
            }
        }
    }
    assert!(pages > 20, "{pages} pages");
}
