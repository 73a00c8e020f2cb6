//! Issue 12 item 1 and issue 14 item 4: periodic controls tested against the calendar, and
//! `--as-of`. Each test edits a copy of `soc2-basic` (period 2026-01-01, a Thursday, to
//! 2026-06-30) and checks `sample --format json`, `check` and the built pages against figures
//! counted here by hand: the period holds ISO weeks 2026-W02 to 2026-W26 whole (25 weeks; W01
//! and W27 each hold two of their five working days), 6 months and 129 working days.

use std::fs;
use std::path::Path;

use serde_json::Value;

use super::soc2::{copy, read, run};

/// `evidencepack sample CONTROL --format json` with `args`, parsed.
fn sample(content: &Path, control: &str, args: &[&str]) -> Value {
    let out = tempfile::tempdir().unwrap();
    let mut all = vec!["sample", control, "--format", "json"];
    all.extend_from_slice(args);
    let o = run(content, out.path(), &all);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// `evidencepack check` with `args`: its stdout.
fn check(content: &Path, args: &[&str]) -> String {
    let out = tempfile::tempdir().unwrap();
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    let o = run(content, out.path(), &all);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

fn gap_ids(doc: &Value) -> Vec<String> {
    doc["population"]["calendar"]["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap().to_string())
        .collect()
}

/// Append evidence records `(id, control, date, covers)` to the fixture.
fn add_evidence(pack: &Path, records: &[(String, &str, String, Option<&str>)]) {
    let mut yaml = String::new();
    for (id, control, day, covers) in records {
        yaml.push_str(&format!(
            "- id: {id}\n  controls: [{control}]\n  kind: review\n  title: Review {id}\n  occurred_on: {day}\n  performed_by: sven\n  approved_by: amara\n  result: pass\n"
        ));
        if let Some(c) = covers {
            yaml.push_str(&format!("  covers: {c}\n"));
        }
    }
    fs::write(pack.join("evidence/periodic.yaml"), yaml).unwrap();
}

/// LM-02 (weekly) has evidence on the Monday of the even weeks 2 to 24; give it the odd weeks
/// 3 to 25 and week 26 too, except `skip`.
fn weekly_evidence_but(pack: &Path, skip: &[u32]) {
    let weeks = (3..=25)
        .step_by(2)
        .chain([26])
        .filter(|w| !skip.contains(w));
    let records: Vec<_> = weeks
        .map(|w| {
            let monday = chrono::NaiveDate::from_isoywd_opt(2026, w, chrono::Weekday::Mon).unwrap();
            (format!("EV-LMX-{w:02}"), "LM-02", monday.to_string(), None)
        })
        .collect();
    add_evidence(pack, &records);
}

fn set_frequency(pack: &Path, control: &str, from: &str, to: &str) {
    let path = pack.join("controls/controls.yaml");
    let yaml = read(&path);
    let at = yaml.find(&format!("- id: {control}\n")).unwrap();
    let (head, tail) = yaml.split_at(at);
    let tail = tail.replacen(from, to, 1);
    fs::write(&path, format!("{head}{tail}")).unwrap();
}

#[test]
fn a_weekly_control_with_two_missing_weeks_has_two_deviations_and_a_partial_first_week() {
    let pack = copy();
    weekly_evidence_but(pack.path(), &[9, 17]);
    let doc = sample(pack.path(), "LM-02", &[]);
    assert_eq!(doc["population"]["from"], "calendar");
    assert_eq!(doc["population"]["size"], 25, "ISO weeks 2 to 26");
    let items = doc["population"]["items"].as_array().unwrap();
    assert_eq!(items[0]["id"], "2026-W02");
    assert_eq!(
        items[0]["occurred_on"], "2026-01-11",
        "due on the week's Sunday"
    );
    assert_eq!(items[24]["id"], "2026-W26");
    assert_eq!(gap_ids(&doc), ["2026-W09", "2026-W17"]);
    // The period starts on a Thursday: week 1 holds two of its five working days, so it is
    // partial, not a gap; so is week 27 at the end (Monday and Tuesday).
    assert_eq!(
        strings(&doc["population"]["calendar"]["partial"]),
        ["2026-W01", "2026-W27"]
    );
    assert_eq!(doc["conclusion"], "Management's testing: deviations found");
    // The population digest is over the occurrence keys and their due dates.
    let mut canonical: Vec<String> = (2..=26)
        .map(|w| {
            let sunday = chrono::NaiveDate::from_isoywd_opt(2026, w, chrono::Weekday::Sun).unwrap();
            format!("2026-W{w:02}\t{sunday}\n")
        })
        .collect();
    canonical.sort();
    assert_eq!(
        doc["population"]["digest"],
        super::soc2::sha256_hex(&canonical.concat())
    );
    // check names the same two weeks (W103), and the control page and controls.csv count two
    // deviations in the population.
    let out = check(pack.path(), &[]);
    assert!(
        out.contains("weekly control `LM-02` has no evidence in 2026-W09, 2026-W17 (of 25 due by 2026-06-30)"),
        "{out}"
    );
    let built = super::soc2::built_from(pack.path(), &[]);
    let csv = super::soc2::controls_csv(built.path());
    assert_eq!(csv["LM-02"]["population"], "25");
    assert_eq!(csv["LM-02"]["occurrences_without_evidence"], "2");
    assert_eq!(csv["LM-02"]["deviations_in_population"], "2");
    assert_eq!(csv["LM-02"]["not_yet_due"], "0");
    assert_eq!(csv["LM-02"]["as_of"], "2026-06-30");
    assert_eq!(
        csv["LM-02"]["population_basis"],
        "calendar: 25 ISO weeks expected from 2026-01-01 to 2026-06-30, 2 without evidence; \
         partial at the period's edges, not expected: 2026-W01, 2026-W27"
    );
    let page = read(&built.path().join("soc2/controls/LM-02.html"));
    let section = &page[page.find("<h3 id=\"population\">").unwrap()
        ..page.find("<h3 id=\"conclusion\">").unwrap()];
    let section = regex::Regex::new(r"<code class=.digest.>[0-9a-f]{64}</code>")
        .unwrap()
        .replace_all(section, "<code class=\"digest\">[sha256]</code>");
    // Ranking hashes: short on screen, whole in the title and a visually hidden span.
    let section = regex::Regex::new(r"\b[0-9a-f]{64}\b")
        .unwrap()
        .replace_all(&section, "[sha256]");
    let section = regex::Regex::new(r">[0-9a-f]{12}…<")
        .unwrap()
        .replace_all(&section, ">[sha256 prefix]…<");
    insta::assert_snapshot!("soc2_control_LM-02_calendar", section);
}

#[test]
fn covers_moves_a_late_review_into_its_month() {
    let pack = copy();
    // VM-01 becomes monthly, reviewed in each month from February; January's review is done
    // on 3 February.
    set_frequency(
        pack.path(),
        "VM-01",
        "frequency: annual",
        "frequency: monthly",
    );
    let mut records: Vec<_> = (2..=6)
        .map(|m| {
            (
                format!("EV-VM-{m:02}"),
                "VM-01",
                format!("2026-{m:02}-20"),
                None,
            )
        })
        .collect();
    records.push(("EV-VM-01".into(), "VM-01", "2026-02-03".into(), None));
    add_evidence(pack.path(), &records);
    let doc = sample(pack.path(), "VM-01", &[]);
    assert_eq!(doc["population"]["size"], 6);
    assert_eq!(
        gap_ids(&doc),
        ["2026-01"],
        "without covers, January is a gap"
    );
    assert!(check(pack.path(), &[])
        .contains("monthly control `VM-01` has no evidence in 2026-01 (of 6 due"));

    records.last_mut().unwrap().3 = Some("2026-01");
    add_evidence(pack.path(), &records);
    let doc = sample(pack.path(), "VM-01", &[]);
    assert!(gap_ids(&doc).is_empty());
    let items = doc["population"]["items"].as_array().unwrap();
    assert_eq!(items[0]["id"], "2026-01");
    assert_eq!(strings(&items[0]["evidence"]), ["EV-VM-01"]);
    assert_eq!(
        strings(&items[1]["evidence"]),
        ["EV-VM-02"],
        "not February's"
    );
    assert_eq!(
        doc["conclusion"],
        "Management's testing: no deviations found"
    );
    assert!(!check(pack.path(), &[]).contains("`VM-01` has no evidence"));
}

#[test]
fn as_of_mid_period_turns_later_intervals_into_not_yet_due() {
    let pack = copy();
    weekly_evidence_but(pack.path(), &[9, 17]);
    // As of Wednesday 15 April: weeks 2 to 15 are due (14), 16 to 26 are not yet due (11);
    // week 17's missing evidence is no gap yet.
    let doc = sample(pack.path(), "LM-02", &["--as-of", "2026-04-15"]);
    assert_eq!(doc["as_of"], "2026-04-15");
    assert_eq!(doc["population"]["size"], 14);
    assert_eq!(gap_ids(&doc), ["2026-W09"]);
    let later: Vec<String> = (16..=26).map(|w| format!("2026-W{w:02}")).collect();
    assert_eq!(
        strings(&doc["population"]["calendar"]["not_yet_due"]),
        later
    );
    let out = check(pack.path(), &["--as-of", "2026-04-15"]);
    assert!(
        out.contains(
            "weekly control `LM-02` has no evidence in 2026-W09 (of 14 due by 2026-04-15)"
        ),
        "{out}"
    );
    // Monthly VM-01 without evidence: January to March are gaps, April to June not yet due.
    set_frequency(
        pack.path(),
        "VM-01",
        "frequency: annual",
        "frequency: monthly",
    );
    let doc = sample(pack.path(), "VM-01", &["--as-of", "2026-04-15"]);
    assert_eq!(gap_ids(&doc), ["2026-01", "2026-02", "2026-03"]);
    assert_eq!(
        strings(&doc["population"]["calendar"]["not_yet_due"]),
        ["2026-04", "2026-05", "2026-06"]
    );
    // Every page says as of which date.
    let built = super::soc2::built_from(pack.path(), &["--as-of", "2026-04-15"]);
    for page in [
        "soc2/index.html",
        "soc2/controls/LM-02.html",
        "iso27001/index.html",
    ] {
        assert!(
            read(&built.path().join(page)).contains("as of <time>2026-04-15</time>"),
            "{page}"
        );
    }
    assert!(read(&built.path().join("index.html")).contains("2026-04-15"));
    // The default is the period's end; a date outside the period is refused (exit 2).
    let doc = sample(pack.path(), "LM-02", &[]);
    assert_eq!(doc["as_of"], "2026-06-30");
    let out = tempfile::tempdir().unwrap();
    let o = run(pack.path(), out.path(), &["build", "--as-of", "2026-07-01"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--as-of 2026-07-01 is outside the period 2026-01-01 to 2026-06-30"),
        "{err}"
    );
    assert!(!out.path().join("soc2").exists(), "nothing written");
}

#[test]
fn a_business_day_population_skips_weekends_and_holidays() {
    let pack = copy();
    // BC-01 is daily; as a manual control it is tested against the working days.
    set_frequency(pack.path(), "BC-01", "automated: true", "automated: false");
    let doc = sample(pack.path(), "BC-01", &[]);
    assert_eq!(
        doc["population"]["size"], 129,
        "22+20+22+22+21+22 working days"
    );
    let path = pack.path().join("pack.yaml");
    let yaml = read(&path).replace(
        "period: { start: 2026-01-01, end: 2026-06-30 }",
        "period: { start: 2026-01-01, end: 2026-06-30 }\ncalendar: { holidays: [2026-01-01, 2026-04-03, 2026-04-04] }",
    );
    fs::write(&path, yaml).unwrap();
    let doc = sample(pack.path(), "BC-01", &[]);
    // 2026-04-04 is a Saturday: already no working day.
    assert_eq!(doc["population"]["size"], 127);
    let ids: Vec<&str> = doc["population"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids[0], "2026-01-02");
    assert!(!ids.contains(&"2026-04-03") && ids.contains(&"2026-04-02"));
    assert!(!ids.contains(&"2026-01-03"), "a Saturday");
}

#[test]
fn a_covers_or_calendar_outside_its_forms_is_an_error_at_its_place() {
    let pack = copy();
    fs::write(
        pack.path().join("evidence/bad.yaml"),
        "- id: EV-BAD\n  controls: [VM-01]\n  kind: review\n  title: t\n  occurred_on: 2026-02-03\n  performed_by: sven\n  result: pass\n  covers: 2026-W54\n",
    )
    .unwrap();
    let path = pack.path().join("pack.yaml");
    let yaml = read(&path).replace(
        "period: { start: 2026-01-01, end: 2026-06-30 }",
        "period: { start: 2026-01-01, end: 2026-06-30 }\ncalendar: { working_days: [] }",
    );
    fs::write(&path, yaml).unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = run(pack.path(), out.path(), &["check", "--color", "never"]);
    assert_eq!(o.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&o.stdout);
    let errors: Vec<&str> = stdout.lines().filter(|l| l.contains(": error[")).collect();
    assert_eq!(errors.len(), 2, "{stdout}");
    assert!(
        errors
            .iter()
            .any(|l| l.contains("bad.yaml:8:3: error[E003]: `2026-W54` is not a year (2026)")),
        "{stdout}"
    );
    assert!(
        errors
            .iter()
            .any(|l| l.contains("pack.yaml:24:") && l.contains("`calendar.working_days` is empty")),
        "{stdout}"
    );
}
