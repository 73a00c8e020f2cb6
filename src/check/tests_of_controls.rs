//! Controls' `test:` declarations and evidence records' attribute results (issue 12): the
//! controls an automated control relies on exist, and every attribute result names an attribute
//! one of the record's controls declares and agrees with the record's result.

use std::collections::HashSet;

use super::references::Target;
use super::{Rec, Validator};
use crate::content::model::{AttributeResult, Outcome};
use crate::diag::{codes, RecordKind};

impl Validator<'_, '_> {
    /// `test.relies_on` names controls; evidence `attributes:` name declared attributes, and
    /// an attribute exception on a record whose `result` is pass is flagged.
    pub(super) fn tests_of_controls(&mut self) {
        let c = self.content;
        for r in &c.controls {
            let Some(test) = &r.value.test else { continue };
            let rec = Rec::new(&r.loc, RecordKind::Control, &r.value.id);
            for (i, id) in test.relies_on.iter().enumerate() {
                self.reference(rec, &format!("test/relies_on/{i}"), id, Target::Control);
            }
        }
        for r in &c.evidence {
            let ev = &r.value;
            if ev.attributes.is_empty() {
                continue;
            }
            let rec = Rec::new(&r.loc, RecordKind::Evidence, &ev.id);
            let declared: HashSet<&str> = ev
                .controls
                .iter()
                .filter_map(|id| self.index.controls.get(id.as_str()))
                .filter_map(|&k| c.controls[k].value.test.as_ref())
                .flat_map(|t| t.attributes.iter().map(|a| a.id.as_str()))
                .collect();
            for (name, result) in &ev.attributes {
                if !declared.contains(name.as_str()) {
                    self.problem(
                        rec,
                        rec.field(&format!("attributes/{name}")),
                        codes::UNDECLARED_ATTRIBUTE,
                        format!(
                            "attribute `{name}` is not declared by the `test:` of any control this \
                             record lists, so no sample shows it"
                        ),
                    )
                    .hint("declare it under the control's `test.attributes`, or fix the name");
                } else if *result == AttributeResult::Exception && ev.result == Outcome::Pass {
                    self.problem(
                        rec,
                        rec.field(&format!("attributes/{name}")),
                        codes::ATTRIBUTE_EXCEPTION_ON_PASS,
                        format!(
                            "attribute `{name}` is an exception but the record's `result` is pass"
                        ),
                    )
                    .hint("a failed attribute is a deviation: set `result: exception` with an `exception:` block");
                }
            }
        }
    }
}
