//! Issue 12, the SOC 2 report an engagement senior would accept: who concluded what, the test
//! each control states, population-scaled sample sizes, the committed seed and one count of
//! deviations, each checked against figures computed here independently of the tool.
//!
//! `soc2-basic` (see [`super::soc2`]) gives the labels and `controls.csv` figures: CM-01 draws 25
//! of 40 changes; every 5th change has no evidence (a deviation) and every 7th that has evidence
//! is an exception (CHG-1007, 1014, 1021, 1028).

use std::collections::BTreeSet;

use super::soc2::{
    built, cm01_population, controls_csv, expected_sample, lm02_gap, lm02_weeks, read, sha256_hex,
};

/// `evidencepack check` on `content`: its output and stdout.
pub(crate) fn check(content: &std::path::Path) -> (std::process::Output, String) {
    let o = crate::common::bin()
        .arg("--content")
        .arg(content)
        .arg("check")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    (o, stdout)
}

/// A page's text with the apostrophes Tera escapes in values put back.
fn text(html: &str) -> String {
    html.replace("&#x27;", "'")
}

/// (exceptions, missing) among the sampled CM-01 changes, and the exceptions left unsampled,
/// from the fixture's rules.
fn cm01_figures() -> (usize, usize, usize) {
    let items: Vec<String> = cm01_population().into_iter().map(|(id, _)| id).collect();
    let sampled: BTreeSet<u32> = expected_sample("CM-01", &items, 25)
        .into_iter()
        .map(|(_, id)| id[4..].parse().unwrap())
        .collect();
    let missing = sampled.iter().filter(|n| n.is_multiple_of(5)).count();
    let is_exception = |n: &u32| (n - 1000).is_multiple_of(7) && !n.is_multiple_of(5);
    let exceptions = sampled.iter().filter(|n| is_exception(n)).count();
    let unsampled = (1001..=1040)
        .filter(|n| is_exception(n) && !sampled.contains(n))
        .count();
    (exceptions, missing, unsampled)
}

#[test]
fn every_result_is_labelled_as_managements_testing() {
    let out = built();
    let soc2 = out.path().join("soc2");
    for page in [
        "index.html",
        "controls/index.html",
        "controls/CM-01.html",
        "controls/LM-02.html",
        "criteria.html",
        "sampling.html",
    ] {
        let html = text(&read(&soc2.join(page)));
        assert!(
            !html.to_lowercase().contains("no exceptions noted"),
            "{page} uses the auditor's phrase"
        );
        assert!(
            html.contains("Management's testing"),
            "{page} does not say whose testing it is"
        );
    }
    let ac02 = text(&read(&soc2.join("controls/AC-02.html")));
    assert!(ac02.contains("results per management's records"));
    assert!(ac02.contains("Management's testing: no deviations found"));
    let index = text(&read(&soc2.join("index.html")));
    assert!(index.contains("None is an auditor's test or conclusion."));
}

