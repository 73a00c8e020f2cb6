//! `check` finds everything `build` would refuse, and lists the findings the bundles show
//! (issue 15 item 9).

use super::*;

/// A link in pack.yaml's scope statement.
fn with_link(pack: &Pack, target: &str) {
    pack.edit(
        "pack.yaml",
        "the team that runs it.",
        &format!("the team that runs it ([see]({target})), and"),
    );
}

#[test]
fn a_mapping_to_a_criterion_out_of_scope_is_an_error() {
    let pack = Pack::valid();
    pack.edit("controls/change.yaml", "[CC8.1]", "[CC8.1, A1.2]");
    let checked = pack.check();
    checked.expect(&[("E105", "controls/change.yaml", 10, 22)]);
    assert!(
        checked.at(0).message.contains("`A1.2`"),
        "{}",
        checked.at(0).message
    );
    assert!(checked
        .at(0)
        .hint
        .as_deref()
        .unwrap()
        .starts_with("add `availability` to `soc2.categories`"));
    // Declared, it is in scope.
    pack.edit(
        "pack.yaml",
        "categories: [security]",
        "categories: [security, availability]",
    );
    let checked = pack.check();
    checked.expect(&[("W161", "pack.yaml", 18, 3)]);
    assert!(checked
        .at(0)
        .message
        .starts_with("2 SOC 2 criteria in scope have no control mapping to them (A1.1, A1.3)"));
}

#[test]
fn a_link_to_a_criterion_out_of_scope_is_an_error() {
    let pack = Pack::valid();
    with_link(&pack, "soc2:PI1.1");
    let checked = pack.check();
    checked.expect(&[("E105", "pack.yaml", 4, 83)]);
}

/// Every link the pages can hold: `check` refuses it, or `build` renders it. Each kind with a
/// real id, a criterion of every SOC 2 category, and ids that do not exist.
#[test]
fn every_link_build_refuses_is_first_a_check_error() {
    let targets = [
        "policy:POL-AC",
        "control:AC-01",
        "evidence:EV-AC-Q1",
        "risk:R-01",
        "identity:svc-deploy",
        "review:MR-2026-1",
        "annex:8.34",
        "clause:6.1.2",
        "clause:10.2",
        "csf:GV",
        "csf:GV.OC",
        "csf:GV.OC-01",
        "soc2:CC1.1",
        "soc2:A1.1",
        "soc2:C1.1",
        "soc2:PI1.1",
        "soc2:P1.1",
        "policy:POL-XX",
        "annex:5.38",
        "soc2:CC10.1",
        "csf:XX.YY-01",
        "clause:11",
    ];
    let accepted = Pack::valid();
    let mut kept = Vec::new();
    for target in targets {
        let pack = Pack::valid();
        with_link(&pack, target);
        let checked = pack.check();
        if checked.status == 0 {
            kept.push(target);
        } else {
            let codes: Vec<&str> = checked.diags.iter().map(|d| d.code.as_str()).collect();
            assert!(
                codes == ["E018"] || codes == ["E105"],
                "{target}: {codes:?}"
            );
        }
    }
    assert_eq!(kept.len(), 13, "{kept:?}");
    // Everything check accepts, in one pack: the build renders it with no broken link.
    let links: Vec<String> = kept.iter().map(|t| format!("[x]({t})")).collect();
    accepted.edit(
        "pack.yaml",
        "the team that runs it.",
        &format!("the team that runs it. {}", links.join(" ")),
    );
    let (out, _) = accepted.run(&["--content", "pack", "--out", "dist", "build"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // And a build of what check refuses stops at the check: exit 1, not an exit 2 after rendering.
    let refused = Pack::valid();
    with_link(&refused, "soc2:A1.1");
    let (out, _) = refused.run(&["--content", "pack", "--out", "dist", "build"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[E105]"));
}

#[test]
fn sampled_items_without_evidence_are_a_warning() {
    let pack = Pack::valid();
    let csv = fs::read_to_string(pack.path("populations/CM-01.csv")).unwrap();
    pack.write(
        "populations/CM-01.csv",
        format!("{csv}CHG-103,2026-05-30,Raise the limit\n"),
    );
    let checked = pack.check();
    checked.expect(&[("W160", "controls/change.yaml", 1, 1)]);
    // The words of the request list and the control page: a deviation, "deviations found".
    assert_eq!(
        checked.at(0).message,
        "1 sampled item of control `CM-01` has no evidence record (CHG-103); it is a deviation of the control (\"deviations found\") until its evidence is provided"
    );
}

#[test]
fn overdue_actions_are_a_warning() {
    let pack = Pack::valid();
    pack.edit(
        "reviews/mr-2026-1.md",
        "due: 2026-04-30, status: closed",
        "due: 2026-04-30, status: open",
    );
    let checked = pack.check();
    checked.expect(&[("W162", "reviews/mr-2026-1.md", 8, 29)]);
    assert_eq!(
        checked.at(0).message,
        "action `A-1` of review `MR-2026-1` was due on 2026-04-30 and is still open at the end of the period (2026-06-30)"
    );
    // Evaluated as of a date inside the period, the message names that date as such.
    let (out, _) = pack.run(&["--content", "pack", "check", "--as-of", "2026-05-15"]);
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    assert!(
        stdout.contains("was due on 2026-04-30 and is still open at the as-of date (2026-05-15)"),
        "{stdout}"
    );
}
