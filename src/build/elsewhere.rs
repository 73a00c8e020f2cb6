//! Zips without dead links: the pages a bundle's zip carries for the links that leave it.
//!
//! The published bundles are cross-linked (`dist/iso27001/controls/AC-02.html` links
//! `../../soc2/controls/AC-02.html`), and a bundle zip holds its bundle byte for byte under
//! `<bag>/data/`, so that its bundle digest, its manifests and `verify` all agree with the
//! folder. Unpacked alone, such a link resolves to `<bag>/soc2/controls/AC-02.html`, outside
//! `data/`. The zip therefore carries, at each such path, a small *elsewhere page*: it says in
//! plain text that the page is in the other bundle, names that bundle's zip and the page's path
//! in it, defines every `#fragment` the links name, and links back to the bundle's overview.
//! These pages are BagIt tag files (RFC 8493 §2.2.4: a bag may hold tag files in tag
//! directories), listed in `tagmanifest-sha256.txt` and so covered by its signature; the
//! payload under `data/`, and with it every digest, stays the folder's.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::bundle::linkcheck::links_of;
use crate::bundle::Manifest;
use crate::render::{escape_html, target_of, Bundle};

/// The other bundle of a build, as an elsewhere page names it.
#[derive(Debug, Clone)]
pub(super) struct Counterpart {
    /// Which bundle.
    pub(super) bundle: Bundle,
    /// The name of its zip (`soc2-<12 hex>.zip`).
    pub(super) zip: String,
}

/// The elsewhere pages of the bundle `bundle` (folder `dir`, files `manifest`): for every
/// link of its pages into one of `others`, a page at the path the link resolves to inside the
/// bag (`soc2/controls/AC-02.html`), with its bytes. Sorted by path; empty when no link
/// leaves the bundle.
pub(super) fn pages(
    dir: &Path,
    manifest: &Manifest,
    bundle: Bundle,
    others: &[Counterpart],
) -> Result<Vec<(String, Vec<u8>)>> {
    let targets = outbound(dir, manifest, bundle, others)?;
    let style = manifest
        .entries
        .iter()
        .map(|e| e.path.as_str())
        .find(|p| p.starts_with("assets/style.") && p.ends_with(".css"));
    Ok(targets
        .into_iter()
        .filter_map(|((other, rest), fragments)| {
            let counterpart = others.iter().find(|c| c.bundle.dir() == other)?;
            let path = format!("{other}/{rest}");
            let text = page(bundle, counterpart, &rest, &fragments, style);
            Some((path, text.into_bytes()))
        })
        .collect())
}

