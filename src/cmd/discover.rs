//! Which pack a command works on when `--content` is not given: `./content` when it holds a
//! `pack.yaml` (the layout of a pack's repository, and the default so far), else the nearest
//! folder holding a `pack.yaml` (or a `content/pack.yaml`) from the current folder upward, as
//! git finds `.git`; else `content`, whose absence the command then reports.

use std::path::{Path, PathBuf};

/// The content root: `explicit` when given, else the discovered one from `cwd`.
pub(super) fn content_root(explicit: Option<&Path>, cwd: &Path) -> PathBuf {
    if let Some(dir) = explicit {
        return dir.to_path_buf();
    }
    let default = Path::new("content");
    if is_pack(&cwd.join(default)) {
        return default.to_path_buf();
    }
    for dir in cwd.ancestors() {
        if is_pack(dir) {
            return relative_to(dir, cwd);
        }
        let nested = dir.join("content");
        if is_pack(&nested) {
            return relative_to(&nested, cwd);
        }
    }
    default.to_path_buf()
}

/// Does `dir` hold a `pack.yaml` (a regular file, not followed through a link)?
fn is_pack(dir: &Path) -> bool {
    dir.join("pack.yaml")
        .symlink_metadata()
        .is_ok_and(|m| m.is_file())
}

/// `dir` as the user would write it from `cwd`: `.`, `../..`, `../../content`.
fn relative_to(dir: &Path, cwd: &Path) -> PathBuf {
    if dir == cwd {
        return PathBuf::from(".");
    }
    match cwd.strip_prefix(dir) {
        Ok(below) => below.components().map(|_| "..").collect(),
        Err(_) => match dir.strip_prefix(cwd) {
            Ok(inside) => inside.to_path_buf(),
            Err(_) => {
                // `dir` is `<ancestor>/content`: up to the ancestor, then down.
                let parent = dir.parent().unwrap_or(dir);
                let mut up = relative_to(parent, cwd);
                up.push(dir.file_name().unwrap_or_default());
                up
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(p: &Path) {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, "").unwrap();
    }

    #[test]
    fn explicit_then_content_then_upward() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        touch(&root.join("repo/content/pack.yaml"));
        touch(&root.join("repo/content/controls/x.yaml"));
        std::fs::create_dir_all(root.join("repo/docs/deep")).unwrap();
        let repo = root.join("repo");
        let given = Path::new("elsewhere");
        assert_eq!(content_root(Some(given), &repo), given);
        assert_eq!(content_root(None, &repo), Path::new("content"));
        assert_eq!(content_root(None, &repo.join("content")), Path::new("."));
        assert_eq!(
            content_root(None, &repo.join("content/controls")),
            Path::new("..")
        );
        assert_eq!(
            content_root(None, &repo.join("docs/deep")),
            Path::new("../../content")
        );
        // Nothing found: `content`, as before.
        let empty = tempfile::tempdir().unwrap();
        assert_eq!(content_root(None, empty.path()), Path::new("content"));
    }
}
