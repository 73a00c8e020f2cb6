//! Markdown to safe HTML: pulldown-cmark with the extensions `check` uses, `kind:id` links
//! rewritten for the current bundle and page depth, then sanitised with ammonia.
//!
//! Content is untrusted, so the output is made inert in two layers:
//!
//! 1. an event filter: raw HTML (blocks and inline) is turned into text, so it shows as written
//!    and never becomes markup; images that would load from another host become plain links;
//!    task-list checkboxes become ☐/☑ characters; headings are placed below the page's `<h1>`
//!    without skipping a level (`outline_headings`) and get stable anchors (`id`);
//! 2. ammonia on the HTML: only a fixed set of tags and attributes survives, link schemes are
//!    limited to `http`, `https` and `mailto` (no `javascript:` or `data:`), event handlers and
//!    every `style` attribute are dropped. Table column alignment becomes a class
//!    (`align-right`) instead, so pages need no inline style under their Content-Security-Policy.
//!
//! A `kind:id` link to a record withheld from the pack's audience ([`Redactions`]) renders as
//! `<span class="withheld">link text (withheld from this pack)</span>`: never a link to a page
//! the reader cannot open.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};

use super::{resolve_link, Bundle};
use crate::content::audience::Redactions;
use crate::content::links;

/// What a withheld link's text is followed by.
const WITHHELD_SUFFIX: &str = " (withheld from this pack)</span>";

/// Render `markdown` for a page of `bundle` whose way back to the bundle root is `root`, in a
/// pack that withholds `redactions`.
pub fn to_html(markdown: &str, bundle: Bundle, root: &str, redactions: &Redactions) -> String {
    if let Some(html) = plain_paragraph(markdown) {
        return html;
    }
    let withheld = |dest: &str| {
        links::parse_target(dest).is_some_and(|(kind, id)| redactions.is_withheld(kind, id))
    };
    let mut events: Vec<Event> = Vec::new();
    let mut in_external_image = false;
    let mut in_withheld = false;
    let mut in_dropped_link = false;
    for event in Parser::new_ext(markdown, links::markdown_options()) {
        let image = matches!(event, Event::Start(Tag::Image { .. }));
        let event = match event {
            Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
            Event::TaskListMarker(done) => Event::Text(if done { "☑ " } else { "☐ " }.into()),
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if withheld(&dest_url) =>
            {
                in_withheld = true;
                Event::Html(r#"<span class="withheld">"#.into())
            }
            Event::End(TagEnd::Link | TagEnd::Image) if in_withheld => {
                in_withheld = false;
                Event::Html(WITHHELD_SUFFIX.into())
            }
            Event::End(TagEnd::Link | TagEnd::Image) if in_dropped_link => {
                in_dropped_link = false;
                continue;
            }
            Event::Start(
                Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }
                | Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                },
            ) => {
                let dest_url = rewrite(dest_url, bundle, root);
                if !kept_by_sanitiser(&dest_url) {
                    in_dropped_link = true;
                    continue;
                }
                // An image from another host becomes a plain link: pages load nothing remote.
                if image && !is_external(&dest_url) {
                    Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    })
                } else {
                    in_external_image |= image;
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    })
                }
            }
            Event::End(TagEnd::Image) if in_external_image => {
                in_external_image = false;
                Event::End(TagEnd::Link)
            }
            other => other,
        };
        events.push(event);
    }
    outline_headings(&mut events);
    anchor_headings(&mut events);
    let mut html = String::with_capacity(markdown.len() * 3 / 2 + 16);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitizer()
        .clean(&focusable_code_blocks(&align_classes(&html)))
        .to_string()
}

/// Code blocks scroll sideways instead of wrapping, so keyboard users must be able to focus
/// them to scroll (WCAG 2.1.1; axe `scrollable-region-focusable`). Raw HTML from the content
/// was turned into text before, so a `<pre>` here is always the writer's own.
fn focusable_code_blocks(html: &str) -> std::borrow::Cow<'_, str> {
    if html.contains("<pre>") {
        html.replace("<pre>", r#"<pre tabindex="0">"#).into()
    } else {
        html.into()
    }
}

