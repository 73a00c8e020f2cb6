//! The valid pack, the output formats and the exit codes.

use super::*;

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
    let mut child = crate::common::bin()
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
// SARIF, --deny-warnings and the terminal form (issue 15 item 6)

/// A pack with an error and a warning.
fn error_and_warning() -> Pack {
    let pack = Pack::valid();
    pack.edit("controls/change.yaml", "owner: dmitri", "owner: dmitry");
    pack.edit("controls/change.yaml", "operator: sven", "operator: dmitry");
    pack
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../fixtures/sarif/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let pack = error_and_warning();
    let (out, _) = pack.run(&["--content", "pack", "check", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    let found: Vec<(&str, &str, &str, u64, u64)> = results
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().unwrap(),
                r["level"].as_str().unwrap(),
                loc["artifactLocation"]["uri"].as_str().unwrap(),
                loc["region"]["startLine"].as_u64().unwrap(),
                loc["region"]["startColumn"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("E011", "error", "pack/controls/change.yaml", 4, 1),
            ("E011", "error", "pack/controls/change.yaml", 5, 1),
            ("W105", "warning", "pack/controls/change.yaml", 5, 1),
        ]
    );
    // Each result names its rule in the driver's catalogue.
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
    }
    // A deliberately broken log fails the validator (the check can fail).
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn deny_warnings_fails_on_a_warning() {
    let pack = Pack::valid();
    pack.edit("controls/change.yaml", "operator: sven", "operator: dmitri");
    let (out, _) = pack.run(&["--content", "pack", "check"]);
    assert_eq!(out.status.code(), Some(0));
    let (out, _) = pack.run(&["--content", "pack", "check", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(1));
    let (out, _) = Pack::valid().run(&["--content", "pack", "check", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn the_rich_form_is_for_terminals_and_color_always_only() {
    let pack = error_and_warning();
    // Piped (not a terminal), and --color never: the one-line form, unchanged.
    let plain = "pack/controls/change.yaml:4:1: error[E011]: unknown person `dmitry`\n  = hint: did you mean `dmitri`?\n";
    for args in [
        &["--content", "pack", "check"][..],
        &["--content", "pack", "--color", "never", "check"],
    ] {
        let (out, _) = pack.run(args);
        assert!(
            String::from_utf8(out.stdout).unwrap().starts_with(plain),
            "{args:?}"
        );
    }
    // --color always: the source line, a caret, help, colour; errors before warnings.
    let (out, _) = pack.run(&["--content", "pack", "--color", "always", "check"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let bare = text.replace('\u{1b}', "");
    assert!(text.contains('\u{1b}'), "{text}");
    assert!(bare.contains("owner: dmitry"), "{bare}");
    assert!(bare.contains("^^^^^"), "{bare}");
    let (error, warning) = (
        bare.rfind("error[E011]").unwrap(),
        bare.find("warning[W105]").unwrap(),
    );
    assert!(error < warning, "{bare}");
    assert!(
        bare.trim_end().ends_with("1 reviews: 2 errors, 1 warning"),
        "{bare}"
    );
}

#[test]
fn build_shows_content_errors_as_check_does() {
    let pack = error_and_warning();
    // --color always: build's stderr holds exactly what check prints, then its own error line.
    let (checked, _) = pack.run(&["--content", "pack", "--color", "always", "check"]);
    let (built, _) = pack.run(&["--content", "pack", "--color", "always", "build"]);
    assert_eq!(built.status.code(), Some(1));
    let rich = String::from_utf8(checked.stdout).unwrap();
    let err = String::from_utf8(built.stderr).unwrap();
    assert!(rich.contains('\u{1b}'), "{rich}");
    assert!(err.starts_with(&rich), "{err}");
    assert!(err[rich.len()..].starts_with("error: "), "{err}");
    // Piped: the one-line form, as before.
    let (built, _) = pack.run(&["--content", "pack", "build"]);
    let err = String::from_utf8(built.stderr).unwrap();
    assert!(
        err.starts_with("pack/controls/change.yaml:4:1: error[E011]: unknown person `dmitry`\n"),
        "{err}"
    );
}

#[test]
fn build_progress_is_silent_when_piped_and_quiet_silences_the_summary() {
    let pack = Pack::valid();
    // Not a terminal: the summary only, no progress line or carriage return.
    let (out, _) = pack.run(&["--content", "pack", "--out", "dist", "build"]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("wrote "), "{err}");
    for progress in [
        "\r",
        "\u{1b}",
        "checking the pack",
        "rendering the",
        "[1/6]",
    ] {
        assert!(!err.contains(progress), "{progress:?} in {err}");
    }
    // --quiet: nothing at all.
    let (out, _) = pack.run(&["--content", "pack", "--out", "dist", "build", "--quiet"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "");
    // --quiet keeps content errors.
    let (out, _) = error_and_warning().run(&["--content", "pack", "build", "-q"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("error[E011]"));
}
