//! Parser and deserializer messages in the user's words: what YAML made of the text, the
//! offending value as written, and the fix (usually: quote it).

use crate::diag::Positions;

/// A plain message and a hint for a YAML syntax error at 1-based `line`, `column` of `text`,
/// whose parser message is `parser`.
pub(super) fn syntax(
    text: &str,
    line: usize,
    column: usize,
    parser: &str,
) -> (String, Option<String>) {
    let src = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
    let before: String = src.chars().take(column.saturating_sub(1)).collect();
    let at_tab = src.chars().nth(column.saturating_sub(1)) == Some('\t');
    let tab_before = before.contains('\t') && parser.contains("cannot start any token");
    if at_tab || tab_before || parser.contains("tab character") {
        return (
            format!("a tab character in the indentation; YAML indents with spaces only (parser: {parser})"),
            Some("replace the tab with spaces".into()),
        );
    }
    if parser.starts_with("mapping values are not allowed") {
        let value = value_of_line(src);
        let hint = match src.split_once(':') {
            Some((key, _)) if !value.is_empty() => format!(
                "quote the value: `{}: \"{}\"`",
                key.trim_start_matches([' ', '-']).trim(),
                value.replace('"', "\\\"")
            ),
            _ => "quote the value".into(),
        };
        return (
            format!(
                "a second `: ` in the value `{value}`; YAML reads it as a new key (parser: {parser})"
            ),
            Some(hint),
        );
    }
    (parser.to_string(), None)
}

/// The text after the first `: ` of a line.
fn value_of_line(line: &str) -> String {
    line.split_once(": ")
        .map_or("", |(_, v)| v)
        .trim()
        .to_string()
}

/// The value written at `pointer` in the YAML `text`, as it stands in the file (`8.10`, not the
/// number 8.1 YAML made of it). Mapping entries are located at their key, so the value is read
/// after the key's colon; sequence items are read where they start.
pub(super) fn written_value(text: &str, positions: &Positions, pointer: &str) -> Option<String> {
    let (line, col) = positions.locate(pointer);
    let src = text.lines().nth(line.checked_sub(1)?)?;
    let start = src
        .char_indices()
        .nth(col.checked_sub(1)?)
        .map(|(i, _)| i)?;
    let mut rest = &src[start..];
    let is_item = pointer
        .rsplit('/')
        .next()
        .is_some_and(|seg| !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()));
    if !is_item {
        let key = pointer.rsplit('/').next()?;
        rest = rest.trim_start_matches(['"', '\'']).strip_prefix(key)?;
        rest = rest.trim_start_matches(['"', '\'']);
        rest = rest.trim_start().strip_prefix(':')?.trim_start();
    }
    let token = match rest.chars().next()? {
        q @ ('"' | '\'') => {
            let end = rest[1..].find(q)?;
            &rest[1..=end]
        }
        _ => {
            let end = rest.find([',', '}', ']', '#']).unwrap_or(rest.len());
            rest[..end].trim()
        }
    };
    (!token.is_empty()).then(|| token.to_string())
}

/// serde's "invalid type: floating point `8.1`, expected a string" (or integer, boolean) for a
/// value written `written`: a plain message and a hint to quote it.
pub(super) fn number_for_text(serde: &str, written: &str) -> Option<(String, String)> {
    let (_, rest) = serde.split_once("invalid type: ")?;
    let (found, expected) = rest.split_once(", expected ")?;
    if !expected.starts_with("a string") {
        return None;
    }
    let read = found.split('`').nth(1).unwrap_or(found);
    let what = if found.starts_with("boolean") {
        format!("the boolean {read}")
    } else {
        format!("the number {read}")
    };
    Some((
        format!("`{written}` is read as {what}, but text is expected here"),
        format!("quote it: \"{written}\""),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::yaml;

    fn explain(text: &str) -> (String, Option<String>) {
        let err = yaml::parse(text).unwrap_err();
        syntax(text, err.line, err.column, &err.message)
    }

    #[test]
    fn a_tab_is_named() {
        let (m, h) = explain("- { id: a, name: A }\n-\t{ id: b, name: B }\n");
        assert!(m.starts_with("a tab character"), "{m}");
        assert_eq!(h.as_deref(), Some("replace the tab with spaces"));
        let (m, _) = explain("a:\n\tb: 1\n");
        assert!(m.starts_with("a tab character"), "{m}");
    }

    #[test]
    fn a_second_colon_suggests_quoting() {
        let (m, h) = explain("id: X\ntitle: Note: read this\n");
        assert!(
            m.starts_with("a second `: ` in the value `Note: read this`"),
            "{m}"
        );
        assert_eq!(
            h.as_deref(),
            Some("quote the value: `title: \"Note: read this\"`")
        );
    }

    #[test]
    fn other_syntax_errors_keep_the_parser_message() {
        let (m, h) = explain("a: [1, 2\n");
        assert!(!m.contains("tab") && h.is_none(), "{m}");
    }

    #[test]
    fn values_are_read_as_written() {
        let text = "- annex_a: 8.10\n  maps: { iso27001-2022: [\"5.1\", 8.20] }\n- { \"id\": x, occurred_on: 2026-02-30 }\n";
        let pos = Positions::build(text);
        assert_eq!(
            written_value(text, &pos, "/0/annex_a").as_deref(),
            Some("8.10")
        );
        assert_eq!(
            written_value(text, &pos, "/0/maps/iso27001-2022/1").as_deref(),
            Some("8.20")
        );
        assert_eq!(
            written_value(text, &pos, "/0/maps/iso27001-2022/0").as_deref(),
            Some("5.1")
        );
        assert_eq!(
            written_value(text, &pos, "/1/occurred_on").as_deref(),
            Some("2026-02-30")
        );
        assert_eq!(written_value(text, &pos, "/1/id").as_deref(), Some("x"));
        assert_eq!(written_value(text, &pos, "/2/id"), None);
    }

    #[test]
    fn numbers_for_text_suggest_quoting() {
        let (m, h) = number_for_text(
            "invalid type: floating point `8.1`, expected a string",
            "8.10",
        )
        .unwrap();
        assert_eq!(
            m,
            "`8.10` is read as the number 8.1, but text is expected here"
        );
        assert_eq!(h, "quote it: \"8.10\"");
        let (m, _) =
            number_for_text("invalid type: boolean `true`, expected a string", "yes").unwrap();
        assert_eq!(
            m,
            "`yes` is read as the boolean true, but text is expected here"
        );
        assert!(number_for_text("invalid type: integer `3`, expected a boolean", "3").is_none());
    }
}
