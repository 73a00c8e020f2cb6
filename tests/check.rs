//! Integration tests of `evidencepack check`: whole packs on disk, run through the real binary.
//!
//! Every test starts from the small valid pack in `tests/fixtures/check/valid/` (which checks
//! clean: no errors, no warnings), copies it into a temporary folder, changes one thing, runs
//! `evidencepack --content pack check --format json` from that folder, and asserts the exact
//! diagnostics: code, path (relative to the content root), line and column.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde::Deserialize;

/// The valid base pack.
const VALID: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/check/valid");

/// Hostile input must be refused well within this (generous, for loaded CI machines).
const HOSTILE_BUDGET: Duration = Duration::from_secs(5);

/// A valid evidence record for CM-01 in seven lines; tests append or change a line.
const EV: &str = "id: EV-T
controls: [CM-01]
kind: change
title: Test record
occurred_on: 2026-03-02
performed_by: sven
result: pass
";

/// One diagnostic as `--format json` prints it.
#[derive(Debug, Deserialize)]
struct Diag {
    path: String,
    line: usize,
    column: usize,
    severity: String,
    code: String,
    rule: String,
    message: String,
    #[serde(default)]
    hint: Option<String>,
}

/// The outcome of one `check` run.
#[derive(Debug)]
struct Checked {
    status: i32,
    diags: Vec<Diag>,
    elapsed: Duration,
}

impl Checked {
    /// `(code, path, line, column)` of every diagnostic, in output order.
    fn found(&self) -> Vec<(&str, &str, usize, usize)> {
        self.diags
            .iter()
            .map(|d| (d.code.as_str(), d.path.as_str(), d.line, d.column))
            .collect()
    }

    /// Assert exactly these diagnostics (in output order) and the exit code they imply.
    #[track_caller]
    fn expect(&self, expected: &[(&str, &str, usize, usize)]) -> &Self {
        assert_eq!(self.found(), expected, "full output: {:#?}", self.diags);
        let errors = expected.iter().any(|(code, ..)| code.starts_with('E'));
        assert_eq!(
            self.status,
            i32::from(errors),
            "exit code; {:#?}",
            self.diags
        );
        self
    }

    /// The `i`th diagnostic.
    fn at(&self, i: usize) -> &Diag {
        &self.diags[i]
    }
}

/// A copy of the valid pack in a temporary folder, at `<tmp>/pack`.
struct Pack {
    tmp: tempfile::TempDir,
}

/// The valid pack with `files` written over it (relative to the content root).
fn fixture_with(files: &[(&str, &str)]) -> Pack {
    let pack = Pack::valid();
    for (rel, text) in files {
        pack.write(rel, text);
    }
    pack
}

impl Pack {
    fn valid() -> Pack {
        let tmp = tempfile::tempdir().expect("temp dir");
        copy_dir(Path::new(VALID), &tmp.path().join("pack"));
        Pack { tmp }
    }

    /// The content root.
    fn root(&self) -> PathBuf {
        self.tmp.path().join("pack")
    }

    /// A path inside the content root.
    fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Write (or overwrite) a file of the pack.
    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> &Pack {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(&path, bytes).expect("write");
        self
    }

    /// Replace the one occurrence of `from` in a file of the pack.
    #[track_caller]
    fn edit(&self, rel: &str, from: &str, to: &str) -> &Pack {
        let path = self.path(rel);
        let text = fs::read_to_string(&path).expect("read");
        assert_eq!(text.matches(from).count(), 1, "`{from}` in {rel}");
        fs::write(&path, text.replacen(from, to, 1)).expect("write");
        self
    }

    /// Delete a file of the pack.
    fn remove(&self, rel: &str) -> &Pack {
        fs::remove_file(self.path(rel)).expect("remove");
        self
    }

    /// Run the binary from the temporary folder.
    fn run(&self, args: &[&str]) -> (Output, Duration) {
        let start = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_evidencepack"))
            .args(args)
            .current_dir(self.tmp.path())
            .output()
            .expect("run evidencepack");
        (out, start.elapsed())
    }

