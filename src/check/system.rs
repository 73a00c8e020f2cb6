//! The SOC 2 system description in pack.yaml (DC 200): the criteria its complementary controls
//! support, the controls its significant changes name, and the commitments the draft assertion
//! relies on.

use super::bundles::{criterion_in_scope, out_of_scope_hint};
use super::Validator;
use crate::content::catalog::{catalogs, SOC2};
use crate::content::model::ComplementaryControl;
use crate::content::Loc;
use crate::diag::codes;
use crate::diag::suggest::closest;

impl Validator<'_, '_> {
    /// The system description: every criterion of a CUEC or CSOC is in the SOC 2 catalogue
    /// (`E016`) and in a category in scope (`E105`); a significant change names known controls
    /// (`E012`) and falls inside the period (`W101`); and a pack that reports against SOC 2 states
    /// the commitments its draft assertion relies on (`W137`).
    pub(super) fn system_description(&mut self) {
        let Some(pack) = &self.content.pack else {
            return;
        };
        let (p, loc) = (&pack.value, &pack.loc);
        let sys = &p.system;
        for (i, c) in sys.complementary_user_entity_controls.iter().enumerate() {
            self.complementary_criteria(
                loc,
                &format!("system/complementary_user_entity_controls/{i}"),
                c,
            );
        }
        for (i, s) in sys.subservice_organisations.iter().enumerate() {
            for (k, c) in s.csocs.iter().enumerate() {
                let at = format!("system/subservice_organisations/{i}/csocs/{k}");
                self.complementary_criteria(loc, &at, c);
            }
        }
        for (i, change) in sys.significant_changes.iter().enumerate() {
            let at = format!("system/significant_changes/{i}");
            if !p.period.contains(change.date) {
                self.push(
                    loc.file,
                    loc.field(&format!("{at}/date")),
                    codes::OUTSIDE_PERIOD,
                    format!(
                        "significant change dated {} is outside the period {} to {}",
                        change.date, p.period.start, p.period.end
                    ),
                )
                .hint("DC 9 asks for the changes during the period; move it to the next period's pack");
            }
            for (k, id) in change.controls.iter().enumerate() {
                self.control_of_change(loc, &format!("{at}/controls/{k}"), id);
            }
        }
        let soc2 = p.frameworks.iter().any(|f| f == SOC2);
        if soc2
            && sys
                .commitments
                .as_deref()
                .is_none_or(|t| t.trim().is_empty())
        {
            let field = if sys.commitments.is_some() {
                "system/commitments"
            } else {
                "system"
            };
            self.push(
                loc.file,
                loc.field(field),
                codes::COMMITMENTS_UNSTATED,
                "the draft assertion says the controls met \"our service commitments and system \
                 requirements\", and pack.yaml states none"
                    .into(),
            )
            .hint("add `system.commitments:` with the principal commitments (contracts, SLAs, privacy notice) and the system requirements (DC 2)");
        }
    }

    /// The `criteria:` of a complementary control at `at`.
    fn complementary_criteria(&mut self, loc: &Loc, at: &str, c: &ComplementaryControl) {
        let pack = self.content.pack.as_ref().map(|p| &p.value);
        let declared = pack.is_some_and(|p| p.frameworks.iter().any(|f| f == SOC2));
        let cat = catalogs();
        for (i, id) in c.criteria.iter().enumerate() {
            let place = loc.field(&format!("{at}/criteria/{i}"));
            if !cat.contains(SOC2, id) {
                let sugg = cat.suggest(SOC2, id);
                let hint = if sugg.is_empty() {
                    "SOC 2 criteria are CC1.1 to CC9.2, A1.1 to A1.3, C1.1, C1.2, PI1.1 to PI1.5 and P1.1 to P8.1 (`evidencepack catalog soc2-2017`)".to_string()
                } else {
                    let quoted: Vec<String> = sugg.iter().map(|s| format!("`{s}`")).collect();
                    format!("did you mean {}?", quoted.join(" or "))
                };
                self.push(
                    loc.file,
                    place,
                    codes::UNKNOWN_FRAMEWORK_ID,
                    format!("`{id}` is not a criterion of the soc2-2017 catalog"),
                )
                .hint(hint);
            } else if declared && !criterion_in_scope(pack, id) {
                self.push(
                    loc.file,
                    place,
                    codes::SOC2_CATEGORY_OUT_OF_SCOPE,
                    format!("`{id}` is a SOC 2 criterion of a category pack.yaml does not declare"),
                )
                .hint(out_of_scope_hint(id));
            }
        }
    }

    /// A control named by a significant change.
    fn control_of_change(&mut self, loc: &Loc, field: &str, id: &str) {
        let known = &self.index.controls;
        if known.contains_key(id) || self.exists_unparsed(crate::diag::RecordKind::Control, id) {
            return;
        }
        let cands: Vec<&str> = known.keys().map(String::as_str).collect();
        let hint = closest(id, &cands).map(|c| format!("did you mean `{c}`?"));
        let p = self.push(
            loc.file,
            loc.field(field),
            codes::UNKNOWN_CONTROL,
            format!("unknown control `{id}`"),
        );
        if let Some(h) = hint {
            p.hint(h);
        }
    }
}
