//! Links between content written inside Markdown as `kind:id`, e.g. `[access policy](policy:POL-AC)`.
//!
//! The same parser serves `check` (every link must resolve) and the renderer (every link
//! becomes a real link in each bundle).

use pulldown_cmark::{Event, Options, Parser, Tag};

/// What a `kind:id` link points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LinkKind {
    /// A policy (`policy:POL-AC`).
    Policy,
    /// A control (`control:AC-02`).
    Control,
    /// An evidence record (`evidence:EV-2026-0142`).
    Evidence,
    /// A risk (`risk:R-07`).
    Risk,
    /// A non-human identity (`identity:svc-deploy`).
    Identity,
    /// A review (`review:MR-2026-1`).
    Review,
    /// An ISO 27001:2022 Annex A control (`annex:5.15`).
    Annex,
    /// An ISO 27001:2022 clause (`clause:6.1.2`).
    Clause,
    /// A SOC 2 criterion (`soc2:CC6.1`).
    Soc2,
    /// A NIST CSF 2.0 function, category or subcategory (`csf:PR.AA-01`).
    Csf,
}

impl LinkKind {
    /// Every kind with its scheme.
    pub const ALL: [(LinkKind, &'static str); 10] = [
        (LinkKind::Policy, "policy"),
        (LinkKind::Control, "control"),
        (LinkKind::Evidence, "evidence"),
        (LinkKind::Risk, "risk"),
        (LinkKind::Identity, "identity"),
        (LinkKind::Review, "review"),
        (LinkKind::Annex, "annex"),
        (LinkKind::Clause, "clause"),
        (LinkKind::Soc2, "soc2"),
        (LinkKind::Csf, "csf"),
    ];

    /// The scheme written before the colon.
    pub fn scheme(self) -> &'static str {
        LinkKind::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map(|(_, s)| *s)
            .unwrap_or("")
    }
}

/// Parse a link destination; `None` for ordinary URLs and anything that is not ours.
///
/// ```
/// use evidencepack::content::links::{parse_target, LinkKind};
/// assert_eq!(parse_target("control:AC-02"), Some((LinkKind::Control, "AC-02")));
/// assert_eq!(parse_target("soc2:CC6.1"), Some((LinkKind::Soc2, "CC6.1")));
/// assert_eq!(parse_target("https://northwind.example/policy"), None);
/// ```
pub fn parse_target(dest: &str) -> Option<(LinkKind, &str)> {
    let (scheme, id) = dest.split_once(':')?;
    let kind = LinkKind::ALL
        .iter()
        .find(|(_, s)| *s == scheme)
        .map(|(k, _)| *k)?;
    let id = id.trim();
    (!id.is_empty()).then_some((kind, id))
}

/// A content link found in a Markdown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundLink {
    /// Byte offset of the link in the text.
    pub offset: usize,
    /// What it points at.
    pub kind: LinkKind,
    /// The id.
    pub id: String,
}

/// Markdown extensions used everywhere (check and render agree on what is a link).
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Every `kind:id` link in a Markdown text, in order.
pub fn find(markdown: &str) -> Vec<FoundLink> {
    // Cheap pre-filter: most summaries hold no link at all.
    if !markdown.contains("](") && !markdown.contains("]:") && !markdown.contains('<') {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(markdown, markdown_options()).into_offset_iter() {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event {
            if let Some((kind, id)) = parse_target(&dest_url) {
                out.push(FoundLink {
                    offset: range.start,
                    kind,
                    id: id.to_string(),
                });
            }
        }
    }
    out
}

/// 1-based line and column of a byte offset in a text.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse() {
        assert_eq!(
            parse_target("control:AC-02"),
            Some((LinkKind::Control, "AC-02"))
        );
        assert_eq!(parse_target("annex:5.15"), Some((LinkKind::Annex, "5.15")));
        assert_eq!(parse_target("https://example.com"), None);
        assert_eq!(parse_target("mailto:a@b"), None);
        assert_eq!(parse_target("control:"), None);
    }

    #[test]
    fn links_are_found_with_offsets() {
        let md = "See the [policy](policy:POL-AC).\n\nAnd [x](https://e.example) and [c][r].\n\n[r]: control:AC-02\n";
        let found = find(md);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].kind, LinkKind::Policy);
        assert_eq!(line_col(md, found[0].offset), (1, 9));
        assert_eq!(found[1].id, "AC-02");
        assert_eq!(line_col(md, found[1].offset).0, 3);
    }
}
