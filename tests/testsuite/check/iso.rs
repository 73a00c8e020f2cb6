//! The ISO 27001 rules of issue 13: the pack's risk method (`risk_method:`), acceptance of
//! residual risks above the appetite, treatment plans.

use super::*;

/// A valid risk method: 1..5 scales, bands 1-4 low, 5-9 medium, 10-16 high, 17-25 critical,
/// appended to pack.yaml (its first line is line 24).
const METHOD: &str = "risk_method:
  likelihood: [rare, unlikely, possible, likely, almost certain]
  impact: [negligible, minor, moderate, major, severe]
  formula: product
  bands:
    - { level: low, from: 1, to: 4 }
    - { level: medium, from: 5, to: 9 }
    - { level: high, from: 10, to: 16 }
    - { level: critical, from: 17, to: 25 }
";

/// The valid pack with [`METHOD`] (changed by `from` → `to`) appended to pack.yaml.
fn with_method(from: &str, to: &str) -> Pack {
    assert_eq!(METHOD.matches(from).count(), 1, "`{from}` in METHOD");
    let pack = Pack::valid();
    let text = fs::read_to_string(pack.path("pack.yaml")).expect("read");
    pack.write(
        "pack.yaml",
        format!("{text}{}", METHOD.replacen(from, to, 1)),
    );
    pack
}

#[test]
fn a_declared_method_checks_clean() {
    with_method("formula: product", "formula: product")
        .check()
        .expect(&[]);
}

#[test]
fn risk_method_bands_must_cover_every_score() {
    let checked = with_method("{ level: medium, from: 5,", "{ level: medium, from: 6,").check();
    checked.expect(&[("E090", "pack.yaml", 32, 24)]);
    assert_eq!(
        checked.at(0).message,
        "band `medium` starts at 6, leaving scores 5 to 5 in no band"
    );
}

#[test]
fn risk_method_appetite_inside_the_scores() {
    let checked = with_method(
        "  formula: product\n",
        "  formula: product\n  appetite: 30\n",
    )
    .check();
    checked.expect(&[("E090", "pack.yaml", 30, 3)]);
    assert_eq!(
        checked.at(0).message,
        "appetite 30 is outside the scores 1 to 25"
    );
}

#[test]
fn risk_method_policy_must_exist() {
    let checked = with_method(
        "  formula: product\n",
        "  formula: product\n  policy: POL-XX\n",
    )
    .check();
    checked.expect(&[("E013", "pack.yaml", 30, 3)]);
}

#[test]
fn scores_follow_the_method_scales() {
    // A three-point likelihood scale (scores 1 to 15): the fixture's likelihood 4 is out of it.
    let pack = Pack::valid();
    let text = fs::read_to_string(pack.path("pack.yaml")).expect("read");
    pack.write(
        "pack.yaml",
        format!(
            "{text}risk_method:\n  likelihood: [rare, possible, likely]\n  impact: [a, b, c, d, e]\n  bands:\n    - {{ level: low, from: 1, to: 5 }}\n    - {{ level: high, from: 6, to: 15 }}\n"
        ),
    );
    let checked = pack.check();
    checked.expect(&[("E032", "risks/credentials.yaml", 5, 1)]);
    assert_eq!(
        checked.at(0).message,
        "`likelihood` is 4; scores run from 1 to 3"
    );
}

#[test]
fn residual_above_appetite_needs_an_acceptance() {
    // R-01's residual is 2 × 4 = 8, above an appetite of 6.
    let pack = with_method(
        "  formula: product\n",
        "  formula: product\n  appetite: 6\n",
    );
    let checked = pack.check();
    checked.expect(&[("E091", "risks/credentials.yaml", 9, 1)]);
    assert_eq!(
        checked.at(0).message,
        "risk `R-01` stays at 8 (medium) after treatment, above the appetite of 6, and names no `accepted_by` and `accepted_on`"
    );
    pack.edit(
        "risks/credentials.yaml",
        "reviewed_on: 2026-02-10",
        "reviewed_on: 2026-02-10\naccepted_by: amara",
    );
    let checked = pack.check();
    checked.expect(&[("E091", "risks/credentials.yaml", 9, 1)]);
    assert!(checked.at(0).message.ends_with("names no `accepted_on`"));
    pack.edit(
        "risks/credentials.yaml",
        "accepted_by: amara",
        "accepted_by: amara\naccepted_on: 2026-02-10",
    );
    pack.check().expect(&[]);
}

