//! The link check of a build: every link in every page of the bundles, inside a bundle or
//! across to the other one, must point to a file that exists (and, when it names a fragment of
//! a page, to an element with that `id`).
//!
//! It reads the finished output, not the templates, so it catches whatever produced a link: a
//! template, a `kind:id` link in Markdown, a counterpart link between bundles. Links with a
//! scheme (`https:`, `mailto:`) and protocol-relative links (`//host`) leave the bundles and are
//! not checked. Attribute values are read as the HTML parser would: entities decoded, then
//! percent-escapes, then resolved against the page's folder.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use rayon::prelude::*;
use walkdir::WalkDir;

/// A link that does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The page holding it, relative to the output folder (`soc2/controls/AC-02.html`).
    pub page: String,
    /// The link as written (entities decoded).
    pub href: String,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for BrokenLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: `{}` {}", self.page, self.href, self.reason)
    }
}

/// What one page links to and which ids it defines.
struct Page {
    path: String,
    links: Vec<String>,
    ids: HashSet<String>,
}

/// Check every `href` and `src` of every `*.html` file under `root/<bundle>/` for each of
/// `bundles`; links may cross between bundles. Returns the broken ones, sorted by page.
pub fn check(root: &Path, bundles: &[&str]) -> Result<Vec<BrokenLink>> {
    let mut files: HashSet<String> = HashSet::new();
    let mut html: Vec<String> = Vec::new();
    for bundle in bundles {
        let base = root.join(bundle);
        for entry in WalkDir::new(&base).follow_links(false) {
            let entry = entry.with_context(|| format!("reading {}", base.display()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(root)
                .unwrap_or(entry.path())
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            if rel.ends_with(".html") {
                html.push(rel.clone());
            }
            files.insert(rel);
        }
    }
    let pages: Vec<Page> = html
        .into_par_iter()
        .map(|path| {
            let text =
                fs::read_to_string(root.join(&path)).with_context(|| format!("reading {path}"))?;
            Ok(scan(path, &text))
        })
        .collect::<Result<_>>()?;
    let ids: HashMap<&str, &HashSet<String>> =
        pages.iter().map(|p| (p.path.as_str(), &p.ids)).collect();
    let mut broken: Vec<BrokenLink> = pages
        .par_iter()
        .flat_map_iter(|page| {
            page.links.iter().filter_map(|href| {
                resolve(page, href, &files, &ids)
                    .err()
                    .map(|reason| BrokenLink {
                        page: page.path.clone(),
                        href: href.clone(),
                        reason,
                    })
            })
        })
        .collect();
    broken.sort_by(|a, b| (&a.page, &a.href).cmp(&(&b.page, &b.href)));
    broken.dedup();
    Ok(broken)
}

/// The `href` and `src` values of a page, entities decoded (as [`check`] reads them).
pub(crate) fn links_of(text: &str) -> Vec<String> {
    scan(String::new(), text).links
}

/// Collect the `href`/`src` values and the `id`s of a page, in one pass over its `="`.
fn scan(path: String, text: &str) -> Page {
    let mut links = Vec::new();
    let mut ids = HashSet::new();
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices("=\"") {
        let before = &bytes[..i];
        let is_link = before.ends_with(b" href") || before.ends_with(b" src");
        if !is_link && !before.ends_with(b" id") {
            continue;
        }
        let rest = &text[i + 2..];
        let Some(end) = rest.find('"') else {
            break;
        };
        let value = decode_entities(&rest[..end]);
        if is_link {
            links.push(value);
        } else {
            ids.insert(value);
        }
    }
    Page { path, links, ids }
}

/// Does `href` on `page` resolve? `Err` says why not.
fn resolve(
    page: &Page,
    href: &str,
    files: &HashSet<String>,
    ids: &HashMap<&str, &HashSet<String>>,
) -> Result<(), String> {
    if href.starts_with("//") || has_scheme(href) {
        return Ok(());
    }
    let (without_fragment, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    let path_part = without_fragment
        .split_once('?')
        .map_or(without_fragment, |(p, _)| p);
    let target = if path_part.is_empty() {
        page.path.clone()
    } else {
        if path_part.starts_with('/') {
            return Err("is absolute; links in a bundle must be relative".into());
        }
        let decoded = percent_decode(path_part).ok_or("has a malformed %-escape")?;
        let mut parts: Vec<&str> = page.path.split('/').collect();
        parts.pop();
        for seg in decoded.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    if parts.pop().is_none() {
                        return Err("leaves the output folder".into());
                    }
                }
                s => parts.push(s),
            }
        }
        let joined = parts.join("/");
        if decoded.ends_with('/') || !files.contains(&joined) {
            return Err(format!("points to {joined}, which does not exist"));
        }
        joined
    };
    if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
        if let Some(page_ids) = ids.get(target.as_str()) {
            let fragment = percent_decode(fragment).ok_or("has a malformed %-escape")?;
            if !page_ids.contains(&fragment) {
                return Err(format!("names #{fragment}, which {target} does not define"));
            }
        }
    }
    Ok(())
}

/// `scheme:` at the start (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`).
pub(crate) fn has_scheme(href: &str) -> bool {
    let Some(colon) = href.find(':') else {
        return false;
    };
    let scheme = &href[..colon];
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Decode the character references an attribute value may hold (`&amp;`, `&#x2F;`, `&#39;`).
pub(crate) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let decoded = rest.find(';').and_then(|end| {
            let name = &rest[1..end];
            let ch = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            ch.map(|c| (c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decode `%XX` escapes (as UTF-8); `None` when an escape is malformed or the bytes are not UTF-8.
pub(crate) fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_string());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    #[test]
    fn finds_broken_files_fragments_and_escapes() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        write(
            root,
            "a/index.html",
            r##"<a href="controls&#x2F;X.html">x</a> <a href="../b/page.html#CC6.1">ok</a>
               <a href="https://example.com/nowhere">ext</a> <a href="mailto:a@b">m</a>
               <a href="#top">self</a> <h1 id="top">t</h1> <img src="files/f.png">
               <a href="../b/page.html#nope">frag</a> <a href="../../etc/passwd">out</a>
               <a href="missing.html">missing</a> <a href="/abs.html">abs</a>
               <a href="sp%20ace.html">space</a>"##,
        );
        write(root, "a/controls/X.html", "<p>x</p>");
        write(root, "a/files/f.png", "");
        write(root, "a/sp ace.html", "");
        write(root, "b/page.html", r#"<tr id="CC6.1"></tr>"#);
        let broken = check(root, &["a", "b"]).unwrap();
        let hrefs: Vec<&str> = broken.iter().map(|b| b.href.as_str()).collect();
        assert_eq!(
            hrefs,
            [
                "../../etc/passwd",
                "../b/page.html#nope",
                "/abs.html",
                "missing.html"
            ],
            "{broken:?}"
        );
        assert!(broken[1].to_string().contains("does not define"));
    }

    #[test]
    fn entities_and_percent_escapes_decode() {
        assert_eq!(
            decode_entities("a&amp;b&#x2F;c&#39;d&bogus"),
            "a&b/c'd&bogus"
        );
        assert_eq!(percent_decode("a%20b").as_deref(), Some("a b"));
        assert_eq!(percent_decode("a%2"), None);
        assert!(has_scheme("https://x"));
        assert!(has_scheme("mailto:x"));
        assert!(!has_scheme("a/b:c"));
        assert!(!has_scheme("../x.html"));
    }
}
