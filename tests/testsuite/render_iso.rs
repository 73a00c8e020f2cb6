//! Build whole fixture packs and check the ISO 27001 bundle: every page, every link, valid and
//! inert HTML, template overrides, snapshots, and that a failed build leaves the output alone.

use std::fs;
use std::path::Path;

use evidencepack::build::{build, BuildOptions};
use evidencepack::content::catalog::catalogs;
use regex::Regex;

fn build_into(content: &Path, out: &Path) {
    build(content, out, &BuildOptions::default()).unwrap();
}

fn built(fixture: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    build_into(&crate::common::fixture(fixture), out.path());
    out
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_page_of_the_iso_walk_exists() {
    let out = built("render-small");
    let iso = out.path().join("iso27001");
    for page in [
        "index.html",
        "policies/index.html",
        "policies/POL-AC.html",
        "policies/POL-IS.html",
        "risks/index.html",
        "risks/R-01.html",
        "soa.html",
        "controls/index.html",
        "controls/AC-01.html",
        "controls/AC-02.html",
        "controls/GV-01.html",
        "identities/index.html",
        "identities/svc-deploy.html",
        "identities/cert~2Fapi~20gw.html",
        "improvement.html",
        "reviews/MR-2026-1.html",
        "reviews/NC-2026-1.html",
        "evidence/index.html",
        "evidence/months/2026-01.html",
        "evidence/EV-0001.html",
        "evidence/EV~2F0004.html",
        "csf.html",
        "manifest-sha256.txt",
    ] {
        assert!(iso.join(page).is_file(), "{page} is missing");
    }
    let css: Vec<String> = crate::common::files(&iso)
        .into_iter()
        .filter(|f| {
            Regex::new(r"^assets/style\.[0-9a-f]{12}\.css$")
                .unwrap()
                .is_match(f)
        })
        .collect();
    assert_eq!(css.len(), 1, "one hashed stylesheet");
    // The manifest lists every file but itself.
    let manifest = read(&iso.join("manifest-sha256.txt"));
    assert_eq!(
        manifest.lines().count(),
        crate::common::files(&iso).len() - 1,
        "{manifest}"
    );
}

#[test]
fn the_soa_decides_all_93_annex_a_controls() {
    let out = built("render-small");
    let soa = read(&out.path().join("iso27001/soa.html"));
    let annex = &catalogs().iso.annex_a;
    assert_eq!(annex.len(), 93);
    for a in annex {
        assert!(
            soa.contains(&format!(r#"<tr id="a-{}""#, a.id)),
            "A.{} missing",
            a.id
        );
        assert!(
            soa.contains(&format!(">A.{}<", a.id)),
            "A.{} label missing",
            a.id
        );
    }
    assert_eq!(soa.matches("badge-applicable").count(), 7);
    assert_eq!(soa.matches("badge-excluded").count(), 86);
    assert!(soa.contains("Central to the access policy."));
}

#[test]
fn every_internal_link_resolves() {
    for fixture in ["render-small", "render-hostile"] {
        let out = built(fixture);
        let broken = crate::common::broken_links(out.path(), "iso27001", true);
        assert!(broken.is_empty(), "{fixture}: {broken:#?}");
    }
}

#[test]
fn the_link_walker_notices_a_broken_link() {
    let out = built("render-small");
    let page = out.path().join("iso27001/controls/AC-01.html");
    let text = read(&page).replace("../soa.html#a-5.15", "../soa.html#a-9.99");
    fs::write(
        &page,
        text.replace("../policies/POL-AC.html", "../policies/NOPE.html"),
    )
    .unwrap();
    let broken = crate::common::broken_links(out.path(), "iso27001", true);
    assert!(broken.iter().any(|b| b.contains("#a-9.99")), "{broken:#?}");
    assert!(
        broken.iter().any(|b| b.contains("NOPE.html")),
        "{broken:#?}"
    );
}

#[test]
fn every_page_is_a_complete_self_contained_document() {
    let out = built("render-small");
    let iso = out.path().join("iso27001");
    let digest = evidencepack::bundle::sha256_hex(b""); // any 64-hex, checked by shape below
    assert_eq!(digest.len(), 64);
    let digest_re = Regex::new(r#"<code class="digest">[0-9a-f]{64}</code>"#).unwrap();
    let remote = Regex::new(r#"(?i)<(?:img|script|iframe|link|source|video|audio|embed|object)\b[^>]*\s(?:src|href|data)="(?:https?:)?//"#).unwrap();
    for (page, html) in crate::common::pages(&iso) {
        assert!(
            html.starts_with("<!doctype html>\n<html lang=\"en\">"),
            "{page}"
        );
        for needle in [
            r#"<meta charset="utf-8">"#,
            r#"<meta name="viewport""#,
            "<title>",
            "<header",
            "<nav",
            "<main",
            "<footer",
            r##"href="#main""##,
            "Acme Test Ltd",
            "2026-01-01",
            "2026-06-30",
        ] {
            assert!(html.contains(needle), "{page} lacks {needle}");
        }
        assert_eq!(html.matches("<h1").count(), 1, "{page}: exactly one h1");
        assert!(
            digest_re.is_match(&html),
            "{page}: content digest in the footer"
        );
        assert!(!html.contains("<script"), "{page}: no script");
        assert!(
            !remote.is_match(&html),
            "{page}: loads something from another host"
        );
        assert!(html.trim_end().ends_with("</html>"), "{page}");
    }
}

#[test]
fn hostile_markdown_and_yaml_render_inert() {
    let out = built("render-hostile");
    let iso = out.path().join("iso27001");
    let handler = Regex::new(r"(?i)\son[a-z]+\s*=").unwrap();
    let bad_url =
        Regex::new(r#"(?i)(?:href|src|action)\s*=\s*"\s*(?:javascript|data|vbscript):"#).unwrap();
    let pages = crate::common::pages(&iso);
    assert!(pages.len() > 20);
    for (page, html) in &pages {
        assert!(
            !html.to_lowercase().contains("<script"),
            "{page}: script survived"
        );
        for tag in crate::common::tags(html) {
            let lower = tag.to_lowercase();
            assert!(!handler.is_match(&tag), "{page}: event handler in {tag}");
            assert!(!bad_url.is_match(&tag), "{page}: dangerous URL in {tag}");
            for t in ["<iframe", "<style", "<object", "<embed", "<form", "<input"] {
                assert!(!lower.starts_with(t), "{page}: {tag}");
            }
            if lower.starts_with("<img") {
                assert!(!lower.contains("src=\"http"), "{page}: remote image {tag}");
            }
        }
    }
    // The hostile text is still there, shown as text.
    let index = read(&iso.join("index.html"));
    assert!(
        index.contains("&lt;script&gt;"),
        "raw HTML is shown escaped"
    );
    assert!(
        index.contains("Acme &lt;b&gt;Test&lt;/b&gt; Ltd"),
        "YAML text is escaped"
    );
    let policy = read(&iso.join("policies/POL-AC.html"));
    assert!(policy.contains("&lt;svg onload=alert(1)&gt;"), "{policy}");
    let control = read(&iso.join("controls/AC-02.html"));
    assert!(
        control.contains("Review &lt;script&gt;"),
        "titles are escaped"
    );
}

#[test]
fn a_pack_template_overrides_the_built_in_one() {
    let out = built("render-hostile");
    let iso = out.path().join("iso27001");
    let risk = read(&iso.join("risks/R-01.html"));
    assert!(risk.contains(r#"<p class="override-marker">Overridden risk template for R-01</p>"#));
    // Other pages still use the built-in templates.
    assert!(!read(&iso.join("risks/index.html")).contains("override-marker"));
    // A pack asset is added, content-hashed.
    assert!(crate::common::files(&iso)
        .iter()
        .any(|f| f.starts_with("assets/extra.") && f.ends_with(".txt")));
}

#[test]
fn markdown_links_point_at_the_right_pages() {
    let out = built("render-small");
    let iso = out.path().join("iso27001");
    let index = read(&iso.join("index.html"));
    assert!(index.contains(r#"href="policies/POL-AC.html""#), "{index}");
    assert!(index.contains(r#"href="soa.html#a-5.15""#));
    let control = read(&iso.join("controls/AC-02.html"));
    assert!(control.contains(r#"href="../csf.html#PR.AA-05""#));
    assert!(control.contains(r#"href="../../soc2/criteria.html#CC6.2""#));
    assert!(
        control.contains(r#"href="../../soc2/controls/AC-02.html""#),
        "counterpart"
    );
    let policy = read(&iso.join("policies/POL-IS.html"));
    assert!(policy.contains(r#"href="../reviews/MR-2026-1.html""#));
    assert!(
        policy.contains(r#"href="../improvement.html""#),
        "clause 9.3"
    );
}

#[test]
fn attachments_are_stored_once_and_listed_with_their_hash() {
    let out = built("render-small");
    let iso = out.path().join("iso27001");
    let csv = b"account,action\nalice,kept\nbob,removed\n";
    let sha = evidencepack::bundle::sha256_hex(csv);
    let stored: Vec<String> = crate::common::files(&iso)
        .into_iter()
        .filter(|f| f.starts_with("files/"))
        .collect();
    assert_eq!(
        stored.len(),
        2,
        "two identical CSVs and one JSON: {stored:?}"
    );
    assert!(stored.contains(&format!("files/{sha}.csv")));
    let page = read(&iso.join("evidence/EV-0001.html"));
    assert_eq!(
        page.matches(&format!(r#"href="../files/{sha}.csv""#))
            .count(),
        2
    );
    // Per name: the link, and the hash column's title and visually hidden full digest.
    assert_eq!(
        page.matches(&sha).count(),
        6,
        "linked and printed for both names"
    );
    assert!(
        page.contains(&format!(">{} B<", csv.len())),
        "size of the CSV"
    );
}

#[test]
fn the_same_content_builds_the_same_bytes() {
    let a = built("render-small");
    let b = built("render-small");
    let ma = read(&a.path().join("iso27001/manifest-sha256.txt"));
    let mb = read(&b.path().join("iso27001/manifest-sha256.txt"));
    assert_eq!(ma, mb);
}

#[test]
fn control_page_snapshot() {
    let out = built("render-small");
    let html = read(&out.path().join("iso27001/controls/AC-02.html"));
    let html = Regex::new(r"style\.[0-9a-f]{12}\.css")
        .unwrap()
        .replace_all(&html, "style.[hash].css");
    insta::assert_snapshot!("iso_control_AC-02", html);
}

fn evidencepack(content: &Path, out: &Path) -> std::process::Output {
    crate::common::bin()
        .arg("--content")
        .arg(content)
        .arg("--out")
        .arg(out)
        .arg("build")
        .output()
        .unwrap()
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let out = tempfile::tempdir().unwrap();
    let ok = evidencepack(&crate::common::fixture("render-small"), out.path());
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    fs::write(out.path().join("notes.txt"), "mine").unwrap();
    let before = crate::common::files(out.path());
    let manifest = read(&out.path().join("iso27001/manifest-sha256.txt"));

    // Content error: exit 1, diagnostics on stderr, nothing written.
    let broken = tempfile::tempdir().unwrap();
    crate::common::copy_tree(&crate::common::fixture("render-small"), broken.path());
    let risks = broken.path().join("risks/risks.yaml");
    fs::write(
        &risks,
        read(&risks).replace("[AC-01, AC-02]", "[AC-01, AC-99]"),
    )
    .unwrap();
    let failed = evidencepack(broken.path(), out.path());
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("error[E012]") && stderr.contains("AC-99"),
        "{stderr}"
    );
    assert_eq!(crate::common::files(out.path()), before);
    assert_eq!(
        read(&out.path().join("iso27001/manifest-sha256.txt")),
        manifest
    );

    // I/O problem (no content folder): exit 2, output untouched.
    let missing = evidencepack(&broken.path().join("nope"), out.path());
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(crate::common::files(out.path()), before);

    // A later good build replaces the bundle and keeps the user's file.
    let again = evidencepack(&crate::common::fixture("render-small"), out.path());
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(read(&out.path().join("notes.txt")), "mine");
    assert_eq!(crate::common::files(out.path()), before);
}

#[test]
fn evidence_is_indexed_month_by_month() {
    let fixture = crate::common::fixture("render-small");
    let content = evidencepack::build::check::load_and_check(&fixture)
        .unwrap()
        .content;
    let mut expected: std::collections::BTreeMap<String, Vec<(chrono::NaiveDate, String)>> =
        Default::default();
    for e in &content.evidence {
        let month = e.value.occurred_on.format("%Y-%m").to_string();
        expected
            .entry(month)
            .or_default()
            .push((e.value.occurred_on, e.value.id.clone()));
    }
    assert!(expected.len() >= 3, "the fixture spans several months");

    let out = built("render-small");
    let evidence = out.path().join("iso27001/evidence");
    let index = read(&evidence.join("index.html"));
    let linked: Vec<String> = Regex::new(r#"href="months/(\d{4}-\d{2})\.html""#)
        .unwrap()
        .captures_iter(&index)
        .map(|c| c[1].to_string())
        .collect();
    assert_eq!(linked, expected.keys().cloned().collect::<Vec<_>>());

    let months: Vec<String> = crate::common::files(&evidence.join("months"));
    assert_eq!(months.len(), expected.len(), "{months:?}");
    let month_names: Vec<&String> = expected.keys().collect();
    let row_link =
        Regex::new(r#"<th scope="row" class="id"><a href="\.\./([^"]+)\.html">"#).unwrap();
    for (i, (month, records)) in expected.iter().enumerate() {
        let page = read(&evidence.join(format!("months/{month}.html")));
        let mut records = records.clone();
        records.sort();
        let listed: Vec<String> = row_link
            .captures_iter(&page)
            .map(|c| c[1].to_string())
            .collect();
        let want: Vec<String> = records
            .iter()
            .map(|(_, id)| evidencepack::render::slug(id))
            .collect();
        assert_eq!(listed, want, "records of {month}, in date order");
        let previous = i.checked_sub(1).map(|p| month_names[p]);
        let next = month_names.get(i + 1);
        assert_eq!(
            page.contains("rel=\"prev\""),
            previous.is_some(),
            "{month}: previous link"
        );
        if let Some(p) = previous {
            assert!(
                page.contains(&format!("rel=\"prev\" href=\"{p}.html\"")),
                "{month}"
            );
        }
        if let Some(n) = next {
            assert!(
                page.contains(&format!("rel=\"next\" href=\"{n}.html\"")),
                "{month}"
            );
        } else {
            assert!(!page.contains("rel=\"next\""), "{month}: last month");
        }
    }
}

#[test]
fn the_example_pack_builds_with_every_link_resolving() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let out = tempfile::tempdir().unwrap();
    build_into(&content, out.path());
    let iso = out.path().join("iso27001");
    assert!(crate::common::pages(&iso).len() > 100);
    let broken = crate::common::broken_links(out.path(), "iso27001", true);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn identity_rotations_agree_with_the_soc2_analysis() {
    let out = built("render-small");
    let page = read(&out.path().join("iso27001/identities/svc-deploy.html"));
    // Created 2025-11-02, rotated 2026-02-15: the pack holds no history before the period, so
    // the first rotation is not late; then not again until period end (135 days > 90).
    assert!(page.contains("badge-overdue"), "{page}");
    assert!(!page.contains("after its creation"), "{page}");
    assert!(
        page.contains("135 days after its previous rotation (2026-02-15 to the end of the period"),
        "{page}"
    );
    let list = read(&out.path().join("iso27001/identities/index.html"));
    assert!(
        list.contains(
            r#"<span class="num">1</span><span class="label">overdue at period end (not rotated)</span>"#
        ),
        "the overdue credential is counted"
    );
    assert!(
        list.contains(
            r#"<span class="num">0</span><span class="label">rotated late (after a due date) at least once</span>"#
        ),
        "no rotation inside the period came late"
    ); // The SOC 2 report shows the same rotations the same way: the first on record has no
       // interval (it is not 105 days since the credential's creation, which no rule judges).
    let soc2 = read(&out.path().join("soc2/identities.html"));
    let row = Regex::new(r#"(?s)<tr><td class="nowrap">2026-02-15.*?</tr>"#)
        .unwrap()
        .find(&soc2)
        .unwrap_or_else(|| panic!("no row for the 2026-02-15 rotation: {soc2}"))
        .as_str()
        .to_string();
    assert!(row.contains(r#"<td class="num">—</td>"#), "{row}");
    assert!(row.contains("badge-pass"), "{row}");
}

#[test]
fn warnings_show_names_and_links_not_backticks_and_ids() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = tmp.path().join("pack");
    crate::common::copy_tree(&crate::common::fixture("check/valid"), &pack);
    let control = pack.join("controls/change.yaml");
    fs::write(
        &control,
        read(&control).replace("operator: sven", "operator: dmitri"),
    )
    .unwrap();
    let out = tmp.path().join("out");
    build_into(&pack, &out);
    let warning = "control <a class=\"ref\" href=\"../controls/CM-01.html\">CM-01</a> is owned and operated by <span class=\"person\" title=\"CTO\">Dmitri Volkov</span>";
    let page = read(&out.join("iso27001/controls/CM-01.html"));
    assert!(page.contains(&format!("<li>{warning}</li>")), "{page}");
    // The overview's list of every warning, one level up.
    let index = read(&out.join("iso27001/index.html"));
    let listed = warning.replace("../controls/", "controls/");
    assert!(index.contains(&listed), "{index}");
    assert!(!index.contains("`dmitri`") && !page.contains("`dmitri`"));
}
