//! The attachments evidence records name: a plain relative path inside `attachments/` to a
//! regular file (never a link, never followed).

use super::{Rec, Validator};
pub use crate::content::paths::check_attachment_path;
use crate::content::AttachmentKind;
use crate::diag::codes;

impl Validator<'_, '_> {
    /// The `i`th attachment of the evidence record `rec`, named `path`.
    pub(super) fn attachment(&mut self, rec: Rec, i: usize, path: &str) {
        let place = rec.field(&format!("attachments/{i}"));
        if let Err(why) = check_attachment_path(path) {
            self.problem(
                rec,
                place,
                codes::ATTACHMENT_PATH,
                format!("attachment path `{path}` {why}"),
            )
            .hint("write a plain relative path inside attachments/, e.g. `access-reviews/2026-q1.csv`");
            return;
        }
        let attachments = &self.content.attachments;
        let (code, message) = match attachments.get(path).map(|a| a.kind) {
            // The load never walks into a linked folder: what lies behind one is not missing,
            // it is reached through a link.
            None => match linked_folder(path, |dir| attachments.get(dir).map(|a| a.kind)) {
                Some(link) => (
                    codes::ATTACHMENT_SYMLINK,
                    format!(
                        "attachment `attachments/{path}` is reached through the symbolic link `attachments/{link}`; links are never followed"
                    ),
                ),
                None => (
                    codes::ATTACHMENT_MISSING,
                    format!("attachment `attachments/{path}` does not exist"),
                ),
            },
            Some(AttachmentKind::Symlink) => (
                codes::ATTACHMENT_SYMLINK,
                format!(
                    "attachment `attachments/{path}` is a symbolic link; links are never followed"
                ),
            ),
            Some(AttachmentKind::Other) => (
                codes::ATTACHMENT_NOT_FILE,
                format!("attachment `attachments/{path}` is not a regular file"),
            ),
            Some(AttachmentKind::File) => return,
        };
        self.problem(rec, place, code, message);
    }
}

/// The folder of `path` (`ext` of `ext/a/b.txt`, or `ext/a`) that is a symbolic link, the
/// outermost first, by what `kind_of` says each is.
fn linked_folder(path: &str, kind_of: impl Fn(&str) -> Option<AttachmentKind>) -> Option<&str> {
    path.match_indices('/')
        .map(|(i, _)| &path[..i])
        .find(|dir| kind_of(dir) == Some(AttachmentKind::Symlink))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_behind_a_linked_folder_names_the_link() {
        let kinds = |dir: &str| match dir {
            "ext" | "a/deep" => Some(AttachmentKind::Symlink),
            "a" => Some(AttachmentKind::Other),
            _ => None,
        };
        assert_eq!(linked_folder("ext/passwd", kinds), Some("ext"));
        assert_eq!(linked_folder("a/deep/er/x.txt", kinds), Some("a/deep"));
        assert_eq!(linked_folder("a/x.txt", kinds), None);
        assert_eq!(
            linked_folder("ext", kinds),
            None,
            "the link itself is not behind one"
        );
    }

    #[test]
    fn attachment_paths_are_plain_and_relative() {
        assert!(check_attachment_path("access-reviews/2026-q1.csv").is_ok());
        for bad in [
            "../etc/passwd",
            "a/../../b",
            "/etc/passwd",
            "C:/x.txt",
            "a\\b.txt",
            "logs/CON.txt",
            "nul",
            "COM1.log",
            "a//b",
            "./a",
            "cafe\u{301}.txt",
        ] {
            assert!(check_attachment_path(bad).is_err(), "{bad}");
        }
        assert!(check_attachment_path("COM0.txt").is_ok());
        assert!(check_attachment_path("console.txt").is_ok());
    }
}