#[test]
fn an_appetite_at_the_residual_needs_no_acceptance() {
    with_method(
        "  formula: product\n",
        "  formula: product\n  appetite: 8\n",
    )
    .check()
    .expect(&[]);
}

#[test]
fn acceptance_by_someone_else_than_the_owner() {
    let pack = Pack::valid();
    pack.edit(
        "risks/credentials.yaml",
        "reviewed_on: 2026-02-10",
        "reviewed_on: 2026-02-10\naccepted_by: dmitri",
    );
    let checked = pack.check();
    checked.expect(&[("W141", "risks/credentials.yaml", 11, 1)]);
    assert_eq!(
        checked.at(0).message,
        "risk `R-01` is accepted by `dmitri`, not by its owner `amara`"
    );
}

#[test]
fn overdue_treatment_actions_are_flagged() {
    let plan = "reviewed_on: 2026-02-10
treatment_plan:
  - { action: Move CI to OIDC, owner: sven, due: 2026-03-31, status: in-progress }
  - { action: Purge old logs, owner: sven, due: 2026-02-01, status: done }
  - { action: Alert on key use, owner: nobody, due: 2026-09-30, status: planned }";
    let pack = Pack::valid();
    pack.edit("risks/credentials.yaml", "reviewed_on: 2026-02-10", plan);
    let checked = pack.check();
    checked.expect(&[
        ("W140", "risks/credentials.yaml", 12, 45),
        ("E011", "risks/credentials.yaml", 14, 33),
    ]);
    assert_eq!(
        checked.at(0).message,
        "treatment action 1 of risk `R-01` was due on 2026-03-31 and is not done"
    );
    pack.edit(
        "risks/credentials.yaml",
        "status: in-progress",
        "status: done",
    )
    .edit("risks/credentials.yaml", "owner: nobody", "owner: sven");
    pack.check().expect(&[]);
}

// ---------------------------------------------------------------------------------------------
// Statement of Applicability (6.1.3 d)

#[test]
fn exclusion_justified_by_outsourcing_alone() {
    let pack = Pack::valid();
    pack.edit(
        "soa.yaml",
        "\"7.4\", applicable: false, justification: \"Outside the scope of this fixture.\"",
        "\"7.4\", applicable: false, justification: \"Monitoring is outsourced to our hosting provider.\"",
    );
    let checked = pack.check();
    checked.expect(&[("W142", "soa.yaml", 45, 40)]);
    assert_eq!(
        checked.at(0).message,
        "the exclusion of Annex A 7.4 is justified by outsourcing alone"
    );
    // A reason of the organisation's own beside the outsourcing is an ordinary exclusion.
    pack.edit(
        "soa.yaml",
        "\"Monitoring is outsourced",
        "\"No premises to monitor; monitoring of hosting is outsourced",
    );
    pack.check().expect(&[]);
}

#[test]
fn soa_reasons_name_existing_risks_and_planned_has_a_date() {
    let pack = Pack::valid();
    pack.write(
        "soa.yaml",
        format!(
            "{}- {{ annex_a: \"8.32\", risks: [R-01, R-99], implementation: planned }}\n",
            fs::read_to_string(pack.path("soa.yaml")).unwrap()
        ),
    );
    let checked = pack.check();
    checked.expect(&[("E015", "soa.yaml", 87, 36), ("E005", "soa.yaml", 87, 43)]);
    assert_eq!(
        checked.at(0).message,
        "Annex A 8.32 names risk `R-99`, which does not exist"
    );
    assert_eq!(
        checked.at(1).message,
        "Annex A 8.32 is planned but gives no `planned_for` date"
    );
}

// ---------------------------------------------------------------------------------------------
// Documented information the standard requires (clause index)

#[test]
fn missing_documented_information_is_a_warning() {
    // The fixture holds 9.2 only through POL-AC's `clauses:` (it has no internal audit record).
    let pack = Pack::valid();
    pack.edit(
        "policies/access-control.md",
        "\"9.1\", \"9.2\",",
        "\"9.1\",",
    );
    let checked = pack.check();
    checked.expect(&[("W143", "pack.yaml", 1, 1)]);
    assert_eq!(
        checked.at(0).message,
        "the pack holds no documented information for clause 9.2 (Audit programme and audit results)"
    );
}

