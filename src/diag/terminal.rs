//! Diagnostics for a person at a terminal, as rustc prints them (annotate-snippets, the crate
//! rustc's own diagnostics are moving to): the source line with a caret under the column and
//! the rule's name as its label, `help:` with the hint, colour when wanted, errors before
//! warnings. Piped output keeps the one-line `path:line:col: error[code]: message` form.

use std::collections::HashMap;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

use super::{Diagnostic, Severity};

/// Render `diags` (errors first, then warnings, each in their given order). `sources` maps a
/// diagnostic's path to the file's text; a diagnostic whose line is not in it is shown without
/// a snippet.
pub fn render(diags: &[Diagnostic], sources: &HashMap<String, &str>, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut ordered: Vec<&Diagnostic> = diags.iter().collect();
    ordered.sort_by_key(|d| d.severity);
    let mut out = String::new();
    for d in ordered {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let line = sources
            .get(&d.path)
            .and_then(|text| text.lines().nth(d.line.saturating_sub(1)));
        let title = level.primary_title(d.message.as_str()).id(d.code);
        let mut group = match line {
            Some(text) => {
                let span = span(text, d.column);
                title.element(
                    Snippet::source(text)
                        .line_start(d.line)
                        .path(d.path.as_str())
                        .annotation(AnnotationKind::Primary.span(span).label(d.rule)),
                )
            }
            None => title.element(
                Snippet::<annotate_snippets::Annotation>::source("")
                    .line_start(d.line)
                    .path(d.path.as_str()),
            ),
        };
        if let Some(hint) = &d.hint {
            group = group.element(Level::HELP.message(hint.as_str()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    out
}

/// The byte range to underline: the token starting at 1-based character `column` of `line`.
fn span(line: &str, column: usize) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let len = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}' | ':'))
        .unwrap_or(rest.len());
    start..start + len.max(rest.chars().next().map_or(0, char::len_utf8))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::codes;

    fn diag(
        code: crate::diag::Code,
        line: usize,
        column: usize,
        message: &str,
        hint: Option<&str>,
    ) -> Diagnostic {
        Diagnostic {
            path: "content/controls/ac.yaml".into(),
            line,
            column,
            severity: code.severity,
            code: code.id,
            rule: code.name,
            message: message.into(),
            hint: hint.map(String::from),
            subjects: Vec::new(),
        }
    }

    fn example() -> (Vec<Diagnostic>, HashMap<String, &'static str>) {
        let text = "- id: AC-01\n  owner: amara\n  operator: amara\n  policies: [POL-XX]\n";
        let diags = vec![
            diag(
                codes::OWNER_IS_OPERATOR,
                3,
                3,
                "control `AC-01` is owned and operated by `amara`",
                None,
            ),
            diag(
                codes::UNKNOWN_POLICY,
                4,
                14,
                "unknown policy `POL-XX`",
                Some("did you mean `POL-AC`?"),
            ),
        ];
        let sources = HashMap::from([("content/controls/ac.yaml".to_string(), text)]);
        (diags, sources)
    }

    #[test]
    fn plain_rendering_snapshot() {
        let (diags, sources) = example();
        insta::assert_snapshot!(render(&diags, &sources, false));
    }

    #[test]
    fn coloured_rendering_snapshot() {
        let (diags, sources) = example();
        let out = render(&diags, &sources, true);
        assert!(out.contains("\u{1b}["), "coloured");
        insta::assert_snapshot!(out.replace('\u{1b}', "<ESC>"));
    }

    #[test]
    fn spans_cover_the_token_at_the_column() {
        assert_eq!(span("  policies: [POL-XX]", 14), 13..19);
        assert_eq!(span("  owner: amara", 3), 2..7);
        assert_eq!(span("é: x", 1), 0..2);
        assert_eq!(span("", 5), 0..0);
    }
}
