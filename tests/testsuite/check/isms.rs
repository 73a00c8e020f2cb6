//! Issue 13 item 7: the ISMS's own records under `isms/` (objectives, competence, operations,
//! changes, monitoring, the audit programme) and the structured fields of nonconformities, one
//! fixture per rule.

use super::*;

/// A valid `isms/records.yaml` for the valid pack (period 2026-01-01 to 2026-06-30): every
/// section once, nothing late or missed. Line numbers below count from its first line.
const ISMS: &str = "objectives:
  - id: OBJ-1
    title: MFA everywhere
    measure: Share of accounts with MFA
    target: 100%
    owner: amara
    due: 2026-06-30
    policy: POL-AC
    evidence: [EV-AC-Q1]
    results:
      - { period: Q1, date: 2026-03-31, status: in-progress, value: 97% }
      - { period: Q2, date: 2026-06-30, status: met, value: 100%, evidence: [EV-AC-Q2] }
changes:
  - { id: CHG-ISMS-1, title: New bastion, date: 2026-09-30, purpose: Retire the SSH key, owner: sven, status: planned }
competence:
  - { id: ROLE-SRE, role: SRE, required: AWS operations, people: [sven], evidence: [EV-ROT-1] }
operations:
  - { id: OPS-1, process: Change management, criteria: Reviewed before merge, owner: dmitri, controls: [CM-01], evidence: [CHG-101] }
monitoring:
  - { id: MON-1, what: MFA coverage, method: Okta report, when: monthly, by: sven, analysed_by: amara, objective: OBJ-1, results: [{ date: 2026-03-31, value: 97% }] }