#[test]
fn clause_ids_must_be_clauses() {
    let pack = Pack::valid();
    pack.edit(
        "policies/access-control.md",
        "\"10.2\"]",
        "\"10.2\", \"5.4\", \"11.1\"]",
    );
    let checked = pack.check();
    // 5.4 is an Annex A control (management responsibilities), not a clause.
    checked.expect(&[
        ("E016", "policies/access-control.md", 11, 70),
        ("E016", "policies/access-control.md", 11, 77),
    ]);
    assert_eq!(
        checked.at(0).message,
        "`5.4` is not an ISO 27001:2022 clause"
    );
    assert_eq!(
        checked.at(1).message,
        "`11.1` is not an ISO 27001:2022 clause"
    );
}

// ---------------------------------------------------------------------------------------------
// Document control of the SoA (7.5.3)

/// Append `text` to the valid pack's pack.yaml (its first new line is line 24).
fn with_pack_lines(text: &str) -> Pack {
    let pack = Pack::valid();
    let old = fs::read_to_string(pack.path("pack.yaml")).expect("read");
    pack.write("pack.yaml", format!("{old}{text}"));
    pack
}

#[test]
fn required_document_control_needs_the_soa_document() {
    let checked = with_pack_lines("document_control_required: true\n").check();
    checked.expect(&[("E092", "pack.yaml", 26, 1)]);
    with_pack_lines(
        "document_control_required: true\nsoa_document: { version: 1, owner: amara, approved_by: dmitri, approved_on: 2026-01-10 }\n",
    )
    .check()
    .expect(&[]);
}

#[test]
fn soa_past_its_review_is_a_warning() {
    let checked = with_pack_lines(
        "soa_document: { version: 1, owner: amara, approved_by: nobody, approved_on: 2025-01-10 }\n",
    )
    .check();
    checked.expect(&[("E011", "pack.yaml", 26, 43), ("W144", "pack.yaml", 26, 64)]);
    assert_eq!(
        checked.at(1).message,
        "the Statement of Applicability was due for review on 2026-01-10 (approved 2025-01-10, every 12 months)"
    );
}

// ---------------------------------------------------------------------------------------------
// Context (4.1, 4.2)

#[test]
fn the_climate_change_question_must_be_answered() {
    let pack = Pack::valid();
    pack.edit(
        "pack.yaml",
        "context: { climate_change:",
        "context: { climate:",
    );
    let checked = pack.check();
    checked.expect(&[("E002", "pack.yaml", 23, 12)]);
    pack.edit("pack.yaml", "context: { climate: { relevant: false, statement: \"A hosted service with no premises; no party has climate requirements.\" } }\n", "");
    let checked = pack.check();
    checked.expect(&[("W145", "pack.yaml", 1, 1)]);
    assert_eq!(
        checked.at(0).message,
        "the pack does not say whether climate change is a relevant issue"
    );
}

#[test]
fn two_nonconformities_with_one_title_are_a_warning_at_the_second() {
    let nc = |id: &str, title: &str| {
        format!("---\nid: {id}\nkind: nonconformity\ntitle: {title}\ndate: 2026-04-01\nstatus: open\n---\n# {id}\n")
    };
    let pack = fixture_with(&[
        ("reviews/nc-1.md", &nc("NC-1", "Leaver deprovisioned late")),
        ("reviews/nc-2.md", &nc("NC-2", "leaver deprovisioned late ")),
        ("reviews/nc-3.md", &nc("NC-3", "Backup copy failed")),
    ]);
    let checked = pack.check();
    let found: Vec<(&str, &str, usize)> = checked
        .found()
        .iter()
        .filter(|f| f.0 == "W146")
        .map(|f| (f.0, f.1, f.2))
        .collect();
    assert_eq!(
        found,
        [("W146", "reviews/nc-2.md", 4)],
        "{:#?}",
        checked.diags
    );
    let d = checked.diags.iter().find(|d| d.code == "W146").unwrap();
    assert_eq!(
        d.message,
        "nonconformity `NC-2` has the same title as `NC-1`: \"leaver deprovisioned late\""
    );
}