#[test]
fn controls_csv_states_the_test_and_the_deviation_rate() {
    let out = built();
    let csv = controls_csv(out.path());
    let (exceptions, missing, unsampled) = cm01_figures();
    assert!(
        exceptions > 0 && missing > 0,
        "the fixture must exercise both"
    );
    let cm01 = &csv["CM-01"];
    let found = exceptions + missing;
    let tenths = (found * 1000 * 2 + 25) / 50;
    assert_eq!(cm01["items_tested"], "25");
    assert_eq!(cm01["deviations_in_sample"], found.to_string());
    assert_eq!(
        cm01["deviation_rate"],
        format!("{found} of 25 ({}.{}%)", tenths / 10, tenths % 10)
    );
    assert_eq!(
        cm01["deviations_in_population"],
        (found + unsampled).to_string()
    );
    assert_eq!(cm01["test_nature"], "inspection");
    assert_eq!(
        cm01["test_procedure"],
        "For each sampled change, inspect the pull request approval before release."
    );
    assert_eq!(cm01["procedure_is_default"], "no");
    assert_eq!(
        cm01["description"],
        "Approval of production changes, operated by the platform team under the relevant policy."
    );
    assert_eq!(
        cm01["results_basis"],
        "management's testing; results per management's records"
    );
    // LM-02: 3 of its 25 weeks; the weeks without evidence among them are deviations, and all
    // 13 weeks without evidence are deviations of the population.
    let gaps = lm02_sampled_gaps();
    assert!(gaps > 0, "the fixture's ranking draws a gap");
    assert_eq!(
        csv["LM-02"]["deviation_rate"],
        format!("{gaps} of 3 ({:.1}%)", gaps as f64 * 100.0 / 3.0)
    );
    assert_eq!(csv["LM-02"]["deviations_in_population"], "13");
    // HR-01: 3 leavers, LVR-03 without evidence: one deviation.
    assert_eq!(csv["HR-01"]["deviation_rate"], "1 of 3 (33.3%)");
    // VM-01 is annual without evidence: its one year is a gap.
    assert_eq!(csv["VM-01"]["deviation_rate"], "1 of 1 (100.0%)");
    // BC-01: the test of one passes, the unsampled failed backup is a deviation of the period.
    assert_eq!(csv["BC-01"]["deviation_rate"], "0 of 1 (0.0%)");
    assert_eq!(csv["BC-01"]["deviations_in_population"], "1");
}

#[test]
fn controls_csv_cells_never_start_a_formula() {
    let pack = super::soc2::copy();
    let path = pack.path().join("controls/controls.yaml");
    let yaml = read(&path).replace(
        "test_procedure: For each sampled change, inspect the pull request approval before release.",
        "test_procedure: \"=HYPERLINK(\\\"http://x\\\")\"",
    );
    std::fs::write(&path, yaml).unwrap();
    let out = super::soc2::built_from(pack.path(), &[]);
    let csv = controls_csv(out.path());
    assert_eq!(csv["CM-01"]["test_procedure"], "'=HYPERLINK(\"http://x\")");
}

// ---------------------------------------------------------------------------------------------
// Item 5: each control states its test. `soc2-fidelity` is `soc2-basic` with a `test:` on HR-01
// (reperformance, two attributes; LVR-01 records pass and not-applicable, LVR-02 only the
// first, LVR-03 has no evidence), on BC-01 (relies on CM-01 and AC-02) and none on LM-02.

fn fidelity() -> std::path::PathBuf {
    crate::common::fixture("soc2-fidelity")
}

