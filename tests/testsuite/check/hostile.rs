//! Hostile input (a clear error, quickly, never a crash or a hang), and the example pack shipped
//! in the repository.

use super::*;

// ---------------------------------------------------------------------------------------------
// Hostile input: a clear error, quickly, never a crash or a hang

#[track_caller]
fn assert_refused_quickly(checked: &Checked, expected: &[(&str, &str, usize, usize)]) {
    checked.expect(expected);
    assert!(
        checked.elapsed < HOSTILE_BUDGET,
        "took {:?}",
        checked.elapsed
    );
}

#[test]
fn alias_bomb_is_refused() {
    let mut bomb = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (name, prev) in "bcdefghi".chars().zip("abcdefgh".chars()) {
        let refs = vec![format!("*{prev}"); 9].join(", ");
        bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    let checked = fixture_with(&[("controls/bomb.yaml", &bomb)]).check();
    assert_refused_quickly(&checked, &[("E001", "controls/bomb.yaml", 1, 1)]);
    assert!(checked.at(0).message.contains("repetition limit"));
}

#[test]
fn deep_nesting_is_refused() {
    let checked = fixture_with(&[
        ("controls/deep.yaml", &"[".repeat(10_000)),
        ("evidence/deep.yaml", &"- ".repeat(10_000)),
    ])
    .check();
    assert_eq!(checked.status, 1);
    let codes: Vec<(&str, &str)> = checked.found().iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(
        codes,
        [
            ("E001", "controls/deep.yaml"),
            ("E001", "evidence/deep.yaml")
        ]
    );
    assert!(checked.at(0).message.contains("recursion limit"));
    assert!(
        checked.elapsed < HOSTILE_BUDGET,
        "took {:?}",
        checked.elapsed
    );
}

#[test]
fn invalid_utf8_is_refused_at_the_first_bad_byte() {
    let pack = Pack::valid();
    pack.write(
        "evidence/latin1.yaml",
        b"id: EV-U\ntitle: caf\xe9 cr\xe8me\n",
    );
    let checked = pack.check();
    assert_refused_quickly(&checked, &[("E001", "evidence/latin1.yaml", 2, 11)]);
    assert_eq!(checked.at(0).message, "file is not valid UTF-8");
}

#[test]
fn empty_files_are_refused() {
    let checked = fixture_with(&[
        ("controls/empty.yaml", ""),
        ("evidence/blank.yaml", "\n   \n"),
        ("risks/comment.yaml", "# nothing here yet\n"),
        ("policies/empty.md", ""),
    ])
    .check();
    assert_refused_quickly(
        &checked,
        &[
            ("E001", "controls/empty.yaml", 1, 1),
            ("E001", "evidence/blank.yaml", 1, 1),
            ("E001", "policies/empty.md", 1, 1),
            ("E001", "risks/comment.yaml", 1, 1),
        ],
    );
}

#[test]
fn unclosed_front_matter_is_refused() {
    let mut md = String::from("---\nid: MR-X\nkind: management-review\n");
    md.push_str(&"attendee line\n".repeat(10_000));
    let checked = fixture_with(&[("reviews/open.md", &md)]).check();
    assert_refused_quickly(&checked, &[("E006", "reviews/open.md", 1, 1)]);
}

#[test]
fn five_megabyte_single_line_strings_are_handled() {
    let big = "a".repeat(5 * 1024 * 1024);
    // An unterminated string: the error says what is unclosed.
    let checked = fixture_with(&[("evidence/big.yaml", &format!("title: \"{big}\n"))]).check();
    assert_refused_quickly(&checked, &[("E001", "evidence/big.yaml", 2, 1)]);
    assert!(
        checked.at(0).message.contains("quoted scalar"),
        "{}",
        checked.at(0).message
    );
    // A well-formed 5 MB value, with a problem after it that needs positions.
    let record = format!(
        "{}summary: {big}\n",
        ev_with("performed_by: sven", "performed_by: nobody")
    );
    let checked = fixture_with(&[("evidence/big.yaml", &record)]).check();
    assert_refused_quickly(&checked, &[("E011", "evidence/big.yaml", 6, 1)]);
}

// ---------------------------------------------------------------------------------------------
// The example pack shipped in the repository

#[test]
fn example_content_checks_without_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    if !root.join("pack.yaml").exists() {
        eprintln!("note: content/pack.yaml does not exist yet; skipping the example pack check");
        return;
    }
    let out = crate::common::bin()
        .arg("--content")
        .arg(&root)
        .arg("check")
        .output()
        .expect("run evidencepack");
    assert_eq!(
        out.status.code(),
        Some(0),
        "content/ has errors:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
