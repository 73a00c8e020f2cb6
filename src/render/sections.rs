//! Which section each page and file of a bundle belongs to, and the links of a page to a
//! withheld section turned into text.
//!
//! The pages of a section the audience does not receive are not written
//! ([`crate::render::Renderer::page`]); a link to one, wherever it comes from (the navigation, a
//! template, a table, Markdown), becomes `<span class="withheld">its text (withheld from this
//! pack)</span>`, as a link to a withheld record does (in the main navigation, where a phone has
//! little room, `its text (withheld)`). The rewrite reads the rendered page, so
//! no template needs to know the audience, and the build's link check still covers every link
//! that stays.

use std::borrow::Cow;

use super::paths::{target_of, Bundle};
use crate::content::sections::{Section, Sections};

/// The section of the file at `path` in `bundle` (`risks/R-01.html`, `request-list.csv`);
/// `None` for what every audience receives (the redaction log, the assets).
pub fn section_of(bundle: Bundle, path: &str) -> Option<Section> {
    use Bundle::{Iso27001 as Iso, Soc2};
    let top = path.split('/').next().unwrap_or("");
    Some(match (bundle, top) {
        (_, "index.html") => Section::Overview,
        (_, "policies") => Section::Policies,
        (_, "risks") => Section::Risks,
        (_, "controls" | "controls.csv") => Section::Controls,
        (_, "evidence" | "files") => Section::Evidence,
        (Iso, "identities") | (Soc2, "identities.html") => Section::Identities,
        (Iso, "clauses.html") => Section::Clauses,
        (Iso, "soa.html") => Section::Soa,
        (Iso, "improvement.html" | "reviews" | "isms") => Section::Reviews,
        (Iso, "csf.html") => Section::NistCsf,
        (Soc2, "system.html") => Section::SystemDescription,
        (Soc2, "criteria.html") => Section::Criteria,
        (Soc2, "exceptions.html") => Section::Exceptions,
        (Soc2, "sampling.html" | "populations" | "seed-commitment.txt") => Section::Sampling,
        (Soc2, "request-list.html" | "request-list.csv") => Section::RequestList,
        _ => return None,
    })
}

/// Does an audience receiving `sections` get the file at `path` in `bundle`?
pub fn shown(sections: &Sections, bundle: Bundle, path: &str) -> bool {
    section_of(bundle, path).is_none_or(|s| sections.shows(s))
}

/// What a link to a withheld page ends with (as Markdown links to withheld records).
const WITHHELD_SUFFIX: &str = " (withheld from this pack)</span>";

/// The same in the main navigation, where space is short (a phone shows it on a few rows).
const NAV_SUFFIX: &str = " (withheld)</span>";

