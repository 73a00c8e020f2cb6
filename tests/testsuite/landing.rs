//! The landing page `dist/index.html` (issue 14 item 3): the pack's facts, both bundles, the
//! zips with their sizes and how to verify them; `pack.json` records its SHA-256 and `verify`
//! checks it.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{bin, broken_links, build_into_temp, fixture};
use evidencepack::bundle::sha256_hex;

/// The audience fixture built with `extra` arguments after `build`.
fn build(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    build_into_temp(&fixture("pack-audience"), extra)
}

fn verify(out: &Path) -> (Option<i32>, String) {
    let o = bin().arg("verify").arg(out).output().unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

#[test]
fn the_landing_page_states_the_packs_facts_and_links_both_bundles_and_zips() {
    let (_d, out) = build(&["--audience", "customer"]);
    let page = fs::read_to_string(out.join("index.html")).unwrap();
    let pack: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("pack.json")).unwrap()).unwrap();
    let facts = [
        format!(
            "Evidence pack of {}",
            pack["organisation"].as_str().unwrap()
        ),
        format!(
            "<time>{}</time> to <time>{}</time>",
            pack["period"]["start"].as_str().unwrap(),
            pack["period"]["end"].as_str().unwrap()
        ),
        // As of: the period's end by default.
        format!(
            "<dt>As of</dt><dd><time>{}</time>",
            pack["period"]["end"].as_str().unwrap()
        ),
        "<dt>Audience</dt><dd>customer".to_string(),
        format!(
            "withheld: {} records",
            pack["withheld_records"].as_u64().unwrap()
        ),
        pack["content_digest"].as_str().unwrap().to_string(),
        "evidencepack verify .".to_string(),
    ];
    for fact in &facts {
        assert!(page.contains(fact.as_str()), "{fact} not on the page");
    }
    for b in pack["bundles"].as_array().unwrap() {
        let zip = b["zip"].as_str().unwrap();
        let size = fs::metadata(out.join(zip)).unwrap().len();
        let bag = zip.trim_end_matches(".zip");
        for fact in [
            format!(r#"<a href="{zip}">{zip}</a>"#),
            format!("({size} bytes)"),
            b["digest"].as_str().unwrap().to_string(),
            format!(r#"<a href="{}/index.html">"#, b["folder"].as_str().unwrap()),
            format!("bagit.py --validate {bag}"),
        ] {
            assert!(page.contains(&fact), "{fact} not on the page");
        }
    }
    assert!(!page.contains("<script"));
    assert!(page.contains("default-src 'none'"));
    assert_eq!(
        pack["landing"]["sha256"].as_str().unwrap(),
        sha256_hex(page.as_bytes())
    );
    // Every link of every page in the output, the landing page's included, resolves.
    let broken = broken_links(&out, "", false);
    assert!(broken.is_empty(), "{:?}", &broken[..broken.len().min(5)]);
}

#[test]
fn verify_checks_the_landing_page() {
    let (_d, out) = build(&[]);
    assert_eq!(verify(&out).0, Some(0));
    let landing = out.join("index.html");
    let original = fs::read(&landing).unwrap();
    fs::write(&landing, [&original[..], b"<!-- changed -->"].concat()).unwrap();
    let (code, report) = verify(&out);
    assert_eq!(code, Some(1), "{report}");
    assert!(report.contains("changed: index.html"), "{report}");
    fs::remove_file(&landing).unwrap();
    let (code, report) = verify(&out);
    assert_eq!(code, Some(1), "{report}");
    assert!(report.contains("missing: index.html"), "{report}");
}
