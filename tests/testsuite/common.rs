//! Helpers shared by the integration tests that build whole packs and walk the output.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use regex::Regex;

/// The `evidencepack` binary, with none of the environment variables that change what it
/// writes (`SOURCE_DATE_EPOCH`, `EVIDENCEPACK_SIGN_PASSWORD`) inherited from the caller.
pub(crate) fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_evidencepack"));
    cmd.env_remove("SOURCE_DATE_EPOCH")
        .env_remove("EVIDENCEPACK_SIGN_PASSWORD");
    cmd
}

/// The fixture pack `tests/fixtures/<name>`.
pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Build `content` with the binary into a fresh folder (`<tmp>/dist`), with `extra` arguments
/// after `build`; the build must succeed. Keep the returned folder alive while using the output.
pub(crate) fn build_into_temp(content: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("dist");
    let o = bin()
        .arg("--content")
        .arg(content)
        .arg("--out")
        .arg(&out)
        .arg("build")
        .args(extra)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (d, out)
}

/// Give the `customer` audience of the pack.yaml at `path` (declared as
/// `customer: { max_classification: internal }`) every section, for tests of what its
/// classification ceiling withholds on every page.
pub(crate) fn customer_sees_every_section(path: &Path) {
    let line = "  customer: { max_classification: internal }\n";
    let yaml = fs::read_to_string(path).unwrap();
    assert!(yaml.contains(line), "{}", path.display());
    let every = "  customer:\n    max_classification: internal\n    sections: [overview, scope, clauses, policies, risks, soa, controls, identities, reviews, evidence, nist-csf, system-description, criteria, exceptions, sampling, request-list, assertion]\n";
    fs::write(path, yaml.replace(line, every)).unwrap();
}

/// Copy a folder tree (regular files and folders only).
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir`, as paths relative to it with `/`, sorted.
pub(crate) fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                walk(base, &entry.path(), out);
            } else {
                let rel = entry.path().strip_prefix(base).unwrap().to_path_buf();
                out.push(
                    rel.components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/"),
                );
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Every HTML page of a bundle folder: (relative path, text).
pub(crate) fn pages(bundle: &Path) -> Vec<(String, String)> {
    files(bundle)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .map(|f| {
            let text = fs::read_to_string(bundle.join(&f)).unwrap();
            (f, text)
        })
        .collect()
}

/// Undo the HTML attribute escapes Tera and ammonia write.
fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
}

/// Walk every `href` and `src` of every page of the bundle at `out/<bundle>` and return the
/// internal links that do not resolve, as `page: link (why)`. A link resolves when its file
/// exists inside `out` and, when it has a `#fragment`, the target page has that `id`. External
/// URLs (`http:`, `https:`, `mailto:`) are not followed. Links into a sibling bundle folder
/// that does not exist (yet) are skipped when `skip_missing_bundles` is set.
pub(crate) fn broken_links(out: &Path, bundle: &str, skip_missing_bundles: bool) -> Vec<String> {
    let attr = Regex::new(r#"\s(?:href|src)="([^"]*)""#).unwrap();
    let tag = Regex::new(r"<[A-Za-z][^>]*>").unwrap();
    let id_re = Regex::new(r#"\sid="([^"]*)""#).unwrap();
    let root = out.join(bundle);
    let mut ids: HashMap<PathBuf, BTreeSet<String>> = HashMap::new();
    let mut ids_of = |path: &Path| -> BTreeSet<String> {
        ids.entry(path.to_path_buf())
            .or_insert_with(|| {
                let text = fs::read_to_string(path).unwrap_or_default();
                id_re
                    .captures_iter(&text)
                    .map(|c| unescape(&c[1]))
                    .collect()
            })
            .clone()
    };
    let mut broken = Vec::new();
    for (page, text) in pages(&root) {
        let page_path = root.join(&page);
        let dir = page_path.parent().unwrap().to_path_buf();
        let links: Vec<String> = tag
            .find_iter(&text)
            .flat_map(|t| attr.captures_iter(t.as_str()).map(|c| c[1].to_string()))
            .collect();
        for raw in links {
            let link = unescape(&raw);
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
            {
                continue;
            }
            let (path_part, fragment) = match link.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (link.clone(), None),
            };
            if path_part.contains(':') || path_part.starts_with('/') {
                broken.push(format!("{page}: {link} (not a relative link)"));
                continue;
            }
            let target = if path_part.is_empty() {
                page_path.clone()
            } else {
                normalise(&dir.join(&path_part))
            };
            let Ok(inside) = target.strip_prefix(out) else {
                broken.push(format!("{page}: {link} (leaves the output folder)"));
                continue;
            };
            let top = inside.components().next().map(|c| c.as_os_str().to_owned());
            if let Some(top) = top {
                if top != bundle && skip_missing_bundles && !out.join(&top).exists() {
                    continue;
                }
            }
            if !target.is_file() {
                broken.push(format!("{page}: {link} (no such file)"));
                continue;
            }
            if let Some(f) = fragment {
                if !ids_of(&target).contains(&f) {
                    broken.push(format!("{page}: {link} (no id {f:?} there)"));
                }
            }
        }
    }
    broken
}

/// Resolve `.` and `..` without touching the file system.
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Every opening tag of an HTML text (text that merely looks like a tag is escaped, so it does
/// not match).
pub(crate) fn tags(html: &str) -> Vec<String> {
    Regex::new(r"<[A-Za-z][^>]*>")
        .unwrap()
        .find_iter(html)
        .map(|m| m.as_str().to_string())
        .collect()
}

/// Every entry of a zip made by a test or a build (trusted), in order: (name, bytes).
pub(crate) fn zip_entries(zip: &Path) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(fs::File::open(zip).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
            (entry.name().to_string(), bytes)
        })
        .collect()
}

/// Unpacks a trusted zip (made by a test or a build) into `dest`, for the external validators;
/// returns the path of its first entry's top-level folder.
pub(crate) fn unpack(zip: &Path, dest: &Path) -> PathBuf {
    let mut top = None;
    for (name, bytes) in zip_entries(zip) {
        top.get_or_insert_with(|| name.split('/').next().unwrap().to_string());
        let path = dest.join(&name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    dest.join(top.expect("the zip has entries"))
}

/// Whether the command `cmd arg` runs and succeeds (an external tool is installed).
pub(crate) fn have(cmd: &str, arg: &str) -> bool {
    std::process::Command::new(cmd)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}