audit_programme:
  cycle: { start: 2026-01-01, end: 2028-12-31 }
  owner: amara
  frequency: One audit a year
  audits:
    - { id: IAP-2026, planned: 2026-05-15, scope: Access, clauses: [\"9.1\", 8.1], controls: [CM-01], auditor: amara, report: IA-1 }
    - { id: IAP-2027, planned: 2027-05-15, scope: Everything else, auditor: dmitri }
";

/// The internal audit report `IAP-2026` names.
const IA: &str = "---
id: IA-1
kind: internal-audit
date: 2026-05-14
auditor: dmitri
status: closed
---
# Internal audit 2026
";

/// The valid pack with [`ISMS`] (changed by `from` → `to`) and [`IA`].
fn with_isms(from: &str, to: &str) -> Pack {
    assert_eq!(ISMS.matches(from).count(), 1, "`{from}` in ISMS");
    fixture_with(&[
        ("isms/records.yaml", &ISMS.replacen(from, to, 1)),
        ("reviews/ia-1.md", IA),
    ])
}

#[test]
fn isms_records_check_clean() {
    with_isms("MFA everywhere", "MFA everywhere")
        .check()
        .expect(&[]);
}

#[test]
fn a_missed_objective_is_a_warning_at_its_result() {
    let checked = with_isms("status: met, value: 100%", "status: not-met, value: 92%").check();
    checked.expect(&[("W147", "isms/records.yaml", 12, 41)]);
    assert_eq!(
        checked.at(0).message,
        "objective `OBJ-1` missed its target (100%): 92% in Q2"
    );
}

#[test]
fn an_objective_past_due_without_a_result_is_a_warning() {
    // Due in March; its only result (in progress) says nothing about whether it was met.
    let checked = with_isms("due: 2026-06-30", "due: 2026-03-31")
        .edit(
            "isms/records.yaml",
            "      - { period: Q2, date: 2026-06-30, status: met, value: 100%, evidence: [EV-AC-Q2] }\n",
            "",
        )
        .check();
    checked.expect(&[("W147", "isms/records.yaml", 7, 5)]);
    assert_eq!(
        checked.at(0).message,
        "objective `OBJ-1` was due on 2026-03-31 and has no result saying whether it was met"
    );
}

#[test]
fn an_objective_not_yet_due_needs_no_result() {
    with_isms("due: 2026-06-30", "due: 2026-12-31")
        .edit(
            "isms/records.yaml",
            "      - { period: Q2, date: 2026-06-30, status: met, value: 100%, evidence: [EV-AC-Q2] }\n",
            "",
        )
        .check()
        .expect(&[]);
}

#[test]
fn an_audit_past_its_date_without_a_report_is_a_warning() {
    let checked = with_isms(", auditor: amara, report: IA-1 }", ", auditor: amara }").check();
    checked.expect(&[("W149", "isms/records.yaml", 26, 23)]);
    assert_eq!(
        checked.at(0).message,
        "audit `IAP-2026` was planned for 2026-05-15 and has no report"
    );
}

#[test]
fn an_auditor_of_their_own_control_is_a_segregation_warning() {
    // sven operates CM-01.
    let checked = with_isms(
        ", auditor: amara, report: IA-1 }",
        ", auditor: sven, report: IA-1 }",
    )
    .check();
    checked.expect(&[("W104", "isms/records.yaml", 26, 93)]);
    assert_eq!(
        checked.at(0).message,
        "audit `IAP-2026` is done by `sven`, who operates control `CM-01` it audits: an auditor must not audit their own work (ISO 27001 9.2.2)"
    );
}

#[test]
fn an_audit_report_must_be_an_internal_audit() {
    let checked = with_isms("report: IA-1 }", "report: MR-2026-1 }").check();
    checked.expect(&[("E003", "isms/records.yaml", 26, 117)]);
    let checked = with_isms("report: IA-1 }", "report: IA-9 }").check();
    checked.expect(&[("E015", "isms/records.yaml", 26, 117)]);
}

#[test]
fn isms_references_must_exist() {
    let checked = with_isms("evidence: [EV-AC-Q1]", "evidence: [EV-NOPE]").check();
    checked.expect(&[("E015", "isms/records.yaml", 9, 16)]);
    assert_eq!(checked.at(0).message, "`EV-NOPE` is not an evidence id");
    with_isms("people: [sven]", "people: [svem]")
        .check()
        .expect(&[("E011", "isms/records.yaml", 16, 67)]);
    with_isms("controls: [CM-01], evidence", "controls: [CM-99], evidence")
        .check()
        .expect(&[("E012", "isms/records.yaml", 18, 105)]);
    with_isms("objective: OBJ-1", "objective: OBJ-9")
        .check()
        .expect(&[("E015", "isms/records.yaml", 20, 104)]);
    with_isms("clauses: [\"9.1\", 8.1]", "clauses: [\"9.1\", 11.1]")
        .check()
        .expect(&[("E016", "isms/records.yaml", 26, 76)]);
}

#[test]
fn isms_ids_are_unique_and_fields_known() {
    with_isms("id: OPS-1,", "id: OBJ-1,")
        .check()
        .expect(&[("E010", "isms/records.yaml", 18, 7)]);
    let checked = with_isms("    measure:", "    measur:").check();
    checked.expect(&[("E002", "isms/records.yaml", 4, 5)]);
}

#[test]
fn a_structured_record_holds_its_clause() {
    // POL-AC no longer maps 6.2, 7.2, 8.1, 9.1 and 9.2: the ISMS records hold them.
    let pack = with_isms("MFA everywhere", "MFA everywhere");
    pack.edit(
        "policies/access-control.md",
        "\"6.2\", \"7.2\", \"8.1\", \"9.1\", \"9.2\",",
        "",
    );
    pack.check().expect(&[]);
    // Without them, each is missing.
    pack.remove("isms/records.yaml");
    pack.remove("reviews/ia-1.md");
    let checked = pack.check();
    let clauses: Vec<&str> = checked
        .diags
        .iter()
        .filter(|d| d.code == "W143")
        .map(|d| d.message.split(' ').nth(8).unwrap_or(""))
        .collect();
    assert_eq!(clauses, ["6.2", "7.2", "8.1", "9.1", "9.2"]);
}

/// A nonconformity with the structured fields of 10.2.
const NC: &str = "---
id: NC-1
kind: nonconformity
title: Leaver deprovisioned late
date: 2026-04-01
status: closed
what_happened: A leaver kept access for four days.
correction: Account disabled.
root_cause: End dates not required in the HR system.
corrective_actions: [CA-1, A-1]
owner: amara
due: 2026-05-31
effectiveness: { date: 2026-06-15, by: dmitri, result: effective, evidence: [EV-AC-Q2] }
---
# NC-1
";

/// Its corrective action.
const CA: &str = "---
id: CA-1
kind: corrective-action
date: 2026-04-03
status: closed
---
# CA-1
";

/// The valid pack with [`NC`] (changed by `from` → `to`) and [`CA`].
fn with_nc(from: &str, to: &str) -> Pack {
    assert_eq!(NC.matches(from).count(), 1, "`{from}` in NC");
    fixture_with(&[
        ("reviews/nc-1.md", &NC.replacen(from, to, 1)),
        ("reviews/ca-1.md", CA),
    ])
}

#[test]
fn a_structured_nonconformity_checks_clean() {
    with_nc("status: closed", "status: closed")
        .check()
        .expect(&[]);
}

#[test]
fn a_nonconformity_closed_without_an_effectiveness_review_is_a_warning() {
    let checked = with_nc(
        "effectiveness: { date: 2026-06-15, by: dmitri, result: effective, evidence: [EV-AC-Q2] }\n",
        "",
    )
    .check();
    checked.expect(&[("W148", "reviews/nc-1.md", 6, 1)]);
    assert_eq!(
        checked.at(0).message,
        "nonconformity `NC-1` is closed without a review of the effectiveness of its corrective actions"
    );
    let checked = with_nc("result: effective", "result: not-effective").check();
    checked.expect(&[("W148", "reviews/nc-1.md", 13, 48)]);
}

#[test]
fn a_nonconformity_open_past_its_due_date_is_a_warning() {
    let checked = with_nc("status: closed", "status: open").check();
    checked.expect(&[("W148", "reviews/nc-1.md", 12, 1)]);
    assert_eq!(
        checked.at(0).message,
        "nonconformity `NC-1` is still open after its due date 2026-05-31"
    );
    // Not yet due at the end of the period: nothing to say.
    with_nc("status: closed", "status: open")
        .edit("reviews/nc-1.md", "due: 2026-05-31", "due: 2026-07-31")
        .check()
        .expect(&[]);
}

#[test]
fn nonconformity_references_must_exist() {
    with_nc("[CA-1, A-1]", "[CA-1, A-9]")
        .check()
        .expect(&[("E015", "reviews/nc-1.md", 10, 28)]);
    // A review that is not a corrective action is no corrective action.
    with_nc("[CA-1, A-1]", "[CA-1, MR-2026-1]")
        .check()
        .expect(&[("E015", "reviews/nc-1.md", 10, 28)]);
    with_nc("by: dmitri", "by: dmitry")
        .check()
        .expect(&[("E011", "reviews/nc-1.md", 13, 36)]);
}
