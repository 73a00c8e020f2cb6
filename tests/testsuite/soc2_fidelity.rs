//! Issue 12, the SOC 2 report an engagement senior would accept: who concluded what, the test
//! each control states, population-scaled sample sizes, the committed seed and one count of
//! deviations, each checked against figures computed here independently of the tool.
//!
//! `soc2-basic` (see [`super::soc2`]) gives the labels and `controls.csv` figures: CM-01 draws 25
//! of 40 changes; every 5th change has no evidence (a deviation) and every 7th that has evidence
//! is an exception (CHG-1007, 1014, 1021, 1028).

use std::collections::BTreeSet;

use super::soc2::{built, cm01_population, controls_csv, expected_sample, read};

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
    let lm02 = text(&read(&soc2.join("controls/LM-02.html")));
    assert!(lm02.contains("results per management's records"));
    assert!(lm02.contains("Management's testing: no deviations found"));
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
    // LM-02: 3 weekly reviews, all passing.
    assert_eq!(csv["LM-02"]["deviation_rate"], "0 of 3 (0.0%)");
    assert_eq!(csv["LM-02"]["deviations_in_population"], "0");
    // HR-01: 3 leavers, LVR-03 without evidence: one deviation.
    assert_eq!(csv["HR-01"]["deviation_rate"], "1 of 3 (33.3%)");
    // VM-01 has no population: nothing tested.
    assert_eq!(csv["VM-01"]["deviation_rate"], "none tested");
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