/// `html`, the page at `page` in `bundle`, with every `<a href>` that leads to a file the
/// audience does not receive turned into `<span class="withheld">` text (“withheld from this
/// pack”, in the main navigation “withheld”); borrowed when it has none. Links in a page never
/// nest, so each ends at the next `</a>`.
pub fn withhold_links<'a>(
    html: &'a str,
    bundle: Bundle,
    page: &str,
    sections: &Sections,
) -> Cow<'a, str> {
    let withheld = |tag: &str| {
        href_of(tag).is_some_and(|href| {
            target_of(bundle, page, &href).is_some_and(|(to, path, _)| !shown(sections, to, &path))
        })
    };
    let nav = html
        .find(r#"<nav class="mainnav""#)
        .and_then(|start| html[start..].find("</nav>").map(|end| start..start + end));
    let mut out = String::new();
    let mut copied = 0;
    let mut from = 0;
    while let Some(i) = html[from..].find("<a ").map(|i| i + from) {
        let Some(tag_end) = html[i..].find('>').map(|e| i + e + 1) else {
            break;
        };
        from = tag_end;
        if !withheld(&html[i..tag_end]) {
            continue;
        }
        let Some(close) = html[tag_end..].find("</a>").map(|c| tag_end + c) else {
            break;
        };
        out.push_str(&html[copied..i]);
        out.push_str(r#"<span class="withheld">"#);
        out.push_str(&html[tag_end..close]);
        out.push_str(if nav.as_ref().is_some_and(|n| n.contains(&i)) {
            NAV_SUFFIX
        } else {
            WITHHELD_SUFFIX
        });
        copied = close + "</a>".len();
        from = copied;
    }
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// The `href` of an `<a …>` tag, entities decoded.
fn href_of(tag: &str) -> Option<String> {
    let start = tag.find(" href=\"")? + " href=\"".len();
    let len = tag[start..].find('"')?;
    Some(crate::bundle::linkcheck::decode_entities(
        &tag[start..start + len],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::sections::CUSTOMER;

    fn customer() -> Sections {
        Sections::declared("customer", Some(&CUSTOMER))
    }

    #[test]
    fn every_page_has_its_section() {
        use Bundle::*;
        let cases = [
            (Iso27001, "index.html", Some(Section::Overview)),
            (Soc2, "index.html", Some(Section::Overview)),
            (Iso27001, "risks/R-01.html", Some(Section::Risks)),
            (Soc2, "risks/index.html", Some(Section::Risks)),
            (Iso27001, "identities/index.html", Some(Section::Identities)),
            (Soc2, "identities.html", Some(Section::Identities)),
            (Iso27001, "identities.html", None),
            (Iso27001, "reviews/MR-1.html", Some(Section::Reviews)),
            (Iso27001, "improvement.html", Some(Section::Reviews)),
            (Iso27001, "isms/objectives.html", Some(Section::Reviews)),
            (
                Iso27001,
                "isms/nonconformities/NC-1.html",
                Some(Section::Reviews),
            ),
            (
                Iso27001,
                "evidence/months/2026-01.html",
                Some(Section::Evidence),
            ),
            (Soc2, "files/ab.pdf", Some(Section::Evidence)),
            (Iso27001, "csf.html", Some(Section::NistCsf)),
            (Iso27001, "clauses.html", Some(Section::Clauses)),
            (Iso27001, "soa.html", Some(Section::Soa)),
            (Soc2, "controls.csv", Some(Section::Controls)),
            (Soc2, "system.html", Some(Section::SystemDescription)),
            (Soc2, "criteria.html", Some(Section::Criteria)),
            (Soc2, "exceptions.html", Some(Section::Exceptions)),
            (Soc2, "populations/AC-01.txt", Some(Section::Sampling)),
            (Soc2, "seed-commitment.txt", Some(Section::Sampling)),
            (Soc2, "sampling.html", Some(Section::Sampling)),
            (Soc2, "request-list.csv", Some(Section::RequestList)),
            (Soc2, "request-list.html", Some(Section::RequestList)),
            (Soc2, "redactions.html", None),
            (Iso27001, "assets/style.0123.css", None),
            (Soc2, "soa.html", None),
        ];
        for (bundle, path, section) in cases {
            assert_eq!(section_of(bundle, path), section, "{bundle:?} {path}");
        }
        assert!(shown(&customer(), Bundle::Soc2, "redactions.html"));
        assert!(!shown(&customer(), Bundle::Soc2, "request-list.csv"));
        assert!(shown(&customer(), Bundle::Iso27001, "controls/AC-01.html"));
    }

    #[test]
    fn links_to_withheld_pages_become_text() {
        let html = concat!(
            r#"<nav class="mainnav"><a href="../risks/index.html" class="x">Risks</a></nav> "#,
            r#"<a href="../controls/AC-01.html">AC-01</a> "#,
            r#"<a href="../../soc2/sampling.html#seed"><b>seed</b></a> "#,
            r#"<a href="https://example.com/risks/x.html">ext</a> "#,
            r##"<a href="#top">top</a> <a href="../redactions.html">log</a></nav>"##
        );
        let out = withhold_links(html, Bundle::Iso27001, "controls/AC-02.html", &customer());
        assert_eq!(
            out,
            concat!(
                r#"<nav class="mainnav"><span class="withheld">Risks (withheld)</span></nav> "#,
                r#"<a href="../controls/AC-01.html">AC-01</a> "#,
                r#"<span class="withheld"><b>seed</b> (withheld from this pack)</span> "#,
                r#"<a href="https://example.com/risks/x.html">ext</a> "#,
                r##"<a href="#top">top</a> <a href="../redactions.html">log</a></nav>"##
            )
        );
        // Nothing withheld: the page is returned as it is, not copied.
        let all = Sections::all();
        assert!(matches!(
            withhold_links(html, Bundle::Iso27001, "controls/AC-02.html", &all),
            Cow::Borrowed(_)
        ));
        // Entities in the href are decoded before it is resolved.
        let out = withhold_links(
            r#"<a href="risks&#x2F;R-1.html">R</a>"#,
            Bundle::Soc2,
            "index.html",
            &customer(),
        );
        assert_eq!(
            out,
            r#"<span class="withheld">R (withheld from this pack)</span>"#
        );
    }
}
