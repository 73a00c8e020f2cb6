//! Build the `soc2-basic` fixture and check the SOC 2 bundle against figures computed here,
//! independently of the tool: the SHA-256 ranking of every sample, the size table and its
//! pack.yaml override, the request list, exceptions, criteria coverage, every link of both
//! bundles, reproducibility, and the `sample` command.
//!
//! The fixture (tests/fixtures/soc2-basic) is small enough to check by hand: seed
//! `harbour-2026-h1`; CM-01 has a population file of 40 changes in the period (plus one before
//! it) whose every 5th change (CHG-1005, CHG-1010, ...) has no evidence and whose every 7th
//! (CHG-1007, ...) is an exception; HR-01 has 3 leavers, LVR-03 without evidence; LM-02 is weekly
//! with a pack.yaml override of 3 and evidence every other week (its population is the 25 ISO
//! weeks 2026-W02 to 2026-W26, the odd ones and W26 without evidence); BC-01 is automated, with
//! one failed backup (EV-BK-03); VM-01 is annual and has no evidence at all (one year due, a
//! gap).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use regex::Regex;
use sha2::{Digest, Sha256};

pub(crate) const SEED: &str = "harbour-2026-h1";
const START: &str = "2026-01-01";
const END: &str = "2026-06-30";

pub(crate) fn run(content: &Path, out: &Path, args: &[&str]) -> Output {
    crate::common::bin()
        .arg("--content")
        .arg(content)
        .arg("--out")
        .arg(out)
        .args(args)
        .output()
        .unwrap()
}

/// Build `content` into a new temporary output folder; panics unless the build succeeds.
pub(crate) fn built_from(content: &Path, args: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let o = run(content, out.path(), &all);
    assert!(
        o.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

pub(crate) fn fixture() -> PathBuf {
    crate::common::fixture("soc2-basic")
}

pub(crate) fn built() -> tempfile::TempDir {
    built_from(&fixture(), &[])
}

/// A writable copy of the fixture.
pub(crate) fn copy() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    crate::common::copy_tree(&fixture(), d.path());
    d
}

pub(crate) fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub(crate) fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The population of CM-01 as the contract defines it: the rows of its CSV dated in the period.
pub(crate) fn cm01_population() -> Vec<(String, String)> {
    let mut r = csv::Reader::from_path(fixture().join("populations/CM-01.csv")).unwrap();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (rec[0].to_string(), rec[1].to_string())
        })
        .filter(|(_, day)| START <= day.as_str() && day.as_str() <= END)
        .collect()
}

/// The sample, computed here: (ranking hash, item id) ascending, first `n`.
pub(crate) fn expected_sample(control: &str, items: &[String], n: usize) -> Vec<(String, String)> {
    let mut ranked: Vec<(String, String)> = items
        .iter()
        .map(|id| (sha256_hex(&format!("{SEED}:{control}:{id}")), id.clone()))
        .collect();
    ranked.sort();
    ranked.truncate(n);
    ranked
}

/// The sample table of a control page: (rank, item id, ranking hash) in page order. Each
/// ranking hash is shown short (its first 12 hex digits) with the whole digest in its `title`
/// and in a visually hidden span (issue 14 item 8): the three must agree.
pub(crate) fn page_sample(page: &str) -> Vec<(usize, String, String)> {
    let row = Regex::new(
        r#"<tr><td class="num">(\d+)</td><th scope="row" class="id">([^<]*)(?:<br>.*?)?</th><td class="nowrap">[0-9-]+</td><td><code class="digest hash" title="SHA-256 ([0-9a-f]{64})"><span class="hash-short" aria-hidden="true">([0-9a-f]{12})…</span><span class="hash-full">([0-9a-f]{64})</span></code>"#,
    )
    .unwrap();
    row.captures_iter(page)
        .map(|c| {
            assert!(c[3].starts_with(&c[4]) && c[3] == c[5], "{}", &c[0]);
            (c[1].parse().unwrap(), c[2].to_string(), c[3].to_string())
        })
        .collect()
}

/// `controls.csv` as control → (column → value), first row per control.
pub(crate) fn controls_csv(out: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(out.join("soc2/controls.csv")).unwrap();
    let headers = r.headers().unwrap().clone();
    let mut map = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let row: BTreeMap<String, String> = headers
            .iter()
            .zip(rec.iter())
            .map(|(h, v)| (h.to_string(), v.to_string()))
            .collect();
        if !row["control"].is_empty() {
            map.entry(row["control"].clone()).or_insert(row);
        }
    }
    map
}

