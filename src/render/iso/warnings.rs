//! Warnings as the ISO pages show them: the ids a message quotes (`control `AST-01` is owned
//! and operated by `dmytro``) become links to the records' pages and people's names, so a
//! reader sees "control AST-01 is owned and operated by Dmytro Kovalenko", with no raw backticks.

use std::collections::HashMap;

use serde::Serialize;

use crate::content::links::LinkKind;
use crate::diag::{Diagnostic, RecordKind};
use crate::render::{href, Bundle, Source};

/// One piece of a warning's message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(super) struct Part<'a> {
    /// What is shown.
    pub(super) text: &'a str,
    /// A link to the record's page, relative to the bundle root.
    pub(super) href: Option<String>,
    /// A person's job title (the part is then their name).
    pub(super) person: Option<&'a str>,
    /// Quoted text that names no record: shown as code.
    pub(super) code: bool,
}

/// A warning message in parts, the quoted ids resolved against the records it is about.
pub(super) type Message<'a> = Vec<Part<'a>>;

/// The message of `d` in parts: each `` `id` `` that is one of its subjects becomes a link (a
/// record with a page) or a person's name; other quoted text stays code, the rest plain.
pub(super) fn parts<'a>(source: &'a Source<'a>, d: &'a Diagnostic) -> Message<'a> {
    let mut out = Vec::new();
    let pieces: Vec<&str> = d.message.split('`').collect();
    // An unmatched backtick leaves its last piece as plain text.
    let closed = pieces.len() % 2 == 1;
    for (i, piece) in pieces.iter().enumerate() {
        if piece.is_empty() {
            continue;
        }
        let quoted = i % 2 == 1 && (closed || i + 1 < pieces.len());
        if !quoted {
            out.push(plain(piece));
            continue;
        }
        let subject = d.subjects.iter().find(|s| s.id == *piece);
        out.push(match subject.map(|s| s.kind) {
            Some(RecordKind::Person) => {
                let p = source.person(piece);
                Part {
                    text: p.name,
                    href: None,
                    person: Some(p.title.unwrap_or("")),
                    code: false,
                }
            }
            Some(kind) => Part {
                text: piece,
                href: link_kind(kind).map(|k| href(Bundle::Iso27001, k, piece)),
                person: None,
                code: link_kind(kind).is_none(),
            },
            None => Part {
                text: piece,
                href: None,
                person: None,
                code: true,
            },
        });
    }
    out
}

fn plain(text: &str) -> Part<'_> {
    Part {
        text,
        href: None,
        person: None,
        code: false,
    }
}

/// The link kind of a record with a page (people have none).
fn link_kind(kind: RecordKind) -> Option<LinkKind> {
    Some(match kind {
        RecordKind::Policy => LinkKind::Policy,
        RecordKind::Control => LinkKind::Control,
        RecordKind::Risk => LinkKind::Risk,
        RecordKind::Identity => LinkKind::Identity,
        RecordKind::Evidence => LinkKind::Evidence,
        RecordKind::Review => LinkKind::Review,
        RecordKind::SoaDecision => LinkKind::Annex,
        RecordKind::Person | RecordKind::Isms => return None,
    })
}

/// Warning messages by the record they are about, in parts.
pub(super) struct Warnings<'a>(HashMap<(RecordKind, &'a str), Vec<Message<'a>>>);

impl<'a> Warnings<'a> {
    /// The warnings of `source`, by subject; a message listed once per record.
    pub(super) fn of(source: &'a Source<'a>) -> Warnings<'a> {
        let mut by_subject: HashMap<(RecordKind, &str), Vec<(&str, Message)>> = HashMap::new();
        for d in source.warnings {
            let mut message = None;
            for subject in &d.subjects {
                let list = by_subject.entry((subject.kind, &subject.id)).or_default();
                if list.last().map(|(m, _)| *m) != Some(d.message.as_str()) {
                    let parts = message.get_or_insert_with(|| parts(source, d)).clone();
                    list.push((&d.message, parts));
                }
            }
        }
        Warnings(
            by_subject
                .into_iter()
                .map(|(k, v)| (k, v.into_iter().map(|(_, m)| m).collect()))
                .collect(),
        )
    }

    /// The warnings about `kind:id`, in the order `check` lists them.
    pub(super) fn about(&self, kind: RecordKind, id: &str) -> Vec<Message<'a>> {
        self.0.get(&(kind, id)).cloned().unwrap_or_default()
    }
}
