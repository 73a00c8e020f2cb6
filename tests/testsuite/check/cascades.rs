//! One cause, one error (issue 15 item 7): a record that fails to parse keeps its id when it
//! can be read, so what names it is not reported again; a broken people.yaml is one error; and
//! the parser's messages say what YAML made of the text (item 8).

use super::*;

/// Exactly one diagnostic, the error `code` in `path` at `line`; returns it.
#[track_caller]
fn one_error<'a>(checked: &'a Checked, code: &str, path: &str, line: usize) -> &'a Diag {
    let found: Vec<(&str, &str, usize)> = checked.found().iter().map(|f| (f.0, f.1, f.2)).collect();
    assert_eq!(
        found,
        [(code, path, line)],
        "full output: {:#?}",
        checked.diags
    );
    assert_eq!(checked.status, 1);
    checked.at(0)
}

#[test]
fn a_tab_in_people_yaml_is_one_error() {
    let pack = Pack::valid();
    pack.edit("people.yaml", "- { id: sven", "-\t{ id: sven");
    let checked = pack.check();
    let d = one_error(&checked, "E001", "people.yaml", 2);
    assert!(
        d.message.starts_with("a tab character in the indentation"),
        "{}",
        d.message
    );
    assert_eq!(d.hint.as_deref(), Some("replace the tab with spaces"));
}

#[test]
fn an_unreadable_people_yaml_is_one_error() {
    let pack = Pack::valid();
    pack.write("people.yaml", "people: [amara, sven\n");
    one_error(&pack.check(), "E001", "people.yaml", 2);
    pack.write("people.yaml", "\n");
    one_error(&pack.check(), "E001", "people.yaml", 1);
}

#[test]
fn a_person_who_fails_to_parse_is_still_known() {
    let pack = Pack::valid();
    pack.edit(
        "people.yaml",
        "title: Platform Engineer",
        "titel: Platform Engineer",
    );
    one_error(&pack.check(), "E002", "people.yaml", 2);
}

#[test]
fn a_control_with_a_typo_is_one_error() {
    // AC-01 is named by a policy, a risk, a review, evidence and Markdown links, and it maps
    // Annex A 5.15, 5.18 and 8.2, which nothing else decides.
    let pack = Pack::valid();
    pack.edit(
        "controls/access.yaml",
        "  owner: amara\n  operator: sven\n  frequency: quarterly",
        "  ownr: amara\n  operator: sven\n  frequency: quarterly",
    );
    let checked = pack.check();
    let d = one_error(&checked, "E002", "controls/access.yaml", 6);
    assert_eq!(
        d.hint.as_deref(),
        Some("did you mean `owner`? (free-form data goes under `extra:`)")
    );
}

#[test]
fn a_control_file_that_does_not_parse_is_one_error() {
    let pack = Pack::valid();
    pack.edit(
        "controls/access.yaml",
        "  frequency: quarterly",
        "  frequency: [quarterly",
    );
    one_error(&pack.check(), "E001", "controls/access.yaml", 9);
}

#[test]
fn a_policy_without_front_matter_is_one_error() {
    let pack = Pack::valid();
    let text = fs::read_to_string(pack.path("policies/access-control.md")).unwrap();
    pack.write(
        "policies/access-control.md",
        text.trim_start_matches("---\n"),
    );
    one_error(&pack.check(), "E006", "policies/access-control.md", 1);
}

#[test]
fn an_identity_and_an_evidence_record_with_a_typo_are_one_error_each() {
    let pack = Pack::valid();
    pack.edit(
        "identities/deploy.yaml",
        "rotation_days: 90",
        "rotation_days: ninety",
    );
    one_error(&pack.check(), "E003", "identities/deploy.yaml", 7);
}

#[test]
fn an_unreadable_soa_is_one_error() {
    let pack = Pack::valid();
    pack.edit("soa.yaml", "- { annex_a: \"7.4\",", "- { annex_a: \"7.4\"");
    one_error(&pack.check(), "E001", "soa.yaml", 45);
}

#[test]
fn an_unquoted_annex_a_id_is_read_as_written() {
    // `8.10` is the number 8.1 to YAML; as an SoA decision it is Annex A 8.10, as before 8.1.
    let pack = Pack::valid();
    pack.edit("soa.yaml", "annex_a: \"8.10\"", "annex_a: 8.10");
    pack.check().expect(&[]);
}

#[test]
fn an_unquoted_mapping_is_explained_and_is_one_error() {
    let pack = Pack::valid();
    pack.edit(
        "controls/access.yaml",
        "[\"5.15\", \"5.18\", \"8.2\"]",
        "[\"5.15\", \"5.18\", \"8.2\", 8.10]",
    );
    let checked = pack.check();
    let d = one_error(&checked, "E003", "controls/access.yaml", 12);
    assert_eq!(
        d.message,
        "`8.10` is read as the number 8.1, but text is expected here"
    );
    assert_eq!(d.hint.as_deref(), Some("quote it: \"8.10\""));
}

#[test]
fn an_invalid_date_echoes_the_value() {
    let checked =
        fixture_with(&[("evidence/t.yaml", &ev_with("2026-03-02", "2026-02-30"))]).check();
    let d = one_error(&checked, "E004", "evidence/t.yaml", 5);
    assert_eq!(
        d.message,
        "`occurred_on` is not a valid date: `2026-02-30` (input is out of range)"
    );
}

#[test]
fn a_mistyped_soa_id_is_one_error() {
    // `A.5.7` and `5.77` name no Annex A control; 5.7 is then undecided too, but the typo is the
    // one cause: a single error on the line, suggesting 5.7.
    for typo in ["A 5.7", "5.77"] {
        let pack = Pack::valid();
        pack.edit(
            "soa.yaml",
            "- { annex_a: \"5.7\",",
            &format!("- {{ annex_a: \"{typo}\","),
        );
        let checked = pack.check();
        let d = one_error(&checked, "E016", "soa.yaml", 8);
        assert_eq!(d.hint.as_deref(), Some("did you mean `5.7`?"), "{typo}");
    }
}

#[test]
fn an_unreadable_pack_yaml_does_not_put_criteria_out_of_scope() {
    // A link to an availability criterion, in scope while pack.yaml declares the category (no
    // error; W161 says that no control maps A1.1 to A1.3).
    let pack = Pack::valid();
    pack.edit(
        "pack.yaml",
        "categories: [security]",
        "categories: [security, availability]",
    );
    pack.edit(
        "policies/access-control.md",
        "[CC6.2](soc2:CC6.2) require.",
        "[CC6.2](soc2:CC6.2) require, and [A1.2](soc2:A1.2) for recovery.",
    );
    let clean = pack.check();
    assert_eq!(clean.status, 0, "{:#?}", clean.diags);
    // pack.yaml no longer parses: its scope is unknown, so the link is not reported as out of
    // scope on top of the one syntax error.
    pack.edit(
        "pack.yaml",
        "categories: [security,",
        "categories: [security,,",
    );
    one_error(&pack.check(), "E001", "pack.yaml", 18);
}