/// Table cell alignment as classes: pulldown-cmark writes `<td style="text-align: right">`.
/// Raw HTML from the content was turned into text before, so a `<td` here is always the
/// writer's own.
fn align_classes(html: &str) -> std::borrow::Cow<'_, str> {
    if !html.contains(" style=\"text-align: ") {
        return html.into();
    }
    let mut out = html.to_string();
    for cell in ["th", "td"] {
        for side in ["left", "center", "right"] {
            out = out.replace(
                &format!("<{cell} style=\"text-align: {side}\">"),
                &format!("<{cell} class=\"align-{side}\">"),
            );
        }
    }
    out.into()
}

/// A one-line text with no Markdown syntax in it renders as one paragraph without the parser
/// and sanitiser (most evidence summaries): the same output, much faster.
fn plain_paragraph(text: &str) -> Option<String> {
    let t = text.trim();
    let first = t.chars().next()?;
    let plain = first.is_alphabetic()
        && !t.contains("  ")
        && !t.bytes().any(|b| {
            matches!(
                b,
                b'\n'
                    | b'\r'
                    | b'\t'
                    | b'\\'
                    | b'`'
                    | b'*'
                    | b'_'
                    | b'['
                    | b']'
                    | b'<'
                    | b'>'
                    | b'&'
                    | b'!'
                    | b'~'
                    | b'|'
                    | b'#'
                    | b'"'
                    | b'\''
                    | b':'
                    | b'='
            )
        });
    plain.then(|| format!("<p>{t}</p>\n"))
}

fn rewrite<'a>(dest: CowStr<'a>, bundle: Bundle, root: &str) -> CowStr<'a> {
    match resolve_link(bundle, root, &dest) {
        Some(url) => url.into(),
        None => dest,
    }
}

/// Does the sanitiser keep `url` as a link target? It keeps paths and `http`, `https` and
/// `mailto` URLs only; for any other scheme it drops the `href` and leaves an `<a>` that still
/// has its `rel` (invalid HTML), so such a link is rendered as its text instead.
fn kept_by_sanitiser(url: &str) -> bool {
    let head = url.split(['/', '?', '#']).next().unwrap_or("");
    match head.split_once(':') {
        None => true,
        Some((scheme, _)) => ["http", "https", "mailto"]
            .iter()
            .any(|s| scheme.eq_ignore_ascii_case(s)),
    }
}

/// Does a URL name a scheme or another host (anything but a path in the bundle)?
fn is_external(url: &str) -> bool {
    url.starts_with("//")
        || url
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("")
            .contains(':')
}

/// The page owns the only `<h1>`, and a page never skips a heading level (the Nu checker flags
/// an `<h3>` after the `<h1>`): the shallowest heading of the Markdown becomes `<h2>`, the others
/// keep their depth below it, but never more than one level deeper than the heading before
/// (`#` then `###` becomes `<h2>` then `<h3>`).
fn outline_headings(events: &mut [Event]) {
    let shallowest = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
            _ => None,
        })
        .min();
    let Some(shallowest) = shallowest else {
        return;
    };
    let mut previous = 1;
    let mut current = HeadingLevel::H2;
    for event in events.iter_mut() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let wanted = *level as usize + 2 - shallowest;
                let n = wanted.min(previous + 1).clamp(2, 6);
                current = HeadingLevel::try_from(n).unwrap_or(HeadingLevel::H6);
                *level = current;
                previous = n;
            }
            Event::End(TagEnd::Heading(level)) => *level = current,
            _ => {}
        }
    }
}

/// Give every heading without an explicit `{#id}` an anchor made from its text: lower case,
/// letters and digits kept, runs of anything else become one `-`; repeats get `-1`, `-2`...
fn anchor_headings(events: &mut [Event]) {
    let mut used: HashSet<String> = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = heading_slug(&text);
            let mut anchor = base.clone();
            let mut n = 1;
            while used.contains(&anchor) {
                anchor = format!("{base}-{n}");
                n += 1;
            }
            used.insert(anchor.clone());
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(anchor.into());
            }
            i = j;
        }
        i += 1;
    }
}