/// Every link of the bundle's pages that resolves into one of `others`: (its folder, path
/// inside it) with the fragments the links name.
fn outbound(
    dir: &Path,
    manifest: &Manifest,
    bundle: Bundle,
    others: &[Counterpart],
) -> Result<BTreeMap<(&'static str, String), BTreeSet<String>>> {
    let found: Vec<Vec<(Bundle, String, Option<String>)>> = manifest
        .entries
        .par_iter()
        .filter(|e| e.path.ends_with(".html"))
        .map(|e| {
            let p = dir.join(&e.path);
            let text =
                fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
            Ok(links_of(&text)
                .iter()
                .filter_map(|href| leaves(bundle, &e.path, href, others))
                .collect())
        })
        .collect::<Result<_>>()?;
    let mut targets: BTreeMap<(&'static str, String), BTreeSet<String>> = BTreeMap::new();
    for (other, rest, fragment) in found.into_iter().flatten() {
        let fragments = targets.entry((other.dir(), rest)).or_default();
        fragments.extend(fragment);
    }
    Ok(targets)
}

/// Where `href` on the page at `page` (a path in `bundle`) leads when it leaves the bundle for
/// one of `others`: that bundle, the path in it and the (decoded) fragment. `None` for a link
/// that stays in the bundle, leaves the site or does not parse (the build's link check judges
/// those).
fn leaves(
    bundle: Bundle,
    page: &str,
    href: &str,
    others: &[Counterpart],
) -> Option<(Bundle, String, Option<String>)> {
    target_of(bundle, page, href)
        .filter(|(to, ..)| *to != bundle && others.iter().any(|c| c.bundle == *to))
}

/// The elsewhere page for `rest` (a path in `counterpart`'s bundle), in a zip of `bundle`.
fn page(
    bundle: Bundle,
    counterpart: &Counterpart,
    rest: &str,
    fragments: &BTreeSet<String>,
    style: Option<&str>,
) -> String {
    // The page sits at `<bag>/<other>/<rest>`: one `../` per segment of `rest` leads to `<bag>/`.
    let up = "../".repeat(rest.split('/').count());
    let other = escape_html(counterpart.bundle.title());
    let zip = escape_html(&counterpart.zip);
    let bag = escape_html(counterpart.zip.trim_end_matches(".zip"));
    let rest = escape_html(rest);
    let mut html = String::with_capacity(2048);
    html.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'self' file:; img-src 'self' file:; base-uri 'none'; form-action 'none'\">\n");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(html, "<title>In the other bundle: {rest} · {other}</title>");
    if let Some(style) = style {
        let _ = writeln!(
            html,
            "<link rel=\"stylesheet\" href=\"{up}data/{}\">",
            escape_html(style)
        );
    }
    html.push_str("</head>\n<body>\n<main id=\"main\" class=\"wrap\">\n");
    let _ = writeln!(html, "<h1>This page is in the {other}</h1>");
    let _ = writeln!(
        html,
        "<p>This zip holds the {} only. The page you followed, <code>{rest}</code>, is in the \
         other bundle of the same pack, <strong>{zip}</strong>: unpack that zip and open \
         <code>{bag}/data/{rest}</code>.</p>",
        escape_html(bundle.title())
    );
    if !fragments.is_empty() {
        html.push_str("<p>The links to it name these parts of that page:</p>\n<ul>\n");
        for f in fragments {
            let f = escape_html(f);
            let _ = writeln!(html, "<li id=\"{f}\"><code>#{f}</code></li>");
        }
        html.push_str("</ul>\n");
    }
    let _ = writeln!(
        html,
        "<p><a href=\"{up}data/index.html\">Back to the overview of this bundle</a></p>"
    );
    html.push_str("</main>\n</body>\n</html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn soc2() -> Vec<Counterpart> {
        vec![Counterpart {
            bundle: Bundle::Soc2,
            zip: "soc2-0123456789ab.zip".into(),
        }]
    }

    #[test]
    fn only_links_into_the_other_bundle_leave() {
        let o = soc2();
        let iso = Bundle::Iso27001;
        assert_eq!(
            leaves(
                iso,
                "controls/AC-02.html",
                "../../soc2/criteria.html#CC7.3",
                &o
            ),
            Some((Bundle::Soc2, "criteria.html".into(), Some("CC7.3".into())))
        );
        assert_eq!(
            leaves(iso, "index.html", "../soc2/controls/a%20b.html", &o),
            Some((Bundle::Soc2, "controls/a b.html".into(), None))
        );
        for stays in [
            "controls/AC-02.html",
            "../iso27001/index.html",
            "#top",
            "https://example.com/soc2/x.html",
            "//example.com/x",
            "/soc2/x.html",
            "../../../soc2/x.html",
            "../other/x.html",
            "../soc2/",
        ] {
            assert_eq!(leaves(iso, "index.html", stays, &o), None, "{stays}");
        }
    }

    #[test]
    fn an_elsewhere_page_names_the_zip_defines_the_fragments_and_links_home() {
        let o = soc2();
        let frags: BTreeSet<String> = ["CC7.3".to_string(), "a\"b".to_string()].into();
        let html = page(
            Bundle::Iso27001,
            &o[0],
            "controls/AC-02.html",
            &frags,
            Some("assets/style.0123.css"),
        );
        assert!(
            html.contains("<strong>soc2-0123456789ab.zip</strong>"),
            "{html}"
        );
        assert!(html.contains("soc2-0123456789ab/data/controls/AC-02.html"));
        assert!(html.contains(r#"<li id="CC7.3">"#));
        assert!(html.contains(r#"<li id="a&quot;b">"#));
        assert!(html.contains(r#"href="../../data/index.html""#));
        assert!(html.contains(r#"href="../../data/assets/style.0123.css""#));
        assert!(!html.contains("<script"));
    }
}
