//! Syntax and types of every file, the ids of records and the references between them.

use super::*;

// ---------------------------------------------------------------------------------------------
// Syntax and types

#[test]
fn yaml_syntax_error_has_its_real_position() {
    let checked = fixture_with(&[("evidence/bad.yaml", "id: EV-T\ntitle: bad: colon\n")]).check();
    checked.expect(&[("E001", "evidence/bad.yaml", 2, 11)]);
    assert_eq!(
        checked.at(0).message,
        "a second `: ` in the value `bad: colon`; YAML reads it as a new key \
         (parser: mapping values are not allowed in this context)"
    );
    assert_eq!(
        checked.at(0).hint.as_deref(),
        Some("quote the value: `title: \"bad: colon\"`")
    );
}

#[test]
fn front_matter_syntax_error_is_positioned_in_the_file() {
    let md = "---\nid: POL-X\ntitle: bad: colon\n---\n# Body\n";
    fixture_with(&[("policies/bad.md", md)])
        .check()
        .expect(&[("E001", "policies/bad.md", 3, 11)]);
}

#[test]
fn front_matter_must_open_and_close() {
    let checked = fixture_with(&[
        ("policies/open.md", "---\nid: POL-X\ntitle: Never closed\n"),
        ("reviews/none.md", "# Minutes without front matter\n"),
    ])
    .check();
    checked.expect(&[
        ("E006", "policies/open.md", 1, 1),
        ("E006", "reviews/none.md", 1, 1),
    ]);
    assert!(checked.at(0).message.contains("not closed"));
    assert!(checked.at(1).message.contains("missing front matter"));
}

#[test]
fn unknown_field_suggests_the_intended_one() {
    let checked = fixture_with(&[(
        "evidence/t.yaml",
        &format!("{EV}summry: Typo in a field name.\n"),
    )])
    .check();
    checked.expect(&[("E002", "evidence/t.yaml", 8, 1)]);
    assert_eq!(checked.at(0).message, "unknown field `summry`");
    assert_eq!(
        checked.at(0).hint.as_deref(),
        Some("did you mean `summary`? (free-form data goes under `extra:`)")
    );
}

#[test]
fn unknown_field_in_a_list_record_is_located_in_that_record() {
    let pack = Pack::valid();
    pack.edit(
        "people.yaml",
        "title: CTO }",
        "title: CTO }\n- { id: zoe, name: Zoe, titel: Auditor }",
    );
    let checked = pack.check();
    checked.expect(&[("E002", "people.yaml", 4, 25)]);
    assert!(checked.at(0).hint.as_deref().unwrap().contains("`title`"));
}

#[test]
fn unknown_field_in_a_nested_mapping_suggests_among_two() {
    let risk = "id: R-02
title: Vendor lock-in
owner: amara
likelihood: 1
impact: 2
treatment: avoid
residual: { likelihood: 1, impakt: 1 }
";
    let checked = fixture_with(&[("risks/r2.yaml", risk)]).check();
    checked.expect(&[("E002", "risks/r2.yaml", 7, 28)]);
    // serde lists two fields as "`likelihood` or `impact`": still a suggestion.
    assert_eq!(
        checked.at(0).hint.as_deref(),
        Some("did you mean `impact`? (free-form data goes under `extra:`)")
    );
}

#[test]
fn byte_order_marks_are_not_content() {
    let pack = Pack::valid();
    for rel in [
        "controls/change.yaml",
        "people.yaml",
        "policies/operations.md",
        "populations/CM-01.csv",
    ] {
        let text = fs::read_to_string(pack.path(rel)).unwrap();
        pack.write(rel, format!("\u{feff}{text}"));
    }
    pack.check().expect(&[]);
    // Positions stay right after a BOM.
    pack.edit("controls/change.yaml", "owner: dmitri", "owner: dmitry");
    pack.check()
        .expect(&[("E011", "controls/change.yaml", 4, 1)]);
}

#[test]
fn free_form_data_under_extra_is_accepted() {
    fixture_with(&[(
        "evidence/t.yaml",
        &format!("{EV}extra: {{ anything: [1, 2], goes: {{ here: true }} }}\n"),
    )])
    .check()
    .expect(&[]);
}

#[test]
fn wrong_type_and_unknown_variant_are_invalid_values() {
    let checked = fixture_with(&[
        (
            "evidence/a.yaml",
            &ev_with("controls: [CM-01]", "controls: CM-01"),
        ),
        ("evidence/b.yaml", &ev_with("kind: change", "kind: chnage")),
        (
            "risks/r.yaml",
            "id: R-02\ntitle: T\nowner: amara\nlikelihood: high\nimpact: 3\ntreatment: avoid\n",
        ),
    ])
    .check();
    checked.expect(&[
        ("E003", "evidence/a.yaml", 2, 1),
        ("E003", "evidence/b.yaml", 3, 1),
        ("E003", "risks/r.yaml", 4, 1),
    ]);
    assert!(
        checked.at(0).message.contains("invalid type"),
        "{:?}",
        checked.at(0)
    );
    assert!(
        checked.at(1).message.contains("chnage"),
        "{:?}",
        checked.at(1)
    );
}

#[test]
fn a_scalar_file_is_not_a_record() {
    fixture_with(&[("controls/x.yaml", "just some text\n")])
        .check()
        .expect(&[("E003", "controls/x.yaml", 1, 1)]);
}

#[test]
fn impossible_calendar_date_is_reported() {
    let checked = fixture_with(&[(
        "evidence/t.yaml",
        &ev_with("occurred_on: 2026-03-02", "occurred_on: 2026-02-30"),
    )])
    .check();
    checked.expect(&[("E004", "evidence/t.yaml", 5, 1)]);
    assert!(checked.at(0).message.contains("`occurred_on`"));
}