fn heading_slug(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            s.push(c);
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-');
    if s.is_empty() {
        "section".to_string()
    } else {
        format!("h-{s}")
    }
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.url_schemes(HashSet::from(["http", "https", "mailto"]));
        b.add_tag_attributes("h2", ["id"])
            .add_tag_attributes("h3", ["id"])
            .add_tag_attributes("h4", ["id"])
            .add_tag_attributes("h5", ["id"])
            .add_tag_attributes("h6", ["id"])
            .add_tag_attributes("div", ["id"])
            .add_tag_attributes("pre", ["tabindex"]);
        let align = HashSet::from(["align-left", "align-center", "align-right"]);
        b.allowed_classes(HashMap::from([
            ("th", align.clone()),
            ("td", align),
            ("span", HashSet::from(["withheld"])),
            (
                "sup",
                HashSet::from(["footnote-reference", "footnote-definition-label"]),
            ),
            ("div", HashSet::from(["footnote-definition"])),
        ]));
        b.attribute_filter(|element, attribute, value| {
            if element == "img" && attribute == "src" && is_external(value) {
                None
            } else {
                Some(value.into())
            }
        });
        b
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        to_html(md, Bundle::Iso27001, "../", &Redactions::none("auditor"))
    }

    #[test]
    fn kind_links_become_relative_links() {
        let out =
            html("See [the policy](policy:POL-AC), [A.5.15](annex:5.15) and [CC6.1](soc2:CC6.1).");
        assert!(out.contains(r#"href="../policies/POL-AC.html""#), "{out}");
        assert!(out.contains(r#"href="../soa.html#a-5.15""#), "{out}");
        assert!(
            out.contains(r#"href="../../soc2/criteria.html#CC6.1""#),
            "{out}"
        );
        let soc2 = to_html(
            "[x](csf:PR.AA-01)",
            Bundle::Soc2,
            "",
            &Redactions::none("auditor"),
        );
        assert!(
            soc2.contains(r#"href="../iso27001/csf.html#PR.AA-01""#),
            "{soc2}"
        );
    }

    #[test]
    fn links_to_withheld_records_become_text() {
        let r = Redactions::withholding(crate::content::links::LinkKind::Evidence, "EV-9");
        let out = to_html(
            "See [the *breach* review](evidence:EV-9), ![x](evidence:EV-9) and [EV-1](evidence:EV-1).",
            Bundle::Iso27001,
            "../",
            &r,
        );
        assert!(
            out.contains(r#"<span class="withheld">the <em>breach</em> review (withheld from this pack)</span>"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<span class="withheld">x (withheld from this pack)</span>"#),
            "{out}"
        );
        assert!(!out.contains("EV-9.html"), "{out}");
        assert!(out.contains(r#"href="../evidence/EV-1.html""#), "{out}");
    }

    #[test]
    fn hostile_markdown_is_inert() {
        let out = html(
            "<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)> <b onclick=x>b</b>\n\n\
             [click](javascript:alert(1)) [d](data:text/html;base64,PHNjcmlwdD4=) \
             [v](vbscript:x) ![i](https://evil.example/track.png)\n\n\
             <iframe src=\"https://evil.example\"></iframe>\n",
        );
        // Look inside tags only: the raw HTML is still there, as harmless text.
        let tags = regex::Regex::new(r"<[^>]*>").unwrap();
        for tag in tags.find_iter(&out).map(|m| m.as_str()) {
            for bad in [
                "<script",
                "<img",
                "<b ",
                "<iframe",
                "onerror",
                "onclick",
                "javascript:",
                "data:",
                "vbscript:",
                "src=\"https://",
            ] {
                assert!(!tag.contains(bad), "{bad} survived in {tag} of {out}");
            }
        }
        // Raw HTML is shown as text, not dropped.
        assert!(
            out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{out}"
        );
        // The external image is now a plain link.
        assert!(
            out.contains(r#"<a href="https://evil.example/track.png""#),
            "{out}"
        );
    }

    #[test]
    fn headings_sit_below_the_page_title_without_skipping_a_level() {
        let levels = |md: &str| -> Vec<String> {
            html(md)
                .match_indices("<h")
                .map(|(i, _)| html(md)[i + 1..i + 3].to_string())
                .collect()
        };
        // The body's shallowest heading becomes h2, whether it was `#` or `##`.
        assert_eq!(levels("# A\n\n## B\n"), ["h2", "h3"]);
        assert_eq!(levels("## A\n\n### B\n\n## C\n"), ["h2", "h3", "h2"]);
        // A skipped level is closed up: `#` then `###` is h2 then h3.
        assert_eq!(
            levels("# A\n\n### B\n\n#### C\n\n# D\n"),
            ["h2", "h3", "h4", "h2"]
        );
        assert_eq!(levels("###### Deep\n"), ["h2"]);
        assert!(html("# A\n").ends_with("A</h2>\n"), "{}", html("# A\n"));
    }

    #[test]
    fn extensions_render() {
        let out = html(
            "# Title\n\n## Title\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n- [ ] todo\n\nNote[^1].\n\n[^1]: The note.\n",
        );
        assert!(out.contains(r#"<h2 id="h-title">Title</h2>"#), "{out}");
        assert!(out.contains(r#"<h3 id="h-title-1">Title</h3>"#), "{out}");
        assert!(out.contains("<table>"), "{out}");
        assert!(out.contains(r#"<td class="align-right">2</td>"#), "{out}");
        assert!(!out.contains("style="), "{out}");
        assert!(out.contains("<del>old</del>"), "{out}");
        assert!(out.contains("☑ done") && out.contains("☐ todo"), "{out}");
        assert!(out.contains(r#"class="footnote-reference""#), "{out}");
        assert!(out.contains(r#"class="footnote-definition""#), "{out}");
        assert!(!out.contains("<h1"), "{out}");
    }

    #[test]
    fn links_the_sanitiser_would_empty_become_their_text() {
        let out = html(
            "[click](javascript:alert(1)), [v](VBScript:x), ![pic](data:image/png;base64,AA) \
             and [ok](https://a.example/x:y) [mail](mailto:a@b.example) [rel](./x:y)",
        );
        assert!(
            out.contains("<p>click, v, pic and <a href=\"https://a.example/x:y\""),
            "{out}"
        );
        assert!(out.contains(r#"<a href="mailto:a@b.example""#), "{out}");
        assert!(out.contains(r#"<a href="./x:y""#), "{out}");
        // Every link that is left has a target (vnu: `rel` needs `href`).
        assert_eq!(out.matches("<a ").count(), 3, "{out}");
        assert_eq!(out.matches("<a href=").count(), 3, "{out}");
    }

    #[test]
    fn code_blocks_are_keyboard_focusable() {
        let out = html(
            "```sh\nsha256sum -c manifest-sha256.txt\n```\n\n    indented\n\n\
             <pre tabindex=\"5\">raw</pre>\n",
        );
        assert_eq!(out.matches(r#"<pre tabindex="0">"#).count(), 2, "{out}");
        assert!(
            out.contains(r#"<pre tabindex="0"><code>sha256sum -c"#),
            "{out}"
        );
        // Raw HTML is still text, not a second element with the writer's attribute.
        assert!(out.contains("&lt;pre tabindex=\"5\"&gt;raw"), "{out}");
    }

    #[test]
    fn plain_text_takes_the_fast_path_with_the_same_result() {
        for text in [
            "Quarterly access review completed.",
            "Reviewed 42 accounts, 3 removed (all leavers).",
        ] {
            let fast = plain_paragraph(text).unwrap();
            let mut slow = String::new();
            pulldown_cmark::html::push_html(
                &mut slow,
                Parser::new_ext(text, links::markdown_options()),
            );
            assert_eq!(fast, sanitizer().clean(&slow).to_string());
        }
        assert!(plain_paragraph("- item").is_none());
        assert!(plain_paragraph("a <b>").is_none());
        assert!(plain_paragraph("1. first").is_none());
    }
}
