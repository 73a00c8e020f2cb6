//! The one place that parses YAML.
//!
//! `serde_yaml_ng` (a maintained fork of the deprecated `serde_yaml`, same API and error
//! positions) parses a document into a value, with libyaml's guards against alias bombs and
//! deep nesting. Records are then deserialized one by one through `serde_path_to_error`, so one
//! bad record does not hide problems in the others and every error knows its field path.
//! Positions of fields are computed on demand, only for files that have something to report
//! ([`crate::diag::Positions`]).

use std::sync::OnceLock;

use regex::Regex;
use serde::de::DeserializeOwned;

use crate::diag::end_of;

/// A parsed YAML value.
pub type Value = serde_yaml_ng::Value;

/// A syntax error with its position (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What the parser said.
    pub message: String,
}

/// Parse one YAML document into a value. An empty document is `Value::Null`.
pub fn parse(text: &str) -> Result<Value, SyntaxError> {
    serde_yaml_ng::from_str::<Value>(text).map_err(|err| {
        let (line, column) = err
            .location()
            .map(|l| within(text, l.line(), l.column()))
            .unwrap_or((1, 1));
        let message = without_positions(&err.to_string());
        SyntaxError {
            line: line.max(1),
            column: column.max(1),
            message,
        }
    })
}

/// libyaml places an error at the end of a text that does not end in a line break on the line
/// after its last one: keep such a position on the last line, just after its last character.
fn within(text: &str, line: usize, column: usize) -> (usize, usize) {
    let end = end_of(text);
    if line > end.0 {
        end
    } else {
        (line, column)
    }
}

/// libyaml's message without its ` at line L column C` (or ` at position N`) fragments: the
/// position is reported separately, and positions inside the YAML part would be wrong for front
/// matter. The context (`, while scanning a quoted scalar`) is kept: for an unclosed string or
/// bracket it says what is wrong where the position alone (the end of the file) does not.
fn without_positions(message: &str) -> String {
    static POSITION: OnceLock<Regex> = OnceLock::new();
    let re = POSITION.get_or_init(|| {
        Regex::new(r" at (line \d+ column \d+|position \d+)").expect("constant regex")
    });
    re.replace_all(message, "").into_owned()
}

/// A failure to turn a value into a record, with the JSON-pointer-like path of the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Pointer below the record, e.g. `/exception/remediated_on`.
    pub pointer: String,
    /// What serde said.
    pub message: String,
}

/// Deserialize a record from a value, keeping the path to the failing field.
pub fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, FieldError> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let mut pointer = String::new();
        for seg in err.path().iter() {
            use serde_path_to_error::Segment;
            match seg {
                Segment::Seq { index } => {
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                }
                Segment::Map { key } => {
                    pointer.push('/');
                    pointer.push_str(key);
                }
                Segment::Enum { .. } | Segment::Unknown => {}
            }
        }
        FieldError {
            pointer,
            message: err.into_inner().to_string(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_carry_a_position() {
        let err = parse("a: 1\nb: [1, 2\n").unwrap_err();
        assert!(err.line >= 2, "{err:?}");
        assert!(!err.message.contains(" at line "));
    }

    #[test]
    fn syntax_errors_keep_their_context_without_positions() {
        let err = parse("id: X\ntitle: \"unclosed\n").unwrap_err();
        assert_eq!(
            err.message,
            "found unexpected end of stream, while scanning a quoted scalar"
        );
        assert_eq!((err.line, err.column), (3, 1));
    }

    #[test]
    fn an_error_at_the_end_of_a_text_without_a_final_newline_stays_on_its_last_line() {
        // Found by the content_file fuzz target: libyaml said line 3 of a two-line file.
        let err = parse("a: 1\nb: { c: d, e").unwrap_err();
        assert_eq!((err.line, err.column), (2, 13), "{err:?}");
        // With the newline, the end of the text is the empty line after it.
        let err = parse("a: 1\nb: { c: d, e\n").unwrap_err();
        assert_eq!((err.line, err.column), (3, 1), "{err:?}");
        // A lone CR ends a line for YAML (and libyaml counts it); CRLF is one line end.
        let err = parse("a: 1\rb: 2\r\nc: { d: e").unwrap_err();
        assert_eq!((err.line, err.column), (3, 10), "{err:?}");
    }

    #[test]
    fn alias_bombs_are_refused_quickly() {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (i, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            text.push_str(&format!("{i}: &{i} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        let start = std::time::Instant::now();
        assert!(parse(&text).is_err());
        // Expanded, the bomb is 9^9 values (minutes of work); refused, it takes milliseconds. The
        // bound is loose so that a loaded machine does not fail it (1 s did).
        assert!(start.elapsed().as_secs() < 15);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(10_000);
        assert!(parse(&text).is_err());
    }

    #[test]
    fn field_errors_name_the_path() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct R {
            id: String,
            n: u8,
        }
        let v = parse("id: x\nn: 300\n").unwrap();
        let err = from_value::<R>(&v).unwrap_err();
        assert_eq!(err.pointer, "/n");
    }
}