#[test]
fn missing_required_field_points_at_the_record() {
    let second = ev_with("performed_by: sven\n", "").replace("EV-T", "EV-U");
    let list = format!("- {}- {}", indent(EV), indent(&second));
    let checked = fixture_with(&[("evidence/t.yaml", &list)]).check();
    checked.expect(&[("E005", "evidence/t.yaml", 8, 3)]);
    assert_eq!(
        checked.at(0).message,
        "missing required field `performed_by`"
    );
}

/// Indent every line after the first by two spaces (to make a record a list item).
fn indent(record: &str) -> String {
    record.replace('\n', "\n  ").trim_end().to_string() + "\n"
}

#[test]
fn out_of_range_scores_and_periods() {
    let pack = Pack::valid();
    pack.edit("risks/credentials.yaml", "impact: 5", "impact: 6")
        .edit("pack.yaml", "end: 2026-06-30", "end: 2025-06-30");
    let checked = pack.check();
    let found = checked.found();
    assert!(
        found.contains(&("E032", "risks/credentials.yaml", 6, 1)),
        "{found:?}"
    );
    assert!(found.contains(&("E032", "pack.yaml", 15, 30)), "{found:?}");
}

// ---------------------------------------------------------------------------------------------
// Identities of records and references between them

#[test]
fn duplicate_ids_across_files_name_both_places() {
    let checked = fixture_with(&[("evidence/dup.yaml", &EV.replace("EV-T", "CHG-101"))]).check();
    checked.expect(&[
        ("E010", "evidence/changes.yaml", 1, 3),
        ("E010", "evidence/dup.yaml", 1, 1),
    ]);
    assert_eq!(
        checked.at(0).message,
        "evidence id `CHG-101` is defined again in evidence/dup.yaml"
    );
    assert_eq!(
        checked.at(1).message,
        "duplicate evidence id `CHG-101`; first defined in evidence/changes.yaml"
    );
}

#[test]
fn unknown_person_and_policy_on_a_control() {
    let pack = Pack::valid();
    pack.edit("controls/change.yaml", "owner: dmitri", "owner: dmitry")
        .edit("controls/change.yaml", "[POL-OPS]", "[POL-OPZ]");
    let checked = pack.check();
    checked.expect(&[
        ("E011", "controls/change.yaml", 4, 1),
        ("E013", "controls/change.yaml", 7, 12),
    ]);
    assert_eq!(
        checked.at(1).hint.as_deref(),
        Some("did you mean `POL-OPS`?")
    );
}

#[test]
fn an_identity_is_not_a_person() {
    let checked = fixture_with(&[(
        "evidence/t.yaml",
        &ev_with("performed_by: sven", "performed_by: svc-deploy"),
    )])
    .check();
    checked.expect(&[("E011", "evidence/t.yaml", 6, 1)]);
    assert!(checked.at(0).message.contains("non-human identity cannot"));
}

#[test]
fn unknown_control_and_identity_on_evidence() {
    let checked = fixture_with(&[(
        "evidence/t.yaml",
        &format!(
            "{}identity: svc-deplyo\n",
            ev_with("controls: [CM-01]", "controls: [CM-01, CM-99]")
        ),
    )])
    .check();
    checked.expect(&[
        ("E012", "evidence/t.yaml", 2, 19),
        ("E014", "evidence/t.yaml", 8, 1),
    ]);
    assert_eq!(checked.at(0).message, "unknown control `CM-99`");
    assert_eq!(
        checked.at(1).hint.as_deref(),
        Some("did you mean `svc-deploy`?")
    );
}

#[test]
fn identity_lists_are_checked_item_by_item_at_their_positions() {
    // `identity:` as a list (an access review of several identities) and `identities:`: each
    // unknown id is one error at its own position; the known ones are fine.
    let checked = fixture_with(&[(
        "evidence/t.yaml",
        &format!(
            "{}identity: [svc-deploy, svc-ghost]\nidentities: [svc-deploy, svc-phantom]\n",
            EV
        ),
    )])
    .check();
    checked.expect(&[
        ("E014", "evidence/t.yaml", 8, 24),
        ("E014", "evidence/t.yaml", 9, 26),
    ]);
    assert_eq!(
        checked.at(0).message,
        "unknown non-human identity `svc-ghost`"
    );
    assert_eq!(
        checked.at(1).message,
        "unknown non-human identity `svc-phantom`"
    );
    // A list of one, and no list at all: clean.
    fixture_with(&[("evidence/t.yaml", &format!("{EV}identity: [svc-deploy]\n"))])
        .check()
        .expect(&[]);
}

#[test]
fn unknown_risk_in_a_review_front_matter() {
    let pack = Pack::valid();
    pack.edit("reviews/mr-2026-1.md", "[AC-01, R-01]", "[AC-01, R-09]");
    let checked = pack.check();
    checked.expect(&[("E015", "reviews/mr-2026-1.md", 9, 21)]);
    assert!(checked.at(0).message.contains("`R-09`"));
}

#[test]
fn unknown_control_in_policy_and_risk() {
    let pack = Pack::valid();
    pack.edit("policies/operations.md", "[CM-01, IR-01]", "[CM-01, IR-02]")
        .edit(
            "risks/credentials.yaml",
            "[NHI-01, AC-01]",
            "[NHI-02, AC-01]",
        );
    pack.check().expect(&[
        ("E012", "policies/operations.md", 9, 19),
        ("E012", "risks/credentials.yaml", 8, 12),
    ]);
}