/// The cells of the attribute columns of a control page's sample table, per item id.
fn attribute_cells(page: &str, attributes: usize) -> Vec<(String, Vec<String>)> {
    let row = regex::Regex::new(r#"(?s)<th scope="row" class="id">([^<]*).*?</tr>"#).unwrap();
    let cell = regex::Regex::new(r#"<td class="attr">(.*?)</td>"#).unwrap();
    let tag = regex::Regex::new(r"<[^>]+>").unwrap();
    let table = &page[page.find("id=\"sample\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    row.captures_iter(table)
        .map(|c| {
            let cells: Vec<String> = cell
                .captures_iter(&c[0])
                .map(|k| tag.replace_all(&k[1], "").trim().to_string())
                .collect();
            assert_eq!(cells.len(), attributes, "{}", &c[0]);
            (c[1].to_string(), cells)
        })
        .collect()
}

#[test]
fn each_sampled_item_shows_a_result_per_declared_attribute() {
    let out = super::soc2::built_from(&fidelity(), &[]);
    let hr01 = read(&out.path().join("soc2/controls/HR-01.html"));
    let mut rows = attribute_cells(&hr01, 2);
    rows.sort();
    let want = |id: &str, a: &str, b: &str| (id.to_string(), vec![a.to_string(), b.to_string()]);
    assert_eq!(
        rows,
        [
            want("LVR-01", "pass", "n/a"),
            want("LVR-02", "pass", "not recorded"),
            want("LVR-03", "missing", "missing"),
        ]
    );
    let hr01 = text(&hr01);
    assert!(hr01.contains("<dt>Nature of the test</dt><dd>reperformance</dd>"));
    assert!(hr01.contains(
        "<dt>ticket-approved</dt><dd>Offboarding ticket approved by the leaver's manager</dd>"
    ));
    let csv = controls_csv(out.path());
    assert_eq!(csv["HR-01"]["test_nature"], "reperformance");
    assert_eq!(csv["HR-01"]["procedure_is_default"], "no");
    assert!(csv["HR-01"]["test_procedure"].starts_with("For each sampled leaver, compare"));
    // LM-02 declares nothing: the default for a periodic manual control, marked as such.
    assert_eq!(csv["LM-02"]["procedure_is_default"], "yes");
    assert_eq!(csv["LM-02"]["test_nature"], "inspection");
    let lm02 = read(&out.path().join("soc2/controls/LM-02.html"));
    assert!(lm02.contains("this is the default procedure for its kind of control"));
    assert!(lm02.contains("For each sampled occurrence, inspect its evidence"));
    // A control that declares a test has no "default" badge.
    assert!(!hr01.contains("default procedure"));
}

#[test]
fn an_automated_control_names_the_itgcs_it_relies_on_and_their_deviations() {
    let out = super::soc2::built_from(&fidelity(), &[]);
    let bc01 = read(&out.path().join("soc2/controls/BC-01.html"));
    let section = &bc01[bc01.find("id=\"itgc\"").expect("reliance section")..];
    let section = &section[..section.find("id=\"population\"").unwrap()];
    let linked = regex::Regex::new(r#"href="[^"]*/([A-Z0-9-]+)\.html""#).unwrap();
    let ids: Vec<&str> = linked
        .captures_iter(section)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    // Declared CM-01 then AC-02; the deviation note names CM-01 (9+ deviations), not AC-02.
    assert_eq!(ids, ["CM-01", "AC-02", "CM-01"]);
    assert!(section.contains("the control names them"));
    let note = &section[section.find("Deviations in controls relied on").unwrap()..];
    assert!(note.contains("CM-01.html") && !note.contains("AC-02.html"));

    // soc2-basic declares nothing: the manual controls mapped to CC8.1 and CC6.1-CC6.3.
    let basic = built();
    let bc01 = read(&basic.path().join("soc2/controls/BC-01.html"));
    let section = &bc01[bc01.find("id=\"itgc\"").unwrap()..];
    let section = &section[..section.find("id=\"population\"").unwrap()];
    let list = &section[..section.find("</ul>").unwrap()];
    let ids: Vec<&str> = linked
        .captures_iter(list)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    assert_eq!(ids, ["AC-02", "CM-01", "HR-01", "NHI-01"]);
    assert!(section.contains("(CC8.1) and logical access (CC6.1-CC6.3)"));
}

#[test]
fn check_reports_attribute_results_that_cannot_be_shown() {
    let pack = tempfile::tempdir().unwrap();
    crate::common::copy_tree(&fidelity(), pack.path());
    let evidence = pack.path().join("evidence/2026.yaml");
    let yaml = read(&evidence).replace(
        "attributes: { deactivated-in-time: pass }",
        "attributes: { deactivated-in-time: exception, deactivated-on-time: pass }",
    );
    std::fs::write(&evidence, yaml).unwrap();
    let controls = pack.path().join("controls/controls.yaml");
    let yaml = read(&controls).replace("relies_on: [CM-01, AC-02]", "relies_on: [CM-01, AC-03]");
    std::fs::write(&controls, yaml).unwrap();
    let (o, stdout) = check(pack.path());
    assert!(!o.status.success(), "an unknown control is an error");
    let lines: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("[W130]") || l.contains("[W131]") || l.contains("[E012]"))
        .collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(lines
        .iter()
        .any(|l| l.contains("error[E012]") && l.contains("AC-03")));
    assert!(lines
        .iter()
        .any(|l| l.contains("warning[W130]") && l.contains("`deactivated-on-time`")));
    assert!(lines
        .iter()
        .any(|l| l.contains("warning[W131]") && l.contains("`deactivated-in-time`")));
}

// ---------------------------------------------------------------------------------------------
// Item 7: population-scaled sizes, opted into per frequency, and extension after a deviation.

/// The practitioner table of issue 12 / soc2-sampling.md, with the chosen sizes for the ranges.
fn scaled(n: usize, c5_12: usize, c13_52: usize, over_365: usize) -> usize {
    let size = match n {
        0 | 1 => 1,
        2..=4 => 2,
        5..=12 => c5_12,
        13..=52 => c13_52,
        53..=365 => 25,
        _ => over_365,
    };
    size.min(n)
}

#[test]
fn on_event_controls_opted_in_are_sized_by_population_and_extended_after_a_deviation() {
    let pack = tempfile::tempdir().unwrap();
    crate::common::copy_tree(&fidelity(), pack.path());
    let yaml = read(&pack.path().join("pack.yaml")).replace(
        "sample_sizes: { weekly: 3 }",
        "sample_sizes: { weekly: 3, on-event: { 13-52: 10 } }\n  extend_on_deviation: { 10: 15, 2: 3 }",
    );
    std::fs::write(pack.path().join("pack.yaml"), yaml).unwrap();
    let out = super::soc2::built_from(pack.path(), &[]);
    let csv = controls_csv(out.path());
    let size = |c: &str| -> (usize, usize) {
        (
            csv[c]["population"].parse().unwrap(),
            csv[c]["sample_size"].parse().unwrap(),
        )
    };
    // CM-01: 40 changes -> 10; the first 10 of the ranking hold a change without evidence
    // (every 5th), so the sample is extended to the first 15 of the same ranking.
    let items: Vec<String> = cm01_population().into_iter().map(|(id, _)| id).collect();
    let first = expected_sample("CM-01", &items, scaled(40, 2, 10, 25));
    assert_eq!(first.len(), 10);
    assert!(first
        .iter()
        .any(|(_, id)| id[4..].parse::<u32>().unwrap().is_multiple_of(5)));
    assert_eq!(size("CM-01"), (40, 15));
    let page = read(&out.path().join("soc2/controls/CM-01.html"));
    let got: Vec<String> = super::soc2::page_sample(&page)
        .into_iter()
        .map(|s| s.1)
        .collect();
    let want: Vec<String> = expected_sample("CM-01", &items, 15)
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    assert_eq!(got, want);
    assert!(page.contains(
        "on-event, by population (population of 13-52: 5 to 15): 10; extended from 10 to 15 after a deviation in the first 10"
    ));
    // HR-01: 3 leavers -> 2, and the two ranked first both have passing evidence: no extension.
    let leavers: Vec<String> = (1..=3).map(|k| format!("LVR-0{k}")).collect();
    let hr = expected_sample("HR-01", &leavers, scaled(3, 2, 10, 25));
    assert_eq!(
        hr.iter().map(|(_, id)| id.as_str()).collect::<Vec<_>>(),
        ["LVR-01", "LVR-02"]
    );
    assert_eq!(size("HR-01"), (3, 2));
    // NHI-01: 2 required rotations -> 2 (2-4: 2), which a deviation cannot extend further.
    assert_eq!(size("NHI-01"), (2, scaled(2, 2, 10, 25)));
    // Frequencies not opted in keep the frequency table.
    assert_eq!(size("LM-02"), (25, 3));
    assert_eq!(size("AC-02"), (2, 2));
    let sampling = read(&out.path().join("soc2/sampling.html"));
    assert!(sampling.contains(
        "<tr><th scope=\"row\">13 to 52</th><td>5 to 15</td><td class=\"num\">10</td></tr>"
    ));
    assert!(sampling.contains("a sample of 2 grows to 3; a sample of 10 grows to 15"));
    assert!(sampling.contains("K-Financial"));

    // A choice outside its range is refused by check, with the field's position.
    let yaml = read(&pack.path().join("pack.yaml")).replace("13-52: 10", "13-52: 20");
    std::fs::write(pack.path().join("pack.yaml"), yaml).unwrap();
    let (o, stdout) = check(pack.path());
    assert!(!o.status.success());
    assert!(
        stdout.contains("pack.yaml:28:42:")
            && stdout.contains(
                "error[E032]: `soc2.sample_sizes.on-event.13-52` is 20, outside the range 5 to 15"
            ),
        "{stdout}"
    );
}

#[test]
fn packs_that_do_not_opt_in_keep_their_samples() {
    // soc2-basic has no by-population setting: CM-01 still draws 25 of 40, HR-01 all 3.
    let out = built();
    let csv = controls_csv(out.path());
    assert_eq!(csv["CM-01"]["sample_size"], "25");
    assert_eq!(csv["HR-01"]["sample_size"], "3");
    assert_eq!(csv["NHI-01"]["sample_size"], "2");
    let sampling = read(&out.path().join("soc2/sampling.html"));
    assert!(sampling.contains("No frequency in this report is sized by population."));
    assert!(sampling.contains("does not extend samples after a deviation"));
}

// ---------------------------------------------------------------------------------------------
// Item 8: a seed nobody can steer.

#[test]
fn a_committed_seed_is_the_sha256_of_the_nonce_and_every_population() {
    let pack = tempfile::tempdir().unwrap();
    crate::common::copy_tree(&fidelity(), pack.path());
    let yaml = read(&pack.path().join("pack.yaml")).replace(
        "sampling_seed: \"harbour-2026-h1\"",
        "seed_commitment: { nonce: \"fieldwork-7f3a\" }",
    );
    std::fs::write(pack.path().join("pack.yaml"), yaml).unwrap();
    let out = super::soc2::built_from(pack.path(), &[]);
    let soc2 = out.path().join("soc2");
    // Every control of the fixture maps to a criterion in scope: its published population's
    // SHA-256, computed here from the file.
    let controls = [
        "AC-02", "BC-01", "CM-01", "HR-01", "LM-02", "NHI-01", "VM-01",
    ];
    let mut text = String::from("evidencepack-seed-commitment/1\nnonce\tfieldwork-7f3a\n");
    for c in controls {
        let population = read(&soc2.join(format!("populations/{c}.txt")));
        text.push_str(&format!("{c}\t{}\n", sha256_hex(&population)));
    }
    let seed = sha256_hex(&text);
    assert_eq!(read(&soc2.join("seed-commitment.txt")), text);
    let sampling = read(&soc2.join("sampling.html"));
    assert!(sampling.contains(&format!("<dt>Seed</dt><dd><code>{seed}</code>")));
    assert!(sampling.contains("committed seed: SHA-256 over the auditor"));
    assert!(sampling.contains("<code>fieldwork-7f3a</code>"));
    // CM-01's sample is the ranking under the committed seed.
    let items: Vec<String> = cm01_population().into_iter().map(|(id, _)| id).collect();
    let mut ranked: Vec<(String, String)> = items
        .iter()
        .map(|id| (sha256_hex(&format!("{seed}:CM-01:{id}")), id.clone()))
        .collect();
    ranked.sort();
    let want: Vec<&str> = ranked[..25].iter().map(|(_, id)| id.as_str()).collect();
    let page = read(&soc2.join("controls/CM-01.html"));
    let got: Vec<String> = super::soc2::page_sample(&page)
        .into_iter()
        .map(|s| s.1)
        .collect();
    assert_eq!(got, want);
    // `evidencepack sample` derives the same seed and the same first item.
    let o = crate::common::bin()
        .arg("--content")
        .arg(pack.path())
        .args(["sample", "CM-01"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains(&format!("seed           {seed}")),
        "{stdout}"
    );
    assert!(stdout.contains("committed: sha256 of the 9 lines of seed-commitment.txt"));
    assert!(stdout.contains(&format!("{}  {}", ranked[0].0, ranked[0].1)));

    // Changing a population after the nonce changes the seed, and so the sample.
    let csv = pack.path().join("populations/HR-01.csv");
    let rows = read(&csv) + "LVR-04,2026-06-01,Leaver 4\n";
    std::fs::write(&csv, rows).unwrap();
    let out2 = super::soc2::built_from(pack.path(), &[]);
    assert_ne!(read(&out2.path().join("soc2/seed-commitment.txt")), text);
}

#[test]
fn the_sampling_page_says_a_published_seed_is_managements_choice() {
    let out = built();
    let sampling = read(&out.path().join("soc2/sampling.html"));
    assert!(sampling.contains("published seed chosen in pack.yaml (management"));
    assert!(!out.path().join("soc2/seed-commitment.txt").exists());
}

// ---------------------------------------------------------------------------------------------
// Item 4: one count of exceptions, and a sampled item without evidence is a deviation.

/// How many of LM-02's 3 sampled weeks have no evidence.
fn lm02_sampled_gaps() -> usize {
    expected_sample("LM-02", &lm02_weeks(), 3)
        .iter()
        .filter(|(_, w)| lm02_gap(w))
        .count()
}

/// The overview tile `(number, label)` whose label starts with `label`.
fn tile(index: &str, label: &str) -> (usize, String) {
    let re = regex::Regex::new(&format!(
        r#"<span class="num">(\d+)</span><span class="label">({}[^<]*)"#,
        regex::escape(label)
    ))
    .unwrap();
    let c = re
        .captures(index)
        .unwrap_or_else(|| panic!("no tile {label}"));
    (c[1].parse().unwrap(), c[2].to_string())
}

#[test]
fn an_exception_linked_to_two_controls_counts_once_and_missing_evidence_is_a_deviation() {
    let pack = tempfile::tempdir().unwrap();
    crate::common::copy_tree(&fidelity(), pack.path());
    let path = pack.path().join("evidence/2026.yaml");
    let yaml = read(&path).replacen(
        "- id: EV-CHG-007\n  controls: [CM-01]",
        "- id: EV-CHG-007\n  controls: [CM-01, LM-02]",
        1,
    );
    assert!(yaml.contains("controls: [CM-01, LM-02]"));
    std::fs::write(&path, yaml).unwrap();
    let out = super::soc2::built_from(pack.path(), &[]);
    let index = text(&read(&out.path().join("soc2/index.html")));
    // The fixture's exception records of the period: four changes (CM-01), one backup (BC-01),
    // one rotation (NHI-01); EV-CHG-007 now also belongs to LM-02 and still counts once.
    let (n, label) = tile(&index, "exception record");
    assert_eq!(n, 6);
    assert!(
        label.ends_with("each counted once (touching 4 controls)"),
        "{label}"
    );
    let csv = controls_csv(out.path());
    assert_eq!(
        csv["LM-02"]["conclusion"],
        "Management's testing: deviations found"
    );
    assert!(
        csv["LM-02"]["deviations_in_population"]
            .parse::<usize>()
            .unwrap()
            >= 1
    );
    let lm02 = read(&out.path().join("soc2/controls/LM-02.html"));
    assert!(lm02.contains("evidence/EV-CHG-007.html"));

    // Missing evidence: CM-01's sampled changes without evidence (every 5th), HR-01's LVR-03
    // and NHI-01's svc-deploy:2026-04-01 (its age before its first rotation is not evidenced).
    let (_, missing, _) = cm01_figures();
    // ... and LM-02's sampled weeks without evidence (this fixture's VM-01 has its year's
    // record).
    let (n, label) = tile(&index, "sampled items without evidence");
    assert_eq!(n, missing + 2 + lm02_sampled_gaps());
    assert_eq!(label, "sampled items without evidence (each a deviation)");
    let hr01 = text(&read(&out.path().join("soc2/controls/HR-01.html")));
    assert!(hr01.contains("deviation: no evidence"));
    assert!(hr01.contains("Management's testing: deviations found"));
    assert!(hr01.contains("<dt>Deviations found / items tested</dt><dd>1 of 3 (33.3%)</dd>"));
    let requests = text(&read(&out.path().join("soc2/request-list.html")));
    assert!(
        requests.contains("Each is a deviation of its control (\"deviations found\")")
            || requests
                .contains("Each is a deviation of its control (&quot;deviations found&quot;)")
    );
    assert!(index.contains("without evidence, each a deviation"));
}

// ---------------------------------------------------------------------------------------------
// Item 9 (part): incidents are listed with their impact, never as "pass".

#[test]
fn incidents_show_their_impact_and_no_pass_result() {
    let out = super::soc2::built_from(&fidelity(), &[]);
    let system = read(&out.path().join("soc2/system.html"));
    let section = &system[system.find("id=\"incidents\"").unwrap()..];
    let section = &section[..section.find("</table>").unwrap()];
    assert!(section.contains("evidence/EV-INC-01.html"));
    assert!(section.contains(
        "Dashboards unavailable for 40 minutes; the monthly availability commitment was still met."
    ));
    assert!(section.contains("none recorded"));
    assert!(!section.contains(">pass<"), "{section}");
}

#[test]
fn the_example_pack_declares_tests_on_its_controls_with_attribute_results() {
    // Every one of the example's 50 controls declares `test:` with its nature; the rotation
    // control NHI-01 (reperformance) and the privileged elevations AC-04 declare attributes,
    // and their records state a result for each.
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let (mut controls, mut declared) = (0, 0);
    for file in std::fs::read_dir(content.join("controls")).unwrap() {
        let yaml = read(&file.unwrap().path());
        controls += yaml.matches("\n- id: ").count() + usize::from(yaml.starts_with("- id: "));
        declared += yaml.matches("\n  test:\n    nature: ").count();
    }
    assert_eq!((controls, declared), (50, 50));

    let out = super::soc2::built_from(&content, &[]);
    let csv = controls_csv(out.path());
    let natures: BTreeSet<&str> = csv.values().map(|r| r["test_nature"].as_str()).collect();
    assert_eq!(
        natures,
        BTreeSet::from(["inspection", "observation", "reperformance"])
    );
    assert_eq!(csv["NHI-01"]["test_nature"], "reperformance");
    let nhi01 = read(&out.path().join("soc2/controls/NHI-01.html"));
    let rows = attribute_cells(&nhi01, 3);
    let of = |item: &str| {
        rows.iter()
            .find(|(id, _)| id == item)
            .unwrap_or_else(|| panic!("{item} not drawn: {rows:?}"))
            .1
            .clone()
    };
    // The late rotations were not within the maximum age; the overdue break-glass key's
    // response says so, and had no old credential to revoke.
    assert_eq!(of("bot-release:2026-04-05"), ["exception", "pass", "pass"]);
    assert_eq!(
        of("svc-snowflake-etl:2026-04-08"),
        ["exception", "pass", "pass"]
    );
    assert_eq!(
        of("ssh-breakglass:2026-03-14"),
        ["exception", "n/a", "pass"]
    );
    assert_eq!(of("svc-deploy:2026-01-21"), ["pass", "pass", "pass"]);
    let ac04 = read(&out.path().join("soc2/controls/AC-04.html"));
    let rows = attribute_cells(&ac04, 3);
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|(_, cells)| cells == &["pass", "pass", "pass"]),
        "{rows:?}"
    );
}
