//! The fixed URL scheme of the bundles: record slugs, where a `kind:id` link points, and the
//! way back from a page to its bundle's root.

use serde::Serialize;

use crate::content::links::{self, LinkKind};

/// One of the two bundles. Both live side by side in the output folder, so links between them
/// are relative (`../soc2/...` from the ISO bundle root).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bundle {
    /// The ISO/IEC 27001:2022 management-system narrative (`iso27001/`).
    Iso27001,
    /// The SOC 2 Type II control-sample report (`soc2/`).
    Soc2,
}

impl Bundle {
    /// The bundle's folder name in the output folder.
    pub fn dir(self) -> &'static str {
        match self {
            Bundle::Iso27001 => "iso27001",
            Bundle::Soc2 => "soc2",
        }
    }

    /// The other bundle.
    pub fn other(self) -> Bundle {
        match self {
            Bundle::Iso27001 => Bundle::Soc2,
            Bundle::Soc2 => Bundle::Iso27001,
        }
    }

    /// Human title of the bundle.
    pub fn title(self) -> &'static str {
        match self {
            Bundle::Iso27001 => "ISO/IEC 27001:2022 management system",
            Bundle::Soc2 => "SOC 2 Type II control-sample report",
        }
    }
}

/// Folders whose `<slug>.html` pages exist in both bundles, so every such page links to its
/// counterpart in the other bundle.
pub const SHARED_DIRS: [&str; 4] = ["policies", "controls", "risks", "evidence"];

/// A file-name-safe, collision-free, deterministic form of a record id: `[A-Za-z0-9._-]` are
/// kept, every other byte (of the UTF-8 form) is written `~XX` (upper-case hex). `~` itself is
/// encoded, so two different ids never share a slug; a leading `.` is encoded so no slug names a
/// hidden file or `..`.
pub fn slug(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for (i, b) in id.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || (b == b'.' && i > 0);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("~{b:02X}"));
        }
    }
    out
}

/// The ISO bundle page that covers a management-system clause (`clause:9.2`): 4.3 scope and
/// 4.4 on the overview; 4.1, 4.2, 5 and 7 with the policies (context and leadership); 6 and 8 with
/// the risk register; 9 and 10 on the improvement page.
pub fn clause_page(clause: &str) -> &'static str {
    let top = clause.split('.').next().unwrap_or("");
    match (top, clause) {
        (_, "4" | "4.3" | "4.4") => "index.html",
        ("4" | "5" | "7", _) => "policies/index.html",
        ("6" | "8", _) => "risks/index.html",
        ("9" | "10", _) => "improvement.html",
        _ => "index.html",
    }
}

/// The anchor of an Annex A control on `soa.html` (`a-5.15`).
pub fn annex_anchor(id: &str) -> String {
    format!("a-{}", slug(id))
}

/// Where a `kind:id` link points, relative to the root of `from` (prefix it with the page's
/// [`crate::render::PageInfo::root`]). Records that have pages in both bundles stay in `from`;
/// framework ids go to the page that lists them (`annex` → ISO `soa.html#a-5.15`, `csf` → ISO `csf.html#PR.AA-01`,
/// `soc2` → SOC 2 `criteria.html#CC6.1`, `clause` → [`clause_page`]); identities and reviews
/// have their pages in the ISO bundle (SOC 2 lists identities on `identities.html#<slug>`).
pub fn href(from: Bundle, kind: LinkKind, id: &str) -> String {
    let s = slug(id);
    let (bundle, path) = match kind {
        LinkKind::Policy => (from, format!("policies/{s}.html")),
        LinkKind::Control => (from, format!("controls/{s}.html")),
        LinkKind::Evidence => (from, format!("evidence/{s}.html")),
        LinkKind::Risk => (from, format!("risks/{s}.html")),
        LinkKind::Identity => match from {
            Bundle::Iso27001 => (from, format!("identities/{s}.html")),
            Bundle::Soc2 => (from, format!("identities.html#{s}")),
        },
        LinkKind::Review => (Bundle::Iso27001, format!("reviews/{s}.html")),
        LinkKind::Annex => (Bundle::Iso27001, format!("soa.html#{}", annex_anchor(id))),
        LinkKind::Clause => (Bundle::Iso27001, clause_page(id).to_string()),
        LinkKind::Csf => (Bundle::Iso27001, format!("csf.html#{s}")),
        LinkKind::Soc2 => (Bundle::Soc2, format!("criteria.html#{s}")),
    };
    if bundle == from {
        path
    } else {
        format!("../{}/{path}", bundle.dir())
    }
}

