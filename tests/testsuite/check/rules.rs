//! Framework mappings and the Statement of Applicability, consistency rules, links inside Markdown, and the warnings (exit 0).

use super::*;

// ---------------------------------------------------------------------------------------------
// Frameworks and the Statement of Applicability

#[test]
fn framework_ids_must_be_in_the_catalogs() {
    let pack = Pack::valid();
    pack.edit("controls/change.yaml", r#"["8.32"]"#, r#"["8.32", "5.38"]"#)
        .edit("controls/change.yaml", "[CC8.1]", "[CC8.1, CC10.1]")
        .edit("controls/change.yaml", "[PR.PS-01]", "[PR.PS-01, PR.AA-99]");
    let checked = pack.check();
    checked.expect(&[
        ("E016", "controls/change.yaml", 9, 27),
        ("E016", "controls/change.yaml", 10, 22),
        ("E016", "controls/change.yaml", 11, 28),
    ]);
    assert!(checked.at(0).message.contains("`5.38`"));
    assert!(checked.at(1).message.contains("`CC10.1`"));
    assert!(checked.at(2).message.contains("`PR.AA-99`"));
}

#[test]
fn unknown_framework_key_in_maps() {
    let pack = Pack::valid();
    pack.edit("controls/change.yaml", "  soc2-2017:", "  soc2-2022:");
    let checked = pack.check();
    checked.expect(&[("E016", "controls/change.yaml", 10, 3)]);
    assert_eq!(checked.at(0).message, "unknown framework `soc2-2022`");
}

#[test]
fn mapping_to_an_undeclared_framework() {
    let pack = Pack::valid();
    pack.edit(
        "pack.yaml",
        "[iso27001-2022, soc2-2017, nist-csf-2.0]",
        "[iso27001-2022, soc2-2017]",
    );
    let checked = pack.check();
    checked.expect(&[
        ("E017", "controls/access.yaml", 14, 5),
        ("E017", "controls/access.yaml", 27, 5),
        ("E017", "controls/change.yaml", 11, 3),
        ("E017", "controls/incident.yaml", 11, 3),
    ]);
    assert!(checked.at(2).message.contains("nist-csf-2.0"));
}

#[test]
fn soa_must_decide_every_annex_a_control() {
    let pack = Pack::valid();
    pack.edit(
        "soa.yaml",
        "- { annex_a: \"7.4\", applicable: false, justification: \"Outside the scope of this fixture.\" }\n",
        "",
    );
    // Reported where its line belongs: after the decision for 7.3.
    let checked = pack.check();
    checked.expect(&[("E020", "soa.yaml", 44, 3)]);
    assert!(checked.at(0).message.starts_with("Annex A 7.4 "));
    let hint = checked.at(0).hint.as_deref().unwrap_or_default();
    assert!(
        hint.ends_with("add `- { annex_a: \"7.4\", applicable: false, justification: \"...\" }` after this line"),
        "{hint}"
    );
}

#[test]
fn soa_undecided_before_the_first_decision_points_at_it() {
    let pack = Pack::valid();
    pack.edit(
        "soa.yaml",
        "- { annex_a: \"5.1\", applicable: false, justification: \"Outside the scope of this fixture.\" }\n",
        "",
    );
    let checked = pack.check();
    checked.expect(&[("E020", "soa.yaml", 2, 3)]);
    assert!(checked
        .at(0)
        .hint
        .as_deref()
        .unwrap_or_default()
        .ends_with("before this line"));
}

#[test]
fn a_missing_soa_is_one_error() {
    let pack = Pack::valid();
    pack.remove("soa.yaml");
    let checked = pack.check();
    checked.expect(&[("E020", "soa.yaml", 1, 1)]);
    assert!(
        checked.at(0).message.starts_with("soa.yaml is missing, and 85 Annex A controls are neither mapped by a control nor excluded (5.1, 5.2, 5.3, 5.4, 5.5, …)"),
        "{}",
        checked.at(0).message
    );
}

#[test]
fn soa_cannot_exclude_a_mapped_control() {
    let pack = Pack::valid();
    pack.edit(
        "soa.yaml",
        "- { annex_a: \"8.34\"",
        "- { annex_a: \"8.32\", applicable: false, justification: \"No changes.\" }\n- { annex_a: \"8.34\"",
    );
    let checked = pack.check();
    checked.expect(&[("E021", "soa.yaml", 86, 22)]);
    assert!(checked.at(0).message.contains("CM-01"));
}

#[test]
fn soa_exclusion_needs_a_justification() {
    let pack = Pack::valid();
    pack.edit(
        "soa.yaml",
        "{ annex_a: \"7.4\", applicable: false, justification: \"Outside the scope of this fixture.\" }",
        "{ annex_a: \"7.4\", applicable: false }",
    );
    pack.check().expect(&[("E022", "soa.yaml", 45, 3)]);
}

#[test]
fn soa_names_real_annex_a_controls_once() {
    let pack = Pack::valid();
    pack.edit("soa.yaml", "annex_a: \"7.4\"", "annex_a: \"A.7.4\"")
        .edit("soa.yaml", "annex_a: \"7.5\"", "annex_a: \"7.6\"");
    let checked = pack.check();
    let found: Vec<(&str, usize)> = checked.found().iter().map(|f| (f.0, f.2)).collect();
    // A.7.4 is not an id (one error, suggesting 7.4, which is then not reported undecided
    // too); 7.5 is undecided; 7.6 is decided twice.
    assert_eq!(
        found,
        [("E020", 44), ("E016", 45), ("E010", 46), ("E010", 47)]
    );
}

// ---------------------------------------------------------------------------------------------
// Consistency rules

#[test]
fn exception_result_needs_an_exception_block() {
    let checked = fixture_with(&[
        (
            "evidence/a.yaml",
            &ev_with("result: pass", "result: exception"),
        ),
        (
            "evidence/b.yaml",
            &format!(
                "{}exception: {{ description: x, management_response: y }}\n",
                EV.replace("EV-T", "EV-U")
            ),
        ),
    ])
    .check();
    checked.expect(&[
        ("E030", "evidence/a.yaml", 7, 1),
        ("E030", "evidence/b.yaml", 8, 1),
    ]);
}

#[test]
fn accepted_risk_needs_an_acceptor() {
    let pack = Pack::valid();
    pack.edit(
        "risks/credentials.yaml",
        "treatment: mitigate",
        "treatment: accept",
    );
    pack.check()
        .expect(&[("E031", "risks/credentials.yaml", 7, 1)]);
    pack.edit(
        "risks/credentials.yaml",
        "treatment: accept",
        "treatment: accept\naccepted_by: amara",
    );
    pack.check().expect(&[]);
}

#[test]
fn population_files_are_validated() {
    let checked = fixture_with(&[
        ("populations/XX-99.csv", "id,occurred_on\nX-1,2026-02-01\n"),
        ("populations/AC-01.csv", "ticket,date\nX-1,2026-02-01\n"),
        (
            "populations/IR-01.csv",
            "id,occurred_on,title\nI-1,2026-02-30,Bad date\nI-2,2026-03-01,Ok\nI-2,2026-03-02,Again\n",
        ),
    ])
    .check();
    checked.expect(&[
        ("E050", "populations/AC-01.csv", 1, 1),
        ("E004", "populations/IR-01.csv", 2, 1),
        ("E010", "populations/IR-01.csv", 4, 1),
        ("E050", "populations/XX-99.csv", 1, 1),
    ]);
    assert!(checked.at(0).message.contains("`id` and `occurred_on`"));
    assert!(checked.at(3).message.contains("unknown control `XX-99`"));
}

// ---------------------------------------------------------------------------------------------
// Links inside Markdown

#[test]
fn broken_link_in_a_policy_body_is_reported_at_its_line() {
    let md = "---
id: POL-LINK
title: Linked
owner: amara
approved_by: dmitri
approved_on: 2026-01-15
version: 1
---
# Links

Fine: [ok](control:AC-01) and [https](https://example.com).
Broken: see [the control](control:AC-99) and [risk](risk:R-99).
";
    let checked = fixture_with(&[("policies/linky.md", md)]).check();
    checked.expect(&[
        ("E018", "policies/linky.md", 12, 13),
        ("E018", "policies/linky.md", 12, 46),
    ]);
    assert_eq!(checked.at(0).message, "link to unknown control `AC-99`");
    assert_eq!(checked.at(1).message, "link to unknown risk `R-99`");
}

#[test]
fn broken_link_in_a_yaml_markdown_field_is_reported_at_the_field() {
    let pack = Pack::valid();
    pack.edit(
        "controls/change.yaml",
        "approved before release.",
        "approved before release under [the policy](policy:POL-XX) and [A.5.99](annex:5.99).",
    );
    let checked = pack.check();
    checked.expect(&[
        ("E018", "controls/change.yaml", 3, 1),
        ("E018", "controls/change.yaml", 3, 1),
    ]);
    // Both at the field, in the order they appear in the text.
    assert_eq!(checked.at(0).message, "link to unknown policy `POL-XX`");
    assert_eq!(checked.at(1).message, "link to unknown annex `5.99`");
}

#[test]
fn broken_link_in_a_block_scalar_is_reported_at_its_line() {
    let pack = Pack::valid();
    pack.edit("controls/access.yaml", "(policy:POL-AC)", "(policy:POL-XX)");
    let checked = pack.check();
    // `description: |` is on line 3; the link starts the text's second line (line 5, column 5).
    checked.expect(&[("E018", "controls/access.yaml", 5, 5)]);
}

// ---------------------------------------------------------------------------------------------
// Warnings (exit 0)

#[test]
fn evidence_outside_the_period() {
    let checked = fixture_with(&[(
        "evidence/t.yaml",
        &ev_with("occurred_on: 2026-03-02", "occurred_on: 2025-12-15"),
    )])
    .check();
    checked.expect(&[("W101", "evidence/t.yaml", 5, 1)]);
    assert_eq!(checked.at(0).severity, "warning");
    assert_eq!(checked.at(0).rule, "outside-period");
}

#[test]
fn a_rotation_before_the_period_is_history_not_outside_the_period() {
    let rotation = |day: &str| {
        format!(
            "id: EV-H\ncontrols: [NHI-01]\nkind: rotation\ntitle: Rotated\noccurred_on: {day}\nperformed_by: sven\nidentity: svc-deploy\nresult: pass\n"
        )
    };
    // Before the period: it starts the credential's age, no warning.
    fixture_with(&[("evidence/h.yaml", &rotation("2025-12-15"))])
        .check()
        .expect(&[]);
    // After the period it is still outside it.
    fixture_with(&[("evidence/h.yaml", &rotation("2026-07-02"))])
        .check()
        .expect(&[("W101", "evidence/h.yaml", 5, 1)]);
}

#[test]
fn a_record_after_the_period_covering_an_interval_of_it_is_not_outside_it() {
    let late = |covers: &str| {
        ev_with(
            "occurred_on: 2026-03-02",
            &format!("occurred_on: 2026-07-01\ncovers: {covers}"),
        )
    };
    // The Q2 sign-off of 1 July covers the period's second quarter.
    fixture_with(&[("evidence/t.yaml", &late("2026-Q2"))])
        .check()
        .expect(&[]);
    // One that covers a quarter after the period is still outside it.
    fixture_with(&[("evidence/t.yaml", &late("2026-Q3"))])
        .check()
        .expect(&[("W101", "evidence/t.yaml", 5, 1)]);
}

#[test]
fn control_without_evidence() {
    let pack = Pack::valid();
    pack.remove("evidence/incident.yaml");
    let checked = pack.check();
    checked.expect(&[("W102", "controls/incident.yaml", 1, 1)]);
    assert!(checked.at(0).message.contains("`IR-01`"));
}

#[test]
fn quarterly_control_missing_a_quarter() {
    let pack = Pack::valid();
    pack.edit(
        "evidence/access-reviews.yaml",
        "occurred_on: 2026-06-19",
        "occurred_on: 2026-03-30",
    );
    let checked = pack.check();
    checked.expect(&[("W103", "controls/access.yaml", 8, 3)]);
    assert_eq!(
        checked.at(0).message,
        "quarterly control `AC-01` has no evidence in 2026-Q2 (of 2 due by 2026-06-30)"
    );
}

#[test]
fn same_person_performed_and_approved() {
    let checked = fixture_with(&[("evidence/t.yaml", &format!("{EV}approved_by: sven\n"))]).check();
    checked.expect(&[("W104", "evidence/t.yaml", 8, 1)]);
    assert_eq!(checked.at(0).rule, "segregation-of-duties");
}

#[test]
fn policy_past_its_review_interval() {
    let pack = Pack::valid();
    pack.edit(
        "policies/operations.md",
        "approved_on: 2025-09-01",
        "approved_on: 2025-03-01",
    );
    let checked = pack.check();
    checked.expect(&[("W106", "policies/operations.md", 6, 1)]);
    assert!(checked.at(0).message.contains("2026-03-01"));
}

#[test]
fn rotations_too_far_apart() {
    let pack = Pack::valid();
    pack.edit(
        "evidence/rotations.yaml",
        "occurred_on: 2026-04-20",
        "occurred_on: 2026-05-20",
    );
    let checked = pack.check();
    checked.expect(&[("W107", "identities/deploy.yaml", 7, 1)]);
    assert!(
        checked
            .at(0)
            .message
            .contains("rotated 108 days after its previous rotation"),
        "{:?}",
        checked.at(0)
    );
}

#[test]
fn rotation_overdue_at_period_end() {
    let pack = Pack::valid();
    pack.edit(
        "evidence/rotations.yaml",
        "occurred_on: 2026-04-20",
        "occurred_on: 2026-03-01",
    );
    let checked = pack.check();
    checked.expect(&[("W108", "identities/deploy.yaml", 7, 1)]);
    assert!(
        checked
            .at(0)
            .message
            .contains("not rotated for 121 days after its previous rotation"),
        "{:?}",
        checked.at(0)
    );

    // A decommissioned identity is not overdue.
    pack.edit(
        "identities/deploy.yaml",
        "decommissioned_on: null",
        "decommissioned_on: 2026-05-01",
    );
    pack.check().expect(&[]);
}

#[test]
fn identity_owned_by_nobody() {
    let pack = Pack::valid();
    pack.edit("identities/deploy.yaml", "owner: sven\n", "");
    pack.check()
        .expect(&[("W109", "identities/deploy.yaml", 1, 1)]);
}
