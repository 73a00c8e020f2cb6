//! `kind:id` links in every Markdown text of the pack must resolve.

use rayon::prelude::*;

use super::bundles::{criterion_in_scope, out_of_scope_hint};
use super::{Rec, Validator};
use crate::content::links;
use crate::content::Loc;
use crate::diag::{codes, Code, Place, RecordKind, Subject};

/// One Markdown text of the pack and where it sits.
struct Text<'c> {
    /// The file.
    file: usize,
    /// Where the text is: its field, or the start of a Markdown body.
    place: Place,
    /// For a Markdown body: the absolute line its text starts on.
    first_line: Option<usize>,
    /// The record it belongs to (none for pack.yaml).
    rec: Option<Rec<'c>>,
    /// The Markdown.
    text: &'c str,
}

impl<'c> Text<'c> {
    /// The text of `field` of the record `rec`.
    fn field(rec: Rec<'c>, field: &str, text: &'c str) -> Text<'c> {
        Text {
            file: rec.loc.file,
            place: rec.field(field),
            first_line: None,
            rec: Some(rec),
            text,
        }
    }

    /// The Markdown body of `rec`, starting on line `first_line`.
    fn body(rec: Rec<'c>, first_line: usize, text: &'c str) -> Text<'c> {
        Text {
            file: rec.loc.file,
            place: Place::Start,
            first_line: Some(first_line),
            rec: Some(rec),
            text,
        }
    }

    /// The text of `field` of pack.yaml.
    fn pack(loc: &Loc, field: &str, text: &'c str) -> Text<'c> {
        Text {
            file: loc.file,
            place: loc.field(field),
            first_line: None,
            rec: None,
            text,
        }
    }

    /// Where the link at byte `offset` of the text is.
    fn place_of(&self, offset: usize) -> Place {
        let (line, col) = links::line_col(self.text, offset);
        match (&self.place, self.first_line) {
            (_, Some(first)) => Place::Line(first + line - 1, col),
            (Place::Pointer(ptr), None) if self.text.contains('\n') => {
                Place::InBlock(ptr.clone(), line, col)
            }
            (place, None) => place.clone(),
        }
    }
}

/// The kind of record a link names (none for framework ids).
fn record_kind(kind: links::LinkKind) -> Option<RecordKind> {
    use links::LinkKind as L;
    Some(match kind {
        L::Policy => RecordKind::Policy,
        L::Control => RecordKind::Control,
        L::Evidence => RecordKind::Evidence,
        L::Risk => RecordKind::Risk,
        L::Identity => RecordKind::Identity,
        L::Review => RecordKind::Review,
        L::Annex | L::Clause | L::Soc2 | L::Csf => return None,
    })
}

impl<'c> Validator<'c, '_> {
    /// Every Markdown text of the pack: each `kind:id` link resolves.
    pub(super) fn markdown_links(&mut self) {
        let texts = self.texts();
        let index = self.index;
        let unparsed = &self.content.unparsed;
        let pack = self.content.pack.as_ref().map(|p| &p.value);
        type Broken = (usize, Place, Code, String, Option<String>, Option<Subject>);
        let broken: Vec<Broken> = texts
            .par_iter()
            .flat_map_iter(|t| {
                links::find(t.text)
                    .into_iter()
                    .filter_map(|l| {
                        let (code, message, hint) = if !index.resolves(l.kind, &l.id) {
                            if record_kind(l.kind).is_some_and(|k| unparsed.has(k, &l.id)) {
                                return None;
                            }
                            let message = format!("link to unknown {} `{}`", l.kind.scheme(), l.id);
                            (codes::BROKEN_LINK, message, None)
                        } else if l.kind == links::LinkKind::Soc2
                            && !criterion_in_scope(pack, &l.id)
                        {
                            let message = format!(
                                "link to SOC 2 criterion `{}`, of a category pack.yaml does not declare",
                                l.id
                            );
                            let hint = Some(out_of_scope_hint(&l.id));
                            (codes::SOC2_CATEGORY_OUT_OF_SCOPE, message, hint)
                        } else {
                            return None;
                        };
                        let subject = t.rec.map(|r| Subject {
                            kind: r.kind,
                            id: r.id.to_string(),
                        });
                        Some((t.file, t.place_of(l.offset), code, message, hint, subject))
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        for (file, place, code, message, hint, subject) in broken {
            let p = self.push(file, place, code, message);
            if let Some(s) = subject {
                p.about(s.kind, &s.id);
            }
            if let Some(h) = hint {
                p.hint(h);
            }
        }
    }

    /// Every Markdown text of the pack, in file order within each kind.
    fn texts(&self) -> Vec<Text<'c>> {
        let c = self.content;
        let mut texts = Vec::new();
        if let Some(p) = &c.pack {
            let (loc, v) = (&p.loc, &p.value);
            texts.push(Text::pack(loc, "scope/statement", &v.scope.statement));
            texts.push(Text::pack(loc, "system/description", &v.system.description));
            if let Some(t) = &v.system.commitments {
                texts.push(Text::pack(loc, "system/commitments", t));
            }
            let sys = &v.system;
            for (i, c) in sys.complementary_user_entity_controls.iter().enumerate() {
                let field = format!("system/complementary_user_entity_controls/{i}/control");
                texts.push(Text::pack(loc, &field, &c.control));
            }
            for (i, s) in sys.subservice_organisations.iter().enumerate() {
                let at = format!("system/subservice_organisations/{i}");
                for (k, c) in s.csocs.iter().enumerate() {
                    texts.push(Text::pack(
                        loc,
                        &format!("{at}/csocs/{k}/control"),
                        &c.control,
                    ));
                }
                if let Some(t) = &s.monitoring {
                    texts.push(Text::pack(loc, &format!("{at}/monitoring"), t));
                }
            }
            for (i, c) in sys.significant_changes.iter().enumerate() {
                let field = format!("system/significant_changes/{i}/change");
                texts.push(Text::pack(loc, &field, &c.change));
            }
        }
        for d in &c.policies {
            let rec = Rec::new(&d.loc, RecordKind::Policy, &d.meta.id);
            texts.push(Text::body(rec, d.body_line, &d.body));
        }
        for d in &c.reviews {
            let rec = Rec::new(&d.loc, RecordKind::Review, &d.meta.id);
            texts.push(Text::body(rec, d.body_line, &d.body));
        }
        for r in &c.controls {
            let rec = Rec::new(&r.loc, RecordKind::Control, &r.value.id);
            texts.push(Text::field(rec, "description", &r.value.description));
            if let Some(t) = &r.value.test_procedure {
                texts.push(Text::field(rec, "test_procedure", t));
            }
        }
        for r in &c.risks {
            let rec = Rec::new(&r.loc, RecordKind::Risk, &r.value.id);
            if let Some(t) = &r.value.description {
                texts.push(Text::field(rec, "description", t));
            }
        }
        for r in &c.identities {
            let rec = Rec::new(&r.loc, RecordKind::Identity, &r.value.id);
            if let Some(t) = &r.value.description {
                texts.push(Text::field(rec, "description", t));
            }
        }
        for r in &c.evidence {
            let rec = Rec::new(&r.loc, RecordKind::Evidence, &r.value.id);
            if let Some(t) = &r.value.impact {
                texts.push(Text::field(rec, "impact", t));
            }
            if let Some(t) = &r.value.summary {
                texts.push(Text::field(rec, "summary", t));
            }
            if let Some(x) = &r.value.exception {
                texts.push(Text::field(rec, "exception/description", &x.description));
                let response = &x.management_response;
                texts.push(Text::field(rec, "exception/management_response", response));
            }
        }
        texts
    }
}