#[test]
fn the_sample_is_the_independently_computed_sha256_ranking() {
    let out = built();
    let items: Vec<String> = cm01_population().into_iter().map(|(id, _)| id).collect();
    assert_eq!(items.len(), 40, "one row of the CSV is before the period");
    let expected = expected_sample("CM-01", &items, 25);
    let page = read(&out.path().join("soc2/controls/CM-01.html"));
    let got = page_sample(&page);
    assert_eq!(got.len(), 25);
    for (k, ((rank, id, hash), (want_hash, want_id))) in got.iter().zip(&expected).enumerate() {
        assert_eq!(*rank, k + 1);
        assert_eq!(id, want_id);
        assert_eq!(hash, want_hash);
    }
    // The population digest: SHA-256 of the published canonical population, which is one
    // `id\toccurred_on\n` line per item sorted by id.
    let mut sorted = cm01_population();
    sorted.sort();
    let canonical: String = sorted
        .iter()
        .map(|(id, day)| format!("{id}\t{day}\n"))
        .collect();
    assert_eq!(
        read(&out.path().join("soc2/populations/CM-01.txt")),
        canonical
    );
    assert!(page.contains(&sha256_hex(&canonical)));
}

#[test]
fn sample_sizes_follow_the_table_the_override_and_small_populations() {
    let out = built();
    let csv = controls_csv(out.path());
    let size = |c: &str| -> (usize, usize) {
        (
            csv[c]["population"].parse().unwrap(),
            csv[c]["sample_size"].parse().unwrap(),
        )
    };
    assert_eq!(size("CM-01"), (40, 25), "on-event: 25");
    assert_eq!(
        size("AC-02"),
        (2, 2),
        "quarterly: the 2 quarters of the period"
    );
    assert_eq!(
        size("LM-02"),
        (25, 3),
        "weekly: 25 ISO weeks; 5, overridden to 3 in pack.yaml"
    );
    assert_eq!(size("BC-01"), (10, 1), "automated: a test of one");
    assert_eq!(
        size("HR-01"),
        (3, 3),
        "a population under 25 is tested whole"
    );
    // NHI-01 is the rotation control: its population is the rotations required in the period
    // (svc-deploy's two; key-reporting's first falls due after its decommissioning).
    assert_eq!(
        size("NHI-01"),
        (2, 2),
        "a population under 25 is tested whole"
    );
    assert_eq!(
        size("VM-01"),
        (1, 1),
        "annual: the year, due at the period's end"
    );
    let sampling = read(&out.path().join("soc2/sampling.html"));
    assert!(sampling.contains("<code>harbour-2026-h1</code>"));
    let weekly =
        Regex::new(r#"<th scope="row">weekly</th><td class="num">5</td><td class="num">3</td><td>[^\n]*pack.yaml override"#)
            .unwrap();
    assert!(weekly.is_match(&sampling), "the override is printed");
    let hr01 = read(&out.path().join("soc2/controls/HR-01.html"));
    assert!(hr01.contains("the population of 3 is smaller, so it is tested whole"));

    // Change the override: LM-02 draws 4, and the first 3 are the same items (ranking).
    let pack = copy();
    let yaml = read(&pack.path().join("pack.yaml")).replace("weekly: 3", "weekly: 4");
    fs::write(pack.path().join("pack.yaml"), yaml).unwrap();
    let out4 = built_from(pack.path(), &[]);
    assert_eq!(controls_csv(out4.path())["LM-02"]["sample_size"], "4");
    let three = page_sample(&read(&out.path().join("soc2/controls/LM-02.html")));
    let four = page_sample(&read(&out4.path().join("soc2/controls/LM-02.html")));
    assert_eq!(four.len(), 4);
    assert_eq!(&four[..3], &three[..]);
    let want: Vec<String> = expected_sample("LM-02", &lm02_weeks(), 4)
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    let got: Vec<String> = four.into_iter().map(|(_, id, _)| id).collect();
    assert_eq!(got, want);
}

/// LM-02's population: the ISO weeks 2 to 26 of 2026 (week 1 and week 27 are cut by the period
/// to two working days each, so they are not expected).
pub(crate) fn lm02_weeks() -> Vec<String> {
    (2..=26).map(|w| format!("2026-W{w:02}")).collect()
}

/// LM-02 has evidence in the even weeks 2 to 24 only.
pub(crate) fn lm02_gap(week: &str) -> bool {
    let n: u32 = week[6..].parse().unwrap();
    n % 2 == 1 || n == 26
}

#[test]
fn missing_items_land_in_the_request_list_page_and_csv() {
    let out = built();
    let items: Vec<String> = cm01_population().into_iter().map(|(id, _)| id).collect();
    // Every 5th change has no evidence record in the fixture.
    let mut expected: BTreeSet<(String, String)> = expected_sample("CM-01", &items, 25)
        .into_iter()
        .map(|(_, id)| id)
        .filter(|id| id[4..].parse::<u32>().unwrap() % 5 == 0)
        .map(|id| ("CM-01".to_string(), id))
        .collect();
    expected.insert(("HR-01".into(), "LVR-03".into()));
    // Periodic controls: the sampled occurrences without evidence.
    for (_, week) in expected_sample("LM-02", &lm02_weeks(), 3) {
        if lm02_gap(&week) {
            expected.insert(("LM-02".into(), week));
        }
    }
    expected.insert(("VM-01".into(), "2026".into()));
    // svc-deploy existed before the period with no earlier rotation on record, and its first
    // rotation came more than 90 days after its creation: its age is not evidenced, and the
    // rotation before the period is requested.
    expected.insert(("NHI-01".into(), "svc-deploy:2026-04-01".into()));
    assert!(expected.len() > 2, "the fixture must exercise several");

    let mut r = csv::Reader::from_path(out.path().join("soc2/request-list.csv")).unwrap();
    let headers = r.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (c, i, o) = (col("control"), col("item"), col("owner"));
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let got: BTreeSet<(String, String)> = rows
        .iter()
        .map(|r| (r[c].to_string(), r[i].to_string()))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(rows.len(), expected.len(), "no duplicates");
    for r in &rows {
        let owner = match &r[c] {
            "CM-01" | "VM-01" => "dmitri",
            "LM-02" | "NHI-01" => "amara",
            _ => "lena",
        };
        assert_eq!(&r[o], owner);
    }
    let page = read(&out.path().join("soc2/request-list.html"));
    for (control, item) in &expected {
        assert!(
            page.contains(&format!("<th scope=\"row\" class=\"id\">{item}</th>")),
            "{item}"
        );
        assert!(page.contains(&format!("id=\"{control}\"")));
    }
    assert!(page.contains("Dmitri Volkov") && page.contains("Lena Brandt"));
    let hr01 = read(&out.path().join("soc2/controls/HR-01.html"));
    // A sampled item without evidence is a deviation of the control.
    assert!(hr01.contains("Management&#x27;s testing: deviations found"));
    assert!(hr01.contains("deviation: no evidence"));
}

#[test]
fn exceptions_appear_with_management_responses() {
    let out = built();
    let page = read(&out.path().join("soc2/exceptions.html"));
    for id in [
        "EV-CHG-007",
        "EV-CHG-014",
        "EV-CHG-021",
        "EV-CHG-028",
        "EV-ROT-2",
    ] {
        assert!(
            page.contains(&format!("evidence/{id}.html")),
            "{id} missing"
        );
    }
    for n in [1007, 1014, 1021, 1028] {
        assert!(page.contains(&format!("Change CHG-{n} was released before its approval.")));
    }
    assert_eq!(
        page.matches("The pipeline now blocks unapproved merges")
            .count(),
        4
    );
    assert!(page.contains("Rotation is now scheduled by the secret manager."));
    // The late rotation the tool found: 105 days between two rotations. The 101 days from the
    // identity's creation before the period to its first rotation are not claimed: the pack
    // holds no history before the period (it was 9 days into the period, within 90).
    let late = page.split("id=\"late-rotations\"").nth(1).unwrap();
    assert_eq!(late.matches("<tr><th scope=\"row\"").count(), 1, "{late}");
    assert!(late.contains("rotated 105 days after its previous rotation"));
    assert!(!page.contains("after its creation"));

    let cm01 = read(&out.path().join("soc2/controls/CM-01.html"));
    assert!(cm01.contains("Management&#x27;s testing: deviations found"));
    let sampled: BTreeSet<String> = page_sample(&cm01).into_iter().map(|s| s.1).collect();
    for n in [1007, 1014, 1021, 1028, 1035] {
        let item = format!("CHG-{n}");
        if n % 5 == 0 {
            continue; // no evidence: requested, not an exception
        }
        // Sampled or not, a recorded exception is on the control page.
        assert!(
            cm01.contains(&format!("evidence/EV-CHG-{:03}.html", n - 1000)),
            "{item}"
        );
        if !sampled.contains(&item) {
            assert!(cm01.contains("not picked by the sample"));
        }
    }
    // BC-01 is automated: its test of one picks EV-BK-10, a pass, but the organisation recorded
    // a failed backup (EV-BK-03) in the period; sampling must not hide it.
    let bc01 = read(&out.path().join("soc2/controls/BC-01.html"));
    let picked: Vec<String> = page_sample(&bc01).into_iter().map(|s| s.1).collect();
    assert_eq!(picked, ["EV-BK-10"]);
    let tail = &bc01[bc01
        .find("not picked by the sample")
        .expect("unsampled exceptions")..];
    assert!(tail.contains("evidence/EV-BK-03.html"));
    assert!(tail.contains("Storage quota raised and an alert added for failed jobs."));
    let csv = controls_csv(out.path());
    assert_eq!(
        csv["BC-01"]["conclusion"],
        "Management's testing: deviations found"
    );
    assert_eq!(csv["BC-01"]["exceptions"], "1");
    assert_eq!(
        csv["CM-01"]["conclusion"],
        "Management's testing: deviations found"
    );
    assert_eq!(
        csv["NHI-01"]["conclusion"],
        "Management's testing: deviations found"
    );
    // A weekly control with evidence every other week, and an annual one without any: the
    // missing occurrences are deviations, sampled or not.
    for c in ["LM-02", "VM-01"] {
        assert_eq!(
            csv[c]["conclusion"],
            "Management's testing: deviations found"
        );
    }
    assert_eq!(csv["LM-02"]["deviations_in_population"], "13");
    assert_eq!(
        csv["AC-02"]["conclusion"],
        "Management's testing: no deviations found"
    );
}

#[test]
fn every_criterion_in_scope_is_on_the_criteria_page() {
    let out = built();
    let page = read(&out.path().join("soc2/criteria.html"));
    let cats = ["security".to_string(), "availability".to_string()];
    let criteria = evidencepack::content::catalog::catalogs()
        .soc2
        .in_categories(&cats);
    assert!(criteria.len() > 30);
    for c in &criteria {
        assert!(page.contains(&format!("<tr id=\"{}\">", c.id)), "{}", c.id);
    }
    assert!(
        !page.contains("id=\"C1.1\""),
        "confidentiality is not in scope"
    );
    // A criterion without a control is flagged; a covered one lists its control.
    let row = |id: &str| -> String {
        let start = page.find(&format!("<tr id=\"{id}\">")).unwrap();
        page[start..start + page[start..].find("</tr>").unwrap()].to_string()
    };
    assert!(row("CC1.1").contains("No control addresses this criterion"));
    assert!(row("CC8.1").contains("controls/CM-01.html"));
    assert!(row("A1.2").contains("controls/BC-01.html"));
    assert!(!row("CC8.1").contains("No control"));
}

#[test]
fn every_link_of_both_bundles_resolves() {
    let out = built();
    for bundle in ["iso27001", "soc2"] {
        let broken = crate::common::broken_links(out.path(), bundle, false);
        assert!(broken.is_empty(), "{bundle}: {broken:#?}");
    }
    let soc2 = out.path().join("soc2");
    // Cross-links both ways, and the SoA rows a control page points to.
    let control = read(&soc2.join("controls/CM-01.html"));
    assert!(control.contains("href=\"../../iso27001/controls/CM-01.html\""));
    assert!(control.contains("href=\"../../iso27001/soa.html#a-8.32\""));
    for page in [
        "policies/POL-AC.html",
        "risks/R-01.html",
        "evidence/EV-CHG-001.html",
    ] {
        assert!(
            read(&soc2.join(page)).contains(&format!("href=\"../../iso27001/{page}\"")),
            "{page}"
        );
    }
    // Both bundles name the same content digest.
    let digest = Regex::new(r#"<code class="digest">([0-9a-f]{64})</code></p>"#).unwrap();
    let iso = read(&out.path().join("iso27001/index.html"));
    let soc = read(&soc2.join("index.html"));
    assert_eq!(
        &digest.captures(&iso).unwrap()[1],
        &digest.captures(&soc).unwrap()[1]
    );
    // Attachments are stored content-addressed and linked from the evidence page.
    let ev = read(&soc2.join("evidence/EV-CHG-001.html"));
    let body = "Change CHG-1001 approved by amara on 2026-01-06.\n";
    assert!(ev.contains(&format!("../files/{}.txt", sha256_hex(body))));
    assert_eq!(
        read(&soc2.join(format!("files/{}.txt", sha256_hex(body)))),
        body
    );
}

#[test]
fn a_broken_link_fails_the_build_and_keeps_the_previous_output() {
    let out = built();
    let before = crate::common::files(&out.path().join("soc2"));
    let pack = copy();
    let tpl = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/soc2/sampling.html"))
        .replace(
            "<h2 id=\"method\">Method</h2>",
            "<h2 id=\"method\">Method</h2><a href=\"{{ page.root }}nowhere.html\">x</a>\
             <a href=\"{{ page.root }}criteria.html#CC99.9\">y</a>",
        );
    fs::create_dir_all(pack.path().join("templates/soc2")).unwrap();
    fs::write(pack.path().join("templates/soc2/sampling.html"), tpl).unwrap();
    let o = run(pack.path(), out.path(), &["build"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("2 broken links"), "{err}");
    assert!(
        err.contains(
            "soc2/sampling.html: `nowhere.html` points to soc2/nowhere.html, which does not exist"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "`criteria.html#CC99.9` names #CC99.9, which soc2/criteria.html does not define"
        ),
        "{err}"
    );
    assert_eq!(crate::common::files(&out.path().join("soc2")), before);
}

#[test]
fn the_same_content_gives_the_same_samples_and_identical_pages() {
    let a = built();
    let b = built();
    for bundle in ["soc2", "iso27001"] {
        let (da, db) = (a.path().join(bundle), b.path().join(bundle));
        let files = crate::common::files(&da);
        assert_eq!(files, crate::common::files(&db));
        for f in &files {
            assert!(
                fs::read(da.join(f)).unwrap() == fs::read(db.join(f)).unwrap(),
                "{bundle}/{f} differs"
            );
        }
    }
}

#[test]
fn the_sample_command_lists_the_same_items_and_hashes() {
    let out = built();
    let line = Regex::new(r"(?m)^ +(\d+)  ([0-9a-f]{64})  (\S+) ").unwrap();
    let digest = Regex::new(r"digest         sha256 ([0-9a-f]{64})").unwrap();
    for control in ["CM-01", "LM-02", "HR-01", "AC-02"] {
        let o = crate::common::bin()
            .arg("--content")
            .arg(fixture())
            .args(["sample", control])
            .output()
            .unwrap();
        assert!(o.status.success());
        let text = String::from_utf8(o.stdout).unwrap();
        let printed: Vec<(usize, String, String)> = line
            .captures_iter(&text)
            .map(|c| (c[1].parse().unwrap(), c[3].to_string(), c[2].to_string()))
            .collect();
        let page = read(&out.path().join(format!("soc2/controls/{control}.html")));
        assert_eq!(printed, page_sample(&page), "{control}");
        assert!(!printed.is_empty());
        for (_, id, hash) in &printed {
            assert_eq!(hash, &sha256_hex(&format!("{SEED}:{control}:{id}")));
        }
        assert!(text.contains(&format!("seed           {SEED}")));
        let d = digest.captures(&text).unwrap()[1].to_string();
        assert!(page.contains(&d));
        // --population prints exactly what the digest is over.
        let pop = crate::common::bin()
            .arg("--content")
            .arg(fixture())
            .args(["sample", control, "--population"])
            .output()
            .unwrap();
        assert_eq!(sha256_hex(&String::from_utf8(pop.stdout).unwrap()), d);
    }
    let cm01 = String::from_utf8(
        crate::common::bin()
            .arg("--content")
            .arg(fixture())
            .args(["sample", "CM-01"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(cm01.contains("41 rows, 1 outside the period left out"));
    let bc01 = crate::common::bin()
        .arg("--content")
        .arg(fixture())
        .args(["sample", "BC-01"])
        .output()
        .unwrap();
    assert!(String::from_utf8(bc01.stdout)
        .unwrap()
        .contains("1 exception recorded in the period but not sampled: EV-BK-03\n"));
    assert!(cm01.contains("printf '%s' 'harbour-2026-h1:CM-01:"));
}

#[test]
fn the_sample_command_refuses_unknown_controls_and_broken_content() {
    let o = crate::common::bin()
        .arg("--content")
        .arg(fixture())
        .args(["sample", "CM-1"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `CM-01`?"));

    let pack = copy();
    let yaml =
        read(&pack.path().join("pack.yaml")).replace("  sampling_seed: \"harbour-2026-h1\"\n", "");
    fs::write(pack.path().join("pack.yaml"), yaml).unwrap();
    let o = crate::common::bin()
        .arg("--content")
        .arg(pack.path())
        .args(["sample", "CM-01"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("E005") && err.contains("sampling_seed"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
    // check and build refuse the same pack: nothing is written.
    let out = tempfile::tempdir().unwrap();
    assert_eq!(
        run(pack.path(), out.path(), &["check"]).status.code(),
        Some(1)
    );
    assert_eq!(
        run(pack.path(), out.path(), &["build"]).status.code(),
        Some(1)
    );
    assert!(!out.path().join("soc2").exists());
}

#[test]
fn the_customer_audience_sees_withheld_records_but_the_same_sample() {
    let auditor = built();
    // A customer that receives every section: what its classification ceiling withholds.
    let every = copy();
    crate::common::customer_sees_every_section(&every.path().join("pack.yaml"));
    let customer = built_from(every.path(), &["--audience", "customer"]);
    let page = |o: &tempfile::TempDir, p: &str| read(&o.path().join("soc2").join(p));
    let ev = page(&customer, "evidence/EV-CHG-002.html");
    assert!(ev.contains("Withheld from this pack"));
    assert!(page(&customer, "redactions.html").contains("EV-CHG-002"));
    assert!(!ev.contains("Change CHG-1002 released"));
    assert!(page(&auditor, "evidence/EV-CHG-002.html").contains("Change CHG-1002 released"));
    assert_eq!(
        page_sample(&page(&auditor, "controls/CM-01.html")),
        page_sample(&page(&customer, "controls/CM-01.html"))
    );
    for bundle in ["iso27001", "soc2"] {
        let broken = crate::common::broken_links(customer.path(), bundle, false);
        assert!(broken.is_empty(), "{bundle}: {broken:#?}");
    }
}

#[test]
fn user_text_stays_inert_and_the_report_claims_no_opinion() {
    let out = built();
    let system = read(&out.path().join("soc2/system.html"));
    assert!(system.contains("create &lt;script&gt;alert(1)&lt;/script&gt;."));
    assert!(!crate::common::tags(&system)
        .iter()
        .any(|t| t.starts_with("<script")));
    assert!(system.contains("carve-out") && system.contains("inclusive"));
    let index = read(&out.path().join("soc2/index.html"));
    assert!(index.contains("This is not a service auditor's report."));
    assert!(index.contains("Draft for management to review and sign"));
}

/// The overview's "Before signing" sentence, tags removed and whitespace collapsed.
fn before_signing(out: &Path) -> String {
    let page = read(&out.join("soc2/index.html"));
    let callout = Regex::new(r"(?s)<strong>Before signing\.</strong>(.*?)</p>")
        .unwrap()
        .captures(&page)
        .unwrap_or_else(|| panic!("no 'Before signing' callout: {page}"))[1]
        .to_string();
    let text = Regex::new(r"<[^>]+>").unwrap().replace_all(&callout, "");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_overview_lists_what_to_resolve_before_signing_in_one_sentence() {
    // The fixture has exceptions, missing items and uncovered criteria; the example pack has
    // exceptions only (its many-item populations come from sources, whose items are never
    // missing: the export is their evidence).
    let fixture = built();
    let example = built_from(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"), &[]);
    let sentence = Regex::new(
        r"^The tests in this bundle found deviations in \d+ controls? \(.+; see exceptions\)(; \d+ sampled items? without evidence, each a deviation \(see the request list\))?(; \d+ criteri(a|on) in scope that no control addresses \(see the criteria\))?\. Management should decide",
    )
    .unwrap();
    for (out, with_gaps) in [(fixture.path(), true), (example.path(), false)] {
        let text = before_signing(out);
        assert!(sentence.is_match(&text), "{text}");
        assert_eq!(text.contains("see the criteria"), with_gaps, "{text}");
        assert_eq!(text.contains("see the request list"), with_gaps, "{text}");
        assert!(!text.contains(" .") && !text.contains(" ;"), "{text}");
    }
}
