//! Where a field of a YAML document is: line and column by pointer (`/3/owner`), computed
//! from `yaml-rust2`'s marked event stream, only for files that have something to report.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// Positions of every node of a YAML document, by pointer (`/3/owner` → line 17, column 5).
///
/// Mapping entries are located at their key, sequence items at the item.
#[derive(Debug, Default)]
pub struct Positions {
    by_pointer: HashMap<String, (usize, usize)>,
    /// Just after the document's last character ([`end_of`]).
    end: (usize, usize),
}

impl Positions {
    /// Index a document. Text that does not parse gives an empty index (every lookup falls back
    /// to the start of the document).
    pub fn build(text: &str) -> Positions {
        let mut recv = Recorder::default();
        let mut parser = Parser::new_from_str(text);
        let _ = parser.load(&mut recv, false);
        Positions {
            by_pointer: recv.positions,
            end: end_of(text),
        }
    }

    /// Position of the node at `pointer`, or of its nearest located ancestor; `(1, 1)` when
    /// nothing is known. Positions are 1-based.
    pub fn locate(&self, pointer: &str) -> (usize, usize) {
        let mut p = pointer;
        loop {
            if let Some(&pos) = self.by_pointer.get(p) {
                // An empty value at the very end (`- ` on a last line without a newline) is
                // marked on the line after the text: keep it on the last line.
                return if pos.0 > self.end.0 { self.end } else { pos };
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return (1, 1),
            }
        }
    }
}

/// The 1-based line and column just after the last character of `text`, lines counted as YAML
/// parsers count them: LF, CRLF and a lone CR end a line, and so do NEL, LS and PS (YAML 1.1,
/// libyaml). Parsers place a problem at the end of a text that does not end in a line break on
/// the line after its last one; positions past this one belong here.
pub fn end_of(text: &str) -> (usize, usize) {
    let bytes = text.as_bytes();
    let (mut lines, mut last) = (1, 0);
    // Searched with memchr: a file is scanned once per report, and may be megabytes long.
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            continue;
        }
        lines += 1;
        last = last.max(i + 1);
    }
    for i in memchr::memchr2_iter(0xC2, 0xE2, bytes) {
        let len = match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (0xC2, Some(0x85), _) => 2,
            (0xE2, Some(0x80), Some(0xA8 | 0xA9)) => 3,
            _ => continue,
        };
        lines += 1;
        last = last.max(i + len);
    }
    (lines, text[last..].chars().count() + 1)
}

enum Frame {
    Seq {
        pointer: String,
        next: usize,
    },
    Map {
        pointer: String,
        key: Option<String>,
    },
}

#[derive(Default)]
struct Recorder {
    stack: Vec<Frame>,
    positions: HashMap<String, (usize, usize)>,
    done: bool,
}

impl Recorder {
    /// Claim the pointer of the node that starts now; `None` when the node is a mapping key.
    fn node_pointer(&mut self, key_text: Option<&str>, mark: Marker) -> Option<String> {
        let pos = (mark.line().max(1), mark.col() + 1);
        match self.stack.last_mut() {
            None => {
                self.positions.entry(String::new()).or_insert(pos);
                Some(String::new())
            }
            Some(Frame::Seq { pointer, next }) => {
                let p = format!("{pointer}/{next}");
                *next += 1;
                self.positions.insert(p.clone(), pos);
                Some(p)
            }
            Some(Frame::Map { pointer, key }) => match key.take() {
                None => {
                    // This node is a key.
                    let k = key_text.unwrap_or("").to_string();
                    let p = format!("{pointer}/{k}");
                    self.positions.insert(p, pos);
                    // libyaml-style parsers mark a block mapping after its first key: a
                    // mapping starts no later than its first key.
                    if let Some(own) = self.positions.get_mut(pointer.as_str()) {
                        if pos < *own {
                            *own = pos;
                        }
                    }
                    *key = Some(k);
                    None
                }
                Some(k) => Some(format!("{pointer}/{k}")),
            },
        }
    }
}

impl MarkedEventReceiver for Recorder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.done {
            return;
        }
        match ev {
            Event::Scalar(text, ..) => {
                self.node_pointer(Some(&text), mark);
            }
            Event::Alias(_) => {
                self.node_pointer(Some("*"), mark);
            }
            Event::SequenceStart(..) => {
                let pointer = self.node_pointer(Some("[]"), mark).unwrap_or_default();
                self.stack.push(Frame::Seq { pointer, next: 0 });
            }
            Event::MappingStart(..) => {
                let pointer = self.node_pointer(Some("{}"), mark).unwrap_or_default();
                self.stack.push(Frame::Map { pointer, key: None });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.stack.pop();
            }
            Event::DocumentEnd => self.done = true,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_list_items_and_keys() {
        let text = "- id: A\n  owner: amara\n- id: B\n  controls: [X, Y]\n";
        let pos = Positions::build(text);
        assert_eq!(pos.locate("/0/owner"), (2, 3));
        assert_eq!(pos.locate("/1"), (3, 3));
        assert_eq!(pos.locate("/1/controls/1"), (4, 17));
        assert_eq!(pos.locate("/1/missing"), (3, 3));
    }

    #[test]
    fn an_empty_last_item_without_a_newline_is_on_the_last_line() {
        // Found by the content_file fuzz target: `missing field` of a last `-` at line 3 of a
        // two-line file.
        let pos = Positions::build("- id: A\n-");
        assert_eq!(pos.locate("/1"), (2, 2));
        assert_eq!(pos.locate("/0/id"), (1, 3));
    }

    #[test]
    fn the_end_counts_lines_as_yaml_does() {
        assert_eq!(end_of(""), (1, 1));
        assert_eq!(end_of("ab\n"), (2, 1));
        assert_eq!(end_of("a\r\nbé"), (2, 3));
        assert_eq!(end_of("a\rb\u{2028}c"), (3, 2));
    }

    #[test]
    fn flow_mappings_are_located() {
        let text = "- { id: amara, name: A }\n- { id: sven, name: S }\n";
        let pos = Positions::build(text);
        assert_eq!(pos.locate("/1/name"), (2, 15));
    }
}
