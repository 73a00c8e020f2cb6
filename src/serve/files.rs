//! What a request path names: the landing page, or a file of a bundle by its path relative to
//! the bundle root, never anything else.
//!
//! The path is percent-decoded first, then refused when any segment is `.`, `..`, hidden
//! (`.evidencepack.lock`) or holds a backslash or NUL; so `/../x`, `/%2e%2e/x` and
//! `/a/%2E%2E/%2e%2e/x` answer 404. Nothing is looked up on disk by the path: a bundle file is
//! rendered by its exact path, and attachments are served only at the content-addressed paths
//! the pages link.

use std::path::Path;

use percent_encoding::percent_decode_str;

use crate::render::Bundle;

/// What a request path leads to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Target {
    /// The landing page (`/`, `/index.html`).
    Landing,
    /// The file of a bundle at a path relative to its root (`controls/AC-02.html`; a folder's
    /// `index.html`).
    File(Bundle, String),
    /// A folder asked for without its trailing slash: the same path with one (so the relative
    /// links of its `index.html` resolve).
    Redirect(String),
    /// Nothing to serve.
    NotFound,
}

/// Resolve the request target `url` (path and optional query).
pub(super) fn resolve(url: &str) -> Target {
    let raw = url.split(['?', '#']).next().unwrap_or_default();
    if !raw.starts_with('/') {
        return Target::NotFound;
    }
    let Ok(path) = percent_decode_str(raw).decode_utf8() else {
        return Target::NotFound;
    };
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments
        .iter()
        .any(|s| s.starts_with('.') || s.contains(['\\', '\0']))
    {
        return Target::NotFound;
    }
    let Some((first, rest)) = segments.split_first() else {
        return Target::Landing;
    };
    let bundle = match *first {
        "index.html" if rest.is_empty() => return Target::Landing,
        "iso27001" => Bundle::Iso27001,
        "soc2" => Bundle::Soc2,
        _ => return Target::NotFound,
    };
    let folder = path.ends_with('/');
    let last = rest.last().copied().unwrap_or_default();
    if !folder && (rest.is_empty() || !last.contains('.')) {
        return Target::Redirect(format!("{raw}/"));
    }
    let mut rel = rest.join("/");
    if folder {
        if !rel.is_empty() {
            rel.push('/');
        }
        rel.push_str("index.html");
    }
    Target::File(bundle, rel)
}

/// The `Content-Type` of a served file, by its extension.
pub(super) fn content_type(path: &str) -> &'static str {
    match Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
    {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "txt" | "md" | "log" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(bundle: Bundle, rel: &str) -> Target {
        Target::File(bundle, rel.to_string())
    }

    #[test]
    fn pages_and_folders_of_the_bundles_resolve() {
        assert_eq!(resolve("/"), Target::Landing);
        assert_eq!(resolve("/index.html"), Target::Landing);
        assert_eq!(resolve("/iso27001/"), file(Bundle::Iso27001, "index.html"));
        assert_eq!(
            resolve("/soc2/controls/"),
            file(Bundle::Soc2, "controls/index.html")
        );
        assert_eq!(
            resolve("/iso27001/assets/a.css?v=1#x"),
            file(Bundle::Iso27001, "assets/a.css")
        );
        assert_eq!(
            resolve("/iso27001/%61.css"),
            file(Bundle::Iso27001, "a.css")
        );
        assert_eq!(
            resolve("/iso27001?x"),
            Target::Redirect("/iso27001/".into())
        );
        assert_eq!(
            resolve("/soc2/controls"),
            Target::Redirect("/soc2/controls/".into())
        );
        assert_eq!(resolve("/missing.html"), Target::NotFound);
        assert_eq!(resolve("/pack.json"), Target::NotFound);
        assert_eq!(resolve("index.html"), Target::NotFound);
    }

    #[test]
    fn nothing_outside_the_bundles_or_hidden_is_named() {
        for url in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/iso27001/%2e%2e/%2e%2e/secret.txt",
            "/iso27001/..%2f..%2fsecret.txt",
            "/iso27001/..%5c..%5csecret.txt",
            "/./index.html",
            "/.evidencepack.lock",
            "/iso27001/.hidden.html",
            "/index.html%00.css",
            "/%ff.html",
        ] {
            assert_eq!(resolve(url), Target::NotFound, "{url}");
        }
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type("a/b.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("a.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("pack.json"), "application/json");
        assert_eq!(content_type("x.zip"), "application/zip");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