/// Resolve a Markdown link destination for a page of `bundle` whose way back to the bundle root
/// is `root` (`""` or `"../"`): `kind:id` targets become relative URLs, anything else is
/// returned unchanged (the sanitiser decides whether it may stay).
pub fn resolve_link(bundle: Bundle, root: &str, dest: &str) -> Option<String> {
    links::parse_target(dest).map(|(kind, id)| format!("{root}{}", href(bundle, kind, id)))
}

/// Where `href`, written on the page at `page` (a path in `bundle`), leads inside the output
/// folder: the bundle, the path in it and the (decoded) fragment. `None` for a link that leaves
/// the site (a scheme, `//host`, an absolute path, above the output folder), names no file (`#x`,
/// a folder) or does not decode.
pub fn target_of(
    bundle: Bundle,
    page: &str,
    href: &str,
) -> Option<(Bundle, String, Option<String>)> {
    use crate::bundle::linkcheck::{has_scheme, percent_decode};
    if href.starts_with("//") || has_scheme(href) {
        return None;
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    if path.is_empty() || path.starts_with('/') {
        return None;
    }
    let mut parts: Vec<String> = std::iter::once(bundle.dir().to_string())
        .chain(page.split('/').map(str::to_string))
        .collect();
    parts.pop();
    for seg in percent_decode(path)?.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s.to_string()),
        }
    }
    let (top, rest) = parts.split_first()?;
    let to = [Bundle::Iso27001, Bundle::Soc2]
        .into_iter()
        .find(|b| b.dir() == top)?;
    if rest.is_empty() {
        return None;
    }
    let fragment = fragment.filter(|f| !f.is_empty()).and_then(percent_decode);
    Some((to, rest.join("/"), fragment))
}

/// The way back from a page at `path` (`controls/AC-02.html`) to the bundle root (`../`).
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_safe_ids_and_encode_the_rest() {
        assert_eq!(slug("AC-02"), "AC-02");
        assert_eq!(slug("EV-2026.0142_a"), "EV-2026.0142_a");
        assert_eq!(slug("a/b c"), "a~2Fb~20c");
        assert_eq!(slug("~"), "~7E");
        assert_eq!(slug(".."), "~2E.");
        assert_eq!(slug("é"), "~C3~A9");
        // `~` is always encoded, so an id that looks like an encoding cannot collide.
        assert_ne!(slug("a~2Fb"), slug("a/b"));
    }

    #[test]
    fn hrefs_follow_the_url_scheme() {
        use Bundle::*;
        assert_eq!(
            href(Iso27001, LinkKind::Control, "AC-02"),
            "controls/AC-02.html"
        );
        assert_eq!(href(Iso27001, LinkKind::Annex, "5.15"), "soa.html#a-5.15");
        assert_eq!(
            href(Soc2, LinkKind::Annex, "5.15"),
            "../iso27001/soa.html#a-5.15"
        );
        assert_eq!(
            href(Iso27001, LinkKind::Soc2, "CC6.1"),
            "../soc2/criteria.html#CC6.1"
        );
        assert_eq!(href(Soc2, LinkKind::Soc2, "CC6.1"), "criteria.html#CC6.1");
        assert_eq!(
            href(Soc2, LinkKind::Csf, "PR.AA-01"),
            "../iso27001/csf.html#PR.AA-01"
        );
        assert_eq!(href(Iso27001, LinkKind::Clause, "9.2"), "improvement.html");
        assert_eq!(href(Iso27001, LinkKind::Clause, "4.3"), "index.html");
        assert_eq!(
            href(Iso27001, LinkKind::Clause, "6.1.2"),
            "risks/index.html"
        );
        assert_eq!(
            href(Soc2, LinkKind::Review, "MR 1"),
            "../iso27001/reviews/MR~201.html"
        );
        assert_eq!(
            resolve_link(Iso27001, "../", "policy:POL-AC").as_deref(),
            Some("../policies/POL-AC.html")
        );
        assert_eq!(resolve_link(Iso27001, "../", "https://x.example"), None);
    }
}
