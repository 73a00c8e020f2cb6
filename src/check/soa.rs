//! The Statement of Applicability: every Annex A control is mapped by a control or excluded
//! with a justification, never both.

use std::collections::BTreeSet;

use super::{Rec, Validator};
use crate::content::catalog::{self, catalogs};
use crate::content::Loc;

/// The justification `evidencepack init` writes for an Annex A control not decided yet.
pub const TODO: &str = "TODO: decide";
use crate::diag::{codes, Place, RecordKind};

impl Validator<'_, '_> {
    /// soa.yaml against Annex A and the controls' ISO mappings.
    pub(super) fn soa(&mut self) {
        let c = self.content;
        let cat = catalogs();
        let mut mapped: BTreeSet<&str> = BTreeSet::new();
        for r in &c.controls {
            if let Some(ids) = r.value.maps.get(catalog::ISO27001) {
                mapped.extend(ids.iter().map(String::as_str));
            }
        }
        let mut excluded: BTreeSet<&str> = BTreeSet::new();
        let mut todo: Vec<Rec> = Vec::new();
        // The Annex A controls a mistyped decision most likely meant: the typo is their one
        // error, not also "neither mapped nor excluded".
        let mut meant: BTreeSet<String> = BTreeSet::new();
        for r in &c.soa {
            let d = &r.value;
            let rec = Rec::new(&r.loc, RecordKind::SoaDecision, &d.annex_a);
            if cat.iso.annex(&d.annex_a).is_none() {
                let sugg = cat.suggest(catalog::ISO27001, &d.annex_a);
                self.problem(
                    rec,
                    rec.field("annex_a"),
                    codes::UNKNOWN_FRAMEWORK_ID,
                    format!("`{}` is not an ISO 27001:2022 Annex A control", d.annex_a),
                )
                .hint(if sugg.is_empty() {
                    "Annex A ids run 5.1-5.37, 6.1-6.8, 7.1-7.14, 8.1-8.34, without the `A.` prefix"
                        .into()
                } else {
                    format!("did you mean `{}`?", sugg[0])
                });
                meant.extend(sugg.into_iter().next());
                continue;
            }
            if d.applicable != Some(false) {
                continue;
            }
            excluded.insert(&d.annex_a);
            if d.justification.as_deref().map(str::trim) == Some(TODO) {
                todo.push(rec);
            }
            if d.justification
                .as_deref()
                .is_none_or(|j| j.trim().is_empty())
            {
                self.problem(
                    rec,
                    r.loc.place(),
                    codes::SOA_NO_JUSTIFICATION,
                    format!("Annex A {} is excluded without a justification", d.annex_a),
                );
            }
            if mapped.contains(d.annex_a.as_str()) {
                let by: Vec<&str> = c
                    .controls
                    .iter()
                    .filter(|ctl| {
                        ctl.value
                            .maps
                            .get(catalog::ISO27001)
                            .is_some_and(|ids| ids.contains(&d.annex_a))
                    })
                    .map(|ctl| ctl.value.id.as_str())
                    .collect();
                let p = self.problem(
                    rec,
                    rec.field("applicable"),
                    codes::SOA_EXCLUDED_MAPPED,
                    format!(
                        "Annex A {} is excluded, but control(s) {} map to it",
                        d.annex_a,
                        by.join(", ")
                    ),
                );
                for id in by {
                    p.about(RecordKind::Control, id);
                }
            }
        }
        if let Some(first) = todo.first() {
            let n = todo.len();
            self.problem(
                *first,
                first.field("justification"),
                codes::SOA_TODO,
                format!(
                    "{n} Annex A control{} still to decide (justification `{TODO}`), the first here",
                    if n == 1 { " is" } else { "s are" }
                ),
            )
            .hint("map a control to each that applies (and delete its line), or replace `TODO: decide` with the reason it is excluded");
        }
        let unparsed = &c.unparsed;
        // A control or soa.yaml that could not be read at all may hold any decision: its own
        // error comes first, and the undecided controls are reported once it parses.
        if unparsed.unreadable(RecordKind::Control) || unparsed.unreadable(RecordKind::SoaDecision)
        {
            return;
        }
        let undecided: Vec<(usize, &catalog::AnnexControl)> = cat
            .iso
            .annex_a
            .iter()
            .enumerate()
            .filter(|(_, a)| {
                let id = a.id.as_str();
                !mapped.contains(id)
                    && !excluded.contains(id)
                    && !unparsed.annex_mapped(id)
                    && !unparsed.has(RecordKind::SoaDecision, id)
                    && !meant.contains(id)
            })
            .collect();
        if undecided.is_empty() {
            return;
        }
        let Some(file) = self.report.file_index("soa.yaml") else {
            self.soa_missing(&undecided);
            return;
        };
        // The decisions in soa.yaml by their control's place in Annex A: an undecided control is
        // reported where its line belongs, after the decision of the control before it.
        let mut decided: Vec<(usize, &Loc)> = c
            .soa
            .iter()
            .filter_map(|r| cat.iso.annex_index(&r.value.annex_a).map(|i| (i, &r.loc)))
            .collect();
        decided.sort_by_key(|(i, _)| *i);
        for (i, a) in undecided {
            let line = format!(
                "- {{ annex_a: \"{}\", applicable: false, justification: \"...\" }}",
                a.id
            );
            let before = decided.iter().rev().find(|(j, _)| *j < i);
            let (place, hint) = match (before, decided.first()) {
                (Some((_, loc)), _) => (
                    loc.place(),
                    format!("map a control to it in controls/, or add `{line}` after this line"),
                ),
                (None, Some((_, loc))) => (
                    loc.place(),
                    format!("map a control to it in controls/, or add `{line}` before this line"),
                ),
                (None, None) => (
                    Place::Start,
                    format!("map a control to it in controls/, or add `{line}` to soa.yaml"),
                ),
            };
            self.push(
                file,
                place,
                codes::SOA_UNDECIDED,
                format!(
                    "Annex A {} ({}) is neither mapped by a control nor excluded",
                    a.id, a.title
                ),
            )
            .about(RecordKind::SoaDecision, &a.id)
            .hint(hint);
        }
    }

    /// No soa.yaml: one error for the file, naming the undecided controls.
    fn soa_missing(&mut self, undecided: &[(usize, &catalog::AnnexControl)]) {
        let file = self.report.add_file("soa.yaml");
        let ids: Vec<&str> = undecided.iter().map(|(_, a)| a.id.as_str()).collect();
        let shown = if ids.len() > 5 {
            format!("{}, …", ids[..5].join(", "))
        } else {
            ids.join(", ")
        };
        self.push(
            file,
            Place::Start,
            codes::SOA_UNDECIDED,
            format!(
                "soa.yaml is missing, and {} Annex A control{} neither mapped by a control nor excluded ({shown})",
                ids.len(),
                if ids.len() == 1 { " is" } else { "s are" },
            ),
        )
        .hint("create soa.yaml with a line per Annex A control you exclude: `- { annex_a: \"5.7\", applicable: false, justification: \"...\" }` (`evidencepack init` writes one listing all 93)");
    }
}
