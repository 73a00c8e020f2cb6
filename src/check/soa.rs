//! The Statement of Applicability: every Annex A control is mapped by a control or excluded
//! with a justification, never both.

use std::collections::BTreeSet;

use super::{Rec, Validator};
use crate::content::catalog::{self, catalogs};
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
                continue;
            }
            if d.applicable != Some(false) {
                continue;
            }
            excluded.insert(&d.annex_a);
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
        let soa_file = self
            .report
            .file_index("soa.yaml")
            .or_else(|| self.content.pack.as_ref().map(|p| p.loc.file));
        let Some(file) = soa_file else {
            return;
        };
        for a in &cat.iso.annex_a {
            if !mapped.contains(a.id.as_str()) && !excluded.contains(a.id.as_str()) {
                self.push(
                    file,
                    Place::Start,
                    codes::SOA_UNDECIDED,
                    format!("Annex A {} ({}) is neither mapped by a control nor excluded", a.id, a.title),
                )
                .hint("map a control to it in controls/, or exclude it in soa.yaml with a justification");
            }
        }
    }
}