    /// `evidencepack --content pack check --format json`, parsed.
    fn check(&self) -> Checked {
        let (out, elapsed) = self.run(&["--content", "pack", "check", "--format", "json"]);
        let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
        let diags: Vec<Diag> = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("not a JSON array of diagnostics ({e}): {stdout}"));
        let diags = diags
            .into_iter()
            .map(|mut d| {
                d.path = d
                    .path
                    .strip_prefix("pack/")
                    .unwrap_or_else(|| panic!("path outside the content root: {}", d.path))
                    .to_string();
                d
            })
            .collect();
        Checked {
            status: out.status.code().expect("exit code"),
            diags,
            elapsed,
        }
    }

    /// `evidencepack --content pack check` (human output): exit code and stdout.
    fn check_human(&self) -> (i32, String) {
        let (out, _) = self.run(&["--content", "pack", "check"]);
        (
            out.status.code().expect("exit code"),
            String::from_utf8(out.stdout).expect("UTF-8 output"),
        )
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read fixture dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// An evidence file holding [`EV`] with one line replaced.
fn ev_with(from: &str, to: &str) -> String {
    assert_eq!(EV.matches(from).count(), 1, "`{from}` in EV");
    EV.replacen(from, to, 1)
}

// ---------------------------------------------------------------------------------------------
// The valid pack, output format and exit codes

#[test]
fn valid_pack_checks_clean() {
    let pack = Pack::valid();
    let checked = pack.check();
    checked.expect(&[]);
    let (status, out) = pack.check_human();
    assert_eq!(status, 0);
    assert_eq!(
        out,
        "checked 2 policies, 4 controls, 1 risks, 1 identities, 7 evidence records, 1 reviews: \
         0 errors, 0 warnings\n"
    );
}

/// Five errors in three files: all reported, in path and line order, exit 1.
fn five_errors() -> Pack {
    let pack = fixture_with(&[(
        "evidence/t.yaml",
        &format!(
            "{}identity: ghost\n",
            ev_with("controls: [CM-01]", "controls: [CM-01, CM-99]")
        ),
    )]);
    pack.edit("controls/change.yaml", "owner: dmitri", "owner: dmitry")
        .edit("controls/change.yaml", "[POL-OPS]", "[POL-OPZ]")
        .edit(
            "risks/credentials.yaml",
            "treatment: mitigate",
            "treatment: accept",
        );
    pack
}

#[test]
fn every_problem_is_reported_at_once_and_sorted() {
    let pack = five_errors();
    let checked = pack.check();
    checked.expect(&[
        ("E011", "controls/change.yaml", 4, 1),
        ("E013", "controls/change.yaml", 7, 12),
        ("E012", "evidence/t.yaml", 2, 19),
        ("E014", "evidence/t.yaml", 8, 1),
        ("E031", "risks/credentials.yaml", 7, 1),
    ]);
    assert_eq!(checked.at(0).message, "unknown person `dmitry`");
    assert_eq!(
        checked.at(0).hint.as_deref(),
        Some("did you mean `dmitri`?")
    );

    // The human format prints the same diagnostics, in the same order, as the contract says.
    let (status, out) = pack.check_human();
    assert_eq!(status, 1);
    let lines: Vec<&str> = out.lines().filter(|l| !l.starts_with("  = hint")).collect();
    assert_eq!(
        lines,
        [
            "pack/controls/change.yaml:4:1: error[E011]: unknown person `dmitry`",
            "pack/controls/change.yaml:7:12: error[E013]: unknown policy `POL-OPZ`",
            "pack/evidence/t.yaml:2:19: error[E012]: unknown control `CM-99`",
            "pack/evidence/t.yaml:8:1: error[E014]: unknown non-human identity `ghost`",
            "pack/risks/credentials.yaml:7:1: error[E031]: risk `R-01` is accepted but names no `accepted_by`",
            "checked 2 policies, 4 controls, 1 risks, 1 identities, 8 evidence records, 1 reviews: 5 errors, 0 warnings",
        ]
    );
}

#[test]
fn json_output_is_an_array_of_complete_diagnostics() {
    let pack = five_errors();
    let (out, _) = pack.run(&["--content", "pack", "check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let items = value.as_array().expect("a JSON array");
    assert_eq!(items.len(), 5);
    for item in items {
        let obj = item.as_object().expect("an object per diagnostic");
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.retain(|k| *k != "hint");
        assert_eq!(
            keys,
            ["path", "line", "column", "severity", "code", "rule", "message", "subjects"]
        );
        assert!(obj["path"].as_str().unwrap().starts_with("pack/"));
        assert!(obj["line"].as_u64().unwrap() >= 1);
        assert!(obj["column"].as_u64().unwrap() >= 1);
        assert_eq!(obj["severity"], "error");
        assert!(obj["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    assert_eq!(items[0]["code"], "E011");
    assert_eq!(items[0]["rule"], "unknown-person");
    assert_eq!(
        items[0]["subjects"],
        serde_json::json!([{ "kind": "control", "id": "CM-01" }]),
        "the record the problem is in"
    );
}

#[test]
fn warnings_alone_exit_zero_and_show_in_both_formats() {
    let pack = Pack::valid();
    pack.edit("controls/change.yaml", "operator: sven", "operator: dmitri");
    pack.check()
        .expect(&[("W105", "controls/change.yaml", 5, 1)]);
    let (status, out) = pack.check_human();
    assert_eq!(status, 0);
    assert!(
        out.starts_with("pack/controls/change.yaml:5:1: warning[W105]: control `CM-01` is owned and operated by `dmitri`\n"),
        "{out}"
    );
    assert!(out.ends_with(": 0 errors, 1 warning\n"), "{out}");
}

#[test]
fn usage_and_io_failures_exit_two() {
    let pack = Pack::valid();
    let (out, _) = pack.run(&["--content", "no-such-folder", "check"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no-such-folder"), "{stderr}");
    assert!(out.stdout.is_empty());

    let (out, _) = pack.run(&["--content", "pack/pack.yaml", "check"]);
    assert_eq!(out.status.code(), Some(2), "a file is not a content folder");

    let (out, _) = pack.run(&["--content", "pack", "check", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
    let (out, _) = pack.run(&["--content", "pack", "check", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    let (out, _) = pack.run(&["--content", "pack"]);
    assert_eq!(out.status.code(), Some(2), "a subcommand is required");
}

/// `evidencepack check | head -1`: the reader leaves after the first line, and the command
/// stops quietly with success instead of failing on the closed pipe (as ripgrep does).
#[test]
fn a_closed_output_pipe_ends_quietly() {
    // Thousands of warnings: far more output than a pipe holds, so the command is still writing
    // when the reader leaves.
    let records: String = (0..3000)
        .map(|i| format!("- {{ id: EV-P{i}, controls: [CM-01], kind: change, title: Old, occurred_on: 2025-06-01, performed_by: sven, result: pass }}\n"))
        .collect();
    let pack = fixture_with(&[("evidence/old.yaml", &records)]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_evidencepack"))
        .args(["--content", "pack", "check"])
        .current_dir(pack.tmp.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run evidencepack");
    let mut first = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().expect("stdout")),
        &mut first,
    )
    .expect("first line");
    assert!(first.contains("warning[W101]"), "{first}");
    // The reader is gone (dropped with the BufReader above).
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{:?}: {stderr}", out.status);
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn missing_pack_and_people_files_are_errors() {
    let pack = Pack::valid();
    pack.remove("people.yaml");
    let checked = pack.check();
    // Without people every person reference is unknown too.
    assert_eq!(checked.status, 1);
    let missing: Vec<_> = checked
        .found()
        .into_iter()
        .filter(|d| d.0 != "E011")
        .collect();
    assert_eq!(missing, [("E007", "people.yaml", 1, 1)]);
    assert!(checked
        .found()
        .contains(&("E011", "controls/change.yaml", 4, 1)));

    let pack = Pack::valid();
    pack.remove("pack.yaml");
    let checked = pack.check();
    assert_eq!(checked.status, 1);
    assert!(checked.found().contains(&("E007", "pack.yaml", 1, 1)));
}

// ---------------------------------------------------------------------------------------------
// Syntax and types

#[test]
fn yaml_syntax_error_has_its_real_position() {
    let checked = fixture_with(&[("evidence/bad.yaml", "id: EV-T\ntitle: bad: colon\n")]).check();
    checked.expect(&[("E001", "evidence/bad.yaml", 2, 11)]);
    assert_eq!(
        checked.at(0).message,
        "mapping values are not allowed in this context"
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
    let checked = pack.check();
    checked.expect(&[("E020", "soa.yaml", 1, 1)]);
    assert!(checked.at(0).message.starts_with("Annex A 7.4 "));
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
    // A.7.4 is not an id (and so 7.4 and 7.5 are undecided); 7.6 is decided twice.
    assert_eq!(
        found,
        [
            ("E020", 1),
            ("E020", 1),
            ("E016", 45),
            ("E010", 46),
            ("E010", 47)
        ]
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
        "treatment: accept\naccepted_by: dmitri",
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
// Attachments

#[test]
fn attachment_paths_must_be_plain_relative_portable_and_nfc() {
    let list = "attachments:
  - ../etc/passwd
  - /etc/passwd
  - C:/x.txt
  - logs/CON.txt
  - NUL
  - COM1.log
  - \"cafe\\u0301.txt\"
  - missing/none.csv
  - access-reviews/2026-q1.csv
";
    let checked = fixture_with(&[("evidence/t.yaml", &format!("{EV}{list}"))]).check();
    checked.expect(&[
        ("E040", "evidence/t.yaml", 9, 5),
        ("E040", "evidence/t.yaml", 10, 5),
        ("E040", "evidence/t.yaml", 11, 5),
        ("E040", "evidence/t.yaml", 12, 5),
        ("E040", "evidence/t.yaml", 13, 5),
        ("E040", "evidence/t.yaml", 14, 5),
        ("E040", "evidence/t.yaml", 15, 5),
        ("E041", "evidence/t.yaml", 16, 5),
    ]);
    let why: Vec<&str> = checked.diags.iter().map(|d| d.message.as_str()).collect();
    assert!(why[0].contains("`.` or `..`"), "{why:?}");
    assert!(why[1].contains("absolute"), "{why:?}");
    assert!(why[2].contains("drive"), "{why:?}");
    for w in &why[3..6] {
        assert!(w.contains("reserved on Windows"), "{why:?}");
    }
    assert!(why[6].contains("NFC"), "{why:?}");
    assert!(why[7].contains("does not exist"), "{why:?}");
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_reported_and_never_followed() {
    use std::os::unix::fs::symlink;
    let pack = fixture_with(&[(
        "evidence/t.yaml",
        &format!("{EV}attachments: [evil.csv, outside/secret.txt]\n"),
    )]);
    // Outside the content root: a secret file and a file that would not even parse.
    let outside = pack.tmp.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("secret.txt"), "root:x:0:0\n").unwrap();
    fs::write(outside.join("control.yaml"), "id: [never parsed\n").unwrap();
    symlink(
        outside.join("secret.txt"),
        pack.path("attachments/evil.csv"),
    )
    .unwrap();
    symlink(&outside, pack.path("attachments/outside")).unwrap();
    symlink(
        outside.join("control.yaml"),
        pack.path("controls/linked.yaml"),
    )
    .unwrap();

    let checked = pack.check();
    checked.expect(&[
        ("E042", "controls/linked.yaml", 1, 1),
        ("E042", "evidence/t.yaml", 8, 15),
        // A linked folder is not walked into; what lies behind it is reached through a link.
        ("E042", "evidence/t.yaml", 8, 25),
    ]);
    assert!(checked.at(0).message.contains("symbolic link"));
}

/// `attachments/ext -> /etc` and an evidence record naming `ext/passwd`: the attachment is
/// reached through a symbolic link (E042), not missing (E041), and nothing behind the link is
/// read.
#[cfg(unix)]
#[test]
fn an_attachment_behind_a_linked_folder_is_a_symlink_not_missing() {
    use std::os::unix::fs::symlink;
    let pack = fixture_with(&[(
        "evidence/t.yaml",
        &format!("{EV}attachments: [ext/passwd]\n"),
    )]);
    symlink("/etc", pack.path("attachments/ext")).unwrap();
    let checked = pack.check();
    checked.expect(&[("E042", "evidence/t.yaml", 8, 15)]);
    assert_eq!(
        checked.at(0).message,
        "attachment `attachments/ext/passwd` is reached through the symbolic link `attachments/ext`; links are never followed"
    );
}

#[cfg(unix)]
#[test]
fn a_linked_content_folder_is_reported_not_silently_skipped() {
    use std::os::unix::fs::symlink;
    let pack = Pack::valid();
    let outside = pack.tmp.path().join("shared-evidence");
    fs::rename(pack.path("evidence"), &outside).unwrap();
    symlink(&outside, pack.path("evidence")).unwrap();
    symlink(&outside, pack.path("controls/more")).unwrap();
    let checked = pack.check();
    let errors: Vec<_> = checked
        .found()
        .into_iter()
        .filter(|d| d.0.starts_with('E'))
        .collect();
    // The review links to an evidence record that is no longer part of the pack.
    assert_eq!(
        errors,
        [
            ("E042", "controls/more", 1, 1),
            ("E042", "evidence", 1, 1),
            ("E018", "reviews/mr-2026-1.md", 13, 36),
        ]
    );
    assert_eq!(checked.status, 1);
}

#[test]
fn an_attachment_that_is_a_folder_is_not_a_file() {
    let pack = fixture_with(&[
        ("attachments/folder/inside.txt", "x"),
        (
            "evidence/t.yaml",
            &format!("{EV}attachments: [folder, folder/inside.txt]\n"),
        ),
    ]);
    let checked = pack.check();
    checked.expect(&[("E043", "evidence/t.yaml", 8, 15)]);
    assert_eq!(
        checked.at(0).message,
        "attachment `attachments/folder` is not a regular file"
    );
}

#[cfg(unix)]
#[test]
fn an_attachment_that_is_a_fifo_is_not_a_file_and_is_never_opened() {
    let pack = fixture_with(&[("evidence/t.yaml", &format!("{EV}attachments: [pipe]\n"))]);
    let made = Command::new("mkfifo")
        .arg(pack.path("attachments/pipe"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("note: mkfifo is not available; skipping the FIFO attachment test");
        return;
    }
    // Reading a FIFO without a writer would block forever.
    let checked = pack.check();
    checked.expect(&[("E043", "evidence/t.yaml", 8, 15)]);
    assert!(checked.elapsed < HOSTILE_BUDGET);
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
        "quarterly control `AC-01` has no evidence in 2026-Q2"
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
    let out = Command::new(env!("CARGO_BIN_EXE_evidencepack"))
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
