//! Which file of the served folder a request path names, never one outside it.
//!
//! The path is percent-decoded first, then refused when any segment is `.`, `..`, hidden
//! (`.evidencepack.lock`, the staging folder) or holds a backslash or NUL; each step of the walk
//! from the root is then looked at without following it, and a symbolic link anywhere on the way
//! is refused. So `/../x`, `/%2e%2e/x`, `/a/%2E%2E/%2e%2e/x` and a link planted in the folder
//! all answer 404.

use std::fs;
use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

/// What a request path leads to.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Resolved {
    /// A regular file inside the root.
    File(PathBuf),
    /// A folder asked for without its trailing slash: the same path with one (so the relative
    /// links of its `index.html` resolve).
    Redirect(String),
    /// Nothing to serve (missing, outside the root, a link, or not a regular file).
    NotFound,
}

/// Resolve the request target `url` (path and optional query) inside `root`.
pub(super) fn resolve(root: &Path, url: &str) -> Resolved {
    let raw = url.split(['?', '#']).next().unwrap_or_default();
    if !raw.starts_with('/') {
        return Resolved::NotFound;
    }
    let Ok(path) = percent_decode_str(raw).decode_utf8() else {
        return Resolved::NotFound;
    };
    let mut file = root.to_path_buf();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if segment.starts_with('.') || segment.contains(['\\', '\0']) {
            return Resolved::NotFound;
        }
        file.push(segment);
        match fs::symlink_metadata(&file) {
            Ok(m) if !m.file_type().is_symlink() => {}
            _ => return Resolved::NotFound,
        }
    }
    let Ok(meta) = fs::symlink_metadata(&file) else {
        return Resolved::NotFound;
    };
    if meta.is_dir() {
        if !raw.ends_with('/') {
            return Resolved::Redirect(format!("{raw}/"));
        }
        file.push("index.html");
        return match fs::symlink_metadata(&file) {
            Ok(m) if m.is_file() => Resolved::File(file),
            _ => Resolved::NotFound,
        };
    }
    if meta.is_file() {
        Resolved::File(file)
    } else {
        Resolved::NotFound
    }
}

/// The `Content-Type` of a served file, by its extension.
pub(super) fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "txt" | "md" => "text/plain; charset=utf-8",
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

    /// A served folder: `index.html`, `iso27001/index.html`, `iso27001/a.css`, a hidden lock
    /// file, and beside it a secret outside the root.
    fn folder() -> (tempfile::TempDir, PathBuf) {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("out");
        fs::create_dir_all(root.join("iso27001")).unwrap();
        fs::write(root.join("index.html"), "landing").unwrap();
        fs::write(root.join("iso27001/index.html"), "iso").unwrap();
        fs::write(root.join("iso27001/a.css"), "css").unwrap();
        fs::write(root.join(".evidencepack.lock"), "").unwrap();
        fs::write(d.path().join("secret.txt"), "secret").unwrap();
        (d, root)
    }

    #[test]
    fn files_and_folders_inside_the_root_resolve() {
        let (_d, root) = folder();
        assert_eq!(resolve(&root, "/"), Resolved::File(root.join("index.html")));
        assert_eq!(
            resolve(&root, "/iso27001/"),
            Resolved::File(root.join("iso27001/index.html"))
        );
        assert_eq!(
            resolve(&root, "/iso27001/a.css?v=1#x"),
            Resolved::File(root.join("iso27001/a.css"))
        );
        assert_eq!(
            resolve(&root, "/iso27001/%61.css"),
            Resolved::File(root.join("iso27001/a.css"))
        );
        assert_eq!(
            resolve(&root, "/iso27001?x"),
            Resolved::Redirect("/iso27001/".into())
        );
        assert_eq!(resolve(&root, "/missing.html"), Resolved::NotFound);
        assert_eq!(resolve(&root, "/index.html/x"), Resolved::NotFound);
        assert_eq!(resolve(&root, "index.html"), Resolved::NotFound);
    }

    #[test]
    fn nothing_outside_the_root_or_hidden_is_served() {
        let (_d, root) = folder();
        for url in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/iso27001/%2e%2e/%2e%2e/secret.txt",
            "/iso27001/..%2f..%2fsecret.txt",
            "/iso27001/..%5c..%5csecret.txt",
            "/./index.html",
            "/.evidencepack.lock",
            "/index.html%00.css",
            "/%ff.html",
        ] {
            assert_eq!(resolve(&root, url), Resolved::NotFound, "{url}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_never_followed() {
        let (d, root) = folder();
        std::os::unix::fs::symlink(d.path().join("secret.txt"), root.join("leak.txt")).unwrap();
        std::os::unix::fs::symlink(d.path(), root.join("up")).unwrap();
        std::os::unix::fs::symlink(root.join("iso27001"), root.join("alias")).unwrap();
        assert_eq!(resolve(&root, "/leak.txt"), Resolved::NotFound);
        assert_eq!(resolve(&root, "/up/secret.txt"), Resolved::NotFound);
        assert_eq!(resolve(&root, "/alias/"), Resolved::NotFound);
        assert_eq!(resolve(&root, "/alias/index.html"), Resolved::NotFound);
        // A link standing where a folder's index.html would be.
        fs::remove_file(root.join("iso27001/index.html")).unwrap();
        std::os::unix::fs::symlink(
            d.path().join("secret.txt"),
            root.join("iso27001/index.html"),
        )
        .unwrap();
        assert_eq!(resolve(&root, "/iso27001/"), Resolved::NotFound);
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(
            content_type(Path::new("a/b.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("a.css")), "text/css; charset=utf-8");
        assert_eq!(content_type(Path::new("pack.json")), "application/json");
        assert_eq!(content_type(Path::new("x.zip")), "application/zip");
        assert_eq!(content_type(Path::new("noext")), "application/octet-stream");
    }
}
