//! Document control of the Statement of Applicability (ISO 27001 7.5.3): its owner and approver
//! are people, it is reviewed on time, and it is there when the pack requires document control.
//! (Policies carry version and approval in their front matter; `policies` checks their review.)
//! Also the context of the organisation (4.1, 4.2): whether it answers the climate question.

use chrono::Months;

use crate::diag::{codes, Place};

use super::Validator;

impl Validator<'_, '_> {
    /// `soa_document:` in pack.yaml.
    pub(super) fn soa_document(&mut self) {
        let Some(pack) = &self.content.pack else {
            return;
        };
        let (p, loc) = (&pack.value, &pack.loc);
        let Some(doc) = &p.soa_document else {
            if p.document_control_required {
                self.push(
                    loc.file,
                    loc.field("document_control_required"),
                    codes::DOCUMENT_CONTROL_MISSING,
                    "document control is required, but the Statement of Applicability has no `soa_document:`".into(),
                )
                .hint("add `soa_document:` with version, owner, approved_by, approved_on (and history)");
            }
            return;
        };
        for (field, id) in [("owner", &doc.owner), ("approved_by", &doc.approved_by)] {
            if !self.index.people.contains_key(id.as_str()) {
                self.push(
                    loc.file,
                    loc.field(&format!("soa_document/{field}")),
                    codes::UNKNOWN_PERSON,
                    format!("`{id}` is not in people.yaml"),
                );
            }
        }
        let next = doc
            .approved_on
            .checked_add_months(Months::new(doc.review_interval_months));
        if let (Some(next), Some(end)) = (next, self.as_of()) {
            if next < end {
                self.push(
                    loc.file,
                    loc.field("soa_document/approved_on"),
                    codes::SOA_REVIEW_OVERDUE,
                    format!(
                        "the Statement of Applicability was due for review on {next} (approved {}, every {} months)",
                        doc.approved_on, doc.review_interval_months
                    ),
                );
            }
        }
    }

    /// `context:` answers the climate change question of Amendment 1:2024 to 4.1 and 4.2.
    pub(super) fn context(&mut self) {
        let Some(pack) = &self.content.pack else {
            return;
        };
        let addressed = pack
            .value
            .context
            .as_ref()
            .is_some_and(|c| c.climate_change.is_some());
        if !addressed {
            let place = if pack.value.context.is_some() {
                pack.loc.field("context")
            } else {
                Place::Start
            };
            self.push(
                pack.loc.file,
                place,
                codes::CLIMATE_UNADDRESSED,
                "the pack does not say whether climate change is a relevant issue".into(),
            )
            .hint("add `context: { climate_change: { relevant: ..., statement: ... } }` (ISO/IEC 27001:2022/Amd 1:2024, 4.1 and 4.2)");
        }
    }
}
