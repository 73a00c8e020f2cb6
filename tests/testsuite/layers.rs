//! The layer order that `src/lib.rs` documents holds in the code: a module names (`crate::…`)
//! only its own folder and the folders of earlier layers, so lower layers never import upper
//! ones and there is no import cycle between folders (issue 10). The order is read from the
//! numbered list in `src/lib.rs`'s docs, so the docs and this check cannot drift apart; a new
//! top-level module must be placed in that list.
//!
//! Only product code is checked: comments (intra-doc links may point anywhere) and everything
//! from a file's `#[cfg(test)]` on are skipped.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The crate's source folder.
fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Top-level module → its layer, from the numbered list of `src/lib.rs`'s docs: every
/// `` [`name`] `` or `` [`name::…`] `` link in item N puts `name` in layer N.
fn layers() -> BTreeMap<String, usize> {
    let lib = fs::read_to_string(src().join("lib.rs")).unwrap();
    let mut layers = BTreeMap::new();
    let mut item = None;
    for line in lib.lines() {
        let Some(doc) = line.strip_prefix("//!") else {
            break;
        };
        let doc = doc.trim_start();
        let number = doc
            .split_once(". ")
            .and_then(|(n, _)| n.parse::<usize>().ok());
        if number.is_some() {
            item = number;
        } else if !line.starts_with("//!    ") {
            item = None;
        }
        let Some(n) = item else { continue };
        for link in doc.split("[`").skip(1) {
            let name = link.split(['`', ':']).next().unwrap();
            layers.entry(name.to_string()).or_insert(n);
        }
    }
    layers
}

/// The top-level module a file of `src/` belongs to (`None` for the crate root and the binary).
fn module_of(rel: &Path) -> Option<String> {
    let first = rel.components().next()?.as_os_str().to_str()?;
    match first {
        "lib.rs" | "main.rs" => None,
        _ => Some(first.trim_end_matches(".rs").to_string()),
    }
}

/// Every `crate::name` a file's product code names: (line, name).
fn crate_paths(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_group = false;
    for (i, line) in text.lines().enumerate() {
        let code = line.trim_start();
        if code.starts_with("#[cfg(test)]") {
            break;
        }
        if code.starts_with("//") {
            continue;
        }
        // The lines of a `use crate::{` group written over several lines.
        if in_group {
            in_group = !code.starts_with('}');
            let name: String = code
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push((i + 1, name));
            }
            continue;
        }
        in_group = code.ends_with("crate::{");
        for rest in code.split("crate::").skip(1) {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push((i + 1, name));
            }
        }
        // `use crate::{a, b::c}`.
        if let Some(group) = code.split("crate::{").nth(1) {
            for part in group.split(',') {
                let name: String = part
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push((i + 1, name));
                }
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_imports_a_later_layer() {
    let layers = layers();
    assert!(
        layers.len() >= 10 && layers["hashing"] == 1 && layers["cmd"] > layers["build"],
        "the layer list of src/lib.rs was not read: {layers:?}"
    );
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    let mut problems = Vec::new();
    for path in &files {
        let rel = path.strip_prefix(src()).unwrap();
        let Some(from) = module_of(rel) else { continue };
        if from == "test_support" {
            continue; // compiled for unit tests only
        }
        let Some(&from_layer) = layers.get(&from) else {
            problems.push(format!(
                "src/{}: `{from}` is in no layer of src/lib.rs",
                rel.display()
            ));
            continue;
        };
        for (line, to) in crate_paths(&fs::read_to_string(path).unwrap()) {
            if to == from {
                continue;
            }
            match layers.get(&to) {
                Some(&to_layer) if to_layer < from_layer => {}
                Some(&to_layer) => problems.push(format!(
                    "src/{}:{line}: `{from}` (layer {from_layer}) imports `{to}` (layer {to_layer})",
                    rel.display()
                )),
                None => problems.push(format!(
                    "src/{}:{line}: `{from}` names `crate::{to}`, in no layer",
                    rel.display()
                )),
            }
        }
    }
    assert!(
        problems.is_empty(),
        "layering violations:\n{}",
        problems.join("\n")
    );
}
