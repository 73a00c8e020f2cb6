//! The text of a file diagnostics point into.

use std::ops::Range;

/// A content file as read from disk (text kept for positions and the secret-leak guard).
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the content root, with `/` separators.
    pub rel: String,
    /// The whole text.
    pub text: String,
    /// Byte range of the YAML part (the whole file, or a Markdown file's front matter).
    pub yaml: Range<usize>,
    /// Number of lines before the YAML part (1 for front matter after `---`).
    pub yaml_line_offset: usize,
}

impl SourceFile {
    /// The YAML part of the file.
    pub fn yaml_text(&self) -> &str {
        &self.text[self.yaml.clone()]
    }
}
